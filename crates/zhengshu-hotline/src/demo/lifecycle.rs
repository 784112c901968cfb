//! Simulates each demo order's life (dispatch, sign, reply, call-back) against the clock,
//! and writes the orders and their events in batches.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::distributions::WeightedIndex;
use rand::prelude::Distribution;
use rand::seq::SliceRandom;
use rand::Rng;
use sqlx::Row;
use zhengshu_auth::Unit;
use zhengshu_core::{china_offset, WorkingCalendar};
use zhengshu_db::{ts, Db};

use super::content::{caller_name, content_for, mobile, street_centre, COMMUNITIES, ROADS};
use super::{street_office, unit_for};
use crate::deadline::DeadlineRules;
use crate::model::{AppealType, Channel, OrderState, Satisfaction, Urgency, CATEGORIES, STREETS};
use crate::HotlineError;

/// Relative frequency of each category (same order as `CATEGORIES`).
const WEIGHTS: [u32; 24] = [
    10, 6, 6, 3, 3, 5, 7, 3, 2, 5, 8, 5, 6, 5, 4, 4, 3, 3, 6, 3, 3, 2, 3, 4,
];

/// One planned event.
#[derive(Debug, Clone)]
pub(crate) struct PlannedEvent {
    at: DateTime<Utc>,
    actor: &'static str,
    unit: Option<i64>,
    action: &'static str,
    from: Option<OrderState>,
    to: OrderState,
    note: String,
}

/// One planned order.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    created: DateTime<Utc>,
    channel: Channel,
    caller_name: String,
    caller_phone: String,
    appeal: AppealType,
    category: &'static str,
    urgency: Urgency,
    content: String,
    address: String,
    street: &'static str,
    lat: f64,
    long: f64,
    state: OrderState,
    lead: Option<i64>,
    co_unit: Option<i64>,
    dispatched: Option<DateTime<Utc>>,
    sign_due: Option<DateTime<Utc>>,
    return_due: Option<DateTime<Utc>>,
    signed: Option<DateTime<Utc>>,
    due: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    reply: Option<String>,
    extension_days: i64,
    reopen_count: i64,
    callback_due: Option<DateTime<Utc>>,
    called_back: Option<DateTime<Utc>>,
    satisfaction: Option<Satisfaction>,
    /// Index of the order this one is merged into.
    merged_into: Option<usize>,
    events: Vec<PlannedEvent>,
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

/// Creation instants over the year before `now`, busier in daytime, in time order.
fn creation_times(rng: &mut impl Rng, now: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
    let today = now.with_timezone(&china_offset()).date_naive();
    let hours = WeightedIndex::new([
        1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 7, 8, 10, 10, 9, 8, 7, 7, 6, 5, 3, 2,
    ])
    .expect("constant weights are positive");
    let mut out: Vec<DateTime<Utc>> = (0..n)
        .map(|_| {
            let day = today - Duration::days(rng.gen_range(0..365));
            let t = day
                .and_hms_opt(
                    hours.sample(rng) as u32,
                    rng.gen_range(0..60),
                    rng.gen_range(0..60),
                )
                .unwrap_or_default();
            let t = china_offset()
                .from_local_datetime(&t)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(now);
            if t > now - minutes(3) {
                now - minutes(rng.gen_range(3..600))
            } else {
                t
            }
        })
        .collect();
    out.sort();
    out
}

fn ev(
    at: DateTime<Utc>,
    actor: &'static str,
    unit: Option<i64>,
    action: &'static str,
    from: Option<OrderState>,
    to: OrderState,
    note: &str,
) -> PlannedEvent {
    PlannedEvent {
        at,
        actor,
        unit,
        action,
        from,
        to,
        note: note.to_string(),
    }
}

