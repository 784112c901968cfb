//! Links back into the API (`_links` of `datastore_search`, the `help` URL).

use serde_json::Value;

use super::Params;

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn as_query_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `path?k=v&…` with the call's parameters, `offset` left out or replaced.
pub fn with_offset(path: &str, params: &Params, offset: Option<usize>) -> String {
    let mut parts: Vec<String> = params
        .0
        .iter()
        .filter(|(k, v)| k.as_str() != "offset" && !v.is_null())
        .map(|(k, v)| format!("{}={}", encode(k), encode(&as_query_value(v))))
        .collect();
    if let Some(o) = offset {
        parts.push(format!("offset={o}"));
    }
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_json_and_chinese() {
        assert_eq!(encode("a b/中"), "a%20b%2F%E4%B8%AD");
        let p = Params(
            json!({"resource_id": "101001-0001-0001", "filters": {"k": 1}, "offset": 5})
                .as_object()
                .cloned()
                .unwrap(),
        );
        let next = with_offset("/api/3/action/datastore_search", &p, Some(105));
        assert!(next.contains("resource_id=101001-0001-0001"), "{next}");
        assert!(next.contains("filters=%7B%22k%22%3A1%7D"), "{next}");
        assert!(next.ends_with("offset=105"), "{next}");
        assert!(!with_offset("/x", &p, None).contains("offset"));
    }
}
