//! The AZR reconciliation (Datenabgleich): upload, progress, results, pair view, ministry chart.
//!
//! Progress without JavaScript: while a run is queued or running its page refreshes itself every
//! two seconds (HTTP `Refresh` header, with a link that stops it) and shows a `<progress>` element with the percentage
//! in a polite live region.

use leptos::prelude::*;

use crate::components::{
    TableStyle, csrf_field, document, error_summary, heading, table_region, table_region_styled,
    tr, tra,
};
use crate::i18n::Lang;
use crate::model::{
    PageContext, ReconDiffRow, ReconMinistry, ReconOverview, ReconPairPage, ReconRunPage,
    ReconRunRow,
};

/// Compared fields, in spec order.
pub const FIELDS: [&str; 12] = [
    "azr_number",
    "family_name",
    "given_names",
    "birth_name",
    "date_of_birth",
    "place_of_birth",
    "country_of_birth",
    "sex",
    "nationality",
    "residence_status",
    "permit_valid_until",
    "municipality_code",
];
pub const CLASSES: [&str; 6] = [
    "identical",
    "different",
    "only_local",
    "only_azr",
    "duplicate",
    "ambiguous",
];
pub const DECISIONS: [&str; 5] = ["open", "accepted", "other_side", "entered", "research"];

fn value_name(l: Lang, group: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    tr(l, &format!("recon-{group}-{}", value.replace('_', "-")))
}

fn run_state(l: Lang, run: &ReconRunRow) -> String {
    value_name(l, "state", &run.state)
}

/// Seconds after which the HTTP layer asks the browser to reload a run page (`Refresh` header), or
/// none. A `<meta http-equiv="refresh">` would do the same but fails WCAG 2.2.1 (axe `meta-refresh`)
/// because the user cannot stop it; the header comes with a link that turns it off.
pub fn refresh_secs(page: &ReconRunPage) -> Option<u32> {
    let in_progress = page.run.state == "queued" || page.run.state == "running";
    (in_progress && page.auto_refresh).then_some(2)
}

