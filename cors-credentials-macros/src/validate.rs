//! Checks the parsed arguments against the CORS rules and turns them into the
//! configuration the expansion needs. Every error is recorded, each spanned
//! on the literal or key at fault.

use std::collections::HashSet;

use cors_credentials_rules::{
    header::{header_name_problem, method_problem},
    origin as origin_rules,
};

use crate::{
    args::{Args, List},
    ctxt::Ctxt,
};
use proc_macro2::Span;

/// Default `Access-Control-Max-Age`: Chromium's cap, so Chromium asks once
/// every two hours at most (Firefox would keep a longer value; two hours
/// bounds how long a policy change takes to reach every browser).
pub const DEFAULT_MAX_AGE: u32 = 7200;

/// The largest `max_age` accepted: Firefox's cap, one day. Browsers clamp
/// larger values, so a larger number only misleads.
pub const MAX_MAX_AGE: u64 = 86_400;

/// A validated configuration.
pub struct Config {
    /// Canonical origins, sorted by length then bytes (the runtime's lookup order).
    pub origins: Vec<String>,
    /// Allowed request headers, lowercase; `None` allows every requested header.
    pub headers: Option<Vec<String>>,
    /// Exposed response headers, as written.
    pub expose_headers: Option<Vec<String>>,
    pub max_age: u32,
    pub pass_disallowed: bool,
}

/// Validates everything but the methods, which come from the routing attributes.
pub fn config(cx: &mut Ctxt, args: &Args) -> Config {
    let allow_insecure = args
        .allow_insecure_http_origins
        .as_ref()
        .is_some_and(|lit| lit.value);
    let origins = match &args.origins {
        Some(list) => origins(cx, list, allow_insecure),
        None if args.given.iter().any(|key| key == "origins") => Vec::new(),
        None => {
            cx.error_at(
                args.span.unwrap_or_else(Span::call_site),
                "missing `origins`: list the origins allowed to make credentialed requests, e.g. `origins = [\"https://app.example.com\"]`",
            );
            Vec::new()
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
    let max_age = match &args.max_age {
        None => DEFAULT_MAX_AGE,
        Some(lit) => match lit.base10_parse::<u64>() {
            Ok(seconds) if seconds <= MAX_MAX_AGE => seconds as u32,
            Ok(_) => {
                cx.error_spanned_by(
                    lit,
                    format!("`max_age` must be at most {MAX_MAX_AGE} seconds: browsers cap it (Chromium at 7200, Firefox at 86400), so a larger value only misleads"),
                );
                DEFAULT_MAX_AGE
            }
            Err(error) => {
                cx.error_spanned_by(
                    lit,
                    format!("`max_age` must be a whole number of seconds: {error}"),
                );
                DEFAULT_MAX_AGE
            }
        },
    };
    let pass_disallowed = match &args.on_disallowed {
        None => false,
        Some(lit) => match lit.value().as_str() {
            "reject" => false,
            "pass" => true,
            other => {
                cx.error_spanned_by(
                    lit,
                    format!("unknown `on_disallowed` value `{other}`; valid values are `\"reject\"` (403, the handler does not run; the default) and `\"pass\"` (the handler runs, the response has no CORS headers)"),
                );
                false
            }
        },
    };
    Config {
        origins,
        headers,
        expose_headers,
        max_age,
        pass_disallowed,
    }
}

fn origins(cx: &mut Ctxt, list: &List, allow_insecure: bool) -> Vec<String> {
    if list.written == 0 {
        cx.error_at(
            list.span,
            "`origins` is empty: list at least one origin, e.g. `[\"https://app.example.com\"]`",
        );
    }
    let mut seen = HashSet::new();
    let mut origins = Vec::new();
    for lit in &list.items {
        let value = lit.value();
        match origin_rules::check(&value) {
            Err(problem) => cx.error_spanned_by(lit, problem.message(&value)),
            Ok(origin) => {
                if !seen.insert(origin.serialized.clone()) {
                    cx.error_spanned_by(
                        lit,
                        format!("duplicate origin `{value}`: remove this one"),
                    );
                    continue;
                }
                if origin.insecure && !allow_insecure {
                    cx.error_spanned_by(lit, insecure_message(&origin.serialized));
                }
                origins.push(origin.serialized);
            }
        }
    }
    origins.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    origins
}

fn insecure_message(origin: &str) -> String {
    let https = origin.replacen("http://", "https://", 1);
    format!(
        "plain-http origin `{origin}` is refused: a network attacker who can inject script into a plain-http page then reads the user's credentialed responses; use `{https}`, or opt in with `allow_insecure_http_origins = true`"
    )
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
pub fn methods(cx: &mut Ctxt, list: &List) -> Vec<(String, Span)> {
    if list.items.is_empty() {
        cx.error_at(
            list.span,
            "`methods` is empty: list the methods the handler serves, e.g. `[\"GET\", \"POST\"]`",
        );
    }
    let mut methods: Vec<(String, Span)> = Vec::new();
    for lit in &list.items {
        let value = lit.value();
        if let Some(message) = method_problem(&value) {
            cx.error_spanned_by(lit, message);
        } else if methods.iter().any(|(known, _)| *known == value) {
            cx.error_spanned_by(lit, format!("duplicate method `{value}`: remove this one"));
        } else {
            methods.push((value, lit.span()));
        }
    }
    methods
}
