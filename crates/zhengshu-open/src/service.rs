//! The portal's rules: which datasets the public sees, who may read a conditionally
//! opened one, applications and their decisions, app keys.

use axum::http::HeaderMap;
use chrono::{Duration, NaiveDate};
use zhengshu_catalog::model::{OpenType, Resource, Status};
use zhengshu_catalog::search::{SearchParams, Viewer};
use zhengshu_db::ts;
use zhengshu_http::Principal;

use crate::model::{AppDecision, AppKey, AppStatus, Application, Caller, Dataset, NewApplication};
use crate::store::{self, AppFilter};
use crate::{OpenError, OpenState};

/// Working days a provider has to decide an application (the platform may change it).
pub const DEFAULT_REVIEW_WORKING_DAYS: i64 = 10;
/// Calls per minute of a new app key.
pub const DEFAULT_KEY_RATE: i64 = 600;
/// Longest period an application may be approved for.
pub const MAX_APPROVAL_DAYS: i64 = 3 * 365;

fn today(st: &OpenState) -> NaiveDate {
    st.clock.today()
}

/// Today in China time, YYYY-MM-DD (the day statistics are counted on).
pub fn today_s(st: &OpenState) -> String {
    today(st).format("%Y-%m-%d").to_string()
}

/// How many datasets the public sees.
pub async fn open_count(st: &OpenState) -> Result<i64, OpenError> {
    let page = zhengshu_catalog::find::search(
        &st.catalog,
        Viewer::Public,
        &SearchParams {
            limit: 0,
            ..SearchParams::default()
        },
        false,
    )
    .await?;
    Ok(page.total as i64)
}

/// Whether the public sees `r`: published and opened (无条件开放 or 有条件开放).
pub fn is_open(r: &Resource) -> bool {
    r.status == Status::Published && r.open_type.is_public()
}

/// The dataset with this code (or numeric id), if the public sees it; else not found,
/// whether it does not exist or is not opened (its existence is not revealed).
pub async fn dataset(st: &OpenState, code: &str) -> Result<Dataset, OpenError> {
    let code = code.trim();
    let found = match code.parse::<i64>() {
        Ok(id) => zhengshu_catalog::service::get(&st.catalog, None, id).await,
        Err(_) => zhengshu_catalog::service::get_by_code(&st.catalog, None, code).await,
    };
    let r = match found {
        Ok(r) => r,
        Err(zhengshu_catalog::CatalogError::NotFound(_)) => {
            return Err(OpenError::NotFound(format!("dataset `{code}`")))
        }
        Err(e) => return Err(e.into()),
    };
    if !is_open(&r) {
        return Err(OpenError::NotFound(format!("dataset `{code}`")));
    }
    dataset_of(st, r).await
}

/// The portal's view of an opened resource with its lake table, if connected. Cheap (two
/// indexed lookups): the hot API path uses it; pages add [`figures`].
pub async fn dataset_of(st: &OpenState, r: Resource) -> Result<Dataset, OpenError> {
    let connected = zhengshu_lake::store::table_of_resource(&st.db, r.id).await?;
    Ok(dataset_with(r, connected))
}

/// The dataset of `r` with its lake table `connected` (already looked up).
pub fn dataset_with(r: Resource, connected: Option<zhengshu_lake::store::Connected>) -> Dataset {
    let (table, key) = match connected {
        Some(t) => (Some(t.table_name), t.key_column),
        None => (None, String::new()),
    };
    Dataset {
        last_update: r
            .published_at
            .clone()
            .unwrap_or_else(|| r.updated_at.clone()),
        resource: r,
        table,
        key,
        rows: None,
        version: None,
        quality: None,
    }
}

/// Fills in the figures of a dataset with data: rows and version (from the Delta log's
/// file list), the time of the last commit, and the latest batch's quality score.
pub async fn figures(st: &OpenState, ds: &mut Dataset) -> Result<(), OpenError> {
    let Some(name) = ds.table.clone() else {
        return Ok(());
    };
    if let Ok(table) = st.lake.lake.open(&name).await {
        if let Ok(s) = zhengshu_lake::table::stats(&table) {
            ds.rows = Some(s.rows);
            ds.version = Some(s.version);
        }
    }
    if let Some(at) = zhengshu_lake::maintain::history(&st.lake, &name, 1)
        .await
        .ok()
        .and_then(|h| h.into_iter().next())
        .and_then(|e| e.timestamp)
        .and_then(|t| zhengshu_db::parse_ts(&t))
    {
        ds.last_update = ts(at);
    }
    ds.quality = zhengshu_lake::maintain::quality_series(&st.lake, &name)
        .await?
        .last()
        .map(|(_, q)| *q);
    Ok(())
}

