//! The servers and the synchronisation of `examples/tenants_postgres/`: each
//! instance of a multi-tenant API keeps its tenants' origins in memory, as
//! PostgreSQL has them (`schema.sql`), without asking the database on any
//! request. Shared with `tests/example_tenants_fleet.rs`, which runs three
//! instances against one database.
//!
//! - At startup, and on every reconnection, a full read of the table.
//! - Then `LISTEN tenant_origins`: the trigger of `schema.sql` sends
//!   `<version>:<tenant>` when a transaction changing a tenant's origins
//!   commits, and the instance reads that tenant's rows again.
//! - Every [`Following::resync_every`], a full read again, which repairs anything
//!   a lost notification missed.
//! - Each tenant's version only grows, and an instance keeps the version of
//!   each set it applied: a read older than what it has is dropped, so a
//!   slow full read never undoes a newer change.
//! - While the database cannot be reached the instance keeps its last good
//!   sets, logs why, retries every [`Following::retry_every`] and reads everything
//!   again once connected.

use std::{collections::BTreeMap, future::poll_fn, time::Duration};

use cors_credentials::{ConfigError, Policy};
use tokio::{
    sync::mpsc,
    time::{interval_at, sleep, Instant, MissedTickBehavior},
};
use tokio_postgres::{AsyncMessage, Client, NoTls};

/// The table, its trigger and its notifications.
pub const SCHEMA: &str = include_str!("schema.sql");

/// The channel the trigger of [`SCHEMA`] notifies.
pub const CHANNEL: &str = "tenant_origins";

/// Where an instance keeps its tenants' origins. The synchronisation is
/// written against this trait alone, so it can be tested without a server;
/// an instance gives it its `origins: per_tenant` policy.
pub trait OriginsSink {
    /// Replaces one tenant's origins, all or nothing: on error the tenant
    /// keeps its current set.
    fn set(&self, key: &str, entries: &[String]) -> Result<(), ConfigError>;
    /// Takes a tenant away: its routes refuse every cross-origin request.
    fn remove(&self, key: &str) -> Result<(), ConfigError>;
    /// Replaces every tenant at once: the tenants not in `snapshot` are
    /// taken away.
    fn replace_all(&self, snapshot: &[(String, Vec<String>)]) -> Result<(), ConfigError>;
}

/// A policy declared with `origins: per_tenant`: each tenant's origins are
/// allowed on that tenant's routes only.
impl OriginsSink for &'static Policy {
    fn set(&self, key: &str, entries: &[String]) -> Result<(), ConfigError> {
        self.set_tenant_origins(key, entries)
    }

    fn remove(&self, key: &str) -> Result<(), ConfigError> {
        self.remove_tenant(key)
    }

    fn replace_all(&self, snapshot: &[(String, Vec<String>)]) -> Result<(), ConfigError> {
        self.set_all_tenant_origins(
            snapshot
                .iter()
                .map(|(key, entries)| (key.as_str(), entries.as_slice())),
        )
    }
}

/// How an instance follows the database.
#[derive(Debug, Clone)]
pub struct Following {
    /// The connection string (`host=… port=… user=… dbname=…`).
    pub conninfo: String,
    /// How often everything is read again.
    pub resync_every: Duration,
    /// How long to wait before connecting again after a failure.
    pub retry_every: Duration,
    /// Whether to `LISTEN` (`false`: the full reads alone keep the instance
    /// in sync, as when notifications cannot reach it).
    pub listen: bool,
}

/// What the synchronisation did, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Connected (again); a full read follows.
    Connected,
    /// Every tenant read: how many tenants there are.
    Resynced(usize),
    /// One tenant read again after a notification, at this version.
    Tenant(String, i64),
    /// A tenant's rows were refused: it keeps its last good set.
    Refused(String, String),
    /// The database is unreachable or the connection broke: the last good
    /// sets stay.
    Unreachable(String),
}

/// What an instance has applied: each tenant's version and origins, by
/// tenant name, so a full read is given to [`OriginsSink::replace_all`] in
/// the same order every time.
#[derive(Debug, Default)]
pub struct Applied {
    tenants: BTreeMap<String, (i64, Vec<String>)>,
}

