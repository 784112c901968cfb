//! The rules of sharing: who may register, request, decide, revoke; what the sharing type
//! of a resource means for a request; review deadlines in working days and escalation;
//! scenario tokens. Every state change leaves an audit record.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use zhengshu_auth::{hash_secret, random_secret, Permission};
use zhengshu_catalog::model::{SharingType, Status};
use zhengshu_catalog::{Actor, Resource};
use zhengshu_db::ts;
use zhengshu_http::Principal;

use crate::audit::AuditEvent;
use crate::model::{
    AccessRequest, Condition, Decision, Grant, GrantState, NewRequest, NewScenario,
    NewScenarioToken, Op, RequestStatus, Scenario, ScenarioToken, Settings,
};
use crate::query::View;
use crate::store::{self, GrantRow, RequestFilter, RequestRow, ScenarioRow};
use crate::{ExchangeError, ExchangeState};

/// The prefix of scenario tokens (user tokens start with `zs_`).
pub const SCENARIO_TOKEN_PREFIX: &str = zhengshu_auth::token::SCENARIO_TOKEN_PREFIX;

/// Who acts in the exchange, with what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareActor {
    pub user_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Registers scenarios, requests access and manages tokens for its unit's scenarios.
    pub can_request: bool,
    /// Decides requests to its unit's resources.
    pub can_review: bool,
    /// The platform: everything, escalations, settings.
    pub is_admin: bool,
}

impl ShareActor {
    pub fn of(p: &Principal) -> ShareActor {
        ShareActor {
            user_id: Some(p.user.id),
            unit_id: p.user.unit_id,
            can_request: p.can(Permission::ShareRequest),
            can_review: p.can(Permission::ShareReview),
            is_admin: p.can(Permission::ShareAdmin),
        }
    }

    /// The platform itself (demo, CLI).
    pub fn system() -> ShareActor {
        ShareActor {
            user_id: None,
            unit_id: None,
            can_request: true,
            can_review: true,
            is_admin: true,
        }
    }

    /// Whether the actor answers for scenarios of `unit_id`.
    pub fn owns_unit(&self, unit_id: i64) -> bool {
        self.is_admin || (self.can_request && self.unit_id == Some(unit_id))
    }

    /// Whether the actor decides for the provider `unit_id`.
    pub fn reviews_unit(&self, unit_id: i64) -> bool {
        self.is_admin || (self.can_review && self.unit_id == Some(unit_id))
    }

    fn event(&self, kind: &str, outcome: &str) -> AuditEvent {
        AuditEvent {
            kind: kind.into(),
            actor_user_id: self.user_id,
            outcome: outcome.into(),
            detail: json!({}),
            ..Default::default()
        }
    }
}

fn today(st: &ExchangeState) -> NaiveDate {
    st.clock.today()
}

fn today_s(st: &ExchangeState) -> String {
    today(st).format("%Y-%m-%d").to_string()
}

fn check_len(
    field: &str,
    v: &str,
    min: usize,
    max: usize,
    what: &str,
) -> Result<(), ExchangeError> {
    let n = v.trim().chars().count();
    if n < min || n > max {
        return Err(ExchangeError::invalid(
            field,
            format!("{what}: {min}–{max} characters (got {n})"),
        ));
    }
    Ok(())
}

async fn with_unit_names(
    st: &ExchangeState,
    mut v: Vec<Scenario>,
) -> Result<Vec<Scenario>, ExchangeError> {
    let units = zhengshu_auth::units::list(&st.db, &Default::default()).await?;
    for s in &mut v {
        if let Some(u) = units.iter().find(|u| u.id == s.unit_id) {
            s.unit_name = u.name.clone();
        }
    }
    Ok(v)
}

