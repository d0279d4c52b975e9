//! Per-record matching features and the comparison of two records into levels.
//!
//! Everything a pair comparison needs is precomputed once per record as integers (64-bit
//! hashes of folded strings, packed codes, parsed dates) so that scoring millions of pairs
//! allocates nothing; the folded strings stay in one arena for the few fuzzy comparisons.

use crate::gazetteer::VariantIndex;
use crate::norm::{Date, compact, fold, koelner, skeleton};
use crate::record::{Field, Record};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub(crate) const NONE_GRP: u32 = u32::MAX;
pub(crate) const MISSING: u8 = u8::MAX;

/// The comparisons of the Fellegi–Sunter model, in weight-table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Family = 0,
    Given = 1,
    Birth = 2,
    Place = 3,
    Country = 4,
    Nationality = 5,
    Sex = 6,
    Municipality = 7,
    Azr = 8,
    BirthName = 9,
}

pub(crate) const NC: usize = 10;

pub(crate) const CMPS: [Cmp; NC] = [
    Cmp::Family,
    Cmp::Given,
    Cmp::Birth,
    Cmp::Place,
    Cmp::Country,
    Cmp::Nationality,
    Cmp::Sex,
    Cmp::Municipality,
    Cmp::Azr,
    Cmp::BirthName,
];

impl Cmp {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cmp::Family => "family_name",
            Cmp::Given => "given_names",
            Cmp::Birth => "date_of_birth",
            Cmp::Place => "place_of_birth",
            Cmp::Country => "country_of_birth",
            Cmp::Nationality => "nationality",
            Cmp::Sex => "sex",
            Cmp::Municipality => "municipality_code",
            Cmp::Azr => "azr_number",
            Cmp::BirthName => "birth_name",
        }
    }

    /// Names of the agreement levels, best first.
    pub(crate) fn levels(self) -> &'static [&'static str] {
        match self {
            Cmp::Family | Cmp::Place => &["exact", "variant", "similar", "different"],
            Cmp::Given => &["exact", "variant", "similar", "shares a name", "different"],
            Cmp::Birth => &["exact", "compatible", "near", "different"],
            Cmp::Azr => &["equal", "transposed", "different"],
            _ => &["equal", "different"],
        }
    }

    /// Comparisons whose exact agreement is weighted by the value's frequency.
    pub(crate) fn term_frequency(self) -> bool {
        matches!(self, Cmp::Family | Cmp::Given | Cmp::Birth | Cmp::Place)
    }
}

