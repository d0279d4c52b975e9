//! Process definitions as data. A definition is a small graph of steps; it is validated when loaded
//! (unknown roles, unknown targets, unreachable steps, dead ends) and every error names the step.
//!
//! Versioning: a definition carries `(id, version)`; a case stores both and is always routed with the
//! definition it started with. A tenant variant links to the model version it was derived from; when
//! the state publishes a newer model version, [`offered_update`] says so and [`diff`] lists what
//! changed, and the tenant accepts it (a new variant version) or keeps its own.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

/// Roles that may hold a step. These are the staff roles of a tenant.
pub const KNOWN_ROLES: [&str; 3] = ["clerk", "approver", "tenant_admin"];

/// Other authorities that take part in a case as waiting steps with their own clocks.
pub const KNOWN_PARTICIPANTS: [&str; 4] = [
    "ba",          // Bundesagentur für Arbeit: consent to employment (§ 39 AufenthG)
    "security_73", // security query under § 73 AufenthG
    "recognition", // recognition body (§ 81a AufenthG)
    "other_abh",   // another foreigners' authority
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A clerk works the case and forwards it.
    Work,
    /// Four-eyes approval: someone other than the clerk who prepared the decision approves or
    /// returns.
    Approval,
    /// Waiting for another authority; the step's clock reminds and escalates.
    Waiting,
    /// The case is decided; the notice goes out.
    End,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    pub role: String,
    pub kind: StepKind,
    /// Where the case may go from here; the first entry is the default. Several entries are a branch.
    #[serde(default)]
    pub next: Vec<String>,
    #[serde(default)]
    pub required_documents: Vec<String>,
    #[serde(default)]
    pub checks: Vec<String>,
    /// The step's own deadline in days from entering it.
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Remind the holder this many days after entering the step (before the deadline).
    #[serde(default)]
    pub remind_after_days: Option<u32>,
    /// Escalate to the team lead (approver role) this many days after entering the step.
    #[serde(default)]
    pub escalate_after_days: Option<u32>,
    /// For waiting steps: who is asked.
    #[serde(default)]
    pub participant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessDef {
    pub id: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// For a tenant variant: the model it derives from and the model version it was based on.
    #[serde(default)]
    pub model: Option<ModelLink>,
    /// The reference-plan position the case's documents are filed under by default.
    pub plan_position: String,
    pub start: String,
    /// The overall target time of the case in days.
    #[serde(default)]
    pub deadline_days: Option<u32>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLink {
    pub id: String,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcessError {
    #[error("process definition is not valid TOML: {0}")]
    Syntax(String),
    #[error("process `{process}`: the start step `{start}` does not exist")]
    NoStart { process: String, start: String },
    #[error("process `{process}`: step `{step}` is defined twice")]
    DuplicateStep { process: String, step: String },
    #[error(
        "process `{process}`: step `{step}` has the unknown role `{role}` (known: clerk, approver, tenant_admin)"
    )]
    UnknownRole {
        process: String,
        step: String,
        role: String,
    },
    #[error("process `{process}`: step `{step}` leads to the unknown step `{target}`")]
    UnknownTarget {
        process: String,
        step: String,
        target: String,
    },
    #[error("process `{process}`: step `{step}` cannot be reached from the start")]
    Unreachable { process: String, step: String },
    #[error("process `{process}`: step `{step}` is a dead end (no way from it to an end step)")]
    DeadEnd { process: String, step: String },
    #[error("process `{process}`: end step `{step}` must not lead anywhere")]
    EndWithNext { process: String, step: String },
    #[error("process `{process}`: approval step `{step}` must be held by the approver role")]
    ApprovalRole { process: String, step: String },
    #[error("process `{process}`: waiting step `{step}` needs a known participant and a deadline")]
    WaitingStep { process: String, step: String },
    #[error("process `{process}`: no approval step, but every decision needs four eyes")]
    NoApproval { process: String },
    #[error("process `{process}`: step `{step}` reminds after its escalation")]
    ClockOrder { process: String, step: String },
}

impl ProcessDef {
    /// Parses and validates a definition.
    pub fn from_toml(text: &str) -> Result<Self, ProcessError> {
        let def: ProcessDef =
            toml::from_str(text).map_err(|err| ProcessError::Syntax(err.to_string()))?;
        def.validate()?;
        Ok(def)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn start_step(&self) -> Option<&Step> {
        self.step(&self.start)
    }

    /// The display name in a language (German is the default).
    pub fn name_in(&self, lang: &str) -> &str {
        match (lang, &self.name_en) {
            ("de", _) | (_, None) => &self.name,
            (_, Some(en)) => en,
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Checks the graph: known roles and participants, known targets, every step reachable from the
    /// start, every step with a way to an end step, end steps without successors, a four-eyes step.
    pub fn validate(&self) -> Result<(), ProcessError> {
        let process = self.id.clone();
        let mut ids = BTreeSet::new();
        for step in &self.steps {
            if !ids.insert(step.id.as_str()) {
                return Err(ProcessError::DuplicateStep {
                    process,
                    step: step.id.clone(),
                });
            }
        }
        if !ids.contains(self.start.as_str()) {
            return Err(ProcessError::NoStart {
                process,
                start: self.start.clone(),
            });
        }
        for step in &self.steps {
            let err_step = || step.id.clone();
            if !KNOWN_ROLES.contains(&step.role.as_str()) {
                return Err(ProcessError::UnknownRole {
                    process,
                    step: err_step(),
                    role: step.role.clone(),
                });
            }
            for target in &step.next {
                if !ids.contains(target.as_str()) {
                    return Err(ProcessError::UnknownTarget {
                        process,
                        step: err_step(),
                        target: target.clone(),
                    });
                }
            }
            match step.kind {
                StepKind::End if !step.next.is_empty() => {
                    return Err(ProcessError::EndWithNext {
                        process,
                        step: err_step(),
                    });
                }
                StepKind::Approval if step.role != "approver" => {
                    return Err(ProcessError::ApprovalRole {
                        process,
                        step: err_step(),
                    });
                }
                StepKind::Waiting
                    if step.deadline_days.is_none()
                        || !step
                            .participant
                            .as_deref()
                            .is_some_and(|p| KNOWN_PARTICIPANTS.contains(&p)) =>
                {
                    return Err(ProcessError::WaitingStep {
                        process,
                        step: err_step(),
                    });
                }
                _ => {}
            }
            if let (Some(remind), Some(escalate)) =
                (step.remind_after_days, step.escalate_after_days)
                && remind > escalate
            {
                return Err(ProcessError::ClockOrder {
                    process,
                    step: err_step(),
                });
            }
        }
        // Reachability from the start.
        let reachable = self.reachable_from(&self.start);
        for step in &self.steps {
            if !reachable.contains(step.id.as_str()) {
                return Err(ProcessError::Unreachable {
                    process,
                    step: step.id.clone(),
                });
            }
        }
        // Every step reaches an end: walk backwards from the end steps.
        let mut reaches_end: BTreeSet<&str> = self
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::End)
            .map(|s| s.id.as_str())
            .collect();
        let mut changed = true;
        while changed {
            changed = false;
            for step in &self.steps {
                if !reaches_end.contains(step.id.as_str())
                    && step.next.iter().any(|n| reaches_end.contains(n.as_str()))
                {
                    reaches_end.insert(step.id.as_str());
                    changed = true;
                }
            }
        }
        for step in &self.steps {
            if !reaches_end.contains(step.id.as_str()) {
                return Err(ProcessError::DeadEnd {
                    process,
                    step: step.id.clone(),
                });
            }
        }
        if !self.steps.iter().any(|s| s.kind == StepKind::Approval) {
            return Err(ProcessError::NoApproval { process });
        }
        Ok(())
    }

    fn reachable_from<'a>(&'a self, start: &'a str) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([start]);
        while let Some(id) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(step) = self.step(id) {
                for next in &step.next {
                    queue.push_back(next.as_str());
                }
            }
        }
        seen
    }
}

/// The statewide model processes shipped with the platform (`backend/cases/processes/*.toml`).
pub const MODEL_SOURCES: [(&str, &str); 5] = [
    (
        "residence-extension",
        include_str!("../processes/residence-extension.toml"),
    ),
    (
        "settlement-permit",
        include_str!("../processes/settlement-permit.toml"),
    ),
    (
        "naturalization",
        include_str!("../processes/naturalization.toml"),
    ),
    (
        "commitment-declaration",
        include_str!("../processes/commitment-declaration.toml"),
    ),
    (
        "refugee-registration",
        include_str!("../processes/refugee-registration.toml"),
    ),
];

/// Loads every statewide model; an invalid file is an error naming the file.
pub fn models() -> Result<Vec<ProcessDef>, ProcessError> {
    MODEL_SOURCES
        .iter()
        .map(|(_, text)| ProcessDef::from_toml(text))
        .collect()
}

/// The current version of a statewide model.
pub fn model(id: &str) -> Option<ProcessDef> {
    models().ok()?.into_iter().find(|m| m.id == id)
}

/// A newer model version the variant has not taken over yet.
pub fn offered_update<'a>(variant: &ProcessDef, model: &'a ProcessDef) -> Option<&'a ProcessDef> {
    let link = variant.model.as_ref()?;
    (link.id == model.id && model.version > link.version).then_some(model)
}

