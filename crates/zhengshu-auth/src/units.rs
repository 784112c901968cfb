//! 部门: the government units of the district and the city.

mod import;

pub use import::{
    decode_text, import_file, ImportFormat, ImportReport, RowError, MAX_IMPORT_BYTES,
};

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use zhengshu_db::Db;

use crate::error::is_unique_violation;
use crate::AuthError;

/// 层级: the administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// 市级
    Municipal,
    /// 区级
    District,
    /// 街道
    Street,
    /// 社区
    Community,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 4] = [
        UnitLevel::Municipal,
        UnitLevel::District,
        UnitLevel::Street,
        UnitLevel::Community,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Municipal => "municipal",
            UnitLevel::District => "district",
            UnitLevel::Street => "street",
            UnitLevel::Community => "community",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            UnitLevel::Municipal => "市级",
            UnitLevel::District => "区级",
            UnitLevel::Street => "街道",
            UnitLevel::Community => "社区",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            UnitLevel::Municipal => "Municipal",
            UnitLevel::District => "District",
            UnitLevel::Street => "Street",
            UnitLevel::Community => "Community",
        }
    }

    /// Accepts the code (`district`) or the Chinese label (`区级`, also `区`).
    pub fn parse(s: &str) -> Option<UnitLevel> {
        let s = s.trim();
        UnitLevel::ALL.into_iter().find(|l| {
            l.as_str().eq_ignore_ascii_case(s)
                || l.label_zh() == s
                || l.label_zh().trim_end_matches('级') == s
        })
    }
}

/// A government unit (部门).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub level: UnitLevel,
    pub parent_id: Option<i64>,
    /// 统一社会信用代码 (GB 32100).
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    /// `active` or `inactive`.
    pub status: String,
    pub created_at: String,
}

/// A unit to create, validated by [`NewUnit::validate`].
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewUnit {
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    pub level: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
}

/// A unit that passed validation.
#[derive(Debug, Clone)]
pub struct ValidUnit {
    pub name: String,
    pub short_name: String,
    pub level: UnitLevel,
    pub parent_id: Option<i64>,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
}

impl NewUnit {
    /// Checks the fields; errors name the field and what to fix.
    pub fn validate(&self) -> Result<ValidUnit, AuthError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(AuthError::invalid("name", "unit name is required"));
        }
        if name.chars().count() > 100 {
            return Err(AuthError::invalid(
                "name",
                "unit name is longer than 100 characters",
            ));
        }
        let level = UnitLevel::parse(&self.level).ok_or_else(|| {
            AuthError::invalid(
                "level",
                format!("`{}` is not a level; use municipal/district/street/community or 市级/区级/街道/社区", self.level),
            )
        })?;
        let credit_code = match self.credit_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => {
                let c = c.to_uppercase();
                zhengshu_core::validate::credit_code(&c)
                    .map_err(|e| AuthError::invalid("credit_code", format!("`{c}`: {e}")))?;
                Some(c)
            }
        };
        let phone = self.contact_phone.trim();
        if !phone.is_empty()
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            return Err(AuthError::invalid(
                "contact_phone",
                format!("`{phone}` is not a phone number"),
            ));
        }
        let short = self.short_name.trim();
        Ok(ValidUnit {
            name: name.to_string(),
            short_name: if short.is_empty() {
                name.to_string()
            } else {
                short.to_string()
            },
            level,
            parent_id: self.parent_id,
            credit_code,
            contact_name: self.contact_name.trim().to_string(),
            contact_phone: phone.to_string(),
        })
    }
}

const COLUMNS: &str =
    "id, name, short_name, level, parent_id, credit_code, contact_name, contact_phone, status, created_at";

