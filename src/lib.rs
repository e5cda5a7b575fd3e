//! pith strips boilerplate from scraped article text.
//!
//! The flow of one document, one private module per step: segment (lines
//! and blocks with byte spans) → matcher (one Aho-Corasick pass for every
//! literal phrase of every rule, plus the few regexes) → features (one row
//! of numbers per line: shape, neighbourhood, position, repeats, rule
//! evidence) → model (boosted trees score every line) → decode (page or
//! article; which lines go) → metadata (title, author, date); the engine
//! runs the flow and assembles the clean text. What users need is
//! re-exported here: [`Cleaner`] and [`CleanerBuilder`], the [`Cleaned`]
//! result with its [`Removal`]s and [`Metadata`], [`RuleSet`] and the rule
//! model, the error types. Four public modules serve the `pith` command and
//! the Python package: [`input`] (decoding and JSONL records), [`output`]
//! (the JSON record), [`eval`] (scoring against gold bodies) and [`train`]
//! (rebuilding the model, `pith train`). The `pith` command is the
//! `pith-cli` package (`cli/`).
//!
//! # Cleaning a string
//!
//! ```
//! let cleaner = pith::Cleaner::builtin().expect("the built-in rules are valid");
//! let cleaned = cleaner.clean("Storm Hits the Coast\n\nStorm Hits the Coast\n\nThe storm hit the coast on Monday.\n\nLeave a Reply");
//! assert_eq!(cleaned.title.as_deref(), Some("Storm Hits the Coast"));
//! assert!(cleaned.text.starts_with("The storm hit the coast on Monday."));
//! ```
//!
//! # Adding rules
//!
//! [`CleanerBuilder`] adds rule files, folders or TOML text to the built-in
//! rules (its docs show a rule file), turns rules and passes off, and sets
//! the settings and the [`Mode`].
//!
//! # Explaining a removal
//!
//! Every [`Removal`] names its rule (or pass) and gives its lines and bytes:
//!
//! ```
//! let cleaner = pith::CleanerBuilder::new()
//!     .rules_source(
//!         "house.toml",
//!         "[[rule]]\nid = \"house.banner\"\naction = \"drop-line\"\nline_is = [\"Subscribe to the Daily Bugle\"]\n",
//!     )
//!     .build()?;
//! let text = "The storm hit the coast on Monday, flooding the harbour.\n\nSubscribe to the Daily Bugle\n\nResidents were told to stay indoors until the wind dropped.";
//! let cleaned = cleaner.clean(text);
//! let removal = cleaned.removed.iter().find(|r| r.rule == "house.banner").expect("the banner goes");
//! assert_eq!(removal.lines, [3, 3]);
//! assert_eq!(removal.text, "Subscribe to the Daily Bugle");
//! assert_eq!(text.get(removal.bytes[0]..removal.bytes[1]), Some("Subscribe to the Daily Bugle"));
//! let rule = cleaner.rules().iter().find(|r| r.id == removal.rule).expect("a rule of the cleaner");
//! assert_eq!(rule.origin, "house.toml");
//! # Ok::<(), pith::CleanerError>(())
//! ```
//!
//! `pith explain` (and [`Cleaner::explain_lines`]) show the line model's
//! scores and the features that decided each line.

#![deny(missing_docs)]

// The flow's steps are private: what users need is re-exported below. The
// `internals` feature makes them public for pith's own per-stage
// benchmarks; they are not a stable API.
macro_rules! stages {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[cfg(feature = "internals")]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            mod $name;
        )*
    };
}

stages!(
    decode, doc, engine, features, language, literals, markup, matcher, metadata, model, passes,
    rules, segment, text,
);

pub mod eval;
pub mod input;
pub mod output;
pub mod train;

pub use decode::{DecodeParams, Mode};
pub use engine::{
    CleanPanic, Cleaned, Cleaner, CleanerBuilder, CleanerError, ExampleFailure, ExampleReport,
    Explanation, Flag, LineScore, Removal, Stats, Wanted, check_disable, test_examples,
};
pub use language::detect as detect_language;
pub use matcher::BuildError;
pub use metadata::Metadata;
pub use model::ModelError;
pub use passes::passes;
pub use rules::{
    Action, BodySettings, CaseDuplicate, Field, LiteralKind, Rule, RuleError, RuleSet, Settings,
    Triggers, UnknownPattern, limits as rule_limits,
};