impl Applied {
    /// The version applied for `tenant`, if any.
    pub fn version(&self, tenant: &str) -> Option<i64> {
        self.tenants.get(tenant).map(|(version, _)| *version)
    }

    /// Applies one tenant read at `version` (no origins: the tenant is
    /// closed), unless what is applied is as new. `Ok(false)`: dropped as old.
    pub fn apply_tenant(
        &mut self,
        target: &impl OriginsSink,
        tenant: &str,
        version: i64,
        origins: Vec<String>,
    ) -> Result<bool, ConfigError> {
        if self
            .version(tenant)
            .is_some_and(|applied| applied >= version)
        {
            return Ok(false);
        }
        if origins.is_empty() {
            target.remove(tenant)?;
        } else {
            target.set(tenant, &origins)?;
        }
        self.tenants.insert(tenant.to_owned(), (version, origins));
        Ok(true)
    }

    /// Applies a full read, tenant by tenant the newer of it and what is
    /// applied: a tenant applied at a later version than the read's keeps
    /// its set, and so does one the read does not have (its version row,
    /// never deleted, was written after the read began). All at once; if
    /// some tenant's rows are refused, the others are applied one by one and
    /// the refused tenants keep their last good sets (returned with why).
    pub fn apply_snapshot(
        &mut self,
        target: &impl OriginsSink,
        read: Vec<(String, i64, Vec<String>)>,
    ) -> Vec<(String, ConfigError)> {
        let mut next = self.tenants.clone();
        let mut changed = Vec::new();
        for (tenant, version, origins) in read {
            match next.get(&tenant) {
                Some((applied, _)) if *applied >= version => {}
                _ => {
                    changed.push((tenant.clone(), version, origins.clone()));
                    next.insert(tenant, (version, origins));
                }
            }
        }
        let snapshot: Vec<(String, Vec<String>)> = next
            .iter()
            .filter(|(_, (_, origins))| !origins.is_empty())
            .map(|(tenant, (_, origins))| (tenant.clone(), origins.clone()))
            .collect();
        if target.replace_all(&snapshot).is_ok() {
            self.tenants = next;
            return Vec::new();
        }
        changed
            .into_iter()
            .filter_map(|(tenant, version, origins)| {
                self.apply_tenant(target, &tenant, version, origins)
                    .err()
                    .map(|error| (tenant, error))
            })
            .collect()
    }
}

/// Every tenant, with its version and origins, in one statement (one
/// consistent read).
const READ_ALL: &str = "SELECT v.tenant, v.version, \
     coalesce(array_agg(o.origin ORDER BY o.origin) FILTER (WHERE o.origin IS NOT NULL), '{}') \
     FROM tenant_versions v LEFT JOIN tenant_origins o ON o.tenant = v.tenant \
     GROUP BY v.tenant, v.version";

/// One tenant, with its version and origins, in one statement.
const READ_ONE: &str = "SELECT v.version, \
     coalesce(array_agg(o.origin ORDER BY o.origin) FILTER (WHERE o.origin IS NOT NULL), '{}') \
     FROM tenant_versions v LEFT JOIN tenant_origins o ON o.tenant = v.tenant \
     WHERE v.tenant = $1 GROUP BY v.version";

/// Reads every tenant.
async fn read_all(
    client: &Client,
) -> Result<Vec<(String, i64, Vec<String>)>, tokio_postgres::Error> {
    let rows = client.query(READ_ALL, &[]).await?;
    Ok(rows
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect())
}

/// Reads one tenant: `None` if it has no version row.
async fn read_one(
    client: &Client,
    tenant: &str,
) -> Result<Option<(i64, Vec<String>)>, tokio_postgres::Error> {
    let row = client.query_opt(READ_ONE, &[&tenant]).await?;
    Ok(row.map(|row| (row.get(0), row.get(1))))
}

/// `<version>:<tenant>`, as the trigger sends it.
pub fn parse_payload(payload: &str) -> Option<(i64, &str)> {
    let (version, tenant) = payload.split_once(':')?;
    Some((version.parse().ok()?, tenant))
}

