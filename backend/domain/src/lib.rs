//! Pure types and rules of Amtsweg: no HTTP, no SQL, no async runtime.
//!
//! Time and identifiers are passed in, so every rule here is testable without a clock.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod ids;
pub mod role;
pub mod tenant;

pub use ids::{TenantId, UserId};
pub use role::{Permission, Role};
