//! Decide and assemble: apply each rule's action to the lines its triggers
//! hit, run the structural passes, and build the clean article with its
//! metadata and the record of every removal.
//!
//! A [`Cleaner`] is built once from a [`RuleSet`] (compiling the matcher) and
//! is `Send + Sync`: share it across threads and call [`Cleaner::clean`] on
//! as many documents as you like.
//!
//! Within one document each action claims a range of lines. Section claims
//! (`drop-rest`, `drop-span`) are applied first, in order of their start, and
//! a section that starts later owns the lines it covers (a comment section
//! found after a references section ends the references there). Line claims
//! (`drop-line`, `drop-block`, `extract`, and the structural passes) then take
//! only lines no section owns, so a comment section is reported as one
//! removal rather than split by the smaller rules that also fire inside it.
//! Each run of lines with one owner is one entry of [`Cleaned::removed`].

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::dedup;
use crate::heuristics;
use crate::language;
use crate::matcher::{BuildError, Hit, Matcher, Placement, Role};
use crate::metadata::{self, Metadata};
use crate::rules::{
    Action, Field, PASS_DUPLICATE_PARAGRAPH, PASS_DUPLICATE_TITLE, PASS_SHAPE, PASS_TITLE, Rule,
    RuleError, RuleSet, Settings,
};
use crate::segment::{Segments, word_units};

/// A reusable, thread-safe article cleaner.
#[derive(Debug)]
pub struct Cleaner {
    rules: Vec<Rule>,
    matcher: Matcher,
    settings: Settings,
    disabled_passes: Vec<&'static str>,
}

/// Why a [`Cleaner`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CleanerError {
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// A note on a cleaned record that a pipeline may want to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Rules would have removed more than the allowed share of the words; the
    /// document was kept whole.
    OverRemoval,
    /// The input was not valid UTF-8 and was decoded with replacement characters.
    InvalidUtf8,
    /// Nothing is left of the body.
    Empty,
    /// Body detection and rules would have left almost nothing; the
    /// best-scoring region of the page was kept instead.
    BodyFallback,
}

/// One removal: which rule, which lines, which bytes, what text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    /// The rule (or structural pass) id.
    pub rule: String,
    pub action: Action,
    /// First and last line, 1-based, inclusive.
    pub lines: [usize; 2],
    /// Byte range in the original text, end exclusive.
    pub bytes: [usize; 2],
    /// The removed text.
    pub text: String,
}

/// Sizes before and after cleaning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub lines_in: usize,
    pub lines_out: usize,
    pub chars_in: usize,
    pub chars_out: usize,
}

/// The clean article and everything learned about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cleaned {
    pub title: Option<String>,
    /// The body, without the title.
    pub text: String,
    pub author: Option<String>,
    pub author_role: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub image_credits: Vec<String>,
    pub references: Vec<String>,
    pub language: Option<&'static str>,
    pub removed: Vec<Removal>,
    pub stats: Stats,
    pub flags: Vec<Flag>,
    /// Index (0-based) of the line that became the title.
    #[serde(skip)]
    pub title_line: Option<usize>,
    /// True when the title shares its paragraph with the body's first line;
    /// text output then keeps them in one paragraph, so cleaning the output
    /// again sees the same paragraphs.
    #[serde(skip)]
    pub title_joined: bool,
}

impl Cleaned {
    /// The article as a reader sees it: the title (if any and wanted), a blank
    /// line (a line break if the title shares the first paragraph), the body.
    pub fn to_text(&self, with_title: bool) -> String {
        match (&self.title, with_title) {
            (Some(title), true) if self.text.is_empty() => title.clone(),
            (Some(title), true) => {
                let gap = if self.title_joined { "\n" } else { "\n\n" };
                format!("{title}{gap}{}", self.text)
            }
            _ => self.text.clone(),
        }
    }
}

/// A claim of an action on a range of lines.
#[derive(Debug, Clone)]
pub(crate) struct Claim<'c> {
    pub id: &'c str,
    pub action: Action,
}

