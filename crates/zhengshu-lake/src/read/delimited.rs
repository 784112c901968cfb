//! CSV, read in two stages so that parsing runs on every core.
//!
//! The reader thread only *cuts*: it reads the (transcoded) text in blocks of a few MiB and
//! finds the end of the last whole record in each, which needs nothing but the quotes and
//! the newlines (SIMD `memchr`), and it counts the physical lines so every row keeps its
//! source line number. Each [`CsvBlock`] is then parsed into a [`Chunk`] by whichever
//! ingest worker takes it. A record never straddles two blocks, so the rows and their
//! line numbers are exactly those of one sequential parse (a property test checks this).
//!
//! Quotes follow the CSV parser's rules: a `"` opens a quoted field only at the start of a
//! field (after a delimiter or a line break, or at the start of a record); inside one, `""`
//! is a literal quote and a lone `"` closes it; elsewhere a `"` is an ordinary character.

use std::io::{BufRead, Read};

use memchr::{memchr, memchr_iter, memrchr};

use super::{utf8_reader, Chunk, Limits, Piece, ReadError, RowSource};

/// Picks the delimiter that splits the first lines most consistently: `,` `\t` `;` `|`.
pub fn sniff_delimiter(head: &str) -> u8 {
    let lines: Vec<&str> = head.lines().take(20).filter(|l| !l.is_empty()).collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        if first == 0 {
            continue;
        }
        // Lines (but a possibly cut last one) that agree with the header's count.
        let agree = counts
            .iter()
            .take(counts.len().saturating_sub(1).max(1))
            .filter(|&&c| c == first)
            .count();
        let score = agree * 1000 + first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Where the whole records of a buffer that starts at a record's start end.
#[derive(Debug, PartialEq, Eq)]
struct Cut {
    /// Just past the newline that ends the last (or, with `first_only`, the first) whole
    /// record; None when no record ends in the buffer.
    end: Option<usize>,
    /// Whether the buffer ends inside a quoted field (or on a `"` that may be the first of
    /// a `""`): the text after `end` is then certainly not a whole record.
    open_quote: bool,
}

/// Scans `buf` (which starts at the start of a record) for record ends; see the module
/// docs for the quoting rules. `at_eof`: nothing follows `buf`.
fn find_cut(buf: &[u8], delimiter: u8, first_only: bool, at_eof: bool) -> Cut {
    let mut pos = 0;
    let mut end = None;
    loop {
        // Outside quotes: every newline before the next quote ends a record.
        let Some(q) = memchr(b'"', &buf[pos..]).map(|q| pos + q) else {
            let nl = if first_only {
                memchr(b'\n', &buf[pos..])
            } else {
                memrchr(b'\n', &buf[pos..])
            };
            if let Some(nl) = nl {
                end = Some(pos + nl + 1);
            }
            return Cut {
                end,
                open_quote: false,
            };
        };
        let nl = if first_only {
            memchr(b'\n', &buf[pos..q])
        } else {
            memrchr(b'\n', &buf[pos..q])
        };
        if let Some(nl) = nl {
            end = Some(pos + nl + 1);
            if first_only {
                return Cut {
                    end,
                    open_quote: false,
                };
            }
        }
        pos = q + 1;
        let opens = q == 0 || matches!(buf[q - 1], b'\n' | b'\r') || buf[q - 1] == delimiter;
        if !opens {
            continue; // a quote inside an unquoted field is text
        }
        // Inside a quoted field: find its closing quote.
        loop {
            let Some(c) = memchr(b'"', &buf[pos..]).map(|c| pos + c) else {
                return Cut {
                    end,
                    open_quote: true,
                };
            };
            match buf.get(c + 1) {
                Some(b'"') => pos = c + 2, // `""`: a quote in the text
                Some(_) => {
                    pos = c + 1;
                    break;
                }
                // The buffer ends on a quote: closing at the end of the input, else
                // closing or the first of a `""`, which the next read tells.
                None => {
                    return Cut {
                        end,
                        open_quote: !at_eof,
                    }
                }
            }
        }
    }
}

/// Whole CSV records as UTF-8 text, cut by the reader, parsed by an ingest worker.
#[derive(Debug)]
pub struct CsvBlock {
    text: Vec<u8>,
    /// Physical line (1-based) of the block's first byte.
    first_line: u64,
    delimiter: u8,
}

impl CsvBlock {
    /// Parses the block's records into rows (a blank line is no row).
    pub fn parse(self) -> Result<Chunk, ReadError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(self.text.as_slice());
        let mut chunk = Chunk::with_capacity(self.text.len() / 128 + 1);
        let mut record = csv::ByteRecord::new();
        // The physical line of each record, from its byte offset: the parser's own line
        // count skips blank lines and counts a CRLF file's lines wrong.
        let mut lines = PhysicalLines::new(&self.text, self.first_line);
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| ReadError::Invalid(format!("{:?}", e.into_kind())))?
        {
            if record.len() == 1 && record[0].is_empty() {
                continue;
            }
            let line = lines.at(record.position().map_or(0, |p| p.byte() as usize));
            // The record's fields lie end to end in one buffer: one UTF-8 check and one
            // copy for the record, unless that buffer is not valid text or a field does not
            // start on a character (then field by field, invalid bytes replaced).
            let all = std::str::from_utf8(record.as_slice()).ok();
            match all.filter(|all| {
                (0..record.len()).all(|i| {
                    record
                        .range(i)
                        .is_some_and(|r| all.is_char_boundary(r.start))
                })
            }) {
                Some(all) => chunk.push_fields(
                    all,
                    (0..record.len())
                        .filter_map(|i| record.range(i))
                        .map(|r| r.end),
                ),
                None => {
                    for f in record.iter() {
                        match std::str::from_utf8(f) {
                            Ok(s) => chunk.push_field(s),
                            Err(_) => chunk.push_field(&String::from_utf8_lossy(f)),
                        }
                    }
                }
            }
            chunk.end_row(line);
        }
        Ok(chunk)
    }
}

