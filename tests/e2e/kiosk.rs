//! Self-service terminals (kiosk mode, issue 4): a tenant admin registers a terminal, the device
//! opens its address once, and a person applies there in the kiosk frame (no navigation out,
//! `no-store`, nothing for the browser to remember), pays through the simulator and submits. The
//! session ends on the server after the inactivity limit (moved by the test clock, not slept);
//! signing out or timing out returns to the terminal's start (with a warning before the timeout);
//! a revoked terminal says it is out of service and is no terminal any more.
//! Chromium runs axe-core on the kiosk pages.

use std::sync::Arc;

use amtsweg_domain::Role;
use amtsweg_domain::clock::FixedClock;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::portal::{input_value, location, pay, pdf, post_step, start, upload};
use crate::support::{
    AppOptions, TestApp, browser_client, csrf_from, find_link, signed_in_browser,
};

const PASSWORD: &str = "ein sehr langes passwort";

/// Registers a terminal through the settings page; returns its address's path and the admin's
/// browser with its CSRF token. An empty name is refused next to the field first.
async fn register_terminal(app: &TestApp) -> (String, reqwest::Client, String) {
    let admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let (staff, csrf) = signed_in_browser(app, &admin).await;
    let refused = staff
        .post(app.url("/workspace/intake/settings/terminals"))
        .form(&[("csrf", csrf.as_str()), ("terminal_name", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("id=\"field-terminal_name-error\"")
    );
    let created = staff
        .post(app.url("/workspace/intake/settings/terminals"))
        .form(&[("csrf", csrf.as_str()), ("terminal_name", "Foyer, links")])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let html = created.text().await.unwrap();
    assert!(html.contains("Foyer, links") && html.contains("in Betrieb"));
    let url = find_link(&html, "http://127.0.0.1/kiosk/");
    (
        url.trim_start_matches("http://127.0.0.1").to_owned(),
        staff,
        csrf,
    )
}

/// Registers and confirms an applicant through the pages; the confirmation link is read from
/// the mail outbox (this application runs no mail worker).
async fn applicant(app: &TestApp, email: &str) {
    let browser = browser_client();
    let page = browser
        .get(app.url("/portal/register?lang=tr"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let registered = browser
        .post(app.url("/portal/register"))
        .form(&[
            ("email", email),
            ("display_name", "Terminal Applicant"),
            ("password", PASSWORD),
            ("language", "tr"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    let body: String = app
        .db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT body_text FROM mail_outbox WHERE recipient = $1",
            [email.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let link = find_link(&body, "http://127.0.0.1/portal/confirm/");
    let confirmed = browser
        .get(app.url(link.trim_start_matches("http://127.0.0.1")))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
}

/// Signs in at the terminal; returns the CSRF token.
async fn sign_in(app: &TestApp, terminal: &reqwest::Client, email: &str) -> String {
    let page = terminal
        .get(app.url("/portal/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let signed_in = terminal
        .post(app.url("/portal/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        location(&signed_in),
        "/kiosk",
        "a terminal starts at its start page"
    );
    csrf
}

/// A page of the terminal in the kiosk frame: the automatic return, the inactivity notice,
/// `no-store`, no link that leaves the flow and no field the browser may fill from memory.
async fn kiosk_page(terminal: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = terminal.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    let html = response.text().await.unwrap();
    assert_kiosk_frame(path, &html);
    html
}

fn assert_kiosk_frame(path: &str, html: &str) {
    assert!(
        html.contains("<body class=\"kiosk\">"),
        "{path}: kiosk frame"
    );
    assert!(
        html.contains(
            "<noscript><meta http-equiv=\"refresh\" content=\"180;url=/kiosk/signed-out\"/></noscript>"
        ) || html.contains(
            "<noscript><meta http-equiv=\"refresh\" content=\"180;url=/kiosk/signed-out\"></noscript>"
        ),
        "{path}: returns to the start by itself without JavaScript"
    );
    assert!(
        html.contains("<dialog id=\"kiosk-warning\"")
            && html.contains("data-idle-seconds=\"180\" data-warn-seconds=\"30\"")
            && html.contains("<script src=\"/static/kiosk.js\" defer"),
        "{path}: warns before that with JavaScript"
    );
    assert!(html.contains("id=\"kiosk-idle\""), "{path}: the notice");
    for href in html.split("href=\"").skip(1) {
        let href = &href[..href.find('"').unwrap()];
        assert!(
            ["/portal/", "/kiosk", "/sim/epaybl/", "#", "/static/"]
                .iter()
                .any(|allowed| href.starts_with(allowed)),
            "{path}: a link leaves the flow: {href}"
        );
    }
    for footer_link in ["/imprint", "/privacy", "/accessibility", "/easy-german"] {
        assert!(!html.contains(&format!("href=\"{footer_link}")), "{path}");
    }
    for value in html.split("autocomplete=\"").skip(1) {
        assert!(
            value.starts_with("off\""),
            "{path}: autocomplete {value:.20}"
        );
    }
}

async fn count(app: &TestApp, sql: &str, id: Uuid) -> i64 {
    app.db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [id.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
async fn an_application_at_a_terminal_and_the_session_ends_when_left_alone() {
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let (terminal_path, admin, admin_csrf) = register_terminal(&app).await;
    // Staff sign in while the test clock still shows real time (their TOTP codes use it).
    let other = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let (other_browser, other_csrf) = signed_in_browser(&app, &other).await;
    let email = "terminal@example.org";
    applicant(&app, email).await;

    // Without the terminal's address there is no kiosk; a wrong secret is not found.
    let terminal = browser_client();
    let tenant = terminal_path.split('/').nth(2).unwrap().to_owned();
    assert_eq!(
        terminal
            .get(app.url("/kiosk"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        terminal
            .get(app.url(&format!("/kiosk/{tenant}/not-the-secret")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let entered = terminal.get(app.url(&terminal_path)).send().await.unwrap();
    assert_eq!(entered.status(), 303);
    assert_eq!(location(&entered), "/kiosk");
    let start_page = kiosk_page(&terminal, &app, "/kiosk?lang=ar").await;
    assert!(start_page.contains("dir=\"rtl\"") && start_page.contains("href=\"/portal/sign-in\""));
    let sign_in_page = kiosk_page(&terminal, &app, "/portal/sign-in?lang=de").await;
    assert!(sign_in_page.contains("<form autocomplete=\"off\""));

    // Signed in at the terminal: a kiosk session with the inactivity limit.
    let csrf = sign_in(&app, &terminal, email).await;
    let start_page = kiosk_page(&terminal, &app, "/kiosk").await;
    assert!(start_page.contains("href=\"/portal/services\""));
    assert!(start_page.contains("action=\"/portal/sign-out\""));
    let applicant_id: Uuid = app
        .db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM applicant_accounts WHERE email = $1",
            [email.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM auth_sessions WHERE user_id = $1 AND idle_timeout_seconds = 180 \
             AND revoked_at IS NULL",
            applicant_id
        )
        .await,
        1
    );

    // The application, in the kiosk frame throughout, paid through the simulator.
    kiosk_page(&terminal, &app, "/portal/services").await;
    let (_, base) = start(&app, &terminal, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let step = kiosk_page(&terminal, &app, &format!("{base}/steps/0")).await;
    assert!(step.contains("name=\"family_name\""));
    let wrong = post_step(
        &app,
        &terminal,
        &base,
        0,
        &[("family_name", "Haddad"), ("date_of_birth", "1.2.1985")],
        &csrf,
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert_kiosk_frame("step 0 (errors)", &wrong.text().await.unwrap());
    let steps: [&[(&str, &str)]; 3] = [
        &[
            ("family_name", "Haddad"),
            ("given_names", "Omar"),
            ("date_of_birth", "1985-02-01"),
            ("nationality", "irakisch"),
            ("passport_number", "A7654321"),
        ],
        &[
            ("street", "Niederwall 1"),
            ("postal_code", "33602"),
            ("municipality", "Bielefeld"),
        ],
        &[
            ("permit_expiry", "2027-03-31"),
            ("protection_status", "none"),
            ("reason", "Nachweis"),
        ],
    ];
    for (i, fields) in steps.iter().enumerate() {
        let answer = post_step(&app, &terminal, &base, i, fields, &csrf).await;
        assert_eq!(answer.status(), 303, "step {i}");
    }
    for kind in ["passport", "photo"] {
        let uploaded = upload(&app, &terminal, &base, &csrf, kind, "a.pdf", pdf(kind)).await;
        assert_eq!(uploaded.status(), 303);
    }
    kiosk_page(&terminal, &app, &format!("{base}/review")).await;
    // The provider's page is in the kiosk frame too (no way out of the flow while paying).
    let started = terminal
        .post(app.url(&format!("{base}/pay")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    kiosk_page(&terminal, &app, &location(&started)).await;
    pay(&app, &terminal, &base, &csrf, "pay").await;
    let review = kiosk_page(&terminal, &app, &format!("{base}/review")).await;
    let key = input_value(&review, "idempotency_key");

    // Left alone just under the limit twice: each request starts the limit again.
    clock.advance(Duration::seconds(170));
    kiosk_page(&terminal, &app, &format!("{base}/review")).await;
    clock.advance(Duration::seconds(170));
    let submitted = terminal
        .post(app.url(&format!("{base}/submit")))
        .form(&[("csrf", csrf.as_str()), ("idempotency_key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 303);
    let app_path = location(&submitted);
    assert!(app_path.starts_with("/portal/applications/"), "{app_path}");
    kiosk_page(&terminal, &app, &app_path).await;

    // Left alone past the limit: the server refuses to continue, whatever the browser holds
    // (its access token would still be valid for minutes).
    clock.advance(Duration::seconds(181));
    let refused = terminal.get(app.url(&app_path)).send().await.unwrap();
    assert_eq!(refused.status(), 303);
    assert_eq!(location(&refused), "/portal/sign-in");
    let replay = terminal
        .post(app.url(&format!("{base}/submit")))
        .form(&[("csrf", csrf.as_str()), ("idempotency_key", "another-key")])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 303);
    assert_eq!(location(&replay), "/portal/sign-in");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM applications WHERE applicant_id = $1",
            applicant_id
        )
        .await,
        1
    );
    // The page's own return ends the session and clears the browser's session cookies.
    let returned = terminal
        .get(app.url("/kiosk/signed-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(returned.status(), 303);
    assert_eq!(location(&returned), "/kiosk");
    let cleared: Vec<String> = returned
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    for name in ["amtsweg_access=", "amtsweg_refresh="] {
        assert!(
            cleared
                .iter()
                .any(|c| c.starts_with(name) && c.contains("Max-Age=0")),
            "{name} cleared: {cleared:?}"
        );
    }
    let notice = kiosk_page(&terminal, &app, "/kiosk").await;
    assert!(notice.contains("Auf diesem Gerät ist nichts von Ihnen geblieben."));

    // Signing out explicitly returns to the start and ends the session at once.
    let csrf = sign_in(&app, &terminal, email).await;
    let signed_out = terminal
        .post(app.url("/portal/sign-out"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 303);
    assert_eq!(location(&signed_out), "/kiosk");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NOT NULL",
            applicant_id
        )
        .await,
        1,
        "signing out revoked the second session (the first had run out)"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM auth_sessions WHERE user_id = $1 \
             AND idle_timeout_seconds IS NULL",
            applicant_id
        )
        .await,
        0,
        "every sign-in at the terminal had the inactivity limit"
    );
    let after = terminal
        .get(app.url("/portal/applications"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&after), "/portal/sign-in");

    // The admin takes the terminal out of service: its address and its cookie stop working.
    let settings = admin
        .get(app.url("/workspace/intake/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let revoke = find_link(
        &settings.replace("action=\"", "href=\""),
        "/workspace/intake/settings/terminals/",
    );
    let foreign = other_browser
        .post(app.url(&revoke))
        .form(&[("csrf", other_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404, "another authority's terminal");
    let revoked = admin
        .post(app.url(&revoke))
        .form(&[("csrf", admin_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 303);
    // The device says it is out of service (in the normal frame) and forgets it was a terminal.
    let gone = terminal
        .get(app.url("/kiosk?lang=de"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let removal = gone
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("amtsweg_kiosk="))
        .expect("the kiosk cookie is removed");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    let page = gone.text().await.unwrap();
    assert!(page.contains("Terminal außer Betrieb"), "{page:.300}");
    assert!(!page.contains("class=\"kiosk\""));
    assert_eq!(
        terminal
            .get(app.url("/kiosk"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        browser_client()
            .get(app.url(&terminal_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let audit: Vec<Value> = app
        .db
        .admin()
        .await
        .connection()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT action FROM audit_log WHERE action LIKE 'kiosk.%' ORDER BY seq",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| json!(r.try_get_by_index::<String>(0).unwrap()))
        .collect();
    assert_eq!(
        audit,
        [
            json!("kiosk.terminal.registered"),
            json!("kiosk.terminal.opened"),
            json!("kiosk.terminal.revoked")
        ]
    );
}

/// axe-core on the kiosk pages in Chromium, all WCAG 2.1 A/AA rules, and touch targets of at
/// least 48 px. (With JavaScript the automatic return is the script's, warned about beforehand;
/// the `<noscript>` refresh is inactive, so axe's `meta-refresh` rule has nothing to report.)
#[tokio::test]
async fn kiosk_pages_pass_axe_with_large_targets() {
    use crate::browser::Browser;
    use fantoccini::Locator;

    let app = TestApp::spawn().await;
    let (terminal_path, _, _) = register_terminal(&app).await;
    let email = "terminal.axe@example.org";
    applicant(&app, email).await;
    let b = Browser::start().await;
    let mut violations = Vec::new();
    let mut check = async |label: &str, shot: &str| {
        b.screenshot(shot).await;
        violations.extend(b.axe().await.into_iter().map(|v| format!("{label}: {v}")));
        let small = b
            .client
            .execute(
                "return [...document.querySelectorAll(
                    'button, a.button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox])')]
                    .filter(el => el.getClientRects().length > 0)
                    .filter(el => el.getBoundingClientRect().height < 48)
                    .map(el => el.outerHTML.slice(0, 80));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(small, json!([]), "{label}: small touch targets");
        b.client.source().await.unwrap()
    };

    b.client.goto(&app.url(&terminal_path)).await.unwrap();
    assert_eq!(b.client.current_url().await.unwrap().path(), "/kiosk");
    let page = check("start", "kiosk-start.png").await;
    assert!(page.contains("class=\"kiosk\""));
    b.client.goto(&app.url("/kiosk?lang=ar")).await.unwrap();
    check("start (ar)", "kiosk-start-ar.png").await;
    b.client
        .goto(&app.url("/portal/sign-in?lang=de"))
        .await
        .unwrap();
    check("sign-in", "kiosk-sign-in.png").await;
    b.fill("email", email).await;
    b.fill("password", PASSWORD).await;
    b.submit().await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/kiosk");
    check("start (signed in)", "kiosk-signed-in.png").await;
    b.client
        .find(Locator::Css("main a[href='/portal/services']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    check("services", "kiosk-services.png").await;
    b.client
        .goto(&app.url("/portal/services/fiktionsbescheinigung?place=Bielefeld"))
        .await
        .unwrap();
    check("service", "kiosk-service.png").await;
    b.client
        .find(Locator::Css("form[action$='/start'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("date_of_birth", "1.2.1985").await;
    b.client
        .find(Locator::Css("button[value='next']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let page = check("step (errors)", "kiosk-step-error.png").await;
    assert!(page.contains("aria-invalid=\"true\""));
    let _ = b.client.clone().close().await;
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}

/// The warning before the automatic sign-out, in Chromium with a 16-second limit (8 s of warning):
/// it opens by itself as a modal dialog with the focus on its button, continuing keeps the person
/// signed in on the server, and when nobody answers the page returns to the start and the session
/// is over.
#[tokio::test]
async fn the_kiosk_warns_before_it_signs_out_and_continuing_keeps_the_session() {
    use crate::browser::Browser;

    let app = TestApp::spawn_configured(AppOptions { smtp: false }, |config| {
        config.kiosk_idle_seconds = 16;
    })
    .await;
    let (terminal_path, _, _) = register_terminal(&app).await;
    let email = "terminal.warning@example.org";
    applicant(&app, email).await;
    let b = Browser::start().await;
    b.client.goto(&app.url(&terminal_path)).await.unwrap();
    b.client
        .goto(&app.url("/portal/sign-in?lang=de"))
        .await
        .unwrap();
    b.fill("email", email).await;
    b.fill("password", PASSWORD).await;
    b.submit().await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/kiosk");

    let dialog_state = async || {
        b.client
            .execute(
                "const d = document.getElementById('kiosk-warning');
                 return { open: d.open, modal: d.matches(':modal'),
                          focus: document.activeElement && document.activeElement.id,
                          text: d.innerText,
                          height: document.getElementById('kiosk-continue').getBoundingClientRect().height };",
                vec![],
            )
            .await
            .unwrap()
    };
    let wait_open = async || {
        for _ in 0..150 {
            let state = dialog_state().await;
            if state["open"] == true {
                return state;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the warning did not open");
    };
    assert_eq!(dialog_state().await["open"], false, "no warning at first");
    let state = wait_open().await;
    b.screenshot("kiosk-warning.png").await;
    assert_eq!(state["modal"], true, "{state}");
    assert_eq!(state["focus"], "kiosk-continue", "{state}");
    assert!(
        state["height"].as_f64().unwrap() >= 48.0,
        "a large target: {state}"
    );
    assert!(
        state["text"]
            .as_str()
            .unwrap()
            .contains("Sind Sie noch da?"),
        "{state}"
    );
    let violations = b.axe().await;
    assert!(violations.is_empty(), "{violations:#?}");

    // Continue: the dialog closes, and past the original limit the person is still signed in
    // on the server (the page's own request would be refused otherwise).
    b.client
        .find(fantoccini::Locator::Id("kiosk-continue"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(dialog_state().await["open"], false);
    tokio::time::sleep(std::time::Duration::from_secs(9)).await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/kiosk");
    let still_signed_in: serde_json::Value = b
        .client
        .execute(
            "return fetch('/portal/applications', {redirect: 'manual'}).then(r => r.status);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(still_signed_in, 200, "continuing kept the session");

    // Nobody answers the next warning: the page returns to the start and the session has ended.
    wait_open().await;
    for _ in 0..150 {
        if b.client.current_url().await.unwrap().query().is_none()
            && b.client
                .source()
                .await
                .unwrap()
                .contains("Die Sitzung wurde beendet")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = b.client.source().await.unwrap();
    assert!(page.contains("Die Sitzung wurde beendet"), "{page:.400}");
    assert_eq!(b.client.current_url().await.unwrap().path(), "/kiosk");
    let signed_out: serde_json::Value = b
        .client
        .execute(
            "return fetch('/portal/applications', {redirect: 'manual'}).then(r => r.status);",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(signed_out, 200, "the session is over");
    let _ = b.client.clone().close().await;
}