/// The start page: upload form and list of runs.
pub fn overview(ctx: &PageContext, page: &ReconOverview) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = page
        .runs
        .iter()
        .map(|run| {
            let href = format!("/workspace/reconciliation/runs/{}", run.id);
            let rate = run
                .incongruence_percent
                .clone()
                .map(|p| format!("{p} %"))
                .unwrap_or_default();
            view! {
                <tr>
                    <td class="nowrap"><a href=href>{run.created_at.clone()}</a></td>
                    <td>{run_state(l, run)}</td>
                    <td>{value_name(l, "source", &run.azr_source)}</td>
                    <td class="num">{run.records_local.to_string()}</td>
                    <td class="num">{run.records_azr.to_string()}</td>
                    <td class="num">{run.differences.to_string()}</td>
                    <td class="num">{rate}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = if rows.is_empty() {
        view! { <p>{tr(l, "recon-runs-empty")}</p> }.into_any()
    } else {
        table_region_styled(
            "recon-runs",
            tr(l, "recon-runs-title"),
            [
                "recon-col-started",
                "recon-col-state",
                "recon-col-source",
                "recon-col-local",
                "recon-col-azr",
                "recon-col-differences",
                "recon-col-rate",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            rows,
            TableStyle {
                numeric_last: true,
                hidden_caption: true,
            },
        )
        .into_any()
    };
    let local_error = page.errors.get("local").map(|key| {
        view! { <p class="field-error" id="field-local-error">{tr(l, key)}</p> }
    });
    let azr_error = page.errors.get("azr").map(|key| {
        view! { <p class="field-error" id="field-azr-error">{tr(l, key)}</p> }
    });
    let local_invalid = page.errors.contains_key("local").then_some("true");
    let azr_invalid = page.errors.contains_key("azr").then_some("true");
    let local_described = if page.errors.contains_key("local") {
        "field-local-hint field-local-error"
    } else {
        "field-local-hint"
    };
    let azr_described = if page.errors.contains_key("azr") {
        "field-azr-hint field-azr-error"
    } else {
        "field-azr-hint"
    };
    let limit_hint = tra(
        l,
        "recon-upload-limit",
        &[("count", page.max_upload_mib.to_string())],
    );
    let body = view! {
        {heading(tr(l, "recon-title"), Some(tr(l, "recon-lead")))}
        <section class="panel" aria-labelledby="recon-upload-title">
            <h2 id="recon-upload-title">{tr(l, "recon-upload-title")}</h2>
            {error_summary(l, &Default::default(), page.errors.values().next().map(String::as_str))}
            <form method="post" action="/workspace/reconciliation" enctype="multipart/form-data" class="form">
                {csrf_field(ctx)}
                <div class="field">
                    <label class="label" for="field-local">{tr(l, "recon-field-local")}
                        <span class="required-marker">" (" {tr(l, "required")} ")"</span></label>
                    <p class="hint" id="field-local-hint">{tr(l, "recon-field-local-hint")} " " {limit_hint.clone()}</p>
                    {local_error}
                    <input class="input" id="field-local" name="local" type="file" accept=".csv,text/csv"
                        required=true aria-required="true" aria-invalid=local_invalid aria-describedby=local_described />
                </div>
                <div class="field">
                    <label class="label" for="field-azr">{tr(l, "recon-field-azr")}</label>
                    <p class="hint" id="field-azr-hint">{tr(l, "recon-field-azr-hint")}</p>
                    {azr_error}
                    <input class="input" id="field-azr" name="azr" type="file" accept=".csv,text/csv"
                        aria-invalid=azr_invalid aria-describedby=azr_described />
                </div>
                <div class="button-row">
                    <button type="submit" class="button">{tr(l, "recon-start")}</button>
                </div>
            </form>
        </section>
        <section aria-labelledby="recon-runs-heading">
            <h2 id="recon-runs-heading">{tr(l, "recon-runs-title")}</h2>
            {table}
        </section>
    };
    document(ctx, &tr(l, "recon-title"), body)
}

fn select(
    l: Lang,
    name: &'static str,
    label_key: &'static str,
    group: &'static str,
    values: &[&str],
    selected: &str,
) -> impl IntoView + use<> {
    let id = format!("field-{name}");
    let mut options = vec![
        view! { <option value="" selected=selected.is_empty()>{tr(l, "filter-all")}</option> }
            .into_any(),
    ];
    for value in values {
        let is_selected = *value == selected;
        options.push(
            view! { <option value=value.to_string() selected=is_selected>{value_name(l, group, value)}</option> }
                .into_any(),
        );
    }
    let label_for = id.clone();
    view! {
        <div class="field">
            <label class="label" for=label_for>{tr(l, label_key)}</label>
            <select class="select" id=id name=name>{options}</select>
        </div>
    }
}

fn diff_row(l: Lang, row: &ReconDiffRow) -> AnyView {
    let href = format!(
        "/workspace/reconciliation/pairs/{}#diff-{}",
        row.pair_id, row.id
    );
    view! {
        <tr>
            <td><a href=href>{row.local_record_id.clone()} " / " {row.azr_record_id.clone()}</a></td>
            <td>{value_name(l, "field", &row.field)}</td>
            <td>{value_name(l, "kind", &row.kind)}</td>
            <td class="break">{row.local_value.clone()}</td>
            <td class="break">{row.azr_value.clone()}</td>
            <td>{value_name(l, "side", &row.proposed_side)}</td>
            <td>{value_name(l, "decision", &row.decision)}</td>
        </tr>
    }
    .into_any()
}

/// A run: progress while it runs; summary, filters, results and exports when it is done.
pub fn run_page(ctx: &PageContext, page: &ReconRunPage) -> String {
    let l = ctx.lang;
    let run = &page.run;
    let in_progress = run.state == "queued" || run.state == "running";
    let title = tra(l, "recon-run-title", &[("name", run.created_at.clone())]);
    let here = format!("/workspace/reconciliation/runs/{}", run.id);
    let refresh_controls = if page.auto_refresh {
        let off = format!("{here}?refresh=off");
        view! {
            <p class="hint">{tr(l, "recon-progress-refresh")} " "
                <a href=off>{tr(l, "recon-refresh-stop")}</a></p>
        }
        .into_any()
    } else {
        let now = format!("{here}?refresh=off");
        let on = here.clone();
        view! {
            <p class="hint"><a href=now>{tr(l, "recon-refresh-now")}</a> " · "
                <a href=on>{tr(l, "recon-refresh-resume")}</a></p>
        }
        .into_any()
    };
    let status = if in_progress {
        let percent = run.percent.to_string();
        let label = tra(l, "recon-progress", &[("count", percent.clone())]);
        let stage = value_name(l, "stage", &run.stage);
        view! {
            <section class="panel" aria-labelledby="recon-progress-title">
                <h2 id="recon-progress-title">{run_state(l, run)}</h2>
                <progress id="recon-progress" max="100" value=percent aria-describedby="recon-progress-text">
                    {label.clone()}
                </progress>
                <p id="recon-progress-text" role="status" aria-live="polite">{label} " " {stage}</p>
                {refresh_controls}
            </section>
        }
        .into_any()
    } else if run.state == "failed" {
        let detail = run.error.clone().unwrap_or_default();
        view! {
            <div class="notice notice-error" role="alert">
                <p>{tr(l, "recon-failed")}</p>
                <p>{detail}</p>
            </div>
        }
        .into_any()
    } else {
        let rate = run.incongruence_percent.clone().unwrap_or_default();
        let classes: Vec<AnyView> = page
            .classes
            .iter()
            .map(|(class, n)| {
                let href = format!("?class={class}");
                view! { <div><dt><a href=href>{value_name(l, "class", class)}</a></dt><dd>{n.to_string()}</dd></div> }
                    .into_any()
            })
            .collect();
        let csv = page.export_csv.clone();
        let xml = page.export_xml.clone();
        view! {
            <dl class="facts">
                <div><dt>{tr(l, "recon-col-local")}</dt><dd>{run.records_local.to_string()}</dd></div>
                <div><dt>{tr(l, "recon-col-azr")}</dt><dd>{run.records_azr.to_string()}</dd></div>
                <div><dt>{tr(l, "recon-col-rate")}</dt><dd>{rate} " %"</dd></div>
                {classes}
            </dl>
            <section class="panel" aria-labelledby="recon-exports-title">
                <h2 id="recon-exports-title">{tr(l, "recon-exports-title")}</h2>
                <p>{tr(l, "recon-exports-text")}</p>
                <ul>
                    <li><a href=csv download="">{tr(l, "recon-export-csv")}</a></li>
                    <li><a href=xml download="">{tr(l, "recon-export-xml")}</a></li>
                </ul>
            </section>
        }
        .into_any()
    };

    let results = (run.state == "done").then(|| {
        let f = &page.filter;
        let rows: Vec<AnyView> = page.rows.iter().map(|row| diff_row(l, row)).collect();
        let table = if rows.is_empty() {
            view! { <p>{tr(l, "recon-results-empty")}</p> }.into_any()
        } else {
            table_region(
                "recon-results",
                tra(l, "recon-results-caption", &[("total", page.total.to_string())]),
                [
                    "recon-col-pair",
                    "recon-col-field",
                    "recon-col-kind",
                    "recon-col-local-value",
                    "recon-col-azr-value",
                    "recon-col-proposal",
                    "recon-col-decision",
                ]
                .iter()
                .map(|k| tr(l, k))
                .collect(),
                rows,
            )
            .into_any()
        };
        let base = format!("/workspace/reconciliation/runs/{}", run.id);
        let pagination = (page.page_count > 1).then(|| {
            let href = |p: u64| {
                if page.filter_query.is_empty() {
                    format!("{base}?page={p}")
                } else {
                    format!("{base}?{}&page={p}", page.filter_query)
                }
            };
            let prev = (page.page > 1).then(|| {
                view! { <li><a href=href(page.page - 1) rel="prev">{tr(l, "pagination-prev")}</a></li> }
            });
            let next = (page.page < page.page_count).then(|| {
                view! { <li><a href=href(page.page + 1) rel="next">{tr(l, "pagination-next")}</a></li> }
            });
            let position = tra(
                l,
                "pagination-position",
                &[
                    ("page", page.page.to_string()),
                    ("count", page.page_count.to_string()),
                ],
            );
            view! {
                <nav class="pagination" aria-label=tr(l, "pagination-label")>
                    <ul>{prev}<li aria-current="page"><span>{position}</span></li>{next}</ul>
                </nav>
            }
        });
        let reset = base.clone();
        view! {
            <section aria-labelledby="recon-results-title">
                <h2 id="recon-results-title">{tr(l, "recon-results-title")}</h2>
                <form method="get" action=base class="form filter-form" role="search"
                    aria-label=tr(l, "recon-filter-title")>
                    {select(l, "class", "recon-col-class", "class", &CLASSES, &f.class)}
                    {select(l, "field", "recon-col-field", "field", &FIELDS, &f.field)}
                    {select(l, "kind", "recon-col-kind", "kind", &["variant", "value"], &f.kind)}
                    {select(l, "proposed_side", "recon-col-proposal", "side", &["local", "azr"], &f.proposed_side)}
                    {select(l, "decision", "recon-col-decision", "decision", &DECISIONS, &f.decision)}
                    <div class="button-row">
                        <button type="submit" class="button">{tr(l, "filter-submit")}</button>
                        <a href=reset class="button button-secondary">{tr(l, "filter-reset")}</a>
                    </div>
                </form>
                {table}
                {pagination}
            </section>
        }
    });

    let body = view! {
        <p><a href="/workspace/reconciliation">{tr(l, "recon-back")}</a></p>
        {heading(title.clone(), None)}
        {status}
        {results}
    };
    document(ctx, &title, body)
}

/// A linked pair: both records side by side, differences highlighted, with decision forms.
pub fn pair_page(ctx: &PageContext, page: &ReconPairPage) -> String {
    let l = ctx.lang;
    let title = tr(l, "recon-pair-title");
    let rows: Vec<AnyView> = page
        .fields
        .iter()
        .map(|f| {
            let differs = f.difference.is_some();
            let class = if differs { "diff-row" } else { "" };
            let marker = differs.then(|| {
                view! { <span class="visually-hidden">{tr(l, "recon-differs")} ": "</span> }
            });
            let local = if differs {
                view! { <td class="break"><mark>{f.local_value.clone()}</mark></td> }.into_any()
            } else {
                view! { <td class="break">{f.local_value.clone()}</td> }.into_any()
            };
            let azr = if differs {
                view! { <td class="break"><mark>{f.azr_value.clone()}</mark></td> }.into_any()
            } else {
                view! { <td class="break">{f.azr_value.clone()}</td> }.into_any()
            };
            view! {
                <tr class=class>
                    <th scope="row">{marker}{value_name(l, "field", &f.field)}</th>
                    {local}
                    {azr}
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "recon-pair",
        tr(l, "recon-pair-caption"),
        vec![
            tr(l, "recon-col-field"),
            format!("{} ({})", tr(l, "recon-side-local"), page.local_record_id),
            format!("{} ({})", tr(l, "recon-side-azr"), page.azr_record_id),
        ],
        rows,
    );
    let decisions: Vec<AnyView> = page
        .fields
        .iter()
        .filter_map(|f| f.difference.as_ref())
        .map(|d| {
            let section_id = format!("diff-{}", d.id);
            let heading_id = format!("diff-{}-title", d.id);
            let labelledby = heading_id.clone();
            let action = format!("/workspace/reconciliation/differences/{}/decision", d.id);
            let value_id = format!("value-{}", d.id);
            let value_label_for = value_id.clone();
            let note_id = format!("note-{}", d.id);
            let note_label_for = note_id.clone();
            let proposal = tra(
                l,
                "recon-proposal",
                &[("name", value_name(l, "side", &d.proposed_side))],
            );
            view! {
                <section class="panel" id=section_id aria-labelledby=labelledby>
                    <h3 id=heading_id>{value_name(l, "field", &d.field)} " – " {value_name(l, "kind", &d.kind)}</h3>
                    <p>{proposal}</p>
                    <p class="hint">{d.reason.clone()}</p>
                    <p>{tr(l, "recon-col-decision")} ": " {value_name(l, "decision", &d.decision)}
                       " · " {value_name(l, "status", &d.change_status)}</p>
                    <form method="post" action=action class="form">
                        {csrf_field(ctx)}
                        <fieldset>
                            <legend>{tr(l, "recon-decide")}</legend>
                            <div class="radio"><label><input type="radio" name="kind" value="accept" checked=true />" " {tr(l, "recon-decide-accept")}</label></div>
                            <div class="radio"><label><input type="radio" name="kind" value="other_side" />" " {tr(l, "recon-decide-other")}</label></div>
                            <div class="radio"><label><input type="radio" name="kind" value="value" />" " {tr(l, "recon-decide-value")}</label></div>
                            <div class="radio"><label><input type="radio" name="kind" value="research" />" " {tr(l, "recon-decide-research")}</label></div>
                        </fieldset>
                        <div class="field">
                            <label class="label" for=value_label_for>{tr(l, "recon-field-value")}</label>
                            <input class="input" id=value_id name="value" type="text" />
                        </div>
                        <div class="field">
                            <label class="label" for=note_label_for>{tr(l, "recon-field-note")}</label>
                            <input class="input" id=note_id name="note" type="text" />
                        </div>
                        <div class="button-row">
                            <button type="submit" class="button">{tr(l, "recon-decide-submit")}</button>
                        </div>
                    </form>
                </section>
            }
            .into_any()
        })
        .collect();
    let back = format!("/workspace/reconciliation/runs/{}", page.run_id);
    let body = view! {
        <p><a href=back>{tr(l, "recon-back-run")}</a></p>
        {heading(title.clone(), None)}
        {error_summary(l, &page.errors, None)}
        <dl class="facts">
            <div><dt>{tr(l, "recon-col-class")}</dt><dd>{value_name(l, "class", &page.class)}</dd></div>
            <div><dt>{tr(l, "recon-weight")}</dt><dd>{page.weight.clone()}</dd></div>
        </dl>
        {table}
        <section class="panel" aria-labelledby="recon-explanation-title">
            <h2 id="recon-explanation-title">{tr(l, "recon-explanation")}</h2>
            <p class="break">{page.explanation.clone()}</p>
        </section>
        <h2>{tr(l, "recon-differences-title")}</h2>
        {decisions}
    };
    document(ctx, &title, body)
}

/// The ministry's chart: each tenant's latest incongruence rate, with its trend. Aggregates only.
pub fn ministry_page(ctx: &PageContext, page: &ReconMinistry) -> String {
    let l = ctx.lang;
    const ROW: usize = 36;
    const LABEL_W: usize = 200;
    const BAR_W: usize = 300;
    const WIDTH: usize = LABEL_W + BAR_W + 70;
    let max = page
        .tenants
        .iter()
        .filter_map(|t| t.rates.last().copied())
        .fold(1.0_f64, f64::max);
    let height = page.tenants.len().max(1) * ROW + 8;
    let bars: Vec<AnyView> = page
        .tenants
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let y = i * ROW + 4;
            let latest = t.rates.last().copied().unwrap_or_default();
            let w = ((latest / max) * BAR_W as f64).round().max(2.0) as usize;
            view! {
                <g>
                    <text x=(LABEL_W - 8).to_string() y=(y + 22).to_string() text-anchor="end" class="chart-label">
                        {t.tenant_name.clone()}
                    </text>
                    <rect x=LABEL_W.to_string() y=(y + 6).to_string() width=w.to_string() height="22" class="chart-bar" />
                    <text x=(LABEL_W + w + 6).to_string() y=(y + 22).to_string() class="chart-value">
                        {format!("{latest:.1} %")}
                    </text>
                </g>
            }
            .into_any()
        })
        .collect();
    let summary = page
        .tenants
        .iter()
        .map(|t| {
            format!(
                "{}: {:.1} %",
                t.tenant_name,
                t.rates.last().copied().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let chart_title = tr(l, "recon-ministry-chart");
    let aria_label = format!("{chart_title}. {summary}");
    let rows: Vec<AnyView> = page
        .tenants
        .iter()
        .map(|t| {
            let trend = t
                .rates
                .iter()
                .map(|r| format!("{r:.1}"))
                .collect::<Vec<_>>()
                .join(" → ");
            view! {
                <tr>
                    <th scope="row">{t.tenant_name.clone()}</th>
                    <td class="nowrap">{t.latest_at.clone()}</td>
                    <td>{trend}</td>
                    <td class="num">{format!("{:.1} %", t.rates.last().copied().unwrap_or_default())}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let content = if page.tenants.is_empty() {
        view! { <p>{tr(l, "recon-ministry-empty")}</p> }.into_any()
    } else {
        let view_box = format!("0 0 {WIDTH} {height}");
        view! {
            <figure class="chart">
                <svg xmlns="http://www.w3.org/2000/svg" viewBox=view_box role="img" aria-label=aria_label
                    class="chart-svg" dir="ltr" focusable="false">
                    <title>{chart_title.clone()}</title>
                    {bars}
                </svg>
            </figure>
            {table_region_styled(
                "recon-ministry",
                chart_title.clone(),
                vec![
                    tr(l, "recon-ministry-tenant"),
                    tr(l, "recon-ministry-latest-at"),
                    tr(l, "recon-ministry-trend"),
                    tr(l, "recon-col-rate"),
                ],
                rows,
                TableStyle { numeric_last: true, hidden_caption: true },
            )}
        }
        .into_any()
    };
    let body = view! {
        {heading(tr(l, "recon-ministry-title"), Some(tr(l, "recon-ministry-lead")))}
        <div class="notice notice-info"><p>{tr(l, "ministry-privacy-note")}</p></div>
        {content}
    };
    document(ctx, &tr(l, "recon-ministry-title"), body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::has_key;
    use crate::model::{ReconFieldRow, ReconTenantTrend};

    const FILES: [(Lang, &str); 5] = [
        (Lang::De, include_str!("../locales/de/reconciliation.ftl")),
        (Lang::En, include_str!("../locales/en/reconciliation.ftl")),
        (Lang::Ar, include_str!("../locales/ar/reconciliation.ftl")),
        (Lang::Uk, include_str!("../locales/uk/reconciliation.ftl")),
        (Lang::Tr, include_str!("../locales/tr/reconciliation.ftl")),
    ];

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, _)| id.trim().to_owned())
            .collect()
    }

    fn values(source: &str) -> std::collections::BTreeMap<String, String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, v)| (id.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }

    #[test]
    fn arabic_ukrainian_and_turkish_texts_are_translations_not_english() {
        let en = values(FILES[1].1);
        for (lang, source) in &FILES[2..] {
            let same: Vec<String> = values(source)
                .into_iter()
                .filter(|(k, v)| en.get(k) == Some(v) && v.as_str() != "AZR")
                .map(|(k, _)| k)
                .collect();
            assert!(same.is_empty(), "{}: still English: {same:?}", lang.code());
        }
    }

    #[test]
    fn reconciliation_texts_exist_in_every_language_and_load() {
        let reference = keys(FILES[0].1);
        assert!(reference.len() > 60);
        for (lang, source) in FILES {
            assert!(
                fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned()).is_ok(),
                "{} reconciliation.ftl has syntax errors",
                lang.code()
            );
            assert_eq!(
                keys(source),
                reference,
                "{}: keys differ from German",
                lang.code()
            );
            for key in &reference {
                assert!(has_key(lang, key), "{}: {key} does not load", lang.code());
            }
        }
        // Every value the pages translate has a key.
        for f in FIELDS {
            assert!(
                reference.contains(&format!("recon-field-{}", f.replace('_', "-"))),
                "{f}"
            );
        }
        for c in CLASSES {
            assert!(
                reference.contains(&format!("recon-class-{}", c.replace('_', "-"))),
                "{c}"
            );
        }
        for d in DECISIONS {
            assert!(
                reference.contains(&format!("recon-decision-{}", d.replace('_', "-"))),
                "{d}"
            );
        }
    }

    #[test]
    fn a_running_run_refreshes_and_announces_progress() {
        let ctx = PageContext::default();
        let page = ReconRunPage {
            run: ReconRunRow {
                id: "r1".into(),
                state: "running".into(),
                stage: "score".into(),
                percent: 42,
                ..ReconRunRow::default()
            },
            ..ReconRunPage::default()
        };
        let page = ReconRunPage {
            auto_refresh: true,
            ..page
        };
        assert_eq!(refresh_secs(&page), Some(2));
        let html = run_page(&ctx, &page);
        assert!(!html.contains("http-equiv"));
        assert!(html.contains("?refresh=off"));
        assert!(html.contains("<progress"));
        assert!(html.contains(r#"aria-live="polite""#));
        assert!(html.contains("42"));
        let done = run_page(
            &ctx,
            &ReconRunPage {
                run: ReconRunRow {
                    state: "done".into(),
                    ..page.run.clone()
                },
                ..ReconRunPage::default()
            },
        );
        assert!(!done.contains("<progress"));
        let stopped = ReconRunPage {
            auto_refresh: false,
            ..page.clone()
        };
        assert_eq!(refresh_secs(&stopped), None);
    }

    #[test]
    fn pair_and_ministry_pages_render_escaped() {
        let ctx = PageContext::default();
        let pair = ReconPairPage {
            fields: vec![ReconFieldRow {
                field: "family_name".into(),
                local_value: "<Müller>".into(),
                azr_value: "Mueller".into(),
                difference: Some(ReconDiffRow {
                    id: "d1".into(),
                    field: "family_name".into(),
                    kind: "variant".into(),
                    proposed_side: "azr".into(),
                    decision: "open".into(),
                    change_status: "new".into(),
                    ..ReconDiffRow::default()
                }),
            }],
            ..ReconPairPage::default()
        };
        let html = pair_page(&ctx, &pair);
        assert!(html.contains("&lt;Müller&gt;") && html.contains("<mark>"));
        assert!(html.contains(r#"action="/workspace/reconciliation/differences/d1/decision""#));
        let ministry = ministry_page(
            &ctx,
            &ReconMinistry {
                tenants: vec![ReconTenantTrend {
                    tenant_name: "Kreis Borken".into(),
                    rates: vec![9.0, 8.5],
                    latest_at: "2026-11-28".into(),
                }],
            },
        );
        assert!(ministry.contains("<svg") && ministry.contains("8.5 %"));
        let _ = overview(&ctx, &ReconOverview::default());
    }
}
