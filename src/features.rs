//! Features: one row of numbers per non-blank line, computed in one walk
//! over the document, for the line model ([`crate::model`]).
//!
//! # What a line is described by
//!
//! - **Its shape**, in language-free units: length in word units (CJK
//!   characters count half a word), whether it ends like a sentence in any
//!   script, punctuation, digit and capital-word shares, list markers, a
//!   bracketed count at its end ("Software (71)"), links, separators.
//! - **Its neighbourhood**: means of the shape over windows of ±2, ±5 and
//!   ±15 lines, and the lines right before and after. What decided most in
//!   the prototype that preceded this model was how prose-like the
//!   neighbourhood is, not the line itself.
//! - **Where it sits**: its position by lines and by the page's word mass.
//! - **Whether it repeats**: the same short line elsewhere in the page
//!   (navigation printed twice), four-word sequences seen earlier (a second
//!   copy of the article), a paragraph printed before, the headline repeated.
//! - **Region evidence**: the maximal-scoring regions of a simple length and
//!   sentence score (Ruzzo–Tompa), the signal of the hand-set body
//!   detection this model replaced.
//! - **Rule evidence**: which rule families' phrases it holds, as a line
//!   rule (a byline, a share button), as a section heading ("Leave a
//!   Reply") or inside such a section, and how far into it.
//! - **The document**: its size, its share of menu-like and sentence lines,
//!   lines per paragraph — what tells a whole page from an extracted article.
//!
//! Every feature is a pure function of the text and the rule hits, so the
//! same code computes them when the model is trained (`pith train`) and when
//! it is used.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::text::{
    HashedSet, Identity, SequenceHash, folded_hash, is_letter_or_digit, sequence_hash, word_hashes,
};

/// Rule families known to the model: the first part of a rule id. Rules of
/// any other family count as `other`.
pub const FAMILIES: [&str; 11] = [
    "comments",
    "appeals",
    "related",
    "share",
    "cookies",
    "credits",
    "legal",
    "navigation",
    "bylines",
    "references",
    "other",
];

/// The family index of a rule id (see [`FAMILIES`]).
pub fn family_of(id: &str) -> usize {
    let first = id.split('.').next().unwrap_or("");
    FAMILIES
        .iter()
        .position(|f| *f == first)
        .unwrap_or(FAMILIES.len() - 1)
}

/// The names of the features, in row order. A model file lists the names it
/// was trained with; loading checks they are these.
pub const NAMES: [&str; N_FEATURES] = [
    // shape
    "words",
    "log_chars",
    "sentence_end",
    "count_end",
    "colon_end",
    "question_end",
    "punct_per_word",
    "comma_per_word",
    "digit_share",
    "cap_word_share",
    "upper_share",
    "list_item",
    "table_row",
    "link",
    "separator",
    "mean_word_len",
    "alpha_share",
    "cloud",
    "starts_lower",
    "currency",
    "copyright",
    "block_lines",
    "block_pos",
    // position
    "rel_line",
    "rel_mass",
    "log_lines_before",
    "log_lines_after",
    // repeats
    "repeat_count",
    "seen_share",
    "dup_block",
    "title_repeat",
    // neighbourhood
    "sent_w2",
    "sent_w5",
    "sent_w15",
    "words_w2",
    "words_w5",
    "words_w15",
    "menu_w2",
    "menu_w5",
    "menu_w15",
    "sent_prev5",
    "sent_next5",
    "words_prev",
    "words_next",
    "sent_prev",
    "sent_next",
    // regions
    "in_best_region",
    "in_early_region",
    "region_share",
    // document
    "doc_log_lines",
    "doc_log_words",
    "doc_menu_share",
    "doc_sentence_share",
    "doc_mean_words",
    "doc_lines_per_block",
    "doc_list_share",
    "doc_rule_comments",
    "doc_rule_appeals",
    "doc_rule_related",
    "doc_rule_share",
    "doc_rule_cookies",
    "doc_rule_credits",
    "doc_rule_legal",
    "doc_rule_navigation",
    "doc_rule_bylines",
    "doc_rule_references",
    "doc_rule_other",
    "doc_copyright_share",
    "doc_separator_share",
    "doc_mean_repeats",
    // rules
    "rule_line_comments",
    "rule_line_appeals",
    "rule_line_related",
    "rule_line_share",
    "rule_line_cookies",
    "rule_line_credits",
    "rule_line_legal",
    "rule_line_navigation",
    "rule_line_bylines",
    "rule_line_references",
    "rule_line_other",
    "trigger_comments",
    "trigger_appeals",
    "trigger_related",
    "trigger_share",
    "trigger_cookies",
    "trigger_credits",
    "trigger_legal",
    "trigger_navigation",
    "trigger_bylines",
    "trigger_references",
    "trigger_other",
    "section_comments",
    "section_appeals",
    "section_related",
    "section_share",
    "section_cookies",
    "section_credits",
    "section_legal",
    "section_navigation",
    "section_bylines",
    "section_references",
    "section_other",
    "section_depth",
    "section_start_rel",
    "section_words_before",
    // more shape, neighbourhood and position
    "short_word_share",
    "cap_w5",
    "punct_w5",
    "digit_w5",
    "region_offset",
    "title_overlap",
];

/// The number of features per line.
pub const N_FEATURES: usize = 112;

/// The document features only the mode model reads, in a run of
/// [`NAMES`] from `doc_rule_comments`: the shares of the document's lines
/// each rule family claims, and of copyright and separator lines, and its
/// mean repeat count. They tell a whole page from an extracted article (a
/// page's cookie notice and menus rarely survive an extractor); read by
/// the line model, they lift every line of an article-like text, rule
/// sections included.
const MODE_ONLY: std::ops::Range<usize> = {
    let first = column("doc_rule_comments");
    first..first + FAMILIES.len() + 3
};

/// Whether only the mode model reads feature `name` (see `MODE_ONLY`).
pub fn is_mode_only(name: &str) -> bool {
    MODE_ONLY.contains(&column(name))
}

/// The index of feature `name` in a row ([`N_FEATURES`] for a name not in
/// [`NAMES`]), for constants.
pub const fn column(name: &str) -> usize {
    let name = name.as_bytes();
    let mut at = 0;
    while at < N_FEATURES {
        let known = NAMES[at].as_bytes();
        if known.len() == name.len() {
            let mut i = 0;
            while i < name.len() && known[i] == name[i] {
                i += 1;
            }
            if i == name.len() {
                return at;
            }
        }
        at += 1;
    }
    N_FEATURES
}

/// Characters that end a sentence or a quoted sentence, in several scripts.
const SENTENCE_END: &[char] = &[
    '.', '!', '?', '…', '"', '\'', '”', '’', '»', ')', ':', '。', '！', '？', '」', '』', '）', '؟',
];

/// Punctuation that prose has and tag clouds lack.
const PUNCTUATION: &[char] = &[
    '.', ',', ';', ':', '!', '?', '。', '，', '、', '！', '？', '؛', '،',
];

/// Separators of menus and breadcrumbs printed on one line.
const SEPARATORS: &[&str] = &[" | ", " · ", " • ", " / ", " › ", " » ", " > "];

/// Words per shingle when looking for repeated text.
const SHINGLE: usize = 4;

