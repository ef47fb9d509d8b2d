//! Accounts: registration, login, and the demo users.
pub mod auth;
pub mod jwt;
mod manage;
pub mod password;
pub mod throttle;

use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

pub use manage::{create_admin, find_by_username, set_password, set_role};

use crate::ShopError;
use crate::entity::user;

/// The role of a student (the default) and of a merchant operator.
pub const ROLE_STUDENT: &str = "student";
pub const ROLE_ADMIN: &str = "admin";

/// A logged-in or just-registered user, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i32,
    pub username: String,
    pub role: String,
}

impl From<user::Model> for Account {
    fn from(m: user::Model) -> Self {
        Account {
            id: m.id,
            username: m.username,
            role: m.role,
        }
    }
}

/// Checks a username: 3 to 32 letters, digits, `_` or Chinese characters.
pub fn validate_username(username: &str) -> Result<(), ShopError> {
    let n = username.chars().count();
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || ('\u{4e00}'..='\u{9fff}').contains(&c));
    if !(3..=32).contains(&n) || !ok_chars {
        return Err(ShopError::invalid(
            "username",
            "用户名须为 3 到 32 位字母、数字、下划线或汉字",
        ));
    }
    Ok(())
}

/// Checks a password: 8 to 128 characters.
pub fn validate_password(password: &str) -> Result<(), ShopError> {
    if !(8..=128).contains(&password.chars().count()) {
        return Err(ShopError::invalid("password", "密码长度须为 8 到 128 位"));
    }
    Ok(())
}

/// Creates a student account.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let a = shop::accounts::register(db, "xiaoming", "s3cret-pass").await?;
/// assert_eq!(a.role, "student");
/// # Ok(()) }
/// ```
pub async fn register(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
) -> Result<Account, ShopError> {
    validate_username(username)?;
    validate_password(password)?;
    insert_user(db, username, password, ROLE_STUDENT).await
}

async fn insert_user(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    role: &str,
) -> Result<Account, ShopError> {
    let hash = password::hash_async(password).await?;
    let row = user::ActiveModel {
        username: Set(username.to_owned()),
        password_hash: Set(hash),
        role: Set(role.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    match user::Entity::insert(row).exec_with_returning(db).await {
        Ok(m) => Ok(Account::from(m)),
        Err(e) if is_unique_violation(&e) => Err(ShopError::UsernameTaken),
        Err(e) => Err(e.into()),
    }
}

fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Checks a username and password; the same error whether the user exists or not.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let a = shop::accounts::login(db, "student", "coursepay123").await?;
/// # Ok(()) }
/// ```
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
) -> Result<Account, ShopError> {
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?;
    match found {
        Some(u) if password::verify_async(&u.password_hash, password).await? => {
            Ok(Account::from(u))
        }
        Some(_) => Err(ShopError::BadCredentials),
        None => {
            // Spend the same time as a real check so timing does not reveal which names exist.
            static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
            let dummy = DUMMY
                .get_or_try_init(|| password::hash_async("timing-equaliser"))
                .await?;
            let _ = password::verify_async(dummy, password).await?;
            Err(ShopError::BadCredentials)
        }
    }
}

/// The account with this id.
pub async fn account(db: &DatabaseConnection, id: i32) -> Result<Account, ShopError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Account::from)
        .ok_or(ShopError::NotFound("用户"))
}

/// Creates the account if its name is free; an existing one is left as it is. Returns whether it
/// was created.
pub async fn ensure_user(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    role: &str,
) -> Result<bool, ShopError> {
    if user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    match insert_user(db, username, password, role).await {
        Ok(_) => Ok(true),
        Err(ShopError::UsernameTaken) => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`login`] behind the shop's brute-force throttle: too many failures on one username are
/// refused for a while with [`ShopError::TooManyAttempts`].
pub async fn login_throttled(
    shop: &crate::Shop,
    username: &str,
    password: &str,
) -> Result<Account, ShopError> {
    let throttle = shop.login_throttle();
    throttle
        .check(username)
        .map_err(|secs| ShopError::TooManyAttempts(secs.div_ceil(60)))?;
    match login(shop.db(), username, password).await {
        Ok(a) => {
            throttle.succeeded(username);
            Ok(a)
        }
        Err(ShopError::BadCredentials) => {
            throttle.failed(username);
            Err(ShopError::BadCredentials)
        }
        Err(e) => Err(e),
    }
}
