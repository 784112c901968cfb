//! The SQL of the catalog tables, nothing else. Functions take a connection so that the
//! service can run several of them in one transaction.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::model::{
    CatalogType, DataItem, DataType, OpenType, Resource, ResourceFormat, SecurityGrade,
    ShareMethod, SharingType, Status, UpdateCycle, ValidResource,
};
use crate::CatalogError;

const SELECT: &str = "SELECT r.id, r.code, r.name, r.summary, r.catalog_type, r.classification, r.theme, \
    r.provider_unit_id, u.name AS provider_name, r.format, r.sharing_type, r.sharing_conditions, r.sharing_basis, \
    r.share_method, r.open_type, r.open_conditions, r.open_basis, r.update_cycle, r.security_grade, r.publish_date, \
    r.related_codes, r.keywords, r.status, r.review_comment, r.version, r.created_by, r.submitted_by, r.created_at, \
    r.updated_at, r.published_at FROM catalog_resources r JOIN units u ON u.id = r.provider_unit_id";

fn bad(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("catalog_resources.{column} holds unknown value `{value}`").into())
}

fn vocab<T>(r: &AnyRow, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let s: String = r.try_get(column)?;
    parse(&s).ok_or_else(|| bad(column, &s))
}

fn split(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn from_row(r: &AnyRow) -> Result<Resource, sqlx::Error> {
    Ok(Resource {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        summary: r.try_get("summary")?,
        catalog_type: vocab(r, "catalog_type", CatalogType::parse)?,
        classification: r.try_get("classification")?,
        theme: r.try_get("theme")?,
        provider_unit_id: r.try_get("provider_unit_id")?,
        provider_name: r.try_get("provider_name")?,
        format: vocab(r, "format", ResourceFormat::parse)?,
        sharing_type: vocab(r, "sharing_type", SharingType::parse)?,
        sharing_conditions: r.try_get("sharing_conditions")?,
        sharing_basis: r.try_get("sharing_basis")?,
        share_method: vocab(r, "share_method", ShareMethod::parse)?,
        open_type: vocab(r, "open_type", OpenType::parse)?,
        open_conditions: r.try_get("open_conditions")?,
        open_basis: r.try_get("open_basis")?,
        update_cycle: vocab(r, "update_cycle", UpdateCycle::parse)?,
        security_grade: vocab(r, "security_grade", SecurityGrade::parse)?,
        publish_date: r.try_get("publish_date")?,
        related_codes: split(&r.try_get::<String, _>("related_codes")?),
        keywords: split(&r.try_get::<String, _>("keywords")?),
        status: vocab(r, "status", Status::parse)?,
        review_comment: r.try_get("review_comment")?,
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        submitted_by: r.try_get("submitted_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        published_at: r.try_get("published_at")?,
        items: Vec::new(),
    })
}

fn item_from_row(r: &AnyRow) -> Result<(i64, DataItem), sqlx::Error> {
    let data_type: String = r.try_get("data_type")?;
    let pii: String = r.try_get("pii_kind")?;
    Ok((
        r.try_get("resource_id")?,
        DataItem {
            name: r.try_get("name")?,
            label: r.try_get("label")?,
            data_type: DataType::parse(&data_type).ok_or_else(|| bad("data_type", &data_type))?,
            length: r.try_get("length")?,
            description: r.try_get("description")?,
            pii_kind: pii.parse().map_err(|_| bad("pii_kind", &pii))?,
        },
    ))
}

/// Fills in the data items of `resources` with one query.
async fn with_items(
    conn: &mut AnyConnection,
    mut resources: Vec<Resource>,
) -> Result<Vec<Resource>, sqlx::Error> {
    if resources.is_empty() {
        return Ok(resources);
    }
    let ids = resources
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT resource_id, name, label, data_type, length, description, pii_kind FROM catalog_items \
         WHERE resource_id IN ({ids}) ORDER BY resource_id, position"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let by_id: std::collections::HashMap<i64, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect();
    for row in rows {
        let (rid, item) = item_from_row(&row)?;
        if let Some(&i) = by_id.get(&rid) {
            resources[i].items.push(item);
        }
    }
    Ok(resources)
}

pub(crate) async fn get(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<Resource>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(with_items(conn, vec![from_row(&row)?]).await?.pop())
}

pub(crate) async fn get_by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<Resource>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.code = $1"))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(with_items(conn, vec![from_row(&row)?]).await?.pop())
}

/// The resources with these ids, in the order of `ids` (missing ones skipped).
pub(crate) async fn get_many(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<Resource>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("{SELECT} WHERE r.id IN ({list})"))
        .fetch_all(&mut *conn)
        .await?;
    let mut found = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    found.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    with_items(conn, found).await
}

