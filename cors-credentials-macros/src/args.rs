//! Parses the arguments, of the attribute or of a `policy!` declaration, into
//! a typed model that keeps spans.
//!
//! Only the syntax is checked here: a value of the wrong shape, tokens that do
//! not parse. Which keys may be written, and what the values mean, is
//! the job of `validate`.

use proc_macro2::Span;
use syn::{
    ext::IdentExt, parse::ParseStream, punctuated::Punctuated, Expr, Ident, Lit, LitBool, LitInt,
    LitStr, Token,
};

use quote::ToTokens;

use crate::ctxt::Ctxt;

/// Where the arguments are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// `#[cors_credentials(key = value, ..)]`
    Attribute,
    /// `policy! { NAME = { key: value, .. } }`
    Policy,
}

impl Site {
    /// `key = value` or `key: value`.
    pub(crate) fn pair(self, key: &str, value: &str) -> String {
        match self {
            Site::Attribute => format!("{key} = {value}"),
            Site::Policy => format!("{key}: {value}"),
        }
    }
}

/// One key: its name, where it may be written, and how its value parses.
pub(crate) struct Key {
    pub name: &'static str,
    sites: &'static [Site],
    /// Parses the value into its field of `Args` unless the field is set
    /// already, and tells whether the value had the right shape.
    parse: fn(&mut Ctxt, &Ident, Expr, &mut Args) -> bool,
}

const EVERYWHERE: &[Site] = &[Site::Attribute, Site::Policy];
const ATTRIBUTE: &[Site] = &[Site::Attribute];
const POLICY: &[Site] = &[Site::Policy];

/// A key named like its field of `Args`: `parse` parses its value into the
/// field, which keeps the first value written.
macro_rules! key {
    ($field:ident, $sites:expr, $parse:ident) => {
        Key {
            name: stringify!($field),
            sites: $sites,
            parse: |cx, key, value, args| store(&mut args.$field, $parse(cx, key, value)),
        }
    };
}

/// Every key, in the order errors list them.
static KEYS: &[Key] = &[
    key!(origins, EVERYWHERE, origins),
    key!(dev_origins, EVERYWHERE, list),
    key!(policy, ATTRIBUTE, path),
    key!(headers, EVERYWHERE, list),
    key!(expose_headers, EVERYWHERE, list),
    key!(max_age, EVERYWHERE, int),
    key!(on_disallowed, EVERYWHERE, on_disallowed),
    key!(allow_insecure_http_origins, EVERYWHERE, boolean),
    key!(methods, ATTRIBUTE, list),
    key!(tenant, POLICY, tenant),
];

impl Key {
    /// The key named `name` that may be written at `site`.
    fn at(site: Site, name: &str) -> Option<&'static Key> {
        KEYS.iter()
            .find(|key| key.name == name && key.sites.contains(&site))
    }

    /// The names of the keys that may be written at `site`.
    pub(crate) fn names_at(site: Site) -> Vec<&'static str> {
        KEYS.iter()
            .filter(|key| key.sites.contains(&site))
            .map(|key| key.name)
            .collect()
    }
}

/// Where the origins come from.
pub(crate) enum OriginsArg {
    /// `[..]`: origins and patterns in the source.
    List(List),
    /// `env("VAR")`: a comma-separated list read at startup.
    Env(LitStr),
    /// `dynamic`: given at run time with `Policy::set_origins`.
    Dynamic(Ident),
    /// `per_tenant`: one set per tenant, given at run time with
    /// `Policy::set_tenant_origins`.
    PerTenant(Ident),
}

/// `tenant: path("name")` or `tenant: host`: what names the tenant of a
/// request under `origins: per_tenant`.
pub(crate) enum TenantArg {
    /// `path("name")`: the `{name}` segment of the route's path.
    Path(LitStr),
    /// `host`: the request's host.
    Host(Ident),
}

impl TenantArg {
    /// Where the value is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            TenantArg::Path(name) => name.span(),
            TenantArg::Host(ident) => ident.span(),
        }
    }
}

impl OriginsArg {
    /// Where the value is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            OriginsArg::List(list) => list.span,
            OriginsArg::Env(var) => var.span(),
            OriginsArg::Dynamic(ident) | OriginsArg::PerTenant(ident) => ident.span(),
        }
    }
}

/// A list value and the span of its brackets.
pub(crate) struct List {
    pub span: Span,
    /// The string literals; elements that were not are reported and left out.
    pub items: Vec<LitStr>,
    /// How many elements were written, literals or not.
    pub written: usize,
}

