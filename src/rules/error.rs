//! Errors of rule loading.

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
    #[error("--disable {pattern}: no rule or pass has that id{hint} (see `pith rules list`)")]
    UnknownDisable {
        /// The pattern.
        pattern: String,
        /// A suggestion, such as `; for the family, write 'comments.*'`.
        hint: String,
    },
}
