//! The state every handler and the dispatcher share.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::clock::ScaledClock;
use crate::config::MerchantApp;
use crate::faults::FaultState;
use crate::store::Store;

pub struct Inner {
    /// `public_base_url` without a trailing slash.
    pub base: String,
    pub apps: HashMap<String, MerchantApp>,
    pub alipay_key: alipay::keys::PrivateKey,
    pub store: Store,
    pub clock: Arc<ScaledClock>,
    pub faults: FaultState,
    /// Wakes the dispatcher when a delivery is scheduled.
    pub wake: tokio::sync::Notify,
    /// Deliveries whose attempt is running now (never sent twice at once).
    pub inflight: Mutex<HashSet<i32>>,
    pub http: reqwest::Client,
}

impl Inner {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.sim_now()
    }

    pub fn gateway_url(&self) -> String {
        format!("{}/gateway.do", self.base)
    }

    pub fn cashier_url(&self, trade_no: &str) -> String {
        format!("{}/cashier/{}", self.base, trade_no)
    }

    /// Claims a delivery for an attempt; false if one is already running.
    pub fn claim(&self, id: i32) -> bool {
        self.inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id)
    }

    pub fn release(&self, id: i32) {
        self.inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }

    pub fn is_inflight(&self, id: i32) -> bool {
        self.inflight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&id)
    }
}
