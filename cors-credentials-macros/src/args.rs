//! Parses the attribute's arguments into a typed model that keeps spans.
//!
//! Only the syntax is checked here; what the values mean is `validate.rs`'s job.

use proc_macro2::Span;
use syn::{
    ext::IdentExt,
    parse::{Parse, ParseStream},
    punctuated::Punctuated,
    Expr, Ident, Lit, LitBool, LitInt, LitStr, Token,
};

use crate::ctxt::Ctxt;

/// Every key the attribute accepts, as listed in "unknown key" errors.
pub const KEYS: &[&str] = &[
    "origins",
    "headers",
    "expose_headers",
    "max_age",
    "on_disallowed",
    "allow_insecure_http_origins",
    "methods",
];

/// A list value and the span of its brackets.
pub struct List {
    pub span: Span,
    /// The string literals; elements that were not are reported and left out.
    pub items: Vec<LitStr>,
    /// How many elements were written, literals or not.
    pub written: usize,
}

/// The attribute's arguments, as written.
#[derive(Default)]
pub struct Args {
    /// The span of the whole argument list, for "missing key" errors.
    pub span: Option<Span>,
    pub origins: Option<List>,
    pub headers: Option<List>,
    pub expose_headers: Option<List>,
    pub max_age: Option<LitInt>,
    pub on_disallowed: Option<LitStr>,
    pub allow_insecure_http_origins: Option<LitBool>,
    pub methods: Option<List>,
    /// Every key written, valid value or not, so a bad value is not also
    /// reported as a missing key.
    pub given: Vec<String>,
}

/// One `key = value` pair.
struct Pair {
    key: Ident,
    value: Expr,
}

impl Parse for Pair {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // Keywords parse too, so `type = ..` gets the "unknown key" error
        // listing the valid keys rather than a bare parse error.
        let key = input.call(Ident::parse_any)?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Pair { key, value })
    }
}

/// Parses the arguments, recording every error in `cx`.
pub fn parse(cx: &mut Ctxt, tokens: proc_macro2::TokenStream) -> Args {
    let mut args = Args {
        span: Some(span_of(&tokens)),
        ..Args::default()
    };
    let pairs = match syn::parse::Parser::parse2(
        Punctuated::<Pair, Token![,]>::parse_terminated,
        tokens,
    ) {
        Ok(pairs) => pairs,
        Err(error) => {
            cx.syn_error(syn::Error::new(
                error.span(),
                format!(
                    "{error}; expected `key = value` pairs, e.g. `origins = [\"https://app.example.com\"]`"
                ),
            ));
            return args;
        }
    };
    for Pair { key, value } in pairs {
        let value = ungroup(value);
        let name = key.to_string();
        args.given.push(name.clone());
        let duplicate = match name.as_str() {
            "origins" => set(&mut args.origins, list(cx, &key, value)),
            "headers" => set(&mut args.headers, list(cx, &key, value)),
            "expose_headers" => set(&mut args.expose_headers, list(cx, &key, value)),
            "methods" => set(&mut args.methods, list(cx, &key, value)),
            "max_age" => set(&mut args.max_age, int(cx, &key, value)),
            "on_disallowed" => set(&mut args.on_disallowed, string(cx, &key, value)),
            "allow_insecure_http_origins" => set(
                &mut args.allow_insecure_http_origins,
                boolean(cx, &key, value),
            ),
            "credentials" | "allow_credentials" | "supports_credentials" => {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "`{name}` cannot be set: `Access-Control-Allow-Credentials` has one valid value, `true`, and this attribute always sends it; remove `{name}`, or remove `#[cors_credentials]` to serve this handler without credentialed CORS"
                    ),
                );
                false
            }
            _ => {
                cx.error_spanned_by(
                    &key,
                    format!("unknown key `{name}`; valid keys are {}", backticked(KEYS)),
                );
                false
            }
        };
        if duplicate {
            cx.error_spanned_by(&key, format!("duplicate key `{name}`: give it once"));
        }
    }
    args
}

/// Stores `value`, returning whether the key was given before.
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let duplicate = slot.is_some();
    if !duplicate {
        *slot = value;
    }
    duplicate
}

/// Removes the invisible groups `macro_rules!` wraps around `$x:expr`.
fn ungroup(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}

fn list(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<List> {
    let array = match value {
        Expr::Array(array) => array,
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "`{key}` takes a list of string literals: write `{key} = [{}]`",
                    quote::ToTokens::to_token_stream(&lit)
                ),
            );
            return None;
        }
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{key}` takes a list of string literals, e.g. `{key} = [\"...\"]`"),
            );
            return None;
        }
    };
    let span = array.bracket_token.span.join();
    let written = array.elems.len();
    let mut items = Vec::new();
    for element in array.elems {
        match ungroup(element) {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) => items.push(lit),
            other => cx.error_spanned_by(
                &other,
                format!("`{key}` takes string literals only; write this value as `\"...\"`"),
            ),
        }
    }
    Some(List {
        span,
        items,
        written,
    })
}

fn int(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<LitInt> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(lit), ..
        }) => Some(lit),
        other => {
            cx.error_spanned_by(
                &other,
                format!(
                    "`{key}` takes a non-negative integer literal (seconds), e.g. `{key} = 600`"
                ),
            );
            None
        }
    }
}

fn string(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<LitStr> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit),
        other => {
            cx.error_spanned_by(&other, format!("`{key}` takes a string literal"));
            None
        }
    }
}

fn boolean(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<LitBool> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Bool(lit),
            ..
        }) => Some(lit),
        other => {
            cx.error_spanned_by(&other, format!("`{key}` takes `true` or `false`"));
            None
        }
    }
}

/// `` `a`, `b` and `c` ``.
pub fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

fn span_of(tokens: &proc_macro2::TokenStream) -> Span {
    let mut iter = tokens.clone().into_iter();
    let Some(first) = iter.next() else {
        return Span::call_site();
    };
    let last = iter.last().unwrap_or_else(|| first.clone());
    first
        .span()
        .join(last.span())
        .unwrap_or_else(|| first.span())
}
