//! Checks what was parsed against the CORS rules of `cors-credentials-rules`
//! and turns it into the validated model the expansion needs. Every meaning
//! check is here, every error is recorded, each spanned on the tokens at
//! fault: which keys are written (unknown, credentials, given twice), where
//! the routing attributes are and whether the handler is routed or
//! registered by hand, and what each value means.

use std::collections::HashSet;

use cors_credentials_rules::{
    header::{header_name_problem, method_problem},
    list::{check_list, CheckedList, Pattern},
};
use syn::{Attribute, Ident, ItemFn, LitStr};

use crate::{
    args::{Args, Key, List, OnDisallowed, OriginsArg, Site},
    ctxt::Ctxt,
    route::{Marker, Routing},
};

/// Default `Access-Control-Max-Age`: Chromium's cap, so Chromium asks once
/// every two hours at most (Firefox would keep a longer value; two hours
/// bounds how long a policy change takes to reach every browser).
pub const DEFAULT_MAX_AGE: u32 = 7200;

/// The largest `max_age` accepted: Firefox's cap, one day. Browsers clamp
/// larger values, so a larger number only misleads.
pub const MAX_MAX_AGE: u64 = 86_400;

/// Keys people reach for to turn credentials on or off: there is nothing to set.
const CREDENTIALS_KEYS: &[&str] = &["credentials", "allow_credentials", "supports_credentials"];

/// Where a validated configuration's origins come from.
pub enum OriginsCfg {
    /// Canonical exact origins, sorted by length then bytes (the runtime's
    /// lookup order), and patterns in the order written.
    Listed {
        exact: Vec<String>,
        patterns: Vec<Pattern>,
    },
    /// Read at startup from this variable.
    Env { var: String, allow_insecure: bool },
    /// Taken from the base policy.
    Inherited,
}

/// A validated configuration. `None` means "not given": the default, or the
/// base policy's value.
pub struct Config {
    pub origins: OriginsCfg,
    /// A policy declared with `policy!` whose values apply where none is given.
    pub base: Option<syn::Path>,
    /// Allowed request headers, lowercase.
    pub headers: Option<Vec<String>>,
    /// Exposed response headers, as written.
    pub expose_headers: Option<Vec<String>>,
    pub max_age: Option<u32>,
    pub on_disallowed: Option<OnDisallowed>,
}

/// How the handler is served.
pub enum Handler<'a> {
    /// Under its routing attributes: each gets the CORS middleware, and each
    /// path a preflight route.
    Routed(&'a Routing),
    /// Registered by hand: the middleware answers for these methods.
    Manual { methods: Vec<String> },
}

/// A validated `#[cors_credentials]`.
pub struct Validated<'a> {
    pub config: Config,
    pub handler: Handler<'a>,
}

/// Validates `#[cors_credentials(..)]` on `item`.
///
/// Input:  the parsed arguments, and the routing attributes of `item`
/// Output: `Validated { config, handler: Routed(..) | Manual { methods } }`
pub fn attribute<'a>(
    cx: &mut Ctxt,
    args: &Args,
    routing: &'a Routing,
    item: &ItemFn,
) -> Validated<'a> {
    keys(cx, args);
    placement(cx, routing, &item.attrs);
    let config = config(cx, args);
    let handler = handler(cx, args, routing, &item.sig.ident);
    Validated { config, handler }
}

/// Validates the body of a `policy!` declaration.
///
/// Input:  the parsed `{ key: value, .. }`
/// Output: its `Config`
pub fn policy(cx: &mut Ctxt, args: &Args) -> Config {
    keys(cx, args);
    config(cx, args)
}

/// Reports unknown keys, credentials keys and keys given twice, in the order
/// written. A key is given once its value has the right shape: a later
/// occurrence is a duplicate, while a value of the wrong shape, reported by
/// the parser already, gives nothing.
fn keys(cx: &mut Ctxt, args: &Args) {
    let mut given: Vec<&str> = Vec::new();
    for written in &args.written {
        let name = written.ident.to_string();
        let Some(key) = written.key else {
            let message = if CREDENTIALS_KEYS.contains(&name.as_str()) {
                format!(
                    "`{name}` cannot be set: `Access-Control-Allow-Credentials` has one valid value, `true`, and this attribute always sends it; remove `{name}`, or remove `#[cors_credentials]` to serve this handler without credentialed CORS"
                )
            } else {
                format!(
                    "unknown key `{name}`; valid keys are {}",
                    backticked(&Key::names_at(args.site))
                )
            };
            cx.error_spanned_by(&written.ident, message);
            continue;
        };
        if given.contains(&key.name) {
            cx.error_spanned_by(
                &written.ident,
                format!("duplicate key `{name}`: give it once"),
            );
        } else if written.parsed {
            given.push(key.name);
        }
    }
}

