//! Unit tests of the pages, the locale files and language negotiation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use amtsweg_domain::Role;
use amtsweg_domain::tenant::{LifecycleState, TenantKind, Vendor};

use crate::components::with_lang;
use crate::i18n::{Lang, USED_KEYS, has_key, mail_text, t, t_args};
use crate::model::*;
use crate::pages;
use crate::pages_case_admin as case_admin;

const LOCALE_FILES: [(Lang, &str); 5] = [
    (Lang::De, include_str!("../locales/de/main.ftl")),
    (Lang::En, include_str!("../locales/en/main.ftl")),
    (Lang::Ar, include_str!("../locales/ar/main.ftl")),
    (Lang::Uk, include_str!("../locales/uk/main.ftl")),
    (Lang::Tr, include_str!("../locales/tr/main.ftl")),
];

/// The message ids defined in a Fluent file (terms and comments excluded).
fn ftl_keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim().to_owned())
        .collect()
}

#[test]
fn locale_files_parse_and_have_the_same_keys() {
    let (_, de) = LOCALE_FILES[0];
    let reference = ftl_keys(de);
    assert!(reference.len() > 100, "German file looks empty");
    for (lang, source) in LOCALE_FILES {
        let resource = fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned());
        assert!(resource.is_ok(), "{} has Fluent syntax errors", lang.code());
        let keys = ftl_keys(source);
        let missing: Vec<_> = reference.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&reference).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in German {extra:?}",
            lang.code()
        );
        for key in &reference {
            assert!(has_key(lang, key), "{}: {key} does not load", lang.code());
        }
    }
}

/// Keys the HTTP layer uses for errors, flashes and mails.
const HTTP_KEYS: &[&str] = &[
    "error-credentials",
    "error-throttled",
    "error-required",
    "error-email-invalid",
    "error-password-short",
    "error-password-mismatch",
    "error-totp-invalid",
    "error-email-taken",
    "error-role-invalid",
    "error-csrf",
    "error-not-found",
    "error-forbidden",
    "error-internal",
    "error-invitation-invalid",
    "error-not-found-detail",
    "error-forbidden-detail",
    "error-internal-detail",
    "error-csrf-detail",
    "flash-invited",
    "flash-invitation-accepted",
    "flash-user-disabled",
    "flash-signed-out",
    "flash-mfa-enabled",
    "flash-chain-intact",
    "flash-chain-broken",
    "flash-registered",
    "flash-confirmed",
    "mail-invitation-subject",
    "mail-invitation-body",
    "mail-confirm-subject",
    "mail-confirm-body",
    "status-active",
    "status-disabled",
];

#[test]
fn keys_of_the_http_layer_and_the_domain_exist_everywhere() {
    let mut keys: Vec<String> = HTTP_KEYS.iter().map(|k| (*k).to_owned()).collect();
    keys.extend(Role::ALL.iter().map(|r| format!("role-{}", r.as_str())));
    keys.extend(
        TenantKind::ALL
            .iter()
            .map(|k| format!("kind-{}", k.as_str())),
    );
    keys.extend(
        LifecycleState::ALL
            .iter()
            .map(|s| format!("lifecycle-{}", s.as_str())),
    );
    keys.extend(Vendor::ALL.iter().map(|v| format!("vendor-{}", v.as_str())));
    for lang in Lang::ALL {
        for key in &keys {
            assert!(has_key(lang, key), "{} lacks {key}", lang.code());
        }
    }
}

fn staff_user(name: &str) -> UserBadge {
    UserBadge {
        display_name: name.to_owned(),
        role: "tenant_admin".to_owned(),
        tenant_name: Some("Stadt Bielefeld".to_owned()),
        can_manage_users: true,
        can_view_audit: true,
        is_operator: false,
        is_ministry: false,
    }
}

fn ctx(lang: Lang, area: Area, path: &str) -> PageContext {
    PageContext {
        lang,
        csrf: "csrf-token-123".to_owned(),
        path: path.to_owned(),
        user: (area != Area::Public).then(|| staff_user("Erika Mustermann")),
        flash: Some(Flash {
            kind: FlashKind::Success,
            key: "flash-invited".to_owned(),
        }),
        area,
        kiosk: None,
    }
}

fn errors(pairs: &[(&str, &str)]) -> FieldErrors {
    pairs
        .iter()
        .map(|(f, k)| ((*f).to_owned(), (*k).to_owned()))
        .collect()
}

