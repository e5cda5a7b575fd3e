//! Metadata: the title, author and date a document states, and the values
//! rules capture (source, credits, references), cleaned into the output's
//! form.
//!
//! Title, author and date are each chosen among candidates
//! ([`candidates`]): lines of the page and the values inside them (a title
//! line with its site name cut off, the name after "By", a date in a
//! dateline). A small learned model per field ranks them by their features
//! — the line's own (shape, position, neighbourhood, rule evidence) and the
//! candidate's (how much of the line it is, whether the page's first line
//! starts with it, how often it recurs) — and the best one is taken when it
//! is likely enough.

pub mod candidates;
mod picks;

pub use picks::{MetaPicks, Picked};

use std::sync::OnceLock;

use regex::Regex;

use crate::rules::{Field, Settings};
use crate::segment::word_units;

/// Metadata fields collected from a document (those of [`crate::Cleaned`]
/// besides its title and language).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Metadata {
    /// The author.
    pub author: Option<String>,
    /// The author's role.
    pub author_role: Option<String>,
    /// The publisher the article comes from.
    pub source: Option<String>,
    /// The publication date.
    pub published: Option<String>,
    /// Image credits.
    pub image_credits: Vec<String>,
    /// Entries of a references section.
    pub references: Vec<String>,
    /// Read numeric dates day first (`12/03/2021` is 12 March): true for
    /// documents in a language other than English.
    #[serde(skip)]
    day_first: bool,
}

impl Metadata {
    /// Empty metadata for a document in `language` (ISO 639-1, if known).
    pub fn for_language(language: Option<&str>) -> Metadata {
        Metadata {
            day_first: language.is_some_and(|l| l != "en"),
            ..Metadata::default()
        }
    }

    /// Adds a captured raw value: single fields keep the first value, lists
    /// collect distinct values. Values that clean to nothing are ignored.
    pub fn add(&mut self, field: Field, raw: &str) {
        let value = match field {
            Field::References => raw.trim().to_string(),
            Field::Published => {
                // A date, or at least text naming a year; "1 day ago" is not one.
                let v = clean_value(raw);
                parse_date(&v, self.day_first)
                    .unwrap_or_else(|| if has_year(&v) { v } else { String::new() })
            }
            _ => clean_value(raw),
        };
        if value.is_empty() {
            return;
        }
        let single = match field {
            Field::Author => &mut self.author,
            Field::AuthorRole => &mut self.author_role,
            Field::Source => &mut self.source,
            Field::Published => &mut self.published,
            Field::ImageCredits | Field::References => {
                let list = if field == Field::References {
                    &mut self.references
                } else {
                    &mut self.image_credits
                };
                if !list.contains(&value) {
                    list.push(value);
                }
                return;
            }
        };
        if single.is_none() {
            *single = Some(value);
        }
    }
}

/// True when `s` holds a four-digit year from 1900 to 2099.
fn has_year(s: &str) -> bool {
    s.as_bytes().windows(4).any(|w| {
        matches!(w, [b'1', b'9', a, b] | [b'2', b'0', a, b] if a.is_ascii_digit() && b.is_ascii_digit())
    })
}

/// Trims white space, separators and enclosing brackets from a captured value.
fn clean_value(raw: &str) -> String {
    let v = raw.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '|' | '-' | '–' | '—' | ',')
    });
    let v = v
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(v);
    let v = v.trim_end_matches(['.', ';', ',']).trim();
    v.to_string()
}

/// Separators between a page's headline and its site name in a `<title>`.
const SITE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ",
];

/// Splits a page title "Headline | Section | Site" into the headline's
/// length in bytes and the site name (the last part): the parts after the
/// headline are each short (1–6 word units), the headline at least two
/// word units long. The last of [`site_cuts`].
pub fn split_site(text: &str) -> Option<(usize, &str)> {
    site_cuts(text).last()
}

/// Every place a page title "Headline - Detail | Section | Site" can be
/// cut before its site name, right to left (before "| Site", before
/// "| Section | Site", …), as [`split_site`] reads the parts: each is the
/// headline's length in bytes and the site name.
pub fn site_cuts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = Some(text.len());
    let mut site = None;
    std::iter::from_fn(move || {
        let head = text.get(..end?)?;
        let (at, len) = last_separator(head)?;
        let part = text.get(at + len..end?)?;
        let headline = text.get(..at)?;
        if !(1..=6).contains(&word_units(part)) || word_units(headline) < 2 {
            end = None;
            return None;
        }
        let site = *site.get_or_insert(part);
        end = Some(at);
        Some((at, site))
    })
}

