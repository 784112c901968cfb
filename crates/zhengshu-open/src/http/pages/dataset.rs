//! `/open/datasets/{code}`: a dataset's page — metadata, data items, figures, a preview
//! and a chart (for callers who may read the data), downloads, the way to apply for a
//! conditionally opened dataset, an API example, DCAT and Data Package links.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::json;
use zhengshu_http::{render, Chrome, Lang, MaybePrincipal};
use zhengshu_lake::sql::QueryResult;

use super::sample::{self, Chart};
use super::{fmt_int, page, pct, script_json, FORMATS};
use crate::model::{AppStatus, Application, Caller, Dataset};
use crate::stats::{self, Event, Totals};
use crate::store::{self, AppFilter};
use crate::{service, OpenError, OpenState};

/// One data item as the page lists it.
#[derive(Debug, Clone)]
struct ItemRow {
    name: String,
    label: String,
    data_type: (&'static str, &'static str),
    description: String,
    masked: bool,
}

/// A preview column: field name and Chinese label.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    label: String,
}

#[derive(Template)]
#[template(path = "open/dataset.html")]
struct DatasetView {
    chrome: Chrome,
    ds: Dataset,
    href: String,
    theme_href: String,
    items: Vec<ItemRow>,
    rows: String,
    quality: String,
    last_update: String,
    may_read: bool,
    signed_in: bool,
    /// The caller's pending application, if any.
    pending: Option<Application>,
    columns: Vec<Column>,
    preview: Option<QueryResult>,
    chart: Option<Chart>,
    chart_json: String,
    downloads: Vec<(String, &'static str)>,
    api_url: String,
    curl: String,
    python: String,
    totals: Totals,
    login_href: String,
}

/// Base URL for the examples: the configured one, else the request's host.
fn base_url(st: &OpenState, headers: &HeaderMap) -> String {
    if let Some(b) = &st.catalog.base_url {
        return b.trim_end_matches('/').to_string();
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

/// The API example: a curl command and a Python `ckanapi` snippet (with the app key for a
/// conditionally opened dataset). Returns (URL, curl, python).
fn api_example(base: &str, ds: &Dataset) -> (String, String, String) {
    let code = &ds.resource.code;
    let url = format!(
        "{base}/api/3/action/datastore_search?resource_id={}&limit=5",
        pct(code)
    );
    let (curl_key, import, py_key) = if ds.is_conditional() {
        (
            " \\\n  -H \"Authorization: $ZHENGSHU_APP_KEY\"",
            "import os\n",
            ", apikey=os.environ[\"ZHENGSHU_APP_KEY\"]",
        )
    } else {
        ("", "", "")
    };
    let curl = format!("curl -s \"{url}\"{curl_key}");
    let python = format!(
        "{import}from ckanapi import RemoteCKAN\n\n\
         portal = RemoteCKAN(\"{base}\"{py_key})\n\
         package = portal.action.package_show(id=\"{code}\")\n\
         rows = portal.action.datastore_search(resource_id=\"{code}\", limit=5)\n\
         for record in rows[\"records\"]:\n    print(record)"
    );
    (url, curl, python)
}

/// The caller's pending application for a conditionally opened dataset they may not read.
async fn pending_application(
    st: &OpenState,
    caller: &Caller,
    ds: &Dataset,
    may_read: bool,
) -> Result<Option<Application>, OpenError> {
    let Some(user_id) = caller.user_id() else {
        return Ok(None);
    };
    if may_read || !ds.is_conditional() {
        return Ok(None);
    }
    Ok(store::applications(
        &st.db,
        &AppFilter {
            user_id: Some(user_id),
            resource_id: Some(ds.resource.id),
            status: Some(AppStatus::Pending),
            ..AppFilter::default()
        },
    )
    .await?
    .into_iter()
    .next())
}

/// `/open/datasets/{code}`: records a view.
pub async fn dataset(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    // The exact path, so that the language switch comes back here (codes are ASCII).
    let path = format!("/open/datasets/{}", pct(&code));
    let chrome = Chrome::portal(lang, &path, who.as_ref());
    page(chrome.clone(), &headers, async {
        let mut ds = service::dataset(&st, &code).await?;
        service::figures(&st, &mut ds).await?;
        let caller = service::caller(&st, &headers, who.as_ref()).await?;
        let may_read = service::may_read(&st, &caller, &ds).await?;
        st.stats
            .record(&service::today_s(&st), ds.resource.id, Event::View);
        let (preview, chart) = if may_read && ds.has_data() {
            (
                Some(sample::preview(&st, &ds).await?),
                sample::chart(&st, &ds).await,
            )
        } else {
            (None, None)
        };
        let pending = pending_application(&st, &caller, &ds, may_read).await?;
        let href = format!("/open/datasets/{}", pct(&ds.resource.code));
        let (api_url, curl, python) = api_example(&base_url(&st, &headers), &ds);
        let en = chrome.is_en();
        let chart_json = chart
            .as_ref()
            .map(|c| {
                script_json(&json!({
                    "column": if en { &c.column_name } else { &c.column },
                    "labels": c.labels,
                    "counts": c.counts,
                }))
            })
            .unwrap_or_default();
        let items = ds
            .resource
            .items
            .iter()
            .map(|i| ItemRow {
                name: i.name.clone(),
                label: i.label.clone(),
                data_type: (i.data_type.label_zh(), i.data_type.label_en()),
                description: i.description.clone(),
                masked: i.pii_kind.is_sensitive(),
            })
            .collect();
        let columns = preview
            .as_ref()
            .map(|p| {
                p.columns
                    .iter()
                    .map(|name| Column {
                        label: ds
                            .resource
                            .items
                            .iter()
                            .find(|i| &i.name == name)
                            .map(|i| i.label.clone())
                            .unwrap_or_default(),
                        name: name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let totals = stats::of_resource(&st.db, ds.resource.id).await?;
        Ok(render(&DatasetView {
            items,
            columns,
            rows: ds.rows.map(fmt_int).unwrap_or_else(|| "—".into()),
            quality: ds
                .quality
                .map(|q| format!("{q:.1}"))
                .unwrap_or_else(|| "—".into()),
            last_update: ds
                .last_update
                .get(..10)
                .unwrap_or(ds.last_update.as_str())
                .into(),
            may_read,
            signed_in: who.is_some(),
            pending,
            preview,
            chart,
            chart_json,
            downloads: FORMATS
                .iter()
                .map(|(f, label)| (format!("{href}/download/{f}"), *label))
                .collect(),
            api_url,
            curl,
            python,
            totals,
            login_href: format!("/console/login?next={}", pct(&href)),
            theme_href: format!("/open/themes/{}", pct(&ds.resource.theme)),
            href,
            ds,
            chrome,
        }))
    })
    .await
}
