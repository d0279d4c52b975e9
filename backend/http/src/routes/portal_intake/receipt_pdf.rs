//! A small PDF writer for the receipt of an application, in the applicant's language.
//!
//! One A4 page, text only, with DejaVu Sans embedded (Latin, Turkish, Cyrillic and Arabic glyphs;
//! `assets/DejaVuSans.ttf`, Bitstream Vera / DejaVu licence, free to embed). Text is written as
//! glyph ids (`Identity-H`) so any script the font covers works; Arabic is shaped to its
//! presentation forms and laid out right to left here, because PDF viewers do neither.

use std::fmt::Write as _;

const FONT: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

/// One line of the receipt.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub size: f32,
    /// Extra space above the line, in points.
    pub gap: f32,
}

impl Line {
    pub fn new(text: impl Into<String>, size: f32, gap: f32) -> Self {
        Self {
            text: text.into(),
            size,
            gap,
        }
    }
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// (isolated presentation form, joins to the following letter) of a basic Arabic letter.
fn arabic_form(c: char) -> Option<(u32, bool)> {
    let dual = |iso: u32| Some((iso, true));
    let right = |iso: u32| Some((iso, false));
    match c {
        '\u{0621}' => Some((0xFE80, false)),
        '\u{0622}' => right(0xFE81),
        '\u{0623}' => right(0xFE83),
        '\u{0624}' => right(0xFE85),
        '\u{0625}' => right(0xFE87),
        '\u{0626}' => dual(0xFE89),
        '\u{0627}' => right(0xFE8D),
        '\u{0628}' => dual(0xFE8F),
        '\u{0629}' => right(0xFE93),
        '\u{062A}' => dual(0xFE95),
        '\u{062B}' => dual(0xFE99),
        '\u{062C}' => dual(0xFE9D),
        '\u{062D}' => dual(0xFEA1),
        '\u{062E}' => dual(0xFEA5),
        '\u{062F}' => right(0xFEA9),
        '\u{0630}' => right(0xFEAB),
        '\u{0631}' => right(0xFEAD),
        '\u{0632}' => right(0xFEAF),
        '\u{0633}' => dual(0xFEB1),
        '\u{0634}' => dual(0xFEB5),
        '\u{0635}' => dual(0xFEB9),
        '\u{0636}' => dual(0xFEBD),
        '\u{0637}' => dual(0xFEC1),
        '\u{0638}' => dual(0xFEC5),
        '\u{0639}' => dual(0xFEC9),
        '\u{063A}' => dual(0xFECD),
        '\u{0641}' => dual(0xFED1),
        '\u{0642}' => dual(0xFED5),
        '\u{0643}' => dual(0xFED9),
        '\u{0644}' => dual(0xFEDD),
        '\u{0645}' => dual(0xFEE1),
        '\u{0646}' => dual(0xFEE5),
        '\u{0647}' => dual(0xFEE9),
        '\u{0648}' => right(0xFEED),
        '\u{0649}' => right(0xFEEF),
        '\u{064A}' => dual(0xFEF1),
        _ => None,
    }
}

/// Contextual shaping of one Arabic word (logical order in, logical order out), with the
/// lam-alef ligature.
pub fn shape_arabic(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_joins = i > 0 && arabic_form(chars[i - 1]).is_some_and(|(_, j)| j);
        // Lam followed by an alef: one ligature glyph.
        if c == '\u{0644}' && i + 1 < chars.len() {
            let lig = match chars[i + 1] {
                '\u{0622}' => Some(0xFEF5),
                '\u{0623}' => Some(0xFEF7),
                '\u{0625}' => Some(0xFEF9),
                '\u{0627}' => Some(0xFEFB),
                _ => None,
            };
            if let Some(iso) = lig {
                let code = if prev_joins { iso + 1 } else { iso };
                out.extend(char::from_u32(code));
                i += 2;
                continue;
            }
        }
        match arabic_form(c) {
            Some((iso, dual)) => {
                let next_is_letter = chars.get(i + 1).is_some_and(|n| arabic_form(*n).is_some());
                let joins_next = dual && next_is_letter;
                let code = match (prev_joins, joins_next, dual) {
                    (false, false, _) => iso,
                    (true, false, _) => iso + 1,
                    (false, true, true) => iso + 2,
                    (true, true, true) => iso + 3,
                    (_, true, false) => iso,
                };
                out.extend(char::from_u32(code));
            }
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// The visual order of a line: for right-to-left lines words are reversed and Arabic words are
/// shaped and mirrored; numbers and Latin words keep their order.
pub fn visual(text: &str, rtl: bool) -> String {
    if !rtl {
        return text.to_owned();
    }
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if w.chars().any(is_arabic) {
                shape_arabic(w).chars().rev().collect()
            } else {
                w.to_owned()
            }
        })
        .collect();
    words.into_iter().rev().collect::<Vec<_>>().join(" ")
}

/// Renders a one-page A4 PDF with the lines (right-aligned when `rtl`).
pub fn render(title: &str, lines: &[Line], rtl: bool) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| e.to_string())?;
    let upem = f32::from(face.units_per_em());
    let mut used: std::collections::BTreeMap<u16, u16> = std::collections::BTreeMap::new();
    let mut content = String::new();
    let (width, height, margin) = (595.0_f32, 842.0_f32, 56.0_f32);
    let mut y = height - margin;
    for line in lines {
        y -= line.gap + line.size * 1.3;
        if y < margin {
            break;
        }
        let shown = visual(&line.text, rtl);
        let mut hex = String::new();
        let mut advance = 0.0_f32;
        for c in shown.chars() {
            let gid = face.glyph_index(c).map(|g| g.0).unwrap_or(0);
            let adv = face
                .glyph_hor_advance(ttf_parser::GlyphId(gid))
                .unwrap_or(0);
            used.insert(gid, adv);
            advance += f32::from(adv) / upem * line.size;
            let _ = write!(hex, "{gid:04X}");
        }
        let x = if rtl {
            (width - margin - advance).max(margin)
        } else {
            margin
        };
        let _ = writeln!(
            content,
            "BT /F1 {:.1} Tf {:.2} {:.2} Td <{hex}> Tj ET",
            line.size, x, y
        );
    }
    let mut widths = String::new();
    for (gid, adv) in &used {
        let _ = write!(widths, "{gid} [{:.0}] ", f32::from(*adv) * 1000.0 / upem);
    }
    let info_title: String = title
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .collect();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.0} {height:.0}] \
             /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        )
        .into_bytes(),
        stream(b"", content.as_bytes()),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H \
           /DescendantFonts [6 0 R] >>"
            .to_vec(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor 7 0 R /CIDToGIDMap /Identity /W [{widths}] >>"
        )
        .into_bytes(),
        format!(
            "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232] \
             /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight 729 /StemV 80 /FontFile2 8 0 R >>",
            face.ascender(),
            face.descender()
        )
        .into_bytes(),
        stream(format!("/Length1 {}", FONT.len()).as_bytes(), FONT),
        format!("<< /Title ({info_title}) /Producer (Amtsweg) >>").into_bytes(),
    ];
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(table, "{off:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len()
    );
    out.extend_from_slice(table.as_bytes());
    Ok(out)
}

