//! The lifecycle, versions, visibility and search through the service functions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{app, sample};
use zhengshu_catalog::model::Status;
use zhengshu_catalog::search::{Facet, SearchParams, Viewer};
use zhengshu_catalog::{service, CatalogError};

#[tokio::test]
async fn officer_registers_reviewer_publishes_with_a_version_per_step() {
    let app = app().await;
    let s = &app.state;
    let r = service::create(
        s,
        &app.officer.actor,
        &sample(app.unit_a, "户籍人口信息", "全区户籍人口"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, Status::Draft);
    assert_eq!(r.code, format!("101001-{:04}-0001", app.unit_a));
    assert_eq!(r.items.len(), 3);
    let second = service::create(
        s,
        &app.officer.actor,
        &sample(app.unit_a, "流动人口信息", "流动人口"),
    )
    .await
    .unwrap();
    assert_eq!(second.code, format!("101001-{:04}-0002", app.unit_a));

    let mut edit = sample(app.unit_a, "户籍人口基本信息", "全区户籍人口的基本信息");
    edit.items.pop();
    let r = service::update(s, &app.officer.actor, r.id, &edit)
        .await
        .unwrap();
    assert_eq!(
        r.code,
        format!("101001-{:04}-0001", app.unit_a),
        "the code stays"
    );
    let r = service::submit(s, &app.officer.actor, r.id).await.unwrap();
    assert_eq!(r.status, Status::Submitted);
    assert!(matches!(
        service::update(s, &app.officer.actor, r.id, &edit).await,
        Err(CatalogError::Conflict(_))
    ));

    let queue = service::review_queue(s, 10).await.unwrap();
    assert_eq!(queue.iter().map(|q| q.id).collect::<Vec<_>>(), [r.id]);
    let r = service::approve(s, &app.reviewer.actor, r.id, "同意")
        .await
        .unwrap();
    assert_eq!(r.status, Status::Published);
    assert_eq!(r.publish_date.as_deref(), Some("2026-03-02"));
    assert_eq!(r.review_comment, "同意");

    let versions = service::versions(s, &app.reader.actor, r.id).await.unwrap();
    let actions: Vec<&str> = versions.iter().map(|v| v.action.as_str()).collect();
    assert_eq!(actions, ["create", "update", "submit", "approve"]);
    assert_eq!(versions.last().unwrap().actor_name, "reviewer 用户");
    let update = &versions[1];
    let fields: Vec<&str> = update.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["items.csrq", "name", "summary"]);
    assert_eq!(update.changes[1].before.as_deref(), Some("户籍人口信息"));
    assert_eq!(update.changes[1].after.as_deref(), Some("户籍人口基本信息"));
    assert_eq!(
        versions[3]
            .changes
            .iter()
            .find(|c| c.field == "status")
            .unwrap()
            .after
            .as_deref(),
        Some("已发布")
    );
}

#[tokio::test]
async fn return_needs_a_comment_and_goes_back_to_the_provider() {
    let app = app().await;
    let s = &app.state;
    let r = service::create(
        s,
        &app.officer.actor,
        &sample(app.unit_a, "低保对象", "低保"),
    )
    .await
    .unwrap();
    assert!(matches!(
        service::approve(s, &app.reviewer.actor, r.id, "").await,
        Err(CatalogError::Conflict(_))
    ));
    service::submit(s, &app.officer.actor, r.id).await.unwrap();
    assert!(matches!(
        service::return_for_changes(s, &app.reviewer.actor, r.id, " ").await,
        Err(CatalogError::Invalid(_))
    ));
    assert!(matches!(
        service::approve(s, &app.officer.actor, r.id, "").await,
        Err(CatalogError::Forbidden(_))
    ));
    let r = service::return_for_changes(s, &app.reviewer.actor, r.id, "摘要太短")
        .await
        .unwrap();
    assert_eq!(
        (r.status, r.review_comment.as_str()),
        (Status::Returned, "摘要太短")
    );
    let r = service::update(
        s,
        &app.officer.actor,
        r.id,
        &sample(app.unit_a, "低保对象", "享受最低生活保障的对象名单"),
    )
    .await
    .unwrap();
    service::submit(s, &app.officer.actor, r.id).await.unwrap();
    let r = service::approve(s, &app.reviewer.actor, r.id, "")
        .await
        .unwrap();
    assert_eq!(r.status, Status::Published);
    assert!(matches!(
        service::deprecate(s, &app.officer.actor, r.id, "").await,
        Err(CatalogError::Invalid(_))
    ));
    let r = service::deprecate(s, &app.officer.actor, r.id, "已合并")
        .await
        .unwrap();
    assert_eq!(r.status, Status::Deprecated);
}

