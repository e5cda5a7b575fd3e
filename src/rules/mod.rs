//! Rules: the TOML rule model, its loading and its validation.
//!
//! A rule file holds `[[rule]]` tables and optionally one `[settings]` table.
//! Loading is strict: an unknown key, a missing id, a duplicate id, an empty
//! phrase list, a regex that does not compile or a combination of keys that
//! cannot work is a [`RuleError`] naming the file, the rule and the problem.
//! Nothing is ever skipped silently. A user's rule with a built-in rule's id
//! replaces the built-in one (listed in [`RuleSet::replaced`], so the caller
//! can say so); two user rules with one id are an error.
//!
//! The default rule set lives in `rules/` and is embedded in the binary at
//! build time (see [`builtin`]), so `pith` needs no files at run time.

pub mod builtin;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::passes::PASSES;

/// What a rule does to the text its trigger hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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
pub enum Field {
    Author,
    AuthorRole,
    Source,
    Published,
    ImageCredits,
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
    /// The regexes, compiled once at validation.
    #[serde(skip)]
    pub compiled: Vec<regex::Regex>,
}

impl Triggers {
    fn is_empty(&self) -> bool {
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
    fn sizes(&self) -> (usize, usize) {
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

/// Bounds on what rules may ask, so that building a cleaner stays quick and
/// small whatever the rule files hold. Each is ten times or more what the
/// built-in rules use (longest phrase 103 bytes, 73 KB of phrases, longest
/// regex 1.5 KB, 19 KB of regexes, 294 rules).
pub mod limits {
    /// The longest phrase, in bytes.
    pub const PHRASE_BYTES: usize = 1024;
    /// All phrases of a rule set, in bytes.
    pub const ALL_PHRASES_BYTES: usize = 1 << 20;
    /// The longest regex, in bytes of source.
    pub const REGEX_BYTES: usize = 8 << 10;
    /// All regexes of a rule set, in bytes of source.
    pub const ALL_REGEXES_BYTES: usize = 256 << 10;
    /// A compiled regex's size (the `regex` crate's `size_limit`).
    pub const REGEX_COMPILED_BYTES: usize = 1 << 20;
    /// The rules of a rule set.
    pub const RULES: usize = 10_000;
}

/// How a literal phrase must sit in its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LiteralKind {
    LineIs,
    LineStarts,
    LineContains,
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
    pub action: Action,
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

/// Tunable thresholds of the engine and the structural passes.
///
/// Any rule file may carry a `[settings]` table; a later file's keys override
/// an earlier one's. The defaults are in `rules/settings.toml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// If rules would remove more than this share of a document's words, the
    /// document is kept whole and flagged `over_removal`.
    pub max_removed_share: f64,
    /// `drop-rest` default for `min_words_before`.
    pub drop_rest_min_words_before: u32,
    /// `drop-span` default for `max_lines`.
    pub drop_span_max_lines: u32,
    /// A first line longer than this many words is not a title.
    pub title_max_words: u32,
    /// A byline continuation (author role) has at most this many words.
    pub continuation_max_words: u32,
    /// `drop-list`: a line of more words than this, or one ending with a
    /// period, is prose and ends the list.
    pub list_item_max_words: u32,
    /// The line model's decisions (`[settings.body]`).
    pub body: BodySettings,
}

/// Settings of the line model's decisions (see [`crate::decode`]).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BodySettings {
    /// If the model would leave fewer words than this of a longer document,
    /// the best-scoring run of lines is kept instead (flag `body_fallback`).
    pub min_kept_words: u32,
    /// Overrides of the model's decoder settings (see
    /// [`crate::decode::DecodeParams`]): lower thresholds remove less, a
    /// negative `page_shift` more.
    pub page_shift: Option<f32>,
    pub article_threshold: Option<f32>,
    pub section_page_threshold: Option<f32>,
    pub section_article_threshold: Option<f32>,
    pub mode_threshold: Option<f32>,
}

impl Default for BodySettings {
    fn default() -> Self {
        BodySettings {
            min_kept_words: 15,
            page_shift: None,
            article_threshold: None,
            section_page_threshold: None,
            section_article_threshold: None,
            mode_threshold: None,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_removed_share: 0.9,
            drop_rest_min_words_before: 30,
            drop_span_max_lines: 40,
            title_max_words: 22,
            continuation_max_words: 6,
            list_item_max_words: 15,
            body: BodySettings::default(),
        }
    }
}

/// An error in a rule file. The message names the file, the rule and what to fix.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{origin}: cannot read rule file: {source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: not valid TOML: {message}")]
    Syntax { origin: String, message: String },
    #[error("{origin}: {what}: {message}")]
    Invalid {
        origin: String,
        /// `rule #N` or `rule #N (id)` or `[settings]`.
        what: String,
        message: String,
    },
    #[error("{origin}: rule `{id}` is defined twice (first in {first})")]
    DuplicateId {
        origin: String,
        id: String,
        first: String,
    },
    #[error("{path}: no .toml rule files found")]
    NoRuleFiles { path: String },
    #[error("--disable {pattern}: no rule or pass has that id{hint} (see `pith rules list`)")]
    UnknownDisable {
        pattern: String,
        /// A suggestion, such as `; for the family, write 'comments.*'`.
        hint: String,
    },
}

