//! The open-data portal's public pages and streamed downloads through the real app
//! (issue 6): home, search with facets, dataset, unit and theme pages in Chinese and
//! English; CSV (with BOM), JSON, Parquet and XLSX downloads compared with the data
//! loaded; bad input; access to conditionally opened data; usage counters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;
use zhengshu_auth::Role;
use zhengshu_catalog::{Actor, NewDataItem, NewResource, Resource};
use zhengshu_core::PiiKind;
use zhengshu_open::model::{AppDecision, NewApplication};
use zhengshu_open::service::{self, Reviewer};
use zhengshu_web::testing::{TestApp, TestResponse};

const MARKET: &str = "龙岗区市场监督管理局";
const EDUCATION: &str = "龙岗区教育局";
const FIRMS: &str = "街道企业名录";
const SCHOOLS: &str = "学校名录";
const BUSES: &str = "公交线路信息";
const FIRM_COLUMNS: [&str; 6] = [
    "credit_code",
    "name",
    "street",
    "capital",
    "founded",
    "phone",
];

/// One row of the firms table as loaded.
#[derive(Debug, Clone, PartialEq)]
struct Firm {
    credit_code: String,
    name: String,
    street: String,
    capital: f64,
    founded: String,
    phone: String,
}

fn firms() -> Vec<Firm> {
    (1..=12)
        .map(|i| Firm {
            credit_code: format!("LG{i:04}"),
            name: format!("龙岗测试企业{i}号"),
            street: match i {
                1..=5 => "坂田街道",
                6..=9 => "布吉街道",
                _ => "平湖街道",
            }
            .to_string(),
            capital: f64::from(i) * 10.0 + 0.5,
            founded: format!("2020-01-{i:02}"),
            phone: format!("1380013{i:04}"),
        })
        .collect()
}

fn masked_phone(raw: &str) -> String {
    zhengshu_core::mask::mask(PiiKind::Mobile, raw)
}

struct World {
    app: TestApp,
    /// The platform admin's user id (decides applications).
    admin_id: i64,
    market: i64,
    education: i64,
    firms: Resource,
    schools: Resource,
    buses: Resource,
}

fn item(name: &str, label: &str, t: &str, pii: &str) -> NewDataItem {
    NewDataItem {
        name: name.into(),
        label: label.into(),
        data_type: t.into(),
        description: format!("{label}（测试说明）"),
        pii_kind: pii.into(),
        ..NewDataItem::default()
    }
}

#[expect(clippy::too_many_arguments, reason = "a test fixture's knobs")]
fn resource(
    unit: i64,
    name: &str,
    summary: &str,
    theme: &str,
    open_type: &str,
    cycle: &str,
    keywords: &[&str],
    items: Vec<NewDataItem>,
) -> NewResource {
    NewResource {
        name: name.into(),
        summary: summary.into(),
        classification: "201009".into(),
        theme: theme.into(),
        provider_unit_id: Some(unit),
        format: "电子表格".into(),
        sharing_type: "无条件共享".into(),
        open_type: open_type.into(),
        open_conditions: if open_type == "有条件开放" {
            "仅限教育研究用途".into()
        } else {
            String::new()
        },
        update_cycle: cycle.into(),
        security_grade: "一般".into(),
        publish_date: Some("2026-02-01".into()),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        items,
        ..NewResource::default()
    }
}