/// Physical line numbers of record offsets in a text, counted forward once.
struct PhysicalLines<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> PhysicalLines<'a> {
    fn new(text: &'a [u8], first_line: u64) -> Self {
        PhysicalLines {
            text,
            pos: 0,
            line: first_line,
        }
    }

    /// The line of the record the parser places at `offset` (just past the previous
    /// record's terminator; blank lines before the record are skipped first). Offsets
    /// must not decrease.
    fn at(&mut self, offset: usize) -> u64 {
        let mut start = offset.clamp(self.pos, self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line += memchr_iter(b'\n', &self.text[self.pos..start]).count() as u64;
        self.pos = start;
        self.line
    }
}

pub(super) struct CsvSource {
    input: Box<dyn BufRead + Send>,
    /// The input's size, when known.
    pub(super) input_bytes: Option<u64>,
    header: Vec<String>,
    delimiter: u8,
    /// Text read but not yet handed on: the start of an unfinished record.
    carry: Vec<u8>,
    /// Physical line (1-based) of `carry`'s first byte.
    line: u64,
    /// Bytes per block (the last record's remainder comes on top).
    block_bytes: usize,
    eof: bool,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
    detected: String,
    limits: Limits,
}

impl CsvSource {
    pub(super) fn new(input: Box<dyn Read + Send>, limits: Limits) -> Result<CsvSource, ReadError> {
        let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (mut r, enc) = utf8_reader(input, count.clone())?;
        let head = r.fill_buf()?;
        let head_text = String::from_utf8_lossy(&head[..head.len().min(64 * 1024)]);
        let delimiter = sniff_delimiter(&head_text);
        let delim = match delimiter {
            b'\t' => "tab".to_string(),
            d => format!("`{}`", d as char),
        };
        let mut src = CsvSource {
            input: r,
            input_bytes: None,
            header: Vec::new(),
            delimiter,
            carry: Vec::new(),
            line: 1,
            block_bytes: (limits.chunk_rows.max(1) * 256).clamp(4096, 8 << 20),
            eof: false,
            count,
            detected: format!("CSV, {}, delimiter {delim}", enc.label()),
            limits,
        };
        // The header: the first record that is not a blank line.
        let header = loop {
            let Some(block) = src.next_block(true)? else {
                break Vec::new();
            };
            let chunk = block.parse()?;
            if !chunk.is_empty() {
                break chunk
                    .fields(0)
                    .into_iter()
                    .map(|h| h.trim().to_string())
                    .collect::<Vec<_>>();
            }
        };
        if header.iter().all(|h| h.is_empty()) {
            return Err(ReadError::Invalid(
                "the file is empty or its first line (the header) has no column names".into(),
            ));
        }
        src.header = header;
        Ok(src)
    }

