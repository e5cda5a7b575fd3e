//! Title: the headline printed twice is kept once, a page's `<title>` line
//! ("Headline | Site") gives the title and the source, and a first line
//! that reads as a headline becomes the title.

use crate::dedup::{same_words, word_hashes};
use crate::eval::fold;
use crate::metadata::candidates::Variant;
use crate::metadata::{is_headline, split_site};
use crate::rules::{Action, Settings};

use super::doc::Doc;
use super::{BODY_PREFIX, Picked};

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

/// Makes the title model's pick the title line, when it is the first line
/// of the output or comes before it: a line the line model removed before
/// the body is given back, and a site name the pick leaves out is cut off
/// (recorded as a trim). Returns the title line and the site name cut.
pub(crate) fn place_title<'c>(
    doc: &mut Doc<'_, 'c>,
    id: &'c str,
    pick: &Picked,
) -> (Option<usize>, Option<String>) {
    let i = pick.line;
    let first_kept = doc.kept_lines().next();
    if first_kept.is_some_and(|f| f < i) {
        return (None, None);
    }
    let by_model = doc
        .claim_of(i)
        .is_some_and(|c| c.id.starts_with(BODY_PREFIX));
    if by_model && let Some(o) = doc.owner.get_mut(i) {
        *o = None;
    }
    if doc.kept_lines().next() != Some(i) {
        return (None, None);
    }
    let mut site = None;
    if pick.variant == Variant::SiteCut
        && let Some(content) = doc.seg.lines.get(i).map(|l| l.content.clone())
        && let Some(rest) = doc
            .text
            .get(content.clone())
            .and_then(|t| t.strip_prefix(pick.value.as_str()))
        && !rest.trim().is_empty()
    {
        doc.cut(id, i, content.start + pick.value.len()..content.end);
        site = pick.site.clone();
    }
    let same = fold(&doc.kept_text(i)) == fold(&pick.value);
    (same.then_some(i), site.filter(|_| same))
}

/// The site name of a page whose first line reads "Title | Site" with the
/// title chosen: the page's `<title>`, which names the site.
pub(crate) fn site_of_first_line(doc: &Doc, title: &str) -> Option<String> {
    let first = (0..doc.seg.lines.len()).find(|&i| doc.is_nonblank(i))?;
    let text = doc.seg.content(doc.text, first);
    let (at, site) = split_site(text)?;
    let headline = text.get(..at)?;
    (fold(headline) == fold(title)).then(|| site.trim().to_string())
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
