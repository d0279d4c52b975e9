//! The pages every public-sector site must have, linked from every footer: legal notice
//! (Impressum, § 5 DDG), privacy notice (Art. 13 GDPR), accessibility statement with its feedback
//! form (BITV NRW § 8, which asks for an electronic contact form), and an explanation in Easy German
//! (Leichte Sprache). The operator's contact data come from the configuration.

use leptos::prelude::*;

use crate::components::{
    Input, csrf_field, document, error_summary, heading, input_field, table_region, textarea_field,
    tr, tra,
};
use crate::i18n::Lang;
use crate::model::{FeedbackForm, FeedbackList, LegalContact, PageContext};

/// The operator's address block, or a clear notice that the installation has not configured it.
fn contact_block(ctx: &PageContext, contact: &LegalContact) -> AnyView {
    let l = ctx.lang;
    if !contact.is_configured() {
        return view! {
            <p class="notice" role="note">{tr(l, "legal-not-configured")}</p>
        }
        .into_any();
    }
    let lines: Vec<_> = contact
        .address
        .iter()
        .map(|line| view! { <span>{line.clone()}</span><br /> })
        .collect();
    let email = contact.email.clone().map(|email| {
        let href = format!("mailto:{email}");
        view! {
            <br />{tr(l, "legal-email")} ": "
            <a href=href dir="ltr">{email}</a>
        }
    });
    let phone = contact.phone.clone().map(|phone| {
        view! { <br />{tr(l, "legal-phone")} ": " <span dir="ltr">{phone}</span> }
    });
    view! {
        <address>
            <strong>{contact.operator.clone()}</strong><br />
            {lines}
            {email}
            {phone}
        </address>
    }
    .into_any()
}

/// A section of running text: a heading and paragraphs, each a message key.
fn section(l: Lang, id: &'static str, title: &str, paragraphs: &[&str]) -> impl IntoView + use<> {
    let paragraphs: Vec<_> = paragraphs
        .iter()
        .map(|key| view! { <p>{tr(l, key)}</p> })
        .collect();
    let labelledby = format!("{id}-title");
    let heading_id = labelledby.clone();
    view! {
        <section aria-labelledby=labelledby>
            <h2 id=heading_id>{tr(l, title)}</h2>
            {paragraphs}
        </section>
    }
}

pub fn imprint(ctx: &PageContext, contact: &LegalContact) -> String {
    let l = ctx.lang;
    let body = view! {
        {heading(tr(l, "imprint-title"), Some(tr(l, "imprint-lead")))}
        <section aria-labelledby="imprint-operator-title">
            <h2 id="imprint-operator-title">{tr(l, "imprint-operator")}</h2>
            {contact_block(ctx, contact)}
        </section>
        {section(l, "imprint-responsibility", "imprint-responsibility", &["imprint-responsibility-text"])}
        {section(l, "imprint-authorities", "imprint-authorities", &["imprint-authorities-text"])}
        {section(l, "imprint-liability", "imprint-liability", &["imprint-liability-text"])}
    };
    document(ctx, &tr(l, "imprint-title"), body)
}

pub fn privacy(ctx: &PageContext, contact: &LegalContact) -> String {
    let l = ctx.lang;
    let dpo = contact.privacy_email.clone().map(|email| {
        let href = format!("mailto:{email}");
        view! {
            <p>{tr(l, "privacy-dpo")} " " <a href=href dir="ltr">{email}</a></p>
        }
    });
    let body = view! {
        {heading(tr(l, "privacy-title"), Some(tr(l, "privacy-lead")))}
        {section(l, "privacy-controller", "privacy-controller", &["privacy-controller-text", "privacy-processor-text"])}
        <section aria-labelledby="privacy-operator-title">
            <h2 id="privacy-operator-title">{tr(l, "privacy-operator")}</h2>
            {contact_block(ctx, contact)}
            {dpo}
        </section>
        {section(l, "privacy-data", "privacy-data", &["privacy-data-account", "privacy-data-application", "privacy-data-payment", "privacy-data-technical"])}
        {section(l, "privacy-basis", "privacy-basis", &["privacy-basis-text"])}
        {section(l, "privacy-cookies", "privacy-cookies", &["privacy-cookies-text"])}
        {section(l, "privacy-recipients", "privacy-recipients", &["privacy-recipients-text"])}
        {section(l, "privacy-retention", "privacy-retention", &["privacy-retention-text"])}
        {section(l, "privacy-rights", "privacy-rights", &["privacy-rights-text", "privacy-complaint-text"])}
    };
    document(ctx, &tr(l, "privacy-title"), body)
}

