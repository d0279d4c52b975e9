//! Case processing end to end: a model process with a BA participation step whose clock reminds
//! and escalates, four-eyes approval and a notice; isolation of every case route; a transfer
//! between two tenants with byte-identical documents; retention that deletes exactly what is due.

use std::sync::Arc;

use amtsweg_adapters::object_store::{ObjectStore, uuid_like::Tenant};
use amtsweg_domain::Role;
use amtsweg_domain::clock::FixedClock;
use base64::Engine;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, call, client};

async fn act(app: &TestApp, token: &str, case: &str, action: Value) -> (u16, Value) {
    call(
        app,
        token,
        "POST",
        &format!("/api/v1/cases/{case}/actions"),
        Some(action),
    )
    .await
}

#[tokio::test]
async fn a_case_runs_through_ba_consent_four_eyes_and_a_notice() {
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let approver = app.staff("abh-bielefeld", Role::Approver).await;
    let ct = app.token(&clerk).await;
    let at = app.token(&approver).await;

    let (status, case) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/cases",
        Some(json!({
            "process_id": "residence-extension",
            "person": { "family_name": "Yılmaz", "given_names": "Ayşe", "birth_date": "1990-01-02" }
        })),
    )
    .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();
    let person_id = case["person_id"].as_str().unwrap().to_owned();
    assert_eq!(case["step"], "intake");
    // Identity matching: another spelling of the same person finds her, nothing is created.
    let (status, matched) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/persons",
        Some(json!({
            "family_name": "Yilmaz", "given_names": "Ayse", "birth_date": "1990-01-02"
        })),
    )
    .await;
    assert_eq!(status, 200, "{matched}");
    assert_eq!(matched["matched"], true);
    assert_eq!(matched["person"]["id"], person_id.as_str());

    // The team basket shows the new case; the clerk takes it and asks the BA.
    let (_, team) = call(&app, &ct, "GET", "/api/v1/cases?scope=team", None).await;
    assert_eq!(team["total"], 1);
    assert_eq!(
        act(&app, &ct, &id, json!({ "action": "take" })).await.0,
        200
    );
    let (status, waiting) = act(
        &app,
        &ct,
        &id,
        json!({ "action": "forward", "to_step": "ba_consent" }),
    )
    .await;
    assert_eq!(status, 200, "{waiting}");
    assert_eq!(waiting["state"], "waiting");

    // The BA does not answer: a reminder after 10 days, the escalation to the team lead after 14.
    clock.advance(Duration::days(11));
    let report = amtsweg_http::routes::cases::sweep_deadlines(&app.state, clerk.tenant)
        .await
        .unwrap();
    assert_eq!((report.reminded, report.escalated), (1, 0));
    clock.advance(Duration::days(4));
    let report = amtsweg_http::routes::cases::sweep_deadlines(&app.state, clerk.tenant)
        .await
        .unwrap();
    assert_eq!((report.reminded, report.escalated), (0, 1));
    let report = amtsweg_http::routes::cases::sweep_deadlines(&app.state, clerk.tenant)
        .await
        .unwrap();
    assert_eq!(
        (report.reminded, report.escalated),
        (0, 0),
        "each clock fires once"
    );
    clock.advance(Duration::days(-15));
    let (_, lead) = call(&app, &at, "GET", "/api/v1/cases?scope=team", None).await;
    assert!(
        lead["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str() && c["escalated"] == true),
        "{lead}"
    );

    // The answer arrives; review; the clerk proposes, cannot approve; the approver approves.
    assert_eq!(
        act(
            &app,
            &ct,
            &id,
            json!({ "action": "received", "comment": "Zustimmung der BA liegt vor" })
        )
        .await
        .0,
        200
    );
    let (status, err) = act(&app, &ct, &id, json!({ "action": "forward" })).await;
    assert_eq!(
        (status, err["code"].as_str()),
        (409, Some("case-decision-required"))
    );
    assert_eq!(
        act(
            &app,
            &ct,
            &id,
            json!({ "action": "forward", "decision": "granted" })
        )
        .await
        .0,
        200
    );
    let (status, _) = act(&app, &ct, &id, json!({ "action": "approve" })).await;
    assert_eq!(status, 409);
    let (status, _) = act(
        &app,
        &at,
        &id,
        json!({ "action": "return", "comment": "Einkommensnachweis fehlt" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        act(
            &app,
            &ct,
            &id,
            json!({ "action": "forward", "decision": "granted" })
        )
        .await
        .0,
        200
    );
    let (status, done) = act(
        &app,
        &at,
        &id,
        json!({ "action": "approve", "comment": "Einverstanden" }),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["state"], "decided");

    // The case view: whole history, the notice in the e-file.
    let (status, view) = call(&app, &ct, "GET", &format!("/api/v1/cases/{id}"), None).await;
    assert_eq!(status, 200, "{view}");
    let actions: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "open", "take", "forward", "remind", "escalate", "received", "forward", "return",
            "forward", "approve"
        ]
    );
    let notice = view["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "generated")
        .expect("notice filed");
    assert_eq!(notice["reference_position"], "02.03");
    let notice_id = notice["id"].as_str().unwrap();
    let response = client()
        .get(app.url(&format!("/api/v1/documents/{notice_id}/content")))
        .bearer_auth(&ct)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF-1.4"));
    // Full text finds the notice.
    let (_, found) = call(&app, &ct, "GET", "/api/v1/documents?q=Bescheid", None).await;
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == notice_id),
        "{found}"
    );
    // Every read of the document is audited.
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let entries = amtsweg_store::audit::verify(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(entries.breaks.is_empty());

    // Another authority's staff reach none of it.
    for role in [Role::Clerk, Role::Approver, Role::TenantAdmin] {
        let other = app.staff("abh-kreis-borken", role).await;
        let ot = app.token(&other).await;
        for (method, path, body) in [
            ("GET", format!("/api/v1/cases/{id}"), None),
            (
                "POST",
                format!("/api/v1/cases/{id}/actions"),
                Some(json!({ "action": "comment", "comment": "x" })),
            ),
            ("GET", format!("/api/v1/persons/{person_id}"), None),
            (
                "POST",
                format!("/api/v1/persons/{person_id}/register-b"),
                Some(json!({ "reason": "death" })),
            ),
            (
                "POST",
                format!("/api/v1/persons/{person_id}/documents"),
                Some(
                    json!({ "title": "x", "media_type": "text/plain", "source": "scan", "plan_position": "01.01", "content_base64": "eA==" }),
                ),
            ),
            (
                "GET",
                format!("/api/v1/documents/{notice_id}/content"),
                None,
            ),
            ("GET", format!("/api/v1/persons/{person_id}/export"), None),
        ] {
            let (status, text) = call(&app, &ot, method, &path, body).await;
            assert_eq!(
                status, 404,
                "{role} of another tenant: {method} {path}: {text}"
            );
        }
        let (_, list) = call(&app, &ot, "GET", "/api/v1/cases?scope=all", None).await;
        assert_eq!(list["total"], 0);
        let (_, docs) = call(&app, &ot, "GET", "/api/v1/documents?q=Bescheid", None).await;
        assert_eq!(docs.as_array().unwrap().len(), 0);
    }
}

