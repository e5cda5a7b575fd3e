//! The engine: one document through the flow of DESIGN.md, in one pass —
//! segment, match, rules, features, model, decode, assemble.
//!
//! A [`Cleaner`] is built once from a [`RuleSet`] (compiling the matcher,
//! reading the embedded model) and is `Send + Sync`: share it across
//! threads and call [`Cleaner::clean`] on as many documents as you like.
//! Per call, the document is scanned once; everything after works on line
//! indices and byte spans.
//!
//! # Who removes what
//!
//! - Trims cut text inside lines (credits); line rules (`drop-line`,
//!   `drop-block`, `extract`) remove the lines they name. Both are exact
//!   phrases and always apply.
//! - Section rules (`drop-rest`, `drop-span`, `drop-list`) propose
//!   sections; the line model scores every line, with the rule hits among
//!   its features, and the decoder removes the lines of a section it is
//!   confident are not the article — under the section rule's id.
//! - Every other line the decoder removes carries a `body.*` id saying what
//!   it looks like (`body.menu`, `body.repeated`, `body.cloud`,
//!   `body.other`); `pith explain` shows the features that decided it.
//! - A headline printed twice is kept once (`structure.duplicate-title`);
//!   a first line that reads as a headline becomes the title
//!   (`structure.title`).
//!
//! Whole-page text and already-extracted article text are told apart per
//! document ([`Mode`]); an article loses a line only when the model is
//! confident.

mod assemble;
mod builder;
mod examples;
mod rules;
#[cfg(feature = "internals")]
pub mod stages;
mod titled;
mod window;

#[cfg(test)]
mod decoder_tests;
#[cfg(test)]
mod proptests;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use serde::Serialize;

use crate::decode::{self, DecodeParams, Mode};
use crate::features::{self, Features, LineEvidence, LineInput};
use crate::matcher::{BuildError, Hit, Matcher};
use crate::doc::Doc;
use crate::segment::Line;
use crate::metadata::candidates::{self, Candidate, MetaField};
use crate::metadata::{MetaPicks, Metadata, Picked};
use crate::model::{Ensemble, Model, ModelError, sigmoid};
use crate::passes::{
    self, BODY_CLOUD, BODY_MENU, BODY_OTHER, BODY_PREFIX, BODY_REPEATED, PASS_BODY, PASS_TITLE,
    PassContext,
};
use crate::rules::{Action, Rule, RuleError, RuleSet, Settings};

pub use builder::CleanerBuilder;
pub use examples::{ExampleFailure, ExampleReport, test_examples};
use rules::Capture;

/// The model embedded in the binary, made by `pith train`.
const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/pith.model");

/// Checks the disable patterns of `set` (see [`RuleSet::disable`]): each
/// names a rule or a structural pass. Building a [`Cleaner`] checks it too;
/// this says so without building one.
///
/// # Errors
///
/// [`RuleError::UnknownDisable`] for the first pattern that names neither.
pub fn check_disable(set: &RuleSet) -> Result<(), RuleError> {
    set.check_disable(passes::REGISTRY.iter().map(|p| p.id()))
}

/// A reusable, thread-safe article cleaner.
#[derive(Debug)]
pub struct Cleaner {
    rules: Vec<Rule>,
    matcher: Matcher,
    settings: Settings,
    disabled_passes: Vec<&'static str>,
    body: Option<BodyModel>,
    mode: Mode,
}

/// A metadata ranker: its field, its trees and the probability its best
/// candidate needs.
pub type MetaModel = (MetaField, Ensemble, f32);

/// The line model, the mode model, the metadata models and the decoder's
/// settings.
#[derive(Debug, Clone)]
pub struct BodyModel {
    line: Ensemble,
    mode: Ensemble,
    /// One ranking model per metadata field, with the probability its best
    /// candidate needs to be taken.
    meta: Vec<MetaModel>,
    params: DecodeParams,
}

/// The names of a metadata model's features: the line's, then the
/// candidate's.
pub fn meta_feature_names() -> Vec<&'static str> {
    features::NAMES
        .iter()
        .chain(candidates::CANDIDATE_NAMES.iter())
        .copied()
        .collect()
}

/// The parameter holding the probability a field's best candidate needs.
pub fn meta_threshold_name(field: MetaField) -> String {
    format!("{}_threshold", field.name())
}

impl BodyModel {
    /// Reads a model made by `pith train`, checking it reads the features
    /// this pith computes.
    ///
    /// # Errors
    ///
    /// [`ModelError`] when an ensemble or parameter is missing or an ensemble reads a feature this pith does not compute.
    pub fn from_model(model: &Model) -> Result<BodyModel, ModelError> {
        let mut line = model.ensemble("line")?.clone();
        line.bind("line", &features::NAMES)?;
        let mut mode = model.ensemble("mode")?.clone();
        mode.bind("mode", &features::NAMES)?;
        let names = meta_feature_names();
        let mut meta = Vec::new();
        for field in MetaField::ALL {
            // A model without a field's ranker leaves that field to the rules.
            if let Ok(e) = model.ensemble(field.name()) {
                let mut e = e.clone();
                e.bind(field.name(), &names)?;
                let threshold = model.param(&meta_threshold_name(field)).unwrap_or(0.0) as f32;
                meta.push((field, e, threshold));
            }
        }
        Ok(BodyModel {
            line,
            mode,
            meta,
            params: DecodeParams::from_model(model)?,
        })
    }

