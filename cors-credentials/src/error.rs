//! The one error type of the crate: a configuration refused at startup or
//! when origins are replaced.

use std::fmt;

/// Why a policy's configuration was refused at startup. Its message is the
/// compiler's for the same mistake, prefixed with the variable's name.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

// `main` returning `Err` prints `Debug`: show the message, not the struct.
impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(crate) fn new(message: String) -> Self {
        ConfigError { message }
    }
}
