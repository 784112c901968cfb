//! Issue 7: every transition of the work-order state machine through the service, allowed
//! and refused, with the clock moved for deadlines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/app.rs"]
mod app;

use app::{at, monday, TestApp};
use chrono::Duration;
use zhengshu_db::{parse_ts, ts};
use zhengshu_hotline::deadline::{Span, Warning};
use zhengshu_hotline::service::{DispatchInput, ExtensionInput, OrderFilter};
use zhengshu_hotline::{HotlineError, OrderState, Satisfaction};

fn t(s: &Option<String>) -> chrono::DateTime<chrono::Utc> {
    parse_ts(s.as_deref().unwrap()).unwrap()
}

fn illegal(e: HotlineError) -> String {
    match e {
        HotlineError::IllegalTransition { .. } => e.to_string(),
        other => panic!("expected an illegal transition, got {other:?}"),
    }
}

#[tokio::test]
async fn the_closed_loop_with_deadlines_and_events() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    assert!(
        o.order_no.starts_with("GD20261123") && o.order_no.len() == 14,
        "{}",
        o.order_no
    );
    assert_eq!(o.state, OrderState::Dispatched);
    // Sign within 1 working day, return within 2, complaint within 13.
    assert_eq!(t(&o.sign_due_at), at(2026, 11, 24, 9, 0));
    assert_eq!(t(&o.return_due_at), at(2026, 11, 25, 9, 0));
    assert_eq!(t(&o.due_at), at(2026, 12, 10, 9, 0));

    app.clock.advance(Duration::hours(2));
    let o = app
        .state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Signed);
    assert_eq!(t(&o.signed_at), monday() + Duration::hours(2));
    let o = app
        .state
        .handle(&app.handler.actor, &o.order_no, "已到现场核查")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Handling);
    app.clock.advance(Duration::days(1));
    let o = app
        .state
        .reply(&app.handler.actor, &o.order_no, "已清理占道摊贩并加强巡查")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Closed);
    assert_eq!(o.reply.as_deref(), Some("已清理占道摊贩并加强巡查"));
    // Call-back the working day after closing (Tuesday 11:00 → Wednesday 11:00).
    assert_eq!(t(&o.callback_due_at), at(2026, 11, 25, 11, 0));
    let o = app
        .state
        .call_back(
            &app.operator.actor,
            &o.order_no,
            Satisfaction::Satisfied,
            "",
        )
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::CalledBack);
    assert_eq!(o.satisfaction, Some(Satisfaction::Satisfied));

    let d = app.state.detail(&o.order_no, &[], None).await.unwrap();
    let actions: Vec<&str> = d.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["accept", "dispatch", "sign", "handle", "reply", "call_back"]
    );
    assert!(d
        .events
        .iter()
        .all(|e| !e.actor_name.is_empty() && !e.at.is_empty()));
    assert_eq!(d.events[2].actor_name, "handler 用户");
    assert_eq!(
        d.events[2].unit_name.as_deref(),
        Some("龙岗区城市管理和综合执法局")
    );
    assert_eq!(d.events[4].from_state, Some(OrderState::Handling));
}

