//! Pages of the applicant portal's intake (find a service, responsible authority, form steps,
//! review with evidence and payment, receipt and status) and the staff intake inbox.
//! Texts: `locales/<lang>/portal.ftl`; catalog texts arrive translated in the view models.

use leptos::prelude::*;

use crate::components::{
    csrf_field, document, error_summary, field_id, heading, message, textarea_text, tr, tra,
};
use crate::model::*;

/// One form field with label, hint and error, following the pattern of `input_field`.
fn form_field(l: Lang, errors: &FieldErrors, f: &FormFieldView) -> AnyView {
    let id = field_id(&f.key);
    let error_key = errors.get(&f.key).cloned();
    let invalid = error_key.is_some();
    let mut described = Vec::new();
    let hint = f.hint.clone().map(|text| {
        let hint_id = format!("{id}-hint");
        described.push(hint_id.clone());
        view! { <p class="hint" id=hint_id>{text}</p> }
    });
    let error = error_key.map(|key| {
        let error_id = format!("{id}-error");
        described.push(error_id.clone());
        view! {
            <p class="field-error" id=error_id>
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>
                {message(l, &key)}
            </p>
        }
    });
    let describedby = (!described.is_empty()).then(|| described.join(" "));
    let required = f.required;
    let marker = required
        .then(|| view! { <span class="required-marker">" (" {tr(l, "required")} ")"</span> });
    let field_class = if invalid {
        "field field-has-error"
    } else {
        "field"
    };
    let name = f.key.clone();
    let value = f.value.clone();
    let aria_invalid = invalid.then_some("true");
    let aria_required = required.then_some("true");
    match f.kind.as_str() {
        "select" | "yes-no" => {
            let options: Vec<(String, String)> = if f.kind == "yes-no" {
                vec![
                    ("yes".to_owned(), tr(l, "yes")),
                    ("no".to_owned(), tr(l, "no")),
                ]
            } else {
                f.options.clone()
            };
            let choose = tr(l, "intake-choose");
            let options: Vec<_> = options
                .into_iter()
                .map(|(v, label)| {
                    let selected = v == value;
                    view! { <option value=v selected=selected>{label}</option> }
                })
                .collect();
            view! {
                <div class=field_class>
                    <label class="label" for=id.clone()>{f.label.clone()}{marker}</label>
                    {hint}
                    {error}
                    <select class="select" id=id name=name required=required
                        aria-required=aria_required aria-invalid=aria_invalid aria-describedby=describedby>
                        <option value="">{choose}</option>
                        {options}
                    </select>
                </div>
            }
            .into_any()
        }
        "text-area" => view! {
            <div class=field_class>
                <label class="label" for=id.clone()>{f.label.clone()}{marker}</label>
                {hint}
                {error}
                <textarea class="input textarea" id=id name=name rows="5" required=required
                    aria-required=aria_required aria-invalid=aria_invalid aria-describedby=describedby>{textarea_text(&value)}</textarea>
            </div>
        }
        .into_any(),
        kind => {
            let (input_type, inputmode, ltr) = match kind {
                "date" => ("text", None, true),
                "number" => ("text", Some("numeric"), true),
                "postal-code" => ("text", Some("numeric"), true),
                "email" => ("email", None, true),
                "document-number" => ("text", None, true),
                _ => ("text", None, false),
            };
            let class = if invalid {
                "input input-error"
            } else {
                "input"
            };
            let value = (!value.is_empty()).then_some(value);
            view! {
                <div class=field_class>
                    <label class="label" for=id.clone()>{f.label.clone()}{marker}</label>
                    {hint}
                    {error}
                    <input class=class id=id name=name type=input_type value=value
                        inputmode=inputmode autocomplete=f.autocomplete.clone()
                        dir=ltr.then_some("ltr") required=required
                        aria-required=aria_required aria-invalid=aria_invalid aria-describedby=describedby />
                </div>
            }
            .into_any()
        }
    }
}

/// The summary of field errors with the field labels of this form.
fn form_errors(l: Lang, errors: &FieldErrors, fields: &[FormFieldView]) -> Option<AnyView> {
    if errors.is_empty() {
        return None;
    }
    let items: Vec<_> = errors
        .iter()
        .map(|(key, msg)| {
            let label = fields
                .iter()
                .find(|f| &f.key == key)
                .map(|f| f.label.clone())
                .unwrap_or_else(|| key.clone());
            let href = format!("#{}", field_id(key));
            view! { <li><a href=href>{format!("{label}: {}", message(l, msg))}</a></li> }
        })
        .collect();
    Some(
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title">{tr(l, "error-summary-title")}</h2>
                <ul>{items}</ul>
            </div>
        }
        .into_any(),
    )
}

fn euro(l: Lang, amount: &str) -> String {
    tra(l, "intake-amount", &[("amount", amount.to_owned())])
}

/// The statewide service catalog (GET /portal/services).
pub fn service_list(ctx: &PageContext, services: &[ServiceCard]) -> String {
    let l = ctx.lang;
    let items: Vec<_> = services
        .iter()
        .map(|s| {
            let href = format!("/portal/services/{}", s.key);
            let fee = tra(l, "intake-fee-from", &[("amount", s.fee.clone())]);
            view! {
                <li class="card">
                    <h2><a href=href>{s.title.clone()}</a></h2>
                    <p>{s.summary.clone()}</p>
                    <p class="hint">{fee}</p>
                </li>
            }
        })
        .collect();
    let body = view! {
        {heading(tr(l, "intake-services-title"), Some(tr(l, "intake-services-lead")))}
        <ul class="card-list">{items}</ul>
    };
    document(ctx, &tr(l, "intake-services-title"), body)
}

