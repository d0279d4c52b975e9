//! Scanned paper mail (issue 4, scan intake in the spirit of BSI TR-RESISCAN, TR 03138): reading a
//! scanner's PDF, finding separator sheets, splitting a batch into documents, the quality check of
//! each document, the text layer, and the printable separator sheet.
//!
//! Splitting copies a page's objects as they are (content streams, images, fonts, inherited
//! resources): the pages that do not belong to a document are deleted from a copy of the batch and
//! unreferenced objects pruned, so nothing on a kept page is re-encoded.
//!
//! A separator sheet is recognised by [`SEPARATOR_MARKER`] in the page's text layer (our sheet
//! carries one; a scanner that makes searchable PDFs keeps it; letters and digits are compared
//! only, so spacing and a misread hyphen do not matter), or, on a scan without a text layer, by
//! its four solid corner marks in the page's image ([`PageInfo::corner_marks`]).

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};
use serde::{Deserialize, Serialize};

/// The text every separator sheet carries (printed large, and in its text layer).
pub const SEPARATOR_MARKER: &str = "AMTSWEG-TRENNBLATT";

/// Below this estimated resolution a scanned page fails the quality check (TR-RESISCAN asks for a
/// resolution that keeps the document readable; 200 dpi is the usual floor for office documents).
pub const MIN_DPI: u32 = 200;

/// Decompressed content per page we are willing to read (a small stream must not inflate without
/// bound).
const MAX_PAGE_CONTENT: usize = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the PDF cannot be read")]
    Unreadable,
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the PDF has no pages")]
    NoPages,
    #[error("a page range outside the PDF")]
    PageRange,
    #[error("the PDF cannot be written")]
    Write,
}

/// What one page of a PDF holds.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// 1-based.
    pub number: u32,
    /// The text layer (empty when the page has none).
    pub text: String,
    /// Pixel size of the largest image drawn on the page.
    pub largest_image: Option<(u32, u32)>,
    /// Page size in points (1/72 inch), from the (inherited) media box.
    pub size_pt: (f64, f64),
    /// Nothing is drawn on the page, or only images that are (almost) white.
    pub blank: bool,
    /// The page's image shows the separator sheet's four corner marks: how a separator is
    /// recognised on a scan without a text layer (see [`has_corner_marks`]).
    pub corner_marks: bool,
}

impl PageInfo {
    /// The resolution of the largest image if it covers the page (a scanned page does).
    pub fn dpi_estimate(&self) -> Option<u32> {
        let (w, h) = self.largest_image?;
        let (pw, ph) = self.size_pt;
        if pw <= 0.0 || ph <= 0.0 {
            return None;
        }
        let dpi_x = f64::from(w) * 72.0 / pw;
        let dpi_y = f64::from(h) * 72.0 / ph;
        Some(dpi_x.min(dpi_y).round() as u32)
    }

    pub fn has_text_layer(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }
}

/// A loaded PDF with what the intake needs of every page.
pub struct ScannedPdf {
    document: Document,
    pub pages: Vec<PageInfo>,
}

impl ScannedPdf {
    pub fn read(bytes: &[u8]) -> Result<Self, ScanError> {
        let document = Document::load_mem(bytes).map_err(|_| ScanError::Unreadable)?;
        if document.is_encrypted() {
            return Err(ScanError::Encrypted);
        }
        let mut pages = Vec::new();
        for (number, id) in document.get_pages() {
            pages.push(page_info(&document, number, id));
        }
        if pages.is_empty() {
            return Err(ScanError::NoPages);
        }
        Ok(Self { document, pages })
    }

    pub fn page_count(&self) -> u32 {
        u32::try_from(self.pages.len()).unwrap_or(u32::MAX)
    }

    /// A new PDF with the pages `first..=last` (1-based) of this one, each page's objects intact.
    pub fn extract(&self, first: u32, last: u32) -> Result<Vec<u8>, ScanError> {
        if first == 0 || last < first || last > self.page_count() {
            return Err(ScanError::PageRange);
        }
        let mut copy = self.document.clone();
        let others: Vec<u32> = (1..=self.page_count())
            .filter(|n| *n < first || *n > last)
            .collect();
        copy.delete_pages(&others);
        copy.prune_objects();
        let mut out = Vec::new();
        copy.save_to(&mut out).map_err(|_| ScanError::Write)?;
        Ok(out)
    }

