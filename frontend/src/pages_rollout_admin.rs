//! Rollout administration pages: the authority's device registry, EfA services, cost ledger with
//! budgets and use of funds (Verwendungsnachweis), its SINA survey answers; the ministry's
//! hardware overview and SINA survey rounds. Texts in `rollout_admin.ftl`: the pages speak de and
//! en, the ar, uk and tr files are translated too (a test refuses English copies).
//!
//! Several rows carry their own small form (a device's next state, an authority's allotment):
//! their inputs get ids from the row, with a visually hidden label each, so ids stay unique.

use leptos::prelude::*;

use crate::components::{
    Input, csrf_field, document, error_summary, heading, input_field, message, select_field,
    table_region, textarea_field, tr, tra,
};
use crate::i18n::Lang;
use crate::model::{FieldErrors, PageContext};
use crate::pages_rollout::eur;

// ---------------------------------------------------------------------------------------------
// View models

/// How close an expiry date is; drives the highlight and its text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Expiry {
    #[default]
    None,
    Valid,
    /// Within 30 days.
    Soon,
    Expired,
}

impl Expiry {
    fn key(self) -> Option<&'static str> {
        match self {
            Expiry::None | Expiry::Valid => None,
            Expiry::Soon => Some("rollout-expiry-soon"),
            Expiry::Expired => Some("rollout-expiry-expired"),
        }
    }

    fn class(self) -> Option<&'static str> {
        match self {
            Expiry::None | Expiry::Valid => None,
            Expiry::Soon => Some("cell-warning"),
            Expiry::Expired => Some("cell-critical"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DeviceRow {
    pub id: String,
    pub kind: String,
    pub serial: String,
    pub state: String,
    pub health: String,
    pub software_version: String,
    pub last_heartbeat: Option<String>,
    pub certificate_expires_on: Option<String>,
    pub certificate_expiry: Expiry,
    pub smartcard_expires_on: Option<String>,
    pub smartcard_expiry: Expiry,
    pub cost_cents: i64,
    pub payer: String,
    /// The states the machine allows next.
    pub next_states: Vec<String>,
}

/// The values of the "add a device" form, kept when it is shown again with errors.
#[derive(Debug, Clone, Default)]
pub struct DeviceForm {
    pub kind: String,
    pub serial: String,
    pub certificate_expires_on: String,
    pub smartcard_expires_on: String,
    pub cost: String,
    pub payer: String,
}

#[derive(Debug, Clone, Default)]
pub struct DevicesPage {
    pub devices: Vec<DeviceRow>,
    pub can_edit: bool,
    pub form: DeviceForm,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct ServiceRow {
    pub service: String,
    pub taken_up: bool,
    pub status: String,
    pub committed_on: Option<String>,
    pub connected_on: Option<String>,
    pub deadline: Option<String>,
    pub met_deadline: bool,
    pub payer: String,
    pub funding_source: String,
    pub state_pays_until: Option<String>,
    /// The connection cost booked for this service, if any.
    pub connection_cents: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ServiceForm {
    pub service: String,
    pub status: String,
    pub committed_on: String,
    pub connected_on: String,
}

#[derive(Debug, Clone, Default)]
pub struct ServicesPage {
    pub services: Vec<ServiceRow>,
    pub form: ServiceForm,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct CostRow {
    /// A service name key suffix, or a device `kind serial`, or empty.
    pub service: Option<String>,
    pub device: Option<String>,
    pub kind: String,
    pub status: String,
    pub amount_cents: i64,
    pub payer: String,
    pub funding_source: String,
    pub period_start: String,
    pub period_end: String,
    pub document_ref: String,
}

/// One fund as the authority sees it: its allocation (lump sum) and what it bound and spent.
#[derive(Debug, Clone, Default)]
pub struct FundRow {
    pub fund: String,
    pub allocated_cents: Option<i64>,
    pub usable_until: Option<String>,
    pub committed_cents: i64,
    pub spent_cents: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CostForm {
    pub service: String,
    pub device_id: String,
    pub kind: String,
    pub status: String,
    pub amount: String,
    pub funding_source: String,
    pub period_start: String,
    pub period_end: String,
    pub document_ref: String,
}

#[derive(Debug, Clone, Default)]
pub struct CostsPage {
    pub as_of: String,
    pub authority: String,
    pub items: Vec<CostRow>,
    pub funds: Vec<FundRow>,
    /// (year, state, municipality) in cents.
    pub forecast: Vec<(i32, i64, i64)>,
    /// (device id, label) for the form.
    pub devices: Vec<(String, String)>,
    pub form: CostForm,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct SinaRound {
    pub id: String,
    pub title: String,
    pub closes_on: String,
    pub open: bool,
    pub requested: Option<i32>,
    pub approved: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct SinaAnswerForm {
    pub requested: String,
    pub justification: String,
}

#[derive(Debug, Clone, Default)]
pub struct SinaAnswerPage {
    pub round: SinaRound,
    pub form: SinaAnswerForm,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct MinistrySinaList {
    pub rounds: Vec<(SinaRound, usize, i64, i64)>,
    pub can_open: bool,
    pub title: String,
    pub closes_on: String,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, Default)]
pub struct MinistrySinaAnswer {
    pub tenant_id: String,
    pub authority: String,
    pub requested: i32,
    pub approved: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct MinistrySinaRound {
    pub round: SinaRound,
    pub answers: Vec<MinistrySinaAnswer>,
    pub can_approve: bool,
    /// (tenant id, message key) of a refused approval.
    pub error: Option<(String, String)>,
}

/// One authority's hardware: counts only, no serials.
#[derive(Debug, Clone, Default)]
pub struct HardwareRow {
    pub authority: String,
    pub regierungsbezirk: String,
    /// (kind, delivered, total)
    pub kinds: Vec<(String, usize, usize)>,
    pub active: usize,
    pub defect: usize,
    pub critical: usize,
    pub warning: usize,
    pub expiring_soon: usize,
    pub expired: usize,
}

#[derive(Debug, Clone, Default)]
pub struct HardwarePage {
    pub as_of: String,
    pub kinds: Vec<String>,
    pub rows: Vec<HardwareRow>,
}

// ---------------------------------------------------------------------------------------------
// Shared bits

fn dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "–".into())
}

fn options(l: Lang, prefix: &str, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), tr(l, &format!("{prefix}{v}"))))
        .collect()
}

fn with_blank(l: Lang, mut list: Vec<(String, String)>) -> Vec<(String, String)> {
    list.insert(0, (String::new(), tr(l, "rollout-choose")));
    list
}

/// The sub-navigation of the authority's rollout pages.
pub(crate) fn workspace_tabs(l: Lang, current: &str) -> impl IntoView + use<> {
    let items: Vec<_> = [
        ("/workspace/rollout", "rollout-tab-onboarding"),
        ("/workspace/rollout/services", "rollout-tab-services"),
        ("/workspace/rollout/devices", "rollout-tab-devices"),
        ("/workspace/rollout/costs", "rollout-tab-costs"),
        ("/workspace/rollout/sina", "rollout-tab-sina"),
        ("/workspace/rollout/matches", "rollout-tab-matches"),
    ]
    .into_iter()
    .map(|(href, key)| {
        let here = (href == current).then_some("page");
        view! { <li><a href=href aria-current=here>{tr(l, key)}</a></li> }
    })
    .collect();
    view! { <nav class="sub-nav" aria-label=tr(l, "rollout-tabs")><ul class="inline-list">{items}</ul></nav> }
}

pub(crate) fn ministry_tabs(l: Lang, current: &str) -> impl IntoView + use<> {
    let items: Vec<_> = [
        ("/ministry", "rollout-tab-console"),
        ("/ministry/hardware", "rollout-tab-hardware"),
        ("/ministry/sina", "rollout-tab-sina"),
        ("/ministry/throughput", "case-admin-tab-ministry-throughput"),
        ("/ministry/processes", "case-admin-tab-models"),
    ]
    .into_iter()
    .map(|(href, key)| {
        let here = (href == current).then_some("page");
        view! { <li><a href=href aria-current=here>{tr(l, key)}</a></li> }
    })
    .collect();
    view! { <nav class="sub-nav" aria-label=tr(l, "rollout-tabs")><ul class="inline-list">{items}</ul></nav> }
}

/// A date cell, highlighted with a text (not only colour) when the date is near or past.
fn expiry_cell(l: Lang, day: &Option<String>, expiry: Expiry) -> AnyView {
    let note = expiry
        .key()
        .map(|key| view! { " " <strong class="expiry-note">{tr(l, key)}</strong> });
    view! { <td class=expiry.class()>{dash(day)}{note}</td> }.into_any()
}

// ---------------------------------------------------------------------------------------------
// Devices

pub const DEVICE_KINDS: &[&str] = &[
    "pik_chassis",
    "sina_workstation",
    "self_service_terminal",
    "pickup_box",
];

pub fn devices_page(ctx: &PageContext, p: &DevicesPage) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .devices
        .iter()
        .map(|d| {
            let action = format!("/workspace/rollout/devices/{}/state", d.id);
            let select_id = format!("state-{}", d.id);
            let label = tra(l, "rollout-device-next-label", &[("name", d.serial.clone())]);
            let change = (p.can_edit && !d.next_states.is_empty()).then(|| {
                let opts: Vec<_> = d
                    .next_states
                    .iter()
                    .map(|s| view! { <option value=s.clone()>{tr(l, &format!("rollout-device-state-{s}"))}</option> })
                    .collect();
                view! {
                    <form method="post" action=action class="inline-form">
                        {csrf_field(ctx)}
                        <label class="visually-hidden" for=select_id.clone()>{label}</label>
                        <select class="select" id=select_id name="state">{opts}</select>
                        " "
                        <button type="submit" class="button button-secondary">{tr(l, "rollout-device-move")}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <th scope="row">{d.serial.clone()}</th>
                    <td>{tr(l, &format!("rollout-device-{}", d.kind))}</td>
                    <td>{tr(l, &format!("rollout-device-state-{}", d.state))}</td>
                    <td>{tr(l, &format!("rollout-health-{}", d.health))}</td>
                    {expiry_cell(l, &d.certificate_expires_on, d.certificate_expiry)}
                    {expiry_cell(l, &d.smartcard_expires_on, d.smartcard_expiry)}
                    <td>{if d.software_version.is_empty() { "–".to_owned() } else { d.software_version.clone() }}</td>
                    <td>{dash(&d.last_heartbeat)}</td>
                    <td class="num">{eur(d.cost_cents)}</td>
                    <td>{tr(l, &format!("rollout-payer-{}", d.payer))}</td>
                    <td>{change}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "devices",
        tr(l, "rollout-devices-title"),
        vec![
            tr(l, "rollout-col-serial"),
            tr(l, "rollout-col-kind"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-health"),
            tr(l, "rollout-col-certificate"),
            tr(l, "rollout-col-smartcard"),
            tr(l, "rollout-col-version"),
            tr(l, "rollout-col-heartbeat"),
            tr(l, "rollout-col-cost"),
            tr(l, "rollout-col-payer"),
            tr(l, "rollout-col-action"),
        ],
        rows,
    );
    let f = &p.form;
    let add = p.can_edit.then(|| {
        view! {
            <section aria-labelledby="h-add-device">
                <h2 id="h-add-device">{tr(l, "rollout-device-add-title")}</h2>
                {error_summary(l, &p.errors, None)}
                <form method="post" action="/workspace/rollout/devices" novalidate>
                    {csrf_field(ctx)}
                    {select_field(l, &p.errors, "kind", "rollout-field-kind", with_blank(l, options(l, "rollout-device-", DEVICE_KINDS)), &f.kind, true, None)}
                    {input_field(l, &p.errors, Input::new("serial", "rollout-field-serial", "text").value(&f.serial).autocomplete("off").no_spellcheck().maxlength("64").required())}
                    {input_field(l, &p.errors, Input::new("certificate_expires_on", "rollout-field-certificate", "date").value(&f.certificate_expires_on))}
                    {input_field(l, &p.errors, Input::new("smartcard_expires_on", "rollout-field-smartcard", "date").value(&f.smartcard_expires_on))}
                    {input_field(l, &p.errors, Input::new("cost", "rollout-field-cost", "text").value(&f.cost).inputmode("decimal").hint(tr(l, "rollout-hint-euros")))}
                    {select_field(l, &p.errors, "payer", "rollout-field-payer", {
                        let mut o = options(l, "rollout-payer-", &["state", "municipality"]);
                        o.insert(0, (String::new(), tr(l, "rollout-payer-by-kind")));
                        o
                    }, &f.payer, false, None)}
                    <button type="submit" class="button">{tr(l, "rollout-device-add-submit")}</button>
                </form>
            </section>
        }
    });
    let title = tr(l, "rollout-devices-page-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-devices-lead")))}
        {workspace_tabs(l, "/workspace/rollout/devices")}
        <section aria-labelledby="h-devices">
            <h2 id="h-devices">{tr(l, "rollout-devices-title")}</h2>
            <p>{tr(l, "rollout-devices-expiry-note")}</p>
            {table}
        </section>
        {add}
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// EfA services

pub fn services_page(ctx: &PageContext, p: &ServicesPage) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .services
        .iter()
        .map(|s| {
            let deadline = match (&s.deadline, s.committed_on.is_some(), s.met_deadline) {
                (None, _, _) => "–".to_owned(),
                (Some(d), true, true) => tra(l, "rollout-deadline-met", &[("name", d.clone())]),
                (Some(d), true, false) => tra(l, "rollout-deadline-missed", &[("name", d.clone())]),
                (Some(d), false, _) => d.clone(),
            };
            let pays = match &s.state_pays_until {
                Some(until) => tra(l, "rollout-state-pays-until", &[("name", until.clone())]),
                None if s.payer.is_empty() => "–".to_owned(),
                None => tr(l, &format!("rollout-payer-{}", s.payer)),
            };
            view! {
                <tr>
                    <th scope="row">{tr(l, &format!("rollout-service-{}", s.service))}</th>
                    <td>{tr(l, &format!("rollout-status-{}", s.status))}</td>
                    <td>{dash(&s.committed_on)}</td>
                    <td>{dash(&s.connected_on)}</td>
                    <td>{deadline}</td>
                    <td>{pays}</td>
                    <td>{if s.funding_source.is_empty() { "–".to_owned() } else { tr(l, &format!("rollout-fund-{}", s.funding_source)) }}</td>
                    <td class="num">{s.connection_cents.map_or_else(|| "–".to_owned(), eur)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "services",
        tr(l, "rollout-services-title"),
        vec![
            tr(l, "rollout-col-service"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-committed-on"),
            tr(l, "rollout-col-connected-on"),
            tr(l, "rollout-col-deadline"),
            tr(l, "rollout-col-payer"),
            tr(l, "rollout-col-fund"),
            tr(l, "rollout-col-connection-cost"),
        ],
        rows,
    );
    let f = &p.form;
    let services = ["einbuergerung", "aufenthalt", "verpflichtungserklaerung"];
    let statuses = ["not_committed", "committed", "connected", "vendor_solution"];
    let title = tr(l, "rollout-services-page-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-services-lead")))}
        {workspace_tabs(l, "/workspace/rollout/services")}
        {table}
        <section aria-labelledby="h-commit">
            <h2 id="h-commit">{tr(l, "rollout-commit-title")}</h2>
            <p>{tr(l, "rollout-commit-lead")}</p>
            {error_summary(l, &p.errors, None)}
            <form method="post" action="/workspace/rollout/services" novalidate>
                {csrf_field(ctx)}
                {select_field(l, &p.errors, "service", "rollout-field-service", with_blank(l, options(l, "rollout-service-", &services)), &f.service, true, None)}
                {select_field(l, &p.errors, "status", "rollout-field-status", options(l, "rollout-status-", &statuses), &f.status, true, None)}
                {input_field(l, &p.errors, Input::new("committed_on", "rollout-field-committed-on", "date").value(&f.committed_on).hint(tr(l, "rollout-hint-committed-on")))}
                {input_field(l, &p.errors, Input::new("connected_on", "rollout-field-connected-on", "date").value(&f.connected_on))}
                <button type="submit" class="button">{tr(l, "rollout-commit-submit")}</button>
            </form>
        </section>
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// Costs, budgets, use of funds

pub fn costs_page(ctx: &PageContext, p: &CostsPage) -> String {
    let l = ctx.lang;
    let subject = |c: &CostRow| match (&c.service, &c.device) {
        (Some(service), _) => tr(l, &format!("rollout-service-{service}")),
        (None, Some(device)) => device.clone(),
        (None, None) => "–".to_owned(),
    };
    let ledger_rows: Vec<AnyView> = p
        .items
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.document_ref.clone()}</th>
                    <td>{subject(c)}</td>
                    <td>{tr(l, &format!("rollout-cost-kind-{}", c.kind))}</td>
                    <td>{tr(l, &format!("rollout-cost-status-{}", c.status))}</td>
                    <td>{format!("{} – {}", c.period_start, c.period_end)}</td>
                    <td>{tr(l, &format!("rollout-payer-{}", c.payer))}</td>
                    <td>{tr(l, &format!("rollout-fund-{}", c.funding_source))}</td>
                    <td class="num">{eur(c.amount_cents)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let ledger = table_region(
        "ledger",
        tr(l, "rollout-ledger-title"),
        vec![
            tr(l, "rollout-col-document"),
            tr(l, "rollout-col-subject"),
            tr(l, "rollout-col-cost-kind"),
            tr(l, "rollout-col-cost-status"),
            tr(l, "rollout-col-period"),
            tr(l, "rollout-col-payer"),
            tr(l, "rollout-col-fund"),
            tr(l, "rollout-col-amount"),
        ],
        ledger_rows,
    );
    let fund_rows: Vec<AnyView> = p
        .funds
        .iter()
        .map(|f| {
            let left = f.allocated_cents.map_or_else(
                || "–".to_owned(),
                |a| eur(a - f.committed_cents - f.spent_cents),
            );
            view! {
                <tr>
                    <th scope="row">{tr(l, &format!("rollout-fund-{}", f.fund))}</th>
                    <td class="num">{f.allocated_cents.map_or_else(|| "–".to_owned(), eur)}</td>
                    <td class="num">{eur(f.committed_cents)}</td>
                    <td class="num">{eur(f.spent_cents)}</td>
                    <td class="num">{left}</td>
                    <td>{dash(&f.usable_until)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let funds = table_region(
        "budgets",
        tr(l, "rollout-budgets-title"),
        vec![
            tr(l, "rollout-col-fund"),
            tr(l, "rollout-col-allocated"),
            tr(l, "rollout-col-committed-money"),
            tr(l, "rollout-col-spent"),
            tr(l, "rollout-col-left"),
            tr(l, "rollout-col-usable-until"),
        ],
        fund_rows,
    );
    // The use-of-funds statement covers the federal lump sum: every item booked on it.
    let lump: Vec<&CostRow> = p
        .items
        .iter()
        .filter(|c| c.funding_source == "federal_lump_sum")
        .collect();
    let lump_fund = p.funds.iter().find(|f| f.fund == "federal_lump_sum");
    let spent: i64 = lump
        .iter()
        .filter(|c| c.status == "spent")
        .map(|c| c.amount_cents)
        .sum();
    let committed: i64 = lump
        .iter()
        .filter(|c| c.status == "committed")
        .map(|c| c.amount_cents)
        .sum();
    let mut use_rows: Vec<AnyView> = lump
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.period_start.clone()}</th>
                    <td>{format!("{}: {}", tr(l, &format!("rollout-cost-kind-{}", c.kind)), subject(c))}</td>
                    <td>{c.document_ref.clone()}</td>
                    <td>{tr(l, &format!("rollout-cost-status-{}", c.status))}</td>
                    <td class="num">{eur(c.amount_cents)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let allocated = lump_fund.and_then(|f| f.allocated_cents).unwrap_or(0);
    for (key, cents) in [
        ("rollout-use-allocated", allocated),
        ("rollout-use-spent", spent),
        ("rollout-use-committed", committed),
        ("rollout-use-left", allocated - spent - committed),
    ] {
        use_rows.push(
            view! {
                <tr class="total-row">
                    <th scope="row" colspan="4">{tr(l, key)}</th>
                    <td class="num">{eur(cents)}</td>
                </tr>
            }
            .into_any(),
        );
    }
    let use_table = table_region(
        "use-of-funds",
        tra(
            l,
            "rollout-use-caption",
            &[
                ("authority", p.authority.clone()),
                ("name", p.as_of.clone()),
            ],
        ),
        vec![
            tr(l, "rollout-col-date"),
            tr(l, "rollout-col-purpose"),
            tr(l, "rollout-col-document"),
            tr(l, "rollout-col-cost-status"),
            tr(l, "rollout-col-amount"),
        ],
        use_rows,
    );
    let forecast_rows: Vec<AnyView> = p
        .forecast
        .iter()
        .map(|(year, state, municipality)| {
            view! {
                <tr>
                    <th scope="row">{year.to_string()}</th>
                    <td class="num">{eur(*state)}</td>
                    <td class="num">{eur(*municipality)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let forecast = table_region(
        "forecast",
        tr(l, "rollout-own-forecast-title"),
        vec![
            tr(l, "rollout-col-year"),
            tr(l, "rollout-payer-state"),
            tr(l, "rollout-payer-municipality"),
        ],
        forecast_rows,
    );
    let f = &p.form;
    let services = ["einbuergerung", "aufenthalt", "verpflichtungserklaerung"];
    let mut device_options = vec![(String::new(), tr(l, "rollout-none"))];
    device_options.extend(p.devices.iter().cloned());
    let title = tr(l, "rollout-costs-page-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-costs-lead")))}
        {workspace_tabs(l, "/workspace/rollout/costs")}
        <section aria-labelledby="h-budgets">
            <h2 id="h-budgets">{tr(l, "rollout-budgets-title")}</h2>
            {funds}
        </section>
        <section aria-labelledby="h-use">
            <h2 id="h-use">{tr(l, "rollout-use-title")}</h2>
            <p>{tr(l, "rollout-use-lead")}</p>
            {use_table}
        </section>
        <section aria-labelledby="h-forecast">
            <h2 id="h-forecast">{tr(l, "rollout-own-forecast-title")}</h2>
            {forecast}
        </section>
        <section aria-labelledby="h-ledger">
            <h2 id="h-ledger">{tr(l, "rollout-ledger-title")}</h2>
            {ledger}
        </section>
        <section aria-labelledby="h-book">
            <h2 id="h-book">{tr(l, "rollout-book-title")}</h2>
            {error_summary(l, &p.errors, None)}
            <form method="post" action="/workspace/rollout/costs" novalidate>
                {csrf_field(ctx)}
                {select_field(l, &p.errors, "service", "rollout-field-service", {
                    let mut o = options(l, "rollout-service-", &services);
                    o.insert(0, (String::new(), tr(l, "rollout-none")));
                    o
                }, &f.service, false, None)}
                {select_field(l, &p.errors, "device_id", "rollout-field-device", device_options, &f.device_id, false, None)}
                {select_field(l, &p.errors, "kind", "rollout-field-cost-kind", with_blank(l, options(l, "rollout-cost-kind-", &["connection", "operation", "procurement"])), &f.kind, true, None)}
                {select_field(l, &p.errors, "status", "rollout-field-cost-status", options(l, "rollout-cost-status-", &["committed", "spent"]), &f.status, true, None)}
                {input_field(l, &p.errors, Input::new("amount", "rollout-field-amount", "text").value(&f.amount).inputmode("decimal").hint(tr(l, "rollout-hint-euros")).required())}
                {select_field(l, &p.errors, "funding_source", "rollout-field-fund", with_blank(l, options(l, "rollout-fund-", &["federal_lump_sum", "state_budget", "municipal_budget"])), &f.funding_source, true, Some(tr(l, "rollout-hint-fund")))}
                {input_field(l, &p.errors, Input::new("period_start", "rollout-field-period-start", "date").value(&f.period_start).required())}
                {input_field(l, &p.errors, Input::new("period_end", "rollout-field-period-end", "date").value(&f.period_end).required())}
                {input_field(l, &p.errors, Input::new("document_ref", "rollout-field-document", "text").value(&f.document_ref).maxlength("200").required())}
                <button type="submit" class="button">{tr(l, "rollout-book-submit")}</button>
            </form>
        </section>
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// SINA needs survey

fn answer_text(l: Lang, value: Option<i32>) -> String {
    value.map_or_else(|| tr(l, "rollout-sina-no-answer"), |v| v.to_string())
}

/// The authority's list of survey rounds.
pub fn sina_list_page(ctx: &PageContext, rounds: &[SinaRound]) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = rounds
        .iter()
        .map(|r| {
            let href = format!("/workspace/rollout/sina/{}", r.id);
            let link = r.open.then(|| {
                view! { <a href=href>{tra(l, "rollout-sina-answer-link", &[("name", r.title.clone())])}</a> }
            });
            view! {
                <tr>
                    <th scope="row">{r.title.clone()}</th>
                    <td>{r.closes_on.clone()}</td>
                    <td>{tr(l, if r.open { "rollout-sina-open" } else { "rollout-sina-closed" })}</td>
                    <td class="num">{answer_text(l, r.requested)}</td>
                    <td class="num">{r.approved.map_or_else(|| "–".to_owned(), |a| a.to_string())}</td>
                    <td>{link}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "sina",
        tr(l, "rollout-sina-rounds"),
        vec![
            tr(l, "rollout-col-round"),
            tr(l, "rollout-col-closes-on"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-requested"),
            tr(l, "rollout-col-approved"),
            tr(l, "rollout-col-action"),
        ],
        rows,
    );
    let title = tr(l, "rollout-sina-page-title");
    let empty = rounds
        .is_empty()
        .then(|| view! { <p>{tr(l, "rollout-sina-none")}</p> });
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-sina-lead")))}
        {workspace_tabs(l, "/workspace/rollout/sina")}
        {empty}
        {table}
    };
    document(ctx, &title, body)
}

/// The authority's answer to one round.
pub fn sina_answer_page(ctx: &PageContext, p: &SinaAnswerPage) -> String {
    let l = ctx.lang;
    let action = format!("/workspace/rollout/sina/{}", p.round.id);
    let title = p.round.title.clone();
    let body = view! {
        {heading(title.clone(), Some(tra(l, "rollout-sina-closes", &[("name", p.round.closes_on.clone())])))}
        {workspace_tabs(l, "/workspace/rollout/sina")}
        <p>{tra(l, "rollout-sina-current", &[("count", answer_text(l, p.round.requested)), ("total", p.round.approved.map_or_else(|| "–".to_owned(), |a| a.to_string()))])}</p>
        {error_summary(l, &p.errors, None)}
        <form method="post" action=action novalidate>
            {csrf_field(ctx)}
            {input_field(l, &p.errors, Input::new("requested", "rollout-field-requested", "number").value(&p.form.requested).inputmode("numeric").hint(tr(l, "rollout-hint-requested")).required())}
            {textarea_field(l, &p.errors, Input::new("justification", "rollout-field-justification", "text").value(&p.form.justification).maxlength("1000"), "4")}
            <button type="submit" class="button">{tr(l, "rollout-sina-submit")}</button>
        </form>
    };
    document(ctx, &title, body)
}

/// The ministry's survey rounds, and the form to open one.
pub fn ministry_sina_list(ctx: &PageContext, p: &MinistrySinaList) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .rounds
        .iter()
        .map(|(r, answers, requested, approved)| {
            let href = format!("/ministry/sina/{}", r.id);
            view! {
                <tr>
                    <th scope="row"><a href=href>{r.title.clone()}</a></th>
                    <td>{r.closes_on.clone()}</td>
                    <td>{tr(l, if r.open { "rollout-sina-open" } else { "rollout-sina-closed" })}</td>
                    <td class="num">{answers.to_string()}</td>
                    <td class="num">{requested.to_string()}</td>
                    <td class="num">{approved.to_string()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "sina-rounds",
        tr(l, "rollout-sina-rounds"),
        vec![
            tr(l, "rollout-col-round"),
            tr(l, "rollout-col-closes-on"),
            tr(l, "rollout-col-state"),
            tr(l, "rollout-col-answers"),
            tr(l, "rollout-col-requested"),
            tr(l, "rollout-col-approved"),
        ],
        rows,
    );
    let open = p.can_open.then(|| {
        view! {
            <section aria-labelledby="h-open">
                <h2 id="h-open">{tr(l, "rollout-sina-open-title")}</h2>
                {error_summary(l, &p.errors, None)}
                <form method="post" action="/ministry/sina" novalidate>
                    {csrf_field(ctx)}
                    {input_field(l, &p.errors, Input::new("title", "rollout-field-round-title", "text").value(&p.title).maxlength("200").required())}
                    {input_field(l, &p.errors, Input::new("closes_on", "rollout-field-closes-on", "date").value(&p.closes_on).required())}
                    <button type="submit" class="button">{tr(l, "rollout-sina-open-submit")}</button>
                </form>
            </section>
        }
    });
    let title = tr(l, "rollout-sina-ministry-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-sina-ministry-lead")))}
        {ministry_tabs(l, "/ministry/sina")}
        {table}
        {open}
    };
    document(ctx, &title, body)
}

/// One round's answers per authority, each with its allotment form.
pub fn ministry_sina_round(ctx: &PageContext, p: &MinistrySinaRound) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = p
        .answers
        .iter()
        .map(|a| {
            let action = format!("/ministry/sina/{}/approvals", p.round.id);
            let input_id = format!("approved-{}", a.tenant_id);
            let error_id = format!("approved-{}-error", a.tenant_id);
            let error = p
                .error
                .as_ref()
                .filter(|(tenant, _)| *tenant == a.tenant_id)
                .map(|(_, key)| key.clone());
            let invalid = error.is_some();
            let error_view = error.map(|key| {
                view! { <p class="field-error" id=error_id.clone()>{message(l, &key)}</p> }
            });
            let label = tra(l, "rollout-sina-approve-label", &[("name", a.authority.clone())]);
            let value = a.approved.unwrap_or(a.requested).to_string();
            let form = p.can_approve.then(|| {
                view! {
                    <form method="post" action=action class="inline-form">
                        {csrf_field(ctx)}
                        <input type="hidden" name="tenant_id" value=a.tenant_id.clone() />
                        <label class="visually-hidden" for=input_id.clone()>{label}</label>
                        {error_view}
                        <input class="input input-narrow" type="number" min="0" max="50" id=input_id.clone() name="approved"
                            value=value inputmode="numeric" aria-invalid=invalid.then_some("true")
                            aria-describedby=invalid.then(|| error_id.clone()) />
                        " "
                        <button type="submit" class="button button-secondary">{tr(l, "rollout-sina-approve")}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <th scope="row">{a.authority.clone()}</th>
                    <td class="num">{a.requested.to_string()}</td>
                    <td class="num">{a.approved.map_or_else(|| "–".to_owned(), |v| v.to_string())}</td>
                    <td>{form}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "sina-answers",
        tra(
            l,
            "rollout-sina-answers-caption",
            &[("name", p.round.title.clone())],
        ),
        vec![
            tr(l, "rollout-col-authority"),
            tr(l, "rollout-col-requested"),
            tr(l, "rollout-col-approved"),
            tr(l, "rollout-col-action"),
        ],
        rows,
    );
    let empty = p
        .answers
        .is_empty()
        .then(|| view! { <p>{tr(l, "rollout-sina-no-answers")}</p> });
    let title = p.round.title.clone();
    let body = view! {
        {heading(title.clone(), Some(tra(l, "rollout-sina-closes", &[("name", p.round.closes_on.clone())])))}
        {ministry_tabs(l, "/ministry/sina")}
        {empty}
        {table}
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// Registrations waiting for a clerk: confirm a proposed person or a new one

#[derive(Debug, Clone, Default)]
pub struct MatchCandidate {
    pub person_id: String,
    pub file_number: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub nationality: String,
    pub score: u8,
    pub sure: bool,
}

#[derive(Debug, Clone, Default)]
pub struct MatchReviewRow {
    pub registration_id: String,
    pub received_at: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub nationality: String,
    pub candidates: Vec<MatchCandidate>,
}

/// A decision that can still be taken back.
#[derive(Debug, Clone, Default)]
pub struct DecidedMatchRow {
    pub registration_id: String,
    pub decided_at: String,
    pub person: String,
    pub file_number: String,
    pub person_created: bool,
}

/// The decisions that can still be undone, each with its own form.
fn decided_matches(ctx: &PageContext, decided: &[DecidedMatchRow]) -> Option<AnyView> {
    let l = ctx.lang;
    if decided.is_empty() {
        return None;
    }
    let rows: Vec<_> = decided
        .iter()
        .map(|d| {
            let action = format!("/workspace/rollout/matches/{}/undo", d.registration_id);
            let created = d
                .person_created
                .then(|| view! { " " {tr(l, "rollout-match-created")} });
            view! {
                <tr>
                    <td>{d.decided_at.clone()}</td>
                    <th scope="row">{d.person.clone()}{created}</th>
                    <td>{d.file_number.clone()}</td>
                    <td>
                        <form method="post" action=action>
                            {csrf_field(ctx)}
                            <button type="submit" class="button button-secondary">{tr(l, "rollout-match-undo")}</button>
                        </form>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "decided",
        tr(l, "rollout-match-decided-title"),
        vec![
            tr(l, "rollout-col-decided-at"),
            tr(l, "rollout-col-person"),
            tr(l, "rollout-col-file-number"),
            tr(l, "rollout-col-action"),
        ],
        rows,
    );
    Some(
        view! {
            <section aria-labelledby="h-decided">
                <h2 id="h-decided">{tr(l, "rollout-match-decided-title")}</h2>
                <p>{tr(l, "rollout-match-decided-lead")}</p>
                {table}
            </section>
        }
        .into_any(),
    )
}

pub fn matches_page(
    ctx: &PageContext,
    reviews: &[MatchReviewRow],
    decided: &[DecidedMatchRow],
) -> String {
    let l = ctx.lang;
    let sections: Vec<AnyView> = reviews
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let heading_id = format!("h-review-{n}");
            let labelledby = heading_id.clone();
            let action = format!("/workspace/rollout/matches/{}", r.registration_id);
            let registered = tra(
                l,
                "rollout-match-registered",
                &[
                    ("name", format!("{}, {}", r.family_name, r.given_names)),
                    ("authority", r.nationality.clone()),
                    ("shown", r.birth_date.clone()),
                ],
            );
            let options: Vec<_> = r
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let id = format!("choice-{n}-{i}");
                    let first = i == 0;
                    let text = tra(
                        l,
                        "rollout-match-candidate",
                        &[
                            ("name", format!("{}, {}", c.family_name, c.given_names)),
                            ("authority", c.nationality.clone()),
                            ("shown", c.birth_date.clone()),
                            ("page", c.file_number.clone()),
                            ("count", c.score.to_string()),
                        ],
                    );
                    let sure = c.sure.then(|| view! { " " <strong>{tr(l, "rollout-match-sure")}</strong> });
                    view! {
                        <div class="radio">
                            <input type="radio" id=id.clone() name="person_id" value=c.person_id.clone() checked=first />
                            <label for=id>{text}{sure}</label>
                        </div>
                    }
                })
                .collect();
            let new_id = format!("choice-{n}-new");
            view! {
                <section aria-labelledby=labelledby class="card">
                    <h2 id=heading_id>{registered}</h2>
                    <p>{tra(l, "rollout-match-received", &[("name", r.received_at.clone())])}</p>
                    <form method="post" action=action>
                        {csrf_field(ctx)}
                        <fieldset>
                            <legend>{tr(l, "rollout-match-legend")}</legend>
                            {options}
                            <div class="radio">
                                <input type="radio" id=new_id.clone() name="person_id" value="new" />
                                <label for=new_id>{tr(l, "rollout-match-new")}</label>
                            </div>
                        </fieldset>
                        <button type="submit" class="button">{tr(l, "rollout-match-submit")}</button>
                    </form>
                </section>
            }
            .into_any()
        })
        .collect();
    let empty = reviews
        .is_empty()
        .then(|| view! { <p>{tr(l, "rollout-match-none")}</p> });
    let title = tr(l, "rollout-match-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-match-lead")))}
        {workspace_tabs(l, "/workspace/rollout/matches")}
        {empty}
        {sections}
        {decided_matches(ctx, decided)}
    };
    document(ctx, &title, body)
}

// ---------------------------------------------------------------------------------------------
// Ministry: hardware overview

pub fn ministry_hardware(ctx: &PageContext, p: &HardwarePage) -> String {
    let l = ctx.lang;
    let mut head = vec![tr(l, "rollout-col-authority"), tr(l, "rollout-col-region")];
    head.extend(p.kinds.iter().map(|k| {
        tra(
            l,
            "rollout-col-delivered-of",
            &[("name", tr(l, &format!("rollout-device-{k}")))],
        )
    }));
    head.extend([
        tr(l, "rollout-col-active"),
        tr(l, "rollout-col-defect"),
        tr(l, "rollout-health-critical"),
        tr(l, "rollout-health-warning"),
        tr(l, "rollout-col-expiring"),
        tr(l, "rollout-col-expired"),
    ]);
    let rows: Vec<AnyView> = p
        .rows
        .iter()
        .map(|r| {
            let kinds: Vec<_> = r
                .kinds
                .iter()
                .map(|(_, delivered, total)| view! { <td class="num">{format!("{delivered} / {total}")}</td> })
                .collect();
            let flag = |n: usize, class: &'static str| {
                let class = if n > 0 { format!("num {class}") } else { "num".to_owned() };
                view! { <td class=class>{n.to_string()}</td> }
            };
            view! {
                <tr>
                    <th scope="row">{r.authority.clone()}</th>
                    <td>{r.regierungsbezirk.clone()}</td>
                    {kinds}
                    <td class="num">{r.active.to_string()}</td>
                    {flag(r.defect, "cell-critical")}
                    {flag(r.critical, "cell-critical")}
                    {flag(r.warning, "cell-warning")}
                    {flag(r.expiring_soon, "cell-warning")}
                    {flag(r.expired, "cell-critical")}
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = table_region(
        "hardware-tenants",
        tra(l, "rollout-hardware-caption", &[("name", p.as_of.clone())]),
        head,
        rows,
    );
    let title = tr(l, "rollout-hardware-page-title");
    let body = view! {
        {heading(title.clone(), Some(tr(l, "rollout-hardware-lead")))}
        {ministry_tabs(l, "/ministry/hardware")}
        {table}
    };
    document(ctx, &title, body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::{USED_KEYS, has_key};
    use crate::model::Area;

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, _)| id.trim().to_owned())
            .collect()
    }

    const FILES: [(Lang, &str); 5] = [
        (Lang::De, include_str!("../locales/de/rollout_admin.ftl")),
        (Lang::En, include_str!("../locales/en/rollout_admin.ftl")),
        (Lang::Ar, include_str!("../locales/ar/rollout_admin.ftl")),
        (Lang::Uk, include_str!("../locales/uk/rollout_admin.ftl")),
        (Lang::Tr, include_str!("../locales/tr/rollout_admin.ftl")),
    ];

    fn values(source: &str) -> std::collections::BTreeMap<String, String> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, v)| (id.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_language_has_the_same_keys_and_loads() {
        let reference = keys(FILES[0].1);
        for (lang, source) in FILES {
            assert_eq!(keys(source), reference, "{}", lang.code());
            for key in &reference {
                assert!(has_key(lang, key), "{}: {key} does not load", lang.code());
            }
        }
    }

    #[test]
    fn arabic_ukrainian_and_turkish_texts_are_translations_not_english() {
        let en = values(FILES[1].1);
        for (lang, source) in &FILES[2..] {
            let same: Vec<String> = values(source)
                .into_iter()
                .filter(|(k, v)| en.get(k) == Some(v))
                .map(|(k, _)| k)
                .collect();
            assert!(same.is_empty(), "{}: still English: {same:?}", lang.code());
        }
    }

    #[test]
    fn the_pages_render_in_both_staff_languages_with_every_key() {
        for lang in [Lang::De, Lang::En] {
            let ctx = PageContext {
                lang,
                area: Area::Workspace,
                ..PageContext::default()
            };
            let devices = devices_page(
                &ctx,
                &DevicesPage {
                    devices: vec![DeviceRow {
                        id: "d1".into(),
                        kind: "pik_chassis".into(),
                        serial: "K-1".into(),
                        state: "active".into(),
                        health: "warning".into(),
                        certificate_expires_on: Some("2025-03-10".into()),
                        certificate_expiry: Expiry::Soon,
                        smartcard_expires_on: Some("2025-01-10".into()),
                        smartcard_expiry: Expiry::Expired,
                        payer: "state".into(),
                        next_states: vec!["defect".into(), "returned".into()],
                        ..DeviceRow::default()
                    }],
                    can_edit: true,
                    ..DevicesPage::default()
                },
            );
            assert!(devices.contains("cell-critical") && devices.contains("cell-warning"));
            assert!(devices.contains("/workspace/rollout/devices/d1/state"));
            let costs = costs_page(
                &ctx,
                &CostsPage {
                    items: vec![CostRow {
                        service: Some("einbuergerung".into()),
                        kind: "procurement".into(),
                        status: "spent".into(),
                        amount_cents: 40_000,
                        payer: "municipality".into(),
                        funding_source: "federal_lump_sum".into(),
                        document_ref: "RE-1".into(),
                        ..CostRow::default()
                    }],
                    funds: vec![FundRow {
                        fund: "federal_lump_sum".into(),
                        allocated_cents: Some(100_000),
                        spent_cents: 40_000,
                        ..FundRow::default()
                    }],
                    ..CostsPage::default()
                },
            );
            assert!(costs.contains("600,00 €"), "left of the allocation");
            services_page(&ctx, &ServicesPage::default());
            sina_list_page(&ctx, &[SinaRound::default()]);
            sina_answer_page(&ctx, &SinaAnswerPage::default());
            ministry_sina_list(
                &ctx,
                &MinistrySinaList {
                    can_open: true,
                    ..MinistrySinaList::default()
                },
            );
            ministry_sina_round(
                &ctx,
                &MinistrySinaRound {
                    answers: vec![MinistrySinaAnswer::default()],
                    can_approve: true,
                    ..MinistrySinaRound::default()
                },
            );
            matches_page(
                &ctx,
                &[MatchReviewRow {
                    candidates: vec![MatchCandidate {
                        sure: true,
                        ..MatchCandidate::default()
                    }],
                    ..MatchReviewRow::default()
                }],
                &[DecidedMatchRow {
                    person_created: true,
                    ..DecidedMatchRow::default()
                }],
            );
            ministry_hardware(
                &ctx,
                &HardwarePage {
                    kinds: vec!["pik_chassis".into()],
                    rows: vec![HardwareRow::default()],
                    ..HardwarePage::default()
                },
            );
        }
        let used = USED_KEYS.lock().unwrap().clone();
        for key in used.iter().filter(|k| k.starts_with("rollout-")) {
            for lang in [Lang::De, Lang::En] {
                assert!(has_key(lang, key), "{}: {key} missing", lang.code());
            }
        }
    }

    #[test]
    fn a_justification_cannot_leave_its_textarea() {
        let page = sina_answer_page(
            &PageContext::default(),
            &SinaAnswerPage {
                form: SinaAnswerForm {
                    requested: "2".into(),
                    justification: "</textarea><script>x</script>".into(),
                },
                ..SinaAnswerPage::default()
            },
        );
        assert!(!page.contains("<script>x</script>"));
        assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"));
    }
}
