//! Candidates for the title, the author and the publication date, and
//! their features for the ranking models.
//!
//! A candidate is a value found in one line: the whole line, the line with
//! a site name or a label cut off, or a date parsed from it. Its features
//! are the line's feature row ([`crate::features`]) followed by
//! [`CANDIDATE_NAMES`]: what the value is to its line and to the page.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::segment::word_units;
use crate::text::{HashedSet, Identity, fold, folded_chars, word_hashes};

use super::{is_headline, is_headline_of, is_month_name, parse_date_with, site_cuts, split_site};
use crate::rules::Settings;

/// The fields chosen among candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaField {
    /// The title.
    Title,
    /// The author.
    Author,
    /// The publication date.
    Published,
}

impl MetaField {
    /// All of them.
    pub const ALL: [MetaField; 3] = [MetaField::Title, MetaField::Author, MetaField::Published];

    /// The name of the field's model in a model file.
    pub fn name(self) -> &'static str {
        match self {
            MetaField::Title => "title",
            MetaField::Author => "author",
            MetaField::Published => "published",
        }
    }
}

/// How a candidate was cut from its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Variant {
    /// The whole line.
    Line = 0,
    /// The line without a trailing site name ("Headline | Site").
    SiteCut = 1,
    /// The line without a leading label ("By", "Author:", "Posted by").
    LabelCut = 2,
    /// The same, up to the first comma.
    LabelCutShort = 3,
    /// A date parsed from the line.
    Date = 4,
    /// The name after a "by" inside the line ("Tips on packing by Rick
    /// Steves", "submitted 2 hours ago by user").
    ByCut = 5,
    /// The name before the date of a byline ("Jane Doe • March 3, 2025").
    BeforeDate = 6,
    /// The site name cut off the first line ("Post title | Jane Doe").
    SiteName = 7,
    /// A one-word line next to a date: a forum user's handle
    /// ("sorairolake" above "February 20, 2026, 4:55pm"), or a handle
    /// before a date on its line ("longshot · 03/03/2026 19:44").
    Handle = 8,
    /// A line that lists names ("Jane Doe, John Smith and Ann Lee").
    NameList = 9,
}

/// One candidate value.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The feature row (the line) it comes from.
    pub row: usize,
    /// How the value is cut from its line.
    pub variant: Variant,
    /// The value as the output gives it.
    pub value: String,
    /// For [`Variant::SiteCut`]: the site name cut off.
    pub site: Option<String>,
}

/// The names of the candidate features that follow the line's features.
pub const CANDIDATE_NAMES: [&str; N_CANDIDATE] = [
    "cand_variant",
    "cand_words",
    "cand_share",
    "cand_rank",
    "cand_row",
    "cand_first_prefix",
    "cand_in_first",
    "cand_capitalized",
    "cand_digits",
    "cand_repeats",
    "cand_label",
    // A name's features: author candidates only (0 for the others).
    "cand_date_near",
    "cand_lower_elsewhere",
    "cand_mentions",
    "cand_given_name",
    "cand_label_above",
    "cand_after_headline",
    "cand_odd_chars",
    "cand_all_caps",
    "cand_first_of_variant",
];

/// The number of candidate features.
pub const N_CANDIDATE: usize = 20;

/// The number of a name's features (the last of [`CANDIDATE_NAMES`]).
const N_NAME: usize = 9;

/// How far from the headline `cand_after_headline` tells, in rows either
/// way; a page without a headline gives [`NO_HEADLINE`].
const HEADLINE_REACH: f32 = 50.0;
/// `cand_after_headline` of a page without a headline.
const NO_HEADLINE: f32 = -100.0;
/// The shortest headline, in bytes of its folded text.
const MIN_HEADLINE: usize = 8;

/// Mentions of a value in its document counted at most.
const MAX_MENTIONS: usize = 50;

/// Rows either side of a candidate looked at for a date.
const DATE_NEAR_ROWS: usize = 2;

/// Rows (lines) looked at for title and author candidates: metadata sits
/// near the top.
pub const MAX_ROWS: usize = 250;
/// Rows looked at for date candidates: a line holds one only if it parses
/// as a date, so looking further costs little, and an article's date can
/// sit below a long menu.
pub const MAX_DATE_ROWS: usize = 500;

/// The rows looked at for `field`'s candidates.
pub fn max_rows(field: MetaField) -> usize {
    match field {
        MetaField::Published => MAX_DATE_ROWS,
        MetaField::Title | MetaField::Author => MAX_ROWS,
    }
}
/// The longest title candidate, in word units.
const MAX_TITLE_WORDS: u32 = 40;
/// The longest author candidate, in word units.
const MAX_AUTHOR_WORDS: u32 = 8;
/// The longest list of names an author candidate may be, in word units.
const MAX_NAME_LIST_WORDS: u32 = 20;
/// The most names a list of authors holds.
const MAX_LISTED_NAMES: usize = 6;

/// Labels before an author's name, lower-case, longest first.
const AUTHOR_LABELS: &[&str] = &[
    "thread starter",
    "written by",
    "posted by",
    "started by",
    "submitted by",
    "story by",
    "words by",
    "authored by",
    "author:",
    "authors:",
    "by:",
    "by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "autor:",
    "auteur :",
    "auteur:",
];

/// What follows a forum user's name to say they started the thread
/// ("JosephF Discussion starter").
const AUTHOR_SUFFIXES: &[&str] = &["discussion starter", "thread starter", "original poster"];

/// Words that introduce a date or an author on a byline line.
const META_WORDS: &[&str] = &[
    "by",
    "author",
    "published",
    "posted",
    "updated",
    "written",
    "date",
    "on",
    "modified",
];

