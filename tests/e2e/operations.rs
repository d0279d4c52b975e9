//! Health, readiness, metrics, security headers, the OpenAPI document and the catalog import.

use amtsweg_domain::Role;
use serde_json::Value;

use crate::support::{TestApp, client, workspace_dir};

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
