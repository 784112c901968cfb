//! Console pages of sharing: the overview (requests to answer with their due days,
//! escalations, scenarios), a scenario (request access, grants, tokens), a request (the
//! provider's decision), usage with charts and the audit chain's state.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use crate::audit::{self, AuditRecord, UsageRow};
use crate::model::{
    AccessRequest, Condition, Decision, Grant, GrantState, NewRequest, NewScenario,
    NewScenarioToken, Op, RequestStatus, Scenario, ScenarioToken, Settings,
};
use crate::service::{self, ShareActor, Urgency};
use crate::{ExchangeError, ExchangeState};

type Form = Vec<(String, String)>;

fn field<'a>(f: &'a Form, k: &str) -> &'a str {
    f.iter()
        .find(|(a, _)| a == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn fields(f: &Form, k: &str) -> Vec<String> {
    f.iter()
        .filter(|(a, _)| a == k)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split([',', '，', ' ', '、'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// A request row with its urgency, for the tables.
pub(crate) struct RequestRow {
    pub r: AccessRequest,
    /// `ok`, `warn`, `danger` or ``.
    pub badge: &'static str,
    pub due_label: String,
}

fn rows(
    cal: &zhengshu_core::calendar::WorkingCalendar,
    today: chrono::NaiveDate,
    v: Vec<AccessRequest>,
) -> Vec<RequestRow> {
    v.into_iter()
        .map(|r| {
            let (badge, due_label) = match service::urgency(cal, today, &r) {
                Some(Urgency::Overdue) => ("danger", "已超期 overdue"),
                Some(Urgency::DueSoon) => ("warn", "即将到期 due soon"),
                Some(Urgency::Normal) => ("", "办理中 in time"),
                None => ("", ""),
            };
            RequestRow {
                r,
                badge,
                due_label: due_label.into(),
            }
        })
        .collect()
}

fn status_badge(s: &RequestStatus) -> &'static str {
    match s {
        RequestStatus::Approved => "ok",
        RequestStatus::Pending => "warn",
        RequestStatus::Rejected | RequestStatus::Refused => "danger",
        RequestStatus::Withdrawn => "muted",
    }
}

fn grant_badge(s: &GrantState) -> (&'static str, &'static str) {
    match s {
        GrantState::Active => ("ok", "有效 active"),
        GrantState::Expired => ("muted", "已过期 expired"),
        GrantState::Revoked => ("danger", "已撤销 revoked"),
    }
}

#[derive(Template)]
#[template(path = "share/index.html")]
struct IndexPage {
    chrome: Chrome,
    actor: ShareActor,
    to_review: Vec<RequestRow>,
    escalated: Vec<RequestRow>,
    mine: Vec<RequestRow>,
    scenarios: Vec<Scenario>,
    active_grants: usize,
    overdue: usize,
    settings: Settings,
    message: String,
}

impl IndexPage {
    fn sbadge(&self, s: &RequestStatus) -> &'static str {
        status_badge(s)
    }
}

/// 共享交换: what the caller must answer, escalations (platform), scenarios.
pub(crate) async fn index(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    lang: Lang,
) -> Result<Response, ApiError> {
    index_with(&st, &who, lang, String::new()).await
}

async fn index_with(
    st: &ExchangeState,
    who: &zhengshu_http::Principal,
    lang: Lang,
    message: String,
) -> Result<Response, ApiError> {
    service::escalate_overdue(st).await?;
    let actor = ShareActor::of(who);
    let cal = zhengshu_db::calendar::load(&st.db).await?;
    let today = st.clock.today();
    let all = service::requests_for(st, &actor, None).await?;
    let to_review: Vec<AccessRequest> = all
        .iter()
        .filter(|r| {
            r.status == RequestStatus::Pending
                && actor.can_review
                && (actor.unit_id == Some(r.provider_unit_id))
        })
        .cloned()
        .collect();
    let escalated: Vec<AccessRequest> = if actor.is_admin {
        all.iter()
            .filter(|r| r.status == RequestStatus::Pending && r.escalated_at.is_some())
            .cloned()
            .collect()
    } else {
        vec![]
    };
    let overdue = all
        .iter()
        .filter(|r| service::urgency(&cal, today, r) == Some(Urgency::Overdue))
        .count();
    let grants = service::grants(st, None, None).await?;
    let active_grants = grants
        .iter()
        .filter(|g| {
            g.state == GrantState::Active
                && (actor.is_admin || actor.unit_id == Some(g.provider_unit_id))
        })
        .count();
    let page = IndexPage {
        chrome: Chrome::console(who, lang, "/console/share"),
        to_review: rows(&cal, today, to_review),
        escalated: rows(&cal, today, escalated),
        mine: rows(&cal, today, all.into_iter().take(30).collect()),
        scenarios: service::scenarios(st, None).await?,
        active_grants,
        overdue,
        settings: service::settings(st).await?,
        actor,
        message,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "share/new.html")]
struct NewPage {
    chrome: Chrome,
    form: NewScenario,
    error: String,
}

/// The form to register a scenario.
pub(crate) async fn new_scenario(
    who: Authorized<perm::ShareRequest>,
    lang: Lang,
) -> Result<Response, ApiError> {
    Ok(render(&NewPage {
        chrome: Chrome::console(&who, lang, "/console/share"),
        form: NewScenario::default(),
        error: String::new(),
    }))
}

pub(crate) async fn create_scenario(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    lang: Lang,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let new = NewScenario {
        name: field(&f, "name").into(),
        unit_id: None,
        purpose: field(&f, "purpose").into(),
        legal_basis: field(&f, "legal_basis").into(),
        contact_name: field(&f, "contact_name").into(),
        contact_phone: field(&f, "contact_phone").into(),
        systems: field(&f, "systems").into(),
    };
    match service::register_scenario(&st, &ShareActor::of(&who), &new).await {
        Ok(s) => Ok(Redirect::to(&format!("/console/share/scenarios/{}", s.id)).into_response()),
        Err(e @ (ExchangeError::Invalid { .. } | ExchangeError::Conflict(_))) => {
            Ok(render(&NewPage {
                chrome: Chrome::console(&who, lang, "/console/share"),
                form: new,
                error: e.to_string(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "share/scenario.html")]
struct ScenarioPage {
    chrome: Chrome,
    s: Scenario,
    owns: bool,
    requests: Vec<RequestRow>,
    grants: Vec<Grant>,
    tokens: Vec<ScenarioToken>,
    tables: Vec<(String, String, String)>,
    usage_chart: String,
    secret: String,
    message: String,
}

impl ScenarioPage {
    fn sbadge(&self, s: &RequestStatus) -> &'static str {
        status_badge(s)
    }
    fn gbadge(&self, s: &GrantState) -> (&'static str, &'static str) {
        grant_badge(s)
    }
    fn filter_text(&self, c: &[Condition]) -> String {
        crate::model::describe_all(c)
    }
}

async fn scenario_page(
    st: &ExchangeState,
    who: &zhengshu_http::Principal,
    lang: Lang,
    id: i64,
    secret: String,
    message: String,
) -> Result<Response, ApiError> {
    let s = service::get_scenario(st, id).await?;
    let actor = ShareActor::of(who);
    let owns = actor.owns_unit(s.unit_id);
    let cal = zhengshu_db::calendar::load(&st.db).await?;
    let today = st.clock.today();
    let reqs = crate::store::requests(
        &st.db,
        &crate::store::RequestFilter {
            scenario_id: Some(id),
            ..Default::default()
        },
    )
    .await?;
    let mut tables = Vec::new();
    for c in zhengshu_lake::store::tables(&st.db).await? {
        if let Ok(r) = zhengshu_catalog::service::get(
            &st.catalog,
            Some(&zhengshu_catalog::Actor::system()),
            c.resource_id,
        )
        .await
        {
            tables.push((c.table_name, r.name, r.sharing_type.label_zh().to_string()));
        }
    }
    let since = (today - chrono::Duration::days(29))
        .format("%Y-%m-%d")
        .to_string();
    let usage = audit::usage(&st.db, &since, Some(id), None).await?;
    let page = ScenarioPage {
        chrome: Chrome::console(who, lang, "/console/share"),
        owns,
        requests: rows(&cal, today, reqs),
        grants: service::grants(st, Some(id), None).await?,
        tokens: if owns {
            crate::store::tokens(&st.db, id).await?
        } else {
            vec![]
        },
        tables,
        usage_chart: daily_chart(&usage),
        s,
        secret,
        message,
    };
    Ok(render(&page))
}

/// A scenario: its requests, grants, tokens and calls.
pub(crate) async fn scenario(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    lang: Lang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    scenario_page(&st, &who, lang, id, String::new(), String::new()).await
}

pub(crate) async fn request_access(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let mut row_filter = Vec::new();
    let fcol = field(&f, "filter_column").trim();
    if !fcol.is_empty() {
        let op = Op::parse(field(&f, "filter_op")).unwrap_or(Op::In);
        let mut values = list(field(&f, "filter_values"));
        if op == Op::Range && values.len() == 1 {
            values.push(String::new());
        }
        row_filter.push(Condition {
            column: fcol.to_string(),
            op,
            values,
        });
    }
    let new = NewRequest {
        resource: field(&f, "resource").trim().into(),
        columns: list(field(&f, "columns")),
        raw_columns: list(field(&f, "raw_columns")),
        row_filter,
        purpose: field(&f, "purpose").into(),
        valid_until: Some(field(&f, "valid_until").to_string()).filter(|s| !s.is_empty()),
    };
    match service::request_access(&st, &ShareActor::of(&who), id, &new).await {
        Ok(r) => Ok(Redirect::to(&format!("/console/share/requests/{}", r.id)).into_response()),
        Err(
            e @ (ExchangeError::Invalid { .. }
            | ExchangeError::Conflict(_)
            | ExchangeError::NotFound(_)),
        ) => scenario_page(&st, &who, lang, id, String::new(), e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn create_token(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let new = NewScenarioToken {
        name: field(&f, "name").into(),
        rate_per_minute: field(&f, "rate_per_minute").trim().parse().ok(),
        expires_in_days: field(&f, "expires_in_days").trim().parse().ok(),
    };
    match service::create_token(&st, &ShareActor::of(&who), id, &new).await {
        Ok((_, secret)) => scenario_page(&st, &who, lang, id, secret, String::new()).await,
        Err(e @ ExchangeError::Invalid { .. }) => {
            scenario_page(&st, &who, lang, id, String::new(), e.to_string()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke_token(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let t = crate::store::token_by_id(&st.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("token", id))?;
    service::revoke_token(&st, &ShareActor::of(&who), id).await?;
    Ok(Redirect::to(&format!(
        "/console/share/scenarios/{}#tokens",
        t.scenario_id
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "share/request.html")]
struct RequestPage {
    chrome: Chrome,
    row: RequestRow,
    items: Vec<zhengshu_catalog::DataItem>,
    can_decide: bool,
    grant: Option<Grant>,
    sharing_conditions: String,
    error: String,
}

impl RequestPage {
    fn sbadge(&self, s: &RequestStatus) -> &'static str {
        status_badge(s)
    }
    fn label(&self, name: &str) -> String {
        self.items
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.label.clone())
            .unwrap_or_default()
    }
    fn filter_text(&self, c: &[Condition]) -> String {
        crate::model::describe_all(c)
    }
}

async fn request_page(
    st: &ExchangeState,
    who: &zhengshu_http::Principal,
    lang: Lang,
    id: i64,
    error: String,
) -> Result<Response, ApiError> {
    let actor = ShareActor::of(who);
    let r = service::get_request(st, id).await?;
    if !service::can_see_request(st, &actor, &r).await? {
        return Err(ApiError::forbidden(format!(
            "request {id} is between other units"
        )));
    }
    let resource = zhengshu_catalog::service::get(
        &st.catalog,
        Some(&zhengshu_catalog::Actor::system()),
        r.resource_id,
    )
    .await?;
    let cal = zhengshu_db::calendar::load(&st.db).await?;
    let grant = match r.grant_id {
        Some(g) => Some(service::get_grant(st, g).await?),
        None => None,
    };
    let can_decide = r.status == RequestStatus::Pending && actor.reviews_unit(r.provider_unit_id);
    let page = RequestPage {
        chrome: Chrome::console(who, lang, "/console/share"),
        row: rows(&cal, st.clock.today(), vec![r]).remove(0),
        items: resource.items,
        can_decide,
        grant,
        sharing_conditions: resource.sharing_conditions,
        error,
    };
    Ok(render(&page))
}

/// One request, with the decision form for the provider's reviewers.
pub(crate) async fn request(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    lang: Lang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    request_page(&st, &who, lang, id, String::new()).await
}

pub(crate) async fn decide(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareReview>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let req = service::get_request(&st, id).await?;
    let columns = fields(&f, "columns");
    let raw = fields(&f, "raw_columns");
    let mut extra_filter = Vec::new();
    let fcol = field(&f, "filter_column").trim();
    if !fcol.is_empty() {
        extra_filter.push(Condition {
            column: fcol.into(),
            op: Op::parse(field(&f, "filter_op")).unwrap_or(Op::In),
            values: list(field(&f, "filter_values")),
        });
    }
    let valid_until = field(&f, "valid_until").trim();
    let d = Decision {
        action: field(&f, "action").into(),
        reason: field(&f, "reason").into(),
        columns: (columns != req.columns).then_some(columns),
        raw_columns: (raw != req.raw_columns).then_some(raw),
        extra_filter,
        valid_until: (!valid_until.is_empty() && valid_until != req.valid_until)
            .then(|| valid_until.to_string()),
    };
    match service::decide(&st, &ShareActor::of(&who), id, &d).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/share/requests/{id}")).into_response()),
        Err(e @ (ExchangeError::Invalid { .. } | ExchangeError::Conflict(_))) => {
            request_page(&st, &who, lang, id, e.to_string()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke_grant(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let g = service::revoke_grant(&st, &ShareActor::of(&who), id, field(&f, "reason")).await?;
    Ok(Redirect::to(&format!(
        "/console/share/scenarios/{}#grants",
        g.scenario_id
    ))
    .into_response())
}

fn daily_chart(rows: &[UsageRow]) -> String {
    let mut days: Vec<String> = rows.iter().map(|r| r.day.clone()).collect();
    days.sort();
    days.dedup();
    let calls: Vec<i64> = days
        .iter()
        .map(|d| rows.iter().filter(|r| &r.day == d).map(|r| r.calls).sum())
        .collect();
    let denied: Vec<i64> = days
        .iter()
        .map(|d| rows.iter().filter(|r| &r.day == d).map(|r| r.denied).sum())
        .collect();
    serde_json::json!({ "days": days, "calls": calls, "denied": denied }).to_string()
}

/// (label, calls, rows) totals by some key, largest first.
fn totals<K: Fn(&UsageRow) -> String>(rows: &[UsageRow], key: K) -> Vec<(String, i64, i64)> {
    let mut m: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for r in rows {
        let e = m.entry(key(r)).or_default();
        e.0 += r.calls;
        e.1 += r.rows;
    }
    let mut v: Vec<(String, i64, i64)> = m.into_iter().map(|(k, (c, n))| (k, c, n)).collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    v.truncate(15);
    v
}

#[derive(Template)]
#[template(path = "share/usage.html")]
struct UsagePage {
    chrome: Chrome,
    chart: String,
    by_scenario: Vec<(String, i64, i64)>,
    by_resource: Vec<(String, i64, i64)>,
    by_unit: Vec<(String, i64, i64)>,
    total_calls: i64,
    total_rows: i64,
    is_admin: bool,
    verify: Option<audit::VerifyReport>,
    recent: Vec<AuditRecord>,
}

/// Usage per day, scenario, resource and provider unit; for the platform also the audit
/// chain's state and the latest records.
pub(crate) async fn usage(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let actor = ShareActor::of(&who);
    let rows = super::api::usage_for(&st, &actor, 30, None).await?;
    let scenarios = service::scenarios(&st, None).await?;
    let units = zhengshu_auth::units::list(&st.db, &Default::default()).await?;
    let grants = service::grants(&st, None, None).await?;
    let sname = |id: Option<i64>| {
        id.and_then(|i| scenarios.iter().find(|s| s.id == i))
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "—".into())
    };
    let rname = |id: Option<i64>| {
        id.and_then(|i| grants.iter().find(|g| g.resource_id == i))
            .map(|g| g.resource_name.clone())
            .unwrap_or_else(|| "（多表 SQL / multi-table SQL）".into())
    };
    let uname = |id: Option<i64>| {
        id.and_then(|i| units.iter().find(|u| u.id == i))
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "—".into())
    };
    let (verify, recent) = if actor.is_admin {
        let anchor = audit::Anchor::new(&st.lake.lake);
        (
            Some(audit::verify(&st.db, Some(&anchor)).await?),
            audit::recent(&st.db, 30, None, None).await?,
        )
    } else {
        (None, vec![])
    };
    let page = UsagePage {
        chrome: Chrome::console(&who, lang, "/console/share"),
        chart: daily_chart(&rows),
        by_scenario: totals(&rows, |r| sname(r.scenario_id)),
        by_resource: totals(&rows, |r| rname(r.resource_id)),
        by_unit: totals(&rows, |r| uname(r.provider_unit_id)),
        total_calls: rows.iter().map(|r| r.calls).sum(),
        total_rows: rows.iter().map(|r| r.rows).sum(),
        is_admin: actor.is_admin,
        verify,
        recent,
    };
    Ok(render(&page))
}

pub(crate) async fn settings(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareAdmin>,
    lang: Lang,
    ApiForm(f): ApiForm<Form>,
) -> Result<Response, ApiError> {
    let num = |k: &str| field(&f, k).trim().parse::<i64>().unwrap_or(0);
    let s = Settings {
        review_working_days: num("review_working_days"),
        max_grant_days: num("max_grant_days"),
        default_rate_per_minute: num("default_rate_per_minute"),
    };
    match service::save_settings(&st, &ShareActor::of(&who), &s).await {
        Ok(_) => index_with(&st, &who, lang, "已保存 / Saved".into()).await,
        Err(e @ ExchangeError::Invalid { .. }) => index_with(&st, &who, lang, e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}
