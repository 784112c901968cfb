//! Multinomial naive Bayes with Laplace (add-one) smoothing.

use std::collections::{BTreeMap, HashMap};

/// Per-class counts.
#[derive(Debug, Clone, Default)]
struct ClassCounts {
    docs: u64,
    tokens: u64,
    words: HashMap<String, u64>,
}

/// A multinomial naive Bayes text classifier over labels `L`.
///
/// `score(c) = log P(c) + Σ_w log((n(w, c) + 1) / (n(c) + |V|))`, words outside the
/// vocabulary ignored; the confidence is the softmax of the scores.
#[derive(Debug, Clone)]
pub struct NaiveBayes<L: Ord> {
    classes: BTreeMap<L, ClassCounts>,
    vocabulary: HashMap<String, u64>,
    docs: u64,
}

impl<L: Ord> Default for NaiveBayes<L> {
    fn default() -> Self {
        NaiveBayes {
            classes: BTreeMap::new(),
            vocabulary: HashMap::new(),
            docs: 0,
        }
    }
}

impl<L: Ord + Clone> NaiveBayes<L> {
    /// Adds one labelled document.
    pub fn learn(&mut self, tokens: &[String], label: L) {
        let class = self.classes.entry(label).or_default();
        class.docs += 1;
        for t in tokens {
            class.tokens += 1;
            *class.words.entry(t.clone()).or_insert(0) += 1;
            *self.vocabulary.entry(t.clone()).or_insert(0) += 1;
        }
        self.docs += 1;
    }

    /// Documents learnt so far.
    pub fn documents(&self) -> u64 {
        self.docs
    }

    /// Number of labels seen.
    pub fn labels(&self) -> usize {
        self.classes.len()
    }

    /// The log score of every label.
    pub fn scores(&self, tokens: &[String]) -> Vec<(L, f64)> {
        let v = self.vocabulary.len() as f64;
        let total = self.docs as f64;
        self.classes
            .iter()
            .map(|(label, c)| {
                let denom = (c.tokens as f64 + v).ln();
                let mut s = (c.docs as f64 / total).ln();
                for t in tokens {
                    if !self.vocabulary.contains_key(t) {
                        continue;
                    }
                    let n = c.words.get(t).copied().unwrap_or(0) as f64;
                    s += (n + 1.0).ln() - denom;
                }
                (label.clone(), s)
            })
            .collect()
    }

    /// The most probable label and its posterior probability; none before any training
    /// or when no token of the text is known.
    pub fn predict(&self, tokens: &[String]) -> Option<(L, f64)> {
        if self.docs == 0 || !tokens.iter().any(|t| self.vocabulary.contains_key(t)) {
            return None;
        }
        let scores = self.scores(tokens);
        let max = scores
            .iter()
            .map(|(_, s)| *s)
            .fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = scores.iter().map(|(_, s)| (s - max).exp()).sum();
        let (label, best) = scores.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        Some((label, (best - max).exp() / sum))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn learns_and_predicts_with_smoothing() {
        let mut nb = NaiveBayes::default();
        nb.learn(&t("噪音 晚上 广场舞"), "noise");
        nb.learn(&t("噪音 装修 晚上"), "noise");
        nb.learn(&t("垃圾 清运 臭味"), "rubbish");
        let (label, p) = nb.predict(&t("晚上 广场舞")).unwrap();
        assert_eq!(label, "noise");
        assert!(p > 0.5 && p <= 1.0);
        assert_eq!(nb.predict(&t("垃圾 臭味")).unwrap().0, "rubbish");
        // Unknown words only: no guess.
        assert!(nb.predict(&t("外星人")).is_none());
        assert_eq!(nb.documents(), 3);
        assert_eq!(nb.labels(), 2);
    }

    #[test]
    fn laplace_smoothing_matches_the_formula() {
        let mut nb = NaiveBayes::default();
        nb.learn(&t("a a b"), 1);
        nb.learn(&t("c"), 2);
        // |V| = 3. Class 1: P = 1/2, n = 3; P(a|1) = (2+1)/(3+3).
        let s = nb.scores(&t("a"));
        let expected = (0.5f64).ln() + (3.0f64 / 6.0).ln();
        assert!((s[0].1 - expected).abs() < 1e-12);
        // Class 2: P(a|2) = (0+1)/(1+3).
        let expected2 = (0.5f64).ln() + (1.0f64 / 4.0).ln();
        assert!((s[1].1 - expected2).abs() < 1e-12);
    }
}