/// The candidates of `field` among `lines` (the document's non-blank lines,
/// in order, with `words`, each line's [`word_units`]), for a document read
/// day first for numeric dates when `day_first` says so (asked only when a
/// numeric date needs it); titles read as headlines (see
/// [`super::is_headline`]).
pub fn candidates(
    field: MetaField,
    lines: &[&str],
    words: &[u32],
    day_first: &dyn Fn() -> bool,
    settings: &Settings,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let first = lines.first().copied().unwrap_or("");
    let mut dated = DatedRows::new(lines, day_first);
    for (row, (line, &words)) in lines.iter().zip(words).enumerate().take(max_rows(field)) {
        match field {
            MetaField::Title => {
                // A one-word heading the first line (a page's <title>)
                // starts with: "Flexbox" under "Flexbox - Learn web
                // development | MDN".
                let heads_first = row > 0
                    && words == 1
                    && line.chars().filter(|c| c.is_alphabetic()).count() >= 3
                    && first.len() > line.len()
                    && first.starts_with(line);
                title_candidates(row, line, words, heads_first, settings, &mut out);
            }
            MetaField::Author => {
                author_candidates(row, line, words, &mut dated, &mut out);
                if is_handle(line) && dated.near(row) {
                    push_name(row, Variant::Handle, line, &mut out);
                }
                // A site name after the first line's title is often the
                // person whose site it is.
                if row == 0
                    && let Some((_, site)) = split_site(line)
                    && !site.contains(|c: char| c.is_ascii_digit())
                {
                    push_name(row, Variant::SiteName, site, &mut out);
                }
            }
            MetaField::Published => {
                if let Some(date) = date_in(line, day_first) {
                    out.push(Candidate {
                        row,
                        variant: Variant::Date,
                        value: date,
                        site: None,
                    });
                }
            }
        }
    }
    out
}

/// The date `line` holds, as [`parse_date`] reads it.
fn date_in(line: &str, day_first: &dyn Fn() -> bool) -> Option<String> {
    // A date reads at least four ASCII digits: a day, a month and a year
    // of two ("3/4/25"), or a day and a year of four ("March 3, 2025").
    if line.bytes().filter(u8::is_ascii_digit).count() < 4 {
        return None;
    }
    parse_date_with(line, day_first)
}

/// Which lines hold a date, found when first asked.
struct DatedRows<'l> {
    lines: &'l [&'l str],
    day_first: &'l dyn Fn() -> bool,
    dated: Vec<Option<bool>>,
}

impl<'l> DatedRows<'l> {
    fn new(lines: &'l [&'l str], day_first: &'l dyn Fn() -> bool) -> Self {
        DatedRows {
            lines,
            day_first,
            dated: vec![None; lines.len()],
        }
    }

    /// Whether line `row` holds a date.
    fn dated(&mut self, row: usize) -> bool {
        let (lines, day_first) = (self.lines, self.day_first);
        match self.dated.get_mut(row) {
            Some(Some(dated)) => *dated,
            Some(slot) => *slot.insert(
                lines
                    .get(row)
                    .is_some_and(|line| date_in(line, day_first).is_some()),
            ),
            None => false,
        }
    }

    /// Whether one of the lines within [`DATE_NEAR_ROWS`] of `row` (itself
    /// excluded) holds a date.
    fn near(&mut self, row: usize) -> bool {
        let from = row.saturating_sub(DATE_NEAR_ROWS);
        (from..=row + DATE_NEAR_ROWS)
            .filter(|&r| r != row)
            .any(|r| self.dated(r))
    }
}

/// Whether `line` could be a user's handle: one word of 2 to 30 letters,
/// digits, `_`, `.` or `-`, with a letter.
fn is_handle(line: &str) -> bool {
    (2..=30).contains(&line.chars().count())
        && line.chars().any(char::is_alphabetic)
        && line
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A line's title candidates: the line, when it reads as a headline (or
/// `short_head`, a one-word heading the first line starts with), and its
/// part before a site name.
fn title_candidates(
    row: usize,
    line: &str,
    words: u32,
    short_head: bool,
    settings: &Settings,
    out: &mut Vec<Candidate>,
) {
    if words > MAX_TITLE_WORDS {
        return;
    }
    if short_head || is_headline_of(line, words, settings) {
        out.push(Candidate {
            row,
            variant: Variant::Line,
            value: line.to_string(),
            site: None,
        });
    }
    // Every cut before the site name: "Tee - Black | Shop" gives "Tee -
    // Black" and "Tee".
    for (at, site) in site_cuts(line) {
        if let Some(headline) = line.get(..at).filter(|h| is_headline(h, settings)) {
            out.push(Candidate {
                row,
                variant: Variant::SiteCut,
                value: headline.trim().to_string(),
                site: Some(site.trim().to_string()),
            });
        }
    }
}

fn author_candidates(
    row: usize,
    line: &str,
    words: u32,
    dated: &mut DatedRows,
    out: &mut Vec<Candidate>,
) {
    if words == 0 || words > 3 * MAX_AUTHOR_WORDS {
        return;
    }
    if let Some(name) = before_author_suffix(line) {
        push_name(row, Variant::LabelCut, name, out);
        return;
    }
    let mut buf = [0u8; LOWER_PREFIX];
    let lower = lower_prefix(line, &mut buf);
    let label = AUTHOR_LABELS.iter().find(|l| {
        lower.starts_with(*l)
            && lower
                .get(l.len()..)
                .is_some_and(|rest| rest.starts_with([' ', ':']) || l.ends_with(':'))
    });
    if let Some(label) = label {
        let rest = line
            .get(label.len()..)
            .unwrap_or("")
            .trim_start_matches([' ', ':']);
        let name = cut_byline(rest);
        push_name(row, Variant::LabelCut, name, out);
        if let Some((short, _)) = name.split_once(',') {
            push_name(row, Variant::LabelCutShort, short, out);
        }
        return;
    }
    // A byline inside the line: the name after its last " by ".
    if let Some(at) = line
        .as_bytes()
        .windows(4)
        .rposition(|w| w.eq_ignore_ascii_case(b" by "))
    {
        let rest = line.get(at + 4..).unwrap_or("");
        push_name(row, Variant::ByCut, cut_byline(rest), out);
    }
    // A line that is only a name: a few capitalised words, no digits.
    if (2..=5).contains(&words)
        && capitalised(line)
        && !line.chars().any(|c| c.is_ascii_digit())
        && !line.ends_with(['.', ':', '?', '!'])
    {
        push_name(row, Variant::Line, line, out);
    } else if words > 5 && is_name_list(line) {
        push_name(row, Variant::NameList, line, out);
    }
    // A name before a date: "Jane Doe • March 3, 2025", "Susan December 9,
    // 2024"; a handle before a date: "amondale (Amondale) November 8, 2024".
    if dated.dated(row) {
        let name = cut_at_separator(cut_at_month(line));
        if capitalised(name) {
            push_name(row, Variant::BeforeDate, name, out);
        } else if let Some(handle) = handle_before_date(name) {
            push_name(row, Variant::Handle, handle, out);
        }
    }
}

/// The bytes of the lower case of a line's start that tell its author
/// label: the longest of [`AUTHOR_LABELS`] and the character after it.
const LABEL_PREFIX: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < AUTHOR_LABELS.len() {
        if AUTHOR_LABELS[i].len() > longest {
            longest = AUTHOR_LABELS[i].len();
        }
        i += 1;
    }
    longest + 1
};