#[tokio::test]
async fn refused_transitions_name_the_current_state_and_change_nothing() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let events = app.count("hotline_events").await;
    let e = app
        .state
        .reply(&app.handler.actor, &o.order_no, "x")
        .await
        .unwrap_err();
    assert_eq!(
        illegal(e),
        format!("order {} is 已派单 (dispatched); cannot reply", o.order_no)
    );
    let e = app
        .state
        .call_back(
            &app.operator.actor,
            &o.order_no,
            Satisfaction::Satisfied,
            "",
        )
        .await
        .unwrap_err();
    assert!(illegal(e).contains("cannot call back"));
    let e = app
        .state
        .decide_extension(&app.supervisor.actor, &o.order_no, true, "")
        .await
        .unwrap_err();
    assert!(illegal(e).contains("is 已派单 (dispatched)"));
    let e = app
        .state
        .dispatch(
            &app.operator.actor,
            &o.order_no,
            &DispatchInput {
                lead_unit_id: app.lead(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(illegal(e).contains("cannot dispatch"));
    let e = app
        .state
        .answer_directly(&app.operator.actor, &o.order_no, "答复")
        .await
        .unwrap_err();
    assert!(illegal(e).contains("cannot answer directly"));
    assert_eq!(app.count("hotline_events").await, events);

    app.state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    let e = app
        .state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap_err();
    assert_eq!(
        illegal(e),
        format!("order {} is 已签收 (signed); cannot sign", o.order_no)
    );
    app.state
        .reply(&app.handler.actor, &o.order_no, "已处理")
        .await
        .unwrap();
    for e in [
        app.state
            .sign(&app.handler.actor, &o.order_no)
            .await
            .unwrap_err(),
        app.state
            .handle(&app.handler.actor, &o.order_no, "x")
            .await
            .unwrap_err(),
        app.state
            .return_order(&app.handler.actor, &o.order_no, "x")
            .await
            .unwrap_err(),
        app.state
            .supervise(&app.supervisor.actor, &o.order_no, "x")
            .await
            .unwrap_err(),
        app.state
            .request_extension(
                &app.handler.actor,
                &o.order_no,
                &ExtensionInput {
                    days: 1,
                    reason: "x".into(),
                },
            )
            .await
            .unwrap_err(),
    ] {
        assert!(illegal(e).contains("is 已办结 (closed)"));
    }
    let o = app
        .state
        .call_back(&app.operator.actor, &o.order_no, Satisfaction::Basic, "")
        .await
        .unwrap();
    let e = app
        .state
        .call_back(&app.operator.actor, &o.order_no, Satisfaction::Basic, "")
        .await
        .unwrap_err();
    assert!(illegal(e).contains("is 已回访 (called back)"));
}

#[tokio::test]
async fn only_the_lead_unit_handles_and_only_co_units_add_their_part() {
    let app = TestApp::new().await;
    let mut new = app.new_order(true);
    new.co_unit_ids = vec![app.units[2].id, app.lead()];
    let o = app.state.create(&app.operator.actor, &new).await.unwrap();
    let cos = app
        .state
        .detail(&o.order_no, &[], None)
        .await
        .unwrap()
        .co_units;
    assert_eq!(cos.len(), 1, "the lead unit is not its own co-unit");
    let e = app
        .state
        .sign(&app.other_handler.actor, &o.order_no)
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::NotYours(_)), "{e:?}");
    assert!(e.to_string().contains("龙岗区城市管理和综合执法局"));
    let e = app
        .state
        .co_reply(&app.other_handler.actor, &o.order_no, "x")
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::NotYours(_)));
    let o2 = app
        .state
        .co_reply(
            &app.street_handler.actor,
            &o.order_no,
            "街道执法队已配合清理",
        )
        .await
        .unwrap();
    assert_eq!(o2.state, OrderState::Dispatched);
    let cos = app
        .state
        .detail(&o.order_no, &[], None)
        .await
        .unwrap()
        .co_units;
    assert_eq!(cos[0].part.as_deref(), Some("街道执法队已配合清理"));
    assert!(app
        .state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .is_ok());
}

#[tokio::test]
async fn a_mis_dispatched_order_is_returned_in_time_and_re_dispatched() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let e = app
        .state
        .return_order(&app.handler.actor, &o.order_no, "  ")
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::Invalid { .. }));
    app.clock.advance(Duration::days(1));
    let o = app
        .state
        .return_order(&app.handler.actor, &o.order_no, "属街道职责")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Returned);
    let same = DispatchInput {
        lead_unit_id: app.lead(),
        ..Default::default()
    };
    let e = app
        .state
        .redispatch(&app.operator.actor, &o.order_no, &same)
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::Conflict { .. }), "{e:?}");
    let bad = DispatchInput {
        lead_unit_id: 999_999,
        ..Default::default()
    };
    assert!(matches!(
        app.state
            .redispatch(&app.operator.actor, &o.order_no, &bad)
            .await
            .unwrap_err(),
        HotlineError::Invalid { .. }
    ));
    let to_street = DispatchInput {
        lead_unit_id: app.units[2].id,
        category_code: Some("QT01".into()),
        ..Default::default()
    };
    let o = app
        .state
        .redispatch(&app.operator.actor, &o.order_no, &to_street)
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Dispatched);
    assert_eq!(o.lead_unit_id, Some(app.units[2].id));
    assert_eq!(o.category_code, "QT01");
    // Fresh deadlines from the re-dispatch (Tuesday 09:00 → sign by Wednesday 09:00).
    assert_eq!(t(&o.sign_due_at), at(2026, 11, 25, 9, 0));
    assert!(app
        .state
        .sign(&app.street_handler.actor, &o.order_no)
        .await
        .is_ok());
}