/// What the rules said about one line: bit `f` of each mask is family `f`
/// of [`FAMILIES`].
#[derive(Debug, Clone, Copy)]
pub struct LineEvidence {
    /// Families of line rules (`drop-line`, `drop-block`, `extract`) that
    /// claim the line.
    pub line_rule: u16,
    /// Families of section rules whose trigger is on the line.
    pub trigger: u16,
    /// Families of sections that cover the line (trigger line excluded).
    pub section: u16,
    /// The row (index among the lines given to [`compute`]) of the first
    /// line of the innermost section covering the line, [`NO_SECTION`]
    /// without one.
    pub section_start: u32,
}

impl Default for LineEvidence {
    fn default() -> Self {
        LineEvidence {
            line_rule: 0,
            trigger: 0,
            section: 0,
            section_start: NO_SECTION,
        }
    }
}

/// One line as the features see it.
#[derive(Debug, Clone)]
pub struct LineInput<'t> {
    /// The text the line shows (after trims): owned only where a rule cut
    /// part of the line.
    pub text: Cow<'t, str>,
    /// Its words.
    pub words: u32,
    /// Index of its block.
    pub block: u32,
    /// The number of lines given of its block (its paragraph's size).
    pub block_lines: u32,
    /// What the rules said about it.
    pub evidence: LineEvidence,
}

/// Bits of [`LineFacts::flags`]: the line's flag features, and its repeat
/// and region evidence.
mod flag {
    pub const SENTENCE: u32 = 1;
    pub const COUNT_END: u32 = 1 << 1;
    pub const COLON_END: u32 = 1 << 2;
    pub const QUESTION_END: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const TABLE_ROW: u32 = 1 << 5;
    pub const LINK: u32 = 1 << 6;
    pub const SEPARATOR: u32 = 1 << 7;
    pub const CLOUD: u32 = 1 << 8;
    pub const STARTS_LOWER: u32 = 1 << 9;
    pub const CURRENCY: u32 = 1 << 10;
    pub const COPYRIGHT: u32 = 1 << 11;
    /// Not the first line of its paragraph.
    pub const IN_BLOCK: u32 = 1 << 12;
    pub const DUP_BLOCK: u32 = 1 << 13;
    pub const TITLE_REPEAT: u32 = 1 << 14;
    pub const IN_BEST: u32 = 1 << 15;
    pub const IN_EARLY: u32 = 1 << 16;
}

/// What the rows read of one line, computed once: the row's values that
/// are the line's own, exactly as the row holds them, or what they are
/// computed from exactly (a flag, a count).
#[derive(Debug, Clone, Copy, Default)]
struct LineFacts {
    words: u32,
    /// [`flag`] bits.
    flags: u32,
    /// The rules' evidence (see [`LineEvidence`]).
    line_rule: u16,
    trigger: u16,
    section: u16,
    /// The row of the first line of the innermost section covering the
    /// line, [`NO_SECTION`] without one.
    section_start: u32,
    log_chars: f32,
    punct_per_word: f32,
    comma_per_word: f32,
    digit_share: f32,
    cap_share: f32,
    upper_share: f32,
    mean_word_len: f32,
    alpha_share: f32,
    log_block_lines: f32,
    short_word_share: f32,
    repeat_count: f32,
    seen_share: f32,
    title_overlap: f32,
    region_share: f32,
}

/// [`LineEvidence::section_start`] of a line outside any section.
pub const NO_SECTION: u32 = u32::MAX;

impl LineFacts {
    fn has(&self, bit: u32) -> bool {
        self.flags & bit != 0
    }

    /// A short line that is neither a sentence nor a list item.
    fn menu(&self) -> bool {
        self.words <= 4 && !self.has(flag::SENTENCE) && !self.has(flag::LIST)
    }

    /// ln(1 + words).
    fn log_words(&self) -> f32 {
        (1.0 + self.words as f32).ln()
    }
}

/// Writes a row's values in the order of [`NAMES`].
struct RowWriter<'r> {
    row: &'r mut [f32; N_FEATURES],
    at: usize,
}

impl RowWriter<'_> {
    fn put(&mut self, value: f32) {
        if let Some(slot) = self.row.get_mut(self.at) {
            *slot = value;
        }
        self.at += 1;
    }

    fn flag(&mut self, value: bool) {
        self.put(f32::from(u8::from(value)));
    }

    /// Whether each of `bits` is set in `flags`, as flags.
    fn bits<const N: usize>(&mut self, flags: u32, bits: [u32; N]) {
        for bit in bits {
            self.flag(flags & bit != 0);
        }
    }
}

/// The features of a document's non-blank lines: what any row is written
/// from (see [`Features::write_row`]), kept in a few tens of bytes per line
/// rather than as the rows themselves.
#[derive(Debug, Clone, Default)]
pub struct Features {
    facts: Vec<LineFacts>,
    /// The sentences and the menu-like lines, for the windows.
    sentences: Counts,
    menus: Counts,
    sums: PrefixSums,
    /// The number of rows, as a float.
    nf: f32,
    total_words: f32,
    /// The first and last rows of the best regions.
    best: Option<(usize, usize)>,
    doc: DocStats,
}

/// The four-word sequences of a line of `words` words (short lines none).
pub fn sequences_in(words: u32) -> usize {
    (words as usize).saturating_sub(SHINGLE - 1)
}

/// Computes the features of `lines` (the document's non-blank lines in
/// view, in order), reading each line once (no line's input is kept).
/// `sequences` sizes the table of four-word sequences seen: [`sequences_in`]
/// its lines, summed (any value gives the same features).
pub fn compute<'t>(lines: impl IntoIterator<Item = LineInput<'t>>, sequences: usize) -> Features {
    let lines = lines.into_iter();
    let mut facts = Vec::with_capacity(lines.size_hint().0);
    let mut line_keys = Vec::with_capacity(lines.size_hint().0);
    let mut repeats = Repeats::new(sequences);
    let mut last_block = None;
    for line in lines {
        let in_block = last_block == Some(line.block);
        last_block = Some(line.block);
        let mut f = line_facts(&line, line.block_lines as usize, in_block);
        f.section_start = line.evidence.section_start;
        facts.push(f);
        line_keys.push(folded_hash(&line.text));
        repeats.read(&line, in_block, &mut facts);
    }
    repeats.finish(&mut facts);
    count_repeats(&line_keys, &mut facts);
    drop(line_keys);
    let best = mark_regions(&mut facts);
    let total_words: f32 = facts.iter().map(|f| f.words as f32).sum();
    Features {
        sentences: facts.iter().map(|f| f.has(flag::SENTENCE)).collect(),
        menus: facts.iter().map(LineFacts::menu).collect(),
        sums: PrefixSums::new(&facts),
        nf: facts.len() as f32,
        total_words,
        best,
        doc: DocStats::new(&facts),
        facts,
    }
}

impl Features {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Row `k` (zeros for a row out of range).
    pub fn row(&self, k: usize) -> [f32; N_FEATURES] {
        let mut row = [0.0; N_FEATURES];
        self.write_row(k, &mut row);
        row
    }

    /// Writes row `k`, its values in the order of [`NAMES`], into `row`
    /// (left as it is for a row out of range).
    pub fn write_row(&self, k: usize, row: &mut [f32; N_FEATURES]) {
        let Some(f) = self.facts.get(k) else {
            return;
        };
        let mut w = RowWriter { row, at: 0 };
        shape(&mut w, f);
        self.position(&mut w, k);
        repeats(&mut w, f);
        self.neighbourhood(&mut w, k);
        region(&mut w, f);
        for &v in &self.doc.values {
            w.put(v);
        }
        self.rules(&mut w, k, f);
        self.more(&mut w, k, f);
        debug_assert_eq!(w.at, N_FEATURES);
    }

