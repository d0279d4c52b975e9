//! Rollout end to end: a tenant onboarded from the operator's invitation to live through real mail;
//! EfA commitments before and after the deadlines with payer and cost by the rules; a simulated
//! PIK-Chassis kit registering refugees with duplicates, bad records and lost connections; the
//! ministry's figures matching the data; no personal data in any ministry response; and tenant B
//! never reaching tenant A's devices or registrations.

use amtsweg::pik_simulate::{self, SimulateArgs};
use amtsweg_domain::Role;
use amtsweg_store::rollout as store;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::support::{
    AppOptions, BinaryInstance, Staff, TEST_JWT_KEYS, TempDir, TestApp, browser_client, client,
    csrf_from, find_link, mail_text, redis_url, signed_in_browser,
};

async fn get_json(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let response = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get_text(app: &TestApp, token: &str, path: &str) -> (StatusCode, String) {
    let response = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

async fn send_json(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn ministry(app: &TestApp) -> (Staff, String) {
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let token = app.token(&analyst).await;
    (analyst, token)
}

#[tokio::test]
async fn a_tenant_is_onboarded_from_invitation_to_live_through_real_mail() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let operator = app.staff("mhkbd", Role::PlatformOperator).await;
    let op = app.token(&operator).await;
    let tenant = app.tenant_id("abh-hamm").await;

    // Nobody but the operator reaches the onboarding routes.
    let clerk = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let clerk_token = app.token(&clerk).await;
    let (status, _) = send_json(
        &app,
        &clerk_token,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{}/invite", tenant.0),
        json!({ "email": "x@hamm.test" }),
    )
    .await;
    assert_eq!(status, 404);

    let (status, body) = send_json(
        &app,
        &op,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{}/invite", tenant.0),
        json!({ "email": "erste.admin@hamm.test" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["lifecycle"], "invited");

    // The mail arrives over SMTP and names the authority.
    let mails = app.smtp.as_ref().unwrap().wait_for(1).await;
    let mail = mail_text(&mails[0]);
    assert!(mail.contains("To: erste.admin@hamm.test"), "{mail}");
    assert!(mail.contains("Hamm"), "{mail}");
    let link = find_link(&mail, "http://127.0.0.1/invitation/");
    let path = link.trim_start_matches("http://127.0.0.1").to_owned();

    // The admin accepts, signs in, enrols the second factor.
    let browser = browser_client();
    let html = browser
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&html);
    let password = "ein sehr langes passwort";
    let accepted = browser
        .post(app.url(&path))
        .form(&[
            ("display_name", "Erste Admin"),
            ("password", password),
            ("password_confirm", password),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 303);
    let signed = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", "erste.admin@hamm.test"),
            ("password", password),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.headers()["location"], "/mfa/setup");
    browser.get(app.url("/mfa/setup")).send().await.unwrap();
    let user_id =
        amtsweg_store::users::directory_lookup(app.state.db.connection(), "erste.admin@hamm.test")
            .await
            .unwrap()
            .unwrap()
            .user_id;
    let tx = app.state.db.tenant(tenant).await.unwrap();
    let secret = amtsweg_store::users::get(&tx, user_id)
        .await
        .unwrap()
        .totp_secret
        .unwrap();
    tx.commit().await.unwrap();
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = amtsweg_http::security::totp::code_at(&secret, now).unwrap();
    let enrolled = browser
        .post(app.url("/mfa/setup"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 200);

    // The checklist: the second factor is already ticked by the platform.
    let page = browser
        .get(app.url("/workspace/rollout"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/workspace/rollout/checklist"), "{html}");
    let items = [
        "users_and_roles",
        "services_activated",
        "file_plan",
        "hardware_received",
        "vendor_interface",
        "data_protection_contact",
    ];
    for (i, item) in items.iter().enumerate() {
        if i == items.len() - 1 {
            // Not yet complete: the operator cannot switch the tenant live.
            let (status, body) = send_json(
                &app,
                &op,
                reqwest::Method::POST,
                &format!("/api/v1/rollout/tenants/{}/lifecycle", tenant.0),
                json!({ "to": "live" }),
            )
            .await;
            assert_eq!(status, 409, "{body}");
            assert_eq!(body["code"], "checklist-incomplete");
        }
        let saved = browser
            .post(app.url("/workspace/rollout/checklist"))
            .form(&[
                ("item", *item),
                ("done", "true"),
                ("note", "erledigt"),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303, "{item}");
    }
    let row = amtsweg_store::tenants::get(app.state.db.connection(), tenant.0)
        .await
        .unwrap();
    assert_eq!(row.lifecycle, "onboarding");

    // The ministry sees the progress.
    let (_, analyst) = ministry(&app).await;
    let (_, console) = get_json(&app, &analyst, "/api/v1/ministry/overview").await;
    let hamm = console["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == tenant.0.to_string())
        .unwrap()
        .clone();
    assert_eq!(hamm["checklist_done"], 7);
    assert_eq!(hamm["lifecycle"], "onboarding");

    let (status, body) = send_json(
        &app,
        &op,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{}/lifecycle", tenant.0),
        json!({ "to": "live" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["lifecycle"], "live");

    // Audited in the tenant's chain, which still verifies.
    let tx = app.state.db.tenant(tenant).await.unwrap();
    let (entries, _) = amtsweg_store::audit::list(&tx, Some("tenant.lifecycle"), 10, 0)
        .await
        .unwrap();
    let verification = amtsweg_store::audit::verify(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(entries.len(), 3, "invited, onboarding, live");
    assert!(verification.breaks.is_empty());
}

#[tokio::test]
async fn commitments_before_and_after_the_deadline_follow_the_cost_rules() {
    let app = TestApp::spawn().await;
    let early = app.staff("einb-essen", Role::TenantAdmin).await;
    let late = app.staff("einb-duisburg", Role::TenantAdmin).await;
    let abh = app.staff("abh-essen", Role::TenantAdmin).await;
    let early_token = app.token(&early).await;
    let late_token = app.token(&late).await;
    let abh_token = app.token(&abh).await;

    let put = |token: String, service: &'static str, body: Value| {
        let app = &app;
        async move {
            send_json(
                app,
                &token,
                reqwest::Method::PUT,
                &format!("/api/v1/rollout/subscriptions/{service}"),
                body,
            )
            .await
        }
    };
    let (status, on_time) = put(
        early_token.clone(),
        "einbuergerung",
        json!({ "status": "committed", "committed_on": "2024-08-20" }),
    )
    .await;
    assert_eq!(status, 200, "{on_time}");
    assert_eq!(on_time["payer"], "state");
    assert_eq!(on_time["funding_source"], "state_budget");
    assert_eq!(on_time["met_deadline"], true);
    assert_eq!(on_time["state_pays_until"], "2026-12-31");

    let (status, after) = put(
        late_token.clone(),
        "einbuergerung",
        json!({ "status": "committed", "committed_on": "2024-10-01" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(after["payer"], "municipality");
    assert_eq!(after["funding_source"], "municipal_budget");
    assert_eq!(after["met_deadline"], false);

    // The connection cost (EUR 1,800 plus VAT) is booked once, to the payer the rules name.
    for (token, fund) in [
        (&early_token, "state_budget"),
        (&late_token, "municipal_budget"),
    ] {
        let (_, costs) = get_json(&app, token, "/api/v1/rollout/costs").await;
        let costs = costs.as_array().unwrap();
        assert_eq!(costs.len(), 1, "{costs:?}");
        assert_eq!(costs[0]["kind"], "connection");
        assert_eq!(costs[0]["amount_cents"], 214_200);
        assert_eq!(costs[0]["funding_source"], fund);
    }
    let (_, again) = put(
        early_token.clone(),
        "einbuergerung",
        json!({ "status": "connected", "committed_on": "2024-08-20", "connected_on": "2024-12-01" }),
    )
    .await;
    assert_eq!(again["status"], "connected");
    let (_, costs) = get_json(&app, &early_token, "/api/v1/rollout/costs").await;
    assert_eq!(costs.as_array().unwrap().len(), 1, "booked once");

    // Aufenthalt: its own deadline, 15 Nov 2024.
    let (_, aufenthalt) = put(
        abh_token.clone(),
        "aufenthalt",
        json!({ "status": "committed", "committed_on": "2024-11-15" }),
    )
    .await;
    assert_eq!(aufenthalt["payer"], "state");
    // Verpflichtungserklärung is not taken up in NRW: only the vendor's solution, from the lump sum.
    let (status, refused) = put(
        abh_token.clone(),
        "verpflichtungserklaerung",
        json!({ "status": "committed", "committed_on": "2024-06-01" }),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    let (status, vendor) = put(
        abh_token.clone(),
        "verpflichtungserklaerung",
        json!({ "status": "vendor_solution" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(vendor["payer"], "municipality");

    // Operation 2025 paid by the state; the lump sum refuses periods after 2025.
    let (status, booked) = send_json(
        &app,
        &early_token,
        reqwest::Method::POST,
        "/api/v1/rollout/costs",
        json!({
            "service": "einbuergerung", "kind": "operation", "status": "spent",
            "amount_cents": 120_000, "funding_source": "state_budget",
            "period_start": "2025-01-01", "period_end": "2025-12-31", "document_ref": "RE-2025-17"
        }),
    )
    .await;
    assert_eq!(status, 201, "{booked}");
    assert_eq!(booked["payer"], "state");
    let (status, expired) = send_json(
        &app,
        &abh_token,
        reqwest::Method::POST,
        "/api/v1/rollout/costs",
        json!({
            "kind": "procurement", "status": "committed", "amount_cents": 50_000,
            "funding_source": "federal_lump_sum", "period_start": "2026-02-01",
            "period_end": "2026-02-01", "document_ref": "B-1"
        }),
    )
    .await;
    assert_eq!(status, 422);
    assert!(expired["errors"]["funding_source"].is_string());
    let (status, _) = send_json(
        &app,
        &abh_token,
        reqwest::Method::POST,
        "/api/v1/rollout/costs",
        json!({
            "kind": "procurement", "status": "spent", "amount_cents": 4_000_000,
            "funding_source": "federal_lump_sum", "period_start": "2025-02-01",
            "period_end": "2025-02-01", "document_ref": "Scanner B-2"
        }),
    )
    .await;
    assert_eq!(status, 201);

    // The ministry's figures match the data.
    let (_, analyst) = ministry(&app).await;
    let (status, console) = get_json(&app, &analyst, "/api/v1/ministry/overview").await;
    assert_eq!(status, 200);
    let eligible: i64 = app
        .state
        .db
        .connection()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*) FROM tenants WHERE kind = 'einbuergerungsbehoerde'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    let einb = console["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "einbuergerung")
        .unwrap();
    assert_eq!(einb["eligible"], eligible);
    assert_eq!(einb["committed"], 2);
    assert_eq!(einb["committed_by_deadline"], 1);
    assert_eq!(einb["connected"], 1);
    let fund = |id: &str| {
        console["funds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["fund"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(fund("state_budget")["committed_cents"], 214_200);
    assert_eq!(fund("state_budget")["spent_cents"], 120_000);
    assert_eq!(
        fund("state_budget")["left_cents"],
        900_000_000 - 214_200 - 120_000
    );
    assert_eq!(fund("municipal_budget")["committed_cents"], 214_200);
    assert_eq!(fund("federal_lump_sum")["spent_cents"], 4_000_000);
    // Operation carried forward: the state pays 2026, the authority from 2027.
    let year = |y: i64| {
        console["forecast"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["year"] == y)
            .unwrap()
            .clone()
    };
    assert_eq!(year(2026)["state_cents"], 120_000);
    assert_eq!(year(2027)["municipality_cents"], 120_000);
    assert_eq!(year(2027)["state_cents"], 0);
    // Who missed the deadline: Duisburg committed late, and every authority that did not commit.
    let missed = console["missed_deadlines"].as_array().unwrap();
    let duisburg = missed
        .iter()
        .find(|m| m["service"] == "einbuergerung" && m["committed_on"] == "2024-10-01")
        .unwrap();
    assert!(duisburg["tenant"].as_str().unwrap().contains("Duisburg"));
    assert!(!missed.iter().any(
        |m| m["service"] == "einbuergerung" && m["tenant"].as_str().unwrap().contains("Essen")
    ));
    assert_eq!(
        missed
            .iter()
            .filter(|m| m["service"] == "einbuergerung")
            .count() as i64,
        eligible - 1
    );
    // The lump sum is allocated across the ABH and adds up to EUR 50 million.
    let allocations = store::allocations(app.state.db.connection()).await.unwrap();
    let total: i64 = allocations.iter().map(|(_, _, c)| c).sum();
    assert_eq!(total, 5_000_000_000);

    // The printable report shows the same figures, and each authority's incongruence rate.
    let admin_db = app.db.admin().await;
    for (finished, rate) in [("2026-01-10", 0.25), ("2026-02-10", 0.125)] {
        admin_db
            .connection()
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO reconciliation_aggregates \
                 VALUES ($1, $2, $3::date, 8, 8, 7, 1, 6, 1, 1, 1, 0, 0, $4)",
                [
                    uuid::Uuid::now_v7().into(),
                    abh.tenant.0.into(),
                    finished.into(),
                    rate.into(),
                ],
            ))
            .await
            .unwrap();
    }
    let response = client()
        .get(app.url("/api/v1/ministry/report.pdf"))
        .bearer_auth(&analyst)
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let runs = amtsweg_pdf::text_runs(&response.bytes().await.unwrap());
    // A table row is its cells in order: find the row after its first cell.
    let row = |first: &str, len: usize| -> Vec<String> {
        let at = runs
            .iter()
            .position(|r| r == first)
            .unwrap_or_else(|| panic!("{first} not in {runs:?}"));
        runs[at..at + len].to_vec()
    };
    assert_eq!(
        row("Einbürgerung", 7),
        [
            "Einbürgerung".to_owned(),
            eligible.to_string(),
            "2".into(),
            "1".into(),
            "1".into(),
            "0".into(),
            "2024-09-01".into(),
        ]
    );
    assert_eq!(
        row("Landesmittel", 5)[1..],
        [
            "9.000.000,00 €".to_owned(),
            "2.142,00 €".into(),
            "1.200,00 €".into(),
            "8.996.658,00 €".into(),
        ]
    );
    assert_eq!(row("Kommunaler Haushalt", 3)[2], "2.142,00 €");
    // The lump sum: its total, then committed and spent.
    assert_eq!(
        row("50.000.000,00 €", 3)[1..],
        ["0,00 €".to_owned(), "40.000,00 €".into()]
    );
    assert_eq!(
        row("2027", 3)[1..],
        ["0,00 €".to_owned(), "1.200,00 €".into()]
    );
    let abh_name = amtsweg_store::tenants::get(app.state.db.connection(), abh.tenant.0)
        .await
        .unwrap()
        .name;
    assert_eq!(
        row(&abh_name, 5)[1..],
        [
            "2".to_owned(),
            "12.5 %".into(),
            "25.0 %".into(),
            "2026-02-10".into()
        ]
    );
    let verpasste = runs.iter().position(|r| r == "Verpasste Fristen").unwrap();
    let duisburg = verpasste
        + runs[verpasste..]
            .iter()
            .position(|r| r.contains("Duisburg"))
            .unwrap();
    // A long authority name may wrap in its cell; the late commitment follows within the row.
    assert!(runs[duisburg..duisburg + 6].contains(&"2024-10-01".to_owned()));
    // Only the ministry reads it.
    let clerk = app.staff("abh-essen", Role::Clerk).await;
    let clerk_token = app.token(&clerk).await;
    let refused = client()
        .get(app.url("/api/v1/ministry/report.pdf"))
        .bearer_auth(&clerk_token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn device_for(app: &TestApp, token: &str, serial: &str) -> (String, String) {
    let (status, device) = send_json(
        app,
        token,
        reqwest::Method::POST,
        "/api/v1/rollout/devices",
        json!({ "kind": "pik_chassis", "serial": serial, "certificate_expires_on": "2030-01-01",
                "smartcard_expires_on": "2030-01-01", "cost_cents": 1_250_000 }),
    )
    .await;
    assert_eq!(status, 201, "{device}");
    assert_eq!(device["payer"], "state");
    let id = device["id"].as_str().unwrap().to_owned();
    for state in ["approved", "ordered", "delivered", "installed", "active"] {
        let (status, body) = send_json(
            app,
            token,
            reqwest::Method::POST,
            &format!("/api/v1/rollout/devices/{id}/state"),
            json!({ "state": state }),
        )
        .await;
        assert_eq!(status, 200, "{state}: {body}");
    }
    let (status, credential) = send_json(
        app,
        token,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/devices/{id}/credentials"),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{credential}");
    (id, credential["credential"].as_str().unwrap().to_owned())
}

/// Every registration of a tenant (the superuser connection, so the test sees past RLS).
async fn registration_ids(app: &TestApp, tenant: uuid::Uuid) -> Vec<uuid::Uuid> {
    app.db
        .admin()
        .await
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM pik_registrations WHERE tenant_id = $1 ORDER BY id",
            [tenant.into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<uuid::Uuid>(0).unwrap())
        .collect()
}

async fn count(app: &TestApp, table: &str, tenant: uuid::Uuid) -> i64 {
    app.db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT count(*) FROM {table} WHERE tenant_id = $1"),
            [tenant.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
async fn a_simulated_kit_registers_refugees_and_the_ministry_sees_no_personal_data() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let clerk = app.staff("abh-essen", Role::Clerk).await;
    let admin_token = app.token(&admin).await;
    let clerk_token = app.token(&clerk).await;
    let (device_id, credential) = device_for(&app, &admin_token, "PIK-ESSEN-0001").await;

    // A state jump the machine does not allow.
    let (status, _) = send_json(
        &app,
        &admin_token,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/devices/{device_id}/state"),
        json!({ "state": "ordered" }),
    )
    .await;
    assert_eq!(status, 409);

    let args = SimulateArgs {
        bad_percent: 4,
        duplicate_percent: 6,
        same_person_percent: 8,
        lost_percent: 3,
        ..SimulateArgs::new("abh-essen", &app.base, &credential, 1_000)
    };
    let report = pik_simulate::run(&args).await.unwrap();
    assert_eq!(report.captured, 1_000);
    assert_eq!(report.wrongly_refused, 0, "{report:?}");
    assert_eq!(report.failed, 0, "{report:?}");
    // Retries answer lost connections only: a 409 or 5xx would be the server tripping over
    // itself (as numbering by count(*) did when two registrations opened cases at once).
    assert!(report.retry_causes.is_empty(), "{report:?}");
    assert!(report.refused > 0 && report.replayed > 0, "{report:?}");
    assert!(report.heartbeats >= 2);

    let ids = registration_ids(&app, admin.tenant.0).await;
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let (registrations, persons) = store::registration_counts(&tx).await.unwrap();
    let waiting = store::unprocessed_registrations(&tx, 10_000).await.unwrap();
    let reviews = store::open_match_reviews(&tx, 10_000).await.unwrap();
    let sealed = store::registration(&tx, ids[0]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(registrations as usize, report.expected_registrations);
    assert_eq!(ids.len(), report.expected_registrations);
    assert!(
        persons < registrations,
        "the same person registered again is found, not created"
    );
    // Each registration opened its case at once, except those whose person the matching engine
    // may already know: they wait for a clerk.
    assert!(!reviews.is_empty(), "re-registered persons are proposed");
    assert_eq!(waiting.len(), reviews.len());
    assert_eq!(
        count(&app, "cases", admin.tenant.0).await as usize,
        registrations as usize - reviews.len()
    );
    let personal: Value = serde_json::from_str(&sealed.personal_data).unwrap();

    // The clerk sees the proposals on a page that passes axe, and decides over the API: the
    // engine's certain proposals are confirmed, the others become new persons.
    let page_clerk = app.staff("abh-essen", Role::Clerk).await;
    let violations = axe_pages(&app, &page_clerk, &["/workspace/rollout/matches"]).await;
    assert!(violations.is_empty(), "{violations:#?}");
    let (status, _) = send_json(
        &app,
        &clerk_token,
        reqwest::Method::POST,
        &format!(
            "/api/v1/rollout/match-reviews/{}",
            reviews[0].registration_id
        ),
        json!({ "person_id": uuid::Uuid::now_v7() }),
    )
    .await;
    assert_eq!(status, 422, "only a proposed person can be confirmed");
    let mut confirmed = 0;
    loop {
        let (status, open) = get_json(&app, &clerk_token, "/api/v1/rollout/match-reviews").await;
        assert_eq!(status, 200);
        let open = open.as_array().unwrap().clone();
        if open.is_empty() {
            break;
        }
        for review in open {
            let best = &review["proposals"][0];
            let chosen = if best["sure"] == true {
                confirmed += 1;
                best["person_id"].clone()
            } else {
                Value::Null
            };
            let (status, decided) = send_json(
                &app,
                &clerk_token,
                reqwest::Method::POST,
                &format!(
                    "/api/v1/rollout/match-reviews/{}",
                    review["registration_id"].as_str().unwrap()
                ),
                json!({ "person_id": chosen }),
            )
            .await;
            assert_eq!(status, 200, "{decided}");
        }
    }
    assert!(confirmed > 0);
    let (status, _) = send_json(
        &app,
        &clerk_token,
        reqwest::Method::POST,
        &format!(
            "/api/v1/rollout/match-reviews/{}",
            reviews[0].registration_id
        ),
        json!({ "person_id": null }),
    )
    .await;
    assert_eq!(status, 409, "a decided registration stays decided");
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    assert!(
        store::unprocessed_registrations(&tx, 10)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    // Every registration has its first-registration case; re-registered persons have one file.
    assert_eq!(
        count(&app, "cases", admin.tenant.0).await as usize,
        registrations as usize
    );
    let case_persons = count(&app, "persons", admin.tenant.0).await as usize;
    assert_eq!(case_persons, registrations as usize - confirmed);

    // Biometric data at rest is sealed; clerks read it (audited), admins do not.
    let raw = app
        .db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT photo_sealed FROM pik_registrations WHERE id = $1",
            [ids[0].into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap();
    assert!(
        !raw.starts_with("/9j/"),
        "a JPEG in base64 would start /9j/"
    );
    let path = format!("/api/v1/rollout/registrations/{}/biometrics", ids[0]);
    let (status, _) = get_json(&app, &admin_token, &path).await;
    assert_eq!(status, 403);
    let (status, bio) = get_json(&app, &clerk_token, &path).await;
    assert_eq!(status, 200, "{bio}");
    assert!(bio["photo"].as_str().unwrap().starts_with("/9j/"));
    assert_eq!(bio["personal_data"], personal);
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let (reads, _) = amtsweg_store::audit::list(&tx, Some("pik.biometrics.read"), 10, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(reads.len(), 1);

    // Heartbeats reached the device; the workspace shows its health.
    let (_, devices) = get_json(&app, &admin_token, "/api/v1/rollout/devices").await;
    assert_eq!(devices[0]["health"], "ok", "{devices}");
    assert_eq!(devices[0]["software_version"], "pik-chassis-sim 1.4.2");

    // Rotation: the new credential works, the old one does not.
    let rotate = client()
        .post(app.url("/api/v1/devices/credential/rotate"))
        .header("Authorization", format!("Device {credential}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rotate.status(), 201);
    let fresh: Value = rotate.json().await.unwrap();
    let beat = |cred: String| {
        let app = &app;
        async move {
            client()
                .post(app.url("/api/v1/devices/heartbeat"))
                .header("Authorization", format!("Device {cred}"))
                .json(&json!({ "software_version": "1.4.3", "state": "ready" }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(beat(credential.clone()).await, 401);
    assert_eq!(
        beat(fresh["credential"].as_str().unwrap().to_owned()).await,
        200
    );

    // Tenant B reaches none of A's objects.
    let b_admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let b_clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let b_admin_token = app.token(&b_admin).await;
    let b_clerk_token = app.token(&b_clerk).await;
    let (status, _) = get_json(&app, &b_clerk_token, &path).await;
    assert_eq!(status, 404);
    let (status, _) = send_json(
        &app,
        &b_admin_token,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/devices/{device_id}/state"),
        json!({ "state": "returned" }),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send_json(
        &app,
        &b_admin_token,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/devices/{device_id}/credentials"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);
    let (_, b_regs) = get_json(&app, &b_clerk_token, "/api/v1/rollout/registrations").await;
    assert_eq!(b_regs.as_array().unwrap().len(), 0);
    // A's credential secret presented as B's tenant is refused.
    let fresh_cred = fresh["credential"].as_str().unwrap();
    let forged = fresh_cred.replacen(
        &admin.tenant.0.to_string(),
        &b_admin.tenant.0.to_string(),
        1,
    );
    assert_eq!(beat(forged).await, 401);

    // The ministry: figures from the data, and no personal data anywhere.
    let (_, analyst) = ministry(&app).await;
    let (status, console) = get_json(&app, &analyst, "/api/v1/ministry/overview").await;
    assert_eq!(status, 200);
    let pik = console["hardware"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "pik_chassis")
        .unwrap();
    assert_eq!(pik["delivered"], 1);
    assert_eq!(pik["tenants_delivered"], 1);
    assert_eq!(console["pik_chassis_tenants"], 1);

    let mut responses = vec![console.to_string()];
    let browser = browser_client();
    let analyst_staff = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", analyst_staff.email.as_str()),
            ("password", analyst_staff.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let code = analyst_staff.code();
    browser
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    for path in [
        "/ministry",
        "/ministry/print",
        "/ministry/export.csv?table=services",
        "/ministry/export.csv?table=funds",
        "/ministry/export.csv?table=forecast",
        "/ministry/export.csv?table=hardware",
        "/ministry/export.csv?table=regions",
        "/ministry/export.csv?table=missed_deadlines",
        "/ministry/export.csv?table=tenants",
        "/ministry/export.csv?table=reconciliation",
    ] {
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        responses.push(response.text().await.unwrap());
    }
    let xlsx = browser
        .get(app.url("/ministry/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    assert!(responses[1].contains("<svg") && responses[1].contains("Essen"));
    // The PDF report writes glyph ids; its text is read back before it is searched.
    let report = browser
        .get(app.url("/ministry/report.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200);
    let report = amtsweg_pdf::text_runs(&report.bytes().await.unwrap()).join("\n");
    assert!(report.contains("PIK-Chassis") && report.contains("Essen"));
    responses.push(report);

    let mut secrets: Vec<String> = Vec::new();
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    for id in &ids {
        let full = store::registration(&tx, *id).await.unwrap();
        let data: Value = serde_json::from_str(&full.personal_data).unwrap();
        secrets.push(data["given_names"].as_str().unwrap().to_owned());
        secrets.push(format!(
            "{} {}",
            data["family_name"].as_str().unwrap(),
            data["given_names"].as_str().unwrap()
        ));
        let docs: Value = serde_json::from_str(&full.documents).unwrap();
        for doc in docs.as_array().unwrap() {
            secrets.push(doc["number"].as_str().unwrap().to_owned());
        }
        secrets.push(id.to_string());
        secrets.push(full.person_id.to_string());
    }
    tx.commit().await.unwrap();
    secrets.push(clerk.email.clone());
    // Given names repeat across a thousand synthetic persons; each needs checking once.
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 500);
    for (i, text) in responses.iter().enumerate() {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "ministry response {i} contains personal data: {secret}"
            );
        }
    }
}

/// A clerk's decision on a proposed person is taken back while its case has not moved on: over
/// the API for a confirmed person, on the page for a created one; then the case moves on and the
/// decision stands.
#[tokio::test]
async fn a_match_decision_is_undone_until_its_case_moves_on() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let clerk = app.staff("abh-essen", Role::Clerk).await;
    let admin_token = app.token(&admin).await;
    let clerk_token = app.token(&clerk).await;
    let tenant = admin.tenant.0;
    let (_, credential) = device_for(&app, &admin_token, "PIK-ESSEN-UNDO").await;
    let report = pik_simulate::run(&SimulateArgs {
        bad_percent: 0,
        duplicate_percent: 0,
        lost_percent: 0,
        same_person_percent: 40,
        ..SimulateArgs::new("abh-essen", &app.base, &credential, 40)
    })
    .await
    .unwrap();
    assert_eq!(report.failed, 0, "{report:?}");
    let (_, open) = get_json(&app, &clerk_token, "/api/v1/rollout/match-reviews").await;
    let open = open.as_array().unwrap().clone();
    assert!(open.len() >= 2, "{open:?}");
    let review = |i: usize| open[i]["registration_id"].as_str().unwrap().to_owned();
    let (confirmed, created) = (review(0), review(1));
    let decide = |registration: String, person: Value| {
        let (app, token) = (&app, &clerk_token);
        async move {
            send_json(
                app,
                token,
                reqwest::Method::POST,
                &format!("/api/v1/rollout/match-reviews/{registration}"),
                json!({ "person_id": person }),
            )
            .await
        }
    };
    let undo = |registration: String| {
        let (app, token) = (&app, &clerk_token);
        async move {
            send_json(
                app,
                token,
                reqwest::Method::POST,
                &format!("/api/v1/rollout/match-reviews/{registration}/undo"),
                json!({}),
            )
            .await
        }
    };
    let (status, _) = undo(confirmed.clone()).await;
    assert_eq!(status, 409, "an open review has nothing to undo");
    let cases_before = count(&app, "cases", tenant).await;
    let persons_before = count(&app, "persons", tenant).await;
    let (status, first) = decide(
        confirmed.clone(),
        open[0]["proposals"][0]["person_id"].clone(),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let (status, second) = decide(created.clone(), Value::Null).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["person_created"], true);
    assert_eq!(count(&app, "cases", tenant).await, cases_before + 2);
    assert_eq!(count(&app, "persons", tenant).await, persons_before + 1);

    // The page lists both decisions with an undo button each.
    let (browser, csrf) = signed_in_browser(&app, &clerk).await;
    let page = page_text(&app, &browser, "/workspace/rollout/matches").await;
    for registration in [&confirmed, &created] {
        assert!(page.contains(&format!("/workspace/rollout/matches/{registration}/undo")));
    }

    // Over the API: the confirmed person stays, the case goes, the review is open again.
    let (status, undone) = undo(confirmed.clone()).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["case_id"], first["case_id"]);
    assert_eq!(undone["person_deleted"], false);
    assert_eq!(count(&app, "cases", tenant).await, cases_before + 1);
    assert_eq!(count(&app, "persons", tenant).await, persons_before + 1);
    let (status, _) = undo(confirmed.clone()).await;
    assert_eq!(status, 409, "undone once");

    // On the page: the created person goes with the case.
    let (status, location, _) = post_form(
        &app,
        &browser,
        &format!("/workspace/rollout/matches/{created}/undo"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/workspace/rollout/matches");
    assert_eq!(count(&app, "cases", tenant).await, cases_before);
    assert_eq!(count(&app, "persons", tenant).await, persons_before);
    let (_, reopened) = get_json(&app, &clerk_token, "/api/v1/rollout/match-reviews").await;
    let reopened: Vec<&str> = reopened
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["registration_id"].as_str().unwrap())
        .collect();
    assert!(reopened.contains(&confirmed.as_str()) && reopened.contains(&created.as_str()));
    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let waiting = store::unprocessed_registrations(&tx, 100).await.unwrap();
    let (undos, _) = amtsweg_store::audit::list(&tx, Some("pik.match.undone"), 10, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(waiting.len(), open.len(), "the registrations wait again");
    assert_eq!(undos.len(), 2);
    assert!(
        undos
            .iter()
            .any(|e| e.details.contains("\"person_deleted\":true"))
    );

    // Decided again, and the case moves on: the decision stands.
    let (status, again) = decide(
        confirmed.clone(),
        open[0]["proposals"][0]["person_id"].clone(),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    let (status, taken) = send_json(
        &app,
        &clerk_token,
        reqwest::Method::POST,
        &format!(
            "/api/v1/cases/{}/actions",
            again["case_id"].as_str().unwrap()
        ),
        json!({ "action": "take" }),
    )
    .await;
    assert_eq!(status, 200, "{taken}");
    let (status, refused) = undo(confirmed.clone()).await;
    assert_eq!(status, 409);
    assert_eq!(refused["code"], "match-moved-on");
    let page = page_text(&app, &browser, "/workspace/rollout/matches").await;
    assert!(!page.contains(&format!("/workspace/rollout/matches/{confirmed}/undo")));
    let (status, location, _) = post_form(
        &app,
        &browser,
        &format!("/workspace/rollout/matches/{confirmed}/undo"),
        &[("csrf", csrf.as_str())],
    )
    .await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/workspace/rollout/matches")
    );
    assert_eq!(count(&app, "cases", tenant).await, cases_before + 1);
}

#[tokio::test]
async fn offboarding_exports_then_deletes_and_is_audited() {
    let app = TestApp::spawn().await;
    let operator = app.staff("mhkbd", Role::PlatformOperator).await;
    let op = app.token(&operator).await;
    let admin = app.staff("abh-hamm", Role::TenantAdmin).await;
    let admin_token = app.token(&admin).await;
    let (_, credential) = device_for(&app, &admin_token, "PIK-HAMM-1").await;
    let report = pik_simulate::run(&SimulateArgs {
        bad_percent: 0,
        lost_percent: 0,
        ..SimulateArgs::new("abh-hamm", &app.base, &credential, 20)
    })
    .await
    .unwrap();
    assert_eq!(report.failed, 0);
    let tenant = admin.tenant.0;
    // Walk the lifecycle by hand: catalogued → invited → onboarding → live → suspended.
    for to in ["invited", "onboarding"] {
        amtsweg_store::tenants::set_lifecycle(
            app.state.db.connection(),
            tenant,
            to,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    amtsweg_store::tenants::set_lifecycle(
        app.state.db.connection(),
        tenant,
        "live",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    // A finished reconciliation run left its aggregate in the platform table.
    let admin_db = app.db.admin().await;
    admin_db
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO reconciliation_aggregates VALUES ($1, $2, now(), 10, 10, 9, 1, 8, 1, 1, 1, 0, 0, 0.2)",
            [uuid::Uuid::now_v7().into(), tenant.into()],
        ))
        .await
        .unwrap();
    let export_path = format!("/api/v1/rollout/tenants/{tenant}/export");
    let (status, _) = get_json(&app, &op, &export_path).await;
    assert_eq!(status, 409, "a live tenant is suspended first");
    let (status, _) = send_json(
        &app,
        &op,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{tenant}/lifecycle"),
        json!({ "to": "suspended" }),
    )
    .await;
    assert_eq!(status, 200);
    let response = client()
        .get(app.url(&export_path))
        .bearer_auth(&op)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let digest = response.headers()["x-export-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(header["format"], "amtsweg-tenant-export");
    let tables: std::collections::BTreeSet<String> = lines
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["table"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for table in ["users", "devices", "pik_registrations", "rollout_persons"] {
        assert!(tables.contains(table), "{table} in {tables:?}");
    }

    let (status, body) = send_json(
        &app,
        &op,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{tenant}/offboard"),
        json!({ "export_sha256": "0".repeat(64) }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = send_json(
        &app,
        &op,
        reqwest::Method::POST,
        &format!("/api/v1/rollout/tenants/{tenant}/offboard"),
        json!({ "export_sha256": digest }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["lifecycle"], "offboarded");
    assert!(body["rows_deleted"].as_u64().unwrap() > 40);

    let tx = app.state.db.tenant(admin.tenant).await.unwrap();
    let (registrations, _) = store::registration_counts(&tx).await.unwrap();
    let users = amtsweg_store::users::count(&tx).await.unwrap();
    let (entries, _) = amtsweg_store::audit::list(&tx, Some("tenant.offboarded"), 10, 0)
        .await
        .unwrap();
    let verification = amtsweg_store::audit::verify(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(registrations, 0);
    assert_eq!(users, 0);
    assert_eq!(count(&app, "reconciliation_aggregates", tenant).await, 0);
    assert_eq!(entries.len(), 1);
    assert!(
        verification.breaks.is_empty(),
        "the audit chain is kept intact"
    );
    // The former admin can no longer sign in.
    let response = client()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({ "email": admin.email, "password": admin.password, "code": admin.code() }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_sina_survey_is_opened_answered_and_approved() {
    let app = TestApp::spawn().await;
    let (_, analyst) = ministry(&app).await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let admin_token = app.token(&admin).await;
    let closes = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    let (status, survey) = send_json(
        &app,
        &analyst,
        reqwest::Method::POST,
        "/api/v1/ministry/sina-surveys",
        json!({ "title": "SINA-Erstausstattung", "closes_on": closes }),
    )
    .await;
    assert_eq!(status, 201, "{survey}");
    let id = survey["id"].as_str().unwrap().to_owned();
    // Tenants cannot open surveys.
    let (status, _) = send_json(
        &app,
        &admin_token,
        reqwest::Method::POST,
        "/api/v1/ministry/sina-surveys",
        json!({ "title": "x", "closes_on": closes }),
    )
    .await;
    assert_eq!(status, 403);
    let (_, open) = get_json(&app, &admin_token, "/api/v1/rollout/sina-surveys").await;
    assert_eq!(open[0]["open"], true);
    let (status, _) = send_json(
        &app,
        &admin_token,
        reqwest::Method::PUT,
        &format!("/api/v1/rollout/sina-surveys/{id}"),
        json!({ "requested": 3, "justification": "drei Teams" }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, answers) = get_json(
        &app,
        &analyst,
        &format!("/api/v1/ministry/sina-surveys/{id}"),
    )
    .await;
    assert_eq!(answers[0]["requested"], 3);
    assert!(answers[0]["authority"].as_str().unwrap().contains("Essen"));
    let (status, approved) = send_json(
        &app,
        &analyst,
        reqwest::Method::POST,
        &format!("/api/v1/ministry/sina-surveys/{id}/approvals"),
        json!({ "tenant_id": admin.tenant.0, "approved": 2 }),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    let (_, mine) = get_json(&app, &admin_token, "/api/v1/rollout/sina-surveys").await;
    assert_eq!(mine[0]["requested"], 3);
    assert_eq!(mine[0]["approved"], 2);
}

/// Signs in through the real pages in headless Chromium and runs axe-core (WCAG 2.1 A/AA) on a
/// page; returns the serious and critical violations.
async fn axe_page(app: &TestApp, staff: &Staff, path: &str) -> Vec<String> {
    axe_pages(app, staff, &[path]).await
}

/// [`axe_page`] for several pages in one browser session.
async fn axe_pages(app: &TestApp, staff: &Staff, paths: &[&str]) -> Vec<String> {
    use fantoccini::{ClientBuilder, Locator};
    let port = crate::support::free_port();
    let _driver =
        tokio::process::Command::new(crate::support::required_env("AMTSWEG_CHROMEDRIVER"))
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
    crate::support::wait_for_port(port).await;
    let profile = std::env::temp_dir().join(format!("amtsweg-rollout-chromium-{port}"));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": crate::support::required_env("AMTSWEG_CHROMIUM"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.display())]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();
    client.goto(&app.url("/sign-in")).await.unwrap();
    for (name, value) in [
        ("email", staff.email.as_str()),
        ("password", staff.password.as_str()),
    ] {
        let field = client
            .find(Locator::Css(&format!("input[name='{name}']")))
            .await
            .unwrap();
        field.send_keys(value).await.unwrap();
    }
    let submit = "main form button[type='submit']";
    client
        .find(Locator::Css(submit))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let code = staff.code();
    client
        .find(Locator::Css("input[name='code']"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    client
        .find(Locator::Css(submit))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let axe = std::fs::read_to_string(crate::support::required_env("AMTSWEG_AXE_JS")).unwrap();
    let mut violations = Vec::new();
    for path in paths {
        client.goto(&app.url(path)).await.unwrap();
        let source = client.source().await.unwrap();
        assert!(
            source.contains("user-badge") && source.contains("<h1"),
            "{path}: {source}"
        );
        client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .unwrap();
        let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }))))
                .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: 0, help: String(e) }]));",
            vec![],
        )
        .await
        .unwrap();
        let png = client.screenshot().await.unwrap();
        let name = format!("rollout{}.png", path.replace('/', "-"));
        std::fs::write(crate::support::artifacts_dir().join(name), png).unwrap();
        violations.extend(
            result
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                .map(|v| format!("{path}: {v}")),
        );
    }
    client.close().await.unwrap();
    violations
}

#[tokio::test]
async fn the_console_and_the_onboarding_page_pass_axe() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    device_for(&app, &token, "PIK-A11Y-1").await;
    let (status, _) = send_json(
        &app,
        &token,
        reqwest::Method::PUT,
        "/api/v1/rollout/subscriptions/aufenthalt",
        json!({ "status": "committed", "committed_on": "2024-10-01" }),
    )
    .await;
    assert_eq!(status, 200);
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let mut violations = axe_page(&app, &analyst, "/ministry").await;
    violations.extend(axe_page(&app, &admin, "/workspace/rollout").await);
    assert!(violations.is_empty(), "{violations:#?}");
}

#[tokio::test]
async fn the_operator_onboards_through_the_pages() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let operator = app.staff("mhkbd", Role::PlatformOperator).await;
    let tenant = app.tenant_id("abh-essen").await;
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
    browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", operator.email.as_str()),
            ("password", operator.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let code = operator.code();
    browser
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let list = browser
        .get(app.url("/operator/rollout"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let detail_path = format!("/operator/rollout/{}", tenant.0);
    assert!(list.text().await.unwrap().contains(&detail_path));
    let detail = browser.get(app.url(&detail_path)).send().await.unwrap();
    assert_eq!(detail.status(), 200);
    let invalid = browser
        .post(app.url(&format!("{detail_path}/invite")))
        .form(&[("email", "not an address"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    assert!(invalid.text().await.unwrap().contains("aria-invalid"));
    let sent = browser
        .post(app.url(&format!("{detail_path}/invite")))
        .form(&[("email", "leitung@essen.test"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let mails = app.smtp.as_ref().unwrap().wait_for(1).await;
    assert!(mail_text(&mails[0]).contains("To: leitung@essen.test"));
    // Going live straight from `invited` is not a move the lifecycle allows: refused with a flash.
    let refused = browser
        .post(app.url(&format!("{detail_path}/lifecycle")))
        .form(&[("to", "live"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 303);
    let withdrawn = browser
        .post(app.url(&format!("{detail_path}/lifecycle")))
        .form(&[("to", "catalogued"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 303);
    let row = amtsweg_store::tenants::get(app.state.db.connection(), tenant.0)
        .await
        .unwrap();
    assert_eq!(row.lifecycle, "catalogued");
    // A tenant admin does not reach the operator's pages.
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let other = browser_client();
    let page = other
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    other
        .post(app.url("/sign-in"))
        .form(&[
            ("email", admin.email.as_str()),
            ("password", admin.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let code = admin.code();
    other
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let denied = other.get(app.url(&detail_path)).send().await.unwrap();
    assert_eq!(denied.status(), 404);
}

/// Posts a form from a signed-in browser; returns the status, the `Location` and the body.
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let response = browser
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location, response.text().await.unwrap())
}

async fn page_text(app: &TestApp, browser: &reqwest::Client, path: &str) -> String {
    let response = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn devices_services_costs_and_the_sina_survey_work_through_the_pages() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let (browser, csrf) = signed_in_browser(&app, &admin).await;
    let today = chrono::Utc::now().date_naive();
    let soon = (today + chrono::Duration::days(10)).to_string();
    let c = csrf.as_str();

    // Devices: errors come back next to their fields; a valid request is registered.
    let (status, _, body) = post_form(
        &app,
        &browser,
        "/workspace/rollout/devices",
        &[
            ("csrf", c),
            ("kind", ""),
            ("serial", " "),
            ("cost", "zwölf"),
            ("certificate_expires_on", "31.12.2030"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    for id in [
        "field-kind-error",
        "field-serial-error",
        "field-cost-error",
        "field-certificate_expires_on-error",
    ] {
        assert!(body.contains(id), "{id}");
    }
    let device = [
        ("csrf", c),
        ("kind", "pik_chassis"),
        ("serial", "PIK-PAGE-1"),
        ("certificate_expires_on", soon.as_str()),
        ("smartcard_expires_on", "2020-01-01"),
        ("cost", "12.500,00"),
        ("payer", ""),
    ];
    let (status, location, _) =
        post_form(&app, &browser, "/workspace/rollout/devices", &device).await;
    assert_eq!(
        (status.as_u16(), location.as_str()),
        (303, "/workspace/rollout/devices")
    );
    let (status, _, body) = post_form(&app, &browser, "/workspace/rollout/devices", &device).await;
    assert_eq!(status, 422);
    assert!(body.contains("Diese Seriennummer ist schon erfasst."));
    let (_, devices) = get_json(&app, &token, "/api/v1/rollout/devices").await;
    let id = devices[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(devices[0]["payer"], "state");
    assert_eq!(devices[0]["cost_cents"], 1_250_000);
    let page = page_text(&app, &browser, "/workspace/rollout/devices").await;
    assert!(page.contains("läuft bald ab") && page.contains("abgelaufen"));
    assert!(page.contains("12.500,00 €"));
    // The state machine decides: a jump is refused, the next step is taken.
    let state_path = format!("/workspace/rollout/devices/{id}/state");
    let (status, _, _) = post_form(
        &app,
        &browser,
        &state_path,
        &[("csrf", c), ("state", "active")],
    )
    .await;
    assert_eq!(status, 303);
    let (_, devices) = get_json(&app, &token, "/api/v1/rollout/devices").await;
    assert_eq!(devices[0]["state"], "requested");
    let refused = page_text(&app, &browser, "/workspace/rollout/devices").await;
    assert!(refused.contains("Dieser Zustandswechsel ist nicht zulässig."));
    post_form(
        &app,
        &browser,
        &state_path,
        &[("csrf", c), ("state", "approved")],
    )
    .await;
    let (_, devices) = get_json(&app, &token, "/api/v1/rollout/devices").await;
    assert_eq!(devices[0]["state"], "approved");

    // EfA services: payer and connection cost follow the rules.
    let (status, _, body) = post_form(
        &app,
        &browser,
        "/workspace/rollout/services",
        &[
            ("csrf", c),
            ("service", "aufenthalt"),
            ("status", "committed"),
            ("committed_on", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("field-committed_on-error"));
    for (service, day) in [
        ("einbuergerung", "2024-08-15"),
        ("aufenthalt", "2024-12-01"),
    ] {
        let (status, _, body) = post_form(
            &app,
            &browser,
            "/workspace/rollout/services",
            &[
                ("csrf", c),
                ("service", service),
                ("status", "committed"),
                ("committed_on", day),
                ("connected_on", ""),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
    }
    let (_, subs) = get_json(&app, &token, "/api/v1/rollout/subscriptions").await;
    let payer = |service: &str| {
        subs.as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == service)
            .unwrap()["payer"]
            .clone()
    };
    assert_eq!(payer("einbuergerung"), "state");
    assert_eq!(payer("aufenthalt"), "municipality");
    let page = page_text(&app, &browser, "/workspace/rollout/services").await;
    assert!(page.contains("2024-09-01 (eingehalten)") && page.contains("2024-11-15 (versäumt)"));
    assert!(page.contains("2.142,00 €") && page.contains("Land bis 2026-12-31"));

    // Costs: amounts in German notation, exact to the cent; the lump sum lapses after 2025.
    let cost = |start: &'static str, fund: &'static str| {
        vec![
            ("csrf", c),
            ("service", ""),
            ("device_id", ""),
            ("kind", "procurement"),
            ("status", "spent"),
            ("amount", "1.234,56"),
            ("funding_source", fund),
            ("period_start", start),
            ("period_end", start),
            ("document_ref", "RE-2025-17"),
        ]
    };
    let (status, _, body) = post_form(
        &app,
        &browser,
        "/workspace/rollout/costs",
        &cost("2026-01-05", "federal_lump_sum"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("field-funding_source-error") && body.contains("bis 31.12.2025 beginnen")
    );
    let (status, _, _) = post_form(
        &app,
        &browser,
        "/workspace/rollout/costs",
        &cost("2025-03-05", "federal_lump_sum"),
    )
    .await;
    assert_eq!(status, 303);
    let (_, costs) = get_json(&app, &token, "/api/v1/rollout/costs").await;
    let booked = costs
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["document_ref"] == "RE-2025-17")
        .unwrap();
    assert_eq!(booked["amount_cents"], 123_456);
    assert_eq!(booked["payer"], "municipality");
    let page = page_text(&app, &browser, "/workspace/rollout/costs").await;
    assert!(page.contains("Verwendungsnachweis") && page.contains("1.234,56 €"));
    // The allocation is the authority's share of EUR 50 million; what is left is exact.
    let allocation = store::allocations(app.state.db.connection())
        .await
        .unwrap()
        .into_iter()
        .find(|(t, f, _)| *t == admin.tenant.0 && f == "federal_lump_sum")
        .unwrap()
        .2;
    let left = allocation - 123_456;
    let euros = (left / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    assert!(page.contains(&format!("{grouped},{:02} €", left % 100)));

    // SINA: the ministry opens a round, the authority answers, the ministry approves.
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let (ministry, mcsrf) = signed_in_browser(&app, &analyst).await;
    let m = mcsrf.as_str();
    let closes = (today + chrono::Duration::days(30)).to_string();
    let (status, _, body) = post_form(
        &app,
        &ministry,
        "/ministry/sina",
        &[("csrf", m), ("title", "SINA 2026"), ("closes_on", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("field-closes_on-error"));
    let (status, round, _) = post_form(
        &app,
        &ministry,
        "/ministry/sina",
        &[
            ("csrf", m),
            ("title", "SINA 2026"),
            ("closes_on", closes.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let survey = round.trim_start_matches("/ministry/sina/").to_owned();
    let list = page_text(&app, &browser, "/workspace/rollout/sina").await;
    let answer_path = format!("/workspace/rollout/sina/{survey}");
    assert!(list.contains(&answer_path));
    let (status, _, body) = post_form(
        &app,
        &browser,
        &answer_path,
        &[("csrf", c), ("requested", "viele"), ("justification", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("field-requested-error"));
    let (status, _, _) = post_form(
        &app,
        &browser,
        &answer_path,
        &[
            ("csrf", c),
            ("requested", "4"),
            ("justification", "Zwei Standorte"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let answers = page_text(&app, &ministry, &round).await;
    assert!(answers.contains("Essen"));
    let approvals = format!("{round}/approvals");
    let tenant = admin.tenant.0.to_string();
    let (status, _, body) = post_form(
        &app,
        &ministry,
        &approvals,
        &[
            ("csrf", m),
            ("tenant_id", tenant.as_str()),
            ("approved", "99"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains(&format!("approved-{tenant}-error")));
    let (status, _, _) = post_form(
        &app,
        &ministry,
        &approvals,
        &[
            ("csrf", m),
            ("tenant_id", tenant.as_str()),
            ("approved", "3"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, mine) = get_json(&app, &token, "/api/v1/rollout/sina-surveys").await;
    assert_eq!(
        (mine[0]["requested"].as_i64(), mine[0]["approved"].as_i64()),
        (Some(4), Some(3))
    );

    // The ministry's hardware overview: counts per authority, never a serial.
    let hardware = page_text(&app, &ministry, "/ministry/hardware").await;
    assert!(hardware.contains("Essen") && hardware.contains("0 / 1"));
    assert!(!hardware.contains("PIK-PAGE-1"));

    // Another authority's admin reaches none of it; the ministry cannot book or answer.
    let other = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let (b_browser, b_csrf) = signed_in_browser(&app, &other).await;
    let (status, _, _) = post_form(
        &app,
        &b_browser,
        &state_path,
        &[("csrf", b_csrf.as_str()), ("state", "returned")],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = post_form(
        &app,
        &ministry,
        "/workspace/rollout/costs",
        &cost("2025-03-05", "federal_lump_sum")
            .into_iter()
            .map(|(k, v)| if k == "csrf" { (k, m) } else { (k, v) })
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(status, 403);

    // Accessible in a real browser (fresh accounts: a TOTP code is accepted only once).
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let mut violations = axe_pages(
        &app,
        &admin,
        &[
            "/workspace/rollout/devices",
            "/workspace/rollout/services",
            "/workspace/rollout/costs",
            "/workspace/rollout/sina",
            &answer_path,
        ],
    )
    .await;
    violations.extend(
        axe_pages(
            &app,
            &analyst,
            &["/ministry/hardware", "/ministry/sina", &round],
        )
        .await,
    );
    assert!(violations.is_empty(), "{violations:#?}");
}

/// `amtsweg seed rollout` gives every authority of the catalog a realistic rollout once, and the
/// console's figures agree with the rows they summarize.
#[tokio::test]
async fn seeded_rollout_data_adds_up_in_the_console() {
    let app = TestApp::spawn().await;
    let seeded = amtsweg::seed_rollout::seed(&app.state.db, 7, chrono::Utc::now())
        .await
        .unwrap();
    assert!(seeded.tenants > 170 && seeded.rows > 10_000, "{seeded:?}");
    let again = amtsweg::seed_rollout::seed(&app.state.db, 7, chrono::Utc::now()).await;
    assert!(again.is_err(), "a second seeding must refuse");

    let superuser = app.db.admin().await;
    let count = |sql: &'static str| {
        let superuser = &superuser;
        async move {
            let row = superuser
                .connection()
                .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .unwrap()
                .unwrap();
            usize::try_from(row.try_get::<i64>("", "n").unwrap()).unwrap()
        }
    };
    let (_, analyst) = ministry(&app).await;
    let (status, console) = get_json(&app, &analyst, "/api/v1/ministry/overview").await;
    assert_eq!(status, 200);
    let service = |key: &str| {
        console["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(
        service("aufenthalt")["connected"],
        count("SELECT count(*) AS n FROM efa_subscriptions WHERE service = 'aufenthalt' AND status = 'connected'").await
    );
    assert_eq!(
        service("einbuergerung")["committed"],
        count("SELECT count(*) AS n FROM efa_subscriptions WHERE service = 'einbuergerung' AND committed_on IS NOT NULL").await
    );
    assert_eq!(
        service("verpflichtungserklaerung")["vendor_solution"],
        count("SELECT count(*) AS n FROM efa_subscriptions WHERE status = 'vendor_solution'").await
    );
    assert_eq!(
        console["pik_chassis_tenants"],
        count(
            "SELECT count(DISTINCT tenant_id) AS n FROM devices WHERE kind = 'pik_chassis' \
               AND state IN ('delivered', 'installed', 'active', 'defect')"
        )
        .await
    );
    let months = console["reconciliation"].as_array().unwrap();
    assert!(months.len() >= 20, "{months:?}");
    let abh = count("SELECT count(*) AS n FROM tenants WHERE kind = 'abh'").await;
    assert!(
        months.iter().all(|m| m["tenants_reporting"] == abh),
        "{months:?}"
    );
    let text = console.to_string();
    assert!(!text.contains("SEED-"), "no serial or document reference");

    let (status, csv) = get_text(&app, &analyst, "/ministry/export.csv?table=reconciliation").await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with("month,authorities_reporting,records,incongruence_percent"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), months.len() + 1);
    let (status, page) = get_text(&app, &analyst, "/ministry").await;
    assert_eq!(status, 200);
    assert!(page.contains("chart-quality-title") && page.contains("<polyline"));

    // The printed report carries the trend too: the newest month's row, as in the console.
    let response = client()
        .get(app.url("/api/v1/ministry/report.pdf"))
        .bearer_auth(&analyst)
        .header("accept-language", "de")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let runs = amtsweg_pdf::text_runs(&response.bytes().await.unwrap());
    let latest = months.last().unwrap();
    let month = latest["month"].as_str().unwrap();
    let at = runs
        .iter()
        .position(|r| r == month)
        .unwrap_or_else(|| panic!("{month} not in {runs:?}"));
    assert_eq!(runs[at + 1], latest["tenants_reporting"].to_string());
    assert_eq!(runs[at + 2], latest["records"].to_string());
}

fn percentile(samples: &mut [u128], p: usize) -> u128 {
    samples.sort_unstable();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn kit_rate(report: &pik_simulate::Report) -> f64 {
    report.stored as f64 * 1000.0 / report.elapsed_ms.max(1) as f64
}

/// The console's speed with every tenant seeded, and the registration throughput of one kit and
/// of two kits of one tenant at once, against the binary at `AMTSWEG_BIN` configured as deployed
/// (two HTTP workers, ten connections, Redis). For the release numbers in docs/benchmarks.md:
/// `cargo build --release -p amtsweg`, then
/// `AMTSWEG_BIN=target/release/amtsweg cargo test --release -p amtsweg-tests --test e2e -- --ignored rollout_benchmark --nocapture`
#[tokio::test]
#[ignore = "benchmark: run by hand, numbers go to docs/benchmarks.md"]
async fn rollout_benchmark() {
    let app = TestApp::spawn().await;
    let seeded = amtsweg::seed_rollout::seed(&app.state.db, 42, chrono::Utc::now())
        .await
        .unwrap();
    let (_, analyst) = ministry(&app).await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let (_, first_kit) = device_for(&app, &token, "PIK-BENCH-1").await;
    let (_, second_kit) = device_for(&app, &token, "PIK-BENCH-2").await;
    let dir = TempDir::new("rollout-bench");
    let server = BinaryInstance::start(
        &[
            ("AMTSWEG_DATABASE_URL", app.db.app_url()),
            ("AMTSWEG_REDIS_URL", redis_url()),
            ("AMTSWEG_REDIS_NAMESPACE", format!("{}-bench", app.db.name)),
            ("AMTSWEG_JWT_KEYS", TEST_JWT_KEYS.to_owned()),
            ("AMTSWEG_PUBLIC_URL", "http://127.0.0.1".to_owned()),
            ("AMTSWEG_DATA_DIR", dir.path().display().to_string()),
        ],
        dir.path(),
    )
    .await;
    let mut report = vec![
        format!("binary: {}", crate::support::binary().display()),
        format!(
            "seeded: {} rows for {} authorities (amtsweg seed rollout)",
            seeded.rows, seeded.tenants
        ),
    ];
    for path in [
        "/ministry",
        "/api/v1/ministry/overview",
        "/ministry/export.csv?table=tenants",
        "/ministry/export.xlsx",
        "/ministry/report.pdf",
    ] {
        // Three requests first, unmeasured: the server's first answer of a kind fills its caches
        // (templates, translations, the catalog), which a running service has long done.
        for _ in 0..3 {
            let warm = client()
                .get(format!("{}{path}", server.base))
                .bearer_auth(&analyst)
                .send()
                .await
                .unwrap();
            assert_eq!(warm.status(), 200, "{path}");
            let _ = warm.bytes().await.unwrap();
        }
        let load = load_average();
        let mut samples = Vec::new();
        for _ in 0..100 {
            let started = std::time::Instant::now();
            let response = client()
                .get(format!("{}{path}", server.base))
                .bearer_auth(&analyst)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{path}");
            let _ = response.bytes().await.unwrap();
            samples.push(started.elapsed().as_millis());
        }
        let p50 = percentile(&mut samples, 50);
        let p95 = percentile(&mut samples, 95);
        report.push(format!(
            "{path}: p50 {p50} ms, p95 {p95} ms (load average before: {load})"
        ));
    }
    let kit = |credential: &str, seed: u64| SimulateArgs {
        bad_percent: 0,
        lost_percent: 0,
        duplicate_percent: 0,
        concurrency: 8,
        seed,
        ..SimulateArgs::new("abh-essen", &server.base, credential, 1_000)
    };
    let load = load_average();
    let one = pik_simulate::run(&kit(&first_kit, 1)).await.unwrap();
    assert_eq!(one.failed, 0, "{one:?}");
    report.push(format!(
        "one kit: {} registrations with photos in {} ms = {:.1}/s, {} retries {:?} (load average before: {load})",
        one.stored,
        one.elapsed_ms,
        kit_rate(&one),
        one.retries,
        one.retry_causes
    ));
    let load = load_average();
    let (first, second) = (kit(&first_kit, 2), kit(&second_kit, 3));
    let (a, b) = tokio::join!(pik_simulate::run(&first), pik_simulate::run(&second));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.failed + b.failed, 0, "{a:?} {b:?}");
    report.push(format!(
        "two kits of one tenant at once: {:.1}/s and {:.1}/s, together {:.1}/s, retries {:?} and {:?} (load average before: {load})",
        kit_rate(&a),
        kit_rate(&b),
        (a.stored + b.stored) as f64 * 1000.0 / a.elapsed_ms.max(b.elapsed_ms).max(1) as f64,
        a.retry_causes,
        b.retry_causes
    ));
    println!("{}", report.join("\n"));
}

/// Registrations of one person arriving at once make one person: the match key is unique, and the
/// transaction that loses the race reads the winner's person instead of creating a second one.
#[tokio::test]
async fn registrations_of_one_person_at_once_make_one_person() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant_id("abh-essen").await;
    let person = store::NewPerson {
        family_name: "Haddad".into(),
        given_names: "Rania".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1994, 3, 17).unwrap(),
        nationality: "SYR".into(),
        match_key: "HTT|RN|1994-03-17".into(),
    };
    // Four at once: the test pool has five connections, and each transaction holds one.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let db = app.state.db.clone();
            let person = person.clone();
            let start = start.clone();
            tokio::spawn(async move {
                let tx = db.tenant(tenant).await.unwrap();
                start.wait().await;
                let found = store::find_or_create_person(&tx, &person, chrono::Utc::now())
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                found
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(
        results.iter().filter(|(_, created)| *created).count(),
        1,
        "{results:?}"
    );
    assert!(
        results.iter().all(|(id, _)| *id == results[0].0),
        "{results:?}"
    );
    assert_eq!(count(&app, "rollout_persons", tenant.0).await, 1);
}
