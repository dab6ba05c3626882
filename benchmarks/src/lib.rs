//! Side-by-side measurements of `cors-credentials`, `actix-cors` and a bare
//! handler on actix-web, and of `cors-credentials`, `tower-http` and a bare
//! handler on axum: the same handler, the same requests, in one process.
//!
//! Every measurement goes through [`measured_request`]: one prebuilt request
//! served by an initialised actix-web app or axum `Router` (routing, CORS,
//! handler) and its response dropped. The app is called directly and polled
//! once (every setup answers without waiting), so no executor runs in the
//! measured code. See `BENCHMARKS.md` at the root of the repository for how
//! to run them.

use core::{
    cell::RefCell,
    convert::Infallible,
    fmt::Display,
    future::Future,
    pin::pin,
    task::{Context, Poll, Waker},
};

use actix_http::Request;
use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{Service, ServiceResponse},
    get,
    http::{
        header::{self, HeaderValue},
        Method, Uri, Version,
    },
    test, App, Error, Responder,
};
use cors_credentials::{cors_credentials, policy, CrossOriginGuard};
use test_support::alloc::{allocations, assert_counting};

/// The path every setup serves.
pub const PATH: &str = "/api/me";
/// The `Host` of every request.
pub const HOST: &str = "api.example.com";
/// The single allowed origin of scenarios 1–4.
pub const ALLOWED: &str = "https://app.example.com";
/// A cross-origin `Origin` no setup allows.
pub const DISALLOWED: &str = "https://evil.example.net";
/// The 20 allowed origins of scenario 5, and the handler allowing them: the
/// attribute takes literals, so one list written here feeds both.
macro_rules! twenty {
    ($($origin:literal),* $(,)?) => {
        /// The 20 allowed origins of scenario 5, in configuration order. All
        /// have the same length, so no lookup can decide by length alone.
        pub const TWENTY: [&str; 20] = [$($origin),*];

        /// (b) with the 20 origins of scenario 5.
        #[cors_credentials(origins = [$($origin),*], headers = ["content-type"], max_age = 600)]
        #[get("/api/me")]
        pub async fn annotated_me_twenty() -> impl Responder {
            "me"
        }

        policy! {
            /// The policy of [`annotated_me_twenty`], for the tower side.
            pub TOWER_TWENTY = { origins: [$($origin),*], headers: ["content-type"], max_age: 600 }
        }
    };
}

twenty!(
    "https://tenant01.example.com",
    "https://tenant02.example.com",
    "https://tenant03.example.com",
    "https://tenant04.example.com",
    "https://tenant05.example.com",
    "https://tenant06.example.com",
    "https://tenant07.example.com",
    "https://tenant08.example.com",
    "https://tenant09.example.com",
    "https://tenant10.example.com",
    "https://tenant11.example.com",
    "https://tenant12.example.com",
    "https://tenant13.example.com",
    "https://tenant14.example.com",
    "https://tenant15.example.com",
    "https://tenant16.example.com",
    "https://tenant17.example.com",
    "https://tenant18.example.com",
    "https://tenant19.example.com",
    "https://tenant20.example.com",
);

/// How many origins the dynamic set of scenario 8 holds.
pub const DYNAMIC_ORIGINS: usize = 10_000;

/// The `Origin` of scenarios 7 and 8: the last of the dynamic set, in
/// configuration order and in lookup order.
pub const LAST_DYNAMIC: &str = "https://tenant10000.example.com";

/// The dynamic set of scenario 8: `https://tenant00001.example.com` …
/// `https://tenant10000.example.com`. All have the same length, so the
/// binary search compares bytes at every step, and the last is
/// [`LAST_DYNAMIC`].
pub fn dynamic_origins() -> Vec<String> {
    (1..=DYNAMIC_ORIGINS)
        .map(|i| format!("https://tenant{i:05}.example.com"))
        .collect()
}

/// (b) with two listed origins, the second the `Origin` of scenario 7.
#[cors_credentials(
    origins = ["https://app.example.com", "https://tenant10000.example.com"],
    headers = ["content-type"],
    max_age = 600
)]
#[get("/api/me")]
pub async fn annotated_me_two() -> impl Responder {
    "me"
}

policy! {
    /// What the guards of (d) and (h) trust on purpose: scenario 10's origin.
    pub GUARD_TRUSTED = { origins: ["https://app.example.com"] }
}

policy! {
    /// The dynamic set of scenario 8, given by [`build`].
    pub TENANTS = { origins: dynamic, headers: ["content-type"], max_age: 600 }
}

/// How many tenants the per-tenant policy of scenario 12 holds.
pub const TENANTS_COUNT: usize = 10_000;

/// The path of scenario 12's request: the last of its tenants.
pub const TENANT_PATH: &str = "/t/tenant10000/me";

/// The `Origin` of scenario 12: the last tenant's own.
pub const TENANT_ORIGIN: &str = "https://tenant10000.example.com";

