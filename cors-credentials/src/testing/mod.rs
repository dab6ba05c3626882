// The audit: `plan` decides what to send (framework-free), `report` judges
// each answer, `actix` and `tower` carry the requests to the app in-process.

#[cfg(feature = "actix")]
mod actix;
mod origins;
mod plan;
mod report;
#[cfg(feature = "tower")]
mod tower;

use crate::{
    inventory::{inventory, Inventory},
    policy::Policy,
};

use self::plan::{PathPlan, Route};
use self::report::Answer;
pub use self::report::{Finding, FindingKind, Report};

/// An audit with options: the routes the application serves beyond what the
/// inventory knows, its scope prefixes, and the policies it trusts app-wide.
///
/// [`audit_actix`] and [`audit_tower`] are `Audit::new()` with nothing set.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    routes: Option<Inventory>,
    prefixes: Vec<String>,
    declared: Vec<(String, Route)>,
    trusted: Vec<&'static Policy>,
    headers: Vec<(&'static str, String)>,
}

impl Audit {
    /// An audit of every annotated route of the program, served without a
    /// prefix, trusting no policy app-wide.
    pub fn new() -> Self {
        Audit::default()
    }

    /// Lets the origins `policy` allows send unsafe requests to every path,
    /// as a guard built with `.trust(&POLICY)` does: their requests are not
    /// findings anywhere. Give it only when the app's guard trusts it too.
    pub fn trust(mut self, policy: &'static Policy) -> Self {
        self.trusted.push(policy);
        self
    }

    /// Probes the annotated routes under `prefix` too (a `web::scope("/v1")`
    /// of the app): `"/v1"`. Without any, they are probed at their paths as
    /// written; with some, under each prefix given (add `""` to keep the bare
    /// paths). Prefixes are also discovered from the extra paths: an extra
    /// path that ends with an annotated route's path adds what comes before.
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefixes.push(prefix.trim_end_matches('/').to_owned());
        self
    }

    /// Sends `name: value` with every probe, e.g. a session cookie
    /// (`.header("cookie", "session=…")`): a route that answers `401`
    /// without one hides whether it is guarded. `name` in lowercase.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Probes only these annotated routes (`audit_actix` probes every route
    /// of [`inventory()`](crate::inventory)): e.g.
    /// `inventory().filter(|route| route.module().starts_with("my_app::api"))`
    /// when a program serves several apps.
    pub fn inventory(mut self, routes: Inventory) -> Self {
        self.routes = Some(routes);
        self
    }

    /// Declares that `path` serves `methods` under `policy`: a tower route
    /// with `CorsLayer::new(&POLICY, [..])`, or an actix-web handler
    /// registered by hand with its `name::cors()`. The audit then knows which
    /// origins the path allows on purpose; a path it knows no policy of
    /// allows none.
    pub fn route(mut self, path: &str, policy: &'static Policy, methods: &[&str]) -> Self {
        self.declared.push((
            path.to_owned(),
            Route {
                methods: methods.iter().map(|m| (*m).to_owned()).collect(),
                policy,
            },
        ));
        self
    }

    /// Audits the service `actix_web::test::init_service` returns: every
    /// annotated route, every route declared with [`route`](Self::route) and
    /// every path of `extra_paths`.
    #[cfg(feature = "actix")]
    #[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
    pub async fn audit_actix<S, B>(&self, service: &S, extra_paths: &[&str]) -> Report
    where
        S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    {
        self.run(
            self.plans(true, extra_paths),
            &mut actix::Client { service },
        )
        .await
    }

    /// Audits a tower service (an axum `Router`): every route declared with
    /// [`route`](Self::route) and every path of `extra_paths`. Tower layers
    /// know no path, so the inventory is not used: declare each layered
    /// route, or its allowed answers are findings.
    #[cfg(feature = "tower")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
    pub async fn audit_tower<S, B>(&self, service: S, extra_paths: &[&str]) -> Report
    where
        S: tower_service::Service<http::Request<String>, Response = http::Response<B>>,
    {
        self.run(
            self.plans(false, extra_paths),
            &mut tower::Client { service },
        )
        .await
    }

    /// Sends every probe of `plans`, one after the other, and judges the answers.
    #[cfg_attr(not(any(feature = "actix", feature = "tower")), allow(dead_code))]
    async fn run(&self, plans: Vec<PathPlan>, client: &mut impl Client) -> Report {
        let mut report = Report::default();
        let mut probes = plan::probes(&plans, &self.trusted);
        for probe in &mut probes {
            probe.headers.extend(self.headers.iter().cloned());
        }
        let mut answered = vec![false; plans.len()];
        for probe in &probes {
            match client.send(probe).await {
                Some(answer) => {
                    // A guard refuses unsafe requests before routing:
                    // only the safe ones tell whether the path is served.
                    if answer.status != 404 && matches!(probe.method.as_str(), "GET" | "OPTIONS") {
                        answered[probe.path_index] = true;
                    }
                    report.judge(probe, &answer);
                }
                None => report.unanswered += 1,
            }
        }
        report.requests = probes.len();
        for (plan, answered) in plans.into_iter().zip(answered) {
            if plan.from_inventory && !answered {
                report.not_served.push(plan.path.clone());
            }
            report.paths.push(plan.path);
        }
        report
    }

    /// The paths to probe, each once, with the routes known to serve it.
    fn plans(&self, use_inventory: bool, extra_paths: &[&str]) -> Vec<PathPlan> {
        let mut plans: Vec<PathPlan> = Vec::new();
        let mut add = |path: String, route: Option<Route>, from_inventory: bool| {
            let plan = match plans.iter_mut().position(|plan| plan.path == path) {
                Some(at) => &mut plans[at],
                None => {
                    plans.push(PathPlan {
                        path,
                        routes: Vec::new(),
                        from_inventory,
                    });
                    plans.last_mut().expect("just pushed")
                }
            };
            plan.from_inventory &= from_inventory;
            if let Some(route) = route {
                plan.routes.push(route);
            }
        };
        if use_inventory {
            let routes = self.routes.clone().unwrap_or_else(inventory);
            let mut prefixes = if self.prefixes.is_empty() {
                vec![String::new()]
            } else {
                self.prefixes.clone()
            };
            for route in routes.iter() {
                let Some(path) = route.path() else { continue };
                let filled = fill(path);
                for extra in extra_paths {
                    if let Some(prefix) = extra.strip_suffix(filled.as_str()) {
                        if prefix.starts_with('/') && !prefixes.iter().any(|p| p == prefix) {
                            prefixes.push(prefix.to_owned());
                        }
                    }
                }
            }
            for route in routes.iter() {
                let Some(path) = route.path() else { continue };
                for prefix in &prefixes {
                    add(
                        format!("{prefix}{}", fill(path)),
                        Some(Route {
                            methods: route.methods().iter().map(|m| (*m).to_owned()).collect(),
                            policy: route.policy(),
                        }),
                        true,
                    );
                }
            }
        }
        for (path, route) in &self.declared {
            add(fill(path), Some(route.clone()), false);
        }
        for path in extra_paths {
            add((*path).to_owned(), None, false);
        }
        plans
    }
}

