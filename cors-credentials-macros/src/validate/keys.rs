//! Which keys are written: each must be one of the site's, given once.

use crate::{
    args::{Args, Key},
    ctxt::Ctxt,
};

/// Keys people reach for to turn credentials on or off: there is nothing to set.
const CREDENTIALS_KEYS: &[&str] = &["credentials", "allow_credentials", "supports_credentials"];

/// Reports unknown keys, credentials keys and keys given twice, in the order
/// written. A key is given once its value has the right shape: a later
/// occurrence is a duplicate, while a value of the wrong shape, reported by
/// the parser already, gives nothing.
pub(super) fn check(cx: &mut Ctxt, args: &Args) {
    let mut given: Vec<&str> = Vec::new();
    for written in &args.written {
        let name = written.ident.to_string();
        let Some(key) = written.key else {
            let message = if CREDENTIALS_KEYS.contains(&name.as_str()) {
                format!(
                    "`{name}` cannot be set: `Access-Control-Allow-Credentials` has one valid value, `true`, and this attribute always sends it; remove `{name}`, or remove `#[cors_credentials]` to serve this handler without credentialed CORS"
                )
            } else {
                format!(
                    "unknown key `{name}`; valid keys are {}",
                    backticked(&Key::names_at(args.site))
                )
            };
            cx.error_spanned_by(&written.ident, message);
            continue;
        };
        if given.contains(&key.name) {
            cx.error_spanned_by(
                &written.ident,
                format!("duplicate key `{name}`: give it once"),
            );
        } else if written.parsed {
            given.push(key.name);
        }
    }
}

/// `` `a`, `b` and `c` ``.
fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}
