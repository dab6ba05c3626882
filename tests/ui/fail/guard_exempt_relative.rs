use cors_credentials::CrossOriginGuard;

const GUARD: CrossOriginGuard = CrossOriginGuard::new().exempt(&["hooks/*"]);

fn main() {
    let _ = GUARD;
}
