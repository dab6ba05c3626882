use actix_web::{get, App, Responder};
use cors_credentials::cors_credentials;

// `$origin:expr` reaches the attribute wrapped in an invisible group.
macro_rules! api_handler {
    ($name:ident, $path:literal, $origin:expr) => {
        #[cors_credentials(origins = [$origin], max_age = 60)]
        #[get($path)]
        async fn $name() -> impl Responder {
            stringify!($name)
        }
    };
}

api_handler!(me, "/me", "https://app.example.com");

fn main() {
    let _ = App::new().service(me);
}
