//! What an operator does to accounts from the command line: find one by name, create an admin.
//! (Password and role changes, which also end sessions, are in `session`.)
use sea_orm::DatabaseConnection;

use super::{Account, Role};
use crate::ShopError;

/// The account named `username`, found as a login finds it (exact name, then canonical form).
pub async fn find_by_username(
    db: &DatabaseConnection,
    username: &str,
) -> Result<Option<Account>, ShopError> {
    Ok(super::find_login(db, username).await?.map(Account::from))
}

/// Creates an admin account `username` with `password`, created at `now`.
pub async fn create_admin(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Account, ShopError> {
    super::validate_username(username)?;
    super::validate_password(password)?;
    super::insert_user(db, username, password, Role::Admin, now).await
}
