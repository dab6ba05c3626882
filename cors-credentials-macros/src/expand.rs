//! Generates the code: thin glue around `'static` data and runtime functions.

use cors_credentials_rules::pattern::Pattern;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{Attribute, ItemFn, LitStr, Meta};

use crate::{
    args::OnDisallowed,
    policy::Declaration,
    route::Routing,
    validate::{Config, Handler, OriginsCfg, TenantCfg, Validated, DEFAULT_MAX_AGE},
};

/// `&VALUE` as a `'static` reference. Header values hold atomics, so a
/// reference to a temporary one cannot live in a static; an inner `static`
/// item can.
fn static_ref(ty: TokenStream, value: TokenStream) -> TokenStream {
    quote!({
        static __CORS_CREDENTIALS_VALUE: #ty = #value;
        &__CORS_CREDENTIALS_VALUE
    })
}

/// A `&'static StaticValue` holding `value`.
fn header_value(value: &str) -> TokenStream {
    static_ref(
        quote!(::cors_credentials::__private::StaticValue),
        quote!(::cors_credentials::__private::StaticValue::new(#value)),
    )
}

/// `OriginSet::Listed` holding `exact` (in lookup order) and `patterns`.
fn listed(exact: &[String], patterns: &[Pattern]) -> TokenStream {
    let p = quote!(::cors_credentials::__private);
    let patterns = patterns.iter().map(|pattern| match pattern {
        Pattern::Subdomain { scheme, suffix } => {
            quote!(#p::Pattern::Subdomain { scheme: #scheme, suffix: #suffix })
        }
        Pattern::AnyPort { prefix } => quote!(#p::Pattern::AnyPort { prefix: #prefix }),
    });
    quote! {
        #p::OriginSet::Listed(#p::listed(&[#(#exact),*], &[#(#patterns),*]))
    }
}

/// The runtime policy as a constant expression of type `Policy`, built with
/// the runtime's `const fn`s (its fields are private).
///
/// With a base policy, only the values given here are written, and the rest
/// is copied from the base: `inherit(BASE, None, None, None, Some(..), None)`.
///
/// `name` is the static's, for the messages of a dynamic origin set.
pub(crate) fn policy_expr(config: &Config, name: Option<&syn::Ident>) -> TokenStream {
    let p = quote!(::cors_credentials::__private);
    let inherit = config.base.is_some();
    let origins = match &config.origins {
        OriginsCfg::Listed {
            exact,
            patterns,
            dev,
        } => {
            let released = listed(exact, patterns);
            Some(match dev {
                // Decided where the policy is compiled: the user's build profile.
                Some(dev) => {
                    let dev = listed(&dev.exact, &dev.patterns);
                    quote!(if ::core::cfg!(debug_assertions) { #dev } else { #released })
                }
                None => released,
            })
        }
        OriginsCfg::Env {
            var,
            allow_insecure,
        } => Some(quote! {
            #p::OriginSet::Env({
                static __CORS_CREDENTIALS_ENV: #p::EnvOrigins = #p::EnvOrigins::new(#var, #allow_insecure);
                &__CORS_CREDENTIALS_ENV
            })
        }),
        OriginsCfg::Dynamic { allow_insecure } => {
            let name = name.map_or_else(|| "policy".to_owned(), ToString::to_string);
            Some(quote! {
                #p::OriginSet::Dynamic({
                    static __CORS_CREDENTIALS_DYNAMIC: #p::DynamicOrigins = #p::DynamicOrigins::new(#name, #allow_insecure);
                    &__CORS_CREDENTIALS_DYNAMIC
                })
            })
        }
        OriginsCfg::PerTenant {
            allow_insecure,
            tenant,
        } => {
            let name = name.map_or_else(|| "policy".to_owned(), ToString::to_string);
            let source = match tenant {
                TenantCfg::Path(segment) => quote!(#p::TenantSource::Path(#segment)),
                TenantCfg::Host => quote!(#p::TenantSource::Host),
            };
            Some(quote! {
                #p::OriginSet::PerTenant {
                    tenants: {
                        static __CORS_CREDENTIALS_TENANTS: #p::TenantOrigins = #p::TenantOrigins::new(#name, #allow_insecure, #source);
                        &__CORS_CREDENTIALS_TENANTS
                    },
                    from: #source,
                }
            })
        }
        OriginsCfg::Inherited => None,
    };
    let allow_headers = match &config.headers {
        Some(names) => {
            let value = header_value(&names.join(", "));
            Some(quote! {
                #p::AllowHeaders::List {
                    names: &[#(#names),*],
                    value: #value,
                }
            })
        }
        None if !inherit => Some(quote!(#p::AllowHeaders::Any)),
        None => None,
    };
    let expose_headers = match &config.expose_headers {
        Some(names) if !names.is_empty() => {
            let value = header_value(&names.join(", "));
            Some(quote!(::core::option::Option::Some(#value)))
        }
        Some(_) => Some(quote!(::core::option::Option::None)),
        None if !inherit => Some(quote!(::core::option::Option::None)),
        None => None,
    };
    let max_age = (config.max_age.is_some() || !inherit)
        .then(|| header_value(&config.max_age.unwrap_or(DEFAULT_MAX_AGE).to_string()));
    let on_disallowed = (config.on_disallowed.is_some() || !inherit).then(|| {
        if config.on_disallowed == Some(OnDisallowed::Pass) {
            quote!(#p::OnDisallowed::Pass)
        } else {
            quote!(#p::OnDisallowed::Reject)
        }
    });
    let parts = [
        origins,
        allow_headers,
        expose_headers,
        max_age,
        on_disallowed,
    ];
    match &config.base {
        Some(base) => {
            let parts = parts.into_iter().map(|part| match part {
                Some(part) => quote!(::core::option::Option::Some(#part)),
                None => quote!(::core::option::Option::None),
            });
            quote!(#p::inherit(#base, #(#parts),*))
        }
        None => {
            // Without a base every part is given.
            let parts = parts.into_iter().flatten();
            quote!(#p::policy(#(#parts),*))
        }
    }
}

/// The policy as a `static` item named `name`.
fn policy_static(name: &syn::Ident, config: &Config) -> TokenStream {
    let policy = policy_expr(config, None);
    quote! {
        static #name: ::cors_credentials::Policy = #policy;
    }
}

/// The methods of one path as a `static` item named `name`.
fn methods_static(name: &syn::Ident, methods: &[String]) -> TokenStream {
    let value = methods.join(", ");
    quote! {
        static #name: ::cors_credentials::__private::Methods = ::cors_credentials::__private::methods(
            &[#(#methods),*],
            ::cors_credentials::__private::StaticValue::new(#value),
        );
    }
}

/// The inventory record of one path of a handler: what
/// `cors_credentials::inventory()` lists.
///
/// Input:  the handler `me`, `Some("/api/me")`, `["GET"]`, the policy's static
/// Output: `inventory::submit! { InventoryRoute::new("me", module_path!(), Some("/api/me"), &["GET"], None, false, &__CORS_CREDENTIALS_POLICY) }`
fn inventory_record(
    handler: &syn::Ident,
    path: Option<&LitStr>,
    methods: &[String],
    config: &Config,
    policy: TokenStream,
) -> TokenStream {
    let p = quote!(::cors_credentials::__private);
    let handler = handler.to_string();
    let path = match path {
        Some(path) => quote!(::core::option::Option::Some(#path)),
        None => quote!(::core::option::Option::None),
    };
    let policy_name = match &config.base {
        Some(base) => {
            let mut name = String::new();
            if base.leading_colon.is_some() {
                name.push_str("::");
            }
            let segments: Vec<String> = base
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            name.push_str(&segments.join("::"));
            quote!(::core::option::Option::Some(#name))
        }
        None => quote!(::core::option::Option::None),
    };
    let overrides = config.base.is_some() && config.overrides_base();
    quote! {
        #p::inventory::submit! {
            #p::InventoryRoute::new(
                #handler,
                ::core::module_path!(),
                #path,
                &[#(#methods),*],
                #policy_name,
                #overrides,
                #policy,
            )
        }
    }
}

fn doc_attrs(item: &ItemFn) -> impl Iterator<Item = &Attribute> {
    item.attrs.iter().filter(|attr| attr.path().is_ident("doc"))
}

/// A validated handler, routed or registered by hand. Without the runtime's
/// `actix` feature, which only the runtime knows of, the expansion becomes a
/// compile error naming the feature, followed by the handler as written
/// minus its routing attributes (`fallback`).
///
/// Input:  `#[get("/me")] async fn me() { .. }`
/// Output: `::cors_credentials::__private::actix! { { <expansion> } { async fn me() { .. } } }`
pub(crate) fn handler(item: ItemFn, validated: &Validated<'_>) -> TokenStream {
    let mut fallback = item.clone();
    let expansion = match &validated.handler {
        Handler::Routed(routing) => {
            let mut index = 0;
            fallback.attrs.retain(|_| {
                let keep = routing.routes_attr() != Some(index)
                    && !routing.routes.iter().any(|route| route.attr_index == index);
                index += 1;
                keep
            });
            routed(item, routing, &validated.config)
        }
        Handler::Manual { methods } => manual(&item, methods, &validated.config),
    };
    quote! {
        ::cors_credentials::__private::actix! { { #expansion } { #fallback } }
    }
}

/// A handler under routing attributes.
///
/// Input:
///     #[cors_credentials(origins = ["https://app.example.com"])]
///     #[get("/api/me")]
///     async fn me() -> impl Responder { .. }
/// Output:
///     struct me;
///     const _: () = {
///         static __CORS_CREDENTIALS_POLICY: Policy = ..;
///         static __CORS_CREDENTIALS_METHODS_0: Methods = ..;
///         impl HttpServiceFactory for me {
///             fn register(self, config: &mut AppService) {
///                 #[get("/api/me", wrap = "cors(&__CORS_CREDENTIALS_POLICY, None)")]
///                 async fn me() -> impl Responder { .. }   // actix-web's own `me` shadows ours here
///                 HttpServiceFactory::register(me, config);
///                 register_preflight(config, "/api/me", &__CORS_CREDENTIALS_POLICY, &__CORS_CREDENTIALS_METHODS_0);
///             }
///         }
///         inventory::submit! { InventoryRoute::new("me", module_path!(), Some("/api/me"), &["GET"], ..) }
///     };
///
/// The user's function and its routing attributes stay as written, so
/// actix-web keeps handling `name`, `guard`, `wrap` and path parameters; only a
/// `wrap` is added, and a preflight route registered per path.
pub(crate) fn routed(mut item: ItemFn, routing: &Routing, config: &Config) -> TokenStream {
    let policy_name = format_ident!("__CORS_CREDENTIALS_POLICY");
    let policy = policy_static(&policy_name, config);
    let middleware = "::cors_credentials::__private::cors(&__CORS_CREDENTIALS_POLICY, ::core::option::Option::None)";
    for route in &routing.routes {
        let attr = &mut item.attrs[route.attr_index];
        *attr = with_wrap(attr, middleware);
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
    let methods_statics = paths.iter().enumerate().map(|(index, (_, methods))| {
        methods_static(
            &format_ident!("__CORS_CREDENTIALS_METHODS_{}", index),
            methods,
        )
    });
    let preflights = paths.iter().enumerate().map(|(index, (path, _))| {
        let name = format_ident!("__CORS_CREDENTIALS_METHODS_{}", index);
        quote! {
            ::cors_credentials::__private::register_preflight(
                __cors_config, #path, &#policy_name, &#name,
            );
        }
    });
    // A policy reading the tenant from a `{segment}` of the path: every path
    // must have it. The policy is another macro's, so the check runs where
    // it is known, at compile time, spanned on the path.
    let tenant_checks = paths.iter().filter(|_| config.base.is_some()).map(|(path, _)| {
        quote_spanned! {path.span()=>
            const _: () = ::cors_credentials::__private::check_tenant_segment(&#policy_name, #path);
        }
    });
    let records = paths.iter().map(|(path, methods)| {
        inventory_record(
            &item.sig.ident,
            Some(path),
            methods,
            config,
            quote!(&#policy_name),
        )
    });

    let name = &item.sig.ident;
    let vis = &item.vis;
    let docs = doc_attrs(&item);
    // As in actix-web's routing macros, only the lowercase name is allowed:
    // the struct carries the handler's doc comments, so `missing_docs` keeps
    // working for public handlers. The statics sit in an anonymous `const`,
    // where both the service and the inventory record can name them, and
    // where the attribute's paths (`policy = ..`) resolve as written.
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        const _: () = {
            #policy
            #(#methods_statics)*
            #(#tenant_checks)*

            impl ::actix_web::dev::HttpServiceFactory for #name {
                fn register(self, __cors_config: &mut ::actix_web::dev::AppService) {
                    #item
                    // The preflight route first: named after the policy, it is
                    // what an app-wide `CrossOriginGuard` finds in the resource
                    // map for the path; an actual request skips it on its guard.
                    #(#preflights)*
                    ::actix_web::dev::HttpServiceFactory::register(#name, __cors_config);
                }
            }

            #(#records)*
        };
    }
}

/// Appends `wrap = "<middleware>"` to a routing attribute, keeping every
/// argument the user wrote. actix-web applies the last `wrap` outermost, so
/// the CORS middleware also decorates responses of the user's own `wrap`s.
///
/// Input:  `#[get("/me", wrap = "Auth")]`
/// Output: `#[get("/me", wrap = "Auth", wrap = "::cors_credentials::…")]`
fn with_wrap(attr: &Attribute, middleware: &str) -> Attribute {
    let Meta::List(list) = &attr.meta else {
        return attr.clone();
    };
    let tokens = &list.tokens;
    let trailing_comma = tokens.clone().into_iter().last().is_some_and(
        |last| matches!(&last, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','),
    );
    let separator: TokenStream = if trailing_comma { quote!() } else { quote!(,) };
    let wrap = LitStr::new(middleware, Span::call_site());
    let path = &list.path;
    let mut new = attr.clone();
    new.meta = syn::parse_quote!(#path(#tokens #separator wrap = #wrap));
    new
}

/// A handler without a routing attribute, registered by hand.
///
/// Input:
///     #[cors_credentials(policy = cors::API, methods = ["GET"])]
///     async fn me() -> impl Responder { .. }
/// Output:
///     async fn me() -> impl Responder { .. }
///     mod me {   // modules and functions live in separate namespaces
///         pub(super) struct __CorsCredentials;
///         pub fn cors() -> Cors { __CorsCredentials.cors() }
///     }
///     const _: () = {
///         static __CORS_CREDENTIALS_POLICY: Policy = inherit(cors::API, ..);
///         static __CORS_CREDENTIALS_METHODS: Methods = ..;
///         impl me::__CorsCredentials { fn cors(self) -> Cors { .. } }
///         inventory::submit! { InventoryRoute::new("me", module_path!(), None, &["GET"], ..) }
///     };
///
/// The statics sit next to the handler, not in the module: the paths the
/// user wrote in the attribute (`policy = cors::API`, `policy = API`,
/// `policy = super::API`) resolve where the user wrote them, and no name of
/// the user's is shadowed by the module's `cors`. The module reaches them
/// through the impl on its marker, written where they are visible.
pub(crate) fn manual(item: &ItemFn, methods: &[String], config: &Config) -> TokenStream {
    let policy_name = format_ident!("__CORS_CREDENTIALS_POLICY");
    let policy = policy_static(&policy_name, config);
    let methods_name = format_ident!("__CORS_CREDENTIALS_METHODS");
    let methods_item = methods_static(&methods_name, methods);
    let name = &item.sig.ident;
    let vis = &item.vis;
    let record = inventory_record(name, None, methods, config, quote!(&#policy_name));
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
            #[doc(hidden)]
            pub(super) struct __CorsCredentials;

            #[doc = #cors_doc]
            pub fn cors() -> ::cors_credentials::Cors {
                __CorsCredentials.cors()
            }
        }

        const _: () = {
            #policy
            #methods_item

            impl #name::__CorsCredentials {
                #[inline]
                fn cors(self) -> ::cors_credentials::Cors {
                    ::cors_credentials::__private::cors(
                        &#policy_name,
                        ::core::option::Option::Some(&#methods_name),
                    )
                }
            }

            #record
        };
    }
}

/// The handler again, with the attribute macros of other crates that stood
/// between ours and the routing attribute moved above ours: they then expand
/// where the user wrote the handler, so the items they generate are in its
/// module's scope, as with them above ours. Ours comes back as
/// `__private::reordered`, which moves nothing.
///
/// Input:  `origins = [..]`, `#[utoipa::path(..)] #[get("/me")] async fn me() { .. }`
/// Output: `#[utoipa::path(..)] #[::cors_credentials::__private::reordered(origins = [..])] #[get("/me")] async fn me() { .. }`
pub(crate) fn hoisted(mut item: ItemFn, wrappers: &[usize], args: TokenStream) -> TokenStream {
    let mut index = 0;
    let mut moved = Vec::new();
    item.attrs.retain(|attr| {
        let keep = !wrappers.contains(&index);
        if !keep {
            moved.push(attr.clone());
        }
        index += 1;
        keep
    });
    quote! {
        #(#moved)*
        #[::cors_credentials::__private::reordered(#args)]
        #item
    }
}

/// The user's item unchanged, followed by the errors: editors keep seeing the
/// handler, and the only errors reported are ours.
pub(crate) fn with_errors(item: TokenStream, errors: syn::Error) -> TokenStream {
    let errors = errors.into_compile_error();
    quote! {
        #item
        #errors
    }
}

/// A handler with errors: as written, followed by the errors. A handler with
/// several routing attributes and no `#[routes]` gets the missing `#[routes]`,
/// so that actix-web reports nothing after ours.
///
/// Input:  `#[get("/a")] #[post("/a")] async fn me() { .. }`, errors
/// Output: `#[::actix_web::routes] #[get("/a")] #[post("/a")] async fn me() { .. } compile_error!(..)`
pub(crate) fn handler_with_errors(
    mut item: ItemFn,
    routing: &Routing,
    errors: syn::Error,
) -> TokenStream {
    if routing.lacks_routes_attr() {
        let first = routing.routes[0].attr_index;
        item.attrs
            .insert(first, syn::parse_quote!(#[::actix_web::routes]));
    }
    with_errors(quote!(#item), errors)
}

/// One `policy!` declaration, with its validated configuration or its errors.
///
/// Input:
///     /// Docs.
///     pub API = { origins: ["https://app.example.com"], max_age: 600 }
/// Output:
///     /// Docs.
///     pub static API: ::cors_credentials::Policy = ::cors_credentials::__private::policy(..);
///
/// A declaration with errors still defines its static (allowing no origin),
/// so handlers using it report nothing after the policy's own errors.
pub(crate) fn policy(
    declaration: &Declaration,
    config: Result<&Config, syn::Error>,
) -> TokenStream {
    let Declaration {
        attrs, vis, name, ..
    } = declaration;
    let (policy, errors) = match config {
        Ok(config) => (policy_expr(config, Some(name)), None),
        Err(errors) => (
            quote!(::cors_credentials::__private::UNCONFIGURED),
            Some(errors.into_compile_error()),
        ),
    };
    // Spanned at the name, so that a lint on the static (`missing_docs`)
    // points at this declaration, not at the whole `policy!` invocation.
    let item = quote_spanned! {name.span()=>
        #(#attrs)*
        #vis static #name: ::cors_credentials::Policy = #policy;
    };
    quote! {
        #item
        #errors
    }
}
