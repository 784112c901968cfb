//! The chain's arithmetic: which fields a record's hash covers and how they are encoded.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::AuditRecord;

/// The fields a record's hash covers, exactly as stored (`detail` is the stored JSON text).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hashed<'a> {
    pub(crate) seq: i64,
    pub(crate) at: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) scenario_id: Option<i64>,
    pub(crate) token_id: Option<i64>,
    pub(crate) user_ref: Option<&'a str>,
    pub(crate) actor_user_id: Option<i64>,
    pub(crate) resource_id: Option<i64>,
    pub(crate) provider_unit_id: Option<i64>,
    pub(crate) detail: &'a str,
    pub(crate) rows_returned: Option<i64>,
    pub(crate) bytes: Option<i64>,
    pub(crate) duration_us: Option<i64>,
    pub(crate) outcome: &'a str,
    pub(crate) prev_hash: &'a str,
}

/// The canonical encoding: a version tag, then every field in a fixed order, each tagged
/// with its type — `s` + 8-byte big-endian length + UTF-8 bytes for text, `i` + 8-byte
/// big-endian two's complement for integers, `n` for a missing value — so that no two
/// different records encode to the same bytes.
fn canonical(r: &Hashed<'_>) -> Vec<u8> {
    fn text(buf: &mut Vec<u8>, s: &str) {
        buf.push(b's');
        buf.extend_from_slice(&(s.len() as u64).to_be_bytes());
        buf.extend_from_slice(s.as_bytes());
    }
    fn int(buf: &mut Vec<u8>, v: Option<i64>) {
        match v {
            Some(v) => {
                buf.push(b'i');
                buf.extend_from_slice(&v.to_be_bytes());
            }
            None => buf.push(b'n'),
        }
    }
    let mut buf = Vec::with_capacity(256 + r.detail.len());
    text(&mut buf, "zhengshu.audit.v1");
    int(&mut buf, Some(r.seq));
    text(&mut buf, r.at);
    text(&mut buf, r.kind);
    int(&mut buf, r.scenario_id);
    int(&mut buf, r.token_id);
    match r.user_ref {
        Some(u) => text(&mut buf, u),
        None => buf.push(b'n'),
    }
    int(&mut buf, r.actor_user_id);
    int(&mut buf, r.resource_id);
    int(&mut buf, r.provider_unit_id);
    text(&mut buf, r.detail);
    int(&mut buf, r.rows_returned);
    int(&mut buf, r.bytes);
    int(&mut buf, r.duration_us);
    text(&mut buf, r.outcome);
    text(&mut buf, r.prev_hash);
    buf
}

/// A record's hash: lower-case hex SHA-256 of its canonical encoding.
pub(crate) fn record_hash(r: &Hashed<'_>) -> String {
    hex::encode(Sha256::digest(canonical(r)))
}

/// The hash the writer gives a record with these fields (`detail` as the compact JSON text
/// the writer stores; `hash` itself is ignored). For checks outside [`verify`], which hashes
/// the stored text as it is.
pub fn expected_hash(r: &AuditRecord) -> String {
    let detail = r.detail.to_string();
    record_hash(&Hashed {
        seq: r.seq,
        at: &r.at,
        kind: &r.kind,
        scenario_id: r.scenario_id,
        token_id: r.token_id,
        user_ref: r.user_ref.as_deref(),
        actor_user_id: r.actor_user_id,
        resource_id: r.resource_id,
        provider_unit_id: r.provider_unit_id,
        detail: &detail,
        rows_returned: r.rows_returned,
        bytes: r.bytes,
        duration_us: r.duration_us,
        outcome: &r.outcome,
        prev_hash: &r.prev_hash,
    })
}

/// A stored row with `detail` as its text (what the hash covers).
pub(crate) struct StoredRow {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) kind: String,
    pub(crate) scenario_id: Option<i64>,
    pub(crate) token_id: Option<i64>,
    pub(crate) user_ref: Option<String>,
    pub(crate) actor_user_id: Option<i64>,
    pub(crate) resource_id: Option<i64>,
    pub(crate) provider_unit_id: Option<i64>,
    pub(crate) detail: String,
    pub(crate) rows_returned: Option<i64>,
    pub(crate) bytes: Option<i64>,
    pub(crate) duration_us: Option<i64>,
    pub(crate) outcome: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

/// The columns of a stored row, in [`StoredRow`] order.
pub(crate) const COLUMNS: &str = "seq, at, kind, scenario_id, token_id, user_ref, actor_user_id, \
     resource_id, provider_unit_id, detail, rows_returned, bytes, duration_us, outcome, \
     prev_hash, hash";

