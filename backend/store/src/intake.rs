//! Intake: drafts, submitted applications, evidence, payments, messages, appointments and pickup
//! codes of one tenant, plus the two platform tables of the portal (`intake_services`,
//! `portal_links`).
//!
//! Plain SQL per statement, written so that it runs on PostgreSQL and SQLite alike (`$n`
//! placeholders are rewritten for SQLite). Every tenant query filters `tenant_id` explicitly even
//! though row-level security would too.
//!
//! Stable interface for case processing: [`submitted_application`], [`set_application_state`],
//! [`inbox`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use serde::Serialize;
use uuid::Uuid;

use crate::{StoreError, TenantTx};

/// Application states. Case processing moves an application on with [`set_application_state`].
pub mod state {
    pub const SUBMITTED: &str = "submitted";
    pub const IN_PROGRESS: &str = "in_progress";
    pub const AWAITING_APPLICANT: &str = "awaiting_applicant";
    pub const DECIDED: &str = "decided";
    pub const READY_FOR_PICKUP: &str = "ready_for_pickup";
    pub const CLOSED: &str = "closed";
    pub const ALL: &[&str] = &[
        SUBMITTED,
        IN_PROGRESS,
        AWAITING_APPLICANT,
        DECIDED,
        READY_FOR_PICKUP,
        CLOSED,
    ];
}

/// Payment states.
pub mod payment_state {
    pub const PENDING: &str = "pending";
    pub const PAID: &str = "paid";
    pub const DECLINED: &str = "declined";
    pub const ABANDONED: &str = "abandoned";
}

fn rewrite(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Sqlite {
        return sql.to_owned();
    }
    // `$1` → `?1`: SQLite's numbered parameters.
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn stmt(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = conn.get_database_backend();
    Statement::from_sql_and_values(backend, rewrite(backend, sql), values)
}

async fn exec(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, StoreError> {
    Ok(conn
        .execute_raw(stmt(conn, sql, values))
        .await?
        .rows_affected())
}

async fn all(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    Ok(conn.query_all_raw(stmt(conn, sql, values)).await?)
}

async fn one(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, StoreError> {
    Ok(conn.query_one_raw(stmt(conn, sql, values)).await?)
}

fn tid(tx: &TenantTx) -> Value {
    tx.tenant_id().0.into()
}

fn json_map(text: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(text).map_err(|err| StoreError::Corrupt(err.to_string()))
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> Result<T, StoreError> {
    Ok(row.try_get::<T>("", col)?)
}

// ---------------------------------------------------------------------------------------------
// Platform: catalog and portal links

/// Stores the current definition of a statewide service (idempotent).
pub async fn upsert_service(
    conn: &impl ConnectionTrait,
    key: &str,
    version: i32,
    authority: &str,
    fee_code: &str,
    definition: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        conn,
        "INSERT INTO intake_services (key, version, authority, fee_code, definition, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key) DO UPDATE SET version = excluded.version, authority = excluded.authority, \
         fee_code = excluded.fee_code, definition = excluded.definition, updated_at = excluded.updated_at",
        vec![
            key.into(),
            version.into(),
            authority.into(),
            fee_code.into(),
            definition.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Remembers that `tenant` holds an object of the applicant (identifiers only).
pub async fn link_applicant(
    conn: &impl ConnectionTrait,
    applicant: Uuid,
    tenant: Uuid,
    kind: &str,
    object: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        conn,
        "INSERT INTO portal_links (applicant_id, tenant_id, kind, object_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        vec![
            applicant.into(),
            tenant.into(),
            kind.into(),
            object.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// [`link_applicant`] for many objects of one tenant, in one statement: (applicant, object).
pub async fn link_applicants(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    kind: &str,
    links: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let mut values: Vec<Value> = vec![tenant.into(), kind.into(), now.into()];
    let mut rows = Vec::with_capacity(links.len());
    for (applicant, object) in links {
        rows.push(format!(
            "(${}, $1, $2, ${}, $3)",
            values.len() + 1,
            values.len() + 2
        ));
        values.extend([Value::from(*applicant), Value::from(*object)]);
    }
    exec(
        conn,
        &format!(
            "INSERT INTO portal_links (applicant_id, tenant_id, kind, object_id, created_at) \
             VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        ),
        values,
    )
    .await?;
    Ok(())
}

/// The tenants holding drafts or applications of an applicant.
pub async fn applicant_tenants(
    conn: &impl ConnectionTrait,
    applicant: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let rows = all(
        conn,
        "SELECT DISTINCT tenant_id FROM portal_links WHERE applicant_id = $1",
        vec![applicant.into()],
    )
    .await?;
    rows.iter().map(|r| get::<Uuid>(r, "tenant_id")).collect()
}

// ---------------------------------------------------------------------------------------------
// Tenant services

#[derive(Debug, Clone, Default, Serialize)]
pub struct TenantService {
    pub service_key: String,
    pub active: bool,
    pub hints: Option<String>,
    pub contact: Option<String>,
    pub opening_hours: Option<String>,
}

/// The tenant's own settings of a service; `None` means the statewide default (active, no hints).
pub async fn tenant_service(
    tx: &TenantTx,
    service_key: &str,
) -> Result<Option<TenantService>, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT service_key, active, hints, contact, opening_hours FROM tenant_services \
         WHERE tenant_id = $1 AND service_key = $2",
        vec![tid(tx), service_key.into()],
    )
    .await?;
    row.map(|r| {
        Ok(TenantService {
            service_key: get(&r, "service_key")?,
            active: get(&r, "active")?,
            hints: get(&r, "hints")?,
            contact: get(&r, "contact")?,
            opening_hours: get(&r, "opening_hours")?,
        })
    })
    .transpose()
}

/// Every service the tenant has settings for (services without a row use the statewide default).
pub async fn tenant_services(tx: &TenantTx) -> Result<Vec<TenantService>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT service_key, active, hints, contact, opening_hours FROM tenant_services \
         WHERE tenant_id = $1 ORDER BY service_key",
        vec![tid(tx)],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TenantService {
                service_key: get(r, "service_key")?,
                active: get(r, "active")?,
                hints: get(r, "hints")?,
                contact: get(r, "contact")?,
                opening_hours: get(r, "opening_hours")?,
            })
        })
        .collect()
}

pub async fn set_tenant_service(
    tx: &TenantTx,
    service: &TenantService,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO tenant_services (tenant_id, service_key, active, hints, contact, opening_hours, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, service_key) DO UPDATE SET \
         active = excluded.active, hints = excluded.hints, contact = excluded.contact, \
         opening_hours = excluded.opening_hours, updated_at = excluded.updated_at",
        vec![
            tid(tx),
            service.service_key.as_str().into(),
            service.active.into(),
            service.hints.clone().into(),
            service.contact.clone().into(),
            service.opening_hours.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Drafts

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub service_key: String,
    pub form_data: BTreeMap<String, String>,
    pub step: i32,
    pub language: String,
    pub updated_at: DateTime<Utc>,
    pub submitted_application_id: Option<Uuid>,
}

fn draft_from(row: &QueryResult) -> Result<Draft, StoreError> {
    Ok(Draft {
        id: get(row, "id")?,
        applicant_id: get(row, "applicant_id")?,
        service_key: get(row, "service_key")?,
        form_data: json_map(&get::<String>(row, "form_data")?)?,
        step: get(row, "step")?,
        language: get(row, "language")?,
        updated_at: get(row, "updated_at")?,
        submitted_application_id: get(row, "submitted_application_id")?,
    })
}

const DRAFT_COLUMNS: &str = "id, applicant_id, service_key, form_data, step, language, updated_at, submitted_application_id";

pub async fn create_draft(
    tx: &TenantTx,
    applicant: Uuid,
    service_key: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<Draft, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO intake_drafts (tenant_id, id, applicant_id, service_key, form_data, step, language, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '{}', 0, $5, $6, $6)",
        vec![
            tid(tx),
            id.into(),
            applicant.into(),
            service_key.into(),
            language.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(Draft {
        id,
        applicant_id: applicant,
        service_key: service_key.to_owned(),
        form_data: BTreeMap::new(),
        step: 0,
        language: language.to_owned(),
        updated_at: now,
        submitted_application_id: None,
    })
}

/// A draft of this applicant; another applicant's draft is not found.
pub async fn draft(tx: &TenantTx, applicant: Uuid, id: Uuid) -> Result<Draft, StoreError> {
    let row = one(
        tx.conn(),
        &format!(
            "SELECT {DRAFT_COLUMNS} FROM intake_drafts WHERE tenant_id = $1 AND id = $2 AND applicant_id = $3"
        ),
        vec![tid(tx), id.into(), applicant.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    draft_from(&row)
}

/// Many drafts by id, in one statement (missing ones are left out; the caller checks whose they are).
pub async fn drafts_by_ids(tx: &TenantTx, ids: &[Uuid]) -> Result<Vec<Draft>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = vec![tid(tx)];
    values.extend(ids.iter().map(|id| Value::from(*id)));
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {DRAFT_COLUMNS} FROM intake_drafts WHERE tenant_id = $1 AND id IN ({})",
            placeholders(2, ids.len())
        ),
        values,
    )
    .await?;
    rows.iter().map(draft_from).collect()
}

pub async fn drafts_of(tx: &TenantTx, applicant: Uuid) -> Result<Vec<Draft>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {DRAFT_COLUMNS} FROM intake_drafts WHERE tenant_id = $1 AND applicant_id = $2 \
             AND submitted_application_id IS NULL ORDER BY updated_at DESC"
        ),
        vec![tid(tx), applicant.into()],
    )
    .await?;
    rows.iter().map(draft_from).collect()
}