    /// The model embedded in the binary.
    ///
    /// # Errors
    ///
    /// [`ModelError`] if the embedded model does not read back (a build error).
    pub fn embedded() -> Result<BodyModel, ModelError> {
        static EMBEDDED: OnceLock<Result<BodyModel, ModelError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Model::from_bytes(EMBEDDED_MODEL).and_then(|m| Self::from_model(&m)))
            .clone()
    }

    /// The decoder's settings.
    pub fn params(&self) -> &DecodeParams {
        &self.params
    }
}

/// Why a [`Cleaner`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CleanerError {
    /// The rules are invalid.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// The phrase automaton could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The line model could not be read.
    #[error("the line model: {0}")]
    Model(#[from] ModelError),
}

/// A panic while cleaning one document (a bug in pith), caught by
/// [`Cleaner::clean_guarded`]: the panic's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cleaning failed: {0}")]
pub struct CleanPanic(pub String);

/// A note on a cleaned record that a pipeline may want to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Flag {
    /// Rules would have removed more than the allowed share of the words; the
    /// document was kept whole.
    OverRemoval,
    /// The input was not valid UTF-8 and was decoded with replacement characters.
    InvalidUtf8,
    /// Nothing is left of the body.
    Empty,
    /// The line model would have left almost nothing; the best-scoring run
    /// of lines was kept instead.
    BodyFallback,
}

/// What a caller reads of a cleaning. With [`Wanted::Text`] the author and
/// the publication date are not ranked — a fifth of the work on a typical
/// page — so [`Metadata`](crate::Metadata)'s `author` and `published` hold
/// only what a rule captured; the title is chosen either way, since it
/// decides the title line. The text is the same for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wanted {
    /// The text and all the metadata.
    #[default]
    Everything,
    /// The text and its title.
    Text,
}

/// One removal: which rule, which lines, which bytes, what text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Removal {
    /// The rule (or structural pass) id.
    pub rule: String,
    /// What the rule did.
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
    /// Lines of the input.
    pub lines_in: usize,
    /// Lines of the body.
    pub lines_out: usize,
    /// Characters of the input.
    pub chars_in: usize,
    /// Characters of the body.
    pub chars_out: usize,
}

/// The clean article and everything learned about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Cleaned {
    /// The title, if one was found.
    pub title: Option<String>,
    /// The body, without the title.
    pub text: String,
    /// The author, the source, the date and the other metadata.
    #[serde(flatten)]
    pub metadata: Metadata,
    /// The ISO 639-1 code of the language, if detected.
    pub language: Option<&'static str>,
    /// Every removal, in text order.
    pub removed: Vec<Removal>,
    /// Sizes before and after.
    pub stats: Stats,
    /// Notes a pipeline may filter on.
    pub flags: Vec<Flag>,
    /// Whether the document was cleaned as a page or as an article.
    #[serde(skip)]
    pub mode: Mode,
    /// Number (0-based) in the input of the line that became the title, when the title
    /// is a line printed before the body (otherwise `title` is metadata
    /// only: the line is elsewhere or was removed).
    #[serde(skip)]
    pub title_line: Option<usize>,
    /// True when the title was given apart ([`Cleaner::clean_titled`]) and
    /// heads the body as its headline (`title_line` is then `Some(0)`, the
    /// line before the text).
    #[serde(skip)]
    pub title_given: bool,
    /// True when the title shares its paragraph with the body's first line;
    /// text output then keeps them in one paragraph, so cleaning the output
    /// again sees the same paragraphs.
    #[serde(skip)]
    pub title_joined: bool,
}

impl Cleaned {
    /// The article as a reader sees it: the title (if wanted, and if it is
    /// a line of the text that comes before the body), a blank line (a line
    /// break if the title shares the first paragraph), the body.
    pub fn to_text(&self, with_title: bool) -> String {
        match (&self.title, with_title && self.title_line.is_some()) {
            (Some(title), true) if self.text.is_empty() => title.clone(),
            (Some(title), true) => {
                let gap = if self.title_joined { "\n" } else { "\n\n" };
                format!("{title}{gap}{}", self.text)
            }
            _ => self.text.clone(),
        }
    }
}

/// A document after the rules and the features, before the model: one
/// round of [`Cleaner::clean`], over the lines earlier rounds kept.
pub struct Analysis<'t, 'c> {
    pub(crate) doc: Doc<'t, 'c>,
    settings: &'c Settings,
    hits: Vec<Hit>,
    captures: Vec<Capture>,
    /// Claims and cuts made before this round's rules (what undoing the
    /// round keeps).
    claims_before: usize,
    cuts_before: usize,
    /// The line index of each feature row (the non-blank lines in view).
    pub rows: Vec<usize>,
    /// The features of the non-blank lines in view, a row at a time.
    pub features: Features,
    over_removal: bool,
}

impl Analysis<'_, '_> {
    /// The trimmed text of line `i`.
    pub fn line_text(&self, i: usize) -> &str {
        self.doc.seg.content(self.doc.text, i)
    }