/// The tenants of scenario 12: `tenant00001` … `tenant10000`, each with its
/// own origin `https://tenantNNNNN.example.com`. All keys have the same
/// length, so the binary search compares bytes at every step.
pub fn tenant_snapshot() -> Vec<(String, [String; 1])> {
    (1..=TENANTS_COUNT)
        .map(|i| {
            (
                format!("tenant{i:05}"),
                [format!("https://tenant{i:05}.example.com")],
            )
        })
        .collect()
}

policy! {
    /// The per-tenant policy of scenario 13, given its tenants by [`build`].
    pub PER_TENANT = { origins: per_tenant, tenant: path("tenant"), headers: ["content-type"], max_age: 600 }
}

/// (a) on scenario 12's route.
#[get("/t/{tenant}/me")]
pub async fn bare_tenant_me() -> impl Responder {
    "me"
}

/// (b) with the per-tenant policy of scenario 13.
#[cors_credentials(policy = PER_TENANT)]
#[get("/t/{tenant}/me")]
pub async fn annotated_tenant_me() -> impl Responder {
    "me"
}

/// (b) on scenario 13's route with a listed policy: scenario 14, what
/// scenario 13 is compared with. Its request's origin is the second of two,
/// as in scenario 7.
#[cors_credentials(origins = ["https://app.example.com", "https://tenant10000.example.com"])]
#[get("/t/{tenant}/me")]
pub async fn annotated_tenant_me_listed() -> impl Responder {
    "me"
}

/// (b) with the dynamic set of scenario 8.
#[cors_credentials(policy = TENANTS)]
#[get("/api/me")]
pub async fn annotated_me_dynamic() -> impl Responder {
    "me"
}

/// The subdomain pattern of scenario 6, as `#[cors_credentials]` writes it.
pub const PATTERN: &str = "https://*.example.com";
/// The `Origin` of scenario 6: a subdomain the pattern allows.
pub const SUBDOMAIN: &str = "https://tenant7.example.com";
/// The request header the preflight asks for, and the only one allowed.
pub const REQUEST_HEADER: &str = "content-type";
/// `Access-Control-Max-Age` of both CORS setups.
pub const MAX_AGE: usize = 600;

/// (a) The handler without CORS.
#[get("/api/me")]
pub async fn bare_me() -> impl Responder {
    "me"
}

/// (a) for scenarios 9–11: the handler without CORS, behind which the
/// app-wide guard (d) is measured.
pub async fn bare_me_any() -> impl Responder {
    "me"
}

/// Registers [`bare_me_any`] for `GET`, then `POST`, on [`PATH`].
///
/// Not `#[route(method = "GET", method = "POST")]`: that macro keeps its
/// methods in a hash set, so the order it tries them in (and with it the
/// cost of routing each method) changes from one build to the next.
pub fn get_then_post(config: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    config.service(
        web::resource(PATH)
            .route(web::get().to(bare_me_any))
            .route(web::post().to(bare_me_any)),
    );
}

/// (a′) for scenario 12: a `POST` handler whose own policy admits
/// [`ALLOWED`], measured alone and behind the app-wide guard (d′), which
/// trusts nothing and so finds this route's policy in the resource map.
#[cors_credentials(origins = ["https://app.example.com"])]
#[actix_web::post("/api/me")]
pub async fn annotated_post() -> impl Responder {
    "me"
}

/// (b) The same handler with `#[cors_credentials]`.
#[cors_credentials(origins = ["https://app.example.com"], headers = ["content-type"], max_age = 600)]
#[get("/api/me")]
pub async fn annotated_me() -> impl Responder {
    "me"
}

/// (b) with the subdomain pattern of scenario 6.
#[cors_credentials(origins = ["https://*.example.com"], headers = ["content-type"], max_age = 600)]
#[get("/api/me")]
pub async fn annotated_me_pattern() -> impl Responder {
    "me"
}

/// (c) `actix-cors` configured as close to the `#[cors_credentials]` policy
/// as it goes: the same origins, method, request header, credentials and
/// max-age, and a disallowed `Origin` blocked instead of passed through.
pub fn actix_cors(origins: &[&str]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default();
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors.allowed_methods([Method::GET])
        .allowed_header(header::CONTENT_TYPE)
        .supports_credentials()
        .max_age(MAX_AGE)
        .block_on_origin_mismatch(true)
}

/// (c) for scenario 6: `actix-cors` has no patterns, so the same set of
/// origins as `https://*.example.com` goes in an origin function: one or
/// more lowercase DNS labels under `.example.com`, over `https`.
pub fn actix_cors_pattern() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin_fn(|origin, _| is_subdomain_of_example_com(origin.as_bytes()))
        .allowed_methods([Method::GET])
        .allowed_header(header::CONTENT_TYPE)
        .supports_credentials()
        .max_age(MAX_AGE)
        .block_on_origin_mismatch(true)
}

/// The same label rule `cors-credentials` applies to `https://*.example.com`.
fn is_subdomain_of_example_com(origin: &[u8]) -> bool {
    cors_credentials_rules::pattern::Pattern::Subdomain {
        scheme: "https://",
        suffix: ".example.com",
    }
    .matches(origin)
}

/// The bare axum handler of the tower setups: the body of [`bare_me`].
pub async fn axum_me() -> &'static str {
    "me"
}

