//! Tenants: one tenant's front end cannot use another tenant's session,
//! the origins of each given at run time as the `tenants_postgres` example
//! gives them (`TenantOrigins`; no database here, the synchronisation with
//! PostgreSQL is `tests/example_tenants_fleet.rs`'s). Tests named
//! `tenants::scenario::engine`.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use actix_web::{
    cookie::{Cookie, SameSite},
    get, guard, post, put, rt, web, App, HttpRequest, HttpResponse, HttpServer, Responder,
};
use cors_credentials::{cors_credentials, policy, ConfigError, Policy};
use cors_credentials_examples::tenants_postgres::{TenantOrigins, CLOSED};
use serde_json::{json, Value};
use test_support::browser::{self, loopback_listener, port, Browser, Engine, ThirdPartyCookies};

in_engines! {
    tenant_page_cannot_read_or_change_another_tenants_data: [chromium, firefox, webkit];
}

fn engine(name: &str) -> Engine {
    super::engine(name)
}

/// Two tenants of one API (`/tenants/{tenant}/…`), each with its own front
/// end on its own origin, their origins given at run time through the
/// `tenants_postgres` example's `TenantOrigins`. A user of tenant `globex`
/// logs in from globex's page; then acme's page, whose origin the API does
/// allow on acme's routes, calls globex's routes with that user's cookie:
/// the browser hides the answers, the server refuses them with `403` before
/// any handler runs, and globex's data stays unchanged.
///
/// The session cookie is `SameSite=Lax` without `Secure` (the pages and the
/// API are on `localhost`, one site): WebKitGTK keeps it, so this runs in
/// the three engines.
fn tenant_page_cannot_read_or_change_another_tenants_data(engine: Engine) {
    run(engine);
}

// ---------------------------------------------------------------------------
// Interim wiring, until policies hold one origin set per tenant: a
// dynamic policy per tenant, its routes chosen by a path guard. With
// `origins: per_tenant, tenant: path("tenant")` this block becomes one
// policy, one set of routes without the guards, and `&'static Policy`'s
// own `TenantOrigins`. One API per engine: the engines' tests run at the
// same time and each gives the tenants its own pages' origins.

/// One tenant's policy.
struct PerTenant(&'static [(&'static str, &'static Policy)]);

impl PerTenant {
    /// `key`'s policy; the test gives no other tenant.
    fn policy(&self, key: &str) -> &'static Policy {
        let found = self.0.iter().find(|(tenant, _)| *tenant == key);
        found
            .map(|(_, policy)| *policy)
            .expect("a tenant of the test")
    }
}

impl TenantOrigins for PerTenant {
    fn set(&self, key: &str, entries: &[String]) -> Result<(), ConfigError> {
        self.policy(key).set_origins(entries)
    }
    fn remove(&self, key: &str) -> Result<(), ConfigError> {
        self.policy(key).set_origins([CLOSED])
    }
    fn replace_all(&self, snapshot: &[(String, Vec<String>)]) -> Result<(), ConfigError> {
        for (key, entries) in snapshot {
            self.set(key, entries)?;
        }
        Ok(())
    }
}

macro_rules! tenant_routes {
    ($name:ident, $policy:ident) => {
        mod $name {
            use super::super::*;

            #[cors_credentials(policy = super::$policy)]
            #[post("/tenants/{tenant}/login")]
            async fn login(tenant: web::Path<String>) -> impl Responder {
                super::super::login(&tenant)
            }

            #[cors_credentials(policy = super::$policy)]
            #[get("/tenants/{tenant}/data")]
            async fn read(
                request: HttpRequest,
                tenant: web::Path<String>,
                store: web::Data<Store>,
            ) -> impl Responder {
                super::super::read(&request, &tenant, &store)
            }

            #[cors_credentials(policy = super::$policy)]
            #[put("/tenants/{tenant}/data")]
            async fn write(
                request: HttpRequest,
                tenant: web::Path<String>,
                store: web::Data<Store>,
                body: web::Json<Value>,
            ) -> impl Responder {
                super::super::write(&request, &tenant, &store, &body)
            }

            pub(in super::super) fn configure(config: &mut web::ServiceConfig) {
                config.service(login).service(read).service(write);
            }
        }
    };
}