pub async fn save_draft(
    tx: &TenantTx,
    applicant: Uuid,
    id: Uuid,
    form_data: &BTreeMap<String, String>,
    step: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let data = serde_json::to_string(form_data).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let n = exec(
        tx.conn(),
        "UPDATE intake_drafts SET form_data = $1, step = $2, updated_at = $3 \
         WHERE tenant_id = $4 AND id = $5 AND applicant_id = $6 AND submitted_application_id IS NULL",
        vec![
            data.into(),
            step.into(),
            now.into(),
            tid(tx),
            id.into(),
            applicant.into(),
        ],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Applications

#[derive(Debug, Clone)]
pub struct NewApplication {
    pub applicant_id: Uuid,
    pub service_key: String,
    pub service_version: i32,
    pub form_data: BTreeMap<String, String>,
    pub idempotency_key: String,
    pub draft_id: Option<Uuid>,
    pub fee_code: String,
    pub fee_cents: i64,
    pub fee_exemption: Option<String>,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: Uuid,
    pub reference: String,
    pub applicant_id: Uuid,
    pub service_key: String,
    pub service_version: i32,
    pub form_data: BTreeMap<String, String>,
    pub state: String,
    pub draft_id: Option<Uuid>,
    pub fee_code: String,
    pub fee_cents: i64,
    pub fee_exemption: Option<String>,
    pub language: String,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const APPLICATION_COLUMNS: &str = "id, reference, applicant_id, service_key, service_version, form_data, state, \
     draft_id, fee_code, fee_cents, fee_exemption, language, submitted_at, updated_at";

fn application_from(row: &QueryResult) -> Result<Application, StoreError> {
    Ok(Application {
        id: get(row, "id")?,
        reference: get(row, "reference")?,
        applicant_id: get(row, "applicant_id")?,
        service_key: get(row, "service_key")?,
        service_version: get(row, "service_version")?,
        form_data: json_map(&get::<String>(row, "form_data")?)?,
        state: get(row, "state")?,
        draft_id: get(row, "draft_id")?,
        fee_code: get(row, "fee_code")?,
        fee_cents: get(row, "fee_cents")?,
        fee_exemption: get(row, "fee_exemption")?,
        language: get(row, "language")?,
        submitted_at: get(row, "submitted_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

/// A short human reference such as `A-2026-7F3K9Q`, derived from the id.
fn reference_for(id: Uuid, now: DateTime<Utc>) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let bytes = id.as_bytes();
    let code: String = bytes[10..16]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("A-{}-{code}", now.format("%Y"))
}

/// Submits an application. The idempotency key is unique per applicant: a repeated submission
/// with the same key returns the application made the first time (`false`: nothing new) and
/// changes nothing.
pub async fn submit_application(
    tx: &TenantTx,
    new: NewApplication,
    now: DateTime<Utc>,
) -> Result<(Application, bool), StoreError> {
    if let Some(existing) = application_by_key(tx, new.applicant_id, &new.idempotency_key).await? {
        return Ok((existing, false));
    }
    let (applicant, key) = (new.applicant_id, new.idempotency_key.clone());
    match submit_applications(tx, vec![new], now)
        .await?
        .pop()
        .flatten()
    {
        Some(app) => Ok((app, true)),
        None => {
            // A concurrent submission with the same key won the race.
            let existing = application_by_key(tx, applicant, &key)
                .await?
                .ok_or(StoreError::Conflict("submission_in_progress"))?;
            Ok((existing, false))
        }
    }
}

/// `$from, $from+1, …`: `count` numbered placeholders.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inserts many applications with one statement and moves their drafts, evidence and paid
/// payments over to them (one statement each, whatever the count). An application whose
/// idempotency key exists already (a concurrent submission committed it first) is skipped: its
/// place in the answer is `None`. The caller checks the keys first and passes each key once.
pub async fn submit_applications(
    tx: &TenantTx,
    news: Vec<NewApplication>,
    now: DateTime<Utc>,
) -> Result<Vec<Option<Application>>, StoreError> {
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<Value> = vec![tid(tx), now.into(), state::SUBMITTED.into()];
    let mut rows = Vec::with_capacity(news.len());
    let mut apps = Vec::with_capacity(news.len());
    for new in news {
        let id = Uuid::now_v7();
        let data = serde_json::to_string(&new.form_data)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let at = values.len() + 1;
        rows.push(format!(
            "($1, ${at}, ${}, ${}, ${}, ${}, ${}, $3, ${}, ${}, ${}, ${}, ${}, ${}, $2, $2)",
            at + 1,
            at + 2,
            at + 3,
            at + 4,
            at + 5,
            at + 6,
            at + 7,
            at + 8,
            at + 9,
            at + 10,
            at + 11
        ));
        let reference = reference_for(id, now);
        values.extend([
            id.into(),
            reference.as_str().into(),
            new.applicant_id.into(),
            new.service_key.as_str().into(),
            new.service_version.into(),
            data.into(),
            new.idempotency_key.as_str().into(),
            new.draft_id.into(),
            new.fee_code.as_str().into(),
            new.fee_cents.into(),
            new.fee_exemption.clone().into(),
            new.language.as_str().into(),
        ]);
        apps.push(Application {
            id,
            reference,
            applicant_id: new.applicant_id,
            service_key: new.service_key,
            service_version: new.service_version,
            form_data: new.form_data,
            state: state::SUBMITTED.to_owned(),
            draft_id: new.draft_id,
            fee_code: new.fee_code,
            fee_cents: new.fee_cents,
            fee_exemption: new.fee_exemption,
            language: new.language,
            submitted_at: now,
            updated_at: now,
        });
    }
    let inserted = all(
        tx.conn(),
        &format!(
            "INSERT INTO applications (tenant_id, id, reference, applicant_id, service_key, service_version, \
             form_data, state, idempotency_key, draft_id, fee_code, fee_cents, fee_exemption, language, \
             submitted_at, updated_at) VALUES {} \
             ON CONFLICT (tenant_id, applicant_id, idempotency_key) DO NOTHING RETURNING id",
            rows.join(", ")
        ),
        values,
    )
    .await?
    .iter()
    .map(|r| get::<Uuid>(r, "id"))
    .collect::<Result<BTreeSet<_>, _>>()?;
    let moved: Vec<(Uuid, Uuid)> = apps
        .iter()
        .filter(|a| inserted.contains(&a.id))
        .filter_map(|a| a.draft_id.map(|draft| (draft, a.id)))
        .collect();
    if !moved.is_empty() {
        // `CASE key WHEN draft THEN application …`: one statement for the whole batch.
        let mut values: Vec<Value> = vec![tid(tx), now.into()];
        let mut cases = String::new();
        for (draft, app) in &moved {
            cases.push_str(&format!(
                " WHEN ${} THEN ${}",
                values.len() + 1,
                values.len() + 2
            ));
            values.extend([(*draft).into(), (*app).into()]);
        }
        let drafts = placeholders(values.len() + 1, moved.len());
        values.extend(moved.iter().map(|(draft, _)| Value::from(*draft)));
        let marked = exec(
            tx.conn(),
            &format!(
                "UPDATE intake_drafts SET submitted_application_id = CASE id{cases} END, updated_at = $2 \
                 WHERE tenant_id = $1 AND id IN ({drafts}) AND submitted_application_id IS NULL"
            ),
            values.clone(),
        )
        .await?;
        if marked != moved.len() as u64 {
            // A concurrent transaction submitted one of the drafts under another key first.
            return Err(StoreError::Conflict("draft_already_submitted"));
        }
        exec(
            tx.conn(),
            &format!(
                "UPDATE evidence_documents SET application_id = CASE draft_id{cases} END \
                 WHERE tenant_id = $1 AND draft_id IN ({drafts})"
            ),
            values.clone(),
        )
        .await?;
        exec(
            tx.conn(),
            &format!(
                "UPDATE payments SET application_id = CASE draft_id{cases} END \
                 WHERE tenant_id = $1 AND draft_id IN ({drafts}) AND state = 'paid'"
            ),
            values,
        )
        .await?;
    }
    Ok(apps
        .into_iter()
        .map(|a| inserted.contains(&a.id).then_some(a))
        .collect())
}

/// The applications of many (applicant, idempotency key) pairs, in one statement; each with its key.
pub async fn applications_by_keys(
    tx: &TenantTx,
    keys: &[(Uuid, String)],
) -> Result<Vec<(String, Application)>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let applicants: BTreeSet<Uuid> = keys.iter().map(|(a, _)| *a).collect();
    let names: BTreeSet<&str> = keys.iter().map(|(_, k)| k.as_str()).collect();
    let mut values = vec![tid(tx)];
    let applicant_list = placeholders(2, applicants.len());
    values.extend(applicants.iter().map(|a| Value::from(*a)));
    let key_list = placeholders(values.len() + 1, names.len());
    values.extend(names.iter().map(|k| Value::from(*k)));
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPLICATION_COLUMNS}, idempotency_key FROM applications WHERE tenant_id = $1 \
             AND applicant_id IN ({applicant_list}) AND idempotency_key IN ({key_list})"
        ),
        values,
    )
    .await?;
    let mut found = Vec::new();
    for row in &rows {
        let key: String = get(row, "idempotency_key")?;
        let app = application_from(row)?;
        if keys
            .iter()
            .any(|(a, k)| *a == app.applicant_id && *k == key)
        {
            found.push((key, app));
        }
    }
    Ok(found)
}

/// Many applications by id, in one statement (missing ones are left out).
pub async fn applications_by_ids(
    tx: &TenantTx,
    ids: &[Uuid],
) -> Result<Vec<Application>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = vec![tid(tx)];
    values.extend(ids.iter().map(|id| Value::from(*id)));
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE tenant_id = $1 AND id IN ({})",
            placeholders(2, ids.len())
        ),
        values,
    )
    .await?;
    rows.iter().map(application_from).collect()
}

