//! Whether two origins are same-site, as browsers decide it for cookies:
//! the same scheme and the same registrable domain (the public-suffix list's
//! "eTLD+1"). An IP address, `localhost`, and a host that is itself a
//! public suffix (or has no registrable domain) are compared as whole hosts.
//! Ports never count.

/// The longest host this module looks up in the public-suffix list; a
/// longer one (no DNS name is longer than 253 bytes) is its own site.
const MAX_HOST: usize = 253;

/// The scheme and host of a serialized origin `scheme://host[:port]`:
/// `Some((true, host))` for `https`, `Some((false, host))` for `http`,
/// `None` for any other scheme or no origin at all (`null`).
pub fn origin_parts(origin: &[u8]) -> Option<(bool, &[u8])> {
    let (https, authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
        (true, rest)
    } else if let Some(rest) = origin.strip_prefix(b"http://") {
        (false, rest)
    } else {
        return None;
    };
    let host = authority_host(authority);
    (!host.is_empty()).then_some((https, host))
}

/// The host of an authority `host[:port]` (`[v6]:port` keeps its brackets).
pub fn authority_host(authority: &[u8]) -> &[u8] {
    if authority.starts_with(b"[") {
        return match authority.iter().position(|&b| b == b']') {
            Some(end) => &authority[..=end],
            None => authority,
        };
    }
    match authority.iter().rposition(|&b| b == b':') {
        Some(colon) => &authority[..colon],
        None => authority,
    }
}

/// The site of `host`: its registrable domain (`app.example.co.uk` →
/// `example.co.uk`), or the whole host for an IP address, `localhost`, a
/// host without a registrable domain (`github.io`) and one too long to
/// look up. Always a suffix of `host`, in `host`'s own case.
pub fn site(host: &[u8]) -> &[u8] {
    let is_ip = host.starts_with(b"[") || host.iter().all(|&b| b.is_ascii_digit() || b == b'.');
    if is_ip
        || host.len() > MAX_HOST
        || host.eq_ignore_ascii_case(b"localhost")
        || host.ends_with(b".")
    {
        return host;
    }
    // The list is lower case; the host may not be (a `Host` header).
    let mut lower = [0u8; MAX_HOST];
    let lower = &mut lower[..host.len()];
    lower.copy_from_slice(host);
    lower.make_ascii_lowercase();
    match psl::domain(lower) {
        Some(domain) => &host[host.len() - domain.as_bytes().len()..],
        None => host,
    }
}

/// Whether an origin on `a_host` (over https if `a_https`) and one on
/// `b_host` (over https if `b_https`) are same-site: the same scheme and
/// the same [`site`], compared ASCII case-insensitively.
pub fn same_site(a_https: bool, a_host: &[u8], b_https: bool, b_host: &[u8]) -> bool {
    a_https == b_https && site(a_host).eq_ignore_ascii_case(site(b_host))
}

/// Whether two serialized origins are same-site ([`same_site`]); an origin
/// that is not `http(s)://host[:port]` is same-site with nothing.
pub fn origins_same_site(a: &[u8], b: &[u8]) -> bool {
    match (origin_parts(a), origin_parts(b)) {
        (Some((a_https, a_host)), Some((b_https, b_host))) => {
            same_site(a_https, a_host, b_https, b_host)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        origins_same_site(a.as_bytes(), b.as_bytes())
    }

    #[test]
    fn sites_are_registrable_domains() {
        let site = |host: &str| String::from_utf8(site(host.as_bytes()).to_vec()).unwrap();
        assert_eq!(site("app.example.com"), "example.com");
        assert_eq!(site("API.Example.COM"), "Example.COM");
        assert_eq!(site("a.b.example.co.uk"), "example.co.uk");
        assert_eq!(site("alice.github.io"), "alice.github.io");
        assert_eq!(site("github.io"), "github.io");
        assert_eq!(site("localhost"), "localhost");
        assert_eq!(site("127.0.0.1"), "127.0.0.1");
        assert_eq!(site("[::1]"), "[::1]");
        assert_eq!(site(""), "");
        assert_eq!(site(&"a.".repeat(200)), "a.".repeat(200));
    }

    #[test]
    fn same_and_cross_site_origins() {
        assert!(same("https://app.example.com", "https://api.example.com"));
        assert!(same(
            "https://app.example.com",
            "https://api.EXAMPLE.com:8443"
        ));
        assert!(same("http://localhost:3000", "http://localhost:8080"));
        assert!(same("https://localhost:3000", "https://localhost:8080"));
        assert!(!same("http://app.example.com", "https://api.example.com"));
        assert!(!same("https://app.example.net", "https://api.example.com"));
        assert!(!same("https://alice.github.io", "https://bob.github.io"));
        assert!(!same("http://127.0.0.1:3000", "http://localhost:8080"));
        assert!(!same("http://127.0.0.1:3000", "http://127.0.0.2:8080"));
        assert!(!same("http://[::1]:3000", "http://localhost:8080"));
        assert!(!same("null", "null"));
        assert!(!same("file://x", "file://x"));
    }

    #[test]
    fn hosts_of_authorities() {
        let host = |a: &str| String::from_utf8(authority_host(a.as_bytes()).to_vec()).unwrap();
        assert_eq!(host("api.example.com:8080"), "api.example.com");
        assert_eq!(host("api.example.com"), "api.example.com");
        assert_eq!(host("[::1]:8080"), "[::1]");
        assert_eq!(host("[::1"), "[::1");
    }
}