macro_rules! tenant_api {
    ($engine:ident) => {
        mod $engine {
            use super::*;

            policy! {
                /// acme's front ends.
                ACME = { origins: dynamic, headers: ["content-type"], max_age: 0 };
                /// globex's front ends.
                GLOBEX = { origins: dynamic, headers: ["content-type"], max_age: 0 }
            }

            static TENANTS: [(&str, &Policy); 2] = [("acme", &ACME), ("globex", &GLOBEX)];

            tenant_routes!(acme_routes, ACME);
            tenant_routes!(globex_routes, GLOBEX);

            pub(super) const API: Api = Api {
                tenants: PerTenant(&TENANTS),
                acme: acme_routes::configure,
                globex: globex_routes::configure,
            };
        }
    };
}

/// One engine's API: its tenants' policies and routes.
struct Api {
    tenants: PerTenant,
    acme: fn(&mut web::ServiceConfig),
    globex: fn(&mut web::ServiceConfig),
}

tenant_api!(chromium);
tenant_api!(firefox);
tenant_api!(webkit);
// ---------------------------------------------------------------------------

/// Each tenant's data, and every handler run.
#[derive(Default)]
struct Store {
    data: Mutex<HashMap<String, String>>,
    runs: Mutex<Vec<String>>,
}

impl Store {
    fn ran(&self, what: String) {
        self.runs.lock().unwrap().push(what);
    }
}

const SESSION: &str = "tenant_session";

