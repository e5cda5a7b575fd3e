//! Decode: turn the line model's scores into keep/remove decisions for the
//! whole sequence at once, and tell a whole page from an extracted article.
//!
//! Each line's margin is its log-odds of being article text minus the
//! log-odds of the threshold that applies to it: whole-page text and
//! already-extracted article text get different thresholds (an article
//! loses a line only when the model is confident), and so do lines inside a
//! rule's section (a comment section, "Related posts"), where the rule's
//! evidence already counts. The decoder keeps the set of lines that
//! maximises the summed margins of the kept lines minus a penalty for each
//! switch between kept and removed runs (a two-state Viterbi pass): with no
//! penalty this is a plain threshold, with one an isolated line does not
//! flip against its neighbours. The thresholds and the penalty are chosen
//! by `pith train` on inner cross-validation folds and stored in the model.

use crate::model::{Model, ModelError};

/// How cautious cleaning is: a whole page, or text an extractor already
/// made into an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
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
}

/// The decoder's settings, stored as parameters in the model file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeParams {
    /// In a page, a line outside rule sections goes when its probability
    /// of being article text is below this.
    pub page_threshold: f32,
    /// The same in an article.
    pub article_threshold: f32,
    /// In a page, a line inside a rule's section goes below this.
    pub section_page_threshold: f32,
    /// The same in an article.
    pub section_article_threshold: f32,
    /// A document is a page when the mode model's probability is at least this.
    pub mode_threshold: f32,
    /// The cost of switching between kept and removed, in log-odds.
    pub switch_penalty: f32,
}

/// The names of [`DecodeParams`]' fields in a model file.
pub const PARAM_NAMES: [&str; 6] = [
    "page_threshold",
    "article_threshold",
    "section_page_threshold",
    "section_article_threshold",
    "mode_threshold",
    "switch_penalty",
];

impl DecodeParams {
    /// Reads the parameters from a model.
    pub fn from_model(model: &Model) -> Result<DecodeParams, ModelError> {
        let p = |name: &str| model.param(name).map(|v| v as f32);
        Ok(DecodeParams {
            page_threshold: p(PARAM_NAMES[0])?,
            article_threshold: p(PARAM_NAMES[1])?,
            section_page_threshold: p(PARAM_NAMES[2])?,
            section_article_threshold: p(PARAM_NAMES[3])?,
            mode_threshold: p(PARAM_NAMES[4])?,
            switch_penalty: p(PARAM_NAMES[5])?,
        })
    }

    /// Writes the parameters into a model.
    pub fn store(&self, model: &mut Model) {
        let values = [
            self.page_threshold,
            self.article_threshold,
            self.section_page_threshold,
            self.section_article_threshold,
            self.mode_threshold,
            self.switch_penalty,
        ];
        for (name, value) in PARAM_NAMES.iter().zip(values) {
            model.params.insert(name.to_string(), f64::from(value));
        }
    }

    /// Replaces the settings a rule file's `[settings.body]` gives.
    pub fn override_with(&mut self, body: &crate::rules::BodySettings) {
        let pairs = [
            (&mut self.page_threshold, body.page_threshold),
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
            (&mut self.switch_penalty, body.switch_penalty),
        ];
        for (slot, value) in pairs {
            if let Some(v) = value {
                *slot = v;
            }
        }
    }

    /// The threshold for a line, by mode and whether a rule section covers it.
    pub fn threshold(&self, page: bool, in_section: bool) -> f32 {
        match (page, in_section) {
            (true, false) => self.page_threshold,
            (false, false) => self.article_threshold,
            (true, true) => self.section_page_threshold,
            (false, true) => self.section_article_threshold,
        }
    }
}

/// The log-odds of probability `p`, bounded.
pub fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// Decides which lines to keep: `margins[k]` is line `k`'s log-odds of
/// article text minus its threshold's. Returns one `keep` per line.
pub fn decode(margins: &[f32], switch_penalty: f32) -> Vec<bool> {
    if switch_penalty <= 0.0 {
        return margins.iter().map(|&m| m >= 0.0).collect();
    }
    // best[s]: the best total ending in state s (0 removed, 1 kept).
    let n = margins.len();
    let mut from = vec![[0u8; 2]; n];
    let mut best = [0.0f32; 2];
    for (k, &m) in margins.iter().enumerate() {
        let mut next = [0.0f32; 2];
        for (s, gain) in [(0usize, 0.0f32), (1, m)] {
            let stay = best[s];
            let switch = best[1 - s] - if k > 0 { switch_penalty } else { 0.0 };
            let (total, prev) = if stay >= switch {
                (stay, s)
            } else {
                (switch, 1 - s)
            };
            next[s] = total + gain;
            if let Some(f) = from.get_mut(k) {
                f[s] = prev as u8;
            }
        }
        best = next;
    }
    let mut state = usize::from(best[1] >= best[0]);
    let mut keep = vec![false; n];
    for k in (0..n).rev() {
        if let Some(slot) = keep.get_mut(k) {
            *slot = state == 1;
        }
        state = from.get(k).map_or(state, |f| usize::from(f[state]));
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_penalty_decoding_is_a_threshold() {
        assert_eq!(
            decode(&[1.0, -0.5, 0.0, -2.0], 0.0),
            [true, false, true, false]
        );
        assert!(decode(&[], 1.0).is_empty());
    }

    #[test]
    fn a_penalty_smooths_isolated_flips() {
        let margins = [3.0, 3.0, -0.5, 3.0, -4.0, -4.0, 0.5, -4.0];
        assert_eq!(
            decode(&margins, 1.0),
            [true, true, true, true, false, false, false, false]
        );
        // A strong line still stands alone.
        assert_eq!(decode(&[-3.0, 5.0, -3.0], 1.0), [false, true, false]);
    }

    #[test]
    fn params_round_trip_through_a_model() {
        let params = DecodeParams {
            page_threshold: 0.5,
            article_threshold: 0.1,
            section_page_threshold: 0.6,
            section_article_threshold: 0.3,
            mode_threshold: 0.5,
            switch_penalty: 0.0,
        };
        let mut model = Model::default();
        params.store(&mut model);
        assert_eq!(DecodeParams::from_model(&model), Ok(params));
        assert!(logit(0.5).abs() < 1e-6);
    }
}
