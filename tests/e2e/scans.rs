//! Scan intake (issue 4): a batch PDF split at separator sheets into documents with their hashes
//! and scan records, the quality check, assignment to an application and to a person's e-file,
//! text from the text layer and from OCR (tesseract, for real) found by the e-file search, refused
//! uploads that store nothing, another tenant's scans out of reach, and the pages in Chromium with
//! axe-core.

use std::collections::BTreeMap;
use std::sync::Arc;

use amtsweg_adapters::object_store::sha256_hex;
use amtsweg_domain::Role;
use amtsweg_domain::clock::SystemClock;
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Staff, TestApp, client, signed_in_browser};

/// What a page of a generated batch holds.
enum PageSpec {
    Text(&'static str),
    Separator,
    Blank,
    /// A greyscale image of this many pixels covering the A4 page, white with a dark bar.
    Image(u32, u32),
    /// A greyscale JPEG covering the A4 page, as most scanners store a page.
    Jpeg(u32, u32, &'static [u8]),
}

/// A scanner-like PDF: A4 pages, text in a text layer, images as Flate-compressed XObjects, the
/// resources inherited from the page tree.
fn batch_pdf(pages: &[PageSpec]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for spec in pages {
        let mut image_id = None;
        let ops = match spec {
            PageSpec::Text(_) | PageSpec::Separator => {
                let text = match spec {
                    PageSpec::Text(text) => *text,
                    _ => "AMTSWEG-TRENNBLATT",
                };
                vec![
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 14.into()]),
                    Operation::new("Td", vec![72.into(), 700.into()]),
                    Operation::new("Tj", vec![Object::string_literal(text)]),
                    Operation::new("ET", vec![]),
                ]
            }
            PageSpec::Blank => Vec::new(),
            PageSpec::Image(..) | PageSpec::Jpeg(..) => {
                let image = match spec {
                    PageSpec::Jpeg(w, h, jpeg) => Stream::new(
                        dictionary! {
                            "Type" => "XObject", "Subtype" => "Image", "Width" => *w as i64,
                            "Height" => *h as i64, "ColorSpace" => "DeviceGray",
                            "BitsPerComponent" => 8, "Filter" => "DCTDecode",
                        },
                        jpeg.to_vec(),
                    ),
                    PageSpec::Image(w, h) => {
                        let mut pixels = vec![255u8; (*w * *h) as usize];
                        for y in h / 3..h / 3 + h / 10 {
                            for x in w / 10..w - w / 10 {
                                pixels[(y * w + x) as usize] = 0;
                            }
                        }
                        let mut image = Stream::new(
                            dictionary! {
                                "Type" => "XObject", "Subtype" => "Image", "Width" => *w as i64,
                                "Height" => *h as i64, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                            },
                            pixels,
                        );
                        image.compress().unwrap();
                        image
                    }
                    _ => unreachable!("only image pages get here"),
                };
                image_id = Some(doc.add_object(image));
                vec![
                    Operation::new("q", vec![]),
                    Operation::new(
                        "cm",
                        vec![
                            595.into(),
                            0.into(),
                            0.into(),
                            842.into(),
                            0.into(),
                            0.into(),
                        ],
                    ),
                    Operation::new("Do", vec!["Im1".into()]),
                    Operation::new("Q", vec![]),
                ]
            }
        };
        let content = doc.add_object(Stream::new(
            lopdf::Dictionary::new(),
            Content { operations: ops }.encode().unwrap(),
        ));
        let mut page =
            dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content };
        if let Some(image) = image_id {
            page.set(
                "Resources",
                dictionary! { "XObject" => dictionary! { "Im1" => image } },
            );
        }
        kids.push(doc.add_object(page).into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A multipart body: text fields and one file with the name the sender chose.
fn multipart(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----amtswegscanboundary4f9a";
    let mut body = Vec::new();
    for (field, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn api_upload(
    app: &TestApp,
    token: &str,
    mode: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let (content_type, body) = multipart(
        &[("device", "Poststelle Scanner 2"), ("mode", mode)],
        name,
        bytes,
    );
    let response = client()
        .post(app.url("/api/v1/intake/scans"))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post_json(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn content(app: &TestApp, token: &str, id: &str) -> Vec<u8> {
    let response = client()
        .get(app.url(&format!("/api/v1/intake/scans/{id}/content")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

async fn new_person(app: &TestApp, token: &str, family: &str) -> (String, String) {
    let (status, person) = post_json(
        app,
        token,
        "/api/v1/persons",
        json!({ "family_name": family, "given_names": "Amina", "birth_date": "1990-04-01" }),
    )
    .await;
    assert_eq!(status, 201, "{person}");
    (
        person["person"]["id"].as_str().unwrap().to_owned(),
        person["person"]["file_number"].as_str().unwrap().to_owned(),
    )
}

/// A submitted online application of the tenant (written through the store, as the portal would).
async fn new_application(app: &TestApp, staff: &Staff) -> (Uuid, String) {
    let tx = app.state.db.tenant(staff.tenant).await.unwrap();
    let (application, _) = amtsweg_store::intake::submit_application(
        &tx,
        amtsweg_store::intake::NewApplication {
            applicant_id: Uuid::now_v7(),
            service_key: "residence-extension".into(),
            service_version: 1,
            form_data: BTreeMap::new(),
            idempotency_key: Uuid::now_v7().to_string(),
            draft_id: None,
            fee_code: "extension".into(),
            fee_cents: 9600,
            fee_exemption: None,
            language: "de".into(),
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (application.id, application.reference)
}

async fn drain_jobs(app: &TestApp) -> usize {
    let mut ran = 0;
    while amtsweg_jobs::run_one(&app.state).await.unwrap() {
        ran += 1;
    }
    ran
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let admin = app.db.admin().await;
    admin
        .connection()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

async fn search(app: &TestApp, token: &str, word: &str) -> Vec<Value> {
    let (status, found) = get_json(app, token, &format!("/api/v1/documents?q={word}")).await;
    assert_eq!(status, 200, "{found}");
    found.as_array().cloned().unwrap_or_default()
}

fn codes(entry: &Value) -> Vec<String> {
    entry["quality"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}@{}", f["code"].as_str().unwrap(), f["page"]))
        .collect()
}

/// Fails loudly when tesseract is missing: the OCR test must run for real.
fn require_ocr(app: &TestApp) {
    assert!(
        app.state.ocr.available(),
        "tesseract is not on PATH: install it (Debian: apt install tesseract-ocr tesseract-ocr-deu \
         tesseract-ocr-eng; scripts/services.sh does) — the OCR test does not skip"
    );
}

#[tokio::test]
async fn a_batch_is_split_at_separator_sheets_checked_assigned_and_found() {
    let app = TestApp::spawn_with_clock(Arc::new(SystemClock)).await;
    require_ocr(&app);
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let batch = batch_pdf(&[
        PageSpec::Separator,
        PageSpec::Text("Widerspruch Zitronenbaum Seite eins"),
        PageSpec::Text("Seite zwei"),
        PageSpec::Separator,
        PageSpec::Text("Mietvertrag Kastanienallee"),
        PageSpec::Blank,
        PageSpec::Separator,
        PageSpec::Image(120, 170),
    ]);
    let (status, created) = api_upload(&app, &token, "batch", "stapel.pdf", &batch).await;
    assert_eq!(status, 201, "{created}");
    let docs = created.as_array().unwrap().clone();
    assert_eq!(docs.len(), 3, "{created}");
    let ranges: Vec<(i64, i64, i64)> = docs
        .iter()
        .map(|d| {
            (
                d["first_page"].as_i64().unwrap(),
                d["last_page"].as_i64().unwrap(),
                d["page_count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ranges, vec![(2, 3, 2), (5, 6, 2), (8, 8, 1)]);
    for d in &docs {
        assert_eq!(d["batch_sha256"], sha256_hex(&batch).as_str());
        assert_eq!(d["batch_pages"], 8);
        assert_eq!(d["device"], "Poststelle Scanner 2");
        assert_eq!(d["scanned_by"], clerk.id.to_string().as_str());
        let bytes = content(&app, &token, d["id"].as_str().unwrap()).await;
        assert_eq!(d["sha256"], sha256_hex(&bytes).as_str());
        let split = Document::load_mem(&bytes).unwrap();
        assert_eq!(
            split.get_pages().len() as i64,
            d["page_count"].as_i64().unwrap()
        );
    }
    let first =
        Document::load_mem(&content(&app, &token, docs[0]["id"].as_str().unwrap()).await).unwrap();
    assert!(first.extract_text(&[1]).unwrap().contains("Zitronenbaum"));
    assert!(first.extract_text(&[2]).unwrap().contains("Seite zwei"));
    // The quality check: text pages pass; the blank page and the low-resolution image fail.
    assert_eq!(docs[0]["quality_passed"], true, "{}", docs[0]);
    assert_eq!(docs[0]["text_state"], "text_layer");
    assert_eq!(docs[1]["quality_passed"], false);
    assert_eq!(codes(&docs[1]), vec!["blank_page@2"]);
    assert_eq!(docs[2]["quality_passed"], false);
    assert_eq!(codes(&docs[2]), vec!["low_resolution@1", "no_text_layer@1"]);
    assert_eq!(docs[2]["quality"][0]["value"], 15);
    assert_eq!(docs[2]["text_state"], "ocr_queued");

    // The inbox with its counts.
    let (status, inbox) = get_json(&app, &token, "/api/v1/intake/scans").await;
    assert_eq!(status, 200);
    assert_eq!(inbox["unassigned"], 3);
    assert_eq!(inbox["quality_failed"], 2);
    assert_eq!(inbox["ocr_queued"], 1);

    // To a person's e-file: a versioned `scan` document, found by a word of its text layer.
    let (person_id, file_number) = new_person(&app, &token, "Haddad").await;
    let first_id = docs[0]["id"].as_str().unwrap();
    let (status, refused) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{first_id}/assignment"),
        json!({ "target": "person", "person_file_number": file_number, "title": "Widerspruch", "plan_position": "99.99" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["errors"]["plan_position"],
        "scan-error-plan-position"
    );
    let (status, assigned) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{first_id}/assignment"),
        json!({ "target": "person", "person_file_number": file_number, "title": "Widerspruch", "plan_position": "01.02" }),
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(assigned["assigned_person_id"], person_id.as_str());
    let found = search(&app, &token, "Zitronenbaum").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["source"], "scan");
    assert_eq!(found[0]["person_id"], person_id.as_str());
    assert_eq!(found[0]["version"], 1);
    assert_eq!(found[0]["id"], assigned["assigned_document_id"]);
    let doc_id = found[0]["id"].as_str().unwrap();
    let filed = client()
        .get(app.url(&format!("/api/v1/documents/{doc_id}/content")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), 200);
    assert_eq!(
        filed.headers()["X-Content-SHA256"].to_str().unwrap(),
        docs[0]["sha256"].as_str().unwrap()
    );
    // A scan is assigned once.
    let (status, again) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{first_id}/assignment"),
        json!({ "target": "person", "person_file_number": file_number, "title": "Nochmal", "plan_position": "01.02" }),
    )
    .await;
    assert_eq!(status, 409, "{again}");

    // To an online application: the scan appears among its evidence with its hash.
    let (application, reference) = new_application(&app, &clerk).await;
    let second_id = docs[1]["id"].as_str().unwrap();
    let (status, unknown) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{second_id}/assignment"),
        json!({ "target": "application", "application_reference": "A-0000-NOPE" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        unknown["errors"]["application_reference"],
        "scan-error-application-unknown"
    );
    let (status, assigned) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{second_id}/assignment"),
        json!({ "target": "application", "application_reference": reference }),
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(
        assigned["assigned_application_id"],
        application.to_string().as_str()
    );
    let (status, detail) = get_json(
        &app,
        &token,
        &format!("/api/v1/intake/applications/{application}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        detail["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sha256"] == docs[1]["sha256"] && e["evidence_key"] == "scan"),
        "{detail}"
    );
    let (_, inbox) = get_json(&app, &token, "/api/v1/intake/scans").await;
    assert_eq!(inbox["unassigned"], 1);
    let (_, done) = get_json(&app, &token, "/api/v1/intake/scans?assigned=true").await;
    assert_eq!(done["scans"].as_array().unwrap().len(), 2);

    // The image-only page goes through the OCR job; the record keeps everything else.
    assert_eq!(drain_jobs(&app).await, 1);
    let third_id = docs[2]["id"].as_str().unwrap();
    let (_, third) = get_json(&app, &token, &format!("/api/v1/intake/scans/{third_id}")).await;
    assert_eq!(third["text_state"], "ocr_done", "{third}");
    assert_eq!(third["sha256"], docs[2]["sha256"]);

    // The record is immutable: the database refuses a change even to the application's role.
    let tx = app.state.db.tenant(clerk.tenant).await.unwrap();
    let changed = tx
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE scan_records SET device = 'anders' WHERE id = $1",
            [Uuid::parse_str(first_id).unwrap().into()],
        ))
        .await;
    assert!(changed.is_err(), "a scan record was changed");
    drop(tx);

    // Every change and read is in the audit log.
    let audited =
        |action: &str| format!("SELECT count(*) FROM audit_log WHERE action = '{action}'");
    assert_eq!(count(&app, &audited("scan.created")).await, 3);
    assert_eq!(count(&app, &audited("scan.assigned")).await, 2);
    assert_eq!(count(&app, &audited("scan.content.read")).await, 4);
    assert!(count(&app, &audited("scan.list")).await >= 3);
    assert!(count(&app, &audited("scan.read")).await >= 1);
    assert_eq!(count(&app, &audited("scan.text.recognized")).await, 1);
}

/// A scanner without OCR: every page an image, the separator sheet recognised by its corner
/// marks, the empty sheet at the end flagged by the quality check (JPEG pages are decoded).
#[tokio::test]
async fn an_image_only_batch_is_split_at_the_printed_separator_sheet() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let letter = include_bytes!("../fixtures/text-page.jpg");
    let separator = include_bytes!("../fixtures/separator-scan.jpg");
    let empty = include_bytes!("../fixtures/blank-page.jpg");
    let batch = batch_pdf(&[
        PageSpec::Jpeg(2480, 420, letter),
        PageSpec::Jpeg(827, 1169, separator),
        PageSpec::Jpeg(2480, 420, letter),
        PageSpec::Jpeg(248, 351, empty),
    ]);
    let (status, created) = api_upload(&app, &token, "batch", "stapel.pdf", &batch).await;
    assert_eq!(status, 201, "{created}");
    let docs = created.as_array().unwrap();
    let ranges: Vec<(i64, i64)> = docs
        .iter()
        .map(|d| {
            (
                d["first_page"].as_i64().unwrap(),
                d["last_page"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ranges, vec![(1, 1), (3, 4)], "{created}");
    let blank = |doc: &Value| codes(doc).iter().any(|c| c.starts_with("blank_page@"));
    assert!(!blank(&docs[0]), "{}", docs[0]);
    assert!(blank(&docs[1]), "{}", docs[1]);
}

#[tokio::test]
async fn ocr_reads_a_scanned_letter_and_the_search_finds_it() {
    let app = TestApp::spawn_with_clock(Arc::new(SystemClock)).await;
    require_ocr(&app);
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let letter = include_bytes!("../fixtures/scan-ocr.png");
    let (status, created) = api_upload(&app, &token, "single", "brief.png", letter).await;
    assert_eq!(status, 201, "{created}");
    let scan = &created[0];
    assert_eq!(scan["content_type"], "image/png");
    assert_eq!(scan["sha256"], sha256_hex(letter).as_str());
    assert_eq!(scan["quality_passed"], true, "{scan}");
    assert_eq!(scan["text_state"], "ocr_queued");
    let id = scan["id"].as_str().unwrap();
    // Filed before the text is known: the OCR job carries the text into the e-file document.
    let (_, file_number) = new_person(&app, &token, "Kovalenko").await;
    let (status, assigned) = post_json(
        &app,
        &token,
        &format!("/api/v1/intake/scans/{id}/assignment"),
        json!({ "target": "person", "person_file_number": file_number, "title": "Brief", "plan_position": "01.02" }),
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    assert!(search(&app, &token, "Pflaumenkuchen").await.is_empty());
    assert_eq!(drain_jobs(&app).await, 1);
    let (_, read) = get_json(&app, &token, &format!("/api/v1/intake/scans/{id}")).await;
    assert_eq!(read["text_state"], "ocr_done", "{read}");
    let found = search(&app, &token, "Pflaumenkuchen").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["id"], assigned["assigned_document_id"]);
    // A second run of the same job (a worker that resumes after a crash) changes nothing.
    assert_eq!(drain_jobs(&app).await, 0);
}

#[tokio::test]
async fn bad_scans_are_refused_on_the_page_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let (browser, csrf) = signed_in_browser(&app, &clerk).await;
    let page = browser
        .get(app.url("/workspace/intake/scans"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Trennblatt"), "{html}");
    let sheet = browser
        .get(app.url("/workspace/intake/scans/separator-sheet"))
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), 200);
    let sheet = sheet.bytes().await.unwrap().to_vec();
    let sheet_doc = Document::load_mem(&sheet).unwrap();
    assert!(
        sheet_doc
            .extract_text(&[1])
            .unwrap()
            .contains("AMTSWEG-TRENNBLATT")
    );
    let pdf = batch_pdf(&[PageSpec::Text("Ein Brief")]);
    let oversize = {
        let mut bytes = pdf.clone();
        bytes.resize(11 * 1024 * 1024, b' ');
        bytes
    };
    let separators_only = batch_pdf(&[PageSpec::Separator, PageSpec::Separator]);
    let cases = [
        (
            "single",
            "Scanner",
            "programm.pdf",
            b"MZ\x90\x00binary".to_vec(),
            "file",
            "Nur PDF-, JPEG- und PNG-Dateien",
        ),
        (
            "single",
            "Scanner",
            "gross.pdf",
            oversize,
            "file",
            "zu groß für ein einzelnes Dokument",
        ),
        (
            "single",
            "Scanner",
            "../../etc/passwd.pdf",
            pdf.clone(),
            "file",
            "enthält einen Pfad",
        ),
        (
            "single",
            "Scanner",
            "C:\\Windows\\brief.pdf",
            pdf.clone(),
            "file",
            "enthält einen Pfad",
        ),
        (
            "batch",
            "Scanner",
            "stapel.png",
            include_bytes!("../fixtures/scan-ocr.png").to_vec(),
            "file",
            "muss eine PDF-Datei sein",
        ),
        (
            "batch",
            "Scanner",
            "leer.pdf",
            separators_only,
            "file",
            "nur Trennblätter",
        ),
        (
            "single",
            "",
            "brief.pdf",
            pdf.clone(),
            "device",
            "Bitte den Scanner angeben",
        ),
    ];
    for (mode, device, name, bytes, field, text) in cases {
        let (content_type, body) = multipart(
            &[("csrf", &csrf), ("device", device), ("mode", mode)],
            name,
            &bytes,
        );
        let response = browser
            .post(app.url("/workspace/intake/scans"))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{name}");
        let html = response.text().await.unwrap();
        assert!(html.contains(text), "{name}: {text} missing");
        assert!(
            html.contains(&format!("id=\"field-{field}-error\"")),
            "{name}: error not next to {field}"
        );
    }
    assert_eq!(count(&app, "SELECT count(*) FROM scan_records").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'scan.created'"
        )
        .await,
        0
    );
    let tenant_objects = app
        .state
        .settings
        .object_dir
        .join(format!("{:032x}", clerk.tenant.0.as_u128()))
        .join("scans");
    assert!(!tenant_objects.exists(), "objects were stored");

    // A good upload on the page: Post-Redirect-Get to the record, then an assignment error
    // next to its field.
    let (content_type, body) = multipart(
        &[
            ("csrf", &csrf),
            ("device", "Poststelle"),
            ("mode", "single"),
        ],
        "brief.pdf",
        &pdf,
    );
    let stored = browser
        .post(app.url("/workspace/intake/scans"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(stored.status(), 303);
    let location = stored.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/workspace/intake/scans/"));
    let record = browser.get(app.url(&location)).send().await.unwrap();
    assert_eq!(record.status(), 200);
    let html = record.text().await.unwrap();
    assert!(html.contains(&sha256_hex(&pdf)), "hash not shown");
    assert!(html.contains("Bestanden"));
    assert!(html.contains("Ein Brief"));
    let refused = browser
        .post(app.url(&format!("{location}/assign")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("target", "application"),
            ("application_reference", "A-0000-NOPE"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"field-application_reference-error\""));
    assert!(html.contains("Einen Antrag mit dieser Nummer gibt es nicht."));
    let inbox = browser
        .get(app.url("/workspace/intake/scans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(inbox.contains("id=\"scan-count-unassigned\">1<"), "{inbox}");
}

#[tokio::test]
async fn another_tenants_scans_are_out_of_reach() {
    let app = TestApp::spawn().await;
    let b_clerk = app.staff("abh-bielefeld", Role::Clerk).await;
    let b_token = app.token(&b_clerk).await;
    let pdf = batch_pdf(&[PageSpec::Text("Nur Bielefeld")]);
    let (status, created) = api_upload(&app, &b_token, "single", "b.pdf", &pdf).await;
    assert_eq!(status, 201);
    let b_scan = created[0]["id"].as_str().unwrap().to_owned();
    let a_clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let a_token = app.token(&a_clerk).await;
    for path in [
        format!("/api/v1/intake/scans/{b_scan}"),
        format!("/api/v1/intake/scans/{b_scan}/content"),
    ] {
        let (status, _) = get_json(&app, &a_token, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = post_json(
        &app,
        &a_token,
        &format!("/api/v1/intake/scans/{b_scan}/assignment"),
        json!({ "target": "application", "application_reference": "A-1" }),
    )
    .await;
    assert_eq!(status, 404);
    let (_, listed) = get_json(&app, &a_token, "/api/v1/intake/scans").await;
    assert_eq!(listed["unassigned"], 0);
    assert!(!listed.to_string().contains(&b_scan));
    let (browser, _) = signed_in_browser(&app, &a_clerk).await;
    let page = browser
        .get(app.url(&format!("/workspace/intake/scans/{b_scan}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    // And row-level security underneath: A's transaction does not see B's row at all.
    let tx = app.state.db.tenant(a_clerk.tenant).await.unwrap();
    let seen = amtsweg_store::scans::get_scan(&tx, Uuid::parse_str(&b_scan).unwrap()).await;
    assert!(seen.is_err());
}

#[tokio::test]
async fn the_scan_pages_pass_axe_in_chromium() {
    let app = TestApp::spawn().await;
    let clerk = app.staff("abh-kreis-borken", Role::Clerk).await;
    let token = app.token(&clerk).await;
    let pdf = batch_pdf(&[PageSpec::Text("Antrag auf Verlängerung"), PageSpec::Blank]);
    let (status, created) = api_upload(&app, &token, "single", "brief.pdf", &pdf).await;
    assert_eq!(status, 201);
    let id = created[0]["id"].as_str().unwrap().to_owned();
    let browser = crate::browser::Browser::start().await;
    browser.client.goto(&app.url("/sign-in")).await.unwrap();
    browser.fill("email", &clerk.email).await;
    browser.fill("password", &clerk.password).await;
    browser.submit().await;
    browser.fill("code", &clerk.code()).await;
    browser.submit().await;
    for (path, shot) in [
        ("/workspace/intake/scans".to_owned(), "scans-inbox.png"),
        (format!("/workspace/intake/scans/{id}"), "scans-record.png"),
    ] {
        browser.client.goto(&app.url(&path)).await.unwrap();
        browser.screenshot(shot).await;
        let violations = browser.axe().await;
        assert!(violations.is_empty(), "{path}: {violations:?}");
    }
    // A wrong upload (an image as a batch) shows its error next to the file field; axe again.
    browser
        .client
        .goto(&app.url("/workspace/intake/scans"))
        .await
        .unwrap();
    browser.fill("device", "Poststelle").await;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scan-ocr.png");
    browser
        .client
        .find(fantoccini::Locator::Css("input[name='file']"))
        .await
        .unwrap()
        .send_keys(&fixture.display().to_string())
        .await
        .unwrap();
    browser.submit().await;
    let html = browser.client.source().await.unwrap();
    assert!(html.contains("field-file-error"), "file error missing");
    browser.screenshot("scans-upload-error.png").await;
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "upload error page: {violations:?}");
}
