//! What the audit sends: the paths, and for each the requests an attacker
//! (and, to check the answers, an allowed page) would send. Framework-free:
//! the adapters only carry these requests to the app.

use crate::{
    inventory::policy_origins,
    origin::Lookup,
    policy::{AllowHeaders, Policy},
};

use super::origins::{self, ARBITRARY_SITE};

/// At most this many allowed origins of one policy are probed, and derived from.
const ORIGINS_PER_POLICY: usize = 3;
/// At most this many origins of the whole application are sent to each path
/// as "an origin another route allows".
const APP_ORIGINS: usize = 8;
/// The header no policy of the audit's own making lists.
pub(crate) const UNLISTED_HEADER: &str = "x-cors-audit";
/// The unsafe methods every path is probed with, served or not: a handler
/// the inventory does not know may serve one on an annotated path.
const UNSAFE_METHODS: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

/// How the plain attackers' origins are named in the findings.
const OPAQUE: &str = "an opaque origin";
const ARBITRARY: &str = "an arbitrary site";
const OTHER_ROUTE: &str = "an origin another route allows";

/// One route of a path: the methods it serves and the policy deciding them.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) methods: Vec<String>,
    pub(crate) policy: &'static Policy,
}

/// One path to probe, with the routes known to serve it (none for an extra
/// path the audit knows nothing of).
#[derive(Debug)]
pub(crate) struct PathPlan {
    pub(crate) path: String,
    pub(crate) routes: Vec<Route>,
    /// Whether the inventory named it (so a `404` to every probe means the
    /// route is not served by this app).
    pub(crate) from_inventory: bool,
}

/// What an answer is checked for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// From an origin the path's policies do not allow (named by `label`,
    /// how it was derived). `unsafe_request`: a `2xx` is a finding too.
    Attacker {
        label: &'static str,
        unsafe_request: bool,
    },
    /// From an origin the route's policy allows: the answer must vary on it.
    Allowed,
    /// A preflight from an allowed origin for a method the path does not serve.
    GrantsMethod,
    /// A preflight from an allowed origin for a header the policy does not list.
    GrantsHeader,
}

/// One request of the audit, and what its answer is checked for.
#[derive(Debug, Clone)]
pub(crate) struct Probe {
    pub(crate) path_index: usize,
    pub(crate) method: String,
    pub(crate) path: String,
    /// Lowercase names.
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: &'static str,
    pub(crate) origin: String,
    /// The policy deciding the request's method on the path, if any.
    pub(crate) policy: Option<&'static Policy>,
    /// The method a preflight asks for, or the header it asks for.
    pub(crate) asked: Option<String>,
    pub(crate) check: Check,
}

impl Probe {
    /// The request as sent, one line for the request line and one per header.
    pub(crate) fn describe(&self) -> String {
        let mut text = format!("{} {}", self.method, self.path);
        for (name, value) in &self.headers {
            text.push_str(&format!("\n{name}: {}", value.as_bytes().escape_ascii()));
        }
        text
    }
}

/// Whether `policy` allows `origin` now.
pub(crate) fn allows(policy: &Policy, origin: &str) -> bool {
    matches!(policy.origins.lookup(origin.as_bytes()), Lookup::Allowed)
}

/// Up to [`ORIGINS_PER_POLICY`] concrete origins `policy` allows.
fn allowed_origins(policy: &Policy) -> Vec<String> {
    policy_origins(policy)
        .iter()
        .map(|listed| origins::concrete(listed))
        .filter(|origin| allows(policy, origin))
        .take(ORIGINS_PER_POLICY)
        .collect()
}

fn push_unique(list: &mut Vec<String>, origin: String) {
    if !list.contains(&origin) {
        list.push(origin);
    }
}

/// `names` as browsers send `Access-Control-Request-Headers`: lowercase,
/// sorted, each once, joined by `,`.
fn request_headers<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<String> = names.into_iter().map(str::to_ascii_lowercase).collect();
    names.sort();
    names.dedup();
    names.join(",")
}

impl PathPlan {
    /// Every method the path's routes serve.
    fn served(&self) -> Vec<&str> {
        let mut served: Vec<&str> = Vec::new();
        for route in &self.routes {
            for method in &route.methods {
                if !served.contains(&method.as_str()) {
                    served.push(method);
                }
            }
        }
        served
    }

    /// The policy deciding `method` on this path.
    fn policy_for(&self, method: &str) -> Option<&'static Policy> {
        self.routes
            .iter()
            .find(|route| route.methods.iter().any(|m| m == method))
            .map(|route| route.policy)
    }

    fn allowed_here(&self, origin: &str) -> bool {
        self.routes.iter().any(|route| allows(route.policy, origin))
    }
}

