//! The id of an account, as stored (`user.id`, `order.user_id`) and carried in session tokens.
use sea_orm::DeriveValueType;
use serde::{Deserialize, Serialize};

/// A user's id: never mixed up with a course id, an order id or a count. Serialised as the bare
/// number (session tokens keep their `uid` claim as it was).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    DeriveValueType,
    Serialize,
    Deserialize,
)]
#[serde(transparent)]
pub struct UserId(pub i32);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::UserId;

    #[test]
    fn a_user_id_is_its_bare_number_in_text_and_json() {
        assert_eq!(UserId(42).to_string(), "42");
        assert_eq!(serde_json::to_string(&UserId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("-7").unwrap(), UserId(-7));
        for hostile in ["\"42\"", "4.2", "null", "2147483648"] {
            assert!(
                serde_json::from_str::<UserId>(hostile).is_err(),
                "{hostile}"
            );
        }
    }
}