    /// Position: the row's share of the rows and of the words before it.
    fn position(&self, w: &mut RowWriter, k: usize) {
        let nf = self.nf;
        let before = sum_before(&self.sums.words, k);
        w.put(k as f32 / nf);
        w.put(if self.total_words > 0.0 {
            before / self.total_words
        } else {
            0.0
        });
        w.put((1.0 + k as f32).ln());
        w.put((nf - k as f32).ln());
    }

    /// Neighbourhood: the shape of the lines around.
    fn neighbourhood(&self, w: &mut RowWriter, k: usize) {
        for column in [Column::Sentence, Column::LogWords, Column::Menu] {
            for radius in [2, 5, 15] {
                w.put(self.mean(column, k, radius));
            }
        }
        w.put(self.mean_range(Column::Sentence, k.saturating_sub(5), k));
        w.put(self.mean_range(Column::Sentence, k + 1, (k + 6).min(self.len())));
        let prev = k.checked_sub(1).and_then(|j| self.facts.get(j));
        let next = self.facts.get(k + 1);
        w.put(prev.map_or(-1.0, LineFacts::log_words));
        w.put(next.map_or(-1.0, LineFacts::log_words));
        w.put(prev.map_or(-1.0, |f| f32::from(u8::from(f.has(flag::SENTENCE)))));
        w.put(next.map_or(-1.0, |f| f32::from(u8::from(f.has(flag::SENTENCE)))));
    }

    /// Rules: the families that hit the line, and where its section starts.
    fn rules(&self, w: &mut RowWriter, k: usize, f: &LineFacts) {
        for mask in [f.line_rule, f.trigger, f.section] {
            for family in 0..FAMILIES.len() {
                w.flag(mask & (1 << family) != 0);
            }
        }
        let start_row = (f.section_start != NO_SECTION).then_some(f.section_start as usize);
        w.put(start_row.map_or(0.0, |s| (1.0 + k.saturating_sub(s) as f32).ln()));
        w.put(start_row.map_or(1.0, |s| s as f32 / self.nf));
        w.put(start_row.map_or(0.0, |s| {
            (1.0 + sum_before(&self.sums.words, s)).ln()
        }));
    }

    /// More shape, neighbourhood and position.
    fn more(&self, w: &mut RowWriter, k: usize, f: &LineFacts) {
        let nf = self.nf;
        w.put(f.short_word_share);
        for column in [Column::Cap, Column::Punct, Column::Digit] {
            w.put(self.mean(column, k, 5));
        }
        w.put(match self.best {
            Some((start, _)) if k < start => (k as f32 - start as f32) / nf,
            Some((_, end)) if k > end => (k as f32 - end as f32) / nf,
            _ => 0.0,
        });
        w.put(f.title_overlap);
    }

    /// The mean of column `c` over rows `k - radius ..= k + radius`, clipped.
    fn mean(&self, c: Column, k: usize, radius: usize) -> f32 {
        self.mean_range(c, k.saturating_sub(radius), (k + radius + 1).min(self.len()))
    }

    /// The mean of column `c` over rows `start..end` (0 when empty).
    fn mean_range(&self, c: Column, start: usize, end: usize) -> f32 {
        if end <= start || end > self.len() {
            return 0.0;
        }
        let between = |prefix: &[f32]| sum_before(prefix, end) - sum_before(prefix, start);
        // The flag columns count their rows: the same value as the
        // difference of their sums, integers that a float holds exactly.
        let sum = match c {
            Column::Sentence => f32::from(self.sentences.count(start..end)),
            Column::Menu => f32::from(self.menus.count(start..end)),
            Column::LogWords => between(&self.sums.log_words),
            Column::Cap => between(&self.sums.cap),
            Column::Punct => between(&self.sums.punct),
            Column::Digit => between(&self.sums.digit),
        };
        sum / (end - start) as f32
    }
}

/// Shape: the line's own values.
fn shape(w: &mut RowWriter, f: &LineFacts) {
    w.put(f.words as f32);
    w.put(f.log_chars);
    w.bits(
        f.flags,
        [
            flag::SENTENCE,
            flag::COUNT_END,
            flag::COLON_END,
            flag::QUESTION_END,
        ],
    );
    for v in [
        f.punct_per_word,
        f.comma_per_word,
        f.digit_share,
        f.cap_share,
        f.upper_share,
    ] {
        w.put(v);
    }
    w.bits(
        f.flags,
        [flag::LIST, flag::TABLE_ROW, flag::LINK, flag::SEPARATOR],
    );
    w.put(f.mean_word_len);
    w.put(f.alpha_share);
    w.bits(
        f.flags,
        [
            flag::CLOUD,
            flag::STARTS_LOWER,
            flag::CURRENCY,
            flag::COPYRIGHT,
        ],
    );
    w.put(f.log_block_lines);
    w.flag(f.has(flag::IN_BLOCK));
}

/// Repeats: of the line, its words and its paragraph.
fn repeats(w: &mut RowWriter, f: &LineFacts) {
    w.put(f.repeat_count);
    w.put(f.seen_share);
    w.bits(f.flags, [flag::DUP_BLOCK, flag::TITLE_REPEAT]);
}

/// Regions: the maximal-scoring region holding the row.
fn region(w: &mut RowWriter, f: &LineFacts) {
    w.bits(f.flags, [flag::IN_BEST, flag::IN_EARLY]);
    w.put(f.region_share);
}

/// The share of a line's words that are short and lower-case (three
/// letters or fewer): function words, which prose has and menus lack.
fn short_word_share(text: &str) -> f32 {
    let (short, total) = if text.is_ascii() {
        // ASCII: the bytes `char::is_whitespace` accepts, and byte tests.
        text.as_bytes()
            .split(|b| matches!(b, b' ' | b'\t'..=b'\r'))
            .filter(|word| !word.is_empty())
            .fold((0u32, 0u32), |(short, total), word| {
                (short + u32::from(ascii_short_lower(word)), total + 1)
            })
    } else {
        text.split_whitespace()
            .fold((0u32, 0u32), |(short, total), word| {
                (short + u32::from(short_lower(word)), total + 1)
            })
    };
    if total == 0 {
        0.0
    } else {
        short as f32 / total as f32
    }
}

/// True when `word`, trimmed of what is not a letter or digit, is one to
/// three characters, all lower-case.
fn short_lower(word: &str) -> bool {
    if word.is_ascii() {
        return ascii_short_lower(word.as_bytes());
    }
    let letters = word.trim_matches(|c: char| !is_letter_or_digit(c));
    // Counting stops past three: whether the word is short is all that
    // matters.
    let n = letters.chars().take(4).count();
    (1..=3).contains(&n) && letters.chars().all(char::is_lowercase)
}

/// [`short_lower`] of an ASCII word.
fn ascii_short_lower(word: &[u8]) -> bool {
    let start = word.iter().position(u8::is_ascii_alphanumeric);
    let end = word.iter().rposition(u8::is_ascii_alphanumeric);
    match start
        .zip(end)
        .and_then(|(start, end)| word.get(start..=end))
    {
        Some(letters) => letters.len() <= 3 && letters.iter().all(u8::is_ascii_lowercase),
        None => false,
    }
}

/// The characters of a line, counted by kind.
#[derive(Debug, Default, PartialEq)]
struct CharCounts {
    chars: u32,
    letters: u32,
    digits: u32,
    upper: u32,
    punct: u32,
    commas: u32,
    non_space: u32,
    /// Words that start with a letter, and those of them capitalised.
    letter_words: u32,
    cap_words: u32,
    currency: bool,
    copyright: bool,
    /// Whether the first letter is lower-case (`None` without letters).
    first_letter_lower: Option<bool>,
}

