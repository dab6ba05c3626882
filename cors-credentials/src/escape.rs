//! Escaping request bytes before they reach a log record.

use core::fmt;

/// Displays request bytes with control characters, quotes, backslashes and
/// non-ASCII bytes escaped (`\n`, `\x1b`, …), and long values cut short, so an
/// attacker-controlled `Origin` cannot forge or split log lines.
#[derive(Debug)]
pub struct Escaped<'a>(pub &'a [u8]);

/// The most bytes of one value written to a log record.
const MAX_LOGGED: usize = 256;

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(MAX_LOGGED)];
        write!(f, "\"{}\"", shown.escape_ascii())?;
        if self.0.len() > MAX_LOGGED {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Escaped;

    #[test]
    fn control_characters_and_quotes_are_escaped() {
        let logged = Escaped(b"https://evil.net\r\nINFO forged \"line\"\x1b[31m\xff").to_string();
        assert_eq!(
            logged,
            r#""https://evil.net\r\nINFO forged \"line\"\x1b[31m\xff""#
        );
        assert!(!logged.contains('\n') && !logged.contains('\r') && !logged.contains('\x1b'));
    }

    #[test]
    fn long_values_are_cut() {
        let long = vec![b'a'; 10_000];
        let logged = Escaped(&long).to_string();
        assert!(logged.len() < 300, "{}", logged.len());
        assert!(logged.ends_with("(10000 bytes)"));
    }
}
