cors_credentials::policy! {
    TENANTS = { origins: dynamic, dev_origins: ["http://localhost:*"] }
}

fn main() {}