    /// The images drawn on a page in a form an OCR engine reads: JPEG as stored, and 8-bit grey
    /// or RGB (also Flate-compressed) and 1-bit images as PNM. Other encodings are skipped.
    pub fn page_images(&self, number: u32) -> Vec<Vec<u8>> {
        let Some(id) = self.document.get_pages().get(&number).copied() else {
            return Vec::new();
        };
        let Ok(images) = self.document.get_page_images(id) else {
            return Vec::new();
        };
        images
            .iter()
            .filter_map(|image| {
                let filters = image.filters.clone().unwrap_or_default();
                if filters.iter().any(|f| f == "DCTDecode") {
                    return Some(image.content.to_vec());
                }
                let raw = raw_pixels(&self.document, image.id)?;
                pnm(&raw)
            })
            .collect()
    }
}

/// An image's pixels after its filters, with the layout needed to read them.
struct RawImage {
    width: usize,
    height: usize,
    components: usize,
    bits: usize,
    data: Vec<u8>,
}

fn raw_pixels(document: &Document, id: ObjectId) -> Option<RawImage> {
    let stream = document.get_object(id).ok()?.as_stream().ok()?;
    let dict = &stream.dict;
    let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let data = match filters.as_slice() {
        [] => stream.content.clone(),
        [f] if f.as_slice() == b"FlateDecode" => stream
            .decompressed_content_with_limit(MAX_PAGE_CONTENT)
            .ok()?,
        // Most scanners store each page as one JPEG: decoded to grey for the blank-page check.
        [f] if f.as_slice() == b"DCTDecode" => return jpeg_grey(&stream.content),
        _ => return None,
    };
    let width = usize::try_from(dict.get(b"Width").ok()?.as_i64().ok()?).ok()?;
    let height = usize::try_from(dict.get(b"Height").ok()?.as_i64().ok()?).ok()?;
    let bits = usize::try_from(dict.get(b"BitsPerComponent").ok()?.as_i64().ok()?).ok()?;
    let components = match dict.get(b"ColorSpace").ok()? {
        Object::Name(n) if n.as_slice() == b"DeviceGray" => 1,
        Object::Name(n) if n.as_slice() == b"DeviceRGB" => 3,
        _ => return None,
    };
    let row = (width * components * bits).div_ceil(8);
    if !(bits == 8 || (bits == 1 && components == 1)) || data.len() < row * height {
        return None;
    }
    Some(RawImage {
        width,
        height,
        components,
        bits,
        data,
    })
}

/// The largest JPEG decoded for the blank-page check: a 600-dpi A3 page (7,016 × 9,921), about
/// 70 MB of grey pixels. Larger images are not judged.
const MAX_JPEG_SIDE: usize = 10_000;

/// A JPEG's luminance as 8-bit grey (`None` when it cannot be decoded or is too large). The
/// decoder (`zune-jpeg`, pure Rust) refuses dimensions beyond the limit before allocating.
fn jpeg_grey(bytes: &[u8]) -> Option<RawImage> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;

    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(MAX_JPEG_SIDE)
        .set_max_height(MAX_JPEG_SIDE);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let data = decoder.decode().ok()?;
    let (width, height) = decoder.dimensions()?;
    (data.len() >= width * height).then_some(RawImage {
        width,
        height,
        components: 1,
        bits: 8,
        data,
    })
}

/// PGM, PPM or PBM: headers OCR engines (Leptonica) read without a codec.
fn pnm(image: &RawImage) -> Option<Vec<u8>> {
    let (magic, max) = match (image.components, image.bits) {
        (1, 8) => ("P5", "\n255"),
        (3, 8) => ("P6", "\n255"),
        (1, 1) => ("P4", ""),
        _ => return None,
    };
    let mut out = format!("{magic}\n{} {}{max}\n", image.width, image.height).into_bytes();
    let row = (image.width * image.components * image.bits).div_ceil(8);
    let body = &image.data[..row * image.height];
    if image.bits == 1 {
        // PDF DeviceGray 1-bit: 0 is black; PBM: 1 is black.
        out.extend(body.iter().map(|b| !b));
    } else {
        out.extend_from_slice(body);
    }
    Some(out)
}

