//! The REST paging cursor: the pinned table version and the position, signed so that a
//! client can neither forge a position nor travel to another version of the table.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zhengshu_lake::deltalake::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use zhengshu_lake::deltalake::datafusion::common::ScalarValue;

use crate::ExchangeError;

static SECRET: OnceLock<[u8; 32]> = OnceLock::new();

/// Sets the key that signs paging cursors (e.g. from the server's configured secret),
/// so that cursors survive a restart and work on every instance. Without it a random
/// key is drawn once per process. Returns false when a key was already in use.
pub fn set_cursor_secret(secret: &[u8]) -> bool {
    SECRET.set(Sha256::digest(secret).into()).is_ok()
}

fn secret() -> &'static [u8; 32] {
    SECRET.get_or_init(|| {
        use std::hash::BuildHasher as _;
        // `RandomState` keys come from the operating system's random source.
        let mut h = Sha256::new();
        for i in 0..4u64 {
            h.update(
                std::collections::hash_map::RandomState::new()
                    .hash_one(i)
                    .to_le_bytes(),
            );
        }
        h.update(std::process::id().to_le_bytes());
        h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
        h.finalize().into()
    })
}

/// HMAC-SHA256 (RFC 2104), truncated to 16 bytes.
fn tag(message: &[u8]) -> [u8; 16] {
    let key = secret();
    let mut ipad = [0x36u8; 64];
    let mut opad = [0x5cu8; 64];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&outer[..16]);
    out
}

/// A key value as kept in a cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum KeyValue {
    S(String),
    I(i64),
    /// The bits of an f64.
    F(u64),
    D(i32),
    B(bool),
    /// A timestamp in its column's unit.
    T(i64),
}

impl KeyValue {
    /// From a cell; `None` for a null or a type without keyset paging.
    pub(crate) fn from_scalar(s: &ScalarValue) -> Option<KeyValue> {
        Some(match s {
            ScalarValue::Utf8(Some(v))
            | ScalarValue::LargeUtf8(Some(v))
            | ScalarValue::Utf8View(Some(v)) => KeyValue::S(v.clone()),
            ScalarValue::Int8(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::Int16(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::Int32(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::Int64(Some(v)) => KeyValue::I(*v),
            ScalarValue::UInt8(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::UInt16(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::UInt32(Some(v)) => KeyValue::I(i64::from(*v)),
            ScalarValue::Float32(Some(v)) => KeyValue::F(f64::from(*v).to_bits()),
            ScalarValue::Float64(Some(v)) => KeyValue::F(v.to_bits()),
            ScalarValue::Date32(Some(v)) => KeyValue::D(*v),
            ScalarValue::Boolean(Some(v)) => KeyValue::B(*v),
            ScalarValue::TimestampSecond(Some(v), _)
            | ScalarValue::TimestampMillisecond(Some(v), _)
            | ScalarValue::TimestampMicrosecond(Some(v), _)
            | ScalarValue::TimestampNanosecond(Some(v), _) => KeyValue::T(*v),
            _ => return None,
        })
    }

    /// Back to a scalar of the key column's type.
    pub(crate) fn to_scalar(&self, ty: &ArrowType) -> Option<ScalarValue> {
        let s = match (self, ty) {
            (KeyValue::S(v), _) => ScalarValue::Utf8(Some(v.clone())),
            (KeyValue::I(v), _) => ScalarValue::Int64(Some(*v)),
            (KeyValue::F(v), _) => ScalarValue::Float64(Some(f64::from_bits(*v))),
            (KeyValue::D(v), _) => ScalarValue::Date32(Some(*v)),
            (KeyValue::B(v), _) => ScalarValue::Boolean(Some(*v)),
            (KeyValue::T(v), ArrowType::Timestamp(unit, tz)) => match unit {
                TimeUnit::Second => ScalarValue::TimestampSecond(Some(*v), tz.clone()),
                TimeUnit::Millisecond => ScalarValue::TimestampMillisecond(Some(*v), tz.clone()),
                TimeUnit::Microsecond => ScalarValue::TimestampMicrosecond(Some(*v), tz.clone()),
                TimeUnit::Nanosecond => ScalarValue::TimestampNanosecond(Some(*v), tz.clone()),
            },
            (KeyValue::T(_), _) => return None,
        };
        if &s.data_type() == ty {
            Some(s)
        } else {
            s.cast_to(ty).ok()
        }
    }
}

/// Where the next page starts in keyset paging: after `skip` rows whose key is `value`
/// (`None` = in the rows with a null key, which sort last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct KeyPosition {
    pub(crate) value: Option<KeyValue>,
    pub(crate) skip: usize,
}

/// The decoded cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The table.
    pub(crate) t: String,
    /// The pinned Delta version.
    pub(crate) v: i64,
    /// The fingerprint of the query (filters and sort) the cursor belongs to.
    pub(crate) q: String,
    /// Offset paging: rows already returned.
    #[serde(default)]
    pub(crate) o: usize,
    /// Keyset paging: where the next page starts.
    #[serde(default)]
    pub(crate) k: Option<KeyPosition>,
}

impl Cursor {
    /// `base64url(json).base64url(tag)`.
    pub(crate) fn encode(&self) -> Result<String, ExchangeError> {
        let json =
            serde_json::to_vec(self).map_err(|e| ExchangeError::Sql(format!("cursor: {e}")))?;
        Ok(format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&json),
            URL_SAFE_NO_PAD.encode(tag(&json))
        ))
    }

    /// Checks the signature and decodes; any change to the text is refused.
    pub(crate) fn decode(text: &str) -> Result<Cursor, ExchangeError> {
        let bad = || {
            ExchangeError::invalid(
                "cursor",
                "not a cursor this API issued (altered, truncated or from a restarted server); \
                 start again without a cursor",
            )
        };
        let (body, sig) = text.trim().split_once('.').ok_or_else(bad)?;
        let json = URL_SAFE_NO_PAD.decode(body).map_err(|_| bad())?;
        let sig = URL_SAFE_NO_PAD.decode(sig).map_err(|_| bad())?;
        let expected = tag(&json);
        // Compare every byte, so that the time taken says nothing about the tag.
        if sig.len() != expected.len()
            || sig
                .iter()
                .zip(expected.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                != 0
        {
            return Err(bad());
        }
        serde_json::from_slice(&json).map_err(|_| bad())
    }
}

/// The fingerprint of what orders and selects the rows of a paged query.
pub(crate) fn fingerprint(parts: &impl Serialize) -> String {
    let json = serde_json::to_vec(parts).unwrap_or_default();
    hex::encode(&Sha256::digest(json)[..8])
}
