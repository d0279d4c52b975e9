//! The PDF file: objects, the embedded font, the cross-reference table.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::OnceLock;

use crate::{PAGE_HEIGHT, PAGE_WIDTH, Pages};

/// The font file compressed once per process; compressing it on every document would cost more
/// than the rest of the document.
fn compressed(font: &'static [u8]) -> Option<&'static [u8]> {
    static COMPRESSED: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    COMPRESSED
        .get_or_init(|| {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(font).ok()?;
            encoder.finish().ok()
        })
        .as_deref()
}

/// A PDF text string: UTF-16BE with a byte-order mark, so any title survives.
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< /Length {}{extra} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Maps the used glyph ids back to characters, for searching, copying and screen readers.
fn to_unicode(pages: &Pages) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let mapped: Vec<(&u16, char)> = pages
        .glyphs
        .iter()
        .filter(|(gid, _)| **gid != 0)
        .map(|(gid, (_, c))| (gid, *c))
        .collect();
    for chunk in mapped.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let mut units = [0_u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(cmap, "<{gid:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    cmap
}

pub(crate) fn document(
    face: &ttf_parser::Face<'_>,
    font: &'static [u8],
    title: &str,
    pages: &Pages,
) -> Vec<u8> {
    let upem = f32::from(face.units_per_em());
    let mut widths = String::new();
    for (gid, (adv, _)) in &pages.glyphs {
        let _ = write!(widths, "{gid} [{:.0}] ", f32::from(*adv) * 1000.0 / upem);
    }
    // Fixed objects: 1 catalog, 2 page tree, 3 font, 4 CID font, 5 descriptor, 6 font file,
    // 7 ToUnicode, 8 info; then per page its page object and its content stream.
    const FIRST_PAGE: usize = 9;
    let kids: Vec<String> = (0..pages.contents.len())
        .map(|i| format!("{} 0 R", FIRST_PAGE + 2 * i))
        .collect();
    let font_file = match compressed(font) {
        Some(deflated) => stream(
            &format!(" /Length1 {} /Filter /FlateDecode", font.len()),
            deflated,
        ),
        None => stream(&format!(" /Length1 {}", font.len()), font),
    };
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            kids.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H \
           /DescendantFonts [4 0 R] /ToUnicode 7 0 R >>"
            .to_vec(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor 5 0 R /CIDToGIDMap /Identity /W [{widths}] >>"
        )
        .into_bytes(),
        format!(
            "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232] \
             /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight 729 /StemV 80 /FontFile2 6 0 R >>",
            face.ascender(),
            face.descender()
        )
        .into_bytes(),
        font_file,
        stream("", to_unicode(pages).as_bytes()),
        format!(
            "<< /Title {} /Producer (Amtsweg) >>",
            text_string(title)
        )
        .into_bytes(),
    ];
    for (i, content) in pages.contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH:.0} {PAGE_HEIGHT:.0}] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                FIRST_PAGE + 2 * i + 1
            )
            .into_bytes(),
        );
        objects.push(stream("", content.as_bytes()));
    }
    // PDF 1.4 readers know Type0 fonts with Identity-H and ToUnicode maps.
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 8 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}
