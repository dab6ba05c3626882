//! Generates the code: thin glue around `'static` data and runtime functions.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, ItemFn, LitStr};

use crate::{route::Routing, validate::Config};

/// The runtime policy as a `static` item named `name`.
fn policy_static(name: &syn::Ident, config: &Config) -> TokenStream {
    let origins = &config.origins;
    let allow_headers = match &config.headers {
        None => quote!(::cors_credentials::__private::AllowHeaders::Any),
        Some(names) => {
            let value = names.join(", ");
            quote! {
                ::cors_credentials::__private::AllowHeaders::List {
                    names: &[#(#names),*],
                    value: ::cors_credentials::__private::HeaderValue::from_static(#value),
                }
            }
        }
    };
    let expose_headers = match &config.expose_headers {
        Some(names) if !names.is_empty() => {
            let value = names.join(", ");
            quote!(::core::option::Option::Some(
                ::cors_credentials::__private::HeaderValue::from_static(#value)
            ))
        }
        _ => quote!(::core::option::Option::None),
    };
    let max_age = config.max_age.to_string();
    let on_disallowed = if config.pass_disallowed {
        quote!(::cors_credentials::__private::OnDisallowed::Pass)
    } else {
        quote!(::cors_credentials::__private::OnDisallowed::Reject)
    };
    let origins_name = format_ident!("{}_ORIGINS", name);
    let count = origins.len();
    quote! {
        static #origins_name: [::cors_credentials::__private::HeaderValue; #count] = [
            #(::cors_credentials::__private::HeaderValue::from_static(#origins)),*
        ];
        static #name: ::cors_credentials::__private::Policy = ::cors_credentials::__private::Policy {
            origins: ::cors_credentials::__private::Origins::new(&#origins_name),
            allow_headers: #allow_headers,
            expose_headers: #expose_headers,
            max_age: ::cors_credentials::__private::HeaderValue::from_static(#max_age),
            on_disallowed: #on_disallowed,
        };
    }
}

/// The methods of one path as a `static` item named `name`.
fn methods_static(name: &syn::Ident, methods: &[String]) -> TokenStream {
    let value = methods.join(", ");
    quote! {
        static #name: ::cors_credentials::__private::Methods = ::cors_credentials::__private::Methods {
            names: &[#(#methods),*],
            value: ::cors_credentials::__private::HeaderValue::from_static(#value),
        };
    }
}

fn doc_attrs(item: &ItemFn) -> impl Iterator<Item = &Attribute> {
    item.attrs.iter().filter(|attr| attr.path().is_ident("doc"))
}

/// A handler under routing attributes.
///
/// Input:
///     #[cors_credentials(origins = ["https://app.example.com"])]
///     #[get("/api/me")]
///     async fn me() -> impl Responder { .. }
/// Output:
///     struct me;
///     impl HttpServiceFactory for me {
///         fn register(self, config: &mut AppService) {
///             static __CORS_CREDENTIALS_POLICY: Policy = ..;
///             static __CORS_CREDENTIALS_METHODS_0: Methods = ..;
///             #[get("/api/me", wrap = "Cors::new(&__CORS_CREDENTIALS_POLICY, None)")]
///             async fn me() -> impl Responder { .. }   // actix-web's own `me` shadows ours here
///             HttpServiceFactory::register(me, config);
///             register_preflight(config, "/api/me", &__CORS_CREDENTIALS_POLICY, &__CORS_CREDENTIALS_METHODS_0);
///         }
///     }
///
/// The user's function and its routing attributes stay as written, so
/// actix-web keeps handling `name`, `guard`, `wrap` and path parameters; only a
/// `wrap` is added, and a preflight route registered per path.
pub fn routed(mut item: ItemFn, routing: &Routing, config: &Config) -> TokenStream {
    let policy_name = format_ident!("__CORS_CREDENTIALS_POLICY");
    let policy = policy_static(&policy_name, config);
    let middleware = "::cors_credentials::__private::Cors::new(&__CORS_CREDENTIALS_POLICY, ::core::option::Option::None)";
    for route in &routing.routes {
        let attr = &mut item.attrs[route.attr_index];
        *attr = crate::route::with_wrap(attr, middleware);
    }

    // One preflight route per distinct path, answering for that path's methods.
    let mut paths: Vec<(&LitStr, Vec<String>)> = Vec::new();
    for route in &routing.routes {
        let methods = route.methods.iter().map(|(method, _)| method.clone());
        match paths
            .iter_mut()
            .find(|(path, _)| path.value() == route.path.value())
        {
            Some((_, known)) => {
                for method in methods {
                    if !known.contains(&method) {
                        known.push(method);
                    }
                }
            }
            None => paths.push((&route.path, methods.collect())),
        }
    }
    let preflights = paths.iter().enumerate().map(|(index, (path, methods))| {
        let name = format_ident!("__CORS_CREDENTIALS_METHODS_{}", index);
        let methods = methods_static(&name, methods);
        quote! {
            #methods
            ::cors_credentials::__private::register_preflight(
                __cors_config, #path, &#policy_name, &#name,
            );
        }
    });

    let name = &item.sig.ident;
    let vis = &item.vis;
    let docs = doc_attrs(&item);
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types, missing_docs)]
        #vis struct #name;

        impl ::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
                #policy
                #item
                ::actix_web::dev::HttpServiceFactory::register(#name, __cors_config);
                #(#preflights)*
            }
        }
    }
}

/// A handler without a routing attribute, registered by hand.
///
/// Input:
///     #[cors_credentials(origins = ["https://app.example.com"], methods = ["GET"])]
///     async fn me() -> impl Responder { .. }
/// Output:
///     async fn me() -> impl Responder { .. }
///     mod me { pub fn cors() -> Cors { .. } }   // modules and functions live in separate namespaces
pub fn manual(item: &ItemFn, methods: &[(String, Span)], config: &Config) -> TokenStream {
    let policy_name = format_ident!("__CORS_CREDENTIALS_POLICY");
    let policy = policy_static(&policy_name, config);
    let methods_name = format_ident!("__CORS_CREDENTIALS_METHODS");
    let method_names: Vec<String> = methods.iter().map(|(method, _)| method.clone()).collect();
    let methods = methods_static(&methods_name, &method_names);
    let name = &item.sig.ident;
    let vis = &item.vis;
    let doc = format!(
        " Credentialed CORS of [`{name}`](fn@{name}): wrap its resource with [`{name}::cors()`](self::{name}::cors), e.g. `web::resource(\"/path\").wrap({name}::cors()).route(web::get().to({name}))`."
    );
    let cors_doc = format!(
        " The CORS middleware of [`{name}`](fn@super::{name}); it also answers the resource's preflights."
    );
    quote! {
        #item

        #[doc = #doc]
        #vis mod #name {
            #[doc = #cors_doc]
            pub fn cors() -> ::cors_credentials::Cors {
                #policy
                #methods
                ::cors_credentials::__private::Cors::new(
                    &#policy_name,
                    ::core::option::Option::Some(&#methods_name),
                )
            }
        }
    }
}

/// The user's item unchanged, followed by the errors: editors keep seeing the
/// handler, and the only errors reported are ours.
pub fn with_errors(item: TokenStream, errors: TokenStream) -> TokenStream {
    quote! {
        #item
        #errors
    }
}
