//! Sessions that can be taken back. Every token carries its user's session version; each request
//! checks it against the user row (one read by primary key), which also supplies the current role
//! and name: logout and role or password changes bump the version, and every older token stops
//! working at once, on every instance.
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::accounts::client::TrustedProxies;
use crate::accounts::jwt::Claims;
use crate::accounts::{Account, Role, UserId};
use crate::entity::user;
use crate::{Shop, ShopError};

/// What the web front needs to know about how it is reached.
#[derive(Clone, Debug, Default)]
pub struct WebSettings {
    /// The public URL is https: the session cookie is `__Host-token` with `Secure`.
    pub https: bool,
    /// Proxies whose `X-Forwarded-For` names the client (for the login throttle).
    pub trusted_proxies: TrustedProxies,
}

/// A token for a just-authenticated account, bound to its current session version.
pub fn issue(shop: &Shop, account: &Account) -> Result<String, ShopError> {
    shop.jwt().issue_versioned(
        account.id,
        &account.username,
        account.role,
        account.session_version,
        shop.clock().now(),
    )
}

/// The `Set-Cookie` value that stores `token` as this server's session cookie.
pub fn cookie(shop: &Shop, token: &str) -> String {
    crate::accounts::auth::session_cookie(token, shop.jwt().ttl().num_seconds(), shop.web().https)
}

/// The `Set-Cookie` value that removes this server's session cookie.
pub fn clear_cookie(shop: &Shop) -> String {
    crate::accounts::auth::clear_session_cookie(shop.web().https)
}

/// The claims of a valid token whose session is still current, with the role and name as they
/// are now in the database. `Unauthenticated` for a bad, expired or revoked token or a deleted
/// user; `Db` if the database cannot be asked.
pub async fn verify(shop: &Shop, token: &str) -> Result<Claims, ShopError> {
    let claims = shop.jwt().verify(token, shop.clock().now())?;
    let row: Option<(i32, Role, String)> = user::Entity::find_by_id(claims.uid)
        .select_only()
        .columns([
            user::Column::SessionVersion,
            user::Column::Role,
            user::Column::Username,
        ])
        .into_tuple()
        .one(shop.db())
        .await?;
    match row {
        Some((version, role, username)) if version == claims.sv => Ok(Claims {
            role,
            username,
            ..claims
        }),
        _ => Err(ShopError::Unauthenticated),
    }
}

/// Bumps the user's session version in the same statement as `changes`: every token issued before
/// stops working. `NotFound` if there is no such user.
async fn update_and_revoke(
    db: &DatabaseConnection,
    user_id: UserId,
    changes: Vec<(user::Column, Expr)>,
) -> Result<(), ShopError> {
    let mut update = user::Entity::update_many()
        .col_expr(
            user::Column::SessionVersion,
            Expr::col(user::Column::SessionVersion).add(1),
        )
        .filter(user::Column::Id.eq(user_id));
    for (col, value) in changes {
        update = update.col_expr(col, value);
    }
    let done = update.exec(db).await?;
    if done.rows_affected == 0 {
        return Err(ShopError::NotFound("用户"));
    }
    Ok(())
}

/// Ends every session of the user (logout: all devices).
pub async fn revoke_sessions(db: &DatabaseConnection, user_id: UserId) -> Result<(), ShopError> {
    update_and_revoke(db, user_id, Vec::new()).await
}

/// Gives the user `role` and ends their sessions, so a demoted admin loses the role at once.
pub async fn set_role(
    db: &DatabaseConnection,
    user_id: UserId,
    role: Role,
) -> Result<(), ShopError> {
    update_and_revoke(db, user_id, vec![(user::Column::Role, Expr::val(role))]).await
}

/// Sets a new password (checked like a registration's) and ends the user's sessions.
pub async fn set_password(
    db: &DatabaseConnection,
    user_id: UserId,
    new_password: &str,
) -> Result<(), ShopError> {
    crate::accounts::validate_password(new_password)?;
    let hash = crate::accounts::password::hash_async(new_password).await?;
    update_and_revoke(
        db,
        user_id,
        vec![(user::Column::PasswordHash, Expr::val(hash))],
    )
    .await
}
