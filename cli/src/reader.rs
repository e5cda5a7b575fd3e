//! Read: turn a byte stream into batches of raw records.
//!
//! A stream may be compressed: gzip and zstd are recognised by their magic
//! bytes and decompressed on the fly ([`Decompress`]), whatever the file is
//! called. A [`RecordReader`] then cuts the stream into records — JSONL lines,
//! a whole text document, or text documents written back to back with a
//! separator ([`Split`]) — and hands them out in [`Batch`]es of about
//! `batch_bytes` of input, so a caller can clean one batch per worker while
//! the next is read.
//!
//! Nothing is lost, nothing is unbounded:
//!
//! - Memory is bounded by one batch plus the largest record, and a record is
//!   never held past `max_record` bytes: a longer one is streamed through to
//!   its end without being kept and handed out as a [`RawRecord`] with
//!   `too_long` set, in its place, so the caller can write an error record.
//!   The size counted is the decompressed size, so a compression bomb costs
//!   time, not memory.
//! - When the stream breaks (a truncated gzip file, a read error), every
//!   complete record read before the break is handed out first; the error
//!   comes after them, once, and the incomplete record it cut is the one the
//!   caller reports. What comes out does not depend on the batch size.
//! - Zero bytes padding a compressed stream after its last complete member
//!   or frame (as tape and block devices leave) are skipped, as `gzip -d`
//!   does, and counted ([`Decompress::padding`]) so the caller can warn.
//! - A UTF-8 byte order mark at the start of the stream is skipped.
//!
//! Each record knows the 1-based line of the stream where it starts, for
//! error messages and error records.

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::ops::Range;

use pith::input::BOM;

mod json;

use json::{JsonScan, Step};

/// How a stream is compressed, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip.
    Gzip,
    /// zstd.
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

    /// What the stream is a sequence of, for messages.
    pub fn unit(self) -> &'static str {
        match self {
            Compression::None => "stream",
            Compression::Gzip => "gzip member",
            Compression::Zstd => "zstd frame",
        }
    }
}

/// Buffer size for reading and decompressing.
const READ_BUFFER: usize = 1 << 16;

/// The default of `--max-record-bytes`: 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 << 20;

/// The input with its first bytes put back in front of it.
type Sniffed<R> = BufReader<io::Chain<Cursor<Vec<u8>>, R>>;

/// A stream, decompressed when its first bytes are a gzip or zstd magic
/// number and passed through otherwise. Concatenated gzip members and zstd
/// frames are read to the end, as `zcat` and `zstdcat` do; zero bytes after
/// the last complete one are skipped and counted.
pub struct Decompress<R: Read> {
    state: State<Sniffed<R>>,
    compression: Compression,
    padding: u64,
}

enum State<R: BufRead> {
    Plain(R),
    Gzip(flate2::bufread::GzDecoder<R>),
    Zstd(zstd::stream::read::Decoder<'static, R>),
    /// Between two members or frames.
    Between(R),
    Done,
}

impl<R: Read> Decompress<R> {
    /// Reads the first bytes of `input` to tell how it is compressed.
    ///
    /// # Errors
    ///
    /// The I/O error of reading the first bytes.
    pub fn new(mut input: R) -> io::Result<Self> {
        let mut head = Vec::with_capacity(ZSTD_MAGIC.len());
        (&mut input)
            .take(ZSTD_MAGIC.len() as u64)
            .read_to_end(&mut head)?;
        let compression = Compression::detect(&head);
        let stream = BufReader::with_capacity(READ_BUFFER, Cursor::new(head).chain(input));
        let state = match compression {
            Compression::None => State::Plain(stream),
            _ => State::Between(stream),
        };
        Ok(Decompress {
            state,
            compression,
            padding: 0,
        })
    }

    /// How the stream is compressed.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Zero bytes skipped after the last complete member or frame.
    pub fn padding(&self) -> u64 {
        self.padding
    }

    /// After a member or frame: the next one, or the end of the stream
    /// (possibly after zero padding).
    fn next_member(&mut self, mut input: Sniffed<R>) -> io::Result<State<Sniffed<R>>> {
        loop {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                return Ok(State::Done);
            }
            let zeros = buf.iter().take_while(|&&b| b == 0).count();
            if zeros == 0 {
                break;
            }
            input.consume(zeros);
            self.padding += zeros as u64;
        }
        if self.padding > 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "data after {} bytes of zero padding following the last complete {}",
                    self.padding,
                    self.compression.unit()
                ),
            ));
        }
        Ok(match self.compression {
            Compression::Zstd => {
                State::Zstd(zstd::stream::read::Decoder::with_buffer(input)?.single_frame())
            }
            _ => State::Gzip(flate2::bufread::GzDecoder::new(input)),
        })
    }
}

