//! Rules: the TOML rule model, its loading and its validation.
//!
//! A rule file holds `[[rule]]` tables and optionally one `[settings]` table.
//! Loading is strict: an unknown key, a missing id, a duplicate id, an empty
//! phrase list, a regex that does not compile or a combination of keys that
//! cannot work is a [`RuleError`] naming the file, the rule and the problem.
//! Nothing is ever skipped silently. A user's rule with a built-in rule's id
//! replaces the built-in one (listed in [`RuleSet::replaced`], so the caller
//! can say so); two user rules with one id are an error.
//!
//! The default rule set lives in `rules/` and is embedded in the binary at
//! build time (see [`builtin`]), so `pith` needs no files at run time.

pub mod builtin;
mod error;
mod load;
mod model;
mod settings;
mod validate;

pub use error::{RuleError, UnknownPattern};
pub use load::RuleSet;
#[cfg(test)]
use load::glob_match;
pub use model::{Action, Field, LiteralKind, Rule, Triggers};
pub use settings::{BodySettings, Settings};
pub use validate::{CaseDuplicate, limits};
pub(crate) use validate::regex_builder;

#[cfg(test)]
mod tests {
    use super::*;

    fn load(source: &str) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::empty();
        set.add_source("test.toml", source)?;
        Ok(set)
    }

    fn error(source: &str) -> String {
        match load(source) {
            Ok(_) => panic!("expected an error for:\n{source}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_a_rule() {
        let set = load(
            r#"
            [[rule]]
            id = "comments.leave-a-reply"
            description = "comment form"
            action = "drop-rest"
            line_is = ["Leave a Reply"]
            min_words_before = 10
            examples = ["Leave a Reply"]
            "#,
        )
        .unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].action, Action::DropRest);
        assert_eq!(set.rules[0].origin, "test.toml");
    }

    #[test]
    fn errors_name_file_rule_and_problem() {
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_iss = [\"x\"]\n");
        assert!(
            e.contains("test.toml") && e.contains("rule #1 (a.b)") && e.contains("line_iss"),
            "{e}"
        );
        let e = error("[[rule]]\naction = \"drop-line\"\nline_is = [\"x\"]\n");
        assert!(e.contains("rule #1") && e.contains("no `id`"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_is = []\n");
        assert!(e.contains("empty list"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nregex = [\"(\"]\n");
        assert!(e.contains("does not compile"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\n");
        assert!(e.contains("no trigger"), "{e}");
        let e = error("[[rule]]\nid = \"a.b\"\naction = \"explode\"\nline_is = [\"x\"]\n");
        assert!(e.contains("explode"), "{e}");
        let e = error("[[rule]]\nid = \"Bad Id\"\naction = \"drop-line\"\nline_is = [\"x\"]\n");
        assert!(e.contains("dotted"), "{e}");
        let e = error("[[rule\nid=");
        assert!(e.contains("not valid TOML") && e.contains("line"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let one = "[[rule]]\nid = \"a.b\"\naction = \"drop-line\"\nline_is = [\"x\"]\n";
        let mut set = load(one).unwrap();
        let e = set.add_source("other.toml", one).unwrap_err().to_string();
        assert!(
            e.contains("other.toml") && e.contains("a.b") && e.contains("test.toml"),
            "{e}"
        );
    }

    #[test]
    fn impossible_combinations_are_rejected() {
        let cases = [
            (
                "action = \"drop-span\"\nline_is = [\"x\"]",
                "needs an `end`",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nend = { line_is = [\"y\"] }",
                "only applies to action drop-span",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nmin_words_before = 3",
                "only applies to action drop-rest",
            ),
            (
                "action = \"extract\"\nline_starts = [\"x\"]",
                "needs a `field`",
            ),
            (
                "action = \"extract\"\nline_is = [\"x\"]\nfield = \"author\"",
                "no value to capture",
            ),
            (
                "action = \"extract\"\nregex = [\"x\"]\nfield = \"author\"",
                "(?P<value>",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nfield = \"author\"",
                "does not apply",
            ),
            (
                "action = \"drop-rest\"\nline_is = [\"x\"]\nfield = \"author\"",
                "list field",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nkeep_line = true",
                "keep_line",
            ),
            (
                "action = \"drop-line\"\nline_is = [\" x\"]",
                "leading or trailing space",
            ),
            (
                "action = \"drop-line\"\nline_is = [\"x\"]\nmax_words = 0",
                "at least 1",
            ),
        ];
        for (body, expected) in cases {
            let e = error(&format!("[[rule]]\nid = \"a.b\"\n{body}\n"));
            assert!(e.contains(expected), "{body}\n=> {e}");
        }
    }

    #[test]
    fn nested_settings_merge_key_by_key() {
        let mut set = load("[settings.body]\nmin_kept_words = 5\n").unwrap();
        set.add_source("b.toml", "[settings]\ntitle_max_words = 9\n")
            .unwrap();
        assert_eq!(set.settings.body.min_kept_words, 5);
        assert_eq!(set.settings.title_max_words, 9);
        assert!(error("[settings.body]\nnope = 3\n").contains("nope"));
    }

    #[test]
    fn settings_merge_and_validate() {
        let set = load("[settings]\nmax_removed_share = 0.5\n").unwrap();
        assert_eq!(set.settings.max_removed_share, 0.5);
        assert_eq!(
            set.settings.title_max_words,
            Settings::default().title_max_words
        );
        assert!(error("[settings]\nmax_removed_share = 2.0\n").contains("between 0 and 1"));
        assert!(error("[settings]\nnope = 1\n").contains("nope"));
    }

    #[test]
    fn phrases_repeated_but_for_case_are_found() {
        let set = load(
            r#"
            [[rule]]
            id = "test.case"
            action = "drop-span"
            line_is = ["Read more", "Read More", "READ MORE", "Über uns", "über uns"]
            line_starts = ["Read more"]
            end = { line_starts = ["Close", "close"] }
            "#,
        )
        .unwrap();
        let found: Vec<(String, String, String)> = set.rules[0]
            .case_duplicates()
            .into_iter()
            .map(|d| (d.key, d.first, d.repeat))
            .collect();
        let expect = |key: &str, first: &str, repeat: &str| {
            (key.to_string(), first.to_string(), repeat.to_string())
        };
        assert_eq!(
            found,
            [
                expect("line_is", "Read more", "Read More"),
                expect("line_is", "Read more", "READ MORE"),
                expect("end.line_starts", "Close", "close"),
            ]
        );
    }

    #[test]
    fn the_builtin_rules_repeat_no_phrase_but_for_case() {
        let set = RuleSet::builtin().unwrap();
        for rule in &set.rules {
            assert_eq!(rule.case_duplicates(), [], "{}", rule.id);
        }
    }

    #[test]
    fn default_settings_are_the_settings_file() {
        let file = builtin::FILES
            .iter()
            .find(|(name, _)| *name == "settings.toml")
            .map(|(_, source)| *source)
            .unwrap();
        let table: toml::Table = toml::from_str(file).unwrap();
        let defaults = toml::Table::try_from(Settings::default()).unwrap();
        assert_eq!(table.get("settings"), Some(&toml::Value::Table(defaults)));
    }

    #[test]
    fn globs() {
        assert!(glob_match("references.*", "references.heading"));
        assert!(glob_match("*.wordpress.*", "comments.wordpress.leave"));
        assert!(glob_match("a.b", "a.b"));
        assert!(!glob_match("a.b", "a.bc"));
        assert!(!glob_match("references.*", "comments.x"));
        assert!(glob_match("*", "anything"));
    }

    #[test]
    fn a_user_rule_replaces_a_builtin_rule_of_the_same_id_once() {
        let mut set = RuleSet::builtin().unwrap();
        let before = set.rules.len();
        let rule = "[[rule]]\nid = \"comments.leave-a-reply\"\naction = \"drop-line\"\nline_is = [\"Leave a Reply\"]\n";
        set.add_source("mine.toml", rule).unwrap();
        assert_eq!(set.rules.len(), before);
        let replaced = set.get("comments.leave-a-reply").unwrap();
        assert_eq!(
            (replaced.origin.as_str(), replaced.action),
            ("mine.toml", Action::DropLine)
        );
        assert_eq!(
            set.replaced,
            [(
                "comments.leave-a-reply".to_string(),
                "mine.toml".to_string()
            )]
        );
        // A second user rule with the id is a mistake.
        let e = set.add_source("other.toml", rule).unwrap_err().to_string();
        assert!(e.contains("defined twice (first in mine.toml)"), "{e}");
    }

    #[test]
    fn a_rule_serialises_to_toml_that_loads_back_the_same() {
        let builtin = RuleSet::builtin().unwrap();
        for rule in &builtin.rules {
            let text = rule.to_toml();
            assert!(text.starts_with("[[rule]]\n"), "{text}");
            let back = load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back.rules[0].to_toml(), text);
        }
    }

    /// The error for the first disable pattern that names no rule and no
    /// pass (`pass.one` standing for the passes' ids).
    fn unknown_disable(patterns: &[&str]) -> RuleError {
        let patterns: Vec<String> = patterns.iter().map(ToString::to_string).collect();
        let set = RuleSet::load(&[], true, &patterns).unwrap();
        set.check_disable(["pass.one"].into_iter()).unwrap_err()
    }

    #[test]
    fn disable_of_a_family_name_suggests_the_glob() {
        let e = unknown_disable(&["comments"]);
        assert!(e.to_string().contains("write 'comments.*'"), "{e}");
        let e = unknown_disable(&["pass"]);
        assert!(e.to_string().contains("write 'pass.*'"), "{e}");
        let e = unknown_disable(&["pass.one", "zzz"]);
        assert!(!e.to_string().contains("write"), "{e}");
        assert!(e.to_string().contains("zzz"), "{e}");
    }

    #[test]
    fn disable_patterns_that_name_a_rule_or_a_pass_are_known() {
        let set = RuleSet::load(&[], true, &["comments.*".into(), "pass.one".into()]).unwrap();
        assert!(set.check_disable(["pass.one"].into_iter()).is_ok());
        assert!(set.disables("pass.one"));
        assert!(!set.disables("pass.two"));
    }

    #[test]
    fn an_unknown_disable_pattern_is_data_and_names_no_flag() {
        let e = unknown_disable(&["comments"]);
        assert_eq!(
            e.to_string(),
            "disable pattern comments: no rule or pass has that id; \
             for the whole family, write 'comments.*'"
        );
        let RuleError::UnknownDisable(unknown) = e else {
            panic!("{e}");
        };
        assert_eq!(unknown.pattern, "comments");
        assert!(unknown.family);
    }

    #[test]
    fn every_built_in_regex_compiles() {
        // Loading the built-in rules checks their regexes' length only; the
        // matcher compiles them when first needed.
        let set = RuleSet::builtin().unwrap();
        let mut count = 0;
        for rule in &set.rules {
            for triggers in std::iter::once(&rule.triggers).chain(&rule.end) {
                for re in triggers.regex.iter().flatten() {
                    regex_builder(re)
                        .build()
                        .unwrap_or_else(|e| panic!("{}: {e}", rule.id));
                    count += 1;
                }
            }
        }
        assert!(count >= 50, "{count} regexes");
    }

    #[test]
    fn disable_reports_unmatched_patterns() {
        let mut set = load(
            "[[rule]]\nid = \"a.one\"\naction = \"drop-line\"\nline_is = [\"x\"]\n\
             [[rule]]\nid = \"b.two\"\naction = \"drop-line\"\nline_is = [\"y\"]\n",
        )
        .unwrap();
        let patterns = vec!["a.*".to_string(), "zzz".to_string()];
        assert_eq!(set.disable(&patterns), vec!["zzz"]);
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].id, "b.two");
    }

    #[test]
    fn what_rules_may_ask_is_bounded() {
        let rule = |i: usize, trigger: &str| {
            format!("[[rule]]\nid = \"t.r{i}\"\naction = \"drop-line\"\n{trigger}\n")
        };
        let e = error(&rule(
            0,
            &format!("line_contains = [\"{}c\"]", "ab ".repeat(10_000)),
        ));
        assert!(e.contains("30001 bytes long, more than the 1024"), "{e}");
        assert!(e.len() < 300, "{e}");
        let e = error(&rule(0, &format!("regex = ['{}']", "a".repeat(9000))));
        assert!(e.contains("9000 bytes long, more than the 8192"), "{e}");
        let e = error(&rule(0, r"regex = ['(?:\w{100}){100}']"));
        assert!(e.contains("size limit"), "{e}");
        let phrase = "word ".repeat(199);
        let many: String = (0..1100)
            .map(|i| rule(i, &format!("line_contains = [\"{i} {}\"]", phrase.trim())))
            .collect();
        let e = error(&many);
        assert!(e.contains("bytes of phrases, more than the 1048576"), "{e}");
        let regexes: String = (0..40)
            .map(|i| rule(i, &format!("regex = ['{i}{}']", "a".repeat(8000))))
            .collect();
        let e = error(&regexes);
        assert!(e.contains("bytes of regexes, more than the 262144"), "{e}");
        let rules: String = (0..=limits::RULES)
            .map(|i| rule(i, &format!("line_is = [\"r{i}\"]")))
            .collect();
        assert!(error(&rules).contains("at most 10000 rules"));
        // The built-in rules are well within every bound.
        assert!(RuleSet::builtin().is_ok());
    }
}