    /// The candidates for a metadata field, and their feature rows (the
    /// line's features, then the candidate's), row-major.
    pub fn meta_candidates(&self, field: MetaField) -> (Vec<Candidate>, Vec<f32>) {
        let (texts, words): (Vec<_>, Vec<u32>) = self
            .rows
            .iter()
            .take(candidates::max_rows(field))
            .map(|&i| (self.doc.kept_text(i), self.doc.words(i)))
            .unzip();
        let lines: Vec<&str> = texts.iter().map(std::convert::AsRef::as_ref).collect();
        // The language is guessed only if a numeric date needs it.
        let language = std::cell::OnceCell::new();
        let day_first = || {
            field == MetaField::Published
                && *language.get_or_init(|| {
                    crate::language::detect(self.doc.text).is_some_and(|l| l != "en")
                })
        };
        let mut found = candidates::candidates(field, &lines, &words, &day_first, self.settings);
        // A title is not a line a rule removes ("Leave a Reply").
        if field == MetaField::Title {
            found.retain(|c| {
                self.rows
                    .get(c.row)
                    .is_none_or(|&i| self.doc.claim_of(i).is_none())
            });
        }
        let extra = candidates::candidate_features(field, &found, &lines, self.doc.text);
        let width = features::N_FEATURES + candidates::CANDIDATE_NAMES.len();
        let mut rows = Vec::with_capacity(found.len() * width);
        // A line's candidates follow each other: its row is written once.
        let (mut row, mut written) = ([0.0; features::N_FEATURES], None);
        for (c, x) in found.iter().zip(&extra) {
            if written != Some(c.row) {
                self.features.write_row(c.row, &mut row);
                written = Some(c.row);
            }
            rows.extend_from_slice(&row);
            rows.extend_from_slice(x);
        }
        (found, rows)
    }
}

/// The metadata models' picks on a document: for each field, its best
/// candidate if its probability reaches the field's threshold.
pub fn pick_metadata<'m>(
    meta: impl IntoIterator<Item = &'m MetaModel>,
    analysis: &Analysis,
) -> MetaPicks {
    let mut picks = MetaPicks::default();
    for (field, ensemble, threshold) in meta {
        // A document of one line is all body.
        if *field == MetaField::Title && analysis.rows.len() < 2 {
            continue;
        }
        let (found, rows) = analysis.meta_candidates(*field);
        let Some((k, probability)) = best_candidate(ensemble, &rows, found.len()) else {
            continue;
        };
        if probability < *threshold {
            continue;
        }
        if let Some(c) = found.into_iter().nth(k) {
            *picks.slot(*field) = Some(Picked {
                line: analysis.rows.get(c.row).copied().unwrap_or(0),
                value: c.value,
                variant: c.variant,
                site: c.site,
                probability,
            });
        }
    }
    picks
}

/// The best-scoring candidate and its probability, if any.
pub fn best_candidate(ensemble: &Ensemble, rows: &[f32], count: usize) -> Option<(usize, f32)> {
    let width = rows.len() / count.max(1);
    if count == 0 || width == 0 {
        return None;
    }
    ensemble
        .score_rows(rows, width)
        .into_iter()
        .map(sigmoid)
        .enumerate()
        .fold(None, |best: Option<(usize, f32)>, (k, p)| match best {
            Some((_, bp)) if bp >= p => best,
            _ => Some((k, p)),
        })
}

/// The model's view of a document: each row's probability of being article
/// text, and the probability that the document is a whole page.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Per feature row, the probability that the line is article text.
    pub lines: Vec<f32>,
    /// The probability that the document is a whole page.
    pub page: f32,
    /// The metadata models' picks.
    pub picks: MetaPicks,
}

/// One line's score, for `pith explain`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LineScore {
    /// Number (0-based) of the line in the input.
    pub line: usize,
    /// The model's probability that the line is article text.
    pub probability: f32,
    /// The features that moved the score most, with how much (log-odds;
    /// positive towards article text).
    pub features: Vec<(&'static str, f32)>,
}

/// The model's view of a whole document, for `pith explain`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// Every non-blank line with its score.
    pub lines: Vec<LineScore>,
    /// The mode model's probability that the document is a whole page.
    pub page_probability: f32,
    /// The mode the first round cleans in.
    pub mode: Mode,
    /// In an article, the probability a line outside rule sections must
    /// reach to stay (a page keeps the lines, or the run of lines, with the
    /// best expected F1).
    pub threshold: Option<f32>,
}

/// The most rounds one document gets. Each round sees the lines earlier
/// rounds kept, as a fresh document would, and cleaning stops at the first
/// round that removes nothing, so cleaning clean output changes nothing;
/// almost every document settles in its second round.
pub const MAX_ROUNDS: usize = 32;

/// Feature rows written and scored at a time: the model tests each split
/// on the whole batch at once (see [`Ensemble::score_rows`]), and the
/// batch takes 25 KB however long the document.
const SCORED_ROWS: usize = 64;

/// What one round decided.
struct Round<'t, 'c> {
    doc: Doc<'t, 'c>,
    captures: Vec<Capture>,
    flags: Vec<Flag>,
    page: bool,
    removed: bool,
    /// The first line was printed twice (this round removed the repeat).
    title_repeated: bool,
}

impl Cleaner {
    /// Builds a cleaner from a validated rule set, with the embedded model.
    ///
    /// # Errors
    ///
    /// [`CleanerError::Model`] if the embedded model does not read back; [`CleanerError::Build`] if the phrase automaton cannot be built.
    pub fn new(set: RuleSet) -> Result<Cleaner, CleanerError> {
        let mut body = BodyModel::embedded()?;
        body.params.override_with(&set.settings.body);
        Cleaner::with_model(set, Some(body))
    }

