//! The browser pages of case processing: worklists, the routing folder, person search, e-file
//! search and audited document download. Same rules as the API (`routes::cases`): the caller's
//! tenant only, every read of personal data audited; forms post with CSRF and answer with a
//! redirect.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_cases::routing::Action;
use amtsweg_domain::Permission;
use amtsweg_frontend::model::{
    Area, CaseDocumentRow, CaseHistoryRow, CaseRow, CaseViewPage, CasesWorklistPage,
    DocumentSearchPage, FieldErrors, PersonRow, PersonSearchPage,
};
use amtsweg_frontend::pages_cases as pages;
use amtsweg_store::cases::{self as store, Filter};
use amtsweg_store::users;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::cases::{self as api, OpenCaseRequest, PersonInput};
use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, verify_csrf};
use crate::pages::{format_time, invalid, ok, redirect, redirect_with_flash, staff_context};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(worklist_page)
        .service(open_case_page)
        .service(case_page)
        .service(case_action_page)
        .service(persons_page)
        .service(documents_page)
        .service(document_download)
        .service(portal_document_download);
}

fn fmt_opt(at: Option<DateTime<Utc>>) -> String {
    at.map(format_time).unwrap_or_default()
}

async fn user_names(tx: &amtsweg_store::TenantTx) -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(users::list(tx)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn name_of(names: &[(Uuid, String)], id: Option<Uuid>) -> String {
    id.and_then(|id| names.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()))
        .unwrap_or_default()
}

fn doc_row(d: store::Document) -> CaseDocumentRow {
    CaseDocumentRow {
        id: d.id.to_string(),
        title: d.title,
        source: d.source,
        plan_position: d.plan_position,
        reference_position: d.reference_position,
        created_at: format_time(d.created_at),
    }
}

#[derive(Debug, Deserialize)]
struct WorklistParams {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    person: Option<Uuid>,
}

async fn worklist_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    params: &WorklistParams,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let default_scope = if params.person.is_some() {
        "all"
    } else {
        "mine"
    };
    let (name, scope) = api::scope_of(
        identity,
        Some(params.scope.as_deref().unwrap_or(default_scope)),
    );
    let now = state.clock.now();
    let filter = Filter {
        state: params
            .state
            .clone()
            .filter(|s| amtsweg_cases::routing::CaseState::parse(s).is_some()),
        person_id: params.person,
        ..Filter::default()
    };
    let tx = identity.tenant_tx(state).await?;
    let (items, total) = store::worklist(&tx, &scope, &filter, 100).await?;
    let counts = store::counts(&tx, &scope).await?;
    let names = user_names(&tx).await?;
    crate::routes::cases::audit_page(
        &tx,
        state,
        identity,
        req,
        "case.worklist",
        "case",
        "*".into(),
    )
    .await?;
    tx.commit().await?;
    let models = amtsweg_cases::process::models().map_err(|e| AppError::internal(e.to_string()))?;
    let lang = ctx.lang.code();
    let process_name = |id: &str| {
        models
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name_in(lang).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let rows = items
        .into_iter()
        .map(|w| CaseRow {
            id: w.case.id.to_string(),
            reference: w.case.reference.clone(),
            person: format!("{}, {}", w.family_name, w.given_names),
            process: process_name(&w.case.process_id),
            step: w.case.step.clone(),
            state: w.case.state.clone(),
            holder: name_of(&names, w.case.holder_user_id),
            due: fmt_opt(w.case.step_due_at),
            overdue: w.case.state != "decided" && w.case.step_due_at.is_some_and(|d| d < now),
            escalated: w.case.escalated_at.is_some(),
        })
        .collect();
    Ok(pages::worklist(
        &ctx,
        &CasesWorklistPage {
            scope: name,
            state: filter.state.unwrap_or_default(),
            total,
            counts,
            rows,
            processes: models
                .iter()
                .map(|m| (m.id.clone(), m.name_in(lang).to_owned()))
                .collect(),
            errors,
        },
    ))
}

#[get("/workspace/cases")]
async fn worklist_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    params: web::Query<WorklistParams>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let body = worklist_view(&state, &req, &identity, &params, FieldErrors::new()).await?;
    Ok(ok(&req, body))
}

#[derive(Debug, Deserialize)]
struct OpenForm {
    csrf: String,
    process_id: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    birth_date: String,
}

