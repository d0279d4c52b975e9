//! `amtsweg seed cases`: fills one tenant with synthetic persons, cases (with history), document
//! records and the staff who work them, for the case-processing benchmark (`bench/cases/run.sh`:
//! worklists, case view, e-file listing, full-text search). PostgreSQL only: set-based inserts with
//! `generate_series`, one tenant transaction per batch, so row-level security applies as in
//! production.
//!
//! The data is shaped like an authority's: most cases are decided (five years of them), about one
//! in sixteen is open or waiting, held by one of the clerks, by a team lead at the approval step,
//! or in the team's basket; a third of the open ones are overdue and some of those escalated.
//! Family names follow a long tail (a few very common ones, hundreds of rarer ones); document texts
//! carry the words of real files, the person's name and file number, so full-text search has
//! common and rare terms. Identifiers are derived from the tenant and a sequence number
//! (`md5(…)::uuid`), so a second run with the same numbers inserts nothing twice (`ON CONFLICT DO
//! NOTHING`). Document records point at no bytes (`seed/…` object keys): the benchmark measures
//! the database, not the object store.

use amtsweg_domain::{Role, TenantId};
use amtsweg_http::security::{self, PasswordParams, totp};
use amtsweg_store::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use amtsweg_store::{Database, users};
use anyhow::{Context, bail};
use uuid::Uuid;

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
    /// Clerks (Sachbearbeitung) who hold the cases.
    #[arg(long, default_value_t = 40)]
    pub clerks: i64,
    /// Team leads (approvers).
    #[arg(long, default_value_t = 4)]
    pub approvers: i64,
    /// Password of every seeded staff account (`bench-clerk-NN@…`, `bench-approver-NN@…`); their
    /// TOTP secrets are enrolled and stored as for any account.
    #[arg(long, env = "AMTSWEG_SEED_STAFF_PASSWORD", hide_env_values = true)]
    pub staff_password: String,
    /// Rows per transaction.
    #[arg(long, default_value_t = 50_000)]
    pub batch: i64,
}

/// The family name of person `n`: one in four carries one of twenty common names, the others one
/// of 870 rarer ones built from syllables.
fn family_name(n: &str) -> String {
    format!(
        "(CASE WHEN {n} % 4 = 0 THEN (ARRAY['Yılmaz','Kaya','Demir','Nowak','Kowalski','Haddad','Hussein','Ivanenko', \
           'Shevchenko','Popescu','Ahmadi','Rahimi','Okafor','Mensah','Nguyen','Petrović','Hoxha','Gashi','Şahin','Öztürk'])[1 + ({n} / 4) % 20] \
         ELSE initcap((ARRAY['ab','al','bar','ber','cel','dar','el','far','gul','ha','ir','jan','kar','lem','mar','nas','or', \
           'pol','ra','sal','tar','ul','var','wal','yil','zor','ko','me','ni','su'])[1 + {n} % 30] || \
           (ARRAY['ani','ari','ović','enko','escu','oğlu','ski','idis','ow','ek','mann','er','i','ova','ić','ay','demir','han', \
           'ler','soy','taş','vić','ak','an','ez','ou','ing','ke','ussi'])[1 + ({n} / 30) % 29]) END)"
    )
}

fn given_names(n: &str) -> String {
    format!(
        "(ARRAY['Ayşe','Mehmet','Olena','Andrii','Fatima','Omar','Jan','Anna','Ali','Maryam','Ivan','Daria', \
          'Elif','Yusuf','Nadia','Karim','Sofia','Tomasz','Amina','Hassan','Iryna','Emre','Leyla','Samuel'])[1 + ({n} / 7) % 24]"
    )
}

