//! Case processing pages: worklists (mine, team, all) with filters and counts, the case view (the
//! electronic routing folder) with its actions, person search and the e-file search. Forms post and
//! the server answers with a redirect; no JavaScript.

use leptos::prelude::*;

use crate::components::{csrf_field, document, error_summary, heading, table_region, tr};
use crate::i18n::Lang;
use crate::model::{
    CaseDocumentRow, CaseViewPage, CasesWorklistPage, DocumentSearchPage, PageContext,
    PersonSearchPage,
};

fn value(l: Lang, group: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    tr(l, &format!("cases-{group}-{}", value.replace('_', "-")))
}

const STATES: [&str; 3] = ["open", "waiting", "decided"];
const SCOPES: [&str; 3] = ["mine", "team", "all"];

/// The worklists.
/// A count as the store gives it: up to the limit exactly, beyond it "10000+".
fn count_text(n: i64) -> String {
    if n > amtsweg_domain::COUNT_LIMIT {
        format!("{}+", amtsweg_domain::COUNT_LIMIT)
    } else {
        n.to_string()
    }
}

pub fn worklist(ctx: &PageContext, page: &CasesWorklistPage) -> String {
    let l = ctx.lang;
    let tabs: Vec<AnyView> = SCOPES
        .iter()
        .map(|scope| {
            let href = format!("/workspace/cases?scope={scope}");
            let current = (*scope == page.scope).then_some("page");
            view! { <li><a href=href aria-current=current>{value(l, "scope", scope)}</a></li> }
                .into_any()
        })
        .collect();
    let counts: Vec<AnyView> = page
        .counts
        .iter()
        .map(|(state, n)| {
            view! { <li>{value(l, "state", state)} ": " <strong>{count_text(*n)}</strong></li> }
                .into_any()
        })
        .collect();
    let mut state_options = vec![
        view! { <option value="" selected=page.state.is_empty()>{tr(l, "cases-filter-all")}</option> }
            .into_any(),
    ];
    for s in STATES {
        state_options.push(
            view! { <option value=s selected=page.state == s>{value(l, "state", s)}</option> }
                .into_any(),
        );
    }
    let rows: Vec<AnyView> = page
        .rows
        .iter()
        .map(|c| {
            let href = format!("/workspace/cases/{}", c.id);
            let due_class = c.overdue.then_some("overdue");
            let escalated = c.escalated.then(|| {
                view! { " " <strong class="badge">{tr(l, "cases-escalated")}</strong> }
            });
            let holder = if c.holder.is_empty() {
                tr(l, "cases-team-basket")
            } else {
                c.holder.clone()
            };
            view! {
                <tr>
                    <td class="nowrap"><a href=href>{c.reference.clone()}</a></td>
                    <td>{c.person.clone()}</td>
                    <td>{c.process.clone()}</td>
                    <td>{c.step.clone()}{escalated}</td>
                    <td>{value(l, "state", &c.state)}</td>
                    <td>{holder}</td>
                    <td class=due_class>{c.due.clone()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = if rows.is_empty() {
        view! { <p>{tr(l, "cases-empty")}</p> }.into_any()
    } else {
        table_region(
            "cases-worklist",
            tr(l, "cases-worklist-caption"),
            [
                "cases-col-reference",
                "cases-col-person",
                "cases-col-process",
                "cases-col-step",
                "cases-col-state",
                "cases-col-holder",
                "cases-col-due",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            rows,
        )
        .into_any()
    };
    let process_options: Vec<AnyView> = page
        .processes
        .iter()
        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }.into_any())
        .collect();
    let scope = page.scope.clone();
    let total = count_text(page.total);
    let field_error = |name: &str| {
        page.errors.get(name).map(|key| {
            let id = format!("field-{name}-error");
            view! { <p class="field-error" id=id>{tr(l, key)}</p> }
        })
    };
    let family_error = field_error("family_name");
    let process_error = field_error("process_id");
    let date_error = field_error("birth_date");
    let body = view! {
        {heading(tr(l, "cases-title"), Some(tr(l, "cases-lead")))}
        <nav aria-label=tr(l, "cases-scopes")><ul class="tabs">{tabs}</ul></nav>
        <section aria-labelledby="cases-list-title">
            <h2 id="cases-list-title">{value(l, "scope", &page.scope)} " (" {total} ")"</h2>
            <ul class="counts">{counts}</ul>
            <form method="get" action="/workspace/cases" class="form form-inline">
                <input type="hidden" name="scope" value=scope />
                <div class="field">
                    <label class="label" for="field-state">{tr(l, "cases-col-state")}</label>
                    <select class="select" id="field-state" name="state">{state_options}</select>
                </div>
                <div class="button-row"><button type="submit" class="button secondary">{tr(l, "cases-filter")}</button></div>
            </form>
            {table}
        </section>
        <section class="panel" aria-labelledby="cases-open-title">
            <h2 id="cases-open-title">{tr(l, "cases-open-title")}</h2>
            {error_summary(l, &page.errors, None)}
            <form method="post" action="/workspace/cases" class="form">
                {csrf_field(ctx)}
                <div class="field">
                    <label class="label" for="field-process_id">{tr(l, "cases-field-process")}</label>
                    {process_error}
                    <select class="select" id="field-process_id" name="process_id" required=true>{process_options}</select>
                </div>
                <div class="field">
                    <label class="label" for="field-family_name">{tr(l, "cases-field-family-name")}</label>
                    {family_error}
                    <input class="input" id="field-family_name" name="family_name" type="text" required=true autocomplete="off" />
                </div>
                <div class="field">
                    <label class="label" for="field-given_names">{tr(l, "cases-field-given-names")}</label>
                    <input class="input" id="field-given_names" name="given_names" type="text" autocomplete="off" />
                </div>
                <div class="field">
                    <label class="label" for="field-birth_date">{tr(l, "cases-field-birth-date")}</label>
                    {date_error}
                    <input class="input" id="field-birth_date" name="birth_date" type="date" />
                </div>
                <div class="button-row"><button type="submit" class="button">{tr(l, "cases-open")}</button></div>
            </form>
        </section>
    };
    document(ctx, &tr(l, "cases-title"), body)
}

fn documents_table(l: Lang, id: &str, rows: &[CaseDocumentRow]) -> AnyView {
    if rows.is_empty() {
        return view! { <p>{tr(l, "cases-documents-empty")}</p> }.into_any();
    }
    let rows: Vec<AnyView> = rows
        .iter()
        .map(|d| {
            let href = format!("/workspace/documents/{}", d.id);
            view! {
                <tr>
                    <td><a href=href>{d.title.clone()}</a></td>
                    <td>{value(l, "source", &d.source)}</td>
                    <td>{d.plan_position.clone()}</td>
                    <td>{d.reference_position.clone()}</td>
                    <td class="nowrap">{d.created_at.clone()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    table_region(
        id,
        tr(l, "cases-documents-caption"),
        [
            "cases-col-title",
            "cases-col-source",
            "cases-col-position",
            "cases-col-reference-position",
            "cases-col-created",
        ]
        .iter()
        .map(|k| tr(l, k))
        .collect(),
        rows,
    )
    .into_any()
}

/// The routing folder of one case.
pub fn case_view(ctx: &PageContext, page: &CaseViewPage) -> String {
    let l = ctx.lang;
    let action = format!("/workspace/cases/{}/action", page.id);
    let error = page.error.as_ref().map(|key| {
        view! { <div class="alert alert-error" role="alert"><p>{tr(l, key)}</p></div> }
    });
    let holder = if page.holder.is_empty() {
        tr(l, "cases-team-basket")
    } else {
        page.holder.clone()
    };
    let required: Vec<AnyView> = page
        .required_documents
        .iter()
        .map(|d| view! { <li><code>{d.clone()}</code></li> }.into_any())
        .collect();
    let required = (!required.is_empty()).then(|| {
        view! { <dt>{tr(l, "cases-required-documents")}</dt><dd><ul>{required}</ul></dd> }
    });
    let history: Vec<AnyView> = page
        .history
        .iter()
        .map(|h| {
            let decision = (!h.decision.is_empty()).then(|| value(l, "decision", &h.decision));
            view! {
                <tr>
                    <td class="nowrap">{h.at.clone()}</td>
                    <td>{h.actor.clone()}</td>
                    <td>{value(l, "action", &h.action)}</td>
                    <td>{h.from_step.clone()} " → " {h.to_step.clone()}</td>
                    <td>{h.comment.clone()}</td>
                    <td>{decision}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let history = table_region(
        "case-history",
        tr(l, "cases-history-caption"),
        [
            "cases-col-at",
            "cases-col-actor",
            "cases-col-action",
            "cases-col-step",
            "cases-col-comment",
            "cases-col-decision",
        ]
        .iter()
        .map(|k| tr(l, k))
        .collect(),
        history,
    );
    let branches: Vec<AnyView> = page
        .next_steps
        .iter()
        .map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> }.into_any())
        .collect();
    let colleagues: Vec<AnyView> = page
        .colleagues
        .iter()
        .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }.into_any())
        .collect();
    let decided = page.state == "decided";
    let forms = (!decided).then(|| {
        let kind = page.step_kind.as_str();
        let forward = (kind == "work").then(|| {
            view! {
                <form method="post" action=action.clone() class="form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="action" value="forward" />
                    <div class="field">
                        <label class="label" for="field-to_step">{tr(l, "cases-field-next-step")}</label>
                        <select class="select" id="field-to_step" name="to_step">{branches}</select>
                    </div>
                    <div class="field">
                        <label class="label" for="field-decision">{tr(l, "cases-field-decision")}</label>
                        <select class="select" id="field-decision" name="decision">
                            <option value="">{tr(l, "cases-decision-none")}</option>
                            <option value="granted">{value(l, "decision", "granted")}</option>
                            <option value="refused">{value(l, "decision", "refused")}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label class="label" for="field-forward-comment">{tr(l, "cases-field-comment")}</label>
                        <textarea class="input" id="field-forward-comment" name="comment" rows="2"></textarea>
                    </div>
                    <div class="button-row"><button type="submit" class="button">{tr(l, "cases-action-forward")}</button></div>
                </form>
            }
        });
        let approve = (kind == "approval").then(|| {
            view! {
                <form method="post" action=action.clone() class="form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="action" value="approve" />
                    <div class="field">
                        <label class="label" for="field-approve-comment">{tr(l, "cases-field-comment")}</label>
                        <textarea class="input" id="field-approve-comment" name="comment" rows="2"></textarea>
                    </div>
                    <div class="button-row"><button type="submit" class="button">{tr(l, "cases-action-approve")}</button></div>
                </form>
            }
        });
        let received = (kind == "waiting").then(|| {
            view! {
                <form method="post" action=action.clone() class="form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="action" value="received" />
                    <div class="field">
                        <label class="label" for="field-received-comment">{tr(l, "cases-field-answer")}</label>
                        <textarea class="input" id="field-received-comment" name="comment" rows="2"></textarea>
                    </div>
                    <div class="button-row"><button type="submit" class="button">{tr(l, "cases-action-received")}</button></div>
                </form>
            }
        });
        view! {
            <section class="panel" aria-labelledby="case-actions-title">
                <h2 id="case-actions-title">{tr(l, "cases-actions-title")}</h2>
                <form method="post" action=action.clone() class="form form-inline">
                    {csrf_field(ctx)}
                    <input type="hidden" name="action" value="take" />
                    <div class="button-row"><button type="submit" class="button secondary">{tr(l, "cases-action-take")}</button></div>
                </form>
                {forward}
                {approve}
                {received}
                <form method="post" action=action.clone() class="form">
                    {csrf_field(ctx)}
                    <input type="hidden" name="action" value="ask" />
                    <div class="field">
                        <label class="label" for="field-to_user">{tr(l, "cases-field-colleague")}</label>
                        <select class="select" id="field-to_user" name="to_user">{colleagues}</select>
                    </div>
                    <div class="field">
                        <label class="label" for="field-ask-comment">{tr(l, "cases-field-question")}</label>
                        <textarea class="input" id="field-ask-comment" name="comment" rows="2" required=true></textarea>
                    </div>
                    <div class="button-row"><button type="submit" class="button secondary">{tr(l, "cases-action-ask")}</button></div>
                </form>
                <form method="post" action=action.clone() class="form">
                    {csrf_field(ctx)}
                    <div class="field">
                        <label class="label" for="field-note">{tr(l, "cases-field-comment")}</label>
                        <textarea class="input" id="field-note" name="comment" rows="2" required=true></textarea>
                    </div>
                    <div class="button-row">
                        <button type="submit" name="action" value="comment" class="button secondary">{tr(l, "cases-action-comment")}</button>
                        <button type="submit" name="action" value="reply" class="button secondary">{tr(l, "cases-action-reply")}</button>
                        <button type="submit" name="action" value="return" class="button secondary">{tr(l, "cases-action-return")}</button>
                    </div>
                </form>
            </section>
        }
    });
    let due_class = page.overdue.then_some("overdue");
    let decision = (!page.decision.is_empty()).then(|| {
        view! { <dt>{tr(l, "cases-field-decision")}</dt><dd>{value(l, "decision", &page.decision)}</dd> }
    });
    let title = format!("{} – {}", page.reference, page.process_name);
    let body = view! {
        {heading(title.clone(), Some(format!("{} · {} · {}", page.person_name, page.birth_date, page.file_number)))}
        {error}
        <section class="panel" aria-labelledby="case-status-title">
            <h2 id="case-status-title">{tr(l, "cases-status-title")}</h2>
            <dl class="facts">
                <dt>{tr(l, "cases-col-step")}</dt><dd>{page.step_title.clone()}</dd>
                <dt>{tr(l, "cases-col-state")}</dt><dd>{value(l, "state", &page.state)}</dd>
                <dt>{tr(l, "cases-col-holder")}</dt><dd>{holder} " (" {page.step_role.clone()} ")"</dd>
                <dt>{tr(l, "cases-col-due")}</dt><dd class=due_class>{page.step_due.clone()}</dd>
                <dt>{tr(l, "cases-case-due")}</dt><dd>{page.case_due.clone()}</dd>
                <dt>{tr(l, "cases-process-version")}</dt><dd>{page.process_version.clone()}</dd>
                {decision}
                {required}
            </dl>
        </section>
        {forms}
        <section aria-labelledby="case-history-title">
            <h2 id="case-history-title">{tr(l, "cases-history-title")}</h2>
            {history}
        </section>
        <section aria-labelledby="case-efile-title">
            <h2 id="case-efile-title">{tr(l, "cases-efile-title")}</h2>
            {documents_table(l, "case-documents", &page.documents)}
        </section>
    };
    document(ctx, &title, body)
}

/// Person search.
pub fn persons(ctx: &PageContext, page: &PersonSearchPage) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = page
        .rows
        .iter()
        .map(|p| {
            let href = format!("/workspace/cases?scope=all&person={}", p.id);
            view! {
                <tr>
                    <td><a href=href>{p.name.clone()}</a></td>
                    <td class="nowrap">{p.birth_date.clone()}</td>
                    <td>{p.file_number.clone()}</td>
                    <td>{p.azr_number.clone()}</td>
                    <td>{p.register.clone()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = if rows.is_empty() {
        view! { <p>{tr(l, "cases-persons-empty")}</p> }.into_any()
    } else {
        table_region(
            "persons",
            tr(l, "cases-persons-caption"),
            [
                "cases-col-person",
                "cases-field-birth-date",
                "cases-col-file-number",
                "cases-col-azr",
                "cases-col-register",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            rows,
        )
        .into_any()
    };
    let query = page.query.clone();
    let body = view! {
        {heading(tr(l, "cases-persons-title"), None)}
        <form method="get" action="/workspace/persons" class="form form-inline" role="search">
            <div class="field">
                <label class="label" for="field-q">{tr(l, "cases-search-label")}</label>
                <input class="input" id="field-q" name="q" type="search" value=query />
            </div>
            <div class="button-row"><button type="submit" class="button">{tr(l, "cases-search")}</button></div>
        </form>
        {table}
    };
    document(ctx, &tr(l, "cases-persons-title"), body)
}

/// Full-text search over the tenant's e-file.
pub fn documents(ctx: &PageContext, page: &DocumentSearchPage) -> String {
    let l = ctx.lang;
    let query = page.query.clone();
    let body = view! {
        {heading(tr(l, "cases-documents-title"), None)}
        <form method="get" action="/workspace/documents" class="form form-inline" role="search">
            <div class="field">
                <label class="label" for="field-q">{tr(l, "cases-search-label")}</label>
                <input class="input" id="field-q" name="q" type="search" value=query />
            </div>
            <div class="button-row"><button type="submit" class="button">{tr(l, "cases-search")}</button></div>
        </form>
        {documents_table(l, "documents", &page.rows)}
    };
    document(ctx, &tr(l, "cases-documents-title"), body)
}