/// Every probe of `paths`. `trusted`: the policies trusted app-wide, whose
/// origins may send unsafe requests anywhere.
pub(crate) fn probes(paths: &[PathPlan], trusted: &[&'static Policy]) -> Vec<Probe> {
    let mut app_origins: Vec<String> = Vec::new();
    for plan in paths {
        for route in &plan.routes {
            for origin in allowed_origins(route.policy) {
                if app_origins.len() < APP_ORIGINS {
                    push_unique(&mut app_origins, origin);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (index, plan) in paths.iter().enumerate() {
        probe_path(index, plan, &app_origins, trusted, &mut out);
    }
    out
}

fn probe_path(
    index: usize,
    plan: &PathPlan,
    app_origins: &[String],
    trusted: &[&'static Policy],
    out: &mut Vec<Probe>,
) {
    let served = plan.served();
    let known = !plan.routes.is_empty();
    let mut own: Vec<(String, &Route)> = Vec::new();
    for route in &plan.routes {
        for origin in allowed_origins(route.policy) {
            if !own.iter().any(|(o, _)| *o == origin) {
                own.push((origin, route));
            }
        }
    }

    // The attackers' origins: none of this path's policies allows them.
    let mut attackers: Vec<(&'static str, String)> = vec![
        (OPAQUE, "null".to_owned()),
        (ARBITRARY, ARBITRARY_SITE.to_owned()),
    ];
    let bases: Vec<&String> = if own.is_empty() {
        app_origins.iter().take(ORIGINS_PER_POLICY).collect()
    } else {
        own.iter().map(|(origin, _)| origin).collect()
    };
    for base in bases {
        attackers.extend(origins::derived(base));
    }
    for origin in app_origins {
        attackers.push((OTHER_ROUTE, origin.clone()));
    }
    let mut seen: Vec<String> = Vec::new();
    attackers.retain(|(_, origin)| {
        let fresh = !seen.contains(origin) && !plan.allowed_here(origin);
        seen.push(origin.clone());
        fresh
    });

    let probe = |method: &str, origin: &str, check: Check| Probe {
        path_index: index,
        method: method.to_owned(),
        path: plan.path.clone(),
        headers: vec![("origin", origin.to_owned())],
        body: "",
        origin: origin.to_owned(),
        policy: plan.policy_for(method),
        asked: None,
        check,
    };
    let preflight = |origin: &str, method: &str, headers: &str, check: Check| {
        let mut p = probe("OPTIONS", origin, check);
        p.headers
            .push(("access-control-request-method", method.to_owned()));
        if !headers.is_empty() {
            p.headers
                .push(("access-control-request-headers", headers.to_owned()));
        }
        p.headers.push(("sec-fetch-mode", "cors".to_owned()));
        p.policy = plan.policy_for(method);
        p
    };

    // The method a page's preflight asks for, and the headers it asks with.
    let preflighted = served
        .iter()
        .copied()
        .find(|m| !matches!(*m, "GET" | "HEAD" | "POST"))
        .or_else(|| served.first().copied())
        .unwrap_or("PUT");
    let asked_headers = match plan.policy_for(preflighted).map(|p| p.allow_headers) {
        Some(AllowHeaders::List { names, .. }) if !names.is_empty() => {
            request_headers(names.iter().copied())
        }
        _ => request_headers(["content-type", "x-requested-with"]),
    };
    let reads = !known || served.contains(&"GET");

    for (label, origin) in &attackers {
        let attacker = Check::Attacker {
            label,
            unsafe_request: false,
        };
        if reads {
            let mut get = probe("GET", origin, attacker);
            get.headers
                .push(("sec-fetch-site", "cross-site".to_owned()));
            out.push(get);
        }
        out.push(preflight(origin, preflighted, &asked_headers, attacker));
        if trusted.iter().any(|policy| allows(policy, origin)) {
            continue;
        }
        // Every attacker's origin sends the form post, the one unsafe request
        // a page can send without a preflight; the other unsafe methods are
        // sent from the plain attackers only (a guard decides them by the
        // same lookup as the post, so the derived origins add nothing).
        let derived = !matches!(*label, OPAQUE | ARBITRARY | OTHER_ROUTE);
        for method in UNSAFE_METHODS
            .iter()
            .filter(|method| **method == "POST" || !derived)
        {
            let mut request = probe(
                method,
                origin,
                Check::Attacker {
                    label,
                    unsafe_request: true,
                },
            );
            request
                .headers
                .push(("sec-fetch-site", "cross-site".to_owned()));
            if *method == "POST" {
                // A cross-site form post: no preflight, cookies included.
                request.headers.push((
                    "content-type",
                    "application/x-www-form-urlencoded".to_owned(),
                ));
                request.body = "cors_audit=1";
            }
            out.push(request);
        }
    }

    // What an allowed page sends: the answers must vary on `Origin`, and
    // the preflights grant no more than the path serves.
    let unserved_method = ["DELETE", "PATCH", "PUT"]
        .into_iter()
        .find(|m| !served.contains(m));
    for (origin, route) in &own {
        let first = route.methods.first().map_or("GET", String::as_str);
        if route.methods.iter().any(|m| m == "GET") {
            let mut get = probe("GET", origin, Check::Allowed);
            get.policy = Some(route.policy);
            out.push(get);
        }
        let mut answered = preflight(origin, first, "", Check::Allowed);
        answered.policy = Some(route.policy);
        out.push(answered);
        if let Some(method) = unserved_method {
            let mut p = preflight(origin, method, "", Check::GrantsMethod);
            p.policy = Some(route.policy);
            p.asked = Some(method.to_owned());
            out.push(p);
        }
        if let AllowHeaders::List { names, .. } = route.policy.allow_headers {
            if !names.contains(&UNLISTED_HEADER) {
                let mut p = preflight(origin, first, UNLISTED_HEADER, Check::GrantsHeader);
                p.policy = Some(route.policy);
                p.asked = Some(UNLISTED_HEADER.to_owned());
                out.push(p);
            }
        }
    }
}
