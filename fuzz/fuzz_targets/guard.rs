//! The app-wide guard's decision, against a model: for any trusted
//! configuration the macro accepts and any request (method, 0–3 `Origin`
//! lines, `Sec-Fetch-Site` lines, `Host`, TLS or not, path), `guard_decide`
//! passes exactly the requests Go's `CrossOriginProtection` model passes —
//! safe methods; one `Sec-Fetch-Site` line, `same-origin` or `none`; neither
//! `Sec-Fetch-Site` nor `Origin`; without `Sec-Fetch-Site`, one `Origin` that
//! is the request's own; one `Origin` trusted byte for byte; an exempt path
//! that no normaliser could rewrite — and refuses every other request with
//! the refusal that names it.

#![no_main]

use actix_web::http::{header, Method, Uri};
use arbitrary::Arbitrary;
use cors_credentials::test_hooks::{guard_decide, guard_trusting, Refusal, RequestView};
use cors_credentials_fuzz::{
    model_allows, model_same_origin, origin_lines, request_head, values, with_config, ConfigSpec,
    OriginReq, SEC_FETCH_SITE,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum MethodReq {
    Get,
    Head,
    Options,
    Post,
    Put,
    Delete,
    Patch,
    /// Any token: an extension method is unsafe, whatever its case.
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum SiteReq {
    SameOrigin,
    SameSite,
    CrossSite,
    None,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum HostReq {
    Absent,
    /// The authority of the first `Origin`: a same-origin request.
    FromOrigin,
    Raw(Vec<u8>),
}

/// Paths around the exempt ones: exact, a prefix's segment, and near misses.
const PATHS: &[&str] = &[
    "/fuzz",
    "/oauth/callback",
    "/oauth/callback/",
    "/oauth/callbackx",
    "/hooks/",
    "/hooks/github",
    "/hooks",
    "/hooksx/a",
    "/",
    // Never exempt: a normaliser could turn them into another path.
    "/hooks/../fuzz",
    "/hooks/%2E%2e/fuzz",
    "/hooks/.",
    "/hooks/a%2ffuzz",
    "/hooks//fuzz",
];

/// The paths of `PATHS` a normaliser could rewrite.
const AMBIGUOUS: &[&str] = &[
    "/hooks/../fuzz",
    "/hooks/%2E%2e/fuzz",
    "/hooks/.",
    "/hooks/a%2ffuzz",
    "/hooks//fuzz",
];

const EXEMPT: &[&str] = &["/oauth/callback", "/hooks/*"];

#[derive(Arbitrary, Debug)]
struct Input {
    config: ConfigSpec,
    method: MethodReq,
    origins: Vec<OriginReq>,
    sites: Vec<SiteReq>,
    host: HostReq,
    secure: bool,
    path: u8,
    exempt: bool,
}

fuzz_target!(|input: Input| {
    with_config(&input.config, |config| {
        let method = match &input.method {
            MethodReq::Get => Method::GET,
            MethodReq::Head => Method::HEAD,
            MethodReq::Options => Method::OPTIONS,
            MethodReq::Post => Method::POST,
            MethodReq::Put => Method::PUT,
            MethodReq::Delete => Method::DELETE,
            MethodReq::Patch => Method::PATCH,
            MethodReq::Other(name) => match Method::from_bytes(name.as_bytes()) {
                Ok(method) => method,
                Err(_) => Method::POST,
            },
        };
        let (origins, mut headers) = origin_lines(&input.origins, config);
        for site in input.sites.iter().take(3) {
            let site: &[u8] = match site {
                SiteReq::SameOrigin => b"same-origin",
                SiteReq::SameSite => b"same-site",
                SiteReq::CrossSite => b"cross-site",
                SiteReq::None => b"none",
                SiteReq::Raw(bytes) => bytes,
            };
            headers.push((SEC_FETCH_SITE, site.to_vec()));
        }
        match &input.host {
            HostReq::Absent => {}
            HostReq::FromOrigin => {
                if let Some(first) = origins.first() {
                    let authority = first
                        .strip_prefix(b"https://")
                        .or(first.strip_prefix(b"http://"))
                        .unwrap_or(first);
                    headers.push((header::HOST, authority.to_vec()));
                }
            }
            HostReq::Raw(bytes) => headers.push((header::HOST, bytes.clone())),
        }
        let mut head = request_head(method.clone(), &headers);
        let path = PATHS[input.path as usize % PATHS.len()];
        head.uri = Uri::from_static(path);

        // The guard trusts the configured origins; this binary has no
        // annotated handler, so nothing else.
        let trusted = guard_trusting(config.policy, if input.exempt { EXEMPT } else { &[] });
        let view = RequestView::new(&head, input.secure);
        let decision = guard_decide(&trusted, &view);

        // The model, on what actix-web's parser would have let through.
        let sent = values(&head.headers, &header::ORIGIN);
        let sites = values(&head.headers, &SEC_FETCH_SITE);
        let site = sites.first().cloned();
        let own_site =
            sites.len() == 1 && matches!(site.as_deref(), Some(b"same-origin" | b"none"));
        let exempt = input.exempt
            && !AMBIGUOUS.contains(&path)
            && EXEMPT.iter().any(|exempt| match exempt.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == *exempt,
            });
        let safe = matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS");
        let expected: Result<(), Refusal<'_>> = if safe || own_site {
            Ok(())
        } else {
            match sent.as_slice() {
                [] if site.is_none() => Ok(()),
                [] => Err(Refusal::CrossOriginUnsafe {
                    origin: None,
                    site: site.as_deref(),
                }),
                [one]
                    if model_allows(config, one)
                        || (site.is_none()
                            && model_same_origin(&head.headers, one, input.secure)) =>
                {
                    Ok(())
                }
                [one] => Err(Refusal::CrossOriginUnsafe {
                    origin: Some(&one[..]),
                    site: site.as_deref(),
                }),
                _ => Err(Refusal::MultipleOrigins),
            }
        };
        let expected = if exempt { Ok(()) } else { expected };
        assert_eq!(
            decision, expected,
            "{method} {path} origins {sent:?} site {site:?}"
        );
        if let Err(refusal) = decision {
            assert!(!safe, "a safe method refused: {refusal:?}");
            assert!(!exempt, "an exempt path refused: {refusal:?}");
        }
    });
});