/// Room for [`LABEL_PREFIX`] bytes and one character more (a character's
/// lower case takes at most 12 bytes).
const LOWER_PREFIX: usize = LABEL_PREFIX + 12;

/// The lower case of `text`'s first characters (all of them, or at least
/// [`LABEL_PREFIX`] bytes), written into `buf`.
fn lower_prefix<'b>(text: &str, buf: &'b mut [u8; LOWER_PREFIX]) -> &'b str {
    let mut len = 0;
    'chars: for c in text.chars() {
        if len >= LABEL_PREFIX {
            break;
        }
        if c.is_ascii() {
            let Some(slot) = buf.get_mut(len) else {
                break;
            };
            *slot = c.to_ascii_lowercase() as u8;
            len += 1;
            continue;
        }
        for lower in c.to_lowercase() {
            let Some(slot) = buf.get_mut(len..len + lower.len_utf8()) else {
                break 'chars;
            };
            len += lower.encode_utf8(slot).len();
        }
    }
    std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default()
}

/// Whether every word of `text` starts with a capital letter or is short
/// ("de", "van").
fn capitalised(text: &str) -> bool {
    text.split_whitespace()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase) || w.len() <= 3)
}

/// The part of `text` before its first month name ("December", "Dec.").
fn cut_at_month(text: &str) -> &str {
    cut_before_word(text, 0, is_month_word)
}

/// Whether `word` is a month's name, with a trailing '.' or ','.
fn is_month_word(word: &str) -> bool {
    is_month_name(&word.trim_end_matches(['.', ',']).to_ascii_lowercase())
}

/// The part of `text` before its first word from the `skip`-th on (words
/// cut at spaces) that `stop` accepts; all of it if none does.
fn cut_before_word(text: &str, skip: usize, stop: impl Fn(&str) -> bool) -> &str {
    let mut at = 0;
    for (n, word) in text.split(' ').enumerate() {
        if n >= skip && stop(word) {
            return text.get(..at).unwrap_or(text);
        }
        at += word.len() + 1;
    }
    text
}

/// Words after a name on a byline that start what follows it ("By Jane
/// Doe Published: …", "… started by user in Forum").
const AFTER_NAME_WORDS: &[&str] = &[
    "published",
    "published:",
    "updated",
    "updated:",
    "last",
    "posted",
    "posted:",
    "on",
    "in",
    "view",
];

/// The part of a byline before its first separator (a date, a site).
fn cut_at_separator(text: &str) -> &str {
    let mut end = text.len();
    for sep in [" | ", " - ", " – ", " — ", " • ", " · ", "\t"] {
        if let Some(at) = text.find(sep) {
            end = end.min(at);
        }
    }
    // A number starts what follows the name; a digit inside a word is part
    // of a handle ("Pippin06").
    let word_start_digit = text
        .char_indices()
        .zip(std::iter::once(' ').chain(text.chars()))
        .find(|&((_, c), before)| c.is_ascii_digit() && before.is_whitespace());
    if let Some(((at, _), _)) = word_start_digit {
        end = end.min(at);
    }
    without_trailing_month(text.get(..end).unwrap_or(text))
}

/// The name before one of [`AUTHOR_SUFFIXES`] ending `line`, if it does.
fn before_author_suffix(line: &str) -> Option<&str> {
    let line = line.trim_end();
    AUTHOR_SUFFIXES.iter().find_map(|suffix| {
        let at = line.len().checked_sub(suffix.len())?;
        let name = line.get(..at)?;
        (line.get(at..)?.eq_ignore_ascii_case(suffix) && name.ends_with(' '))
            .then(|| name.trim())
            .filter(|name| !name.is_empty())
    })
}

