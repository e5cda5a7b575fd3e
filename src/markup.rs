//! Telling markup from text. pith cleans the text of a page, not its HTML:
//! HTML given as input passes through nearly whole, so the filter flags it
//! (`looks_like_html`) and says to extract the text first.

/// The flag of a record whose input looks like HTML or XML markup.
pub const LOOKS_LIKE_HTML: &str = "looks_like_html";

/// How much of the start of a text is looked at.
const SAMPLE_BYTES: usize = 1 << 16;
/// The longest tag counted, in bytes.
const MAX_TAG_BYTES: usize = 512;

/// Whether `text` is markup-heavy: it opens with a doctype or `<html`, or
/// at least 8 tags (`<p>`, `</div>`, `<a href=…>`, `<!-- … -->`) fill a
/// fifth or more of the non-blank bytes of its start. Text that mentions a
/// tag or two, or holds `a < b` comparisons, is not.
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start().as_bytes();
    let sample = start.get(..SAMPLE_BYTES).unwrap_or(start);
    let opening = sample.get(..14).unwrap_or(sample).to_ascii_lowercase();
    if opening.starts_with(b"<!doctype html") || opening.starts_with(b"<html") {
        return true;
    }
    let mut tags = 0usize;
    let mut tag_bytes = 0usize;
    let mut at = 0;
    while let Some(offset) = sample.get(at..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let open = at + offset;
        let rest = sample.get(open + 1..).unwrap_or_default();
        let starts_tag = rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/' || *b == b'!');
        let window = rest.get(..MAX_TAG_BYTES).unwrap_or(rest);
        match memchr::memchr(b'>', window) {
            Some(close) if starts_tag => {
                tags += 1;
                tag_bytes += close + 2;
                at = open + close + 2;
            }
            _ => at = open + 1,
        }
    }
    // Counted only when there are tags enough to matter.
    tags >= 8 && tag_bytes * 5 >= sample.iter().filter(|b| !b.is_ascii_whitespace()).count()
}

/// The flags a record earns from its input, whatever the cleaning.
pub fn input_flags(text: &str) -> &'static [&'static str] {
    if looks_like_html(text) {
        &[LOOKS_LIKE_HTML]
    } else {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_and_fragments_are_markup_text_is_not() {
        assert!(looks_like_html(
            "<!DOCTYPE html>\n<html><body>Hi</body></html>"
        ));
        assert!(looks_like_html("  <html lang=\"en\">"));
        let fragment = "<div class=\"post\"><p>The storm hit.</p><p>It rained.</p>\n<ul><li><a href=\"/a\">A</a></li></ul></div>";
        assert!(looks_like_html(fragment));
        assert!(!looks_like_html(
            "The storm hit the coast.\n\nIt rained for days."
        ));
        assert!(!looks_like_html(
            "Use the <p> tag for paragraphs and <br> for breaks; 3 < 4 and 5 > 2 in every case of this long article text."
        ));
        assert!(!looks_like_html("{Editor's note} <unclosed"));
        assert!(!looks_like_html(""));
    }
}
