//! The browser pages of case administration: model processes and variants, the file plan, the
//! authority's throughput and the ministry's comparison. Every change runs through the flow the
//! JSON API uses (`routes::case_admin`), so rules, audit entries and errors are the same; forms
//! post with CSRF and answer with Post-Redirect-Get, or with the form again (422) and each error
//! next to its field.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use amtsweg_domain::Permission;
use amtsweg_frontend::model::{Area, FieldErrors};
use amtsweg_frontend::pages_case_admin::{
    self as pages, ComparedProcess, FiguresRow, FilePlanPage, MinistryThroughputPage, ModelsPage,
    PlanPositionForm, PlanPositionRow, ProcessAdoptionRow, ProcessFigures, ProcessesPage,
    ThroughputPage, VariantPage, VariantStepRow,
};
use serde::Deserialize;

use super::case_admin::{
    self as api, AdoptRequest, FiguresView, PlanPosition, StepInput, VariantRequest,
};
use crate::AppState;
use crate::error::AppError;
use crate::identity::{Identity, client_address, verify_csrf};
use crate::pages::{format_time, invalid, ok, redirect_with_flash, staff_context};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(processes_page)
        .service(adopt_submit)
        .service(update_submit)
        .service(variant_page)
        .service(variant_submit)
        .service(file_plan_page)
        .service(file_plan_submit)
        .service(throughput_page)
        .service(ministry_throughput_page)
        .service(ministry_models_page)
        .service(ministry_models_submit);
}