/// Plans `n` orders' lives up to `now`.
pub(crate) fn plan(
    rng: &mut impl Rng,
    now: DateTime<Utc>,
    cal: &WorkingCalendar,
    rules: &DeadlineRules,
    units: &[Unit],
    n: usize,
) -> Vec<Planned> {
    let cats = WeightedIndex::new(WEIGHTS).expect("constant weights are positive");
    let times = creation_times(rng, now, n);
    let mut out: Vec<Planned> = Vec::with_capacity(n);
    let mut last_by_street: HashMap<(&str, &str), usize> = HashMap::new();
    for created in times {
        let cat = &CATEGORIES[cats.sample(rng).min(CATEGORIES.len() - 1)];
        let street = *STREETS.choose(rng).unwrap_or(&STREETS[0]);
        let appeal = if rng.gen_bool(0.8) {
            cat.typical_appeal
        } else {
            *AppealType::ALL.choose(rng).unwrap_or(&cat.typical_appeal)
        };
        let urgency = match rng.gen_range(0..100) {
            0..=1 => Urgency::Emergency,
            2..=9 => Urgency::Urgent,
            _ => Urgency::Normal,
        };
        // 4 % of texts read like another category: the noise real dispatch data has.
        let text_cat = if rng.gen_bool(0.04) {
            CATEGORIES.choose(rng).map(|c| c.code).unwrap_or(cat.code)
        } else {
            cat.code
        };
        let content = content_for(text_cat, rng);
        let channel = match rng.gen_range(0..100) {
            0..=59 => Channel::Phone,
            60..=74 => Channel::Web,
            75..=94 => Channel::App,
            _ => Channel::Open311,
        };
        let (clat, clong) = street_centre(street);
        let mut p = Planned {
            created,
            channel,
            caller_name: if rng.gen_bool(0.9) {
                caller_name(rng)
            } else {
                String::new()
            },
            caller_phone: mobile(rng),
            appeal,
            category: cat.code,
            urgency,
            content,
            address: format!(
                "{}{}{}",
                street,
                if rng.gen_bool(0.5) {
                    COMMUNITIES.choose(rng).copied().unwrap_or("")
                } else {
                    ROADS.choose(rng).copied().unwrap_or("")
                },
                if rng.gen_bool(0.5) {
                    format!("{}号", rng.gen_range(1..300))
                } else {
                    String::new()
                }
            ),
            street,
            lat: clat + rng.gen_range(-0.012..0.012),
            long: clong + rng.gen_range(-0.012..0.012),
            state: OrderState::Accepted,
            lead: None,
            co_unit: None,
            dispatched: None,
            sign_due: None,
            return_due: None,
            signed: None,
            due: None,
            closed: None,
            reply: None,
            extension_days: 0,
            reopen_count: 0,
            callback_due: None,
            called_back: None,
            satisfaction: None,
            merged_into: None,
            events: vec![ev(
                created,
                "话务员",
                None,
                "accept",
                None,
                OrderState::Accepted,
                channel.label_zh(),
            )],
        };
        let key = (street, cat.code);
        let idx = out.len();
        // 0.5 %: a duplicate of a recent order of the same street and category.
        if let Some(&target) = last_by_street.get(&key) {
            if rng.gen_bool(0.005) && out[target].state.is_open() {
                p.state = OrderState::Merged;
                p.merged_into = Some(target);
                let t = created + minutes(rng.gen_range(2..20));
                if t < now {
                    p.events.push(ev(
                        t,
                        "话务员",
                        None,
                        "merge",
                        Some(OrderState::Accepted),
                        OrderState::Merged,
                        "重复诉求并单",
                    ));
                    out.push(p);
                    continue;
                }
                p.state = OrderState::Accepted;
                p.merged_into = None;
            }
        }
        last_by_street.insert(key, idx);
        live(rng, &mut p, now, cal, rules, units);
        out.push(p);
    }
    out
}