/// Registers a scenario for the actor's unit (platform admins may name another unit).
pub async fn register_scenario(
    st: &ExchangeState,
    actor: &ShareActor,
    new: &NewScenario,
) -> Result<Scenario, ExchangeError> {
    let unit_id = match (new.unit_id, actor.unit_id) {
        (Some(u), _) if actor.is_admin => u,
        (Some(u), Some(own)) if u == own => u,
        (Some(_), _) => {
            return Err(ExchangeError::Forbidden(
                "you may register scenarios of your own unit only".into(),
            ))
        }
        (None, Some(own)) => own,
        (None, None) => {
            return Err(ExchangeError::invalid(
                "unit_id",
                "name the unit that owns the scenario",
            ))
        }
    };
    if !actor.owns_unit(unit_id) {
        return Err(ExchangeError::Forbidden(
            "scenarios are registered by staff of the owning unit".into(),
        ));
    }
    zhengshu_auth::units::get(&st.db, unit_id).await?;
    check_len("name", &new.name, 2, 60, "the scenario's name")?;
    check_len(
        "purpose",
        &new.purpose,
        10,
        2000,
        "say what the scenario uses the data for",
    )?;
    check_len(
        "legal_basis",
        &new.legal_basis,
        4,
        1000,
        "the law, regulation or policy document the use rests on",
    )?;
    check_len(
        "contact_name",
        &new.contact_name,
        2,
        40,
        "the contact person",
    )?;
    let phone = new.contact_phone.trim();
    let phone_ok = zhengshu_core::is_valid_mobile(phone)
        || (phone.len() >= 7
            && phone.len() <= 20
            && phone.chars().all(|c| c.is_ascii_digit() || c == '-'));
    if !phone_ok {
        return Err(ExchangeError::invalid(
            "contact_phone",
            format!("`{phone}` is not a mobile number or a landline like 0755-28950000"),
        ));
    }
    let now = ts(st.clock.now());
    let id = store::insert_scenario(
        &st.db,
        &ScenarioRow {
            name: new.name.trim(),
            unit_id,
            purpose: new.purpose.trim(),
            legal_basis: new.legal_basis.trim(),
            contact_name: new.contact_name.trim(),
            contact_phone: phone,
            systems: new.systems.trim(),
            created_by: actor.user_id,
            created_at: &now,
        },
    )
    .await?;
    let mut ev = actor.event("scenario.create", "ok");
    ev.scenario_id = Some(id);
    ev.detail = json!({ "name": new.name.trim(), "unit_id": unit_id });
    st.audit.append(ev).await?;
    get_scenario(st, id).await
}

pub async fn get_scenario(st: &ExchangeState, id: i64) -> Result<Scenario, ExchangeError> {
    let s = store::scenario_by_id(&st.db, id)
        .await?
        .ok_or_else(|| ExchangeError::NotFound(format!("scenario {id}")))?;
    Ok(with_unit_names(st, vec![s]).await?.remove(0))
}

/// Scenarios: every staff member with `share_read` sees the register (it is not secret
/// within government); `unit_id` narrows it.
pub async fn scenarios(
    st: &ExchangeState,
    unit_id: Option<i64>,
) -> Result<Vec<Scenario>, ExchangeError> {
    let v = store::scenarios(&st.db, unit_id).await?;
    with_unit_names(st, v).await
}

/// Suspends or re-activates a scenario (platform admin): a suspended scenario's tokens
/// are refused.
pub async fn set_scenario_active(
    st: &ExchangeState,
    actor: &ShareActor,
    id: i64,
    active: bool,
) -> Result<Scenario, ExchangeError> {
    if !actor.is_admin {
        return Err(ExchangeError::Forbidden(
            "only the platform suspends scenarios".into(),
        ));
    }
    get_scenario(st, id).await?;
    let status = if active { "active" } else { "suspended" };
    store::set_scenario_status(&st.db, id, status).await?;
    st.cache.invalidate();
    let mut ev = actor.event("scenario.status", status);
    ev.scenario_id = Some(id);
    st.audit.append(ev).await?;
    get_scenario(st, id).await
}

/// Finds a resource by its code or by its lake table name.
pub async fn find_resource(st: &ExchangeState, key: &str) -> Result<Resource, ExchangeError> {
    let key = key.trim();
    if let Some(t) = zhengshu_lake::store::table(&st.db, key).await? {
        return Ok(zhengshu_catalog::service::get(
            &st.catalog,
            Some(&Actor::system()),
            t.resource_id,
        )
        .await?);
    }
    match zhengshu_catalog::service::get_by_code(&st.catalog, Some(&Actor::system()), key).await {
        Ok(r) => Ok(r),
        Err(zhengshu_catalog::CatalogError::NotFound(_)) => Err(ExchangeError::NotFound(format!(
            "resource `{key}` (give its code, e.g. 301001-0042-0001, or its lake table name)"
        ))),
        Err(e) => Err(e.into()),
    }
}

fn check_conditions(r: &Resource, conds: &[Condition], field: &str) -> Result<(), ExchangeError> {
    for (i, c) in conds.iter().enumerate() {
        let f = format!("{field}[{i}]");
        if !r.items.iter().any(|it| it.name == c.column) {
            return Err(ExchangeError::invalid(
                f,
                format!("`{}` is not a data item of {}", c.column, r.code),
            ));
        }
        let ok = match c.op {
            Op::Eq | Op::Prefix => c.values.len() == 1,
            Op::In => !c.values.is_empty() && c.values.len() <= 1000,
            Op::Range => c.values.len() == 2 && c.values.iter().any(|v| !v.trim().is_empty()),
        };
        if !ok {
            return Err(ExchangeError::invalid(
                f,
                format!(
                    "`{}` takes {}",
                    c.op.as_str(),
                    match c.op {
                        Op::Eq | Op::Prefix => "exactly one value",
                        Op::In => "1–1000 values",
                        Op::Range => "two values [low, high], one of them may be empty",
                    }
                ),
            ));
        }
    }
    Ok(())
}

