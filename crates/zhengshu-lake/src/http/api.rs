//! `/api/v1/lake/…`: JSON endpoints for programs and the console's scripts.

use std::collections::HashMap;
use std::io::Write;

use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized, Principal};

use super::actor_of;
use crate::coerce::Transform;
use crate::ingest::{self, Mode, Report};
use crate::maintain::{self, Compacted, HistoryEntry, UnitQuality, Vacuumed};
use crate::pull::{self, Pull};
use crate::read::{self, Format, Limits};
use crate::rules::Rule;
use crate::sql::{self, QueryLimits, QueryResult};
use crate::store::{self, Connected, Job};
use crate::table::{self, TableStats};
use crate::{LakeError, LakeState, Target};

/// A connected table with its size.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TableInfo {
    #[serde(flatten)]
    pub connected: Connected,
    pub resource_code: String,
    pub resource_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The table URL in the lake (other engines read it there).
    pub url: String,
    pub stats: TableStats,
    /// The latest batch's quality score.
    pub quality_score: Option<f64>,
}

pub(crate) async fn table_info(st: &LakeState, c: Connected) -> Result<TableInfo, LakeError> {
    let r = zhengshu_catalog::service::get(
        &st.catalog,
        Some(&zhengshu_catalog::Actor::system()),
        c.resource_id,
    )
    .await?;
    let stats = match st.lake.open(&c.table_name).await {
        Ok(t) => table::stats(&t).unwrap_or_default(),
        Err(_) => TableStats::default(),
    };
    let quality_score = store::jobs(&st.db, Some(&c.table_name), 10)
        .await?
        .into_iter()
        .find(|j| j.status == "succeeded")
        .and_then(|j| j.quality_score);
    Ok(TableInfo {
        url: st.lake.table_url(&c.table_name)?.to_string(),
        resource_code: r.code,
        resource_name: r.name,
        unit_id: r.provider_unit_id,
        unit_name: r.provider_name,
        connected: c,
        stats,
        quality_score,
    })
}

/// Every connected table.
#[utoipa::path(get, path = "/api/v1/lake/tables", tag = "lake",
    responses((status = 200, body = [TableInfo])))]
pub(crate) async fn list(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
) -> Result<ApiJson<Vec<TableInfo>>, ApiError> {
    let mut out = Vec::new();
    for c in store::tables(&st.db).await? {
        out.push(table_info(&st, c).await?);
    }
    Ok(ApiJson(out))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ConnectRequest {
    pub resource_id: i64,
    /// Lower-case letters, digits and `_`.
    pub table: String,
    /// Data item to upsert and cluster by (optional).
    #[serde(default)]
    pub key: String,
}

/// Connects a catalog resource to the lake (creates its empty Delta table).
#[utoipa::path(post, path = "/api/v1/lake/tables", tag = "lake", request_body = ConnectRequest,
    responses((status = 201, body = TableInfo), (status = 409), (status = 422)))]
pub(crate) async fn connect(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    ApiJson(req): ApiJson<ConnectRequest>,
) -> Result<(StatusCode, ApiJson<TableInfo>), ApiError> {
    let c = crate::connect(&st, &actor_of(&who), req.resource_id, &req.table, &req.key).await?;
    Ok((StatusCode::CREATED, ApiJson(table_info(&st, c).await?)))
}

/// A table for a caller who may manage it (else 403; unknown → 404).
pub(crate) async fn managed(
    st: &LakeState,
    who: &Principal,
    table: &str,
) -> Result<Target, ApiError> {
    let t = crate::target(st, table).await?;
    if !crate::can_manage(&actor_of(who), &t.resource) {
        return Err(ApiError::forbidden(format!(
            "table `{table}` belongs to {}; only its data officers and platform staff manage it",
            t.resource.provider_name
        )));
    }
    Ok(t)
}

#[derive(Debug, Serialize)]
pub(crate) struct TableDetail {
    #[serde(flatten)]
    info: TableInfo,
    items: Vec<zhengshu_catalog::DataItem>,
    rules: Vec<Rule>,
    jobs: Vec<Job>,
}

