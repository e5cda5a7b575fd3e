//! `Cleaner::clean` on any text with the built-in rules: it never panics,
//! and every output form renders.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pith::Cleaner;
use pith::output::OutputKeys;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::builtin().expect("the built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cleaned = cleaner().clean(&text);
    let _ = cleaned.to_text(true);
    let _ = pith::output::to_json(&cleaned, Some("fuzz"), false, &OutputKeys::all(), &[]);
});
