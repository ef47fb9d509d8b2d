//! What an operator does to accounts from the command line: find one by name, create an admin.
//! (Password and role changes, which also end sessions, are in `session`.)
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Account, ROLE_ADMIN};
use crate::ShopError;
use crate::entity::user;

/// The account named `username`: exactly, else by its canonical form.
pub async fn find_by_username(
    db: &DatabaseConnection,
    username: &str,
) -> Result<Option<Account>, ShopError> {
    if let Some(u) = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
    {
        return Ok(Some(Account::from(u)));
    }
    Ok(user::Entity::find()
        .filter(user::Column::UsernameKey.eq(super::canonical_username(username)))
        .one(db)
        .await?
        .map(Account::from))
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
    super::insert_user(db, username, password, ROLE_ADMIN, now).await
}
