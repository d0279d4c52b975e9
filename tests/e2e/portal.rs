//! The applicant portal end to end (issue 4): register by mail, find the service and the
//! responsible authority, fill the form (a wrong value, then the right one), upload evidence, pay
//! through the ePayBL simulator (declined, then paid with a doubled callback), submit twice with
//! the same key, receive the mail, and see the application in the clerk's inbox. Abuse: oversize
//! and wrong-type uploads, path tricks, a forged callback, a replayed submission. Appointments are
//! never double-booked under parallel requests against PostgreSQL.

use std::collections::BTreeMap;

use amtsweg_domain::Role;
use amtsweg_store::intake as repo;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{
    AppOptions, TestApp, browser_client, client, csrf_from, find_link, mail_text, signed_in_browser,
};

const PASSWORD: &str = "ein sehr langes passwort";

pub(crate) fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The value of the first `<input … name="{name}" … value="…">` in a page.
pub(crate) fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no input {name}"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[tag_start..tag_end];
    let v = tag
        .find("value=\"")
        .unwrap_or_else(|| panic!("{name} has no value: {tag}"));
    let rest = &tag[v + 7..];
    rest[..rest.find('"').unwrap()].replace("&amp;", "&")
}

async fn count(app: &TestApp, sql: &str, id: Uuid) -> i64 {
    let admin = app.db.admin().await;
    admin
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

/// Registers, confirms through the mail on the SMTP server and signs in.
async fn register(app: &TestApp, email: &str, lang: &str) -> (reqwest::Client, String) {
    let browser = browser_client();
    let page = browser
        .get(app.url(&format!("/portal/register?lang={lang}")))
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
            ("display_name", "Applicant"),
            ("password", PASSWORD),
            ("language", lang),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    let mails = app.smtp.as_ref().unwrap().wait_for(1).await;
    let mail = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains("/portal/confirm/"))
        .unwrap();
    let link = find_link(&mail, "http://127.0.0.1/portal/confirm/");
    let confirmed = browser
        .get(app.url(link.trim_start_matches("http://127.0.0.1")))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let signed_in = browser
        .post(app.url("/portal/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    (browser, csrf)
}

/// Starts a draft of `service` at the authority for `place`; returns the draft's base path.
pub(crate) async fn start(
    app: &TestApp,
    browser: &reqwest::Client,
    csrf: &str,
    service: &str,
    place: &str,
) -> (Uuid, String) {
    let page = browser
        .get(app.url(&format!("/portal/services/{service}?place={place}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let tenant = input_value(&html, "tenant");
    let started = browser
        .post(app.url(&format!("/portal/services/{service}/start")))
        .form(&[("tenant", tenant.as_str()), ("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let to = location(&started);
    assert!(to.ends_with("/steps/0"), "{to}");
    (
        Uuid::parse_str(&tenant).unwrap(),
        to.trim_end_matches("/steps/0").to_owned(),
    )
}

pub(crate) async fn post_step(
    app: &TestApp,
    browser: &reqwest::Client,
    base: &str,
    step: usize,
    fields: &[(&str, &str)],
    csrf: &str,
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", csrf));
    form.push(("intent", "next"));
    browser
        .post(app.url(&format!("{base}/steps/{step}")))
        .form(&form)
        .send()
        .await
        .unwrap()
}

/// A multipart body as a browser sends it: text fields and at most one file (`file`).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> (String, Vec<u8>) {
    let boundary = "----amtswegtestboundary7MA4YWxk";
    let mut body = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn upload(
    app: &TestApp,
    browser: &reqwest::Client,
    base: &str,
    csrf: &str,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    // A hand-built multipart body, as a browser sends it (the name is the attacker's choice).
    let boundary = "----amtswegtestboundary7MA4YWxk";
    let mut body = Vec::new();
    for (field, value) in [("csrf", csrf), ("evidence_key", kind)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser
        .post(app.url(&format!("{base}/evidence")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

pub(crate) fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

/// Goes through the simulator with `action`; returns to the review page.
pub(crate) async fn pay(
    app: &TestApp,
    browser: &reqwest::Client,
    base: &str,
    csrf: &str,
    action: &str,
) {
    let started = browser
        .post(app.url(&format!("{base}/pay")))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let provider = location(&started);
    assert!(provider.starts_with("/sim/epaybl/pay?"), "{provider}");
    let page = browser.get(app.url(&provider)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let mut form: Vec<(String, String)> = [
        "reference",
        "amount_cents",
        "purpose",
        "return_url",
        "signature",
    ]
    .iter()
    .map(|n| ((*n).to_owned(), input_value(&html, n)))
    .collect();
    form.push(("action".into(), action.into()));
    let decided = browser
        .post(app.url("/sim/epaybl/pay"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 303);
    let back = location(&decided);
    assert!(back.contains("/payment-return?payment="), "{back}");
    let returned = browser.get(app.url(&back)).send().await.unwrap();
    assert_eq!(returned.status(), 303);
}

#[tokio::test]
async fn an_applicant_applies_pays_and_the_clerk_receives_it() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let (browser, csrf) = register(&app, "amina.portal@example.org", "de").await;

    let list = browser
        .get(app.url("/portal/services"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(
        list.contains("Verlängerung der Aufenthaltserlaubnis") && list.contains("Einbürgerung")
    );

    // An unknown place is an error next to the field.
    let unknown = browser
        .get(app.url("/portal/services/residence-extension?place=Atlantis"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 422);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("aria-invalid=\"true\"")
    );

    let (tenant, base) = start(&app, &browser, &csrf, "residence-extension", "Bielefeld").await;
    assert_eq!(tenant, app.tenant_id("abh-bielefeld").await.0);
    let admin = app.db.admin().await;
    let services = admin
        .connection()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) FROM intake_services",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(services, 5, "the catalog is stored as data");

    // A wrong value first, then the right one.
    let person = [
        ("family_name", "Ahmadi"),
        ("given_names", "Amina"),
        ("date_of_birth", "23.04.1990"),
        ("nationality", "syrisch"),
        ("passport_number", "N1234567"),
    ];
    let wrong = post_step(&app, &browser, &base, 0, &person, &csrf).await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Bitte geben Sie ein Datum im Format JJJJ-MM-TT ein."));
    assert!(html.contains("id=\"field-date_of_birth-error\""));
    assert!(html.contains("value=\"Ahmadi\""), "entered values are kept");
    let mut person = person.to_vec();
    person[2] = ("date_of_birth", "1990-04-23");
    let right = post_step(&app, &browser, &base, 0, &person, &csrf).await;
    assert_eq!(right.status(), 303);
    assert!(location(&right).ends_with("/steps/1"));
    let address = [
        ("street", "Niederwall 23"),
        ("postal_code", "33602"),
        ("municipality", "Bielefeld"),
    ];
    let r = post_step(&app, &browser, &base, 1, &address, &csrf).await;
    assert_eq!(r.status(), 303);
    // Conditional field: employment needs the employer.
    let stay = [
        ("permit_expiry", "2027-01-31"),
        ("purpose", "employment"),
        ("duration", "long"),
        ("protection_status", "none"),
    ];
    let missing_employer = post_step(&app, &browser, &base, 2, &stay, &csrf).await;
    assert_eq!(missing_employer.status(), 422);
    let mut stay = stay.to_vec();
    stay.push(("employer", "Stadtwerke Bielefeld"));
    let r = post_step(&app, &browser, &base, 2, &stay, &csrf).await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("/review"));

    let review = browser
        .get(app.url(&format!("{base}/review")))
        .send()
        .await
        .unwrap();
    assert_eq!(review.status(), 200);
    let review = review.text().await.unwrap();
    assert!(review.contains("93.00"), "fee from the catalogue");
    let key = input_value(&review, "idempotency_key");

    // Abuse: wrong type, oversize, path tricks.
    let exe = upload(
        &app,
        &browser,
        &base,
        &csrf,
        "passport",
        "pass.pdf",
        b"MZ\x90\x00evil".to_vec(),
    )
    .await;
    assert_eq!(exe.status(), 422);
    assert!(
        exe.text()
            .await
            .unwrap()
            .contains("Nur PDF-, JPEG- und PNG-Dateien sind erlaubt.")
    );
    let mut big = pdf("big");
    big.resize(10 * 1024 * 1024 + 10, b' ');
    let large = upload(&app, &browser, &base, &csrf, "passport", "big.pdf", big).await;
    assert_eq!(large.status(), 422);
    assert!(
        large
            .text()
            .await
            .unwrap()
            .contains("Die Datei ist zu groß.")
    );
    let wrong_kind = upload(
        &app,
        &browser,
        &base,
        &csrf,
        "../../secret",
        "x.pdf",
        pdf("x"),
    )
    .await;
    assert_eq!(wrong_kind.status(), 422);
    let draft_id = Uuid::parse_str(base.rsplit('/').next().unwrap()).unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM evidence_documents WHERE draft_id = $1",
            draft_id
        )
        .await,
        0,
        "refused uploads store nothing"
    );
    let tricky = upload(
        &app,
        &browser,
        &base,
        &csrf,
        "passport",
        "../../../etc/passwd.pdf",
        pdf("passport"),
    )
    .await;
    assert_eq!(tricky.status(), 303);
    let photo = upload(
        &app,
        &browser,
        &base,
        &csrf,
        "photo",
        "foto.jpg",
        vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
    )
    .await;
    assert_eq!(photo.status(), 303);
    let contract = upload(
        &app,
        &browser,
        &base,
        &csrf,
        "employment-contract",
        "vertrag.pdf",
        pdf("contract"),
    )
    .await;
    assert_eq!(contract.status(), 303);

    // Not paid yet: submitting is refused and changes nothing.
    let unpaid = browser
        .post(app.url(&format!("{base}/submit")))
        .form(&[("csrf", csrf.as_str()), ("idempotency_key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(unpaid.status(), 422);
    assert!(
        unpaid
            .text()
            .await
            .unwrap()
            .contains("Die Gebühr ist noch nicht bezahlt.")
    );

    // Declined, then paid with a doubled callback.
    pay(&app, &browser, &base, &csrf, "decline").await;
    pay(&app, &browser, &base, &csrf, "double").await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM payments WHERE draft_id = $1 AND state = 'paid'",
            draft_id
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM payments WHERE draft_id = $1 AND state = 'declined'",
            draft_id
        )
        .await,
        1
    );
    let paid_id: Uuid = app
        .db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM payments WHERE draft_id = $1 AND state = 'paid'",
            [draft_id.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM payment_events WHERE payment_id = $1",
            paid_id
        )
        .await,
        1,
        "the doubled callback was recorded once"
    );

    // A forged callback that would turn the paid payment into a declined one: refused.
    let forged = client()
        .post(app.url("/api/v1/payments/epaybl/callback"))
        .form(&[
            ("reference", format!("{tenant}.{paid_id}")),
            ("txn", "X".into()),
            ("event", "EV-forged".into()),
            ("outcome", "declined".into()),
            ("amount_cents", "9300".into()),
            ("signature", "00".repeat(32)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM payments WHERE id = $1 AND state = 'paid'",
            paid_id
        )
        .await,
        1
    );

    // Double submission with the same key: one application.
    let submit = || {
        browser
            .post(app.url(&format!("{base}/submit")))
            .form(&[("csrf", csrf.as_str()), ("idempotency_key", key.as_str())])
            .send()
    };
    let (first, second) = tokio::join!(submit(), submit());
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (303, 303)
    );
    assert_eq!(location(&first), location(&second));
    let app_path = location(&first);
    let application = Uuid::parse_str(app_path.rsplit('/').next().unwrap()).unwrap();
    // A replay with another key after reloading: still the same application.
    let replay = browser
        .post(app.url(&format!("{base}/submit")))
        .form(&[("csrf", csrf.as_str()), ("idempotency_key", "another-key")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replay), app_path);
    let applicant_id: Uuid = app
        .db
        .admin()
        .await
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT applicant_id FROM applications WHERE id = $1",
            [application.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM applications WHERE applicant_id = $1",
            applicant_id
        )
        .await,
        1
    );

    let status = browser.get(app.url(&app_path)).send().await.unwrap();
    assert_eq!(status.status(), 200);
    let status = status.text().await.unwrap();
    assert!(status.contains("Eingegangen") && status.contains("passwd.pdf"));

    // The PDF receipt, in German and in Arabic.
    for lang in ["de", "ar"] {
        let receipt = browser
            .get(app.url(&format!("{app_path}/receipt?lang={lang}")))
            .send()
            .await
            .unwrap();
        assert_eq!(receipt.status(), 200);
        assert_eq!(receipt.headers()["content-type"], "application/pdf");
        let bytes = receipt.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n"));
    }

    // The confirmation mail: no personal data.
    let mails = app.smtp.as_ref().unwrap().wait_for(2).await;
    let received = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains("/portal/applications/"))
        .expect("confirmation mail");
    for secret in ["Ahmadi", "Amina", "N1234567", "Niederwall"] {
        assert!(!received.contains(secret), "mail leaks {secret}");
    }

    // The clerk of the responsible authority sees it with structured data and evidence.
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let (staff_browser, _) = signed_in_browser(&app, &clerk).await;
    let inbox = staff_browser
        .get(app.url("/workspace/intake"))
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), 200);
    let inbox = inbox.text().await.unwrap();
    let sub = {
        let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
        let sub = repo::submitted_application(&tx, application).await.unwrap();
        tx.commit().await.unwrap();
        sub
    };
    assert!(inbox.contains(&sub.reference));
    assert_eq!(sub.form_data["family_name"], "Ahmadi");
    assert_eq!(sub.form_data["employer"], "Stadtwerke Bielefeld");
    assert_eq!(sub.evidence.len(), 3);
    assert_eq!(sub.paid_cents, 9300);
    assert!(
        sub.evidence
            .iter()
            .all(|e| e.sha256.len() == 64 && e.object_key.starts_with("evidence/"))
    );
    let detail = staff_browser
        .get(app.url(&format!("/workspace/intake/{application}")))
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), 200);
    let detail = detail.text().await.unwrap();
    assert!(detail.contains("Ahmadi") && detail.contains("Stadtwerke Bielefeld"));
    let doc = sub
        .evidence
        .iter()
        .find(|e| e.file_name == "passwd.pdf")
        .unwrap();
    let download = staff_browser
        .get(app.url(&format!(
            "/workspace/intake/{application}/evidence/{}",
            doc.id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(
        download.bytes().await.unwrap().as_ref(),
        pdf("passport").as_slice()
    );
    let token = app.token(&clerk).await;
    let api: Value = client()
        .get(app.url(&format!("/api/v1/intake/applications/{application}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["form_data"]["passport_number"], "N1234567");

    // Another tenant's clerk: not found, page and API.
    let other = app.staff("abh-kreis-borken", Role::Clerk).await;
    let other_token = app.token(&other).await;
    let denied = client()
        .get(app.url(&format!("/api/v1/intake/applications/{application}")))
        .bearer_auth(&other_token)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 404);
    let (other_browser, _) = signed_in_browser(&app, &other).await;
    let page = other_browser
        .get(app.url(&format!("/workspace/intake/{application}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let other_inbox = other_browser
        .get(app.url("/workspace/intake"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!other_inbox.contains(&sub.reference));

    // Messages both ways: a request with a due date, a mail without personal data, an answer.
    let (staff_csrf_page, staff_csrf) = {
        let html = staff_browser
            .get(app.url(&format!("/workspace/intake/{application}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let c = csrf_from(&html);
        (html, c)
    };
    assert!(staff_csrf_page.contains("field-due"));
    let sent = staff_browser
        .post(app.url(&format!("/workspace/intake/{application}/messages")))
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("body", "Bitte reichen Sie den Mietvertrag nach."),
            ("due", "2099-01-31"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let mails = app.smtp.as_ref().unwrap().wait_for(3).await;
    let note = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains("neue Nachricht"))
        .expect("notification mail");
    assert!(!note.contains("Mietvertrag") && !note.contains("Ahmadi"));
    let status = browser
        .get(app.url(&app_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("Mietvertrag") && status.contains("2099-01-31"));
    // The answer carries a document, checked like evidence: a wrong type is refused next to the
    // field and stores nothing; then the rental contract as a PDF.
    let reply = |bytes: Vec<u8>, name: &str| {
        let (content_type, body) = multipart(
            &[("csrf", csrf.as_str()), ("body", "Anbei der Mietvertrag.")],
            Some((name, bytes)),
        );
        browser
            .post(app.url(&format!("{app_path}/messages")))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let refused = reply(b"MZ\x90\x00 not a pdf".to_vec(), "vertrag.pdf")
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"field-reply-file-error\"") && html.contains("PDF-, JPEG- und PNG"));
    assert_eq!(
        count(&app, "SELECT count(*) FROM application_messages WHERE application_id = $1 AND direction = 'from_applicant'", application).await,
        0
    );
    let answered = reply(pdf("Mietvertrag"), "../../Mietvertrag Ahmadi.pdf")
        .await
        .unwrap();
    assert_eq!(answered.status(), 303);
    // Staff: the clerk who asked gets a mail without personal data, the inbox shows the marker.
    let mails = app.smtp.as_ref().unwrap().wait_for(4).await;
    let staff_note = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains(&format!("/workspace/intake/{application}")))
        .expect("staff notification mail");
    assert!(!staff_note.contains("Mietvertrag") && !staff_note.contains("Ahmadi"));
    let inbox = staff_browser
        .get(app.url("/workspace/intake"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(inbox.contains("1 neu"), "inbox marker");
    let detail = staff_browser
        .get(app.url(&format!("/workspace/intake/{application}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("Anbei der Mietvertrag.") && detail.contains("Angehängte Dokumente"));
    let replies = &detail[detail.find("Angehängte Dokumente").unwrap()..];
    let doc_link = find_link(
        replies,
        &format!("/workspace/intake/{application}/evidence/"),
    );
    assert!(
        detail.contains(">Mietvertrag Ahmadi.pdf<"),
        "sanitized name"
    );
    let downloaded = staff_browser.get(app.url(&doc_link)).send().await.unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(
        downloaded.bytes().await.unwrap().to_vec(),
        pdf("Mietvertrag")
    );
    let inbox = staff_browser
        .get(app.url("/workspace/intake"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !inbox.contains("1 neu"),
        "opening the application clears the marker"
    );

    // Pickup: a code for the pickup box, shown to staff once and to the applicant in the portal.
    let issued = staff_browser
        .post(app.url(&format!("/workspace/intake/{application}/pickup")))
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("location", "Dokumentenausgabebox Niederwall"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 200);
    let status = browser
        .get(app.url(&app_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("Dokumentenausgabebox Niederwall"));
}

#[tokio::test]
async fn parallel_bookings_never_double_book() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let (browser, csrf) = register(&app, "booker@example.org", "en").await;
    let (tenant, _base) = start(&app, &browser, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let hours: Vec<Value> = (1..=7)
        .map(|d| json!({ "weekday": d, "opens": "00:00", "closes": "23:30", "slot_minutes": 30 }))
        .collect();
    let created = client()
        .post(app.url("/api/v1/intake/resources"))
        .bearer_auth(&token)
        .json(&json!({ "kind": "counter", "name": "Schalter 1", "hours": hours }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let slots: Vec<Value> = browser
        .get(app.url(&format!("/api/v1/portal/slots?tenant_id={tenant}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!slots.is_empty());
    let slot = &slots[0];
    let body = json!({
        "tenant_id": tenant,
        "resource_id": slot["resource_id"],
        "starts_at": slot["starts_at"],
    });
    let requests = (0..24).map(|_| {
        browser
            .post(app.url("/api/v1/portal/appointments"))
            .header("x-csrf-token", csrf.as_str())
            .json(&body)
            .send()
    });
    let results = futures_like_join_all(requests).await;
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for r in results {
        *by_status.entry(r.unwrap().status().as_u16()).or_default() += 1;
    }
    assert_eq!(by_status.get(&201), Some(&1), "{by_status:?}");
    assert_eq!(by_status.get(&409), Some(&23), "{by_status:?}");

    // The same at the store level: many transactions racing for one slot.
    let resource = Uuid::parse_str(slot["resource_id"].as_str().unwrap()).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339(slots[1]["starts_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let tenant_id = amtsweg_domain::TenantId(tenant);
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let db = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            let tx = db.tenant(tenant_id).await.unwrap();
            let booked = repo::book(
                &tx,
                resource,
                start,
                start + chrono::Duration::minutes(30),
                Uuid::now_v7(),
                None,
                chrono::Utc::now(),
            )
            .await;
            if booked.is_ok() {
                tx.commit().await.unwrap();
            }
            booked.is_ok()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() {
            ok += 1;
        }
    }
    assert_eq!(ok, 1);
    let tx = app.state.db.tenant(tenant_id).await.unwrap();
    let booked = repo::booked_between(&tx, start, start + chrono::Duration::minutes(1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(booked.len(), 1);

    // The authority's own hints on the statewide service, and a service it does not offer.
    let set = client()
        .put(app.url("/api/v1/intake/services/fiktionsbescheinigung/settings"))
        .bearer_auth(&token)
        .json(&json!({ "active": true, "hints": "Bitte bringen Sie Ihren Pass mit.", "opening_hours": "Mo–Fr 8–12 Uhr" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let page = browser
        .get(app.url("/portal/services/fiktionsbescheinigung?place=Bielefeld"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Bitte bringen Sie Ihren Pass mit.") && page.contains("Mo–Fr 8–12 Uhr"));
    let off = client()
        .put(app.url("/api/v1/intake/services/declaration-of-commitment/settings"))
        .bearer_auth(&token)
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 204);
    let refused = browser
        .post(app.url("/portal/services/declaration-of-commitment/start"))
        .form(&[
            ("tenant", tenant.to_string().as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
}

/// The tenant admin's page for services and resources: errors next to the fields, then valid
/// settings that the portal shows; an applicant books a resource's slot (Europe/Berlin) and staff
/// see who comes when in the day view; every change and the day read are audited.
#[tokio::test]
async fn the_admin_configures_services_and_resources_and_staff_see_the_day() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let (staff, staff_csrf) = signed_in_browser(&app, &admin).await;
    let page = staff
        .get(app.url("/workspace/intake/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Leistungen des Landeskatalogs") && html.contains("Fiktionsbescheinigung")
    );
    assert!(html.contains("href=\"/workspace/intake/settings/services/fiktionsbescheinigung\""));

    // A service: a wrong choice and a hint that is too long, each error next to its field.
    let action = app.url("/workspace/intake/settings/services/fiktionsbescheinigung");
    let long = "x".repeat(2001);
    let refused = staff
        .post(&action)
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("active", "maybe"),
            ("hints", long.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"field-active-error\"") && html.contains("id=\"field-hints-error\"")
    );
    assert!(html.contains("Der Text ist zu lang."));
    let saved = staff
        .post(&action)
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("active", "yes"),
            ("hints", "Bringen Sie den Pass mit."),
            ("contact", "Raum 101, Tel. 0521 51-0"),
            ("opening_hours", "Mo–Fr 8–12 Uhr"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let off = staff
        .post(app.url("/workspace/intake/settings/services/declaration-of-commitment"))
        .form(&[("csrf", staff_csrf.as_str()), ("active", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 303);
    let token = app.token(&admin).await;
    let settings: Value = client()
        .get(app.url("/api/v1/intake/settings"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let service = |key: &str| {
        settings["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        service("fiktionsbescheinigung")["hints"],
        "Bringen Sie den Pass mit."
    );
    assert_eq!(service("declaration-of-commitment")["active"], false);
    assert_eq!(service("settlement-permit")["active"], true);
    // The API refuses the same input with the same keys.
    let bad = client()
        .put(app.url("/api/v1/intake/services/fiktionsbescheinigung/settings"))
        .bearer_auth(&token)
        .json(&json!({ "active": true, "contact": "a\u{7}b" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("intake-error-characters")
    );

    // A resource: errors per field and weekday, then a counter open Monday to Friday 08:00–12:00.
    let refused = staff
        .post(app.url("/workspace/intake/settings/resources"))
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("kind", "interpreter"),
            ("name", "Dolmetscherin"),
            ("languages", ""),
            ("h1-opens", "8"),
            ("h1-closes", "12:00"),
            ("h1-slot", "30"),
            ("h2-opens", "12:00"),
            ("h2-closes", "08:00"),
            ("h2-slot", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    for id in [
        "field-languages-error",
        "field-h1-opens-error",
        "field-h2-closes-error",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(
        html.contains("value=\"Dolmetscherin\""),
        "the entered name is kept"
    );
    let mut form = vec![
        ("csrf".to_owned(), staff_csrf.clone()),
        ("kind".to_owned(), "counter".to_owned()),
        ("name".to_owned(), "Schalter 7".to_owned()),
    ];
    for d in 1..=5 {
        form.push((format!("h{d}-opens"), "08:00".into()));
        form.push((format!("h{d}-closes"), "12:00".into()));
        form.push((format!("h{d}-slot"), "30".into()));
    }
    let added = staff
        .post(app.url("/workspace/intake/settings/resources"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let settings: Value = client()
        .get(app.url("/api/v1/intake/settings"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counter = settings["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Schalter 7")
        .cloned()
        .unwrap();
    assert_eq!(counter["hours"].as_array().unwrap().len(), 5);
    let resource = counter["id"].as_str().unwrap().to_owned();

    // The portal shows the authority's texts; the applicant books the counter's first slot.
    let (browser, csrf) = register(&app, "day@example.org", "de").await;
    let (tenant, _base) = start(&app, &browser, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let service_page = browser
        .get(app.url("/portal/services/fiktionsbescheinigung?place=Bielefeld"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        service_page.contains("Bringen Sie den Pass mit.") && service_page.contains("Raum 101")
    );
    let slots: Vec<Value> = browser
        .get(app.url(&format!("/api/v1/portal/slots?tenant_id={tenant}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let local_start = |s: &Value| {
        amtsweg_intake::appointments::local(
            chrono::DateTime::parse_from_rfc3339(s["starts_at"].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc),
        )
    };
    let counter_slots: Vec<&Value> = slots
        .iter()
        .filter(|s| s["resource_id"] == resource.as_str())
        .collect();
    // Opening hours are German local time, whatever the season.
    assert!(counter_slots.iter().all(|s| {
        let t = local_start(s).format("%H:%M").to_string();
        t.as_str() >= "08:00" && t.as_str() <= "11:30"
    }));
    let slot = counter_slots
        .iter()
        .find(|s| local_start(s).format("%H:%M").to_string() == "08:00")
        .copied()
        .unwrap()
        .clone();
    let local = local_start(&slot);
    let booked = browser
        .post(app.url("/api/v1/portal/appointments"))
        .header("x-csrf-token", csrf.as_str())
        .json(&json!({ "tenant_id": tenant, "resource_id": resource, "starts_at": slot["starts_at"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);

    // Staff see who comes when, on the page and over the API.
    let date = local.format("%Y-%m-%d").to_string();
    let day = staff
        .get(app.url(&format!(
            "/workspace/intake/day?resource={resource}&date={date}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(day.status(), 200);
    let html = day.text().await.unwrap();
    assert!(html.contains("<caption") && html.contains("Schalter 7"));
    assert!(html.contains("08:00–08:30") && html.contains("Applicant"));
    let bad_date = staff
        .get(app.url(&format!(
            "/workspace/intake/day?resource={resource}&date=morgen"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_date.status(), 422);
    assert!(
        bad_date
            .text()
            .await
            .unwrap()
            .contains("id=\"field-date-error\"")
    );
    let entries: Vec<Value> = client()
        .get(app.url(&format!(
            "/api/v1/intake/day?resource={resource}&date={date}"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["local_time"], "08:00–08:30");

    // Taking the counter out of service removes its slots; the booking stays.
    let removed = staff
        .post(app.url(&format!(
            "/workspace/intake/settings/resources/{resource}/deactivate"
        )))
        .form(&[("csrf", staff_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    let slots: Vec<Value> = browser
        .get(app.url(&format!("/api/v1/portal/slots?tenant_id={tenant}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(slots.iter().all(|s| s["resource_id"] != resource.as_str()));
    let again = client()
        .delete(app.url(&format!("/api/v1/intake/resources/{resource}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);

    // A clerk may see the day but not change the settings.
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let clerk_token = app.token(&clerk).await;
    let denied = client()
        .get(app.url("/api/v1/intake/settings"))
        .bearer_auth(&clerk_token)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);

    let audited = count(
        &app,
        "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action IN \
         ('intake.service.settings', 'appointment.resource.created', \
          'appointment.resource.deactivated', 'appointment.day.read')",
        tenant,
    )
    .await;
    assert_eq!(
        audited,
        2 + 1 + 1 + 2,
        "two services, one resource, one removal, two day reads"
    );
}

/// A booked appointment within the next day gets one reminder mail (no personal data) through the
/// hourly durable job; scheduling the same hour again or rerunning the handler mails nothing more.
#[tokio::test]
async fn appointments_are_reminded_once() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let (browser, csrf) = register(&app, "reminded@example.org", "tr").await;
    let (tenant, _base) = start(&app, &browser, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let admin = app.staff("abh-bielefeld", Role::TenantAdmin).await;
    let token = app.token(&admin).await;
    let hours: Vec<Value> = (1..=7)
        .map(|d| json!({ "weekday": d, "opens": "00:00", "closes": "23:30", "slot_minutes": 30 }))
        .collect();
    let created = client()
        .post(app.url("/api/v1/intake/resources"))
        .bearer_auth(&token)
        .json(&json!({ "kind": "counter", "name": "Schalter 2", "hours": hours }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let slots: Vec<Value> = browser
        .get(app.url(&format!("/api/v1/portal/slots?tenant_id={tenant}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let booked = browser
        .post(app.url("/api/v1/portal/appointments"))
        .header("x-csrf-token", csrf.as_str())
        .json(&json!({ "tenant_id": tenant, "resource_id": slots[0]["resource_id"], "starts_at": slots[0]["starts_at"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let appointment = Uuid::parse_str(
        booked.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap(),
    )
    .unwrap();

    assert!(amtsweg_jobs::reminders::schedule(&app.state).await.unwrap());
    assert!(
        !amtsweg_jobs::reminders::schedule(&app.state).await.unwrap(),
        "one job per hour"
    );
    // The serve's own workers may claim it first; either way it runs once.
    while amtsweg_jobs::run_one(&app.state).await.unwrap() {}
    let mails = app.smtp.as_ref().unwrap().wait_for(2).await;
    let reminder = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains("randevunuz var"))
        .expect("reminder mail in Turkish");
    assert!(reminder.contains("/portal/applications"));
    // The mail names no one and nothing but the link (the recipient is only in the header).
    assert!(!reminder.contains("Applicant") && !reminder.contains("Schalter"));
    for _ in 0..50 {
        if count(
            &app,
            "SELECT count(*) FROM appointments WHERE id = $1 AND reminded_at IS NOT NULL",
            appointment,
        )
        .await
            == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        amtsweg_http::routes::portal_intake::send_appointment_reminders(
            &app.state,
            amtsweg_domain::TenantId(tenant)
        )
        .await
        .unwrap(),
        0,
        "reminded once"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM mail_outbox WHERE body_text LIKE '%randevunuz var%' AND $1::uuid IS NOT NULL", appointment).await,
        1
    );
}

/// Runs futures concurrently and collects their results in order.
async fn futures_like_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// Headless Chromium through WebDriver (the harness of `browser.rs`), for the portal walk.
struct Chromium {
    client: fantoccini::Client,
    _driver: tokio::process::Child,
}

impl Chromium {
    async fn start() -> Self {
        use crate::support::{free_port, required_env, wait_for_port};
        let port = free_port();
        let driver = tokio::process::Command::new(required_env("AMTSWEG_CHROMEDRIVER"))
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        wait_for_port(port).await;
        let profile = std::env::temp_dir().join(format!("amtsweg-portal-chromium-{port}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": required_env("AMTSWEG_CHROMIUM"),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = fantoccini::ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap();
        Self {
            client,
            _driver: driver,
        }
    }

    async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(fantoccini::Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap_or_else(|err| panic!("field {name}: {err}"));
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    async fn choose(&self, name: &str, value: &str) {
        self.click(&format!("select[name='{name}'] option[value='{value}']"))
            .await;
    }

    async fn click(&self, css: &str) {
        self.client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("{css}: {err}"))
            .click()
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }

    async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(crate::support::artifacts_dir().join(name), png).unwrap();
    }

    /// Serious and critical WCAG 2.1 A/AA violations found by axe-core on the current page.
    async fn axe(&self) -> Vec<String> {
        let path = crate::support::required_env("AMTSWEG_AXE_JS");
        let source = std::fs::read_to_string(&path).unwrap();
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .unwrap();
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')), help: v.help }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', nodes: [], help: String(e) }]));",
                vec![],
            )
            .await
            .unwrap();
        let url = self.client.current_url().await.unwrap();
        result
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|v: &Value| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{}: {v}", url.path()))
            .collect()
    }

    async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Presses `keys` together (held in order, released in reverse) on the keyboard, wherever
    /// the focus is. Special keys are `fantoccini::key::Key`s as chars.
    async fn press(&self, keys: &[char]) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys {
            actions = actions.then(KeyAction::Down { value: *key });
        }
        for key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up { value: *key });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Types text on the keyboard, one key after the other, into whatever has the focus.
    async fn keys(&self, text: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Gives the focused file input its file, as the file dialog would (WebDriver's way: the
    /// path sent to the element).
    async fn choose_file(&self, path: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(path)
            .await
            .unwrap();
    }

    /// Presses Tab (or Shift+Tab) until the focus is on `css`. Every element on the way must
    /// show its focus (outline or the underline bar of links); a page where `css` cannot be
    /// reached fails.
    async fn tab_to(&self, css: &str, backwards: bool) {
        use fantoccini::key::Key;
        let keys: Vec<char> = if backwards {
            vec![Key::Shift.into(), Key::Tab.into()]
        } else {
            vec![Key::Tab.into()]
        };
        for _ in 0..120 {
            self.press(&keys).await;
            let focus = self
                .client
                .execute(
                    "const el = document.activeElement;
                     const s = getComputedStyle(el);
                     const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                         || s.boxShadow !== 'none';
                     return { hit: el.matches(arguments[0]), visible,
                              what: el.outerHTML.slice(0, 120), body: el === document.body };",
                    vec![json!(css)],
                )
                .await
                .unwrap();
            if focus["body"] == json!(true) {
                continue;
            }
            assert_eq!(
                focus["visible"],
                json!(true),
                "focus not visible on {}",
                focus["what"]
            );
            if focus["hit"] == json!(true) {
                return;
            }
        }
        panic!("{css} is not reachable with the keyboard");
    }

    /// Ctrl+A: selects what the focused field holds, so typing replaces it.
    async fn select_all(&self) {
        use fantoccini::key::Key;
        self.press(&[Key::Control.into(), 'a']).await;
    }

    /// Tabs to a field, selects what it holds and types `text` over it.
    async fn type_into(&self, css: &str, text: &str) {
        self.tab_to(css, false).await;
        self.select_all().await;
        self.keys(text).await;
    }

    /// Tabs to a select and moves through its options with the arrow keys until `value`.
    async fn choose_by_keys(&self, css: &str, value: &str) {
        use fantoccini::key::Key;
        self.tab_to(css, false).await;
        for key in [Key::Down, Key::Up] {
            for _ in 0..20 {
                let current = self
                    .client
                    .execute("return document.activeElement.value;", vec![])
                    .await
                    .unwrap();
                if current == json!(value) {
                    return;
                }
                self.press(&[key.into()]).await;
            }
        }
        panic!("{css} has no option {value}");
    }

    /// Presses Enter on the focused element and waits until the next page has loaded.
    async fn enter(&self) {
        use fantoccini::key::Key;
        self.client
            .execute("window.amtswegOldPage = true; return true;", vec![])
            .await
            .unwrap();
        self.press(&[Key::Enter.into()]).await;
        for _ in 0..200 {
            let loaded = self
                .client
                .execute(
                    "return window.amtswegOldPage === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .unwrap_or(json!(false));
            if loaded == json!(true) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("Enter did not lead to a new page");
    }
}

/// A whole application in Chromium as a new user would do it, with axe-core on every page.
async fn walk(lang: &str, email: &str) {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    // The account (registration by mail is covered above; here the browser signs in).
    let (_http, _) = register(&app, email, lang).await;
    let b = Chromium::start().await;
    let mut violations = Vec::new();
    b.client
        .goto(&app.url(&format!("/portal/sign-in?lang={lang}")))
        .await
        .unwrap();
    b.fill("email", email).await;
    b.fill("password", PASSWORD).await;
    b.click("main form button[type='submit']").await;

    b.client.goto(&app.url("/portal/services")).await.unwrap();
    if lang == "ar" {
        assert!(b.source().await.contains("dir=\"rtl\""));
    }
    violations.extend(b.axe().await);
    b.click("a[href='/portal/services/fiktionsbescheinigung']")
        .await;
    violations.extend(b.axe().await);
    b.fill("place", "Bielefeld").await;
    b.click("main form[method='get'] button").await;
    violations.extend(b.axe().await);
    b.click("form[action$='/start'] button").await;

    // Step 1 with a wrong date of birth, then the right one.
    b.fill("family_name", "Haddad").await;
    b.fill("given_names", "Omar").await;
    b.fill("date_of_birth", "1.2.1985").await;
    b.fill("nationality", "irakisch").await;
    b.fill("passport_number", "A7654321").await;
    b.click("button[value='next']").await;
    let page = b.source().await;
    assert!(page.contains("aria-invalid=\"true\""), "the error is shown");
    violations.extend(b.axe().await);
    b.shot(&format!("portal-{lang}-error.png")).await;
    b.fill("date_of_birth", "1985-02-01").await;
    b.click("button[value='next']").await;
    b.fill("street", "Niederwall 1").await;
    b.fill("postal_code", "33602").await;
    b.fill("municipality", "Bielefeld").await;
    b.click("button[value='next']").await;
    violations.extend(b.axe().await);
    b.fill("permit_expiry", "2027-03-31").await;
    b.choose("protection_status", "none").await;
    b.fill("reason", "Arbeitgeber verlangt einen Nachweis.")
        .await;
    b.click("button[value='next']").await;

    // Review: upload, pay, submit.
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/review")
    );
    violations.extend(b.axe().await);
    let dir = crate::support::TempDir::new("upload");
    let file = dir.path().join("pass.pdf");
    std::fs::write(&file, pdf("passport")).unwrap();
    for kind in ["passport", "photo"] {
        b.choose("evidence_key", kind).await;
        b.client
            .find(fantoccini::Locator::Css("input[type='file']"))
            .await
            .unwrap()
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
        b.click("form[action$='/evidence'] button").await;
    }
    b.click("form[action$='/pay'] button").await;
    violations.extend(b.axe().await);
    b.click("button[value='pay']").await;
    violations.extend(b.axe().await);
    b.shot(&format!("portal-{lang}-review.png")).await;
    b.click("form[action$='/submit'] button").await;
    let status_url = b.client.current_url().await.unwrap();
    assert!(
        status_url.path().starts_with("/portal/applications/"),
        "{status_url}"
    );
    violations.extend(b.axe().await);
    b.shot(&format!("portal-{lang}-status.png")).await;
    b.client
        .goto(&app.url("/portal/applications"))
        .await
        .unwrap();
    violations.extend(b.axe().await);

    // The mail arrived; the clerk sees the application.
    let mails = app.smtp.as_ref().unwrap().wait_for(2).await;
    assert!(
        mails
            .iter()
            .any(|m| mail_text(m).contains("/portal/applications/"))
    );
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let (staff_browser, _) = signed_in_browser(&app, &clerk).await;
    let inbox = staff_browser
        .get(app.url("/workspace/intake"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        inbox.contains("/workspace/intake/"),
        "the application is in the inbox"
    );
    let _ = b.client.clone().close().await;
    assert!(violations.is_empty(), "axe-core: {violations:#?}");
}

/// One application with the keyboard only: Tab and Shift+Tab move the focus (always visible),
/// Enter follows links and presses buttons, the arrow keys choose options, text is typed into
/// the focused field (WebDriver key actions, no clicks). The only navigation by address is the
/// first one, to the sign-in page; a file input gets its path as from the file dialog.
#[tokio::test]
async fn keyboard_only_walk_of_one_application() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let email = "keyboard@example.org";
    let _ = register(&app, email, "de").await;
    let b = Chromium::start().await;
    b.client
        .goto(&app.url("/portal/sign-in?lang=de"))
        .await
        .unwrap();
    b.type_into("[name='email']", email).await;
    b.type_into("[name='password']", PASSWORD).await;
    b.tab_to("main form button[type='submit']", false).await;
    b.enter().await;
    b.tab_to("a[href='/portal/applications']", false).await;
    b.enter().await;
    b.tab_to("a[href='/portal/services']", false).await;
    b.enter().await;
    b.tab_to("a[href='/portal/services/fiktionsbescheinigung']", false)
        .await;
    b.enter().await;
    b.type_into("[name='place']", "Bielefeld").await;
    b.enter().await;
    b.tab_to("form[action$='/start'] button", false).await;
    b.enter().await;

    // Step 1 with a wrong date of birth; the error is reached and corrected by keyboard.
    b.type_into("[name='family_name']", "Haddad").await;
    b.type_into("[name='given_names']", "Omar").await;
    b.type_into("[name='date_of_birth']", "1.2.1985").await;
    b.type_into("[name='nationality']", "irakisch").await;
    b.type_into("[name='passport_number']", "A7654321").await;
    b.tab_to("button[value='next']", false).await;
    b.enter().await;
    assert!(b.source().await.contains("aria-invalid=\"true\""));
    b.shot("portal-keyboard-error.png").await;
    b.tab_to("button[value='next']", false).await;
    b.tab_to("[name='date_of_birth']", true).await;
    b.select_all().await;
    b.keys("1985-02-01").await;
    b.tab_to("button[value='next']", false).await;
    b.enter().await;
    assert!(!b.source().await.contains("aria-invalid=\"true\""));
    b.type_into("[name='street']", "Niederwall 1").await;
    b.type_into("[name='postal_code']", "33602").await;
    b.type_into("[name='municipality']", "Bielefeld").await;
    b.tab_to("button[value='next']", false).await;
    b.enter().await;
    b.type_into("[name='permit_expiry']", "2027-03-31").await;
    b.choose_by_keys("[name='protection_status']", "none").await;
    b.type_into("[name='reason']", "Arbeitgeber verlangt einen Nachweis.")
        .await;
    b.tab_to("button[value='next']", false).await;
    b.enter().await;

    // Review: two documents (the file input takes the path typed into it), pay, submit.
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/review")
    );
    let dir = crate::support::TempDir::new("keyboard-upload");
    let file = dir.path().join("pass.pdf");
    std::fs::write(&file, pdf("passport")).unwrap();
    for kind in ["passport", "photo"] {
        b.choose_by_keys("[name='evidence_key']", kind).await;
        b.tab_to("input[type='file']", false).await;
        b.choose_file(&file.display().to_string()).await;
        b.tab_to("form[action$='/evidence'] button", false).await;
        b.enter().await;
    }
    b.tab_to("form[action$='/pay'] button", false).await;
    b.enter().await;
    b.tab_to("button[value='pay']", false).await;
    b.enter().await;
    b.shot("portal-keyboard-review.png").await;
    b.tab_to("form[action$='/submit'] button", false).await;
    b.enter().await;
    let status_url = b.client.current_url().await.unwrap();
    assert!(
        status_url.path().starts_with("/portal/applications/"),
        "{status_url}"
    );
    b.shot("portal-keyboard-status.png").await;
    let _ = b.client.clone().close().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM evidence_documents WHERE application_id = $1",
            Uuid::parse_str(status_url.path().rsplit('/').next().unwrap()).unwrap()
        )
        .await,
        2
    );
}

#[tokio::test]
async fn chromium_walk_in_german_with_axe() {
    walk("de", "walk.de@example.org").await;
}

#[tokio::test]
async fn chromium_walk_in_arabic_with_axe() {
    walk("ar", "walk.ar@example.org").await;
}

/// The embedded default (the real binary on SQLite) runs the same application flow.
#[tokio::test]
async fn the_portal_works_on_the_embedded_sqlite_default() {
    use crate::support::{BinaryInstance, TempDir};
    let dir = TempDir::new("portal-sqlite");
    let instance = BinaryInstance::start(&[], dir.path()).await;
    let url = |path: &str| format!("{}{path}", instance.base);
    let browser = browser_client();
    let page = browser
        .get(url("/portal/register"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let email = "sqlite.applicant@example.org";
    let registered = browser
        .post(url("/portal/register"))
        .form(&[
            ("email", email),
            ("display_name", "Applicant"),
            ("password", PASSWORD),
            ("language", "en"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200, "{}", instance.stdout());
    let mail_dir = dir.path().join("data/mail");
    let mut link = None;
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(&mail_dir) {
            for entry in entries.flatten() {
                let text = mail_text(&std::fs::read_to_string(entry.path()).unwrap_or_default());
                if text.contains("/portal/confirm/") {
                    link = Some(find_link(&text, "http"));
                }
            }
        }
        if link.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let link = link.expect("confirmation mail in data/mail");
    let path = &link[link.find("/portal/confirm/").unwrap()..];
    assert_eq!(browser.get(url(path)).send().await.unwrap().status(), 200);
    let signed_in = browser
        .post(url("/portal/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);

    let html = browser
        .get(url("/portal/services/fiktionsbescheinigung?place=33602"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let tenant = input_value(&html, "tenant");
    let started = browser
        .post(url("/portal/services/fiktionsbescheinigung/start"))
        .form(&[("tenant", tenant.as_str()), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 303);
    let base = location(&started).trim_end_matches("/steps/0").to_owned();
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
            ("protection_status", "recognised-refugee"),
            ("reason", "Nachweis"),
        ],
    ];
    for (i, fields) in steps.iter().enumerate() {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        form.push(("intent", "next"));
        let r = browser
            .post(url(&format!("{base}/steps/{i}")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "step {i}");
    }
    let review = browser
        .get(url(&format!("{base}/review")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(review.contains("0.00"), "recognised refugees pay no fee");
    let key = input_value(&review, "idempotency_key");
    for kind in ["passport", "photo"] {
        let boundary = "----sqliteboundary";
        let mut body = Vec::new();
        for (field, value) in [("csrf", csrf.as_str()), ("evidence_key", kind)] {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(&pdf(kind));
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = browser
            .post(url(&format!("{base}/evidence")))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }
    let submit = || {
        browser
            .post(url(&format!("{base}/submit")))
            .form(&[("csrf", csrf.as_str()), ("idempotency_key", key.as_str())])
            .send()
    };
    let first = submit().await.unwrap();
    let second = submit().await.unwrap();
    assert_eq!(first.status(), 303);
    assert_eq!(location(&first), location(&second));
    let status = browser.get(url(&location(&first))).send().await.unwrap();
    assert_eq!(status.status(), 200);
    let list: Value = browser
        .get(url("/api/v1/portal/applications"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// Submits a Fiktionsbescheinigung at Bielefeld for a recognised refugee (no fee), with the two
/// required documents; returns the application's portal path and id.
pub(crate) async fn submit_fee_free_application(
    app: &TestApp,
    browser: &reqwest::Client,
    csrf: &str,
) -> (String, Uuid) {
    let (_, base) = fill_fee_free_draft(app, browser, csrf).await;
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
        .form(&[("csrf", csrf), ("idempotency_key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 303);
    let app_path = location(&submitted);
    let id = Uuid::parse_str(app_path.rsplit('/').next().unwrap()).unwrap();
    (app_path, id)
}

/// A complete Fiktionsbescheinigung draft at Bielefeld (a recognised refugee pays no fee):
/// returns the tenant and the draft's base path.
async fn fill_fee_free_draft(
    app: &TestApp,
    browser: &reqwest::Client,
    csrf: &str,
) -> (Uuid, String) {
    let (tenant, base) = start(app, browser, csrf, "fiktionsbescheinigung", "Bielefeld").await;
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
            ("protection_status", "recognised-refugee"),
            ("reason", "Nachweis"),
        ],
    ];
    for (i, fields) in steps.iter().enumerate() {
        assert_eq!(
            post_step(app, browser, &base, i, fields, csrf)
                .await
                .status(),
            303,
            "step {i}"
        );
    }
    for kind in ["passport", "photo"] {
        let uploaded = upload(app, browser, &base, csrf, kind, "a.pdf", pdf(kind)).await;
        assert_eq!(uploaded.status(), 303);
    }
    (tenant, base)
}

/// Group commit (ADR 0005) against PostgreSQL: 40 complete drafts are submitted all at once, every
/// key three times and eight drafts under a second key as well, mixed with an unknown draft and an
/// incomplete one. Exactly one application per draft, every repeat answers with the first
/// application, the failing submissions fail alone, one mail and one audit entry per application,
/// and the tenant's hash chain verifies.
#[tokio::test]
async fn parallel_submissions_make_one_application_per_key() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let (browser, csrf) = register(&app, "many.submissions@example.org", "en").await;
    let (tenant, base) = fill_fee_free_draft(&app, &browser, &csrf).await;
    let template = Uuid::parse_str(base.rsplit('/').next().unwrap()).unwrap();
    let (_, incomplete) = start(&app, &browser, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let incomplete = Uuid::parse_str(incomplete.rsplit('/').next().unwrap()).unwrap();
    let admin = app.db.admin().await;
    let copies = 39;
    for sql in [
        format!(
            "INSERT INTO intake_drafts (tenant_id, id, applicant_id, service_key, form_data, step, language, created_at, updated_at) \
             SELECT d.tenant_id, gen_random_uuid(), d.applicant_id, d.service_key, d.form_data, d.step, d.language, now(), now() \
             FROM intake_drafts d CROSS JOIN generate_series(1, {copies}) WHERE d.id = '{template}'"
        ),
        format!(
            "INSERT INTO evidence_documents (tenant_id, id, applicant_id, draft_id, evidence_key, object_key, sha256, content_type, file_name, size_bytes, source, created_at) \
             SELECT e.tenant_id, gen_random_uuid(), e.applicant_id, n.id, e.evidence_key, e.object_key || '.' || n.id, e.sha256, e.content_type, e.file_name, e.size_bytes, e.source, now() \
             FROM evidence_documents e JOIN intake_drafts n ON n.tenant_id = e.tenant_id AND n.applicant_id = e.applicant_id \
             AND n.id NOT IN ('{template}', '{incomplete}') WHERE e.draft_id = '{template}'"
        ),
    ] {
        admin.connection().execute_unprepared(&sql).await.unwrap();
    }
    let drafts: Vec<Uuid> = admin
        .connection()
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM intake_drafts WHERE tenant_id = $1 AND applicant_id = \
             (SELECT applicant_id FROM intake_drafts WHERE id = $2) AND id <> $3",
            [tenant.into(), template.into(), incomplete.into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<Uuid>(0).unwrap())
        .collect();
    assert_eq!(drafts.len(), copies + 1);

    // (draft, key): every key three times; the first eight drafts also under a second key.
    let mut sends: Vec<(Uuid, String)> = Vec::new();
    for round in 0..3 {
        for (n, draft) in drafts.iter().enumerate() {
            sends.push((*draft, format!("key-{n}")));
            if n < 8 && round == 0 {
                sends.push((*draft, format!("other-{n}")));
            }
        }
    }
    sends.push((Uuid::now_v7(), "unknown-draft".to_owned()));
    sends.push((incomplete, "incomplete".to_owned()));
    let url = app.url("/api/v1/portal/applications");
    let requests = sends.iter().map(|(draft, key)| {
        let (browser, csrf, url) = (browser.clone(), csrf.clone(), url.clone());
        let body = json!({ "tenant_id": tenant, "draft_id": draft, "idempotency_key": key });
        async move {
            let response = browser
                .post(url)
                .header("x-csrf-token", csrf)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, body)
        }
    });
    let answers = futures_like_join_all(requests).await;

    let mut by_draft: BTreeMap<Uuid, BTreeMap<String, usize>> = BTreeMap::new();
    let mut created = 0;
    for ((draft, key), (status, body)) in sends.iter().zip(&answers) {
        match key.as_str() {
            "unknown-draft" => assert_eq!(*status, 404, "{body}"),
            "incomplete" => assert_eq!(*status, 422, "{body}"),
            _ => {
                assert!(*status == 201 || *status == 200, "{status} {body}");
                assert_eq!(body["created"], *status == 201);
                created += usize::from(*status == 201);
                let id = body["id"].as_str().unwrap().to_owned();
                *by_draft.entry(*draft).or_default().entry(id).or_default() += 1;
            }
        }
    }
    assert_eq!(created, drafts.len(), "one 201 per draft");
    for (draft, ids) in &by_draft {
        assert_eq!(
            ids.len(),
            1,
            "draft {draft}: every answer names one application: {ids:?}"
        );
    }
    let count = |sql: &'static str| {
        let admin = &admin;
        async move {
            admin
                .connection()
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    [tenant.into()],
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    let expected = i64::try_from(drafts.len()).unwrap();
    assert_eq!(
        count("SELECT count(*) FROM applications WHERE tenant_id = $1").await,
        expected
    );
    assert_eq!(
        count("SELECT count(*) FROM intake_drafts WHERE tenant_id = $1 AND submitted_application_id IS NOT NULL").await,
        expected
    );
    assert_eq!(
        count("SELECT count(*) FROM evidence_documents WHERE tenant_id = $1 AND application_id IS NOT NULL").await,
        2 * expected
    );
    assert_eq!(
        count("SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'intake.application.submitted'").await,
        expected
    );
    assert_eq!(
        count("SELECT count(*) FROM portal_links WHERE tenant_id = $1 AND kind = 'application'")
            .await,
        expected
    );
    let mails = admin
        .connection()
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT count(*) FROM mail_outbox WHERE body_text LIKE '%/portal/applications/' || $1 || '/%'",
            [tenant.to_string().into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(mails, expected);
    let tx = app
        .state
        .db
        .tenant(amtsweg_domain::TenantId(tenant))
        .await
        .unwrap();
    let verification = amtsweg_store::audit::verify(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(verification.breaks.is_empty(), "{:?}", verification.breaks);
    assert_eq!(
        verification.head_seq,
        Some(i64::try_from(verification.entries).unwrap())
    );
}

#[tokio::test]
async fn a_reply_nobody_asked_for_tells_the_intake_team_once_until_opened() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let (browser, csrf) = register(&app, "team.reply@example.org", "uk").await;
    let (app_path, application) = submit_fee_free_application(&app, &browser, &csrf).await;
    let clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let approver = app.staff("abh-bielefeld", Role::Approver).await;
    let elsewhere = app.staff("abh-kreis-borken", Role::Clerk).await;
    let reply = |text: &'static str| {
        let (content_type, body) = multipart(&[("csrf", csrf.as_str()), ("body", text)], None);
        browser
            .post(app.url(&format!("{app_path}/messages")))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let team_mails = || async {
        let admin = app.db.admin().await;
        admin
            .connection()
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT recipient FROM mail_outbox WHERE body_text LIKE '%' || $1 || '%' ORDER BY created_at",
                [format!("/workspace/intake/{application}").into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect::<Vec<_>>()
    };

    // Nobody from the authority wrote yet: the whole intake team of Bielefeld is told, by mail
    // with only the link; the other authority's clerk is not.
    assert_eq!(
        reply("Ich habe eine Frage zum Termin.")
            .await
            .unwrap()
            .status(),
        303
    );
    let first = team_mails().await;
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.contains(&clerk.email) && first.contains(&approver.email));
    assert!(!first.contains(&elsewhere.email));
    // Delivered over SMTP (registration, receipt and two team mails), without personal data.
    let mails = app.smtp.as_ref().unwrap().wait_for(4).await;
    let note = mails
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains(&clerk.email) && m.contains("/workspace/intake/"))
        .expect("team mail");
    assert!(note.contains(&format!("http://127.0.0.1/workspace/intake/{application}")));
    for secret in ["Haddad", "Omar", "A7654321", "Frage", "Termin"] {
        assert!(!note.contains(secret), "team mail leaks {secret}");
    }

    // A second reply before anyone opened the application adds to the inbox marker, no mail.
    assert_eq!(reply("Noch eine Frage.").await.unwrap().status(), 303);
    assert_eq!(team_mails().await.len(), 2, "no flood");

    // Once a clerk opened it, the next reply tells the team again.
    let (staff_browser, staff_csrf) = signed_in_browser(&app, &clerk).await;
    let detail = staff_browser
        .get(app.url(&format!("/workspace/intake/{application}")))
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), 200);
    assert_eq!(reply("Und eine dritte.").await.unwrap().status(), 303);
    assert_eq!(team_mails().await.len(), 4);

    // After a clerk wrote, only that clerk is told, of every reply.
    let sent = staff_browser
        .post(app.url(&format!("/workspace/intake/{application}/messages")))
        .form(&[
            ("csrf", staff_csrf.as_str()),
            ("body", "Bitte kommen Sie vorbei."),
            ("due", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    assert_eq!(reply("Gern.").await.unwrap().status(), 303);
    assert_eq!(reply("Bis dann.").await.unwrap().status(), 303);
    let all = team_mails().await;
    assert_eq!(all.len(), 6, "{all:?}");
    assert_eq!(all[4..], [clerk.email.clone(), clerk.email.clone()]);
}

/// Sends an upload's head and `sent` bytes of its body over a raw connection, never the rest,
/// and returns the server's answer. A server that waited for (or drained) the announced body
/// would not answer; the timeout only turns such a hang into a failure.
async fn upload_cut_off(
    app: &TestApp,
    path: &str,
    cookies: &str,
    head: &str,
    sent: usize,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookies}\r\nAccept-Language: uk\r\n\
         Content-Type: multipart/form-data; boundary=cutoff\r\n{head}\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let part = "--cutoff\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n%PDF-1.4\n";
    let mut body = part.as_bytes().to_vec();
    body.resize(sent, b' ');
    // The server may stop reading at any point; a failed write is part of being cut off.
    let _ = stream.write_all(&body).await;
    let mut answer = Vec::new();
    let read_answer = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
            if answer.windows(7).any(|w| w == b"</html>") {
                break;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), read_answer)
        .await
        .expect("the server answers without the rest of the body");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn an_oversized_upload_is_cut_off_with_413_in_the_applicants_language() {
    let app = TestApp::spawn_with(AppOptions { smtp: true }).await;
    let email = "cut.off@example.org";
    let _ = register(&app, email, "uk").await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let browser = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(app.url("/portal/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let signed_in = browser
        .post(app.url("/portal/sign-in"))
        .form(&[("email", email), ("password", PASSWORD), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let (_, base) = start(&app, &browser, &csrf, "fiktionsbescheinigung", "Bielefeld").await;
    let cookies = {
        use reqwest::cookie::CookieStore;
        jar.cookies(&app.url("/").parse().unwrap())
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    let path = format!("{base}/evidence");

    // 50 MB announced: refused at once by the length, in Ukrainian.
    let declared = upload_cut_off(
        &app,
        &path,
        &cookies,
        "Content-Length: 52428800\r\n",
        1024 * 1024,
    )
    .await;
    assert!(declared.starts_with("HTTP/1.1 413"), "{declared}");
    assert!(declared.contains("Надіслане завелике"), "{declared}");
    assert!(declared.contains("10 МБ"));

    // No length announced (chunked): refused as soon as more than the limit has arrived. The
    // chunk announces 40 MB; 11 MB of it are sent.
    let chunked = upload_cut_off(
        &app,
        &path,
        &cookies,
        &format!("Transfer-Encoding: chunked\r\n\r\n{:x}", 40 * 1024 * 1024),
        11 * 1024 * 1024,
    )
    .await;
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");
    assert!(chunked.contains("Надіслане завелике"));

    let draft_id = Uuid::parse_str(base.rsplit('/').next().unwrap()).unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM evidence_documents WHERE draft_id = $1",
            draft_id
        )
        .await,
        0,
        "nothing stored"
    );
}
