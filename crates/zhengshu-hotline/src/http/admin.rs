//! Console pages for supervisors and admins: statistics, deadline and keyword rules,
//! Open311 keys.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use zhengshu_auth::Permission;
use zhengshu_http::{perm, render, ApiError, Authorized, Chrome, Lang};

use super::url_encode;
use crate::classify::{self, Rule};
use crate::deadline::{self, RuleRow, Span};
use crate::keys::{self, Open311Key};
use crate::model::{Category, CATEGORIES};
use crate::stats::{self, Stats, StatsQuery};
use crate::HotlineState;

#[derive(Template)]
#[template(path = "hotline/stats.html")]
struct StatsPage {
    chrome: Chrome,
    s: Stats,
    /// The chart data as JSON for the page script.
    charts: String,
    csv: String,
}

impl StatsPage {
    fn pct(&self, x: &f64) -> String {
        self.rate(*x)
    }
    fn rate(&self, x: f64) -> String {
        format!("{:.1}%", x * 100.0)
    }
}

/// 统计分析 with ECharts charts and the CSV export link.
pub(crate) async fn stats_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineSupervise>,
    lang: Lang,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    let s = stats::compute(st.db(), &q, st.now()).await?;
    let pairs = |b: &[stats::Bucket], n: usize| -> serde_json::Value {
        b.iter()
            .take(n)
            .map(|x| serde_json::json!({"name": x.label, "value": x.received}))
            .collect::<Vec<_>>()
            .into()
    };
    let charts = serde_json::json!({
        "by_type": pairs(&s.by_type, 10),
        "by_category": pairs(&s.by_category, 30),
        "by_street": pairs(&s.by_street, 20),
        "by_unit": pairs(&s.by_unit, 15),
        "trend": {
            "periods": s.trend.iter().map(|p| p.period.clone()).collect::<Vec<_>>(),
            "received": s.trend.iter().map(|p| p.received).collect::<Vec<_>>(),
            "closed": s.trend.iter().map(|p| p.closed).collect::<Vec<_>>(),
        },
    })
    .to_string()
    // Safe inside <script>: no closing tag can appear.
    .replace("</", "<\\/");
    let csv = format!("/api/v1/hotline/stats.csv?from={}&to={}", s.from, s.to);
    Ok(render(&StatsPage {
        chrome: Chrome::console(&who, lang, "/console/hotline/stats"),
        s,
        charts,
        csv,
    }))
}

#[derive(Template)]
#[template(path = "hotline/rules.html")]
struct RulesPage {
    chrome: Chrome,
    rows: Vec<RuleRow>,
    keywords: Vec<Rule>,
    categories: &'static [Category],
    can_edit: bool,
    error: Option<String>,
}

impl RulesPage {
    fn is_hours(&self, r: &RuleRow) -> bool {
        r.span == Span::Hours
    }
    fn is_handle(&self, r: &RuleRow) -> bool {
        r.key.starts_with("handle.")
    }
    fn cat_name(&self, code: &str) -> String {
        crate::model::category(code)
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| code.to_string())
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ErrorFlash {
    pub error: Option<String>,
}

/// 时限规则 and the dispatch catalog's keyword rules.
pub(crate) async fn rules_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineRead>,
    lang: Lang,
    Query(flash): Query<ErrorFlash>,
) -> Result<Response, ApiError> {
    let page = RulesPage {
        chrome: Chrome::console(&who, lang, "/console/hotline/rules"),
        rows: deadline::list_rows(st.db()).await?,
        keywords: classify::load_rules(st.db()).await?,
        categories: CATEGORIES,
        can_edit: who.can(Permission::HotlineSupervise),
        error: flash.error,
    };
    Ok(render(&page))
}

#[derive(Debug, Deserialize)]
pub(crate) struct RuleForm {
    pub key: String,
    pub amount: String,
    pub unit: String,
}

fn back_to_rules(r: Result<(), ApiError>) -> Response {
    match r {
        Ok(()) => Redirect::to("/console/hotline/rules").into_response(),
        Err(e) => Redirect::to(&format!(
            "/console/hotline/rules?error={}",
            url_encode(&e.message)
        ))
        .into_response(),
    }
}

/// Changes one deadline rule from the rules page.
pub(crate) async fn update_rule_form(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineSupervise>,
    Form(f): Form<RuleForm>,
) -> Response {
    let r = async {
        let amount: i64 =
            f.amount.trim().parse().map_err(|_| {
                ApiError::invalid("amount", format!("`{}` is not a number", f.amount))
            })?;
        let span = Span::parse(&f.unit)
            .ok_or_else(|| ApiError::invalid("unit", format!("`{}` is not a unit", f.unit)))?;
        deadline::update_rule(st.db(), &f.key, amount, span, who.user.id, st.now()).await?;
        st.clear_config_cache();
        Ok(())
    }
    .await;
    back_to_rules(r)
}

#[derive(Debug, Deserialize)]
pub(crate) struct KeywordForm {
    pub keyword: String,
    pub category_code: String,
}

/// Adds a keyword rule to the dispatch catalog.
pub(crate) async fn add_keyword_form(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineSupervise>,
    Form(f): Form<KeywordForm>,
) -> Response {
    let r = async {
        classify::add_rule(
            st.db(),
            &f.keyword,
            &f.category_code,
            None,
            &zhengshu_db::ts(st.now()),
        )
        .await?;
        st.retrain().await?;
        Ok(())
    }
    .await;
    back_to_rules(r)
}

#[derive(Template)]
#[template(path = "hotline/keys.html")]
struct KeysPage {
    chrome: Chrome,
    keys: Vec<Open311Key>,
    issued: Option<String>,
    error: Option<String>,
}

async fn keys_page_with(
    st: &HotlineState,
    chrome: Chrome,
    issued: Option<String>,
    error: Option<String>,
) -> Result<KeysPage, ApiError> {
    Ok(KeysPage {
        chrome,
        keys: keys::list(st.db()).await?,
        issued,
        error,
    })
}

/// Open311 API keys.
pub(crate) async fn keys_page(
    State(st): State<HotlineState>,
    who: Authorized<perm::Open311Keys>,
    lang: Lang,
) -> Result<Response, ApiError> {
    Ok(render(
        &keys_page_with(
            &st,
            Chrome::console(&who, lang, "/console/hotline/keys"),
            None,
            None,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct KeyForm {
    #[serde(default)]
    pub name: String,
}

/// Issues a key and shows it once.
pub(crate) async fn create_key_form(
    State(st): State<HotlineState>,
    who: Authorized<perm::Open311Keys>,
    lang: Lang,
    Form(f): Form<KeyForm>,
) -> Result<Response, ApiError> {
    let chrome = Chrome::console(&who, lang, "/console/hotline/keys");
    match keys::issue(st.db(), st.now(), &f.name, Some(who.user.id)).await {
        Ok((_, secret)) => Ok(render(
            &keys_page_with(&st, chrome, Some(secret), None).await?,
        )),
        Err(e) => {
            let page = keys_page_with(&st, chrome, None, Some(ApiError::from(e).message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// Revokes a key from the keys page.
pub(crate) async fn revoke_key_form(
    State(st): State<HotlineState>,
    _who: Authorized<perm::Open311Keys>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    keys::revoke(st.db(), id, st.now()).await?;
    Ok(Redirect::to("/console/hotline/keys").into_response())
}
