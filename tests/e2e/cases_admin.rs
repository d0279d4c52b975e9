//! Case administration end to end: a tenant adopting a model process as a variant and deciding on
//! the state's next model version; the own file plan with its mapping, over the API and the pages;
//! throughput per step and process, in the workspace and in the ministry's comparison (which shows
//! no personal data and no small group); the retention listing's pre-filter.

use std::collections::BTreeSet;
use std::sync::Arc;

use amtsweg_cases::retention::Rules;
use amtsweg_domain::Role;
use amtsweg_domain::clock::{Clock, FixedClock};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, call, signed_in_browser};

#[tokio::test]
async fn the_retention_listing_reads_only_old_enough_records_and_lists_exactly_what_is_due() {
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let clerk = app.staff("abh-hamm", Role::Clerk).await;
    let lead = app.staff("abh-hamm", Role::Approver).await;
    let (ct, lt) = (app.token(&clerk).await, app.token(&lead).await);
    let rules = Rules::load().unwrap();
    let later = Duration::days(12 * 366);
    let today = (clock.now() + later).date_naive();
    // The day whose deaths fall due exactly today (5 years), and its neighbours.
    let five_back = today
        .with_year(today.year() - 5)
        .or_else(|| NaiveDate::from_ymd_opt(today.year() - 5, 2, 28))
        .unwrap();
    let at = |day: NaiveDate, h: u32| day.and_hms_opt(h, 0, 0).unwrap().and_utc();
    let moves = [
        ("Edge", "death", at(five_back, 23)),
        ("Young", "death", at(five_back + Duration::days(1), 0)),
        (
            "Natur",
            "naturalization",
            at(five_back - Duration::days(400), 12),
        ),
        (
            "Middle",
            "moved_away",
            at(five_back - Duration::days(700), 12),
        ),
        (
            "Old",
            "moved_away",
            at(five_back - Duration::days(5 * 366 + 2), 12),
        ),
        (
            "Recent",
            "handover",
            at(five_back + Duration::days(900), 12),
        ),
    ];
    let mut expected = BTreeSet::new();
    let mut everyone = Vec::new();
    for (name, reason, moved) in moves.iter().copied().chain([("Stays", "", at(today, 0))]) {
        let (status, p) = call(
            &app,
            &ct,
            "POST",
            "/api/v1/persons",
            Some(json!({ "family_name": name, "given_names": "Test", "birth_date": "1970-01-01" })),
        )
        .await;
        assert_eq!(status, 201, "{p}");
        let id: uuid::Uuid = p["person"]["id"].as_str().unwrap().parse().unwrap();
        everyone.push(id);
        if reason.is_empty() {
            continue;
        }
        // The move is dated in the past directly in the register (the API dates it now).
        let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
        amtsweg_store::cases::move_to_b(&tx, id, reason, None, moved)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        if rules.deletion_due(reason, moved).unwrap() <= today {
            expected.insert(id);
        }
    }
    // The edges are what the test is about: the last due day is listed, the next day is not.
    assert!(expected.contains(&everyone[0]) && !expected.contains(&everyone[1]));
    assert_eq!(expected.len(), 3, "Edge, Natur and Old are due");

    clock.advance(later);
    let listed = amtsweg_http::routes::cases::list_retention_due(&app.state, clerk.tenant)
        .await
        .unwrap();
    let again = amtsweg_http::routes::cases::list_retention_due(&app.state, clerk.tenant)
        .await
        .unwrap();
    clock.advance(-later);
    assert_eq!(listed, expected.len());
    assert_eq!(again, 0, "a listed record is not listed twice");
    let (_, due) = call(&app, &lt, "GET", "/api/v1/retention", None).await;
    let listed_ids: BTreeSet<uuid::Uuid> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["person_id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(listed_ids, expected);
}

async fn audit_actions(app: &TestApp, token: &str) -> String {
    let (status, page) = call(app, token, "GET", "/api/v1/audit", None).await;
    assert_eq!(status, 200, "{page}");
    page.to_string()
}

fn model_version(version: u32, first_deadline: u32) -> String {
    let mut model = amtsweg_cases::process::model("residence-extension").unwrap();
    model.version = version;
    model.steps[0].deadline_days = Some(first_deadline);
    model.steps[2].deadline_days = Some(first_deadline + 20);
    model.to_toml()
}

#[tokio::test]
async fn a_variant_is_adopted_edited_and_offered_the_next_model_version() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-hamm", Role::TenantAdmin).await;
    let clerk = app.staff("abh-hamm", Role::Clerk).await;
    let other = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let (at, ct, bt, mt) = (
        app.token(&admin).await,
        app.token(&clerk).await,
        app.token(&other).await,
        app.token(&analyst).await,
    );
    let path = "/api/v1/tenant-processes";
    assert_eq!(call(&app, &ct, "GET", path, None).await.0, 403);
    let (status, list) = call(&app, &at, "GET", path, None).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 5);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["adopted"].is_null())
    );

    let (status, adopted) = call(
        &app,
        &at,
        "POST",
        path,
        Some(json!({ "model_id": "residence-extension", "kind": "variant" })),
    )
    .await;
    assert_eq!(status, 201, "{adopted}");
    assert_eq!(adopted["adopted"]["kind"], "variant");
    assert_eq!(adopted["adopted"]["version"], 1);
    let (status, wrong) = call(
        &app,
        &at,
        "POST",
        path,
        Some(json!({ "model_id": "residence-extension", "kind": "copy" })),
    )
    .await;
    assert_eq!(
        (status, wrong["errors"]["kind"].as_str()),
        (422, Some("cases-error-adoption-kind"))
    );

    // Validation names the step and the field: the approval stays with approvers, a reminder
    // comes before the escalation.
    let edit = format!("{path}/residence-extension");
    let step = |id: &str, role: &str, deadline: u32, remind: u32, escalate: u32| {
        json!({ "step": id, "role": role, "deadline_days": deadline,
                "remind_after_days": remind, "escalate_after_days": escalate })
    };
    let (status, err) = call(
        &app,
        &at,
        "PUT",
        &edit,
        Some(json!({ "deadline_days": 70, "steps": [step("approval", "clerk", 5, 3, 7)] })),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["errors"]["approval.role"], "cases-error-approval-role");
    let (status, err) = call(
        &app,
        &at,
        "PUT",
        &edit,
        Some(json!({ "deadline_days": 70, "steps": [step("intake", "clerk", 5, 9, 4)] })),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(
        err["errors"]["intake.remind_after_days"],
        "cases-error-clock-order"
    );
    let (status, saved) = call(
        &app,
        &at,
        "PUT",
        &edit,
        Some(json!({ "deadline_days": 60, "steps": [step("intake", "tenant_admin", 2, 1, 3)] })),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["adopted"]["version"], 2);
    assert_eq!(saved["adopted"]["deadline_days"], 60);
    assert_eq!(saved["adopted"]["steps"][0]["deadline_days"], 2);
    assert_eq!(saved["adopted"]["steps"][0]["role"], "tenant_admin");

    // A new case runs on the variant's version; another authority knows nothing of it.
    let (status, case) = call(
        &app,
        &ct,
        "POST",
        "/api/v1/cases",
        Some(json!({ "process_id": "residence-extension",
                     "person": { "family_name": "Variante", "given_names": "Vera", "birth_date": "1980-02-02" } })),
    )
    .await;
    assert_eq!(status, 201, "{case}");
    assert_eq!(case["process_version"], 2);
    let case_id = case["id"].as_str().unwrap().to_owned();
    let (_, view) = call(&app, &ct, "GET", &format!("/api/v1/cases/{case_id}"), None).await;
    assert_eq!(view["process"]["steps"][0]["deadline_days"], 2, "{view}");
    let (_, b_list) = call(&app, &bt, "GET", path, None).await;
    assert!(
        b_list
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["adopted"].is_null())
    );
    assert_eq!(
        call(&app, &bt, "PUT", &edit, Some(json!({ "steps": [] })))
            .await
            .0,
        404
    );

    // The state publishes version 2: only the ministry may, and only above the current version.
    let publish = "/api/v1/ministry/process-models";
    assert_eq!(
        call(
            &app,
            &at,
            "POST",
            publish,
            Some(json!({ "definition": model_version(2, 9) }))
        )
        .await
        .0,
        403
    );
    let (status, published) = call(
        &app,
        &mt,
        "POST",
        publish,
        Some(json!({ "definition": model_version(2, 9) })),
    )
    .await;
    assert_eq!(status, 201, "{published}");
    let (status, again) = call(
        &app,
        &mt,
        "POST",
        publish,
        Some(json!({ "definition": model_version(2, 9) })),
    )
    .await;
    assert_eq!(
        (status, again["errors"]["definition"].as_str()),
        (422, Some("cases-error-model-version"))
    );

    // The same through the ministry's page: an invalid definition is refused at its field and
    // kept as typed; a version that exists is refused too.
    let publisher = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let (page, csrf) = signed_in_browser(&app, &publisher).await;
    let refused = page
        .post(app.url("/ministry/processes"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("definition", "id = \"residence-extension\"\nversion = <2>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"field-definition-error\"") && html.contains("version = &lt;2&gt;"));
    let existing = model_version(2, 9);
    let again = page
        .post(app.url("/ministry/processes"))
        .form(&[("csrf", csrf.as_str()), ("definition", existing.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422, "version 2 exists already");
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("id=\"field-definition-error\"")
    );

    let offered = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["model_id"] == "residence-extension")
            .unwrap()
            .clone()
    };
    let (_, list) = call(&app, &at, "GET", path, None).await;
    let mine = offered(&list);
    assert_eq!(mine["offered_update"]["model_version"], 2, "{mine}");
    assert_eq!(
        mine["offered_update"]["changes"],
        json!([
            { "step": "intake", "change": "changed" },
            { "step": "review", "change": "changed" }
        ])
    );
    // Another authority that never adopted is offered nothing.
    let (_, b_list) = call(&app, &bt, "GET", path, None).await;
    assert!(offered(&b_list)["offered_update"].is_null());

    // Keep our own: the offer goes away; the next model version is offered again and accepted.
    let update = format!("{edit}/update");
    let (status, kept) = call(
        &app,
        &at,
        "POST",
        &update,
        Some(json!({ "decision": "keep" })),
    )
    .await;
    assert_eq!(status, 200, "{kept}");
    assert!(kept["offered_update"].is_null());
    assert_eq!(kept["adopted"]["version"], 2);
    assert_eq!(kept["adopted"]["kept_model_version"], 2);
    assert_eq!(
        call(
            &app,
            &at,
            "POST",
            &update,
            Some(json!({ "decision": "keep" }))
        )
        .await
        .0,
        409,
        "nothing is offered any more"
    );
    let (status, _) = call(
        &app,
        &mt,
        "POST",
        publish,
        Some(json!({ "definition": model_version(3, 4) })),
    )
    .await;
    assert_eq!(status, 201);
    let (status, accepted) = call(
        &app,
        &at,
        "POST",
        &update,
        Some(json!({ "decision": "accept" })),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["adopted"]["version"], 3);
    assert_eq!(accepted["adopted"]["model_version"], 3);
    // The model moved the intake deadline; the tenant had set its own, which it keeps, as it
    // keeps its case deadline and the role it chose; the review it never touched is the model's.
    assert_eq!(accepted["adopted"]["steps"][0]["deadline_days"], 2);
    assert_eq!(accepted["adopted"]["steps"][0]["role"], "tenant_admin");
    assert_eq!(accepted["adopted"]["deadline_days"], 60);
    assert_eq!(accepted["adopted"]["steps"][2]["deadline_days"], 24);
    assert!(accepted["offered_update"].is_null());

    // The running case stays on the version it started with.
    let (_, view) = call(&app, &ct, "GET", &format!("/api/v1/cases/{case_id}"), None).await;
    assert_eq!(view["process"]["version"], 2, "{view}");
    assert_eq!(view["process"]["steps"][0]["deadline_days"], 2);

    let audit = audit_actions(&app, &at).await;
    for action in [
        "process.adopt",
        "process.variant.edit",
        "process.update.keep",
        "process.update.accept",
    ] {
        assert!(audit.contains(action), "{action} audited");
    }
}

