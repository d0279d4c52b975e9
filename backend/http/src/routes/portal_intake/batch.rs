//! Group commit of submissions (ADR 0005). Each tenant has one batcher task, fed by a channel:
//! it takes every submission waiting at that moment, checks all their idempotency keys, drafts,
//! evidence and payments with one statement each, and writes the applications, drafts, portal
//! links, mails and audit entries (the head locked once, the entries chained in order) with
//! multi-row statements in ONE tenant transaction. A request is answered only after that commit.
//!
//! Guarantees: "created" only after the commit; a key (or a draft) repeated inside a batch waits
//! for the next batch, where it finds the first application; a submission that fails its checks
//! fails alone; when the batch transaction fails, every submission of it is retried alone, so one
//! bad row costs the others nothing but time.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use amtsweg_domain::TenantId;
use amtsweg_frontend::i18n::{Lang, mail_text};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::intake as repo;
use amtsweg_store::{StoreError, outbox};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::{ReviewState, Submitted, catalog, check_complete, today};
use crate::AppState;
use crate::error::AppError;

/// At most this many submissions share one transaction (bounds the statements' parameter count).
const MAX_BATCH: usize = 64;
/// A tenant's task ends after this long without submissions; the next one starts it again.
const IDLE: Duration = Duration::from_secs(60);

/// One submission as the handler checked it (applicant role, key shape).
pub(crate) struct Request {
    pub applicant: Uuid,
    pub actor: String,
    pub draft_id: Uuid,
    pub key: String,
    pub address: String,
}

struct Pending {
    request: Request,
    reply: oneshot::Sender<Result<Submitted, AppError>>,
}

/// The per-tenant queues of one application (part of [`super::IntakeEnv`]).
#[derive(Default)]
pub(crate) struct Batcher {
    /// Per tenant: the task's generation and its queue.
    queues: Mutex<HashMap<Uuid, (u64, mpsc::UnboundedSender<Pending>)>>,
    generation: std::sync::atomic::AtomicU64,
}

impl Batcher {
    /// Queues a submission for its tenant's next batch and waits for the outcome.
    pub(crate) async fn submit(
        &self,
        state: &Arc<AppState>,
        tenant: Uuid,
        request: Request,
    ) -> Result<Submitted, AppError> {
        let (reply, answer) = oneshot::channel();
        let mut pending = Pending { request, reply };
        loop {
            let (generation, queue) = self.queue(state, tenant);
            match queue.send(pending) {
                Ok(()) => break,
                // The task retired between our look-up and the send: start a new one.
                Err(mpsc::error::SendError(back)) => {
                    self.retire(tenant, generation);
                    pending = back;
                }
            }
        }
        answer
            .await
            .map_err(|_| AppError::internal("submission batcher stopped"))?
    }

    fn queue(&self, state: &Arc<AppState>, tenant: Uuid) -> (u64, mpsc::UnboundedSender<Pending>) {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((generation, queue)) = queues.get(&tenant)
            && !queue.is_closed()
        {
            return (*generation, queue.clone());
        }
        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (queue, receiver) = mpsc::unbounded_channel();
        queues.insert(tenant, (generation, queue.clone()));
        tokio::spawn(run(Arc::downgrade(state), tenant, generation, receiver));
        (generation, queue)
    }

    /// Forgets a tenant's queue if it is still the one of `generation`.
    fn retire(&self, tenant: Uuid, generation: u64) {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        if queues.get(&tenant).is_some_and(|(g, _)| *g == generation) {
            queues.remove(&tenant);
        }
    }
}

