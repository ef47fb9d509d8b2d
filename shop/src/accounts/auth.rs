//! Finding the session token in what a client sent: `Authorization: jwt <t>` (the seed's client),
//! `Authorization: Bearer <t>`, or the session cookie: `__Host-token` when the site is https
//! (`Secure`, host-only, whole site: a subdomain or a plain-http page cannot set or overwrite it),
//! `token` when it is http.

/// The session cookie's name over https.
pub const SECURE_COOKIE: &str = "__Host-token";
/// The session cookie's name over plain http.
pub const PLAIN_COOKIE: &str = "token";

/// The token, if any, from an `Authorization` header value and a `Cookie` header value. A
/// `__Host-token` cookie wins over a `token` cookie.
///
/// ```
/// use shop::accounts::auth::token_from;
/// assert_eq!(token_from(Some("jwt abc"), None), Some("abc"));
/// assert_eq!(token_from(Some("Bearer abc"), None), Some("abc"));
/// assert_eq!(token_from(None, Some("a=1; token=xyz")), Some("xyz"));
/// assert_eq!(token_from(None, Some("token=old; __Host-token=new")), Some("new"));
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
    let cookie = cookie?;
    let named = |name: &str| {
        cookie
            .split(';')
            .find_map(|kv| kv.trim().strip_prefix(name)?.strip_prefix('='))
            .filter(|t| !t.is_empty())
    };
    named(SECURE_COOKIE).or_else(|| named(PLAIN_COOKIE))
}

/// The `Set-Cookie` value that stores a session token (HttpOnly, SameSite=Lax, whole site); with
/// `secure` (an https site) it is `__Host-token` and `Secure`.
///
/// ```
/// let c = shop::accounts::auth::session_cookie("abc", 3600, false);
/// assert!(c.starts_with("token=abc;") && c.contains("HttpOnly") && c.contains("SameSite=Lax"));
/// let s = shop::accounts::auth::session_cookie("abc", 3600, true);
/// assert!(s.starts_with("__Host-token=abc;") && s.contains("; Secure") && s.contains("Path=/;"));
/// ```
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let (name, flag) = if secure {
        (SECURE_COOKIE, "; Secure")
    } else {
        (PLAIN_COOKIE, "")
    };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{flag}")
}

/// The `Set-Cookie` value that removes the plain-http session cookie.
pub fn clear_cookie() -> String {
    clear_session_cookie(false)
}

/// The `Set-Cookie` value that removes the session cookie of an https (`secure`) or http site.
pub fn clear_session_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}