/// `path` with each `{parameter}` segment filled with `1`.
fn fill(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push('1');
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What carries a probe to the application and brings its answer back:
/// `None` when the service failed.
trait Client {
    async fn send(&mut self, probe: &plan::Probe) -> Option<Answer>;
}

/// Replays the known CORS and cross-site attack classes against the
/// service `actix_web::test::init_service` returns: every annotated route of
/// the program and every path of `extra_paths`. See the
/// [module documentation](self).
#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub async fn audit_actix<S, B>(service: &S, extra_paths: &[&str]) -> Report
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
{
    Audit::new().audit_actix(service, extra_paths).await
}

/// Replays the known CORS and cross-site attack classes against a tower
/// service (an axum `Router`), on every path of `extra_paths`. Tower layers
/// know no path: declare the layered routes with [`Audit::route`] so their
/// allowed answers are not findings. See the [module documentation](self).
///
/// ```rust
/// use axum::{http::Method, routing::post, Router};
/// use cors_credentials::{
///     policy,
///     testing::Audit,
///     tower::{CorsLayer, CrossOriginGuardLayer},
/// };
///
/// policy! {
///     /// The front end, whose page also posts the transfer form.
///     pub FRONT_END = { origins: ["https://app.example.com"] }
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app: Router = Router::new()
///     .route(
///         "/api/profile",
///         post(|| async { "saved" }).layer(CorsLayer::new(&FRONT_END, [Method::POST])),
///     )
///     .route("/transfer", post(|| async { "done" }))
///     .layer(CrossOriginGuardLayer::new().trust(&FRONT_END));
/// let report = Audit::new()
///     .route("/api/profile", &FRONT_END, &["POST"])
///     .trust(&FRONT_END)
///     .audit_tower(app, &["/transfer"])
///     .await;
/// report.assert_clean();
/// # });
/// ```
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub async fn audit_tower<S, B>(service: S, extra_paths: &[&str]) -> Report
where
    S: tower_service::Service<http::Request<String>, Response = http::Response<B>>,
{
    Audit::new().audit_tower(service, extra_paths).await
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn parameters_are_filled() {
        assert_eq!(fill("/api/users/{id}/posts/{post}"), "/api/users/1/posts/1");
        assert_eq!(fill("/files/{tail:.*}"), "/files/1");
        assert_eq!(fill("/plain"), "/plain");
    }
}
