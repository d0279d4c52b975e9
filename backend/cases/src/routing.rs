//! The electronic routing folder (Laufmappe) as a state machine over a [`ProcessDef`].
//!
//! [`apply`] takes the case as it stands, who acts and what they do, and the time (injected), and
//! returns the new state plus the history record, or a clear refusal. Four-eyes: the person who
//! approves must differ from the person who prepared the decision. Clocks: [`clock_events`] says
//! whether a step's reminder or escalation to the team lead is due.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::process::{ProcessDef, Step, StepKind};

/// Decisions a clerk may propose and an approver approve.
pub const DECISIONS: [&str; 2] = ["granted", "refused"];

/// The role that team leads hold; escalations go to it.
pub const TEAM_LEAD_ROLE: &str = "approver";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Open,
    Waiting,
    Decided,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::Waiting => "waiting",
            CaseState::Decided => "decided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(CaseState::Open),
            "waiting" => Some(CaseState::Waiting),
            "decided" => Some(CaseState::Decided),
            _ => None,
        }
    }
}

/// The case as the routing folder sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSnapshot {
    pub step: String,
    pub state: CaseState,
    /// `None`: in the team basket of `holder_role`.
    pub holder_user: Option<Uuid>,
    pub holder_role: String,
    /// Who prepared the pending decision (four eyes).
    pub clerk_user: Option<Uuid>,
    /// Who asked the current holder a question, while the question is open.
    pub asked_by: Option<Uuid>,
    /// The step the case came from into the current one (for returns).
    pub previous_step: Option<String>,
    pub step_started_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Uuid,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Take the case out of the team basket.
    Take,
    /// Pass the case on to the next step (the default, or a branch), optionally to one person.
    Forward {
        #[serde(default)]
        to_step: Option<String>,
        #[serde(default)]
        to_user: Option<Uuid>,
        /// Required when forwarding to approval: the proposed decision.
        #[serde(default)]
        decision: Option<String>,
        #[serde(default)]
        comment: Option<String>,
    },
    /// Ask a colleague; the case goes to them until they reply.
    Ask { to_user: Uuid, comment: String },
    /// Answer a question; the case goes back to who asked.
    Reply { comment: String },
    /// Send the case back to the step it came from, with the reason.
    Return { comment: String },
    /// Approve the proposed decision (four eyes).
    Approve {
        #[serde(default)]
        comment: Option<String>,
    },
    /// The participating authority answered; the waiting step ends.
    Received {
        #[serde(default)]
        to_step: Option<String>,
        #[serde(default)]
        comment: Option<String>,
    },
    /// A note in the history; nothing moves.
    Comment { comment: String },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Take => "take",
            Action::Forward { .. } => "forward",
            Action::Ask { .. } => "ask",
            Action::Reply { .. } => "reply",
            Action::Return { .. } => "return",
            Action::Approve { .. } => "approve",
            Action::Received { .. } => "received",
            Action::Comment { .. } => "comment",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error("the case is decided; nothing moves any more")]
    Closed,
    #[error("the case is held by someone else")]
    NotHolder,
    #[error("this step cannot do `{0}`")]
    WrongStep(&'static str),
    #[error("`{0}` is not a next step of this one")]
    NoSuchBranch(String),
    #[error("the approver must be a different person from the clerk who prepared the decision")]
    FourEyes,
    #[error("only the approver role may approve")]
    NotApprover,
    #[error("a decision (granted or refused) is required")]
    DecisionRequired,
    #[error("a comment is required")]
    CommentRequired,
    #[error("an end step is reached only through approval")]
    NeedsApproval,
    #[error("there is nothing to reply to")]
    NoQuestion,
    #[error("there is no step to return to")]
    NoReturn,
    #[error("the process definition does not know the case's step")]
    UnknownStep,
}

impl RoutingError {
    /// Stable code for clients and message keys.
    pub fn code(&self) -> &'static str {
        match self {
            RoutingError::Closed => "case-closed",
            RoutingError::NotHolder => "case-not-holder",
            RoutingError::WrongStep(_) => "case-wrong-step",
            RoutingError::NoSuchBranch(_) => "case-no-such-branch",
            RoutingError::FourEyes => "case-four-eyes",
            RoutingError::NotApprover => "case-not-approver",
            RoutingError::DecisionRequired => "case-decision-required",
            RoutingError::CommentRequired => "case-comment-required",
            RoutingError::NeedsApproval => "case-needs-approval",
            RoutingError::NoQuestion => "case-no-question",
            RoutingError::NoReturn => "case-no-return",
            RoutingError::UnknownStep => "case-unknown-step",
        }
    }
}