/// A service and the question where the applicant lives (GET /portal/services/{key}).
pub fn service_start(ctx: &PageContext, page: &ServiceStart) -> String {
    let l = ctx.lang;
    let s = &page.service;
    let action = format!("/portal/services/{}", s.key);
    let mut errors = FieldErrors::new();
    if let Some(key) = &page.place_error {
        errors.insert("place".into(), key.clone());
    }
    let place_field = FormFieldView {
        key: "place".into(),
        kind: "text".into(),
        label: tr(l, "intake-place-label"),
        hint: Some(tr(l, "intake-place-hint")),
        value: page.place.clone(),
        required: true,
        options: Vec::new(),
        autocomplete: Some("postal-code".into()),
    };
    let start_action = format!("/portal/services/{}/start", s.key);
    let authorities = match page.authorities.len() {
        0 => None,
        1 => {
            let a = page.authorities[0].clone();
            let text = tra(
                l,
                "intake-authority-found",
                &[("authority", a.name.clone())],
            );
            let start = if page.signed_in {
                view! {
                    <form method="post" action=start_action class="form">
                        {csrf_field(ctx)}
                        <input type="hidden" name="tenant" value=a.tenant_id />
                        <button type="submit" class="button">{tr(l, "intake-start")}</button>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <p>{tr(l, "intake-sign-in-first")}</p>
                    <div class="button-row">
                        <a class="button" href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a>
                        <a class="button button-secondary" href="/portal/register">{tr(l, "portal-register-link")}</a>
                    </div>
                }
                .into_any()
            };
            let notes: Vec<_> = page
                .tenant_notes
                .iter()
                .map(|n| view! { <p class="hint">{n.clone()}</p> })
                .collect();
            Some(
                view! {
                    <section class="card" aria-labelledby="authority-title">
                        <h2 id="authority-title">{tr(l, "intake-authority-title")}</h2>
                        <p role="status">{text}</p>
                        {notes}
                        {start}
                    </section>
                }
                .into_any(),
            )
        }
        _ => {
            let options: Vec<_> = page
                .authorities
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let id = format!("tenant-{i}");
                    let checked = i == 0;
                    view! {
                        <div class="radio">
                            <input type="radio" id=id.clone() name="tenant" value=a.tenant_id.clone() checked=checked />
                            <label for=id>{a.name.clone()}</label>
                        </div>
                    }
                })
                .collect();
            let submit = if page.signed_in {
                view! { <button type="submit" class="button">{tr(l, "intake-start")}</button> }
                    .into_any()
            } else {
                view! { <p><a class="button" href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a></p> }
                    .into_any()
            };
            Some(
                view! {
                    <section class="card" aria-labelledby="authority-title">
                        <h2 id="authority-title">{tr(l, "intake-authority-title")}</h2>
                        <form method="post" action=start_action class="form">
                            {csrf_field(ctx)}
                            <fieldset>
                                <legend>{tr(l, "intake-authority-several")}</legend>
                                {options}
                            </fieldset>
                            {submit}
                        </form>
                    </section>
                }
                .into_any(),
            )
        }
    };
    let fee = tra(l, "intake-fee-from", &[("amount", s.fee.clone())]);
    let fields = vec![place_field.clone()];
    let body = view! {
        {heading(s.title.clone(), Some(s.summary.clone()))}
        <p>{fee}</p>
        {form_errors(l, &errors, &fields)}
        <form method="get" action=action class="form" novalidate>
            {form_field(l, &errors, &place_field)}
            <button type="submit" class="button button-secondary">{tr(l, "intake-place-find")}</button>
        </form>
        {authorities}
    };
    document(ctx, &s.title, body)
}

/// One step of the application form.
pub fn form_step(ctx: &PageContext, page: &FormStepView) -> String {
    let l = ctx.lang;
    let total = page.step_titles.len();
    let progress: Vec<_> = page
        .step_titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let current = (i == page.step).then_some("step");
            view! { <li aria-current=current>{t.clone()}</li> }
        })
        .collect();
    let counter = tra(
        l,
        "intake-step-of",
        &[
            ("page", (page.step + 1).to_string()),
            ("total", total.to_string()),
        ],
    );
    let title = page.step_titles.get(page.step).cloned().unwrap_or_default();
    let fields: Vec<_> = page
        .fields
        .iter()
        .map(|f| form_field(l, &page.errors, f))
        .collect();
    let back = page.back_href.clone().map(|href| {
        view! { <a class="button button-secondary" href=href>{tr(l, "intake-back")}</a> }
    });
    let body = view! {
        <p class="hint">{page.service_title.clone()} " · " {page.authority_name.clone()}</p>
        <h1>{title.clone()}</h1>
        <nav aria-label=tr(l, "intake-steps")>
            <ol class="steps">{progress}</ol>
        </nav>
        <p>{counter}</p>
        {form_errors(l, &page.errors, &page.fields)}
        <form method="post" action=page.action.clone() class="form" novalidate>
            {csrf_field(ctx)}
            {fields}
            <div class="button-row">
                {back}
                <button type="submit" name="intent" value="next" class="button">{tr(l, "intake-continue")}</button>
                <button type="submit" name="intent" value="save" class="button button-secondary">{tr(l, "intake-save-later")}</button>
            </div>
        </form>
    };
    document(ctx, &title, body)
}

