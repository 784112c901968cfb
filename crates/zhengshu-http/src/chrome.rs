//! The page chrome: language, navigation and the signed-in user, for `layout.html`.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use zhengshu_auth::Permission;

use crate::{read_cookie, Principal};

/// The language cookie (`zh` or `en`).
pub const LANG_COOKIE: &str = "zs_lang";

/// The page language: Chinese by default, English on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(read_cookie(&parts.headers, LANG_COOKIE)
            .and_then(|c| Lang::parse(&c))
            .unwrap_or_default())
    }
}

/// Which side of the platform a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The staff console (工作台).
    Console,
    /// The public portal (门户).
    Portal,
}

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// Console navigation: (href, 中文, English, permission needed to see it).
const CONSOLE_NAV: &[(&str, &str, &str, Permission)] = &[
    ("/console", "工作台", "Dashboard", Permission::ConsoleAccess),
    ("/console/units", "单位", "Units", Permission::UnitsRead),
    (
        "/console/catalog",
        "数据目录",
        "Catalog",
        Permission::CatalogRead,
    ),
    ("/console/lake", "数据湖", "Data lake", Permission::LakeRead),
    (
        "/console/lake/sql",
        "SQL 查询",
        "SQL",
        Permission::LakeQuery,
    ),
    (
        "/console/share",
        "共享交换",
        "Data sharing",
        Permission::ShareRead,
    ),
    (
        "/console/open",
        "数据开放",
        "Open data",
        Permission::OpenReview,
    ),
    (
        "/console/hotline",
        "12345 工单",
        "12345 orders",
        Permission::HotlineRead,
    ),
    ("/console/users", "用户", "Users", Permission::UsersRead),
    (
        "/console/roles",
        "角色权限",
        "Roles",
        Permission::ConsoleAccess,
    ),
    (
        "/console/calendar",
        "工作日历",
        "Calendar",
        Permission::ConsoleAccess,
    ),
    (
        "/console/tokens",
        "API 令牌",
        "API tokens",
        Permission::ConsoleAccess,
    ),
];

/// Portal navigation: (href, 中文, English).
const PORTAL_NAV: &[(&str, &str, &str)] = &[
    ("/", "首页", "Home"),
    ("/open", "开放数据", "Open data"),
    ("/catalog", "数据目录", "Data catalog"),
    ("/console", "工作台", "Staff console"),
];

/// What `layout.html` needs on every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub area: Area,
    pub path: String,
    pub user_name: Option<String>,
    pub unit_name: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

fn is_active(href: &str, path: &str) -> bool {
    path == href || (href != "/" && href != "/console" && path.starts_with(href))
}

impl Chrome {
    /// Chrome for a console page of a signed-in user: navigation filtered by permission.
    pub fn console(p: &Principal, lang: Lang, path: &str) -> Chrome {
        let nav = CONSOLE_NAV
            .iter()
            .filter(|(_, _, _, perm)| p.can(*perm))
            .map(|(href, zh, en, _)| NavItem {
                href,
                label: if lang == Lang::En { en } else { zh },
                active: is_active(href, path),
            })
            .collect();
        Chrome {
            lang,
            area: Area::Console,
            path: path.to_string(),
            user_name: Some(p.user.display_name.clone()),
            unit_name: p.user.unit_name.clone(),
            csrf: p.csrf().to_string(),
            nav,
        }
    }

    /// Chrome for a public page (and the login page).
    pub fn portal(lang: Lang, path: &str, principal: Option<&Principal>) -> Chrome {
        let nav = PORTAL_NAV
            .iter()
            .map(|(href, zh, en)| NavItem {
                href,
                label: if lang == Lang::En { en } else { zh },
                active: is_active(href, path),
            })
            .collect();
        Chrome {
            lang,
            area: Area::Portal,
            path: path.to_string(),
            user_name: principal.map(|p| p.user.display_name.clone()),
            unit_name: None,
            csrf: principal.map(|p| p.csrf().to_string()).unwrap_or_default(),
            nav,
        }
    }

    /// Picks the text for the page language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn is_console(&self) -> bool {
        self.area == Area::Console
    }
}

/// Renders a template to an HTML response (500 with a logged reason on failure).
pub fn render<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template render failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "page could not be rendered",
            )
                .into_response()
        }
    }
}