fn users_page() -> UsersPage {
    UsersPage {
        users: vec![
            UserRow {
                id: "u1".to_owned(),
                display_name: "Erika Mustermann".to_owned(),
                email: "erika@bielefeld.example".to_owned(),
                role: "tenant_admin".to_owned(),
                status: "active".to_owned(),
                mfa_enabled: true,
            },
            UserRow {
                id: "u2".to_owned(),
                display_name: "Max Muster".to_owned(),
                email: "max@bielefeld.example".to_owned(),
                role: "clerk".to_owned(),
                status: "disabled".to_owned(),
                mfa_enabled: false,
            },
        ],
        invitations: vec![InvitationRow {
            email: "neu@bielefeld.example".to_owned(),
            role: "clerk".to_owned(),
            created_at: "01.03.2025 10:00".to_owned(),
            expires_at: "08.03.2025 10:00".to_owned(),
            accepted: false,
        }],
        form: InviteForm {
            email: "kaputt".to_owned(),
            role: String::new(),
            errors: errors(&[
                ("email", "error-email-invalid"),
                ("role", "error-role-invalid"),
            ]),
        },
        assignable_roles: vec![
            "clerk".to_owned(),
            "approver".to_owned(),
            "tenant_admin".to_owned(),
        ],
    }
}

fn audit_page() -> AuditPage {
    AuditPage {
        entries: vec![AuditRow {
            seq: 42,
            at: "01.03.2025 10:00".to_owned(),
            actor: "Erika Mustermann".to_owned(),
            action: "user.invited".to_owned(),
            object: "invitation 7".to_owned(),
            source: "127.0.0.1".to_owned(),
        }],
        page: 2,
        page_count: 3,
        total: 61,
        action_filter: Some("user.invited".to_owned()),
        chain_intact: Some(true),
        base_path: "/workspace/audit".to_owned(),
    }
}

fn tenant_list() -> TenantList {
    TenantList {
        rows: vec![TenantRow {
            id: "t1".to_owned(),
            slug: "abh-bielefeld".to_owned(),
            name: "Stadt Bielefeld".to_owned(),
            kind: "abh".to_owned(),
            regierungsbezirk: Some("Detmold".to_owned()),
            ags: Some("05711000".to_owned()),
            lifecycle: "live".to_owned(),
            pilot: true,
            confirmed: true,
            vendor: "advis".to_owned(),
        }],
        kind_filter: Some("abh".to_owned()),
        rb_filter: None,
        query: "biele".to_owned(),
        kind_counts: vec![("abh".to_owned(), 81), ("zab".to_owned(), 5)],
        rb_counts: vec![("Detmold".to_owned(), 12), ("Köln".to_owned(), 20)],
        total: 171,
    }
}

fn tenant_detail() -> TenantDetail {
    TenantDetail {
        id: "t1".to_owned(),
        slug: "abh-bielefeld".to_owned(),
        name: "Stadt Bielefeld".to_owned(),
        kind: "abh".to_owned(),
        regierungsbezirk: Some("Detmold".to_owned()),
        ags: Some("05711000".to_owned()),
        kreisschluessel: Some("05711".to_owned()),
        abh_kennung: None,
        behoerdenkennzahl: None,
        vendor: "ok_visa".to_owned(),
        contact_email: Some("abh@bielefeld.example".to_owned()),
        lifecycle: "onboarding".to_owned(),
        pilot: true,
        confirmed: false,
        source: Some("Vorlage 18/3107".to_owned()),
        user_count: 3,
    }
}

fn overview() -> MinistryOverview {
    MinistryOverview {
        by_kind: vec![("abh".to_owned(), 81), ("zab".to_owned(), 5)],
        by_lifecycle: vec![("live".to_owned(), 6), ("catalogued".to_owned(), 80)],
        abh_by_rb: vec![
            ("duesseldorf".to_owned(), 22),
            ("Köln".to_owned(), 20),
            ("Münster".to_owned(), 12),
            ("Detmold".to_owned(), 11),
            ("Arnsberg".to_owned(), 16),
        ],
        pilots: 6,
    }
}

