// Every way of naming the policy in `#[cors_credentials(policy = …)]`, each
// in its own module, on a handler registered by hand (plus one under a
// routing attribute). A path resolves where it is written, not inside the
// module generated next to the handler. `main` registers each handler the
// same way, through `resource!`.
use actix_web::{web, App};

/// Registers a handler by hand on `/me` for GET and PUT, wrapped with the
/// `cors()` middleware generated next to it.
macro_rules! resource {
    ($($handler:ident)::+) => {
        web::resource("/me")
            .wrap($($handler)::+::cors())
            .route(web::get().to($($handler)::+))
            .route(web::put().to($($handler)::+))
    };
}

// No policy: the origins written on the handler itself.
mod inline_origins {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    #[cors_credentials(origins = ["https://app.example.com"], methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }
}

// `policy = API`: a bare name declared in the same module.
mod bare_name {
    use actix_web::Responder;
    use cors_credentials::{cors_credentials, policy};

    policy! {
        API = { origins: ["https://app.example.com"], max_age: 600 };
    }

    #[cors_credentials(policy = API, methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }
}

// `policy = API` where `API` is imported with `use`, and a key beside it.
mod used_name {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    use crate::cors::API;

    #[cors_credentials(policy = API, methods = ["GET", "PUT"], max_age = 60)]
    pub async fn me() -> impl Responder {
        "me"
    }
}

// A module named `cors`, while the module generated next to each handler
// holds a function named `cors`.
mod cors {
    cors_credentials::policy! {
        pub API = { origins: ["https://app.example.com"] };
    }
}

// `policy = cors::API`: a module path.
#[cors_credentials::cors_credentials(policy = cors::API, methods = ["GET", "PUT"])]
pub async fn module_path_me() -> impl actix_web::Responder {
    "me"
}

// `policy = crate::cors::API`.
mod crate_path {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    #[cors_credentials(policy = crate::cors::API, methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }
}

// `policy = other_crate::module::NAME`: a policy declared in another crate.
mod extern_crate_path {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    #[cors_credentials(policy = cors_credentials_examples::demo::api::FRONT_END, methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }
}

cors_credentials::policy! {
    API = { origins: ["https://app.example.com"] };
}

// `policy = super::API` and `policy = self::ADMIN`: the module generated
// next to each handler is one level deeper, yet the paths mean what they
// mean where they are written.
mod super_path {
    use actix_web::Responder;
    use cors_credentials::cors_credentials;

    cors_credentials::policy! {
        pub(crate) ADMIN = { origins: ["https://admin.example.com"] };
    }

    #[cors_credentials(policy = super::API, methods = ["GET", "PUT"])]
    pub async fn me() -> impl Responder {
        "me"
    }

    #[cors_credentials(policy = self::ADMIN, methods = ["DELETE"])]
    pub async fn user() -> impl Responder {
        "user"
    }
}

// `policy = super::API` on a handler under a routing attribute.
mod routed_super_path {
    use actix_web::{get, Responder};
    use cors_credentials::cors_credentials;

    #[cors_credentials(policy = super::API, max_age = 60)]
    #[get("/me")]
    pub async fn me() -> impl Responder {
        "me"
    }
}

fn main() {
    // A policy declared in a function body, used by a handler in the same
    // body.
    cors_credentials::policy! {
        LOCAL = { origins: ["https://app.example.com"] };
    }

    #[cors_credentials::cors_credentials(policy = LOCAL, methods = ["GET", "PUT"])]
    async fn in_a_function() -> impl actix_web::Responder {
        "me"
    }

    let _ = App::new()
        .service(resource!(inline_origins::me))
        .service(resource!(bare_name::me))
        .service(resource!(used_name::me))
        .service(resource!(module_path_me))
        .service(resource!(crate_path::me))
        .service(resource!(extern_crate_path::me))
        .service(resource!(super_path::me))
        .service(
            web::resource("/users/{id}")
                .wrap(super_path::user::cors())
                .route(web::delete().to(super_path::user)),
        )
        .service(routed_super_path::me)
        .service(resource!(in_a_function));
}
