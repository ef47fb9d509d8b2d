//! Creates the storm's unpaid orders over HTTP (POST /order/pay), spread over every instance.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Client;

use crate::api::{self, Order};
use crate::error::LoadError;
use crate::runner;

/// An unpaid order and the signed page-pay URL the shop answered.
pub struct Created {
    pub order: Order,
    pub pay_url: String,
}

/// `count` orders, order `i` created on `bases[i % bases.len()]`, `concurrency` at a time.
pub async fn create(
    http: &Client,
    bases: &[String],
    count: usize,
    concurrency: usize,
) -> Result<Vec<Created>, LoadError> {
    let t = Instant::now();
    // A student has one open order per course set and pays for a course once (a second payment
    // is refunded as a duplicate purchase), so every order is its own (student, course) pair:
    // order i is course i % C for student i / C. Students are registered on the first instance
    // (the JWT secret is shared, so every instance accepts them).
    let courses = Arc::new(api::courses(http, &bases[0]).await?);
    let students = Arc::new(api::students(http, &bases[0], count.div_ceil(courses.len())).await?);
    let slots: Arc<Mutex<Vec<Option<Created>>>> =
        Arc::new(Mutex::new((0..count).map(|_| None).collect()));
    let (http2, bases2, slots2) = (http.clone(), Arc::new(bases.to_vec()), slots.clone());
    let out = runner::run(concurrency, count, Duration::from_secs(3600), move |i| {
        let (http, bases, slots) = (http2.clone(), bases2.clone(), slots2.clone());
        let (students, courses) = (students.clone(), courses.clone());
        async move {
            let s = i / courses.len();
            let course = &courses[i % courses.len()];
            let base = &bases[i % bases.len()];
            let pay_url = api::pay(&http, base, &students[s], course).await?;
            let order = api::order_from_url(s, &pay_url)?;
            slots.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(Created { order, pay_url });
            Ok(())
        }
    })
    .await?;
    if out.errors > 0 {
        return Err(LoadError::Check(format!(
            "{} of {count} orders could not be created; first errors: {:?}",
            out.errors, out.first_errors
        )));
    }
    let made: Vec<Created> = std::mem::take(&mut *slots.lock().unwrap_or_else(|p| p.into_inner()))
        .into_iter()
        .flatten()
        .collect();
    if made.len() != count {
        return Err(LoadError::Check(format!(
            "only {} of {count} orders were created in time",
            made.len()
        )));
    }
    eprintln!(
        "storm: {count} orders created on {} instance(s) in {:.1} s ({} orders/s)",
        bases.len(),
        t.elapsed().as_secs_f64(),
        per_second(count, t.elapsed())
    );
    Ok(made)
}

/// `n` events over `d`, per second, as an integer.
pub fn per_second(n: usize, d: Duration) -> u64 {
    (n as u128 * 1_000_000 / d.as_micros().max(1)) as u64
}