/// The review page with evidence upload, payment and submission.
pub fn review(ctx: &PageContext, page: &ReviewView) -> String {
    let l = ctx.lang;
    let sections: Vec<_> = page
        .sections
        .iter()
        .map(|s| {
            let rows: Vec<_> = s
                .rows
                .iter()
                .map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd>{v.clone()}</dd></div> })
                .collect();
            let edit = tra(l, "intake-edit", &[("name", s.title.clone())]);
            view! {
                <section>
                    <h2>{s.title.clone()}</h2>
                    <dl class="summary-list">{rows}</dl>
                    <p><a href=s.edit_href.clone()>{edit}</a></p>
                </section>
            }
        })
        .collect();
    let check = (!page.quick_check.is_empty()).then(|| {
        let items: Vec<_> = page
            .quick_check
            .iter()
            .map(|a| view! { <li>{a.clone()}</li> })
            .collect();
        view! {
            <section class="card" aria-labelledby="check-title">
                <h2 id="check-title">{tr(l, "intake-quick-check-title")}</h2>
                <p>{tr(l, "intake-quick-check-lead")}</p>
                <ul class="bullets">{items}</ul>
            </section>
        }
    });
    let slots: Vec<_> = page
        .evidence
        .iter()
        .map(|slot| {
            let docs: Vec<_> = slot
                .documents
                .iter()
                .map(|(name, size, delete)| {
                    let label = tra(l, "intake-remove", &[("name", name.clone())]);
                    view! {
                        <li>
                            <span dir="auto">{name.clone()}</span> " (" {size.clone()} ") "
                            <form method="post" action=delete.clone() class="inline-form">
                                {csrf_field(ctx)}
                                <button type="submit" class="button button-secondary" aria-label=label>{tr(l, "intake-remove-short")}</button>
                            </form>
                        </li>
                    }
                })
                .collect();
            let status = if slot.documents.is_empty() {
                if slot.required {
                    tr(l, "intake-evidence-missing")
                } else {
                    tr(l, "intake-evidence-optional")
                }
            } else {
                tr(l, "intake-evidence-present")
            };
            view! {
                <li>
                    <strong>{slot.label.clone()}</strong> " – " {status}
                    <ul>{docs}</ul>
                </li>
            }
        })
        .collect();
    let evidence_options: Vec<_> = page
        .evidence
        .iter()
        .map(|s| view! { <option value=s.key.clone()>{s.label.clone()}</option> })
        .collect();
    let upload_hint = tra(
        l,
        "intake-upload-hint",
        &[("count", page.max_upload_mb.to_string())],
    );
    let upload_error = page.errors.get("file").map(|key| {
        view! {
            <p class="field-error" id="field-file-error">
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>{message(l, key)}
            </p>
        }
    });
    let file_invalid = page.errors.contains_key("file").then_some("true");
    let file_described = if page.errors.contains_key("file") {
        "field-file-hint field-file-error"
    } else {
        "field-file-hint"
    };
    let exemption = page
        .exemption
        .clone()
        .map(|key| view! { <p>{tr(l, &key)}</p> });
    let payment_state = page
        .payment_state
        .clone()
        .map(|key| view! { <p role="status">{tr(l, &key)}</p> });
    let pay = (page.fee_due && !page.paid).then(|| {
        view! {
            <form method="post" action=page.pay_action.clone() class="form">
                {csrf_field(ctx)}
                <button type="submit" class="button">{tr(l, "intake-pay")}</button>
            </form>
        }
    });
    let problems = (!page.problems.is_empty()).then(|| {
        let items: Vec<_> = page
            .problems
            .iter()
            .map(|k| view! { <li>{message(l, k)}</li> })
            .collect();
        view! {
            <div class="error-summary" role="alert" aria-labelledby="problems-title" tabindex="-1">
                <h2 id="problems-title">{tr(l, "error-summary-title")}</h2>
                <ul>{items}</ul>
            </div>
        }
    });
    let fee_line = euro(l, &page.fee);
    let body = view! {
        <p class="hint">{page.service_title.clone()} " · " {page.authority_name.clone()}</p>
        {heading(tr(l, "intake-review-title"), Some(tr(l, "intake-review-lead")))}
        {problems}
        {check}
        {sections}
        <section aria-labelledby="evidence-title">
            <h2 id="evidence-title">{tr(l, "intake-evidence-title")}</h2>
            <ul class="bullets">{slots}</ul>
            <form method="post" action=page.upload_action.clone() enctype="multipart/form-data" class="form">
                {csrf_field(ctx)}
                <div class="field">
                    <label class="label" for="field-evidence_key">{tr(l, "intake-evidence-kind")}</label>
                    <select class="select" id="field-evidence_key" name="evidence_key">{evidence_options}</select>
                </div>
                <div class=if file_invalid.is_some() { "field field-has-error" } else { "field" }>
                    <label class="label" for="field-file">{tr(l, "intake-file")}</label>
                    <p class="hint" id="field-file-hint">{upload_hint}</p>
                    {upload_error}
                    <input class="input" type="file" id="field-file" name="file"
                        accept="application/pdf,image/jpeg,image/png"
                        aria-invalid=file_invalid aria-describedby=file_described />
                </div>
                <button type="submit" class="button button-secondary">{tr(l, "intake-upload")}</button>
            </form>
        </section>
        <section aria-labelledby="fee-title">
            <h2 id="fee-title">{tr(l, "intake-fee-title")}</h2>
            <p>{fee_line}</p>
            <p class="hint">{page.fee_legal.clone()}</p>
            {exemption}
            {payment_state}
            {pay}
        </section>
        <section aria-labelledby="submit-title">
            <h2 id="submit-title">{tr(l, "intake-submit-title")}</h2>
            <p>{tr(l, "intake-submit-lead")}</p>
            <form method="post" action=page.submit_action.clone() class="form">
                {csrf_field(ctx)}
                <input type="hidden" name="idempotency_key" value=page.idempotency_key.clone() />
                <button type="submit" class="button">{tr(l, "intake-submit")}</button>
            </form>
        </section>
    };
    document(ctx, &tr(l, "intake-review-title"), body)
}

/// The steps an application goes through, in plain language.
const STATUS_STEPS: [&str; 5] = [
    "submitted",
    "in_progress",
    "decided",
    "ready_for_pickup",
    "closed",
];

/// The application's status page (also the receipt page right after submitting).
/// The documents a reply carried, linked where the reader may download them.
fn attachments(l: Lang, m: &MessageView) -> Option<AnyView> {
    if m.attachments.is_empty() {
        return None;
    }
    let items: Vec<_> = m
        .attachments
        .iter()
        .map(|(name, href)| match href {
            Some(h) => {
                view! { <li><a href=h.clone() dir="auto">{name.clone()}</a></li> }.into_any()
            }
            None => view! { <li dir="auto">{name.clone()}</li> }.into_any(),
        })
        .collect();
    Some(
        view! {
            <p class="hint">{tr(l, "intake-reply-attachments")}</p>
            <ul class="bullets">{items}</ul>
        }
        .into_any(),
    )
}

