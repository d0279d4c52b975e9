//! Rollout data: onboarding checklist, EfA subscriptions, cost ledger, devices and their
//! credentials, data keys, PIK-Chassis registrations, surveys; the ministry's aggregate reads and the
//! offboarding export.
//!
//! Tenant functions take a [`TenantTx`] and filter `tenant_id` explicitly. The ministry reads through
//! an [`AggregateTx`], in which PostgreSQL's `rollout_aggregate` policy makes the rollout
//! administration tables (no personal data) readable across tenants; its functions return grouped
//! figures or rows without any person's data. Persons, registrations, credentials and data keys have
//! no such policy.
//!
//! SQL is written once with `$n` placeholders; on SQLite they become `?n`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, QueryResult, Statement, TransactionTrait,
    Value,
};
use serde::Serialize;
use uuid::Uuid;

use crate::{Database, StoreError, TenantTx};

fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

async fn exec(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, StoreError> {
    let backend = conn.get_database_backend();
    Ok(conn
        .execute_raw(stmt(backend, sql, values))
        .await?
        .rows_affected())
}

async fn all(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    let backend = conn.get_database_backend();
    Ok(conn.query_all_raw(stmt(backend, sql, values)).await?)
}

async fn one(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, StoreError> {
    let backend = conn.get_database_backend();
    Ok(conn.query_one_raw(stmt(backend, sql, values)).await?)
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, StoreError> {
    row.try_get("", column).map_err(StoreError::from)
}

fn insert_err(err: StoreError, what: &'static str) -> StoreError {
    match err {
        StoreError::Db(db) => StoreError::from_insert(db, what),
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Onboarding checklist

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistRow {
    pub item: String,
    pub done: bool,
    pub note: String,
    pub updated_at: DateTime<Utc>,
}

pub async fn checklist(tx: &TenantTx) -> Result<Vec<ChecklistRow>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT item, done, note, updated_at FROM rollout_checklist WHERE tenant_id = $1 ORDER BY item",
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ChecklistRow {
                item: get(row, "item")?,
                done: get(row, "done")?,
                note: get(row, "note")?,
                updated_at: get(row, "updated_at")?,
            })
        })
        .collect()
}

pub async fn set_checklist_item(
    tx: &TenantTx,
    item: &str,
    done: bool,
    note: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO rollout_checklist (tenant_id, item, done, note, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, item) DO UPDATE SET done = excluded.done, note = excluded.note, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        vec![
            tx.tenant_id().0.into(),
            item.into(),
            done.into(),
            note.into(),
            by.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Whether every active tenant admin has a second factor (the derived checklist item).
pub async fn admins_with_mfa(tx: &TenantTx) -> Result<(i64, i64), StoreError> {
    let row = one(
        tx.conn(),
        "SELECT COUNT(*) AS admins, \
                CAST(COALESCE(SUM(CASE WHEN totp_enabled_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS bigint) AS enrolled \
         FROM users WHERE tenant_id = $1 AND role = 'tenant_admin' AND status = 'active'",
        vec![tx.tenant_id().0.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((get(&row, "admins")?, get(&row, "enrolled")?))
}

// ---------------------------------------------------------------------------------------------
// EfA subscriptions

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub tenant_id: Uuid,
    pub service: String,
    pub status: String,
    pub committed_on: Option<NaiveDate>,
    pub connected_on: Option<NaiveDate>,
    pub payer: String,
}

fn subscription(row: &QueryResult) -> Result<Subscription, StoreError> {
    Ok(Subscription {
        tenant_id: get(row, "tenant_id")?,
        service: get(row, "service")?,
        status: get(row, "status")?,
        committed_on: get(row, "committed_on")?,
        connected_on: get(row, "connected_on")?,
        payer: get(row, "payer")?,
    })
}

const SUBSCRIPTION_COLUMNS: &str = "tenant_id, service, status, committed_on, connected_on, payer";

pub async fn subscriptions(tx: &TenantTx) -> Result<Vec<Subscription>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM efa_subscriptions WHERE tenant_id = $1 ORDER BY service"
        ),
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter().map(subscription).collect()
}

pub async fn upsert_subscription(
    tx: &TenantTx,
    sub: &Subscription,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO efa_subscriptions (tenant_id, service, status, committed_on, connected_on, payer, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id, service) DO UPDATE SET status = excluded.status, \
         committed_on = excluded.committed_on, connected_on = excluded.connected_on, \
         payer = excluded.payer, updated_at = excluded.updated_at",
        vec![
            tx.tenant_id().0.into(),
            sub.service.clone().into(),
            sub.status.clone().into(),
            sub.committed_on.into(),
            sub.connected_on.into(),
            sub.payer.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Cost ledger

#[derive(Debug, Clone, Serialize)]
pub struct Cost {
    pub id: Uuid,
    pub service: Option<String>,
    pub device_id: Option<Uuid>,
    pub kind: String,
    pub status: String,
    pub amount_cents: i64,
    pub payer: String,
    pub funding_source: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub document_ref: String,
}

pub async fn add_cost(tx: &TenantTx, cost: &Cost, now: DateTime<Utc>) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO cost_ledger (tenant_id, id, service, device_id, kind, status, amount_cents, payer, \
         funding_source, period_start, period_end, document_ref, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        vec![
            tx.tenant_id().0.into(),
            cost.id.into(),
            cost.service.clone().into(),
            cost.device_id.into(),
            cost.kind.clone().into(),
            cost.status.clone().into(),
            cost.amount_cents.into(),
            cost.payer.clone().into(),
            cost.funding_source.clone().into(),
            cost.period_start.into(),
            cost.period_end.into(),
            cost.document_ref.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

fn cost(row: &QueryResult) -> Result<Cost, StoreError> {
    Ok(Cost {
        id: get(row, "id")?,
        service: get(row, "service")?,
        device_id: get(row, "device_id")?,
        kind: get(row, "kind")?,
        status: get(row, "status")?,
        amount_cents: get(row, "amount_cents")?,
        payer: get(row, "payer")?,
        funding_source: get(row, "funding_source")?,
        period_start: get(row, "period_start")?,
        period_end: get(row, "period_end")?,
        document_ref: get(row, "document_ref")?,
    })
}

pub async fn costs(tx: &TenantTx) -> Result<Vec<Cost>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT id, service, device_id, kind, status, amount_cents, payer, funding_source, period_start, \
         period_end, document_ref FROM cost_ledger WHERE tenant_id = $1 ORDER BY period_start, created_at",
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter().map(cost).collect()
}

// ---------------------------------------------------------------------------------------------
// Devices

#[derive(Debug, Clone, Serialize)]
pub struct Device {
    pub id: Uuid,
    pub kind: String,
    pub serial: String,
    pub state: String,
    pub certificate_expires_on: Option<NaiveDate>,
    pub smartcard_expires_on: Option<NaiveDate>,
    pub software_version: String,
    pub cost_cents: i64,
    pub payer: String,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub reported_state: String,
}

const DEVICE_COLUMNS: &str = "id, kind, serial, state, certificate_expires_on, smartcard_expires_on, \
     software_version, cost_cents, payer, last_heartbeat_at, reported_state";

fn device(row: &QueryResult) -> Result<Device, StoreError> {
    Ok(Device {
        id: get(row, "id")?,
        kind: get(row, "kind")?,
        serial: get(row, "serial")?,
        state: get(row, "state")?,
        certificate_expires_on: get(row, "certificate_expires_on")?,
        smartcard_expires_on: get(row, "smartcard_expires_on")?,
        software_version: get(row, "software_version")?,
        cost_cents: get(row, "cost_cents")?,
        payer: get(row, "payer")?,
        last_heartbeat_at: get(row, "last_heartbeat_at")?,
        reported_state: get(row, "reported_state")?,
    })
}

pub async fn create_device(
    tx: &TenantTx,
    device: &Device,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO devices (tenant_id, id, kind, serial, state, certificate_expires_on, smartcard_expires_on, \
         software_version, cost_cents, payer, reported_state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, $11)",
        vec![
            tx.tenant_id().0.into(),
            device.id.into(),
            device.kind.clone().into(),
            device.serial.clone().into(),
            device.state.clone().into(),
            device.certificate_expires_on.into(),
            device.smartcard_expires_on.into(),
            device.software_version.clone().into(),
            device.cost_cents.into(),
            device.payer.clone().into(),
            now.into(),
        ],
    )
    .await
    .map_err(|err| insert_err(err, "device-serial-taken"))?;
    Ok(())
}

pub async fn devices(tx: &TenantTx) -> Result<Vec<Device>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE tenant_id = $1 ORDER BY kind, serial"),
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter().map(device).collect()
}

pub async fn device_get(tx: &TenantTx, id: Uuid) -> Result<Device, StoreError> {
    let row = one(
        tx.conn(),
        &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE tenant_id = $1 AND id = $2"),
        vec![tx.tenant_id().0.into(), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    device(&row)
}

pub async fn set_device_state(
    tx: &TenantTx,
    id: Uuid,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changed = exec(
        tx.conn(),
        "UPDATE devices SET state = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
        vec![tx.tenant_id().0.into(), id.into(), state.into(), now.into()],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn record_heartbeat(
    tx: &TenantTx,
    device_id: Uuid,
    software_version: &str,
    state: &str,
    queued_records: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO device_heartbeats (tenant_id, id, device_id, at, software_version, state, queued_records) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            tx.tenant_id().0.into(),
            Uuid::now_v7().into(),
            device_id.into(),
            now.into(),
            software_version.into(),
            state.into(),
            queued_records.into(),
        ],
    )
    .await?;
    exec(
        tx.conn(),
        "UPDATE devices SET last_heartbeat_at = $3, software_version = $4, reported_state = $5, updated_at = $3 \
         WHERE tenant_id = $1 AND id = $2",
        vec![
            tx.tenant_id().0.into(),
            device_id.into(),
            now.into(),
            software_version.into(),
            state.into(),
        ],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Device credentials

#[derive(Debug, Clone)]
pub struct Credential {
    pub id: Uuid,
    pub device_id: Uuid,
    pub secret_hash: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn create_credential(
    tx: &TenantTx,
    id: Uuid,
    device_id: Uuid,
    secret_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO device_credentials (tenant_id, id, device_id, secret_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            tx.tenant_id().0.into(),
            id.into(),
            device_id.into(),
            secret_hash.into(),
            now.into(),
            expires_at.into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn credential(tx: &TenantTx, id: Uuid) -> Result<Credential, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT id, device_id, secret_hash, expires_at, revoked_at FROM device_credentials \
         WHERE tenant_id = $1 AND id = $2",
        vec![tx.tenant_id().0.into(), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Credential {
        id: get(&row, "id")?,
        device_id: get(&row, "device_id")?,
        secret_hash: get(&row, "secret_hash")?,
        expires_at: get(&row, "expires_at")?,
        revoked_at: get(&row, "revoked_at")?,
    })
}

/// Revokes every live credential of a device except `keep`; returns how many.
pub async fn revoke_credentials(
    tx: &TenantTx,
    device_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    exec(
        tx.conn(),
        "UPDATE device_credentials SET revoked_at = $3 \
         WHERE tenant_id = $1 AND device_id = $2 AND revoked_at IS NULL AND id <> $4",
        vec![
            tx.tenant_id().0.into(),
            device_id.into(),
            now.into(),
            keep.unwrap_or(Uuid::nil()).into(),
        ],
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Data keys

#[derive(Debug, Clone)]
pub struct DataKey {
    pub version: i32,
    pub master_key_id: String,
    pub wrapped_key: String,
}

fn data_key(row: &QueryResult) -> Result<DataKey, StoreError> {
    Ok(DataKey {
        version: get(row, "version")?,
        master_key_id: get(row, "master_key_id")?,
        wrapped_key: get(row, "wrapped_key")?,
    })
}

/// The newest data key not retired.
pub async fn current_data_key(tx: &TenantTx) -> Result<Option<DataKey>, StoreError> {
    one(
        tx.conn(),
        "SELECT version, master_key_id, wrapped_key FROM tenant_data_keys \
         WHERE tenant_id = $1 AND retired_at IS NULL ORDER BY version DESC LIMIT 1",
        vec![tx.tenant_id().0.into()],
    )
    .await?
    .map(|row| data_key(&row))
    .transpose()
}

pub async fn data_key_version(tx: &TenantTx, version: i32) -> Result<DataKey, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT version, master_key_id, wrapped_key FROM tenant_data_keys WHERE tenant_id = $1 AND version = $2",
        vec![tx.tenant_id().0.into(), version.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    data_key(&row)
}

pub async fn data_keys(tx: &TenantTx) -> Result<Vec<DataKey>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT version, master_key_id, wrapped_key FROM tenant_data_keys WHERE tenant_id = $1 ORDER BY version",
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter().map(data_key).collect()
}

pub async fn insert_data_key(
    tx: &TenantTx,
    key: &DataKey,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = exec(
        tx.conn(),
        "INSERT INTO tenant_data_keys (tenant_id, version, master_key_id, wrapped_key, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, version) DO NOTHING",
        vec![
            tx.tenant_id().0.into(),
            key.version.into(),
            key.master_key_id.clone().into(),
            key.wrapped_key.clone().into(),
            now.into(),
        ],
    )
    .await?;
    Ok(inserted > 0)
}

/// Replaces the wrapping of a data key (master-key rotation).
pub async fn rewrap_data_key(tx: &TenantTx, key: &DataKey) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "UPDATE tenant_data_keys SET master_key_id = $3, wrapped_key = $4 WHERE tenant_id = $1 AND version = $2",
        vec![
            tx.tenant_id().0.into(),
            key.version.into(),
            key.master_key_id.clone().into(),
            key.wrapped_key.clone().into(),
        ],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Persons and registrations (personal data: own tenant only)

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    pub nationality: String,
    pub match_key: String,
}

/// Finds the person with this match key or creates one; returns (id, created). The match key is
/// unique per tenant, so two registrations of one person arriving at once make one person: the
/// insert that loses the race does nothing and the person is read again.
pub async fn find_or_create_person(
    tx: &TenantTx,
    person: &NewPerson,
    now: DateTime<Utc>,
) -> Result<(Uuid, bool), StoreError> {
    if let Some(id) = person_by_match_key(tx, &person.match_key).await? {
        return Ok((id, false));
    }
    let id = Uuid::now_v7();
    let inserted = exec(
        tx.conn(),
        "INSERT INTO rollout_persons (tenant_id, id, family_name, given_names, birth_date, nationality, match_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant_id, match_key) DO NOTHING",
        vec![
            tx.tenant_id().0.into(),
            id.into(),
            person.family_name.clone().into(),
            person.given_names.clone().into(),
            person.birth_date.into(),
            person.nationality.clone().into(),
            person.match_key.clone().into(),
            now.into(),
        ],
    )
    .await?;
    if inserted > 0 {
        return Ok((id, true));
    }
    match person_by_match_key(tx, &person.match_key).await? {
        Some(existing) => Ok((existing, false)),
        None => Err(StoreError::Conflict("rollout person")),
    }
}

async fn person_by_match_key(tx: &TenantTx, match_key: &str) -> Result<Option<Uuid>, StoreError> {
    one(
        tx.conn(),
        "SELECT id FROM rollout_persons WHERE tenant_id = $1 AND match_key = $2",
        vec![tx.tenant_id().0.into(), match_key.into()],
    )
    .await?
    .map(|row| get(&row, "id"))
    .transpose()
}

#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub id: Uuid,
    pub device_id: Uuid,
    pub idempotency_key: String,
    pub person_id: Uuid,
    pub person_created: bool,
    pub captured_at: DateTime<Utc>,
    pub personal_data: String,
    pub documents: String,
    pub key_version: i32,
    pub photo_sealed: Option<String>,
    pub fingerprints_sealed: Option<String>,
}

/// A registration already received under this idempotency key: (id, person, person created).
pub async fn registration_by_key(
    tx: &TenantTx,
    device_id: Uuid,
    key: &str,
) -> Result<Option<(Uuid, Uuid, bool)>, StoreError> {
    one(
        tx.conn(),
        "SELECT id, person_id, person_created FROM pik_registrations \
         WHERE tenant_id = $1 AND device_id = $2 AND idempotency_key = $3",
        vec![tx.tenant_id().0.into(), device_id.into(), key.into()],
    )
    .await?
    .map(|row| {
        Ok((
            get(&row, "id")?,
            get(&row, "person_id")?,
            get(&row, "person_created")?,
        ))
    })
    .transpose()
}

pub async fn insert_registration(
    tx: &TenantTx,
    reg: &NewRegistration,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO pik_registrations (tenant_id, id, device_id, idempotency_key, person_id, person_created, \
         captured_at, received_at, personal_data, documents, key_version, photo_sealed, fingerprints_sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        vec![
            tx.tenant_id().0.into(),
            reg.id.into(),
            reg.device_id.into(),
            reg.idempotency_key.clone().into(),
            reg.person_id.into(),
            reg.person_created.into(),
            reg.captured_at.into(),
            now.into(),
            reg.personal_data.clone().into(),
            reg.documents.clone().into(),
            reg.key_version.into(),
            reg.photo_sealed.clone().into(),
            reg.fingerprints_sealed.clone().into(),
        ],
    )
    .await
    .map_err(|err| insert_err(err, "duplicate-registration"))?;
    Ok(())
}

/// A registration as case processing picks it up: identifiers and dates, no biometric data.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationSummary {
    pub id: Uuid,
    pub device_id: Uuid,
    pub person_id: Uuid,
    pub person_created: bool,
    pub captured_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub has_photo: bool,
    pub has_fingerprints: bool,
}

/// Registrations no case has taken up yet, oldest first. Case processing (migration 0005's
/// persons and cases) calls this and then [`mark_registration_processed`].
pub async fn unprocessed_registrations(
    tx: &TenantTx,
    limit: u64,
) -> Result<Vec<RegistrationSummary>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT id, device_id, person_id, person_created, captured_at, received_at, \
                photo_sealed IS NOT NULL AS has_photo, fingerprints_sealed IS NOT NULL AS has_fingerprints \
         FROM pik_registrations WHERE tenant_id = $1 AND processed_at IS NULL \
         ORDER BY received_at, id LIMIT $2",
        vec![
            tx.tenant_id().0.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RegistrationSummary {
                id: get(row, "id")?,
                device_id: get(row, "device_id")?,
                person_id: get(row, "person_id")?,
                person_created: get(row, "person_created")?,
                captured_at: get(row, "captured_at")?,
                received_at: get(row, "received_at")?,
                has_photo: get(row, "has_photo")?,
                has_fingerprints: get(row, "has_fingerprints")?,
            })
        })
        .collect()
}

pub async fn mark_registration_processed(
    tx: &TenantTx,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "UPDATE pik_registrations SET processed_at = $3 WHERE tenant_id = $1 AND id = $2",
        vec![tx.tenant_id().0.into(), id.into(), now.into()],
    )
    .await?;
    Ok(())
}

/// The full record, with personal data and sealed biometrics; callers audit the read.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: Uuid,
    pub person_id: Uuid,
    pub personal_data: String,
    pub documents: String,
    pub key_version: i32,
    pub photo_sealed: Option<String>,
    pub fingerprints_sealed: Option<String>,
}

pub async fn registration(tx: &TenantTx, id: Uuid) -> Result<Registration, StoreError> {
    let row = one(
        tx.conn(),
        "SELECT id, person_id, personal_data, documents, key_version, photo_sealed, fingerprints_sealed \
         FROM pik_registrations WHERE tenant_id = $1 AND id = $2",
        vec![tx.tenant_id().0.into(), id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Registration {
        id: get(&row, "id")?,
        person_id: get(&row, "person_id")?,
        personal_data: get(&row, "personal_data")?,
        documents: get(&row, "documents")?,
        key_version: get(&row, "key_version")?,
        photo_sealed: get(&row, "photo_sealed")?,
        fingerprints_sealed: get(&row, "fingerprints_sealed")?,
    })
}

/// (registrations, distinct persons) of the tenant.
pub async fn registration_counts(tx: &TenantTx) -> Result<(i64, i64), StoreError> {
    let row = one(
        tx.conn(),
        "SELECT COUNT(*) AS registrations, COUNT(DISTINCT person_id) AS persons \
         FROM pik_registrations WHERE tenant_id = $1",
        vec![tx.tenant_id().0.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((get(&row, "registrations")?, get(&row, "persons")?))
}

// ---------------------------------------------------------------------------------------------
// Registrations into cases: blocking for the matching engine, and the clerk's reviews

/// Case persons (`persons`, the cases area's table) who may be the registered person: born on
/// the same day, or with the same phonetic family key (the first part of `match_key`). The
/// matching engine scores them; this only keeps the comparison small.
pub async fn case_persons_near(
    tx: &TenantTx,
    birth_date: &str,
    family_key: &str,
    limit: u64,
) -> Result<Vec<Uuid>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT id FROM persons WHERE tenant_id = $1 AND (birth_date = $2 OR match_key LIKE $3) \
         ORDER BY created_at LIMIT $4",
        vec![
            tx.tenant_id().0.into(),
            birth_date.into(),
            format!("{family_key}|%").into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    )
    .await?;
    rows.iter().map(|row| get(row, "id")).collect()
}

/// A registration waiting for a clerk: the engine's proposals as JSON, best first.
#[derive(Debug, Clone)]
pub struct MatchReview {
    pub registration_id: Uuid,
    pub proposals: String,
    pub state: String,
    pub person_id: Option<Uuid>,
    pub case_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn match_review_from(row: &QueryResult) -> Result<MatchReview, StoreError> {
    Ok(MatchReview {
        registration_id: get(row, "registration_id")?,
        proposals: get(row, "proposals")?,
        state: get(row, "state")?,
        person_id: get(row, "person_id")?,
        case_id: get(row, "case_id")?,
        created_at: get(row, "created_at")?,
    })
}

const MATCH_REVIEW_COLUMNS: &str =
    "registration_id, proposals, state, person_id, case_id, created_at";

pub async fn insert_match_review(
    tx: &TenantTx,
    registration_id: Uuid,
    proposals: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO pik_match_reviews (tenant_id, registration_id, proposals, state, created_at) \
         VALUES ($1, $2, $3, 'open', $4)",
        vec![
            tx.tenant_id().0.into(),
            registration_id.into(),
            proposals.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Open reviews, oldest first.
pub async fn open_match_reviews(tx: &TenantTx, limit: u64) -> Result<Vec<MatchReview>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT {MATCH_REVIEW_COLUMNS} FROM pik_match_reviews WHERE tenant_id = $1 AND state = 'open' \
             ORDER BY created_at, registration_id LIMIT $2"
        ),
        vec![
            tx.tenant_id().0.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    )
    .await?;
    rows.iter().map(match_review_from).collect()
}

pub async fn match_review(tx: &TenantTx, registration_id: Uuid) -> Result<MatchReview, StoreError> {
    let row = one(
        tx.conn(),
        &format!(
            "SELECT {MATCH_REVIEW_COLUMNS} FROM pik_match_reviews WHERE tenant_id = $1 AND registration_id = $2"
        ),
        vec![tx.tenant_id().0.into(), registration_id.into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    match_review_from(&row)
}

/// Records the clerk's decision; `NotFound` unless the review is still open.
pub async fn decide_match_review(
    tx: &TenantTx,
    registration_id: Uuid,
    person_id: Uuid,
    case_id: Uuid,
    decided_by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changed = exec(
        tx.conn(),
        "UPDATE pik_match_reviews SET state = 'decided', person_id = $3, case_id = $4, decided_by = $5, \
         decided_at = $6 WHERE tenant_id = $1 AND registration_id = $2 AND state = 'open'",
        vec![
            tx.tenant_id().0.into(),
            registration_id.into(),
            person_id.into(),
            case_id.into(),
            decided_by.into(),
            now.into(),
        ],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A decision that can still be taken back: its case has not moved on.
#[derive(Debug, Clone)]
pub struct UndoableMatch {
    pub registration_id: Uuid,
    pub proposals: String,
    pub person_id: Uuid,
    pub case_id: Uuid,
    pub decided_at: DateTime<Utc>,
}

/// A case has moved on once anything but its opening is in its history or a document is filed
/// in it; from then on the decision stands and is corrected in the case itself.
const CASE_UNTOUCHED: &str = "NOT EXISTS (SELECT 1 FROM case_history h WHERE h.tenant_id = r.tenant_id \
     AND h.case_id = r.case_id AND h.action <> 'open') \
     AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id = r.tenant_id AND d.case_id = r.case_id)";

/// Decided reviews whose case has not moved on, newest decision first.
pub async fn undoable_matches(tx: &TenantTx, limit: u64) -> Result<Vec<UndoableMatch>, StoreError> {
    let rows = all(
        tx.conn(),
        &format!(
            "SELECT r.registration_id, r.proposals, r.person_id, r.case_id, r.decided_at \
             FROM pik_match_reviews r WHERE r.tenant_id = $1 AND r.state = 'decided' \
             AND {CASE_UNTOUCHED} ORDER BY r.decided_at DESC, r.registration_id LIMIT $2"
        ),
        vec![
            tx.tenant_id().0.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(UndoableMatch {
                registration_id: get(row, "registration_id")?,
                proposals: get(row, "proposals")?,
                person_id: get(row, "person_id")?,
                case_id: get(row, "case_id")?,
                decided_at: get(row, "decided_at")?,
            })
        })
        .collect()
}

/// One decided review, if its case has not moved on: `NotFound` without a review,
/// `Conflict("match-not-decided")` for an open one, `Conflict("match-moved-on")` once the case
/// moved on.
pub async fn undoable_match(
    tx: &TenantTx,
    registration_id: Uuid,
) -> Result<UndoableMatch, StoreError> {
    let review = match_review(tx, registration_id).await?;
    let (Some(person_id), Some(case_id)) = (review.person_id, review.case_id) else {
        return Err(StoreError::Conflict("match-not-decided"));
    };
    let row = one(
        tx.conn(),
        &format!(
            "SELECT r.decided_at FROM pik_match_reviews r WHERE r.tenant_id = $1 \
             AND r.registration_id = $2 AND r.state = 'decided' AND {CASE_UNTOUCHED}"
        ),
        vec![tx.tenant_id().0.into(), registration_id.into()],
    )
    .await?
    .ok_or(StoreError::Conflict("match-moved-on"))?;
    Ok(UndoableMatch {
        registration_id,
        proposals: review.proposals,
        person_id,
        case_id,
        decided_at: get(&row, "decided_at")?,
    })
}

/// Takes a decision back: deletes the untouched case (and the person the decision created, if
/// nothing else refers to it yet), marks the registration unprocessed and reopens the review.
/// The caller has checked with [`undoable_match`] in the same transaction and audits the undo.
/// Returns whether the person was deleted.
pub async fn undo_match(
    tx: &TenantTx,
    undone: &UndoableMatch,
    person_created: bool,
) -> Result<bool, StoreError> {
    let tenant = tx.tenant_id().0;
    let case_values = || vec![tenant.into(), undone.case_id.into()];
    exec(
        tx.conn(),
        "DELETE FROM case_history WHERE tenant_id = $1 AND case_id = $2",
        case_values(),
    )
    .await?;
    exec(
        tx.conn(),
        "DELETE FROM cases WHERE tenant_id = $1 AND id = $2",
        case_values(),
    )
    .await?;
    let mut person_deleted = false;
    if person_created {
        let person_values = || vec![tenant.into(), undone.person_id.into()];
        let still_used = one(
            tx.conn(),
            "SELECT (SELECT COUNT(*) FROM cases WHERE tenant_id = $1 AND person_id = $2) \
             + (SELECT COUNT(*) FROM documents WHERE tenant_id = $1 AND person_id = $2) AS uses",
            person_values(),
        )
        .await?
        .map(|row| get::<i64>(&row, "uses"))
        .transpose()?
        .unwrap_or(0);
        if still_used == 0 {
            for table in ["person_names", "person_addresses", "person_titles"] {
                exec(
                    tx.conn(),
                    &format!("DELETE FROM {table} WHERE tenant_id = $1 AND person_id = $2"),
                    person_values(),
                )
                .await?;
            }
            person_deleted = exec(
                tx.conn(),
                "DELETE FROM persons WHERE tenant_id = $1 AND id = $2",
                person_values(),
            )
            .await?
                > 0;
        }
    }
    exec(
        tx.conn(),
        "UPDATE pik_registrations SET processed_at = NULL WHERE tenant_id = $1 AND id = $2",
        vec![tenant.into(), undone.registration_id.into()],
    )
    .await?;
    let reopened = exec(
        tx.conn(),
        "UPDATE pik_match_reviews SET state = 'open', person_id = NULL, case_id = NULL, \
         decided_by = NULL, decided_at = NULL \
         WHERE tenant_id = $1 AND registration_id = $2 AND state = 'decided'",
        vec![tenant.into(), undone.registration_id.into()],
    )
    .await?;
    if reopened == 0 {
        return Err(StoreError::Conflict("match-not-decided"));
    }
    Ok(person_deleted)
}

// ---------------------------------------------------------------------------------------------
// Surveys

#[derive(Debug, Clone, Serialize)]
pub struct DigitalizationSurvey {
    pub id: Uuid,
    pub surveyed_on: NaiveDate,
    pub service: String,
    pub vendor: String,
    pub dms: bool,
    pub scanning: bool,
    pub efile_share_pct: i32,
    pub online_services: i32,
    pub level_ozg: i32,
    pub level_2025: i32,
}

pub async fn add_survey(
    tx: &TenantTx,
    s: &DigitalizationSurvey,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO digitalization_surveys (tenant_id, id, surveyed_on, service, vendor, dms, scanning, \
         efile_share_pct, online_services, level_ozg, level_2025, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        vec![
            tx.tenant_id().0.into(),
            s.id.into(),
            s.surveyed_on.into(),
            s.service.clone().into(),
            s.vendor.clone().into(),
            s.dms.into(),
            s.scanning.into(),
            s.efile_share_pct.into(),
            s.online_services.into(),
            s.level_ozg.into(),
            s.level_2025.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn upsert_sina_answer(
    tx: &TenantTx,
    survey_id: Uuid,
    requested: i32,
    justification: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx.conn(),
        "INSERT INTO sina_answers (tenant_id, survey_id, requested, justification, answered_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, survey_id) DO UPDATE SET \
         requested = excluded.requested, justification = excluded.justification, answered_at = excluded.answered_at",
        vec![
            tx.tenant_id().0.into(),
            survey_id.into(),
            requested.into(),
            justification.into(),
            now.into(),
        ],
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Platform tables: funds, allocations, SINA survey rounds

#[derive(Debug, Clone, Serialize)]
pub struct Fund {
    pub id: String,
    pub name: String,
    pub total_cents: i64,
    pub usable_until: Option<NaiveDate>,
    pub budget_reference: String,
}

pub async fn funds(conn: &impl ConnectionTrait) -> Result<Vec<Fund>, StoreError> {
    let rows = all(
        conn,
        "SELECT id, name, total_cents, usable_until, budget_reference FROM rollout_funds ORDER BY id",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Fund {
                id: get(row, "id")?,
                name: get(row, "name")?,
                total_cents: get(row, "total_cents")?,
                usable_until: get(row, "usable_until")?,
                budget_reference: get(row, "budget_reference")?,
            })
        })
        .collect()
}

/// (tenant, fund, amount) of every allocation.
pub async fn allocations(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, String, i64)>, StoreError> {
    let rows = all(
        conn,
        "SELECT tenant_id, fund_id, amount_cents FROM rollout_allocations",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                get(row, "tenant_id")?,
                get(row, "fund_id")?,
                get(row, "amount_cents")?,
            ))
        })
        .collect()
}

pub async fn set_allocation(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    fund: &str,
    amount_cents: i64,
    basis: &str,
) -> Result<(), StoreError> {
    exec(
        conn,
        "INSERT INTO rollout_allocations (tenant_id, fund_id, amount_cents, basis) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, fund_id) DO UPDATE SET amount_cents = excluded.amount_cents, basis = excluded.basis",
        vec![tenant.into(), fund.into(), amount_cents.into(), basis.into()],
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct SinaSurvey {
    pub id: Uuid,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub closes_on: NaiveDate,
    pub closed_at: Option<DateTime<Utc>>,
}

pub async fn open_sina_survey(
    conn: &impl ConnectionTrait,
    title: &str,
    closes_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    exec(
        conn,
        "INSERT INTO sina_surveys (id, title, opened_at, closes_on) VALUES ($1, $2, $3, $4)",
        vec![id.into(), title.into(), now.into(), closes_on.into()],
    )
    .await?;
    Ok(id)
}

pub async fn sina_surveys(conn: &impl ConnectionTrait) -> Result<Vec<SinaSurvey>, StoreError> {
    let rows = all(
        conn,
        "SELECT id, title, opened_at, closes_on, closed_at FROM sina_surveys ORDER BY opened_at DESC",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SinaSurvey {
                id: get(row, "id")?,
                title: get(row, "title")?,
                opened_at: get(row, "opened_at")?,
                closes_on: get(row, "closes_on")?,
                closed_at: get(row, "closed_at")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The ministry's aggregate transaction

/// A read-only transaction across tenants for the rollout administration tables only.
pub struct AggregateTx {
    tx: DatabaseTransaction,
}

impl AggregateTx {
    pub async fn begin(db: &Database) -> Result<Self, StoreError> {
        let tx = db.connection().begin().await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            tx.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT set_config('app.rollout_aggregate', 'on', true)",
            ))
            .await?;
            tx.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                "SET TRANSACTION READ ONLY",
            ))
            .await?;
        }
        Ok(Self { tx })
    }

    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub async fn finish(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}

pub async fn all_subscriptions(agg: &AggregateTx) -> Result<Vec<Subscription>, StoreError> {
    let rows = all(
        agg.conn(),
        &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM efa_subscriptions"),
        vec![],
    )
    .await?;
    rows.iter().map(subscription).collect()
}

/// Done items per tenant: (tenant, item) pairs of ticked items.
pub async fn all_checklist_done(agg: &AggregateTx) -> Result<Vec<(Uuid, String)>, StoreError> {
    let rows = all(
        agg.conn(),
        "SELECT tenant_id, item FROM rollout_checklist WHERE done",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| Ok((get(row, "tenant_id")?, get(row, "item")?)))
        .collect()
}

/// Ledger sums grouped by tenant, service, kind, status, payer, source and period.
#[derive(Debug, Clone, Serialize)]
pub struct CostGroup {
    pub tenant_id: Uuid,
    pub service: Option<String>,
    pub kind: String,
    pub status: String,
    pub payer: String,
    pub funding_source: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount_cents: i64,
}

pub async fn cost_groups(agg: &AggregateTx) -> Result<Vec<CostGroup>, StoreError> {
    let rows = all(
        agg.conn(),
        "SELECT tenant_id, service, kind, status, payer, funding_source, period_start, period_end, \
                CAST(SUM(amount_cents) AS bigint) AS amount_cents \
         FROM cost_ledger GROUP BY tenant_id, service, kind, status, payer, funding_source, period_start, period_end",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CostGroup {
                tenant_id: get(row, "tenant_id")?,
                service: get(row, "service")?,
                kind: get(row, "kind")?,
                status: get(row, "status")?,
                payer: get(row, "payer")?,
                funding_source: get(row, "funding_source")?,
                period_start: get(row, "period_start")?,
                period_end: get(row, "period_end")?,
                amount_cents: get(row, "amount_cents")?,
            })
        })
        .collect()
}

/// A device without its serial: what the health figures need.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceFacts {
    pub tenant_id: Uuid,
    pub kind: String,
    pub state: String,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub certificate_expires_on: Option<NaiveDate>,
    pub smartcard_expires_on: Option<NaiveDate>,
}

pub async fn device_facts(agg: &AggregateTx) -> Result<Vec<DeviceFacts>, StoreError> {
    let rows = all(
        agg.conn(),
        "SELECT tenant_id, kind, state, last_heartbeat_at, certificate_expires_on, smartcard_expires_on FROM devices",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DeviceFacts {
                tenant_id: get(row, "tenant_id")?,
                kind: get(row, "kind")?,
                state: get(row, "state")?,
                last_heartbeat_at: get(row, "last_heartbeat_at")?,
                certificate_expires_on: get(row, "certificate_expires_on")?,
                smartcard_expires_on: get(row, "smartcard_expires_on")?,
            })
        })
        .collect()
}

/// Survey levels over time: (tenant, service, date, level 0–4, level 0–7).
#[derive(Debug, Clone, Serialize)]
pub struct SurveyLevel {
    pub tenant_id: Uuid,
    pub service: String,
    pub surveyed_on: NaiveDate,
    pub level_ozg: i32,
    pub level_2025: i32,
}

pub async fn survey_levels(agg: &AggregateTx) -> Result<Vec<SurveyLevel>, StoreError> {
    let rows = all(
        agg.conn(),
        "SELECT tenant_id, service, surveyed_on, level_ozg, level_2025 FROM digitalization_surveys \
         ORDER BY surveyed_on, created_at",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok(SurveyLevel {
                tenant_id: get(row, "tenant_id")?,
                service: get(row, "service")?,
                surveyed_on: get(row, "surveyed_on")?,
                level_ozg: get(row, "level_ozg")?,
                level_2025: get(row, "level_2025")?,
            })
        })
        .collect()
}

/// (tenant, survey, requested, approved) of every SINA answer.
pub async fn sina_answers(
    agg: &AggregateTx,
) -> Result<Vec<(Uuid, Uuid, i32, Option<i32>)>, StoreError> {
    let rows = all(
        agg.conn(),
        "SELECT tenant_id, survey_id, requested, approved FROM sina_answers",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                get(row, "tenant_id")?,
                get(row, "survey_id")?,
                get(row, "requested")?,
                get(row, "approved")?,
            ))
        })
        .collect()
}

