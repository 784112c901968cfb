//! The CKAN-compatible Action API (`/api/3/action/{name}`, also `/api/action/{name}` as
//! `ckanapi` calls it), so that CKAN's clients read zhengshu's open data unchanged.
//!
//! GET takes the parameters from the query string, POST from a JSON object body (or a
//! form). Answers use CKAN's envelope and error types ([`envelope`]). The actions:
//!
//! - metadata ([`catalog`]): `status_show`, `site_read`, `help_show`, `license_list`,
//!   `package_list`, `package_search`, `package_show`, `resource_show`,
//!   `current_package_list_with_resources`, `organization_list`, `organization_show`,
//!   `group_list`, `group_show`, `tag_list` — public, conditionally opened datasets
//!   included (their metadata is public);
//! - data ([`datastore`]): `datastore_search`, `datastore_search_sql` — a conditionally
//!   opened dataset needs an approved application: the signed-in applicant, or their app
//!   key in `Authorization` (bare, as CKAN clients send it, or `Bearer`) or
//!   `X-CKAN-API-Key`.
//!
//! CKAN's write actions (`package_create`, `datastore_upsert` …) answer with an
//! Authorization Error: the catalog is kept in zhengshu's console, not through this API.
//! Every other name is a Bad Request, as in CKAN.

pub mod catalog;
pub mod datastore;
pub mod envelope;
pub mod fq;
pub mod links;
pub mod package;
pub mod params;

pub use envelope::CkanError;
pub use params::Params;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::{json, Value};
use zhengshu_http::{ApiError, MaybePrincipal};

use crate::model::{Caller, Dataset};
use crate::stats::Event;
use crate::{service, OpenState};

/// The read actions zhengshu answers, with the one-line help `help_show` gives.
pub const ACTIONS: &[(&str, &str)] = &[
    ("status_show", "Return the site's status: CKAN version, title, URL and extensions."),
    ("site_read", "Return true: the site may be read."),
    ("help_show", "Return the help string of an action (name)."),
    ("license_list", "Return the licences datasets use."),
    ("package_list", "Return the names (resource codes) of every opened dataset (limit, offset)."),
    ("package_search", "Search datasets: q, fq, fq_list, rows (≤ 1000), start, sort, facet.field, facet.limit, facet.mincount."),
    ("package_show", "Return a dataset (id: its code or numeric id)."),
    ("resource_show", "Return a dataset's resource (id: the resource code)."),
    ("current_package_list_with_resources", "Return datasets with their resources, latest change first (limit, offset)."),
    ("organization_list", "Return the providing units with opened datasets (all_fields, sort, limit, offset, organizations, q)."),
    ("organization_show", "Return a providing unit (id: unit-N; include_datasets)."),
    ("group_list", "Return the themes with opened datasets (all_fields, sort, limit, offset, groups, q)."),
    ("group_show", "Return a theme (id: the theme; include_datasets)."),
    ("tag_list", "Return the keywords of opened datasets (query, all_fields)."),
    ("datastore_search", "Search a dataset's rows: resource_id, filters, q, fields, sort, limit (≤ 32000), offset, include_total, distinct, records_format."),
    ("datastore_search_sql", "Run one read-only SQL query over the DataStore tables (named by resource code) you may read: sql."),
];

/// CKAN's write actions: refused, not unknown.
const WRITE_ACTIONS: &[&str] = &[
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "package_revise",
    "resource_create",
    "resource_update",
    "resource_patch",
    "resource_delete",
    "organization_create",
    "organization_update",
    "organization_patch",
    "organization_delete",
    "group_create",
    "group_update",
    "group_patch",
    "group_delete",
    "user_create",
    "user_update",
    "datastore_create",
    "datastore_upsert",
    "datastore_delete",
    "datastore_run_triggers",
];

/// One call: the portal, the public base URL, who calls, and the parameters.
pub struct Call<'a> {
    pub st: &'a OpenState,
    pub base: String,
    pub caller: Caller,
    pub params: Params,
}

impl Call<'_> {
    /// Counts a use of a dataset in the statistics.
    pub fn record(&self, ds: &Dataset, event: Event) {
        self.st
            .stats
            .record(&service::today_s(self.st), ds.resource.id, event);
    }
}

/// The public base URL: the configured one, else from `Host` (and `X-Forwarded-Proto`).
fn base_url(st: &OpenState, headers: &HeaderMap) -> String {
    if let Some(b) = &st.catalog.base_url {
        return b.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{proto}://{host}")
}

fn help_show(c: &Call<'_>) -> Result<Value, CkanError> {
    let name = c
        .params
        .text(&["name"])?
        .ok_or_else(|| CkanError::invalid("name", "Missing value"))?;
    ACTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, help)| json!(help))
        .ok_or_else(|| CkanError::NotFound(format!("Action function not found: {name}")))
}

