//! Server-rendered pages of Amtsweg.
//!
//! Leptos is used purely as a component and rendering library: every page function takes a
//! view model from [`model`] and returns a complete HTML document as a `String`. There is no
//! hydration and no JavaScript; routing, sessions and Post-Redirect-Get belong to the HTTP layer.
//! Texts come from Fluent files in `frontend/locales/` through [`i18n`].

mod components;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod pages_case_admin;
pub mod pages_cases;
pub mod pages_legal;
pub mod pages_portal;
pub mod pages_reconciliation;
pub mod pages_rollout;
pub mod pages_rollout_admin;
pub mod pages_scans;

/// The minimum password length: shown in hints and in `error-password-short`. The HTTP layer
/// should validate against the same constant.
pub const PASSWORD_MIN: usize = 12;

/// The style sheet, served by the HTTP layer at `/static/app.css`.
pub fn stylesheet() -> &'static str {
    include_str!("../static/app.css")
}

/// The kiosk frame's script (warning before the automatic sign-out), served at `/static/kiosk.js`.
pub fn kiosk_script() -> &'static str {
    include_str!("../static/kiosk.js")
}

#[cfg(test)]
mod tests;
