//! Health, readiness, metrics, security headers, the OpenAPI document and the catalog import.

use amtsweg_domain::Role;
use serde_json::Value;

use crate::support::{APP_ROLE, OWNER_ROLE, TestApp, client, url_for, workspace_dir};

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let health = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready: Value = client()
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database"], true);
    assert_eq!(ready["redis"], "ok");

    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let _ = client()
        .get(app.url(&format!("/api/v1/users/{}", clerk.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let metrics = client()
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("amtsweg_http_requests_total{method=\"GET\",route=\"/api/v1/users/{id}\",status=\"404\"}"), "{metrics}");
    assert!(metrics.contains("amtsweg_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("amtsweg_signins_total{outcome=\"success\"} 1"));
    assert!(metrics.contains("amtsweg_db_pool_connections{state=\"max\"} 5"));
    assert!(
        !metrics.contains(&clerk.email) && !metrics.contains(&clerk.id.to_string()),
        "no personal data in metrics"
    );
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/sign-in", "/api/v1/me", "/does-not-exist"] {
        let response = client().get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        for name in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
            "strict-transport-security",
        ] {
            assert!(headers.contains_key(name), "{path} lacks {name}");
        }
        // The one script (the kiosk's warning) comes from this origin; nothing inline, nothing else.
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe"), "{policy}");
    }
    let missing = client()
        .get(app.url("/does-not-exist"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing.text().await.unwrap().contains("<html"),
        "browsers get an HTML error page"
    );
    let api = client().get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(api.status(), 401);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_checked_in_openapi_document_is_current() {
    let generated = amtsweg_http::openapi::document_json();
    let path = workspace_dir().join("docs/api/openapi.json");
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored.trim() == generated.trim(),
        "docs/api/openapi.json is stale: run `cargo run -- openapi > docs/api/openapi.json`"
    );
    let parsed: Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(parsed["openapi"], "3.1.0");
    let app = TestApp::spawn().await;
    let served: Value = client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, parsed);
    let page = client()
        .get(app.url("/api/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("/api/v1/auth/token"),
        "the API page lists the operations"
    );
}

#[tokio::test]
async fn the_catalog_import_is_idempotent_and_the_operator_sees_every_authority() {
    let app = TestApp::spawn().await;
    let report = amtsweg::catalog::import(&app.state.db, None, false)
        .await
        .unwrap();
    assert!(report.contains("0 added, 0 changed"), "{report}");
    let operator = app.staff("mhkbd", Role::PlatformOperator).await;
    let token = app.token(&operator).await;
    let tenants: Value = client()
        .get(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = tenants.as_array().unwrap();
    assert_eq!(list.len(), 187);
    assert_eq!(list.iter().filter(|t| t["kind"] == "abh").count(), 88);
    assert_eq!(list.iter().filter(|t| t["kind"] == "zab").count(), 5);
    assert_eq!(list.iter().filter(|t| t["pilot"] == true).count(), 6);
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let analyst_token = app.token(&analyst).await;
    let denied = client()
        .get(app.url("/api/v1/tenants"))
        .bearer_auth(&analyst_token)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
}

/// Migration 0019 on a database that already holds data written under the old rules: persons and
/// cases numbered before the counters existed (which 0017, running as the owner under forced
/// row-level security, could not see) and a person created twice by racing registrations. After
/// it the counters continue after the numbers in use, the duplicates are one person with every
/// registration, and row-level security is forced again.
#[tokio::test]
async fn the_upgrade_repairs_counters_and_duplicate_registration_persons() {
    use amtsweg_migrations::{Migrator, MigratorTrait};
    use amtsweg_store::{Database, rollout};
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    // The template's creation makes the owner and application roles.
    crate::support::template().await;
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let server = Database::connect(&crate::support::admin_url(), 1)
        .await
        .unwrap();
    server
        .connection()
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\" OWNER {OWNER_ROLE}"))
        .await
        .unwrap();
    server.close().await;
    let owner = Database::connect(&url_for(OWNER_ROLE, &name), 2)
        .await
        .unwrap();
    let before_last = u32::try_from(Migrator::migrations().len() - 1).unwrap();
    Migrator::up(owner.connection(), Some(before_last))
        .await
        .unwrap();

    let mut admin_url = url::Url::parse(&crate::support::admin_url()).unwrap();
    admin_url.set_path(&format!("/{name}"));
    let admin = Database::connect(admin_url.as_str(), 1).await.unwrap();
    let tenant = uuid::Uuid::now_v7();
    let device = uuid::Uuid::now_v7();
    let person = uuid::Uuid::now_v7();
    let twins: Vec<uuid::Uuid> = (0..3).map(|_| uuid::Uuid::now_v7()).collect();
    let mut sql = format!(
        "INSERT INTO tenants (id, slug, name, kind, carrier, vendor, lifecycle, created_at, updated_at) \
         VALUES ('{tenant}', 'abh-upgrade', 'ABH Upgrade', 'abh', 'kreis', 'none', 'live', now(), now());
         INSERT INTO persons (tenant_id, id, file_number, family_name, given_names, match_key, created_at, updated_at) \
         VALUES ('{tenant}', '{person}', 'ABH-P-41', 'A', 'B', 'k', now(), now()),
                ('{tenant}', '{}', 'ABH-P-7', 'C', 'D', 'l', now(), now());
         INSERT INTO cases (tenant_id, id, reference, person_id, process_id, process_version, process_kind, step, \
                            state, holder_role, step_started_at, created_at, updated_at) \
         VALUES ('{tenant}', '{}', 'ABH-2026-0099', '{person}', 'aufenthalt', 1, 'model', 'pruefung', 'open', \
                 'clerk', now(), now(), now());
         INSERT INTO devices (tenant_id, id, kind, serial, state, payer, created_at, updated_at) \
         VALUES ('{tenant}', '{device}', 'pik_chassis', 'PIK-1', 'active', 'state', now(), now());",
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    for (n, twin) in twins.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO rollout_persons (tenant_id, id, family_name, given_names, birth_date, nationality, match_key, created_at) \
             VALUES ('{tenant}', '{twin}', 'Haddad', 'Rania', '1994-03-17', 'SYR', 'HTT|RN|1994-03-17', now() + interval '{n} seconds');
             INSERT INTO pik_registrations (tenant_id, id, device_id, idempotency_key, person_id, person_created, \
                                            captured_at, received_at, personal_data, documents, key_version) \
             VALUES ('{tenant}', '{}', '{device}', 'key-{n}', '{twin}', true, now(), now(), 'sealed', '[]', 1);",
            uuid::Uuid::now_v7()
        ));
    }
    admin.connection().execute_unprepared(&sql).await.unwrap();

    Migrator::up(owner.connection(), None).await.unwrap();
    owner.close().await;

    let rows = |sql: &str| {
        let admin = &admin;
        let sql = sql.to_owned();
        async move {
            admin
                .connection()
                .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .unwrap()
        }
    };
    let counters: Vec<(String, i64)> =
        rows("SELECT name, value FROM number_sequences ORDER BY name")
            .await
            .iter()
            .map(|row| {
                (
                    row.try_get_by_index(0).unwrap(),
                    row.try_get_by_index(1).unwrap(),
                )
            })
            .collect();
    assert_eq!(
        counters,
        vec![("cases".to_owned(), 99), ("persons".to_owned(), 41)]
    );
    let persons: Vec<uuid::Uuid> = rows("SELECT id FROM rollout_persons")
        .await
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert_eq!(persons, vec![twins[0]], "the person created first is kept");
    let registrations: Vec<(uuid::Uuid, bool)> =
        rows("SELECT person_id, person_created FROM pik_registrations ORDER BY idempotency_key")
            .await
            .iter()
            .map(|row| {
                (
                    row.try_get_by_index(0).unwrap(),
                    row.try_get_by_index(1).unwrap(),
                )
            })
            .collect();
    assert_eq!(
        registrations,
        vec![(twins[0], true), (twins[0], false), (twins[0], false)]
    );
    let unforced = rows(
        "SELECT relname::text FROM pg_class WHERE relname IN \
         ('rollout_persons', 'pik_registrations', 'persons', 'cases', 'number_sequences') \
         AND NOT (relrowsecurity AND relforcerowsecurity)",
    )
    .await;
    assert!(unforced.is_empty(), "row-level security is forced again");
    admin.close().await;

    // The application, under row-level security, numbers on and finds the one person.
    let app = Database::connect(&url_for(APP_ROLE, &name), 2)
        .await
        .unwrap();
    let tx = app.tenant(amtsweg_domain::TenantId(tenant)).await.unwrap();
    let (found, created) = rollout::find_or_create_person(
        &tx,
        &rollout::NewPerson {
            family_name: "Haddad".into(),
            given_names: "Rania".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1994, 3, 17).unwrap(),
            nationality: "SYR".into(),
            match_key: "HTT|RN|1994-03-17".into(),
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((found, created), (twins[0], false));
    app.close().await;
}
