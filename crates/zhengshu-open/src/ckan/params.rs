//! An action's parameters as CKAN takes them: the keys of a JSON body, or query-string
//! and form fields (all text; a repeated key is a list). A parameter that CKAN types as
//! JSON (`filters`, `fields`, `facet.field`, a dict `q` …) may come as JSON text, and a
//! list also as a comma-separated string, as CKAN's validators accept.

use serde_json::{Map, Value};

use super::CkanError;

/// The parameters of one call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(pub Map<String, Value>);

impl Params {
    /// From query or form pairs; a key given more than once becomes a list.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        let mut m = Map::new();
        for (k, v) in pairs {
            match m.get_mut(&k) {
                None => {
                    m.insert(k, Value::String(v));
                }
                Some(Value::Array(a)) => a.push(Value::String(v)),
                Some(old) => {
                    let first = old.take();
                    *old = Value::Array(vec![first, Value::String(v)]);
                }
            }
        }
        Params(m)
    }

    /// Adds the pairs whose keys are not there yet (query parameters of a POST).
    pub fn merge_missing(&mut self, other: Params) {
        for (k, v) in other.0 {
            self.0.entry(k).or_insert(v);
        }
    }

    /// The first of these keys that is present and not null.
    fn get(&self, keys: &[&str]) -> Option<(&str, &Value)> {
        keys.iter().find_map(|k| {
            self.0
                .get_key_value(*k)
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.as_str(), v))
        })
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(&[key]).is_some()
    }

    /// A text parameter (numbers and booleans as their text).
    pub fn text(&self, keys: &[&str]) -> Result<Option<String>, CkanError> {
        match self.get(keys) {
            None => Ok(None),
            Some((_, Value::String(s))) => Ok(Some(s.clone())),
            Some((_, Value::Number(n))) => Ok(Some(n.to_string())),
            Some((_, Value::Bool(b))) => Ok(Some(b.to_string())),
            Some((k, _)) => Err(CkanError::invalid(k, "must be a string")),
        }
    }

    /// A non-negative whole number.
    pub fn count(&self, keys: &[&str], default: usize) -> Result<usize, CkanError> {
        let Some((k, v)) = self.get(keys) else {
            return Ok(default);
        };
        let bad = || CkanError::invalid(k, "Must be a natural number (0, 1, 2 …)");
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(bad),
            Value::String(s) if s.trim().is_empty() => Ok(default),
            Value::String(s) => s.trim().parse::<usize>().map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    /// A boolean: `true`/`false` (any case), `1`/`0`, `yes`/`no`, or JSON booleans.
    pub fn flag(&self, keys: &[&str], default: bool) -> Result<bool, CkanError> {
        let Some((k, v)) = self.get(keys) else {
            return Ok(default);
        };
        let bad = || CkanError::invalid(k, "Must be true or false");
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) => match n.as_i64() {
                Some(0) => Ok(false),
                Some(1) => Ok(true),
                _ => Err(bad()),
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" | "t" | "y" => Ok(true),
                "false" | "0" | "no" | "off" | "f" | "n" => Ok(false),
                "" => Ok(default),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// A JSON-typed parameter: JSON values as given; text that starts like a JSON object
    /// or list is parsed (a syntax error is a Validation Error); other text stays text.
    pub fn json(&self, keys: &[&str]) -> Result<Option<(String, Value)>, CkanError> {
        let Some((k, v)) = self.get(keys) else {
            return Ok(None);
        };
        match v {
            Value::String(s) => {
                let t = s.trim_start();
                if t.starts_with('{') || t.starts_with('[') {
                    serde_json::from_str(s)
                        .map(|v| Some((k.to_string(), v)))
                        .map_err(|e| {
                            CkanError::invalid(k, format!("Could not parse as valid JSON: {e}"))
                        })
                } else {
                    Ok(Some((k.to_string(), v.clone())))
                }
            }
            other => Ok(Some((k.to_string(), other.clone()))),
        }
    }

    /// A list of strings: a JSON list (or its text), a comma-separated string, or a
    /// repeated query key.
    pub fn list(&self, keys: &[&str]) -> Result<Option<Vec<String>>, CkanError> {
        let Some((k, v)) = self.json(keys)? else {
            return Ok(None);
        };
        let bad = || CkanError::invalid(&k, "Must be a list of strings");
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    match i {
                        // A repeated key whose values are comma lists or JSON lists.
                        Value::String(s) => out.extend(split_list(&s)),
                        Value::Number(n) => out.push(n.to_string()),
                        _ => return Err(bad()),
                    }
                }
                Ok(Some(out))
            }
            Value::String(s) => Ok(Some(split_list(&s))),
            _ => Err(bad()),
        }
    }
}

/// `a, b,c` → `[a, b, c]`; a JSON list text → its strings.
fn split_list(s: &str) -> Vec<String> {
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(s) {
        return items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect();
    }
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(p: &[(&str, &str)]) -> Params {
        Params::from_pairs(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn repeated_keys_become_lists() {
        let p = pairs(&[("fields", "a"), ("fields", "b,c"), ("x", "1")]);
        assert_eq!(
            p.list(&["fields"]).unwrap(),
            Some(vec!["a".into(), "b".into(), "c".into()])
        );
        assert_eq!(p.text(&["x"]).unwrap(), Some("1".into()));
    }

    #[test]
    fn lists_from_json_text_or_commas() {
        let p = pairs(&[("facet.field", r#"["groups","tags"]"#), ("f", "a, b")]);
        assert_eq!(
            p.list(&["facet.field"]).unwrap(),
            Some(vec!["groups".into(), "tags".into()])
        );
        assert_eq!(p.list(&["f"]).unwrap(), Some(vec!["a".into(), "b".into()]));
        let bad = pairs(&[("facet.field", "[\"groups\"")]);
        let e = bad.list(&["facet.field"]).unwrap_err();
        assert!(matches!(e, CkanError::Validation { .. }), "{e:?}");
    }

    #[test]
    fn numbers_and_flags() {
        let p = Params(
            json!({"rows": 5, "start": "7", "neg": -1, "t": "True", "f": 0})
                .as_object()
                .cloned()
                .unwrap(),
        );
        assert_eq!(p.count(&["rows"], 10).unwrap(), 5);
        assert_eq!(p.count(&["start"], 0).unwrap(), 7);
        assert_eq!(p.count(&["missing"], 10).unwrap(), 10);
        assert!(p.count(&["neg"], 0).is_err());
        assert!(p.flag(&["t"], false).unwrap());
        assert!(!p.flag(&["f"], true).unwrap());
        assert!(p.flag(&["rows"], true).is_err());
    }

    #[test]
    fn json_text_is_parsed_and_plain_text_kept() {
        let p = pairs(&[("filters", r#"{"a": 1}"#), ("q", "空气")]);
        assert_eq!(
            p.json(&["filters"]).unwrap().map(|(_, v)| v),
            Some(json!({"a": 1}))
        );
        assert_eq!(p.json(&["q"]).unwrap().map(|(_, v)| v), Some(json!("空气")));
        assert!(pairs(&[("filters", "{oops")]).json(&["filters"]).is_err());
    }
}
