//! Decode: turn the line model's probabilities into keep/remove decisions
//! for the whole document at once, and tell a whole page from an extracted
//! article.
//!
//! - **A page** keeps the set of lines that maximises the expected F1 of
//!   the kept text: lines are taken in order of probability, each weighted
//!   by its words, and the decoder keeps the prefix maximising
//!   `2·Σkept p·w / (Σkept w + Σall p·w)` — a decision per document rather
//!   than one threshold for all, so a page with little article text is
//!   cleaned harder than one that is mostly article. Every log-odds is first
//!   multiplied by `page_scale` (above 1: the model's doubts count less, so
//!   many doubtful menu lines no longer add up to a large expected article)
//!   and moved by `page_shift` (negative: remove more). With `page_one_run`
//!   the kept lines are one run of consecutive lines instead: the run with
//!   the best expected F1 (a line inside it stays however doubtful, a line
//!   outside it goes however likely) — the article is one stretch of the
//!   page, and lines like it in a sidebar or a footer are not article.
//! - **An article** (text an extractor already made into one) loses a line
//!   only when the model is confident: probability below
//!   `article_threshold`.
//! - **A rule's section** (comments, "Related posts", an appeal box) goes
//!   whole when the model's mean probability over its lines is below the
//!   section threshold of the mode.
//!
//! Measured on out-of-fold scores (site-grouped, dev + web2026 pages):
//! expected-F1 decoding gained 0.009 F1 on web2026 over the best single
//! threshold; smoothing the sequence with a two-state Viterbi pass (switch
//! penalties 0.5–2) gained 0.008–0.020 on dev but lost 0.011–0.037 on
//! web2026, so it is not used. Keeping one run of lines instead of the best
//! set, chosen on inner folds by 4 of the 5 outer folds, took page F1 in
//! nested cross-validation from 0.851 to 0.861 on dev and from 0.787 to
//! 0.790 on web2026 (extracted text unchanged). The settings are chosen by
//! `pith train` on inner cross-validation folds and stored in the model.

use crate::model::{Model, ModelError};

/// How cautious cleaning is: a whole page, or text an extractor already
/// made into an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mode {
    /// Decide per document from its shape.
    #[default]
    Auto,
    /// Whole-page text: menus, sidebars, footers around the article.
    Page,
    /// Already an article: remove only what the model is confident of.
    Article,
}

impl Mode {
    /// The mode's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Page => "page",
            Mode::Article => "article",
        }
    }

    /// Whether a document whose page probability (the mode model's) is
    /// `page_probability` is cleaned as a page: always in `Page`, never in
    /// `Article`, in `Auto` when the probability reaches the threshold of
    /// `params` (never without them).
    pub fn is_page(self, page_probability: f32, params: Option<&DecodeParams>) -> bool {
        match self {
            Mode::Page => true,
            Mode::Article => false,
            Mode::Auto => params.is_some_and(|p| page_probability >= p.mode_threshold),
        }
    }
}

/// The decoder's settings, stored as parameters in the model file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeParams {
    /// In a page, added to every line's log-odds before choosing the set
    /// of lines with the best expected F1 (negative: remove more).
    pub page_shift: f32,
    /// In a page, every line's log-odds is multiplied by this before the
    /// shift (above 1: sharper probabilities).
    pub page_scale: f32,
    /// In an article, a line outside rule sections goes when its
    /// probability of being article text is below this.
    pub article_threshold: f32,
    /// In a page, a rule's section goes when its lines' mean probability is
    /// below this.
    pub section_page_threshold: f32,
    /// The same in an article.
    pub section_article_threshold: f32,
    /// A document is a page when the mode model's probability is at least this.
    pub mode_threshold: f32,
    /// In a page, keep one run of consecutive lines (the run with the best
    /// expected F1) instead of the set of lines with the best expected F1.
    pub page_one_run: bool,
}