fn from_row(r: &AnyRow) -> Result<Unit, sqlx::Error> {
    let level: String = r.try_get("level")?;
    Ok(Unit {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        level: UnitLevel::parse(&level).unwrap_or(UnitLevel::District),
        parent_id: r.try_get("parent_id")?,
        credit_code: r.try_get("credit_code")?,
        contact_name: r.try_get("contact_name")?,
        contact_phone: r.try_get("contact_phone")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct UnitFilter {
    /// municipal / district / street / community
    pub level: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
}

pub async fn list(db: &Db, filter: &UnitFilter) -> Result<Vec<Unit>, AuthError> {
    let level = filter
        .level
        .as_deref()
        .and_then(UnitLevel::parse)
        .map(|l| l.as_str().to_string());
    let q = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{s}%"));
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM units WHERE ($1 IS NULL OR level = $1) AND ($2 IS NULL OR name LIKE $2 OR short_name LIKE $2) ORDER BY id"
    ))
    .bind(level)
    .bind(q)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn get(db: &Db, id: i64) -> Result<Unit, AuthError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AuthError::NotFound {
            what: "unit",
            id: id.to_string(),
        })?;
    Ok(from_row(&row)?)
}

pub async fn find_by_name(db: &Db, name: &str) -> Result<Option<Unit>, AuthError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM units WHERE name = $1 OR short_name = $1 ORDER BY id LIMIT 1"
    ))
    .bind(name.trim())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

pub async fn count(db: &Db) -> Result<i64, AuthError> {
    Ok(db.scalar_i64("SELECT COUNT(*) FROM units").await?)
}

/// Counts units by level, in `UnitLevel::ALL` order.
pub async fn count_by_level(db: &Db) -> Result<Vec<(UnitLevel, i64)>, AuthError> {
    let rows = sqlx::query("SELECT level, COUNT(*) AS n FROM units GROUP BY level")
        .fetch_all(db.pool())
        .await?;
    let mut out: Vec<(UnitLevel, i64)> = UnitLevel::ALL.iter().map(|l| (*l, 0)).collect();
    for r in rows {
        let level: String = r.try_get("level")?;
        let n: i64 = r.try_get("n")?;
        if let Some(slot) = out.iter_mut().find(|(l, _)| l.as_str() == level) {
            slot.1 = n;
        }
    }
    Ok(out)
}

/// Creates a unit after validation; a duplicate name or credit code is a clear error.
pub async fn create(db: &Db, unit: &NewUnit, now: &str) -> Result<Unit, AuthError> {
    let v = unit.validate()?;
    if let Some(p) = v.parent_id {
        get(db, p).await.map_err(|_| {
            AuthError::invalid("parent_id", format!("parent unit {p} does not exist"))
        })?;
    }
    let mut tx = db.pool().begin().await?;
    let id = insert(&mut tx, &v, now).await?;
    tx.commit().await?;
    get(db, id).await
}

pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    v: &ValidUnit,
    now: &str,
) -> Result<i64, AuthError> {
    let r = sqlx::query(
        "INSERT INTO units (name, short_name, level, parent_id, credit_code, contact_name, contact_phone, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8) RETURNING id",
    )
    .bind(&v.name)
    .bind(&v.short_name)
    .bind(v.level.as_str())
    .bind(v.parent_id)
    .bind(&v.credit_code)
    .bind(&v.contact_name)
    .bind(&v.contact_phone)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match r {
        Ok(row) => Ok(row.try_get("id")?),
        Err(e) if is_unique_violation(&e) => {
            let dup_code = e.to_string().contains("credit_code");
            Err(if dup_code {
                AuthError::Duplicate {
                    what: "credit code",
                    value: v.credit_code.clone().unwrap_or_default(),
                }
            } else {
                AuthError::Duplicate {
                    what: "unit",
                    value: v.name.clone(),
                }
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets a unit active or inactive.
pub async fn set_status(db: &Db, id: i64, active: bool, now: &str) -> Result<Unit, AuthError> {
    let r = sqlx::query("UPDATE units SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(if active { "active" } else { "inactive" })
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(AuthError::NotFound {
            what: "unit",
            id: id.to_string(),
        });
    }
    get(db, id).await
}
