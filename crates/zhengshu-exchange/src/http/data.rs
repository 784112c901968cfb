//! The share API itself, for scenario tokens only: the caller's granted tables, rows of one
//! through REST, and sandboxed SQL over all of them. Every call — answered, refused or
//! failed — is written to the audit log before the answer goes out.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zhengshu_http::{ApiError, ApiJson};
use zhengshu_lake::sql::QueryLimits;

use crate::audit::AuditEvent;
use crate::model::{Scenario, ScenarioToken};
use crate::query::{self, Format, RowsQuery, View};
use crate::service;
use crate::{ExchangeError, ExchangeState};

/// The calling scenario, resolved from its token and within its rate limit.
#[derive(Debug, Clone)]
pub struct ScenarioCaller {
    pub token: ScenarioToken,
    pub scenario: Scenario,
    /// The end user of the calling system (`X-User-Id`), recorded in the audit log.
    pub user_ref: Option<String>,
}

/// An error of the share API; rate limits carry `Retry-After`.
#[derive(Debug)]
pub struct ShareRejection(pub ExchangeError);

impl IntoResponse for ShareRejection {
    fn into_response(self) -> Response {
        let retry = match &self.0 {
            ExchangeError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let mut r = ApiError::from(self.0).into_response();
        if let Some(s) = retry {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

impl From<ExchangeError> for ShareRejection {
    fn from(e: ExchangeError) -> Self {
        ShareRejection(e)
    }
}

impl<S> FromRequestParts<S> for ScenarioCaller
where
    ExchangeState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ShareRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let st = ExchangeState::from_ref(state);
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        if !secret.starts_with(service::SCENARIO_TOKEN_PREFIX) {
            return Err(ShareRejection(ExchangeError::Unauthenticated(format!(
                "the share API answers data-application scenarios only: send the scenario's token as `Authorization: Bearer {}…` (user logins and `zs_` tokens are not accepted here)",
                service::SCENARIO_TOKEN_PREFIX
            ))));
        }
        let (token, scenario) = service::authenticate(&st, secret).await?;
        let user_ref = parts
            .headers
            .get("x-user-id")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().chars().take(128).collect::<String>())
            .filter(|s| !s.is_empty());
        if let Err(retry_after) = st
            .limiter
            .check(token.id, token.rate_per_minute, Instant::now())
        {
            let ev = AuditEvent {
                kind: format!("share.{}", call_kind(parts.uri.path())),
                scenario_id: Some(scenario.id),
                token_id: Some(token.id),
                user_ref,
                detail: json!({ "path": parts.uri.path() }),
                outcome: "rate_limited".into(),
                ..Default::default()
            };
            st.audit.append(ev).await?;
            return Err(ShareRejection(ExchangeError::RateLimited {
                limit: token.rate_per_minute,
                retry_after,
            }));
        }
        Ok(ScenarioCaller {
            token,
            scenario,
            user_ref,
        })
    }
}

fn call_kind(path: &str) -> &'static str {
    if path.ends_with("/sql") {
        "sql"
    } else if path.ends_with("/rows") {
        "rows"
    } else {
        "tables"
    }
}

impl ScenarioCaller {
    fn event(&self, kind: &str) -> AuditEvent {
        AuditEvent {
            kind: kind.into(),
            scenario_id: Some(self.scenario.id),
            token_id: Some(self.token.id),
            user_ref: self.user_ref.clone(),
            detail: json!({}),
            ..Default::default()
        }
    }
}

fn outcome_of(e: &ExchangeError) -> &'static str {
    match e {
        ExchangeError::Forbidden(_) | ExchangeError::Unauthenticated(_) => "denied",
        ExchangeError::NotFound(_) => "not_found",
        ExchangeError::Invalid { .. } | ExchangeError::Sql(_) => "refused",
        _ => "error",
    }
}