/// Looks for an app key: `Authorization: zso_…` (CKAN clients send it bare) or
/// `Authorization: Bearer zso_…`, or `X-CKAN-API-Key: zso_…`.
pub fn key_in(headers: &HeaderMap) -> Option<String> {
    let bare = |v: &str| {
        let v = v.trim();
        let v = v.strip_prefix("Bearer ").unwrap_or(v).trim();
        v.starts_with(zhengshu_auth::token::OPEN_KEY_PREFIX)
            .then(|| v.to_string())
    };
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bare)
        .or_else(|| {
            headers
                .get("x-ckan-api-key")
                .and_then(|v| v.to_str().ok())
                .and_then(bare)
        })
}

/// Who is calling: an app key if one is sent (checked, rate-limited), else the signed-in
/// user, else anonymous.
pub async fn caller(
    st: &OpenState,
    headers: &HeaderMap,
    principal: Option<&Principal>,
) -> Result<Caller, OpenError> {
    if let Some(secret) = key_in(headers) {
        let key = authenticate_key(st, &secret).await?;
        if let Err(retry_after) =
            st.limiter
                .check(key.id, key.rate_per_minute, std::time::Instant::now())
        {
            return Err(OpenError::RateLimited {
                limit: key.rate_per_minute,
                retry_after,
            });
        }
        return Ok(Caller::Key {
            key_id: key.id,
            user_id: key.user_id,
        });
    }
    Ok(match principal {
        Some(p) => Caller::User { user_id: p.user.id },
        None => Caller::Anonymous,
    })
}

/// The active application of `user_id` for `resource_id`, if any.
pub async fn active_application(
    st: &OpenState,
    user_id: i64,
    resource_id: i64,
) -> Result<Option<Application>, OpenError> {
    let today = today_s(st);
    Ok(store::applications(
        &st.db,
        &AppFilter {
            user_id: Some(user_id),
            resource_id: Some(resource_id),
            status: Some(AppStatus::Approved),
            ..AppFilter::default()
        },
    )
    .await?
    .into_iter()
    .find(|a| a.is_active(&today)))
}

/// Whether `caller` may read the data of `ds`: anyone for 无条件开放; for 有条件开放 a
/// signed-in user or app key whose application was approved (and has not expired).
pub async fn may_read(st: &OpenState, caller: &Caller, ds: &Dataset) -> Result<bool, OpenError> {
    if ds.resource.open_type == OpenType::Unconditional {
        return Ok(true);
    }
    match caller.user_id() {
        None => Ok(false),
        Some(u) => Ok(active_application(st, u, ds.resource.id).await?.is_some()),
    }
}

/// [`may_read`], or the error that says what to do.
pub async fn authorize(st: &OpenState, caller: &Caller, ds: &Dataset) -> Result<(), OpenError> {
    if may_read(st, caller, ds).await? {
        return Ok(());
    }
    let code = &ds.resource.code;
    match caller {
        Caller::Anonymous => Err(OpenError::Unauthenticated(format!(
            "dataset {code} is conditionally opened (有条件开放: {}); sign in and apply at \
             /open/datasets/{code}, then download signed in or send your app key in the \
             Authorization header",
            ds.resource.open_conditions
        ))),
        _ => Err(OpenError::Forbidden(format!(
            "dataset {code} is conditionally opened and you hold no approved application \
             for it; apply at /open/datasets/{code}"
        ))),
    }
}

fn check_len(field: &str, v: &str, min: usize, max: usize) -> Result<(), OpenError> {
    let n = v.trim().chars().count();
    if n < min || n > max {
        return Err(OpenError::invalid(
            field,
            format!("{min}–{max} characters, {n} given"),
        ));
    }
    Ok(())
}