/// A tenant's batcher task.
async fn run(
    state: Weak<AppState>,
    tenant: Uuid,
    generation: u64,
    mut receiver: mpsc::UnboundedReceiver<Pending>,
) {
    let mut waiting: Vec<Pending> = Vec::new();
    loop {
        if waiting.is_empty() {
            match tokio::time::timeout(IDLE, receiver.recv()).await {
                Ok(Some(pending)) => waiting.push(pending),
                Ok(None) => return,
                Err(_) => {
                    // Retire, then close: whatever was sent before the close is still served.
                    if let Some(state) = state.upgrade() {
                        state.intake.submissions.retire(tenant, generation);
                    }
                    receiver.close();
                    while let Ok(pending) = receiver.try_recv() {
                        waiting.push(pending);
                    }
                    if waiting.is_empty() {
                        return;
                    }
                }
            }
        }
        while waiting.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(pending) => waiting.push(pending),
                Err(_) => break,
            }
        }
        let Some(app) = state.upgrade() else {
            for pending in waiting {
                let _ = pending
                    .reply
                    .send(Err(AppError::internal("the application stopped")));
            }
            return;
        };
        // A key or a draft seen twice waits for the next batch, where the first one's commit
        // answers it.
        let mut keys = BTreeSet::new();
        let mut drafts = BTreeSet::new();
        let mut batch = Vec::new();
        let mut later = Vec::new();
        for pending in waiting {
            let r = &pending.request;
            if batch.len() < MAX_BATCH
                && !keys.contains(&(r.applicant, r.key.clone()))
                && !drafts.contains(&r.draft_id)
            {
                keys.insert((r.applicant, r.key.clone()));
                drafts.insert(r.draft_id);
                batch.push(pending);
            } else {
                later.push(pending);
            }
        }
        waiting = later;
        run_batch(&app, tenant, batch).await;
    }
}

/// Writes a batch and answers its requests; a failed batch is retried one submission at a time.
async fn run_batch(state: &AppState, tenant: Uuid, batch: Vec<Pending>) {
    let requests: Vec<&Request> = batch.iter().map(|p| &p.request).collect();
    let outcome = write_batch(state, tenant, &requests).await;
    match outcome {
        Ok(outcomes) => answer(state, batch.into_iter().zip(outcomes)),
        Err(err) if batch.len() == 1 => answer(state, batch.into_iter().zip([Err(err)])),
        Err(_) => {
            tracing::warn!(
                submissions = batch.len(),
                "a submission batch failed; retrying its submissions one by one"
            );
            for pending in batch {
                let outcome = write_batch(state, tenant, &[&pending.request])
                    .await
                    .and_then(|mut one| {
                        one.pop()
                            .ok_or_else(|| AppError::internal("no outcome of a submission"))
                    })
                    .and_then(|one| one);
                answer(state, [(pending, outcome)]);
            }
        }
    }
}

fn answer(
    state: &AppState,
    outcomes: impl IntoIterator<Item = (Pending, Result<Submitted, AppError>)>,
) {
    let mut mail = false;
    for (pending, outcome) in outcomes {
        mail |= matches!(&outcome, Ok(s) if s.created);
        let _ = pending.reply.send(outcome);
    }
    if mail {
        state.outbox_wakeup.notify_one();
    }
}

