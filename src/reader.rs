//! Read: turn a byte stream into batches of raw records.
//!
//! A stream may be compressed: gzip and zstd are recognised by their magic
//! bytes and decompressed on the fly ([`decompress`]), whatever the file is
//! called. A [`RecordReader`] then cuts the stream into records — JSONL lines,
//! a whole text document, or text documents written back to back with a
//! separator ([`Split`]) — and hands them out in [`Batch`]es of about
//! `batch_bytes` of input, so a caller can clean one batch per worker while
//! the next is read. Memory is bounded by one batch plus the largest record:
//! a record longer than a batch makes its batch as long as the record, never
//! more.
//!
//! Each record knows the 1-based line of the stream where it starts, for
//! error messages and error records.

use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;

/// How a stream is compressed, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

impl Compression {
    /// The compression whose magic bytes start `head`.
    pub fn detect(head: &[u8]) -> Compression {
        if head.starts_with(GZIP_MAGIC) {
            Compression::Gzip
        } else if head.starts_with(ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// Buffer size for reading and decompressing.
const READ_BUFFER: usize = 1 << 16;

/// Wraps `input` in a decompressor when its first bytes are a gzip or zstd
/// magic number; plain streams are passed through. Concatenated gzip members
/// and zstd frames are read to the end, as `zcat` and `zstdcat` do.
pub fn decompress<'a, R: Read + Send + 'a>(
    mut input: R,
) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
    (&mut input)
        .take(ZSTD_MAGIC.len() as u64)
        .read_to_end(&mut head)?;
    let compression = Compression::detect(&head);
    let stream = io::Cursor::new(head).chain(input);
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(READ_BUFFER, stream)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            flate2::read::MultiGzDecoder::new(stream),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            READ_BUFFER,
            zstd::stream::read::Decoder::new(stream)?,
        )),
    })
}

/// How a stream is cut into records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// One record per line (JSONL). Blank lines are not records.
    Lines,
    /// The whole stream is one record.
    Whole,
    /// Documents are separated by a line holding only a form feed (`\x0c`),
    /// as pith's own text output writes them. An empty piece after the last
    /// separator is not a document.
    FormFeed,
    /// Documents are separated by three or more blank lines. Blank pieces are
    /// not documents.
    Blank3,
    /// Documents are separated (or terminated) by NUL bytes, as `find
    /// -print0` writes names. An empty piece after the last NUL is not a
    /// document.
    Nul,
}

/// One record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// Its bytes in [`Batch::data`]: a JSONL line without its line ending, or
    /// a document with its final line ending but without the separator.
    pub range: Range<usize>,
    /// The 1-based line of the stream where it starts.
    pub line: usize,
}

/// Consecutive records of one stream, in order.
#[derive(Debug, Default)]
pub struct Batch {
    pub data: Vec<u8>,
    pub records: Vec<RawRecord>,
}

impl Batch {
    /// The bytes of `record`.
    pub fn bytes(&self, record: &RawRecord) -> &[u8] {
        self.data.get(record.range.clone()).unwrap_or_default()
    }
}

/// Cuts a stream into batches of records (see the module docs).
pub struct RecordReader<R> {
    input: R,
    split: Split,
    batch_bytes: usize,
    /// Bytes read but not yet handed out: the start of the next record.
    pending: Vec<u8>,
    /// Lines of the stream before `pending`.
    lines_before: usize,
    /// Whether the stream has no more bytes.
    eof: bool,
    /// Whether every record has been handed out.
    done: bool,
}

impl<R: Read> RecordReader<R> {
    /// A reader handing out batches of about `batch_bytes` of input.
    pub fn new(input: R, split: Split, batch_bytes: usize) -> Self {
        RecordReader {
            input,
            split,
            batch_bytes: batch_bytes.max(1),
            pending: Vec::new(),
            lines_before: 0,
            eof: false,
            done: false,
        }
    }

