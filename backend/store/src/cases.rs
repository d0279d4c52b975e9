//! Case processing: persons (Ausländerdatei A/B), cases and their routing history, the e-file,
//! retention reviews and transfer requests. Every function takes the caller's [`TenantTx`] and
//! filters `tenant_id` explicitly; plain SQL that runs on PostgreSQL and SQLite alike (`$n` is
//! rewritten to `?n` for SQLite).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use serde::Serialize;
use uuid::Uuid;

use amtsweg_domain::COUNT_LIMIT;

use crate::{StoreError, TenantTx};

fn rewrite(backend: DbBackend, sql: &str) -> String {
    if backend != DbBackend::Sqlite {
        return sql.to_owned();
    }
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

pub(crate) async fn exec(tx: &TenantTx, sql: &str, values: Vec<Value>) -> Result<u64, StoreError> {
    Ok(tx
        .conn()
        .execute_raw(stmt(tx.conn(), sql, values))
        .await?
        .rows_affected())
}

pub(crate) async fn all(
    tx: &TenantTx,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    Ok(tx
        .conn()
        .query_all_raw(stmt(tx.conn(), sql, values))
        .await?)
}

pub(crate) async fn one(
    tx: &TenantTx,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, StoreError> {
    Ok(tx
        .conn()
        .query_one_raw(stmt(tx.conn(), sql, values))
        .await?)
}

pub(crate) fn tid(tx: &TenantTx) -> Value {
    tx.tenant_id().0.into()
}

pub(crate) fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> Result<T, StoreError> {
    Ok(row.try_get::<T>("", col)?)
}

fn is_pg(tx: &TenantTx) -> bool {
    tx.conn().get_database_backend() == DbBackend::Postgres
}

// ---------------------------------------------------------------------------------------------
// Persons

#[derive(Debug, Clone, Serialize)]
pub struct Person {
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
    pub register: String,
    pub register_reason: Option<String>,
    pub register_changed_at: Option<DateTime<Utc>>,
    pub handover_to: Option<String>,
    pub created_at: DateTime<Utc>,
}

const PERSON_COLUMNS: &str = "id, file_number, azr_number, family_name, given_names, birth_name, birth_date, \
    birth_place, birth_country, sex, nationality, register, register_reason, register_changed_at, handover_to, created_at";

fn person_from(row: &QueryResult) -> Result<Person, StoreError> {
    Ok(Person {
        id: get(row, "id")?,
        file_number: get(row, "file_number")?,
        azr_number: get(row, "azr_number")?,
        family_name: get(row, "family_name")?,
        given_names: get(row, "given_names")?,
        birth_name: get(row, "birth_name")?,
        birth_date: get(row, "birth_date")?,
        birth_place: get(row, "birth_place")?,
        birth_country: get(row, "birth_country")?,
        sex: get(row, "sex")?,
        nationality: get(row, "nationality")?,
        register: get(row, "register")?,
        register_reason: get(row, "register_reason")?,
        register_changed_at: get(row, "register_changed_at")?,
        handover_to: get(row, "handover_to")?,
        created_at: get(row, "created_at")?,
    })
}

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub azr_number: Option<String>,
    pub family_name: String,
    pub given_names: String,
    pub birth_name: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub birth_country: Option<String>,
    pub sex: Option<String>,
    pub nationality: Option<String>,
    /// The phonetic key of the names (computed by the caller with the reconciliation engine).
    pub match_key: String,
    /// Other spellings, former names, aliases: (kind, family name, given names, match key).
    pub other_names: Vec<(String, String, String, String)>,
}

/// The next number of one of the tenant's series (`persons`, `cases`), e.g. `V2026-000042`. The
/// upsert locks the series' counter until the commit, so concurrent creators wait instead of
/// colliding, and a rolled-back creation gives its number back.
async fn next_number(tx: &TenantTx, series: &str, prefix: &str) -> Result<String, StoreError> {
    let row = one(
        tx,
        "INSERT INTO number_sequences (tenant_id, name, value) VALUES ($1, $2, 1) \
         ON CONFLICT (tenant_id, name) DO UPDATE SET value = number_sequences.value + 1 \
         RETURNING value",
        vec![tid(tx), series.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    let n: i64 = get(&row, "value")?;
    Ok(format!("{prefix}-{n:06}"))
}

pub async fn create_person(
    tx: &TenantTx,
    new: NewPerson,
    now: DateTime<Utc>,
) -> Result<Person, StoreError> {
    let id = Uuid::now_v7();
    let file_number = next_number(tx, "persons", &format!("P{}", now.format("%Y"))).await?;
    exec(
        tx,
        "INSERT INTO persons (tenant_id, id, file_number, azr_number, family_name, given_names, birth_name, \
         birth_date, birth_place, birth_country, sex, nationality, match_key, register, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'A', $14, $14)",
        vec![
            tid(tx),
            id.into(),
            file_number.into(),
            new.azr_number.into(),
            new.family_name.into(),
            new.given_names.into(),
            new.birth_name.into(),
            new.birth_date.into(),
            new.birth_place.into(),
            new.birth_country.into(),
            new.sex.into(),
            new.nationality.into(),
            new.match_key.into(),
            now.into(),
        ],
    )
    .await
    .map_err(|err| match err {
        StoreError::Db(db) => StoreError::from_insert(db, "person_exists"),
        other => other,
    })?;
    for (kind, family, given, key) in new.other_names {
        exec(
            tx,
            "INSERT INTO person_names (tenant_id, id, person_id, kind, family_name, given_names, match_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![tid(tx), Uuid::now_v7().into(), id.into(), kind.into(), family.into(), given.into(), key.into()],
        )
        .await?;
    }
    person(tx, id).await
}

pub async fn person(tx: &TenantTx, id: Uuid) -> Result<Person, StoreError> {
    let row = one(
        tx,
        &format!("SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    person_from(&row)
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherName {
    pub kind: String,
    pub family_name: String,
    pub given_names: String,
}

pub async fn other_names(tx: &TenantTx, person_id: Uuid) -> Result<Vec<OtherName>, StoreError> {
    let rows = all(
        tx,
        "SELECT kind, family_name, given_names FROM person_names WHERE tenant_id = $1 AND person_id = $2 ORDER BY kind, family_name",
        vec![tid(tx), person_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OtherName {
                kind: get(r, "kind")?,
                family_name: get(r, "family_name")?,
                given_names: get(r, "given_names")?,
            })
        })
        .collect()
}

/// Candidates for identity matching: the same AZR number, or the same phonetic key (of the main
/// name or another spelling) with the same birth date.
pub async fn match_candidates(
    tx: &TenantTx,
    azr_number: Option<&str>,
    match_key: &str,
    birth_date: Option<&str>,
) -> Result<Vec<Person>, StoreError> {
    let mut out: Vec<Person> = Vec::new();
    if let Some(azr) = azr_number.filter(|a| !a.is_empty()) {
        for row in all(
            tx,
            &format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 AND azr_number = $2"
            ),
            vec![tid(tx), azr.into()],
        )
        .await?
        {
            out.push(person_from(&row)?);
        }
    }
    let rows = all(
        tx,
        &format!(
            "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.tenant_id = $1 AND p.birth_date IS NOT DISTINCT FROM $3 \
             AND (p.match_key = $2 OR EXISTS (SELECT 1 FROM person_names n WHERE n.tenant_id = p.tenant_id \
             AND n.person_id = p.id AND n.match_key = $2)) LIMIT 20"
        ),
        vec![tid(tx), match_key.into(), birth_date.map(str::to_owned).into()],
    )
    .await?;
    for row in rows {
        let p = person_from(&row)?;
        if !out.iter().any(|o| o.id == p.id) {
            out.push(p);
        }
    }
    Ok(out)
}

/// Person search by name, file number or AZR number (full text).
pub async fn search_persons(
    tx: &TenantTx,
    query: &str,
    limit: u64,
) -> Result<Vec<Person>, StoreError> {
    let limit = i64::try_from(limit.min(200)).unwrap_or(50);
    let rows = if query.trim().is_empty() {
        all(
            tx,
            &format!("SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2"),
            vec![tid(tx), limit.into()],
        )
        .await?
    } else if is_pg(tx) {
        all(
            tx,
            &format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 AND \
                 (search @@ plainto_tsquery('german', $2) OR file_number = $3 OR azr_number = $3) \
                 ORDER BY family_name, given_names LIMIT $4"
            ),
            vec![tid(tx), query.into(), query.trim().into(), limit.into()],
        )
        .await?
    } else {
        all(
            tx,
            &format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 AND id IN \
                 (SELECT person_id FROM persons_fts WHERE persons_fts MATCH $2 AND tenant_id = $1) \
                 ORDER BY family_name, given_names LIMIT $3"
            ),
            vec![tid(tx), fts5_query(query).into(), limit.into()],
        )
        .await?
    };
    rows.iter().map(person_from).collect()
}

/// An FTS5 query of the words as quoted prefix terms (no operators from user input).
fn fts5_query(query: &str) -> String {
    query
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Moves a person to Ausländerdatei B (death, moving away, naturalization, handover).
pub async fn move_to_b(
    tx: &TenantTx,
    id: Uuid,
    reason: &str,
    handover_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = exec(
        tx,
        "UPDATE persons SET register = 'B', register_reason = $1, register_changed_at = $2, handover_to = $3, \
         updated_at = $2 WHERE tenant_id = $4 AND id = $5 AND register = 'A'",
        vec![reason.into(), now.into(), handover_to.map(str::to_owned).into(), tid(tx), id.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict("not_in_register_a"));
    }
    Ok(())
}

/// Persons in register B that moved there before `moved_before` (for the retention job), oldest
/// move first: a range of the `persons_register` index, so the daily listing reads only records old
/// enough for the shortest deletion period, not the whole register.
pub async fn register_b_before(
    tx: &TenantTx,
    moved_before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Person>, StoreError> {
    let rows = all(
        tx,
        &format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE tenant_id = $1 AND register = 'B' \
             AND register_changed_at < $2 ORDER BY register_changed_at LIMIT $3"
        ),
        vec![
            tid(tx),
            moved_before.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    )
    .await?;
    rows.iter().map(person_from).collect()
}

/// Deletes a person with everything that hangs off it; returns the object keys to remove from the
/// object store (the caller removes them after commit). A scan filed into the person's e-file goes
/// with it: its record names the bytes being deleted and holds the text read from them, and the
/// evidence of how a paper document was scanned is kept as long as the document, not longer.
pub async fn delete_person(tx: &TenantTx, id: Uuid) -> Result<Vec<String>, StoreError> {
    let mut keys = all(
        tx,
        "SELECT v.object_key FROM document_versions v JOIN documents d ON d.tenant_id = v.tenant_id \
         AND d.id = v.document_id WHERE d.tenant_id = $1 AND d.person_id = $2 \
         UNION SELECT object_key FROM scan_records WHERE tenant_id = $1 AND assigned_person_id = $2",
        vec![tid(tx), id.into()],
    )
    .await?
    .iter()
    .map(|r| get::<String>(r, "object_key"))
    .collect::<Result<Vec<_>, _>>()?;
    keys.sort();
    keys.dedup();
    for sql in [
        "DELETE FROM scan_records WHERE tenant_id = $1 AND assigned_person_id = $2",
        "DELETE FROM document_versions WHERE tenant_id = $1 AND document_id IN (SELECT id FROM documents WHERE tenant_id = $1 AND person_id = $2)",
        "DELETE FROM documents WHERE tenant_id = $1 AND person_id = $2",
        "DELETE FROM case_history WHERE tenant_id = $1 AND case_id IN (SELECT id FROM cases WHERE tenant_id = $1 AND person_id = $2)",
        "DELETE FROM cases WHERE tenant_id = $1 AND person_id = $2",
        "DELETE FROM person_names WHERE tenant_id = $1 AND person_id = $2",
        "DELETE FROM person_addresses WHERE tenant_id = $1 AND person_id = $2",
        "DELETE FROM person_titles WHERE tenant_id = $1 AND person_id = $2",
    ] {
        exec(tx, sql, vec![tid(tx), id.into()]).await?;
    }
    let n = exec(
        tx,
        "DELETE FROM persons WHERE tenant_id = $1 AND id = $2",
        vec![tid(tx), id.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(keys)
}

// ---------------------------------------------------------------------------------------------
// Process definitions

/// Records a statewide model version (platform data; idempotent).
pub async fn publish_model(
    tx: &TenantTx,
    id: &str,
    version: i32,
    name: &str,
    definition: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO process_models (id, version, name, definition, published_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id, version) DO NOTHING",
        vec![id.into(), version.into(), name.into(), definition.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// The stored definition text of a model version (what a running case is routed with).
pub async fn model_definition(tx: &TenantTx, id: &str, version: i32) -> Result<String, StoreError> {
    let row = one(
        tx,
        "SELECT definition FROM process_models WHERE id = $1 AND version = $2",
        vec![id.into(), version.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    get(&row, "definition")
}

/// The newest published version of every statewide model (platform data).
pub async fn latest_models(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(String, i32, String)>, StoreError> {
    let rows = conn
        .query_all_raw(stmt(
            conn,
            "SELECT id, version, definition FROM process_models m \
             WHERE version = (SELECT max(version) FROM process_models WHERE id = m.id) ORDER BY id",
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((get(r, "id")?, get(r, "version")?, get(r, "definition")?)))
        .collect()
}

/// Publishes a model version for the state (platform data); `false` when that version exists.
pub async fn publish_model_version(
    conn: &impl ConnectionTrait,
    id: &str,
    version: i32,
    name: &str,
    definition: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = conn
        .execute_raw(stmt(
            conn,
            "INSERT INTO process_models (id, version, name, definition, published_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id, version) DO NOTHING",
            vec![id.into(), version.into(), name.into(), definition.into(), now.into()],
        ))
        .await?
        .rows_affected();
    Ok(inserted > 0)
}

/// One version of a process the tenant adopted: the model as it is, or its own variant.
#[derive(Debug, Clone, Serialize)]
pub struct TenantProcess {
    pub id: String,
    pub version: i32,
    pub model_id: String,
    pub model_version: i32,
    /// `model` | `variant`
    pub kind: String,
    pub definition: String,
    pub adopted_at: DateTime<Utc>,
    pub adopted_by: Option<Uuid>,
    /// The model version whose update the tenant declined.
    pub kept_model_version: Option<i32>,
}

const TENANT_PROCESS_COLUMNS: &str = "id, version, model_id, model_version, kind, definition, \
    adopted_at, adopted_by, kept_model_version";

fn tenant_process_from(r: &QueryResult) -> Result<TenantProcess, StoreError> {
    Ok(TenantProcess {
        id: get(r, "id")?,
        version: get(r, "version")?,
        model_id: get(r, "model_id")?,
        model_version: get(r, "model_version")?,
        kind: get(r, "kind")?,
        definition: get(r, "definition")?,
        adopted_at: get(r, "adopted_at")?,
        adopted_by: get(r, "adopted_by")?,
        kept_model_version: get(r, "kept_model_version")?,
    })
}

/// The current version of every process the tenant adopted.
pub async fn tenant_processes(tx: &TenantTx) -> Result<Vec<TenantProcess>, StoreError> {
    let rows = all(
        tx,
        &format!(
            "SELECT {TENANT_PROCESS_COLUMNS} FROM tenant_processes t WHERE tenant_id = $1 AND version = \
             (SELECT max(version) FROM tenant_processes WHERE tenant_id = t.tenant_id AND id = t.id) ORDER BY id"
        ),
        vec![tid(tx)],
    )
    .await?;
    rows.iter().map(tenant_process_from).collect()
}

/// The current version of one adopted process.
pub async fn tenant_process(tx: &TenantTx, id: &str) -> Result<Option<TenantProcess>, StoreError> {
    let row = one(
        tx,
        &format!(
            "SELECT {TENANT_PROCESS_COLUMNS} FROM tenant_processes WHERE tenant_id = $1 AND id = $2 \
             ORDER BY version DESC LIMIT 1"
        ),
        vec![tid(tx), id.into()],
    )
    .await?;
    row.as_ref().map(tenant_process_from).transpose()
}

/// One stored version (what a running case on a variant is routed with).
pub async fn tenant_process_version(
    tx: &TenantTx,
    id: &str,
    version: i32,
) -> Result<TenantProcess, StoreError> {
    let row = one(
        tx,
        &format!(
            "SELECT {TENANT_PROCESS_COLUMNS} FROM tenant_processes WHERE tenant_id = $1 AND id = $2 AND version = $3"
        ),
        vec![tid(tx), id.into(), version.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    tenant_process_from(&row)
}

/// Stores a new version of an adopted process (versions are never changed in place: running cases
/// keep theirs).
pub async fn add_tenant_process(tx: &TenantTx, p: &TenantProcess) -> Result<(), StoreError> {
    let n = exec(
        tx,
        "INSERT INTO tenant_processes (tenant_id, id, version, model_id, model_version, kind, definition, \
         adopted_at, adopted_by, kept_model_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (tenant_id, id, version) DO NOTHING",
        vec![
            tid(tx),
            p.id.clone().into(),
            p.version.into(),
            p.model_id.clone().into(),
            p.model_version.into(),
            p.kind.clone().into(),
            p.definition.clone().into(),
            p.adopted_at.into(),
            p.adopted_by.into(),
            p.kept_model_version.into(),
        ],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict("process_version_exists"));
    }
    Ok(())
}

/// Records that the tenant keeps its own variant against a model version.
pub async fn keep_own_variant(
    tx: &TenantTx,
    id: &str,
    version: i32,
    model_version: i32,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE tenant_processes SET kept_model_version = $1 WHERE tenant_id = $2 AND id = $3 AND version = $4",
        vec![model_version.into(), tid(tx), id.into(), version.into()],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Cases

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: Uuid,
    pub reference: String,
    pub person_id: Uuid,
    pub process_id: String,
    pub process_version: i32,
    pub process_kind: String,
    pub step: String,
    pub state: String,
    pub holder_user_id: Option<Uuid>,
    pub holder_role: String,
    pub clerk_user_id: Option<Uuid>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub case_due_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub decision: Option<String>,
    pub intake_id: Option<Uuid>,
    pub step_started_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

const CASE_COLUMNS: &str = "id, reference, person_id, process_id, process_version, process_kind, step, state, \
    holder_user_id, holder_role, clerk_user_id, step_due_at, case_due_at, reminded_at, escalated_at, decision, \
    intake_id, step_started_at, created_at, updated_at, closed_at";

fn case_from(row: &QueryResult) -> Result<Case, StoreError> {
    Ok(Case {
        id: get(row, "id")?,
        reference: get(row, "reference")?,
        person_id: get(row, "person_id")?,
        process_id: get(row, "process_id")?,
        process_version: get(row, "process_version")?,
        process_kind: get(row, "process_kind")?,
        step: get(row, "step")?,
        state: get(row, "state")?,
        holder_user_id: get(row, "holder_user_id")?,
        holder_role: get(row, "holder_role")?,
        clerk_user_id: get(row, "clerk_user_id")?,
        step_due_at: get(row, "step_due_at")?,
        case_due_at: get(row, "case_due_at")?,
        reminded_at: get(row, "reminded_at")?,
        escalated_at: get(row, "escalated_at")?,
        decision: get(row, "decision")?,
        intake_id: get(row, "intake_id")?,
        step_started_at: get(row, "step_started_at")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
        closed_at: get(row, "closed_at")?,
    })
}

#[derive(Debug, Clone)]
pub struct NewCase {
    pub person_id: Uuid,
    pub process_id: String,
    pub process_version: i32,
    pub process_kind: String,
    pub step: String,
    pub state: String,
    pub holder_role: String,
    pub step_due_at: Option<DateTime<Utc>>,
    pub case_due_at: Option<DateTime<Utc>>,
    pub intake_id: Option<Uuid>,
}

/// Opens a case. Its clocks are evaluated by the next deadline sweep (`next_clock_at` = now) unless
/// the caller sets the exact time with [`set_next_clock`].
pub async fn open_case(
    tx: &TenantTx,
    new: NewCase,
    now: DateTime<Utc>,
) -> Result<Case, StoreError> {
    let id = Uuid::now_v7();
    let reference = next_number(tx, "cases", &format!("V{}", now.format("%Y"))).await?;
    exec(
        tx,
        "INSERT INTO cases (tenant_id, id, reference, person_id, process_id, process_version, process_kind, step, \
         state, holder_role, step_due_at, case_due_at, intake_id, step_started_at, created_at, updated_at, \
         next_clock_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $14, $14)",
        vec![
            tid(tx),
            id.into(),
            reference.into(),
            new.person_id.into(),
            new.process_id.into(),
            new.process_version.into(),
            new.process_kind.into(),
            new.step.into(),
            new.state.into(),
            new.holder_role.into(),
            new.step_due_at.into(),
            new.case_due_at.into(),
            new.intake_id.into(),
            now.into(),
        ],
    )
    .await
    .map_err(|err| match err {
        StoreError::Db(db) => StoreError::from_insert(db, "case_exists"),
        other => other,
    })?;
    case(tx, id).await
}

pub async fn case(tx: &TenantTx, id: Uuid) -> Result<Case, StoreError> {
    let row = one(
        tx,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    case_from(&row)
}

/// Locks the case row for the rest of the transaction (PostgreSQL), so two actions on one case
/// serialize.
pub async fn case_for_update(tx: &TenantTx, id: Uuid) -> Result<Case, StoreError> {
    let lock = if is_pg(tx) { " FOR UPDATE" } else { "" };
    let row = one(
        tx,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND id = $2{lock}"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    case_from(&row)
}

pub async fn case_by_intake(tx: &TenantTx, intake_id: Uuid) -> Result<Option<Case>, StoreError> {
    let row = one(
        tx,
        &format!("SELECT {CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND intake_id = $2"),
        vec![tid(tx), intake_id.into()],
    )
    .await?;
    row.as_ref().map(case_from).transpose()
}

/// The routing state after a transition.
#[derive(Debug, Clone)]
pub struct CaseUpdate {
    pub step: String,
    pub state: String,
    pub holder_user_id: Option<Uuid>,
    pub holder_role: String,
    pub clerk_user_id: Option<Uuid>,
    pub step_due_at: Option<DateTime<Utc>>,
    pub step_started_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub decision: Option<String>,
    pub closed: bool,
}

/// Stores a transition. The clocks of the (possibly new) step are evaluated by the next deadline
/// sweep unless the caller sets the exact time with [`set_next_clock`].
pub async fn update_case(
    tx: &TenantTx,
    id: Uuid,
    u: CaseUpdate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let closed_at: Option<DateTime<Utc>> = u.closed.then_some(now);
    exec(
        tx,
        "UPDATE cases SET step = $1, state = $2, holder_user_id = $3, holder_role = $4, clerk_user_id = $5, \
         step_due_at = $6, step_started_at = $7, reminded_at = $8, escalated_at = $9, decision = $10, \
         closed_at = coalesce(closed_at, $11), updated_at = $12, next_clock_at = $7 \
         WHERE tenant_id = $13 AND id = $14",
        vec![
            u.step.into(),
            u.state.into(),
            u.holder_user_id.into(),
            u.holder_role.into(),
            u.clerk_user_id.into(),
            u.step_due_at.into(),
            u.step_started_at.into(),
            u.reminded_at.into(),
            u.escalated_at.into(),
            u.decision.into(),
            closed_at.into(),
            now.into(),
            tid(tx),
            id.into(),
        ],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
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

#[derive(Debug, Clone, Default)]
pub struct NewHistory {
    pub actor: String,
    pub action: String,
    pub from_step: Option<String>,
    pub to_step: Option<String>,
    pub to_user_id: Option<Uuid>,
    pub comment: Option<String>,
    pub decision: Option<String>,
}

pub async fn append_history(
    tx: &TenantTx,
    case_id: Uuid,
    h: NewHistory,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let row = one(
        tx,
        "SELECT coalesce(max(seq), 0) AS s FROM case_history WHERE tenant_id = $1 AND case_id = $2",
        vec![tid(tx), case_id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    let seq: i32 = get(&row, "s")?;
    let seq = seq + 1;
    exec(
        tx,
        "INSERT INTO case_history (tenant_id, case_id, seq, at, actor, action, from_step, to_step, to_user_id, comment, decision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        vec![
            tid(tx),
            case_id.into(),
            seq.into(),
            now.into(),
            h.actor.into(),
            h.action.into(),
            h.from_step.into(),
            h.to_step.into(),
            h.to_user_id.into(),
            h.comment.into(),
            h.decision.into(),
        ],
    )
    .await?;
    Ok(seq)
}

pub async fn history(tx: &TenantTx, case_id: Uuid) -> Result<Vec<HistoryEntry>, StoreError> {
    let rows = all(
        tx,
        "SELECT seq, at, actor, action, from_step, to_step, to_user_id, comment, decision FROM case_history \
         WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq",
        vec![tid(tx), case_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                seq: get(r, "seq")?,
                at: get(r, "at")?,
                actor: get(r, "actor")?,
                action: get(r, "action")?,
                from_step: get(r, "from_step")?,
                to_step: get(r, "to_step")?,
                to_user_id: get(r, "to_user_id")?,
                comment: get(r, "comment")?,
                decision: get(r, "decision")?,
            })
        })
        .collect()
}

/// The states a case can be in (`amtsweg_cases::routing::CaseState`), for the counts.
const CASE_STATES: [&str; 3] = ["decided", "open", "waiting"];

/// Which worklist.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Cases the user holds.
    Mine(Uuid),
    /// Cases in the team basket of a role (nobody holds them), plus escalated cases for team leads.
    Team(String),
    /// Every case of the tenant.
    All,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<String>,
    pub process_id: Option<String>,
    pub overdue_at: Option<DateTime<Utc>>,
    pub person_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkItem {
    pub case: Case,
    pub family_name: String,
    pub given_names: String,
}

/// The FROM and WHERE of a worklist; with `names`, joined to the persons for their names.
fn worklist_where(
    tx: &TenantTx,
    scope: &Scope,
    filter: &Filter,
    names: bool,
) -> (String, Vec<Value>) {
    let mut sql = String::from(if names {
        " FROM cases c JOIN persons p ON p.tenant_id = c.tenant_id AND p.id = c.person_id WHERE c.tenant_id = $1"
    } else {
        " FROM cases c WHERE c.tenant_id = $1"
    });
    let mut values = vec![tid(tx)];
    let push = |sql: &mut String, clause: &str, v: Value, values: &mut Vec<Value>| {
        values.push(v);
        sql.push_str(&clause.replace("$?", &format!("${}", values.len())));
    };
    match scope {
        Scope::Mine(user) => push(
            &mut sql,
            " AND c.holder_user_id = $?",
            (*user).into(),
            &mut values,
        ),
        Scope::Team(role) => {
            if role == "approver" {
                // Written out as the predicate of the partial index `cases_lead_basket` (a bound
                // role would keep the planner from proving that the index covers the query).
                sql.push_str(
                    " AND ((c.holder_user_id IS NULL AND c.holder_role = 'approver') OR (c.escalated_at IS NOT NULL AND c.state <> 'decided'))",
                );
            } else {
                push(
                    &mut sql,
                    " AND c.holder_user_id IS NULL AND c.holder_role = $?",
                    role.clone().into(),
                    &mut values,
                )
            }
        }
        Scope::All => {}
    }
    if let Some(state) = &filter.state {
        push(
            &mut sql,
            " AND c.state = $?",
            state.clone().into(),
            &mut values,
        );
    }
    if let Some(process) = &filter.process_id {
        push(
            &mut sql,
            " AND c.process_id = $?",
            process.clone().into(),
            &mut values,
        );
    }
    if let Some(at) = filter.overdue_at {
        push(
            &mut sql,
            " AND c.step_due_at < $? AND c.state IN ('open', 'waiting')",
            at.into(),
            &mut values,
        );
    }
    if let Some(person) = filter.person_id {
        push(
            &mut sql,
            " AND c.person_id = $?",
            person.into(),
            &mut values,
        );
    }
    (sql, values)
}

/// A worklist page, oldest deadline first, and the count of the same filter up to
/// [`COUNT_LIMIT`] (`COUNT_LIMIT + 1`: more). The page comes in index order (`cases_holder_due`,
/// `cases_basket`, `cases_lead_basket`, `cases_due_all`), so its cost does not grow with the cases
/// behind it.
pub async fn worklist(
    tx: &TenantTx,
    scope: &Scope,
    filter: &Filter,
    limit: u64,
) -> Result<(Vec<WorkItem>, i64), StoreError> {
    let (from, values) = worklist_where(tx, scope, filter, false);
    let count_row = one(
        tx,
        &format!(
            "SELECT count(*) AS n FROM (SELECT 1{from} LIMIT {}) t",
            COUNT_LIMIT + 1
        ),
        values,
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    let total: i64 = get(&count_row, "n")?;
    let (from, mut values) = worklist_where(tx, scope, filter, true);
    values.push(i64::try_from(limit.min(500)).unwrap_or(100).into());
    let cols = CASE_COLUMNS
        .split(", ")
        .map(|c| format!("c.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let nulls_last = if is_pg(tx) { " NULLS LAST" } else { "" };
    let rows = all(
        tx,
        &format!(
            "SELECT {cols}, p.family_name AS p_family, p.given_names AS p_given{from} \
             ORDER BY c.step_due_at{nulls_last}, c.created_at LIMIT ${}",
            values.len()
        ),
        values,
    )
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(WorkItem {
                case: case_from(r)?,
                family_name: get(r, "p_family")?,
                given_names: get(r, "p_given")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((items, total))
}

/// Counts per state for the worklist header, each up to [`COUNT_LIMIT`] (`COUNT_LIMIT + 1`:
/// more); states without cases are left out.
pub async fn counts(tx: &TenantTx, scope: &Scope) -> Result<Vec<(String, i64)>, StoreError> {
    let (from, values) = worklist_where(tx, scope, &Filter::default(), false);
    let sql = CASE_STATES
        .iter()
        .map(|state| {
            format!(
                "SELECT '{state}' AS state, (SELECT count(*) FROM (SELECT 1{from} AND c.state = '{state}' LIMIT {}) t) AS n",
                COUNT_LIMIT + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let rows = all(tx, &format!("{sql} ORDER BY state"), values).await?;
    let mut out = Vec::new();
    for r in &rows {
        let n: i64 = get(r, "n")?;
        if n > 0 {
            out.push((get(r, "state")?, n));
        }
    }
    Ok(out)
}

/// Open cases whose next reminder or escalation is due at `due_by`, earliest first: the candidates of
/// the deadline sweep, read from the `cases_clock` index. On PostgreSQL the rows stay locked for the
/// transaction and rows another sweep holds are skipped, so two sweeps never fire the same clock.
pub async fn clock_candidates(
    tx: &TenantTx,
    due_by: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Case>, StoreError> {
    let lock = if is_pg(tx) {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let rows = all(
        tx,
        &format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND next_clock_at <= $2 \
             ORDER BY next_clock_at LIMIT $3{lock}"
        ),
        vec![
            tid(tx),
            due_by.into(),
            i64::try_from(limit).unwrap_or(1000).into(),
        ],
    )
    .await?;
    rows.iter().map(case_from).collect()
}

/// Sets when the case's next clock falls due (None: no clock pending).
pub async fn set_next_clock(
    tx: &TenantTx,
    id: Uuid,
    at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE cases SET next_clock_at = $1 WHERE tenant_id = $2 AND id = $3",
        vec![at.into(), tid(tx), id.into()],
    )
    .await?;
    Ok(())
}

pub async fn mark_clock(
    tx: &TenantTx,
    id: Uuid,
    reminded: Option<DateTime<Utc>>,
    escalated: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE cases SET reminded_at = coalesce(reminded_at, $1), escalated_at = coalesce(escalated_at, $2) \
         WHERE tenant_id = $3 AND id = $4",
        vec![reminded.into(), escalated.into(), tid(tx), id.into()],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The e-file

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: Uuid,
    pub person_id: Uuid,
    pub case_id: Option<Uuid>,
    pub title: String,
    pub media_type: String,
    pub source: String,
    pub plan_position: String,
    pub reference_position: String,
    pub current_version: i32,
    pub retention_until: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

const DOCUMENT_COLUMNS: &str = "id, person_id, case_id, title, media_type, source, plan_position, reference_position, \
    current_version, retention_until, created_at";

fn document_from(row: &QueryResult) -> Result<Document, StoreError> {
    Ok(Document {
        id: get(row, "id")?,
        person_id: get(row, "person_id")?,
        case_id: get(row, "case_id")?,
        title: get(row, "title")?,
        media_type: get(row, "media_type")?,
        source: get(row, "source")?,
        plan_position: get(row, "plan_position")?,
        reference_position: get(row, "reference_position")?,
        current_version: get(row, "current_version")?,
        retention_until: get(row, "retention_until")?,
        created_at: get(row, "created_at")?,
    })
}

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub id: Uuid,
    pub person_id: Uuid,
    pub case_id: Option<Uuid>,
    pub title: String,
    pub media_type: String,
    pub source: String,
    pub plan_position: String,
    pub reference_position: String,
    pub body_text: String,
    pub object_key: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub created_by: String,
}

pub async fn add_document(
    tx: &TenantTx,
    d: NewDocument,
    now: DateTime<Utc>,
) -> Result<Document, StoreError> {
    exec(
        tx,
        "INSERT INTO documents (tenant_id, id, person_id, case_id, title, media_type, source, plan_position, \
         reference_position, current_version, body_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)",
        vec![
            tid(tx),
            d.id.into(),
            d.person_id.into(),
            d.case_id.into(),
            d.title.into(),
            d.media_type.into(),
            d.source.into(),
            d.plan_position.into(),
            d.reference_position.into(),
            d.body_text.into(),
            now.into(),
        ],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO document_versions (tenant_id, document_id, version, object_key, sha256, size_bytes, created_at, created_by) \
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7)",
        vec![
            tid(tx),
            d.id.into(),
            d.object_key.into(),
            d.sha256.into(),
            d.size_bytes.into(),
            now.into(),
            d.created_by.into(),
        ],
    )
    .await?;
    document(tx, d.id).await
}

pub async fn document(tx: &TenantTx, id: Uuid) -> Result<Document, StoreError> {
    let row = one(
        tx,
        &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE tenant_id = $1 AND id = $2"),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    document_from(&row)
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentVersion {
    pub version: i32,
    pub object_key: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

pub async fn versions(
    tx: &TenantTx,
    document_id: Uuid,
) -> Result<Vec<DocumentVersion>, StoreError> {
    let rows = all(
        tx,
        "SELECT version, object_key, sha256, size_bytes, created_at, created_by FROM document_versions \
         WHERE tenant_id = $1 AND document_id = $2 ORDER BY version",
        vec![tid(tx), document_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DocumentVersion {
                version: get(r, "version")?,
                object_key: get(r, "object_key")?,
                sha256: get(r, "sha256")?,
                size_bytes: get(r, "size_bytes")?,
                created_at: get(r, "created_at")?,
                created_by: get(r, "created_by")?,
            })
        })
        .collect()
}

/// The e-file of a person (or the tenant's whole file with `person_id = None`), newest first,
/// optionally narrowed by a full-text query over title, plan position and text.
pub async fn documents(
    tx: &TenantTx,
    person_id: Option<Uuid>,
    query: Option<&str>,
    limit: u64,
) -> Result<Vec<Document>, StoreError> {
    let mut sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE tenant_id = $1");
    let mut values = vec![tid(tx)];
    if let Some(p) = person_id {
        values.push(p.into());
        sql.push_str(&format!(" AND person_id = ${}", values.len()));
    }
    if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
        if is_pg(tx) {
            values.push(q.into());
            sql.push_str(&format!(
                " AND search @@ plainto_tsquery('german', ${})",
                values.len()
            ));
        } else {
            values.push(fts5_query(q).into());
            sql.push_str(&format!(
                " AND id IN (SELECT document_id FROM documents_fts WHERE documents_fts MATCH ${} AND tenant_id = $1)",
                values.len()
            ));
        }
    }
    values.push(i64::try_from(limit.min(500)).unwrap_or(100).into());
    sql.push_str(&format!(
        " ORDER BY created_at DESC LIMIT ${}",
        values.len()
    ));
    let rows = all(tx, &sql, values).await?;
    rows.iter().map(document_from).collect()
}

/// Deletes one document and its versions; returns the object keys.
pub async fn delete_document(tx: &TenantTx, id: Uuid) -> Result<Vec<String>, StoreError> {
    let keys = versions(tx, id)
        .await?
        .into_iter()
        .map(|v| v.object_key)
        .collect();
    exec(
        tx,
        "DELETE FROM document_versions WHERE tenant_id = $1 AND document_id = $2",
        vec![tid(tx), id.into()],
    )
    .await?;
    exec(
        tx,
        "DELETE FROM documents WHERE tenant_id = $1 AND id = $2",
        vec![tid(tx), id.into()],
    )
    .await?;
    Ok(keys)
}

// ---------------------------------------------------------------------------------------------
// Tenant file plan

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub position: String,
    pub title: String,
    pub reference_position: Option<String>,
}

pub async fn tenant_plan(tx: &TenantTx) -> Result<Vec<PlanRow>, StoreError> {
    let rows = all(
        tx,
        "SELECT position, title, reference_position FROM tenant_file_plan WHERE tenant_id = $1 ORDER BY position",
        vec![tid(tx)],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PlanRow {
                position: get(r, "position")?,
                title: get(r, "title")?,
                reference_position: get(r, "reference_position")?,
            })
        })
        .collect()
}

pub async fn set_tenant_plan(tx: &TenantTx, rows: &[PlanRow]) -> Result<(), StoreError> {
    exec(
        tx,
        "DELETE FROM tenant_file_plan WHERE tenant_id = $1",
        vec![tid(tx)],
    )
    .await?;
    for r in rows {
        exec(
            tx,
            "INSERT INTO tenant_file_plan (tenant_id, position, title, reference_position) VALUES ($1, $2, $3, $4)",
            vec![tid(tx), r.position.clone().into(), r.title.clone().into(), r.reference_position.clone().into()],
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Retention reviews

#[derive(Debug, Clone, Serialize)]
pub struct RetentionReview {
    pub id: Uuid,
    pub person_id: Uuid,
    pub rule: String,
    pub due_on: NaiveDate,
    pub state: String,
    pub listed_at: DateTime<Utc>,
}

fn review_from(r: &QueryResult) -> Result<RetentionReview, StoreError> {
    Ok(RetentionReview {
        id: get(r, "id")?,
        person_id: get(r, "person_id")?,
        rule: get(r, "rule")?,
        due_on: get(r, "due_on")?,
        state: get(r, "state")?,
        listed_at: get(r, "listed_at")?,
    })
}

/// Lists a person as due (idempotent: one open review per person).
pub async fn list_due(
    tx: &TenantTx,
    person_id: Uuid,
    rule: &str,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let existing = one(
        tx,
        "SELECT id FROM retention_reviews WHERE tenant_id = $1 AND person_id = $2 AND state = 'due'",
        vec![tid(tx), person_id.into()],
    )
    .await?;
    if existing.is_some() {
        return Ok(false);
    }
    exec(
        tx,
        "INSERT INTO retention_reviews (tenant_id, id, person_id, rule, due_on, state, listed_at) VALUES ($1, $2, $3, $4, $5, 'due', $6)",
        vec![tid(tx), Uuid::now_v7().into(), person_id.into(), rule.into(), due_on.into(), now.into()],
    )
    .await?;
    Ok(true)
}

pub async fn reviews(tx: &TenantTx, state: &str) -> Result<Vec<RetentionReview>, StoreError> {
    let rows = all(
        tx,
        "SELECT id, person_id, rule, due_on, state, listed_at FROM retention_reviews WHERE tenant_id = $1 AND state = $2 ORDER BY due_on",
        vec![tid(tx), state.into()],
    )
    .await?;
    rows.iter().map(review_from).collect()
}

pub async fn review(tx: &TenantTx, id: Uuid) -> Result<RetentionReview, StoreError> {
    let row = one(
        tx,
        "SELECT id, person_id, rule, due_on, state, listed_at FROM retention_reviews WHERE tenant_id = $1 AND id = $2",
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    review_from(&row)
}

pub async fn decide_review(
    tx: &TenantTx,
    id: Uuid,
    state: &str,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = exec(
        tx,
        "UPDATE retention_reviews SET state = $1, decided_at = $2, decided_by = $3 WHERE tenant_id = $4 AND id = $5 AND state = 'due'",
        vec![state.into(), now.into(), by.into(), tid(tx), id.into()],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict("review_decided"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Transfers

#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    pub id: Uuid,
    pub direction: String,
    pub counterpart_tenant_id: Uuid,
    pub azr_number: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub person_id: Option<Uuid>,
    pub state: String,
    pub message_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

const TRANSFER_COLUMNS: &str = "id, direction, counterpart_tenant_id, azr_number, family_name, birth_date, person_id, \
    state, message_id, note, created_at, decided_at";

fn transfer_from(r: &QueryResult) -> Result<Transfer, StoreError> {
    Ok(Transfer {
        id: get(r, "id")?,
        direction: get(r, "direction")?,
        counterpart_tenant_id: get(r, "counterpart_tenant_id")?,
        azr_number: get(r, "azr_number")?,
        family_name: get(r, "family_name")?,
        birth_date: get(r, "birth_date")?,
        person_id: get(r, "person_id")?,
        state: get(r, "state")?,
        message_id: get(r, "message_id")?,
        note: get(r, "note")?,
        created_at: get(r, "created_at")?,
        decided_at: get(r, "decided_at")?,
    })
}

#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub id: Uuid,
    pub direction: String,
    pub counterpart_tenant_id: Uuid,
    pub azr_number: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub person_id: Option<Uuid>,
}

pub async fn create_transfer(
    tx: &TenantTx,
    t: NewTransfer,
    now: DateTime<Utc>,
) -> Result<Transfer, StoreError> {
    exec(
        tx,
        "INSERT INTO transfer_requests (tenant_id, id, direction, counterpart_tenant_id, azr_number, family_name, \
         birth_date, person_id, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9)",
        vec![
            tid(tx),
            t.id.into(),
            t.direction.into(),
            t.counterpart_tenant_id.into(),
            t.azr_number.into(),
            t.family_name.into(),
            t.birth_date.into(),
            t.person_id.into(),
            now.into(),
        ],
    )
    .await?;
    transfer(tx, t.id).await
}

pub async fn transfer(tx: &TenantTx, id: Uuid) -> Result<Transfer, StoreError> {
    let row = one(
        tx,
        &format!(
            "SELECT {TRANSFER_COLUMNS} FROM transfer_requests WHERE tenant_id = $1 AND id = $2"
        ),
        vec![tid(tx), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    transfer_from(&row)
}

pub async fn transfers(tx: &TenantTx) -> Result<Vec<Transfer>, StoreError> {
    let rows = all(
        tx,
        &format!("SELECT {TRANSFER_COLUMNS} FROM transfer_requests WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 200"),
        vec![tid(tx)],
    )
    .await?;
    rows.iter().map(transfer_from).collect()
}

pub async fn finish_transfer(
    tx: &TenantTx,
    id: Uuid,
    state: &str,
    person_id: Option<Uuid>,
    message_id: Option<Uuid>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = exec(
        tx,
        "UPDATE transfer_requests SET state = $1, person_id = coalesce($2, person_id), message_id = $3, note = $4, \
         decided_at = $5 WHERE tenant_id = $6 AND id = $7 AND state = 'requested'",
        vec![
            state.into(),
            person_id.into(),
            message_id.into(),
            note.map(str::to_owned).into(),
            now.into(),
            tid(tx),
            id.into(),
        ],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::Conflict("transfer_decided"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Delivery into the applicant's portal mailbox

/// Puts a message with an e-file document (a notice) into the mailbox of a portal application.
pub async fn deliver_to_applicant(
    tx: &TenantTx,
    application: Uuid,
    body: &str,
    document_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO application_messages (tenant_id, id, application_id, direction, author, body, created_at, \
         document_id) VALUES ($1, $2, $3, 'to_applicant', 'authority', $4, $5, $6)",
        vec![
            tid(tx),
            Uuid::now_v7().into(),
            application.into(),
            body.into(),
            now.into(),
            document_id.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Whether the document was delivered into this application's mailbox: the applicant may read
/// exactly what was delivered to them, nothing else of the e-file.
pub async fn delivered(
    tx: &TenantTx,
    application: Uuid,
    document_id: Uuid,
) -> Result<bool, StoreError> {
    Ok(one(
        tx,
        "SELECT 1 AS found FROM application_messages WHERE tenant_id = $1 AND application_id = $2 \
         AND document_id = $3",
        vec![tid(tx), application.into(), document_id.into()],
    )
    .await?
    .is_some())
}

// ---------------------------------------------------------------------------------------------
// Throughput

/// One routing-history entry of a case opened in the measured window, with its case's times;
/// ordered by case and sequence.
#[derive(Debug, Clone)]
pub struct ThroughputEntry {
    pub case_id: Uuid,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
    pub from_step: Option<String>,
    pub to_step: Option<String>,
}

/// Where a chunk of cases ends: the next chunk starts after this case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkEnd {
    pub opened_at: DateTime<Utc>,
    pub case_id: Uuid,
}

/// The process ids the tenant has cases of: a loose index scan over `cases_process` (tenant,
/// process, opened), one index probe per process instead of reading every case.
pub async fn case_processes(tx: &TenantTx) -> Result<Vec<String>, StoreError> {
    let rows = all(
        tx,
        "WITH RECURSIVE p (id) AS ( \
           SELECT min(process_id) FROM cases WHERE tenant_id = $1 \
           UNION ALL \
           SELECT (SELECT min(process_id) FROM cases WHERE tenant_id = $1 AND process_id > p.id) \
           FROM p WHERE p.id IS NOT NULL) \
         SELECT id FROM p WHERE id IS NOT NULL",
        vec![tid(tx)],
    )
    .await?;
    rows.iter().map(|r| get(r, "id")).collect()
}

/// The history of the next `limit` cases of one process opened since `since`, after `after`
/// (keyset order: opening time, case id), read through `cases_process` and the history's primary
/// key. Returns the entries and where the chunk ended (`None`: no more cases).
pub async fn throughput_chunk(
    tx: &TenantTx,
    process_id: &str,
    since: DateTime<Utc>,
    after: Option<ChunkEnd>,
    limit: u64,
) -> Result<(Vec<ThroughputEntry>, Option<ChunkEnd>), StoreError> {
    let mut values = vec![tid(tx), process_id.into(), since.into()];
    let mut keyset = String::new();
    if let Some(end) = after {
        values.push(end.opened_at.into());
        values.push(end.case_id.into());
        keyset.push_str(" AND (created_at > $4 OR (created_at = $4 AND id > $5))");
    }
    values.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let rows = all(
        tx,
        &format!(
            "WITH chunk AS (SELECT id, created_at, closed_at FROM cases \
               WHERE tenant_id = $1 AND process_id = $2 AND created_at >= $3{keyset} \
               ORDER BY created_at, id LIMIT ${}) \
             SELECT c.id, c.created_at, c.closed_at, h.at, h.from_step, h.to_step \
             FROM chunk c LEFT JOIN case_history h ON h.tenant_id = $1 AND h.case_id = c.id \
             ORDER BY c.created_at, c.id, h.seq",
            values.len()
        ),
        values,
    )
    .await?;
    // A case without history (none is opened without one) still moves the chunk on.
    let end = match rows.last() {
        Some(r) => Some(ChunkEnd {
            opened_at: get(r, "created_at")?,
            case_id: get(r, "id")?,
        }),
        None => None,
    };
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(at) = get::<Option<DateTime<Utc>>>(r, "at")? else {
            continue;
        };
        entries.push(ThroughputEntry {
            case_id: get(r, "id")?,
            opened_at: get(r, "created_at")?,
            closed_at: get(r, "closed_at")?,
            at,
            from_step: get(r, "from_step")?,
            to_step: get(r, "to_step")?,
        });
    }
    Ok((entries, end))
}

/// An authority's throughput figures for one process and step (`step` empty: the whole case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThroughputRow {
    pub process_id: String,
    pub step: String,
    pub measured: i64,
    pub median_seconds: i64,
    pub p90_seconds: i64,
    pub computed_at: DateTime<Utc>,
}

const THROUGHPUT_COLUMNS: &str =
    "process_id, step, measured, median_seconds, p90_seconds, computed_at";

fn throughput_from(r: &QueryResult) -> Result<ThroughputRow, StoreError> {
    Ok(ThroughputRow {
        process_id: get(r, "process_id")?,
        step: get(r, "step")?,
        measured: get(r, "measured")?,
        median_seconds: get(r, "median_seconds")?,
        p90_seconds: get(r, "p90_seconds")?,
        computed_at: get(r, "computed_at")?,
    })
}

/// Replaces the tenant's throughput figures of one process.
pub async fn replace_process_throughput(
    tx: &TenantTx,
    process_id: &str,
    rows: &[ThroughputRow],
) -> Result<(), StoreError> {
    exec(
        tx,
        "DELETE FROM case_throughput WHERE tenant_id = $1 AND process_id = $2",
        vec![tid(tx), process_id.into()],
    )
    .await?;
    for r in rows {
        exec(
            tx,
            &format!(
                "INSERT INTO case_throughput (tenant_id, {THROUGHPUT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ),
            vec![
                tid(tx),
                r.process_id.clone().into(),
                r.step.clone().into(),
                r.measured.into(),
                r.median_seconds.into(),
                r.p90_seconds.into(),
                r.computed_at.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Removes the figures computed before `computed_at`: processes without a case any more.
pub async fn drop_throughput_before(
    tx: &TenantTx,
    computed_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "DELETE FROM case_throughput WHERE tenant_id = $1 AND computed_at < $2",
        vec![tid(tx), computed_at.into()],
    )
    .await?;
    Ok(())
}

/// The tenant's own throughput figures.
pub async fn throughput(tx: &TenantTx) -> Result<Vec<ThroughputRow>, StoreError> {
    let rows = all(
        tx,
        &format!(
            "SELECT {THROUGHPUT_COLUMNS} FROM case_throughput WHERE tenant_id = $1 ORDER BY process_id, step"
        ),
        vec![tid(tx)],
    )
    .await?;
    rows.iter().map(throughput_from).collect()
}

/// Every authority's throughput figures, for the ministry's comparison: the aggregate transaction
/// opens `case_throughput` (counts and durations) and nothing of the cases themselves.
pub async fn all_throughput(
    agg: &crate::rollout::AggregateTx,
) -> Result<Vec<(Uuid, ThroughputRow)>, StoreError> {
    let conn = agg.conn();
    let rows = conn
        .query_all_raw(stmt(
            conn,
            &format!("SELECT tenant_id, {THROUGHPUT_COLUMNS} FROM case_throughput ORDER BY process_id, step"),
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((get(r, "tenant_id")?, throughput_from(r)?)))
        .collect()
}
