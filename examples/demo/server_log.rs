//! What the API logged of cors-credentials, for the page to show: the last
//! records of the runtime crate (its refusals and warnings, such as a
//! cookie the browser will drop) logged while serving this demo's API.
//!
//! The records come from the demo's own log: the example's logger
//! ([`crate::cli::TerminalLog`]) hands each record to [`observe`], which
//! keeps it in the [`ServerLog`] of the API whose worker thread logged it
//! (each worker registers its API's with [`ServerLog::serve_on_this_thread`]),
//! so two demos in one process keep their records apart. A process whose
//! logger does not call [`observe`] keeps none, and the page says so.

use std::{
    cell::RefCell,
    collections::VecDeque,
    sync::{Arc, Mutex},
};

/// How many records a [`ServerLog`] keeps: the newest.
pub const KEPT: usize = 20;

/// The last [`KEPT`] records of cors-credentials logged by one API's workers.
#[derive(Debug, Default)]
pub struct ServerLog {
    records: Mutex<VecDeque<String>>,
}

thread_local! {
    /// The log of the API this worker thread serves.
    static SERVING: RefCell<Option<Arc<ServerLog>>> = const { RefCell::new(None) };
}

impl ServerLog {
    /// Records logged on this thread from now on go to `self`.
    pub fn serve_on_this_thread(self: &Arc<Self>) {
        SERVING.with(|serving| *serving.borrow_mut() = Some(self.clone()));
    }

    /// The records kept, oldest first.
    pub fn recent(&self) -> Vec<String> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        records.iter().cloned().collect()
    }

    fn push(&self, line: String) {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() == KEPT {
            records.pop_front();
        }
        records.push_back(line);
    }
}

/// Whether `target` is the runtime crate's (`cors_credentials` or a module
/// of it), not an example's (`cors_credentials_examples…`).
pub fn is_runtime_target(target: &str) -> bool {
    target == "cors_credentials" || target.starts_with("cors_credentials::")
}

/// Keeps `record` in the [`ServerLog`] of the API this thread serves, if it
/// is one of the runtime crate's, at `debug` (its refusals) or above.
pub fn observe(record: &log::Record<'_>) {
    if !is_runtime_target(record.target()) || record.level() > log::Level::Debug {
        return;
    }
    SERVING.with(|serving| {
        if let Some(log) = serving.borrow().as_ref() {
            // The crate escapes request bytes in its messages; the page
            // shows them as text.
            log.push(format!("{} {}", record.level(), record.args()));
        }
    });
}
