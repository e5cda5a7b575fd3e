//! Segment: split a document into lines and blocks, with byte spans into the
//! original text.
//!
//! Every later step works on these spans, never on copies of the text, so a
//! removal can always be reported as a byte range of the input. A line's span
//! excludes its line terminator (`\n` or `\r\n`); its *content* span further
//! excludes leading and trailing white space (Unicode white space, which covers
//! the no-break spaces scraped text is full of). A *block* is a maximal run of
//! non-blank lines — a paragraph in text that separates paragraphs by blank
//! lines.
//!
//! A run of blank lines is held as one blank [`Line`] spanning the run: the
//! steps after this one only ask whether lines are blank, never how many
//! there are, and a document of ten million newlines then costs one entry.
//! Each line keeps its number in the input for reports.

use std::ops::Range;

/// One line of the input, or one run of blank lines: 28 bytes, its
/// offsets held as `u32` (a document the engine segments is at most
/// [`MAX_TEXT_BYTES`] long; longer ones it cleans a window at a time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    start: u32,
    end: u32,
    content_start: u32,
    content_end: u32,
    block: u32,
    /// Length in language-free word units (see [`word_units`]).
    pub words: u32,
    number: u32,
}

impl Line {
    /// Byte span of the line without its terminator (for a run of blank
    /// lines, from the first one's start to the last one's end).
    pub fn span(&self) -> Range<usize> {
        widen(self.start)..widen(self.end)
    }

    /// Byte span of the line without leading and trailing white space
    /// (empty, at the line's start, for a blank line).
    pub fn content(&self) -> Range<usize> {
        widen(self.content_start)..widen(self.content_end)
    }

    /// Index of the block this line belongs to (blank lines take the index
    /// of the block before them).
    pub fn block(&self) -> usize {
        widen(self.block)
    }

    /// The line's number in the input, from 0 (a run's first line).
    pub fn number(&self) -> usize {
        widen(self.number)
    }

    /// True when the line holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.content_start == self.content_end
    }
}

/// The longest text [`Segments::new`] holds exactly: its offsets are
/// `u32`. Offsets past it saturate.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// `n` as a `u32` offset, saturated (see [`MAX_TEXT_BYTES`]).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A `u32` offset as a `usize`.
fn widen(n: u32) -> usize {
    n as usize
}

/// A document split into lines and blocks.
#[derive(Debug, Clone, Default)]
pub struct Segments {
    /// All lines, in order, a run of blank lines as one.
    pub lines: Vec<Line>,
    /// For each block, the range of line indices it covers.
    pub blocks: Vec<Range<usize>>,
    /// The number of lines of the input, blank ones each counted.
    pub input_lines: usize,
}

impl Segments {
    /// Splits `text` into lines and blocks.
    pub fn new(text: &str) -> Segments {
        let bytes = text.as_bytes();
        // Room for every line: only runs of blank lines take less (the
        // engine segments at most `WINDOW_LINES` lines at once).
        let newlines = memchr::memchr_iter(b'\n', bytes).count();
        let mut lines = Vec::with_capacity(newlines + 1);
        let mut blocks: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        let mut number = 0;
        let mut in_block = false;
        loop {
            let newline = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
            let mut end = newline.unwrap_or(bytes.len());
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            let content = trim_span(text, start..end);
            let blank = content.is_empty();
            let after_blank = lines.last().is_some_and(Line::is_blank);
            if blank && after_blank {
                if let Some(run) = lines.last_mut() {
                    run.end = narrow(end);
                }
            } else {
                if !blank && !in_block {
                    blocks.push(lines.len()..lines.len());
                }
                in_block = !blank;
                let block = blocks.len().saturating_sub(1);
                if !blank && let Some(last) = blocks.last_mut() {
                    last.end = lines.len() + 1;
                }
                lines.push(Line {
                    start: narrow(start),
                    end: narrow(end),
                    content_start: narrow(content.start),
                    content_end: narrow(content.end),
                    block: narrow(block),
                    words: word_units(&text[content]),
                    number: narrow(number),
                });
            }
            number += 1;
            match newline {
                Some(nl) if nl + 1 < bytes.len() => start = nl + 1,
                _ => break,
            }
        }
        Segments {
            lines,
            blocks,
            input_lines: number,
        }
    }

