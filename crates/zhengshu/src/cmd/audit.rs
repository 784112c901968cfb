//! `zhengshu audit verify`: checks the sharing audit log's hash chain and anchored head.
//! Exit status 0 when intact, 1 on the first problem (so that scripts can alert).

use zhengshu_exchange::audit::{self, Anchor, VerifyReport};

use crate::cli::{AuditCmd, Format};
use crate::config::Settings;

pub(crate) async fn audit(s: &Settings, c: AuditCmd) -> anyhow::Result<()> {
    match c {
        AuditCmd::Verify { format, no_anchor } => verify(s, format, no_anchor).await,
    }
}

async fn verify(s: &Settings, format: Format, no_anchor: bool) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    let anchor = if no_anchor {
        None
    } else {
        Some(Anchor::new(&zhengshu_lake::Lake::new(&s.lake_url)?))
    };
    let report = audit::verify(&db, anchor.as_ref()).await?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Table => {
            println!("{}", summary(&report, anchor.as_ref()));
            if let Some(p) = &report.problem {
                println!("problem at #{} ({}): {}", p.seq, p.kind.as_str(), p.message);
            }
        }
    }
    db.close().await;
    match &report.problem {
        Some(p) => anyhow::bail!(
            "the audit log is not intact: first problem at record #{}",
            p.seq
        ),
        None => Ok(()),
    }
}

/// `audit log: 1,234 records, head #1234 3f9a1c2b7d4e…, anchored at #1234 — chain intact`
fn summary(r: &VerifyReport, anchor: Option<&Anchor>) -> String {
    let head = if r.records == 0 {
        "empty".to_string()
    } else {
        format!(
            "head #{} {}…",
            r.head_seq,
            r.head_hash.get(..12).unwrap_or("")
        )
    };
    let anchored = match (anchor, r.anchored_seq) {
        (None, _) => "anchor not checked".to_string(),
        (Some(a), None) => format!("no anchor at {}", a.url()),
        (Some(_), Some(seq)) => format!("anchored at #{seq}"),
    };
    let verdict = if r.intact() {
        "chain intact"
    } else {
        "NOT INTACT"
    };
    format!(
        "audit log: {} record{}, {head}, {anchored} — {verdict}",
        thousands(r.records),
        if r.records == 1 { "" } else { "s" }
    )
}

/// 1234567 → "1,234,567".
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
