//! Background workers started by `serve`.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use amtsweg_adapters::mail::{LettreMailer, Mailer, OutgoingMail};
use amtsweg_http::AppState;
use amtsweg_store::outbox;
use tokio::sync::Notify;

use crate::config::Config;

pub fn mailer(config: &Config) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(if config.smtp_url.0.is_empty() {
        Arc::new(LettreMailer::directory(
            config.data_dir.join("mail"),
            &config.mail_from,
        )?)
    } else {
        Arc::new(LettreMailer::smtp(&config.smtp_url.0, &config.mail_from)?)
    })
}

/// Sends what the outbox holds: woken by new mail, and every few seconds for mail queued by other
/// instances or left over from a crash.
pub async fn mail_loop(state: web::Data<AppState>, mailer: Arc<dyn Mailer>, shutdown: Arc<Notify>) {
    loop {
        match drain_outbox(&state, mailer.as_ref()).await {
            Ok(sent) if sent > 0 => tracing::info!(sent, "mail sent"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mail delivery failed; retrying later"),
        }
        tokio::select! {
            () = shutdown.notified() => break,
            () = state.outbox_wakeup.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// How many mails one transaction locks and sends.
const MAIL_BATCH: u64 = 50;

/// Sends until the outbox is empty. Mails are locked, sent and marked in batches, each in its own
/// transaction, so two instances never send the same mail; a failure commits the marks of the mails
/// already delivered, so none of them is sent again.
pub async fn drain_outbox(state: &AppState, mailer: &dyn Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let tx = state.db.platform().await?;
        let batch = outbox::next_batch(tx.conn(), MAIL_BATCH).await?;
        if batch.is_empty() {
            tx.commit().await?;
            return Ok(sent);
        }
        let mut delivered = Vec::with_capacity(batch.len());
        let mut failure = None;
        for mail in &batch {
            let outgoing = OutgoingMail {
                to: mail.recipient.clone(),
                subject: mail.subject.clone(),
                text: mail.body_text.clone(),
                html: mail.body_html.clone(),
            };
            match mailer.send(&outgoing).await {
                Ok(()) => delivered.push(mail.id),
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        outbox::mark_all_sent(tx.conn(), &delivered, state.clock.now()).await?;
        tx.commit().await?;
        sent += delivered.len();
        if let Some(err) = failure {
            return Err(err.into());
        }
        if batch.len() < MAIL_BATCH as usize {
            return Ok(sent);
        }
    }
}