/// Connects `r` to a lake table and loads `csv` through the real ingest.
async fn load(app: &TestApp, r: &Resource, table: &str, key: &str, csv: &str) {
    zhengshu_lake::connect(&app.state.lake, &Actor::system(), r.id, table, key)
        .await
        .unwrap();
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(csv.as_bytes()).unwrap();
    let source = zhengshu_lake::read::open_file(
        f.path(),
        Some(zhengshu_lake::read::Format::Csv),
        zhengshu_lake::read::Limits::default(),
    )
    .unwrap();
    let report = zhengshu_lake::ingest(
        &app.state.lake,
        table,
        source,
        zhengshu_lake::Options {
            batch_id: Some(format!("{table}-1")),
            source: "open_pages test".into(),
            ..zhengshu_lake::Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(report.status, "succeeded", "{report:?}");
    assert_eq!(report.rows_quarantined, 0, "{report:?}");
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (admin_user, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let mut units = Vec::new();
    for name in [MARKET, EDUCATION] {
        let r = app
            .call(
                "POST",
                "/api/v1/units",
                Some(&admin),
                Some(json!({"name": name, "level": "district"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        units.push(r.json()["id"].as_i64().unwrap());
    }
    let (market, education) = (units[0], units[1]);
    let cat = &app.state.catalog;
    let firms_r = zhengshu_catalog::create_demo_resource(
        cat,
        &resource(
            market,
            FIRMS,
            "辖区内登记的企业及其所属街道、注册资本和成立日期。",
            "市场监管",
            "无条件开放",
            "每日",
            &["企业名录", "市场主体"],
            vec![
                item("credit_code", "统一社会信用代码", "字符型", "无"),
                item("name", "企业名称", "字符型", "无"),
                item("street", "所属街道", "字符型", "无"),
                item("capital", "注册资本（万元）", "数值型", "无"),
                item("founded", "成立日期", "日期型", "无"),
                item("phone", "联系电话", "字符型", "手机号"),
            ],
        ),
    )
    .await
    .unwrap();
    let schools_r = zhengshu_catalog::create_demo_resource(
        cat,
        &resource(
            education,
            SCHOOLS,
            "全区中小学的名称、所在街道和在校学生数。",
            "教育文化",
            "有条件开放",
            "每年",
            &["学校"],
            vec![
                item("school_code", "学校代码", "字符型", "无"),
                item("school", "学校名称", "字符型", "无"),
                item("students", "在校学生数", "整数型", "无"),
            ],
        ),
    )
    .await
    .unwrap();
    let buses_r = zhengshu_catalog::create_demo_resource(
        cat,
        &resource(
            market,
            BUSES,
            "公交线路编号与名称。",
            "交通出行",
            "无条件开放",
            "每月",
            &["公交"],
            vec![
                item("line_no", "线路编号", "字符型", "无"),
                item("line_name", "线路名称", "字符型", "无"),
            ],
        ),
    )
    .await
    .unwrap();
    let mut csv = FIRM_COLUMNS.join(",");
    csv.push('\n');
    for f in firms() {
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            f.credit_code, f.name, f.street, f.capital, f.founded, f.phone
        ));
    }
    load(&app, &firms_r, "open_firms", "credit_code", &csv).await;
    let mut csv = String::from("school_code,school,students\n");
    for i in 1..=6 {
        csv.push_str(&format!("SC{i:03},龙岗第{i}小学,{}\n", 1000 + i));
    }
    load(&app, &schools_r, "open_schools", "school_code", &csv).await;
    World {
        app,
        admin_id: admin_user.id,
        market,
        education,
        firms: firms_r,
        schools: schools_r,
        buses: buses_r,
    }
}

impl World {
    /// A GET with optional extra headers, returning the raw body (binary formats).
    async fn raw(&self, path: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Bytes) {
        let mut b = Request::get(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let resp = zhengshu_web::app(self.app.state.clone())
            .oneshot(b.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, headers, body)
    }

    async fn get(&self, path: &str) -> TestResponse {
        self.app.call("GET", path, None, None).await
    }

    async fn get_en(&self, path: &str) -> TestResponse {
        self.app
            .send(
                Request::get(path)
                    .header(header::COOKIE, "zs_lang=en")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    fn download_path(&self, r: &Resource, format: &str) -> String {
        format!("/open/datasets/{}/download/{format}", r.code)
    }
}

fn pct(s: &str) -> String {
    zhengshu_open::http::pages::pct(s)
}

/// The text of the element carrying `data-testid="{id}"`.
fn testid(html: &str, id: &str) -> String {
    let marker = format!("data-testid=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in page:\n{html}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap() + start;
    rest[start..end].trim().to_string()
}

/// HTML text as the browser shows it (askama escapes `&`, quotes and angle brackets).
fn unescape(s: &str) -> String {
    [
        ("&#34;", "\""),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#60;", "<"),
        ("&lt;", "<"),
        ("&#62;", ">"),
        ("&gt;", ">"),
        ("&#38;", "&"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(s.to_string(), |s, (from, to)| s.replace(from, to))
}

/// A search page's facet: label → count.
fn facet(html: &str, key: &str) -> BTreeMap<String, u64> {
    let marker = format!("data-facet=\"{key}\"");
    let Some(at) = html.find(&marker) else {
        return BTreeMap::new();
    };
    let section = &html[at..];
    let section = &section[..section.find("</section>").unwrap()];
    section
        .split("<li>")
        .skip(1)
        .map(|li| {
            let label_at = li.find(&format!("data-testid=\"facet-{key}\">")).unwrap();
            let label = &li[label_at..];
            let label = &label[label.find('>').unwrap() + 1..label.find("</a>").unwrap()];
            let count = testid(li, "facet-count").parse().unwrap();
            (label.to_string(), count)
        })
        .collect()
}

fn result_names(html: &str) -> Vec<String> {
    html.split("data-testid=\"open-result\"")
        .skip(1)
        .map(|card| {
            let h3 = &card[card.find("<h3><a href=").unwrap()..];
            let name = &h3[h3.find('>').unwrap() + 1..];
            let name = &name[name.find('>').unwrap() + 1..];
            name[..name.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn home_page_shows_the_figures_rankings_and_themes() {
    let w = world().await;
    // Some use first, so the figures are not all zero.
    for _ in 0..2 {
        let r = w.get(&format!("/open/datasets/{}", w.firms.code)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = w.get(&w.download_path(&w.firms, "csv")).await;
    assert_eq!(r.status, StatusCode::OK);

    let r = w.get("/open").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let html = &r.text;
    assert_eq!(testid(html, "open-datasets"), "3");
    assert_eq!(testid(html, "open-units"), "2");
    assert_eq!(testid(html, "open-with-data"), "2");
    assert_eq!(testid(html, "open-views"), "2");
    assert_eq!(testid(html, "open-downloads"), "1");
    assert_eq!(testid(html, "open-api-calls"), "0");
    // Units ranked by datasets opened: the market bureau (2) before education (1).
    let ranking = &html[html.find("data-testid=\"open-unit-ranking\"").unwrap()..];
    let (m, e) = (
        ranking.find(MARKET).unwrap(),
        ranking.find(EDUCATION).unwrap(),
    );
    assert!(m < e, "market bureau ranks first");
    assert!(ranking.contains(&format!("href=\"/open/units/{}\"", w.market)));
    assert!(ranking.contains(&format!("href=\"/open/units/{}\"", w.education)));
    // Themes link to their pages; the newest datasets and the most used are listed.
    assert!(html.contains(&format!("href=\"/open/themes/{}\"", pct("市场监管"))));
    assert!(html.contains(&format!("href=\"/open/themes/{}\"", pct("教育文化"))));
    for name in [FIRMS, SCHOOLS, BUSES] {
        assert!(html.contains(name), "{name} listed");
    }
    assert!(html[html.find("data-testid=\"open-popular\"").unwrap()..].contains(FIRMS));
    // The chart data: 30 days, today's counts last.
    let chart = html
        .split("<script id=\"chart-data\" type=\"application/json\">")
        .nth(1)
        .unwrap();
    let chart: Value = serde_json::from_str(&chart[..chart.find("</script>").unwrap()]).unwrap();
    assert_eq!(chart["days"].as_array().unwrap().len(), 30);
    assert_eq!(chart["views"][29], 2);
    assert_eq!(chart["downloads"][29], 1);
    assert_eq!(chart["unit_datasets"], json!([2, 1]));
    assert!(html.contains("/static/vendor/echarts.min.js"));
    assert!(html.contains("@media (max-width: 640px)"));
    assert!(html.contains("action=\"/open/datasets\""), "search box");
}

#[tokio::test]
async fn english_pages_use_english_labels() {
    let w = world().await;
    let r = w.get_en("/open").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Open datasets"));
    assert!(r.text.contains("Units opening data"));
    assert!(!r.text.contains("开放数据集"));
    let r = w.get_en(&format!("/open/datasets/{}", w.firms.code)).await;
    assert!(r.text.contains("Data items"));
    assert!(r.text.contains("Preview (first 10 rows)"));
    assert!(r.text.contains("Update cycle"));
    assert!(r.text.contains("Daily"), "the vocabulary in English");
    assert!(!r.text.contains("数据项"));
    let r = w.get_en("/open/datasets").await;
    assert!(r.text.contains("Provider"), "facet label in English");
    assert!(r.text.contains(">Open</a>"), "open type value in English");
}

#[tokio::test]
async fn search_finds_chinese_text_and_counts_facets() {
    let w = world().await;
    let r = w.get(&format!("/open/datasets?q={}", pct("企业"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(result_names(&r.text), vec![FIRMS.to_string()]);
    assert_eq!(testid(&r.text, "open-total"), "共 1 个数据集");
    assert!(r.text.contains("data-testid=\"badge-has-data\""));

    let r = w.get("/open/datasets").await;
    let mut names = result_names(&r.text);
    names.sort();
    let mut all = vec![FIRMS.to_string(), SCHOOLS.to_string(), BUSES.to_string()];
    all.sort();
    assert_eq!(names, all);
    assert_eq!(
        facet(&r.text, "unit"),
        BTreeMap::from([(MARKET.to_string(), 2), (EDUCATION.to_string(), 1)])
    );
    assert_eq!(
        facet(&r.text, "open_type"),
        BTreeMap::from([("无条件开放".to_string(), 2), ("有条件开放".to_string(), 1)])
    );
    assert_eq!(
        facet(&r.text, "update_cycle"),
        BTreeMap::from([
            ("每日".to_string(), 1),
            ("每年".to_string(), 1),
            ("每月".to_string(), 1)
        ])
    );
    assert_eq!(
        facet(&r.text, "format"),
        BTreeMap::from([("电子表格".to_string(), 3)])
    );
    assert_eq!(facet(&r.text, "theme").len(), 3);
    // A facet link adds the filter; on the filtered page the active value removes it.
    let link = format!("/open/datasets?unit={}", w.market);
    assert!(r.text.contains(&format!("href=\"{link}\"")), "unit link");
    let r = w.get(&link).await;
    let mut names = result_names(&r.text);
    names.sort();
    let mut market = vec![FIRMS.to_string(), BUSES.to_string()];
    market.sort();
    assert_eq!(names, market);
    assert!(
        r.text.contains(
            "href=\"/open/datasets\" class=\"active\" aria-current=\"true\" data-testid=\"facet-unit\""
        ),
        "the active unit removes the filter"
    );
    // Two filters at once, by code or by Chinese label.
    let r = w
        .get(&format!(
            "/open/datasets?unit={}&open_type={}",
            w.market,
            pct("无条件开放")
        ))
        .await;
    assert_eq!(result_names(&r.text).len(), 2);
    let r = w.get("/open/datasets?open_type=conditional").await;
    assert_eq!(result_names(&r.text), vec![SCHOOLS.to_string()]);
    assert!(r.text.contains("data-testid=\"badge-conditional\""));
    let r = w.get("/open/datasets?update_cycle=monthly&sort=name").await;
    assert_eq!(result_names(&r.text), vec![BUSES.to_string()]);
}

#[tokio::test]
async fn search_refuses_bad_filters_and_clamps_pages() {
    let w = world().await;
    for bad in [
        "unit=abc",
        "format=pdf",
        "open_type=secret",
        "update_cycle=hourly",
    ] {
        let r = w.get(&format!("/open/datasets?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        assert!(r.text.contains("data-testid=\"open-error\""), "{bad}");
    }
    for page in ["0", "-3", "abc", "99999999999999999999", "4000"] {
        let r = w.get(&format!("/open/datasets?page={page}")).await;
        assert_eq!(r.status, StatusCode::OK, "page={page}: {}", r.text);
        assert_eq!(result_names(&r.text).len(), 3, "page={page}");
    }
    let r = w.get("/open/datasets?sort=nonsense&q=").await;
    assert_eq!(r.status, StatusCode::OK);
    // A unit that opens nothing: no results, not an error.
    let r = w.get("/open/datasets?unit=987654").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("data-testid=\"open-empty\""));
}

#[tokio::test]
async fn dataset_page_shows_metadata_items_preview_and_chart() {
    let w = world().await;
    let r = w.get(&format!("/open/datasets/{}", w.firms.code)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let html = &r.text;
    assert_eq!(testid(html, "dataset-name"), FIRMS);
    assert_eq!(testid(html, "dataset-rows"), "12");
    assert!(!testid(html, "dataset-quality").is_empty());
    let meta = &html[html.find("data-testid=\"dataset-meta\"").unwrap()..];
    for text in [
        MARKET,
        "市场监管",
        "201009",
        "每日",
        "无条件开放",
        "2026-02-01",
        "企业名录",
    ] {
        assert!(meta.contains(text), "metadata shows {text}");
    }
    // Data items with their labels, types and the masked badge on the PII item.
    let items = &html[html.find("data-testid=\"dataset-items\"").unwrap()..];
    let items = &items[..items.find("</table>").unwrap()];
    for (name, label) in [
        ("credit_code", "统一社会信用代码"),
        ("street", "所属街道"),
        ("capital", "注册资本（万元）"),
        ("phone", "联系电话"),
    ] {
        assert!(items.contains(&format!("<code>{name}</code>")), "{name}");
        assert!(items.contains(label), "{label}");
    }
    assert_eq!(items.matches("data-testid=\"item-masked\"").count(), 1);
    assert!(items.contains("数值型") && items.contains("日期型"));
    // The first ten rows by key, the phone masked.
    let preview = &html[html.find("data-testid=\"dataset-preview\"").unwrap()..];
    let preview = &preview[..preview.find("</table>").unwrap()];
    assert_eq!(preview.matches("data-testid=\"preview-row\"").count(), 10);
    for f in firms().iter().take(10) {
        assert!(preview.contains(&f.credit_code), "{}", f.credit_code);
        assert!(preview.contains(&f.name));
        assert!(!preview.contains(&f.phone), "raw phone {} shown", f.phone);
        assert!(preview.contains(&masked_phone(&f.phone)));
    }
    assert!(!preview.contains("LG0011"), "only ten rows");
    // A chart of rows by street (the first repeating text column), largest first.
    assert!(html.contains("data-testid=\"dataset-chart\""));
    let chart = html
        .split("<script id=\"chart-data\" type=\"application/json\">")
        .nth(1)
        .unwrap();
    let chart: Value = serde_json::from_str(&chart[..chart.find("</script>").unwrap()]).unwrap();
    assert_eq!(chart["labels"], json!(["坂田街道", "布吉街道", "平湖街道"]));
    assert_eq!(chart["counts"], json!([5, 4, 3]));
    assert_eq!(chart["column"], "所属街道");
    // Downloads, the API example and the metadata links.
    for f in ["csv", "json", "xlsx", "parquet"] {
        assert!(html.contains(&format!("href=\"{}\"", w.download_path(&w.firms, f))));
    }
    let curl = unescape(&testid(html, "api-curl"));
    assert!(
        curl.starts_with(&format!(
            "curl -s \"http://localhost/api/3/action/datastore_search?resource_id={}&limit=5\"",
            w.firms.code
        )),
        "{curl}"
    );
    let python = unescape(&testid(html, "api-python"));
    assert!(
        python.contains("RemoteCKAN(\"http://localhost\")"),
        "{python}"
    );
    assert!(
        python.contains(&format!(
            "datastore_search(resource_id=\"{}\", limit=5)",
            w.firms.code
        )),
        "{python}"
    );
    for link in [
        format!("/catalog/{}.jsonld", w.firms.code),
        format!("/catalog/{}.ttl", w.firms.code),
        format!("/catalog/{}/datapackage.json", w.firms.code),
    ] {
        assert!(html.contains(&link), "{link}");
    }
}

#[tokio::test]
async fn conditional_and_metadata_only_datasets() {
    let w = world().await;
    // Conditional, anonymous: the conditions and the way to sign in, no data.
    let r = w.get(&format!("/open/datasets/{}", w.schools.code)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("仅限教育研究用途"));
    assert!(r.text.contains("data-testid=\"dataset-login\""));
    assert!(r.text.contains(&format!(
        "/console/login?next={}",
        pct(&format!("/open/datasets/{}", w.schools.code))
    )));
    assert!(r.text.contains("href=\"/open/register\""));
    assert!(!r.text.contains("data-testid=\"dataset-preview\""));
    assert!(!r.text.contains("龙岗第1小学"));
    // Signed in without approval: the application form with the CSRF token.
    let (user, token) = w
        .app
        .user_with_token("citizen", &[Role::PublicUser], None)
        .await;
    let r = w
        .app
        .call(
            "GET",
            &format!("/open/datasets/{}", w.schools.code),
            Some(&token),
            None,
        )
        .await;
    assert!(r.text.contains("data-testid=\"apply-form\""), "{}", r.text);
    assert!(r.text.contains(&format!(
        "action=\"/open/datasets/{}/apply\"",
        w.schools.code
    )));
    for field in [
        "name=\"purpose\"",
        "name=\"organisation\"",
        "name=\"contact\"",
        "name=\"_csrf\"",
    ] {
        assert!(r.text.contains(field), "{field}");
    }
    // Pending: the page says so instead of offering the form again.
    let st = &w.app.state.open;
    let a = service::apply(
        st,
        user.id,
        &NewApplication {
            dataset: w.schools.code.clone(),
            purpose: "研究全区学位供给与学生分布情况".into(),
            organisation: "某大学".into(),
            contact: "test@example.com".into(),
        },
    )
    .await
    .unwrap();
    let r = w
        .app
        .call(
            "GET",
            &format!("/open/datasets/{}", w.schools.code),
            Some(&token),
            None,
        )
        .await;
    assert!(r.text.contains("data-testid=\"dataset-pending\""));
    assert!(r.text.contains(&a.due_date));
    // Approved: preview and downloads.
    service::decide(
        st,
        &Reviewer {
            user_id: w.admin_id,
            unit_id: None,
            is_admin: true,
        },
        a.id,
        &AppDecision {
            approve: true,
            ..AppDecision::default()
        },
    )
    .await
    .unwrap();
    let r = w
        .app
        .call(
            "GET",
            &format!("/open/datasets/{}", w.schools.code),
            Some(&token),
            None,
        )
        .await;
    assert!(r.text.contains("data-testid=\"dataset-preview\""));
    assert!(r.text.contains("龙岗第1小学"));
    // Metadata only: no data, no preview, a clear download error.
    let r = w.get(&format!("/open/datasets/{}", w.buses.code)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(testid(&r.text, "dataset-rows"), "—");
    assert!(!r.text.contains("data-testid=\"dataset-downloads\""));
    let r = w.get(&w.download_path(&w.buses, "csv")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.text.contains("has no data"), "{}", r.text);
}

#[tokio::test]
async fn unknown_datasets_are_404_pages() {
    let w = world().await;
    let r = w
        .app
        .send(
            Request::get("/open/datasets/999999-9999-9999")
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("<!doctype html>"), "with the layout");
    assert!(r.text.contains("data-testid=\"open-error\""));
    let r = w
        .app
        .send(
            Request::get("/open/datasets/999999-9999-9999")
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code().as_deref(), Some("not_found"));
    // A published resource that is not opened is not revealed.
    let hidden = zhengshu_catalog::create_demo_resource(
        &w.app.state.catalog,
        &resource(
            w.market,
            "内部人事数据",
            "不予开放的测试资源。",
            "市场监管",
            "不予开放",
            "每月",
            &[],
            vec![item("staff_no", "工号", "字符型", "无")],
        )
        .with_open_basis(),
    )
    .await
    .unwrap();
    let r = w.get(&format!("/open/datasets/{}", hidden.code)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.get(&w.download_path(&hidden, "csv")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.get("/open/datasets/nope/download/csv").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

trait OpenBasis {
    fn with_open_basis(self) -> Self;
}

impl OpenBasis for NewResource {
    fn with_open_basis(mut self) -> Self {
        self.open_basis = "《政府信息公开条例》第十四条".into();
        self
    }
}

#[tokio::test]
async fn unit_and_theme_pages() {
    let w = world().await;
    let r = w.get("/open/units").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("data-testid=\"open-unit-row\"").count(), 2);
    assert!(r.text.find(MARKET).unwrap() < r.text.find(EDUCATION).unwrap());

    let r = w.get(&format!("/open/units/{}", w.market)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(testid(&r.text, "unit-name"), MARKET);
    assert_eq!(testid(&r.text, "unit-datasets"), "2");
    let mut names = result_names(&r.text);
    names.sort();
    let mut expected = vec![FIRMS.to_string(), BUSES.to_string()];
    expected.sort();
    assert_eq!(names, expected);
    for bad in ["987654", "abc"] {
        let r = w.get(&format!("/open/units/{bad}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }

    let r = w.get("/open/themes").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("data-testid=\"theme-tile\"").count(), 3);
    let r = w.get(&format!("/open/themes/{}", pct("市场监管"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(result_names(&r.text), vec![FIRMS.to_string()]);
    assert!(r
        .text
        .contains(&format!("href=\"/open/units/{}\"", w.market)));
    let r = w
        .get(&format!("/open/themes/{}", pct("没有这个主题")))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Reads a CSV download (after its BOM) into rows of cells.
fn csv_rows(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut rd = csv::Reader::from_reader(&body[3..]);
    let header = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn firm_of(cells: &[String]) -> Firm {
    Firm {
        credit_code: cells[0].clone(),
        name: cells[1].clone(),
        street: cells[2].clone(),
        capital: cells[3].parse().unwrap(),
        founded: cells[4].clone(),
        phone: cells[5].clone(),
    }
}

/// The fixture as the public sees it: the phone masked, in key order.
fn public_firms() -> Vec<Firm> {
    firms()
        .into_iter()
        .map(|mut f| {
            f.phone = masked_phone(&f.phone);
            f
        })
        .collect()
}

#[tokio::test]
async fn csv_download_has_bom_header_and_the_rows() {
    let w = world().await;
    let (status, headers, body) = w.raw(&w.download_path(&w.firms, "csv"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let cd = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        cd.starts_with(&format!("attachment; filename=\"{}.csv\"", w.firms.code)),
        "{cd}"
    );
    assert!(
        cd.contains(&format!("filename*=UTF-8''{}.csv", pct(FIRMS))),
        "{cd}"
    );
    let (header, rows) = csv_rows(&body);
    assert_eq!(header, FIRM_COLUMNS);
    let mut got: Vec<Firm> = rows.iter().map(|r| firm_of(r)).collect();
    got.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
    assert_eq!(got, public_firms());
}

#[tokio::test]
async fn json_download_is_an_array_of_the_rows() {
    let w = world().await;
    let (status, headers, body) = w.raw(&w.download_path(&w.firms, "json"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: Value = serde_json::from_slice(&body).unwrap();
    let mut got: Vec<Firm> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            assert_eq!(o.as_object().unwrap().len(), FIRM_COLUMNS.len(), "{o}");
            Firm {
                credit_code: o["credit_code"].as_str().unwrap().into(),
                name: o["name"].as_str().unwrap().into(),
                street: o["street"].as_str().unwrap().into(),
                capital: o["capital"].as_f64().unwrap(),
                founded: o["founded"].as_str().unwrap().into(),
                phone: o["phone"].as_str().unwrap().into(),
            }
        })
        .collect();
    got.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
    assert_eq!(got, public_firms());
}

#[tokio::test]
async fn parquet_download_reads_back() {
    use zhengshu_lake::deltalake::arrow::array::{Array, AsArray};
    use zhengshu_lake::deltalake::arrow::datatypes::Float64Type;
    use zhengshu_lake::deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let w = world().await;
    let (status, headers, body) = w.raw(&w.download_path(&w.firms, "parquet"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.apache.parquet"
    );
    assert!(body.starts_with(b"PAR1") && body.ends_with(b"PAR1"));
    let reader = ParquetRecordBatchReaderBuilder::try_new(body)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = 0;
    let mut capital = 0.0;
    let mut codes = Vec::new();
    for b in reader {
        let b = b.unwrap();
        assert_eq!(
            b.schema()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>(),
            FIRM_COLUMNS
        );
        rows += b.num_rows();
        let c = b
            .column_by_name("capital")
            .unwrap()
            .as_primitive::<Float64Type>();
        capital += (0..c.len()).map(|i| c.value(i)).sum::<f64>();
        let code = b.column_by_name("credit_code").unwrap().as_string::<i32>();
        codes.extend((0..code.len()).map(|i| code.value(i).to_string()));
    }
    assert_eq!(rows, firms().len());
    let expected: f64 = firms().iter().map(|f| f.capital).sum();
    assert!((capital - expected).abs() < 1e-9, "{capital} vs {expected}");
    codes.sort();
    assert_eq!(
        codes,
        firms()
            .iter()
            .map(|f| f.credit_code.clone())
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn xlsx_download_opens_in_a_spreadsheet_reader() {
    use calamine::{Data, Reader};

    let w = world().await;
    let (status, headers, body) = w.raw(&w.download_path(&w.firms, "xlsx"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(body.starts_with(b"PK\x03\x04"), "a zip");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(body.to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 1 + firms().len());
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header, FIRM_COLUMNS);
    let mut got: Vec<Firm> = rows[1..]
        .iter()
        .map(|r| Firm {
            credit_code: r[0].to_string(),
            name: r[1].to_string(),
            street: r[2].to_string(),
            capital: match &r[3] {
                Data::Float(f) => *f,
                other => panic!("capital is a number cell, got {other:?}"),
            },
            founded: r[4].to_string(),
            phone: r[5].to_string(),
        })
        .collect();
    got.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
    assert_eq!(got, public_firms());
}

#[tokio::test]
async fn download_errors_and_conditional_access() {
    let w = world().await;
    let r = w
        .get(&format!("/open/datasets/{}/download/pdf", w.firms.code))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for f in ["csv", "json", "xlsx", "parquet"] {
        assert!(r.text.contains(f), "{}", r.text);
    }
    // Conditional, anonymous: 401 for a program, the login for a browser.
    let r = w.get(&w.download_path(&w.schools, "csv")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(r.text.contains("有条件开放"), "{}", r.text);
    let (status, headers, _) = w
        .raw(
            &w.download_path(&w.schools, "csv"),
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/console/login?next="));
    // Signed in without approval: 403; approved: the rows.
    let (user, token) = w
        .app
        .user_with_token("citizen", &[Role::PublicUser], None)
        .await;
    let path = w.download_path(&w.schools, "csv");
    let r = w.app.call("GET", &path, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let st = &w.app.state.open;
    let a = service::apply(
        st,
        user.id,
        &NewApplication {
            dataset: w.schools.code.clone(),
            purpose: "研究全区学位供给与学生分布情况".into(),
            ..NewApplication::default()
        },
    )
    .await
    .unwrap();
    service::decide(
        st,
        &Reviewer {
            user_id: w.admin_id,
            unit_id: None,
            is_admin: true,
        },
        a.id,
        &AppDecision {
            approve: true,
            ..AppDecision::default()
        },
    )
    .await
    .unwrap();
    let r = w.app.call("GET", &path, Some(&token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (header, mut rows) = csv_rows(r.text.as_bytes());
    assert_eq!(header, ["school_code", "school", "students"]);
    rows.sort();
    let expected: Vec<Vec<String>> = (1..=6)
        .map(|i| {
            vec![
                format!("SC{i:03}"),
                format!("龙岗第{i}小学"),
                (1000 + i).to_string(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn views_and_downloads_are_counted() {
    let w = world().await;
    let st = &w.app.state.open;
    let before = zhengshu_open::stats::summary(st, "").await.unwrap();
    for _ in 0..3 {
        let r = w.get(&format!("/open/datasets/{}", w.firms.code)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = w.get(&format!("/open/datasets/{}", w.buses.code)).await;
    assert_eq!(r.status, StatusCode::OK);
    for f in ["csv", "json"] {
        let (status, _, _) = w.raw(&w.download_path(&w.firms, f), &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
    // Refused downloads are not counted.
    let r = w.get(&w.download_path(&w.schools, "csv")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let after = zhengshu_open::stats::summary(st, "").await.unwrap();
    assert_eq!(after.totals.views, before.totals.views + 4);
    assert_eq!(after.totals.downloads, before.totals.downloads + 2);
    let firms = after
        .datasets
        .iter()
        .find(|d| d.code == w.firms.code)
        .expect("firms counted");
    assert_eq!(firms.totals.views, 3);
    assert_eq!(firms.totals.downloads, 2);
    let today = service::today_s(st);
    let (day, t) = after.by_day.last().unwrap();
    assert_eq!(day, &today);
    assert_eq!(t.views, 4);
    // The dataset page shows its own counts.
    let r = w.get(&format!("/open/datasets/{}", w.firms.code)).await;
    assert!(
        r.text.contains("3 / 2 / 0"),
        "views / downloads / API calls"
    );
}

/// A body's data frames: how many, the largest, and all the bytes.
async fn frames(body: Body) -> (usize, usize, Vec<u8>) {
    use http_body_util::BodyExt;
    let mut body = body;
    let (mut n, mut largest, mut all) = (0, 0, Vec::new());
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            n += 1;
            largest = largest.max(data.len());
            all.extend_from_slice(&data);
        }
    }
    (n, largest, all)
}

#[tokio::test]
async fn downloads_arrive_batch_by_batch() {
    const ROWS: usize = 20_000;
    let w = world().await;
    let events = zhengshu_catalog::create_demo_resource(
        &w.app.state.catalog,
        &resource(
            w.market,
            "网格事件记录",
            "网格员上报的事件及处置时长。",
            "城市管理",
            "无条件开放",
            "实时",
            &["网格"],
            vec![
                item("event_no", "事件编号", "字符型", "无"),
                item("street", "所属街道", "字符型", "无"),
                item("minutes", "处置时长（分钟）", "整数型", "无"),
            ],
        ),
    )
    .await
    .unwrap();
    let mut csv = String::from("event_no,street,minutes\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "E{i:06},{},{}\n",
            ["坂田街道", "布吉街道", "平湖街道"][i % 3],
            i % 120
        ));
    }
    load(&w.app, &events, "open_events", "event_no", &csv).await;
    for format in ["csv", "json", "parquet"] {
        let resp = zhengshu_web::app(w.app.state.clone())
            .oneshot(
                Request::get(w.download_path(&events, format))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{format}");
        let (n, largest, bytes) = frames(resp.into_body()).await;
        // CSV and JSON arrive a record batch (8,192 rows) per frame, never whole. (Parquet
        // comes through a pipe in 64 KiB reads; this small file is one row group.)
        if format != "parquet" {
            assert!(n >= 3, "{format}: {n} frames");
            assert!(
                largest < bytes.len() / 2,
                "{format}: a frame of {largest} of {} bytes",
                bytes.len()
            );
        } else {
            assert!(
                n >= 1 && largest <= 64 * 1024,
                "{format}: {n} frames, {largest}"
            );
        }
        let rows = match format {
            "csv" => csv_rows(&bytes).1.len(),
            "json" => serde_json::from_slice::<Value>(&bytes)
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            _ => {
                use zhengshu_lake::deltalake::parquet::file::reader::{
                    FileReader, SerializedFileReader,
                };
                let reader = SerializedFileReader::new(Bytes::from(bytes)).unwrap();
                reader.metadata().file_metadata().num_rows() as usize
            }
        };
        assert_eq!(rows, ROWS, "{format}");
    }
}
