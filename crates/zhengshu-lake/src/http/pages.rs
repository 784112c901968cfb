//! Console pages: the lake overview with quality per unit, a table's page (upload, rules,
//! quality chart, history, maintenance), a job's live status, and the SQL page.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use zhengshu_auth::Permission;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::actor_of;
use super::api::{managed, parse_mode, spool_field, table_info, TableInfo};
use crate::ingest::{self, Report};
use crate::maintain::{self, HistoryEntry, UnitQuality};
use crate::read::{self, Format, Limits};
use crate::rules::{Rule, RuleKind};
use crate::sql::{self, QueryLimits, QueryResult};
use crate::store::{self, Job, Quarantined};
use crate::{fmt_bytes, LakeError, LakeState};

fn score(s: &Option<f64>) -> String {
    s.map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into())
}

#[derive(Template)]
#[template(path = "lake/index.html")]
struct IndexPage {
    chrome: Chrome,
    tables: Vec<TableInfo>,
    jobs: Vec<Job>,
    quality: Vec<UnitQuality>,
    chart: String,
    total_rows: i64,
    total_bytes: i64,
    can_query: bool,
    can_ingest: bool,
}

impl IndexPage {
    fn bytes(&self, b: &i64) -> String {
        fmt_bytes(*b)
    }
    fn score(&self, s: &Option<f64>) -> String {
        score(s)
    }
}

/// 数据湖: every table with its size and quality, quality per unit, recent jobs.
pub(crate) async fn index(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeRead>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let mut tables = Vec::new();
    for c in store::tables(&st.db).await? {
        tables.push(table_info(&st, c).await?);
    }
    let quality = maintain::unit_quality(&st).await?;
    let mut days: Vec<String> = quality
        .iter()
        .flat_map(|q| q.history.iter().map(|(d, _)| d.clone()))
        .collect();
    days.sort();
    days.dedup();
    // One line per unit (the ten with the most tables), null where it had no score yet.
    let mut top: Vec<&UnitQuality> = quality.iter().collect();
    top.sort_by_key(|q| std::cmp::Reverse(q.tables));
    let series: Vec<serde_json::Value> = top
        .into_iter()
        .take(10)
        .map(|q| {
            let data: Vec<Option<f64>> = days
                .iter()
                .map(|d| q.history.iter().find(|(x, _)| x == d).map(|(_, v)| *v))
                .collect();
            serde_json::json!({ "name": q.unit_name, "data": data })
        })
        .collect();
    let chart = serde_json::json!({
        "units": quality.iter().map(|q| q.unit_name.clone()).collect::<Vec<_>>(),
        "scores": quality.iter().map(|q| q.score).collect::<Vec<_>>(),
        "days": days,
        "series": series,
    })
    .to_string();
    let page = IndexPage {
        chrome: Chrome::console(&who, lang, "/console/lake"),
        total_rows: tables.iter().map(|t| t.stats.rows).sum(),
        total_bytes: tables.iter().map(|t| t.stats.bytes).sum(),
        tables,
        jobs: store::jobs(&st.db, None, 15).await?,
        quality,
        chart,
        can_query: who.can(Permission::LakeQuery),
        can_ingest: who.can(Permission::LakeIngest),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "lake/table.html")]
struct TablePage {
    chrome: Chrome,
    info: TableInfo,
    items: Vec<zhengshu_catalog::DataItem>,
    rules: Vec<Rule>,
    jobs: Vec<Job>,
    history: Vec<HistoryEntry>,
    chart: String,
    can_manage: bool,
    can_admin: bool,
    message: String,
}

impl TablePage {
    fn bytes(&self, b: &i64) -> String {
        fmt_bytes(*b)
    }
    fn transforms(&self) -> &'static [crate::coerce::Transform] {
        &crate::coerce::Transform::ALL
    }
    fn has(&self, column: &str, t: &crate::coerce::Transform) -> bool {
        self.info
            .connected
            .transforms
            .get(column)
            .is_some_and(|v| v.contains(t))
    }
    fn score(&self, s: &Option<f64>) -> String {
        score(s)
    }
}