/// A cut inside a kept line.
#[derive(Debug, Clone)]
struct Cut<'c> {
    id: &'c str,
    line: usize,
    span: Range<usize>,
}

/// A captured metadata value, kept only if its claim survives.
#[derive(Debug, Clone)]
struct Capture {
    field: Field,
    value: Range<usize>,
    line: usize,
    /// Index of the claim that removes the captured line, if any.
    claim: Option<usize>,
}

/// The working state of one document.
pub(crate) struct Doc<'t, 'c> {
    pub text: &'t str,
    pub seg: Segments,
    pub claims: Vec<Claim<'c>>,
    /// For each line, the claim that removes it.
    pub owner: Vec<Option<usize>>,
    cuts: Vec<Cut<'c>>,
}

impl<'t, 'c> Doc<'t, 'c> {
    fn new(text: &'t str) -> Self {
        let seg = Segments::new(text);
        let owner = vec![None; seg.lines.len()];
        Doc {
            text,
            seg,
            claims: Vec::new(),
            owner,
            cuts: Vec::new(),
        }
    }

    /// True when line `i` is kept and not blank.
    pub fn is_kept_content(&self, i: usize) -> bool {
        self.owner.get(i).is_some_and(Option::is_none)
            && self.seg.lines.get(i).is_some_and(|l| !l.is_blank())
            && !self.kept_text(i).is_empty()
    }

    /// The text line `i` shows in the output: its trimmed content with any
    /// cuts taken out.
    pub fn kept_text(&self, i: usize) -> Cow<'t, str> {
        let Some(line) = self.seg.lines.get(i) else {
            return Cow::Borrowed("");
        };
        let content = self.text.get(line.content.clone()).unwrap_or("");
        let mut cuts: Vec<&Range<usize>> = self
            .cuts
            .iter()
            .filter(|c| c.line == i)
            .map(|c| &c.span)
            .collect();
        if cuts.is_empty() {
            return Cow::Borrowed(content);
        }
        cuts.sort_by_key(|s| s.start);
        let mut out = String::with_capacity(content.len());
        let mut pos = line.content.start;
        for span in cuts {
            if span.start > pos {
                push_piece(&mut out, self.text.get(pos..span.start).unwrap_or(""));
            }
            pos = pos.max(span.end);
        }
        if pos < line.content.end {
            push_piece(&mut out, self.text.get(pos..line.content.end).unwrap_or(""));
        }
        Cow::Owned(out)
    }

    /// Records a section claim: it owns every line it covers, taking lines
    /// from earlier claims.
    fn claim_section(&mut self, id: &'c str, action: Action, lines: Range<usize>) -> usize {
        let index = self.claims.len();
        for owner in self.owner.get_mut(lines).into_iter().flatten() {
            *owner = Some(index);
        }
        self.claims.push(Claim { id, action });
        index
    }

    /// Records a line claim: it owns the lines it covers that nothing owns yet.
    pub fn claim(&mut self, id: &'c str, action: Action, lines: Range<usize>) -> usize {
        let index = self.claims.len();
        for owner in self.owner.get_mut(lines).into_iter().flatten() {
            if owner.is_none() {
                *owner = Some(index);
            }
        }
        self.claims.push(Claim { id, action });
        index
    }

    /// True when a hit lies in text a trim cuts out.
    fn is_cut(&self, hit: &Hit) -> bool {
        self.cuts.iter().any(|c| {
            c.line == hit.line && c.span.start < hit.span.end && hit.span.start < c.span.end
        })
    }

    /// Word units of line `i` as it will be output (after cuts).
    pub fn words(&self, i: usize) -> u32 {
        let words = self.seg.lines.get(i).map_or(0, |l| l.words);
        if self.cuts.iter().any(|c| c.line == i) {
            word_units(&self.kept_text(i))
        } else {
            words
        }
    }

    /// Words left in the kept lines.
    pub fn kept_words(&self) -> u64 {
        self.kept_lines().map(|i| u64::from(self.words(i))).sum()
    }

    /// Gives the lines of `range` back to the output, whoever removed them.
    pub fn release(&mut self, range: Range<usize>) {
        for owner in self.owner.get_mut(range).into_iter().flatten() {
            *owner = None;
        }
    }

    /// Adds a cut inside line `line` (see [`Doc::kept_text`]).
    pub fn cut(&mut self, id: &'c str, line: usize, span: Range<usize>) {
        self.cuts.push(Cut { id, line, span });
    }

    /// True when line `i` is removed by a claim of rule `id`.
    fn owned_by(&self, i: usize, id: &str) -> bool {
        self.owner
            .get(i)
            .copied()
            .flatten()
            .and_then(|c| self.claims.get(c))
            .is_some_and(|c| c.id == id)
    }

    /// Indices of kept, non-blank lines, in order.
    pub fn kept_lines(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.seg.lines.len()).filter(|&i| self.is_kept_content(i))
    }
}