fn parse_day(field: &str, s: &str) -> Result<NaiveDate, ExchangeError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ExchangeError::invalid(field, format!("`{s}` is not a date YYYY-MM-DD")))
}

/// A scenario asks for access. What happens follows the resource's sharing type:
/// 不予共享 is refused at once with the catalog's legal basis; 无条件共享 is granted after
/// the automatic checks (unless raw PII is asked for, which the provider always reviews);
/// 有条件共享 waits for the provider's reviewer until a due day in working days.
pub async fn request_access(
    st: &ExchangeState,
    actor: &ShareActor,
    scenario_id: i64,
    new: &NewRequest,
) -> Result<AccessRequest, ExchangeError> {
    let sc = get_scenario(st, scenario_id).await?;
    if !actor.owns_unit(sc.unit_id) {
        return Err(ExchangeError::Forbidden(format!(
            "scenario {} belongs to {}; its own staff request access",
            sc.name, sc.unit_name
        )));
    }
    if sc.status != "active" {
        return Err(ExchangeError::Conflict(format!(
            "scenario {} is suspended",
            sc.name
        )));
    }
    let r = find_resource(st, &new.resource).await?;
    if r.status != Status::Published {
        return Err(ExchangeError::Conflict(format!(
            "resource {} is not published in the catalog (status {}); only published resources are shared",
            r.code,
            r.status.label_zh()
        )));
    }
    let columns: Vec<String> = if new.columns.is_empty() {
        r.items.iter().map(|i| i.name.clone()).collect()
    } else {
        let mut v = Vec::new();
        for c in &new.columns {
            if !r.items.iter().any(|i| &i.name == c) {
                return Err(ExchangeError::invalid(
                    "columns",
                    format!(
                        "`{c}` is not a data item of {}; its items are {}",
                        r.code,
                        r.items
                            .iter()
                            .map(|i| i.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if !v.contains(c) {
                v.push(c.clone());
            }
        }
        v
    };
    for c in &new.raw_columns {
        let Some(item) = r.items.iter().find(|i| &i.name == c) else {
            return Err(ExchangeError::invalid(
                "raw_columns",
                format!("`{c}` is not a data item of {}", r.code),
            ));
        };
        if !columns.contains(c) {
            return Err(ExchangeError::invalid(
                "raw_columns",
                format!("`{c}` is asked unmasked but not among the requested columns"),
            ));
        }
        if !item.pii_kind.is_sensitive() {
            return Err(ExchangeError::invalid(
                "raw_columns",
                format!("`{c}` is not personal data; it is never masked"),
            ));
        }
    }
    check_conditions(&r, &new.row_filter, "row_filter")?;
    check_len("purpose", &new.purpose, 4, 2000, "say what the data is for")?;
    let settings = store::settings(&st.db).await?;
    let today = today(st);
    let valid_until = match new.valid_until.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_day("valid_until", s)?,
        None => (today + Duration::days(365)).min(today + Duration::days(settings.max_grant_days)),
    };
    if valid_until < today {
        return Err(ExchangeError::invalid(
            "valid_until",
            "the period ends in the past",
        ));
    }
    if valid_until > today + Duration::days(settings.max_grant_days) {
        return Err(ExchangeError::invalid(
            "valid_until",
            format!(
                "grants run at most {} days; end on or before {}",
                settings.max_grant_days,
                today + Duration::days(settings.max_grant_days)
            ),
        ));
    }
    let valid_until_s = valid_until.format("%Y-%m-%d").to_string();
    let now = ts(st.clock.now());
    let (status, reason, due) = match r.sharing_type {
        SharingType::NotShared => (
            RequestStatus::Refused,
            format!("不予共享 — {}", r.sharing_basis),
            None,
        ),
        SharingType::Unconditional if new.raw_columns.is_empty() => (
            RequestStatus::Approved,
            "无条件共享：自动审核通过".to_string(),
            None,
        ),
        _ => {
            let cal = zhengshu_db::calendar::load(&st.db).await?;
            let due = cal.add_working_days(today, settings.review_working_days.max(1) as u32);
            (
                RequestStatus::Pending,
                String::new(),
                Some(due.format("%Y-%m-%d").to_string()),
            )
        }
    };
    let mut tx = st.db.pool().begin().await?;
    let id = store::insert_request(
        &mut tx,
        &RequestRow {
            scenario_id,
            resource_id: r.id,
            resource_code: &r.code,
            resource_name: &r.name,
            provider_unit_id: r.provider_unit_id,
            columns: &columns,
            raw_columns: &new.raw_columns,
            row_filter: &new.row_filter,
            purpose: new.purpose.trim(),
            valid_until: &valid_until_s,
            status: if status == RequestStatus::Approved {
                RequestStatus::Pending
            } else {
                status
            },
            due_date: due.as_deref(),
            reason: if status == RequestStatus::Refused {
                &reason
            } else {
                ""
            },
            created_by: actor.user_id,
            created_at: &now,
        },
    )
    .await?;
    let mut grant_id = None;
    if status == RequestStatus::Approved {
        let g = store::insert_grant(
            &mut tx,
            &GrantRow {
                scenario_id,
                resource_id: r.id,
                resource_code: &r.code,
                resource_name: &r.name,
                provider_unit_id: r.provider_unit_id,
                request_id: id,
                columns: &columns,
                raw_columns: &[],
                row_filter: &new.row_filter,
                valid_until: &valid_until_s,
                created_at: &now,
            },
        )
        .await?;
        st.cache.invalidate();
        store::decide_request(
            &mut tx,
            id,
            RequestStatus::Approved,
            None,
            &now,
            &reason,
            Some(g),
        )
        .await?;
        grant_id = Some(g);
    }
    tx.commit().await?;
    let mut ev = actor.event("request.create", status.as_str());
    ev.scenario_id = Some(scenario_id);
    ev.resource_id = Some(r.id);
    ev.provider_unit_id = Some(r.provider_unit_id);
    ev.detail = json!({
        "request_id": id, "columns": columns, "raw_columns": new.raw_columns,
        "row_filter": new.row_filter, "purpose": new.purpose.trim(), "valid_until": valid_until_s,
        "sharing_type": r.sharing_type.as_str(), "due_date": due, "grant_id": grant_id, "reason": reason,
    });
    st.audit.append(ev).await?;
    get_request(st, id).await
}

pub async fn get_request(st: &ExchangeState, id: i64) -> Result<AccessRequest, ExchangeError> {
    store::request_by_id(&st.db, id)
        .await?
        .ok_or_else(|| ExchangeError::NotFound(format!("access request {id}")))
}

/// Whether the actor may see a request: either side's unit, or the platform.
pub async fn can_see_request(
    st: &ExchangeState,
    actor: &ShareActor,
    r: &AccessRequest,
) -> Result<bool, ExchangeError> {
    if actor.is_admin || actor.unit_id == Some(r.provider_unit_id) {
        return Ok(true);
    }
    let sc = store::scenario_by_id(&st.db, r.scenario_id).await?;
    Ok(sc.is_some_and(|s| actor.unit_id == Some(s.unit_id)))
}

/// Requests the actor may see: the platform sees all; a unit sees those of its scenarios
/// and those to its resources.
pub async fn requests_for(
    st: &ExchangeState,
    actor: &ShareActor,
    status: Option<RequestStatus>,
) -> Result<Vec<AccessRequest>, ExchangeError> {
    if actor.is_admin {
        return store::requests(
            &st.db,
            &RequestFilter {
                status,
                ..Default::default()
            },
        )
        .await;
    }
    let Some(unit) = actor.unit_id else {
        return Ok(vec![]);
    };
    let mut v = store::requests(
        &st.db,
        &RequestFilter {
            provider_unit_id: Some(unit),
            status,
            ..Default::default()
        },
    )
    .await?;
    for r in store::requests(
        &st.db,
        &RequestFilter {
            scenario_unit_id: Some(unit),
            status,
            ..Default::default()
        },
    )
    .await?
    {
        if !v.iter().any(|x| x.id == r.id) {
            v.push(r);
        }
    }
    v.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok(v)
}

/// The provider decides: approve (possibly narrower: fewer columns, fewer raw columns,
/// extra conditions, an earlier end — with a reason) or reject with a reason.
pub async fn decide(
    st: &ExchangeState,
    actor: &ShareActor,
    request_id: i64,
    d: &Decision,
) -> Result<AccessRequest, ExchangeError> {
    let req = get_request(st, request_id).await?;
    if !actor.reviews_unit(req.provider_unit_id) {
        return Err(ExchangeError::Forbidden(format!(
            "request {request_id} is for a resource of another unit; that unit's reviewers (or the platform, once escalated) decide it"
        )));
    }
    if req.status != RequestStatus::Pending {
        return Err(ExchangeError::Conflict(format!(
            "request {request_id} is already {} ({})",
            req.status.as_str(),
            req.status.label_zh()
        )));
    }
    let reason = d.reason.trim();
    let now = ts(st.clock.now());
    let mut ev = actor.event("request.decide", "");
    ev.scenario_id = Some(req.scenario_id);
    ev.resource_id = Some(req.resource_id);
    ev.provider_unit_id = Some(req.provider_unit_id);
    match d.action.trim() {
        "reject" => {
            if reason.chars().count() < 2 {
                return Err(ExchangeError::invalid(
                    "reason",
                    "say why the request is rejected; the scenario sees the reason",
                ));
            }
            let mut tx = st.db.pool().begin().await?;
            if !store::decide_request(
                &mut tx,
                request_id,
                RequestStatus::Rejected,
                actor.user_id,
                &now,
                reason,
                None,
            )
            .await?
            {
                return Err(ExchangeError::Conflict(format!(
                    "request {request_id} was decided meanwhile"
                )));
            }
            tx.commit().await?;
            ev.outcome = "rejected".into();
            ev.detail = json!({ "request_id": request_id, "reason": reason });
        }
        "approve" => {
            let columns = match &d.columns {
                Some(c) if !c.is_empty() => {
                    if let Some(x) = c.iter().find(|x| !req.columns.contains(x)) {
                        return Err(ExchangeError::invalid(
                            "columns",
                            format!(
                                "`{x}` was not requested; a decision may only narrow the request"
                            ),
                        ));
                    }
                    req.columns
                        .iter()
                        .filter(|x| c.contains(x))
                        .cloned()
                        .collect::<Vec<_>>()
                }
                _ => req.columns.clone(),
            };
            let raw = match &d.raw_columns {
                Some(c) => {
                    if let Some(x) = c.iter().find(|x| !req.raw_columns.contains(x)) {
                        return Err(ExchangeError::invalid(
                            "raw_columns",
                            format!("`{x}` was not requested unmasked"),
                        ));
                    }
                    c.clone()
                }
                None => req.raw_columns.clone(),
            };
            let raw: Vec<String> = raw.into_iter().filter(|x| columns.contains(x)).collect();
            let resource = zhengshu_catalog::service::get(
                &st.catalog,
                Some(&Actor::system()),
                req.resource_id,
            )
            .await?;
            check_conditions(&resource, &d.extra_filter, "extra_filter")?;
            let valid_until = match d.valid_until.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => {
                    let v = parse_day("valid_until", s)?;
                    if v.format("%Y-%m-%d").to_string() > req.valid_until {
                        return Err(ExchangeError::invalid(
                            "valid_until",
                            format!(
                                "the request asked until {}; a decision may only shorten it",
                                req.valid_until
                            ),
                        ));
                    }
                    v.format("%Y-%m-%d").to_string()
                }
                None => req.valid_until.clone(),
            };
            let narrowed = columns != req.columns
                || raw != req.raw_columns
                || !d.extra_filter.is_empty()
                || valid_until != req.valid_until;
            if narrowed && reason.chars().count() < 2 {
                return Err(ExchangeError::invalid(
                    "reason",
                    "say why the scope is narrower than asked; the scenario sees the reason",
                ));
            }
            let mut filter = req.row_filter.clone();
            filter.extend(d.extra_filter.iter().cloned());
            let mut tx = st.db.pool().begin().await?;
            let g = store::insert_grant(
                &mut tx,
                &GrantRow {
                    scenario_id: req.scenario_id,
                    resource_id: req.resource_id,
                    resource_code: &req.resource_code,
                    resource_name: &req.resource_name,
                    provider_unit_id: req.provider_unit_id,
                    request_id,
                    columns: &columns,
                    raw_columns: &raw,
                    row_filter: &filter,
                    valid_until: &valid_until,
                    created_at: &now,
                },
            )
            .await?;
            st.cache.invalidate();
            if !store::decide_request(
                &mut tx,
                request_id,
                RequestStatus::Approved,
                actor.user_id,
                &now,
                reason,
                Some(g),
            )
            .await?
            {
                return Err(ExchangeError::Conflict(format!(
                    "request {request_id} was decided meanwhile"
                )));
            }
            tx.commit().await?;
            ev.outcome = if narrowed {
                "approved_narrower"
            } else {
                "approved"
            }
            .into();
            ev.detail = json!({
                "request_id": request_id, "grant_id": g, "columns": columns, "raw_columns": raw,
                "row_filter": filter, "valid_until": valid_until, "reason": reason,
            });
        }
        other => {
            return Err(ExchangeError::invalid(
                "action",
                format!("`{other}` is not a decision; use `approve` or `reject`"),
            ))
        }
    }
    st.audit.append(ev).await?;
    get_request(st, request_id).await
}

/// The scenario withdraws a pending request.
pub async fn withdraw(
    st: &ExchangeState,
    actor: &ShareActor,
    request_id: i64,
) -> Result<AccessRequest, ExchangeError> {
    let req = get_request(st, request_id).await?;
    let sc = get_scenario(st, req.scenario_id).await?;
    if !actor.owns_unit(sc.unit_id) {
        return Err(ExchangeError::Forbidden(
            "only the scenario's own unit withdraws its requests".into(),
        ));
    }
    let now = ts(st.clock.now());
    let mut tx = st.db.pool().begin().await?;
    if !store::decide_request(
        &mut tx,
        request_id,
        RequestStatus::Withdrawn,
        actor.user_id,
        &now,
        "",
        None,
    )
    .await?
    {
        return Err(ExchangeError::Conflict(format!(
            "request {request_id} is no longer pending"
        )));
    }
    tx.commit().await?;
    let mut ev = actor.event("request.withdraw", "withdrawn");
    ev.scenario_id = Some(req.scenario_id);
    ev.resource_id = Some(req.resource_id);
    ev.provider_unit_id = Some(req.provider_unit_id);
    ev.detail = json!({ "request_id": request_id });
    st.audit.append(ev).await?;
    get_request(st, request_id).await
}

/// Marks pending requests past their due day as escalated to the platform admin; returns
/// how many were escalated now. Run by the server every minute and when the console opens.
pub async fn escalate_overdue(st: &ExchangeState) -> Result<usize, ExchangeError> {
    let today = today_s(st);
    let pending = store::requests(
        &st.db,
        &RequestFilter {
            status: Some(RequestStatus::Pending),
            escalated: Some(false),
            ..Default::default()
        },
    )
    .await?;
    let now = ts(st.clock.now());
    let mut n = 0;
    for r in pending {
        if r.due_date.as_deref().is_some_and(|d| d < today.as_str())
            && store::mark_escalated(&st.db, r.id, &now).await?
        {
            let mut ev = ShareActor::system().event("request.escalate", "escalated");
            ev.actor_user_id = None;
            ev.scenario_id = Some(r.scenario_id);
            ev.resource_id = Some(r.resource_id);
            ev.provider_unit_id = Some(r.provider_unit_id);
            ev.detail = json!({ "request_id": r.id, "due_date": r.due_date });
            st.audit.append(ev).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// How a pending request stands against its due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// More than one working day left.
    Normal,
    /// Due today or the next working day.
    DueSoon,
    Overdue,
}

/// The urgency of a request today.
pub fn urgency(
    cal: &zhengshu_core::calendar::WorkingCalendar,
    today: NaiveDate,
    r: &AccessRequest,
) -> Option<Urgency> {
    if r.status != RequestStatus::Pending {
        return None;
    }
    let due = NaiveDate::parse_from_str(r.due_date.as_deref()?, "%Y-%m-%d").ok()?;
    Some(if due < today {
        Urgency::Overdue
    } else if cal.working_days_between(today, due) <= 1 {
        Urgency::DueSoon
    } else {
        Urgency::Normal
    })
}

pub async fn get_grant(st: &ExchangeState, id: i64) -> Result<Grant, ExchangeError> {
    store::grant_by_id(&st.db, id, &today_s(st))
        .await?
        .ok_or_else(|| ExchangeError::NotFound(format!("grant {id}")))
}

/// Grants of a scenario, to a provider, or all.
pub async fn grants(
    st: &ExchangeState,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
) -> Result<Vec<Grant>, ExchangeError> {
    store::grants(&st.db, scenario_id, provider_unit_id, &today_s(st)).await
}

/// Revokes a grant: the provider's reviewers, the platform, or the scenario's own unit
/// (giving it up).
pub async fn revoke_grant(
    st: &ExchangeState,
    actor: &ShareActor,
    id: i64,
    reason: &str,
) -> Result<Grant, ExchangeError> {
    let g = get_grant(st, id).await?;
    let sc = get_scenario(st, g.scenario_id).await?;
    if !(actor.reviews_unit(g.provider_unit_id) || actor.owns_unit(sc.unit_id)) {
        return Err(ExchangeError::Forbidden(
            "the provider's reviewers, the scenario's unit or the platform revoke a grant".into(),
        ));
    }
    if reason.trim().chars().count() < 2 {
        return Err(ExchangeError::invalid(
            "reason",
            "say why the grant is revoked",
        ));
    }
    if g.state == GrantState::Revoked {
        return Err(ExchangeError::Conflict(format!(
            "grant {id} is already revoked"
        )));
    }
    let now = ts(st.clock.now());
    store::revoke_grant(&st.db, id, actor.user_id, &now, reason.trim()).await?;
    st.cache.invalidate();
    let mut ev = actor.event("grant.revoke", "revoked");
    ev.scenario_id = Some(g.scenario_id);
    ev.resource_id = Some(g.resource_id);
    ev.provider_unit_id = Some(g.provider_unit_id);
    ev.detail = json!({ "grant_id": id, "reason": reason.trim() });
    st.audit.append(ev).await?;
    get_grant(st, id).await
}

/// Issues a token for a scenario; returns it with the secret, shown once.
pub async fn create_token(
    st: &ExchangeState,
    actor: &ShareActor,
    scenario_id: i64,
    new: &NewScenarioToken,
) -> Result<(ScenarioToken, String), ExchangeError> {
    let sc = get_scenario(st, scenario_id).await?;
    if !actor.owns_unit(sc.unit_id) {
        return Err(ExchangeError::Forbidden(
            "tokens are issued by the scenario's own unit".into(),
        ));
    }
    check_len("name", &new.name, 1, 80, "give the token a name")?;
    let settings = store::settings(&st.db).await?;
    let rate = new
        .rate_per_minute
        .unwrap_or(settings.default_rate_per_minute);
    if !(1..=100_000).contains(&rate) {
        return Err(ExchangeError::invalid(
            "rate_per_minute",
            format!("{rate} is out of range 1–100000"),
        ));
    }
    let now = st.clock.now();
    let expires_at = match new.expires_in_days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(ts(now + Duration::days(d))),
        Some(d) => {
            return Err(ExchangeError::invalid(
                "expires_in_days",
                format!("{d} is out of range 1–3650"),
            ))
        }
    };
    let secret = format!("{SCENARIO_TOKEN_PREFIX}{}", random_secret(40));
    let prefix: String = secret.chars().take(10).collect();
    let id = store::insert_token(
        &st.db,
        scenario_id,
        new.name.trim(),
        &prefix,
        &hash_secret(&secret),
        rate,
        expires_at.as_deref(),
        actor.user_id,
        &ts(now),
    )
    .await?;
    let mut ev = actor.event("token.create", "ok");
    ev.scenario_id = Some(scenario_id);
    ev.token_id = Some(id);
    ev.detail =
        json!({ "name": new.name.trim(), "rate_per_minute": rate, "expires_at": expires_at });
    st.audit.append(ev).await?;
    let t = store::token_by_id(&st.db, id)
        .await?
        .ok_or_else(|| ExchangeError::NotFound(format!("token {id}")))?;
    Ok((t, secret))
}

pub async fn revoke_token(
    st: &ExchangeState,
    actor: &ShareActor,
    id: i64,
) -> Result<(), ExchangeError> {
    let t = store::token_by_id(&st.db, id)
        .await?
        .ok_or_else(|| ExchangeError::NotFound(format!("token {id}")))?;
    let sc = get_scenario(st, t.scenario_id).await?;
    if !actor.owns_unit(sc.unit_id) {
        return Err(ExchangeError::Forbidden(
            "tokens are revoked by the scenario's own unit".into(),
        ));
    }
    if !store::revoke_token(&st.db, id, &ts(st.clock.now())).await? {
        return Err(ExchangeError::Conflict(format!(
            "token {id} is already revoked"
        )));
    }
    st.cache.invalidate();
    let mut ev = actor.event("token.revoke", "revoked");
    ev.scenario_id = Some(t.scenario_id);
    ev.token_id = Some(id);
    st.audit.append(ev).await?;
    Ok(())
}

/// Resolves a presented scenario token: unknown, revoked and expired tokens are refused,
/// as are the tokens of a suspended scenario.
pub async fn authenticate(
    st: &ExchangeState,
    secret: &str,
) -> Result<(ScenarioToken, Scenario), ExchangeError> {
    let bad = || {
        ExchangeError::Unauthenticated(format!(
            "send a valid scenario token as `Authorization: Bearer {SCENARIO_TOKEN_PREFIX}…` (issued on the scenario's console page)"
        ))
    };
    if !secret.starts_with(SCENARIO_TOKEN_PREFIX) {
        return Err(bad());
    }
    let hash = hash_secret(secret);
    let generation = st.cache.generation();
    let (mut t, sc) = match st.cache.token(&hash) {
        Some(hit) => hit,
        None => {
            let t = store::token_by_hash(&st.db, &hash).await?.ok_or_else(bad)?;
            let sc = store::scenario_by_id(&st.db, t.scenario_id)
                .await?
                .ok_or_else(bad)?;
            st.cache
                .put_token(&hash, (t.clone(), sc.clone()), generation);
            (t, sc)
        }
    };
    let now = st.clock.now();
    if t.revoked_at.is_some() {
        return Err(ExchangeError::Unauthenticated(format!(
            "token {} was revoked",
            t.prefix
        )));
    }
    if t.expires_at
        .as_deref()
        .and_then(zhengshu_db::parse_ts)
        .is_some_and(|e| e <= now)
    {
        return Err(ExchangeError::Unauthenticated(format!(
            "token {} expired",
            t.prefix
        )));
    }
    if sc.status != "active" {
        return Err(ExchangeError::Forbidden(format!(
            "scenario {} is suspended; its tokens are refused",
            sc.name
        )));
    }
    let stale = t
        .last_used_at
        .as_deref()
        .and_then(zhengshu_db::parse_ts)
        .is_none_or(|u| now - u >= Duration::seconds(60));
    if stale {
        store::touch_token(&st.db, t.id, &ts(now)).await?;
        t.last_used_at = Some(ts(now));
        st.cache
            .put_token(&hash, (t.clone(), sc.clone()), generation);
    }
    Ok((t, sc))
}

/// The views a scenario may read now: for each resource the newest active grant, if the
/// resource has a lake table.
pub async fn views(st: &ExchangeState, scenario_id: i64) -> Result<Vec<View>, ExchangeError> {
    let mut out: Vec<View> = Vec::new();
    for g in grants(st, Some(scenario_id), None).await? {
        if g.state != GrantState::Active || out.iter().any(|v| v.grant.resource_id == g.resource_id)
        {
            continue;
        }
        let Some(t) = zhengshu_lake::store::table_of_resource(&st.db, g.resource_id).await? else {
            continue;
        };
        out.push(view_of(st, g, t).await?);
    }
    Ok(out)
}

/// The view of one resource (its lake table name or resource code) that a scenario may
/// read now, if it may. The same answer as looking it up in [`views`], but it loads the
/// table and catalog entry of that one grant only, not of every grant the scenario holds
/// (a share call names one resource), and it is served from the [`crate::cache`] while
/// that holds it.
pub async fn view(
    st: &ExchangeState,
    scenario_id: i64,
    resource: &str,
) -> Result<Option<View>, ExchangeError> {
    let today = today_s(st);
    if let Some(v) = st.cache.view(scenario_id, resource) {
        if v.grant.valid_until.as_str() >= today.as_str() {
            return Ok(Some(v));
        }
    }
    let generation = st.cache.generation();
    let found = find_view(st, scenario_id, resource).await?;
    if let Some(v) = &found {
        st.cache
            .put_view(scenario_id, resource, v.clone(), generation);
    }
    Ok(found)
}

async fn find_view(
    st: &ExchangeState,
    scenario_id: i64,
    resource: &str,
) -> Result<Option<View>, ExchangeError> {
    let grants = grants(st, Some(scenario_id), None).await?;
    let newest_active = |resource_id: i64| {
        grants
            .iter()
            .find(|g| g.resource_id == resource_id && g.state == GrantState::Active)
    };
    // Grants come newest first.
    if let Some(g) = grants
        .iter()
        .find(|g| g.resource_code == resource && g.state == GrantState::Active)
    {
        let Some(t) = zhengshu_lake::store::table_of_resource(&st.db, g.resource_id).await? else {
            return Ok(None);
        };
        return Ok(Some(view_of(st, g.clone(), t).await?));
    }
    let Some(t) = zhengshu_lake::store::table(&st.db, resource).await? else {
        return Ok(None);
    };
    match newest_active(t.resource_id) {
        Some(g) => Ok(Some(view_of(st, g.clone(), t).await?)),
        None => Ok(None),
    }
}

/// A grant's view of its resource's lake table `t`.
async fn view_of(
    st: &ExchangeState,
    g: Grant,
    t: zhengshu_lake::store::Connected,
) -> Result<View, ExchangeError> {
    // The resource's items and the table's key; not `zhengshu_lake::target`, which also
    // loads the quality rules a read does not need.
    let resource =
        zhengshu_catalog::service::get(&st.catalog, Some(&Actor::system()), g.resource_id).await?;
    Ok(View {
        table: t.table_name,
        items: resource.items,
        key: t.key_column,
        grant: g,
    })
}

pub async fn settings(st: &ExchangeState) -> Result<Settings, ExchangeError> {
    store::settings(&st.db).await
}

pub async fn save_settings(
    st: &ExchangeState,
    actor: &ShareActor,
    s: &Settings,
) -> Result<Settings, ExchangeError> {
    if !actor.is_admin {
        return Err(ExchangeError::Forbidden(
            "only the platform changes sharing settings".into(),
        ));
    }
    if !(1..=30).contains(&s.review_working_days) {
        return Err(ExchangeError::invalid(
            "review_working_days",
            "1–30 working days (local rules: 5–10)",
        ));
    }
    if !(1..=3650).contains(&s.max_grant_days) {
        return Err(ExchangeError::invalid("max_grant_days", "1–3650 days"));
    }
    if !(1..=100_000).contains(&s.default_rate_per_minute) {
        return Err(ExchangeError::invalid(
            "default_rate_per_minute",
            "1–100000",
        ));
    }
    store::save_settings(&st.db, s).await?;
    let mut ev = actor.event("settings.save", "ok");
    ev.detail = serde_json::to_value(s).unwrap_or_default();
    st.audit.append(ev).await?;
    Ok(s.clone())
}