impl StoredRow {
    pub(crate) fn from_row(row: &AnyRow) -> Result<StoredRow, sqlx::Error> {
        Ok(StoredRow {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            kind: row.try_get("kind")?,
            scenario_id: row.try_get("scenario_id")?,
            token_id: row.try_get("token_id")?,
            user_ref: row.try_get("user_ref")?,
            actor_user_id: row.try_get("actor_user_id")?,
            resource_id: row.try_get("resource_id")?,
            provider_unit_id: row.try_get("provider_unit_id")?,
            detail: row.try_get("detail")?,
            rows_returned: row.try_get("rows_returned")?,
            bytes: row.try_get("bytes")?,
            duration_us: row.try_get("duration_us")?,
            outcome: row.try_get("outcome")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }

    pub(crate) fn hashed(&self) -> Hashed<'_> {
        Hashed {
            seq: self.seq,
            at: &self.at,
            kind: &self.kind,
            scenario_id: self.scenario_id,
            token_id: self.token_id,
            user_ref: self.user_ref.as_deref(),
            actor_user_id: self.actor_user_id,
            resource_id: self.resource_id,
            provider_unit_id: self.provider_unit_id,
            detail: &self.detail,
            rows_returned: self.rows_returned,
            bytes: self.bytes,
            duration_us: self.duration_us,
            outcome: &self.outcome,
            prev_hash: &self.prev_hash,
        }
    }
}

/// The first 12 characters of a hash, for messages.
pub(crate) fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::ZERO_HASH;

    fn fields<'a>(kind: &'a str, user_ref: Option<&'a str>, detail: &'a str) -> Hashed<'a> {
        Hashed {
            seq: 7,
            at: "2026-11-25T02:00:00.000000Z",
            kind,
            scenario_id: Some(3),
            token_id: None,
            user_ref,
            actor_user_id: None,
            resource_id: Some(12),
            provider_unit_id: Some(4),
            detail,
            rows_returned: Some(10),
            bytes: Some(2048),
            duration_us: Some(1500),
            outcome: "ok",
            prev_hash: ZERO_HASH,
        }
    }

    #[test]
    fn field_boundaries_change_the_hash() {
        // The same characters split differently between adjacent text fields.
        let a = fields("share.rows", Some("u1"), "{}");
        let b = fields("share.row", Some("su1"), "{}");
        let c = fields("share.rows", Some("u1{"), "}");
        assert_ne!(record_hash(&a), record_hash(&b));
        assert_ne!(record_hash(&a), record_hash(&c));
        // A missing value is not an empty one, nor the text "n".
        let d = fields("share.rows", None, "{}");
        let e = fields("share.rows", Some(""), "{}");
        let f = fields("share.rows", Some("n"), "{}");
        let all = [&a, &d, &e, &f].map(|h| record_hash(h));
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(all[i], all[j], "{i} vs {j}");
            }
        }
        // A number moved between integer fields changes the hash too.
        let mut g = a;
        g.rows_returned = Some(2048);
        g.bytes = Some(10);
        assert_ne!(record_hash(&a), record_hash(&g));
        // Deterministic, lower-case hex SHA-256.
        assert_eq!(
            record_hash(&a),
            record_hash(&fields("share.rows", Some("u1"), "{}"))
        );
        assert_eq!(record_hash(&a).len(), 64);
        assert!(record_hash(&a)
            .chars()
            .all(|c| matches!(c, '0'..='9' | 'a'..='f')));
    }

    #[test]
    fn every_field_is_covered() {
        let base = fields("share.rows", Some("u1"), "{}");
        let h = record_hash(&base);
        let variants: Vec<Hashed<'_>> = vec![
            Hashed { seq: 8, ..base },
            Hashed {
                at: "2026-11-25T02:00:00.000001Z",
                ..base
            },
            Hashed {
                kind: "share.sql",
                ..base
            },
            Hashed {
                scenario_id: None,
                ..base
            },
            Hashed {
                token_id: Some(1),
                ..base
            },
            Hashed {
                user_ref: Some("u2"),
                ..base
            },
            Hashed {
                actor_user_id: Some(1),
                ..base
            },
            Hashed {
                resource_id: Some(13),
                ..base
            },
            Hashed {
                provider_unit_id: Some(5),
                ..base
            },
            Hashed {
                detail: "{\"a\":1}",
                ..base
            },
            Hashed {
                rows_returned: Some(11),
                ..base
            },
            Hashed {
                bytes: None,
                ..base
            },
            Hashed {
                duration_us: Some(1),
                ..base
            },
            Hashed {
                outcome: "denied",
                ..base
            },
            Hashed {
                prev_hash: "1",
                ..base
            },
        ];
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(record_hash(v), h, "field {i} is not covered");
        }
    }
}