pub async fn application_by_key(
    tx: &TenantTx,
    applicant: Uuid,
    key: &str,
) -> Result<Option<Application>, StoreError> {
    let row = one(
        tx.conn(),
        &format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE tenant_id = $1 AND applicant_id = $2 AND idempotency_key = $3"
        ),
        vec![tid(tx), applicant.into(), key.into()],
    )
    .await?;
    row.as_ref().map(application_from).transpose()
}

/// Any application of the tenant (staff).
pub async fn application(tx: &TenantTx, id: Uuid) -> Result<Application, StoreError> {
    let row = one(
        tx.conn(),
        &format!("SELECT {APPLICATION_COLUMNS} FROM applications WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    application_from(&row)
}

/// An application of this applicant; another applicant's is not found.
pub async fn own_application(
    tx: &TenantTx,
    applicant: Uuid,
    id: Uuid,
) -> Result<Application, StoreError> {
    let app = application(tx, id).await?;
    if app.applicant_id == applicant {
        Ok(app)
    } else {
        Err(StoreError::NotFound)
    }
}

pub async fn applications_of(
    tx: &TenantTx,
    applicant: Uuid,
) -> Result<Vec<Application>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE tenant_id = $1 AND applicant_id = $2 \
             ORDER BY submitted_at DESC"
        ),
        vec![tid(tx), applicant.into()],
    )
    .await?;
    rows.iter().map(application_from).collect()
}