/// A validated collection of rules plus settings.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub settings: Settings,
    /// Structural passes turned off with [`RuleSet::disable`].
    pub disabled_passes: Vec<&'static str>,
    /// Built-in rules that a user's rule of the same id replaced, as
    /// `(id, origin of the replacement)`, in the order they were replaced.
    pub replaced: Vec<(String, String)>,
}

/// How the origin of every built-in rule starts.
pub const BUILTIN_ORIGIN: &str = "<builtin>/";

impl RuleSet {
    /// An empty rule set with default settings.
    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in rules embedded in the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::empty();
        for (name, source) in builtin::FILES {
            set.add_source(&format!("{BUILTIN_ORIGIN}{name}"), source)?;
        }
        Ok(set)
    }

    /// The rule set a user asks for: the built-in rules (unless
    /// `default_rules` is false), plus the rule files or folders in `paths`,
    /// less the rules and passes `disable` names. A `disable` pattern that
    /// matches nothing is an error, as it is usually a typo. The command
    /// line's `--rules`, `--no-default-rules` and `--disable` and the Python
    /// package's `Cleaner` both load rules through here.
    pub fn load(
        paths: &[PathBuf],
        default_rules: bool,
        disable: &[String],
    ) -> Result<RuleSet, RuleError> {
        let mut set = if default_rules {
            RuleSet::builtin()?
        } else {
            RuleSet::empty()
        };
        for path in paths {
            set.add_path(path)?;
        }
        let unmatched = set.disable(disable);
        if let Some(pattern) = unmatched.first() {
            return Err(RuleError::UnknownDisable {
                pattern: pattern.to_string(),
                hint: set.family_hint(pattern),
            });
        }
        Ok(set)
    }

    /// Adds a rule file, or every `.toml` file below a folder (sorted by path).
    pub fn add_path(&mut self, path: &Path) -> Result<(), RuleError> {
        let io = |e| RuleError::Io {
            origin: path.display().to_string(),
            source: e,
        };
        if path.is_dir() {
            let mut files = Vec::new();
            collect_toml_files(path, &mut files).map_err(io)?;
            if files.is_empty() {
                return Err(RuleError::NoRuleFiles {
                    path: path.display().to_string(),
                });
            }
            files.sort();
            for file in files {
                self.add_path(&file)?;
            }
            return Ok(());
        }
        let source = std::fs::read_to_string(path).map_err(io)?;
        self.add_source(&path.display().to_string(), &source)
    }

    /// Adds the rules and settings of one TOML source named `origin`.
    pub fn add_source(&mut self, origin: &str, source: &str) -> Result<(), RuleError> {
        let table: toml::Table = toml::from_str(source).map_err(|e| RuleError::Syntax {
            origin: origin.to_string(),
            message: e.message().to_string() + &describe_span(source, e.span()),
        })?;
        let invalid = |what: String, message: String| RuleError::Invalid {
            origin: origin.to_string(),
            what,
            message,
        };
        for (key, value) in table {
            match key.as_str() {
                "settings" => {
                    let merged = merge_settings(&self.settings, value)
                        .map_err(|m| invalid("[settings]".into(), m))?;
                    validate_settings(&merged).map_err(|m| invalid("[settings]".into(), m))?;
                    self.settings = merged;
                }
                "rule" => {
                    let toml::Value::Array(items) = value else {
                        return Err(invalid(
                            "`rule`".into(),
                            "must be an array of tables: write [[rule]]".into(),
                        ));
                    };
                    for (index, item) in items.into_iter().enumerate() {
                        if self.rules.len() >= limits::RULES {
                            return Err(invalid(
                                format!("rule #{}", index + 1),
                                format!("a rule set may hold at most {} rules", limits::RULES),
                            ));
                        }
                        let mut rule = parse_rule(item, index)
                            .map_err(|(what, message)| invalid(what, message))?;
                        rule.origin = origin.to_string();
                        self.insert(rule)?;
                    }
                }
                other => {
                    return Err(invalid(
                        format!("top-level key `{other}`"),
                        "unknown; a rule file holds [[rule]] tables and one [settings] table"
                            .into(),
                    ));
                }
            }
        }
        self.check_totals()
            .map_err(|message| invalid("rules".into(), message))
    }

    /// Adds a validated rule. One with a built-in rule's id takes its place
    /// when it comes from elsewhere; any other repeated id is an error.
    fn insert(&mut self, rule: Rule) -> Result<(), RuleError> {
        let Some(first) = self.rules.iter_mut().find(|r| r.id == rule.id) else {
            self.rules.push(rule);
            return Ok(());
        };
        let builtin = |origin: &str| origin.starts_with(BUILTIN_ORIGIN);
        if !builtin(&first.origin) || builtin(&rule.origin) {
            return Err(RuleError::DuplicateId {
                origin: rule.origin,
                id: rule.id,
                first: first.origin.clone(),
            });
        }
        self.replaced.push((rule.id.clone(), rule.origin.clone()));
        *first = rule;
        Ok(())
    }

    /// A suggestion for a `--disable` pattern that matched nothing but names
    /// a family of ids (`comments` for `comments.*`); empty otherwise.
    fn family_hint(&self, pattern: &str) -> String {
        let family = format!("{pattern}.");
        let ids = self.rules.iter().map(|r| r.id.as_str());
        let mut ids = ids.chain(PASSES.iter().map(|(id, _)| *id));
        if !pattern.contains('*') && ids.any(|id| id.starts_with(&family)) {
            format!("; for the whole family, write '{pattern}.*'")
        } else {
            String::new()
        }
    }

    /// The rule with id `id`.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rule set's phrases and regexes within [`limits`].
    fn check_totals(&self) -> Result<(), String> {
        let (phrases, regexes) = self
            .rules
            .iter()
            .flat_map(|r| std::iter::once(&r.triggers).chain(&r.end))
            .map(Triggers::sizes)
            .fold((0, 0), |(p, r), (p2, r2)| (p + p2, r + r2));
        let over = |what, total, limit| {
            format!(
                "with this file the rule set holds {total} bytes of {what}, more than the {limit} it may hold"
            )
        };
        if phrases > limits::ALL_PHRASES_BYTES {
            return Err(over("phrases", phrases, limits::ALL_PHRASES_BYTES));
        }
        if regexes > limits::ALL_REGEXES_BYTES {
            return Err(over("regexes", regexes, limits::ALL_REGEXES_BYTES));
        }
        Ok(())
    }

    /// Turns off the rules and structural passes whose id matches any of
    /// `patterns` (exact ids or globs with `*`). Returns the patterns that
    /// matched nothing, which usually means a typo.
    pub fn disable<'p>(&mut self, patterns: &'p [String]) -> Vec<&'p str> {
        let matches = |id: &str| patterns.iter().any(|p| glob_match(p, id));
        let unmatched = patterns
            .iter()
            .filter(|p| {
                !self.rules.iter().any(|r| glob_match(p, &r.id))
                    && !PASSES.iter().any(|(id, _)| glob_match(p, id))
            })
            .map(String::as_str)
            .collect();
        self.rules.retain(|r| !matches(&r.id));
        for (id, _) in PASSES {
            if matches(id) && !self.disabled_passes.contains(id) {
                self.disabled_passes.push(id);
            }
        }
        unmatched
    }
}