/// Whether `line` lists two or more names and nothing else: parts cut at
/// commas, "and" and "&", each two to five capitalised words without
/// digits ("Rui Ma, Heba Ledwon, Manoel Cortes Mendez & Suparn Patra").
fn is_name_list(line: &str) -> bool {
    if line.ends_with(['.', ':', '?', '!']) || line.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let mut names = 0;
    for part in line.split([',', '&']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        let part = part.strip_prefix("and ").unwrap_or(part);
        if part.is_empty() && names > 0 {
            continue;
        }
        names += 1;
        if names > MAX_LISTED_NAMES
            || !(2..=5).contains(&word_units(part))
            || !capitalised(part)
        {
            return false;
        }
    }
    names >= 2
}

/// The handle a byline's part before its date is: one word, perhaps with
/// a display name in brackets after it ("amondale (Amondale)").
fn handle_before_date(name: &str) -> Option<&str> {
    let mut words = name.split_whitespace();
    let handle = words.next()?;
    let nothing_else = match (words.next(), words.next()) {
        (None, _) => true,
        (Some(display), None) => display.starts_with('(') && display.ends_with(')'),
        _ => false,
    };
    (nothing_else && is_handle(handle) && !is_label_word(handle)).then_some(handle)
}

/// Whether `word` (any case) is one of [`META_WORDS`] or
/// [`AFTER_NAME_WORDS`]: a label, not a name.
fn is_label_word(word: &str) -> bool {
    META_WORDS
        .iter()
        .chain(AFTER_NAME_WORDS)
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// The name a byline's label or "by" leads to: the part before its first
/// separator (see [`cut_at_separator`]) or a word such as "Published" or
/// "in" that starts what follows the name.
fn cut_byline(text: &str) -> &str {
    cut_before_word(cut_at_separator(text), 1, |word| {
        AFTER_NAME_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
    })
}

/// `text` without a month's name ending it: the rest of a date cut at its
/// day ("Jane Doe Mar" of "Jane Doe Mar 5, 2025").
fn without_trailing_month(text: &str) -> &str {
    let trimmed = text.trim_end();
    match trimmed.rsplit_once(' ') {
        Some((head, last)) if is_month_word(last) => head,
        _ => text,
    }
}

fn push_name(row: usize, variant: Variant, name: &str, out: &mut Vec<Candidate>) {
    let name = name
        .trim()
        .trim_end_matches([',', ';', ':', '.', '|', '-'])
        .trim();
    let words = word_units(name);
    let most = if words > MAX_AUTHOR_WORDS && is_name_list(name) {
        MAX_NAME_LIST_WORDS
    } else {
        MAX_AUTHOR_WORDS
    };
    if (1..=most).contains(&words) && name.chars().any(char::is_alphabetic) {
        out.push(Candidate {
            row,
            variant,
            value: name.to_string(),
            site: None,
        });
    }
}

/// The candidate features of each candidate of `field` (see
/// [`CANDIDATE_NAMES`]), found among `lines` of the document `text`.
pub fn candidate_features(
    field: MetaField,
    candidates: &[Candidate],
    lines: &[&str],
    text: &str,
) -> Vec<[f32; N_CANDIDATE]> {
    let first = lines.first().map(|l| fold(l)).unwrap_or_default();
    let mut names = (field == MetaField::Author).then(|| NameEvidence::new(lines, text, candidates));
    let folded: Vec<String> = candidates.iter().map(|c| fold(&c.value)).collect();
    let mut values: HashMap<&str, ValueFacts, BuildHasherDefault<Identity>> = HashMap::default();
    for f in &folded {
        values
            .entry(f)
            .or_insert_with(|| ValueFacts {
                count: 0,
                starts_first: !f.is_empty() && first.starts_with(f.as_str()),
                in_first: !f.is_empty() && first.contains(f.as_str()),
            })
            .count += 1;
    }
    // A line's candidates follow each other: its label is read once.
    let mut labelled: Option<(usize, bool)> = None;
    candidates
        .iter()
        .zip(&folded)
        .enumerate()
        .map(|(rank, (c, f))| {
            let line = lines.get(c.row).copied().unwrap_or("");
            let (words, capitalised) = c.value.split_whitespace().fold((0u32, 0u32), |(n, caps), w| {
                let cap = w.chars().next().is_some_and(char::is_uppercase);
                (n + 1, caps + u32::from(cap))
            });
            let label = match labelled {
                Some((row, label)) if row == c.row => label,
                _ => labelled.insert((c.row, has_label(line))).1,
            };
            let value = values.get(f.as_str()).copied().unwrap_or_default();
            let flag = |b: bool| f32::from(u8::from(b));
            let name = names.as_mut().map_or([0.0; N_NAME], |n| n.features(c));
            [
                f32::from(c.variant as u8),
                word_units(&c.value) as f32,
                c.value.len() as f32 / line.len().max(1) as f32,
                (1.0 + rank as f32).ln(),
                (1.0 + c.row as f32).ln(),
                flag(value.starts_first && c.row > 0),
                flag(value.in_first),
                capitalised as f32 / words.max(1) as f32,
                flag(c.value.bytes().any(|b| b.is_ascii_digit())),
                (value.count.max(1) as f32).ln(),
                flag(label),
                name[0],
                name[1],
                name[2],
                name[3],
                name[4],
                name[5],
                name[6],
                name[7],
                name[8],
            ]
        })
        .collect()
}

/// What a candidate's folded value is to the page's first line and to the
/// other candidates (read once per value: candidates repeat).
#[derive(Debug, Clone, Copy, Default)]
struct ValueFacts {
    /// How many candidates fold to the value.
    count: u32,
    /// The first line starts with it.
    starts_first: bool,
    /// The first line holds it.
    in_first: bool,
}

/// Whether one of the first four words of `line` is one of the
/// [`META_WORDS`] ("By", "Published", "Updated").
fn has_label(line: &str) -> bool {
    let mut words = LabelWords::default();
    for c in line.chars() {
        let found = if c.is_ascii() {
            words.push(c.to_ascii_lowercase())
        } else {
            c.to_lowercase().find_map(|lower| words.push(lower))
        };
        if let Some(found) = found {
            return found;
        }
    }
    words.ends_a_meta_word()
}

/// The words of a line in lower case, split where a character is not
/// alphanumeric (empty words count), read a character at a time up to the
/// fourth word: the state of [`has_label`].
#[derive(Default)]
struct LabelWords {
    /// The word read so far, as long as it could be a meta word.
    word: [u8; 12],
    len: usize,
    /// The word is too long or not ASCII: no meta word.
    unfit: bool,
    /// The words ended so far.
    words: usize,
}

impl LabelWords {
    /// Reads lower-case `c`: whether the line has a label, once that is
    /// known.
    fn push(&mut self, c: char) -> Option<bool> {
        if c.is_alphanumeric() {
            match self.word.get_mut(self.len) {
                Some(slot) if c.is_ascii() => *slot = c as u8,
                _ => self.unfit = true,
            }
            self.len += 1;
            return None;
        }
        if self.ends_a_meta_word() {
            return Some(true);
        }
        self.words += 1;
        if self.words == 4 {
            return Some(false);
        }
        (self.len, self.unfit) = (0, false);
        None
    }

    /// Whether the word read so far is one of the [`META_WORDS`].
    fn ends_a_meta_word(&self) -> bool {
        !self.unfit && self.word.get(..self.len).is_some_and(is_meta_word)
    }
}

/// Whether `word` (lower-case) is one of the [`META_WORDS`].
fn is_meta_word(word: &[u8]) -> bool {
    META_WORDS.iter().any(|w| w.as_bytes() == word)
}

/// What tells a person's name from a menu's words: a date near it, its
/// capitalised words not written in lower case in the page, its mentions
/// in the page, a given name, a label on the line above, its place after
/// the headline, its characters, the candidates before it.
struct NameEvidence<'l, 'c> {
    lines: &'l [&'l str],
    dated: DatedRows<'l>,
    /// The row of the headline (see [`headline_row`]).
    headline: Option<usize>,
    /// The [`Variant`]s of the candidates read so far, as bits.
    variants_seen: u32,
    lower_words: HashedSet,
    text: &'l str,
    /// The mentions of the values counted so far (a value recurs among a
    /// page's candidates: a byline's name and its part before a comma).
    mentioned: HashMap<&'c str, usize>,
}

