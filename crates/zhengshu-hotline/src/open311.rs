//! Open311 GeoReport v2: the public API for service requests. Services are the dispatch
//! catalog's categories; service requests are work orders (`service_request_id` is the
//! order number). This file maps between the two; `xml.rs` writes the XML forms and
//! `crate::http::open311` serves them.

mod xml;

pub use xml::{to_xml, XmlNode};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use zhengshu_core::china_offset;
use zhengshu_db::parse_ts;

use crate::model::{
    category, street, AppealType, Category, Urgency, WorkOrder, CATEGORIES, STREETS,
};

/// The response format, from the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Splits `requests.json` into (`requests`, format).
pub fn split_format(file: &str) -> Option<(&str, Format)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let fmt = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    (!stem.is_empty()).then_some((stem, fmt))
}

/// An Open311 error: HTTP status and `{code, description}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Open311Error {
    pub code: u16,
    pub description: String,
}

impl Open311Error {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        Open311Error {
            code,
            description: description.into(),
        }
    }
    pub fn bad_request(d: impl Into<String>) -> Self {
        Self::new(400, d)
    }
    pub fn forbidden(d: impl Into<String>) -> Self {
        Self::new(403, d)
    }
    pub fn not_found(d: impl Into<String>) -> Self {
        Self::new(404, d)
    }
}

/// ISO 8601 with the +08:00 offset (`2026-11-24T10:30:00+08:00`).
pub fn iso(stored: &str) -> Option<String> {
    parse_ts(stored).map(|t| {
        t.with_timezone(&china_offset())
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    })
}

/// Parses an Open311 date filter: an ISO 8601 datetime with offset (or `Z`), or a plain
/// date (midnight China time).
pub fn parse_datetime(field: &str, s: &str) -> Result<DateTime<Utc>, Open311Error> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| china_offset().from_local_datetime(&t).single())
        {
            return Ok(t.with_timezone(&Utc));
        }
    }
    Err(Open311Error::bad_request(format!(
        "{field} `{s}` is not an ISO 8601 datetime; use e.g. 2026-11-24T00:00:00+08:00"
    )))
}

/// The attributes every service accepts (`attribute[code]=value`).
pub fn attributes() -> Value {
    let values = |pairs: Vec<(&str, &str)>| -> Value {
        pairs
            .into_iter()
            .map(|(k, n)| json!({"key": k, "name": n}))
            .collect::<Vec<_>>()
            .into()
    };
    json!([
        {
            "variable": true, "code": "appeal_type", "datatype": "singlevaluelist", "required": false,
            "datatype_description": "诉求类型", "order": 1, "description": "诉求类型 (appeal type); defaults to the service's usual type",
            "values": values(AppealType::ALL.iter().map(|a| (a.as_str(), a.label_zh())).collect())
        },
        {
            "variable": true, "code": "urgency", "datatype": "singlevaluelist", "required": false,
            "datatype_description": "紧急程度", "order": 2, "description": "紧急程度 (urgency); emergencies go to 110",
            "values": values(vec![("normal", Urgency::Normal.label_zh()), ("urgent", Urgency::Urgent.label_zh())])
        },
        {
            "variable": true, "code": "street", "datatype": "singlevaluelist", "required": false,
            "datatype_description": "所属街道", "order": 3,
            "description": "所属街道 (street); needed when the address does not name it and no lat/long is given",
            "values": values(STREETS.iter().map(|s| (*s, *s)).collect())
        }
    ])
}

/// `GET services`: one entry per category.
pub fn service_list() -> Vec<Value> {
    CATEGORIES.iter().map(service_entry).collect()
}

fn service_entry(c: &Category) -> Value {
    json!({
        "service_code": c.code,
        "service_name": c.name,
        "description": format!("{} ({})", c.name, c.name_en),
        "metadata": true,
        "type": "realtime",
        "keywords": c.keywords.join(","),
        "group": c.group,
    })
}