impl<R: Read> Read for Decompress<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = match &mut self.state {
                State::Plain(input) => return input.read(buf),
                State::Done => return Ok(0),
                State::Gzip(decoder) => decoder.read(buf)?,
                State::Zstd(decoder) => decoder.read(buf)?,
                State::Between(_) => 0,
            };
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // The member or frame is complete: on to the next one.
            let input = match std::mem::replace(&mut self.state, State::Done) {
                State::Gzip(decoder) => decoder.into_inner(),
                State::Zstd(mut decoder) => {
                    decoder.finish_frame()?;
                    decoder.into_inner()
                }
                State::Between(input) => input,
                State::Plain(_) | State::Done => return Ok(0),
            };
            self.state = self.next_member(input)?;
        }
    }
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
    /// not documents, and a document starts at its first non-blank line.
    Blank3,
    /// Documents are separated (or terminated) by NUL bytes, as `find
    /// -print0` writes names. An empty piece after the last NUL is not a
    /// document.
    Nul,
    /// JSON text over any number of lines: each element of a top-level
    /// array (pith's `--output json`), or each top-level value, is a record.
    Json,
}

impl Split {
    /// Whether a blank piece is not a record.
    fn drops_blank(self) -> bool {
        matches!(self, Split::Lines | Split::Blank3 | Split::Json)
    }
}

/// One record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// Its bytes in [`Batch::data`]: a JSONL line without its line ending, or
    /// a document with its final line ending but without the separator.
    /// Empty when the record is `too_long`.
    pub range: Range<usize>,
    /// The 1-based line of the stream where it starts.
    pub line: usize,
    /// `Some(length in bytes)` when the record is longer than the reader's
    /// `max_record`: its bytes were skipped, not kept.
    pub too_long: Option<u64>,
}

/// Consecutive records of one stream, in order.
#[derive(Debug, Default)]
pub struct Batch {
    /// The bytes of the records.
    pub data: Vec<u8>,
    /// Where each record is in `data`.
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
    max_record: usize,
    /// Bytes read but not yet handed out: the start of the next record.
    pending: Vec<u8>,
    /// Lines of the stream before `pending`.
    lines_before: usize,
    /// Whether the stream has no more bytes.
    eof: bool,
    /// A read error, handed out after the complete records read before it.
    error: Option<io::Error>,
    /// Whether a byte order mark may still be skipped.
    at_start: bool,
    /// Whether every record has been handed out.
    done: bool,
    /// For [`Split::Json`]: the scan's state at the start of `pending`.
    json: JsonScan,
}

impl<R: Read> RecordReader<R> {
    /// A reader handing out batches of about `batch_bytes` of input, and
    /// records of at most `max_record` bytes (longer ones are skipped and
    /// marked `too_long`).
    pub fn new(input: R, split: Split, batch_bytes: usize, max_record: usize) -> Self {
        RecordReader {
            input,
            split,
            batch_bytes: batch_bytes.max(1),
            max_record: max_record.max(1),
            pending: Vec::new(),
            lines_before: 0,
            eof: false,
            error: None,
            at_start: true,
            done: false,
            json: JsonScan::default(),
        }
    }

    /// Changes how the stream is cut; meant for before the first batch, once
    /// [`RecordReader::head`] has told what the stream holds.
    pub fn set_split(&mut self, split: Split) {
        self.split = split;
    }

    /// The input the records are read from.
    pub fn get_ref(&self) -> &R {
        &self.input
    }

    /// The start of what is left of the stream (after a byte order mark):
    /// at least `max_lines` lines or `max_bytes` bytes when the stream holds
    /// that many, without consuming them. The flag says whether this is the
    /// whole rest of the stream. A read error is kept for
    /// [`RecordReader::next_batch`].
    pub fn head(&mut self, max_lines: usize, max_bytes: usize) -> (&[u8], bool) {
        self.skip_bom();
        loop {
            let lines = memchr::memchr_iter(b'\n', &self.pending).count();
            let len = self.pending.len();
            if lines >= max_lines || len >= max_bytes || self.eof || self.error.is_some() {
                break;
            }
            self.fill((len + READ_BUFFER).min(max_bytes));
        }
        (&self.pending, self.eof)
    }