#[tokio::test]
async fn a_reviewer_cannot_approve_their_own_submission() {
    let app = app().await;
    let s = &app.state;
    let mut sys = app.reviewer.actor.clone();
    sys.can_write = true;
    let r = service::create(s, &sys, &sample(app.unit_a, "自建资源", "审核员自己提交"))
        .await
        .unwrap();
    service::submit(s, &sys, r.id).await.unwrap();
    assert!(matches!(
        service::approve(s, &app.reviewer.actor, r.id, "").await,
        Err(CatalogError::Forbidden(_))
    ));
    assert_eq!(
        service::approve(s, &app.reviewer2.actor, r.id, "")
            .await
            .unwrap()
            .status,
        Status::Published
    );
}

#[tokio::test]
async fn units_only_touch_their_own_drafts_and_drafts_stay_hidden() {
    let app = app().await;
    let s = &app.state;
    let err = service::create(
        s,
        &app.officer.actor,
        &sample(app.unit_b, "他人资源", "别的单位"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CatalogError::Forbidden(_)), "{err}");
    let mut bad = sample(app.unit_a, "x", "y");
    bad.provider_unit_id = Some(999);
    let mut sys = app.reviewer.actor.clone();
    sys.can_write = true;
    assert!(matches!(
        service::create(s, &sys, &bad).await,
        Err(CatalogError::Invalid(_))
    ));
    let r = service::create(
        s,
        &app.officer.actor,
        &sample(app.unit_a, "草稿资源", "未发布"),
    )
    .await
    .unwrap();
    assert!(matches!(
        service::get(s, Some(&app.officer_b.actor), r.id).await,
        Err(CatalogError::NotFound(_))
    ));
    assert!(matches!(
        service::get(s, None, r.id).await,
        Err(CatalogError::NotFound(_))
    ));
    assert!(matches!(
        service::submit(s, &app.officer_b.actor, r.id).await,
        Err(CatalogError::NotFound(_))
    ));
    assert!(service::get(s, Some(&app.reviewer.actor), r.id)
        .await
        .is_ok());
    assert_eq!(app.count("catalog_resources").await, 1);
}

#[tokio::test]
async fn duplicate_and_malformed_codes_are_refused() {
    let app = app().await;
    let s = &app.state;
    let mut a = sample(app.unit_a, "甲", "甲");
    a.code = Some(format!("101001-{:04}-0007", app.unit_a));
    let r = service::create(s, &app.officer.actor, &a).await.unwrap();
    assert_eq!(r.code, format!("101001-{:04}-0007", app.unit_a));
    let err = service::create(s, &app.officer.actor, &a)
        .await
        .unwrap_err();
    assert!(matches!(err, CatalogError::DuplicateCode(_)), "{err}");
    let next = service::create(s, &app.officer.actor, &sample(app.unit_a, "乙", "乙"))
        .await
        .unwrap();
    assert_eq!(next.code, format!("101001-{:04}-0008", app.unit_a));
    a.code = Some("abc".into());
    assert!(matches!(
        service::create(s, &app.officer.actor, &a).await,
        Err(CatalogError::Invalid(_))
    ));
    assert_eq!(app.count("catalog_resources").await, 2);
}

async fn publish(app: &support::App, name: &str, summary: &str) -> i64 {
    let s = &app.state;
    let r = service::create(s, &app.officer.actor, &sample(app.unit_a, name, summary))
        .await
        .unwrap();
    service::submit(s, &app.officer.actor, r.id).await.unwrap();
    service::approve(s, &app.reviewer.actor, r.id, "")
        .await
        .unwrap();
    r.id
}

fn q(text: &str) -> SearchParams {
    SearchParams {
        q: text.into(),
        limit: 20,
        ..Default::default()
    }
}