    /// Reads until `carry` holds at least `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> Result<(), ReadError> {
        while !self.eof && self.carry.len() < want {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                self.eof = true;
                break;
            }
            let n = buf.len().min(want - self.carry.len());
            self.carry.extend_from_slice(&buf[..n]);
            self.input.consume(n);
        }
        Ok(())
    }

    /// The next block of whole records (with `first_only`, of one record), or None at the
    /// end of the input.
    fn next_block(&mut self, first_only: bool) -> Result<Option<CsvBlock>, ReadError> {
        let step = if first_only {
            64 * 1024
        } else {
            self.block_bytes
        };
        let mut want = step;
        loop {
            self.fill(want)?;
            if self.carry.is_empty() {
                return Ok(None);
            }
            let cut = find_cut(&self.carry, self.delimiter, first_only, self.eof);
            let end = match cut.end {
                // At the end of the input the rest is the last record (without a newline).
                _ if self.eof && !cut.open_quote && !first_only => self.carry.len(),
                Some(end) => end,
                None if self.eof && !cut.open_quote => self.carry.len(),
                None if self.eof => {
                    return Err(ReadError::Invalid(
                        "the file ends inside a quoted field (truncated?); nothing was written"
                            .into(),
                    ))
                }
                None => {
                    // No record ends yet: a long record, or no newline at all.
                    self.check_line_lengths(self.carry.len(), true)?;
                    if self.carry.len() > self.limits.max_line_bytes.saturating_add(step) {
                        return Err(ReadError::AtLine {
                            line: self.line,
                            message: format!(
                                "the record that starts on line {} is longer than {} MiB (a quote that never closes?)",
                                self.line,
                                self.limits.max_line_bytes >> 20
                            ),
                        });
                    }
                    want = self.carry.len() + step;
                    continue;
                }
            };
            let lines = self.check_line_lengths(end, false)?;
            let rest = self.carry.split_off(end);
            let text = std::mem::replace(&mut self.carry, rest);
            let block = CsvBlock {
                text,
                first_line: self.line,
                delimiter: self.delimiter,
            };
            self.line += lines;
            return Ok(Some(block));
        }
    }

    /// Counts the newlines in `carry[..end]` and refuses a physical line longer than the
    /// limit (also an unfinished one at the end when `open_end`).
    fn check_line_lengths(&self, end: usize, open_end: bool) -> Result<u64, ReadError> {
        let max = self.limits.max_line_bytes;
        let text = &self.carry[..end];
        let mut lines = 0u64;
        let mut start = 0usize;
        let too_long = |lines: u64| {
            Err(ReadError::AtLine {
                line: self.line + lines,
                message: format!(
                    "line {} is longer than {} MiB; is this really a CSV file?",
                    self.line + lines,
                    max >> 20
                ),
            })
        };
        for nl in memchr_iter(b'\n', text) {
            if nl - start > max {
                return too_long(lines);
            }
            lines += 1;
            start = nl + 1;
        }
        if (open_end || end == self.carry.len()) && end - start > max {
            return too_long(lines);
        }
        Ok(lines)
    }
}

