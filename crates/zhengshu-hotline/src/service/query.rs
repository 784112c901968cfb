//! Reading orders: the filtered list with warning badges, and one order with its timeline.

use serde::{Deserialize, Serialize};
use zhengshu_auth::Permission;
use zhengshu_db::ts;

use super::Hotline;
use crate::deadline::{add_working_days, warning_of, Warning};
use crate::model::{Action, OrderState, Satisfaction, WorkOrder};
use crate::store::{self, CoUnit, Event, Extension, Supervision, ORDER_COLUMNS, ORDER_FROM};
use crate::HotlineError;

/// Filters of the order list (all optional).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct OrderFilter {
    /// A state (`dispatched`, …), or `open` / `closed`.
    pub state: Option<String>,
    pub street: Option<String>,
    pub category: Option<String>,
    pub appeal_type: Option<String>,
    pub unit_id: Option<i64>,
    /// `yellow` (due within a working day) or `red` (overdue).
    pub warning: Option<String>,
    /// Order number or words of the content.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// One line of the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderRow {
    #[serde(flatten)]
    pub order: WorkOrder,
    pub category_name: String,
    pub warning: Warning,
}

/// A page of orders.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderList {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub orders: Vec<OrderRow>,
}

/// One order with everything that happened to it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderDetail {
    pub order: WorkOrder,
    pub category_name: String,
    pub warning: Warning,
    pub events: Vec<Event>,
    pub co_units: Vec<CoUnit>,
    pub extensions: Vec<Extension>,
    pub supervisions: Vec<Supervision>,
    /// What the viewer may do now (action names).
    pub allowed_actions: Vec<String>,
}

fn escape_like(s: &str) -> String {
    s.replace(['%', '_'], "")
}

impl Hotline {
    /// The warning of an order now: against the sign deadline while waiting to be signed,
    /// the handling deadline while open, the call-back deadline once closed.
    pub(crate) fn warning_now(
        &self,
        cal: &zhengshu_core::WorkingCalendar,
        o: &WorkOrder,
    ) -> Warning {
        let now = self.now();
        match o.state {
            OrderState::Dispatched => warning_of(
                cal,
                o.dispatched_at.as_deref(),
                o.sign_due_at.as_deref(),
                now,
            )
            .max(warning_of(
                cal,
                o.dispatched_at.as_deref(),
                o.due_at.as_deref(),
                now,
            )),
            OrderState::Signed
            | OrderState::Handling
            | OrderState::ExtensionPending
            | OrderState::Returned => {
                warning_of(cal, o.dispatched_at.as_deref(), o.due_at.as_deref(), now)
            }
            OrderState::Closed => warning_of(
                cal,
                o.closed_at.as_deref(),
                o.callback_due_at.as_deref(),
                now,
            ),
            _ => Warning::None,
        }
    }

