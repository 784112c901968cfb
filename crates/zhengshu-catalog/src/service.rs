//! The rules of the catalog: who may do what, the lifecycle
//! (draft → submitted → published or returned → deprecated), a version per change,
//! and keeping the search index in step after every commit.

use serde::Serialize;
use sqlx::AnyConnection;
use zhengshu_db::ts;

use crate::model::{Action, NewResource, Resource, Status, ValidResource};
use crate::search::Viewer;
use crate::store::{self, Stamp, Transition, VersionRow};
use crate::version;
use crate::{CatalogError, CatalogState};

/// Who acts: a signed-in user (or the system, for demo seeding and imports run by the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub unit_id: Option<i64>,
    /// Holds CatalogRead.
    pub can_read: bool,
    /// Holds CatalogWrite: registers resources of their own unit.
    pub can_write: bool,
    /// Holds CatalogReview: sees everything, approves and returns.
    pub can_review: bool,
}

impl Actor {
    /// The platform itself (demo data, CLI): may do everything.
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "系统".into(),
            unit_id: None,
            can_read: true,
            can_write: true,
            can_review: true,
        }
    }

    /// What this actor may see in search.
    pub fn viewer(&self) -> Viewer {
        Viewer::Staff {
            unit_id: self.unit_id,
            can_write: self.can_write,
            can_review: self.can_review,
        }
    }

    fn owns(&self, r: &Resource) -> bool {
        self.can_write && (self.can_review || self.unit_id == Some(r.provider_unit_id))
    }
}

/// Whether `who` (None = the public) may see `r`.
pub fn can_see(who: Option<&Actor>, r: &Resource) -> bool {
    match who {
        None => r.status == Status::Published && r.open_type.is_public(),
        Some(a) if a.can_review => true,
        Some(a) if a.can_write && a.unit_id == Some(r.provider_unit_id) => true,
        Some(a) => a.can_read && matches!(r.status, Status::Published | Status::Deprecated),
    }
}

async fn load(conn: &mut AnyConnection, id: i64) -> Result<Resource, CatalogError> {
    store::get(conn, id)
        .await?
        .ok_or_else(|| CatalogError::NotFound(id.to_string()))
}

/// A resource `who` may see, else not found (its existence is not revealed).
pub async fn get(
    state: &CatalogState,
    who: Option<&Actor>,
    id: i64,
) -> Result<Resource, CatalogError> {
    let mut conn = state.db.pool().acquire().await?;
    let r = load(&mut conn, id).await?;
    if !can_see(who, &r) {
        return Err(CatalogError::NotFound(id.to_string()));
    }
    Ok(r)
}

/// By code, for the public pages and exports.
pub async fn get_by_code(
    state: &CatalogState,
    who: Option<&Actor>,
    code: &str,
) -> Result<Resource, CatalogError> {
    let mut conn = state.db.pool().acquire().await?;
    let r = store::get_by_code(&mut conn, code)
        .await?
        .ok_or_else(|| CatalogError::NotFound(code.to_string()))?;
    if !can_see(who, &r) {
        return Err(CatalogError::NotFound(code.to_string()));
    }
    Ok(r)
}

/// Validates `new` for `actor`: fields, the unit exists, the actor may register for it,
/// and the code (given or generated) is free. Returns the valid entry and its code.
pub(crate) async fn prepare(
    conn: &mut AnyConnection,
    actor: &Actor,
    new: &NewResource,
    keep_code: Option<&str>,
) -> Result<(ValidResource, String), CatalogError> {
    let v = new.validate(actor.unit_id).map_err(CatalogError::Invalid)?;
    if !actor.can_review && actor.unit_id != Some(v.provider_unit_id) {
        return Err(CatalogError::Forbidden(
            "you can register resources of your own unit only; a reviewer can register for other units".into(),
        ));
    }
    let unit: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1")
        .bind(v.provider_unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    if unit.is_none() {
        return Err(CatalogError::invalid(
            "provider_unit_id",
            format!("unit {} does not exist", v.provider_unit_id),
        ));
    }
    let code = match (&v.code, keep_code) {
        (Some(code), keep) if keep != Some(code.as_str()) => {
            if store::code_exists(conn, code).await? {
                return Err(CatalogError::DuplicateCode(code.clone()));
            }
            code.clone()
        }
        (_, Some(keep))
            if keep.starts_with(&format!("{}-{:04}-", v.classification, v.provider_unit_id)) =>
        {
            keep.to_string()
        }
        _ => {
            let seq = store::next_sequence(conn, &v.classification, v.provider_unit_id).await?;
            if seq > 9999 {
                return Err(CatalogError::invalid(
                    "classification",
                    "all 9999 sequence numbers of this classification and unit are used",
                ));
            }
            format!("{}-{:04}-{seq:04}", v.classification, v.provider_unit_id)
        }
    };
    Ok((v, code))
}

/// Records a version (snapshot after the change) and a change row; returns the resource.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    id: i64,
    action: Action,
    actor: &Actor,
    comment: &str,
    now: &str,
) -> Result<Resource, CatalogError> {
    let version = store::bump_version(conn, id).await?;
    let r = load(conn, id).await?;
    let snapshot = serde_json::to_string(&r).map_err(|e| CatalogError::Index(e.to_string()))?;
    let row = VersionRow {
        version,
        action: action.as_str().into(),
        actor_id: actor.user_id,
        actor_name: actor.name.clone(),
        comment: comment.into(),
        snapshot,
        created_at: now.into(),
    };
    store::insert_version(conn, id, &row).await?;
    store::record_change(conn, Some(id), now).await?;
    Ok(r)
}

