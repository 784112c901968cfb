//! The metadata actions: `package_list`, `package_search`, `package_show`,
//! `resource_show`, `organization_list`/`_show`, `group_list`/`_show`, `tag_list`,
//! `license_list`, `status_show`. Metadata is public, conditionally opened datasets
//! included; only the catalog's public view (published and opened) is reachable.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};
use zhengshu_catalog::model::Resource;
use zhengshu_catalog::search::{Facet, FacetValues, SearchParams, Sort, Viewer};
use zhengshu_lake::store::Connected;

use super::fq::{self, SearchField, SortKey, SortPlan};
use super::package;
use super::{Call, CkanError};
use crate::model::Dataset;
use crate::service;
use crate::stats::Event;

/// Most packages one `package_search` page holds (CKAN's `ckan.search.rows_max`).
pub const MAX_ROWS: usize = 1000;
/// Packages `organization_show`/`group_show` list with `include_datasets`.
const MAX_INCLUDED: usize = 1000;
/// Enough for every opened resource of a district (151) or a city.
const ALL: usize = 100_000;
/// The furthest a page may start: the index collects `start + rows` hits for a page.
pub const MAX_START: usize = ALL;

/// A start (offset) of a page into the catalog, at most [`MAX_START`].
fn start_param(c: &Call<'_>, keys: &[&str]) -> Result<usize, CkanError> {
    let start = c.params.count(keys, 0)?;
    if start > MAX_START {
        return Err(CkanError::invalid(
            keys[0],
            format!("Must be less than or equal to {MAX_START}"),
        ));
    }
    Ok(start)
}

/// The connected lake tables by resource id (one query for a whole page of packages).
async fn tables(c: &Call<'_>) -> Result<HashMap<i64, Connected>, CkanError> {
    Ok(zhengshu_lake::store::tables(&c.st.db)
        .await?
        .into_iter()
        .map(|t| (t.resource_id, t))
        .collect())
}

fn dataset(r: Resource, tables: &HashMap<i64, Connected>) -> Dataset {
    let t = tables.get(&r.id);
    Dataset {
        last_update: r
            .published_at
            .clone()
            .unwrap_or_else(|| r.updated_at.clone()),
        table: t.map(|t| t.table_name.clone()),
        key: t.map(|t| t.key_column.clone()).unwrap_or_default(),
        resource: r,
        rows: None,
        version: None,
        quality: None,
    }
}

async fn search(
    c: &Call<'_>,
    q: &str,
    filters: Vec<(Facet, Vec<String>)>,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Result<zhengshu_catalog::SearchPage, CkanError> {
    let page = zhengshu_catalog::find::search(
        &c.st.catalog,
        Viewer::Public,
        &SearchParams {
            q: q.to_string(),
            filters,
            sort,
            offset,
            limit,
        },
        false,
    )
    .await
    .map_err(crate::OpenError::from)?;
    Ok(page)
}

fn facet_values(
    page: &zhengshu_catalog::SearchPage,
    f: Facet,
) -> &[zhengshu_catalog::search::FacetCount] {
    page.facets
        .iter()
        .find(|v: &&FacetValues| v.facet == f)
        .map(|v| v.values.as_slice())
        .unwrap_or(&[])
}

fn required_id(c: &Call<'_>) -> Result<String, CkanError> {
    c.params
        .text(&["id", "name_or_id", "name"])?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| CkanError::invalid("id", "Missing value"))
}

// ------------------------------------------------------------------ status, help

pub async fn status_show(c: &Call<'_>) -> Result<Value, CkanError> {
    Ok(json!({
        "ckan_version": "2.10.4",
        "site_title": "政数平台 · 数据开放",
        "site_description": "区政务服务数据管理局开放数据门户（zhengshu）",
        "site_url": c.base,
        "locale_default": "zh_Hans_CN",
        "error_emails_to": null,
        "extensions": ["datastore", "zhengshu_open"],
    }))
}

pub fn license_list() -> Value {
    package::licenses()
}

