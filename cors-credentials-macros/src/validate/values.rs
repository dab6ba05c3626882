//! What each value means: origins, headers, `max_age`, `on_disallowed` and
//! `methods`, checked with the rules of `cors-credentials-rules`.

use std::collections::HashSet;

use cors_credentials_rules::{
    header::{header_name_problem, method_problem},
    list::{check_list, CheckedList},
};

use super::{Config, OriginsCfg, TenantCfg};
use crate::{
    args::{Args, List, OnDisallowed, OriginsArg, Site, TenantArg},
    ctxt::Ctxt,
};
use syn::LitStr;

/// Default `Access-Control-Max-Age`: Chromium's cap, so Chromium asks once
/// every two hours at most (Firefox would keep a longer value; two hours
/// bounds how long a policy change takes to reach every browser).
pub(crate) const DEFAULT_MAX_AGE: u32 = 7200;

/// The largest `max_age` accepted: Firefox's cap, one day. Browsers clamp
/// larger values, so a larger number only misleads.
pub(super) const MAX_MAX_AGE: u64 = 86_400;

/// Validates every value but `methods`, which only a handler without routing
/// attributes takes (see `routing::handler`).
///
/// Input:  `Args { origins: Some(List(["https://app.example.com"])), max_age: Some(600), .. }`
/// Output: `Config { origins: Listed { exact: ["https://app.example.com"], .. }, max_age: Some(600), .. }`
pub(super) fn config(cx: &mut Ctxt, args: &Args) -> Config {
    let allow_insecure = args
        .allow_insecure_http_origins
        .as_ref()
        .is_some_and(|lit| lit.value);
    if args.policy.is_some() {
        for (key, span) in [
            ("origins", args.origins.as_ref().map(OriginsArg::span)),
            (
                "dev_origins",
                args.dev_origins.as_ref().map(|list| list.span),
            ),
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
        (Some(OriginsArg::List(list)), None) => {
            origins(cx, list, args.dev_origins.as_ref(), allow_insecure)
        }
        (Some(OriginsArg::Dynamic(ident)), None) => {
            if args.site == Site::Attribute {
                cx.error_spanned_by(
                    ident,
                    "`origins = dynamic` needs a name to set the origins through: declare the policy with `cors_credentials::policy! { pub NAME = { origins: dynamic, .. } }`, call `NAME.set_origins(..)`, and use it with `policy = NAME`",
                );
            }
            if let Some(dev) = &args.dev_origins {
                cx.error_at(
                    dev.span,
                    "`dev_origins` cannot be combined with `origins: dynamic`: give the development origins to `set_origins` in development builds",
                );
            }
            OriginsCfg::Dynamic { allow_insecure }
        }
        (Some(OriginsArg::PerTenant(ident)), None) => {
            if args.site == Site::Attribute {
                cx.error_spanned_by(
                    ident,
                    "`origins = per_tenant` needs a name to set the tenants' origins through: declare the policy with `cors_credentials::policy! { pub NAME = { origins: per_tenant, tenant: path(\"tenant\"), .. } }`, call `NAME.set_tenant_origins(..)`, and use it with `policy = NAME`",
                );
            }
            if let Some(dev) = &args.dev_origins {
                cx.error_at(
                    dev.span,
                    "`dev_origins` cannot be combined with `origins: per_tenant`: give the development origins to `set_tenant_origins` in development builds",
                );
            }
            let tenant = match &args.tenant {
                Some(TenantArg::Path(name)) => {
                    let value = name.value();
                    let valid = value
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        cx.error_spanned_by(
                            name,
                            "`path(..)` takes the name of a `{segment}` of the route's path: letters, digits and `_`, not starting with a digit, e.g. `path(\"tenant\")` for `/t/{tenant}/..`",
                        );
                    }
                    TenantCfg::Path(value)
                }
                Some(TenantArg::Host(_)) => TenantCfg::Host,
                None => {
                    if args.site == Site::Policy && !args.given("tenant") {
                        cx.error_spanned_by(
                            ident,
                            "`origins: per_tenant` needs `tenant`: say what names the tenant of a request, `tenant: path(\"tenant\")` for the `{tenant}` segment of the route's path, or `tenant: host` for the request's host",
                        );
                    }
                    TenantCfg::Host
                }
            };
            OriginsCfg::PerTenant {
                allow_insecure,
                tenant,
            }
        }
        (Some(OriginsArg::Env(var)), None) => {
            if let Some(dev) = &args.dev_origins {
                cx.error_at(
                    dev.span,
                    "`dev_origins` cannot be combined with `origins = env(..)`: the variable is read where the program runs, so list the development origins in its value there",
                );
            }
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
    if let Some(tenant) = &args.tenant {
        if !matches!(args.origins, Some(OriginsArg::PerTenant(_))) {
            cx.error_at(
                tenant.span(),
                "`tenant` names the tenant of a request for `origins: per_tenant` only: write `origins: per_tenant`, or remove `tenant`",
            );
        }
    }
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

/// Checks `origins = [..]` and `dev_origins = [..]` as one list, so that
/// every entry meets the same rules and none is listed in both; a problem's
/// index points into `origins`, then into `dev_origins`.
fn origins(cx: &mut Ctxt, list: &List, dev: Option<&List>, allow_insecure: bool) -> OriginsCfg {
    let literals: Vec<&LitStr> = list
        .items
        .iter()
        .chain(dev.iter().flat_map(|dev| &dev.items))
        .collect();
    let values: Vec<String> = literals.iter().map(|lit| lit.value()).collect();
    let released = &values[..list.items.len()];
    if let Some(dev) = dev.filter(|dev| dev.written == 0) {
        cx.error_at(
            dev.span,
            "`dev_origins` is empty: list the origins used while developing, e.g. `[\"http://localhost:*\"]`, or remove it",
        );
    }
    let checked = check_list(&values, allow_insecure).and_then(|all| {
        let exact = check_list(released, allow_insecure)?;
        Ok((exact, all))
    });
    match checked {
        Ok((CheckedList { exact, patterns }, all)) => OriginsCfg::Listed {
            exact,
            patterns,
            dev: dev.map(|_| all),
        },
        Err(problems) => {
            for problem in problems {
                match problem.index {
                    Some(index) => {
                        cx.error_spanned_by(literals[index], problem.message(&values[index]))
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
                dev: None,
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
pub(super) fn methods(cx: &mut Ctxt, list: &List) -> Vec<String> {
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
