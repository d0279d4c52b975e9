//! The transfer package on change of jurisdiction: one ZIP holding `nachricht.xml` (a message in the
//! style of XAusländer: header, the person's core data, a manifest of documents with SHA-256 hashes
//! and reference-plan positions) and the documents under `dokumente/`. The structure is documented
//! in `docs/transfer-package.md`.
//!
//! [`open`] validates everything (XML structure, required elements, every manifest file present and
//! no other, sizes and hashes, reference positions known) and refuses a broken package whole with
//! the list of problems.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::fileplan::is_reference_position;
use crate::zip;

pub const MESSAGE_FILE: &str = "nachricht.xml";
pub const MESSAGE_TYPE: &str = "ABHABH.Aktenuebergabe";
pub const NAMESPACE: &str = "urn:amtsweg:xauslaender-stil:aktenuebergabe:1";
pub const SOURCES: [&str; 5] = ["online_application", "scan", "generated", "pik", "received"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub id: String,
    pub name: String,
    pub abh_kennung: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub message_uuid: String,
    pub message_type: String,
    pub created_at: String,
    pub sender: Authority,
    pub recipient: Authority,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherName {
    pub kind: String,
    pub family_name: String,
    pub given_names: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonCore {
    pub file_number: String,
    pub azr_number: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_name: String,
    pub birth_date: String,
    pub birth_place: String,
    pub birth_country: String,
    pub sex: String,
    pub nationality: String,
    pub other_names: Vec<OtherName>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub document_id: String,
    pub version: u32,
    pub file: String,
    pub title: String,
    pub media_type: String,
    pub source: String,
    pub reference_position: String,
    pub sha256: String,
    pub size: u64,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub header: Header,
    pub person: PersonCore,
    pub manifest: Vec<ManifestEntry>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn el(out: &mut String, indent: usize, name: &str, value: &str) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&format!("<{name}>{}</{name}>\n", esc(value)));
}

fn authority_xml(out: &mut String, name: &str, a: &Authority) {
    out.push_str(&format!("    <{name}>\n"));
    el(out, 6, "behoerdeId", &a.id);
    el(out, 6, "bezeichnung", &a.name);
    el(out, 6, "abhKennung", &a.abh_kennung);
    out.push_str(&format!("    </{name}>\n"));
}

impl Message {
    pub fn to_xml(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.push_str(&format!(
            "<nachricht xmlns=\"{NAMESPACE}\" version=\"1\">\n"
        ));
        x.push_str("  <nachrichtenkopf>\n");
        el(&mut x, 4, "nachrichtUUID", &self.header.message_uuid);
        el(&mut x, 4, "nachrichtentyp", &self.header.message_type);
        el(&mut x, 4, "erstellungszeitpunkt", &self.header.created_at);
        authority_xml(&mut x, "absender", &self.header.sender);
        authority_xml(&mut x, "empfaenger", &self.header.recipient);
        x.push_str("  </nachrichtenkopf>\n  <person>\n");
        let p = &self.person;
        for (name, value) in [
            ("aktenzeichen", &p.file_number),
            ("azrNummer", &p.azr_number),
            ("familienname", &p.family_name),
            ("vornamen", &p.given_names),
            ("geburtsname", &p.birth_name),
            ("geburtsdatum", &p.birth_date),
            ("geburtsort", &p.birth_place),
            ("geburtsstaat", &p.birth_country),
            ("geschlecht", &p.sex),
            ("staatsangehoerigkeit", &p.nationality),
        ] {
            el(&mut x, 4, name, value);
        }
        x.push_str("    <weitereNamen>\n");
        for n in &p.other_names {
            x.push_str(&format!("      <name art=\"{}\">\n", esc(&n.kind)));
            el(&mut x, 8, "familienname", &n.family_name);
            el(&mut x, 8, "vornamen", &n.given_names);
            x.push_str("      </name>\n");
        }
        x.push_str("    </weitereNamen>\n  </person>\n  <manifest>\n");
        for d in &self.manifest {
            x.push_str(&format!(
                "    <dokument id=\"{}\" version=\"{}\">\n",
                esc(&d.document_id),
                d.version
            ));
            el(&mut x, 6, "datei", &d.file);
            el(&mut x, 6, "titel", &d.title);
            el(&mut x, 6, "mimeType", &d.media_type);
            el(&mut x, 6, "quelle", &d.source);
            el(&mut x, 6, "referenzposition", &d.reference_position);
            el(&mut x, 6, "sha256", &d.sha256);
            el(&mut x, 6, "groesse", &d.size.to_string());
            el(&mut x, 6, "erstellt", &d.created_at);
            x.push_str("    </dokument>\n");
        }
        x.push_str("  </manifest>\n</nachricht>\n");
        x
    }
}

/// Builds the package: the message plus each document's bytes under its manifest file name.
pub fn build(message: &Message, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut entries = vec![(MESSAGE_FILE.to_owned(), message.to_xml().into_bytes())];
    entries.extend(files.iter().cloned());
    zip::write(&entries)
}

/// Why a package was refused. All problems are collected, so the sender can fix them at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub problems: Vec<String>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problems.join("; "))
    }
}

