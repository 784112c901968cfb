//! `zhengshu catalog …`, `zhengshu open311 …`, `zhengshu hotline …`.

use std::sync::Arc;

use zhengshu_catalog::CatalogState;
use zhengshu_core::clock::{SharedClock, SystemClock};
use zhengshu_db::Db;

use crate::cli::{CatalogCmd, HotlineCmd, Open311Cmd, Open311KeyCmd};
use crate::config::Settings;

/// The catalog's state with its on-disk index under the data folder.
pub(crate) async fn catalog_state(
    s: &Settings,
    db: &Db,
    clock: &SharedClock,
) -> anyhow::Result<CatalogState> {
    let dir = s.data_dir.join("catalog-index");
    std::fs::create_dir_all(&dir)?;
    Ok(CatalogState::new(db.clone(), clock.clone(), Some(dir)).await?)
}

pub(crate) async fn catalog(s: &Settings, cmd: CatalogCmd) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    match cmd {
        CatalogCmd::Reindex => match zhengshu_catalog::reindex_command(
            &db,
            clock,
            Some(s.data_dir.join("catalog-index")),
        )
        .await?
        {
            zhengshu_catalog::ReindexOutcome::Rebuilt(n) => {
                println!("rebuilt the search index: {n} resources")
            }
            zhengshu_catalog::ReindexOutcome::Requested(seq) => {
                println!("a running server holds the index: asked every instance to rebuild on its next sync (change #{seq})")
            }
        },
    }
    Ok(())
}

pub(crate) async fn open311(s: &Settings, cmd: Open311Cmd) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    match cmd {
        Open311Cmd::Key(Open311KeyCmd::Create { name }) => {
            let key = zhengshu_hotline::create_open311_key(&db, &SystemClock, &name).await?;
            println!("Open311 API key for {name} (shown once):");
            println!("{key}");
        }
    }
    Ok(())
}

pub(crate) async fn hotline(s: &Settings, cmd: HotlineCmd) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    match cmd {
        HotlineCmd::Evaluate => {
            let report = zhengshu_hotline::evaluate_classifier(&db).await?;
            println!("{report}");
        }
    }
    Ok(())
}
