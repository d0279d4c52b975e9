//! Route table. Every route appears here once; the isolation matrix test walks this list.

pub mod api;
pub mod health;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    api::configure(cfg);
    crate::pages::configure(cfg);
}
