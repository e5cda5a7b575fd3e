//! The filter: read records, clean them on a pool of workers, write them in
//! input order.
//!
//! Inputs are files or standard input, plain or gzip/zstd compressed (told by
//! their magic bytes). Each is cut into records by [`pith_cli::reader`] and read
//! in batches; [`super::pipeline`] cleans the batches in parallel and hands
//! them back in order, so the output is byte-identical for any thread count.
//!
//! Every input record gives exactly one output record. A record that cannot
//! be read or cleaned becomes an error record in place (JSON outputs) or an
//! empty document plus a message on standard error (text output), and the
//! exit code becomes 1. A panic while cleaning one record is caught and
//! becomes that record's error record. So does a record longer than
//! `--max-record-bytes`, which the reader skips without holding it, and an
//! input that cannot be opened or breaks (after the records read before the
//! break).
//!
//! With `--output auto` the run has one output format, chosen by the first
//! input that can be opened (JSONL for JSONL input, text otherwise), so an
//! input that cannot be opened gets its error record in the format of the
//! others.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use pith::input::{BOM, JsonRecord, LOOKS_LIKE_HTML, RecordError, decode};
use pith::output::{OutputKeys, Position, pretty, to_json, to_jsonl};
use pith::{CleanPanic, Cleaned, Cleaner, Flag, Wanted};
use pith_cli::reader::{Batch, RawRecord};

use super::error_record::error_record;
use super::hint::RecordHint;
use super::inputs::{self, Form, InputArgs, Records, describe, describe_source, input_names};
use super::pipeline::{self, Stopped, panic_message};
use super::report::{Progress, Summary, Tally, write_stats};
use super::{CleanArgs, Failure, OutputFormat};