fn days_text(value: Option<u32>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

fn figure_row(f: &FiguresView) -> FiguresRow {
    FiguresRow {
        measured: f.measured,
        median_seconds: f.median_seconds,
        p90_seconds: f.p90_seconds,
    }
}

// ---------------------------------------------------------------------------------------------
// Model processes

#[get("/workspace/processes")]
async fn processes_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let tx = identity.tenant_tx(&state).await?;
    let list = api::adoptions(&tx).await?;
    tx.commit().await?;
    let lang = ctx.lang.code();
    let rows = list
        .into_iter()
        .map(|a| {
            let title_of = |step: &str| {
                a.step_titles
                    .iter()
                    .find(|t| t.step == step)
                    .map(|t| match (lang, &t.title_en) {
                        ("de", _) | (_, None) => t.title.clone(),
                        (_, Some(en)) => en.clone(),
                    })
                    .unwrap_or_else(|| step.to_owned())
            };
            ProcessAdoptionRow {
                name: match (lang, &a.model_name_en) {
                    ("de", _) | (_, None) => a.model_name.clone(),
                    (_, Some(en)) => en.clone(),
                },
                model_version: a.model_version,
                kind: a.adopted.as_ref().map(|p| p.kind.clone()),
                version: a.adopted.as_ref().map(|p| p.version),
                based_on: a.adopted.as_ref().map(|p| p.model_version),
                offered_version: a.offered_update.as_ref().map(|o| o.model_version),
                offered_changes: a
                    .offered_update
                    .as_ref()
                    .map(|o| {
                        o.changes
                            .iter()
                            .map(|c| (title_of(&c.step), c.change.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                model_id: a.model_id,
            }
        })
        .collect();
    Ok(ok(
        &req,
        pages::processes_page(&ctx, &ProcessesPage { rows }),
    ))
}

#[derive(Debug, Deserialize)]
struct AdoptForm {
    csrf: String,
    kind: String,
}

#[post("/workspace/processes/{id}/adopt")]
async fn adopt_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<AdoptForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let body = AdoptRequest {
        model_id: id.into_inner(),
        kind: form.kind.clone(),
    };
    let view = api::adopt_flow(&state, &identity, &req, &body).await?;
    let to = if body.kind == "variant" {
        format!("/workspace/processes/{}", view.model_id)
    } else {
        "/workspace/processes".to_owned()
    };
    Ok(redirect_with_flash(
        &to,
        "success",
        "case-admin-flash-adopted",
    ))
}

#[derive(Debug, Deserialize)]
struct UpdateForm {
    csrf: String,
    decision: String,
}

#[post("/workspace/processes/{id}/update")]
async fn update_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<UpdateForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    api::decide_update_flow(&state, &identity, &req, &id, &form.decision).await?;
    let key = if form.decision == "accept" {
        "case-admin-flash-update-accepted"
    } else {
        "case-admin-flash-update-kept"
    };
    Ok(redirect_with_flash("/workspace/processes", "success", key))
}

/// The variant form with the stored values, or with the values typed and their errors.
async fn variant_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    id: &str,
    typed: Option<&HashMap<String, String>>,
    errors: FieldErrors,
) -> Result<String, AppError> {
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let tx = identity.tenant_tx(state).await?;
    let adoption = api::adoptions(&tx)
        .await?
        .into_iter()
        .find(|a| a.model_id == id)
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let adopted = adoption
        .adopted
        .filter(|p| p.kind == "variant")
        .ok_or(AppError::NotFound)?;
    let lang = ctx.lang.code();
    let value = |name: String, stored: String| match typed {
        Some(form) => form.get(&name).cloned().unwrap_or_default(),
        None => stored,
    };
    let steps = adopted
        .steps
        .iter()
        .map(|s| {
            let title = adoption
                .step_titles
                .iter()
                .find(|t| t.step == s.step)
                .map(|t| match (lang, &t.title_en) {
                    ("de", _) | (_, None) => t.title.clone(),
                    (_, Some(en)) => en.clone(),
                })
                .unwrap_or_else(|| s.step.clone());
            VariantStepRow {
                title,
                kind: s.kind.clone(),
                role: value(format!("{}.role", s.step), s.role.clone()),
                deadline_days: value(
                    format!("{}.deadline_days", s.step),
                    days_text(s.deadline_days),
                ),
                remind_after_days: value(
                    format!("{}.remind_after_days", s.step),
                    days_text(s.remind_after_days),
                ),
                escalate_after_days: value(
                    format!("{}.escalate_after_days", s.step),
                    days_text(s.escalate_after_days),
                ),
                step: s.step.clone(),
            }
        })
        .collect();
    Ok(pages::variant_page(
        &ctx,
        &VariantPage {
            model_id: adoption.model_id.clone(),
            name: match (lang, &adoption.model_name_en) {
                ("de", _) | (_, None) => adoption.model_name.clone(),
                (_, Some(en)) => en.clone(),
            },
            version: adopted.version,
            based_on: adopted.model_version,
            deadline_days: value("deadline_days".into(), days_text(adopted.deadline_days)),
            steps,
            errors,
        },
    ))
}

#[get("/workspace/processes/{id}")]
async fn variant_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let body = variant_view(&state, &req, &identity, &id, None, FieldErrors::new()).await?;
    Ok(ok(&req, body))
}

/// A number of days from the form: empty is none; anything but a whole number is an error.
fn days_field(form: &HashMap<String, String>, name: &str, errors: &mut FieldErrors) -> Option<u32> {
    let text = form.get(name).map(|v| v.trim()).unwrap_or_default();
    if text.is_empty() {
        return None;
    }
    let parsed = text.parse::<u32>().ok();
    if parsed.is_none() {
        errors.insert(name.to_owned(), "cases-error-days".to_owned());
    }
    parsed
}

#[post("/workspace/processes/{id}")]
async fn variant_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    id: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(
        &req,
        form.get("csrf").map(String::as_str).unwrap_or_default(),
    )?;
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let current = api::adoptions(&tx)
        .await?
        .into_iter()
        .find(|a| a.model_id == *id)
        .and_then(|a| a.adopted)
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let mut errors = FieldErrors::new();
    let deadline_days = days_field(&form, "deadline_days", &mut errors);
    let steps: Vec<StepInput> = current
        .steps
        .iter()
        .map(|s| StepInput {
            step: s.step.clone(),
            role: form
                .get(&format!("{}.role", s.step))
                .cloned()
                .unwrap_or_else(|| s.role.clone()),
            deadline_days: days_field(&form, &format!("{}.deadline_days", s.step), &mut errors),
            remind_after_days: days_field(
                &form,
                &format!("{}.remind_after_days", s.step),
                &mut errors,
            ),
            escalate_after_days: days_field(
                &form,
                &format!("{}.escalate_after_days", s.step),
                &mut errors,
            ),
        })
        .collect();
    let result = if errors.is_empty() {
        api::edit_variant_flow(
            &state,
            &identity,
            &req,
            &id,
            &VariantRequest {
                deadline_days,
                steps,
            },
        )
        .await
        .map(|_| ())
    } else {
        Err(AppError::Validation(errors))
    };
    match result {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/workspace/processes/{id}"),
            "success",
            "case-admin-flash-variant-saved",
        )),
        Err(AppError::Validation(errors)) => {
            let body = variant_view(&state, &req, &identity, &id, Some(&form), errors).await?;
            Ok(invalid(&req, body))
        }
        Err(other) => Err(other),
    }
}

