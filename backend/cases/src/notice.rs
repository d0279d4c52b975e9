//! Notices: the text from a template per process and language (`data/notices.toml`), set into a
//! small, self-contained PDF (PDF 1.4, standard Helvetica, WinAnsi encoding; no fonts embedded, so
//! the file stays a few kilobytes and needs no PDF library).

use std::collections::BTreeMap;

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
    out.extend(wrap(&template.reasons, 90));
    out.push(String::new());
    out.extend(wrap(&template.remedy, 90));
    out.push(String::new());
    out.push(template.closing.clone());
    out.push(data.authority.clone());
    out
}

/// The notice's lines in `lang`; languages without a template get German, then English.
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

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A PDF string literal in WinAnsi: Latin-1 characters as bytes, others as `?`.
fn pdf_text(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'(');
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                out.push(c as u8);
            }
            '€' => out.push(0x80),
            '–' => out.push(0x96),
            c if (c as u32) >= 0x20 && (c as u32) < 0x7f => out.push(c as u8),
            c if (c as u32) >= 0xa0 && (c as u32) <= 0xff => out.push(c as u32 as u8),
            _ => out.push(b'?'),
        }
    }
    out.push(b')');
    out
}

/// Sets lines on A4 pages (54 lines a page) and returns the PDF bytes.
pub fn render_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    const PER_PAGE: usize = 54;
    let pages: Vec<&[String]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(PER_PAGE).collect()
    };
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, 4 info, then per page: page, content.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut info = b"<< /Producer (Amtsweg) /Title ".to_vec();
    info.extend(pdf_text(title));
    info.extend(b" >>");
    objects.push(info);
    for (i, page) in pages.iter().enumerate() {
        let content_id = 6 + 2 * i;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut stream = b"BT /F1 10 Tf 14 TL 56 790 Td\n".to_vec();
        for line in page.iter() {
            stream.extend(pdf_text(line));
            stream.extend(b" Tj T*\n");
        }
        stream.extend(b"ET");
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend(stream);
        obj.extend(b"\nendstream");
        objects.push(obj);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(obj);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
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
    fn the_pdf_is_well_formed() {
        let pdf = render_pdf("Bescheid", &notice_lines("de", &data()));
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        // The xref offsets point at the objects.
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        // Escaped parentheses, Latin-1 umlaut as one byte.
        assert!(text.contains("\\(Test\\)"));
        assert!(pdf.windows(2).any(|w| w == [b'M', 0xfc]));
        let long: Vec<String> = (0..120).map(|i| format!("line {i}")).collect();
        let pdf = render_pdf("x", &long);
        assert!(String::from_utf8_lossy(&pdf).contains("/Count 3"));
    }
}