#[tokio::test]
async fn returning_after_the_return_deadline_is_refused() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    app.state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    // Monday 09:00 + 2 working days = Wednesday 09:00; Wednesday 09:01 is too late.
    app.clock.set(at(2026, 11, 25, 9, 1));
    let e = app
        .state
        .return_order(&app.handler.actor, &o.order_no, "不属本单位")
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::Conflict { .. }), "{e:?}");
    assert!(e.to_string().contains("2026-11-25 09:00"), "{e}");
    assert_eq!(
        app.state.get(&o.order_no).await.unwrap().state,
        OrderState::Signed
    );
}

#[tokio::test]
async fn extensions_are_requested_approved_or_refused_within_the_maximum() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let no = o.order_no.clone();
    let ext = |days| ExtensionInput {
        days,
        reason: "需协调多个部门".into(),
    };
    assert!(illegal(
        app.state
            .request_extension(&app.handler.actor, &no, &ext(5))
            .await
            .unwrap_err()
    )
    .contains("cannot request an extension"));
    app.state.sign(&app.handler.actor, &no).await.unwrap();
    let e = app
        .state
        .request_extension(&app.handler.actor, &no, &ext(11))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("1–10"), "{e}");
    let o = app
        .state
        .request_extension(&app.handler.actor, &no, &ext(5))
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::ExtensionPending);
    assert!(illegal(
        app.state
            .request_extension(&app.handler.actor, &no, &ext(1))
            .await
            .unwrap_err()
    )
    .contains("延期审核中"));
    // Handling notes are still allowed while waiting.
    assert_eq!(
        app.state
            .handle(&app.handler.actor, &no, "继续办理")
            .await
            .unwrap()
            .state,
        OrderState::ExtensionPending
    );
    let o = app
        .state
        .decide_extension(&app.supervisor.actor, &no, true, "同意")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Handling);
    assert_eq!(o.extension_days, 5);
    assert_eq!(t(&o.due_at), at(2026, 12, 17, 9, 0));
    let e = app
        .state
        .request_extension(&app.handler.actor, &no, &ext(6))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("1–5") && e.to_string().contains("5 already granted"),
        "{e}"
    );
    app.state
        .request_extension(&app.handler.actor, &no, &ext(3))
        .await
        .unwrap();
    let o = app
        .state
        .decide_extension(&app.supervisor.actor, &no, false, "理由不充分")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Handling);
    assert_eq!(o.extension_days, 5);
    assert_eq!(t(&o.due_at), at(2026, 12, 17, 9, 0));
    let decisions: Vec<Option<String>> = app
        .state
        .detail(&no, &[], None)
        .await
        .unwrap()
        .extensions
        .into_iter()
        .map(|e| e.decision)
        .collect();
    assert_eq!(decisions, [Some("approved".into()), Some("refused".into())]);
    // Replying while an extension waits closes the order.
    app.state
        .request_extension(&app.handler.actor, &no, &ext(2))
        .await
        .unwrap();
    assert_eq!(
        app.state
            .reply(&app.handler.actor, &no, "已办结")
            .await
            .unwrap()
            .state,
        OrderState::Closed
    );
}

#[tokio::test]
async fn warnings_turn_yellow_and_red_as_the_clock_moves() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let warning = |list: zhengshu_hotline::service::OrderList| list.orders[0].warning;
    assert_eq!(
        warning(app.state.list(&OrderFilter::default()).await.unwrap()),
        Warning::None
    );
    // Not signed by Tuesday 09:00: red on the sign deadline.
    app.clock.set(at(2026, 11, 24, 10, 0));
    assert_eq!(
        warning(app.state.list(&OrderFilter::default()).await.unwrap()),
        Warning::Red
    );
    app.state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    assert_eq!(
        warning(app.state.list(&OrderFilter::default()).await.unwrap()),
        Warning::None
    );
    // Due Thursday 10 December 09:00: yellow on the 9th after 09:00, red after the deadline.
    app.clock.set(at(2026, 12, 9, 10, 0));
    assert_eq!(
        warning(app.state.list(&OrderFilter::default()).await.unwrap()),
        Warning::Yellow
    );
    let yellow = OrderFilter {
        warning: Some("yellow".into()),
        ..Default::default()
    };
    assert_eq!(app.state.list(&yellow).await.unwrap().total, 1);
    app.clock.set(at(2026, 12, 10, 9, 30));
    assert_eq!(
        warning(app.state.list(&OrderFilter::default()).await.unwrap()),
        Warning::Red
    );
    let red = OrderFilter {
        warning: Some("red".into()),
        ..Default::default()
    };
    assert_eq!(app.state.list(&red).await.unwrap().total, 1);
    let figures = zhengshu_hotline::headline_at(&app.db, app.state.now())
        .await
        .unwrap();
    assert!(figures.contains(&("hotline_overdue", 1)), "{figures:?}");
    // Late reply: closed, but not on time in the statistics.
    app.state
        .reply(&app.handler.actor, &o.order_no, "已处理")
        .await
        .unwrap();
    let s = zhengshu_hotline::stats::compute(&app.db, &Default::default(), app.state.now())
        .await
        .unwrap();
    assert_eq!((s.total.closed, s.total.on_time), (1, 0));
    assert_eq!(app.state.list(&red).await.unwrap().total, 0);
}

