//! The rule model: what a rule file's `[[rule]]` tables deserialise into.

use std::fmt;

use serde::Deserialize;

/// What a rule does to the text its trigger hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Action {
    /// Remove the line holding the trigger.
    DropLine,
    /// Remove the block (blank-line-separated paragraph) holding the trigger.
    DropBlock,
    /// Remove the trigger's line and everything after it.
    DropRest,
    /// Remove from the trigger's line to the line of the rule's `end` trigger.
    DropSpan,
    /// Remove the trigger line (a list heading) and the link-like lines after
    /// it, up to the first line of prose.
    DropList,
    /// Cut only the matched text out of the line.
    Trim,
    /// Capture a metadata field; remove the line unless `keep_line`.
    Extract,
}

impl Action {
    /// The action's name as written in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Action::DropLine => "drop-line",
            Action::DropBlock => "drop-block",
            Action::DropRest => "drop-rest",
            Action::DropSpan => "drop-span",
            Action::DropList => "drop-list",
            Action::Trim => "trim",
            Action::Extract => "extract",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Metadata fields a rule can capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// The author.
    Author,
    /// The author's role.
    AuthorRole,
    /// The publisher the article comes from.
    Source,
    /// The publication date.
    Published,
    /// Image credits (a list).
    ImageCredits,
    /// References (a list).
    References,
}

impl Field {
    /// The field's name in rule files and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Field::Author => "author",
            Field::AuthorRole => "author_role",
            Field::Source => "source",
            Field::Published => "published",
            Field::ImageCredits => "image_credits",
            Field::References => "references",
        }
    }

    /// True for fields that hold a list of values.
    pub fn is_list(self) -> bool {
        matches!(self, Field::ImageCredits | Field::References)
    }
}

/// The literal and regex triggers of a rule (or of a `drop-span` end).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    /// The whole trimmed line equals one of these (ASCII case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_is: Option<Vec<String>>,
    /// The trimmed line starts with one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_starts: Option<Vec<String>>,
    /// The line contains one of these, at word boundaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_contains: Option<Vec<String>>,
    /// Regular expressions searched in the trimmed line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<Vec<String>>,
}

impl Triggers {
    pub(crate) fn is_empty(&self) -> bool {
        self.line_is.is_none()
            && self.line_starts.is_none()
            && self.line_contains.is_none()
            && self.regex.is_none()
    }

    /// The literal phrase lists with their kinds.
    pub fn literal_lists(&self) -> [(LiteralKind, &Option<Vec<String>>); 3] {
        [
            (LiteralKind::LineIs, &self.line_is),
            (LiteralKind::LineStarts, &self.line_starts),
            (LiteralKind::LineContains, &self.line_contains),
        ]
    }

    /// The bytes of its phrases and of its regexes.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        let phrases = self
            .literal_lists()
            .into_iter()
            .flat_map(|(_, list)| list.iter().flatten())
            .map(String::len)
            .sum();
        let regexes = self.regex.iter().flatten().map(String::len).sum();
        (phrases, regexes)
    }
}

/// How a literal phrase must sit in its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LiteralKind {
    /// The whole trimmed line is the phrase.
    LineIs,
    /// The trimmed line starts with the phrase.
    LineStarts,
    /// The line holds the phrase at word boundaries.
    LineContains,
}

impl LiteralKind {
    /// The phrase list's key in rule files.
    pub fn key(self) -> &'static str {
        match self {
            LiteralKind::LineIs => "line_is",
            LiteralKind::LineStarts => "line_starts",
            LiteralKind::LineContains => "line_contains",
        }
    }
}

/// One rule as written in a rule file (and as `pith rules show` writes it
/// back: serialising gives the same TOML keys).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Dotted, stable identifier: `kind.[language.]name`.
    pub id: String,
    /// One sentence: what the rule removes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What the rule does.
    pub action: Action,
    /// What the rule looks for.
    #[serde(flatten)]
    pub triggers: Triggers,
    /// The trigger line may hold at most this many words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_words: Option<u32>,
    /// `drop-rest`: at least this many words must precede the trigger line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_words_before: Option<u32>,
    /// `drop-span`: the span may cover at most this many lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lines: Option<u32>,
    /// The metadata field captured (`extract`, `trim`, list fields for `drop-rest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// `extract`: a short line right after the captured one, in the same
    /// block, is captured into this field too (an author's role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation: Option<Field>,
    /// `extract`: keep the line in the text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_line: bool,
    /// Texts the rule must act on (`pith rules test`).
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts the rule must leave alone.
    #[serde(default)]
    pub near_misses: Vec<String>,
    /// `drop-span`: the triggers that end the span (last: a TOML table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Triggers>,
    /// Where the rule was loaded from (set by the loader).
    #[serde(skip)]
    pub origin: String,
}

impl Rule {
    /// The rule as a rule file holding it alone: a `[[rule]]` table with
    /// every key it was given, phrases included, that loads back the same.
    pub fn to_toml(&self) -> String {
        #[derive(serde::Serialize)]
        struct File<'a> {
            rule: [&'a Rule; 1],
        }
        // Strings, lists and tables always serialise.
        toml::to_string_pretty(&File { rule: [self] }).unwrap_or_default()
    }
}
