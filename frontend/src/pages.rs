//! One function per page; each returns a complete HTML document.
//!
//! The HTTP layer fills a view model from [`crate::model`] and sends the returned string with
//! `Content-Type: text/html; charset=utf-8`. No page ships JavaScript: every action is a plain
//! link or a form with `method="post"` (Post-Redirect-Get is the HTTP layer's job).

use leptos::prelude::*;

use crate::components::{
    Input, TableStyle, area_home, csrf_field, document, error_summary, heading, input_field,
    select_field, table_region, table_region_styled, tr, tra, yes_no,
};
use amtsweg_domain::tenant::Regierungsbezirk;

use crate::i18n::Lang;
use crate::model::{
    AcceptInvitation, ApiOperation, AuditPage, MfaSetup, MinistryOverview, PageContext,
    PortalAccount, RegisterForm, SignInForm, TenantDetail, TenantList, TotpForm, UsersPage,
    WorkspaceHome,
};

use crate::PASSWORD_MIN;

fn role_name(l: Lang, role: &str) -> String {
    tr(l, &format!("role-{role}"))
}

fn kind_name(l: Lang, kind: &str) -> String {
    tr(l, &format!("kind-{kind}"))
}

fn lifecycle_name(l: Lang, lifecycle: &str) -> String {
    tr(l, &format!("lifecycle-{lifecycle}"))
}

fn status_name(l: Lang, status: &str) -> String {
    tr(l, &format!("status-{status}"))
}

fn vendor_name(l: Lang, vendor: &str) -> String {
    tr(l, &format!("vendor-{vendor}"))
}

fn password_hint(l: Lang) -> String {
    tra(l, "password-hint", &[("min", PASSWORD_MIN.to_string())])
}

fn dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "–".to_owned())
}

/// The name of a Regierungsbezirk given as its catalog value (`duesseldorf` → `Düsseldorf`);
/// anything else is shown as it is. The names are proper nouns, the same in every language.
fn rb_name(value: &str) -> String {
    value
        .parse::<Regierungsbezirk>()
        .map(|rb| rb.name_de().to_owned())
        .unwrap_or_else(|_| value.to_owned())
}

fn rb_dash(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "–".to_owned(), rb_name)
}

/// The landing page: the way in for applicants and for staff.
pub fn home(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "home-title"), Some(tr(l, "home-lead")))}
        <div class="cards">
            <section class="card" aria-labelledby="home-portal">
                <h2 id="home-portal">{tr(l, "home-portal-title")}</h2>
                <p>{tr(l, "home-portal-text")}</p>
                <p><a class="button" href="/portal">{tr(l, "home-portal-link")}</a></p>
            </section>
            <section class="card" aria-labelledby="home-staff">
                <h2 id="home-staff">{tr(l, "home-staff-title")}</h2>
                <p>{tr(l, "home-staff-text")}</p>
                <p><a class="button button-secondary" href="/sign-in">{tr(l, "home-staff-link")}</a></p>
            </section>
        </div>
        <section>
            <h2 id="home-about">{tr(l, "home-about-title")}</h2>
            <p>{tr(l, "home-about-text")}</p>
        </section>
    };
    document(ctx, &tr(l, "home-title"), body)
}

fn sign_in_body(
    ctx: &PageContext,
    form: &SignInForm,
    action: &'static str,
    title_key: &'static str,
    lead_key: &'static str,
) -> impl IntoView + use<> {
    let l = ctx.lang;
    view! {
        {heading(tr(l, title_key), Some(tr(l, lead_key)))}
        {error_summary(l, &form.errors, form.general.as_deref())}
        <form method="post" action=action novalidate class="form">
            {csrf_field(ctx)}
            {input_field(l, &form.errors, Input::new("email", "field-email", "email")
                .value(&form.email).autocomplete("username").required().no_spellcheck())}
            {input_field(l, &form.errors, Input::new("password", "field-password", "password")
                .autocomplete("current-password").required())}
            <button type="submit" class="button">{tr(l, "sign-in-submit")}</button>
        </form>
    }
}

/// Staff sign-in (POST /sign-in).
pub fn sign_in(ctx: &PageContext, form: &SignInForm) -> String {
    let l = ctx.lang;
    let body = sign_in_body(ctx, form, "/sign-in", "sign-in-title", "sign-in-lead");
    document(ctx, &tr(l, "sign-in-title"), body)
}