/// A registered user applies for a conditionally opened dataset.
pub async fn apply(
    st: &OpenState,
    user_id: i64,
    new: &NewApplication,
) -> Result<Application, OpenError> {
    let ds = dataset(st, &new.dataset).await?;
    if ds.resource.open_type != OpenType::Conditional {
        return Err(OpenError::Conflict(format!(
            "dataset {} is opened without conditions: download it, no application is needed",
            ds.resource.code
        )));
    }
    check_len("purpose", &new.purpose, 10, 1000)?;
    check_len("organisation", &new.organisation, 0, 200)?;
    check_len("contact", &new.contact, 0, 200)?;
    let mine = store::applications(
        &st.db,
        &AppFilter {
            user_id: Some(user_id),
            resource_id: Some(ds.resource.id),
            ..AppFilter::default()
        },
    )
    .await?;
    let today_s = today_s(st);
    if let Some(a) = mine
        .iter()
        .find(|a| a.status == AppStatus::Pending || a.is_active(&today_s))
    {
        return Err(OpenError::Conflict(format!(
            "you already have application {} for this dataset ({})",
            a.id,
            a.status.label_en().to_lowercase()
        )));
    }
    let cal = zhengshu_db::calendar::load(&st.db).await?;
    let due = cal
        .add_working_days(today(st), st.review_working_days.max(1) as u32)
        .format("%Y-%m-%d")
        .to_string();
    let id = store::insert_application(
        &st.db,
        user_id,
        &ds.resource,
        new.purpose.trim(),
        new.organisation.trim(),
        new.contact.trim(),
        &due,
        &ts(st.clock.now()),
    )
    .await?;
    application(st, id).await
}

pub async fn application(st: &OpenState, id: i64) -> Result<Application, OpenError> {
    store::application_by_id(&st.db, id)
        .await?
        .ok_or_else(|| OpenError::NotFound(format!("application {id}")))
}

/// A reviewer of the provider unit, or the platform.
#[derive(Debug, Clone, Copy)]
pub struct Reviewer {
    pub user_id: i64,
    pub unit_id: Option<i64>,
    pub is_admin: bool,
}

impl Reviewer {
    pub fn of(p: &Principal) -> Reviewer {
        Reviewer {
            user_id: p.user.id,
            unit_id: p.user.unit_id,
            is_admin: p.can(zhengshu_auth::Permission::OpenAdmin),
        }
    }

    fn may_decide(&self, a: &Application) -> bool {
        self.is_admin || self.unit_id == Some(a.provider_unit_id)
    }
}

/// The applications a reviewer sees: their unit's (all for the platform).
pub async fn review_queue(
    st: &OpenState,
    who: &Reviewer,
    status: Option<AppStatus>,
) -> Result<Vec<Application>, OpenError> {
    if !who.is_admin && who.unit_id.is_none() {
        return Ok(Vec::new());
    }
    store::applications(
        &st.db,
        &AppFilter {
            provider_unit_id: if who.is_admin { None } else { who.unit_id },
            status,
            ..AppFilter::default()
        },
    )
    .await
}

/// The provider decides a pending application.
pub async fn decide(
    st: &OpenState,
    who: &Reviewer,
    id: i64,
    d: &AppDecision,
) -> Result<Application, OpenError> {
    let a = application(st, id).await?;
    if !who.may_decide(&a) {
        return Err(OpenError::Forbidden(
            "only reviewers of the unit that provides the dataset decide its applications".into(),
        ));
    }
    if a.status != AppStatus::Pending {
        return Err(OpenError::Conflict(format!(
            "application {id} is {} already",
            a.status.label_en().to_lowercase()
        )));
    }
    let now = ts(st.clock.now());
    let (to, valid_until) = if d.approve {
        let until = match d
            .valid_until
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => today(st) + Duration::days(365),
            Some(s) => {
                let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    OpenError::invalid("valid_until", format!("`{s}` is not a date YYYY-MM-DD"))
                })?;
                if day < today(st) || day > today(st) + Duration::days(MAX_APPROVAL_DAYS) {
                    return Err(OpenError::invalid(
                        "valid_until",
                        format!("from today up to {MAX_APPROVAL_DAYS} days ahead"),
                    ));
                }
                day
            }
        };
        (
            AppStatus::Approved,
            Some(until.format("%Y-%m-%d").to_string()),
        )
    } else {
        check_len("reason", &d.reason, 2, 1000)
            .map_err(|_| OpenError::invalid("reason", "a rejection needs a reason"))?;
        (AppStatus::Rejected, None)
    };
    if !store::set_status(
        &st.db,
        id,
        AppStatus::Pending,
        to,
        Some(who.user_id),
        d.reason.trim(),
        valid_until.as_deref(),
        &now,
    )
    .await?
    {
        return Err(OpenError::Conflict(format!(
            "application {id} was decided meanwhile"
        )));
    }
    application(st, id).await
}