policy! {
    /// (f) The policy of [`annotated_me`], for [`CorsLayer`](cors_credentials::tower::CorsLayer).
    pub TOWER = { origins: ["https://app.example.com"], headers: ["content-type"], max_age: 600 };
    /// (f) The policy of [`annotated_me_pattern`].
    pub TOWER_PATTERN = { origins: ["https://*.example.com"], headers: ["content-type"], max_age: 600 }
}

/// (g) `tower-http`'s `CorsLayer` configured as close to the policy as it
/// goes: the same origins, method, request header, credentials and max-age.
/// It has no way to refuse a disallowed `Origin`: it serves the request
/// without CORS headers.
pub fn tower_http_cors(origins: tower_http::cors::AllowOrigin) -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_credentials(true)
        .allow_methods([http::Method::GET])
        .allow_headers([http::header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(MAX_AGE as u64))
}

/// (g) for the listed origins.
pub fn tower_http_list(origins: &[&'static str]) -> tower_http::cors::CorsLayer {
    tower_http_cors(tower_http::cors::AllowOrigin::list(
        origins
            .iter()
            .map(|origin| http::HeaderValue::from_static(origin)),
    ))
}

/// (g) for scenario 6: `tower-http` has no patterns either, so the same
/// origin function as `actix-cors`'s.
pub fn tower_http_pattern() -> tower_http::cors::CorsLayer {
    tower_http_cors(tower_http::cors::AllowOrigin::predicate(|origin, _| {
        is_subdomain_of_example_com(origin.as_bytes())
    }))
}

/// How the handler is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// (a) No CORS.
    Bare,
    /// (b) `#[cors_credentials]` on the handler.
    CorsCredentials,
    /// (c) `actix-cors` wrapped around the app.
    ActixCors,
    /// (d) [`CrossOriginGuard::new()`] wrapped around the bare app of
    /// scenarios 9–11, trusting [`GUARD_TRUSTED`] on purpose. Neither
    /// actix-cors nor actix-web has such a defence. In scenario 12, (d′):
    /// [`CrossOriginGuard::new()`], trusting nothing, around the app of
    /// [`annotated_post`] alone, which is scenario 12's (a′) under the id
    /// of (a).
    Guard,
    /// (e) The bare axum handler [`axum_me`] on a `Router`.
    AxumBare,
    /// (e′) (e) with tower's `Identity` layer where the other layers go (the
    /// `MethodRouter`; the `Router` in scenarios 9–11): what axum's `.layer`
    /// costs any layer, so the floor of (f), (g) and (h).
    AxumIdentity,
    /// (f) [`CorsLayer`](cors_credentials::tower::CorsLayer) with the policy
    /// of (b) on the route's `MethodRouter`.
    AxumCorsCredentials,
    /// (g) `tower-http`'s `CorsLayer`, [`tower_http_cors`], on the route's
    /// `MethodRouter` as well, where preflights reach it.
    TowerHttp,
    /// (h) [`CrossOriginGuardLayer::new()`](cors_credentials::tower::CrossOriginGuardLayer)
    /// on the bare `Router` of scenarios 9–11, trusting what (d) trusts.
    AxumGuard,
    /// (b′) (b) with the cookie diagnostics on
    /// ([`enable_cookie_checks`](cors_credentials::diagnostics::enable_cookie_checks)),
    /// which the bench profile's builds have off: scenario 1 only, whose
    /// `https` origin is cross-site to the plain-http request.
    CookieChecks,
    /// (f′) (f) with the cookie diagnostics on, as (b′).
    AxumCookieChecks,
}

impl Setup {
    /// The setups of scenarios 1–8, in table order.
    pub const ALL: [Setup; 3] = [Setup::Bare, Setup::CorsCredentials, Setup::ActixCors];
    /// The setups of the guard's scenarios 9–11, in table order.
    pub const GUARD: [Setup; 2] = [Setup::Bare, Setup::Guard];
    /// The axum setups of [`Scenario::TOWER`], in table order.
    pub const TOWER: [Setup; 4] = [
        Setup::AxumBare,
        Setup::AxumIdentity,
        Setup::AxumCorsCredentials,
        Setup::TowerHttp,
    ];
    /// The axum setups of the guard's scenarios, in table order.
    pub const TOWER_GUARD: [Setup; 3] = [Setup::AxumBare, Setup::AxumIdentity, Setup::AxumGuard];
    /// The setups of the cookie diagnostics' table (scenario 1): each
    /// adapter's, off then on.
    pub const COOKIES: [Setup; 4] = [
        Setup::CorsCredentials,
        Setup::CookieChecks,
        Setup::AxumCorsCredentials,
        Setup::AxumCookieChecks,
    ];

    /// Whether this setup is an axum `Router`, driven through [`build_tower`].
    pub fn is_tower(self) -> bool {
        matches!(
            self,
            Setup::AxumBare
                | Setup::AxumIdentity
                | Setup::AxumCorsCredentials
                | Setup::TowerHttp
                | Setup::AxumGuard
                | Setup::AxumCookieChecks
        )
    }