/// A table: size, data items, rules and recent jobs.
#[utoipa::path(get, path = "/api/v1/lake/tables/{table}", tag = "lake",
    params(("table" = String, Path)), responses((status = 200, body = TableInfo), (status = 404)))]
pub(crate) async fn show(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
    Path(table): Path<String>,
) -> Result<Response, ApiError> {
    let t = crate::target(&st, &table).await?;
    let c = store::table(&st.db, &table)
        .await?
        .ok_or_else(|| ApiError::not_found("lake table", &table))?;
    let detail = TableDetail {
        info: table_info(&st, c).await?,
        items: t.resource.items,
        rules: t.rules,
        jobs: store::jobs(&st.db, Some(&table), 20).await?,
    };
    Ok(ApiJson(detail).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Settings {
    #[serde(default)]
    pub key_column: String,
    /// Column → transforms (trim, half_width, strip_pinyin, upper_id_x), applied in order.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub transforms: HashMap<String, Vec<String>>,
}

/// Sets the key column and the per-column standardisation.
#[utoipa::path(put, path = "/api/v1/lake/tables/{table}/settings", tag = "lake", request_body = Settings,
    params(("table" = String, Path)), responses((status = 200, body = Connected), (status = 422)))]
pub(crate) async fn settings(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
    ApiJson(s): ApiJson<Settings>,
) -> Result<ApiJson<Connected>, ApiError> {
    managed(&st, &who, &table).await?;
    let transforms: HashMap<String, Vec<Transform>> = ingest::parse_transforms(&s.transforms)?;
    let c = crate::set_settings(&st, &table, &s.key_column, &transforms).await?;
    Ok(ApiJson(c))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PushQuery {
    /// append (default), overwrite or upsert.
    mode: Option<String>,
    /// Resubmitting the same id changes nothing.
    batch_id: Option<String>,
    /// Fail the batch when more than this share of rows (and over 100) is rejected; default 0.1.
    max_reject_ratio: Option<f64>,
}

/// Spools a request body to a temporary file (memory stays bounded).
pub(crate) async fn spool(body: Body) -> Result<(std::fs::File, u64), ApiError> {
    let mut f = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut n = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("reading the body: {e}")))?;
        n += chunk.len() as u64;
        f.write_all(&chunk).map_err(ApiError::internal)?;
    }
    use std::io::Seek;
    f.rewind().map_err(ApiError::internal)?;
    Ok((f, n))
}

pub(crate) fn parse_mode(s: Option<&str>) -> Result<Mode, ApiError> {
    match s.filter(|s| !s.trim().is_empty()) {
        None => Ok(Mode::Append),
        Some(m) => Mode::parse(m).ok_or_else(|| {
            ApiError::invalid(
                "mode",
                format!("`{m}` is not a mode; use append, overwrite or upsert"),
            )
        }),
    }
}

/// Pushes rows: a JSON array or NDJSON (`application/json`, `application/x-ndjson`), CSV
/// (`text/csv`), Arrow IPC (`application/vnd.apache.arrow.stream`), Parquet or XLSX.
/// The whole body is one batch; the response is the ingest report (rows that failed are
/// in the job's quarantine).
#[utoipa::path(post, path = "/api/v1/lake/tables/{table}/rows", tag = "lake",
    params(("table" = String, Path), PushQuery),
    request_body(content = String, description = "rows", content_type = "text/csv"),
    responses((status = 200, body = Report), (status = 415), (status = 422)))]