/// Every page with an example model, as (name, html).
fn all_pages(lang: Lang) -> Vec<(&'static str, String)> {
    let public = ctx(lang, Area::Public, "/");
    let portal = ctx(lang, Area::Portal, "/portal");
    let ws = ctx(lang, Area::Workspace, "/workspace/users?page=2");
    let op = ctx(lang, Area::Operator, "/operator/tenants");
    let min = ctx(lang, Area::Ministry, "/ministry");
    let sign_in_form = SignInForm {
        email: "a@b.example".to_owned(),
        errors: errors(&[("password", "error-required")]),
        general: Some("error-credentials".to_owned()),
    };
    vec![
        ("home", pages::home(&public)),
        ("sign_in", pages::sign_in(&public, &sign_in_form)),
        (
            "totp",
            pages::totp_challenge(
                &public,
                &TotpForm {
                    errors: errors(&[("code", "error-totp-invalid")]),
                },
            ),
        ),
        (
            "mfa_setup",
            pages::mfa_setup(
                &ws,
                &MfaSetup {
                    qr_svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>".to_owned(),
                    secret_base32: "JBSW Y3DP EHPK 3PXP".to_owned(),
                    errors: FieldErrors::new(),
                },
            ),
        ),
        (
            "recovery",
            pages::recovery_codes(&ws, &["abcd-efgh".to_owned(), "ijkl-mnop".to_owned()]),
        ),
        (
            "workspace_home",
            pages::workspace_home(
                &ws,
                &WorkspaceHome {
                    tenant_name: "Stadt Bielefeld".to_owned(),
                    tenant_kind: "abh".to_owned(),
                    regierungsbezirk: Some("Detmold".to_owned()),
                    lifecycle: "live".to_owned(),
                    user_count: 4,
                },
            ),
        ),
        ("users", pages::users(&ws, &users_page())),
        ("audit", pages::audit_log(&ws, &audit_page())),
        (
            "accept_invitation",
            pages::accept_invitation(
                &public,
                &AcceptInvitation {
                    token: "tok123".to_owned(),
                    tenant_name: "Stadt Bielefeld".to_owned(),
                    email: "neu@bielefeld.example".to_owned(),
                    role: "clerk".to_owned(),
                    display_name: String::new(),
                    errors: errors(&[
                        ("display_name", "error-required"),
                        ("password", "error-password-short"),
                        ("password_confirm", "error-password-mismatch"),
                    ]),
                },
            ),
        ),
        ("tenants", pages::operator_tenants(&op, &tenant_list())),
        ("tenant_detail", pages::operator_tenant_detail(&op, &tenant_detail())),
        ("ministry", pages::ministry_home(&min, &overview())),
        ("portal_home", pages::portal_home(&portal)),
        (
            "portal_register",
            pages::portal_register(
                &portal,
                &RegisterForm {
                    email: "x@y.example".to_owned(),
                    display_name: "Amal".to_owned(),
                    errors: errors(&[("email", "error-email-taken")]),
                },
            ),
        ),
        ("portal_sign_in", pages::portal_sign_in(&portal, &sign_in_form)),
        ("portal_check_mail", pages::portal_check_mail(&portal)),
        ("portal_confirmed", pages::portal_confirmed(&portal)),
        (
            "portal_account",
            pages::portal_account(
                &portal,
                &PortalAccount {
                    display_name: "Amal".to_owned(),
                    email: "amal@example.org".to_owned(),
                },
            ),
        ),
        (
            "error",
            pages::error_page(&public, 404, "error-not-found", Some("error-not-found-detail")),
        ),
        ("case_admin_processes", case_admin::processes_page(&ws, &case_admin_processes())),
        ("case_admin_variant", case_admin::variant_page(&ws, &case_admin_variant())),
        ("case_admin_file_plan", case_admin::file_plan_page(&ws, &case_admin_plan())),
        ("case_admin_throughput", case_admin::throughput_page(&ws, &case_admin_throughput())),
        (
            "case_admin_ministry",
            case_admin::ministry_throughput_page(&min, &case_admin_ministry()),
        ),
        (
            "case_admin_models",
            case_admin::models_page(
                &min,
                &case_admin::ModelsPage {
                    models: vec![("naturalization".to_owned(), "Einbürgerung".to_owned(), 2)],
                    definition: "id = <b>".to_owned(),
                    errors: errors(&[("definition", "cases-error-process-invalid")]),
                },
            ),
        ),
        (
            "api_docs",
            pages::api_docs(
                &public,
                &[
                    ApiOperation {
                        method: "get".to_owned(),
                        path: "/api/v1/tenants".to_owned(),
                        summary: "List tenants".to_owned(),
                        tag: "tenants".to_owned(),
                    },
                    ApiOperation {
                        method: "post".to_owned(),
                        path: "/api/v1/health".to_owned(),
                        summary: "Health".to_owned(),
                        tag: "operations".to_owned(),
                    },
                ],
            ),
        ),
    ]
}

fn case_admin_processes() -> case_admin::ProcessesPage {
    case_admin::ProcessesPage {
        rows: vec![
            case_admin::ProcessAdoptionRow {
                model_id: "residence-extension".to_owned(),
                name: "Verlängerung".to_owned(),
                model_version: 2,
                kind: Some("variant".to_owned()),
                version: Some(3),
                based_on: Some(1),
                offered_version: Some(2),
                offered_changes: vec![
                    ("Eingang".to_owned(), "changed".to_owned()),
                    ("Neu".to_owned(), "added".to_owned()),
                    ("Alt".to_owned(), "removed".to_owned()),
                ],
            },
            case_admin::ProcessAdoptionRow {
                model_id: "naturalization".to_owned(),
                name: "Einbürgerung".to_owned(),
                model_version: 1,
                kind: Some("model".to_owned()),
                version: Some(1),
                based_on: Some(1),
                ..case_admin::ProcessAdoptionRow::default()
            },
            case_admin::ProcessAdoptionRow {
                model_id: "settlement-permit".to_owned(),
                name: "Niederlassung".to_owned(),
                model_version: 1,
                ..case_admin::ProcessAdoptionRow::default()
            },
        ],
    }
}

