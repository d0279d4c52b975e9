//! Text normalization.
//!
//! Two very different jobs live here:
//!
//! * [`norm`] is the spec's rule for *reporting* a difference. It folds almost nothing (trim,
//!   lowercase, NFC) so that a clerk sees every real spelling difference.
//! * [`fold`], [`skeleton`] and [`koelner`] are for *finding* pairs. They fold a lot: German
//!   umlauts and ß first (ä→ae, because German registers spell them so), then every other
//!   diacritic, punctuation, hyphens, transliteration alternatives and sound.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The spec rule: `NFC(lowercase(NFC(trim(s))))`.
pub fn norm(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    if t.is_ascii() {
        // For ASCII, Unicode lowercase equals ASCII lowercase and NFC is the identity.
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(t.to_ascii_lowercase())
        } else {
            Cow::Borrowed(t)
        }
    } else {
        let composed: String = t.nfc().collect();
        let lower = composed.to_lowercase();
        Cow::Owned(lower.nfc().collect())
    }
}

/// Whether two values are equal under the spec rule (no reported difference).
pub fn norm_eq(a: &str, b: &str) -> bool {
    a == b || norm(a) == norm(b)
}

/// Folds a name for matching: lowercase ASCII letters and digits, words separated by one
/// space. German umlauts become `ae oe ue ss` *before* generic diacritic removal, so `Müller`
/// and `Mueller` fold alike, while `Şahin` and `Sahin` fold alike by dropping the cedilla.
/// Hyphens and other punctuation separate words; apostrophes vanish (`D'Angelo` = `DAngelo`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut pending_space = false;
    let push = |out: &mut String, c: char, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.push(c);
    };
    if s.is_ascii() {
        for b in s.bytes() {
            let c = b.to_ascii_lowercase() as char;
            if c.is_ascii_alphanumeric() {
                push(&mut out, c, &mut pending_space);
            } else if c != '\'' && c != '`' {
                pending_space = true;
            }
        }
        return out;
    }
    // Compose first so that a decomposed `u + U+0308` is seen as `ü` and expands to `ue`.
    for c in s.nfc().flat_map(char::to_lowercase) {
        match c {
            'ä' => push_str(&mut out, "ae", &mut pending_space),
            'ö' => push_str(&mut out, "oe", &mut pending_space),
            'ü' => push_str(&mut out, "ue", &mut pending_space),
            'ß' => push_str(&mut out, "ss", &mut pending_space),
            'æ' => push_str(&mut out, "ae", &mut pending_space),
            'œ' => push_str(&mut out, "oe", &mut pending_space),
            'þ' => push_str(&mut out, "th", &mut pending_space),
            'ı' => push(&mut out, 'i', &mut pending_space),
            'ł' => push(&mut out, 'l', &mut pending_space),
            'ø' => push(&mut out, 'o', &mut pending_space),
            'đ' | 'ð' => push(&mut out, 'd', &mut pending_space),
            'ə' => push(&mut out, 'e', &mut pending_space),
            '\'' | '`' | '’' | 'ʼ' | 'ʻ' | '´' | 'ʿ' | 'ʾ' => {}
            c if c.is_ascii_alphanumeric() => push(&mut out, c, &mut pending_space),
            c if c.is_ascii() => pending_space = true,
            c => {
                // Generic diacritic removal: decompose and keep the ASCII base letters.
                let mut any = false;
                for d in std::iter::once(c).nfkd() {
                    if d.is_ascii_alphanumeric() {
                        push(&mut out, d.to_ascii_lowercase(), &mut pending_space);
                        any = true;
                    } else if is_combining_mark(d) {
                        // dropped
                    }
                }
                if !any && !is_combining_mark(c) && (c.is_whitespace() || !c.is_alphanumeric()) {
                    pending_space = true;
                }
            }
        }
    }
    out
}

fn push_str(out: &mut String, s: &str, pending: &mut bool) {
    if *pending && !out.is_empty() {
        out.push(' ');
    }
    *pending = false;
    out.push_str(s);
}

/// Folded form without spaces: `Abdul Rahman` and `Abdulrahman` become the same key.
pub fn compact(folded: &str) -> String {
    folded.chars().filter(|c| *c != ' ').collect()
}

