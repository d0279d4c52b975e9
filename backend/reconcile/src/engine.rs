//! The linkage engine: features, blocking, Fellegi–Sunter weights estimated by EM, scoring,
//! duplicate grouping, one-to-one assignment with ambiguity detection, and the outcome.

use crate::compare::{Context, differences};
use crate::config::Config;
use crate::features::{
    CMPS, Cmp, Feat, Levels, MISSING, NC, combine, compare, date_slip, dob_level,
    names_agree_strictly, prepare,
};
use crate::norm::Date;
use crate::outcome::{Class, ClassEntry, Link, Outcome, WeightRow};
use crate::par::map_chunks;
use crate::record::{Field, Record, Side};
use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Instant;

/// Progress of a run: the stage and the fraction (0..=1) of the whole run done.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub stage: &'static str,
    pub fraction: f64,
}

const MAX_LEVELS: usize = 5;

/// Stores in each record the share of all records holding its family name, given names,
/// birth date and place of birth (the term frequencies of exact agreement), so that scoring
/// a pair reads them from the record instead of four hash maps.
fn term_frequencies(feats: &mut [Feat]) {
    let mut counts: [FxHashMap<u64, u32>; 4] = Default::default();
    let values = |f: &Feat| -> [u64; 4] {
        let dob = if f.has_dob {
            u64::from(f.dob.key()) | 1 << 40
        } else {
            0
        };
        [f.fam, f.giv, dob, f.pob]
    };
    for f in feats.iter() {
        for (c, v) in counts.iter_mut().zip(values(f)) {
            if v != 0 {
                *c.entry(v).or_default() += 1;
            }
        }
    }
    let n = feats.len().max(1) as f64;
    for f in feats.iter_mut() {
        let v = values(f);
        for k in 0..4 {
            f.tf[k] = counts[k]
                .get(&v[k])
                .map_or(0.0, |&c| (f64::from(c) / n) as f32);
        }
    }
}

/// The estimated Fellegi–Sunter model.
pub(crate) struct Model {
    m: [[f64; MAX_LEVELS]; NC],
    u: [[f64; MAX_LEVELS]; NC],
    w: [[f64; MAX_LEVELS]; NC],
    /// Share of matches among candidate pairs.
    lambda: f64,
    /// Records in the run: the floor of a term frequency is half a record.
    records: f64,
}

impl Model {
    fn level_count(c: Cmp) -> usize {
        c.levels().len()
    }

    /// Weight of one comparison, with the term-frequency adjustment for exact agreement:
    /// agreeing on a name that 3 % of all records carry is weaker evidence than agreeing on
    /// one carried by 0.01 %, so u becomes that value's share instead of the average.
    fn cmp_weight(&self, c: Cmp, level: u8, a: &Feat) -> f64 {
        if level == MISSING {
            return 0.0;
        }
        let ci = c as usize;
        let l = level as usize;
        if level == 0 && c.term_frequency() {
            // Family, given names, birth date and place are comparisons 0..4, in the order
            // of `Feat::tf`.
            let share = f64::from(a.tf[ci]);
            if share > 0.0 {
                let u = share.max(0.5 / self.records);
                return (self.m[ci][0] / u).log2();
            }
        }
        self.w[ci][l]
    }

    fn weight(&self, lv: &Levels, a: &Feat) -> f64 {
        CMPS.iter()
            .map(|&c| self.cmp_weight(c, lv.l[c as usize], a))
            .sum()
    }

    fn prior_bits(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    fn probability(&self, weight: f64) -> f64 {
        1.0 / (1.0 + (-(weight + self.prior_bits())).exp2())
    }

    fn explain(&self, lv: &Levels, a: &Feat, total: f64) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(256);
        for &c in &CMPS {
            let level = lv.l[c as usize];
            if level == MISSING {
                continue;
            }
            let name = c.levels().get(level as usize).copied().unwrap_or("?");
            let w = self.cmp_weight(c, level, a);
            if !s.is_empty() {
                s.push_str("; ");
            }
            // Writing into a String cannot fail.
            let _ = write!(s, "{} {} {:+.1}", c.name(), name, w);
        }
        if lv.swapped {
            s.push_str("; names exchanged");
        }
        let _ = write!(s, "; total {total:.1} bits");
        s
    }