/// What happens to a request from an origin that is not allowed.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum OnDisallowed {
    /// `"reject"`: 403, the handler does not run.
    #[default]
    Reject,
    /// `"pass"`: the handler runs, the response has no CORS headers.
    Pass,
}

/// `on_disallowed = "..."`, as written.
pub(crate) struct OnDisallowedArg {
    /// The literal, to point at in errors.
    pub lit: LitStr,
    /// The value the literal names, if it names one.
    pub value: Option<OnDisallowed>,
}

/// One key as written, whether it is known here or not.
pub(crate) struct Written {
    pub ident: Ident,
    /// The key, if one of that name may be written at this site.
    pub key: Option<&'static Key>,
    /// The value had the shape the key takes.
    pub parsed: bool,
}

/// The arguments, as written. A key given more than once keeps its first
/// value of the right shape.
pub(crate) struct Args {
    /// Where the arguments are written.
    pub site: Site,
    /// The arguments did not parse; what they hold is not to be checked further.
    pub unparsed: bool,
    /// The span of the whole argument list, for "missing key" errors.
    pub span: Span,
    /// Every key written, in order, valid value or not.
    pub written: Vec<Written>,
    pub origins: Option<OriginsArg>,
    /// `dev_origins = [..]`: origins allowed in builds with `debug_assertions` only.
    pub dev_origins: Option<List>,
    /// `policy = PATH`: a policy declared with `policy!`.
    pub policy: Option<syn::Path>,
    pub headers: Option<List>,
    pub expose_headers: Option<List>,
    pub max_age: Option<LitInt>,
    pub on_disallowed: Option<OnDisallowedArg>,
    pub allow_insecure_http_origins: Option<LitBool>,
    pub methods: Option<List>,
    /// `tenant: ..`, `policy!` only.
    pub tenant: Option<TenantArg>,
}

impl Args {
    /// Whether a key named `name` is written, known here or not.
    pub(crate) fn given(&self, name: &str) -> bool {
        self.written.iter().any(|written| written.ident == name)
    }
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

/// Parses arguments written at `site`, recording every syntax error in `cx`.
///
/// Input:  `origins = ["https://app.example.com"], max_age = 600`
/// Output: `Args { origins: Some(List(..)), max_age: Some(600), written: [origins, max_age], .. }`
pub(crate) fn parse(cx: &mut Ctxt, tokens: proc_macro2::TokenStream, site: Site) -> Args {
    let mut args = Args {
        site,
        unparsed: false,
        span: span_of(&tokens),
        written: Vec::new(),
        origins: None,
        dev_origins: None,
        policy: None,
        headers: None,
        expose_headers: None,
        max_age: None,
        on_disallowed: None,
        allow_insecure_http_origins: None,
        methods: None,
        tenant: None,
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
    for Pair { key: ident, value } in pairs {
        let key = Key::at(site, &ident.to_string());
        // The value of a key not known here is not parsed: what it should
        // look like is unknown.
        let parsed = key.is_some_and(|key| (key.parse)(cx, &ident, ungroup(value), &mut args));
        args.written.push(Written { ident, key, parsed });
    }
    args
}

/// Stores `value` unless `slot` holds one already, returning whether there
/// was a value.
fn store<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let parsed = value.is_some();
    if slot.is_none() {
        *slot = value;
    }
    parsed
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
    if let Expr::Path(path) = &value {
        if path.qself.is_none() && path.path.is_ident("dynamic") {
            return path.path.get_ident().cloned().map(OriginsArg::Dynamic);
        }
        if path.qself.is_none() && path.path.is_ident("per_tenant") {
            return path.path.get_ident().cloned().map(OriginsArg::PerTenant);
        }
    }
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

/// `path("name")` or `host`.
fn tenant(cx: &mut Ctxt, key: &Ident, value: Expr) -> Option<TenantArg> {
    const EXPECTED: &str = "takes `path(\"name\")`, the `{name}` segment of the route's path that names the tenant, e.g. `tenant: path(\"tenant\")` for `/t/{tenant}/..`, or `host`, the request's host";
    match &value {
        Expr::Path(path) if path.qself.is_none() && path.path.is_ident("host") => {
            return path.path.get_ident().cloned().map(TenantArg::Host);
        }
        Expr::Call(call) if call.func.to_token_stream().to_string() == "path" => {
            let mut args = call.args.iter().cloned().map(ungroup);
            if let (
                Some(Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(name),
                    ..
                })),
                None,
            ) = (args.next(), args.next())
            {
                return Some(TenantArg::Path(name));
            }
        }
        _ => {}
    }
    cx.error_spanned_by(&value, format!("`{key}` {EXPECTED}"));
    None
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
