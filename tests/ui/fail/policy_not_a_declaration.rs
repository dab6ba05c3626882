cors_credentials::policy! {
    API { origins: ["https://app.example.com"] }
}

fn main() {}
