//! Loading rule sets: the built-in files, rule files and folders, TOML
//! sources; replacing built-in rules; disabling rules and passes.

use std::path::{Path, PathBuf};

use super::builtin;
use super::error::{RuleError, UnknownPattern};
use super::model::{Rule, Triggers};
use super::settings::{Settings, merge_settings};
use super::validate::{RegexCheck, limits, parse_rule, validate_settings};

/// A validated collection of rules plus settings.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The rules, in load order.
    pub rules: Vec<Rule>,
    /// The settings in force.
    pub settings: Settings,
    /// The [`RuleSet::disable`] patterns, which also turn off the
    /// structural passes they match.
    pub disabled: Vec<String>,
    /// The [`RuleSet::disable`] patterns that matched no rule: each must
    /// name a structural pass, which building a `Cleaner` checks (the rules
    /// do not know the passes).
    pub unmatched_disable: Vec<String>,
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
    ///
    /// # Errors
    ///
    /// [`RuleError`] only if a built-in file is invalid (the tests rule it out).
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::empty();
        for (name, source) in builtin::FILES {
            set.add_checked(
                &format!("{BUILTIN_ORIGIN}{name}"),
                source,
                RegexCheck::Length,
            )?;
        }
        Ok(set)
    }

    /// The rule set a user asks for: the built-in rules (unless
    /// `default_rules` is false), plus the rule files or folders in `paths`,
    /// less the rules and passes `disable` names (a pattern that matches no
    /// rule and no pass is an error when the `Cleaner` is built, as it is
    /// usually a typo; `pith::check_disable` checks it before). The command
    /// line's `--rules`, `--no-default-rules` and `--disable` and the Python
    /// package's `Cleaner` both load rules through here.
    ///
    /// # Errors
    ///
    /// The first [`RuleError`] of loading a file.
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
        set.disable(disable);
        Ok(set)
    }

    /// Replaces the settings, once they are validated.
    ///
    /// # Errors
    ///
    /// [`RuleError::Invalid`] naming the setting out of range.
    pub fn set_settings(&mut self, settings: Settings) -> Result<(), RuleError> {
        validate_settings(&settings).map_err(|message| RuleError::Invalid {
            origin: "<settings>".into(),
            what: "[settings]".into(),
            message,
        })?;
        self.settings = settings;
        Ok(())
    }

    /// Adds a rule file, or every `.toml` file below a folder (sorted by path).
    ///
    /// # Errors
    ///
    /// [`RuleError::Io`], [`RuleError::NoRuleFiles`], or an error of [`RuleSet::add_source`].
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
    ///
    /// # Errors
    ///
    /// [`RuleError::Syntax`], [`RuleError::Invalid`] or [`RuleError::DuplicateId`], naming `origin`, the rule and the problem.
    pub fn add_source(&mut self, origin: &str, source: &str) -> Result<(), RuleError> {
        self.add_checked(origin, source, RegexCheck::Compile)
    }

    /// [`RuleSet::add_source`], with the regexes checked as `regexes` says.
    fn add_checked(
        &mut self,
        origin: &str,
        source: &str,
        regexes: RegexCheck,
    ) -> Result<(), RuleError> {
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
                        let mut rule = parse_rule(item, index, regexes)
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

    /// The first disable pattern that matches no rule and none of
    /// `pass_ids`, as an error naming it.
    ///
    /// # Errors
    ///
    /// [`RuleError::UnknownDisable`] for that pattern.
    pub(crate) fn check_disable(
        &self,
        pass_ids: impl Iterator<Item = &'static str> + Clone,
    ) -> Result<(), RuleError> {
        let Some(pattern) = self
            .unmatched_disable
            .iter()
            .find(|p| !pass_ids.clone().any(|id| glob_match(p, id)))
        else {
            return Ok(());
        };
        // No `*`, but a family of ids: `pattern.*` would match.
        let family = format!("{pattern}.");
        let names_family = self.rules.iter().any(|r| r.id.starts_with(&family))
            || pass_ids.clone().any(|id| id.starts_with(&family));
        Err(RuleError::UnknownDisable(UnknownPattern {
            pattern: pattern.clone(),
            family: !pattern.contains('*') && names_family,
        }))
    }

    /// True when a disable pattern matches `id` (a structural pass's).
    pub fn disables(&self, id: &str) -> bool {
        self.disabled.iter().any(|p| glob_match(p, id))
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
    /// matched no rule: they must name structural passes, or building a
    /// `Cleaner` fails (a typo, usually).
    pub fn disable<'p>(&mut self, patterns: &'p [String]) -> Vec<&'p str> {
        let matches = |id: &str| patterns.iter().any(|p| glob_match(p, id));
        let unmatched: Vec<&str> = patterns
            .iter()
            .filter(|p| !self.rules.iter().any(|r| glob_match(p, &r.id)))
            .map(String::as_str)
            .collect();
        self.rules.retain(|r| !matches(&r.id));
        self.disabled.extend(patterns.iter().cloned());
        self.unmatched_disable
            .extend(unmatched.iter().map(|p| (*p).to_string()));
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
