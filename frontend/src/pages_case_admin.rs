//! Case administration pages: the tenant admin adopting statewide model processes (as they are or
//! as a variant) and deciding on offered model updates, editing a variant's clocks and roles, the
//! authority's own file plan with its mapping onto the reference plan, throughput per step and
//! process in the workspace, and the ministry's cross-authority comparison. Texts in
//! `case_admin.ftl` (staff areas: de, en).
//!
//! The variant form has one row per step with several inputs each: their ids come from the step
//! (`field-<step>.<value>`), every input has a visually hidden label, and the API's error for a
//! step's field appears next to exactly that input.

use leptos::prelude::*;

use crate::components::{
    Input, csrf_field, document, error_summary, heading, input_field, message, select_field,
    table_region, textarea_field, tr, tra,
};
use crate::i18n::Lang;
use crate::model::{FieldErrors, PageContext};

// ---------------------------------------------------------------------------------------------
// View models

/// One statewide model with the authority's adoption.
#[derive(Debug, Clone, Default)]
pub struct ProcessAdoptionRow {
    pub model_id: String,
    pub name: String,
    pub model_version: u32,
    /// None: not adopted; `model` or `variant`.
    pub kind: Option<String>,
    /// The authority's version and the model version it is based on.
    pub version: Option<i32>,
    pub based_on: Option<i32>,
    /// An offered model update: its version and the changed steps (title, change).
    pub offered_version: Option<u32>,
    pub offered_changes: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct ProcessesPage {
    pub rows: Vec<ProcessAdoptionRow>,
}

/// One step of the variant form: current values as typed (kept when shown again with errors).
#[derive(Debug, Clone, Default)]
pub struct VariantStepRow {
    pub step: String,
    pub title: String,
    /// work | approval | waiting | end
    pub kind: String,
    pub role: String,
    pub deadline_days: String,
    pub remind_after_days: String,
    pub escalate_after_days: String,
}

#[derive(Debug, Clone, Default)]
pub struct VariantPage {
    pub model_id: String,
    pub name: String,
    pub version: i32,
    pub based_on: i32,
    pub deadline_days: String,
    pub steps: Vec<VariantStepRow>,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct PlanPositionRow {
    pub position: String,
    pub title: String,
    pub reference_position: Option<String>,
}

/// The values of the "add or change a position" form.
#[derive(Debug, Clone, Default)]
pub struct PlanPositionForm {
    pub position: String,
    pub title: String,
    pub reference_position: String,
}

#[derive(Debug, Clone, Default)]
pub struct FilePlanPage {
    pub uses_reference: bool,
    pub positions: Vec<PlanPositionRow>,
    /// (position, title) of the reference plan.
    pub reference: Vec<(String, String)>,
    pub unmapped: Vec<String>,
    pub unknown_targets: Vec<String>,
    pub uncovered: Vec<String>,
    pub form: PlanPositionForm,
    pub errors: FieldErrors,
}

/// Median, 90th percentile (seconds) and the number of measured stays.
#[derive(Debug, Clone, Copy, Default)]
pub struct FiguresRow {
    pub measured: i64,
    pub median_seconds: i64,
    pub p90_seconds: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ProcessFigures {
    pub name: String,
    pub case: Option<FiguresRow>,
    /// (step title, figures)
    pub steps: Vec<(String, FiguresRow)>,
}

#[derive(Debug, Clone, Default)]
pub struct ThroughputPage {
    pub computed_at: Option<String>,
    pub processes: Vec<ProcessFigures>,
}

/// One model process across authorities.
#[derive(Debug, Clone, Default)]
pub struct ComparedProcess {
    pub name: String,
    /// (authority, whole-case figures)
    pub cases: Vec<(String, FiguresRow)>,
    /// (step title, authority, figures)
    pub steps: Vec<(String, String, FiguresRow)>,
}

#[derive(Debug, Clone, Default)]
pub struct MinistryThroughputPage {
    pub min_group: u64,
    pub suppressed_groups: usize,
    pub processes: Vec<ComparedProcess>,
}

/// The state's current model versions and the form to publish the next one.
#[derive(Debug, Clone, Default)]
pub struct ModelsPage {
    /// (id, name, current version)
    pub models: Vec<(String, String, u32)>,
    /// The definition as typed (kept when shown again with its error).
    pub definition: String,
    pub errors: FieldErrors,
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Days with one decimal in the language's notation (durations are shown in days).
pub fn days(l: Lang, seconds: i64) -> String {
    let tenths = (seconds * 10 + 43_200) / 86_400;
    let text = format!("{}.{}", tenths / 10, tenths % 10);
    if l == Lang::De {
        text.replace('.', ",")
    } else {
        text
    }
}

fn figures_cells(l: Lang, f: &FiguresRow) -> Vec<AnyView> {
    vec![
        view! { <td class="num">{f.measured.to_string()}</td> }.into_any(),
        view! { <td class="num">{days(l, f.median_seconds)}</td> }.into_any(),
        view! { <td class="num">{days(l, f.p90_seconds)}</td> }.into_any(),
    ]
}

fn admin_tabs(l: Lang, current: &str) -> impl IntoView + use<> {
    let items: Vec<_> = [
        ("/workspace/processes", "case-admin-tab-processes"),
        ("/workspace/file-plan", "case-admin-tab-file-plan"),
        ("/workspace/throughput", "case-admin-tab-throughput"),
    ]
    .into_iter()
    .map(|(href, key)| {
        let here = (href == current).then_some("page");
        view! { <li><a href=href aria-current=here>{tr(l, key)}</a></li> }
    })
    .collect();
    view! { <nav class="sub-nav" aria-label=tr(l, "case-admin-tabs")><ul class="inline-list">{items}</ul></nav> }
}

/// A small input in a table row, labelled for screen readers, with its error right above it.
fn cell_input(
    l: Lang,
    errors: &FieldErrors,
    name: String,
    label: String,
    value: &str,
) -> impl IntoView + use<> {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let error = errors.get(&name).cloned();
    let invalid = error.is_some();
    let error_view = error.map(|key| {
        view! {
            <p class="field-error" id=error_id.clone()>
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>{message(l, &key)}
            </p>
        }
    });
    view! {
        <label class="visually-hidden" for=id.clone()>{label}</label>
        {error_view}
        <input class="input input-narrow" type="number" min="0" max="3650" id=id.clone() name=name
            value=value.to_owned() inputmode="numeric" aria-invalid=invalid.then_some("true")
            aria-describedby=invalid.then(|| error_id.clone()) />
    }
}

// ---------------------------------------------------------------------------------------------
// Model processes and variants

pub fn processes_page(ctx: &PageContext, p: &ProcessesPage) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .rows
        .iter()
        .map(|r| {
            let state = match (&r.kind, r.version, r.based_on) {
                (Some(kind), Some(version), Some(based_on)) => tra(
                    l,
                    &format!("case-admin-adopted-{kind}"),
                    &[("version", version.to_string()), ("model", based_on.to_string())],
                ),
                _ => tr(l, "case-admin-not-adopted"),
            };
            let action = format!("/workspace/processes/{}/adopt", r.model_id);
            let adopt = view! {
                <form method="post" action=action.clone() class="inline-form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="kind" value="model" />
                    <button type="submit" class="button button-secondary">{tra(l, "case-admin-adopt-model", &[("name", r.name.clone())])}</button>
                </form>
                " "
                <form method="post" action=action class="inline-form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="kind" value="variant" />
                    <button type="submit" class="button button-secondary">{tra(l, "case-admin-adopt-variant", &[("name", r.name.clone())])}</button>
                </form>
            };
            let edit = (r.kind.as_deref() == Some("variant")).then(|| {
                let href = format!("/workspace/processes/{}", r.model_id);
                view! { " " <a href=href>{tra(l, "case-admin-edit-variant", &[("name", r.name.clone())])}</a> }
            });
            view! {
                <tr>
                    <th scope="row">{r.name.clone()}</th>
                    <td class="num">{r.model_version.to_string()}</td>
                    <td>{state}</td>
                    <td>{adopt}{edit}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "processes",
        tr(l, "case-admin-processes-caption"),
        vec![
            tr(l, "case-admin-col-process"),
            tr(l, "case-admin-col-model-version"),
            tr(l, "case-admin-col-adoption"),
            tr(l, "case-admin-col-action"),
        ],
        rows,
    );
    let offers: Vec<AnyView> = p
        .rows
        .iter()
        .filter_map(|r| {
            let version = r.offered_version?;
            let id = format!("h-offer-{}", r.model_id);
            let labelledby = id.clone();
            let changes: Vec<_> = r
                .offered_changes
                .iter()
                .map(|(step, change)| {
                    view! { <li>{tra(l, &format!("case-admin-change-{change}"), &[("name", step.clone())])}</li> }
                })
                .collect();
            let action = format!("/workspace/processes/{}/update", r.model_id);
            Some(
                view! {
                    <section aria-labelledby=labelledby class="notice">
                        <h2 id=id>{tra(l, "case-admin-offer-title", &[("name", r.name.clone()), ("version", version.to_string())])}</h2>
                        <p>{tr(l, "case-admin-offer-lead")}</p>
                        <ul>{changes}</ul>
                        <form method="post" action=action.clone() class="inline-form">
                            {csrf_field(ctx)}
                            <input type="hidden" name="decision" value="accept" />
                            <button type="submit" class="button">{tr(l, "case-admin-offer-accept")}</button>
                        </form>
                        " "
                        <form method="post" action=action class="inline-form">
                            {csrf_field(ctx)}
                            <input type="hidden" name="decision" value="keep" />
                            <button type="submit" class="button button-secondary">{tr(l, "case-admin-offer-keep")}</button>
                        </form>
                    </section>
                }
                .into_any(),
            )
        })
        .collect();
    let title = tr(l, "case-admin-processes-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "case-admin-processes-lead")))}
        {admin_tabs(l, "/workspace/processes")}
        {offers}
        {table}
    };
    document(ctx, &title, body)
}

pub fn variant_page(ctx: &PageContext, p: &VariantPage) -> String {
    let l = ctx.lang;
    let roles = ["clerk", "approver", "tenant_admin"];
    let rows: Vec<AnyView> = p
        .steps
        .iter()
        .map(|s| {
            let role_name = format!("{}.role", s.step);
            let role_id = format!("field-{role_name}");
            let role_error_id = format!("{role_id}-error");
            let role_error = p.errors.get(&role_name).cloned();
            let role_invalid = role_error.is_some();
            let role_error_view = role_error.map(|key| {
                view! {
                    <p class="field-error" id=role_error_id.clone()>
                        <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>{message(l, &key)}
                    </p>
                }
            });
            let options: Vec<_> = roles
                .iter()
                .map(|role| {
                    let selected = *role == s.role;
                    view! { <option value=*role selected=selected>{tr(l, &format!("role-{role}"))}</option> }
                })
                .collect();
            let label = |key: &str| tra(l, key, &[("name", s.title.clone())]);
            view! {
                <tr>
                    <th scope="row">{s.title.clone()}<br /><span class="hint">{tr(l, &format!("case-admin-kind-{}", s.kind))}</span></th>
                    <td>
                        <label class="visually-hidden" for=role_id.clone()>{label("case-admin-label-role")}</label>
                        {role_error_view}
                        <select class="select" id=role_id.clone() name=role_name aria-invalid=role_invalid.then_some("true")
                            aria-describedby=role_invalid.then(|| role_error_id.clone())>
                            {options}
                        </select>
                    </td>
                    <td>{cell_input(l, &p.errors, format!("{}.deadline_days", s.step), label("case-admin-label-deadline"), &s.deadline_days)}</td>
                    <td>{cell_input(l, &p.errors, format!("{}.remind_after_days", s.step), label("case-admin-label-remind"), &s.remind_after_days)}</td>
                    <td>{cell_input(l, &p.errors, format!("{}.escalate_after_days", s.step), label("case-admin-label-escalate"), &s.escalate_after_days)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "variant-steps",
        tr(l, "case-admin-steps-caption"),
        vec![
            tr(l, "case-admin-col-step"),
            tr(l, "case-admin-col-role"),
            tr(l, "case-admin-col-deadline"),
            tr(l, "case-admin-col-remind"),
            tr(l, "case-admin-col-escalate"),
        ],
        rows,
    );
    let action = format!("/workspace/processes/{}", p.model_id);
    let title = tra(l, "case-admin-variant-title", &[("name", p.name.clone())]);
    let lead = tra(
        l,
        "case-admin-variant-lead",
        &[
            ("version", p.version.to_string()),
            ("model", p.based_on.to_string()),
        ],
    );
    let body = view! {
        {heading(title.clone(), Some(lead))}
        {admin_tabs(l, "/workspace/processes")}
        {error_summary(l, &p.errors, None)}
        <form method="post" action=action novalidate>
            {csrf_field(ctx)}
            {input_field(l, &p.errors, Input::new("deadline_days", "case-admin-field-case-deadline", "number").value(&p.deadline_days).inputmode("numeric").hint(tr(l, "case-admin-hint-days")))}
            {table}
            <button type="submit" class="button">{tr(l, "case-admin-variant-save")}</button>
        </form>
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// File plan

fn position_list(l: Lang, key: &str, items: &[String]) -> Option<AnyView> {
    (!items.is_empty()).then(|| {
        view! { <li>{tra(l, key, &[("name", items.join(", ")), ("count", items.len().to_string())])}</li> }
            .into_any()
    })
}

pub fn file_plan_page(ctx: &PageContext, p: &FilePlanPage) -> String {
    let l = ctx.lang;
    let title_of = |pos: &str| {
        p.reference
            .iter()
            .find(|(r, _)| r == pos)
            .map(|(r, t)| format!("{r} {t}"))
            .unwrap_or_else(|| pos.to_owned())
    };
    let report = if p.uses_reference {
        view! { <p class="notice">{tr(l, "case-admin-plan-uses-reference")}</p> }.into_any()
    } else if p.unmapped.is_empty() && p.unknown_targets.is_empty() && p.uncovered.is_empty() {
        view! { <p class="notice">{tr(l, "case-admin-plan-complete")}</p> }.into_any()
    } else {
        view! {
            <section aria-labelledby="h-gaps" class="notice notice-warning">
                <h2 id="h-gaps">{tr(l, "case-admin-plan-gaps")}</h2>
                <ul>
                    {position_list(l, "case-admin-plan-unmapped", &p.unmapped)}
                    {position_list(l, "case-admin-plan-unknown", &p.unknown_targets)}
                    {position_list(l, "case-admin-plan-uncovered", &p.uncovered)}
                </ul>
            </section>
        }
        .into_any()
    };
    let rows: Vec<AnyView> = p
        .positions
        .iter()
        .map(|r| {
            let mapping = match &r.reference_position {
                Some(pos) => title_of(pos),
                None => tr(l, "case-admin-plan-not-mapped"),
            };
            let label = tra(l, "case-admin-plan-remove", &[("name", r.position.clone())]);
            view! {
                <tr>
                    <th scope="row">{r.position.clone()}</th>
                    <td>{r.title.clone()}</td>
                    <td class=r.reference_position.is_none().then_some("cell-warning")>{mapping}</td>
                    <td>
                        <form method="post" action="/workspace/file-plan" class="inline-form">
                            {csrf_field(ctx)}
                            <input type="hidden" name="op" value="remove" />
                            <input type="hidden" name="position" value=r.position.clone() />
                            <button type="submit" class="button button-secondary">{label}</button>
                        </form>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let own = (!p.uses_reference).then(|| {
        table_region(
            "plan",
            tr(l, "case-admin-plan-caption"),
            vec![
                tr(l, "case-admin-col-position"),
                tr(l, "case-admin-col-title"),
                tr(l, "case-admin-col-mapping"),
                tr(l, "case-admin-col-action"),
            ],
            rows,
        )
    });
    let mut options = vec![(String::new(), tr(l, "case-admin-plan-not-mapped"))];
    options.extend(
        p.reference
            .iter()
            .map(|(pos, title)| (pos.clone(), format!("{pos} {title}"))),
    );
    let f = &p.form;
    let switch = if p.uses_reference {
        view! {
            <form method="post" action="/workspace/file-plan">
                {csrf_field(ctx)}
                <input type="hidden" name="op" value="copy" />
                <button type="submit" class="button button-secondary">{tr(l, "case-admin-plan-copy")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/workspace/file-plan">
                {csrf_field(ctx)}
                <input type="hidden" name="op" value="reference" />
                <button type="submit" class="button button-secondary">{tr(l, "case-admin-plan-use-reference")}</button>
            </form>
        }
        .into_any()
    };
    let title = tr(l, "case-admin-plan-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "case-admin-plan-lead")))}
        {admin_tabs(l, "/workspace/file-plan")}
        {report}
        {own}
        <section aria-labelledby="h-position">
            <h2 id="h-position">{tr(l, "case-admin-plan-edit-title")}</h2>
            <p>{tr(l, "case-admin-plan-edit-lead")}</p>
            {error_summary(l, &p.errors, None)}
            <form method="post" action="/workspace/file-plan" novalidate>
                {csrf_field(ctx)}
                <input type="hidden" name="op" value="save" />
                {input_field(l, &p.errors, Input::new("position", "case-admin-field-position", "text").value(&f.position).required().maxlength("20").no_spellcheck())}
                {input_field(l, &p.errors, Input::new("title", "case-admin-field-title", "text").value(&f.title).required().maxlength("200"))}
                {select_field(l, &p.errors, "reference_position", "case-admin-field-mapping", options, &f.reference_position, false, Some(tr(l, "case-admin-hint-mapping")))}
                <button type="submit" class="button">{tr(l, "case-admin-plan-save")}</button>
            </form>
        </section>
        <section aria-labelledby="h-switch">
            <h2 id="h-switch">{tr(l, "case-admin-plan-switch-title")}</h2>
            {switch}
        </section>
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// Throughput

fn figures_head(l: Lang, first: &str) -> Vec<String> {
    vec![
        tr(l, first),
        tr(l, "case-admin-col-measured"),
        tr(l, "case-admin-col-median"),
        tr(l, "case-admin-col-p90"),
    ]
}

pub fn throughput_page(ctx: &PageContext, p: &ThroughputPage) -> String {
    let l = ctx.lang;
    // Clerks see the figures; the other tabs are the administration's.
    let can_manage = ctx.user.as_ref().is_some_and(|u| u.can_manage_users);
    let sections: Vec<AnyView> = p
        .processes
        .iter()
        .enumerate()
        .map(|(i, proc)| {
            let mut rows: Vec<AnyView> = Vec::new();
            if let Some(case) = &proc.case {
                let mut cells = vec![
                    view! { <th scope="row">{tr(l, "case-admin-whole-case")}</th> }.into_any(),
                ];
                cells.extend(figures_cells(l, case));
                rows.push(view! { <tr>{cells}</tr> }.into_any());
            }
            for (step, f) in &proc.steps {
                let mut cells = vec![view! { <th scope="row">{step.clone()}</th> }.into_any()];
                cells.extend(figures_cells(l, f));
                rows.push(view! { <tr>{cells}</tr> }.into_any());
            }
            table_region(
                &format!("throughput-{i}"),
                proc.name.clone(),
                figures_head(l, "case-admin-col-step"),
                rows,
            )
            .into_any()
        })
        .collect();
    let status = match &p.computed_at {
        Some(at) => tra(l, "case-admin-throughput-computed", &[("name", at.clone())]),
        None => tr(l, "case-admin-throughput-none"),
    };
    let title = tr(l, "case-admin-throughput-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "case-admin-throughput-lead")))}
        {can_manage.then(|| admin_tabs(l, "/workspace/throughput"))}
        <p>{status}</p>
        {sections}
    };
    document(ctx, &title, body)
}

/// Horizontal bars of the median case duration per authority, longest scale first; the table
/// after it carries the same numbers.
fn median_chart(l: Lang, id: &str, title: String, rows: &[(String, FiguresRow)]) -> AnyView {
    const ROW: i64 = 32;
    const LABEL_W: i64 = 220;
    const BAR_W: i64 = 300;
    let width = LABEL_W + BAR_W + 90;
    let height = i64::try_from(rows.len()).unwrap_or(0).max(1) * ROW + 8;
    let max = rows
        .iter()
        .map(|(_, f)| f.median_seconds)
        .max()
        .unwrap_or(1)
        .max(1);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelledby = title_id.clone();
    let describedby = desc_id.clone();
    let description = rows
        .iter()
        .map(|(name, f)| {
            tra(
                l,
                "case-admin-chart-row",
                &[("name", name.clone()), ("count", days(l, f.median_seconds))],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let bars: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, f))| {
            let y = i64::try_from(i).unwrap_or(0) * ROW + 4;
            let w = (f.median_seconds * BAR_W / max).max(1);
            view! {
                <g>
                    <text x=(LABEL_W - 8).to_string() y=(y + 20).to_string() text-anchor="end" class="chart-label">{name.clone()}</text>
                    <rect x=LABEL_W.to_string() y=(y + 6).to_string() width=w.to_string() height="20" class="chart-bar" />
                    <text x=(LABEL_W + w + 6).to_string() y=(y + 20).to_string() class="chart-value">{days(l, f.median_seconds)}</text>
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
    .into_any()
}

pub fn ministry_throughput_page(ctx: &PageContext, p: &MinistryThroughputPage) -> String {
    let l = ctx.lang;
    let sections: Vec<AnyView> = p
        .processes
        .iter()
        .enumerate()
        .map(|(i, proc)| {
            let heading_id = format!("h-process-{i}");
            let labelledby = heading_id.clone();
            let chart = (!proc.cases.is_empty()).then(|| {
                median_chart(
                    l,
                    &format!("chart-process-{i}"),
                    tra(l, "case-admin-chart-title", &[("name", proc.name.clone())]),
                    &proc.cases,
                )
            });
            let case_rows: Vec<AnyView> = proc
                .cases
                .iter()
                .map(|(authority, f)| {
                    let mut cells = vec![view! { <th scope="row">{authority.clone()}</th> }.into_any()];
                    cells.extend(figures_cells(l, f));
                    view! { <tr>{cells}</tr> }.into_any()
                })
                .collect();
            let step_rows: Vec<AnyView> = proc
                .steps
                .iter()
                .map(|(step, authority, f)| {
                    let mut cells = vec![
                        view! { <th scope="row">{step.clone()}</th> }.into_any(),
                        view! { <td>{authority.clone()}</td> }.into_any(),
                    ];
                    cells.extend(figures_cells(l, f));
                    view! { <tr>{cells}</tr> }.into_any()
                })
                .collect();
            let mut step_head = vec![tr(l, "case-admin-col-step"), tr(l, "case-admin-col-authority")];
            step_head.extend(figures_head(l, "case-admin-col-step").into_iter().skip(1));
            view! {
                <section aria-labelledby=labelledby>
                    <h2 id=heading_id>{proc.name.clone()}</h2>
                    {chart}
                    {table_region(&format!("cases-{i}"), tra(l, "case-admin-cases-caption", &[("name", proc.name.clone())]), figures_head(l, "case-admin-col-authority"), case_rows)}
                    {table_region(&format!("steps-{i}"), tra(l, "case-admin-steps-compared", &[("name", proc.name.clone())]), step_head, step_rows)}
                </section>
            }
            .into_any()
        })
        .collect();
    let empty = p
        .processes
        .is_empty()
        .then(|| view! { <p>{tr(l, "case-admin-throughput-none")}</p> });
    let title = tr(l, "case-admin-ministry-title");
    let lead = tra(
        l,
        "case-admin-ministry-lead",
        &[
            ("count", p.min_group.to_string()),
            ("total", p.suppressed_groups.to_string()),
        ],
    );
    let body = view! {
        {heading(title.clone(), Some(lead))}
        {crate::pages_rollout_admin::ministry_tabs(l, "/ministry/throughput")}
        {empty}
        {sections}
    };
    document(ctx, &title, body)
}

/// The ministry publishes the next version of a model process.
pub fn models_page(ctx: &PageContext, p: &ModelsPage) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .models
        .iter()
        .map(|(id, name, version)| {
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td><code>{id.clone()}</code></td>
                    <td class="num">{version.to_string()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "models",
        tr(l, "case-admin-models-caption"),
        vec![
            tr(l, "case-admin-col-process"),
            tr(l, "case-admin-col-model-id"),
            tr(l, "case-admin-col-model-version"),
        ],
        rows,
    );
    let title = tr(l, "case-admin-models-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "case-admin-models-lead")))}
        {crate::pages_rollout_admin::ministry_tabs(l, "/ministry/processes")}
        {table}
        <section aria-labelledby="h-publish">
            <h2 id="h-publish">{tr(l, "case-admin-publish-title")}</h2>
            {error_summary(l, &p.errors, None)}
            <form method="post" action="/ministry/processes" novalidate>
                {csrf_field(ctx)}
                {textarea_field(l, &p.errors, Input::new("definition", "case-admin-field-definition", "text").value(&p.definition).required().hint(tr(l, "case-admin-hint-definition")), "16")}
                <button type="submit" class="button">{tr(l, "case-admin-publish-submit")}</button>
            </form>
        </section>
    };
    document(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_days_with_the_languages_decimal_mark() {
        assert_eq!(days(Lang::De, 36 * 3600), "1,5");
        assert_eq!(days(Lang::En, 36 * 3600), "1.5");
        assert_eq!(days(Lang::En, 0), "0.0");
        assert_eq!(days(Lang::En, 10 * 86_400), "10.0");
    }
}
