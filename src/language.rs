//! Language: a light guess of the body's language, from its script and, for
//! Latin script, from the most frequent function words.
//!
//! It reads at most the first few kilobytes and never allocates per word. It
//! answers `None` rather than guess on too little evidence.

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
    for c in sample.chars() {
        let slot = match c {
            'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' => {
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
    let mut scores = [0u32; STOPWORDS.len()];
    let mut buf = [0u8; 8];
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > buf.len() {
            continue;
        }
        let lower = &mut buf[..bytes.len()];
        lower.copy_from_slice(bytes);
        lower.make_ascii_lowercase();
        for (score, (_, words)) in scores.iter_mut().zip(STOPWORDS) {
            if words.iter().any(|w| w.as_bytes() == &*lower) {
                *score += 1;
            }
        }
    }
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
    fn too_little_evidence_is_none() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("Hi"), None);
        assert_eq!(detect("12345 67890"), None);
    }
}
