//! Where to go after logging in: `next` parsed as a URL, never pattern-matched.
use url::Url;

/// A fixed origin that stands for "this site" while `next` is resolved against it.
const SELF_ORIGIN: &str = "http://coursepay.invalid/";

/// Longer `next` values are refused outright (a real path here is a few dozen bytes).
const MAX_NEXT: usize = 2048;

/// How many rounds of percent-decoding are looked through for a hidden `//`, `\` or control byte.
const DECODE_ROUNDS: usize = 4;

/// `next` as a same-origin path (+ query, + fragment) in its serialized, percent-encoded form, or
/// `/`. Whatever comes back is a valid `Location` header and stays on this site in every browser.
///
/// ```
/// use app::pages::safe_next;
/// assert_eq!(safe_next("/course/1"), "/course/1");
/// assert_eq!(safe_next("/course/1?x=a b#top"), "/course/1?x=a%20b#top");
/// assert_eq!(safe_next("//evil.example"), "/");
/// assert_eq!(safe_next("/\t/evil.example"), "/");
/// assert_eq!(safe_next("/%2F%2Fevil.example"), "/");
/// assert_eq!(safe_next("https://evil.example"), "/");
/// ```
pub fn safe_next(next: &str) -> String {
    parse_local(next).unwrap_or_else(|| "/".to_owned())
}

fn parse_local(next: &str) -> Option<String> {
    if next.len() > MAX_NEXT || !looks_local(next) {
        return None;
    }
    // Every decoded form must look local too: a later decode (a query parser, a proxy) must not
    // turn it into `//host`, `/\host` or a header break.
    let mut decoded = next.to_owned();
    for _ in 0..DECODE_ROUNDS {
        let once = percent_decode(&decoded);
        if once == decoded {
            break;
        }
        if !looks_local(&once) {
            return None;
        }
        decoded = once;
    }
    let base = Url::parse(SELF_ORIGIN).ok()?;
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    // Serialized (percent-encoded) from the path on: dot segments are resolved here, so the result
    // is checked again (`/..//evil` resolves to `//evil`).
    let local = &url[url::Position::BeforePath..];
    looks_local(local).then(|| local.to_owned())
}

/// Starts with exactly one `/`, no backslash anywhere, no control character (tab, CR, LF, NUL...).
fn looks_local(s: &str) -> bool {
    s.starts_with('/')
        && !s.starts_with("//")
        && !s.contains('\\')
        && !s.chars().any(char::is_control)
}

/// `%XX` decoded once (invalid escapes kept as they are; bytes that are not UTF-8 become U+FFFD).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied(), b.get(i + 2).copied()) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let v = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(v as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn local_paths_survive_in_their_encoded_form() {
        for (input, want) in [
            ("/", "/"),
            ("/course/1", "/course/1"),
            ("/orders?page=2", "/orders?page=2"),
            ("/course/1#buy", "/course/1#buy"),
            ("/a/./b/../c", "/a/c"),
            ("/课程", "/%E8%AF%BE%E7%A8%8B"),
            ("/x?q=a b", "/x?q=a%20b"),
            ("/x?q=\"<>\"", "/x?q=%22%3C%3E%22"),
            ("/%E8%AF%BE", "/%E8%AF%BE"),
            ("/ADMIN?Order=CP1", "/ADMIN?Order=CP1"),
        ] {
            assert_eq!(safe_next(input), want, "{input:?}");
        }
    }

    #[test]
    fn everything_that_could_leave_the_site_or_break_a_header_gives_the_home_page() {
        let huge = format!("/{}", "a".repeat(5000));
        let cases = [
            "",
            " ",
            "evil.example",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/x\r\nSet-Cookie: token=x",
            "/x\nLocation: //evil.example",
            "/\0/evil.example",
            "/x\0",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/..//evil.example",
            "/.//evil.example",
            "/a/../..//evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "%2F%2Fevil.example",
            "/%252F%252Fevil.example",
            "/%25252F%25252Fevil.example",
            "/%09/evil.example",
            "/%0d%0a/evil.example",
            "/x?%0D%0ASet-Cookie:a=b",
            "/%5Cevil.example",
            "/%255Cevil.example",
            "/%00",
            "https://evil.example",
            "HTTPS://evil.example",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://user:pass@evil.example/",
            "//user@evil.example",
            "\u{ff0f}\u{ff0f}evil.example",
            "\u{2215}\u{2215}evil.example",
            &huge,
        ];
        for input in cases {
            assert_eq!(safe_next(input), "/", "{input:?}");
        }
    }

    #[test]
    fn the_old_pattern_accepted_several_of_these() {
        // Each passed `starts_with('/') && !starts_with("//") && !contains('\\')`.
        for input in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/..//evil.example",
            "/%2F%2Fevil.example",
            "/%09/evil.example",
        ] {
            assert!(input.starts_with('/') && !input.starts_with("//") && !input.contains('\\'));
            assert_eq!(safe_next(input), "/", "{input:?}");
        }
    }

    #[test]
    fn every_result_is_a_valid_header_value_on_this_site() {
        let inputs = [
            "/x\u{1}y",
            "/x y",
            "/é?é#é",
            "/?next=//evil.example",
            "/#//evil.example",
            "/x?a=%ZZ",
            "/%",
        ];
        for input in inputs {
            let out = safe_next(input);
            assert!(
                out.starts_with('/') && !out.starts_with("//"),
                "{input:?} -> {out:?}"
            );
            assert!(
                out.bytes().all(|b| (0x21..0x7f).contains(&b)),
                "{input:?} -> {out:?}"
            );
        }
    }
}