/// A validated package: the message and every document's bytes by manifest file name.
#[derive(Debug, Clone)]
pub struct Opened {
    pub message: Message,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Opens and validates a package; nothing of a refused package may be used.
pub fn open(bytes: &[u8]) -> Result<Opened, Refusal> {
    let refuse = |p: String| Refusal { problems: vec![p] };
    let mut entries = zip::read(bytes).map_err(|err| refuse(format!("container: {err}")))?;
    let xml = entries
        .remove(MESSAGE_FILE)
        .ok_or_else(|| refuse(format!("{MESSAGE_FILE} is missing")))?;
    let xml = String::from_utf8(xml).map_err(|_| refuse("message: not UTF-8".into()))?;
    let root = xml::parse(&xml).map_err(|err| refuse(format!("message: {err}")))?;
    let mut problems = Vec::new();
    let message = read_message(&root, &mut problems);
    let mut named = BTreeSet::new();
    for d in &message.manifest {
        let what = format!("document {}", d.document_id);
        if !named.insert(d.file.clone()) {
            problems.push(format!("{what}: file {} listed twice", d.file));
        }
        if !d.file.starts_with("dokumente/") {
            problems.push(format!("{what}: file outside dokumente/"));
        }
        if !SOURCES.contains(&d.source.as_str()) {
            problems.push(format!("{what}: unknown source `{}`", d.source));
        }
        if !is_reference_position(&d.reference_position) {
            problems.push(format!(
                "{what}: unknown reference position `{}`",
                d.reference_position
            ));
        }
        match entries.get(&d.file) {
            None => problems.push(format!("{what}: file {} missing", d.file)),
            Some(data) => {
                if data.len() as u64 != d.size {
                    problems.push(format!("{what}: size differs from the manifest"));
                }
                if sha256_hex(data) != d.sha256.to_ascii_lowercase() {
                    problems.push(format!("{what}: SHA-256 differs from the manifest"));
                }
            }
        }
    }
    for name in entries.keys() {
        if !named.contains(name) {
            problems.push(format!("file {name} is not in the manifest"));
        }
    }
    if problems.is_empty() {
        Ok(Opened {
            message,
            files: entries,
        })
    } else {
        Err(Refusal { problems })
    }
}

fn req(problems: &mut Vec<String>, parent: &xml::Element, path: &str, name: &str) -> String {
    match parent.child(name) {
        Some(e) => e.text.clone(),
        None => {
            problems.push(format!("{path}/{name} missing"));
            String::new()
        }
    }
}

fn authority(problems: &mut Vec<String>, parent: Option<&xml::Element>, path: &str) -> Authority {
    let empty = xml::Element::default();
    let e = parent.unwrap_or(&empty);
    Authority {
        id: req(problems, e, path, "behoerdeId"),
        name: req(problems, e, path, "bezeichnung"),
        abh_kennung: req(problems, e, path, "abhKennung"),
    }
}

fn read_message(root: &xml::Element, problems: &mut Vec<String>) -> Message {
    if root.name != "nachricht" {
        problems.push(format!("root element is `{}`, not `nachricht`", root.name));
    }
    if root.attr("xmlns") != Some(NAMESPACE) {
        problems.push("unknown namespace".into());
    }
    let empty = xml::Element::default();
    let head = match root.child("nachrichtenkopf") {
        Some(h) => h,
        None => {
            problems.push("nachrichtenkopf missing".into());
            &empty
        }
    };
    let header = Header {
        message_uuid: req(problems, head, "nachrichtenkopf", "nachrichtUUID"),
        message_type: req(problems, head, "nachrichtenkopf", "nachrichtentyp"),
        created_at: req(problems, head, "nachrichtenkopf", "erstellungszeitpunkt"),
        sender: authority(problems, head.child("absender"), "absender"),
        recipient: authority(problems, head.child("empfaenger"), "empfaenger"),
    };
    let p = match root.child("person") {
        Some(p) => p,
        None => {
            problems.push("person missing".into());
            &empty
        }
    };
    let mut person = PersonCore {
        file_number: req(problems, p, "person", "aktenzeichen"),
        azr_number: req(problems, p, "person", "azrNummer"),
        family_name: req(problems, p, "person", "familienname"),
        given_names: req(problems, p, "person", "vornamen"),
        birth_name: req(problems, p, "person", "geburtsname"),
        birth_date: req(problems, p, "person", "geburtsdatum"),
        birth_place: req(problems, p, "person", "geburtsort"),
        birth_country: req(problems, p, "person", "geburtsstaat"),
        sex: req(problems, p, "person", "geschlecht"),
        nationality: req(problems, p, "person", "staatsangehoerigkeit"),
        other_names: Vec::new(),
    };
    if let Some(names) = p.child("weitereNamen") {
        for n in names.children.iter().filter(|c| c.name == "name") {
            person.other_names.push(OtherName {
                kind: n.attr("art").unwrap_or_default().to_owned(),
                family_name: req(problems, n, "name", "familienname"),
                given_names: req(problems, n, "name", "vornamen"),
            });
        }
    }
    let mut manifest = Vec::new();
    match root.child("manifest") {
        None => problems.push("manifest missing".into()),
        Some(m) => {
            for d in m.children.iter().filter(|c| c.name == "dokument") {
                let size_text = req(problems, d, "dokument", "groesse");
                let version = d.attr("version").and_then(|v| v.parse().ok()).unwrap_or(0);
                let entry = ManifestEntry {
                    document_id: d.attr("id").unwrap_or_default().to_owned(),
                    version,
                    file: req(problems, d, "dokument", "datei"),
                    title: req(problems, d, "dokument", "titel"),
                    media_type: req(problems, d, "dokument", "mimeType"),
                    source: req(problems, d, "dokument", "quelle"),
                    reference_position: req(problems, d, "dokument", "referenzposition"),
                    sha256: req(problems, d, "dokument", "sha256"),
                    size: size_text.parse().unwrap_or(u64::MAX),
                    created_at: req(problems, d, "dokument", "erstellt"),
                };
                if entry.document_id.is_empty() || version == 0 {
                    problems.push("dokument without id or version".into());
                }
                manifest.push(entry);
            }
        }
    }
    if header.message_type != MESSAGE_TYPE && !header.message_type.is_empty() {
        problems.push(format!("unexpected message type `{}`", header.message_type));
    }
    if person.family_name.trim().is_empty() {
        problems.push("person/familienname is empty".into());
    }
    Message {
        header,
        person,
        manifest,
    }
}

/// A strict reader for the small XML subset the message uses: elements, double- or single-quoted
/// attributes, text with the five predefined entities, an XML declaration. Comments, CDATA,
/// processing instructions and DTDs are refused (no entity expansion, no external references).
pub mod xml {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Element {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<Element>,
        pub text: String,
    }

