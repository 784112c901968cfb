//! 工单 work orders: the vocabulary of the 12345 hotline and the validation of new orders.

mod category;
mod state;

pub use category::{category, Category, CATEGORIES};
pub use state::{Action, OrderState, Refusal};

use serde::{Deserialize, Serialize};

use crate::HotlineError;

/// The district's streets (街道), where every order is located.
pub const STREETS: [&str; 11] = [
    "平湖街道",
    "坂田街道",
    "布吉街道",
    "南湾街道",
    "横岗街道",
    "龙城街道",
    "龙岗街道",
    "坪地街道",
    "园山街道",
    "宝龙街道",
    "吉华街道",
];

/// The longest content (诉求内容) an order may have, in characters.
pub const MAX_CONTENT_CHARS: usize = 4000;

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal)),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Stable machine name.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn label_zh(self) -> &'static str { match self { $($name::$variant => $zh),* } }
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            /// Accepts the machine name or the Chinese label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $name::ALL.iter().copied().find(|v| v.as_str() == s || v.label_zh() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label_zh()) }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum! {
    /// 诉求类型: the appeal type, which sets the handling deadline.
    AppealType {
        /// 咨询
        Consultation = ("consultation", "咨询", "Consultation"),
        /// 求助
        Help = ("help", "求助", "Help"),
        /// 投诉举报
        Complaint = ("complaint", "投诉举报", "Complaint / report"),
        /// 意见建议
        Suggestion = ("suggestion", "意见建议", "Suggestion"),
    }
}

labelled_enum! {
    /// 紧急程度: urgency of an order.
    Urgency {
        /// 一般
        Normal = ("normal", "一般", "Normal"),
        /// 紧急: shorter deadlines.
        Urgent = ("urgent", "紧急", "Urgent"),
        /// 特急: same-day, counted in hours.
        Emergency = ("emergency", "特急", "Emergency"),
    }
}

labelled_enum! {
    /// 来源渠道: how the appeal reached the hotline.
    Channel {
        Phone = ("phone", "电话", "Phone"),
        Web = ("web", "网站", "Website"),
        App = ("app", "移动端", "Mobile app"),
        Open311 = ("open311", "Open311 接口", "Open311 API"),
    }
}

labelled_enum! {
    /// 满意度: the result of the call-back (回访).
    Satisfaction {
        Satisfied = ("satisfied", "满意", "Satisfied"),
        Basic = ("basic", "基本满意", "Basically satisfied"),
        Unsatisfied = ("unsatisfied", "不满意", "Unsatisfied"),
    }
}

/// A new work order as entered by an operator or posted by a program.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewOrder {
    /// `phone`, `web`, `app` (`open311` is set by the Open311 API).
    #[serde(default)]
    pub channel: Option<String>,
    /// 来电人 (may be anonymous).
    #[serde(default)]
    pub caller_name: String,
    /// 联系电话.
    #[serde(default)]
    pub caller_phone: String,
    /// `consultation`, `help`, `complaint`, `suggestion` (or 咨询, 求助, 投诉举报, 意见建议).
    pub appeal_type: String,
    /// A category code from `GET /api/v1/hotline/categories`.
    pub category_code: String,
    /// 诉求内容, at most 4000 characters.
    pub content: String,
    #[serde(default)]
    pub address: String,
    /// One of the district's streets, e.g. `坂田街道` (or `坂田`).
    pub street: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub long: Option<f64>,
    /// `normal` (default), `urgent`, `emergency`.
    #[serde(default)]
    pub urgency: Option<String>,
    /// Dispatch at once to this lead unit (承办单位).
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    /// 协办单位.
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
}

/// A new order that passed validation.
#[derive(Debug, Clone)]
pub struct ValidOrder {
    pub channel: Channel,
    pub caller_name: String,
    pub caller_phone: String,
    pub appeal_type: AppealType,
    pub category: &'static Category,
    pub content: String,
    pub address: String,
    pub street: &'static str,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub urgency: Urgency,
    pub attributes: serde_json::Value,
}

/// Finds a street by full name (`坂田街道`) or short name (`坂田`).
pub fn street(s: &str) -> Option<&'static str> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    STREETS
        .iter()
        .copied()
        .find(|n| *n == s || n.trim_end_matches("街道") == s)
}