fn stream(extra: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    out.extend_from_slice(b"<< /Length ");
    out.extend_from_slice(data.len().to_string().as_bytes());
    if !extra.is_empty() {
        out.push(b' ');
        out.extend_from_slice(extra);
    }
    out.extend_from_slice(b" >>\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn arabic_is_shaped_and_mirrored() {
        // بيت: beh initial, yeh medial, teh final.
        assert_eq!(shape_arabic("بيت"), "\u{FE91}\u{FEF4}\u{FE96}");
        // لا: the lam-alef ligature.
        assert_eq!(shape_arabic("لا"), "\u{FEFB}");
        // دار: dal and alef do not join to the left.
        assert_eq!(shape_arabic("دار"), "\u{FEA9}\u{FE8D}\u{FEAD}");
        assert_eq!(
            visual("A-2026 رقم", true),
            "\u{FEE2}\u{FED7}\u{FEAD} A-2026"
        );
        assert_eq!(visual("Straße", false), "Straße");
    }

    #[test]
    fn the_pdf_is_well_formed_and_has_glyphs_for_every_language() {
        let face = ttf_parser::Face::parse(FONT, 0).unwrap();
        for text in [
            "Eingangsbestätigung",
            "Alındı belgesi ğış",
            "Підтвердження",
            "إشعار الاستلام",
        ] {
            let shaped = visual(text, text.chars().any(is_arabic));
            for c in shaped.chars().filter(|c| *c != ' ') {
                assert!(
                    face.glyph_index(c).is_some(),
                    "no glyph for {c:?} in {text}"
                );
            }
        }
        let pdf = render("Receipt", &[Line::new("إشعار الاستلام", 18.0, 0.0)], true).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Identity-H") && text.contains("startxref"));
    }
}
