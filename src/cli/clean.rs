//! The filter: read records, clean each, write them in input order.
//!
//! Every input record gives exactly one output record. A record that cannot
//! be read or cleaned becomes an error record in place (JSON outputs) or an
//! empty document plus a message on standard error (text output), and the
//! exit code becomes 1.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use pith::input::{JsonRecord, RecordError, decode, looks_like_jsonl};
use pith::output::{Position, error_record, to_json, to_jsonl};
use pith::{Cleaner, Flag};

use super::{CleanArgs, Failure, InputFormat, OutputFormat};

/// One rendered output record.
struct Rendered {
    text: String,
    /// A message for standard error (errors in text output, warnings).
    note: Option<String>,
    failed: bool,
}

/// Runs the filter over the arguments' inputs.
pub fn run(cleaner: &Cleaner, args: &CleanArgs) -> Result<ExitCode, Failure> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut writer = RecordWriter {
        out: &mut out,
        text_output: false,
        written: 0,
        failed: 0,
    };
    let names: Vec<Option<String>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files
            .iter()
            .map(|p| (p.as_os_str() != "-").then(|| p.display().to_string()))
            .collect()
    };
    for name in names {
        let reader: Box<dyn BufRead> = match &name {
            None => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
            Some(path) => match File::open(path) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    let error = format!("cannot read {path}: {e}");
                    let output = resolve_output(args.output, args.input == InputFormat::Jsonl);
                    writer.write(unreadable(&error, path, output))?;
                    continue;
                }
            },
        };
        clean_source(cleaner, args, name, reader, &mut writer)?;
    }
    writer.out.flush()?;
    Ok(if writer.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn resolve_output(output: OutputFormat, jsonl_input: bool) -> OutputFormat {
    match output {
        OutputFormat::Auto if jsonl_input => OutputFormat::Jsonl,
        OutputFormat::Auto => OutputFormat::Text,
        other => other,
    }
}

fn unreadable(error: &str, path: &str, output: OutputFormat) -> Rendered {
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => String::new(),
        _ => {
            let v = serde_json::json!({"error": error, "file": path, "line": 0});
            v.to_string()
        }
    };
    Rendered {
        text,
        note: Some(error.to_string()),
        failed: true,
    }
}

/// Writes rendered records with the separators of the output format.
struct RecordWriter<'w, W: Write> {
    out: &'w mut W,
    text_output: bool,
    written: usize,
    failed: usize,
}

impl<W: Write> RecordWriter<'_, W> {
    fn write(&mut self, rendered: Rendered) -> Result<(), Failure> {
        if let Some(note) = &rendered.note {
            let _ = writeln!(io::stderr(), "pith: {note}");
        }
        if rendered.failed {
            self.failed += 1;
        }
        if self.text_output && self.written > 0 {
            self.out.write_all(b"\x0c\n")?;
        }
        self.out.write_all(rendered.text.as_bytes())?;
        if !rendered.text.is_empty() || !self.text_output {
            self.out.write_all(b"\n")?;
        }
        self.written += 1;
        Ok(())
    }
}

fn clean_source<W: Write>(
    cleaner: &Cleaner,
    args: &CleanArgs,
    name: Option<String>,
    mut reader: Box<dyn BufRead>,
    writer: &mut RecordWriter<W>,
) -> Result<(), Failure> {
    let jsonl = match args.input {
        InputFormat::Jsonl => true,
        InputFormat::Text => false,
        InputFormat::Auto => looks_like_jsonl(reader.fill_buf()?),
    };
    let output = resolve_output(args.output, jsonl);
    writer.text_output = output == OutputFormat::Text;
    if !jsonl {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        let position = Position {
            file: name,
            line: 0,
        };
        writer.write(render_text_document(
            cleaner, args, output, &position, &bytes,
        ))?;
        return Ok(());
    }
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let position = Position {
            file: name.clone(),
            line: number,
        };
        writer.write(render_json_line(cleaner, args, output, &position, &line))?;
    }
    Ok(())
}

fn describe(position: &Position) -> String {
    match (&position.file, position.line) {
        (Some(f), 0) => f.clone(),
        (None, 0) => "<stdin>".into(),
        (Some(f), n) => format!("{f}:{n}"),
        (None, n) => format!("<stdin>:{n}"),
    }
}

fn render_text_document(
    cleaner: &Cleaner,
    args: &CleanArgs,
    output: OutputFormat,
    position: &Position,
    bytes: &[u8],
) -> Rendered {
    let failure = |error: RecordError| Rendered {
        text: match output {
            OutputFormat::Text | OutputFormat::Auto => String::new(),
            _ => error_record(&error, position, None, None),
        },
        note: Some(format!("{}: {error}", describe(position))),
        failed: true,
    };
    let (text, invalid) = match decode(bytes, args.strict) {
        Ok(decoded) => decoded,
        Err(e) => return failure(e),
    };
    let mut cleaned = match cleaner.clean_guarded(&text) {
        Ok(c) => c,
        Err(e) => return failure(e),
    };
    let note = invalid.then(|| format!("{}: invalid UTF-8 replaced", describe(position)));
    if invalid {
        cleaned.flags.push(Flag::InvalidUtf8);
    }
    let id = position.file.as_deref();
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => cleaned.to_text(!args.no_title),
        OutputFormat::Json => to_json(&cleaned, id, true),
        OutputFormat::Jsonl => to_json(&cleaned, id, false),
    };
    Rendered {
        text,
        note,
        failed: false,
    }
}

fn render_json_line(
    cleaner: &Cleaner,
    args: &CleanArgs,
    output: OutputFormat,
    position: &Position,
    bytes: &[u8],
) -> Rendered {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let failure = |error: RecordError, record: Option<&JsonRecord>, raw: Option<&str>| Rendered {
        text: match output {
            OutputFormat::Text | OutputFormat::Auto => String::new(),
            _ => error_record(&error, position, record, raw),
        },
        note: Some(format!("{}: {error}", describe(position))),
        failed: true,
    };
    let (line, invalid) = match decode(bytes, args.strict) {
        Ok(decoded) => decoded,
        Err(e) => {
            let raw = String::from_utf8_lossy(bytes);
            return failure(e, None, Some(&raw));
        }
    };
    let record = match JsonRecord::parse(&line) {
        Ok(r) => r,
        Err(e) => return failure(e, None, Some(&line)),
    };
    let text = match record.string(&args.text_field) {
        Ok(t) => t,
        Err(e) => return failure(e, Some(&record), None),
    };
    let mut cleaned = match cleaner.clean_guarded(&text) {
        Ok(c) => c,
        Err(e) => return failure(e, Some(&record), None),
    };
    if invalid {
        cleaned.flags.push(Flag::InvalidUtf8);
    }
    let id = record.id(&args.id_field);
    let text = match output {
        OutputFormat::Text | OutputFormat::Auto => cleaned.to_text(!args.no_title),
        OutputFormat::Json => to_json(&cleaned, id.as_deref(), true),
        OutputFormat::Jsonl => to_jsonl(&record, &args.text_field, id.as_deref(), &cleaned),
    };
    Rendered {
        text,
        note: invalid.then(|| format!("{}: invalid UTF-8 replaced", describe(position))),
        failed: false,
    }
}