/// A consonant skeleton for names written in Latin script from Arabic, Persian, Turkish or
/// Cyrillic. Vowels carry most of the transliteration noise (Mohammed/Muhammad/Mohamad,
/// Oleksandr/Aleksandr), so they are dropped except that a leading vowel leaves a marker;
/// consonant spellings that alternate are merged (kh/ch→h, sh/sch→s, w→v, z→s, c/q→k,
/// x→ks, d→t, j/y count as vowels) and doubled letters collapse. Input: a [`fold`]ed string.
pub fn skeleton(folded: &str) -> String {
    let b: Vec<u8> = folded.bytes().filter(|c| c.is_ascii_alphabetic()).collect();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'j');
    let mut i = 0;
    let mut first = true;
    while i < b.len() {
        let rest = &b[i..];
        let (emit, used): (Option<&[u8]>, usize) = if rest.starts_with(b"dsch") {
            (None, 4)
        } else if rest.starts_with(b"tsch") {
            (Some(b"c"), 4)
        } else if rest.starts_with(b"sch") {
            (Some(b"s"), 3)
        } else if rest.starts_with(b"sh") || rest.starts_with(b"zh") {
            (Some(b"s"), 2)
        } else if rest.starts_with(b"ch") || rest.starts_with(b"kh") {
            (Some(b"h"), 2)
        } else if rest.starts_with(b"gh") {
            (Some(b"g"), 2)
        } else if rest.starts_with(b"ph") {
            (Some(b"f"), 2)
        } else if rest.starts_with(b"th") || rest.starts_with(b"dh") {
            (Some(b"t"), 2)
        } else if rest.starts_with(b"dj") {
            (None, 2)
        } else if rest.starts_with(b"ck") {
            (Some(b"k"), 2)
        } else if rest.starts_with(b"tz") || rest.starts_with(b"ts") {
            (Some(b"s"), 2)
        } else {
            let c = rest[0];
            let m: Option<&[u8]> = match c {
                c if is_vowel(c) => None,
                b'c' | b'q' | b'k' => Some(b"k"),
                b'w' | b'v' => Some(b"v"),
                b'z' | b's' => Some(b"s"),
                b'x' => Some(b"ks"),
                b'd' | b't' => Some(b"t"),
                b'b' => Some(b"b"),
                b'f' => Some(b"f"),
                b'g' => Some(b"g"),
                b'h' => Some(b"h"),
                b'l' => Some(b"l"),
                b'm' => Some(b"m"),
                b'n' => Some(b"n"),
                b'p' => Some(b"p"),
                b'r' => Some(b"r"),
                _ => None,
            };
            (m, 1)
        };
        if first {
            first = false;
            if emit.is_none() {
                out.push(b'a');
            }
        }
        if let Some(e) = emit {
            for &c in e {
                if out.last() != Some(&c) {
                    out.push(c);
                }
            }
        }
        i += used;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Kölner Phonetik (Postel 1969) of a [`fold`]ed string, the standard phonetic code for German
/// spellings. Words are coded together, as for a compact name.
pub fn koelner(folded: &str) -> String {
    let b: Vec<u8> = folded.bytes().filter(|c| c.is_ascii_alphabetic()).collect();
    let mut codes: Vec<u8> = Vec::with_capacity(b.len() * 2);
    for i in 0..b.len() {
        let c = b[i];
        let prev = if i > 0 { Some(b[i - 1]) } else { None };
        let next = b.get(i + 1).copied();
        let code: &[u8] = match c {
            b'a' | b'e' | b'i' | b'j' | b'o' | b'u' | b'y' => b"0",
            b'h' => b"",
            b'b' => b"1",
            b'p' => {
                if next == Some(b'h') {
                    b"3"
                } else {
                    b"1"
                }
            }
            b'd' | b't' => {
                if matches!(next, Some(b'c' | b's' | b'z')) {
                    b"8"
                } else {
                    b"2"
                }
            }
            b'f' | b'v' | b'w' => b"3",
            b'g' | b'k' | b'q' => b"4",
            b'c' => {
                if i == 0 {
                    if matches!(
                        next,
                        Some(b'a' | b'h' | b'k' | b'l' | b'o' | b'q' | b'r' | b'u' | b'x')
                    ) {
                        b"4"
                    } else {
                        b"8"
                    }
                } else if matches!(next, Some(b'a' | b'h' | b'k' | b'o' | b'q' | b'u' | b'x'))
                    && !matches!(prev, Some(b's' | b'z'))
                {
                    b"4"
                } else {
                    b"8"
                }
            }
            b'x' => {
                if matches!(prev, Some(b'c' | b'k' | b'q')) {
                    b"8"
                } else {
                    b"48"
                }
            }
            b'l' => b"5",
            b'm' | b'n' => b"6",
            b'r' => b"7",
            b's' | b'z' => b"8",
            _ => b"",
        };
        codes.extend_from_slice(code);
    }
    let mut out = Vec::with_capacity(codes.len());
    for (i, &c) in codes.iter().enumerate() {
        if out.last() == Some(&c) {
            continue;
        }
        if c == b'0' && i != 0 {
            // Vowels only count at the start, but still separate repeated consonants.
            out.push(c);
            continue;
        }
        out.push(c);
    }
    let mut res: Vec<u8> = Vec::with_capacity(out.len());
    for (i, &c) in out.iter().enumerate() {
        if c == b'0' && i != 0 {
            continue;
        }
        res.push(c);
    }
    String::from_utf8(res).unwrap_or_default()
}

/// A date as written in the extracts: `YYYY-MM-DD`, with `00` for an unknown month or day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (surrounding white space allowed), accepting `00` for month or day.
    pub fn parse(s: &str) -> Option<Date> {
        let t = s.trim().as_bytes();
        if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
            return None;
        }
        let num = |r: &[u8]| -> Option<u32> {
            let mut v = 0u32;
            for &c in r {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Some(v)
        };
        let year = num(&t[0..4])?;
        let month = num(&t[5..7])?;
        let day = num(&t[8..10])?;
        if month > 12 || day > 31 || year == 0 {
            return None;
        }
        if month == 0 && day != 0 {
            return None;
        }
        Some(Date {
            year: u16::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    pub fn is_full(self) -> bool {
        self.month != 0 && self.day != 0
    }

    /// `YYYY-01-01` is often a registration default for an unknown date.
    pub fn is_default(self) -> bool {
        self.month == 1 && self.day == 1
    }

    pub fn key(self) -> u32 {
        u32::from(self.year) << 9 | u32::from(self.month) << 5 | u32::from(self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_follows_the_spec() {
        assert_eq!(norm("MÜLLER"), "müller");
        assert_eq!(norm(" Müller"), "müller");
        assert_eq!(norm("Mu\u{0308}ller"), "müller");
        assert!(norm_eq("MÜLLER", "Mu\u{0308}ller "));
        assert!(!norm_eq("Müller", "Mueller"));
        assert!(!norm_eq("Mohammed", "Muhammad"));
        assert!(!norm_eq("1990-00-00", "1990-05-17"));
        // Lowercase, not case folding: ß stays ß; ẞ lowercases to ß.
        assert_eq!(norm("STRAẞE"), "straße");
        assert!(!norm_eq("Straße", "Strasse"));
        // Inner spaces are not collapsed.
        assert!(!norm_eq("Anna  Maria", "Anna Maria"));
        assert!(!norm_eq("", "x"));
        assert!(norm_eq("\t\u{00A0}x ", "X"));
    }

    #[test]
    fn fold_handles_umlauts_diacritics_and_punctuation() {
        assert_eq!(fold("Müller"), "mueller");
        assert_eq!(fold("Mu\u{0308}ller"), "mueller");
        assert_eq!(fold("MÜLLER"), "mueller");
        assert_eq!(fold("Strauß"), "strauss");
        assert_eq!(fold("Şahin"), "sahin");
        assert_eq!(fold("Yılmaz"), "yilmaz");
        assert_eq!(fold("Wiśniewski"), "wisniewski");
        assert_eq!(fold("Al-Ahmad"), "al ahmad");
        assert_eq!(fold("  D'Angelo "), "dangelo");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(
            compact(&fold("Abdul Rahman")),
            compact(&fold("Abdulrahman"))
        );
    }

    #[test]
    fn skeleton_merges_transliteration_variants() {
        let sk = |s: &str| skeleton(&fold(s));
        assert_eq!(sk("Mohammed"), sk("Muhammad"));
        assert_eq!(sk("Mohamad"), sk("Muhammad"));
        assert_eq!(sk("Oleksandr"), sk("Aleksandr"));
        assert_eq!(sk("Alexander"), sk("Aleksandr"));
        assert_eq!(sk("Ivanov"), sk("Iwanow"));
        assert_eq!(sk("Yusuf"), sk("Jusuf"));
        assert_eq!(sk("Youssef"), sk("Yusuf"));
        assert_eq!(sk("Hussein"), sk("Husain"));
        assert_eq!(sk("Charkiw"), sk("Kharkiv"));
        assert_eq!(sk("Damaskus"), sk("Damascus"));
        assert_eq!(sk("Öztürk"), sk("Ozturk"));
        assert_eq!(sk("Abdul Rahman"), sk("Abdulrahman"));
        assert_ne!(sk("Ali"), sk("Omar"));
        assert_ne!(sk("Schmidt"), sk("Schneider"));
    }

    #[test]
    fn koelner_phonetik_matches_reference_codes() {
        // Reference values from the published algorithm.
        assert_eq!(koelner(&fold("Müller-Lüdenscheidt")), "65752682");
        assert_eq!(koelner(&fold("Wikipedia")), "3412");
        assert_eq!(koelner(&fold("Breschnew")), "17863");
        assert_eq!(koelner(&fold("Meier")), koelner(&fold("Mayr")));
        assert_eq!(koelner(&fold("Schmidt")), koelner(&fold("Schmitt")));
    }

    #[test]
    fn dates_parse_partial_and_reject_garbage() {
        assert_eq!(
            Date::parse("1990-05-17"),
            Some(Date {
                year: 1990,
                month: 5,
                day: 17
            })
        );
        assert!(Date::parse("1990-00-00").is_some());
        assert!(Date::parse("1990-05-00").is_some());
        assert!(Date::parse("1990-00-05").is_none());
        assert!(Date::parse("1990-13-01").is_none());
        assert!(Date::parse("17.05.1990").is_none());
        assert!(Date::parse("").is_none());
        assert!(Date::parse("1990-01-01").is_some_and(Date::is_default));
    }
}
