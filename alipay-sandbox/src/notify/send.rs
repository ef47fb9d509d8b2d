//! One attempt: sign the notify as Alipay and POST it (K copies under the fault).

use alipay::clock::beijing;
use alipay::sign::Params;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;

use crate::state::Inner;
use crate::store::{attempt, delivery};

use super::build;

const MAX_BODY: usize = 2000;

/// The result of one POST.
pub struct Outcome {
    pub status: Option<u16>,
    pub body: String,
    pub error: Option<String>,
}

impl Outcome {
    pub fn delivered(&self) -> bool {
        self.error.is_none() && self.body == "success"
    }
}

/// The signed form body of this attempt.
pub fn signed_body(inner: &Inner, d: &delivery::Model, now: DateTime<Utc>) -> String {
    let mut p: Params = serde_json::from_str(&d.params_json).unwrap_or_default();
    p.insert("notify_time".into(), beijing(now));
    if let Some(how) = inner.faults.get().tamper {
        build::tamper(&mut p, how);
    }
    if let Err(e) = alipay::sign::sign_callback(&mut p, &inner.alipay_key) {
        // Sent unsigned: the shop refuses it and the attempt shows the refusal.
        tracing::error!(error = %e, "the sandbox could not sign a notify");
    }
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &p {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// POSTs `body` to `url` once.
pub async fn post(inner: &Inner, url: &str, body: String) -> Outcome {
    let res = inner
        .http
        .post(url)
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(body)
        .send()
        .await;
    match res {
        Ok(r) => {
            let status = r.status().as_u16();
            match r.text().await {
                Ok(mut text) => {
                    if text.len() > MAX_BODY {
                        let mut cut = MAX_BODY;
                        while !text.is_char_boundary(cut) {
                            cut -= 1;
                        }
                        text.truncate(cut);
                    }
                    Outcome {
                        status: Some(status),
                        body: text,
                        error: None,
                    }
                }
                Err(e) => Outcome {
                    status: Some(status),
                    body: String::new(),
                    error: Some(format!("reading the answer: {e}")),
                },
            }
        }
        Err(e) => Outcome {
            status: None,
            body: String::new(),
            error: Some(format!("{e}")),
        },
    }
}

/// The row recording one copy of one attempt.
pub fn attempt_row(
    d: &delivery::Model,
    copy_no: i32,
    sent_at: DateTime<Utc>,
    o: &Outcome,
) -> attempt::ActiveModel {
    attempt::ActiveModel {
        delivery_id: Set(d.id),
        attempt_no: Set(d.attempts + 1),
        copy_no: Set(copy_no),
        scheduled_at: Set(d.next_attempt_at),
        sent_at: Set(sent_at),
        http_status: Set(o.status.map(i32::from)),
        response_body: Set(o.body.clone()),
        error: Set(o.error.clone()),
        delivered: Set(o.delivered()),
        ..Default::default()
    }
}
