use cors_credentials::CrossOriginGuard;

const GUARD: CrossOriginGuard = CrossOriginGuard::new().exempt(&["/hooks/*/push"]);

fn main() {
    let _ = GUARD;
}
