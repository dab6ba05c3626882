use actix_web::{get, Responder};
use cors_credentials::{cors_credentials, policy};

policy! {
    API = { origins: ["https://app.example.com"] }
}

#[cors_credentials(policy = API, dev_origins = ["http://localhost:*"])]
#[get("/me")]
async fn me() -> impl Responder {
    "me"
}

fn main() {}
