//! `amtsweg seed cases`: fills one tenant with synthetic persons, cases (with history) and document
//! records for the case-processing benchmark (worklists, case view, e-file listing, full-text
//! search). PostgreSQL only: set-based inserts with `generate_series`, one tenant transaction per
//! batch, so row-level security applies as in production. Identifiers are derived from the tenant
//! and a sequence number (`md5(…)::uuid`), so a second run with the same numbers inserts nothing
//! twice (`ON CONFLICT DO NOTHING`). Document records point at no bytes (`seed/…` object keys):
//! the benchmark measures the database, not the object store.

use amtsweg_domain::TenantId;
use amtsweg_store::Database;
use amtsweg_store::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use anyhow::{Context, bail};

use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct SeedCasesArgs {
    /// The tenant's slug, e.g. `abh-bielefeld`.
    #[arg(long)]
    pub tenant: String,
    #[arg(long, default_value_t = 200_000)]
    pub persons: i64,
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: i64,
    #[arg(long, default_value_t = 3_000_000)]
    pub documents: i64,
    /// Rows per transaction.
    #[arg(long, default_value_t = 50_000)]
    pub batch: i64,
}

const PERSONS: &str = "INSERT INTO persons (tenant_id, id, file_number, azr_number, family_name, given_names, \
    birth_date, birth_country, nationality, match_key, register, register_reason, register_changed_at, created_at, updated_at) \
    SELECT $1, md5($1::text || ':p:' || g)::uuid, 'S-' || lpad(g::text, 8, '0'), lpad((100000000000 + g)::text, 12, '0'), \
      (ARRAY['Yılmaz','Kaya','Demir','Nowak','Kowalski','Haddad','Hussein','Ivanenko','Shevchenko','Popescu', \
             'Ahmadi','Rahimi','Okafor','Mensah','Nguyen','Petrović','Hoxha','Gashi','Sahin','Öztürk'])[1 + g % 20], \
      (ARRAY['Ayşe','Mehmet','Olena','Andrii','Fatima','Omar','Jan','Anna','Ali','Maryam','Ivan','Daria'])[1 + (g / 20) % 12], \
      to_char(date '1950-01-01' + (g % 20000)::int, 'YYYY-MM-DD'), 'XXX', 'XXX', 'seed|' || (g % 5000), \
      CASE WHEN g % 50 = 0 THEN 'B' ELSE 'A' END, CASE WHEN g % 50 = 0 THEN 'moved_away' END, \
      CASE WHEN g % 50 = 0 THEN now() - ((g % 4000) || ' days')::interval END, now(), now() \
    FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING";

const CASES: &str = "INSERT INTO cases (tenant_id, id, reference, person_id, process_id, process_version, process_kind, \
    step, state, holder_user_id, holder_role, step_due_at, case_due_at, step_started_at, created_at, updated_at, decision, closed_at) \
    SELECT $1, md5($1::text || ':c:' || g)::uuid, 'S' || lpad(g::text, 9, '0'), \
      md5($1::text || ':p:' || (1 + g % $4))::uuid, \
      (ARRAY['residence-extension','settlement-permit','naturalization','commitment-declaration','refugee-registration'])[1 + g % 5], \
      1, 'model', \
      (ARRAY['intake','review','approval','decided'])[1 + g % 4], \
      (ARRAY['open','open','open','decided'])[1 + g % 4], \
      CASE WHEN g % 3 = 0 THEN NULL ELSE md5($1::text || ':u:' || (g % 40))::uuid END, \
      CASE WHEN g % 4 = 2 THEN 'approver' ELSE 'clerk' END, \
      now() + (((g % 60) - 20) || ' days')::interval, now() + '70 days'::interval, \
      now() - ((g % 30) || ' days')::interval, now() - ((g % 900) || ' days')::interval, now(), \
      CASE WHEN g % 4 = 3 THEN 'granted' END, CASE WHEN g % 4 = 3 THEN now() END \
    FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING";

const HISTORY: &str = "INSERT INTO case_history (tenant_id, case_id, seq, at, actor, action, to_step, comment) \
    SELECT $1, md5($1::text || ':c:' || g)::uuid, s, now() - ((g % 900) || ' days')::interval + (s || ' hours')::interval, \
      'seed', (ARRAY['open','take','forward'])[s], 'intake', CASE WHEN s = 3 THEN 'Unterlagen vollständig' END \
    FROM generate_series($2::bigint, $3::bigint) g, generate_series(1, 3) s ON CONFLICT DO NOTHING";

