//! Rollout pages: the ministry console (figures, SVG charts with the same numbers as tables,
//! exports, a printable view) and the tenant admin's onboarding workspace. Texts in `rollout.ftl`.

use amtsweg_domain::tenant::Regierungsbezirk;
use leptos::prelude::*;

use crate::components::{Input, error_summary, input_field};
use crate::components::{
    TableStyle, csrf_field, document, heading, table_region, table_region_styled, tr, tra,
};
use crate::i18n::Lang;
use crate::model::{MinistryConsole, OperatorRolloutTenant, PageContext, RolloutWorkspace};

/// Euro amount in German notation from cents: `1.234,56 €`.
pub fn eur(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let euros = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02} €", abs % 100)
}

fn tenths(value: Option<u32>) -> String {
    value.map_or_else(|| "–".to_owned(), |t| format!("{},{}", t / 10, t % 10))
}

fn rb_name(value: &str) -> String {
    value
        .parse::<Regierungsbezirk>()
        .map(|rb| rb.name_de().to_owned())
        .unwrap_or_else(|_| value.to_owned())
}

fn service_name(l: Lang, service: &str) -> String {
    tr(l, &format!("rollout-service-{service}"))
}

fn num_row(cells: Vec<String>) -> AnyView {
    let mut cells = cells.into_iter();
    let first = cells.next().unwrap_or_default();
    let rest: Vec<_> = cells.map(|c| view! { <td class="num">{c}</td> }).collect();
    view! { <tr><th scope="row">{first}</th>{rest}</tr> }.into_any()
}

/// A horizontal bar chart of "value of total" rows, drawn on the server. The SVG is named by its
/// title and description; the table after it carries the same numbers.
fn progress_chart(
    id: &str,
    title: String,
    description: String,
    rows: &[(String, u64, u64)],
) -> impl IntoView + use<> {
    const ROW: u64 = 36;
    const LABEL_W: u64 = 190;
    const BAR_W: u64 = 300;
    let width = LABEL_W + BAR_W + 110;
    let height = (rows.len() as u64).max(1) * ROW + 8;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelledby = title_id.clone();
    let describedby = desc_id.clone();
    let bars: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, value, total))| {
            let y = i as u64 * ROW + 4;
            let max = (*total).max(1);
            let w = (value.min(total) * BAR_W).div_ceil(max);
            view! {
                <g>
                    <text x=(LABEL_W - 8).to_string() y=(y + 22).to_string() text-anchor="end" class="chart-label">
                        {name.clone()}
                    </text>
                    <rect x=LABEL_W.to_string() y=(y + 6).to_string() width=BAR_W.to_string() height="22"
                        class="chart-track" fill="#e8e8e8" />
                    <rect x=LABEL_W.to_string() y=(y + 6).to_string() width=w.to_string() height="22" class="chart-bar" />
                    <text x=(LABEL_W + BAR_W + 6).to_string() y=(y + 22).to_string() class="chart-value">
                        {format!("{value} / {total}")}
                    </text>
                </g>
            }
        })
        .collect();
    view! {
        <figure class="chart">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby=labelledby aria-describedby=describedby class="chart-svg" dir="ltr" focusable="false">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {bars}
            </svg>
        </figure>
    }
}