/// One line of the routing folder's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub action: &'static str,
    pub from_step: String,
    pub to_step: String,
    pub to_user: Option<Uuid>,
    pub comment: Option<String>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub case: CaseSnapshot,
    pub record: Record,
    /// The step's due date after the transition.
    pub step_due_at: Option<DateTime<Utc>>,
    /// True when this transition decided the case (a notice is due).
    pub decided: bool,
}

/// The state a new case starts in.
pub fn start(
    def: &ProcessDef,
    now: DateTime<Utc>,
) -> Result<(CaseSnapshot, Option<DateTime<Utc>>), RoutingError> {
    let step = def.start_step().ok_or(RoutingError::UnknownStep)?;
    let snapshot = CaseSnapshot {
        step: step.id.clone(),
        state: state_of(step),
        holder_user: None,
        holder_role: step.role.clone(),
        clerk_user: None,
        asked_by: None,
        previous_step: None,
        step_started_at: now,
        reminded_at: None,
        escalated_at: None,
        decision: None,
    };
    Ok((snapshot, due_at(step, now)))
}

fn state_of(step: &Step) -> CaseState {
    match step.kind {
        StepKind::Waiting => CaseState::Waiting,
        StepKind::End => CaseState::Decided,
        _ => CaseState::Open,
    }
}

pub fn due_at(step: &Step, entered: DateTime<Utc>) -> Option<DateTime<Utc>> {
    step.deadline_days
        .map(|days| entered + Duration::days(i64::from(days)))
}

/// May this person act on the case now? The holder may; nobody holds it: anyone of the step's role;
/// team leads may act on escalated cases.
pub fn may_act(snapshot: &CaseSnapshot, actor: &Actor) -> bool {
    match snapshot.holder_user {
        Some(holder) => {
            holder == actor.user
                || (actor.role == TEAM_LEAD_ROLE && snapshot.escalated_at.is_some())
        }
        None => {
            actor.role == snapshot.holder_role
                || actor.role == TEAM_LEAD_ROLE
                || (snapshot.holder_role == "clerk" && actor.role == "tenant_admin")
        }
    }
}

fn non_empty(comment: &str) -> Result<String, RoutingError> {
    let trimmed = comment.trim();
    if trimmed.is_empty() {
        Err(RoutingError::CommentRequired)
    } else {
        Ok(trimmed.to_owned())
    }
}

