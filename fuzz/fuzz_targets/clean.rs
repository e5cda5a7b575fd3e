//! `Cleaner::clean` on any text with the built-in rules: it never panics,
//! and every output form renders; the same text with its first line given
//! apart as a title (`Cleaner::clean_titled`) keeps its removals inside the
//! text and renders as a JSONL record.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pith::Cleaner;
use pith::input::JsonRecord;
use pith::output::{OutputKeys, to_json, to_jsonl};

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::builtin().expect("the built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaned = cleaner().clean(&text);
    let _ = cleaned.to_text(true);
    let _ = to_json(&cleaned, Some("fuzz"), false, &OutputKeys::all(), &[]);

    let (title, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let titled = cleaner().clean_titled(rest, title);
    for removal in &titled.removed {
        let [start, end] = removal.bytes;
        assert!(start <= end && end <= rest.len(), "{removal:?} outside the text");
    }
    let line = serde_json::json!({"title": title, "title_line": 0, "text": rest}).to_string();
    if let Ok(record) = JsonRecord::parse(&line) {
        let _ = to_jsonl(&record, "text", None, &titled, &OutputKeys::all(), &[]);
    }
});
