//! What the tests, the fuzz targets and the benchmarks of cors-credentials
//! share: response assertions, raw HTTP over loopback, and the harnesses
//! that more than one of them needs. Not published.

pub mod headers;
pub mod oracle;
pub mod policy;
pub mod raw_http;
