//! The ministry's printable report as PDF (`/ministry/report.pdf` for the browser,
//! `/api/v1/ministry/report.pdf` for API clients): the console's figures, each authority's
//! reconciliation incongruence rate and the statewide trend month by month, computed from live data on every request. Aggregates only:
//! authority names and counts, sums and rates, never a person.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use amtsweg_domain::Permission;
use amtsweg_frontend::i18n::{Lang, t, t_args};
use amtsweg_frontend::model::{Area, MinistryConsole};
use amtsweg_frontend::pages_rollout::{eur, permille};
use amtsweg_pdf::{Column, Document};

use crate::AppState;
use crate::error::AppError;
use crate::identity::Identity;
use crate::pages::context_from_request;
use crate::routes::reconciliation::{TenantAggregate, ministry_aggregates};
use crate::routes::rollout_console;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(report_page).service(report_api);
}

fn dash(value: Option<&String>) -> String {
    value.cloned().unwrap_or_else(|| "–".into())
}

fn percent(rate: f64) -> String {
    format!("{:.1} %", rate * 100.0)
}

/// A section: its heading, then the table, or a line saying there is nothing to show.
fn section(
    doc: &mut Document,
    l: Lang,
    title: String,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
) {
    doc.subheading(title);
    if rows.is_empty() {
        doc.paragraph(t(l, "rollout-report-none"));
    } else {
        doc.table(columns, rows);
    }
}

