//! `pith explain FILE`: the article line by line, each removed line marked
//! with the rule that removed it.
//!
//! Columns: line number, a mark (`T` title, `-` removed, `~` trimmed, blank
//! kept), the line model's probability that the line is article text (for
//! the lines it scored in the first round), the rule id, then the original
//! line. Trimmed text is shown as `[-cut-]` (or in red with colour). With
//! `--features N`, the N features that moved a line's score most follow it.
//! The summary gives the mode, the page probability and the threshold.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use pith::input::{JsonRecord, RecordError, decode};
use pith::output::Position;
use pith::{Action, Cleaned, Cleaner, Explanation, LineScore, Removal};
use pith_cli::reader::{Batch, RawRecord};

use super::hint::RecordHint;
use super::inputs::{self, Opened, describe, describe_source};
use super::{ExplainArgs, Failure, use_color};

const RED: &str = "\x1b[31m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Explains the record of the input that the arguments pick.
pub fn run(cleaner: &Cleaner, args: &ExplainArgs) -> Result<ExitCode, Failure> {
    args.read.check()?;
    let path = args.file.as_deref().filter(|p| p.as_os_str() != "-");
    let mut opened = inputs::open(path, &args.read, 1 << 20, Arc::default()).map_err(|e| {
        let name = describe_source(path.and_then(|p| p.to_str()));
        Failure::Io(io::Error::new(e.kind(), format!("cannot read {name}: {e}")))
    })?;
    if let Some(notice) = &opened.notice {
        let _ = writeln!(io::stderr(), "pith: {notice}");
    }
    let text = match pick(&mut opened, args)? {
        Ok(text) => text,
        Err((position, error)) => {
            let _ = writeln!(
                io::stderr(),
                "pith: {}: {}",
                describe(&position),
                RecordHint(&error)
            );
            return Ok(ExitCode::from(1));
        }
    };
    explain(cleaner, &text, use_color(args.color), args.features)
}

/// The text of the record `--id` or `--record` names (the first one by
/// default, with a note when there are more), or the error that keeps it
/// from being read.
fn pick(
    opened: &mut Opened,
    args: &ExplainArgs,
) -> Result<Result<String, (Position, RecordError)>, Failure> {
    let mut index = 0u64;
    let mut found = None;
    while let Some(batch) = opened.records.next_batch()? {
        for record in &batch.records {
            index += 1;
            let position = Position {
                file: opened.name.clone(),
                line: if opened.whole { 0 } else { record.line },
            };
            if let Some(first) = found.take() {
                let _ = writeln!(
                    io::stderr(),
                    "pith: {}: more than one record; explaining the first (choose one with --record N or --id ID)",
                    describe_source(opened.name.as_deref())
                );
                return Ok(first);
            }
            let wanted = match (&args.id, args.record) {
                (Some(id), _) => {
                    record_id(opened, args, &batch, record, &position).as_ref() == Some(id)
                }
                (None, Some(n)) => n == index,
                (None, None) => true,
            };
            if !wanted {
                continue;
            }
            let text = record_text(opened.form.json_records(), args, &batch, record)
                .map_err(|e| (position, e));
            if args.id.is_some() || args.record.is_some() {
                return Ok(text);
            }
            found = Some(text);
        }
    }
    if let Some(found) = found {
        return Ok(found);
    }
    let what = match (&args.id, args.record) {
        (Some(id), _) => format!("no record has the id {id:?}"),
        (None, Some(n)) => format!("there is no record {n}"),
        (None, None) => "there is no record".to_string(),
    };
    Err(Failure::Usage(format!(
        "explain {}: {what} ({index} records)",
        describe_source(opened.name.as_deref())
    )))
}

/// A record's id as the filter writes it.
fn record_id(
    opened: &Opened,
    args: &ExplainArgs,
    batch: &Batch,
    record: &RawRecord,
    position: &Position,
) -> Option<String> {
    if !opened.form.json_records() {
        return Some(describe(position));
    }
    let (line, _) = decode(batch.bytes(record), false).ok()?;
    JsonRecord::parse(line.trim_end_matches('\r'))
        .ok()?
        .id(&args.read.id_field)
}

/// A record's text as the filter cleans it.
fn record_text(
    jsonl: bool,
    args: &ExplainArgs,
    batch: &Batch,
    record: &RawRecord,
) -> Result<String, RecordError> {
    if let Some(bytes) = record.too_long {
        return Err(RecordError::TooLong {
            bytes,
            limit: args.read.max_record_bytes,
        });
    }
    let strict = args.read.strict;
    let (text, _) = decode(batch.bytes(record), strict)?;
    if !jsonl {
        return Ok(text.into_owned());
    }
    let line = text.trim_end_matches('\r');
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let (text, _) = JsonRecord::parse(line)?.text(&args.read.text_field, strict)?;
    Ok(text.into_owned())
}

