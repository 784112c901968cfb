//! 受理: taking in a new order, dispatched at once when the operator names the lead unit.

use sqlx::Row;
use zhengshu_core::china_offset;
use zhengshu_db::ts;

use super::{created_day, Actor, Hotline};
use crate::model::{Channel, NewOrder, OrderState, ValidOrder, WorkOrder};
use crate::store::{self, Facts};
use crate::HotlineError;

/// How an order arrived, beyond its fields.
#[derive(Debug, Clone, Default)]
pub struct Intake {
    /// Overrides the channel of the form (the Open311 API sets `open311`).
    pub channel: Option<Channel>,
    /// Open311 `attribute[code]` values.
    pub attributes: Option<serde_json::Value>,
    /// The Open311 key the order was posted with.
    pub api_key_id: Option<i64>,
    /// Give the order an Open311 token.
    pub with_token: bool,
}

impl Hotline {
    /// Creates an order from an operator's form (JSON API or console).
    pub async fn create(&self, actor: &Actor, new: &NewOrder) -> Result<WorkOrder, HotlineError> {
        self.create_with(actor, new, Intake::default()).await
    }

    /// Creates an order; with `lead_unit_id` it is dispatched in the same transaction.
    pub async fn create_with(
        &self,
        actor: &Actor,
        new: &NewOrder,
        intake: Intake,
    ) -> Result<WorkOrder, HotlineError> {
        let mut v: ValidOrder = new.validate()?;
        if let Some(c) = intake.channel {
            v.channel = c;
        }
        if let Some(a) = intake.attributes {
            v.attributes = a;
        }
        let (lead_name, co_units) = match new.lead_unit_id {
            Some(lead) => {
                let (unit, co) = self.check_units(lead, &new.co_unit_ids).await?;
                (Some(unit.name), co)
            }
            None if !new.co_unit_ids.is_empty() => {
                return Err(HotlineError::invalid(
                    "co_unit_ids",
                    "co-units need a lead unit (lead_unit_id)",
                ))
            }
            None => (None, Vec::new()),
        };
        let cfg = if new.lead_unit_id.is_some() {
            Some(self.config().await?)
        } else {
            None
        };
        let token = intake.with_token.then(|| zhengshu_auth::random_secret(24));
        let _guard = self.write_guard().await;
        let now = self.now();
        let now_s = ts(now);
        let local = now.with_timezone(&china_offset());
        let day = local.format("%Y-%m-%d").to_string();
        let mut tx = self.db.pool().begin().await?;
        let order_no = store::next_order_no(&mut tx, &local.format("%Y%m%d").to_string()).await?;
        let (state, dispatch) = match (&cfg, new.lead_unit_id) {
            (Some(cfg), Some(_)) => {
                let r = &cfg.rules;
                let sign = r.sign().after(&cfg.calendar, now);
                let ret = r.return_limit().after(&cfg.calendar, now);
                let due = r.handle(v.appeal_type, v.urgency).after(&cfg.calendar, now);
                (OrderState::Dispatched, Some((ts(sign), ts(ret), ts(due))))
            }
            _ => (OrderState::Accepted, None),
        };
        let row = sqlx::query(
            "INSERT INTO hotline_orders (order_no, token, channel, caller_name, caller_phone, appeal_type, category_code, \
             urgency, content, address, street, lat, lon, attributes, state, lead_unit_id, created_at, created_day, created_by, \
             api_key_id, dispatched_at, sign_due_at, return_due_at, due_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $17, 0) \
             RETURNING id",
        )
        .bind(&order_no)
        .bind(&token)
        .bind(v.channel.as_str())
        .bind(&v.caller_name)
        .bind(&v.caller_phone)
        .bind(v.appeal_type.as_str())
        .bind(v.category.code)
        .bind(v.urgency.as_str())
        .bind(&v.content)
        .bind(&v.address)
        .bind(v.street)
        .bind(v.lat)
        .bind(v.long)
        .bind(v.attributes.to_string())
        .bind(state.as_str())
        .bind(new.lead_unit_id)
        .bind(&now_s)
        .bind(&day)
        .bind(actor.user_id)
        .bind(intake.api_key_id)
        .bind(dispatch.as_ref().map(|_| now_s.clone()))
        .bind(dispatch.as_ref().map(|d| d.0.clone()))
        .bind(dispatch.as_ref().map(|d| d.1.clone()))
        .bind(dispatch.as_ref().map(|d| d.2.clone()))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let note = format!("{} · {}", v.channel.label_zh(), v.category.name);
        store::insert_event(
            &mut tx,
            id,
            &now_s,
            actor.user_id,
            &actor.name,
            actor.unit_id,
            "accept",
            None,
            OrderState::Accepted,
            &note,
        )
        .await?;
        if state == OrderState::Dispatched {
            store::insert_event(
                &mut tx,
                id,
                &now_s,
                actor.user_id,
                &actor.name,
                actor.unit_id,
                "dispatch",
                Some(OrderState::Accepted),
                state,
                "",
            )
            .await?;
            if !co_units.is_empty() {
                store::set_co_units(&mut tx, id, &co_units).await?;
            }
        }
        let (sign_due_at, return_due_at, due_at) = match dispatch {
            Some((a, b, c)) => (Some(a), Some(b), Some(c)),
            None => (None, None, None),
        };
        let order = WorkOrder {
            id,
            order_no,
            channel: v.channel,
            caller_name: v.caller_name,
            caller_phone: v.caller_phone,
            appeal_type: v.appeal_type,
            category_code: v.category.code.to_string(),
            content: v.content,
            address: v.address,
            street: v.street.to_string(),
            lat: v.lat,
            long: v.long,
            urgency: v.urgency,
            attributes: v.attributes,
            state,
            lead_unit_id: new.lead_unit_id,
            lead_unit_name: lead_name,
            created_at: now_s.clone(),
            dispatched_at: sign_due_at.as_ref().map(|_| now_s.clone()),
            sign_due_at,
            return_due_at,
            signed_at: None,
            due_at,
            closed_at: None,
            reply: None,
            extension_days: 0,
            reopen_count: 0,
            callback_due_at: None,
            called_back_at: None,
            satisfaction: None,
            merged_into: None,
            updated_at: now_s,
            version: 0,
            token,
        };
        store::apply_delta(
            &mut tx,
            None,
            &Facts::of(&order, &created_day(&order.created_at)),
        )
        .await?;
        tx.commit().await?;
        if let Some(unit) = new.lead_unit_id {
            self.learn(&order.content, order.category_code.as_str(), unit);
        }
        Ok(order)
    }

    /// Checks that the lead unit and co-units exist; returns the lead unit and the
    /// co-units without duplicates or the lead unit.
    pub(crate) async fn check_units(
        &self,
        lead: i64,
        co: &[i64],
    ) -> Result<(zhengshu_auth::Unit, Vec<i64>), HotlineError> {
        let unit = zhengshu_auth::units::get(&self.db, lead)
            .await
            .map_err(|_| {
                HotlineError::invalid("lead_unit_id", format!("unit {lead} does not exist"))
            })?;
        let mut out: Vec<i64> = Vec::new();
        for u in co {
            if *u == lead || out.contains(u) {
                continue;
            }
            zhengshu_auth::units::get(&self.db, *u).await.map_err(|_| {
                HotlineError::invalid("co_unit_ids", format!("unit {u} does not exist"))
            })?;
            out.push(*u);
        }
        Ok((unit, out))
    }
}