    /// The next batch, or `None` at the end of the stream. A `Whole` stream
    /// gives exactly one batch with one record, even when empty. A read error
    /// comes once, after the complete records read before it.
    ///
    /// # Errors
    ///
    /// The I/O (or decompression) error of reading the stream.
    pub fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        self.skip_bom();
        // A record one byte over the limit is enough to know it is too long.
        let over = self.max_record.saturating_add(1);
        let mut want = match self.split {
            Split::Whole => over,
            _ => self.batch_bytes,
        };
        loop {
            self.fill(want);
            let mut cut = cut_records(
                &self.pending,
                self.split,
                self.eof,
                self.lines_before,
                &mut self.json,
            );
            if cut.records.is_empty() && !self.eof && self.error.is_none() {
                // Blank lines or separators: drop them, not to cut them again.
                self.pending.drain(..cut.consumed);
                self.lines_before += cut.lines;
                if self.pending.len() >= over {
                    match self.skip_long_record()? {
                        Some(batch) => return Ok(Some(batch)),
                        None => continue,
                    }
                }
                // No complete record yet: it is longer than a batch.
                want = self.pending.len().saturating_mul(2).min(over).max(want);
                continue;
            }
            for record in &mut cut.records {
                let length = record.range.len();
                if length > self.max_record {
                    record.too_long = Some(length as u64);
                    record.range = record.range.start..record.range.start;
                }
            }
            let tail = self.pending.split_off(cut.consumed);
            let data = std::mem::replace(&mut self.pending, tail);
            self.lines_before += cut.lines;
            if cut.records.is_empty() {
                // Only blank lines or separators were left, or the stream broke.
                self.done = true;
                return match self.error.take() {
                    Some(error) => Err(error),
                    None => Ok(None),
                };
            }
            self.done = self.eof && self.pending.is_empty();
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

    /// Skips a byte order mark at the start of the stream.
    fn skip_bom(&mut self) {
        if self.at_start {
            self.fill(BOM.len());
            if self.pending.starts_with(BOM) {
                self.pending.drain(..BOM.len());
            }
            self.at_start = false;
        }
    }

    /// Reads until `pending` holds at least `want` bytes (possibly up to a
    /// read more), the stream ends or a read fails (the error is kept for
    /// later).
    fn fill(&mut self, want: usize) {
        // One allocation per batch rather than doubling copies.
        let batch = self.batch_bytes.min(want);
        self.pending
            .reserve(batch.saturating_sub(self.pending.len()));
        while !self.eof && self.error.is_none() && self.pending.len() < want {
            // Reads of one size whatever is wanted: a decompressor that fails
            // (a bad checksum) drops the output of the read that failed, so
            // what comes before an error must not depend on the batch size.
            match read_into(&mut self.input, &mut self.pending, READ_BUFFER) {
                Ok(0) => self.eof = true,
                Ok(_) => {}
                Err(error) => self.error = Some(error),
            }
        }
    }

    /// `pending` holds more than `max_record` bytes and no complete record:
    /// streams through the rest of the record, keeping at most
    /// `max_record + 1` bytes of it. The batch holds it whole when it turns
    /// out short enough (its separator made `pending` long), or as one
    /// `too_long` record; `None` when it turned out blank (not a record for
    /// JSONL and blank-line splits).
    fn skip_long_record(&mut self) -> io::Result<Option<Batch>> {
        let mut skip = Skip::new(self.split, self.max_record);
        skip.json = self.json;
        let mut first = std::mem::take(&mut self.pending);
        // The record's first bytes are kept where they are, not copied.
        skip.keeping = false;
        let found = skip.feed(&first);
        skip.keeping = true;
        let mut chunk = found.map(|next| first.split_off(next)).unwrap_or_default();
        let from = usize::try_from(skip.start).map_or(first.len(), |s| s.min(first.len()));
        first.drain(..from);
        first.truncate(self.max_record.saturating_add(1));
        skip.kept = first;
        let next = match found {
            Some(_) => 0,
            None => loop {
                chunk.clear();
                if let Some(error) = self.error.take() {
                    // The record is cut short: the error stands for it.
                    self.done = true;
                    return Err(error);
                }
                if self.eof {
                    skip.finish();
                    break 0;
                }
                // Bytes read before an error still count; the error is
                // handed out after the records they complete.
                match read_into(&mut self.input, &mut chunk, READ_BUFFER) {
                    Ok(0) => self.eof = true,
                    Ok(_) => {}
                    Err(error) => self.error = Some(error),
                }
                if let Some(next) = skip.feed(&chunk) {
                    break next;
                }
            },
        };
        chunk.drain(..next.min(chunk.len()));
        self.pending = chunk;
        self.json = skip.json.after_record();
        let line = self.lines_before + skip.leading_lines + 1;
        self.lines_before += skip.lines;
        self.done = self.eof && self.error.is_none() && self.pending.is_empty();
        if skip.blank && self.split.drops_blank() {
            return Ok(None);
        }
        let (data, record) = match usize::try_from(skip.length) {
            Ok(length) if length <= self.max_record => {
                let mut data = skip.kept;
                data.truncate(length);
                (
                    data,
                    RawRecord {
                        range: 0..length,
                        line,
                        too_long: None,
                    },
                )
            }
            _ => (
                Vec::new(),
                RawRecord {
                    range: 0..0,
                    line,
                    too_long: Some(skip.length),
                },
            ),
        };
        Ok(Some(Batch {
            data,
            records: vec![record],
        }))
    }
}

/// Appends what one read of at most `max` bytes gives (0 at the end of the
/// stream). Unlike `read_to_end`, which zeroes the spare capacity it reads
/// into, this touches only the bytes read: a buffer grown to hold a long
/// record costs its length in memory, not twice it.
fn read_into(input: &mut impl Read, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    let start = buf.len();
    buf.resize(start + max, 0);
    let result = loop {
        match input.read(buf.get_mut(start..).unwrap_or_default()) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => break other,
        }
    };
    buf.truncate(start + result.as_ref().map_or(0, |&n| n.min(max)));
    result
}