/// Matching features of one record.
#[derive(Clone, Debug, Default)]
pub(crate) struct Feat {
    pub fam: u64,
    pub fam_sk: u64,
    pub fam_kp: u64,
    pub fam_grp: u32,
    pub giv: u64,
    pub giv_sk: u64,
    pub giv_kp: u64,
    pub giv_grp: u32,
    /// Skeleton hashes of the first three given names (0 = none).
    pub giv_tok: [u32; 3],
    pub bn: u64,
    pub bn_sk: u64,
    pub pob: u64,
    pub pob_sk: u64,
    pub pob_grp: u32,
    pub azr: u64,
    pub dob: Date,
    pub has_dob: bool,
    pub cob: u32,
    pub nat: u32,
    pub sex: u8,
    pub muni: u32,
    /// Offset of `fam|giv|pob` compact folded text in the arena.
    pub txt: u32,
    pub fam_len: u16,
    pub giv_len: u16,
    pub pob_len: u16,
    /// Share of all records with the same family name, given names, birth date and place
    /// (0 = not known); filled in by the engine once all records are prepared.
    pub tf: [f32; 4],
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of a non-empty string; 0 stands for "empty / not known".
pub(crate) fn h64(s: &str) -> u64 {
    if s.is_empty() {
        return 0;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h) | 1
}

pub(crate) fn combine(a: u64, b: u64) -> u64 {
    mix(a ^ mix(b.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

fn code3(s: &str) -> u32 {
    let t = s.trim().as_bytes();
    if t.len() != 3 {
        return 0;
    }
    let up = [
        t[0].to_ascii_uppercase(),
        t[1].to_ascii_uppercase(),
        t[2].to_ascii_uppercase(),
    ];
    if &up == b"XXX" {
        return 0; // unknown
    }
    u32::from(up[0]) << 16 | u32::from(up[1]) << 8 | u32::from(up[2])
}

fn len16(s: &str) -> u16 {
    u16::try_from(s.len()).unwrap_or(u16::MAX)
}

/// Computes the features of `r`, appending its folded text to `arena`.
pub(crate) fn prepare(r: &Record, arena: &mut String, base: usize) -> Feat {
    let idx = VariantIndex::get();
    let fam_f = fold(r.get(Field::FamilyName));
    let fam_c = compact(&fam_f);
    let giv_f = fold(r.get(Field::GivenNames));
    let giv_c = compact(&giv_f);
    let pob_f = fold(r.get(Field::PlaceOfBirth));
    let pob_c = compact(&pob_f);
    let bn_f = fold(r.get(Field::BirthName));
    let mut giv_tok = [0u32; 3];
    for (i, t) in giv_f
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(3)
        .enumerate()
    {
        // Truncating the hash to 32 bits is fine: tokens are only compared within a pair.
        giv_tok[i] = (h64(&skeleton(t)) as u32) | 1;
    }
    let dob = Date::parse(r.get(Field::DateOfBirth));
    let sex = match r.get(Field::Sex).trim().as_bytes().first() {
        Some(b'U' | b'u') | None => 0,
        Some(c) => c.to_ascii_uppercase(),
    };
    let txt = u32::try_from(base + arena.len()).unwrap_or(u32::MAX);
    arena.push_str(&fam_c);
    arena.push_str(&giv_c);
    arena.push_str(&pob_c);
    Feat {
        fam: h64(&fam_c),
        fam_sk: h64(&skeleton(&fam_f)),
        fam_kp: h64(&koelner(&fam_f)),
        fam_grp: idx.group(&fam_c).unwrap_or(NONE_GRP),
        giv: h64(&giv_c),
        giv_sk: h64(&skeleton(&giv_f)),
        giv_kp: h64(&koelner(&giv_f)),
        // Whole given names only: Marco and Marco Antonio are not spellings of one name.
        giv_grp: idx.group(&giv_c).unwrap_or(NONE_GRP),
        giv_tok,
        bn: h64(&compact(&bn_f)),
        bn_sk: h64(&skeleton(&bn_f)),
        pob: h64(&pob_c),
        pob_sk: h64(&skeleton(&pob_f)),
        pob_grp: idx.group(&pob_c).unwrap_or(NONE_GRP),
        azr: r.get(Field::AzrNumber).trim().parse::<u64>().unwrap_or(0),
        dob: dob.unwrap_or_default(),
        has_dob: dob.is_some(),
        cob: code3(r.get(Field::CountryOfBirth)),
        nat: code3(r.get(Field::Nationality)),
        sex,
        muni: r
            .get(Field::MunicipalityCode)
            .trim()
            .parse::<u32>()
            .unwrap_or(0),
        txt,
        fam_len: len16(&fam_c),
        giv_len: len16(&giv_c),
        pob_len: len16(&pob_c),
        tf: [0.0; 4],
    }
}

impl Feat {
    pub(crate) fn fam_txt<'a>(&self, arena: &'a str) -> &'a str {
        let s = self.txt as usize;
        arena.get(s..s + self.fam_len as usize).unwrap_or("")
    }
    pub(crate) fn giv_txt<'a>(&self, arena: &'a str) -> &'a str {
        let s = self.txt as usize + self.fam_len as usize;
        arena.get(s..s + self.giv_len as usize).unwrap_or("")
    }
    pub(crate) fn pob_txt<'a>(&self, arena: &'a str) -> &'a str {
        let s = self.txt as usize + self.fam_len as usize + self.giv_len as usize;
        arena.get(s..s + self.pob_len as usize).unwrap_or("")
    }
}

