//! Headless Chromium through WebDriver: a person signs in through the real pages and lands in the
//! workspace; axe-core checks the pages against WCAG 2.1 AA. Screenshots are kept as artifacts.

use std::time::Duration;

use amtsweg_domain::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{
    Staff, TestApp, artifacts_dir, client, free_port, required_env, wait_for_port,
};

pub(crate) struct Browser {
    pub(crate) client: Client,
    _driver: tokio::process::Child,
}

impl Browser {
    pub(crate) async fn start() -> Self {
        let driver_path = required_env("AMTSWEG_CHROMEDRIVER");
        let chromium = required_env("AMTSWEG_CHROMIUM");
        let port = free_port();
        let driver = tokio::process::Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start chromedriver: {err}"));
        wait_for_port(port).await;
        let profile = std::env::temp_dir().join(format!("amtsweg-chromium-{port}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|err| panic!("cannot open a Chromium session: {err}"));
        Self {
            client,
            _driver: driver,
        }
    }

    /// Types into a field, waiting for it first: a click that submits a form returns before the
    /// next page has loaded, so the field may not be there yet.
    pub(crate) async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("input[name='{name}']")))
            .await
            .unwrap_or_else(|err| panic!("field {name}: {err}"));
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    pub(crate) async fn submit(&self) {
        self.client
            .find(Locator::Css("main form button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    /// Signs a staff member in through the pages: password, then the TOTP code.
    pub(crate) async fn sign_in_staff(&self, app: &TestApp, staff: &Staff) {
        self.client.goto(&app.url("/sign-in")).await.unwrap();
        self.fill("email", &staff.email).await;
        self.fill("password", &staff.password).await;
        self.submit().await;
        self.fill("code", &staff.code()).await;
        self.submit().await;
        assert_eq!(
            self.client.current_url().await.unwrap().path(),
            "/workspace"
        );
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(artifacts_dir().join(name), png).unwrap();
    }

    /// Runs axe-core with the WCAG 2.1 A/AA rules and returns serious and critical violations.
    pub(crate) async fn axe(&self) -> Vec<String> {
        self.axe_without(&[]).await
    }

    /// [`Self::axe`] with some rules switched off (each caller says why).
    pub(crate) async fn axe_without(&self, disabled: &[&str]) -> Vec<String> {
        let path = required_env("AMTSWEG_AXE_JS");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("axe-core at {path}: {err}"));
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap();
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const rules = Object.fromEntries(arguments[0].map(id => [id, { enabled: false }]));
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: 0, help: String(e) }]));",
                vec![json!(disabled)],
            )
            .await
            .unwrap();
        result
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v: &Value| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| v.to_string())
            .collect()
    }
}

#[tokio::test]
async fn a_clerk_signs_in_with_totp_and_lands_in_the_workspace() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let browser = Browser::start().await;
    let mut violations = Vec::new();

    browser.client.goto(&app.url("/")).await.unwrap();
    violations.extend(browser.axe().await.into_iter().map(|v| format!("/: {v}")));

    browser.client.goto(&app.url("/sign-in")).await.unwrap();
    violations.extend(
        browser
            .axe()
            .await
            .into_iter()
            .map(|v| format!("/sign-in: {v}")),
    );
    browser.fill("email", &clerk.email).await;
    browser.fill("password", "wrong password").await;
    browser.submit().await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("role=\"alert\""),
        "a wrong password shows an alert"
    );
    violations.extend(
        browser
            .axe()
            .await
            .into_iter()
            .map(|v| format!("/sign-in (error): {v}")),
    );

    browser.fill("email", &clerk.email).await;
    browser.fill("password", &clerk.password).await;
    browser.submit().await;
    assert!(
        browser
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/sign-in/totp")
    );
    violations.extend(
        browser
            .axe()
            .await
            .into_iter()
            .map(|v| format!("/sign-in/totp: {v}")),
    );
    browser.fill("code", &clerk.code()).await;
    browser.submit().await;

    let url = browser.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/workspace");
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("Kreis Borken"),
        "the workspace names the authority"
    );
    browser.screenshot("workspace-after-sign-in.png").await;
    violations.extend(
        browser
            .axe()
            .await
            .into_iter()
            .map(|v| format!("/workspace: {v}")),
    );

    for path in [
        "/portal?lang=ar",
        "/portal/register?lang=uk",
        "/portal/sign-in?lang=tr",
        "/accessibility?lang=ar",
        "/privacy",
        "/imprint?lang=en",
        "/easy-german",
    ] {
        browser.client.goto(&app.url(path)).await.unwrap();
        violations.extend(
            browser
                .axe()
                .await
                .into_iter()
                .map(|v| format!("{path}: {v}")),
        );
    }
    browser.screenshot("portal-register-uk.png").await;
    browser
        .client
        .goto(&app.url("/portal?lang=ar"))
        .await
        .unwrap();
    let dir = browser
        .client
        .execute("return document.documentElement.dir;", vec![])
        .await
        .unwrap();
    assert_eq!(dir, json!("rtl"));
    browser.screenshot("portal-ar.png").await;

    let _ = browser.client.clone().close().await;
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}

