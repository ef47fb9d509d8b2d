//! The login throttle: counted in the database before the password check, per (name, address),
//! per address and per account, so that a stranger cannot lock the owner out.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use shop::accounts::login_throttled;
use shop::accounts::throttle::{ACCOUNT_LIMIT, ADDRESS_LIMIT, PAIR_LIMIT, WINDOW_SECS};
use shop::{Shop, ShopError};

/// A clock the test moves by hand.
struct ManualClock(AtomicI64);

impl alipay::Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.load(Ordering::SeqCst), 0).unwrap_or_default()
    }
}

fn ip(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

async fn setup(t: &crate::common::TestDb) -> (Shop, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock(AtomicI64::new(1_800_000_000)));
    let shop = crate::common::fixture::instance_with_clock(t.db.clone(), clock.clone());
    shop::accounts::register(&t.db, "owner", "owner-password", chrono::Utc::now())
        .await
        .unwrap();
    (shop, clock)
}

fn is_locked(r: &Result<shop::accounts::Account, ShopError>) -> bool {
    matches!(r, Err(ShopError::TooManyAttempts(m)) if (1..=15).contains(m))
}

each_backend! {
    async fn a_case_variant_shares_the_counter_of_its_name(t) {
        let (shop, _) = setup(&t).await;
        let guesser = ip("203.0.113.7");
        for i in 0..PAIR_LIMIT {
            let name = if i % 2 == 0 { "owner" } else { "OWNER" };
            let r = login_throttled(&shop, name, "guess", guesser).await;
            assert!(matches!(r, Err(ShopError::BadCredentials)), "{}", t.backend);
        }
        for name in ["owner", "Owner", "OWNER"] {
            let r = login_throttled(&shop, name, "owner-password", guesser).await;
            assert!(is_locked(&r), "{name} {} {r:?}", t.backend);
        }
    }
}

each_backend! {
    async fn a_parallel_burst_reaches_the_password_check_at_most_the_limit(t) {
        let (shop, _) = setup(&t).await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let shop = shop.clone();
                tokio::spawn(async move {
                    login_throttled(&shop, "owner", "guess", ip("203.0.113.8")).await
                })
            })
            .collect();
        let mut checked = 0;
        for task in tasks {
            match task.await.unwrap() {
                Err(ShopError::BadCredentials) => checked += 1,
                r => assert!(is_locked(&r), "{} {r:?}", t.backend),
            }
        }
        assert!(checked <= PAIR_LIMIT, "{checked} checks on {}", t.backend);
    }
}

each_backend! {
    async fn a_stranger_cannot_lock_the_owner_out(t) {
        let (shop, _) = setup(&t).await;
        // Strangers from many addresses: each address up to its pair limit, the account far over
        // its own limit.
        let strangers: Vec<String> = (1..=8).map(|i| format!("198.51.100.{i}")).collect();
        let mut guesses = 0;
        for addr in &strangers {
            for _ in 0..PAIR_LIMIT {
                let r = login_throttled(&shop, "owner", "guess", ip(addr)).await;
                assert!(r.is_err());
                guesses += 1;
            }
        }
        assert!(guesses > ACCOUNT_LIMIT);
        // A stranger's address is refused even with the right password...
        let r = login_throttled(&shop, "owner", "owner-password", ip(&strangers[0])).await;
        assert!(is_locked(&r), "{} {r:?}", t.backend);
        // ...and so is a stranger that tried once, now that the account is under attack.
        let once = ip("198.51.100.99");
        let r = login_throttled(&shop, "owner", "guess", once).await;
        assert!(matches!(r, Err(ShopError::BadCredentials)), "{}", t.backend);
        let r = login_throttled(&shop, "owner", "owner-password", once).await;
        assert!(is_locked(&r), "{} {r:?}", t.backend);
        // The owner, from an address with no failure on the account, gets in.
        let a = login_throttled(&shop, "owner", "owner-password", ip("192.0.2.10"))
            .await
            .expect("the owner logs in");
        assert_eq!(a.username, "owner");
        // Same for an IPv6 owner.
        login_throttled(&shop, "owner", "owner-password", ip("2001:db8::10"))
            .await
            .expect("the owner logs in over IPv6");
    }
}

each_backend! {
    async fn one_address_is_refused_over_many_names_and_windows_end(t) {
        let (shop, clock) = setup(&t).await;
        let spray = ip("203.0.113.9");
        for i in 0..ADDRESS_LIMIT {
            let r = login_throttled(&shop, &format!("user_{i}"), "guess", spray).await;
            assert!(
                matches!(r, Err(ShopError::BadCredentials)),
                "{i} {}",
                t.backend
            );
        }
        let r = login_throttled(&shop, "owner", "owner-password", spray).await;
        assert!(is_locked(&r), "{} {r:?}", t.backend);
        // Another address is untouched.
        login_throttled(&shop, "owner", "owner-password", ip("192.0.2.11"))
            .await
            .unwrap();
        // When the window is over, the address may try again.
        clock.0.fetch_add(WINDOW_SECS + 1, Ordering::SeqCst);
        login_throttled(&shop, "owner", "owner-password", spray)
            .await
            .expect("after the window");
    }
}

each_backend! {
    async fn success_forgets_the_pair_and_instances_share_the_counters(t) {
        let (shop, clock) = setup(&t).await;
        let other = crate::common::fixture::instance_with_clock(t.db.clone(), clock.clone());
        let me = ip("192.0.2.12");
        for _ in 0..PAIR_LIMIT - 1 {
            assert!(login_throttled(&shop, "owner", "typo", me).await.is_err());
        }
        login_throttled(&other, "owner", "owner-password", me)
            .await
            .expect("the right password before the limit");
        // Forgotten: a full allowance again, counted on both instances together.
        for i in 0..PAIR_LIMIT {
            let on = if i % 2 == 0 { &shop } else { &other };
            let r = login_throttled(on, "owner", "typo", me).await;
            assert!(matches!(r, Err(ShopError::BadCredentials)), "{}", t.backend);
        }
        let r = login_throttled(&other, "owner", "owner-password", me).await;
        assert!(is_locked(&r), "{} {r:?}", t.backend);
        // Unknown address (no peer recorded): the name's counters still apply.
        for _ in 0..PAIR_LIMIT {
            let _ = login_throttled(&shop, "nobody_here", "x-guess-1", None).await;
        }
        let r = login_throttled(&shop, "nobody_here", "x-guess-1", None).await;
        assert!(is_locked(&r), "{} {r:?}", t.backend);
        // Hostile names are counted like any other, and never reach the database as they are.
        for name in ["a\0b", &"x".repeat(10_000), "ｏｗｎｅｒ", "own\ter"] {
            let r = login_throttled(&shop, name, "guess", ip("192.0.2.13")).await;
            assert!(
                matches!(r, Err(ShopError::BadCredentials)),
                "{name:?} {}",
                t.backend
            );
        }
    }
}