async fn table_page_with(
    st: &LakeState,
    who: &zhengshu_http::Principal,
    lang: Lang,
    table: &str,
    message: String,
) -> Result<Response, ApiError> {
    let t = crate::target(st, table).await?;
    let c = store::table(&st.db, table)
        .await?
        .ok_or_else(|| ApiError::not_found("lake table", table))?;
    let series = maintain::quality_series(st, table).await?;
    let chart = serde_json::json!({
        "at": series.iter().map(|s| s.0.get(..16).unwrap_or(&s.0).replace('T', " ")).collect::<Vec<_>>(),
        "scores": series.iter().map(|s| s.1).collect::<Vec<_>>(),
    })
    .to_string();
    let page = TablePage {
        chrome: Chrome::console(who, lang, "/console/lake"),
        info: table_info(st, c).await?,
        can_manage: crate::can_manage(&actor_of(who), &t.resource)
            && who.can(Permission::LakeIngest),
        can_admin: who.can(Permission::LakeAdmin),
        items: t.resource.items,
        rules: t.rules,
        jobs: store::jobs(&st.db, Some(table), 20).await?,
        history: maintain::history(st, table, 20).await.unwrap_or_default(),
        chart,
        message,
    };
    Ok(render(&page))
}

/// A table's page.
pub(crate) async fn table_page(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeRead>,
    lang: Lang,
    Path(table): Path<String>,
) -> Result<Response, ApiError> {
    table_page_with(&st, &who, lang, &table, String::new()).await
}

