//! Preflight header parsing and the preflight answer, against a model: for
//! any configuration the macro accepts and any `Origin`,
//! `Access-Control-Request-Method` and `Access-Control-Request-Headers`
//! lines, `respond_preflight` grants (`204`, the request's own origin, the
//! policy's lists) exactly when the model does and otherwise answers `403`
//! without any `Access-Control-*` header; `Vary` always covers `Origin`.
//! `list_elements` and `is_token` are checked on raw bytes too.

#![no_main]

use actix_web::http::{
    header::{self, HeaderName},
    Method, StatusCode,
};
use arbitrary::Arbitrary;
use cors_credentials::{
    test_hooks::{allow_methods, max_age, respond_preflight, RequestView},
    MAX_REQUEST_HEADERS_LEN,
};
use cors_credentials_fuzz::{
    has_cors_headers, model_allows, model_elements, model_is_token, request_head, values,
    vary_covers_origin, with_config, ConfigSpec, OriginReq,
};
use cors_credentials_rules::header::{is_token, list_elements};
use libfuzzer_sys::fuzz_target;

/// One `Access-Control-Request-Method` line.
#[derive(Arbitrary, Debug)]
enum MethodReq {
    Served(u8),
    Lowercase(u8),
    Raw(Vec<u8>),
}

/// One `Access-Control-Request-Headers` line.
#[derive(Arbitrary, Debug)]
enum HeadersReq {
    /// Allowed names (by index), as a browser or a proxy writes them.
    Allowed {
        picks: Vec<u8>,
        spaced: bool,
        uppercase: bool,
    },
    /// One element repeated, for lines around the size cap.
    Repeated {
        name: Vec<u8>,
        times: u16,
    },
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    config: ConfigSpec,
    origins: Vec<OriginReq>,
    methods: Vec<MethodReq>,
    headers: Vec<HeadersReq>,
    /// Checked against `list_elements` and `is_token` directly.
    raw_list: Vec<u8>,
}

fuzz_target!(|input: Input| {
    // The list parser on any bytes, not only header values.
    let parsed: Vec<Vec<u8>> = list_elements(&input.raw_list).map(<[u8]>::to_vec).collect();
    for element in &parsed {
        assert!(!element.is_empty() && !element.contains(&b','));
        assert!(!element.first().unwrap().is_ascii_whitespace());
        assert!(!element.last().unwrap().is_ascii_whitespace());
        assert_eq!(is_token(element), model_is_token(element), "{element:?}");
    }
    if !input
        .raw_list
        .iter()
        .any(|b| b.is_ascii_whitespace() && *b != b' ' && *b != b'\t')
    {
        assert_eq!(
            parsed,
            model_elements(std::slice::from_ref(&input.raw_list))
        );
    }

    with_config(&input.config, |config| {
        let mut headers: Vec<(HeaderName, Vec<u8>)> = Vec::new();
        for origin in input.origins.iter().take(3) {
            headers.push((header::ORIGIN, origin.bytes(config)));
        }
        for method in input.methods.iter().take(3) {
            let names = &config.method_names;
            let value = match method {
                MethodReq::Served(i) => names[*i as usize % names.len()].clone().into_bytes(),
                MethodReq::Lowercase(i) => names[*i as usize % names.len()]
                    .to_ascii_lowercase()
                    .into_bytes(),
                MethodReq::Raw(bytes) => bytes.clone(),
            };
            headers.push((header::ACCESS_CONTROL_REQUEST_METHOD, value));
        }
        let allowed_names: Vec<String> = match &config.headers {
            Some(names) if !names.is_empty() => names.clone(),
            _ => vec!["content-type".into(), "x-requested-with".into()],
        };
        for line in input.headers.iter().take(4) {
            let value = match line {
                HeadersReq::Allowed {
                    picks,
                    spaced,
                    uppercase,
                } => {
                    let mut names: Vec<String> = picks
                        .iter()
                        .take(12)
                        .map(|i| allowed_names[*i as usize % allowed_names.len()].clone())
                        .collect();
                    if *uppercase {
                        names.iter_mut().for_each(|n| n.make_ascii_uppercase());
                    }
                    names.join(if *spaced { " , " } else { "," }).into_bytes()
                }
                HeadersReq::Repeated { name, times } => {
                    let times = (*times as usize) % (2 * MAX_REQUEST_HEADERS_LEN);
                    let mut line = Vec::with_capacity((name.len() + 1) * times);
                    for _ in 0..times {
                        line.extend_from_slice(name);
                        line.push(b',');
                        if line.len() > 3 * MAX_REQUEST_HEADERS_LEN {
                            break;
                        }
                    }
                    line
                }
                HeadersReq::Raw(bytes) => bytes.clone(),
            };
            headers.push((header::ACCESS_CONTROL_REQUEST_HEADERS, value));
        }
        let head = request_head(Method::OPTIONS, &headers);
        let response = respond_preflight(
            config.policy,
            config.methods,
            &RequestView::new(&head, false),
        );
        let got = response.headers();

        // The model, from what HTTP could carry.
        let origins = values(&head.headers, &header::ORIGIN);
        let methods = values(&head.headers, &header::ACCESS_CONTROL_REQUEST_METHOD);
        let lines = values(&head.headers, &header::ACCESS_CONTROL_REQUEST_HEADERS);
        let total: usize = lines.iter().map(Vec::len).sum();
        let elements = model_elements(&lines);
        let origin_ok = origins.len() == 1 && model_allows(config, &origins[0]);
        let method_ok = methods.len() == 1
            && config
                .method_names
                .iter()
                .any(|name| name.as_bytes() == &methods[0][..]);
        let headers_ok = total <= MAX_REQUEST_HEADERS_LEN
            && elements.iter().all(|name| {
                model_is_token(name)
                    && config.headers.as_ref().is_none_or(|allowed| {
                        allowed
                            .iter()
                            .any(|a| a.as_bytes().eq_ignore_ascii_case(name))
                    })
            });
        let granted = origin_ok && method_ok && headers_ok;

        assert!(vary_covers_origin(got), "{got:?}");
        let one = |name: HeaderName| values(got, &name);
        if granted {
            assert_eq!(response.status(), StatusCode::NO_CONTENT);
            assert_eq!(
                one(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                [origins[0].clone()]
            );
            assert_eq!(
                one(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
                [b"true".to_vec()]
            );
            assert_eq!(
                one(header::ACCESS_CONTROL_ALLOW_METHODS),
                [allow_methods(config.methods).as_bytes().to_vec()]
            );
            assert_eq!(
                one(header::ACCESS_CONTROL_MAX_AGE),
                [max_age(config.policy).as_bytes().to_vec()]
            );
            let allow_headers = one(header::ACCESS_CONTROL_ALLOW_HEADERS);
            if elements.is_empty() {
                assert!(allow_headers.is_empty(), "{allow_headers:?}");
            } else {
                let expected = match &config.headers {
                    Some(names) => names.join(", ").into_bytes(),
                    None => elements.join(&b","[..]),
                };
                assert_eq!(allow_headers, [expected]);
                // Every requested name is covered, compared case-insensitively.
                let listed = model_elements(&allow_headers);
                for name in &elements {
                    assert!(listed.iter().any(|l| l.eq_ignore_ascii_case(name)));
                }
            }
        } else {
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
            assert!(!has_cors_headers(got), "{got:?}");
        }
    });
});
