//! Words: which characters make them, how text is folded and tokenised,
//! and the word hashing lines are compared by. Every module that asks
//! "is this a word character?" or hashes words asks here.
//!
//! Two meanings of a word character, each with its own name:
//! [`is_word_char`] is the regex `\w` (letters, digits, underscore): rule
//! phrase boundaries, evaluation tokens, folded metadata values;
//! [`is_letter_or_digit`] is letters and digits only, with fast paths for
//! common scripts: the words lines are hashed by.
//!
//! Lines are compared by words, not characters: case, white space, quotes
//! and other punctuation are ignored, so `“Title”` repeats `Title`. Words are
//! compared by 64-bit FNV-1a hashes of their lower-cased bytes, computed
//! without allocating ([`word_hashes`]). Other repeats (paragraphs printed
//! twice, a second copy of the article) are evidence for the line model
//! ([`crate::features`]), not removals of their own: pages repeat text on
//! purpose too (FAQ answers, product variants, pull quotes).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A set of values that are hashes already: no second hashing.
pub type HashedSet = HashSet<u64, BuildHasherDefault<Identity>>;

/// The identity hasher behind [`HashedSet`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_bytes(self.0, bytes);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// The hash of each word (maximal run of letters and digits) of `text`,
/// case-insensitively. ASCII is folded byte by byte without decoding; other
/// characters are decoded and folded (common scripts without the Unicode
/// tables).
pub fn word_hashes(text: &str) -> WordHashes<'_> {
    WordHashes {
        text,
        pos: 0,
        start: 0,
    }
}

/// The iterator of [`word_hashes`].
pub struct WordHashes<'t> {
    text: &'t str,
    pos: usize,
    /// Where the word last returned starts.
    start: usize,
}

impl WordHashes<'_> {
    /// The first character of the word last returned (its case tells a
    /// name from a word of the text).
    pub fn first_char(&self) -> Option<char> {
        self.text.get(self.start..).and_then(|rest| rest.chars().next())
    }
}

/// Per ASCII byte: its lower case if it is a letter or digit, else 0.
const ASCII_WORD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// `hash` with byte `b` mixed in (FNV-1a).
fn mix_byte(hash: u64, b: u8) -> u64 {
    (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME)
}

/// `hash` with `bytes` mixed in, one at a time.
fn mix_bytes(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| mix_byte(h, b))
}

/// `hash` with the bytes of `c` mixed in.
fn mix_char(hash: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    mix_bytes(hash, c.encode_utf8(&mut buf).as_bytes())
}

/// `hash` with the lower case of `c`, written `utf8` in the text, mixed
/// in (a character that is its own lower case as its bytes stand).
fn mix_lower(hash: u64, c: char, utf8: &[u8]) -> u64 {
    match simple_lowercase(c) {
        Some(lower) if lower == c => mix_bytes(hash, utf8),
        Some(lower) => mix_char(hash, lower),
        None => c.to_lowercase().fold(hash, mix_char),
    }
}

impl Iterator for WordHashes<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut pos = self.pos;
        // Up to the word's first character, then through its last one.
        let mut hash = loop {
            let Some(&b) = bytes.get(pos) else {
                self.pos = pos;
                return None;
            };
            if b.is_ascii() {
                pos += 1;
                if let lower @ 1.. = ASCII_WORD[usize::from(b & 0x7f)] {
                    self.start = pos - 1;
                    break mix_byte(FNV_OFFSET, lower);
                }
                continue;
            }
            let c = text.get(pos..).and_then(|rest| rest.chars().next());
            let at = pos;
            pos += c.map_or(1, char::len_utf8);
            if let Some(c) = c.filter(|&c| is_letter_or_digit(c)) {
                self.start = at;
                break mix_lower(FNV_OFFSET, c, bytes.get(at..pos).unwrap_or_default());
            }
        };
        while let Some(&b) = bytes.get(pos) {
            if b.is_ascii() {
                pos += 1;
                match ASCII_WORD[usize::from(b & 0x7f)] {
                    0 => break,
                    lower => hash = mix_byte(hash, lower),
                }
                continue;
            }
            let c = text.get(pos..).and_then(|rest| rest.chars().next());
            let at = pos;
            pos += c.map_or(1, char::len_utf8);
            match c {
                Some(c) if is_letter_or_digit(c) => {
                    hash = mix_lower(hash, c, bytes.get(at..pos).unwrap_or_default());
                }
                Some(_) => break,
                None => {}
            }
        }
        self.pos = pos;
        Some(hash)
    }
}

