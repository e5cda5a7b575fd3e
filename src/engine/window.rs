//! Very long documents, a window of lines at a time.
//!
//! The engine keeps about 190 to 230 bytes per line of a document while
//! it cleans it (peak heap, `examples/line_memory.rs`). A document of more
//! than [`WINDOW_LINES`] lines — a dump, a log, a list of a million short
//! lines, never an article — or of more than [`WINDOW_BYTES`] bytes is
//! cleaned as consecutive windows of at most that many lines and bytes,
//! each ended after a blank line where one is near, and the windows'
//! results are joined: so the memory pith needs for one document is
//! bounded by its text, not by its number of lines. The title and metadata
//! come from the first window; removals keep line numbers and byte spans in
//! the whole document.

use std::ops::Range;

use super::{Cleaned, Cleaner, Wanted};

/// The most lines cleaned at once (the largest page of the corpora has
/// about 6,300).
pub const WINDOW_LINES: usize = 1 << 15;

/// A window of a document: its bytes and the number of the input line it
/// starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Window {
    pub bytes: Range<usize>,
    pub first_line: usize,
    /// The window ends after a blank line (a paragraph break).
    pub ends_paragraph: bool,
}

/// The most bytes cleaned at once: what a line's `u32` offsets can hold.
/// Only a text of more than 4 GiB meets it, and only one line longer than
/// that is cut inside (where a character ends).
pub const WINDOW_BYTES: usize = crate::segment::MAX_TEXT_BYTES;

/// Splits `text` into windows of at most `lines` lines (as many as needed,
/// of even size) and `max_bytes` bytes, each ending after a blank line in
/// its last quarter where there is one, else after its last line (inside
/// a line only when one line alone is longer than `max_bytes`). A text of
/// at most `lines` lines and `max_bytes` bytes is one window.
pub(super) fn windows(text: &str, lines: usize, max_bytes: usize) -> Vec<Window> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Windows of even size: no small window (all share bar, say) at the end.
    let total = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let lines = total.div_ceil(total.div_ceil(lines.max(1)));
    let (mut start, mut first_line) = (0, 0);
    while start < bytes.len() || out.is_empty() {
        let rest = bytes.get(start..).unwrap_or_default();
        let by_lines = memchr::memchr_iter(b'\n', rest)
            .nth(lines.max(1) - 1)
            .map(|last_newline| last_newline + 1);
        let Some(full_len) = by_lines
            .filter(|&len| len <= max_bytes)
            .or_else(|| (rest.len() > max_bytes).then(|| byte_bounded_len(text, start, max_bytes)))
        else {
            out.push(Window {
                bytes: start..bytes.len(),
                first_line,
                ends_paragraph: false,
            });
            break;
        };
        let full = rest.get(..full_len).unwrap_or_default();
        let quarter = (full.len() * 3 / 4).saturating_sub(2);
        let blank_end = [&b"\n\n"[..], b"\n\r\n"]
            .iter()
            .filter_map(|blank| {
                let tail = full.get(quarter..)?;
                memchr::memmem::rfind(tail, blank).map(|at| quarter + at + blank.len())
            })
            .max();
        let len = blank_end.unwrap_or(full.len());
        let window = full.get(..len).unwrap_or_default();
        out.push(Window {
            bytes: start..start + len,
            first_line,
            ends_paragraph: blank_end.is_some(),
        });
        first_line += memchr::memchr_iter(b'\n', window).count();
        start += len;
    }
    out
}

/// The length of a window of at most `max_bytes` bytes of `text` from
/// `start` (which has more): up to its last newline, or where its last
/// character ends when it has none (at least one character).
fn byte_bounded_len(text: &str, start: usize, max_bytes: usize) -> usize {
    let rest = text.as_bytes().get(start..).unwrap_or_default();
    match memchr::memrchr(b'\n', rest.get(..max_bytes).unwrap_or(rest)) {
        Some(newline) => newline + 1,
        None => (1..=max_bytes)
            .rev()
            .chain(max_bytes + 1..=rest.len())
            .find(|&len| text.is_char_boundary(start + len))
            .unwrap_or(rest.len()),
    }
}