// ------------------------------------------------------------------ packages

pub async fn package_list(c: &Call<'_>) -> Result<Value, CkanError> {
    let offset = c.params.count(&["offset"], 0)?;
    let limit = c.params.count(&["limit"], usize::MAX)?;
    let page = search(c, "", Vec::new(), Sort::Name, 0, ALL).await?;
    let mut codes: Vec<String> = page.resources.into_iter().map(|r| r.code).collect();
    codes.sort();
    Ok(json!(codes
        .into_iter()
        .skip(offset)
        .take(limit)
        .collect::<Vec<_>>()))
}

/// `fq` from `fq` and `fq_list` (a list of `fq` strings).
fn fq_clauses(c: &Call<'_>) -> Result<Vec<fq::Clause>, CkanError> {
    let mut clauses = Vec::new();
    if let Some(f) = c.params.text(&["fq"])? {
        clauses.extend(fq::parse_fq(&f)?);
    }
    match c.params.json(&["fq_list"])? {
        None => {}
        Some((_, Value::Array(items))) => {
            for i in items {
                match i {
                    Value::String(s) => clauses.extend(fq::parse_fq(&s)?),
                    _ => return Err(CkanError::invalid("fq_list", "Must be a list of strings")),
                }
            }
        }
        Some((_, Value::String(s))) => clauses.extend(fq::parse_fq(&s)?),
        Some(_) => return Err(CkanError::invalid("fq_list", "Must be a list of strings")),
    }
    Ok(clauses)
}

