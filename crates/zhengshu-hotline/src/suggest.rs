//! What the intake form suggests while the operator types: category and lead unit,
//! duplicates of open orders (并单), and the redirect text for matters 12345 does not
//! handle.

use std::collections::HashSet;

use chrono::Duration;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use zhengshu_db::ts;

use crate::classify::{tokenize, Source, Suggested};
use crate::model::{category, street, OrderState};
use crate::service::Hotline;
use crate::HotlineError;

/// Orders this recent are compared for duplicates.
pub const DUPLICATE_WINDOW_DAYS: i64 = 30;
/// Token Jaccard similarity from which an open order is suggested as a duplicate.
pub const DUPLICATE_THRESHOLD: f64 = 0.5;

/// A matter the hotline does not handle, and where the caller should go instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Redirect {
    pub kind: &'static str,
    pub text: &'static str,
}

/// (keywords, kind, redirect text), checked in order.
const REDIRECTS: &[(&[&str], &str, &str)] = &[
    (
        &[
            "正在打架",
            "斗殴",
            "抢劫",
            "持刀",
            "着火",
            "火灾",
            "有人落水",
            "车祸有人受伤",
            "报警",
        ],
        "110 紧急警情",
        "紧急警情请立即拨打 110（火警 119、急救 120），12345 不受理正在发生的紧急事件。",
    ),
    (
        &["起诉", "诉讼", "打官司", "法院判决", "上诉"],
        "诉讼",
        "涉诉事项请依法向人民法院提起诉讼，或拨打 12348 公共法律服务热线咨询。",
    ),
    (
        &["仲裁"],
        "仲裁",
        "仲裁事项请向劳动人事争议仲裁委员会或约定的仲裁机构申请。",
    ),
    (
        &["纪检", "纪委", "违纪", "监察委"],
        "纪检监察",
        "反映党员干部、公职人员违纪违法问题，请向区纪委监委信访室反映，或登录 12388 举报网站。",
    ),
    (
        &["行政复议"],
        "行政复议",
        "对行政行为不服的，请在法定期限内向区人民政府申请行政复议。",
    ),
    (
        &["信息公开申请", "依申请公开", "申请公开政府信息"],
        "政府信息公开申请",
        "政府信息公开申请请通过区政府门户网站“依申请公开”栏目在线提交，或书面向有关行政机关提出。",
    ),
    (
        &["信访", "上访"],
        "信访",
        "信访事项请按《信访工作条例》向区信访局提出。",
    ),
];

/// The redirect for `content`, if it is a matter 12345 does not handle.
pub fn redirect_for(content: &str) -> Option<Redirect> {
    let text = zhengshu_core::normalize_for_search(content);
    REDIRECTS
        .iter()
        .find(|(words, _, _)| words.iter().any(|w| text.contains(w)))
        .map(|(_, kind, text)| Redirect { kind, text })
}

/// Jaccard similarity of two token sets.
pub fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count() as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    inter / union
}

/// An open order that looks like the same place and problem.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Duplicate {
    pub order_no: String,
    pub content: String,
    pub state: OrderState,
    pub created_at: String,
    pub similarity: f64,
}

/// Input of a suggestion request.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SuggestInput {
    pub content: String,
    #[serde(default)]
    pub street: String,
    /// Leave this order out of the duplicates (when suggesting for an existing order).
    #[serde(default)]
    pub order_no: Option<String>,
}

/// Everything the intake form suggests.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    #[schema(value_type = Option<Object>)]
    pub category: Option<Suggested<String>>,
    #[schema(value_type = Option<Object>)]
    pub unit: Option<Suggested<i64>>,
    pub duplicates: Vec<Duplicate>,
    pub redirect: Option<Redirect>,
}

