//! `pith rules list | check | show | test`.

use std::io::{self, Write};
use std::process::ExitCode;

use pith::{Cleaner, RuleSet};
use pith::{passes, test_examples};

use super::{Failure, RuleArgs, RulesCommand, load_rules};

/// Runs a `rules` subcommand over the rules the global options put in force.
pub fn run(command: RulesCommand, rules: &RuleArgs) -> Result<ExitCode, Failure> {
    match command {
        RulesCommand::List => list(&load_rules(rules)?),
        RulesCommand::Check { paths } => {
            let set = load_rules(&with_paths(rules, paths.clone()))?;
            let origins: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let checked: Vec<_> = set
                .rules
                .iter()
                .filter(|r| origins.iter().any(|o| r.origin.starts_with(o.as_str())))
                .collect();
            let mut out = io::stdout().lock();
            writeln!(
                out,
                "ok: {} rules, {} in force with them",
                checked.len(),
                set.rules.len()
            )?;
            for rule in checked
                .iter()
                .filter(|r| r.examples.is_empty() || r.near_misses.is_empty())
            {
                writeln!(
                    out,
                    "warning: {}: rule `{}` has no examples or no near_misses",
                    rule.origin, rule.id
                )?;
            }
            for rule in &checked {
                for dup in rule.case_duplicates() {
                    writeln!(
                        out,
                        "warning: {}: rule `{}`: `{}` phrase {:?} repeats {:?} but for case (phrases match ASCII case-insensitively)",
                        rule.origin, rule.id, dup.key, dup.repeat, dup.first
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Show { id } => show(&load_rules(rules)?, &id),
        RulesCommand::Test { paths } => {
            let set = load_rules(&with_paths(rules, paths))?;
            test(&set)
        }
    }
}

/// The global rule options plus more rule files.
fn with_paths(rules: &RuleArgs, paths: Vec<std::path::PathBuf>) -> RuleArgs {
    let mut args = rules.clone();
    args.rules.extend(paths);
    args
}

/// The rules in force, sorted by id, then the structural passes.
fn list(set: &RuleSet) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    let width = set
        .rules
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max(30);
    let mut rules: Vec<_> = set.rules.iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    for rule in rules {
        writeln!(
            out,
            "{:width$}  {:10}  {}  [{}]",
            rule.id,
            rule.action.name(),
            rule.description,
            rule.origin
        )?;
    }
    for (id, description) in passes() {
        let state = if set.disables(id) { " (disabled)" } else { "" };
        writeln!(out, "{id:width$}  {:10}  {description}{state}", "pass")?;
    }
    writeln!(out, "{} rules, {} passes", set.rules.len(), passes().len())?;
    // The line model's decoder settings: the model's, with the rule files'
    // `[settings.body]` over them.
    let cleaner = Cleaner::new(set.clone()).map_err(|e| Failure::Usage(e.to_string()))?;
    let Some(params) = cleaner.decode_params() else {
        return Ok(ExitCode::SUCCESS);
    };
    writeln!(
        out,
        "body settings: page_shift {}, page_scale {}, article_threshold {}, section_page_threshold {}, section_article_threshold {}, mode_threshold {}, page_one_run {}",
        params.page_shift,
        params.page_scale,
        params.article_threshold,
        params.section_page_threshold,
        params.section_article_threshold,
        params.mode_threshold,
        params.page_one_run
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One rule as TOML; a pass has no TOML, so its description is given.
fn show(set: &RuleSet, id: &str) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    if let Some(rule) = set.get(id) {
        writeln!(out, "# from {}", rule.origin)?;
        out.write_all(rule.to_toml().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some((_, description)) = passes().find(|(pass, _)| *pass == id) {
        writeln!(
            out,
            "# `{id}` is a structural pass (code, not a rule file): {description}"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    Err(Failure::Usage(format!(
        "rules show {id}: no rule or pass has that id (see `pith rules list`)"
    )))
}

/// Runs every rule's examples and near misses.
fn test(set: &RuleSet) -> Result<ExitCode, Failure> {
    let report = test_examples(set).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut out = io::stdout().lock();
    for f in &report.failures {
        let what = if f.kind == "example" {
            "did not act on its example"
        } else {
            "acted on its near miss"
        };
        writeln!(out, "FAIL {} ({}): {what}: {:?}", f.rule, f.origin, f.text)?;
    }
    for id in &report.undocumented {
        writeln!(
            out,
            "warning: rule `{id}` has no examples or no near_misses"
        )?;
    }
    writeln!(
        out,
        "{} rules, {} examples and near misses, {} failed",
        set.rules.len(),
        report.checked,
        report.failures.len()
    )?;
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