fn persons_sql() -> String {
    format!(
        "INSERT INTO persons (tenant_id, id, file_number, azr_number, family_name, given_names, \
         birth_date, birth_country, nationality, match_key, register, register_reason, register_changed_at, created_at, updated_at) \
         SELECT $1, md5($1::text || ':p:' || g)::uuid, 'S-' || lpad(g::text, 8, '0'), lpad((100000000000 + g)::text, 12, '0'), \
           {}, {}, to_char(date '1950-01-01' + (g % 20000)::int, 'YYYY-MM-DD'), \
           (ARRAY['TUR','SYR','UKR','POL','AFG','IRQ','ROU','NGA','GHA','VNM','XKX'])[1 + g % 11], \
           (ARRAY['TUR','SYR','UKR','POL','AFG','IRQ','ROU','NGA','GHA','VNM','XKX'])[1 + g % 11], 'seed|' || (g % 5000), \
           CASE WHEN g % 50 = 0 THEN 'B' ELSE 'A' END, CASE WHEN g % 50 = 0 THEN 'moved_away' END, \
           CASE WHEN g % 50 = 0 THEN now() - ((g % 4000) || ' days')::interval END, \
           now() - ((g % 3000) || ' days')::interval, now() \
         FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING",
        family_name("g"),
        given_names("g")
    )
}

/// Per case `g`: `open` (one in sixteen), `created` (open: the last 120 days; decided: the five
/// years before), `closed`, and the current `step` of its process (`g % 5`).
const CASE_SHAPE: &str = "LATERAL (SELECT g % 16 = 0 AS open, \
      CASE WHEN g % 16 = 0 THEN now() - (g % 120) * interval '1 day' \
           ELSE now() - (120 + g % 1700) * interval '1 day' - (g % 86400) * interval '1 second' END AS created) o, \
    LATERAL (SELECT CASE WHEN o.open THEN NULL ELSE o.created + (20 + g % 100) * interval '1 day' END AS closed, \
      CASE WHEN NOT o.open THEN (ARRAY['decided','decided','decided','decided','registered'])[1 + g % 5] \
           WHEN g % 5 = 0 THEN (ARRAY['intake','ba_consent','review','approval'])[1 + (g / 16) % 4] \
           WHEN g % 5 IN (1, 2) THEN (ARRAY['intake','security_query','review','approval'])[1 + (g / 16) % 4] \
           WHEN g % 5 = 3 THEN (ARRAY['intake','approval'])[1 + (g / 16) % 2] \
           ELSE (ARRAY['capture','security_check','approval'])[1 + (g / 16) % 3] END AS step, \
      CASE WHEN g % 5 = 4 THEN 'capture' ELSE 'intake' END AS first_step, \
      (ARRAY['ba_consent','security_query','security_query','approval','security_check'])[1 + g % 5] AS second_step) x";

/// `$5` clerks, `$6` approvers; user `k` is `md5(tenant || ':u:' || k)`, clerks first.
fn cases_sql() -> String {
    format!(
        "INSERT INTO cases (tenant_id, id, reference, person_id, process_id, process_version, process_kind, \
         step, state, holder_user_id, holder_role, clerk_user_id, step_due_at, case_due_at, reminded_at, escalated_at, \
         decision, step_started_at, created_at, updated_at, closed_at) \
         SELECT $1, md5($1::text || ':c:' || g)::uuid, 'S' || lpad(g::text, 9, '0'), \
           md5($1::text || ':p:' || (1 + g % $4))::uuid, \
           (ARRAY['residence-extension','settlement-permit','naturalization','commitment-declaration','refugee-registration'])[1 + g % 5], \
           1, 'model', x.step, \
           CASE WHEN NOT o.open THEN 'decided' \
                WHEN x.step IN ('ba_consent','security_query','security_check') THEN 'waiting' ELSE 'open' END, \
           CASE WHEN o.open AND (g / 16) % 3 = 0 THEN NULL \
                WHEN o.open AND x.step = 'approval' THEN md5($1::text || ':u:' || ($5 + abs(hashint8(g)) % $6))::uuid \
                WHEN o.open THEN md5($1::text || ':u:' || (abs(hashint8(g)) % $5))::uuid \
                ELSE md5($1::text || ':u:' || ((g / 3) % $5))::uuid END, \
           CASE WHEN x.step = 'approval' THEN 'approver' ELSE 'clerk' END, \
           CASE WHEN NOT o.open THEN md5($1::text || ':u:' || ((g / 3) % $5))::uuid \
                WHEN x.step = 'approval' THEN md5($1::text || ':u:' || (abs(hashint8(g)) % $5))::uuid END, \
           CASE WHEN o.open THEN now() + ((g % 60) - 20) * interval '1 day' END, \
           o.created + interval '90 days', \
           CASE WHEN o.open AND g % 60 < 20 AND g % 7 < 3 THEN now() - interval '2 days' END, \
           CASE WHEN o.open AND g % 60 < 20 AND g % 7 = 0 THEN now() - interval '1 day' END, \
           CASE WHEN o.open THEN NULL WHEN g % 9 = 0 THEN 'refused' ELSE 'granted' END, \
           CASE WHEN o.open THEN now() - (g % 10) * interval '1 day' ELSE x.closed END, \
           o.created, coalesce(x.closed, now()), x.closed \
         FROM generate_series($2::bigint, $3::bigint) g, {CASE_SHAPE} ON CONFLICT DO NOTHING"
    )
}

