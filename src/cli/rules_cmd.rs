//! `pith rules list | check | test`.

use std::io::{self, Write};
use std::process::ExitCode;

use pith::RuleSet;
use pith::rules::PASSES;
use pith::rules::examples::test_examples;

use super::{Failure, RuleArgs, RulesCommand, load_rules};

pub fn run(command: RulesCommand) -> Result<ExitCode, Failure> {
    match command {
        RulesCommand::List(args) => list(&args),
        RulesCommand::Check { paths } => {
            let mut set = RuleSet::empty();
            for path in &paths {
                set.add_path(path)
                    .map_err(|e| Failure::Usage(e.to_string()))?;
            }
            let mut out = io::stdout().lock();
            writeln!(out, "ok: {} rules", set.rules.len())?;
            for rule in set
                .rules
                .iter()
                .filter(|r| r.examples.is_empty() || r.near_misses.is_empty())
            {
                writeln!(
                    out,
                    "warning: {}: rule `{}` has no examples or no near_misses",
                    rule.origin, rule.id
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Test {
            paths,
            no_default_rules,
        } => {
            let set = load_rules(&RuleArgs {
                rules: paths,
                no_default_rules,
                disable: Vec::new(),
            })?;
            let report = test_examples(&set).map_err(|e| Failure::Usage(e.to_string()))?;
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
    }
}

fn list(args: &RuleArgs) -> Result<ExitCode, Failure> {
    let set = load_rules(args)?;
    let mut out = io::stdout().lock();
    let width = set
        .rules
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max(30);
    for rule in &set.rules {
        writeln!(
            out,
            "{:width$}  {:10}  {}  [{}]",
            rule.id,
            rule.action.name(),
            rule.description,
            rule.origin
        )?;
    }
    for (id, description) in PASSES {
        let state = if set.disabled_passes.contains(id) {
            " (disabled)"
        } else {
            ""
        };
        writeln!(out, "{id:width$}  {:10}  {description}{state}", "pass")?;
    }
    writeln!(out, "{} rules, {} passes", set.rules.len(), PASSES.len())?;
    Ok(ExitCode::SUCCESS)
}