/// `GET services/{code}`: the service definition.
pub fn service_definition(code: &str) -> Option<Value> {
    let c = category(code)?;
    Some(json!({"service_code": c.code, "attributes": attributes()}))
}

/// A work order as an Open311 service request (no caller data; digits masked in the
/// description, the address cut after the street).
pub fn service_request(o: &WorkOrder) -> Value {
    let closed = !o.state.is_open();
    let status_notes = match (&o.reply, closed) {
        (Some(r), true) => format!("{}: {r}", o.state.label_zh()),
        _ => o.state.label_zh().to_string(),
    };
    json!({
        "service_request_id": o.order_no,
        "status": o.state.open311_status(),
        "status_notes": status_notes,
        "service_name": o.category_name(),
        "service_code": o.category_code,
        "description": crate::export::mask_digit_runs(&o.content),
        "agency_responsible": o.lead_unit_name.clone().unwrap_or_default(),
        "service_notice": "",
        "requested_datetime": iso(&o.created_at),
        "updated_datetime": iso(&o.updated_at),
        "expected_datetime": o.due_at.as_deref().and_then(iso),
        "address": zhengshu_core::mask_address(&o.address),
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": o.lat,
        "long": o.long,
        "media_url": Value::Null,
    })
}

/// The street of a location: named in the address (or address id), else the nearest
/// street centre to lat/long inside the district.
pub fn street_of(address: &str, lat: Option<f64>, long: Option<f64>) -> Option<&'static str> {
    if let Some(s) = STREETS
        .iter()
        .copied()
        .find(|s| address.contains(s) || address.contains(s.trim_end_matches("街道")))
    {
        return Some(s);
    }
    if let Some(s) = street(address) {
        return Some(s);
    }
    let (lat, long) = (lat?, long?);
    if !(22.50..=22.85).contains(&lat) || !(113.95..=114.45).contains(&long) {
        return None;
    }
    STREETS.iter().copied().min_by(|a, b| {
        let d = |s: &str| {
            let (y, x) = crate::demo::street_centre_of(s);
            (y - lat).powi(2) + (x - long).powi(2)
        };
        d(a).total_cmp(&d(b))
    })
}

/// The discovery document.
pub fn discovery(base_url: &str) -> Value {
    json!({
        "changeset": "2026-11-27T00:00:00+08:00",
        "contact": "12345 政务服务便民热线 · 区政务服务数据管理局",
        "key_service": "API keys are issued by the district's data bureau (console: 12345 工单 → Open311 密钥).",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": format!("{base_url}/open311/v2"),
            "changeset": "2026-11-27T00:00:00+08:00",
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_dates() {
        assert_eq!(
            split_format("requests.json"),
            Some(("requests", Format::Json))
        );
        assert_eq!(
            split_format("GD202611240001.xml"),
            Some(("GD202611240001", Format::Xml))
        );
        assert_eq!(split_format("requests.html"), None);
        assert_eq!(split_format(".json"), None);
        assert_eq!(
            iso("2026-11-24T02:30:00.000000Z").as_deref(),
            Some("2026-11-24T10:30:00+08:00")
        );
        let t = parse_datetime("start_date", "2026-11-24T10:30:00+08:00").unwrap();
        assert_eq!(zhengshu_db::ts(t), "2026-11-24T02:30:00.000000Z");
        assert!(parse_datetime("start_date", "yesterday").is_err());
        assert!(parse_datetime("end_date", "2026-11-24").is_ok());
    }

    #[test]
    fn streets_from_address_or_coordinates() {
        assert_eq!(
            street_of("深圳市龙岗区坂田街道五和大道", None, None),
            Some("坂田街道")
        );
        assert_eq!(street_of("布吉", None, None), Some("布吉街道"));
        assert_eq!(street_of("", Some(22.772), Some(114.311)), Some("坪地街道"));
        assert_eq!(street_of("", Some(39.9), Some(116.4)), None);
    }
}
