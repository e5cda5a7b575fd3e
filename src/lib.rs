//! pith strips boilerplate from scraped article text.
//!
//! The flow of one document, one module per step:
//! [`segment`] (lines and blocks with byte spans) → [`matcher`] (one
//! Aho-Corasick pass for every literal phrase of every rule, plus the few
//! regexes) → [`engine`] (each rule's action, guarded; structural passes from
//! [`dedup`] and [`metadata`]; assembly of the clean text) → [`output`]
//! (text, JSON, JSONL). [`input`] reads records; [`rules`] loads and
//! validates rule files.
//!
//! ```
//! let cleaner = pith::Cleaner::builtin().expect("the built-in rules are valid");
//! let cleaned = cleaner.clean("Headline\n\nHeadline\n\nThe article text.\n\nLeave a Reply");
//! assert_eq!(cleaned.title.as_deref(), Some("Headline"));
//! ```

pub mod decode;
pub mod dedup;
pub mod engine;
pub mod eval;
pub mod features;
pub mod input;
pub mod language;
pub mod literals;
pub mod matcher;
pub mod metadata;
pub mod model;
pub mod output;
pub mod reader;
pub mod rules;
pub mod segment;
pub mod train;

pub use decode::Mode;
pub use engine::{Cleaned, Cleaner, CleanerError, Explanation, Flag, LineScore, Removal, Stats};
pub use rules::Action;
pub use rules::{RuleError, RuleSet};
