//! HTTP tokens and lists, header names in `headers` and `expose_headers`,
//! and method names: one token table for the compiler and the runtime.

/// Why `value` is not a usable header name in the list `key`, if it is not.
/// `what` names the kind of header ("request header", "response header").
pub fn header_name_problem(value: &str, key: &str, what: &str) -> Option<String> {
    if value == "*" {
        return Some(format!(
            "`*` in `{key}` is not a wildcard with credentials: browsers treat it as a literal {what} named `*`; list each {what} by name"
        ));
    }
    if value.is_empty() {
        return Some(format!("an empty {what} name in `{key}`; remove it"));
    }
    if let Some(bad) = value.chars().find(|&c| !is_tchar(c)) {
        return Some(format!(
            "`{}` is not a valid {what} name: '{}' cannot appear in a header name (letters, digits and ``!#$%&'*+-.^_`|~`` only)",
            value.escape_default(),
            bad.escape_default()
        ));
    }
    None
}

/// Why `value` is not a method a preflight can be answered for, if it is not.
pub fn method_problem(value: &str) -> Option<String> {
    if value == "OPTIONS" {
        return Some("`OPTIONS` cannot be listed: the CORS preflight (`OPTIONS`) is answered by the middleware itself".to_owned());
    }
    if value.is_empty() || !value.chars().all(is_tchar) {
        return Some(format!(
            "`{}` is not a valid HTTP method name",
            value.escape_default()
        ));
    }
    let upper = value.to_ascii_uppercase();
    if upper != value
        && [
            "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "CONNECT", "TRACE",
        ]
        .contains(&upper.as_str())
    {
        return Some(format!(
            "methods are case-sensitive and `{value}` is not `{upper}`; did you mean `\"{upper}\"`?"
        ));
    }
    None
}

/// An HTTP token character (RFC 9110 `tchar`).
fn is_tchar(c: char) -> bool {
    c.is_ascii() && TCHAR[c as usize]
}

/// Whether `name` is an HTTP token (RFC 9110 `tchar`), i.e. a header name
/// or a method name.
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| TCHAR[usize::from(b)])
}

/// `tchar` as a lookup table: one load per byte.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        b += 1;
    }
    table
};

/// The non-empty elements of a comma-separated header value, with optional
/// whitespace (spaces and tabs) trimmed, as the Fetch Standard sends lists
/// and as proxies may reshape them.
pub fn list_elements(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        // Also trims CR, LF and FF, which a header value cannot hold anyway.
        .map(<[u8]>::trim_ascii)
        .filter(|element| !element.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names() {
        assert_eq!(
            header_name_problem("content-type", "headers", "request header"),
            None
        );
        assert_eq!(
            header_name_problem("X-Custom_1", "headers", "request header"),
            None
        );
        assert!(header_name_problem("*", "headers", "request header")
            .unwrap()
            .contains("literal request header named `*`"));
        assert!(header_name_problem("a b", "headers", "request header")
            .unwrap()
            .contains("' '"));
        assert!(header_name_problem("a:b", "expose_headers", "response header").is_some());
        assert!(header_name_problem("", "headers", "request header").is_some());
        assert!(header_name_problem("café", "headers", "request header").is_some());
    }

    fn elements(value: &str) -> Vec<&str> {
        list_elements(value.as_bytes())
            .map(|e| std::str::from_utf8(e).unwrap())
            .collect()
    }

    #[test]
    fn list_parsing_follows_the_fetch_standard_and_proxies() {
        assert_eq!(elements("content-type,x-a"), ["content-type", "x-a"]);
        assert_eq!(elements(" content-type , X-A "), ["content-type", "X-A"]);
        assert_eq!(elements(",,content-type,,\tx-a,"), ["content-type", "x-a"]);
        assert!(elements("").is_empty());
        assert!(elements(" , ,").is_empty());
    }

    #[test]
    fn tokens() {
        assert!(is_token(b"x-custom_header.v2"));
        assert!(is_token(b"*"));
        for bad in [
            &b""[..],
            b"a b",
            b"a:b",
            b"a\"",
            b"caf\xc3\xa9",
            b"a/b",
            b"(a)",
        ] {
            assert!(!is_token(bad), "{bad:?}");
        }
        for c in '\0'..='\u{ff}' {
            let mut buf = [0; 4];
            assert_eq!(
                is_tchar(c),
                c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c),
                "{c:?}"
            );
            if c.is_ascii() {
                assert_eq!(is_token(c.encode_utf8(&mut buf).as_bytes()), is_tchar(c));
            }
        }
    }

    #[test]
    fn methods() {
        assert_eq!(method_problem("GET"), None);
        assert_eq!(method_problem("PROPFIND"), None);
        assert!(method_problem("OPTIONS").unwrap().contains("preflight"));
        assert!(method_problem("get")
            .unwrap()
            .contains("did you mean `\"GET\"`?"));
        assert!(method_problem("").is_some());
        assert!(method_problem("GE T").is_some());
    }
}
