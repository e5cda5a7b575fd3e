//! The reference scan of the benchmark: one bare Aho-Corasick DFA pass over
//! the texts of a JSONL file with pith's phrase set (every literal phrase of
//! the built-in rules and every regex gate, in one DFA), counting raw
//! matches and nothing else. Used by `scripts/bench.sh`.
//!
//! Usage: `bare_scan FILE.jsonl` — prints one line: `file_bytes records
//! seconds matches`. Reading and decoding the texts is not timed, only the
//! scan, so the figure is an upper bound for any cleaner that must scan the
//! same text with the same phrases.

use std::process::ExitCode;
use std::time::Instant;

use pith::Cleaner;
use pith::input::JsonRecord;

#[path = "../benches/common/reference.rs"]
mod reference;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_scan FILE.jsonl");
        return ExitCode::from(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("bare_scan: cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let texts: Vec<String> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .filter_map(|line| JsonRecord::parse(line).ok())
        .filter_map(|record| record.string("text").ok().map(std::borrow::Cow::into_owned))
        .collect();
    let cleaner = match Cleaner::builtin() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bare_scan: {e}");
            return ExitCode::from(2);
        }
    };
    let automaton = match reference::reference_automaton(pith::engine::stages::matcher(&cleaner)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bare_scan: {e}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let matches: usize = texts
        .iter()
        .map(|t| automaton.find_overlapping_iter(t.as_str()).count())
        .sum();
    let seconds = start.elapsed().as_secs_f64();
    println!("{} {} {seconds:.4} {matches}", data.len(), texts.len());
    ExitCode::SUCCESS
}