impl<'l, 'c> NameEvidence<'l, 'c> {
    fn new(lines: &'l [&'l str], text: &'l str, candidates: &[Candidate]) -> Self {
        NameEvidence {
            lines,
            headline: headline_row(lines),
            variants_seen: 0,
            dated: DatedRows::new(lines, &|| false),
            lower_words: lower_case_words(lines, &capitalised_words(candidates)),
            text,
            mentioned: HashMap::new(),
        }
    }

    /// `cand_date_near`, `cand_lower_elsewhere`, `cand_mentions`,
    /// `cand_given_name`, `cand_label_above`, `cand_after_headline`,
    /// `cand_odd_chars`, `cand_all_caps` and `cand_first_of_variant`, of
    /// each candidate in turn.
    fn features(&mut self, c: &'c Candidate) -> [f32; N_NAME] {
        let variant_bit = 1u32 << (c.variant as u32);
        let first_of_variant = self.variants_seen & variant_bit == 0;
        self.variants_seen |= variant_bit;
        let flag = |b: bool| f32::from(u8::from(b));
        let text = self.text;
        let mentions = *self
            .mentioned
            .entry(&c.value)
            .or_insert_with(|| mentions(text, &c.value));
        [
            flag(self.dated.near(c.row)),
            lower_share(&c.value, &self.lower_words),
            (mentions as f32).ln_1p(),
            flag(starts_with_given_name(&c.value)),
            flag(
                c.row
                    .checked_sub(1)
                    .and_then(|above| self.lines.get(above))
                    .is_some_and(|line| is_bare_label(line)),
            ),
            self.headline.map_or(NO_HEADLINE, |h| {
                (c.row as f32 - h as f32).clamp(-HEADLINE_REACH, HEADLINE_REACH)
            }),
            flag(c.value.contains(NOT_IN_NAMES)),
            flag(in_capitals(&c.value)),
            flag(first_of_variant),
        ]
    }
}

/// Characters a menu's or a breadcrumb's text holds and a name does not
/// (`cand_odd_chars`).
const NOT_IN_NAMES: [char; 8] = [':', '›', '»', '|', '…', '@', '#', '/'];

/// Whether `value` is written in capitals ("COMPANY SIZE"): three letters
/// or more, none lower case.
fn in_capitals(value: &str) -> bool {
    let letters = value.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3 && !value.chars().any(char::is_lowercase)
}

/// The row of the page's headline: the first line after the first (the
/// page's title line, "Headline | Site") that the first line starts with
/// once folded, of at least [`MIN_HEADLINE`] bytes, among the first
/// [`MAX_ROWS`]. A line over twice as long as the first is not read.
fn headline_row(lines: &[&str]) -> Option<usize> {
    let first_line = lines.first()?;
    let first = fold(first_line);
    lines
        .iter()
        .enumerate()
        .take(MAX_ROWS)
        .skip(1)
        .find(|(_, line)| line.len() <= 2 * first_line.len() && heads(line, &first))
        .map(|(row, _)| row)
}

