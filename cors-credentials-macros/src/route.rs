//! Parses the handler below `#[cors_credentials]`: the function, and the
//! actix-web routing attributes on it.
//!
//! Only what CORS needs is read (the path and the methods); everything else in
//! a routing attribute is left to actix-web, which checks it itself. Where the
//! attributes are placed, and which methods they serve, is checked by
//! `validate`.

use proc_macro2::{Span, TokenStream};
use syn::{
    parse::{ParseStream, Parser},
    punctuated::Punctuated,
    Attribute, Expr, ItemFn, Lit, LitStr, Meta, Token,
};

use crate::ctxt::Ctxt;

/// The single-method routing attributes of actix-web, with their methods.
const METHOD_ATTRIBUTES: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("connect", "CONNECT"),
    ("trace", "TRACE"),
    ("query", "QUERY"),
];

/// One routing attribute: a path and the methods it serves there.
pub(crate) struct Route {
    /// Index of the attribute in the function's attributes.
    pub attr_index: usize,
    /// Written with a path (`#[actix_web::get(..)]`), not bare.
    pub qualified: bool,
    /// The path pattern, as written.
    pub path: LitStr,
    /// Methods, each once, with the token to point at in errors.
    pub methods: Vec<(String, Span)>,
}

/// An attribute that is no route but matters here.
pub(crate) enum Marker {
    /// `#[routes]`, at this index.
    Routes(usize),
    /// `#[cors_credentials]` again, at this index.
    Ours(usize),
}

/// The routing attributes found on the function.
pub(crate) struct Routing {
    /// The routing attributes, in order.
    pub routes: Vec<Route>,
    /// Every `#[routes]` and `#[cors_credentials]` below ours, in order.
    pub markers: Vec<Marker>,
}

impl Routing {
    /// Index of the `#[routes]` attribute that applies (the last one), if any.
    pub(crate) fn routes_attr(&self) -> Option<usize> {
        self.markers.iter().rev().find_map(|marker| match marker {
            Marker::Routes(index) => Some(*index),
            Marker::Ours(_) => None,
        })
    }

    /// Several routing attributes without `#[routes]`.
    pub(crate) fn lacks_routes_attr(&self) -> bool {
        self.routes_attr().is_none() && self.routes.len() > 1
    }
}

/// Parses the item below the attribute, which must be a function.
pub(crate) fn handler(input: TokenStream) -> syn::Result<ItemFn> {
    syn::parse2(input).map_err(|error| {
        syn::Error::new(
            error.span(),
            "`#[cors_credentials]` goes on an actix-web handler function, above its routing attribute (`#[get(..)]`, `#[post(..)]`, …)",
        )
    })
}

