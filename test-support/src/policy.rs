//! Policies built at run time as the `'static` values the macro generates,
//! for configurations that cannot be written as literals: property tests and
//! fuzz targets draw thousands of them.
//!
//! Origins go through the rules crate's list checker, the macro's own, so a
//! built policy is exactly one the macro would accept; header and method
//! names through the same rules as in the macro.

use cors_credentials::{
    test_hooks::{
        listed, methods, policy, AllowHeaders, Methods, OnDisallowed, OriginSet, Pattern,
        StaticValue,
    },
    Policy,
};
use cors_credentials_rules::{
    header::{header_name_problem, method_problem},
    list::{check_list, CheckedList, ListProblem},
};

/// What a configuration says, as the attribute would take it.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Origin-list entries as written: exact origins and patterns.
    pub origins: Vec<String>,
    /// `allow_insecure_http_origins`.
    pub allow_insecure_http: bool,
    /// `headers`, or `None` for any.
    pub headers: Option<Vec<String>>,
    /// `expose_headers`.
    pub expose_headers: Vec<String>,
    /// `max_age`, in seconds.
    pub max_age: u32,
    /// `on_disallowed = "pass"`.
    pub pass: bool,
    /// The route's methods.
    pub methods: Vec<String>,
}

/// A built configuration. Its `'static` references live as long as the
/// [`Arena`] they were built in.
pub struct Built {
    /// The policy, as `policy!` would generate it.
    pub policy: &'static Policy,
    /// The route's methods.
    pub methods: &'static Methods,
    /// The origin list as the rules crate checked it.
    pub list: CheckedList,
    /// The allowed request headers, lowercase, deduplicated; `None` for any.
    pub headers: Option<Vec<String>>,
    /// The route's methods, valid and deduplicated.
    pub method_names: Vec<String>,
}

impl Spec {
    /// Builds the policy, leaking its values for the rest of the process.
    pub fn leak(&self) -> Result<Built, Vec<ListProblem>> {
        self.build_in(&mut Arena::leaking())
    }

    /// Builds the policy in `arena`; the values are freed when it drops.
    ///
    /// Header and method names that the macro would refuse are left out
    /// (with none left, the methods are `GET`); the origin list is refused
    /// as a whole, with the macro's problems, if any entry is.
    pub fn build_in(&self, arena: &mut Arena) -> Result<Built, Vec<ListProblem>> {
        let list = check_list(&self.origins, self.allow_insecure_http)?;
        let headers = self.headers.as_ref().map(|names| {
            let mut kept: Vec<String> = Vec::new();
            for name in names {
                let lower = name.to_ascii_lowercase();
                if header_name_problem(name, "headers", "request header").is_none()
                    && !kept.contains(&lower)
                {
                    kept.push(lower);
                }
            }
            kept
        });
        let expose: Vec<&String> = self
            .expose_headers
            .iter()
            .filter(|name| header_name_problem(name, "expose_headers", "response header").is_none())
            .collect();
        let mut method_names: Vec<String> = Vec::new();
        for method in &self.methods {
            if method_problem(method).is_none() && !method_names.contains(method) {
                method_names.push(method.clone());
            }
        }
        if method_names.is_empty() {
            method_names.push("GET".to_owned());
        }

        let exact: Vec<&'static str> = list.exact.iter().map(|o| arena.str(o)).collect();
        let patterns: Vec<Pattern> = list
            .patterns
            .iter()
            .map(|pattern| pattern.clone().map(|text| arena.str(&text)))
            .collect();
        let allow_headers = match &headers {
            None => AllowHeaders::Any,
            Some(names) => {
                let value = joined(arena, names.iter());
                AllowHeaders::List {
                    names: arena.strs(names),
                    value: arena.value(value),
                }
            }
        };
        let expose_headers = (!expose.is_empty()).then(|| {
            let value = joined(arena, expose.into_iter());
            arena.value(value)
        });
        let max_age = StaticValue::new(arena.str(&self.max_age.to_string()));
        let max_age = arena.value(max_age);
        let exact = arena.slice(exact);
        let patterns = arena.slice(patterns);
        let policy = arena.value(policy(
            OriginSet::Listed(listed(exact, patterns)),
            allow_headers,
            expose_headers,
            max_age,
            if self.pass {
                OnDisallowed::Pass
            } else {
                OnDisallowed::Reject
            },
        ));
        let names = arena.strs(&method_names);
        let value = joined(arena, method_names.iter());
        let methods = arena.value(methods(names, value));
        Ok(Built {
            policy,
            methods,
            list,
            headers,
            method_names,
        })
    }
}

/// `a, b, c` as a header value, its text in `arena`; every name is a
/// checked token, so the value is valid.
fn joined<'a>(arena: &mut Arena, names: impl Iterator<Item = &'a String>) -> StaticValue {
    let names: Vec<&str> = names.map(String::as_str).collect();
    StaticValue::new(arena.str(&names.join(", ")))
}

/// Where built values live: leaked for the rest of the process, or freed
/// together when the arena drops (a fuzz target builds millions).
///
/// A freeing arena hands out `'static` references that are not: nothing
/// built in it may be used after it drops.
pub struct Arena {
    frees: Option<Vec<Box<dyn FnOnce()>>>,
}

impl Arena {
    /// An arena whose values are never freed.
    pub fn leaking() -> Self {
        Arena { frees: None }
    }

    /// An arena whose values are freed when it drops.
    pub fn freeing() -> Self {
        Arena {
            frees: Some(Vec::new()),
        }
    }

    fn keep<T: ?Sized + 'static>(&mut self, raw: *mut T) -> &'static T {
        if let Some(frees) = &mut self.frees {
            // SAFETY: `raw` comes from `Box::into_raw` and is freed exactly
            // once, when the arena drops; its users drop what they built in
            // it first (see the type's documentation).
            frees.push(Box::new(move || drop(unsafe { Box::from_raw(raw) })));
        }
        // SAFETY: `raw` is a live allocation until the arena drops.
        unsafe { &*raw }
    }

    fn value<T: 'static>(&mut self, value: T) -> &'static T {
        self.keep(Box::into_raw(Box::new(value)))
    }

    fn slice<T: 'static>(&mut self, values: Vec<T>) -> &'static [T] {
        self.keep(Box::into_raw(values.into_boxed_slice()))
    }

    fn str(&mut self, value: &str) -> &'static str {
        self.keep(Box::into_raw(value.to_owned().into_boxed_str()))
    }

    fn strs(&mut self, values: &[String]) -> &'static [&'static str] {
        let strs: Vec<&'static str> = values.iter().map(|value| self.str(value)).collect();
        self.slice(strs)
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        if let Some(frees) = &mut self.frees {
            while let Some(free) = frees.pop() {
                free();
            }
        }
    }
}