/// What [`CharCounts`] asks of a character (`char::is_whitespace`,
/// `is_alphabetic`, `is_uppercase`, `is_numeric`, `is_lowercase`, and
/// whether it is [`PUNCTUATION`], a comma, a currency sign or `©`), as bits.
struct CharClass;

impl CharClass {
    const SPACE: u16 = 1;
    const ALPHABETIC: u16 = 2;
    const UPPERCASE: u16 = 4;
    const NUMERIC: u16 = 8;
    const LOWERCASE: u16 = 16;
    const PUNCTUATION: u16 = 32;
    const COMMA: u16 = 64;
    const CURRENCY: u16 = 128;
    const COPYRIGHT: u16 = 256;
    /// Characters below this are tabled: Latin, Greek, Cyrillic, Hebrew,
    /// Arabic.
    const LOW: u32 = 0x800;
    /// The General Punctuation block (dashes, quotes, spaces), tabled after
    /// them.
    const GENERAL_PUNCTUATION: std::ops::Range<u32> = 0x2000..0x2070;

    /// The bits of `c`, from the Unicode tables.
    fn lookup(c: char) -> u16 {
        [
            (c.is_whitespace(), Self::SPACE),
            (c.is_alphabetic(), Self::ALPHABETIC),
            (c.is_uppercase(), Self::UPPERCASE),
            (c.is_numeric(), Self::NUMERIC),
            (c.is_lowercase(), Self::LOWERCASE),
            (PUNCTUATION.contains(&c), Self::PUNCTUATION),
            (matches!(c, ',' | '，' | '、'), Self::COMMA),
            (matches!(c, '$' | '€' | '£' | '¥' | '₹'), Self::CURRENCY),
            (c == '©', Self::COPYRIGHT),
        ]
        .into_iter()
        .filter(|(is, _)| *is)
        .fold(0, |bits, (_, bit)| bits | bit)
    }

    /// The bits of the tabled characters, looked up once.
    fn table() -> &'static [u16] {
        static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
        TABLE.get_or_init(|| {
            (0..Self::LOW)
                .chain(Self::GENERAL_PUNCTUATION)
                .map(|code| char::from_u32(code).map_or(0, Self::lookup))
                .collect()
        })
    }

    /// The bits of `c`: from `table` (see [`CharClass::table`]) when tabled.
    fn of(c: char, table: &[u16]) -> u16 {
        let code = u32::from(c);
        let index = if code < Self::LOW {
            code
        } else if Self::GENERAL_PUNCTUATION.contains(&code) {
            code - Self::GENERAL_PUNCTUATION.start + Self::LOW
        } else {
            return Self::lookup(c);
        };
        table
            .get(index as usize)
            .copied()
            .unwrap_or_else(|| Self::lookup(c))
    }
}

impl CharCounts {
    /// Counts the characters of `text` in one pass (see [`AsciiCounts`]).
    fn of(text: &str) -> CharCounts {
        AsciiCounts::get().count(text)
    }

    /// Counts one character of class `class`.
    fn add(&mut self, class: u16, at_word_start: &mut bool) {
        self.chars += 1;
        let [space, alphabetic, uppercase, numeric, lowercase] = [
            CharClass::SPACE,
            CharClass::ALPHABETIC,
            CharClass::UPPERCASE,
            CharClass::NUMERIC,
            CharClass::LOWERCASE,
        ]
        .map(|bit| class & bit != 0);
        if alphabetic {
            self.first_letter_lower.get_or_insert(lowercase);
        }
        if space {
            *at_word_start = true;
            return;
        }
        self.non_space += 1;
        if alphabetic {
            self.letters += 1;
            if uppercase {
                self.upper += 1;
            }
            if *at_word_start {
                self.letter_words += 1;
                if uppercase {
                    self.cap_words += 1;
                }
            }
        } else if numeric {
            self.digits += 1;
        } else {
            self.punct += u32::from(class & CharClass::PUNCTUATION != 0);
            self.commas += u32::from(class & CharClass::COMMA != 0);
            self.currency |= class & CharClass::CURRENCY != 0;
            self.copyright |= class & CharClass::COPYRIGHT != 0;
        }
        *at_word_start = false;
    }

    /// The eight counters [`AsciiCounts`] packs, in its byte order.
    fn packed(&mut self) -> [&mut u32; 8] {
        [
            &mut self.non_space,
            &mut self.letters,
            &mut self.upper,
            &mut self.digits,
            &mut self.punct,
            &mut self.commas,
            &mut self.letter_words,
            &mut self.cap_words,
        ]
    }
}

/// [`CharCounts`] with ASCII bytes counted without a branch each: what
/// [`CharCounts::add`] adds for each byte, after a space or not, packed as
/// eight byte-wide counters in a `u64`, summed over at most 255 bytes at a
/// time and then unpacked.
struct AsciiCounts {
    /// Per byte, its [`CharClass`] bits.
    class: [u16; 128],
    /// Per byte, [`CharCounts::add`]'s flags (currency, copyright) only.
    flags: [u16; 128],
    /// Per byte, what it adds to the packed counters: `[0]` after a
    /// letter or other character, `[1]` at a word start.
    adds: [[u64; 128]; 2],
}

impl AsciiCounts {
    /// The tables, made once from [`CharCounts::add`] itself.
    fn get() -> &'static AsciiCounts {
        static TABLES: OnceLock<AsciiCounts> = OnceLock::new();
        TABLES.get_or_init(|| {
            let mut t = AsciiCounts {
                class: [0; 128],
                flags: [0; 128],
                adds: [[0; 128]; 2],
            };
            let classes = CharClass::table();
            for b in 0..128u8 {
                let class = CharClass::of(char::from(b), classes);
                let at = usize::from(b);
                t.class[at] = class;
                for start in [false, true] {
                    let mut n = CharCounts::default();
                    n.add(class, &mut start.clone());
                    let flags = [
                        (n.currency, CharClass::CURRENCY),
                        (n.copyright, CharClass::COPYRIGHT),
                    ];
                    t.flags[at] = flags.iter().filter(|f| f.0).fold(0, |all, f| all | f.1);
                    t.adds[usize::from(start)][at] = n
                        .packed()
                        .iter()
                        .enumerate()
                        .fold(0, |sum, (i, &&mut v)| sum | (u64::from(v) << (8 * i)));
                }
            }
            t
        })
    }

    /// The counts of `text`: its ASCII bytes from the tables, its other
    /// characters one by one with [`CharCounts::add`].
    fn count(&self, text: &str) -> CharCounts {
        let classes = CharClass::table();
        let mut n = CharCounts {
            first_letter_lower: text
                .chars()
                .map(|c| CharClass::of(c, classes))
                .find(|c| c & CharClass::ALPHABETIC != 0)
                .map(|c| c & CharClass::LOWERCASE != 0),
            ..CharCounts::default()
        };
        let mut flags = 0;
        let mut at_word_start = true;
        let bytes = text.as_bytes();
        if text.is_ascii() {
            for chunk in bytes.chunks(255) {
                let mut sum = 0u64;
                for &b in chunk {
                    let at = usize::from(b & 0x7f);
                    sum += self.adds[usize::from(at_word_start)][at];
                    flags |= self.flags[at];
                    at_word_start = self.class[at] & CharClass::SPACE != 0;
                }
                n.unpack(sum, chunk.len());
            }
        } else {
            let (mut sum, mut summed, mut pos) = (0u64, 0, 0);
            while let Some(&b) = bytes.get(pos) {
                if b.is_ascii() {
                    let at = usize::from(b & 0x7f);
                    sum += self.adds[usize::from(at_word_start)][at];
                    flags |= self.flags[at];
                    at_word_start = self.class[at] & CharClass::SPACE != 0;
                    pos += 1;
                    summed += 1;
                    if summed == 255 {
                        n.unpack(sum, summed);
                        (sum, summed) = (0, 0);
                    }
                    continue;
                }
                let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
                    // Not a character boundary: cannot happen in a `str`.
                    pos += 1;
                    continue;
                };
                pos += c.len_utf8();
                n.add(CharClass::of(c, classes), &mut at_word_start);
            }
            n.unpack(sum, summed);
        }
        n.currency |= flags & CharClass::CURRENCY != 0;
        n.copyright |= flags & CharClass::COPYRIGHT != 0;
        n
    }
}

