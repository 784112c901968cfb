//! The SQL of the hotline tables, nothing else.

mod stats_rollup;

pub(crate) use stats_rollup::{apply_delta, rebuild as rebuild_rollup, Facts};

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use zhengshu_db::Db;

use crate::model::{AppealType, Channel, OrderState, Satisfaction, Urgency, WorkOrder};
use crate::HotlineError;

pub(crate) const ORDER_COLUMNS: &str = "o.id, o.order_no, o.token, o.channel, o.caller_name, o.caller_phone, o.appeal_type, \
    o.category_code, o.urgency, o.content, o.address, o.street, o.lat, o.lon, o.attributes, o.state, o.lead_unit_id, \
    u.name AS lead_unit_name, o.created_at, o.created_day, o.dispatched_at, o.sign_due_at, o.return_due_at, o.signed_at, \
    o.due_at, o.closed_at, o.reply, o.extension_days, o.reopen_count, o.callback_due_at, o.called_back_at, \
    o.satisfaction, (SELECT m.order_no FROM hotline_orders m WHERE m.id = o.merged_into) AS merged_into_no, \
    o.updated_at, o.version";

pub(crate) const ORDER_FROM: &str = "hotline_orders o LEFT JOIN units u ON u.id = o.lead_unit_id";

pub(crate) fn order_from_row(r: &AnyRow) -> Result<WorkOrder, sqlx::Error> {
    let channel: String = r.try_get("channel")?;
    let appeal: String = r.try_get("appeal_type")?;
    let urgency: String = r.try_get("urgency")?;
    let state: String = r.try_get("state")?;
    let satisfaction: Option<String> = r.try_get("satisfaction")?;
    let attributes: String = r.try_get("attributes")?;
    Ok(WorkOrder {
        id: r.try_get("id")?,
        order_no: r.try_get("order_no")?,
        token: r.try_get("token")?,
        channel: Channel::parse(&channel).unwrap_or(Channel::Phone),
        caller_name: r.try_get("caller_name")?,
        caller_phone: r.try_get("caller_phone")?,
        appeal_type: AppealType::parse(&appeal).unwrap_or(AppealType::Consultation),
        category_code: r.try_get("category_code")?,
        content: r.try_get("content")?,
        address: r.try_get("address")?,
        street: r.try_get("street")?,
        lat: r.try_get("lat")?,
        long: r.try_get("lon")?,
        urgency: Urgency::parse(&urgency).unwrap_or(Urgency::Normal),
        attributes: serde_json::from_str(&attributes).unwrap_or_default(),
        state: OrderState::parse(&state).unwrap_or(OrderState::Accepted),
        lead_unit_id: r.try_get("lead_unit_id")?,
        lead_unit_name: r.try_get("lead_unit_name")?,
        created_at: r.try_get("created_at")?,
        dispatched_at: r.try_get("dispatched_at")?,
        sign_due_at: r.try_get("sign_due_at")?,
        return_due_at: r.try_get("return_due_at")?,
        signed_at: r.try_get("signed_at")?,
        due_at: r.try_get("due_at")?,
        closed_at: r.try_get("closed_at")?,
        reply: r.try_get("reply")?,
        extension_days: r.try_get("extension_days")?,
        reopen_count: r.try_get("reopen_count")?,
        callback_due_at: r.try_get("callback_due_at")?,
        called_back_at: r.try_get("called_back_at")?,
        satisfaction: satisfaction.as_deref().and_then(Satisfaction::parse),
        merged_into: r.try_get("merged_into_no")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

pub(crate) async fn get_by_no(db: &Db, order_no: &str) -> Result<WorkOrder, HotlineError> {
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.order_no = $1"
    ))
    .bind(order_no.trim())
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| HotlineError::NotFound {
        what: "order",
        id: order_no.to_string(),
    })?;
    Ok(order_from_row(&row)?)
}

