//! The probe origins: derived from the allowed ones the way attackers derive
//! them.

/// The arbitrary site every audit sends requests from.
pub(crate) const ARBITRARY_SITE: &str = "https://attacker.example";

/// A concrete origin a pattern allows, to derive attacks from:
/// `https://*.example.com` gives `https://app.example.com` and
/// `http://localhost:*` gives `http://localhost:3000`. Exact origins are
/// returned as they are.
pub(crate) fn concrete(listed: &str) -> String {
    if let Some(prefix) = listed.strip_suffix(":*") {
        format!("{prefix}:3000")
    } else {
        listed.replacen('*', "app", 1)
    }
}

/// The parts of a serialized origin, `scheme://host[:port]`.
struct Parts<'a> {
    scheme: &'a str,
    host: &'a str,
    /// `:8080`, with the colon, or empty.
    port: &'a str,
}

fn parts(origin: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = origin.split_once("://")?;
    let (host, port) = if rest.starts_with('[') {
        let end = rest.find(']')? + 1;
        (&rest[..end], &rest[end..])
    } else {
        match rest.rfind(':') {
            Some(colon) => (&rest[..colon], &rest[colon..]),
            None => (rest, ""),
        }
    };
    (!host.is_empty()).then_some(Parts { scheme, host, port })
}

/// Whether `host` is an IP address (no subdomains, no case, no IDN).
fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Each way an attacker derives an origin from an allowed one, with its name.
pub(crate) fn derived(allowed: &str) -> Vec<(&'static str, String)> {
    let Some(Parts { scheme, host, port }) = parts(allowed) else {
        return Vec::new();
    };
    let mut out = vec![
        (
            "the allowed origin as a prefix of another host",
            format!("{scheme}://{host}.attacker.example{port}"),
        ),
        (
            "the allowed origin as a suffix of another host",
            format!("{scheme}://attacker{host}{port}"),
        ),
        (
            "another port",
            match port.strip_prefix(':').and_then(|p| p.parse::<u16>().ok()) {
                Some(p) if p < u16::MAX => format!("{scheme}://{host}:{}", p + 1),
                _ => format!("{scheme}://{host}:8443"),
            },
        ),
        ("a trailing dot", format!("{scheme}://{host}.{port}")),
    ];
    if scheme == "https" {
        out.push(("its http twin", format!("http://{host}{port}")));
    }
    for separator in ['_', '+', '`', '{'] {
        out.push((
            "a separator after the allowed host",
            format!("{scheme}://{host}{separator}.attacker.example{port}"),
        ));
    }
    if !is_ip(host) {
        out.push((
            "a child subdomain",
            format!("{scheme}://attacker.{host}{port}"),
        ));
        if let Some((_, parent)) = host.split_once('.') {
            if parent.contains('.') {
                out.push((
                    "a sibling subdomain",
                    format!("{scheme}://attacker.{parent}{port}"),
                ));
            }
        }
        out.push((
            "a mixed-case twin",
            format!("{scheme}://{}{port}", host.to_ascii_uppercase()),
        ));
        if let Some(idn) = look_alike(scheme, host, port) {
            out.push(("a look-alike IDN host", idn));
        }
    }
    out
}

/// `host` with its first Latin letter that has a Cyrillic look-alike
/// replaced by it, in punycode as browsers send it.
fn look_alike(scheme: &str, host: &str, port: &str) -> Option<String> {
    const LOOK_ALIKES: [(char, char); 6] = [
        ('a', '\u{430}'),
        ('e', '\u{435}'),
        ('o', '\u{43e}'),
        ('c', '\u{441}'),
        ('p', '\u{440}'),
        ('x', '\u{445}'),
    ];
    let (at, latin) = host
        .char_indices()
        .find(|(_, c)| LOOK_ALIKES.iter().any(|(l, _)| l == c))?;
    let cyrillic = LOOK_ALIKES.iter().find(|(l, _)| *l == latin)?.1;
    let mut unicode = String::with_capacity(host.len() + 2);
    unicode.push_str(&host[..at]);
    unicode.push(cyrillic);
    unicode.push_str(&host[at + latin.len_utf8()..]);
    let url = url::Url::parse(&format!("{scheme}://{unicode}{port}")).ok()?;
    Some(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_each_attack_class() {
        let derived: Vec<String> = derived("https://app.example.com")
            .into_iter()
            .map(|(_, origin)| origin)
            .collect();
        for expected in [
            "https://app.example.com.attacker.example",
            "https://attackerapp.example.com",
            "https://app.example.com:8443",
            "https://app.example.com.",
            "http://app.example.com",
            "https://app.example.com_.attacker.example",
            "https://app.example.com+.attacker.example",
            "https://app.example.com`.attacker.example",
            "https://app.example.com{.attacker.example",
            "https://attacker.app.example.com",
            "https://attacker.example.com",
            "https://APP.EXAMPLE.COM",
            "https://xn--pp-6kc.example.com",
        ] {
            assert!(
                derived.iter().any(|o| o == expected),
                "{expected} in {derived:?}"
            );
        }
    }

    #[test]
    fn ip_hosts_keep_to_what_applies() {
        let derived: Vec<String> = derived("http://127.0.0.1:3000")
            .into_iter()
            .map(|(_, origin)| origin)
            .collect();
        assert!(derived.contains(&"http://127.0.0.1:3001".to_owned()));
        assert!(!derived.iter().any(|o| o.contains("attacker.127")));
        assert!(!derived.iter().any(|o| o.contains("xn--")));
    }

    #[test]
    fn patterns_give_a_concrete_origin() {
        assert_eq!(concrete("https://*.example.com"), "https://app.example.com");
        assert_eq!(concrete("http://localhost:*"), "http://localhost:3000");
        assert_eq!(concrete("https://a.example"), "https://a.example");
    }
}
