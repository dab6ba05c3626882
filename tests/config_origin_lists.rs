//! `OriginList` (feature `serde`): origin lists checked while a
//! configuration is deserialized, with the messages of `set_origins`, and
//! given to a dynamic policy without being checked again.
//!
//! Every test declares its own policies.

use actix_web::{get, test as atest, App, Responder};
use cors_credentials::{
    cors_credentials, policy,
    test_hooks::{origins, Lookup},
    OriginList, Policy, MAX_DYNAMIC_ORIGINS, MAX_ORIGIN_LEN,
};
use serde::{Deserialize, Serialize};
use test_support::headers::{assert_allowed, assert_no_allow_headers};

/// A configuration file's format.
#[derive(Debug, Deserialize, Serialize)]
struct Config {
    origins: OriginList,
}

/// The same, for a policy with the plain-http opt-in.
#[derive(Debug, Deserialize)]
struct InsecureConfig {
    origins: OriginList<true>,
}

/// Whether `policy`'s current set allows `origin`.
fn allows(policy: &Policy, origin: &str) -> bool {
    origins(policy).lookup(origin.as_bytes()) == Lookup::Allowed
}

fn load(json: &str) -> Result<Config, String> {
    serde_json::from_str(json).map_err(|error| error.to_string())
}

/// The JSON of a configuration listing `entries`.
fn json(entries: &[&str]) -> String {
    serde_json::json!({ "origins": entries }).to_string()
}

