//! Decide and assemble: apply each rule's action to the lines its triggers
//! hit, run the structural passes, and build the clean article with its
//! metadata and the record of every removal.
//!
//! A [`Cleaner`] is built once from a [`RuleSet`] (compiling the matcher) and
//! is `Send + Sync`: share it across threads and call [`Cleaner::clean`] on
//! as many documents as you like. Per call, the document is scanned once;
//! everything after works on line indices and byte spans.
//!
//! # Claims
//!
//! Each action claims lines. Trims apply first, so other rules see lines as
//! they will be printed; line claims (`drop-line`, `drop-block`, `extract`,
//! the structural passes) take only lines nobody owns; section claims
//! (`drop-rest`, `drop-span`, `drop-list`) own every line they cover, and a
//! section that starts later takes over (a comment section found after a
//! references section ends the references there). Each run of lines with one
//! rule and action is one entry of [`Cleaned::removed`].
//!
//! # Rounds
//!
//! Many decisions depend on context that cleaning itself removes: how many
//! words precede a heading, whether a line repeats elsewhere, whether the
//! page looks like a page, how far a box's end is. So that cleaning clean
//! output changes nothing, the decisions run in rounds: each round sees only
//! the lines earlier rounds kept, as a fresh document would, and cleaning
//! stops at the first round that removes nothing (a fixed point; almost
//! always the second round, bounded by [`MAX_ROUNDS`]).

mod assemble;
mod decide;
mod doc;

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;

use crate::dedup;
use crate::heuristics::{self, SHAPE_PREFIX};
use crate::input::RecordError;
use crate::matcher::{BuildError, Hit, Matcher};
use crate::metadata;
use crate::rules::{
    Action, PASS_DUPLICATE_PARAGRAPH, PASS_DUPLICATE_TITLE, PASS_REPEATED_TEXT, PASS_SHAPE,
    PASS_TITLE, Rule, RuleError, RuleSet, Settings,
};

use decide::{Capture, RuleContext};
pub(crate) use doc::Doc;

/// The most rounds one document gets (see the module docs).
pub const MAX_ROUNDS: usize = 6;

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

    /// Cleans one document like [`Cleaner::clean`], but turns a panic (a
    /// bug in pith) into an error for this document alone, so a stream or a
    /// batch never loses the others.
    pub fn clean_guarded(&self, text: &str) -> Result<Cleaned, RecordError> {
        catch_unwind(AssertUnwindSafe(|| self.clean(text))).map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "internal error".into());
            RecordError::Panicked(message)
        })
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        let mut doc = Doc::new(text);
        let hits = self.matcher.scan(text, &doc.seg);
        let mut state = RoundState::default();
        for _ in 0..MAX_ROUNDS {
            let before = doc.progress();
            let stopped = self.round(&mut doc, &hits, &mut state);
            if stopped || doc.progress() == before {
                break;
            }
        }
        let title_line = if self.pass_enabled(PASS_TITLE) {
            metadata::find_title(&doc, state.title_repeated, &self.settings)
        } else {
            None
        };
        self.assemble(&doc, &state, title_line)
    }

    /// One round of decisions over the lines earlier rounds kept. Returns
    /// true when the round was undone and cleaning must stop: its rules
    /// would have removed more than `max_removed_share` of the words.
    fn round<'c>(&'c self, doc: &mut Doc<'_, 'c>, hits: &[Hit], state: &mut RoundState) -> bool {
        let checkpoint = doc.start_round();
        let captures_before = state.captures.len();
        let starts = self.ordered_starts(doc, hits);
        let (sections, line_rules): (Vec<&Hit>, Vec<&Hit>) =
            starts.iter().partition(|h| self.is_section(h));
        let context = RuleContext::new(doc, &starts);
        self.apply_hits(doc, &line_rules, hits, &context, &mut state.captures);
        let body = if self.pass_enabled(PASS_SHAPE) {
            let mut barriers = vec![false; doc.seg.lines.len()];
            for hit in &sections {
                if let Some(b) = barriers.get_mut(hit.line) {
                    *b = true;
                }
            }
            let settings = &self.settings;
            heuristics::detect_body(doc, &settings.shape, &barriers, || {
                dedup::repeated_lines(doc, settings.repeated_min_words, settings.repeated_share)
            })
        } else {
            None
        };
        // In a page, a section heading before the article is a menu item,
        // not the start of the comments; and a heading that would cut
        // everything after it must come after the heart of the article.
        let sections: Vec<&Hit> = sections
            .into_iter()
            .filter(|h| {
                body.as_ref().is_none_or(|b| match self.rule_action(h) {
                    Some(Action::DropRest) => h.line >= b.core.end,
                    _ => h.line >= b.lines.start,
                })
            })
            .collect();
        self.apply_hits(doc, &sections, hits, &context, &mut state.captures);
        if self.over_removal(doc) {
            doc.restore(checkpoint);
            state.captures.truncate(captures_before);
            state.flag(Flag::OverRemoval);
            return true;
        }
        if let Some(body) = &body {
            heuristics::claim_outside(doc, body);
            if doc.kept_words() < u64::from(self.settings.shape.min_kept_words) {
                doc.release(body.best.clone(), SHAPE_PREFIX);
                state.flag(Flag::BodyFallback);
            }
            if self.pass_enabled(PASS_TITLE) {
                let site = metadata::page_title(
                    doc,
                    body,
                    PASS_TITLE,
                    &self.settings,
                    &context.trigger_lines,
                );
                state.page_site = state.page_site.take().or(site);
            }
        }
        if self.pass_enabled(PASS_REPEATED_TEXT) {
            dedup::repeated_text(
                doc,
                PASS_REPEATED_TEXT,
                self.settings.repeated_min_words,
                self.settings.repeated_share,
            );
        }
        if self.pass_enabled(PASS_DUPLICATE_TITLE) {
            state.title_repeated |= dedup::duplicate_title(doc, PASS_DUPLICATE_TITLE);
        }
        if self.pass_enabled(PASS_DUPLICATE_PARAGRAPH) {
            dedup::duplicate_paragraphs(
                doc,
                PASS_DUPLICATE_PARAGRAPH,
                self.settings.duplicate_min_words,
            );
        }
        false
    }
}

/// What rounds hand on to the end of cleaning.
#[derive(Debug, Default)]
pub(crate) struct RoundState {
    captures: Vec<Capture>,
    flags: Vec<Flag>,
    /// The site name from a page's `<title>` line.
    page_site: Option<String>,
    /// Whether the first line was printed twice.
    title_repeated: bool,
}

impl RoundState {
    fn flag(&mut self, flag: Flag) {
        if !self.flags.contains(&flag) {
            self.flags.push(flag);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaner_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Cleaner>();
    }
}
