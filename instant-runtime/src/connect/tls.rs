//! The TLS choice of a connector: libpq's `sslmode` turned into a rustls configuration (ring
//! provider, TLS 1.2 and 1.3), built once and shared by every connection.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use super::SslMode;
use super::verifier::{AnyCertificate, ChainOnly};

/// Which certificate authorities a connection that checks certificates (`verify-ca`,
/// `verify-full`) trusts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustedRoots {
    /// Mozilla's root programme (the `webpki-roots` list): what Node and browsers trust, the
    /// same on every machine, which is what hosted PostgreSQL services are signed for.
    #[default]
    Mozilla,
    /// The operating system's store (`sslrootcert=system`), for CAs an administrator installed.
    System,
    /// The CA certificates of a PEM file (`sslrootcert=/path`, `PGSSLROOTCERT`): a private CA.
    File(PathBuf),
}

impl TrustedRoots {
    /// libpq's `sslrootcert` value: `system` for the operating system's store, else a file.
    pub fn from_sslrootcert(value: &str) -> TrustedRoots {
        if value == "system" {
            TrustedRoots::System
        } else {
            TrustedRoots::File(PathBuf::from(value))
        }
    }

    /// `PGSSLROOTCERT` (read as `sslrootcert`) when set and non-empty, else Mozilla's roots.
    pub fn from_env() -> TrustedRoots {
        match std::env::var("PGSSLROOTCERT") {
            Ok(value) if !value.trim().is_empty() => TrustedRoots::from_sslrootcert(&value),
            _ => TrustedRoots::Mozilla,
        }
    }

    /// The certificates, read now.
    fn load(&self) -> Result<RootCertStore, String> {
        match self {
            TrustedRoots::Mozilla => Ok(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            }),
            TrustedRoots::System => {
                let found = rustls_native_certs::load_native_certs();
                let mut store = RootCertStore::empty();
                store.add_parsable_certificates(found.certs);
                if store.is_empty() {
                    let errors: Vec<String> =
                        found.errors.iter().map(ToString::to_string).collect();
                    return Err(format!(
                        "no certificates in the operating system's store (sslrootcert=system){}",
                        if errors.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", errors.join("; "))
                        }
                    ));
                }
                Ok(store)
            }
            TrustedRoots::File(path) => {
                let unreadable = |error: &dyn fmt::Display| {
                    format!(
                        "could not read the root certificate file {}: {error}",
                        path.display()
                    )
                };
                let mut store = RootCertStore::empty();
                for certificate in
                    CertificateDer::pem_file_iter(path).map_err(|error| unreadable(&error))?
                {
                    let certificate = certificate.map_err(|error| unreadable(&error))?;
                    store.add(certificate).map_err(|error| unreadable(&error))?;
                }
                if store.is_empty() {
                    return Err(unreadable(&"it holds no PEM certificate"));
                }
                Ok(store)
            }
        }
    }
}

/// How connections use TLS; `connector` is `None` when they do not.
#[derive(Clone)]
pub(super) struct Tls {
    mode: SslMode,
    roots: TrustedRoots,
    connector: Option<Arc<ClientConfig>>,
}

impl Tls {
    /// TLS for `mode`, the roots loaded now when the mode checks certificates.
    pub(super) fn new(mode: SslMode, roots: TrustedRoots) -> Result<Tls, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match mode {
            SslMode::Disable => {
                return Ok(Tls {
                    mode,
                    roots,
                    connector: None,
                });
            }
            SslMode::Allow | SslMode::Prefer | SslMode::Require => {
                Arc::new(AnyCertificate::new(&provider))
            }
            SslMode::VerifyCa => Arc::new(ChainOnly::new(roots.load()?, &provider)),
            SslMode::VerifyFull => WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots.load()?),
                provider.clone(),
            )
            .build()
            .map_err(|error| format!("cannot check certificates: {error}"))?,
        };
        let config = client_config(provider, verifier)?;
        Ok(Tls {
            mode,
            roots,
            connector: Some(Arc::new(config)),
        })
    }

    /// Plain TCP.
    pub(super) fn disabled() -> Tls {
        Tls {
            mode: SslMode::Disable,
            roots: TrustedRoots::Mozilla,
            connector: None,
        }
    }

    /// TLS without checking the certificate (`sslmode=require`).
    pub(super) fn unverified() -> Tls {
        // Only the roots could fail to load, and this mode loads none.
        Tls::new(SslMode::Require, TrustedRoots::Mozilla)
            .expect("the ring provider supports the default TLS versions")
    }

    pub(super) fn mode(&self) -> SslMode {
        self.mode
    }

    pub(super) fn roots(&self) -> &TrustedRoots {
        &self.roots
    }

    pub(super) fn connector(&self) -> Option<&Arc<ClientConfig>> {
        self.connector.as_ref()
    }

    /// The driver's mode: it knows whether to try TLS, not how to check it.
    pub(super) fn driver_mode(&self) -> postgres::config::SslMode {
        match self.mode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        }
    }
}

fn client_config(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<ClientConfig, String> {
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("cannot set up TLS: {error}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}