const DOCUMENTS: &str = "INSERT INTO documents (tenant_id, id, person_id, case_id, title, media_type, source, plan_position, \
    reference_position, current_version, body_text, created_at, updated_at) \
    SELECT $1, md5($1::text || ':d:' || g)::uuid, md5($1::text || ':p:' || (1 + g % $4))::uuid, NULL, \
      (ARRAY['Reisepass','Antrag auf Verlängerung','Bescheid','Meldebescheinigung','Arbeitsvertrag','Mietvertrag', \
             'Gehaltsabrechnung','Sprachzertifikat B1','Geburtsurkunde','Zustimmung der Bundesagentur'])[1 + g % 10], \
      'application/pdf', (ARRAY['scan','online_application','generated','pik','received'])[1 + g % 5], \
      (ARRAY['01.01','02.01','02.03','01.03','02.02','02.01','08','02.04','01.02','02.02'])[1 + g % 10], \
      (ARRAY['01.01','02.01','02.03','01.03','02.02','02.01','08','02.04','01.02','02.02'])[1 + g % 10], \
      1, 'Seite ' || g || ' Aufenthaltserlaubnis Beschäftigung Lebensunterhalt Wohnraum', \
      now() - ((g % 2000) || ' days')::interval, now() \
    FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING";

const VERSIONS: &str = "INSERT INTO document_versions (tenant_id, document_id, version, object_key, sha256, size_bytes, created_at, created_by) \
    SELECT $1, md5($1::text || ':d:' || g)::uuid, 1, 'seed/' || g, md5(g::text) || md5(g::text), 100000 + g % 900000, now(), 'seed' \
    FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING";

async fn batches(
    db: &Database,
    tenant: TenantId,
    what: &str,
    sql: &str,
    total: i64,
    batch: i64,
    persons: i64,
) -> anyhow::Result<()> {
    let mut from = 1;
    while from <= total {
        let to = (from + batch - 1).min(total);
        let tx = db.tenant(tenant).await?;
        let mut values: Vec<Value> = vec![tenant.0.into(), from.into(), to.into()];
        if sql.contains("$4") {
            values.push(persons.into());
        }
        tx.conn()
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await
            .with_context(|| format!("seeding {what} {from}..{to}"))?;
        tx.commit().await?;
        println!("{what}: {to}/{total}");
        from = to + 1;
    }
    Ok(())
}

pub async fn run(config: &Config, args: &SeedCasesArgs) -> anyhow::Result<()> {
    let db = Database::connect(&config.database_url, 2).await?;
    if !db.is_postgres() {
        bail!("the benchmark seed needs PostgreSQL (AMTSWEG_DATABASE_URL)");
    }
    if args.persons < 1 || args.batch < 1 {
        bail!("--persons and --batch must be at least 1");
    }
    let tenant = TenantId(
        amtsweg_store::tenants::by_slug(db.connection(), &args.tenant)
            .await
            .with_context(|| format!("no tenant `{}`", args.tenant))?
            .id,
    );
    // The model definitions the seeded cases run on.
    let tx = db.tenant(tenant).await?;
    for model in amtsweg_cases::process::models()? {
        amtsweg_store::cases::publish_model(
            &tx,
            &model.id,
            i32::try_from(model.version).unwrap_or(1),
            &model.name,
            &model.to_toml(),
            amtsweg_domain::clock::Clock::now(&amtsweg_domain::clock::SystemClock),
        )
        .await?;
    }
    tx.commit().await?;
    let b = args.batch;
    batches(
        &db,
        tenant,
        "persons",
        PERSONS,
        args.persons,
        b,
        args.persons,
    )
    .await?;
    batches(&db, tenant, "cases", CASES, args.cases, b, args.persons).await?;
    batches(
        &db,
        tenant,
        "case history",
        HISTORY,
        args.cases,
        b / 3 + 1,
        args.persons,
    )
    .await?;
    batches(
        &db,
        tenant,
        "documents",
        DOCUMENTS,
        args.documents,
        b,
        args.persons,
    )
    .await?;
    batches(
        &db,
        tenant,
        "document versions",
        VERSIONS,
        args.documents,
        b,
        args.persons,
    )
    .await?;
    let tx = db.tenant(tenant).await?;
    tx.conn()
        .execute_unprepared("ANALYZE persons; ANALYZE cases; ANALYZE case_history; ANALYZE documents; ANALYZE document_versions;")
        .await?;
    tx.commit().await?;
    println!(
        "seeded {} with {} persons, {} cases, {} documents",
        args.tenant, args.persons, args.cases, args.documents
    );
    Ok(())
}
