//! Accuracy of the classifier on a held-out part of the history.

use serde::Serialize;
use zhengshu_db::Db;

use super::{load_rules, tokenize, training_rows, Classifier};
use crate::HotlineError;

/// The result of [`evaluate_classifier`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Orders trained on (80 %).
    pub trained: usize,
    /// Held-out orders (every fifth, 20 %).
    pub tested: usize,
    /// Category accuracy of the naive Bayes model alone.
    pub category_model_accuracy: f64,
    /// Category accuracy of rules then model, as the operator sees it.
    pub category_accuracy: f64,
    /// Share of held-out orders a rule decided.
    pub rule_coverage: f64,
    /// Lead-unit accuracy of the model.
    pub unit_accuracy: f64,
    /// Number of categories and units seen in training.
    pub categories: usize,
    pub units: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "classifier: trained on {} orders, tested on {} held-out orders ({} categories, {} units)\n  \
             category accuracy {:.1}% (model alone {:.1}%, rules decided {:.1}%)\n  lead-unit accuracy {:.1}%",
            self.trained,
            self.tested,
            self.categories,
            self.units,
            self.category_accuracy * 100.0,
            self.category_model_accuracy * 100.0,
            self.rule_coverage * 100.0,
            self.unit_accuracy * 100.0
        )
    }
}

/// Trains on 80 % of the dispatched orders (up to the training limit, most recent first)
/// and measures the accuracy on the other 20 % (orders whose id is a multiple of 5).
pub async fn evaluate_classifier(db: &Db) -> Result<Report, HotlineError> {
    let rows = training_rows(db, super::TRAINING_LIMIT * 5 / 4).await?;
    let rules = load_rules(db).await?;
    let (test, train): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.0 % 5 == 0);
    let trained = train.len();
    let report = tokio::task::spawn_blocking(move || {
        let mut c = Classifier {
            rules,
            ..Classifier::default()
        };
        for (_, content, cat, unit) in &train {
            c.learn_tokens(&tokenize(content), cat, *unit);
        }
        let (mut cat_ok, mut model_ok, mut unit_ok, mut by_rule) = (0usize, 0usize, 0usize, 0usize);
        for (_, content, cat, unit) in &test {
            let tokens = tokenize(content);
            let model = c.category.predict(&tokens).map(|p| p.0);
            if model.as_deref() == Some(cat.as_str()) {
                model_ok += 1;
            }
            let (sc, su) = c.suggest(content);
            if let Some(s) = &sc {
                if s.source == super::Source::Rule {
                    by_rule += 1;
                }
                if s.value == *cat {
                    cat_ok += 1;
                }
            }
            if su.map(|s| s.value) == Some(*unit) {
                unit_ok += 1;
            }
        }
        let n = test.len().max(1) as f64;
        Report {
            trained,
            tested: test.len(),
            category_model_accuracy: model_ok as f64 / n,
            category_accuracy: cat_ok as f64 / n,
            rule_coverage: by_rule as f64 / n,
            unit_accuracy: unit_ok as f64 / n,
            categories: c.category.labels(),
            units: c.unit.labels(),
        }
    })
    .await;
    report.map_err(|e| HotlineError::invalid("classifier", format!("evaluation failed: {e}")))
}
