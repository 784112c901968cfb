//! The keys of an upsert, as a set the table's rows are tested against.
//!
//! An upsert replaces the table's rows whose key is in the batch: delta-rs's `replaceWhere`
//! finds the files holding such rows, rewrites them without those rows and writes the batch
//! beside them, all streaming. Its predicate for a few keys is an `IN` list; for many, it is
//! [`KeySet::udf`], a function testing each key against the batch's keys held here: one
//! 128-bit hash per key (16 bytes, whatever the key's type or length), sorted, with a
//! directory by the hash's first bits so that a lookup touches one or two cache lines.
//! Two keys with one hash would make the replace drop a row the batch does not replace; the
//! hash is two SipHash-1-3 values under keys drawn at random for each set, so that takes
//! ≈ 2⁻¹²⁸ per pair of distinct keys (1 in 10²⁴ for a batch of ten million keys against a
//! table of a hundred million) and cannot be aimed at.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use deltalake::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, BooleanBuilder};
use deltalake::arrow::datatypes::DataType;
use deltalake::arrow::row::{RowConverter, SortField};
use deltalake::datafusion::common::{DataFusionError, Result as DfResult};
use deltalake::datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// Bytes a set takes per key.
pub const BYTES_PER_KEY: usize = std::mem::size_of::<u128>();

/// The distinct keys of a batch (as hashes), for membership tests.
pub struct KeySet {
    /// Sorted, distinct.
    hashes: Vec<u128>,
    /// `hashes[dir[b]..dir[b + 1]]` are the hashes whose first `bits` bits are `b`.
    dir: Vec<u32>,
    bits: u32,
    hasher: KeyHasher,
}

/// Why a set could not be made.
#[derive(Debug, PartialEq, Eq)]
pub enum KeySetError {
    /// A key is null.
    Null,
    /// A key comes twice (`42` and `42.0` are one number, so text that the key's unique rule
    /// let through can still repeat once typed).
    Repeated,
}

/// Hashes keys of one type the same whichever of the types Arrow stores it as the table's
/// scan or the batch's reader gives it (text as `Utf8`, `LargeUtf8` or views).
#[derive(Clone)]
struct KeyHasher {
    key_type: DataType,
    states: (RandomState, RandomState),
}

impl KeyHasher {
    fn new(key_type: DataType) -> Self {
        KeyHasher {
            key_type,
            states: (RandomState::new(), RandomState::new()),
        }
    }

    fn hash(&self, bytes: &[u8]) -> u128 {
        let mut a = self.states.0.build_hasher();
        let mut b = self.states.1.build_hasher();
        a.write(bytes);
        b.write(bytes);
        (u128::from(a.finish()) << 64) | u128::from(b.finish())
    }

    /// Calls `f` with each row's hash (`None` for a null).
    fn each(&self, array: &ArrayRef, mut f: impl FnMut(Option<u128>)) -> DfResult<()> {
        match array.data_type() {
            DataType::Utf8 => array
                .as_string::<i32>()
                .iter()
                .for_each(|v| f(v.map(|s| self.hash(s.as_bytes())))),
            DataType::LargeUtf8 => array
                .as_string::<i64>()
                .iter()
                .for_each(|v| f(v.map(|s| self.hash(s.as_bytes())))),
            DataType::Utf8View => array
                .as_string_view()
                .iter()
                .for_each(|v| f(v.map(|s| self.hash(s.as_bytes())))),
            _ => {
                // Any other type in Arrow's row format, which compares equal exactly when the
                // values do, after a cast to the key's one type (an `Int32` scan of an `Int64`
                // key must hash alike).
                let array = if array.data_type() == &self.key_type {
                    array.clone()
                } else {
                    deltalake::arrow::compute::cast(array, &self.key_type)?
                };
                let converter = RowConverter::new(vec![SortField::new(self.key_type.clone())])?;
                let rows = converter.convert_columns(std::slice::from_ref(&array))?;
                for (i, row) in rows.iter().enumerate() {
                    f((!array.is_null(i)).then(|| self.hash(row.as_ref())));
                }
            }
        }
        Ok(())
    }
}

