// A layer answers preflights for the route's methods: an empty list is a
// compile error.
use cors_credentials::{policy, tower::CorsLayer};

policy! {
    API = { origins: ["https://app.example.com"] };
}

fn main() {
    let _layer = CorsLayer::new(&API, []);
}