fn facet_fields(c: &Call<'_>) -> Result<Vec<SearchField>, CkanError> {
    let mut out = Vec::new();
    for name in c
        .params
        .list(&["facet.field", "facet_field"])?
        .unwrap_or_default()
    {
        let f = SearchField::parse(name.trim()).ok_or_else(|| {
            CkanError::invalid(
                "facet.field",
                format!(
                    "`{name}` is not a facet zhengshu counts; the facets are {}",
                    SearchField::supported()
                ),
            )
        })?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    Ok(out)
}

/// (name, display name, count), most frequent first, cut by `facet.mincount` and `facet.limit`.
type FacetItems = Vec<(String, String, u64)>;

fn cut(mut items: FacetItems, mincount: u64, limit: Option<usize>) -> FacetItems {
    items.retain(|(n, _, count)| *count >= mincount && !n.is_empty());
    items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if let Some(l) = limit {
        items.truncate(l);
    }
    items
}

fn in_memory_facet(field: SearchField, results: &[Resource]) -> FacetItems {
    let mut counts: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for r in results {
        for name in field.names_of(r) {
            let e = counts
                .entry(name.clone())
                .or_insert_with(|| (field.display_name(&name, Some(r)), 0));
            e.1 += 1;
        }
    }
    counts
        .into_iter()
        .map(|(name, (display, count))| (name, display, count))
        .collect()
}

fn sort_in_memory(rs: &mut [Resource], keys: &[(SortKey, bool)]) {
    rs.sort_by(|a, b| {
        for (k, desc) in keys {
            let o = match k {
                SortKey::Score => std::cmp::Ordering::Equal,
                SortKey::Modified => a.updated_at.cmp(&b.updated_at),
                SortKey::Created => a
                    .published_at
                    .as_ref()
                    .unwrap_or(&a.created_at)
                    .cmp(b.published_at.as_ref().unwrap_or(&b.created_at)),
                SortKey::Title => a.name.cmp(&b.name),
                SortKey::Name => a.code.cmp(&b.code),
            };
            let o = if *desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
}

pub async fn package_search(c: &Call<'_>) -> Result<Value, CkanError> {
    let p = &c.params;
    let rows = p.count(&["rows"], 10)?;
    if rows > MAX_ROWS {
        return Err(CkanError::invalid(
            "rows",
            format!("Must be less than or equal to {MAX_ROWS} ({rows} given); page with start"),
        ));
    }
    let start = start_param(c, &["start"])?;
    let q = p.text(&["q"])?.unwrap_or_default();
    let (text, mut clauses) = fq::split_q(&q)?;
    clauses.extend(fq_clauses(c)?);
    let facets = facet_fields(c)?;
    let facet_limit = match p.text(&["facet.limit", "facet_limit"])? {
        None => Some(50),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if n < 0 => None,
            Ok(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            Err(_) => return Err(CkanError::invalid("facet.limit", "Must be an integer")),
        },
    };
    let mincount = p.count(&["facet.mincount", "facet_mincount"], 1)? as u64;
    let sort_text = p.text(&["sort"])?;
    let plan = fq::parse_sort(sort_text.as_deref())?;

    let mut filters = Vec::new();
    let mut tag_clauses = Vec::new();
    for (field, values) in clauses {
        match field.facet() {
            Some(f) => filters.push((f, values.iter().map(|v| field.catalog_value(v)).collect())),
            None => tag_clauses.push(values),
        }
    }
    let in_memory = !tag_clauses.is_empty()
        || facets.contains(&SearchField::Tags)
        || matches!(plan, SortPlan::InMemory(_));
    let native = match &plan {
        SortPlan::Native(s) => *s,
        SortPlan::InMemory(_) => Sort::Relevance,
    };

    let (count, results, facet_items): (usize, Vec<Resource>, Vec<(SearchField, FacetItems)>) =
        if !in_memory {
            let page = search(c, &text, filters, native, start, rows.max(1)).await?;
            let items = facets
                .iter()
                .filter_map(|f| {
                    f.facet().map(|facet| {
                        let items = facet_values(&page, facet)
                            .iter()
                            .map(|v| (f.ckan_name(&v.value), v.label.clone(), v.count))
                            .collect();
                        (*f, items)
                    })
                })
                .collect();
            let mut results = page.resources;
            results.truncate(rows);
            (page.total, results, items)
        } else {
            // Tags are not a facet of the catalog index, and some orders are not kept
            // there: take every match (a few hundred datasets) and finish here.
            let page = search(c, &text, filters, native, 0, ALL).await?;
            let mut all: Vec<Resource> = page
                .resources
                .into_iter()
                .filter(|r| {
                    tag_clauses
                        .iter()
                        .all(|any| any.iter().any(|t| r.keywords.iter().any(|k| k == t.trim())))
                })
                .collect();
            if let SortPlan::InMemory(keys) = &plan {
                sort_in_memory(&mut all, keys);
            }
            let items = facets
                .iter()
                .map(|f| (*f, in_memory_facet(*f, &all)))
                .collect();
            let total = all.len();
            let results = all.into_iter().skip(start).take(rows).collect();
            (total, results, items)
        };

    let tables = tables(c).await?;
    let results: Vec<Value> = results
        .into_iter()
        .map(|r| package::package(&c.base, &dataset(r, &tables)))
        .collect();
    let mut search_facets = Map::new();
    let mut legacy = Map::new();
    for (field, items) in facet_items {
        let items = cut(items, mincount, facet_limit);
        legacy.insert(
            field.as_str().into(),
            Value::Object(
                items
                    .iter()
                    .map(|(n, _, count)| (n.clone(), json!(count)))
                    .collect(),
            ),
        );
        search_facets.insert(
            field.as_str().into(),
            json!({
                "title": field.as_str(),
                "items": items
                    .iter()
                    .map(|(n, d, count)| json!({"name": n, "display_name": d, "count": count}))
                    .collect::<Vec<_>>(),
            }),
        );
    }
    Ok(json!({
        "count": count,
        "sort": sort_text.unwrap_or_else(|| "score desc, metadata_modified desc".into()),
        "facets": legacy,
        "search_facets": search_facets,
        "results": results,
    }))
}

pub async fn package_show(c: &Call<'_>) -> Result<Value, CkanError> {
    let id = required_id(c)?;
    let mut ds = service::dataset(c.st, &id).await?;
    service::figures(c.st, &mut ds).await?;
    c.record(&ds, Event::ApiCall);
    Ok(package::package(&c.base, &ds))
}

pub async fn resource_show(c: &Call<'_>) -> Result<Value, CkanError> {
    let id = required_id(c)?;
    let mut ds = service::dataset(c.st, &id).await?;
    service::figures(c.st, &mut ds).await?;
    Ok(package::resource(&c.base, &ds))
}

/// Packages with their resources (`current_package_list_with_resources`, used by
/// harvesters), newest change first.
pub async fn current_package_list_with_resources(c: &Call<'_>) -> Result<Value, CkanError> {
    let limit = c.params.count(&["limit"], MAX_ROWS)?.min(MAX_ROWS);
    let offset = start_param(c, &["offset", "page"])?;
    let page = search(c, "", Vec::new(), Sort::Updated, offset, limit.max(1)).await?;
    let tables = tables(c).await?;
    Ok(Value::Array(
        page.resources
            .into_iter()
            .take(limit)
            .map(|r| package::package(&c.base, &dataset(r, &tables)))
            .collect(),
    ))
}

// ------------------------------------------------------------------ organizations, groups

/// (name, title, package count) of every organization or group that has opened datasets.
async fn holders(c: &Call<'_>, facet: Facet) -> Result<Vec<(String, String, u64)>, CkanError> {
    let page = search(c, "", Vec::new(), Sort::Relevance, 0, 1).await?;
    let field = if facet == Facet::Unit {
        SearchField::Organization
    } else {
        SearchField::Groups
    };
    Ok(facet_values(&page, facet)
        .iter()
        .filter(|v| !v.value.trim().is_empty())
        .map(|v| (field.ckan_name(&v.value), v.label.clone(), v.count))
        .collect())
}

/// `organization_list` and `group_list`: names, or dicts with `all_fields`.
async fn holder_list(c: &Call<'_>, facet: Facet) -> Result<Value, CkanError> {
    let p = &c.params;
    let mut items = holders(c, facet).await?;
    if let Some(only) = p.list(&["organizations", "groups"])? {
        items.retain(|(n, t, _)| only.iter().any(|o| o == n || o == t));
    }
    if let Some(q) = p.text(&["q"])?.filter(|q| !q.trim().is_empty()) {
        let q = q.trim().to_lowercase();
        items.retain(|(n, t, _)| n.to_lowercase().contains(&q) || t.to_lowercase().contains(&q));
    }
    let sort = p.text(&["sort"])?.unwrap_or_else(|| "title asc".into());
    let mut parts = sort.split_whitespace();
    let field = parts.next().unwrap_or("title");
    let desc = match parts.next() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(d) => {
            return Err(CkanError::invalid(
                "sort",
                format!("`{d}` is not asc or desc"),
            ))
        }
    };
    match field {
        "name" => items.sort_by(|a, b| a.0.cmp(&b.0)),
        "title" => items.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0))),
        "package_count" => items.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0))),
        other => {
            return Err(CkanError::invalid(
                "sort",
                format!("`{other}` is not a sort field; use name, title or package_count"),
            ))
        }
    }
    if desc {
        items.reverse();
    }
    let offset = p.count(&["offset"], 0)?;
    let limit = p.count(&["limit"], usize::MAX)?;
    let all_fields = p.flag(&["all_fields"], false)?;
    let page = items.into_iter().skip(offset).take(limit);
    Ok(Value::Array(if all_fields {
        page.map(|(name, title, count)| {
            let mut d = if facet == Facet::Unit {
                let id = name
                    .strip_prefix("unit-")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                package::organization(id, &title, None)
            } else {
                package::group(&name)
            };
            d["package_count"] = json!(count);
            d
        })
        .collect()
    } else {
        page.map(|(name, _, _)| Value::String(name)).collect()
    }))
}

