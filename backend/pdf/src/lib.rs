//! The one PDF writer of the platform: notices, receipts and the ministry's report.
//!
//! Pure: bytes in memory, no I/O. A4 pages with DejaVu Sans embedded (`assets/DejaVuSans.ttf`,
//! Bitstream Vera / DejaVu licence, free to embed; Latin with its extensions, Greek, Cyrillic,
//! Arabic), so a name in any of these scripts prints as written. Text is written as glyph ids
//! (`Identity-H`) with a `ToUnicode` map, so viewers can search and copy it and [`text_runs`] can
//! read it back. Arabic is shaped and laid out right to left here ([`visual`]), because PDF
//! viewers do neither.
//!
//! A [`Document`] is a list of blocks (headings, paragraphs, tables, page breaks); paragraphs wrap
//! by the font's advances, tables repeat their header on a new page, every page gets its number.

mod bidi;
mod read;
mod write;

pub use bidi::{shape_arabic, visual};
pub use read::text_runs;

use std::collections::BTreeMap;
use std::fmt::Write as _;

const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// Room at the bottom for the page number.
const FOOTER: f32 = 28.0;
const LEADING: f32 = 1.35;
const CELL_PAD: f32 = 3.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font does not parse: {0}")]
    Font(String),
}

/// Where text sits in its line or cell: `Start` is left in a left-to-right document and right in
/// a right-to-left one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    End,
}

/// A table column: its title, its share of the width (relative to the other columns) and how its
/// cells align (numbers at the end).
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub share: f32,
    pub align: Align,
}

impl Column {
    pub fn text(title: impl Into<String>, share: f32) -> Self {
        Self {
            title: title.into(),
            share,
            align: Align::Start,
        }
    }

    pub fn number(title: impl Into<String>, share: f32) -> Self {
        Self {
            title: title.into(),
            share,
            align: Align::End,
        }
    }
}

#[derive(Debug, Clone)]
enum Block {
    Text {
        text: String,
        size: f32,
        gap: f32,
    },
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    PageBreak,
}

/// A document in one direction; blocks are laid out top to bottom over as many pages as needed.
#[derive(Debug, Clone)]
pub struct Document {
    title: String,
    rtl: bool,
    blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            rtl: false,
            blocks: Vec::new(),
        }
    }

    /// Lays the document out right to left (Arabic): text and table columns start at the right.
    pub fn right_to_left(mut self, rtl: bool) -> Self {
        self.rtl = rtl;
        self
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        self.text(text, 16.0, 14.0)
    }

    pub fn subheading(&mut self, text: impl Into<String>) -> &mut Self {
        self.text(text, 12.5, 12.0)
    }

    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.text(text, 10.0, 6.0)
    }

    /// Text of a given size with extra space above it (points); wrapped to the page width, a
    /// line break in the text starts a new line.
    pub fn text(&mut self, text: impl Into<String>, size: f32, gap: f32) -> &mut Self {
        self.blocks.push(Block::Text {
            text: text.into(),
            size,
            gap,
        });
        self
    }

    /// A table; without any column title it has no header row.
    pub fn table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>) -> &mut Self {
        self.blocks.push(Block::Table { columns, rows });
        self
    }

    pub fn page_break(&mut self) -> &mut Self {
        self.blocks.push(Block::PageBreak);
        self
    }

    /// The PDF bytes.
    pub fn render(&self) -> Result<Vec<u8>, PdfError> {
        let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        let mut layout = Layout::new(&face, self.rtl);
        for block in &self.blocks {
            match block {
                Block::Text { text, size, gap } => layout.text(text, *size, *gap),
                Block::Table { columns, rows } => layout.table(columns, rows),
                Block::PageBreak => layout.new_page(),
            }
        }
        let pages = layout.finish();
        Ok(write::document(&face, FONT, &self.title, &pages))
    }
}

/// The drawn pages and the glyphs they use.
pub(crate) struct Pages {
    pub(crate) contents: Vec<String>,
    /// Glyph id → (advance in font units, the character it shows).
    pub(crate) glyphs: BTreeMap<u16, (u16, char)>,
}

