//! The actions on an order, each twice: a JSON API route and a console form route (which
//! redirects back to the order page with the outcome). Both call the same service method.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use super::url_encode;
use crate::model::{Satisfaction, WorkOrder};
use crate::service::{Actor, DispatchInput, ExtensionInput, Hotline};
use crate::HotlineState;

/// A note (办理, 督办, extension decisions).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct NoteInput {
    #[serde(default)]
    pub note: String,
}

/// A reply to the caller.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct ReplyInput {
    #[serde(default)]
    pub reply: String,
}

/// Why the order is returned.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

/// A co-unit's part.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct PartInput {
    #[serde(default)]
    pub part: String,
}

/// The open order a duplicate is merged into.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct MergeInput {
    #[serde(default)]
    pub into: String,
}

/// The call-back's result.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub(crate) struct CallBackInput {
    /// `satisfied`, `basic` or `unsatisfied` (满意, 基本满意, 不满意).
    #[serde(default)]
    pub satisfaction: String,
    #[serde(default)]
    pub note: String,
}

fn satisfaction(s: &str) -> Result<Satisfaction, ApiError> {
    Satisfaction::parse(s).ok_or_else(|| {
        ApiError::invalid(
            "satisfaction",
            format!("`{s}` is not a result; use satisfied, basic or unsatisfied"),
        )
    })
}

/// Form fields → the JSON input type: integers for ids and days, lists for co-units.
fn form_input<T: DeserializeOwned>(fields: &[(String, String)]) -> Result<T, ApiError> {
    let mut map = Map::new();
    for (k, v) in fields {
        let v = v.trim();
        match k.as_str() {
            "_csrf" => {}
            "co_unit_ids" | "co_unit_ids[]" => {
                if v.is_empty() {
                    continue;
                }
                let n: i64 = v.parse().map_err(|_| {
                    ApiError::invalid("co_unit_ids", format!("`{v}` is not a unit id"))
                })?;
                let list = map
                    .entry("co_unit_ids")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = list {
                    a.push(n.into());
                }
            }
            "lead_unit_id" | "days" => {
                if v.is_empty() {
                    continue;
                }
                let n: i64 = v
                    .parse()
                    .map_err(|_| ApiError::invalid(k, format!("`{v}` is not a number")))?;
                map.insert(k.clone(), n.into());
            }
            _ => {
                map.insert(k.clone(), Value::String(v.to_string()));
            }
        }
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| ApiError::invalid("form", e))
}

/// Back to the order page, with `?done=` or `?error=`.
fn after_action(order_no: &str, action: &str, r: Result<WorkOrder, ApiError>) -> Response {
    let base = format!("/console/hotline/orders/{}", url_encode(order_no));
    match r {
        Ok(_) => Redirect::to(&format!("{base}?done={action}")).into_response(),
        Err(e) => Redirect::to(&format!("{base}?error={}", url_encode(&e.message))).into_response(),
    }
}

macro_rules! order_action {
    ($api:ident, $page:ident, $path:literal, $perm:ident, $input:ty, $doc:literal,
     |$h:ident, $a:ident, $no:ident, $i:ident| $call:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "hotline", request_body = $input,
            params(("order_no" = String, Path, description = "e.g. GD202611240001")),
            responses((status = 200, body = WorkOrder), (status = 403, description = "not your unit or role"),
                (status = 404, description = "no such order"),
                (status = 409, description = "the order's state does not allow it (`illegal_transition`) or a deadline passed"),
                (status = 422, description = "invalid input")))]
        pub(crate) async fn $api(
            State(st): State<HotlineState>,
            who: Authorized<perm::$perm>,
            Path($no): Path<String>,
            ApiJson($i): ApiJson<$input>,
        ) -> Result<Json<WorkOrder>, ApiError> {
            let $h: &Hotline = &st;
            let $a = Actor::user(&who.user);
            Ok(Json($call.await.map_err(ApiError::from)?))
        }

        #[doc = $doc]
        pub(crate) async fn $page(
            State(st): State<HotlineState>,
            who: Authorized<perm::$perm>,
            Path($no): Path<String>,
            Form(fields): Form<Vec<(String, String)>>,
        ) -> Response {
            let $h: &Hotline = &st;
            let $a = Actor::user(&who.user);
            let r = match form_input::<$input>(&fields) {
                Ok($i) => $call.await.map_err(ApiError::from),
                Err(e) => Err(e),
            };
            after_action(&$no, stringify!($api), r)
        }
    };
}

