//! The engine's per-line bookkeeping: peak heap while cleaning one
//! document of many lines, per line, counted by a global allocator.
//!
//! Usage: `cargo run --release --example line_memory [LINES]` (default
//! 32,000: one window, see `WINDOW_LINES`). For two kinds of document —
//! short lines of three words, and a mix of real-looking lines (sentences,
//! menu items, list items, blank lines between paragraphs) — prints the
//! input's bytes per line and the peak heap `Cleaner::clean` allocated
//! beyond what was live before it (its output included), per line, for
//! the document and for one of half as many lines; the difference of the
//! two, per line added, leaves out what does not grow with the lines.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use pith::CleanerBuilder;

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` hold for `System`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's guarantees hold for `System`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `lines` lines of three words.
fn short_lines(lines: usize) -> String {
    "word word word\n".repeat(lines)
}

/// `lines` lines cycling through real-looking kinds, with numbers varied
/// so that few lines repeat.
fn mixed_lines(lines: usize) -> String {
    let mut out = String::new();
    for k in 0..lines {
        let line = match k % 10 {
            0 => format!("Home | News {k} | Sport | Contact"),
            1 => format!(
                "The council met on Monday {k} and voted to extend the library's opening hours, officials said."
            ),
            2 => format!(
                "Residents had asked for longer hours since {k}, when the reading room reopened after repairs."
            ),
            3 => format!("- Item {k} of the list"),
            5 => format!("Share on Facebook {k}"),
            6 => format!("Posted by Jane Doe on March {}, 2024", k % 28 + 1),
            7 => format!("Related: Budget {k} approved"),
            8 => format!("Comments ({k})"),
            // Paragraph breaks.
            _ => String::new(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Peak heap growth while cleaning `text`.
fn peak_of(cleaner: &pith::Cleaner, text: &str) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let cleaned = cleaner.clean(text);
    let peak = PEAK.load(Ordering::Relaxed);
    drop(cleaned);
    peak - before
}

fn main() -> ExitCode {
    let lines = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        None => 32_000,
        Some(Ok(n)) if n >= 2 => n,
        Some(_) => {
            eprintln!("usage: line_memory [LINES (at least 2)]");
            return ExitCode::from(2);
        }
    };
    let cleaner = match CleanerBuilder::new().build() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("line_memory: {e}");
            return ExitCode::from(1);
        }
    };
    // Warm up the lazily built tables, so that they count in neither run.
    let _ = cleaner.clean(&mixed_lines(100));
    println!(
        "| document | lines | input bytes/line | peak heap bytes/line | per line added (half to full) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (name, make) in [
        ("three words a line", short_lines as fn(usize) -> String),
        ("mixed lines", mixed_lines),
    ] {
        let half = make(lines / 2);
        let full = make(lines);
        let (peak_half, peak_full) = (peak_of(&cleaner, &half), peak_of(&cleaner, &full));
        let added = (peak_full as f64 - peak_half as f64) / (lines - lines / 2) as f64;
        println!(
            "| {name} | {lines} | {:.1} | {:.1} | {added:.1} |",
            full.len() as f64 / lines as f64,
            peak_full as f64 / lines as f64,
        );
    }
    ExitCode::SUCCESS
}
