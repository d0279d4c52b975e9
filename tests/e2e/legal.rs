//! The pages every footer links to, and the accessibility feedback form from the public page
//! to the operator's list, with the notification mail that carries none of the report.

use amtsweg_domain::Role;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::support::{AppOptions, TestApp, browser_client, csrf_of, mail_text, signed_in_browser};

#[tokio::test]
async fn every_footer_link_leads_to_a_page_in_every_portal_language() {
    let app = TestApp::spawn().await;
    let client = browser_client();
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("href=\"#\""),
        "no footer link is a placeholder"
    );
    for path in ["/imprint", "/privacy", "/accessibility", "/easy-german"] {
        assert!(
            home.contains(&format!("href=\"{path}\"")),
            "footer links {path}"
        );
        for lang in ["de", "en", "ar", "uk", "tr"] {
            let response = client
                .get(app.url(&format!("{path}?lang={lang}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} in {lang}");
            let page = response.text().await.unwrap();
            assert!(
                page.contains(&format!("<html lang=\"{lang}\"")),
                "{path} {lang}"
            );
            assert_eq!(page.matches("<h1").count(), 1, "{path} {lang}: one h1");
        }
    }
    let imprint = client
        .get(app.url("/imprint"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(imprint.contains("Testbetrieb Amtsweg") && imprint.contains("40213 Düsseldorf"));
    let privacy = client
        .get(app.url("/privacy?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        privacy.contains("datenschutz@amtsweg.test"),
        "the DPO's address from the config"
    );
    let statement = client
        .get(app.url("/accessibility?lang=ar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(statement.contains("dir=\"rtl\""));
    assert!(
        statement.contains("https://www.lbbp.nrw.de/ombudsstelle"),
        "names the ombudsman"
    );
    assert!(
        statement.contains("action=\"/accessibility/feedback\""),
        "has the contact form"
    );
}

#[tokio::test]
async fn a_barrier_report_reaches_the_operator_and_the_mail_holds_none_of_it() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let public = browser_client();
    let csrf = csrf_of(&public, &app).await;

    // Too short: refused with the error next to the field, what was typed kept.
    let response = public
        .post(app.url("/accessibility/feedback"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("feedback_message", "kaputt"),
            ("feedback_contact", "melder@example.org"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("id=\"field-feedback_message-error\""));
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(
        page.contains("melder@example.org"),
        "the typed contact stays in the form"
    );

    let report = "Der Kalender für Termine lässt sich mit dem Screenreader NVDA nicht bedienen.";
    let response = public
        .post(app.url("/accessibility/feedback"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("feedback_message", report),
            ("feedback_page", "/portal/appointments"),
            ("feedback_contact", "melder@example.org"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = public
        .get(app.url("/accessibility"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Ihre Meldung ist eingegangen"),
        "the sender is told"
    );

    let mails = app.smtp.as_ref().unwrap().wait_for(1).await;
    let mail = mail_text(&mails[0]);
    assert!(
        mail.contains("barrierefreiheit@amtsweg.test"),
        "to the configured recipient"
    );
    assert!(mail.contains("/operator/feedback"));
    assert!(
        !mail.contains("NVDA") && !mail.contains("melder@example.org"),
        "{mail}"
    );

    // A tenant's admin does not see the operator's list.
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let (admin_browser, _) = signed_in_browser(&app, &admin).await;
    let response = admin_browser
        .get(app.url("/operator/feedback"))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(
            response.status(),
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        response.status()
    );

    let operator = app.staff("mhkbd", Role::PlatformOperator).await;
    let (browser, csrf) = signed_in_browser(&app, &operator).await;
    let list = browser
        .get(app.url("/operator/feedback"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("NVDA") && list.contains("/portal/appointments"));
    assert!(list.contains("Offene Meldungen: 1"));
    let action = list
        .split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|action| action.ends_with("/handled"))
        .expect("a form to mark the report handled")
        .to_owned();
    let response = browser
        .post(app.url(&action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = browser
        .get(app.url("/operator/feedback"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Offene Meldungen: 0"));
    // Handled twice: there is no open report of that id any more.
    let response = browser
        .post(app.url(&action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Receiving, reading and handling are in the platform's audit chain.
    let admin = app.db.admin().await;
    let rows: Vec<String> = admin
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT action FROM audit_log WHERE action LIKE 'accessibility_feedback.%' ORDER BY seq",
        ))
        .await
    .unwrap()
    .into_iter()
    .map(|row| row.try_get::<String>("", "action").unwrap())
    .collect();
    assert_eq!(
        rows,
        [
            "accessibility_feedback.received",
            "accessibility_feedback.read",
            "accessibility_feedback.handled",
            "accessibility_feedback.read",
        ]
    );
}

#[tokio::test]
async fn a_flood_of_reports_from_one_address_is_throttled() {
    let app = TestApp::spawn().await;
    let public = browser_client();
    let csrf = csrf_of(&public, &app).await;
    let mut statuses = Vec::new();
    for n in 0..6 {
        let message = format!("Meldung Nummer {n}: der Kontrast ist zu schwach.");
        let response = public
            .post(app.url("/accessibility/feedback"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("feedback_message", message.as_str()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [303, 303, 303, 303, 303, 429]);
}
