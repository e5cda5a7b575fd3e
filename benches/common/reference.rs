//! The bare reference scan the benchmarks compare pith against (shared by
//! `benches/engine.rs` and `examples/bare_scan.rs`).

use aho_corasick::{AhoCorasick, AhoCorasickKind, BuildError, MatchKind};
use pith::matcher::Matcher;

/// One DFA over all of [`Matcher::phrases`] — ASCII case-insensitive,
/// overlapping, like the matcher's own passes — with none of the matcher's
/// line logic.
pub fn reference_automaton(matcher: &Matcher) -> Result<AhoCorasick, BuildError> {
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(matcher.phrases())
}
