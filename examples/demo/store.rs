//! The demo API's in-memory state: sessions, display names and an audit log.

use std::{collections::HashMap, fmt::Write as _, sync::Mutex};

/// Sessions, display names and the audit log of every state change.
///
/// Shared by every worker of the API server; a real API would use a database.
#[derive(Debug, Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Session token → user.
    sessions: HashMap<String, String>,
    /// User → display name.
    names: HashMap<String, String>,
    /// One line per state change, in order.
    audit: Vec<String>,
    /// The last request id handed out.
    request_id: u64,
}

/// What `GET /api/me` returns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    /// The login name.
    pub user: String,
    /// The display name, which `PUT /api/me` changes.
    pub name: String,
}

impl Store {
    /// Opens a session for `user` and returns its token.
    pub fn log_in(&self, user: &str) -> std::io::Result<String> {
        let token = new_token()?;
        let mut inner = self.lock();
        inner.sessions.insert(token.clone(), user.to_owned());
        inner
            .names
            .entry(user.to_owned())
            .or_insert_with(|| user.to_owned());
        inner.audit(format!("{user} logged in"));
        Ok(token)
    }

    /// The profile of the session's user, if `token` is a live session.
    pub fn profile(&self, token: &str) -> Option<Profile> {
        let inner = self.lock();
        let user = inner.sessions.get(token)?;
        Some(Profile {
            user: user.clone(),
            name: inner.names.get(user).cloned().unwrap_or_default(),
        })
    }

    /// Changes the display name of the session's user.
    pub fn rename(&self, token: &str, name: &str) -> Option<Profile> {
        let mut inner = self.lock();
        let user = inner.sessions.get(token)?.clone();
        inner.names.insert(user.clone(), name.to_owned());
        inner.audit(format!("{user} renamed to {name:?}"));
        Some(Profile {
            user,
            name: name.to_owned(),
        })
    }

    /// Ends the session; returns whether it was live.
    pub fn log_out(&self, token: &str) -> bool {
        let mut inner = self.lock();
        match inner.sessions.remove(token) {
            Some(user) => {
                inner.audit(format!("{user} logged out"));
                true
            }
            None => false,
        }
    }

    /// Closes the account of the session's user: every one of its sessions
    /// ends and its display name is forgotten. Returns the user, if `token`
    /// is a live session.
    pub fn close_account(&self, token: &str) -> Option<String> {
        let mut inner = self.lock();
        let user = inner.sessions.get(token)?.clone();
        inner.sessions.retain(|_, owner| *owner != user);
        inner.names.remove(&user);
        inner.audit(format!("{user} closed the account"));
        Some(user)
    }

    /// A fresh id for a response's `x-request-id`.
    pub fn next_request_id(&self) -> u64 {
        let mut inner = self.lock();
        inner.request_id += 1;
        inner.request_id
    }

    /// Every state change so far, oldest first.
    pub fn audit_log(&self) -> Vec<String> {
        self.lock().audit.clone()
    }

    /// How many sessions are live.
    pub fn live_sessions(&self) -> usize {
        self.lock().sessions.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panicking handler cannot leave the maps half-updated: each
        // change is a single insert or remove.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Inner {
    fn audit(&mut self, line: String) {
        log::info!("audit: {line}");
        self.audit.push(line);
    }
}

/// 128 random bits from the operating system, hex-encoded.
fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    }))
}

/// Why a login or display name is refused (the API answers `422` with it),
/// or `None` for a good one: the demo's rule in either framework.
pub fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("name must not be empty")
    } else if name.chars().count() > 40 {
        Some("name must be at most 40 characters")
    } else if name.chars().any(char::is_control) {
        Some("name must not contain control characters")
    } else {
        None
    }
}