    pub(crate) fn table(&self) -> Vec<WeightRow> {
        let mut rows = Vec::new();
        for &c in &CMPS {
            for (l, name) in c.levels().iter().enumerate() {
                let ci = c as usize;
                rows.push(WeightRow {
                    comparison: c.name().to_string(),
                    level: (*name).to_string(),
                    m: self.m[ci][l],
                    u: self.u[ci][l],
                    weight: self.w[ci][l],
                });
            }
        }
        rows
    }
}

fn initial_m(c: Cmp) -> [f64; MAX_LEVELS] {
    match c {
        Cmp::Family | Cmp::Place => [0.85, 0.08, 0.04, 0.03, 0.0],
        Cmp::Given => [0.83, 0.08, 0.04, 0.02, 0.03],
        Cmp::Birth => [0.9, 0.05, 0.03, 0.02, 0.0],
        Cmp::Azr => [0.9, 0.03, 0.07, 0.0, 0.0],
        _ => [0.95, 0.05, 0.0, 0.0, 0.0],
    }
}

/// Deterministic generator for the samples (SplitMix64).
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Estimates u from random pairs and m (and the match share) by EM on candidate pairs.
fn estimate(
    feats: &[Feat],
    arena: &str,
    n_local: usize,
    cross: &[(u32, u32)],
    cfg: &Config,
) -> Model {
    let n_azr = feats.len() - n_local;
    let mut rng = SplitMix(cfg.seed);
    let sample = cfg.em_sample.max(1000);
    let mut u_count = [[0.5f64; MAX_LEVELS]; NC];
    if n_local > 0 && n_azr > 0 {
        for _ in 0..sample {
            let i = rng.below(n_local);
            let j = n_local + rng.below(n_azr);
            let lv = compare(&feats[i], &feats[j], arena);
            for &c in &CMPS {
                let l = lv.l[c as usize];
                if l != MISSING {
                    u_count[c as usize][l as usize] += 1.0;
                }
            }
        }
    }
    let mut u = [[0.0f64; MAX_LEVELS]; NC];
    for &c in &CMPS {
        let ci = c as usize;
        let k = Model::level_count(c);
        let total: f64 = u_count[ci][..k].iter().sum();
        for l in 0..k {
            u[ci][l] = u_count[ci][l] / total;
        }
    }
    // EM over a deterministic, evenly spread sample of candidate pairs.
    let step = (cross.len() / sample).max(1);
    let levels: Vec<Levels> = cross
        .iter()
        .step_by(step)
        .map(|&(i, j)| compare(&feats[i as usize], &feats[j as usize], arena))
        .collect();
    let mut m = [[0.0f64; MAX_LEVELS]; NC];
    for &c in &CMPS {
        m[c as usize] = initial_m(c);
    }
    let mut lambda = 0.3f64;
    for _ in 0..cfg.em_iterations {
        let mut acc = [[1e-3f64; MAX_LEVELS]; NC];
        let mut sum_p = 0.0;
        for lv in &levels {
            let mut lr = 0.0f64;
            for &c in &CMPS {
                let l = lv.l[c as usize];
                if l != MISSING {
                    let ci = c as usize;
                    lr += (m[ci][l as usize].max(1e-6) / u[ci][l as usize].max(1e-9)).ln();
                }
            }
            let odds = (lambda / (1.0 - lambda)) * lr.clamp(-700.0, 700.0).exp();
            let p = if odds.is_finite() {
                odds / (1.0 + odds)
            } else {
                1.0
            };
            sum_p += p;
            for &c in &CMPS {
                let l = lv.l[c as usize];
                if l != MISSING {
                    acc[c as usize][l as usize] += p;
                }
            }
        }
        for &c in &CMPS {
            let ci = c as usize;
            let k = Model::level_count(c);
            let total: f64 = acc[ci][..k].iter().sum();
            for l in 0..k {
                m[ci][l] = (acc[ci][l] / total).max(1e-5);
            }
        }
        if !levels.is_empty() {
            lambda = (sum_p / levels.len() as f64).clamp(1e-4, 0.999);
        }
    }
    // The AZR assigns and checks its numbers, so a match with two different numbers is rare
    // (a borrowed or mistyped number). EM cannot see that: blocking puts look-alikes with
    // their own numbers among the candidates, and it counts some of them as matches. The
    // m-probability of a differing number is therefore capped at 0.2 %.
    let azr = Cmp::Azr as usize;
    if m[azr][2] > 0.002 {
        let excess = m[azr][2] - 0.002;
        m[azr][2] = 0.002;
        m[azr][0] += excess;
    }
    let mut w = [[0.0f64; MAX_LEVELS]; NC];
    for &c in &CMPS {
        let ci = c as usize;
        for l in 0..Model::level_count(c) {
            w[ci][l] = (m[ci][l] / u[ci][l].max(1e-9)).log2();
        }
    }
    Model {
        m,
        u,
        w,
        lambda,
        records: feats.len().max(1) as f64,
    }
}