/// Collects a batch's keys into a [`KeySet`].
pub struct KeySetBuilder {
    hashes: Vec<u128>,
    hasher: KeyHasher,
    null: bool,
}

impl KeySetBuilder {
    /// For keys of `key_type`, room made for `capacity` of them.
    pub fn new(key_type: DataType, capacity: usize) -> Self {
        KeySetBuilder {
            hashes: Vec::with_capacity(capacity),
            hasher: KeyHasher::new(key_type),
            null: false,
        }
    }

    /// Adds the keys in `array`.
    pub fn push(&mut self, array: &ArrayRef) -> DfResult<()> {
        let (hashes, null) = (&mut self.hashes, &mut self.null);
        self.hasher.each(array, |h| match h {
            Some(h) => hashes.push(h),
            None => *null = true,
        })
    }

    /// Keys added so far.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether no key was added.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn finish(self) -> Result<KeySet, KeySetError> {
        if self.null {
            return Err(KeySetError::Null);
        }
        let mut hashes = self.hashes;
        hashes.sort_unstable();
        if hashes.windows(2).any(|w| w[0] == w[1]) {
            return Err(KeySetError::Repeated);
        }
        hashes.shrink_to_fit();
        // About four hashes a bucket: a lookup reads the directory and one or two lines.
        let bits = (usize::BITS - (hashes.len() / 4).leading_zeros()).min(24);
        let mut dir = vec![0u32; (1usize << bits) + 1];
        for h in &hashes {
            dir[bucket(*h, bits) + 1] += 1;
        }
        let mut below = 0;
        for d in &mut dir {
            below += *d;
            *d = below;
        }
        Ok(KeySet {
            hashes,
            dir,
            bits,
            hasher: self.hasher,
        })
    }
}

fn bucket(h: u128, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (h >> (128 - bits)) as usize
    }
}

impl KeySet {
    /// How many keys.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Bytes the set holds.
    pub fn bytes(&self) -> usize {
        self.hashes.len() * BYTES_PER_KEY + self.dir.len() * std::mem::size_of::<u32>()
    }

    fn contains_hash(&self, h: u128) -> bool {
        let b = bucket(h, self.bits);
        let (lo, hi) = (self.dir[b] as usize, self.dir[b + 1] as usize);
        self.hashes[lo..hi].binary_search(&h).is_ok()
    }

    /// Whether each row's key is in the set (a null key is not).
    pub fn contains(&self, array: &ArrayRef) -> DfResult<BooleanArray> {
        let mut out = BooleanBuilder::with_capacity(array.len());
        self.hasher.each(array, |h| {
            out.append_value(h.is_some_and(|h| self.contains_hash(h)))
        })?;
        Ok(out.finish())
    }

    /// `zhengshu_upsert_keys(key)`: whether the row's key is in the set. (As a replace's
    /// predicate it is also the commit's, in the table's log: the function's name, not the
    /// keys.)
    pub fn udf(self: &Arc<Self>) -> ScalarUDF {
        ScalarUDF::new_from_impl(KeysUdf {
            set: self.clone(),
            signature: Signature::any(1, Volatility::Immutable),
        })
    }
}

#[derive(Debug)]
struct KeysUdf {
    set: Arc<KeySet>,
    signature: Signature,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("keys", &self.hashes.len())
            .field("key_type", &self.hasher.key_type)
            .finish()
    }
}

impl PartialEq for KeysUdf {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.set, &other.set)
    }
}

impl Eq for KeysUdf {}

impl std::hash::Hash for KeysUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.set), state)
    }
}

