//! Import (XLSX, CSV in UTF-8 and GBK, bad files), exports and DCAT / Data Package.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use calamine::Reader;
use rust_xlsxwriter::Workbook;
use support::{app, sample, App};
use zhengshu_catalog::sheet::COLUMNS;
use zhengshu_catalog::{service, Status};

const BOUNDARY: &str = "zsboundary7";

async fn upload(
    app: &App,
    path: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, serde_json::Value) {
    let mut body = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (s, _, text) = app.send(req).await;
    (
        s,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

fn header() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.header).collect()
}

/// A row in template order from (header, value) pairs.
fn row(values: &[(&str, &str)]) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| {
            values
                .iter()
                .find(|(h, _)| *h == c.header)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect()
}

fn good_row(name: &str) -> Vec<String> {
    row(&[
        ("资源名称", name),
        ("资源摘要", "批量导入的资源"),
        ("资源分类代码", "301001"),
        ("资源提供方", "区卫生健康局"),
        ("资源格式", "电子表格"),
        ("共享类型", "无条件共享"),
        ("开放类型", "有条件开放"),
        ("开放条件", "实名申请"),
        ("更新周期", "每月"),
        ("数据分级", "一般"),
        (
            "信息项",
            "jgmc|机构名称|字符型|100|无\ndh|联系电话|字符型|11|手机号|值班电话",
        ),
    ])
}

