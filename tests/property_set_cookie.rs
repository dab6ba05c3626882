//! Property tests: the cookie diagnostics' `Set-Cookie` reader
//! (`cors_credentials::diagnostics`) reads lines the application wrote, so
//! it must take any bytes: it never panics, the name it returns is the
//! line's own bytes before the first `=` of the first `;`-separated part,
//! and a line written from parts is read back as those parts, whatever the
//! case and spacing of its attributes.

use cors_credentials::test_hooks::{CookieProblem, SameSite, SetCookie};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_bytes_are_read_without_panicking(line in proptest::collection::vec(any::<u8>(), 0..200)) {
        let cookie = SetCookie::parse(&line);
        let pair = line.split(|&b| b == b';').next().unwrap_or_default();
        match pair.iter().position(|&b| b == b'=') {
            Some(eq) => prop_assert_eq!(cookie.name, trim(&pair[..eq])),
            None => prop_assert!(cookie.name.is_empty()),
        }
        // Only the attributes' part sets attributes.
        if !line.contains(&b';') {
            prop_assert_eq!(cookie.same_site, SameSite::Unset);
            prop_assert!(!cookie.secure && !cookie.partitioned && !cookie.deletes);
        }
        for https in [false, true] {
            let problems: Vec<CookieProblem> = cookie.problems(https).into_iter().flatten().collect();
            prop_assert!(problems.len() <= 2);
            // A cookie set with `SameSite=None; Secure` over https is fine.
            if https && cookie.same_site == SameSite::None && cookie.secure {
                prop_assert!(problems.is_empty(), "{:?}", problems);
            }
        }
    }

    #[test]
    fn lines_written_from_parts_are_read_back(
        name in "[A-Za-z0-9_-]{1,12}",
        value in "[A-Za-z0-9]{0,12}",
        same_site in prop_oneof![Just(None), Just(Some("None")), Just(Some("lax")), Just(Some("STRICT")), Just(Some("bogus"))],
        secure in any::<bool>(),
        partitioned in any::<bool>(),
        space in prop_oneof![Just(""), Just(" "), Just("\t ")],
        path in any::<bool>(),
    ) {
        let mut line = format!("{space}{name}{space}={space}{value}");
        if path {
            line.push_str(&format!(";{space}Path=/"));
        }
        if let Some(same_site) = same_site {
            line.push_str(&format!(";{space}SameSite{space}={space}{same_site}{space}"));
        }
        if secure {
            line.push_str(&format!(";{space}secure"));
        }
        if partitioned {
            line.push_str(&format!(";{space}Partitioned{space}"));
        }
        let cookie = SetCookie::parse(line.as_bytes());
        prop_assert_eq!(cookie.name, name.as_bytes());
        let expected = match same_site {
            Some("None") => SameSite::None,
            Some("lax") => SameSite::Lax,
            Some("STRICT") => SameSite::Strict,
            _ => SameSite::Unset,
        };
        prop_assert_eq!(cookie.same_site, expected);
        prop_assert_eq!(cookie.secure, secure);
        prop_assert_eq!(cookie.partitioned, partitioned);
        prop_assert!(!cookie.deletes);
    }
}

/// `bytes` without leading and trailing spaces and tabs, as the reader trims a name.
fn trim(bytes: &[u8]) -> &[u8] {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |end| end + 1);
    &bytes[start..end.max(start)]
}