fn case_admin_variant() -> case_admin::VariantPage {
    let step = |id: &str, kind: &str, role: &str| case_admin::VariantStepRow {
        step: id.to_owned(),
        title: id.to_owned(),
        kind: kind.to_owned(),
        role: role.to_owned(),
        deadline_days: "5".to_owned(),
        remind_after_days: "3".to_owned(),
        escalate_after_days: "x".to_owned(),
    };
    case_admin::VariantPage {
        model_id: "residence-extension".to_owned(),
        name: "Verlängerung".to_owned(),
        version: 2,
        based_on: 1,
        deadline_days: "70".to_owned(),
        steps: vec![
            step("intake", "work", "clerk"),
            step("ba", "waiting", "clerk"),
            step("approval", "approval", "clerk"),
            step("decided", "end", "clerk"),
        ],
        errors: errors(&[
            ("approval.role", "cases-error-approval-role"),
            ("intake.escalate_after_days", "cases-error-days"),
            ("intake.remind_after_days", "cases-error-clock-order"),
            ("ba.deadline_days", "cases-error-waiting-deadline"),
            ("deadline_days", "cases-error-days"),
        ]),
    }
}

fn case_admin_plan() -> case_admin::FilePlanPage {
    case_admin::FilePlanPage {
        uses_reference: false,
        positions: vec![case_admin::PlanPositionRow {
            position: "A-1".to_owned(),
            title: "Allgemeines".to_owned(),
            reference_position: None,
        }],
        reference: vec![("01".to_owned(), "Allgemeines".to_owned())],
        unmapped: vec!["A-1".to_owned()],
        unknown_targets: vec!["A-2".to_owned()],
        uncovered: vec!["01".to_owned()],
        form: case_admin::PlanPositionForm::default(),
        errors: errors(&[
            ("position", "cases-error-plan-position"),
            ("title", "error-required"),
            ("reference_position", "cases-error-plan-reference"),
        ]),
    }
}

fn figures(hours: i64) -> case_admin::FiguresRow {
    case_admin::FiguresRow {
        measured: 7,
        median_seconds: hours * 3600,
        p90_seconds: hours * 7200,
    }
}

fn case_admin_throughput() -> case_admin::ThroughputPage {
    case_admin::ThroughputPage {
        computed_at: Some("2026-12-03 04:00".to_owned()),
        processes: vec![case_admin::ProcessFigures {
            name: "Verlängerung".to_owned(),
            case: Some(figures(80)),
            steps: vec![("Eingang".to_owned(), figures(30))],
        }],
    }
}

fn case_admin_ministry() -> case_admin::MinistryThroughputPage {
    case_admin::MinistryThroughputPage {
        min_group: 5,
        suppressed_groups: 3,
        processes: vec![case_admin::ComparedProcess {
            name: "Verlängerung".to_owned(),
            cases: vec![
                ("ABH Hamm".to_owned(), figures(80)),
                ("ABH Essen".to_owned(), figures(40)),
            ],
            steps: vec![("Eingang".to_owned(), "ABH Hamm".to_owned(), figures(30))],
        }],
    }
}

#[test]
fn every_page_renders_in_every_language() {
    for lang in Lang::ALL {
        for (name, html) in all_pages(lang) {
            let context = format!("{name} in {}", lang.code());
            assert!(html.starts_with("<!DOCTYPE html>"), "{context}");
            assert!(
                html.contains(&format!("<html lang=\"{}\"", lang.code())),
                "{context}"
            );
            assert!(
                html.contains(&format!("dir=\"{}\"", lang.dir())),
                "{context}"
            );
            assert_eq!(html.matches("<h1").count(), 1, "{context}: one h1");
            assert_eq!(html.matches("<main").count(), 1, "{context}: one main");
            assert!(html.contains("id=\"main\""), "{context}");
            assert!(html.contains("href=\"#main\""), "{context}: skip link");
            assert!(!html.contains("<script"), "{context}: no JavaScript");
            assert!(
                !html.contains("http://") || html.contains("http://www.w3.org/2000/svg"),
                "{context}"
            );
            for form in html.split("<form").skip(1) {
                let form = form.split("</form>").next().unwrap_or_default();
                if form.contains("method=\"post\"") {
                    assert!(
                        form.contains("name=\"csrf\" value=\"csrf-token-123\""),
                        "{context}: POST form without csrf"
                    );
                }
            }
        }
    }
}

#[test]
fn every_key_used_by_the_pages_exists_in_every_language() {
    for lang in Lang::ALL {
        let _ = all_pages(lang);
    }
    let used = USED_KEYS.lock().unwrap().clone();
    assert!(used.len() > 100, "pages looked up only {} keys", used.len());
    let mut missing = Vec::new();
    for key in &used {
        for lang in Lang::ALL {
            if !has_key(lang, key) {
                missing.push(format!("{}:{key}", lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "missing keys: {missing:?}");
}

#[test]
fn arabic_pages_are_right_to_left() {
    let html = pages::portal_home(&ctx(Lang::Ar, Area::Portal, "/portal"));
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\""));
    let html = pages::portal_home(&ctx(Lang::De, Area::Portal, "/portal"));
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\""));
}

