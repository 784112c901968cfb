//! The actions on an existing order: dispatch, sign, handle, reply, return, extensions,
//! co-units, supervision, merge and call-back.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use zhengshu_db::{parse_ts, ts};

use super::{Actor, Config, Extra, Hotline, Plan};
use crate::deadline::add_working_days;
use crate::model::{
    category, Action, AppealType, Satisfaction, Urgency, WorkOrder, MAX_CONTENT_CHARS,
};
use crate::store::{self, Patch};
use crate::HotlineError;

/// 派单 / 改派: the lead unit, co-units and (confirmed or corrected) classification.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DispatchInput {
    pub lead_unit_id: i64,
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    /// Corrects the category (feeds the classifier).
    #[serde(default)]
    pub category_code: Option<String>,
    #[serde(default)]
    pub appeal_type: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// 延期申请.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ExtensionInput {
    /// More working days asked for.
    pub days: i64,
    pub reason: String,
}

fn required_text(field: &str, s: &str, what: &str) -> Result<String, HotlineError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(HotlineError::invalid(field, format!("{what} is required")));
    }
    let n = s.chars().count();
    if n > MAX_CONTENT_CHARS {
        return Err(HotlineError::invalid(
            field,
            format!("{n} characters; at most {MAX_CONTENT_CHARS} are allowed"),
        ));
    }
    Ok(s.to_string())
}

fn unit_label(o: &WorkOrder) -> String {
    o.lead_unit_name
        .clone()
        .or_else(|| o.lead_unit_id.map(|u| format!("unit {u}")))
        .unwrap_or_else(|| "no unit".into())
}

/// The handler must act for the order's lead unit.
fn must_lead(o: &WorkOrder, actor: &Actor) -> Result<(), HotlineError> {
    match (actor.unit_id, o.lead_unit_id) {
        (Some(a), Some(l)) if a == l => Ok(()),
        (None, _) => Err(HotlineError::NotYours(format!(
            "order {} is handled by {}; your account belongs to no unit",
            o.order_no,
            unit_label(o)
        ))),
        _ => Err(HotlineError::NotYours(format!(
            "order {} is dispatched to {}, not to your unit",
            o.order_no,
            unit_label(o)
        ))),
    }
}

/// The deadlines of a (re-)dispatch at `now`.
fn dispatch_patch(
    cfg: &Config,
    appeal: AppealType,
    urgency: Urgency,
    lead: i64,
    now: DateTime<Utc>,
) -> Patch {
    let r = &cfg.rules;
    Patch::default()
        .int("lead_unit_id", lead)
        .text("dispatched_at", ts(now))
        .text("sign_due_at", ts(r.sign().after(&cfg.calendar, now)))
        .text(
            "return_due_at",
            ts(r.return_limit().after(&cfg.calendar, now)),
        )
        .text(
            "due_at",
            ts(r.handle(appeal, urgency).after(&cfg.calendar, now)),
        )
        .text("signed_at", None)
        .int("extension_days", 0)
}

impl Hotline {
    async fn dispatch_like(
        &self,
        actor: &Actor,
        order_no: &str,
        input: &DispatchInput,
        action: Action,
    ) -> Result<WorkOrder, HotlineError> {
        let (_, co) = self
            .check_units(input.lead_unit_id, &input.co_unit_ids)
            .await?;
        let cat = optional(
            input.category_code.as_deref(),
            "category_code",
            "a category",
            category,
        )?;
        let appeal = optional(
            input.appeal_type.as_deref(),
            "appeal_type",
            "an appeal type",
            AppealType::parse,
        )?;
        let urgency = optional(
            input.urgency.as_deref(),
            "urgency",
            "an urgency",
            Urgency::parse,
        )?;
        let lead = input.lead_unit_id;
        let note = input.note.trim().to_string();
        let order = self
            .transition(actor, order_no, action, |o, cfg, now| {
                if action == Action::Redispatch
                    && o.lead_unit_id == Some(lead)
                    && o.state == crate::model::OrderState::Returned
                {
                    return Err(HotlineError::conflict(
                        &o.order_no,
                        "was returned by this unit; re-dispatch it to another unit",
                    ));
                }
                let a = appeal.unwrap_or(o.appeal_type);
                let u = urgency.unwrap_or(o.urgency);
                let mut patch = dispatch_patch(cfg, a, u, lead, now)
                    .text("appeal_type", a.as_str().to_string())
                    .text("urgency", u.as_str().to_string());
                if let Some(c) = cat {
                    patch = patch.text("category_code", c.code.to_string());
                }
                Ok(Plan {
                    patch,
                    note,
                    extra: Extra::CoUnits(co),
                })
            })
            .await?;
        self.learn(&order.content, &order.category_code, lead);
        Ok(order)
    }