    /// Builds a cleaner with a given line model (or none: rules only, and
    /// sections removed whole).
    ///
    /// # Errors
    ///
    /// [`CleanerError::Rules`] if a disable pattern names no rule and no
    /// pass; [`CleanerError::Build`] if the phrase automaton cannot be
    /// built (only with absurdly large rule sets).
    pub(crate) fn with_model(
        set: RuleSet,
        body: Option<BodyModel>,
    ) -> Result<Cleaner, CleanerError> {
        check_disable(&set)?;
        let matcher = Matcher::new(&set.rules)?;
        let disabled_passes = passes::REGISTRY
            .iter()
            .map(|p| p.id())
            .filter(|id| set.disables(id))
            .collect();
        Ok(Cleaner {
            rules: set.rules,
            matcher,
            settings: set.settings,
            disabled_passes,
            body,
            mode: Mode::Auto,
        })
    }

    /// A cleaner with rules only: no line model, so rule sections go whole
    /// and nothing else is removed for its shape (what `pith train` starts
    /// from).
    ///
    /// # Errors
    ///
    /// As [`Cleaner::new`], less the model's.
    pub fn rules_only(set: RuleSet) -> Result<Cleaner, CleanerError> {
        Cleaner::with_model(set, None)
    }

    /// A cleaner with the built-in rules.
    ///
    /// # Errors
    ///
    /// As [`Cleaner::new`]; the built-in rules themselves are tested valid.
    pub fn builtin() -> Result<Cleaner, CleanerError> {
        Cleaner::new(RuleSet::builtin()?)
    }

    /// Sets how cautious cleaning is (default [`Mode::Auto`]).
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Cleaner {
        self.mode = mode;
        self
    }

    /// The rules this cleaner applies.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The decoder's settings in force: the model's, with the rule files'
    /// `[settings.body]` over them (none without a line model).
    pub fn decode_params(&self) -> Option<&DecodeParams> {
        self.body.as_ref().map(BodyModel::params)
    }

    fn pass_enabled(&self, id: &str) -> bool {
        !self.disabled_passes.contains(&id)
    }

    /// Cleans one document like [`Cleaner::clean`] (or, given its title,
    /// [`Cleaner::clean_titled`]), but turns a panic (a bug in pith) into an
    /// error for this document alone, so a stream or a batch never loses
    /// the others.
    ///
    /// # Errors
    ///
    /// [`CleanPanic`] with the panic's message when cleaning panicked.
    pub fn clean_guarded(&self, text: &str, title: Option<&str>) -> Result<Cleaned, CleanPanic> {
        self.clean_guarded_wanting(text, title, Wanted::Everything)
    }