// ---------------------------------------------------------------------------------------------
// File plan

async fn file_plan_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    form: PlanPositionForm,
    errors: FieldErrors,
) -> Result<String, AppError> {
    identity.require(Permission::ManageUsers)?;
    let ctx = staff_context(state, req, identity, Area::Workspace).await?;
    let tx = identity.tenant_tx(state).await?;
    let plan = api::file_plan(&tx).await?;
    tx.commit().await?;
    Ok(pages::file_plan_page(
        &ctx,
        &FilePlanPage {
            uses_reference: plan.uses_reference,
            positions: plan
                .positions
                .into_iter()
                .map(|p| PlanPositionRow {
                    position: p.position,
                    title: p.title,
                    reference_position: p.reference_position,
                })
                .collect(),
            reference: plan
                .reference
                .into_iter()
                .map(|r| (r.position, r.title))
                .collect(),
            unmapped: plan.report.unmapped,
            unknown_targets: plan.report.unknown_targets,
            uncovered: plan.report.uncovered,
            form,
            errors,
        },
    ))
}

#[get("/workspace/file-plan")]
async fn file_plan_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let body = file_plan_view(
        &state,
        &req,
        &identity,
        PlanPositionForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(ok(&req, body))
}

#[derive(Debug, Deserialize)]
struct PlanForm {
    csrf: String,
    /// save | remove | copy (start from the reference plan) | reference (use the reference plan)
    op: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    reference_position: String,
}

/// One change to the plan, applied to the whole plan and stored through the API's flow.
#[post("/workspace/file-plan")]
async fn file_plan_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<PlanForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    identity.require(Permission::ManageUsers)?;
    let tx = identity.tenant_tx(&state).await?;
    let mut positions = api::file_plan(&tx).await?.positions;
    tx.commit().await?;
    let typed = PlanPosition {
        position: form.position.trim().to_owned(),
        title: form.title.trim().to_owned(),
        reference_position: Some(form.reference_position.trim().to_owned())
            .filter(|r| !r.is_empty()),
    };
    match form.op.as_str() {
        "save" => {
            let mut errors = FieldErrors::new();
            api::check_position(&typed, "", &mut errors);
            if !errors.is_empty() {
                let form = PlanPositionForm {
                    position: form.position.clone(),
                    title: form.title.clone(),
                    reference_position: form.reference_position.clone(),
                };
                let body = file_plan_view(&state, &req, &identity, form, errors).await?;
                return Ok(invalid(&req, body));
            }
            match positions.iter_mut().find(|p| p.position == typed.position) {
                Some(existing) => *existing = typed,
                None => positions.push(typed),
            }
        }
        "remove" => positions.retain(|p| p.position != typed.position),
        "copy" if positions.is_empty() => {
            positions = amtsweg_cases::fileplan::reference_plan()
                .into_iter()
                .map(|r| PlanPosition {
                    reference_position: Some(r.position.clone()),
                    position: r.position,
                    title: r.title,
                })
                .collect();
        }
        "reference" => positions.clear(),
        _ => return Err(AppError::field("op", "error-required")),
    }
    api::set_plan_flow(&state, &identity, &req, &positions).await?;
    Ok(redirect_with_flash(
        "/workspace/file-plan",
        "success",
        "case-admin-flash-plan-saved",
    ))
}

