//! Case processing over the JSON API: persons and identity matching, cases on model processes, the
//! routing folder (forward, ask, reply, return, approve, participation answers), deadline clocks,
//! the e-file with full-text search and audited reads, notices, retention, and the transfer of a
//! person's file between two authorities of the platform.
//!
//! Every handler works in the caller's own tenant transaction; another tenant's object is simply not
//! found (404). Every read of personal data and every change is audited in the same transaction.
//! The transfer is the one place that writes into two tenants: each side in its own tenant
//! transaction, each audited in its own chain.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_adapters::object_store::{ObjectStore, uuid_like::Tenant as StoreTenant};
use amtsweg_cases::process::ProcessDef;
use amtsweg_cases::routing::{self, Action, Actor, CaseSnapshot, CaseState};
use amtsweg_cases::{fileplan, notice, package, retention};
use amtsweg_domain::{Permission, TenantId};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::cases::{self as store, Scope};
use amtsweg_store::{TenantTx, intake, tenants};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_person)
        .service(search_persons)
        .service(get_person)
        .service(move_person_to_b)
        .service(list_processes)
        .service(open_case)
        .service(worklist)
        .service(run_deadlines)
        .service(get_case)
        .service(act_on_case)
        .service(upload_document)
        .service(list_documents)
        .service(document_content)
        .service(run_retention)
        .service(list_retention)
        .service(confirm_retention)
        .service(request_transfer)
        .service(list_transfers)
        .service(consent_transfer)
        .service(export_person)
        .service(import_package);
}

fn st(tenant: TenantId) -> StoreTenant {
    StoreTenant(tenant.0.as_u128())
}

fn store_err(err: amtsweg_adapters::object_store::ObjectStoreError) -> AppError {
    match err {
        amtsweg_adapters::object_store::ObjectStoreError::NotFound => AppError::NotFound,
        other => AppError::internal(other.to_string()),
    }
}

fn routing_err(err: routing::RoutingError) -> AppError {
    AppError::Conflict(err.code())
}

