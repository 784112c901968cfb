//! `datastore_search_sql`: one read-only query over the DataStore tables.

use serde_json::{json, Value};
use zhengshu_exchange::query::{self, View};
use zhengshu_lake::deltalake::datafusion::common::TableReference;
use zhengshu_lake::deltalake::datafusion::config::Dialect;
use zhengshu_lake::deltalake::datafusion::prelude::SessionContext;

use super::limits;
use super::records::{ckan_type, json_rows};
use crate::ckan::{Call, CkanError};
use crate::model::Dataset;
use crate::stats::Event;
use crate::{data, service};

/// The tables a statement names, when it parses (else the engine reports the error).
fn referenced_tables(sql: &str) -> Option<Vec<TableReference>> {
    let state = SessionContext::new().state();
    let statement = state.sql_to_statement(sql, &Dialect::Generic).ok()?;
    state.resolve_table_references(&statement).ok()
}

/// `datastore_search_sql`: one read-only query over the DataStore tables the caller may
/// read. A table of a conditionally opened dataset the caller holds no approval for is an
/// Authorization Error (403), as CKAN answers for resources one may not read; any other
/// unknown table — not opened, not existing, or metadata only — is a Validation Error
/// (409) that does not say which of these it is. Writes and anything but one query are a
/// Validation Error. At most 32,000 rows (`records_truncated` says when more matched),
/// at most 30 s.
pub async fn datastore_search_sql(c: &Call<'_>) -> Result<Value, CkanError> {
    // Anonymous callers have no key to rate-limit, and one query may run for its whole
    // time limit: they get one SQL query at a time per server, waiting up to 10 s for
    // their turn (callers with an app key are limited by their key's rate).
    static ANONYMOUS_SQL: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let _permit = if matches!(c.caller, crate::model::Caller::Anonymous) {
        let wait = std::time::Duration::from_secs(10);
        let permit = tokio::time::timeout(wait, ANONYMOUS_SQL.acquire()).await;
        Some(permit.ok().and_then(Result::ok).ok_or_else(|| {
            CkanError::RateLimited {
                message: "another anonymous SQL query is running on this server; retry in a \
                      few seconds, or use an app key"
                    .into(),
                retry_after: 5,
            }
        })?)
    } else {
        None
    };
    let sql = c
        .params
        .text(&["sql"])?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| CkanError::invalid("sql", "Missing value"))?;
    let refs = referenced_tables(&sql).unwrap_or_default();
    // information_schema and SHOW list every table the caller may read.
    let catalog_query = sql
        .trim_start()
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("show"))
        || refs.iter().any(|r| {
            r.schema()
                .is_some_and(|s| s.eq_ignore_ascii_case("information_schema"))
        });
    let mut used: Vec<(Dataset, View)> = Vec::new();
    for r in &refs {
        let name = r.table();
        if name.is_empty()
            || name.chars().all(|ch| ch.is_ascii_digit())
            || used.iter().any(|(d, _)| d.resource.code == name)
        {
            continue;
        }
        let ds = match service::dataset(c.st, name).await {
            Ok(ds) if ds.resource.code == name => ds,
            Ok(_) | Err(crate::OpenError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        service::authorize(c.st, &c.caller, &ds).await?;
        let Some(view) = data::view(&ds) else {
            return Err(CkanError::invalid(
                "sql",
                format!("dataset {name} has no data in the DataStore yet (metadata only)"),
            ));
        };
        used.push((ds, view));
    }
    let (batches, truncated) = if catalog_query {
        let (b, t, _) = data::sql(c.st, &c.caller, &sql, limits()).await?;
        (b, t)
    } else {
        let named: Vec<(String, &View)> = used
            .iter()
            .map(|(ds, v)| (ds.resource.code.clone(), v))
            .collect();
        let ctx = query::session_named(&c.st.lake, &named, limits()).await?;
        query::sql(&ctx, &sql, limits()).await?
    };
    for (ds, _) in &used {
        c.record(ds, Event::ApiCall);
    }
    let fields: Vec<Value> = batches
        .first()
        .map(|b| {
            b.schema()
                .fields()
                .iter()
                .map(|f| json!({"id": f.name(), "type": ckan_type(f.data_type())}))
                .collect()
        })
        .unwrap_or_default();
    let rows = json_rows(&batches)?;
    let mut result = json!({
        "sql": sql,
        "fields": fields,
        "records": rows.into_iter().map(Value::Object).collect::<Vec<_>>(),
    });
    if truncated {
        result["records_truncated"] = json!(true);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referenced_tables_are_found() {
        let refs = referenced_tables(
            "WITH t AS (SELECT * FROM \"101001-0001-0001\") SELECT * FROM t JOIN other o ON true",
        )
        .unwrap();
        let names: Vec<&str> = refs.iter().map(|r| r.table()).collect();
        assert!(names.contains(&"101001-0001-0001"), "{names:?}");
        assert!(names.contains(&"other"), "{names:?}");
        assert!(!names.contains(&"t"), "{names:?}");
    }
}
