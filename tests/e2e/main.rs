//! The one integration-test binary of the workspace: end-to-end tests against PostgreSQL, Redis, a
//! real SMTP server, the real binary and headless Chromium.

// Tests state their expectations with unwrap: a failure should stop the test right there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod auth;
mod browser;
mod cases;
mod cases_admin;
mod instances;
mod invitations;
mod isolation;
mod kiosk;
mod legal;
mod mail;
mod operations;
mod portal;
mod reconciliation;
mod rollout;
mod scans;
mod sqlite;
mod support;
