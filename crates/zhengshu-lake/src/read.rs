//! Reading the files units send: CSV (UTF-8 with or without BOM, UTF-16 with BOM, GBK or
//! GB18030 — detected; delimiter sniffed), JSON arrays and NDJSON, XLSX and Parquet.
//!
//! Every reader yields [`Chunk`]s of text rows with their source line numbers, a few
//! thousand rows at a time, so memory stays bounded whatever the file size: a physical
//! line longer than [`Limits::max_line_bytes`] and an XLSX whose parts inflate beyond
//! [`Limits::max_xlsx_inflated`] are refused rather than buffered.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use deltalake::arrow::array::{Array, RecordBatch};
use deltalake::arrow::compute::cast;
use deltalake::arrow::datatypes::DataType as ArrowType;

/// The formats zhengshu reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    Parquet,
}

impl Format {
    /// From a file name's extension (`.csv`, `.txt`, `.tsv`, `.json`, `.ndjson`, `.jsonl`,
    /// `.xlsx`, `.parquet`).
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" | "txt" | "tsv" => Format::Csv,
            "json" | "ndjson" | "jsonl" => Format::Json,
            "xlsx" | "xlsm" => Format::Xlsx,
            "parquet" | "pq" => Format::Parquet,
            _ => return None,
        })
    }

    /// From the first bytes of the content (ZIP → XLSX, `PAR1` → Parquet, `[`/`{` → JSON,
    /// otherwise CSV).
    pub fn sniff(head: &[u8]) -> Format {
        if head.starts_with(b"PK\x03\x04") {
            return Format::Xlsx;
        }
        if head.starts_with(b"PAR1") {
            return Format::Parquet;
        }
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') | Some(b'{') => Format::Json,
            _ => Format::Csv,
        }
    }

    /// From a HTTP content type (`text/csv`, `application/json`, `application/x-ndjson`,
    /// `application/vnd.apache.parquet`, the XLSX type).
    pub fn from_content_type(ct: &str) -> Option<Format> {
        let ct = ct.split(';').next()?.trim().to_ascii_lowercase();
        Some(match ct.as_str() {
            "text/csv" | "text/plain" | "text/tab-separated-values" => Format::Csv,
            "application/json" | "application/x-ndjson" | "application/ndjson" => Format::Json,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Format::Xlsx,
            "application/vnd.apache.parquet" | "application/x-parquet" => Format::Parquet,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }
}

/// Bounds that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest physical line (or JSON record) accepted.
    pub max_line_bytes: usize,
    /// Largest total inflated size of an XLSX's parts.
    pub max_xlsx_inflated: u64,
    /// Largest inflate ratio of any XLSX part (zip bombs have ratios in the thousands).
    pub max_xlsx_ratio: u64,
    /// Rows per chunk.
    pub chunk_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: 16 << 20,
            max_xlsx_inflated: 256 << 20,
            max_xlsx_ratio: 200,
            chunk_rows: 16 * 1024,
        }
    }
}

/// A file that cannot be read as a whole (as opposed to a bad row, which is quarantined).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Invalid(String),
    #[error("line {line}: {message}")]
    AtLine { line: u64, message: String },
    #[error("reading the file: {0}")]
    Io(#[from] io::Error),
}

/// A chunk of rows: every field's text packed into one buffer.
#[derive(Debug)]
pub struct Chunk {
    buf: String,
    /// End offset in `buf` of every field, row after row.
    ends: Vec<u32>,
    /// Index into `ends` where each row starts, plus one final entry.
    rows: Vec<u32>,
    /// Source line (CSV, NDJSON), row number (XLSX) or record number (JSON array, Parquet).
    lines: Vec<u64>,
}

impl Default for Chunk {
    fn default() -> Self {
        Chunk::new()
    }
}

impl Chunk {
    /// An empty chunk.
    pub fn new() -> Chunk {
        Chunk::with_capacity(0)
    }