pub(crate) async fn push(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
    Query(q): Query<PushQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    managed(&st, &who, &table).await?;
    let mode = parse_mode(q.mode.as_deref())?;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let arrow = ct.starts_with("application/vnd.apache.arrow.stream");
    let format = Format::from_content_type(&ct);
    if !arrow && format.is_none() {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("Content-Type `{ct}` is not one of application/json, application/x-ndjson, text/csv, application/vnd.apache.arrow.stream, application/vnd.apache.parquet or the XLSX type"),
        ));
    }
    let (file, bytes) = spool(body).await?;
    if bytes == 0 {
        return Err(ApiError::invalid(
            "body",
            "the body is empty; send the rows",
        ));
    }
    let source = if arrow {
        read::open_arrow_ipc(Box::new(file)).map_err(LakeError::from)?
    } else {
        let format = format.unwrap_or(Format::Csv);
        tokio::task::spawn_blocking(move || {
            read::open_sized(Box::new(file), Some(bytes), format, Limits::default())
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(LakeError::from)?
    };
    let report = ingest::ingest(
        &st,
        &table,
        source,
        ingest::Options {
            mode,
            batch_id: q.batch_id,
            source: "http".into(),
            max_reject_ratio: q.max_reject_ratio.unwrap_or(0.1).clamp(0.0, 1.0),
            created_by: Some(who.user.id),
            ..ingest::Options::default()
        },
    )
    .await?;
    let status = if report.status == "succeeded" {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, ApiJson(report)).into_response())
}

/// The table's quality rules.
#[utoipa::path(get, path = "/api/v1/lake/tables/{table}/rules", tag = "lake",
    params(("table" = String, Path)), responses((status = 200, body = [Rule])))]
pub(crate) async fn rules(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
    Path(table): Path<String>,
) -> Result<ApiJson<Vec<Rule>>, ApiError> {
    crate::target(&st, &table).await?;
    Ok(ApiJson(store::rules(&st.db, &table).await?))
}

/// Adds a quality rule, e.g. `{"column":"id_number","kind":"resident_id","blocking":true}`.
#[utoipa::path(post, path = "/api/v1/lake/tables/{table}/rules", tag = "lake", request_body = Rule,
    params(("table" = String, Path)), responses((status = 201, body = Rule), (status = 422)))]
pub(crate) async fn add_rule(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
    ApiJson(rule): ApiJson<Rule>,
) -> Result<(StatusCode, ApiJson<Rule>), ApiError> {
    managed(&st, &who, &table).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(crate::add_rule(&st, &table, rule).await?),
    ))
}

/// Removes a rule.
#[utoipa::path(delete, path = "/api/v1/lake/tables/{table}/rules/{id}", tag = "lake",
    params(("table" = String, Path), ("id" = i64, Path)), responses((status = 204), (status = 404)))]
pub(crate) async fn delete_rule(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path((table, id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    managed(&st, &who, &table).await?;
    if store::delete_rule(&st.db, &table, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("rule", id))
    }
}

/// The table's versions, newest first (time travel targets).
#[utoipa::path(get, path = "/api/v1/lake/tables/{table}/history", tag = "lake",
    params(("table" = String, Path)), responses((status = 200, body = [HistoryEntry])))]
pub(crate) async fn history(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
    Path(table): Path<String>,
) -> Result<ApiJson<Vec<HistoryEntry>>, ApiError> {
    crate::target(&st, &table).await?;
    Ok(ApiJson(maintain::history(&st, &table, 100).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OptimizeQuery {
    /// Column to cluster by (default: the key column).
    zorder: Option<String>,
}

/// Compacts the table, clustered by the key (or `zorder`).
#[utoipa::path(post, path = "/api/v1/lake/tables/{table}/optimize", tag = "lake",
    params(("table" = String, Path), OptimizeQuery), responses((status = 200, body = Compacted)))]
pub(crate) async fn optimize(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeAdmin>,
    Path(table): Path<String>,
    Query(q): Query<OptimizeQuery>,
) -> Result<ApiJson<Compacted>, ApiError> {
    Ok(ApiJson(
        maintain::optimize(&st, &table, q.zorder.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VacuumQuery {
    /// Keep files younger than this (default 168 h = 7 days).
    retain_hours: Option<u64>,
    dry_run: Option<bool>,
}

/// Deletes files older versions no longer need.
#[utoipa::path(post, path = "/api/v1/lake/tables/{table}/vacuum", tag = "lake",
    params(("table" = String, Path), VacuumQuery), responses((status = 200, body = Vacuumed)))]
pub(crate) async fn vacuum(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeAdmin>,
    Path(table): Path<String>,
    Query(q): Query<VacuumQuery>,
) -> Result<ApiJson<Vacuumed>, ApiError> {
    Ok(ApiJson(
        maintain::vacuum(
            &st,
            &table,
            q.retain_hours.unwrap_or(168),
            q.dry_run.unwrap_or(false),
        )
        .await?,
    ))
}

/// The table's scheduled pulls (source URLs with the password masked).
#[utoipa::path(get, path = "/api/v1/lake/tables/{table}/pulls", tag = "lake",
    params(("table" = String, Path)), responses((status = 200, body = [Pull])))]
pub(crate) async fn pulls(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
) -> Result<ApiJson<Vec<Pull>>, ApiError> {
    managed(&st, &who, &table).await?;
    let mut out = pull::list(&st, Some(&table)).await?;
    for p in &mut out {
        p.source_url = p.masked_url();
    }
    Ok(ApiJson(out))
}

/// Adds a scheduled pull from the unit's PostgreSQL or MySQL database.
#[utoipa::path(post, path = "/api/v1/lake/tables/{table}/pulls", tag = "lake", request_body = Pull,
    params(("table" = String, Path)), responses((status = 201, body = Pull), (status = 422)))]
