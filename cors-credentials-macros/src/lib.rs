//! The procedural macros of [`cors-credentials`](https://docs.rs/cors-credentials):
//! the `#[cors_credentials(..)]` attribute and `policy!`.
//!
//! Depend on `cors-credentials` instead of this crate: it re-exports both macros, holds
//! the runtime code they generate calls to, pins this crate's exact version, and
//! documents every option with tested examples.

// The macros are the pipeline of `pipeline.rs`: `args`, `route` and `policy`
// parse into a typed model that keeps spans (syntax errors only), `validate`
// checks what it means with the rules of `cors-credentials-rules` and turns
// it into the validated model, and `expand` generates the code. Errors are
// collected in a `Ctxt` and reported together.

mod args;
mod ctxt;
mod expand;
mod pipeline;
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
// Outside rustdoc there is nothing to document: the lint would ask for the
// lines left out on purpose above.
#[cfg_attr(not(doc), allow(missing_docs))]
#[proc_macro_attribute]
pub fn cors_credentials(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::attribute(args.into(), input.into()).into()
}

/// Not public API: `#[cors_credentials]` as re-issued below the attribute
/// macros of other crates that stood between it and the routing attribute.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn cors_credentials_reordered(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::reordered(args.into(), input.into()).into()
}

#[cfg_attr(
    doc,
    doc = "Declares shared credentialed CORS policies: use it as `cors_credentials::policy!`, documented in [`cors-credentials`](https://docs.rs/cors-credentials/latest/cors_credentials/macro.policy.html)."
)]
#[cfg_attr(not(doc), allow(missing_docs))]
#[proc_macro]
pub fn policy(input: TokenStream) -> TokenStream {
    pipeline::policy(input.into()).into()
}
