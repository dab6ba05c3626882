// A policy checked at compile time, on an axum route and behind the guard,
// with no actix-web crate in the build.
use axum::{
    routing::{get, post},
    Router,
};
use cors_credentials::{
    policy,
    tower::{CorsLayer, CrossOriginGuardLayer},
};
use http::Method;

policy! {
    API = { origins: ["https://app.example.com"], headers: ["content-type"], max_age: 600 };
}

async fn me() -> &'static str {
    "me"
}

async fn save() -> &'static str {
    "saved"
}

fn main() {
    let _app: Router = Router::new()
        .route(
            "/api/me",
            get(me)
                .put(save)
                .layer(CorsLayer::new(&API, [Method::GET, Method::PUT])),
        )
        .route("/account/close", post(save))
        .layer(CrossOriginGuardLayer::new());
}