impl Cleaner {
    /// Cleans a document window by window (see the module's docs) and joins
    /// the results.
    pub(super) fn clean_windows(&self, text: &str, windows: &[Window], wanted: Wanted) -> Cleaned {
        let mut joined: Option<Cleaned> = None;
        let mut ends_paragraph = false;
        for window in windows {
            let Some(part) = text.get(window.bytes.clone()) else {
                continue;
            };
            let mut cleaned = self.clean_whole(part, wanted);
            for r in &mut cleaned.removed {
                r.lines = r.lines.map(|line| line + window.first_line);
                r.bytes = r.bytes.map(|byte| byte + window.bytes.start);
            }
            match joined.as_mut() {
                // The first window gives the title, metadata and flags.
                None => joined = Some(cleaned),
                Some(joined) => {
                    // After the first window a title line is body text like any other.
                    let body = cleaned.to_text(true);
                    if !body.is_empty() {
                        if !joined.text.is_empty() {
                            joined
                                .text
                                .push_str(if ends_paragraph { "\n\n" } else { "\n" });
                        }
                        joined.text.push_str(&body);
                    }
                    joined.removed.append(&mut cleaned.removed);
                    joined.metadata.image_credits.append(&mut cleaned.metadata.image_credits);
                    joined.metadata.references.append(&mut cleaned.metadata.references);
                    let (sum, part) = (&mut joined.stats, cleaned.stats);
                    sum.lines_in += part.lines_in;
                    sum.lines_out += part.lines_out;
                    sum.chars_in += part.chars_in;
                    sum.chars_out += part.chars_out;
                    for flag in cleaned.flags {
                        if !joined.flags.contains(&flag) {
                            joined.flags.push(flag);
                        }
                    }
                }
            }
            ends_paragraph = window.ends_paragraph;
        }
        joined.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_one_window() {
        let w = windows("a\nb\n", 5, WINDOW_BYTES);
        assert_eq!(
            w,
            vec![Window {
                bytes: 0..4,
                first_line: 0,
                ends_paragraph: false
            }]
        );
        assert_eq!(windows("", 5, WINDOW_BYTES).len(), 1);
    }

    #[test]
    fn windows_cover_the_text_and_end_after_a_blank_line_when_near() {
        let text = "a\nb\nc\n\nd\ne\nf\ng\nh\ni\n";
        let w = windows(text, 4, WINDOW_BYTES);
        // The first window ends after the blank line (its fourth line).
        assert_eq!(w.first().map(|w| w.bytes.clone()), Some(0..7));
        assert_eq!(w.first().map(|w| w.ends_paragraph), Some(true));
        // Windows are consecutive, cover everything, and count lines.
        let mut at = 0;
        let mut line = 0;
        for window in &w {
            assert_eq!(window.bytes.start, at);
            assert_eq!(window.first_line, line);
            let part = text.get(window.bytes.clone()).unwrap_or_default();
            assert!(part.matches('\n').count() <= 4, "{part:?}");
            line += part.matches('\n').count();
            at = window.bytes.end;
        }
        assert_eq!(at, text.len());
        assert!(w.len() >= 3);
    }

    #[test]
    fn windows_hold_at_most_max_bytes_and_cut_a_longer_line_at_a_character() {
        let text = "ab cd\nabcdeféghij\nxy\n";
        let w = windows(text, 100, 7);
        let parts: Vec<&str> = w.iter().filter_map(|w| text.get(w.bytes.clone())).collect();
        // A line that fits ends a window at its newline; one longer than 7
        // bytes is cut where a character ends ("é" is two bytes).
        assert_eq!(parts, ["ab cd\n", "abcdef", "éghij\n", "xy\n"]);
        let first_lines: Vec<usize> = w.iter().map(|w| w.first_line).collect();
        assert_eq!(first_lines, [0, 1, 1, 2]);
    }

    #[test]
    fn a_long_document_keeps_its_text_and_whole_document_positions() {
        let cleaner = Cleaner::builtin().expect("the built-in rules load");
        // Thirty-nine paragraphs, then a share bar.
        let paragraph = |k: usize| {
            format!(
                "In session {k} the committee discussed the budget for the \
                 coming year, and members agreed to publish figure {k}.\n\n"
            )
        };
        let mut text: String = (0..39).map(paragraph).collect();
        let share_at = text.len();
        text.push_str("Share this:\nTwitter\nFacebook\n");
        let w = windows(&text, 16, WINDOW_BYTES);
        assert!(w.len() > 2);
        let whole = cleaner.clean_whole(&text, Wanted::Everything);
        let windowed = cleaner.clean_windows(&text, &w, Wanted::Everything);
        let share = windowed
            .removed
            .iter()
            .find(|r| r.text.starts_with("Share this"))
            .expect("the share line is removed");
        assert_eq!(share.bytes[0], share_at);
        assert_eq!(share.lines[0], 79);
        assert_eq!(
            text.get(share.bytes[0]..share.bytes[1]).map(str::trim_end),
            Some(share.text.trim_end())
        );
        assert_eq!(windowed.stats.lines_in, whole.stats.lines_in);
        assert_eq!(windowed.stats.chars_in, whole.stats.chars_in);
        // Nothing of the body is lost at the windows' joins.
        for k in [0, 7, 8, 38] {
            assert!(windowed.text.contains(paragraph(k).trim()), "paragraph {k}");
        }
        assert!(!windowed.text.contains("\n\n\n"));
    }
}