/// The tenant's own answers: (survey, requested, approved).
pub async fn own_sina_answers(tx: &TenantTx) -> Result<Vec<(Uuid, i32, Option<i32>)>, StoreError> {
    let rows = all(
        tx.conn(),
        "SELECT survey_id, requested, approved FROM sina_answers WHERE tenant_id = $1",
        vec![tx.tenant_id().0.into()],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                get(row, "survey_id")?,
                get(row, "requested")?,
                get(row, "approved")?,
            ))
        })
        .collect()
}

/// The ministry approves an allotment: written in the tenant's own transaction.
pub async fn approve_sina(
    tx: &TenantTx,
    survey_id: Uuid,
    approved: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let changed = exec(
        tx.conn(),
        "UPDATE sina_answers SET approved = $3, approved_at = $4 WHERE tenant_id = $1 AND survey_id = $2",
        vec![
            tx.tenant_id().0.into(),
            survey_id.into(),
            approved.into(),
            now.into(),
        ],
    )
    .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Offboarding: export, then delete

/// The audit log and its head stay: the chain is append-only and is the record of the offboarding
/// itself.
const KEPT_TABLES: &[&str] = &["audit_log", "audit_heads"];

/// Tenant-owned tables that exist in this database (later migrations add more), children first,
/// so deleting in this order never breaks a foreign key. PostgreSQL: every table with a
/// tenant-isolation policy. SQLite: every table with a `tenant_id` column except the platform
/// tables and the full-text indexes (virtual tables kept in step by triggers).
pub async fn tenant_tables(conn: &impl ConnectionTrait) -> Result<Vec<String>, StoreError> {
    let (tables_sql, edges_sql) = match conn.get_database_backend() {
        DbBackend::Postgres => (
            "SELECT DISTINCT p.tablename::text AS name FROM pg_policies p \
             WHERE p.schemaname = 'public' AND p.policyname = 'tenant_isolation'",
            "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent \
             FROM pg_constraint c WHERE c.contype = 'f'",
        ),
        _ => (
            "SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' \
             AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' \
             AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'tenant_id')",
            "SELECT m.name AS child, f.\"table\" AS parent \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
        ),
    };
    let rows = all(conn, tables_sql, vec![]).await?;
    let mut tables: Vec<String> = rows
        .iter()
        .map(|row| get(row, "name"))
        .collect::<Result<Vec<String>, _>>()?
        .into_iter()
        .filter(|t| {
            !KEPT_TABLES.contains(&t.as_str())
                && !amtsweg_migrations::PLATFORM_TABLES.contains(&t.as_str())
        })
        .collect();
    tables.sort();
    let edges = all(conn, edges_sql, vec![]).await?;
    let edges: Vec<(String, String)> = edges
        .iter()
        .map(|row| Ok((get(row, "child")?, get(row, "parent")?)))
        .collect::<Result<_, StoreError>>()?;
    // Children first: repeatedly take a table no remaining table references.
    let mut ordered = Vec::new();
    let mut left = tables;
    while !left.is_empty() {
        let pick = left
            .iter()
            .position(|t| {
                !edges
                    .iter()
                    .any(|(child, parent)| parent == t && child != t && left.contains(child))
            })
            .unwrap_or(0);
        ordered.push(left.remove(pick));
    }
    Ok(ordered)
}

/// A column's value as PostgreSQL's `row_to_json` writes it, in SQLite: identifiers (16-byte
/// blobs in `id`, `…_id`, `…_by` columns) as UUID text, other blobs as `\x` and hex (bytea's
/// text form), booleans as `true`/`false`; text and numbers as stored.
fn sqlite_json_value(column: &str, declared: &str) -> String {
    let c = format!("\"{}\"", column.replace('"', "\"\""));
    let hex = format!("lower(hex({c}))");
    let identifier = column == "id" || column.ends_with("_id") || column.ends_with("_by");
    let blob = if identifier {
        format!(
            "CASE WHEN length({c}) = 16 THEN substr({hex}, 1, 8) || '-' || substr({hex}, 9, 4) \
             || '-' || substr({hex}, 13, 4) || '-' || substr({hex}, 17, 4) || '-' \
             || substr({hex}, 21, 12) ELSE '\\x' || {hex} END"
        )
    } else {
        format!("'\\x' || {hex}")
    };
    if declared.eq_ignore_ascii_case("boolean") {
        format!("CASE WHEN {c} IS NULL THEN NULL WHEN {c} THEN json('true') ELSE json('false') END")
    } else {
        format!("CASE typeof({c}) WHEN 'blob' THEN {blob} ELSE {c} END")
    }
}

/// One `SELECT` per table giving each row as a JSON line `{"table": …, "row": {…}}`.
async fn export_select(conn: &impl ConnectionTrait, table: &str) -> Result<String, StoreError> {
    if conn.get_database_backend() == DbBackend::Postgres {
        return Ok(format!(
            "SELECT json_build_object('table', '{table}', 'row', row_to_json(t))::text AS line \
             FROM \"{table}\" t WHERE tenant_id = $1 ORDER BY 1"
        ));
    }
    let columns = all(
        conn,
        "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        vec![table.into()],
    )
    .await?;
    let mut fields = Vec::with_capacity(columns.len());
    for column in &columns {
        let name: String = get(column, "name")?;
        let declared: String = get(column, "type")?;
        fields.push(format!(
            "'{}', {}",
            name.replace('\'', "''"),
            sqlite_json_value(&name, &declared)
        ));
    }
    Ok(format!(
        "SELECT json_object('table', '{table}', 'row', json_object({})) AS line \
         FROM \"{table}\" WHERE tenant_id = $1 ORDER BY 1",
        fields.join(", ")
    ))
}

/// Every row of the tenant as JSON lines (`{"table": …, "row": {…}}`), parents first. Sorted,
/// so the same data always gives the same text and digest.
pub async fn export_lines(tx: &TenantTx) -> Result<Vec<String>, StoreError> {
    let mut lines = Vec::new();
    let mut tables = tenant_tables(tx.conn()).await?;
    tables.reverse();
    for table in tables {
        let select = export_select(tx.conn(), &table).await?;
        for row in all(tx.conn(), &select, vec![tx.tenant_id().0.into()]).await? {
            lines.push(get(&row, "line")?);
        }
    }
    Ok(lines)
}

/// Deletes every tenant-owned row except the audit chain, and the tenant's rows in platform
/// tables: sign-in entries, sessions, allocations, reconciliation aggregates and queued jobs.
/// Returns rows deleted per table.
pub async fn delete_tenant_data(tx: &TenantTx) -> Result<Vec<(String, u64)>, StoreError> {
    let tenant = tx.tenant_id().0;
    let mut out = Vec::new();
    for table in tenant_tables(tx.conn()).await? {
        let deleted = exec(
            tx.conn(),
            &format!("DELETE FROM \"{table}\" WHERE tenant_id = $1"),
            vec![tenant.into()],
        )
        .await?;
        out.push((table, deleted));
    }
    for table in [
        "login_directory",
        "auth_sessions",
        "rollout_allocations",
        "reconciliation_aggregates",
        "job_queue",
    ] {
        let deleted = exec(
            tx.conn(),
            &format!("DELETE FROM {table} WHERE tenant_id = $1"),
            vec![tenant.into()],
        )
        .await?;
        out.push((table.to_owned(), deleted));
    }
    Ok(out)
}