/// Appends a piece of a cut line, joining pieces with one space.
fn push_piece(out: &mut String, piece: &str) {
    let piece = if out.is_empty() {
        piece.trim_start()
    } else {
        piece
    };
    let piece = piece.trim_end();
    if piece.is_empty() {
        return;
    }
    if !out.is_empty() {
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push(' ');
        out.push_str(piece.trim_start());
    } else {
        out.push_str(piece);
    }
}

impl Cleaner {
    /// Builds a cleaner from a validated rule set.
    pub fn new(set: RuleSet) -> Result<Cleaner, CleanerError> {
        let matcher = Matcher::new(&set.rules)?;
        Ok(Cleaner {
            rules: set.rules,
            matcher,
            settings: set.settings,
            disabled_passes: set.disabled_passes,
        })
    }

    /// A cleaner with the built-in rules.
    pub fn builtin() -> Result<Cleaner, CleanerError> {
        Cleaner::new(RuleSet::builtin()?)
    }

    /// The rules this cleaner applies.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    fn pass_enabled(&self, id: &str) -> bool {
        !self.disabled_passes.contains(&id)
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        let mut doc = Doc::new(text);
        let hits = self.matcher.scan(text, &doc.seg);
        let mut starts: Vec<&Hit> = hits.iter().filter(|h| h.role == Role::Start).collect();
        // Trims first, so the other rules see lines as they will be output;
        // then line rules; sections last; each group in document order.
        starts.sort_by_key(|h| (self.apply_order(h), h.line, h.span.start));
        let (sections, line_rules): (Vec<&Hit>, Vec<&Hit>) =
            starts.iter().partition(|h| self.is_section(h));
        let context = RuleContext::new(&doc.seg, &starts);
        let mut captures = Vec::new();
        self.apply_hits(&mut doc, &line_rules, &hits, &context, &mut captures);
        let body = if self.pass_enabled(PASS_SHAPE) {
            let barriers: Vec<bool> = (0..doc.seg.lines.len())
                .map(|i| sections.iter().any(|h| h.line == i))
                .collect();
            heuristics::detect_body(&doc, &self.settings.shape, &barriers)
        } else {
            None
        };
        // In a page, a section heading before the article is a menu item,
        // not the start of the comments.
        let sections: Vec<&Hit> = sections
            .into_iter()
            .filter(|h| body.as_ref().is_none_or(|b| h.line >= b.lines.start))
            .collect();
        self.apply_hits(&mut doc, &sections, &hits, &context, &mut captures);
        let mut flags = Vec::new();
        let whole = self.over_removal(&doc);
        if whole {
            // Kept whole: no rule and no structural pass removes anything.
            doc.claims.clear();
            doc.owner.iter_mut().for_each(|o| *o = None);
            doc.cuts.clear();
            captures.clear();
            flags.push(Flag::OverRemoval);
        }
        let mut page_title = None;
        if let (Some(body), false) = (&body, whole) {
            heuristics::claim_outside(&mut doc, body, &self.settings.shape);
            if doc.kept_words() < u64::from(self.settings.shape.min_kept_words) {
                doc.release(body.best.clone());
                flags.push(Flag::BodyFallback);
            }
            if self.pass_enabled(PASS_TITLE) {
                page_title = metadata::page_title(&mut doc, body, PASS_TITLE, &self.settings);
            }
        }
        let mut meta = self.collect_metadata(&doc, &captures);
        if let Some(site) = page_title {
            meta.add(Field::Source, &site);
        }
        let mut title_repeated = false;
        if !whole && self.pass_enabled(PASS_DUPLICATE_TITLE) {
            title_repeated = dedup::duplicate_title(&mut doc, PASS_DUPLICATE_TITLE);
        }
        if !whole && self.pass_enabled(PASS_DUPLICATE_PARAGRAPH) {
            dedup::duplicate_paragraphs(
                &mut doc,
                PASS_DUPLICATE_PARAGRAPH,
                self.settings.duplicate_min_words,
            );
        }
        let title_line = if self.pass_enabled(PASS_TITLE) {
            metadata::find_title(&doc, title_repeated, &self.settings)
        } else {
            None
        };
        self.assemble(&doc, meta, title_line, flags)
    }

    /// Applies each hit's action, collecting captured values.
    fn apply_hits<'c>(
        &'c self,
        doc: &mut Doc<'_, 'c>,
        starts: &[&Hit],
        hits: &[Hit],
        context: &RuleContext,
        captures: &mut Vec<Capture>,
    ) {
        let trigger_lines = &context.trigger_lines;
        let words_before = &context.words_before;
        for &hit in starts {
            let Some(rule) = self.rules.get(hit.rule) else {
                continue;
            };
            let Some(line) = doc.seg.lines.get(hit.line) else {
                continue;
            };
            if rule.action != Action::Trim && doc.is_cut(hit) {
                continue;
            }
            if rule.max_words.is_some_and(|max| doc.words(hit.line) > max) {
                continue;
            }
            let id = rule.id.as_str();
            let n = doc.seg.lines.len();
            if self.is_section(hit) && doc.owned_by(hit.line, id) {
                // Already inside a section this rule claimed.
                continue;
            }
            match rule.action {
                Action::DropLine => {
                    doc.claim(id, rule.action, hit.line..hit.line + 1);
                }
                Action::DropBlock => {
                    let block = doc
                        .seg
                        .blocks
                        .get(line.block)
                        .cloned()
                        .filter(|b| b.contains(&hit.line))
                        .unwrap_or(hit.line..hit.line + 1);
                    doc.claim(id, rule.action, block);
                }
                Action::DropRest => {
                    let min = rule
                        .min_words_before
                        .unwrap_or(self.settings.drop_rest_min_words_before);
                    let before = words_before.get(hit.line).copied().unwrap_or(0);
                    if before < u64::from(min) {
                        continue;
                    }
                    let claim = doc.claim_section(id, rule.action, hit.line..n);
                    if let Some(field) = rule.field {
                        captures.extend((hit.line + 1..n).map(|i| Capture {
                            field,
                            value: doc.seg.lines[i].content.clone(),
                            line: i,
                            claim: Some(claim),
                        }));
                    }
                }
                Action::DropList => {
                    let max = rule.max_lines.unwrap_or(self.settings.drop_span_max_lines) as usize;
                    let end = (hit.line + 1..n.min(hit.line + max))
                        .find(|&i| !self.is_list_line(doc, i))
                        .unwrap_or(n.min(hit.line + max));
                    doc.claim_section(id, rule.action, hit.line..end);
                }
                Action::DropSpan => {
                    if let Some(end) = self.span_end(hit, hits, rule) {
                        doc.claim_section(id, rule.action, hit.line..end + 1);
                    }
                }
                Action::Trim => {
                    // A literal credit label is cut with the value after it,
                    // to the end of the line; a regex cuts exactly its match.
                    let end = match (hit.placement, &hit.value) {
                        (Placement::Literal(_), Some(value)) => value.end,
                        _ => hit.span.end,
                    };
                    doc.cuts.push(Cut {
                        id,
                        line: hit.line,
                        span: hit.span.start..end,
                    });
                    if let (Some(field), Some(value)) = (rule.field, hit.value.clone()) {
                        captures.push(Capture {
                            field,
                            value,
                            line: hit.line,
                            claim: None,
                        });
                    }
                }
                Action::Extract => {
                    let (Some(field), Some(value)) = (rule.field, hit.value.clone()) else {
                        continue;
                    };
                    if value.is_empty() {
                        continue;
                    }
                    let mut lines = hit.line..hit.line + 1;
                    let next = hit.line + 1;
                    let continuation = rule.continuation.filter(|_| {
                        trigger_lines.get(next) == Some(&false)
                            && self.is_continuation(doc, next, line.block)
                    });
                    if continuation.is_some() {
                        lines.end += 1;
                    }
                    let claim = (!rule.keep_line).then(|| doc.claim(id, rule.action, lines));
                    captures.push(Capture {
                        field,
                        value,
                        line: hit.line,
                        claim,
                    });
                    if let Some(role) = continuation {
                        captures.push(Capture {
                            field: role,
                            value: doc.seg.lines[hit.line + 1].content.clone(),
                            line: hit.line + 1,
                            claim,
                        });
                    }
                }
            }
        }
    }

    /// The group a hit is applied in: trims, line rules, sections.
    fn apply_order(&self, hit: &Hit) -> u8 {
        match self.rules.get(hit.rule).map(|r| r.action) {
            Some(Action::Trim) => 0,
            Some(Action::DropRest | Action::DropSpan | Action::DropList) => 2,
            _ => 1,
        }
    }

    /// True when a hit's rule claims a section (`drop-rest`, `drop-span`).
    fn is_section(&self, hit: &Hit) -> bool {
        matches!(
            self.rules.get(hit.rule).map(|r| r.action),
            Some(Action::DropRest | Action::DropSpan | Action::DropList)
        )
    }

    /// The line of the first end hit of `rule` that closes the span started
    /// by `start` within the rule's line limit.
    fn span_end(&self, start: &Hit, hits: &[Hit], rule: &Rule) -> Option<usize> {
        let max_lines = rule.max_lines.unwrap_or(self.settings.drop_span_max_lines) as usize;
        hits.iter()
            .filter(|h| h.role == Role::End && h.rule == start.rule)
            .filter(|h| {
                h.line > start.line || (h.line == start.line && h.span.start >= start.span.end)
            })
            .map(|h| h.line)
            .filter(|&end| end - start.line < max_lines)
            .min()
    }

    /// True when line `i` can belong to a list after a list heading: blank,
    /// or a short line that does not end with a period.
    fn is_list_line(&self, doc: &Doc, i: usize) -> bool {
        let Some(line) = doc.seg.lines.get(i) else {
            return false;
        };
        line.is_blank()
            || (doc.words(i) <= self.settings.list_item_max_words
                && !doc.seg.content(doc.text, i).ends_with('.'))
    }

    /// True when line `i` reads as a continuation of a byline in `block`: a
    /// short capitalised line of the same block, without terminal punctuation
    /// or a label colon.
    fn is_continuation(&self, doc: &Doc, i: usize, block: usize) -> bool {
        let Some(line) = doc.seg.lines.get(i) else {
            return false;
        };
        let content = doc.seg.content(doc.text, i);
        !line.is_blank()
            && line.block == block
            && line.words <= self.settings.continuation_max_words
            && !content.ends_with(['.', '!', '?', ';', ','])
            && !content.contains(':')
            && content.chars().next().is_some_and(char::is_uppercase)
    }

    /// True when the rules' removals exceed the allowed share of words.
    fn over_removal(&self, doc: &Doc) -> bool {
        let total = doc.seg.total_words();
        if total == 0 || doc.claims.is_empty() {
            return false;
        }
        let removed: u64 = doc
            .seg
            .lines
            .iter()
            .zip(&doc.owner)
            .filter(|(_, o)| o.is_some())
            .map(|(l, _)| u64::from(l.words))
            .sum();
        removed as f64 > self.settings.max_removed_share * total as f64
    }

    /// Keeps the captures whose line is still removed by their own claim,
    /// or still kept (trims, `keep_line` extracts), or removed as metadata by
    /// another extract (a byline that also carries the date).
    fn collect_metadata(&self, doc: &Doc, captures: &[Capture]) -> Metadata {
        let mut meta = Metadata::default();
        for capture in captures {
            let owner = doc.owner.get(capture.line).copied().flatten();
            let by_extract = owner
                .and_then(|o| doc.claims.get(o))
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
    fn assemble(
        &self,
        doc: &Doc,
        meta: Metadata,
        title_line: Option<usize>,
        mut flags: Vec<Flag>,
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
            if prev_block.is_none()
                && let Some(t) = title_line.and_then(|t| doc.seg.lines.get(t))
            {
                title_joined = t.block == doc.seg.lines[i].block;
            }
            let block = doc.seg.lines[i].block;
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
        if body.is_empty() {
            flags.push(Flag::Empty);
        }
        let stats = Stats {
            lines_in: doc.seg.lines.len(),
            lines_out: lines_out + usize::from(title.is_some()),
            chars_in: text.chars().count(),
            chars_out: body.chars().count() + title.as_deref().map_or(0, |t| t.chars().count()),
        };
        Cleaned {
            language: language::detect(&body),
            title,
            text: body,
            author: meta.author,
            author_role: meta.author_role,
            source: meta.source,
            published: meta.published,
            image_credits: meta.image_credits,
            references: meta.references,
            removed: removals(doc),
            stats,
            flags,
            title_line,
            title_joined,
        }
    }
}

/// Facts about a document the rules' guards need.
struct RuleContext {
    /// Lines hit by any start trigger (a byline continuation must not be one).
    trigger_lines: Vec<bool>,
    /// Words of the document before each line.
    words_before: Vec<u64>,
}

impl RuleContext {
    fn new(seg: &Segments, starts: &[&Hit]) -> Self {
        let mut trigger_lines = vec![false; seg.lines.len()];
        for hit in starts {
            if let Some(t) = trigger_lines.get_mut(hit.line) {
                *t = true;
            }
        }
        RuleContext {
            trigger_lines,
            words_before: prefix_words(seg),
        }
    }
}

/// Words of the document before each line.
fn prefix_words(seg: &Segments) -> Vec<u64> {
    let mut total = 0u64;
    seg.lines
        .iter()
        .map(|l| {
            let before = total;
            total += u64::from(l.words);
            before
        })
        .collect()
}

/// Groups removed lines into runs removed by one rule with one action, plus
/// one entry per cut.
fn removals(doc: &Doc) -> Vec<Removal> {
    let mut out = Vec::new();
    let lines = &doc.seg.lines;
    let mut i = 0;
    while i < lines.len() {
        let Some(owner) = doc.owner[i] else {
            i += 1;
            continue;
        };
        let claim = &doc.claims[owner];
        let same = |other: Option<usize>| {
            other
                .and_then(|o| doc.claims.get(o))
                .is_some_and(|c| c.id == claim.id && c.action == claim.action)
        };
        let mut j = i;
        while j + 1 < lines.len() && same(doc.owner[j + 1]) {
            j += 1;
        }
        // A run ends at its last non-blank line.
        let mut last = j;
        while last > i && lines[last].is_blank() {
            last -= 1;
        }
        let bytes = lines[i].span.start..lines[last].span.end;
        if !(i == last && lines[i].is_blank()) {
            out.push(Removal {
                rule: claim.id.to_string(),
                action: claim.action,
                lines: [i + 1, last + 1],
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
        out.push(Removal {
            rule: cut.id.to_string(),
            action: Action::Trim,
            lines: [cut.line + 1, cut.line + 1],
            bytes: [cut.span.start, cut.span.end],
            text: doc.text.get(cut.span.clone()).unwrap_or("").to_string(),
        });
    }
    out.sort_by_key(|r| r.bytes[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaner_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Cleaner>();
    }

    #[test]
    fn cut_pieces_join_with_one_space() {
        let mut out = String::new();
        push_piece(&mut out, "  The minister ");
        push_piece(&mut out, " spoke. ");
        assert_eq!(out, "The minister spoke.");
    }
}