/// Blocking key `kind` (0..7) of one record, 0 when the record has none. Each key catches
/// pairs that another misses, so one typo in a name or date never hides a pair: AZR number,
/// family name+date, given name+date, both names (in either order)+year, Kölner code+date,
/// date+place+nationality, both names+day and month.
fn block_key(f: &Feat, kind: usize) -> u64 {
    let dob = if f.has_dob { u64::from(f.dob.key()) } else { 0 };
    let g1 = u64::from(f.giv_tok[0]);
    let names = || {
        let fam32 = u64::from(f.fam_sk as u32 | 1);
        if f.fam_sk != 0 && g1 != 0 {
            combine(fam32.min(g1), fam32.max(g1))
        } else {
            0
        }
    };
    // Default and partial dates are shared by too many people to be part of a weak key.
    let informative = f.has_dob && f.dob.is_full() && !f.dob.is_default();
    match kind {
        0 if f.azr != 0 => combine(1, f.azr),
        1 if f.fam_sk != 0 && dob != 0 => combine(combine(2, f.fam_sk), dob),
        2 if g1 != 0 && dob != 0 => combine(combine(3, g1), dob),
        3 if f.has_dob => {
            let names = names();
            if names == 0 {
                0
            } else {
                combine(combine(4, names), u64::from(f.dob.year))
            }
        }
        4 if f.fam_kp != 0 && dob != 0 => combine(combine(5, f.fam_kp), dob),
        5 if informative && f.pob_sk != 0 && f.nat != 0 => {
            combine(combine(combine(6, dob), f.pob_sk), u64::from(f.nat))
        }
        6 if informative => {
            let names = names();
            if names == 0 {
                0
            } else {
                combine(
                    combine(7, names),
                    u64::from(f.dob.month) << 8 | u64::from(f.dob.day),
                )
            }
        }
        _ => 0,
    }
}

/// Refinements of a block that is too large, in order: each adds an attribute that a
/// blocking key may lack (the other name, the full birth date, sex, nationality,
/// municipality, place of birth). A refinement the key already holds splits nothing and the
/// next one applies.
const REFINEMENTS: usize = 6;

fn refinement(f: &Feat, level: usize) -> u64 {
    match level {
        0 => combine(f.fam_sk, u64::from(f.giv_tok[0])),
        1 => u64::from(f.dob.key()) | u64::from(f.has_dob) << 32,
        2 => u64::from(f.sex),
        3 => u64::from(f.nat),
        4 => u64::from(f.muni),
        _ => f.pob_sk,
    }
}

/// Whether a pair from the loose keys is worth scoring. Both names plus the birth year
/// (key 3) would otherwise pair everyone of a common name born in one year; a true pair
/// there has dates that are equal, compatible (partial, 1 January) or one slip apart. Key 6
/// (names plus day and month) exists for a wrong year: one digit or two swapped.
fn loose_pair_worth_scoring(kind: usize, a: &Feat, b: &Feat) -> bool {
    match kind {
        3 => dob_level(a, b) <= 2,
        6 => {
            let (p, q) = (a.dob.year, b.dob.year);
            let differ = (0..4)
                .filter(|i| (p / 10u16.pow(*i)) % 10 != (q / 10u16.pow(*i)) % 10)
                .count();
            differ <= 2
        }
        _ => true,
    }
}

struct Blocker<'a> {
    feats: &'a [Feat],
    n_local: usize,
    cap: usize,
    kind: usize,
    pairs: Vec<u64>,
    skipped: u64,
}

