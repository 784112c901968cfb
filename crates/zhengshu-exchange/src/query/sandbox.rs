//! A view in the SQL sandbox, and the barrier that keeps the caller's plan out of it.
//!
//! DataFusion would normally inline a view's plan into the caller's and push the
//! caller's predicates down through it, merging them with the view's row filter — both
//! in the logical optimizer and, after planning, in the physical one (`FilterPushdown`,
//! dynamic filters of joins and top-k). A predicate that can fail (`CAST(name AS INT)`)
//! would then run on rows the row filter hides, and its error could quote them. So:
//! - [`SandboxView`] offers no logical plan to inline, and accepts only predicates that
//!   cannot fail ([`super::filter::cannot_fail`]), which it applies above its masking
//!   projection (so they see masked values) and lets the optimizer push to the Delta scan;
//! - its physical plan is wrapped in [`ViewBarrierExec`], which passes rows through and
//!   refuses every filter, projection, sort and limit pushdown from above.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use zhengshu_lake::deltalake::arrow::datatypes::SchemaRef;
use zhengshu_lake::deltalake::datafusion::catalog::{Session, TableProvider};
use zhengshu_lake::deltalake::datafusion::common::tree_node::{
    Transformed, TreeNode, TreeNodeRecursion,
};
use zhengshu_lake::deltalake::datafusion::common::{Column, DataFusionError};
use zhengshu_lake::deltalake::datafusion::execution::{SendableRecordBatchStream, TaskContext};
use zhengshu_lake::deltalake::datafusion::logical_expr::utils::conjunction;
use zhengshu_lake::deltalake::datafusion::logical_expr::{
    Expr, LogicalPlan, LogicalPlanBuilder, TableProviderFilterPushDown, TableType,
};
use zhengshu_lake::deltalake::datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, PhysicalExpr, PlanProperties,
    ReplaceChildrenOptions,
};
use zhengshu_lake::deltalake::datafusion::prelude::ident;

use super::filter;

/// A granted table in the sandbox: the view's plan, never inlined.
#[derive(Debug)]
pub(super) struct SandboxView {
    plan: LogicalPlan,
    schema: SchemaRef,
}

impl SandboxView {
    pub(super) fn new(plan: LogicalPlan) -> SandboxView {
        let schema = Arc::new(plan.schema().as_arrow().clone());
        SandboxView { plan, schema }
    }
}

#[async_trait]
impl TableProvider for SandboxView {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>, DataFusionError> {
        Ok(filters
            .iter()
            .map(|f| {
                if filter::cannot_fail(f) {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>, DataFusionError> {
        let mut b = LogicalPlanBuilder::from(self.plan.clone());
        // The caller names the columns by its own table reference; they are the same
        // names under the view's.
        let unqualified = filters
            .iter()
            .filter(|f| filter::cannot_fail(f))
            .map(|f| {
                f.clone()
                    .transform(|e| {
                        Ok(match e {
                            Expr::Column(c) => {
                                Transformed::yes(Expr::Column(Column::new_unqualified(c.name)))
                            }
                            e => Transformed::no(e),
                        })
                    })
                    .map(|t| t.data)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(f) = conjunction(unqualified) {
            b = b.filter(f)?;
        }
        if let Some(p) = projection {
            b = b.project(p.iter().map(|i| ident(self.schema.field(*i).name())))?;
        }
        if limit.is_some() {
            b = b.limit(0, limit)?;
        }
        let inner = state.create_physical_plan(&b.build()?).await?;
        Ok(Arc::new(ViewBarrierExec::new(inner)))
    }
}

/// Passes its input's rows through unchanged; nothing from above is pushed below it.
/// Every pushdown hook of [`ExecutionPlan`] keeps its refusing default here.
#[derive(Debug)]
pub(super) struct ViewBarrierExec {
    input: Arc<dyn ExecutionPlan>,
}

impl ViewBarrierExec {
    fn new(input: Arc<dyn ExecutionPlan>) -> ViewBarrierExec {
        ViewBarrierExec { input }
    }
}

impl DisplayAs for ViewBarrierExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ViewBarrierExec")
    }
}

impl ExecutionPlan for ViewBarrierExec {
    fn name(&self) -> &str {
        "ViewBarrierExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        vec![false]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion, DataFusionError>,
    ) -> Result<TreeNodeRecursion, DataFusionError> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>, DataFusionError> {
        if children.len() != 1 {
            return Err(DataFusionError::Internal(
                "ViewBarrierExec has one child".into(),
            ));
        }
        Ok(Arc::new(ViewBarrierExec::new(children.swap_remove(0))))
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>, DataFusionError> {
        self.replace_children(
            children,
            ReplaceChildrenOptions::new(
                zhengshu_lake::deltalake::datafusion::physical_plan::ChildrenPropertiesMode::Recompute,
            ),
        )
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream, DataFusionError> {
        self.input.execute(partition, context)
    }
}
