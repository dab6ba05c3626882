//! The two macros as three phases: parse (`args`, `route`, `policy`) into a
//! typed model with spans, validate it (`validate`), expand it (`expand`).
//! Errors of the first two phases are collected in a `Ctxt` and reported
//! together; nothing is expanded while there are any.

use proc_macro2::TokenStream;

use crate::{
    args::{self, Site},
    ctxt::Ctxt,
    expand,
    policy::{self, Declaration},
    route, validate,
};

/// `#[cors_credentials(args)]` on `input`.
///
/// Input:  `origins = [..]` and `#[get("/me")] async fn me() { .. }`
/// Output: the handler's service, or the handler as written and the errors
pub(crate) fn attribute(args: TokenStream, input: TokenStream) -> TokenStream {
    attribute_once(args, input, true)
}

/// `#[cors_credentials(args)]` again, once the attribute macros of other
/// crates that stood between it and the routing attribute were moved above
/// it: they are not moved twice.
pub(crate) fn reordered(args: TokenStream, input: TokenStream) -> TokenStream {
    attribute_once(args, input, false)
}

fn attribute_once(args: TokenStream, input: TokenStream, hoist: bool) -> TokenStream {
    let item = match route::handler(input.clone()) {
        Ok(item) => item,
        Err(error) => return expand::with_errors(input, error),
    };
    if hoist {
        let wrappers = route::wrappers_above_routing(&item.attrs);
        if !wrappers.is_empty() {
            return expand::hoisted(item, &wrappers, args);
        }
    }
    let mut cx = Ctxt::new();
    let args = args::parse(&mut cx, args, Site::Attribute);
    let routing = route::parse(&mut cx, &item.attrs);
    let validated = validate::attribute(&mut cx, &args, &routing, &item);
    match cx.check() {
        Ok(()) => expand::handler(item, &validated),
        Err(errors) => expand::handler_with_errors(item, &routing, errors),
    }
}

/// `policy! { input }`.
///
/// Input:  `pub API = { origins: [..] }; ..`
/// Output: one `static` per declaration, each followed by its errors
pub(crate) fn policy(input: TokenStream) -> TokenStream {
    match policy::parse(input) {
        Ok(declarations) => declarations.iter().map(declaration).collect(),
        Err(error) => error.into_compile_error(),
    }
}

fn declaration(declaration: &Declaration) -> TokenStream {
    let mut cx = Ctxt::new();
    let args = args::parse(&mut cx, declaration.body.clone(), Site::Policy);
    let config = validate::policy(&mut cx, &args);
    expand::policy(declaration, cx.check().map(|()| &config))
}