/// Prints the text line by line with each removal's rule.
fn explain(cleaner: &Cleaner, text: &str, color: bool, top: usize) -> Result<ExitCode, Failure> {
    let cleaned = cleaner.clean(text);
    let model = cleaner.explain_lines(text, top);
    let lines: Vec<&str> = split_lines(text);
    let scores = line_scores(&model, lines.len());
    let marks = Marks::new(&lines, &cleaned.removed);
    let width = cleaned
        .removed
        .iter()
        .map(|r| r.rule.len())
        .max()
        .unwrap_or(0)
        .clamp(5, 40);
    let style = Style::new(color);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let score = scores.get(i).copied().flatten();
        let p = score.map_or_else(|| "    ".to_string(), |s| format!("{:.2}", s.probability));
        let number = format!("{:>5} {p}", i + 1);
        let mark = if Some(i) == cleaned.title_line {
            Mark::Title
        } else {
            marks.of(i)
        };
        write_line(&mut out, &style, &number, mark, line, width)?;
        if let Some(score) = score.filter(|s| !s.features.is_empty()) {
            let why: Vec<String> = score
                .features
                .iter()
                .map(|(name, value)| format!("{name} {value:+.2}"))
                .collect();
            writeln!(
                out,
                "{}{:>13}{}{}",
                style.dim,
                "",
                why.join(", "),
                style.reset
            )?;
        }
    }
    write_summary(&mut out, &style, &cleaned, &model, &marks, lines.len())?;
    write_fields(&mut out, &style, &cleaned, text)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Each line's score, by line number (`None` for the lines the model did
/// not score).
fn line_scores(model: &Explanation, n: usize) -> Vec<Option<&LineScore>> {
    let mut scores: Vec<Option<&LineScore>> = vec![None; n];
    for score in &model.lines {
        if let Some(slot) = scores.get_mut(score.line) {
            *slot = Some(score);
        }
    }
    scores
}

/// A cut out of a line: its byte range within the line and its rule.
type Cut<'a> = (usize, usize, &'a str);

/// What the removals did to each line: the rule that removed it whole, or
/// the cuts trimmed out of it.
struct Marks<'a> {
    owner: Vec<Option<&'a str>>,
    cuts: Vec<Vec<Cut<'a>>>,
}

impl<'a> Marks<'a> {
    fn new(lines: &[&str], removed: &'a [Removal]) -> Self {
        let mut owner: Vec<Option<&str>> = vec![None; lines.len()];
        let mut cuts: Vec<Vec<Cut>> = vec![Vec::new(); lines.len()];
        let mut starts = Vec::with_capacity(lines.len());
        let mut pos = 0;
        for line in lines {
            starts.push(pos);
            pos += line.len() + 1;
        }
        for removal in removed {
            let [first, last] = removal.lines;
            if removal.action == Action::Trim {
                if let (Some(list), Some(start)) = (
                    cuts.get_mut(first.saturating_sub(1)),
                    starts.get(first.saturating_sub(1)),
                ) {
                    list.push((
                        removal.bytes[0].saturating_sub(*start),
                        removal.bytes[1].saturating_sub(*start),
                        &removal.rule,
                    ));
                }
                continue;
            }
            for slot in owner.iter_mut().take(last).skip(first.saturating_sub(1)) {
                *slot = Some(&removal.rule);
            }
        }
        Marks { owner, cuts }
    }

    /// Line `i`'s mark.
    fn of(&self, i: usize) -> Mark<'_> {
        if let Some(rule) = self.owner.get(i).copied().flatten() {
            return Mark::Removed(rule);
        }
        match self.cuts.get(i) {
            Some(cuts) if !cuts.is_empty() => Mark::Trimmed(cuts),
            _ => Mark::Kept,
        }
    }
}

/// How a line is shown.
enum Mark<'a> {
    Title,
    Removed(&'a str),
    /// The cuts, not empty.
    Trimmed(&'a [Cut<'a>]),
    Kept,
}

/// The terminal codes of the output: empty without colour.
struct Style {
    red: &'static str,
    dim: &'static str,
    bold: &'static str,
    reset: &'static str,
    color: bool,
}

