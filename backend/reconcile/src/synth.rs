//! Seeded synthetic extracts with ground truth.
//!
//! Generates persons of the nationalities most present in NRW (names from
//! [`crate::gazetteer`]), writes each person into the local register and/or the AZR extract,
//! and injects the errors seen in practice: transliteration variants, umlaut and diacritic
//! spellings, NFD/case/space noise, exchanged given and family names, partial dates and the
//! 1 January default, typos, transposed or borrowed AZR numbers, missing AZR numbers, persons
//! on one side only, duplicates on either side, twins, common names with the same default
//! date, changed residence status / permit / municipality, and malformed rows. About 9 % of
//! records end up not `identical`.

use crate::engine::SplitMix;
use crate::error::Error;
use crate::gazetteer::{ORIGINS, Origin};
use crate::norm::norm_eq;
use crate::outcome::{Class, Kind};
use crate::record::{FIELD_COUNT, Field, Record, Side};
use rustc_hash::FxHashSet;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Kreis Borken (a pilot ABH): its 17 municipalities (AGS).
const MUNICIPALITIES: [&str; 17] = [
    "05554004", "05554008", "05554012", "05554016", "05554020", "05554024", "05554028", "05554032",
    "05554036", "05554040", "05554044", "05554048", "05554052", "05554056", "05554060", "05554064",
    "05554068",
];

const GERMAN_PLACES: [&str; 8] = [
    "Bocholt",
    "Borken",
    "Münster",
    "Köln",
    "Düsseldorf",
    "Essen",
    "Dortmund",
    "Gronau",
];

const TITLES: [(&str, bool); 10] = [
    ("§ 25 Abs. 2 AufenthG", true),
    ("§ 25 Abs. 1 AufenthG", true),
    ("Duldung", true),
    ("Aufenthaltsgestattung", true),
    ("Niederlassungserlaubnis", false),
    ("Erlaubnis zum Daueraufenthalt-EU", false),
    ("Blaue Karte EU", true),
    ("§ 28 Abs. 1 AufenthG", true),
    ("§ 30 AufenthG", true),
    ("§ 16b AufenthG", true),
];

/// Ground truth of a generated data set.
#[derive(Clone, Debug, Default)]
pub struct Truth {
    pub links: Vec<(String, String)>,
    pub diffs: Vec<TruthDiff>,
    pub classes: Vec<(Side, String, Class)>,
    pub rejected_local: usize,
    pub rejected_azr: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruthDiff {
    pub local_record_id: String,
    pub azr_record_id: String,
    pub field: Field,
    pub kind: Kind,
    /// The side that holds the right value, where the generator knows it.
    pub correct_side: Option<Side>,
}

/// A generated pair of extracts.
pub struct Dataset {
    pub local: Vec<Record>,
    pub azr: Vec<Record>,
    /// Raw malformed lines, inserted among the rows when written.
    pub local_malformed: Vec<String>,
    pub azr_malformed: Vec<String>,
    pub truth: Truth,
    seed: u64,
}

type Injected = [Option<(Kind, Side)>; FIELD_COUNT];

struct Rec {
    v: [String; FIELD_COUNT],
    person: usize,
    inj: Injected,
}

struct Gen {
    rng: SplitMix,
    azr_numbers: FxHashSet<u64>,
    next_local: u64,
    next_azr: u64,
}

impl Gen {
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.rng.below(xs.len())]
    }
    fn origin(&mut self) -> &'static Origin {
        let total: u32 = ORIGINS.iter().map(|o| o.weight).sum();
        let mut x = self.rng.below(total as usize) as u32;
        for o in ORIGINS {
            if x < o.weight {
                return o;
            }
            x -= o.weight;
        }
        &ORIGINS[0]
    }
    fn azr_number(&mut self) -> String {
        loop {
            let n = 100_000_000_000 + self.rng.below(899_999_999_999) as u64;
            if self.azr_numbers.insert(n) {
                return format!("{n:012}");
            }
        }
    }
    fn local_id(&mut self, year: u32) -> String {
        self.next_local += 1;
        format!("AKZ-{year}-{:07}", self.next_local)
    }
    fn azr_id(&mut self) -> String {
        self.next_azr += 1 + self.rng.below(3) as u64;
        format!("R{:010}", self.next_azr)
    }
    fn date(&mut self, from: u32, to: u32) -> (u32, u32, u32) {
        (
            from + self.rng.below((to - from + 1) as usize) as u32,
            1 + self.rng.below(12) as u32,
            1 + self.rng.below(28) as u32,
        )
    }
    fn timestamp(&mut self) -> String {
        let (y, m, d) = self.date(2019, 2026);
        let (y, m) = if y == 2026 && m > 10 {
            (2026, m - 2)
        } else {
            (y, m)
        };
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            self.rng.below(24),
            self.rng.below(60),
            self.rng.below(60)
        )
    }
}