/// One page of all resources by id (`after` = last id of the previous page).
pub(crate) async fn page_after(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<Resource>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE r.id > $1 ORDER BY r.id LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let found = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    with_items(conn, found).await
}

/// Resources in one status, oldest change first (the review queue).
pub(crate) async fn list_by_status(
    conn: &mut AnyConnection,
    status: Status,
    limit: i64,
) -> Result<Vec<Resource>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.status = $1 ORDER BY r.updated_at, r.id LIMIT $2"
    ))
    .bind(status.as_str())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The next free sequence number for codes `{classification}-{unit:04}-____` (codes
/// always start with their own classification and unit, which validation enforces).
pub(crate) async fn next_sequence(
    conn: &mut AnyConnection,
    classification: &str,
    unit: i64,
) -> Result<i64, sqlx::Error> {
    let prefix = format!("{classification}-{unit:04}-");
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM catalog_resources WHERE classification = $1 AND provider_unit_id = $2",
    )
    .bind(classification)
    .bind(unit)
    .fetch_all(&mut *conn)
    .await?;
    let max = codes
        .iter()
        .filter_map(|c| c.strip_prefix(&prefix)?.parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    Ok(max + 1)
}

pub(crate) async fn code_exists(conn: &mut AnyConnection, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalog_resources WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Who did something (stored with versions).
#[derive(Debug, Clone)]
pub(crate) struct Stamp<'a> {
    pub(crate) actor_id: Option<i64>,
    pub(crate) now: &'a str,
}

pub(crate) async fn insert(
    conn: &mut AnyConnection,
    v: &ValidResource,
    code: &str,
    status: Status,
    stamp: &Stamp<'_>,
) -> Result<i64, CatalogError> {
    let published_at = (status == Status::Published).then_some(stamp.now);
    let r = bind_fields(sqlx::query(
        "INSERT INTO catalog_resources (code, name, summary, catalog_type, classification, theme, provider_unit_id, format, \
         sharing_type, sharing_conditions, sharing_basis, share_method, open_type, open_conditions, open_basis, update_cycle, \
         security_grade, publish_date, related_codes, keywords, status, review_comment, version, created_by, created_at, updated_at, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, '', 0, $22, $23, $23, $24) RETURNING id",), code, v)
    .bind(status.as_str())
    .bind(stamp.actor_id)
    .bind(stamp.now)
    .bind(published_at)
    .fetch_one(&mut *conn)
    .await;
    let id: i64 = match r {
        Ok(row) => row.try_get("id")?,
        Err(e) if crate::error::is_unique_violation(&e) => {
            return Err(CatalogError::DuplicateCode(code.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    replace_items(conn, id, v).await?;
    Ok(id)
}

pub(crate) async fn update(
    conn: &mut AnyConnection,
    id: i64,
    v: &ValidResource,
    code: &str,
    now: &str,
) -> Result<(), CatalogError> {
    let r = bind_fields(sqlx::query(
        "UPDATE catalog_resources SET code = $1, name = $2, summary = $3, catalog_type = $4, classification = $5, theme = $6, \
         provider_unit_id = $7, format = $8, sharing_type = $9, sharing_conditions = $10, sharing_basis = $11, share_method = $12, \
         open_type = $13, open_conditions = $14, open_basis = $15, update_cycle = $16, security_grade = $17, publish_date = $18, \
         related_codes = $19, keywords = $20, updated_at = $21 WHERE id = $22",), code, v)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await;
    match r {
        Ok(_) => {}
        Err(e) if crate::error::is_unique_violation(&e) => {
            return Err(CatalogError::DuplicateCode(code.to_string()))
        }
        Err(e) => return Err(e.into()),
    }
    replace_items(conn, id, v).await
}

async fn replace_items(
    conn: &mut AnyConnection,
    id: i64,
    v: &ValidResource,
) -> Result<(), CatalogError> {
    sqlx::query("DELETE FROM catalog_items WHERE resource_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (pos, item) in v.items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO catalog_items (resource_id, position, name, label, data_type, length, description, pii_kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(pos as i64)
        .bind(&item.name)
        .bind(&item.label)
        .bind(item.data_type.as_str())
        .bind(item.length)
        .bind(&item.description)
        .bind(item.pii_kind.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A lifecycle step: new status, and the columns that step sets.
#[derive(Debug, Default)]
pub(crate) struct Transition<'a> {
    pub(crate) review_comment: Option<&'a str>,
    pub(crate) submitted_by: Option<i64>,
    pub(crate) published_at: Option<&'a str>,
    pub(crate) publish_date: Option<String>,
}

pub(crate) async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    from: Status,
    to: Status,
    t: &Transition<'_>,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE catalog_resources SET status = $1, updated_at = $2, \
         review_comment = COALESCE($3, review_comment), submitted_by = COALESCE($4, submitted_by), \
         published_at = COALESCE($5, published_at), publish_date = COALESCE(publish_date, $6) \
         WHERE id = $7 AND status = $8",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(t.review_comment)
    .bind(t.submitted_by)
    .bind(t.published_at)
    .bind(&t.publish_date)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A recorded version (snapshot after the change).
#[derive(Debug, Clone)]
pub(crate) struct VersionRow {
    pub(crate) version: i64,
    pub(crate) action: String,
    pub(crate) actor_id: Option<i64>,
    pub(crate) actor_name: String,
    pub(crate) comment: String,
    pub(crate) snapshot: String,
    pub(crate) created_at: String,
}

/// Bumps the resource's version counter; returns the new number.
pub(crate) async fn bump_version(conn: &mut AnyConnection, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE catalog_resources SET version = version + 1 WHERE id = $1 RETURNING version",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}

/// Appends a version row (the snapshot after the change).
pub(crate) async fn insert_version(
    conn: &mut AnyConnection,
    id: i64,
    v: &VersionRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO catalog_versions (resource_id, version, action, actor_id, actor_name, comment, snapshot, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(v.version)
    .bind(&v.action)
    .bind(v.actor_id)
    .bind(&v.actor_name)
    .bind(&v.comment)
    .bind(&v.snapshot)
    .bind(&v.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn versions(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT version, action, actor_id, actor_name, comment, snapshot, created_at FROM catalog_versions \
         WHERE resource_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VersionRow {
                version: r.try_get("version")?,
                action: r.try_get("action")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                comment: r.try_get("comment")?,
                snapshot: r.try_get("snapshot")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Records that a resource changed (None: rebuild everything); returns the sequence number.
pub(crate) async fn record_change(
    conn: &mut AnyConnection,
    id: Option<i64>,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO catalog_changes (resource_id, created_at) VALUES ($1, $2) RETURNING seq",
    )
    .bind(id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// A change after a given sequence number.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) seq: i64,
    pub(crate) resource_id: Option<i64>,
    pub(crate) created_at: String,
}

pub(crate) async fn changes_since(
    conn: &mut AnyConnection,
    seq: i64,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    let rows = sqlx::query("SELECT seq, resource_id, created_at FROM catalog_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(seq)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Change {
                seq: r.try_get("seq")?,
                resource_id: r.try_get("resource_id")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub(crate) async fn max_seq(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    let v: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM catalog_changes")
        .fetch_one(&mut *conn)
        .await?;
    Ok(v.unwrap_or(0))
}

/// Counts per status, for the dashboard.
pub(crate) async fn count_by_status(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM catalog_resources GROUP BY status")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}

/// Binds `$1..$20`: the code and the resource's fields, in the column order insert and
/// update share.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    code: &'q str,
    v: &'q ValidResource,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(code)
        .bind(&v.name)
        .bind(&v.summary)
        .bind(v.catalog_type.as_str())
        .bind(&v.classification)
        .bind(&v.theme)
        .bind(v.provider_unit_id)
        .bind(v.format.as_str())
        .bind(v.sharing_type.as_str())
        .bind(&v.sharing_conditions)
        .bind(&v.sharing_basis)
        .bind(v.share_method.as_str())
        .bind(v.open_type.as_str())
        .bind(&v.open_conditions)
        .bind(&v.open_basis)
        .bind(v.update_cycle.as_str())
        .bind(v.security_grade.as_str())
        .bind(&v.publish_date)
        .bind(v.related_codes.join(" "))
        .bind(v.keywords.join(" "))
}
