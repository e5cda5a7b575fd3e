//! Errors of rule loading.

/// An error in a rule file. The message names the file, the rule and what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