pub fn accessibility(ctx: &PageContext, contact: &LegalContact, form: &FeedbackForm) -> String {
    let l = ctx.lang;
    let known: Vec<_> = [
        "a11y-gap-pdf",
        "a11y-gap-sign-language",
        "a11y-gap-translations",
    ]
    .iter()
    .map(|key| view! { <li>{tr(l, key)}</li> })
    .collect();
    let body = view! {
        {heading(tr(l, "a11y-title"), Some(tr(l, "a11y-lead")))}
        {section(l, "a11y-status", "a11y-status", &["a11y-status-text"])}
        <section aria-labelledby="a11y-gaps-title">
            <h2 id="a11y-gaps-title">{tr(l, "a11y-gaps")}</h2>
            <ul>{known}</ul>
        </section>
        {section(l, "a11y-method", "a11y-method", &["a11y-method-text"])}
        <section aria-labelledby="a11y-contact-title">
            <h2 id="a11y-contact-title">{tr(l, "a11y-contact")}</h2>
            <p>{tr(l, "a11y-contact-text")}</p>
            {contact_block(ctx, contact)}
        </section>
        <section aria-labelledby="a11y-feedback-title">
            <h2 id="a11y-feedback-title">{tr(l, "a11y-feedback")}</h2>
            <p>{tr(l, "a11y-feedback-text")}</p>
            {error_summary(l, &form.errors, None)}
            <form method="post" action="/accessibility/feedback" novalidate class="form">
                {csrf_field(ctx)}
                {textarea_field(l, &form.errors, Input::new("feedback_message", "field-feedback_message", "text")
                    .value(&form.message).maxlength("4000").hint(tr(l, "a11y-feedback-message-hint")).required(), "6")}
                {input_field(l, &form.errors, Input::new("feedback_page", "field-feedback_page", "text")
                    .value(&form.page).maxlength("500").hint(tr(l, "a11y-feedback-page-hint")).no_spellcheck())}
                {input_field(l, &form.errors, Input::new("feedback_contact", "field-feedback_contact", "text")
                    .value(&form.contact).maxlength("200").autocomplete("email").hint(tr(l, "a11y-feedback-contact-hint")))}
                <button type="submit" class="button">{tr(l, "a11y-feedback-submit")}</button>
            </form>
        </section>
        <section aria-labelledby="a11y-enforcement-title">
            <h2 id="a11y-enforcement-title">{tr(l, "a11y-enforcement")}</h2>
            <p>{tr(l, "a11y-enforcement-text")}</p>
            <p><a href="https://www.lbbp.nrw.de/ombudsstelle" lang="de">
                "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen"
            </a></p>
        </section>
        <p><a href="/easy-german" lang="de">"Informationen in Leichter Sprache"</a></p>
    };
    document(ctx, &tr(l, "a11y-title"), body)
}

/// Easy German (Leichte Sprache): short sentences, one thought each, explained words. Written in
/// German whatever the interface language, because Leichte Sprache is a form of German.
pub fn easy_german(ctx: &PageContext) -> String {
    let l = ctx.lang;
    let paragraphs = [
        "Amtsweg ist eine Internet-Seite.",
        "Hier können Sie Anträge an die Ausländer-Behörde stellen.",
        "Ausländer-Behörde bedeutet: Das Amt für Menschen aus anderen Ländern. \
         Das Amt entscheidet zum Beispiel: Darf ein Mensch in Deutschland bleiben?",
        "Sie können auch einen Antrag auf Einbürgerung stellen. \
         Einbürgerung bedeutet: Sie werden deutscher Staats-Bürger oder deutsche Staats-Bürgerin.",
        "So geht es:",
    ];
    let steps = [
        "Sie machen ein Konto. Dafür brauchen Sie eine E-Mail-Adresse.",
        "Sie suchen Ihren Wohn-Ort aus. Dann weiß Amtsweg: Dieses Amt ist für Sie da.",
        "Sie füllen den Antrag aus.",
        "Sie laden Dokumente hoch. Zum Beispiel ein Foto von Ihrem Pass.",
        "Sie bezahlen die Gebühr. Gebühr bedeutet: Geld für das Amt.",
        "Sie bekommen eine Nachricht. Dann wissen Sie: Der Antrag ist angekommen.",
    ];
    let after = [
        "Das Amt schreibt Ihnen im Portal. Sie bekommen dann eine E-Mail. \
         In der E-Mail steht nur: Sie haben eine neue Nachricht.",
        "Sie können einen Termin beim Amt machen.",
        "Nur das Amt sieht Ihre Daten. Das Amt muss Ihre Daten schützen.",
        "Sie haben eine Frage? Oder eine Seite ist schwer zu benutzen? \
         Dann schreiben Sie uns. Auf der Seite Barriere-Freiheit gibt es ein Formular.",
    ];
    let paragraphs: Vec<_> = paragraphs.iter().map(|p| view! { <p>{*p}</p> }).collect();
    let steps: Vec<_> = steps.iter().map(|p| view! { <li>{*p}</li> }).collect();
    let after: Vec<_> = after.iter().map(|p| view! { <p>{*p}</p> }).collect();
    let body = view! {
        <div lang="de" dir="ltr" class="easy-language">
            <h1>"Amtsweg in Leichter Sprache"</h1>
            {paragraphs}
            <ol>{steps}</ol>
            <h2>"Nach dem Antrag"</h2>
            {after}
            <p><a href="/portal">"Zum Portal für Anträge"</a></p>
            <p><a href="/accessibility">"Zur Seite Barriere-Freiheit"</a></p>
        </div>
    };
    document(ctx, &tr(l, "easy-german-title"), body)
}

