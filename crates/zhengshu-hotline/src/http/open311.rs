//! `/open311/v2/…`: GeoReport v2 in JSON and XML. Public reads; `POST requests` needs an
//! `api_key`. Errors are arrays of `{code, description}` with 400, 403 or 404.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Duration;
use serde_json::{json, Value};
use zhengshu_db::ts;

use crate::model::{category, AppealType, NewOrder, Urgency, MAX_CONTENT_CHARS};
use crate::open311::{self, split_format, to_xml, Format, Open311Error, XmlNode};
use crate::service::{Actor, Intake};
use crate::store::{self, RequestSearch};
use crate::{HotlineError, HotlineState};

/// The most requests one `GET requests` page returns.
const MAX_PAGE_SIZE: i64 = 1000;
const DEFAULT_PAGE_SIZE: i64 = 100;

fn respond(fmt: Format, status: StatusCode, root: &str, value: &Value) -> Response {
    match fmt {
        Format::Json => (status, axum::Json(value.clone())).into_response(),
        Format::Xml => (
            status,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            to_xml(XmlNode { root, value }),
        )
            .into_response(),
    }
}

fn error(fmt: Format, e: Open311Error) -> Response {
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
    respond(fmt, status, "errors", &json!([e]))
}

fn unknown_path(file: &str) -> Response {
    error(Format::Json, Open311Error::not_found(format!("`{file}` is not a GeoReport v2 resource; use discovery, services, requests or tokens with .json or .xml")))
}

impl From<HotlineError> for Open311Error {
    fn from(e: HotlineError) -> Self {
        match &e {
            HotlineError::Invalid { .. } => Open311Error::bad_request(e.to_string()),
            HotlineError::NotFound { .. } => Open311Error::not_found(e.to_string()),
            _ => {
                tracing::error!(error = %e, "open311 request failed");
                Open311Error::new(500, "internal error; the details are in the server log")
            }
        }
    }
}

fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

fn comma_list(s: Option<&str>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// `GET /open311/v2/{discovery|services|requests}.{json|xml}`.
pub(crate) async fn get_root(
    State(st): State<HotlineState>,
    Path(file): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    match split_format(&file) {
        Some(("discovery", fmt)) => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            respond(
                fmt,
                StatusCode::OK,
                "discovery",
                &open311::discovery(&format!("http://{host}")),
            )
        }
        Some(("services", fmt)) => respond(
            fmt,
            StatusCode::OK,
            "services",
            &Value::Array(open311::service_list()),
        ),
        Some(("requests", fmt)) => match list_requests(&st, &params).await {
            Ok(v) => respond(fmt, StatusCode::OK, "service_requests", &v),
            Err(e) => error(fmt, e),
        },
        _ => unknown_path(&file),
    }
}

async fn list_requests(
    st: &HotlineState,
    params: &[(String, String)],
) -> Result<Value, Open311Error> {
    let ids = comma_list(param(params, "service_request_id"));
    let codes = comma_list(param(params, "service_code"));
    if let Some(c) = codes.iter().find(|c| category(c).is_none()) {
        return Err(Open311Error::not_found(format!(
            "service_code `{c}` not found; see services.json"
        )));
    }
    let codes: Vec<String> = codes
        .iter()
        .filter_map(|c| category(c))
        .map(|c| c.code.to_string())
        .collect();
    let start = param(params, "start_date")
        .map(|s| open311::parse_datetime("start_date", s))
        .transpose()?;
    let end = param(params, "end_date")
        .map(|s| open311::parse_datetime("end_date", s))
        .transpose()?;
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            return Err(Open311Error::bad_request("start_date is after end_date"));
        }
    }
    // Without dates, the last 90 days (as the specification suggests).
    let start = match (start, end) {
        (None, None) => Some(st.now() - Duration::days(90)),
        (s, _) => s,
    };
    let statuses = comma_list(param(params, "status"));
    if let Some(bad) = statuses.iter().find(|s| *s != "open" && *s != "closed") {
        return Err(Open311Error::bad_request(format!(
            "status `{bad}` is not open or closed"
        )));
    }
    let open = match (
        statuses.iter().any(|s| s == "open"),
        statuses.iter().any(|s| s == "closed"),
    ) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let int = |name: &str, default: i64, max: i64| -> Result<i64, Open311Error> {
        match param(params, name) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(Open311Error::bad_request(format!(
                    "{name} `{v}` must be a whole number from 1 to {max}"
                ))),
            },
        }
    };
    let page = int("page", 1, 1_000_000)?;
    let page_size = int("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
    let search = RequestSearch {
        ids: &ids,
        codes: &codes,
        start: start.map(ts),
        end: end.map(ts),
        open,
        limit: page_size,
        offset: (page - 1) * page_size,
    };
    let orders = store::search_requests(st.db(), &search).await?;
    Ok(Value::Array(
        orders.iter().map(open311::service_request).collect(),
    ))
}