/// An evidence document as case processing sees it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRef {
    pub id: Uuid,
    /// The applicant's reply that carried the document, if any.
    pub message_id: Option<Uuid>,
    pub evidence_key: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub object_key: String,
    pub size_bytes: i64,
}

/// A submitted application with everything case processing needs to open a case.
#[derive(Debug, Clone, Serialize)]
pub struct SubmittedApplication {
    pub id: Uuid,
    pub reference: String,
    pub service_key: String,
    pub applicant_account_id: Uuid,
    pub form_data: serde_json::Value,
    pub evidence: Vec<EvidenceRef>,
    pub state: String,
    pub fee_cents: i64,
    pub paid_cents: i64,
    pub language: String,
    pub submitted_at: DateTime<Utc>,
}

/// Stable interface for case processing (issue 5).
pub async fn submitted_application(
    tx: &TenantTx,
    id: Uuid,
) -> Result<SubmittedApplication, StoreError> {
    let app = application(tx, id).await?;
    let evidence = application_evidence(tx, id).await?;
    let paid = paid_cents(tx, id).await?;
    let form_data =
        serde_json::to_value(&app.form_data).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(SubmittedApplication {
        id: app.id,
        reference: app.reference,
        service_key: app.service_key,
        applicant_account_id: app.applicant_id,
        form_data,
        evidence,
        state: app.state,
        fee_cents: app.fee_cents,
        paid_cents: paid,
        language: app.language,
        submitted_at: app.submitted_at,
    })
}

