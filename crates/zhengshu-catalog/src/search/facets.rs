//! Facets: the filterable fields, and a collector that counts their values over the
//! matching documents from the fast-field columns.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::model::Resource;

/// A facet of the catalog search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// 提供单位 (unit id).
    Unit,
    /// 目录类型.
    CatalogType,
    /// 资源分类 (类 + 项, the first 3 digits).
    Classification,
    /// 主题.
    Theme,
    SharingType,
    OpenType,
    Format,
    UpdateCycle,
    SecurityGrade,
    Status,
}

impl Facet {
    pub const ALL: [Facet; 10] = [
        Facet::Unit,
        Facet::CatalogType,
        Facet::Classification,
        Facet::Theme,
        Facet::SharingType,
        Facet::OpenType,
        Facet::Format,
        Facet::UpdateCycle,
        Facet::SecurityGrade,
        Facet::Status,
    ];

    /// The query parameter and index field name.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Unit => "unit",
            Facet::CatalogType => "catalog_type",
            Facet::Classification => "classification",
            Facet::Theme => "theme",
            Facet::SharingType => "sharing_type",
            Facet::OpenType => "open_type",
            Facet::Format => "format",
            Facet::UpdateCycle => "update_cycle",
            Facet::SecurityGrade => "security_grade",
            Facet::Status => "status",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Facet::Unit => "提供单位",
            Facet::CatalogType => "目录类型",
            Facet::Classification => "资源分类",
            Facet::Theme => "主题",
            Facet::SharingType => "共享类型",
            Facet::OpenType => "开放类型",
            Facet::Format => "资源格式",
            Facet::UpdateCycle => "更新周期",
            Facet::SecurityGrade => "数据分级",
            Facet::Status => "状态",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Facet::Unit => "Provider",
            Facet::CatalogType => "Catalog type",
            Facet::Classification => "Classification",
            Facet::Theme => "Theme",
            Facet::SharingType => "Sharing",
            Facet::OpenType => "Opening",
            Facet::Format => "Format",
            Facet::UpdateCycle => "Update cycle",
            Facet::SecurityGrade => "Security grade",
            Facet::Status => "Status",
        }
    }

    pub fn parse(s: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub(crate) fn index(self) -> usize {
        Facet::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The indexed value of a resource.
    pub fn value_of(self, r: &Resource) -> String {
        match self {
            Facet::Unit => r.provider_unit_id.to_string(),
            Facet::CatalogType => r.catalog_type.as_str().into(),
            Facet::Classification => r.class_item().into(),
            Facet::Theme => r.theme.clone(),
            Facet::SharingType => r.sharing_type.as_str().into(),
            Facet::OpenType => r.open_type.as_str().into(),
            Facet::Format => r.format.as_str().into(),
            Facet::UpdateCycle => r.update_cycle.as_str().into(),
            Facet::SecurityGrade => r.security_grade.as_str().into(),
            Facet::Status => r.status.as_str().into(),
        }
    }

    /// The label of an indexed value (vocabulary label; unit names are filled in later).
    pub fn value_label(self, value: &str, en: bool) -> String {
        use crate::model::*;
        fn pick<T: Copy>(
            v: Option<T>,
            zh: fn(T) -> &'static str,
            enl: fn(T) -> &'static str,
            en: bool,
        ) -> Option<String> {
            v.map(|v| if en { enl(v) } else { zh(v) }.to_string())
        }
        let label = match self {
            Facet::CatalogType => pick(
                CatalogType::parse(value),
                CatalogType::label_zh,
                CatalogType::label_en,
                en,
            ),
            Facet::SharingType => pick(
                SharingType::parse(value),
                SharingType::label_zh,
                SharingType::label_en,
                en,
            ),
            Facet::OpenType => pick(
                OpenType::parse(value),
                OpenType::label_zh,
                OpenType::label_en,
                en,
            ),
            Facet::Format => pick(
                ResourceFormat::parse(value),
                ResourceFormat::label_zh,
                ResourceFormat::label_en,
                en,
            ),
            Facet::UpdateCycle => pick(
                UpdateCycle::parse(value),
                UpdateCycle::label_zh,
                UpdateCycle::label_en,
                en,
            ),
            Facet::SecurityGrade => pick(
                SecurityGrade::parse(value),
                SecurityGrade::label_zh,
                SecurityGrade::label_en,
                en,
            ),
            Facet::Status => pick(Status::parse(value), Status::label_zh, Status::label_en, en),
            Facet::Unit | Facet::Classification | Facet::Theme => None,
        };
        label.unwrap_or_else(|| {
            if value.is_empty() {
                "—".into()
            } else {
                value.into()
            }
        })
    }
}

/// One value of a facet and how many matching resources have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// The counts of one facet, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetValues {
    pub facet: Facet,
    pub label: String,
    pub values: Vec<FacetCount>,
}

/// Counts the values of every facet over the matching documents.
pub(crate) struct FacetCollector;

pub(crate) struct FacetSegment {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    buf: Vec<Option<u64>>,
}

impl Collector for FacetCollector {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for f in Facet::ALL {
            let col = segment.fast_fields().str(f.as_str())?;
            counts.push(vec![0; col.as_ref().map(|c| c.num_terms()).unwrap_or(0)]);
            columns.push(col);
        }
        Ok(FacetSegment {
            columns,
            counts,
            buf: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<HashMap<String, u64>>>) -> tantivy::Result<Self::Fruit> {
        let mut out: Vec<HashMap<String, u64>> = vec![HashMap::new(); Facet::ALL.len()];
        for fruit in fruits {
            for (acc, part) in out.iter_mut().zip(fruit) {
                for (k, v) in part {
                    *acc.entry(k).or_default() += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (col, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(ord) = col.as_ref().and_then(|c| c.ords().first(doc)) {
                if let Some(slot) = counts.get_mut(ord as usize) {
                    *slot += 1;
                }
            }
        }
    }

    /// Blocks of documents (when no score is needed): one batched column read per facet.
    fn collect_block(&mut self, docs: &[DocId]) {
        self.buf.resize(docs.len(), None);
        for (col, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(col) = col else { continue };
            self.buf.fill(None);
            col.ords().first_vals(docs, &mut self.buf);
            for ord in self.buf.iter().flatten() {
                if let Some(slot) = counts.get_mut(*ord as usize) {
                    *slot += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(col, counts)| {
                let mut map = HashMap::new();
                if let Some(col) = col {
                    for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                        let mut s = String::new();
                        if col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                            map.insert(s, n);
                        }
                    }
                }
                map
            })
            .collect()
    }
}
