//! Arabic shaping and the visual order of a line, because PDF viewers do neither: a PDF shows
//! glyphs in the order and form they are written.

pub(crate) fn is_arabic(c: char) -> bool {
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

/// Shaped and mirrored, so that it reads right to left when drawn left to right.
fn mirrored(word: &str) -> String {
    shape_arabic(word).chars().rev().collect()
}

/// The visual order of one line. Arabic words are shaped and mirrored. In a left-to-right line a
/// run of Arabic words reads right to left and punctuation after the run stays after it; in a
/// right-to-left line the runs are reversed while a run of Latin, Cyrillic or number words keeps
/// its own order. Enough for names, references and sentences; not the full Unicode bidirectional
/// algorithm.
pub fn visual(text: &str, rtl: bool) -> String {
    let mut runs: Vec<(bool, Vec<&str>)> = Vec::new();
    for word in text.split(' ') {
        let arabic = word.chars().any(is_arabic);
        match runs.last_mut() {
            Some((run_arabic, words)) if *run_arabic == arabic => words.push(word),
            _ => runs.push((arabic, vec![word])),
        }
    }
    let mut shown: Vec<String> = runs
        .into_iter()
        .map(|(arabic, words)| {
            if !arabic {
                return words.join(" ");
            }
            let mut words: Vec<String> = words.into_iter().map(str::to_owned).collect();
            let mut tail = String::new();
            if !rtl && let Some(last) = words.last_mut() {
                let core = last
                    .trim_end_matches(|c: char| c.is_ascii_punctuation())
                    .len();
                tail = last[core..].to_owned();
                last.truncate(core);
            }
            let mut out: Vec<String> = words.iter().rev().map(|w| mirrored(w)).collect();
            if let Some(last) = out.last_mut() {
                last.push_str(&tail);
            }
            out.join(" ")
        })
        .collect();
    if rtl {
        shown.reverse();
    }
    shown.join(" ")
}

#[cfg(test)]
mod tests {
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
    fn runs_keep_their_own_direction() {
        let dar = "\u{FEAD}\u{FE8D}\u{FEA9}";
        let bayt = "\u{FE96}\u{FEF4}\u{FE91}";
        // Left to right: the Arabic run reads right to left, the rest stays.
        assert_eq!(
            visual("Name: دار بيت, Олена", false),
            format!("Name: {bayt} {dar}, Олена")
        );
        // Right to left: a run of Latin words keeps its order.
        assert_eq!(
            visual("دار Stadt Essen", true),
            format!("Stadt Essen {dar}")
        );
    }
}
