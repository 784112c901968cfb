//! Issue 7: the demo year of orders, the classifier's held-out accuracy and the
//! anonymised export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/app.rs"]
mod app;

use app::TestApp;
use zhengshu_auth::NewUnit;
use zhengshu_db::ts;

const DISTRICT: &[&str] = &[
    "龙岗区住房和建设局",
    "龙岗区人力资源局",
    "龙岗区教育局",
    "龙岗区卫生健康局",
    "深圳市市场监督管理局龙岗监管局",
    "龙岗区交通运输局",
    "深圳市公安局龙岗分局",
    "深圳市生态环境局龙岗管理局",
    "龙岗区水务局",
    "龙岗区民政局",
    "龙岗区医疗保障局",
];
const STREETS: &[&str] = &[
    "平湖", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "园山", "宝龙", "吉华",
];

#[tokio::test]
async fn a_demo_year_seeds_trains_and_exports_without_personal_data() {
    let app = TestApp::new().await;
    let now = ts(app.state.now());
    for name in DISTRICT.iter().skip(1) {
        zhengshu_auth::units::create(
            &app.db,
            &NewUnit {
                name: name.to_string(),
                level: "district".into(),
                ..Default::default()
            },
            &now,
        )
        .await
        .unwrap();
    }
    for s in STREETS {
        zhengshu_auth::units::create(
            &app.db,
            &NewUnit {
                name: format!("{s}街道办事处"),
                level: "street".into(),
                ..Default::default()
            },
            &now,
        )
        .await
        .unwrap();
    }
    let units = zhengshu_auth::units::list(&app.db, &Default::default())
        .await
        .unwrap();
    let n = zhengshu_hotline::seed_demo(&app.db, &*app.clock, &units, 3000)
        .await
        .unwrap();
    assert_eq!(n, 3000);
    assert_eq!(app.count("hotline_orders").await, 3000);
    assert!(app.count("hotline_events").await > 3 * 3000);
    let open = app.db.scalar_i64("SELECT COUNT(*) FROM hotline_orders WHERE state IN ('accepted','dispatched','signed','handling','extension_pending','returned')").await.unwrap();
    let called_back = app
        .db
        .scalar_i64("SELECT COUNT(*) FROM hotline_orders WHERE state = 'called_back'")
        .await
        .unwrap();
    assert!(open > 0 && open < 300, "open {open}");
    assert!(called_back > 2400, "called back {called_back}");
    let streets = app
        .db
        .scalar_i64("SELECT COUNT(DISTINCT street) FROM hotline_orders")
        .await
        .unwrap();
    assert_eq!(streets, 11);
    // A year back from 2026-11-23: about 38 of 365 days fall in 2025.
    let in_2025 = app
        .db
        .scalar_i64("SELECT COUNT(*) FROM hotline_orders WHERE created_at < '2026-01-01'")
        .await
        .unwrap();
    assert!((200..450).contains(&in_2025), "{in_2025}");
    let s = zhengshu_hotline::stats::compute(&app.db, &Default::default(), app.state.now())
        .await
        .unwrap();
    assert!(
        s.on_time_rate > 0.8 && s.on_time_rate < 0.97,
        "{}",
        s.on_time_rate
    );
    assert!(
        s.satisfaction_rate > 0.85 && s.satisfaction_rate < 1.0,
        "{}",
        s.satisfaction_rate
    );
    assert!(s.overdue_now > 0, "some open orders are overdue");
    assert_eq!(s.by_street.len(), 11);
    // Each unit's orders were matched by name: city management leads the most.
    assert_eq!(s.by_unit[0].label, "龙岗区城市管理和综合执法局");
    assert!(s.by_unit.iter().any(|b| b.label == "龙岗区人力资源局"));

    let report = zhengshu_hotline::evaluate_classifier(&app.db)
        .await
        .unwrap();
    println!("{report}");
    assert!(
        report.tested > 400 && report.trained > 4 * report.tested - 200,
        "{report}"
    );
    assert!(report.category_accuracy > 0.8, "{report}");
    assert!(report.category_model_accuracy > 0.75, "{report}");
    assert!(report.unit_accuracy > 0.6, "{report}");

    let state = zhengshu_hotline::HotlineState::new(app.db.clone(), app.clock.clone())
        .await
        .unwrap();
    let (cat, unit) = state.classify("小区门口拖欠工资三个月，老板跑了");
    assert_eq!(cat.unwrap().value, "RS01");
    assert_eq!(
        zhengshu_auth::units::get(&app.db, unit.unwrap().value)
            .await
            .unwrap()
            .name,
        "龙岗区人力资源局"
    );

    let rows = zhengshu_hotline::anonymised_closed_orders(
        &app.db,
        app.state.now() - chrono::Duration::days(400),
    )
    .await
    .unwrap();
    assert!(rows.len() > 2500);
    let phones: Vec<String> = sqlx::query_scalar(
        "SELECT caller_phone FROM hotline_orders WHERE caller_phone <> '' LIMIT 200",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT caller_name FROM hotline_orders WHERE caller_name <> '' LIMIT 200",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let all = serde_json::to_string(&rows).unwrap();
    assert!(!all.contains("caller"));
    assert!(phones.iter().all(|p| !all.contains(p.as_str())));
    assert!(names.iter().all(|n| !all.contains(&format!("\"{n}\""))));
    assert!(rows.iter().all(|r| r.closed_at.is_some()));

    // A second load continues the daily numbering.
    zhengshu_hotline::demo::seed_orders(
        &app.db,
        &*app.clock,
        &units,
        200,
        zhengshu_hotline::demo::SeedOptions {
            events: false,
            seed: 7,
        },
    )
    .await
    .unwrap();
    assert_eq!(app.count("hotline_orders").await, 3200);
    let o = state
        .create(&app.operator.actor, &app.new_order(true))
        .await
        .unwrap();
    assert!(o.order_no.starts_with("GD20261123"));
}
