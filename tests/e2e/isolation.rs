//! Tenant isolation: every route tried by every role of tenant A against tenant B's objects, and
//! PostgreSQL row-level security as the second wall underneath.

use std::collections::BTreeSet;

use amtsweg_domain::Role;
use amtsweg_store::Database;
use reqwest::Method;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{APP_ROLE, TestApp, client, signed_in_browser};

/// How a route is reached in the matrix.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    /// No object in the path: must only ever show the caller's own tenant.
    Own,
    /// `{id}` is a user of another tenant.
    User,
    /// `{id}` is another tenant (operators only).
    Tenant,
    /// Sign-in endpoints without a session.
    Anonymous,
}

/// Every API route. A route missing here fails `every_api_route_is_in_the_matrix`.
const ROUTES: &[(&str, &str, Target)] = &[
    ("POST", "/api/v1/auth/token", Target::Anonymous),
    ("POST", "/api/v1/auth/refresh", Target::Anonymous),
    ("POST", "/api/v1/auth/sign-out", Target::Own),
    ("POST", "/api/v1/auth/sign-out-everywhere", Target::Own),
    ("GET", "/api/v1/me", Target::Own),
    ("GET", "/api/v1/tenant", Target::Own),
    ("GET", "/api/v1/tenants", Target::Own),
    ("GET", "/api/v1/tenants/{id}", Target::Tenant),
    ("GET", "/api/v1/users", Target::Own),
    ("GET", "/api/v1/users/{id}", Target::User),
    ("POST", "/api/v1/users/{id}/disable", Target::User),
    ("PUT", "/api/v1/users/{id}/role", Target::User),
    ("POST", "/api/v1/invitations", Target::Own),
    ("GET", "/api/v1/invitations", Target::Own),
    ("GET", "/api/v1/audit", Target::Own),
    ("POST", "/api/v1/audit/verify", Target::Own),
    // Rollout (issue 6). Operator routes answer 404 to everyone else; `{id}` stays literal here
    // and is refused as not found. Cross-tenant objects are tried in tests/e2e/rollout.rs.
    ("POST", "/api/v1/rollout/tenants/{id}/invite", Target::Own),
    (
        "POST",
        "/api/v1/rollout/tenants/{id}/lifecycle",
        Target::Own,
    ),
    ("GET", "/api/v1/rollout/tenants/{id}/export", Target::Own),
    ("POST", "/api/v1/rollout/tenants/{id}/offboard", Target::Own),
    ("GET", "/api/v1/rollout/checklist", Target::Own),
    ("PUT", "/api/v1/rollout/checklist/{item}", Target::Own),
    ("GET", "/api/v1/rollout/subscriptions", Target::Own),
    (
        "PUT",
        "/api/v1/rollout/subscriptions/{service}",
        Target::Own,
    ),
    ("GET", "/api/v1/rollout/costs", Target::Own),
    ("POST", "/api/v1/rollout/costs", Target::Own),
    ("GET", "/api/v1/rollout/devices", Target::Own),
    ("POST", "/api/v1/rollout/devices", Target::Own),
    ("POST", "/api/v1/rollout/devices/{id}/state", Target::Own),
    (
        "POST",
        "/api/v1/rollout/devices/{id}/credentials",
        Target::Own,
    ),
    ("POST", "/api/v1/rollout/surveys", Target::Own),
    ("GET", "/api/v1/rollout/registrations", Target::Own),
    (
        "GET",
        "/api/v1/rollout/registrations/{id}/biometrics",
        Target::Own,
    ),
    ("POST", "/api/v1/devices/registrations", Target::Own),
    ("POST", "/api/v1/devices/heartbeat", Target::Own),
    ("POST", "/api/v1/devices/credential/rotate", Target::Own),
    ("GET", "/api/v1/ministry/overview", Target::Own),
    ("GET", "/api/v1/ministry/report.pdf", Target::Own),
    ("POST", "/api/v1/ministry/sina-surveys", Target::Own),
    ("GET", "/api/v1/ministry/sina-surveys/{id}", Target::Own),
    (
        "POST",
        "/api/v1/ministry/sina-surveys/{id}/approvals",
        Target::Own,
    ),
    ("GET", "/api/v1/rollout/sina-surveys", Target::Own),
    ("GET", "/api/v1/rollout/match-reviews", Target::Own),
    ("POST", "/api/v1/rollout/match-reviews/{id}", Target::Own),
    (
        "POST",
        "/api/v1/rollout/match-reviews/{id}/undo",
        Target::Own,
    ),
    ("PUT", "/api/v1/rollout/sina-surveys/{id}", Target::Own),
    // Reconciliation (issue 3): `{id}` is a run, pair or difference id; another tenant's user id
    // stands for a foreign object and must be 404. Cross-tenant runs: tests/e2e/reconciliation.rs.
    ("POST", "/api/v1/reconciliation/runs", Target::Own),
    ("GET", "/api/v1/reconciliation/runs", Target::Own),
    ("GET", "/api/v1/reconciliation/runs/{id}", Target::User),
    (
        "GET",
        "/api/v1/reconciliation/runs/{id}/differences",
        Target::User,
    ),
    (
        "GET",
        "/api/v1/reconciliation/runs/{id}/corrections.csv",
        Target::User,
    ),
    (
        "GET",
        "/api/v1/reconciliation/runs/{id}/corrections.xml",
        Target::User,
    ),
    ("GET", "/api/v1/reconciliation/pairs/{id}", Target::User),
    (
        "POST",
        "/api/v1/reconciliation/differences/{id}/decision",
        Target::User,
    ),
    ("GET", "/api/v1/ministry/reconciliation", Target::Own),
    ("POST", "/api/v1/persons", Target::Own),
    ("GET", "/api/v1/persons", Target::Own),
    ("GET", "/api/v1/persons/{id}", Target::Own),
    ("POST", "/api/v1/persons/{id}/register-b", Target::Own),
    ("GET", "/api/v1/processes", Target::Own),
    ("POST", "/api/v1/cases", Target::Own),
    ("GET", "/api/v1/cases", Target::Own),
    ("POST", "/api/v1/cases/deadlines", Target::Own),
    ("GET", "/api/v1/cases/{id}", Target::Own),
    ("POST", "/api/v1/cases/{id}/actions", Target::Own),
    ("POST", "/api/v1/persons/{id}/documents", Target::Own),
    ("GET", "/api/v1/documents", Target::Own),
    ("GET", "/api/v1/documents/{id}/content", Target::Own),
    ("POST", "/api/v1/retention/run", Target::Own),
    ("GET", "/api/v1/retention", Target::Own),
    ("POST", "/api/v1/retention/{id}/delete", Target::Own),
    ("POST", "/api/v1/transfers", Target::Own),
    ("GET", "/api/v1/transfers", Target::Own),
    ("POST", "/api/v1/transfers/{id}/consent", Target::Own),
    ("GET", "/api/v1/persons/{id}/export", Target::Own),
    ("POST", "/api/v1/imports", Target::Own),
    // Case administration (issue 5): `{id}` is a model id; each tenant sees and changes only its
    // own adoption of it. Cross-tenant adoptions and plans: tests/e2e/cases_admin.rs.
    ("GET", "/api/v1/tenant-processes", Target::Own),
    ("POST", "/api/v1/tenant-processes", Target::Own),
    ("PUT", "/api/v1/tenant-processes/{id}", Target::Own),
    ("POST", "/api/v1/tenant-processes/{id}/update", Target::Own),
    ("POST", "/api/v1/ministry/process-models", Target::Own),
    ("GET", "/api/v1/file-plan", Target::Own),
    ("PUT", "/api/v1/file-plan", Target::Own),
    ("GET", "/api/v1/throughput", Target::Own),
    ("GET", "/api/v1/ministry/throughput", Target::Own),
    // Portal and intake (issue 4): staff of A must not find B's application (`{id}`); portal
    // routes are the applicant's own and refuse staff. Cross-tenant applications: tests/e2e/portal.rs.
    ("GET", "/api/v1/intake/services", Target::Own),
    ("PUT", "/api/v1/intake/services/{key}/settings", Target::Own),
    ("GET", "/api/v1/intake/applications", Target::Own),
    ("GET", "/api/v1/intake/applications/{id}", Target::User),
    ("PUT", "/api/v1/intake/applications/{id}/state", Target::Own),
    ("GET", "/api/v1/intake/reconciliation", Target::Own),
    ("POST", "/api/v1/intake/resources", Target::Own),
    ("DELETE", "/api/v1/intake/resources/{id}", Target::User),
    ("GET", "/api/v1/intake/settings", Target::Own),
    ("GET", "/api/v1/intake/day", Target::Own),
    // Scan intake: another tenant's scan (`{id}`) is not found; tests/e2e/scans.rs tries B's real scan.
    ("POST", "/api/v1/intake/scans", Target::Own),
    ("GET", "/api/v1/intake/scans", Target::Own),
    ("GET", "/api/v1/intake/scans/{id}", Target::User),
    ("GET", "/api/v1/intake/scans/{id}/content", Target::User),
    ("POST", "/api/v1/intake/scans/{id}/assignment", Target::User),
    (
        "POST",
        "/api/v1/payments/epaybl/callback",
        Target::Anonymous,
    ),
    ("GET", "/api/v1/portal/applications", Target::Own),
    ("POST", "/api/v1/portal/applications", Target::Own),
    ("GET", "/api/v1/portal/slots", Target::Own),
    ("POST", "/api/v1/portal/appointments", Target::Own),
];