/// What kind of routing attribute an attribute is, if any.
enum Kind {
    Method(&'static str),
    Route,
    Routes,
    /// `#[cors_credentials]` again.
    Ours,
}

fn kind(attr: &Attribute) -> Option<Kind> {
    let path = attr.path();
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let name = match segments.as_slice() {
        [name] => name.as_str(),
        [krate, name] if krate == "actix_web" => name.as_str(),
        [krate, name] if krate == "cors_credentials" && name == "cors_credentials" => {
            return Some(Kind::Ours)
        }
        _ => return None,
    };
    match name {
        "route" => Some(Kind::Route),
        "routes" => Some(Kind::Routes),
        "cors_credentials" => Some(Kind::Ours),
        _ => METHOD_ATTRIBUTES
            .iter()
            .find(|(attr_name, _)| *attr_name == name)
            .map(|(_, method)| Kind::Method(method)),
    }
}

/// Builtin attributes that expand to nothing and generate no item: they may
/// stay between `#[cors_credentials]` and the routing attribute.
const INERT: &[&str] = &[
    "doc",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "deprecated",
    "must_use",
    "inline",
    "cold",
    "track_caller",
    "cfg",
    "cfg_attr",
];

/// Tools whose attributes (`#[rustfmt::skip]`, `#[clippy::..]`) are inert.
const INERT_TOOLS: &[&str] = &["rustfmt", "clippy", "diagnostic", "rustdoc"];

/// Indices of the attribute macros of other crates that stand between ours
/// and the first routing attribute (`#[utoipa::path]`,
/// `#[tracing::instrument]`, …). Expanded there, they would expand inside the
/// generated service, where items they generate (utoipa's `__path_<handler>`)
/// are out of the module's scope; `expand::hoisted` moves them above ours.
///
/// Input:  `#[utoipa::path(..)] #[allow(unused)] #[get("/me")] #[other]`
/// Output: `[0]`
pub(crate) fn wrappers_above_routing(attrs: &[Attribute]) -> Vec<usize> {
    let Some(first_route) = attrs.iter().position(|attr| {
        matches!(
            kind(attr),
            Some(Kind::Method(_) | Kind::Route | Kind::Routes)
        )
    }) else {
        return Vec::new();
    };
    attrs[..first_route]
        .iter()
        .enumerate()
        .filter(|(_, attr)| kind(attr).is_none() && !is_inert(attr))
        .map(|(index, _)| index)
        .collect()
}

fn is_inert(attr: &Attribute) -> bool {
    let segments = &attr.path().segments;
    let Some(first) = segments.first() else {
        return true;
    };
    let first = first.ident.to_string();
    if segments.len() == 1 {
        INERT.contains(&first.as_str())
    } else {
        INERT_TOOLS.contains(&first.as_str())
    }
}

/// Reads the routing attributes of a handler, recording syntax errors.
///
/// Input:  `#[routes] #[get("/me")] #[route("/me", method = "PUT")]`
/// Output: `Routing { routes: [GET /me, PUT /me], markers: [Routes(0)] }`
pub(crate) fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> Routing {
    let mut routing = Routing {
        routes: Vec::new(),
        markers: Vec::new(),
    };
    for (index, attr) in attrs.iter().enumerate() {
        let route = match kind(attr) {
            None => None,
            Some(Kind::Ours) => {
                routing.markers.push(Marker::Ours(index));
                None
            }
            Some(Kind::Routes) => {
                routing.markers.push(Marker::Routes(index));
                None
            }
            Some(Kind::Method(method)) => method_route(cx, index, attr, method),
            Some(Kind::Route) => route_route(cx, index, attr),
        };
        routing.routes.extend(route);
    }
    routing
}

/// The arguments of a routing attribute: the path literal, then `key = value` options.
fn route_args(cx: &mut Ctxt, attr: &Attribute) -> Option<(LitStr, Vec<syn::MetaNameValue>)> {
    let Meta::List(list) = &attr.meta else {
        cx.error_spanned_by(attr, "expected the route path, e.g. `#[get(\"/path\")]`");
        return None;
    };
    let parser = |input: ParseStream<'_>| {
        let path = match ungroup_lit(input.parse::<Expr>()?) {
            Some(Lit::Str(path)) => path,
            _ => {
                return Err(input.error(
                    "expected the route path as a string literal, e.g. `#[get(\"/path\")]`",
                ))
            }
        };
        if input.is_empty() {
            return Ok((path, Vec::new()));
        }
        input.parse::<Token![,]>()?;
        let options = Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated(input)?;
        Ok((path, options.into_iter().collect()))
    };
    match parser.parse2(list.tokens.clone()) {
        Ok(args) => Some(args),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}

fn ungroup_lit(expr: Expr) -> Option<Lit> {
    match expr {
        Expr::Group(group) => ungroup_lit(*group.expr),
        Expr::Lit(lit) => Some(lit.lit),
        _ => None,
    }
}

fn is_qualified(attr: &Attribute) -> bool {
    attr.path().segments.len() > 1
}

fn method_route(cx: &mut Ctxt, index: usize, attr: &Attribute, method: &str) -> Option<Route> {
    let (path, _) = route_args(cx, attr)?;
    let span = attr
        .path()
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    Some(Route {
        attr_index: index,
        qualified: is_qualified(attr),
        path,
        methods: vec![(method.to_owned(), span)],
    })
}

fn route_route(cx: &mut Ctxt, index: usize, attr: &Attribute) -> Option<Route> {
    let (path, options) = route_args(cx, attr)?;
    let mut methods = Vec::new();
    for option in options {
        if !option.path.is_ident("method") {
            continue;
        }
        // A malformed method is left for actix-web to report.
        if let Some(Lit::Str(method)) = ungroup_lit(option.value) {
            let name = method.value();
            if !methods.iter().any(|(known, _)| *known == name) {
                methods.push((name, method.span()));
            }
        }
    }
    Some(Route {
        attr_index: index,
        qualified: is_qualified(attr),
        path,
        methods,
    })
}
