//! Parses `policy!`'s input: policies declared once, checked like the
//! attribute, used by many handlers with `#[cors_credentials(policy = NAME)]`.
//!
//! The body of each declaration is parsed by `args.rs`.

use proc_macro2::TokenStream;
use syn::{
    braced,
    parse::{Parse, ParseStream},
    Attribute, Ident, Token, Visibility,
};

/// One `#[attrs] vis NAME = { key: value, .. }` declaration.
pub(crate) struct Declaration {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub name: Ident,
    /// The `key: value` pairs, unparsed.
    pub body: TokenStream,
}

struct Declarations(Vec<Declaration>);

impl Parse for Declarations {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut declarations = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis = input.parse()?;
            let name = input.parse()?;
            input.parse::<Token![=]>()?;
            let content;
            braced!(content in input);
            let body = content.parse()?;
            declarations.push(Declaration {
                attrs,
                vis,
                name,
                body,
            });
            if !input.is_empty() {
                input.parse::<Token![;]>()?;
            }
        }
        Ok(Declarations(declarations))
    }
}

/// Splits `policy!`'s input into its declarations.
///
/// Input:  `/// Docs. pub API = { origins: [..] }; ADMIN = { .. }`
/// Output: `[Declaration { name: API, body: origins: [..], .. }, Declaration { name: ADMIN, .. }]`
pub(crate) fn parse(input: TokenStream) -> syn::Result<Vec<Declaration>> {
    match syn::parse2::<Declarations>(input) {
        Ok(declarations) => Ok(declarations.0),
        Err(error) => {
            let message = format!(
                "{error}; expected `pub NAME = {{ origins: [\"https://app.example.com\"], .. }}`"
            );
            Err(syn::Error::new(error.span(), message))
        }
    }
}