#[actix_web::test]
async fn a_good_list_is_loaded_and_set_without_a_second_check() {
    policy! { LOADED = { origins: dynamic } }
    #[cors_credentials(policy = LOADED)]
    #[get("/loaded")]
    async fn loaded() -> impl Responder {
        "loaded"
    }
    let config =
        load(r#"{"origins": ["https://acme.example", "https://*.globex.example"]}"#).unwrap();
    assert_eq!(
        config.origins.entries(),
        ["https://acme.example", "https://*.globex.example"]
    );
    LOADED.set_checked_origins(&config.origins).unwrap();
    let app = atest::init_service(App::new().service(loaded)).await;
    for origin in ["https://acme.example", "https://shop.globex.example"] {
        let req = atest::TestRequest::get()
            .uri("/loaded")
            .insert_header(("origin", origin))
            .to_request();
        let res = atest::call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{origin}");
        assert_allowed(&res, origin);
    }
    let req = atest::TestRequest::get()
        .uri("/loaded")
        .insert_header(("origin", "https://globex.example"))
        .to_request();
    let res = atest::call_service(&app, req).await;
    assert_eq!(res.status(), 403);
    assert_no_allow_headers(&res);

    // `&OriginList` is a list of `&str` for `set_origins` too.
    LOADED.set_origins(&config.origins).unwrap();
    // Serialized as written.
    assert_eq!(
        serde_json::to_string(&config).unwrap(),
        r#"{"origins":["https://acme.example","https://*.globex.example"]}"#
    );
}

#[test]
fn a_bad_entry_fails_the_load_with_set_origins_message() {
    policy! { COMPARED = { origins: dynamic } }
    for entries in [
        &["https://app.example.com", "https://admin.example.com/"][..],
        &["https://app.example.com", "*"],
        &["null"],
        &["https://*.com"],
        &["https://a.example.com", "http://b.example.com"],
        &[
            "https://a.example.com",
            "https://b.example.com",
            "https://a.example.com",
        ],
        &["https://a.example.com", "HTTPS://B.example.com"],
        &[],
    ] {
        let loaded = load(&json(entries)).unwrap_err();
        let set = COMPARED.set_origins(entries).unwrap_err().to_string();
        let expected = set.strip_prefix("COMPARED: ").unwrap();
        // serde_json adds where in the text the value ends.
        let (message, location) = loaded.rsplit_once(" at line ").unwrap();
        assert_eq!(message, expected, "{entries:?}");
        assert!(location.starts_with("1 column "), "{loaded}");
    }
    assert_eq!(
        load(&json(&["https://app.example.com", "https://admin.example.com/"])).unwrap_err(),
        "entry 2 (`https://admin.example.com/`): origin `https://admin.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://admin.example.com`? at line 1 column 67"
    );
    assert!(load(&json(&[
        "https://a.example.com",
        "https://b.example.com",
        "https://a.example.com"
    ]))
    .unwrap_err()
    .starts_with("entry 3 (`https://a.example.com`): duplicate origin"));
    assert!(load(&json(&[]))
        .unwrap_err()
        .starts_with("empty: give at least one origin"));
    // `OriginList::new` has the same messages.
    assert_eq!(
        OriginList::new(["https://a.example.com", "https://b.example.com/"])
            .unwrap_err()
            .to_string(),
        COMPARED
            .set_origins(["https://a.example.com", "https://b.example.com/"])
            .unwrap_err()
            .to_string()
            .strip_prefix("COMPARED: ")
            .unwrap()
    );
}

#[test]
fn a_value_of_another_type_is_refused() {
    let error = load(r#"{"origins": "https://acme.example"}"#).unwrap_err();
    assert_eq!(
        error,
        r#"invalid type: string "https://acme.example", expected a list of origins, e.g. ["https://app.example.com"] at line 1 column 34"#
    );
    let error = load(r#"{"origins": ["https://acme.example", 3]}"#).unwrap_err();
    assert_eq!(
        error,
        r#"invalid type: integer `3`, expected entry 2 of the list of origins to be a string, e.g. "https://app.example.com" at line 1 column 38"#
    );
    let error = load(r#"{"origins": [["https://acme.example"]]}"#).unwrap_err();
    assert!(
        error.starts_with("invalid type: sequence, expected entry 1 of the list"),
        "{error}"
    );
    assert!(load(r#"{"origins": null}"#)
        .unwrap_err()
        .starts_with("invalid type: null, expected a list of origins"));
}

#[test]
fn the_bounds_hold_while_deserializing() {
    let many: Vec<String> = (0..=MAX_DYNAMIC_ORIGINS)
        .map(|i| format!("https://t{i}.example.com"))
        .collect();
    let too_many = serde_json::json!({ "origins": many }).to_string();
    let error = load(&too_many).unwrap_err();
    assert!(
        error.starts_with(&format!(
            "more than {MAX_DYNAMIC_ORIGINS} origins; the set is limited to {MAX_DYNAMIC_ORIGINS} entries"
        )),
        "{error}"
    );
    let most = serde_json::json!({ "origins": &many[..MAX_DYNAMIC_ORIGINS] }).to_string();
    assert_eq!(
        load(&most).unwrap().origins.entries().len(),
        MAX_DYNAMIC_ORIGINS
    );

    let longest = format!("https://{}.example", "a".repeat(MAX_ORIGIN_LEN - 16));
    assert_eq!(longest.len(), MAX_ORIGIN_LEN);
    let long = format!("https://{}.example", "a".repeat(MAX_ORIGIN_LEN - 15));
    let error = load(&json(&["https://ok.example.com", &long])).unwrap_err();
    assert!(
        error.starts_with(&format!(
            "entry 2 is {} bytes long, more than {MAX_ORIGIN_LEN}: no origin is that long",
            MAX_ORIGIN_LEN + 1
        )),
        "{error}"
    );
    // At the limit the bound lets the entry through to the rules.
    assert_eq!(
        load(&json(&[&longest])).unwrap().origins.entries(),
        [longest.as_str()]
    );
}

#[test]
fn plain_http_needs_the_opt_in_of_the_list_and_of_the_policy() {
    policy! {
        STRICT = { origins: dynamic };
        INSECURE = { origins: dynamic, allow_insecure_http_origins: true }
    }
    let error = load(&json(&["http://intranet.example.com"])).unwrap_err();
    assert!(
        error.starts_with("entry 1 (`http://intranet.example.com`): plain-http origin"),
        "{error}"
    );
    let insecure: InsecureConfig = serde_json::from_str(&json(&[
        "https://a.example.com",
        "http://intranet.example.com",
    ]))
    .unwrap();
    INSECURE.set_checked_origins(&insecure.origins).unwrap();

    // A list checked with plain http allowed is checked again by a policy
    // without the opt-in, and refused: the current set stays.
    STRICT
        .set_checked_origins(&OriginList::new(["https://a.example.com"]).unwrap())
        .unwrap();
    let error = STRICT
        .set_checked_origins(&insecure.origins)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("STRICT: entry 2 (`http://intranet.example.com`): plain-http origin"),
        "{error}"
    );
    assert!(allows(&STRICT, "https://a.example.com"));
    assert!(!allows(&STRICT, "http://intranet.example.com"));
    // Without plain http, such a list is taken as it is.
    let https_only = OriginList::with_insecure_http(["https://b.example.com"]).unwrap();
    STRICT.set_checked_origins(&https_only).unwrap();
    assert!(allows(&STRICT, "https://b.example.com"));
    assert!(!allows(&STRICT, "https://a.example.com"));
    // A strict list suits a policy with the opt-in.
    assert!(allows(&INSECURE, "http://intranet.example.com"));
    INSECURE
        .set_checked_origins(&OriginList::new(["https://c.example.com"]).unwrap())
        .unwrap();
    assert!(allows(&INSECURE, "https://c.example.com"));
    assert!(!allows(&INSECURE, "http://intranet.example.com"));
}

#[test]
fn fixed_policies_refuse_a_checked_list() {
    policy! { FIXED = { origins: ["https://app.example.com"] } }
    let error = FIXED
        .set_checked_origins(&OriginList::new(["https://b.example.com"]).unwrap())
        .unwrap_err();
    assert!(error
        .to_string()
        .contains("declare it with `origins: dynamic`"));
}