    impl Element {
        pub fn child(&self, name: &str) -> Option<&Element> {
            self.children.iter().find(|c| c.name == name)
        }

        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }
    }

    pub fn parse(input: &str) -> Result<Element, String> {
        let mut rest = input.trim_start_matches('\u{feff}').trim_start();
        if let Some(after) = rest.strip_prefix("<?xml") {
            let end = after.find("?>").ok_or("unterminated XML declaration")?;
            rest = after[end + 2..].trim_start();
        }
        let mut stack: Vec<Element> = Vec::new();
        let mut root = None;
        while !rest.is_empty() {
            if root.is_some() {
                if rest.trim().is_empty() {
                    break;
                }
                return Err("content after the root element".into());
            }
            if let Some(after) = rest.strip_prefix("</") {
                let end = after.find('>').ok_or("unterminated end tag")?;
                let name = after[..end].trim();
                let done = stack.pop().ok_or("end tag without start")?;
                if done.name != name {
                    return Err(format!("`{}` closed by `{name}`", done.name));
                }
                rest = &after[end + 1..];
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                return Err(
                    "comments, CDATA, DTDs and processing instructions are not accepted".into(),
                );
            } else if let Some(after) = rest.strip_prefix('<') {
                let end = after.find('>').ok_or("unterminated start tag")?;
                let mut tag = &after[..end];
                let self_closing = tag.ends_with('/');
                if self_closing {
                    tag = &tag[..tag.len() - 1];
                }
                let element = start_tag(tag)?;
                rest = &after[end + 1..];
                if self_closing {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                } else {
                    if stack.len() > 32 {
                        return Err("nested too deeply".into());
                    }
                    stack.push(element);
                }
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let text = unescape(&rest[..end])?;
                match stack.last_mut() {
                    Some(open) => open.text.push_str(text.trim()),
                    None if text.trim().is_empty() => {}
                    None => return Err("text outside the root element".into()),
                }
                rest = &rest[end..];
            }
        }
        if !stack.is_empty() {
            return Err("unclosed elements".into());
        }
        root.ok_or_else(|| "no root element".into())
    }