    /// The name used on command lines, in benchmark ids and in the table.
    pub fn id(self) -> &'static str {
        match self {
            Setup::Bare => "bare",
            Setup::CorsCredentials => "cors-credentials",
            Setup::ActixCors => "actix-cors",
            Setup::Guard => "guard",
            Setup::AxumBare => "axum-bare",
            Setup::AxumIdentity => "axum-identity",
            Setup::AxumCorsCredentials => "axum-cors-credentials",
            Setup::TowerHttp => "tower-http",
            Setup::AxumGuard => "axum-guard",
            Setup::CookieChecks => "cookie-checks",
            Setup::AxumCookieChecks => "axum-cookie-checks",
        }
    }

    /// The setup named `id`.
    pub fn from_id(id: &str) -> Option<Setup> {
        [
            Setup::Bare,
            Setup::CorsCredentials,
            Setup::ActixCors,
            Setup::Guard,
            Setup::AxumBare,
            Setup::AxumIdentity,
            Setup::AxumCorsCredentials,
            Setup::TowerHttp,
            Setup::AxumGuard,
            Setup::CookieChecks,
            Setup::AxumCookieChecks,
        ]
        .into_iter()
        .find(|setup| setup.id() == id)
    }
}

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// 1. `GET` from the allowed origin.
    Allowed,
    /// 2. `GET` from a cross-origin, not allowed origin.
    Disallowed,
    /// 3. `GET` without `Origin`.
    NoOrigin,
    /// 4. Preflight from the allowed origin asking for `GET` and one header.
    Preflight,
    /// 5. `GET` from the last of 20 configured origins.
    TwentyOrigins,
    /// 6. `GET` from a subdomain allowed by a pattern.
    SubdomainPattern,
    /// 7. `GET` from the second of two listed origins.
    TwoOrigins,
    /// 8. `GET` from the same origin, the last of 10,000 in a dynamic set.
    DynamicOrigins,
    /// 9. The guard: a cross-site `GET` (safe methods always pass).
    GuardSafe,
    /// 10. The guard: a same-site `POST` from an origin trusted on purpose.
    GuardTrusted,
    /// 11. The guard: a cross-site `POST` from an origin nobody trusts.
    GuardRefused,
    /// 12. The guard: a same-site `POST` to a route whose own policy admits
    ///     the origin, nothing trusted app-wide.
    ///
    /// The request of scenario 10, to [`annotated_post`]. Measured on
    /// actix-web only: a tower layer cannot see routes, so on axum such a
    /// route is added after the guard and the guard never runs for it.
    GuardAnnotated,
    /// 13. `GET` from the origin of the last of 10,000 tenants, on its own
    ///     route, under a per-tenant policy.
    PerTenant,
    /// 14. The request of scenario 13 on the same route under a listed
    ///     policy: the second of two origins.
    TenantRouteListed,
}

impl Scenario {
    /// Every scenario, in table order.
    pub const ALL: [Scenario; 10] = [
        Scenario::Allowed,
        Scenario::Disallowed,
        Scenario::NoOrigin,
        Scenario::Preflight,
        Scenario::TwentyOrigins,
        Scenario::SubdomainPattern,
        Scenario::TwoOrigins,
        Scenario::DynamicOrigins,
        Scenario::PerTenant,
        Scenario::TenantRouteListed,
    ];
    /// The guard's scenarios, in table order.
    pub const GUARD: [Scenario; 4] = [
        Scenario::GuardSafe,
        Scenario::GuardTrusted,
        Scenario::GuardRefused,
        Scenario::GuardAnnotated,
    ];
    /// The guard's scenarios measured on axum (all but 12), in table order.
    pub const TOWER_GUARD: [Scenario; 3] = [
        Scenario::GuardSafe,
        Scenario::GuardTrusted,
        Scenario::GuardRefused,
    ];

    /// The scenarios measured on the axum setups, in table order.
    pub const TOWER: [Scenario; 6] = [
        Scenario::Allowed,
        Scenario::Disallowed,
        Scenario::NoOrigin,
        Scenario::Preflight,
        Scenario::TwentyOrigins,
        Scenario::SubdomainPattern,
    ];

