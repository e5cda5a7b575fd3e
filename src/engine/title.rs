//! Title: the headline printed twice is kept once, a page's `<title>` line
//! ("Headline | Site") gives the title and the source, and a first line
//! that reads as a headline becomes the title.

use crate::dedup::{same_words, word_hashes};
use crate::metadata::{is_headline, split_site};
use crate::rules::{Action, Settings};

use super::BODY_PREFIX;
use super::doc::Doc;

/// Removes kept lines that repeat the first kept line right after it.
/// Returns true when the first line was repeated.
pub(crate) fn duplicate_title(doc: &mut Doc, id: &'static str) -> bool {
    let mut kept = doc.kept_lines();
    let Some(first) = kept.next() else {
        return false;
    };
    let title = doc.kept_text(first);
    if word_hashes(&title).next().is_none() {
        return false;
    }
    let repeats: Vec<usize> = kept
        .take_while(|&i| same_words(&doc.kept_text(i), &title))
        .collect();
    for &i in &repeats {
        doc.claim(id, Action::DropLine, i..i + 1);
    }
    !repeats.is_empty()
}

/// For a page: if its first line was removed by the line model (not by a
/// rule) and reads "Headline | Site" or as a headline, it is
/// given back to become the title, with the site name cut off. Returns the
/// site name, for `source`.
pub(crate) fn page_title<'c>(
    doc: &mut Doc<'_, 'c>,
    id: &'c str,
    settings: &Settings,
) -> Option<String> {
    let first = (0..doc.seg.lines.len()).find(|&i| doc.is_nonblank(i))?;
    let by_model = doc
        .claim_of(first)
        .is_some_and(|c| c.id.starts_with(BODY_PREFIX));
    if !by_model {
        return None;
    }
    let content = doc.seg.lines.get(first)?.content.clone();
    let text = doc.text.get(content.clone())?;
    let split = split_site(text);
    let headline = split.map_or(text, |(at, _)| text.get(..at).unwrap_or(text));
    if !is_headline(headline, settings) {
        return None;
    }
    if let Some(o) = doc.owner.get_mut(first) {
        *o = None;
    }
    let (at, site) = split?;
    let site = site.to_string();
    doc.cut(id, first, content.start + at..content.end);
    Some(site)
}

/// The index of the title line: the first kept line, if it reads as a
/// headline (or was repeated) and more text follows it.
pub(crate) fn find_title(doc: &Doc, repeated: bool, settings: &Settings) -> Option<usize> {
    let mut kept = doc.kept_lines();
    let first = kept.next()?;
    kept.next()?;
    let text = doc.kept_text(first);
    (repeated || is_headline(&text, settings)).then_some(first)
}