/// Runs an order's life until `now`.
fn live(
    rng: &mut impl Rng,
    p: &mut Planned,
    now: DateTime<Utc>,
    cal: &WorkingCalendar,
    rules: &DeadlineRules,
    units: &[Unit],
) {
    use OrderState as S;
    let cat = crate::model::category(p.category).unwrap_or(&CATEGORIES[CATEGORIES.len() - 1]);
    // 10 % of consultations are answered on the spot.
    if p.appeal == AppealType::Consultation && rng.gen_bool(0.1) {
        let t = p.created + minutes(rng.gen_range(3..15));
        if t < now {
            p.state = S::Closed;
            p.closed = Some(t);
            p.reply = Some("话务员已当场答复来电人。".into());
            p.callback_due = Some(rules.callback().after(cal, t));
            p.events.push(ev(
                t,
                "话务员",
                None,
                "answer",
                Some(S::Accepted),
                S::Closed,
                "当场答复",
            ));
            callback(rng, p, now, cal, rules);
        }
        return;
    }
    // Orders posted through Open311 in the last hours may still wait for dispatch.
    let dispatch_at = p.created
        + minutes(if p.urgency == Urgency::Emergency {
            rng.gen_range(2..6)
        } else {
            rng.gen_range(5..90)
        });
    if dispatch_at >= now {
        return;
    }
    let city_mgmt = p.category.starts_with("CS") || p.category == "JT01";
    let lead = if city_mgmt && rng.gen_bool(0.25) {
        street_office(p.street, units)
    } else {
        unit_for(cat, p.street, units)
    };
    let Some(lead) = lead.map(|u| u.id) else {
        return;
    };
    if rng.gen_bool(0.1) {
        p.co_unit = street_office(p.street, units)
            .map(|u| u.id)
            .filter(|u| *u != lead);
    }
    dispatch(p, S::Accepted, "dispatch", dispatch_at, lead, cal, rules);
    let sign_at = dispatch_at
        + minutes(rng.gen_range(
            10..(if p.urgency == Urgency::Emergency {
                30
            } else {
                1200
            }),
        ));
    if sign_at >= now {
        return;
    }
    // 2 %: returned as mis-dispatched and re-dispatched to the street office.
    if rng.gen_bool(0.02) {
        p.state = S::Returned;
        p.events.push(ev(
            sign_at,
            "承办人",
            Some(lead),
            "return",
            Some(S::Dispatched),
            S::Returned,
            "不属于本单位职责范围",
        ));
        let again = sign_at + minutes(rng.gen_range(20..240));
        if again >= now {
            return;
        }
        let Some(other) = street_office(p.street, units).map(|u| u.id) else {
            return;
        };
        dispatch(p, S::Returned, "redispatch", again, other, cal, rules);
        let sign_again = again + minutes(rng.gen_range(10..600));
        return sign_and_close(rng, p, sign_again, now, cal, rules);
    }
    sign_and_close(rng, p, sign_at, now, cal, rules);
}

fn dispatch(
    p: &mut Planned,
    from: OrderState,
    action: &'static str,
    at: DateTime<Utc>,
    lead: i64,
    cal: &WorkingCalendar,
    rules: &DeadlineRules,
) {
    p.state = OrderState::Dispatched;
    p.lead = Some(lead);
    p.dispatched = Some(at);
    p.sign_due = Some(rules.sign().after(cal, at));
    p.return_due = Some(rules.return_limit().after(cal, at));
    p.due = Some(rules.handle(p.appeal, p.urgency).after(cal, at));
    p.signed = None;
    p.events.push(ev(
        at,
        "话务员",
        None,
        action,
        Some(from),
        OrderState::Dispatched,
        "",
    ));
}

fn sign_and_close(
    rng: &mut impl Rng,
    p: &mut Planned,
    sign_at: DateTime<Utc>,
    now: DateTime<Utc>,
    cal: &WorkingCalendar,
    rules: &DeadlineRules,
) {
    use OrderState as S;
    if sign_at >= now {
        return;
    }
    let lead = p.lead;
    p.state = S::Signed;
    p.signed = Some(sign_at);
    p.events.push(ev(
        sign_at,
        "承办人",
        lead,
        "sign",
        Some(S::Dispatched),
        S::Signed,
        "",
    ));
    let Some(due) = p.due else { return };
    let span = (due - sign_at).num_minutes().max(30);
    // 91 % closed in time; the rest late by up to five days, a quarter of them (hard
    // cases) by up to six weeks, so recent ones are open and overdue.
    let close_at = if rng.gen_bool(0.91) {
        sign_at + minutes((span as f64 * rng.gen_range(0.1..0.95)) as i64)
    } else if rng.gen_bool(0.75) {
        due + minutes(rng.gen_range(60..7200))
    } else {
        due + minutes(rng.gen_range(7200..60_000))
    };
    let handle_at = sign_at + (close_at - sign_at) / 2;
    if handle_at < now {
        p.state = S::Handling;
        p.events.push(ev(
            handle_at,
            "承办人",
            lead,
            "handle",
            Some(S::Signed),
            S::Handling,
            "已联系来电人并到现场核实",
        ));
    }
    if close_at >= now {
        // Some open orders wait for an extension decision.
        if p.state == S::Handling && rng.gen_bool(0.05) {
            p.state = S::ExtensionPending;
            p.events.push(ev(
                handle_at,
                "承办人",
                lead,
                "request_extension",
                Some(S::Handling),
                S::ExtensionPending,
                "5 个工作日: 需协调多个部门",
            ));
        }
        return;
    }
    let reply = format!(
        "经核查，{}一事已处理，并已电话告知来电人。",
        crate::model::category(p.category)
            .map(|c| c.name)
            .unwrap_or("所反映")
    );
    p.state = S::Closed;
    p.closed = Some(close_at);
    p.reply = Some(reply.clone());
    p.callback_due = Some(rules.callback().after(cal, close_at));
    p.events.push(ev(
        close_at,
        "承办人",
        lead,
        "reply",
        Some(S::Handling),
        S::Closed,
        &reply,
    ));
    callback(rng, p, now, cal, rules);
}

