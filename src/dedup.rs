//! Structural passes over repeats: a headline printed twice, paragraphs
//! printed twice.
//!
//! Both compare text after [`normalize`]: case, white space, quotes and other
//! punctuation are ignored, so `“Title”` repeats `Title`. They only ever look
//! at lines the rules kept, and only ever remove later copies.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::engine::Doc;
use crate::heuristics::is_list_item;
use crate::rules::Action;
use crate::segment::word_units;

/// Letters and digits of `s`, lower-cased, words separated by one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Removes kept lines that repeat the first kept line right after it.
/// Returns true when the first line was repeated.
pub(crate) fn duplicate_title(doc: &mut Doc, id: &'static str) -> bool {
    let mut kept = doc.kept_lines();
    let Some(first) = kept.next() else {
        return false;
    };
    let key = normalize(&doc.kept_text(first));
    if key.is_empty() {
        return false;
    }
    let repeats: Vec<usize> = kept
        .take_while(|&i| normalize(&doc.kept_text(i)) == key)
        .collect();
    for &i in &repeats {
        doc.claim(id, Action::DropLine, i..i + 1);
    }
    !repeats.is_empty()
}

/// Removes every block whose kept text repeats an earlier block's, if it has
/// at least `min_words` words. List items and table rows are left alone:
/// products and interview answers repeat their bullet points on purpose.
pub(crate) fn duplicate_paragraphs(doc: &mut Doc, id: &'static str, min_words: u32) {
    let mut seen = HashSet::new();
    for b in 0..doc.seg.blocks.len() {
        let Some(range) = doc.seg.blocks.get(b).cloned() else {
            continue;
        };
        let kept: Vec<usize> = range.filter(|&i| doc.is_kept_content(i)).collect();
        if kept.is_empty() || kept.iter().any(|&i| is_list_item(&doc.kept_text(i))) {
            continue;
        }
        let joined: Vec<String> = kept
            .iter()
            .map(|&i| doc.kept_text(i).into_owned())
            .collect();
        let joined = joined.join(" ");
        if word_units(&joined) < min_words {
            continue;
        }
        let mut hasher = DefaultHasher::new();
        normalize(&joined).hash(&mut hasher);
        if !seen.insert(hasher.finish()) {
            for i in kept {
                doc.claim(id, Action::DropBlock, i..i + 1);
            }
        }
    }
}

/// Words per shingle for [`repeated_lines`].
const SHINGLE: usize = 4;

/// For each line, whether it is kept, has at least `min_words` words, and
/// at least `share` of its four-word shingles already appeared in earlier
/// kept lines: a repeat of text printed before, such as a page's
/// structured-data copy of the whole article in one line.
pub(crate) fn repeated_lines(doc: &Doc, min_words: u32, share: f64) -> Vec<bool> {
    let mut seen: HashSet<u64> = HashSet::new();
    let mut repeated = vec![false; doc.seg.lines.len()];
    for i in doc.kept_lines().collect::<Vec<_>>() {
        let normalized = normalize(&doc.kept_text(i));
        let words: Vec<&str> = normalized.split(' ').collect();
        let shingles: Vec<u64> = words
            .windows(SHINGLE)
            .map(|w| {
                let mut hasher = DefaultHasher::new();
                w.hash(&mut hasher);
                hasher.finish()
            })
            .collect();
        if shingles.is_empty() {
            continue;
        }
        let known = shingles.iter().filter(|h| seen.contains(*h)).count();
        if words.len() >= min_words as usize
            && known as f64 >= share * shingles.len() as f64
            && let Some(r) = repeated.get_mut(i)
        {
            *r = true;
        }
        seen.extend(shingles);
    }
    repeated
}

/// Removes the kept lines [`repeated_lines`] marks.
pub(crate) fn repeated_text(doc: &mut Doc, id: &'static str, min_words: u32, share: f64) {
    for (i, repeated) in repeated_lines(doc, min_words, share)
        .into_iter()
        .enumerate()
    {
        if repeated {
            doc.claim(id, Action::DropLine, i..i + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_case_quotes_and_spaces() {
        assert_eq!(
            normalize("“Title  of the Day”"),
            normalize("title of the day")
        );
        assert_eq!(normalize("  "), "");
        assert_ne!(normalize("a b"), normalize("ab"));
    }
}