fn clean(comment: &Option<String>) -> Option<String> {
    comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// Applies one action. Pure: the caller stores the result and the record in one transaction.
pub fn apply(
    def: &ProcessDef,
    current: &CaseSnapshot,
    actor: &Actor,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<Transition, RoutingError> {
    if current.state == CaseState::Decided {
        return Err(RoutingError::Closed);
    }
    let step = def.step(&current.step).ok_or(RoutingError::UnknownStep)?;
    if let Action::Comment { comment } = action {
        let comment = non_empty(comment)?;
        return Ok(stay(current, step, "comment", Some(comment), None));
    }
    if !may_act(current, actor) {
        return Err(RoutingError::NotHolder);
    }
    let mut next = current.clone();
    match action {
        Action::Comment { .. } => Err(RoutingError::WrongStep("comment")),
        Action::Take => {
            next.holder_user = Some(actor.user);
            let mut t = stay(&next, step, "take", None, None);
            t.record.to_user = Some(actor.user);
            Ok(t)
        }
        Action::Ask { to_user, comment } => {
            let comment = non_empty(comment)?;
            next.holder_user = Some(*to_user);
            next.asked_by = Some(actor.user);
            let mut t = stay(&next, step, "ask", Some(comment), None);
            t.record.to_user = Some(*to_user);
            Ok(t)
        }
        Action::Reply { comment } => {
            let comment = non_empty(comment)?;
            let asker = current.asked_by.ok_or(RoutingError::NoQuestion)?;
            next.holder_user = Some(asker);
            next.asked_by = None;
            let mut t = stay(&next, step, "reply", Some(comment), None);
            t.record.to_user = Some(asker);
            Ok(t)
        }
        Action::Forward {
            to_step,
            to_user,
            decision,
            comment,
        } => {
            if step.kind != StepKind::Work {
                return Err(RoutingError::WrongStep("forward"));
            }
            let target = pick_branch(def, step, to_step.as_deref())?;
            let mut decision_out = None;
            match target.kind {
                StepKind::End => return Err(RoutingError::NeedsApproval),
                StepKind::Approval => {
                    let proposed = decision
                        .as_deref()
                        .or(current.decision.as_deref())
                        .filter(|d| DECISIONS.contains(d))
                        .ok_or(RoutingError::DecisionRequired)?;
                    next.decision = Some(proposed.to_owned());
                    next.clerk_user = Some(actor.user);
                    decision_out = Some(proposed.to_owned());
                }
                _ => {}
            }
            let holder = match target.kind {
                // The clerk keeps a case that waits for another authority.
                StepKind::Waiting => Some(to_user.unwrap_or(actor.user)),
                _ => *to_user,
            };
            Ok(enter(
                &next,
                step,
                target,
                holder,
                now,
                "forward",
                clean(comment),
                decision_out,
            ))
        }
        Action::Received { to_step, comment } => {
            if step.kind != StepKind::Waiting {
                return Err(RoutingError::WrongStep("received"));
            }
            let target = pick_branch(def, step, to_step.as_deref())?;
            if target.kind == StepKind::End {
                return Err(RoutingError::NeedsApproval);
            }
            Ok(enter(
                &next,
                step,
                target,
                current.holder_user,
                now,
                "received",
                clean(comment),
                None,
            ))
        }
        Action::Approve { comment } => {
            if step.kind != StepKind::Approval {
                return Err(RoutingError::WrongStep("approve"));
            }
            if actor.role != "approver" {
                return Err(RoutingError::NotApprover);
            }
            if current.clerk_user == Some(actor.user) {
                return Err(RoutingError::FourEyes);
            }
            let decision = current
                .decision
                .clone()
                .ok_or(RoutingError::DecisionRequired)?;
            let target = pick_branch(def, step, None)?;
            let mut t = enter(
                &next,
                step,
                target,
                None,
                now,
                "approve",
                clean(comment),
                Some(decision),
            );
            t.case.holder_user = None;
            Ok(t)
        }
        Action::Return { comment } => {
            let comment = non_empty(comment)?;
            let back = current
                .previous_step
                .as_deref()
                .and_then(|id| def.step(id))
                .filter(|s| s.kind == StepKind::Work)
                .ok_or(RoutingError::NoReturn)?;
            let holder = current.clerk_user.or(current.holder_user);
            next.decision = None;
            next.clerk_user = None;
            Ok(enter(
                &next,
                step,
                back,
                holder,
                now,
                "return",
                Some(comment),
                None,
            ))
        }
    }
}

fn pick_branch<'a>(
    def: &'a ProcessDef,
    step: &Step,
    wanted: Option<&str>,
) -> Result<&'a Step, RoutingError> {
    let id = match wanted {
        Some(id) if step.next.iter().any(|n| n == id) => id,
        Some(id) => return Err(RoutingError::NoSuchBranch(id.to_owned())),
        None => step
            .next
            .first()
            .map(String::as_str)
            .ok_or(RoutingError::WrongStep("forward"))?,
    };
    def.step(id).ok_or(RoutingError::UnknownStep)
}

fn stay(
    current: &CaseSnapshot,
    step: &Step,
    action: &'static str,
    comment: Option<String>,
    decision: Option<String>,
) -> Transition {
    Transition {
        case: current.clone(),
        record: Record {
            action,
            from_step: step.id.clone(),
            to_step: step.id.clone(),
            to_user: None,
            comment,
            decision,
        },
        step_due_at: due_at(step, current.step_started_at),
        decided: false,
    }
}

#[allow(clippy::too_many_arguments)]
fn enter(
    base: &CaseSnapshot,
    from: &Step,
    to: &Step,
    holder: Option<Uuid>,
    now: DateTime<Utc>,
    action: &'static str,
    comment: Option<String>,
    decision: Option<String>,
) -> Transition {
    let mut case = base.clone();
    case.previous_step = Some(from.id.clone());
    case.step = to.id.clone();
    case.state = state_of(to);
    case.holder_user = holder;
    case.holder_role = to.role.clone();
    case.asked_by = None;
    case.step_started_at = now;
    case.reminded_at = None;
    case.escalated_at = None;
    let decided = to.kind == StepKind::End;
    Transition {
        record: Record {
            action,
            from_step: from.id.clone(),
            to_step: to.id.clone(),
            to_user: holder,
            comment,
            decision,
        },
        step_due_at: if decided { None } else { due_at(to, now) },
        case,
        decided,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockEvent {
    /// Remind the holder (or the team) that the step is due.
    Remind,
    /// Escalate to the team lead.
    Escalate,
}

impl ClockEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockEvent::Remind => "remind",
            ClockEvent::Escalate => "escalate",
        }
    }
}

