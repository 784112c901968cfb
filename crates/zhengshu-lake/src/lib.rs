//! 数据湖: each catalog resource that holds data gets a Delta Lake table in the lake.
//! Data officers connect resources, load files, pushed rows or pulls from their unit's
//! database into them; quality rules decide which rows are quarantined; staff query every
//! table with SQL (DataFusion), with time travel and masked views; maintenance compacts
//! (clustered by the key) and vacuums.
//!
//! See `docs/architecture.md` for the pipeline and `docs/lake-cost-model.md` for sizing.

pub mod coerce;
mod error;
pub mod group_codes;
pub mod http;
pub mod infer;
pub mod ingest;
pub mod keyset;
pub mod maintain;
pub mod pull;
pub mod read;
pub mod rules;
pub mod seen;
pub mod sql;
pub mod store;
pub mod table;

/// The delta-rs (with DataFusion and Arrow) this crate is built on, for modules that query
/// the lake.
pub use deltalake;
pub use error::LakeError;
pub use http::{routes, ApiDoc, ROUTE_SPECS};
pub use ingest::{ingest, Mode, Options, Progress, Report};
pub use table::Lake;

use std::collections::HashMap;
use std::sync::Arc;

use zhengshu_catalog::{Actor, CatalogState, NewDataItem, NewResource, Resource};
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;

use crate::coerce::Transform;
use crate::rules::Rule;
use crate::store::Connected;

/// The migrations of this crate (connected tables, rules, jobs, quarantine, pulls).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "lake",
    sqlite: zhengshu_db::sqlx::migrate!("migrations/sqlite"),
    postgres: zhengshu_db::sqlx::migrate!("migrations/postgres"),
};

/// What the lake's handlers and commands need.
#[derive(Clone, Debug)]
pub struct LakeState {
    pub db: Db,
    pub clock: SharedClock,
    pub catalog: CatalogState,
    pub lake: Arc<Lake>,
}

impl LakeState {
    /// Opens the lake at `lake_url` and marks jobs whose process died as failed (or as
    /// succeeded when the Delta log holds their batch).
    pub async fn new(catalog: CatalogState, lake_url: &str) -> Result<LakeState, LakeError> {
        let state = LakeState {
            db: catalog.db.clone(),
            clock: catalog.clock.clone(),
            lake: Arc::new(Lake::new(lake_url)?),
            catalog,
        };
        maintain::recover_stale_jobs(&state).await?;
        Ok(state)
    }
}

/// A connected table with everything an ingest needs.
#[derive(Debug, Clone)]
pub struct Target {
    pub table: String,
    pub resource: Resource,
    pub key: String,
    pub transforms: HashMap<String, Vec<Transform>>,
    pub rules: Vec<Rule>,
}

/// Loads a connected table's resource, settings and rules.
pub async fn target(state: &LakeState, table: &str) -> Result<Target, LakeError> {
    let c = store::table(&state.db, table)
        .await?
        .ok_or_else(|| LakeError::NotFound(format!("lake table `{table}`")))?;
    let resource =
        zhengshu_catalog::service::get(&state.catalog, Some(&Actor::system()), c.resource_id)
            .await?;
    Ok(Target {
        table: c.table_name,
        resource,
        key: c.key_column,
        transforms: c.transforms,
        rules: store::rules(&state.db, table).await?,
    })
}

/// Whether `actor` may load data into and manage a resource's table: data officers of the
/// owning unit, and platform staff who review the catalog.
pub fn can_manage(actor: &Actor, r: &Resource) -> bool {
    actor.can_review || (actor.can_write && actor.unit_id == Some(r.provider_unit_id))
}