/// Monthly values (per mille) as a line; the same values are in the table next to it.
fn line_chart(
    id: &str,
    title: String,
    description: String,
    points: &[(String, i64)],
) -> impl IntoView + use<> {
    const LEFT: i64 = 48;
    const TOP: i64 = 12;
    const PLOT_W: i64 = 540;
    const PLOT_H: i64 = 180;
    const STEP: i64 = 20;
    let top = points.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let ceiling = (top + STEP - 1) / STEP * STEP;
    let count = i64::try_from(points.len()).unwrap_or(1).max(2) - 1;
    let x = move |i: usize| LEFT + i64::try_from(i).unwrap_or(0) * PLOT_W / count;
    let y = move |v: i64| TOP + PLOT_H - v.clamp(0, ceiling) * PLOT_H / ceiling;
    let grid: Vec<_> = (0..=ceiling / STEP)
        .map(|k| {
            let v = k * STEP;
            view! {
                <g>
                    <line x1=LEFT.to_string() x2=(LEFT + PLOT_W).to_string() y1=y(v).to_string()
                        y2=y(v).to_string() class="chart-grid" stroke="#d0d0d0" />
                    <text x=(LEFT - 6).to_string() y=(y(v) + 4).to_string() text-anchor="end" class="chart-label">
                        {format!("{} %", v / 10)}
                    </text>
                </g>
            }
        })
        .collect();
    // Every third month is labelled, so the labels never overlap.
    let labels: Vec<_> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(i, (label, _))| {
            view! {
                <text x=x(i).to_string() y=(TOP + PLOT_H + 18).to_string() text-anchor="middle" class="chart-label">
                    {label.clone()}
                </text>
            }
        })
        .collect();
    let line = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{},{}", x(i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let dots: Vec<_> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| view! { <circle cx=x(i).to_string() cy=y(*v).to_string() r="3" class="chart-dot" /> })
        .collect();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelledby = title_id.clone();
    let describedby = desc_id.clone();
    let height = TOP + PLOT_H + 28;
    let width = LEFT + PLOT_W + 16;
    view! {
        <figure class="chart">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {width} {height}") role="img"
                aria-labelledby=labelledby aria-describedby=describedby class="chart-svg" dir="ltr" focusable="false">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {grid}
                {labels}
                <polyline points=line fill="none" stroke="currentColor" stroke-width="2" class="chart-line" />
                {dots}
            </svg>
        </figure>
    }
}