fn collect_toml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn describe_span(source: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = source
                .get(..span.start)
                .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count())
                + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

fn merge_settings(current: &Settings, value: toml::Value) -> Result<Settings, String> {
    let toml::Value::Table(overrides) = value else {
        return Err("must be a table: write [settings]".into());
    };
    let mut base = toml::Table::try_from(current).map_err(|e| e.to_string())?;
    merge_tables(&mut base, overrides);
    Settings::deserialize(toml::Value::Table(base)).map_err(|e| e.message().to_string())
}

/// Overrides `base` with `overrides`, key by key, into nested tables.
fn merge_tables(base: &mut toml::Table, overrides: toml::Table) {
    for (key, value) in overrides {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(more)) => {
                merge_tables(inner, more)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn validate_settings(s: &Settings) -> Result<(), String> {
    if !(0.0..=1.0).contains(&s.max_removed_share) {
        return Err(format!(
            "max_removed_share must be between 0 and 1, not {}",
            s.max_removed_share
        ));
    }
    let body = &s.body;
    for (name, value) in [
        ("body.article_threshold", body.article_threshold),
        ("body.section_page_threshold", body.section_page_threshold),
        (
            "body.section_article_threshold",
            body.section_article_threshold,
        ),
        ("body.mode_threshold", body.mode_threshold),
    ] {
        if let Some(v) = value
            && !(0.0..=1.0).contains(&v)
        {
            return Err(format!("{name} must be between 0 and 1, not {v}"));
        }
    }
    if body.page_shift.is_some_and(|v| !v.is_finite()) {
        return Err("body.page_shift must be a number".into());
    }
    if s.drop_span_max_lines == 0 {
        return Err("drop_span_max_lines must be at least 1".into());
    }
    Ok(())
}

/// Parses and validates one `[[rule]]` table; errors are `(what, message)`.
fn parse_rule(item: toml::Value, index: usize) -> Result<Rule, (String, String)> {
    let position = format!("rule #{}", index + 1);
    let id = item
        .get("id")
        .and_then(toml::Value::as_str)
        .map(str::to_string);
    let what = match &id {
        Some(id) => format!("{position} ({id})"),
        None => position.clone(),
    };
    if id.is_none() {
        return Err((
            what,
            "has no `id` (a string such as \"comments.example\")".into(),
        ));
    }
    let mut rule = Rule::deserialize(item).map_err(|e| (what.clone(), e.message().to_string()))?;
    validate_rule(&mut rule).map_err(|m| (what, m))?;
    Ok(rule)
}

fn validate_rule(rule: &mut Rule) -> Result<(), String> {
    validate_id(&rule.id)?;
    if rule.triggers.is_empty() {
        return Err("has no trigger: give line_is, line_starts, line_contains or regex".into());
    }
    validate_triggers(&mut rule.triggers, "")?;
    let span = rule.action == Action::DropSpan;
    match (&mut rule.end, span) {
        (None, true) => return Err("drop-span needs an `end` table of triggers".into()),
        (Some(_), false) => return Err("`end` only applies to action drop-span".into()),
        (Some(end), true) => {
            if end.is_empty() {
                return Err("`end` has no trigger".into());
            }
            validate_triggers(end, "end.")?;
        }
        (None, false) => {}
    }
    if rule.max_lines.is_some() && !span && rule.action != Action::DropList {
        return Err("`max_lines` only applies to actions drop-span and drop-list".into());
    }
    if rule.max_lines == Some(0) {
        return Err("`max_lines` must be at least 1".into());
    }
    if rule.min_words_before.is_some() && rule.action != Action::DropRest {
        return Err("`min_words_before` only applies to action drop-rest".into());
    }
    if rule.max_words == Some(0) {
        return Err("`max_words` must be at least 1".into());
    }
    if rule.keep_line && rule.action != Action::Extract {
        return Err("`keep_line` only applies to action extract".into());
    }
    validate_field(rule)
}

fn validate_field(rule: &Rule) -> Result<(), String> {
    match (rule.action, rule.field) {
        (Action::Extract, None) => return Err("extract needs a `field`".into()),
        (Action::Extract | Action::Trim, Some(field)) => {
            if field == Field::References {
                return Err("`references` is captured by a drop-rest rule (a section)".into());
            }
            if rule.triggers.line_is.is_some() {
                return Err(
                    "a line_is phrase leaves no value to capture: use line_starts or a regex with a (?P<value>…) group"
                        .into(),
                );
            }
            if let Some(regexes) = &rule.triggers.regex
                && let Some(re) = regexes.iter().find(|r| !r.contains("(?P<value>"))
            {
                return Err(format!(
                    "regex `{re}` captures field `{}` but has no (?P<value>…) group",
                    field.name()
                ));
            }
        }
        (Action::DropRest, Some(field)) if !field.is_list() => {
            return Err(format!(
                "drop-rest captures its section into a list field (references, image_credits), not `{}`",
                field.name()
            ));
        }
        (Action::DropRest, _) | (_, None) => {}
        (action, Some(_)) => {
            return Err(format!(
                "`field` does not apply to action {action}: use extract"
            ));
        }
    }
    match rule.continuation {
        Some(_) if rule.action != Action::Extract => {
            Err("`continuation` only applies to action extract".into())
        }
        Some(field) if field.is_list() || Some(field) == rule.field => Err(format!(
            "`continuation` must name another single-value field, not `{}`",
            field.name()
        )),
        _ => Ok(()),
    }
}

fn validate_id(id: &str) -> Result<(), String> {
    let parts: Vec<&str> = id.split('.').collect();
    let well_formed = parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "id `{id}` must be dotted lower-case words (kind.name, e.g. comments.leave-a-reply)"
        ))
    }
}

