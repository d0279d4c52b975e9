//! Case processing as pure rules: no HTTP, no SQL, no async runtime, no clock of its own (every
//! function that depends on time takes `now`).
//!
//! - [`process`]: process definitions as data (statewide models and tenant variants), validated when
//!   loaded, versioned.
//! - [`routing`]: the electronic routing folder (Laufmappe): forward, ask, reply, return, approve,
//!   participation answers, deadlines with reminders and escalation.
//! - [`retention`]: Ausländerdatei A → B and deletion periods as data.
//! - [`fileplan`]: the statewide reference file plan and the completeness check of a tenant mapping.
//! - [`notice`]: notice texts per process and language, rendered into a PDF (`amtsweg-pdf`).
//! - [`package`]: the transfer package (XAusländer-style XML message + documents in one ZIP).
//! - [`throughput`]: throughput time per step and per process from the routing history.

pub mod fileplan;
pub mod notice;
pub mod package;
pub mod process;
pub mod retention;
pub mod routing;
pub mod throughput;
mod zip;

pub use process::{ProcessDef, ProcessError, Step, StepKind};
pub use routing::{Action, CaseSnapshot, RoutingError, Transition};
