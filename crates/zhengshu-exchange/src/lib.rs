//! 共享交换: how the district's data-application scenarios get the units' data.
//!
//! A scenario registers, asks for data items of catalog resources (optionally narrowed by a
//! row filter), and gets a grant: at once for 无条件共享 after the automatic checks, after
//! the provider unit's review for 有条件共享, never for 不予共享. Its API tokens read what
//! the grants allow through the share API — REST rows or a sandboxed SQL session in which
//! only the granted columns of the granted tables exist, row filters applied and PII masked.
//! Every call and every decision is written to a hash-chained audit log that
//! `zhengshu audit verify` checks.

pub mod audit;
pub mod cache;
mod error;
pub mod http;
pub mod model;
pub mod query;
pub mod rate;
pub mod service;
pub mod store;

pub use error::ExchangeError;
pub use http::{routes, ApiDoc, ROUTE_SPECS};

use std::sync::Arc;

use zhengshu_catalog::CatalogState;
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;
use zhengshu_lake::LakeState;

/// The migrations of this crate (scenarios, requests, grants, tokens, settings, audit log).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "exchange",
    sqlite: zhengshu_db::sqlx::migrate!("migrations/sqlite"),
    postgres: zhengshu_db::sqlx::migrate!("migrations/postgres"),
};

/// What the exchange's handlers and commands need.
#[derive(Clone, Debug)]
pub struct ExchangeState {
    pub db: Db,
    pub clock: SharedClock,
    pub catalog: CatalogState,
    pub lake: LakeState,
    pub audit: audit::AuditLog,
    pub limiter: Arc<rate::RateLimiter>,
    /// Tokens and views the share API looked up a moment ago.
    pub cache: Arc<cache::ShareCache>,
}

impl ExchangeState {
    /// Starts the audit writer (anchored in the lake's object store) and the rate limiter.
    pub async fn new(lake: LakeState) -> Result<ExchangeState, ExchangeError> {
        // Paging cursors are signed with a key kept in the database, so that they survive
        // a restart and work on every server behind a load balancer.
        query::set_cursor_secret(store::cursor_secret(&lake.db).await?.as_bytes());
        let anchor = audit::Anchor::new(&lake.lake);
        let audit = audit::AuditLog::start(lake.db.clone(), lake.clock.clone(), Some(anchor));
        Ok(ExchangeState {
            db: lake.db.clone(),
            clock: lake.clock.clone(),
            catalog: lake.catalog.clone(),
            limiter: Arc::new(rate::RateLimiter::default()),
            cache: Arc::new(cache::ShareCache::default()),
            audit,
            lake,
        })
    }
}

/// Headline figures: share API calls answered, scenarios, active grants.
pub async fn headline(db: &Db) -> Result<Vec<(&'static str, i64)>, ExchangeError> {
    let calls = db
        .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE kind LIKE 'share.%' AND outcome = 'ok'")
        .await?;
    let scenarios = db
        .scalar_i64("SELECT COUNT(*) FROM share_scenarios")
        .await?;
    let grants = db
        .scalar_i64("SELECT COUNT(*) FROM share_grants WHERE revoked_at IS NULL")
        .await?;
    Ok(vec![
        ("sharing_calls", calls),
        ("scenarios", scenarios),
        ("grants", grants),
    ])
}