#[tokio::test]
async fn search_finds_simplified_in_traditional_and_pinyin_annotated_text() {
    let app = app().await;
    let trad = publish(&app, "政務數據共享", "推進大數據平臺建設").await;
    let pinyin = publish(&app, "城市運行", "大數(shù)據(jù)賦能城市治理").await;
    let other = publish(&app, "户籍人口", "人口基本信息").await;
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("大数据"), false)
        .await
        .unwrap();
    let mut ids: Vec<i64> = hits.resources.iter().map(|r| r.id).collect();
    ids.sort();
    assert_eq!(ids, [trad, pinyin]);
    assert_eq!(hits.total, 2);
    // Partial words and the other direction (every resource's provider, 区政务服务数据管理局,
    // holds 数据, so 大數 is the partial word that tells them apart).
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("大數"), false)
        .await
        .unwrap();
    assert_eq!(hits.total, 2);
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("數據"), false)
        .await
        .unwrap();
    assert_eq!(hits.total, 3);
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("城市治"), false)
        .await
        .unwrap();
    assert_eq!(
        hits.resources.iter().map(|r| r.id).collect::<Vec<_>>(),
        [pinyin]
    );
    // Every sample has the keyword 人口; the one whose name says it ranks first.
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("人口"), false)
        .await
        .unwrap();
    assert_eq!((hits.total, hits.resources[0].id), (3, other));
    // Data item labels are searchable too.
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("出生日期"), false)
        .await
        .unwrap();
    assert_eq!(hits.total, 3);
}

