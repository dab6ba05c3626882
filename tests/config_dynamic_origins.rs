//! `origins: dynamic`: origins given and replaced at run time with
//! `Policy::set_origins`, checked with the compiler's rules.
//!
//! Every test declares its own policy, so no test sees another's origins.

use actix_web::{dev::ServiceResponse, get, http::Method, test as atest, App, Responder};
use cors_credentials::{cors_credentials, policy, MAX_DYNAMIC_ORIGINS, MAX_ORIGIN_LEN};
use test_support::{
    headers::{assert_allowed, assert_no_allow_headers},
    log::Capture,
    swap::{Swapper, MIN_SWAPS},
};

policy! {
    /// Fail-closed start.
    UNSET = { origins: dynamic };
    /// Swapped by a test.
    SWAPPED = { origins: dynamic };
    /// Refused entries.
    CHECKED = { origins: dynamic };
    /// Plain http allowed.
    INSECURE = { origins: dynamic, allow_insecure_http_origins: true };
    /// Swapped while requests run.
    RACED = { origins: dynamic, headers: ["content-type"] };
}

#[cors_credentials(policy = UNSET)]
#[get("/unset")]
async fn unset() -> impl Responder {
    "unset"
}

#[cors_credentials(policy = SWAPPED)]
#[get("/swapped")]
async fn swapped() -> impl Responder {
    "swapped"
}

#[cors_credentials(policy = RACED)]
#[get("/raced")]
async fn raced() -> impl Responder {
    "raced"
}

async fn get(
    app: &impl actix_web::dev::Service<
        actix_http::Request,
        Response = ServiceResponse,
        Error = actix_web::Error,
    >,
    path: &str,
    origin: Option<&str>,
) -> ServiceResponse {
    let mut req = atest::TestRequest::get()
        .uri(path)
        .insert_header(("host", "api.example.com"));
    if let Some(origin) = origin {
        req = req.insert_header(("origin", origin));
    }
    atest::call_service(app, req.to_request()).await
}

#[actix_web::test]
async fn until_set_cross_origin_requests_are_refused_and_others_served() {
    let capture = Capture::start();
    let app = atest::init_service(App::new().service(unset)).await;
    let res = get(&app, "/unset", Some("https://app.example.com")).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
    assert_eq!(
        atest::read_body(res).await,
        "CORS request refused: origins not set yet\n"
    );
    let logged = capture.on_this_thread();
    assert!(
        logged.iter().any(|record| record
            .message
            .contains("until the policy's origins are set")),
        "{logged:?}"
    );
    // Same-origin and no-`Origin` requests are served.
    let res = get(&app, "/unset", Some("http://api.example.com")).await;
    assert_eq!(res.status(), 200);
    assert_no_allow_headers(&res);
    assert_eq!(get(&app, "/unset", None).await.status(), 200);
    // A preflight is refused too.
    let req = atest::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/unset")
        .insert_header(("origin", "https://app.example.com"))
        .insert_header(("access-control-request-method", "GET"))
        .to_request();
    let res = atest::call_service(&app, req).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);
}

