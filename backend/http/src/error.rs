//! One error type for the HTTP layer, mapped once to RFC 9457 problem details. Each error has a stable
//! code that clients and the web pages translate (`error-<code>` in the locale files).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use amtsweg_store::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("not permitted")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation(BTreeMap<String, String>),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("too many attempts")]
    Throttled { retry_after_secs: u64 },
    #[error("invalid credentials")]
    Credentials,
    #[error("a second factor must be enrolled first")]
    MfaEnrolmentRequired,
    #[error("CSRF token missing or wrong")]
    Csrf,
    /// A request body over the route's limit, refused before it is read.
    #[error("request too large")]
    PayloadTooLarge,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(detail: impl Into<String>) -> Self {
        AppError::Internal(detail.into())
    }

    pub fn field(field: &str, key: &str) -> Self {
        AppError::Validation(BTreeMap::from([(field.to_owned(), key.to_owned())]))
    }

    /// The stable code; also the suffix of the message key `error-<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not-found",
            AppError::Validation(_) => "validation",
            AppError::Conflict(code) => code,
            AppError::Throttled { .. } => "throttled",
            AppError::Credentials => "credentials",
            AppError::MfaEnrolmentRequired => "mfa-enrolment-required",
            AppError::Csrf => "csrf",
            AppError::PayloadTooLarge => "payload-too-large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(code) => AppError::Conflict(code),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The throttle's store (Redis) is down: refuse rather than let attempts through unthrottled.
impl From<redis::RedisError> for AppError {
    fn from(err: redis::RedisError) -> Self {
        AppError::Unavailable(format!("redis: {err}"))
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a BTreeMap<String, String>>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::Credentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::MfaEnrolmentRequired => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            // Details go to the log (they never hold personal data), not to the client.
            tracing::error!(error = %self, "request failed");
        }
        let errors = match self {
            AppError::Validation(errors) => Some(errors),
            _ => None,
        };
        let title = match self {
            AppError::Internal(_) => "internal error",
            _ => &self.to_string(),
        };
        let problem = Problem {
            kind: format!("https://amtsweg.nrw/problems/{}", self.code()),
            title,
            status: status.as_u16(),
            code: self.code(),
            errors,
        };
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        if let AppError::Throttled { retry_after_secs } = self {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        response.json(problem)
    }
}
