//! Language: a light guess of the body's language, from its script and, for
//! Latin script, from the most frequent function words.
//!
//! It reads at most the first few kilobytes and never allocates per word. It
//! answers `None` rather than guess on too little evidence.

use std::sync::OnceLock;

/// How much of the text is looked at.
const SAMPLE_BYTES: usize = 4096;

/// Function words of Latin-script languages; a word may serve several.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "that", "for", "with", "was", "this", "are", "have",
            "from", "by",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "eine", "auf", "sich",
            "auch", "von",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "des", "est", "et", "une", "dans", "pour", "qui", "pas", "sur",
            "du", "avec",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "las", "del", "que", "y", "una", "por", "con", "para", "es", "como",
            "pero", "su",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "e", "della", "per", "non", "sono", "gli", "una", "con", "del",
            "anche", "nel",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "da", "do", "que", "não", "uma", "para", "com", "em", "dos", "mais", "como",
            "foi",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "van", "en", "dat", "niet", "zijn", "voor", "met", "op", "ook",
            "maar", "wordt",
        ],
    ),
];

/// Guesses the ISO 639-1 code of `text`'s language.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = text.get(..end)?;
    let mut latin = 0u32;
    let mut counts = [0u32; 10];
    const SCRIPTS: [&str; 10] = ["ru", "uk", "ja", "ko", "zh", "ar", "el", "he", "hi", "th"];
    let mut rest = sample;
    loop {
        // A run of ASCII, most of most texts, counted without decoding.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let run = rest.as_bytes().get(..ascii).unwrap_or_default();
        latin += run.iter().filter(|b| b.is_ascii_alphabetic()).count() as u32;
        let mut chars = rest.get(ascii..).unwrap_or_default().chars();
        let Some(c) = chars.next() else {
            break;
        };
        rest = chars.as_str();
        let slot = match c {
            '\u{c0}'..='\u{24f}' => {
                latin += 1;
                continue;
            }
            'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => 1,
            '\u{400}'..='\u{4ff}' => 0,
            '\u{3040}'..='\u{30ff}' => 2,
            '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' => 3,
            '\u{4e00}'..='\u{9fff}' => 4,
            '\u{600}'..='\u{6ff}' => 5,
            '\u{370}'..='\u{3ff}' => 6,
            '\u{590}'..='\u{5ff}' => 7,
            '\u{900}'..='\u{97f}' => 8,
            '\u{e00}'..='\u{e7f}' => 9,
            _ => continue,
        };
        counts[slot] += 1;
    }
    // Ukrainian letters turn Cyrillic into Ukrainian.
    if counts[1] > 0 {
        counts[1] += counts[0];
        counts[0] = 0;
    }
    // Kana anywhere means Japanese, even with many ideographs.
    if counts[2] > 0 && counts[2] * 10 >= counts[4] {
        counts[2] += counts[4];
        counts[4] = 0;
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if n >= 20 && n > latin {
        return SCRIPTS.get(best).copied();
    }
    if latin >= 20 {
        latin_language(sample)
    } else {
        None
    }
}

/// Scores Latin-script text by function words.
fn latin_language(sample: &str) -> Option<&'static str> {
    let table = stopword_table();
    let mut scores = [0u32; STOPWORDS.len()];
    let mut score = |word: &[u8]| {
        // Most words (and the empty ones between separators) are in no list.
        let languages = word_key(word).map_or(0, |key| table.languages(key));
        if languages != 0 {
            for (i, score) in scores.iter_mut().enumerate() {
                *score += (languages >> i) & 1;
            }
        }
    };
    // Words are runs of alphabetic characters; ASCII is split without
    // decoding, and Latin letters without a Unicode table lookup.
    let bytes = sample.as_bytes();
    let mut word_start = 0;
    let mut i = 0;
    loop {
        // A run of ASCII letters, most of a word, in a tight loop.
        let rest = bytes.get(i..).unwrap_or_default();
        i += rest
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let (alphabetic, len) = if b.is_ascii() {
            (b.is_ascii_alphabetic(), 1)
        } else {
            match sample.get(i..).and_then(|s| s.chars().next()) {
                Some(c @ '\u{c0}'..='\u{24f}') => (c != '\u{d7}' && c != '\u{f7}', c.len_utf8()),
                Some(c) => (c.is_alphabetic(), c.len_utf8()),
                None => break,
            }
        };
        if !alphabetic {
            score(bytes.get(word_start..i).unwrap_or_default());
            word_start = i + len;
        }
        i += len;
    }
    score(bytes.get(word_start..).unwrap_or_default());
    let mut ranked: Vec<(u32, &str)> = scores
        .iter()
        .zip(STOPWORDS)
        .map(|(s, (l, _))| (*s, *l))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    match ranked.as_slice() {
        [(best, lang), (second, _), ..] if *best >= 3 && *best * 2 > *second * 3 => Some(lang),
        _ => None,
    }
}

