//! The page frame and the form building blocks every page shares.

use leptos::prelude::*;

use crate::i18n::{Lang, t, t_args};
use crate::model::{Area, FieldErrors, Flash, FlashKind, KioskLayout, PageContext};

/// Translates `key` (short alias used throughout the pages).
pub(crate) fn tr(lang: Lang, key: &str) -> String {
    t(lang, key)
}

/// Translates `key` with arguments.
pub(crate) fn tra(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    t_args(lang, key, args)
}

/// Translates a validation or flash message key. Messages may use `{ $min }` (the minimum
/// password length); it is always supplied, so such a message never falls back to its key.
pub(crate) fn message(lang: Lang, key: &str) -> String {
    t_args(lang, key, &[("min", crate::PASSWORD_MIN.to_string())])
}

/// The label key of a form field name, for the error summary.
fn field_label_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "email" => "field-email",
        "password" => "field-password",
        "password_confirm" => "field-password-confirm",
        "display_name" => "field-display-name",
        "code" => "field-totp-code",
        "role" => "field-role",
        "language" => "field-language",
        "feedback_message" => "field-feedback_message",
        "feedback_page" => "field-feedback_page",
        "feedback_contact" => "field-feedback_contact",
        _ => return None,
    })
}

/// The languages the language switch offers in an area.
pub(crate) fn area_langs(area: Area) -> &'static [Lang] {
    match area {
        Area::Public | Area::Portal => &Lang::ALL,
        Area::Workspace | Area::Operator | Area::Ministry => &Lang::STAFF,
    }
}

/// `path` with its `lang` query parameter replaced by `code`; other parameters are kept.
pub(crate) fn with_lang(path: &str, code: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let base = if base.is_empty() { "/" } else { base };
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && *p != "lang" && !p.starts_with("lang="))
        .collect();
    let lang_param = format!("lang={code}");
    params.push(&lang_param);
    format!("{base}?{}", params.join("&"))
}

/// The path part of a request path, without query or fragment.
fn path_only(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

/// Where the product name in the header leads.
pub(crate) fn area_home(area: Area) -> &'static str {
    match area {
        Area::Public => "/",
        Area::Portal => "/portal",
        Area::Workspace => "/workspace",
        Area::Operator => "/operator/tenants",
        Area::Ministry => "/ministry",
    }
}

/// The navigation entries of the area, as (href, message key).
fn nav_items(ctx: &PageContext) -> Vec<(&'static str, &'static str)> {
    let Some(user) = &ctx.user else {
        return Vec::new();
    };
    let mut items = Vec::new();
    match ctx.area {
        Area::Public => {}
        Area::Portal => {
            items.push(("/portal/account", "nav-portal-account"));
            items.push(("/portal/applications", "nav-portal-applications"));
        }
        Area::Workspace => {
            items.push(("/workspace", "nav-workspace-home"));
            items.push(("/workspace/intake", "nav-intake-inbox"));
            if user.can_manage_users {
                items.push(("/workspace/intake/settings", "nav-intake-settings"));
            }
            if user.can_manage_users {
                items.push(("/workspace/users", "nav-users"));
            }
            if user.can_view_audit {
                items.push(("/workspace/audit", "nav-audit"));
            }
            if user.can_manage_users {
                items.push(("/workspace/rollout", "nav-rollout"));
            }
        }
        Area::Operator => {
            items.push(("/operator/tenants", "nav-operator-tenants"));
            items.push(("/operator/audit", "nav-operator-audit"));
            items.push(("/operator/rollout", "nav-operator-rollout"));
            items.push(("/operator/feedback", "nav-operator-feedback"));
        }
        Area::Ministry => items.push(("/ministry", "nav-ministry")),
    }
    // Datenabgleich (issue 3): the staff who may run it, and the ministry's console.
    if ctx.area == Area::Workspace
        && matches!(user.role.as_str(), "tenant_admin" | "clerk" | "approver")
    {
        items.push(("/workspace/reconciliation", "nav-reconciliation"));
    }
    // Case processing (issue 5): worklists, persons, the e-file.
    if ctx.area == Area::Workspace
        && matches!(user.role.as_str(), "tenant_admin" | "clerk" | "approver")
    {
        items.push(("/workspace/cases", "nav-cases"));
        items.push(("/workspace/persons", "nav-persons"));
        items.push(("/workspace/documents", "nav-documents"));
        items.push(("/workspace/throughput", "nav-throughput"));
        if user.can_manage_users {
            items.push(("/workspace/processes", "nav-case-admin"));
        }
    }
    if ctx.area == Area::Ministry && user.is_ministry {
        items.push(("/ministry/reconciliation", "nav-ministry-reconciliation"));
    }
    items
}