#[allow(clippy::too_many_arguments)]
async fn audit_in(
    tx: &TenantTx,
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    action: &str,
    object_type: &str,
    object_id: impl ToString,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::append(
        tx,
        state.clock.now(),
        NewEntry::new(identity.actor(), action)
            .object(object_type, object_id)
            .source(client_address(req, &state.settings.trusted_proxies))
            .details(details),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Persons and identity matching

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PersonInput {
    pub family_name: String,
    pub given_names: String,
    #[serde(default)]
    pub birth_name: Option<String>,
    /// ISO date (YYYY-MM-DD).
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub birth_place: Option<String>,
    #[serde(default)]
    pub birth_country: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub azr_number: Option<String>,
    /// Other spellings and aliases.
    #[serde(default)]
    pub other_names: Vec<OtherNameInput>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct OtherNameInput {
    /// spelling | former | alias | birth
    pub kind: String,
    pub family_name: String,
    pub given_names: String,
}

/// The identity-matching key: the reconciliation engine's folding and Kölner phonetics over family
/// and first given name, so transliteration variants (Yılmaz / Yilmaz, Müller / Mueller) meet.
pub fn match_key(family: &str, given: &str) -> String {
    use amtsweg_reconcile::norm::{fold, koelner};
    let first_given = given.split_whitespace().next().unwrap_or_default();
    format!("{}|{}", koelner(&fold(family)), koelner(&fold(first_given)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub file_number: String,
    pub azr_number: Option<String>,
    pub family_name: String,
    pub given_names: String,
    pub birth_name: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub birth_country: Option<String>,
    pub sex: Option<String>,
    pub nationality: Option<String>,
    /// A or B (Ausländerdatei).
    pub register: String,
    pub register_reason: Option<String>,
    pub handover_to: Option<String>,
}

impl From<store::Person> for PersonView {
    fn from(p: store::Person) -> Self {
        Self {
            id: p.id,
            file_number: p.file_number,
            azr_number: p.azr_number,
            family_name: p.family_name,
            given_names: p.given_names,
            birth_name: p.birth_name,
            birth_date: p.birth_date,
            birth_place: p.birth_place,
            birth_country: p.birth_country,
            sex: p.sex,
            nationality: p.nationality,
            register: p.register,
            register_reason: p.register_reason,
            handover_to: p.handover_to,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonMatch {
    pub person: PersonView,
    /// True when an existing person was found (nothing created).
    pub matched: bool,
}

fn valid_person(input: &PersonInput) -> Result<(), AppError> {
    if input.family_name.trim().is_empty() {
        return Err(AppError::field("family_name", "error-required"));
    }
    if let Some(date) = input.birth_date.as_deref().filter(|d| !d.is_empty())
        && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err()
    {
        return Err(AppError::field("birth_date", "error-invalid-date"));
    }
    if let Some(azr) = input.azr_number.as_deref().filter(|a| !a.is_empty())
        && (azr.len() != 12 || !azr.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(AppError::field("azr_number", "error-invalid-azr-number"));
    }
    Ok(())
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Finds the person by identity matching or creates them; no retyping of what intake already holds.
pub async fn find_or_create_person(
    tx: &TenantTx,
    input: &PersonInput,
    now: DateTime<Utc>,
) -> Result<(store::Person, bool), AppError> {
    valid_person(input)?;
    let key = match_key(&input.family_name, &input.given_names);
    let birth_date = clean(&input.birth_date);
    let azr = clean(&input.azr_number);
    let candidates =
        store::match_candidates(tx, azr.as_deref(), &key, birth_date.as_deref()).await?;
    // Only a single, unambiguous candidate is taken; anything else creates a new record that a
    // clerk can merge later (never silently joins two people).
    let in_a: Vec<_> = candidates
        .into_iter()
        .filter(|p| p.register == "A")
        .collect();
    if in_a.len() == 1
        && let Some(found) = in_a.into_iter().next()
    {
        return Ok((found, true));
    }
    let other_names = input
        .other_names
        .iter()
        .map(|n| {
            (
                n.kind.clone(),
                n.family_name.clone(),
                n.given_names.clone(),
                match_key(&n.family_name, &n.given_names),
            )
        })
        .collect();
    let person = store::create_person(
        tx,
        store::NewPerson {
            azr_number: azr,
            family_name: input.family_name.trim().to_owned(),
            given_names: input.given_names.trim().to_owned(),
            birth_name: clean(&input.birth_name),
            birth_date,
            birth_place: clean(&input.birth_place),
            birth_country: clean(&input.birth_country),
            sex: clean(&input.sex),
            nationality: clean(&input.nationality),
            match_key: key,
            other_names,
        },
        now,
    )
    .await?;
    Ok((person, false))
}

/// Finds a person by identity matching (AZR number, or phonetic name key and birth date, including
/// other spellings) or creates them in Ausländerdatei A.
#[utoipa::path(post, path = "/api/v1/persons", tag = "cases", request_body = PersonInput,
    responses((status = 200, body = PersonMatch), (status = 201, body = PersonMatch), (status = 403), (status = 422)))]
#[post("/api/v1/persons")]
pub async fn create_person(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<PersonInput>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let (person, matched) = find_or_create_person(&tx, &body, state.clock.now()).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        if matched {
            "person.match"
        } else {
            "person.create"
        },
        "person",
        person.id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    let body = PersonMatch {
        person: person.into(),
        matched,
    };
    Ok(if matched {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::Created().json(body)
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words of a name, a file number or an AZR number.
    #[serde(default)]
    pub q: Option<String>,
}

/// Person search (full text over names, file number, AZR number). Audited.
#[utoipa::path(get, path = "/api/v1/persons", tag = "cases", params(SearchQuery),
    responses((status = 200, body = [PersonView]), (status = 403)))]
#[get("/api/v1/persons")]
pub async fn search_persons(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::search_persons(&tx, query.q.as_deref().unwrap_or_default(), 50).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "person.search",
        "person",
        "*",
        json!({ "results": rows.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(PersonView::from).collect::<Vec<_>>()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    pub person: PersonView,
    pub other_names: Vec<OtherNameInput>,
    pub cases: Vec<CaseSummary>,
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonDetail), (status = 404)))]
#[get("/api/v1/persons/{id}")]
pub async fn get_person(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ReadPersonalData)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let person = store::person(&tx, *id).await?;
    let names = store::other_names(&tx, person.id).await?;
    let (cases, _) = store::worklist(
        &tx,
        &Scope::All,
        &store::Filter {
            person_id: Some(person.id),
            ..store::Filter::default()
        },
        100,
    )
    .await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "person.read",
        "person",
        person.id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(PersonDetail {
        person: person.into(),
        other_names: names
            .into_iter()
            .map(|n| OtherNameInput {
                kind: n.kind,
                family_name: n.family_name,
                given_names: n.given_names,
            })
            .collect(),
        cases: cases.into_iter().map(CaseSummary::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterBRequest {
    /// death | moved_away | naturalization
    pub reason: String,
}

/// Moves a person from Ausländerdatei A to B (AufenthV § 67); the retention period starts.
#[utoipa::path(post, path = "/api/v1/persons/{id}/register-b", tag = "cases", params(("id" = Uuid, Path)),
    request_body = RegisterBRequest, responses((status = 204), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/persons/{id}/register-b")]
pub async fn move_person_to_b(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<RegisterBRequest>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    let rules = retention::Rules::load().map_err(|e| AppError::internal(e.to_string()))?;
    if body.reason == "handover" || rules.move_event(&body.reason).is_err() {
        return Err(AppError::field("reason", "error-invalid"));
    }
    let tx = identity.tenant_tx(&state).await?;
    store::person(&tx, *id).await?;
    store::move_to_b(&tx, *id, &body.reason, None, state.clock.now()).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "person.register_b",
        "person",
        *id,
        json!({ "reason": body.reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Processes and cases

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessView {
    pub id: String,
    pub version: u32,
    pub name: String,
    pub name_en: Option<String>,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub role: String,
    pub kind: String,
    pub next: Vec<String>,
    pub participant: Option<String>,
    pub deadline_days: Option<u32>,
    pub required_documents: Vec<String>,
}

fn process_view(def: &ProcessDef) -> ProcessView {
    ProcessView {
        id: def.id.clone(),
        version: def.version,
        name: def.name.clone(),
        name_en: def.name_en.clone(),
        steps: def
            .steps
            .iter()
            .map(|s| StepView {
                id: s.id.clone(),
                title: s.title.clone(),
                role: s.role.clone(),
                kind: format!("{:?}", s.kind).to_lowercase(),
                next: s.next.clone(),
                participant: s.participant.clone(),
                deadline_days: s.deadline_days,
                required_documents: s.required_documents.clone(),
            })
            .collect(),
    }
}

/// The statewide model processes (current versions).
#[utoipa::path(get, path = "/api/v1/processes", tag = "cases", responses((status = 200, body = [ProcessView])))]
#[get("/api/v1/processes")]
pub async fn list_processes(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let models = crate::routes::case_admin::current_models(state.db.connection()).await?;
    Ok(HttpResponse::Ok().json(models.iter().map(process_view).collect::<Vec<_>>()))
}

/// The definition a case runs on: the stored version of the model or of the tenant's variant (a
/// running case stays on its version).
async fn definition_of(tx: &TenantTx, case: &store::Case) -> Result<ProcessDef, AppError> {
    let text = if case.process_kind == "variant" {
        store::tenant_process_version(tx, &case.process_id, case.process_version)
            .await?
            .definition
    } else {
        store::model_definition(tx, &case.process_id, case.process_version).await?
    };
    ProcessDef::from_toml(&text).map_err(|e| AppError::internal(e.to_string()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenCaseRequest {
    pub process_id: String,
    /// An existing person; or `person` to match or create; or `intake_id` for a submitted
    /// application of the portal (its form data is taken over).
    #[serde(default)]
    pub person_id: Option<Uuid>,
    #[serde(default)]
    pub person: Option<PersonInput>,
    #[serde(default)]
    pub intake_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: Uuid,
    pub reference: String,
    pub person_id: Uuid,
    pub person_name: Option<String>,
    pub process_id: String,
    pub process_version: i32,
    pub step: String,
    pub state: String,
    pub holder_user_id: Option<Uuid>,
    pub holder_role: String,
    pub step_due_at: Option<DateTime<Utc>>,
    pub escalated: bool,
    pub decision: Option<String>,
}

impl From<store::Case> for CaseSummary {
    fn from(c: store::Case) -> Self {
        Self {
            id: c.id,
            reference: c.reference,
            person_id: c.person_id,
            person_name: None,
            process_id: c.process_id,
            process_version: c.process_version,
            step: c.step,
            state: c.state,
            holder_user_id: c.holder_user_id,
            holder_role: c.holder_role,
            step_due_at: c.step_due_at,
            escalated: c.escalated_at.is_some(),
            decision: c.decision,
        }
    }
}

impl From<store::WorkItem> for CaseSummary {
    fn from(w: store::WorkItem) -> Self {
        let mut s = CaseSummary::from(w.case);
        s.person_name = Some(format!("{}, {}", w.family_name, w.given_names));
        s
    }
}

fn person_from_form(form: &serde_json::Value) -> PersonInput {
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| form.get(*k).and_then(|v| v.as_str()))
            .map(str::to_owned)
    };
    PersonInput {
        family_name: text(&["family_name", "familienname", "surname"]).unwrap_or_default(),
        given_names: text(&["given_names", "vornamen", "first_names", "given_name"])
            .unwrap_or_default(),
        birth_name: text(&["birth_name", "geburtsname"]),
        birth_date: text(&["birth_date", "date_of_birth", "geburtsdatum"]),
        birth_place: text(&["birth_place", "place_of_birth", "geburtsort"]),
        birth_country: text(&["birth_country", "country_of_birth"]),
        sex: text(&["sex", "gender", "geschlecht"]),
        nationality: text(&["nationality", "staatsangehoerigkeit"]),
        azr_number: text(&["azr_number"]),
        other_names: Vec::new(),
    }
}

/// Opens a case on a statewide model process, for a person found or created by identity matching
/// or from a submitted portal application.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = OpenCaseRequest,
    responses((status = 201, body = CaseSummary), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/cases")]
pub async fn open_case(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<OpenCaseRequest>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let (case, created) = open_in(&state, &tx, &identity, &req, &body).await?;
    tx.commit().await?;
    Ok(if created {
        HttpResponse::Created().json(CaseSummary::from(case))
    } else {
        HttpResponse::Ok().json(CaseSummary::from(case))
    })
}

/// Opens a case inside the caller's transaction; `false` when the intake item already has its case.
pub async fn open_in(
    state: &AppState,
    tx: &TenantTx,
    identity: &Identity,
    req: &HttpRequest,
    body: &OpenCaseRequest,
) -> Result<(store::Case, bool), AppError> {
    let (def, process_kind) =
        crate::routes::case_admin::process_for_new_case(tx, &body.process_id).await?;
    let now = state.clock.now();
    let (person, evidence, intake_id) = if let Some(intake_id) = body.intake_id {
        if let Some(existing) = store::case_by_intake(tx, intake_id).await? {
            return Ok((existing, false));
        }
        let application = intake::submitted_application(tx, intake_id).await?;
        let input = body
            .person
            .clone()
            .unwrap_or_else(|| person_from_form(&application.form_data));
        let (person, _) = find_or_create_person(tx, &input, now).await?;
        intake::set_application_state(tx, intake_id, intake::state::IN_PROGRESS).await?;
        (person, application.evidence, Some(intake_id))
    } else if let Some(id) = body.person_id {
        (store::person(tx, id).await?, Vec::new(), None)
    } else if let Some(input) = &body.person {
        (
            find_or_create_person(tx, input, now).await?.0,
            Vec::new(),
            None,
        )
    } else {
        return Err(AppError::field("person", "error-required"));
    };
    if process_kind == "model" {
        store::publish_model(
            tx,
            &def.id,
            i32::try_from(def.version).unwrap_or(1),
            &def.name,
            &def.to_toml(),
            now,
        )
        .await?;
    }
    let (snapshot, due) = routing::start(&def, now).map_err(routing_err)?;
    let case = store::open_case(
        tx,
        store::NewCase {
            person_id: person.id,
            process_id: def.id.clone(),
            process_version: i32::try_from(def.version).unwrap_or(1),
            process_kind: process_kind.into(),
            step: snapshot.step.clone(),
            state: snapshot.state.as_str().into(),
            holder_role: snapshot.holder_role.clone(),
            step_due_at: due,
            case_due_at: def
                .deadline_days
                .map(|d| now + Duration::days(i64::from(d))),
            intake_id,
        },
        now,
    )
    .await?;
    store::set_next_clock(tx, case.id, routing::next_clock_at(&def, &snapshot)).await?;
    store::append_history(
        tx,
        case.id,
        store::NewHistory {
            actor: identity.user_id.to_string(),
            action: "open".into(),
            to_step: Some(snapshot.step.clone()),
            comment: intake_id.map(|_| "aus Online-Antrag".to_owned()),
            ..store::NewHistory::default()
        },
        now,
    )
    .await?;
    // The application's evidence becomes part of the e-file (same bytes, same object key).
    for e in evidence {
        store::add_document(
            tx,
            store::NewDocument {
                id: Uuid::now_v7(),
                person_id: person.id,
                case_id: Some(case.id),
                title: e.file_name.clone(),
                media_type: e.content_type.clone(),
                source: "online_application".into(),
                plan_position: def.plan_position.clone(),
                reference_position: def.plan_position.clone(),
                body_text: e.evidence_key.clone(),
                object_key: e.object_key.clone(),
                sha256: e.sha256.clone(),
                size_bytes: e.size_bytes,
                created_by: "portal".into(),
            },
            now,
        )
        .await?;
    }
    audit_in(
        tx,
        state,
        identity,
        req,
        "case.open",
        "case",
        case.id,
        json!({ "process": def.id, "version": def.version, "kind": process_kind }),
    )
    .await?;
    Ok((case, true))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WorklistQuery {
    /// mine (default) | team | all
    #[serde(default)]
    pub scope: Option<String>,
    /// open | waiting | decided
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub process_id: Option<String>,
    /// Only cases whose step is overdue.
    #[serde(default)]
    pub overdue: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Worklist {
    pub scope: String,
    /// Cases matching the filters, counted up to 10,000; 10,001 stands for more.
    pub total: i64,
    /// Counts per state of the scope without filters, bounded like `total`.
    pub counts: Vec<StateCount>,
    pub cases: Vec<CaseSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateCount {
    pub state: String,
    pub count: i64,
}

pub fn scope_of(identity: &Identity, name: Option<&str>) -> (String, Scope) {
    match name.unwrap_or("mine") {
        "team" => (
            "team".into(),
            Scope::Team(identity.role.as_str().to_owned()),
        ),
        "all" => ("all".into(), Scope::All),
        _ => ("mine".into(), Scope::Mine(identity.user_id.0)),
    }
}

/// Worklists: mine, my team's basket (team leads also see escalated cases), or all; with filters
/// and counts.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(WorklistQuery),
    responses((status = 200, body = Worklist), (status = 403)))]
#[get("/api/v1/cases")]
pub async fn worklist(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<WorklistQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let (name, scope) = scope_of(&identity, query.scope.as_deref());
    let filter = store::Filter {
        state: query
            .state
            .clone()
            .filter(|s| CaseState::parse(s).is_some()),
        process_id: query.process_id.clone().filter(|p| !p.is_empty()),
        overdue_at: query.overdue.unwrap_or(false).then(|| state.clock.now()),
        person_id: None,
    };
    let tx = identity.tenant_tx(&state).await?;
    let (items, total) = store::worklist(&tx, &scope, &filter, 100).await?;
    let counts = store::counts(&tx, &scope).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "case.worklist",
        "case",
        "*",
        json!({ "scope": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(Worklist {
        scope: name,
        total,
        counts: counts
            .into_iter()
            .map(|(state, count)| StateCount { state, count })
            .collect(),
        cases: items.into_iter().map(CaseSummary::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    pub case: CaseSummary,
    pub person: PersonView,
    pub process: ProcessView,
    /// The current step's title, role, deadline and what it needs.
    pub current_step: Option<StepView>,
    pub case_due_at: Option<DateTime<Utc>>,
    pub history: Vec<HistoryView>,
    pub documents: Vec<DocumentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub from_step: Option<String>,
    pub to_step: Option<String>,
    pub to_user_id: Option<Uuid>,
    pub comment: Option<String>,
    pub decision: Option<String>,
}

impl From<store::HistoryEntry> for HistoryView {
    fn from(h: store::HistoryEntry) -> Self {
        Self {
            seq: h.seq,
            at: h.at,
            actor: h.actor,
            action: h.action,
            from_step: h.from_step,
            to_step: h.to_step,
            to_user_id: h.to_user_id,
            comment: h.comment,
            decision: h.decision,
        }
    }
}

pub async fn load_case_view(tx: &TenantTx, id: Uuid) -> Result<CaseView, AppError> {
    let case = store::case(tx, id).await?;
    let person = store::person(tx, case.person_id).await?;
    let def = definition_of(tx, &case).await?;
    let history = store::history(tx, case.id).await?;
    let documents = store::documents(tx, Some(case.person_id), None, 200).await?;
    let process = process_view(&def);
    let current_step = process
        .steps
        .iter()
        .find(|s| s.id == case.step)
        .map(|s| StepView {
            id: s.id.clone(),
            title: s.title.clone(),
            role: s.role.clone(),
            kind: s.kind.clone(),
            next: s.next.clone(),
            participant: s.participant.clone(),
            deadline_days: s.deadline_days,
            required_documents: s.required_documents.clone(),
        });
    let case_due_at = case.case_due_at;
    Ok(CaseView {
        case: CaseSummary::from(case),
        person: person.into(),
        process,
        current_step,
        case_due_at,
        history: history.into_iter().map(HistoryView::from).collect(),
        documents: documents.into_iter().map(DocumentView::from).collect(),
    })
}

/// The case view: where the case stands, who holds it, what is due, the whole history. Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404)))]
#[get("/api/v1/cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let view = load_case_view(&tx, *id).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "case.read",
        "case",
        *id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

fn snapshot_of(case: &store::Case, history: &[store::HistoryEntry]) -> CaseSnapshot {
    // The step the case came from into its current step, and an open question, from the history.
    let previous_step = history
        .iter()
        .rev()
        .find(|h| {
            h.to_step.as_deref() == Some(case.step.as_str())
                && h.from_step.as_deref() != Some(case.step.as_str())
        })
        .and_then(|h| h.from_step.clone());
    let mut asked_by = None;
    for h in history.iter().rev() {
        if h.from_step.as_deref() != Some(case.step.as_str())
            || h.to_step.as_deref() != Some(case.step.as_str())
        {
            break;
        }
        match h.action.as_str() {
            "reply" => break,
            "ask" => {
                asked_by = h.actor.parse().ok();
                break;
            }
            _ => {}
        }
    }
    CaseSnapshot {
        step: case.step.clone(),
        state: CaseState::parse(&case.state).unwrap_or(CaseState::Open),
        holder_user: case.holder_user_id,
        holder_role: case.holder_role.clone(),
        clerk_user: case.clerk_user_id,
        asked_by,
        previous_step,
        step_started_at: case.step_started_at,
        reminded_at: case.reminded_at,
        escalated_at: case.escalated_at,
        decision: case.decision.clone(),
    }
}

/// Applies one routing action inside the caller's transaction; on a decision files the notice.
pub async fn act(
    state: &AppState,
    tx: &TenantTx,
    identity: &Identity,
    case_id: Uuid,
    action: &Action,
) -> Result<store::Case, AppError> {
    let now = state.clock.now();
    let case = store::case_for_update(tx, case_id).await?;
    let def = definition_of(tx, &case).await?;
    let history = store::history(tx, case.id).await?;
    let snapshot = snapshot_of(&case, &history);
    let actor = Actor {
        user: identity.user_id.0,
        role: identity.role.as_str().to_owned(),
    };
    let t = routing::apply(&def, &snapshot, &actor, action, now).map_err(routing_err)?;
    store::update_case(
        tx,
        case.id,
        store::CaseUpdate {
            step: t.case.step.clone(),
            state: t.case.state.as_str().into(),
            holder_user_id: t.case.holder_user,
            holder_role: t.case.holder_role.clone(),
            clerk_user_id: t.case.clerk_user,
            step_due_at: t.step_due_at,
            step_started_at: t.case.step_started_at,
            reminded_at: t.case.reminded_at,
            escalated_at: t.case.escalated_at,
            decision: t.case.decision.clone(),
            closed: t.decided,
        },
        now,
    )
    .await?;
    store::set_next_clock(tx, case.id, routing::next_clock_at(&def, &t.case)).await?;
    store::append_history(
        tx,
        case.id,
        store::NewHistory {
            actor: identity.user_id.to_string(),
            action: t.record.action.into(),
            from_step: Some(t.record.from_step.clone()),
            to_step: Some(t.record.to_step.clone()),
            to_user_id: t.record.to_user,
            comment: t.record.comment.clone(),
            decision: t.record.decision.clone(),
        },
        now,
    )
    .await?;
    if t.decided {
        let updated = store::case(tx, case.id).await?;
        file_notice(state, tx, &def, &updated, now).await?;
    }
    Ok(store::case(tx, case.id).await?)
}

/// Renders the notice, files it in the e-file (source `generated`, position 02.03) and, for a case
/// from the portal, delivers it into the applicant's portal mailbox.
async fn file_notice(
    state: &AppState,
    tx: &TenantTx,
    def: &ProcessDef,
    case: &store::Case,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let person = store::person(tx, case.person_id).await?;
    let authority = tenants::get(state.db.connection(), tx.tenant_id().0)
        .await?
        .name;
    let mut lang = "de".to_owned();
    let mut application_reference = None;
    if let Some(intake_id) = case.intake_id
        && let Ok(app) = intake::submitted_application(tx, intake_id).await
    {
        lang = app.language;
        application_reference = Some(app.reference);
    }
    let data = notice::NoticeData {
        authority,
        reference: case.reference.clone(),
        name: format!("{}, {}", person.family_name, person.given_names),
        birth_date: person.birth_date.clone().unwrap_or_default(),
        process: def.name_in(&lang).to_owned(),
        decision: case.decision.clone().unwrap_or_default(),
        date: now.format("%Y-%m-%d").to_string(),
    };
    let lines = notice::notice_lines(&lang, &data);
    let pdf =
        notice::render_pdf(&lang, &data).map_err(|err| AppError::internal(err.to_string()))?;
    let doc_id = Uuid::now_v7();
    let key = format!("documents/{doc_id}/v1");
    let sha = state
        .objects
        .put(st(tx.tenant_id()), &key, &pdf)
        .await
        .map_err(store_err)?;
    store::add_document(
        tx,
        store::NewDocument {
            id: doc_id,
            person_id: case.person_id,
            case_id: Some(case.id),
            title: format!("Bescheid {} ({})", case.reference, def.name),
            media_type: "application/pdf".into(),
            source: "generated".into(),
            plan_position: "02.03".into(),
            reference_position: "02.03".into(),
            body_text: lines.join(" "),
            object_key: key,
            sha256: sha,
            size_bytes: i64::try_from(pdf.len()).unwrap_or(i64::MAX),
            created_by: "system".into(),
        },
        now,
    )
    .await?;
    if let Some(intake_id) = case.intake_id {
        intake::set_application_state(tx, intake_id, intake::state::DECIDED).await?;
        // Delivered into the portal mailbox in the applicant's language, with the notice itself.
        let language = amtsweg_frontend::i18n::Lang::parse(&lang).unwrap_or_default();
        let body = amtsweg_frontend::i18n::t_args(
            language,
            "cases-notice-message",
            &[(
                "reference",
                application_reference.unwrap_or_else(|| case.reference.clone()),
            )],
        );
        store::deliver_to_applicant(tx, intake_id, &body, doc_id, now).await?;
    }
    Ok(doc_id)
}

/// Forward, ask, reply, return, approve, take, a participation answer, or a comment.
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", tag = "cases", params(("id" = Uuid, Path)),
    request_body(content = serde_json::Value, description = "{\"action\": \"forward\", \"to_step\": …, \"decision\": …} and so on"),
    responses((status = 200, body = CaseSummary), (status = 404), (status = 409)))]
#[post("/api/v1/cases/{id}/actions")]
pub async fn act_on_case(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<Action>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let case = act(&state, &tx, &identity, *id, &body).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        &format!("case.{}", body.name()),
        "case",
        case.id,
        json!({ "step": case.step }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(CaseSummary::from(case)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockReport {
    pub reminded: usize,
    pub escalated: usize,
}

/// Cases handled by one transaction of the deadline sweep.
const SWEEP_BATCH: u64 = 500;

/// Runs the deadline clocks of a tenant now: reminders to the holder and escalations to the team
/// lead for steps (including waiting steps of other authorities) whose time has come. Run by the
/// scheduled `case_deadlines` job (backend/jobs) and by `POST /api/v1/cases/deadlines`.
pub async fn sweep_deadlines(state: &AppState, tenant: TenantId) -> Result<ClockReport, AppError> {
    let now = state.clock.now();
    let mut report = ClockReport {
        reminded: 0,
        escalated: 0,
    };
    loop {
        let (batch, more) = sweep_batch(state, tenant, now).await?;
        report.reminded += batch.reminded;
        report.escalated += batch.escalated;
        if !more {
            return Ok(report);
        }
    }
}

/// One transaction of the deadline sweep: up to [`SWEEP_BATCH`] cases whose `next_clock_at` is at
/// or before `now`; true when there may be more. Every clock fires once, because the transaction that
/// records it also moves `next_clock_at` on.
pub async fn sweep_batch(
    state: &AppState,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> Result<(ClockReport, bool), AppError> {
    let mut report = ClockReport {
        reminded: 0,
        escalated: 0,
    };
    let tx = state.db.tenant(tenant).await?;
    let candidates = store::clock_candidates(&tx, now, SWEEP_BATCH).await?;
    let more = candidates.len() as u64 == SWEEP_BATCH;
    let staff = if candidates.is_empty() {
        Vec::new()
    } else {
        amtsweg_store::users::list(&tx).await?
    };
    let mut mailed = false;
    for case in candidates {
        let def = definition_of(&tx, &case).await?;
        let mut snapshot = snapshot_of(&case, &[]);
        for event in routing::clock_events(&def, &snapshot, now) {
            let recipients: Vec<&amtsweg_store::users::User> = match event {
                routing::ClockEvent::Remind => {
                    snapshot.reminded_at = Some(now);
                    report.reminded += 1;
                    staff
                        .iter()
                        .filter(|u| Some(u.id) == case.holder_user_id)
                        .collect()
                }
                routing::ClockEvent::Escalate => {
                    snapshot.escalated_at = Some(now);
                    report.escalated += 1;
                    staff
                        .iter()
                        .filter(|u| u.role == routing::TEAM_LEAD_ROLE)
                        .collect()
                }
            };
            store::append_history(
                &tx,
                case.id,
                store::NewHistory {
                    actor: "system".into(),
                    action: event.as_str().into(),
                    from_step: Some(case.step.clone()),
                    to_step: Some(case.step.clone()),
                    to_user_id: case.holder_user_id,
                    ..store::NewHistory::default()
                },
                now,
            )
            .await?;
            let step_title = def
                .step(&case.step)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            let active: Vec<_> = recipients
                .iter()
                .filter(|u| u.status == amtsweg_store::users::status::ACTIVE)
                .collect();
            for user in &active {
                clock_mail(state, &tx, event, &case, &step_title, &user.email, now).await?;
                mailed = true;
            }
            audit::append(
                &tx,
                now,
                NewEntry::new("system", format!("case.{}", event.as_str()))
                    .object("case", case.id)
                    .details(json!({ "mails": active.len() })),
            )
            .await?;
        }
        store::mark_clock(&tx, case.id, snapshot.reminded_at, snapshot.escalated_at).await?;
        store::set_next_clock(&tx, case.id, routing::next_clock_at(&def, &snapshot)).await?;
    }
    tx.commit().await?;
    if mailed {
        state.outbox_wakeup.notify_one();
    }
    Ok((report, more))
}

/// A reminder or escalation mail: the case reference, the step and a link; no personal data.
async fn clock_mail(
    state: &AppState,
    tx: &TenantTx,
    event: routing::ClockEvent,
    case: &store::Case,
    step_title: &str,
    recipient: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use amtsweg_frontend::i18n::{Lang, t_args};
    let link = format!(
        "{}/workspace/cases/{}",
        state.settings.public_url.trim_end_matches('/'),
        case.id
    );
    let args = [
        ("reference", case.reference.clone()),
        ("step", step_title.to_owned()),
        ("link", link),
    ];
    let key = match event {
        routing::ClockEvent::Remind => "mail-case-remind",
        routing::ClockEvent::Escalate => "mail-case-escalate",
    };
    amtsweg_store::outbox::enqueue(
        tx.conn(),
        amtsweg_store::outbox::NewMail {
            recipient: recipient.to_owned(),
            subject: t_args(Lang::De, &format!("{key}-subject"), &args),
            body_text: t_args(Lang::De, &format!("{key}-body"), &args),
            body_html: None,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Runs the deadline clocks now (the scheduled `case_deadlines` job does the same every hour).
#[utoipa::path(post, path = "/api/v1/cases/deadlines", tag = "cases", responses((status = 200, body = ClockReport), (status = 403)))]
#[post("/api/v1/cases/deadlines")]
pub async fn run_deadlines(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let report = sweep_deadlines(&state, identity.tenant()?).await?;
    Ok(HttpResponse::Ok().json(report))
}

// ---------------------------------------------------------------------------------------------
// The e-file

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub case_id: Option<Uuid>,
    pub title: String,
    pub media_type: String,
    pub source: String,
    pub plan_position: String,
    pub reference_position: String,
    pub version: i32,
    pub retention_until: Option<chrono::NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl From<store::Document> for DocumentView {
    fn from(d: store::Document) -> Self {
        Self {
            id: d.id,
            person_id: d.person_id,
            case_id: d.case_id,
            title: d.title,
            media_type: d.media_type,
            source: d.source,
            plan_position: d.plan_position,
            reference_position: d.reference_position,
            version: d.current_version,
            retention_until: d.retention_until,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadRequest {
    pub title: String,
    pub media_type: String,
    /// online_application | scan | generated | pik | received
    pub source: String,
    /// A position of the tenant's file plan (the reference plan when the tenant has none).
    pub plan_position: String,
    #[serde(default)]
    pub case_id: Option<Uuid>,
    /// Searchable text (e.g. OCR of a scan).
    #[serde(default)]
    pub text: Option<String>,
    /// The bytes, base64.
    pub content_base64: String,
}

pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// Files a document into a person's e-file.
#[utoipa::path(post, path = "/api/v1/persons/{id}/documents", tag = "cases", params(("id" = Uuid, Path)),
    request_body = UploadRequest, responses((status = 201, body = DocumentView), (status = 404), (status = 422)))]
#[post("/api/v1/persons/{id}/documents")]
pub async fn upload_document(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<UploadRequest>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::WorkCases)
        .map_err(|_| AppError::NotFound)?;
    if !package::SOURCES.contains(&body.source.as_str()) {
        return Err(AppError::field("source", "error-invalid"));
    }
    if body.title.trim().is_empty() {
        return Err(AppError::field("title", "error-required"));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.content_base64.as_bytes())
        .map_err(|_| AppError::field("content_base64", "error-invalid"))?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::field("content_base64", "error-too-large"));
    }
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    store::person(&tx, *id).await?;
    if let Some(case_id) = body.case_id
        && store::case(&tx, case_id).await?.person_id != *id
    {
        return Err(AppError::NotFound);
    }
    let plan: Vec<fileplan::TenantPosition> = store::tenant_plan(&tx)
        .await?
        .into_iter()
        .map(|r| fileplan::TenantPosition {
            position: r.position,
            title: r.title,
            reference_position: r.reference_position,
        })
        .collect();
    let reference = fileplan::reference_for(&plan, &body.plan_position)
        .ok_or_else(|| AppError::field("plan_position", "error-unmapped-position"))?;
    let doc_id = Uuid::now_v7();
    let key = format!("documents/{doc_id}/v1");
    let sha = state
        .objects
        .put(st(tx.tenant_id()), &key, &bytes)
        .await
        .map_err(store_err)?;
    let doc = store::add_document(
        &tx,
        store::NewDocument {
            id: doc_id,
            person_id: *id,
            case_id: body.case_id,
            title: body.title.trim().to_owned(),
            media_type: body.media_type.clone(),
            source: body.source.clone(),
            plan_position: body.plan_position.clone(),
            reference_position: reference,
            body_text: body.text.clone().unwrap_or_default(),
            object_key: key,
            sha256: sha.clone(),
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            created_by: identity.user_id.to_string(),
        },
        now,
    )
    .await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "document.create",
        "document",
        doc.id,
        json!({ "sha256": sha }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(DocumentView::from(doc)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DocumentQuery {
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// Full-text query over titles, positions and text.
    #[serde(default)]
    pub q: Option<String>,
}

/// The e-file listing (of one person or the whole tenant) with full-text search. Audited.
#[utoipa::path(get, path = "/api/v1/documents", tag = "cases", params(DocumentQuery),
    responses((status = 200, body = [DocumentView]), (status = 403)))]
#[get("/api/v1/documents")]
pub async fn list_documents(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    query: web::Query<DocumentQuery>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ReadPersonalData)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::documents(&tx, query.person_id, query.q.as_deref(), 100).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "document.list",
        "document",
        query
            .person_id
            .map(|p| p.to_string())
            .unwrap_or_else(|| "*".into()),
        json!({ "results": rows.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(DocumentView::from).collect::<Vec<_>>()))
}

/// Downloads a document's current version. Every read is audited.
#[utoipa::path(get, path = "/api/v1/documents/{id}/content", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404)))]
#[get("/api/v1/documents/{id}/content")]
pub async fn document_content(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ReadPersonalData)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let (doc, bytes, sha) = read_document(&state, &tx, *id).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "document.read",
        "document",
        doc.id,
        json!({ "version": doc.current_version }),
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

/// A document's current version, checked against its stored hash: (document, bytes, SHA-256).
pub async fn read_document(
    state: &AppState,
    tx: &TenantTx,
    id: Uuid,
) -> Result<(store::Document, Vec<u8>, String), AppError> {
    let doc = store::document(tx, id).await?;
    let version = store::versions(tx, doc.id)
        .await?
        .into_iter()
        .find(|v| v.version == doc.current_version)
        .ok_or(AppError::NotFound)?;
    let bytes = state
        .objects
        .get(st(tx.tenant_id()), &version.object_key)
        .await
        .map_err(store_err)?;
    if package::sha256_hex(&bytes) != version.sha256 {
        return Err(AppError::internal("document hash mismatch"));
    }
    Ok((doc, bytes, version.sha256))
}

/// The audit entry of a page handler (same fields as the API's).
pub async fn audit_page(
    tx: &TenantTx,
    state: &AppState,
    identity: &Identity,
    req: &HttpRequest,
    action: &str,
    object_type: &str,
    object_id: String,
) -> Result<(), AppError> {
    audit_in(
        tx,
        state,
        identity,
        req,
        action,
        object_type,
        object_id,
        json!({}),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Retention

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub rule: String,
    pub due_on: chrono::NaiveDate,
    pub state: String,
}

impl From<store::RetentionReview> for ReviewView {
    fn from(r: store::RetentionReview) -> Self {
        Self {
            id: r.id,
            person_id: r.person_id,
            rule: r.rule,
            due_on: r.due_on,
            state: r.state,
        }
    }
}

/// The retention run: lists every B record whose deletion date has come (nothing is deleted here).
/// Run by the daily `retention_listing` job and by `POST /api/v1/retention/run`.
pub async fn list_retention_due(state: &AppState, tenant: TenantId) -> Result<usize, AppError> {
    let rules = retention::Rules::load().map_err(|e| AppError::internal(e.to_string()))?;
    let now = state.clock.now();
    let today = now.date_naive();
    let Some(cutoff) = rules.listing_cutoff(today) else {
        return Ok(0);
    };
    let tx = state.db.tenant(tenant).await?;
    let mut listed = 0;
    for person in store::register_b_before(&tx, cutoff, 100_000).await? {
        let (Some(reason), Some(moved)) = (&person.register_reason, person.register_changed_at)
        else {
            continue;
        };
        if let Some(due) = rules.deletion_due(reason, moved)
            && due <= today
            && store::list_due(&tx, person.id, &rules.rule_name(reason), due, now).await?
        {
            listed += 1;
        }
    }
    // Only a listing that found something is a change worth a chain entry; the daily job's run is
    // recorded in the job queue, and a day with nothing due writes nothing.
    if listed > 0 {
        audit::append(
            &tx,
            now,
            NewEntry::new("system", "retention.list")
                .object("retention", "*")
                .details(json!({ "listed": listed })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(listed)
}

/// Runs the retention listing now (the daily job does the same).
#[utoipa::path(post, path = "/api/v1/retention/run", tag = "cases", responses((status = 200), (status = 403)))]
#[post("/api/v1/retention/run")]
pub async fn run_retention(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ApproveDecisions)?;
    let listed = list_retention_due(&state, identity.tenant()?).await?;
    Ok(HttpResponse::Ok().json(json!({ "listed": listed })))
}

/// What is due for deletion, awaiting confirmation.
#[utoipa::path(get, path = "/api/v1/retention", tag = "cases", responses((status = 200, body = [ReviewView]), (status = 403)))]
#[get("/api/v1/retention")]
pub async fn list_retention(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ApproveDecisions)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::reviews(&tx, "due").await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(ReviewView::from).collect::<Vec<_>>()))
}

/// Confirms a deletion: the person, their cases, history and documents go from the database, the
/// bytes from the object store. Audited (the audit keeps identifiers only).
#[utoipa::path(post, path = "/api/v1/retention/{id}/delete", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200), (status = 404), (status = 409)))]
#[post("/api/v1/retention/{id}/delete")]
pub async fn confirm_retention(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ApproveDecisions)
        .map_err(|_| AppError::NotFound)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    let review = store::review(&tx, *id).await?;
    store::decide_review(&tx, review.id, "deleted", identity.user_id.0, now).await?;
    let keys = store::delete_person(&tx, review.person_id).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "retention.delete",
        "person",
        review.person_id,
        json!({ "review": review.id, "rule": review.rule, "objects": keys.len() }),
    )
    .await?;
    let tenant = tx.tenant_id();
    tx.commit().await?;
    for key in &keys {
        state
            .objects
            .delete(st(tenant), key)
            .await
            .map_err(store_err)?;
    }
    Ok(HttpResponse::Ok().json(json!({ "deleted_objects": keys.len() })))
}

// ---------------------------------------------------------------------------------------------
// Transfer between authorities

#[derive(Debug, Deserialize, ToSchema)]
pub struct TransferRequest {
    /// The authority that holds the file (tenant slug).
    pub from_tenant: String,
    #[serde(default)]
    pub azr_number: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub given_names: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    pub id: Uuid,
    /// requested (we asked for a file) | received (we were asked)
    pub direction: String,
    pub counterpart_tenant_id: Uuid,
    pub state: String,
    pub person_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<store::Transfer> for TransferView {
    fn from(t: store::Transfer) -> Self {
        Self {
            id: t.id,
            direction: t.direction,
            counterpart_tenant_id: t.counterpart_tenant_id,
            state: t.state,
            person_id: t.person_id,
            message_id: t.message_id,
            note: t.note,
            created_at: t.created_at,
        }
    }
}

/// The new authority requests a person's file from the authority that holds it. The holder's side
/// is matched in its own tenant; the requester learns nothing about the holder's data until consent.
#[utoipa::path(post, path = "/api/v1/transfers", tag = "cases", request_body = TransferRequest,
    responses((status = 201, body = TransferView), (status = 403), (status = 422)))]
#[post("/api/v1/transfers")]
pub async fn request_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Json<TransferRequest>,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let own = identity.tenant()?;
    let holder = tenants::by_slug(state.db.connection(), &body.from_tenant)
        .await
        .map_err(|_| AppError::field("from_tenant", "error-unknown-tenant"))?;
    if holder.id == own.0 {
        return Err(AppError::field("from_tenant", "error-invalid"));
    }
    let now = state.clock.now();
    let id = Uuid::now_v7();
    // The holder's side: match the person there (never shown to the requester).
    let holder_tx = state.db.tenant(TenantId(holder.id)).await?;
    let key = match_key(
        body.family_name.as_deref().unwrap_or_default(),
        body.given_names.as_deref().unwrap_or_default(),
    );
    let candidates = store::match_candidates(
        &holder_tx,
        clean(&body.azr_number).as_deref(),
        &key,
        clean(&body.birth_date).as_deref(),
    )
    .await?;
    let found = match candidates.as_slice() {
        [one] if one.register == "A" => Some(one.id),
        _ => None,
    };
    store::create_transfer(
        &holder_tx,
        store::NewTransfer {
            id,
            direction: "received".into(),
            counterpart_tenant_id: own.0,
            azr_number: clean(&body.azr_number),
            family_name: clean(&body.family_name),
            birth_date: clean(&body.birth_date),
            person_id: found,
        },
        now,
    )
    .await?;
    audit::append(
        &holder_tx,
        now,
        NewEntry::new(identity.actor(), "transfer.received")
            .object("transfer", id)
            .details(json!({ "from_tenant": own.0 })),
    )
    .await?;
    let tx = identity.tenant_tx(&state).await?;
    let transfer = store::create_transfer(
        &tx,
        store::NewTransfer {
            id,
            direction: "requested".into(),
            counterpart_tenant_id: holder.id,
            azr_number: clean(&body.azr_number),
            family_name: clean(&body.family_name),
            birth_date: clean(&body.birth_date),
            person_id: None,
        },
        now,
    )
    .await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "transfer.request",
        "transfer",
        id,
        json!({ "holder": holder.id }),
    )
    .await?;
    holder_tx.commit().await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(TransferView::from(transfer)))
}

#[utoipa::path(get, path = "/api/v1/transfers", tag = "cases", responses((status = 200, body = [TransferView]), (status = 403)))]
#[get("/api/v1/transfers")]
pub async fn list_transfers(
    state: web::Data<AppState>,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let tx = identity.tenant_tx(&state).await?;
    let rows = store::transfers(&tx).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(TransferView::from).collect::<Vec<_>>()))
}

/// Builds the transfer package of a person from the holder's tenant.
async fn build_package(
    state: &AppState,
    tx: &TenantTx,
    person_id: Uuid,
    recipient: &tenants::Tenant,
) -> Result<(Uuid, Vec<u8>), AppError> {
    let now = state.clock.now();
    let sender = tenants::get(state.db.connection(), tx.tenant_id().0).await?;
    let person = store::person(tx, person_id).await?;
    let names = store::other_names(tx, person_id).await?;
    let docs = store::documents(tx, Some(person_id), None, 10_000).await?;
    let mut manifest = Vec::new();
    let mut files = Vec::new();
    for d in docs {
        for v in store::versions(tx, d.id).await? {
            let bytes = state
                .objects
                .get(st(tx.tenant_id()), &v.object_key)
                .await
                .map_err(store_err)?;
            if package::sha256_hex(&bytes) != v.sha256 {
                return Err(AppError::internal("document hash mismatch"));
            }
            let file = format!("dokumente/{}-v{}", d.id, v.version);
            manifest.push(package::ManifestEntry {
                document_id: d.id.to_string(),
                version: u32::try_from(v.version).unwrap_or(1),
                file: file.clone(),
                title: d.title.clone(),
                media_type: d.media_type.clone(),
                source: d.source.clone(),
                reference_position: d.reference_position.clone(),
                sha256: v.sha256.clone(),
                size: u64::try_from(v.size_bytes).unwrap_or(0),
                created_at: v.created_at.to_rfc3339(),
            });
            files.push((file, bytes));
        }
    }
    let message_id = Uuid::now_v7();
    let authority = |t: &tenants::Tenant| package::Authority {
        id: t.id.to_string(),
        name: t.name.clone(),
        abh_kennung: t.abh_kennung.clone().unwrap_or_default(),
    };
    let message = package::Message {
        header: package::Header {
            message_uuid: message_id.to_string(),
            message_type: package::MESSAGE_TYPE.into(),
            created_at: now.to_rfc3339(),
            sender: authority(&sender),
            recipient: authority(recipient),
        },
        person: package::PersonCore {
            file_number: person.file_number,
            azr_number: person.azr_number.unwrap_or_default(),
            family_name: person.family_name,
            given_names: person.given_names,
            birth_name: person.birth_name.unwrap_or_default(),
            birth_date: person.birth_date.unwrap_or_default(),
            birth_place: person.birth_place.unwrap_or_default(),
            birth_country: person.birth_country.unwrap_or_default(),
            sex: person.sex.unwrap_or_default(),
            nationality: person.nationality.unwrap_or_default(),
            other_names: names
                .into_iter()
                .map(|n| package::OtherName {
                    kind: n.kind,
                    family_name: n.family_name,
                    given_names: n.given_names,
                })
                .collect(),
        },
        manifest,
    };
    Ok((message_id, package::build(&message, &files)))
}

/// Files a validated package under the receiving tenant's plan: a new person in register A (or the
/// matched one) with every document, byte-identical, source `received`.
async fn import_opened(
    state: &AppState,
    tx: &TenantTx,
    opened: &package::Opened,
    actor: &str,
) -> Result<(Uuid, usize), AppError> {
    let now = state.clock.now();
    let plan: Vec<fileplan::TenantPosition> = store::tenant_plan(tx)
        .await?
        .into_iter()
        .map(|r| fileplan::TenantPosition {
            position: r.position,
            title: r.title,
            reference_position: r.reference_position,
        })
        .collect();
    // Check the mapping for every document first: refuse whole rather than file half.
    let mut positions = Vec::new();
    let mut problems = Vec::new();
    for d in &opened.message.manifest {
        match fileplan::tenant_position_for(&plan, &d.reference_position) {
            Some(p) => positions.push(p),
            None => problems.push(format!(
                "document {}: no position of this authority's plan maps to {}",
                d.document_id, d.reference_position
            )),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(std::collections::BTreeMap::from([(
            "package".to_owned(),
            problems.join("; "),
        )])));
    }
    let p = &opened.message.person;
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let input = PersonInput {
        family_name: p.family_name.clone(),
        given_names: p.given_names.clone(),
        birth_name: opt(&p.birth_name),
        birth_date: opt(&p.birth_date),
        birth_place: opt(&p.birth_place),
        birth_country: opt(&p.birth_country),
        sex: opt(&p.sex),
        nationality: opt(&p.nationality),
        azr_number: opt(&p.azr_number),
        other_names: p
            .other_names
            .iter()
            .map(|n| OtherNameInput {
                kind: n.kind.clone(),
                family_name: n.family_name.clone(),
                given_names: n.given_names.clone(),
            })
            .collect(),
    };
    let (person, _) = find_or_create_person(tx, &input, now).await?;
    let mut keys = Vec::new();
    for (d, position) in opened.message.manifest.iter().zip(positions) {
        let bytes = opened
            .files
            .get(&d.file)
            .ok_or(AppError::internal("validated file missing"))?;
        let doc_id = Uuid::now_v7();
        let key = format!("documents/{doc_id}/v1");
        let sha = state
            .objects
            .put(st(tx.tenant_id()), &key, bytes)
            .await
            .map_err(store_err)?;
        keys.push(key.clone());
        store::add_document(
            tx,
            store::NewDocument {
                id: doc_id,
                person_id: person.id,
                case_id: None,
                title: d.title.clone(),
                media_type: d.media_type.clone(),
                source: "received".into(),
                plan_position: position,
                reference_position: d.reference_position.clone(),
                body_text: String::new(),
                object_key: key,
                sha256: sha,
                size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                created_by: actor.to_owned(),
            },
            now,
        )
        .await?;
    }
    Ok((person.id, keys.len()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentRequest {
    /// Consent (true) or refusal (false).
    pub consent: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// The holding authority consents: the file moves to the requester as a validated package, the
/// holder's record goes to Ausländerdatei B with a note of the handover; both sides audited.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/consent", tag = "cases", params(("id" = Uuid, Path)),
    request_body = ConsentRequest, responses((status = 200, body = TransferView), (status = 404), (status = 409), (status = 422)))]
#[post("/api/v1/transfers/{id}/consent")]
pub async fn consent_transfer(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
    body: web::Json<ConsentRequest>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ApproveDecisions)
        .map_err(|_| AppError::NotFound)?;
    let now = state.clock.now();
    let tx = identity.tenant_tx(&state).await?;
    let transfer = store::transfer(&tx, *id).await?;
    if transfer.direction != "received" {
        return Err(AppError::NotFound);
    }
    if transfer.state != "requested" {
        return Err(AppError::Conflict("transfer_decided"));
    }
    let requester = tenants::get(state.db.connection(), transfer.counterpart_tenant_id).await?;
    let other_tx = state.db.tenant(TenantId(requester.id)).await?;
    if !body.consent {
        store::finish_transfer(
            &tx,
            transfer.id,
            "refused",
            None,
            None,
            body.note.as_deref(),
            now,
        )
        .await?;
        store::finish_transfer(
            &other_tx,
            transfer.id,
            "refused",
            None,
            None,
            body.note.as_deref(),
            now,
        )
        .await?;
        audit_in(
            &tx,
            &state,
            &identity,
            &req,
            "transfer.refuse",
            "transfer",
            transfer.id,
            json!({}),
        )
        .await?;
        audit::append(
            &other_tx,
            now,
            NewEntry::new(identity.actor(), "transfer.refused").object("transfer", transfer.id),
        )
        .await?;
        other_tx.commit().await?;
        tx.commit().await?;
        return Ok(HttpResponse::Ok().json(TransferView::from(
            store::transfer(&state.db.tenant(identity.tenant()?).await?, *id).await?,
        )));
    }
    let person_id = transfer
        .person_id
        .ok_or(AppError::Conflict("transfer_person_unknown"))?;
    let (message_id, bytes) = build_package(&state, &tx, person_id, &requester).await?;
    let opened = package::open(&bytes).map_err(|r| {
        AppError::Validation(std::collections::BTreeMap::from([(
            "package".to_owned(),
            r.to_string(),
        )]))
    })?;
    let (new_person, documents) = import_opened(
        &state,
        &other_tx,
        &opened,
        &format!("transfer:{}", transfer.id),
    )
    .await?;
    let note = format!(
        "Akte übergeben an {} (Nachricht {message_id})",
        requester.name
    );
    store::move_to_b(&tx, person_id, "handover", Some(&requester.name), now).await?;
    store::finish_transfer(
        &tx,
        transfer.id,
        "completed",
        None,
        Some(message_id),
        Some(&note),
        now,
    )
    .await?;
    store::finish_transfer(
        &other_tx,
        transfer.id,
        "completed",
        Some(new_person),
        Some(message_id),
        body.note.as_deref(),
        now,
    )
    .await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "transfer.consent",
        "person",
        person_id,
        json!({ "transfer": transfer.id, "message": message_id, "documents": documents }),
    )
    .await?;
    audit::append(
        &other_tx,
        now,
        NewEntry::new(identity.actor(), "transfer.import")
            .object("person", new_person)
            .details(
                json!({ "transfer": transfer.id, "message": message_id, "documents": documents }),
            ),
    )
    .await?;
    other_tx.commit().await?;
    tx.commit().await?;
    let tx = identity.tenant_tx(&state).await?;
    let view = TransferView::from(store::transfer(&tx, *id).await?);
    tx.commit().await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Exports a person's complete file as a transfer package (ZIP). Audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}/export", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/zip"), (status = 404)))]
#[get("/api/v1/persons/{id}/export")]
pub async fn export_person(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    identity
        .require(Permission::ApproveDecisions)
        .map_err(|_| AppError::NotFound)?;
    let tx = identity.tenant_tx(&state).await?;
    let own = tenants::get(state.db.connection(), tx.tenant_id().0).await?;
    let (message_id, bytes) = build_package(&state, &tx, *id, &own).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "person.export",
        "person",
        *id,
        json!({ "message": message_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"akte-{message_id}.zip\""),
        ))
        .body(bytes))
}

/// Imports a transfer package (ZIP body). A broken package is refused whole with the list of
/// problems (422); nothing of it is stored.
#[utoipa::path(post, path = "/api/v1/imports", tag = "cases", request_body(content = Vec<u8>, content_type = "application/zip"),
    responses((status = 201), (status = 403), (status = 422)))]
#[post("/api/v1/imports")]
pub async fn import_package(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ApproveDecisions)?;
    let opened = package::open(&body).map_err(|r| {
        AppError::Validation(std::collections::BTreeMap::from([(
            "package".to_owned(),
            r.to_string(),
        )]))
    })?;
    let tx = identity.tenant_tx(&state).await?;
    let (person, documents) =
        import_opened(&state, &tx, &opened, &identity.user_id.to_string()).await?;
    audit_in(
        &tx,
        &state,
        &identity,
        &req,
        "person.import",
        "person",
        person,
        json!({ "message": opened.message.header.message_uuid, "documents": documents }),
    )
    .await?;
    tx.commit().await?;
    Ok(HttpResponse::Created().json(json!({ "person_id": person, "documents": documents })))
}