/// The routing folder: an open case was opened, taken and commented on; a decided one was opened,
/// taken, forwarded twice and approved.
fn history_sql() -> String {
    format!(
        "INSERT INTO case_history (tenant_id, case_id, seq, at, actor, action, from_step, to_step, comment, decision) \
         SELECT $1, md5($1::text || ':c:' || g)::uuid, s, \
           CASE WHEN s = 5 THEN x.closed WHEN s = 4 THEN x.closed - interval '3 days' \
                ELSE o.created + (s - 1) * interval '2 days' END, \
           md5($1::text || ':u:' || ((g / 3) % $5))::uuid::text, \
           CASE WHEN s = 1 THEN 'open' WHEN s = 2 THEN 'take' \
                WHEN s = 3 AND o.open THEN 'comment' \
                WHEN s = 4 AND x.second_step = 'approval' THEN 'comment' WHEN s = 5 THEN 'approve' ELSE 'forward' END, \
           CASE WHEN s = 3 AND NOT o.open THEN x.first_step \
                WHEN s = 4 AND x.second_step <> 'approval' THEN x.second_step WHEN s = 5 THEN 'approval' END, \
           CASE WHEN s = 1 THEN x.first_step WHEN s = 3 AND NOT o.open THEN x.second_step \
                WHEN s = 4 AND x.second_step <> 'approval' THEN 'approval' WHEN s = 5 THEN x.step END, \
           CASE WHEN s = 3 THEN (ARRAY['Unterlagen vollständig','Nachweis Lebensunterhalt angefordert', \
                'Rückfrage beim Arbeitgeber','Vorsprache vereinbart'])[1 + g % 4] END, \
           CASE WHEN s = 5 THEN CASE WHEN g % 9 = 0 THEN 'refused' ELSE 'granted' END END \
         FROM generate_series($2::bigint, $3::bigint) g, generate_series(1, 5) s, {CASE_SHAPE} \
         WHERE s <= CASE WHEN o.open THEN 3 ELSE 5 END ON CONFLICT DO NOTHING"
    )
}

