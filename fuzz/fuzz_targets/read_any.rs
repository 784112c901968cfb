//! Any bytes through every reader (CSV with encoding and delimiter detection, JSON/NDJSON,
//! XLSX, Parquet, Arrow IPC): a reader may refuse the input with an error, never panic,
//! hang or allocate without bound (limits are tight here so the fuzzer finds overruns).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhengshu_lake::read::{self, Format, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_line_bytes: 64 * 1024,
        max_xlsx_inflated: 4 << 20,
        max_xlsx_ratio: 200,
        chunk_rows: 64,
    };
    for format in [Format::Csv, Format::Json, Format::Xlsx, Format::Parquet] {
        if let Ok(mut src) = read::open(Box::new(std::io::Cursor::new(data.to_vec())), format, limits) {
            while let Ok(Some(chunk)) = src.next_chunk() {
                for r in 0..chunk.len() {
                    let _ = chunk.fields(r);
                }
            }
        }
    }
    if let Ok(mut src) = read::open_arrow_ipc(Box::new(std::io::Cursor::new(data.to_vec()))) {
        while let Ok(Some(_)) = src.next_chunk() {}
    }
});