pub(crate) async fn get_in_tx(
    tx: &mut Transaction<'_, Any>,
    id: i64,
) -> Result<WorkOrder, HotlineError> {
    let row = sqlx::query(&format!(
        "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(order_from_row(&row)?)
}

/// A value bound into a dynamic UPDATE.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Text(Option<String>),
    Int(Option<i64>),
}

/// Column changes of one transition.
#[derive(Debug, Default, Clone)]
pub(crate) struct Patch(pub(crate) Vec<(&'static str, Val)>);

impl Patch {
    pub(crate) fn text(mut self, col: &'static str, v: impl Into<Option<String>>) -> Self {
        self.0.push((col, Val::Text(v.into())));
        self
    }
    pub(crate) fn int(mut self, col: &'static str, v: impl Into<Option<i64>>) -> Self {
        self.0.push((col, Val::Int(v.into())));
        self
    }
}

/// Updates the state and the patched columns if the row still has `version`; false when
/// someone else changed it first.
pub(crate) async fn update_order(
    tx: &mut Transaction<'_, Any>,
    order: &WorkOrder,
    state: OrderState,
    now: &str,
    patch: &Patch,
) -> Result<bool, HotlineError> {
    let mut sql = String::from(
        "UPDATE hotline_orders SET state = $1, updated_at = $2, version = version + 1",
    );
    for (i, (col, _)) in patch.0.iter().enumerate() {
        sql.push_str(&format!(", {col} = ${}", i + 3));
    }
    let n = patch.0.len();
    sql.push_str(&format!(" WHERE id = ${} AND version = ${}", n + 3, n + 4));
    let mut q = sqlx::query(&sql).bind(state.as_str()).bind(now);
    for (_, v) in &patch.0 {
        q = match v {
            Val::Text(t) => q.bind(t.clone()),
            Val::Int(i) => q.bind(*i),
        };
    }
    let r = q
        .bind(order.id)
        .bind(order.version)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// One entry of the order's timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub at: String,
    pub actor_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub action: String,
    pub from_state: Option<OrderState>,
    pub to_state: OrderState,
    pub note: String,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    at: &str,
    actor_id: Option<i64>,
    actor_name: &str,
    unit_id: Option<i64>,
    action: &str,
    from: Option<OrderState>,
    to: OrderState,
    note: &str,
) -> Result<(), HotlineError> {
    sqlx::query(
        "INSERT INTO hotline_events (order_id, at, actor_id, actor_name, unit_id, action, from_state, to_state, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(order_id)
    .bind(at)
    .bind(actor_id)
    .bind(actor_name)
    .bind(unit_id)
    .bind(action)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn events(db: &Db, order_id: i64) -> Result<Vec<Event>, HotlineError> {
    let rows = sqlx::query(
        "SELECT e.at, e.actor_name, e.unit_id, u.name AS unit_name, e.action, e.from_state, e.to_state, e.note \
         FROM hotline_events e LEFT JOIN units u ON u.id = e.unit_id WHERE e.order_id = $1 ORDER BY e.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let from: Option<String> = r.try_get("from_state")?;
        let to: String = r.try_get("to_state")?;
        out.push(Event {
            at: r.try_get("at")?,
            actor_name: r.try_get("actor_name")?,
            unit_id: r.try_get("unit_id")?,
            unit_name: r.try_get("unit_name")?,
            action: r.try_get("action")?,
            from_state: from.as_deref().and_then(OrderState::parse),
            to_state: OrderState::parse(&to).unwrap_or(OrderState::Accepted),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}

/// A co-unit (协办单位) of an order and its part.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoUnit {
    pub unit_id: i64,
    pub unit_name: String,
    pub part: Option<String>,
    pub replied_at: Option<String>,
}

pub(crate) async fn co_units(db: &Db, order_id: i64) -> Result<Vec<CoUnit>, HotlineError> {
    let rows = sqlx::query(
        "SELECT c.unit_id, COALESCE(u.name, '') AS unit_name, c.part, c.replied_at FROM hotline_co_units c \
         LEFT JOIN units u ON u.id = c.unit_id WHERE c.order_id = $1 ORDER BY c.unit_id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CoUnit {
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                part: r.try_get("part")?,
                replied_at: r.try_get("replied_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

pub(crate) async fn set_co_units(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    unit_ids: &[i64],
) -> Result<(), HotlineError> {
    sqlx::query("DELETE FROM hotline_co_units WHERE order_id = $1 AND part IS NULL")
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    for u in unit_ids {
        sqlx::query("INSERT INTO hotline_co_units (order_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(order_id)
            .bind(u)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// An extension request (延期申请) and its decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Extension {
    pub id: i64,
    pub days: i64,
    pub reason: String,
    pub requested_at: String,
    /// `approved`, `refused` or none while pending.
    pub decision: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

pub(crate) async fn extensions(db: &Db, order_id: i64) -> Result<Vec<Extension>, HotlineError> {
    let rows = sqlx::query(
        "SELECT id, days, reason, requested_at, decision, decided_at, decision_note FROM hotline_extensions \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Extension {
                id: r.try_get("id")?,
                days: r.try_get("days")?,
                reason: r.try_get("reason")?,
                requested_at: r.try_get("requested_at")?,
                decision: r.try_get("decision")?,
                decided_at: r.try_get("decided_at")?,
                decision_note: r.try_get("decision_note")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// A supervision notice (督办).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Supervision {
    pub note: String,
    pub unit_name: Option<String>,
    pub created_at: String,
}

pub(crate) async fn supervisions(db: &Db, order_id: i64) -> Result<Vec<Supervision>, HotlineError> {
    let rows = sqlx::query(
        "SELECT s.note, u.name AS unit_name, s.created_at FROM hotline_supervisions s \
         LEFT JOIN units u ON u.id = s.unit_id WHERE s.order_id = $1 ORDER BY s.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Supervision {
                note: r.try_get("note")?,
                unit_name: r.try_get("unit_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The next order number of `day` (`YYYYMMDD`): `GD` + day + a 4-digit (or longer)
/// daily sequence.
pub(crate) async fn next_order_no(
    tx: &mut Transaction<'_, Any>,
    day: &str,
) -> Result<String, HotlineError> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO hotline_order_seq (day, last) VALUES ($1, 1) \
         ON CONFLICT (day) DO UPDATE SET last = hotline_order_seq.last + 1 RETURNING last",
    )
    .bind(day)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("GD{day}{n:04}"))
}

/// Open311 `GET requests`: by ids, or by codes, creation period and Open311 status.
pub(crate) struct RequestSearch<'a> {
    pub(crate) ids: &'a [String],
    pub(crate) codes: &'a [String],
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    /// `Some(true)` open only, `Some(false)` closed only.
    pub(crate) open: Option<bool>,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
}

pub(crate) async fn search_requests(
    db: &Db,
    s: &RequestSearch<'_>,
) -> Result<Vec<WorkOrder>, HotlineError> {
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    // Binds a value and answers its placeholder.
    let mut ph = |v: &str| {
        binds.push(v.to_string());
        format!("${}", binds.len())
    };
    if !s.ids.is_empty() {
        let list: Vec<String> = s.ids.iter().map(|v| ph(v)).collect();
        conds.push(format!("o.order_no IN ({})", list.join(", ")));
    } else {
        if !s.codes.is_empty() {
            let list: Vec<String> = s.codes.iter().map(|v| ph(v)).collect();
            conds.push(format!("o.category_code IN ({})", list.join(", ")));
        }
        if let Some(v) = &s.start {
            conds.push(format!("o.created_at >= {}", ph(v)));
        }
        if let Some(v) = &s.end {
            conds.push(format!("o.created_at <= {}", ph(v)));
        }
        let open = crate::open_states_sql();
        match s.open {
            Some(true) => conds.push(format!("o.state IN ({open})")),
            Some(false) => conds.push(format!("o.state NOT IN ({open})")),
            None => {}
        }
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let sql = format!(
        "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} {where_} ORDER BY o.id DESC LIMIT {} OFFSET {}",
        s.limit, s.offset
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows.iter().map(order_from_row).collect::<Result<_, _>>()?)
}

/// The order number of an Open311 token.
pub(crate) async fn order_no_by_token(
    db: &Db,
    token: &str,
) -> Result<Option<String>, HotlineError> {
    Ok(
        sqlx::query_scalar("SELECT order_no FROM hotline_orders WHERE token = $1")
            .bind(token)
            .fetch_optional(db.pool())
            .await?,
    )
}
