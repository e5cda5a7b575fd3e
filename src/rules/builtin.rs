//! The built-in rule files, embedded at build time.
//!
//! `build.rs` lists every `.toml` file under `rules/` (sorted by path) so a
//! new rule file needs no registration here.

/// `(path under rules/, file contents)` of every built-in rule file.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