/// Share of pixels darker than light grey; `None` when the image cannot be read here.
fn ink_share(image: &RawImage) -> Option<f64> {
    if image.bits != 8 {
        return None;
    }
    let pixels = image.width * image.height;
    if pixels == 0 {
        return Some(0.0);
    }
    let dark = image
        .data
        .chunks(image.components)
        .take(pixels)
        .filter(|px| {
            let sum: usize = px.iter().map(|v| usize::from(*v)).sum();
            sum / image.components < 200
        })
        .count();
    Some(dark as f64 / pixels as f64)
}

/// Whether a scanned page shows the separator sheet's corner marks: in each of its four corners
/// a solid dark square of about 9.5 % of the page's short side (20 mm on A4), found anywhere
/// between 3 % and 32 % of the short side from both edges, so a page scanned a few millimetres
/// off, turned by 90° or 180°, or mirrored still matches. A page that is dark overall (a
/// photograph, a copy of a dark card) never matches. The image is averaged down to about 300
/// pixels on its short side first, which also smooths scanner noise.
fn has_corner_marks(image: &RawImage) -> bool {
    const SHORT_SIDE: usize = 300;
    let short = image.width.min(image.height);
    if short < 60 || image.bits != 8 {
        return false;
    }
    let k = (short / SHORT_SIDE).max(1);
    let (w, h) = (image.width / k, image.height / k);
    // Dark cells of the reduced image, as a summed-area table (one extra row and column of 0).
    let mut sums = vec![0u32; (w + 1) * (h + 1)];
    let mut dark_total = 0u64;
    for y in 0..h {
        let mut row = 0u32;
        for x in 0..w {
            let mut sum = 0usize;
            for dy in 0..k {
                let start = ((y * k + dy) * image.width + x * k) * image.components;
                let Some(cells) = image.data.get(start..start + k * image.components) else {
                    return false;
                };
                sum += cells.iter().map(|v| usize::from(*v)).sum::<usize>();
            }
            let dark = u32::from(sum / (k * k * image.components) < 128);
            dark_total += u64::from(dark);
            row += dark;
            sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
        }
    }
    if dark_total * 10 > (w * h) as u64 * 3 {
        return false;
    }
    let area = |x: usize, y: usize, side: usize| -> u32 {
        let (x1, y1) = (x + side, y + side);
        sums[y1 * (w + 1) + x1] + sums[y * (w + 1) + x]
            - sums[y * (w + 1) + x1]
            - sums[y1 * (w + 1) + x]
    };
    let s = w.min(h);
    // The probe is smaller than the mark, so a slightly turned or blurred square still fills it.
    let side = (s * 75 / 1000).max(3);
    let (near, far) = (s * 3 / 100, (s * 32 / 100).saturating_sub(side));
    let needed = u32::try_from(side * side * 85 / 100).unwrap_or(u32::MAX);
    let corner = |from_right: bool, from_bottom: bool| {
        (near..=far).any(|dy| {
            (near..=far).any(|dx| {
                let x = if from_right { w - side - dx } else { dx };
                let y = if from_bottom { h - side - dy } else { dy };
                area(x, y, side) >= needed
            })
        })
    };
    far > near
        && corner(false, false)
        && corner(true, false)
        && corner(false, true)
        && corner(true, true)
}

/// Operators that put something on the page.
const PAINTING: &[&str] = &[
    "Tj", "TJ", "'", "\"", "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI",
];