impl Blocker<'_> {
    /// Pairs of one block (equal keys). A block larger than the cap is split by the next
    /// refinement rather than dropped, so a very common name and date still pair the
    /// records that agree on more; only what is left too large after every refinement is
    /// skipped (and counted).
    fn block(&mut self, entries: &mut [(u64, u32)], level: usize) {
        let n = entries.len();
        if n < 2 {
            return;
        }
        if n > self.cap {
            if level == REFINEMENTS {
                self.skipped += (n * (n - 1) / 2) as u64;
                return;
            }
            for e in entries.iter_mut() {
                e.0 = combine(e.0, refinement(&self.feats[e.1 as usize], level));
            }
            entries.sort_unstable();
            let mut s = 0;
            while s < n {
                let e = s + entries[s..]
                    .iter()
                    .take_while(|x| x.0 == entries[s].0)
                    .count();
                self.block(&mut entries[s..e], level + 1);
                s = e;
            }
            return;
        }
        // Same-register pairs only serve duplicate detection: the number, name and date
        // keys, and both names with a near date (a typo in one record's date).
        let same_side_too = matches!(self.kind, 0..=3 | 6);
        for x in 0..n {
            for y in x + 1..n {
                let (a, b) = (entries[x].1, entries[y].1);
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                let cross = (a as usize) < self.n_local && (b as usize) >= self.n_local;
                if (cross || same_side_too)
                    && loose_pair_worth_scoring(
                        self.kind,
                        &self.feats[a as usize],
                        &self.feats[b as usize],
                    )
                {
                    self.pairs.push(u64::from(a) << 32 | u64::from(b));
                }
            }
        }
    }
}

/// Candidate pairs (i < j over the pooled records, local first) from sort-based blocking,
/// and the number of pairs skipped in blocks still too large after every refinement.
fn candidates(feats: &[Feat], n_local: usize, cfg: &Config) -> (Vec<u64>, u64) {
    let kinds: Vec<usize> = (0..7).collect();
    let per_kind = map_chunks(&kinds, cfg.thread_count(), 1, |_, ks| {
        let mut b = Blocker {
            feats,
            n_local,
            cap: cfg.max_block_size,
            kind: 0,
            pairs: Vec::new(),
            skipped: 0,
        };
        for &kind in ks {
            b.kind = kind;
            let mut entries: Vec<(u64, u32)> = feats
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let k = block_key(f, kind);
                    (k != 0).then_some((k, i as u32))
                })
                .collect();
            entries.sort_unstable();
            let mut s = 0;
            while s < entries.len() {
                let e = s + entries[s..]
                    .iter()
                    .take_while(|x| x.0 == entries[s].0)
                    .count();
                b.block(&mut entries[s..e], 0);
                s = e;
            }
        }
        b.pairs.sort_unstable();
        b.pairs.dedup();
        (b.pairs, b.skipped)
    });
    let mut all: Vec<u64> = Vec::with_capacity(per_kind.iter().map(|p| p.0.len()).sum());
    let mut skipped = 0;
    for (p, s) in per_kind {
        all.extend(p);
        skipped += s;
    }
    all.sort_unstable();
    all.dedup();
    (all, skipped)
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let p = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = p;
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi as usize] = lo;
        }
    }
}

/// Why a cross-register pair may not be linked whatever its weight.
fn veto(lv: &Levels, local: &Feat, azr_numbers: &FxHashSet<u64>) -> Option<&'static str> {
    let f = lv.l[Cmp::Family as usize];
    let g = lv.l[Cmp::Given as usize];
    if lv.l[Cmp::Azr as usize] == 2 && !azr_numbers.contains(&local.azr) {
        // Both registers hold a number, they differ beyond a slip of the keyboard, and the
        // local one is no other record's number in this extract: the AZR knows this person
        // under a number this authority does not have, i.e. a look-alike who moved away.
        return Some("AZR numbers differ and the local number is not a mix-up");
    }
    if f != MISSING && g != MISSING && f >= 3 && g >= 3 {
        return Some("no name agrees");
    }
    if !lv.swapped && g == 4 && f != MISSING && f <= 2 {
        // Same family, same birth data, another given name: a sibling or twin, not a typo.
        return Some("given names differ (sibling or twin?)");
    }
    None
}

