//! Outgoing mail. The outbox worker hands each stored mail to a [`Mailer`]: SMTP in production and in
//! the tests (against a real local SMTP server), a directory of `.eml` files for the embedded default.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not deliver: {0}")]
    Transport(String),
    #[error("invalid SMTP URL: {0}")]
    Config(String),
}

#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

pub struct LettreMailer {
    from: Mailbox,
    transport: Transport,
}

impl LettreMailer {
    /// The relay, as a URL:
    /// - `smtp://[user:password@]host[:25]`: plain, only for a relay on the same host or network
    ///   segment (and the test server);
    /// - `smtp+starttls://[user:password@]host[:587]`: STARTTLS required, never falls back to plain;
    /// - `smtps://[user:password@]host[:465]`: TLS from the first byte.
    ///
    /// Certificates are checked against the Mozilla roots; `?ca=/path/ca.pem` trusts a private CA
    /// instead (an authority's internal relay), the host name is still verified.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let parsed = url::Url::parse(url).map_err(|err| MailError::Config(err.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Config("no host".into()))?
            .to_owned();
        let (tls, default_port) = match parsed.scheme() {
            "smtp" => (None, 25),
            "smtp+starttls" => (Some(Tls::Required(tls_parameters(&host, &parsed)?)), 587),
            "smtps" => (Some(Tls::Wrapper(tls_parameters(&host, &parsed)?)), 465),
            other => {
                return Err(MailError::Config(format!(
                    "unsupported scheme {other}; use smtp://, smtp+starttls:// or smtps://"
                )));
            }
        };
        if tls.is_none() && parsed.query_pairs().any(|(key, _)| key == "ca") {
            return Err(MailError::Config(
                "`ca` needs smtp+starttls:// or smtps://".into(),
            ));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(parsed.port().unwrap_or(default_port));
        if let Some(tls) = tls {
            builder = builder.tls(tls);
        }
        if !parsed.username().is_empty() {
            let user = percent_decode(parsed.username())?;
            let password = percent_decode(parsed.password().unwrap_or_default())?;
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Self {
            from: parse_mailbox(from)?,
            transport: Transport::Smtp(builder.build()),
        })
    }

    /// Writes each mail as an `.eml` file into `dir`: the embedded default, where no SMTP server exists.
    pub fn directory(dir: PathBuf, from: &str) -> Result<Self, MailError> {
        std::fs::create_dir_all(&dir).map_err(|err| MailError::Config(err.to_string()))?;
        Ok(Self {
            from: parse_mailbox(from)?,
            transport: Transport::Files(AsyncFileTransport::new(dir)),
        })
    }
}

fn tls_parameters(host: &str, url: &url::Url) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "ca" => {
                let pem = std::fs::read(value.as_ref())
                    .map_err(|err| MailError::Config(format!("reading the CA file: {err}")))?;
                let cert = Certificate::from_pem(&pem)
                    .map_err(|err| MailError::Config(format!("the CA file: {err}")))?;
                builder = builder
                    .certificate_store(CertificateStore::None)
                    .add_root_certificate(cert);
            }
            other => return Err(MailError::Config(format!("unknown parameter {other}"))),
        }
    }
    builder
        .build_rustls()
        .map_err(|err| MailError::Config(format!("TLS: {err}")))
}

fn percent_decode(text: &str) -> Result<String, MailError> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| MailError::Config("credentials are not UTF-8".into()))
}

fn parse_mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .parse()
        .map_err(|_| MailError::Address("sender".into()))
}

#[async_trait::async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        // The recipient is never logged: it is personal data.
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailError::Address("recipient".into()))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone());
        let message = match &mail.html {
            Some(html) => builder.multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html.clone()),
                    ),
            ),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        }
        .map_err(|err| MailError::Build(err.to_string()))?;
        match &self.transport {
            Transport::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .map_err(|err| MailError::Transport(err.to_string()))?;
            }
            Transport::Files(transport) => {
                transport
                    .send(message)
                    .await
                    .map_err(|err| MailError::Transport(err.to_string()))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(url: &str) -> String {
        match LettreMailer::smtp(url, "no-reply@amtsweg.nrw.de") {
            Err(MailError::Config(reason)) => reason,
            Err(other) => panic!("{url}: expected a configuration error, got {other}"),
            Ok(_) => panic!("{url}: accepted"),
        }
    }

    #[test]
    fn relay_urls_are_checked_when_configured() {
        assert!(config_error("ftp://relay").contains("unsupported scheme"));
        assert!(config_error("smtp://relay?ca=/etc/ca.pem").contains("needs smtp+starttls"));
        assert!(config_error("smtps://relay?ca=/does/not/exist").contains("CA file"));
        assert!(config_error("smtp+starttls://relay?verify=no").contains("unknown parameter"));
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp+starttls://user:p%40ss@relay.example:587",
            "smtps://relay.example",
        ] {
            assert!(
                LettreMailer::smtp(url, "no-reply@amtsweg.nrw.de").is_ok(),
                "{url}"
            );
        }
    }

    #[test]
    fn credentials_are_percent_decoded() {
        assert_eq!(
            percent_decode("p%40ss%3Aword").ok().as_deref(),
            Some("p@ss:word")
        );
    }
}