#[test]
fn form_errors_render_inline_and_in_the_summary() {
    let form = SignInForm {
        email: "a@b.example".to_owned(),
        errors: errors(&[("email", "error-email-invalid")]),
        general: Some("error-throttled".to_owned()),
    };
    let html = pages::sign_in(&ctx(Lang::En, Area::Public, "/sign-in"), &form);
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("href=\"#field-email\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("aria-describedby=\"field-email-error\""));
    assert!(html.contains("id=\"field-email-error\""));
    assert!(html.contains(&t(Lang::En, "error-throttled")));
    assert!(html.contains(&t(Lang::En, "error-email-invalid")));
    // The password field has no error.
    assert_eq!(html.matches("aria-invalid").count(), 1);

    let clean = pages::sign_in(
        &ctx(Lang::En, Area::Public, "/sign-in"),
        &SignInForm::default(),
    );
    assert!(!clean.contains("error-summary"));
    assert!(!clean.contains("aria-invalid"));
    assert!(clean.contains("autocomplete=\"current-password\""));
    assert!(clean.contains("autocomplete=\"username\""));
}

#[test]
fn messages_with_the_minimum_length_are_complete() {
    let form = AcceptInvitation {
        errors: errors(&[("password", "error-password-short")]),
        ..AcceptInvitation::default()
    };
    let html = pages::accept_invitation(&ctx(Lang::De, Area::Public, "/"), &form);
    assert!(html.contains("mindestens 12 Zeichen"));
    assert!(!html.contains(">error-password-short<"));
}

