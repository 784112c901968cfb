//! The platform's headline figures, read from the database.

use serde::Serialize;
use zhengshu_auth::UnitLevel;
use zhengshu_http::ApiError;

/// Headline figures for the dashboard and the home page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct Figures {
    /// Active units connected to the platform.
    pub units: i64,
    pub units_by_level: Vec<LevelCount>,
    pub users: i64,
    /// Catalog resources (0 until the catalog module is enabled).
    pub resources: i64,
    /// Records held in the lake (0 until the lake module is enabled).
    pub records: i64,
    /// Share API calls (0 until the exchange module is enabled).
    pub sharing_calls: i64,
    /// Resources opened to the public.
    pub open_resources: i64,
    /// 12345 work orders in total and still open.
    pub hotline_orders: i64,
    pub hotline_open: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct LevelCount {
    pub level: UnitLevel,
    pub label: String,
    pub count: i64,
}

pub(crate) async fn load(s: &crate::WebState) -> Result<Figures, ApiError> {
    let db = &s.db;
    let lake = zhengshu_lake::headline(&s.lake)
        .await
        .map_err(ApiError::internal)?;
    let units = db
        .scalar_i64("SELECT COUNT(*) FROM units WHERE status = 'active'")
        .await?;
    let users = zhengshu_auth::users::count(db).await?;
    let units_by_level = zhengshu_auth::units::count_by_level(db)
        .await?
        .into_iter()
        .map(|(level, count)| LevelCount {
            level,
            label: level.label_zh().to_string(),
            count,
        })
        .collect();
    let catalog = zhengshu_catalog::headline(db)
        .await
        .map_err(ApiError::internal)?;
    let exchange = zhengshu_exchange::headline(db)
        .await
        .map_err(ApiError::internal)?;
    let hotline = zhengshu_hotline::headline(db)
        .await
        .map_err(ApiError::internal)?;
    let pick = |v: &[(&str, i64)], k: &str| {
        v.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    Ok(Figures {
        units,
        units_by_level,
        users,
        resources: pick(&catalog, "catalog_published"),
        records: pick(&lake, "lake_records"),
        sharing_calls: pick(&exchange, "sharing_calls"),
        open_resources: pick(&catalog, "catalog_open"),
        hotline_orders: pick(&hotline, "hotline_orders"),
        hotline_open: pick(&hotline, "hotline_open"),
    })
}