/// Moves an application to another state (one of [`state::ALL`]).
pub async fn set_application_state(
    tx: &TenantTx,
    id: Uuid,
    new_state: &str,
) -> Result<(), StoreError> {
    if !state::ALL.contains(&new_state) {
        return Err(StoreError::Conflict("invalid_state"));
    }
    let n = exec(
        tx.conn(),
        "UPDATE applications SET state = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
        vec![new_state.into(), Utc::now().into(), tid(tx), id.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// One row of the intake inbox; no form data, so listing it is not a read of personal data.
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    pub id: Uuid,
    pub reference: String,
    pub service_key: String,
    pub state: String,
    pub evidence_count: i64,
    pub fee_cents: i64,
    pub paid_cents: i64,
    pub submitted_at: DateTime<Utc>,
    /// Applicant replies no staff member has opened yet (the inbox marker).
    pub unread_replies: i64,
}

/// The tenant's applications, newest first, optionally of one state.
pub async fn inbox(
    tx: &TenantTx,
    only_state: Option<&str>,
    limit: u64,
) -> Result<Vec<InboxItem>, StoreError> {
    let limit = i64::try_from(limit.min(500)).unwrap_or(500);
    let mut sql = String::from(
        "SELECT a.id, a.reference, a.service_key, a.state, a.fee_cents, a.submitted_at, \
         (SELECT count(*) FROM evidence_documents e WHERE e.tenant_id = a.tenant_id AND e.application_id = a.id) AS evidence_count, \
         (SELECT CAST(coalesce(sum(p.amount_cents), 0) AS BIGINT) FROM payments p WHERE p.tenant_id = a.tenant_id AND p.application_id = a.id AND p.state = 'paid') AS paid_cents, \
         (SELECT count(*) FROM application_messages m WHERE m.tenant_id = a.tenant_id AND m.application_id = a.id \
          AND m.direction = 'from_applicant' AND m.read_at IS NULL) AS unread_replies \
         FROM applications a WHERE a.tenant_id = $1",
    );
    let mut values = vec![tid(tx)];
    if let Some(s) = only_state {
        sql.push_str(" AND a.state = $2 ORDER BY a.submitted_at DESC LIMIT $3");
        values.push(s.into());
    } else {
        sql.push_str(" ORDER BY a.submitted_at DESC LIMIT $2");
    }
    values.push(limit.into());
    let rows = all(tx.conn(), &sql, values).await?;
    rows.iter()
        .map(|r| {
            Ok(InboxItem {
                id: get(r, "id")?,
                reference: get(r, "reference")?,
                service_key: get(r, "service_key")?,
                state: get(r, "state")?,
                evidence_count: get(r, "evidence_count")?,
                fee_cents: get(r, "fee_cents")?,
                paid_cents: get(r, "paid_cents")?,
                submitted_at: get(r, "submitted_at")?,
                unread_replies: get(r, "unread_replies")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Evidence

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub applicant_id: Option<Uuid>,
    pub draft_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub evidence_key: String,
    pub object_key: String,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub size_bytes: i64,
    /// `portal`, `message`, `scan`.
    pub source: String,
}

pub async fn add_evidence(
    tx: &TenantTx,
    id: Uuid,
    new: NewEvidence,
    now: DateTime<Utc>,
) -> Result<EvidenceRef, StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO evidence_documents (tenant_id, id, applicant_id, draft_id, application_id, message_id, \
         evidence_key, object_key, sha256, content_type, file_name, size_bytes, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        vec![
            tid(tx),
            id.into(),
            new.applicant_id.into(),
            new.draft_id.into(),
            new.application_id.into(),
            new.message_id.into(),
            new.evidence_key.as_str().into(),
            new.object_key.as_str().into(),
            new.sha256.as_str().into(),
            new.content_type.as_str().into(),
            new.file_name.as_str().into(),
            new.size_bytes.into(),
            new.source.as_str().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(EvidenceRef {
        id,
        message_id: new.message_id,
        evidence_key: new.evidence_key,
        file_name: new.file_name,
        content_type: new.content_type,
        sha256: new.sha256,
        object_key: new.object_key,
        size_bytes: new.size_bytes,
    })
}

const EVIDENCE_COLUMNS: &str =
    "id, message_id, evidence_key, file_name, content_type, sha256, object_key, size_bytes";

fn evidence_from(r: &QueryResult) -> Result<EvidenceRef, StoreError> {
    Ok(EvidenceRef {
        id: get(r, "id")?,
        message_id: get(r, "message_id")?,
        evidence_key: get(r, "evidence_key")?,
        file_name: get(r, "file_name")?,
        content_type: get(r, "content_type")?,
        sha256: get(r, "sha256")?,
        object_key: get(r, "object_key")?,
        size_bytes: get(r, "size_bytes")?,
    })
}

pub async fn draft_evidence(tx: &TenantTx, draft: Uuid) -> Result<Vec<EvidenceRef>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_documents WHERE tenant_id = $1 AND draft_id = $2 ORDER BY created_at"
        ),
        vec![tid(tx), draft.into()],
    )
    .await?;
    rows.iter().map(evidence_from).collect()
}

/// The evidence of many drafts, in one statement: (draft, document) pairs.
pub async fn evidence_of_drafts(
    tx: &TenantTx,
    drafts: &[Uuid],
) -> Result<Vec<(Uuid, EvidenceRef)>, StoreError> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = vec![tid(tx)];
    values.extend(drafts.iter().map(|id| Value::from(*id)));
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT draft_id, {EVIDENCE_COLUMNS} FROM evidence_documents WHERE tenant_id = $1 \
             AND draft_id IN ({}) ORDER BY created_at",
            placeholders(2, drafts.len())
        ),
        values,
    )
    .await?;
    rows.iter()
        .map(|r| Ok((get(r, "draft_id")?, evidence_from(r)?)))
        .collect()
}

pub async fn application_evidence(
    tx: &TenantTx,
    application: Uuid,
) -> Result<Vec<EvidenceRef>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_documents WHERE tenant_id = $1 AND application_id = $2 ORDER BY created_at"
        ),
        vec![tid(tx), application.into()],
    )
    .await?;
    rows.iter().map(evidence_from).collect()
}

/// One evidence document of an application (staff download).
pub async fn evidence_of_application(
    tx: &TenantTx,
    application: Uuid,
    id: Uuid,
) -> Result<EvidenceRef, StoreError> {
    let row = one(
        tx.conn(),
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_documents WHERE tenant_id = $1 AND application_id = $2 AND id = $3"
        ),
        vec![tid(tx), application.into(), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    evidence_from(&row)
}

pub async fn delete_draft_evidence(
    tx: &TenantTx,
    draft: Uuid,
    id: Uuid,
) -> Result<EvidenceRef, StoreError> {
    let row = one(
        tx.conn(),
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_documents WHERE tenant_id = $1 AND draft_id = $2 AND id = $3 AND application_id IS NULL"
        ),
        vec![tid(tx), draft.into(), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    exec(
        tx.conn(),
        "DELETE FROM evidence_documents WHERE tenant_id = $1 AND id = $2",
        vec![tid(tx), id.into()],
    )
    .await?;
    evidence_from(&row)
}

// ---------------------------------------------------------------------------------------------
// Payments

#[derive(Debug, Clone, Serialize)]
pub struct Payment {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub draft_id: Uuid,
    pub application_id: Option<Uuid>,
    pub fee_code: String,
    pub amount_cents: i64,
    pub currency: String,
    pub state: String,
    pub provider_txn: Option<String>,
    pub updated_at: DateTime<Utc>,
}

const PAYMENT_COLUMNS: &str = "id, applicant_id, draft_id, application_id, fee_code, amount_cents, currency, state, provider_txn, updated_at";

fn payment_from(r: &QueryResult) -> Result<Payment, StoreError> {
    Ok(Payment {
        id: get(r, "id")?,
        applicant_id: get(r, "applicant_id")?,
        draft_id: get(r, "draft_id")?,
        application_id: get(r, "application_id")?,
        fee_code: get(r, "fee_code")?,
        amount_cents: get(r, "amount_cents")?,
        currency: get(r, "currency")?,
        state: get(r, "state")?,
        provider_txn: get(r, "provider_txn")?,
        updated_at: get(r, "updated_at")?,
    })
}

pub async fn create_payment(
    tx: &TenantTx,
    applicant: Uuid,
    draft: Uuid,
    fee_code: &str,
    amount_cents: i64,
    now: DateTime<Utc>,
) -> Result<Payment, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO payments (tenant_id, id, applicant_id, draft_id, fee_code, amount_cents, currency, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'EUR', 'pending', $7, $7)",
        vec![
            tid(tx),
            id.into(),
            applicant.into(),
            draft.into(),
            fee_code.into(),
            amount_cents.into(),
            now.into(),
        ],
    )
    .await?;
    payment(tx, id).await
}