/// Upload a file into the table: the ingest runs in the background and the browser goes
/// to the job's live page.
pub(crate) async fn upload(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path(table): Path<String>,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    managed(&st, &who, &table).await?;
    let mut mode = None;
    let mut batch_id = None;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
    {
        match field.name().unwrap_or("") {
            "mode" => mode = Some(field.text().await.unwrap_or_default()),
            "batch_id" => batch_id = Some(field.text().await.unwrap_or_default()),
            "file" => {
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let (f, n) = spool_field(field).await?;
                if n > 0 {
                    file = Some((name, f, n));
                }
            }
            _ => {}
        }
    }
    let mode = parse_mode(mode.as_deref())?;
    let (name, f, bytes) =
        file.ok_or_else(|| ApiError::invalid("file", "choose a file to upload"))?;
    let batch_id = batch_id
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let format = Format::from_name(&name);
    let source = tokio::task::spawn_blocking(move || {
        read::open_sized(
            Box::new(f),
            Some(bytes),
            format.unwrap_or(Format::Csv),
            Limits::default(),
        )
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(LakeError::from)?;
    let opts = ingest::Options {
        mode,
        batch_id: Some(batch_id.clone()),
        source: name,
        created_by: Some(who.user.id),
        ..ingest::Options::default()
    };
    let bg = st.clone();
    let t = table.clone();
    let handle = tokio::spawn(async move { ingest::ingest(&bg, &t, source, opts).await });
    // Wait until the job row exists (or the ingest has already answered).
    for _ in 0..200 {
        if let Some(job) = store::job_by_batch(&st.db, &table, &batch_id).await? {
            return Ok(Redirect::to(&format!("/console/lake/jobs/{}", job.id)).into_response());
        }
        if handle.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    match handle.await.map_err(ApiError::internal)? {
        Ok(r) => Ok(Redirect::to(&format!("/console/lake/jobs/{}", r.job_id)).into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "lake/job.html")]
struct JobPage {
    chrome: Chrome,
    job: Job,
    report: Option<Report>,
    quarantine: Vec<Quarantined>,
    can_manage: bool,
    rows_per_sec: String,
}

/// A job: live counters while it runs, the report and quarantine when it is done.
pub(crate) async fn job_page(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeRead>,
    lang: Lang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let job = store::get_job(&st.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("job", id))?;
    let t = crate::target(&st, &job.table_name).await?;
    let can_manage = crate::can_manage(&actor_of(&who), &t.resource);
    let quarantine = if can_manage {
        store::quarantine(&st.db, id, 0, 50).await?
    } else {
        vec![]
    };
    let page = JobPage {
        chrome: Chrome::console(&who, lang, "/console/lake"),
        report: serde_json::from_value(job.report.clone()).ok(),
        rows_per_sec: format!("{:.0}", job.rows_per_sec()),
        job,
        quarantine,
        can_manage,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "lake/job_status.html")]
struct JobStatus {
    chrome: Chrome,
    job: Job,
    rows_per_sec: String,
}

/// The live part of a job page (htmx polls it every second while the job runs).
pub(crate) async fn job_status(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeRead>,
    lang: Lang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let job = store::get_job(&st.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("job", id))?;
    let page = JobStatus {
        chrome: Chrome::console(&who, lang, "/console/lake"),
        rows_per_sec: format!("{:.0}", job.rows_per_sec()),
        job,
    };
    Ok(render(&page))
}

/// The rule form's fields.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RuleForm {
    column: String,
    kind: String,
    #[serde(default)]
    param: String,
    #[serde(default)]
    param2: String,
    #[serde(default)]
    blocking: Option<String>,
}

fn rule_from_form(f: &RuleForm) -> Result<Rule, LakeError> {
    let p = f.param.trim().to_string();
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let kind = match f.kind.as_str() {
        "not_null" => RuleKind::NotNull,
        "unique" => RuleKind::Unique,
        "range" => RuleKind::Range {
            min: opt(&f.param),
            max: opt(&f.param2),
        },
        "allowed" => RuleKind::Allowed {
            values: p
                .split([',', '，', '、'])
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect(),
        },
        "regex" => RuleKind::Regex { pattern: p },
        "resident_id" => RuleKind::ResidentId,
        "credit_code" => RuleKind::CreditCode,
        "mobile" => RuleKind::Mobile,
        "not_future" => RuleKind::NotFuture,
        "freshness" => RuleKind::Freshness,
        "reference" => RuleKind::Reference {
            table: p,
            column: f.param2.trim().to_string(),
        },
        other => {
            return Err(LakeError::invalid(
                "kind",
                format!("`{other}` is not a rule kind"),
            ))
        }
    };
    Ok(Rule {
        id: 0,
        column: f.column.clone(),
        kind,
        blocking: f.blocking.is_some(),
    })
}

/// Adds a rule from the table page's form.
pub(crate) async fn add_rule(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    lang: Lang,
    Path(table): Path<String>,
    ApiForm(f): ApiForm<RuleForm>,
) -> Result<Response, ApiError> {
    managed(&st, &who, &table).await?;
    let result = match rule_from_form(&f) {
        Ok(rule) => crate::add_rule(&st, &table, rule).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/console/lake/{table}#rules")).into_response()),
        Err(LakeError::Invalid(e)) => {
            let msg = e
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ");
            table_page_with(&st, &who, lang, &table, msg).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes a rule.
pub(crate) async fn delete_rule(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    Path((table, id)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    managed(&st, &who, &table).await?;
    store::delete_rule(&st.db, &table, id).await?;
    Ok(Redirect::to(&format!("/console/lake/{table}#rules")).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct MaintainForm {
    action: String,
    #[serde(default)]
    retain_hours: Option<u64>,
}

/// Compaction or vacuum from the table page.
pub(crate) async fn maintain(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeAdmin>,
    lang: Lang,
    Path(table): Path<String>,
    ApiForm(f): ApiForm<MaintainForm>,
) -> Result<Response, ApiError> {
    let msg = match f.action.as_str() {
        "optimize" => {
            let c = maintain::optimize(&st, &table, None).await?;
            format!(
                "compacted: {} files → {}, version {}{}",
                c.files_removed,
                c.files_added,
                c.version,
                c.clustered_by
                    .map(|k| format!(", clustered by {k}"))
                    .unwrap_or_default()
            )
        }
        "vacuum" => {
            let v = maintain::vacuum(&st, &table, f.retain_hours.unwrap_or(168), false).await?;
            format!(
                "vacuumed: {} files deleted (retention {} h)",
                v.files_deleted, v.retention_hours
            )
        }
        other => {
            return Err(ApiError::invalid(
                "action",
                format!("`{other}`: use optimize or vacuum"),
            ))
        }
    };
    table_page_with(&st, &who, lang, &table, msg).await
}

#[derive(Template)]
#[template(path = "lake/sql.html")]
struct SqlPage {
    chrome: Chrome,
    sql: String,
    result: Option<QueryResult>,
    error: String,
    tables: Vec<String>,
    chart: String,
}

async fn table_names(st: &LakeState) -> Result<Vec<String>, ApiError> {
    Ok(store::tables(&st.db)
        .await?
        .into_iter()
        .map(|t| t.table_name)
        .collect())
}

/// The SQL page.
pub(crate) async fn sql_page(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeQuery>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let tables = table_names(&st).await?;
    let sql = tables
        .first()
        .map(|t| format!("SELECT * FROM {t} LIMIT 20"))
        .unwrap_or_default();
    Ok(render(&SqlPage {
        chrome: Chrome::console(&who, lang, "/console/lake/sql"),
        sql,
        result: None,
        error: String::new(),
        tables,
        chart: "null".into(),
    }))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct SqlForm {
    sql: String,
}

/// A bar chart when the result is (label, number) shaped.
fn chart_of(r: &QueryResult) -> String {
    let numeric = |t: &str| {
        t.starts_with("Int")
            || t.starts_with("UInt")
            || t.starts_with("Float")
            || t.starts_with("Decimal")
    };
    if r.columns.len() < 2 || r.rows.is_empty() || r.rows.len() > 200 {
        return "null".into();
    }
    let Some(v) = (1..r.types.len()).find(|&i| numeric(&r.types[i])) else {
        return "null".into();
    };
    let labels: Vec<String> = r
        .rows
        .iter()
        .map(|row| {
            (0..v)
                .map(|i| row[i].clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect();
    let values: Vec<f64> = r
        .rows
        .iter()
        .map(|row| {
            row[v]
                .as_deref()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.0)
        })
        .collect();
    serde_json::json!({"labels": labels, "values": values, "name": r.columns[v]}).to_string()
}

/// Runs the query and shows the result with a chart.
pub(crate) async fn sql_run(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeQuery>,
    lang: Lang,
    ApiForm(f): ApiForm<SqlForm>,
) -> Result<Response, ApiError> {
    let limits = QueryLimits {
        max_rows: 1000,
        ..QueryLimits::default()
    };
    let (result, error) = match sql::query(&st, &f.sql, limits).await {
        Ok(r) => (Some(r), String::new()),
        Err(e) => (None, e.to_string()),
    };
    let chart = result
        .as_ref()
        .map(chart_of)
        .unwrap_or_else(|| "null".into());
    Ok(render(&SqlPage {
        chrome: Chrome::console(&who, lang, "/console/lake/sql"),
        sql: f.sql,
        result,
        error,
        tables: table_names(&st).await?,
        chart,
    }))
}

/// Standardisation per column and the key column, from the table page.
pub(crate) async fn settings(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    lang: Lang,
    Path(table): Path<String>,
    ApiForm(f): ApiForm<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let t = managed(&st, &who, &table).await?;
    let key = f.get("key_column").cloned().unwrap_or_default();
    let mut transforms = std::collections::HashMap::new();
    for item in &t.resource.items {
        let chosen: Vec<crate::coerce::Transform> = crate::coerce::Transform::ALL
            .into_iter()
            .filter(|tr| f.contains_key(&format!("t_{}_{}", item.name, tr.as_str())))
            .collect();
        if !chosen.is_empty() {
            transforms.insert(item.name.clone(), chosen);
        }
    }
    crate::set_settings(&st, &table, &key, &transforms).await?;
    table_page_with(
        &st,
        &who,
        lang,
        &table,
        "settings saved / 设置已保存".into(),
    )
    .await
}
