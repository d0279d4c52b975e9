//! Legal notice, privacy notice, accessibility statement with its feedback form, Easy German, and
//! the operator's list of feedback. Public pages need no sign-in; the list is the operator's.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::Permission;
use amtsweg_frontend::i18n::t_args;
use amtsweg_frontend::model::{Area, FeedbackForm, FeedbackItem, FeedbackList};
use amtsweg_frontend::pages_legal;
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::{PLATFORM_CHAIN, feedback, outbox};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{
    context_from_request, format_time, invalid, ok, redirect_with_flash, staff_context,
};

/// Reports one address may send per throttle window: enough for a person, too few for a flood.
const FEEDBACK_PER_ADDRESS: u64 = 5;
const MESSAGE_MIN_CHARS: usize = 10;
const MESSAGE_MAX_CHARS: usize = 4000;
const PAGE_MAX_CHARS: usize = 500;
const CONTACT_MAX_CHARS: usize = 200;
/// The operator's list shows this many reports; open ones always come first.
const LIST_LIMIT: u64 = 200;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(imprint)
        .service(privacy)
        .service(accessibility)
        .service(feedback_submit)
        .service(easy_german)
        .service(operator_feedback)
        .service(operator_feedback_handled);
}

#[get("/imprint")]
async fn imprint(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let ctx = context_from_request(&req, Area::Public);
    ok(&req, pages_legal::imprint(&ctx, &state.settings.legal))
}

#[get("/privacy")]
async fn privacy(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let ctx = context_from_request(&req, Area::Public);
    ok(&req, pages_legal::privacy(&ctx, &state.settings.legal))
}

#[get("/accessibility")]
async fn accessibility(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let ctx = context_from_request(&req, Area::Public);
    let form = FeedbackForm::default();
    ok(
        &req,
        pages_legal::accessibility(&ctx, &state.settings.legal, &form),
    )
}

#[get("/easy-german")]
async fn easy_german(req: HttpRequest) -> HttpResponse {
    ok(
        &req,
        pages_legal::easy_german(&context_from_request(&req, Area::Public)),
    )
}

#[derive(Debug, Deserialize)]
struct FeedbackInput {
    #[serde(default)]
    feedback_message: String,
    #[serde(default)]
    feedback_page: String,
    #[serde(default)]
    feedback_contact: String,
    #[serde(default)]
    csrf: String,
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn validate(input: &FeedbackInput) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    let message = input.feedback_message.trim().chars().count();
    if message == 0 {
        errors.insert("feedback_message".into(), "error-required".into());
    } else if message < MESSAGE_MIN_CHARS {
        errors.insert("feedback_message".into(), "error-feedback-too-short".into());
    } else if message > MESSAGE_MAX_CHARS {
        errors.insert("feedback_message".into(), "error-feedback-too-long".into());
    }
    if input.feedback_page.trim().chars().count() > PAGE_MAX_CHARS {
        errors.insert("feedback_page".into(), "error-feedback-too-long".into());
    }
    if input.feedback_contact.trim().chars().count() > CONTACT_MAX_CHARS {
        errors.insert("feedback_contact".into(), "error-feedback-too-long".into());
    }
    errors
}

#[post("/accessibility/feedback")]
async fn feedback_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<FeedbackInput>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let ctx = context_from_request(&req, Area::Public);
    let errors = validate(&form);
    if !errors.is_empty() {
        let view = FeedbackForm {
            message: form.feedback_message.clone(),
            page: form.feedback_page.clone(),
            contact: form.feedback_contact.clone(),
            errors,
        };
        return Ok(invalid(
            &req,
            pages_legal::accessibility(&ctx, &state.settings.legal, &view),
        ));
    }
    let now = state.clock.now();
    let throttle_key = format!(
        "feedback:{}",
        client_address(&req, &state.settings.trusted_proxies)
    );
    if state
        .throttle
        .is_blocked(&throttle_key, FEEDBACK_PER_ADDRESS, now)
        .await?
    {
        return Err(AppError::Throttled {
            retry_after_secs: state.settings.limits.window.as_secs(),
        });
    }
    state
        .throttle
        .record_failure(&throttle_key, state.settings.limits.window, now)
        .await?;

    let tx = state.db.tenant(PLATFORM_CHAIN).await?;
    let id = feedback::record(
        tx.conn(),
        feedback::NewFeedback {
            message: form.feedback_message.trim().to_owned(),
            page: optional(&form.feedback_page),
            contact: optional(&form.feedback_contact),
            lang: ctx.lang.code().to_owned(),
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new("public", "accessibility_feedback.received").object("feedback", id),
    )
    .await?;
    // The mail says only that a report arrived: its text may hold the sender's personal data.
    if let Some(recipient) = &state.settings.feedback_recipient {
        let link = format!(
            "{}/operator/feedback",
            state.settings.public_url.trim_end_matches('/')
        );
        let de = amtsweg_frontend::i18n::Lang::De;
        outbox::enqueue(
            tx.conn(),
            outbox::NewMail {
                recipient: recipient.clone(),
                subject: t_args(de, "mail-feedback-subject", &[]),
                body_text: t_args(de, "mail-feedback-body", &[("link", link)]),
                body_html: None,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(redirect_with_flash(
        "/accessibility",
        "success",
        "feedback-received",
    ))
}

#[get("/operator/feedback")]
async fn operator_feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageTenants)?;
    let ctx = staff_context(&state, &req, &identity, Area::Operator).await?;
    let tx = state.db.tenant(PLATFORM_CHAIN).await?;
    let rows = feedback::list(tx.conn(), LIST_LIMIT).await?;
    let open = feedback::open_count(tx.conn()).await?;
    // Reports may carry a reply address: reading them is audited like other personal data.
    audit::append(
        &tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), "accessibility_feedback.read")
            .object("feedback", "list")
            .details(serde_json::json!({ "shown": rows.len() })),
    )
    .await?;
    tx.commit().await?;
    let view = FeedbackList {
        items: rows
            .into_iter()
            .map(|row| FeedbackItem {
                id: row.id.to_string(),
                received_at: format_time(row.received_at),
                message: row.message,
                page: row.page,
                contact: row.contact,
                lang: row.lang,
                handled_at: row.handled_at.map(format_time),
            })
            .collect(),
        open: usize::try_from(open).unwrap_or(usize::MAX),
    };
    Ok(ok(&req, pages_legal::operator_feedback(&ctx, &view)))
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

#[post("/operator/feedback/{id}/handled")]
async fn operator_feedback_handled(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<Uuid>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageTenants)?;
    let id = path.into_inner();
    let now = state.clock.now();
    let tx = state.db.tenant(PLATFORM_CHAIN).await?;
    if !feedback::mark_handled(tx.conn(), id, now).await? {
        return Err(AppError::NotFound);
    }
    audit::append(
        &tx,
        now,
        NewEntry::new(identity.actor(), "accessibility_feedback.handled").object("feedback", id),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/operator/feedback",
        "success",
        "feedback-marked",
    ))
}
