//! 从样例文件新建: a data officer uploads a sample, the platform proposes the data items
//! (types over every row, Chinese labels from the header, PII kinds from the content), the
//! officer adjusts names, labels, types and PII kinds, and saving registers a draft catalog
//! resource, connects its table, adds the suggested rules and loads the sample.

use std::collections::HashMap;
use std::io::Write;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use zhengshu_auth::Permission;
use zhengshu_catalog::model::{DataType, UpdateCycle};
use zhengshu_core::PiiKind;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::actor_of;
use crate::infer::ProposedItem;
use crate::read::{self, Format, Limits};
use crate::rules::{Rule, RuleKind};
use crate::{ingest, LakeError, LakeState, NewFromSample};

/// Where samples wait between the proposal and the save.
fn sample_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("zhengshu-samples")
}

#[derive(Template)]
#[template(path = "lake/new.html")]
struct NewPage {
    chrome: Chrome,
    units: Vec<zhengshu_auth::Unit>,
    my_unit: Option<i64>,
    cycles: &'static [UpdateCycle],
    error: String,
}

impl NewPage {
    fn is_mine(&self, id: &i64) -> bool {
        self.my_unit == Some(*id)
    }
}

async fn units_for(
    st: &LakeState,
    who: &zhengshu_http::Principal,
) -> Result<Vec<zhengshu_auth::Unit>, ApiError> {
    let all = zhengshu_auth::units::list(&st.db, &Default::default()).await?;
    Ok(if who.can(Permission::CatalogReview) {
        all
    } else {
        all.into_iter()
            .filter(|u| Some(u.id) == who.user.unit_id)
            .collect()
    })
}

/// The upload form.
pub(crate) async fn new_page(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    lang: Lang,
) -> Result<Response, ApiError> {
    Ok(render(&NewPage {
        chrome: Chrome::console(&who, lang, "/console/lake"),
        units: units_for(&st, &who).await?,
        my_unit: who.user.unit_id,
        cycles: UpdateCycle::ALL,
        error: String::new(),
    }))
}

#[derive(Template)]
#[template(path = "lake/propose.html")]
struct ProposePage {
    chrome: Chrome,
    token: String,
    name: String,
    table: String,
    key: String,
    unit_id: i64,
    cycle: String,
    rows: u64,
    detected: String,
    items: Vec<ProposedItem>,
    types: &'static [DataType],
    kinds: [PiiKind; 8],
}

impl ProposePage {
    fn sel_type(&self, a: &DataType, b: &DataType) -> bool {
        a == b
    }
    fn sel_kind(&self, a: &PiiKind, b: &PiiKind) -> bool {
        a == b
    }
}

/// Upload: keep the sample, propose the items.
pub(crate) async fn propose(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    lang: Lang,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut saved: Option<(String, std::path::PathBuf)> = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("sample.csv").to_string();
            let ext = Format::from_name(&file_name)
                .unwrap_or(Format::Csv)
                .as_str();
            std::fs::create_dir_all(sample_dir()).map_err(ApiError::internal)?;
            let token = uuid::Uuid::new_v4().to_string();
            let path = sample_dir().join(format!("{token}.{ext}"));
            let mut f = std::fs::File::create(&path).map_err(ApiError::internal)?;
            let mut n = 0;
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
            {
                n += chunk.len();
                f.write_all(&chunk).map_err(ApiError::internal)?;
            }
            if n > 0 {
                saved = Some((format!("{token}.{ext}"), path));
            }
        } else {
            fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let again = |error: String| async {
        Ok::<_, ApiError>(render(&NewPage {
            chrome: Chrome::console(&who, lang, "/console/lake"),
            units: units_for(&st, &who).await?,
            my_unit: who.user.unit_id,
            cycles: UpdateCycle::ALL,
            error,
        }))
    };
    let Some((token, path)) = saved else {
        return again("choose a sample file / 请选择样例文件".into()).await;
    };
    if get("name").is_empty() || !crate::table::is_valid_table_name(&get("table")) {
        return again("give the resource a name, and the table a name of lower-case letters, digits and _ / 请填写资源名称和表名（小写字母、数字、下划线）".into()).await;
    }
    let p = path.clone();
    let proposal = tokio::task::spawn_blocking(move || {
        let fmt = Format::from_name(&p.to_string_lossy()).unwrap_or(Format::Csv);
        crate::propose(read::open_file(&p, Some(fmt), Limits::default())?)
    })
    .await
    .map_err(ApiError::internal)?;
    let (items, rows, detected) = match proposal {
        Ok(x) => x,
        Err(e) => return again(e.to_string()).await,
    };
    Ok(render(&ProposePage {
        chrome: Chrome::console(&who, lang, "/console/lake"),
        token,
        name: get("name"),
        table: get("table"),
        key: get("key"),
        unit_id: get("unit_id")
            .parse()
            .unwrap_or(who.user.unit_id.unwrap_or(0)),
        cycle: get("update_cycle"),
        rows,
        detected,
        items,
        types: DataType::ALL,
        kinds: PiiKind::ALL,
    }))
}