/// Whether `line` folded (see [`folded_chars`]) is a start of `first`
/// (folded) of at least [`MIN_HEADLINE`] bytes. The line is read only as
/// far as it agrees.
fn heads(line: &str, first: &str) -> bool {
    let mut rest = first;
    for c in folded_chars(line) {
        match rest.strip_prefix(c) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    first.len() - rest.len() >= MIN_HEADLINE
}

/// Common given names, lower case, sorted (see the file's header).
const GIVEN_NAMES: &str = include_str!("../../models/given-names.txt");

/// The names of [`GIVEN_NAMES`], read once.
fn given_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        GIVEN_NAMES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .collect()
    })
}

/// Whether one of the first two words of `value` is a common given name
/// ("Jane Doe", "Dr. Jane Doe").
fn starts_with_given_name(value: &str) -> bool {
    value
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
        .take(2)
        .any(is_given_name)
}

/// The longest of the [`GIVEN_NAMES`] can be, in bytes.
const LONGEST_GIVEN_NAME: usize = 16;

/// Whether `word` is one of the [`GIVEN_NAMES`], in any case.
fn is_given_name(word: &str) -> bool {
    let mut lower = [0u8; LONGEST_GIVEN_NAME];
    // The names are short and ASCII: a longer word, or one of other
    // letters, is none of them.
    let Some(lower) = lower.get_mut(..word.len()).filter(|_| word.is_ascii()) else {
        return false;
    };
    for (to, b) in lower.iter_mut().zip(word.bytes()) {
        *to = b.to_ascii_lowercase();
    }
    given_names()
        .binary_search_by(|name| name.as_bytes().cmp(lower))
        .is_ok()
}

/// Whether `line` is only an author label ("By", "Written by:"): the
/// name follows on the next line.
fn is_bare_label(line: &str) -> bool {
    // The labels are ASCII, none longer than the prefix that tells them.
    if line.len() > 2 * LABEL_PREFIX {
        return false;
    }
    let label = line.trim().trim_end_matches(':').trim_end();
    AUTHOR_LABELS
        .iter()
        .any(|known| known.trim_end_matches(':').trim_end().eq_ignore_ascii_case(label))
}

/// How often `value` occurs in `text` as written (a byline's name recurs
/// in the author's box, a headline in the page's title), up to
/// [`MAX_MENTIONS`].
fn mentions(text: &str, value: &str) -> usize {
    if value.is_empty() {
        return 0;
    }
    memchr::memmem::find_iter(text.as_bytes(), value.as_bytes())
        .take(MAX_MENTIONS)
        .count()
}

/// The hashes of the capitalised words of the candidates' values: the only
/// words [`lower_share`] asks about.
fn capitalised_words(candidates: &[Candidate]) -> HashedSet {
    candidates
        .iter()
        .flat_map(|c| capitalised_word_hashes(&c.value))
        .collect()
}

/// The hashes of the words of `text` that start with a capital letter.
fn capitalised_word_hashes(text: &str) -> impl Iterator<Item = u64> + '_ {
    let mut hashes = word_hashes(text);
    std::iter::from_fn(move || {
        while let Some(hash) = hashes.next() {
            if hashes.first_char().is_some_and(char::is_uppercase) {
                return Some(hash);
            }
        }
        None
    })
}

/// Which of `asked` (word hashes) `lines` write in lower case
/// ("newsletter", not "Jane").
fn lower_case_words(lines: &[&str], asked: &HashedSet) -> HashedSet {
    let mut set = HashedSet::default();
    if asked.is_empty() {
        return set;
    }
    for line in lines {
        let mut words = word_hashes(line);
        while let Some(hash) = words.next() {
            if asked.contains(&hash) && words.first_char().is_some_and(char::is_lowercase) {
                set.insert(hash);
            }
        }
    }
    set
}

