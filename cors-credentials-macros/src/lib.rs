//! The procedural macros of [`cors-credentials`](https://docs.rs/cors-credentials):
//! the `#[cors_credentials(..)]` attribute and `policy!`.
//!
//! Depend on `cors-credentials` instead of this crate: it re-exports both macros, holds
//! the runtime code they generate calls to, pins this crate's exact version, and
//! documents every option with tested examples.

// The pipeline has one file per phase: `args` parses the attribute into a
// typed model that keeps spans, `route` reads the routing attributes below
// it, `validate` checks both with the rules of `cors-credentials-rules`, and
// `expand` generates the code. Errors are collected in a `Ctxt` and reported
// together.

mod args;
mod ctxt;
mod expand;
mod policy;
mod route;
mod validate;

use proc_macro::TokenStream;

// Documented on this crate's own pages only (`cfg(doc)`): `cors-credentials`
// re-exports the macros with its full, tested documentation, to which rustdoc
// would otherwise append these lines.
#[cfg_attr(
    doc,
    doc = "Credentialed CORS for one actix-web handler: use it as `cors_credentials::cors_credentials`, documented with every option in [`cors-credentials`](https://docs.rs/cors-credentials/latest/cors_credentials/attr.cors_credentials.html)."
)]
#[proc_macro_attribute]
pub fn cors_credentials(args: TokenStream, input: TokenStream) -> TokenStream {
    cors_credentials_impl(args.into(), input.into()).into()
}

#[cfg_attr(
    doc,
    doc = "Declares shared credentialed CORS policies: use it as `cors_credentials::policy!`, documented in [`cors-credentials`](https://docs.rs/cors-credentials/latest/cors_credentials/macro.policy.html)."
)]
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    policy::expand(input.into()).into()
}

fn cors_credentials_impl(
    args: proc_macro2::TokenStream,
    input: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let item: syn::ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = syn::Error::new(
                error.span(),
                "`#[cors_credentials]` goes on an actix-web handler function, above its routing attribute (`#[get(..)]`, `#[post(..)]`, …)",
            );
            return expand::with_errors(input, error);
        }
    };
    let mut cx = ctxt::Ctxt::new();
    let args = args::parse(&mut cx, args, args::Site::Attribute);
    let routing = route::parse(&mut cx, &item.attrs);
    validate::keys(&mut cx, &args);
    validate::placement(&mut cx, &routing, &item.attrs);
    let config = validate::config(&mut cx, &args);

    let manual_methods = match (&args.methods, routing.routes.is_empty()) {
        (Some(list), true) => Some(validate::methods(&mut cx, list)),
        (Some(list), false) => {
            cx.error_at(
                list.span,
                "`methods` is only for handlers without a routing attribute: here the routing attribute gives the methods; remove `methods`",
            );
            None
        }
        (None, true) => {
            if routing.routes_attr().is_none() {
                let name = &item.sig.ident;
                cx.error_spanned_by(
                    name,
                    format!("no routing attribute below `#[cors_credentials]`: put it above `#[get(..)]`, `#[post(..)]`, `#[route(..)]` or `#[routes]` (attributes expand top-down, so below them it never sees the route); for a handler registered by hand, add `methods = [..]` and wrap its resource with `{name}::cors()`"),
                );
            } else {
                cx.error_spanned_by(
                    &item.sig.ident,
                    "`#[routes]` needs routing attributes below it, e.g. `#[get(\"/path\")]`",
                );
            }
            None
        }
        (None, false) => None,
    };

    if let Err(errors) = cx.check() {
        let mut item = item;
        if routing.lacks_routes_attr() {
            let first = routing.routes[0].attr_index;
            item.attrs
                .insert(first, syn::parse_quote!(#[::actix_web::routes]));
        }
        return expand::with_errors(quote::quote!(#item), errors);
    }
    match manual_methods {
        Some(methods) => expand::manual(&item, &methods, &config),
        None => expand::routed(item, &routing, &config),
    }
}
