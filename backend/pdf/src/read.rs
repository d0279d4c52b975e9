//! Reads back the text this crate wrote: to check a document shows what it should, and nothing it
//! must not (personal data in the ministry's report).

use std::collections::BTreeMap;

fn hex_units(hex: &str) -> Vec<u16> {
    hex.as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .filter_map(|c| u16::from_str_radix(c, 16).ok())
        .collect()
}

/// The `ToUnicode` map: glyph id → text.
fn glyph_map(text: &str) -> BTreeMap<u16, String> {
    let mut map = BTreeMap::new();
    for section in text.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap_or_default();
        for line in body.lines() {
            let mut parts = line.split_whitespace().map(|p| p.trim_matches(['<', '>']));
            if let (Some(gid), Some(unicode)) = (parts.next(), parts.next())
                && let Ok(gid) = u16::from_str_radix(gid, 16)
            {
                map.insert(gid, String::from_utf16_lossy(&hex_units(unicode)));
            }
        }
    }
    map
}

/// Every text run (`<…> Tj`) of a PDF written by this crate, in drawing order, as the glyphs
/// show it: a line of a paragraph, a table cell, a page number. Arabic comes back in visual
/// order and presentation forms, as [`crate::visual`] made it.
pub fn text_runs(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let glyphs = glyph_map(&text);
    let mut runs = Vec::new();
    let pieces: Vec<&str> = text.split("> Tj").collect();
    // The last piece follows the last run.
    for piece in &pieces[..pieces.len().saturating_sub(1)] {
        let Some(start) = piece.rfind('<') else {
            continue;
        };
        let hex = &piece[start + 1..];
        if hex.is_empty() || hex.len() % 4 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        runs.push(
            hex_units(hex)
                .iter()
                .map(|gid| glyphs.get(gid).map(String::as_str).unwrap_or("\u{FFFD}"))
                .collect(),
        );
    }
    runs
}