/// What the connection's task passes on.
enum Message {
    Notified(i64, String),
    Closed(String),
}

/// Keeps `target` in sync with the database for as long as it runs,
/// reporting what it does. Run it on the server's runtime (`rt::spawn`).
pub async fn run(sync: Following, target: impl OriginsSink, mut report: impl FnMut(Event)) {
    let mut applied = Applied::default();
    loop {
        let reason = connected(&sync, &target, &mut applied, &mut report).await;
        report(Event::Unreachable(reason));
        sleep(sync.retry_every).await;
    }
}

/// One connection's life: returns why it ended.
async fn connected(
    sync: &Following,
    target: &impl OriginsSink,
    applied: &mut Applied,
    report: &mut impl FnMut(Event),
) -> String {
    let (client, mut connection) = match tokio_postgres::connect(&sync.conninfo, NoTls).await {
        Ok(pair) => pair,
        Err(error) => return error.to_string(),
    };
    let (sender, mut messages) = mpsc::unbounded_channel();
    // The connection is driven by a task of its own, which passes the
    // notifications on and says when the connection ends.
    let driver = tokio::task::spawn_local(async move {
        loop {
            match poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(note))) => {
                    if let Some((version, tenant)) = parse_payload(note.payload()) {
                        let _ = sender.send(Message::Notified(version, tenant.to_owned()));
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    let _ = sender.send(Message::Closed(error.to_string()));
                    return;
                }
                None => {
                    let _ = sender.send(Message::Closed("the connection closed".to_owned()));
                    return;
                }
            }
        }
    });
    let reason = follow(sync, target, applied, report, &client, &mut messages).await;
    driver.abort();
    reason
}

/// Listens, reads everything, then follows the notifications and the timer.
async fn follow(
    sync: &Following,
    target: &impl OriginsSink,
    applied: &mut Applied,
    report: &mut impl FnMut(Event),
    client: &Client,
    messages: &mut mpsc::UnboundedReceiver<Message>,
) -> String {
    // Listening first: a change committed during the full read is notified.
    if sync.listen {
        if let Err(error) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
            return error.to_string();
        }
    }
    report(Event::Connected);
    let mut ticks = interval_at(Instant::now(), sync.resync_every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                let read = match read_all(client).await {
                    Ok(read) => read,
                    Err(error) => return error.to_string(),
                };
                let count = read.len();
                for (tenant, error) in applied.apply_snapshot(target, read) {
                    report(Event::Refused(tenant, error.to_string()));
                }
                report(Event::Resynced(count));
            }
            message = messages.recv() => match message {
                Some(Message::Notified(version, tenant)) => {
                    if applied.version(&tenant).is_some_and(|seen| seen >= version) {
                        continue;
                    }
                    let (version, origins) = match read_one(client, &tenant).await {
                        Ok(Some(read)) => read,
                        Ok(None) => continue,
                        Err(error) => return error.to_string(),
                    };
                    match applied.apply_tenant(target, &tenant, version, origins) {
                        Ok(true) => report(Event::Tenant(tenant, version)),
                        Ok(false) => {}
                        Err(error) => report(Event::Refused(tenant, error.to_string())),
                    }
                }
                Some(Message::Closed(reason)) => return reason,
                None => return "the connection closed".to_owned(),
            }
        }
    }
}