/// `POST /open311/v2/requests.{json|xml}` (form-encoded, `api_key` required).
pub(crate) async fn post_root(
    State(st): State<HotlineState>,
    Path(file): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fmt = match split_format(&file) {
        Some(("requests", fmt)) => fmt,
        _ => return unknown_path(&file),
    };
    let fields = match form {
        Ok(Form(f)) => f,
        Err(e) => {
            return error(
                fmt,
                Open311Error::bad_request(format!(
                    "send the request form-encoded (application/x-www-form-urlencoded): {e}"
                )),
            )
        }
    };
    match post_request(&st, &fields).await {
        Ok(v) => respond(fmt, StatusCode::OK, "service_requests", &v),
        Err(e) => error(fmt, e),
    }
}

async fn post_request(st: &HotlineState, f: &[(String, String)]) -> Result<Value, Open311Error> {
    let key = param(f, "api_key")
        .ok_or_else(|| Open311Error::forbidden("api_key is required to post a service request"))?;
    let (key_id, key_name) = crate::keys::authenticate(st.db(), key.trim())
        .await?
        .ok_or_else(|| Open311Error::forbidden("api_key is not valid (unknown or revoked)"))?;
    let code = param(f, "service_code")
        .ok_or_else(|| Open311Error::bad_request("service_code was not provided"))?;
    let cat = category(code).ok_or_else(|| {
        Open311Error::not_found(format!(
            "service_code `{code}` not found; see services.json"
        ))
    })?;
    let number = |name: &str| -> Result<Option<f64>, Open311Error> {
        param(f, name)
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| Open311Error::bad_request(format!("{name} `{v}` is not a number")))
            })
            .transpose()
    };
    let (lat, long) = (number("lat")?, number("long")?);
    if lat.is_some() != long.is_some() {
        return Err(Open311Error::bad_request(
            "give both lat and long, or an address_string",
        ));
    }
    let address = param(f, "address_string").unwrap_or("").trim().to_string();
    let address_id = param(f, "address_id").unwrap_or("").trim().to_string();
    if lat.is_none() && address.is_empty() && address_id.is_empty() {
        return Err(Open311Error::bad_request(
            "a location is required: lat and long, address_string or address_id",
        ));
    }
    let attr = |code: &str| param(f, &format!("attribute[{code}]")).map(str::trim);
    let street = match attr("street") {
        Some(s) => crate::model::street(s).ok_or_else(|| Open311Error::bad_request(format!("attribute[street] `{s}` is not a street of the district")))?,
        None => open311::street_of(&format!("{address} {address_id}"), lat, long).ok_or_else(|| {
            Open311Error::bad_request("the location is outside the district: name a street in address_string or attribute[street], or send lat/long inside it")
        })?,
    };
    let appeal = match attr("appeal_type") {
        Some(a) => AppealType::parse(a).ok_or_else(|| {
            Open311Error::bad_request(format!(
                "attribute[appeal_type] `{a}` is not one of the listed values"
            ))
        })?,
        None => cat.typical_appeal,
    };
    let urgency = match attr("urgency") {
        Some(u) => match Urgency::parse(u) {
            Some(x @ (Urgency::Normal | Urgency::Urgent)) => x,
            _ => return Err(Open311Error::bad_request(format!("attribute[urgency] `{u}` is not one of the listed values (normal, urgent); call 110 in an emergency"))),
        },
        None => Urgency::Normal,
    };
    let description = param(f, "description").unwrap_or("").trim().to_string();
    let n = description.chars().count();
    if n > MAX_CONTENT_CHARS {
        return Err(Open311Error::bad_request(format!(
            "description has {n} characters; at most {MAX_CONTENT_CHARS} are allowed"
        )));
    }
    let phone = param(f, "phone").unwrap_or("").trim().to_string();
    let name = format!(
        "{}{}",
        param(f, "last_name").unwrap_or("").trim(),
        param(f, "first_name").unwrap_or("").trim()
    );
    let mut attributes = serde_json::Map::new();
    for (k, v) in f {
        if let Some(code) = k
            .strip_prefix("attribute[")
            .and_then(|k| k.strip_suffix(']'))
        {
            attributes.insert(code.to_string(), Value::String(v.clone()));
        }
    }
    for k in ["email", "device_id", "account_id", "media_url"] {
        if let Some(v) = param(f, k) {
            attributes.insert(k.to_string(), Value::String(v.to_string()));
        }
    }
    let new = NewOrder {
        channel: None,
        caller_name: name,
        caller_phone: phone,
        appeal_type: appeal.as_str().to_string(),
        category_code: cat.code.to_string(),
        content: if description.is_empty() {
            format!("{}（Open311 提交，未填写描述）", cat.name)
        } else {
            description
        },
        address: if address.is_empty() {
            address_id
        } else {
            address
        },
        street: street.to_string(),
        lat,
        long,
        urgency: Some(urgency.as_str().to_string()),
        lead_unit_id: None,
        co_unit_ids: Vec::new(),
    };
    let intake = Intake {
        channel: Some(crate::model::Channel::Open311),
        attributes: Some(Value::Object(attributes)),
        api_key_id: Some(key_id),
        with_token: true,
    };
    let order = st
        .create_with(
            &Actor::system(&format!("Open311 · {key_name}")),
            &new,
            intake,
        )
        .await?;
    Ok(json!([{
        "service_request_id": order.order_no,
        "token": order.token,
        "service_notice": "已受理，12345 热线将派单办理。",
        "account_id": Value::Null,
    }]))
}

