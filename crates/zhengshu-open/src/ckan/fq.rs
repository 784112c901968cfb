//! `package_search`'s Solr-ish parameters: the fields of `fq` (and `facet.field`) mapped
//! to the catalog's facets, and `sort`.
//!
//! `fq` takes `field:value`, `field:"quoted value"` and `field:(a OR "b c")`, joined by
//! spaces or `AND` (a leading `+` is allowed, as CKAN's own front end writes it). The
//! fields:
//!
//! | CKAN field | catalog facet | value names |
//! |---|---|---|
//! | `organization` (also `owner_org`) | 提供单位 | `unit-{id}` |
//! | `groups` | 主题 | the theme text |
//! | `res_format` | 资源格式 | the format code (`spreadsheet`) or its Chinese label (`电子表格`) |
//! | `open_type` | 开放类型 | `unconditional` / `conditional` or 无条件开放 / 有条件开放 |
//! | `update_cycle` | 更新周期 | `daily` … or 每日 … |
//! | `tags` | keywords (not a catalog facet: filtered after the search) | the keyword |
//!
//! `res_format` is the catalog's 资源格式 (how the provider holds the data), not the file
//! formats of downloads: every dataset with data downloads as CSV, JSON, XLSX and Parquet,
//! so filtering on those would separate nothing.

use zhengshu_catalog::model::{OpenType, Resource, ResourceFormat, UpdateCycle};
use zhengshu_catalog::search::{Facet, Sort};

use super::CkanError;

/// A field of `fq` and `facet.field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchField {
    Organization,
    Groups,
    ResFormat,
    OpenType,
    UpdateCycle,
    Tags,
}

impl SearchField {
    pub const ALL: [SearchField; 6] = [
        SearchField::Organization,
        SearchField::Groups,
        SearchField::ResFormat,
        SearchField::OpenType,
        SearchField::UpdateCycle,
        SearchField::Tags,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchField::Organization => "organization",
            SearchField::Groups => "groups",
            SearchField::ResFormat => "res_format",
            SearchField::OpenType => "open_type",
            SearchField::UpdateCycle => "update_cycle",
            SearchField::Tags => "tags",
        }
    }

    pub fn parse(s: &str) -> Option<SearchField> {
        match s {
            "owner_org" => Some(SearchField::Organization),
            _ => SearchField::ALL.into_iter().find(|f| f.as_str() == s),
        }
    }

    /// The supported fields, for error messages.
    pub fn supported() -> String {
        SearchField::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The catalog facet behind the field (None for `tags`).
    pub fn facet(self) -> Option<Facet> {
        match self {
            SearchField::Organization => Some(Facet::Unit),
            SearchField::Groups => Some(Facet::Theme),
            SearchField::ResFormat => Some(Facet::Format),
            SearchField::OpenType => Some(Facet::OpenType),
            SearchField::UpdateCycle => Some(Facet::UpdateCycle),
            SearchField::Tags => None,
        }
    }

    /// The catalog facet value a CKAN value asks for. A value that names nothing is passed
    /// on as it is and matches nothing, as an unknown value does in CKAN.
    pub fn catalog_value(self, v: &str) -> String {
        let v = v.trim();
        match self {
            SearchField::Organization => v.strip_prefix("unit-").unwrap_or(v).to_string(),
            SearchField::ResFormat => ResourceFormat::parse(v)
                .map(|x| x.as_str().to_string())
                .unwrap_or_else(|| v.to_string()),
            SearchField::OpenType => OpenType::parse(v)
                .map(|x| x.as_str().to_string())
                .unwrap_or_else(|| v.to_string()),
            SearchField::UpdateCycle => UpdateCycle::parse(v)
                .map(|x| x.as_str().to_string())
                .unwrap_or_else(|| v.to_string()),
            SearchField::Groups | SearchField::Tags => v.to_string(),
        }
    }

    /// The CKAN name of a catalog facet value.
    pub fn ckan_name(self, catalog_value: &str) -> String {
        match self {
            SearchField::Organization => format!("unit-{catalog_value}"),
            _ => catalog_value.to_string(),
        }
    }

    /// The CKAN names of a resource under this field.
    pub fn names_of(self, r: &Resource) -> Vec<String> {
        match self {
            SearchField::Tags => r.keywords.clone(),
            SearchField::Groups if r.theme.trim().is_empty() => Vec::new(),
            _ => match self.facet() {
                Some(f) => vec![self.ckan_name(&f.value_of(r))],
                None => Vec::new(),
            },
        }
    }

    /// The label shown for a CKAN name (`display_name`).
    pub fn display_name(self, name: &str, r: Option<&Resource>) -> String {
        match self {
            SearchField::Organization => r
                .map(|r| r.provider_name.clone())
                .unwrap_or_else(|| name.to_string()),
            SearchField::ResFormat => ResourceFormat::parse(name)
                .map(|x| x.label_zh().to_string())
                .unwrap_or_else(|| name.to_string()),
            SearchField::OpenType => OpenType::parse(name)
                .map(|x| x.label_zh().to_string())
                .unwrap_or_else(|| name.to_string()),
            SearchField::UpdateCycle => UpdateCycle::parse(name)
                .map(|x| x.label_zh().to_string())
                .unwrap_or_else(|| name.to_string()),
            SearchField::Groups | SearchField::Tags => name.to_string(),
        }
    }
}