/// Text for a `<textarea>`. Leptos writes a textarea's children unescaped (it treats the element
/// like `<script>`), but the browser decodes entities there, so a value typed by a user is escaped
/// here: otherwise `</textarea>` in the input would end the element and inject markup.
pub(crate) fn textarea_text(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The hidden CSRF field every POST form carries.
pub(crate) fn csrf_field(ctx: &PageContext) -> impl IntoView + use<> {
    let token = ctx.csrf.clone();
    view! { <input type="hidden" name="csrf" value=token /> }
}

/// A complete HTML document: frame, navigation, flash, `<main>` with `body`, footer. On a
/// self-service terminal the kiosk frame instead (see [`kiosk_document`]).
pub(crate) fn document(ctx: &PageContext, title: &str, body: impl IntoView + 'static) -> String {
    if let Some(kiosk) = &ctx.kiosk {
        return kiosk_document(ctx, kiosk, title, body);
    }
    let l = ctx.lang;
    let full_title = format!("{title} – {}", tr(l, "app-name"));
    let current = path_only(&ctx.path).to_owned();

    let nav: Vec<_> = nav_items(ctx)
        .into_iter()
        .map(|(href, key)| {
            let here = (current == href).then_some("page");
            view! { <li><a href=href aria-current=here>{tr(l, key)}</a></li> }
        })
        .collect();
    let nav = (!nav.is_empty()).then(|| {
        view! {
            <nav class="site-nav" aria-label=tr(l, "nav-main")>
                <ul>{nav}</ul>
            </nav>
        }
    });

    let user = ctx.user.as_ref().map(|u| {
        let sign_out = if ctx.area == Area::Portal {
            "/portal/sign-out"
        } else {
            "/sign-out"
        };
        let role = tr(l, &format!("role-{}", u.role));
        let tenant = u.tenant_name.clone().map(|name| view! { <span class="user-tenant">{name}</span> });
        view! {
            <div class="user-box">
                <p class="user-badge">
                    <span class="visually-hidden">{tr(l, "signed-in-as")} " "</span>
                    <span class="user-name">{u.display_name.clone()}</span>
                    <span class="user-role">{role}</span>
                    {tenant}
                </p>
                <form method="post" action=sign_out class="inline-form">
                    {csrf_field(ctx)}
                    <button type="submit" class="button button-secondary">{tr(l, "sign-out")}</button>
                </form>
            </div>
        }
    });

    let langs: Vec<_> = area_langs(ctx.area)
        .iter()
        .map(|lang| {
            let here = (*lang == l).then_some("true");
            let href = with_lang(&ctx.path, lang.code());
            view! {
                <li>
                    <a href=href lang=lang.code() hreflang=lang.code() dir=lang.dir() aria-current=here>
                        {lang.native_name()}
                    </a>
                </li>
            }
        })
        .collect();

    let flash = ctx.flash.as_ref().map(|f| flash_view(l, f));

    let page = view! {
        <html lang=l.code() dir=l.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <title>{full_title}</title>
                <link rel="stylesheet" href="/static/app.css" />
            </head>
            <body>
                <a class="skip-link" href="#main">{tr(l, "skip-to-main")}</a>
                <header class="site-header">
                    <div class="wrap header-row">
                        <a class="brand" href=area_home(ctx.area)>
                            <span class="brand-name">{tr(l, "app-name")}</span>
                            <span class="brand-tagline">{tr(l, "app-tagline")}</span>
                        </a>
                        {user}
                    </div>
                    <div class="wrap header-row header-row-nav">
                        {nav}
                        <nav class="lang-switch" aria-label=tr(l, "nav-language")>
                            <ul>{langs}</ul>
                        </nav>
                    </div>
                </header>
                <div class="wrap">{flash}</div>
                <main id="main" class="wrap" tabindex="-1">{body}</main>
                <footer class="site-footer">
                    <div class="wrap">
                        <ul class="footer-links">
                            <li><a href="/imprint">{tr(l, "footer-imprint")}</a></li>
                            <li><a href="/privacy">{tr(l, "footer-privacy")}</a></li>
                            <li><a href="/accessibility">{tr(l, "footer-accessibility")}</a></li>
                            <li><a href="/easy-german" lang="de">"Leichte Sprache"</a></li>
                        </ul>
                        <p class="footer-note">{tr(l, "footer-operator")}</p>
                    </div>
                </footer>
            </body>
        </html>
    };
    // Leptos marks text boundaries with empty `<!>` comments for hydration; these pages are
    // never hydrated, and user text is escaped, so every `<!>` is such a marker.
    let mut html = String::from("<!DOCTYPE html>");
    html.push_str(&page.to_html().replace("<!>", ""));
    html
}

/// Where a terminal's page goes by itself after the inactivity limit: it ends the session.
pub(crate) const KIOSK_TIMEOUT_PATH: &str = "/kiosk/signed-out";

/// The kiosk frame of a self-service terminal: no navigation out of the flow (no site
/// navigation, no footer links), only the start, sign-out and the language switch; large
/// targets (`body.kiosk` in the stylesheet); the time at which the page returns to the start by
/// itself, shown on every page; a warning 30 s before it with one button to continue
/// (`/static/kiosk.js`; without JavaScript a `<noscript>` refresh returns to the start, without
/// the warning; the server ends the session at the same time); and no form field the browser may
/// remember for the next person (`autocomplete="off"` everywhere).
fn kiosk_document(
    ctx: &PageContext,
    kiosk: &KioskLayout,
    title: &str,
    body: impl IntoView + 'static,
) -> String {
    let l = ctx.lang;
    let full_title = format!("{title} – {}", tr(l, "kiosk-name"));
    let refresh = format!("{};url={KIOSK_TIMEOUT_PATH}", kiosk.idle_seconds);
    let warn_seconds = kiosk.warn_seconds.to_string();
    let warn_attribute = warn_seconds.clone();
    // The seconds count down in an element of their own (kiosk.js); the translation places them
    // in its sentence, so it is formatted with a marker and split there.
    let warning_text = tra(l, "kiosk-warning-text", &[("seconds", "\u{0}".to_owned())]);
    let (before_seconds, after_seconds) = warning_text
        .split_once('\u{0}')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap_or((warning_text.clone(), String::new()));
    let sign_out = ctx.user.as_ref().map(|_| {
        view! {
            <li>
                <form method="post" action="/portal/sign-out" class="inline-form">
                    {csrf_field(ctx)}
                    <button type="submit" class="button button-secondary">{tr(l, "sign-out")}</button>
                </form>
            </li>
        }
    });
    let langs: Vec<_> = Lang::ALL
        .iter()
        .map(|lang| {
            let here = (*lang == l).then_some("true");
            let href = with_lang(&ctx.path, lang.code());
            view! {
                <li>
                    <a href=href lang=lang.code() hreflang=lang.code() dir=lang.dir() aria-current=here>
                        {lang.native_name()}
                    </a>
                </li>
            }
        })
        .collect();
    let flash = ctx.flash.as_ref().map(|f| flash_view(l, f));
    let minutes = kiosk.idle_seconds.div_ceil(60).to_string();
    let hint = tra(
        l,
        "kiosk-idle-hint",
        &[("minutes", minutes), ("time", kiosk.ends_at.clone())],
    );
    let page = view! {
        <html lang=l.code() dir=l.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <noscript><meta http-equiv="refresh" content=refresh /></noscript>
                <title>{full_title}</title>
                <link rel="stylesheet" href="/static/app.css" />
            </head>
            <body class="kiosk">
                <a class="skip-link" href="#main">{tr(l, "skip-to-main")}</a>
                <header class="site-header">
                    <div class="wrap header-row">
                        <p class="brand">
                            <span class="brand-name">{tr(l, "app-name")}</span>
                            <span class="brand-tagline">{tr(l, "kiosk-name")}</span>
                        </p>
                        <nav class="kiosk-actions" aria-label=tr(l, "kiosk-nav")>
                            <ul>
                                <li><a class="button" href="/kiosk">{tr(l, "kiosk-start")}</a></li>
                                {sign_out}
                            </ul>
                        </nav>
                    </div>
                    <div class="wrap header-row header-row-nav">
                        <nav class="lang-switch" aria-label=tr(l, "nav-language")>
                            <ul>{langs}</ul>
                        </nav>
                    </div>
                </header>
                <div class="wrap">{flash}</div>
                <main id="main" class="wrap" tabindex="-1">{body}</main>
                <footer class="site-footer">
                    <div class="wrap">
                        <p class="kiosk-idle" id="kiosk-idle">{hint}</p>
                    </div>
                </footer>
                <dialog
                    id="kiosk-warning"
                    class="kiosk-warning"
                    role="alertdialog"
                    aria-labelledby="kiosk-warning-title"
                    aria-describedby="kiosk-warning-text"
                    data-idle-seconds=kiosk.idle_seconds.to_string()
                    data-warn-seconds=warn_attribute
                >
                    <h2 id="kiosk-warning-title">{tr(l, "kiosk-warning-title")}</h2>
                    <p id="kiosk-warning-text">
                        {before_seconds}<span id="kiosk-warning-seconds">{warn_seconds}</span>{after_seconds}
                    </p>
                    <button type="button" class="button" id="kiosk-continue" autofocus>
                        {tr(l, "kiosk-warning-continue")}
                    </button>
                </dialog>
                <script src="/static/kiosk.js" defer></script>
            </body>
        </html>
    };
    let mut html = String::from("<!DOCTYPE html>");
    html.push_str(&forget_inputs(&page.to_html().replace("<!>", "")));
    html
}

/// Every form and field of a kiosk page with `autocomplete="off"`: the pages ask for the usual
/// autofill tokens (`email`, `bday`, …), which a shared terminal must not keep for the next
/// person. Only attributes are rewritten: the scan follows tags and their quoted values, so text
/// (escaped, without `<`) and attribute values are never touched.
fn forget_inputs(html: &str) -> String {
    const ATTR: &str = "autocomplete=\"";
    let mut out = String::with_capacity(html.len() + 256);
    let (mut in_tag, mut in_quote) = (false, false);
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if in_tag && !in_quote && rest.starts_with(ATTR) {
            let value_len = rest[ATTR.len()..].find('"').unwrap_or(0);
            out.push_str(ATTR);
            out.push_str("off\"");
            i += ATTR.len() + value_len + 1;
            continue;
        }
        if !in_tag && rest.starts_with("<form ") {
            out.push_str("<form autocomplete=\"off\" ");
            i += "<form ".len();
            in_tag = true;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '<' if !in_tag => in_tag = true,
            '"' if in_tag => in_quote = !in_quote,
            '>' if in_tag && !in_quote => in_tag = false,
            _ => {}
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn flash_view(l: Lang, flash: &Flash) -> impl IntoView + use<> {
    let (class, role) = match flash.kind {
        FlashKind::Success => ("flash flash-success", "status"),
        FlashKind::Info => ("flash flash-info", "status"),
        FlashKind::Error => ("flash flash-error", "alert"),
    };
    view! { <div class=class role=role><p>{message(l, &flash.key)}</p></div> }
}

/// The id of a form field's input.
pub(crate) fn field_id(name: &str) -> String {
    format!("field-{name}")
}

/// The error summary at the top of a form: a heading and a link to every field with an error.
/// Renders nothing without errors.
pub(crate) fn error_summary(
    l: Lang,
    errors: &FieldErrors,
    general: Option<&str>,
) -> Option<impl IntoView + use<>> {
    if errors.is_empty() && general.is_none() {
        return None;
    }
    let general = general.map(|key| view! { <li>{message(l, key)}</li> });
    let items: Vec<_> = errors
        .iter()
        .map(|(field, key)| {
            let href = format!("#{}", field_id(field));
            let text = match field_label_key(field) {
                Some(label) => format!("{}: {}", tr(l, label), message(l, key)),
                None => message(l, key),
            };
            view! { <li><a href=href>{text}</a></li> }
        })
        .collect();
    Some(view! {
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
            <h2 id="error-summary-title">{tr(l, "error-summary-title")}</h2>
            <ul>{general}{items}</ul>
        </div>
    })
}

/// One input of a form with its label, hint and error.
#[derive(Debug, Clone, Default)]
pub(crate) struct Input {
    pub name: &'static str,
    pub label_key: &'static str,
    pub input_type: &'static str,
    pub value: String,
    pub autocomplete: Option<&'static str>,
    pub required: bool,
    /// An already translated hint shown under the label.
    pub hint: Option<String>,
    pub inputmode: Option<&'static str>,
    pub maxlength: Option<&'static str>,
    pub spellcheck_off: bool,
}

impl Input {
    pub fn new(name: &'static str, label_key: &'static str, input_type: &'static str) -> Self {
        Input {
            name,
            label_key,
            input_type,
            ..Input::default()
        }
    }
    pub fn value(mut self, value: &str) -> Self {
        self.value = value.to_owned();
        self
    }
    pub fn autocomplete(mut self, value: &'static str) -> Self {
        self.autocomplete = Some(value);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn inputmode(mut self, mode: &'static str) -> Self {
        self.inputmode = Some(mode);
        self
    }
    pub fn maxlength(mut self, max: &'static str) -> Self {
        self.maxlength = Some(max);
        self
    }
    pub fn no_spellcheck(mut self) -> Self {
        self.spellcheck_off = true;
        self
    }
}

/// The label of a field, with the required marker.
fn label_view(l: Lang, id: &str, label_key: &str, required: bool) -> impl IntoView + use<> {
    let marker = required
        .then(|| view! { <span class="required-marker">" (" {tr(l, "required")} ")"</span> });
    let id = id.to_owned();
    view! { <label class="label" for=id>{tr(l, label_key)}{marker}</label> }
}

/// Hint and error ids for `aria-describedby`, and the views for them.
struct Described {
    describedby: Option<String>,
    hint: Option<AnyView>,
    error: Option<AnyView>,
    invalid: bool,
}

fn described(l: Lang, id: &str, hint: Option<String>, error_key: Option<&String>) -> Described {
    let mut ids = Vec::new();
    let hint = hint.map(|text| {
        let hint_id = format!("{id}-hint");
        ids.push(hint_id.clone());
        view! { <p class="hint" id=hint_id>{text}</p> }.into_any()
    });
    let error = error_key.map(|key| {
        let error_id = format!("{id}-error");
        ids.push(error_id.clone());
        view! {
            <p class="field-error" id=error_id>
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>
                {message(l, key)}
            </p>
        }
        .into_any()
    });
    Described {
        describedby: (!ids.is_empty()).then(|| ids.join(" ")),
        hint,
        error,
        invalid: error_key.is_some(),
    }
}

/// A labelled input with hint and error message.
pub(crate) fn input_field(l: Lang, errors: &FieldErrors, input: Input) -> impl IntoView + use<> {
    let id = field_id(input.name);
    let d = described(l, &id, input.hint, errors.get(input.name));
    let value = (!input.value.is_empty()).then_some(input.value);
    let class = if d.invalid {
        "input input-error"
    } else {
        "input"
    };
    // Addresses and codes read left to right in every language.
    let ltr = (input.input_type == "email" || input.inputmode == Some("numeric")).then_some("ltr");
    view! {
        <div class=if d.invalid { "field field-has-error" } else { "field" }>
            {label_view(l, &id, input.label_key, input.required)}
            {d.hint}
            {d.error}
            <input
                class=class
                id=id
                name=input.name
                type=input.input_type
                value=value
                autocomplete=input.autocomplete
                inputmode=input.inputmode
                maxlength=input.maxlength
                spellcheck=input.spellcheck_off.then_some("false")
                autocapitalize=input.spellcheck_off.then_some("none")
                dir=ltr
                required=input.required
                aria-required=input.required.then_some("true")
                aria-invalid=d.invalid.then_some("true")
                aria-describedby=d.describedby
            />
        </div>
    }
}

/// A labelled multi-line text field; the value is escaped (see [`textarea_text`]).
pub(crate) fn textarea_field(
    l: Lang,
    errors: &FieldErrors,
    input: Input,
    rows: &'static str,
) -> impl IntoView + use<> {
    let id = field_id(input.name);
    let d = described(l, &id, input.hint, errors.get(input.name));
    let class = if d.invalid {
        "input input-error"
    } else {
        "input"
    };
    view! {
        <div class=if d.invalid { "field field-has-error" } else { "field" }>
            {label_view(l, &id, input.label_key, input.required)}
            {d.hint}
            {d.error}
            <textarea
                class=class
                id=id
                name=input.name
                rows=rows
                maxlength=input.maxlength
                required=input.required
                aria-required=input.required.then_some("true")
                aria-invalid=d.invalid.then_some("true")
                aria-describedby=d.describedby
            >{textarea_text(&input.value)}</textarea>
        </div>
    }
}

/// A labelled select with (value, translated label) options.
#[allow(clippy::too_many_arguments)]
pub(crate) fn select_field(
    l: Lang,
    errors: &FieldErrors,
    name: &'static str,
    label_key: &'static str,
    options: Vec<(String, String)>,
    selected: &str,
    required: bool,
    hint: Option<String>,
) -> impl IntoView + use<> {
    let id = field_id(name);
    let d = described(l, &id, hint, errors.get(name));
    let options: Vec<_> = options
        .into_iter()
        .map(|(value, label)| {
            let is_selected = value == selected;
            view! { <option value=value selected=is_selected>{label}</option> }
        })
        .collect();
    view! {
        <div class=if d.invalid { "field field-has-error" } else { "field" }>
            {label_view(l, &id, label_key, required)}
            {d.hint}
            {d.error}
            <select
                class="select"
                id=id
                name=name
                required=required
                aria-required=required.then_some("true")
                aria-invalid=d.invalid.then_some("true")
                aria-describedby=d.describedby
            >
                {options}
            </select>
        </div>
    }
}

/// How a table looks beyond its content.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TableStyle {
    /// The last column holds numbers: its header aligns with them at the end.
    pub numeric_last: bool,
    /// A heading right above already says what the caption says: keep the caption for
    /// screen readers only.
    pub hidden_caption: bool,
}

/// A table wrapped in a keyboard-focusable region so that it scrolls on narrow screens instead
/// of breaking the layout; the caption names the region.
pub(crate) fn table_region(
    id: &str,
    caption: String,
    head: Vec<String>,
    rows: Vec<AnyView>,
) -> impl IntoView + use<> {
    table_region_styled(id, caption, head, rows, TableStyle::default())
}

/// [`table_region`] with a [`TableStyle`].
pub(crate) fn table_region_styled(
    id: &str,
    caption: String,
    head: Vec<String>,
    rows: Vec<AnyView>,
    style: TableStyle,
) -> impl IntoView + use<> {
    let last = head.len().saturating_sub(1);
    let caption_id = format!("{id}-caption");
    let region_labelledby = caption_id.clone();
    let head: Vec<_> = head
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let class = (style.numeric_last && i == last).then_some("num");
            view! { <th scope="col" class=class>{h}</th> }
        })
        .collect();
    let caption_class = style.hidden_caption.then_some("visually-hidden");
    view! {
        <div class="table-wrap" role="region" aria-labelledby=region_labelledby tabindex="0">
            <table class="table" id=id.to_owned()>
                <caption id=caption_id class=caption_class>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Translated yes/no.
pub(crate) fn yes_no(l: Lang, value: bool) -> String {
    tr(l, if value { "yes" } else { "no" })
}

/// The page heading with an optional lead paragraph.
pub(crate) fn heading(title: String, lead: Option<String>) -> impl IntoView + use<> {
    let lead = lead.map(|text| view! { <p class="lead">{text}</p> });
    view! {
        <h1>{title}</h1>
        {lead}
    }
}
