//! The XML forms of GeoReport v2 responses, written from the same JSON values as the
//! JSON forms: `<service_requests><request>…</request></service_requests>` and so on.

use serde_json::Value;

/// A root element name and the value under it.
#[derive(Debug, Clone, Copy)]
pub struct XmlNode<'a> {
    pub root: &'a str,
    pub value: &'a Value,
}

/// The element name of the items of an array element.
fn item_name(list: &str) -> &str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        other => other.strip_suffix('s').unwrap_or("item"),
    }
}

/// GeoReport v2 field names in the specification's order; objects are written in this
/// order (other keys after, alphabetically).
const FIELD_ORDER: &[&str] = &[
    "changeset",
    "contact",
    "key_service",
    "endpoints",
    "specification",
    "url",
    "formats",
    "service_request_id",
    "token",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
    "attributes",
    "values",
    "key",
    "name",
    "agency_responsible",
    "service_notice",
    "account_id",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
];

fn rank(key: &str) -> usize {
    FIELD_ORDER
        .iter()
        .position(|k| *k == key)
        .unwrap_or(FIELD_ORDER.len())
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
}

fn element(name: &str, v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            let item = item_name(name);
            for i in items {
                element(item, i, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            let mut fields: Vec<(&String, &Value)> = map.iter().collect();
            fields.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then(a.0.cmp(b.0)));
            for (k, v) in fields {
                element(k, v, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => {
            out.push_str(&format!("<{name}>"));
            escape(s, out);
            out.push_str(&format!("</{name}>"));
        }
        Value::Bool(b) => out.push_str(&format!("<{name}>{b}</{name}>")),
        Value::Number(n) => out.push_str(&format!("<{name}>{n}</{name}>")),
    }
}

/// The XML document of `node`.
pub fn to_xml(node: XmlNode<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    element(node.root, node.value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_get_item_elements_and_text_is_escaped() {
        let v =
            json!([{"service_request_id": "GD1", "description": "a < b & c", "media_url": null}]);
        let x = to_xml(XmlNode {
            root: "service_requests",
            value: &v,
        });
        assert_eq!(
            x,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request><service_request_id>GD1</service_request_id>\
             <description>a &lt; b &amp; c</description><media_url/></request></service_requests>"
        );
        let e = to_xml(XmlNode {
            root: "errors",
            value: &json!([{"code": 400, "description": "x"}]),
        });
        assert!(e.contains(
            "<errors><error><code>400</code><description>x</description></error></errors>"
        ));
    }
}