    /// [`Cleaner::clean_guarded`] for a caller that reads what `wanted`
    /// says.
    ///
    /// # Errors
    ///
    /// [`CleanPanic`] with the panic's message when cleaning panicked.
    pub fn clean_guarded_wanting(
        &self,
        text: &str,
        title: Option<&str>,
        wanted: Wanted,
    ) -> Result<Cleaned, CleanPanic> {
        let clean = || match title {
            Some(title) => self.clean_titled_wanting(text, title, wanted),
            None => self.clean_wanting(text, wanted),
        };
        catch_unwind(AssertUnwindSafe(clean)).map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(std::string::ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "internal error".into());
            CleanPanic(message)
        })
    }

    /// `cleaned`, this cleaner's output, as text without its title (what
    /// `--no-title` prints), cleaned again until a further pass changes
    /// nothing (at most 32 passes, as many as a document's rounds). The
    /// text now starts with another line, which a fresh pass may read as
    /// the title and drop ("LinkedIn respects your privacy" under a page's
    /// title); cleaned to that fixed point, the text is its own cleaning.
    /// Most documents take one pass more, which changes nothing; a pass
    /// that panics ends the passes.
    pub fn text_without_title(&self, cleaned: &Cleaned) -> String {
        let mut text = cleaned.to_text(false);
        for _ in 0..MAX_ROUNDS {
            let Ok(again) = self.clean_guarded_wanting(&text, None, Wanted::Text) else {
                break;
            };
            let again = again.to_text(false);
            if again == text {
                break;
            }
            text = again;
        }
        text
    }

    /// Cleans one document (one of more than 32,768 lines or 4 GiB a
    /// window at a time, so memory stays bounded).
    pub fn clean(&self, text: &str) -> Cleaned {
        self.clean_wanting(text, Wanted::Everything)
    }

    /// [`Cleaner::clean`] for a caller that reads what `wanted` says.
    pub fn clean_wanting(&self, text: &str, wanted: Wanted) -> Cleaned {
        // Most documents are far shorter than a window: no windows to make.
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
        if text.len() <= window::WINDOW_BYTES
            && newlines.take(window::WINDOW_LINES).count() < window::WINDOW_LINES
        {
            return self.clean_whole(text, wanted);
        }
        match window::windows(text, window::WINDOW_LINES, window::WINDOW_BYTES).as_slice() {
            [] | [_] => self.clean_whole(text, wanted),
            windows => self.clean_windows(text, windows, wanted),
        }
    }

    /// Cleans one document in one piece.
    fn clean_whole(&self, text: &str, wanted: Wanted) -> Cleaned {
        let params = self.body.as_ref().map(|b| b.params);
        let mut analysis = self.analyse(text);
        let mut scores = self.score(&analysis, wanted);
        let picks = std::mem::take(&mut scores.picks);
        let mut captures = Vec::new();
        let mut flags = Vec::new();
        let mut mode = None;
        let mut title_repeated = false;
        let mut rounds = 0;
        let doc = loop {
            let round = self.decide_round(&analysis, &scores, self.mode, params.as_ref(), &picks);
            rounds += 1;
            captures.extend(round.captures);
            flags.extend(
                round
                    .flags
                    .iter()
                    .filter(|f| !flags.contains(*f))
                    .copied()
                    .collect::<Vec<_>>(),
            );
            mode.get_or_insert(round.page);
            title_repeated |= round.title_repeated;
            if !round.removed || rounds == MAX_ROUNDS || flags.contains(&Flag::OverRemoval) {
                break round.doc;
            }
            let mut doc = round.doc;
            doc.next_round();
            // This round's analysis goes before the next one is made.
            let hits = std::mem::take(&mut analysis.hits);
            drop(analysis);
            analysis = self.analyse_round(doc, hits);
            scores = self.score_lines(&analysis);
        };
        // The last round's analysis goes before the output is made.
        drop((analysis, scores));
        let mut cleaned = self.conclude(doc, &captures, flags, title_repeated, &picks);
        cleaned.mode = if mode == Some(true) {
            Mode::Page
        } else {
            Mode::Article
        };
        cleaned
    }

    /// Segments, matches, applies the rules and computes the features of a
    /// whole document: the first round.
    pub(crate) fn analyse<'t, 'c>(&'c self, text: &'t str) -> Analysis<'t, 'c> {
        let doc = Doc::new(text);
        let hits = self.matcher.scan(text, &doc.seg);
        self.analyse_round(doc, hits)
    }

    /// Applies the rules to the lines in view and computes their features.
    fn analyse_round<'t, 'c>(&'c self, mut doc: Doc<'t, 'c>, hits: Vec<Hit>) -> Analysis<'t, 'c> {
        let (claims_before, cuts_before) = (doc.claims.len(), doc.cuts.len());
        let captures = self.apply_rules(&mut doc, &hits);
        let over_removal = self.over_removal(&doc);
        let rows: Vec<usize> = (0..doc.seg.lines.len())
            .filter(|&i| doc.is_content(i))
            .collect();
        let features = line_features(&doc, &rows);
        Analysis {
            doc,
            settings: &self.settings,
            hits,
            captures,
            claims_before,
            cuts_before,
            rows,
            features,
            over_removal,
        }
    }

    /// The model's scores for an analysed document (empty without a model),
    /// with the picks of the metadata `wanted`.
    pub(crate) fn score(&self, analysis: &Analysis, wanted: Wanted) -> Scores {
        let mut scores = self.score_lines(analysis);
        if let Some(body) = &self.body {
            scores.picks = self.picks(body, analysis, wanted);
        }
        scores
    }

    /// The line and mode scores only: what the rounds after the first need
    /// (the metadata is chosen on the whole document).
    fn score_lines(&self, analysis: &Analysis) -> Scores {
        let Some(body) = &self.body else {
            return Scores::default();
        };
        let features = &analysis.features;
        // The rows are written a batch at a time, scored and forgotten.
        let mut lines = Vec::with_capacity(features.len());
        let mut batch = vec![[0.0; features::N_FEATURES]; SCORED_ROWS.min(features.len())];
        for start in (0..features.len()).step_by(SCORED_ROWS) {
            let Some(rows) = batch.get_mut(..SCORED_ROWS.min(features.len() - start)) else {
                break;
            };
            for (k, row) in (start..).zip(rows.iter_mut()) {
                features.write_row(k, row);
            }
            let scores = body.line.score_rows(rows.as_flattened(), features::N_FEATURES);
            lines.extend(scores.into_iter().map(sigmoid));
        }
        Scores {
            lines,
            page: if features.is_empty() {
                0.0
            } else {
                sigmoid(body.mode.score(&features.row(0)))
            },
            picks: MetaPicks::default(),
        }
    }

    /// The metadata rankers' picks, for the rankers whose pass is enabled
    /// and whose field is `wanted` (the title always is).
    fn picks(&self, body: &BodyModel, analysis: &Analysis, wanted: Wanted) -> MetaPicks {
        let enabled = body.meta.iter().filter(|(field, _, _)| {
            (wanted == Wanted::Everything || *field == MetaField::Title)
                && passes::REGISTRY
                    .iter()
                    .any(|p| p.ranks() == Some(*field) && self.pass_enabled(p.id()))
        });
        pick_metadata(enabled, analysis)
    }

    /// Why the model scored each line as it did, for `pith explain`: on
    /// the whole document (the first round), each non-blank line's
    /// probability of being article text and the features that moved it
    /// most (largest absolute contribution to its log-odds first).
    pub fn explain_lines(&self, text: &str, top: usize) -> Explanation {
        let analysis = self.analyse(text);
        let scores = self.score(&analysis, Wanted::Everything);
        let lines = analysis
            .rows
            .iter()
            .enumerate()
            .map(|(k, &line)| {
                let row = analysis.features.row(k);
                let mut features: Vec<(&'static str, f32)> = match &self.body {
                    Some(body) => body
                        .line
                        .contributions(&row)
                        .into_iter()
                        .enumerate()
                        .filter_map(|(j, c)| features::NAMES.get(j).map(|n| (*n, c)))
                        .collect(),
                    None => Vec::new(),
                };
                features.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                features.truncate(top);
                LineScore {
                    line: analysis.doc.seg.lines.get(line).map_or(line, Line::number),
                    probability: scores.lines.get(k).copied().unwrap_or(1.0),
                    features,
                }
            })
            .collect();
        let threshold = self.body.as_ref().map(|b| b.params);
        let page = threshold.is_some() && self.mode.is_page(scores.page, threshold.as_ref());
        Explanation {
            lines,
            page_probability: scores.page,
            mode: if page { Mode::Page } else { Mode::Article },
            threshold: threshold.filter(|_| !page).map(|p| p.article_threshold),
        }
    }

    /// One round only: decides with the given scores and settings (without
    /// settings, sections go whole and nothing else), then the title and the
    /// metadata. What training scores its choices with.
    pub(crate) fn finish(
        &self,
        analysis: &Analysis<'_, '_>,
        scores: &Scores,
        mode: Mode,
        params: Option<&DecodeParams>,
    ) -> Cleaned {
        let round = self.decide_round(analysis, scores, mode, params, &scores.picks);
        let mut cleaned = self.conclude(
            round.doc,
            &round.captures,
            round.flags,
            round.title_repeated,
            &scores.picks,
        );
        cleaned.mode = if round.page {
            Mode::Page
        } else {
            Mode::Article
        };
        cleaned
    }

    /// Decides one round: which lines in view go.
    fn decide_round<'t, 'c>(
        &'c self,
        analysis: &Analysis<'t, 'c>,
        scores: &Scores,
        mode: Mode,
        params: Option<&DecodeParams>,
        picks: &MetaPicks,
    ) -> Round<'t, 'c> {
        let mut doc = analysis.doc.clone();
        let page = mode.is_page(scores.page, params);
        if analysis.over_removal {
            // Undo this round's rules: the document keeps what is in view.
            for o in &mut doc.owner {
                if o.is_some_and(|c| c as usize >= analysis.claims_before) {
                    *o = None;
                }
            }
            doc.cuts.truncate(analysis.cuts_before);
            return Round {
                doc,
                captures: Vec::new(),
                flags: vec![Flag::OverRemoval],
                page,
                removed: false,
                title_repeated: false,
            };
        }
        let params = params.filter(|_| self.pass_enabled(PASS_BODY));
        let (rows, features) = (&analysis.rows, &analysis.features);
        let removed_by_model = self.decide(&mut doc, rows, features, scores, page, params);
        let mut flags = Vec::new();
        if removed_by_model && self.fallback(&mut doc, rows, scores) {
            flags.push(Flag::BodyFallback);
        }
        let mut context = PassContext {
            picks,
            title_repeated: false,
            settings: &self.settings,
        };
        for pass in passes::REGISTRY {
            if self.pass_enabled(pass.id()) {
                pass.run(&mut doc, &mut context);
            }
        }
        let removed = doc.cuts.len() > analysis.cuts_before
            || (0..doc.seg.lines.len())
                .any(|i| doc.present(i) && doc.owner.get(i).is_some_and(Option::is_some));
        Round {
            doc,
            captures: analysis.captures.clone(),
            flags,
            page,
            removed,
            title_repeated: context.title_repeated,
        }
    }

    /// After the last round: the title and the output. A title pick that
    /// is the first kept line (or that line with its site name cut off)
    /// makes it the title line; without title models, a first line that
    /// reads as a headline does.
    fn conclude(
        &self,
        doc: Doc<'_, '_>,
        captures: &[Capture],
        flags: Vec<Flag>,
        title_repeated: bool,
        picks: &MetaPicks,
    ) -> Cleaned {
        let has_title_model = picks.title.is_some()
            || self
                .body
                .as_ref()
                .is_some_and(|b| b.meta.iter().any(|m| m.0 == MetaField::Title));
        let mut title_line = None;
        let mut site = None;
        if self.pass_enabled(PASS_TITLE) {
            match picks.title.as_ref().filter(|_| has_title_model) {
                Some(pick) => {
                    title_line = passes::title_line(&doc, pick, &self.settings);
                    site = passes::site_of_first_line(&doc, &pick.value);
                }
                None if !has_title_model => {
                    title_line = passes::find_title(&doc, title_repeated, &self.settings);
                }
                None => {}
            }
        }
        let mut cleaned = self.assemble(&doc, captures, flags, site, title_line);
        // A title line is printed as written (it folds to the pick); a pick
        // elsewhere is metadata only.
        if let Some(pick) = picks
            .title
            .as_ref()
            .filter(|_| self.pass_enabled(PASS_TITLE) && title_line.is_none())
        {
            cleaned.title = Some(pick.value.clone());
        }
        if let Some(pick) = &picks.author {
            cleaned.metadata.author = Some(pick.value.clone());
        }
        if let Some(pick) = &picks.published {
            cleaned.metadata.published = Some(pick.value.clone());
        }
        cleaned
    }

    /// Removes the lines the decoder lets go. Returns whether any went for
    /// the model (outside the rules' sections).
    fn decide<'c>(
        &'c self,
        doc: &mut Doc<'_, 'c>,
        rows: &[usize],
        features: &Features,
        scores: &Scores,
        page: bool,
        params: Option<&DecodeParams>,
    ) -> bool {
        self.decide_sections(doc, rows, scores, page, params);
        // The rows neither a line rule nor a removed section took.
        let open: Vec<usize> = (0..rows.len())
            .filter(|&k| {
                rows.get(k)
                    .is_some_and(|&i| doc.owner.get(i) == Some(&None))
            })
            .collect();
        let Some(p) = params else {
            join_blank_lines(doc);
            return false;
        };
        let probabilities: Vec<f32> = open
            .iter()
            .map(|&k| scores.lines.get(k).copied().unwrap_or(1.0))
            .collect();
        let keep = if page {
            let weights: Vec<f32> = open
                .iter()
                .map(|&k| rows.get(k).map_or(0.0, |&i| doc.words(i) as f32))
                .collect();
            decode::keep_in_page(&probabilities, &weights, p)
        } else {
            probabilities
                .iter()
                .map(|&q| q >= p.article_threshold)
                .collect()
        };
        let mut body_claims: [Option<u32>; 4] = [None; 4];
        let mut any_model = false;
        for (&k, keep) in open.iter().zip(keep) {
            let Some(&i) = rows.get(k) else { continue };
            if keep {
                continue;
            }
            let kind = body_kind(&features.row(k));
            let claim = if let Some(c) = body_claims[kind] {
                c
            } else {
                let c = doc.add_claim(BODY_IDS[kind], Action::DropLine);
                body_claims[kind] = Some(c);
                c
            };
            doc.claim_with(claim, i..i + 1);
            any_model = true;
        }
        join_blank_lines(doc);
        any_model
    }

    /// Decides each proposed section as a whole, earliest first: it goes
    /// when the model's mean probability of article text over its lines
    /// (weighted by their words) is below the section threshold of the mode;
    /// in an article, a `drop-span` (a box with its start and end) always
    /// goes and the others need the model's agreement; without a model,
    /// every section goes. A removed section also takes the lines
    /// inside it that line rules claimed (a comment form inside the comment
    /// section is reported as part of it). `rows` holds each row's line, in
    /// order.
    fn decide_sections(
        &self,
        doc: &mut Doc,
        rows: &[usize],
        scores: &Scores,
        page: bool,
        params: Option<&DecodeParams>,
    ) {
        // Each line belongs to the latest-starting section that covers it: a
        // section that starts later takes over (comments end references).
        let mut order: Vec<(std::ops::Range<usize>, u32, Action)> = doc
            .sections
            .iter()
            .map(|s| (s.lines.clone(), s.claim, s.action))
            .collect();
        order.sort_by_key(|(lines, _, _)| lines.start);
        let mut owner_section = vec![None; doc.seg.lines.len()];
        for (s, (lines, _, _)) in order.iter().enumerate() {
            for slot in owner_section.get_mut(lines.clone()).into_iter().flatten() {
                *slot = Some(s);
            }
        }
        for (s, (lines, claim, action)) in order.iter().enumerate() {
            let (lines, claim, action) = (lines.clone(), *claim, *action);
            let lines: Vec<usize> = lines
                .filter(|&i| owner_section.get(i) == Some(&Some(s)))
                .collect();
            let goes = match params {
                None => true,
                // In an article, a box with its start and its end always goes.
                Some(_) if !page && action == Action::DropSpan => true,
                Some(p) => {
                    let (mut sum, mut weight) = (0.0f64, 0.0f64);
                    for &i in &lines {
                        let Ok(k) = rows.binary_search(&i) else { continue };
                        let w = f64::from(doc.words(i).max(1));
                        sum += w * f64::from(scores.lines.get(k).copied().unwrap_or(1.0));
                        weight += w;
                    }
                    weight > 0.0 && sum / weight < f64::from(p.section_threshold(page))
                }
            };
            if !goes {
                continue;
            }
            for i in lines {
                let taken_by_line_rule = doc.claim_of(i).is_some_and(|c| {
                    c.action != Action::Extract
                        && !c.id.starts_with(BODY_PREFIX)
                        && !doc.is_section_claim(c)
                });
                let free = doc.present(i) && doc.owner.get(i) == Some(&None);
                if (free || taken_by_line_rule)
                    && let Some(o) = doc.owner.get_mut(i)
                {
                    *o = Some(claim);
                }
            }
        }
    }

    /// If the model left fewer than `body.min_kept_words` words of a longer
    /// document, gives back its removals in the best run of lines: the run
    /// whose lines the model scores most above its mean for the document.
    fn fallback(&self, doc: &mut Doc, rows: &[usize], scores: &Scores) -> bool {
        let min = u64::from(self.settings.body.min_kept_words);
        let kept: u64 = doc.kept_lines().map(|i| u64::from(doc.words(i))).sum();
        if kept >= min || doc.seg.total_words() < min {
            return false;
        }
        // Lines the model likes better than its average for this document.
        let logits: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(k, _)| f64::from(decode::logit(scores.lines.get(k).copied().unwrap_or(0.0))))
            .collect();
        let mean = logits.iter().sum::<f64>() / logits.len().max(1) as f64;
        let margins: Vec<f64> = rows
            .iter()
            .zip(&logits)
            .map(|(&i, l)| (l - mean) * f64::from(doc.words(i).max(1)))
            .collect();
        let regions = features::maximal_regions(&margins);
        let best = regions
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .map(|r| r.range.clone())
            .or_else(|| {
                // Every line scored below its threshold: keep the least bad.
                margins
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(k, _)| k..k + 1)
            });
        let Some(best) = best else { return false };
        for &i in rows.get(best).into_iter().flatten() {
            let by_model = doc
                .claim_of(i)
                .is_some_and(|c| c.id.starts_with(BODY_PREFIX));
            if by_model && let Some(o) = doc.owner.get_mut(i) {
                *o = None;
            }
        }
        join_blank_lines(doc);
        true
    }
}

