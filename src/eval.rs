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

use crate::text::fold;
pub use crate::text::tokens;

/// Precision, recall and F1 of one document or a corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Score {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1, the harmonic mean of the two.
    pub f1: f64,
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

/// What a corpus says about a page besides its body (`<id>.meta.json`):
/// the title, author and publication date, and snippets the body must keep
/// (`with`) and must drop (`without`).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct GoldMeta {
    /// The title.
    pub title: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// The publication date.
    pub publish_date: Option<String>,
    /// Snippets the body must keep.
    pub with: Vec<String>,
    /// Snippets the body must drop.
    pub without: Vec<String>,
    /// The kind of page (article, listing, ...).
    pub page_type: Option<String>,
}

impl GoldMeta {
    /// Parses a `meta.json`; fields it lacks are empty.
    ///
    /// # Errors
    ///
    /// The JSON error when `json` is not a meta.json object.
    pub fn from_json(json: &str) -> Result<GoldMeta, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// The `YYYY-MM-DD` a date value starts with, if any.
pub fn date_key(value: &str) -> Option<&str> {
    let key = value.get(..10)?;
    let b = key.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    (digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    .then_some(key)
}

/// How one document's metadata and snippets compare with the gold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MetaScore {
    /// Whether the value is right, for fields the gold has (`None` when
    /// the gold has no value).
    pub title: Option<bool>,
    /// Whether the author is right.
    pub author: Option<bool>,
    /// Whether the publication date is right.
    pub published: Option<bool>,
    /// Fields the gold lacks that pith gave anyway.
    pub spurious: u32,
    /// `with` snippets found in the body, of how many.
    pub kept: (u32, u32),
    /// `without` snippets absent from the body, of how many.
    pub dropped: (u32, u32),
}

/// Scores metadata values (compared after folding case and punctuation; dates by their
/// `YYYY-MM-DD`) and the snippets against a body.
pub fn score_meta(
    gold: &GoldMeta,
    title: Option<&str>,
    author: Option<&str>,
    published: Option<&str>,
    body: &str,
) -> MetaScore {
    let mut spurious = 0;
    let mut field = |gold: Option<&str>, pred: Option<&str>, same: &dyn Fn(&str, &str) -> bool| {
        if let Some(g) = gold.filter(|g| !g.trim().is_empty()) {
            Some(pred.is_some_and(|p| same(p, g)))
        } else {
            spurious += u32::from(pred.is_some());
            None
        }
    };
    let text_equal = |p: &str, g: &str| fold(p) == fold(g);
    let date_equal = |p: &str, g: &str| date_key(p).is_some() && date_key(p) == date_key(g);
    let title = field(gold.title.as_deref(), title, &text_equal);
    let author = field(gold.author.as_deref(), author, &text_equal);
    let published = field(gold.publish_date.as_deref(), published, &date_equal);
    let folded_body = fold(body);
    let found = |snippet: &String| {
        let s = fold(snippet);
        !s.is_empty() && folded_body.contains(&s)
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    MetaScore {
        title,
        author,
        published,
        spurious,
        kept: (
            count(gold.with.iter().filter(|s| found(s)).count()),
            count(gold.with.len()),
        ),
        dropped: (
            count(gold.without.iter().filter(|s| !found(s)).count()),
            count(gold.without.len()),
        ),
    }
}

/// Metadata accuracy over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct MetaSummary {
    /// Share right of the documents whose gold has a title (and how many have one).
    pub title: (f64, u32),
    /// Share right of the documents whose gold has an author (and how many have one).
    pub author: (f64, u32),
    /// Share right of the documents whose gold has a date (and how many have one).
    pub published: (f64, u32),
    /// Share of `with` snippets kept and of `without` snippets dropped.
    pub kept: f64,
    /// Share of `without` snippets dropped.
    pub dropped: f64,
}

/// Sums document metadata scores.
pub fn summarise_meta(scores: &[MetaScore]) -> MetaSummary {
    let share = |f: &dyn Fn(&MetaScore) -> Option<bool>| {
        let known: Vec<bool> = scores.iter().filter_map(f).collect();
        let n = u32::try_from(known.len()).unwrap_or(u32::MAX);
        let right = known.iter().filter(|&&b| b).count();
        (
            if known.is_empty() {
                0.0
            } else {
                right as f64 / known.len() as f64
            },
            n,
        )
    };
    let ratio = |f: &dyn Fn(&MetaScore) -> (u32, u32)| {
        let (a, b) = scores.iter().map(f).fold((0u64, 0u64), |acc, (x, y)| {
            (acc.0 + u64::from(x), acc.1 + u64::from(y))
        });
        if b == 0 { 0.0 } else { a as f64 / b as f64 }
    };
    MetaSummary {
        title: share(&|s| s.title),
        author: share(&|s| s.author),
        published: share(&|s| s.published),
        kept: ratio(&|s| s.kept),
        dropped: ratio(&|s| s.dropped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_compares_folded_values_and_dates() {
        let gold = GoldMeta {
            title: Some("5 Trends from Nutrition 2025".into()),
            author: Some("Dylan Bailey, MS, RD".into()),
            publish_date: Some("2025-06-04".into()),
            with: vec!["brought together leading experts".into()],
            without: vec!["Join now".into(), "15 Comments".into()],
            page_type: None,
        };
        let s = score_meta(
            &gold,
            Some("5 trends from Nutrition 2025!"),
            Some("Dylan Bailey"),
            Some("2025-06-04T10:00"),
            "It brought together   leading experts. Join now",
        );
        assert_eq!(s.title, Some(true));
        assert_eq!(s.author, Some(false));
        assert_eq!(s.published, Some(true));
        assert_eq!(s.kept, (1, 1));
        assert_eq!(s.dropped, (1, 2));
        let none = score_meta(&GoldMeta::default(), Some("x"), None, None, "");
        assert_eq!((none.title, none.spurious), (None, 1));
        let summary = summarise_meta(&[s, none]);
        assert_eq!(summary.title, (1.0, 1));
        assert_eq!(summary.author, (0.0, 1));
        assert_eq!(summary.dropped, 0.5);
        assert_eq!(date_key("2025-06-04T10"), Some("2025-06-04"));
        assert_eq!(date_key("June 4, 2025"), None);
    }

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