pub async fn organization_list(c: &Call<'_>) -> Result<Value, CkanError> {
    holder_list(c, Facet::Unit).await
}

pub async fn group_list(c: &Call<'_>) -> Result<Value, CkanError> {
    holder_list(c, Facet::Theme).await
}

/// The packages of an organization or group, and their number.
async fn held(c: &Call<'_>, facet: Facet, value: &str) -> Result<(usize, Vec<Value>), CkanError> {
    let include = c.params.flag(&["include_datasets"], false)?;
    let limit = if include { MAX_INCLUDED } else { 1 };
    let page = search(
        c,
        "",
        vec![(facet, vec![value.to_string()])],
        Sort::Updated,
        0,
        limit,
    )
    .await?;
    let packages = if include {
        let tables = tables(c).await?;
        page.resources
            .into_iter()
            .map(|r| package::package(&c.base, &dataset(r, &tables)))
            .collect()
    } else {
        Vec::new()
    };
    Ok((page.total, packages))
}

pub async fn organization_show(c: &Call<'_>) -> Result<Value, CkanError> {
    let id = required_id(c)?;
    let not_found = || CkanError::NotFound(format!("organization `{id}` not found"));
    let unit = match id.strip_prefix("unit-").unwrap_or(&id).parse::<i64>() {
        Ok(n) => match zhengshu_auth::units::get(&c.st.db, n).await {
            Ok(u) => u,
            Err(zhengshu_auth::AuthError::NotFound { .. }) => return Err(not_found()),
            Err(e) => return Err(CkanError::Internal(e.to_string())),
        },
        Err(_) => zhengshu_auth::units::find_by_name(&c.st.db, &id)
            .await
            .map_err(|e| CkanError::Internal(e.to_string()))?
            .ok_or_else(not_found)?,
    };
    let (count, packages) = held(c, Facet::Unit, &unit.id.to_string()).await?;
    let mut d = package::organization(unit.id, &unit.name, Some(&unit.created_at));
    d["description"] = json!(format!("{}（{}）", unit.name, unit.short_name));
    d["package_count"] = json!(count);
    d["packages"] = json!(packages);
    d["users"] = json!([]);
    d["extras"] = json!([]);
    d["groups"] = json!([]);
    d["tags"] = json!([]);
    d["num_followers"] = json!(0);
    Ok(d)
}

