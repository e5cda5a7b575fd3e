//! Validation of rules and settings: everything a rule file may get wrong
//! is caught here, before a rule reaches the matcher.

use serde::Deserialize;

use super::model::{Action, Field, Rule, Triggers};
use super::settings::Settings;

/// Bounds on what rules may ask, so that building a cleaner stays quick and
/// small whatever the rule files hold. Each is ten times or more what the
/// built-in rules use (longest phrase 103 bytes, 75 KB of phrases, longest
/// regex 1.5 KB, 19 KB of regexes, 295 rules).
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

pub(crate) fn validate_settings(s: &Settings) -> Result<(), String> {
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
    if body.page_scale.is_some_and(|v| !(v.is_finite() && v > 0.0)) {
        return Err("body.page_scale must be a number above 0".into());
    }
    if s.drop_span_max_lines == 0 {
        return Err("drop_span_max_lines must be at least 1".into());
    }
    Ok(())
}

/// Parses and validates one `[[rule]]` table; errors are `(what, message)`.
pub(crate) fn parse_rule(
    item: toml::Value,
    index: usize,
    regexes: RegexCheck,
) -> Result<Rule, (String, String)> {
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
    let rule = Rule::deserialize(item).map_err(|e| (what.clone(), e.message().to_string()))?;
    validate_rule(&rule, regexes).map_err(|m| (what, m))?;
    Ok(rule)
}

/// How far a rule's regexes are checked when it is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegexCheck {
    /// Compiled, so a regex that does not compile or is too large is an
    /// error naming it (a user's rule file).
    Compile,
    /// Their length only: the built-in rules, whose regexes a test
    /// compiles. The matcher compiles a regex when it first needs it.
    Length,
}

/// The builder every rule regex is compiled with, at validation and in
/// the matcher.
pub(crate) fn regex_builder(source: &str) -> regex::RegexBuilder {
    let mut builder = regex::RegexBuilder::new(source);
    builder
        .dfa_size_limit(REGEX_CACHE_BYTES)
        .size_limit(limits::REGEX_COMPILED_BYTES);
    builder
}

fn validate_rule(rule: &Rule, regexes: RegexCheck) -> Result<(), String> {
    validate_id(&rule.id)?;
    if rule.triggers.is_empty() {
        return Err("has no trigger: give line_is, line_starts, line_contains or regex".into());
    }
    validate_triggers(&rule.triggers, "", regexes)?;
    let span = rule.action == Action::DropSpan;
    match (&rule.end, span) {
        (None, true) => return Err("drop-span needs an `end` table of triggers".into()),
        (Some(_), false) => return Err("`end` only applies to action drop-span".into()),
        (Some(end), true) => {
            if end.is_empty() {
                return Err("`end` has no trigger".into());
            }
            validate_triggers(end, "end.", regexes)?;
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

fn validate_triggers(t: &Triggers, prefix: &str, regexes: RegexCheck) -> Result<(), String> {
    for (kind, list) in t.literal_lists() {
        let Some(list) = list else { continue };
        let key = kind.key();
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
    if let Some(list) = &t.regex {
        if list.is_empty() {
            return Err(format!("`{prefix}regex` is an empty list"));
        }
        for re in list {
            if re.len() > limits::REGEX_BYTES {
                return Err(format!(
                    "`{prefix}regex` {} is {} bytes long, more than the {} a regex may be",
                    excerpt(re),
                    re.len(),
                    limits::REGEX_BYTES
                ));
            }
            if regexes == RegexCheck::Compile {
                regex_builder(re).build().map_err(|e| {
                    format!("`{prefix}regex` {} does not compile: {e}", excerpt(re))
                })?;
            }
        }
    }
    Ok(())
}

/// A phrase that repeats an earlier phrase of the same list but for ASCII
/// case. The matcher folds ASCII case, so the repeat adds nothing; `pith
/// rules check` warns about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CaseDuplicate {
    /// The list's key: `line_is`, `line_starts` or `line_contains`, with
    /// `end.` before it for a `drop-span` end.
    pub key: String,
    /// The earlier phrase.
    pub first: String,
    /// The phrase that repeats it.
    pub repeat: String,
}

impl Rule {
    /// The phrases of this rule that repeat an earlier phrase of the same
    /// list but for ASCII case.
    pub fn case_duplicates(&self) -> Vec<CaseDuplicate> {
        let groups =
            std::iter::once(("", &self.triggers)).chain(self.end.iter().map(|e| ("end.", e)));
        let mut found = Vec::new();
        for (prefix, triggers) in groups {
            for (kind, list) in triggers.literal_lists() {
                let list = list.as_deref().unwrap_or_default();
                for (i, repeat) in list.iter().enumerate() {
                    let earlier = list.get(..i).unwrap_or_default();
                    if let Some(first) = earlier.iter().find(|p| p.eq_ignore_ascii_case(repeat)) {
                        found.push(CaseDuplicate {
                            key: format!("{prefix}{}", kind.key()),
                            first: first.clone(),
                            repeat: repeat.clone(),
                        });
                    }
                }
            }
        }
        found
    }
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
