//! `policy!`: policies declared once, checked like the attribute, used by
//! many handlers with `#[cors_credentials(policy = NAME)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{
    braced,
    parse::{Parse, ParseStream},
    Attribute, Ident, Token, Visibility,
};

use crate::{
    args::{self, Site},
    ctxt::Ctxt,
    expand, validate,
};

/// One `#[attrs] vis NAME = { key: value, .. }` declaration.
struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    body: TokenStream,
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

/// Input:
///     policy! { /// Docs.
///               pub API = { origins: ["https://app.example.com"], max_age: 600 } }
/// Output:
///     /// Docs.
///     pub static API: ::cors_credentials::Policy = Policy { .. };
///
/// A declaration with errors still defines its static (allowing no origin),
/// so handlers using it report nothing after the policy's own errors.
pub fn expand(input: TokenStream) -> TokenStream {
    let declarations = match syn::parse2::<Declarations>(input) {
        Ok(declarations) => declarations.0,
        Err(error) => {
            let message = format!(
                "{error}; expected `pub NAME = {{ origins: [\"https://app.example.com\"], .. }}`"
            );
            return syn::Error::new(error.span(), message).into_compile_error();
        }
    };
    declarations.into_iter().map(declaration).collect()
}

fn declaration(declaration: Declaration) -> TokenStream {
    let Declaration {
        attrs,
        vis,
        name,
        body,
    } = declaration;
    let mut cx = Ctxt::new();
    let args = args::parse(&mut cx, body, Site::Policy);
    validate::keys(&mut cx, &args);
    let config = validate::config(&mut cx, &args);
    let (policy, errors) = match cx.check() {
        Ok(()) => (expand::policy_expr(&config), None),
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
