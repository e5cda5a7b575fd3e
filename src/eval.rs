//! Evaluation: token precision, recall and F1 of cleaned text against gold
//! article bodies, as `../shared/eval/score.py` computes them.
//!
//! Tokens are runs of word characters of the lower-cased text (Python's
//! `re.findall(r"\w+", text.lower())`); a document's precision and recall
//! compare the two multisets of tokens; corpus figures are macro averages
//! over documents. Rust's `char::is_alphanumeric` stands for Python's `\w`
//! (they differ only on combining marks of a few scripts, e.g. Devanagari
//! vowel signs).

use std::collections::HashMap;

/// Precision, recall and F1 of one document or a corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Score {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

/// Lower-cased word tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !is_word_char(c))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Token counts of `text`.
pub fn bag(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for t in tokens(text) {
        *counts.entry(t).or_insert(0) += 1;
    }
    counts
}

/// Scores `pred` against `gold` with the conventions of score.py: both
/// empty → 1/1/1; gold empty, pred not → P 0, R 1, F1 0; pred empty → 0/0/0.
pub fn score(pred: &str, gold: &str) -> Score {
    score_bags(&bag(pred), &bag(gold))
}

/// Scores two token bags.
pub fn score_bags(pred: &HashMap<String, usize>, gold: &HashMap<String, usize>) -> Score {
    let n_pred: usize = pred.values().sum();
    let n_gold: usize = gold.values().sum();
    if n_gold == 0 {
        let p = if n_pred == 0 { 1.0 } else { 0.0 };
        return Score { p, r: 1.0, f1: p };
    }
    if n_pred == 0 {
        return Score::default();
    }
    let shared: usize = pred
        .iter()
        .map(|(t, n)| (*n).min(gold.get(t).copied().unwrap_or(0)))
        .sum();
    let p = shared as f64 / n_pred as f64;
    let r = shared as f64 / n_gold as f64;
    let f1 = if shared == 0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Score { p, r, f1 }
}

/// The macro average of document scores.
pub fn macro_average(scores: &[Score]) -> Score {
    if scores.is_empty() {
        return Score::default();
    }
    let n = scores.len() as f64;
    Score {
        p: scores.iter().map(|s| s.p).sum::<f64>() / n,
        r: scores.iter().map(|s| s.r).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
    }
}

/// The share of `text`'s tokens that are in `reference` (counting each
/// reference token once per occurrence).
pub fn overlap(text: &str, reference: &HashMap<String, usize>) -> f64 {
    let bag = bag(text);
    let total: usize = bag.values().sum();
    if total == 0 {
        return 0.0;
    }
    let shared: usize = bag
        .iter()
        .map(|(t, n)| (*n).min(reference.get(t).copied().unwrap_or(0)))
        .sum();
    shared as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercased_word_runs() {
        assert_eq!(
            tokens("Hello, World! it's 2019_x"),
            ["hello", "world", "it", "s", "2019_x"]
        );
        assert_eq!(tokens("Привет мир"), ["привет", "мир"]);
    }

    #[test]
    fn scores_follow_score_py_conventions() {
        assert_eq!(
            score("", ""),
            Score {
                p: 1.0,
                r: 1.0,
                f1: 1.0
            }
        );
        assert_eq!(
            score("a", ""),
            Score {
                p: 0.0,
                r: 1.0,
                f1: 0.0
            }
        );
        assert_eq!(score("", "a"), Score::default());
        let s = score("a a b c", "a b b");
        assert!((s.p - 0.5).abs() < 1e-12 && (s.r - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.f1 - 4.0 / 7.0).abs() < 1e-12);
    }
}
