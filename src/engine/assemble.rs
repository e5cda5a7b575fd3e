//! Assemble: build the output from the lines left — the body with its
//! paragraph breaks, the title, the metadata whose lines were removed as
//! such, and one entry per removal.

use crate::language;
use crate::metadata::Metadata;
use crate::rules::{Action, Field};

use crate::doc::Doc;
use super::rules::Capture;
use super::{Cleaned, Cleaner, Flag, Removal, Stats};
use crate::segment::Line;

impl Cleaner {
    /// Keeps the captures whose line is still removed by their own claim,
    /// or still kept (trims, `keep_line` extracts), or removed as metadata by
    /// another extract (a byline that also carries the date).
    fn collect_metadata(
        &self,
        doc: &Doc,
        captures: &[Capture],
        language: Option<&str>,
    ) -> Metadata {
        let mut meta = Metadata::for_language(language);
        for capture in captures {
            let owner = doc.owner.get(capture.line).copied().flatten();
            let by_extract = doc
                .claim_of(capture.line)
                .is_some_and(|c| c.action == Action::Extract);
            if owner != capture.claim && !by_extract {
                continue;
            }
            let raw = doc.text.get(capture.value.clone()).unwrap_or("");
            meta.add(capture.field, raw);
        }
        meta
    }

    /// Builds the output: body text, title, removals, stats.
    pub(crate) fn assemble(
        &self,
        doc: &Doc,
        captures: &[Capture],
        mut flags: Vec<Flag>,
        site: Option<String>,
        title_line: Option<usize>,
    ) -> Cleaned {
        let text = doc.text;
        let mut body = String::with_capacity(text.len());
        let mut prev_block = None;
        let mut lines_out = 0;
        let mut title_joined = false;
        for i in doc.kept_lines() {
            if Some(i) == title_line {
                continue;
            }
            let Some(block) = doc.seg.lines.get(i).map(Line::block) else {
                continue;
            };
            if prev_block.is_none()
                && let Some(t) = title_line.and_then(|t| doc.seg.lines.get(t))
            {
                title_joined = t.block() == block;
            }
            match prev_block {
                None => {}
                Some(b) if b == block => body.push('\n'),
                Some(_) => body.push_str("\n\n"),
            }
            body.push_str(&doc.kept_text(i));
            prev_block = Some(block);
            lines_out += 1;
        }
        let title = title_line.map(|i| doc.kept_text(i).into_owned());
        let language = language::detect(&body);
        let mut meta = self.collect_metadata(doc, captures, language);
        if let Some(site) = &site {
            meta.add(Field::Source, site);
        }
        if body.is_empty() {
            flags.push(Flag::Empty);
        }
        let stats = Stats {
            lines_in: doc.seg.input_lines,
            lines_out: lines_out + usize::from(title.is_some()),
            chars_in: text.chars().count(),
            chars_out: body.chars().count() + title.as_deref().map_or(0, |t| t.chars().count()),
        };
        Cleaned {
            language,
            title,
            text: body,
            metadata: meta,
            removed: removals(doc),
            stats,
            flags,
            title_line: title_line
                .and_then(|t| doc.seg.lines.get(t))
                .map(Line::number),
            title_joined,
            ..Cleaned::default()
        }
    }
}

/// Groups removed lines into runs removed by one claim, plus one entry per
/// cut.
fn removals(doc: &Doc) -> Vec<Removal> {
    let mut out = Vec::new();
    let lines = &doc.seg.lines;
    let mut i = 0;
    while i < lines.len() {
        let Some(claim) = doc.claim_of(i) else {
            i += 1;
            continue;
        };
        let same = |j: usize| {
            doc.claim_of(j)
                .is_some_and(|c| c.id == claim.id && c.action == claim.action)
        };
        let mut j = i;
        while j + 1 < lines.len() && same(j + 1) {
            j += 1;
        }
        // A run ends at its last non-blank line.
        let mut last = j;
        while last > i && !doc.is_nonblank(last) {
            last -= 1;
        }
        if let (Some(first_line), Some(last_line)) = (lines.get(i), lines.get(last))
            && doc.is_nonblank(i)
        {
            let bytes = first_line.span().start..last_line.span().end;
            out.push(Removal {
                rule: claim.id.to_string(),
                action: claim.action,
                lines: [first_line.number() + 1, last_line.number() + 1],
                bytes: [bytes.start, bytes.end],
                text: doc.text.get(bytes).unwrap_or("").trim_end().to_string(),
            });
        }
        i = j + 1;
    }
    for cut in &doc.cuts {
        if doc.owner.get(cut.line).copied().flatten().is_some() {
            continue;
        }
        let number = doc.seg.lines.get(cut.line).map_or(0, |l| l.number() + 1);
        out.push(Removal {
            rule: cut.id.to_string(),
            action: Action::Trim,
            lines: [number, number],
            bytes: [cut.span.start, cut.span.end],
            text: doc.text.get(cut.span.clone()).unwrap_or("").to_string(),
        });
    }
    out.sort_by_key(|r| r.bytes[0]);
    out
}
