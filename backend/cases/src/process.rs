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
    fn definitions_round_trip_through_toml() {
        for def in models().unwrap() {
            let again = ProcessDef::from_toml(&def.to_toml()).unwrap();
            assert_eq!(again, def);
        }
    }
}
