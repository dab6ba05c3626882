//! Origins known only at deploy time, read from an environment variable.
//!
//! The value is checked with the same rules, and the same messages, as a
//! list in the source: `cors-credentials-rules` serves both. Compile-time
//! lists are checked before deployment; an environment list only when the
//! application starts, so load it first thing in `main`.

use std::{env::VarError, sync::OnceLock};

use cors_credentials_rules::{
    list::{check_list, ListProblemKind},
    origin::Problem,
};

use crate::{error::ConfigError, origin::Listed};

/// Origins read once from the environment variable `var`.
#[derive(Debug)]
pub struct EnvOrigins {
    var: &'static str,
    allow_insecure_http: bool,
    loaded: OnceLock<Result<Listed, ConfigError>>,
}

impl EnvOrigins {
    #[doc(hidden)]
    pub const fn new(var: &'static str, allow_insecure_http: bool) -> Self {
        EnvOrigins {
            var,
            allow_insecure_http,
            loaded: OnceLock::new(),
        }
    }

    /// The variable's name.
    pub fn var(&self) -> &'static str {
        self.var
    }

    /// Reads and checks the variable the first time; later calls return the
    /// first result. All or nothing: one bad entry refuses the whole list.
    pub fn load(&self) -> Result<&Listed, ConfigError> {
        self.loaded
            .get_or_init(|| parse(self.var, std::env::var(self.var), self.allow_insecure_http))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The loaded origins, or `None` before a successful [`load`](Self::load).
    pub fn get(&self) -> Option<&Listed> {
        self.loaded.get()?.as_ref().ok()
    }
}

/// Parses a comma-separated list of origins and patterns, with optional
/// whitespace around each entry.
pub(crate) fn parse(
    var: &str,
    value: Result<String, VarError>,
    allow_insecure_http: bool,
) -> Result<Listed, ConfigError> {
    let error = |message: String| ConfigError::new(format!("{var}: {message}"));
    let value = match value {
        Ok(value) => value,
        Err(VarError::NotPresent) => {
            return Err(error(
                "not set: list the origins allowed to make credentialed requests, comma-separated, e.g. `https://app.example.com,https://admin.example.com`".to_owned(),
            ))
        }
        Err(VarError::NotUnicode(_)) => {
            return Err(error("not valid UTF-8: origins are ASCII".to_owned()))
        }
    };
    if value.trim().is_empty() {
        return Err(error(
            "empty: list at least one origin, e.g. `https://app.example.com`".to_owned(),
        ));
    }
    let entries: Vec<&str> = value.split(',').map(str::trim).collect();
    match check_list(&entries, allow_insecure_http) {
        Ok(list) => Ok(Listed::leak(list)),
        // All or nothing: the first problem (there is at least one) refuses
        // the whole list.
        Err(problems) => {
            let problem = &problems[0];
            Err(error(match (problem.index, &problem.kind) {
                (Some(index), ListProblemKind::Entry(Problem::Empty)) => format!(
                    "entry {} is empty (two commas in a row, or a comma at an end); remove it",
                    index + 1
                ),
                (Some(index), _) => problem.message(entries[index]),
                (None, _) => problem.message(""),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(value: &str) -> Result<Listed, String> {
        parse("APP_CORS_ORIGINS", Ok(value.to_owned()), false).map_err(|e| e.to_string())
    }

    fn allows(listed: &Listed, origin: &str) -> bool {
        listed.allows(origin.as_bytes())
    }

    #[test]
    fn good_list_with_whitespace_around_commas() {
        let listed =
            load(" https://app.example.com ,https://*.preview.example.com,\thttp://localhost:* ")
                .unwrap();
        assert!(allows(&listed, "https://app.example.com"));
        assert!(allows(&listed, "https://pr-7.preview.example.com"));
        assert!(allows(&listed, "http://localhost:5173"));
        assert!(!allows(&listed, "https://preview.example.com"));
        assert!(!allows(&listed, "https://evil.example.net"));
    }

    #[test]
    fn bad_entries_stop_everything_with_the_compilers_message() {
        assert_eq!(
            load("https://app.example.com,https://admin.example.com/").unwrap_err(),
            "APP_CORS_ORIGINS: origin `https://admin.example.com/` ends with `/`, which browsers never send in `Origin`; did you mean `https://admin.example.com`?"
        );
        assert!(load("*")
            .unwrap_err()
            .starts_with("APP_CORS_ORIGINS: wildcard origin `*` cannot be used with credentials"));
        assert!(load("null")
            .unwrap_err()
            .contains("origin `null` is refused"));
        assert!(load("https://*.com").unwrap_err().contains("public suffix"));
        assert!(load("http://app.example.com")
            .unwrap_err()
            .contains("plain-http origin"));
        assert!(load("https://a.example.com, https://a.example.com")
            .unwrap_err()
            .contains("duplicate origin"));
        assert!(parse("V", Ok("http://app.example.com".into()), true).is_ok());
    }

    #[test]
    fn empty_values_and_entries() {
        assert!(load("")
            .unwrap_err()
            .contains("empty: list at least one origin"));
        assert!(load("  ").unwrap_err().contains("empty"));
        assert!(load("https://a.example.com,,https://b.example.com")
            .unwrap_err()
            .contains("entry 2 is empty"));
        assert!(load("https://a.example.com,")
            .unwrap_err()
            .contains("entry 2 is empty"));
        let unset = parse("APP_CORS_ORIGINS", Err(VarError::NotPresent), false).unwrap_err();
        assert!(unset.to_string().starts_with("APP_CORS_ORIGINS: not set"));
    }
}
