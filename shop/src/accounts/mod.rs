//! Accounts: registration, login, and the demo users.
pub mod auth;
pub mod client;
pub mod jwt;
mod manage;
mod names;
pub mod password;
mod role;
pub mod session;
pub mod throttle;
mod user_id;

pub use names::{canonical_username, validate_username};
pub use role::Role;
pub use session::{revoke_sessions, set_password, set_role};
pub use user_id::UserId;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

pub use manage::{create_admin, find_by_username};

use crate::ShopError;
use crate::entity::user;

/// A logged-in or just-registered user, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// The session version tokens issued now carry (see [`session`]).
    pub session_version: i32,
}

impl From<user::Model> for Account {
    fn from(m: user::Model) -> Self {
        Account {
            id: m.id,
            username: m.username,
            role: m.role,
            session_version: m.session_version,
        }
    }
}

/// Checks a password: 8 to 128 characters.
pub fn validate_password(password: &str) -> Result<(), ShopError> {
    if !(8..=128).contains(&password.chars().count()) {
        return Err(ShopError::invalid("password", "密码长度须为 8 到 128 位"));
    }
    Ok(())
}

/// Creates a student account, created at `now`. A name whose canonical form (see [`canonical_username`]) is taken
/// is taken: `STUDENT` cannot be registered next to `student`.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let a = shop::accounts::register(db, "xiaoming", "s3cret-pass", chrono::Utc::now()).await?;
/// assert_eq!(a.role, shop::accounts::Role::Student);
/// # Ok(()) }
/// ```
pub async fn register(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Account, ShopError> {
    validate_username(username)?;
    validate_password(password)?;
    insert_user(db, username, password, Role::Student, now).await
}

async fn insert_user(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Account, ShopError> {
    let hash = password::hash_async(password).await?;
    let row = user::ActiveModel {
        username: Set(username.to_owned()),
        username_key: Set(canonical_username(username)),
        session_version: Set(0),
        password_hash: Set(hash),
        role: Set(role),
        created_at: Set(now),
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

/// The account a typed name logs into: the exact name first (two accounts whose names differ only
/// in case can predate canonical names, see the accounts-hardening migration), then the canonical
/// form. An invalid name has no account and never reaches the database.
async fn find_login(
    db: &DatabaseConnection,
    username: &str,
) -> Result<Option<user::Model>, ShopError> {
    if validate_username(username).is_err() {
        return Ok(None);
    }
    if let Some(u) = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
    {
        return Ok(Some(u));
    }
    Ok(user::Entity::find()
        .filter(user::Column::UsernameKey.eq(canonical_username(username)))
        .one(db)
        .await?)
}

/// Checks a username and password; the same error whether the user exists or not. The name is
/// matched in its canonical form (`STUDENT` logs into `student`).
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
    match find_login(db, username).await? {
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
pub async fn account(db: &DatabaseConnection, id: UserId) -> Result<Account, ShopError> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Account::from)
        .ok_or(ShopError::NotFound("用户"))
}

/// Creates the account (created at `now`) if its name is free; an existing one is left as it is.
/// Returns whether it was created.
pub async fn ensure_user(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<bool, ShopError> {
    if user::Entity::find()
        .filter(user::Column::UsernameKey.eq(canonical_username(username)))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    match insert_user(db, username, password, role, now).await {
        Ok(_) => Ok(true),
        Err(ShopError::UsernameTaken) => Ok(false),
        Err(e) => Err(e),
    }
}

/// [`login`] behind the shop's brute-force throttle ([`throttle`]), for a client at `client` (its
/// address; `None` when unknown). The attempt is counted before the password is checked; a refused
/// one answers [`ShopError::TooManyAttempts`] without checking it.
pub async fn login_throttled(
    shop: &crate::Shop,
    username: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<Account, ShopError> {
    let address = client.map(|ip| client::address_key(Some(ip)));
    let attempt =
        throttle::begin(shop, &names::throttle_name(username), address.as_deref()).await?;
    match login(shop.db(), username, password).await {
        Ok(a) => {
            attempt.succeeded(shop).await?;
            Ok(a)
        }
        Err(ShopError::BadCredentials) => Err(ShopError::BadCredentials),
        Err(e) => {
            if let Err(undo) = attempt.not_counted(shop).await {
                tracing::warn!(error = %undo, "login attempt could not be taken back");
            }
            Err(e)
        }
    }
}