    fn with_capacity(rows: usize) -> Chunk {
        let mut c = Chunk {
            buf: String::with_capacity(rows * 128),
            ends: Vec::with_capacity(rows * 12),
            rows: Vec::with_capacity(rows + 1),
            lines: Vec::with_capacity(rows),
        };
        c.rows.push(0);
        c
    }

    /// Adds one field to the row being built.
    pub fn push_field(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
    }

    /// Adds a row's fields given end to end in `all`, each ending at the next of `ends`
    /// (offsets into `all`, increasing).
    pub fn push_fields(&mut self, all: &str, ends: impl Iterator<Item = usize>) {
        let base = self.buf.len();
        self.buf.push_str(all);
        self.ends.extend(ends.map(|e| (base + e) as u32));
    }

    /// Ends the row being built.
    pub fn end_row(&mut self, line: u64) {
        self.rows.push(self.ends.len() as u32);
        self.lines.push(line);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }

    /// Number of fields in a row.
    pub fn width(&self, row: usize) -> usize {
        (self.rows[row + 1] - self.rows[row]) as usize
    }

    /// Field `col` of `row`; None when the row is shorter.
    pub fn field(&self, row: usize, col: usize) -> Option<&str> {
        let start_idx = self.rows[row] as usize;
        let end_idx = self.rows[row + 1] as usize;
        let i = start_idx + col;
        if i >= end_idx {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.buf.get(start..self.ends[i] as usize)
    }

    /// A row's fields.
    pub fn fields(&self, row: usize) -> Vec<&str> {
        (0..self.width(row))
            .filter_map(|c| self.field(row, c))
            .collect()
    }
}

/// Input as a reader hands it on: rows cut into fields, or CSV text cut at record
/// boundaries that the ingest's workers parse (so that parsing runs on every core).
#[derive(Debug)]
pub enum Piece {
    Rows(Chunk),
    Csv(CsvBlock),
}

impl Piece {
    /// The piece's rows (parsing a CSV block); may be empty (a block of blank lines).
    pub fn into_chunk(self) -> Result<Chunk, ReadError> {
        match self {
            Piece::Rows(c) => Ok(c),
            Piece::Csv(b) => b.parse(),
        }
    }
}

/// A source of rows: the header (column names as written in the file) and chunks.
pub trait RowSource: Send {
    fn header(&self) -> &[String];
    /// The next chunk, or None at the end.
    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError>;
    /// The next piece of input, which may still need parsing ([`Piece::into_chunk`]);
    /// readers whose parsing can run apart from their reading (CSV) override this.
    fn next_piece(&mut self) -> Result<Option<Piece>, ReadError> {
        Ok(self.next_chunk()?.map(Piece::Rows))
    }
    /// Bytes of input consumed so far (for progress).
    fn bytes_read(&self) -> u64;
    /// What was detected (encoding, delimiter, sheet), for the ingest report.
    fn detected(&self) -> String;
    /// The most rows with a value in some column the input can hold, when that is known
    /// before it is read: the row count of a Parquet file or a worksheet; for text, what
    /// its size allows (a CSV row of the header's width takes a byte for each delimiter and
    /// one for its line end or its value).
    /// Decides whether a unique rule's check may outgrow memory ([`crate::seen`]).
    fn max_rows(&self) -> Option<u64> {
        None
    }
}

/// Opens a file, detecting its format from the extension or, failing that, its content.
pub fn open_file(
    path: &Path,
    format: Option<Format>,
    limits: Limits,
) -> Result<Box<dyn RowSource>, ReadError> {
    let mut f = File::open(path)
        .map_err(|e| ReadError::Invalid(format!("cannot open {}: {e}", path.display())))?;
    let format = match format.or_else(|| Format::from_name(&path.to_string_lossy())) {
        Some(f) => f,
        None => {
            let mut head = [0u8; 8];
            let n = f.read(&mut head)?;
            f = File::open(path)?;
            Format::sniff(&head[..n])
        }
    };
    // (A pipe or a device has no size to go by.)
    let bytes = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    open_sized(Box::new(f), bytes, format, limits)
}

/// Opens a reader of the given format.
pub fn open(
    input: Box<dyn Read + Send>,
    format: Format,
    limits: Limits,
) -> Result<Box<dyn RowSource>, ReadError> {
    open_sized(input, None, format, limits)
}

/// Opens a reader of the given format over `bytes` of input (when known: a file, a
/// spooled request body), which bounds the rows it can hold ([`RowSource::max_rows`]).
pub fn open_sized(
    input: Box<dyn Read + Send>,
    bytes: Option<u64>,
    format: Format,
    limits: Limits,
) -> Result<Box<dyn RowSource>, ReadError> {
    Ok(match format {
        Format::Csv => {
            let mut s = delimited::CsvSource::new(input, limits)?;
            s.input_bytes = bytes;
            Box::new(s)
        }
        Format::Json => {
            let mut s = JsonSource::new(input, limits)?;
            s.input_bytes = bytes;
            Box::new(s)
        }
        Format::Xlsx => Box::new(XlsxSource::new(input, limits)?),
        Format::Parquet => Box::new(ParquetSource::new(input, limits)?),
    })
}

// ---------------------------------------------------------------- encodings

/// The text encodings units' systems export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030/GBK",
        }
    }
}

