//! Finding the session token in what a client sent: `Authorization: jwt <t>` (the seed's client),
//! `Authorization: Bearer <t>`, or the `token` cookie.

/// The token, if any, from an `Authorization` header value and a `Cookie` header value.
///
/// ```
/// use shop::accounts::auth::token_from;
/// assert_eq!(token_from(Some("jwt abc"), None), Some("abc"));
/// assert_eq!(token_from(Some("Bearer abc"), None), Some("abc"));
/// assert_eq!(token_from(None, Some("a=1; token=xyz")), Some("xyz"));
/// assert_eq!(token_from(None, None), None);
/// ```
pub fn token_from<'a>(authorization: Option<&'a str>, cookie: Option<&'a str>) -> Option<&'a str> {
    if let Some(auth) = authorization {
        let auth = auth.trim();
        for scheme in ["jwt ", "JWT ", "Bearer ", "bearer "] {
            if let Some(t) = auth.strip_prefix(scheme) {
                let t = t.trim();
                if !t.is_empty() {
                    return Some(t);
                }
            }
        }
    }
    cookie?
        .split(';')
        .find_map(|kv| kv.trim().strip_prefix("token="))
        .filter(|t| !t.is_empty())
}

/// The `Set-Cookie` value that stores a session token (HttpOnly, SameSite=Lax, whole site).
///
/// ```
/// let c = shop::accounts::auth::session_cookie("abc", 3600, false);
/// assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"));
/// ```
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("token={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The `Set-Cookie` value that removes the session.
pub fn clear_cookie() -> String {
    "token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0".to_owned()
}
