//! With the `tracing` feature, each refusal is one `debug` event (target
//! `cors_credentials`) with the documented fields, recorded in the request's
//! span: behind `tracing_actix_web::TracingLogger`, its root span; on axum, a
//! span of that name around the router. Allowed requests and answered
//! preflights are `trace` events. Without a subscriber refusals still go to
//! `log`. The subscriber is this thread's, which serves the requests.

use test_support::{
    driver::{Adapter, Driver, Req},
    events::{Captured, Events},
    log::Capture,
};
use tracing::{Instrument, Level};
use tracing_subscriber::layer::SubscriberExt;

/// A request to the fixture `tracing` and the one event it makes, if any.
struct Case {
    name: &'static str,
    req: Req,
    status: u16,
    event: Option<(Level, &'static [(&'static str, &'static str)])>,
    /// Whether the event has only the fields listed.
    exact: bool,
}

const FROM_APP: &[&str] = &["https://app.example.com"];
const PREFLIGHT: Req = Req::new("OPTIONS", "/items")
    .origins(FROM_APP)
    .request_method("PUT");

const CASES: &[Case] = &[
    Case {
        name: "a refused request is one event in the request span",
        // Bytes no log line should carry raw: a tab, a quote, a non-ASCII byte.
        req: Req::new("POST", "/form")
            .raw_headers(&[("origin", b"https://evil.example.net\t\xff\"x")])
            .headers(&[("sec-fetch-site", "same-site")]),
        // The guard trusts no such origin, and `/form` has no policy: it
        // refuses before the route.
        status: 403,
        event: Some((
            Level::DEBUG,
            &[
                ("reason", "cross_origin_unsafe"),
                ("check", "guard"),
                ("method", "POST"),
                ("path", "\"/form\""),
                ("origin", r#""https://evil.example.net\t\xff\"x""#),
                (
                    "message",
                    r#"cors-credentials: refused cross-origin request: origin "https://evil.example.net\t\xff\"x" is cross-origin and no policy trusts it"#,
                ),
            ],
        )),
        exact: true,
    },
    Case {
        name: "a refused actual request is one event",
        // A GET passes the guard; the route refuses it.
        req: Req::new("GET", "/items").origins(&["https://evil.example.net"]),
        status: 403,
        event: Some((
            Level::DEBUG,
            &[
                ("reason", "origin_not_allowed"),
                ("check", "request"),
                ("method", "GET"),
                ("path", "\"/items\""),
                ("origin", "\"https://evil.example.net\""),
                (
                    "message",
                    "cors-credentials: refused request: origin \"https://evil.example.net\" is not in the allowed origins",
                ),
            ],
        )),
        exact: true,
    },
    Case {
        name: "a refused preflight is one event",
        req: PREFLIGHT.headers(&[("access-control-request-headers", "content-type,x-debug")]),
        status: 403,
        event: Some((
            Level::DEBUG,
            &[
                ("reason", "header_not_allowed"),
                ("check", "preflight"),
                ("method", "OPTIONS"),
                ("path", "\"/items\""),
                ("origin", "\"https://app.example.com\""),
                (
                    "message",
                    "cors-credentials: refused preflight: request header \"x-debug\" is not in the allowed headers",
                ),
            ],
        )),
        exact: true,
    },
    Case {
        name: "an allowed request is a trace event",
        req: Req::new("PUT", "/items").origins(FROM_APP),
        status: 200,
        event: Some((
            Level::TRACE,
            &[
                ("check", "request"),
                ("method", "PUT"),
                ("path", "\"/items\""),
                ("origin", "\"https://app.example.com\""),
                ("message", "cors-credentials: allowed request"),
            ],
        )),
        exact: true,
    },
    Case {
        name: "an answered preflight is a trace event",
        req: PREFLIGHT,
        status: 204,
        event: Some((
            Level::TRACE,
            &[
                ("check", "preflight"),
                ("message", "cors-credentials: allowed preflight"),
            ],
        )),
        exact: false,
    },
    Case {
        name: "a request without Origin is no event",
        req: Req::new("GET", "/items"),
        status: 200,
        event: None,
        exact: true,
    },
];

/// The crate's events while `app` serves `req`, and the response's status.
async fn events_for<D: Driver>(app: &D, req: &Req) -> (u16, Vec<Captured>) {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    let res = match D::ADAPTER {
        // `TracingLogger` opens the request's span.
        Adapter::Actix => app.send(req, req.origins.first().copied()).await,
        Adapter::Tower => {
            let span = tracing::info_span!("HTTP request");
            let send = app.send(req, req.origins.first().copied());
            send.instrument(span).await
        }
    };
    (res.status, events.take())
}

/// Every case of `CASES` on `app` (the fixture `tracing`), each with a
/// subscriber of its own; then, without one, a refusal goes to `log`.
pub async fn events<D: Driver>(app: D) {
    for case in CASES {
        let at = format!("{:?} on {:?}", case.name, D::ADAPTER);
        let (status, events) = events_for(&app, &case.req).await;
        assert_eq!(status, case.status, "{at}");
        let Some((level, fields)) = case.event else {
            assert!(events.is_empty(), "{at}: {events:?}");
            continue;
        };
        assert_eq!(events.len(), 1, "{at}: {events:?}");
        let event = &events[0];
        assert_eq!(event.level, level, "{at}");
        assert_eq!(
            event.parent,
            Some("HTTP request"),
            "{at}: the request's span"
        );
        for (name, value) in fields {
            assert_eq!(
                event.fields.get(name).map(String::as_str),
                Some(*value),
                "{at}: {name}"
            );
        }
        if case.exact {
            assert_eq!(event.fields.len(), fields.len(), "{at}: {:?}", event.fields);
        }
    }

    let capture = Capture::start();
    let req = Req::new("GET", "/items");
    let res = app.send(&req, Some("https://evil.example.net")).await;
    assert_eq!(res.status, 403, "{:?}", D::ADAPTER);
    let records: Vec<String> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.target.starts_with("cors_credentials"))
        .map(|record| record.message)
        .collect();
    assert_eq!(
        records,
        ["cors-credentials: refused request GET \"/items\": origin \"https://evil.example.net\" is not in the allowed origins"],
        "without a subscriber, on {:?}",
        D::ADAPTER
    );
}