    /// The actix-web setups this scenario is measured on.
    pub fn setups(self) -> &'static [Setup] {
        if Scenario::GUARD.contains(&self) {
            &Setup::GUARD
        } else if self == Scenario::Allowed {
            &[
                Setup::Bare,
                Setup::CorsCredentials,
                Setup::ActixCors,
                Setup::CookieChecks,
            ]
        } else {
            &Setup::ALL
        }
    }

    /// The axum setups this scenario is measured on (none for 7, 8 and 12).
    pub fn tower_setups(self) -> &'static [Setup] {
        if Scenario::TOWER_GUARD.contains(&self) {
            &Setup::TOWER_GUARD
        } else if self == Scenario::Allowed {
            &[
                Setup::AxumBare,
                Setup::AxumIdentity,
                Setup::AxumCorsCredentials,
                Setup::TowerHttp,
                Setup::AxumCookieChecks,
            ]
        } else if Scenario::TOWER.contains(&self) {
            &Setup::TOWER
        } else {
            &[]
        }
    }

    /// Whether this scenario is measured on `setup`.
    pub fn measured_on(self, setup: Setup) -> bool {
        self.setups().contains(&setup) || self.tower_setups().contains(&setup)
    }

    /// The name used on command lines and in benchmark ids.
    pub fn id(self) -> &'static str {
        match self {
            Scenario::Allowed => "1-allowed",
            Scenario::Disallowed => "2-disallowed",
            Scenario::NoOrigin => "3-no-origin",
            Scenario::Preflight => "4-preflight",
            Scenario::TwentyOrigins => "5-twenty-origins",
            Scenario::SubdomainPattern => "6-subdomain-pattern",
            Scenario::TwoOrigins => "7-two-origins",
            Scenario::DynamicOrigins => "8-dynamic-origins",
            Scenario::GuardSafe => "9-guard-safe",
            Scenario::GuardTrusted => "10-guard-trusted",
            Scenario::GuardRefused => "11-guard-refused",
            Scenario::GuardAnnotated => "12-guard-annotated",
            Scenario::PerTenant => "13-per-tenant",
            Scenario::TenantRouteListed => "14-tenant-route-listed",
        }
    }

    /// The description in the table.
    pub fn title(self) -> &'static str {
        match self {
            Scenario::Allowed => "1. actual request, allowed origin",
            Scenario::Disallowed => "2. actual request, disallowed origin",
            Scenario::NoOrigin => "3. actual request, no Origin",
            Scenario::Preflight => "4. preflight, allowed origin, one header",
            Scenario::TwentyOrigins => "5. actual request, last of 20 origins",
            Scenario::SubdomainPattern => "6. actual request, subdomain pattern",
            Scenario::TwoOrigins => "7. actual request, second of 2 listed origins",
            Scenario::DynamicOrigins => {
                "8. actual request, same origin, last of 10,000 in a dynamic set"
            }
            Scenario::GuardSafe => "9. cross-site GET (safe method)",
            Scenario::GuardTrusted => "10. same-site POST, trusted origin",
            Scenario::GuardRefused => "11. cross-site POST, untrusted origin",
            Scenario::GuardAnnotated => {
                "12. same-site POST its annotated route allows (nothing trusted)"
            }
            Scenario::PerTenant => "13. actual request, last of 10,000 tenants, its own origin",
            Scenario::TenantRouteListed => {
                "14. the request of 13 on its route, listed policy (second of two origins)"
            }
        }
    }

    /// The scenario named `id`.
    pub fn from_id(id: &str) -> Option<Scenario> {
        Scenario::ALL
            .into_iter()
            .chain(Scenario::GUARD)
            .find(|scenario| scenario.id() == id)
    }

    /// A new request of this scenario.
    ///
    /// Header values are `'static` like the shared bytes a server parses
    /// requests into: cloning one costs no allocation, as in production.
    pub fn request(self) -> Request {
        let mut req = Request::new();
        let head = req.head_mut();
        head.method = match self.method() {
            "OPTIONS" => Method::OPTIONS,
            "POST" => Method::POST,
            _ => Method::GET,
        };
        head.uri = Uri::from_static(self.path());
        head.version = Version::HTTP_11;
        let headers = &mut head.headers;
        headers.insert(header::HOST, HeaderValue::from_static(HOST));
        if let Some(origin) = self.origin() {
            headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
        }
        if let Some(site) = self.sec_fetch_site() {
            headers.insert(
                header::HeaderName::from_static("sec-fetch-site"),
                HeaderValue::from_static(site),
            );
        }
        if self == Scenario::Preflight {
            headers.insert(
                header::ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static("GET"),
            );
            headers.insert(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static(REQUEST_HEADER),
            );
        }
        req
    }

    /// The same request as [`request`](Self::request), as an `http` 1.x
    /// request for the axum setups: the same method, URI, version and
    /// headers, in the same order, and an empty body.
    pub fn http_request(self) -> TowerRequest {
        use http::header;
        let mut req = http::Request::new(axum::body::Body::empty());
        *req.method_mut() = match self.method() {
            "OPTIONS" => http::Method::OPTIONS,
            "POST" => http::Method::POST,
            _ => http::Method::GET,
        };
        *req.uri_mut() = http::Uri::from_static(self.path());
        *req.version_mut() = http::Version::HTTP_11;
        let value = http::HeaderValue::from_static;
        let headers = req.headers_mut();
        headers.insert(header::HOST, value(HOST));
        if let Some(origin) = self.origin() {
            headers.insert(header::ORIGIN, value(origin));
        }
        if let Some(site) = self.sec_fetch_site() {
            headers.insert(
                header::HeaderName::from_static("sec-fetch-site"),
                value(site),
            );
        }
        if self == Scenario::Preflight {
            headers.insert(header::ACCESS_CONTROL_REQUEST_METHOD, value("GET"));
            headers.insert(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                value(REQUEST_HEADER),
            );
        }
        req
    }

    /// The request's path: [`TENANT_PATH`] for scenario 12, else [`PATH`].
    fn path(self) -> &'static str {
        match self {
            Scenario::PerTenant | Scenario::TenantRouteListed => TENANT_PATH,
            _ => PATH,
        }
    }

    fn method(self) -> &'static str {
        match self {
            Scenario::Preflight => "OPTIONS",
            Scenario::GuardTrusted | Scenario::GuardRefused | Scenario::GuardAnnotated => "POST",
            _ => "GET",
        }
    }

    fn origin(self) -> Option<&'static str> {
        match self {
            Scenario::Allowed
            | Scenario::Preflight
            | Scenario::GuardTrusted
            | Scenario::GuardAnnotated => Some(ALLOWED),
            Scenario::Disallowed | Scenario::GuardSafe | Scenario::GuardRefused => Some(DISALLOWED),
            Scenario::NoOrigin => None,
            Scenario::TwentyOrigins => Some(TWENTY[TWENTY.len() - 1]),
            Scenario::SubdomainPattern => Some(SUBDOMAIN),
            Scenario::TwoOrigins | Scenario::DynamicOrigins => Some(LAST_DYNAMIC),
            Scenario::PerTenant | Scenario::TenantRouteListed => Some(TENANT_ORIGIN),
        }
    }

    /// What a browser sends with them: `app.example.com` and
    /// `api.example.com` are one site, `evil.example.net` another.
    fn sec_fetch_site(self) -> Option<&'static str> {
        match self {
            Scenario::GuardSafe | Scenario::GuardRefused => Some("cross-site"),
            Scenario::GuardTrusted | Scenario::GuardAnnotated => Some("same-site"),
            _ => None,
        }
    }
}