fn page_info(document: &Document, number: u32, id: ObjectId) -> PageInfo {
    let text = document
        .extract_text_with_limit(&[number], MAX_PAGE_CONTENT)
        .unwrap_or_default();
    let content = document
        .get_page_content_with_limit(id, MAX_PAGE_CONTENT)
        .ok()
        .and_then(|bytes| Content::decode(&bytes).ok())
        .map(|c| c.operations)
        .unwrap_or_default();
    let paints = |op: &Operation| PAINTING.contains(&op.operator.as_str());
    let draws_other_than_images = content.iter().any(|op| paints(op) && op.operator != "Do");
    let images = document.get_page_images(id).unwrap_or_default();
    let largest_image = images
        .iter()
        .filter_map(|i| Some((u32::try_from(i.width).ok()?, u32::try_from(i.height).ok()?)))
        .max_by_key(|(w, h)| u64::from(*w) * u64::from(*h));
    let decoded: Vec<Option<RawImage>> =
        images.iter().map(|i| raw_pixels(document, i.id)).collect();
    let images_blank = decoded.iter().all(|raw| {
        raw.as_ref()
            .and_then(ink_share)
            .is_some_and(|share| share < 0.001)
    });
    let corner_marks = decoded
        .iter()
        .flatten()
        .max_by_key(|raw| raw.width * raw.height)
        .is_some_and(has_corner_marks);
    let blank = !text.chars().any(|c| !c.is_whitespace())
        && !draws_other_than_images
        && (images.is_empty() || images_blank);
    PageInfo {
        number,
        text,
        largest_image,
        size_pt: media_box(document, id),
        blank,
        corner_marks,
    }
}

fn media_box(document: &Document, page: ObjectId) -> (f64, f64) {
    let mut node = document.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(dict) = node else { break };
        if let Ok(Object::Array(rect)) = dict.get(b"MediaBox").map(|o| match o {
            Object::Reference(id) => document.get_object(*id).cloned().unwrap_or(Object::Null),
            other => other.clone(),
        }) {
            let n: Vec<f64> = rect.iter().filter_map(number).collect();
            if let [x0, y0, x1, y1] = n.as_slice() {
                return ((x1 - x0).abs(), (y1 - y0).abs());
            }
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .ok()
            .and_then(|id| document.get_dictionary(id).ok());
    }
    // A4, the usual size of German mail, when the PDF names none.
    (595.0, 842.0)
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// Whether a page's text (text layer or OCR) names it a separator sheet.
pub fn is_separator_text(text: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    fold(text).contains(&fold(SEPARATOR_MARKER))
}

/// The documents of a batch: runs of pages between separator pages (1-based, inclusive ranges).
/// Separators at the start, at the end or in a row make no empty document.
pub fn split_ranges(page_count: u32, separators: &[u32]) -> Vec<(u32, u32)> {
    let mut ranges = Vec::new();
    let mut start = None;
    for page in 1..=page_count {
        if separators.contains(&page) {
            if let Some(first) = start.take() {
                ranges.push((first, page - 1));
            }
        } else if start.is_none() {
            start = Some(page);
        }
    }
    if let Some(first) = start {
        ranges.push((first, page_count));
    }
    ranges
}

// ---------------------------------------------------------------------------------------------
// Quality check

/// One finding of the quality check. `fail` findings fail the check; `note` findings are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// `no_pages`, `unreadable`, `blank_page`, `low_resolution`, `resolution_unknown`, `no_text_layer`
    pub code: String,
    pub severity: Severity,
    /// 1-based page within the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The measured value (dpi for resolution findings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Fail,
    Note,
}

impl Finding {
    fn new(code: &str, severity: Severity, page: Option<u32>, value: Option<u32>) -> Self {
        Self {
            code: code.to_owned(),
            severity,
            page,
            value,
        }
    }
}

/// The quality check's result: passed when no finding fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    pub passed: bool,
    pub findings: Vec<Finding>,
}

impl Quality {
    fn of(findings: Vec<Finding>) -> Self {
        Self {
            passed: !findings.iter().any(|f| f.severity == Severity::Fail),
            findings,
        }
    }

    /// A PDF that could not be read (the upload is refused; this is what the batch would get).
    pub fn unreadable() -> Self {
        Self::of(vec![Finding::new("unreadable", Severity::Fail, None, None)])
    }
}

