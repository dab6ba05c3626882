//! Carries the audit's probes to an actix-web service, in-process.

use actix_web::{
    dev::{Service, ServiceResponse},
    http::{header::HeaderMap, Method},
    test::TestRequest,
};

use super::{plan::Probe, report::Answer};

/// The service `actix_web::test::init_service` returns.
pub(super) struct Client<'a, S> {
    pub(super) service: &'a S,
}

fn headers(map: &HeaderMap) -> Vec<(String, Vec<u8>)> {
    map.iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect()
}

impl<S, B> super::Client for Client<'_, S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    async fn send(&mut self, probe: &Probe) -> Option<Answer> {
        let mut request = TestRequest::default()
            .method(Method::from_bytes(probe.method.as_bytes()).ok()?)
            .uri(&probe.path);
        for (name, value) in &probe.headers {
            request = request.insert_header((*name, value.as_str()));
        }
        if !probe.body.is_empty() {
            request = request.set_payload(probe.body);
        }
        Some(match self.service.call(request.to_request()).await {
            Ok(response) => Answer {
                status: response.status().as_u16(),
                headers: headers(response.headers()),
            },
            // What the server would send for the error.
            Err(error) => {
                let response = error.as_response_error().error_response();
                Answer {
                    status: response.status().as_u16(),
                    headers: headers(response.headers()),
                }
            }
        })
    }
}