/// `GET /open311/v2/services/{code}.{fmt}`.
pub(crate) async fn get_service(Path(file): Path<String>) -> Response {
    let Some((code, fmt)) = split_format(&file) else {
        return unknown_path(&file);
    };
    match open311::service_definition(code) {
        Some(v) => respond(fmt, StatusCode::OK, "service_definition", &v),
        None => error(
            fmt,
            Open311Error::not_found(format!(
                "service_code `{code}` not found; see services.json"
            )),
        ),
    }
}

/// `GET /open311/v2/requests/{id}.{fmt}`.
pub(crate) async fn get_request(
    State(st): State<HotlineState>,
    Path(file): Path<String>,
) -> Response {
    let Some((id, fmt)) = split_format(&file) else {
        return unknown_path(&file);
    };
    match st.get(id).await {
        Ok(o) => respond(
            fmt,
            StatusCode::OK,
            "service_requests",
            &json!([open311::service_request(&o)]),
        ),
        Err(e) => error(fmt, e.into()),
    }
}

/// `GET /open311/v2/tokens/{token}.{fmt}`.
pub(crate) async fn get_token(
    State(st): State<HotlineState>,
    Path(file): Path<String>,
) -> Response {
    let Some((token, fmt)) = split_format(&file) else {
        return unknown_path(&file);
    };
    match store::order_no_by_token(st.db(), token).await {
        Ok(Some(no)) => respond(
            fmt,
            StatusCode::OK,
            "service_requests",
            &json!([{"service_request_id": no, "token": token}]),
        ),
        Ok(None) => error(
            fmt,
            Open311Error::not_found(format!("token `{token}` not found")),
        ),
        Err(e) => error(fmt, e.into()),
    }
}