/// Comparison levels of one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Levels {
    pub l: [u8; NC],
    /// Names agree better with given and family name exchanged.
    pub swapped: bool,
}

struct NameSide<'a> {
    h: u64,
    sk: u64,
    kp: u64,
    grp: u32,
    txt: &'a str,
}

fn name_level(a: &NameSide, b: &NameSide) -> u8 {
    if a.h == 0 || b.h == 0 {
        MISSING
    } else if a.h == b.h {
        0
    } else if a.sk == b.sk || (a.kp == b.kp && a.kp != 0) || (a.grp != NONE_GRP && a.grp == b.grp) {
        1
    } else if is_typo(a.txt, b.txt) {
        // A typo changes a letter or two; a longer prefix match (Marco / Marco Antonio) is
        // another name, not a typo.
        2
    } else {
        3
    }
}

/// Like [`name_level`] without the typo check: exact, variant or different.
fn cheap_name_level(a: &NameSide, b: &NameSide) -> u8 {
    if a.h == 0 || b.h == 0 {
        MISSING
    } else if a.h == b.h {
        0
    } else if a.sk == b.sk || (a.kp == b.kp && a.kp != 0) || (a.grp != NONE_GRP && a.grp == b.grp) {
        1
    } else {
        3
    }
}

/// One slip of the keyboard: an edit distance (with transpositions) of one, or two in a long
/// name, or a high Jaro-Winkler similarity at nearly equal length.
fn is_typo(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let d = bounded_osa(a, b, 2);
    d <= 1 || (d == 2 && a.len().min(b.len()) >= 8) || jaro_winkler(a, b) >= 0.93
}

/// Longest value the allocation-free string measures handle; longer values (several given
/// names, a long place) are compared for equality only, which is all a typo check needs there.
const SHORT: usize = 64;

/// Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours) of two
/// byte strings, without allocating: it runs for most candidate pairs. Distances above `max`
/// are reported as `max + 1`.
pub(crate) fn bounded_osa(a: &[u8], b: &[u8], max: usize) -> usize {
    if a == b {
        return 0;
    }
    if a.len().abs_diff(b.len()) > max || a.len() > SHORT || b.len() > SHORT {
        return max + 1;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = [0u8; SHORT + 1];
    let mut prev = [0u8; SHORT + 1];
    let mut cur = [0u8; SHORT + 1];
    for (j, x) in prev.iter_mut().enumerate().take(m + 1) {
        *x = j as u8;
    }
    for i in 1..=n {
        cur[0] = i as u8;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > max {
            return max + 1;
        }
        prev2 = prev;
        prev = cur;
    }
    usize::from(prev[m]).min(max + 1)
}

/// Jaro-Winkler similarity of two byte strings (as `strsim::jaro_winkler` on ASCII), without
/// allocating: matched positions are bits of a word. Strings longer than 64 bytes score 0
/// unless equal.
pub(crate) fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if a == b {
        return 1.0;
    }
    if la == 0 || lb == 0 || la > SHORT || lb > SHORT {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    let (mut fa, mut fb) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = (i + range + 1).min(lb);
        for (j, &y) in b.iter().enumerate().take(hi).skip(lo) {
            if fb & (1 << j) == 0 && y == x {
                fa |= 1 << i;
                fb |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &x) in a.iter().enumerate() {
        if fa & (1 << i) != 0 {
            while fb & (1 << j) == 0 {
                j += 1;
            }
            if b[j] != x {
                transpositions += 1;
            }
            j += 1;
        }
    }
    transpositions /= 2;
    let m = matches as f64;
    let jaro = (m / la as f64 + m / lb as f64 + (matches - transpositions) as f64 / m) / 3.0;
    if jaro > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// Whether two full birth dates differ by one slip of the keyboard: one digit, two
/// neighbouring digits swapped, day and month exchanged, or the day one off.
pub(crate) fn date_slip(x: Date, y: Date) -> bool {
    let digits = |d: Date| {
        let v = u32::from(d.year) * 10_000 + u32::from(d.month) * 100 + u32::from(d.day);
        let mut out = [0u8; 8];
        for (i, o) in out.iter_mut().enumerate() {
            *o = ((v / 10u32.pow(7 - i as u32)) % 10) as u8;
        }
        out
    };
    if !x.is_full() || !y.is_full() || x == y {
        return false;
    }
    let (a, b) = (digits(x), digits(y));
    let diff: Vec<usize> = (0..8).filter(|&i| a[i] != b[i]).collect();
    let swapped = diff.len() == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]];
    let day_one_off = x.year == y.year && x.month == y.month && x.day.abs_diff(y.day) == 1;
    let day_month = x.year == y.year && x.month == y.day && x.day == y.month;
    diff.len() == 1 || swapped || day_one_off || day_month
}

/// Whether the names of two records of one register agree strictly enough for them to be
/// one person: each exact or a known spelling of the other (the gazetteer), or one exact
/// and the other one typo away. The phonetic keys are too coarse here (Emre/Ömer,
/// Anna/Joanna share a skeleton), and look-alikes in one register are common.
pub(crate) fn names_agree_strictly(a: &Feat, b: &Feat, arena: &str) -> bool {
    let known =
        |x: u64, y: u64, gx: u32, gy: u32| x != 0 && (x == y || (gx != NONE_GRP && gx == gy));
    let fam = known(a.fam, b.fam, a.fam_grp, b.fam_grp);
    let giv = known(a.giv, b.giv, a.giv_grp, b.giv_grp);
    (fam && giv)
        || (a.fam != 0 && a.fam == b.fam && is_typo(a.giv_txt(arena), b.giv_txt(arena)))
        || (a.giv != 0 && a.giv == b.giv && is_typo(a.fam_txt(arena), b.fam_txt(arena)))
}

pub(crate) fn dob_level(a: &Feat, b: &Feat) -> u8 {
    if !a.has_dob || !b.has_dob {
        return MISSING;
    }
    let (x, y) = (a.dob, b.dob);
    if x == y {
        return 0;
    }
    if x.year == y.year {
        // One side lacks the part the other has, or holds the 1 January default.
        let partial = |p: Date, q: Date| {
            p.month == 0 || (p.day == 0 && p.month == q.month) || (p.is_default() && q.is_full())
        };
        if partial(x, y) || partial(y, x) {
            return 1;
        }
        if x.month == y.month || x.day == y.day || (x.month == y.day && x.day == y.month) {
            return 2;
        }
        return 3;
    }
    if date_slip(x, y) {
        // A wrong digit in the year, or two of its digits swapped.
        return 2;
    }
    3
}

fn azr_level(a: u64, b: u64) -> u8 {
    if a == 0 || b == 0 {
        return MISSING;
    }
    if a == b {
        return 0;
    }
    // Compare the 12 decimal digits without allocating: this runs for most candidate pairs.
    let (mut x, mut y) = (a, b);
    let mut pos = [(0u8, 0u8); 3];
    let mut n = 0usize;
    for _ in 0..12 {
        let (dx, dy) = ((x % 10) as u8, (y % 10) as u8);
        if dx != dy {
            if n < 3 {
                pos[n] = (dx, dy);
            }
            n += 1;
        }
        x /= 10;
        y /= 10;
    }
    let transposed = n == 2 && pos[0].0 == pos[1].1 && pos[0].1 == pos[1].0;
    if transposed || n == 1 { 1 } else { 2 }
}

fn eq_level<T: PartialEq + Default>(a: T, b: T) -> u8 {
    if a == T::default() || b == T::default() {
        MISSING
    } else if a == b {
        0
    } else {
        1
    }
}

fn given_level(a: &Feat, b: &Feat, arena: &str) -> u8 {
    let base = name_level(
        &NameSide {
            h: a.giv,
            sk: a.giv_sk,
            kp: a.giv_kp,
            grp: a.giv_grp,
            txt: a.giv_txt(arena),
        },
        &NameSide {
            h: b.giv,
            sk: b.giv_sk,
            kp: b.giv_kp,
            grp: b.giv_grp,
            txt: b.giv_txt(arena),
        },
    );
    if base == 3 {
        // A shared given name (Anna Maria / Maria) is partial agreement, but weaker than a
        // typo: it is also what siblings named after the same grandparent look like.
        let shared = a.giv_tok.iter().any(|t| *t != 0 && b.giv_tok.contains(t));
        return if shared { 3 } else { 4 };
    }
    base
}

fn fam_side<'a>(f: &Feat, arena: &'a str) -> NameSide<'a> {
    NameSide {
        h: f.fam,
        sk: f.fam_sk,
        kp: f.fam_kp,
        grp: f.fam_grp,
        txt: f.fam_txt(arena),
    }
}