#[actix_web::test]
async fn a_set_is_used_and_replaced_whole() {
    let app = atest::init_service(App::new().service(swapped)).await;
    SWAPPED
        .set_origins(["https://a.example.com", "https://*.tenants.example.com"])
        .unwrap();
    for origin in ["https://a.example.com", "https://acme.tenants.example.com"] {
        let res = get(&app, "/swapped", Some(origin)).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
    let res = get(&app, "/swapped", Some("https://b.example.com")).await;
    assert_eq!(res.status(), 403);

    // `String`s and `&String`s are entries too.
    let next = vec!["https://b.example.com".to_owned()];
    SWAPPED.set_origins(&next).unwrap();
    SWAPPED.set_origins(next).unwrap();
    let res = get(&app, "/swapped", Some("https://b.example.com")).await;
    assert_allowed(&res, "https://b.example.com");
    for origin in ["https://a.example.com", "https://acme.tenants.example.com"] {
        let res = get(&app, "/swapped", Some(origin)).await;
        assert_eq!(res.status(), 403, "{origin}");
        assert_no_allow_headers(&res);
    }
}

#[test]
fn a_bad_entry_refuses_the_new_set_with_the_compilers_message() {
    CHECKED.set_origins(["https://ok.example.com"]).unwrap();
    let error = CHECKED
        .set_origins(["https://new.example.com", "https://admin.example.com/"])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "CHECKED: entry 2 (`https://admin.example.com/`): origin `https://admin.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://admin.example.com`?"
    );
    for (entries, message) in [
        (
            vec!["*"],
            "wildcard origin `*` cannot be used with credentials",
        ),
        (vec!["null"], "origin `null` is refused"),
        (vec!["https://*.com"], "public suffix"),
        (vec!["http://app.example.com"], "plain-http origin"),
        (
            vec!["https://a.example.com", "https://a.example.com"],
            "entry 2 (`https://a.example.com`): duplicate origin",
        ),
        (vec![], "CHECKED: empty: give at least one origin"),
    ] {
        let error = CHECKED.set_origins(&entries).unwrap_err().to_string();
        assert!(error.contains(message), "{entries:?}: {error}");
    }
    // The set before the refused ones is still the current one.
    let system = actix_web::rt::System::new();
    system.block_on(async {
        #[cors_credentials(policy = CHECKED)]
        #[get("/checked")]
        async fn checked() -> impl Responder {
            "checked"
        }
        let app = atest::init_service(App::new().service(checked)).await;
        let res = get(&app, "/checked", Some("https://ok.example.com")).await;
        assert_allowed(&res, "https://ok.example.com");
        let res = get(&app, "/checked", Some("https://new.example.com")).await;
        assert_eq!(res.status(), 403);
    });
}

#[test]
fn plain_http_needs_the_policys_opt_in() {
    policy! { STRICT = { origins: dynamic } }
    INSECURE.set_origins(["http://app.example.com"]).unwrap();
    let error = STRICT
        .set_origins(["http://app.example.com"])
        .unwrap_err()
        .to_string();
    assert!(error.contains("plain-http origin"), "{error}");
}

#[test]
fn sets_are_bounded() {
    policy! { BOUNDED = { origins: dynamic } }
    let many: Vec<String> = (0..=MAX_DYNAMIC_ORIGINS)
        .map(|i| format!("https://t{i}.example.com"))
        .collect();
    let error = BOUNDED.set_origins(&many).unwrap_err().to_string();
    assert!(error.contains("more than 100000 origins"), "{error}");
    BOUNDED.set_origins(&many[..MAX_DYNAMIC_ORIGINS]).unwrap();
    let long = format!("https://{}.example.com", "a".repeat(MAX_ORIGIN_LEN));
    let error = BOUNDED
        .set_origins(["https://ok.example.com", long.as_str()])
        .unwrap_err()
        .to_string();
    assert!(error.contains("entry 2 is"), "{error}");
}

#[test]
fn fixed_policies_refuse_set_origins() {
    policy! { FIXED = { origins: ["https://app.example.com"] } }
    let error = FIXED.set_origins(["https://b.example.com"]).unwrap_err();
    assert!(error
        .to_string()
        .contains("declare it with `origins: dynamic`"));
}

#[actix_web::test]
async fn requests_during_swaps_are_decided_by_one_set() {
    const A: &str = "https://a.example.com";
    const B: &str = "https://b.example.com";
    const NEITHER: &str = "https://c.example.com";
    RACED.set_origins([A]).unwrap();
    let swapper = Swapper::start(|n| RACED.set_origins([[B, A][n % 2]]).unwrap());
    let app = atest::init_service(App::new().service(raced)).await;
    let (mut a, mut b) = (0, 0);
    let mut round = 0;
    while swapper.keep_going(round, 2000) {
        let origin = [A, B, NEITHER][round % 3];
        let res = get(&app, "/raced", Some(origin)).await;
        match res.status().as_u16() {
            200 => {
                assert_ne!(origin, NEITHER);
                // The echoed origin is the request's, never the other set's.
                assert_allowed(&res, origin);
                if origin == A {
                    a += 1
                } else {
                    b += 1
                }
            }
            403 => assert_no_allow_headers(&res),
            status => panic!("{origin}: {status}"),
        }
        round += 1;
    }
    let swaps = swapper.stop();
    assert!(swaps >= MIN_SWAPS);
    eprintln!("{swaps} swaps; allowed {a} from A and {b} from B");
}