/// The request of the axum setups.
pub type TowerRequest = http::Request<axum::body::Body>;
/// The response of the axum setups.
pub type TowerResponse = http::Response<axum::body::Body>;

/// A request type the drivers serve, built for a scenario.
pub trait ScenarioRequest {
    /// A new request of `scenario`.
    fn of(scenario: Scenario) -> Self;
}

impl ScenarioRequest for Request {
    fn of(scenario: Scenario) -> Self {
        scenario.request()
    }
}

impl ScenarioRequest for TowerRequest {
    fn of(scenario: Scenario) -> Self {
        scenario.http_request()
    }
}

/// An initialised app, type-erased so every setup of one framework is
/// driven the same way.
pub trait Driver {
    /// The request it serves.
    type Request;
    /// The response it returns.
    type Response;
    /// Serves `req` and drops the response.
    fn serve(&self, req: Self::Request);
    /// Serves `req` and returns the response, for checks.
    fn respond(&self, req: Self::Request) -> Self::Response;
}

/// An actix-web app of [`build`].
pub type ActixDriver = dyn Driver<Request = Request, Response = ServiceResponse<BoxBody>>;
/// An axum `Router` of [`build_tower`].
pub type TowerDriver = dyn Driver<Request = TowerRequest, Response = TowerResponse>;

struct Driven<S>(S);

impl<S, B> Driver for Driven<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Request = Request;
    type Response = ServiceResponse<BoxBody>;

    fn serve(&self, req: Request) {
        drop(complete(self.0.call(req)));
    }

    fn respond(&self, req: Request) -> ServiceResponse<BoxBody> {
        complete(self.0.call(req)).map_into_boxed_body()
    }
}

/// A tower service (an axum `Router`), built once. `Service::call` takes
/// `&mut self`, hence the cell; each request goes through
/// `ServiceExt::oneshot` on the borrowed service: `poll_ready`, then `call`,
/// as a server does, without cloning the router.
struct TowerDriven<S>(RefCell<S>);

impl<S> Driver for TowerDriven<S>
where
    S: tower::Service<TowerRequest, Response = TowerResponse, Error = Infallible>,
{
    type Request = TowerRequest;
    type Response = TowerResponse;

    fn serve(&self, req: TowerRequest) {
        drop(self.respond(req));
    }

    fn respond(&self, req: TowerRequest) -> TowerResponse {
        use tower::ServiceExt;
        let mut service = self.0.borrow_mut();
        complete((&mut *service).oneshot(req))
    }
}

/// Polls a service future once: every setup here answers without waiting.
fn complete<T, E: Display>(fut: impl Future<Output = Result<T, E>>) -> T {
    let fut = pin!(fut);
    match fut.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(res)) => res,
        Poll::Ready(Err(error)) => panic!("the service failed: {error}"),
        Poll::Pending => panic!("the service did not answer at once"),
    }
}

fn driver<S, B>(service: S) -> Box<ActixDriver>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    Box::new(Driven(service))
}

/// Panics unless `setup` is one of `setups`, those `scenario` is measured on.
fn assert_measured(setups: &[Setup], setup: Setup, scenario: Scenario) {
    assert!(
        setups.contains(&setup),
        "{} is not measured on {}",
        scenario.id(),
        setup.id()
    );
}

