//! What the tests, the fuzz targets and the benchmarks of cors-credentials
//! share: response assertions, raw HTTP over loopback, and the harnesses
//! that more than one of them needs: the run-time policy builder, models of
//! the rules to check them against, one `log` capture, one counting
//! allocator, and (feature `browser`) the harness that drives Chromium,
//! Firefox and WebKit through WebDriver, and a throwaway PostgreSQL
//! cluster (`postgres`). Not published.

pub mod alloc;
#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "driver")]
pub mod driver;
#[cfg(feature = "tracing")]
pub mod events;
pub mod headers;
pub mod http_headers;
pub mod log;
pub mod oracle;
pub mod policy;
pub mod postgres;
pub mod raw_http;
#[cfg(feature = "strategies")]
pub mod strategies;
pub mod swap;
