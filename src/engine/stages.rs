//! The flow's steps one at a time, for pith's own per-stage benchmarks
//! (the `internals` feature; not a stable API).

use super::{Analysis, Cleaner, Scores, Wanted};
use crate::decode::Mode;
use crate::features::Features;
use crate::matcher::Matcher;
use crate::{Cleaned, DecodeParams};

/// Segments, scans, applies the rules and computes the features of `text`.
pub fn analyse<'t, 'c>(cleaner: &'c Cleaner, text: &'t str) -> Analysis<'t, 'c> {
    cleaner.analyse(text)
}

/// The features of an analysed document's lines, computed again (the last
/// step of [`analyse`]).
pub fn features(analysis: &Analysis) -> Features {
    super::line_features(&analysis.doc, &analysis.rows)
}

/// The models' scores for an analysed document, every metadata field
/// ranked.
pub fn score(cleaner: &Cleaner, analysis: &Analysis) -> Scores {
    cleaner.score(analysis, Wanted::Everything)
}

/// One round of decisions with the given scores, then the title and the
/// metadata.
pub fn finish(
    cleaner: &Cleaner,
    analysis: &Analysis,
    scores: &Scores,
    mode: Mode,
    params: Option<&DecodeParams>,
) -> Cleaned {
    cleaner.finish(analysis, scores, mode, params)
}

/// The cleaner's compiled phrase matcher.
pub fn matcher(cleaner: &Cleaner) -> &Matcher {
    &cleaner.matcher
}