/// [`offered_update`] for a tenant that may have kept its own variant against a model version:
/// that version is not offered again, a newer one is.
pub fn offered_update_unless_kept<'a>(
    variant: &ProcessDef,
    model: &'a ProcessDef,
    kept_model_version: Option<u32>,
) -> Option<&'a ProcessDef> {
    offered_update(variant, model)
        .filter(|m| kept_model_version.is_none_or(|kept| m.version > kept))
}

/// What a tenant may change in its variant: the clocks of each step, who holds a work step, and
/// the case's overall target time. The graph (steps, branches, four-eyes approval, participating
/// authorities) stays the model's, so the statewide comparison stays meaningful and a model
/// update can always be taken over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantChanges {
    /// The overall target time in days (`None`: none).
    #[serde(default)]
    pub deadline_days: Option<u32>,
    /// Steps not listed keep their values.
    #[serde(default)]
    pub steps: Vec<StepChanges>,
}

/// The new values of one step; every field is set as given (`None` clears a clock).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepChanges {
    pub step: String,
    pub role: String,
    #[serde(default)]
    pub deadline_days: Option<u32>,
    #[serde(default)]
    pub remind_after_days: Option<u32>,
    #[serde(default)]
    pub escalate_after_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VariantError {
    #[error("the process has no step `{0}`")]
    UnknownStep(String),
    #[error(transparent)]
    Invalid(#[from] ProcessError),
}

/// The variant's editable values as they are (the form's starting point).
pub fn variant_values(def: &ProcessDef) -> VariantChanges {
    VariantChanges {
        deadline_days: def.deadline_days,
        steps: def
            .steps
            .iter()
            .map(|s| StepChanges {
                step: s.id.clone(),
                role: s.role.clone(),
                deadline_days: s.deadline_days,
                remind_after_days: s.remind_after_days,
                escalate_after_days: s.escalate_after_days,
            })
            .collect(),
    }
}

/// Applies a tenant's changes to a variant as its next version; the result is validated like
/// every definition (an approval step held by a clerk, a waiting step without its deadline or a
/// reminder after the escalation are refused, naming the step).
pub fn apply_changes(
    variant: &ProcessDef,
    changes: &VariantChanges,
) -> Result<ProcessDef, VariantError> {
    let mut next = variant.clone();
    next.version = variant.version + 1;
    next.deadline_days = changes.deadline_days;
    for change in &changes.steps {
        let step = next
            .steps
            .iter_mut()
            .find(|s| s.id == change.step)
            .ok_or_else(|| VariantError::UnknownStep(change.step.clone()))?;
        step.role = change.role.clone();
        step.deadline_days = change.deadline_days;
        step.remind_after_days = change.remind_after_days;
        step.escalate_after_days = change.escalate_after_days;
    }
    next.validate()?;
    Ok(next)
}

impl ProcessError {
    /// The step an error is about, if it is about one step.
    pub fn step(&self) -> Option<&str> {
        match self {
            ProcessError::DuplicateStep { step, .. }
            | ProcessError::UnknownRole { step, .. }
            | ProcessError::UnknownTarget { step, .. }
            | ProcessError::Unreachable { step, .. }
            | ProcessError::DeadEnd { step, .. }
            | ProcessError::EndWithNext { step, .. }
            | ProcessError::ApprovalRole { step, .. }
            | ProcessError::WaitingStep { step, .. }
            | ProcessError::ClockOrder { step, .. } => Some(step),
            ProcessError::Syntax(_)
            | ProcessError::NoStart { .. }
            | ProcessError::NoApproval { .. } => None,
        }
    }
}

/// What changed between two definitions, step by step (shown to a tenant deciding on an update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepChange {
    pub step: String,
    pub change: &'static str, // added | removed | changed
}