/// Writes the call's audit record, then answers. If the record cannot be written the
/// caller gets a 500 and no data: nothing is shared unevidenced.
async fn finish(
    st: &ExchangeState,
    mut ev: AuditEvent,
    started: Instant,
    result: Result<(Response, i64, i64), ExchangeError>,
) -> Response {
    ev.duration_us = Some(started.elapsed().as_micros() as i64);
    let resp = match result {
        Ok((resp, rows, bytes)) => {
            ev.outcome = "ok".into();
            ev.rows_returned = Some(rows);
            ev.bytes = Some(bytes);
            Ok(resp)
        }
        Err(e) => {
            ev.outcome = outcome_of(&e).into();
            if let serde_json::Value::Object(m) = &mut ev.detail {
                m.insert("error".into(), json!(e.to_string()));
            }
            Err(e)
        }
    };
    if let Err(e) = st.audit.append(ev).await {
        return ShareRejection(e).into_response();
    }
    match resp {
        Ok(r) => r,
        Err(e) => ShareRejection(e).into_response(),
    }
}

/// A granted table as the scenario sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TableView {
    /// The name in SQL and in `/api/v1/share/{table}/rows`.
    pub table: String,
    pub resource_code: String,
    pub resource_name: String,
    /// (name, label, type, masked)
    pub columns: Vec<ColumnView>,
    /// Row conditions applied to every read, in words.
    pub row_filter: Vec<String>,
    pub valid_until: String,
    pub grant_id: i64,
}

/// A granted column.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ColumnView {
    pub name: String,
    pub label: String,
    pub data_type: String,
    /// Whether values come masked (personal data without raw access).
    pub masked: bool,
}

fn table_view(v: &View) -> TableView {
    TableView {
        table: v.table.clone(),
        resource_code: v.grant.resource_code.clone(),
        resource_name: v.grant.resource_name.clone(),
        columns: v
            .items
            .iter()
            .filter(|i| v.grant.columns.contains(&i.name))
            .map(|i| ColumnView {
                name: i.name.clone(),
                label: i.label.clone(),
                data_type: i.data_type.as_str().into(),
                masked: i.pii_kind.is_sensitive() && !v.grant.raw_columns.contains(&i.name),
            })
            .collect(),
        row_filter: v.grant.row_filter.iter().map(|c| c.describe()).collect(),
        valid_until: v.grant.valid_until.clone(),
        grant_id: v.grant.id,
    }
}

/// The tables the calling scenario may read now, with their columns.
#[utoipa::path(get, path = "/api/v1/share/tables", tag = "share",
    security(("scenario_token" = [])),
    responses((status = 200, body = [TableView]), (status = 401), (status = 429)))]
pub(crate) async fn tables(State(st): State<ExchangeState>, caller: ScenarioCaller) -> Response {
    let started = Instant::now();
    let ev = caller.event("share.tables");
    let result = async {
        let views = service::views(&st, caller.scenario.id).await?;
        let out: Vec<TableView> = views.iter().map(table_view).collect();
        let n = out.len() as i64;
        let body = serde_json::to_vec(&out).map_err(|e| ExchangeError::Sql(e.to_string()))?;
        let bytes = body.len() as i64;
        let resp = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
        Ok((resp, n, bytes))
    }
    .await;
    finish(&st, ev, started, result).await
}

fn limits(max_rows: usize) -> QueryLimits {
    QueryLimits {
        max_rows,
        timeout: std::time::Duration::from_secs(60),
        memory_bytes: 512 << 20,
    }
}

fn format_from_accept(headers: &HeaderMap) -> Option<Format> {
    let a = headers.get(header::ACCEPT)?.to_str().ok()?;
    if a.contains("apache.arrow") {
        Some(Format::Arrow)
    } else if a.contains("text/csv") {
        Some(Format::Csv)
    } else {
        None
    }
}

