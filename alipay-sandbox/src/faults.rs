//! Fault injection: the knobs the shop's tests turn.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// A correctly signed notify carrying one wrong field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tamper {
    /// `total_amount` (and the other amounts) one yuan higher than the trade's.
    Amount,
    /// `app_id` / `auth_app_id` of some other app.
    AppId,
    /// `seller_id` / `seller_email` of some other seller.
    SellerId,
}

/// Fault settings. Every field defaults to "behave like Alipay".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// The next N notify attempts are not sent (each counts as a failed attempt and is retried).
    pub drop_first_notifies: u32,
    /// 0 or 1: each notify attempt is sent once; K: K identical copies are sent concurrently.
    pub notify_copies: u32,
    /// The first attempt of each notify waits this many real seconds.
    pub notify_delay_secs: u32,
    /// The payment notify is delivered (first attempt awaited) before the browser is redirected.
    pub notify_before_return: bool,
    /// `alipay.trade.query` answers code 20000 (unknown, query again).
    pub query_unknown: bool,
    /// Send a correctly signed notify with one wrong field.
    pub tamper: Option<Tamper>,
    /// No notify is ever sent (every attempt is recorded as dropped).
    pub drop_all_notifies: bool,
}

/// At most this many concurrent copies of one notify attempt.
pub const MAX_NOTIFY_COPIES: u32 = 10;
/// At most this many attempts dropped by `drop_first_notifies`.
pub const MAX_DROP_FIRST_NOTIFIES: u32 = 1000;
/// At most this many real seconds of `notify_delay_secs`.
pub const MAX_NOTIFY_DELAY_SECS: u32 = 600;

/// Each bounded count: (name, maximum).
pub const BOUNDS: [(&str, u32); 3] = [
    ("drop_first_notifies", MAX_DROP_FIRST_NOTIFIES),
    ("notify_copies", MAX_NOTIFY_COPIES),
    ("notify_delay_secs", MAX_NOTIFY_DELAY_SECS),
];

/// The message for a count outside `0..=max`, in Chinese and English.
pub fn out_of_range(name: &str, max: u32) -> String {
    format!("{name} 须为 0 到 {max} 之间的整数 ({name} must be an integer from 0 to {max})")
}

impl Faults {
    /// The bounded counts, in [`BOUNDS`] order.
    fn counts(&self) -> [u32; 3] {
        [
            self.drop_first_notifies,
            self.notify_copies,
            self.notify_delay_secs,
        ]
    }

    /// `Err` names the first count over its bound.
    ///
    /// ```
    /// use alipay_sandbox::Faults;
    /// assert!(Faults { notify_copies: 10, ..Faults::default() }.check().is_ok());
    /// assert!(Faults { notify_copies: 11, ..Faults::default() }.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), String> {
        match BOUNDS
            .iter()
            .zip(self.counts())
            .find(|((_, max), v)| v > max)
        {
            Some(((name, max), _)) => Err(out_of_range(name, *max)),
            None => Ok(()),
        }
    }

    /// Every count cut to its bound (what the sandbox runs with, whatever it was given).
    pub fn bounded(mut self) -> Faults {
        self.drop_first_notifies = self.drop_first_notifies.min(MAX_DROP_FIRST_NOTIFIES);
        self.notify_copies = self.notify_copies.min(MAX_NOTIFY_COPIES);
        self.notify_delay_secs = self.notify_delay_secs.min(MAX_NOTIFY_DELAY_SECS);
        self
    }
}

/// The live fault settings plus the drop counter they imply.
#[derive(Debug, Default)]
pub struct FaultState {
    inner: Mutex<(Faults, u32)>,
}

impl FaultState {
    pub fn new(faults: Faults) -> FaultState {
        let faults = faults.bounded();
        let drops = faults.drop_first_notifies;
        FaultState {
            inner: Mutex::new((faults, drops)),
        }
    }

    /// Replaces the settings and restarts the drop counter.
    pub fn set(&self, faults: Faults) {
        let faults = faults.bounded();
        let drops = faults.drop_first_notifies;
        *self.lock() = (faults, drops);
    }

    pub fn get(&self) -> Faults {
        self.lock().0.clone()
    }

    /// Whether this attempt must be dropped; consumes one of the "first N" drops.
    pub fn take_drop(&self) -> bool {
        let mut g = self.lock();
        if g.0.drop_all_notifies {
            return true;
        }
        if g.1 > 0 {
            g.1 -= 1;
            return true;
        }
        false
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Faults, u32)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}
