use actix_web::{get, post, App, Responder};
use cors_credentials::{cors_credentials, policy};

policy! {
    /// Front ends: production, previews, local development.
    pub FRONT_ENDS = {
        origins: ["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"],
        headers: ["content-type"],
        max_age: 600,
    };

    /// Origins known only at deploy time.
    pub DEPLOYED = { origins: env("APP_CORS_ORIGINS") }
}

#[cors_credentials(policy = FRONT_ENDS)]
#[get("/a")]
async fn a() -> impl Responder {
    "a"
}

#[cors_credentials(policy = FRONT_ENDS, max_age = 60, expose_headers = ["etag"])]
#[post("/b")]
async fn b() -> impl Responder {
    "b"
}

#[cors_credentials(policy = DEPLOYED)]
#[get("/c")]
async fn c() -> impl Responder {
    "c"
}

fn main() {
    let _ = App::new().service(a).service(b).service(c);
}
