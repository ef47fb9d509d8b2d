//! What an account may do: a student (the default) or a merchant operator.
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};

use crate::ShopError;

/// An account's role, stored (and carried in session tokens) as `student` or `admin`; a stored
/// text that is neither reads as a typed error.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::N(16))"
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[sea_orm(string_value = "student")]
    Student,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl Role {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Exactly `student` or `admin` (as the admin command line takes it).
impl std::str::FromStr for Role {
    type Err = ShopError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "student" => Ok(Role::Student),
            "admin" => Ok(Role::Admin),
            _ => Err(ShopError::invalid("role", "角色须为 student 或 admin")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    #[test]
    fn roles_read_back_from_their_text_and_nothing_else_is_a_role() {
        for r in Role::iter() {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
            assert_eq!(r.to_value(), r.as_str());
            assert_eq!(Role::try_from_value(&r.as_str().to_owned()), Ok(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), r);
        }
        for hostile in ["root", "", "ADMIN", "admin\0", " admin", "Student"] {
            assert!(hostile.parse::<Role>().is_err(), "{hostile:?}");
            assert!(Role::try_from_value(&hostile.to_owned()).is_err());
            assert!(serde_json::from_str::<Role>(&format!("{hostile:?}")).is_err());
        }
    }
}