    /// The next batch, or `None` at the end of the stream. A `Whole` stream
    /// gives exactly one batch with one record, even when empty.
    pub fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        let mut want = match self.split {
            Split::Whole => usize::MAX,
            _ => self.batch_bytes,
        };
        loop {
            self.fill(want)?;
            let cut = cut_records(&self.pending, self.split, self.eof, self.lines_before);
            if cut.records.is_empty() && !self.eof {
                // No complete record yet: it is longer than a batch.
                want = self.pending.len().saturating_mul(2);
                continue;
            }
            let tail = self.pending.split_off(cut.consumed);
            let data = std::mem::replace(&mut self.pending, tail);
            self.lines_before += cut.lines;
            self.done = self.eof && self.pending.is_empty();
            if cut.records.is_empty() {
                // Only blank lines or separators were left.
                return Ok(None);
            }
            return Ok(Some(Batch {
                data,
                records: cut.records,
            }));
        }
    }

    /// Lines of the stream handed out so far.
    pub fn lines_read(&self) -> usize {
        self.lines_before
    }

    /// Reads until `pending` holds at least `want` bytes or the stream ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if want != usize::MAX {
            // One allocation per batch rather than doubling copies.
            self.pending
                .reserve(want.saturating_sub(self.pending.len()));
        }
        while !self.eof && self.pending.len() < want {
            let missing = (want - self.pending.len()) as u64;
            let n = (&mut self.input)
                .take(missing)
                .read_to_end(&mut self.pending)?;
            if n == 0 {
                self.eof = true;
            }
        }
        Ok(())
    }
}

/// The complete records at the start of a buffer.
struct Cut {
    records: Vec<RawRecord>,
    /// Bytes covered by the records and their separators.
    consumed: usize,
    /// Line endings within the consumed bytes.
    lines: usize,
}

/// Finds the complete records of `data` (all of them when `eof`). `data`
/// starts at the start of a record, on line `lines_before + 1`.
fn cut_records(data: &[u8], split: Split, eof: bool, lines_before: usize) -> Cut {
    match split {
        Split::Lines => cut_lines(data, eof, lines_before),
        Split::Nul => cut_nul(data, eof, lines_before),
        Split::FormFeed | Split::Blank3 => cut_documents(data, split, eof, lines_before),
        Split::Whole => Cut {
            records: vec![RawRecord {
                range: 0..data.len(),
                line: lines_before + 1,
            }],
            consumed: data.len(),
            lines: memchr::memchr_iter(b'\n', data).count(),
        },
    }
}

/// The lines of `data`: `(start, end without the line ending, next start)`;
/// the last one only if terminated or `eof`.
fn lines(data: &[u8], eof: bool) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let rest = data.get(start..)?;
        let (end, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (start + i, start + i + 1),
            None if eof => (data.len(), data.len()),
            None => return None,
        };
        let line = (start, end, next);
        start = next;
        Some(line)
    })
}

