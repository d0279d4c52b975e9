//! Scan intake pages (issue 4): the upload of scanned paper mail with the separator sheet, the
//! inbox of unassigned scans with counts, and one scan with its record, quality check, text and the
//! assignment to an application or a person's e-file. Texts: `locales/{de,en}/scans.ftl` (staff
//! pages speak German and English). The view models live here: only these pages use them.

use leptos::prelude::*;

use crate::components::{
    Input, csrf_field, document, error_summary, heading, input_field, message, select_field,
    table_region, tr, tra,
};
use crate::model::*;

/// One scan in a list.
#[derive(Debug, Clone, Default)]
pub struct ScanRowView {
    pub href: String,
    pub file_name: String,
    pub scanned_at: String,
    pub device: String,
    pub pages: i32,
    /// `first–last / total` when the scan came from a batch.
    pub batch_range: Option<String>,
    pub quality_passed: bool,
    pub text_state: String,
}

#[derive(Debug, Clone, Default)]
pub struct ScansView {
    pub upload_action: String,
    pub separator_href: String,
    pub device: String,
    pub batch: bool,
    pub max_single_mb: u64,
    pub max_batch_mb: u64,
    /// An OCR engine is configured.
    pub ocr: bool,
    pub unassigned: i64,
    pub quality_failed: i64,
    pub ocr_queued: i64,
    pub inbox: Vec<ScanRowView>,
    pub assigned: Vec<ScanRowView>,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct ScanDetailView {
    pub row: ScanRowView,
    pub sha256: String,
    pub batch_sha256: String,
    pub content_type: String,
    pub size: String,
    /// (code, fails the check, page, measured value)
    pub findings: Vec<(String, bool, Option<u32>, Option<u32>)>,
    pub text: String,
    pub content_href: String,
    pub assign_action: String,
    pub assigned_at: Option<String>,
    pub assigned_application: Option<String>,
    pub assigned_application_href: Option<String>,
    pub assigned_person: Option<String>,
    pub assigned_document_href: Option<String>,
    /// File-plan positions (position, title).
    pub positions: Vec<(String, String)>,
    pub target: String,
    pub application_reference: String,
    pub person_file_number: String,
    pub title: String,
    pub plan_position: String,
    pub errors: FieldErrors,
}

fn quality_text(l: Lang, passed: bool) -> String {
    tr(
        l,
        if passed {
            "scan-quality-passed"
        } else {
            "scan-quality-failed"
        },
    )
}

fn scan_rows(l: Lang, rows: &[ScanRowView]) -> Vec<AnyView> {
    rows.iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=r.href.clone() dir="auto">{r.file_name.clone()}</a></td>
                    <td dir="ltr">{r.scanned_at.clone()}</td>
                    <td dir="auto">{r.device.clone()}</td>
                    <td class="num">{r.pages}</td>
                    <td>{r.batch_range.clone().unwrap_or_else(|| "–".into())}</td>
                    <td>{quality_text(l, r.quality_passed)}</td>
                    <td>{tr(l, &format!("scan-text-{}", r.text_state))}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}

fn scan_head(l: Lang) -> Vec<String> {
    vec![
        tr(l, "scan-col-file"),
        tr(l, "scan-col-scanned-at"),
        tr(l, "scan-col-device"),
        tr(l, "scan-col-pages"),
        tr(l, "scan-col-batch"),
        tr(l, "scan-col-quality"),
        tr(l, "scan-col-text"),
    ]
}

/// Upload, separator sheet, inbox and the recently assigned scans.
pub fn scans(ctx: &PageContext, page: &ScansView) -> String {
    let l = ctx.lang;
    let errors = &page.errors;
    let file_error = errors.get("file").cloned().map(|key| {
        view! {
            <p class="field-error" id="field-file-error">
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>
                {message(l, &key)}
            </p>
        }
    });
    let file_invalid = file_error.is_some();
    let file_described = if file_invalid {
        "field-file-hint field-file-error"
    } else {
        "field-file-hint"
    };
    let file_hint = tra(
        l,
        "scan-file-hint",
        &[
            ("single", page.max_single_mb.to_string()),
            ("batch", page.max_batch_mb.to_string()),
        ],
    );
    let modes = vec![
        ("batch".to_owned(), tr(l, "scan-mode-batch")),
        ("single".to_owned(), tr(l, "scan-mode-single")),
    ];
    let ocr_state = tr(
        l,
        if page.ocr {
            "scan-ocr-on"
        } else {
            "scan-ocr-off"
        },
    );
    let empty = page
        .inbox
        .is_empty()
        .then(|| view! { <p>{tr(l, "scan-inbox-empty")}</p> });
    let body = view! {
        {heading(tr(l, "scan-title"), Some(tr(l, "scan-lead")))}
        <section aria-labelledby="scan-upload-title">
            <h2 id="scan-upload-title">{tr(l, "scan-upload-title")}</h2>
            <p>
                {tr(l, "scan-separator-text")} " "
                <a href=page.separator_href.clone()>{tr(l, "scan-separator-download")}</a>
            </p>
            <p class="hint">{ocr_state}</p>
            {error_summary(l, errors, None)}
            <form method="post" action=page.upload_action.clone() enctype="multipart/form-data" class="form">
                {csrf_field(ctx)}
                {input_field(l, errors, Input::new("device", "scan-device", "text")
                    .value(&page.device).required().maxlength("100")
                    .hint(tr(l, "scan-device-hint")))}
                {select_field(l, errors, "mode", "scan-mode", modes,
                    if page.batch { "batch" } else { "single" }, true, None)}
                <div class=if file_invalid { "field field-has-error" } else { "field" }>
                    <label class="label" for="field-file">{tr(l, "scan-file")}</label>
                    <p class="hint" id="field-file-hint">{file_hint}</p>
                    {file_error}
                    <input class="input" type="file" id="field-file" name="file"
                        accept="application/pdf,image/jpeg,image/png" required=true
                        aria-invalid=file_invalid.then_some("true") aria-describedby=file_described />
                </div>
                <button type="submit" class="button">{tr(l, "scan-upload")}</button>
            </form>
        </section>
        <section aria-labelledby="scan-inbox-title">
            <h2 id="scan-inbox-title">{tr(l, "scan-inbox-title")}</h2>
            <dl class="summary-list">
                <div><dt>{tr(l, "scan-count-unassigned")}</dt><dd id="scan-count-unassigned">{page.unassigned}</dd></div>
                <div><dt>{tr(l, "scan-count-quality-failed")}</dt><dd>{page.quality_failed}</dd></div>
                <div><dt>{tr(l, "scan-count-ocr-queued")}</dt><dd>{page.ocr_queued}</dd></div>
            </dl>
            {empty}
            {table_region("scan-inbox", tr(l, "scan-inbox-caption"), scan_head(l), scan_rows(l, &page.inbox))}
        </section>
        <section aria-labelledby="scan-assigned-title">
            <h2 id="scan-assigned-title">{tr(l, "scan-assigned-title")}</h2>
            {table_region("scan-assigned", tr(l, "scan-assigned-caption"), scan_head(l), scan_rows(l, &page.assigned))}
        </section>
    };
    document(ctx, &tr(l, "scan-title"), body)
}

fn finding_text(l: Lang, code: &str, page: Option<u32>, value: Option<u32>) -> String {
    let text = tra(
        l,
        &format!("scan-finding-{code}"),
        &[("value", value.map(|v| v.to_string()).unwrap_or_default())],
    );
    match page {
        Some(p) => tra(
            l,
            "scan-finding-on-page",
            &[("page", p.to_string()), ("finding", text)],
        ),
        None => text,
    }
}

/// One scan: record, quality check, text, and assignment.
pub fn scan_detail(ctx: &PageContext, page: &ScanDetailView) -> String {
    let l = ctx.lang;
    let errors = &page.errors;
    let r = &page.row;
    let findings: Vec<_> = page
        .findings
        .iter()
        .map(|(code, fails, p, v)| {
            let text = finding_text(l, code, *p, *v);
            if *fails {
                view! { <li><strong>{text}</strong></li> }.into_any()
            } else {
                view! { <li>{text}</li> }.into_any()
            }
        })
        .collect();
    let no_findings = page
        .findings
        .is_empty()
        .then(|| view! { <p>{tr(l, "scan-no-findings")}</p> });
    let text = if page.text.trim().is_empty() {
        view! { <p>{tr(l, &format!("scan-text-{}", r.text_state))}</p> }.into_any()
    } else {
        view! { <pre class="scan-text" dir="auto">{page.text.clone()}</pre> }.into_any()
    };
    let assignment = match &page.assigned_at {
        Some(at) => {
            let to = match (&page.assigned_application, &page.assigned_person) {
                (Some(reference), _) => view! {
                    <p>
                        {tr(l, "scan-assigned-application")} " "
                        <a href=page.assigned_application_href.clone().unwrap_or_default() dir="ltr">{reference.clone()}</a>
                    </p>
                }
                .into_any(),
                (None, Some(number)) => view! {
                    <p>
                        {tr(l, "scan-assigned-person")} " "
                        <span dir="ltr">{number.clone()}</span> " · "
                        <a href=page.assigned_document_href.clone().unwrap_or_default()>{tr(l, "scan-assigned-document")}</a>
                    </p>
                }
                .into_any(),
                (None, None) => view! { <p></p> }.into_any(),
            };
            view! {
                <section aria-labelledby="scan-assignment-title">
                    <h2 id="scan-assignment-title">{tr(l, "scan-assignment-title")}</h2>
                    <p dir="ltr">{at.clone()}</p>
                    {to}
                </section>
            }
            .into_any()
        }
        None => {
            let mut positions = vec![(String::new(), tr(l, "scan-plan-position-choose"))];
            positions.extend(
                page.positions
                    .iter()
                    .map(|(p, t)| (p.clone(), format!("{p} {t}"))),
            );
            view! {
                <section aria-labelledby="scan-assignment-title">
                    <h2 id="scan-assignment-title">{tr(l, "scan-assignment-title")}</h2>
                    {error_summary(l, errors, None)}
                    <h3>{tr(l, "scan-assign-application-title")}</h3>
                    <form method="post" action=page.assign_action.clone() class="form">
                        {csrf_field(ctx)}
                        <input type="hidden" name="target" value="application" />
                        {input_field(l, errors, Input::new("application_reference", "scan-application-reference", "text")
                            .value(&page.application_reference).required().no_spellcheck())}
                        <button type="submit" class="button">{tr(l, "scan-assign-application")}</button>
                    </form>
                    <h3>{tr(l, "scan-assign-person-title")}</h3>
                    <form method="post" action=page.assign_action.clone() class="form">
                        {csrf_field(ctx)}
                        <input type="hidden" name="target" value="person" />
                        {input_field(l, errors, Input::new("person_file_number", "scan-person-file-number", "text")
                            .value(&page.person_file_number).required().no_spellcheck())}
                        {input_field(l, errors, Input::new("title", "scan-document-title", "text")
                            .value(&page.title).required().maxlength("200"))}
                        {select_field(l, errors, "plan_position", "scan-plan-position", positions,
                            &page.plan_position, true, None)}
                        <button type="submit" class="button">{tr(l, "scan-assign-person")}</button>
                    </form>
                </section>
            }
            .into_any()
        }
    };
    let body = view! {
        <p><a href="/workspace/intake/scans">{tr(l, "scan-back")}</a></p>
        {heading(r.file_name.clone(), Some(tr(l, "scan-record-lead")))}
        <section aria-labelledby="scan-record-title">
            <h2 id="scan-record-title">{tr(l, "scan-record-title")}</h2>
            <dl class="summary-list">
                <div><dt>{tr(l, "scan-col-scanned-at")}</dt><dd dir="ltr">{r.scanned_at.clone()}</dd></div>
                <div><dt>{tr(l, "scan-col-device")}</dt><dd dir="auto">{r.device.clone()}</dd></div>
                <div><dt>{tr(l, "scan-col-pages")}</dt><dd>{r.pages}</dd></div>
                <div><dt>{tr(l, "scan-col-batch")}</dt><dd>{r.batch_range.clone().unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>{tr(l, "scan-sha256")}</dt><dd><code class="hash">{page.sha256.clone()}</code></dd></div>
                <div><dt>{tr(l, "scan-batch-sha256")}</dt><dd><code class="hash">{page.batch_sha256.clone()}</code></dd></div>
                <div><dt>{tr(l, "scan-type")}</dt><dd>{page.content_type.clone()} " · " {page.size.clone()}</dd></div>
            </dl>
            <p><a class="button button-secondary" href=page.content_href.clone()>{tr(l, "scan-download")}</a></p>
        </section>
        <section aria-labelledby="scan-quality-title">
            <h2 id="scan-quality-title">{tr(l, "scan-quality-title")}</h2>
            <p id="scan-quality-result"><strong>{quality_text(l, r.quality_passed)}</strong></p>
            {no_findings}
            <ul class="bullets">{findings}</ul>
        </section>
        <section aria-labelledby="scan-text-title">
            <h2 id="scan-text-title">{tr(l, "scan-text-title")}</h2>
            {text}
        </section>
        {assignment}
    };
    document(ctx, &r.file_name, body)
}