#[test]
fn user_values_are_escaped() {
    let evil = "<script>alert(1)</script>";
    let mut context = ctx(Lang::De, Area::Workspace, "/workspace/users?q=\"><script>");
    context.user = Some(staff_user(evil));
    let mut page = users_page();
    page.users[0].display_name = evil.to_owned();
    page.form.email = "\"><script>x</script>".to_owned();
    let html = pages::users(&context, &page);
    assert!(!html.contains("<script"), "unescaped script in {html}");
    assert!(html.contains("&lt;script&gt;"));

    let account = PortalAccount {
        display_name: evil.to_owned(),
        email: "a@b.example".to_owned(),
    };
    let html = pages::portal_account(&ctx(Lang::Ar, Area::Portal, "/portal/account"), &account);
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// A workspace home with real catalog values: keys looked up while rendering are recorded for the
/// key-completeness test, which runs in the same process under `cargo test`.
fn sample_home() -> WorkspaceHome {
    WorkspaceHome {
        tenant_name: "Kreis Borken".to_owned(),
        tenant_kind: "abh".to_owned(),
        regierungsbezirk: Some("muenster".to_owned()),
        lifecycle: "onboarding".to_owned(),
        user_count: 2,
    }
}

#[test]
fn navigation_follows_area_and_permissions() {
    let mut context = ctx(Lang::De, Area::Workspace, "/workspace");
    let html = pages::workspace_home(&context, &sample_home());
    assert!(html.contains("href=\"/workspace/users\""));
    assert!(html.contains("href=\"/workspace/audit\""));
    assert!(html.contains("action=\"/sign-out\""));
    assert!(html.contains("aria-current=\"page\""));
    if let Some(user) = context.user.as_mut() {
        user.can_manage_users = false;
        user.can_view_audit = false;
    }
    let html = pages::workspace_home(&context, &sample_home());
    assert!(!html.contains("href=\"/workspace/users\""));
    assert!(!html.contains("href=\"/workspace/audit\""));

    let html = pages::portal_home(&ctx(Lang::De, Area::Portal, "/portal"));
    assert!(html.contains("action=\"/portal/sign-out\""));
    assert!(html.contains("href=\"/portal/account\""));
}

#[test]
fn language_switch_offers_the_area_languages() {
    let staff = pages::workspace_home(
        &ctx(Lang::De, Area::Workspace, "/workspace"),
        &sample_home(),
    );
    assert!(staff.contains("href=\"/workspace?lang=en\""));
    assert!(!staff.contains("lang=ar"));
    let portal = pages::portal_home(&ctx(Lang::De, Area::Portal, "/portal?x=1&lang=de"));
    for code in ["de", "en", "ar", "uk", "tr"] {
        assert!(
            portal.contains(&format!("href=\"/portal?x=1&amp;lang={code}\"")),
            "{code}"
        );
    }
}

#[test]
fn lang_switch_urls_merge_with_the_query() {
    assert_eq!(with_lang("/portal", "ar"), "/portal?lang=ar");
    assert_eq!(with_lang("/a?page=2", "en"), "/a?page=2&lang=en");
    assert_eq!(with_lang("/a?lang=de&page=2", "tr"), "/a?page=2&lang=tr");
    assert_eq!(with_lang("/a?", "uk"), "/a?lang=uk");
    assert_eq!(with_lang("", "de"), "/?lang=de");
}

#[test]
fn ministry_chart_is_accessible() {
    let html = pages::ministry_home(&ctx(Lang::De, Area::Ministry, "/ministry"), &overview());
    assert!(html.contains("<svg"));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title"));
    assert!(html.contains("aria-label=\"Ausländerbehörden je Regierungsbezirk. Düsseldorf: 22"));
    assert!(html.contains("<caption"));
    assert!(html.contains("scope=\"row\""));
}

#[test]
fn audit_page_links_pages_and_verification() {
    let html = pages::audit_log(
        &ctx(Lang::En, Area::Operator, "/operator/audit"),
        &audit_page(),
    );
    assert!(html.contains("href=\"/workspace/audit?page=1&amp;action=user.invited\""));
    assert!(html.contains("href=\"/workspace/audit?page=3&amp;action=user.invited\""));
    assert!(html.contains("action=\"/workspace/audit/verify\""));
    assert!(html.contains(&t(Lang::En, "audit-chain-intact")));
}

#[test]
fn negotiate_languages() {
    // Default.
    assert_eq!(Lang::negotiate(None, None, true), Lang::De);
    // The cookie wins over the header.
    assert_eq!(Lang::negotiate(Some("tr"), Some("en"), true), Lang::Tr);
    // Staff areas speak only German and English.
    assert_eq!(
        Lang::negotiate(Some("ar"), Some("en;q=0.5"), false),
        Lang::En
    );
    assert_eq!(Lang::negotiate(Some("ar"), None, false), Lang::De);
    assert_eq!(Lang::negotiate(None, Some("uk"), false), Lang::De);
    // Quality values.
    assert_eq!(
        Lang::negotiate(None, Some("en;q=0.3, ar;q=0.9, de;q=0.5"), true),
        Lang::Ar
    );
    assert_eq!(
        Lang::negotiate(None, Some("en;q=0.3, ar;q=0.9, de;q=0.5"), false),
        Lang::De
    );
    assert_eq!(
        Lang::negotiate(None, Some("fr-FR, uk-UA;q=0.8"), true),
        Lang::Uk
    );
    assert_eq!(
        Lang::negotiate(None, Some("en-GB,en;q=0.9"), false),
        Lang::En
    );
    // q=0 means "not acceptable".
    assert_eq!(Lang::negotiate(None, Some("en;q=0, tr"), true), Lang::Tr);
    assert_eq!(Lang::negotiate(None, Some("en;q=0"), true), Lang::De);
    // Garbage is ignored.
    assert_eq!(Lang::negotiate(Some("xx"), Some(";;,q=,*"), true), Lang::De);
    assert_eq!(
        Lang::negotiate(None, Some("en;q=2, tr;q=0.1"), true),
        Lang::Tr
    );
    // Equal quality keeps the client's order.
    assert_eq!(Lang::negotiate(None, Some("tr, ar"), true), Lang::Tr);
}

#[test]
fn parse_and_names() {
    assert_eq!(Lang::parse("DE-at"), Some(Lang::De));
    assert_eq!(Lang::parse("uk_UA"), Some(Lang::Uk));
    assert_eq!(Lang::parse("fr"), None);
    assert_eq!(Lang::parse(""), None);
    for lang in Lang::ALL {
        assert_eq!(Lang::parse(lang.code()), Some(lang));
        assert!(!lang.native_name().is_empty());
    }
    assert_eq!(Lang::Ar.dir(), "rtl");
    assert_eq!(Lang::Tr.dir(), "ltr");
}

#[test]
fn lookup_falls_back_to_the_key() {
    assert_eq!(t(Lang::Uk, "no-such-key"), "no-such-key");
    assert_eq!(t(Lang::En, "sign-out"), "Sign out");
    assert_eq!(
        t_args(
            Lang::En,
            "error-password-short",
            &[("min", "12".to_owned())]
        ),
        "The password must be at least 12 characters long."
    );
}

#[test]
fn mails_fill_every_argument() {
    for lang in Lang::ALL {
        let body = mail_text(
            lang,
            "mail-invitation-body",
            &[
                ("authority", "Stadt Essen".to_owned()),
                ("link", "https://amtsweg.example/invitation/abc".to_owned()),
                ("days", "7".to_owned()),
            ],
        );
        assert!(body.contains("Stadt Essen"), "{}", lang.code());
        assert!(body.contains("https://amtsweg.example/invitation/abc"));
        assert!(body.contains('7'));
        assert!(
            !body.contains('{') && !body.contains("mail-"),
            "{}: {body}",
            lang.code()
        );
        let confirm = mail_text(
            lang,
            "mail-confirm-body",
            &[("link", "https://x.example/c".to_owned())],
        );
        assert!(confirm.contains("https://x.example/c"));
        assert!(!mail_text(lang, "mail-confirm-subject", &[]).is_empty());
        let subject = mail_text(
            lang,
            "mail-invitation-subject",
            &[("authority", "Stadt Essen".to_owned())],
        );
        assert!(subject.contains("Stadt Essen") && !subject.contains('\n'));
    }
}

#[test]
fn mails_use_plural_forms() {
    let body = |lang, days: &str| {
        mail_text(
            lang,
            "mail-invitation-body",
            &[
                ("authority", "Kreis Borken".to_owned()),
                ("link", "https://x.example/i".to_owned()),
                ("days", days.to_owned()),
            ],
        )
    };
    assert!(body(Lang::De, "1").contains("einen Tag gültig"));
    assert!(body(Lang::De, "7").contains("7 Tage gültig"));
    assert!(body(Lang::En, "1").contains("valid for one day."));
    assert!(body(Lang::Uk, "3").contains("3 дні"));
    assert!(body(Lang::Uk, "7").contains("7 днів"));
    assert!(body(Lang::Ar, "7").contains("7 أيام"));
}

#[test]
fn stylesheet_has_no_external_resources() {
    let css = crate::stylesheet();
    assert!(css.len() > 1000);
    assert!(!css.contains("url("), "no external resources in CSS");
    assert!(!css.contains("@import"));
}

/// Writes every page in every language to the folder named by `AMTSWEG_DUMP_PAGES`, with the
/// style sheet beside it, for a manual review in a browser (see docs/accessibility.md).
/// Does nothing without the variable.
#[test]
fn dump_pages_for_manual_review() {
    let Ok(dir) = std::env::var("AMTSWEG_DUMP_PAGES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(dir.join("static")).unwrap();
    std::fs::write(dir.join("static/app.css"), crate::stylesheet()).unwrap();
    for lang in Lang::ALL {
        for (name, html) in all_pages(lang) {
            let html = html.replace("href=\"/static/app.css\"", "href=\"static/app.css\"");
            std::fs::write(dir.join(format!("{name}.{}.html", lang.code())), html).unwrap();
        }
    }
}

/// The portal's own locale files (issue 4): same keys in every language, each key loads and
/// formats with every argument the pages pass.
const PORTAL_FILES: [(Lang, &str); 5] = [
    (Lang::De, include_str!("../locales/de/portal.ftl")),
    (Lang::En, include_str!("../locales/en/portal.ftl")),
    (Lang::Ar, include_str!("../locales/ar/portal.ftl")),
    (Lang::Uk, include_str!("../locales/uk/portal.ftl")),
    (Lang::Tr, include_str!("../locales/tr/portal.ftl")),
];

#[test]
fn portal_locale_files_have_the_same_keys_and_load() {
    let reference = ftl_keys(PORTAL_FILES[0].1);
    assert!(reference.len() > 100);
    let main = ftl_keys(LOCALE_FILES[0].1);
    assert!(
        reference.is_disjoint(&main),
        "portal.ftl repeats a key of main.ftl"
    );
    let args: Vec<(&str, String)> = [
        "amount",
        "authority",
        "count",
        "link",
        "minutes",
        "name",
        "page",
        "seconds",
        "time",
        "total",
    ]
    .iter()
    .map(|a| (*a, "1".to_owned()))
    .collect();
    for (lang, source) in PORTAL_FILES {
        let resource = fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned());
        assert!(
            resource.is_ok(),
            "{} portal.ftl has syntax errors",
            lang.code()
        );
        assert_eq!(
            ftl_keys(source),
            reference,
            "{} portal.ftl keys",
            lang.code()
        );
        for key in &reference {
            let text = t_args(lang, key, &args);
            assert!(
                text != *key && !text.contains("{$") && !text.contains("{ $"),
                "{}: {key} does not load or lacks an argument: {text}",
                lang.code()
            );
            if lang != Lang::De {
                let german = t_args(Lang::De, key, &args);
                assert!(
                    text != german
                        || text.chars().all(|c| !c.is_alphabetic())
                        || key.starts_with("intake-amount"),
                    "{}: {key} is still German",
                    lang.code()
                );
            }
        }
    }
    for key in amtsweg_intake_error_keys() {
        assert!(reference.contains(*key), "{key} missing in portal.ftl");
    }
}

/// The validation keys of `amtsweg-intake` (kept in sync by the intake crate's `ERROR_KEYS`;
/// listed here because the frontend does not depend on it).
fn amtsweg_intake_error_keys() -> &'static [&'static str] {
    &[
        "intake-error-required",
        "intake-error-too-long",
        "intake-error-characters",
        "intake-error-email",
        "intake-error-date",
        "intake-error-date-past",
        "intake-error-date-future",
        "intake-error-option",
        "intake-error-number",
        "intake-error-range",
        "intake-error-postal-code",
        "intake-error-document-number",
    ]
}

