//! Cross-cutting request handling: security headers, metrics, and HTML rendering of errors for the
//! browser pages.

use std::time::Instant;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::AppState;

/// Security headers on every response, in one place.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let pairs: [(&str, &str); 7] = [
        (
            "content-security-policy",
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
        ("cross-origin-opener-policy", "same-origin"),
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
    ];
    for (name, value) in pairs {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Request count and latency by route pattern.
pub async fn metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let status = res.status().as_u16().to_string();
        state
            .metrics
            .requests
            .with_label_values(&[&route, &method, &status])
            .inc();
        state
            .metrics
            .durations
            .with_label_values(&[&route, &method])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// Browser pages get HTML errors and a redirect to sign-in; the JSON API keeps its problem details.
pub async fn html_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    let path = req.path().to_owned();
    let is_api =
        path.starts_with("/api/") || path == "/metrics" || path == "/healthz" || path == "/readyz";
    let res = next.call(req).await?;
    let status = res.status();
    if is_api || !(status.is_client_error() || status.is_server_error()) {
        return Ok(res.map_into_left_body());
    }
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json") || v.starts_with("text/plain"));
    if !is_problem && status.as_u16() != 404 {
        return Ok(res.map_into_left_body());
    }
    let request = res.request().clone();
    let response = if status.as_u16() == 401 {
        let portal = path.starts_with("/portal");
        let target = if portal {
            "/portal/sign-in"
        } else {
            "/sign-in"
        };
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, target))
            .finish()
    } else {
        let ctx = crate::pages::context_from_request(&request, crate::pages::area_for_path(&path));
        let (title, detail) = match status.as_u16() {
            403 => ("error-forbidden", None),
            404 => ("error-not-found", None),
            422 | 400 => ("error-required", None),
            413 => (
                "error-payload-too-large",
                Some("error-payload-too-large-detail"),
            ),
            429 => ("error-throttled", None),
            _ => ("error-internal", None),
        };
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(amtsweg_frontend::pages::error_page(
                &ctx,
                status.as_u16(),
                title,
                detail,
            ))
    };
    Ok(ServiceResponse::new(request, response).map_into_right_body())
}
