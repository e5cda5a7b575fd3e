//! pith strips boilerplate from scraped article text.
//!
//! The flow of one document, one module per step:
//! [`segment`] (lines and blocks with byte spans) → [`matcher`] (one
//! Aho-Corasick pass for every literal phrase of every rule, plus the few
//! regexes) → [`features`] (one row of numbers per line: shape,
//! neighbourhood, position, repeats, rule evidence) → [`model`] (boosted
//! trees score every line) → [`decode`] (page or article; which lines go)
//! → [`metadata`] (title, author, date) → [`output`] (text, JSON, JSONL);
//! [`engine`] runs the flow and assembles the clean text. [`text`] holds
//! word characters, folding and word hashing; [`rules`] loads and
//! validates rule files; [`passes`] lists the structural passes. [`input`]
//! parses JSONL records; [`markup`] tells HTML input from text;
//! [`eval`] scores against gold bodies; [`train`] rebuilds the model
//! (`pith train`). The `pith` command is the `pith-cli` package (`cli/`).
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

pub mod decode;

pub mod engine;
pub mod eval;
pub mod features;
pub mod input;
pub mod language;
pub mod literals;
pub mod markup;
pub mod matcher;
pub mod metadata;
pub mod model;
pub mod output;
pub mod passes;
pub mod rules;
pub mod segment;
pub mod text;
pub mod train;

pub use decode::Mode;
pub use engine::{
    CleanPanic, Cleaned, Cleaner, CleanerBuilder, CleanerError, Explanation, Flag, LineScore,
    Removal, Stats,
};
pub use metadata::Metadata;
pub use rules::{Action, Rule, RuleError, RuleSet, Settings, UnknownPattern};
