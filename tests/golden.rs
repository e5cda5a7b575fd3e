//! Golden tests: every fixture under `fixtures/` cleaned and compared with
//! its expected output. Failures print a readable line diff.
//!
//! - `fixtures/seeds/NNN.input.txt` → `NNN.expected.txt` (text output, title
//!   included) and `NNN.expected.json` (metadata and the ids of the rules
//!   that removed something, in document order).
//! - `fixtures/cases/*.toml`: `input`, `expected`, optional inline `rules`
//!   (used instead of the built-in rules), `removed_rules`, and an `[expect]`
//!   table of metadata fields (`title = false` for "no title").
//! - `fixtures/errors/*.toml`: `rules` that must fail to load with an error
//!   containing every string in `error`.

use std::fs;
use std::path::{Path, PathBuf};

use pith::{Cleaned, Cleaner, Mode, RuleSet};
use serde_json::Value;
use similar::TextDiff;

fn fixtures(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir);
    let mut paths: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", root.display());
    paths
}

fn diff(expected: &str, actual: &str) -> String {
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

fn text_output(cleaned: &Cleaned) -> String {
    let text = cleaned.to_text(true);
    if text.is_empty() { text } else { text + "\n" }
}

/// Compares the metadata fields named in `expect` and the removal rule ids.
fn check_metadata(cleaned: &Cleaned, expect: &Value, removed_rules: Option<&Value>) -> Vec<String> {
    let actual = serde_json::to_value(cleaned).unwrap();
    let mut problems = Vec::new();
    if let Some(fields) = expect.as_object() {
        for (key, want) in fields {
            let got = &actual[key];
            let matches = match want {
                Value::Bool(false) => got.is_null(),
                _ => got == want,
            };
            if !matches {
                problems.push(format!("{key}: expected {want}, got {got}"));
            }
        }
    }
    if let Some(want) = removed_rules {
        let got: Vec<&str> = cleaned.removed.iter().map(|r| r.rule.as_str()).collect();
        let want: Vec<&str> = want
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        if got != want {
            problems.push(format!("removed rules: expected {want:?}, got {got:?}"));
        }
    }
    problems
}

#[test]
fn seeds() {
    let cleaner = Cleaner::builtin().unwrap();
    let mut failures = Vec::new();
    for input in fixtures("seeds", ".input.txt") {
        let name = input
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".input.txt", "");
        let text = fs::read_to_string(&input).unwrap();
        let cleaned = cleaner.clean(&text);
        let expected =
            fs::read_to_string(input.with_file_name(format!("{name}.expected.txt"))).unwrap();
        let actual = text_output(&cleaned);
        if actual != expected {
            failures.push(format!(
                "seed {name}: text differs\n{}",
                diff(&expected, &actual)
            ));
        }
        let meta: Value = serde_json::from_str(
            &fs::read_to_string(input.with_file_name(format!("{name}.expected.json"))).unwrap(),
        )
        .unwrap();
        let mut expect = meta.clone();
        let removed = expect.as_object_mut().unwrap().remove("removed_rules");
        for problem in check_metadata(&cleaned, &expect, removed.as_ref()) {
            failures.push(format!("seed {name}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in fixtures("cases", ".toml") {
        count += 1;
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let case: toml::Table = toml::from_str(&fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cleaner = match case.get("rules").and_then(|v| v.as_str()) {
            Some(rules) => {
                let mut set = RuleSet::empty();
                set.add_source(&name, rules)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                Cleaner::new(set).unwrap()
            }
            None => Cleaner::builtin().unwrap(),
        };
        // `mode = "page"` or `"article"` sets the mode (auto otherwise).
        let cleaner = match case.get("mode").and_then(|v| v.as_str()) {
            Some("page") => cleaner.with_mode(Mode::Page),
            Some("article") => cleaner.with_mode(Mode::Article),
            Some(other) => panic!("{name}: unknown mode {other}"),
            None => cleaner,
        };
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let cleaned = cleaner.clean(input);
        let actual = text_output(&cleaned);
        if actual != expected {
            failures.push(format!(
                "case {name} ({}): text differs\n{}",
                case["description"].as_str().unwrap_or(""),
                diff(expected, &actual)
            ));
        }
        let expect = case
            .get("expect")
            .map_or(Value::Null, |t| serde_json::to_value(t).unwrap());
        let removed = case
            .get("removed_rules")
            .map(|t| serde_json::to_value(t).unwrap());
        for problem in check_metadata(&cleaned, &expect, removed.as_ref()) {
            failures.push(format!("case {name}: {problem}"));
        }
    }
    assert!(
        count >= 20,
        "expected the full set of case fixtures, found {count}"
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn rule_errors() {
    let mut failures = Vec::new();
    for path in fixtures("errors", ".toml") {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let case: toml::Table = toml::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let mut set = RuleSet::empty();
        match set.add_source(&format!("{name}.toml"), case["rules"].as_str().unwrap()) {
            Ok(()) => failures.push(format!("{name}: loaded without error")),
            Err(e) => {
                let message = e.to_string();
                if !message.contains(&format!("{name}.toml")) {
                    failures.push(format!("{name}: error does not name the file: {message}"));
                }
                for want in case["error"].as_array().unwrap() {
                    if !message.contains(want.as_str().unwrap()) {
                        failures.push(format!("{name}: error lacks {want}: {message}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn builtin_rules_pass_their_examples() {
    let set = RuleSet::builtin().unwrap();
    let report = pith::test_examples(&set).unwrap();
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    assert!(
        report.undocumented.is_empty(),
        "rules without examples or near misses: {:?}",
        report.undocumented
    );
    assert!(report.checked >= 2 * set.rules.len());
}