    /// 派单: dispatch an accepted order to its lead unit (and co-units).
    pub async fn dispatch(
        &self,
        actor: &Actor,
        order_no: &str,
        input: &DispatchInput,
    ) -> Result<WorkOrder, HotlineError> {
        self.dispatch_like(actor, order_no, input, Action::Dispatch)
            .await
    }

    /// 改派: dispatch a returned (or not yet signed) order to another unit.
    pub async fn redispatch(
        &self,
        actor: &Actor,
        order_no: &str,
        input: &DispatchInput,
    ) -> Result<WorkOrder, HotlineError> {
        self.dispatch_like(actor, order_no, input, Action::Redispatch)
            .await
    }

    /// 直接答复: the operator answers on the spot (or gives the redirect text).
    pub async fn answer_directly(
        &self,
        actor: &Actor,
        order_no: &str,
        reply: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let reply = required_text("reply", reply, "the answer")?;
        self.transition(actor, order_no, Action::AnswerDirectly, |_, cfg, now| {
            let patch = Patch::default()
                .text("closed_at", ts(now))
                .text("reply", reply.clone())
                .text(
                    "callback_due_at",
                    ts(cfg.rules.callback().after(&cfg.calendar, now)),
                );
            Ok(Plan {
                patch,
                note: reply,
                extra: Extra::None,
            })
        })
        .await
    }

    /// 签收.
    pub async fn sign(&self, actor: &Actor, order_no: &str) -> Result<WorkOrder, HotlineError> {
        self.transition(actor, order_no, Action::Sign, |o, _, now| {
            must_lead(o, actor)?;
            Ok(Plan {
                patch: Patch::default().text("signed_at", ts(now)),
                note: String::new(),
                extra: Extra::None,
            })
        })
        .await
    }

    /// 办理: a progress note.
    pub async fn handle(
        &self,
        actor: &Actor,
        order_no: &str,
        note: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let note = required_text("note", note, "a note on the handling")?;
        self.transition(actor, order_no, Action::Handle, |o, _, _| {
            must_lead(o, actor)?;
            Ok(Plan {
                patch: Patch::default(),
                note,
                extra: Extra::None,
            })
        })
        .await
    }

    /// 答复办结.
    pub async fn reply(
        &self,
        actor: &Actor,
        order_no: &str,
        reply: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let reply = required_text("reply", reply, "the reply to the caller")?;
        self.transition(actor, order_no, Action::Reply, |o, cfg, now| {
            must_lead(o, actor)?;
            let patch = Patch::default()
                .text("closed_at", ts(now))
                .text("reply", reply.clone())
                .text(
                    "callback_due_at",
                    ts(cfg.rules.callback().after(&cfg.calendar, now)),
                );
            Ok(Plan {
                patch,
                note: reply,
                extra: Extra::None,
            })
        })
        .await
    }

    /// 退单: return a mis-dispatched order, within the return deadline.
    pub async fn return_order(
        &self,
        actor: &Actor,
        order_no: &str,
        reason: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let reason = required_text("reason", reason, "the reason for returning the order")?;
        self.transition(actor, order_no, Action::Return, |o, _, now| {
            must_lead(o, actor)?;
            if let Some(due) = o.return_due_at.as_deref().and_then(parse_ts) {
                if now > due {
                    return Err(HotlineError::conflict(
                        &o.order_no,
                        format!(
                            "the deadline for returning it passed at {}; handle the order, or ask the dispatcher to re-dispatch it",
                            crate::deadline::local_display(&ts(due))
                        ),
                    ));
                }
            }
            Ok(Plan { patch: Patch::default(), note: reason, extra: Extra::None })
        })
        .await
    }

    /// 申请延期: at most `extension_max` working days in total.
    pub async fn request_extension(
        &self,
        actor: &Actor,
        order_no: &str,
        input: &ExtensionInput,
    ) -> Result<WorkOrder, HotlineError> {
        let reason = required_text("reason", &input.reason, "the reason for the extension")?;
        let days = input.days;
        self.transition(actor, order_no, Action::RequestExtension, |o, cfg, _| {
            must_lead(o, actor)?;
            let max = cfg.rules.extension_max_days();
            let left = max - o.extension_days;
            if days < 1 || days > left {
                return Err(HotlineError::invalid(
                    "days",
                    format!("ask for 1–{left} working days (at most {max} in total; {} already granted)", o.extension_days),
                ));
            }
            Ok(Plan { patch: Patch::default(), note: format!("{days} 个工作日: {reason}"), extra: Extra::Extension { days, reason } })
        })
        .await
    }