/// The names of [`DecodeParams`]' fields in a model file.
pub const PARAM_NAMES: [&str; 7] = [
    "page_shift",
    "article_threshold",
    "section_page_threshold",
    "section_article_threshold",
    "mode_threshold",
    "page_scale",
    "page_one_run",
];

impl DecodeParams {
    /// Reads the parameters from a model.
    ///
    /// # Errors
    ///
    /// [`ModelError::MissingParam`] when the model lacks a decoder parameter.
    pub(crate) fn from_model(model: &Model) -> Result<DecodeParams, ModelError> {
        let p = |name: &str| model.param(name).map(|v| v as f32);
        Ok(DecodeParams {
            page_shift: p(PARAM_NAMES[0])?,
            article_threshold: p(PARAM_NAMES[1])?,
            section_page_threshold: p(PARAM_NAMES[2])?,
            section_article_threshold: p(PARAM_NAMES[3])?,
            mode_threshold: p(PARAM_NAMES[4])?,
            // Model files made before the scale existed: no scaling.
            page_scale: p(PARAM_NAMES[5]).unwrap_or(1.0),
            // And before one run could be kept: the best set.
            page_one_run: p(PARAM_NAMES[6]).is_ok_and(|v| v != 0.0),
        })
    }

    /// Writes the parameters into a model.
    pub(crate) fn store(&self, model: &mut Model) {
        let values = [
            self.page_shift,
            self.article_threshold,
            self.section_page_threshold,
            self.section_article_threshold,
            self.mode_threshold,
            self.page_scale,
            f32::from(u8::from(self.page_one_run)),
        ];
        for (name, value) in PARAM_NAMES.iter().zip(values) {
            model.params.insert(name.to_string(), f64::from(value));
        }
    }

    /// Replaces the settings a rule file's `[settings.body]` gives.
    pub fn override_with(&mut self, body: &crate::rules::BodySettings) {
        let pairs = [
            (&mut self.page_shift, body.page_shift),
            (&mut self.article_threshold, body.article_threshold),
            (
                &mut self.section_page_threshold,
                body.section_page_threshold,
            ),
            (
                &mut self.section_article_threshold,
                body.section_article_threshold,
            ),
            (&mut self.mode_threshold, body.mode_threshold),
            (&mut self.page_scale, body.page_scale),
        ];
        for (slot, value) in pairs {
            if let Some(v) = value {
                *slot = v;
            }
        }
        if let Some(one_run) = body.page_one_run {
            self.page_one_run = one_run;
        }
    }

    /// The threshold for a rule's section, by mode.
    pub fn section_threshold(&self, page: bool) -> f32 {
        if page {
            self.section_page_threshold
        } else {
            self.section_article_threshold
        }
    }
}

/// The log-odds of probability `p`, bounded.
pub fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// Which lines of a page to keep (see [`DecodeParams`]): with `one_run`,
/// [`best_run`], else [`best_set`].
pub fn keep_in_page(probabilities: &[f32], weights: &[f32], params: &DecodeParams) -> Vec<bool> {
    let (scale, shift) = (params.page_scale, params.page_shift);
    if params.page_one_run {
        best_run(probabilities, weights, scale, shift)
    } else {
        best_set(probabilities, weights, scale, shift)
    }
}

/// Each line's probability with its log-odds multiplied by `scale` and
/// moved by `shift`, and its weight (at least 0).
fn calibrated(probabilities: &[f32], weights: &[f32], scale: f32, shift: f32) -> (Vec<f64>, Vec<f64>) {
    let p = probabilities
        .iter()
        .map(|&p| 1.0 / (1.0 + f64::from(-(logit(p) * scale + shift)).exp()))
        .collect();
    let w = weights.iter().map(|&w| f64::from(w.max(0.0))).collect();
    (p, w)
}

/// The expected F1 of keeping lines of expected article mass `gain` and
/// weight `mass`, when the whole page's expected article mass is `total`.
fn expected_f1(gain: f64, mass: f64, total: f64) -> f64 {
    2.0 * gain / (mass + total).max(f64::MIN_POSITIVE)
}