#[tokio::test]
async fn an_unsatisfied_call_back_reopens_the_order_to_the_same_unit() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    app.state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    app.state
        .reply(&app.handler.actor, &o.order_no, "已处理")
        .await
        .unwrap();
    app.clock.advance(Duration::days(1));
    let o = app
        .state
        .call_back(
            &app.operator.actor,
            &o.order_no,
            Satisfaction::Unsatisfied,
            "摊贩又回来了",
        )
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Dispatched);
    assert_eq!(o.reopen_count, 1);
    assert_eq!(o.lead_unit_id, Some(app.lead()));
    assert!(o.closed_at.is_none() && o.signed_at.is_none());
    assert_eq!(t(&o.sign_due_at), at(2026, 11, 25, 9, 0));
    assert!(app
        .state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .is_ok());
    let s = zhengshu_hotline::stats::compute(&app.db, &Default::default(), app.state.now())
        .await
        .unwrap();
    assert_eq!(
        (s.total.closed, s.total.called_back, s.total.unsatisfied),
        (0, 1, 1)
    );
}

#[tokio::test]
async fn duplicates_merge_into_an_open_order() {
    let app = TestApp::new().await;
    let first = app.dispatched().await;
    let dup = app
        .state
        .create(&app.operator.actor, &app.new_order(false))
        .await
        .unwrap();
    assert_eq!(dup.state, OrderState::Accepted);
    let found = app
        .state
        .duplicates(&dup.content, &dup.street, Some(&dup.order_no))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].order_no, first.order_no);
    assert!(found[0].similarity >= 0.99);
    let e = app
        .state
        .merge(&app.operator.actor, &dup.order_no, &dup.order_no)
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::Invalid { .. }));
    let m = app
        .state
        .merge(&app.operator.actor, &dup.order_no, &first.order_no)
        .await
        .unwrap();
    assert_eq!(m.state, OrderState::Merged);
    assert_eq!(m.merged_into.as_deref(), Some(first.order_no.as_str()));
    assert!(illegal(
        app.state
            .dispatch(
                &app.operator.actor,
                &dup.order_no,
                &DispatchInput {
                    lead_unit_id: app.lead(),
                    ..Default::default()
                }
            )
            .await
            .unwrap_err()
    )
    .contains("已并单"));
    let target = app.state.detail(&first.order_no, &[], None).await.unwrap();
    assert!(target
        .events
        .iter()
        .any(|e| e.action == "merge" && e.note.contains(&dup.order_no)));
    // A closed order takes no merges.
    app.state
        .sign(&app.handler.actor, &first.order_no)
        .await
        .unwrap();
    app.state
        .reply(&app.handler.actor, &first.order_no, "已处理")
        .await
        .unwrap();
    let third = app
        .state
        .create(&app.operator.actor, &app.new_order(false))
        .await
        .unwrap();
    let e = app
        .state
        .merge(&app.operator.actor, &third.order_no, &first.order_no)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("merge into an open order"), "{e}");
    let s = zhengshu_hotline::stats::compute(&app.db, &Default::default(), app.state.now())
        .await
        .unwrap();
    assert_eq!(s.total.received, 2, "the merged duplicate is not counted");
}