/// Registers a new draft (草稿).
pub async fn create(
    state: &CatalogState,
    actor: &Actor,
    new: &NewResource,
) -> Result<Resource, CatalogError> {
    if !actor.can_write {
        return Err(CatalogError::Forbidden(
            "registering resources needs the catalog_write permission".into(),
        ));
    }
    let now = ts(state.clock.now());
    let mut tx = state.db.pool().begin().await?;
    let (v, code) = prepare(&mut tx, actor, new, None).await?;
    let id = store::insert(
        &mut tx,
        &v,
        &code,
        Status::Draft,
        &Stamp {
            actor_id: actor.user_id,
            now: &now,
        },
    )
    .await?;
    let r = record(&mut tx, id, Action::Create, actor, "", &now).await?;
    tx.commit().await?;
    state.index.apply(std::slice::from_ref(&r), &[])?;
    Ok(r)
}

/// Changes a draft or returned entry.
pub async fn update(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
    new: &NewResource,
) -> Result<Resource, CatalogError> {
    let now = ts(state.clock.now());
    let mut tx = state.db.pool().begin().await?;
    let old = load(&mut tx, id).await?;
    if !can_see(Some(actor), &old) {
        return Err(CatalogError::NotFound(id.to_string()));
    }
    if !actor.owns(&old) {
        return Err(CatalogError::Forbidden(format!(
            "resource {} belongs to another unit",
            old.code
        )));
    }
    if !old.status.is_editable() {
        return Err(CatalogError::Conflict(format!(
            "resource {} is {}; only drafts and returned entries can be edited",
            old.code,
            old.status.label_zh()
        )));
    }
    // The code the form sends back is the current one: kept unless the classification
    // or the provider changed (then a new code is generated).
    let mut new = new.clone();
    if new.code.as_deref() == Some(old.code.as_str()) {
        new.code = None;
    }
    let (v, code) = prepare(&mut tx, actor, &new, Some(&old.code)).await?;
    store::update(&mut tx, id, &v, &code, &now).await?;
    let r = record(&mut tx, id, Action::Update, actor, "", &now).await?;
    tx.commit().await?;
    state.index.apply(std::slice::from_ref(&r), &[])?;
    Ok(r)
}

/// A lifecycle step: the statuses it starts from, where it goes, and how it is recorded.
struct Step {
    from: &'static [Status],
    to: Status,
    action: Action,
}

async fn transition(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
    Step { from, to, action }: Step,
    comment: &str,
    mut t: Transition<'_>,
) -> Result<Resource, CatalogError> {
    let now_t = state.clock.now();
    let now = ts(now_t);
    let mut tx = state.db.pool().begin().await?;
    let old = load(&mut tx, id).await?;
    if !can_see(Some(actor), &old) {
        return Err(CatalogError::NotFound(id.to_string()));
    }
    let reviewing = matches!(action, Action::Approve | Action::Return);
    if reviewing && !actor.can_review {
        return Err(CatalogError::Forbidden(
            "reviewing needs the catalog_review permission".into(),
        ));
    }
    let may_act =
        reviewing || actor.owns(&old) || (action == Action::Deprecate && actor.can_review);
    if !may_act {
        return Err(CatalogError::Forbidden(format!(
            "resource {} belongs to another unit",
            old.code
        )));
    }
    if reviewing && actor.user_id.is_some() && old.submitted_by == actor.user_id {
        return Err(CatalogError::Forbidden(
            "you submitted this entry; another reviewer must review it".into(),
        ));
    }
    if !from.contains(&old.status) {
        let allowed = from
            .iter()
            .map(|s| s.label_zh())
            .collect::<Vec<_>>()
            .join("/");
        return Err(CatalogError::Conflict(format!(
            "resource {} is {}; {} needs it to be {allowed}",
            old.code,
            old.status.label_zh(),
            action.label_zh()
        )));
    }
    if to == Status::Published {
        t.published_at = Some(&now);
        t.publish_date = Some(state.clock.today().format("%Y-%m-%d").to_string());
    }
    if !store::set_status(&mut tx, id, old.status, to, &t, &now).await? {
        return Err(CatalogError::Conflict(format!(
            "resource {} changed meanwhile; reload and try again",
            old.code
        )));
    }
    let r = record(&mut tx, id, action, actor, comment, &now).await?;
    tx.commit().await?;
    state.index.apply(std::slice::from_ref(&r), &[])?;
    Ok(r)
}

