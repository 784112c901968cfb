//! Reading an opened dataset's data: the public view of its lake table, previews, the
//! read-only SQL session over the datasets a caller may read, and record-batch streams
//! for downloads.
//!
//! The public view is the exchange's view of a grant that covers every data item, with no
//! row filter and no raw personal data: the same barrier, pushdown and masking the share
//! API has. Opened resources should hold no personal data (the catalog refuses to open
//! 不予共享 and 核心 data), but a PII item that is there anyway is masked by its mask.

use zhengshu_exchange::model::{Grant, GrantState};
use zhengshu_exchange::query::{self, RowsQuery, View};
use zhengshu_lake::deltalake::arrow::array::RecordBatch;
use zhengshu_lake::deltalake::datafusion::common::TableReference;
use zhengshu_lake::deltalake::datafusion::execution::SendableRecordBatchStream;
use zhengshu_lake::deltalake::datafusion::prelude::SessionContext;
use zhengshu_lake::sql::QueryLimits;

use crate::model::{Caller, Dataset};
use crate::service;
use crate::{OpenError, OpenState};

/// The public view of a dataset with data (None = metadata only).
pub fn view(ds: &Dataset) -> Option<View> {
    let table = ds.table.clone()?;
    let r = &ds.resource;
    Some(View {
        table,
        items: r.items.clone(),
        key: ds.key.clone(),
        grant: Grant {
            id: 0,
            scenario_id: 0,
            scenario_name: "open data".into(),
            resource_id: r.id,
            resource_code: r.code.clone(),
            resource_name: r.name.clone(),
            provider_unit_id: r.provider_unit_id,
            request_id: 0,
            columns: r.items.iter().map(|i| i.name.clone()).collect(),
            raw_columns: Vec::new(),
            row_filter: Vec::new(),
            valid_until: "9999-12-31".into(),
            revoked_at: None,
            revoke_reason: String::new(),
            created_at: r.published_at.clone().unwrap_or_default(),
            state: GrantState::Active,
        },
    })
}

fn no_data(ds: &Dataset) -> OpenError {
    OpenError::NotFound(format!(
        "data of dataset {} (its unit has not connected it to the lake yet; the metadata is \
         all there is)",
        ds.resource.code
    ))
}

/// The first `n` rows (by key), as the public sees them.
pub async fn preview(
    st: &OpenState,
    ds: &Dataset,
    n: usize,
) -> Result<Vec<RecordBatch>, OpenError> {
    let v = view(ds).ok_or_else(|| no_data(ds))?;
    let page = query::rows(
        &st.lake,
        &v,
        &RowsQuery {
            limit: n.max(1),
            ..RowsQuery::default()
        },
        QueryLimits::default(),
    )
    .await?;
    Ok(page.batches)
}

/// A session in which only `ds`'s view exists, registered under its resource code.
pub async fn session_for(
    st: &OpenState,
    ds: &Dataset,
    limits: QueryLimits,
) -> Result<SessionContext, OpenError> {
    let v = view(ds).ok_or_else(|| no_data(ds))?;
    Ok(query::session_named(&st.lake, &[(ds.resource.code.clone(), &v)], limits).await?)
}

/// Every dataset with data that `caller` may read, with its view.
pub async fn readable(st: &OpenState, caller: &Caller) -> Result<Vec<(Dataset, View)>, OpenError> {
    let mut out = Vec::new();
    for t in zhengshu_lake::store::tables(&st.db).await? {
        let r = match zhengshu_catalog::service::get(&st.catalog, None, t.resource_id).await {
            Ok(r) => r,
            Err(zhengshu_catalog::CatalogError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        if !service::is_open(&r) {
            continue;
        }
        let ds = service::dataset_with(r, Some(t));
        if !service::may_read(st, caller, &ds).await? {
            continue;
        }
        if let Some(v) = view(&ds) {
            out.push((ds, v));
        }
    }
    Ok(out)
}

/// Read-only SQL over the datasets `caller` may read, each a table named by its resource
/// code (quote it: `SELECT * FROM "101001-0012-0003"`). Returns the rows (at most
/// `limits.max_rows`), whether more were cut, and the datasets the session held.
pub async fn sql(
    st: &OpenState,
    caller: &Caller,
    sql: &str,
    limits: QueryLimits,
) -> Result<(Vec<RecordBatch>, bool, Vec<Dataset>), OpenError> {
    let readable = readable(st, caller).await?;
    let named: Vec<(String, &View)> = readable
        .iter()
        .map(|(ds, v)| (ds.resource.code.clone(), v))
        .collect();
    let ctx = query::session_named(&st.lake, &named, limits).await?;
    let (batches, truncated) = query::sql(&ctx, sql, limits).await?;
    Ok((
        batches,
        truncated,
        readable.into_iter().map(|(d, _)| d).collect(),
    ))
}

/// Every row of the dataset's public view, in file order, as a stream of record batches
/// (nothing is collected or sorted: a download of any size runs in bounded memory).
pub async fn stream(st: &OpenState, ds: &Dataset) -> Result<SendableRecordBatchStream, OpenError> {
    let ctx = session_for(
        st,
        ds,
        QueryLimits {
            max_rows: usize::MAX,
            timeout: std::time::Duration::from_secs(3600),
            memory_bytes: 256 << 20,
        },
    )
    .await?;
    let df = ctx
        .table(TableReference::bare(ds.resource.code.clone()))
        .await?;
    Ok(df.execute_stream().await?)
}
