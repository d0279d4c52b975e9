//! A tenant admin invites a colleague; the invitation arrives by real SMTP; the colleague accepts it
//! and signs in with a freshly enrolled second factor.

use amtsweg_domain::Role;
use serde_json::json;

use crate::support::{
    AppOptions, TestApp, browser_client, client, csrf_from, find_link, mail_text,
};

#[tokio::test]
async fn an_invitation_is_accepted_through_the_mail_received() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let invited = client()
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&token)
        .json(&json!({ "email": "neue.kollegin@kreis-borken.test", "role": "approver" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);

    let smtp = app.smtp.as_ref().unwrap();
    let mails = smtp.wait_for(1).await;
    let mail = mail_text(&mails[0]);
    assert!(
        mail.contains("To: neue.kollegin@kreis-borken.test"),
        "{mail}"
    );
    assert!(
        mail.contains("Kreis Borken"),
        "the mail names the authority: {mail}"
    );
    let link = find_link(&mail, "http://127.0.0.1/invitation/");
    let path = link.trim_start_matches("http://127.0.0.1");

    let browser = browser_client();
    let page = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("neue.kollegin@kreis-borken.test"));
    let csrf = csrf_from(&html);

    let mismatch = browser
        .post(app.url(path))
        .form(&[
            ("display_name", "Neue Kollegin"),
            ("password", "ein langes passwort"),
            ("password_confirm", "ein anderes passwort"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 422);
    assert!(mismatch.text().await.unwrap().contains("aria-invalid"));

    let accepted = browser
        .post(app.url(path))
        .form(&[
            ("display_name", "Neue Kollegin"),
            ("password", "ein langes passwort"),
            ("password_confirm", "ein langes passwort"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 303);
    assert_eq!(accepted.headers()["location"], "/sign-in");

    // The link works once.
    let again = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(again.status(), 404);

    // The new colleague signs in and must enrol the second factor first.
    let signed = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", "neue.kollegin@kreis-borken.test"),
            ("password", "ein langes passwort"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.headers()["location"], "/mfa/setup");

    let users: serde_json::Value = client()
        .get(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_user = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "neue.kollegin@kreis-borken.test")
        .unwrap();
    assert_eq!(new_user["role"], "approver");
    assert_eq!(new_user["mfa_enabled"], false);
}

#[tokio::test]
async fn invitation_input_is_checked_at_the_edge() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    for (email, role, field) in [
        ("not-an-address", "clerk", "email"),
        ("ok@example.org", "platform_operator", "role"),
        (admin.email.as_str(), "clerk", "email"),
    ] {
        let response = client()
            .post(app.url("/api/v1/invitations"))
            .bearer_auth(&token)
            .json(&json!({ "email": email, "role": role }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{email} / {role}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["errors"][field].is_string(), "{body}");
    }
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let clerk_token = app.token(&clerk).await;
    let forbidden = client()
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&clerk_token)
        .json(&json!({ "email": "x@example.org", "role": "clerk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
}