fn validate_triggers(t: &mut Triggers, prefix: &str) -> Result<(), String> {
    for (kind, list) in t.literal_lists() {
        let Some(list) = list else { continue };
        let key = match kind {
            LiteralKind::LineIs => "line_is",
            LiteralKind::LineStarts => "line_starts",
            LiteralKind::LineContains => "line_contains",
        };
        if list.is_empty() {
            return Err(format!("`{prefix}{key}` is an empty list"));
        }
        for phrase in list {
            if phrase.trim().is_empty() {
                return Err(format!("`{prefix}{key}` holds an empty phrase"));
            }
            if phrase.contains('\n') || phrase.contains('\r') {
                return Err(format!(
                    "`{prefix}{key}` phrase {phrase:?} spans lines; phrases match within one line"
                ));
            }
            if phrase.trim() != phrase {
                return Err(format!(
                    "`{prefix}{key}` phrase {phrase:?} has leading or trailing space; lines are matched trimmed"
                ));
            }
            if phrase.len() > limits::PHRASE_BYTES {
                return Err(format!(
                    "`{prefix}{key}` phrase {} is {} bytes long, more than the {} a phrase may be; keep its distinctive start",
                    excerpt(phrase),
                    phrase.len(),
                    limits::PHRASE_BYTES
                ));
            }
        }
    }
    if let Some(regexes) = &t.regex {
        if regexes.is_empty() {
            return Err(format!("`{prefix}regex` is an empty list"));
        }
        t.compiled = regexes
            .iter()
            .map(|re| {
                if re.len() > limits::REGEX_BYTES {
                    return Err(format!(
                        "`{prefix}regex` {} is {} bytes long, more than the {} a regex may be",
                        excerpt(re),
                        re.len(),
                        limits::REGEX_BYTES
                    ));
                }
                regex::RegexBuilder::new(re)
                    .dfa_size_limit(REGEX_CACHE_BYTES)
                    .size_limit(limits::REGEX_COMPILED_BYTES)
                    .build()
                    .map_err(|e| format!("`{prefix}regex` {} does not compile: {e}", excerpt(re)))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(())
}

/// The start of a long phrase or regex, quoted, for an error message.
fn excerpt(text: &str) -> String {
    const SHOWN: usize = 60;
    if text.chars().count() <= SHOWN {
        format!("{text:?}")
    } else {
        format!("{:?}…", text.chars().take(SHOWN).collect::<String>())
    }
}

/// The lazy DFA cache of each rule regex, per thread. Rule regexes run on
/// single lines, so a small cache suffices; the crate's default (2 MB) times
/// a hundred regexes times the threads would dominate pith's memory.
const REGEX_CACHE_BYTES: usize = 1 << 16;

/// Matches `id` against `pattern`, where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, id: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = id.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(source: &str) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::empty();
        set.add_source("test.toml", source)?;
        Ok(set)
    }

    fn error(source: &str) -> String {
        match load(source) {
            Ok(_) => panic!("expected an error for:\n{source}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_a_rule() {
        let set = load(
            r#"
            [[rule]]
            id = "comments.leave-a-reply"
            description = "comment form"
            action = "drop-rest"
            line_is = ["Leave a Reply"]
            min_words_before = 10
            examples = ["Leave a Reply"]
            "#,
        )
        .unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].action, Action::DropRest);
        assert_eq!(set.rules[0].origin, "test.toml");
    }

    #[test]
    fn errors_name_file_rule_and_problem() {
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_iss = [\"x\"]\n");
        assert!(
            e.contains("test.toml") && e.contains("rule #1 (a.b)") && e.contains("line_iss"),
            "{e}"
        );
        let e = error("[[rule]]\naction = \"drop-line\"\nline_is = [\"x\"]\n");
        assert!(e.contains("rule #1") && e.contains("no `id`"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_is = []\n");
        assert!(e.contains("empty list"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nregex = [\"(\"]\n");
        assert!(e.contains("does not compile"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\n");
        assert!(e.contains("no trigger"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"explode\"\nline_is = [\"x\"]\n");
        assert!(e.contains("explode"), "{e}");
        let e = error("[[rule]]\nid = \"Bad Id\"\naction = \"drop-line\"\nline_is = [\"x\"]\n");
        assert!(e.contains("dotted"), "{e}");
        let e = error("[[rule\nid=");
        assert!(e.contains("not valid TOML") && e.contains("line"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let one = "[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_is = [\"x\"]\n";
        let mut set = load(one).unwrap();
        let e = set.add_source("other.toml", one).unwrap_err().to_string();
        assert!(
            e.contains("other.toml") && e.contains("a.b") && e.contains("test.toml"),
            "{e}"
        );
    }

    #[test]
    fn impossible_combinations_are_rejected() {
        let cases = [
            (
                "action = \"drop-span\"\nline_is = [\"x\"]",
                "needs an `end`",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nend = { line_is = [\"y\"] }",
                "only applies to action drop-span",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nmin_words_before = 3",
                "only applies to action drop-rest",
            ),
            (
                "action = \"extract\"\nline_starts = [\"x\"]",
                "needs a `field`",
            ),
            (
                "action = \"extract\"\nline_is = [\"x\"]\nfield = \"author\"",
                "no value to capture",
            ),
            (
                "action = \"extract\"\nregex = [\"x\"]\nfield = \"author\"",
                "(?P<value>",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nfield = \"author\"",
                "does not apply",
            ),
            (
                "action = \"drop-rest\"\nline_is = [\"x\"]\nfield = \"author\"",
                "list field",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nkeep_line = true",
                "keep_line",
            ),
            (
                "action = \"drop-line\"\nline_is = [\" x\"]",
                "leading or trailing space",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nmax_words = 0",
                "at least 1",
            ),
        ];
        for (body, expected) in cases {
            let e = error(&format!("[[rule]]\nid = \"a.b\"\n{body}\n"));
            assert!(e.contains(expected), "{body}\n=> {e}");
        }
    }

    #[test]
    fn nested_settings_merge_key_by_key() {
        let mut set = load("[settings.body]\nmin_kept_words = 5\n").unwrap();
        set.add_source("b.toml", "[settings]\ntitle_max_words = 9\n")
            .unwrap();
        assert_eq!(set.settings.body.min_kept_words, 5);
        assert_eq!(set.settings.title_max_words, 9);
        assert!(error("[settings.body]\nnope = 3\n").contains("nope"));
    }

    #[test]
    fn settings_merge_and_validate() {
        let set = load("[settings]\nmax_removed_share = 0.5\n").unwrap();
        assert_eq!(set.settings.max_removed_share, 0.5);
        assert_eq!(
            set.settings.title_max_words,
            Settings::default().title_max_words
        );
        assert!(error("[settings]\nmax_removed_share = 2.0\n").contains("between 0 and 1"));
        assert!(error("[settings]\nnope = 1\n").contains("nope"));
    }

    #[test]
    fn globs() {
        assert!(glob_match("references.*", "references.heading"));
        assert!(glob_match("*.wordpress.*", "comments.wordpress.leave"));
        assert!(glob_match("a.b", "a.b"));
        assert!(!glob_match("a.b", "a.bc"));
        assert!(!glob_match("references.*", "comments.x"));
        assert!(glob_match("*", "anything"));
    }

    #[test]
    fn a_user_rule_replaces_a_builtin_rule_of_the_same_id_once() {
        let mut set = RuleSet::builtin().unwrap();
        let before = set.rules.len();
        let rule = "[[rule]]\nid = \"comments.leave-a-reply\"\naction = \"drop-line\"\nline_is = [\"Leave a Reply\"]\n";
        set.add_source("mine.toml", rule).unwrap();
        assert_eq!(set.rules.len(), before);
        let replaced = set.get("comments.leave-a-reply").unwrap();
        assert_eq!(
            (replaced.origin.as_str(), replaced.action),
            ("mine.toml", Action::DropLine)
        );
        assert_eq!(
            set.replaced,
            [(
                "comments.leave-a-reply".to_string(),
                "mine.toml".to_string()
            )]
        );
        // A second user rule with the id is a mistake.
        let e = set.add_source("other.toml", rule).unwrap_err().to_string();
        assert!(e.contains("defined twice (first in mine.toml)"), "{e}");
    }

    #[test]
    fn a_rule_serialises_to_toml_that_loads_back_the_same() {
        let builtin = RuleSet::builtin().unwrap();
        for rule in &builtin.rules {
            let text = rule.to_toml();
            assert!(text.starts_with("[[rule]]\n"), "{text}");
            let back = load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back.rules[0].to_toml(), text);
        }
    }

    #[test]
    fn disable_of_a_family_name_suggests_the_glob() {
        let e = RuleSet::load(&[], true, &["comments".to_string()]).unwrap_err();
        assert!(e.to_string().contains("write 'comments.*'"), "{e}");
        let e = RuleSet::load(&[], true, &["zzz".to_string()]).unwrap_err();
        assert!(!e.to_string().contains("write"), "{e}");
    }

    #[test]
    fn disable_reports_unmatched_patterns() {
        let mut set = load(
            "[[rule]]\nid = \"a.one\"\naction = \"drop-line\"\nline_is = [\"x\"]\n\
             [[rule]]\nid = \"b.two\"\naction = \"drop-line\"\nline_is = [\"y\"]\n",
        )
        .unwrap();
        let patterns = vec!["a.*".to_string(), "zzz".to_string()];
        assert_eq!(set.disable(&patterns), vec!["zzz"]);
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].id, "b.two");
    }

    #[test]
    fn what_rules_may_ask_is_bounded() {
        let rule = |i: usize, trigger: &str| {
            format!("[[rule]]\nid = \"t.r{i}\"\naction = \"drop-line\"\n{trigger}\n")
        };
        let e = error(&rule(
            0,
            &format!("line_contains = [\"{}c\"]", "ab ".repeat(10_000)),
        ));
        assert!(e.contains("30001 bytes long, more than the 1024"), "{e}");
        assert!(e.len() < 300, "{e}");
        let e = error(&rule(0, &format!("regex = ['{}']", "a".repeat(9000))));
        assert!(e.contains("9000 bytes long, more than the 8192"), "{e}");
        let e = error(&rule(0, r"regex = ['(?:\w{100}){100}']"));
        assert!(e.contains("size limit"), "{e}");
        let phrase = "word ".repeat(199);
        let many: String = (0..1100)
            .map(|i| rule(i, &format!("line_contains = [\"{i} {}\"]", phrase.trim())))
            .collect();
        let e = error(&many);
        assert!(e.contains("bytes of phrases, more than the 1048576"), "{e}");
        let regexes: String = (0..40)
            .map(|i| rule(i, &format!("regex = ['{i}{}']", "a".repeat(8000))))
            .collect();
        let e = error(&regexes);
        assert!(e.contains("bytes of regexes, more than the 262144"), "{e}");
        let rules: String = (0..=limits::RULES)
            .map(|i| rule(i, &format!("line_is = [\"r{i}\"]")))
            .collect();
        assert!(error(&rules).contains("at most 10000 rules"));
        // The built-in rules are well within every bound.
        assert!(RuleSet::builtin().is_ok());
    }
}
