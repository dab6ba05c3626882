//! A whole origin list: every entry checked, in canonical form, without
//! duplicates, plain-http origins refused unless opted in, exact origins put
//! in lookup order.
//!
//! The one checker of origin lists: the compiler calls it for `origins = [..]`
//! (mapping each problem's index to the offending literal), the runtime for
//! lists read from the environment, and the fuzz targets and property tests
//! for the configurations they build.

use core::cmp::Ordering;
use std::collections::HashSet;

use crate::{
    entry::{self, Entry},
    origin::{insecure_http_message, Problem},
    pattern::Pattern,
};

/// A list that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckedList {
    /// Exact origins, as browsers send them, in lookup order ([`order`]).
    pub exact: Vec<String>,
    /// Patterns, in the order written.
    pub patterns: Vec<Pattern>,
}

/// One problem of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProblem {
    /// The entry at fault, counted from 0; `None` for the list as a whole.
    pub index: Option<usize>,
    /// What is wrong.
    pub kind: ListProblemKind,
}

/// What is wrong with a list or one of its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListProblemKind {
    /// The list has no entry.
    Empty,
    /// The entry is no valid origin or pattern.
    Entry(Problem),
    /// The entry repeats an earlier one (compared in canonical form).
    Duplicate,
    /// The entry admits a plain-http origin on a non-loopback host, and the
    /// list does not opt in.
    InsecureHttp {
        /// The entry in canonical form.
        canonical: String,
    },
}

impl ListProblem {
    /// The message for this problem; `entry` is the entry as written (unused
    /// for [`ListProblemKind::Empty`]). Where the list is written decides how
    /// an empty list is phrased, so that case has no message here.
    pub fn message(&self, entry: &str) -> String {
        match &self.kind {
            ListProblemKind::Empty => "the list of origins is empty".to_owned(),
            ListProblemKind::Entry(problem) => problem.message(entry),
            ListProblemKind::Duplicate => format!("duplicate origin `{entry}`: remove this one"),
            ListProblemKind::InsecureHttp { canonical } => insecure_http_message(canonical),
        }
    }
}

/// Checks a whole origin list. Every problem is returned, each with its
/// entry's index, in the order of the entries; a duplicate is reported once
/// and not checked further.
pub fn check_list<I>(entries: I, allow_insecure_http: bool) -> Result<CheckedList, Vec<ListProblem>>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut list = CheckedList::default();
    let mut problems = Vec::new();
    // Canonical forms seen so far: a set, so a long run-time list is
    // checked in linear time.
    let mut seen: HashSet<String> = HashSet::new();
    let mut count = 0;
    for (index, input) in entries.into_iter().enumerate() {
        count += 1;
        let problem = |kind| ListProblem {
            index: Some(index),
            kind,
        };
        let entry = match entry::check(input.as_ref()) {
            Ok(entry) => entry,
            Err(entry_problem) => {
                problems.push(problem(ListProblemKind::Entry(entry_problem)));
                continue;
            }
        };
        let canonical = entry.canonical();
        if seen.contains(&canonical) {
            problems.push(problem(ListProblemKind::Duplicate));
            continue;
        }
        if entry.is_insecure() && !allow_insecure_http {
            problems.push(problem(ListProblemKind::InsecureHttp {
                canonical: canonical.clone(),
            }));
        }
        seen.insert(canonical);
        match entry {
            Entry::Exact(origin) => list.exact.push(origin.serialized),
            Entry::Pattern { pattern, .. } => list.patterns.push(pattern),
        }
    }
    if count == 0 {
        problems.push(ListProblem {
            index: None,
            kind: ListProblemKind::Empty,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    list.exact.sort_by(|a, b| order(a.as_bytes(), b.as_bytes()));
    Ok(list)
}

/// The lookup order of exact origins: length first, then bytes. A lookup is
/// then a binary search that mostly compares lengths.
pub fn order(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_display_in_canonical_form() {
        let list = check_list(["https://*.example.com:8443", "http://localhost:*"], false).unwrap();
        let shown: Vec<String> = list.patterns.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["https://*.example.com:8443", "http://localhost:*"]);
    }

    fn problems(entries: &[&str], allow_insecure_http: bool) -> Vec<(Option<usize>, String)> {
        check_list(entries, allow_insecure_http)
            .unwrap_err()
            .into_iter()
            .map(|problem| {
                let entry = problem.index.map_or("", |index| entries[index]);
                (problem.index, problem.message(entry))
            })
            .collect()
    }

    #[test]
    fn a_good_list_is_canonical_and_in_lookup_order() {
        let list = check_list(
            [
                "https://admin.example.com",
                "https://*.preview.example.com",
                "http://localhost:3000",
                "https://a.com",
                "http://localhost:*",
            ],
            false,
        )
        .unwrap();
        assert_eq!(
            list.exact,
            [
                "https://a.com",
                "http://localhost:3000",
                "https://admin.example.com"
            ]
        );
        assert_eq!(
            list.patterns,
            [
                Pattern::Subdomain {
                    scheme: "https://",
                    suffix: ".preview.example.com".into()
                },
                Pattern::AnyPort {
                    prefix: "http://localhost:".into()
                }
            ]
        );
        assert!(list
            .exact
            .windows(2)
            .all(|pair| order(pair[0].as_bytes(), pair[1].as_bytes()).is_lt()));
        // The runtime's lookup: a binary search of the exact origins in
        // lookup order, then each pattern's matcher.
        let exact = |origin: &[u8]| {
            list.exact
                .binary_search_by(|candidate| order(candidate.as_bytes(), origin))
                .is_ok()
        };
        let matched = |origin: &[u8]| list.patterns.iter().any(|p| p.matches(origin));
        assert!(exact(b"https://a.com"));
        assert!(list.patterns[0].matches(b"https://pr-1.preview.example.com"));
        assert!(list.patterns[1].matches(b"http://localhost:5173"));
        for refused in [&b"https://preview.example.com"[..], b"https://A.com"] {
            assert!(!exact(refused) && !matched(refused));
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_index() {
        let found = problems(
            &[
                "https://app.example.com",
                "https://app.example.com/",
                "http://app.example.net",
                "*",
                "https://app.example.com",
            ],
            false,
        );
        let indexes: Vec<_> = found.iter().map(|(index, _)| *index).collect();
        assert_eq!(indexes, [Some(1), Some(2), Some(3), Some(4)]);
        assert!(found[0].1.contains("ends with `/`"));
        assert!(found[1]
            .1
            .starts_with("plain-http origin `http://app.example.net`"));
        assert!(found[2].1.starts_with("wildcard origin `*`"));
        assert_eq!(
            found[3].1,
            "duplicate origin `https://app.example.com`: remove this one"
        );
    }

    #[test]
    fn duplicates_compare_canonical_forms_of_patterns_too() {
        let found = problems(&["https://*.example.com", "https://*.example.com"], false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Some(1));
    }

    #[test]
    fn plain_http_needs_the_opt_in() {
        assert!(check_list(["http://app.example.com"], true).is_ok());
        assert!(check_list(["http://*.example.com"], true).is_ok());
        assert_eq!(problems(&["http://*.example.com"], false).len(), 1);
        // Loopback is never insecure: it does not cross the network.
        assert!(check_list(["http://localhost:3000", "http://127.0.0.1:*"], false).is_ok());
    }

    #[test]
    fn an_empty_list_is_one_problem_of_the_whole_list() {
        let empty: [&str; 0] = [];
        assert_eq!(
            check_list(empty, false).unwrap_err(),
            [ListProblem {
                index: None,
                kind: ListProblemKind::Empty
            }]
        );
    }
}