/// Second step of the staff sign-in: a TOTP or a recovery code (POST /sign-in/totp).
pub fn totp_challenge(ctx: &PageContext, form: &TotpForm) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "totp-title"), Some(tr(l, "totp-lead")))}
        {error_summary(l, &form.errors, None)}
        <form method="post" action="/sign-in/totp" novalidate class="form">
            {csrf_field(ctx)}
            {input_field(l, &form.errors, Input::new("code", "field-totp-code", "text")
                .autocomplete("one-time-code").inputmode("numeric").maxlength("32")
                .required().no_spellcheck().hint(tr(l, "totp-hint")))}
            <button type="submit" class="button">{tr(l, "totp-submit")}</button>
        </form>
    };
    document(ctx, &tr(l, "totp-title"), body)
}

/// Enrolment of an authenticator app (POST /mfa/setup).
pub fn mfa_setup(ctx: &PageContext, setup: &MfaSetup) -> String {
    let l = ctx.lang;
    let qr = setup.qr_svg.clone();
    let body = view! {
        {heading(tr(l, "mfa-title"), Some(tr(l, "mfa-lead")))}
        {error_summary(l, &setup.errors, None)}
        <ol class="steps">
            <li>
                <h2>{tr(l, "mfa-step-app-title")}</h2>
                <p>{tr(l, "mfa-step-app")}</p>
            </li>
            <li>
                <h2>{tr(l, "mfa-step-scan-title")}</h2>
                <p>{tr(l, "mfa-step-scan")}</p>
                <figure class="qr">
                    <div class="qr-code" role="img" aria-label=tr(l, "mfa-qr-label") inner_html=qr></div>
                    <figcaption>{tr(l, "mfa-qr-label")}</figcaption>
                </figure>
                <p>{tr(l, "mfa-manual")}</p>
                <p class="secret">
                    <span class="secret-label">{tr(l, "mfa-secret-label")} ": "</span>
                    <code class="secret-value" dir="ltr" translate="no">{setup.secret_base32.clone()}</code>
                </p>
            </li>
            <li>
                <h2>{tr(l, "mfa-step-confirm-title")}</h2>
                <form method="post" action="/mfa/setup" novalidate class="form">
                    {csrf_field(ctx)}
                    {input_field(l, &setup.errors, Input::new("code", "field-totp-code", "text")
                        .autocomplete("one-time-code").inputmode("numeric").maxlength("6")
                        .required().no_spellcheck().hint(tr(l, "mfa-step-confirm")))}
                    <button type="submit" class="button">{tr(l, "mfa-submit")}</button>
                </form>
            </li>
        </ol>
    };
    document(ctx, &tr(l, "mfa-title"), body)
}

/// The recovery codes, shown once after enrolment.
pub fn recovery_codes(ctx: &PageContext, codes: &[String]) -> String {
    let l = ctx.lang;
    let codes: Vec<_> = codes
        .iter()
        .map(|c| view! { <li><code translate="no">{c.clone()}</code></li> })
        .collect();
    let body = view! {
        {heading(tr(l, "recovery-title"), Some(tr(l, "recovery-lead")))}
        <div class="notice notice-warning"><p>{tr(l, "recovery-warning")}</p></div>
        <ul class="code-list" dir="ltr" aria-label=tr(l, "recovery-list-label")>{codes}</ul>
        <p><a class="button" href="/workspace">{tr(l, "recovery-continue")}</a></p>
    };
    document(ctx, &tr(l, "recovery-title"), body)
}

/// The start page of an authority's workspace.
pub fn workspace_home(ctx: &PageContext, home: &WorkspaceHome) -> String {
    let l = ctx.lang;
    let links = ctx.user.as_ref().map(|u| {
        let users = u.can_manage_users.then(|| {
            view! { <li><a href="/workspace/users">{tr(l, "workspace-link-users")}</a></li> }
        });
        let audit = u.can_view_audit.then(|| {
            view! { <li><a href="/workspace/audit">{tr(l, "workspace-link-audit")}</a></li> }
        });
        view! {
            <section>
                <h2 id="ws-tasks">{tr(l, "workspace-tasks")}</h2>
                <ul class="link-list">{users}{audit}</ul>
            </section>
        }
    });
    let body = view! {
        {heading(home.tenant_name.clone(), Some(tr(l, "workspace-lead")))}
        <section>
            <h2 id="ws-tenant">{tr(l, "workspace-tenant-heading")}</h2>
            <dl class="summary-list">
                <div><dt>{tr(l, "col-kind")}</dt><dd>{kind_name(l, &home.tenant_kind)}</dd></div>
                <div><dt>{tr(l, "col-rb")}</dt><dd>{rb_dash(&home.regierungsbezirk)}</dd></div>
                <div><dt>{tr(l, "col-lifecycle")}</dt><dd>{lifecycle_name(l, &home.lifecycle)}</dd></div>
                <div><dt>{tr(l, "col-user-count")}</dt><dd>{home.user_count.to_string()}</dd></div>
            </dl>
        </section>
        {links}
        <section>
            <h2 id="ws-account">{tr(l, "account-heading")}</h2>
            <p>{tr(l, "account-sign-out-everywhere-hint")}</p>
            <form method="post" action="/sign-out">
                {csrf_field(ctx)}
                <input type="hidden" name="everywhere" value="1"/>
                <button type="submit" class="button button-secondary">{tr(l, "account-sign-out-everywhere")}</button>
            </form>
        </section>
    };
    document(ctx, &home.tenant_name, body)
}