/// A word of at most 8 bytes, ASCII lower-cased and packed into an integer
/// (words never hold NUL, so the zero padding is unambiguous, and no key
/// is 0).
fn word_key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    // Built in a register: writing bytes to memory and reading them back as
    // one integer stalls the CPU on every word.
    Some(
        word.iter()
            .rev()
            .fold(0u64, |key, &b| key << 8 | u64::from(b.to_ascii_lowercase())),
    )
}

/// Every function word with the set of languages it belongs to (bit `i` for
/// `STOPWORDS[i]`), in an open-addressing hash table.
struct StopwordTable {
    slots: Vec<(u64, u32)>,
}

impl StopwordTable {
    const SLOTS: usize = 256;

    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }

    /// The languages of the word with this key (0 for none).
    fn languages(&self, key: u64) -> u32 {
        let mut i = Self::slot(key);
        loop {
            match self.slots.get(i % Self::SLOTS) {
                Some(&(k, mask)) if k == key => return mask,
                Some(&(0, _)) | None => return 0,
                Some(_) => i += 1,
            }
        }
    }
}

fn stopword_table() -> &'static StopwordTable {
    static TABLE: OnceLock<StopwordTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut slots = vec![(0u64, 0u32); StopwordTable::SLOTS];
        for (lang, (_, words)) in STOPWORDS.iter().enumerate() {
            for key in words.iter().filter_map(|w| word_key(w.as_bytes())) {
                let mut i = StopwordTable::slot(key);
                // The table is far from full, so a free or matching slot exists.
                while let Some(slot) = slots.get_mut(i % StopwordTable::SLOTS) {
                    if slot.0 == 0 || slot.0 == key {
                        *slot = (key, slot.1 | 1 << lang);
                        break;
                    }
                    i += 1;
                }
            }
        }
        StopwordTable { slots }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        assert_eq!(
            detect(
                "The Taliban has warned Dushanbe against involvement in the domestic affairs of the country and this is what they said."
            ),
            Some("en")
        );
        assert_eq!(
            detect(
                "Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden, und das ist auch gut so."
            ),
            Some("de")
        );
        assert_eq!(
            detect(
                "Le gouvernement a décidé que les impôts ne seront pas augmentés dans les prochains mois pour la population."
            ),
            Some("fr")
        );
        assert_eq!(
            detect("Россия призвала Таджикистан и талибов избегать конфронтации на границе."),
            Some("ru")
        );
        assert_eq!(
            detect("東京都は新しい計画を発表しました。これは市民のための重要な政策です。"),
            Some("ja")
        );
        assert_eq!(
            detect("서울시는 새로운 계획을 발표했습니다. 이것은 시민을 위한 중요한 정책입니다."),
            Some("ko")
        );
        assert_eq!(
            detect("北京市政府今天宣布了一项新的计划，这是为了市民的重要政策。"),
            Some("zh")
        );
    }

    #[test]
    fn function_words_shared_by_languages_count_for_each() {
        // "que" is a Spanish and a Portuguese function word: both score,
        // neither wins.
        assert_eq!(
            detect("que que que que que que que que que que que que que que que que"),
            None
        );
        assert_eq!(
            detect("Die Katze und der Hund und das Haus ist nicht hier, und die Maus auch nicht."),
            Some("de")
        );
    }

    #[test]
    fn latin_range_letters_are_all_alphabetic_but_two_signs() {
        for c in '\u{c0}'..='\u{24f}' {
            assert_eq!(c.is_alphabetic(), c != '\u{d7}' && c != '\u{f7}', "{c:?}");
        }
    }

    #[test]
    fn too_little_evidence_is_none() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("Hi"), None);
        assert_eq!(detect("12345 67890"), None);
    }
}
