//! Parses the attribute's arguments into a typed model that keeps spans.
//!
//! Only the syntax is checked here; what the values mean is `validate.rs`'s job.

use proc_macro2::Span;
use syn::{
    ext::IdentExt, parse::ParseStream, punctuated::Punctuated, Expr, Ident, Lit, LitBool, LitInt,
    LitStr, Token,
};

use quote::ToTokens;

use crate::ctxt::Ctxt;

/// Where the arguments are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// `#[cors_credentials(key = value, ..)]`
    Attribute,
    /// `policy! { NAME = { key: value, .. } }`
    Policy,
}

impl Site {
    /// Every key accepted here, as listed in "unknown key" errors.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Site::Attribute => &[
                "origins",
                "policy",
                "headers",
                "expose_headers",
                "max_age",
                "on_disallowed",
                "allow_insecure_http_origins",
                "methods",
            ],
            Site::Policy => &[
                "origins",
                "headers",
                "expose_headers",
                "max_age",
                "on_disallowed",
                "allow_insecure_http_origins",
            ],
        }
    }

    /// `key = value` or `key: value`.
    pub fn pair(self, key: &str, value: &str) -> String {
        match self {
            Site::Attribute => format!("{key} = {value}"),
            Site::Policy => format!("{key}: {value}"),
        }
    }
}

/// Keys people reach for to turn credentials on or off: there is nothing to set.
const CREDENTIALS_KEYS: &[&str] = &["credentials", "allow_credentials", "supports_credentials"];

/// Where the origins come from.
pub enum OriginsArg {
    /// `[..]`: origins and patterns in the source.
    List(List),
    /// `env("VAR")`: a comma-separated list read at startup.
    Env(LitStr),
}

impl OriginsArg {
    /// Where the value is written.
    pub fn span(&self) -> Span {
        match self {
            OriginsArg::List(list) => list.span,
            OriginsArg::Env(var) => var.span(),
        }
    }
}

/// A list value and the span of its brackets.
pub struct List {
    pub span: Span,
    /// The string literals; elements that were not are reported and left out.
    pub items: Vec<LitStr>,
    /// How many elements were written, literals or not.
    pub written: usize,
}

/// What happens to a request from an origin that is not allowed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnDisallowed {
    /// `"reject"`: 403, the handler does not run.
    Reject,
    /// `"pass"`: the handler runs, the response has no CORS headers.
    Pass,
}

/// `on_disallowed = "..."`, as written.
pub struct OnDisallowedArg {
    /// The literal, to point at in errors.
    pub lit: LitStr,
    /// The value the literal names, if it names one.
    pub value: Option<OnDisallowed>,
}

/// The attribute's arguments, as written.
pub struct Args {
    /// Where the arguments are written.
    pub site: Site,
    /// The arguments did not parse; what they hold is not to be checked further.
    pub unparsed: bool,
    /// The span of the whole argument list, for "missing key" errors.
    pub span: Option<Span>,
    pub origins: Option<OriginsArg>,
    /// `policy = PATH`: a policy declared with `policy!`.
    pub policy: Option<syn::Path>,
    pub headers: Option<List>,
    pub expose_headers: Option<List>,
    pub max_age: Option<LitInt>,
    pub on_disallowed: Option<OnDisallowedArg>,
    pub allow_insecure_http_origins: Option<LitBool>,
    pub methods: Option<List>,
    /// Every key written, valid value or not, so a bad value is not also
    /// reported as a missing key.
    pub given: Vec<String>,
}

/// One `key = value` (or `key: value`) pair.
struct Pair {
    key: Ident,
    value: Expr,
}

fn attribute_pair(input: ParseStream<'_>) -> syn::Result<Pair> {
    pair(input, Site::Attribute)
}

fn policy_pair(input: ParseStream<'_>) -> syn::Result<Pair> {
    pair(input, Site::Policy)
}

fn pair(input: ParseStream<'_>, site: Site) -> syn::Result<Pair> {
    {
        // Keywords parse too, so `type = ..` gets the "unknown key" error
        // listing the valid keys rather than a bare parse error.
        let key = input.call(Ident::parse_any)?;
        let separator_ok = match site {
            Site::Attribute => input.parse::<Option<Token![=]>>()?.is_some(),
            Site::Policy => input.parse::<Option<Token![:]>>()?.is_some(),
        };
        if !separator_ok {
            return Err(input.error(format!(
                "expected `{}`",
                site.pair(&key.to_string(), "value")
            )));
        }
        let value = input.parse()?;
        Ok(Pair { key, value })
    }
}

