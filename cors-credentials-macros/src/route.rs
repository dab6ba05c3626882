//! Finds the actix-web routing attributes below `#[cors_credentials]`.
//!
//! Only what CORS needs is read (the path and the methods); everything else in
//! a routing attribute is left to actix-web, which checks it itself.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{
    parse::{ParseStream, Parser},
    punctuated::Punctuated,
    Attribute, Expr, Lit, LitStr, Meta, Token,
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
pub struct Route {
    /// Index of the attribute in the function's attributes.
    pub attr_index: usize,
    /// The path pattern, as written.
    pub path: LitStr,
    /// Methods, each with the token to point at in errors.
    pub methods: Vec<(String, Span)>,
}

/// The routing attributes found on the function.
pub struct Routing {
    pub routes: Vec<Route>,
    /// Index of a `#[routes]` attribute, if any.
    pub routes_attr: Option<usize>,
    /// Several routing attributes without `#[routes]`. The function emitted
    /// with the errors gets the missing `#[routes]`, so that actix-web
    /// reports nothing after ours.
    pub missing_routes: bool,
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

/// Reads the routing attributes of a handler, recording placement errors.
pub fn find(cx: &mut Ctxt, attrs: &[Attribute]) -> Routing {
    let mut routing = Routing {
        routes: Vec::new(),
        routes_attr: None,
        missing_routes: false,
    };
    for (index, attr) in attrs.iter().enumerate() {
        match kind(attr) {
            None => {}
            Some(Kind::Ours) => cx.error_spanned_by(
                attr,
                "`#[cors_credentials]` is applied twice: merge both into one attribute",
            ),
            Some(Kind::Routes) => {
                if routing.routes_attr.is_some() {
                    cx.error_spanned_by(attr, "duplicate `#[routes]`");
                }
                routing.routes_attr = Some(index);
            }
            Some(Kind::Method(method)) => {
                if let Some(route) = method_route(cx, index, attr, method) {
                    routing.routes.push(route);
                }
            }
            Some(Kind::Route) => {
                if let Some(route) = route_route(cx, index, attr) {
                    routing.routes.push(route);
                }
            }
        }
    }
    if routing.routes_attr.is_none() && routing.routes.len() > 1 {
        routing.missing_routes = true;
        for route in &routing.routes[1..] {
            cx.error_spanned_by(
                &attrs[route.attr_index],
                "a handler with several routing attributes needs `#[routes]` above them: write `#[cors_credentials(..)]`, then `#[routes]`, then the routing attributes",
            );
        }
    }
    if let Some(index) = routing.routes_attr {
        for route in &routing.routes {
            if route.attr_index < index {
                cx.error_spanned_by(
                    &attrs[route.attr_index],
                    "routing attributes must come below `#[routes]`",
                );
            } else if is_qualified(&attrs[route.attr_index]) {
                cx.error_spanned_by(
                    attrs[route.attr_index].path(),
                    "under `#[routes]`, actix-web only recognises bare routing attributes: write `#[get(..)]`, not `#[actix_web::get(..)]`",
                );
            }
        }
    }
    for route in &routing.routes {
        for (method, span) in &route.methods {
            if method == "OPTIONS" {
                cx.error_at(
                    *span,
                    "an `OPTIONS` route cannot be annotated: `#[cors_credentials]` answers the CORS preflight (`OPTIONS`) itself; remove `OPTIONS` from this handler",
                );
            }
        }
    }
    routing
}

fn is_qualified(attr: &Attribute) -> bool {
    attr.path().segments.len() > 1
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

fn method_route(cx: &mut Ctxt, index: usize, attr: &Attribute, method: &str) -> Option<Route> {
    let (path, _) = route_args(cx, attr)?;
    let span = attr
        .path()
        .segments
        .last()
        .map_or_else(Span::call_site, |s| s.ident.span());
    Some(Route {
        attr_index: index,
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
        path,
        methods,
    })
}

/// Appends `wrap = "<middleware>"` to a routing attribute, keeping every
/// argument the user wrote. actix-web applies the last `wrap` outermost, so
/// the CORS middleware also decorates responses of the user's own `wrap`s.
///
/// Input:  `#[get("/me", wrap = "Auth")]`
/// Output: `#[get("/me", wrap = "Auth", wrap = "::cors_credentials::…")]`
pub fn with_wrap(attr: &Attribute, middleware: &str) -> Attribute {
    let Meta::List(list) = &attr.meta else {
        return attr.clone();
    };
    let tokens = &list.tokens;
    let trailing_comma = tokens.clone().into_iter().last().is_some_and(
        |last| matches!(&last, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','),
    );
    let separator: TokenStream = if trailing_comma { quote!() } else { quote!(,) };
    let wrap = LitStr::new(middleware, Span::call_site());
    let path = &list.path;
    let mut new = attr.clone();
    new.meta = syn::parse_quote!(#path(#tokens #separator wrap = #wrap));
    new
}
