//! The runtime origin matcher and the actual-request decision, against a
//! model: for any configuration the macro accepts and any request headers,
//! `decide` allows exactly the configured origins byte for byte, refuses
//! everything else cross-origin, and `decorate` leaves exactly one
//! `Access-Control-Allow-Origin` (the request's own bytes) or none, never
//! `Access-Control-Allow-Credentials` without it, and `Vary: Origin` always.
//! Patterns admit only subdomains of their base host (or ports of their
//! loopback host). Refused origins are logged escaped.

#![no_main]

use actix_web::http::{
    header::{self, HeaderMap, HeaderValue},
    Method,
};
use arbitrary::Arbitrary;
use cors_credentials::test_hooks::{
    decide, decorate, expose_headers, on_disallowed, Decision, Escaped, OnDisallowed, Refusal,
    RequestView,
};
use cors_credentials_fuzz::{
    assert_pattern_semantics, header_value, model_allows, model_same_origin, origin_lines,
    request_head, values, vary_covers_origin, with_config, ConfigSpec, OriginReq, SEC_FETCH_SITE,
    X_FORWARDED_PROTO,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum HostSpec {
    Absent,
    /// The authority of the first `Origin`, as a same-origin request has it.
    FromOrigin {
        default_port: bool,
        uppercase: bool,
    },
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum SiteSpec {
    Absent,
    SameOrigin,
    SameSite,
    CrossSite,
    None,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum HandlerHeader {
    AllowOrigin,
    AllowCredentials,
    ExposeHeaders,
    Vary,
}

#[derive(Arbitrary, Debug)]
struct Input {
    config: ConfigSpec,
    origins: Vec<OriginReq>,
    host: HostSpec,
    site: SiteSpec,
    forwarded_proto: Option<Vec<u8>>,
    secure: bool,
    post: bool,
    /// Headers the handler set itself, which `decorate` must override.
    handler_headers: Vec<(HandlerHeader, Vec<u8>)>,
}

fuzz_target!(|input: Input| {
    with_config(&input.config, |config| {
        let (origins, mut headers) = origin_lines(&input.origins, config);
        match &input.host {
            HostSpec::Absent => {}
            HostSpec::FromOrigin {
                default_port,
                uppercase,
            } => {
                if let Some(first) = origins.first() {
                    let (authority, port): (&[u8], &[u8]) =
                        if let Some(rest) = first.strip_prefix(b"https://") {
                            (rest, b":443")
                        } else if let Some(rest) = first.strip_prefix(b"http://") {
                            (rest, b":80")
                        } else {
                            (first, b"")
                        };
                    let mut host = authority.to_vec();
                    if *default_port {
                        host.extend_from_slice(port);
                    }
                    if *uppercase {
                        host.make_ascii_uppercase();
                    }
                    headers.push((header::HOST, host));
                }
            }
            HostSpec::Raw(bytes) => headers.push((header::HOST, bytes.clone())),
        }
        let site: Option<&[u8]> = match &input.site {
            SiteSpec::Absent => None,
            SiteSpec::SameOrigin => Some(b"same-origin"),
            SiteSpec::SameSite => Some(b"same-site"),
            SiteSpec::CrossSite => Some(b"cross-site"),
            SiteSpec::None => Some(b"none"),
            SiteSpec::Raw(bytes) => Some(bytes),
        };
        if let Some(site) = site {
            headers.push((SEC_FETCH_SITE, site.to_vec()));
        }
        if let Some(proto) = &input.forwarded_proto {
            headers.push((X_FORWARDED_PROTO, proto.clone()));
        }
        let method = if input.post {
            Method::POST
        } else {
            Method::GET
        };
        let head = request_head(method, &headers);

        // What HTTP could carry: values that are not header values are refused
        // by actix-web's parser and never reach the middleware.
        let sent = values(&head.headers, &header::ORIGIN);
        let view = RequestView::new(&head, input.secure);
        let decision = decide(config.policy, &view);
        fn refused<'a>(
            on_disallowed: OnDisallowed,
            refusal: Refusal<'a>,
        ) -> Decision<'a, HeaderValue> {
            match on_disallowed {
                OnDisallowed::Reject => Decision::Reject(refusal),
                OnDisallowed::Pass => Decision::NoCors,
            }
        }
        let on_disallowed = on_disallowed(config.policy);
        match sent.as_slice() {
            [] => assert_eq!(decision, Decision::NoCors),
            [one] => {
                if model_allows(config, one) {
                    match &decision {
                        Decision::Allow(value) => assert_eq!(value.as_bytes(), &one[..]),
                        other => panic!("configured origin not allowed: {other:?}"),
                    }
                    assert_pattern_semantics(config, one);
                } else if model_same_origin(&head.headers, one, input.secure) {
                    assert_eq!(decision, Decision::NoCors);
                } else {
                    assert_eq!(
                        decision,
                        refused(on_disallowed, Refusal::OriginNotAllowed(one))
                    );
                }
            }
            _ => assert_eq!(decision, refused(on_disallowed, Refusal::MultipleOrigins)),
        }

        // The response: whatever the handler set, the CORS headers are the policy's.
        let mut response = HeaderMap::new();
        for (name, value) in input.handler_headers.iter().take(6) {
            let name = match name {
                HandlerHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HandlerHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HandlerHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HandlerHeader::Vary => header::VARY,
            };
            if let Some(value) = header_value(value) {
                response.append(name, value);
            }
        }
        let allowed = match &decision {
            Decision::Allow(origin) => Some((*origin).clone()),
            _ => None,
        };
        decorate(config.policy, allowed.clone(), &mut response);
        let allow_origin = values(&response, &header::ACCESS_CONTROL_ALLOW_ORIGIN);
        let allow_credentials = values(&response, &header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        match &allowed {
            Some(origin) => {
                assert_eq!(sent.len(), 1);
                assert_eq!(allow_origin, [sent[0].clone()]);
                assert_eq!(origin.as_bytes(), &sent[0][..]);
                assert_eq!(allow_credentials, [b"true".to_vec()]);
                if let Some(expose) = expose_headers(config.policy) {
                    assert_eq!(
                        values(&response, &header::ACCESS_CONTROL_EXPOSE_HEADERS),
                        [expose.as_bytes().to_vec()]
                    );
                }
            }
            None => {
                assert!(allow_origin.is_empty(), "{allow_origin:?}");
                assert!(allow_credentials.is_empty(), "{allow_credentials:?}");
            }
        }
        assert!(vary_covers_origin(&response), "{response:?}");

        // Log records show request bytes escaped and cut short.
        for origin in &origins {
            let logged = Escaped(origin).to_string();
            assert!(
                logged
                    .chars()
                    .all(|c| c.is_ascii_graphic() || c == ' ' || c == '…'),
                "{logged:?}"
            );
            assert!(logged.len() <= 2 + 256 * 4 + 32, "{}", logged.len());
        }
    });
});
