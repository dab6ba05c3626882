//! Origins given at run time and replaced while the server runs:
//! `policy! { NAME = { origins: dynamic, .. } }` and [`Policy::set_origins`].
//!
//! A new set is checked by the rules crate's list checker, the compiler's
//! own, all or nothing. Requests read the current set without a lock and
//! without allocating (`arc-swap`), once per decision, so a request in flight
//! during a swap is decided wholly by the old set or wholly by the new one.
//! A set's exact origins are hashed: a set may hold thousands, where a
//! binary search would compare bytes at every one of its steps.
//!
//! [`Policy::set_origins`]: crate::Policy::set_origins

use std::{collections::HashSet, sync::Arc};

use arc_swap::ArcSwapOption;
use cors_credentials_rules::{
    list::{check_list, CheckedList},
    pattern::Pattern,
};

use crate::{error::ConfigError, origin::Lookup};

mod list;

pub use list::OriginList;

/// The most entries [`set_origins`](crate::Policy::set_origins) takes.
pub const MAX_DYNAMIC_ORIGINS: usize = 100_000;

/// The longest entry [`set_origins`](crate::Policy::set_origins) takes, in
/// bytes: a scheme, a 253-byte host name and a port fit with room to spare.
pub const MAX_ORIGIN_LEN: usize = 512;

/// A policy's origins given at run time; none until the first successful
/// [`set`](Self::set).
#[derive(Debug)]
pub struct DynamicOrigins {
    name: &'static str,
    allow_insecure_http: bool,
    current: ArcSwapOption<Set>,
}

/// A checked set in the form requests look it up.
#[derive(Debug)]
pub(crate) struct Set {
    /// The exact origins, compared byte for byte with `Origin`. Hashed with
    /// the standard library's keyed hasher: the keys are random, so no
    /// `Origin` can be chosen to collide with the configured ones.
    exact: HashSet<Box<[u8]>>,
    /// The patterns, in the order written.
    patterns: Vec<Pattern>,
}

impl Set {
    fn new(list: CheckedList) -> Set {
        Set {
            exact: list
                .exact
                .into_iter()
                .map(|origin| origin.into_bytes().into_boxed_slice())
                .collect(),
            patterns: list.patterns,
        }
    }

    /// Whether the raw `Origin` bytes are allowed: equal to an exact origin,
    /// or matching a pattern; what [`Listed::allows`] decides for a list
    /// checked once.
    ///
    /// [`Listed::allows`]: crate::origin::Listed::allows
    #[inline]
    fn allows(&self, origin: &[u8]) -> bool {
        self.exact.contains(origin) || self.patterns.iter().any(|pattern| pattern.matches(origin))
    }
}

impl DynamicOrigins {
    #[doc(hidden)]
    pub const fn new(name: &'static str, allow_insecure_http: bool) -> Self {
        DynamicOrigins {
            name,
            allow_insecure_http,
            current: ArcSwapOption::const_empty(),
        }
    }

    /// The policy's name, for messages.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The current origins in canonical form (exact origins in lookup
    /// order, then patterns), or `None` before the first set is given.
    pub fn current_origins(&self) -> Option<Vec<String>> {
        let set = self.current.load_full()?;
        let mut exact: Vec<&[u8]> = set.exact.iter().map(|origin| &origin[..]).collect();
        exact.sort_by(|a, b| cors_credentials_rules::list::order(a, b));
        let exact = exact
            .into_iter()
            .map(|origin| String::from_utf8_lossy(origin).into_owned());
        Some(
            exact
                .chain(set.patterns.iter().map(ToString::to_string))
                .collect(),
        )
    }

    /// Looks `origin` up in the current set, read once.
    #[inline]
    pub fn lookup(&self, origin: &[u8]) -> Lookup {
        match &*self.current.load() {
            Some(list) if list.allows(origin) => Lookup::Allowed,
            Some(_) => Lookup::NotAllowed,
            None => Lookup::NotSet,
        }
    }

    /// Checks `entries` and makes them the current set; on any problem the
    /// current set stays and the error names the first entry at fault.
    pub fn set<I>(&self, entries: I) -> Result<(), ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let list = bounded(entries)
            .and_then(|kept| check(&kept, self.allow_insecure_http))
            .map_err(|message| self.error(message))?;
        self.current.store(Some(Arc::new(list)));
        Ok(())
    }

    /// Makes a list checked beforehand the current set, without checking it
    /// again, unless it was checked with plain http allowed and this policy
    /// does not allow it: then it is checked with this policy's rule.
    pub fn set_checked<const ALLOW_INSECURE_HTTP: bool>(
        &self,
        list: &OriginList<ALLOW_INSECURE_HTTP>,
    ) -> Result<(), ConfigError> {
        if ALLOW_INSECURE_HTTP && !self.allow_insecure_http {
            return self.set(list);
        }
        self.current.store(Some(Arc::clone(list.checked())));
        Ok(())
    }

    fn error(&self, message: String) -> ConfigError {
        ConfigError::new(format!("{}: {message}", self.name))
    }
}

