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

/// The live fault settings plus the drop counter they imply.
#[derive(Debug, Default)]
pub struct FaultState {
    inner: Mutex<(Faults, u32)>,
}

impl FaultState {
    pub fn new(faults: Faults) -> FaultState {
        let drops = faults.drop_first_notifies;
        FaultState {
            inner: Mutex::new((faults, drops)),
        }
    }

    /// Replaces the settings and restarts the drop counter.
    pub fn set(&self, faults: Faults) {
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