pub fn diff(old: &ProcessDef, new: &ProcessDef) -> Vec<StepChange> {
    let old_steps: BTreeMap<&str, &Step> = old.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    let new_steps: BTreeMap<&str, &Step> = new.steps.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = Vec::new();
    for (id, step) in &new_steps {
        match old_steps.get(id) {
            None => out.push(StepChange {
                step: (*id).to_owned(),
                change: "added",
            }),
            Some(before) if before != step => out.push(StepChange {
                step: (*id).to_owned(),
                change: "changed",
            }),
            _ => {}
        }
    }
    for id in old_steps.keys() {
        if !new_steps.contains_key(id) {
            out.push(StepChange {
                step: (*id).to_owned(),
                change: "removed",
            });
        }
    }
    out
}

/// Derives a tenant variant from a model: same graph, own id, linked to the model version.
pub fn derive_variant(model: &ProcessDef, variant_id: &str) -> ProcessDef {
    let mut variant = model.clone();
    variant.id = variant_id.to_owned();
    variant.version = 1;
    variant.model = Some(ModelLink {
        id: model.id.clone(),
        version: model.version,
    });
    variant
}

/// Accepts a model update into a variant: the model's graph as the variant's next version.
pub fn accept_update(variant: &ProcessDef, model: &ProcessDef) -> ProcessDef {
    let mut next = model.clone();
    next.id = variant.id.clone();
    next.version = variant.version + 1;
    next.model = Some(ModelLink {
        id: model.id.clone(),
        version: model.version,
    });
    next
}