/// Connects a catalog resource to the lake: records the table and creates it empty.
pub async fn connect(
    state: &LakeState,
    actor: &Actor,
    resource_id: i64,
    table_name: &str,
    key_column: &str,
) -> Result<Connected, LakeError> {
    let r = zhengshu_catalog::service::get(&state.catalog, Some(actor), resource_id).await?;
    if !can_manage(actor, &r) {
        return Err(LakeError::Forbidden(format!(
            "resource {} belongs to another unit; its own data officers connect it",
            r.code
        )));
    }
    if !table::is_valid_table_name(table_name) {
        return Err(LakeError::invalid(
            "table",
            format!("`{table_name}` is not a table name: lower-case letters, digits and _, starting with a letter, at most 63"),
        ));
    }
    if r.items.is_empty() {
        return Err(LakeError::invalid(
            "items",
            format!(
                "resource {} has no data items; declare its columns first",
                r.code
            ),
        ));
    }
    if !key_column.is_empty() && !r.items.iter().any(|i| i.name == key_column) {
        return Err(LakeError::invalid(
            "key",
            format!("`{key_column}` is not a data item of {}", r.code),
        ));
    }
    if let Some(c) = store::table_of_resource(&state.db, resource_id).await? {
        return Err(LakeError::Conflict(format!(
            "resource {} is already connected as table `{}`",
            r.code, c.table_name
        )));
    }
    let c = Connected {
        resource_id,
        table_name: table_name.into(),
        key_column: key_column.into(),
        transforms: HashMap::new(),
        created_at: zhengshu_db::ts(state.clock.now()),
    };
    store::insert_table(&state.db, &c, actor.user_id).await?;
    if let Err(e) = state.lake.create(table_name, &r.name, &r.items).await {
        sqlx::query("DELETE FROM lake_tables WHERE table_name = $1")
            .bind(table_name)
            .execute(state.db.pool())
            .await?;
        return Err(e);
    }
    Ok(c)
}

/// Sets a table's key column and per-column standardisation (both replace what was set),
/// after checking that every column named is one of its data items. The next batch uses them.
pub async fn set_settings(
    state: &LakeState,
    table: &str,
    key_column: &str,
    transforms: &HashMap<String, Vec<Transform>>,
) -> Result<Connected, LakeError> {
    let t = target(state, table).await?;
    let named = transforms.keys().map(|c| ("transforms", c.as_str()));
    let key = std::iter::once(("key_column", key_column)).filter(|(_, k)| !k.is_empty());
    for (field, col) in named.chain(key) {
        if !t.resource.items.iter().any(|i| i.name == col) {
            return Err(LakeError::invalid(
                field,
                format!("`{col}` is not a data item of `{table}`"),
            ));
        }
    }
    store::update_table_settings(&state.db, table, key_column, transforms).await?;
    store::table(&state.db, table)
        .await?
        .ok_or_else(|| LakeError::NotFound(format!("lake table `{table}`")))
}