/// `bytes` without leading and trailing spaces, tabs and carriage returns
/// (a form feed is kept: it is what a separator line holds).
fn strip_spaces(bytes: &[u8]) -> &[u8] {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

fn cut_lines(data: &[u8], eof: bool, lines_before: usize) -> Cut {
    let mut cut = Cut {
        records: Vec::new(),
        consumed: 0,
        lines: 0,
    };
    for (start, end, next) in lines(data, eof) {
        let line = data.get(start..end).unwrap_or_default();
        if !is_blank(line) {
            cut.records.push(RawRecord {
                range: start..end,
                line: lines_before + cut.lines + 1,
            });
        }
        cut.consumed = next;
        cut.lines += 1;
    }
    cut
}

fn cut_nul(data: &[u8], eof: bool, lines_before: usize) -> Cut {
    let mut cut = Cut {
        records: Vec::new(),
        consumed: 0,
        lines: 0,
    };
    let mut start = 0;
    loop {
        let rest = data.get(start..).unwrap_or_default();
        let end = match memchr::memchr(0, rest) {
            Some(i) => start + i,
            None if eof && !rest.is_empty() => data.len(),
            None => break,
        };
        let piece = data.get(start..end).unwrap_or_default();
        cut.records.push(RawRecord {
            range: start..end,
            line: lines_before + cut.lines + 1,
        });
        cut.lines += memchr::memchr_iter(b'\n', piece).count();
        start = (end + 1).min(data.len());
        cut.consumed = start;
        if end == data.len() {
            break;
        }
    }
    cut
}

/// Form-feed and blank-line separated documents.
fn cut_documents(data: &[u8], split: Split, eof: bool, lines_before: usize) -> Cut {
    let mut cut = Cut {
        records: Vec::new(),
        consumed: 0,
        lines: 0,
    };
    // The current document: where it starts, and on which line.
    let mut doc = 0;
    let mut doc_line = 0;
    // Blank3: the run of blank lines at the end of the current document.
    let mut blank_run = 0;
    let mut run_start = 0;
    let mut line_no = 0;
    let push = |cut: &mut Cut, range: Range<usize>, line: usize| {
        let keep = match split {
            Split::Blank3 => !is_blank(data.get(range.clone()).unwrap_or_default()),
            _ => true,
        };
        if keep {
            cut.records.push(RawRecord {
                range,
                line: lines_before + line + 1,
            });
        }
    };
    for (start, end, next) in lines(data, eof) {
        let line = data.get(start..end).unwrap_or_default();
        match split {
            Split::FormFeed => {
                let content: &[u8] = strip_spaces(line);
                if content == b"\x0c" {
                    push(&mut cut, doc..start, doc_line);
                    doc = next;
                    doc_line = line_no + 1;
                    cut.consumed = next;
                    cut.lines = line_no + 1;
                }
            }
            _ => {
                if is_blank(line) {
                    if blank_run == 0 {
                        run_start = start;
                    }
                    blank_run += 1;
                } else {
                    if blank_run >= 3 {
                        push(&mut cut, doc..run_start, doc_line);
                        doc = start;
                        doc_line = line_no;
                        cut.consumed = start;
                        cut.lines = line_no;
                    }
                    blank_run = 0;
                }
            }
        }
        line_no += 1;
    }
    if eof {
        let end = if blank_run >= 3 {
            run_start
        } else {
            data.len()
        };
        let last = doc..end;
        if !last.is_empty() {
            push(&mut cut, last, doc_line);
        }
        cut.consumed = data.len();
        cut.lines = line_no;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Every record of `input` read in batches of `batch` bytes, as text with
    /// its line.
    fn records(input: &[u8], split: Split, batch: usize) -> Vec<(String, usize)> {
        let mut reader = RecordReader::new(input, split, batch);
        let mut out = Vec::new();
        while let Some(b) = reader.next_batch().unwrap() {
            for r in &b.records {
                out.push((String::from_utf8_lossy(b.bytes(r)).into_owned(), r.line));
            }
        }
        out
    }

    fn owned(v: &[(&str, usize)]) -> Vec<(String, usize)> {
        v.iter().map(|(s, l)| (s.to_string(), *l)).collect()
    }

    #[test]
    fn jsonl_lines_skip_blank_lines_and_keep_numbers() {
        let input = b"{\"a\":1}\n\n  \n{\"b\":2}\r\n{\"c\":3}";
        for batch in [1, 3, 8, 1000] {
            assert_eq!(
                records(input, Split::Lines, batch),
                owned(&[("{\"a\":1}", 1), ("{\"b\":2}\r", 4), ("{\"c\":3}", 5)]),
                "batch {batch}"
            );
        }
        assert!(records(b"", Split::Lines, 10).is_empty());
        assert!(records(b"\n\n", Split::Lines, 10).is_empty());
    }

    #[test]
    fn whole_stream_is_one_record_even_when_empty() {
        assert_eq!(records(b"a\nb\n", Split::Whole, 1), owned(&[("a\nb\n", 1)]));
        assert_eq!(records(b"", Split::Whole, 1), owned(&[("", 1)]));
    }

    #[test]
    fn form_feed_reads_pith_text_output_back() {
        let input = b"Title one\n\nBody one.\n\x0c\nBody two.\n\x0c\n\x0c\nBody four.\n";
        for batch in [1, 5, 1000] {
            assert_eq!(
                records(input, Split::FormFeed, batch),
                owned(&[
                    ("Title one\n\nBody one.\n", 1),
                    ("Body two.\n", 5),
                    ("", 7),
                    ("Body four.\n", 8)
                ]),
                "batch {batch}"
            );
        }
        assert_eq!(
            records(b"one\n\x0c\n", Split::FormFeed, 4),
            owned(&[("one\n", 1)])
        );
    }

    #[test]
    fn three_blank_lines_separate_documents() {
        let input = b"\n\n\n\nDoc one.\n\nStill one.\n\n\n\nDoc two.\n \n\t\n\nDoc three.\n\n\n\n";
        for batch in [1, 7, 1000] {
            assert_eq!(
                records(input, Split::Blank3, batch),
                owned(&[
                    ("Doc one.\n\nStill one.\n", 5),
                    ("Doc two.\n", 11),
                    ("Doc three.\n", 15)
                ]),
                "batch {batch}"
            );
        }
    }

    #[test]
    fn nul_separated_documents() {
        let input = b"one\ntwo\0\0three\0";
        for batch in [1, 4, 1000] {
            assert_eq!(
                records(input, Split::Nul, batch),
                owned(&[("one\ntwo", 1), ("", 2), ("three", 2)]),
                "batch {batch}"
            );
        }
        assert_eq!(
            records(b"a\0b", Split::Nul, 1),
            owned(&[("a", 1), ("b", 1)])
        );
    }

    #[test]
    fn batches_hold_about_batch_bytes_and_long_records_whole() {
        let mut input = Vec::new();
        for i in 0..100 {
            writeln!(input, "{{\"i\":{i}}}").unwrap();
        }
        input.extend_from_slice(&[b'x'; 5000]);
        input.push(b'\n');
        let mut reader = RecordReader::new(input.as_slice(), Split::Lines, 64);
        let mut sizes = Vec::new();
        let mut count = 0;
        while let Some(b) = reader.next_batch().unwrap() {
            sizes.push(b.data.len());
            count += b.records.len();
        }
        assert_eq!(count, 101);
        assert!(sizes.iter().rev().skip(1).all(|&s| s <= 64), "{sizes:?}");
        assert!(*sizes.last().unwrap() >= 5000);
    }

    #[test]
    fn compression_is_detected_by_magic_bytes() {
        let text = b"{\"text\":\"hello\"}\n".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let zst = zstd::encode_all(text.as_slice(), 1).unwrap();
        assert_eq!(Compression::detect(&gz), Compression::Gzip);
        assert_eq!(Compression::detect(&zst), Compression::Zstd);
        for compressed in [gz, zst, text.clone()] {
            let mut out = Vec::new();
            decompress(compressed.as_slice())
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, text);
        }
    }

    #[test]
    fn concatenated_gzip_members_are_all_read() {
        let mut both = Vec::new();
        for part in [&b"first\n"[..], b"second\n"] {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(part).unwrap();
            both.extend(gz.finish().unwrap());
        }
        let mut out = String::new();
        decompress(both.as_slice())
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "first\nsecond\n");
    }

    #[test]
    fn short_and_empty_streams_pass_through() {
        for input in [&b""[..], b"a", b"\x1f", b"ab"] {
            let mut out = Vec::new();
            decompress(input).unwrap().read_to_end(&mut out).unwrap();
            assert_eq!(out, input);
        }
    }
}
