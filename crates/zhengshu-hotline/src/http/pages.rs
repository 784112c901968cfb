//! Console pages: the order list, the intake form (with live suggestions), the order page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use zhengshu_auth::{Permission, Unit};
use zhengshu_http::{perm, render, ApiError, Authorized, Chrome, Lang};

use super::url_encode;
use crate::deadline::local_display;
use crate::model::{
    AppealType, Category, Channel, NewOrder, OrderState, Urgency, CATEGORIES, STREETS,
};
use crate::service::{Actor, OrderDetail, OrderFilter, OrderList};
use crate::suggest::{SuggestInput, Suggestion};
use crate::HotlineState;

/// Shows a stored timestamp in China time.
fn when(s: &Option<String>) -> String {
    s.as_deref()
        .map(local_display)
        .unwrap_or_else(|| "—".into())
}

async fn all_units(st: &HotlineState) -> Result<Vec<Unit>, ApiError> {
    Ok(zhengshu_auth::units::list(st.db(), &Default::default())
        .await?
        .into_iter()
        .filter(|u| u.status == "active")
        .collect())
}

#[derive(Template)]
#[template(path = "hotline/list.html")]
struct ListPage {
    chrome: Chrome,
    list: OrderList,
    f: OrderFilter,
    q: String,
    streets: &'static [&'static str],
    categories: &'static [Category],
    states: &'static [OrderState],
    can_intake: bool,
    can_supervise: bool,
    can_keys: bool,
    my_unit: Option<i64>,
    prev: Option<String>,
    next: Option<String>,
}

impl ListPage {
    fn when(&self, s: &Option<String>) -> String {
        when(s)
    }
    fn at(&self, s: &str) -> String {
        local_display(s)
    }
    fn sel(&self, a: &Option<String>, b: &str) -> bool {
        a.as_deref() == Some(b)
    }
}

fn page_link(f: &OrderFilter, page: i64) -> String {
    let mut parts = vec![format!("page={page}")];
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    };
    add("state", &f.state);
    add("street", &f.street);
    add("category", &f.category);
    add("appeal_type", &f.appeal_type);
    add("warning", &f.warning);
    add("q", &f.q);
    if let Some(u) = f.unit_id {
        parts.push(format!("unit_id={u}"));
    }
    format!("/console/hotline?{}", parts.join("&"))
}

/// 工单列表 with filters and warning badges.
pub(crate) async fn list_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineRead>,
    lang: Lang,
    Query(f): Query<OrderFilter>,
) -> Result<Response, ApiError> {
    let list = st.list(&f).await?;
    let pages = (list.total + list.page_size - 1) / list.page_size;
    let prev = (list.page > 1).then(|| page_link(&f, list.page - 1));
    let next = (list.page < pages).then(|| page_link(&f, list.page + 1));
    let page = ListPage {
        chrome: Chrome::console(&who, lang, "/console/hotline"),
        q: f.q.clone().unwrap_or_default(),
        list,
        f,
        streets: &STREETS,
        categories: CATEGORIES,
        states: OrderState::ALL,
        can_intake: who.can(Permission::HotlineIntake),
        can_supervise: who.can(Permission::HotlineSupervise),
        can_keys: who.can(Permission::Open311Keys),
        my_unit: who
            .user
            .unit_id
            .filter(|_| who.can(Permission::HotlineHandle)),
        prev,
        next,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "hotline/new.html")]
struct NewPage {
    chrome: Chrome,
    units: Vec<Unit>,
    categories: &'static [Category],
    streets: &'static [&'static str],
    appeal_types: &'static [AppealType],
    urgencies: &'static [Urgency],
    channels: Vec<Channel>,
    v: NewForm,
    errors: Vec<String>,
}

impl NewPage {
    fn sel(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn sel_unit(&self, id: &i64) -> bool {
        self.v.lead_unit_id.trim() == id.to_string()
    }
}

/// The intake form's fields as typed (kept to re-show the form after an error).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NewForm {
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub caller_name: String,
    #[serde(default)]
    pub caller_phone: String,
    #[serde(default)]
    pub appeal_type: String,
    #[serde(default)]
    pub category_code: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub lead_unit_id: String,
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
}