/// The operator's list of accessibility feedback.
pub fn operator_feedback(ctx: &PageContext, list: &FeedbackList) -> String {
    let l = ctx.lang;
    let rows: Vec<AnyView> = list
        .items
        .iter()
        .map(|item| {
            let action = format!("/operator/feedback/{}/handled", item.id);
            let state = match &item.handled_at {
                Some(at) => view! { <span>{tra(l, "feedback-handled-at", &[("at", at.clone())])}</span> }.into_any(),
                None => view! {
                    <form method="post" action=action class="inline-form">
                        {csrf_field(ctx)}
                        <button type="submit" class="button button-secondary">{tr(l, "feedback-mark-handled")}</button>
                    </form>
                }
                .into_any(),
            };
            view! {
                <tr>
                    <td>{item.received_at.clone()}</td>
                    <td class="pre-wrap">{item.message.clone()}</td>
                    <td>{item.page.clone().unwrap_or_else(|| "–".into())}</td>
                    <td>{item.contact.clone().unwrap_or_else(|| "–".into())}</td>
                    <td>{item.lang.clone()}</td>
                    <td>{state}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let empty = list
        .items
        .is_empty()
        .then(|| view! { <p>{tr(l, "feedback-none")}</p> });
    let body = view! {
        {heading(tr(l, "feedback-title"), Some(tra(l, "feedback-lead", &[("open", list.open.to_string())])))}
        {empty}
        {table_region(
            "feedback",
            tr(l, "feedback-title"),
            vec![
                tr(l, "feedback-col-received"),
                tr(l, "field-feedback_message"),
                tr(l, "field-feedback_page"),
                tr(l, "field-feedback_contact"),
                tr(l, "field-language"),
                tr(l, "feedback-col-state"),
            ],
            rows,
        )}
    };
    document(ctx, &tr(l, "feedback-title"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installation_without_operator_data_says_so_instead_of_inventing_it() {
        let ctx = PageContext::default();
        let page = imprint(&ctx, &LegalContact::default());
        assert!(page.contains("noch nicht eingetragen"), "{page}");
        let contact = LegalContact {
            operator: "Betrieb".into(),
            address: vec!["Straße 1".into()],
            email: Some("a@b.example".into()),
            ..LegalContact::default()
        };
        let page = imprint(&ctx, &contact);
        assert!(!page.contains("noch nicht eingetragen"));
        assert!(page.contains("<address>") && page.contains("mailto:a@b.example"));
    }

    #[test]
    fn the_feedback_form_keeps_what_was_typed_and_marks_the_error() {
        let ctx = PageContext::default();
        let mut form = FeedbackForm {
            message: "</textarea><script>x</script>".into(),
            ..FeedbackForm::default()
        };
        form.errors
            .insert("feedback_message".into(), "error-feedback-too-short".into());
        let page = accessibility(&ctx, &LegalContact::default(), &form);
        assert!(
            !page.contains("<script"),
            "typed text cannot leave the textarea"
        );
        assert!(page.contains(">&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"));
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(
            page.contains("href=\"#field-feedback_message\""),
            "linked from the summary"
        );
    }
}