#[test]
fn portal_pages_render_in_every_language_and_arabic_is_rtl() {
    use crate::pages_portal;
    for lang in Lang::ALL {
        let c = ctx(lang, Area::Portal, "/portal/services");
        let card = ServiceCard {
            key: "residence-extension".into(),
            title: "T".into(),
            summary: "S".into(),
            fee: "93.00".into(),
        };
        let html = pages_portal::service_list(&c, std::slice::from_ref(&card));
        assert!(html.contains("93.00"));
        let step = FormStepView {
            action: "/x".into(),
            step_titles: vec!["A".into(), "B".into()],
            fields: vec![FormFieldView {
                key: "family_name".into(),
                kind: "text".into(),
                label: "Name".into(),
                required: true,
                ..FormFieldView::default()
            }],
            errors: errors(&[("family_name", "intake-error-required")]),
            ..FormStepView::default()
        };
        let html = pages_portal::form_step(&c, &step);
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains(&t(lang, "intake-error-required")));
        let review = pages_portal::review(&c, &ReviewView::default());
        assert!(review.contains("multipart/form-data"));
        let app = pages_portal::application(&c, &ApplicationView::default());
        assert!(app.contains(&t(lang, "intake-status-title")));
        if lang == Lang::Ar {
            assert!(html.contains("dir=\"rtl\""));
        }
    }
}