/// The applicant withdraws a pending application.
pub async fn withdraw(st: &OpenState, user_id: i64, id: i64) -> Result<Application, OpenError> {
    let a = application(st, id).await?;
    if a.user_id != user_id {
        return Err(OpenError::NotFound(format!("application {id}")));
    }
    if !store::set_status(
        &st.db,
        id,
        AppStatus::Pending,
        AppStatus::Withdrawn,
        None,
        "",
        None,
        &ts(st.clock.now()),
    )
    .await?
    {
        return Err(OpenError::Conflict(format!(
            "application {id} is {}; only a pending one can be withdrawn",
            a.status.label_en().to_lowercase()
        )));
    }
    application(st, id).await
}

/// The provider (or the platform) revokes an approval, with a reason.
pub async fn revoke(
    st: &OpenState,
    who: &Reviewer,
    id: i64,
    reason: &str,
) -> Result<Application, OpenError> {
    let a = application(st, id).await?;
    if !who.may_decide(&a) {
        return Err(OpenError::Forbidden(
            "only reviewers of the providing unit revoke its approvals".into(),
        ));
    }
    check_len("reason", reason, 2, 1000)?;
    if !store::set_status(
        &st.db,
        id,
        AppStatus::Approved,
        AppStatus::Revoked,
        Some(who.user_id),
        reason.trim(),
        None,
        &ts(st.clock.now()),
    )
    .await?
    {
        return Err(OpenError::Conflict(format!(
            "application {id} is not approved"
        )));
    }
    application(st, id).await
}

/// The user's applications, newest first.
pub async fn my_applications(st: &OpenState, user_id: i64) -> Result<Vec<Application>, OpenError> {
    store::applications(
        &st.db,
        &AppFilter {
            user_id: Some(user_id),
            ..AppFilter::default()
        },
    )
    .await
}

/// Issues an app key (shown once) to a user holding at least one approved application.
pub async fn create_key(
    st: &OpenState,
    user_id: i64,
    name: &str,
) -> Result<(AppKey, String), OpenError> {
    check_len("name", name, 1, 80)?;
    let today = today_s(st);
    if !my_applications(st, user_id)
        .await?
        .iter()
        .any(|a| a.is_active(&today))
    {
        return Err(OpenError::Conflict(
            "an app key unlocks conditionally opened datasets you are approved for; you hold \
             no approved application yet (open datasets need no key)"
                .into(),
        ));
    }
    let secret = format!(
        "{}{}",
        zhengshu_auth::token::OPEN_KEY_PREFIX,
        zhengshu_auth::random_secret(40)
    );
    let prefix: String = secret.chars().take(10).collect();
    let id = store::insert_key(
        &st.db,
        user_id,
        name.trim(),
        &prefix,
        &zhengshu_auth::hash_secret(&secret),
        DEFAULT_KEY_RATE,
        &ts(st.clock.now()),
    )
    .await?;
    let key = store::keys(&st.db, user_id)
        .await?
        .into_iter()
        .find(|k| k.id == id)
        .ok_or_else(|| OpenError::NotFound(format!("app key {id}")))?;
    Ok((key, secret))
}

pub async fn revoke_key(st: &OpenState, user_id: i64, id: i64) -> Result<(), OpenError> {
    if store::revoke_key(&st.db, user_id, id, &ts(st.clock.now())).await? {
        Ok(())
    } else {
        Err(OpenError::NotFound(format!("app key {id}")))
    }
}

/// The key with this secret, if it exists and is not revoked.
pub async fn authenticate_key(st: &OpenState, secret: &str) -> Result<AppKey, OpenError> {
    let bad = || {
        OpenError::Unauthenticated(
            "unknown or revoked app key; issue a new one at /open/account".into(),
        )
    };
    let key = store::key_by_hash(&st.db, &zhengshu_auth::hash_secret(secret.trim()))
        .await?
        .ok_or_else(bad)?;
    if key.revoked_at.is_some() {
        return Err(bad());
    }
    // At most one write a minute per key for "last used".
    let now = st.clock.now();
    let stale = key
        .last_used_at
        .as_deref()
        .and_then(zhengshu_db::parse_ts)
        .is_none_or(|t| now - t > Duration::seconds(60));
    if stale {
        store::touch_key(&st.db, key.id, &ts(now)).await?;
    }
    Ok(key)
}