impl Hotline {
    /// Open orders in `street` from the last 30 days whose tokens overlap `content`'s by
    /// at least the threshold, most similar first (at most 5).
    pub async fn duplicates(
        &self,
        content: &str,
        street_name: &str,
        except: Option<&str>,
    ) -> Result<Vec<Duplicate>, HotlineError> {
        let Some(street) = street(street_name) else {
            return Ok(Vec::new());
        };
        let mine: HashSet<String> = tokenize(content).into_iter().collect();
        if mine.is_empty() {
            return Ok(Vec::new());
        }
        let open = OrderState::open_states()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let since = ts(self.now() - Duration::days(DUPLICATE_WINDOW_DAYS));
        let rows = sqlx::query(&format!(
            "SELECT order_no, content, state, created_at FROM hotline_orders WHERE street = $1 AND created_at >= $2 \
             AND state IN ({open}) ORDER BY id DESC LIMIT 500"
        ))
        .bind(street)
        .bind(since)
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let order_no: String = r.try_get("order_no")?;
            if except.is_some_and(|e| e == order_no) {
                continue;
            }
            let other: String = r.try_get("content")?;
            let theirs: HashSet<String> = tokenize(&other).into_iter().collect();
            let similarity = jaccard(&mine, &theirs);
            if similarity >= DUPLICATE_THRESHOLD {
                let state: String = r.try_get("state")?;
                out.push(Duplicate {
                    order_no,
                    content: other,
                    state: OrderState::parse(&state).unwrap_or(OrderState::Accepted),
                    created_at: r.try_get("created_at")?,
                    similarity,
                });
            }
        }
        out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        out.truncate(5);
        Ok(out)
    }

    /// Category, unit, duplicates and redirect for the intake form.
    pub async fn suggest(&self, input: &SuggestInput) -> Result<Suggestion, HotlineError> {
        let content = input.content.trim();
        if content.is_empty() {
            return Ok(Suggestion {
                category: None,
                unit: None,
                duplicates: Vec::new(),
                redirect: None,
            });
        }
        // A state built before the history was loaded (the demo seeds after start-up)
        // learns it on first use.
        if self.classifier_documents() == 0 {
            self.retrain().await?;
        }
        let (mut cat, mut unit) = self.classify(content);
        if let Some(c) = cat.as_mut() {
            c.label = category(&c.value)
                .map(|k| k.name.to_string())
                .unwrap_or_else(|| c.value.clone());
        }
        // No model yet: the category's usual unit from the catalog.
        if unit.is_none() {
            if let Some(c) = cat.as_ref().and_then(|c| category(&c.value)) {
                let units = zhengshu_auth::units::list(&self.db, &Default::default()).await?;
                if let Some(u) = crate::demo::unit_for(c, input.street.as_str(), &units) {
                    unit = Some(Suggested {
                        value: u.id,
                        label: String::new(),
                        confidence: 0.5,
                        source: Source::Catalog,
                    });
                }
            }
        }
        if let Some(u) = unit.as_mut() {
            u.label = zhengshu_auth::units::get(&self.db, u.value)
                .await
                .map(|u| u.name)
                .unwrap_or_default();
        }
        Ok(Suggestion {
            category: cat,
            unit,
            duplicates: self
                .duplicates(content, &input.street, input.order_no.as_deref())
                .await?,
            redirect: redirect_for(content),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_matters_the_hotline_does_not_handle() {
        assert_eq!(redirect_for("我要起诉房东").map(|r| r.kind), Some("诉讼"));
        assert_eq!(
            redirect_for("我想提交政府信息公开申请").map(|r| r.kind),
            Some("政府信息公开申请")
        );
        assert_eq!(
            redirect_for("楼下正在打架，快来人").map(|r| r.kind),
            Some("110 紧急警情")
        );
        assert_eq!(
            redirect_for("申請行政復議").map(|r| r.kind),
            Some("行政复议")
        );
        assert_eq!(redirect_for("小区门口垃圾没人清运"), None);
    }

    #[test]
    fn jaccard_of_token_sets() {
        let a: HashSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let b: HashSet<String> = ["b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert!((jaccard(&a, &b) - 0.5).abs() < 1e-9);
        assert_eq!(jaccard(&a, &HashSet::new()), 0.0);
    }
}
