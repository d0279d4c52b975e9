//! Prometheus metrics. Labels are route patterns, methods and status codes: never raw paths, users or
//! tenants' personal data.

use prometheus::{
    HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
};

use crate::error::AppError;

#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub requests: IntCounterVec,
    pub durations: HistogramVec,
    pub signin_throttled: IntCounter,
    pub signins: IntCounterVec,
    pub jobs_queued: IntGaugeVec,
    pub db_pool: IntGaugeVec,
    pub mail_pending: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> Result<Self, AppError> {
        let registry = Registry::new_custom(Some("amtsweg".into()), None).map_err(internal)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route pattern, method and status",
            ),
            &["route", "method", "status"],
        )
        .map_err(internal)?;
        let durations = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route pattern",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route", "method"],
        )
        .map_err(internal)?;
        let signin_throttled = IntCounter::new(
            "signin_throttled_total",
            "Sign-in attempts refused by throttling",
        )
        .map_err(internal)?;
        let signins = IntCounterVec::new(
            Opts::new("signins_total", "Sign-in attempts by outcome"),
            &["outcome"],
        )
        .map_err(internal)?;
        let jobs_queued = IntGaugeVec::new(
            Opts::new("jobs_queued", "Background jobs by state"),
            &["state"],
        )
        .map_err(internal)?;
        let db_pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections"),
            &["state"],
        )
        .map_err(internal)?;
        let mail_pending =
            IntGaugeVec::new(Opts::new("mail_outbox", "Mails in the outbox"), &["state"])
                .map_err(internal)?;
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(durations.clone()),
            Box::new(signin_throttled.clone()),
            Box::new(signins.clone()),
            Box::new(jobs_queued.clone()),
            Box::new(db_pool.clone()),
            Box::new(mail_pending.clone()),
        ] {
            registry.register(collector).map_err(internal)?;
        }
        Ok(Self {
            registry,
            requests,
            durations,
            signin_throttled,
            signins,
            jobs_queued,
            db_pool,
            mail_pending,
        })
    }

    pub fn render(&self) -> Result<String, AppError> {
        let encoder = prometheus::TextEncoder::new();
        encoder
            .encode_to_string(&self.registry.gather())
            .map_err(internal)
    }
}

fn internal(err: prometheus::Error) -> AppError {
    AppError::internal(format!("metrics: {err}"))
}