/// Detects the encoding from a BOM or, without one, from whether the head is valid UTF-8
/// (a multi-byte character cut by the end of the head is allowed).
pub fn detect_encoding(head: &[u8]) -> Encoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Encoding::Utf8Bom;
    }
    if head.starts_with(b"\xFF\xFE") {
        return Encoding::Utf16Le;
    }
    if head.starts_with(b"\xFE\xFF") {
        return Encoding::Utf16Be;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        Err(e) if e.error_len().is_none() && head.len() - e.valid_up_to() < 4 => Encoding::Utf8,
        Err(_) => Encoding::Gb18030,
    }
}

/// Transcodes a byte stream to UTF-8 on the fly (GB18030 and UTF-16), in bounded buffers.
struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    in_buf: Vec<u8>,
    in_len: usize,
    out_buf: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
}

impl<R: Read> Transcode<R> {
    fn new(inner: R, enc: &'static encoding_rs::Encoding) -> Self {
        Transcode {
            inner,
            decoder: enc.new_decoder_with_bom_removal(),
            in_buf: vec![0; 64 * 1024],
            in_len: 0,
            out_buf: vec![0; 3 * 64 * 1024 + 16],
            out_pos: 0,
            out_len: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_len {
            if self.eof && self.in_len == 0 {
                return Ok(0);
            }
            if !self.eof && self.in_len < self.in_buf.len() {
                let n = self.inner.read(&mut self.in_buf[self.in_len..])?;
                if n == 0 {
                    self.eof = true;
                }
                self.in_len += n;
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(
                &self.in_buf[..self.in_len],
                &mut self.out_buf,
                self.eof,
            );
            self.in_buf.copy_within(read..self.in_len, 0);
            self.in_len -= read;
            self.out_pos = 0;
            self.out_len = written;
            if self.eof && read == 0 && written == 0 {
                self.in_len = 0;
            }
        }
        let n = buf.len().min(self.out_len - self.out_pos);
        buf[..n].copy_from_slice(&self.out_buf[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Counts bytes consumed (before transcoding).
struct Counted<R> {
    inner: R,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the head, detects the encoding and returns a UTF-8 reader over the whole input
/// (head included) plus what was detected.
fn utf8_reader(
    input: Box<dyn Read + Send>,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> Result<(Box<dyn BufRead + Send>, Encoding), ReadError> {
    let mut r = BufReader::with_capacity(
        1 << 20,
        Counted {
            inner: input,
            count,
        },
    );
    let head = r.fill_buf()?;
    let enc = detect_encoding(head);
    let out: Box<dyn BufRead + Send> = match enc {
        Encoding::Utf8 => Box::new(r),
        Encoding::Utf8Bom => {
            r.consume(3);
            Box::new(r)
        }
        Encoding::Utf16Le => Box::new(BufReader::with_capacity(
            1 << 20,
            Transcode::new(r, encoding_rs::UTF_16LE),
        )),
        Encoding::Utf16Be => Box::new(BufReader::with_capacity(
            1 << 20,
            Transcode::new(r, encoding_rs::UTF_16BE),
        )),
        Encoding::Gb18030 => Box::new(BufReader::with_capacity(
            1 << 20,
            Transcode::new(r, encoding_rs::GB18030),
        )),
    };
    Ok((out, enc))
}

// ---------------------------------------------------------------- CSV

mod delimited;
pub use delimited::{sniff_delimiter, CsvBlock};

// ---------------------------------------------------------------- JSON

/// JSON: an array of objects (or of arrays, the first being the header), or one object per
/// line (NDJSON). The header is the union of the first 1,000 objects' keys in first-seen
/// order; later unknown keys are ignored (and reported as extra columns would be).
struct JsonSource {
    input: Box<dyn BufRead + Send>,
    array: bool,
    header: Vec<String>,
    pending: std::collections::VecDeque<(u64, serde_json::Value)>,
    record_no: u64,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
    limits: Limits,
    done: bool,
    detected: String,
    /// The input's size, when known.
    input_bytes: Option<u64>,
}

impl JsonSource {
    fn new(input: Box<dyn Read + Send>, limits: Limits) -> Result<JsonSource, ReadError> {
        let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (mut r, enc) = utf8_reader(input, count.clone())?;
        // Skip whitespace and see whether this is an array.
        let array = loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Err(ReadError::Invalid("the JSON input is empty".into()));
            }
            let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if skip == buf.len() {
                r.consume(skip);
                continue;
            }
            let first = buf[skip];
            r.consume(skip);
            if first == b'[' {
                r.consume(1);
                break true;
            }
            if first == b'{' {
                break false;
            }
            return Err(ReadError::Invalid(
                "JSON input must be an array of objects or one object per line (NDJSON)".into(),
            ));
        };
        let mut s = JsonSource {
            input: r,
            array,
            header: Vec::new(),
            pending: Default::default(),
            record_no: 0,
            count,
            limits,
            done: false,
            input_bytes: None,
            detected: format!(
                "{}, {}",
                if array { "JSON array" } else { "NDJSON" },
                enc.label()
            ),
        };
        // Look ahead for the header.
        let mut seen = std::collections::HashSet::new();
        while s.pending.len() < 1000 {
            let Some(v) = s.next_value()? else { break };
            match &v.1 {
                serde_json::Value::Object(m) => {
                    for k in m.keys() {
                        if seen.insert(k.clone()) {
                            s.header.push(k.clone());
                        }
                    }
                }
                serde_json::Value::Array(a) if s.header.is_empty() && s.pending.is_empty() => {
                    // An array of arrays: the first is the header.
                    s.header = a.iter().map(|h| json_text(h).unwrap_or_default()).collect();
                    seen.extend(s.header.iter().cloned());
                    continue;
                }
                serde_json::Value::Array(_) => {}
                _ => {
                    return Err(ReadError::AtLine {
                        line: v.0,
                        message: "each record must be a JSON object".into(),
                    })
                }
            }
            s.pending.push_back(v);
        }
        if s.header.is_empty() {
            return Err(ReadError::Invalid("the JSON input has no records".into()));
        }
        Ok(s)
    }

    /// Reads the next record's bytes up to its end, bounded by the line limit, and parses it.
    fn next_value(&mut self) -> Result<Option<(u64, serde_json::Value)>, ReadError> {
        if self.done {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        let mut depth = 0i32;
        let mut in_str = false;
        let mut esc = false;
        let mut started = false;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.done = true;
                if started {
                    return Err(ReadError::AtLine {
                        line: self.record_no + 1,
                        message: "the file ends in the middle of a JSON record (truncated?)".into(),
                    });
                }
                if self.array {
                    return Err(ReadError::Invalid(
                        "the JSON array is not closed with `]` (truncated file?)".into(),
                    ));
                }
                return Ok(None);
            }
            let mut used = 0;
            let mut finished = false;
            for &b in buf {
                used += 1;
                if !started {
                    if b.is_ascii_whitespace() || b == b',' {
                        continue;
                    }
                    if self.array && b == b']' {
                        self.done = true;
                        finished = true;
                        break;
                    }
                    started = true;
                }
                bytes.push(b);
                if in_str {
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            finished = true;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            self.input.consume(used);
            if bytes.len() > self.limits.max_line_bytes {
                return Err(ReadError::AtLine {
                    line: self.record_no + 1,
                    message: format!(
                        "a JSON record longer than {} MiB",
                        self.limits.max_line_bytes >> 20
                    ),
                });
            }
            if finished {
                break;
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        self.record_no += 1;
        let v = serde_json::from_slice(&bytes).map_err(|e| ReadError::AtLine {
            line: self.record_no,
            message: format!("not valid JSON: {e}"),
        })?;
        Ok(Some((self.record_no, v)))
    }
}

/// A JSON value as the text a cell would hold (null → None; nested values as JSON).
fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

impl RowSource for JsonSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        let mut chunk = Chunk::with_capacity(self.limits.chunk_rows.min(4096));
        while chunk.len() < self.limits.chunk_rows {
            let next = match self.pending.pop_front() {
                Some(v) => Some(v),
                None => self.next_value()?,
            };
            let Some((line, v)) = next else { break };
            match v {
                serde_json::Value::Object(m) => {
                    for h in &self.header {
                        chunk.push_field(&m.get(h).and_then(json_text).unwrap_or_default());
                    }
                }
                serde_json::Value::Array(a) => {
                    for x in &a {
                        chunk.push_field(&json_text(x).unwrap_or_default());
                    }
                }
                other => {
                    return Err(ReadError::AtLine {
                        line,
                        message: format!(
                            "each record must be a JSON object, found {}",
                            other.to_string().chars().take(40).collect::<String>()
                        ),
                    })
                }
            }
            chunk.end_row(line);
        }
        Ok(if chunk.is_empty() { None } else { Some(chunk) })
    }

    fn bytes_read(&self) -> u64 {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn detected(&self) -> String {
        self.detected.clone()
    }

    fn max_rows(&self) -> Option<u64> {
        // A record with a value takes three bytes at least: `[1]` (an array record) or
        // more (`{"a":1}`).
        self.input_bytes.map(|b| b / 3)
    }
}

// ---------------------------------------------------------------- XLSX

/// The first worksheet of an XLSX workbook, read cell by cell. The workbook must sit in
/// memory or a file (ZIP needs to seek); its inflated size and ratio are checked first.
struct XlsxSource {
    rows: std::vec::IntoIter<(u64, Vec<String>)>,
    /// Data rows of the worksheet.
    total: u64,
    header: Vec<String>,
    bytes: u64,
    limits: Limits,
    detected: String,
}

impl XlsxSource {
    fn new(mut input: Box<dyn Read + Send>, limits: Limits) -> Result<XlsxSource, ReadError> {
        let mut data = Vec::new();
        input
            .by_ref()
            .take(limits.max_xlsx_inflated + 1)
            .read_to_end(&mut data)?;
        if data.len() as u64 > limits.max_xlsx_inflated {
            return Err(ReadError::Invalid(format!(
                "the XLSX file is larger than {} MiB; save the sheet as CSV instead",
                limits.max_xlsx_inflated >> 20
            )));
        }
        check_zip_bomb(&data, limits)?;
        let bytes = data.len() as u64;
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(io::Cursor::new(data))
            .map_err(|e| ReadError::Invalid(format!("not a readable XLSX workbook: {e}")))?;
        let sheet = wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| ReadError::Invalid("the workbook has no worksheet".into()))?;
        let range = wb
            .worksheet_range(&sheet)
            .map_err(|e| ReadError::Invalid(format!("worksheet `{sheet}`: {e}")))?;
        let start_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        let mut rows = range.rows().enumerate().map(|(i, r)| {
            (
                start_row + i as u64 + 1,
                r.iter().map(cell_text).collect::<Vec<_>>(),
            )
        });
        let header = rows
            .next()
            .map(|(_, h)| h.into_iter().map(|s| s.trim().to_string()).collect())
            .unwrap_or_default();
        let rows: Vec<_> = rows.collect();
        Ok(XlsxSource {
            total: rows.len() as u64,
            rows: rows.into_iter(),
            header,
            bytes,
            limits,
            detected: format!("XLSX, worksheet `{sheet}`"),
        })
    }
}

/// Refuses ZIPs whose parts inflate beyond the limits (checked from the central directory
/// before anything is inflated).
fn check_zip_bomb(data: &[u8], limits: Limits) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(io::Cursor::new(data))
        .map_err(|e| ReadError::Invalid(format!("not a readable XLSX (ZIP) file: {e}")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| ReadError::Invalid(format!("XLSX part {i}: {e}")))?;
        total = total.saturating_add(f.size());
        let ratio = f.size() / f.compressed_size().max(1);
        if f.size() > (1 << 20) && ratio > limits.max_xlsx_ratio {
            return Err(ReadError::Invalid(format!(
                "XLSX part `{}` inflates {ratio}× ({} MiB); refused as a possible zip bomb — save the sheet as CSV instead",
                f.name(),
                f.size() >> 20
            )));
        }
    }
    if total > limits.max_xlsx_inflated {
        return Err(ReadError::Invalid(format!(
            "the XLSX inflates to {} MiB, over the {} MiB limit; save the sheet as CSV instead",
            total >> 20,
            limits.max_xlsx_inflated >> 20
        )));
    }
    Ok(())
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| {
                if t.time() == chrono::NaiveTime::MIN {
                    t.date().to_string()
                } else {
                    t.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            })
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

impl RowSource for XlsxSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        let mut chunk = Chunk::with_capacity(self.limits.chunk_rows.min(4096));
        for (line, row) in self.rows.by_ref() {
            if row.iter().all(|c| c.is_empty()) {
                continue;
            }
            for c in &row {
                chunk.push_field(c);
            }
            chunk.end_row(line);
            if chunk.len() >= self.limits.chunk_rows {
                break;
            }
        }
        Ok(if chunk.is_empty() { None } else { Some(chunk) })
    }

    fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn detected(&self) -> String {
        self.detected.clone()
    }

    fn max_rows(&self) -> Option<u64> {
        Some(self.total)
    }
}

// ---------------------------------------------------------------- Parquet

/// Parquet: read batch by batch; every column is cast to text and goes through the same
/// coercion as a CSV, so the resource's data items decide the types. Parquet needs random
/// access, so the input is first spooled to a temporary file.
struct ParquetSource {
    reader: deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    header: Vec<String>,
    record_no: u64,
    bytes: u64,
    /// Rows in the file: its row groups' (what the reader yields).
    rows: u64,
    detected: String,
}

impl ParquetSource {
    fn new(mut input: Box<dyn Read + Send>, limits: Limits) -> Result<ParquetSource, ReadError> {
        let mut spool = tempfile::tempfile()?;
        let bytes = io::copy(&mut input, &mut spool)?;
        let builder =
            deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                spool,
            )
            .map_err(|e| ReadError::Invalid(format!("not a readable Parquet file: {e}")))?;
        let header = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let rows = builder.metadata().file_metadata().num_rows();
        // What the reader yields: the row groups' rows (the footer's total is the writer's
        // word for it).
        let groups: i64 = builder
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .sum();
        let reader = builder
            .with_batch_size(limits.chunk_rows)
            .build()
            .map_err(|e| ReadError::Invalid(format!("Parquet: {e}")))?;
        Ok(ParquetSource {
            reader,
            header,
            record_no: 0,
            bytes,
            rows: u64::try_from(groups).unwrap_or(0),
            detected: format!("Parquet, {rows} rows"),
        })
    }
}

impl RowSource for ParquetSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        let Some(batch) = self.reader.next() else {
            return Ok(None);
        };
        let batch: RecordBatch = batch.map_err(|e| ReadError::Invalid(format!("Parquet: {e}")))?;
        batch_to_chunk(&batch, &mut self.record_no).map(Some)
    }

    fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn detected(&self) -> String {
        self.detected.clone()
    }

    fn max_rows(&self) -> Option<u64> {
        Some(self.rows)
    }
}

/// An Arrow batch as text rows (every column cast to text, nulls as empty cells).
fn batch_to_chunk(batch: &RecordBatch, record_no: &mut u64) -> Result<Chunk, ReadError> {
    let cols = batch
        .columns()
        .iter()
        .map(|c| cast(c, &ArrowType::Utf8))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ReadError::Invalid(format!("column as text: {e}")))?;
    let cols: Vec<&deltalake::arrow::array::StringArray> = cols
        .iter()
        .filter_map(|c| c.as_any().downcast_ref())
        .collect();
    let mut chunk = Chunk::with_capacity(batch.num_rows());
    for row in 0..batch.num_rows() {
        for c in &cols {
            chunk.push_field(if c.is_null(row) { "" } else { c.value(row) });
        }
        *record_no += 1;
        chunk.end_row(*record_no);
    }
    Ok(chunk)
}

/// Arrow IPC stream (`application/vnd.apache.arrow.stream`), batch by batch.
struct ArrowIpcSource {
    reader: deltalake::arrow::ipc::reader::StreamReader<BufReader<Box<dyn Read + Send>>>,
    header: Vec<String>,
    record_no: u64,
}

/// Opens an Arrow IPC stream.
pub fn open_arrow_ipc(input: Box<dyn Read + Send>) -> Result<Box<dyn RowSource>, ReadError> {
    let reader = deltalake::arrow::ipc::reader::StreamReader::try_new(BufReader::new(input), None)
        .map_err(|e| ReadError::Invalid(format!("not an Arrow IPC stream: {e}")))?;
    let header = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    Ok(Box::new(ArrowIpcSource {
        reader,
        header,
        record_no: 0,
    }))
}

impl RowSource for ArrowIpcSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        match self.reader.next() {
            None => Ok(None),
            Some(Err(e)) => Err(ReadError::Invalid(format!("Arrow IPC: {e}"))),
            Some(Ok(b)) => batch_to_chunk(&b, &mut self.record_no).map(Some),
        }
    }

    fn bytes_read(&self) -> u64 {
        0
    }

    fn detected(&self) -> String {
        "Arrow IPC stream".into()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    type Rows = Vec<(u64, Vec<String>)>;

    fn read_all(data: &[u8], format: Format) -> Result<(Vec<String>, Rows), ReadError> {
        let mut src = open(
            Box::new(io::Cursor::new(data.to_vec())),
            format,
            Limits::default(),
        )?;
        let header = src.header().to_vec();
        let mut rows = Vec::new();
        while let Some(c) = src.next_chunk()? {
            for r in 0..c.len() {
                rows.push((
                    c.line(r),
                    c.fields(r).into_iter().map(String::from).collect(),
                ));
            }
        }
        Ok((header, rows))
    }

    #[test]
    fn csv_in_gbk_with_semicolons_is_detected() {
        let text = "名称;街道\n深圳市甲科技有限公司;平湖街道\n乙公司;坂田街道\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (h, rows) = read_all(&gbk, Format::Csv).unwrap();
        assert_eq!(h, vec!["名称", "街道"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            (
                2,
                vec!["深圳市甲科技有限公司".to_string(), "平湖街道".into()]
            )
        );
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn csv_with_bom_and_quoted_newlines_keeps_line_numbers() {
        let text = "\u{feff}a,b\n1,\"x\ny\"\n2,z\n";
        let (h, rows) = read_all(text.as_bytes(), Format::Csv).unwrap();
        assert_eq!(h, vec!["a", "b"]);
        assert_eq!(rows[0].1, vec!["1", "x\ny"]);
        assert_eq!(rows[1].0, 4);
    }

    #[test]
    fn utf16_with_bom_is_transcoded() {
        let mut data = vec![0xFF, 0xFE];
        for u in "名称\t数量\n甲\t1\n".encode_utf16() {
            data.extend_from_slice(&u.to_le_bytes());
        }
        let (h, rows) = read_all(&data, Format::Csv).unwrap();
        assert_eq!(h, vec!["名称", "数量"]);
        assert_eq!(rows[0].1, vec!["甲", "1"]);
    }

    #[test]
    fn a_huge_line_is_refused_not_buffered() {
        let mut data = b"a,b\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 3 << 20));
        let mut src = open(
            Box::new(io::Cursor::new(data)),
            Format::Csv,
            Limits {
                max_line_bytes: 1 << 20,
                ..Limits::default()
            },
        )
        .unwrap();
        let err = src.next_chunk().unwrap_err().to_string();
        assert!(err.contains("longer than 1 MiB"), "{err}");
    }

    #[test]
    fn json_array_ndjson_and_truncation() {
        let (h, rows) = read_all(br#"[{"a":1,"b":"x"},{"b":"y","c":true}]"#, Format::Json).unwrap();
        assert_eq!(h, vec!["a", "b", "c"]);
        assert_eq!(rows[1].1, vec!["", "y", "true"]);
        let (h, rows) = read_all(b"{\"a\":1}\n{\"a\":2}\n", Format::Json).unwrap();
        assert_eq!(h, vec!["a"]);
        assert_eq!(rows.len(), 2);
        let err = read_all(br#"[{"a":1},{"a":"#, Format::Json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
        let err = read_all(br#"[{"a":1},{"a":2}"#, Format::Json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not closed"), "{err}");
    }

    #[test]
    fn xlsx_round_trip_and_bomb_check() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "名称").unwrap();
        ws.write(0, 1, "数量").unwrap();
        ws.write(1, 0, "甲").unwrap();
        ws.write(1, 1, 3).unwrap();
        let data = wb.save_to_buffer().unwrap();
        let (h, rows) = read_all(&data, Format::Xlsx).unwrap();
        assert_eq!(h, vec!["名称", "数量"]);
        assert_eq!(rows, vec![(2, vec!["甲".to_string(), "3".into()])]);
        // A workbook whose parts inflate far beyond the file is refused before inflating.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for r in 0..5000u32 {
            ws.write(r, 0, "重复的内容重复的内容").unwrap();
            ws.write(r, 1, 12345).unwrap();
        }
        let big = wb.save_to_buffer().unwrap();
        let tight = Limits {
            max_xlsx_inflated: big.len() as u64 + 1000,
            ..Limits::default()
        };
        let err = open(Box::new(io::Cursor::new(big)), Format::Xlsx, tight)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("inflates"), "{err}");
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b;c\n1,2;3\n"), b',');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(Format::sniff(b"PK\x03\x04"), Format::Xlsx);
        assert_eq!(Format::sniff(b"  [{"), Format::Json);
        assert_eq!(detect_encoding("名称".as_bytes()), Encoding::Utf8);
        assert_eq!(detect_encoding(&"名称".as_bytes()[..4]), Encoding::Utf8);
        assert_eq!(
            detect_encoding(&encoding_rs::GBK.encode("名称,街道").0),
            Encoding::Gb18030
        );
    }
}