/// One `fq` clause: the field and the values any of which it accepts.
pub type Clause = (SearchField, Vec<String>);

fn fq_error(msg: impl Into<String>) -> CkanError {
    let msg = msg.into();
    CkanError::invalid(
        "fq",
        format!(
            "{msg}. fq takes field:value, field:\"quoted value\" or field:(a OR b), joined by \
             spaces or AND; the fields are {}",
            SearchField::supported()
        ),
    )
}

struct Scanner<'a> {
    chars: Vec<char>,
    at: usize,
    src: &'a str,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// A bare word: up to whitespace, `:`, `(` or `)`.
    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && c != ':' && c != '(' && c != ')')
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// A bare value: up to whitespace (or `)` inside a list); it may hold `:`.
    fn bare_value(&mut self, in_list: bool) -> String {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !(c.is_whitespace() || (in_list && c == ')')))
        {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// A `"quoted value"` (the opening quote is next); `\"` escapes a quote.
    fn quoted(&mut self) -> Result<String, CkanError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(fq_error(format!("a quote is not closed in `{}`", self.src))),
                Some('"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some('\\') if self.chars.get(self.at + 1).is_some() => {
                    out.push(self.chars[self.at + 1]);
                    self.at += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A value: quoted, a parenthesised `OR` list, or a bare word.
    fn values(&mut self, field: &str) -> Result<Vec<String>, CkanError> {
        match self.peek() {
            Some('"') => Ok(vec![self.quoted()?]),
            Some('(') => {
                self.at += 1;
                let mut out = Vec::new();
                loop {
                    self.skip_space();
                    match self.peek() {
                        None => {
                            return Err(fq_error(format!(
                                "a parenthesis is not closed after `{field}:`"
                            )))
                        }
                        Some(')') => {
                            self.at += 1;
                            break;
                        }
                        Some('"') => out.push(self.quoted()?),
                        Some(_) => {
                            let w = self.bare_value(true);
                            if w != "OR" && w != "||" {
                                out.push(w);
                            }
                        }
                    }
                }
                if out.is_empty() {
                    return Err(fq_error(format!("`{field}:()` names no value")));
                }
                Ok(out)
            }
            _ => {
                let w = self.bare_value(false);
                if w.is_empty() {
                    return Err(fq_error(format!("`{field}:` has no value")));
                }
                Ok(vec![w])
            }
        }
    }
}

/// Parses `fq` into clauses, all of which must hold.
pub fn parse_fq(fq: &str) -> Result<Vec<Clause>, CkanError> {
    let mut s = Scanner {
        chars: fq.chars().collect(),
        at: 0,
        src: fq,
    };
    let mut out = Vec::new();
    loop {
        s.skip_space();
        let Some(c) = s.peek() else { break };
        if c == '+' {
            s.at += 1;
            continue;
        }
        if c == '-' || c == '!' {
            return Err(fq_error("negated clauses (-field:value) are not supported"));
        }
        let word = s.word();
        match word.as_str() {
            "AND" | "&&" => continue,
            "OR" | "||" | "NOT" => {
                return Err(fq_error(format!(
                    "`{word}` between clauses is not supported (write field:(a OR b) for \
                     any of several values)"
                )))
            }
            "" => return Err(fq_error(format!("unexpected `{c}`"))),
            _ => {}
        }
        if s.peek() != Some(':') {
            return Err(fq_error(format!("`{word}` is not field:value")));
        }
        s.at += 1;
        if word == "*" {
            // `*:*` matches everything.
            s.values(&word)?;
            continue;
        }
        let field = SearchField::parse(&word)
            .ok_or_else(|| fq_error(format!("`{word}` is not a field zhengshu filters on")))?;
        let values = s.values(&word)?;
        out.push((field, values));
    }
    Ok(out)
}

/// Splits `q` into free text and `field:value` terms of known fields (CKAN clients put
/// filters in `q` too, e.g. `q=tags:空气质量`). `*:*` is no text.
pub fn split_q(q: &str) -> Result<(String, Vec<Clause>), CkanError> {
    let mut text = Vec::new();
    let mut clauses = Vec::new();
    for token in q.split_whitespace() {
        if token == "*:*" {
            continue;
        }
        match token.split_once(':') {
            Some((f, _)) if SearchField::parse(f).is_some() => {
                clauses.extend(parse_fq(token)?);
            }
            _ => text.push(token),
        }
    }
    Ok((text.join(" "), clauses))
}

/// What `package_search` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Score,
    Modified,
    Created,
    Title,
    Name,
}