#[post("/workspace/cases")]
async fn open_case_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<OpenForm>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    verify_csrf(&req, &form.csrf)?;
    let body = OpenCaseRequest {
        process_id: form.process_id.clone(),
        person_id: None,
        person: Some(PersonInput {
            family_name: form.family_name.clone(),
            given_names: form.given_names.clone(),
            birth_date: Some(form.birth_date.clone()).filter(|d| !d.is_empty()),
            ..PersonInput::default()
        }),
        intake_id: None,
    };
    let tx = identity.tenant_tx(&state).await?;
    match api::open_in(&state, &tx, &identity, &req, &body).await {
        Ok((case, _)) => {
            tx.commit().await?;
            Ok(redirect(&format!("/workspace/cases/{}", case.id)))
        }
        Err(AppError::Validation(errors)) => {
            drop(tx);
            let params = WorklistParams {
                scope: None,
                state: None,
                person: None,
            };
            let page = worklist_view(&state, &req, &identity, &params, errors).await?;
            Ok(invalid(&req, page))
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
struct CaseParams {
    #[serde(default)]
    error: Option<String>,
}

#[get("/workspace/cases/{id}")]
async fn case_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    params: web::Query<CaseParams>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    let view = api::load_case_view(&tx, *id).await?;
    let names = user_names(&tx).await?;
    crate::routes::cases::audit_page(
        &tx,
        &state,
        &identity,
        &req,
        "case.read",
        "case",
        id.to_string(),
    )
    .await?;
    tx.commit().await?;
    let step = view.current_step.as_ref();
    let step_title = |sid: &str| {
        view.process
            .steps
            .iter()
            .find(|s| s.id == sid)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| sid.to_owned())
    };
    let actor_name = |actor: &str| match actor.parse::<Uuid>() {
        Ok(uid) => name_of(&names, Some(uid)),
        Err(_) => actor.to_owned(),
    };
    let page = CaseViewPage {
        id: view.case.id.to_string(),
        reference: view.case.reference.clone(),
        person_id: view.person.id.to_string(),
        person_name: format!("{}, {}", view.person.family_name, view.person.given_names),
        birth_date: view.person.birth_date.clone().unwrap_or_default(),
        file_number: view.person.file_number.clone(),
        process_name: view.process.name.clone(),
        process_version: view.process.version.to_string(),
        step_title: step.map(|s| s.title.clone()).unwrap_or_default(),
        step_kind: step.map(|s| s.kind.clone()).unwrap_or_default(),
        step_role: step.map(|s| s.role.clone()).unwrap_or_default(),
        state: view.case.state.clone(),
        holder: name_of(&names, view.case.holder_user_id),
        step_due: fmt_opt(view.case.step_due_at),
        case_due: fmt_opt(view.case_due_at),
        overdue: view.case.state != "decided" && view.case.step_due_at.is_some_and(|d| d < now),
        decision: view.case.decision.clone().unwrap_or_default(),
        required_documents: step
            .map(|s| s.required_documents.clone())
            .unwrap_or_default(),
        next_steps: step
            .map(|s| s.next.iter().map(|n| (n.clone(), step_title(n))).collect())
            .unwrap_or_default(),
        colleagues: names
            .iter()
            .filter(|(u, _)| *u != identity.user_id.0)
            .map(|(u, n)| (u.to_string(), n.clone()))
            .collect(),
        history: view
            .history
            .iter()
            .map(|h| CaseHistoryRow {
                at: format_time(h.at),
                actor: actor_name(&h.actor),
                action: h.action.clone(),
                from_step: h.from_step.as_deref().map(step_title).unwrap_or_default(),
                to_step: h.to_step.as_deref().map(step_title).unwrap_or_default(),
                comment: h.comment.clone().unwrap_or_default(),
                decision: h.decision.clone().unwrap_or_default(),
            })
            .collect(),
        documents: view
            .documents
            .into_iter()
            .map(|d| CaseDocumentRow {
                id: d.id.to_string(),
                title: d.title,
                source: d.source,
                plan_position: d.plan_position,
                reference_position: d.reference_position,
                created_at: format_time(d.created_at),
            })
            .collect(),
        error: params
            .error
            .as_deref()
            .filter(|e| {
                e.starts_with("case-") && e.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            })
            .map(|e| format!("cases-error-{e}")),
    };
    Ok(ok(&req, pages::case_view(&ctx, &page)))
}