/// Streams through a record longer than a reader may hold, finding where it
/// ends as [`cut_records`] would, and keeping only its first `max + 1`
/// bytes (all of it, when its separator rather than its text made the
/// reader's buffer long).
struct Skip {
    split: Split,
    max: usize,
    /// The record's first bytes, from `start`, while `keeping`.
    kept: Vec<u8>,
    keeping: bool,
    /// Bytes of the stream seen so far.
    offset: u64,
    /// Where the record starts (after leading blank lines, for `Blank3`)
    /// and how many lines come before it.
    start: u64,
    leading_lines: usize,
    /// Where the current line starts, and where the run of blank lines
    /// before it started (for `Blank3`).
    line_start: u64,
    run_start: u64,
    /// Blank lines in a row before the current line.
    blank_run: usize,
    /// The current line so far: only whitespace; how many form feeds.
    line_blank: bool,
    line_feeds: usize,
    /// Whether the record so far is only whitespace.
    blank: bool,
    /// The record's length, once found.
    length: u64,
    /// Line endings consumed.
    lines: usize,
    /// For [`Split::Json`]: the scan's state.
    json: JsonScan,
}

impl Skip {
    fn new(split: Split, max: usize) -> Skip {
        Skip {
            split,
            max,
            kept: Vec::new(),
            keeping: true,
            offset: 0,
            start: 0,
            leading_lines: 0,
            line_start: 0,
            run_start: 0,
            blank_run: 0,
            line_blank: true,
            line_feeds: 0,
            blank: true,
            length: 0,
            lines: 0,
            json: JsonScan::default(),
        }
    }

    /// The stream ended: the record ends with it, or with its last line
    /// when that is a separator (as the cutter reads a last, unterminated
    /// line).
    fn finish(&mut self) {
        let tail_blank = self.offset > self.line_start && self.line_blank;
        let end = match self.split {
            Split::FormFeed if tail_blank && self.line_feeds == 1 => self.line_start,
            Split::Blank3 if self.blank_run + usize::from(tail_blank) >= 3 => {
                if self.blank_run == 0 {
                    self.line_start
                } else {
                    self.run_start
                }
            }
            _ => self.offset,
        };
        self.length = end.saturating_sub(self.start);
    }

