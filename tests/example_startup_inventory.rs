//! The examples print their routes at startup: one `info` record holding the
//! inventory's table of the modules they name.

use actix_web::{get, post, Responder};
use cors_credentials::cors_credentials;
use test_support::log::Capture;

mod api {
    use super::*;

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/api/me")]
    async fn me() -> impl Responder {
        "me"
    }

    pub mod admin {
        use super::*;

        #[cors_credentials(origins = ["https://admin.example.com"], headers = ["content-type"])]
        #[post("/api/admin/users")]
        async fn create_user() -> impl Responder {
            "created"
        }
    }
}

/// Not under `api`: left out of its table.
#[cors_credentials(origins = ["https://other.example.com"])]
#[get("/other")]
async fn other() -> impl Responder {
    "other"
}

/// `api_v2` starts with `api` but is another module.
mod api_v2 {
    use super::*;

    #[cors_credentials(origins = ["https://app.example.com"])]
    #[get("/v2/me")]
    async fn me() -> impl Responder {
        "me"
    }
}

#[test]
fn the_inventory_of_a_module_is_logged_at_info() {
    let capture = Capture::start();
    cors_credentials_examples::cli::log_inventory(&["example_startup_inventory::api"]);
    let records: Vec<_> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.target.starts_with("cors_credentials_examples"))
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].level, log::Level::Info);
    let lines: Vec<&str> = records[0].message.lines().map(str::trim_end).collect();
    assert_eq!(
        lines,
        [
            "routes under #[cors_credentials] (cors_credentials::inventory()):",
            "PATH              METHODS  HANDLER                                             POLICY  ORIGINS",
            "/api/admin/users  POST     example_startup_inventory::api::admin::create_user  -       https://admin.example.com",
            "/api/me           GET      example_startup_inventory::api::me                  -       https://app.example.com",
        ]
    );
}

#[test]
fn the_inventory_at_a_public_origin_marks_the_cross_site_origins() {
    let capture = Capture::start();
    cors_credentials_examples::cli::log_inventory_at(
        &["example_startup_inventory::api"],
        "https://api.example.com",
    );
    let records: Vec<_> = capture
        .on_this_thread()
        .into_iter()
        .filter(|record| record.target.starts_with("cors_credentials_examples"))
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].level, log::Level::Info);
    let lines: Vec<&str> = records[0].message.lines().map(str::trim_end).collect();
    assert_eq!(
        lines,
        [
            "routes under #[cors_credentials] (cors_credentials::inventory()), served at https://api.example.com:",
            "PATH              METHODS  HANDLER                                             POLICY  ORIGINS",
            "/api/admin/users  POST     example_startup_inventory::api::admin::create_user  -       https://admin.example.com",
            "/api/me           GET      example_startup_inventory::api::me                  -       https://app.example.com",
            "the API is served at https://api.example.com: every allowed origin is same-site, so its cookies are first-party on their pages",
        ]
    );
    let capture = Capture::start();
    cors_credentials_examples::cli::log_inventory_at(
        &["example_startup_inventory::api"],
        "http://localhost:8080",
    );
    let message = capture
        .on_this_thread()
        .into_iter()
        .find(|record| record.target.starts_with("cors_credentials_examples"))
        .expect("the table")
        .message;
    assert!(
        message.contains("https://app.example.com (cross-site: third-party cookies)"),
        "{message}"
    );
    assert!(message.contains("Safari blocks"), "{message}");
}
