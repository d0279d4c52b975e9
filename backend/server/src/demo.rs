//! Demo accounts for the embedded default: created once on an empty database, their credentials
//! printed once. Each staff account has its second factor enrolled already, so a first visitor can
//! sign in with an authenticator app or with `amtsweg demo totp EMAIL`.

use amtsweg_domain::{Role, TenantId};
use amtsweg_http::AppState;
use amtsweg_http::security::{self, totp};
use amtsweg_store::{Database, tenants, users};
use anyhow::{Context, bail};
use uuid::Uuid;

use crate::config::Config;

/// (slug, e-mail, name, role)
const DEMO_STAFF: &[(&str, &str, &str, Role)] = &[
    (
        "mhkbd",
        "betrieb@amtsweg.demo",
        "Betrieb (Demo)",
        Role::PlatformOperator,
    ),
    (
        "mhkbd",
        "ministerium@amtsweg.demo",
        "Ministerium (Demo)",
        Role::MinistryAnalyst,
    ),
    (
        "abh-kreis-borken",
        "admin@borken.amtsweg.demo",
        "Admin Kreis Borken (Demo)",
        Role::TenantAdmin,
    ),
    (
        "abh-kreis-borken",
        "sachbearbeitung@borken.amtsweg.demo",
        "Sachbearbeitung Borken (Demo)",
        Role::Clerk,
    ),
    (
        "abh-kreis-borken",
        "leitung@borken.amtsweg.demo",
        "Teamleitung Borken (Demo)",
        Role::Approver,
    ),
    (
        "abh-bielefeld",
        "admin@bielefeld.amtsweg.demo",
        "Admin Bielefeld (Demo)",
        Role::TenantAdmin,
    ),
];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    if users::directory_lookup(state.db.connection(), DEMO_STAFF[0].1)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let now = state.clock.now();
    let mut lines = Vec::new();
    for (slug, email, name, role) in DEMO_STAFF {
        let tenant = tenants::by_slug(state.db.connection(), slug)
            .await
            .with_context(|| format!("demo tenant {slug}"))?;
        let password = security::random_token()[..16].to_owned();
        let hash = security::hash_password(state.settings.password, password.clone())
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        let secret = totp::new_secret();
        let tx = state.db.tenant(TenantId(tenant.id)).await?;
        let user = users::create(
            &tx,
            users::NewUser {
                id: Uuid::now_v7(),
                email: (*email).to_owned(),
                display_name: (*name).to_owned(),
                role: role.as_str().to_owned(),
                password_hash: Some(hash),
            },
            now,
        )
        .await?;
        users::set_pending_totp(&tx, user.id, secret.clone(), now).await?;
        users::enable_totp(&tx, user.id, Vec::new(), now).await?;
        tx.commit().await?;
        lines.push(format!(
            "  {email:<40} {password}  TOTP secret {secret}  ({}, {})",
            role.as_str(),
            tenant.name
        ));
    }
    println!("\nDemo accounts (shown once; passwords are not stored in clear anywhere):");
    for line in lines {
        println!("{line}");
    }
    println!("Add a TOTP secret to an authenticator app, or print the current code with");
    println!("  cargo run -- demo totp EMAIL\n");
    Ok(())
}

pub async fn print_totp(config: &Config, email: &str) -> anyhow::Result<()> {
    if !config.is_sqlite() {
        bail!("`demo totp` works only on the embedded default database");
    }
    let db = Database::connect(&config.database_url, 1).await?;
    let entry = users::directory_lookup(db.connection(), &email.trim().to_lowercase())
        .await?
        .context("no such account")?;
    let tenant = entry.tenant_id.context("not a staff account")?;
    let tx = db.tenant(TenantId(tenant)).await?;
    let user = users::get(&tx, entry.user_id).await?;
    tx.commit().await?;
    if !user.email.ends_with(".demo") {
        bail!("`demo totp` works only for demo accounts");
    }
    let secret = user.totp_secret.context("no second factor enrolled")?;
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default();
    println!(
        "{}",
        totp::code_at(&secret, now).map_err(|err| anyhow::anyhow!("{err}"))?
    );
    Ok(())
}
