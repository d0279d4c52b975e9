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

/// Where list counts stop: a count of `COUNT_LIMIT + 1` stands for "more than `COUNT_LIMIT`".
/// Beyond it the exact figure tells a clerk nothing more, and counting a million cases for every
/// page would cost more than the page itself.
pub const COUNT_LIMIT: i64 = 10_000;
pub use role::{Permission, Role};
