//! pith strips boilerplate from scraped article text.
//!
//! The flow of one document, one module per step:
//! [`segment`] (lines and blocks with byte spans) → [`matcher`] (one
//! Aho-Corasick pass for every literal phrase of every rule, plus the few
//! regexes) → [`features`] (one row of numbers per line: shape,
//! neighbourhood, position, repeats, rule evidence) → [`model`] (boosted
//! trees score every line) → [`decode`] (page or article; which lines go)
//! → [`metadata`] (title, author, date) → [`output`] (text, JSON, JSONL);
//! [`engine`] runs the flow and assembles the clean text. [`input`] reads
//! records; [`markup`] tells HTML input from text; [`rules`] loads and validates rule files; [`train`] rebuilds
//! the model (`pith train`).
//!
//! ```
//! let cleaner = pith::Cleaner::builtin().expect("the built-in rules are valid");
//! let cleaned = cleaner.clean("Storm Hits the Coast\n\nStorm Hits the Coast\n\nThe storm hit the coast on Monday.\n\nLeave a Reply");
//! assert_eq!(cleaned.title.as_deref(), Some("Storm Hits the Coast"));
//! assert!(cleaned.text.starts_with("The storm hit the coast on Monday."));
//! ```

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
pub mod reader;
pub mod rules;
pub mod segment;
pub mod text;
pub mod train;

pub use decode::Mode;
pub use engine::{
    CleanPanic, Cleaned, Cleaner, CleanerError, Explanation, Flag, LineScore, Removal, Stats,
};
pub use rules::Action;
pub use rules::{RuleError, RuleSet};