impl ScalarUDFImpl for KeysUdf {
    fn name(&self) -> &str {
        "zhengshu_upsert_keys"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let [arg] = args.args.as_slice() else {
            return Err(DataFusionError::Plan(
                "zhengshu_upsert_keys takes one argument, the key".into(),
            ));
        };
        let array = arg.to_array(args.number_rows)?;
        Ok(ColumnarValue::Array(Arc::new(self.set.contains(&array)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{
        Int32Array, Int64Array, LargeStringArray, StringArray, StringViewArray,
    };

    fn set_of(array: ArrayRef) -> Result<KeySet, KeySetError> {
        let mut b = KeySetBuilder::new(array.data_type().clone(), array.len());
        b.push(&array).unwrap();
        b.finish()
    }

    fn bools(a: BooleanArray) -> Vec<bool> {
        a.iter().map(|v| v.unwrap()).collect()
    }

    #[test]
    fn text_keys_match_whichever_way_arrow_holds_the_text() {
        let keys: Vec<String> = (0..10_000).map(|i| format!("9144030{i:011}")).collect();
        let set = set_of(Arc::new(StringArray::from(keys.clone()))).unwrap();
        assert_eq!(set.len(), 10_000);
        let probe = [
            "914403000000000042",
            "914403000000099999",
            "",
            "91440300000000004",
        ];
        let want = vec![true, false, false, false];
        let as_utf8: ArrayRef = Arc::new(StringArray::from(probe.to_vec()));
        let as_large: ArrayRef = Arc::new(LargeStringArray::from(probe.to_vec()));
        let as_view: ArrayRef = Arc::new(StringViewArray::from(probe.to_vec()));
        for a in [as_utf8, as_large, as_view] {
            assert_eq!(
                bools(set.contains(&a).unwrap()),
                want,
                "{:?}",
                a.data_type()
            );
        }
        // Every key is found, whichever bucket it falls in.
        let all: ArrayRef = Arc::new(StringViewArray::from(keys));
        assert!(set.contains(&all).unwrap().iter().all(|v| v == Some(true)));
    }

    #[test]
    fn other_types_are_cast_to_the_key_type_first() {
        let set = set_of(Arc::new(Int64Array::from(vec![1, 5, 1 << 40]))).unwrap();
        let narrow: ArrayRef = Arc::new(Int32Array::from(vec![Some(5), Some(6), None]));
        assert_eq!(
            set.contains(&narrow).unwrap().iter().collect::<Vec<_>>(),
            vec![Some(true), Some(false), Some(false)]
        );
        let wide: ArrayRef = Arc::new(Int64Array::from(vec![1 << 40, (1 << 40) + 1]));
        assert_eq!(bools(set.contains(&wide).unwrap()), vec![true, false]);
    }

    #[test]
    fn a_repeated_or_null_key_makes_no_set() {
        assert_eq!(
            set_of(Arc::new(StringArray::from(vec!["a", "b", "a"]))).unwrap_err(),
            KeySetError::Repeated
        );
        assert_eq!(
            set_of(Arc::new(StringArray::from(vec![Some("a"), None]))).unwrap_err(),
            KeySetError::Null
        );
        let empty = set_of(Arc::new(StringArray::from(Vec::<&str>::new()))).unwrap();
        assert!(empty.is_empty());
        let probe: ArrayRef = Arc::new(StringArray::from(vec!["a"]));
        assert_eq!(bools(empty.contains(&probe).unwrap()), vec![false]);
    }

    #[test]
    fn the_directory_covers_every_hash() {
        let keys: Vec<i64> = (0..100_003).map(|i| i * 7919).collect();
        let set = set_of(Arc::new(Int64Array::from(keys.clone()))).unwrap();
        assert_eq!(*set.dir.last().unwrap() as usize, set.len());
        assert!(set.bits > 10, "{}", set.bits);
        assert!(set.bytes() < set.len() * (BYTES_PER_KEY + 2));
        let probe: ArrayRef = Arc::new(Int64Array::from(
            keys.iter().map(|k| k + 1).collect::<Vec<_>>(),
        ));
        assert!(set
            .contains(&probe)
            .unwrap()
            .iter()
            .all(|v| v == Some(false)));
    }
}
