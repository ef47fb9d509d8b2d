//! Usernames: what is allowed, and the one canonical form that registration, login and the login
//! throttle all go by.
use crate::ShopError;

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

/// The canonical form of a valid username: ASCII letters in lower case, everything else as it is
/// (digits, `_` and CJK have no case). Two names with the same canonical form are the same name.
///
/// ```
/// use shop::accounts::canonical_username;
/// assert_eq!(canonical_username("STUDENT_01"), "student_01");
/// assert_eq!(canonical_username("小明_AB"), "小明_ab");
/// ```
pub fn canonical_username(username: &str) -> String {
    username.to_ascii_lowercase()
}

/// The counter key for whatever was typed as a username: its canonical form when valid; an invalid
/// name (no account can have it) is folded into a bounded key of printable characters, so hostile
/// input never reaches the database as it is.
pub(crate) fn throttle_name(username: &str) -> String {
    if validate_username(username).is_ok() {
        return canonical_username(username);
    }
    let folded: String = username
        .chars()
        .take(32)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '?'
            }
        })
        .collect();
    format!("!{folded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_fold_into_short_printable_keys() {
        for name in [
            "",
            "a\0b",
            "stu\tdent",
            "STU\r\nDENT",
            "%53TUDENT",
            "%2553tudent",
            "ｓｔｕｄｅｎｔ",
            &"x".repeat(100_000),
        ] {
            let key = throttle_name(name);
            assert!(key.starts_with('!'), "{name:?}");
            assert!(key.chars().count() <= 33, "{name:?}");
            assert!(key.chars().all(|c| c.is_ascii_graphic()), "{key:?}");
        }
        assert_eq!(throttle_name("StUdEnT"), "student");
        assert_eq!(throttle_name("小明_01"), "小明_01");
    }
}