/// The share of `value`'s capitalised words that the page also writes in
/// lower case: a menu's "Email Newsletter" has words of the text, a
/// person's name has none.
fn lower_share(value: &str, lower_words: &HashedSet) -> f32 {
    let (mut words, mut lower) = (0u32, 0u32);
    for hash in capitalised_word_hashes(value) {
        words += 1;
        lower += u32::from(lower_words.contains(&hash));
    }
    if words == 0 {
        0.0
    } else {
        lower as f32 / words as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidates of `field` among `lines`.
    fn found(field: MetaField, lines: &[&str]) -> Vec<Candidate> {
        let words: Vec<u32> = lines.iter().map(|l| word_units(l)).collect();
        candidates(field, lines, &words, &|| false, &Settings::default())
    }

    fn values(field: MetaField, lines: &[&str]) -> Vec<(usize, String)> {
        found(field, lines)
            .into_iter()
            .map(|c| (c.row, c.value))
            .collect()
    }

    /// Lines whose lower case is not what their characters' lower cases
    /// read one by one would give only through a final sigma (which no
    /// label or meta word holds).
    const LABEL_LINES: &[&str] = &[
        "",
        "By: Jane Doe",
        "Published on March 3 by Jane",
        "a b c by",
        "a b c d by",
        "a, by",
        "  by",
        "İstanbul by Jane",
        "ÀÉÎ—Updated 2024",
        "Thread Starter: someone",
        "THREAD STARTER someone",
        "Written byJane",
        "publishedpublishedpublished",
        "Posted ΣΑΣ by",
        "日本語 by 日本",
    ];

    #[test]
    fn labels_are_read_as_in_the_lower_cased_line() {
        for line in LABEL_LINES {
            let expected = line
                .to_lowercase()
                .split(|ch: char| !ch.is_alphanumeric())
                .take(4)
                .any(|w| META_WORDS.contains(&w));
            assert_eq!(has_label(line), expected, "{line:?}");
        }
    }

    #[test]
    fn the_lower_prefix_starts_the_lower_cased_line() {
        for line in LABEL_LINES.iter().filter(|l| !l.contains('Σ')) {
            let lower = line.to_lowercase();
            let mut buf = [0; LOWER_PREFIX];
            let prefix = lower_prefix(line, &mut buf);
            assert!(lower.starts_with(prefix), "{line:?}");
            assert!(prefix.len() > LABEL_PREFIX - 1 || prefix == lower, "{line:?}");
        }
    }

    #[test]
    fn title_candidates_cut_site_names() {
        let lines = [
            "Storm Hits the Coast | The Daily",
            "Home",
            "Storm Hits the Coast",
        ];
        let found = found(MetaField::Title, &lines);
        assert!(found.iter().any(|c| c.variant == Variant::SiteCut
            && c.value == "Storm Hits the Coast"
            && c.site.as_deref() == Some("The Daily")));
        // "Home" is one word: not a headline.
        assert_eq!(
            found.iter().filter(|c| c.variant == Variant::Line).count(),
            2
        );
        // A one-word heading the first line starts with is a candidate.
        let lines = ["Flexbox - Learn web development | MDN", "Menu", "Flexbox"];
        assert_eq!(
            values(MetaField::Title, &lines),
            [
                (0, lines[0].to_string()),
                (0, "Flexbox - Learn web development".to_string()),
                (2, "Flexbox".to_string())
            ]
        );
    }

    #[test]
    fn author_candidates_follow_labels_and_names() {
        let lines = [
            "By Dylan Bailey, MS, RD - June 4, 2025",
            "Jane Doe",
            "The storm hit the coast on Monday, officials said.",
        ];
        assert_eq!(
            values(MetaField::Author, &lines),
            [
                (0, "Dylan Bailey, MS, RD".to_string()),
                (0, "Dylan Bailey".to_string()),
                (1, "Jane Doe".to_string())
            ]
        );
        let lines = [
            "Porting a Parser to Swift | Kyle Howells",
            "Thread starter slow-poke",
            "Travel Insurance Tips by Rick Steves",
            "Charlotte Gannon • November 4, 2025",
            "Susan December 9, 2024 0 Comments",
            "Decide by 2025",
        ];
        assert_eq!(
            values(MetaField::Author, &lines),
            [
                (0, "Kyle Howells".to_string()),
                (1, "slow-poke".to_string()),
                (2, "Rick Steves".to_string()),
                (3, "Charlotte Gannon".to_string()),
                (4, "Susan".to_string()),
            ]
        );
    }

    #[test]
    fn bylines_are_cut_before_what_follows_the_name() {
        let lines = [
            "By Rebecca Norris Published: Jun 25, 2025",
            "By Kathryn Giuffrida Mar 5, 2025 | 6 comments",
            "Discussion in ' Hosting Advice ' started by pelex, May 26, 2025.",
            "By MixmasterFred in Workshop Woodworking",
        ];
        let names: Vec<String> = values(MetaField::Author, &lines)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(
            names,
            ["Rebecca Norris", "Kathryn Giuffrida", "pelex", "MixmasterFred"]
        );
    }

    #[test]
    fn handles_suffix_labels_and_name_lists_are_candidates() {
        let lines = [
            "Thread starter Pippin06",
            "JosephF Discussion starter",
            "amondale (Amondale) November 8, 2024, 7:33pm 1",
            "updated March 3, 2025",
            "Rui Ma, Heba Ledwon, Manoel Cortes Mendez & Suparn Patra",
            "Written by Dr Marna van der Merwe, Dr Dieter Veldsman, Erik van Vulpen",
            "Pride and Prejudice and Zombies, Sense and Sensibility",
            "By Kathryn Giuffrida Mar 5, 2025 | 6 comments",
        ];
        assert_eq!(
            values(MetaField::Author, &lines),
            [
                (0, "Pippin06".to_string()),
                (1, "JosephF".to_string()),
                (2, "amondale".to_string()),
                (4, "Rui Ma, Heba Ledwon, Manoel Cortes Mendez & Suparn Patra".to_string()),
                (
                    5,
                    "Dr Marna van der Merwe, Dr Dieter Veldsman, Erik van Vulpen".to_string()
                ),
                (5, "Dr Marna van der Merwe".to_string()),
                (7, "Kathryn Giuffrida".to_string()),
            ]
        );
        let list = found(MetaField::Author, &lines[4..5]);
        assert_eq!(list.first().map(|c| c.variant), Some(Variant::NameList));
    }

    #[test]
    fn a_one_word_line_next_to_a_date_is_a_handle() {
        let lines = [
            "sorairolake",
            "February 20, 2026, 4:55pm",
            "I cannot build the crate.",
            "It fails with an error.",
            "Reply",
        ];
        let found = found(MetaField::Author, &lines);
        let handles: Vec<(usize, &str)> = found
            .iter()
            .filter(|c| c.variant == Variant::Handle)
            .map(|c| (c.row, c.value.as_str()))
            .collect();
        // "Reply" is three rows from the date: too far.
        assert_eq!(handles, [(0, "sorairolake")]);
    }

    #[test]
    fn names_are_told_from_phrases_of_the_text() {
        let lines = [
            "Storm Hits the Coast | The Daily",
            "Email Newsletter",
            "Jane Doe",
            "Sign up for our email newsletter to hear first.",
        ];
        let text = format!("{}\nJane Doe writes about storms.", lines.join("\n"));
        let found = found(MetaField::Author, &lines);
        let features = candidate_features(MetaField::Author, &found, &lines, &text);
        let feature = |value: &str, f: usize| {
            let k = found.iter().position(|c| c.value == value).expect(value);
            features[k][f]
        };
        assert_eq!(feature("Email Newsletter", 12), 1.0);
        assert_eq!(feature("Jane Doe", 12), 0.0);
        assert_eq!(feature("Jane Doe", 13), 2f32.ln_1p(), "two mentions");
        assert_eq!(feature("Email Newsletter", 13), 1f32.ln_1p());
        assert_eq!(feature("Jane Doe", 11), 0.0, "no date near");
    }

    #[test]
    fn date_candidates_are_parsed() {
        let lines = ["Posted on November 19, 2019", "no date", "2021-10-05T10:00"];
        assert_eq!(
            values(MetaField::Published, &lines),
            [(0, "2019-11-19".to_string()), (2, "2021-10-05".to_string())]
        );
    }

    /// The author candidates of `lines`, each with its candidate features.
    fn author_rows(lines: &[&str]) -> Vec<(String, [f32; N_CANDIDATE])> {
        let found = found(MetaField::Author, lines);
        let features = candidate_features(MetaField::Author, &found, lines, &lines.join("\n"));
        found.into_iter().map(|c| c.value).zip(features).collect()
    }

    /// Feature `name` of the candidate `value` among `rows`.
    fn feature(rows: &[(String, [f32; N_CANDIDATE])], value: &str, name: &str) -> f32 {
        let column = CANDIDATE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no feature {name}"));
        rows.iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| panic!("{value} is not a candidate: {rows:?}"), |(_, f)| f[column])
    }

    #[test]
    fn author_features_tell_a_name_from_the_page_s_words() {
        let rows = author_rows(&[
            "Get the Email Newsletter",
            "By Jane Doe",
            "Sign up for our newsletter and email alerts.",
            "Jane Doe writes about the city. Doe said so.",
        ]);
        let of = |value, name| feature(&rows, value, name);
        // The page writes "newsletter" and "email" in lower case, never
        // "jane" or "doe".
        assert_eq!(of("Jane Doe", "cand_lower_elsewhere"), 0.0);
        assert_eq!(of("Get the Email Newsletter", "cand_lower_elsewhere"), 2.0 / 3.0);
        // "Jane Doe" is written twice in the page.
        assert_eq!(of("Jane Doe", "cand_mentions"), 2f32.ln_1p());
        // "Jane" is a given name, "Get" and "the" not.
        assert_eq!(of("Jane Doe", "cand_given_name"), 1.0);
        assert_eq!(of("Get the Email Newsletter", "cand_given_name"), 0.0);
    }

    #[test]
    fn a_name_under_a_bare_label_is_told() {
        let rows = author_rows(&["Ten Ways to Pack", "Written by:", "Kelia Reinoso", "Key Takeaways"]);
        assert_eq!(feature(&rows, "Kelia Reinoso", "cand_label_above"), 1.0);
        assert_eq!(feature(&rows, "Key Takeaways", "cand_label_above"), 0.0);
    }

    #[test]
    fn a_name_s_place_and_characters_are_told() {
        let rows = author_rows(&[
            "Ten Ways to Pack | Travel Site",
            "Home › Travel",
            "Ten Ways to Pack",
            "By Kelia Reinoso",
            "COMPANY SIZE",
            "By Jane Doe",
        ]);
        let of = |value, name| feature(&rows, value, name);
        // The headline is row 2, the line the title line starts with.
        assert_eq!(of("Kelia Reinoso", "cand_after_headline"), 1.0);
        assert_eq!(of("COMPANY SIZE", "cand_after_headline"), 2.0);
        assert_eq!(of("Home › Travel", "cand_odd_chars"), 1.0);
        assert_eq!(of("Kelia Reinoso", "cand_odd_chars"), 0.0);
        assert_eq!(of("COMPANY SIZE", "cand_all_caps"), 1.0);
        assert_eq!(of("Home › Travel", "cand_all_caps"), 0.0);
        // The first name after "By" is the first of its cut, the second not.
        assert_eq!(of("Kelia Reinoso", "cand_first_of_variant"), 1.0);
        assert_eq!(of("Jane Doe", "cand_first_of_variant"), 0.0);
        // Without a headline, the place is far from any.
        assert_eq!(headline_row(&["Only a title", "Jane Doe"]), None);
        // A headline is read as folded, and is long enough.
        let first = fold("The Big Storm: What Now? | Site");
        assert!(heads("THE BIG  STORM — what now", &first));
        assert!(!heads("The Big", &first), "shorter than a headline");
        assert!(!heads("The Big Storms", &first));
    }

    #[test]
    fn the_given_names_are_sorted_lower_case_words() {
        let names = given_names();
        assert!(names.len() > 5000, "{} names", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert!(names.iter().all(|n| {
            (1..=LONGEST_GIVEN_NAME).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_lowercase())
        }));
        assert!(is_given_name("JANE") && !is_given_name("Janeeeeeeeeeeeeeeeeeeeee"));
        assert!(starts_with_given_name("Dr. Andrew Huberman"));
        assert!(!starts_with_given_name("Privacy Policy"));
    }

    #[test]
    fn candidate_features_describe_the_value() {
        let lines = ["Storm Hits the Coast | The Daily", "Storm Hits the Coast"];
        let found = found(MetaField::Title, &lines);
        let features = candidate_features(MetaField::Title, &found, &lines, &lines.join("\n"));
        assert_eq!(features.len(), found.len());
        let h1 = found
            .iter()
            .position(|c| c.row == 1)
            .expect("the headline line is a candidate");
        assert_eq!(features[h1][5], 1.0, "the first line starts with it");
        assert!(
            features[h1][9] > 0.0,
            "its value recurs (the site-cut first line)"
        );
        assert_eq!(
            features[h1][11..],
            [0.0; N_NAME],
            "a name's features are the author's only"
        );
    }
}