/// The case-processing locale files (issue 5): same keys in every language, disjoint from
/// main.ftl, each key loads through the bundle, and the staff languages are translated.
const CASES_FILES: [(Lang, &str); 5] = [
    (Lang::De, include_str!("../locales/de/cases.ftl")),
    (Lang::En, include_str!("../locales/en/cases.ftl")),
    (Lang::Ar, include_str!("../locales/ar/cases.ftl")),
    (Lang::Uk, include_str!("../locales/uk/cases.ftl")),
    (Lang::Tr, include_str!("../locales/tr/cases.ftl")),
];

#[test]
fn cases_locale_files_have_the_same_keys_and_load() {
    let reference = ftl_keys(CASES_FILES[0].1);
    assert!(reference.len() > 80);
    let main = ftl_keys(LOCALE_FILES[0].1);
    assert!(
        reference.is_disjoint(&main),
        "cases.ftl repeats a key of main.ftl"
    );
    for (lang, source) in CASES_FILES {
        let resource = fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned());
        assert!(
            resource.is_ok(),
            "{} cases.ftl has syntax errors",
            lang.code()
        );
        assert_eq!(
            ftl_keys(source),
            reference,
            "{} cases.ftl keys",
            lang.code()
        );
        let mut same_as_german = Vec::new();
        // Messages with arguments (mails, the applicant's notice) format with the known ones.
        let args: Vec<(&str, String)> = crate::i18n::KNOWN_ARGS
            .iter()
            .map(|name| (*name, "1".to_owned()))
            .collect();
        for key in &reference {
            let text = t_args(lang, key, &args);
            assert!(
                text != *key && crate::i18n::has_key(lang, key),
                "{}: {key} does not load",
                lang.code()
            );
            if lang == Lang::En && text == t_args(Lang::De, key, &args) {
                same_as_german.push(key.clone());
            }
        }
        // Words that are the same in both languages (Person, PIK, Scan) only.
        assert!(
            same_as_german.len() <= 4,
            "en: still German: {same_as_german:?}"
        );
    }
}

/// The scan-intake locale files (staff pages: German and English only): the same keys, disjoint
/// from main.ftl, every key loads, and English is translated.
const SCAN_FILES: [(Lang, &str); 2] = [
    (Lang::De, include_str!("../locales/de/scans.ftl")),
    (Lang::En, include_str!("../locales/en/scans.ftl")),
];

#[test]
fn scan_locale_files_have_the_same_keys_and_load() {
    let reference = ftl_keys(SCAN_FILES[0].1);
    assert!(reference.len() > 60);
    assert!(
        reference.is_disjoint(&ftl_keys(LOCALE_FILES[0].1)),
        "scans.ftl repeats a key of main.ftl"
    );
    for (lang, source) in SCAN_FILES {
        assert!(
            fluent_templates::fluent_bundle::FluentResource::try_new(source.to_owned()).is_ok(),
            "{} scans.ftl has syntax errors",
            lang.code()
        );
        assert_eq!(
            ftl_keys(source),
            reference,
            "{} scans.ftl keys",
            lang.code()
        );
        for key in &reference {
            assert!(has_key(lang, key), "{}: {key} does not load", lang.code());
        }
    }
    let args: Vec<(&str, String)> = crate::i18n::KNOWN_ARGS
        .iter()
        .map(|name| (*name, "1".to_owned()))
        .collect();
    // Words that are the same in both languages.
    let same_word = [
        "scan-col-device",
        "scan-col-text",
        "scan-device",
        "scan-type",
    ];
    let copies: Vec<_> = reference
        .iter()
        .filter(|k| t_args(Lang::De, k, &args) == t_args(Lang::En, k, &args))
        .filter(|k| !same_word.contains(&k.as_str()))
        .collect();
    assert!(copies.is_empty(), "English copies of German: {copies:?}");
}