#[test]
fn every_api_route_is_in_the_matrix() {
    let documented: BTreeSet<(String, String)> = amtsweg_http::openapi::operations()
        .into_iter()
        .map(|op| (op.method, op.path))
        .collect();
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(
        documented, listed,
        "add the new route to ROUTES in tests/e2e/isolation.rs"
    );
}

fn body_for(path: &str) -> Option<Value> {
    match path {
        "/api/v1/users/{id}/role" => Some(json!({ "role": "approver" })),
        "/api/v1/invitations" => {
            Some(json!({ "email": "someone.new@example.org", "role": "clerk" }))
        }
        "/api/v1/intake/scans/{id}/assignment" => {
            Some(json!({ "target": "application", "application_reference": "A-1" }))
        }
        _ => None,
    }
}

#[tokio::test]
async fn no_role_of_tenant_a_reaches_tenant_b() {
    let app = TestApp::spawn().await;
    let b_admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let b_clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    // B's data: an audit entry and an invitation.
    let b_token = app.token(&b_admin).await;
    let invited = client()
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&b_token)
        .json(&json!({ "email": "b.only@bielefeld.test", "role": "clerk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);
    let b_secrets = [
        b_clerk.id.to_string(),
        b_admin.id.to_string(),
        b_clerk.email.clone(),
        "b.only@bielefeld.test".to_owned(),
    ];

    let tenant_b = b_admin.tenant.0.to_string();
    let mut checked = 0;
    for role in [Role::TenantAdmin, Role::Clerk, Role::Approver] {
        let a_user = app.staff("abh-kreis-borken", role).await;
        let token = app.token(&a_user).await;
        for (method, path, target) in ROUTES {
            if *target == Target::Anonymous || path.contains("sign-out") {
                continue;
            }
            let concrete = match target {
                Target::User => path.replace("{id}", &b_clerk.id.to_string()),
                Target::Tenant => path.replace("{id}", &tenant_b),
                _ => (*path).to_owned(),
            };
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let mut request = client()
                .request(method.clone(), app.url(&concrete))
                .bearer_auth(&token);
            if let Some(body) = body_for(path) {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            if matches!(target, Target::User | Target::Tenant) {
                assert_eq!(
                    status, 404,
                    "{role} of A: {method} {concrete} must be 404, got {status}: {text}"
                );
            }
            for secret in &b_secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{role} of A: {method} {concrete} leaked B's data: {text}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30);

    // B's objects are untouched.
    let tx = app.state.db.tenant(b_clerk.tenant).await.unwrap();
    let clerk = amtsweg_store::users::get(&tx, b_clerk.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(clerk.status, "active");
    assert_eq!(clerk.role, "clerk");
}

#[tokio::test]
async fn pages_of_tenant_a_do_not_reach_tenant_b() {
    let app = TestApp::spawn().await;
    let a_admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let b_clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let (browser, csrf) = signed_in_browser(&app, &a_admin).await;
    let users = browser
        .get(app.url("/workspace/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(users.status(), 200);
    let html = users.text().await.unwrap();
    assert!(html.contains(&a_admin.email) && !html.contains(&b_clerk.email));
    let disable = browser
        .post(app.url(&format!("/workspace/users/{}/disable", b_clerk.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(disable.status(), 404);
    let operator_page = browser
        .get(app.url(&format!("/operator/tenants/{}", b_clerk.tenant.0)))
        .send()
        .await
        .unwrap();
    assert_eq!(operator_page.status(), 403);
}

async fn scalar_i64(db: &Database, sql: &str) -> i64 {
    db.connection()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
async fn row_level_security_is_the_second_wall() {
    let app = TestApp::spawn().await;
    let a = app.staff("abh-kreis-borken", Role::Clerk).await;
    let b = app.staff("abh-bielefeld", Role::Clerk).await;
    let app_role = Database::connect(&app.db.app_url(), 2).await.unwrap();

    // A query that forgets the tenant filter, with no tenant set: nothing.
    assert_eq!(scalar_i64(&app_role, "SELECT count(*) FROM users").await, 0);

    // The same forgotten filter inside A's tenant transaction: only A's rows.
    let tx = app_role.tenant(a.tenant).await.unwrap();
    let rows = tx
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tenant_id FROM users",
        ))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(row.try_get_by_index::<Uuid>(0).unwrap(), a.tenant.0);
    }
    // Updates and deletes of B's rows touch nothing.
    let updated = tx
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE users SET status = 'disabled' WHERE id = $1",
            [b.id.into()],
        ))
        .await
        .unwrap();
    assert_eq!(updated.rows_affected(), 0);
    let deleted = tx
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM users WHERE id = $1",
            [b.id.into()],
        ))
        .await
        .unwrap();
    assert_eq!(deleted.rows_affected(), 0);
    // Writing a row for B from A's transaction is refused by the policy's WITH CHECK.
    let insert = tx
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO audit_heads (tenant_id, last_seq, last_hash) VALUES ($1, 0, 'x')",
            [b.tenant.0.into()],
        ))
        .await;
    assert!(insert.is_err(), "inserting another tenant's row must fail");
    drop(tx);

    // The setting is transaction-local: the next transaction on a pooled connection sees nothing.
    assert_eq!(scalar_i64(&app_role, "SELECT count(*) FROM users").await, 0);
}

#[tokio::test]
async fn every_tenant_table_is_protected_and_the_app_role_is_powerless() {
    let app = TestApp::spawn().await;
    let admin = app.db.admin().await;
    let rows = admin
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity, \
                    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant, \
                    EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname) AS has_policy, \
                    pg_get_userbyid(c.relowner)::text AS owner \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind = 'r'",
        ))
        .await
        .unwrap();
    assert!(rows.len() >= 10);
    for row in rows {
        let name: String = row.try_get_by_index(0).unwrap();
        let rls: bool = row.try_get_by_index(1).unwrap();
        let forced: bool = row.try_get_by_index(2).unwrap();
        let has_tenant: bool = row.try_get_by_index(3).unwrap();
        let has_policy: bool = row.try_get_by_index(4).unwrap();
        let owner: String = row.try_get_by_index(5).unwrap();
        assert_ne!(owner, APP_ROLE, "{name} must not be owned by the app role");
        if amtsweg_migrations::PLATFORM_TABLES.contains(&name.as_str()) {
            continue;
        }
        assert!(
            has_tenant,
            "{name} is not a platform table, so it needs tenant_id"
        );
        assert!(
            rls && forced && has_policy,
            "{name}: row-level security must be enabled, forced and have a policy"
        );
    }
    let role = admin
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1",
            [APP_ROLE.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(!role.try_get_by_index::<bool>(0).unwrap());
    assert!(!role.try_get_by_index::<bool>(1).unwrap());
    let check = app.state.db.runtime_role().await.unwrap().unwrap();
    assert!(check.is_safe_runtime_role(), "{check:?}");
}