fn xlsx(sheet: &str, rows: &[Vec<String>], merge: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (j, h) in header().iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            if j == 3 && !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
                ws.write_number((i + 1) as u32, j as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string((i + 1) as u32, j as u16, v).unwrap();
            }
        }
    }
    if merge {
        ws.merge_range(1, 0, 2, 0, "", &rust_xlsxwriter::Format::new())
            .unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn csv(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header()).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[tokio::test]
async fn xlsx_import_dry_run_then_for_real() {
    let app = app().await;
    let file = xlsx(
        "资源目录",
        &[good_row("医疗机构名录"), good_row("药店名录")],
        false,
    );
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import?dry_run=true",
        &app.reviewer2.token,
        "a.xlsx",
        &file,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "reviewers do not import: {rep}");
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import?dry_run=true",
        &app.officer_b.token,
        "a.xlsx",
        &file,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{rep}");
    assert_eq!(
        (rep["rows"].as_u64(), rep["created"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(
        app.count("catalog_resources").await,
        0,
        "a dry run writes nothing"
    );
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import",
        &app.officer_b.token,
        "a.xlsx",
        &file,
    )
    .await;
    assert_eq!(
        (s, rep["created"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{rep}"
    );
    assert_eq!(rep["codes"][1], format!("301001-{:04}-0002", app.unit_b));
    let id: i64 = app
        .tdb
        .db
        .scalar_i64("SELECT MIN(id) FROM catalog_resources")
        .await
        .unwrap();
    let r = service::get(&app.state, Some(&app.officer_b.actor), id)
        .await
        .unwrap();
    assert_eq!(r.status, Status::Draft);
    assert_eq!(r.items[1].pii_kind, zhengshu_core::PiiKind::Mobile);
    assert_eq!(r.items[1].description, "值班电话");
    let hits = zhengshu_catalog::search(
        &app.state,
        app.officer_b.actor.viewer(),
        &zhengshu_catalog::SearchParams {
            q: "药店".into(),
            limit: 10,
            ..Default::default()
        },
        false,
    )
    .await
    .unwrap();
    assert_eq!(hits.total, 1, "imported rows are searchable at once");
}

#[tokio::test]
async fn row_errors_name_row_and_column_and_nothing_is_imported() {
    let app = app().await;
    let existing = service::create(
        &app.state,
        &app.officer_b.actor,
        &sample(app.unit_b, "已有", "已有"),
    )
    .await
    .unwrap();
    let mut unknown_unit = good_row("未知单位");
    unknown_unit[6] = "不存在的局".into();
    let mut dup_db = good_row("重复代码");
    dup_db[0] = existing.code.clone();
    dup_db[3] = "101001".into();
    let mut dup_file = good_row("文件内重复");
    dup_file[0] = format!("301001-{:04}-0009", app.unit_b);
    let dup_file2 = {
        let mut r = dup_file.clone();
        r[1] = "文件内重复二".into();
        r
    };
    let mut bad_vocab = good_row("错误取值");
    bad_vocab[15] = "每十年".into();
    let mut bad_len = good_row("错误长度");
    bad_len[20] = "xm|姓名|字符型|五十".into();
    let rows = vec![
        good_row("正确"),
        unknown_unit,
        dup_db,
        dup_file,
        dup_file2,
        bad_vocab,
        bad_len,
    ];
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import",
        &app.officer_b.token,
        "bad.xlsx",
        &xlsx("资源目录", &rows, false),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{rep}");
    let errors: Vec<(u64, String)> = rep["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "资源提供方".into()),
            (4, "资源代码".into()),
            (6, "资源代码".into()),
            (7, "更新周期".into()),
            (8, "信息项".into())
        ],
        "{rep}"
    );
    let messages = rep["errors"].to_string();
    assert!(
        messages.contains("不存在的局")
            && messages.contains("repeats row 5")
            && messages.contains("already exists")
            && messages.contains("五十")
    );
    assert_eq!(rep["created"], 0);
    assert_eq!(app.count("catalog_resources").await, 1, "all or nothing");
}

#[tokio::test]
async fn unusable_files_get_one_clear_error() {
    let app = app().await;
    let t = &app.officer_b.token;
    let (s, e) = upload(
        &app,
        "/api/v1/catalog/import",
        t,
        "a.xlsx",
        &xlsx("Sheet1", &[good_row("甲")], false),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no sheet named `资源目录` (found: Sheet1)"),
        "{e}"
    );
    let (s, e) = upload(
        &app,
        "/api/v1/catalog/import",
        t,
        "a.xlsx",
        &xlsx("资源目录", &[good_row("甲"), good_row("乙")], true),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("merged cells A2:A3"),
        "{e}"
    );
    let (s, e) = upload(
        &app,
        "/api/v1/catalog/import",
        t,
        "a.csv",
        "资源名称,资源摘要\n甲,乙\n".as_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing header(s) 资源分类代码"),
        "{e}"
    );
    let (s, e) = upload(
        &app,
        "/api/v1/catalog/import",
        t,
        "a.xlsx",
        b"PK\x03\x04 broken",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not a readable XLSX"),
        "{e}"
    );
    let (s, e) = upload(
        &app,
        "/api/v1/catalog/import",
        t,
        "a.xls",
        &[0xD0, 0xCF, 0x11, 0xE0, 0, 0],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["error"]["message"].as_str().unwrap().contains(".xlsx"),
        "{e}"
    );
    let big = vec![b'a'; 10 * 1024 * 1024 + 10];
    let (s, e) = upload(&app, "/api/v1/catalog/import", t, "big.csv", &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    let huge = vec![b'a'; 11 * 1024 * 1024];
    let (s, _) = upload(&app, "/api/v1/catalog/import", t, "huge.csv", &huge).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("catalog_resources").await, 0);
}

#[tokio::test]
async fn gbk_and_bom_csv_import() {
    let app = app().await;
    let text = csv(&[good_row("国标编码资源")]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import",
        &app.officer_b.token,
        "gbk.csv",
        &gbk,
    )
    .await;
    assert_eq!(
        (s, rep["created"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{rep}"
    );
    let bom = [
        b"\xef\xbb\xbf".as_slice(),
        csv(&[good_row("带BOM资源")]).as_bytes(),
    ]
    .concat();
    let (s, rep) = upload(
        &app,
        "/api/v1/catalog/import",
        &app.officer_b.token,
        "bom.csv",
        &bom,
    )
    .await;
    assert_eq!(
        (s, rep["created"].as_u64()),
        (StatusCode::OK, Some(1)),
        "{rep}"
    );
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM catalog_resources ORDER BY id")
        .fetch_all(app.tdb.db.pool())
        .await
        .unwrap();
    assert_eq!(names, ["国标编码资源", "带BOM资源"]);
}

async fn published(app: &App, n: usize) -> Vec<zhengshu_catalog::Resource> {
    let news: Vec<_> = (0..n)
        .map(|i| sample(app.unit_a, &format!("公开资源{i}"), "大數據"))
        .collect();
    let ids = zhengshu_catalog::create_demo_resources(&app.state, &news)
        .await
        .unwrap();
    let mut out = Vec::new();
    for id in ids {
        out.push(service::get(&app.state, None, id).await.unwrap());
    }
    out
}

#[tokio::test]
async fn exports_and_template_open_as_spreadsheets() {
    let app = app().await;
    published(&app, 3).await;
    let req = |p: &str| {
        Request::get(p)
            .header("authorization", format!("Bearer {}", app.reader.token))
            .body(Body::empty())
            .unwrap()
    };
    let (s, ct, _) = app
        .send(req(
            "/api/v1/catalog/export.xlsx?q=%E5%85%AC%E5%BC%80%E8%B5%84%E6%BA%901",
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"));
    let bytes = tower::ServiceExt::oneshot(app.router(), req("/api/v1/catalog/export.xlsx"))
        .await
        .unwrap();
    let bytes = http_body_util::BodyExt::collect(bytes.into_body())
        .await
        .unwrap()
        .to_bytes();
    let mut wb: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("资源目录").unwrap();
    assert_eq!(range.height(), 4, "header + 3 resources");
    assert_eq!(range.get((0, 1)).unwrap().to_string(), "资源名称");
    assert!(range
        .get((1, 20))
        .unwrap()
        .to_string()
        .contains("xm|姓名|字符型|50|姓名"));
    let (s, ct, csv_text) = app
        .send(req("/api/v1/catalog/export.csv?security_grade=general"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    assert!(csv_text.starts_with('\u{feff}'), "BOM for Excel");
    assert_eq!(
        csv::Reader::from_reader(csv_text.as_bytes())
            .records()
            .count(),
        3
    );
    // An export re-imports cleanly once its codes are taken out.
    let (s, _, _) = app.send(req("/api/v1/catalog/template.xlsx")).await;
    assert_eq!(s, StatusCode::OK);
    let t = zhengshu_catalog::export::template_xlsx().unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(t)).unwrap();
    assert_eq!(wb.sheet_names(), ["资源目录", "填写说明"]);
    assert_eq!(wb.worksheet_range("资源目录").unwrap().height(), 1);
}

#[tokio::test]
async fn dcat_jsonld_turtle_and_datapackage() {
    let app = app().await;
    let rs = published(&app, 3).await;
    let code = &rs[0].code;
    let (s, body) = app.get(&format!("/catalog/{code}.jsonld"), None).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(v["@type"], "dcat:Dataset");
    assert_eq!(
        v["@id"],
        format!("https://data.example.gov.cn/catalog/{code}")
    );
    assert_eq!(v["dct:title"]["@value"], "公开资源0");
    assert_eq!(v["dcat:distribution"]["@type"], "dcat:Distribution");

    let (s, body) = app.get(&format!("/catalog/{code}.ttl"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("@prefix dcat: <http://www.w3.org/ns/dcat#> ."));
    assert!(body.contains("@prefix dct: <http://purl.org/dc/terms/> ."));
    assert_eq!(body.matches("a dcat:Dataset").count(), 1);
    assert!(body.contains("dct:title \"公开资源0\"@zh"));

    let (s, body) = app.get("/catalog.ttl", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body.matches("a dcat:Dataset").count(), 3);
    assert!(body.contains("a dcat:Catalog"));

    let (s, body) = app.get("/catalog.jsonld?page=1", None).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["@context"].is_object());
    let graph = v["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), 4);
    assert_eq!(graph[0]["@type"], "dcat:Catalog");
    assert_eq!(
        graph[0]["hydra:view"]["hydra:first"]["@id"],
        "https://data.example.gov.cn/catalog.jsonld?page=1"
    );
    assert!(graph[0]["hydra:view"].get("hydra:next").is_none());
    assert_eq!(graph[0]["dcat:dataset"].as_array().unwrap().len(), 3);

    let (s, body) = app
        .get(&format!("/catalog/{code}/datapackage.json"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(p["name"], code.to_lowercase());
    let fields = p["resources"][0]["schema"]["fields"].as_array().unwrap();
    let types: Vec<&str> = fields.iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["string", "string", "date"]);
    assert_eq!(fields[0]["constraints"]["maxLength"], 50);
    assert_eq!(fields[1]["title"], "身份证号");
    let (s, _) = app
        .get("/catalog/101001-9999-0001/datapackage.json", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn dcat_paging_links_next_and_previous() {
    let page = zhengshu_catalog::dcat::Page {
        page: 2,
        per_page: 100,
        total: 250,
    };
    let v = zhengshu_catalog::dcat::catalog_jsonld(&[], "https://x", page);
    let view = &v["@graph"][0]["hydra:view"];
    assert_eq!(view["hydra:next"]["@id"], "https://x/catalog.jsonld?page=3");
    assert_eq!(
        view["hydra:previous"]["@id"],
        "https://x/catalog.jsonld?page=1"
    );
    assert_eq!(view["hydra:last"]["@id"], "https://x/catalog.jsonld?page=3");
}