fn giv_side<'a>(f: &Feat, arena: &'a str) -> NameSide<'a> {
    NameSide {
        h: f.giv,
        sk: f.giv_sk,
        kp: f.giv_kp,
        grp: f.giv_grp,
        txt: f.giv_txt(arena),
    }
}

/// Compares two records.
pub(crate) fn compare(a: &Feat, b: &Feat, arena: &str) -> Levels {
    let mut l = [MISSING; NC];
    let fam = name_level(&fam_side(a, arena), &fam_side(b, arena));
    let giv = given_level(a, b, arena);
    let mut swapped = false;
    l[Cmp::Family as usize] = fam;
    l[Cmp::Given as usize] = giv;
    if (fam >= 2 || giv >= 2) && fam != MISSING && giv != MISSING {
        // Only exact or variant agreement counts crosswise, so the cheap level suffices; this
        // check runs for most non-matching candidates and must not compute edit distances.
        let f2 = cheap_name_level(&fam_side(a, arena), &giv_side(b, arena));
        let g2 = cheap_name_level(&giv_side(a, arena), &fam_side(b, arena));
        if f2 <= 1 && g2 <= 1 {
            swapped = true;
            l[Cmp::Family as usize] = f2;
            l[Cmp::Given as usize] = g2;
        }
    }
    l[Cmp::Birth as usize] = dob_level(a, b);
    l[Cmp::Place as usize] = name_level(
        &NameSide {
            h: a.pob,
            sk: a.pob_sk,
            kp: 0,
            grp: a.pob_grp,
            txt: a.pob_txt(arena),
        },
        &NameSide {
            h: b.pob,
            sk: b.pob_sk,
            kp: 0,
            grp: b.pob_grp,
            txt: b.pob_txt(arena),
        },
    );
    l[Cmp::Country as usize] = eq_level(a.cob, b.cob);
    l[Cmp::Nationality as usize] = eq_level(a.nat, b.nat);
    l[Cmp::Sex as usize] = eq_level(a.sex, b.sex);
    l[Cmp::Municipality as usize] = eq_level(a.muni, b.muni);
    l[Cmp::Azr as usize] = azr_level(a.azr, b.azr);
    l[Cmp::BirthName as usize] = if a.bn == 0 || b.bn == 0 {
        MISSING
    } else if a.bn == b.bn || a.bn_sk == b.bn_sk {
        0
    } else {
        1
    };
    Levels { l, swapped }
}

