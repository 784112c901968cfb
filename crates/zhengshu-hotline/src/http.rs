//! The HTTP surface: JSON API under `/api/v1/hotline`, console pages under
//! `/console/hotline`, and Open311 GeoReport v2 under `/open311/v2` (outside the
//! CSRF-guarded prefixes: programs authenticate with `api_key`).

mod actions;
mod admin;
mod api;
mod open311;
mod pages;

use axum::extract::FromRef;
use axum::routing::{get, post, put};
use axum::Router;
use zhengshu_auth::Permission as P;
use zhengshu_http::{AuthState, RouteSpec};

use crate::HotlineState;

/// Percent-encodes a query value or path segment.
pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every hotline route: `/api/v1/hotline/…`, `/console/hotline…`, `/open311/v2/…`.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    HotlineState: FromRef<S>,
{
    let o = "/api/v1/hotline/orders/{order_no}";
    let c = "/console/hotline/orders/{order_no}";
    Router::new()
        // JSON API
        .route("/api/v1/hotline/categories", get(api::categories))
        .route(
            "/api/v1/hotline/orders",
            get(api::list_orders).post(api::create_order),
        )
        .route(o, get(api::get_order))
        .route(&format!("{o}/dispatch"), post(actions::dispatch))
        .route(&format!("{o}/redispatch"), post(actions::redispatch))
        .route(&format!("{o}/answer"), post(actions::answer))
        .route(&format!("{o}/merge"), post(actions::merge))
        .route(&format!("{o}/call-back"), post(actions::call_back))
        .route(&format!("{o}/sign"), post(actions::sign))
        .route(&format!("{o}/handle"), post(actions::handle))
        .route(&format!("{o}/reply"), post(actions::reply))
        .route(&format!("{o}/return"), post(actions::return_order))
        .route(&format!("{o}/extension"), post(actions::request_extension))
        .route(&format!("{o}/co-reply"), post(actions::co_reply))
        .route(
            &format!("{o}/extension/approve"),
            post(actions::approve_extension),
        )
        .route(
            &format!("{o}/extension/refuse"),
            post(actions::refuse_extension),
        )
        .route(&format!("{o}/supervise"), post(actions::supervise))
        .route("/api/v1/hotline/suggest", post(api::suggest))
        .route("/api/v1/hotline/stats", get(api::stats_json))
        .route("/api/v1/hotline/stats.csv", get(api::stats_csv))
        .route("/api/v1/hotline/deadline-rules", get(api::list_rules))
        .route(
            "/api/v1/hotline/deadline-rules/{key}",
            put(api::update_rule),
        )
        .route(
            "/api/v1/hotline/open311-keys",
            get(api::list_keys).post(api::create_key),
        )
        .route(
            "/api/v1/hotline/open311-keys/{id}/revoke",
            post(api::revoke_key),
        )
        .route("/api/v1/hotline/classifier", get(api::classifier_report))
        // Console
        .route("/console/hotline", get(pages::list_page))
        .route(
            "/console/hotline/new",
            get(pages::new_page).post(pages::create_from_form),
        )
        .route("/console/hotline/suggest", post(pages::suggest_fragment))
        .route(c, get(pages::order_page))
        .route(&format!("{c}/dispatch"), post(actions::dispatch_form))
        .route(&format!("{c}/redispatch"), post(actions::redispatch_form))
        .route(&format!("{c}/answer"), post(actions::answer_form))
        .route(&format!("{c}/merge"), post(actions::merge_form))
        .route(&format!("{c}/call-back"), post(actions::call_back_form))
        .route(&format!("{c}/sign"), post(actions::sign_form))
        .route(&format!("{c}/handle"), post(actions::handle_form))
        .route(&format!("{c}/reply"), post(actions::reply_form))
        .route(&format!("{c}/return"), post(actions::return_form))
        .route(&format!("{c}/extension"), post(actions::extension_form))
        .route(&format!("{c}/co-reply"), post(actions::co_reply_form))
        .route(
            &format!("{c}/extension/approve"),
            post(actions::approve_form),
        )
        .route(&format!("{c}/extension/refuse"), post(actions::refuse_form))
        .route(&format!("{c}/supervise"), post(actions::supervise_form))
        .route("/console/hotline/stats", get(admin::stats_page))
        .route(
            "/console/hotline/rules",
            get(admin::rules_page).post(admin::update_rule_form),
        )
        .route(
            "/console/hotline/rules/keywords",
            post(admin::add_keyword_form),
        )
        .route(
            "/console/hotline/keys",
            get(admin::keys_page).post(admin::create_key_form),
        )
        .route(
            "/console/hotline/keys/{id}/revoke",
            post(admin::revoke_key_form),
        )
        // Open311 GeoReport v2 (public reads, api_key for POST)
        .route(
            "/open311/v2/{file}",
            get(open311::get_root).post(open311::post_root),
        )
        .route("/open311/v2/services/{file}", get(open311::get_service))
        .route("/open311/v2/requests/{file}", get(open311::get_request))
        .route("/open311/v2/tokens/{file}", get(open311::get_token))
}

