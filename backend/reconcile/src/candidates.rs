//! Proposals for one new record among a few known ones: the engine's folding, phonetics,
//! transliteration groups and per-field comparison levels, used at a registration desk (a
//! PIK-Chassis registration looking for an existing person) instead of between two extracts.
//!
//! The caller blocks (loads only plausible persons); this module scores each pair and says
//! which the engine itself would link. A person decides: the proposals are never applied here.

use crate::features::{Cmp, MISSING, compare, prepare};
use crate::record::Record;

/// One known record that may be the same person as the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// Position in the `known` slice.
    pub index: usize,
    /// 0–100: how much of the identifying data agrees.
    pub score: u8,
    /// The engine's own same-person rule holds (names exact or variants, birth date exact, no
    /// conflicting place, sex or nationality).
    pub sure: bool,
}

/// Scores below this are not proposed.
pub const MIN_SCORE: u8 = 50;

fn points(level: u8, table: &[i32]) -> i32 {
    if level == MISSING {
        0
    } else {
        table.get(usize::from(level)).copied().unwrap_or(0)
    }
}

/// Ranks `known` against `new`, best first; only proposals scoring at least [`MIN_SCORE`].
pub fn propose(new: &Record, known: &[Record]) -> Vec<Proposal> {
    let mut arena = String::new();
    let a = prepare(new, &mut arena, 0);
    let mut out: Vec<Proposal> = known
        .iter()
        .enumerate()
        .filter_map(|(index, record)| {
            let b = prepare(record, &mut arena, 0);
            let lv = compare(&a, &b, &arena);
            let l = |c: Cmp| lv.l[c as usize];
            // Family and birth date identify most; given names a little less; agreement on
            // nationality and sex supports, disagreement counts against.
            let raw = points(l(Cmp::Family), &[30, 26, 18, 0])
                + points(l(Cmp::Given), &[25, 21, 14, 8, 0])
                + points(l(Cmp::Birth), &[30, 20, 12, 0])
                + points(l(Cmp::Nationality), &[10, -15])
                + points(l(Cmp::Sex), &[5, -20])
                + points(l(Cmp::Azr), &[20, 10, -30]);
            let score = u8::try_from(raw.clamp(0, 100)).unwrap_or(0);
            let names = {
                let (f, g) = (l(Cmp::Family), l(Cmp::Given));
                (f <= 1 && g <= 1) || (f == 0 && g == 2) || (f == 2 && g == 0)
            };
            let agrees = |c: Cmp| l(c) == MISSING || l(c) == 0;
            let sure = names
                && l(Cmp::Birth) == 0
                && agrees(Cmp::Sex)
                && agrees(Cmp::Nationality)
                && agrees(Cmp::Azr);
            (score >= MIN_SCORE).then_some(Proposal { index, score, sure })
        })
        .collect();
    out.sort_by(|x, y| {
        y.sure
            .cmp(&x.sure)
            .then(y.score.cmp(&x.score))
            .then(x.index.cmp(&y.index))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;

    fn person(family: &str, given: &str, born: &str, nationality: &str) -> Record {
        Record::from_pairs(&[
            (Field::FamilyName, family),
            (Field::GivenNames, given),
            (Field::DateOfBirth, born),
            (Field::Nationality, nationality),
        ])
    }

    #[test]
    fn transliterations_and_typos_are_proposed_strangers_are_not() {
        let known = [
            person("Al-Hassan", "Mohammed", "1990-04-12", "SYR"),
            person("Yilmaz", "Ayse", "1985-01-30", "TUR"),
            person("Kowalenko", "Olena", "2001-07-01", "UKR"),
        ];
        let hits = propose(&person("Alhasan", "Muhammad", "1990-04-12", "SYR"), &known);
        assert_eq!(hits.first().map(|p| p.index), Some(0), "{hits:?}");
        assert!(hits[0].sure);
        let typo = propose(&person("Yılmaz", "Ayşe", "1985-01-03", "TUR"), &known);
        assert_eq!(
            typo.first().map(|p| (p.index, p.sure)),
            Some((1, false)),
            "{typo:?}"
        );
        assert!(propose(&person("Schmidt", "Peter", "1970-02-02", "DEU"), &known).is_empty());
    }

    #[test]
    fn a_different_nationality_weakens_but_siblings_stay_apart() {
        let known = [person("Haddad", "Amal", "2010-03-03", "SYR")];
        let sibling = propose(&person("Haddad", "Karim", "2012-05-05", "SYR"), &known);
        assert!(sibling.is_empty(), "{sibling:?}");
        let other_state = propose(&person("Haddad", "Amal", "2010-03-03", "IRQ"), &known);
        assert!(other_state.iter().all(|p| !p.sure));
    }
}