/// The message for a set of more than [`MAX_DYNAMIC_ORIGINS`] entries.
fn too_many() -> String {
    format!(
        "more than {MAX_DYNAMIC_ORIGINS} origins; the set is limited to {MAX_DYNAMIC_ORIGINS} entries"
    )
}

/// The message for entry `position` (counted from 1) of `len` bytes, longer
/// than [`MAX_ORIGIN_LEN`]; `None` if it is not too long.
fn too_long(position: usize, len: usize) -> Option<String> {
    (len > MAX_ORIGIN_LEN).then(|| {
        format!("entry {position} is {len} bytes long, more than {MAX_ORIGIN_LEN}: no origin is that long")
    })
}

/// The entries, within the bounds, or the message of the first one beyond.
fn bounded<I>(entries: I) -> Result<Vec<I::Item>, String>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    bounded_by(entries, MAX_DYNAMIC_ORIGINS, too_many)
}

/// The entries, at most `max` of at most [`MAX_ORIGIN_LEN`] bytes each, or
/// the message of the first one beyond (`too_many` for one too many).
pub(crate) fn bounded_by<I>(
    entries: I,
    max: usize,
    too_many: impl FnOnce() -> String,
) -> Result<Vec<I::Item>, String>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut kept: Vec<I::Item> = Vec::new();
    for entry in entries {
        if kept.len() == max {
            return Err(too_many());
        }
        if let Some(message) = too_long(kept.len() + 1, entry.as_ref().len()) {
            return Err(message);
        }
        kept.push(entry);
    }
    Ok(kept)
}

/// Checks a whole set with the compiler's list checker; the message names
/// the first entry at fault, its position and the compiler's reason.
fn check<S: AsRef<str>>(entries: &[S], allow_insecure_http: bool) -> Result<Set, String> {
    checked(entries, allow_insecure_http).map(Set::new)
}

/// Checks a whole set with the compiler's list checker, in the form the
/// checker gives it; the message names the first entry at fault, its
/// position and the compiler's reason. Every set given at run time is
/// checked here.
pub(crate) fn checked<S: AsRef<str>>(
    entries: &[S],
    allow_insecure_http: bool,
) -> Result<CheckedList, String> {
    check_list(entries, allow_insecure_http).map_err(|problems| {
        // There is at least one problem.
        let problem = &problems[0];
        match problem.index {
            Some(index) => {
                let entry = entries[index].as_ref();
                format!(
                    "entry {} (`{}`): {}",
                    index + 1,
                    entry.escape_default(),
                    problem.message(entry)
                )
            }
            None => "empty: give at least one origin, e.g. `https://app.example.com`".to_owned(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_allows_what_its_checked_list_allows() {
        let entries = [
            "https://tenant00001.example.com",
            "https://tenant10000.example.com",
            "https://a.com",
            "https://*.globex.example",
            "http://localhost:*",
        ];
        let list = check_list(entries, false).unwrap();
        let set = Set::new(list.clone());
        let listed = crate::origin::Listed::leak(list);
        for origin in [
            &b"https://tenant00001.example.com"[..],
            b"https://tenant10000.example.com",
            b"https://a.com",
            b"https://shop.globex.example",
            b"http://localhost:5173",
            b"https://tenant10000.example.co",
            b"https://tenant10000.example.comm",
            b"https://TENANT10000.example.com",
            b"https://globex.example",
            b"https://a.com/",
            b"",
        ] {
            assert_eq!(
                set.allows(origin),
                listed.allows(origin),
                "{}",
                origin.escape_ascii()
            );
        }
        assert!(set.allows(b"https://tenant10000.example.com"));
        assert!(!set.allows(b"https://tenant10000.example.co"));
    }

    #[test]
    fn a_checked_list_is_shared_and_the_plain_http_opt_in_stays_the_policys() {
        let strict = DynamicOrigins::new("STRICT", false);
        let list = OriginList::new(["https://a.example.com"]).unwrap();
        strict.set_checked(&list).unwrap();
        let current = strict.current.load_full().unwrap();
        assert!(Arc::ptr_eq(&current, list.checked()), "copied, not shared");

        let insecure = OriginList::with_insecure_http(["http://b.example.com"]).unwrap();
        let error = strict.set_checked(&insecure).unwrap_err().to_string();
        assert!(
            error.starts_with("STRICT: entry 1 (`http://b.example.com`): plain-http origin"),
            "{error}"
        );
        assert_eq!(strict.lookup(b"https://a.example.com"), Lookup::Allowed);
        assert_eq!(strict.lookup(b"http://b.example.com"), Lookup::NotAllowed);
    }
}