/// The JSON API of the hotline (merged into `/api/openapi.json`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api::categories, api::list_orders, api::create_order, api::get_order, api::suggest, api::stats_json,
        api::stats_csv, api::list_rules, api::update_rule, api::list_keys, api::create_key, api::revoke_key,
        api::classifier_report,
        actions::dispatch, actions::redispatch, actions::answer, actions::merge, actions::call_back, actions::sign,
        actions::handle, actions::reply, actions::return_order, actions::request_extension, actions::co_reply,
        actions::approve_extension, actions::refuse_extension, actions::supervise,
    ),
    components(schemas(
        crate::model::NewOrder, crate::model::WorkOrder, crate::model::Category, crate::model::OrderState,
        crate::model::AppealType, crate::model::Urgency, crate::model::Channel, crate::model::Satisfaction,
        crate::service::DispatchInput, crate::service::ExtensionInput, crate::service::OrderList,
        crate::service::OrderRow, crate::service::OrderDetail, crate::suggest::SuggestInput,
        crate::suggest::Suggestion, crate::suggest::Duplicate, crate::suggest::Redirect, crate::stats::Stats,
        crate::stats::Bucket, crate::stats::TrendPoint, crate::deadline::RuleRow, crate::deadline::Span,
        crate::deadline::Warning, crate::keys::Open311Key, crate::Report,
        actions::NoteInput, actions::ReplyInput, actions::ReasonInput, actions::PartInput, actions::MergeInput,
        actions::CallBackInput, api::RuleInput, api::KeyInput, api::IssuedKey,
    )),
    tags((name = "hotline", description = "12345 hotline work orders"))
)]
pub struct ApiDoc;

/// Every route with an example path and the permission it needs (`None`: public).
pub const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/api/v1/hotline/categories", Some(P::HotlineRead)),
    RouteSpec::new("GET", "/api/v1/hotline/orders", Some(P::HotlineRead)),
    RouteSpec::new("POST", "/api/v1/hotline/orders", Some(P::HotlineIntake)),
    RouteSpec::new(
        "GET",
        "/api/v1/hotline/orders/GD202611240001",
        Some(P::HotlineRead),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/dispatch",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/redispatch",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/answer",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/merge",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/call-back",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/sign",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/handle",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/reply",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/return",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/extension",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/co-reply",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/extension/approve",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/extension/refuse",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/orders/GD202611240001/supervise",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new("POST", "/api/v1/hotline/suggest", Some(P::HotlineIntake)),
    RouteSpec::new("GET", "/api/v1/hotline/stats", Some(P::HotlineSupervise)),
    RouteSpec::new(
        "GET",
        "/api/v1/hotline/stats.csv",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new(
        "GET",
        "/api/v1/hotline/deadline-rules",
        Some(P::HotlineRead),
    ),
    RouteSpec::new(
        "PUT",
        "/api/v1/hotline/deadline-rules/sign",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new("GET", "/api/v1/hotline/open311-keys", Some(P::Open311Keys)),
    RouteSpec::new("POST", "/api/v1/hotline/open311-keys", Some(P::Open311Keys)),
    RouteSpec::new(
        "POST",
        "/api/v1/hotline/open311-keys/1/revoke",
        Some(P::Open311Keys),
    ),
    RouteSpec::new(
        "GET",
        "/api/v1/hotline/classifier",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new("GET", "/console/hotline", Some(P::HotlineRead)),
    RouteSpec::new("GET", "/console/hotline/new", Some(P::HotlineIntake)),
    RouteSpec::new("POST", "/console/hotline/new", Some(P::HotlineIntake)),
    RouteSpec::new("POST", "/console/hotline/suggest", Some(P::HotlineIntake)),
    RouteSpec::new(
        "GET",
        "/console/hotline/orders/GD202611240001",
        Some(P::HotlineRead),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/dispatch",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/redispatch",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/answer",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/merge",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/call-back",
        Some(P::HotlineIntake),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/sign",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/handle",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/reply",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/return",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/extension",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/co-reply",
        Some(P::HotlineHandle),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/extension/approve",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/extension/refuse",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new(
        "POST",
        "/console/hotline/orders/GD202611240001/supervise",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new("GET", "/console/hotline/stats", Some(P::HotlineSupervise)),
    RouteSpec::new("GET", "/console/hotline/rules", Some(P::HotlineRead)),
    RouteSpec::new("POST", "/console/hotline/rules", Some(P::HotlineSupervise)),
    RouteSpec::new(
        "POST",
        "/console/hotline/rules/keywords",
        Some(P::HotlineSupervise),
    ),
    RouteSpec::new("GET", "/console/hotline/keys", Some(P::Open311Keys)),
    RouteSpec::new("POST", "/console/hotline/keys", Some(P::Open311Keys)),
    RouteSpec::new(
        "POST",
        "/console/hotline/keys/1/revoke",
        Some(P::Open311Keys),
    ),
    RouteSpec::new("GET", "/open311/v2/discovery.json", None),
    RouteSpec::new("GET", "/open311/v2/services.json", None),
    RouteSpec::new("GET", "/open311/v2/services/CS01.xml", None),
    RouteSpec::new("GET", "/open311/v2/requests.json", None),
    RouteSpec::new("POST", "/open311/v2/requests.json", None),
    RouteSpec::new("GET", "/open311/v2/requests/GD202611240001.json", None),
    RouteSpec::new("GET", "/open311/v2/tokens/abc.json", None),
];
