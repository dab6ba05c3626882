//! Tenants: one tenant's front end cannot use another tenant's session,
//! the origins of each given at run time to an `origins: per_tenant` policy
//! as the `tenants_postgres` example gives them (its `OriginsSink`; no
//! database here, the synchronisation with PostgreSQL is
//! `tests/example_tenants_fleet.rs`'s). Tests named `tenants::scenario::engine`.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use actix_web::{
    cookie::{Cookie, SameSite},
    dev::Service,
    get, post, put, rt, web, App, HttpRequest, HttpResponse, HttpServer, Responder,
};
use cors_credentials::{cors_credentials, policy, Policy, Refused, Tenant};
use cors_credentials_examples::tenants_postgres::OriginsSink;
use serde_json::{json, Value};
use test_support::browser::{self, loopback_listener, port, Browser, Engine, ThirdPartyCookies};

in_engines! {
    tenant_page_cannot_read_or_change_another_tenants_data: [chromium, firefox, webkit];
}

fn engine(name: &str) -> Engine {
    super::engine(name)
}

/// Two tenants of one API (`/tenants/{tenant}/…`), each with its own front
/// end on its own origin, their origins given at run time to one per-tenant
/// policy (`origins: per_tenant, tenant: path("tenant")`) through the
/// `tenants_postgres` example's `OriginsSink`. A user of tenant `globex`
/// logs in from globex's page; then acme's page, whose origin the policy
/// allows on acme's routes, calls globex's routes with that user's cookie:
/// the browser hides the answers, the policy itself refuses them with `403`
/// (`origin_of_another_tenant`: the `GET`, and the `PUT`'s preflight, so the
/// `PUT` is never sent) before any handler runs, and globex's data stays
/// unchanged.
///
/// The session cookie is `SameSite=Lax` without `Secure` (the pages and the
/// API are on `localhost`, one site): WebKitGTK keeps it, so this runs in
/// the three engines.
fn tenant_page_cannot_read_or_change_another_tenants_data(engine: Engine) {
    run(engine);
}

// One API per engine: the engines' tests run at the same time and each
// gives the tenants its own pages' origins.
macro_rules! tenant_api {
    ($engine:ident) => {
        mod $engine {
            use super::*;

            policy! {
                /// Each tenant's front ends, on that tenant's routes only.
                pub TENANTS = {
                    origins: per_tenant,
                    tenant: path("tenant"),
                    headers: ["content-type"],
                    max_age: 0,
                }
            }

            #[cors_credentials(policy = TENANTS)]
            #[post("/tenants/{tenant}/login")]
            async fn login(
                tenant: web::Path<String>,
                admitted: Option<Tenant>,
                store: web::Data<Store>,
            ) -> impl Responder {
                super::login(&tenant, admitted, &store)
            }

            #[cors_credentials(policy = TENANTS)]
            #[get("/tenants/{tenant}/data")]
            async fn read(
                request: HttpRequest,
                tenant: web::Path<String>,
                admitted: Option<Tenant>,
                store: web::Data<Store>,
            ) -> impl Responder {
                super::read(&request, &tenant, admitted, &store)
            }

            #[cors_credentials(policy = TENANTS)]
            #[put("/tenants/{tenant}/data")]
            async fn write(
                request: HttpRequest,
                tenant: web::Path<String>,
                admitted: Option<Tenant>,
                store: web::Data<Store>,
                body: web::Json<Value>,
            ) -> impl Responder {
                super::write(&request, &tenant, admitted, &store, &body)
            }

            pub(super) fn configure(config: &mut web::ServiceConfig) {
                config.service(login).service(read).service(write);
            }
        }
    };
}

tenant_api!(chromium);
tenant_api!(firefox);
tenant_api!(webkit);

/// Each tenant's data, every handler run, and every refusal of the policy.
#[derive(Default)]
struct Store {
    data: Mutex<HashMap<String, String>>,
    runs: Mutex<Vec<String>>,
    refused: Mutex<Vec<String>>,
}

impl Store {
    /// A handler ran for `what`, on a request whose origin `admitted`'s
    /// origins allowed (none: a request without `Origin` or same-origin).
    fn ran(&self, what: &str, tenant: &str, admitted: Option<Tenant>) {
        let admitted = admitted.map_or_else(|| "no tenant".to_owned(), |t| t.key().to_owned());
        self.runs
            .lock()
            .unwrap()
            .push(format!("{what} {tenant}, admitted by {admitted}"));
    }
}

const SESSION: &str = "tenant_session";

fn login(tenant: &str, admitted: Option<Tenant>, store: &Store) -> HttpResponse {
    store.ran("login", tenant, admitted);
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

fn read(
    request: &HttpRequest,
    tenant: &str,
    admitted: Option<Tenant>,
    store: &Store,
) -> HttpResponse {
    store.ran("read", tenant, admitted);
    if !logged_in(request, tenant) {
        return HttpResponse::Unauthorized().json(json!({ "error": "not logged in" }));
    }
    let data = store.data.lock().unwrap().get(tenant).cloned();
    HttpResponse::Ok().json(json!({ "tenant": tenant, "data": data }))
}

fn write(
    request: &HttpRequest,
    tenant: &str,
    admitted: Option<Tenant>,
    store: &Store,
    body: &Value,
) -> HttpResponse {
    store.ran("write", tenant, admitted);
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

        // Each tenant's own front end, on its own routes only.
        let (tenants, configure): (&'static Policy, fn(&mut web::ServiceConfig)) = match engine {
            Engine::Chromium => (&chromium::TENANTS, chromium::configure),
            Engine::Firefox => (&firefox::TENANTS, firefox::configure),
            Engine::WebKit => (&webkit::TENANTS, webkit::configure),
        };
        tenants
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
                let refusals = store.clone();
                App::new()
                    .app_data(store.clone())
                    // Every refusal, with its reason, as the policy's
                    // middleware puts it in the response.
                    .wrap_fn(move |request, service| {
                        let asked = format!("{} {}", request.method(), request.path());
                        let response = service.call(request);
                        let refusals = refusals.clone();
                        async move {
                            let response = response.await?;
                            let refused =
                                response.response().extensions().get::<Refused>().copied();
                            if let Some(refused) = refused {
                                refusals
                                    .refused
                                    .lock()
                                    .unwrap()
                                    .push(format!("{asked}: {}", refused.reason().as_str()));
                            }
                            Ok(response)
                        }
                    })
                    .configure(configure)
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
                assert_eq!(
                    before,
                    [
                        "login globex, admitted by globex",
                        "read globex, admitted by globex",
                        "read acme, admitted by acme",
                    ]
                );
                assert!(store.refused.lock().unwrap().is_empty());
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
                // No handler ran for those: the policy refused them
                // before it, as another tenant's origin; the PUT itself
                // never reached the server (its preflight was refused).
                assert_eq!(*store.runs.lock().unwrap(), before);
                assert_eq!(
                    *store.refused.lock().unwrap(),
                    [
                        "GET /tenants/globex/data: origin_of_another_tenant",
                        "OPTIONS /tenants/globex/data: origin_of_another_tenant",
                    ]
                );
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
