//! The AZR reconciliation as per-tenant jobs: upload, job, results, decisions, exports, isolation,
//! resumption after an expired lease, and the ministry's aggregates.

use std::time::Duration;

use amtsweg_domain::Role;
use amtsweg_store::reconciliation as recon;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, client, signed_in_browser};

const BOUNDARY: &str = "amtsweg-test-boundary-7d1c";

/// A `multipart/form-data` body with the given files (name, filename, bytes).
fn multipart(files: &[(&str, &str, &[u8])], csrf: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(token) = csrf {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, filename, data) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, files: &[(&str, &str, &[u8])]) -> reqwest::Response {
    client()
        .post(app.url("/api/v1/reconciliation/runs"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(files, None))
        .send()
        .await
        .unwrap()
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Drains the queue (the app's own workers may take jobs too) until the run is finished.
async fn wait_done(app: &TestApp, token: &str, run: &str) -> Value {
    for _ in 0..600 {
        let _ = amtsweg_jobs::run_one(&app.state).await.unwrap();
        let (status, body) =
            get_json(app, token, &format!("/api/v1/reconciliation/runs/{run}")).await;
        assert_eq!(status, 200, "{body}");
        match body["state"].as_str() {
            Some("done") => return body,
            Some("failed") => panic!("run failed: {body}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("run {run} did not finish");
}

async fn count_rows(app: &TestApp, table: &str, tenant: Uuid) -> i64 {
    let admin = app.db.admin().await;
    let row = admin
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT count(*) FROM {table} WHERE tenant_id = $1"),
            [tenant.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_clerk_reconciles_decides_and_exports_and_other_tenants_see_nothing() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let data = amtsweg_reconcile::synth::generate(300, 11);
    let local = data.local_csv();
    let azr = data.azr_csv();

    // A file that is not CSV is refused with a clear error.
    let refused = upload(
        &app,
        &token,
        &[("local", "photo.png", b"\x89PNG\r\n\x1a\n")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"]["local"], "recon-error-not-csv");

    let started = upload(
        &app,
        &token,
        &[("local", "local.csv", &local), ("azr", "azr.csv", &azr)],
    )
    .await;
    assert_eq!(started.status(), 202);
    let run: Value = started.json().await.unwrap();
    let run_id = run["id"].as_str().unwrap().to_owned();
    assert_eq!(run["azr_source"], "upload");
    let done = wait_done(&app, &token, &run_id).await;
    assert!(done["differences"].as_i64().unwrap() > 10, "{done}");
    let rate = done["incongruence_rate"].as_f64().unwrap();
    assert!(rate > 0.02 && rate < 0.3, "{rate}");

    // Browse and filter.
    let (status, page) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{run_id}/differences"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        page["total"].as_i64(),
        done["differences"].as_i64(),
        "{page}"
    );
    let (_, family) = get_json(
        &app,
        &token,
        &format!(
            "/api/v1/reconciliation/runs/{run_id}/differences?field=family_name&decision=open"
        ),
    )
    .await;
    let items = family["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|d| d["field"] == "family_name"));
    let (_, azr_side) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{run_id}/differences?proposed_side=azr&kind=value"),
    )
    .await;
    let azr_items = azr_side["items"].as_array().unwrap();
    assert!(azr_items.len() >= 2, "{azr_side}");
    assert!(
        azr_items
            .iter()
            .all(|d| d["proposed_side"] == "azr" && d["kind"] == "value")
    );

    // The pair view.
    let accepted = &azr_items[0];
    let (status, pair) = get_json(
        &app,
        &token,
        &format!(
            "/api/v1/reconciliation/pairs/{}",
            accepted["pair_id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, 200, "{pair}");
    assert_eq!(pair["local_record_id"], accepted["local_record_id"]);
    assert!(pair["explanation"].as_str().unwrap().contains("bits"));
    let field = accepted["field"].as_str().unwrap();
    assert_eq!(pair["local"][field], accepted["local_value"]);
    assert_eq!(pair["azr"][field], accepted["azr_value"]);

    // Decisions: accept the proposal (the AZR is right: the local system must change), choose the
    // other side (the local register is right: the AZR must change), and two more kinds.
    let decide = |id: String, body: Value| {
        let app_url = app.url(&format!("/api/v1/reconciliation/differences/{id}/decision"));
        let token = token.clone();
        async move {
            client()
                .post(app_url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let accept_id = accepted["id"].as_str().unwrap().to_owned();
    let response = decide(accept_id.clone(), json!({ "kind": "accept" })).await;
    assert_eq!(response.status(), 201);
    let other = &azr_items[1];
    let other_id = other["id"].as_str().unwrap().to_owned();
    let response = decide(
        other_id.clone(),
        json!({ "kind": "other_side", "note": "Pass geprüft" }),
    )
    .await;
    assert_eq!(response.status(), 201);
    let decision: Value = response.json().await.unwrap();
    assert_eq!(decision["decided_side"], "local");
    let missing_value = decide(other_id.clone(), json!({ "kind": "value" })).await;
    assert_eq!(missing_value.status(), 422);
    if let Some(third) = azr_items.get(2) {
        let response = decide(
            third["id"].as_str().unwrap().to_owned(),
            json!({ "kind": "research" }),
        )
        .await;
        assert_eq!(response.status(), 201);
    }
    let (_, accepted_list) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{run_id}/differences?decision=accepted"),
    )
    .await;
    assert_eq!(accepted_list["total"], 1);
    assert_eq!(accepted_list["items"][0]["id"], accept_id.as_str());

    // Audited in the tenant's chain.
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let (decided, _) = amtsweg_store::audit::list(&tx, Some("reconciliation.decided"), 50, 0)
        .await
        .unwrap();
    assert_eq!(decided.len(), if azr_items.len() > 2 { 3 } else { 2 });
    assert!(decided.iter().any(|e| e.object_id == accept_id));
    for action in [
        "reconciliation.started",
        "reconciliation.results_read",
        "reconciliation.pair_read",
        "reconciliation.completed",
    ] {
        let (rows, _) = amtsweg_store::audit::list(&tx, Some(action), 5, 0)
            .await
            .unwrap();
        assert!(!rows.is_empty(), "{action} not audited");
    }
    tx.commit().await.unwrap();

    // Exports: the case-management CSV holds the accepted correction, the AZR XML the other one.
    let csv = client()
        .get(app.url(&format!(
            "/api/v1/reconciliation/runs/{run_id}/corrections.csv"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("local_record_id,azr_number,field,current_value,corrected_value")
    );
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), 1, "{csv}");
    assert!(body[0].starts_with(accepted["local_record_id"].as_str().unwrap()));
    assert!(body[0].contains(accepted["azr_value"].as_str().unwrap()));
    let xml = client()
        .get(app.url(&format!(
            "/api/v1/reconciliation/runs/{run_id}/corrections.xml"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), 200);
    let xml = xml.text().await.unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut elements = Vec::new();
    let mut texts = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                elements.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap())
            }
            quick_xml::events::Event::Text(t) => texts.push(t.unescape().unwrap().into_owned()),
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        elements.first().map(String::as_str),
        Some("azr.berichtigung.0101")
    );
    assert_eq!(
        elements.iter().filter(|e| *e == "berichtigung").count(),
        1,
        "{xml}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t == other["local_value"].as_str().unwrap()),
        "{xml}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t == other["local_record_id"].as_str().unwrap())
    );

    // Tenant B: nothing of A's run, pair or differences; its own job never touches A's rows.
    let b = app.staff("abh-bielefeld", Role::Clerk).await;
    let b_token = app.token(&b).await;
    for path in [
        format!("/api/v1/reconciliation/runs/{run_id}"),
        format!("/api/v1/reconciliation/runs/{run_id}/differences"),
        format!(
            "/api/v1/reconciliation/pairs/{}",
            accepted["pair_id"].as_str().unwrap()
        ),
        format!("/api/v1/reconciliation/runs/{run_id}/corrections.csv"),
        format!("/api/v1/reconciliation/runs/{run_id}/corrections.xml"),
    ] {
        let (status, _) = get_json(&app, &b_token, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let b_decide = client()
        .post(app.url(&format!(
            "/api/v1/reconciliation/differences/{accept_id}/decision"
        )))
        .bearer_auth(&b_token)
        .json(&json!({ "kind": "research" }))
        .send()
        .await
        .unwrap();
    assert_eq!(b_decide.status(), 404);
    let (_, b_runs) = get_json(&app, &b_token, "/api/v1/reconciliation/runs").await;
    assert_eq!(b_runs, json!([]));

    let a_counts_before = (
        count_rows(&app, "reconciliation_pairs", clerk.tenant.0).await,
        count_rows(&app, "reconciliation_differences", clerk.tenant.0).await,
        count_rows(&app, "reconciliation_decisions", clerk.tenant.0).await,
    );
    let b_data = amtsweg_reconcile::synth::generate(120, 5);
    let b_local = b_data.local_csv();
    // B uploads only the local extract: the AZR adapter (simulator) supplies the other side.
    let b_started = upload(&app, &b_token, &[("local", "local.csv", &b_local)]).await;
    assert_eq!(b_started.status(), 202);
    let b_run: Value = b_started.json().await.unwrap();
    assert_eq!(b_run["azr_source"], "adapter");
    let b_done = wait_done(&app, &b_token, b_run["id"].as_str().unwrap()).await;
    assert!(b_done["records_azr"].as_i64().unwrap() > 100);
    let a_counts_after = (
        count_rows(&app, "reconciliation_pairs", clerk.tenant.0).await,
        count_rows(&app, "reconciliation_differences", clerk.tenant.0).await,
        count_rows(&app, "reconciliation_decisions", clerk.tenant.0).await,
    );
    assert_eq!(a_counts_before, a_counts_after);
    assert_eq!(
        count_rows(&app, "reconciliation_pairs", b.tenant.0).await,
        b_done["links"].as_i64().unwrap()
    );
    let (_, a_runs) = get_json(&app, &token, "/api/v1/reconciliation/runs").await;
    assert_eq!(a_runs.as_array().unwrap().len(), 1);

    // The ministry: aggregates only.
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let analyst_token = app.token(&analyst).await;
    let (status, aggregates) =
        get_json(&app, &analyst_token, "/api/v1/ministry/reconciliation").await;
    assert_eq!(status, 200);
    let list = aggregates.as_array().unwrap();
    assert_eq!(list.len(), 2, "{aggregates}");
    let a_entry = list
        .iter()
        .find(|t| t["tenant_id"] == clerk.tenant.0.to_string())
        .unwrap();
    assert!((a_entry["latest_incongruence_rate"].as_f64().unwrap() - rate).abs() < 1e-9);
    let text = aggregates.to_string();
    for record in data.local.iter().chain(data.azr.iter()).take(400) {
        assert!(
            !text.contains(record.id()),
            "record id in the ministry's view"
        );
        let family = record.get(amtsweg_reconcile::Field::FamilyName).trim();
        if family.len() > 3 {
            assert!(
                !text.contains(&format!("\"{family}\"")),
                "name in the ministry's view"
            );
        }
    }
    assert!(!text.contains(&run_id), "run ids stay with the tenant");
    let (status, _) = get_json(&app, &token, "/api/v1/ministry/reconciliation").await;
    assert_eq!(status, 403);
    let (status, _) = get_json(
        &app,
        &analyst_token,
        &format!("/api/v1/reconciliation/runs/{run_id}"),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_resumed_without_duplicates() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let data = amtsweg_reconcile::synth::generate(200, 3);
    let (local, azr) = (data.local_csv(), data.azr_csv());
    let started = upload(
        &app,
        &token,
        &[("local", "local.csv", &local), ("azr", "azr.csv", &azr)],
    )
    .await;
    assert_eq!(started.status(), 202);
    let run: Value = started.json().await.unwrap();
    let run_id: Uuid = run["id"].as_str().unwrap().parse().unwrap();

    // Simulate a worker that crashed half-way: the job is running with an expired lease, and the
    // run holds partial results of that attempt.
    let admin = app.db.admin().await;
    admin
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE job_queue SET state = 'running', attempts = 1, locked_by = 'crashed-worker', \
             locked_until = now() - interval '1 minute', progress = 0.4 \
             WHERE payload LIKE $1",
            [format!("%{run_id}%").into()],
        ))
        .await
        .unwrap();
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let partial_pair = Uuid::now_v7();
    recon::replace_results(
        &tx,
        run_id,
        recon::Results {
            pairs: vec![recon::Pair {
                tenant_id: clerk.tenant.0,
                id: partial_pair,
                run_id,
                local_record_id: "partial".into(),
                azr_record_id: "partial".into(),
                class: "different".into(),
                weight: 1.0,
                probability: 0.5,
                explanation: String::new(),
                difference_count: 0,
            }],
            ..recon::Results::default()
        },
    )
    .await
    .unwrap();
    recon::mark_running(&tx, run_id, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let done = wait_done(&app, &token, &run_id.to_string()).await;
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let (records, pairs, diffs) = recon::result_counts(&tx, run_id).await.unwrap();
    assert!(
        recon::get_pair(&tx, partial_pair).await.is_err(),
        "partial results must go"
    );
    tx.commit().await.unwrap();
    assert_eq!(pairs as i64, done["links"].as_i64().unwrap());
    assert_eq!(diffs as i64, done["differences"].as_i64().unwrap());
    assert_eq!(
        records as i64,
        done["records_local"].as_i64().unwrap() + done["records_azr"].as_i64().unwrap()
    );
    let job = admin
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT state, attempts FROM job_queue WHERE payload LIKE $1",
            [format!("%{run_id}%").into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.try_get_by_index::<String>(0).unwrap(), "done");
    // The app's own worker may have run the job once before the simulated crash; what matters is
    // that the crashed attempt was taken over and counted.
    assert!(job.try_get_by_index::<i32>(1).unwrap() >= 2);
    // Running the queue again does nothing more.
    assert!(!amtsweg_jobs::run_one(&app.state).await.unwrap());
    assert_eq!(
        count_rows(&app, "reconciliation_aggregates", clerk.tenant.0).await,
        1
    );

    // A second run is incremental: unchanged differences, decided work carried over.
    let (_, page) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{run_id}/differences?kind=value"),
    )
    .await;
    let first = page["items"][0]["id"].as_str().unwrap().to_owned();
    let response = client()
        .post(app.url(&format!(
            "/api/v1/reconciliation/differences/{first}/decision"
        )))
        .bearer_auth(&token)
        .json(&json!({ "kind": "accept" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let again = upload(
        &app,
        &token,
        &[("local", "local.csv", &local), ("azr", "azr.csv", &azr)],
    )
    .await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["previous_run_id"], run_id.to_string());
    let second = again["id"].as_str().unwrap().to_owned();
    wait_done(&app, &token, &second).await;
    let (_, decided) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{second}/differences?decision=accepted"),
    )
    .await;
    assert_eq!(decided["total"], 1, "{decided}");
    assert_eq!(decided["items"][0]["change_status"], "decided");
    let (_, unchanged) = get_json(
        &app,
        &token,
        &format!("/api/v1/reconciliation/runs/{second}/differences?decision=open"),
    )
    .await;
    assert!(
        unchanged["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["change_status"] == "unchanged"),
        "{unchanged}"
    );
}

#[tokio::test]
async fn the_pages_upload_show_progress_results_and_take_decisions() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let (browser, csrf) = signed_in_browser(&app, &clerk).await;
    let overview = browser
        .get(app.url("/workspace/reconciliation"))
        .send()
        .await
        .unwrap();
    assert_eq!(overview.status(), 200);
    let html = overview.text().await.unwrap();
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(
        html.contains("href=\"/workspace/reconciliation\""),
        "navigation entry"
    );

    let data = amtsweg_reconcile::synth::generate(150, 21);
    let (local, azr) = (data.local_csv(), data.azr_csv());
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    // Without the CSRF token the upload is refused.
    let refused = browser
        .post(app.url("/workspace/reconciliation"))
        .header("content-type", content_type.clone())
        .body(multipart(&[("local", "local.csv", &local)], None))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let started = browser
        .post(app.url("/workspace/reconciliation"))
        .header("content-type", content_type)
        .body(multipart(
            &[("local", "local.csv", &local), ("azr", "azr.csv", &azr)],
            Some(&csrf),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let location = started.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/workspace/reconciliation/runs/"));
    let running = browser.get(app.url(&location)).send().await.unwrap();
    let refresh = running
        .headers()
        .get("refresh")
        .map(|v| v.to_str().unwrap().to_owned());
    let running = running.text().await.unwrap();
    if !running.contains("recon-results") {
        assert!(running.contains("?refresh=off"));
        assert_eq!(refresh.as_deref(), Some("2"));
        assert!(running.contains("<progress"));
        assert!(running.contains("aria-live=\"polite\""));
    }
    let run_id = location.rsplit('/').next().unwrap().to_owned();
    let token = app.token(&clerk).await;
    wait_done(&app, &token, &run_id).await;
    let done = browser
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!done.contains("<progress"));
    assert!(done.contains("corrections.csv") && done.contains("corrections.xml"));
    let pair_href = done
        .split("href=\"/workspace/reconciliation/pairs/")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .unwrap()
        .to_owned();
    let pair = browser
        .get(app.url(&format!("/workspace/reconciliation/pairs/{pair_href}")))
        .send()
        .await
        .unwrap();
    assert_eq!(pair.status(), 200);
    let pair = pair.text().await.unwrap();
    assert!(pair.contains("<mark>"));
    let action = pair
        .split("action=\"/workspace/reconciliation/differences/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let decided = browser
        .post(app.url(&format!("/workspace/reconciliation/differences/{action}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "research"),
            ("value", ""),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 303);
    let invalid = browser
        .post(app.url(&format!("/workspace/reconciliation/differences/{action}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "value"),
            ("value", ""),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);

    // The ministry's chart.
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let (ministry, _) = signed_in_browser(&app, &analyst).await;
    let chart = ministry
        .get(app.url("/ministry/reconciliation"))
        .send()
        .await
        .unwrap();
    assert_eq!(chart.status(), 200);
    let chart = chart.text().await.unwrap();
    assert!(chart.contains("<svg"));
    assert!(!chart.contains(data.local[0].id()));
}

mod browser {
    //! Headless Chromium: a clerk uploads the two files through the real form, follows the run and
    //! decides a difference; axe-core checks each reconciliation page against WCAG 2.1 AA.

    use std::time::Duration;

    use amtsweg_domain::Role;
    use fantoccini::{Client, ClientBuilder, Locator};
    use serde_json::{Value, json};

    use crate::support::{TempDir, TestApp, free_port, required_env, wait_for_port};

    async fn start() -> (Client, tokio::process::Child) {
        let port = free_port();
        let driver = tokio::process::Command::new(required_env("AMTSWEG_CHROMEDRIVER"))
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        wait_for_port(port).await;
        let profile = std::env::temp_dir().join(format!("amtsweg-chromium-recon-{port}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": required_env("AMTSWEG_CHROMIUM"),
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
        (client, driver)
    }

    async fn axe(client: &Client, page: &str) -> Vec<String> {
        let source = std::fs::read_to_string(required_env("AMTSWEG_AXE_JS")).unwrap();
        client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap();
        let result = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e) }]));",
                vec![],
            )
            .await
            .unwrap();
        result
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v: &Value| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{page}: {v}"))
            .collect()
    }

    async fn fill(client: &Client, css: &str, value: &str) {
        let field = client.find(Locator::Css(css)).await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    async fn click(client: &Client, css: &str) {
        client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    #[tokio::test]
    async fn a_clerk_reconciles_in_chromium_and_the_pages_pass_axe() {
        let app = TestApp::spawn().await;
        let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
        let files = TempDir::new("recon-browser");
        let data = amtsweg_reconcile::synth::generate(150, 8);
        data.write_dir(files.path()).unwrap();
        let (client, _driver) = start().await;
        client.goto(&app.url("/sign-in")).await.unwrap();
        fill(&client, "input[name='email']", &clerk.email).await;
        fill(&client, "input[name='password']", &clerk.password).await;
        click(&client, "main form button[type='submit']").await;
        fill(&client, "input[name='code']", &clerk.code()).await;
        click(&client, "main form button[type='submit']").await;

        let mut violations = Vec::new();
        client
            .goto(&app.url("/workspace/reconciliation"))
            .await
            .unwrap();
        violations.extend(axe(&client, "overview").await);
        fill(
            &client,
            "input[name='local']",
            files.path().join("local.csv").to_str().unwrap(),
        )
        .await;
        fill(
            &client,
            "input[name='azr']",
            files.path().join("azr.csv").to_str().unwrap(),
        )
        .await;
        click(
            &client,
            "form[action='/workspace/reconciliation'] button[type='submit']",
        )
        .await;
        // The upload and redirect take longer than the click's pause on a loaded machine.
        let mut url = client.current_url().await.unwrap();
        for _ in 0..150 {
            if url.path().starts_with("/workspace/reconciliation/runs/") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            url = client.current_url().await.unwrap();
        }
        assert!(
            url.path().starts_with("/workspace/reconciliation/runs/"),
            "{url}"
        );
        let run_id = url.path().rsplit('/').next().unwrap().to_owned();
        let page = client.source().await.unwrap();
        if page.contains("<progress") {
            violations.extend(axe(&client, "progress").await);
        }
        for _ in 0..300 {
            let _ = amtsweg_jobs::run_one(&app.state).await.unwrap();
            let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
            let run = amtsweg_store::reconciliation::get_run(&tx, run_id.parse().unwrap())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            if run.state == "done" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // The page refreshes itself; give it a moment, then it shows the results.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        client.goto(url.as_str()).await.unwrap();
        let page = client.source().await.unwrap();
        assert!(page.contains("recon-results"), "results shown");
        violations.extend(axe(&client, "results").await);
        click(&client, "#recon-results tbody a").await;
        let pair_url = client.current_url().await.unwrap();
        assert!(
            pair_url
                .path()
                .starts_with("/workspace/reconciliation/pairs/")
        );
        violations.extend(axe(&client, "pair").await);
        click(&client, "main section.panel form button[type='submit']").await;
        let page = client.source().await.unwrap();
        assert!(page.contains("flash-success"), "decision saved");
        let _ = client.clone().close().await;
        assert!(
            violations.is_empty(),
            "accessibility violations:\n{}",
            violations.join("\n")
        );
    }
}

/// The embedded default: the job, its results and the aggregate on SQLite (no Redis, no RLS).
#[tokio::test]
async fn the_job_runs_on_sqlite() {
    let dir = crate::support::TempDir::new("recon-sqlite");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("amtsweg.db").display()
    );
    let db = amtsweg_store::Database::connect(&url, 2).await.unwrap();
    db.migrate().await.unwrap();
    amtsweg::catalog::import(&db, None, false).await.unwrap();
    let tenant = amtsweg_store::tenants::by_slug(db.connection(), "abh-kreis-borken")
        .await
        .unwrap();
    let keys = amtsweg_http::security::JwtKeys::new(&[("k".to_owned(), "x".repeat(48))]).unwrap();
    let state = amtsweg_http::AppState::new(
        db,
        amtsweg_http::Settings::default(),
        keys,
        std::sync::Arc::new(amtsweg_domain::clock::SystemClock),
        None,
    )
    .await
    .unwrap();
    let data = amtsweg_reconcile::synth::generate(150, 4);
    let now = chrono::Utc::now();
    let tx = state
        .db
        .tenant(amtsweg_domain::TenantId(tenant.id))
        .await
        .unwrap();
    let run = recon::create_run(
        &tx,
        recon::NewRun {
            id: Uuid::now_v7(),
            azr_source: "adapter".into(),
            previous_run_id: None,
            started_by: Uuid::now_v7(),
        },
        now,
    )
    .await
    .unwrap();
    recon::put_extract(&tx, run.id, "local", "local.csv", data.local_csv(), now)
        .await
        .unwrap();
    amtsweg_store::jobs::enqueue(
        tx.conn(),
        Some(tenant.id),
        recon::JOB_KIND,
        json!({ "run_id": run.id }),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // The AZR is in a maintenance window: the attempt fails, the run says why and waits for the retry.
    use amtsweg_adapters::azr::{AzrSimulator, Failure, SimulatorConfig};
    let failing = AzrSimulator::new(SimulatorConfig {
        failure: Failure::Maintenance,
        failures: 1,
        ..SimulatorConfig::default()
    });
    assert!(amtsweg_jobs::run_one_with(&state, &failing).await.unwrap());
    let tx = state
        .db
        .tenant(amtsweg_domain::TenantId(tenant.id))
        .await
        .unwrap();
    let waiting = recon::get_run(&tx, run.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(waiting.state, "queued");
    assert!(waiting.error.unwrap_or_default().contains("maintenance"));
    // Back-off: not ready at once; ready after it.
    assert!(!amtsweg_jobs::run_one_with(&state, &failing).await.unwrap());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(amtsweg_jobs::run_one_with(&state, &failing).await.unwrap());
    assert_eq!(failing.calls(), 2);
    assert!(!amtsweg_jobs::run_one(&state).await.unwrap());
    let tx = state
        .db
        .tenant(amtsweg_domain::TenantId(tenant.id))
        .await
        .unwrap();
    let done = recon::get_run(&tx, run.id).await.unwrap();
    assert_eq!(done.state, "done", "{:?}", done.error);
    let (records, pairs, diffs) = recon::result_counts(&tx, run.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(pairs as i64, done.links);
    assert_eq!(diffs as i64, done.differences);
    assert_eq!(records as i64, done.records_local + done.records_azr);
    let aggregates = recon::list_aggregates(state.db.connection()).await.unwrap();
    assert_eq!(aggregates.len(), 1);
    assert_eq!(
        aggregates[0].incongruence_rate,
        done.incongruence_rate.unwrap()
    );
}

#[tokio::test]
async fn a_new_job_wakes_the_workers_of_other_instances_through_redis() {
    let app = TestApp::spawn().await;
    let namespace = app.state.settings.redis_namespace.clone();
    let channel = recon::wakeup_channel(&namespace);
    let client = redis::Client::open(crate::support::redis_url()).unwrap();
    // The listener of another instance, with a worker of its own to wake.
    let woken = std::sync::Arc::new(tokio::sync::Notify::new());
    let shutdown = std::sync::Arc::new(tokio::sync::Notify::new());
    let wake = woken.clone();
    let listener = tokio::spawn(amtsweg_jobs::listen_for_wakeups(
        client.clone(),
        namespace,
        move || wake.notify_one(),
        shutdown,
    ));
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let mut subscribed = false;
    for _ in 0..250 {
        let counts: Vec<(String, i64)> = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(&channel)
            .query_async(&mut conn)
            .await
            .unwrap();
        if counts.first().is_some_and(|c| c.1 >= 1) {
            subscribed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(subscribed, "the listener subscribes to {channel}");

    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let local = amtsweg_reconcile::synth::generate(50, 3).local_csv();
    let started = upload(&app, &token, &[("local", "local.csv", &local)]).await;
    assert_eq!(started.status(), 202);
    tokio::time::timeout(Duration::from_secs(5), woken.notified())
        .await
        .expect("the announcement reached the other instance's listener");
    listener.abort();
}
