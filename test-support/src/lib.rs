//! What the tests, the fuzz targets and the benchmarks of cors-credentials
//! share: response assertions, raw HTTP over loopback, and the harnesses
//! that more than one of them needs: one `log` capture and one counting
//! allocator. Not published.

pub mod alloc;
pub mod headers;
pub mod log;
pub mod raw_http;