/// Builds the axum `Router` of `setup` for `scenario`, once, as
/// `axum::serve` would serve it.
///
/// Panics unless `setup` is one of `scenario.tower_setups()`.
pub fn build_tower(setup: Setup, scenario: Scenario) -> Box<TowerDriver> {
    use axum::{routing::get, Router};
    use cors_credentials::tower::{CorsLayer, CrossOriginGuardLayer};
    assert_measured(scenario.tower_setups(), setup, scenario);
    let guarded = Scenario::GUARD.contains(&scenario);
    let route = get(axum_me);
    let identity = tower::layer::util::Identity::new;
    let router: Router = match (setup, scenario) {
        (Setup::AxumBare, _) if guarded => Router::new().route(PATH, route.post(axum_me)),
        (Setup::AxumIdentity, _) if guarded => Router::new()
            .route(PATH, route.post(axum_me))
            .layer(identity()),
        (Setup::AxumIdentity, _) => Router::new().route(PATH, route.layer(identity())),
        (Setup::AxumGuard, _) => Router::new()
            .route(PATH, route.post(axum_me))
            .layer(CrossOriginGuardLayer::new().trust(&GUARD_TRUSTED)),
        (Setup::AxumBare, _) => Router::new().route(PATH, route),
        (Setup::AxumCorsCredentials, _) => {
            let policy = match scenario {
                Scenario::SubdomainPattern => &TOWER_PATTERN,
                Scenario::TwentyOrigins => &TOWER_TWENTY,
                _ => &TOWER,
            };
            Router::new().route(
                PATH,
                route.layer(CorsLayer::new(policy, [http::Method::GET])),
            )
        }
        (Setup::AxumCookieChecks, _) => {
            cors_credentials::diagnostics::enable_cookie_checks(true);
            Router::new().route(
                PATH,
                route.layer(CorsLayer::new(&TOWER, [http::Method::GET])),
            )
        }
        (Setup::TowerHttp, _) => {
            let layer = match scenario {
                Scenario::SubdomainPattern => tower_http_pattern(),
                Scenario::TwentyOrigins => tower_http_list(&TWENTY),
                _ => tower_http_list(&[ALLOWED]),
            };
            Router::new().route(PATH, route.layer(layer))
        }
        _ => unreachable!("checked above"),
    };
    // `with_state` turns every handler into a route once, as
    // `Router::into_make_service` (and so `axum::serve`) does; without it
    // each request would build its route again.
    Box::new(TowerDriven(RefCell::new(router.with_state(()))))
}

/// Builds the app of `setup` for `scenario`, as `actix_web::test::init_service` does.
///
/// For scenario 8 it gives [`TENANTS`] its 10,000 origins first, for
/// scenario 13 [`PER_TENANT`] its 10,000 tenants.
///
/// Panics unless `setup` is one of `scenario.setups()`.
pub fn build(setup: Setup, scenario: Scenario) -> Box<ActixDriver> {
    use Scenario::{DynamicOrigins, SubdomainPattern, TwentyOrigins, TwoOrigins};
    assert_measured(scenario.setups(), setup, scenario);
    if (setup, scenario) == (Setup::CorsCredentials, DynamicOrigins) {
        TENANTS.set_origins(dynamic_origins()).expect("a valid set");
    }
    if (setup, scenario) == (Setup::CorsCredentials, Scenario::PerTenant) {
        PER_TENANT
            .set_all_tenant_origins(tenant_snapshot())
            .expect("a valid snapshot");
    }
    let guarded = Scenario::GUARD.contains(&scenario);
    actix_web::rt::System::new().block_on(async move {
        match (setup, scenario) {
            (Setup::Bare, Scenario::GuardAnnotated) => {
                driver(test::init_service(App::new().service(annotated_post)).await)
            }
            (Setup::Guard, Scenario::GuardAnnotated) => driver(
                test::init_service(
                    App::new()
                        .wrap(CrossOriginGuard::new())
                        .service(annotated_post),
                )
                .await,
            ),
            (Setup::Bare, _) if guarded => {
                driver(test::init_service(App::new().configure(get_then_post)).await)
            }
            (Setup::Guard, _) => driver(
                test::init_service(
                    App::new()
                        .wrap(CrossOriginGuard::new().trust(&GUARD_TRUSTED))
                        .configure(get_then_post),
                )
                .await,
            ),
            (Setup::Bare, Scenario::PerTenant | Scenario::TenantRouteListed) => {
                driver(test::init_service(App::new().service(bare_tenant_me)).await)
            }
            (Setup::Bare, _) => driver(test::init_service(App::new().service(bare_me)).await),
            (Setup::CorsCredentials, TwentyOrigins) => {
                driver(test::init_service(App::new().service(annotated_me_twenty)).await)
            }
            (Setup::CorsCredentials, SubdomainPattern) => {
                driver(test::init_service(App::new().service(annotated_me_pattern)).await)
            }
            (Setup::CorsCredentials, TwoOrigins) => {
                driver(test::init_service(App::new().service(annotated_me_two)).await)
            }
            (Setup::CorsCredentials, Scenario::PerTenant) => {
                driver(test::init_service(App::new().service(annotated_tenant_me)).await)
            }
            (Setup::CorsCredentials, Scenario::TenantRouteListed) => {
                driver(test::init_service(App::new().service(annotated_tenant_me_listed)).await)
            }
            (Setup::CorsCredentials, DynamicOrigins) => {
                driver(test::init_service(App::new().service(annotated_me_dynamic)).await)
            }
            (Setup::CorsCredentials, _) => {
                driver(test::init_service(App::new().service(annotated_me)).await)
            }
            (Setup::CookieChecks, _) => {
                cors_credentials::diagnostics::enable_cookie_checks(true);
                driver(test::init_service(App::new().service(annotated_me)).await)
            }
            (Setup::ActixCors, TwentyOrigins) => driver(
                test::init_service(App::new().wrap(actix_cors(&TWENTY)).service(bare_me)).await,
            ),
            (Setup::ActixCors, SubdomainPattern) => driver(
                test::init_service(App::new().wrap(actix_cors_pattern()).service(bare_me)).await,
            ),
            (Setup::ActixCors, TwoOrigins) => driver(
                test::init_service(
                    App::new()
                        .wrap(actix_cors(&[ALLOWED, LAST_DYNAMIC]))
                        .service(bare_me),
                )
                .await,
            ),
            // actix-cors has no tenants: the route's own origin, listed.
            (Setup::ActixCors, Scenario::PerTenant | Scenario::TenantRouteListed) => driver(
                test::init_service(
                    App::new()
                        .wrap(actix_cors(&[TENANT_ORIGIN]))
                        .service(bare_tenant_me),
                )
                .await,
            ),
            (Setup::ActixCors, DynamicOrigins) => {
                let origins = dynamic_origins();
                let origins: Vec<&str> = origins.iter().map(String::as_str).collect();
                driver(
                    test::init_service(App::new().wrap(actix_cors(&origins)).service(bare_me))
                        .await,
                )
            }
            (Setup::ActixCors, _) => driver(
                test::init_service(App::new().wrap(actix_cors(&[ALLOWED])).service(bare_me)).await,
            ),
            _ => unreachable!("checked above"),
        }
    })
}