fn parse_new_form(fields: &[(String, String)]) -> NewForm {
    let mut f = NewForm::default();
    for (k, v) in fields {
        let v = v.clone();
        match k.as_str() {
            "channel" => f.channel = v,
            "caller_name" => f.caller_name = v,
            "caller_phone" => f.caller_phone = v,
            "appeal_type" => f.appeal_type = v,
            "category_code" => f.category_code = v,
            "content" => f.content = v,
            "address" => f.address = v,
            "street" => f.street = v,
            "urgency" => f.urgency = v,
            "lead_unit_id" => f.lead_unit_id = v,
            "co_unit_ids" => f.co_unit_ids.extend(v.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    f
}

async fn new_page_with(
    st: &HotlineState,
    chrome: Chrome,
    v: NewForm,
    errors: Vec<String>,
) -> Result<NewPage, ApiError> {
    Ok(NewPage {
        chrome,
        units: all_units(st).await?,
        categories: CATEGORIES,
        streets: &STREETS,
        appeal_types: AppealType::ALL,
        urgencies: Urgency::ALL,
        channels: vec![Channel::Phone, Channel::Web, Channel::App],
        v,
        errors,
    })
}

/// 受理: the one-screen intake form.
pub(crate) async fn new_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineIntake>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let v = NewForm {
        channel: "phone".into(),
        appeal_type: "complaint".into(),
        urgency: "normal".into(),
        ..NewForm::default()
    };
    let page = new_page_with(
        &st,
        Chrome::console(&who, lang, "/console/hotline/new"),
        v,
        Vec::new(),
    )
    .await?;
    Ok(render(&page))
}

/// Creates the order and opens its page; on bad input shows the form again with the errors.
pub(crate) async fn create_from_form(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineIntake>,
    lang: Lang,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let v = parse_new_form(&fields);
    let lead = match v.lead_unit_id.trim() {
        "" => Ok(None),
        s => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("lead_unit_id: `{s}` is not a unit")),
    };
    let result = match lead {
        Ok(lead_unit_id) => {
            let new = NewOrder {
                channel: Some(v.channel.clone()),
                caller_name: v.caller_name.clone(),
                caller_phone: v.caller_phone.clone(),
                appeal_type: v.appeal_type.clone(),
                category_code: v.category_code.clone(),
                content: v.content.clone(),
                address: v.address.clone(),
                street: v.street.clone(),
                lat: None,
                long: None,
                urgency: Some(v.urgency.clone()),
                lead_unit_id,
                co_unit_ids: v.co_unit_ids.clone(),
            };
            st.create(&Actor::user(&who.user), &new)
                .await
                .map_err(|e| ApiError::from(e).message)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(order) => Ok(Redirect::to(&format!(
            "/console/hotline/orders/{}?done=create",
            order.order_no
        ))
        .into_response()),
        Err(message) => {
            let page = new_page_with(
                &st,
                Chrome::console(&who, lang, "/console/hotline/new"),
                v,
                vec![message],
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "hotline/suggest.html")]
struct SuggestFragment {
    s: Suggestion,
    en: bool,
}

impl SuggestFragment {
    fn pct(&self, x: &f64) -> String {
        format!("{:.0}%", x * 100.0)
    }
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en {
            en
        } else {
            zh
        }
    }
}

/// The suggestion panel of the intake form (htmx fragment).
pub(crate) async fn suggest_fragment(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineIntake>,
    lang: Lang,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = SuggestInput {
        content: get("content"),
        street: get("street"),
        order_no: None,
    };
    let s = st.suggest(&input).await?;
    Ok(render(&SuggestFragment {
        s,
        en: lang == Lang::En,
    }))
}

#[derive(Template)]
#[template(path = "hotline/order.html")]
struct OrderPage {
    chrome: Chrome,
    d: OrderDetail,
    units: Vec<Unit>,
    categories: &'static [Category],
    done: Option<String>,
    error: Option<String>,
    duplicates: Vec<crate::suggest::Duplicate>,
}

impl OrderPage {
    fn can(&self, action: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a == action)
    }
    fn when(&self, s: &Option<String>) -> String {
        when(s)
    }
    fn at(&self, s: &str) -> String {
        local_display(s)
    }
    fn action_label(&self, a: &str) -> &'static str {
        match a {
            "accept" => "受理",
            "call_back" => "回访",
            other => crate::model::Action::parse(other)
                .map(|a| a.label_zh())
                .unwrap_or("记录"),
        }
    }
    fn any_action(&self) -> bool {
        !self.d.allowed_actions.is_empty()
    }
}

/// Flash messages after a form post.
#[derive(Debug, Deserialize)]
pub(crate) struct Flash {
    pub done: Option<String>,
    pub error: Option<String>,
}

/// 工单详情: the order, its deadlines and timeline, and the viewer's actions.
pub(crate) async fn order_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineRead>,
    lang: Lang,
    Path(order_no): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, ApiError> {
    let d = st
        .detail(&order_no, &who.permissions, who.user.unit_id)
        .await?;
    let duplicates = if d.allowed_actions.iter().any(|a| a == "merge") {
        st.duplicates(&d.order.content, &d.order.street, Some(&d.order.order_no))
            .await?
    } else {
        Vec::new()
    };
    let page = OrderPage {
        chrome: Chrome::console(&who, lang, "/console/hotline"),
        units: if d
            .allowed_actions
            .iter()
            .any(|a| a == "dispatch" || a == "redispatch")
        {
            all_units(&st).await?
        } else {
            Vec::new()
        },
        categories: CATEGORIES,
        done: flash.done,
        error: flash.error,
        duplicates,
        d,
    };
    Ok(render(&page))
}