const BODY_IDS: [&str; 4] = [BODY_MENU, BODY_REPEATED, BODY_CLOUD, BODY_OTHER];

/// Which `body.*` id a removed line gets, from its features.
fn body_kind(row: &[f32]) -> usize {
    const WORDS: usize = features::column("words");
    const SENTENCE_END: usize = features::column("sentence_end");
    const LIST_ITEM: usize = features::column("list_item");
    const CLOUD: usize = features::column("cloud");
    const REPEAT_COUNT: usize = features::column("repeat_count");
    const SEEN_SHARE: usize = features::column("seen_share");
    const DUP_BLOCK: usize = features::column("dup_block");
    const TITLE_REPEAT: usize = features::column("title_repeat");
    let get = |at: usize| row.get(at).copied().unwrap_or(0.0);
    let repeated = get(SEEN_SHARE) >= 0.8
        || get(DUP_BLOCK) > 0.0
        || get(TITLE_REPEAT) > 0.0
        || (get(REPEAT_COUNT) > 0.0 && get(WORDS) <= 8.0);
    if get(CLOUD) > 0.0 {
        2
    } else if repeated {
        1
    } else if get(WORDS) <= 4.0 && get(SENTENCE_END) == 0.0 && get(LIST_ITEM) == 0.0 {
        0
    } else {
        3
    }
}

