//! Procedural macro of `cors-credentials`. Depend on `cors-credentials` instead.

use proc_macro::TokenStream;

/// See the `cors-credentials` crate.
#[proc_macro_attribute]
pub fn cors_credentials(_args: TokenStream, input: TokenStream) -> TokenStream {
    input
}
