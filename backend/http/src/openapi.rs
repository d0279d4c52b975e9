//! The OpenAPI 3.1 document, generated from the handlers' annotations. `docs/api/openapi.json` holds
//! a copy that a test keeps current.

use actix_web::{HttpResponse, get};
use utoipa::OpenApi;

use crate::routes::{api, case_admin, cases, rollout, rollout_report};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Amtsweg API",
        description = "Digital migration administration for the authorities of North Rhine-Westphalia.",
        version = "0.1.0"
    ),
    paths(
        api::token_route, api::refresh_route, api::sign_out_route, api::sign_out_everywhere, api::me_route,
        api::own_tenant, api::list_tenants, api::get_tenant,
        api::list_users, api::get_user, api::disable_user, api::set_role,
        api::create_invitation, api::list_invitations,
        api::list_audit, api::verify_audit,
        cases::create_person, cases::search_persons, cases::get_person, cases::move_person_to_b,
        cases::list_processes, cases::open_case, cases::worklist, cases::run_deadlines, cases::get_case,
        cases::act_on_case, cases::upload_document, cases::list_documents, cases::document_content,
        cases::run_retention, cases::list_retention, cases::confirm_retention,
        cases::request_transfer, cases::list_transfers, cases::consent_transfer,
        cases::export_person, cases::import_package,
        case_admin::list_adoptions, case_admin::adopt_process, case_admin::edit_variant, case_admin::decide_update,
        case_admin::publish_model, case_admin::get_file_plan, case_admin::put_file_plan,
        case_admin::own_throughput, case_admin::ministry_throughput,
        rollout::invite_first_admin, rollout::set_lifecycle, rollout::export_tenant, rollout::offboard_tenant,
        rollout::get_checklist, rollout::put_checklist_item, rollout::list_subscriptions, rollout::put_subscription,
        rollout::list_costs, rollout::add_cost, rollout::list_devices, rollout::create_device, rollout::set_device_state,
        rollout::issue_credential, rollout::add_survey, rollout::list_registrations, rollout::read_biometrics,
        rollout::device_registration, rollout::device_heartbeat, rollout::device_rotate, rollout::ministry_overview,
        rollout::open_sina_survey, rollout::sina_survey_answers, rollout::approve_sina, rollout::list_sina_surveys,
        rollout::answer_sina_survey, rollout::list_match_reviews, rollout::decide_match,
        rollout::undo_match,
        rollout_report::report_api,
    ),
    components(schemas(
        api::TokenRequest, api::TokenResponse, api::RefreshRequest, api::Me, api::TenantView, api::UserView,
        api::RoleChange, api::InvitationRequest, api::InvitationView, api::AuditEntryView, api::AuditPage,
        cases::PersonInput, cases::OtherNameInput, cases::PersonView, cases::PersonMatch, cases::PersonDetail,
        cases::RegisterBRequest, cases::ProcessView, cases::StepView, cases::OpenCaseRequest, cases::CaseSummary,
        cases::Worklist, cases::StateCount, cases::CaseView, cases::HistoryView, cases::ClockReport,
        cases::DocumentView, cases::UploadRequest, cases::ReviewView, cases::TransferRequest, cases::TransferView,
        cases::ConsentRequest,
        case_admin::AdoptionView, case_admin::AdoptedView, case_admin::StepValues, case_admin::StepTitle,
        case_admin::StepChangeView, case_admin::OfferedUpdateView, case_admin::AdoptRequest, case_admin::StepInput,
        case_admin::VariantRequest, case_admin::UpdateDecision, case_admin::PublishModelRequest,
        case_admin::PublishedModelView, case_admin::ReferencePositionView, case_admin::PlanPosition,
        case_admin::MappingReportView, case_admin::FilePlanView, case_admin::FilePlanRequest,
        case_admin::FiguresView, case_admin::StepThroughput, case_admin::ProcessThroughput,
        case_admin::OwnThroughputView, case_admin::AuthorityThroughput, case_admin::MinistryThroughputView,
    )),
    tags(
        (name = "auth", description = "Sign-in, tokens and sessions"),
        (name = "tenants", description = "The authority catalog"),
        (name = "users", description = "Staff accounts and invitations"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "cases", description = "Persons, cases and the routing folder, the e-file, retention, transfers"),
        (name = "rollout", description = "Onboarding, EfA services, costs, devices and registrations"),
        (name = "devices", description = "The PIK-Chassis device API (Authorization: Device …)"),
        (name = "ministry", description = "The ministry's aggregates"),
    )
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
        .merge_from(crate::routes::reconciliation::ReconciliationDoc::openapi())
        .merge_from(crate::routes::portal_intake::IntakeDoc::openapi())
}

/// Pretty JSON of the document, as checked in under `docs/api/openapi.json`.
pub fn document_json() -> String {
    document()
        .to_pretty_json()
        .unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
}

#[get("/api/openapi.json")]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(document_json())
}

/// The operations for the browsable API page.
pub fn operations() -> Vec<amtsweg_frontend::model::ApiOperation> {
    let doc = document();
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                out.push(amtsweg_frontend::model::ApiOperation {
                    method: method.to_owned(),
                    path: path.clone(),
                    summary: operation
                        .summary
                        .clone()
                        .or_else(|| operation.description.clone())
                        .unwrap_or_default(),
                    tag: operation
                        .tags
                        .as_ref()
                        .and_then(|tags| tags.first().cloned())
                        .unwrap_or_default(),
                });
            }
        }
    }
    out
}
