//! Errors of rule loading.

use std::fmt;

/// An error in a rule file. The message names the file, the rule and what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// A rule file cannot be read.
    #[error("{origin}: cannot read rule file: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A rule file is not valid TOML.
    #[error("{origin}: not valid TOML: {message}")]
    Syntax {
        /// The file.
        origin: String,
        /// What the TOML parser said, with the line.
        message: String,
    },
    /// A rule or the settings are invalid.
    #[error("{origin}: {what}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// `rule #N` or `rule #N (id)` or `[settings]`.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// Two rules share an id.
    #[error("{origin}: rule `{id}` is defined twice (first in {first})")]
    DuplicateId {
        /// The file of the second.
        origin: String,
        /// The id.
        id: String,
        /// The file of the first.
        first: String,
    },
    /// A rule folder holds no `.toml` file.
    #[error("{path}: no .toml rule files found")]
    NoRuleFiles {
        /// The folder.
        path: String,
    },
    /// A disable pattern matches no rule or pass.
    #[error("disable pattern {pattern}: {0}", pattern = .0.pattern)]
    UnknownDisable(UnknownPattern),
}

/// A disable pattern that matches no rule or pass id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownPattern {
    /// The pattern.
    pub pattern: String,
    /// The pattern, without a `*`, names a family of ids (`comments` for
    /// `comments.bar`): `pattern.*` would match them.
    pub family: bool,
}

impl fmt::Display for UnknownPattern {
    /// What is wrong, with the glob for the family when there is one: the
    /// caller names the pattern.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no rule or pass has that id")?;
        if self.family {
            write!(f, "; for the whole family, write '{}.*'", self.pattern)?;
        }
        Ok(())
    }
}
