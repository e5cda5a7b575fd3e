//! The command's wording of the library's errors: the library says what is
//! wrong; the command adds the flag that changes it.

use std::fmt;

use pith::RuleError;
use pith::input::RecordError;

/// A record error with the flag that changes it (`--strict`,
/// `--text-field`, `--max-record-bytes`).
pub struct RecordHint<'e>(pub &'e RecordError);

impl fmt::Display for RecordHint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.0;
        match error {
            RecordError::InvalidUtf8 => {
                write!(f, "{error} (run without --strict to replace bad bytes)")
            }
            RecordError::LoneSurrogate(_) => {
                write!(f, "{error} (run without --strict to replace it)")
            }
            RecordError::MissingField(_) => {
                write!(f, "{error} (choose the text field with --text-field)")
            }
            RecordError::TooLong { bytes, limit } => write!(
                f,
                "record of {bytes} bytes is longer than --max-record-bytes {limit}; it was skipped (raise the limit to clean it)"
            ),
            _ => write!(f, "{error}"),
        }
    }
}

/// A rule error with the flag that caused it: `--disable`.
pub fn rule_message(error: &RuleError) -> String {
    match error {
        RuleError::UnknownDisable(unknown) => format!(
            "--disable {}: {unknown} (see `pith rules list`)",
            unknown.pattern
        ),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_errors_name_the_flag_that_changes_them() {
        let hinted = |e: &RecordError| RecordHint(e).to_string();
        assert_eq!(
            hinted(&RecordError::InvalidUtf8),
            "invalid UTF-8 (run without --strict to replace bad bytes)"
        );
        assert_eq!(
            hinted(&RecordError::MissingField("body".into())),
            "no `body` field (choose the text field with --text-field)"
        );
        assert_eq!(
            hinted(&RecordError::TooLong { bytes: 9, limit: 4 }),
            "record of 9 bytes is longer than --max-record-bytes 4; it was skipped (raise the limit to clean it)"
        );
        assert_eq!(
            hinted(&RecordError::NotAnObject),
            RecordError::NotAnObject.to_string()
        );
    }
}
