//! Route table. Every route appears here once; the isolation matrix test walks this list.

pub mod api;
pub mod case_admin;
pub mod case_admin_pages;
pub mod cases;
pub mod cases_pages;
pub mod health;
pub mod kiosk;
pub mod legal;
pub mod portal_intake;
pub mod reconciliation;
pub mod rollout;
pub mod rollout_admin_pages;
pub mod rollout_console;
pub mod rollout_pages;
pub mod rollout_report;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    api::configure(cfg);
    cases::configure(cfg);
    cases_pages::configure(cfg);
    case_admin::configure(cfg);
    case_admin_pages::configure(cfg);
    reconciliation::configure(cfg);
    rollout::configure(cfg);
    rollout_pages::configure(cfg);
    rollout_admin_pages::configure(cfg);
    rollout_report::configure(cfg);
    kiosk::configure(cfg);
    portal_intake::configure(cfg);
    legal::configure(cfg);
    crate::pages::configure(cfg);
}
