//! Outgoing mail. The outbox worker hands each stored mail to a [`Mailer`]: SMTP in production and in
//! the tests (against a real local SMTP server), a directory of `.eml` files for the embedded default.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
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
    /// `smtp://host:port` (plain, for a local relay or the test server) or
    /// `smtp+starttls://user:password@host:port` for a real mail server.
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let parsed = url::Url::parse(url).map_err(|err| MailError::Config(err.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Config("no host".into()))?
            .to_owned();
        let mut builder = match parsed.scheme() {
            "smtp" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            other => {
                return Err(MailError::Config(format!(
                    "unsupported scheme {other}; use smtp://"
                )));
            }
        };
        if let Some(port) = parsed.port() {
            builder = builder.port(port);
        }
        if !parsed.username().is_empty() {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    parsed.username().to_owned(),
                    parsed.password().unwrap_or_default().to_owned(),
                ));
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
