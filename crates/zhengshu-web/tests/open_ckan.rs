//! The CKAN-compatible Action API of the open-data portal (issue 6) through the real app:
//! every action against the fixture's datasets (values asserted from the rows loaded),
//! `package_search` with Chinese queries, `fq` and facets, `datastore_search` with
//! filters, paging, totals, sorting and `q`, `datastore_search_sql`, conditional opening
//! with an app key, and the error envelopes (never a 500).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod open_support;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use zhengshu_web::testing::{TestApp, TestResponse};

use open_support::{air_rows, credit_rows, AirRow, AIR_ROWS, CREDIT_ROWS};

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /api/3/action/{action}?k=v…` (values encoded here).
async fn get(app: &TestApp, action: &str, params: &[(&str, &str)]) -> TestResponse {
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    let path = if q.is_empty() {
        format!("/api/3/action/{action}")
    } else {
        format!("/api/3/action/{action}?{}", q.join("&"))
    };
    let r = app.call("GET", &path, None, None).await;
    assert_ne!(
        r.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{path}: {}",
        r.text
    );
    r
}

/// `POST /api/action/{action}` with a JSON body, as `ckanapi` sends it, with an optional
/// `Authorization` header value (sent as is: CKAN clients send the key bare).
async fn post(app: &TestApp, action: &str, body: Value, auth: Option<&str>) -> TestResponse {
    let mut b = Request::post(format!("/api/action/{action}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    let r = app
        .send(b.body(Body::from(body.to_string())).unwrap())
        .await;
    assert_ne!(
        r.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{action}: {}",
        r.text
    );
    r
}

/// The `result` of a successful call, after checking the envelope.
#[track_caller]
fn ok(r: &TestResponse) -> Value {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    assert_eq!(v["success"], true, "{v}");
    assert!(
        v["help"]
            .as_str()
            .unwrap()
            .starts_with("http://localhost/api/3/action/help_show?name="),
        "{v}"
    );
    v["result"].clone()
}

/// The `error` of a failed call, after checking status, envelope and `__type`.
#[track_caller]
fn err(r: &TestResponse, status: StatusCode, ty: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    let v = r.json();
    assert_eq!(v["success"], false, "{v}");
    assert!(v["help"].is_string(), "{v}");
    assert_eq!(v["error"]["__type"], ty, "{v}");
    assert!(v["error"]["message"].is_string(), "{v}");
    v["error"].clone()
}

fn names(results: &Value) -> Vec<String> {
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn extra<'a>(pkg: &'a Value, key: &str) -> Option<&'a str> {
    pkg["extras"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .and_then(|e| e["value"].as_str())
}

fn unit_name(id: i64) -> String {
    format!("unit-{id}")
}

// ---------------------------------------------------------------------------------------
// Site, lists, organizations, groups, tags
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_lists_organizations_groups_and_tags() {
    let w = open_support::world().await;
    let app = &w.app;

    let status = ok(&get(app, "status_show", &[]).await);
    assert_eq!(status["ckan_version"], "2.10.4");
    assert_eq!(status["site_url"], "http://localhost");
    assert!(strings(&status["extensions"]).contains(&"datastore".to_string()));
    assert!(status["site_title"].as_str().unwrap().contains("开放"));
    let v = app.call("GET", "/api/3", None, None).await;
    assert_eq!(v.json(), json!({"version": 3}));
    assert_eq!(ok(&get(app, "site_read", &[]).await), json!(true));
    let help = ok(&get(app, "help_show", &[("name", "datastore_search")]).await);
    assert!(help.as_str().unwrap().contains("filters"), "{help}");
    let licenses = ok(&get(app, "license_list", &[]).await);
    assert!(licenses
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == "other-open"));

    // package_list: the opened datasets (not the 不予开放 one), sorted; both paths.
    let mut open_codes = vec![
        w.air.code.clone(),
        w.credit.code.clone(),
        w.libraries.code.clone(),
    ];
    open_codes.sort();
    assert_eq!(
        strings(&ok(&get(app, "package_list", &[]).await)),
        open_codes
    );
    let via_ckanapi_path = app
        .call("GET", "/api/action/package_list", None, None)
        .await;
    assert_eq!(strings(&ok(&via_ckanapi_path)), open_codes);
    assert_eq!(
        strings(&ok(&get(
            app,
            "package_list",
            &[("limit", "1"), ("offset", "1")]
        )
        .await)),
        vec![open_codes[1].clone()]
    );

    // organization_list: the units with opened datasets, by title.
    let env = unit_name(w.env_unit.0);
    let dev = unit_name(w.dev_unit.0);
    let mut by_title = [
        (w.env_unit.1.clone(), env.clone()),
        (w.dev_unit.1.clone(), dev.clone()),
    ];
    by_title.sort();
    let orgs = ok(&get(app, "organization_list", &[]).await);
    assert_eq!(
        strings(&orgs),
        by_title.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>()
    );
    let orgs = ok(&post(
        app,
        "organization_list",
        json!({"all_fields": true, "sort": "package_count desc"}),
        None,
    )
    .await);
    assert_eq!(orgs[0]["name"], dev.as_str(), "{orgs}");
    assert_eq!(orgs[0]["title"], w.dev_unit.1.as_str());
    assert_eq!(orgs[0]["package_count"], 2, "credit and libraries");
    assert_eq!(orgs[1]["name"], env.as_str());
    assert_eq!(
        orgs[1]["package_count"], 1,
        "air (the closed one is not counted)"
    );
    assert_eq!(orgs[1]["is_organization"], true);

    let org = ok(&get(
        app,
        "organization_show",
        &[("id", &dev), ("include_datasets", "true")],
    )
    .await);
    assert_eq!(org["title"], w.dev_unit.1.as_str());
    assert_eq!(org["package_count"], 2);
    let mut held = names(&org["packages"]);
    held.sort();
    let mut expected = vec![w.credit.code.clone(), w.libraries.code.clone()];
    expected.sort();
    assert_eq!(held, expected);
    let org = ok(&get(
        app,
        "organization_show",
        &[("id", &w.env_unit.0.to_string())],
    )
    .await);
    assert_eq!(org["name"], env.as_str());
    assert_eq!(org["packages"], json!([]), "without include_datasets");
    err(
        &get(app, "organization_show", &[("id", "unit-999999")]).await,
        StatusCode::NOT_FOUND,
        "Not Found Error",
    );

    // group_list: the themes of opened datasets.
    let groups = ok(&get(app, "group_list", &[]).await);
    assert_eq!(
        strings(&groups),
        vec!["信用服务", "文化休闲", "生态环境"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let groups = ok(&get(
        app,
        "group_list",
        &[("all_fields", "true"), ("groups", "生态环境")],
    )
    .await);
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    assert_eq!(
        groups[0]["package_count"], 1,
        "the closed dataset is not counted"
    );
    let g = ok(&get(
        app,
        "group_show",
        &[("id", "生态环境"), ("include_datasets", "true")],
    )
    .await);
    assert_eq!(names(&g["packages"]), vec![w.air.code.clone()]);
    err(
        &get(app, "group_show", &[("id", "不存在的主题")]).await,
        StatusCode::NOT_FOUND,
        "Not Found Error",
    );

    // tag_list: every keyword of opened datasets, not of the closed one.
    let tags = strings(&ok(&get(app, "tag_list", &[]).await));
    let mut expected: Vec<String> = [
        "空气质量",
        "环境监测",
        "企业信用",
        "营商环境",
        "公共文化",
        "图书馆",
    ]
    .map(String::from)
    .to_vec();
    expected.sort();
    assert_eq!(tags, expected);
    assert_eq!(
        strings(&ok(&get(app, "tag_list", &[("query", "环境")]).await)),
        vec!["环境监测".to_string(), "营商环境".to_string()]
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------
// package_show, resource_show
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_and_resource_show() {
    let w = open_support::world().await;
    let app = &w.app;

    let pkg = ok(&get(app, "package_show", &[("id", &w.air.code)]).await);
    assert_eq!(pkg["id"], w.air.code.as_str());
    assert_eq!(pkg["name"], w.air.code.as_str());
    assert_eq!(pkg["title"], "龙岗区空气质量监测日报");
    assert!(pkg["notes"].as_str().unwrap().contains("PM2.5"));
    assert_eq!(pkg["type"], "dataset");
    assert_eq!(pkg["state"], "active");
    assert_eq!(pkg["private"], false);
    assert_eq!(pkg["isopen"], true);
    assert_eq!(pkg["license_id"], "other-open");
    assert_eq!(pkg["owner_org"], unit_name(w.env_unit.0).as_str());
    assert_eq!(
        pkg["organization"]["name"],
        unit_name(w.env_unit.0).as_str()
    );
    assert_eq!(pkg["organization"]["title"], w.env_unit.1.as_str());
    assert_eq!(pkg["groups"][0]["name"], "生态环境");
    assert_eq!(pkg["num_tags"], 2);
    assert_eq!(
        pkg["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["空气质量", "环境监测"]
    );
    assert_eq!(pkg["num_resources"], 1);
    let res = &pkg["resources"][0];
    assert_eq!(res["id"], w.air.code.as_str());
    assert_eq!(res["package_id"], w.air.code.as_str());
    assert_eq!(res["format"], "CSV");
    assert_eq!(res["datastore_active"], true);
    assert_eq!(
        res["url"],
        format!("http://localhost/open/datasets/{}/download/csv", w.air.code).as_str()
    );
    assert_eq!(extra(&pkg, "更新周期"), Some("每日"));
    assert_eq!(extra(&pkg, "开放类型"), Some("无条件开放"));
    assert_eq!(extra(&pkg, "资源格式"), Some("电子表格"));
    assert_eq!(extra(&pkg, "数据量"), Some(AIR_ROWS.to_string().as_str()));
    assert_eq!(extra(&pkg, "开放条件"), None);
    let created = pkg["metadata_created"].as_str().unwrap();
    assert!(
        created.len() == 26 && created.as_bytes()[10] == b'T' && !created.ends_with('Z'),
        "CKAN's time form: {created}"
    );

    // By numeric id too, and the same through POST.
    let by_id = ok(&get(app, "package_show", &[("id", &w.air.id.to_string())]).await);
    assert_eq!(by_id["name"], w.air.code.as_str());
    let by_post = ok(&post(app, "package_show", json!({"id": w.air.code}), None).await);
    assert_eq!(by_post["title"], pkg["title"]);

    // A conditionally opened dataset: its metadata is public.
    let credit = ok(&get(app, "package_show", &[("id", &w.credit.code)]).await);
    assert_eq!(credit["isopen"], false);
    assert_eq!(credit["license_id"], "other-closed");
    assert_eq!(extra(&credit, "开放类型"), Some("有条件开放"));
    assert!(extra(&credit, "开放条件").unwrap().contains("科研"));
    assert_eq!(
        extra(&credit, "数据量"),
        Some(CREDIT_ROWS.to_string().as_str())
    );

    // Metadata only: an HTML resource, no DataStore.
    let lib = ok(&get(app, "package_show", &[("id", &w.libraries.code)]).await);
    assert_eq!(lib["resources"][0]["datastore_active"], false);
    assert_eq!(lib["resources"][0]["format"], "HTML");
    assert_eq!(extra(&lib, "数据量"), None);

    // Not opened, or not there: Not Found, without saying which.
    for id in [w.closed.code.as_str(), "999999-9999-9999", "nonsense"] {
        let e = err(
            &get(app, "package_show", &[("id", id)]).await,
            StatusCode::NOT_FOUND,
            "Not Found Error",
        );
        assert!(e["message"].as_str().unwrap().contains(id), "{e}");
    }
    let e = err(
        &get(app, "package_show", &[]).await,
        StatusCode::CONFLICT,
        "Validation Error",
    );
    assert_eq!(e["id"], json!(["Missing value"]));

    let res = ok(&get(app, "resource_show", &[("id", &w.air.code)]).await);
    assert_eq!(res["name"], "龙岗区空气质量监测日报");
    assert_eq!(
        res["download_urls"]["parquet"],
        format!(
            "http://localhost/open/datasets/{}/download/parquet",
            w.air.code
        )
        .as_str()
    );
    err(
        &get(app, "resource_show", &[("id", &w.closed.code)]).await,
        StatusCode::NOT_FOUND,
        "Not Found Error",
    );

    // package_show counts as an API call of the dataset.
    app.state.open.stats.flush(app.db()).await.unwrap();
    let t = zhengshu_open::stats::of_resource(app.db(), w.air.id)
        .await
        .unwrap();
    assert_eq!(t.api_calls, 3, "three package_show calls of air: {t:?}");
}

// ---------------------------------------------------------------------------------------
// package_search
// ---------------------------------------------------------------------------------------

async fn search(app: &TestApp, params: &[(&str, &str)]) -> Value {
    ok(&get(app, "package_search", params).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_search_chinese_fq_facets_paging_and_sort() {
    let w = open_support::world().await;
    let app = &w.app;
    let env = unit_name(w.env_unit.0);
    let dev = unit_name(w.dev_unit.0);

    // Everything opened (3), newest first by default; the closed one never.
    let all = search(app, &[]).await;
    assert_eq!(all["count"], 3);
    assert!(!names(&all["results"]).contains(&w.closed.code));
    assert_eq!(all["sort"], "score desc, metadata_modified desc");

    // Chinese queries.
    let r = search(app, &[("q", "空气质量")]).await;
    assert_eq!(r["count"], 1, "{r}");
    assert_eq!(names(&r["results"]), vec![w.air.code.clone()]);
    assert_eq!(r["results"][0]["title"], "龙岗区空气质量监测日报");
    let r = search(app, &[("q", "企业信用")]).await;
    assert_eq!(names(&r["results"]), vec![w.credit.code.clone()]);
    let r = search(app, &[("q", "执法检查")]).await;
    assert_eq!(r["count"], 0, "the closed dataset is not found: {r}");
    // A field term in q is a filter, as CKAN clients write it.
    let r = search(app, &[("q", "tags:图书馆")]).await;
    assert_eq!(names(&r["results"]), vec![w.libraries.code.clone()]);

    // fq on every field.
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            format!("organization:{dev}"),
            vec![&w.credit.code, &w.libraries.code],
        ),
        (format!("owner_org:{env}"), vec![&w.air.code]),
        ("groups:\"生态环境\"".into(), vec![&w.air.code]),
        (
            "groups:(生态环境 OR 文化休闲)".into(),
            vec![&w.air.code, &w.libraries.code],
        ),
        ("res_format:电子表格".into(), vec![&w.air.code]),
        ("res_format:database".into(), vec![&w.credit.code]),
        ("open_type:有条件开放".into(), vec![&w.credit.code]),
        (
            "open_type:unconditional".into(),
            vec![&w.air.code, &w.libraries.code],
        ),
        ("update_cycle:daily".into(), vec![&w.air.code]),
        ("update_cycle:每年".into(), vec![&w.libraries.code]),
        ("tags:图书馆".into(), vec![&w.libraries.code]),
        (
            format!("+organization:{dev} AND open_type:unconditional"),
            vec![&w.libraries.code],
        ),
        (
            format!("organization:{dev} tags:企业信用"),
            vec![&w.credit.code],
        ),
        ("groups:不存在".into(), vec![]),
    ];
    for (fq, expected) in cases {
        let r = search(app, &[("fq", &fq)]).await;
        let mut got = names(&r["results"]);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "fq={fq}: {r}");
        assert_eq!(r["count"], want.len(), "fq={fq}");
    }
    // fq and q together, and fq_list.
    let r = search(app, &[("q", "龙岗区"), ("fq", "groups:信用服务")]).await;
    assert_eq!(names(&r["results"]), vec![w.credit.code.clone()]);
    let r = search(
        app,
        &[("fq_list", r#"["groups:生态环境", "tags:空气质量"]"#)],
    )
    .await;
    assert_eq!(names(&r["results"]), vec![w.air.code.clone()]);

    // Facets, as search_facets and the legacy facets.
    let r = search(
        app,
        &[(
            "facet.field",
            r#"["organization","groups","res_format","open_type","update_cycle","tags"]"#,
        )],
    )
    .await;
    let sf = &r["search_facets"];
    assert_eq!(sf["organization"]["title"], "organization");
    assert_eq!(
        sf["organization"]["items"],
        json!([
            {"name": dev, "display_name": w.dev_unit.1, "count": 2},
            {"name": env, "display_name": w.env_unit.1, "count": 1},
        ])
    );
    assert_eq!(
        r["facets"]["organization"],
        json!({dev.clone(): 2, env.clone(): 1})
    );
    assert_eq!(
        r["facets"]["open_type"],
        json!({"unconditional": 2, "conditional": 1})
    );
    let ot = sf["open_type"]["items"].as_array().unwrap();
    assert_eq!(ot[0]["display_name"], "无条件开放");
    assert_eq!(
        r["facets"]["res_format"],
        json!({"spreadsheet": 1, "database": 1, "electronic_file": 1})
    );
    assert_eq!(
        r["facets"]["update_cycle"],
        json!({"daily": 1, "monthly": 1, "yearly": 1})
    );
    assert_eq!(
        r["facets"]["groups"],
        json!({"生态环境": 1, "信用服务": 1, "文化休闲": 1})
    );
    assert_eq!(
        r["facets"]["tags"],
        json!({"空气质量": 1, "环境监测": 1, "企业信用": 1, "营商环境": 1, "公共文化": 1, "图书馆": 1})
    );
    // Facets follow the query; facet.limit cuts them.
    let r = search(
        app,
        &[
            ("fq", &format!("organization:{dev}")),
            ("facet.field", r#"["open_type"]"#),
            ("facet.limit", "1"),
        ],
    )
    .await;
    assert_eq!(
        r["search_facets"]["open_type"]["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(r["search_facets"]["open_type"]["items"][0]["count"], 1);

    // Paging.
    let r = search(app, &[("rows", "1"), ("start", "1")]).await;
    assert_eq!(r["count"], 3);
    assert_eq!(r["results"].as_array().unwrap().len(), 1);
    assert_eq!(names(&r["results"])[0], names(&all["results"])[1]);
    let r = search(app, &[("rows", "0")]).await;
    assert_eq!(r["count"], 3);
    assert_eq!(r["results"], json!([]));

    // Sorts.
    let mut codes = vec![
        w.air.code.clone(),
        w.credit.code.clone(),
        w.libraries.code.clone(),
    ];
    codes.sort();
    assert_eq!(
        names(&search(app, &[("sort", "name asc")]).await["results"]),
        codes
    );
    let mut desc = codes.clone();
    desc.reverse();
    assert_eq!(
        names(&search(app, &[("sort", "name desc")]).await["results"]),
        desc
    );
    let titles = |r: &Value| -> Vec<String> {
        r["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_string())
            .collect()
    };
    let mut sorted_titles = titles(&all);
    sorted_titles.sort();
    assert_eq!(
        titles(&search(app, &[("sort", "title_string asc")]).await),
        sorted_titles
    );
    sorted_titles.reverse();
    assert_eq!(
        titles(&search(app, &[("sort", "title_string desc")]).await),
        sorted_titles
    );

    // As ckanapi sends it: a JSON body with a list of facets.
    let r = ok(&post(
        app,
        "package_search",
        json!({"q": "空气", "facet.field": ["organization"], "rows": 5}),
        None,
    )
    .await);
    assert_eq!(names(&r["results"]), vec![w.air.code.clone()]);
    assert_eq!(
        r["search_facets"]["organization"]["items"][0]["name"],
        env.as_str()
    );
    // A package of the results is the full dict.
    let p = &r["results"][0];
    assert_eq!(p["resources"][0]["datastore_active"], true);
    assert_eq!(p["organization"]["title"], w.env_unit.1.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_search_bad_input_is_a_validation_error() {
    let w = open_support::world().await;
    let app = &w.app;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("fq", "license_id:cc-by")], "fq"),
        (&[("fq", "groups:\"生态环境")], "fq"),
        (&[("fq", "groups:(a OR b")], "fq"),
        (&[("fq", "groups")], "fq"),
        (&[("fq", "groups:a OR tags:b")], "fq"),
        (&[("rows", "5000")], "rows"),
        (&[("rows", "-1")], "rows"),
        (&[("start", "x")], "start"),
        (&[("start", "100001")], "start"),
        (&[("start", "18446744073709551615")], "start"),
        (&[("sort", "downloads desc")], "sort"),
        (&[("facet.field", "[\"license_id\"]")], "facet.field"),
        (&[("facet.field", "[\"groups\"")], "facet.field"),
    ];
    for (params, field) in cases {
        let e = err(
            &get(app, "package_search", params).await,
            StatusCode::CONFLICT,
            "Validation Error",
        );
        assert!(e[*field].is_array(), "{params:?}: {e}");
        if *field == "fq" {
            assert!(
                e["fq"][0]
                    .as_str()
                    .unwrap()
                    .contains("organization, groups, res_format"),
                "says which fields are supported: {e}"
            );
        }
    }
    // rows at the cap is fine.
    let r = search(app, &[("rows", "1000")]).await;
    assert_eq!(r["count"], 3);
}

// ---------------------------------------------------------------------------------------
// datastore_search
// ---------------------------------------------------------------------------------------

fn ids(records: &Value) -> Vec<i64> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record_id"].as_i64().unwrap())
        .collect()
}

fn assert_row(rec: &Value, row: &AirRow) {
    assert_eq!(rec["record_id"], row.record_id, "{rec}");
    assert_eq!(rec["station"], row.station.as_str(), "{rec}");
    assert_eq!(rec["street"], row.street.as_str(), "{rec}");
    assert_eq!(rec["monitor_date"], row.monitor_date.as_str(), "{rec}");
    assert_eq!(rec["aqi"], row.aqi, "{rec}");
    assert_eq!(rec["pm25"].as_f64(), Some(row.pm25), "{rec}");
    assert_eq!(rec["level"], row.level.as_str(), "{rec}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datastore_search_filters_paging_totals_sort_and_q() {
    let w = open_support::world().await;
    let app = &w.app;
    let rows = air_rows();
    let code = w.air.code.as_str();
    let ds = |params: Vec<(&'static str, String)>| {
        let mut p: Vec<(&str, String)> = vec![("resource_id", code.to_string())];
        p.extend(params);
        async move {
            let borrowed: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ok(&get(app, "datastore_search", &borrowed).await)
        }
    };

    // No parameters: the first 100 rows, the exact total from the Delta log.
    let r = ds(vec![]).await;
    assert_eq!(r["resource_id"], code);
    assert_eq!(r["total"], AIR_ROWS);
    assert_eq!(r["total_was_estimated"], false);
    assert_eq!(r["limit"], 100);
    assert_eq!(r["records"].as_array().unwrap().len(), 100);
    assert_eq!(r["records"][0]["_id"], 1);
    assert_eq!(r["records"][99]["_id"], 100);
    let fields: BTreeMap<String, Value> = r["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap().to_string(), f.clone()))
        .collect();
    assert_eq!(r["fields"][0]["id"], "_id");
    assert_eq!(fields["record_id"]["type"], "int");
    assert_eq!(fields["pm25"]["type"], "numeric");
    assert_eq!(fields["monitor_date"]["type"], "date");
    assert_eq!(fields["station"]["type"], "text");
    assert_eq!(fields["aqi"]["info"]["label"], "空气质量指数");
    assert!(fields["aqi"]["info"]["notes"]
        .as_str()
        .unwrap()
        .contains("AQI"));
    assert_eq!(
        r["_links"]["start"],
        format!("/api/3/action/datastore_search?resource_id={code}").as_str()
    );
    assert_eq!(
        r["_links"]["next"],
        format!("/api/3/action/datastore_search?resource_id={code}&offset=100").as_str()
    );
    // Every record is a row of the fixture, as loaded.
    for rec in r["records"].as_array().unwrap() {
        let id = rec["record_id"].as_i64().unwrap();
        assert_row(rec, &rows[(id - 1) as usize]);
    }

    // Unsorted pages cover every row once, across the table's two data files.
    let table = app
        .state
        .lake
        .lake
        .open(open_support::AIR_TABLE)
        .await
        .unwrap();
    assert_eq!(zhengshu_lake::table::stats(&table).unwrap().files, 2);
    let mut seen = Vec::new();
    for offset in [0, 120, 240] {
        let r = ds(vec![
            ("limit", "120".into()),
            ("offset", offset.to_string()),
        ])
        .await;
        assert_eq!(r["total"], AIR_ROWS);
        assert_eq!(r["records"][0]["_id"], offset + 1);
        seen.extend(ids(&r["records"]));
    }
    assert_eq!(seen.len(), AIR_ROWS);
    assert_eq!(
        seen.iter().copied().collect::<BTreeSet<_>>(),
        (1..=AIR_ROWS as i64).collect::<BTreeSet<_>>()
    );
    for far in ["1000", "1000000000000"] {
        let r = ds(vec![("offset", far.into())]).await;
        assert_eq!(r["records"], json!([]));
        assert_eq!(r["total"], AIR_ROWS);
    }
    let r = ds(vec![("offset", "150".into()), ("sort", "aqi desc".into())]).await;
    assert_eq!(r["records"].as_array().unwrap().len(), 100);

    // filters, with paging: total is the exact count of matching rows.
    let longcheng: Vec<&AirRow> = rows.iter().filter(|r| r.station == "龙城监测站").collect();
    let r = ds(vec![
        ("filters", json!({"station": "龙城监测站"}).to_string()),
        ("limit", "25".into()),
        ("offset", "50".into()),
    ])
    .await;
    assert_eq!(r["total"], longcheng.len());
    assert_eq!(r["records"].as_array().unwrap().len(), longcheng.len() - 50);
    assert_eq!(r["filters"], json!({"station": "龙城监测站"}));
    assert!(r["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["station"] == "龙城监测站"));
    assert!(r["_links"]["next"].as_str().unwrap().contains("offset=75"));

    // A list of values is any of them; several fields must all hold.
    let want = rows
        .iter()
        .filter(|r| r.station == "坪地监测站" && (r.level == "优" || r.level == "良"))
        .count();
    let r = ds(vec![(
        "filters",
        json!({"station": "坪地监测站", "level": ["优", "良"]}).to_string(),
    )])
    .await;
    assert_eq!(r["total"], want);
    assert_eq!(r["records"].as_array().unwrap().len(), want);

    // The key column, as a number or as text, and a date.
    for v in [json!(42), json!("42")] {
        let r = ds(vec![("filters", json!({"record_id": v}).to_string())]).await;
        assert_eq!(r["total"], 1);
        assert_row(&r["records"][0], &rows[41]);
    }
    let r = ds(vec![(
        "filters",
        json!({"monitor_date": "2025-01-03"}).to_string(),
    )])
    .await;
    assert_eq!(
        r["total"],
        rows.iter()
            .filter(|r| r.monitor_date == "2025-01-03")
            .count()
    );
    assert_eq!(r["total"], 5);

    // Sort: by AQI descending, ties by the key.
    let mut by_aqi = rows.clone();
    by_aqi.sort_by(|a, b| b.aqi.cmp(&a.aqi).then(a.record_id.cmp(&b.record_id)));
    let r = ds(vec![("sort", "aqi desc".into()), ("limit", "7".into())]).await;
    assert_eq!(
        ids(&r["records"]),
        by_aqi
            .iter()
            .take(7)
            .map(|r| r.record_id)
            .collect::<Vec<_>>()
    );
    let mut by_pm = rows.clone();
    by_pm.sort_by(|a, b| {
        a.pm25
            .total_cmp(&b.pm25)
            .then(a.record_id.cmp(&b.record_id))
    });
    let r = ds(vec![
        ("sort", "pm25 asc, record_id asc".into()),
        ("offset", "10".into()),
        ("limit", "10".into()),
    ])
    .await;
    assert_eq!(
        ids(&r["records"]),
        by_pm[10..20]
            .iter()
            .map(|r| r.record_id)
            .collect::<Vec<_>>()
    );
    assert_eq!(r["records"][0]["_id"], 11);

    // q: any text field contains the text; or a field's text.
    let r = ds(vec![("q", "龙城".into()), ("limit", "0".into())]).await;
    assert_eq!(r["total"], longcheng.len());
    assert_eq!(r["records"], json!([]));
    let polluted = rows.iter().filter(|r| r.level.contains("污染")).count();
    let r = ds(vec![("q", json!({"level": "污染"}).to_string())]).await;
    assert_eq!(r["total"], polluted);
    let r = ds(vec![("q", json!({"aqi": "14"}).to_string())]).await;
    assert_eq!(
        r["total"],
        rows.iter()
            .filter(|r| r.aqi.to_string().contains("14"))
            .count()
    );

    // fields: a list or a comma string; no `_id` unless asked for.
    let r = ds(vec![
        ("fields", "station,aqi".into()),
        ("limit", "3".into()),
    ])
    .await;
    let keys: BTreeSet<&str> = r["records"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["station", "aqi"]));
    assert_eq!(
        r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].clone())
            .collect::<Vec<_>>(),
        vec![json!("station"), json!("aqi")]
    );
    let r = ds(vec![
        ("fields", json!(["_id", "record_id"]).to_string()),
        ("limit", "2".into()),
    ])
    .await;
    assert_eq!(
        r["records"][1],
        json!({"_id": 2, "record_id": r["records"][1]["record_id"]})
    );

    // include_total=false leaves the count out.
    let r = ds(vec![
        ("include_total", "false".into()),
        ("limit", "1".into()),
    ])
    .await;
    assert!(r.get("total").is_none(), "{r}");

    // lists and csv.
    let r = ds(vec![
        ("records_format", "lists".into()),
        ("filters", json!({"record_id": 7}).to_string()),
        ("fields", "record_id,station,aqi".into()),
    ])
    .await;
    assert_eq!(r["records"], json!([[7, rows[6].station, rows[6].aqi]]));
    let r = ds(vec![
        ("records_format", "csv".into()),
        ("filters", json!({"record_id": [7, 8]}).to_string()),
        ("fields", "record_id,level".into()),
        ("sort", "record_id".into()),
    ])
    .await;
    assert_eq!(
        r["records"],
        json!(format!("7,{}\n8,{}\n", rows[6].level, rows[7].level))
    );

    // distinct.
    let r = ds(vec![
        ("distinct", "true".into()),
        ("fields", "station".into()),
        ("sort", "station".into()),
    ])
    .await;
    assert_eq!(r["total"], 5);
    let mut stations: Vec<String> = open_support::STATIONS
        .iter()
        .map(|s| format!("{s}监测站"))
        .collect();
    stations.sort();
    assert_eq!(
        r["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["station"].as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        stations
    );

    // A limit beyond CKAN's cap is cut to it, as CKAN does.
    let r = ds(vec![("limit", "50000".into())]).await;
    assert_eq!(r["limit"], 32000);
    assert_eq!(r["records"].as_array().unwrap().len(), AIR_ROWS);

    // As ckanapi sends it: POST with JSON, filters a dict, the `id` alias.
    let r = ok(&post(
        app,
        "datastore_search",
        json!({"id": code, "filters": {"street": "南湾街道"}, "limit": 5, "offset": 0, "sort": "record_id desc"}),
        None,
    )
    .await);
    let nanwan: Vec<i64> = rows
        .iter()
        .rev()
        .filter(|r| r.street == "南湾街道")
        .map(|r| r.record_id)
        .take(5)
        .collect();
    assert_eq!(ids(&r["records"]), nanwan);
    assert_eq!(
        r["total"],
        rows.iter().filter(|r| r.street == "南湾街道").count()
    );

    // Each data call counts as an API call of the dataset.
    app.state.open.stats.flush(app.db()).await.unwrap();
    let t = zhengshu_open::stats::of_resource(app.db(), w.air.id)
        .await
        .unwrap();
    assert!(t.api_calls >= 20, "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datastore_errors_and_conditional_access() {
    let w = open_support::world().await;
    let app = &w.app;
    let code = w.air.code.as_str();

    // Not found: unknown, not opened, metadata only.
    for id in [
        "999999-9999-9999",
        w.closed.code.as_str(),
        w.libraries.code.as_str(),
    ] {
        err(
            &get(app, "datastore_search", &[("resource_id", id)]).await,
            StatusCode::NOT_FOUND,
            "Not Found Error",
        );
    }
    let e = err(
        &get(app, "datastore_search", &[]).await,
        StatusCode::CONFLICT,
        "Validation Error",
    );
    assert_eq!(e["resource_id"], json!(["Missing value"]));

    // Bad parameters: a Validation Error naming the field.
    let cases: &[(&str, &str, &str)] = &[
        ("filters", r#"{"nope": 1}"#, "filters"),
        ("filters", "{oops", "filters"),
        ("filters", r#"["station"]"#, "filters"),
        ("filters", r#"{"aqi": "high"}"#, "filters"),
        ("filters", r#"{"monitor_date": "yesterday"}"#, "filters"),
        ("filters", r#"{"_id": 3}"#, "filters"),
        ("sort", "nope desc", "sort"),
        ("sort", "aqi sideways", "sort"),
        ("sort", "_id desc", "sort"),
        ("fields", "station,nope", "fields"),
        ("fields", "_id", "fields"),
        ("limit", "-5", "limit"),
        ("offset", "x", "offset"),
        ("offset", "18446744073709551615", "offset"),
        ("include_total", "maybe", "include_total"),
        ("records_format", "xml", "records_format"),
        ("q", r#"{"nope": "x"}"#, "q"),
    ];
    for (k, v, field) in cases {
        let e = err(
            &get(app, "datastore_search", &[("resource_id", code), (k, v)]).await,
            StatusCode::CONFLICT,
            "Validation Error",
        );
        assert!(e[*field].is_array(), "{k}={v}: {e}");
    }
    let e = err(
        &get(
            app,
            "datastore_search",
            &[("resource_id", code), ("filters", r#"{"aqi": "high"}"#)],
        )
        .await,
        StatusCode::CONFLICT,
        "Validation Error",
    );
    assert!(e["filters"][0].as_str().unwrap().contains("aqi"), "{e}");

    // Conditionally opened: anonymous and unapproved callers are refused with 403.
    err(
        &get(app, "datastore_search", &[("resource_id", &w.credit.code)]).await,
        StatusCode::FORBIDDEN,
        "Authorization Error",
    );
    let (_, stranger) = app
        .user_with_token("stranger", &[zhengshu_auth::Role::PublicUser], None)
        .await;
    let r = app
        .call(
            "GET",
            &format!(
                "/api/3/action/datastore_search?resource_id={}",
                w.credit.code
            ),
            Some(&stranger),
            None,
        )
        .await;
    err(&r, StatusCode::FORBIDDEN, "Authorization Error");
    // An approved applicant's app key, sent bare as ckanapi does, or as X-CKAN-API-Key.
    let (_, key) = w.approved_key("researcher").await;
    let r = ok(&post(
        app,
        "datastore_search",
        json!({"resource_id": w.credit.code, "filters": {"grade": "A"}}),
        Some(&key),
    )
    .await);
    let credit = credit_rows();
    assert_eq!(r["total"], credit.iter().filter(|c| c.grade == "A").count());
    let mut codes: Vec<&str> = r["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["credit_code"].as_str().unwrap())
        .collect();
    codes.sort();
    let mut want: Vec<&str> = credit
        .iter()
        .filter(|c| c.grade == "A")
        .map(|c| c.credit_code.as_str())
        .collect();
    want.sort();
    assert_eq!(codes, want);
    let r = app
        .send(
            Request::get(format!(
                "/api/3/action/datastore_search?resource_id={}",
                w.credit.code
            ))
            .header("X-CKAN-API-Key", &key)
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(ok(&r)["total"], CREDIT_ROWS);
    err(
        &post(
            app,
            "datastore_search",
            json!({"resource_id": w.credit.code}),
            Some("zso_not-a-real-key"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "Authorization Error",
    );

    // Over the key's rate: 429 with Retry-After.
    let (_, slow) = w.approved_key("slow").await;
    zhengshu_db::sqlx::query("UPDATE open_keys SET rate_per_minute = 2")
        .execute(app.db().pool())
        .await
        .unwrap();
    let body = json!({"resource_id": code, "limit": 1});
    ok(&post(app, "datastore_search", body.clone(), Some(&slow)).await);
    ok(&post(app, "datastore_search", body.clone(), Some(&slow)).await);
    let r = post(app, "datastore_search", body, Some(&slow)).await;
    err(&r, StatusCode::TOO_MANY_REQUESTS, "Rate Limit Error");
    let retry: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "{retry}");

    // Unknown and write actions; bodies that are not a JSON object.
    let e = err(
        &get(app, "nope_show", &[]).await,
        StatusCode::BAD_REQUEST,
        "Bad Request",
    );
    assert_eq!(
        e["message"],
        "Bad request - Action name not known: nope_show"
    );
    err(
        &post(app, "package_create", json!({"name": "x"}), None).await,
        StatusCode::FORBIDDEN,
        "Authorization Error",
    );
    for body in ["{not json", "[1, 2]"] {
        let r = app
            .send(
                Request::post("/api/3/action/package_search")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        err(&r, StatusCode::BAD_REQUEST, "Bad Request");
    }
    // A form post works like a JSON one.
    let r = app
        .send(
            Request::post("/api/3/action/package_search")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("q={}&rows=1", enc("空气质量"))))
                .unwrap(),
        )
        .await;
    assert_eq!(names(&ok(&r)["results"]), vec![w.air.code.clone()]);
}

// ---------------------------------------------------------------------------------------
// datastore_search_sql
// ---------------------------------------------------------------------------------------

async fn sql(app: &TestApp, sql: &str, auth: Option<&str>) -> TestResponse {
    post(app, "datastore_search_sql", json!({ "sql": sql }), auth).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datastore_search_sql_reads_open_tables_only() {
    let w = open_support::world().await;
    let app = &w.app;
    let rows = air_rows();
    let code = &w.air.code;

    let q = format!(
        "SELECT level, COUNT(*) AS n, MAX(aqi) AS top FROM \"{code}\" GROUP BY level ORDER BY level"
    );
    let r = ok(&sql(app, &q, None).await);
    assert_eq!(r["sql"], q.as_str());
    assert_eq!(
        r["fields"],
        json!([{"id": "level", "type": "text"}, {"id": "n", "type": "int"}, {"id": "top", "type": "int"}])
    );
    let mut want: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for row in &rows {
        let e = want.entry(row.level.clone()).or_insert((0, i64::MIN));
        e.0 += 1;
        e.1 = e.1.max(row.aqi);
    }
    let got: BTreeMap<String, (usize, i64)> = r["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["level"].as_str().unwrap().to_string(),
                (
                    x["n"].as_u64().unwrap() as usize,
                    x["top"].as_i64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(got, want);
    // Through GET too.
    let r = ok(&get(
        app,
        "datastore_search_sql",
        &[(
            "sql",
            &format!("SELECT * FROM \"{code}\" WHERE record_id = 9"),
        )],
    )
    .await);
    assert_row(&r["records"][0], &rows[8]);

    // Writes and anything but one query: Validation Error.
    for bad in [
        format!("INSERT INTO \"{code}\" VALUES (1, 'a', 'b', '2025-01-01', 1, 1.0, '优')"),
        format!("DROP TABLE \"{code}\""),
        format!("DELETE FROM \"{code}\""),
        format!("COPY \"{code}\" TO '/tmp/x.csv'"),
        format!("CREATE TABLE t AS SELECT * FROM \"{code}\""),
        format!("SELECT 1; SELECT * FROM \"{code}\""),
        "SELEC nonsense".to_string(),
    ] {
        let e = err(
            &sql(app, &bad, None).await,
            StatusCode::CONFLICT,
            "Validation Error",
        );
        assert!(e["query"].is_array(), "{bad}: {e}");
    }
    let e = err(
        &post(app, "datastore_search_sql", json!({}), None).await,
        StatusCode::CONFLICT,
        "Validation Error",
    );
    assert_eq!(e["sql"], json!(["Missing value"]));

    // A table that is not opened (by lake name or by code) is not there.
    for closed in [
        format!("SELECT * FROM {}", open_support::CLOSED_TABLE),
        format!("SELECT * FROM \"{}\"", w.closed.code),
        format!("SELECT * FROM {}", open_support::AIR_TABLE),
    ] {
        let r = sql(app, &closed, None).await;
        let e = err(&r, StatusCode::CONFLICT, "Validation Error");
        assert!(!r.text.contains("废水超标"), "{e}");
    }
    let e = err(
        &sql(
            app,
            &format!("SELECT * FROM \"{}\"", w.libraries.code),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        "Validation Error",
    );
    assert!(
        e["sql"][0].as_str().unwrap().contains("metadata only"),
        "{e}"
    );

    // A conditionally opened table: 403 without approval, rows with the key.
    let credit_sql = format!("SELECT COUNT(*) AS n FROM \"{}\"", w.credit.code);
    err(
        &sql(app, &credit_sql, None).await,
        StatusCode::FORBIDDEN,
        "Authorization Error",
    );
    let joined = format!(
        "SELECT a.record_id FROM \"{code}\" a JOIN \"{}\" c ON a.aqi = c.score",
        w.credit.code
    );
    err(
        &sql(app, &joined, None).await,
        StatusCode::FORBIDDEN,
        "Authorization Error",
    );
    let (_, key) = w.approved_key("analyst").await;
    let r = ok(&sql(app, &credit_sql, Some(&key)).await);
    assert_eq!(r["records"][0]["n"], CREDIT_ROWS);
    let r = ok(&sql(app, &joined, Some(&key)).await);
    let scores: BTreeSet<i64> = credit_rows().iter().map(|c| c.score).collect();
    assert_eq!(
        r["records"].as_array().unwrap().len(),
        rows.iter().filter(|r| scores.contains(&r.aqi)).count()
    );
}