/// Letters and digits. The punctuation scraped text is full of (no-break
/// spaces, the General Punctuation block: curly quotes, dashes, ellipses)
/// and the letters of the commonest scripts are answered without the slow
/// Unicode table lookup.
pub fn is_letter_or_digit(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{a0}' | '\u{2000}'..='\u{206f}' | '\u{d7}' | '\u{f7}' => false,
        '\u{c0}'..='\u{17f}'
        | '\u{400}'..='\u{45f}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30fa}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// The lower case of `c` when it is one character found without the
/// Unicode tables: ASCII, Latin-1 and basic Cyrillic capitals, and
/// characters of scripts without case. `None` sends the caller to
/// `char::to_lowercase`.
fn simple_lowercase(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let code = u32::from(c);
    let lower = match code {
        0xc0..=0xde if code != 0xd7 => code + 0x20,
        0xdf..=0xff
        | 0x430..=0x45f
        | 0x3041..=0x3096
        | 0x30a1..=0x30fa
        | 0x4e00..=0x9fff
        | 0xac00..=0xd7a3 => code,
        0x410..=0x42f => code + 0x20,
        0x400..=0x40f => code + 0x50,
        _ => return None,
    };
    char::from_u32(lower)
}

/// The hash of `text` lower-cased, every character included.
pub fn folded_hash(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash = FNV_OFFSET;
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        if b.is_ascii() {
            hash = mix_byte(hash, b.to_ascii_lowercase());
            pos += 1;
            continue;
        }
        let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
            // Not a character boundary: cannot happen in a `str`.
            pos += 1;
            continue;
        };
        let at = pos;
        pos += c.len_utf8();
        hash = mix_lower(hash, c, bytes.get(at..pos).unwrap_or_default());
    }
    hash
}

/// Combines word hashes into one hash of the word sequence.
pub fn sequence_hash(words: impl Iterator<Item = u64>) -> u64 {
    words
        .fold(SequenceHash::default(), SequenceHash::push)
        .value()
}

/// [`sequence_hash`] built a word at a time.
#[derive(Debug, Clone, Copy)]
pub struct SequenceHash(u64);

impl Default for SequenceHash {
    fn default() -> Self {
        SequenceHash(FNV_OFFSET)
    }
}

impl SequenceHash {
    /// The hash with `word` appended.
    #[must_use]
    pub fn push(self, word: u64) -> SequenceHash {
        SequenceHash((self.0 ^ word).wrapping_mul(FNV_PRIME).rotate_left(17))
    }

    /// The hash of the words pushed so far.
    pub fn value(self) -> u64 {
        self.0
    }
}

/// Letters, digits and underscore (the regex `\w`): the characters a word
/// boundary separates, and what tokens and folded text are made of.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Lower-cased word tokens of `text` (Python's
/// `re.findall(r"\w+", text.lower())`).
pub fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !is_word_char(c))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// `text` lower-cased with every run of non-word characters made one
/// space: how metadata values and snippets are compared.
pub fn fold(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut folded = String::with_capacity(lower.len());
    for word in lower
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
    {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}

/// The characters of [`fold`]`(text)`, made as they are read, to compare
/// a text's fold without building it. Each character is lower-cased on its
/// own (a word-final `Σ` gives `σ`, where [`fold`] gives `ς`).
pub fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let (mut space, mut started) = (false, false);
    text.chars()
        .flat_map(char::to_lowercase)
        .flat_map(move |c| {
            if !is_word_char(c) {
                space = started;
                return [None, None];
            }
            started = true;
            [std::mem::take(&mut space).then_some(' '), Some(c)]
        })
        .flatten()
}

/// True when `a` and `b` have the same words (ignoring case and punctuation).
pub fn same_words(a: &str, b: &str) -> bool {
    word_hashes(a).eq(word_hashes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for code in 0..0x11000u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(
                is_letter_or_digit(c),
                c.is_alphanumeric() && c != '\u{a0}' && !('\u{2000}'..='\u{206f}').contains(&c),
                "{c:?}"
            );
            if let Some(lower) = simple_lowercase(c) {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn folded_chars_are_the_fold() {
        for text in ["", "  The Big  STORM — what now?! ", "Россия, Призвала", "a_b c1 İstanbul", "..."] {
            assert_eq!(folded_chars(text).collect::<String>(), fold(text), "{text:?}");
        }
    }

    #[test]
    fn folded_hashes_hash_the_lower_case() {
        for text in [
            "Россия Призвала",
            "ÀÉÎ straße İstanbul ǅ",
            "日本語 ΣΑΣ",
            "plain",
        ] {
            // Character by character: no final-sigma rule.
            let lower: String = text.chars().flat_map(char::to_lowercase).collect();
            let mut expected = FNV_OFFSET;
            for b in lower.bytes() {
                expected = (expected ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            }
            assert_eq!(folded_hash(text), expected, "{text:?}");
        }
    }

    #[test]
    fn word_hashes_hash_each_word_lower_cased() {
        for text in [
            "Россия, Призвала! ÀÉÎ straße-İstanbul ǅ",
            "“Title” of the Day — 日本語 ΣΑΣ 42x",
            "",
            "  plain ASCII, with: punctuation...",
        ] {
            let expected: Vec<u64> = text
                .split(|c: char| !is_letter_or_digit(c))
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                    lower.bytes().fold(FNV_OFFSET, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
                    })
                })
                .collect();
            assert_eq!(word_hashes(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn words_compare_ignoring_case_quotes_and_spaces() {
        assert!(same_words("“Title  of the Day”", "title of the day"));
        assert!(same_words("Россия Призвала", "россия призвала"));
        assert!(!same_words("a b", "ab"));
        assert_eq!(word_hashes("  ").count(), 0);
    }
}