fn login(tenant: &str) -> HttpResponse {
    let cookie = Cookie::build(SESSION, tenant.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    HttpResponse::Ok()
        .cookie(cookie)
        .json(json!({ "tenant": tenant }))
}

/// Whether the request carries a session of `tenant`'s.
fn logged_in(request: &HttpRequest, tenant: &str) -> bool {
    request.cookie(SESSION).is_some_and(|c| c.value() == tenant)
}

fn read(request: &HttpRequest, tenant: &str, store: &Store) -> HttpResponse {
    store.ran(format!("read {tenant}"));
    if !logged_in(request, tenant) {
        return HttpResponse::Unauthorized().json(json!({ "error": "not logged in" }));
    }
    let data = store.data.lock().unwrap().get(tenant).cloned();
    HttpResponse::Ok().json(json!({ "tenant": tenant, "data": data }))
}

fn write(request: &HttpRequest, tenant: &str, store: &Store, body: &Value) -> HttpResponse {
    store.ran(format!("write {tenant}"));
    if !logged_in(request, tenant) {
        return HttpResponse::Unauthorized().json(json!({ "error": "not logged in" }));
    }
    let data = body["data"].as_str().unwrap_or_default().to_owned();
    store.data.lock().unwrap().insert(tenant.to_owned(), data);
    HttpResponse::NoContent().finish()
}

/// A `fetch` from the page, with the user's cookies: what the page could
/// read of the answer, or the error it got.
fn call(api: &str, method: &str, path: &str, body: Option<&str>) -> String {
    let body = match body {
        Some(json) => format!(
            ", headers: {{ 'content-type': 'application/json' }}, body: JSON.stringify({json})"
        ),
        None => String::new(),
    };
    format!(
        "fetch('{api}{path}', {{ method: '{method}', credentials: 'include'{body} }})
           .then(async (r) => ({{ ok: true, status: r.status, body: await r.text() }}),
                 (e) => ({{ ok: false, error: String(e) }}))"
    )
}

fn run(engine: Engine) {
    let Some(tools) = browser::tools(engine) else {
        return;
    };
    rt::System::new().block_on(async move {
        let (api, acme_page, globex_page) = (
            loopback_listener(),
            loopback_listener(),
            loopback_listener(),
        );
        let acme_origin = format!("http://localhost:{}", port(&acme_page));
        let globex_origin = format!("http://localhost:{}", port(&globex_page));
        let api_url = format!("http://localhost:{}", port(&api));

        // Each tenant's own front end only.
        let api_routes = match engine {
            Engine::Chromium => &chromium::API,
            Engine::Firefox => &firefox::API,
            Engine::WebKit => &webkit::API,
        };
        api_routes
            .tenants
            .replace_all(&[
                ("acme".to_owned(), vec![acme_origin.clone()]),
                ("globex".to_owned(), vec![globex_origin.clone()]),
            ])
            .unwrap();

        let store = web::Data::new(Store::default());
        store
            .data
            .lock()
            .unwrap()
            .insert("globex".to_owned(), "globex's secret".to_owned());
        let api_server = {
            let store = store.clone();
            HttpServer::new(move || {
                let tenant = |name: &'static str| {
                    guard::fn_guard(move |ctx| {
                        ctx.head()
                            .uri
                            .path()
                            .strip_prefix("/tenants/")
                            .and_then(|rest| rest.strip_prefix(name))
                            .is_some_and(|rest| rest.starts_with('/'))
                    })
                };
                App::new()
                    .app_data(store.clone())
                    .service(
                        web::scope("")
                            .guard(tenant("acme"))
                            .configure(api_routes.acme),
                    )
                    .service(
                        web::scope("")
                            .guard(tenant("globex"))
                            .configure(api_routes.globex),
                    )
            })
            .workers(1)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(api)
            .unwrap()
            .run()
        };
        let pages = HttpServer::new(|| {
            App::new().default_service(web::to(|| async {
                HttpResponse::Ok()
                    .content_type("text/html")
                    .body("<!doctype html><title>tenant</title><p>a tenant's front end</p>")
            }))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .listen(acme_page)
        .unwrap()
        .listen(globex_page)
        .unwrap()
        .run();
        let (api_handle, pages_handle) = (api_server.handle(), pages.handle());
        rt::spawn(api_server);
        rt::spawn(pages);

        let browser = Browser::launch(&tools, &[], ThirdPartyCookies::Blocked).await;
        let client = browser.client.clone();
        let body = {
            let store = store.clone();
            async move {
                let call = |method, path, body| {
                    let script = call(&api_url, method, path, body);
                    let client = client.clone();
                    async move { browser::evaluate(&client, &script).await }
                };
                // A globex user logs in on globex's front end and reads
                // globex's data there.
                client.goto(&format!("{globex_origin}/")).await.unwrap();
                let login = call("POST", "/tenants/globex/login", None).await;
                assert_eq!(login["status"], 200, "{login}");
                let read = call("GET", "/tenants/globex/data", None).await;
                assert_eq!(read["status"], 200, "{read}");
                assert!(
                    read["body"].as_str().unwrap().contains("globex's secret"),
                    "{read}"
                );

                // acme's front end: allowed on acme's routes (the user
                // is not acme's: a readable 401)...
                client.goto(&format!("{acme_origin}/")).await.unwrap();
                let own = call("GET", "/tenants/acme/data", None).await;
                assert_eq!(own["status"], 401, "{own}");
                let before = store.runs.lock().unwrap().clone();
                // ...but neither reads nor changes globex's, though the
                // browser holds a globex session.
                let stolen = call("GET", "/tenants/globex/data", None).await;
                assert_eq!(stolen["ok"], false, "{stolen}");
                let changed = call(
                    "PUT",
                    "/tenants/globex/data",
                    Some("{ data: 'acme was here' }"),
                )
                .await;
                assert_eq!(changed["ok"], false, "{changed}");
                // No handler ran for those: refused before it.
                assert_eq!(*store.runs.lock().unwrap(), before);
                assert_eq!(
                    store.data.lock().unwrap()["globex"],
                    "globex's secret",
                    "globex's data changed"
                );

                // And globex's own front end still reads it.
                client.goto(&format!("{globex_origin}/")).await.unwrap();
                let read = call("GET", "/tenants/globex/data", None).await;
                assert_eq!(read["status"], 200, "{read}");
            }
        };
        let outcome = rt::spawn(rt::time::timeout(Duration::from_secs(60), body)).await;
        browser.close().await;
        api_handle.stop(true).await;
        pages_handle.stop(true).await;
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(_)) => panic!("the test took longer than 60 s"),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    });
}
