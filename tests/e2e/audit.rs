//! The audit log: every change and every read of personal data is recorded in a hash chain per tenant,
//! and `amtsweg audit verify` finds a changed or deleted entry.

use amtsweg_domain::Role;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::Value;

use crate::support::{TestApp, binary, client};

async fn verify_cli(app: &TestApp, slug: &str) -> (i32, String) {
    let output = tokio::process::Command::new(binary())
        .args(["audit", "verify", "--tenant", slug])
        .env_clear()
        .env("DATABASE_URL", app.db.app_url())
        .env("AMTSWEG_LOG", "error")
        .output()
        .await
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn reads_and_changes_are_audited_and_tampering_is_found() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&admin).await;
    let read = client()
        .get(app.url(&format!("/api/v1/users/{}", clerk.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let disabled = client()
        .post(app.url(&format!("/api/v1/users/{}/disable", clerk.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 204);

    let log: Value = client()
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in ["sign_in", "user.read", "user.disabled"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    // The clerk's sign-in and personal data never reach another tenant's log or the logs' text.
    assert!(!log.to_string().contains(&clerk.email));

    let (code, out) = verify_cli(&app, "abh-kreis-borken").await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("intact"));

    // The application may append but never rewrite.
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let rewrite = tx
        .conn()
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "UPDATE audit_log SET action = 'nothing'",
        ))
        .await;
    assert!(
        rewrite.is_err(),
        "the app role must not update the audit log"
    );
    drop(tx);

    // Someone with database access changes one entry: verification names it.
    let superuser = app.db.admin().await;
    superuser
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE audit_log SET action = 'user.list' WHERE tenant_id = $1 AND action = 'user.disabled'",
            [admin.tenant.0.into()],
        ))
        .await
        .unwrap();
    let (code, out) = verify_cli(&app, "abh-kreis-borken").await;
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("BROKEN") && out.contains("Altered"), "{out}");

    let verify: Value = client()
        .post(app.url("/api/v1/audit/verify"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verify["intact"], false);

    // Another tenant's chain is unaffected.
    let (code, _) = verify_cli(&app, "abh-bielefeld").await;
    assert_eq!(code, 0);
}

#[tokio::test]
async fn a_deleted_entry_breaks_the_chain() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    for _ in 0..3 {
        client()
            .get(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
    }
    let superuser = app.db.admin().await;
    superuser
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 2",
            [admin.tenant.0.into()],
        ))
        .await
        .unwrap();
    let (code, out) = verify_cli(&app, "abh-kreis-borken").await;
    assert_eq!(code, 2);
    assert!(out.contains("Gap"), "{out}");
}
