//! Login brute-force defence, in the database so that every instance shares it.
//!
//! Three counters per attempt, each a row of `login_attempt` keyed by what it counts, with the time
//! its window started (a window lasts [`WINDOW_SECS`] from the first attempt it counts):
//! - the pair (canonical username, client address): refused past [`PAIR_LIMIT`];
//! - the client address, over all names: refused past [`ADDRESS_LIMIT`];
//! - the account (canonical username), over all addresses: past [`ACCOUNT_LIMIT`], only addresses
//!   that already have an attempt on that account are refused. An address with none (the owner at
//!   home while a stranger guesses elsewhere) still gets in with the right password.
//!
//! An attempt is counted before its password is checked, by one atomic upsert per counter, so a
//! parallel burst counts in full: of N simultaneous guesses at most [`PAIR_LIMIT`] reach argon2.
//! A successful login forgets its pair and takes its own attempt back from the other two; an
//! attempt that failed for another reason than the password (server busy, database) is taken
//! back from all three.
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, Statement, Value};

use crate::{Shop, ShopError};

/// How long attempts are remembered, from the first one a counter holds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Attempts per (username, address) in a window before that pair is refused.
pub const PAIR_LIMIT: i32 = 5;
/// Attempts per address over every username in a window before the address is refused.
pub const ADDRESS_LIMIT: i32 = 30;
/// Failures per account over every address in a window after which only addresses that already
/// tried that account are refused.
pub const ACCOUNT_LIMIT: i32 = 20;

/// One counted attempt; hand it back with [`Attempt::succeeded`] or [`Attempt::not_counted`].
#[derive(Debug)]
pub(crate) struct Attempt {
    pair: String,
    address: Option<String>,
    account: String,
}

/// A counter after this attempt: its value and when its window started (unix seconds).
struct Counted {
    count: i32,
    first_at: i64,
}

async fn bump(txn: &DatabaseTransaction, key: &str, now: i64) -> Result<Counted, DbErr> {
    let sql = r#"INSERT INTO login_attempt ("key", "count", first_at) VALUES ($1, 1, $2)
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN login_attempt.first_at <= $3 THEN 1 ELSE login_attempt."count" + 1 END,
          first_at = CASE WHEN login_attempt.first_at <= $3 THEN $2 ELSE login_attempt.first_at END
        RETURNING "count", first_at"#;
    let values: [Value; 3] = [key.into(), now.into(), (now - WINDOW_SECS).into()];
    let stmt = Statement::from_sql_and_values(txn.get_database_backend(), sql, values);
    let row = txn
        .query_one_raw(stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("login_attempt upsert".to_owned()))?;
    Ok(Counted {
        count: row.try_get_by_index(0)?,
        first_at: row.try_get_by_index(1)?,
    })
}

async fn exec(shop: &Shop, sql: &str, values: Vec<Value>) -> Result<(), DbErr> {
    let _turn = shop.write_turn().await;
    let db = shop.db();
    let stmt = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
    db.execute_raw(stmt).await.map(|_| ())
}

/// Minutes until a window that started at `first_at` ends, at least 1.
fn minutes_left(first_at: i64, now: i64) -> u64 {
    let secs = (first_at + WINDOW_SECS - now).max(1);
    u64::try_from(secs).unwrap_or(1).div_ceil(60)
}

/// Counts an attempt on `name` (see [`crate::accounts::names`]) from `address` (`None`: unknown,
/// then only the name counters apply) and decides: `Err(TooManyAttempts)` when refused.
pub(crate) async fn begin(
    shop: &Shop,
    name: &str,
    address: Option<&str>,
) -> Result<Attempt, ShopError> {
    let attempt = Attempt {
        pair: format!("p|{name}|{}", address.unwrap_or("-")),
        address: address.map(|a| format!("a|{a}")),
        account: format!("u|{name}"),
    };
    let now = shop.clock().now().timestamp();
    let txn = shop.begin_write().await?;
    let pair = bump(txn.conn(), &attempt.pair, now).await?;
    let address = match &attempt.address {
        Some(key) => Some(bump(txn.conn(), key, now).await?),
        None => None,
    };
    let account = bump(txn.conn(), &attempt.account, now).await?;
    if pair.count == 1 {
        // A new window somewhere: a good moment to forget the windows that are over.
        let stmt = Statement::from_sql_and_values(
            txn.conn().get_database_backend(),
            "DELETE FROM login_attempt WHERE first_at <= $1",
            [Value::from(now - WINDOW_SECS)],
        );
        txn.conn().execute_raw(stmt).await?;
    }
    txn.commit().await?;

    let refused_by = if pair.count > PAIR_LIMIT {
        Some(pair.first_at)
    } else if let Some(a) = address.as_ref().filter(|a| a.count > ADDRESS_LIMIT) {
        Some(a.first_at)
    } else if account.count > ACCOUNT_LIMIT && pair.count > 1 {
        Some(account.first_at)
    } else {
        None
    };
    match refused_by {
        Some(first_at) => {
            tracing::warn!(
                pair = pair.count,
                address = address.as_ref().map(|a| a.count),
                account = account.count,
                "login refused by the throttle"
            );
            Err(ShopError::TooManyAttempts(minutes_left(first_at, now)))
        }
        None => Ok(attempt),
    }
}

impl Attempt {
    /// The password was right: the pair is forgotten, the other counters take this attempt back.
    pub(crate) async fn succeeded(self, shop: &Shop) -> Result<(), ShopError> {
        exec(
            shop,
            r#"DELETE FROM login_attempt WHERE "key" = $1"#,
            vec![self.pair.into()],
        )
        .await?;
        let mut keys = vec![self.account];
        keys.extend(self.address);
        uncount(shop, keys).await
    }

    /// The attempt never reached a verdict on the password (server busy, database failure): it
    /// is taken back from every counter.
    pub(crate) async fn not_counted(self, shop: &Shop) -> Result<(), ShopError> {
        let mut keys = vec![self.pair, self.account];
        keys.extend(self.address);
        uncount(shop, keys).await
    }
}

async fn uncount(shop: &Shop, keys: Vec<String>) -> Result<(), ShopError> {
    for key in keys {
        exec(
            shop,
            r#"UPDATE login_attempt SET "count" = "count" - 1 WHERE "key" = $1 AND "count" > 0"#,
            vec![key.into()],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_whole_minutes_and_never_zero() {
        assert_eq!(minutes_left(0, 0), 15);
        assert_eq!(minutes_left(0, WINDOW_SECS - 1), 1);
        assert_eq!(minutes_left(0, WINDOW_SECS + 100), 1);
        assert_eq!(minutes_left(0, 61), 14);
    }
}
