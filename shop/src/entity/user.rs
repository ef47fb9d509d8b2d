//! An account: a student or an admin.
use sea_orm::entity::prelude::*;

use crate::accounts::{Role, UserId};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: UserId,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTimeUtc,
    /// The username in its one canonical form (ASCII lower case), unique: registration, login and
    /// the login throttle all go by it.
    pub username_key: String,
    /// Bumped by logout and by role or password changes: tokens carrying an older value are
    /// refused.
    pub session_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