/// The reminders and escalations due at `now` that have not happened yet, in order.
pub fn clock_events(def: &ProcessDef, case: &CaseSnapshot, now: DateTime<Utc>) -> Vec<ClockEvent> {
    let Some(step) = def.step(&case.step) else {
        return Vec::new();
    };
    if case.state == CaseState::Decided {
        return Vec::new();
    }
    let elapsed = now - case.step_started_at;
    let mut out = Vec::new();
    if let Some(days) = step.remind_after_days
        && case.reminded_at.is_none()
        && elapsed >= Duration::days(i64::from(days))
    {
        out.push(ClockEvent::Remind);
    }
    if let Some(days) = step.escalate_after_days
        && case.escalated_at.is_none()
        && elapsed >= Duration::days(i64::from(days))
    {
        out.push(ClockEvent::Escalate);
    }
    out
}

/// When the next reminder or escalation of the case's current step falls due (None: no clock is
/// pending). The deadline sweep reads only cases whose time has come, by this value's index.
pub fn next_clock_at(def: &ProcessDef, case: &CaseSnapshot) -> Option<DateTime<Utc>> {
    let step = def.step(&case.step)?;
    if case.state == CaseState::Decided {
        return None;
    }
    let at = |days: Option<u32>| days.map(|d| case.step_started_at + Duration::days(i64::from(d)));
    let remind = at(step.remind_after_days).filter(|_| case.reminded_at.is_none());
    let escalate = at(step.escalate_after_days).filter(|_| case.escalated_at.is_none());
    match (remind, escalate) {
        (Some(r), Some(e)) => Some(r.min(e)),
        (r, e) => r.or(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::model;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn clerk() -> Actor {
        Actor {
            user: Uuid::from_u128(1),
            role: "clerk".into(),
        }
    }

    fn approver(n: u128) -> Actor {
        Actor {
            user: Uuid::from_u128(n),
            role: "approver".into(),
        }
    }

    #[test]
    fn a_case_runs_through_ba_consent_and_four_eyes() {
        let def = model("residence-extension").unwrap();
        let (case, due) = start(&def, t0()).unwrap();
        assert_eq!(case.step, "intake");
        assert_eq!(due, Some(t0() + Duration::days(5)));
        let c = clerk();
        let t = apply(&def, &case, &c, &Action::Take, t0()).unwrap();
        let t = apply(
            &def,
            &t.case,
            &c,
            &Action::Forward {
                to_step: Some("ba_consent".into()),
                to_user: None,
                decision: None,
                comment: None,
            },
            t0(),
        )
        .unwrap();
        assert_eq!(t.case.state, CaseState::Waiting);
        assert_eq!(t.case.holder_user, Some(c.user));
        // The sweep's index: the reminder first, then the escalation, then nothing.
        assert_eq!(
            next_clock_at(&def, &t.case),
            Some(t0() + Duration::days(10))
        );
        let mut reminded = t.case.clone();
        reminded.reminded_at = Some(t0() + Duration::days(10));
        assert_eq!(
            next_clock_at(&def, &reminded),
            Some(t0() + Duration::days(14))
        );
        reminded.escalated_at = Some(t0() + Duration::days(14));
        assert_eq!(next_clock_at(&def, &reminded), None);
        // The BA does not answer: reminder after 10 days, escalation after 14.
        assert!(clock_events(&def, &t.case, t0() + Duration::days(9)).is_empty());
        assert_eq!(
            clock_events(&def, &t.case, t0() + Duration::days(10)),
            vec![ClockEvent::Remind]
        );
        assert_eq!(
            clock_events(&def, &t.case, t0() + Duration::days(15)),
            vec![ClockEvent::Remind, ClockEvent::Escalate]
        );
        let later = t0() + Duration::days(15);
        let t = apply(
            &def,
            &t.case,
            &c,
            &Action::Received {
                to_step: None,
                comment: Some("Zustimmung erteilt".into()),
            },
            later,
        )
        .unwrap();
        assert_eq!(t.case.step, "review");
        // Forwarding to approval needs a decision.
        let forward = |decision: Option<&str>| Action::Forward {
            to_step: None,
            to_user: None,
            decision: decision.map(str::to_owned),
            comment: None,
        };
        assert_eq!(
            apply(&def, &t.case, &c, &forward(None), later).unwrap_err(),
            RoutingError::DecisionRequired
        );
        let t = apply(&def, &t.case, &c, &forward(Some("granted")), later).unwrap();
        assert_eq!(t.case.step, "approval");
        assert_eq!(t.case.clerk_user, Some(c.user));
        // The clerk cannot approve; an approver who prepared it cannot either.
        assert!(matches!(
            apply(&def, &t.case, &c, &Action::Approve { comment: None }, later).unwrap_err(),
            RoutingError::NotApprover | RoutingError::NotHolder
        ));
        let mut self_prepared = t.case.clone();
        self_prepared.clerk_user = Some(approver(7).user);
        assert_eq!(
            apply(
                &def,
                &self_prepared,
                &approver(7),
                &Action::Approve { comment: None },
                later
            )
            .unwrap_err(),
            RoutingError::FourEyes
        );
        // Return goes back to the clerk with the reason; then forward again and approve.
        let r = apply(
            &def,
            &t.case,
            &approver(2),
            &Action::Return {
                comment: "Einkommensnachweis fehlt".into(),
            },
            later,
        )
        .unwrap();
        assert_eq!(r.case.step, "review");
        assert_eq!(r.case.holder_user, Some(c.user));
        let t = apply(&def, &r.case, &c, &forward(Some("granted")), later).unwrap();
        let done = apply(
            &def,
            &t.case,
            &approver(2),
            &Action::Approve { comment: None },
            later,
        )
        .unwrap();
        assert!(done.decided);
        assert_eq!(done.case.state, CaseState::Decided);
        assert_eq!(done.record.decision.as_deref(), Some("granted"));
        assert_eq!(
            apply(&def, &done.case, &c, &Action::Take, later).unwrap_err(),
            RoutingError::Closed
        );
    }

    #[test]
    fn ask_and_reply_hand_the_case_back() {
        let def = model("settlement-permit").unwrap();
        let (case, _) = start(&def, t0()).unwrap();
        let c = clerk();
        let colleague = Uuid::from_u128(9);
        let t = apply(&def, &case, &c, &Action::Take, t0()).unwrap();
        let asked = apply(
            &def,
            &t.case,
            &c,
            &Action::Ask {
                to_user: colleague,
                comment: "Wohnraum ausreichend?".into(),
            },
            t0(),
        )
        .unwrap();
        assert_eq!(asked.case.holder_user, Some(colleague));
        assert_eq!(
            apply(&def, &asked.case, &c, &Action::Take, t0()).unwrap_err(),
            RoutingError::NotHolder
        );
        let colleague_actor = Actor {
            user: colleague,
            role: "clerk".into(),
        };
        let replied = apply(
            &def,
            &asked.case,
            &colleague_actor,
            &Action::Reply {
                comment: "Ja".into(),
            },
            t0(),
        )
        .unwrap();
        assert_eq!(replied.case.holder_user, Some(c.user));
        assert_eq!(replied.case.asked_by, None);
    }

    /// Property: whatever sequence of actions is tried, no case is ever decided without an
    /// approval by someone other than the clerk who prepared it, and every accepted transition
    /// lands on a step of the definition.
    #[test]
    fn random_walks_never_decide_without_four_eyes() {
        let mut seed: u64 = 0x5eed;
        let mut rand = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let actors = [clerk(), approver(2), approver(3)];
        for def in crate::process::models().unwrap() {
            for _ in 0..200 {
                let (mut case, _) = start(&def, t0()).unwrap();
                for _ in 0..30 {
                    let actor = &actors[rand(3) as usize];
                    let step = def.step(&case.step).unwrap();
                    let branch = step.next.get(rand(2) as usize).cloned();
                    let action = match rand(7) {
                        0 => Action::Take,
                        1 => Action::Forward {
                            to_step: branch,
                            to_user: None,
                            decision: Some(DECISIONS[rand(2) as usize].into()),
                            comment: None,
                        },
                        2 => Action::Approve { comment: None },
                        3 => Action::Return {
                            comment: "x".into(),
                        },
                        4 => Action::Received {
                            to_step: None,
                            comment: None,
                        },
                        5 => Action::Ask {
                            to_user: actors[rand(3) as usize].user,
                            comment: "?".into(),
                        },
                        _ => Action::Reply {
                            comment: "!".into(),
                        },
                    };
                    if let Ok(t) = apply(&def, &case, actor, &action, t0()) {
                        assert!(def.step(&t.case.step).is_some());
                        if t.decided {
                            assert_eq!(t.record.action, "approve");
                            assert_eq!(actor.role, "approver");
                            assert_ne!(case.clerk_user, Some(actor.user));
                            assert!(case.clerk_user.is_some());
                        }
                        case = t.case;
                    }
                }
            }
        }
    }
}