/// The features of the document's lines `rows` (the non-blank lines in
/// view), as they read now.
pub(crate) fn line_features(doc: &Doc, rows: &[usize]) -> Features {
    let sequences = rows
        .iter()
        .map(|&i| features::sequences_in(doc.words(i)))
        .sum();
    let block_of = |i: usize| doc.seg.lines.get(i).map_or(0, Line::block);
    let (mut block_end, mut block_lines) = (0, 0);
    let inputs = rows
        .iter()
        .enumerate()
        .zip(line_evidence(doc, rows))
        .map(move |((r, &i), evidence)| {
            let block = block_of(i);
            if r >= block_end {
                let rest = rows.get(r..).unwrap_or_default();
                block_lines = rest.iter().take_while(|&&j| block_of(j) == block).count();
                block_end = r + block_lines;
            }
            LineInput {
                text: doc.kept_text(i),
                words: doc.words(i),
                block: u32::try_from(block).unwrap_or(u32::MAX),
                block_lines: u32::try_from(block_lines).unwrap_or(u32::MAX),
                evidence,
            }
        });
    features::compute(inputs, sequences)
}

/// The rules' evidence for lines `rows` (in order).
fn line_evidence(doc: &Doc, rows: &[usize]) -> Vec<LineEvidence> {
    let mut out: Vec<LineEvidence> = rows
        .iter()
        .map(|&i| LineEvidence {
            line_rule: doc
                .claim_of(i)
                .map_or(0, |claim| 1 << features::family_of(claim.id)),
            ..LineEvidence::default()
        })
        .collect();
    let row_of = |line: usize| rows.partition_point(|&r| r < line);
    let mut order: Vec<&crate::doc::Section> = doc.sections.iter().collect();
    order.sort_by_key(|s| s.lines.start);
    for s in order {
        let bit = 1u16 << s.family;
        let start = row_of(s.lines.start);
        if rows.get(start) == Some(&s.lines.start)
            && let Some(e) = out.get_mut(start)
        {
            e.trigger |= bit;
        }
        let covered = row_of(s.lines.start + 1)..row_of(s.lines.end);
        for e in out.get_mut(covered).into_iter().flatten() {
            e.section |= bit;
            e.section_start = u32::try_from(start).unwrap_or(features::NO_SECTION);
        }
    }
    out
}

