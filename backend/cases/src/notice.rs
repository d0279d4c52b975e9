//! Notices: the text from a template per process and language (`data/notices.toml`), set into a
//! PDF by the platform's one writer (`amtsweg-pdf`), so names in any script the font covers
//! (Latin with its extensions, Cyrillic, Arabic) print as written.

use std::collections::BTreeMap;

use amtsweg_pdf::{Column, Document, PdfError};
use serde::Deserialize;

const TEMPLATES: &str = include_str!("../data/notices.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    pub title: String,
    pub subject: String,
    pub greeting: String,
    pub granted: String,
    pub refused: String,
    pub reasons: String,
    pub remedy: String,
    pub closing: String,
    pub labels: [String; 4],
}

/// What goes into a notice; no more personal data than the notice itself shows.
#[derive(Debug, Clone)]
pub struct NoticeData {
    pub authority: String,
    pub reference: String,
    pub name: String,
    pub birth_date: String,
    pub process: String,
    pub decision: String,
    pub date: String,
}

fn templates() -> BTreeMap<String, Template> {
    toml::from_str(TEMPLATES).unwrap_or_default()
}

/// The languages a notice can be set in.
pub fn languages() -> Vec<String> {
    templates().into_keys().collect()
}

fn fill(text: &str, data: &NoticeData) -> String {
    text.replace("{authority}", &data.authority)
        .replace("{reference}", &data.reference)
        .replace("{name}", &data.name)
        .replace("{birth_date}", &data.birth_date)
        .replace("{process}", &data.process)
        .replace("{decision}", &data.decision)
        .replace("{date}", &data.date)
}

fn lines_in(template: &Template, data: &NoticeData) -> Vec<String> {
    let mut out = vec![
        data.authority.clone(),
        String::new(),
        template.title.clone(),
        fill(&template.subject, data),
        String::new(),
        format!("{}: {}", template.labels[0], data.reference),
        format!("{}: {}", template.labels[1], data.name),
        format!("{}: {}", template.labels[2], data.birth_date),
        format!("{}: {}", template.labels[3], data.date),
        String::new(),
        template.greeting.clone(),
        String::new(),
        if data.decision == "granted" {
            template.granted.clone()
        } else {
            template.refused.clone()
        },
        String::new(),
    ];
    out.push(template.reasons.clone());
    out.push(String::new());
    out.push(template.remedy.clone());
    out.push(String::new());
    out.push(template.closing.clone());
    out.push(data.authority.clone());
    out
}

/// The notice's text in `lang`, line by line (the e-file's search text); languages without a
/// template get German, then English.
pub fn notice_lines(lang: &str, data: &NoticeData) -> Vec<String> {
    let all = templates();
    match all.get(lang) {
        Some(t) => lines_in(t, data),
        None => {
            let mut out = all.get("de").map(|t| lines_in(t, data)).unwrap_or_default();
            if let Some(en) = all.get("en") {
                out.push(String::new());
                out.push("---".into());
                out.extend(lines_in(en, data));
            }
            out
        }
    }
}

fn blocks_in(doc: &mut Document, template: &Template, data: &NoticeData) {
    doc.text(data.authority.clone(), 11.0, 0.0)
        .heading(template.title.clone())
        .paragraph(fill(&template.subject, data))
        .table(
            vec![Column::text("", 1.0), Column::text("", 3.0)],
            vec![
                vec![template.labels[0].clone(), data.reference.clone()],
                vec![template.labels[1].clone(), data.name.clone()],
                vec![template.labels[2].clone(), data.birth_date.clone()],
                vec![template.labels[3].clone(), data.date.clone()],
            ],
        )
        .paragraph(template.greeting.clone())
        .paragraph(if data.decision == "granted" {
            template.granted.clone()
        } else {
            template.refused.clone()
        })
        .paragraph(template.reasons.clone())
        .paragraph(template.remedy.clone())
        .paragraph(template.closing.clone())
        .text(data.authority.clone(), 10.0, 0.0);
}

/// The notice as a PDF in `lang`; a language without a template gets the German notice (the
/// binding text) and the English one on the next page.
pub fn render_pdf(lang: &str, data: &NoticeData) -> Result<Vec<u8>, PdfError> {
    let all = templates();
    let mut doc = Document::new(format!("{} {}", data.authority, data.reference));
    match all.get(lang) {
        Some(t) => blocks_in(&mut doc, t, data),
        None => {
            if let Some(de) = all.get("de") {
                blocks_in(&mut doc, de, data);
            }
            if let Some(en) = all.get("en") {
                doc.page_break();
                blocks_in(&mut doc, en, data);
            }
        }
    }
    doc.render()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn data() -> NoticeData {
        NoticeData {
            authority: "Stadt Bielefeld – Ausländerbehörde".into(),
            reference: "2026-000001".into(),
            name: "Müller (Test), Ayşe".into(),
            birth_date: "1990-01-02".into(),
            process: "Verlängerung einer Aufenthaltserlaubnis".into(),
            decision: "granted".into(),
            date: "2026-03-02".into(),
        }
    }

    #[test]
    fn notices_exist_in_german_and_english_and_fall_back() {
        assert!(languages().contains(&"de".to_owned()));
        let de = notice_lines("de", &data());
        assert!(de.iter().any(|l| l.contains("stattgegeben")));
        let en = notice_lines("en", &data());
        assert!(en.iter().any(|l| l.contains("granted")));
        let ar = notice_lines("ar", &data());
        assert!(ar.iter().any(|l| l.contains("stattgegeben")));
        assert!(ar.iter().any(|l| l.contains("granted")));
    }

    #[test]
    fn the_pdf_is_well_formed_and_shows_the_name_as_written() {
        let pdf = render_pdf("de", &data()).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let runs = amtsweg_pdf::text_runs(&pdf);
        assert!(runs.contains(&"Müller (Test), Ayşe".to_owned()), "{runs:?}");
        assert!(runs.contains(&"Bescheid".to_owned()));
    }

    #[test]
    fn cyrillic_and_arabic_names_print_as_written() {
        for name in ["Шевченко, Олена", "الأحمد, كريم", "Dvořák, Łucja"] {
            let notice = NoticeData {
                name: name.into(),
                ..data()
            };
            let runs = amtsweg_pdf::text_runs(&render_pdf("de", &notice).unwrap());
            let shown = amtsweg_pdf::visual(name, false);
            assert!(runs.contains(&shown), "{name} not in {runs:?}");
            assert!(
                !runs
                    .iter()
                    .any(|r| r.contains('?') || r.contains('\u{FFFD}'))
            );
        }
    }

    #[test]
    fn a_language_without_template_gets_german_then_english_on_the_next_page() {
        let pdf = render_pdf("uk", &data()).unwrap();
        let runs = amtsweg_pdf::text_runs(&pdf);
        let german = runs.iter().position(|r| r == "Bescheid").unwrap();
        let english = runs.iter().position(|r| r == "Notice").unwrap();
        assert!(german < english);
        assert!(runs.contains(&"1 / 2".to_owned()) && runs.contains(&"2 / 2".to_owned()));
    }
}
