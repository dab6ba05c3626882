//! Where the routing attributes are, which methods they serve, and whether
//! the handler is routed or registered by hand.

use syn::{Attribute, Ident};

use super::{values, Handler};
use crate::{
    args::Args,
    ctxt::Ctxt,
    route::{Marker, Routing},
};

/// Reports routing attributes actix-web would not apply as written, and
/// `OPTIONS` routes: the preflight route answers `OPTIONS` itself.
pub(super) fn placement(cx: &mut Ctxt, routing: &Routing, attrs: &[Attribute]) {
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
pub(super) fn handler<'a>(
    cx: &mut Ctxt,
    args: &Args,
    routing: &'a Routing,
    name: &Ident,
) -> Handler<'a> {
    match (&args.methods, routing.routes.is_empty()) {
        (Some(list), true) => {
            return Handler::Manual {
                methods: values::methods(cx, list),
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
