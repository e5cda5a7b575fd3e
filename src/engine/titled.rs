//! A text whose title is given apart, as a JSONL record's `title` field.
//!
//! On a page the title is the text's first line, and the line model reads it
//! there. pith's JSONL output carries the title it took from the head of the
//! text in a field of its own (`title`, with `title_line` saying it was a
//! line); cleaning such a record again puts the title back at the head of
//! the text, as context, so the lines are judged as they were the first
//! time — cleaning pith's JSONL output again changes what cleaning its text
//! output again changes. The title is never part of the output text, and
//! every removal is in the record's text: its lines and bytes.

use super::{Cleaned, Cleaner, Wanted};

/// Lines the title adds before the text: the title and a blank line.
const TITLE_LINES: usize = 2;

impl Cleaner {
    /// Cleans `text` with `title` read as its first line (see the module's
    /// docs). An empty title is no title.
    pub fn clean_titled(&self, text: &str, title: &str) -> Cleaned {
        self.clean_titled_wanting(text, title, Wanted::Everything)
    }

    /// [`Cleaner::clean_titled`] for a caller that reads what `wanted` says.
    pub fn clean_titled_wanting(&self, text: &str, title: &str, wanted: Wanted) -> Cleaned {
        // One line, written as given (the record's title is compared with
        // the title found, as written).
        let title = title.trim().replace(['\n', '\r'], " ");
        if title.is_empty() {
            return self.clean_wanting(text, wanted);
        }
        let whole = format!("{title}\n\n{text}");
        let skip = whole.len() - text.len();
        let mut cleaned = self.clean_wanting(&whole, wanted);
        match cleaned.title_line {
            // The title is the given one: it stays out of the body.
            Some(0) => cleaned.title_given = true,
            Some(line) => cleaned.title_line = Some(line.saturating_sub(TITLE_LINES)),
            // Kept as body, the given title is taken back out.
            None => {
                if let Some(rest) = cleaned.text.strip_prefix(title.as_str())
                    && (rest.is_empty() || rest.starts_with('\n'))
                {
                    cleaned.text = rest.trim_start_matches('\n').to_string();
                }
            }
        }
        cleaned.removed = std::mem::take(&mut cleaned.removed)
            .into_iter()
            .filter_map(|mut removal| {
                let [start, end] = removal.bytes;
                if end <= skip {
                    return None;
                }
                if start < skip {
                    // A run from the title into the text: its part in the text.
                    let part = whole.get(skip..end)?;
                    let lead = part.len() - part.trim_start().len();
                    let skipped_lines = part.get(..lead)?.matches('\n').count();
                    removal.bytes[0] = skip + lead;
                    removal.lines[0] = TITLE_LINES + 1 + skipped_lines;
                    removal.text = part.trim().to_string();
                }
                removal.bytes = removal.bytes.map(|b| b - skip);
                removal.lines = removal.lines.map(|l| l.saturating_sub(TITLE_LINES));
                Some(removal)
            })
            .collect();
        cleaned.stats.lines_in = cleaned.stats.lines_in.saturating_sub(TITLE_LINES);
        cleaned.stats.chars_in = text.chars().count();
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaner() -> Cleaner {
        Cleaner::builtin().expect("the built-in rules load")
    }

    const BODY: &str = "The storm reached the coast on Monday night, and the \
        harbour closed before noon.\n\nFishermen said the waves were the highest \
        they had seen in twenty years.\n\nLeave a Reply";

    #[test]
    fn removals_are_in_the_records_text() {
        let text = format!("Skip to main content\n\n{BODY}");
        let cleaned = cleaner().clean_titled(&text, "Storm Closes the Harbour");
        assert!(
            cleaned.text.starts_with("The storm reached"),
            "{:?}",
            cleaned.text
        );
        assert!(!cleaned.text.contains("Leave a Reply"));
        assert_eq!(cleaned.title.as_deref(), Some("Storm Closes the Harbour"));
        for removal in &cleaned.removed {
            let [start, end] = removal.bytes;
            assert_eq!(
                text.get(start..end).map(str::trim),
                Some(removal.text.as_str()),
                "{removal:?}"
            );
            let first_line = text.get(..start).map(|t| t.matches('\n').count() + 1);
            assert_eq!(Some(removal.lines[0]), first_line, "{removal:?}");
        }
        assert!(cleaned.removed.iter().any(|r| r.bytes[0] == 0));
        assert_eq!(cleaned.stats.chars_in, text.chars().count());
    }

    #[test]
    fn the_given_title_heads_the_text_output_and_cleaning_is_as_with_it_in_place() {
        let title = "Storm Closes the Harbour";
        let in_place = cleaner().clean(&format!("{title}\n\n{BODY}"));
        let given = cleaner().clean_titled(BODY, title);
        assert!(given.title_given);
        assert_eq!(given.to_text(true), in_place.to_text(true));
        assert_eq!(given.text, in_place.text);
    }

    #[test]
    fn the_title_never_enters_the_text() {
        for title in ["Storm Closes the Harbour", "Home", "A"] {
            let cleaned = cleaner().clean_titled(BODY, title);
            assert!(
                cleaned.text.starts_with("The storm reached"),
                "{title}: {:?}",
                cleaned.text
            );
            assert!(cleaned.removed.iter().all(|r| r.bytes[1] <= BODY.len()));
        }
        assert_eq!(
            cleaner().clean_titled(BODY, " \n").text,
            cleaner().clean(BODY).text
        );
    }
}
