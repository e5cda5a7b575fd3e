//! `pith explain FILE`: the article line by line, each removed line marked
//! with the rule that removed it.
//!
//! Columns: line number, a mark (`T` title, `-` removed, `~` trimmed, blank
//! kept), the rule id, then the original line. Trimmed text is shown as
//! `[-cut-]` (or in red with colour).

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use pith::input::decode;
use pith::{Action, Cleaner};

use super::Failure;

const RED: &str = "\x1b[31m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

pub fn run(cleaner: &Cleaner, file: &Path, color: bool) -> Result<ExitCode, Failure> {
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file).map_err(|e| {
            Failure::Io(io::Error::new(
                e.kind(),
                format!("cannot read {}: {e}", file.display()),
            ))
        })?;
    }
    let text = match decode(&bytes, false) {
        Ok((text, _)) => text,
        Err(e) => return Err(Failure::Usage(e.to_string())),
    };
    let cleaned = cleaner.clean(&text);
    let lines: Vec<&str> = split_lines(&text);
    let mut owner: Vec<Option<&str>> = vec![None; lines.len()];
    let mut cuts: Vec<Vec<(usize, usize, &str)>> = vec![Vec::new(); lines.len()];
    let mut starts = Vec::with_capacity(lines.len());
    let mut pos = 0;
    for line in &lines {
        starts.push(pos);
        pos += line.len() + 1;
    }
    for removal in &cleaned.removed {
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
    let width = cleaned
        .removed
        .iter()
        .map(|r| r.rule.len())
        .max()
        .unwrap_or(0)
        .clamp(5, 40);
    let paint = |code: &str| {
        if color {
            code.to_string()
        } else {
            String::new()
        }
    };
    let (red, dim, bold, reset) = (paint(RED), paint(DIM), paint(BOLD), paint(RESET));
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (i, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let number = i + 1;
        if Some(i) == cleaned.title_line {
            writeln!(out, "{number:>5} T {:width$} {bold}{line}{reset}", "title")?;
        } else if let Some(rule) = owner[i] {
            writeln!(
                out,
                "{number:>5} {red}- {rule:width$}{reset} {dim}{line}{reset}"
            )?;
        } else if let Some((_, _, rule)) = cuts[i].first() {
            let mut shown = String::new();
            let mut at = 0;
            let mut spans = cuts[i].clone();
            spans.sort();
            for (start, end, _) in spans {
                let (Some(kept), Some(cut)) =
                    (line.get(at..start.max(at)), line.get(start.max(at)..end))
                else {
                    continue;
                };
                shown.push_str(kept);
                if color {
                    shown.push_str(&format!("{red}{cut}{reset}"));
                } else {
                    shown.push_str(&format!("[-{cut}-]"));
                }
                at = end;
            }
            shown.push_str(line.get(at..).unwrap_or(""));
            writeln!(out, "{number:>5} ~ {rule:width$} {shown}")?;
        } else {
            writeln!(out, "{number:>5}   {:width$} {line}", "")?;
        }
    }
    let removed = owner.iter().filter(|o| o.is_some()).count();
    let trimmed = cuts.iter().filter(|c| !c.is_empty()).count();
    writeln!(
        out,
        "{dim}-- {} lines: {removed} removed, {trimmed} trimmed; rules fired: {}{reset}",
        lines.len(),
        {
            let mut ids: Vec<&str> = cleaned.removed.iter().map(|r| r.rule.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        }
    )?;
    for (name, value) in [
        ("title", cleaned.title.as_deref()),
        ("author", cleaned.author.as_deref()),
        ("author_role", cleaned.author_role.as_deref()),
        ("source", cleaned.source.as_deref()),
        ("published", cleaned.published.as_deref()),
    ] {
        if let Some(value) = value {
            writeln!(out, "{dim}-- {name}: {value}{reset}")?;
        }
    }
    for (name, list) in [
        ("image_credits", &cleaned.image_credits),
        ("references", &cleaned.references),
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
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The text's lines as the segmenter counts them (a final newline ends the
/// last line rather than starting an empty one).
fn split_lines(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.split('\n').collect()
}