    /// The trimmed text of line `index` (empty if out of range).
    pub fn content<'t>(&self, text: &'t str, index: usize) -> &'t str {
        self.lines
            .get(index)
            .and_then(|line| text.get(line.content()))
            .unwrap_or("")
    }

    /// Index of the line holding byte offset `pos`, searching forward from
    /// `hint` (offsets visited in increasing order make this linear overall).
    pub fn line_at(&self, pos: usize, hint: usize) -> usize {
        let mut i = hint.min(self.lines.len().saturating_sub(1));
        while i > 0 && self.lines[i].span().start > pos {
            i -= 1;
        }
        while i + 1 < self.lines.len() && self.lines[i + 1].span().start <= pos {
            i += 1;
        }
        i
    }

    /// Total word units of the document.
    pub fn total_words(&self) -> u64 {
        self.lines.iter().map(|l| u64::from(l.words)).sum()
    }
}

/// Narrows `span` of `text` to exclude leading and trailing white space.
pub fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    let start_trimmed = slice.trim_start();
    let start = span.start + (slice.len() - start_trimmed.len());
    let end = start + start_trimmed.trim_end().len();
    if start == end {
        span.start..span.start
    } else {
        start..end
    }
}

/// Length of `s` in language-free word units: one per white-space separated
/// token, plus one per two characters of scripts written without spaces
/// (Chinese, Japanese). Without the second part a paragraph of Chinese counts
/// as one word and looks like a menu item.
pub fn word_units(s: &str) -> u32 {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
    let bytes = s.as_bytes();
    // A token starts at a non-space byte that is first or follows a space.
    // Counted pairwise without a loop-carried state, so it vectorises.
    let first = bytes.first().is_some_and(|b| !space(b));
    let starts = bytes
        .iter()
        .zip(bytes.iter().skip(1))
        .filter(|&(a, b)| space(a) && !space(b))
        .count();
    // Lead bytes of three-byte UTF-8 sequences U+3040..U+9FFF (kana, CJK
    // ideographs) are 0xE3..=0xE9.
    let unspaced = bytes
        .iter()
        .filter(|&&b| (0xE3..=0xE9).contains(&b))
        .count();
    u32::try_from(starts + usize::from(first) + unspaced / 2).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_blocks_and_spans() {
        let text = "Title\r\n\r\n  First line \nsecond\n\n\nlast";
        let seg = Segments::new(text);
        // The two blank lines before "last" are one run.
        assert_eq!(seg.lines.len(), 6);
        assert_eq!(seg.input_lines, 7);
        assert_eq!(&text[seg.lines[0].span()], "Title");
        assert_eq!(seg.content(text, 2), "First line");
        assert_eq!(&text[seg.lines[2].span()], "  First line ");
        assert_eq!(seg.blocks, vec![0..1, 2..4, 5..6]);
        assert_eq!(seg.lines[3].block(), 1);
        assert!(seg.lines[1].is_blank());
        assert!(seg.lines[4].is_blank());
        assert_eq!(&text[seg.lines[4].span()], "\n");
        assert_eq!(seg.lines[5].block(), 2);
        assert_eq!(seg.lines[5].number(), 6);
    }

    #[test]
    fn trailing_newline_adds_no_line() {
        assert_eq!(Segments::new("a\nb\n").lines.len(), 2);
        assert_eq!(Segments::new("a\nb\n").input_lines, 2);
        assert_eq!(Segments::new("").lines.len(), 1);
        assert!(Segments::new("").blocks.is_empty());
    }

    #[test]
    fn a_run_of_blank_lines_is_one_line() {
        let text = "\n".repeat(1000) + "word\n\n \n\t\nend";
        let seg = Segments::new(&text);
        assert_eq!(seg.lines.len(), 4);
        assert_eq!(seg.input_lines, 1005);
        assert_eq!(seg.lines[0].span(), 0..999);
        assert_eq!(seg.lines[1].number(), 1000);
        assert_eq!(seg.lines[2].number(), 1001);
        assert_eq!(seg.lines[3].number(), 1004);
        assert_eq!(seg.content(&text, 3), "end");
    }

    #[test]
    fn no_break_spaces_are_trimmed() {
        let text = "\u{a0}Log\u{a0}Out\u{a0}";
        let seg = Segments::new(text);
        assert_eq!(seg.content(text, 0), "Log\u{a0}Out");
    }

    #[test]
    fn word_units_count_unspaced_scripts() {
        assert_eq!(word_units("three little words"), 3);
        assert_eq!(word_units(""), 0);
        // 10 ideographs: one token plus five units.
        assert_eq!(word_units("日本語の文章です日本語"), 1 + 5);
    }

    #[test]
    fn line_at_finds_lines_in_both_directions() {
        let text = "aa\nbb\ncc";
        let seg = Segments::new(text);
        assert_eq!(seg.line_at(0, 2), 0);
        assert_eq!(seg.line_at(4, 0), 1);
        assert_eq!(seg.line_at(7, 1), 2);
    }
}