impl Style {
    fn new(color: bool) -> Self {
        let paint = |code| if color { code } else { "" };
        Style {
            red: paint(RED),
            dim: paint(DIM),
            bold: paint(BOLD),
            reset: paint(RESET),
            color,
        }
    }
}

/// Writes one line of the text: its number and score, its mark and rule,
/// then the line.
fn write_line(
    out: &mut impl Write,
    style: &Style,
    number: &str,
    mark: Mark,
    line: &str,
    width: usize,
) -> io::Result<()> {
    let Style {
        red,
        dim,
        bold,
        reset,
        ..
    } = style;
    match mark {
        Mark::Title => writeln!(out, "{number} T {:width$} {bold}{line}{reset}", "title"),
        Mark::Removed(rule) => writeln!(
            out,
            "{number} {red}- {rule:width$}{reset} {dim}{line}{reset}"
        ),
        Mark::Trimmed(cuts) => {
            let rule = cuts.first().map_or("", |&(_, _, rule)| rule);
            let shown = show_cuts(line, cuts, style);
            writeln!(out, "{number} ~ {rule:width$} {shown}")
        }
        Mark::Kept => writeln!(out, "{number}   {:width$} {line}", ""),
    }
}

/// The line with its cuts shown: `[-cut-]`, or in red with colour.
fn show_cuts(line: &str, cuts: &[Cut], style: &Style) -> String {
    let mut shown = String::new();
    let mut at = 0;
    let mut spans = cuts.to_vec();
    spans.sort_unstable();
    for (start, end, _) in spans {
        let (Some(kept), Some(cut)) = (line.get(at..start.max(at)), line.get(start.max(at)..end))
        else {
            continue;
        };
        shown.push_str(kept);
        if style.color {
            shown.push_str(&format!("{}{cut}{}", style.red, style.reset));
        } else {
            shown.push_str(&format!("[-{cut}-]"));
        }
        at = end;
    }
    shown.push_str(line.get(at..).unwrap_or(""));
    shown
}

/// Writes the counts of removed and trimmed lines and rules fired, and the
/// mode the model chose.
fn write_summary(
    out: &mut impl Write,
    style: &Style,
    cleaned: &Cleaned,
    model: &Explanation,
    marks: &Marks,
    lines: usize,
) -> io::Result<()> {
    let Style { dim, reset, .. } = style;
    let removed = marks.owner.iter().filter(|o| o.is_some()).count();
    let trimmed = marks.cuts.iter().filter(|c| !c.is_empty()).count();
    let mut ids: Vec<&str> = cleaned.removed.iter().map(|r| r.rule.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    writeln!(
        out,
        "{dim}-- {lines} lines: {removed} removed, {trimmed} trimmed; rules fired: {}{reset}",
        ids.len()
    )?;
    let threshold = model
        .threshold
        .map_or_else(String::new, |t| format!(", lines below {t:.2} go"));
    writeln!(
        out,
        "{dim}-- mode: {} (page probability {:.2}{threshold}){reset}",
        serde_json::to_string(&model.mode)
            .unwrap_or_default()
            .trim_matches('"'),
        model.page_probability
    )
}

/// Writes the metadata found and the flags raised.
fn write_fields(
    out: &mut impl Write,
    style: &Style,
    cleaned: &Cleaned,
    text: &str,
) -> io::Result<()> {
    let Style { dim, reset, .. } = style;
    for (name, value) in [
        ("title", cleaned.title.as_deref()),
        ("author", cleaned.metadata.author.as_deref()),
        ("author_role", cleaned.metadata.author_role.as_deref()),
        ("source", cleaned.metadata.source.as_deref()),
        ("published", cleaned.metadata.published.as_deref()),
    ] {
        if let Some(value) = value {
            writeln!(out, "{dim}-- {name}: {value}{reset}")?;
        }
    }
    for (name, list) in [
        ("image_credits", &cleaned.metadata.image_credits),
        ("references", &cleaned.metadata.references),
    ] {
        if !list.is_empty() {
            writeln!(out, "{dim}-- {name}: {}{reset}", list.join(" | "))?;
        }
    }
    for flag in &cleaned.flags {
        writeln!(
            out,
            "{dim}-- flag: {}{reset}",
            serde_json::to_string(flag).unwrap_or_default()
        )?;
    }
    for flag in pith::input::input_flags(text) {
        writeln!(out, "{dim}-- flag: \"{flag}\"{reset}")?;
    }
    Ok(())
}

/// The text's lines as the segmenter counts them (a final newline ends the
/// last line rather than starting an empty one).
fn split_lines(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n').collect()
}