/// `` `a`, `b` and `c` ``.
fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Reports routing attributes actix-web would not apply as written, and
/// `OPTIONS` routes: the preflight route answers `OPTIONS` itself.
fn placement(cx: &mut Ctxt, routing: &Routing, attrs: &[Attribute]) {
    let mut routes_seen = false;
    for marker in &routing.markers {
        match *marker {
            Marker::Ours(index) => cx.error_spanned_by(
                &attrs[index],
                "`#[cors_credentials]` is applied twice: merge both into one attribute",
            ),
            Marker::Routes(index) => {
                if routes_seen {
                    cx.error_spanned_by(&attrs[index], "duplicate `#[routes]`");
                }
                routes_seen = true;
            }
        }
    }
    if routing.lacks_routes_attr() {
        for route in &routing.routes[1..] {
            cx.error_spanned_by(
                &attrs[route.attr_index],
                "a handler with several routing attributes needs `#[routes]` above them: write `#[cors_credentials(..)]`, then `#[routes]`, then the routing attributes",
            );
        }
    }
    if let Some(index) = routing.routes_attr() {
        for route in &routing.routes {
            if route.attr_index < index {
                cx.error_spanned_by(
                    &attrs[route.attr_index],
                    "routing attributes must come below `#[routes]`",
                );
            } else if route.qualified {
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
}

/// Routed when there are routing attributes, by hand (with `methods`) when
/// there are none; `methods` with routing attributes, or neither, is an
/// error. `name` is the handler's.
fn handler<'a>(cx: &mut Ctxt, args: &Args, routing: &'a Routing, name: &Ident) -> Handler<'a> {
    match (&args.methods, routing.routes.is_empty()) {
        (Some(list), true) => {
            return Handler::Manual {
                methods: methods(cx, list),
            }
        }
        (Some(list), false) => cx.error_at(
            list.span,
            "`methods` is only for handlers without a routing attribute: here the routing attribute gives the methods; remove `methods`",
        ),
        (None, true) if routing.routes_attr().is_none() => cx.error_spanned_by(
            name,
            format!("no routing attribute below `#[cors_credentials]`: put it above `#[get(..)]`, `#[post(..)]`, `#[route(..)]` or `#[routes]` (attributes expand top-down, so below them it never sees the route); for a handler registered by hand, add `methods = [..]` and wrap its resource with `{name}::cors()`"),
        ),
        (None, true) => cx.error_spanned_by(
            name,
            "`#[routes]` needs routing attributes below it, e.g. `#[get(\"/path\")]`",
        ),
        (None, false) => {}
    }
    // With an error recorded above, nothing is expanded.
    Handler::Routed(routing)
}

/// Validates every value but `methods`, which only a handler without routing
/// attributes takes (see `handler`).
///
/// Input:  `Args { origins: Some(List(["https://app.example.com"])), max_age: Some(600), .. }`
/// Output: `Config { origins: Listed { exact: ["https://app.example.com"], .. }, max_age: Some(600), .. }`
fn config(cx: &mut Ctxt, args: &Args) -> Config {
    let allow_insecure = args
        .allow_insecure_http_origins
        .as_ref()
        .is_some_and(|lit| lit.value);
    if args.policy.is_some() {
        for (key, span) in [
            ("origins", args.origins.as_ref().map(OriginsArg::span)),
            (
                "allow_insecure_http_origins",
                args.allow_insecure_http_origins
                    .as_ref()
                    .map(|lit| lit.span),
            ),
        ] {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!("`{key}` cannot be combined with `policy`: the policy's origins apply to every handler using it; declare another policy with `cors_credentials::policy!` for other origins"),
                );
            }
        }
    }
    let origins = match (&args.origins, &args.policy) {
        (_, Some(_)) => OriginsCfg::Inherited,
        (Some(OriginsArg::List(list)), None) => origins(cx, list, allow_insecure),
        (Some(OriginsArg::Env(var)), None) => {
            let name = var.value();
            if name.is_empty() || name.contains(['=', '\0']) {
                cx.error_spanned_by(var, "not a valid environment variable name");
            }
            OriginsCfg::Env {
                var: name,
                allow_insecure,
            }
        }
        (None, None) => {
            if !args.unparsed && !args.given("origins") && !args.given("policy") {
                let example = args.site.pair("origins", "[\"https://app.example.com\"]");
                let policy = match args.site {
                    Site::Attribute => ", or use a shared policy with `policy = NAME`",
                    Site::Policy => "",
                };
                cx.error_at(
                    args.span,
                    format!("missing `origins`: list the origins allowed to make credentialed requests, e.g. `{example}`{policy}"),
                );
            }
            OriginsCfg::Inherited
        }
    };
    let headers = args
        .headers
        .as_ref()
        .map(|list| header_names(cx, list, "headers", "request header"));
    let expose_headers = args
        .expose_headers
        .as_ref()
        .map(|list| header_names(cx, list, "expose_headers", "response header"));
    let max_age = args.max_age.as_ref().map(|lit| match lit.base10_parse::<u64>() {
        Ok(seconds) if seconds <= MAX_MAX_AGE => seconds as u32,
        Ok(_) => {
            cx.error_spanned_by(
                lit,
                format!("`max_age` must be at most {MAX_MAX_AGE} seconds: browsers cap it (Chromium at 7200, Firefox at 86400), so a larger value only misleads"),
            );
            DEFAULT_MAX_AGE
        }
        Err(error) => {
            cx.error_spanned_by(lit, format!("`max_age` must be a whole number of seconds: {error}"));
            DEFAULT_MAX_AGE
        }
    });
    let on_disallowed = args.on_disallowed.as_ref().map(|arg| match arg.value {
        Some(value) => value,
        None => {
            cx.error_spanned_by(
                &arg.lit,
                format!("unknown `on_disallowed` value `{}`; valid values are `\"reject\"` (403, the handler does not run; the default) and `\"pass\"` (the handler runs, the response has no CORS headers)", arg.lit.value()),
            );
            OnDisallowed::Reject
        }
    });
    Config {
        origins,
        base: args.policy.clone(),
        headers,
        expose_headers,
        max_age,
        on_disallowed,
    }
}