impl RowSource for CsvSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        while let Some(block) = self.next_block(false)? {
            let chunk = block.parse()?;
            if !chunk.is_empty() {
                return Ok(Some(chunk));
            }
        }
        Ok(None)
    }

    fn next_piece(&mut self) -> Result<Option<Piece>, ReadError> {
        Ok(self.next_block(false)?.map(Piece::Csv))
    }

    fn bytes_read(&self) -> u64 {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn detected(&self) -> String {
        self.detected.clone()
    }

    fn max_rows(&self) -> Option<u64> {
        // A record of the header's width (others are quarantined unchecked) has a delimiter
        // between its fields and a line end, or at the end of the input a value.
        let width = self.header.len().max(1) as u64;
        self.input_bytes.map(|b| b / width)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    /// Every row and its line, as one sequential parse of the whole text gives them.
    fn sequential(text: &[u8], delimiter: u8) -> Rows {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let mut lines = PhysicalLines::new(text, 1);
        while r.read_byte_record(&mut rec).unwrap() {
            if rec.len() == 1 && rec[0].is_empty() {
                continue;
            }
            let line = lines.at(rec.position().unwrap().byte() as usize);
            out.push((line, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    /// Records with their first physical line.
    type Rows = Vec<(u64, Vec<Vec<u8>>)>;

    fn parsed(text: &[u8]) -> Vec<Vec<String>> {
        let chunk = CsvBlock {
            text: text.to_vec(),
            first_line: 1,
            delimiter: b',',
        }
        .parse()
        .unwrap();
        (0..chunk.len())
            .map(|r| {
                (0..chunk.width(r))
                    .map(|c| chunk.field(r, c).unwrap().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn fields_keep_their_text_and_bad_bytes_are_replaced_per_field() {
        // Valid text: each field as it was, quotes and doubled quotes undone.
        assert_eq!(
            parsed("中文,\"a,\"\"b\"\"\",,x\n龙岗,1\n".as_bytes()),
            vec![vec!["中文", "a,\"b\"", "", "x"], vec!["龙岗", "1"]]
        );
        // 中 is E4 B8 AD: cut by the delimiter, the record's fields end to end are valid
        // UTF-8, but neither field is; each is replaced on its own, not glued back.
        assert_eq!(
            parsed(b"\xE4,\xB8\xAD,ok\n"),
            vec![vec!["\u{FFFD}", "\u{FFFD}\u{FFFD}", "ok"]]
        );
        // An invalid byte inside one field leaves the others alone.
        assert_eq!(
            parsed(b"a\xFFb,\xE4\xB8\xAD\n"),
            vec![vec!["a\u{FFFD}b", "中"]]
        );
    }

    /// The same through the splitter with tiny blocks (header included as a row).
    fn split(text: &[u8], delimiter: u8, block_bytes: usize) -> Result<Rows, String> {
        let mut src = CsvSource {
            input: Box::new(std::io::BufReader::with_capacity(
                7,
                std::io::Cursor::new(text.to_vec()),
            )),
            input_bytes: None,
            header: vec![],
            delimiter,
            carry: vec![],
            line: 1,
            block_bytes,
            eof: false,
            count: Default::default(),
            detected: String::new(),
            limits: Limits::default(),
        };
        let mut out = Vec::new();
        while let Some(b) = src.next_block(false).map_err(|e| e.to_string())? {
            let c = b.parse().map_err(|e| e.to_string())?;
            for r in 0..c.len() {
                out.push((
                    c.line(r),
                    c.fields(r).iter().map(|f| f.as_bytes().to_vec()).collect(),
                ));
            }
        }
        Ok(out)
    }

    #[test]
    fn cuts_respect_quotes() {
        let d = b',';
        assert_eq!(find_cut(b"a,b\n1,2\n3", d, false, false).end, Some(8));
        assert_eq!(find_cut(b"a,b\n1,2\n3", d, true, false).end, Some(4));
        // A newline inside quotes is not a record end.
        assert_eq!(
            find_cut(b"a,\"x\ny\"\n1,\"p\nq", d, false, false),
            Cut {
                end: Some(8),
                open_quote: true
            }
        );
        // `""` inside quotes, and a quote inside an unquoted field.
        assert_eq!(
            find_cut(b"a,\"x\"\"\n\"\nb\"c\n", d, false, false).end,
            Some(13)
        );
        // Ends on a quote that may be the first of `""`, unless nothing follows.
        assert_eq!(
            find_cut(b"1\n\"ab\"", d, false, false),
            Cut {
                end: Some(2),
                open_quote: true
            }
        );
        assert_eq!(
            find_cut(b"1\n\"ab\"", d, false, true),
            Cut {
                end: Some(2),
                open_quote: false
            }
        );
        assert_eq!(
            find_cut(b"\"ab", d, false, true),
            Cut {
                end: None,
                open_quote: true
            }
        );
    }

    #[test]
    fn the_header_then_blocks_with_their_line_numbers() {
        let text = "\u{feff}名称,数量\n\n甲,\"1\n2\"\n乙,3\n丙,4";
        let mut src = CsvSource::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            Limits {
                chunk_rows: 1,
                ..Limits::default()
            },
        )
        .unwrap();
        assert_eq!(src.header(), ["名称", "数量"]);
        let mut rows = Vec::new();
        while let Some(c) = src.next_chunk().unwrap() {
            for r in 0..c.len() {
                rows.push((c.line(r), c.fields(r).join("|")));
            }
        }
        assert_eq!(
            rows,
            vec![
                (3, "甲|1\n2".to_string()),
                (5, "乙|3".into()),
                (6, "丙|4".into())
            ]
        );
    }

    #[test]
    fn line_numbers_are_physical_lines_after_blank_lines_and_crlf() {
        let rows = split(b"a,b\r\n\r\n1,2\r\n\n3,\"x\r\ny\"\r\n4,5\r\n", b',', 4096).unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 3, 5, 7]);
    }

    #[test]
    fn truncation_inside_quotes_is_an_error() {
        let e = split(b"a,b\n1,\"unfinished\n", b',', 4).unwrap_err();
        assert!(e.contains("inside a quoted field"), "{e}");
        let e = split(b"a,b\n1,\"x\"\"", b',', 4096).unwrap_err();
        assert!(e.contains("inside a quoted field"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the text and the block size, the rows and their line numbers are those
        /// of one sequential parse.
        #[test]
        fn blocks_parse_as_one_sequential_pass(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("\"".to_string()), Just("\"\"".to_string()), Just(",".to_string()),
                    Just("\n".to_string()), Just("\r\n".to_string()), Just(";".to_string()),
                    "[a-c甲]{1,3}",
                ],
                0..60,
            ),
            block in 1usize..40,
            semicolon in any::<bool>(),
        ) {
            let text = parts.concat();
            let d = if semicolon { b';' } else { b',' };
            // A text that ends inside quotes is refused; others must agree.
            match split(text.as_bytes(), d, block) {
                Ok(rows) => prop_assert_eq!(rows, sequential(text.as_bytes(), d)),
                Err(e) => prop_assert!(e.contains("inside a quoted field"), "{}", e),
            }
        }

        /// `max_rows` bounds the records a unique rule can see: those of the header's width
        /// with a value in some field.
        #[test]
        fn max_rows_bounds_the_rows_with_a_value(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(",".to_string()), Just("\n".to_string()), Just("\r\n".to_string()),
                    Just("\"\"".to_string()), "[a-c甲]{1,3}",
                ],
                0..80,
            ),
        ) {
            let text = parts.concat();
            let Ok(mut src) = CsvSource::new(
                Box::new(std::io::Cursor::new(text.clone().into_bytes())),
                Limits::default(),
            ) else {
                return Ok(());
            };
            src.input_bytes = Some(text.len() as u64);
            let width = src.header().len();
            let mut rows = 0u64;
            while let Ok(Some(chunk)) = src.next_chunk() {
                for r in 0..chunk.len() {
                    let valued = (0..chunk.width(r))
                        .any(|c| !chunk.field(r, c).unwrap_or("").is_empty());
                    if chunk.width(r) == width && valued {
                        rows += 1;
                    }
                }
            }
            prop_assert!(rows <= src.max_rows().unwrap(), "{} rows in {:?}", rows, text);
        }
    }
}
