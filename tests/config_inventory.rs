//! `cors_credentials::inventory()`: every annotated handler of the program,
//! recorded at compile time. This binary's handlers are all below, so the
//! inventory is known in full.

// `put` is used under `#[routes]`, which rustc does not see as a use.
#[allow(unused_imports)]
use actix_web::put;
use actix_web::{get, post, routes, web, App, HttpResponse, Responder};
use cors_credentials::{
    cors_credentials, inventory, policy, test_hooks::origins, OriginSource, Site,
};

policy! {
    /// Shared by two handlers.
    pub API = { origins: ["https://app.example.com", "https://*.tenants.example.com"] };

    /// Read from the environment: never loaded in this binary.
    pub FROM_ENV = { origins: env("CORS_INVENTORY_TEST_ORIGINS") };

    /// Given at run time, by `dynamic_sets_show_their_current_origins` only.
    pub TENANTS = { origins: dynamic };
}

#[cors_credentials(origins = ["https://app.example.com", "http://localhost:3000"])]
#[get("/api/me")]
async fn me() -> impl Responder {
    "me"
}

#[cors_credentials(policy = API)]
#[routes]
#[get("/api/items")]
#[post("/api/items")]
#[put("/api/items/{id}")]
async fn items() -> impl Responder {
    "items"
}

#[cors_credentials(policy = API, max_age = 60)]
#[post("/api/upload")]
async fn upload() -> impl Responder {
    "uploaded"
}

#[cors_credentials(policy = FROM_ENV)]
#[post("/api/env")]
async fn from_env() -> impl Responder {
    "env"
}

#[cors_credentials(policy = TENANTS)]
#[get("/api/tenant")]
async fn tenant() -> impl Responder {
    "tenant"
}

#[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "DELETE"])]
async fn by_hand() -> HttpResponse {
    HttpResponse::Ok().finish()
}

const MODULE: &str = "config_inventory";

#[test]
fn every_route_is_recorded_with_what_its_attribute_says() {
    let routes: Vec<_> = inventory().iter().collect();
    // Path, methods, handler, policy name, whether it overrides the policy.
    type Summary<'a> = (
        Option<&'a str>,
        Vec<&'a str>,
        &'a str,
        Option<&'a str>,
        bool,
    );
    let summary: Vec<Summary<'_>> = routes
        .iter()
        .map(|route| {
            assert_eq!(route.module(), MODULE);
            (
                route.path(),
                route.methods().to_vec(),
                route.handler(),
                route.policy_name(),
                route.overrides_policy(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Some("/api/env"),
                vec!["POST"],
                "from_env",
                Some("FROM_ENV"),
                false
            ),
            (
                Some("/api/items"),
                vec!["GET", "POST"],
                "items",
                Some("API"),
                false
            ),
            (
                Some("/api/items/{id}"),
                vec!["PUT"],
                "items",
                Some("API"),
                false
            ),
            (Some("/api/me"), vec!["GET"], "me", None, false),
            (
                Some("/api/tenant"),
                vec!["GET"],
                "tenant",
                Some("TENANTS"),
                false
            ),
            (
                Some("/api/upload"),
                vec!["POST"],
                "upload",
                Some("API"),
                true
            ),
            (None, vec!["GET", "DELETE"], "by_hand", None, false),
        ]
    );
}

#[test]
fn origins_are_listed_in_canonical_form() {
    let inventory = inventory();
    let route = |handler: &str| {
        inventory
            .iter()
            .find(|route| route.handler() == handler)
            .unwrap()
    };
    assert_eq!(route("me").origin_source(), OriginSource::Listed);
    // Exact origins in lookup order (length, then bytes), then patterns.
    assert_eq!(
        route("me").origins(),
        ["http://localhost:3000", "https://app.example.com"]
    );
    assert_eq!(
        route("upload").origins(),
        ["https://app.example.com", "https://*.tenants.example.com"]
    );
    assert_eq!(
        route("from_env").origin_source(),
        OriginSource::Env("CORS_INVENTORY_TEST_ORIGINS")
    );
    assert!(route("from_env").origins().is_empty());
    // Handlers of one policy share its origin set.
    assert!(origins(route("items").policy()).is_same_set(origins(route("upload").policy())));
}

#[test]
fn dynamic_sets_show_their_current_origins() {
    let current = || {
        inventory()
            .iter()
            .find(|route| route.handler() == "tenant")
            .unwrap()
            .origins()
    };
    let route = inventory()
        .iter()
        .find(|route| route.handler() == "tenant")
        .unwrap();
    assert_eq!(route.origin_source(), OriginSource::Dynamic("TENANTS"));
    assert!(current().is_empty());
    TENANTS
        .set_origins([
            "https://b.example.com",
            "https://*.a.example.com",
            "https://a.example.com",
        ])
        .unwrap();
    assert_eq!(
        current(),
        [
            "https://a.example.com",
            "https://b.example.com",
            "https://*.a.example.com"
        ]
    );
}

