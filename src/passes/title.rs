//! Title: the headline printed twice is kept once, a page's `<title>` line
//! ("Headline | Site") gives the title and the source, and a first line
//! that reads as a headline becomes the title.

use crate::doc::Doc;
use crate::metadata::candidates::Variant;
use crate::metadata::{Picked, is_headline, split_site};
use crate::rules::{Action, Settings};
use crate::text::fold;
use crate::text::{same_words, word_hashes};
use crate::segment::Line;

use super::BODY_PREFIX;

/// Removes kept lines that repeat the first kept line right after it.
/// Returns true when the first line was repeated.
pub(super) fn duplicate_title(doc: &mut Doc, id: &'static str) -> bool {
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

/// Gives the title ranker's pick back to the text when the line model
/// removed it and it comes before the first kept line (a page's title or
/// headline above the article), cutting off the site name the pick leaves
/// out (recorded as a trim). A line the model removed further up that
/// reads the same as the pick is given back in its place: the title
/// printed above its headline, which a fresh pass over the output (where
/// that line is the title) gives back. Runs in every round, so the next
/// round sees the title as a fresh document would. The line given back must
/// be able to become the title line (a headline with no other headline
/// right after it, see [`title_line`]): kept in the body instead, a fresh
/// pass over the output could pick another title and let it go.
pub(super) fn give_back_title<'c>(
    doc: &mut Doc<'_, 'c>,
    id: &'c str,
    pick: &Picked,
    settings: &Settings,
) {
    let by_model = |doc: &Doc, i: usize| {
        doc.present(i)
            && doc
                .claim_of(i)
                .is_some_and(|c| c.id.starts_with(BODY_PREFIX))
    };
    // Only a line above the first kept one can be given back.
    let first_kept = doc.kept_lines().next().unwrap_or(usize::MAX);
    let i = (0..pick.line.min(first_kept))
        .find(|&i| by_model(doc, i) && same_words(&doc.kept_text(i), &pick.value))
        .unwrap_or(pick.line);
    if first_kept <= i || !by_model(doc, i) {
        return;
    }
    // Given back, it must read as a headline, and the line after it that
    // does not repeat it (the duplicate-title pass takes a repeat) must not:
    // the kept lines, all below it.
    let next = doc
        .kept_lines()
        .find(|&j| !same_words(&doc.kept_text(j), &pick.value));
    let alone = next.is_none_or(|j| !is_headline(&doc.kept_text(j), settings));
    if !(alone && is_headline(&pick.value, settings)) {
        return;
    }
    if let Some(o) = doc.owner.get_mut(i) {
        *o = None;
    }
    if pick.variant == Variant::SiteCut
        && i == pick.line
        && let Some(content) = doc.seg.lines.get(i).map(Line::content)
        && let Some(rest) = doc
            .text
            .get(content.clone())
            .and_then(|t| t.strip_prefix(pick.value.as_str()))
        && !rest.trim().is_empty()
    {
        doc.cut(id, i, content.start + pick.value.len()..content.end);
    }
}

/// The title line: the first kept line, when it is the title ranker's pick
/// and reads as a headline, and the line after it does not (see
/// [`stands_alone`]).
pub(crate) fn title_line(doc: &Doc, pick: &Picked, settings: &Settings) -> Option<usize> {
    let first = doc.kept_lines().next()?;
    let text = doc.kept_text(first);
    (fold(&text) == fold(&pick.value)
        && is_headline(&text, settings)
        && stands_alone(doc, settings))
    .then_some(first)
}

/// True unless the second kept line also reads as a headline. Taking the
/// first line out as the title makes the second one first: when it too
/// reads as a headline, cleaning the output again (without the title,
/// `--no-title` or a JSONL text) would take it as the title in turn and
/// lose a line a pass at a time. Then the first line stays in the body —
/// when unsure, the line is kept.
fn stands_alone(doc: &Doc, settings: &Settings) -> bool {
    doc.kept_lines()
        .nth(1)
        .is_none_or(|second| !is_headline(&doc.kept_text(second), settings))
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

/// The index of the title line without a title ranker: the first kept
/// line, if it was repeated or reads as a headline, when more text follows
/// it that does not (see [`stands_alone`]).
pub(crate) fn find_title(doc: &Doc, repeated: bool, settings: &Settings) -> Option<usize> {
    let mut kept = doc.kept_lines();
    let first = kept.next()?;
    kept.next()?;
    let text = doc.kept_text(first);
    ((repeated || is_headline(&text, settings)) && stands_alone(doc, settings)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_above_its_headline_is_given_back_in_its_place() {
        // The line model removed the page's title ("Effective Go", line 0)
        // and a menu line, and the ranker picked the headline that repeats
        // the title (line 4): the line above comes back, as a fresh pass
        // would keep it.
        let text = "Effective Go\n\nStandard library\n\nEffective Go\n\nSome text.";
        let pick = Picked {
            value: "Effective Go".into(),
            line: 4,
            variant: Variant::Line,
            site: None,
            probability: 0.9,
        };
        let settings = Settings::default();
        let removed = |first: &'static str, menu: bool| {
            let mut doc = Doc::new(text);
            doc.claim(first, Action::DropLine, 0..1);
            if menu {
                doc.claim("body.menu", Action::DropLine, 2..3);
            }
            give_back_title(&mut doc, "title", &pick, &settings);
            doc.kept_lines().next()
        };
        assert_eq!(removed("body.repeated", true), Some(0));
        // A line a rule removed stays removed.
        assert_eq!(removed("navigation.menu", true), Some(4));
        // Another headline right after it: the title is not given back
        // (kept in the body, a fresh pass could take that one as the
        // title and let this one go).
        assert_eq!(removed("body.repeated", false), Some(2));
    }
}