/// The optional document of a reply, with its error next to it.
fn file_field(l: Lang, errors: &FieldErrors) -> AnyView {
    let error = errors.get("file").cloned().map(|key| {
        view! {
            <p class="field-error" id="field-reply-file-error">
                <span class="visually-hidden">{tr(l, "error-prefix")} " "</span>
                {message(l, &key)}
            </p>
        }
    });
    let invalid = error.is_some();
    let described = if invalid {
        "field-reply-file-hint field-reply-file-error"
    } else {
        "field-reply-file-hint"
    };
    view! {
        <div class=if invalid { "field field-has-error" } else { "field" }>
            <label class="label" for="field-reply-file">{tr(l, "intake-reply-file")}</label>
            <p class="hint" id="field-reply-file-hint">{tr(l, "intake-reply-file-hint")}</p>
            {error}
            <input class="input" id="field-reply-file" name="file" type="file"
                accept="application/pdf,image/jpeg,image/png" aria-describedby=described
                aria-invalid=invalid.then_some("true") />
        </div>
    }
    .into_any()
}

pub fn application(ctx: &PageContext, page: &ApplicationView) -> String {
    let l = ctx.lang;
    let current = STATUS_STEPS
        .iter()
        .position(|s| *s == page.state)
        .unwrap_or(1);
    let steps: Vec<_> = STATUS_STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let here = (i == current).then_some("step");
            let class = if i < current {
                "done"
            } else if i == current {
                "current"
            } else {
                "todo"
            };
            view! {
                <li class=class aria-current=here>
                    <strong>{tr(l, &format!("intake-state-{s}"))}</strong>
                    " – " {tr(l, &format!("intake-state-{s}-text"))}
                </li>
            }
        })
        .collect();
    let awaiting = (page.state == "awaiting_applicant")
        .then(|| view! { <p class="flash flash-info">{tr(l, "intake-state-awaiting_applicant-text")}</p> });
    let evidence: Vec<_> = page
        .evidence
        .iter()
        .map(|e| view! { <li dir="auto">{e.clone()}</li> })
        .collect();
    let messages: Vec<_> = page
        .messages
        .iter()
        .map(|m| {
            let who = if m.from_authority {
                tr(l, "intake-message-from-authority")
            } else {
                tr(l, "intake-message-from-you")
            };
            let due = m
                .due
                .clone()
                .map(|d| view! { <p><strong>{tra(l, "intake-message-due", &[("name", d)])}</strong></p> });
            let document = m.document_href.clone().map(|href| {
                view! { <p><a href=href download="">{tr(l, "cases-notice-download")}</a></p> }
            });
            view! {
                <li class="card">
                    <p class="hint">{who} " · " {m.at.clone()}</p>
                    <p dir="auto">{m.body.clone()}</p>
                    {due}
                    {attachments(l, m)}
                    {document}
                </li>
            }
        })
        .collect();
    let reply_field = FormFieldView {
        key: "body".into(),
        kind: "text-area".into(),
        label: tr(l, "intake-reply-label"),
        required: true,
        ..FormFieldView::default()
    };
    let appointments: Vec<_> = page
        .appointments
        .iter()
        .map(|(label, _, cancel)| {
            view! {
                <li>
                    {label.clone()} " "
                    <form method="post" action=cancel.clone() class="inline-form">
                        {csrf_field(ctx)}
                        <button type="submit" class="button button-secondary">{tr(l, "intake-cancel-appointment")}</button>
                    </form>
                </li>
            }
        })
        .collect();
    let booking = (!page.slots.is_empty()).then(|| {
        let options: Vec<_> = page
            .slots
            .iter()
            .map(|(v, label)| view! { <option value=v.clone()>{label.clone()}</option> })
            .collect();
        view! {
            <form method="post" action=page.book_action.clone() class="form">
                {csrf_field(ctx)}
                <div class="field">
                    <label class="label" for="field-slot">{tr(l, "intake-slot")}</label>
                    <select class="select" id="field-slot" name="slot">{options}</select>
                </div>
                <button type="submit" class="button">{tr(l, "intake-book")}</button>
            </form>
        }
    });
    let pickup = page.pickup_location.clone().map(|loc| {
        view! {
            <section class="card" aria-labelledby="pickup-title">
                <h2 id="pickup-title">{tr(l, "intake-pickup-title")}</h2>
                <p>{tra(l, "intake-pickup-text", &[("name", loc)])}</p>
            </section>
        }
    });
    let body = view! {
        {heading(page.service_title.clone(), Some(page.authority_name.clone()))}
        <dl class="summary-list">
            <div><dt>{tr(l, "intake-reference")}</dt><dd dir="ltr">{page.reference.clone()}</dd></div>
            <div><dt>{tr(l, "intake-submitted-at")}</dt><dd dir="ltr">{page.submitted_at.clone()}</dd></div>
            <div><dt>{tr(l, "intake-fee-title")}</dt><dd>{euro(l, &page.fee)}</dd></div>
            <div><dt>{tr(l, "intake-paid")}</dt><dd>{euro(l, &page.paid)}</dd></div>
        </dl>
        <p><a class="button button-secondary" href=page.receipt_href.clone()>{tr(l, "intake-receipt-pdf")}</a></p>
        {pickup}
        <section aria-labelledby="status-title">
            <h2 id="status-title">{tr(l, "intake-status-title")}</h2>
            {awaiting}
            <ol class="steps steps-vertical">{steps}</ol>
        </section>
        <section aria-labelledby="evidence-title">
            <h2 id="evidence-title">{tr(l, "intake-evidence-title")}</h2>
            <ul class="bullets">{evidence}</ul>
        </section>
        <section aria-labelledby="messages-title">
            <h2 id="messages-title">{tr(l, "intake-messages-title")}</h2>
            <ul class="card-list">{messages}</ul>
            {error_summary(l, &page.errors, None)}
            <form method="post" action=page.reply_action.clone() class="form" enctype="multipart/form-data">
                {csrf_field(ctx)}
                {form_field(l, &page.errors, &reply_field)}
                {file_field(l, &page.errors)}
                <button type="submit" class="button">{tr(l, "intake-reply-send")}</button>
            </form>
        </section>
        <section aria-labelledby="appointments-title">
            <h2 id="appointments-title">{tr(l, "intake-appointments-title")}</h2>
            <ul class="bullets">{appointments}</ul>
            {booking}
        </section>
    };
    document(ctx, &page.service_title, body)
}