pub async fn payment(tx: &TenantTx, id: Uuid) -> Result<Payment, StoreError> {
    let row = one(
        tx.conn(),
        &format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    payment_from(&row)
}

pub async fn draft_payments(tx: &TenantTx, draft: Uuid) -> Result<Vec<Payment>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1 AND draft_id = $2 ORDER BY created_at"
        ),
        vec![tid(tx), draft.into()],
    )
    .await?;
    rows.iter().map(payment_from).collect()
}

/// The payments of many drafts, in one statement.
pub async fn payments_of_drafts(
    tx: &TenantTx,
    drafts: &[Uuid],
) -> Result<Vec<Payment>, StoreError> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = vec![tid(tx)];
    values.extend(drafts.iter().map(|id| Value::from(*id)));
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1 AND draft_id IN ({}) \
             ORDER BY created_at",
            placeholders(2, drafts.len())
        ),
        values,
    )
    .await?;
    rows.iter().map(payment_from).collect()
}

/// What a callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackEffect {
    /// The payment moved to the reported state.
    Applied,
    /// The same event was seen before: nothing changed.
    Duplicate,
    /// The payment was already final (paid): nothing changed.
    AlreadyFinal,
}

/// Records a provider callback once per event id and applies it to a payment that is not yet
/// paid. A paid payment never goes back.
pub async fn apply_payment_callback(
    tx: &TenantTx,
    payment_id: Uuid,
    event_id: &str,
    outcome: &str,
    provider_txn: &str,
    now: DateTime<Utc>,
) -> Result<CallbackEffect, StoreError> {
    // Locks the payment row on PostgreSQL, so concurrent callbacks serialize here.
    let lock = if tx.conn().get_database_backend() == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = one(
        tx.conn(),
        &format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE tenant_id = $1 AND id = $2{lock}"),
        vec![tid(tx), payment_id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    let current = payment_from(&row)?;
    let inserted = exec(
        tx.conn(),
        "INSERT INTO payment_events (tenant_id, payment_id, event_id, outcome, received_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        vec![
            tid(tx),
            payment_id.into(),
            event_id.into(),
            outcome.into(),
            now.into(),
        ],
    )
    .await?;
    if inserted == 0 {
        return Ok(CallbackEffect::Duplicate);
    }
    if current.state == payment_state::PAID {
        return Ok(CallbackEffect::AlreadyFinal);
    }
    let settled: Option<DateTime<Utc>> = (outcome == payment_state::PAID).then_some(now);
    exec(
        tx.conn(),
        "UPDATE payments SET state = $1, provider_txn = $2, updated_at = $3, settled_at = $4 \
         WHERE tenant_id = $5 AND id = $6",
        vec![
            outcome.into(),
            provider_txn.into(),
            now.into(),
            settled.into(),
            tid(tx),
            payment_id.into(),
        ],
    )
    .await?;
    Ok(CallbackEffect::Applied)
}

async fn paid_cents(tx: &TenantTx, application: Uuid) -> Result<i64, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT CAST(coalesce(sum(amount_cents), 0) AS BIGINT) AS paid FROM payments \
         WHERE tenant_id = $1 AND application_id = $2 AND state = 'paid'",
        vec![tid(tx), application.into()],
    )
    .await?;
    match row {
        Some(r) => get(&r, "paid"),
        None => Ok(0),
    }
}

/// One line of the reconciliation of payments against applications.
#[derive(Debug, Clone, Serialize)]
pub struct ReconciliationLine {
    pub application_id: Option<Uuid>,
    pub reference: Option<String>,
    pub payment_id: Option<Uuid>,
    pub fee_cents: i64,
    pub paid_cents: i64,
    /// `ok`, `unpaid`, `overpaid`, `paid_without_application`.
    pub status: String,
}