#[derive(Debug, Deserialize)]
struct ActionForm {
    csrf: String,
    action: String,
    #[serde(default)]
    to_step: Option<String>,
    #[serde(default)]
    to_user: Option<String>,
    #[serde(default)]
    decision: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

fn to_action(form: &ActionForm) -> Option<Action> {
    let some = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let comment = some(&form.comment).unwrap_or_default();
    Some(match form.action.as_str() {
        "take" => Action::Take,
        "forward" => Action::Forward {
            to_step: some(&form.to_step),
            to_user: None,
            decision: some(&form.decision),
            comment: some(&form.comment),
        },
        "ask" => Action::Ask {
            to_user: some(&form.to_user)?.parse().ok()?,
            comment,
        },
        "reply" => Action::Reply { comment },
        "return" => Action::Return { comment },
        "approve" => Action::Approve {
            comment: some(&form.comment),
        },
        "received" => Action::Received {
            to_step: some(&form.to_step),
            comment: some(&form.comment),
        },
        "comment" => Action::Comment { comment },
        _ => return None,
    })
}

#[post("/workspace/cases/{id}/action")]
async fn case_action_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    verify_csrf(&req, &form.csrf)?;
    let back = format!("/workspace/cases/{id}");
    let Some(action) = to_action(&form) else {
        return Ok(redirect(&format!("{back}?error=case-wrong-step")));
    };
    let tx = identity.tenant_tx(&state).await?;
    match api::act(&state, &tx, &identity, *id, &action).await {
        Ok(case) => {
            crate::routes::cases::audit_page(
                &tx,
                &state,
                &identity,
                &req,
                &format!("case.{}", action.name()),
                "case",
                case.id.to_string(),
            )
            .await?;
            tx.commit().await?;
            Ok(redirect_with_flash(&back, "success", "flash-saved"))
        }
        Err(AppError::Conflict(code)) => Ok(redirect(&format!("{back}?error={code}"))),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: Option<String>,
}

#[get("/workspace/persons")]
async fn persons_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let query = params.q.clone().unwrap_or_default();
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::search_persons(&tx, &query, 50).await?;
    crate::routes::cases::audit_page(
        &tx,
        &state,
        &identity,
        &req,
        "person.search",
        "person",
        "*".into(),
    )
    .await?;
    tx.commit().await?;
    let page = PersonSearchPage {
        query,
        rows: rows
            .into_iter()
            .map(|p| PersonRow {
                id: p.id.to_string(),
                name: format!("{}, {}", p.family_name, p.given_names),
                birth_date: p.birth_date.unwrap_or_default(),
                file_number: p.file_number,
                azr_number: p.azr_number.unwrap_or_default(),
                register: p.register,
            })
            .collect(),
    };
    Ok(ok(&req, pages::persons(&ctx, &page)))
}

#[get("/workspace/documents")]
async fn documents_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let query = params.q.clone().unwrap_or_default();
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::documents(&tx, None, Some(&query), 100).await?;
    crate::routes::cases::audit_page(
        &tx,
        &state,
        &identity,
        &req,
        "document.list",
        "document",
        "*".into(),
    )
    .await?;
    tx.commit().await?;
    let page = DocumentSearchPage {
        query,
        rows: rows.into_iter().map(doc_row).collect(),
    };
    Ok(ok(&req, pages::documents(&ctx, &page)))
}

/// Download from the browser: the same audited read as the API.
#[get("/workspace/documents/{id}")]
async fn document_download(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ReadPersonalData)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let (doc, bytes, sha) = api::read_document(&state, &tx, *id).await?;
    crate::routes::cases::audit_page(
        &tx,
        &state,
        &identity,
        &req,
        "document.read",
        "document",
        doc.id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type(doc.media_type.as_str())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}\"", doc.id),
        ))
        .insert_header(("X-Content-SHA256", sha))
        .body(bytes))
}

/// The applicant downloads a notice delivered into the mailbox of their own application: only a
/// document delivered there, of an application of theirs, at an authority they applied to. The read
/// is audited in the authority's chain like a staff read.
#[get("/portal/applications/{tenant}/{id}/documents/{doc}")]
async fn portal_document_download(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (tenant, application, doc_id) = path.into_inner();
    let applicant = super::portal_intake::applicant(&identity)?;
    let tx = super::portal_intake::applicant_tx(&state, applicant, tenant).await?;
    amtsweg_store::intake::own_application(&tx, applicant, application).await?;
    if !store::delivered(&tx, application, doc_id).await? {
        return Err(AppError::NotFound);
    }
    let (doc, bytes, sha) = api::read_document(&state, &tx, doc_id).await?;
    amtsweg_store::audit::append(
        &tx,
        state.clock.now(),
        amtsweg_store::audit::NewEntry::new(identity.actor(), "document.read")
            .object("document", doc.id)
            .source(crate::identity::client_address(
                &req,
                &state.settings.trusted_proxies,
            ))
            .details(serde_json::json!({ "application": application })),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type(doc.media_type.as_str())
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}.pdf\"", doc.id),
        ))
        .insert_header(("X-Content-SHA256", sha))
        .body(bytes))
}