/// Checks the pages of one document (numbered from 1 within it): pages exist, none is blank, every
/// scanned page has at least [`MIN_DPI`], and says where a text layer is missing (OCR needed).
pub fn check_pages(pages: &[PageInfo]) -> Quality {
    let mut findings = Vec::new();
    if pages.is_empty() {
        findings.push(Finding::new("no_pages", Severity::Fail, None, None));
    }
    for (index, page) in pages.iter().enumerate() {
        let n = u32::try_from(index + 1).ok();
        if page.blank {
            findings.push(Finding::new("blank_page", Severity::Fail, n, None));
            continue;
        }
        if let Some(dpi) = page.dpi_estimate()
            && dpi < MIN_DPI
        {
            findings.push(Finding::new("low_resolution", Severity::Fail, n, Some(dpi)));
        }
        if !page.has_text_layer() {
            findings.push(Finding::new("no_text_layer", Severity::Note, n, None));
        }
    }
    Quality::of(findings)
}

/// Pixel size and resolution (dpi) of a JPEG or PNG, read from its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    pub width: u32,
    pub height: u32,
    pub dpi: Option<u32>,
}

/// Checks a single scanned image: readable, and its stated resolution (when it states one).
pub fn check_image(bytes: &[u8]) -> Quality {
    match image_header(bytes) {
        None => Quality::unreadable(),
        Some(header) => Quality::of(match header.dpi {
            Some(dpi) if dpi < MIN_DPI => vec![Finding::new(
                "low_resolution",
                Severity::Fail,
                Some(1),
                Some(dpi),
            )],
            Some(_) => Vec::new(),
            None => vec![Finding::new(
                "resolution_unknown",
                Severity::Note,
                Some(1),
                None,
            )],
        }),
    }
}

pub fn image_header(bytes: &[u8]) -> Option<ImageHeader> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        png_header(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_header(bytes)
    } else {
        None
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn png_header(bytes: &[u8]) -> Option<ImageHeader> {
    // Signature (8), then chunks: length (4), type (4), data, CRC (4). IHDR comes first.
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let mut header = ImageHeader {
        width: be32(bytes, 16)?,
        height: be32(bytes, 20)?,
        dpi: None,
    };
    let mut at = 8;
    while let (Some(len), Some(kind)) = (be32(bytes, at), bytes.get(at + 4..at + 8)) {
        let data = at + 8;
        if kind == b"pHYs" && bytes.get(data + 8) == Some(&1) {
            // Pixels per metre.
            let ppm = be32(bytes, data)?.min(be32(bytes, data + 4)?);
            header.dpi = Some((f64::from(ppm) * 0.0254).round() as u32);
        }
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        at = data + usize::try_from(len).ok()? + 4;
    }
    Some(header)
}

fn jpeg_header(bytes: &[u8]) -> Option<ImageHeader> {
    let mut dpi = None;
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let len = usize::from(be16(bytes, at + 2)?);
        let data = at + 4;
        match marker {
            // APP0 JFIF: units (1 = dpi, 2 = dots per cm), then x and y density.
            0xE0 if bytes.get(data..data + 5) == Some(b"JFIF\0") => {
                let units = *bytes.get(data + 7)?;
                let density = be16(bytes, data + 8)?.min(be16(bytes, data + 10)?);
                dpi = match units {
                    1 => Some(u32::from(density)),
                    2 => Some((f64::from(density) * 2.54).round() as u32),
                    _ => None,
                };
            }
            // Start of frame (baseline, progressive, …): height, then width.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some(ImageHeader {
                    height: u32::from(be16(bytes, data + 1)?),
                    width: u32::from(be16(bytes, data + 3)?),
                    dpi,
                });
            }
            _ => {}
        }
        at = data + len - 2;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The separator sheet

