use askama::Template;
use axum::extract::State;
use axum::response::Response;
use zhengshu_http::{perm, render, ApiError, Authorized, Chrome, Lang};

use crate::figures::{self, Figures};
use crate::{fmt_int, WebState};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    f: Figures,
    level_json: String,
}

impl DashboardPage {
    fn n(&self, v: &i64) -> String {
        fmt_int(*v)
    }
}

pub(crate) async fn page(
    a: Authorized<perm::ConsoleAccess>,
    lang: Lang,
    State(s): State<WebState>,
) -> Result<Response, ApiError> {
    let f = figures::load(&s).await?;
    let level_json = serde_json::to_string(
        &f.units_by_level
            .iter()
            .map(|l| serde_json::json!({"name": if lang == Lang::En { l.level.label_en() } else { l.level.label_zh() }, "value": l.count}))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".into());
    Ok(render(&DashboardPage {
        chrome: Chrome::console(&a, lang, "/console"),
        f,
        level_json,
    }))
}