#[tokio::test]
async fn answered_directly_and_emergencies_counted_in_hours() {
    let app = TestApp::new().await;
    let mut new = app.new_order(false);
    new.appeal_type = "consultation".into();
    let o = app.state.create(&app.operator.actor, &new).await.unwrap();
    let o = app
        .state
        .answer_directly(&app.operator.actor, &o.order_no, "已告知来电人办理流程")
        .await
        .unwrap();
    assert_eq!(o.state, OrderState::Closed);
    assert!(o.lead_unit_id.is_none());
    let e = app
        .state
        .call_back(
            &app.operator.actor,
            &o.order_no,
            Satisfaction::Unsatisfied,
            "",
        )
        .await
        .unwrap_err();
    assert!(matches!(e, HotlineError::Conflict { .. }));
    assert_eq!(
        app.state
            .call_back(
                &app.operator.actor,
                &o.order_no,
                Satisfaction::Satisfied,
                ""
            )
            .await
            .unwrap()
            .state,
        OrderState::CalledBack
    );

    let mut new = app.new_order(true);
    new.urgency = Some("emergency".into());
    let o = app.state.create(&app.operator.actor, &new).await.unwrap();
    assert_eq!(t(&o.due_at), monday() + Duration::hours(2));
    let supervised = app
        .state
        .supervise(&app.supervisor.actor, &o.order_no, "请立即处置")
        .await
        .unwrap();
    assert_eq!(supervised.state, OrderState::Dispatched);
    assert_eq!(
        app.state
            .detail(&o.order_no, &[], None)
            .await
            .unwrap()
            .supervisions
            .len(),
        1
    );
}

#[tokio::test]
async fn edited_deadline_rules_apply_to_new_dispatches() {
    let app = TestApp::new().await;
    zhengshu_hotline::deadline::update_rule(
        &app.db,
        "handle.complaint.normal",
        10,
        Span::WorkingDays,
        app.supervisor.id,
        app.state.now(),
    )
    .await
    .unwrap();
    app.state.clear_config_cache();
    let o = app.dispatched().await;
    assert_eq!(t(&o.due_at), at(2026, 12, 7, 9, 0));
    for (key, amount, span) in [
        ("nope", 3, Span::WorkingDays),
        ("sign", 0, Span::WorkingDays),
        ("sign", 2, Span::Hours),
        ("handle.help.normal", 99, Span::Hours),
    ] {
        let e =
            zhengshu_hotline::deadline::update_rule(&app.db, key, amount, span, 1, app.state.now())
                .await
                .unwrap_err();
        assert!(matches!(e, HotlineError::Invalid { .. }), "{key} {amount}");
    }
}

#[tokio::test]
async fn the_statistics_roll_up_stays_equal_to_a_rebuild() {
    let app = TestApp::new().await;
    let a = app.dispatched().await;
    let b = app.dispatched().await;
    let c = app
        .state
        .create(&app.operator.actor, &app.new_order(false))
        .await
        .unwrap();
    app.state
        .sign(&app.handler.actor, &a.order_no)
        .await
        .unwrap();
    app.state
        .reply(&app.handler.actor, &a.order_no, "已处理")
        .await
        .unwrap();
    app.state
        .call_back(&app.operator.actor, &a.order_no, Satisfaction::Basic, "")
        .await
        .unwrap();
    app.state
        .return_order(&app.handler.actor, &b.order_no, "不属本单位")
        .await
        .unwrap();
    app.state
        .redispatch(
            &app.operator.actor,
            &b.order_no,
            &DispatchInput {
                lead_unit_id: app.units[2].id,
                category_code: Some("QT01".into()),
                appeal_type: Some("help".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.state
        .merge(&app.operator.actor, &c.order_no, &b.order_no)
        .await
        .unwrap();
    let snapshot = || async {
        let rows = sqlx::query_as::<_, (String, String, String, i64, i64, i64, i64, i64, i64, i64)>(
            "SELECT day, dim, key, received, closed, on_time, called_back, satisfied, basic, unsatisfied FROM hotline_stats_daily \
             WHERE received <> 0 OR closed <> 0 OR called_back <> 0 ORDER BY day, dim, key",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        rows
    };
    let incremental = snapshot().await;
    zhengshu_hotline::stats::rebuild(&app.db).await.unwrap();
    assert_eq!(incremental, snapshot().await);
    assert!(incremental
        .iter()
        .any(|r| r.1 == "unit" && r.2 == app.units[2].id.to_string() && r.3 == 1));
    assert_eq!(ts(app.state.now()), ts(monday()));
}