/// The district's 50 data-application scenarios: (name, purpose).
const DEMO_SCENARIOS: [(&str, &str); 50] = [
    (
        "智慧社区",
        "社区网格化管理，核对辖区企业与人员信息，支撑社区治理与服务",
    ),
    (
        "城市大脑事件中心",
        "汇聚各类事件与主体信息，支撑城市运行监测、预警与联动处置",
    ),
    (
        "企业服务",
        "为辖区企业提供政策精准推送与惠企服务，核验企业登记信息",
    ),
    ("一网统管", "跨部门事件协同处置，核对事件涉及主体的基础信息"),
    ("政策兑现", "惠企政策免申即享，核验申报企业的登记与经营状态"),
    ("信用龙岗", "归集企业信用信息，支撑信用分级分类监管"),
    (
        "安全生产监管",
        "对重点行业企业开展风险分级，支撑执法检查计划",
    ),
    ("消防隐患排查", "结合企业地址与行业信息开展消防隐患排查"),
    ("燃气安全", "核对燃气用户与经营场所信息，开展入户安检"),
    ("食品安全监管", "对餐饮与食品经营企业开展日常监管与抽检"),
    ("校园周边治理", "核查校园周边经营主体，开展综合治理"),
    ("出租屋管理", "核对出租屋及承租人信息，支撑流动人口服务管理"),
    ("就业服务", "匹配企业用工需求与求职人员，开展精准就业服务"),
    ("社保待遇核验", "核验参保人员身份与待遇资格"),
    ("医疗救助", "核对困难群众身份信息，开展医疗救助一站式结算"),
    ("养老服务", "识别高龄与独居老人，提供居家养老与关爱服务"),
    ("残疾人服务", "核对残疾人身份与补贴资格，开展精准帮扶"),
    ("退役军人服务", "核对退役军人身份信息，落实优待政策"),
    ("教育入学", "核验学位申请人的户籍、居住与社保信息"),
    ("住房保障", "核验保障性住房申请家庭的收入与住房信息"),
    ("不动产登记", "核对不动产权利人身份与企业信息"),
    ("市场主体培育", "分析市场主体发展情况，支撑产业政策制定"),
    ("招商引资", "分析产业链企业分布，支撑精准招商"),
    ("统计监测", "开展经济运行监测与统计分析"),
    ("税源管理", "核对企业登记与经营状态，支撑税源分析"),
    ("环境执法", "核对排污单位登记信息，开展环境执法检查"),
    ("水务管理", "核对供排水用户与企业信息"),
    ("交通运输监管", "核对道路运输企业资质与登记信息"),
    ("建筑工地监管", "核对施工企业与项目信息，开展扬尘与安全监管"),
    ("城市更新", "核对更新单元内权利主体信息"),
    ("应急指挥", "突发事件中快速获取涉事主体信息，支撑应急处置"),
    ("防汛防台", "识别重点区域企业与人员，开展转移避险"),
    ("疫情防控", "开展重点人群与场所排查，支撑核酸检测组织"),
    ("12345 热线联动", "热线工单涉及企业的信息核对与转办"),
    ("政务服务一网通办", "办事材料免提交，核验申请人与企业信息"),
    ("自助终端服务", "政务自助终端办事时核验企业与个人信息"),
    ("法律援助", "核验法律援助申请人身份与经济状况"),
    ("劳动监察", "核对用人单位登记信息，处理欠薪投诉"),
    ("知识产权保护", "核对企业主体信息，支撑知识产权执法"),
    ("金融风险防控", "识别高风险企业，开展非法集资风险排查"),
    ("商事登记联动", "登记信息变更后同步推送相关部门"),
    ("街道综合执法", "街道综合执法中核对当事企业信息"),
    ("人口普查辅助", "辅助开展人口与企业单位清查"),
    ("民政婚姻登记", "核验婚姻登记当事人身份信息"),
    ("慈善捐赠管理", "核对慈善组织与捐赠企业信息"),
    ("文化市场监管", "核对文化娱乐经营场所信息"),
    ("旅游服务", "核对旅游企业与住宿经营者信息"),
    ("体育设施管理", "核对体育场馆经营主体信息"),
    ("档案数字化", "核对归档材料中的主体信息"),
    ("5G 基站建设", "核对基站站址所在物业与业主单位信息"),
];

/// The demo's scenarios, spread over the district's units, and a few requests for the
/// demo enterprise register: one granted with a street filter, one waiting for review, one
/// rejected. Returns how many scenarios were made (0 when they exist already).
pub async fn seed_demo(st: &ExchangeState) -> Result<usize, ExchangeError> {
    if !store::scenarios(&st.db, None).await?.is_empty() {
        return Ok(0);
    }
    let units = zhengshu_auth::units::list(&st.db, &Default::default()).await?;
    if units.is_empty() {
        return Ok(0);
    }
    let system = service::ShareActor::system();
    let mut ids = Vec::new();
    for (i, (name, purpose)) in DEMO_SCENARIOS.iter().enumerate() {
        let unit = &units[(i * 7) % units.len()];
        let s = service::register_scenario(
            st,
            &system,
            &model::NewScenario {
                name: (*name).into(),
                unit_id: Some(unit.id),
                purpose: (*purpose).into(),
                legal_basis: "《广东省政务数据资源共享管理办法（试行）》第十三条".into(),
                contact_name: "王工".into(),
                contact_phone: format!("0755-2895{:04}", 1000 + i),
                systems: format!("{name}业务系统"),
            },
        )
        .await?;
        ids.push(s.id);
    }
    if let Some(t) = zhengshu_lake::store::table(&st.db, "enterprises").await? {
        // The demo register was created from a sample as a draft; the bureau publishes it
        // so that it can be shared.
        let sys = zhengshu_catalog::Actor::system();
        let r = zhengshu_catalog::service::get(&st.catalog, Some(&sys), t.resource_id).await?;
        if r.status == zhengshu_catalog::model::Status::Draft {
            zhengshu_catalog::service::submit(&st.catalog, &sys, r.id).await?;
            zhengshu_catalog::service::approve(&st.catalog, &sys, r.id, "演示数据：发布以便共享")
                .await?;
        }
        let ask = |purpose: &str, filter: Vec<model::Condition>| model::NewRequest {
            resource: "enterprises".into(),
            columns: vec![
                "credit_code".into(),
                "name".into(),
                "legal_rep".into(),
                "street".into(),
                "industry".into(),
                "status".into(),
            ],
            raw_columns: vec![],
            row_filter: filter,
            purpose: purpose.into(),
            valid_until: None,
        };
        let street = vec![model::Condition {
            column: "street".into(),
            op: model::Op::In,
            values: vec!["坂田街道".into(), "布吉街道".into()],
        }];
        if let Ok(r) =
            service::request_access(st, &system, ids[0], &ask("社区网格核对辖区企业", street)).await
        {
            let approve = model::Decision {
                action: "approve".into(),
                ..Default::default()
            };
            service::decide(st, &system, r.id, &approve).await?;
        }
        service::request_access(st, &system, ids[2], &ask("惠企政策精准推送", vec![])).await?;
        if let Ok(r) =
            service::request_access(st, &system, ids[22], &ask("产业链招商分析", vec![])).await
        {
            let reject = model::Decision {
                action: "reject".into(),
                reason: "用途与所申请信息项不相称，请改为申请统计汇总数据".into(),
                ..Default::default()
            };
            service::decide(st, &system, r.id, &reject).await?;
        }
    }
    Ok(ids.len())
}
