//! Header names in `headers` and `expose_headers`, and method names.

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
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
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