// ---------------------------------------------------------------------------------------------
// Throughput

#[get("/workspace/throughput")]
async fn throughput_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::WorkCases)?;
    let ctx = staff_context(&state, &req, &identity, Area::Workspace).await?;
    let view = api::own_throughput_view(&state, &identity, ctx.lang.code()).await?;
    let page = ThroughputPage {
        computed_at: view.computed_at.map(format_time),
        processes: view
            .processes
            .iter()
            .map(|p| ProcessFigures {
                name: p.name.clone(),
                case: p.case.as_ref().map(figure_row),
                steps: p
                    .steps
                    .iter()
                    .map(|s| (s.title.clone(), figure_row(&s.figures)))
                    .collect(),
            })
            .collect(),
    };
    Ok(ok(&req, pages::throughput_page(&ctx, &page)))
}

#[get("/ministry/throughput")]
async fn ministry_throughput_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(&state, &req, &identity, Area::Ministry).await?;
    let view = api::ministry_throughput_view(&state, &identity, ctx.lang.code()).await?;
    // The view is per authority; the page compares authorities per process.
    let mut processes: Vec<(String, ComparedProcess)> = Vec::new();
    for authority in &view.authorities {
        for p in &authority.processes {
            let entry = match processes.iter_mut().position(|(id, _)| *id == p.process_id) {
                Some(i) => &mut processes[i].1,
                None => {
                    processes.push((
                        p.process_id.clone(),
                        ComparedProcess {
                            name: p.name.clone(),
                            ..ComparedProcess::default()
                        },
                    ));
                    let last = processes.len() - 1;
                    &mut processes[last].1
                }
            };
            if let Some(case) = &p.case {
                entry
                    .cases
                    .push((authority.authority.clone(), figure_row(case)));
            }
            for s in &p.steps {
                entry.steps.push((
                    s.title.clone(),
                    authority.authority.clone(),
                    figure_row(&s.figures),
                ));
            }
        }
    }
    let page = MinistryThroughputPage {
        min_group: view.min_group,
        suppressed_groups: view.suppressed_groups,
        processes: processes.into_iter().map(|(_, p)| p).collect(),
    };
    Ok(ok(&req, pages::ministry_throughput_page(&ctx, &page)))
}

// ---------------------------------------------------------------------------------------------
// The state's model processes

async fn models_view(
    state: &AppState,
    req: &HttpRequest,
    identity: &Identity,
    definition: String,
    errors: FieldErrors,
) -> Result<String, AppError> {
    identity.require(Permission::ViewMinistryAggregates)?;
    let ctx = staff_context(state, req, identity, Area::Ministry).await?;
    let lang = ctx.lang.code();
    let models = api::current_models(state.db.connection())
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), m.name_in(lang).to_owned(), m.version))
        .collect();
    Ok(pages::models_page(
        &ctx,
        &ModelsPage {
            models,
            definition,
            errors,
        },
    ))
}

#[get("/ministry/processes")]
async fn ministry_models_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
) -> Result<HttpResponse, AppError> {
    let body = models_view(&state, &req, &identity, String::new(), FieldErrors::new()).await?;
    Ok(ok(&req, body))
}

#[derive(Debug, Deserialize)]
struct PublishForm {
    csrf: String,
    #[serde(default)]
    definition: String,
}

#[post("/ministry/processes")]
async fn ministry_models_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    identity: Identity,
    form: web::Form<PublishForm>,
) -> Result<HttpResponse, AppError> {
    verify_csrf(&req, &form.csrf)?;
    let address = client_address(&req, &state.settings.trusted_proxies);
    match api::publish_model_flow(&state, &identity, &address, &form.definition).await {
        Ok(_) => Ok(redirect_with_flash(
            "/ministry/processes",
            "success",
            "case-admin-flash-model-published",
        )),
        Err(AppError::Validation(errors)) => {
            let body =
                models_view(&state, &req, &identity, form.definition.clone(), errors).await?;
            Ok(invalid(&req, body))
        }
        Err(other) => Err(other),
    }
}
