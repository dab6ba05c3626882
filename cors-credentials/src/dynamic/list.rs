//! [`OriginList`]: a set of origins checked before it is given to a policy,
//! for instance while a configuration file is read (feature `serde`).

use std::{fmt, iter, slice, sync::Arc};

use super::{bounded, check, Set};
use crate::error::ConfigError;

/// Origins and patterns checked with the compiler's rules and messages, ready
/// for [`Policy::set_checked_origins`](crate::Policy::set_checked_origins).
///
/// A list is checked once, when it is built: with [`OriginList::new`], or,
/// with the feature `serde`, while it is deserialized from a sequence of
/// strings, so a configuration file with a bad origin fails to load with the
/// compiler's message for it, naming the entry and its position. The bounds
/// of [`set_origins`](crate::Policy::set_origins) hold too, checked as each
/// entry is read: at most [`MAX_DYNAMIC_ORIGINS`](crate::MAX_DYNAMIC_ORIGINS)
/// entries of at most [`MAX_ORIGIN_LEN`](crate::MAX_ORIGIN_LEN) bytes.
///
/// Plain-http origins on hosts other than the loopback ones are refused, as
/// in a policy without `allow_insecure_http_origins: true`. For a policy with
/// that opt-in, use `OriginList<true>`, which takes them; giving such a list
/// to a policy without the opt-in checks it again with the policy's rule, so
/// a list cannot bring plain http to a policy that refuses it.
///
/// ```
/// use cors_credentials::OriginList;
///
/// let list = OriginList::new(["https://acme.example", "https://*.globex.example"]).unwrap();
/// assert_eq!(list.entries(), ["https://acme.example", "https://*.globex.example"]);
///
/// let error = OriginList::new(["https://acme.example", "http://initech.example"]).unwrap_err();
/// assert!(error
///     .to_string()
///     .starts_with("entry 2 (`http://initech.example`): plain-http origin"));
///
/// let internal: OriginList<true> = OriginList::with_insecure_http(["http://initech.example"]).unwrap();
/// assert_eq!(internal.iter().collect::<Vec<_>>(), ["http://initech.example"]);
/// ```
///
/// `&OriginList` iterates over the entries as written, so it can also be
/// given to [`set_origins`](crate::Policy::set_origins), which checks them
/// again.
#[derive(Clone)]
pub struct OriginList<const ALLOW_INSECURE_HTTP: bool = false> {
    /// The entries as written, for messages and iteration.
    entries: Vec<String>,
    /// The same entries checked, shared with every policy they are given to.
    checked: Arc<Set>,
}

impl OriginList {
    /// Checks `entries`, all or nothing, plain-http origins refused beyond
    /// the loopback hosts; the error names the first entry at fault, its
    /// position (from 1) and what is wrong, in the compiler's words.
    pub fn new<I>(entries: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        Self::build(entries)
    }
}

impl OriginList<true> {
    /// [`OriginList::new`] with plain-http origins allowed, for a policy
    /// declared with `allow_insecure_http_origins: true`.
    pub fn with_insecure_http<I>(entries: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        Self::build(entries)
    }
}

impl<const ALLOW_INSECURE_HTTP: bool> OriginList<ALLOW_INSECURE_HTTP> {
    fn build<I>(entries: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let entries = bounded(entries.into_iter().map(|entry| entry.as_ref().to_owned()))
            .map_err(ConfigError::new)?;
        Self::checked_from(entries).map_err(ConfigError::new)
    }

    /// Checks entries already within the bounds.
    fn checked_from(entries: Vec<String>) -> Result<Self, String> {
        let checked = check(&entries, ALLOW_INSECURE_HTTP)?;
        Ok(OriginList {
            entries,
            checked: Arc::new(checked),
        })
    }

    /// The entries, as written, in their order.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The entries, as written, in their order.
    pub fn iter(&self) -> <&Self as IntoIterator>::IntoIter {
        self.into_iter()
    }

    pub(super) fn checked(&self) -> &Arc<Set> {
        &self.checked
    }
}

impl<const ALLOW_INSECURE_HTTP: bool> fmt::Debug for OriginList<ALLOW_INSECURE_HTTP> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.entries).finish()
    }
}

impl<'a, const ALLOW_INSECURE_HTTP: bool> IntoIterator for &'a OriginList<ALLOW_INSECURE_HTTP> {
    type Item = &'a str;
    type IntoIter = iter::Map<slice::Iter<'a, String>, fn(&'a String) -> &'a str>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(String::as_str)
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use std::fmt;

    use serde::{
        de::{DeserializeSeed, Error, SeqAccess, Visitor},
        Deserialize, Deserializer, Serialize, Serializer,
    };

    use super::OriginList;
    use crate::dynamic::{too_long, too_many, MAX_DYNAMIC_ORIGINS};

    /// A sequence of strings, checked as it is read.
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    impl<'de, const ALLOW_INSECURE_HTTP: bool> Deserialize<'de> for OriginList<ALLOW_INSECURE_HTTP> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_seq(ListVisitor::<ALLOW_INSECURE_HTTP>)
        }
    }

    /// The entries as written, a sequence of strings.
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    impl<const ALLOW_INSECURE_HTTP: bool> Serialize for OriginList<ALLOW_INSECURE_HTTP> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(&self.entries)
        }
    }

    struct ListVisitor<const ALLOW_INSECURE_HTTP: bool>;

    impl<'de, const ALLOW_INSECURE_HTTP: bool> Visitor<'de> for ListVisitor<ALLOW_INSECURE_HTTP> {
        type Value = OriginList<ALLOW_INSECURE_HTTP>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of origins, e.g. [\"https://app.example.com\"]")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            // The hint comes from the input: trusted only up to a small size.
            let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(entry) = seq.next_element_seed(Entry {
                position: entries.len() + 1,
            })? {
                entries.push(entry);
            }
            OriginList::checked_from(entries).map_err(A::Error::custom)
        }
    }

    /// One entry, refused before it is copied when it is beyond the bounds.
    struct Entry {
        /// Counted from 1.
        position: usize,
    }

    impl Entry {
        fn bounded<E: Error>(&self, len: usize) -> Result<(), E> {
            if self.position > MAX_DYNAMIC_ORIGINS {
                return Err(E::custom(too_many()));
            }
            match too_long(self.position, len) {
                Some(message) => Err(E::custom(message)),
                None => Ok(()),
            }
        }
    }

    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    impl<'de> DeserializeSeed<'de> for Entry {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl Visitor<'_> for Entry {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "entry {} of the list of origins to be a string, e.g. \"https://app.example.com\"",
                self.position
            )
        }

        fn visit_str<E: Error>(self, entry: &str) -> Result<String, E> {
            self.bounded(entry.len())?;
            Ok(entry.to_owned())
        }

        fn visit_string<E: Error>(self, entry: String) -> Result<String, E> {
            self.bounded(entry.len())?;
            Ok(entry)
        }
    }
}