/// Per mille as a percentage with one decimal: `102` → `10,2 %` in German.
/// A rate given per 1,000 as a percentage with one decimal, in the language's notation.
pub fn permille(l: Lang, value: i64) -> String {
    let text = format!("{}.{} %", value / 10, (value % 10).abs());
    if l == Lang::De {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The ministry console. `print`: the printable report (no navigation links or export buttons).
pub fn ministry_console(ctx: &PageContext, c: &MinistryConsole, print: bool) -> String {
    let l = ctx.lang;

    // Services at a glance.
    let service_rows: Vec<(String, u64, u64)> = c
        .services
        .iter()
        .filter(|s| s.taken_up)
        .map(|s| {
            (
                service_name(l, &s.service),
                s.committed as u64,
                s.eligible as u64,
            )
        })
        .collect();
    let service_summary = c
        .services
        .iter()
        .filter(|s| s.taken_up)
        .map(|s| {
            tra(
                l,
                "rollout-service-summary",
                &[
                    ("name", service_name(l, &s.service)),
                    ("count", s.committed.to_string()),
                    ("total", s.eligible.to_string()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let services_chart = progress_chart(
        "chart-services",
        tr(l, "rollout-services-title"),
        service_summary.clone(),
        &service_rows,
    );
    let services_table = table_region(
        "services",
        tr(l, "rollout-services-title"),
        vec![
            tr(l, "rollout-col-service"),
            tr(l, "rollout-col-eligible"),
            tr(l, "rollout-col-committed"),
            tr(l, "rollout-col-by-deadline"),
            tr(l, "rollout-col-connected"),
            tr(l, "rollout-col-vendor-solution"),
            tr(l, "rollout-col-deadline"),
        ],
        c.services
            .iter()
            .map(|s| {
                num_row(vec![
                    service_name(l, &s.service),
                    s.eligible.to_string(),
                    s.committed.to_string(),
                    s.committed_by_deadline.to_string(),
                    s.connected.to_string(),
                    s.vendor_solution.to_string(),
                    s.deadline.clone().unwrap_or_else(|| "–".into()),
                ])
            })
            .collect(),
    );

    // Money.
    let fund_rows: Vec<(String, u64, u64)> = c
        .funds
        .iter()
        .filter(|f| f.total_cents > 0)
        .map(|f| {
            let used = f.committed_cents + f.spent_cents;
            (
                tr(l, &format!("rollout-fund-{}", f.fund)),
                u64::try_from(used / 100).unwrap_or(0),
                u64::try_from(f.total_cents / 100).unwrap_or(0),
            )
        })
        .collect();
    let funds_chart = progress_chart(
        "chart-funds",
        tr(l, "rollout-funds-chart-title"),
        tr(l, "rollout-funds-chart-desc"),
        &fund_rows,
    );
    let funds_table = table_region(
        "funds",
        tr(l, "rollout-funds-title"),
        vec![
            tr(l, "rollout-col-fund"),
            tr(l, "rollout-col-total"),
            tr(l, "rollout-col-committed-money"),
            tr(l, "rollout-col-spent"),
            tr(l, "rollout-col-left"),
            tr(l, "rollout-col-usable-until"),
        ],
        c.funds
            .iter()
            .map(|f| {
                num_row(vec![
                    format!(
                        "{} ({})",
                        tr(l, &format!("rollout-fund-{}", f.fund)),
                        f.reference
                    ),
                    eur(f.total_cents),
                    eur(f.committed_cents),
                    eur(f.spent_cents),
                    if f.total_cents > 0 {
                        eur(f.left_cents)
                    } else {
                        "–".into()
                    },
                    f.usable_until.clone().unwrap_or_else(|| "–".into()),
                ])
            })
            .collect(),
    );
    let forecast_table = table_region(
        "forecast",
        tr(l, "rollout-forecast-title"),
        vec![
            tr(l, "rollout-col-year"),
            tr(l, "rollout-payer-state"),
            tr(l, "rollout-payer-municipality"),
        ],
        c.forecast
            .iter()
            .map(|f| {
                num_row(vec![
                    f.year.to_string(),
                    eur(f.state_cents),
                    eur(f.municipality_cents),
                ])
            })
            .collect(),
    );

    // Hardware.
    let hardware_table = table_region(
        "hardware",
        tr(l, "rollout-hardware-title"),
        vec![
            tr(l, "rollout-col-kind"),
            tr(l, "rollout-col-total-count"),
            tr(l, "rollout-col-delivered"),
            tr(l, "rollout-col-active"),
            tr(l, "rollout-col-defect"),
            tr(l, "rollout-col-tenants"),
        ],
        c.hardware
            .iter()
            .map(|h| {
                num_row(vec![
                    tr(l, &format!("rollout-device-{}", h.kind)),
                    h.total.to_string(),
                    h.delivered.to_string(),
                    h.active.to_string(),
                    h.defect.to_string(),
                    h.tenants_delivered.to_string(),
                ])
            })
            .collect(),
    );
    let health_table = table_region_styled(
        "health",
        tr(l, "rollout-health-title"),
        vec![tr(l, "rollout-col-health"), tr(l, "col-count")],
        c.device_health
            .iter()
            .map(|(h, n)| num_row(vec![tr(l, &format!("rollout-health-{h}")), n.to_string()]))
            .collect(),
        TableStyle {
            numeric_last: true,
            hidden_caption: false,
        },
    );

    // Regions.
    let region_rows: Vec<(String, u64, u64)> = c
        .regions
        .iter()
        .map(|r| {
            (
                rb_name(&r.regierungsbezirk),
                r.live as u64,
                r.tenants as u64,
            )
        })
        .collect();
    let regions_chart = progress_chart(
        "chart-regions",
        tr(l, "rollout-regions-chart-title"),
        tr(l, "rollout-regions-chart-desc"),
        &region_rows,
    );
    let regions_table = table_region(
        "regions",
        tr(l, "rollout-regions-title"),
        vec![
            tr(l, "rollout-col-region"),
            tr(l, "rollout-col-tenants"),
            tr(l, "rollout-col-live"),
            service_name(l, "einbuergerung"),
            service_name(l, "aufenthalt"),
            tr(l, "rollout-col-delivered"),
            tr(l, "rollout-col-maturity"),
        ],
        c.regions
            .iter()
            .map(|r| {
                num_row(vec![
                    rb_name(&r.regierungsbezirk),
                    r.tenants.to_string(),
                    r.live.to_string(),
                    r.einbuergerung_committed.to_string(),
                    r.aufenthalt_committed.to_string(),
                    r.devices_delivered.to_string(),
                    tenths(r.mean_level_tenths),
                ])
            })
            .collect(),
    );

    // Maturity.
    let maturity_table = table_region(
        "maturity",
        tr(l, "rollout-maturity-title"),
        vec![
            tr(l, "rollout-col-service"),
            tr(l, "rollout-col-surveyed"),
            tr(l, "rollout-col-level-ozg"),
            tr(l, "rollout-col-level-2025"),
            tr(l, "rollout-col-trend"),
        ],
        c.maturity
            .iter()
            .map(|m| {
                num_row(vec![
                    service_name(l, &m.service),
                    m.tenants_surveyed.to_string(),
                    tenths(m.mean_ozg_tenths),
                    tenths(m.mean_2025_tenths),
                    m.trend
                        .iter()
                        .map(|(year, t)| format!("{year}: {}", tenths(Some(*t))))
                        .collect::<Vec<_>>()
                        .join(", "),
                ])
            })
            .collect(),
    );

    // Deadlines missed.
    let missed_count = c.missed_deadlines.len();
    let missed_table = table_region(
        "missed",
        tr(l, "rollout-missed-title"),
        vec![
            tr(l, "rollout-col-authority"),
            tr(l, "rollout-col-service"),
            tr(l, "rollout-col-deadline"),
            tr(l, "rollout-col-committed-on"),
        ],
        c.missed_deadlines
            .iter()
            .map(|m| {
                let committed = m
                    .committed_on
                    .clone()
                    .unwrap_or_else(|| tr(l, "rollout-not-committed"));
                view! {
                    <tr>
                        <th scope="row">{m.tenant.clone()}</th>
                        <td>{service_name(l, &m.service)}</td>
                        <td>{m.deadline.clone()}</td>
                        <td>{committed}</td>
                    </tr>
                }
                .into_any()
            })
            .collect(),
    );

    // Data quality: the reconciliation with the AZR, statewide, month by month.
    let quality = match (c.reconciliation.first(), c.reconciliation.last()) {
        (Some(first), Some(latest)) => {
            let summary = tra(
                l,
                "rollout-quality-summary",
                &[
                    ("rate", permille(l, latest.incongruent_permille)),
                    ("month", latest.month.clone()),
                    ("count", latest.tenants_reporting.to_string()),
                    ("first", permille(l, first.incongruent_permille)),
                    ("since", first.month.clone()),
                ],
            );
            let points: Vec<(String, i64)> = c
                .reconciliation
                .iter()
                .map(|m| (m.month.clone(), m.incongruent_permille))
                .collect();
            let chart = line_chart(
                "chart-quality",
                tr(l, "rollout-quality-chart-title"),
                summary.clone(),
                &points,
            );
            let table = table_region(
                "quality",
                tr(l, "rollout-quality-chart-title"),
                vec![
                    tr(l, "rollout-col-month"),
                    tr(l, "rollout-col-reporting"),
                    tr(l, "rollout-col-records"),
                    tr(l, "rollout-col-incongruence"),
                ],
                c.reconciliation
                    .iter()
                    .rev()
                    .map(|m| {
                        num_row(vec![
                            m.month.clone(),
                            m.tenants_reporting.to_string(),
                            m.records.to_string(),
                            permille(l, m.incongruent_permille),
                        ])
                    })
                    .collect(),
            );
            view! {
                <p>{summary}</p>
                {chart}
                {table}
            }
            .into_any()
        }
        _ => view! { <p>{tr(l, "rollout-quality-empty")}</p> }.into_any(),
    };

    // Tenants.
    let tenants_table = table_region(
        "tenants",
        tr(l, "rollout-tenants-title"),
        vec![
            tr(l, "rollout-col-authority"),
            tr(l, "rollout-col-region"),
            tr(l, "rollout-col-lifecycle"),
            tr(l, "rollout-col-checklist"),
            service_name(l, "einbuergerung"),
            service_name(l, "aufenthalt"),
            tr(l, "rollout-col-delivered"),
            tr(l, "rollout-col-critical"),
            tr(l, "rollout-col-level-ozg"),
            tr(l, "rollout-col-incongruence"),
        ],
        c.tenants
            .iter()
            .filter(|t| t.kind != "ministry")
            .map(|t| {
                let status = |service: &str| {
                    t.services
                        .iter()
                        .find(|(s, ..)| s == service)
                        .map(|(_, status, committed, _)| {
                            let label = tr(l, &format!("rollout-status-{status}"));
                            match committed {
                                Some(day) => format!("{label} ({day})"),
                                None => label,
                            }
                        })
                        .unwrap_or_else(|| "–".to_owned())
                };
                view! {
                    <tr>
                        <th scope="row">{t.name.clone()}</th>
                        <td>{rb_name(&t.regierungsbezirk)}</td>
                        <td>{tr(l, &format!("lifecycle-{}", t.lifecycle))}</td>
                        <td class="num">{format!("{}/{}", t.checklist_done, t.checklist_total)}</td>
                        <td>{status("einbuergerung")}</td>
                        <td>{status("aufenthalt")}</td>
                        <td class="num">{t.devices_delivered.to_string()}</td>
                        <td class="num">{t.devices_critical.to_string()}</td>
                        <td class="num">{t.level_ozg.map_or_else(|| "–".to_owned(), |v| v.to_string())}</td>
                        <td class="num">{t.incongruent_permille.map_or_else(|| "–".to_owned(), |v| permille(l, v))}</td>
                    </tr>
                }
                .into_any()
            })
            .collect(),
    );

    let pik = c
        .hardware
        .iter()
        .find(|h| h.kind == "pik_chassis")
        .map(|h| h.delivered)
        .unwrap_or(0);
    let live = c
        .by_lifecycle
        .iter()
        .find(|(k, _)| k == "live")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    let actions = (!print).then(|| {
        view! {
            <p class="button-row">
                <a class="button button-secondary" href="/ministry/export.csv?table=tenants">{tr(l, "rollout-export-csv")}</a>
                <a class="button button-secondary" href="/ministry/export.xlsx">{tr(l, "rollout-export-xlsx")}</a>
                <a class="button button-secondary" href="/ministry/print">{tr(l, "rollout-print")}</a>
                <a class="button button-secondary" href="/ministry/report.pdf">{tr(l, "rollout-report-pdf")}</a>
            </p>
        }
    });
    let title = if print {
        tra(l, "rollout-print-title", &[("name", c.as_of.clone())])
    } else {
        tr(l, "rollout-console-title")
    };
    let body = view! {
        {heading(title.clone(), Some(tra(l, "rollout-console-lead", &[("name", c.as_of.clone())])))}
        {(!print).then(|| crate::pages_rollout_admin::ministry_tabs(l, "/ministry"))}
        <div class="notice notice-info"><p>{tr(l, "ministry-privacy-note")}</p></div>
        {actions}
        <dl class="stats">
            <div><dt>{tr(l, "rollout-stat-tenants")}</dt><dd>{c.tenants_total.to_string()}</dd></div>
            <div><dt>{tr(l, "rollout-stat-live")}</dt><dd>{live.to_string()}</dd></div>
            <div><dt>{tr(l, "rollout-stat-pik")}</dt>
                <dd>{tra(l, "rollout-stat-pik-value", &[("count", pik.to_string()), ("total", c.pik_chassis_tenants.to_string())])}</dd></div>
            <div><dt>{tr(l, "rollout-stat-missed")}</dt><dd>{missed_count.to_string()}</dd></div>
        </dl>
        <section aria-labelledby="h-services">
            <h2 id="h-services">{tr(l, "rollout-services-title")}</h2>
            <p>{service_summary}</p>
            {services_chart}
            {services_table}
        </section>
        <section aria-labelledby="h-missed">
            <h2 id="h-missed">{tr(l, "rollout-missed-title")}</h2>
            {missed_table}
        </section>
        <section aria-labelledby="h-funds">
            <h2 id="h-funds">{tr(l, "rollout-funds-title")}</h2>
            {funds_chart}
            {funds_table}
            <h3>{tr(l, "rollout-forecast-title")}</h3>
            {forecast_table}
        </section>
        <section aria-labelledby="h-hardware">
            <h2 id="h-hardware">{tr(l, "rollout-hardware-title")}</h2>
            {hardware_table}
            {health_table}
        </section>
        <section aria-labelledby="h-regions">
            <h2 id="h-regions">{tr(l, "rollout-regions-title")}</h2>
            {regions_chart}
            {regions_table}
        </section>
        <section aria-labelledby="h-maturity">
            <h2 id="h-maturity">{tr(l, "rollout-maturity-title")}</h2>
            <p>{tr(l, "rollout-maturity-lead")}</p>
            {maturity_table}
        </section>
        <section aria-labelledby="h-quality">
            <h2 id="h-quality">{tr(l, "rollout-quality-title")}</h2>
            {quality}
            {(!print).then(|| view! { <p><a href="/ministry/reconciliation">{tr(l, "rollout-quality-link")}</a></p> })}
        </section>
        <section aria-labelledby="h-tenants">
            <h2 id="h-tenants">{tr(l, "rollout-tenants-title")}</h2>
            {tenants_table}
        </section>
    };
    document(ctx, &title, body)
}

/// The tenant admin's rollout page: checklist (a form per item), EfA services, devices.
pub fn rollout_workspace(ctx: &PageContext, w: &RolloutWorkspace) -> String {
    let l = ctx.lang;
    let items: Vec<AnyView> = w
        .checklist
        .iter()
        .map(|item| {
            let label = tr(l, &format!("rollout-check-{}", item.item));
            let state = tr(l, if item.done { "rollout-done" } else { "rollout-open" });
            let form = (!item.derived && w.can_edit).then(|| {
                let next = if item.done { "false" } else { "true" };
                let button = tr(l, if item.done { "rollout-reopen" } else { "rollout-mark-done" });
                let note_id = format!("note-{}", item.item);
                let note_for = note_id.clone();
                view! {
                    <form method="post" action="/workspace/rollout/checklist" class="inline-form">
                        {csrf_field(ctx)}
                        <input type="hidden" name="item" value=item.item.clone() />
                        <input type="hidden" name="done" value=next />
                        <label for=note_for class="visually-hidden">{format!("{} – {}", tr(l, "rollout-note"), label.clone())}</label>
                        <input type="text" id=note_id name="note" value=item.note.clone() maxlength="500" />
                        <button type="submit" class="button button-secondary">{button}</button>
                    </form>
                }
            });
            let derived = item
                .derived
                .then(|| view! { <span class="hint">{tr(l, "rollout-derived")}</span> });
            view! {
                <tr>
                    <th scope="row">{label.clone()}</th>
                    <td>{state}{derived}</td>
                    <td>{form}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let checklist = table_region(
        "checklist",
        tr(l, "rollout-checklist-title"),
        vec![
            tr(l, "rollout-col-item"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-action"),
        ],
        items,
    );
    let services = table_region(
        "services",
        tr(l, "rollout-services-title"),
        vec![
            tr(l, "rollout-col-service"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-payer"),
            tr(l, "rollout-col-committed-on"),
        ],
        w.services
            .iter()
            .map(|(service, status, payer, committed)| {
                view! {
                    <tr>
                        <th scope="row">{service_name(l, service)}</th>
                        <td>{tr(l, &format!("rollout-status-{status}"))}</td>
                        <td>{tr(l, &format!("rollout-payer-{payer}"))}</td>
                        <td>{committed.clone().unwrap_or_else(|| "–".into())}</td>
                    </tr>
                }
                .into_any()
            })
            .collect(),
    );
    let devices = table_region(
        "devices",
        tr(l, "rollout-devices-title"),
        vec![
            tr(l, "rollout-col-kind"),
            tr(l, "rollout-col-serial"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-health"),
            tr(l, "rollout-col-version"),
            tr(l, "rollout-col-heartbeat"),
            tr(l, "rollout-col-certificate"),
        ],
        w.devices
            .iter()
            .map(|d| {
                view! {
                    <tr>
                        <th scope="row">{tr(l, &format!("rollout-device-{}", d.kind))}</th>
                        <td>{d.serial.clone()}</td>
                        <td>{tr(l, &format!("rollout-device-state-{}", d.state))}</td>
                        <td>{tr(l, &format!("rollout-health-{}", d.health))}</td>
                        <td>{d.software_version.clone()}</td>
                        <td>{d.last_heartbeat.clone().unwrap_or_else(|| "–".into())}</td>
                        <td>{d.certificate_expires_on.clone().unwrap_or_else(|| "–".into())}</td>
                    </tr>
                }
                .into_any()
            })
            .collect(),
    );
    let title = tr(l, "rollout-workspace-title");
    let body = view! {
        {heading(title.clone(), Some(tra(l, "rollout-workspace-lead", &[("status", tr(l, &format!("lifecycle-{}", w.lifecycle)))])))}
        {crate::pages_rollout_admin::workspace_tabs(l, "/workspace/rollout")}
        <p>{tra(l, "rollout-progress", &[("count", w.done.to_string()), ("total", w.total.to_string())])}</p>
        <section aria-labelledby="h-checklist">
            <h2 id="h-checklist">{tr(l, "rollout-checklist-title")}</h2>
            {checklist}
        </section>
        <section aria-labelledby="h-services">
            <h2 id="h-services">{tr(l, "rollout-services-title")}</h2>
            {services}
        </section>
        <section aria-labelledby="h-devices">
            <h2 id="h-devices">{tr(l, "rollout-devices-title")}</h2>
            <p>{tra(l, "rollout-registrations-waiting", &[("count", w.unprocessed_registrations.to_string())])}</p>
            {devices}
        </section>
    };
    document(ctx, &title, body)
}

/// The operator's list of tenants with their onboarding progress.
pub fn operator_rollout_list(ctx: &PageContext, tenants: &[OperatorRolloutTenant]) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = tenants
        .iter()
        .map(|t| {
            let href = format!("/operator/rollout/{}", t.id);
            view! {
                <tr>
                    <th scope="row"><a href=href>{t.name.clone()}</a></th>
                    <td>{tr(l, &format!("lifecycle-{}", t.lifecycle))}</td>
                    <td class="num">{format!("{}/{}", t.checklist_done, t.checklist_total)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let title = tr(l, "rollout-operator-title");
    let table = table_region(
        "onboarding",
        title.clone(),
        vec![
            tr(l, "rollout-col-authority"),
            tr(l, "rollout-col-lifecycle"),
            tr(l, "rollout-col-checklist"),
        ],
        rows,
    );
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-operator-lead")))}
        {table}
    };
    document(ctx, &title, body)
}

/// The operator's onboarding page of one tenant: invite the first admin, move the lifecycle.
pub fn operator_rollout_tenant(ctx: &PageContext, t: &OperatorRolloutTenant) -> String {
    let l = ctx.lang;
    let invite_action = format!("/operator/rollout/{}/invite", t.id);
    let lifecycle_action = format!("/operator/rollout/{}/lifecycle", t.id);
    let invite = matches!(t.lifecycle.as_str(), "catalogued" | "invited").then(|| {
        view! {
            <section aria-labelledby="h-invite">
                <h2 id="h-invite">{tr(l, "rollout-invite-title")}</h2>
                <form method="post" action=invite_action.clone() novalidate>
                    {csrf_field(ctx)}
                    {input_field(l, &t.errors, Input::new("email", "field-email", "email").value(&t.email).autocomplete("off").required())}
                    <button type="submit" class="button">{tr(l, "rollout-invite-submit")}</button>
                </form>
            </section>
        }
    });
    let buttons: Vec<_> = t
        .next_states
        .iter()
        .map(|next| {
            let label = tra(
                l,
                "rollout-move-to",
                &[("status", tr(l, &format!("lifecycle-{next}")))],
            );
            view! {
                <form method="post" action=lifecycle_action.clone() class="inline-form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="to" value=next.clone() />
                    <button type="submit" class="button button-secondary">{label}</button>
                </form>
            }
        })
        .collect();
    let title = t.name.clone();
    let body = view! {
        {heading(title.clone(), Some(tra(l, "rollout-workspace-lead", &[("status", tr(l, &format!("lifecycle-{}", t.lifecycle)))])))}
        {error_summary(l, &t.errors, None)}
        <p>{tra(l, "rollout-progress", &[("count", t.checklist_done.to_string()), ("total", t.checklist_total.to_string())])}</p>
        {invite}
        <section aria-labelledby="h-lifecycle">
            <h2 id="h-lifecycle">{tr(l, "rollout-lifecycle-title")}</h2>
            <p>{tr(l, "rollout-lifecycle-lead")}</p>
            <div class="button-row">{buttons}</div>
        </section>
    };
    document(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::{USED_KEYS, has_key};
    use crate::model::*;

    const FILES: [(Lang, &str); 5] = [
        (Lang::De, include_str!("../locales/de/rollout.ftl")),
        (Lang::En, include_str!("../locales/en/rollout.ftl")),
        (Lang::Ar, include_str!("../locales/ar/rollout.ftl")),
        (Lang::Uk, include_str!("../locales/uk/rollout.ftl")),
        (Lang::Tr, include_str!("../locales/tr/rollout.ftl")),
    ];

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, _)| id.trim().to_owned())
            .collect()
    }

    #[test]
    fn rollout_locale_files_have_the_same_keys_and_load() {
        let reference = keys(FILES[0].1);
        for (lang, source) in FILES {
            assert_eq!(keys(source), reference, "{}", lang.code());
            for key in &reference {
                assert!(has_key(lang, key), "{}: {key} does not load", lang.code());
            }
        }
    }

    fn console() -> MinistryConsole {
        MinistryConsole {
            as_of: "2025-03-01".into(),
            tenants_total: 3,
            by_lifecycle: vec![("live".into(), 1), ("catalogued".into(), 2)],
            services: vec![ConsoleService {
                service: "einbuergerung".into(),
                eligible: 84,
                committed: 58,
                committed_by_deadline: 58,
                connected: 10,
                vendor_solution: 0,
                deadline: Some("2024-09-01".into()),
                taken_up: true,
            }],
            funds: vec![ConsoleFund {
                fund: "federal_lump_sum".into(),
                reference: "§ 29".into(),
                usable_until: Some("2025-12-31".into()),
                total_cents: 5_000_000_000,
                committed_cents: 100,
                spent_cents: 200,
                left_cents: 4_999_999_700,
            }],
            hardware: vec![ConsoleHardware {
                kind: "pik_chassis".into(),
                total: 2,
                delivered: 1,
                active: 1,
                defect: 0,
                tenants_delivered: 1,
            }],
            pik_chassis_tenants: 1,
            device_health: vec![("ok".into(), 1), ("critical".into(), 0)],
            regions: vec![ConsoleRegion {
                regierungsbezirk: "muenster".into(),
                tenants: 2,
                live: 1,
                mean_level_tenths: Some(23),
                ..ConsoleRegion::default()
            }],
            missed_deadlines: vec![ConsoleMissed {
                tenant: "Stadt X".into(),
                service: "aufenthalt".into(),
                deadline: "2024-11-15".into(),
                committed_on: None,
            }],
            forecast: vec![ConsoleForecast {
                year: 2026,
                state_cents: 214_200,
                municipality_cents: 0,
            }],
            maturity: vec![ConsoleMaturity {
                service: "einbuergerung".into(),
                tenants_surveyed: 1,
                mean_ozg_tenths: Some(20),
                mean_2025_tenths: Some(30),
                trend: vec![(2025, 20)],
            }],
            reconciliation: vec![
                ConsoleReconciliation {
                    month: "2025-01".into(),
                    tenants_reporting: 2,
                    records: 40_000,
                    incongruent_permille: 102,
                },
                ConsoleReconciliation {
                    month: "2025-02".into(),
                    tenants_reporting: 3,
                    records: 52_000,
                    incongruent_permille: 87,
                },
            ],
            tenants: vec![ConsoleTenant {
                name: "Stadt X".into(),
                kind: "abh".into(),
                regierungsbezirk: "muenster".into(),
                lifecycle: "live".into(),
                checklist_total: 7,
                services: vec![(
                    "aufenthalt".into(),
                    "committed".into(),
                    Some("2024-12-01".into()),
                    None,
                )],
                ..ConsoleTenant::default()
            }],
        }
    }

    #[test]
    fn the_console_renders_charts_with_tables_and_every_key_exists() {
        for lang in [Lang::De, Lang::En] {
            let ctx = PageContext {
                lang,
                area: Area::Ministry,
                path: "/ministry".into(),
                ..PageContext::default()
            };
            let html = ministry_console(&ctx, &console(), false);
            assert!(html.contains("<svg") && html.contains("role=\"img\""));
            assert!(html.contains("58 / 84"));
            assert!(html.contains("50.000.000,00 €"));
            assert!(html.contains("/ministry/export.xlsx"));
            // The reconciliation trend: a line and its figures in words and in a table.
            assert!(html.contains("<polyline"));
            let latest = if lang == Lang::De { "8,7 %" } else { "8.7 %" };
            assert!(html.contains(latest) && html.contains("2025-02"));
            let print = ministry_console(&ctx, &console(), true);
            assert!(!print.contains("/ministry/export.xlsx"));
            assert!(html.contains("/ministry/report.pdf"));
            let workspace = rollout_workspace(
                &PageContext {
                    lang,
                    area: Area::Workspace,
                    ..PageContext::default()
                },
                &RolloutWorkspace {
                    lifecycle: "onboarding".into(),
                    checklist: vec![RolloutChecklistItem {
                        item: "file_plan".into(),
                        ..RolloutChecklistItem::default()
                    }],
                    services: vec![(
                        "einbuergerung".into(),
                        "committed".into(),
                        "state".into(),
                        None,
                    )],
                    devices: vec![RolloutDevice {
                        kind: "pik_chassis".into(),
                        serial: "K-1".into(),
                        state: "active".into(),
                        health: "ok".into(),
                        ..RolloutDevice::default()
                    }],
                    can_edit: true,
                    total: 7,
                    ..RolloutWorkspace::default()
                },
            );
            assert!(workspace.contains("/workspace/rollout/checklist"));
        }
        let used = USED_KEYS.lock().unwrap().clone();
        for key in used.iter().filter(|k| k.starts_with("rollout-")) {
            for lang in [Lang::De, Lang::En] {
                assert!(has_key(lang, key), "{}: {key} missing", lang.code());
            }
        }
    }

    #[test]
    fn euros_in_german_notation() {
        assert_eq!(eur(214_200), "2.142,00 €");
        assert_eq!(eur(-5), "-0,05 €");
    }
}