/// Sends a draft or returned entry to review (待审核).
pub async fn submit(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
) -> Result<Resource, CatalogError> {
    let t = Transition {
        submitted_by: actor.user_id,
        ..Default::default()
    };
    transition(
        state,
        actor,
        id,
        Step {
            from: &[Status::Draft, Status::Returned],
            to: Status::Submitted,
            action: Action::Submit,
        },
        "",
        t,
    )
    .await
}

/// Approves a submitted entry: it is published (已发布).
pub async fn approve(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
    comment: &str,
) -> Result<Resource, CatalogError> {
    let comment = comment.trim();
    let t = Transition {
        review_comment: Some(comment),
        ..Default::default()
    };
    transition(
        state,
        actor,
        id,
        Step {
            from: &[Status::Submitted],
            to: Status::Published,
            action: Action::Approve,
        },
        comment,
        t,
    )
    .await
}

/// Returns a submitted entry to its provider with a comment saying what to fix.
pub async fn return_for_changes(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
    comment: &str,
) -> Result<Resource, CatalogError> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(CatalogError::invalid(
            "comment",
            "say what the provider must fix (退回意见)",
        ));
    }
    let t = Transition {
        review_comment: Some(comment),
        ..Default::default()
    };
    transition(
        state,
        actor,
        id,
        Step {
            from: &[Status::Submitted],
            to: Status::Returned,
            action: Action::Return,
        },
        comment,
        t,
    )
    .await
}

/// Withdraws a published resource (已废止).
pub async fn deprecate(
    state: &CatalogState,
    actor: &Actor,
    id: i64,
    comment: &str,
) -> Result<Resource, CatalogError> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(CatalogError::invalid(
            "comment",
            "give the reason for deprecating (废止原因)",
        ));
    }
    transition(
        state,
        actor,
        id,
        Step {
            from: &[Status::Published],
            to: Status::Deprecated,
            action: Action::Deprecate,
        },
        comment,
        Transition::default(),
    )
    .await
}

/// Entries waiting for review, oldest first.
pub async fn review_queue(state: &CatalogState, limit: i64) -> Result<Vec<Resource>, CatalogError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::list_by_status(&mut conn, Status::Submitted, limit).await?)
}

/// One entry of the version history, with what changed since the previous one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Version {
    pub version: i64,
    pub action: Action,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub comment: String,
    pub created_at: String,
    pub changes: Vec<version::FieldChange>,
}

/// The history of a resource `who` may see, oldest first.
pub async fn versions(
    state: &CatalogState,
    who: &Actor,
    id: i64,
) -> Result<Vec<Version>, CatalogError> {
    let mut conn = state.db.pool().acquire().await?;
    let r = load(&mut conn, id).await?;
    if !can_see(Some(who), &r) {
        return Err(CatalogError::NotFound(id.to_string()));
    }
    let rows = store::versions(&mut conn, id).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut previous: Option<serde_json::Value> = None;
    for row in rows {
        let snap: serde_json::Value = serde_json::from_str(&row.snapshot).unwrap_or_default();
        let changes = version::diff(previous.as_ref(), &snap);
        previous = Some(snap);
        out.push(Version {
            version: row.version,
            action: Action::parse(&row.action).unwrap_or(Action::Update),
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            comment: row.comment,
            created_at: row.created_at,
            changes,
        });
    }
    Ok(out)
}

/// Inserts already-published resources in one transaction, each with a version by the
/// system actor (bypassing review); then brings the index up to date. For demo data.
pub async fn publish_directly(
    state: &CatalogState,
    news: &[NewResource],
) -> Result<Vec<i64>, CatalogError> {
    let actor = Actor::system();
    let now = ts(state.clock.now());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let mut tx = state.db.pool().begin().await?;
    let mut ids = Vec::with_capacity(news.len());
    for (i, new) in news.iter().enumerate() {
        let (mut v, code) = prepare(&mut tx, &actor, new, None)
            .await
            .map_err(|e| match e {
                CatalogError::Invalid(errors) => CatalogError::Invalid(
                    errors
                        .into_iter()
                        .map(|mut f| {
                            f.field = format!("[{i}] {}", f.field);
                            f
                        })
                        .collect(),
                ),
                other => other,
            })?;
        v.publish_date.get_or_insert_with(|| today.clone());
        let id = store::insert(
            &mut tx,
            &v,
            &code,
            Status::Published,
            &Stamp {
                actor_id: None,
                now: &now,
            },
        )
        .await?;
        record(&mut tx, id, Action::Publish, &actor, "", &now).await?;
        ids.push(id);
    }
    tx.commit().await?;
    state.index.sync(&state.db, state.clock.now()).await?;
    Ok(ids)
}
