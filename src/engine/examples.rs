//! Rule examples: every rule carries texts it must act on (`examples`) and
//! texts it must leave alone (`near_misses`). This module runs them.
//!
//! Each rule is tested alone, with the structural passes off and the
//! document-level guards relaxed (no minimum position for `drop-rest`, no cap
//! on the removed share), because examples are short snippets. The trigger,
//! its placement and the line guards (`max_words`, `drop-span` limits) are
//! all exercised.

use super::{Cleaner, CleanerError};
use crate::rules::{Action, Rule, RuleSet};

/// An example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExampleFailure {
    /// The rule whose example misbehaved.
    pub rule: String,
    /// Where the rule was loaded from.
    pub origin: String,
    /// `example` (the rule did not act) or `near miss` (it did).
    pub kind: &'static str,
    /// The example or near miss.
    pub text: String,
}

/// The outcome of testing a rule set's examples.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ExampleReport {
    /// Examples and near misses run.
    pub checked: usize,
    /// The examples and near misses that misbehaved.
    pub failures: Vec<ExampleFailure>,
    /// Ids of rules with no example or no near miss.
    pub undocumented: Vec<String>,
}

/// Runs the examples and near misses of every rule in `set`.
///
/// # Errors
///
/// [`CleanerError`] when a rule alone cannot make a cleaner.
pub fn test_examples(set: &RuleSet) -> Result<ExampleReport, CleanerError> {
    let mut report = ExampleReport::default();
    for rule in &set.rules {
        if rule.examples.is_empty() || rule.near_misses.is_empty() {
            report.undocumented.push(rule.id.clone());
        }
        let mut relaxed = rule.clone();
        if relaxed.action == Action::DropRest {
            relaxed.min_words_before = Some(0);
        }
        let mut alone = RuleSet {
            rules: vec![relaxed],
            settings: set.settings.clone(),
            disabled: vec!["*".to_string()],
            unmatched_disable: Vec::new(),
            replaced: Vec::new(),
        };
        alone.settings.drop_rest_min_words_before = 0;
        alone.settings.max_removed_share = 1.0;
        let cleaner = Cleaner::new(alone)?;
        for (texts, should_act, kind) in [
            (&rule.examples, true, "example"),
            (&rule.near_misses, false, "near miss"),
        ] {
            for text in texts {
                report.checked += 1;
                if acts(&cleaner, rule, text) != should_act {
                    report.failures.push(ExampleFailure {
                        rule: rule.id.clone(),
                        origin: rule.origin.clone(),
                        kind,
                        text: text.clone(),
                    });
                }
            }
        }
    }
    Ok(report)
}

/// True when `rule` removed, cut or captured anything in `text`.
fn acts(cleaner: &Cleaner, rule: &Rule, text: &str) -> bool {
    let cleaned = cleaner.clean(text);
    if cleaned.removed.iter().any(|r| r.rule == rule.id) {
        return true;
    }
    rule.action == Action::Extract
        && (cleaned.metadata.author.is_some()
            || cleaned.metadata.author_role.is_some()
            || cleaned.metadata.source.is_some()
            || cleaned.metadata.published.is_some()
            || !cleaned.metadata.image_credits.is_empty())
}
