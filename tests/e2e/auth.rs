//! Staff sign-in with the second factor, sessions, throttling and CSRF.

use amtsweg_domain::Role;
use serde_json::{Value, json};

use crate::support::{
    AppOptions, TestApp, browser_client, client, csrf_from, find_link, mail_text, signed_in_browser,
};

#[tokio::test]
async fn staff_sign_in_needs_password_and_totp() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let url = app.url("/api/v1/auth/token");

    let no_code = client()
        .post(&url)
        .json(&json!({ "email": clerk.email, "password": clerk.password }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_code.status(), 422);

    let wrong = client()
        .post(&url)
        .json(&json!({ "email": clerk.email, "password": clerk.password, "code": "000000" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["errors"]["code"], "error-totp-invalid");

    let bad_password = client()
        .post(&url)
        .json(
            &json!({ "email": clerk.email, "password": "wrong password!!", "code": clerk.code() }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad_password.status(), 401);

    let token = app.token(&clerk).await;
    let me: Value = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user_id"], clerk.id.to_string());
    assert_eq!(me["tenant_id"], clerk.tenant.0.to_string());
    assert_eq!(me["role"], "clerk");
}

#[tokio::test]
async fn unenrolled_staff_must_enrol_before_any_session() {
    let app = TestApp::spawn().await;
    let admin = app
        .staff_account("abh-bielefeld", Role::TenantAdmin, false)
        .await;
    let api = client()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "email": admin.email, "password": admin.password, "code": "123456" }))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["code"], "mfa-enrolment-required");

    // In the browser: password, then enrolment with the secret shown on the page, then recovery codes.
    let browser = browser_client();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let response = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", admin.email.as_str()),
            ("password", admin.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/mfa/setup");
    // Without the second factor the workspace stays closed.
    let closed = browser.get(app.url("/workspace")).send().await.unwrap();
    assert_eq!(closed.status(), 303);
    assert_eq!(closed.headers()["location"], "/sign-in");

    let setup = browser
        .get(app.url("/mfa/setup"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(setup.contains("<svg"), "the enrolment page shows a QR code");
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let secret = amtsweg_store::users::get(&tx, admin.id)
        .await
        .unwrap()
        .totp_secret
        .unwrap();
    tx.commit().await.unwrap();
    let grouped: String = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        setup.contains(&grouped),
        "the secret is shown for manual entry"
    );

    let wrong = browser
        .post(app.url("/mfa/setup"))
        .form(&[("code", "000000"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("aria-invalid=\"true\"")
    );

    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = amtsweg_http::security::totp::code_at(&secret, now).unwrap();
    let done = browser
        .post(app.url("/mfa/setup"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let codes_page = done.text().await.unwrap();
    let recovery = codes_page
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.len() == 14 && w.matches('-').count() == 2)
        .count();
    assert!(recovery >= 10, "ten recovery codes are shown once");
    let workspace = browser.get(app.url("/workspace")).send().await.unwrap();
    assert_eq!(workspace.status(), 200);
    assert!(workspace.text().await.unwrap().contains("Bielefeld"));
}

#[tokio::test]
async fn recovery_codes_work_once() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let code = "abcd-efgh-jkmn";
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    amtsweg_store::users::enable_totp(
        &tx,
        admin.id,
        vec![amtsweg_http::security::token_hash(code)],
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let attempt = || async {
        client()
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({ "email": admin.email, "password": admin.password, "code": code.to_uppercase() }))
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(attempt().await, 200);
    assert_eq!(attempt().await, 422);
}

#[tokio::test]
async fn refresh_rotates_and_sign_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let tokens: Value = client()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "email": clerk.email, "password": clerk.password, "code": clerk.code() }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let rotated = client()
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 200);
    let rotated: Value = rotated.json().await.unwrap();
    let reused = client()
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 401, "a used refresh token is dead");

    let second = app.token(&clerk).await;
    let access = rotated["access_token"].as_str().unwrap().to_owned();
    let out = client()
        .post(app.url("/api/v1/auth/sign-out-everywhere"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    for token in [&access, &second] {
        let me = client()
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 401, "access tokens end with their sessions");
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    for _ in 0..5 {
        let status = client()
            .post(app.url("/api/v1/auth/token"))
            .json(
                &json!({ "email": clerk.email, "password": "not the password", "code": "000000" }),
            )
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
    let blocked = client()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "email": clerk.email, "password": clerk.password, "code": clerk.code() }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        blocked.status(),
        429,
        "even the right password waits once the account is throttled"
    );
    assert!(blocked.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn forms_and_cookie_api_calls_need_the_csrf_token() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let browser = browser_client();
    let _ = browser.get(app.url("/sign-in")).send().await.unwrap();
    let forged = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", clerk.email.as_str()),
            ("password", clerk.password.as_str()),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let ok = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", clerk.email.as_str()),
            ("password", clerk.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.headers()["location"], "/sign-in/totp");
    let code = clerk.code();
    let signed_in = browser
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.headers()["location"], "/workspace");

    // The session cookie alone does not let another site change state through the API.
    let without_header = browser
        .post(app.url("/api/v1/auth/sign-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(without_header.status(), 403);
    let with_header = browser
        .post(app.url("/api/v1/auth/sign-out"))
        .header("x-csrf-token", csrf.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(with_header.status(), 204);
}

#[tokio::test]
async fn a_totp_code_is_accepted_once() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let code = clerk.code();
    let attempt = || async {
        client()
            .post(app.url("/api/v1/auth/token"))
            .json(&json!({ "email": clerk.email, "password": clerk.password, "code": code }))
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(attempt().await, 200);
    assert_eq!(attempt().await, 422, "an observed code cannot be replayed");
}

#[tokio::test]
async fn signing_out_everywhere_in_the_browser_ends_other_devices() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let other_device = app.token(&clerk).await;
    let (browser, csrf) = signed_in_browser(&app, &clerk).await;
    let home = browser
        .get(app.url("/workspace"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("name=\"everywhere\""),
        "the workspace offers signing out everywhere"
    );
    let out = browser
        .post(app.url("/sign-out"))
        .form(&[("everywhere", "1"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let me = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&other_device)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let workspace = browser.get(app.url("/workspace")).send().await.unwrap();
    assert_eq!(workspace.status(), 303);
}

#[tokio::test]
async fn applicants_register_confirm_by_mail_and_sign_in() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let browser = browser_client();
    let page = browser
        .get(app.url("/portal/register?lang=ar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("dir=\"rtl\""));
    let csrf = csrf_from(&page);
    let short = browser
        .post(app.url("/portal/register"))
        .form(&[
            ("email", "amina@example.org"),
            ("display_name", "Amina"),
            ("password", "short"),
            ("language", "ar"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 422);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("aria-invalid=\"true\"")
    );
    let registered = browser
        .post(app.url("/portal/register"))
        .form(&[
            ("email", "amina@example.org"),
            ("display_name", "Amina"),
            ("password", "ein sehr langes passwort"),
            ("language", "ar"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);

    // Not confirmed yet: no sign-in.
    let early = browser
        .post(app.url("/portal/sign-in"))
        .form(&[
            ("email", "amina@example.org"),
            ("password", "ein sehr langes passwort"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), 401);

    let mails = app.smtp.as_ref().unwrap().wait_for(1).await;
    let mail = mail_text(&mails[0]);
    assert!(
        !mail.contains("Amina"),
        "mails carry no personal data beyond the address"
    );
    let link = find_link(&mail, "http://127.0.0.1/portal/confirm/");
    let confirmed = browser
        .get(app.url(link.trim_start_matches("http://127.0.0.1")))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let again = browser
        .get(app.url(link.trim_start_matches("http://127.0.0.1")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404, "a confirmation link works once");

    let signed_in = browser
        .post(app.url("/portal/sign-in"))
        .form(&[
            ("email", "amina@example.org"),
            ("password", "ein sehr langes passwort"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let account = browser
        .get(app.url("/portal/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200);
    assert!(account.text().await.unwrap().contains("Amina"));
    // An applicant is nobody's staff: the workspace stays closed.
    let workspace = browser.get(app.url("/workspace")).send().await.unwrap();
    assert_eq!(workspace.status(), 403);
}

#[tokio::test]
async fn a_role_change_applies_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let clerk_token = app.token(&clerk).await;
    let (browser, csrf) = signed_in_browser(&app, &admin).await;
    let page = browser
        .get(app.url("/workspace/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/workspace/users/{}/role", clerk.id)));
    let changed = browser
        .post(app.url(&format!("/workspace/users/{}/role", clerk.id)))
        .form(&[("role", "approver"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    let old_session = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&clerk_token)
        .send()
        .await
        .unwrap();
    assert_eq!(old_session.status(), 401, "the old role's session ends");
    let fresh = app.token(&clerk).await;
    let me: Value = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&fresh)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "approver");
    let escalate = browser
        .post(app.url(&format!("/workspace/users/{}/role", clerk.id)))
        .form(&[("role", "platform_operator"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(escalate.status(), 422, "only authority roles can be given");
    let own = client()
        .put(app.url(&format!("/api/v1/users/{}/role", admin.id)))
        .bearer_auth(app.token(&admin).await)
        .json(&json!({ "role": "clerk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 409);
}