    /// The filtered, paged order list, newest first.
    pub async fn list(&self, f: &OrderFilter) -> Result<OrderList, HotlineError> {
        let cfg = self.config().await?;
        let now = self.now();
        let page_size = f.page_size.unwrap_or(50).clamp(1, 500);
        let page = f.page.unwrap_or(1).max(1);
        let mut conds: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut add = |conds: &mut Vec<String>, cond: &str, v: String| {
            binds.push(v);
            conds.push(cond.replace('?', &format!("${}", binds.len())));
        };
        let open_list = OrderState::open_states()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        match f.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some("open") => conds.push(format!("o.state IN ({open_list})")),
            Some("closed") => conds.push(format!("o.state NOT IN ({open_list})")),
            Some(s) => {
                let st = OrderState::parse(s).ok_or_else(|| {
                    HotlineError::invalid("state", format!("`{s}` is not a state"))
                })?;
                add(&mut conds, "o.state = ?", st.as_str().to_string());
            }
            None => {}
        }
        if let Some(s) = f.street.as_deref().filter(|s| !s.trim().is_empty()) {
            let st = crate::model::street(s)
                .ok_or_else(|| HotlineError::invalid("street", format!("`{s}` is not a street")))?;
            add(&mut conds, "o.street = ?", st.to_string());
        }
        if let Some(c) = f.category.as_deref().filter(|s| !s.trim().is_empty()) {
            add(&mut conds, "o.category_code = ?", c.trim().to_uppercase());
        }
        if let Some(a) = f.appeal_type.as_deref().filter(|s| !s.trim().is_empty()) {
            let at = crate::model::AppealType::parse(a).ok_or_else(|| {
                HotlineError::invalid("appeal_type", format!("`{a}` is not an appeal type"))
            })?;
            add(&mut conds, "o.appeal_type = ?", at.as_str().to_string());
        }
        match f
            .warning
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some("red") => {
                conds.push(format!(
                    "o.state IN ({open_list}) AND o.state <> 'accepted'"
                ));
                add(&mut conds, "o.due_at < ?", ts(now));
            }
            Some("yellow") => {
                conds.push(format!(
                    "o.state IN ({open_list}) AND o.state <> 'accepted'"
                ));
                add(&mut conds, "o.due_at >= ?", ts(now));
                add(
                    &mut conds,
                    "o.due_at < ?",
                    ts(add_working_days(&cfg.calendar, now, 1)),
                );
            }
            Some(w) => {
                return Err(HotlineError::invalid(
                    "warning",
                    format!("`{w}` is not a warning; use yellow or red"),
                ))
            }
            None => {}
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if q.starts_with("GD") && q.len() >= 10 && q.chars().skip(2).all(|c| c.is_ascii_digit())
            {
                add(&mut conds, "o.order_no = ?", q.to_string());
            } else {
                add(
                    &mut conds,
                    "o.content LIKE ?",
                    format!("%{}%", escape_like(q)),
                );
            }
        }
        if let Some(u) = f.unit_id {
            // An integer, so it is written into the SQL rather than bound.
            conds.push(format!("(o.lead_unit_id = {u} OR o.id IN (SELECT order_id FROM hotline_co_units WHERE unit_id = {u}))"));
        }
        let where_ = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM hotline_orders o {where_}");
        let list_sql = format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} {where_} ORDER BY o.id DESC LIMIT {page_size} OFFSET {}",
            (page - 1) * page_size
        );
        let mut cq = sqlx::query_scalar::<_, i64>(&count_sql);
        let mut lq = sqlx::query(&list_sql);
        for b in &binds {
            cq = cq.bind(b.clone());
            lq = lq.bind(b.clone());
        }
        let total = cq.fetch_one(self.db.pool()).await?;
        let rows = lq.fetch_all(self.db.pool()).await?;
        let mut orders = Vec::with_capacity(rows.len());
        for r in rows {
            let o = store::order_from_row(&r)?;
            orders.push(OrderRow {
                category_name: o.category_name().to_string(),
                warning: self.warning_now(&cfg.calendar, &o),
                order: o,
            });
        }
        Ok(OrderList {
            total,
            page,
            page_size,
            orders,
        })
    }

    /// One order by number.
    pub async fn get(&self, order_no: &str) -> Result<WorkOrder, HotlineError> {
        store::get_by_no(&self.db, order_no).await
    }

    /// One order with its timeline, co-units, extensions, supervision notices and the
    /// actions the viewer may take.
    pub async fn detail(
        &self,
        order_no: &str,
        viewer: &[Permission],
        viewer_unit: Option<i64>,
    ) -> Result<OrderDetail, HotlineError> {
        let cfg = self.config().await?;
        let order = store::get_by_no(&self.db, order_no).await?;
        let co_units = store::co_units(&self.db, order.id).await?;
        let allowed = viewer_actions(&order, &co_units, viewer, viewer_unit)
            .into_iter()
            .map(|a| a.as_str().to_string())
            .collect();
        let mut allowed_actions: Vec<String> = allowed;
        allowed_actions.dedup();
        Ok(OrderDetail {
            category_name: order.category_name().to_string(),
            warning: self.warning_now(&cfg.calendar, &order),
            events: store::events(&self.db, order.id).await?,
            extensions: store::extensions(&self.db, order.id).await?,
            supervisions: store::supervisions(&self.db, order.id).await?,
            co_units,
            order,
            allowed_actions,
        })
    }
}

/// The actions a viewer with `perms`, acting for `unit`, may take on `order` now.
pub fn viewer_actions(
    order: &WorkOrder,
    co_units: &[CoUnit],
    perms: &[Permission],
    unit: Option<i64>,
) -> Vec<Action> {
    let lead = unit.is_some() && unit == order.lead_unit_id;
    let co = unit.is_some_and(|u| co_units.iter().any(|c| c.unit_id == u));
    let mut out: Vec<Action> = Vec::new();
    for a in order.state.allowed_actions() {
        let ok = match a {
            Action::Dispatch
            | Action::AnswerDirectly
            | Action::Redispatch
            | Action::Merge
            | Action::CallBack(_) => perms.contains(&Permission::HotlineIntake),
            Action::Sign
            | Action::Return
            | Action::Handle
            | Action::RequestExtension
            | Action::Reply => perms.contains(&Permission::HotlineHandle) && lead,
            Action::CoReply => perms.contains(&Permission::HotlineHandle) && co,
            Action::ApproveExtension | Action::RefuseExtension | Action::Supervise => {
                perms.contains(&Permission::HotlineSupervise)
            }
        };
        if ok && !out.iter().any(|x| x.as_str() == a.as_str()) {
            out.push(a);
        }
    }
    if order.state == OrderState::Closed && out.iter().any(|a| matches!(a, Action::CallBack(_))) {
        out.retain(|a| !matches!(a, Action::CallBack(s) if *s != Satisfaction::Satisfied));
    }
    out
}