impl NewOrder {
    /// Checks every field; the error names the field and what to fix.
    pub fn validate(&self) -> Result<ValidOrder, HotlineError> {
        let channel = match self.channel.as_deref().map(str::trim) {
            None | Some("") => Channel::Phone,
            Some(c) => Channel::parse(c).ok_or_else(|| {
                HotlineError::invalid(
                    "channel",
                    format!("`{c}` is not a channel; use phone, web, app or open311"),
                )
            })?,
        };
        let appeal_type = AppealType::parse(&self.appeal_type).ok_or_else(|| {
            HotlineError::invalid(
                "appeal_type",
                format!(
                    "`{}` is not an appeal type; use consultation, help, complaint or suggestion",
                    self.appeal_type
                ),
            )
        })?;
        let category = category(&self.category_code).ok_or_else(|| {
            HotlineError::invalid(
                "category_code",
                format!(
                    "`{}` is not a category; see GET /api/v1/hotline/categories",
                    self.category_code
                ),
            )
        })?;
        let content = self.content.trim();
        if content.is_empty() {
            return Err(HotlineError::invalid(
                "content",
                "describe the appeal (诉求内容 is required)",
            ));
        }
        let chars = content.chars().count();
        if chars > MAX_CONTENT_CHARS {
            return Err(HotlineError::invalid(
                "content",
                format!(
                    "the content has {chars} characters; at most {MAX_CONTENT_CHARS} are allowed"
                ),
            ));
        }
        let street = street(&self.street).ok_or_else(|| {
            HotlineError::invalid(
                "street",
                format!(
                    "`{}` is not a street of the district; use one of {}",
                    self.street,
                    STREETS.join("、")
                ),
            )
        })?;
        let phone = self.caller_phone.trim();
        let phone_ok = phone.len() <= 20 && phone.chars().all(|c| c.is_ascii_digit() || c == '-');
        if !phone.is_empty() && !phone_ok {
            return Err(HotlineError::invalid(
                "caller_phone",
                format!("`{phone}` is not a phone number"),
            ));
        }
        if self.caller_name.chars().count() > 50 {
            return Err(HotlineError::invalid(
                "caller_name",
                "the caller's name is longer than 50 characters",
            ));
        }
        if self.address.chars().count() > 200 {
            return Err(HotlineError::invalid(
                "address",
                "the address is longer than 200 characters",
            ));
        }
        if let Some(lat) = self.lat {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(HotlineError::invalid(
                    "lat",
                    format!("{lat} is not a latitude"),
                ));
            }
        }
        if let Some(long) = self.long {
            if !(-180.0..=180.0).contains(&long) {
                return Err(HotlineError::invalid(
                    "long",
                    format!("{long} is not a longitude"),
                ));
            }
        }
        let urgency = match self.urgency.as_deref().map(str::trim) {
            None | Some("") => Urgency::Normal,
            Some(u) => Urgency::parse(u).ok_or_else(|| {
                HotlineError::invalid(
                    "urgency",
                    format!("`{u}` is not an urgency; use normal, urgent or emergency"),
                )
            })?,
        };
        Ok(ValidOrder {
            channel,
            caller_name: self.caller_name.trim().to_string(),
            caller_phone: phone.to_string(),
            appeal_type,
            category,
            content: content.to_string(),
            address: self.address.trim().to_string(),
            street,
            lat: self.lat,
            long: self.long,
            urgency,
            attributes: serde_json::Value::Object(Default::default()),
        })
    }
}

/// A work order as stored (工单).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkOrder {
    pub id: i64,
    /// 工单编号, e.g. `GD202611240001`.
    pub order_no: String,
    pub channel: Channel,
    pub caller_name: String,
    pub caller_phone: String,
    pub appeal_type: AppealType,
    pub category_code: String,
    pub content: String,
    pub address: String,
    pub street: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub urgency: Urgency,
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    pub state: OrderState,
    pub lead_unit_id: Option<i64>,
    pub lead_unit_name: Option<String>,
    pub created_at: String,
    pub dispatched_at: Option<String>,
    pub sign_due_at: Option<String>,
    pub return_due_at: Option<String>,
    pub signed_at: Option<String>,
    /// 办结时限.
    pub due_at: Option<String>,
    pub closed_at: Option<String>,
    pub reply: Option<String>,
    pub extension_days: i64,
    pub reopen_count: i64,
    pub callback_due_at: Option<String>,
    pub called_back_at: Option<String>,
    pub satisfaction: Option<Satisfaction>,
    pub merged_into: Option<String>,
    pub updated_at: String,
    #[serde(skip)]
    pub version: i64,
    #[serde(skip)]
    pub token: Option<String>,
}

impl WorkOrder {
    pub fn category(&self) -> Option<&'static Category> {
        category(&self.category_code)
    }

    /// The category name, or the code when it is no longer in the catalog.
    pub fn category_name(&self) -> &str {
        self.category()
            .map(|c| c.name)
            .unwrap_or(&self.category_code)
    }
}