/// Runs the filter over the arguments' inputs.
pub fn run(cleaner: Cleaner, args: CleanArgs) -> Result<ExitCode, Failure> {
    args.read.check()?;
    if let Some(path) = &args.stats {
        File::create(path).map_err(|e| {
            Failure::Usage(format!("--stats {}: cannot write: {e}", path.display()))
        })?;
    }
    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let names = input_names(&args.files);
    let total = names
        .iter()
        .map(|n| {
            n.as_ref()
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
        })
        .sum::<Option<u64>>();
    let progress = Progress::new(total, args.quiet);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let options = Arc::new(Options::from_args(&args)?);
    let run_output = Arc::new(OnceLock::new());
    let sources = Sources {
        names: names.into_iter(),
        current: None,
        options: Arc::clone(&options),
        batch_bytes: usize::try_from(args.batch_bytes).unwrap_or(usize::MAX),
        bytes_read: Arc::clone(&bytes_read),
        output: Arc::clone(&run_output),
        unopened: Vec::new(),
        queued: VecDeque::new(),
    };
    let cleaner = Arc::new(cleaner);
    let map = move |work: Work| clean_batch(&cleaner, &options, work);
    let stdout = io::stdout();
    let mut writer = Writer {
        out: BufWriter::with_capacity(1 << 16, stdout.lock()),
        documents: 0,
        tally: Tally::default(),
        progress: &progress,
        quiet: args.quiet,
        bytes_read: &bytes_read,
        held: None,
        array: false,
    };
    let result = pipeline::run(threads, sources, map, |output| writer.write(output));
    let result = match result {
        Ok(()) => writer.finish(run_output.get() == Some(&OutputFormat::Json)),
        Err(Stopped::Consumer(failure)) => Err(failure),
        Err(Stopped::LostBatch(message)) => Err(Failure::Io(io::Error::other(format!(
            "internal error, a batch of records was lost: {message}"
        )))),
    };
    progress.finish();
    let summary = Summary {
        tally: &writer.tally,
        bytes_read: bytes_read.load(Ordering::Relaxed),
        elapsed: progress.elapsed(),
        threads,
    };
    if let Some(path) = &args.stats {
        write_stats(path, &summary).map_err(|e| {
            Failure::Io(io::Error::other(format!(
                "--stats {}: cannot write: {e}",
                path.display()
            )))
        })?;
    }
    result?;
    // Quiet by default in scripts: the summary is for a person at a terminal.
    if args.summary || (!args.quiet && io::stderr().is_terminal()) {
        let _ = writeln!(io::stderr(), "{}", summary.line());
    }
    Ok(if writer.tally.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The arguments that shape each record's output.
struct Options {
    read: InputArgs,
    output: OutputFormat,
    no_title: bool,
    keys: OutputKeys,
    /// Whether an input field keeping out one of pith's has been reported.
    collision_noted: AtomicBool,
    /// Whether HTML input has been reported.
    html_noted: AtomicBool,
}

impl Options {
    fn from_args(args: &CleanArgs) -> Result<Options, Failure> {
        let keys = OutputKeys::new(
            args.fields.as_deref(),
            args.no_removed,
            args.prefix.as_deref().unwrap_or(""),
        )
        .map_err(|e| Failure::Usage(format!("--fields: {e}")))?;
        Ok(Options {
            read: args.read.clone(),
            output: args.output,
            no_title: args.no_title,
            keys,
            collision_noted: AtomicBool::new(false),
            html_noted: AtomicBool::new(false),
        })
    }

    /// What `output` shows of a cleaning: the author and publication date
    /// are ranked only for JSON outputs that write them.
    fn wanted(&self, output: OutputFormat) -> Wanted {
        let shown = |key| self.keys.wants(key);
        match output {
            OutputFormat::Json | OutputFormat::Jsonl if shown("author") || shown("published") => {
                Wanted::Everything
            }
            _ => Wanted::Text,
        }
    }

    /// The first time in a run that a JSONL record has fields of the names
    /// of pith's keys: a message saying that the input's win.
    fn collision_note(&self, record: &JsonRecord, position: &Position) -> Option<String> {
        if self.collision_noted.load(Ordering::Relaxed) {
            return None;
        }
        let names = self
            .keys
            .collisions(record, &self.read.text_field, &self.read.id_field);
        if names.is_empty() || !first_time(&self.collision_noted) {
            return None;
        }
        Some(format!(
            "{}: the input's own {} kept, pith's left out (--prefix pith_ writes pith's as pith_{}, …); said once",
            describe(position),
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            names.first().map_or("", String::as_str),
        ))
    }

    /// A cleaned record's messages: what was `replaced` (invalid UTF-8),
    /// and the HTML hint.
    fn notes(
        &self,
        position: &Position,
        replaced: Option<&str>,
        input_flags: &[&str],
    ) -> Vec<String> {
        let replaced = replaced.map(|what| format!("{}: {what} replaced", describe(position)));
        replaced
            .into_iter()
            .chain(self.html_note(input_flags, position))
            .collect()
    }

    /// The first time in a run that a record looks like HTML: how to clean it.
    fn html_note(&self, input_flags: &[&str], position: &Position) -> Option<String> {
        if !input_flags.contains(&LOOKS_LIKE_HTML) || !first_time(&self.html_noted) {
            return None;
        }
        Some(format!(
            "{}: looks like HTML (flagged {}): pith cleans text, not markup; extract the text first (trafilatura, html-text, or a browser's innerText); said once",
            describe(position),
            LOOKS_LIKE_HTML
        ))
    }

    /// The output format: `--output`, or under `auto` the input's own form.
    fn resolve_output(&self, input: Form) -> OutputFormat {
        match (self.output, input) {
            (OutputFormat::Auto, Form::Jsonl) => OutputFormat::Jsonl,
            (OutputFormat::Auto, Form::Json) => OutputFormat::Json,
            (OutputFormat::Auto, Form::Text) => OutputFormat::Text,
            (other, _) => other,
        }
    }
}

/// One input stream, as its records see it.
struct Source {
    /// The file, or `None` for standard input.
    name: Option<String>,
    jsonl: bool,
    output: OutputFormat,
    /// Whether each record is a whole file (text without `--split`).
    whole: bool,
}

/// What a worker is handed.
enum Work {
    /// Consecutive records of one source.
    Records { source: Arc<Source>, batch: Batch },
    /// A source that could not be opened or read to its end: one error record.
    Unreadable {
        name: String,
        output: OutputFormat,
        line: usize,
        message: String,
    },
    /// A message for standard error about an input (how auto detection
    /// read it, padding skipped).
    Notice(String),
}

/// The inputs, opened one after the other and cut into batches.
struct Sources {
    names: std::vec::IntoIter<Option<PathBuf>>,
    current: Option<(Arc<Source>, Records)>,
    options: Arc<Options>,
    batch_bytes: usize,
    bytes_read: Arc<AtomicU64>,
    /// The run's output format, once the first input has been opened
    /// (shared with the writer, which ends an empty JSON output).
    output: Arc<OnceLock<OutputFormat>>,
    /// Inputs that could not be opened before the output format was known:
    /// (name, message).
    unopened: Vec<(String, String)>,
    /// Work to hand out before reading on.
    queued: VecDeque<Work>,
}

impl Iterator for Sources {
    type Item = Work;

    fn next(&mut self) -> Option<Work> {
        loop {
            if let Some(work) = self.queued.pop_front() {
                return Some(work);
            }
            if let Some((source, reader)) = &mut self.current {
                match reader.next_batch() {
                    Ok(Some(batch)) => {
                        return Some(Work::Records {
                            source: Arc::clone(source),
                            batch,
                        });
                    }
                    Ok(None) => {
                        let stream = reader.get_ref();
                        if stream.padding() > 0 {
                            self.queued.push_back(Work::Notice(format!(
                                "{}: {} bytes of zero padding after the last {} skipped",
                                describe_source(source.name.as_deref()),
                                stream.padding(),
                                stream.compression().unit()
                            )));
                        }
                    }
                    Err(e) => {
                        self.queued.push_back(Work::Unreadable {
                            name: describe_source(source.name.as_deref()),
                            output: source.output,
                            line: reader.lines_read() + 1,
                            message: e.to_string(),
                        });
                    }
                }
                self.current = None;
                continue;
            }
            let Some(name) = self.names.next() else {
                // No input could be opened: the format --input implies.
                let output =
                    self.run_output(Form::named(self.options.read.input).unwrap_or(Form::Text));
                self.release_unopened(output);
                return self.queued.pop_front();
            };
            match self.open(name.as_deref()) {
                Ok((source, reader, notice)) => {
                    self.release_unopened(source.output);
                    self.queued.extend(notice.map(Work::Notice));
                    self.current = Some((source, reader));
                }
                Err(e) => {
                    let name = describe_source(name.as_deref().and_then(|p| p.to_str()));
                    self.unopened.push((name, e.to_string()));
                    if let Some(&output) = self.output.get() {
                        self.release_unopened(output);
                    }
                }
            }
        }
    }
}

impl Sources {
    /// The run's output format: the one chosen for the first input opened.
    fn run_output(&mut self, input: Form) -> OutputFormat {
        *self
            .output
            .get_or_init(|| self.options.resolve_output(input))
    }

    /// Queues the error records of the inputs that could not be opened.
    fn release_unopened(&mut self, output: OutputFormat) {
        for (name, message) in self.unopened.drain(..) {
            self.queued.push_back(Work::Unreadable {
                name,
                output,
                line: 0,
                message,
            });
        }
    }

    /// Opens an input for the run, with a message when auto detection had
    /// to choose.
    fn open(
        &mut self,
        path: Option<&std::path::Path>,
    ) -> io::Result<(Arc<Source>, Records, Option<String>)> {
        let opened = inputs::open(
            path,
            &self.options.read,
            self.batch_bytes,
            Arc::clone(&self.bytes_read),
        )?;
        let source = Source {
            name: opened.name,
            jsonl: opened.form.json_records(),
            output: self.run_output(opened.form),
            whole: opened.whole,
        };
        Ok((Arc::new(source), opened.records, opened.notice))
    }
}

/// Whether this is the first call for `said` in the run.
fn first_time(said: &AtomicBool) -> bool {
    !said.swap(true, Ordering::Relaxed)
}

/// A cleaned batch, ready to write.
struct Output {
    bytes: Vec<u8>,
    /// Documents in `bytes`.
    documents: usize,
    /// The run's output format (any, for a batch without documents).
    format: OutputFormat,
    /// Messages for standard error.
    notes: Vec<String>,
    tally: Tally,
}

/// One rendered output record.
struct Rendered {
    text: String,
    /// A message for standard error (errors in text output, warnings).
    notes: Vec<String>,
    /// The cleaned document, for the tally; `None` for an error record.
    cleaned: Option<Cleaned>,
    /// The flags its input earned.
    input_flags: &'static [&'static str],
}

/// Cleans and renders every record of a batch, in order.
fn clean_batch(cleaner: &Cleaner, options: &Options, work: Work) -> Output {
    let (source, batch) = match work {
        Work::Records { source, batch } => (source, batch),
        Work::Unreadable {
            name,
            output,
            line,
            message,
        } => return unreadable(&name, output, line, &message),
        Work::Notice(note) => {
            return Output {
                bytes: Vec::new(),
                documents: 0,
                format: OutputFormat::Auto,
                notes: vec![note],
                tally: Tally::default(),
            };
        }
    };
    let mut out = Output {
        bytes: Vec::with_capacity(batch.data.len() + batch.data.len() / 2),
        documents: 0,
        format: source.output,
        notes: Vec::new(),
        tally: Tally::default(),
    };
    for record in &batch.records {
        let rendered = guarded_render(cleaner, options, &source, &batch, record);
        match &rendered.cleaned {
            Some(cleaned) => out.tally.add_cleaned(cleaned, rendered.input_flags),
            None => out.tally.add_failed(),
        }
        out.notes.extend(rendered.notes);
        // The cleaned document is counted: free it before the output grows.
        drop(rendered.cleaned);
        push_document(
            &mut out.bytes,
            source.output,
            out.documents == 0,
            rendered.text,
        );
        out.documents += 1;
    }
    out
}

/// Renders one record; a panic anywhere in it becomes the record's error.
fn guarded_render(
    cleaner: &Cleaner,
    options: &Options,
    source: &Source,
    batch: &Batch,
    record: &RawRecord,
) -> Rendered {
    let position = Position {
        file: source.name.clone(),
        line: if source.whole { 0 } else { record.line },
    };
    let bytes = batch.bytes(record);
    if let Some(length) = record.too_long {
        let error = RecordError::TooLong {
            bytes: length,
            limit: options.read.max_record_bytes,
        };
        return failure(source.output, &position, error, None, None);
    }
    guard(source.output, &position, bytes, || {
        if source.jsonl {
            render_json_line(cleaner, options, source.output, &position, bytes)
        } else {
            render_text_document(cleaner, options, source, &position, bytes)
        }
    })
}

/// Runs `render` for the record `bytes`; a panic in it becomes the record's
/// error record, carrying the raw input.
fn guard(
    output: OutputFormat,
    position: &Position,
    bytes: &[u8],
    render: impl FnOnce() -> Rendered,
) -> Rendered {
    catch_unwind(AssertUnwindSafe(render)).unwrap_or_else(|panic| {
        let error = RecordError::Panicked(CleanPanic(panic_message(panic.as_ref())));
        failure(output, position, error, None, Some(bytes))
    })
}

/// The error record for `error` (an empty document in text output).
fn failure(
    output: OutputFormat,
    position: &Position,
    error: RecordError,
    record: Option<&JsonRecord>,
    raw: Option<&[u8]>,
) -> Rendered {
    Rendered {
        text: match output {
            OutputFormat::Text | OutputFormat::Auto => String::new(),
            _ => error_record(&error, position, record, raw),
        },
        notes: vec![format!("{}: {}", describe(position), RecordHint(&error))],
        cleaned: None,
        input_flags: &[],
    }
}

fn unreadable(name: &str, output: OutputFormat, line: usize, message: &str) -> Output {
    let error = if line == 0 {
        format!("cannot read {name}: {message}")
    } else {
        format!("cannot read {name} past line {line}: {message}")
    };
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => String::new(),
        _ => serde_json::json!({"error": error, "file": name, "line": line}).to_string(),
    };
    let mut tally = Tally::default();
    tally.add_failed();
    let mut bytes = Vec::new();
    push_document(&mut bytes, output, true, text);
    Output {
        bytes,
        documents: 1,
        format: output,
        notes: vec![error],
        tally,
    }
}