/// Parses the attribute's arguments, recording every error in `cx`.
pub fn parse(cx: &mut Ctxt, tokens: proc_macro2::TokenStream) -> Args {
    parse_at(cx, tokens, Site::Attribute)
}

/// Parses arguments written at `site`, recording every error in `cx`.
pub fn parse_at(cx: &mut Ctxt, tokens: proc_macro2::TokenStream, site: Site) -> Args {
    let mut args = Args {
        site,
        unparsed: false,
        span: Some(span_of(&tokens)),
        origins: None,
        policy: None,
        headers: None,
        expose_headers: None,
        max_age: None,
        on_disallowed: None,
        allow_insecure_http_origins: None,
        methods: None,
        given: Vec::new(),
    };
    let pairs = match syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let pair = match site {
                Site::Attribute => attribute_pair,
                Site::Policy => policy_pair,
            };
            Punctuated::<Pair, Token![,]>::parse_terminated_with(input, pair)
        },
        tokens,
    ) {
        Ok(pairs) => pairs,
        Err(error) => {
            args.unparsed = true;
            cx.syn_error(syn::Error::new(
                error.span(),
                format!(
                    "{error}: write `{}` pairs, e.g. `{}`",
                    site.pair("key", "value"),
                    site.pair("origins", "[\"https://app.example.com\"]")
                ),
            ));
            return args;
        }
    };
    for Pair { key, value } in pairs {
        let value = ungroup(value);
        let name = key.to_string();
        args.given.push(name.clone());
        let known = site.keys().contains(&name.as_str());
        let duplicate = match name.as_str() {
            _ if !known && !CREDENTIALS_KEYS.contains(&name.as_str()) => {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "unknown key `{name}`; valid keys are {}",
                        backticked(site.keys())
                    ),
                );
                false
            }
            "origins" => set(&mut args.origins, origins(cx, &key, value)),
            "policy" => set(&mut args.policy, path(cx, &key, value)),
            "headers" => set(&mut args.headers, list(cx, &key, value)),
            "expose_headers" => set(&mut args.expose_headers, list(cx, &key, value)),
            "methods" => set(&mut args.methods, list(cx, &key, value)),
            "max_age" => set(&mut args.max_age, int(cx, &key, value)),
            "on_disallowed" => set(&mut args.on_disallowed, on_disallowed(cx, &key, value)),
            "allow_insecure_http_origins" => set(
                &mut args.allow_insecure_http_origins,
                boolean(cx, &key, value),
            ),
            _ if CREDENTIALS_KEYS.contains(&name.as_str()) => {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "`{name}` cannot be set: `Access-Control-Allow-Credentials` has one valid value, `true`, and this attribute always sends it; remove `{name}`, or remove `#[cors_credentials]` to serve this handler without credentialed CORS"
                    ),
                );
                false
            }
            _ => false,
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

/// `[..]` or `env("VAR")`.
fn origins(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<OriginsArg> {
    if let Expr::Call(call) = &value {
        if call.func.to_token_stream().to_string() == "env" {
            let mut args = call.args.iter().cloned().map(ungroup);
            return match (args.next(), args.next()) {
                (
                    Some(Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(var), ..
                    })),
                    None,
                ) => Some(OriginsArg::Env(var)),
                _ => {
                    cx.error_spanned_by(
                        call,
                        "`env` takes the variable's name as one string literal, e.g. `env(\"APP_CORS_ORIGINS\")`",
                    );
                    None
                }
            };
        }
    }
    list(cx, key, value).map(OriginsArg::List)
}

/// A path to a policy declared with `policy!`.
fn path(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<syn::Path> {
    match value {
        Expr::Path(path) if path.qself.is_none() => Some(path.path),
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{key}` takes the path of a policy declared with `cors_credentials::policy!`, e.g. `{key} = API`"),
            );
            None
        }
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
                    lit.to_token_stream()
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

/// `"reject"` or `"pass"`; any other string is kept for validation to report.
fn on_disallowed(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<OnDisallowedArg> {
    let lit = string(cx, key, value)?;
    let value = match lit.value().as_str() {
        "reject" => Some(OnDisallowed::Reject),
        "pass" => Some(OnDisallowed::Pass),
        _ => None,
    };
    Some(OnDisallowedArg { lit, value })
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