/// Declares one instance's routes and their policy in a module `$name`:
/// `GET` and `PUT /tenants/{tenant}/data`, and `configure` to add them to an
/// `App`. The policy is per tenant: the `{tenant}` segment names the tenant
/// whose origins decide the request, so a tenant's front end is allowed on
/// its own routes only. Each instance has a policy of its own (several run
/// in one test).
#[macro_export]
macro_rules! tenants_route_group {
    ($name:ident) => {
        /// One instance's routes and the origins of its tenants.
        pub mod $name {
            use actix_web::{get, put, web, HttpResponse, Responder};
            use cors_credentials::{cors_credentials, policy};

            policy! {
                /// Each tenant's front ends, as the database has them, allowed
                /// on that tenant's routes only. A short `max_age`: a browser
                /// keeps a preflight's answer that long.
                pub TENANTS = {
                    origins: per_tenant,
                    tenant: path("tenant"),
                    headers: ["content-type"],
                    max_age: 60,
                }
            }

            /// A tenant's data, for its own front end: a cross-origin request
            /// reaches it only from an origin of the tenant in its path.
            #[cors_credentials(policy = TENANTS)]
            #[get("/tenants/{tenant}/data")]
            async fn read(tenant: web::Path<String>) -> impl Responder {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(format!("{{\"tenant\":{:?}}}", tenant.into_inner()))
            }

            /// A change to a tenant's data.
            #[cors_credentials(policy = TENANTS)]
            #[put("/tenants/{tenant}/data")]
            async fn write(_tenant: web::Path<String>) -> impl Responder {
                HttpResponse::NoContent()
            }

            /// Adds the routes to an `App`.
            pub fn configure(config: &mut web::ServiceConfig) {
                config.service(read).service(write);
            }
        }
    };
}

tenants_route_group!(instance);

#[cfg(test)]
mod tests {
    use actix_web::{http::Method, test, App};
    use cors_credentials::{inventory, testing::Audit, Reason, Refused};

    use super::{instance, OriginsSink};

    /// The tenants as a full read of the table gives them (each test gives
    /// the same ones: they share the policy).
    fn load() {
        (&instance::TENANTS)
            .replace_all(&[
                (
                    "acme".to_owned(),
                    vec!["https://app.acme.example".to_owned()],
                ),
                (
                    "globex".to_owned(),
                    vec!["https://*.globex.example".to_owned()],
                ),
            ])
            .unwrap();
    }

    /// One instance's app audits clean once it holds its tenants' origins.
    #[actix_web::test]
    async fn the_app_audits_clean() {
        load();
        let app = test::init_service(App::new().configure(instance::configure)).await;
        // The examples' library holds the other examples' routes too: only
        // this instance's.
        let report = Audit::new()
            .inventory(inventory().filter(|route| {
                route.module() == "cors_credentials_examples::tenants_postgres::instance"
            }))
            .audit_actix(&app, &[])
            .await;
        report.assert_clean();
        // `{tenant}` probed with a value of its own.
        assert_eq!(report.paths(), ["/tenants/1/data"], "{report}");
    }

    /// A tenant's origin is allowed on its own routes and refused on
    /// another tenant's, before the handler runs, preflights included.
    #[actix_web::test]
    async fn a_tenants_origin_is_refused_on_another_tenants_routes() {
        load();
        let app = test::init_service(App::new().configure(instance::configure)).await;
        let send = |method: Method, path: &'static str, origin: &'static str| {
            let mut req = test::TestRequest::default()
                .method(method.clone())
                .uri(path)
                .insert_header(("Origin", origin));
            if method == Method::OPTIONS {
                req = req.insert_header(("Access-Control-Request-Method", "PUT"));
            }
            let app = &app;
            async move { test::call_service(app, req.to_request()).await }
        };
        for (path, origin) in [
            ("/tenants/acme/data", "https://app.acme.example"),
            ("/tenants/globex/data", "https://shop.globex.example"),
        ] {
            let res = send(Method::GET, path, origin).await;
            assert_eq!(res.status(), 200, "{path} from {origin}");
        }
        for (path, origin) in [
            ("/tenants/globex/data", "https://app.acme.example"),
            ("/tenants/acme/data", "https://shop.globex.example"),
        ] {
            for method in [Method::GET, Method::PUT, Method::OPTIONS] {
                let res = send(method.clone(), path, origin).await;
                assert_eq!(res.status(), 403, "{method} {path} from {origin}");
                assert!(res.headers().get("access-control-allow-origin").is_none());
                let refused = *res.response().extensions().get::<Refused>().unwrap();
                assert_eq!(refused.reason(), Reason::OriginOfAnotherTenant);
            }
        }
        // A tenant not in the table: refused on its routes, whoever asks.
        let res = send(
            Method::GET,
            "/tenants/initech/data",
            "https://app.acme.example",
        )
        .await;
        assert_eq!(res.status(), 403);
    }
}