struct Layout<'a> {
    face: &'a ttf_parser::Face<'a>,
    upem: f32,
    rtl: bool,
    pages: Vec<String>,
    /// The page being drawn on.
    page: usize,
    glyphs: BTreeMap<u16, (u16, char)>,
    /// The top of the free space on the current page.
    y: f32,
}

impl<'a> Layout<'a> {
    fn new(face: &'a ttf_parser::Face<'a>, rtl: bool) -> Self {
        Self {
            face,
            upem: f32::from(face.units_per_em()),
            rtl,
            pages: vec![String::new()],
            page: 0,
            glyphs: BTreeMap::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn at_top(&self) -> bool {
        self.y >= PAGE_HEIGHT - MARGIN
    }

    fn new_page(&mut self) {
        self.pages.push(String::new());
        self.page = self.pages.len() - 1;
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room_for(&mut self, height: f32) {
        if self.y - height < MARGIN + FOOTER && !self.at_top() {
            self.new_page();
        }
    }

    fn advance(&self, c: char) -> (u16, u16) {
        let gid = self.face.glyph_index(c).map(|g| g.0).unwrap_or(0);
        let adv = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        (gid, adv)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| f32::from(self.advance(c).1))
            .sum::<f32>()
            / self.upem
            * size
    }

    /// Breaks logical text into lines no wider than `width`; a word wider than that is cut.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Draws one line of logical text with its baseline at `y`, aligned within [left, right].
    fn show(&mut self, text: &str, size: f32, y: f32, left: f32, right: f32, align: Align) {
        let shown = visual(text, self.rtl);
        if shown.is_empty() {
            return;
        }
        let mut hex = String::with_capacity(shown.len() * 4);
        let mut advance = 0.0_f32;
        for c in shown.chars() {
            let (gid, adv) = self.advance(c);
            self.glyphs.entry(gid).or_insert((adv, c));
            advance += f32::from(adv) / self.upem * size;
            let _ = write!(hex, "{gid:04X}");
        }
        let at_right = (align == Align::End) != self.rtl;
        let x = if at_right {
            (right - advance).max(left)
        } else {
            left
        };
        if let Some(page) = self.pages.get_mut(self.page) {
            let _ = writeln!(page, "BT /F1 {size:.1} Tf {x:.2} {y:.2} Td <{hex}> Tj ET");
        }
    }

    fn rule(&mut self, y: f32) {
        if let Some(page) = self.pages.get_mut(self.page) {
            let _ = writeln!(
                page,
                "0.5 w {MARGIN:.2} {y:.2} m {:.2} {y:.2} l S",
                PAGE_WIDTH - MARGIN
            );
        }
    }

    fn text(&mut self, text: &str, size: f32, gap: f32) {
        if !self.at_top() {
            self.y -= gap;
        }
        let line_height = size * LEADING;
        for line in self.wrap(text, size, PAGE_WIDTH - 2.0 * MARGIN) {
            self.room_for(line_height);
            self.y -= line_height;
            self.show(
                &line,
                size,
                self.y + (line_height - size),
                MARGIN,
                PAGE_WIDTH - MARGIN,
                Align::Start,
            );
        }
    }

    /// Column bounds (left, right) in page coordinates; the first column is at the right in a
    /// right-to-left document. Widths as browsers size tables: every column gets what its widest
    /// cell needs if the page allows, and the rest by the columns' shares; otherwise at least its
    /// longest word (so words are not cut), with the width left over given to the columns that
    /// need it most; only when not even the longest words fit, the shares alone.
    fn column_bounds(
        &self,
        columns: &[Column],
        rows: &[Vec<String>],
        size: f32,
    ) -> Vec<(f32, f32)> {
        let usable = PAGE_WIDTH - 2.0 * MARGIN;
        let cells = |i: usize| {
            std::iter::once(&columns[i].title).chain(rows.iter().filter_map(move |row| row.get(i)))
        };
        let widest = |texts: &mut dyn Iterator<Item = &str>| {
            texts
                .map(|text| self.width(text, size) + 2.0 * CELL_PAD)
                .fold(0.0_f32, f32::max)
        };
        let minimum: Vec<f32> = (0..columns.len())
            .map(|i| widest(&mut cells(i).flat_map(|text| text.split_whitespace())))
            .collect();
        let preferred: Vec<f32> = (0..columns.len())
            .map(|i| widest(&mut cells(i).map(String::as_str)))
            .collect();
        let shares: Vec<f32> = columns.iter().map(|c| c.share.max(0.0)).collect();
        let total_share = shares.iter().sum::<f32>().max(f32::EPSILON);
        let spread = |base: &[f32], weights: &[f32]| -> Vec<f32> {
            let spare = usable - base.iter().sum::<f32>();
            let total = weights.iter().sum::<f32>().max(f32::EPSILON);
            base.iter()
                .zip(weights)
                .map(|(b, w)| b + spare * w / total)
                .collect()
        };
        let widths: Vec<f32> = if preferred.iter().sum::<f32>() <= usable {
            spread(&preferred, &shares)
        } else if minimum.iter().sum::<f32>() <= usable {
            let wants: Vec<f32> = preferred.iter().zip(&minimum).map(|(p, m)| p - m).collect();
            spread(&minimum, &wants)
        } else {
            shares
                .iter()
                .map(|share| usable * share / total_share)
                .collect()
        };
        let mut x = 0.0;
        widths
            .into_iter()
            .map(|w| {
                let bounds = if self.rtl {
                    (PAGE_WIDTH - MARGIN - x - w, PAGE_WIDTH - MARGIN - x)
                } else {
                    (MARGIN + x, MARGIN + x + w)
                };
                x += w;
                bounds
            })
            .collect()
    }

    /// One row of cells; returns nothing, moves `y` below the row.
    fn row(&mut self, cells: &[String], columns: &[Column], bounds: &[(f32, f32)], size: f32) {
        let line_height = size * LEADING;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(bounds)
            .map(|(cell, (l, r))| self.wrap(cell, size, r - l - 2.0 * CELL_PAD))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let top = self.y;
        for ((cell_lines, (l, r)), column) in wrapped.iter().zip(bounds).zip(columns) {
            for (i, line) in cell_lines.iter().enumerate() {
                let baseline = top - (i as f32 + 1.0) * line_height + (line_height - size);
                self.show(
                    line,
                    size,
                    baseline,
                    l + CELL_PAD,
                    r - CELL_PAD,
                    column.align,
                );
            }
        }
        self.y = top - lines as f32 * line_height - CELL_PAD;
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        const SIZE: f32 = 8.5;
        let bounds = self.column_bounds(columns, rows, SIZE);
        let titles: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let has_header = titles.iter().any(|t| !t.is_empty());
        let header = |layout: &mut Self| {
            if has_header {
                layout.row(&titles, columns, &bounds, SIZE);
                layout.rule(layout.y + CELL_PAD / 2.0);
            }
        };
        if !self.at_top() {
            self.y -= 6.0;
        }
        self.room_for(3.0 * SIZE * LEADING);
        header(self);
        for cells in rows {
            let height = cells
                .iter()
                .zip(&bounds)
                .map(|(cell, (l, r))| self.wrap(cell, SIZE, r - l - 2.0 * CELL_PAD).len())
                .max()
                .unwrap_or(1) as f32
                * SIZE
                * LEADING
                + CELL_PAD;
            if self.y - height < MARGIN + FOOTER {
                self.new_page();
                header(self);
            }
            self.row(cells, columns, &bounds, SIZE);
        }
    }

    /// Numbers every page ("n / N") and hands the pages over.
    fn finish(mut self) -> Pages {
        let count = self.pages.len();
        for index in 0..count {
            let number = format!("{} / {count}", index + 1);
            let width = self.width(&number, 8.0);
            let left = (PAGE_WIDTH - width) / 2.0;
            self.page = index;
            self.show(&number, 8.0, MARGIN, left, left + width, Align::Start);
        }
        Pages {
            contents: self.pages,
            glyphs: self.glyphs,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn face() -> ttf_parser::Face<'static> {
        ttf_parser::Face::parse(FONT, 0).unwrap()
    }

    #[test]
    fn every_language_of_the_platform_has_glyphs() {
        let face = face();
        for text in [
            "Eingangsbestätigung Straße",
            "Alındı belgesi ğış İ",
            "Łódź Dvořák Ålesund Øster",
            "Підтвердження Олена Шевченко",
            "إشعار الاستلام",
        ] {
            let rtl = text.chars().any(bidi::is_arabic);
            for c in visual(text, rtl).chars().filter(|c| *c != ' ') {
                assert!(
                    face.glyph_index(c).is_some(),
                    "no glyph for {c:?} in {text}"
                );
            }
        }
    }

    #[test]
    fn the_pdf_is_well_formed_and_reads_back() {
        let mut doc = Document::new("Bescheid Олена");
        doc.heading("Bescheid")
            .paragraph("Name: Шевченко, Олена (Test)")
            .paragraph("الاسم: كريم")
            .table(
                vec![Column::text("Fonds", 3.0), Column::number("Summe", 1.0)],
                vec![vec!["Landeshaushalt".into(), "1.234,56".into()]],
            );
        let pdf = doc.render().unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8_lossy(&pdf);
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        assert!(text.contains("/Identity-H") && text.contains("/ToUnicode"));
        let runs = text_runs(&pdf);
        assert!(
            runs.contains(&"Name: Шевченко, Олена (Test)".to_owned()),
            "{runs:?}"
        );
        assert!(runs.contains(&visual("الاسم: كريم", false)), "{runs:?}");
        assert!(runs.contains(&"1.234,56".to_owned()));
        assert!(runs.contains(&"1 / 1".to_owned()));
    }

    #[test]
    fn table_columns_take_the_width_their_cells_need() {
        let mut doc = Document::new("x");
        doc.table(
            vec![
                Column::text("Fonds", 3.0),
                Column::number("angebunden", 1.0),
                Column::number("Herstellerlösung", 1.0),
                Column::number("Inkongruenzquote", 1.0),
                Column::number("verwendbar bis", 1.0),
            ],
            vec![vec![
                "Fachbezogene Pauschale (Bund)".into(),
                "1".into(),
                "2".into(),
                "12.5 %".into(),
                "2025-12-31".into(),
            ]],
        );
        let runs = text_runs(&doc.render().unwrap());
        // Where the page allows, a cell keeps its whole text on one line.
        for word in [
            "Fachbezogene Pauschale (Bund)",
            "angebunden",
            "Herstellerlösung",
            "Inkongruenzquote",
        ] {
            assert!(runs.contains(&word.to_owned()), "{word} cut: {runs:?}");
        }
    }

    #[test]
    fn long_text_and_tables_flow_over_pages_and_breaks_are_kept() {
        let mut doc = Document::new("x");
        doc.paragraph("eins ".repeat(2000));
        let rows: Vec<Vec<String>> = (0..150)
            .map(|i| vec![format!("row {i}"), i.to_string()])
            .collect();
        doc.table(
            vec![Column::text("name", 1.0), Column::number("n", 1.0)],
            rows,
        );
        doc.page_break().heading("after the break");
        let pdf = doc.render().unwrap();
        let text = String::from_utf8_lossy(&pdf);
        let count: usize = text
            .split("/Type /Pages")
            .nth(1)
            .and_then(|s| s.split("/Count ").nth(1))
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.trim_end_matches(">>").parse().ok())
            .unwrap();
        assert!(count >= 5, "{count} pages");
        let runs = text_runs(&pdf);
        // The header repeats on every page the table spans.
        assert!(runs.iter().filter(|r| *r == "name").count() >= 2);
        assert!(runs.contains(&"row 149".to_owned()));
        assert_eq!(
            runs.last().map(String::as_str),
            Some(format!("{count} / {count}").as_str())
        );
    }
}