/// Gives a blank line between two lines removed by the same claim to that
/// claim, so a removal is reported as one run.
fn join_blank_lines(doc: &mut Doc) {
    let mut last: Option<(usize, u32)> = None;
    for i in 0..doc.seg.lines.len() {
        if !doc.is_content(i) {
            continue;
        }
        let owner = doc.owner.get(i).copied().flatten();
        if let (Some((j, prev)), Some(cur)) = (last, owner)
            && prev == cur
        {
            for o in doc.owner.get_mut(j + 1..i).into_iter().flatten() {
                *o = Some(cur);
            }
        }
        last = owner.map(|o| (i, o));
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

    #[test]
    fn wanting_the_text_ranks_no_date_and_keeps_text_and_title()
    -> Result<(), Box<dyn std::error::Error>> {
        let cleaner = Cleaner::builtin()?;
        let page = "Storm Hits the Coast | Daily Bugle\n\nHome\nNews\nSport\n\n\
            Storm Hits the Coast\n\nJane Doe\n\n2025-03-03\n\n\
            The storm hit the coast on Monday, flooding the harbour and closing the main roads into town.\n\n\
            Residents were told to stay indoors until the wind dropped, officials said on Tuesday morning.\n\n\
            The council will meet next week to discuss repairs to the sea wall and the old pier.\n";
        let mut texts = vec![page.to_string()];
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds"))? {
            let path = entry?.path();
            if path.to_string_lossy().ends_with(".input.txt") {
                texts.push(std::fs::read_to_string(path)?);
            }
        }
        assert_eq!(texts.len(), 5, "the page and the four seeds");
        for text in &texts {
            let everything = cleaner.clean(text);
            let only_text = cleaner.clean_wanting(text, Wanted::Text);
            assert_eq!(only_text.to_text(true), everything.to_text(true));
            assert_eq!(only_text.title, everything.title);
            assert_eq!(only_text.removed, everything.removed);
        }
        let everything = cleaner.clean(page);
        let only_text = cleaner.clean_wanting(page, Wanted::Text);
        assert_eq!(everything.metadata.published.as_deref(), Some("2025-03-03"));
        assert_eq!(only_text.metadata.published, None);
        Ok(())
    }
}