#[tokio::test]
async fn facets_count_and_filter_and_visibility_applies() {
    let app = app().await;
    let s = &app.state;
    publish(&app, "甲资源", "数据").await;
    publish(&app, "乙资源", "数据").await;
    let mut closed = sample(app.unit_a, "丙资源", "数据");
    closed.open_type = "不予开放".into();
    closed.open_basis = "涉及个人隐私".into();
    closed.security_grade = "重要".into();
    let c = service::create(s, &app.officer.actor, &closed)
        .await
        .unwrap();
    service::submit(s, &app.officer.actor, c.id).await.unwrap();
    service::approve(s, &app.reviewer.actor, c.id, "")
        .await
        .unwrap();
    service::create(s, &app.officer.actor, &sample(app.unit_a, "丁草稿", "数据"))
        .await
        .unwrap();

    let public = zhengshu_catalog::search(s, Viewer::Public, &q("数据"), false)
        .await
        .unwrap();
    assert_eq!(public.total, 2, "not-open and draft entries are not public");
    let staff = zhengshu_catalog::search(s, app.reader.actor.viewer(), &q("数据"), false)
        .await
        .unwrap();
    assert_eq!(staff.total, 3);
    let own = zhengshu_catalog::search(s, app.officer.actor.viewer(), &q("数据"), false)
        .await
        .unwrap();
    assert_eq!(own.total, 4);
    let grade = own
        .facets
        .iter()
        .find(|f| f.facet == Facet::SecurityGrade)
        .unwrap();
    let counts: Vec<(&str, u64)> = grade
        .values
        .iter()
        .map(|v| (v.label.as_str(), v.count))
        .collect();
    assert_eq!(counts, [("一般", 3), ("重要", 1)]);
    let unit = own.facets.iter().find(|f| f.facet == Facet::Unit).unwrap();
    assert_eq!(unit.values[0].label, "区政务服务数据管理局");

    let mut filtered = q("");
    filtered.filters = vec![(Facet::SecurityGrade, vec!["important".into()])];
    let hits = zhengshu_catalog::search(s, app.officer.actor.viewer(), &filtered, false)
        .await
        .unwrap();
    assert_eq!(
        hits.resources
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["丙资源"]
    );

    let mut by_name = q("");
    by_name.sort = zhengshu_catalog::Sort::Name;
    let hits = zhengshu_catalog::search(s, app.officer.actor.viewer(), &by_name, false)
        .await
        .unwrap();
    let names: Vec<&str> = hits.resources.iter().map(|r| r.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[tokio::test]
async fn a_second_instance_catches_up_through_the_change_sequence() {
    let app = app().await;
    let other = zhengshu_catalog::CatalogState::new(app.tdb.db.clone(), app.clock.clone(), None)
        .await
        .unwrap();
    let id = publish(&app, "第二实例", "同步测试").await;
    assert_eq!(other.index.num_docs(), 0);
    let applied = zhengshu_catalog::sync_index(&other).await.unwrap();
    assert_eq!(applied, 1);
    let hits = zhengshu_catalog::search(&other, Viewer::Public, &q("同步"), false)
        .await
        .unwrap();
    assert_eq!(
        hits.resources.iter().map(|r| r.id).collect::<Vec<_>>(),
        [id]
    );
    assert_eq!(
        other.index.last_seq(),
        app.state.index.last_seq().max(other.index.last_seq())
    );
    // A rebuild marker makes every instance rebuild.
    zhengshu_catalog::request_reindex(&app.tdb.db, zhengshu_core::Clock::now(&*app.clock))
        .await
        .unwrap();
    assert_eq!(zhengshu_catalog::sync_index(&other).await.unwrap(), 1);
    assert_eq!(zhengshu_catalog::reindex(&app.state).await.unwrap(), 1);
}

#[tokio::test]
async fn an_on_disk_index_resumes_from_its_sequence() {
    let app = app().await;
    let dir = tempfile::tempdir().unwrap();
    let id = publish(&app, "磁盘索引", "持久化").await;
    {
        let s = zhengshu_catalog::CatalogState::new(
            app.tdb.db.clone(),
            app.clock.clone(),
            Some(dir.path().into()),
        )
        .await
        .unwrap();
        assert_eq!(s.index.num_docs(), 1);
    }
    publish(&app, "磁盘索引二", "持久化").await;
    let s = zhengshu_catalog::CatalogState::new(
        app.tdb.db.clone(),
        app.clock.clone(),
        Some(dir.path().into()),
    )
    .await
    .unwrap();
    assert_eq!(s.index.num_docs(), 2);
    let hits = zhengshu_catalog::search(&s, Viewer::Public, &q("磁盘索引"), false)
        .await
        .unwrap();
    assert!(hits.resources.iter().any(|r| r.id == id));
}

#[tokio::test]
async fn demo_resources_are_published_directly_by_the_system() {
    let app = app().await;
    let r = zhengshu_catalog::create_demo_resource(
        &app.state,
        &sample(app.unit_b, "示范资源", "演示数据"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, Status::Published);
    let ids = zhengshu_catalog::create_demo_resources(
        &app.state,
        &[
            sample(app.unit_a, "甲", "演示"),
            sample(app.unit_a, "乙", "演示"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(ids.len(), 2);
    let versions = service::versions(&app.state, &app.reader.actor, r.id)
        .await
        .unwrap();
    assert_eq!(
        (
            versions.len(),
            versions[0].actor_name.as_str(),
            versions[0].action.as_str()
        ),
        (1, "系统", "publish")
    );
    let hits = zhengshu_catalog::search(&app.state, Viewer::Public, &q("演示"), false)
        .await
        .unwrap();
    assert_eq!(hits.total, 3);
    let headline = zhengshu_catalog::headline(&app.tdb.db).await.unwrap();
    assert_eq!(headline[1], ("catalog_published", 3));
    let bad = sample(app.unit_a, "", "");
    assert!(matches!(
        zhengshu_catalog::create_demo_resources(&app.state, &[sample(app.unit_a, "丙", "x"), bad])
            .await,
        Err(CatalogError::Invalid(_))
    ));
    assert_eq!(
        app.count("catalog_resources").await,
        3,
        "nothing half-written"
    );
}

#[tokio::test]
async fn the_cli_reindex_rebuilds_a_free_index_or_asks_the_running_server() {
    let app = app().await;
    let dir = tempfile::tempdir().unwrap();
    publish(&app, "命令行重建", "索引").await;
    let server = zhengshu_catalog::CatalogState::new(
        app.tdb.db.clone(),
        app.clock.clone(),
        Some(dir.path().into()),
    )
    .await
    .unwrap();
    let outcome =
        zhengshu_catalog::reindex_command(&app.tdb.db, app.clock.clone(), Some(dir.path().into()))
            .await
            .unwrap();
    assert!(
        matches!(outcome, zhengshu_catalog::ReindexOutcome::Requested(_)),
        "{outcome:?}"
    );
    assert_eq!(
        zhengshu_catalog::sync_index(&server).await.unwrap(),
        1,
        "the running server rebuilds"
    );
    drop(server);
    let outcome =
        zhengshu_catalog::reindex_command(&app.tdb.db, app.clock.clone(), Some(dir.path().into()))
            .await
            .unwrap();
    assert_eq!(outcome, zhengshu_catalog::ReindexOutcome::Rebuilt(1));
}
