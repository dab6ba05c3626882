use cors_credentials::CrossOriginGuard;

const GUARD: CrossOriginGuard = CrossOriginGuard::new().exempt(&["/callback?state=1"]);

fn main() {
    let _ = GUARD;
}
