//! [`CleanerBuilder`]: a [`Cleaner`] from rules, disabled ids, settings and
//! a mode, in one call chain.

use std::path::PathBuf;

use super::{Cleaner, CleanerError, check_disable};
use crate::decode::Mode;
use crate::rules::{RuleSet, Settings};

/// Builds a [`Cleaner`]: which rules (the built-in ones, rule files or
/// folders, TOML sources), which rules and passes to turn off, the
/// settings and the mode.
///
/// Rules load in order: the built-in rules (unless
/// [`no_default_rules`](CleanerBuilder::no_default_rules)), the paths, the
/// sources. A rule with a built-in rule's id replaces it.
///
/// Adding a rule file and cleaning with it:
///
/// ```
/// use pith::{CleanerBuilder, Mode};
///
/// let dir = std::env::temp_dir().join(format!("pith-doctest-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("house.toml");
/// std::fs::write(
///     &file,
///     r#"
/// [[rule]]
/// id = "house.banner"
/// description = "The newsletter banner of our site."
/// action = "drop-line"
/// line_is = ["Subscribe to the Daily Bugle"]
/// "#,
/// )?;
/// let cleaner = CleanerBuilder::new()
///     .rules_path(&file)
///     .disable("structure.title")
///     .mode(Mode::Article)
///     .build()?;
/// let cleaned = cleaner.clean(
///     "The storm hit the coast on Monday, flooding the harbour.\n\n\
///      Subscribe to the Daily Bugle\n\n\
///      Residents were told to stay indoors until the wind dropped.",
/// );
/// assert!(!cleaned.text.contains("Daily Bugle"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CleanerBuilder {
    no_default_rules: bool,
    paths: Vec<PathBuf>,
    sources: Vec<(String, String)>,
    disable: Vec<String>,
    settings: Option<Settings>,
    mode: Mode,
}

impl CleanerBuilder {
    /// The built-in rules and settings, [`Mode::Auto`].
    pub fn new() -> CleanerBuilder {
        CleanerBuilder::default()
    }

    /// Starts from no rules: only the added ones and the structural passes.
    #[must_use]
    pub fn no_default_rules(mut self) -> CleanerBuilder {
        self.no_default_rules = true;
        self
    }

    /// Adds a rule file, or every `.toml` file below a folder.
    #[must_use]
    pub fn rules_path(mut self, path: impl Into<PathBuf>) -> CleanerBuilder {
        self.paths.push(path.into());
        self
    }

    /// Adds the rules (and `[settings]`) of a TOML text; `origin` names it
    /// in errors and in [`Rule::origin`](crate::rules::Rule::origin).
    #[must_use]
    pub fn rules_source(
        mut self,
        origin: impl Into<String>,
        toml: impl Into<String>,
    ) -> CleanerBuilder {
        self.sources.push((origin.into(), toml.into()));
        self
    }

    /// Turns off the rules and passes whose id matches `pattern` (an id, or
    /// a glob with `*` such as `comments.*`).
    #[must_use]
    pub fn disable(mut self, pattern: impl Into<String>) -> CleanerBuilder {
        self.disable.push(pattern.into());
        self
    }

    /// Replaces the settings the rules carry.
    #[must_use]
    pub fn settings(mut self, settings: Settings) -> CleanerBuilder {
        self.settings = Some(settings);
        self
    }

    /// Sets what the text is (default [`Mode::Auto`]).
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> CleanerBuilder {
        self.mode = mode;
        self
    }

    /// The rule set these choices make.
    ///
    /// # Errors
    ///
    /// [`RuleError`](crate::RuleError) when a rule file cannot be read or
    /// is invalid, when the settings are out of range, or when a disable
    /// pattern matches no rule or pass.
    pub fn rule_set(&self) -> Result<RuleSet, crate::RuleError> {
        let mut set = if self.no_default_rules {
            RuleSet::empty()
        } else {
            RuleSet::builtin()?
        };
        for path in &self.paths {
            set.add_path(path)?;
        }
        for (origin, source) in &self.sources {
            set.add_source(origin, source)?;
        }
        if let Some(settings) = &self.settings {
            set.set_settings(settings.clone())?;
        }
        set.disable(&self.disable);
        check_disable(&set)?;
        Ok(set)
    }

    /// Builds the cleaner.
    ///
    /// # Errors
    ///
    /// [`CleanerError::Rules`] as for [`CleanerBuilder::rule_set`]; the
    /// other variants if the phrase automaton or the model cannot be built.
    pub fn build(&self) -> Result<Cleaner, CleanerError> {
        Ok(Cleaner::new(self.rule_set()?)?.with_mode(self.mode))
    }
}