fn list_section(
    l: Lang,
    id: &'static str,
    title_key: &str,
    empty_key: &str,
    items: &[PortalListItem],
) -> AnyView {
    let rows: Vec<_> = items
        .iter()
        .map(|i| {
            let state = (!i.state.is_empty()).then(|| tr(l, &format!("intake-state-{}", i.state)));
            view! {
                <li class="card">
                    <h3><a href=i.href.clone()>{i.title.clone()}</a></h3>
                    <p>{i.authority_name.clone()} " · " <span dir="ltr">{i.reference.clone()}</span></p>
                    <p class="hint">{state} " " <span dir="ltr">{i.at.clone()}</span></p>
                </li>
            }
        })
        .collect();
    let empty = items
        .is_empty()
        .then(|| view! { <p>{tr(l, empty_key)}</p> });
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{tr(l, title_key)}</h2>
            {empty}
            <ul class="card-list">{rows}</ul>
        </section>
    }
    .into_any()
}

/// The applicant's drafts and applications (GET /portal/applications).
pub fn applications(ctx: &PageContext, page: &PortalApplications) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "intake-applications-title"), None)}
        <p><a class="button" href="/portal/services">{tr(l, "intake-new-application")}</a></p>
        {list_section(l, "drafts", "intake-drafts-title", "intake-drafts-empty", &page.drafts)}
        {list_section(l, "applications", "intake-submitted-title", "intake-submitted-empty", &page.applications)}
    };
    document(ctx, &tr(l, "intake-applications-title"), body)
}

/// The staff intake inbox (GET /workspace/intake).
pub fn inbox(ctx: &PageContext, page: &IntakeInbox) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = page
        .rows
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=r.href.clone() dir="ltr">{r.reference.clone()}</a></td>
                    <td>{r.service_title.clone()}</td>
                    <td>{tr(l, &format!("intake-state-{}", r.state))}</td>
                    <td dir="ltr">{r.submitted_at.clone()}</td>
                    <td class="num">{r.evidence_count}</td>
                    <td class="num">{euro(l, &r.fee)}</td>
                    <td class="num">{euro(l, &r.paid)}</td>
                    <td class="num">{(r.unread_replies > 0).then(|| view! {
                        <strong>{tra(l, "intake-new-replies", &[("count", r.unread_replies.to_string())])}</strong>
                    })}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let empty = page
        .rows
        .is_empty()
        .then(|| view! { <p>{tr(l, "intake-inbox-empty")}</p> });
    let head = vec![
        tr(l, "intake-reference"),
        tr(l, "intake-service"),
        tr(l, "intake-state"),
        tr(l, "intake-submitted-at"),
        tr(l, "intake-evidence-count"),
        tr(l, "intake-fee-title"),
        tr(l, "intake-paid"),
        tr(l, "intake-replies"),
    ];
    let body = view! {
        {heading(tr(l, "intake-inbox-title"), Some(tr(l, "intake-inbox-lead")))}
        <p><a href="/workspace/intake/scans">{tr(l, "scan-title")}</a></p>
        {empty}
        {crate::components::table_region("intake-inbox", tr(l, "intake-inbox-title"), head, rows)}
    };
    document(ctx, &tr(l, "intake-inbox-title"), body)
}