#[tokio::test]
async fn the_variant_and_the_file_plan_are_edited_through_the_pages() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-hamm", Role::TenantAdmin).await;
    let other = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let (browser, csrf) = signed_in_browser(&app, &admin).await;
    let page = browser
        .get(app.url("/workspace/processes"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/workspace/processes/naturalization/adopt"));

    let adopt = browser
        .post(app.url("/workspace/processes/naturalization/adopt"))
        .form(&[("csrf", csrf.as_str()), ("kind", "variant")])
        .send()
        .await
        .unwrap();
    assert_eq!(adopt.status(), 303);
    assert_eq!(
        adopt.headers()["location"].to_str().unwrap(),
        "/workspace/processes/naturalization"
    );
    let form = browser
        .get(app.url("/workspace/processes/naturalization"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("name=\"deadline_days\""));
    // Take every field the form offers, then break two of them.
    let model = amtsweg_cases::process::model("naturalization").unwrap();
    let approval = model
        .steps
        .iter()
        .find(|s| s.kind == amtsweg_cases::StepKind::Approval)
        .unwrap();
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("deadline_days".into(), "abc".into()),
    ];
    for s in &model.steps {
        let role = if s.id == approval.id {
            "clerk".to_owned()
        } else {
            s.role.clone()
        };
        fields.push((format!("{}.role", s.id), role));
        for (name, value) in [
            ("deadline_days", s.deadline_days),
            ("remind_after_days", s.remind_after_days),
            ("escalate_after_days", s.escalate_after_days),
        ] {
            fields.push((
                format!("{}.{name}", s.id),
                value.map(|v| v.to_string()).unwrap_or_default(),
            ));
        }
    }
    let refused = browser
        .post(app.url("/workspace/processes/naturalization"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"field-deadline_days-error\""),
        "the number error sits at its field"
    );
    assert!(html.contains("value=\"abc\""), "what was typed stays");
    fields[1].1 = "120".into();
    let refused = browser
        .post(app.url("/workspace/processes/naturalization"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"field-{}.role-error\"", approval.id)),
        "{html}"
    );
    for f in &mut fields {
        if f.0 == format!("{}.role", approval.id) {
            f.1 = "approver".into();
        }
    }
    let saved = browser
        .post(app.url("/workspace/processes/naturalization"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let token = app.token(&admin).await;
    let (_, list) = call(&app, &token, "GET", "/api/v1/tenant-processes", None).await;
    let nat = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["model_id"] == "naturalization")
        .unwrap();
    assert_eq!(nat["adopted"]["deadline_days"], 120);
    assert_eq!(nat["adopted"]["version"], 2);

    // The file plan: the reference plan first, then an own plan with a gap that is shown.
    let plan = browser
        .get(app.url("/workspace/file-plan"))
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), 200);
    let bad = browser
        .post(app.url("/workspace/file-plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("op", "save"),
            ("position", "A 1"),
            ("title", ""),
            ("reference_position", "99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    for field in ["position", "title", "reference_position"] {
        assert!(
            html.contains(&format!("id=\"field-{field}-error\"")),
            "{field}"
        );
    }
    let copied = browser
        .post(app.url("/workspace/file-plan"))
        .form(&[("csrf", csrf.as_str()), ("op", "copy")])
        .send()
        .await
        .unwrap();
    assert_eq!(copied.status(), 303);
    let (_, view) = call(&app, &token, "GET", "/api/v1/file-plan", None).await;
    assert_eq!(view["uses_reference"], false);
    assert_eq!(view["report"]["complete"], true, "{view}");
    let unmapped = browser
        .post(app.url("/workspace/file-plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("op", "save"),
            ("position", "01"),
            ("title", "Allgemeines"),
            ("reference_position", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unmapped.status(), 303);
    let html = browser
        .get(app.url("/workspace/file-plan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"h-gaps\""),
        "the gap is shown on the page"
    );
    let (_, view) = call(&app, &token, "GET", "/api/v1/file-plan", None).await;
    assert_eq!(view["report"]["unmapped"], json!(["01"]));
    assert_eq!(view["report"]["uncovered"], json!(["01"]));

    // The same over the API: a whole plan, refused with errors per position, then stored.
    let (status, err) = call(
        &app,
        &token,
        "PUT",
        "/api/v1/file-plan",
        Some(json!({ "positions": [
            { "position": "X-1", "title": "Eins", "reference_position": "99" },
            { "position": "X-1", "title": "Doppelt" },
        ] })),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        err["errors"]["positions.0.reference_position"],
        "cases-error-plan-reference"
    );
    assert_eq!(
        err["errors"]["positions.1.position"],
        "cases-error-plan-duplicate"
    );
    let (status, view) = call(
        &app,
        &token,
        "PUT",
        "/api/v1/file-plan",
        Some(json!({ "positions": [
            { "position": "X-1", "title": "Eins", "reference_position": "01" },
            { "position": "X-2", "title": "Zwei" },
        ] })),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["report"]["unmapped"], json!(["X-2"]));
    assert!(view["report"]["uncovered"].as_array().unwrap().len() > 5);
    let (_, theirs) = call(
        &app,
        &app.token(&other).await,
        "GET",
        "/api/v1/file-plan",
        None,
    )
    .await;
    assert_eq!(
        theirs["uses_reference"], true,
        "another authority's plan is its own"
    );
    assert!(
        audit_actions(&app, &token)
            .await
            .contains("file_plan.update")
    );
}

/// Seeds one decided case in a tenant: a person, the case and its routing history with the given
/// hours in intake, review and approval, starting `start`.
async fn seeded_case(
    app: &TestApp,
    tenant: amtsweg_domain::TenantId,
    clerk: uuid::Uuid,
    family_name: &str,
    start: chrono::DateTime<Utc>,
    hours: [i64; 3],
) -> (String, String) {
    use amtsweg_store::cases as store;
    let tx = app.state.db.tenant(tenant).await.unwrap();
    let person = store::create_person(
        &tx,
        store::NewPerson {
            family_name: family_name.into(),
            given_names: "Geheim".into(),
            birth_date: Some("1975-05-05".into()),
            match_key: family_name.to_lowercase(),
            ..store::NewPerson::default()
        },
        start,
    )
    .await
    .unwrap();
    let case = store::open_case(
        &tx,
        store::NewCase {
            person_id: person.id,
            process_id: "residence-extension".into(),
            process_version: 1,
            process_kind: "model".into(),
            step: "intake".into(),
            state: "open".into(),
            holder_role: "clerk".into(),
            step_due_at: None,
            case_due_at: None,
            intake_id: None,
        },
        start,
    )
    .await
    .unwrap();
    let mut at = start;
    let entry = |action: &str, from: Option<&str>, to: &str| store::NewHistory {
        actor: clerk.to_string(),
        action: action.into(),
        from_step: from.map(str::to_owned),
        to_step: Some(to.to_owned()),
        comment: Some(format!("Vermerk zu {family_name}")),
        ..store::NewHistory::default()
    };
    store::append_history(&tx, case.id, entry("open", None, "intake"), at)
        .await
        .unwrap();
    store::append_history(
        &tx,
        case.id,
        entry("take", Some("intake"), "intake"),
        at + Duration::minutes(5),
    )
    .await
    .unwrap();
    for (i, (from, to)) in [
        ("intake", "review"),
        ("review", "approval"),
        ("approval", "decided"),
    ]
    .into_iter()
    .enumerate()
    {
        at += Duration::hours(hours[i]);
        store::append_history(&tx, case.id, entry("forward", Some(from), to), at)
            .await
            .unwrap();
    }
    store::update_case(
        &tx,
        case.id,
        store::CaseUpdate {
            step: "decided".into(),
            state: "decided".into(),
            holder_user_id: None,
            holder_role: "clerk".into(),
            clerk_user_id: Some(clerk),
            step_due_at: None,
            step_started_at: at,
            reminded_at: None,
            escalated_at: None,
            decision: Some("granted".into()),
            closed: true,
        },
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (case.id.to_string(), case.reference)
}

#[tokio::test]
async fn throughput_is_measured_per_step_and_the_ministry_sees_no_person_and_no_small_group() {
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let app = TestApp::spawn_with_clock(clock.clone()).await;
    let hamm = app.staff("abh-hamm", Role::Clerk).await;
    let bielefeld = app.staff("abh-bielefeld", Role::Clerk).await;
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let start = clock.now() - Duration::days(30);
    let mut secrets = vec![
        hamm.id.to_string(),
        bielefeld.id.to_string(),
        hamm.email.clone(),
        bielefeld.email.clone(),
    ];
    // Hamm: six decided cases, intake 10..60 hours; Bielefeld: two (a group too small to show).
    for i in 0..6 {
        let name = format!("Hammperson{i}");
        let (id, reference) = seeded_case(
            &app,
            hamm.tenant,
            hamm.id,
            &name,
            start,
            [10 * (i + 1), 24, 2],
        )
        .await;
        secrets.extend([name.clone(), format!("Vermerk zu {name}"), id, reference]);
    }
    for i in 0..2 {
        let name = format!("Bielefeldperson{i}");
        let (id, reference) = seeded_case(
            &app,
            bielefeld.tenant,
            bielefeld.id,
            &name,
            start,
            [5, 5, 5],
        )
        .await;
        secrets.extend([name, id, reference]);
    }
    // The daily job computes the figures of every tenant.
    amtsweg_jobs::scheduled::schedule(&app.state).await.unwrap();
    while amtsweg_jobs::run_one(&app.state).await.unwrap() {}

    let ht = app.token(&hamm).await;
    let (status, own) = call(&app, &ht, "GET", "/api/v1/throughput", None).await;
    assert_eq!(status, 200, "{own}");
    let process = &own["processes"][0];
    assert_eq!(process["process_id"], "residence-extension");
    assert_eq!(process["case"]["measured"], 6);
    // Whole cases took 36..86 hours: median (nearest rank) the third, p90 the sixth.
    assert_eq!(process["case"]["median_seconds"], (30 + 26) * 3600);
    assert_eq!(process["case"]["p90_seconds"], (60 + 26) * 3600);
    let intake = process["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "intake")
        .unwrap();
    // Entering intake to leaving it (the take in between does not end the stay).
    assert_eq!(intake["figures"]["measured"], 6);
    assert_eq!(intake["figures"]["median_seconds"], 30 * 3600);
    let bt = app.token(&bielefeld).await;
    let (_, theirs) = call(&app, &bt, "GET", "/api/v1/throughput", None).await;
    assert_eq!(
        theirs["processes"][0]["case"]["measured"], 2,
        "an authority sees its own small groups"
    );

    // The test clock stands still while TOTP steps pass, so every sign-in below is a person of
    // its own (one code each, never the next step of the same person).
    let html = {
        let reader = app.staff("abh-hamm", Role::Approver).await;
        let (browser, _) = signed_in_browser(&app, &reader).await;
        browser
            .get(app.url("/workspace/throughput"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(
        html.contains("2,3"),
        "the median case of 56 hours reads 2,3 days"
    );

    let mt = app.token(&analyst).await;
    assert_eq!(
        call(&app, &ht, "GET", "/api/v1/ministry/throughput", None)
            .await
            .0,
        403
    );
    let (status, ministry) = call(&app, &mt, "GET", "/api/v1/ministry/throughput", None).await;
    assert_eq!(status, 200, "{ministry}");
    let authorities = ministry["authorities"].as_array().unwrap();
    assert_eq!(
        authorities.len(),
        1,
        "Bielefeld's two cases are below the minimum: {ministry}"
    );
    let hamm_name = amtsweg_store::tenants::get(app.state.db.connection(), hamm.tenant.0)
        .await
        .unwrap()
        .name;
    let bielefeld_name = amtsweg_store::tenants::get(app.state.db.connection(), bielefeld.tenant.0)
        .await
        .unwrap()
        .name;
    assert_eq!(authorities[0]["authority"], hamm_name.as_str());
    assert_eq!(authorities[0]["processes"][0]["case"]["measured"], 6);
    assert!(ministry["suppressed_groups"].as_u64().unwrap() >= 4);
    let viewer = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let (browser, _) = signed_in_browser(&app, &viewer).await;
    let page = browser
        .get(app.url("/ministry/throughput"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains(&hamm_name));
    for text in [ministry.to_string(), page] {
        assert!(
            !text.contains(&bielefeld_name),
            "a small group does not leave its authority"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "personal data in the ministry's view: {secret}"
            );
        }
    }
}

/// Signs in through the real pages and waits for the landing page `landing`.
async fn chromium_sign_in(
    browser: &crate::browser::Browser,
    app: &TestApp,
    staff: &crate::support::Staff,
    landing: &str,
) {
    browser.client.delete_all_cookies().await.unwrap();
    browser.client.goto(&app.url("/sign-in")).await.unwrap();
    browser.fill("email", &staff.email).await;
    browser.fill("password", &staff.password).await;
    browser.submit().await;
    browser.fill("code", &staff.code()).await;
    browser.submit().await;
    assert_eq!(browser.client.current_url().await.unwrap().path(), landing);
}

async fn click(browser: &crate::browser::Browser, css: &str) {
    browser
        .client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css}: {err}"))
        .click()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
}

#[tokio::test]
async fn the_case_administration_pages_in_chromium_with_axe() {
    let app = TestApp::spawn().await;
    let admin = app.staff("abh-essen", Role::TenantAdmin).await;
    let analyst = app.staff("mhkbd", Role::MinistryAnalyst).await;
    let browser = crate::browser::Browser::start().await;
    let mut violations = Vec::new();
    let mut check = |page: &str, found: Vec<String>| {
        violations.extend(found.into_iter().map(|v| format!("{page}: {v}")));
    };

    chromium_sign_in(&browser, &app, &admin, "/workspace").await;
    browser
        .client
        .goto(&app.url("/workspace/processes"))
        .await
        .unwrap();
    check("/workspace/processes", browser.axe().await);
    click(
        &browser,
        "form[action='/workspace/processes/settlement-permit/adopt']:has(input[value='variant']) button",
    )
    .await;
    assert_eq!(
        browser.client.current_url().await.unwrap().path(),
        "/workspace/processes/settlement-permit"
    );
    check("variant form", browser.axe().await);
    browser.fill("deadline_days", "5000").await;
    click(&browser, "main form button[type='submit']").await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("id=\"field-deadline_days-error\""),
        "the error sits at its field"
    );
    check("variant form (error)", browser.axe().await);
    browser.fill("deadline_days", "80").await;
    click(&browser, "main form button[type='submit']").await;
    assert!(
        browser
            .client
            .source()
            .await
            .unwrap()
            .contains("flash-success")
    );
    browser.screenshot("case-admin-variant.png").await;

    browser
        .client
        .goto(&app.url("/workspace/file-plan"))
        .await
        .unwrap();
    check("/workspace/file-plan", browser.axe().await);
    click(&browser, "form:has(input[name='op'][value='copy']) button").await;
    // Each row's remove form carries a hidden `position`: the edit form's inputs go by id.
    for (id, value) in [
        ("#field-position", "01"),
        ("#field-title", "Allgemeines, ohne Zuordnung"),
    ] {
        let field = browser
            .client
            .find(fantoccini::Locator::Css(id))
            .await
            .unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }
    click(&browser, "form:has(input[name='op'][value='save']) button").await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("id=\"h-gaps\""),
        "the missing mapping is shown"
    );
    check("/workspace/file-plan (gaps)", browser.axe().await);
    browser.screenshot("case-admin-file-plan.png").await;

    browser
        .client
        .goto(&app.url("/workspace/throughput"))
        .await
        .unwrap();
    check("/workspace/throughput", browser.axe().await);

    chromium_sign_in(&browser, &app, &analyst, "/ministry").await;
    browser
        .client
        .goto(&app.url("/ministry/throughput"))
        .await
        .unwrap();
    check("/ministry/throughput", browser.axe().await);
    browser
        .client
        .goto(&app.url("/ministry/processes"))
        .await
        .unwrap();
    check("/ministry/processes", browser.axe().await);
    click(&browser, "main form button[type='submit']").await;
    let page = browser.client.source().await.unwrap();
    assert!(
        page.contains("id=\"field-definition-error\""),
        "an empty definition is refused at its field"
    );
    check("/ministry/processes (error)", browser.axe().await);
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
}