/// A printable A4 separator sheet: the marker large and in the text layer, and a short instruction
/// (German and English, plain Latin-1 text so the standard Helvetica font can show it).
pub fn separator_sheet() -> Result<Vec<u8>, ScanError> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut ops = vec![
        // A thick frame, so the sheet stands out in a stack of paper.
        Operation::new("w", vec![12.into()]),
        Operation::new("re", vec![36.into(), 36.into(), 523.into(), 770.into()]),
        Operation::new("S", vec![]),
    ];
    // The corner marks: a solid square of 20 mm (56.7 pt) in each corner, 60 pt from the edges,
    // which `has_corner_marks` finds on a scan that has no text layer.
    for (x, y) in [(60, 60), (478, 60), (60, 725), (478, 725)] {
        ops.push(Operation::new(
            "re",
            vec![x.into(), y.into(), 57.into(), 57.into()],
        ));
    }
    ops.push(Operation::new("f", vec![]));
    let lines: [(i64, i64, &str); 6] = [
        (34, 620, "TRENNBLATT"),
        (22, 560, SEPARATOR_MARKER),
        (14, 470, "Bitte vor jedes Dokument eines Stapels legen."),
        (14, 448, "Place in front of every document of a batch."),
        (14, 400, "Amtsweg Scan-Eingang / scan intake"),
        (22, 160, SEPARATOR_MARKER),
    ];
    for (size, y, text) in lines {
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), size.into()]),
            Operation::new("Td", vec![72.into(), y.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ]);
    }
    let content = Content { operations: ops }
        .encode()
        .map_err(|_| ScanError::Write)?;
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|_| ScanError::Write)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_split_at_separators_without_empty_documents() {
        assert_eq!(split_ranges(5, &[]), vec![(1, 5)]);
        assert_eq!(split_ranges(6, &[1, 4]), vec![(2, 3), (5, 6)]);
        assert_eq!(split_ranges(6, &[3, 4, 6]), vec![(1, 2), (5, 5)]);
        assert!(split_ranges(2, &[1, 2]).is_empty());
    }

    #[test]
    fn the_marker_survives_spacing_and_case() {
        assert!(is_separator_text("xx amtsweg – trennblatt yy"));
        assert!(is_separator_text("AMTSWEG-TRENNBLATT"));
        assert!(!is_separator_text("Amtsweg Antrag"));
    }

    #[test]
    fn the_separator_sheet_is_recognised_and_not_blank() {
        let sheet = separator_sheet().unwrap();
        let pdf = ScannedPdf::read(&sheet).unwrap();
        assert_eq!(pdf.page_count(), 1);
        assert!(
            is_separator_text(&pdf.pages[0].text),
            "{}",
            pdf.pages[0].text
        );
        assert!(!pdf.pages[0].blank);
        assert_eq!(pdf.pages[0].size_pt, (595.0, 842.0));
    }

    /// A one-page PDF whose page is the JPEG, drawn over the whole A4 page, as scanners write.
    fn scanned_page(jpeg: &[u8]) -> Vec<u8> {
        let header = image_header(jpeg).unwrap();
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let image_id = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => i64::from(header.width),
                "Height" => i64::from(header.height),
                "ColorSpace" => "DeviceGray",
                "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            jpeg.to_vec(),
        ));
        let ops = vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    595.into(),
                    0.into(),
                    0.into(),
                    842.into(),
                    0.into(),
                    0.into(),
                ],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ];
        let content = Content { operations: ops }.encode().unwrap();
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page_id.into()],
                "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_scanned_jpeg_page_is_blank_only_without_ink() {
        // An empty sheet as a scanner sees it: light grey with noise, no text layer.
        let empty = ScannedPdf::read(&scanned_page(include_bytes!(
            "../../../tests/fixtures/blank-page.jpg"
        )))
        .unwrap();
        assert!(empty.pages[0].blank);
        // A typed letter, also an image only.
        let letter = ScannedPdf::read(&scanned_page(include_bytes!(
            "../../../tests/fixtures/text-page.jpg"
        )))
        .unwrap();
        assert!(!letter.pages[0].blank);
        // Bytes that only claim to be a JPEG are not judged blank.
        let mut broken = include_bytes!("../../../tests/fixtures/blank-page.jpg").to_vec();
        broken.truncate(200);
        let broken = ScannedPdf::read(&scanned_page(&broken)).unwrap();
        assert!(!broken.pages[0].blank);
    }

    #[test]
    fn a_scanned_separator_sheet_is_found_by_its_corner_marks() {
        // A 100-dpi scan of the printed sheet, a few millimetres off and turned by one degree,
        // as an image only: no text layer to read the marker from.
        let sheet = ScannedPdf::read(&scanned_page(include_bytes!(
            "../../../tests/fixtures/separator-scan.jpg"
        )))
        .unwrap();
        assert!(sheet.pages[0].corner_marks);
        assert!(!sheet.pages[0].blank);
        for page in [
            &include_bytes!("../../../tests/fixtures/text-page.jpg")[..],
            &include_bytes!("../../../tests/fixtures/blank-page.jpg")[..],
        ] {
            let pdf = ScannedPdf::read(&scanned_page(page)).unwrap();
            assert!(!pdf.pages[0].corner_marks);
        }
    }

    /// A grey page of 600 × 848 pixels (A4 at about 72 dpi) with dark squares drawn on it.
    fn page_with_squares(squares: &[(usize, usize, usize)], background: u8) -> RawImage {
        let (width, height) = (600, 848);
        let mut data = vec![background; width * height];
        for &(x, y, side) in squares {
            for row in y..y + side {
                data[row * width + x..row * width + x + side].fill(10);
            }
        }
        RawImage {
            width,
            height,
            components: 1,
            bits: 8,
            data,
        }
    }

    #[test]
    fn corner_marks_need_all_four_corners_on_a_light_page() {
        let at = [(60, 60), (482, 60), (60, 730), (482, 730)];
        let all: Vec<_> = at.iter().map(|&(x, y)| (x, y, 57)).collect();
        assert!(has_corner_marks(&page_with_squares(&all, 245)));
        // Turned by 90°: the same page with its sides swapped still has four marked corners.
        let turned = page_with_squares(&all, 245);
        let mut swapped = vec![0u8; turned.data.len()];
        for y in 0..turned.height {
            for x in 0..turned.width {
                swapped[x * turned.height + (turned.height - 1 - y)] =
                    turned.data[y * turned.width + x];
            }
        }
        assert!(has_corner_marks(&RawImage {
            width: turned.height,
            height: turned.width,
            components: 1,
            bits: 8,
            data: swapped,
        }));
        // A letterhead's dark logo in one corner, or three marks, are no separator.
        assert!(!has_corner_marks(&page_with_squares(&all[..1], 245)));
        assert!(!has_corner_marks(&page_with_squares(&all[..3], 245)));
        // Marks much smaller than the sheet's (a stamp's corner ornaments) do not count.
        let small: Vec<_> = at.iter().map(|&(x, y)| (x, y, 20)).collect();
        assert!(!has_corner_marks(&page_with_squares(&small, 245)));
        // A dark page (a photograph, a copy of a dark card) never matches.
        assert!(!has_corner_marks(&page_with_squares(&all, 40)));
    }

    #[test]
    fn image_headers_give_size_and_resolution() {
        // A 1×1 PNG with pHYs 11811 px/m (300 dpi).
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.extend(13u32.to_be_bytes());
        png.extend(b"IHDR");
        png.extend(1u32.to_be_bytes());
        png.extend(1u32.to_be_bytes());
        png.extend([8, 0, 0, 0, 0, 0, 0, 0, 0]);
        png.extend(9u32.to_be_bytes());
        png.extend(b"pHYs");
        png.extend(11811u32.to_be_bytes());
        png.extend(11811u32.to_be_bytes());
        png.extend([1, 0, 0, 0, 0]);
        png.extend(0u32.to_be_bytes());
        png.extend(b"IEND");
        assert_eq!(
            image_header(&png),
            Some(ImageHeader {
                width: 1,
                height: 1,
                dpi: Some(300)
            })
        );
        assert!(check_image(&png).passed);
        // A JPEG header with JFIF 72 dpi and a 10×20 frame.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 1, 0, 72, 0, 72, 0, 0,
            0xFF, 0xC0, 0, 11, 8, 0, 20, 0, 10, 1, 1, 0x11, 0,
        ];
        assert_eq!(
            image_header(&jpeg),
            Some(ImageHeader {
                width: 10,
                height: 20,
                dpi: Some(72)
            })
        );
        let quality = check_image(&jpeg);
        assert!(!quality.passed);
        assert_eq!(quality.findings[0].code, "low_resolution");
        assert!(!check_image(b"%PDF-").passed);
    }
}
