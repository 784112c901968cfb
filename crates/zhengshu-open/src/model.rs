//! What the portal shows and stores: an opened dataset, an application, an app key.

use serde::{Deserialize, Serialize};
use zhengshu_catalog::model::{OpenType, Resource};

/// An opened catalog resource as the portal shows it, with its lake table if its data is
/// connected.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dataset {
    pub resource: Resource,
    /// The lake table holding the data (None = metadata only).
    pub table: Option<String>,
    /// The table's key column ("" = none).
    pub key: String,
    /// Rows in the table now.
    pub rows: Option<i64>,
    /// The Delta table version now.
    pub version: Option<i64>,
    /// When the data last changed (RFC 3339), or the catalog entry when there is no data.
    pub last_update: String,
    /// The latest quality score (0–100) of the table's batches.
    pub quality: Option<f64>,
}

impl Dataset {
    /// Needs an approved application (有条件开放).
    pub fn is_conditional(&self) -> bool {
        self.resource.open_type == OpenType::Conditional
    }

    pub fn has_data(&self) -> bool {
        self.table.is_some()
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
    Revoked,
}

impl AppStatus {
    pub const ALL: [AppStatus; 5] = [
        AppStatus::Pending,
        AppStatus::Approved,
        AppStatus::Rejected,
        AppStatus::Withdrawn,
        AppStatus::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppStatus::Pending => "pending",
            AppStatus::Approved => "approved",
            AppStatus::Rejected => "rejected",
            AppStatus::Withdrawn => "withdrawn",
            AppStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<AppStatus> {
        AppStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AppStatus::Pending => "待审核",
            AppStatus::Approved => "已通过",
            AppStatus::Rejected => "未通过",
            AppStatus::Withdrawn => "已撤回",
            AppStatus::Revoked => "已撤销",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            AppStatus::Pending => "Pending",
            AppStatus::Approved => "Approved",
            AppStatus::Rejected => "Rejected",
            AppStatus::Withdrawn => "Withdrawn",
            AppStatus::Revoked => "Revoked",
        }
    }
}

/// An application for a conditionally opened dataset (开放申请).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Application {
    pub id: i64,
    pub user_id: i64,
    /// The applicant's display name.
    pub user_name: String,
    pub resource_id: i64,
    pub resource_code: String,
    pub resource_name: String,
    pub provider_unit_id: i64,
    pub purpose: String,
    /// The applicant's organisation (company, university …), if any.
    pub organisation: String,
    pub contact: String,
    pub status: AppStatus,
    /// The provider decides by this day (YYYY-MM-DD), counted in working days.
    pub due_date: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub reason: String,
    /// Last day of use when approved (YYYY-MM-DD, China time).
    pub valid_until: Option<String>,
    pub created_at: String,
}

impl Application {
    /// Approved, not revoked, and not past its last day on `today` (YYYY-MM-DD).
    pub fn is_active(&self, today: &str) -> bool {
        self.status == AppStatus::Approved && self.valid_until.as_deref().is_none_or(|d| today <= d)
    }
}

/// An application as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewApplication {
    /// The dataset's code.
    pub dataset: String,
    /// What the data will be used for (at least 10 characters).
    pub purpose: String,
    pub organisation: String,
    pub contact: String,
}

/// A provider's decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AppDecision {
    pub approve: bool,
    /// Required when rejecting.
    pub reason: String,
    /// Last day of use (YYYY-MM-DD); blank = one year.
    pub valid_until: Option<String>,
}

/// An app key as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AppKey {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters, to recognise the key.
    pub prefix: String,
    pub rate_per_minute: i64,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub created_at: String,
}

/// Who calls a data endpoint of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No login, no key: 无条件开放 datasets only.
    Anonymous,
    /// A signed-in user (their approved applications unlock 有条件开放 datasets).
    User { user_id: i64 },
    /// An app key of an approved applicant.
    Key { key_id: i64, user_id: i64 },
}

impl Caller {
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Caller::Anonymous => None,
            Caller::User { user_id } | Caller::Key { user_id, .. } => Some(*user_id),
        }
    }
}