    /// Takes the next bytes of the stream; returns where the next record
    /// starts in `chunk` when this one ends there.
    fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        let base = self.offset;
        let found = match self.split {
            Split::Whole => {
                self.blank = self.blank && is_blank(chunk);
                None
            }
            Split::Lines | Split::Nul => {
                let separator = if self.split == Split::Nul { 0 } else { b'\n' };
                let end = memchr::memchr(separator, chunk);
                let piece = chunk.get(..end.unwrap_or(chunk.len())).unwrap_or_default();
                self.blank = self.blank && is_blank(piece);
                self.lines += memchr::memchr_iter(b'\n', piece).count();
                self.lines += usize::from(end.is_some() && separator == b'\n');
                end.map(|i| {
                    self.length = base + i as u64;
                    i + 1
                })
            }
            Split::FormFeed | Split::Blank3 => self.feed_lines(chunk),
            Split::Json => self.feed_json(chunk),
        };
        let upto = found.unwrap_or(chunk.len());
        self.offset = base + upto as u64;
        if !self.keeping {
            return found;
        }
        // Keep the record's first bytes: this chunk's from the record's start.
        let from = usize::try_from(self.start.saturating_sub(base)).unwrap_or(usize::MAX);
        let room = (self.max + 1).saturating_sub(self.kept.len());
        let piece = chunk.get(from.min(upto)..upto).unwrap_or_default();
        self.kept
            .extend_from_slice(piece.get(..room.min(piece.len())).unwrap_or_default());
        found
    }

    /// Line by line, for separator lines: where the next record starts in
    /// `chunk`, when this one ends there.
    fn feed_lines(&mut self, chunk: &[u8]) -> Option<usize> {
        let base = self.offset;
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', chunk) {
            self.take_line_piece(chunk.get(start..newline).unwrap_or_default());
            let line_start = self.line_start;
            let next = newline + 1;
            self.lines += 1;
            self.line_start = base + next as u64;
            let (blank, feeds) = (self.line_blank, self.line_feeds);
            self.line_blank = true;
            self.line_feeds = 0;
            start = next;
            if self.split == Split::Blank3 && blank && self.blank {
                // Blank lines before a document are not part of it.
                self.start = self.line_start;
                self.leading_lines += 1;
                self.kept.clear();
                continue;
            }
            self.blank = self.blank && blank;
            match self.split {
                Split::FormFeed if blank && feeds == 1 => {
                    self.length = line_start.saturating_sub(self.start);
                    return Some(next);
                }
                Split::Blank3 if blank => {
                    if self.blank_run == 0 {
                        self.run_start = line_start;
                    }
                    self.blank_run += 1;
                    if self.blank_run >= 3 {
                        // The next document starts after the run; the
                        // cutter skips any further blank lines.
                        self.length = self.run_start.saturating_sub(self.start);
                        return Some(next);
                    }
                }
                _ => self.blank_run = 0,
            }
        }
        let tail = chunk.get(start..).unwrap_or_default();
        self.take_line_piece(tail);
        self.blank = self.blank && self.line_blank;
        None
    }

    /// JSON records: where the next record starts in `chunk`, when this one
    /// ends there.
    fn feed_json(&mut self, chunk: &[u8]) -> Option<usize> {
        let base = self.offset;
        for (i, &b) in chunk.iter().enumerate() {
            let newline = usize::from(b == b'\n');
            let step = self.json.step(b);
            match step {
                Step::Start => self.blank = false,
                Step::Between if self.blank => {
                    // Separators before the record are not part of it.
                    self.start = base + i as u64 + 1;
                    self.leading_lines += newline;
                    self.kept.clear();
                }
                Step::End => {
                    self.length = (base + i as u64 + 1).saturating_sub(self.start);
                    return Some(i + 1);
                }
                Step::EndBefore => {
                    self.lines += newline;
                    self.length = (base + i as u64).saturating_sub(self.start);
                    return Some(i + 1);
                }
                _ => {}
            }
            self.lines += newline;
        }
        None
    }

    /// Notes a piece of the current line: whether it keeps the line blank,
    /// and its form feeds.
    fn take_line_piece(&mut self, piece: &[u8]) {
        if self.line_blank && is_blank(piece) {
            self.line_feeds += piece.iter().filter(|&&b| b == b'\x0c').count();
        } else {
            self.line_blank = false;
        }
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
/// starts at the start of a record, on line `lines_before + 1`; `json` is
/// the JSON scan's state there, and becomes its state where the cut ends.
fn cut_records(
    data: &[u8],
    split: Split,
    eof: bool,
    lines_before: usize,
    json: &mut JsonScan,
) -> Cut {
    match split {
        Split::Json => {
            let (cut, after) = json::cut(data, eof, lines_before, *json);
            *json = after;
            cut
        }
        Split::Lines => cut_lines(data, eof, lines_before),
        Split::Nul => cut_nul(data, eof, lines_before),
        Split::FormFeed | Split::Blank3 => cut_documents(data, split, eof, lines_before),
        Split::Whole if !eof => Cut {
            records: Vec::new(),
            consumed: 0,
            lines: 0,
        },
        Split::Whole => Cut {
            records: vec![RawRecord {
                range: 0..data.len(),
                line: lines_before + 1,
                too_long: None,
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
                too_long: None,
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
            too_long: None,
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
    let mut cutter = DocumentCutter {
        data,
        split,
        lines_before,
        cut: Cut {
            records: Vec::new(),
            consumed: 0,
            lines: 0,
        },
        doc: 0,
        doc_line: 0,
        blank_run: 0,
        run_start: 0,
        seen_text: false,
    };
    let mut line_no = 0;
    for (start, end, next) in lines(data, eof) {
        let line = data.get(start..end).unwrap_or_default();
        match split {
            Split::FormFeed => cutter.form_feed_line(line, line_no, start, next),
            _ => cutter.blank3_line(line, line_no, start, next),
        }
        line_no += 1;
    }
    if eof {
        cutter.finish(line_no);
    }
    cutter.cut
}

/// The state of [`cut_documents`] between lines.
struct DocumentCutter<'d> {
    data: &'d [u8],
    split: Split,
    lines_before: usize,
    cut: Cut,
    /// The current document: where it starts, and on which line.
    doc: usize,
    doc_line: usize,
    /// Blank3: the run of blank lines at the end of the current document.
    blank_run: usize,
    run_start: usize,
    /// Blank3: whether a non-blank line was seen (leading blank lines are
    /// not part of the first document).
    seen_text: bool,
}

impl DocumentCutter<'_> {
    /// Adds the record `range`, starting on `line` (Blank3 leaves out a
    /// blank one).
    fn push(&mut self, range: Range<usize>, line: usize) {
        let keep = match self.split {
            Split::Blank3 => !is_blank(self.data.get(range.clone()).unwrap_or_default()),
            _ => true,
        };
        if keep {
            self.cut.records.push(RawRecord {
                range,
                line: self.lines_before + line + 1,
                too_long: None,
            });
        }
    }

    /// Ends the current document before `end`; the next starts at byte
    /// `next`, on line `next_line`.
    fn end_document(&mut self, end: usize, next: usize, next_line: usize) {
        self.push(self.doc..end, self.doc_line);
        self.doc = next;
        self.doc_line = next_line;
        self.cut.consumed = next;
        self.cut.lines = next_line;
    }

    /// FormFeed: a line holding only a form feed ends the document.
    fn form_feed_line(&mut self, line: &[u8], line_no: usize, start: usize, next: usize) {
        if strip_spaces(line) == b"\x0c" {
            self.end_document(start, next, line_no + 1);
        }
    }

    /// Blank3: three blank lines end the document.
    fn blank3_line(&mut self, line: &[u8], line_no: usize, start: usize, next: usize) {
        if is_blank(line) {
            if self.blank_run == 0 {
                self.run_start = start;
            }
            self.blank_run += 1;
            if self.blank_run == 3 && self.seen_text {
                // Three blank lines end the document, whatever follows;
                // further blank lines lead the next one.
                self.end_document(self.run_start, next, line_no + 1);
                self.seen_text = false;
                self.blank_run = 0;
            }
        } else {
            if self.blank_run >= 3 {
                self.end_document(self.run_start, start, line_no);
            } else if !self.seen_text {
                self.doc = start;
                self.doc_line = line_no;
            }
            self.seen_text = true;
            self.blank_run = 0;
        }
    }

    /// At the end of the input, the last document.
    fn finish(&mut self, line_no: usize) {
        let end = if self.blank_run >= 3 {
            self.run_start
        } else {
            self.data.len()
        };
        let last = self.doc..end;
        if !last.is_empty() {
            self.push(last, self.doc_line);
        }
        self.cut.consumed = self.data.len();
        self.cut.lines = line_no;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Every record of `input` read in batches of `batch` bytes, as text with
    /// its line.
    fn records(input: &[u8], split: Split, batch: usize) -> Vec<(String, usize)> {
        let mut reader = RecordReader::new(input, split, batch, DEFAULT_MAX_RECORD_BYTES);
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
        let mut reader = RecordReader::new(input.as_slice(), Split::Lines, 64, 1 << 20);
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
            Decompress::new(compressed.as_slice())
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
        Decompress::new(both.as_slice())
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "first\nsecond\n");
    }

    #[test]
    fn short_and_empty_streams_pass_through() {
        for input in [&b""[..], b"a", b"\x1f", b"ab"] {
            let mut out = Vec::new();
            Decompress::new(input)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, input);
        }
    }

    /// Everything a reader hands out: each record as (text, line, too_long),
    /// then the error message if the stream broke.
    type Everything = (Vec<(String, usize, Option<u64>)>, Option<String>);

    fn read_all(input: impl Read, split: Split, batch: usize, max: usize) -> Everything {
        let mut reader = RecordReader::new(input, split, batch, max);
        let mut out = Vec::new();
        loop {
            match reader.next_batch() {
                Ok(Some(b)) => {
                    for r in &b.records {
                        let text = String::from_utf8_lossy(b.bytes(r)).into_owned();
                        out.push((text, r.line, r.too_long));
                    }
                }
                Ok(None) => return (out, None),
                Err(e) => {
                    assert!(matches!(reader.next_batch(), Ok(None)), "one error only");
                    return (out, Some(e.to_string()));
                }
            }
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    fn jsonl(n: usize) -> Vec<u8> {
        let mut input = Vec::new();
        for i in 0..n {
            writeln!(
                input,
                "{{\"i\":{i},\"text\":\"{}\"}}",
                "word ".repeat(i % 50)
            )
            .unwrap();
        }
        input
    }

    #[test]
    fn a_broken_stream_gives_every_complete_record_then_one_error_for_any_batch() {
        let input = jsonl(2000);
        for compressed in [gzip(&input), zstd::encode_all(input.as_slice(), 3).unwrap()] {
            let cut = &compressed[..compressed.len() * 2 / 3];
            // What a streaming decompressor recovers before the break.
            let mut recovered = Vec::new();
            let _ = Decompress::new(cut).unwrap().read_to_end(&mut recovered);
            let complete = recovered.iter().filter(|&&b| b == b'\n').count();
            assert!(complete > 100, "{complete}");
            for batch in [1, 100, 1 << 20] {
                let (records, error) =
                    read_all(Decompress::new(cut).unwrap(), Split::Lines, batch, 1 << 20);
                assert_eq!(records.len(), complete, "batch {batch}");
                assert!(error.is_some(), "batch {batch}");
                assert_eq!(records.last().unwrap().1, complete);
            }
        }
    }

    #[test]
    fn zero_padding_after_the_last_member_or_frame_is_skipped_and_counted() {
        let input = jsonl(300);
        for mut compressed in [gzip(&input), zstd::encode_all(input.as_slice(), 3).unwrap()] {
            compressed.extend_from_slice(&[0; 1000]);
            let mut stream = Decompress::new(compressed.as_slice()).unwrap();
            let mut out = Vec::new();
            stream.read_to_end(&mut out).unwrap();
            assert_eq!(out, input);
            assert_eq!(stream.padding(), 1000);
            // Anything else after the padding is an error, after the data.
            compressed.extend_from_slice(b"junk");
            let (records, error) = read_all(
                Decompress::new(compressed.as_slice()).unwrap(),
                Split::Lines,
                64,
                1 << 20,
            );
            assert_eq!(records.len(), 300);
            assert!(error.unwrap().contains("zero padding"));
        }
    }

    #[test]
    fn garbage_after_a_member_is_an_error_after_its_records() {
        let mut compressed = gzip(b"one\ntwo\n");
        compressed.extend_from_slice(b"not gzip");
        let (records, error) = read_all(
            Decompress::new(compressed.as_slice()).unwrap(),
            Split::Lines,
            1 << 20,
            1 << 20,
        );
        assert_eq!(records.len(), 2);
        assert!(error.is_some());
    }

    #[test]
    fn records_over_the_limit_are_skipped_in_place_for_every_split() {
        let long = "x".repeat(5000);
        type Expected<'a> = Vec<(&'a str, usize, Option<u64>)>;
        let cases: [(Split, String, Expected); 7] = [
            (
                Split::Json,
                format!("[\n  {{\"a\": 1}},\n  \"{long}\",\n  {{\"b\": \"]\"}}\n]\n"),
                vec![
                    ("{\"a\": 1}", 2, None),
                    ("", 3, Some(5002)),
                    ("{\"b\": \"]\"}", 4, None),
                ],
            ),
            (
                Split::Json,
                format!("{{\"a\": 1}}\n{{\"long\": [\"{long}\"]}} {{}}"),
                vec![
                    ("{\"a\": 1}", 1, None),
                    ("", 2, Some(5014)),
                    ("{}", 2, None),
                ],
            ),
            (
                Split::Lines,
                format!("a\n{long}\nb\n{}\n", " ".repeat(5000)),
                vec![("a", 1, None), ("", 2, Some(5000)), ("b", 3, None)],
            ),
            (
                Split::Nul,
                format!("a\0{long}\n\0b"),
                vec![("a", 1, None), ("", 1, Some(5001)), ("b", 2, None)],
            ),
            (
                Split::FormFeed,
                format!("a\n\x0c\n{long}\n \x0c\t\nb\n"),
                vec![("a\n", 1, None), ("", 3, Some(5001)), ("b\n", 5, None)],
            ),
            (
                Split::Blank3,
                format!("a\n\n\n\n{long}\nmore\n\n \n\n\n\nb\n"),
                vec![("a\n", 1, None), ("", 5, Some(5006)), ("b\n", 12, None)],
            ),
            (Split::Whole, long.clone(), vec![("", 1, Some(5000))]),
        ];
        for (split, input, expected) in cases {
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(t, l, n)| (t.to_string(), l, n))
                .collect();
            for batch in [1, 7, 100, 1 << 20] {
                let (records, error) = read_all(input.as_bytes(), split, batch, 1000);
                assert_eq!(records, expected, "{split:?} batch {batch}");
                assert!(error.is_none());
            }
        }
        // A record at the limit is kept.
        let (records, _) = read_all(&b"abcd\nabcde\n"[..], Split::Lines, 1, 4);
        assert_eq!(records[0], ("abcd".to_string(), 1, None));
        assert_eq!(records[1], (String::new(), 2, Some(5)));
    }

    #[test]
    fn json_records_are_the_same_for_any_batch_and_a_cut_record_comes_last() {
        let mut input = b"\xef\xbb\xbf[\n".to_vec();
        for i in 0..200 {
            let sep = if i == 199 { "" } else { "," };
            writeln!(
                input,
                "  {{\n    \"i\": {i},\n    \"text\": \"a {{[\\\"\"\n  }}{sep}"
            )
            .unwrap();
        }
        input.extend_from_slice(b"]\n");
        let (whole, error) = read_all(input.as_slice(), Split::Json, 1 << 20, 1 << 20);
        assert!(error.is_none());
        assert_eq!(whole.len(), 200);
        assert_eq!(whole[1].1, 6);
        for record in &whole {
            let value: serde_json::Value = serde_json::from_str(&record.0).unwrap();
            assert_eq!(value["text"], "a {[\"");
        }
        for batch in [1, 13, 4096] {
            assert_eq!(
                read_all(input.as_slice(), Split::Json, batch, 1 << 20).0,
                whole
            );
        }
        // Cut short: the complete records, then the cut one as it is.
        let cut = &input[..input.len() / 2];
        let (records, _) = read_all(cut, Split::Json, 64, 1 << 20);
        assert!(records.len() > 90 && records.len() < 110);
        assert!(serde_json::from_str::<serde_json::Value>(&records.last().unwrap().0).is_err());
    }

    #[test]
    fn a_long_record_is_never_held_whole() {
        /// Counts the bytes held: the reader may not hold more than the
        /// limit plus a batch.
        struct Endless(u64);
        impl std::io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.0 as usize);
                buf[..n].fill(b'y');
                self.0 -= n as u64;
                Ok(n)
            }
        }
        let mut reader = RecordReader::new(Endless(50 << 20), Split::Whole, 4096, 1 << 20);
        let batch = reader.next_batch().unwrap().unwrap();
        assert_eq!(batch.records[0].too_long, Some(50 << 20));
        assert!(
            reader.pending.capacity() < 4 << 20,
            "{}",
            reader.pending.capacity()
        );
        assert!(reader.next_batch().unwrap().is_none());
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_the_head_is_not_consumed() {
        let mut reader = RecordReader::new(
            &b"\xef\xbb\xbf{\"a\":1}\n{\"b\":2}\n"[..],
            Split::Whole,
            1,
            100,
        );
        let (head, complete) = reader.head(1, 1000);
        assert!(head.starts_with(b"{\"a\":1}\n"));
        assert!(!complete || head.len() == 16);
        reader.set_split(Split::Lines);
        let mut texts = Vec::new();
        while let Some(b) = reader.next_batch().unwrap() {
            texts.extend(b.records.iter().map(|r| b.bytes(r).to_vec()));
        }
        assert_eq!(texts, [b"{\"a\":1}".to_vec(), b"{\"b\":2}".to_vec()]);
        assert_eq!(
            records(b"\xef\xbb\xbfText", Split::Whole, 2),
            owned(&[("Text", 1)])
        );
    }

    #[test]
    fn blank3_documents_start_at_their_first_non_blank_line() {
        assert_eq!(
            records(b"\n \nDoc one.\n\n\n\n\nDoc two.\n", Split::Blank3, 3),
            owned(&[("Doc one.\n", 3), ("Doc two.\n", 8)])
        );
    }

    #[test]
    fn records_before_a_read_error_do_not_depend_on_the_batch_or_their_length() {
        /// Gives `data`, then fails.
        struct Breaks<'a>(&'a [u8]);
        impl Read for Breaks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("broken"));
                }
                let n = buf.len().min(self.0.len());
                let (head, rest) = self.0.split_at(n);
                buf[..n].copy_from_slice(head);
                self.0 = rest;
                Ok(n)
            }
        }
        let long = "x".repeat(300_000);
        let input = format!("short\n{long}\nshort again\n{long}\nincomplete");
        let expected = vec![
            ("short".to_string(), 1, None),
            (String::new(), 2, Some(300_000)),
            ("short again".to_string(), 3, None),
            (String::new(), 4, Some(300_000)),
        ];
        for batch in [1, 1000, 1 << 20] {
            let (records, error) = read_all(Breaks(input.as_bytes()), Split::Lines, batch, 1000);
            assert_eq!(records, expected, "batch {batch}");
            assert_eq!(error.as_deref(), Some("broken"));
        }
    }

    #[test]
    fn runs_of_blank_lines_are_dropped_as_they_are_read() {
        let input = vec![b'\n'; 300_000];
        let started = std::time::Instant::now();
        for split in [Split::Lines, Split::Blank3] {
            for (batch, max) in [(1, 1), (1000, 10), (1 << 20, 100)] {
                assert_eq!(
                    read_all(input.as_slice(), split, batch, max),
                    (vec![], None)
                );
            }
        }
        let mut text = input.clone();
        text.extend_from_slice(b"text\n");
        let (records, _) = read_all(text.as_slice(), Split::Lines, 1, 1);
        assert_eq!(records, vec![(String::new(), 300_001, Some(4))]);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