/// How two records of the same register relate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Same {
    /// Not shown to be one person.
    No,
    /// One person registered twice: names, exact birth date and the rest agree.
    Person,
    /// One person if both records are the best match of one record of the other register:
    /// as [`Same::Person`], but the birth dates only agree up to a slip (one digit, day and
    /// month swapped, a partial or 1 January date), which look-alikes can share too.
    IfSamePartner,
}

/// Whether two records of the same register are one person registered twice. Stricter
/// than a link: look-alikes (a common name with the same default date) must not merge.
fn same_person(lv: &Levels, a: &Feat, b: &Feat, arena: &str, local_side: bool) -> Same {
    let l = |c: Cmp| lv.l[c as usize];
    let agrees = |c: Cmp| l(c) == MISSING || l(c) == 0;
    let rest = !lv.swapped
        && names_agree_strictly(a, b, arena)
        && (l(Cmp::Place) == MISSING || l(Cmp::Place) <= 1)
        && agrees(Cmp::Sex)
        && agrees(Cmp::Nationality)
        // Two local files carrying two different AZR numbers are two persons to the AZR.
        && !(local_side && l(Cmp::Azr) != MISSING && l(Cmp::Azr) > 0);
    if !rest {
        return Same::No;
    }
    let vague = |d: Date| !d.is_full() || d.is_default();
    match l(Cmp::Birth) {
        // A partial or 1 January date is what many people share, not evidence of identity.
        0 if !vague(a.dob) => Same::Person,
        // A vague date, or a slip in one record's date: the municipality must agree too,
        // and both records must be the best match of one record of the other register.
        0 | 1 if agrees(Cmp::Municipality) => Same::IfSamePartner,
        _ if agrees(Cmp::Municipality) && date_slip(a.dob, b.dob) => Same::IfSamePartner,
        _ => Same::No,
    }
}

#[derive(Clone, Copy)]
struct Scored {
    i: u32,
    j: u32,
    w: f32,
    /// For a same-register pair: whether it needs a shared partner to be one person.
    conditional: bool,
}

const FREE: u8 = 0;
const LINKED: u8 = 1;
const AMBIGUOUS: u8 = 2;