/// What goes between two documents of an output format: a form-feed line
/// in text, a comma in a JSON array, nothing in JSONL.
fn separator(format: OutputFormat) -> &'static [u8] {
    match format {
        OutputFormat::Text | OutputFormat::Auto => b"\x0c\n",
        OutputFormat::Json => b",\n",
        OutputFormat::Jsonl => b"",
    }
}

/// Appends a rendered document to a batch's bytes, after the separator
/// unless it is the batch's `first`. A JSON document's line is ended by what
/// follows it (a separator, or the array's or the output's end).
fn push_document(bytes: &mut Vec<u8>, format: OutputFormat, first: bool, text: String) {
    if !first {
        bytes.extend_from_slice(separator(format));
    }
    let ends_line = match format {
        OutputFormat::Json => false,
        OutputFormat::Jsonl => true,
        OutputFormat::Text | OutputFormat::Auto => !text.is_empty(),
    };
    if bytes.is_empty() {
        // The batch's first output (a big record is alone in its batch):
        // take the rendered text's buffer rather than copy it.
        *bytes = text.into_bytes();
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    if ends_line {
        bytes.push(b'\n');
    }
}

/// The text output of `cleaned`: with its title, or without it (see
/// [`Cleaner::text_without_title`]).
fn text_output(cleaner: &Cleaner, options: &Options, cleaned: &Cleaned) -> String {
    if options.no_title {
        cleaner.text_without_title(cleaned)
    } else {
        cleaned.to_text(true)
    }
}

fn render_text_document(
    cleaner: &Cleaner,
    options: &Options,
    source: &Source,
    position: &Position,
    bytes: &[u8],
) -> Rendered {
    let output = source.output;
    let (text, invalid) = match decode(bytes, options.read.strict) {
        Ok(decoded) => decoded,
        Err(e) => return failure(output, position, e, None, None),
    };
    let mut cleaned = match cleaner.clean_guarded_wanting(&text, None, options.wanted(output)) {
        Ok(c) => c,
        Err(e) => return failure(output, position, e.into(), None, None),
    };
    let input_flags = pith::input::input_flags(&text);
    let notes = options.notes(position, invalid.then_some("invalid UTF-8"), input_flags);
    if invalid {
        cleaned.flags.push(Flag::InvalidUtf8);
    }
    // A whole file is named by its path (standard input `<stdin>`); a
    // document of a split stream by where it starts.
    let id = Some(describe(position));
    let (keys, id) = (&options.keys, id.as_deref());
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => text_output(cleaner, options, &cleaned),
        OutputFormat::Json => to_json(&cleaned, id, true, keys, input_flags),
        OutputFormat::Jsonl => to_json(&cleaned, id, false, keys, input_flags),
    };
    Rendered {
        text,
        notes,
        cleaned: Some(cleaned),
        input_flags,
    }
}

