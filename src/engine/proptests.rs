//! Property tests of cleaning a window at a time and with a title given
//! apart: every removal points at the document's own lines and bytes. The
//! windows are small here (the real ones are 32,768 lines, beyond what
//! generated documents reach).

use std::sync::OnceLock;

use proptest::prelude::*;

use super::{Cleaner, Wanted};
use super::window::windows;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::builtin().expect("the built-in rules load"))
}

/// Article sentences (one in characters of two, three and four bytes),
/// page furniture and blank lines, so rules, the model and the title
/// passes all fire.
const LINES: &[&str] = &[
    "The storm reached the coast on Monday night, and the harbour closed before noon.",
    "Fishermen said the waves were the highest they had seen in twenty years.",
    "Officials said the repairs would take until the end of the month, at the earliest.",
    "Le café du port a rouvert ses portes jeudi, après trois semaines de travaux 🌊 港は再開した。",
    "Storm Closes the Harbour",
    "Storm Closes the Harbour | The Daily Example",
    "By Jane Doe",
    "Share this:",
    "Twitter",
    "Facebook",
    "Leave a Reply",
    "Skip to main content",
    "Home",
    "News",
    "Related Posts",
    "Picture credit: Wikimedia",
    "",
    "",
    "  ",
];

/// Checks that each removal's bytes hold its text and start on its line.
fn check_removals(text: &str, removed: &[super::Removal]) -> Result<(), TestCaseError> {
    for r in removed {
        let slice = text.get(r.bytes[0]..r.bytes[1]);
        prop_assert!(slice.is_some(), "bad byte range {:?}", r.bytes);
        let slice = slice.unwrap_or_default();
        prop_assert_eq!(slice.trim(), r.text.trim(), "{:?}", r);
        let line = text.get(..r.bytes[0]).map(|t| t.matches('\n').count() + 1);
        prop_assert_eq!(Some(r.lines[0]), line, "{:?}", r);
        prop_assert!(r.lines[0] <= r.lines[1]);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn windows_cover_the_text_and_removals_point_at_the_whole_document(
        picks in prop::collection::vec(prop::sample::select(LINES), 0..120),
        size in 2usize..40,
    ) {
        let text = picks.join("\n");
        let parts = windows(&text, size, super::window::WINDOW_BYTES);
        let mut at = 0;
        for w in &parts {
            prop_assert_eq!(w.bytes.start, at);
            at = w.bytes.end;
        }
        prop_assert_eq!(at, text.len());
        let cleaned = cleaner().clean_windows(&text, &parts, Wanted::Everything);
        check_removals(&text, &cleaned.removed)?;
        // Every kept line is a line of the text.
        for line in cleaned.text.lines().filter(|l| !l.trim().is_empty()) {
            prop_assert!(text.lines().any(|t| t.trim() == line.trim()), "{line:?}");
        }
    }

    #[test]
    fn windows_of_few_bytes_cover_the_text_in_whole_characters(
        picks in prop::collection::vec(prop::sample::select(LINES), 0..60),
        size in 2usize..40,
        max_bytes in 1usize..200,
    ) {
        let text = picks.join("\n");
        let parts = windows(&text, size, max_bytes);
        let mut at = 0;
        for w in &parts {
            prop_assert_eq!(w.bytes.start, at);
            let part = text.get(w.bytes.clone());
            prop_assert!(part.is_some(), "{:?} splits a character", w.bytes);
            // Longer only by the one character a window must hold.
            prop_assert!(
                part.is_some_and(|p| p.len() <= max_bytes || p.chars().count() == 1),
                "{:?} is longer than {max_bytes}", w.bytes
            );
            at = w.bytes.end;
        }
        prop_assert_eq!(at, text.len());
    }

    #[test]
    fn with_a_title_given_apart_removals_point_at_the_records_text(
        picks in prop::collection::vec(prop::sample::select(LINES), 0..40),
        title in prop::sample::select(LINES),
    ) {
        let text = picks.join("\n");
        let cleaned = cleaner().clean_titled(&text, title);
        check_removals(&text, &cleaned.removed)?;
        for line in cleaned.text.lines().filter(|l| !l.trim().is_empty()) {
            prop_assert!(text.lines().any(|t| t.trim() == line.trim()), "{line:?}");
        }
    }
}
