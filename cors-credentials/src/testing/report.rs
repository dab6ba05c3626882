//! The findings: what an answer shows, and the report that reads well in a
//! failing test.

use core::fmt;

use cors_credentials_rules::header::list_elements;

use crate::response::vary_lists_origin;

use super::plan::{allows, Check, Probe};

/// What the app answered to one probe: the status and the headers, names in
/// lowercase, in order.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, Vec<u8>)>,
}

impl Answer {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    fn lists(&self, name: &str, element: &str, case_sensitive: bool) -> bool {
        self.values(name).any(|line| {
            list_elements(line).any(|e| {
                if case_sensitive {
                    e == element.as_bytes()
                } else {
                    e.eq_ignore_ascii_case(element.as_bytes())
                }
            })
        })
    }

    /// The status, then the headers CORS reads (and `Vary`).
    fn describe(&self) -> String {
        let mut text = self.status.to_string();
        for (name, value) in &self.headers {
            if name.starts_with("access-control-") || name == "vary" {
                text.push_str(&format!("\n{name}: {}", value.escape_ascii()));
            }
        }
        text
    }

    fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The kind of a [`Finding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// `Access-Control-Allow-Origin` for an origin the path's policy does not
    /// allow (a reflected `Origin`, a permissive CORS middleware).
    OriginNotAllowed,
    /// `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`.
    WildcardWithCredentials,
    /// An answer allowing an origin, without `Vary: Origin`.
    MissingVaryOrigin,
    /// An unsafe cross-origin request from an origin not trusted on the path
    /// was served (`2xx`).
    UnsafeRequestServed,
    /// A preflight granted a method the path does not serve.
    PreflightGrantsMethod,
    /// A preflight granted a request header the route's policy does not list.
    PreflightGrantsHeader,
}

impl FindingKind {
    fn title(self) -> &'static str {
        match self {
            FindingKind::OriginNotAllowed => {
                "Access-Control-Allow-Origin for an origin the route does not allow"
            }
            FindingKind::WildcardWithCredentials => {
                "Access-Control-Allow-Origin `*` with credentials"
            }
            FindingKind::MissingVaryOrigin => "an allowed answer without `Vary: Origin`",
            FindingKind::UnsafeRequestServed => {
                "an unsafe cross-origin request from a non-trusted origin was served"
            }
            FindingKind::PreflightGrantsMethod => {
                "a preflight grants a method the path does not serve"
            }
            FindingKind::PreflightGrantsHeader => {
                "a preflight grants a header the route does not allow"
            }
        }
    }
}

/// One unsafe answer of the application, with the request that showed it.
#[derive(Debug, Clone)]
pub struct Finding {
    kind: FindingKind,
    path: String,
    method: String,
    request: String,
    response: String,
    why: String,
    fix: &'static str,
    others: Vec<String>,
}

impl Finding {
    /// What kind of problem.
    pub fn kind(&self) -> FindingKind {
        self.kind
    }

    /// The path probed, as sent (scope prefix included, parameters filled).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The request sent: the request line, then one `name: value` line per header.
    pub fn request(&self) -> &str {
        &self.request
    }

    /// What came back: the status, then the CORS headers and `Vary`, one per line.
    pub fn response(&self) -> &str {
        &self.response
    }

    /// Why the answer is unsafe.
    pub fn why(&self) -> &str {
        &self.why
    }

    /// What to do.
    pub fn fix(&self) -> &str {
        self.fix
    }

    /// The other probe origins that got the same kind of answer on this
    /// path and method.
    pub fn other_origins(&self) -> &[String] {
        &self.others
    }
}

/// What [`audit_actix`](super::audit_actix) and
/// [`audit_tower`](super::audit_tower) found: empty for a well-configured
/// application.
///
/// Its `Display` lists each finding with the request sent, the answer, why
/// it is unsafe and what to do; [`assert_clean`](Report::assert_clean)
/// panics with that text.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub(crate) findings: Vec<Finding>,
    pub(crate) requests: usize,
    pub(crate) paths: Vec<String>,
    pub(crate) not_served: Vec<String>,
    pub(crate) unanswered: usize,
}

impl Report {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The findings, in the order of the paths probed.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The paths probed, as sent.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The annotated routes' paths that answered `404` to every probe: not
    /// served by this app (another app of the program, or a scope prefix
    /// the audit was not given).
    pub fn not_served(&self) -> &[String] {
        &self.not_served
    }

    /// How many requests the audit sent.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// Panics with the report's text unless it is clean.
    #[track_caller]
    pub fn assert_clean(&self) {
        if !self.is_clean() {
            panic!("{self}");
        }
    }

    /// Records what `answer` to `probe` shows.
    pub(crate) fn judge(&mut self, probe: &Probe, answer: &Answer) {
        let credentials = answer.lists("access-control-allow-credentials", "true", true);
        let mut allowed_answer = false;
        for value in answer.values("access-control-allow-origin") {
            if value == b"*" {
                if credentials {
                    self.add(
                        FindingKind::WildcardWithCredentials,
                        probe,
                        answer,
                        format!(
                            "the answer to {} allows every origin and says credentials are \
                             allowed: browsers refuse the pair, so this is a wildcard CORS \
                             configuration meant to be trusted with cookies",
                            origin_text(&probe.origin)
                        ),
                    );
                }
                continue;
            }
            let named = core::str::from_utf8(value).unwrap_or("");
            let allowed = !named.is_empty() && probe.policy.is_some_and(|p| allows(p, named));
            if allowed {
                allowed_answer = true;
                continue;
            }
            let why =
                match probe.check {
                    Check::Attacker { label, .. } if value == probe.origin.as_bytes() => format!(
                    "the answer lets {} ({label}) read it{}, but no policy of this path allows \
                     that origin: a page there reads what the user sees",
                    origin_text(&probe.origin),
                    if credentials { " with the user's cookies" } else { "" },
                ),
                    _ => format!(
                        "the answer names {}, which no policy of this path allows{}",
                        origin_text(named),
                        if credentials {
                            ", with credentials"
                        } else {
                            ""
                        },
                    ),
                };
            self.add(FindingKind::OriginNotAllowed, probe, answer, why);
        }
        match probe.check {
            Check::Attacker {
                label,
                unsafe_request: true,
            } if answer.success() => {
                let why = format!(
                    "{} {} from {} ({label}), which no policy of this path allows and none \
                     is trusted app-wide, was served with {}: a page there can send it with \
                     the user's cookies (a form post needs no preflight), and the handler \
                     runs before the browser hides the answer",
                    article(&probe.method),
                    probe.method,
                    origin_text(&probe.origin),
                    answer.status,
                );
                self.add(FindingKind::UnsafeRequestServed, probe, answer, why);
            }
            Check::Allowed | Check::GrantsMethod | Check::GrantsHeader
                if allowed_answer && !answer.values("vary").any(vary_lists_origin) =>
            {
                self.add(
                    FindingKind::MissingVaryOrigin,
                    probe,
                    answer,
                    format!(
                        "the answer allows {} but does not vary on `Origin`: a shared cache \
                         can hand it (or a header-less answer) to another origin",
                        origin_text(&probe.origin)
                    ),
                );
            }
            _ => {}
        }
        let granted = answer.success() && allowed_answer;
        match (probe.check, &probe.asked) {
            (Check::GrantsMethod, Some(method))
                if granted && answer.lists("access-control-allow-methods", method, true) =>
            {
                let why = format!(
                    "the preflight from {} asking for {method} was granted, but this path \
                     serves no {method}: the answer allows more than the route does",
                    origin_text(&probe.origin)
                );
                self.add(FindingKind::PreflightGrantsMethod, probe, answer, why);
            }
            (Check::GrantsHeader, Some(header))
                if granted && answer.lists("access-control-allow-headers", header, false) =>
            {
                let why = format!(
                    "the preflight from {} asking for `{header}` was granted, but the route's \
                     policy does not list it",
                    origin_text(&probe.origin)
                );
                self.add(FindingKind::PreflightGrantsHeader, probe, answer, why);
            }
            _ => {}
        }
    }

    fn add(&mut self, kind: FindingKind, probe: &Probe, answer: &Answer, why: String) {
        if let Some(same) = self
            .findings
            .iter_mut()
            .find(|f| f.kind == kind && f.path == probe.path && f.method == probe.method)
        {
            let origin = probe.origin.as_bytes().escape_ascii().to_string();
            if !same.request.contains(&format!("origin: {origin}\n"))
                && !same.request.ends_with(&format!("origin: {origin}"))
                && !same.others.contains(&origin)
            {
                same.others.push(origin);
            }
            return;
        }
        self.findings.push(Finding {
            kind,
            path: probe.path.clone(),
            method: probe.method.clone(),
            request: probe.describe(),
            response: answer.describe(),
            why,
            fix: fix(kind),
            others: Vec::new(),
        });
    }
}

fn article(method: &str) -> &'static str {
    if method.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

fn origin_text(origin: &str) -> String {
    format!("`{}`", origin.as_bytes().escape_ascii())
}

fn fix(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::OriginNotAllowed | FindingKind::WildcardWithCredentials => {
            "let only the route's policy answer CORS on this path: remove the \
             `Access-Control-Allow-Origin` a handler sets by hand, or the permissive CORS \
             middleware around it (`actix_cors::Cors::permissive()`, tower-http \
             `CorsLayer::very_permissive()` or `mirror_request()`), and give the route \
             `#[cors_credentials]` or `cors_credentials::tower::CorsLayer` with the origins it \
             serves; if the origin is meant to be allowed, list it in that policy (and tell the \
             audit with `Audit::route`)"
        }
        FindingKind::MissingVaryOrigin => {
            "send `Vary: Origin` on every response of this path: `#[cors_credentials]` and \
             `CorsLayer` add it, so look for a handler or middleware that replaces the `Vary` \
             header or sets the CORS headers by hand"
        }
        FindingKind::UnsafeRequestServed => {
            "refuse it before any handler runs: wrap the whole app in `CrossOriginGuard` \
             (actix-web) or `CrossOriginGuardLayer` (tower), outermost, which lets an origin \
             through only where its own route's policy allows it; if this origin is meant to \
             send it here, give the route a policy that allows it, or trust that policy \
             app-wide (`.trust(&POLICY)` on the guard and on the audit)"
        }
        FindingKind::PreflightGrantsMethod => {
            "let the route's own policy answer this path's preflights (it grants only the \
             methods the route serves): remove the CORS middleware that allows every method"
        }
        FindingKind::PreflightGrantsHeader => {
            "list in the policy's `headers` only the request headers the route reads, and \
             remove any CORS middleware that allows every header on this path"
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.findings.len();
        writeln!(
            f,
            "CORS audit: {} on {} path{} ({} requests)",
            match count {
                0 => "no findings".to_owned(),
                1 => "1 finding".to_owned(),
                n => format!("{n} findings"),
            },
            self.paths.len(),
            if self.paths.len() == 1 { "" } else { "s" },
            self.requests,
        )?;
        for (number, finding) in self.findings.iter().enumerate() {
            writeln!(f)?;
            writeln!(
                f,
                "{}. {} {}: {}",
                number + 1,
                finding.method,
                finding.path,
                finding.kind.title()
            )?;
            write_block(f, "sent:", &finding.request)?;
            write_block(f, "answered:", &finding.response)?;
            write_block(f, "why:", &finding.why)?;
            write_block(f, "fix:", finding.fix)?;
            if !finding.others.is_empty() {
                write_block(
                    f,
                    "also from:",
                    &format!(
                        "{} other probe origin{}: {}",
                        finding.others.len(),
                        if finding.others.len() == 1 { "" } else { "s" },
                        finding.others.join(", ")
                    ),
                )?;
            }
        }
        if !self.not_served.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "not served by this app (404 to every probe; give the scope prefix with \
                 `Audit::prefix` if they should be): {}",
                self.not_served.join(", ")
            )?;
        }
        if self.unanswered > 0 {
            writeln!(f)?;
            writeln!(
                f,
                "{} probes got no answer (the service returned an error)",
                self.unanswered
            )?;
        }
        Ok(())
    }
}

/// The width the report's prose is wrapped at.
const WIDTH: usize = 96;

/// `label` then `text`, its lines aligned under the first; lines longer than
/// [`WIDTH`] are wrapped at spaces.
fn write_block(f: &mut fmt::Formatter<'_>, label: &str, text: &str) -> fmt::Result {
    let mut first = true;
    for line in text.lines() {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.len() + 1 + word.len() > WIDTH - 14 {
                write_line(f, if first { label } else { "" }, &current)?;
                first = false;
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        write_line(f, if first { label } else { "" }, &current)?;
        first = false;
    }
    Ok(())
}

fn write_line(f: &mut fmt::Formatter<'_>, label: &str, line: &str) -> fmt::Result {
    writeln!(f, "   {label:<10} {line}")
}