/// Fifteen documents per person at the default sizes; four in five belong to one of the person's
/// cases (`$5` cases). The text carries the title, two phrases of a real file, the file number and
/// the person's name.
fn documents_sql() -> String {
    format!(
        "INSERT INTO documents (tenant_id, id, person_id, case_id, title, media_type, source, plan_position, \
         reference_position, current_version, body_text, created_at, updated_at) \
         SELECT $1, md5($1::text || ':d:' || g)::uuid, md5($1::text || ':p:' || x.p)::uuid, \
           CASE WHEN g % 5 = 0 OR x.cg < 1 OR x.cg > $5 THEN NULL ELSE md5($1::text || ':c:' || x.cg)::uuid END, \
           x.title, 'application/pdf', (ARRAY['scan','online_application','generated','pik','received'])[1 + g % 5], \
           x.position, x.position, 1, \
           x.title || '. ' || \
           (ARRAY['Antrag auf Verlängerung der Aufenthaltserlaubnis nach § 18b AufenthG', \
             'Nachweis über ausreichenden Wohnraum','Sicherung des Lebensunterhalts durch Erwerbstätigkeit', \
             'Zustimmung der Bundesagentur für Arbeit nach § 39 AufenthG','Sprachnachweis Deutsch Niveau B1', \
             'Krankenversicherungsschutz nachgewiesen','Passersatzpapier beantragt','Anhörung vor Ablehnung', \
             'Verpflichtungserklärung nach § 68 AufenthG','Einbürgerungstest bestanden', \
             'Sicherheitsabfrage nach § 73 AufenthG ohne Erkenntnisse','Meldebescheinigung der Stadt', \
             'Fiktionsbescheinigung ausgestellt'])[1 + g % 13] || '. ' || \
           (ARRAY['Unterlagen vollständig','Nachforderung von Unterlagen','Frist zur Stellungnahme zwei Wochen', \
             'Vorsprache am Schalter','Eingang per Post','Eingang über das Portal','Scan der Poststelle', \
             'Übermittlung an die Zentrale Ausländerbehörde','Rückfrage beim Arbeitgeber','Bescheid zugestellt', \
             'Gebühr bezahlt'])[1 + (g / 13) % 11] || \
           '. Aktenzeichen S-' || lpad(x.p::text, 8, '0') || ', ' || {} || ', ' || {} || '.', \
           now() - (g % 2000) * interval '1 day' - (g % 86400) * interval '1 second', now() \
         FROM generate_series($2::bigint, $3::bigint) g, \
           LATERAL (SELECT 1 + g % $4 AS p, (g % $4) + $4 * ((g / $4) % greatest($5 / $4, 1)) AS cg, \
             (ARRAY['Reisepass','Antrag auf Verlängerung','Bescheid','Meldebescheinigung','Arbeitsvertrag','Mietvertrag', \
               'Gehaltsabrechnung','Sprachzertifikat B1','Geburtsurkunde','Zustimmung der Bundesagentur', \
               'Krankenversicherung','Lichtbild'])[1 + (g / 7) % 12] AS title, \
             (ARRAY['01.01','02.01','02.03','01.03','02.02','02.02','02.02','02.04','01.02','02.03','02.02','01.01'])[1 + (g / 7) % 12] AS position) x \
         ON CONFLICT DO NOTHING",
        family_name("x.p"),
        given_names("x.p")
    )
}

const VERSIONS: &str = "INSERT INTO document_versions (tenant_id, document_id, version, object_key, sha256, size_bytes, created_at, created_by) \
    SELECT $1, md5($1::text || ':d:' || g)::uuid, 1, 'seed/' || g, md5(g::text) || md5(g::text), 100000 + g % 900000, now(), 'seed' \
    FROM generate_series($2::bigint, $3::bigint) g ON CONFLICT DO NOTHING";