#[tokio::test]
async fn a_tenant_admin_manages_users_in_the_browser() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-kreis-borken", Role::TenantAdmin).await;
    let browser = Browser::start().await;
    browser.client.goto(&app.url("/sign-in")).await.unwrap();
    browser.fill("email", &admin.email).await;
    browser.fill("password", &admin.password).await;
    browser.submit().await;
    browser.fill("code", &admin.code()).await;
    browser.submit().await;
    browser
        .client
        .goto(&app.url("/workspace/users"))
        .await
        .unwrap();
    browser.fill("email", "kein-gueltiger-wert").await;
    browser
        .client
        .find(Locator::Css(
            "form[action='/workspace/users/invite'] button[type='submit']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("aria-invalid=\"true\""),
        "the wrong address is marked next to its field"
    );
    let violations = browser.axe().await;
    browser.screenshot("users-invite-error.png").await;
    browser.fill("email", "neu@kreis-borken.test").await;
    browser
        .client
        .find(Locator::Css(
            "form[action='/workspace/users/invite'] button[type='submit']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("neu@kreis-borken.test"),
        "the invitation is listed"
    );
    browser
        .client
        .goto(&app.url("/workspace/audit"))
        .await
        .unwrap();
    let audit = browser.client.source().await.unwrap();
    assert!(audit.contains("user.invited"));
    let _ = browser.client.clone().close().await;
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}

#[tokio::test]
async fn the_intake_settings_and_the_day_view_pass_axe() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let hours: Vec<Value> = (1..=7)
        .map(|d| json!({ "weekday": d, "opens": "08:00", "closes": "12:00", "slot_minutes": 30 }))
        .collect();
    let created = client()
        .post(app.url("/api/v1/intake/resources"))
        .bearer_auth(&token)
        .json(&json!({ "kind": "interpreter", "name": "Dolmetscherin Arabisch", "languages": "ar", "hours": hours }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let browser = Browser::start().await;
    browser.sign_in_staff(&app, &admin).await;
    let mut violations = Vec::new();
    let mut check = async |label: &str, shot: &str| {
        let page = browser.client.source().await.unwrap();
        assert!(!page.contains("status-code"), "{label} is no error page");
        browser.screenshot(shot).await;
        violations.extend(
            browser
                .axe()
                .await
                .into_iter()
                .map(|v| format!("{label}: {v}")),
        );
        page
    };

    browser
        .client
        .goto(&app.url("/workspace/intake/settings"))
        .await
        .unwrap();
    let page = check("settings", "intake-settings.png").await;
    assert!(page.contains("Dolmetscherin Arabisch"));
    // The resource form sent empty: the errors stand next to the fields.
    browser
        .client
        .find(Locator::Css(
            "form[action='/workspace/intake/settings/resources'] button[type='submit']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = check("settings (errors)", "intake-settings-errors.png").await;
    assert!(page.contains("aria-invalid=\"true\""));
    browser
        .client
        .goto(&app.url("/workspace/intake/settings/services/fiktionsbescheinigung"))
        .await
        .unwrap();
    check("service settings", "intake-service-settings.png").await;
    browser
        .client
        .goto(&app.url("/workspace/intake/day"))
        .await
        .unwrap();
    let page = check("day", "intake-day.png").await;
    assert!(page.contains("Dolmetscherin Arabisch"));
    browser
        .client
        .goto(&app.url("/workspace/intake/day?date=kein-datum"))
        .await
        .unwrap();
    let page = check("day (error)", "intake-day-error.png").await;
    assert!(page.contains("aria-invalid=\"true\""));

    let _ = browser.client.clone().close().await;
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}