/// Applications whose paid sum differs from the fee, and paid payments without an application.
pub async fn reconcile_payments(tx: &TenantTx) -> Result<Vec<ReconciliationLine>, StoreError> {
    let mut out = Vec::new();
    let rows = all(
        tx.conn(),
        "SELECT a.id, a.reference, a.fee_cents, \
         (SELECT CAST(coalesce(sum(p.amount_cents), 0) AS BIGINT) FROM payments p WHERE p.tenant_id = a.tenant_id AND p.application_id = a.id AND p.state = 'paid') AS paid \
         FROM applications a WHERE a.tenant_id = $1 ORDER BY a.submitted_at",
        vec![tid(tx)],
    )
    .await?;
    for r in &rows {
        let fee: i64 = get(r, "fee_cents")?;
        let paid: i64 = get(r, "paid")?;
        let status = match paid.cmp(&fee) {
            std::cmp::Ordering::Equal => "ok",
            std::cmp::Ordering::Less => "unpaid",
            std::cmp::Ordering::Greater => "overpaid",
        };
        out.push(ReconciliationLine {
            application_id: Some(get(r, "id")?),
            reference: Some(get(r, "reference")?),
            payment_id: None,
            fee_cents: fee,
            paid_cents: paid,
            status: status.into(),
        });
    }
    let orphans = all(
        tx.conn(),
        "SELECT id, amount_cents FROM payments WHERE tenant_id = $1 AND state = 'paid' AND application_id IS NULL",
        vec![tid(tx)],
    )
    .await?;
    for r in &orphans {
        out.push(ReconciliationLine {
            application_id: None,
            reference: None,
            payment_id: Some(get(r, "id")?),
            fee_cents: 0,
            paid_cents: get(r, "amount_cents")?,
            status: "paid_without_application".into(),
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Messages

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: Uuid,
    pub application_id: Uuid,
    /// `to_applicant` or `from_applicant`.
    pub direction: String,
    pub author: String,
    pub body: String,
    pub due_at: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// An e-file document delivered with the message (a notice).
    pub document_id: Option<Uuid>,
}

pub async fn add_message(
    tx: &TenantTx,
    application: Uuid,
    direction: &str,
    author: &str,
    body: &str,
    due_at: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Message, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO application_messages (tenant_id, id, application_id, direction, author, body, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            tid(tx),
            id.into(),
            application.into(),
            direction.into(),
            author.into(),
            body.into(),
            due_at.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(Message {
        id,
        application_id: application,
        direction: direction.to_owned(),
        author: author.to_owned(),
        body: body.to_owned(),
        due_at,
        created_at: now,
        document_id: None,
    })
}

/// Marks the applicant's replies on an application as seen by staff.
pub async fn mark_replies_read(
    tx: &TenantTx,
    application: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    exec(
        tx.conn(),
        "UPDATE application_messages SET read_at = $1 WHERE tenant_id = $2 AND application_id = $3 \
         AND direction = 'from_applicant' AND read_at IS NULL",
        vec![now.into(), tid(tx), application.into()],
    )
    .await
}

/// How many of the applicant's replies on an application no staff member has opened yet.
pub async fn unread_replies(tx: &TenantTx, application: Uuid) -> Result<i64, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT count(*) AS unread FROM application_messages WHERE tenant_id = $1 \
         AND application_id = $2 AND direction = 'from_applicant' AND read_at IS NULL",
        vec![tid(tx), application.into()],
    )
    .await?;
    row.map(|r| get(&r, "unread"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Who last wrote to the applicant from the authority (`role:user-id`), to notify of a reply.
pub async fn last_staff_author(
    tx: &TenantTx,
    application: Uuid,
) -> Result<Option<String>, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT author FROM application_messages WHERE tenant_id = $1 AND application_id = $2 \
         AND direction = 'to_applicant' ORDER BY created_at DESC LIMIT 1",
        vec![tid(tx), application.into()],
    )
    .await?;
    row.map(|r| get(&r, "author")).transpose()
}

pub async fn messages(tx: &TenantTx, application: Uuid) -> Result<Vec<Message>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT id, application_id, direction, author, body, due_at, created_at, document_id \
         FROM application_messages WHERE tenant_id = $1 AND application_id = $2 ORDER BY created_at",
        vec![tid(tx), application.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Message {
                id: get(r, "id")?,
                application_id: get(r, "application_id")?,
                direction: get(r, "direction")?,
                author: get(r, "author")?,
                body: get(r, "body")?,
                due_at: get(r, "due_at")?,
                created_at: get(r, "created_at")?,
                document_id: get(r, "document_id")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Appointments

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub languages: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hours {
    pub resource_id: Uuid,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: i32,
    pub opens: String,
    pub closes: String,
    pub slot_minutes: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Appointment {
    pub id: Uuid,
    pub resource_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub applicant_id: Uuid,
    pub application_id: Option<Uuid>,
    pub state: String,
}

pub async fn add_resource(
    tx: &TenantTx,
    kind: &str,
    name: &str,
    languages: &str,
) -> Result<Resource, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO appointment_resources (tenant_id, id, kind, name, languages, active) VALUES ($1, $2, $3, $4, $5, true)",
        vec![tid(tx), id.into(), kind.into(), name.into(), languages.into()],
    )
    .await?;
    Ok(Resource {
        id,
        kind: kind.into(),
        name: name.into(),
        languages: languages.into(),
    })
}

pub async fn add_hours(tx: &TenantTx, hours: &Hours) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO opening_hours (tenant_id, id, resource_id, weekday, opens, closes, slot_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            tid(tx),
            Uuid::now_v7().into(),
            hours.resource_id.into(),
            hours.weekday.into(),
            hours.opens.as_str().into(),
            hours.closes.as_str().into(),
            hours.slot_minutes.into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn resources(tx: &TenantTx) -> Result<Vec<Resource>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT id, kind, name, languages FROM appointment_resources WHERE tenant_id = $1 AND active ORDER BY name",
        vec![tid(tx)],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Resource {
                id: get(r, "id")?,
                kind: get(r, "kind")?,
                name: get(r, "name")?,
                languages: get(r, "languages")?,
            })
        })
        .collect()
}

/// Takes a resource out of booking (its history and booked appointments stay).
pub async fn deactivate_resource(tx: &TenantTx, id: Uuid) -> Result<(), StoreError> {
    let n = exec(
        tx.conn(),
        "UPDATE appointment_resources SET active = false WHERE tenant_id = $1 AND id = $2 AND active",
        vec![tid(tx), id.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn hours(tx: &TenantTx) -> Result<Vec<Hours>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT h.resource_id, h.weekday, h.opens, h.closes, h.slot_minutes FROM opening_hours h \
         JOIN appointment_resources r ON r.tenant_id = h.tenant_id AND r.id = h.resource_id \
         WHERE h.tenant_id = $1 AND r.active ORDER BY h.weekday, h.opens",
        vec![tid(tx)],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Hours {
                resource_id: get(r, "resource_id")?,
                weekday: get::<i32>(r, "weekday")?,
                opens: get(r, "opens")?,
                closes: get(r, "closes")?,
                slot_minutes: get(r, "slot_minutes")?,
            })
        })
        .collect()
}

fn appointment_from(r: &QueryResult) -> Result<Appointment, StoreError> {
    Ok(Appointment {
        id: get(r, "id")?,
        resource_id: get(r, "resource_id")?,
        starts_at: get(r, "starts_at")?,
        ends_at: get(r, "ends_at")?,
        applicant_id: get(r, "applicant_id")?,
        application_id: get(r, "application_id")?,
        state: get(r, "state")?,
    })
}

const APPOINTMENT_COLUMNS: &str =
    "id, resource_id, starts_at, ends_at, applicant_id, application_id, state";

