//! Field differences of a linked pair, their kind, and a proposal of the correct side.

use crate::config::{Config, Owner};
use crate::features::is_variant;
use crate::norm::{Date, norm_eq};
use crate::outcome::{Difference, Kind};
use crate::record::{Field, Record, Side};
use rustc_hash::FxHashMap;

/// What the proposals need besides the two records.
pub(crate) struct Context<'a> {
    pub config: &'a Config,
    /// "Today" for plausibility checks.
    pub today: Date,
    /// AZR number → AZR record id, to recognise a number borrowed from another person.
    pub azr_numbers: &'a FxHashMap<u64, u32>,
    pub azr: &'a [Record],
}

/// All differing compared fields of a linked pair under the spec's `norm()` rule.
pub(crate) fn differences(
    local: &Record,
    azr: &Record,
    swapped: bool,
    ctx: &Context,
) -> Vec<Difference> {
    let mut out = Vec::new();
    for field in Field::COMPARED {
        let (l, a) = (local.get(field), azr.get(field));
        if norm_eq(l, a) {
            continue;
        }
        let names_swapped = swapped && matches!(field, Field::FamilyName | Field::GivenNames);
        let kind = if field.is_name_like() && !names_swapped && is_variant(field, l, a) {
            Kind::Variant
        } else {
            Kind::Value
        };
        let (side, reason) = propose(field, kind, names_swapped, local, azr, ctx);
        out.push(Difference {
            local_record_id: local.id().to_string(),
            azr_record_id: azr.id().to_string(),
            field,
            kind,
            local_value: l.to_string(),
            azr_value: a.to_string(),
            proposed_side: side,
            reason,
        });
    }
    out
}

fn owner_side(field: Field, local: &Record, azr: &Record, cfg: &Config) -> (Side, String) {
    match cfg.owner(field) {
        Owner::Local => (
            Side::Local,
            format!("policy: {field} is kept by the ABH (local register)"),
        ),
        Owner::Azr => (Side::Azr, format!("policy: {field} is kept by the AZR")),
        Owner::Recent => {
            let (lu, au) = (
                local.get(Field::UpdatedAt).trim(),
                azr.get(Field::UpdatedAt).trim(),
            );
            if lu > au {
                (
                    Side::Local,
                    format!(
                        "policy: {field} follows the later change; local updated {lu}, AZR {au}"
                    ),
                )
            } else {
                (
                    Side::Azr,
                    format!(
                        "policy: {field} follows the later change; AZR updated {au}, local {lu}"
                    ),
                )
            }
        }
    }
}

fn propose(
    field: Field,
    kind: Kind,
    names_swapped: bool,
    local: &Record,
    azr: &Record,
    ctx: &Context,
) -> (Side, String) {
    let (l, a) = (local.get(field).trim(), azr.get(field).trim());
    let (side, policy) = owner_side(field, local, azr, ctx.config);
    if names_swapped {
        return (
            side,
            format!("given and family names are exchanged between the registers; {policy}"),
        );
    }
    // An empty field means "not known": the side that knows the value is proposed, except for
    // permit validity, where empty means an unlimited title.
    if field != Field::PermitValidUntil {
        if l.is_empty() {
            return (
                Side::Azr,
                format!("not recorded locally; the AZR holds `{a}`"),
            );
        }
        if a.is_empty() {
            return (
                Side::Local,
                format!("not recorded in the AZR; the ABH holds `{l}`"),
            );
        }
    }
    match field {
        Field::AzrNumber => {
            let (ln, an) = (l.parse::<u64>().unwrap_or(0), a.parse::<u64>().unwrap_or(0));
            if let Some(&other) = ctx.azr_numbers.get(&ln) {
                let other_id = ctx.azr.get(other as usize).map_or("", Record::id);
                if other_id != azr.id() {
                    return (
                        Side::Azr,
                        format!(
                            "the local number {l} belongs to AZR record {other_id}, another person; the AZR assigns numbers"
                        ),
                    );
                }
            }
            let transposed = l.len() == a.len() && {
                let d: Vec<usize> = l
                    .bytes()
                    .zip(a.bytes())
                    .enumerate()
                    .filter(|(_, (x, y))| x != y)
                    .map(|(i, _)| i)
                    .collect();
                d.len() == 2 && d[1] == d[0] + 1
            };
            let _ = (ln, an);
            if transposed {
                return (
                    Side::Azr,
                    "the local number has two digits transposed; the AZR assigns numbers".into(),
                );
            }
            (
                Side::Azr,
                format!("the local number {l} is unknown to the AZR extract; {policy}"),
            )
        }
        Field::DateOfBirth => {
            let (ld, ad) = (Date::parse(l), Date::parse(a));
            if let (Some(ld), Some(ad)) = (ld, ad) {
                if ld > ctx.today && ad <= ctx.today {
                    return (Side::Azr, format!("local date {l} lies in the future"));
                }
                if ad > ctx.today && ld <= ctx.today {
                    return (Side::Local, format!("AZR date {a} lies in the future"));
                }
                if ld.year == ad.year {
                    let vague = |d: Date| !d.is_full() || d.is_default();
                    if vague(ld) && !vague(ad) {
                        return (
                            Side::Azr,
                            format!(
                                "local {l} is a partial date or the 1 January default; the AZR has the full date"
                            ),
                        );
                    }
                    if vague(ad) && !vague(ld) {
                        return (
                            Side::Local,
                            format!(
                                "AZR {a} is a partial date or the 1 January default; the ABH has the full date"
                            ),
                        );
                    }
                }
            }
            (side, policy)
        }
        Field::PermitValidUntil => {
            let (ld, ad) = (Date::parse(l), Date::parse(a));
            let expired = |d: Option<Date>| d.is_some_and(|d| d < ctx.today);
            let valid =
                |d: Option<Date>, s: &str| s.is_empty() || d.is_some_and(|d| d >= ctx.today);
            if side == Side::Local && expired(ld) && valid(ad, a) {
                return (
                    Side::Azr,
                    format!(
                        "local permit expired on {l} while the AZR shows it valid ({}); {policy}, but an expired permit on a current status is implausible",
                        if a.is_empty() { "unlimited" } else { a }
                    ),
                );
            }
            if side == Side::Azr && expired(ad) && valid(ld, l) {
                return (
                    Side::Local,
                    format!(
                        "AZR permit expired on {a} while the ABH shows it valid; {policy}, overridden as implausible"
                    ),
                );
            }
            (side, policy)
        }
        _ => {
            if kind == Kind::Variant {
                (
                    side,
                    format!("spelling variant of the same name or place; {policy}"),
                )
            } else {
                (side, policy)
            }
        }
    }
}