fn idx(f: Field) -> usize {
    f.index()
}

/// Drops diacritics and expands umlauts the way a system without them would write a name.
fn plain(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfc() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'İ' => out.push('I'),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            c if c.is_ascii() => out.push(c),
            c => out.extend(std::iter::once(c).nfd().filter(|d| d.is_ascii())),
        }
    }
    out
}

fn typo(g: &mut Gen, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 4 {
        return format!("{s}{}", if s.ends_with('n') { 'm' } else { 'n' });
    }
    let i = 1 + g.rng.below(chars.len() - 2);
    let mut c = chars.clone();
    match g.rng.below(3) {
        0 => {
            c.swap(i, i + 1);
        }
        1 => {
            c.remove(i);
        }
        _ => {
            let repl = ['k', 't', 'r', 'n', 'l', 'm', 'b', 'p'];
            let mut r = *g.pick(&repl);
            if r == c[i] {
                r = 'x';
            }
            c[i] = r;
        }
    }
    let out: String = c.into_iter().collect();
    if norm_eq(&out, s) {
        format!("{s}x")
    } else {
        out
    }
}

/// A slip in a full birth date: the day one off, two neighbouring digits swapped, or day and
/// month exchanged. `None` for partial and default dates.
fn date_typo(g: &mut Gen, dob: &str) -> Option<String> {
    let b = dob.as_bytes();
    if b.len() != 10 || dob.ends_with("-00") || dob.ends_with("-01-01") {
        return None;
    }
    let (y, m, d) = (dob.get(..4)?, dob.get(5..7)?, dob.get(8..10)?);
    let day: u32 = d.parse().ok()?;
    let out = match g.rng.below(3) {
        0 => format!("{y}-{m}-{:02}", if day >= 28 { day - 1 } else { day + 1 }),
        1 if b[2] != b[3] => format!("{}{}{}{}", &dob[..2], &dob[3..4], &dob[2..3], &dob[4..]),
        2 if day <= 12 && d != m => format!("{y}-{d}-{m}"),
        _ => format!("{y}-{m}-{:02}", if day >= 28 { day - 1 } else { day + 1 }),
    };
    Some(out)
}