pub async fn group_show(c: &Call<'_>) -> Result<Value, CkanError> {
    let id = required_id(c)?;
    let (count, packages) = held(c, Facet::Theme, &id).await?;
    if count == 0 {
        return Err(CkanError::NotFound(format!("group `{id}` not found")));
    }
    let mut d = package::group(&id);
    d["package_count"] = json!(count);
    d["packages"] = json!(packages);
    d["users"] = json!([]);
    d["extras"] = json!([]);
    d["groups"] = json!([]);
    d["tags"] = json!([]);
    d["num_followers"] = json!(0);
    Ok(d)
}

pub async fn tag_list(c: &Call<'_>) -> Result<Value, CkanError> {
    let query = c
        .params
        .text(&["query", "q"])?
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let page = search(c, "", Vec::new(), Sort::Relevance, 0, ALL).await?;
    let mut tags: Vec<String> = page
        .resources
        .into_iter()
        .flat_map(|r| r.keywords)
        .filter(|k| query.as_ref().is_none_or(|q| k.to_lowercase().contains(q)))
        .collect();
    tags.sort();
    tags.dedup();
    Ok(Value::Array(if c.params.flag(&["all_fields"], false)? {
        tags.iter().map(|t| package::tag(t)).collect()
    } else {
        tags.into_iter().map(Value::String).collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_items_are_cut_and_ordered() {
        let items = vec![
            ("b".to_string(), "B".to_string(), 2),
            ("a".to_string(), "A".to_string(), 2),
            ("c".to_string(), "C".to_string(), 5),
            ("d".to_string(), "D".to_string(), 0),
            (String::new(), "—".to_string(), 9),
        ];
        let out = cut(items, 1, Some(2));
        assert_eq!(
            out.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(),
            vec!["c", "a"]
        );
    }
}