impl CharCounts {
    /// Adds `sum`, the packed counts of `chars` ASCII bytes.
    fn unpack(&mut self, sum: u64, chars: usize) {
        self.chars += u32::try_from(chars).unwrap_or(u32::MAX);
        for (i, counter) in self.packed().into_iter().enumerate() {
            *counter += ((sum >> (8 * i)) & 0xff) as u32;
        }
    }
}

/// The facts of one line from its text, as far as the line alone tells
/// them; `block_lines` is the size of its paragraph in lines, `in_block`
/// whether it follows another line of it.
fn line_facts(line: &LineInput, block_lines: usize, in_block: bool) -> LineFacts {
    let text = &*line.text;
    let words = line.words.max(1) as f32;
    let CharCounts {
        chars,
        letters,
        digits,
        upper,
        punct,
        commas,
        non_space,
        letter_words,
        cap_words,
        currency,
        copyright,
        first_letter_lower,
    } = CharCounts::of(text);
    let ratio = |a: u32, b: u32| if b == 0 { 0.0 } else { a as f32 / b as f32 };
    let flags = [
        (ends_like_sentence(text), flag::SENTENCE),
        (ends_with_count(text), flag::COUNT_END),
        (text.ends_with([':', '：']), flag::COLON_END),
        (text.ends_with(['?', '？']), flag::QUESTION_END),
        (is_list_item(text), flag::LIST),
        (
            text.starts_with('|') && text.len() > 1 && text.ends_with('|'),
            flag::TABLE_ROW,
        ),
        (has_link(text), flag::LINK),
        (has_separator(text), flag::SEPARATOR),
        (line.words >= 20 && punct == 0, flag::CLOUD),
        (first_letter_lower == Some(true), flag::STARTS_LOWER),
        (currency, flag::CURRENCY),
        (copyright || holds(text, "(c)"), flag::COPYRIGHT),
        (in_block, flag::IN_BLOCK),
    ]
    .into_iter()
    .filter(|(is, _)| *is)
    .fold(0, |flags, (_, bit)| flags | bit);
    let e = &line.evidence;
    LineFacts {
        words: line.words,
        flags,
        line_rule: e.line_rule,
        trigger: e.trigger,
        section: e.section,
        section_start: NO_SECTION,
        log_chars: (1.0 + chars as f32).ln(),
        punct_per_word: punct as f32 / words,
        comma_per_word: commas as f32 / words,
        digit_share: ratio(digits, letters + digits),
        cap_share: ratio(cap_words, letter_words),
        upper_share: ratio(upper, letters),
        mean_word_len: ratio(non_space, line.words.max(1)),
        alpha_share: ratio(letters, non_space),
        log_block_lines: (block_lines as f32).ln(),
        short_word_share: short_word_share(text),
        ..LineFacts::default()
    }
}

/// `text.contains(needle)`, after a `memchr` for the needle's first byte:
/// most lines lack it, and looking for one byte costs much less.
fn holds(text: &str, needle: &str) -> bool {
    needle
        .as_bytes()
        .first()
        .is_none_or(|&b| memchr::memchr(b, text.as_bytes()).is_some())
        && text.contains(needle)
}

/// True when `text` holds a URL or an e-mail address.
fn has_link(text: &str) -> bool {
    holds(text, "://") || holds(text, "www.") || (text.contains('@') && has_email(text))
}

/// True when `text` holds one of the [`SEPARATORS`], each of which starts
/// with a space: one pass over the spaces finds it.
fn has_separator(text: &str) -> bool {
    memchr::memchr_iter(b' ', text.as_bytes()).any(|at| {
        text.get(at..)
            .is_some_and(|rest| SEPARATORS.iter().any(|s| rest.starts_with(s)))
    })
}

fn has_email(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        w.split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
    })
}

/// True when `text` ends like a sentence: with terminal punctuation, but not
/// with a count in brackets ("Software (71)", "2019年11月 （3）"), the mark of
/// category and archive menus in every language.
pub fn ends_like_sentence(text: &str) -> bool {
    text.ends_with(SENTENCE_END) && !ends_with_count(text)
}

/// True when `text` ends with a number in brackets: "Software (71)".
fn ends_with_count(text: &str) -> bool {
    let count = text
        .strip_suffix(')')
        .and_then(|t| t.trim_end().rsplit_once('('))
        .or_else(|| {
            text.strip_suffix('）')
                .and_then(|t| t.trim_end().rsplit_once('（'))
        });
    count.is_some_and(|(_, n)| {
        let n = n.trim();
        !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit() || b == b',')
    })
}

/// True for bullet and numbered list items (`- x`, `• x`, `1) x`, `2. x`)
/// and table rows (`| a | b |`): the structure of article content, however
/// short the lines.
pub fn is_list_item(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('|') => text.len() > 1 && text.ends_with('|'),
        Some('-' | '–' | '•' | '*' | '·' | '▪' | '►' | '✓' | '✔') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
            text.len() - rest.len() <= 2
                && (rest.starts_with(". ") || rest.starts_with(") ") || rest.starts_with(".\t"))
        }
        _ => false,
    }
}

/// At most this many distinct four-word sequences are remembered for
/// `seen_share` (9 bytes each): a longer document compares its later
/// sequences with its first ones only, so memory stays bounded.
const REMEMBERED_SHINGLES: usize = 1 << 20;

/// At most this many distinct words of the first line are remembered for
/// `title_overlap`.
const REMEMBERED_TITLE_WORDS: usize = 1 << 16;

/// The paragraph being read by [`Repeats`]: consecutive lines of one
/// block.
struct Paragraph {
    first_line: usize,
    hash: SequenceHash,
    words: usize,
    listy: bool,
}

/// Sets each line's `repeat_count`: ln of the number of lines with the
/// same folded text (`line_keys`, their hashes), 0 for a unique line.
fn count_repeats(line_keys: &[u64], facts: &mut [LineFacts]) {
    let mut keys: HashMap<u64, u32, BuildHasherDefault<Identity>> =
        HashMap::with_capacity_and_hasher(line_keys.len(), BuildHasherDefault::default());
    for key in line_keys {
        *keys.entry(*key).or_insert(0) += 1;
    }
    for (f, key) in facts.iter_mut().zip(line_keys) {
        let c = keys.get(key).copied().unwrap_or(1);
        f.repeat_count = if c > 1 { (c as f32).ln() } else { 0.0 };
    }
}