fn render_json_line(
    cleaner: &Cleaner,
    options: &Options,
    output: OutputFormat,
    position: &Position,
    bytes: &[u8],
) -> Rendered {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    // A byte order mark opening a line: files concatenated with `cat`.
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let (line, invalid_line) = match decode(bytes, options.read.strict) {
        Ok(decoded) => decoded,
        Err(e) => return failure(output, position, e, None, Some(bytes)),
    };
    let record = match JsonRecord::parse(&line) {
        Ok(r) => r,
        Err(e) => return failure(output, position, e, None, Some(bytes)),
    };
    let (text, invalid_text) = match record.text(&options.read.text_field, options.read.strict) {
        Ok(t) => t,
        Err(e) => return failure(output, position, e, Some(&record), Some(bytes)),
    };
    // A title pith took from the head of the text (its record has
    // `title_line`) is read as the text's first line again: see
    // `Cleaner::clean_titled`.
    let title_line = record.get(&options.keys.name("title_line"));
    let title = title_line
        .filter(|line| line.get().bytes().all(|b| b.is_ascii_digit()))
        .and_then(|_| record.string(&options.keys.name("title")).ok());
    let wanted = options.wanted(output);
    let mut cleaned = match cleaner.clean_guarded_wanting(&text, title.as_deref(), wanted) {
        Ok(c) => c,
        Err(e) => return failure(output, position, e.into(), Some(&record), Some(bytes)),
    };
    let invalid = invalid_line || invalid_text;
    if invalid {
        cleaned.flags.push(Flag::InvalidUtf8);
    }
    let id = record.id(&options.read.id_field);
    let text_field = &options.read.text_field;
    let keys = &options.keys;
    let input_flags = pith::input::input_flags(&text);
    // The input text is no longer needed: free it before the output is made.
    drop(text);
    let mut notes = options.notes(position, invalid.then_some("invalid text"), input_flags);
    // JSON output holds the same record as JSONL output, laid out.
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => text_output(cleaner, options, &cleaned),
        OutputFormat::Json | OutputFormat::Jsonl => {
            notes.extend(options.collision_note(&record, position));
            let line = to_jsonl(
                &record,
                text_field,
                id.as_deref(),
                &cleaned,
                keys,
                input_flags,
            );
            if output == OutputFormat::Json {
                pretty(&line)
            } else {
                line
            }
        }
    };
    Rendered {
        text,
        notes,
        cleaned: Some(cleaned),
        input_flags,
    }
}

