//! Body detection: find the article in whole-page text by the shape of its
//! lines, and remove the menus, sidebars, tag clouds and footers around it.
//!
//! # Why this design
//!
//! Page text (everything visible on a web page, one block per line) puts the
//! article among hundreds of short navigation lines. Rules cannot name every
//! menu, but menus and articles have different shapes: articles are runs of
//! long lines that end like sentences; menus are runs of short fragments.
//! Measured on the development corpus, a page's article body is nearly
//! always one contiguous run of lines, so the task is to find its start and
//! end.
//!
//! 1. **Gate.** The pass runs only on page-like documents: at least
//!    `min_menu_share` of the lines, and `min_menu_lines` of them, are
//!    menu-like (short, no terminal punctuation, not a list item) or were
//!    removed by rules (which keeps the gate stable when clean output is
//!    cleaned again). Article text (an extractor's output)
//!    rarely is, and is left to the rules.
//! 2. **Score.** Each kept line scores its length in language-free word units
//!    minus `line_target_words`, plus `sentence_bonus` if it ends like a
//!    sentence (in any script), minus `fragment_penalty` if not; short lines
//!    printed more than once in the page lose `repeat_penalty`; tag clouds
//!    (long lines with no punctuation at all) score strongly negative. No
//!    stopword lists: teasers and comments are prose too, and the shape must
//!    work in Japanese as in English.
//! 3. **Choose.** The maximal-scoring regions (Ruzzo–Tompa, linear time) are
//!    candidates; the body is the *earliest* region scoring at least
//!    `earliest_share` of the best one, because teaser lists and comment
//!    threads after the article often outscore it.
//! 4. **Extend.** Lists inside articles (steps, products, bullet points) are
//!    short lines that score like menus, so the chosen region is extended in
//!    both directions until a barrier: `barrier_lines` fragments in a row
//!    (short lines that neither end like a sentence nor are list items: menus,
//!    teaser headlines with their dates), a tag cloud, a short repeated line,
//!    or a line that starts a rule section (comments, related posts).
//!
//! Lines outside the body are removed with ids that say why: `shape.menu`
//! (menu-like), `shape.cloud` (tag cloud), `shape.repeated` (printed more
//! than once) and `shape.edge` (any other line outside the body).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use crate::dedup::Identity;
use crate::engine::Doc;
use crate::rules::{Action, ShapeSettings};

/// The prefix of the ids of body detection's removals.
pub const SHAPE_PREFIX: &str = "shape.";
/// Id of removals of menu-like lines outside the body.
pub const SHAPE_MENU: &str = "shape.menu";
/// Id of removals of tag clouds outside the body.
pub const SHAPE_CLOUD: &str = "shape.cloud";
/// Id of removals of repeated lines outside the body.
pub const SHAPE_REPEATED: &str = "shape.repeated";
/// Id of removals of other lines outside the body.
pub const SHAPE_EDGE: &str = "shape.edge";

/// Characters that end a sentence or a quoted sentence, in several scripts.
const SENTENCE_END: &[char] = &[
    '.', '!', '?', '…', '"', '\'', '”', '’', '»', ')', ':', '。', '！', '？', '」', '』', '）', '؟',
];

/// Punctuation that prose has and tag clouds lack.
const ANY_PUNCTUATION: &[char] = &[
    '.', ',', ';', ':', '!', '?', '。', '，', '、', '！', '？', '؛', '،',
];

/// What body detection found.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's line range (indices of the document's lines).
    pub lines: Range<usize>,
    /// The chosen region before it was extended: the heart of the article.
    pub core: Range<usize>,
    /// The best-scoring region, kept if everything else would be removed.
    pub best: Range<usize>,
    /// The shapes of the lines the body was chosen among.
    shapes: Vec<Shape>,
}

/// The shape of one kept line.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Index of the line in the document.
    line: usize,
    menu: bool,
    /// A short line that does not end like a sentence (see `barrier_lines`).
    fragment: bool,
    cloud: bool,
    repeated: bool,
    score: f64,
}