#[test]
fn the_inventory_can_be_narrowed() {
    let only_api = inventory().filter(|route| route.policy_name() == Some("API"));
    let handlers: Vec<_> = only_api.iter().map(|route| route.handler()).collect();
    assert_eq!(handlers, ["items", "items", "upload"]);
    assert_eq!(only_api.len(), 3);
    assert!(inventory().filter(|_| false).is_empty());
    assert_eq!(
        only_api.to_string().lines().count(),
        4,
        "a header and 3 routes"
    );
}

#[test]
fn the_inventory_formats_as_a_table() {
    // The dynamic row depends on whether another test has set it by now.
    let table: String = inventory()
        .to_string()
        .lines()
        .filter(|line| !line.contains("::tenant "))
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    assert_eq!(
        table,
        "\
PATH             METHODS      HANDLER                     POLICY           ORIGINS
/api/env         POST         config_inventory::from_env  FROM_ENV         env(\"CORS_INVENTORY_TEST_ORIGINS\"), not loaded
/api/items       GET, POST    config_inventory::items     API              https://app.example.com, https://*.tenants.example.com
/api/items/{id}  PUT          config_inventory::items     API              https://app.example.com, https://*.tenants.example.com
/api/me          GET          config_inventory::me        -                http://localhost:3000, https://app.example.com
/api/upload      POST         config_inventory::upload    API + overrides  https://app.example.com, https://*.tenants.example.com
(by hand)        GET, DELETE  config_inventory::by_hand   -                https://app.example.com
"
    );
}

#[test]
fn the_inventory_says_which_origins_are_cross_site_to_the_api() {
    let api = inventory()
        .filter(|route| route.policy_name() == Some("API") || route.handler() == "me")
        .with_public_origin("https://api.example.com")
        .unwrap();
    assert_eq!(api.public_origin(), Some("https://api.example.com"));
    assert_eq!(api.site("https://app.example.com"), Some(Site::Same));
    assert_eq!(api.site("https://*.tenants.example.com"), Some(Site::Same));
    // Another scheme is another site.
    assert_eq!(api.site("http://localhost:3000"), Some(Site::Cross));
    assert_eq!(api.site("http://api.example.com"), Some(Site::Cross));
    assert_eq!(api.site("https://app.example.net"), Some(Site::Cross));
    assert_eq!(inventory().site("https://app.example.com"), None);
    let table: Vec<String> = api
        .to_string()
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect();
    assert_eq!(
        table,
        [
            "PATH             METHODS    HANDLER                   POLICY           ORIGINS",
            "/api/items       GET, POST  config_inventory::items   API              https://app.example.com, https://*.tenants.example.com",
            "/api/items/{id}  PUT        config_inventory::items   API              https://app.example.com, https://*.tenants.example.com",
            "/api/me          GET        config_inventory::me      -                http://localhost:3000 (cross-site: third-party cookies), https://app.example.com",
            "/api/upload      POST       config_inventory::upload  API + overrides  https://app.example.com, https://*.tenants.example.com",
            "the API is served at https://api.example.com: on the pages of the origins marked third-party, its cookies are third-party cookies, which need `SameSite=None; Secure` and which Safari blocks and Firefox partitions; serve the API under their site, or use `Partitioned` cookies",
        ]
    );
    let same_site = inventory()
        .filter(|route| route.policy_name() == Some("API"))
        .with_public_origin("https://api.example.com:8443")
        .unwrap();
    assert_eq!(
        same_site.public_origin(),
        Some("https://api.example.com:8443")
    );
    assert!(same_site.to_string().ends_with(
        "the API is served at https://api.example.com:8443: every allowed origin is same-site, so its cookies are first-party on their pages\n"
    ));
    let refused = inventory()
        .with_public_origin("https://api.example.com/v1")
        .unwrap_err();
    assert!(
        refused.to_string().starts_with("public origin: "),
        "{refused}"
    );
}

#[actix_web::test]
async fn recorded_handlers_serve_as_usual() {
    use actix_web::test;
    let app = test::init_service(
        App::new()
            .service(me)
            .service(items)
            .service(upload)
            .service(tenant)
            .service(
                web::resource("/by-hand")
                    .wrap(by_hand::cors())
                    .route(web::get().to(by_hand)),
            ),
    )
    .await;
    for path in ["/api/me", "/api/items", "/by-hand"] {
        let req = test::TestRequest::get()
            .uri(path)
            .insert_header(("origin", "https://app.example.com"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            "https://app.example.com"
        );
    }
}