async fn upload(
    app: &TestApp,
    token: &str,
    person: &str,
    title: &str,
    position: &str,
    bytes: &[u8],
) -> String {
    let (status, doc) = call(app, token, "POST", &format!("/api/v1/persons/{person}/documents"), Some(json!({
        "title": title, "media_type": "application/octet-stream", "source": "scan", "plan_position": position,
        "content_base64": base64::engine::general_purpose::STANDARD.encode(bytes)
    }))).await;
    assert_eq!(status, 201, "{doc}");
    doc["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_transfer_between_two_authorities_keeps_every_byte() {
    let app = TestApp::spawn().await;
    let old_clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let old_lead = app.staff("abh-kreis-borken", Role::Approver).await;
    let new_clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let (oc, ol, nc) = (
        app.token(&old_clerk).await,
        app.token(&old_lead).await,
        app.token(&new_clerk).await,
    );
    let (_, person) = call(&app, &oc, "POST", "/api/v1/persons", Some(json!({
        "family_name": "Haddad", "given_names": "Omar", "birth_date": "1985-05-05", "azr_number": "123456789012"
    }))).await;
    let person_id = person["person"]["id"].as_str().unwrap().to_owned();
    let passport: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let application = b"%PDF-1.4 Antrag \xff\x00\x01".to_vec();
    upload(&app, &oc, &person_id, "Reisepass", "01.01", &passport).await;
    upload(&app, &oc, &person_id, "Antrag", "02.01", &application).await;

    let (status, request) = call(
        &app,
        &nc,
        "POST",
        "/api/v1/transfers",
        Some(json!({
            "from_tenant": "abh-kreis-borken", "azr_number": "123456789012"
        })),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    let transfer = request["id"].as_str().unwrap().to_owned();
    let (_, incoming) = call(&app, &ol, "GET", "/api/v1/transfers", None).await;
    assert_eq!(incoming[0]["direction"], "received");
    // A clerk may not hand over; the team lead consents.
    assert_eq!(
        call(
            &app,
            &oc,
            "POST",
            &format!("/api/v1/transfers/{transfer}/consent"),
            Some(json!({ "consent": true }))
        )
        .await
        .0,
        404
    );
    let (status, done) = call(
        &app,
        &ol,
        "POST",
        &format!("/api/v1/transfers/{transfer}/consent"),
        Some(json!({ "consent": true })),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["state"], "completed");
    assert!(done["note"].as_str().unwrap().contains("Bielefeld"));

    // The old side: register B with the handover.
    let (_, old) = call(
        &app,
        &oc,
        "GET",
        &format!("/api/v1/persons/{person_id}"),
        None,
    )
    .await;
    assert_eq!(old["person"]["register"], "B");
    assert_eq!(old["person"]["register_reason"], "handover");
    // The new side: the person with both documents, byte-identical, at the same reference positions.
    let (_, mine) = call(&app, &nc, "GET", "/api/v1/transfers", None).await;
    let new_person = mine[0]["person_id"].as_str().unwrap().to_owned();
    let (_, docs) = call(
        &app,
        &nc,
        "GET",
        &format!("/api/v1/documents?person_id={new_person}"),
        None,
    )
    .await;
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for (title, position, bytes) in [
        ("Reisepass", "01.01", &passport),
        ("Antrag", "02.01", &application),
    ] {
        let d = docs.iter().find(|d| d["title"] == title).unwrap();
        assert_eq!(d["reference_position"], position);
        assert_eq!(d["source"], "received");
        let got = client()
            .get(app.url(&format!(
                "/api/v1/documents/{}/content",
                d["id"].as_str().unwrap()
            )))
            .bearer_auth(&nc)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(&got[..], &bytes[..]);
    }

    // Export and import: a package with one flipped byte is refused whole.
    let zip = client()
        .get(app.url(&format!("/api/v1/persons/{person_id}/export")))
        .bearer_auth(&ol)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut broken = zip.clone();
    let at = broken
        .windows(4)
        .position(|w| w == [7, 14, 21, 28])
        .unwrap();
    broken[at] ^= 1;
    let nl = app
        .token(&app.staff("abh-bielefeld", Role::Approver).await)
        .await;
    let response = client()
        .post(app.url("/api/v1/imports"))
        .bearer_auth(&nl)
        .body(broken)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let (_, after) = call(&app, &nc, "GET", "/api/v1/persons?q=Haddad", None).await;
    assert_eq!(
        after.as_array().unwrap().len(),
        1,
        "nothing of the broken package was stored"
    );
}

#[tokio::test]
async fn retention_deletes_exactly_what_is_due() {
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let clerk = app.staff("abh-hamm", Role::Clerk).await;
    let lead = app.staff("abh-hamm", Role::Approver).await;
    let (ct, lt) = (app.token(&clerk).await, app.token(&lead).await);
    let mut ids = Vec::new();
    for (name, reason) in [
        ("Died", Some("death")),
        ("Moved", Some("moved_away")),
        ("Stays", None),
    ] {
        let (_, p) = call(
            &app,
            &ct,
            "POST",
            "/api/v1/persons",
            Some(json!({ "family_name": name, "given_names": "Test", "birth_date": "1970-01-01" })),
        )
        .await;
        let id = p["person"]["id"].as_str().unwrap().to_owned();
        let doc = upload(&app, &ct, &id, "Akte", "01.01", name.as_bytes()).await;
        if let Some(reason) = reason {
            let (status, _) = call(
                &app,
                &ct,
                "POST",
                &format!("/api/v1/persons/{id}/register-b"),
                Some(json!({ "reason": reason })),
            )
            .await;
            assert_eq!(status, 204);
        }
        ids.push((id, doc));
    }
    // Six years later: only the record of the deceased (5 years) is due; moving away keeps 10.
    clock.advance(Duration::days(6 * 366));
    let listed = amtsweg_http::routes::cases::list_retention_due(&app.state, clerk.tenant)
        .await
        .unwrap();
    assert_eq!(listed, 1);
    clock.advance(Duration::days(-6 * 366));
    let (_, due) = call(&app, &lt, "GET", "/api/v1/retention", None).await;
    let due = due.as_array().unwrap().clone();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["person_id"], ids[0].0.as_str());
    let key = {
        let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
        let v = amtsweg_store::cases::versions(&tx, ids[0].1.parse().unwrap())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        v[0].object_key.clone()
    };
    // A scanned letter filed into the deceased's e-file, and one into the file of the person who
    // stays: the first scan record goes with the person (it names the deleted bytes and holds the
    // text read from them), the second stays.
    let superuser = app.db.admin().await;
    for (n, person) in [&ids[0].0, &ids[2].0].into_iter().enumerate() {
        sea_orm::ConnectionTrait::execute_unprepared(
            superuser.connection(),
            &format!(
                "INSERT INTO scan_records (tenant_id, id, batch_id, batch_sha256, batch_pages, first_page, \
                 last_page, page_count, device, scanned_by, scanned_at, object_key, sha256, content_type, \
                 file_name, size_bytes, quality_passed, quality, text_state, extracted_text, assigned_at, \
                 assigned_by, assigned_person_id) VALUES ('{tenant}', '{id}', '{id}', 'x', 1, 1, 1, 1, \
                 'Poststelle', '{clerk}', now(), 'scan-{n}', 'x', 'application/pdf', 'brief.pdf', 1, true, \
                 '[]', 'ocr_done', 'Sterbeurkunde', now(), '{clerk}', '{person}')",
                tenant = clerk.tenant.0,
                id = uuid::Uuid::now_v7(),
                clerk = clerk.id,
            ),
        )
        .await
        .unwrap();
    }
    let tenant = Tenant(clerk.tenant.0.as_u128());
    let store = &app.state.objects;
    assert!(store.exists(tenant, &key).await.unwrap());
    assert_eq!(
        call(
            &app,
            &ct,
            "POST",
            &format!(
                "/api/v1/retention/{}/delete",
                due[0]["id"].as_str().unwrap()
            ),
            None
        )
        .await
        .0,
        404,
        "clerks do not delete"
    );
    let (status, _) = call(
        &app,
        &lt,
        "POST",
        &format!(
            "/api/v1/retention/{}/delete",
            due[0]["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // Gone from the database and the object store; the others are untouched.
    assert_eq!(
        call(
            &app,
            &ct,
            "GET",
            &format!("/api/v1/persons/{}", ids[0].0),
            None
        )
        .await
        .0,
        404
    );
    assert!(!store.exists(tenant, &key).await.unwrap());
    for (id, doc) in &ids[1..] {
        assert_eq!(
            call(&app, &ct, "GET", &format!("/api/v1/persons/{id}"), None)
                .await
                .0,
            200
        );
        assert_eq!(
            client()
                .get(app.url(&format!("/api/v1/documents/{doc}/content")))
                .bearer_auth(&ct)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let admin = app.db.admin().await;
    let left = sea_orm::ConnectionTrait::query_one_raw(admin.connection(), sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT (SELECT count(*) FROM persons WHERE id = $1) + (SELECT count(*) FROM documents WHERE person_id = $1) \
         + (SELECT count(*) FROM scan_records WHERE assigned_person_id = $1) AS n",
        [ids[0].0.parse::<uuid::Uuid>().unwrap().into()],
    )).await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap();
    assert_eq!(left, 0);
    let kept = sea_orm::ConnectionTrait::query_one_raw(
        admin.connection(),
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT count(*) FROM scan_records WHERE assigned_person_id = $1",
            [ids[2].0.parse::<uuid::Uuid>().unwrap().into()],
        ),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap();
    assert_eq!(kept, 1, "the other person's scan stays");
}

async fn browser_sign_in(
    app: &TestApp,
    staff: &crate::support::Staff,
) -> (reqwest::Client, String) {
    let browser = crate::support::browser_client();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::support::csrf_from(&page);
    browser
        .post(app.url("/sign-in"))
        .form(&[
            ("email", staff.email.as_str()),
            ("password", staff.password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let code = staff.code();
    browser
        .post(app.url("/sign-in/totp"))
        .form(&[("code", code.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    (browser, csrf)
}

#[tokio::test]
async fn the_routing_folder_works_in_the_browser_without_javascript() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-essen", Role::Clerk).await;
    let lead = app.staff("abh-essen", Role::Approver).await;
    let (cb, csrf) = browser_sign_in(&app, &clerk).await;
    let list = cb.get(app.url("/workspace/cases")).send().await.unwrap();
    assert_eq!(list.status(), 200);
    assert!(
        list.text()
            .await
            .unwrap()
            .contains("/workspace/cases?scope=team")
    );
    // A missing family name re-renders the form with the error next to the field.
    let bad = cb
        .post(app.url("/workspace/cases"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("process_id", "commitment-declaration"),
            ("family_name", ""),
            ("given_names", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let opened = cb
        .post(app.url("/workspace/cases"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("process_id", "commitment-declaration"),
            ("family_name", "Nowak"),
            ("given_names", "Jan"),
            ("birth_date", "1980-02-03"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 303);
    let case_path = opened.headers()["location"].to_str().unwrap().to_owned();
    let post = |browser: &reqwest::Client, csrf: &str, fields: &[(&str, &str)]| {
        let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.into())];
        form.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        browser
            .post(app.url(&format!("{case_path}/action")))
            .form(&form)
            .send()
    };
    assert_eq!(
        post(&cb, &csrf, &[("action", "take")])
            .await
            .unwrap()
            .status(),
        303
    );
    let refused = post(
        &cb,
        &csrf,
        &[
            ("action", "forward"),
            ("to_step", "approval"),
            ("decision", ""),
        ],
    )
    .await
    .unwrap();
    assert!(
        refused.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=case-decision-required")
    );
    let page = cb
        .get(app.url(&format!("{}?error=case-decision-required", case_path)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("role=\"alert\""));
    assert_eq!(
        post(
            &cb,
            &csrf,
            &[
                ("action", "forward"),
                ("to_step", "approval"),
                ("decision", "granted"),
                ("comment", "Bonität geprüft")
            ]
        )
        .await
        .unwrap()
        .status(),
        303
    );
    // The clerk's own approval is refused; the team lead approves in the browser.
    let own = post(&cb, &csrf, &[("action", "approve")]).await.unwrap();
    assert!(
        own.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=case-")
    );
    let (lb, lcsrf) = browser_sign_in(&app, &lead).await;
    let team = lb
        .get(app.url("/workspace/cases?scope=team"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(team.contains(&case_path));
    assert_eq!(
        post(
            &lb,
            &lcsrf,
            &[("action", "approve"), ("comment", "Freigegeben")]
        )
        .await
        .unwrap()
        .status(),
        303
    );
    let view = lb
        .get(app.url(&case_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(view.contains("Bonität geprüft") && view.contains("Freigegeben"));
    assert!(view.contains("Bescheid"), "the notice is in the e-file");
    // Person and e-file search pages.
    let persons = cb
        .get(app.url("/workspace/persons?q=Nowak"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(persons.contains("Nowak, Jan"));
    let docs = cb
        .get(app.url("/workspace/documents?q=Bescheid"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/workspace/documents/"));
}

/// Runs every ready job until the queue is empty, with three workers as instances would; returns
/// how many ran.
async fn drain_jobs(app: &TestApp) -> usize {
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let state = app.state.clone();
            tokio::spawn(async move {
                let mut ran = 0;
                while amtsweg_jobs::run_one(&state).await.unwrap() {
                    ran += 1;
                }
                ran
            })
        })
        .collect();
    let mut ran = 0;
    for worker in workers {
        ran += worker.await.unwrap();
    }
    ran
}

async fn outbox(app: &TestApp, recipient: &str) -> Vec<String> {
    let admin = app.db.admin().await;
    sea_orm::ConnectionTrait::query_all_raw(
        admin.connection(),
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT subject FROM mail_outbox WHERE recipient = $1 ORDER BY created_at",
            [recipient.into()],
        ),
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get_by_index::<String>(0).unwrap())
    .collect()
}

/// The routing history's actions, read in the tenant's transaction (the test clock has moved past
/// every token's lifetime).
async fn actions_of(app: &TestApp, tenant: amtsweg_domain::TenantId, case: &str) -> Vec<String> {
    let tx = app.state.db.tenant(tenant).await.unwrap();
    let history = amtsweg_store::cases::history(&tx, case.parse().unwrap())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    history.into_iter().map(|h| h.action).collect()
}

#[tokio::test]
async fn scheduled_jobs_remind_escalate_and_list_retention_once() {
    use amtsweg_domain::clock::Clock;
    // Sign-in checks TOTP codes against this clock, so it starts now.
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let lead = app.staff("abh-bielefeld", Role::Approver).await;
    let (ct, lt) = (app.token(&clerk).await, app.token(&lead).await);
    let (_, case) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/cases",
        Some(json!({
            "process_id": "residence-extension",
            "person": { "family_name": "Okafor", "given_names": "Chidi", "birth_date": "1988-08-08" }
        })),
    )
    .await;
    let id = case["id"].as_str().unwrap().to_owned();
    act(&app, &ct, &id, json!({ "action": "take" })).await;
    let (status, waiting) = act(
        &app,
        &ct,
        &id,
        json!({ "action": "forward", "to_step": "ba_consent" }),
    )
    .await;
    assert_eq!((status, waiting["state"].as_str()), (200, Some("waiting")));
    let (_, deceased) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/persons",
        Some(json!({ "family_name": "Verstorben", "given_names": "Test", "birth_date": "1950-01-01" })),
    )
    .await;
    let deceased = deceased["person"]["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &ct,
        "POST",
        &format!("/api/v1/persons/{deceased}/register-b"),
        Some(json!({ "reason": "death" })),
    )
    .await;

    // Two instances schedule the same hour: one deadline sweep, one retention listing and one
    // throughput computation, each over every tenant. Nothing is due yet.
    let first = amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    let second = amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    assert_eq!((first, second), (3, 0));
    assert_eq!(drain_jobs(&app).await, 3);
    assert!(
        !actions_of(&app, clerk.tenant, &id)
            .await
            .contains(&"remind".to_owned())
    );

    // Eleven days later the BA has not answered. The new hour's sweep is claimed by a worker that
    // dies; the listing runs. When the sweep's lease runs out another worker finishes it.
    let before = clock.now();
    clock.advance(Duration::days(11));
    assert_eq!(
        amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap(),
        3,
        "a new hour and a new day"
    );
    let key =
        amtsweg_jobs::scheduled::dedupe_key(amtsweg_jobs::scheduled::DEADLINES_KIND, clock.now());
    let admin = app.db.admin().await;
    let job_id: uuid::Uuid = sea_orm::ConnectionTrait::query_one_raw(
        admin.connection(),
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT id FROM job_queue WHERE dedupe_key = $1",
            [key.into()],
        ),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index(0)
    .unwrap();
    sea_orm::ConnectionTrait::execute_raw(
        admin.connection(),
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "UPDATE job_queue SET state = 'running', locked_by = 'crashed-worker', attempts = 1, \
             locked_until = $2 WHERE id = $1",
            [
                job_id.into(),
                (clock.now() + Duration::seconds(amtsweg_jobs::LEASE_SECS)).into(),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        drain_jobs(&app).await,
        2,
        "only the listing and the throughput are free"
    );
    assert!(
        !actions_of(&app, clerk.tenant, &id)
            .await
            .contains(&"remind".to_owned())
    );
    clock.advance(Duration::seconds(amtsweg_jobs::LEASE_SECS + 1));
    assert_eq!(drain_jobs(&app).await, 1, "the abandoned sweep resumes");
    let job = amtsweg_store::jobs::get(app.state.db.connection(), job_id)
        .await
        .unwrap();
    assert_eq!(job.state, "done");
    assert_eq!(
        actions_of(&app, clerk.tenant, &id)
            .await
            .iter()
            .filter(|a| a.as_str() == "remind")
            .count(),
        1
    );
    let reminders = outbox(&app, &clerk.email).await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(reminders[0].starts_with("Erinnerung"));
    assert!(outbox(&app, &lead.email).await.is_empty());

    // Four days more: escalation to the team lead, by mail and in the team basket; once only.
    clock.advance(Duration::days(4));
    amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    drain_jobs(&app).await;
    clock.advance(Duration::hours(1));
    let again = amtsweg_http::routes::cases::sweep_deadlines(&app.state, clerk.tenant)
        .await
        .unwrap();
    assert_eq!((again.reminded, again.escalated), (0, 0));
    let actions = actions_of(&app, clerk.tenant, &id).await;
    assert_eq!(
        actions.iter().filter(|a| a.as_str() == "escalate").count(),
        1,
        "{actions:?}"
    );
    let escalations = outbox(&app, &lead.email).await;
    assert_eq!(escalations.len(), 1, "{escalations:?}");
    assert!(escalations[0].starts_with("Eskalation"));
    assert_eq!(outbox(&app, &clerk.email).await.len(), 1);
    let moved = clock.now() - before;
    clock.advance(-moved);
    let (_, basket) = call(&app, &lt, "GET", "/api/v1/cases?scope=team", None).await;
    clock.advance(moved);
    assert!(
        basket["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str() && c["escalated"] == true)
    );

    // Five years after the death the daily listing finds the record, once however often it runs.
    clock.advance(Duration::days(5 * 366));
    amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    drain_jobs(&app).await;
    amtsweg_http::routes::cases::list_retention_due(&app.state, clerk.tenant)
        .await
        .unwrap();
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let due = amtsweg_store::cases::reviews(&tx, "due").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].person_id.to_string(), deceased);
    let unfinished = sea_orm::ConnectionTrait::query_one_raw(
        admin.connection(),
        sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT count(*) FROM job_queue WHERE state <> 'done'",
        ),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap();
    assert_eq!(unfinished, 0, "every scheduled job succeeded");
}

/// Registers an applicant through the portal pages, confirming with the link of the queued mail
/// (this application runs no mail worker), and signs in.
async fn portal_applicant(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let browser = crate::support::browser_client();
    let page = browser
        .get(app.url("/portal/register?lang=de"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::support::csrf_from(&page);
    let password = "ein sehr langes passwort";
    let registered = browser
        .post(app.url("/portal/register"))
        .form(&[
            ("email", email),
            ("display_name", "Antragstellerin"),
            ("password", password),
            ("language", "de"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    let admin = app.db.admin().await;
    let mail: String = sea_orm::ConnectionTrait::query_one_raw(
        admin.connection(),
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT body_text FROM mail_outbox WHERE recipient = $1",
            [email.into()],
        ),
    )
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index(0)
    .unwrap();
    let link = crate::support::find_link(&mail, "http://127.0.0.1/portal/confirm/");
    let confirmed = browser
        .get(app.url(link.trim_start_matches("http://127.0.0.1")))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let signed_in = browser
        .post(app.url("/portal/sign-in"))
        .form(&[("email", email), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    (browser, csrf)
}

/// Moves the test clock by `by`, runs the scheduler and drains the jobs as a running platform would,
/// and moves the clock back (so the test's sessions stay valid).
async fn let_time_pass(app: &TestApp, clock: &FixedClock, by: Duration) {
    clock.advance(by);
    amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    drain_jobs(app).await;
    clock.advance(-by);
}

#[tokio::test]
async fn a_portal_application_becomes_a_case_and_its_notice_reaches_the_applicant() {
    use crate::portal::{input_value, location, pay, pdf, post_step, start, upload};
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;

    // The applicant applies online for the extension of her residence permit, with evidence and fee.
    let (browser, csrf) = portal_applicant(&app, "amina.case@example.org").await;
    let (tenant, base) = start(&app, &browser, &csrf, "residence-extension", "Bielefeld").await;
    for (step, fields) in [
        (
            0,
            vec![
                ("family_name", "Ahmadi"),
                ("given_names", "Amina"),
                ("date_of_birth", "1990-04-23"),
                ("nationality", "syrisch"),
                ("passport_number", "N1234567"),
            ],
        ),
        (
            1,
            vec![
                ("street", "Niederwall 23"),
                ("postal_code", "33602"),
                ("municipality", "Bielefeld"),
            ],
        ),
        (
            2,
            vec![
                ("permit_expiry", "2027-01-31"),
                ("purpose", "employment"),
                ("duration", "long"),
                ("protection_status", "none"),
                ("employer", "Stadtwerke Bielefeld"),
            ],
        ),
    ] {
        let r = post_step(&app, &browser, &base, step, &fields, &csrf).await;
        assert_eq!(r.status(), 303, "step {step}");
    }
    for (kind, name, bytes) in [
        ("passport", "pass.pdf", pdf("passport")),
        ("photo", "foto.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]),
        ("employment-contract", "vertrag.pdf", pdf("contract")),
    ] {
        let r = upload(&app, &browser, &base, &csrf, kind, name, bytes).await;
        assert_eq!(r.status(), 303, "{kind}");
    }
    pay(&app, &browser, &base, &csrf, "pay").await;
    let review = browser
        .get(app.url(&format!("{base}/review")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let key = input_value(&review, "idempotency_key");
    let submitted = browser
        .post(app.url(&format!("{base}/submit")))
        .form(&[("csrf", csrf.as_str()), ("idempotency_key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 303);
    let app_path = location(&submitted);
    let application = app_path.rsplit('/').next().unwrap().to_owned();

    // The clerk opens the case from the application: the person from the form, the evidence in the
    // e-file (same bytes, taken over by key), nothing typed again.
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let lead = app.staff("abh-bielefeld", Role::Approver).await;
    assert_eq!(clerk.tenant.0, tenant);
    let (ct, lt) = (app.token(&clerk).await, app.token(&lead).await);
    let (status, case) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/cases",
        Some(json!({ "process_id": "residence-extension", "intake_id": application })),
    )
    .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();
    let (_, view) = call(&app, &ct, "GET", &format!("/api/v1/cases/{id}"), None).await;
    assert_eq!(view["person"]["family_name"], "Ahmadi");
    assert_eq!(view["person"]["birth_date"], "1990-04-23");
    let evidence: Vec<&Value> = view["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["source"] == "online_application")
        .collect();
    assert_eq!(evidence.len(), 3, "{view}");
    let contract = evidence
        .iter()
        .find(|d| d["title"] == "vertrag.pdf")
        .unwrap();
    let bytes = client()
        .get(app.url(&format!(
            "/api/v1/documents/{}/content",
            contract["id"].as_str().unwrap()
        )))
        .bearer_auth(&ct)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], pdf("contract").as_slice());

    // The clerk asks the BA for consent; the BA does not answer. The scheduled sweep reminds the
    // clerk after ten days and escalates to the team lead after fourteen.
    assert_eq!(
        act(&app, &ct, &id, json!({ "action": "take" })).await.0,
        200
    );
    let (_, waiting) = act(
        &app,
        &ct,
        &id,
        json!({ "action": "forward", "to_step": "ba_consent" }),
    )
    .await;
    assert_eq!(waiting["state"], "waiting");
    let_time_pass(&app, &clock, Duration::days(9)).await;
    assert!(outbox(&app, &clerk.email).await.is_empty(), "not yet");
    let_time_pass(&app, &clock, Duration::days(11)).await;
    assert_eq!(outbox(&app, &clerk.email).await.len(), 1, "the reminder");
    let_time_pass(&app, &clock, Duration::days(15)).await;
    assert_eq!(outbox(&app, &lead.email).await.len(), 1, "the escalation");

    // The consent arrives; the clerk proposes, cannot approve herself; the team lead approves.
    act(
        &app,
        &ct,
        &id,
        json!({ "action": "received", "comment": "Zustimmung der BA liegt vor" }),
    )
    .await;
    let (status, _) = act(
        &app,
        &ct,
        &id,
        json!({ "action": "forward", "decision": "granted" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, refused) = act(&app, &ct, &id, json!({ "action": "approve" })).await;
    assert_eq!(status, 409, "{refused}");
    let (status, done) = act(
        &app,
        &lt,
        &id,
        json!({ "action": "approve", "comment": "Einverstanden" }),
    )
    .await;
    assert_eq!((status, done["state"].as_str()), (200, Some("decided")));
    assert_eq!(
        actions_of(&app, clerk.tenant, &id).await,
        [
            "open", "take", "forward", "remind", "escalate", "received", "forward", "approve"
        ]
    );
    let (_, view) = call(&app, &ct, "GET", &format!("/api/v1/cases/{id}"), None).await;
    let notice = view["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["source"] == "generated")
        .expect("the notice is filed")
        .clone();
    let notice_id = notice["id"].as_str().unwrap();

    // The applicant finds the notice in her portal mailbox, in German, and downloads it.
    let page = browser
        .get(app.url(&app_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Ihr Bescheid zum Antrag"), "{page}");
    let href = format!("{app_path}/documents/{notice_id}");
    assert!(page.contains(&href), "{page}");
    assert!(page.contains("Bescheid herunterladen (PDF)"));
    let download = browser.get(app.url(&href)).send().await.unwrap();
    assert_eq!(download.status(), 200);
    let staff_copy = client()
        .get(app.url(&format!("/api/v1/documents/{notice_id}/content")))
        .bearer_auth(&ct)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let got = download.bytes().await.unwrap();
    assert!(got.starts_with(b"%PDF"));
    assert_eq!(got, staff_copy, "the filed notice, byte for byte");
    // Nothing else of the e-file is reachable that way, and no one else gets the notice.
    let other_doc = format!("{app_path}/documents/{}", contract["id"].as_str().unwrap());
    assert_eq!(
        browser
            .get(app.url(&other_doc))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (stranger, _) = portal_applicant(&app, "someone.else@example.org").await;
    assert_eq!(
        stranger.get(app.url(&href)).send().await.unwrap().status(),
        404
    );
    let applications: Value = browser
        .get(app.url("/api/v1/portal/applications"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(applications[0]["state"], "decided");
}

/// Signs in through the real sign-in pages (password, then the TOTP code).
async fn chromium_sign_in(
    browser: &crate::browser::Browser,
    app: &TestApp,
    staff: &crate::support::Staff,
) {
    browser.client.delete_all_cookies().await.unwrap();
    browser.client.goto(&app.url("/sign-in")).await.unwrap();
    browser.fill("email", &staff.email).await;
    browser.fill("password", &staff.password).await;
    browser.submit().await;
    browser.fill("code", &staff.code()).await;
    browser.submit().await;
    assert_eq!(
        browser.client.current_url().await.unwrap().path(),
        "/workspace"
    );
}

/// Clicks the submit button of the form on the page that posts `action` (the routing folder's
/// forms carry it as a hidden field) and waits for the next page.
async fn click_action(browser: &crate::browser::Browser, action: &str) {
    browser
        .client
        .find(fantoccini::Locator::Css(&format!(
            "form:has(input[name='action'][value='{action}']) button[type='submit']"
        )))
        .await
        .unwrap_or_else(|err| panic!("no {action} form: {err}"))
        .click()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
}

async fn choose(browser: &crate::browser::Browser, select: &str, value: &str) {
    browser
        .client
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; return s.value;",
            vec![json!(select), json!(value)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_routing_folder_in_chromium_with_axe() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-essen", Role::Clerk).await;
    let lead = app.staff("abh-essen", Role::Approver).await;
    let browser = crate::browser::Browser::start().await;
    let mut violations = Vec::new();
    let mut check = |page: &str, found: Vec<String>| {
        violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
    };

    // The clerk opens a case from the worklist page.
    chromium_sign_in(&browser, &app, &clerk).await;
    browser
        .client
        .goto(&app.url("/workspace/cases"))
        .await
        .unwrap();
    check("/workspace/cases", browser.axe().await);
    choose(&browser, "#field-process_id", "commitment-declaration").await;
    browser.fill("family_name", "Nowak").await;
    browser.fill("given_names", "Jan").await;
    browser
        .client
        .find(fantoccini::Locator::Css(
            "form[method='post'][action='/workspace/cases'] button[type='submit']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let case_path = browser
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .to_owned();
    assert!(case_path.starts_with("/workspace/cases/"), "{case_path}");
    check("case view (new)", browser.axe().await);

    // Take it, try to forward without a decision (the error is shown), then forward with one.
    click_action(&browser, "take").await;
    click_action(&browser, "forward").await;
    let refused = browser.client.current_url().await.unwrap();
    assert_eq!(refused.query(), Some("error=case-decision-required"));
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("role=\"alert\""), "the refusal is announced");
    check("case view (error)", browser.axe().await);
    choose(&browser, "#field-decision", "granted").await;
    browser
        .client
        .find(fantoccini::Locator::Css("#field-forward-comment"))
        .await
        .unwrap()
        .send_keys("Bonität geprüft")
        .await
        .unwrap();
    click_action(&browser, "forward").await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Bonität geprüft"));
    browser.screenshot("routing-folder-forwarded.png").await;

    // The team lead finds it in the team basket and approves it on the case page.
    chromium_sign_in(&browser, &app, &lead).await;
    browser
        .client
        .goto(&app.url("/workspace/cases?scope=team"))
        .await
        .unwrap();
    assert!(browser.client.source().await.unwrap().contains(&case_path));
    check("/workspace/cases?scope=team", browser.axe().await);
    browser.client.goto(&app.url(&case_path)).await.unwrap();
    browser
        .client
        .find(fantoccini::Locator::Css("#field-approve-comment"))
        .await
        .unwrap()
        .send_keys("Freigegeben")
        .await
        .unwrap();
    click_action(&browser, "approve").await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("Freigegeben") && page.contains("Bescheid"),
        "{page}"
    );
    assert!(
        !page.contains("value=\"approve\""),
        "a decided case offers no more actions"
    );
    check("case view (decided)", browser.axe().await);
    browser.screenshot("routing-folder-decided.png").await;
    let _ = browser.client.clone().close().await;
    assert!(
        violations.is_empty(),
        "accessibility violations:\n{}",
        violations.join("\n")
    );
}