/// Finds the article body of a page-like document, or `None` when the
/// document does not look like a whole page. `barrier[i]` marks lines that
/// start a rule section; the body is not extended across them.
///
/// `repeats()` marks lines that repeat earlier text (it is called only for
/// page-like documents): they score nothing, so a second copy of the article
/// cannot stretch the body over what lies between.
pub(crate) fn detect_body(
    doc: &Doc,
    settings: &ShapeSettings,
    barrier: &[bool],
    repeats: impl FnOnce() -> Vec<bool>,
) -> Option<Body> {
    if !page_like(doc, settings) {
        return None;
    }
    let repeat = repeats();
    let mut shapes = shapes(doc, settings);
    for s in &mut shapes {
        if repeat.get(s.line).copied().unwrap_or(false) {
            s.score = 0.0;
        }
    }
    let scores: Vec<f64> = shapes.iter().map(|s| s.score).collect();
    let regions = maximal_regions(&scores);
    let best_score = regions.iter().map(|r| r.score).fold(f64::MIN, f64::max);
    let best = regions.iter().find(|r| r.score == best_score)?;
    let chosen = regions
        .iter()
        .find(|r| r.score >= settings.earliest_share * best_score)?;
    let (mut start, mut end) = (chosen.range.start, chosen.range.end);
    let stops = |k: usize| {
        let s = &shapes[k];
        s.cloud || s.repeated || barrier.get(s.line).copied().unwrap_or(false)
    };
    let fragment_run = |k: usize, forward: bool| {
        let run = settings.barrier_lines as usize;
        let window: Vec<usize> = if forward {
            (k..shapes.len()).take(run).collect()
        } else {
            (0..=k).rev().take(run).collect()
        };
        window.len() == run && window.iter().all(|&j| shapes[j].fragment)
    };
    while end < shapes.len() && !stops(end) && !fragment_run(end, true) {
        end += 1;
    }
    while start > 0 && !stops(start - 1) && !fragment_run(start - 1, false) {
        start -= 1;
    }
    let lines = |r: Range<usize>| shapes[r.start].line..shapes[r.end - 1].line + 1;
    Some(Body {
        lines: lines(start..end),
        core: lines(chosen.range.clone()),
        best: lines(best.range.clone()),
        shapes,
    })
}

/// The gate: enough menu-like lines, in share and in number. Lines this
/// round's rules removed count as menu-like: cleaning only ever removes
/// lines, so a document that is not page-like stays so when cleaned again.
fn page_like(doc: &Doc, settings: &ShapeSettings) -> bool {
    let (mut lines, mut menus) = (0usize, 0usize);
    for i in (0..doc.seg.lines.len()).filter(|&i| doc.present_content(i)) {
        lines += 1;
        if !doc.is_kept_content(i) {
            menus += 1;
            continue;
        }
        let text = doc.kept_text(i);
        if doc.words(i) <= settings.menu_max_words
            && !ends_like_sentence(&text)
            && !is_list_item(&text)
        {
            menus += 1;
        }
    }
    menus >= settings.min_menu_lines as usize
        && menus as f64 >= settings.min_menu_share * lines as f64
}

/// Removes the kept lines outside the body, each with the id of its shape.
pub(crate) fn claim_outside(doc: &mut Doc, body: &Body) {
    for s in &body.shapes {
        if body.lines.contains(&s.line) {
            continue;
        }
        let id = if s.cloud {
            SHAPE_CLOUD
        } else if s.menu {
            SHAPE_MENU
        } else if s.repeated {
            SHAPE_REPEATED
        } else {
            SHAPE_EDGE
        };
        doc.claim(id, Action::DropLine, s.line..s.line + 1);
    }
}

/// The shapes of the kept, non-blank lines.
fn shapes(doc: &Doc, settings: &ShapeSettings) -> Vec<Shape> {
    let kept: Vec<usize> = doc.kept_lines().collect();
    let mut counts: HashMap<u64, u32, BuildHasherDefault<Identity>> =
        HashMap::with_capacity_and_hasher(kept.len(), BuildHasherDefault::default());
    // Only short lines count as repeated, and a line repeats only lines of
    // its own length: longer lines need no key.
    let repeat_max_words = 2 * settings.menu_max_words;
    let keys: Vec<Option<u64>> = kept
        .iter()
        .map(|&i| {
            let candidate = doc.words(i) <= repeat_max_words && !doc.word_hashes(i).is_empty();
            candidate.then(|| doc.line_key(i))
        })
        .collect();
    for key in keys.iter().flatten() {
        *counts.entry(*key).or_insert(0) += 1;
    }
    kept.iter()
        .zip(&keys)
        .map(|(&i, key)| {
            let text = doc.kept_text(i);
            let words = doc.words(i);
            let sentence = ends_like_sentence(&text);
            let list = is_list_item(&text);
            let menu = words <= settings.menu_max_words && !sentence && !list;
            let fragment = words <= settings.barrier_max_words && !sentence && !list;
            let cloud = words >= settings.cloud_min_words && !text.contains(ANY_PUNCTUATION);
            let repeated = key.and_then(|k| counts.get(&k)).is_some_and(|&n| n > 1);
            let mut score = f64::from(words) - settings.line_target_words;
            score += if sentence {
                settings.sentence_bonus
            } else {
                -settings.fragment_penalty
            };
            if repeated {
                score -= settings.repeat_penalty;
            }
            if cloud {
                score = -f64::from(words);
            }
            Shape {
                line: i,
                menu,
                fragment,
                cloud,
                repeated,
                score,
            }
        })
        .collect()
}

