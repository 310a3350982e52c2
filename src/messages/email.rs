//! E-mail to participants through the configured SMTP relay (`lettre`): plain text, UTF-8, in
//! the participant's language (`Content-Language`), its body base64-encoded so any relay
//! carries it unchanged.

use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::platform::config::Config;

/// The SMTP relay.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// The relay the configuration names, if any, protected as `smtp_tls` says: STARTTLS
    /// required (the default), implicit TLS, or none (a relay on the host or a private network
    /// only); with the relay's account when one is configured (decision 0055).
    pub fn from_config(c: &Config) -> Option<Smtp> {
        let host = c.smtp_host.as_ref()?;
        let from: Mailbox = c.smtp_from.parse().ok()?;
        crate::platform::tls::install();
        type Relay = AsyncSmtpTransport<Tokio1Executor>;
        let builder = match c.smtp_tls.as_str() {
            "none" => Relay::builder_dangerous(host),
            "starttls" => Relay::starttls_relay(host)
                .map_err(|e| tracing::error!(%host, error = %e, "smtp: no TLS for this relay"))
                .ok()?,
            "tls" => Relay::relay(host)
                .map_err(|e| tracing::error!(%host, error = %e, "smtp: no TLS for this relay"))
                .ok()?,
            other => {
                tracing::error!(smtp_tls = other, "smtp_tls must be starttls, tls or none");
                return None;
            }
        };
        let builder = match (&c.smtp_username, &c.smtp_password) {
            (Some(user), Some(password)) => {
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    user.clone(),
                    password.clone(),
                ))
            }
            _ => builder,
        };
        let transport = builder
            .port(c.smtp_port)
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Some(Smtp { transport, from })
    }

    /// Send one message; answers the relay's reply, or why it was not accepted.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        language: &str,
    ) -> Result<String, String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("not an e-mail address: {e}"))?;
        let part = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::Base64)
            .body(body.to_string());
        let mut email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        email = email.header(ContentLanguage(language.to_string()));
        let email = email
            .singlepart(part)
            .map_err(|e| format!("cannot write the e-mail: {e}"))?;
        let r = self
            .transport
            .send(email)
            .await
            .map_err(|e| format!("SMTP relay refused or unreachable: {e}"))?;
        Ok(r.message().collect::<Vec<_>>().join(" "))
    }
}

/// `Content-Language` (RFC 3282): the language the participant reads the message in.
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.trim().to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}