/// Which lines of a page to keep: the set with the best expected F1, given
/// each line's probability of being article text (its log-odds multiplied
/// by `scale`, then moved by `shift`) and its weight (its words). At least
/// one line with weight is kept when there is one.
pub fn best_set(probabilities: &[f32], weights: &[f32], scale: f32, shift: f32) -> Vec<bool> {
    let (p, w) = calibrated(probabilities, weights, scale, shift);
    let total: f64 = p.iter().zip(&w).map(|(p, w)| p * w).sum();
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    let (mut gain, mut mass) = (0.0f64, 0.0f64);
    let (mut best, mut best_len) = (f64::MIN, 0usize);
    for (len, &i) in order.iter().enumerate() {
        gain += p[i] * w[i];
        mass += w[i];
        let value = expected_f1(gain, mass, total);
        if value > best {
            best = value;
            best_len = len + 1;
        }
    }
    let mut keep = vec![false; p.len()];
    for &i in order.iter().take(best_len) {
        if let Some(k) = keep.get_mut(i) {
            *k = true;
        }
    }
    keep
}

/// The most iterations [`best_run`] makes (it needs a handful).
const MAX_RUN_ITERATIONS: usize = 64;

/// Which lines of a page to keep as one run of consecutive lines: the run
/// with the best expected F1 (probabilities and weights as in
/// [`best_set`]). Every line is kept when no line has weight.
///
/// The best ratio `2·Σrun p·w / (Σrun w + Σall p·w)` is found by
/// Dinkelbach's method: for a value `λ`, the run maximising
/// `Σrun (2p − λ)·w` is a maximum-sum run (Kadane's scan); `λ` then becomes
/// that run's expected F1, which only grows, until no run does better.
pub fn best_run(probabilities: &[f32], weights: &[f32], scale: f32, shift: f32) -> Vec<bool> {
    let (p, w) = calibrated(probabilities, weights, scale, shift);
    let total: f64 = p.iter().zip(&w).map(|(p, w)| p * w).sum();
    if w.iter().all(|&w| w == 0.0) {
        return vec![true; p.len()];
    }
    let mut lambda = 0.0f64;
    let mut run = 0..p.len();
    for _ in 0..MAX_RUN_ITERATIONS {
        let next = max_sum_run(p.iter().zip(&w).map(|(p, w)| (2.0 * p - lambda) * w));
        let (gain, mass) = next
            .clone()
            .filter_map(|i| Some((p.get(i)?, w.get(i)?)))
            .fold((0.0, 0.0), |(g, m), (p, w)| (g + p * w, m + w));
        let value = expected_f1(gain, mass, total);
        // No run better than the last: it is the best.
        if value <= lambda {
            break;
        }
        run = next;
        lambda = value;
    }
    (0..p.len()).map(|i| run.contains(&i)).collect()
}

