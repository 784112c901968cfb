//! Closed orders as an anonymised data resource for the catalog and the City Brain:
//! no caller name or phone, phone numbers in the text masked, the address cut after the
//! street.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;
use zhengshu_db::{ts, Db};

use crate::model::category;
use crate::HotlineError;

/// One closed order without personal data.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AnonymisedOrder {
    pub order_no: String,
    pub channel: String,
    pub appeal_type: String,
    pub category_code: String,
    pub category_name: String,
    pub urgency: String,
    /// The content with phone-like digit runs masked.
    pub content: String,
    pub street: String,
    pub lead_unit: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub due_at: Option<String>,
    pub on_time: bool,
    pub satisfaction: Option<String>,
}

/// Masks runs of 7 or more digits (phone numbers, ID fragments) in free text.
pub(crate) fn mask_digit_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str(&zhengshu_core::mask_mobile(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Closed orders (已办结 or 已回访) closed at or after `since`, oldest first.
pub async fn anonymised_closed_orders(
    db: &Db,
    since: DateTime<Utc>,
) -> Result<Vec<AnonymisedOrder>, HotlineError> {
    let rows = sqlx::query(
        "SELECT o.order_no, o.channel, o.appeal_type, o.category_code, o.urgency, o.content, o.street, u.name AS unit, \
         o.created_at, o.closed_at, o.due_at, o.satisfaction FROM hotline_orders o LEFT JOIN units u ON u.id = o.lead_unit_id \
         WHERE o.state IN ('closed', 'called_back') AND o.closed_at >= $1 ORDER BY o.closed_at, o.id",
    )
    .bind(ts(since))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let code: String = r.try_get("category_code")?;
        let content: String = r.try_get("content")?;
        let closed_at: Option<String> = r.try_get("closed_at")?;
        let due_at: Option<String> = r.try_get("due_at")?;
        let on_time = match (&closed_at, &due_at) {
            (Some(c), Some(d)) => c <= d,
            _ => true,
        };
        out.push(AnonymisedOrder {
            order_no: r.try_get("order_no")?,
            channel: r.try_get("channel")?,
            appeal_type: r.try_get("appeal_type")?,
            category_name: category(&code)
                .map(|c| c.name.to_string())
                .unwrap_or_else(|| code.clone()),
            category_code: code,
            urgency: r.try_get("urgency")?,
            content: mask_digit_runs(&content),
            street: r.try_get("street")?,
            lead_unit: r.try_get("unit")?,
            created_at: r.try_get("created_at")?,
            closed_at,
            due_at,
            on_time,
            satisfaction: r.try_get("satisfaction")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_phone_numbers_in_text() {
        assert_eq!(
            mask_digit_runs("联系我13800138000谢谢"),
            "联系我138****8000谢谢"
        );
        assert_eq!(mask_digit_runs("3号楼502室"), "3号楼502室");
    }
}
