//! The domain types of sharing: scenarios, access requests, grants, row filters, tokens.

use serde::{Deserialize, Serialize};

/// 数据应用场景: an application that needs the units' data (智慧社区, 企业服务 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scenario {
    pub id: i64,
    pub name: String,
    /// The unit that owns and answers for the scenario.
    pub unit_id: i64,
    pub unit_name: String,
    pub purpose: String,
    /// 法律依据 / 政策依据 for using the data.
    pub legal_basis: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// The systems that will call the share API, one per line.
    pub systems: String,
    /// `active` or `suspended` (a suspended scenario's tokens are refused).
    pub status: String,
    pub created_by: Option<i64>,
    pub created_at: String,
}

/// A scenario as registered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewScenario {
    pub name: String,
    /// Blank = the caller's own unit.
    pub unit_id: Option<i64>,
    pub purpose: String,
    pub legal_basis: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub systems: String,
}

/// A comparison in a row filter or a REST query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Equal to the one value.
    Eq,
    /// One of the values.
    In,
    /// Between two values, inclusive; either may be empty for an open end.
    Range,
    /// Text starting with the one value.
    Prefix,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::In => "in",
            Op::Range => "range",
            Op::Prefix => "prefix",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        match s.trim() {
            "eq" => Some(Op::Eq),
            "in" => Some(Op::In),
            "range" => Some(Op::Range),
            "prefix" => Some(Op::Prefix),
            _ => None,
        }
    }
}

/// One condition on one data item. A row filter is a list of them, all of which must hold.
/// Conditions are data, never SQL text: they are compiled to DataFusion expressions with
/// the values typed by the data item, so nothing in them can change the query's shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Condition {
    pub column: String,
    pub op: Op,
    /// `eq`, `prefix`: one value; `in`: one or more; `range`: `[low, high]`, either may be "".
    pub values: Vec<String>,
}

impl Condition {
    /// `street in (布吉街道, 坂田街道)`, for pages and audit records.
    pub fn describe(&self) -> String {
        match self.op {
            Op::Eq => format!("{} = {}", self.column, self.values.join("")),
            Op::In => format!("{} in ({})", self.column, self.values.join(", ")),
            Op::Prefix => format!("{} starts with {}", self.column, self.values.join("")),
            Op::Range => format!(
                "{} between {} and {}",
                self.column,
                self.values.first().map(String::as_str).unwrap_or(""),
                self.values.get(1).map(String::as_str).unwrap_or("")
            ),
        }
    }
}

/// A row filter in words, conditions joined by `; ` (pages and notices).
pub fn describe_all(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(Condition::describe)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The status of an access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the provider's reviewer (有条件共享).
    Pending,
    /// Granted (automatically for 无条件共享, or by the provider).
    Approved,
    /// The provider said no, with a reason.
    Rejected,
    /// Refused by the platform: the resource is 不予共享 (the reason is its legal basis).
    Refused,
    /// Withdrawn by the scenario before a decision.
    Withdrawn,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Refused => "refused",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Pending,
            RequestStatus::Approved,
            RequestStatus::Rejected,
            RequestStatus::Refused,
            RequestStatus::Withdrawn,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RequestStatus::Pending => "待审核",
            RequestStatus::Approved => "已授权",
            RequestStatus::Rejected => "已驳回",
            RequestStatus::Refused => "不予共享",
            RequestStatus::Withdrawn => "已撤回",
        }
    }
}

/// 共享申请: a scenario asks for data items of a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccessRequest {
    pub id: i64,
    pub scenario_id: i64,
    pub scenario_name: String,
    pub resource_id: i64,
    pub resource_code: String,
    pub resource_name: String,
    pub provider_unit_id: i64,
    /// The data items asked for.
    pub columns: Vec<String>,
    /// PII items asked for unmasked (always reviewed by the provider).
    pub raw_columns: Vec<String>,
    pub row_filter: Vec<Condition>,
    pub purpose: String,
    /// Last day of use asked for, YYYY-MM-DD.
    pub valid_until: String,
    pub status: RequestStatus,
    /// The provider must answer by this day (working days from the request).
    pub due_date: Option<String>,
    /// Set when the request passed its due day unanswered and went to the platform admin.
    pub escalated_at: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    /// Why it was rejected, narrowed or refused.
    pub reason: String,
    pub grant_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: String,
}

/// A request as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewRequest {
    /// The resource's code (e.g. `301001-0042-0001`) or its lake table name.
    pub resource: String,
    /// Data item names; empty = every item.
    pub columns: Vec<String>,
    /// PII items wanted unmasked.
    pub raw_columns: Vec<String>,
    pub row_filter: Vec<Condition>,
    pub purpose: String,
    /// YYYY-MM-DD; blank = one year from today.
    pub valid_until: Option<String>,
}

/// The provider's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Decision {
    /// `approve` or `reject`.
    pub action: String,
    /// Required when rejecting or narrowing.
    pub reason: String,
    /// Narrower scope (approve only): a subset of the requested columns …
    pub columns: Option<Vec<String>>,
    /// … of the requested raw columns …
    pub raw_columns: Option<Vec<String>>,
    /// … extra conditions, added to the requested ones …
    pub extra_filter: Vec<Condition>,
    /// … and an earlier end.
    pub valid_until: Option<String>,
}

/// The state of a grant at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantState {
    Active,
    Expired,
    Revoked,
}

/// 授权: what a scenario may read of one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Grant {
    pub id: i64,
    pub scenario_id: i64,
    pub scenario_name: String,
    pub resource_id: i64,
    pub resource_code: String,
    pub resource_name: String,
    pub provider_unit_id: i64,
    pub request_id: i64,
    pub columns: Vec<String>,
    pub raw_columns: Vec<String>,
    pub row_filter: Vec<Condition>,
    /// Last day of use, YYYY-MM-DD (China time).
    pub valid_until: String,
    pub revoked_at: Option<String>,
    pub revoke_reason: String,
    pub created_at: String,
    pub state: GrantState,
}

/// A scenario's API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScenarioToken {
    pub id: i64,
    pub scenario_id: i64,
    pub name: String,
    pub prefix: String,
    pub rate_per_minute: i64,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub created_at: String,
}

/// A token to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewScenarioToken {
    pub name: String,
    /// Calls per minute; blank = the platform default.
    pub rate_per_minute: Option<i64>,
    /// Days until it expires; blank = it does not.
    pub expires_in_days: Option<i64>,
}

/// Sharing settings (console: 共享设置).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Settings {
    /// Working days a provider has to answer a conditional request (local rules: 5–10).
    pub review_working_days: i64,
    /// The longest a grant may run.
    pub max_grant_days: i64,
    /// Calls per minute of a new token unless it says otherwise.
    pub default_rate_per_minute: i64,
}
