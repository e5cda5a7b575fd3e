//! Opening an input the way the filter reads it, for the filter and for
//! `explain` alike: a file or standard input, decompressed when gzip or
//! zstd, told JSONL from text (auto detection), and cut into records by
//! [`pith_cli::reader`].

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Args;

use pith::input::{DETECT_BYTES, DETECT_LINES, detect};
use pith::output::Position;
use pith_cli::reader::{Decompress, RecordReader, Split};

use super::{Failure, InputFormat, SplitMode};

/// How inputs are read and cut into records.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input: InputFormat,
    /// The JSONL field holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// The JSONL field holding the record id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// Refuse invalid UTF-8 (an error record) instead of replacing it.
    #[arg(long)]
    pub strict: bool,
    /// Text input: cut each stream into documents at a separator (implies text input).
    #[arg(long, value_enum, default_value_t = SplitMode::None, value_name = "SEPARATOR")]
    pub split: SplitMode,
    /// A longer record (line of JSONL, text document) becomes an error record; it is skipped, never held whole.
    #[arg(long, default_value_t = pith_cli::reader::DEFAULT_MAX_RECORD_BYTES as u64, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_record_bytes: u64,
}

impl InputArgs {
    /// Refuses contradictory options.
    pub fn check(&self) -> Result<(), Failure> {
        if self.split != SplitMode::None
            && matches!(self.input, InputFormat::Jsonl | InputFormat::Json)
        {
            return Err(Failure::Usage(
                "--split cuts text streams into documents; it cannot be used with --input jsonl or json"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// The inputs named on the command line: `None` for standard input (no
/// name, or `-`).
pub fn input_names(files: &[PathBuf]) -> Vec<Option<PathBuf>> {
    if files.is_empty() {
        return vec![None];
    }
    files
        .iter()
        .map(|p| (p.as_os_str() != "-").then(|| p.clone()))
        .collect()
}

/// The records of an opened input.
pub type Records = RecordReader<Decompress<Counted<Box<dyn Read + Send>>>>;

/// What an input's records are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Text documents.
    Text,
    /// JSON objects, one a line.
    Jsonl,
    /// JSON objects over several lines: an array of them, or one after another.
    Json,
}

impl Form {
    /// Whether each record is a JSON object holding the text.
    pub fn json_records(self) -> bool {
        self != Form::Text
    }

    /// The form `--input` names, when it names one.
    pub fn named(input: InputFormat) -> Option<Form> {
        match input {
            InputFormat::Text => Some(Form::Text),
            InputFormat::Jsonl => Some(Form::Jsonl),
            InputFormat::Json => Some(Form::Json),
            InputFormat::Auto => None,
        }
    }
}

/// An opened input.
pub struct Opened {
    /// The file, or `None` for standard input.
    pub name: Option<String>,
    pub form: Form,
    /// Whether each record is a whole file (text without `--split`).
    pub whole: bool,
    pub records: Records,
    /// How auto detection read the input, when the choice was not obvious.
    pub notice: Option<String>,
}

/// Opens a file (standard input for `None`), decompresses it if need be and
/// tells JSONL from text; `count` adds up the bytes read.
pub fn open(
    path: Option<&Path>,
    args: &InputArgs,
    batch_bytes: usize,
    count: Arc<AtomicU64>,
) -> io::Result<Opened> {
    let raw: Box<dyn Read + Send> = match path {
        Some(p) => Box::new(File::open(p)?),
        None => Box::new(io::stdin()),
    };
    let name = path.map(|p| p.display().to_string());
    let mut records = RecordReader::new(
        Decompress::new(Counted { inner: raw, count })?,
        Split::Whole,
        batch_bytes,
        usize::try_from(args.max_record_bytes).unwrap_or(usize::MAX),
    );
    let mut notice = None;
    // --split implies text input.
    let form = match Form::named(args.input) {
        Some(form) => form,
        None if args.split != SplitMode::None => Form::Text,
        None => {
            let (head, complete) = records.head(DETECT_LINES, DETECT_BYTES);
            let detection = detect(head, complete);
            if !detection.obvious() {
                notice = Some(format!(
                    "{}: {}",
                    describe_source(name.as_deref()),
                    detection_notice(&detection)
                ));
            }
            match (detection.jsonl, detection.json) {
                (true, _) => Form::Jsonl,
                (false, true) => Form::Json,
                (false, false) => Form::Text,
            }
        }
    };
    records.set_split(match (form, args.split) {
        (Form::Jsonl, _) => Split::Lines,
        (Form::Json, _) => Split::Json,
        (Form::Text, SplitMode::None) => Split::Whole,
        (Form::Text, SplitMode::Formfeed) => Split::FormFeed,
        (Form::Text, SplitMode::Blank3) => Split::Blank3,
        (Form::Text, SplitMode::Nul) => Split::Nul,
    });
    Ok(Opened {
        whole: form == Form::Text && args.split == SplitMode::None,
        name,
        form,
        records,
        notice,
    })
}

/// How auto detection read an input, and why, when it was not obvious.
fn detection_notice(detection: &pith::input::Detection) -> String {
    if detection.json {
        return "read as JSON records (it starts with a JSON object or array of objects, not one object a line; --input text to read it otherwise)".into();
    }
    let (mode, other) = if detection.jsonl {
        ("JSONL", "text")
    } else {
        ("text", "jsonl")
    };
    let why = if detection.checked == 0 {
        "it starts with `{` and its first line is too long to check".to_string()
    } else {
        format!(
            "{} of its first {} lines are JSON objects",
            detection.objects, detection.checked
        )
    };
    format!("read as {mode}: {why} (--input {other} to read it otherwise)")
}

/// Counts the bytes read from an input, for the progress bar and summary.
pub struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An input's name in messages and ids: the path, or `<stdin>`.
pub fn describe_source(name: Option<&str>) -> String {
    name.unwrap_or("<stdin>").to_string()
}

/// Where a record starts, in messages and as a text document's id: the
/// file (`<stdin>`) for a whole-file document, `FILE:LINE` otherwise.
pub fn describe(position: &Position) -> String {
    match (&position.file, position.line) {
        (Some(f), 0) => f.clone(),
        (None, 0) => "<stdin>".into(),
        (Some(f), n) => format!("{f}:{n}"),
        (None, n) => format!("<stdin>:{n}"),
    }
}