async fn dispatch(c: &Call<'_>, name: &str) -> Result<Value, CkanError> {
    match name {
        "status_show" => catalog::status_show(c).await,
        "site_read" => Ok(json!(true)),
        "help_show" => help_show(c),
        "license_list" => Ok(catalog::license_list()),
        "package_list" => catalog::package_list(c).await,
        "package_search" => catalog::package_search(c).await,
        "package_show" => catalog::package_show(c).await,
        "resource_show" => catalog::resource_show(c).await,
        "current_package_list_with_resources" => {
            catalog::current_package_list_with_resources(c).await
        }
        "organization_list" => catalog::organization_list(c).await,
        "organization_show" => catalog::organization_show(c).await,
        "group_list" => catalog::group_list(c).await,
        "group_show" => catalog::group_show(c).await,
        "tag_list" => catalog::tag_list(c).await,
        "datastore_search" => datastore::datastore_search(c).await,
        "datastore_search_sql" => datastore::datastore_search_sql(c).await,
        other => Err(CkanError::BadRequest(format!(
            "Action name not known: {other}"
        ))),
    }
}

/// Resolves the caller and runs the action, answering in the envelope.
async fn run(
    st: &OpenState,
    name: &str,
    principal: Result<MaybePrincipal, ApiError>,
    headers: &HeaderMap,
    params: Result<Params, CkanError>,
) -> Response {
    let base = base_url(st, headers);
    let help = envelope::help_url(&base, name);
    let result = async {
        if WRITE_ACTIONS.contains(&name) {
            return Err(CkanError::Authorization(format!(
                "{name}: this portal's CKAN API is read-only; data is published through \
                 zhengshu's catalog and lake"
            )));
        }
        if !ACTIONS.iter().any(|(n, _)| *n == name) {
            return Err(CkanError::BadRequest(format!(
                "Action name not known: {name}"
            )));
        }
        let params = params?;
        let principal = principal
            .map_err(|e| CkanError::Authorization(e.message))?
            .0;
        let caller = service::caller(st, headers, principal.as_ref()).await?;
        let call = Call {
            st,
            base,
            caller,
            params,
        };
        dispatch(&call, name).await
    }
    .await;
    match result {
        Ok(v) => envelope::success(help, v),
        Err(e) => envelope::failure(help, &e),
    }
}

fn query_params(uri: &axum::http::Uri) -> Result<Params, CkanError> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| Params::from_pairs(pairs))
        .map_err(|e| CkanError::BadRequest(format!("could not read the query string: {e}")))
}

/// `GET /api/3/action/{name}?…`
pub async fn action_get(
    State(st): State<OpenState>,
    Path(name): Path<String>,
    principal: Result<MaybePrincipal, ApiError>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    run(&st, &name, principal, &headers, query_params(&uri)).await
}

/// The parameters of a POST: a JSON object (or a form), plus query parameters the body
/// does not set.
async fn body_params(req: Request) -> Result<Params, CkanError> {
    let from_query = query_params(req.uri())?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut params = if content_type.starts_with("application/x-www-form-urlencoded") {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| CkanError::BadRequest(format!("could not read the form: {e}")))?;
        Params::from_pairs(pairs)
    } else if content_type.starts_with("multipart/") {
        return Err(CkanError::BadRequest(
            "multipart bodies (file uploads) are not accepted: this API is read-only; send \
             a JSON object"
                .into(),
        ));
    } else {
        let bytes = Bytes::from_request(req, &())
            .await
            .map_err(|e| CkanError::BadRequest(format!("could not read the body: {e}")))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Params::default()
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(m)) => Params(m),
                Ok(other) => {
                    let kind = match other {
                        Value::Array(_) => "a list",
                        Value::String(_) => "a string",
                        Value::Number(_) => "a number",
                        Value::Bool(_) => "a boolean",
                        _ => "null",
                    };
                    return Err(CkanError::BadRequest(format!(
                        "Bad request data: Request data JSON decoded to {kind} but it needs \
                         to be a dictionary."
                    )));
                }
                Err(e) => return Err(CkanError::BadRequest(format!("JSON Error: {e}"))),
            }
        }
    };
    params.merge_missing(from_query);
    Ok(params)
}

/// `POST /api/3/action/{name}` with a JSON object (or form) body.
pub async fn action_post(
    State(st): State<OpenState>,
    Path(name): Path<String>,
    principal: Result<MaybePrincipal, ApiError>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let params = body_params(req).await;
    run(&st, &name, principal, &headers, params).await
}

/// `GET /api/3`: the API version, as CKAN answers it.
pub async fn api_version() -> Response {
    axum::response::IntoResponse::into_response(axum::Json(json!({ "version": 3 })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_help_and_writes_are_not_reads() {
        for (name, help) in ACTIONS {
            assert!(!help.is_empty(), "{name}");
            assert!(!WRITE_ACTIONS.contains(name), "{name}");
        }
    }
}
