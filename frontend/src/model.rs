//! View models: plain data the HTTP layer fills and the pages render. No I/O, no actix, no database.
//!
//! This module is the contract between `amtsweg-http` (handlers) and this crate (pages).

use std::collections::BTreeMap;

pub use crate::i18n::Lang;

/// Who is looking, in which language, and the per-request values every page needs.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub lang: Lang,
    /// The CSRF token to embed as hidden field `csrf` in every POST form.
    pub csrf: String,
    /// The request path with query, used for the language switch (`?lang=xx` is appended).
    pub path: String,
    pub user: Option<UserBadge>,
    pub flash: Option<Flash>,
    /// Which area's navigation to show.
    pub area: Area,
    /// Set on a self-service terminal: the kiosk layout instead of the normal frame.
    pub kiosk: Option<KioskLayout>,
}

/// What the kiosk layout needs: when the page returns to the terminal's start by itself.
#[derive(Debug, Clone, Default)]
pub struct KioskLayout {
    /// Seconds without input until the session ends (the page's automatic return).
    pub idle_seconds: u32,
    /// The local time (`HH:MM`) at which that happens if nothing is entered.
    pub ends_at: String,
    /// How long before that the page warns and offers to continue (WCAG 2.2.1: at least 20 s).
    pub warn_seconds: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Area {
    #[default]
    Public,
    Portal,
    Workspace,
    Operator,
    Ministry,
}

#[derive(Debug, Clone)]
pub struct UserBadge {
    pub display_name: String,
    /// A `Role::as_str()` value; the page translates it with key `role-<value>`.
    pub role: String,
    pub tenant_name: Option<String>,
    /// Which navigation entries to show.
    pub can_manage_users: bool,
    pub can_view_audit: bool,
    pub is_operator: bool,
    pub is_ministry: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Error,
    Info,
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: FlashKind,
    /// A message key from the locale files.
    pub key: String,
}

/// Field name → message key, rendered next to the field (with `aria-describedby` and
/// `aria-invalid`), plus an error summary at the top of the form that links to each field.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, Default)]
pub struct SignInForm {
    pub email: String,
    pub errors: FieldErrors,
    /// A form-wide message key, e.g. `error-credentials` or `error-throttled`.
    pub general: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TotpForm {
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct MfaSetup {
    /// An inline `<svg>` of the otpauth URI as QR code (trusted markup produced by the server).
    pub qr_svg: String,
    /// The secret in base32 for manual entry, grouped for reading.
    pub secret_base32: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct WorkspaceHome {
    pub tenant_name: String,
    /// A `TenantKind` value; translated with key `kind-<value>`.
    pub tenant_kind: String,
    pub regierungsbezirk: Option<String>,
    pub lifecycle: String,
    pub user_count: u64,
}

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub status: String,
    pub mfa_enabled: bool,
}

#[derive(Debug, Clone)]
pub struct InvitationRow {
    pub email: String,
    pub role: String,
    /// Already formatted for display (`dd.mm.yyyy hh:mm`).
    pub created_at: String,
    pub expires_at: String,
    pub accepted: bool,
}

#[derive(Debug, Clone, Default)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct UsersPage {
    pub users: Vec<UserRow>,
    pub invitations: Vec<InvitationRow>,
    pub form: InviteForm,
    /// Role values a tenant admin may assign.
    pub assignable_roles: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct AuditPage {
    pub entries: Vec<AuditRow>,
    pub page: u64,
    pub page_count: u64,
    pub total: u64,
    pub action_filter: Option<String>,
    /// `Some(true)` intact, `Some(false)` broken, after the user asked for verification.
    pub chain_intact: Option<bool>,
    /// Where the page and its forms point: `/workspace/audit` or `/operator/audit`.
    pub base_path: String,
}

#[derive(Debug, Clone, Default)]
pub struct AcceptInvitation {
    pub token: String,
    pub tenant_name: String,
    pub email: String,
    pub role: String,
    pub display_name: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone)]
pub struct TenantRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub regierungsbezirk: Option<String>,
    pub ags: Option<String>,
    pub lifecycle: String,
    pub pilot: bool,
    pub confirmed: bool,
    pub vendor: String,
}

#[derive(Debug, Clone, Default)]
pub struct TenantList {
    pub rows: Vec<TenantRow>,
    pub kind_filter: Option<String>,
    pub rb_filter: Option<String>,
    pub query: String,
    /// All kinds and Regierungsbezirke for the filter selects: (value, count).
    pub kind_counts: Vec<(String, usize)>,
    pub rb_counts: Vec<(String, usize)>,
    pub total: usize,
}

#[derive(Debug, Clone, Default)]
pub struct TenantDetail {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub regierungsbezirk: Option<String>,
    pub ags: Option<String>,
    pub kreisschluessel: Option<String>,
    pub abh_kennung: Option<String>,
    pub behoerdenkennzahl: Option<String>,
    pub vendor: String,
    pub contact_email: Option<String>,
    pub lifecycle: String,
    pub pilot: bool,
    pub confirmed: bool,
    pub source: Option<String>,
    pub user_count: u64,
}

#[derive(Debug, Clone, Default)]
pub struct MinistryOverview {
    /// (kind value, count)
    pub by_kind: Vec<(String, usize)>,
    /// (lifecycle value, count)
    pub by_lifecycle: Vec<(String, usize)>,
    /// (Regierungsbezirk name, count of ABH)
    pub abh_by_rb: Vec<(String, usize)>,
    pub pilots: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RegisterForm {
    pub email: String,
    pub display_name: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct PortalAccount {
    pub display_name: String,
    pub email: String,
}

/// One operation of the JSON API for the browsable API page.
#[derive(Debug, Clone)]
pub struct ApiOperation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
}

// ---------------------------------------------------------------------------------------------
// Applicant portal and intake (issue 4). Catalog texts (service titles, field labels) arrive
// already translated; everything else is a message key from `portal.ftl`.

/// One service of the statewide catalog.
#[derive(Debug, Clone, Default)]
pub struct ServiceCard {
    pub key: String,
    pub title: String,
    pub summary: String,
    /// The base fee, e.g. `93.00`.
    pub fee: String,
}

/// An authority that may be responsible, offered when a postal code spans several.
#[derive(Debug, Clone, Default)]
pub struct AuthorityChoice {
    pub tenant_id: String,
    pub name: String,
}

/// A service's page: what it is, and where to apply (municipality or postal code).
#[derive(Debug, Clone, Default)]
pub struct ServiceStart {
    pub service: ServiceCard,
    pub place: String,
    /// A message key when the place was not found.
    pub place_error: Option<String>,
    /// The candidate authorities for the place (one: found; several: the applicant chooses).
    pub authorities: Vec<AuthorityChoice>,
    pub signed_in: bool,
    /// The found authority's own hints, contact and opening hours for this service.
    pub tenant_notes: Vec<String>,
}

/// One form field, ready to render.
#[derive(Debug, Clone, Default)]
pub struct FormFieldView {
    pub key: String,
    /// `text`, `date`, `select`, `yes-no`, `number`, `email`, `postal-code`, `document-number`,
    /// `text-area`.
    pub kind: String,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub required: bool,
    /// (value, translated label)
    pub options: Vec<(String, String)>,
    pub autocomplete: Option<String>,
}

/// One step of an application form.
#[derive(Debug, Clone, Default)]
pub struct FormStepView {
    pub action: String,
    pub service_title: String,
    pub authority_name: String,
    pub step: usize,
    pub step_titles: Vec<String>,
    pub fields: Vec<FormFieldView>,
    pub errors: FieldErrors,
    pub back_href: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReviewSection {
    pub title: String,
    pub edit_href: String,
    /// (label, value)
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct EvidenceSlotView {
    pub key: String,
    pub label: String,
    pub required: bool,
    /// Uploaded documents for this slot: (file name, size text, delete action).
    pub documents: Vec<(String, String, String)>,
}

/// The review page: everything entered, evidence, fee and payment, and the submit button.
#[derive(Debug, Clone, Default)]
pub struct ReviewView {
    pub service_title: String,
    pub authority_name: String,
    pub sections: Vec<ReviewSection>,
    pub quick_check: Vec<String>,
    pub evidence: Vec<EvidenceSlotView>,
    pub upload_action: String,
    pub max_upload_mb: u64,
    pub fee: String,
    pub fee_legal: String,
    /// A message key such as `intake-exemption-minor`.
    pub exemption: Option<String>,
    pub fee_due: bool,
    /// A message key: `intake-payment-pending`, `…-paid`, `…-declined`, `…-abandoned`.
    pub payment_state: Option<String>,
    pub paid: bool,
    pub pay_action: String,
    pub submit_action: String,
    pub idempotency_key: String,
    /// Form-wide errors (message keys), e.g. missing evidence or unpaid fee.
    pub problems: Vec<String>,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct MessageView {
    pub from_authority: bool,
    pub body: String,
    pub due: Option<String>,
    pub at: String,
    /// Documents the reply carried: (file name, download link for staff).
    pub attachments: Vec<(String, Option<String>)>,
    /// A delivered document (a notice) to download.
    pub document_href: Option<String>,
}

/// The applicant's view of one application: status, receipt, messages, appointments, pickup.
#[derive(Debug, Clone, Default)]
pub struct ApplicationView {
    pub reference: String,
    pub service_title: String,
    pub authority_name: String,
    /// An application state such as `submitted` (rendered with `intake-state-<state>`).
    pub state: String,
    pub submitted_at: String,
    pub fee: String,
    pub paid: String,
    pub evidence: Vec<String>,
    pub receipt_href: String,
    pub messages: Vec<MessageView>,
    pub reply_action: String,
    pub appointments: Vec<(String, String, String)>,
    /// (value `resource|start`, label) of bookable slots.
    pub slots: Vec<(String, String)>,
    pub book_action: String,
    pub pickup_location: Option<String>,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct PortalListItem {
    pub title: String,
    pub authority_name: String,
    pub reference: String,
    pub state: String,
    pub href: String,
    pub at: String,
}

/// The applicant's drafts and applications across authorities.
#[derive(Debug, Clone, Default)]
pub struct PortalApplications {
    pub drafts: Vec<PortalListItem>,
    pub applications: Vec<PortalListItem>,
}

#[derive(Debug, Clone, Default)]
pub struct InboxRowView {
    pub reference: String,
    pub service_title: String,
    pub state: String,
    pub submitted_at: String,
    pub evidence_count: i64,
    pub fee: String,
    pub paid: String,
    /// Applicant replies not yet opened by staff.
    pub unread_replies: i64,
    pub href: String,
}

/// The staff intake inbox.
#[derive(Debug, Clone, Default)]
pub struct IntakeInbox {
    pub rows: Vec<InboxRowView>,
}

/// One statewide service in the tenant's settings table.
#[derive(Debug, Clone, Default)]
pub struct ServiceSettingRow {
    pub title: String,
    pub active: bool,
    pub has_own_texts: bool,
    pub href: String,
}

/// One appointment resource in the tenant's settings.
#[derive(Debug, Clone, Default)]
pub struct ResourceRow {
    pub name: String,
    /// `counter`, `biometrics` or `interpreter`.
    pub kind: String,
    pub languages: String,
    /// (weekday 1–7, `08:00–12:00`, slot minutes)
    pub hours: Vec<(u32, String, u32)>,
    pub deactivate_action: String,
    pub day_href: String,
}

/// The tenant admin's page for services and appointment resources (/workspace/intake/settings).
#[derive(Debug, Clone, Default)]
pub struct IntakeSettingsView {
    pub services: Vec<ServiceSettingRow>,
    pub resources: Vec<ResourceRow>,
    pub add_action: String,
    /// Values of the add-resource form after an error (field key → value).
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
    /// The self-service terminals, newest first.
    pub terminals: Vec<TerminalRow>,
    pub terminal_action: String,
    /// A terminal's address, shown once right after it was registered.
    pub new_terminal_url: Option<String>,
}

/// A registered self-service terminal.
#[derive(Debug, Clone, Default)]
pub struct TerminalRow {
    pub name: String,
    pub created_at: String,
    pub active: bool,
    pub revoke_action: String,
}

/// The start page of a self-service terminal.
#[derive(Debug, Clone, Default)]
pub struct KioskStart {
    pub authority: String,
    pub signed_in: bool,
}

/// The form for one service's own settings.
#[derive(Debug, Clone, Default)]
pub struct ServiceSettingsForm {
    pub title: String,
    pub action: String,
    pub active: bool,
    pub hints: String,
    pub contact: String,
    pub opening_hours: String,
    pub errors: FieldErrors,
}

/// Who comes when: one resource's booked appointments on one local day.
#[derive(Debug, Clone, Default)]
pub struct DayView {
    /// (resource id, name) to choose from.
    pub resources: Vec<(String, String)>,
    pub resource: String,
    pub resource_name: String,
    /// `YYYY-MM-DD`
    pub date: String,
    /// (`08:00–08:30`, person, application reference, application link)
    pub rows: Vec<(String, String, String, Option<String>)>,
    pub errors: FieldErrors,
}

/// One application as staff see it: structured data and evidence.
#[derive(Debug, Clone, Default)]
pub struct IntakeDetailView {
    pub reference: String,
    pub service_title: String,
    pub state: String,
    pub submitted_at: String,
    pub language: String,
    pub fee: String,
    pub paid: String,
    /// (label, value)
    pub fields: Vec<(String, String)>,
    /// (file name, content type, size text, sha256, download href)
    pub evidence: Vec<(String, String, String, String, String)>,
    pub messages: Vec<MessageView>,
    pub message_action: String,
    pub pickup_action: String,
    /// Shown once right after it was issued.
    pub pickup_code: Option<String>,
    pub errors: FieldErrors,
}

/// The payment simulator's page (stands in for the ePayBL provider).
#[derive(Debug, Clone, Default)]
pub struct SimPayView {
    pub amount: String,
    pub purpose: String,
    /// Hidden fields carried to the decision.
    pub hidden: Vec<(String, String)>,
}

// ---------------------------------------------------------------------------------------------
// Rollout (issue 6): the ministry console and the tenant's onboarding workspace. Values are
// message-key suffixes (service, fund, kind, state) or figures; never a person's data.

/// The ministry console: every figure computed from live data, aggregates only.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MinistryConsole {
    /// `YYYY-MM-DD` of the figures.
    pub as_of: String,
    pub tenants_total: usize,
    /// (lifecycle value, count)
    pub by_lifecycle: Vec<(String, usize)>,
    pub services: Vec<ConsoleService>,
    pub funds: Vec<ConsoleFund>,
    pub hardware: Vec<ConsoleHardware>,
    /// Tenants with at least one PIK-Chassis kit delivered.
    pub pik_chassis_tenants: usize,
    /// (health value, count of devices in operation)
    pub device_health: Vec<(String, usize)>,
    pub regions: Vec<ConsoleRegion>,
    pub missed_deadlines: Vec<ConsoleMissed>,
    pub forecast: Vec<ConsoleForecast>,
    /// (service, mean 0–4 level in tenths, mean 0–7 level in tenths, tenants surveyed)
    pub maturity: Vec<ConsoleMaturity>,
    /// The reconciliation with the AZR, statewide, month by month (oldest first).
    pub reconciliation: Vec<ConsoleReconciliation>,
    pub tenants: Vec<ConsoleTenant>,
}

/// One month of the statewide reconciliation with the AZR: each reporting authority's last run,
/// weighted by its records.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleReconciliation {
    /// `YYYY-MM`.
    pub month: String,
    pub tenants_reporting: usize,
    pub records: i64,
    /// Records not identical in both registers, per 1,000.
    pub incongruent_permille: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleService {
    pub service: String,
    /// Authorities of the kind that can use the service.
    pub eligible: usize,
    pub committed: usize,
    pub committed_by_deadline: usize,
    pub connected: usize,
    pub vendor_solution: usize,
    pub deadline: Option<String>,
    pub taken_up: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleFund {
    pub fund: String,
    pub reference: String,
    pub usable_until: Option<String>,
    pub total_cents: i64,
    pub committed_cents: i64,
    pub spent_cents: i64,
    pub left_cents: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleHardware {
    pub kind: String,
    pub total: usize,
    pub delivered: usize,
    pub active: usize,
    pub defect: usize,
    pub tenants_delivered: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleRegion {
    pub regierungsbezirk: String,
    pub tenants: usize,
    pub live: usize,
    pub einbuergerung_committed: usize,
    pub aufenthalt_committed: usize,
    pub devices_delivered: usize,
    pub mean_level_tenths: Option<u32>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleMissed {
    pub tenant: String,
    pub service: String,
    pub deadline: String,
    /// The late commitment, or none at all.
    pub committed_on: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleForecast {
    pub year: i32,
    pub state_cents: i64,
    pub municipality_cents: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleMaturity {
    pub service: String,
    pub tenants_surveyed: usize,
    pub mean_ozg_tenths: Option<u32>,
    pub mean_2025_tenths: Option<u32>,
    /// (year, mean 0–4 level in tenths) of the surveys taken in that year.
    pub trend: Vec<(i32, u32)>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ConsoleTenant {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub regierungsbezirk: String,
    pub lifecycle: String,
    pub checklist_done: usize,
    pub checklist_total: usize,
    /// (service, status, committed_on, connected_on)
    pub services: Vec<(String, String, Option<String>, Option<String>)>,
    pub devices_delivered: usize,
    pub devices_critical: usize,
    pub level_ozg: Option<i32>,
    pub level_2025: Option<i32>,
    pub allocated_cents: i64,
    pub spent_cents: i64,
    /// The latest reconciliation run's incongruent records per 1,000.
    pub incongruent_permille: Option<i64>,
}

/// The tenant admin's rollout page: checklist, services, devices.
#[derive(Debug, Clone, Default)]
pub struct RolloutWorkspace {
    pub lifecycle: String,
    pub checklist: Vec<RolloutChecklistItem>,
    pub done: usize,
    pub total: usize,
    /// (service, status, payer, committed_on)
    pub services: Vec<(String, String, String, Option<String>)>,
    pub devices: Vec<RolloutDevice>,
    pub can_edit: bool,
    pub unprocessed_registrations: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RolloutChecklistItem {
    pub item: String,
    pub done: bool,
    pub derived: bool,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct RolloutDevice {
    pub kind: String,
    pub serial: String,
    pub state: String,
    pub health: String,
    pub software_version: String,
    pub last_heartbeat: Option<String>,
    pub certificate_expires_on: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// AZR reconciliation (Datenabgleich, issue 3). Values of records are shown as the registers hold
// them; field, class, kind and state values are translated with `recon-<group>-<value>` keys from
// `reconciliation.ftl`.

/// One reconciliation run in a list or as the head of its page.
#[derive(Debug, Clone, Default)]
pub struct ReconRunRow {
    pub id: String,
    /// queued, running, done, failed.
    pub state: String,
    pub stage: String,
    /// 0–100.
    pub percent: u32,
    pub created_at: String,
    pub finished_at: Option<String>,
    /// upload or adapter.
    pub azr_source: String,
    pub records_local: i64,
    pub records_azr: i64,
    pub differences: i64,
    /// e.g. `8.4`; none before the run is done.
    pub incongruence_percent: Option<String>,
    pub error: Option<String>,
}

/// The start page: the upload form and the runs.
#[derive(Debug, Clone, Default)]
pub struct ReconOverview {
    pub runs: Vec<ReconRunRow>,
    pub errors: FieldErrors,
    pub max_upload_mib: u64,
}

/// Filters of the result list; empty means all.
#[derive(Debug, Clone, Default)]
pub struct ReconFilter {
    pub class: String,
    pub field: String,
    pub kind: String,
    pub proposed_side: String,
    pub decision: String,
}

/// One difference in the result list.
#[derive(Debug, Clone, Default)]
pub struct ReconDiffRow {
    pub id: String,
    pub pair_id: String,
    pub local_record_id: String,
    pub azr_record_id: String,
    pub class: String,
    pub field: String,
    pub kind: String,
    pub local_value: String,
    pub azr_value: String,
    pub proposed_side: String,
    pub reason: String,
    pub change_status: String,
    pub decision: String,
}

/// A run: progress while it runs, results when it is done.
#[derive(Debug, Clone, Default)]
pub struct ReconRunPage {
    pub run: ReconRunRow,
    /// (class, count) for all six classes.
    pub classes: Vec<(String, i64)>,
    pub filter: ReconFilter,
    pub rows: Vec<ReconDiffRow>,
    pub total: u64,
    pub page: u64,
    pub page_count: u64,
    /// The filter as a query string (without `page`), for pagination links.
    pub filter_query: String,
    /// Exports of the accepted corrections.
    pub export_csv: String,
    pub export_xml: String,
    /// While the run is in progress the page reloads itself unless the user turned that off.
    pub auto_refresh: bool,
}

/// One compared field of a pair, side by side.
#[derive(Debug, Clone, Default)]
pub struct ReconFieldRow {
    pub field: String,
    pub local_value: String,
    pub azr_value: String,
    pub difference: Option<ReconDiffRow>,
}

/// A linked pair: both records side by side, the differences with their decision forms.
#[derive(Debug, Clone, Default)]
pub struct ReconPairPage {
    pub run_id: String,
    pub pair_id: String,
    pub local_record_id: String,
    pub azr_record_id: String,
    pub class: String,
    /// Match weight in bits, formatted.
    pub weight: String,
    pub explanation: String,
    pub fields: Vec<ReconFieldRow>,
    pub errors: FieldErrors,
}

/// The ministry's reconciliation console: per tenant, its rates over runs (aggregates only).
#[derive(Debug, Clone, Default)]
pub struct ReconMinistry {
    pub tenants: Vec<ReconTenantTrend>,
}

#[derive(Debug, Clone, Default)]
pub struct ReconTenantTrend {
    pub tenant_name: String,
    /// Incongruence rates in percent, oldest run first; the last is the latest.
    pub rates: Vec<f64>,
    pub latest_at: String,
}

/// The operator's onboarding view of one tenant.
#[derive(Debug, Clone, Default)]
pub struct OperatorRolloutTenant {
    pub id: String,
    pub name: String,
    pub lifecycle: String,
    pub checklist_done: usize,
    pub checklist_total: usize,
    /// Lifecycle states reachable from here by the operator (offboarding has its own route).
    pub next_states: Vec<String>,
    pub email: String,
    pub errors: FieldErrors,
}
// ---------------------------------------------------------------------------------------------
// Case processing (issue 5): worklists, the routing folder, persons, the e-file.

/// One line of a worklist.
#[derive(Debug, Clone, Default)]
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub person: String,
    pub process: String,
    pub step: String,
    /// open | waiting | decided
    pub state: String,
    /// A name, or empty when the case lies in the team basket.
    pub holder: String,
    pub due: String,
    pub overdue: bool,
    pub escalated: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CasesWorklistPage {
    /// mine | team | all
    pub scope: String,
    /// The state filter ("" = every state).
    pub state: String,
    /// Counted up to `amtsweg_domain::COUNT_LIMIT`; one more stands for "more".
    pub total: i64,
    /// Counts per state of the scope, bounded like `total`.
    pub counts: Vec<(String, i64)>,
    pub rows: Vec<CaseRow>,
    /// (process id, name) for opening a case.
    pub processes: Vec<(String, String)>,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct CaseHistoryRow {
    pub at: String,
    pub actor: String,
    /// open | take | forward | ask | reply | return | approve | received | comment | remind | escalate
    pub action: String,
    pub from_step: String,
    pub to_step: String,
    pub comment: String,
    pub decision: String,
}

#[derive(Debug, Clone, Default)]
pub struct CaseDocumentRow {
    pub id: String,
    pub title: String,
    /// online_application | scan | generated | pik | received
    pub source: String,
    pub plan_position: String,
    pub reference_position: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct CaseViewPage {
    pub id: String,
    pub reference: String,
    pub person_id: String,
    pub person_name: String,
    pub birth_date: String,
    pub file_number: String,
    pub process_name: String,
    pub process_version: String,
    pub step_title: String,
    /// work | approval | waiting | end
    pub step_kind: String,
    pub step_role: String,
    pub state: String,
    pub holder: String,
    pub step_due: String,
    pub case_due: String,
    pub overdue: bool,
    pub decision: String,
    pub required_documents: Vec<String>,
    /// (step id, title) the case may go to next.
    pub next_steps: Vec<(String, String)>,
    /// (user id, name) of colleagues to ask.
    pub colleagues: Vec<(String, String)>,
    pub history: Vec<CaseHistoryRow>,
    pub documents: Vec<CaseDocumentRow>,
    /// A routing refusal to show (message key).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub birth_date: String,
    pub file_number: String,
    pub azr_number: String,
    /// A | B
    pub register: String,
}

#[derive(Debug, Clone, Default)]
pub struct PersonSearchPage {
    pub query: String,
    pub rows: Vec<PersonRow>,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentSearchPage {
    pub query: String,
    pub rows: Vec<CaseDocumentRow>,
}

/// The operator's contact data for the legal notice, privacy notice and accessibility statement,
/// from the configuration. Empty in an installation that has not set them; the pages say so.
#[derive(Debug, Clone, Default)]
pub struct LegalContact {
    pub operator: String,
    pub address: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The data-protection officer's address.
    pub privacy_email: Option<String>,
}

impl LegalContact {
    pub fn is_configured(&self) -> bool {
        !self.operator.trim().is_empty()
    }
}

/// The accessibility feedback form, as typed, with errors per field.
#[derive(Debug, Clone, Default)]
pub struct FeedbackForm {
    pub message: String,
    pub page: String,
    pub contact: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone)]
pub struct FeedbackItem {
    pub id: String,
    pub received_at: String,
    pub message: String,
    pub page: Option<String>,
    pub contact: Option<String>,
    pub lang: String,
    pub handled_at: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FeedbackList {
    pub items: Vec<FeedbackItem>,
    pub open: usize,
}