/// The rest of each line's repeat evidence, read a line at a time:
/// `seen_share` (the share of its four-word sequences seen in earlier
/// lines), [`flag::DUP_BLOCK`] (its paragraph, of at least 8 words,
/// repeats an earlier one), [`flag::TITLE_REPEAT`] (it repeats the first
/// line: a headline printed twice) and `title_overlap` (the share of its
/// words found in the first line, a page's `<title>`: the headline printed
/// again, with or without the site; 0 for the first line).
///
/// Keeps per word only the (bounded) sets of sequences and title words
/// seen.
struct Repeats {
    /// The sequences of the lines read so far.
    seen: HashedSet,
    /// The sequences of the line being read.
    line_shingles: Vec<u64>,
    title_words: HashedSet,
    /// The first line's hash and words.
    title: (u64, usize),
    /// The hashes of the paragraphs read so far.
    blocks_seen: HashedSet,
    paragraph: Option<Paragraph>,
}

impl Repeats {
    /// Room for `sequences` four-word sequences (at most
    /// [`REMEMBERED_SHINGLES`]).
    fn new(sequences: usize) -> Self {
        Repeats {
            seen: HashedSet::with_capacity_and_hasher(
                sequences.min(REMEMBERED_SHINGLES),
                BuildHasherDefault::default(),
            ),
            line_shingles: Vec::new(),
            title_words: HashedSet::default(),
            title: (SequenceHash::default().value(), 0),
            blocks_seen: HashedSet::default(),
            paragraph: None,
        }
    }

    /// Reads `line`, whose facts are the last of `facts`; `in_block`:
    /// it follows a line of its paragraph.
    fn read(&mut self, line: &LineInput, in_block: bool, facts: &mut [LineFacts]) {
        let k = facts.len().saturating_sub(1);
        if let Some(p) = self.paragraph.take_if(|_| !in_block) {
            finish_paragraph(p, k, facts, &mut self.blocks_seen);
        }
        let p = self.paragraph.get_or_insert(Paragraph {
            first_line: k,
            hash: SequenceHash::default(),
            words: 0,
            listy: false,
        });
        p.listy |= is_list_item(&line.text);
        let LineWords {
            words,
            shingles,
            known,
            in_title,
            hash,
        } = read_words(
            &line.text,
            k,
            p,
            &mut self.title_words,
            &self.seen,
            &mut self.line_shingles,
        );
        // A line's sequences count as seen from the next line on.
        for shingle in self.line_shingles.drain(..) {
            if self.seen.len() >= REMEMBERED_SHINGLES {
                break;
            }
            self.seen.insert(shingle);
        }
        p.words += words;
        if k == 0 {
            self.title = (hash.value(), words);
        }
        if let Some(f) = facts.get_mut(k) {
            f.seen_share = share(known, shingles);
            if k > 0 && self.title.1 > 0 && (hash.value(), words) == self.title {
                f.flags |= flag::TITLE_REPEAT;
            }
            f.title_overlap = share(in_title, words);
        }
    }

    /// Ends the last paragraph.
    fn finish(mut self, facts: &mut [LineFacts]) {
        if let Some(p) = self.paragraph.take() {
            finish_paragraph(p, facts.len(), facts, &mut self.blocks_seen);
        }
    }
}

/// Marks the lines of a paragraph (of at least 8 words, not a list) that
/// repeats an earlier one; `end` is the line after it.
fn finish_paragraph(p: Paragraph, end: usize, facts: &mut [LineFacts], seen: &mut HashedSet) {
    if p.words >= 8 && !p.listy && !seen.insert(p.hash.value()) {
        for f in facts.get_mut(p.first_line..end).into_iter().flatten() {
            f.flags |= flag::DUP_BLOCK;
        }
    }
}

/// What the words of one line said, read by [`read_words`].
struct LineWords {
    words: usize,
    /// Its four-word sequences, and those seen on an earlier line.
    shingles: usize,
    known: usize,
    /// Its words found in the first line (0 for the first line).
    in_title: usize,
    /// The hash of its words.
    hash: SequenceHash,
}

/// Reads the words of line `k`: adds them to its paragraph's hash and to
/// the title's words (the first line), counts its four-word sequences
/// found in `seen` (those of earlier lines) and leaves them in
/// `line_shingles`.
fn read_words(
    text: &str,
    k: usize,
    p: &mut Paragraph,
    title_words: &mut HashedSet,
    seen: &HashedSet,
    line_shingles: &mut Vec<u64>,
) -> LineWords {
    let mut window = [0u64; SHINGLE];
    let (mut words, mut shingles, mut known, mut in_title) = (0usize, 0usize, 0usize, 0);
    let mut hash = SequenceHash::default();
    for word in word_hashes(text) {
        words += 1;
        hash = hash.push(word);
        p.hash = p.hash.push(word);
        let [_, a, b, c] = window;
        window = [a, b, c, word];
        if k == 0 {
            if title_words.len() < REMEMBERED_TITLE_WORDS {
                title_words.insert(word);
            }
        } else if title_words.contains(&word) {
            in_title += 1;
        }
        if words < SHINGLE {
            continue;
        }
        shingles += 1;
        let shingle = sequence_hash(window.iter().copied());
        known += usize::from(seen.contains(&shingle));
        line_shingles.push(shingle);
    }
    LineWords {
        words,
        shingles,
        known,
        in_title,
        hash,
    }
}

/// `part / whole`, 0 for an empty whole.
fn share(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// Scores each line by length and sentence shape (the hand-set body
/// detection's score: words − 12, +5 for a sentence end, −6 otherwise; a
/// repeat scores nothing), finds the maximal-scoring regions and marks
/// each line's facts with the region holding it. Returns the first and
/// last rows of the best regions.
fn mark_regions(facts: &mut [LineFacts]) -> Option<(usize, usize)> {
    let scores: Vec<f64> = facts
        .iter()
        .map(|f| {
            if f.seen_share >= 0.8 {
                return 0.0;
            }
            let base = f64::from(f.words as f32) - 12.0;
            if f.has(flag::SENTENCE) {
                base + 5.0
            } else {
                base - 6.0
            }
        })
        .collect();
    let regions = maximal_regions(&scores);
    let best = regions.iter().map(|r| r.score).fold(0.0, f64::max);
    let early = regions.iter().find(|r| r.score >= 0.4 * best);
    for r in &regions {
        let mut flags = 0;
        if r.score == best {
            flags |= flag::IN_BEST;
        }
        if early.is_some_and(|e| e.range == r.range) {
            flags |= flag::IN_EARLY;
        }
        for f in facts.get_mut(r.range.clone()).into_iter().flatten() {
            f.flags |= flags;
            f.region_share = if best > 0.0 {
                (r.score / best) as f32
            } else {
                0.0
            };
        }
    }
    let in_best = |f: &LineFacts| f.has(flag::IN_BEST);
    facts
        .iter()
        .position(in_best)
        .zip(facts.iter().rposition(in_best))
}

/// A maximal-scoring region of a score sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The rows of the region.
    pub range: std::ops::Range<usize>,
    /// Its summed score.
    pub score: f64,
}

