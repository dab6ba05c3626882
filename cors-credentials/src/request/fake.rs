//! A request made of bytes, with no framework behind it: what the decisions'
//! unit tests run on, and what fuzz targets and benchmarks may build.

use super::{Request, RequestHeader};

/// A request given line by line: method, path, the authority it was sent
/// to, whether its connection is TLS, and its header lines in order. Header
/// names are compared ASCII case-insensitively, as HTTP compares them.
/// Built as `FakeRequest::new("OPTIONS", "/api").header("origin",
/// "https://app.example.com").authority("api.example.com").tls(true)`; the
/// builder's `header` and `authority` take a value, so reading them back
/// goes through the `Request` trait (`Request::authority(&req)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRequest {
    method: String,
    path: String,
    authority: Option<Vec<u8>>,
    tls: bool,
    headers: Vec<(String, Vec<u8>)>,
}

impl FakeRequest {
    /// A request with no header, no authority, over plain HTTP.
    pub fn new(method: &str, path: &str) -> Self {
        FakeRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            authority: None,
            tls: false,
            headers: Vec::new(),
        }
    }

    /// Adds a header line after the others, whatever its name.
    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .push((name.to_owned(), value.as_ref().to_vec()));
        self
    }

    /// The authority the request was sent to (`:authority` or `Host`).
    pub fn authority(mut self, authority: impl AsRef<[u8]>) -> Self {
        self.authority = Some(authority.as_ref().to_vec());
        self
    }

    /// Whether the connection is TLS.
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }
}

/// The name a header the decisions read has on the wire.
fn wire_name(name: RequestHeader) -> &'static str {
    match name {
        RequestHeader::Origin => "origin",
        RequestHeader::SecFetchSite => "sec-fetch-site",
        RequestHeader::XForwardedProto => "x-forwarded-proto",
        RequestHeader::Forwarded => "forwarded",
        RequestHeader::AccessControlRequestMethod => "access-control-request-method",
        RequestHeader::AccessControlRequestHeaders => "access-control-request-headers",
    }
}

impl Request for FakeRequest {
    type Value = Vec<u8>;

    fn method(&self) -> &str {
        &self.method
    }

    fn path(&self) -> &str {
        &self.path
    }

    fn authority(&self) -> Option<&[u8]> {
        self.authority.as_deref()
    }

    fn is_tls(&self) -> bool {
        self.tls
    }

    fn header(&self, name: RequestHeader) -> impl Iterator<Item = &Vec<u8>> {
        let wanted = wire_name(name);
        self.headers
            .iter()
            .filter(move |(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(req: &FakeRequest, name: RequestHeader) -> Vec<&[u8]> {
        req.header(name).map(Vec::as_slice).collect()
    }

    #[test]
    fn header_lines_are_found_by_name_in_any_case_and_in_order() {
        let req = FakeRequest::new("OPTIONS", "/api")
            .header("Access-Control-Request-Headers", "x-a")
            .header("origin", b"https://app.example.com")
            .header("x-access-control-request-headers", "x-b")
            .header("ACCESS-CONTROL-REQUEST-HEADERS", "x-c");
        assert_eq!(
            lines(&req, RequestHeader::AccessControlRequestHeaders),
            [&b"x-a"[..], b"x-c"]
        );
        assert_eq!(
            lines(&req, RequestHeader::Origin),
            [&b"https://app.example.com"[..]]
        );
        assert!(lines(&req, RequestHeader::SecFetchSite).is_empty());
        assert!(lines(&req, RequestHeader::AccessControlRequestMethod).is_empty());
        assert!(lines(&req, RequestHeader::XForwardedProto).is_empty());
    }

    #[test]
    fn every_header_has_its_wire_name() {
        for (name, wire) in [
            (RequestHeader::Origin, "Origin"),
            (RequestHeader::SecFetchSite, "Sec-Fetch-Site"),
            (RequestHeader::XForwardedProto, "X-Forwarded-Proto"),
            (RequestHeader::Forwarded, "Forwarded"),
            (
                RequestHeader::AccessControlRequestMethod,
                "Access-Control-Request-Method",
            ),
            (
                RequestHeader::AccessControlRequestHeaders,
                "Access-Control-Request-Headers",
            ),
        ] {
            let req = FakeRequest::new("GET", "/").header(wire, "v");
            assert_eq!(lines(&req, name), [&b"v"[..]], "{wire}");
        }
    }

    #[test]
    fn method_path_authority_and_scheme() {
        let req = FakeRequest::new("POST", "/form");
        assert_eq!((req.method(), req.path()), ("POST", "/form"));
        assert_eq!(Request::authority(&req), None);
        assert!(!req.is_tls());
        let req = req.authority("api.example.com:8443").tls(true);
        assert_eq!(Request::authority(&req), Some(&b"api.example.com:8443"[..]));
        assert!(req.is_tls());
    }
}