/// Links the two extracts. Records are identified by their position; ids must be unique
/// within each side (the readers guarantee it).
pub fn reconcile(
    local: Vec<Record>,
    azr: Vec<Record>,
    config: &Config,
    progress: &dyn Fn(Progress),
) -> Outcome {
    let mut timings = std::collections::BTreeMap::new();
    let threads = config.thread_count();
    let n_local = local.len();
    let pooled: Vec<&Record> = local.iter().chain(azr.iter()).collect();
    let n = pooled.len();

    // 1. Features.
    progress(Progress {
        stage: "prepare",
        fraction: 0.0,
    });
    let t = Instant::now();
    let parts = map_chunks(&pooled, threads, 16_384, |_, chunk| {
        let mut arena = String::new();
        let feats: Vec<Feat> = chunk.iter().map(|r| prepare(r, &mut arena, 0)).collect();
        (feats, arena)
    });
    let mut feats: Vec<Feat> = Vec::with_capacity(n);
    let mut arena = String::new();
    for (fs, a) in parts {
        let base = u32::try_from(arena.len()).unwrap_or(u32::MAX);
        feats.extend(fs.into_iter().map(|mut f| {
            f.txt = f.txt.saturating_add(base);
            f
        }));
        arena.push_str(&a);
    }
    drop(pooled);
    term_frequencies(&mut feats);
    timings.insert("prepare".to_string(), t.elapsed().as_millis() as u64);

    // 2. Blocking.
    progress(Progress {
        stage: "block",
        fraction: 0.15,
    });
    let t = Instant::now();
    let (cand, pairs_skipped) = candidates(&feats, n_local, config);
    let cross: Vec<(u32, u32)> = cand
        .iter()
        .map(|p| ((p >> 32) as u32, *p as u32))
        .filter(|(i, j)| (*i as usize) < n_local && (*j as usize) >= n_local)
        .collect();
    timings.insert("block".to_string(), t.elapsed().as_millis() as u64);

    // 3. EM.
    progress(Progress {
        stage: "estimate",
        fraction: 0.35,
    });
    let t = Instant::now();
    let model = estimate(&feats, &arena, n_local, &cross, config);
    let candidate_pairs = cross.len() as u64;
    drop(cross);
    let p = config.link_probability;
    let link_weight = ((p / (1.0 - p)).log2() - model.prior_bits()).max(config.min_link_weight);
    timings.insert("estimate".to_string(), t.elapsed().as_millis() as u64);

    // 4. Scoring: keep cross pairs that may be linked and same-side pairs that are one person.
    progress(Progress {
        stage: "score",
        fraction: 0.4,
    });
    let t = Instant::now();
    let keep_cross = link_weight - config.ambiguity_margin;
    let azr_set: FxHashSet<u64> = feats[n_local..]
        .iter()
        .map(|f| f.azr)
        .filter(|&x| x != 0)
        .collect();
    let mut scored: Vec<Scored> = Vec::new();
    let batch = cand.len().div_ceil(10).max(1);
    for (bi, b) in cand.chunks(batch).enumerate() {
        let parts = map_chunks(b, threads, 65_536, |_, ps| {
            let mut out = Vec::new();
            for &p in ps {
                let (i, j) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
                let cross = i < n_local && j >= n_local;
                let lv = compare(&feats[i], &feats[j], &arena);
                let w = model.weight(&lv, &feats[i]);
                let (keep, conditional) = if cross {
                    (
                        w >= keep_cross && veto(&lv, &feats[i], &azr_set).is_none(),
                        false,
                    )
                } else if w >= config.duplicate_weight {
                    match same_person(&lv, &feats[i], &feats[j], &arena, j < n_local) {
                        Same::No => (false, false),
                        Same::Person => (true, false),
                        Same::IfSamePartner => (true, true),
                    }
                } else {
                    (false, false)
                };
                if keep {
                    out.push(Scored {
                        i: i as u32,
                        j: j as u32,
                        w: w as f32,
                        conditional,
                    });
                }
            }
            out
        });
        for p in parts {
            scored.extend(p);
        }
        progress(Progress {
            stage: "score",
            fraction: 0.4 + 0.3 * (bi + 1) as f64 / 10.0,
        });
    }
    drop(cand);
    timings.insert("score".to_string(), t.elapsed().as_millis() as u64);

    // 5. Persons: same-side duplicates grouped, then one-to-one assignment of groups.
    progress(Progress {
        stage: "assign",
        fraction: 0.7,
    });
    let t = Instant::now();
    let is_cross = |s: &Scored| (s.i as usize) < n_local && (s.j as usize) >= n_local;
    // Each record's best partner in the other register, for the conditional duplicates.
    let mut best: Vec<(u32, f32)> = vec![(u32::MAX, f32::NEG_INFINITY); n];
    for s in scored.iter().filter(|s| is_cross(s)) {
        for (x, y) in [(s.i, s.j), (s.j, s.i)] {
            let b = &mut best[x as usize];
            if s.w > b.1 || (s.w == b.1 && y < b.0) {
                *b = (y, s.w);
            }
        }
    }
    let mut uf = UnionFind::new(n);
    for s in scored.iter().filter(|s| !is_cross(s)) {
        let (bi, bj) = (best[s.i as usize].0, best[s.j as usize].0);
        // Two records that are each the best match of a different record of the other
        // register are two persons (look-alikes with the same name and birth date, each
        // with their own counterpart). A conditional duplicate (a slip in one record's
        // date) needs positive proof: both are the best match of the same record.
        let same_partner = bi != u32::MAX && bi == bj;
        let different_partners = bi != u32::MAX && bj != u32::MAX && bi != bj;
        if (s.conditional && same_partner) || (!s.conditional && !different_partners) {
            uf.union(s.i, s.j);
        }
    }
    drop(best);
    let root: Vec<u32> = (0..n as u32).map(|x| uf.find(x)).collect();
    drop(uf);
    let mut group_size = vec![0u32; n];
    for &r in &root {
        group_size[r as usize] += 1;
    }
    // Group-level edges: the best pair between two groups.
    let mut edges: Vec<(u32, u32, f32, u32, u32)> = scored
        .iter()
        .filter(|s| is_cross(s))
        .map(|s| (root[s.i as usize], root[s.j as usize], s.w, s.i, s.j))
        .collect();
    drop(scored);
    edges.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)));
    edges.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    // Adjacency of each group (both directions) in CSR form.
    let mut deg = vec![0u32; n + 1];
    for e in &edges {
        deg[e.0 as usize + 1] += 1;
        deg[e.1 as usize + 1] += 1;
    }
    for x in 1..=n {
        deg[x] += deg[x - 1];
    }
    let mut fill = deg.clone();
    let mut adj: Vec<(u32, f32)> = vec![(0, 0.0); edges.len() * 2];
    for e in &edges {
        adj[fill[e.0 as usize] as usize] = (e.1, e.2);
        fill[e.0 as usize] += 1;
        adj[fill[e.1 as usize] as usize] = (e.0, e.2);
        fill[e.1 as usize] += 1;
    }
    drop(fill);
    let neighbours = |g: u32| &adj[deg[g as usize] as usize..deg[g as usize + 1] as usize];
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_unstable_by(|&a, &b| edges[b].2.total_cmp(&edges[a].2).then(a.cmp(&b)));
    let mut state = vec![FREE; n];
    let mut partner = vec![u32::MAX; n];
    let mut why: FxHashMap<u32, String> = FxHashMap::default();
    let margin = config.ambiguity_margin as f32;
    let rec_id = |x: u32| -> &str {
        if (x as usize) < n_local {
            local[x as usize].id()
        } else {
            azr[x as usize - n_local].id()
        }
    };
    for &ei in &order {
        let (gl, ga, w, i, j) = edges[ei];
        if f64::from(w) < link_weight {
            break;
        }
        if state[gl as usize] != FREE || state[ga as usize] != FREE {
            continue;
        }
        let mut rivals: Vec<(u32, u32, f32)> = Vec::new();
        for &(other, w2) in neighbours(gl) {
            if other != ga && state[other as usize] == FREE && w2 >= w - margin {
                rivals.push((gl, other, w2));
            }
        }
        for &(other, w2) in neighbours(ga) {
            if other != gl && state[other as usize] == FREE && w2 >= w - margin {
                rivals.push((other, ga, w2));
            }
        }
        if rivals.is_empty() {
            state[gl as usize] = LINKED;
            state[ga as usize] = LINKED;
            partner[gl as usize] = ga;
            partner[ga as usize] = gl;
        } else {
            let mut text = format!(
                "cannot decide without a person: {} ↔ {} scores {:.1} bits",
                rec_id(i),
                rec_id(j),
                w
            );
            for &(a, b, w2) in &rivals {
                text.push_str(&format!(
                    ", but {} ↔ {} scores {:.1} (margin below {:.1})",
                    rec_id(a),
                    rec_id(b),
                    w2,
                    margin
                ));
            }
            for g in std::iter::once(gl)
                .chain(std::iter::once(ga))
                .chain(rivals.iter().flat_map(|r| [r.0, r.1]))
            {
                state[g as usize] = AMBIGUOUS;
                why.entry(g).or_insert_with(|| text.clone());
            }
        }
    }
    // Members of each group, for links and classes.
    let mut members_start = vec![0u32; n + 1];
    for &r in &root {
        members_start[r as usize + 1] += 1;
    }
    for x in 1..=n {
        members_start[x] += members_start[x - 1];
    }
    let mut fillm = members_start.clone();
    let mut members = vec![0u32; n];
    for (x, &r) in root.iter().enumerate() {
        members[fillm[r as usize] as usize] = x as u32;
        fillm[r as usize] += 1;
    }
    drop(fillm);
    let members_of = |g: u32| {
        &members[members_start[g as usize] as usize..members_start[g as usize + 1] as usize]
    };
    let mut link_pairs: Vec<(u32, u32)> = Vec::new();
    for gl in 0..n_local as u32 {
        if root[gl as usize] != gl || state[gl as usize] != LINKED {
            continue;
        }
        let ga = partner[gl as usize];
        for &l in members_of(gl) {
            for &a in members_of(ga) {
                link_pairs.push((l, a));
            }
        }
    }
    timings.insert("assign".to_string(), t.elapsed().as_millis() as u64);

    // 6. Differences, proposals, explanations.
    progress(Progress {
        stage: "compare",
        fraction: 0.8,
    });
    let t = Instant::now();
    let today = if config.reference_date.is_empty() {
        local
            .iter()
            .chain(azr.iter())
            .filter_map(|r| r.get(Field::UpdatedAt).trim().get(..10))
            .filter_map(Date::parse)
            .max()
            .unwrap_or_default()
    } else {
        Date::parse(&config.reference_date).unwrap_or_default()
    };
    let mut azr_numbers: FxHashMap<u64, u32> = FxHashMap::default();
    for (k, r) in azr.iter().enumerate() {
        if let Ok(num) = r.get(Field::AzrNumber).trim().parse::<u64>() {
            azr_numbers.insert(num, k as u32);
        }
    }
    let ctx = Context {
        config,
        today,
        azr_numbers: &azr_numbers,
        azr: &azr,
    };
    let results = map_chunks(&link_pairs, threads, 8192, |_, ps| {
        let mut links = Vec::with_capacity(ps.len());
        let mut diffs = Vec::new();
        let mut differs = Vec::with_capacity(ps.len());
        for &(l, a) in ps {
            let (fl, fa) = (&feats[l as usize], &feats[a as usize]);
            let lv = compare(fl, fa, &arena);
            let w = model.weight(&lv, fl);
            let lrec = &local[l as usize];
            let arec = &azr[a as usize - n_local];
            let d = differences(lrec, arec, lv.swapped, &ctx);
            differs.push(!d.is_empty());
            diffs.extend(d);
            links.push(Link {
                local_record_id: lrec.id().to_string(),
                azr_record_id: arec.id().to_string(),
                weight: f64::from(w as f32),
                probability: model.probability(w),
                explanation: model.explain(&lv, fl, w),
            });
        }
        (links, diffs, differs)
    });
    let mut outcome = Outcome::default();
    let mut pair_differs = vec![false; n_local];
    let mut k = 0usize;
    for (links, diffs, differs) in results {
        for d in differs {
            let (l, _) = link_pairs[k];
            pair_differs[l as usize] |= d;
            k += 1;
        }
        outcome.links.extend(links);
        outcome.differences.extend(diffs);
    }
    // Classes.
    outcome.classes.reserve(n);
    for x in 0..n as u32 {
        let g = root[x as usize];
        let side = if (x as usize) < n_local {
            Side::Local
        } else {
            Side::Azr
        };
        let (class, explanation) = match state[g as usize] {
            LINKED => {
                let g2 = partner[g as usize];
                if group_size[g as usize] > 1 || group_size[g2 as usize] > 1 {
                    let mut ids: Vec<&str> = members_of(g).iter().map(|&m| rec_id(m)).collect();
                    ids.extend(members_of(g2).iter().map(|&m| rec_id(m)));
                    (
                        Class::Duplicate,
                        format!("one person with several records: {}", ids.join(", ")),
                    )
                } else {
                    let l = if side == Side::Local { x } else { g2 };
                    if pair_differs.get(l as usize).copied().unwrap_or(false) {
                        (
                            Class::Different,
                            "linked; fields differ (see diffs)".to_string(),
                        )
                    } else {
                        (Class::Identical, String::new())
                    }
                }
            }
            AMBIGUOUS => (Class::Ambiguous, why.get(&g).cloned().unwrap_or_default()),
            _ => {
                if group_size[g as usize] > 1 {
                    let ids: Vec<&str> = members_of(g).iter().map(|&m| rec_id(m)).collect();
                    (
                        Class::Duplicate,
                        format!(
                            "one person with several records, none in the other register: {}",
                            ids.join(", ")
                        ),
                    )
                } else if side == Side::Local {
                    (
                        Class::OnlyLocal,
                        "no record of the AZR extract matches with enough evidence".to_string(),
                    )
                } else {
                    (
                        Class::OnlyAzr,
                        "no record of the local register matches with enough evidence".to_string(),
                    )
                }
            }
        };
        outcome.classes.push(ClassEntry {
            side,
            record_id: rec_id(x).to_string(),
            class,
            explanation,
        });
    }
    timings.insert("compare".to_string(), t.elapsed().as_millis() as u64);
    outcome.summary.candidate_pairs = candidate_pairs;
    outcome.summary.pairs_skipped = pairs_skipped;
    outcome.summary.match_share = model.lambda;
    outcome.summary.link_weight = link_weight;
    outcome.summary.weights = model.table();
    outcome.summary.timings_ms = timings;
    outcome.count();
    progress(Progress {
        stage: "done",
        fraction: 1.0,
    });
    outcome
}
