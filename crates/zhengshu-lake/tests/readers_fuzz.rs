//! The same property as the cargo-fuzz target `fuzz/fuzz_targets/read_any.rs`, run on
//! every `cargo test` with proptest: arbitrary bytes, and mutations of valid files, never
//! panic a reader; they give rows or a clear error.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use zhengshu_lake::read::{self, Format, Limits};

fn drain(data: &[u8], format: Format) -> Result<usize, String> {
    let limits = Limits {
        max_line_bytes: 64 * 1024,
        max_xlsx_inflated: 4 << 20,
        max_xlsx_ratio: 200,
        chunk_rows: 64,
    };
    let mut src = read::open(
        Box::new(std::io::Cursor::new(data.to_vec())),
        format,
        limits,
    )
    .map_err(|e| e.to_string())?;
    let mut n = 0;
    while let Some(c) = src.next_chunk().map_err(|e| e.to_string())? {
        for r in 0..c.len() {
            n += c.fields(r).len();
        }
    }
    Ok(n)
}

const CSV: &str = "名称,数量,日期\n\"甲,乙\",1,2021年2月9日\n丙,２,20210209\n";
const JSON: &str = r#"[{"名称":"甲","数量":1},{"名称":"乙","数量":null,"x":[1,2]}]"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for f in [Format::Csv, Format::Json, Format::Xlsx, Format::Parquet] {
            let _ = drain(&data, f);
        }
        let _ = read::open_arrow_ipc(Box::new(std::io::Cursor::new(data.clone())));
    }

    #[test]
    fn mutated_valid_files_never_panic(pos in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
        for (text, f) in [(CSV, Format::Csv), (JSON, Format::Json)] {
            let mut data = text.as_bytes().to_vec();
            let p = pos % data.len();
            data[p] = byte;
            data.truncate(cut.max(1).min(data.len()));
            let _ = drain(&data, f);
        }
    }
}

#[test]
fn the_valid_samples_read() {
    assert_eq!(drain(CSV.as_bytes(), Format::Csv).unwrap(), 6);
    assert_eq!(drain(JSON.as_bytes(), Format::Json).unwrap(), 6);
}