/// One application for staff: structured data, evidence, messages, pickup code.
pub fn intake_detail(ctx: &PageContext, page: &IntakeDetailView) -> String {
    let l = ctx.lang;
    let fields: Vec<_> = page
        .fields
        .iter()
        .map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd dir="auto">{v.clone()}</dd></div> })
        .collect();
    let evidence: Vec<AnyView> = page
        .evidence
        .iter()
        .map(|(name, ct, size, sha, href)| {
            view! {
                <tr>
                    <td><a href=href.clone() dir="auto">{name.clone()}</a></td>
                    <td>{ct.clone()}</td>
                    <td class="num">{size.clone()}</td>
                    <td><code class="hash">{sha.clone()}</code></td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let messages: Vec<_> = page
        .messages
        .iter()
        .map(|m| {
            let who = if m.from_authority {
                tr(l, "intake-message-from-authority")
            } else {
                tr(l, "intake-message-from-applicant")
            };
            let due = m.due.clone().map(|d| {
                view! { <p><strong>{tra(l, "intake-message-due", &[("name", d)])}</strong></p> }
            });
            let document = m.document_href.clone().map(|href| {
                view! { <p><a href=href>{tr(l, "cases-notice-download")}</a></p> }
            });
            view! {
                <li class="card">
                    <p class="hint">{who} " · " {m.at.clone()}</p>
                    <p dir="auto">{m.body.clone()}</p>
                    {due}
                    {attachments(l, m)}
                    {document}
                </li>
            }
        })
        .collect();
    let body_field = FormFieldView {
        key: "body".into(),
        kind: "text-area".into(),
        label: tr(l, "intake-message-label"),
        required: true,
        ..FormFieldView::default()
    };
    let due_field = FormFieldView {
        key: "due".into(),
        kind: "date".into(),
        label: tr(l, "intake-message-due-label"),
        hint: Some(tr(l, "intake-date-hint")),
        ..FormFieldView::default()
    };
    let code = page.pickup_code.clone().map(|c| {
        view! { <p class="flash flash-success" role="status">{tr(l, "intake-pickup-issued")} " " <code dir="ltr">{c}</code></p> }
    });
    let head = vec![
        tr(l, "intake-file"),
        tr(l, "intake-content-type"),
        tr(l, "intake-size"),
        "SHA-256".to_owned(),
    ];
    let location_field = FormFieldView {
        key: "location".into(),
        kind: "text".into(),
        label: tr(l, "intake-pickup-location"),
        required: true,
        ..FormFieldView::default()
    };
    let all_fields = vec![
        body_field.clone(),
        due_field.clone(),
        location_field.clone(),
    ];
    let body = view! {
        {heading(format!("{} – {}", page.reference, page.service_title), None)}
        <dl class="summary-list">
            <div><dt>{tr(l, "intake-state")}</dt><dd>{tr(l, &format!("intake-state-{}", page.state))}</dd></div>
            <div><dt>{tr(l, "intake-submitted-at")}</dt><dd dir="ltr">{page.submitted_at.clone()}</dd></div>
            <div><dt>{tr(l, "field-language")}</dt><dd>{page.language.clone()}</dd></div>
            <div><dt>{tr(l, "intake-fee-title")}</dt><dd>{euro(l, &page.fee)}</dd></div>
            <div><dt>{tr(l, "intake-paid")}</dt><dd>{euro(l, &page.paid)}</dd></div>
        </dl>
        <section aria-labelledby="data-title">
            <h2 id="data-title">{tr(l, "intake-data-title")}</h2>
            <dl class="summary-list">{fields}</dl>
        </section>
        <section aria-labelledby="evidence-title">
            <h2 id="evidence-title">{tr(l, "intake-evidence-title")}</h2>
            {crate::components::table_region("evidence", tr(l, "intake-evidence-title"), head, evidence)}
        </section>
        <section aria-labelledby="messages-title">
            <h2 id="messages-title">{tr(l, "intake-messages-title")}</h2>
            <ul class="card-list">{messages}</ul>
            {(!page.errors.contains_key("terminal_name")).then(|| form_errors(l, &page.errors, &all_fields))}
            <form method="post" action=page.message_action.clone() class="form" novalidate>
                {csrf_field(ctx)}
                {form_field(l, &page.errors, &body_field)}
                {form_field(l, &page.errors, &due_field)}
                <button type="submit" class="button">{tr(l, "intake-message-send")}</button>
            </form>
        </section>
        <section aria-labelledby="pickup-title">
            <h2 id="pickup-title">{tr(l, "intake-pickup-title")}</h2>
            {code}
            <form method="post" action=page.pickup_action.clone() class="form" novalidate>
                {csrf_field(ctx)}
                {form_field(l, &page.errors, &location_field)}
                <button type="submit" class="button button-secondary">{tr(l, "intake-pickup-issue")}</button>
            </form>
        </section>
    };
    document(ctx, &page.reference, body)
}

/// The tenant admin's services and appointment resources (GET /workspace/intake/settings).
pub fn intake_settings(ctx: &PageContext, page: &IntakeSettingsView) -> String {
    let l = ctx.lang;
    let yes_no = |b: bool| tr(l, if b { "yes" } else { "no" });
    let services: Vec<AnyView> = page
        .services
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.title.clone()}</td>
                    <td>{yes_no(s.active)}</td>
                    <td>{yes_no(s.has_own_texts)}</td>
                    <td><a href=s.href.clone()>{tr(l, "intake-settings-edit")}
                        <span class="visually-hidden">": " {s.title.clone()}</span></a></td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let resources: Vec<AnyView> = page
        .resources
        .iter()
        .map(|r| {
            let hours: Vec<_> = r
                .hours
                .iter()
                .map(|(d, span, slot)| {
                    view! { <li>{tr(l, &format!("intake-weekday-{d}"))} " " <span dir="ltr">{span.clone()}</span>
                        " (" {tra(l, "intake-minutes", &[("count", slot.to_string())])} ")"</li> }
                })
                .collect();
            view! {
                <tr>
                    <td>{r.name.clone()}</td>
                    <td>{tr(l, &format!("intake-resource-kind-{}", r.kind))}</td>
                    <td dir="ltr">{r.languages.clone()}</td>
                    <td><ul class="bullets">{hours}</ul></td>
                    <td>
                        <a href=r.day_href.clone()>{tr(l, "intake-day-title")}
                            <span class="visually-hidden">": " {r.name.clone()}</span></a>
                        <form method="post" action=r.deactivate_action.clone() class="inline-form">
                            {csrf_field(ctx)}
                            <button type="submit" class="button button-secondary">{tr(l, "intake-resource-deactivate")}
                                <span class="visually-hidden">": " {r.name.clone()}</span></button>
                        </form>
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let empty = page
        .resources
        .is_empty()
        .then(|| view! { <p>{tr(l, "intake-resources-empty")}</p> });
    let value = |k: &str| page.values.get(k).cloned().unwrap_or_default();
    let kind_field = FormFieldView {
        key: "kind".into(),
        kind: "select".into(),
        label: tr(l, "intake-resource-kind"),
        required: true,
        value: value("kind"),
        options: ["counter", "biometrics", "interpreter"]
            .iter()
            .map(|k| ((*k).to_owned(), tr(l, &format!("intake-resource-kind-{k}"))))
            .collect(),
        ..FormFieldView::default()
    };
    let name_field = FormFieldView {
        key: "name".into(),
        kind: "text".into(),
        label: tr(l, "intake-resource-name"),
        required: true,
        value: value("name"),
        ..FormFieldView::default()
    };
    let languages_field = FormFieldView {
        key: "languages".into(),
        kind: "text".into(),
        label: tr(l, "intake-resource-languages"),
        hint: Some(tr(l, "intake-resource-languages-hint")),
        value: value("languages"),
        ..FormFieldView::default()
    };
    let mut all_fields = vec![
        kind_field.clone(),
        name_field.clone(),
        languages_field.clone(),
    ];
    let days: Vec<_> = (1..=7u32)
        .map(|d| {
            let day = tr(l, &format!("intake-weekday-{d}"));
            let field = |part: &str, label: &str| FormFieldView {
                key: format!("h{d}-{part}"),
                kind: "text".into(),
                label: format!("{day}: {}", tr(l, label)),
                value: value(&format!("h{d}-{part}")),
                ..FormFieldView::default()
            };
            let fields = [
                field("opens", "intake-hours-opens"),
                field("closes", "intake-hours-closes"),
                field("slot", "intake-hours-slot"),
            ];
            all_fields.extend(fields.iter().cloned());
            view! {
                <fieldset class="hours-day">
                    <legend>{day}</legend>
                    {fields.iter().map(|f| form_field(l, &page.errors, f)).collect::<Vec<_>>()}
                </fieldset>
            }
        })
        .collect();
    let service_head = vec![
        tr(l, "intake-service"),
        tr(l, "intake-settings-active"),
        tr(l, "intake-settings-own-texts"),
        tr(l, "intake-settings-action"),
    ];
    let resource_head = vec![
        tr(l, "intake-resource-name"),
        tr(l, "intake-resource-kind"),
        tr(l, "intake-resource-languages"),
        tr(l, "intake-resource-hours"),
        tr(l, "intake-settings-action"),
    ];
    let body = view! {
        {heading(tr(l, "intake-settings-title"), Some(tr(l, "intake-settings-lead")))}
        <section aria-labelledby="services-title">
            <h2 id="services-title">{tr(l, "intake-settings-services")}</h2>
            {crate::components::table_region("services", tr(l, "intake-settings-services"), service_head, services)}
        </section>
        <section aria-labelledby="resources-title">
            <h2 id="resources-title">{tr(l, "intake-resources-title")}</h2>
            {empty}
            {crate::components::table_region("resources", tr(l, "intake-resources-title"), resource_head, resources)}
        </section>
        <section aria-labelledby="add-resource-title">
            <h2 id="add-resource-title">{tr(l, "intake-resource-add")}</h2>
            {(!page.errors.contains_key("terminal_name")).then(|| form_errors(l, &page.errors, &all_fields))}
            <form method="post" action=page.add_action.clone() class="form" novalidate>
                {csrf_field(ctx)}
                {form_field(l, &page.errors, &kind_field)}
                {form_field(l, &page.errors, &name_field)}
                {form_field(l, &page.errors, &languages_field)}
                <p class="hint">{tr(l, "intake-hours-hint")}</p>
                {days}
                <button type="submit" class="button">{tr(l, "intake-resource-add")}</button>
            </form>
        </section>
        {terminals_section(ctx, page)}
    };
    document(ctx, &tr(l, "intake-settings-title"), body)
}

/// The self-service terminals on the settings page: the list with a button to take one out of
/// service, the form to register one, and a new terminal's address (shown once).
fn terminals_section(ctx: &PageContext, page: &IntakeSettingsView) -> impl IntoView + use<> {
    let l = ctx.lang;
    let rows: Vec<AnyView> = page
        .terminals
        .iter()
        .map(|t| {
            let state = tr(
                l,
                if t.active {
                    "kiosk-terminal-active"
                } else {
                    "kiosk-terminal-revoked"
                },
            );
            let action = t.active.then(|| {
                view! {
                    <form method="post" action=t.revoke_action.clone() class="inline-form">
                        {csrf_field(ctx)}
                        <button type="submit" class="button button-secondary">{tr(l, "kiosk-terminal-revoke")}
                            <span class="visually-hidden">": " {t.name.clone()}</span></button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{t.name.clone()}</td>
                    <td dir="ltr">{t.created_at.clone()}</td>
                    <td>{state}</td>
                    <td>{action}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let empty = page
        .terminals
        .is_empty()
        .then(|| view! { <p>{tr(l, "kiosk-terminals-empty")}</p> });
    let created = page.new_terminal_url.clone().map(|url| {
        view! {
            <div class="flash flash-success" role="status">
                <p>{tr(l, "kiosk-terminal-created")}</p>
                <p><code dir="ltr" class="terminal-url">{url}</code></p>
            </div>
        }
    });
    let name_field = FormFieldView {
        key: "terminal_name".into(),
        kind: "text".into(),
        label: tr(l, "kiosk-terminal-name"),
        hint: Some(tr(l, "kiosk-terminal-name-hint")),
        required: true,
        value: page
            .values
            .get("terminal_name")
            .cloned()
            .unwrap_or_default(),
        ..FormFieldView::default()
    };
    let head = vec![
        tr(l, "kiosk-terminal-name"),
        tr(l, "kiosk-terminal-registered"),
        tr(l, "kiosk-terminal-state"),
        tr(l, "intake-settings-action"),
    ];
    view! {
        <section aria-labelledby="terminals-title">
            <h2 id="terminals-title">{tr(l, "kiosk-terminals-title")}</h2>
            <p>{tr(l, "kiosk-terminals-lead")}</p>
            {created}
            {empty}
            {crate::components::table_region("terminals", tr(l, "kiosk-terminals-title"), head, rows)}
            {page.errors.contains_key("terminal_name").then(|| form_errors(l, &page.errors, std::slice::from_ref(&name_field)))}
            <form method="post" action=page.terminal_action.clone() class="form" novalidate>
                {csrf_field(ctx)}
                {form_field(l, &page.errors, &name_field)}
                <button type="submit" class="button">{tr(l, "kiosk-terminal-add")}</button>
            </form>
        </section>
    }
}

/// The start page of a self-service terminal (GET /kiosk): sign in or register; signed in, a
/// new application or one's applications. The kiosk frame around it comes from `document`.
pub fn kiosk_start(ctx: &PageContext, page: &KioskStart) -> String {
    let l = ctx.lang;
    let actions = if page.signed_in {
        view! {
            <div class="button-row">
                <a class="button" href="/portal/services">{tr(l, "intake-new-application")}</a>
                <a class="button button-secondary" href="/portal/applications">{tr(l, "nav-portal-applications")}</a>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="button-row">
                <a class="button" href="/portal/sign-in">{tr(l, "portal-sign-in-link")}</a>
                <a class="button button-secondary" href="/portal/register">{tr(l, "portal-register-link")}</a>
            </div>
        }
        .into_any()
    };
    let body = view! {
        {heading(tr(l, "kiosk-start-title"), Some(tra(l, "kiosk-start-lead", &[("authority", page.authority.clone())])))}
        {actions}
        <section aria-labelledby="kiosk-privacy">
            <h2 id="kiosk-privacy">{tr(l, "kiosk-privacy-title")}</h2>
            <p>{tr(l, "kiosk-privacy-text")}</p>
        </section>
    };
    document(ctx, &tr(l, "kiosk-start-title"), body)
}

/// What a device shows at `/kiosk` once its terminal has been taken out of service: not a
/// terminal any more (the normal portal frame), and where to go instead.
pub fn kiosk_out_of_service(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "kiosk-out-of-service-title"), Some(tr(l, "kiosk-out-of-service-lead")))}
        <p><a class="button" href="/portal">{tr(l, "kiosk-out-of-service-portal")}</a></p>
    };
    document(ctx, &tr(l, "kiosk-out-of-service-title"), body)
}

/// One service's own settings (GET /workspace/intake/settings/services/{key}).
pub fn service_settings(ctx: &PageContext, page: &ServiceSettingsForm) -> String {
    let l = ctx.lang;
    let fields = vec![
        FormFieldView {
            key: "active".into(),
            kind: "yes-no".into(),
            label: tr(l, "intake-settings-active"),
            required: true,
            value: if page.active { "yes" } else { "no" }.into(),
            ..FormFieldView::default()
        },
        FormFieldView {
            key: "hints".into(),
            kind: "text-area".into(),
            label: tr(l, "intake-settings-hints"),
            hint: Some(tr(l, "intake-settings-hints-hint")),
            value: page.hints.clone(),
            ..FormFieldView::default()
        },
        FormFieldView {
            key: "contact".into(),
            kind: "text-area".into(),
            label: tr(l, "intake-settings-contact"),
            value: page.contact.clone(),
            ..FormFieldView::default()
        },
        FormFieldView {
            key: "opening_hours".into(),
            kind: "text-area".into(),
            label: tr(l, "intake-settings-opening-hours"),
            value: page.opening_hours.clone(),
            ..FormFieldView::default()
        },
    ];
    let body = view! {
        {heading(page.title.clone(), Some(tr(l, "intake-settings-title")))}
        {form_errors(l, &page.errors, &fields)}
        <form method="post" action=page.action.clone() class="form" novalidate>
            {csrf_field(ctx)}
            {fields.iter().map(|f| form_field(l, &page.errors, f)).collect::<Vec<_>>()}
            <button type="submit" class="button">{tr(l, "intake-settings-save")}</button>
        </form>
        <p><a href="/workspace/intake/settings">{tr(l, "intake-settings-back")}</a></p>
    };
    document(ctx, &page.title, body)
}

/// One resource's day (GET /workspace/intake/day): a plain table that prints on one page.
pub fn day_view(ctx: &PageContext, page: &DayView) -> String {
    let l = ctx.lang;
    let resource_field = FormFieldView {
        key: "resource".into(),
        kind: "select".into(),
        label: tr(l, "intake-resource-name"),
        required: true,
        value: page.resource.clone(),
        options: page.resources.clone(),
        ..FormFieldView::default()
    };
    let date_field = FormFieldView {
        key: "date".into(),
        kind: "date".into(),
        label: tr(l, "intake-day-date"),
        required: true,
        value: page.date.clone(),
        ..FormFieldView::default()
    };
    let rows: Vec<AnyView> = page
        .rows
        .iter()
        .map(|(time, person, reference, href)| {
            let reference = match href {
                Some(h) => view! { <a href=h.clone() dir="ltr">{reference.clone()}</a> }.into_any(),
                None => view! { <span dir="ltr">{reference.clone()}</span> }.into_any(),
            };
            view! {
                <tr>
                    <td dir="ltr">{time.clone()}</td>
                    <td dir="auto">{person.clone()}</td>
                    <td>{reference}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let empty = (page.rows.is_empty() && !page.resource.is_empty())
        .then(|| view! { <p>{tr(l, "intake-day-empty")}</p> });
    let caption = format!("{} – {}", page.resource_name, page.date);
    let head = vec![
        tr(l, "intake-day-time"),
        tr(l, "intake-day-person"),
        tr(l, "intake-reference"),
    ];
    let table = (!page.resource.is_empty() && page.errors.is_empty())
        .then(|| crate::components::table_region("day", caption, head, rows));
    let fields = vec![resource_field.clone(), date_field.clone()];
    let body = view! {
        {heading(tr(l, "intake-day-title"), Some(tr(l, "intake-day-lead")))}
        {form_errors(l, &page.errors, &fields)}
        <form method="get" action="/workspace/intake/day" class="form form-inline no-print" novalidate>
            {form_field(l, &page.errors, &resource_field)}
            {form_field(l, &page.errors, &date_field)}
            <button type="submit" class="button">{tr(l, "intake-day-show")}</button>
        </form>
        {empty}
        {table}
    };
    document(ctx, &tr(l, "intake-day-title"), body)
}

/// The payment provider simulator's page.
pub fn sim_pay(ctx: &PageContext, page: &SimPayView) -> String {
    let l = ctx.lang;
    let hidden: Vec<_> = page
        .hidden
        .iter()
        .map(|(k, v)| view! { <input type="hidden" name=k.clone() value=v.clone() /> })
        .collect();
    let body = view! {
        {heading(tr(l, "sim-pay-title"), Some(tr(l, "sim-pay-lead")))}
        <dl class="summary-list">
            <div><dt>{tr(l, "intake-fee-title")}</dt><dd>{euro(l, &page.amount)}</dd></div>
            <div><dt>{tr(l, "sim-pay-purpose")}</dt><dd dir="ltr">{page.purpose.clone()}</dd></div>
        </dl>
        <form method="post" action="/sim/epaybl/pay" class="form">
            {hidden}
            <div class="button-row">
                <button type="submit" name="action" value="pay" class="button">{tr(l, "sim-pay-pay")}</button>
                <button type="submit" name="action" value="double" class="button button-secondary">{tr(l, "sim-pay-double")}</button>
                <button type="submit" name="action" value="decline" class="button button-secondary">{tr(l, "sim-pay-decline")}</button>
                <button type="submit" name="action" value="abandon" class="button button-secondary">{tr(l, "sim-pay-abandon")}</button>
            </div>
        </form>
    };
    document(ctx, &tr(l, "sim-pay-title"), body)
}