/// Runs `sql` over `1..=total` in transactions of `batch` numbers; `$1` is the tenant, `$2..$3`
/// the range, `extra` the parameters from `$4` on.
async fn batches(
    db: &Database,
    tenant: TenantId,
    what: &str,
    sql: &str,
    total: i64,
    batch: i64,
    extra: &[i64],
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut from = 1;
    while from <= total {
        let to = (from + batch - 1).min(total);
        let tx = db.tenant(tenant).await?;
        let mut values: Vec<Value> = vec![tenant.0.into(), from.into(), to.into()];
        values.extend(extra.iter().map(|v| Value::from(*v)));
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
    println!("{what}: {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The staff who hold the seeded cases: `clerks` clerks, then `approvers` team leads, with the
/// ids the case rows name. Existing accounts are left alone.
async fn staff(
    db: &Database,
    tenant: TenantId,
    slug: &str,
    args: &SeedCasesArgs,
    params: PasswordParams,
) -> anyhow::Result<()> {
    let hash = security::hash_password(params, args.staff_password.clone())
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let now = amtsweg_domain::clock::Clock::now(&amtsweg_domain::clock::SystemClock);
    for k in 0..args.clerks + args.approvers {
        let (role, n) = if k < args.clerks {
            (Role::Clerk, k)
        } else {
            (Role::Approver, k - args.clerks)
        };
        let kind = if role == Role::Clerk {
            "clerk"
        } else {
            "approver"
        };
        let email = format!("bench-{kind}-{n:02}@{slug}.bench.invalid");
        if users::directory_lookup(db.connection(), &email)
            .await?
            .is_some()
        {
            continue;
        }
        let tx = db.tenant(tenant).await?;
        let row = tx
            .conn()
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT md5($1::text || ':u:' || $2)::uuid AS id",
                vec![tenant.0.into(), k.into()],
            ))
            .await?
            .context("no user id")?;
        let id: Uuid = row.try_get("", "id")?;
        let user = users::create(
            &tx,
            users::NewUser {
                id,
                email,
                display_name: if role == Role::Clerk {
                    format!("Sachbearbeitung {n:02} (Last)")
                } else {
                    format!("Teamleitung {n:02} (Last)")
                },
                role: role.as_str().to_owned(),
                password_hash: Some(hash.clone()),
            },
            now,
        )
        .await?;
        users::set_pending_totp(&tx, user.id, totp::new_secret(), now).await?;
        users::enable_totp(&tx, user.id, Vec::new(), now).await?;
        tx.commit().await?;
    }
    println!(
        "staff: {} clerks, {} approvers (bench-clerk-NN@{slug}.bench.invalid, bench-approver-NN@…)",
        args.clerks, args.approvers
    );
    Ok(())
}

pub async fn run(config: &Config, args: &SeedCasesArgs) -> anyhow::Result<()> {
    let db = Database::connect(&config.database_url, 2).await?;
    if !db.is_postgres() {
        bail!("the benchmark seed needs PostgreSQL (AMTSWEG_DATABASE_URL)");
    }
    if args.persons < 1 || args.batch < 1 || args.clerks < 1 || args.approvers < 1 {
        bail!("--persons, --clerks, --approvers and --batch must be at least 1");
    }
    let started = std::time::Instant::now();
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
    let params = PasswordParams {
        memory_kib: config.password_memory_kib,
        iterations: config.password_iterations,
    };
    staff(&db, tenant, &args.tenant, args, params).await?;
    let (b, p) = (args.batch, args.persons);
    let users = [args.clerks, args.approvers];
    batches(&db, tenant, "persons", &persons_sql(), p, b, &[]).await?;
    let case_params = [p, users[0], users[1]];
    batches(
        &db,
        tenant,
        "cases",
        &cases_sql(),
        args.cases,
        b,
        &case_params,
    )
    .await?;
    batches(
        &db,
        tenant,
        "case history",
        &history_sql(),
        args.cases,
        b / 4 + 1,
        &[p, users[0]],
    )
    .await?;
    batches(
        &db,
        tenant,
        "documents",
        &documents_sql(),
        args.documents,
        b,
        &[p, args.cases],
    )
    .await?;
    batches(
        &db,
        tenant,
        "document versions",
        VERSIONS,
        args.documents,
        b,
        &[],
    )
    .await?;
    // Statistics and the visibility map, as autovacuum would leave them on a live system (this
    // needs the schema owner; as another role PostgreSQL skips the tables with a warning).
    db.connection()
        .execute_unprepared(
            "VACUUM (ANALYZE) persons, cases, case_history, documents, document_versions, users",
        )
        .await?;
    println!(
        "seeded {} with {} persons, {} cases, {} documents in {:.0} s",
        args.tenant,
        args.persons,
        args.cases,
        args.documents,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
