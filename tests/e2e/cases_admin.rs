//! Case administration end to end: the retention listing's pre-filter.

use std::collections::BTreeSet;
use std::sync::Arc;

use amtsweg_cases::retention::Rules;
use amtsweg_domain::Role;
use amtsweg_domain::clock::{Clock, FixedClock};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, client};

async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

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