/// Adds a rule after checking it against the column's type.
pub async fn add_rule(state: &LakeState, table: &str, rule: Rule) -> Result<Rule, LakeError> {
    let t = target(state, table).await?;
    let item = t
        .resource
        .items
        .iter()
        .find(|i| i.name == rule.column)
        .ok_or_else(|| {
            LakeError::invalid(
                "column",
                format!(
                    "`{}` is not a data item of `{table}`; columns: {}",
                    rule.column,
                    t.resource
                        .items
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    if let rules::RuleKind::Reference { table: rt, column } = &rule.kind {
        let other = target(state, rt).await.map_err(|_| {
            LakeError::invalid(
                "table",
                format!("reference rule: lake table `{rt}` does not exist"),
            )
        })?;
        if !other.resource.items.iter().any(|i| &i.name == column) {
            return Err(LakeError::invalid(
                "column",
                format!("reference rule: `{rt}` has no column `{column}`"),
            ));
        }
    }
    rules::Compiled::new(
        rule.clone(),
        item.data_type,
        state.clock.now().date_naive(),
        None,
    )?;
    let now = zhengshu_db::ts(state.clock.now());
    let id = store::add_rule(&state.db, table, &rule, &now).await?;
    Ok(Rule { id, ..rule })
}

/// The settings a data officer proposes for a new resource made from a sample file.
#[derive(Debug, Clone)]
pub struct NewFromSample {
    pub unit_id: i64,
    pub name: String,
    pub table: String,
    pub key: String,
    pub items: Vec<infer::ProposedItem>,
    /// 更新周期 (code or label); blank = 每月.
    pub update_cycle: String,
    /// The sample's file name, for the summary.
    pub file_name: String,
}

/// Registers a draft catalog resource with the proposed data items and connects it.
/// The catalog's own rules apply (names, types, PII kinds); the officer completes the
/// entry (sharing and opening conditions, classification) before submitting it.
pub async fn create_from_sample(
    state: &LakeState,
    actor: &Actor,
    new: &NewFromSample,
) -> Result<(Resource, Connected), LakeError> {
    let resource = NewResource {
        name: new.name.clone(),
        summary: format!(
            "{}：由样例文件 {} 建立的数据资源，信息项由平台根据全部样例数据推断，待数据专员完善。",
            new.name, new.file_name
        ),
        classification: "301001".into(),
        provider_unit_id: Some(new.unit_id),
        format: "数据库".into(),
        sharing_type: "有条件共享".into(),
        sharing_conditions: "按需申请，经提供单位审核后共享".into(),
        share_method: "接口".into(),
        open_type: "不予开放".into(),
        open_basis: "尚未完成开放评估".into(),
        update_cycle: if new.update_cycle.trim().is_empty() {
            "每月".into()
        } else {
            new.update_cycle.clone()
        },
        security_grade: "一般".into(),
        items: new
            .items
            .iter()
            .map(|p| NewDataItem {
                name: p.name.clone(),
                label: p.label.clone(),
                data_type: p.data_type.as_str().into(),
                length: None,
                description: if p.examples.is_empty() {
                    String::new()
                } else {
                    format!("示例：{}", p.examples.join("、"))
                },
                pii_kind: p.pii_kind.as_str().into(),
            })
            .collect(),
        ..NewResource::default()
    };
    let r = zhengshu_catalog::service::create(&state.catalog, actor, &resource).await?;
    let c = connect(state, actor, r.id, &new.table, &new.key).await?;
    Ok((r, c))
}

/// Reads a whole sample and proposes its data items (types over every row, labels from
/// the header, PII kinds from the content). Returns the items and the rows read.
pub fn propose(
    mut source: Box<dyn read::RowSource>,
) -> Result<(Vec<infer::ProposedItem>, u64, String), LakeError> {
    let mut inf = infer::Inferrer::new(source.header());
    while let Some(chunk) = source.next_chunk()? {
        for r in 0..chunk.len() {
            inf.observe(&chunk.fields(r));
        }
    }
    let rows = inf.rows();
    Ok((inf.finish(), rows, source.detected()))
}

/// The dashboard figures of the lake: tables and records.
pub async fn headline(state: &LakeState) -> Result<Vec<(&'static str, i64)>, LakeError> {
    let tables = store::tables(&state.db).await?;
    let mut rows = 0;
    for t in &tables {
        if let Ok(d) = state.lake.open(&t.table_name).await {
            rows += table::stats(&d).map(|s| s.rows).unwrap_or(0);
        }
    }
    Ok(vec![
        ("lake_tables", tables.len() as i64),
        ("lake_records", rows),
    ])
}

/// Demo data for the lake: the market-supervision unit's enterprise register (`rows`
/// synthetic rows with valid credit codes and resident IDs, about 0.5 % defective) loaded
/// through the real pipeline with its quality rules. Does nothing when the table exists.
pub async fn seed_demo(
    state: &LakeState,
    unit_id: i64,
    rows: usize,
) -> Result<Option<Report>, LakeError> {
    if store::table(&state.db, "enterprises").await?.is_some() {
        return Ok(None);
    }
    const STREETS: [&str; 11] = [
        "平湖街道",
        "坂田街道",
        "布吉街道",
        "南湾街道",
        "横岗街道",
        "龙城街道",
        "龙岗街道",
        "坪地街道",
        "园山街道",
        "宝龙街道",
        "吉华街道",
    ];
    const INDUSTRIES: [&str; 6] = [
        "批发和零售业",
        "制造业",
        "信息传输、软件和信息技术服务业",
        "租赁和商务服务业",
        "住宿和餐饮业",
        "建筑业",
    ];
    const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    let mut csv = String::from("统一社会信用代码,企业名称,法定代表人,身份证号,联系电话,街道,所属行业,注册资本（万元）,成立日期,登记状态\n");
    for i in 0..rows {
        let h = (i as u64).wrapping_mul(2654435761) % 1_000_000_000;
        let cc17 = format!("91440307{h:09}");
        let cc = format!(
            "{cc17}{}",
            zhengshu_core::credit_code_check_char(&cc17).unwrap_or('0')
        );
        let id17 = format!(
            "4403071{}{:02}{:02}{:03}",
            960 + i % 40,
            1 + i % 12,
            1 + i % 28,
            i % 1000
        );
        let mut id = format!(
            "{id17}{}",
            zhengshu_core::resident_id_check_char(&id17).unwrap_or('0')
        );
        if i % 211 == 7 {
            id.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
        }
        let name = if i % 401 == 3 {
            String::new()
        } else {
            format!("深圳市{}{}科技有限公司", SURNAMES[i % 10], i)
        };
        let date = if i % 1999 == 5 {
            "待补录".to_string()
        } else {
            format!("{}年{}月{}日", 2000 + i % 26, 1 + i % 12, 1 + i % 28)
        };
        csv.push_str(&format!(
            "{cc},{name},{}{},{id},13{:09},{},{},\"{},{:03}.{:02}\",{date},{}\n",
            SURNAMES[(i / 10) % 10],
            ["伟", "芳", "娜", "敏", "静"][i % 5],
            (i as u64 * 7919) % 1_000_000_000,
            STREETS[i % STREETS.len()],
            INDUSTRIES[(i / 3) % INDUSTRIES.len()],
            1 + i % 900,
            i % 1000,
            (i * 7) % 100,
            ["存续", "在业", "吊销", "注销"][i % 4],
        ));
    }
    let mut f = tempfile::NamedTempFile::new().map_err(|e| LakeError::Storage(e.to_string()))?;
    std::io::Write::write_all(&mut f, csv.as_bytes())
        .map_err(|e| LakeError::Storage(e.to_string()))?;
    let path = f.path().to_path_buf();
    let open =
        |p: &std::path::Path| read::open_file(p, Some(read::Format::Csv), read::Limits::default());
    let (items, _, _) = propose(open(&path)?)?;
    create_from_sample(
        state,
        &Actor::system(),
        &NewFromSample {
            unit_id,
            name: "企业登记信息".into(),
            table: "enterprises".into(),
            key: "credit_code".into(),
            items,
            update_cycle: "每日".into(),
            file_name: "enterprises.csv".into(),
        },
    )
    .await?;
    for (column, kind) in [
        ("credit_code", rules::RuleKind::CreditCode),
        ("id_number", rules::RuleKind::ResidentId),
        ("name", rules::RuleKind::NotNull),
        ("phone", rules::RuleKind::Mobile),
    ] {
        add_rule(
            state,
            "enterprises",
            Rule {
                id: 0,
                column: column.into(),
                kind,
                blocking: true,
            },
        )
        .await?;
    }
    let report = ingest(
        state,
        "enterprises",
        open(&path)?,
        Options {
            batch_id: Some("demo-enterprises-1".into()),
            source: "demo enterprises.csv".into(),
            ..Options::default()
        },
    )
    .await?;
    Ok(Some(report))
}

/// Bytes as people read them on a page or in a message (decimal units: 1.23 GB, 45.6 MB).
pub(crate) fn fmt_bytes(b: i64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} KB", b / 1e3)
    } else {
        format!("{b} B")
    }
}