/// How to sort: by the catalog index, or (orders the index does not keep) in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortPlan {
    Native(Sort),
    /// (key, descending), in order of precedence.
    InMemory(Vec<(SortKey, bool)>),
}

/// Parses `sort` (`score desc, metadata_modified desc`, CKAN's default). Titles and names
/// sort in memory: the index's name order compares only a name's first 8 bytes (under
/// three Chinese characters; every title here starts with the district's name).
pub fn parse_sort(sort: Option<&str>) -> Result<SortPlan, CkanError> {
    let sort = sort.map(str::trim).filter(|s| !s.is_empty());
    let Some(sort) = sort else {
        return Ok(SortPlan::Native(Sort::Relevance));
    };
    let bad = |msg: String| {
        CkanError::invalid(
            "sort",
            format!(
                "{msg}; sort takes `field asc|desc` clauses separated by commas, the fields \
                 being score, metadata_modified, metadata_created, title_string (or title) \
                 and name"
            ),
        )
    };
    let mut keys = Vec::new();
    for clause in sort.split(',') {
        let mut parts = clause.split_whitespace();
        let Some(field) = parts.next() else {
            return Err(bad("an empty sort clause".into()));
        };
        let desc = match parts.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => return Err(bad(format!("`{other}` is not asc or desc"))),
        };
        if parts.next().is_some() {
            return Err(bad(format!(
                "`{}` has more than a field and a direction",
                clause.trim()
            )));
        }
        let key = match field {
            "score" => SortKey::Score,
            "metadata_modified" => SortKey::Modified,
            "metadata_created" => SortKey::Created,
            "title_string" | "title" => SortKey::Title,
            "name" => SortKey::Name,
            other => return Err(bad(format!("`{other}` is not a sort field"))),
        };
        keys.push((key, desc));
    }
    Ok(match keys.first() {
        Some((SortKey::Score, _)) => SortPlan::Native(Sort::Relevance),
        Some((SortKey::Modified, true)) => SortPlan::Native(Sort::Updated),
        Some((SortKey::Created, true)) => SortPlan::Native(Sort::Published),
        _ => SortPlan::InMemory(keys),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clauses_quotes_and_or_lists() {
        let c = parse_fq(
            r#"organization:unit-3 AND groups:"生态 环境" +res_format:(spreadsheet OR "数据库")"#,
        )
        .unwrap();
        assert_eq!(
            c,
            vec![
                (SearchField::Organization, vec!["unit-3".to_string()]),
                (SearchField::Groups, vec!["生态 环境".to_string()]),
                (
                    SearchField::ResFormat,
                    vec!["spreadsheet".to_string(), "数据库".to_string()]
                ),
            ]
        );
        assert_eq!(parse_fq("  ").unwrap(), vec![]);
        assert_eq!(parse_fq("*:*").unwrap(), vec![]);
        assert_eq!(
            parse_fq("owner_org:unit-1 tags:空气 groups:a:b").unwrap(),
            vec![
                (SearchField::Organization, vec!["unit-1".to_string()]),
                (SearchField::Tags, vec!["空气".to_string()]),
                (SearchField::Groups, vec!["a:b".to_string()]),
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_do_and_says_which_fields_exist() {
        for bad in [
            "license_id:cc-by",
            "groups",
            "groups:\"open",
            "groups:(a OR b",
            "groups:",
            "groups:a OR groups:b",
            "-groups:a",
            ":x",
        ] {
            let e = parse_fq(bad).unwrap_err();
            let CkanError::Validation { fields, .. } = &e else {
                panic!("{bad}: {e:?}")
            };
            assert_eq!(fields[0].0, "fq", "{bad}");
            assert!(fields[0].1.contains("organization, groups"), "{bad}: {e:?}");
        }
    }

    #[test]
    fn values_map_to_catalog_codes() {
        assert_eq!(SearchField::Organization.catalog_value("unit-12"), "12");
        assert_eq!(
            SearchField::ResFormat.catalog_value("电子表格"),
            "spreadsheet"
        );
        assert_eq!(
            SearchField::OpenType.catalog_value("有条件开放"),
            "conditional"
        );
        assert_eq!(SearchField::UpdateCycle.catalog_value("daily"), "daily");
        assert_eq!(
            SearchField::UpdateCycle.catalog_value("nonsense"),
            "nonsense"
        );
        assert_eq!(SearchField::Organization.ckan_name("12"), "unit-12");
    }

    #[test]
    fn q_terms_of_known_fields_become_filters() {
        let (text, clauses) = split_q("空气 质量 tags:环境 name:x").unwrap();
        assert_eq!(text, "空气 质量 name:x");
        assert_eq!(clauses, vec![(SearchField::Tags, vec!["环境".to_string()])]);
        assert_eq!(split_q("*:*").unwrap(), (String::new(), vec![]));
    }

    #[test]
    fn sorts() {
        assert_eq!(
            parse_sort(Some("score desc, metadata_modified desc")).unwrap(),
            SortPlan::Native(Sort::Relevance)
        );
        assert_eq!(
            parse_sort(Some("metadata_modified desc")).unwrap(),
            SortPlan::Native(Sort::Updated)
        );
        assert_eq!(
            parse_sort(Some("name asc")).unwrap(),
            SortPlan::InMemory(vec![(SortKey::Name, false)])
        );
        assert_eq!(
            parse_sort(Some("title_string asc")).unwrap(),
            SortPlan::InMemory(vec![(SortKey::Title, false)])
        );
        assert_eq!(
            parse_sort(Some("title_string desc")).unwrap(),
            SortPlan::InMemory(vec![(SortKey::Title, true)])
        );
        assert_eq!(parse_sort(None).unwrap(), SortPlan::Native(Sort::Relevance));
        assert!(parse_sort(Some("views desc")).is_err());
        assert!(parse_sort(Some("name sideways")).is_err());
    }
}