/// Save: register the resource with the adjusted items, connect, add rules, load.
pub(crate) async fn create(
    State(st): State<LakeState>,
    who: Authorized<perm::LakeIngest>,
    ApiForm(f): ApiForm<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let token = get("token");
    if token.is_empty()
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(ApiError::invalid(
            "token",
            "the sample is gone; upload it again",
        ));
    }
    let path = sample_dir().join(&token);
    if !path.is_file() {
        return Err(ApiError::invalid(
            "token",
            "the sample is gone; upload it again",
        ));
    }
    let mut items = Vec::new();
    let mut rules = Vec::new();
    for i in 0..500 {
        let name = get(&format!("name_{i}"));
        if name.is_empty() {
            break;
        }
        if f.contains_key(&format!("skip_{i}")) {
            continue;
        }
        let data_type = DataType::parse(&get(&format!("type_{i}")))
            .ok_or_else(|| ApiError::invalid(&format!("type_{i}"), "choose a type"))?;
        let pii_kind: PiiKind = get(&format!("pii_{i}")).parse().unwrap_or(PiiKind::None);
        if f.contains_key(&format!("rules_{i}")) {
            for kind in get(&format!("suggested_{i}"))
                .split(',')
                .filter(|k| !k.is_empty())
            {
                let kind = match kind {
                    "resident_id" => RuleKind::ResidentId,
                    "credit_code" => RuleKind::CreditCode,
                    "mobile" => RuleKind::Mobile,
                    "not_null" => RuleKind::NotNull,
                    _ => continue,
                };
                rules.push(Rule {
                    id: 0,
                    column: name.clone(),
                    kind,
                    blocking: true,
                });
            }
        }
        items.push(ProposedItem {
            name,
            label: get(&format!("label_{i}")),
            data_type,
            pii_kind,
            nulls: 0,
            values: 0,
            examples: get(&format!("examples_{i}"))
                .split('、')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            suggested_rules: vec![],
        });
    }
    let unit_id: i64 = get("unit_id").parse().unwrap_or(0);
    let actor = actor_of(&who);
    if !actor.can_review && actor.unit_id != Some(unit_id) {
        return Err(ApiError::forbidden(
            "data officers create resources for their own unit",
        ));
    }
    let table = get("table");
    let file_name = format!("sample.{}", token.rsplit('.').next().unwrap_or("csv"));
    let (_r, _c) = crate::create_from_sample(
        &st,
        &actor,
        &NewFromSample {
            unit_id,
            name: get("name"),
            table: table.clone(),
            key: get("key"),
            items,
            update_cycle: get("update_cycle"),
            file_name: file_name.clone(),
        },
    )
    .await?;
    for r in rules {
        crate::add_rule(&st, &table, r).await?;
    }
    let source = {
        let p = path.clone();
        tokio::task::spawn_blocking(move || read::open_file(&p, None, Limits::default()))
            .await
            .map_err(ApiError::internal)?
            .map_err(LakeError::from)?
    };
    let report = ingest::ingest(
        &st,
        &table,
        source,
        ingest::Options {
            source: file_name,
            created_by: Some(who.user.id),
            ..ingest::Options::default()
        },
    )
    .await?;
    let _ = std::fs::remove_file(&path);
    Ok(Redirect::to(&format!("/console/lake/jobs/{}", report.job_id)).into_response())
}