/// Accepts a model update and carries over what the tenant changed in its variant: every value
/// (the case deadline; a step's role and clocks) that differs from the model version the variant
/// was based on is kept on the steps the new model still has. Where the tenant changed nothing, the
/// new model's values apply. If the carried values do not fit the new graph (e.g. a step became an
/// approval), the new model is taken as it is.
pub fn accept_update_keeping_own(
    variant: &ProcessDef,
    base: &ProcessDef,
    model: &ProcessDef,
) -> ProcessDef {
    let plain = accept_update(variant, model);
    let mut next = plain.clone();
    if variant.deadline_days != base.deadline_days {
        next.deadline_days = variant.deadline_days;
    }
    for own in &variant.steps {
        let (Some(before), Some(target)) = (
            base.step(&own.id),
            next.steps.iter_mut().find(|s| s.id == own.id),
        ) else {
            continue;
        };
        if own.role != before.role {
            target.role = own.role.clone();
        }
        if own.deadline_days != before.deadline_days {
            target.deadline_days = own.deadline_days;
        }
        if own.remind_after_days != before.remind_after_days {
            target.remind_after_days = own.remind_after_days;
        }
        if own.escalate_after_days != before.escalate_after_days {
            target.escalate_after_days = own.escalate_after_days;
        }
    }
    if next.validate().is_ok() { next } else { plain }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statewide_model_loads() {
        let all = models().unwrap();
        assert_eq!(all.len(), 5);
        for (file_id, _) in MODEL_SOURCES {
            assert!(all.iter().any(|m| m.id == file_id), "{file_id}");
        }
        let ext = model("residence-extension").unwrap();
        assert!(
            ext.steps
                .iter()
                .any(|s| s.participant.as_deref() == Some("ba"))
        );
        let nat = model("naturalization").unwrap();
        assert!(
            nat.steps
                .iter()
                .any(|s| s.participant.as_deref() == Some("security_73"))
        );
    }

    fn base() -> ProcessDef {
        model("residence-extension").unwrap()
    }

    #[test]
    fn unknown_role_is_named() {
        let mut def = base();
        def.steps[0].role = "janitor".into();
        let err = def.validate().unwrap_err();
        assert!(matches!(err, ProcessError::UnknownRole { .. }));
        assert!(err.to_string().contains("janitor"));
    }

    #[test]
    fn unreachable_step_is_refused() {
        let mut def = base();
        def.steps.push(Step {
            id: "orphan".into(),
            title: "Orphan".into(),
            title_en: None,
            role: "clerk".into(),
            kind: StepKind::End,
            next: vec![],
            required_documents: vec![],
            checks: vec![],
            deadline_days: None,
            remind_after_days: None,
            escalate_after_days: None,
            participant: None,
        });
        assert_eq!(
            def.validate().unwrap_err(),
            ProcessError::Unreachable {
                process: def.id.clone(),
                step: "orphan".into()
            }
        );
    }

    #[test]
    fn dead_end_is_refused() {
        let mut def = base();
        // A loop with no way out: the start leads only to a step that leads back.
        let start = def.start.clone();
        def.steps.push(Step {
            id: "loop".into(),
            title: "Loop".into(),
            title_en: None,
            role: "clerk".into(),
            kind: StepKind::Work,
            next: vec![start.clone()],
            required_documents: vec![],
            checks: vec![],
            deadline_days: None,
            remind_after_days: None,
            escalate_after_days: None,
            participant: None,
        });
        def.steps[0].next = vec!["loop".into()];
        let err = def.validate().unwrap_err();
        assert!(
            matches!(
                err,
                ProcessError::DeadEnd { .. } | ProcessError::Unreachable { .. }
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_target_and_syntax_errors_are_clear() {
        let mut def = base();
        def.steps[0].next.push("nowhere".into());
        assert!(def.validate().unwrap_err().to_string().contains("nowhere"));
        let err = ProcessDef::from_toml("id = 1").unwrap_err();
        assert!(matches!(err, ProcessError::Syntax(_)));
    }

    #[test]
    fn variants_are_offered_newer_models() {
        let model_v1 = base();
        let variant = derive_variant(&model_v1, "residence-extension-borken");
        assert!(offered_update(&variant, &model_v1).is_none());
        let mut model_v2 = model_v1.clone();
        model_v2.version += 1;
        model_v2.steps[0].deadline_days = Some(3);
        assert!(offered_update(&variant, &model_v2).is_some());
        let changes = diff(&variant, &model_v2);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].change, "changed");
        let next = accept_update(&variant, &model_v2);
        assert_eq!(next.version, 2);
        assert_eq!(next.model.as_ref().unwrap().version, model_v2.version);
        next.validate().unwrap();
    }

    #[test]
    fn a_variant_changes_clocks_and_roles_and_is_validated() {
        let model_v1 = base();
        let variant = derive_variant(&model_v1, &model_v1.id);
        let mut changes = variant_values(&variant);
        assert_eq!(
            apply_changes(&variant, &changes).unwrap().steps,
            variant.steps
        );
        changes.deadline_days = Some(60);
        changes.steps[0].deadline_days = Some(2);
        let next = apply_changes(&variant, &changes).unwrap();
        assert_eq!(next.version, 2);
        assert_eq!(next.deadline_days, Some(60));
        assert_eq!(next.steps[0].deadline_days, Some(2));
        assert_eq!(
            next.model, variant.model,
            "the variant stays linked to its model version"
        );

        let approval = variant
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Approval)
            .unwrap();
        let mut wrong = variant_values(&variant);
        wrong.steps[approval].role = "clerk".into();
        let err = apply_changes(&variant, &wrong).unwrap_err();
        assert!(matches!(
            err,
            VariantError::Invalid(ProcessError::ApprovalRole { .. })
        ));
        let VariantError::Invalid(inner) = err else {
            unreachable!()
        };
        assert_eq!(inner.step(), Some(variant.steps[approval].id.as_str()));

        let mut clocks = variant_values(&variant);
        clocks.steps[0].remind_after_days = Some(9);
        clocks.steps[0].escalate_after_days = Some(3);
        assert!(matches!(
            apply_changes(&variant, &clocks),
            Err(VariantError::Invalid(ProcessError::ClockOrder { .. }))
        ));
        let unknown = VariantChanges {
            deadline_days: None,
            steps: vec![StepChanges {
                step: "nowhere".into(),
                role: "clerk".into(),
                ..StepChanges::default()
            }],
        };
        assert_eq!(
            apply_changes(&variant, &unknown),
            Err(VariantError::UnknownStep("nowhere".into()))
        );
    }

    #[test]
    fn accepting_an_update_keeps_what_the_tenant_changed() {
        let base = base();
        let variant = derive_variant(&base, &base.id);
        let mut own = variant_values(&variant);
        own.deadline_days = Some(50);
        own.steps[0].deadline_days = Some(2);
        let variant = apply_changes(&variant, &own).unwrap();
        let mut model = base.clone();
        model.version += 1;
        model.steps[0].remind_after_days = Some(1);
        model.steps[1].deadline_days = Some(21);
        let next = accept_update_keeping_own(&variant, &base, &model);
        assert_eq!(next.version, variant.version + 1);
        assert_eq!(next.model.as_ref().unwrap().version, model.version);
        assert_eq!(next.deadline_days, Some(50), "the tenant's case deadline");
        assert_eq!(
            next.steps[0].deadline_days,
            Some(2),
            "the tenant's step deadline"
        );
        assert_eq!(
            next.steps[0].remind_after_days,
            Some(1),
            "the model's new reminder"
        );
        assert_eq!(
            next.steps[1].deadline_days,
            Some(21),
            "the model's change elsewhere"
        );

        // A carried value that no longer fits the new graph: the model is taken as it is.
        let mut own = variant_values(&variant);
        let approval = variant
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Approval)
            .unwrap();
        own.steps[approval - 1].role = "tenant_admin".into();
        let variant = apply_changes(&variant, &own).unwrap();
        let mut model = base.clone();
        model.version += 1;
        model.steps[approval - 1].kind = StepKind::Approval;
        model.steps[approval - 1].role = "approver".into();
        let next = accept_update_keeping_own(&variant, &base, &model);
        assert_eq!(next.steps, model.steps);
    }

    #[test]
    fn a_kept_model_version_is_not_offered_again_but_a_newer_one_is() {
        let model_v1 = base();
        let variant = derive_variant(&model_v1, &model_v1.id);
        let mut model_v2 = model_v1.clone();
        model_v2.version += 1;
        let mut model_v3 = model_v2.clone();
        model_v3.version += 1;
        assert!(offered_update_unless_kept(&variant, &model_v2, None).is_some());
        assert!(offered_update_unless_kept(&variant, &model_v2, Some(model_v2.version)).is_none());
        assert!(offered_update_unless_kept(&variant, &model_v3, Some(model_v2.version)).is_some());
    }

    #[test]
    fn definitions_round_trip_through_toml() {
        for def in models().unwrap() {
            let again = ProcessDef::from_toml(&def.to_toml()).unwrap();
            assert_eq!(again, def);
        }
    }
}
