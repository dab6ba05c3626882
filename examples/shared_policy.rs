//! One policy, declared and checked once, used by several handlers; one
//! handler overrides a value.
//!
//! ```sh
//! cargo run --example shared_policy
//! curl -i -X OPTIONS -H 'Origin: https://app.example.com' \
//!   -H 'Access-Control-Request-Method: DELETE' http://127.0.0.1:8080/api/items/1
//! ```

use actix_web::{delete, get, post, web, App, HttpServer, Responder};
use cors_credentials::cors_credentials;
use cors_credentials_examples::cli::{self, TerminalLog};

mod cors {
    cors_credentials::policy! {
        /// The browser front ends of the API.
        pub API = {
            origins: ["https://app.example.com", "https://admin.example.com"],
            headers: ["content-type", "x-csrf-token"],
            expose_headers: ["x-request-id"],
            max_age: 3600,
        }
    }
}

#[cors_credentials(policy = cors::API)]
#[get("/api/items")]
async fn list() -> impl Responder {
    "[]"
}

#[cors_credentials(policy = cors::API)]
#[post("/api/items")]
async fn create(body: String) -> impl Responder {
    body
}

// Options given here override the policy's: a deletion is re-checked every minute.
#[cors_credentials(policy = cors::API, max_age = 60)]
#[delete("/api/items/{id}")]
async fn remove(id: web::Path<u32>) -> impl Responder {
    format!("deleted {id}")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    TerminalLog::install();
    let port = cli::announce(&[module_path!()], "/api/items");
    HttpServer::new(|| App::new().service(list).service(create).service(remove))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use actix_web::{test, App};
    use cors_credentials::{inventory, testing::Audit};

    use super::{create, list, remove};

    /// The app audits clean.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        let app =
            test::init_service(App::new().service(list).service(create).service(remove)).await;
        // This example links the examples' library, whose apps' routes are
        // in the inventory too: only this binary's own.
        let report = Audit::new()
            .inventory(inventory().filter(|route| route.module() == env!("CARGO_CRATE_NAME")))
            .audit_actix(&app, &[])
            .await;
        report.assert_clean();
        assert_eq!(report.paths(), ["/api/items", "/api/items/1"], "{report}");
    }
}