/// A spelling key for deciding a difference's *kind*: consonant spellings that alternate
/// between transliterations are merged (kh/ch→h, sh/sch→s, w→v, z→s, c/q→k, ph→f, dj→j,
/// doubled letters). With `vowels == false` every run of vowels becomes one `V`, so Mohammed
/// and Muhammad agree but a typo that moves or drops a consonant (Florin/Floirn) does not.
/// With `vowels == true` the vowels are kept, only their spelling alternatives merged
/// (y/j→i, ou/oo→u, ee→i), so that a vowel difference can be told from a consonant one.
fn spelling_key(folded: &str, vowels: bool) -> Vec<u8> {
    let b: Vec<u8> = folded.bytes().filter(|c| c.is_ascii_alphabetic()).collect();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'j');
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let (c, used): (u8, usize) = if rest.starts_with(b"tsch") {
            (b'c', 4)
        } else if rest.starts_with(b"dsch") {
            (if vowels { b'i' } else { b'V' }, 4)
        } else if rest.starts_with(b"sch") {
            (b's', 3)
        } else if rest.starts_with(b"sh") || rest.starts_with(b"zh") {
            (b's', 2)
        } else if rest.starts_with(b"ch") || rest.starts_with(b"kh") {
            (b'h', 2)
        } else if rest.starts_with(b"ph") {
            (b'f', 2)
        } else if rest.starts_with(b"dj") {
            (if vowels { b'i' } else { b'V' }, 2)
        } else if rest.starts_with(b"ck") {
            (b'k', 2)
        } else if vowels && (rest.starts_with(b"ou") || rest.starts_with(b"oo")) {
            (b'u', 2)
        } else if vowels && rest.starts_with(b"ee") {
            (b'i', 2)
        } else {
            let c = rest[0];
            let m = match c {
                b'y' | b'j' if vowels => b'i',
                c if is_vowel(c) && !vowels => b'V',
                b'c' | b'q' => b'k',
                b'w' => b'v',
                b'z' => b's',
                c => c,
            };
            (m, 1)
        };
        if out.last() != Some(&c) {
            out.push(c);
        }
        i += used;
    }
    out
}

/// Whether two spellings of one word are transliteration variants by rule: the consonants
/// agree up to spelling alternatives, and the vowels either agree up to their spelling
/// alternatives or differ in more than one place. A single vowel changed, added, dropped or
/// moved with everything else equal (Kaya/Kayo, Schmidt/Schmodt, Dieter/Deiter) is exactly
/// what a slip of the keyboard looks like, so it is a `value` unless the gazetteer knows the
/// two spellings (Omar/Umar, Ahmed/Ahmad).
fn variant_by_rule(a: &str, b: &str) -> bool {
    if spelling_key(a, false) != spelling_key(b, false) {
        return false;
    }
    let (va, vb) = (spelling_key(a, true), spelling_key(b, true));
    va == vb || bounded_osa(&va, &vb, 1) > 1
}