order_action!(
    dispatch,
    dispatch_form,
    "/api/v1/hotline/orders/{order_no}/dispatch",
    HotlineIntake,
    DispatchInput,
    "派单: dispatch to a lead unit (and co-units), confirming or correcting the category.",
    |h, a, no, i| h.dispatch(&a, &no, &i)
);
order_action!(
    redispatch,
    redispatch_form,
    "/api/v1/hotline/orders/{order_no}/redispatch",
    HotlineIntake,
    DispatchInput,
    "改派: re-dispatch a returned or unsigned order.",
    |h, a, no, i| h.redispatch(&a, &no, &i)
);
order_action!(
    answer,
    answer_form,
    "/api/v1/hotline/orders/{order_no}/answer",
    HotlineIntake,
    ReplyInput,
    "直接答复: the hotline answers on the spot (or gives the redirect text) and closes the order.",
    |h, a, no, i| h.answer_directly(&a, &no, &i.reply)
);
order_action!(
    merge,
    merge_form,
    "/api/v1/hotline/orders/{order_no}/merge",
    HotlineIntake,
    MergeInput,
    "并单: merge this duplicate into an open order.",
    |h, a, no, i| h.merge(&a, &no, &i.into)
);
order_action!(
    handle,
    handle_form,
    "/api/v1/hotline/orders/{order_no}/handle",
    HotlineHandle,
    NoteInput,
    "办理: record handling progress (lead unit).",
    |h, a, no, i| h.handle(&a, &no, &i.note)
);
order_action!(
    reply,
    reply_form,
    "/api/v1/hotline/orders/{order_no}/reply",
    HotlineHandle,
    ReplyInput,
    "答复办结: reply to the caller and close (lead unit).",
    |h, a, no, i| h.reply(&a, &no, &i.reply)
);
order_action!(
    return_order,
    return_form,
    "/api/v1/hotline/orders/{order_no}/return",
    HotlineHandle,
    ReasonInput,
    "退单: return a mis-dispatched order within the return deadline (lead unit).",
    |h, a, no, i| h.return_order(&a, &no, &i.reason)
);
order_action!(
    request_extension,
    extension_form,
    "/api/v1/hotline/orders/{order_no}/extension",
    HotlineHandle,
    ExtensionInput,
    "申请延期: ask for more working days (lead unit).",
    |h, a, no, i| h.request_extension(&a, &no, &i)
);
order_action!(
    co_reply,
    co_reply_form,
    "/api/v1/hotline/orders/{order_no}/co-reply",
    HotlineHandle,
    PartInput,
    "协办答复: a co-unit adds its part.",
    |h, a, no, i| h.co_reply(&a, &no, &i.part)
);
order_action!(
    approve_extension,
    approve_form,
    "/api/v1/hotline/orders/{order_no}/extension/approve",
    HotlineSupervise,
    NoteInput,
    "批准延期: approve the pending extension request.",
    |h, a, no, i| h.decide_extension(&a, &no, true, &i.note)
);
order_action!(
    refuse_extension,
    refuse_form,
    "/api/v1/hotline/orders/{order_no}/extension/refuse",
    HotlineSupervise,
    NoteInput,
    "不予延期: refuse the pending extension request.",
    |h, a, no, i| h.decide_extension(&a, &no, false, &i.note)
);
order_action!(
    supervise,
    supervise_form,
    "/api/v1/hotline/orders/{order_no}/supervise",
    HotlineSupervise,
    NoteInput,
    "督办: send a supervision notice to the lead unit.",
    |h, a, no, i| h.supervise(&a, &no, &i.note)
);
order_action!(
    call_back,
    call_back_form,
    "/api/v1/hotline/orders/{order_no}/call-back",
    HotlineIntake,
    CallBackInput,
    "回访: record the caller's satisfaction; 不满意 reopens the order.",
    |h, a, no, i| async {
        let s = satisfaction(&i.satisfaction)?;
        h.call_back(&a, &no, s, &i.note)
            .await
            .map_err(ApiError::from)
    }
);

/// 签收: the lead unit signs for the order (no body needed).
#[utoipa::path(post, path = "/api/v1/hotline/orders/{order_no}/sign", tag = "hotline",
    params(("order_no" = String, Path, description = "e.g. GD202611240001")),
    responses((status = 200, body = WorkOrder), (status = 403, description = "not your unit"),
        (status = 409, description = "the order's state does not allow it")))]
pub(crate) async fn sign(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineHandle>,
    Path(order_no): Path<String>,
) -> Result<Json<WorkOrder>, ApiError> {
    Ok(Json(st.sign(&Actor::user(&who.user), &order_no).await?))
}

/// 签收 from the order page.
pub(crate) async fn sign_form(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineHandle>,
    Path(order_no): Path<String>,
) -> Response {
    let r = st
        .sign(&Actor::user(&who.user), &order_no)
        .await
        .map_err(ApiError::from);
    after_action(&order_no, "sign", r)
}
