//! 智能派单: suggests the category and lead unit of an order from its content.
//!
//! Two multinomial naive Bayes models (category, lead unit) over jieba tokens of the
//! normalised text, trained on the district's dispatched orders and updated each time an
//! operator confirms or corrects a dispatch; plus the dispatch catalog's keyword rules,
//! which win when one matches.

mod bayes;
mod evaluate;
mod tokens;

pub use bayes::NaiveBayes;
pub use evaluate::{evaluate_classifier, Report};
pub use tokens::tokenize;

use serde::Serialize;
use sqlx::Row;
use zhengshu_db::Db;

use crate::model::category;
use crate::service::Hotline;
use crate::HotlineError;

/// How many of the most recent dispatched orders the models are trained on at start-up.
pub const TRAINING_LIMIT: i64 = 50_000;

/// A keyword rule of the dispatch catalog.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Rule {
    pub keyword: String,
    pub category_code: String,
    pub unit_id: Option<i64>,
}

/// The two models and the rules.
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    pub category: NaiveBayes<String>,
    pub unit: NaiveBayes<i64>,
    pub rules: Vec<Rule>,
}

/// Where a suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A keyword rule of the dispatch catalog.
    Rule,
    /// The naive Bayes model.
    Model,
    /// The category's usual unit.
    Catalog,
}

/// A suggested value with its confidence (0–1).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggested<T> {
    pub value: T,
    pub label: String,
    pub confidence: f64,
    pub source: Source,
}

impl Classifier {
    /// Learns one confirmed (content, category, lead unit).
    pub fn learn_tokens(&mut self, tokens: &[String], category_code: &str, unit: i64) {
        self.category.learn(tokens, category_code.to_string());
        self.unit.learn(tokens, unit);
    }

    /// The first rule whose keyword occurs in the normalised content.
    pub fn rule_for(&self, normalised: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| !r.keyword.is_empty() && normalised.contains(&r.keyword))
    }

    /// Suggests (category, unit) for a text; labels are filled in by the caller.
    pub fn suggest(&self, content: &str) -> (Option<Suggested<String>>, Option<Suggested<i64>>) {
        let normalised = zhengshu_core::normalize_for_search(content);
        let tokens = tokenize(content);
        let rule = self.rule_for(&normalised);
        let cat = match rule {
            Some(r) => Some(Suggested {
                value: r.category_code.clone(),
                label: String::new(),
                confidence: 1.0,
                source: Source::Rule,
            }),
            None => self
                .category
                .predict(&tokens)
                .map(|(value, confidence)| Suggested {
                    value,
                    label: String::new(),
                    confidence,
                    source: Source::Model,
                }),
        };
        let unit = match rule.and_then(|r| r.unit_id) {
            Some(u) => Some(Suggested {
                value: u,
                label: String::new(),
                confidence: 1.0,
                source: Source::Rule,
            }),
            None => self
                .unit
                .predict(&tokens)
                .map(|(value, confidence)| Suggested {
                    value,
                    label: String::new(),
                    confidence,
                    source: Source::Model,
                }),
        };
        (cat, unit)
    }
}

/// The keyword rules in the table.
pub async fn load_rules(db: &Db) -> Result<Vec<Rule>, HotlineError> {
    let rows = sqlx::query(
        "SELECT keyword, category_code, unit_id FROM hotline_dispatch_rules ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let keyword: String = r.try_get("keyword")?;
            Ok(Rule {
                keyword: zhengshu_core::normalize_for_search(&keyword),
                category_code: r.try_get("category_code")?,
                unit_id: r.try_get("unit_id")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// Adds a keyword rule (or changes the one with the same keyword).
pub async fn add_rule(
    db: &Db,
    keyword: &str,
    category_code: &str,
    unit_id: Option<i64>,
    now: &str,
) -> Result<(), HotlineError> {
    let keyword = keyword.trim();
    if keyword.chars().count() < 2 || keyword.chars().count() > 40 {
        return Err(HotlineError::invalid(
            "keyword",
            "give a keyword of 2–40 characters",
        ));
    }
    let cat = category(category_code).ok_or_else(|| {
        HotlineError::invalid(
            "category_code",
            format!("`{category_code}` is not a category"),
        )
    })?;
    sqlx::query(
        "INSERT INTO hotline_dispatch_rules (keyword, category_code, unit_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (keyword) DO UPDATE SET category_code = excluded.category_code, unit_id = excluded.unit_id",
    )
    .bind(keyword)
    .bind(cat.code)
    .bind(unit_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// (content, category, lead unit) of dispatched orders, newest first, at most `limit`.
pub(crate) async fn training_rows(
    db: &Db,
    limit: i64,
) -> Result<Vec<(i64, String, String, i64)>, HotlineError> {
    let rows = sqlx::query(&format!(
        "SELECT id, content, category_code, lead_unit_id FROM hotline_orders \
         WHERE lead_unit_id IS NOT NULL AND state <> 'merged' ORDER BY id DESC LIMIT {limit}"
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("content")?,
                r.try_get("category_code")?,
                r.try_get("lead_unit_id")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// Trains a classifier on rows (tokenising on a blocking thread).
pub(crate) async fn train(rows: Vec<(i64, String, String, i64)>, rules: Vec<Rule>) -> Classifier {
    let built = tokio::task::spawn_blocking(move || {
        let mut c = Classifier {
            rules,
            ..Classifier::default()
        };
        for (_, content, cat, unit) in &rows {
            c.learn_tokens(&tokenize(content), cat, *unit);
        }
        c
    })
    .await;
    built.unwrap_or_default()
}

impl Hotline {
    /// Retrains the models from the orders in the database and reloads the rules.
    pub async fn retrain(&self) -> Result<(), HotlineError> {
        let rows = training_rows(&self.db, TRAINING_LIMIT).await?;
        let rules = load_rules(&self.db).await?;
        let c = train(rows, rules).await;
        if let Ok(mut guard) = self.classifier.write() {
            *guard = c;
        }
        Ok(())
    }

    /// How many orders the models have learnt from.
    pub fn classifier_documents(&self) -> u64 {
        self.classifier
            .read()
            .map(|c| c.category.documents())
            .unwrap_or(0)
    }

    /// Feeds a confirmed or corrected dispatch back into the models.
    pub(crate) fn learn(&self, content: &str, category_code: &str, unit: i64) {
        let tokens = tokenize(content);
        if let Ok(mut guard) = self.classifier.write() {
            guard.learn_tokens(&tokens, category_code, unit);
        }
    }

    /// Suggestions for a content: category and unit from the rules and models.
    pub fn classify(&self, content: &str) -> (Option<Suggested<String>>, Option<Suggested<i64>>) {
        match self.classifier.read() {
            Ok(guard) => guard.suggest(content),
            Err(_) => (None, None),
        }
    }
}