/// The measured work: one request through routing, CORS and the handler,
/// and the response dropped. Never inlined, so `callgrind --toggle-collect`
/// can count exactly this.
#[inline(never)]
pub fn measured_request<D: Driver + ?Sized>(driver: &D, req: D::Request) {
    driver.serve(req);
}

/// Requests are built in batches this small so actix-web's pools (128 request
/// heads, 128 response heads) recycle them as they do in a server.
pub const BATCH: usize = 64;
/// Requests served before anything is counted, to fill the pools.
pub const WARM_UP: usize = 256;

/// Serves `count` requests of `scenario` through [`measured_request`],
/// building each batch of requests beforehand.
pub fn run<D: Driver + ?Sized>(driver: &D, scenario: Scenario, count: usize)
where
    D::Request: ScenarioRequest,
{
    run_counting(driver, scenario, count, || 0);
}

/// Builds the app of `setup` for `scenario` ([`build`] or [`build_tower`])
/// and serves `count` requests through [`run`].
pub fn build_and_run(setup: Setup, scenario: Scenario, count: usize) {
    if setup.is_tower() {
        run(&*build_tower(setup, scenario), scenario, count);
    } else {
        run(&*build(setup, scenario), scenario, count);
    }
}

/// [`run`], adding up `probe()` differences around each measured request.
fn run_counting<D: Driver + ?Sized>(
    driver: &D,
    scenario: Scenario,
    count: usize,
    probe: impl Fn() -> u64,
) -> u64
where
    D::Request: ScenarioRequest,
{
    let mut total = 0;
    let mut left = count;
    let mut batch = Vec::with_capacity(BATCH);
    while left > 0 {
        let n = left.min(BATCH);
        batch.extend((0..n).map(|_| D::Request::of(scenario)));
        for req in batch.drain(..) {
            let before = probe();
            measured_request(driver, req);
            total += probe() - before;
        }
        left -= n;
    }
    total
}

/// Heap allocations per request of `scenario` on `setup`: after warm-up, the
/// allocations of `2n` requests minus those of `n`, divided by `n`.
///
/// Panics unless [`CountingAlloc`] is the global allocator.
///
/// [`CountingAlloc`]: test_support::alloc::CountingAlloc
pub fn allocations_per_request(setup: Setup, scenario: Scenario, n: usize) -> f64 {
    assert_counting();
    if setup.is_tower() {
        allocations_of(&*build_tower(setup, scenario), scenario, n)
    } else {
        allocations_of(&*build(setup, scenario), scenario, n)
    }
}

fn allocations_of<D: Driver + ?Sized>(driver: &D, scenario: Scenario, n: usize) -> f64
where
    D::Request: ScenarioRequest,
{
    run(driver, scenario, WARM_UP);
    let small = run_counting(driver, scenario, n, allocations);
    let large = run_counting(driver, scenario, 2 * n, allocations);
    (large as f64 - small as f64) / n as f64
}

#[cfg(test)]
mod tests {
    use super::is_subdomain_of_example_com as allowed;

    #[test]
    fn actix_cors_origin_function_matches_the_pattern() {
        assert!(allowed(b"https://tenant7.example.com"));
        assert!(allowed(b"https://a.b.example.com"));
        for refused in [
            &b"https://example.com"[..],
            b"https://.example.com",
            b"http://tenant7.example.com",
            b"https://tenant7.example.com.evil.net",
            b"https://evilexample.com",
            b"https://-a.example.com",
            b"https://A.example.com",
            b"https://a..example.com",
        ] {
            assert!(!allowed(refused), "{}", refused.escape_ascii());
        }
    }
}