    fn start_tag(tag: &str) -> Result<Element, String> {
        let tag = tag.trim();
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.:".contains(c))
        {
            return Err(format!("bad element name `{name}`"));
        }
        let mut element = Element {
            name: name.to_owned(),
            ..Element::default()
        };
        let mut rest = tag[name_end..].trim_start();
        while !rest.is_empty() {
            let eq = rest.find('=').ok_or("attribute without value")?;
            let key = rest[..eq].trim().to_owned();
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next().ok_or("attribute without value")?;
            if quote != '"' && quote != '\'' {
                return Err("unquoted attribute".into());
            }
            let close = after[1..].find(quote).ok_or("unterminated attribute")?;
            element.attrs.push((key, unescape(&after[1..1 + close])?));
            rest = after[close + 2..].trim_start();
        }
        Ok(element)
    }

    fn unescape(s: &str) -> Result<String, String> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';').ok_or("unterminated entity")?;
            out.push_str(match &rest[at..at + end + 1] {
                "&lt;" => "<",
                "&gt;" => ">",
                "&amp;" => "&",
                "&quot;" => "\"",
                "&apos;" => "'",
                other => return Err(format!("unknown entity {other}")),
            });
            rest = &rest[at + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Message, Vec<(String, Vec<u8>)>) {
        let doc = b"%PDF-1.4 passport scan".to_vec();
        let authority = |n: &str| Authority {
            id: format!("id-{n}"),
            name: format!("ABH {n} & <Co>"),
            abh_kennung: "05711000".into(),
        };
        let message = Message {
            header: Header {
                message_uuid: "0190f0f0-0000-7000-8000-000000000001".into(),
                message_type: MESSAGE_TYPE.into(),
                created_at: "2026-03-02T09:00:00Z".into(),
                sender: authority("Borken"),
                recipient: authority("Bielefeld"),
            },
            person: PersonCore {
                file_number: "A-1".into(),
                azr_number: "123456789012".into(),
                family_name: "Yılmaz".into(),
                given_names: "Ayşe".into(),
                birth_date: "1990-01-02".into(),
                other_names: vec![OtherName {
                    kind: "spelling".into(),
                    family_name: "Yilmaz".into(),
                    given_names: "Ayse".into(),
                }],
                ..PersonCore::default()
            },
            manifest: vec![ManifestEntry {
                document_id: "d1".into(),
                version: 1,
                file: "dokumente/d1-v1".into(),
                title: "Reisepass".into(),
                media_type: "application/pdf".into(),
                source: "scan".into(),
                reference_position: "01.01".into(),
                sha256: sha256_hex(&doc),
                size: doc.len() as u64,
                created_at: "2026-01-01T00:00:00Z".into(),
            }],
        };
        (message, vec![("dokumente/d1-v1".into(), doc)])
    }

    #[test]
    fn a_package_round_trips() {
        let (message, files) = sample();
        let bytes = build(&message, &files);
        let opened = open(&bytes).unwrap();
        assert_eq!(opened.message, message);
        assert_eq!(opened.files["dokumente/d1-v1"], files[0].1);
    }

    #[test]
    fn broken_packages_are_refused_whole() {
        let (message, files) = sample();
        // Wrong hash.
        let mut bad = message.clone();
        bad.manifest[0].sha256 = sha256_hex(b"other");
        assert!(
            open(&build(&bad, &files))
                .unwrap_err()
                .to_string()
                .contains("SHA-256")
        );
        // Unknown reference position and missing file.
        let mut bad = message.clone();
        bad.manifest[0].reference_position = "99".into();
        let err = open(&build(&bad, &[])).unwrap_err();
        assert_eq!(err.problems.len(), 2, "{err}");
        // A file not in the manifest.
        let mut extra = files.clone();
        extra.push(("dokumente/smuggled".into(), b"x".to_vec()));
        assert!(open(&build(&message, &extra)).is_err());
        // Not a ZIP, and XML that is not well-formed.
        assert!(open(b"hello").is_err());
        let zip =
            crate::zip::write(&[(MESSAGE_FILE.into(), b"<nachricht><a></nachricht>".to_vec())]);
        assert!(open(&zip).is_err());
        let zip = crate::zip::write(&[(
            MESSAGE_FILE.into(),
            b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><nachricht/>".to_vec(),
        )]);
        assert!(open(&zip).is_err());
    }
}