/// The value with its diacritics dropped rather than expanded (`Müller` → `muller`).
fn stripped(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether two spellings of a name or place field are variants of each other (used to give
/// a reported difference its kind): equal after folding (case, umlauts, diacritics, spaces,
/// hyphens), known spellings of one name or place, or transliteration variants by rule
/// ([`variant_by_rule`]).
pub(crate) fn is_variant(_field: Field, a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    if fa.is_empty() || fb.is_empty() {
        return false;
    }
    let (ca, cb) = (compact(&fa), compact(&fb));
    let idx = VariantIndex::get();
    if ca == cb || idx.same(&ca, &cb) || variant_by_rule(&ca, &cb) {
        return true;
    }
    if !(a.is_ascii() && b.is_ascii()) && stripped(a) == stripped(b) {
        // Umlauts written without their dots (Müller/Muller): a dropped diacritic.
        return true;
    }
    // Multi-word given names: variant if every word is a variant of its counterpart.
    let (ta, tb): (Vec<&str>, Vec<&str>) = (fa.split(' ').collect(), fb.split(' ').collect());
    ta.len() == tb.len()
        && ta.len() > 1
        && ta
            .iter()
            .zip(&tb)
            .all(|(x, y)| x == y || idx.same(x, y) || variant_by_rule(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(fam: &str, giv: &str, dob: &str) -> Record {
        Record::from_pairs(&[
            (Field::RecordId, "x"),
            (Field::FamilyName, fam),
            (Field::GivenNames, giv),
            (Field::DateOfBirth, dob),
        ])
    }

    fn levels(a: &Record, b: &Record) -> Levels {
        let mut arena = String::new();
        let fa = prepare(a, &mut arena, 0);
        let fb = prepare(b, &mut arena, 0);
        compare(&fa, &fb, &arena)
    }

    #[test]
    fn levels_see_variants_partial_dates_and_swaps() {
        let l = levels(
            &rec("Al-Ahmad", "Mohammed", "1990-05-17"),
            &rec("Alahmad", "Muhammad", "1990-00-00"),
        );
        assert_eq!(l.l[Cmp::Family as usize], 0);
        assert_eq!(l.l[Cmp::Given as usize], 1);
        assert_eq!(l.l[Cmp::Birth as usize], 1);
        let l = levels(
            &rec("Hussein", "Omar", "1990-05-17"),
            &rec("Omar", "Husain", "1990-05-17"),
        );
        assert!(l.swapped);
        let l = levels(
            &rec("Kaya", "Ali", "1990-05-17"),
            &rec("Kaya", "Omar", "1990-05-17"),
        );
        assert_eq!(l.l[Cmp::Given as usize], 4);
        assert_eq!(l.l[Cmp::Birth as usize], 0);
        let l = levels(
            &rec("Kaya", "Ali", "1990-05-17"),
            &rec("Kaya", "Ali", "1990-17-05"),
        );
        assert_eq!(
            l.l[Cmp::Birth as usize],
            MISSING,
            "invalid date counts as missing"
        );
        let l = levels(
            &rec("Kaya", "Ali", "1990-05-17"),
            &rec("Kaya", "Ali", "1990-05-18"),
        );
        assert_eq!(l.l[Cmp::Birth as usize], 2);
    }

    #[test]
    fn same_register_names_are_strict() {
        let strict = |x: Record, y: Record| {
            let mut arena = String::new();
            let fa = prepare(&x, &mut arena, 0);
            let fb = prepare(&y, &mut arena, 0);
            names_agree_strictly(&fa, &fb, &arena)
        };
        let d = "1990-05-17";
        assert!(strict(
            rec("Ivanenko", "Volodymyr", d),
            rec("Ivanenko", "Volodymr", d)
        ));
        assert!(strict(
            rec("Karimi", "Ali Mohammad", d),
            rec("Karimi", "Ali Mohamad", d)
        ));
        assert!(strict(rec("Hussein", "Omar", d), rec("Husain", "Umar", d)));
        // Same skeleton, different names: siblings or twins, not one person.
        assert!(!strict(rec("Yılmaz", "Emre", d), rec("Yilmaz", "Ömer", d)));
        assert!(!strict(
            rec("Kowalski", "Joanna", d),
            rec("Kowalski", "Anna", d)
        ));
    }

    #[test]
    fn date_slips() {
        let p = |s: &str| Date::parse(s).unwrap();
        assert!(date_slip(p("1990-05-17"), p("1990-05-18")));
        assert!(date_slip(p("1990-05-19"), p("1990-05-20")));
        assert!(
            date_slip(p("1990-05-17"), p("1909-05-17")),
            "neighbours swapped"
        );
        assert!(date_slip(p("1990-05-17"), p("1980-05-17")));
        assert!(date_slip(p("1990-03-05"), p("1990-05-03")));
        assert!(!date_slip(p("1990-05-17"), p("1991-06-17")));
        assert!(!date_slip(p("2022-04-04"), p("2022-04-12")));
        assert!(
            !date_slip(p("1990-01-01"), p("1990-05-17")),
            "a default is no slip"
        );
    }

    #[test]
    fn azr_transposition_is_seen() {
        assert_eq!(azr_level(123456789012, 123456789012), 0);
        assert_eq!(azr_level(123456789012, 123456798012), 1);
        assert_eq!(azr_level(123456789012, 987654321098), 2);
        assert_eq!(azr_level(0, 987654321098), MISSING);
    }

    #[test]
    fn variant_kind() {
        assert!(is_variant(Field::GivenNames, "Mohammed", "Muhammad"));
        assert!(is_variant(Field::FamilyName, "Müller", "Mueller"));
        assert!(is_variant(Field::FamilyName, "Şahin", "Sahin"));
        assert!(is_variant(Field::PlaceOfBirth, "Krakau", "Kraków"));
        assert!(is_variant(Field::GivenNames, "Abdul Rahman", "Abdulrahman"));
        assert!(!is_variant(Field::GivenNames, "Ali", "Omar"));
        assert!(!is_variant(Field::FamilyName, "Schmidt", "Schneider"));
        assert!(is_variant(Field::FamilyName, "Müller", "Muller"));
        assert!(is_variant(Field::GivenNames, "Oleksandr", "Aleksandr"));
        assert!(is_variant(Field::GivenNames, "Youssef", "Yusuf"));
        assert!(
            !is_variant(Field::GivenNames, "Florin", "Floirn"),
            "a typo is a value"
        );
        assert!(!is_variant(Field::FamilyName, "Haddad", "Haddda"));
    }

    #[test]
    fn a_single_vowel_slip_is_a_value_not_a_variant() {
        // The spec: `variant` only for spellings of the same name or place.
        for (a, b) in [
            ("Kaya", "Kayo"),
            ("Schmidt", "Schmodt"),
            ("Peter", "Pater"),
            ("Dieter", "Deiter"),
            ("Yousef", "Yosef"),
            ("Bocholt", "Bochalt"),
            ("Ali Kemal", "Ali Kemel"),
        ] {
            assert!(!is_variant(Field::FamilyName, a, b), "{a}/{b} is a typo");
        }
        // Consonant alternations, long-vowel spellings and several vowel differences are
        // transliterations; known pairs come from the gazetteer.
        for (a, b) in [
            ("Mohamad", "Muhammed"),
            ("Abdelkader", "Abdulkadir"),
            ("Mahmoud", "Mahmud"),
            ("Jusuf", "Yusuf"),
            ("Iwanow", "Ivanov"),
            ("Omar", "Umar"),
            ("Ahmed", "Ahmad"),
            ("Mohammed", "Mohamed"),
        ] {
            assert!(is_variant(Field::GivenNames, a, b), "{a}/{b} is a variant");
        }
    }

    #[test]
    fn string_measures_match_strsim() {
        let words = [
            "mohammed",
            "muhammad",
            "florin",
            "floirn",
            "kaya",
            "kayo",
            "abdulrahman",
            "abdelrahman",
            "schmidt",
            "schneider",
            "a",
            "",
            "haddad",
            "haddda",
            "oleksandr",
            "aleksandr",
            "ca",
            "abc",
            "acb",
            "bac",
        ];
        for a in words {
            for b in words {
                let osa = strsim::osa_distance(a, b);
                for max in 0..3 {
                    assert_eq!(
                        bounded_osa(a.as_bytes(), b.as_bytes(), max),
                        osa.min(max + 1),
                        "{a}/{b} max {max}"
                    );
                }
                let jw = strsim::jaro_winkler(a, b);
                assert!(
                    (jaro_winkler(a.as_bytes(), b.as_bytes()) - jw).abs() < 1e-12,
                    "{a}/{b}"
                );
            }
        }
    }
}