fn callback(
    rng: &mut impl Rng,
    p: &mut Planned,
    now: DateTime<Utc>,
    cal: &WorkingCalendar,
    rules: &DeadlineRules,
) {
    use OrderState as S;
    let Some(closed) = p.closed else { return };
    let at = crate::deadline::add_working_days(cal, closed, 1) - minutes(rng.gen_range(0..300));
    if at >= now {
        return;
    }
    let s = match rng.gen_range(0..100) {
        0..=83 => Satisfaction::Satisfied,
        84..=93 => Satisfaction::Basic,
        _ => Satisfaction::Unsatisfied,
    };
    p.called_back = Some(at);
    p.satisfaction = Some(s);
    if s != Satisfaction::Unsatisfied || p.lead.is_none() {
        p.state = S::CalledBack;
        p.events.push(ev(
            at,
            "回访员",
            None,
            "call_back",
            Some(S::Closed),
            S::CalledBack,
            s.label_zh(),
        ));
        return;
    }
    // 不满意: reopened to the same unit; handled again within the deadline.
    p.events.push(ev(
        at,
        "回访员",
        None,
        "call_back",
        Some(S::Closed),
        S::Dispatched,
        "不满意: 问题未彻底解决",
    ));
    p.reopen_count = 1;
    p.closed = None;
    let lead = p.lead.unwrap_or_default();
    p.state = S::Dispatched;
    p.dispatched = Some(at);
    p.sign_due = Some(rules.sign().after(cal, at));
    p.return_due = Some(rules.return_limit().after(cal, at));
    p.due = Some(rules.handle(p.appeal, p.urgency).after(cal, at));
    let again = at + minutes(rng.gen_range(2880..8000));
    if again < now {
        p.state = S::Closed;
        p.closed = Some(again);
        p.callback_due = Some(rules.callback().after(cal, again));
        p.events.push(ev(
            again,
            "承办人",
            Some(lead),
            "reply",
            Some(S::Dispatched),
            S::Closed,
            "已再次处理并答复",
        ));
    }
}

/// A value bound into a batch insert.
enum B {
    T(Option<String>),
    I(Option<i64>),
    F(Option<f64>),
}

fn t(v: &Option<DateTime<Utc>>) -> B {
    B::T(v.map(ts))
}

const ORDER_COLS: &str = "order_no, channel, caller_name, caller_phone, appeal_type, category_code, urgency, content, address, \
    street, lat, lon, attributes, state, lead_unit_id, created_at, created_day, dispatched_at, sign_due_at, return_due_at, \
    signed_at, due_at, closed_at, reply, extension_days, reopen_count, callback_due_at, called_back_at, satisfaction, \
    updated_at, version";
const ORDER_NCOLS: usize = 31;
const BATCH: usize = 200;

fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            format!(
                "({})",
                (1..=cols)
                    .map(|c| format!("${}", r * cols + c))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn exec_batch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    sql: &str,
    vals: Vec<B>,
) -> Result<Vec<sqlx::any::AnyRow>, HotlineError> {
    let mut q = sqlx::query(sql);
    for v in vals {
        q = match v {
            B::T(x) => q.bind(x),
            B::I(x) => q.bind(x),
            B::F(x) => q.bind(x),
        };
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

/// Writes the planned orders (and their events) in batches in one transaction, and moves
/// each day's order-number sequence past them.
pub(crate) async fn write(
    db: &Db,
    plan: &[Planned],
    with_events: bool,
) -> Result<(), HotlineError> {
    let mut tx = db.pool().begin().await?;
    let mut seq: HashMap<String, i64> = HashMap::new();
    for r in sqlx::query("SELECT day, last FROM hotline_order_seq")
        .fetch_all(&mut *tx)
        .await?
    {
        seq.insert(r.try_get("day")?, r.try_get("last")?);
    }
    let mut ids: Vec<i64> = Vec::with_capacity(plan.len());
    for chunk in plan.chunks(BATCH) {
        let mut vals = Vec::with_capacity(chunk.len() * ORDER_NCOLS);
        let mut numbers = Vec::with_capacity(chunk.len());
        for p in chunk {
            let local = p.created.with_timezone(&china_offset());
            let day = local.format("%Y%m%d").to_string();
            let n = seq.entry(day.clone()).or_insert(0);
            *n += 1;
            let updated = [
                p.created,
                p.dispatched.unwrap_or(p.created),
                p.closed.unwrap_or(p.created),
                p.called_back.unwrap_or(p.created),
            ]
            .into_iter()
            .max()
            .unwrap_or(p.created);
            let order_no = format!("GD{day}{n:04}");
            numbers.push(order_no.clone());
            vals.extend([
                B::T(Some(order_no)),
                B::T(Some(p.channel.as_str().into())),
                B::T(Some(p.caller_name.clone())),
                B::T(Some(p.caller_phone.clone())),
                B::T(Some(p.appeal.as_str().into())),
                B::T(Some(p.category.into())),
                B::T(Some(p.urgency.as_str().into())),
                B::T(Some(p.content.clone())),
                B::T(Some(p.address.clone())),
                B::T(Some(p.street.into())),
                B::F(Some(p.lat)),
                B::F(Some(p.long)),
                B::T(Some("{}".into())),
                B::T(Some(p.state.as_str().into())),
                B::I(p.lead),
                B::T(Some(ts(p.created))),
                B::T(Some(local.format("%Y-%m-%d").to_string())),
                t(&p.dispatched),
                t(&p.sign_due),
                t(&p.return_due),
                t(&p.signed),
                t(&p.due),
                t(&p.closed),
                B::T(p.reply.clone()),
                B::I(Some(p.extension_days)),
                B::I(Some(p.reopen_count)),
                t(&p.callback_due),
                t(&p.called_back),
                B::T(p.satisfaction.map(|s| s.as_str().to_string())),
                B::T(Some(ts(updated))),
                B::I(Some(0)),
            ]);
        }
        let sql = format!(
            "INSERT INTO hotline_orders ({ORDER_COLS}) VALUES {} RETURNING id, order_no",
            placeholders(chunk.len(), ORDER_NCOLS)
        );
        let rows = exec_batch(&mut tx, &sql, vals).await?;
        let mut by_no: HashMap<String, i64> = HashMap::with_capacity(rows.len());
        for r in rows {
            by_no.insert(r.try_get("order_no")?, r.try_get("id")?);
        }
        for no in &numbers {
            ids.push(by_no.get(no).copied().ok_or_else(|| {
                HotlineError::invalid("demo", format!("order {no} was not written"))
            })?);
        }
    }
    for (i, p) in plan.iter().enumerate() {
        if let (Some(target), Some(id)) = (p.merged_into, ids.get(i)) {
            sqlx::query("UPDATE hotline_orders SET merged_into = $1 WHERE id = $2")
                .bind(ids.get(target).copied())
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        if let (Some(co), Some(id)) = (p.co_unit, ids.get(i)) {
            sqlx::query("INSERT INTO hotline_co_units (order_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(*id)
                .bind(co)
                .execute(&mut *tx)
                .await?;
        }
    }
    if with_events {
        write_events(&mut tx, plan, &ids).await?;
    }
    for (day, last) in seq {
        sqlx::query(
            "INSERT INTO hotline_order_seq (day, last) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET last = excluded.last",
        )
        .bind(day)
        .bind(last)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn write_events(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    plan: &[Planned],
    ids: &[i64],
) -> Result<(), HotlineError> {
    const COLS: usize = 8;
    let all: Vec<(i64, &PlannedEvent)> = plan
        .iter()
        .zip(ids)
        .flat_map(|(p, id)| p.events.iter().map(move |e| (*id, e)))
        .collect();
    for chunk in all.chunks(BATCH * 2) {
        let mut vals = Vec::with_capacity(chunk.len() * COLS);
        for (id, e) in chunk {
            vals.extend([
                B::I(Some(*id)),
                B::T(Some(ts(e.at))),
                B::T(Some(e.actor.to_string())),
                B::I(e.unit),
                B::T(Some(e.action.to_string())),
                B::T(e.from.map(|s| s.as_str().to_string())),
                B::T(Some(e.to.as_str().to_string())),
                B::T(Some(e.note.clone())),
            ]);
        }
        let sql = format!(
            "INSERT INTO hotline_events (order_id, at, actor_name, unit_id, action, from_state, to_state, note) VALUES {}",
            placeholders(chunk.len(), COLS)
        );
        exec_batch(tx, &sql, vals).await?;
    }
    Ok(())
}