/// A failure to write standard output: fatal (exit 3), except a closed pipe.
fn output_failure(error: io::Error) -> Failure {
    match error.kind() {
        io::ErrorKind::BrokenPipe => Failure::BrokenPipe,
        kind => Failure::Io(io::Error::new(
            kind,
            format!("cannot write to standard output: {error}"),
        )),
    }
}

/// Writes cleaned batches in order, with the separators of the output
/// format, and keeps the run's tally.
struct Writer<'p, W: Write> {
    out: W,
    /// Documents written so far.
    documents: usize,
    tally: Tally,
    progress: &'p Progress,
    quiet: bool,
    bytes_read: &'p AtomicU64,
    /// JSON output: the run's only document so far, held until it is known
    /// whether more follow (then the output is an array) or not (an object).
    held: Option<Vec<u8>>,
    /// JSON output: whether the array has been opened.
    array: bool,
}

impl<W: Write> Writer<'_, W> {
    fn write(&mut self, output: Output) -> Result<(), Failure> {
        if !self.quiet {
            for note in &output.notes {
                self.progress.note(note);
            }
        }
        if output.documents > 0 {
            if output.format == OutputFormat::Json {
                self.write_json(output.bytes, output.documents)?;
            } else {
                if self.documents > 0 {
                    self.put(separator(output.format))?;
                }
                self.put(&output.bytes)?;
            }
        }
        self.documents += output.documents;
        self.tally.merge(output.tally);
        self.progress.set_records(self.tally.records);
        self.progress
            .set_bytes(self.bytes_read.load(Ordering::Relaxed));
        Ok(())
    }

    /// JSON output: one document alone is an object, several an array.
    fn write_json(&mut self, bytes: Vec<u8>, documents: usize) -> Result<(), Failure> {
        if self.documents == 0 && documents == 1 {
            self.held = Some(bytes);
            return Ok(());
        }
        if self.array {
            self.put(b",\n")?;
        } else {
            self.array = true;
            self.put(b"[\n")?;
            if let Some(held) = self.held.take() {
                self.put(&held)?;
                self.put(b",\n")?;
            }
        }
        self.put(&bytes)
    }

    /// Ends the output: the held JSON document, the end of the array, or
    /// an empty array when JSON output has no document.
    fn finish(&mut self, json: bool) -> Result<(), Failure> {
        if let Some(held) = self.held.take() {
            self.put(&held)?;
            self.put(b"\n")?;
        } else if self.array {
            self.put(b"\n]\n")?;
        } else if json && self.documents == 0 {
            self.put(b"[]\n")?;
        }
        self.out.flush().map_err(output_failure)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.out.write_all(bytes).map_err(output_failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_rendering_becomes_the_record_error_record() {
        let position = Position {
            file: Some("in.jsonl".into()),
            line: 7,
        };
        let input = br#"{"id":1,"text":"x"}"#;
        let rendered = guard(OutputFormat::Jsonl, &position, input, || {
            panic!("boom in record 7")
        });
        assert!(rendered.cleaned.is_none());
        let v: serde_json::Value = serde_json::from_str(&rendered.text).unwrap();
        assert_eq!(v["error"], "cleaning failed: boom in record 7");
        assert_eq!(v["line"], 7);
        assert_eq!(v["file"], "in.jsonl");
        assert_eq!(v["input"], r#"{"id":1,"text":"x"}"#);
        assert_eq!(
            rendered.notes.first().map(String::as_str),
            Some("in.jsonl:7: cleaning failed: boom in record 7")
        );
        // Text output: an empty document and the message.
        let rendered = guard(OutputFormat::Text, &position, input, || panic!("boom"));
        assert!(rendered.text.is_empty() && !rendered.notes.is_empty());
    }
}