fn variant_of(g: &mut Gen, groups: &[&[&'static str]], canonical: &str) -> Option<String> {
    let group = groups.iter().find(|gr| gr[0] == canonical)?;
    if group.len() < 2 {
        let p = plain(canonical);
        return (p != canonical).then_some(p);
    }
    Some(group[1 + g.rng.below(group.len() - 1)].to_string())
}

struct Person {
    origin: &'static Origin,
    v: [String; FIELD_COUNT],
}

fn new_person(g: &mut Gen) -> Person {
    let origin = g.origin();
    let female = g.rng.chance(0.5);
    let sex = if g.rng.chance(0.003) {
        "X"
    } else if female {
        "F"
    } else {
        "M"
    };
    let family = g.pick(origin.family)[0];
    let list = if female { origin.female } else { origin.male };
    let mut given = g.pick(list)[0].to_string();
    if g.rng.chance(0.2) {
        let second = g.pick(list)[0];
        if second != given {
            given = format!("{given} {second}");
        }
    }
    let birth_name = if female && g.rng.chance(0.15) {
        g.pick(origin.family)[0].to_string()
    } else {
        String::new()
    };
    let (y, m, d) = g.date(1945, 2022);
    let dob = if g.rng.chance(0.02) {
        format!("{y:04}-01-01")
    } else if g.rng.chance(0.005) {
        format!("{y:04}-00-00")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    };
    let (pob, cob) = if y > 1995 && g.rng.chance(0.15) {
        (g.pick(&GERMAN_PLACES).to_string(), "DEU")
    } else {
        (g.pick(origin.places)[0].to_string(), origin.nationality)
    };
    let (status, permit) = if origin.eu {
        ("Freizügigkeit EU".to_string(), String::new())
    } else if origin.nationality == "UKR" && g.rng.chance(0.8) {
        ("§ 24 AufenthG".to_string(), "2027-03-04".to_string())
    } else {
        let (t, limited) = *g.pick(&TITLES);
        let permit = if limited {
            let (py, pm, pd) = g.date(2026, 2029);
            format!("{py:04}-{pm:02}-{pd:02}")
        } else {
            String::new()
        };
        (t.to_string(), permit)
    };
    let mut v: [String; FIELD_COUNT] = Default::default();
    v[idx(Field::AzrNumber)] = g.azr_number();
    v[idx(Field::FamilyName)] = family.to_string();
    v[idx(Field::GivenNames)] = given;
    v[idx(Field::BirthName)] = birth_name;
    v[idx(Field::DateOfBirth)] = dob;
    v[idx(Field::PlaceOfBirth)] = pob;
    v[idx(Field::CountryOfBirth)] = cob.to_string();
    v[idx(Field::Sex)] = sex.to_string();
    v[idx(Field::Nationality)] = origin.nationality.to_string();
    v[idx(Field::ResidenceStatus)] = status;
    v[idx(Field::PermitValidUntil)] = permit;
    v[idx(Field::MunicipalityCode)] = g.pick(&MUNICIPALITIES).to_string();
    Person { origin, v }
}

fn set(r: &mut Rec, f: Field, value: String, kind: Kind, correct: Side) {
    if !norm_eq(&r.v[idx(f)], &value) {
        r.v[idx(f)] = value;
        r.inj[idx(f)] = Some((kind, correct));
    }
}

/// Injects the usual errors into the local copy (and sometimes the AZR copy) of a person.
fn corrupt(g: &mut Gen, p: &Person, l: &mut Rec, a: &mut Rec, all_azr: &[String]) {
    let o = p.origin;
    let fam = p.v[idx(Field::FamilyName)].clone();
    let giv = p.v[idx(Field::GivenNames)].clone();
    if g.rng.chance(0.02) {
        // Transliteration variant of one name.
        if g.rng.chance(0.5) {
            if let Some(v) = variant_of(g, o.family, &fam) {
                set(l, Field::FamilyName, v, Kind::Variant, Side::Azr);
            }
        } else {
            let first = giv.split(' ').next().unwrap_or("").to_string();
            let groups = [o.male, o.female].concat();
            if let Some(v) = variant_of(g, &groups, &first) {
                let rest = giv[first.len()..].to_string();
                set(
                    l,
                    Field::GivenNames,
                    format!("{v}{rest}"),
                    Kind::Variant,
                    Side::Azr,
                );
            }
        }
    }
    if g.rng.chance(0.004) {
        let p2 = plain(&fam);
        if p2 != fam {
            set(l, Field::FamilyName, p2, Kind::Variant, Side::Azr);
        }
    }
    if g.rng.chance(0.003) {
        let (f, gv) = (
            l.v[idx(Field::FamilyName)].clone(),
            l.v[idx(Field::GivenNames)].clone(),
        );
        if !gv.contains(' ') {
            set(l, Field::FamilyName, gv, Kind::Value, Side::Azr);
            set(l, Field::GivenNames, f, Kind::Value, Side::Azr);
        }
    }
    if g.rng.chance(0.01) {
        let f = *g.pick(&[Field::FamilyName, Field::GivenNames, Field::PlaceOfBirth]);
        let t = typo(g, &l.v[idx(f)]);
        set(l, f, t, Kind::Value, Side::Azr);
    }
    let dob = p.v[idx(Field::DateOfBirth)].clone();
    let year = dob.get(..4).unwrap_or("1990").to_string();
    if g.rng.chance(0.005) {
        let v = if g.rng.chance(0.6) {
            format!("{year}-00-00")
        } else {
            format!("{}-00", dob.get(..7).unwrap_or("1990-01"))
        };
        set(l, Field::DateOfBirth, v, Kind::Value, Side::Azr);
    } else if g.rng.chance(0.003) {
        set(
            l,
            Field::DateOfBirth,
            format!("{year}-01-01"),
            Kind::Value,
            Side::Azr,
        );
    } else if g.rng.chance(0.002) && dob.len() == 10 && !dob.ends_with("-00") {
        // A typing error in the day, or a year in the future.
        let v = if g.rng.chance(0.2) {
            format!("2099{}", dob.get(4..).unwrap_or(""))
        } else {
            let day: u32 = dob.get(8..).and_then(|d| d.parse().ok()).unwrap_or(1);
            format!(
                "{}-{:02}",
                dob.get(..7).unwrap_or(""),
                if day >= 28 { day - 1 } else { day + 1 }
            )
        };
        set(l, Field::DateOfBirth, v, Kind::Value, Side::Azr);
    }
    let num = p.v[idx(Field::AzrNumber)].clone();
    if g.rng.chance(0.003) {
        let mut b: Vec<u8> = num.bytes().collect();
        let i = 2 + g.rng.below(9);
        if b[i] == b[i + 1] {
            b[i + 1] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
        } else {
            b.swap(i, i + 1);
        }
        set(
            l,
            Field::AzrNumber,
            String::from_utf8(b).unwrap_or_default(),
            Kind::Value,
            Side::Azr,
        );
    } else if g.rng.chance(0.0015) && !all_azr.is_empty() {
        let other = g.pick(all_azr).clone();
        set(l, Field::AzrNumber, other, Kind::Value, Side::Azr);
    } else if g.rng.chance(0.01) {
        set(l, Field::AzrNumber, String::new(), Kind::Value, Side::Azr);
    }
    if g.rng.chance(0.002) {
        set(l, Field::Sex, "U".into(), Kind::Value, Side::Azr);
    }
    // Changes of status, permit and residence that reached one register first.
    if !o.eu && g.rng.chance(0.012) {
        let (t, limited) = *g.pick(&TITLES);
        set(
            l,
            Field::ResidenceStatus,
            t.to_string(),
            Kind::Value,
            Side::Local,
        );
        let (py, pm, pd) = g.date(2027, 2030);
        let permit = if limited {
            format!("{py:04}-{pm:02}-{pd:02}")
        } else {
            String::new()
        };
        set(l, Field::PermitValidUntil, permit, Kind::Value, Side::Local);
        l.v[idx(Field::UpdatedAt)] = "2026-10-20T09:00:00".into();
    } else if !o.eu && g.rng.chance(0.012) && !p.v[idx(Field::PermitValidUntil)].is_empty() {
        if g.rng.chance(0.85) {
            let (py, pm, pd) = g.date(2027, 2030);
            set(
                l,
                Field::PermitValidUntil,
                format!("{py:04}-{pm:02}-{pd:02}"),
                Kind::Value,
                Side::Local,
            );
            l.v[idx(Field::UpdatedAt)] = "2026-10-21T10:00:00".into();
        } else {
            // The ABH's record kept an expired date although the title is current.
            let (py, pm, pd) = g.date(2020, 2025);
            set(
                l,
                Field::PermitValidUntil,
                format!("{py:04}-{pm:02}-{pd:02}"),
                Kind::Value,
                Side::Azr,
            );
        }
    }
    if g.rng.chance(0.006) {
        let m = g.pick(&MUNICIPALITIES).to_string();
        if g.rng.chance(0.5) {
            set(l, Field::MunicipalityCode, m, Kind::Value, Side::Local);
            l.v[idx(Field::UpdatedAt)] = "2026-10-22T11:00:00".into();
            a.v[idx(Field::UpdatedAt)] = "2025-01-02T08:00:00".into();
        } else {
            set(a, Field::MunicipalityCode, m, Kind::Value, Side::Azr);
            a.v[idx(Field::UpdatedAt)] = "2026-10-23T12:00:00".into();
            l.v[idx(Field::UpdatedAt)] = "2025-01-03T08:00:00".into();
        }
    }
    // Noise that the spec's norm() ignores (upper case of a dotless ı is I, which norm()
    // does see: that one is logged as a variant).
    if g.rng.chance(0.06) {
        let (f, v) = match g.rng.below(4) {
            0 => (
                Field::FamilyName,
                l.v[idx(Field::FamilyName)].to_uppercase(),
            ),
            1 => (
                Field::GivenNames,
                l.v[idx(Field::GivenNames)].nfd().collect(),
            ),
            2 => (
                Field::FamilyName,
                format!(" {} ", l.v[idx(Field::FamilyName)]),
            ),
            _ => (
                Field::PlaceOfBirth,
                l.v[idx(Field::PlaceOfBirth)].to_uppercase(),
            ),
        };
        if norm_eq(&v, &l.v[idx(f)]) {
            l.v[idx(f)] = v;
        } else if l.inj[idx(f)].is_none() {
            set(l, f, v, Kind::Variant, Side::Azr);
        }
    }
}

/// Generates `persons` persons (plus twins and look-alikes) with the given seed.
pub fn generate(persons: usize, seed: u64) -> Dataset {
    let mut g = Gen {
        rng: SplitMix(seed ^ 0xa2b0_5eed),
        azr_numbers: FxHashSet::default(),
        next_local: 0,
        next_azr: 1_000_000,
    };
    let mut people: Vec<Person> = Vec::with_capacity(persons + persons / 100);
    let mut ambiguous: FxHashSet<usize> = FxHashSet::default();
    let mut twin_or_lookalike: Vec<(usize, usize)> = Vec::new();
    while people.len() < persons {
        let p = new_person(&mut g);
        let k = people.len();
        let roll = g.rng.below(10_000);
        if roll < 30 {
            // Twins: same family, birth data and residence, another given name.
            let mut twin = Person {
                origin: p.origin,
                v: p.v.clone(),
            };
            let female = g.rng.chance(0.5);
            let list = if female {
                p.origin.female
            } else {
                p.origin.male
            };
            let mut other = g.pick(list)[0].to_string();
            if norm_eq(&other, &p.v[idx(Field::GivenNames)]) {
                other = format!("{other} {}", g.pick(list)[0]);
            }
            twin.v[idx(Field::GivenNames)] = other;
            twin.v[idx(Field::Sex)] = if female { "F" } else { "M" }.to_string();
            twin.v[idx(Field::AzrNumber)] = g.azr_number();
            people.push(p);
            people.push(twin);
            twin_or_lookalike.push((k, k + 1));
        } else if roll < 40 {
            // Two persons with a very common name and the same default birth date; the local
            // record of the first lacks number and place of birth: undecidable.
            let mut a = p;
            let syr = ORIGINS
                .iter()
                .find(|o| o.nationality == "SYR")
                .unwrap_or(&ORIGINS[0]);
            a.origin = syr;
            a.v[idx(Field::FamilyName)] = "Mohammed".into();
            a.v[idx(Field::GivenNames)] = "Ahmad".into();
            a.v[idx(Field::Sex)] = "M".into();
            a.v[idx(Field::BirthName)] = String::new();
            a.v[idx(Field::Nationality)] = "SYR".into();
            a.v[idx(Field::CountryOfBirth)] = "SYR".into();
            let y = 1980 + g.rng.below(20);
            a.v[idx(Field::DateOfBirth)] = format!("{y}-01-01");
            a.v[idx(Field::PlaceOfBirth)] = "Aleppo".into();
            let mut b = Person {
                origin: syr,
                v: a.v.clone(),
            };
            b.v[idx(Field::PlaceOfBirth)] = "Homs".into();
            b.v[idx(Field::AzrNumber)] = g.azr_number();
            people.push(a);
            people.push(b);
            ambiguous.insert(k);
            ambiguous.insert(k + 1);
        } else {
            people.push(p);
        }
    }
    let all_numbers: Vec<String> = people
        .iter()
        .map(|p| p.v[idx(Field::AzrNumber)].clone())
        .collect();
    let mut local: Vec<Rec> = Vec::new();
    let mut azr: Vec<Rec> = Vec::new();
    let twins: FxHashSet<usize> = twin_or_lookalike
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .collect();
    for (k, p) in people.iter().enumerate() {
        let year: u32 = 2010 + g.rng.below(16) as u32;
        let mk = |g: &mut Gen, side: Side| {
            let mut v = p.v.clone();
            v[idx(Field::RecordId)] = match side {
                Side::Local => g.local_id(year),
                Side::Azr => g.azr_id(),
            };
            v[idx(Field::UpdatedAt)] = g.timestamp();
            Rec {
                v,
                person: k,
                inj: [None; FIELD_COUNT],
            }
        };
        if ambiguous.contains(&k) {
            if ambiguous.contains(&(k + 1)) {
                // The first of the pair: in both registers, local record without number/place.
                let mut l = mk(&mut g, Side::Local);
                let a = mk(&mut g, Side::Azr);
                set(
                    &mut l,
                    Field::AzrNumber,
                    String::new(),
                    Kind::Value,
                    Side::Azr,
                );
                set(
                    &mut l,
                    Field::PlaceOfBirth,
                    String::new(),
                    Kind::Value,
                    Side::Azr,
                );
                local.push(l);
                azr.push(a);
            } else {
                azr.push(mk(&mut g, Side::Azr));
            }
            continue;
        }
        let roll = g.rng.below(10_000);
        if !twins.contains(&k) && roll < 200 {
            local.push(mk(&mut g, Side::Local)); // moved away: the AZR lists them elsewhere
            continue;
        }
        if !twins.contains(&k) && roll < 400 {
            azr.push(mk(&mut g, Side::Azr)); // moved in: not yet in the local register
            continue;
        }
        let mut l = mk(&mut g, Side::Local);
        let mut a = mk(&mut g, Side::Azr);
        corrupt(&mut g, p, &mut l, &mut a, &all_numbers);
        if roll < 440 {
            // Registered twice in the AZR (new number), sometimes with a typo.
            let mut d = mk(&mut g, Side::Azr);
            d.v[idx(Field::AzrNumber)] = g.azr_number();
            if g.rng.chance(0.5) {
                let t = typo(&mut g, &d.v[idx(Field::GivenNames)]);
                set(&mut d, Field::GivenNames, t, Kind::Value, Side::Azr);
            } else if g.rng.chance(0.4)
                && let Some(t) = date_typo(&mut g, &d.v[idx(Field::DateOfBirth)])
            {
                // The second registration got the birth date wrong.
                set(&mut d, Field::DateOfBirth, t, Kind::Value, Side::Local);
            }
            azr.push(d);
        } else if roll < 470 {
            // Two local files for one person, the second without AZR number.
            let mut d = mk(&mut g, Side::Local);
            set(
                &mut d,
                Field::AzrNumber,
                String::new(),
                Kind::Value,
                Side::Azr,
            );
            if g.rng.chance(0.3)
                && let Some(t) = date_typo(&mut g, &d.v[idx(Field::DateOfBirth)])
            {
                set(&mut d, Field::DateOfBirth, t, Kind::Value, Side::Azr);
            }
            local.push(d);
        }
        local.push(l);
        azr.push(a);
    }
    // Truth.
    let mut truth = Truth::default();
    let mut by_person_l: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut by_person_a: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in local.iter().enumerate() {
        by_person_l.entry(r.person).or_default().push(i);
    }
    for (i, r) in azr.iter().enumerate() {
        by_person_a.entry(r.person).or_default().push(i);
    }
    let mut differs: FxHashSet<usize> = FxHashSet::default();
    for (&person, ls) in &by_person_l {
        let Some(as_) = by_person_a.get(&person) else {
            continue;
        };
        for &li in ls {
            for &ai in as_ {
                let (l, a) = (&local[li], &azr[ai]);
                truth.links.push((l.v[0].clone(), a.v[0].clone()));
                for f in Field::COMPARED {
                    if norm_eq(&l.v[idx(f)], &a.v[idx(f)]) {
                        continue;
                    }
                    let inj = l.inj[idx(f)].or(a.inj[idx(f)]);
                    truth.diffs.push(TruthDiff {
                        local_record_id: l.v[0].clone(),
                        azr_record_id: a.v[0].clone(),
                        field: f,
                        kind: inj.map_or(Kind::Value, |x| x.0),
                        correct_side: inj.map(|x| x.1),
                    });
                    differs.insert(person);
                }
            }
        }
    }
    for (side, recs, by) in [
        (Side::Local, &local, &by_person_l),
        (Side::Azr, &azr, &by_person_a),
    ] {
        for r in recs.iter() {
            let p = r.person;
            let nl = by_person_l.get(&p).map_or(0, Vec::len);
            let na = by_person_a.get(&p).map_or(0, Vec::len);
            let _ = by;
            let class = if ambiguous.contains(&p) {
                Class::Ambiguous
            } else if nl > 1 || na > 1 {
                Class::Duplicate
            } else if na == 0 {
                Class::OnlyLocal
            } else if nl == 0 {
                Class::OnlyAzr
            } else if differs.contains(&p) {
                Class::Different
            } else {
                Class::Identical
            };
            truth.classes.push((side, r.v[0].clone(), class));
        }
    }
    // Malformed rows.
    let malformed = |g: &mut Gen, n: usize, prefix: &str| -> Vec<String> {
        (0..n)
            .map(|k| {
                let id = format!("{prefix}-BAD-{k:06}");
                match g.rng.below(5) {
                    0 => format!("{id},,Kaya,Ali"),
                    1 => format!("{id},,Kaya,Ali,,31.12.1990,Ankara,TUR,M,TUR,Duldung,,05554004,2024-01-01T00:00:00"),
                    2 => ",,Kaya,Ali,,1990-12-31,Ankara,TUR,M,TUR,Duldung,,05554004,2024-01-01T00:00:00".to_string(),
                    3 => format!("{id},12345,Kaya,Ali,,1990-12-31,Ankara,TUR,M,TUR,Duldung,,05554004,2024-01-01T00:00:00"),
                    _ => format!("{id},,Kaya,Ali,,1990-12-31,Ankara,TUR,Q,TUR,Duldung,,05554004,2024-01-01T00:00:00"),
                }
            })
            .collect()
    };
    let local_malformed = malformed(&mut g, (local.len() / 1000).max(2), "AKZ");
    let azr_malformed = malformed(&mut g, (azr.len() / 1000).max(2), "R");
    truth.rejected_local = local_malformed.len();
    truth.rejected_azr = azr_malformed.len();
    // Row order means nothing: shuffle.
    shuffle(&mut g.rng, &mut local);
    shuffle(&mut g.rng, &mut azr);
    Dataset {
        local: local.iter().map(|r| Record::new(&r.v)).collect(),
        azr: azr.iter().map(|r| Record::new(&r.v)).collect(),
        local_malformed,
        azr_malformed,
        truth,
        seed,
    }
}

fn shuffle<T>(rng: &mut SplitMix, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        let j = rng.below(i + 1);
        xs.swap(i, j);
    }
}

impl Dataset {
    fn csv(&self, records: &[Record], malformed: &[String], salt: u64) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(records.len() * 160));
        let _ = w.write_record(Field::ALL.iter().map(|f| f.name()));
        for r in records {
            let _ = w.write_record(r.values());
        }
        let body = w.into_inner().unwrap_or_default();
        // Generated values hold no line breaks, so lines are rows; malformed lines go between.
        let mut rng = SplitMix(self.seed ^ salt);
        let lines: Vec<&[u8]> = body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let mut out = Vec::with_capacity(body.len() + malformed.len() * 100);
        let mut positions: Vec<usize> = (0..malformed.len())
            .map(|_| 1 + rng.below(lines.len().max(1)))
            .collect();
        positions.sort_unstable();
        let mut bad = malformed.iter().zip(positions).peekable();
        for (k, line) in lines.iter().enumerate() {
            while let Some((text, _)) = bad.next_if(|(_, pos)| *pos == k) {
                out.extend_from_slice(text.as_bytes());
                out.push(b'\n');
            }
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        for (text, _) in bad {
            out.extend_from_slice(text.as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// `local.csv` as bytes, spec format, malformed rows included.
    pub fn local_csv(&self) -> Vec<u8> {
        self.csv(&self.local, &self.local_malformed, 1)
    }

    /// `azr.csv` as bytes.
    pub fn azr_csv(&self) -> Vec<u8> {
        self.csv(&self.azr, &self.azr_malformed, 2)
    }

    /// Writes `local.csv`, `azr.csv`, `truth_links.csv`, `truth_diffs.csv`,
    /// `truth_classes.csv` into `dir`.
    pub fn write_dir(&self, dir: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let write = |name: &str, bytes: &[u8]| -> Result<(), Error> {
            let p = dir.join(name);
            std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
        };
        write("local.csv", &self.local_csv())?;
        write("azr.csv", &self.azr_csv())?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["local_record_id", "azr_record_id"]);
        for (l, a) in &self.truth.links {
            let _ = w.write_record([l, a]);
        }
        write("truth_links.csv", &w.into_inner().unwrap_or_default())?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "local_record_id",
            "azr_record_id",
            "field",
            "kind",
            "correct_side",
        ]);
        for d in &self.truth.diffs {
            let _ = w.write_record([
                d.local_record_id.as_str(),
                d.azr_record_id.as_str(),
                d.field.name(),
                d.kind.name(),
                d.correct_side.map_or("", Side::name),
            ]);
        }
        write("truth_diffs.csv", &w.into_inner().unwrap_or_default())?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["side", "record_id", "class"]);
        for (s, id, c) in &self.truth.classes {
            let _ = w.write_record([s.name(), id.as_str(), c.name()]);
        }
        write("truth_classes.csv", &w.into_inner().unwrap_or_default())?;
        let mut f =
            std::fs::File::create(dir.join("truth_rejected.txt")).map_err(|e| Error::io(dir, e))?;
        writeln!(
            f,
            "local.csv {}\nazr.csv {}",
            self.truth.rejected_local, self.truth.rejected_azr
        )
        .map_err(|e| Error::io(dir, e))?;
        Ok(())
    }
}
