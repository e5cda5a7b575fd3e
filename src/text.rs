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

/// `hash` with the lower case of `c`, written `utf8` in the text, mixed
/// in (a character that is its own lower case as its bytes stand).
fn mix_lower(hash: u64, c: char, utf8: &[u8]) -> u64 {
    let mut hash = hash;
    lower_bytes(c, utf8, |bytes| hash = mix_bytes(hash, bytes));
    hash
}

/// Gives `emit` the UTF-8 bytes of the lower case of `c`, written `utf8`
/// in the text (those bytes themselves when `c` is its own lower case).
fn lower_bytes(c: char, utf8: &[u8], mut emit: impl FnMut(&[u8])) {
    let mut buf = [0u8; 4];
    match simple_lowercase(c) {
        Some(lower) if lower == c => emit(utf8),
        Some(lower) => emit(lower.encode_utf8(&mut buf).as_bytes()),
        None => c
            .to_lowercase()
            .for_each(|lower| emit(lower.encode_utf8(&mut buf).as_bytes())),
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

/// The hash of `text` lower-cased, every character included: the bytes of
/// its lower case taken eight at a time ([`ChunkHash`]), ASCII without
/// decoding.
pub fn folded_hash(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut hash = ChunkHash::default();
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        if b.is_ascii() {
            let eight = bytes
                .get(pos..pos + 8)
                .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
                .map(u64::from_le_bytes)
                .filter(|word| word & HIGH_BITS == 0);
            if let Some(word) = eight {
                hash.push8(ascii_lower8(word));
                pos += 8;
            } else {
                hash.push(b.to_ascii_lowercase());
                pos += 1;
            }
            continue;
        }
        let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else {
            // Not a character boundary: cannot happen in a `str`.
            pos += 1;
            continue;
        };
        let at = pos;
        pos += c.len_utf8();
        lower_bytes(c, bytes.get(at..pos).unwrap_or_default(), |lower| {
            for &b in lower {
                hash.push(b);
            }
        });
    }
    hash.finish()
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Eight ASCII bytes (little-endian in a `u64`) lower-cased at once.
fn ascii_lower8(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // No byte is above 0x7f, so no sum carries into the next byte: the high
    // bit tells "at least 'A'" and "above 'Z'".
    let from_a = word + ONES * u64::from(0x80 - b'A');
    let past_z = word + ONES * u64::from(0x80 - b'Z' - 1);
    word | ((from_a & !past_z & HIGH_BITS) >> 2)
}

/// A hash of a stream of bytes, mixed eight at a time (the last few
/// padded, the length mixed in at the end).
#[derive(Debug, Clone, Copy)]
struct ChunkHash {
    hash: u64,
    /// The bytes not mixed in yet, the first in the low bits.
    pending: u64,
    /// How many bytes `pending` holds (0 to 7).
    held: u32,
    len: u64,
}

impl Default for ChunkHash {
    fn default() -> Self {
        ChunkHash {
            hash: FNV_OFFSET,
            pending: 0,
            held: 0,
            len: 0,
        }
    }
}

impl ChunkHash {
    const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

    fn mix(&mut self, word: u64) {
        self.hash = (self.hash ^ word)
            .wrapping_mul(Self::MULTIPLIER)
            .rotate_left(29);
    }

    /// Appends one byte.
    fn push(&mut self, b: u8) {
        self.pending |= u64::from(b) << (8 * self.held);
        self.held += 1;
        self.len += 1;
        if self.held == 8 {
            self.mix(self.pending);
            (self.pending, self.held) = (0, 0);
        }
    }

    /// Appends eight bytes (little-endian in `word`): the same hash as
    /// pushing them one at a time.
    fn push8(&mut self, word: u64) {
        self.len += 8;
        if self.held == 0 {
            self.mix(word);
            return;
        }
        let shift = 8 * self.held;
        self.mix(self.pending | (word << shift));
        self.pending = word >> (64 - shift);
    }

    /// The hash of the bytes pushed (murmur3's finaliser over the state).
    fn finish(mut self) -> u64 {
        if self.held > 0 {
            self.mix(self.pending);
        }
        let mut h = self.hash ^ self.len;
        h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h = (h ^ (h >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
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
    if text.is_ascii() {
        fold_ascii(text.as_bytes())
    } else {
        fold_unicode(text)
    }
}

/// [`fold`] of any text, through the Unicode lower case.
fn fold_unicode(text: &str) -> String {
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

/// [`fold`] of ASCII text, a byte at a time without the Unicode tables.
fn fold_ascii(text: &[u8]) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut gap = false;
    for &b in text {
        if b.is_ascii_alphanumeric() || b == b'_' {
            if gap && !folded.is_empty() {
                folded.push(' ');
            }
            gap = false;
            folded.push(char::from(b.to_ascii_lowercase()));
        } else {
            gap = true;
        }
    }
    folded
}

/// True when `a` and `b` have the same words (ignoring case and punctuation).
pub fn same_words(a: &str, b: &str) -> bool {
    word_hashes(a).eq(word_hashes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_hash_hashes_the_bytes_of_the_lower_case() {
        let texts = [
            "",
            "a",
            "Hello",
            "HELLO WORLD, this is a Long Line of ASCII text!",
            "Ünïcödé mixed with ASCII: ÀÉÎ and Straße, ΣΑΣ, İstanbul, KELVIN \u{212a}",
            "abcdefgé12345678ABCDEFGH",
            "é1234567890abcdefXYZ",
            "日本語のテキスト and English",
            "Россия Призвала",
            "ÀÉÎ straße İstanbul ǅ",
            "日本語 ΣΑΣ",
        ];
        for text in texts {
            // Character by character: no final-sigma rule.
            let mut reference = ChunkHash::default();
            for b in text.chars().flat_map(char::to_lowercase).collect::<String>().bytes() {
                reference.push(b);
            }
            assert_eq!(folded_hash(text), reference.finish(), "{text:?}");
        }
        assert_eq!(folded_hash("Breaking NEWS"), folded_hash("breaking news"));
        assert_ne!(folded_hash("breaking news"), folded_hash("breaking news "));
        assert_ne!(folded_hash("a"), folded_hash("a\0"));
        for b in 0..128u8 {
            let eight = [b; 8];
            let word = u64::from_le_bytes(eight);
            assert_eq!(ascii_lower8(word).to_le_bytes(), [b.to_ascii_lowercase(); 8], "{b}");
        }
    }

    #[test]
    fn ascii_fold_agrees_with_the_unicode_fold() {
        let bytes: Vec<u8> = (0..128).collect();
        for &a in &bytes {
            for &b in &bytes {
                let pair = [a, b' ', b, b'_', a, b'-', b'Q'];
                let text = std::str::from_utf8(&pair).unwrap_or_default();
                assert_eq!(fold_ascii(text.as_bytes()), fold_unicode(text), "{text:?}");
            }
        }
        for text in ["", "  ", "-- Hello, World! --", "A_b  C", "x\ty\n", "Top 10: Best"] {
            assert_eq!(fold(text), fold_unicode(text), "{text:?}");
        }
        assert_eq!(fold("  Top 10:  Best_Apps! "), "top 10 best_apps");
    }

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