/// All maximal-scoring disjoint regions of `scores`, in order (Ruzzo and
/// Tompa, 1999). Each candidate keeps a link to the nearest earlier candidate
/// with a smaller left cumulative sum, so the searches are amortised linear.
pub fn maximal_regions(scores: &[f64]) -> Vec<Region> {
    #[derive(Debug, Clone)]
    struct Candidate {
        start: usize,
        end: usize,
        left: f64,
        right: f64,
        smaller: Option<usize>,
    }
    let mut list: Vec<Candidate> = Vec::new();
    let mut cumulative = 0.0;
    for (k, &score) in scores.iter().enumerate() {
        if score <= 0.0 {
            cumulative += score;
            continue;
        }
        let mut candidate = Candidate {
            start: k,
            end: k + 1,
            left: cumulative,
            right: cumulative + score,
            smaller: None,
        };
        cumulative += score;
        loop {
            let mut j = list.len().checked_sub(1);
            while let Some(t) = j {
                if list.get(t).is_none_or(|c| c.left < candidate.left) {
                    break;
                }
                j = list.get(t).and_then(|c| c.smaller);
            }
            match j.and_then(|t| list.get(t).map(|c| (t, c))) {
                Some((t, c)) if c.right < candidate.right => {
                    candidate = Candidate {
                        start: c.start,
                        left: c.left,
                        smaller: c.smaller,
                        ..candidate
                    };
                    list.truncate(t);
                }
                _ => {
                    candidate.smaller = j;
                    list.push(candidate);
                    break;
                }
            }
        }
    }
    list.into_iter()
        .map(|c| Region {
            range: c.start..c.end,
            score: c.right - c.left,
        })
        .collect()
}

/// Document-level features, the same on every row: its size, its shares
/// of menu, sentence and list lines, of lines a rule of each family claims
/// (a cookie notice or a menu rule's lines tell a whole page from an
/// article), of copyright and separator lines, and its mean repeat count.
#[derive(Debug, Clone, Default)]
struct DocStats {
    values: [f32; DOC_VALUES],
}

/// The document features: seven of its shape, then the mode-only ones.
const DOC_VALUES: usize = 7 + FAMILIES.len() + 3;

impl DocStats {
    fn new(facts: &[LineFacts]) -> DocStats {
        let n = facts.len().max(1) as f32;
        let words: f32 = facts.iter().map(|f| f.words as f32).sum();
        let count = |f: fn(&LineFacts) -> bool| facts.iter().filter(|s| f(s)).count() as f32 / n;
        let blocks = facts
            .iter()
            .filter(|f| !f.has(flag::IN_BLOCK))
            .count()
            .max(1) as f32;
        let mut claimed = [0usize; FAMILIES.len()];
        for f in facts {
            for (family, lines) in claimed.iter_mut().enumerate() {
                *lines += usize::from(f.line_rule & (1 << family) != 0);
            }
        }
        let shape = [
            n.ln(),
            (1.0 + words).ln(),
            count(LineFacts::menu),
            count(|f| f.has(flag::SENTENCE)),
            words / n,
            facts.len() as f32 / blocks,
            count(|f| f.has(flag::LIST)),
        ];
        let rest = [
            count(|f| f.has(flag::COPYRIGHT)),
            count(|f| f.has(flag::SEPARATOR)),
            facts.iter().map(|f| f.repeat_count).sum::<f32>() / n,
        ];
        let mut values = [0.0; DOC_VALUES];
        let families = claimed.map(|lines| lines as f32 / n);
        for (slot, v) in values.iter_mut().zip(shape.into_iter().chain(families).chain(rest)) {
            *slot = v;
        }
        DocStats { values }
    }
}

/// The columns the windows average: two flags, counted (see [`Counts`]),
/// and three values, summed (see [`PrefixSums`]).
#[derive(Debug, Clone, Copy)]
enum Column {
    Sentence,
    Menu,
    LogWords,
    Cap,
    Punct,
    Digit,
}

/// Prefix sums of the summed columns (each value before each row, and in
/// all, last), so every window mean costs O(1); and of the words, for the
/// position.
#[derive(Debug, Clone, Default)]
struct PrefixSums {
    words: Vec<f32>,
    log_words: Vec<f32>,
    cap: Vec<f32>,
    punct: Vec<f32>,
    digit: Vec<f32>,
}

impl PrefixSums {
    fn new(facts: &[LineFacts]) -> PrefixSums {
        let prefix = |f: &dyn Fn(&LineFacts) -> f32| {
            let mut out = Vec::with_capacity(facts.len() + 1);
            let mut acc = 0.0f32;
            out.push(acc);
            for s in facts {
                acc += f(s);
                out.push(acc);
            }
            out
        };
        PrefixSums {
            words: prefix(&|f| f.words as f32),
            log_words: prefix(&LineFacts::log_words),
            cap: prefix(&|f| f.cap_share),
            punct: prefix(&|f| f.punct_per_word),
            digit: prefix(&|f| f.digit_share),
        }
    }
}

/// A prefix sum's value before row `k` (0 past the end).
fn sum_before(prefix: &[f32], k: usize) -> f32 {
    prefix.get(k).copied().unwrap_or(0.0)
}

/// A flag's running count before each row (and in all, last), modulo
/// 2^16: the count over a window of fewer rows is the wrapping difference,
/// at two bytes a row.
#[derive(Debug, Clone, Default)]
struct Counts {
    before: Vec<u16>,
}

impl FromIterator<bool> for Counts {
    fn from_iter<I: IntoIterator<Item = bool>>(flags: I) -> Counts {
        let flags = flags.into_iter();
        let mut before = Vec::with_capacity(flags.size_hint().0 + 1);
        let mut count = 0u16;
        before.push(count);
        for flag in flags {
            count = count.wrapping_add(u16::from(flag));
            before.push(count);
        }
        Counts { before }
    }
}

