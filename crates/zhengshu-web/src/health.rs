//! Liveness, readiness and metrics endpoints.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::{AppState, WebState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

async fn healthz(State(s): State<WebState>) -> Json<serde_json::Value> {
    Json(
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "uptime_secs": s.started.elapsed().as_secs()}),
    )
}

/// Ready when the database answers and the lake location is usable.
async fn readyz(State(s): State<WebState>) -> Response {
    let db = match s.db.ping().await {
        Ok(()) => Ok(()),
        Err(e) => Err(e.to_string()),
    };
    let lake = check_lake(&s.config.lake_url);
    let ok = db.is_ok() && lake.is_ok();
    let body = json!({
        "status": if ok { "ready" } else { "not_ready" },
        "checks": {
            "database": db.err().unwrap_or_else(|| "ok".into()),
            "lake": lake.err().unwrap_or_else(|| "ok".into()),
        }
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// A `file://` lake folder must still exist and be a directory (a deleted or unmounted
/// folder is not ready); object-store URLs are accepted as configured (every table
/// operation checks them).
fn check_lake(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    if let Some(path) = url.strip_prefix("file://") {
        let p = std::path::Path::new(path);
        return if p.is_dir() {
            Ok(())
        } else {
            Err(format!("lake folder {path} does not exist"))
        };
    }
    if url.starts_with("s3://") || url.starts_with("gs://") || url.starts_with("az://") {
        return Ok(());
    }
    Err(format!("unsupported lake URL `{url}`"))
}

async fn metrics(State(s): State<WebState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        s.metrics.render(),
    )
        .into_response()
}