/// Books a slot. The partial unique index refuses a second booked appointment for the same
/// resource and start, whatever the concurrency: the loser gets `Conflict("slot_taken")`.
pub async fn book(
    tx: &TenantTx,
    resource: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    applicant: Uuid,
    application: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Appointment, StoreError> {
    let id = Uuid::now_v7();
    let inserted = exec(
        tx.conn(),
        "INSERT INTO appointments (tenant_id, id, resource_id, starts_at, ends_at, applicant_id, application_id, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8, $8) \
         ON CONFLICT (tenant_id, resource_id, starts_at) WHERE state = 'booked' DO NOTHING",
        vec![
            tid(tx),
            id.into(),
            resource.into(),
            starts_at.into(),
            ends_at.into(),
            applicant.into(),
            application.into(),
            now.into(),
        ],
    )
    .await?;
    if inserted == 0 {
        return Err(StoreError::Conflict("slot_taken"));
    }
    Ok(Appointment {
        id,
        resource_id: resource,
        starts_at,
        ends_at,
        applicant_id: applicant,
        application_id: application,
        state: "booked".into(),
    })
}

pub async fn cancel_appointment(
    tx: &TenantTx,
    applicant: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = exec(
        tx.conn(),
        "UPDATE appointments SET state = 'cancelled', updated_at = $1 \
         WHERE tenant_id = $2 AND id = $3 AND applicant_id = $4 AND state = 'booked'",
        vec![now.into(), tid(tx), id.into(), applicant.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Booked appointments from `from` to `until` (all resources).
pub async fn booked_between(
    tx: &TenantTx,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Appointment>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE tenant_id = $1 AND state = 'booked' \
             AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at"
        ),
        vec![tid(tx), from.into(), until.into()],
    )
    .await?;
    rows.iter().map(appointment_from).collect()
}

/// Booked appointments starting after `now` and up to `until` that have not been reminded yet.
pub async fn due_reminders(
    tx: &TenantTx,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Appointment>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE tenant_id = $1 AND state = 'booked' \
             AND reminded_at IS NULL AND starts_at > $2 AND starts_at <= $3 ORDER BY starts_at LIMIT 500"
        ),
        vec![tid(tx), now.into(), until.into()],
    )
    .await?;
    rows.iter().map(appointment_from).collect()
}

/// Marks an appointment as reminded; `false` when it already was (another worker was first).
pub async fn mark_reminded(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = exec(
        tx.conn(),
        "UPDATE appointments SET reminded_at = $1 WHERE tenant_id = $2 AND id = $3 AND reminded_at IS NULL",
        vec![now.into(), tid(tx), id.into()],
    )
    .await?;
    Ok(n == 1)
}

pub async fn appointments_of(
    tx: &TenantTx,
    applicant: Uuid,
) -> Result<Vec<Appointment>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE tenant_id = $1 AND applicant_id = $2 AND state = 'booked' ORDER BY starts_at"
        ),
        vec![tid(tx), applicant.into()],
    )
    .await?;
    rows.iter().map(appointment_from).collect()
}

// ---------------------------------------------------------------------------------------------
// Pickup codes

pub async fn add_pickup_code(
    tx: &TenantTx,
    application: Uuid,
    code_hash: &str,
    location: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO pickup_codes (tenant_id, id, application_id, code_hash, location, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            tid(tx),
            id.into(),
            application.into(),
            code_hash.into(),
            location.into(),
            now.into(),
        ],
    )
    .await
    .map_err(|e| match e {
        StoreError::Db(db) => StoreError::from_insert(db, "pickup_code_taken"),
        other => other,
    })?;
    Ok(id)
}

/// The pickup location of an application's open code, if any (the code itself is only shown once).
pub async fn pickup_location(
    tx: &TenantTx,
    application: Uuid,
) -> Result<Option<String>, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT location FROM pickup_codes WHERE tenant_id = $1 AND application_id = $2 AND collected_at IS NULL",
        vec![tid(tx), application.into()],
    )
    .await?;
    row.map(|r| get(&r, "location")).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_for_sqlite() {
        assert_eq!(
            rewrite(DbBackend::Sqlite, "a = $1 AND b = $12"),
            "a = ?1 AND b = ?12"
        );
        assert_eq!(rewrite(DbBackend::Postgres, "a = $1"), "a = $1");
    }
}

// ---------------------------------------------------------------------------------------------
// Self-service terminals (kiosk mode)

#[derive(Debug, Clone, Serialize)]
pub struct KioskTerminal {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn terminal(row: &QueryResult) -> Result<KioskTerminal, StoreError> {
    Ok(KioskTerminal {
        id: get(row, "id")?,
        name: get(row, "name")?,
        created_at: get(row, "created_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

/// Registers a terminal; only the hash of its secret is kept.
pub async fn add_terminal(
    tx: &TenantTx,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<KioskTerminal, StoreError> {
    let id = Uuid::now_v7();
    exec(
        tx.conn(),
        "INSERT INTO kiosk_terminals (tenant_id, id, name, token_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
        vec![
            tid(tx),
            id.into(),
            name.into(),
            token_hash.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(KioskTerminal {
        id,
        name: name.to_owned(),
        created_at: now,
        revoked_at: None,
    })
}

/// The tenant's terminals, newest first, revoked ones included.
pub async fn terminals(tx: &TenantTx) -> Result<Vec<KioskTerminal>, StoreError> {
    all(
        tx.conn(),
        "SELECT id, name, created_at, revoked_at FROM kiosk_terminals WHERE tenant_id = $1 \
         ORDER BY created_at DESC",
        vec![tid(tx)],
    )
    .await?
    .iter()
    .map(terminal)
    .collect()
}

/// The live (not revoked) terminal with this secret's hash.
pub async fn live_terminal(
    tx: &TenantTx,
    token_hash: &str,
) -> Result<Option<KioskTerminal>, StoreError> {
    one(
        tx.conn(),
        "SELECT id, name, created_at, revoked_at FROM kiosk_terminals WHERE tenant_id = $1 \
         AND token_hash = $2 AND revoked_at IS NULL",
        vec![tid(tx), token_hash.into()],
    )
    .await?
    .as_ref()
    .map(terminal)
    .transpose()
}

/// Takes a terminal out of service; its URL and its browsers' kiosk cookie stop working.
pub async fn revoke_terminal(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changed = exec(
        tx.conn(),
        "UPDATE kiosk_terminals SET revoked_at = $1 WHERE tenant_id = $2 AND id = $3 \
         AND revoked_at IS NULL",
        vec![now.into(), tid(tx), id.into()],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