impl Counts {
    /// The number of flags set in `rows` (fewer than 2^16 rows).
    fn count(&self, rows: std::ops::Range<usize>) -> u16 {
        let at = |k: usize| self.before.get(k).copied().unwrap_or(0);
        at(rows.end).wrapping_sub(at(rows.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabled_char_classes_are_the_unicode_answers() {
        let table = CharClass::table();
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(CharClass::of(c, table), CharClass::lookup(c), "{c:?}");
        }
        let bits = CharClass::of('Ж', table);
        assert_eq!(bits, CharClass::ALPHABETIC | CharClass::UPPERCASE);
        assert_eq!(CharClass::of('\u{2003}', table), CharClass::SPACE);
    }

    #[test]
    fn lines_count_and_share_as_characters_do() {
        let all: String = (0..128u8).map(char::from).collect();
        let mut lines = vec![
            all.clone(),
            all.repeat(5),
            "The cat, $5 (c) 2024: a b-c ... I'd go.".into(),
            "  x  Y z\x0bab\tCD e".into(),
            String::new(),
            "1) 22 ab".into(),
        ];
        // Past the 255-byte chunks, capitals at word starts throughout.
        lines.push("Ab, cd. ".repeat(300));
        // Mixed with other scripts, spaces and signs.
        lines.push("«Це» Ab, cd\u{a0}Éx — 5 € © ".repeat(40));
        lines.push("日本語 a Ж".into());
        let classes = CharClass::table();
        for line in &lines {
            let mut by_char = CharCounts::default();
            let mut at_word_start = true;
            for c in line.chars() {
                by_char.add(CharClass::of(c, classes), &mut at_word_start);
            }
            assert_eq!(CharCounts::of(line), by_char, "{line:?}");
            let words = line.split_whitespace();
            let short = words.clone().filter(|w| short_lower(w)).count();
            let expected = share(short, words.count());
            assert_eq!(short_word_share(line), expected, "{line:?}");
        }
    }

    #[test]
    fn short_words_are_trimmed_as_alphanumeric_runs() {
        // short_word_share trims with the fast is_letter_or_digit: the
        // same answers as char::is_alphanumeric for every character.
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
        assert_eq!(short_word_share("«the» Cat, и мы (да)"), 0.8);
    }

    fn rows_of(text: &str) -> (Vec<String>, Features) {
        rows_with(text, |_| LineEvidence::default())
    }

    /// The rows of `text`, the `k`th non-blank line with the rules'
    /// evidence `evidence(k)`.
    fn rows_with(text: &str, evidence: impl Fn(usize) -> LineEvidence) -> (Vec<String>, Features) {
        let seg = crate::segment::Segments::new(text);
        let inputs: Vec<LineInput> = seg
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_blank())
            .enumerate()
            .map(|(k, (i, l))| LineInput {
                text: Cow::Borrowed(seg.content(text, i)),
                words: l.words,
                block: u32::try_from(l.block()).unwrap_or(u32::MAX),
                block_lines: u32::try_from(seg.blocks.get(l.block()).map_or(1, ExactSizeIterator::len))
                    .unwrap_or(u32::MAX),
                evidence: evidence(k),
            })
            .collect();
        let texts = inputs.iter().map(|l| l.text.to_string()).collect();
        let sequences = inputs.iter().map(|l| sequences_in(l.words)).sum();
        (texts, compute(inputs, sequences))
    }

    fn feature(rows: &Features, k: usize, name: &str) -> f32 {
        let at = NAMES
            .iter()
            .position(|n| *n == name)
            .expect("a feature name");
        rows.row(k)[at]
    }

    #[test]
    fn names_and_slots_agree() {
        assert_eq!(NAMES.len(), N_FEATURES);
        let mut unique = NAMES.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), N_FEATURES);
        // The 23 shape features, then the position.
        assert_eq!(column("rel_line"), 23);
        assert_eq!(column("title_overlap"), N_FEATURES - 1);
        assert_eq!(column("no such feature"), N_FEATURES);
        let mode_only: Vec<&str> = NAMES.into_iter().filter(|n| is_mode_only(n)).collect();
        assert_eq!(mode_only.len(), FAMILIES.len() + 3);
        assert!(mode_only.iter().all(|n| n.starts_with("doc_")));
        assert_eq!(mode_only.last(), Some(&"doc_mean_repeats"));
        assert!(!is_mode_only("doc_list_share") && !is_mode_only("rule_line_comments"));
        assert_eq!(family_of("comments.de.leave-a-reply"), 0);
        assert_eq!(family_of("mysite.footer"), FAMILIES.len() - 1);
    }

    #[test]
    fn shapes_positions_and_repeats() {
        let text = "Home\n\nNews\n\nThe storm hit the coast on Monday, officials said.\n\nHome\n\n- a list item";
        let (lines, rows) = rows_of(text);
        assert_eq!(lines.len(), 5);
        assert_eq!(rows.len(), 5);
        assert_eq!(feature(&rows, 2, "sentence_end"), 1.0);
        assert_eq!(feature(&rows, 0, "sentence_end"), 0.0);
        assert_eq!(feature(&rows, 4, "list_item"), 1.0);
        assert!(feature(&rows, 0, "repeat_count") > 0.0);
        assert_eq!(feature(&rows, 1, "repeat_count"), 0.0);
        assert_eq!(feature(&rows, 0, "rel_line"), 0.0);
        assert_eq!(feature(&rows, 2, "words"), 9.0);
        assert_eq!(feature(&rows, 2, "in_best_region"), 1.0);
        assert_eq!(feature(&rows, 0, "in_best_region"), 0.0);
        assert_eq!(feature(&rows, 0, "sent_prev"), -1.0);
        assert_eq!(feature(&rows, 1, "sent_next"), 1.0);
        // The doc features are the same on every row.
        assert_eq!(
            feature(&rows, 0, "doc_menu_share"),
            feature(&rows, 4, "doc_menu_share")
        );
        assert!((feature(&rows, 0, "doc_menu_share") - 0.6).abs() < 1e-6);
        assert_eq!(feature(&rows, 3, "doc_rule_cookies"), 0.0);
        assert!((feature(&rows, 3, "doc_mean_repeats") - 0.4 * feature(&rows, 0, "repeat_count")).abs() < 1e-6);
    }

    #[test]
    fn document_features_count_the_lines_each_rule_family_claims() {
        let text = "We use cookies.\n\nAccept\n\nHome | News\n\nThe storm hit the coast.\n\n© 2025 Example";
        let cookies = 1 << family_of("cookies.accept");
        let (_, rows) = rows_with(text, |k| LineEvidence {
            line_rule: if k < 2 { cookies } else { 0 },
            ..LineEvidence::default()
        });
        for k in 0..5 {
            assert!((feature(&rows, k, "doc_rule_cookies") - 0.4).abs() < 1e-6);
            assert_eq!(feature(&rows, k, "doc_rule_navigation"), 0.0);
            assert!((feature(&rows, k, "doc_copyright_share") - 0.2).abs() < 1e-6);
            assert!((feature(&rows, k, "doc_separator_share") - 0.2).abs() < 1e-6);
        }
        assert_eq!(feature(&rows, 0, "rule_line_cookies"), 1.0);
        assert_eq!(feature(&rows, 2, "rule_line_cookies"), 0.0);
    }

    #[test]
    fn counts_in_brackets_do_not_end_sentences() {
        assert!(!ends_like_sentence("Software (71)"));
        assert!(!ends_like_sentence("2019年11月 （3）"));
        assert!(!ends_like_sentence("Archives (1,204)"));
        assert!(!ends_like_sentence("Menu"));
        assert!(ends_like_sentence("The report was withdrawn (on Monday)"));
        assert!(ends_like_sentence("It rained all day."));
        assert!(ends_like_sentence("()"));
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- Bugs fixed"));
        assert!(is_list_item("• Swim proof"));
        assert!(is_list_item("12) Roger Waters – The Wall"));
        assert!(is_list_item("3. Preheat the oven"));
        assert!(is_list_item("| Pos | Player | Plays |"));
        assert!(!is_list_item("2019 was a good year"));
        assert!(!is_list_item("-5 degrees"));
    }

    #[test]
    fn repeated_text_and_paragraphs_are_seen() {
        let article = "one two three four five six seven eight nine ten";
        let text =
            format!("Title\n\n{article}\n\nsomething else entirely here\n\n{article}\n\nTitle");
        let (_, rows) = rows_of(&text);
        assert_eq!(feature(&rows, 1, "seen_share"), 0.0);
        assert_eq!(feature(&rows, 3, "seen_share"), 1.0);
        assert_eq!(feature(&rows, 3, "dup_block"), 1.0);
        assert_eq!(feature(&rows, 1, "dup_block"), 0.0);
        assert_eq!(feature(&rows, 4, "title_repeat"), 1.0);
    }

    #[test]
    fn maximal_regions_match_the_definition() {
        let scores = [4.0, -5.0, 3.0, -3.0, 1.0, 2.0, -2.0, 2.0, -2.0, 1.0, 5.0];
        let regions: Vec<(std::ops::Range<usize>, f64)> = maximal_regions(&scores)
            .into_iter()
            .map(|r| (r.range, r.score))
            .collect();
        assert_eq!(regions, vec![(0..1, 4.0), (2..3, 3.0), (4..11, 7.0)]);
        assert!(maximal_regions(&[-1.0, -2.0]).is_empty());
        assert!(maximal_regions(&[]).is_empty());
    }
}
