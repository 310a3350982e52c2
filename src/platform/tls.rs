//! TLS for what the server calls out to (the SMS provider over https, the SMTP relay with
//! STARTTLS or implicit TLS): rustls with ring as its cryptography (decision 0055). The
//! cryptography is installed once for the process; every HTTP client built after [`install`]
//! uses it, with the system's root certificates.

/// Install ring as the process's rustls cryptography. Idempotent: a second call (or one after
/// another part of the process installed it) changes nothing.
pub fn install() {
    // An `Err` only says a provider is installed already, which is what is wanted.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_https_client_builds_after_install_and_install_is_idempotent() {
        super::install();
        super::install();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        assert!(reqwest::Client::builder().build().is_ok());
    }
}