pub(crate) async fn add_pull(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
    ApiJson(mut p): ApiJson<Pull>,
) -> Result<(StatusCode, ApiJson<Pull>), ApiError> {
    managed(&st, &who, &table).await?;
    p.table_name = table;
    let mut saved = pull::add(&st, &p).await?;
    saved.source_url = saved.masked_url();
    Ok((StatusCode::CREATED, ApiJson(saved)))
}

/// Runs a pull now.
#[utoipa::path(post, path = "/api/v1/lake/pulls/{id}/run", tag = "lake",
    params(("id" = i64, Path)), responses((status = 200, body = Report)))]
pub(crate) async fn run_pull(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Report>, ApiError> {
    let p = pull::get(&st, id).await?;
    managed(&st, &who, &p.table_name).await?;
    Ok(ApiJson(pull::run(&st, id).await?))
}

/// An ingest job: status, live counters and, when finished, its report.
#[utoipa::path(get, path = "/api/v1/lake/jobs/{id}", tag = "lake",
    params(("id" = i64, Path)), responses((status = 200, body = Job), (status = 404)))]
pub(crate) async fn job(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Job>, ApiError> {
    Ok(ApiJson(
        store::get_job(&st.db, id)
            .await?
            .ok_or_else(|| ApiError::not_found("job", id))?,
    ))
}

/// The quarantined rows of a job as CSV (UTF-8 with BOM): the original columns, then
/// `_line` and `_reason`; fix the rows and submit the file again.
#[utoipa::path(get, path = "/api/v1/lake/jobs/{id}/quarantine.csv", tag = "lake",
    params(("id" = i64, Path)), responses((status = 200, content_type = "text/csv")))]
pub(crate) async fn quarantine_csv(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let job = store::get_job(&st.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("job", id))?;
    managed(&st, &who, &job.table_name).await?;
    let rows = store::quarantine(&st.db, id, 0, 1_000_000).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let width = rows.iter().map(|r| r.raw.len()).max().unwrap_or(0);
    let header: Vec<String> = job
        .report
        .get("header")
        .and_then(|h| serde_json::from_value(h.clone()).ok())
        .unwrap_or_default();
    let mut head: Vec<String> = if header.len() == width {
        header
    } else {
        (1..=width).map(|i| format!("column_{i}")).collect()
    };
    head.push("_line".into());
    head.push("_reason".into());
    w.write_record(&head).map_err(ApiError::internal)?;
    for r in rows {
        let mut rec = r.raw.clone();
        rec.resize(width, String::new());
        rec.push(r.line.to_string());
        rec.push(r.reason);
        w.write_record(&rec).map_err(ApiError::internal)?;
    }
    let data = w.into_inner().map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"quarantine-job-{id}.csv\""),
            ),
        ],
        data,
    )
        .into_response())
}