    /// 批准延期 / 不予延期.
    pub async fn decide_extension(
        &self,
        actor: &Actor,
        order_no: &str,
        approve: bool,
        note: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let pending = {
            let o = store::get_by_no(&self.db, order_no).await?;
            store::extensions(&self.db, o.id)
                .await?
                .into_iter()
                .rev()
                .find(|e| e.decision.is_none())
        };
        let note = note.trim().to_string();
        let action = if approve {
            Action::ApproveExtension
        } else {
            Action::RefuseExtension
        };
        self.transition(actor, order_no, action, |o, cfg, _| {
            let mut patch = Patch::default();
            if approve {
                let days = pending.as_ref().map(|e| e.days).unwrap_or(0);
                if let Some(due) = o.due_at.as_deref().and_then(parse_ts) {
                    patch = patch.text("due_at", ts(add_working_days(&cfg.calendar, due, days)));
                }
                patch = patch.int("extension_days", o.extension_days + days);
            }
            Ok(Plan {
                patch,
                note: note.clone(),
                extra: Extra::ExtensionDecision {
                    approved: approve,
                    note,
                },
            })
        })
        .await
    }

    /// 协办答复: a co-unit adds its part.
    pub async fn co_reply(
        &self,
        actor: &Actor,
        order_no: &str,
        part: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let part = required_text("part", part, "the co-unit's part")?;
        let order = store::get_by_no(&self.db, order_no).await?;
        let cos = store::co_units(&self.db, order.id).await?;
        let unit = actor
            .unit_id
            .filter(|u| cos.iter().any(|c| c.unit_id == *u))
            .ok_or_else(|| {
                HotlineError::NotYours(format!(
                    "your unit is not a co-unit (协办单位) of order {}",
                    order.order_no
                ))
            })?;
        self.transition(actor, order_no, Action::CoReply, |_, _, _| {
            Ok(Plan {
                patch: Patch::default(),
                note: part.clone(),
                extra: Extra::CoReply {
                    unit_id: unit,
                    part,
                },
            })
        })
        .await
    }

    /// 督办: a supervision notice to the lead unit.
    pub async fn supervise(
        &self,
        actor: &Actor,
        order_no: &str,
        note: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let note = required_text("note", note, "the supervision notice")?;
        self.transition(actor, order_no, Action::Supervise, |_, _, _| {
            Ok(Plan {
                patch: Patch::default(),
                note: note.clone(),
                extra: Extra::Supervision(note),
            })
        })
        .await
    }

    /// 并单: merge a duplicate into an open order.
    pub async fn merge(
        &self,
        actor: &Actor,
        order_no: &str,
        into: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let target = store::get_by_no(&self.db, into)
            .await
            .map_err(|_| HotlineError::invalid("into", format!("order `{into}` does not exist")))?;
        if target.order_no == order_no.trim() {
            return Err(HotlineError::invalid(
                "into",
                "an order cannot be merged into itself",
            ));
        }
        if !target.state.is_open() {
            return Err(HotlineError::invalid(
                "into",
                format!(
                    "order {} is {}; merge into an open order",
                    target.order_no,
                    target.state.label_zh()
                ),
            ));
        }
        self.transition(actor, order_no, Action::Merge, |_, _, _| {
            let patch = Patch::default().int("merged_into", target.id);
            Ok(Plan {
                patch,
                note: format!("并入 {}", target.order_no),
                extra: Extra::MergeInto {
                    target_id: target.id,
                    target_state: target.state,
                },
            })
        })
        .await
    }

    /// 回访: records satisfaction; 不满意 reopens the order to the same lead unit.
    pub async fn call_back(
        &self,
        actor: &Actor,
        order_no: &str,
        satisfaction: Satisfaction,
        note: &str,
    ) -> Result<WorkOrder, HotlineError> {
        let note = note.trim().to_string();
        self.transition(actor, order_no, Action::CallBack(satisfaction), |o, cfg, now| {
            let mut patch = Patch::default().text("called_back_at", ts(now)).text("satisfaction", satisfaction.as_str().to_string());
            if satisfaction == Satisfaction::Unsatisfied {
                let Some(lead) = o.lead_unit_id else {
                    return Err(HotlineError::conflict(
                        &o.order_no,
                        "was answered directly by the hotline; create a new order for the caller's further request",
                    ));
                };
                patch.0.extend(dispatch_patch(cfg, o.appeal_type, o.urgency, lead, now).0);
                patch = patch.text("closed_at", None).int("reopen_count", o.reopen_count + 1);
            }
            let text = if note.is_empty() { satisfaction.label_zh().to_string() } else { format!("{}: {note}", satisfaction.label_zh()) };
            Ok(Plan { patch, note: text, extra: Extra::None })
        })
        .await
    }
}

/// Parses an optional form value (blank = not given); an unknown value names the field.
fn optional<T>(
    value: Option<&str>,
    field: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, HotlineError> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| HotlineError::invalid(field, format!("`{v}` is not {what}"))),
    }
}
