//! HTTPS for the two-origin demo: a self-signed certificate for `localhost`
//! and `127.0.0.1`, made when the servers start (`rcgen`) and served with
//! rustls (its `ring` provider). Loopback only: nobody else can reach the
//! servers, and a browser accepts the certificate only after its warning
//! (or, under WebDriver, with `acceptInsecureCerts`).

use std::io;

use rustls::{
    crypto::ring,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
    ServerConfig,
};

/// The names the certificate is valid for.
pub const NAMES: [&str; 2] = ["localhost", "127.0.0.1"];

/// A self-signed certificate and the rustls configuration serving it.
#[derive(Clone)]
pub struct Tls {
    config: ServerConfig,
    certificate_pem: String,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

impl Tls {
    /// A fresh self-signed certificate for [`NAMES`] (`127.0.0.1` as an IP
    /// address), with a key of its own.
    pub fn self_signed() -> io::Result<Tls> {
        let names: Vec<String> = NAMES.iter().map(|name| name.to_string()).collect();
        let certified = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
        let certificate_pem = certified.cert.pem();
        let chain = vec![CertificateDer::from(certified.cert.der().to_vec())];
        let key =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        // ring rather than rustls's default aws-lc-rs, which needs cmake to
        // build; it has no post-quantum key exchange, which a loopback demo
        // does not need.
        #[allow(deprecated)]
        let provider = ring::default_provider();
        let config = ServerConfig::builder_with_provider(provider.into())
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(io::Error::other)?;
        Ok(Tls {
            config,
            certificate_pem,
        })
    }

    /// The certificate, PEM-encoded (what a client that checks it trusts).
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// The rustls configuration of a server.
    pub fn server_config(&self) -> ServerConfig {
        self.config.clone()
    }
}

/// `http` or `https`: the scheme of servers with `tls` or without.
pub fn scheme(tls: Option<&Tls>) -> &'static str {
    if tls.is_some() {
        "https"
    } else {
        "http"
    }
}

/// Binds an `HttpServer` to `listeners` (a `Vec<TcpListener>`), with TLS
/// when `tls` (an `Option<&Tls>`) is given; the server bound, or the error.
#[cfg(feature = "actix")]
macro_rules! listen {
    ($server:expr, $listeners:expr, $tls:expr) => {{
        let tls: Option<&$crate::tls::Tls> = $tls;
        $listeners
            .into_iter()
            .try_fold($server, |server, listener| match tls {
                Some(tls) => server.listen_rustls_0_23(listener, tls.server_config()),
                None => server.listen(listener),
            })
    }};
}
#[cfg(feature = "actix")]
pub(crate) use listen;