/// True when `text` ends like a sentence: with terminal punctuation, but not
/// with a count in brackets ("Software (71)", "2019年11月 (3)"), the mark of
/// category and archive menus in every language.
fn ends_like_sentence(text: &str) -> bool {
    if !text.ends_with(SENTENCE_END) {
        return false;
    }
    let count = text
        .strip_suffix(')')
        .and_then(|t| t.trim_end().rsplit_once('('))
        .or_else(|| {
            text.strip_suffix('）')
                .and_then(|t| t.trim_end().rsplit_once('（'))
        });
    !count.is_some_and(|(_, n)| {
        let n = n.trim();
        !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit() || b == b',')
    })
}

/// True for bullet and numbered list items (`- x`, `• x`, `1) x`, `2. x`)
/// and table rows (`| a | b |`): the structure of article content, however
/// short the lines.
pub(crate) fn is_list_item(text: &str) -> bool {
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

/// A maximal-scoring region of a score sequence.
#[derive(Debug, Clone, PartialEq)]
struct Region {
    range: Range<usize>,
    score: f64,
}

/// All maximal-scoring disjoint regions of `scores`, in order (Ruzzo and
/// Tompa, 1999). Each candidate keeps a link to the nearest earlier candidate
/// with a smaller left cumulative sum, so the searches are amortised linear.
fn maximal_regions(scores: &[f64]) -> Vec<Region> {
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
                if list[t].left < candidate.left {
                    break;
                }
                j = list[t].smaller;
            }
            match j {
                Some(t) if list[t].right < candidate.right => {
                    candidate = Candidate {
                        start: list[t].start,
                        left: list[t].left,
                        smaller: list[t].smaller,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximal_regions_match_the_definition() {
        // Ruzzo–Tompa's example: regions [4, -5, 3, -3, 1, 2, -2, 2, -2, 1, 5].
        let scores = [4.0, -5.0, 3.0, -3.0, 1.0, 2.0, -2.0, 2.0, -2.0, 1.0, 5.0];
        let regions: Vec<(Range<usize>, f64)> = maximal_regions(&scores)
            .into_iter()
            .map(|r| (r.range, r.score))
            .collect();
        assert_eq!(regions, vec![(0..1, 4.0), (2..3, 3.0), (4..11, 7.0)]);
        assert!(maximal_regions(&[-1.0, -2.0]).is_empty());
        assert!(maximal_regions(&[]).is_empty());
    }

    #[test]
    fn counts_in_brackets_do_not_end_sentences() {
        assert!(!ends_like_sentence("Software (71)"));
        assert!(!ends_like_sentence("2019年11月 （3）"));
        assert!(!ends_like_sentence("Archives (1,204)"));
        assert!(!ends_like_sentence("Menu"));
        assert!(ends_like_sentence("The report was withdrawn (on Monday)"));
        assert!(ends_like_sentence("It rained all day."));
        assert!(ends_like_sentence("He said (twice)"));
        assert!(ends_like_sentence("()"));
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- Bugs fixed"));
        assert!(is_list_item("• Swim proof"));
        assert!(is_list_item("12) Roger Waters – The Wall"));
        assert!(is_list_item("3. Preheat the oven"));
        assert!(is_list_item("| Pos | Player | Plays |"));
        assert!(is_list_item("|---|---|"));
        assert!(!is_list_item("2019 was a good year"));
        assert!(!is_list_item("-5 degrees"));
    }
}