/// Where the last of the [`SITE_SEPARATORS`] in `head` starts, and its
/// length. Each separator starts with a space: one backward pass over the
/// spaces finds it.
fn last_separator(head: &str) -> Option<(usize, usize)> {
    memchr::memrchr_iter(b' ', head.as_bytes()).find_map(|at| {
        let rest = head.get(at..)?;
        SITE_SEPARATORS
            .iter()
            .find(|sep| rest.starts_with(**sep))
            .map(|sep| (at, sep.len()))
    })
}

/// True when `line` reads as a headline: a few words, some letters, no
/// sentence-ending or list punctuation at its end, and none of the marks of
/// a data line (a link, several `label:` parts).
pub fn is_headline(line: &str, settings: &Settings) -> bool {
    is_headline_of(line, word_units(line), settings)
}

/// [`is_headline`] for a line of `words` word units.
pub(crate) fn is_headline_of(line: &str, words: u32, settings: &Settings) -> bool {
    words >= 2
        && words <= settings.title_max_words
        && line.chars().count() <= 300
        && line.chars().any(char::is_alphabetic)
        && !line.ends_with(['.', ',', ';', ':', '。', '．'])
        && line.matches(':').count() <= 1
        && !line.contains("://")
        && !line.contains("www.")
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether `word` (lower-case) is a month's English name or its
/// three-letter abbreviation ("sept" too).
fn is_month_name(word: &str) -> bool {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    word == "sept" || MONTHS.contains(&word) || NAMES.contains(&word)
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

/// Finds a date in `s` and returns it as `YYYY-MM-DD`: ISO dates, `November
/// 19, 2019`, `19 Nov 2019` (or `19-Nov-2019`, `19.Nov.2019`), `19.11.2019`
/// (day first) and `11/19/19` (month first, unless `day_first` or the first
/// number exceeds 12).
pub fn parse_date(s: &str, day_first: bool) -> Option<String> {
    parse_date_with(s, || day_first)
}

/// [`parse_date`], asking `day_first` only for a numeric date it decides
/// (`3/4/25`, not `3/14/25` nor `March 4, 2025`).
///
/// # Panics
///
/// Never: the date patterns are constants that compile.
pub fn parse_date_with(s: &str, day_first: impl FnOnce() -> bool) -> Option<String> {
    static PATTERNS: OnceLock<[Regex; 4]> = OnceLock::new();
    let [iso, name_month_first, name_day_first, numeric] = PATTERNS.get_or_init(|| {
        let month = r"(?P<month>(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?)";
        [
            Regex::new(r"(?-u:\b)(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)(?:T|(?-u:\b))"),
            Regex::new(&format!(r"(?-u:\b){month}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?-u:\b)")),
            Regex::new(&format!(r"(?-u:\b)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\.?\s+|[-.]){month}(?:,?\s+|[-.])(?P<year>(?:19|20)\d\d)(?-u:\b)")),
            Regex::new(r"(?-u:\b)(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})[/.](?P<year>(?:19|20)?\d\d)(?-u:\b)"),
        ]
        .map(|r| r.expect("the date patterns are constants that compile"))
    });
    let ymd = |y: u32, m: u32, d: u32| {
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    let num =
        |c: &regex::Captures, name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    if let Some(c) = iso.captures(s) {
        return ymd(num(&c, "year")?, num(&c, "m")?, num(&c, "day")?);
    }
    for re in [name_month_first, name_day_first] {
        if let Some(c) = re.captures(s) {
            let month = month_number(c.name("month")?.as_str())?;
            return ymd(num(&c, "year")?, month, num(&c, "day")?);
        }
    }
    let c = numeric.captures(s)?;
    let (a, b) = (num(&c, "a")?, num(&c, "b")?);
    let mut year = num(&c, "year")?;
    if year < 100 {
        year += 2000;
    }
    let dotted = c.name("sep").is_some_and(|m| m.as_str() == ".");
    if dotted || a > 12 || (b <= 12 && day_first()) {
        ymd(year, b, a)
    } else {
        ymd(year, a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("November 19, 2019", false).as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("Published: Tue, 19 Nov. 2019 06:56", false).as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("11/19/19 06:56 AM EST", false).as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("19.11.2019", false).as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            parse_date("2021-10-05T10:00", false).as_deref(),
            Some("2021-10-05")
        );
        assert_eq!(
            parse_date("Sept. 3rd, 2020", false).as_deref(),
            Some("2020-09-03")
        );
        assert_eq!(
            parse_date("UPDATED 16:47 EST / DECEMBER 19 2025", false).as_deref(),
            Some("2025-12-19")
        );
        assert_eq!(
            parse_date("FEBRUARY 12, 2024", false).as_deref(),
            Some("2024-02-12")
        );
        assert_eq!(
            parse_date("25-Jun-2019", false).as_deref(),
            Some("2019-06-25")
        );
        assert_eq!(
            parse_date("25.Jun.2019 in Vol 7", false).as_deref(),
            Some("2019-06-25")
        );
        assert_eq!(parse_date("no date here", false), None);
        assert_eq!(
            parse_date("12/03/2021", true).as_deref(),
            Some("2021-03-12")
        );
        assert_eq!(
            parse_date("12/03/2021", false).as_deref(),
            Some("2021-12-03")
        );
        assert_eq!(
            parse_date("03/25/2021", true).as_deref(),
            Some("2021-03-25")
        );
        assert_eq!(parse_date("13/13/2019", false), None);
    }

    #[test]
    fn headlines() {
        let s = Settings::default();
        assert!(is_headline(
            "Who is Responsible for the Escalating Situation?",
            &s
        ));
        assert!(is_headline(
            "Increasing pressure: the limited confrontation (for now?)",
            &s
        ));
        assert!(!is_headline(
            "Russia has urged Tajikistan to avoid confrontation.",
            &s
        ));
        assert!(!is_headline("Opinion", &s));
        assert!(!is_headline("Related:", &s));
        assert!(!is_headline(
            "先日、男性が逮捕されたというニュースを耳にしました。",
            &s
        ));
        assert!(!is_headline(
            "Tested by: John Milbank RRP: 49.95 Euro More info: www.example.net",
            &s
        ));
    }

    #[test]
    fn page_titles_can_be_cut_before_each_short_part() {
        let title = "Staple Tee - 5001 | AS Colour US";
        let cuts: Vec<(&str, &str)> = site_cuts(title)
            .map(|(at, site)| (&title[..at], site))
            .collect();
        assert_eq!(
            cuts,
            [("Staple Tee - 5001", "AS Colour US"), ("Staple Tee", "AS Colour US")]
        );
        assert_eq!(site_cuts("Home | About").count(), 0);
    }

    #[test]
    fn page_titles_split_off_their_site() {
        assert_eq!(
            split_site("Best Tutors in 2025 | Bold.org | Bold.org"),
            Some((19, "Bold.org"))
        );
        assert_eq!(
            split_site("Storm Hits the Coast - News - The Daily"),
            Some((20, "The Daily"))
        );
        assert_eq!(split_site("Home | About"), None);
        assert_eq!(split_site("No separator here"), None);
    }

    #[test]
    fn the_last_separator_is_the_rightmost_of_any_kind() {
        // What searching for each separator from the end and taking the
        // rightmost finds.
        let rightmost = |head: &str| {
            SITE_SEPARATORS
                .iter()
                .filter_map(|sep| head.rfind(sep).map(|at| (at, sep.len())))
                .max_by_key(|(at, _)| *at)
        };
        for head in [
            "A | B - C",
            "A – B :: C  »  D",
            "Wörter — über · alles • ok « x",
            "no separator",
            " | ",
            "a  ::  b",
            "",
        ] {
            assert_eq!(last_separator(head), rightmost(head), "{head:?}");
        }
    }

    #[test]
    fn metadata_values_are_cleaned() {
        let mut m = Metadata::default();
        m.add(Field::Source, " New Eastern Outlook. ");
        m.add(Field::Source, "Other");
        m.add(Field::ImageCredits, "(Wikimedia)");
        m.add(Field::ImageCredits, "Wikimedia");
        m.add(Field::Published, "1 day ago");
        assert_eq!(m.published, None);
        m.add(Field::Published, "Oct 5, 2021");
        assert_eq!(m.source.as_deref(), Some("New Eastern Outlook"));
        assert_eq!(m.image_credits, vec!["Wikimedia"]);
        assert_eq!(m.published.as_deref(), Some("2021-10-05"));
    }
}
