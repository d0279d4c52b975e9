//! Outgoing mail over TLS against a real SMTP server (aiosmtpd) that requires STARTTLS.

use amtsweg_adapters::mail::{LettreMailer, Mailer, OutgoingMail};

use crate::support::SmtpSink;

fn mail() -> OutgoingMail {
    OutgoingMail {
        to: "clerk@abh.example".into(),
        subject: "Neue Nachricht".into(),
        text: "Sie haben eine neue Nachricht in Amtsweg.".into(),
        html: None,
    }
}

#[tokio::test]
async fn starttls_with_a_private_ca_delivers() {
    let (sink, ca) = SmtpSink::start_tls().await;
    let url = format!(
        "smtp+starttls://127.0.0.1:{}?ca={}",
        sink.port,
        ca.display()
    );
    let mailer = LettreMailer::smtp(&url, "Amtsweg <no-reply@amtsweg.nrw.de>").unwrap();
    mailer.send(&mail()).await.unwrap();
    let mails = sink.wait_for(1).await;
    assert!(mails[0].contains("Subject: Neue Nachricht"));
}

#[tokio::test]
async fn a_server_requiring_tls_refuses_plain_smtp() {
    let (sink, _) = SmtpSink::start_tls().await;
    let url = format!("smtp://127.0.0.1:{}", sink.port);
    let mailer = LettreMailer::smtp(&url, "no-reply@amtsweg.nrw.de").unwrap();
    let err = mailer.send(&mail()).await.unwrap_err();
    assert!(err.to_string().contains("could not deliver"), "{err}");
    assert_eq!(sink.count(), 0);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let (sink, _) = SmtpSink::start_tls().await;
    // The self-signed certificate is not among the Mozilla roots: nothing may be sent.
    let url = format!("smtp+starttls://127.0.0.1:{}", sink.port);
    let mailer = LettreMailer::smtp(&url, "no-reply@amtsweg.nrw.de").unwrap();
    let err = mailer.send(&mail()).await.unwrap_err();
    assert!(err.to_string().contains("could not deliver"), "{err}");
    assert_eq!(sink.count(), 0);
}