/// The report in the ministry member's language.
pub fn report(l: Lang, c: &MinistryConsole, reconciliation: &[TenantAggregate]) -> Document {
    let count = |key: &str| {
        c.by_lifecycle
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let pik_delivered = c
        .hardware
        .iter()
        .find(|h| h.kind == "pik_chassis")
        .map(|h| h.delivered)
        .unwrap_or(0);
    let mut doc = Document::new(t_args(
        l,
        "rollout-print-title",
        &[("name", c.as_of.clone())],
    ))
    .right_to_left(l.dir() == "rtl");
    doc.heading(t_args(
        l,
        "rollout-print-title",
        &[("name", c.as_of.clone())],
    ))
    .paragraph(t_args(
        l,
        "rollout-console-lead",
        &[("name", c.as_of.clone())],
    ))
    .paragraph(t(l, "ministry-privacy-note"))
    .table(
        vec![Column::text("", 3.0), Column::number("", 2.0)],
        vec![
            vec![t(l, "rollout-stat-tenants"), c.tenants_total.to_string()],
            vec![t(l, "rollout-stat-live"), count("live").to_string()],
            vec![
                t(l, "rollout-stat-pik"),
                t_args(
                    l,
                    "rollout-stat-pik-value",
                    &[
                        ("count", pik_delivered.to_string()),
                        ("total", c.pik_chassis_tenants.to_string()),
                    ],
                ),
            ],
            vec![
                t(l, "rollout-stat-missed"),
                c.missed_deadlines.len().to_string(),
            ],
        ],
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-services-title"),
        vec![
            Column::text(t(l, "rollout-col-service"), 3.0),
            Column::number(t(l, "rollout-col-eligible"), 1.3),
            Column::number(t(l, "rollout-col-committed"), 1.3),
            Column::number(t(l, "rollout-col-by-deadline"), 1.5),
            Column::number(t(l, "rollout-col-connected"), 1.5),
            Column::number(t(l, "rollout-col-vendor-solution"), 1.8),
            Column::number(t(l, "rollout-col-deadline"), 1.8),
        ],
        c.services
            .iter()
            .map(|s| {
                vec![
                    t(l, &format!("rollout-service-{}", s.service)),
                    s.eligible.to_string(),
                    s.committed.to_string(),
                    s.committed_by_deadline.to_string(),
                    s.connected.to_string(),
                    s.vendor_solution.to_string(),
                    dash(s.deadline.as_ref()),
                ]
            })
            .collect(),
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-funds-title"),
        vec![
            Column::text(t(l, "rollout-col-fund"), 3.0),
            Column::number(t(l, "rollout-col-total"), 2.0),
            Column::number(t(l, "rollout-col-committed-money"), 2.0),
            Column::number(t(l, "rollout-col-spent"), 2.0),
            Column::number(t(l, "rollout-col-left"), 2.0),
            Column::number(t(l, "rollout-col-usable-until"), 1.6),
        ],
        c.funds
            .iter()
            .map(|f| {
                vec![
                    t(l, &format!("rollout-fund-{}", f.fund)),
                    eur(f.total_cents),
                    eur(f.committed_cents),
                    eur(f.spent_cents),
                    if f.total_cents > 0 {
                        eur(f.left_cents)
                    } else {
                        "–".into()
                    },
                    dash(f.usable_until.as_ref()),
                ]
            })
            .collect(),
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-forecast-title"),
        vec![
            Column::text(t(l, "rollout-col-year"), 1.0),
            Column::number(t(l, "rollout-payer-state"), 2.0),
            Column::number(t(l, "rollout-payer-municipality"), 2.0),
        ],
        c.forecast
            .iter()
            .map(|f| {
                vec![
                    f.year.to_string(),
                    eur(f.state_cents),
                    eur(f.municipality_cents),
                ]
            })
            .collect(),
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-hardware-title"),
        vec![
            Column::text(t(l, "rollout-col-kind"), 3.0),
            Column::number(t(l, "rollout-col-total-count"), 1.2),
            Column::number(t(l, "rollout-col-delivered"), 1.2),
            Column::number(t(l, "rollout-col-active"), 1.2),
            Column::number(t(l, "rollout-col-defect"), 1.2),
            Column::number(t(l, "rollout-col-tenants"), 1.2),
        ],
        c.hardware
            .iter()
            .map(|h| {
                vec![
                    t(l, &format!("rollout-device-{}", h.kind)),
                    h.total.to_string(),
                    h.delivered.to_string(),
                    h.active.to_string(),
                    h.defect.to_string(),
                    h.tenants_delivered.to_string(),
                ]
            })
            .collect(),
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-health-title"),
        vec![
            Column::text(t(l, "rollout-col-health"), 3.0),
            Column::number(t(l, "rollout-col-total-count"), 1.0),
        ],
        c.device_health
            .iter()
            .map(|(health, n)| vec![t(l, &format!("rollout-health-{health}")), n.to_string()])
            .collect(),
    );
    section(
        &mut doc,
        l,
        t(l, "rollout-quality-title"),
        vec![
            Column::text(t(l, "rollout-col-authority"), 4.0),
            Column::number(t(l, "rollout-col-runs"), 1.2),
            Column::number(t(l, "rollout-col-rate"), 1.6),
            Column::number(t(l, "rollout-col-previous-rate"), 1.6),
            Column::number(t(l, "rollout-col-latest-run"), 1.6),
        ],
        reconciliation
            .iter()
            .map(|a| {
                let previous = a
                    .runs
                    .len()
                    .checked_sub(2)
                    .and_then(|i| a.runs.get(i))
                    .map(|r| percent(r.incongruence_rate));
                vec![
                    a.tenant_name.clone(),
                    a.runs.len().to_string(),
                    percent(a.latest_incongruence_rate),
                    dash(previous.as_ref()),
                    a.latest_finished_at.format("%Y-%m-%d").to_string(),
                ]
            })
            .collect(),
    );
    // The statewide trend of the console's chart, as its table (month by month, newest first).
    if let (Some(first), Some(latest)) = (c.reconciliation.first(), c.reconciliation.last()) {
        doc.subheading(t(l, "rollout-quality-chart-title"));
        doc.paragraph(t_args(
            l,
            "rollout-quality-summary",
            &[
                ("rate", permille(l, latest.incongruent_permille)),
                ("month", latest.month.clone()),
                ("count", latest.tenants_reporting.to_string()),
                ("first", permille(l, first.incongruent_permille)),
                ("since", first.month.clone()),
            ],
        ));
        doc.table(
            vec![
                Column::text(t(l, "rollout-col-month"), 1.5),
                Column::number(t(l, "rollout-col-reporting"), 1.5),
                Column::number(t(l, "rollout-col-records"), 1.5),
                Column::number(t(l, "rollout-col-incongruence"), 1.5),
            ],
            c.reconciliation
                .iter()
                .rev()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.tenants_reporting.to_string(),
                        m.records.to_string(),
                        permille(l, m.incongruent_permille),
                    ]
                })
                .collect(),
        );
    }
    section(
        &mut doc,
        l,
        t(l, "rollout-missed-title"),
        vec![
            Column::text(t(l, "rollout-col-authority"), 4.0),
            Column::text(t(l, "rollout-col-service"), 2.0),
            Column::number(t(l, "rollout-col-deadline"), 1.5),
            Column::number(t(l, "rollout-col-committed-on"), 1.7),
        ],
        c.missed_deadlines
            .iter()
            .map(|m| {
                vec![
                    m.tenant.clone(),
                    t(l, &format!("rollout-service-{}", m.service)),
                    m.deadline.clone(),
                    m.committed_on
                        .clone()
                        .unwrap_or_else(|| t(l, "rollout-not-committed")),
                ]
            })
            .collect(),
    );
    doc
}

async fn report_response(state: &AppState, lang: Lang) -> Result<HttpResponse, AppError> {
    let console = rollout_console::overview(state).await?;
    let reconciliation = ministry_aggregates(state).await?;
    let pdf = report(lang, &console, &reconciliation)
        .render()
        .map_err(|err| AppError::internal(err.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"rollout-report-{}.pdf\"",
                console.as_of
            ),
        ))
        .body(pdf))
}

/// The printable report, linked from the console.
#[get("/ministry/report.pdf")]
async fn report_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    report_response(&state, context_from_request(&req, Area::Ministry).lang).await
}

/// The console's figures and the reconciliation rates as a printable PDF report (language from
/// `Accept-Language`, German by default); aggregates only.
#[utoipa::path(get, path = "/api/v1/ministry/report.pdf", tag = "ministry",
    responses((status = 200, description = "the report", content_type = "application/pdf"), (status = 403)))]
#[get("/api/v1/ministry/report.pdf")]
pub(crate) async fn report_api(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    report_response(&state, context_from_request(&req, Area::Ministry).lang).await
}
