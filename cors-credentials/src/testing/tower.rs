//! Carries the audit's probes to a tower service, in-process.

use core::future::poll_fn;

use tower_service::Service;

use super::{plan::Probe, report::Answer};

/// Any tower service over `http` 1.x taking a `String` body (an axum `Router` does).
pub(super) struct Client<S> {
    pub(super) service: S,
}

impl<S, B> super::Client for Client<S>
where
    S: Service<http::Request<String>, Response = http::Response<B>>,
{
    async fn send(&mut self, probe: &Probe) -> Option<Answer> {
        let mut request = http::Request::builder()
            .method(probe.method.as_str())
            .uri(&probe.path);
        for (name, value) in &probe.headers {
            request = request.header(*name, value.as_str());
        }
        let request = request.body(probe.body.to_owned()).ok()?;
        poll_fn(|cx| self.service.poll_ready(cx)).await.ok()?;
        let response = self.service.call(request).await.ok()?;
        Some(Answer {
            status: response.status().as_u16(),
            headers: response
                .headers()
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
                .collect(),
        })
    }
}