fn respond(
    batches: &[zhengshu_lake::deltalake::arrow::array::RecordBatch],
    format: Format,
    next_cursor: Option<&str>,
    extra: &[(&'static str, String)],
) -> Result<(Response, i64, i64), ExchangeError> {
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let (ct, body) = query::encode(batches, format, next_cursor)?;
    let bytes = body.len() as i64;
    let mut resp = (StatusCode::OK, Body::from(body)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Some(c) = next_cursor {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.insert("x-next-cursor", v);
        }
    }
    for (k, v) in extra {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(*k, v);
        }
    }
    Ok((resp, rows as i64, bytes))
}

/// Rows of one granted table: `fields=a,b`, filters `col=eq.X`, `col=in.(A,B)`,
/// `col=gte.X`/`lte.X`/`gt.X`/`lt.X`, `col=prefix.X`, `sort=col,-col2`, `limit` (≤ 10,000),
/// `cursor` (from the previous page's `next_cursor` / `X-Next-Cursor`), `format=json|csv|arrow`
/// (or `Accept`). Masked columns and the grant's row filter apply.
#[utoipa::path(get, path = "/api/v1/share/{resource}/rows", tag = "share",
    security(("scenario_token" = [])),
    params(("resource" = String, Path, description = "lake table name or resource code")),
    responses((status = 200, description = "JSON {rows, next_cursor, count}, CSV or Arrow IPC stream"),
        (status = 401), (status = 403, description = "no active grant"), (status = 422), (status = 429)))]
pub(crate) async fn rows(
    State(st): State<ExchangeState>,
    caller: ScenarioCaller,
    Path(resource): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let started = Instant::now();
    let mut ev = caller.event("share.rows");
    ev.detail = json!({ "resource": resource, "query": pairs });
    let result = async {
        let view = granted_view(&st, &caller, &resource, &mut ev).await?;
        let (q, mut format) = RowsQuery::parse(&pairs)?;
        if !pairs.iter().any(|(k, _)| k == "format") {
            if let Some(f) = format_from_accept(&headers) {
                format = f;
            }
        }
        let page = query::rows(&st.lake, &view, &q, limits(q.limit.max(1))).await?;
        respond(
            &page.batches,
            format,
            page.next_cursor.as_deref(),
            &[("x-table-version", page.version.to_string())],
        )
    }
    .await;
    finish(&st, ev, started, result).await
}

/// The view of `resource` (table name or code) if the scenario holds an active grant;
/// else 403 saying what the grant's state is, or 404.
async fn granted_view(
    st: &ExchangeState,
    caller: &ScenarioCaller,
    resource: &str,
    ev: &mut AuditEvent,
) -> Result<View, ExchangeError> {
    if let Some(v) = service::view(st, caller.scenario.id, resource).await? {
        ev.resource_id = Some(v.grant.resource_id);
        ev.provider_unit_id = Some(v.grant.provider_unit_id);
        return Ok(v);
    }
    // Refused: still recorded against the resource, so its provider sees the attempt.
    let r = service::find_resource(st, resource).await?;
    ev.resource_id = Some(r.id);
    ev.provider_unit_id = Some(r.provider_unit_id);
    let grants = service::grants(st, Some(caller.scenario.id), None).await?;
    let why = match grants.iter().find(|g| g.resource_id == r.id) {
        Some(g) => format!(
            "the grant for {} is {} — request access again",
            r.code,
            match g.state {
                crate::model::GrantState::Expired => "expired",
                crate::model::GrantState::Revoked => "revoked",
                crate::model::GrantState::Active => "active but the resource holds no data yet",
            }
        ),
        None => {
            let pending = crate::store::requests(
                &st.db,
                &crate::store::RequestFilter {
                    scenario_id: Some(caller.scenario.id),
                    status: Some(crate::model::RequestStatus::Pending),
                    ..Default::default()
                },
            )
            .await?
            .into_iter()
            .find(|q| q.resource_id == r.id);
            match pending {
                Some(q) => format!(
                    "scenario {} holds no grant for {} yet: request {} is waiting for the provider's decision (due {})",
                    caller.scenario.name,
                    r.code,
                    q.id,
                    q.due_date.as_deref().unwrap_or("—")
                ),
                None => format!(
                    "scenario {} holds no grant for {} ({}); request access first",
                    caller.scenario.name, r.code, r.name
                ),
            }
        }
    };
    Err(ExchangeError::Forbidden(why))
}

