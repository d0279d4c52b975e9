//! `amtsweg tenants import`: brings the reviewed catalog files into the database, idempotently.

use std::path::Path;

use amtsweg_domain::TenantId;
use amtsweg_store::Database;
use amtsweg_store::audit::NewEntry;
use amtsweg_store::tenants::Tenant;
use amtsweg_tenants::{Catalog, Contact, ImportPlan, TenantRecord, plan_import};
use anyhow::{Context, bail};

use crate::config::Config;

pub async fn import_command(
    config: &Config,
    dir: Option<&Path>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let db = Database::connect(&config.database_url, 2).await?;
    let summary = import(&db, dir, dry_run).await?;
    println!("{summary}");
    Ok(())
}

/// Imports the catalog and returns the printed plan.
pub async fn import(db: &Database, dir: Option<&Path>, dry_run: bool) -> anyhow::Result<String> {
    let catalog = match dir {
        Some(dir) => Catalog::load_dir(dir),
        None => Catalog::embedded(),
    }
    .map_err(|err| anyhow::anyhow!("{err}"))
    .context("the tenant catalog is invalid")?;
    let existing: Vec<TenantRecord> = amtsweg_store::tenants::list(db.connection())
        .await?
        .into_iter()
        .map(to_record)
        .collect::<anyhow::Result<_>>()?;
    let plan: ImportPlan = plan_import(&existing, catalog.tenants());
    if !plan.is_applicable() {
        bail!("the catalog cannot be imported:\n{plan}");
    }
    let report = plan.to_string();
    if dry_run {
        return Ok(format!("(dry run, nothing changed)\n{report}"));
    }
    let now = chrono::Utc::now();
    let tx = db.platform().await?;
    for record in &plan.added {
        amtsweg_store::tenants::upsert(tx.conn(), to_model(record, now), now).await?;
    }
    for change in &plan.changed {
        amtsweg_store::tenants::upsert(tx.conn(), to_model(&change.updated, now), now).await?;
    }
    tx.commit().await?;
    if !plan.added.is_empty() || !plan.changed.is_empty() {
        let audit = db.tenant(amtsweg_store::PLATFORM_CHAIN).await?;
        amtsweg_store::audit::append(
            &audit,
            now,
            NewEntry::new("system:catalog", "tenants.imported").details(serde_json::json!({
                "added": plan.added.len(),
                "changed": plan.changed.len(),
                "unchanged": plan.unchanged.len(),
            })),
        )
        .await?;
        audit.commit().await?;
    }
    Ok(report)
}

fn empty_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

pub fn to_model(record: &TenantRecord, now: chrono::DateTime<chrono::Utc>) -> Tenant {
    Tenant {
        id: record.id.0,
        slug: record.slug.to_string(),
        name: record.name.clone(),
        kind: record.kind.to_string(),
        carrier: record.carrier.to_string(),
        regierungsbezirk: record.regierungsbezirk.map(|rb| rb.to_string()),
        ags: record.ags.as_ref().map(ToString::to_string),
        kreisschluessel: record.kreisschluessel.as_ref().map(ToString::to_string),
        abh_kennung: empty_to_none(record.abh_kennung.clone()),
        behoerdenkennzahl: empty_to_none(record.behoerdenkennzahl.clone()),
        vendor: record.vendor.to_string(),
        contact_email: empty_to_none(record.contact.email.clone()),
        contact_phone: empty_to_none(record.contact.phone.clone()),
        contact_website: empty_to_none(record.contact.website.clone()),
        lifecycle: record.lifecycle_state.to_string(),
        pilot: record.pilot,
        confirmed: record.confirmed,
        delegated_to: record.delegated_to.as_ref().map(ToString::to_string),
        source: Some(record.source.clone()),
        notes: empty_to_none(record.notes.clone()),
        created_at: now,
        updated_at: now,
    }
}

fn parse<T: std::str::FromStr>(field: &str, value: &str) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|err| anyhow::anyhow!("stored tenant field {field} `{value}`: {err}"))
}

pub fn to_record(model: Tenant) -> anyhow::Result<TenantRecord> {
    Ok(TenantRecord {
        id: TenantId(model.id),
        slug: parse("slug", &model.slug)?,
        name: model.name,
        kind: parse("kind", &model.kind)?,
        carrier: parse("carrier", &model.carrier)?,
        regierungsbezirk: model
            .regierungsbezirk
            .as_deref()
            .map(|v| parse("regierungsbezirk", v))
            .transpose()?,
        ags: model.ags.as_deref().map(|v| parse("ags", v)).transpose()?,
        kreisschluessel: model
            .kreisschluessel
            .as_deref()
            .map(|v| parse("kreisschluessel", v))
            .transpose()?,
        abh_kennung: model.abh_kennung,
        behoerdenkennzahl: model.behoerdenkennzahl,
        vendor: parse("vendor", &model.vendor)?,
        contact: Contact {
            email: model.contact_email,
            phone: model.contact_phone,
            website: model.contact_website,
        },
        lifecycle_state: parse("lifecycle", &model.lifecycle)?,
        pilot: model.pilot,
        delegated_to: model
            .delegated_to
            .as_deref()
            .map(|v| parse("delegated_to", v))
            .transpose()?,
        source: model.source.unwrap_or_default(),
        confirmed: model.confirmed,
        notes: model.notes,
    })
}
