//! What an operator does to accounts from the command line: find one by name, set its password or
//! role, create an admin.
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{Account, ROLE_ADMIN, ROLE_STUDENT};
use crate::ShopError;
use crate::entity::user;

/// The account named `username` (exactly), if any.
pub async fn find_by_username(
    db: &DatabaseConnection,
    username: &str,
) -> Result<Option<Account>, ShopError> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .map(Account::from))
}

/// Replaces the password of account `user_id`.
pub async fn set_password(
    db: &DatabaseConnection,
    user_id: i32,
    new_password: &str,
) -> Result<(), ShopError> {
    super::validate_password(new_password)?;
    let hash = super::password::hash_async(new_password).await?;
    user::ActiveModel {
        id: Set(user_id),
        password_hash: Set(hash),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Makes account `user_id` a student or an admin.
pub async fn set_role(db: &DatabaseConnection, user_id: i32, role: &str) -> Result<(), ShopError> {
    if role != ROLE_ADMIN && role != ROLE_STUDENT {
        return Err(ShopError::invalid("role", "角色只能是 student 或 admin"));
    }
    user::ActiveModel {
        id: Set(user_id),
        role: Set(role.to_owned()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Creates an admin account `username` with `password`.
pub async fn create_admin(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
) -> Result<Account, ShopError> {
    super::validate_username(username)?;
    super::validate_password(password)?;
    super::insert_user(db, username, password, ROLE_ADMIN).await
}