/// A proposed data item, for the officer to adjust.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposedItemView {
    pub name: String,
    pub label: String,
    pub data_type: String,
    pub pii_kind: String,
    pub nulls: u64,
    pub values: u64,
    pub examples: Vec<String>,
    pub suggested_rules: Vec<String>,
}

/// The platform's proposal for a new resource from a sample file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub rows: u64,
    pub detected: String,
    pub items: Vec<ProposedItemView>,
}

/// Reads a whole sample and proposes the data items (types over every row, labels from
/// the header, PII kinds from the content).
pub fn propose_from(source: Box<dyn read::RowSource>) -> Result<Proposal, LakeError> {
    let (items, rows, detected) = crate::propose(source)?;
    Ok(Proposal {
        rows,
        detected,
        items: items
            .into_iter()
            .map(|p| ProposedItemView {
                name: p.name,
                label: p.label,
                data_type: p.data_type.as_str().into(),
                pii_kind: p.pii_kind.as_str().into(),
                nulls: p.nulls,
                values: p.values,
                examples: p.examples,
                suggested_rules: p.suggested_rules,
            })
            .collect(),
    })
}

/// Proposes data items from a sample file (multipart field `file`).
#[utoipa::path(post, path = "/api/v1/lake/propose", tag = "lake",
    request_body(content = String, content_type = "multipart/form-data"),
    responses((status = 200, body = Proposal), (status = 422)))]
pub(crate) async fn propose(
    _who: Authorized<perm::LakeIngest>,
    mut form: Multipart,
) -> Result<ApiJson<Proposal>, ApiError> {
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("multipart: {e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("sample.csv").to_string();
        let (file, _) = spool_field(field).await?;
        let format = Format::from_name(&name);
        let p = tokio::task::spawn_blocking(move || -> Result<Proposal, LakeError> {
            let fmt = format.unwrap_or(Format::Csv);
            propose_from(read::open(Box::new(file), fmt, Limits::default())?)
        })
        .await
        .map_err(ApiError::internal)??;
        return Ok(ApiJson(p));
    }
    Err(ApiError::invalid(
        "file",
        "attach the sample as the multipart field `file`",
    ))
}

/// Spools one multipart field to a temporary file.
pub(crate) async fn spool_field(
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<(std::fs::File, u64), ApiError> {
    let mut f = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut n = 0u64;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
    {
        n += chunk.len() as u64;
        f.write_all(&chunk).map_err(ApiError::internal)?;
    }
    use std::io::Seek;
    f.rewind().map_err(ApiError::internal)?;
    Ok((f, n))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SqlRequest {
    pub sql: String,
    /// At most this many rows (default 1,000, cap 10,000).
    pub max_rows: Option<usize>,
}

/// Runs a read-only SQL query over every lake table (`at_version`, `at_time` and
/// `masked.<table>` included).
#[utoipa::path(post, path = "/api/v1/lake/sql", tag = "lake", request_body = SqlRequest,
    responses((status = 200, body = QueryResult), (status = 400)))]
pub(crate) async fn sql(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeQuery>,
    ApiJson(req): ApiJson<SqlRequest>,
) -> Result<ApiJson<QueryResult>, ApiError> {
    if req.sql.trim().is_empty() {
        return Err(ApiError::invalid("sql", "write a query"));
    }
    let limits = QueryLimits {
        max_rows: req.max_rows.unwrap_or(1000).clamp(1, 10_000),
        ..QueryLimits::default()
    };
    Ok(ApiJson(sql::query(&st, &req.sql, limits).await?))
}

/// Quality per unit (mean of each table's latest batch score).
#[utoipa::path(get, path = "/api/v1/lake/quality", tag = "lake",
    responses((status = 200, body = [UnitQuality])))]
pub(crate) async fn quality(
    State(st): State<LakeState>,
    _who: Authorized<perm::LakeRead>,
) -> Result<ApiJson<Vec<UnitQuality>>, ApiError> {
    Ok(ApiJson(maintain::unit_quality(&st).await?))
}