/// A share query.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SqlRequest {
    /// One read-only `SELECT` over the granted tables (by their table names).
    pub sql: String,
    /// json (default), csv or arrow.
    #[serde(default)]
    pub format: Option<String>,
    /// At most this many rows (default and maximum 10,000).
    #[serde(default)]
    pub max_rows: Option<usize>,
}

/// Read-only SQL in a sandbox where only the caller's granted tables and columns exist,
/// with row filters applied and personal data masked.
#[utoipa::path(post, path = "/api/v1/share/sql", tag = "share",
    security(("scenario_token" = [])), request_body = SqlRequest,
    responses((status = 200, description = "JSON {rows, count}, CSV or Arrow IPC stream"),
        (status = 400, description = "refused or failed query"), (status = 401), (status = 429)))]
pub(crate) async fn sql(
    State(st): State<ExchangeState>,
    caller: ScenarioCaller,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SqlRequest>,
) -> Response {
    let started = Instant::now();
    let mut ev = caller.event("share.sql");
    ev.detail = json!({ "sql": req.sql });
    let result = async {
        if req.sql.len() > 100_000 {
            return Err(ExchangeError::invalid("sql", "at most 100,000 characters"));
        }
        let format = match req.format.as_deref() {
            None | Some("") => format_from_accept(&headers).unwrap_or(Format::Json),
            Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            Some("arrow") => Format::Arrow,
            Some(f) => {
                return Err(ExchangeError::invalid(
                    "format",
                    format!("`{f}`: use json, csv or arrow"),
                ))
            }
        };
        let max_rows = req.max_rows.unwrap_or(10_000);
        if !(1..=10_000).contains(&max_rows) {
            return Err(ExchangeError::invalid("max_rows", "1–10,000"));
        }
        let views = service::views(&st, caller.scenario.id).await?;
        if views.is_empty() {
            return Err(ExchangeError::Forbidden(format!(
                "scenario {} holds no active grant on a table with data; request access first",
                caller.scenario.name
            )));
        }
        let used: Vec<&View> = views
            .iter()
            .filter(|v| mentions(&req.sql, &v.table))
            .collect();
        if let [one] = used.as_slice() {
            ev.resource_id = Some(one.grant.resource_id);
            ev.provider_unit_id = Some(one.grant.provider_unit_id);
        }
        if let serde_json::Value::Object(m) = &mut ev.detail {
            m.insert(
                "tables".into(),
                json!(used.iter().map(|v| v.table.clone()).collect::<Vec<_>>()),
            );
        }
        let lim = limits(max_rows);
        let ctx = query::session(&st.lake, &views, lim).await?;
        let (batches, truncated) = query::sql(&ctx, &req.sql, lim).await?;
        respond(
            &batches,
            format,
            None,
            &[("x-truncated", truncated.to_string())],
        )
    }
    .await;
    finish(&st, ev, started, result).await
}

/// Whether `sql` names `table` as a word (for the audit record's resource; the sandbox
/// itself is what limits access).
fn mentions(sql: &str, table: &str) -> bool {
    sql.match_indices(table).any(|(i, _)| {
        let before = sql[..i].chars().next_back();
        let after = sql[i + table.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_table_names_as_words() {
        assert!(super::mentions("select * from enterprises", "enterprises"));
        assert!(super::mentions(
            "SELECT count(*) FROM \"enterprises\" e",
            "enterprises"
        ));
        assert!(!super::mentions(
            "select * from enterprises_2024",
            "enterprises"
        ));
    }
}