fn origins(cx: &mut Ctxt, list: &List, allow_insecure: bool) -> OriginsCfg {
    let values: Vec<String> = list.items.iter().map(LitStr::value).collect();
    match check_list(&values, allow_insecure) {
        Ok(CheckedList { exact, patterns }) => OriginsCfg::Listed { exact, patterns },
        Err(problems) => {
            for problem in problems {
                match problem.index {
                    Some(index) => {
                        cx.error_spanned_by(&list.items[index], problem.message(&values[index]))
                    }
                    // Elements that are no string literals are reported already.
                    None if list.written > 0 => {}
                    None => cx.error_at(
                        list.span,
                        "`origins` is empty: list at least one origin, e.g. `[\"https://app.example.com\"]`",
                    ),
                }
            }
            OriginsCfg::Listed {
                exact: Vec::new(),
                patterns: Vec::new(),
            }
        }
    }
}

/// Validates a list of header names (`headers` or `expose_headers`).
fn header_names(cx: &mut Ctxt, list: &List, key: &str, what: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    for lit in &list.items {
        let value = lit.value();
        if let Some(message) = header_name_problem(&value, key, what) {
            cx.error_spanned_by(lit, message);
            continue;
        }
        let lower = value.to_ascii_lowercase();
        if !seen.insert(lower.clone()) {
            cx.error_spanned_by(
                lit,
                format!("duplicate header `{value}` in `{key}`: remove this one"),
            );
            continue;
        }
        names.push(if key == "headers" { lower } else { value });
    }
    names
}

/// Validates `methods = [..]`, which a handler without a routing attribute needs.
fn methods(cx: &mut Ctxt, list: &List) -> Vec<String> {
    if list.items.is_empty() {
        cx.error_at(
            list.span,
            "`methods` is empty: list the methods the handler serves, e.g. `[\"GET\", \"POST\"]`",
        );
    }
    let mut methods: Vec<String> = Vec::new();
    for lit in &list.items {
        let value = lit.value();
        if let Some(message) = method_problem(&value) {
            cx.error_spanned_by(lit, message);
        } else if methods.contains(&value) {
            cx.error_spanned_by(lit, format!("duplicate method `{value}`: remove this one"));
        } else {
            methods.push(value);
        }
    }
    methods
}