/// The first run of consecutive values with the largest sum (Kadane's
/// scan; a run does not start with values summing to 0 or less). Empty
/// only when there are no values.
fn max_sum_run(values: impl Iterator<Item = f64>) -> std::ops::Range<usize> {
    let (mut sum, mut start) = (0.0f64, 0usize);
    let (mut best, mut best_run) = (f64::NEG_INFINITY, 0..0);
    for (i, v) in values.enumerate() {
        if sum <= 0.0 {
            sum = v;
            start = i;
        } else {
            sum += v;
        }
        if sum > best {
            best = sum;
            best_run = start..i + 1;
        }
    }
    best_run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_f1_keeps_the_likely_lines() {
        let keep = best_set(
            &[0.95, 0.1, 0.9, 0.05, 0.6],
            &[10.0, 10.0, 10.0, 10.0, 10.0],
            1.0,
            0.0,
        );
        assert_eq!(keep, [true, false, true, false, true]);
        // A shift towards removal drops the doubtful line.
        let keep = best_set(&[0.95, 0.1, 0.9, 0.05, 0.6], &[10.0; 5], 1.0, -2.0);
        assert_eq!(keep, [true, false, true, false, false]);
        assert!(best_set(&[], &[], 1.0, 0.0).is_empty());
        // Many doubtful lines add up to a large expected article and are
        // kept; sharper probabilities let them go.
        let mut probabilities = vec![0.9; 4];
        probabilities.extend([0.35; 20]);
        let soft = best_set(&probabilities, &[10.0; 24], 1.0, 0.0);
        assert!(soft.iter().all(|&k| k));
        let sharp = best_set(&probabilities, &[10.0; 24], 3.0, 0.0);
        assert_eq!(sharp.iter().filter(|&&k| k).count(), 4);
    }

    /// The expected F1 of keeping `keep`, as the decoders reckon it.
    fn value_of(probabilities: &[f32], weights: &[f32], keep: &[bool]) -> f64 {
        let (p, w) = calibrated(probabilities, weights, 1.0, 0.0);
        let total: f64 = p.iter().zip(&w).map(|(p, w)| p * w).sum();
        let (mut gain, mut mass) = (0.0, 0.0);
        for ((p, w), _) in p.iter().zip(&w).zip(keep).filter(|(_, k)| **k) {
            gain += p * w;
            mass += w;
        }
        expected_f1(gain, mass, total)
    }

    #[test]
    fn best_run_keeps_the_run_with_the_best_expected_f1() {
        // The article's run keeps its doubtful middle line and drops a
        // likely line far below it.
        let probabilities = [0.1, 0.9, 0.3, 0.9, 0.1, 0.1, 0.8];
        let keep = best_run(&probabilities, &[10.0; 7], 1.0, 0.0);
        assert_eq!(keep, [false, true, true, true, false, false, false]);
        assert_eq!(
            best_set(&probabilities, &[10.0; 7], 1.0, 0.0),
            [false, true, false, true, false, false, true]
        );
        assert!(best_run(&[], &[], 1.0, 0.0).is_empty());
        assert_eq!(best_run(&[0.1, 0.2], &[0.0, 0.0], 1.0, 0.0), [true, true]);
        // Against every run, on pseudo-random pages.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32
        };
        for n in 1..40 {
            let p: Vec<f32> = (0..n).map(|_| next()).collect();
            let w: Vec<f32> = (0..n).map(|_| (next() * 30.0).floor()).collect();
            let keep = best_run(&p, &w, 1.0, 0.0);
            let kept: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
            let (first, last) = (kept[0], kept[kept.len() - 1]);
            assert_eq!(kept.len(), last - first + 1, "one run: {keep:?}");
            let best = (0..n)
                .flat_map(|a| (a..n).map(move |b| (a, b)))
                .map(|(a, b)| {
                    let run: Vec<bool> = (0..n).map(|i| (a..=b).contains(&i)).collect();
                    value_of(&p, &w, &run)
                })
                .fold(f64::MIN, f64::max);
            if w.iter().any(|&w| w > 0.0) {
                assert!((value_of(&p, &w, &keep) - best).abs() < 1e-9, "n {n}");
            }
        }
    }

    #[test]
    fn params_round_trip_through_a_model() {
        let params = DecodeParams {
            page_shift: -0.5,
            page_scale: 2.0,
            article_threshold: 0.1,
            section_page_threshold: 0.6,
            section_article_threshold: 0.3,
            mode_threshold: 0.5,
            page_one_run: true,
        };
        let mut model = Model::default();
        params.store(&mut model);
        assert_eq!(DecodeParams::from_model(&model), Ok(params));
        assert!(logit(0.5).abs() < 1e-6);
        // A rule file's settings override the model's, one run included.
        let mut overridden = params;
        overridden.override_with(&crate::rules::BodySettings {
            page_one_run: Some(false),
            page_scale: Some(1.5),
            ..crate::rules::BodySettings::default()
        });
        assert!(!overridden.page_one_run);
        assert_eq!(overridden.page_scale, 1.5);
        assert_eq!(overridden.page_shift, params.page_shift);
    }
}
