//! Chinese text analysis shared by indexing and querying: [`normalize_for_search`]
//! (traditional → simplified, full-width → ASCII, inline pinyin removed, lower case),
//! then jieba words, Han character bigrams (partial words) and single characters.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use zhengshu_core::normalize_for_search;

/// The jieba segmenter with its built-in dictionary (built once, ~0.2 s).
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the dictionary now rather than on the first search.
pub(crate) fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The index tokens of `text`.
pub(crate) fn index_tokens(text: &str) -> Vec<String> {
    let norm = normalize_for_search(text);
    let mut out = Vec::new();
    for word in JIEBA.cut_for_search(&norm, true) {
        let chars: Vec<char> = word.chars().collect();
        if !chars.iter().any(|c| is_word_char(*c)) {
            continue;
        }
        if chars.iter().all(|c| is_han(*c)) {
            if chars.len() >= 2 {
                out.push(word.to_string());
            }
        } else {
            out.push(word.to_string());
        }
    }
    for run in han_runs(&norm) {
        for c in &run {
            out.push(c.to_string());
        }
        for pair in run.windows(2) {
            out.push(pair.iter().collect());
        }
    }
    out
}

fn han_runs(s: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut cur = Vec::new();
    for c in s.chars() {
        if is_han(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

/// What a query asks for: every group must match (a group is the bigrams of one query
/// word, so a word matches wherever it occurs as a substring), and the words themselves
/// raise the score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QueryTerms {
    /// Terms that must all occur.
    pub(crate) required: Vec<String>,
    /// Whole words, for ranking.
    pub(crate) words: Vec<String>,
}

pub(crate) fn query_terms(q: &str) -> QueryTerms {
    let norm = normalize_for_search(q);
    let all: Vec<char> = norm.chars().collect();
    let mut t = QueryTerms::default();
    let mut start = 0;
    for word in JIEBA.cut(&norm, true) {
        let chars: Vec<char> = word.chars().collect();
        let at = start;
        start += chars.len();
        if !chars.iter().any(|c| is_word_char(*c)) {
            continue;
        }
        let mut push = |s: String| {
            if !t.required.contains(&s) {
                t.required.push(s);
            }
        };
        if chars.iter().all(|c| is_han(*c)) {
            if chars.len() == 1 {
                // A lone character binds to its Han neighbour (大|数据 → 大数), so it
                // must occur next to it; alone it is a single-character query.
                let next = all.get(at + 1).filter(|c| is_han(**c));
                let prev = at
                    .checked_sub(1)
                    .and_then(|i| all.get(i))
                    .filter(|c| is_han(**c));
                match (prev, next) {
                    (_, Some(n)) => push([chars[0], *n].iter().collect()),
                    (Some(p), None) => push([*p, chars[0]].iter().collect()),
                    (None, None) => push(word.to_string()),
                }
            }
            for pair in chars.windows(2) {
                push(pair.iter().collect());
            }
        } else {
            push(word.to_string());
        }
        if !t.words.iter().any(|w| w == word) {
            t.words.push(word.to_string());
        }
    }
    t
}

/// The tantivy tokenizer over [`index_tokens`] (registered as `zh`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ZhTokenizer;

pub(crate) struct ZhTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let tokens = index_tokens(text)
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text,
                position_length: 1,
            })
            .collect();
        ZhTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_pinyin_annotated_forms_index_like_simplified() {
        let plain = index_tokens("推进大数据建设");
        assert!(plain.contains(&"大数据".to_string()) || plain.contains(&"数据".to_string()));
        assert_eq!(index_tokens("推進大數據建設"), plain);
        assert_eq!(index_tokens("推進大數(shù)據(jù)建設"), plain);
    }

    #[test]
    fn query_words_become_bigram_groups() {
        let t = query_terms("大數據 平台");
        assert_eq!(t.required, ["大数", "数据", "平台"]);
        assert!(t.words.contains(&"数据".to_string()));
        let t = query_terms("GIS 人");
        assert_eq!(t.required, ["gis", "人"]);
    }

    #[test]
    fn every_required_query_term_is_an_index_token_of_a_containing_text() {
        let doc = index_tokens("区政务服务数据管理局的人口信息大数据平台");
        for q in ["大数据", "数据管理", "人口", "平台", "政务", "务服"] {
            for term in query_terms(q).required {
                assert!(doc.contains(&term), "{q}: {term} not indexed");
            }
        }
    }
}
