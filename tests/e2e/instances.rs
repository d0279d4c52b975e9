//! Two instances of the real binary on one PostgreSQL and one Redis behave as one platform: sign-in
//! throttling is shared, and a session from one is valid on the other.

use amtsweg_domain::Role;
use serde_json::json;

use crate::support::{BinaryInstance, TEST_JWT_KEYS, TempDir, TestApp, client, redis_url};

#[tokio::test]
async fn two_instances_share_throttling_and_sessions() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let dir = TempDir::new("instances");
    let env = vec![
        ("DATABASE_URL", app.db.app_url()),
        ("REDIS_URL", redis_url()),
        ("AMTSWEG_REDIS_NAMESPACE", format!("{}-bin", app.db.name)),
        ("AMTSWEG_JWT_KEYS", TEST_JWT_KEYS.to_owned()),
        ("AMTSWEG_PASSWORD_MEMORY_KIB", "256".to_owned()),
        ("AMTSWEG_PASSWORD_ITERATIONS", "1".to_owned()),
        ("AMTSWEG_DATA_DIR", dir.path().display().to_string()),
    ];
    let first = BinaryInstance::start(&env, dir.path()).await;
    let second = BinaryInstance::start(&env, dir.path()).await;

    let token = client()
        .post(format!("{}/api/v1/auth/token", first.base))
        .json(&json!({ "email": clerk.email, "password": clerk.password, "code": clerk.code() }))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    let token: serde_json::Value = token.json().await.unwrap();
    let access = token["access_token"].as_str().unwrap();
    let me = client()
        .get(format!("{}/api/v1/me", second.base))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        200,
        "a session from the first instance works on the second"
    );

    // Failures alternate between the instances; the shared counter blocks on both.
    for attempt in 0..5 {
        let base = if attempt % 2 == 0 {
            &first.base
        } else {
            &second.base
        };
        let status = client()
            .post(format!("{base}/api/v1/auth/token"))
            .json(&json!({ "email": clerk.email, "password": "guessing", "code": "000000" }))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
    for base in [&first.base, &second.base] {
        let status = client()
            .post(format!("{base}/api/v1/auth/token"))
            .json(
                &json!({ "email": clerk.email, "password": clerk.password, "code": clerk.code() }),
            )
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(
            status, 429,
            "{base} must know about the failures on the other instance"
        );
    }
    let readyz: serde_json::Value = client()
        .get(format!("{}/readyz", second.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(readyz["redis"], "ok");
}
