use cors_credentials::CrossOriginGuard;

const GUARD: CrossOriginGuard = CrossOriginGuard::new().exempt(&["/oauth/callback", "/*"]);

fn main() {
    let _ = GUARD;
}