/// One tenant transaction for the whole batch. The outer error means nothing was committed; the
/// inner ones are each submission's own outcome.
async fn write_batch(
    state: &AppState,
    tenant: Uuid,
    requests: &[&Request],
) -> Result<Vec<Result<Submitted, AppError>>, AppError> {
    let tx = state.db.tenant(TenantId(tenant)).await?;
    let now = state.clock.now();
    let today = today(state);
    let catalog = catalog()?;
    let mut outcomes: Vec<Option<Result<Submitted, AppError>>> =
        requests.iter().map(|_| None).collect();

    let keys: Vec<(Uuid, String)> = requests
        .iter()
        .map(|r| (r.applicant, r.key.clone()))
        .collect();
    for (key, application) in repo::applications_by_keys(&tx, &keys).await? {
        for (i, r) in requests.iter().enumerate() {
            if r.applicant == application.applicant_id && r.key == key {
                outcomes[i] = Some(Ok(Submitted {
                    application: application.clone(),
                    created: false,
                }));
            }
        }
    }

    let open: Vec<Uuid> = requests
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.is_none())
        .map(|(r, _)| r.draft_id)
        .collect();
    let drafts = repo::drafts_by_ids(&tx, &open).await?;
    let evidence = repo::evidence_of_drafts(&tx, &open).await?;
    let payments = repo::payments_of_drafts(&tx, &open).await?;
    let earlier: Vec<Uuid> = drafts
        .iter()
        .filter_map(|d| d.submitted_application_id)
        .collect();
    let earlier = repo::applications_by_ids(&tx, &earlier).await?;

    let mut news = Vec::new();
    let mut placed = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        let Some(draft) = drafts
            .iter()
            .find(|d| d.id == r.draft_id && d.applicant_id == r.applicant)
        else {
            outcomes[i] = Some(Err(AppError::NotFound));
            continue;
        };
        let docs = evidence
            .iter()
            .filter(|(d, _)| *d == draft.id)
            .map(|(_, e)| e.clone())
            .collect();
        let paid = payments
            .iter()
            .filter(|p| p.draft_id == draft.id)
            .cloned()
            .collect();
        let (rs, service) = match ReviewState::assemble(today, draft.clone(), docs, paid) {
            Ok(found) => found,
            Err(err) => {
                outcomes[i] = Some(Err(err));
                continue;
            }
        };
        if let Some(app) = rs.draft.submitted_application_id {
            outcomes[i] = Some(
                earlier
                    .iter()
                    .find(|a| a.id == app && a.applicant_id == r.applicant)
                    .map(|a| Submitted {
                        application: a.clone(),
                        created: false,
                    })
                    .ok_or(AppError::NotFound),
            );
            continue;
        }
        if let Err(err) = check_complete(catalog, &rs, service, today) {
            outcomes[i] = Some(Err(err));
            continue;
        }
        news.push(repo::NewApplication {
            applicant_id: r.applicant,
            service_key: service.key.clone(),
            service_version: i32::try_from(service.version).unwrap_or(i32::MAX),
            form_data: rs.data,
            idempotency_key: r.key.clone(),
            draft_id: Some(draft.id),
            fee_code: rs.fee.code,
            fee_cents: rs.fee.cents,
            fee_exemption: rs.fee.exemption,
            language: rs.draft.language,
        });
        placed.push(i);
    }

    let inserted = repo::submit_applications(&tx, news, now).await?;
    let mut created = Vec::new();
    let mut raced = Vec::new();
    for (i, application) in placed.into_iter().zip(inserted) {
        match application {
            Some(application) => created.push((i, application)),
            None => raced.push(i),
        }
    }
    if !raced.is_empty() {
        // Another instance committed the same key while we checked: its application answers.
        let keys: Vec<(Uuid, String)> = raced
            .iter()
            .map(|i| (requests[*i].applicant, requests[*i].key.clone()))
            .collect();
        let found = repo::applications_by_keys(&tx, &keys).await?;
        for i in raced {
            let r = requests[i];
            outcomes[i] = Some(
                found
                    .iter()
                    .find(|(k, a)| a.applicant_id == r.applicant && *k == r.key)
                    .map(|(_, a)| Submitted {
                        application: a.clone(),
                        created: false,
                    })
                    .ok_or(AppError::Conflict("submission_in_progress")),
            );
        }
    }

    if !created.is_empty() {
        let links: Vec<(Uuid, Uuid)> = created
            .iter()
            .map(|(_, a)| (a.applicant_id, a.id))
            .collect();
        repo::link_applicants(tx.conn(), tenant, "application", &links, now).await?;
        let applicants: Vec<Uuid> = links.iter().map(|(a, _)| *a).collect();
        let accounts = amtsweg_store::applicants::get_many(tx.conn(), &applicants).await?;
        let base = state.settings.public_url.trim_end_matches('/');
        let mut mails = Vec::with_capacity(created.len());
        let mut entries = Vec::with_capacity(created.len());
        for (i, application) in &created {
            let account = accounts
                .iter()
                .find(|a| a.id == application.applicant_id)
                .ok_or(StoreError::NotFound)?;
            let lang = Lang::parse(&account.language).unwrap_or_default();
            let link = format!("{base}/portal/applications/{tenant}/{}", application.id);
            mails.push(outbox::NewMail {
                recipient: account.email.clone(),
                subject: mail_text(lang, "mail-intake-received-subject", &[]),
                body_text: mail_text(lang, "mail-intake-received-body", &[("link", link)]),
                body_html: None,
            });
            entries.push(
                NewEntry::new(requests[*i].actor.clone(), "intake.application.submitted")
                    .object("application", application.id)
                    .source(requests[*i].address.clone())
                    .details(json!({
                        "service": application.service_key,
                        "reference": application.reference,
                    })),
            );
        }
        outbox::enqueue_many(tx.conn(), mails, now).await?;
        // Last before the commit: the tenant's audit head stays locked until then.
        audit::append_many(&tx, now, entries).await?;
    }
    tx.commit().await?;
    for (i, application) in created {
        outcomes[i] = Some(Ok(Submitted {
            application,
            created: true,
        }));
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(AppError::internal("a submission was left out"))))
        .collect())
}