/// The role of an active account as a small form to change it; otherwise just its name.
fn role_cell(ctx: &PageContext, user: &crate::model::UserRow, assignable: &[String]) -> AnyView {
    let l = ctx.lang;
    if user.status != "active" || !assignable.contains(&user.role) {
        return view! { <span>{role_name(l, &user.role)}</span> }.into_any();
    }
    let id = format!("role-{}", user.id);
    let action = format!("/workspace/users/{}/role", user.id);
    let label = tra(
        l,
        "users-role-label",
        &[("name", user.display_name.clone())],
    );
    let options: Vec<AnyView> = assignable
        .iter()
        .map(|role| {
            let selected = *role == user.role;
            view! { <option value=role.clone() selected=selected>{role_name(l, role)}</option> }
                .into_any()
        })
        .collect();
    view! {
        <form method="post" action=action class="inline-form">
            {csrf_field(ctx)}
            <label class="visually-hidden" for=id.clone()>{label}</label>
            <select id=id name="role">{options}</select>
            <button type="submit" class="button button-small">{tr(l, "users-role-change")}</button>
        </form>
    }
    .into_any()
}

/// User management of a tenant: users, invitations, invite form.
pub fn users(ctx: &PageContext, page: &UsersPage) -> String {
    let l = ctx.lang;
    let user_rows: Vec<AnyView> = page
        .users
        .iter()
        .map(|u| {
            let action = (u.status == "active").then(|| {
                let href = format!("/workspace/users/{}/disable", u.id);
                let label = tra(l, "users-disable-label", &[("name", u.display_name.clone())]);
                view! {
                    <form method="post" action=href class="inline-form">
                        {csrf_field(ctx)}
                        <button type="submit" class="button button-small button-warning" aria-label=label>
                            {tr(l, "users-disable")}
                        </button>
                    </form>
                }
            });
            view! {
                <tr>
                    <th scope="row">{u.display_name.clone()}</th>
                    <td class="nowrap">{u.email.clone()}</td>
                    <td>{role_cell(ctx, u, &page.assignable_roles)}</td>
                    <td><span class=format!("tag tag-{}", u.status)>{status_name(l, &u.status)}</span></td>
                    <td>{tr(l, if u.mfa_enabled { "mfa-on" } else { "mfa-off" })}</td>
                    <td>{action}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let users_table = if user_rows.is_empty() {
        view! { <p>{tr(l, "users-empty")}</p> }.into_any()
    } else {
        table_region(
            "users",
            tr(l, "users-caption"),
            [
                "col-name",
                "col-email",
                "col-role",
                "col-status",
                "col-mfa",
                "col-actions",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            user_rows,
        )
        .into_any()
    };

    let invitation_rows: Vec<AnyView> = page
        .invitations
        .iter()
        .map(|i| {
            let state = tr(
                l,
                if i.accepted {
                    "invitation-accepted"
                } else {
                    "invitation-pending"
                },
            );
            view! {
                <tr>
                    <th scope="row" class="nowrap">{i.email.clone()}</th>
                    <td>{role_name(l, &i.role)}</td>
                    <td class="nowrap">{i.created_at.clone()}</td>
                    <td class="nowrap">{i.expires_at.clone()}</td>
                    <td>{state}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let invitations_table = if invitation_rows.is_empty() {
        view! { <p>{tr(l, "invitations-empty")}</p> }.into_any()
    } else {
        table_region(
            "invitations",
            tr(l, "invitations-caption"),
            [
                "col-email",
                "col-role",
                "col-created",
                "col-expires",
                "col-state",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            invitation_rows,
        )
        .into_any()
    };

    let mut role_options = vec![(String::new(), tr(l, "select-choose"))];
    role_options.extend(
        page.assignable_roles
            .iter()
            .map(|r| (r.clone(), role_name(l, r))),
    );
    let form = &page.form;
    let body = view! {
        {heading(tr(l, "users-title"), None)}
        <section class="panel">
            <h2 id="invite-title">{tr(l, "invite-title")}</h2>
            <p>{tr(l, "invite-lead")}</p>
            {error_summary(l, &form.errors, None)}
            <form method="post" action="/workspace/users/invite" novalidate class="form">
                {csrf_field(ctx)}
                {input_field(l, &form.errors, Input::new("email", "field-email", "email")
                    .value(&form.email).autocomplete("off").required().no_spellcheck())}
                {select_field(l, &form.errors, "role", "field-role", role_options, &form.role, true, None)}
                <button type="submit" class="button">{tr(l, "invite-submit")}</button>
            </form>
        </section>
        <section>
            <h2 id="users-heading">{tr(l, "users-heading")}</h2>
            {users_table}
        </section>
        <section>
            <h2 id="invitations-heading">{tr(l, "invitations-heading")}</h2>
            {invitations_table}
        </section>
    };
    document(ctx, &tr(l, "users-title"), body)
}

/// `base` with `page` and the action filter as query.
fn audit_href(base: &str, page: u64, action: Option<&str>) -> String {
    let mut href = format!("{base}?page={page}");
    if let Some(action) = action.filter(|a| !a.is_empty()) {
        href.push_str("&action=");
        href.push_str(&encode_query(action));
    }
    href
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The audit log with filter, pagination and chain verification.
pub fn audit_log(ctx: &PageContext, page: &AuditPage) -> String {
    let l = ctx.lang;
    let base = if page.base_path.is_empty() {
        "/workspace/audit".to_owned()
    } else {
        page.base_path.clone()
    };
    let action = page.action_filter.clone().unwrap_or_default();

    let chain = page.chain_intact.map(|intact| {
        let (class, role, key) = if intact {
            ("notice notice-success", "status", "audit-chain-intact")
        } else {
            ("notice notice-error", "alert", "audit-chain-broken")
        };
        view! { <div class=class role=role><p>{tr(l, key)}</p></div> }
    });

    let rows: Vec<AnyView> = page
        .entries
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <td class="num">{e.seq.to_string()}</td>
                    <td class="nowrap">{e.at.clone()}</td>
                    <td>{e.actor.clone()}</td>
                    <td><code translate="no">{e.action.clone()}</code></td>
                    <td class="break">{e.object.clone()}</td>
                    <td class="nowrap">{e.source.clone()}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let table = if rows.is_empty() {
        view! { <p>{tr(l, "audit-empty")}</p> }.into_any()
    } else {
        table_region(
            "audit",
            tra(l, "audit-caption", &[("total", page.total.to_string())]),
            [
                "audit-col-seq",
                "col-at",
                "col-actor",
                "col-action",
                "col-object",
                "col-source",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            rows,
        )
        .into_any()
    };

    let pagination = (page.page_count > 1).then(|| {
        let filter = page.action_filter.as_deref();
        let prev = (page.page > 1).then(|| {
            let href = audit_href(&base, page.page - 1, filter);
            view! { <li><a href=href rel="prev">{tr(l, "pagination-prev")}</a></li> }
        });
        let next = (page.page < page.page_count).then(|| {
            let href = audit_href(&base, page.page + 1, filter);
            view! { <li><a href=href rel="next">{tr(l, "pagination-next")}</a></li> }
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
                <ul>
                    {prev}
                    <li aria-current="page"><span>{position}</span></li>
                    {next}
                </ul>
            </nav>
        }
    });

    let verify_action = format!("{base}/verify");
    let filter_action = base.clone();
    let reset_href = base.clone();
    let body = view! {
        {heading(tr(l, "audit-title"), Some(tr(l, "audit-lead")))}
        {chain}
        <form method="get" action=filter_action class="form filter-form" role="search"
            aria-label=tr(l, "audit-filter-title")>
            {input_field(l, &Default::default(), Input::new("action", "field-action", "search")
                .value(&action).no_spellcheck().hint(tr(l, "audit-filter-hint")))}
            <div class="button-row">
                <button type="submit" class="button">{tr(l, "filter-submit")}</button>
                <a href=reset_href class="button button-secondary">{tr(l, "filter-reset")}</a>
            </div>
        </form>
        {table}
        {pagination}
        <section class="panel">
            <h2 id="verify-title">{tr(l, "audit-verify-title")}</h2>
            <p>{tr(l, "audit-verify-text")}</p>
            <form method="post" action=verify_action class="inline-form">
                {csrf_field(ctx)}
                <button type="submit" class="button button-secondary">{tr(l, "audit-verify-submit")}</button>
            </form>
        </section>
    };
    document(ctx, &tr(l, "audit-title"), body)
}

/// Accepting an invitation: choose a name and a password (POST /invitation/{token}).
pub fn accept_invitation(ctx: &PageContext, form: &AcceptInvitation) -> String {
    let l = ctx.lang;
    let action = format!("/invitation/{}", encode_query(&form.token));
    let lead = tra(
        l,
        "invitation-lead",
        &[
            ("authority", form.tenant_name.clone()),
            ("role", role_name(l, &form.role)),
        ],
    );
    let body = view! {
        {heading(tr(l, "invitation-title"), Some(lead))}
        {error_summary(l, &form.errors, None)}
        <dl class="summary-list">
            <div><dt>{tr(l, "field-email")}</dt><dd>{form.email.clone()}</dd></div>
            <div><dt>{tr(l, "field-role")}</dt><dd>{role_name(l, &form.role)}</dd></div>
        </dl>
        <form method="post" action=action novalidate class="form">
            {csrf_field(ctx)}
            <input type="text" name="username" value=form.email.clone() autocomplete="username" hidden />
            {input_field(l, &form.errors, Input::new("display_name", "field-display-name", "text")
                .value(&form.display_name).autocomplete("name").required())}
            {input_field(l, &form.errors, Input::new("password", "field-password-new", "password")
                .autocomplete("new-password").required().hint(password_hint(l)))}
            {input_field(l, &form.errors, Input::new("password_confirm", "field-password-confirm", "password")
                .autocomplete("new-password").required())}
            <button type="submit" class="button">{tr(l, "invitation-submit")}</button>
        </form>
    };
    document(ctx, &tr(l, "invitation-title"), body)
}

/// The operator's list of tenants with filters.
pub fn operator_tenants(ctx: &PageContext, list: &TenantList) -> String {
    let l = ctx.lang;
    let mut kinds = vec![(String::new(), tr(l, "filter-all"))];
    kinds.extend(
        list.kind_counts
            .iter()
            .map(|(k, n)| (k.clone(), format!("{} ({n})", kind_name(l, k)))),
    );
    let mut rbs = vec![(String::new(), tr(l, "filter-all"))];
    rbs.extend(
        list.rb_counts
            .iter()
            .map(|(rb, n)| (rb.clone(), format!("{} ({n})", rb_name(rb)))),
    );
    let rows: Vec<AnyView> = list
        .rows
        .iter()
        .map(|r| {
            let href = format!("/operator/tenants/{}", r.id);
            view! {
                <tr>
                    <th scope="row"><a href=href>{r.name.clone()}</a></th>
                    <td>{kind_name(l, &r.kind)}</td>
                    <td>{rb_dash(&r.regierungsbezirk)}</td>
                    <td class="num" translate="no">{dash(&r.ags)}</td>
                    <td>{lifecycle_name(l, &r.lifecycle)}</td>
                    <td>{yes_no(l, r.pilot)}</td>
                    <td>{yes_no(l, r.confirmed)}</td>
                    <td>{vendor_name(l, &r.vendor)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let count = tra(
        l,
        "tenants-count",
        &[
            ("shown", list.rows.len().to_string()),
            ("total", list.total.to_string()),
        ],
    );
    let table = if rows.is_empty() {
        view! { <p>{tr(l, "tenants-empty")}</p> }.into_any()
    } else {
        table_region(
            "tenants",
            tr(l, "tenants-caption"),
            [
                "col-name",
                "col-kind",
                "col-rb",
                "col-ags",
                "col-lifecycle",
                "col-pilot",
                "col-confirmed",
                "col-vendor",
            ]
            .iter()
            .map(|k| tr(l, k))
            .collect(),
            rows,
        )
        .into_any()
    };
    let no_errors = Default::default();
    let body = view! {
        {heading(tr(l, "tenants-title"), Some(tr(l, "tenants-lead")))}
        <form method="get" action="/operator/tenants" class="form filter-form" role="search"
            aria-label=tr(l, "tenants-filter-title")>
            <div class="filter-grid">
                {select_field(l, &no_errors, "kind", "field-kind", kinds,
                    list.kind_filter.as_deref().unwrap_or(""), false, None)}
                {select_field(l, &no_errors, "rb", "field-rb", rbs,
                    list.rb_filter.as_deref().unwrap_or(""), false, None)}
                {input_field(l, &no_errors, Input::new("q", "field-query", "search").value(&list.query))}
            </div>
            <div class="button-row">
                <button type="submit" class="button">{tr(l, "filter-submit")}</button>
                <a href="/operator/tenants" class="button button-secondary">{tr(l, "filter-reset")}</a>
            </div>
        </form>
        <p class="result-count" role="status">{count}</p>
        {table}
    };
    document(ctx, &tr(l, "tenants-title"), body)
}

/// Everything the catalog knows about one tenant.
pub fn operator_tenant_detail(ctx: &PageContext, detail: &TenantDetail) -> String {
    let l = ctx.lang;
    let contact = detail.contact_email.clone().map_or_else(
        || view! { "–" }.into_any(),
        |mail| {
            let href = format!("mailto:{mail}");
            view! { <a href=href>{mail}</a> }.into_any()
        },
    );
    let entries: Vec<(&str, AnyView)> = vec![
        ("col-name", view! { {detail.name.clone()} }.into_any()),
        (
            "col-id",
            view! { <code translate="no">{detail.id.clone()}</code> }.into_any(),
        ),
        (
            "col-slug",
            view! { <code translate="no">{detail.slug.clone()}</code> }.into_any(),
        ),
        (
            "col-kind",
            view! { {kind_name(l, &detail.kind)} }.into_any(),
        ),
        (
            "col-rb",
            view! { {rb_dash(&detail.regierungsbezirk)} }.into_any(),
        ),
        ("col-ags", view! { {dash(&detail.ags)} }.into_any()),
        (
            "col-kreisschluessel",
            view! { {dash(&detail.kreisschluessel)} }.into_any(),
        ),
        (
            "col-abh-kennung",
            view! { {dash(&detail.abh_kennung)} }.into_any(),
        ),
        (
            "col-behoerdenkennzahl",
            view! { {dash(&detail.behoerdenkennzahl)} }.into_any(),
        ),
        (
            "col-vendor",
            view! { {vendor_name(l, &detail.vendor)} }.into_any(),
        ),
        ("col-contact", contact),
        (
            "col-lifecycle",
            view! { {lifecycle_name(l, &detail.lifecycle)} }.into_any(),
        ),
        ("col-pilot", view! { {yes_no(l, detail.pilot)} }.into_any()),
        (
            "col-confirmed",
            view! { {yes_no(l, detail.confirmed)} }.into_any(),
        ),
        (
            "col-source",
            view! { <span class="break">{dash(&detail.source)}</span> }.into_any(),
        ),
        (
            "col-user-count",
            view! { {detail.user_count.to_string()} }.into_any(),
        ),
    ];
    let entries: Vec<_> = entries
        .into_iter()
        .map(|(key, value)| view! { <div><dt>{tr(l, key)}</dt><dd>{value}</dd></div> })
        .collect();
    let body = view! {
        <p class="back-link"><a href="/operator/tenants">{tr(l, "back-to-tenants")}</a></p>
        {heading(detail.name.clone(), Some(kind_name(l, &detail.kind)))}
        <dl class="summary-list">{entries}</dl>
    };
    document(ctx, &detail.name, body)
}

/// A horizontal bar chart drawn on the server, with a text alternative and the numbers as
/// a table next to it.
fn bar_chart(
    id: &str,
    title: String,
    description: String,
    data: &[(String, usize)],
    name_label: String,
    value_label: String,
) -> impl IntoView + use<> {
    const ROW: usize = 36;
    const LABEL_W: usize = 130;
    const BAR_W: usize = 320;
    const WIDTH: usize = LABEL_W + BAR_W + 50;
    let max = data.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = data.len().max(1) * ROW + 8;
    let summary = data
        .iter()
        .map(|(name, n)| format!("{name}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let aria_label = format!("{title}. {summary}");
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let describedby = desc_id.clone();
    let bars: Vec<_> = data
        .iter()
        .enumerate()
        .map(|(i, (name, n))| {
            let y = i * ROW + 4;
            let w = (n * BAR_W).div_ceil(max).max(usize::from(*n > 0) * 2);
            view! {
                <g>
                    <text x=(LABEL_W - 8).to_string() y=(y + 22).to_string() text-anchor="end" class="chart-label">
                        {name.clone()}
                    </text>
                    <rect x=LABEL_W.to_string() y=(y + 6).to_string() width=w.to_string() height="22" class="chart-bar" />
                    <text x=(LABEL_W + w + 6).to_string() y=(y + 22).to_string() class="chart-value">
                        {n.to_string()}
                    </text>
                </g>
            }
        })
        .collect();
    let view_box = format!("0 0 {WIDTH} {height}");
    let rows: Vec<AnyView> = data
        .iter()
        .map(|(name, n)| {
            view! { <tr><th scope="row">{name.clone()}</th><td class="num">{n.to_string()}</td></tr> }
                .into_any()
        })
        .collect();
    let table = table_region_styled(
        &format!("{id}-table"),
        title.clone(),
        vec![name_label, value_label],
        rows,
        TableStyle {
            numeric_last: true,
            hidden_caption: true,
        },
    );
    view! {
        <figure class="chart">
            // The SVG is drawn left to right in every language: it is an image, named by its
            // title and label; the table beside it carries the same numbers.
            <svg xmlns="http://www.w3.org/2000/svg" viewBox=view_box role="img"
                aria-label=aria_label aria-describedby=describedby class="chart-svg" dir="ltr" focusable="false">
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {bars}
            </svg>
        </figure>
        {table}
    }
}

/// The ministry's overview: aggregates only, never personal data.
pub fn ministry_home(ctx: &PageContext, overview: &MinistryOverview) -> String {
    let l = ctx.lang;
    let total_abh: usize = overview.abh_by_rb.iter().map(|(_, n)| n).sum();
    let abh_by_rb: Vec<(String, usize)> = overview
        .abh_by_rb
        .iter()
        .map(|(rb, n)| (rb_name(rb), *n))
        .collect();
    let by_kind: Vec<(String, usize)> = overview
        .by_kind
        .iter()
        .map(|(k, n)| (kind_name(l, k), *n))
        .collect();
    let by_lifecycle: Vec<(String, usize)> = overview
        .by_lifecycle
        .iter()
        .map(|(k, n)| (lifecycle_name(l, k), *n))
        .collect();
    let simple_table = |id: &str, caption: String, first: String, data: Vec<(String, usize)>| {
        let rows: Vec<AnyView> = data
            .into_iter()
            .map(|(name, n)| {
                view! { <tr><th scope="row">{name}</th><td class="num">{n.to_string()}</td></tr> }
                    .into_any()
            })
            .collect();
        table_region_styled(
            id,
            caption,
            vec![first, tr(l, "col-count")],
            rows,
            TableStyle {
                numeric_last: true,
                hidden_caption: true,
            },
        )
    };
    let chart = bar_chart(
        "abh-rb",
        tr(l, "ministry-chart-abh-title"),
        tra(
            l,
            "ministry-chart-abh-desc",
            &[("total", total_abh.to_string())],
        ),
        &abh_by_rb,
        tr(l, "col-rb"),
        tr(l, "col-count"),
    );
    let body = view! {
        {heading(tr(l, "ministry-title"), Some(tr(l, "ministry-lead")))}
        <div class="notice notice-info"><p>{tr(l, "ministry-privacy-note")}</p></div>
        <dl class="stats">
            <div><dt>{tr(l, "ministry-abh-total")}</dt><dd>{total_abh.to_string()}</dd></div>
            <div><dt>{tr(l, "ministry-pilots")}</dt><dd>{overview.pilots.to_string()}</dd></div>
        </dl>
        <section>
            <h2 id="chart-abh">{tr(l, "ministry-chart-abh-title")}</h2>
            {chart}
        </section>
        <section>
            <h2 id="by-kind">{tr(l, "ministry-by-kind")}</h2>
            {simple_table("kind", tr(l, "ministry-by-kind"), tr(l, "col-kind"), by_kind)}
        </section>
        <section>
            <h2 id="by-lifecycle">{tr(l, "ministry-by-lifecycle")}</h2>
            {simple_table("lifecycle", tr(l, "ministry-by-lifecycle"), tr(l, "col-lifecycle"), by_lifecycle)}
        </section>
    };
    document(ctx, &tr(l, "ministry-title"), body)
}

/// The applicant portal's start page.
pub fn portal_home(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let actions = if ctx.user.is_some() {
        view! {
            <p><a class="button" href="/portal/account">{tr(l, "nav-portal-account")}</a></p>
        }
        .into_any()
    } else {
        view! {
            <div class="button-row">
                <a class="button" href="/portal/register">{tr(l, "portal-register-link")}</a>
                <a class="button button-secondary" href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a>
            </div>
        }
        .into_any()
    };
    let body = view! {
        {heading(tr(l, "portal-title"), Some(tr(l, "portal-lead")))}
        {actions}
        <section>
            <h2 id="portal-what">{tr(l, "portal-what-title")}</h2>
            <ul class="bullets">
                <li>{tr(l, "portal-what-apply")}</li>
                <li>{tr(l, "portal-what-documents")}</li>
                <li>{tr(l, "portal-what-status")}</li>
                <li>{tr(l, "portal-what-appointment")}</li>
            </ul>
        </section>
        <section>
            <h2 id="portal-privacy">{tr(l, "portal-privacy-title")}</h2>
            <p>{tr(l, "portal-privacy-text")}</p>
        </section>
    };
    document(ctx, &tr(l, "portal-title"), body)
}

/// Registration of an applicant account (POST /portal/register).
pub fn portal_register(ctx: &PageContext, form: &RegisterForm) -> String {
    let l = ctx.lang;
    let languages: Vec<(String, String)> = Lang::ALL
        .iter()
        .map(|lang| (lang.code().to_owned(), lang.native_name().to_owned()))
        .collect();
    let body = view! {
        {heading(tr(l, "register-title"), Some(tr(l, "register-lead")))}
        {error_summary(l, &form.errors, None)}
        <form method="post" action="/portal/register" novalidate class="form">
            {csrf_field(ctx)}
            {input_field(l, &form.errors, Input::new("email", "field-email", "email")
                .value(&form.email).autocomplete("email").required().no_spellcheck()
                .hint(tr(l, "register-email-hint")))}
            {input_field(l, &form.errors, Input::new("display_name", "field-display-name", "text")
                .value(&form.display_name).autocomplete("name").required()
                .hint(tr(l, "register-name-hint")))}
            {input_field(l, &form.errors, Input::new("password", "field-password-new", "password")
                .autocomplete("new-password").required().hint(password_hint(l)))}
            {select_field(l, &form.errors, "language", "field-language", languages, l.code(), true,
                Some(tr(l, "register-language-hint")))}
            <button type="submit" class="button">{tr(l, "register-submit")}</button>
        </form>
        <p>{tr(l, "register-have-account")} " " <a href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a></p>
    };
    document(ctx, &tr(l, "register-title"), body)
}

/// Applicant sign-in (POST /portal/sign-in).
pub fn portal_sign_in(ctx: &PageContext, form: &SignInForm) -> String {
    let l = ctx.lang;
    let inner = sign_in_body(
        ctx,
        form,
        "/portal/sign-in",
        "portal-sign-in-title",
        "portal-sign-in-lead",
    );
    let body = view! {
        {inner}
        <p>{tr(l, "portal-no-account")} " " <a href="/portal/register">{tr(l, "portal-register-link")}</a></p>
    };
    document(ctx, &tr(l, "portal-sign-in-title"), body)
}

/// After registering: the confirmation link is on its way.
pub fn portal_check_mail(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "check-mail-title"), Some(tr(l, "check-mail-text")))}
        <p>{tr(l, "check-mail-spam")}</p>
    };
    document(ctx, &tr(l, "check-mail-title"), body)
}

/// The e-mail address is confirmed.
pub fn portal_confirmed(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "confirmed-title"), Some(tr(l, "confirmed-text")))}
        <p><a class="button" href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a></p>
    };
    document(ctx, &tr(l, "confirmed-title"), body)
}

/// The applicant's own account.
pub fn portal_account(ctx: &PageContext, account: &PortalAccount) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "account-title"), Some(tr(l, "account-lead")))}
        <dl class="summary-list">
            <div><dt>{tr(l, "field-display-name")}</dt><dd>{account.display_name.clone()}</dd></div>
            <div><dt>{tr(l, "field-email")}</dt><dd>{account.email.clone()}</dd></div>
        </dl>
        <section>
            <h2 id="account-applications">{tr(l, "account-applications")}</h2>
            <p>{tr(l, "account-applications-empty")}</p>
        </section>
    };
    document(ctx, &tr(l, "account-title"), body)
}

/// An error page (404, 403, 500, …) with a way back.
pub fn error_page(
    ctx: &PageContext,
    status: u16,
    title_key: &str,
    detail_key: Option<&str>,
) -> String {
    let l = ctx.lang;
    let title = tr(l, title_key);
    let detail = detail_key.map(|key| view! { <p class="lead">{tr(l, key)}</p> });
    let home = area_home(ctx.area);
    let body = view! {
        <p class="status-code">{tra(l, "error-status", &[("status", status.to_string())])}</p>
        <h1>{title.clone()}</h1>
        {detail}
        <p><a href=home>{tr(l, "error-back")}</a></p>
    };
    document(ctx, &title, body)
}

/// A browsable reference of the JSON API, grouped by tag.
pub fn api_docs(ctx: &PageContext, operations: &[ApiOperation]) -> String {
    let l = ctx.lang;
    let mut tags: Vec<String> = operations.iter().map(|o| o.tag.clone()).collect();
    tags.sort();
    tags.dedup();
    let groups: Vec<_> = tags
        .into_iter()
        .enumerate()
        .map(|(i, tag)| {
            let rows: Vec<AnyView> = operations
                .iter()
                .filter(|o| o.tag == tag)
                .map(|o| {
                    let method_class = format!("method method-{}", o.method.to_ascii_lowercase());
                    view! {
                        <tr>
                            <td><span class=method_class translate="no">{o.method.to_ascii_uppercase()}</span></td>
                            <th scope="row" dir="ltr"><code translate="no">{o.path.clone()}</code></th>
                            <td>{o.summary.clone()}</td>
                        </tr>
                    }
                    .into_any()
                })
                .collect();
            let section_id = format!("api-tag-{i}");
            let table_id = format!("api-table-{i}");
            view! {
                <section>
                    <h2 id=section_id>{tag.clone()}</h2>
                    {table_region(&table_id, tag,
                        vec![tr(l, "api-col-method"), tr(l, "api-col-path"), tr(l, "api-col-summary")], rows)}
                </section>
            }
        })
        .collect();
    let empty = operations
        .is_empty()
        .then(|| view! { <p>{tr(l, "api-empty")}</p> });
    let body = view! {
        {heading(tr(l, "api-title"), Some(tr(l, "api-lead")))}
        <p><a href="/api/openapi.json" type="application/json">{tr(l, "api-openapi-link")}</a></p>
        {empty}
        {groups}
    };
    document(ctx, &tr(l, "api-title"), body)
}
