//! What the filter tells its user besides the records: a progress bar while
//! it runs (on a terminal), a one-line summary at the end, and `--stats FILE`
//! with the same numbers plus per-rule counts as JSON.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use pith::Cleaned;

/// Counts over the records of a run (or of one batch, merged later).
#[derive(Debug, Default)]
pub struct Tally {
    pub records: u64,
    pub failed: u64,
    /// Records with at least one flag.
    pub flagged: u64,
    pub flags: BTreeMap<String, u64>,
    /// Characters of the cleaned records before and after.
    pub chars_in: u64,
    pub chars_out: u64,
    pub rules: HashMap<String, RuleTally>,
}

/// What one rule (or structural pass) removed over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleTally {
    /// Records it removed something from.
    pub documents: u64,
    /// Entries of `removed` it produced.
    pub removals: u64,
    pub lines: u64,
    pub bytes: u64,
}

impl Tally {
    /// Counts a record that could not be read or cleaned.
    pub fn add_failed(&mut self) {
        self.records += 1;
        self.failed += 1;
    }

    /// Counts a cleaned record, with the flags its input earned.
    pub fn add_cleaned(&mut self, cleaned: &Cleaned, input_flags: &[&str]) {
        self.records += 1;
        self.chars_in += cleaned.stats.chars_in as u64;
        self.chars_out += cleaned.stats.chars_out as u64;
        if !cleaned.flags.is_empty() || !input_flags.is_empty() {
            self.flagged += 1;
        }
        for flag in input_flags {
            *self.flags.entry(flag.to_string()).or_default() += 1;
        }
        for flag in &cleaned.flags {
            let name = serde_json::to_value(flag)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            *self.flags.entry(name).or_default() += 1;
        }
        let mut seen: Vec<&str> = Vec::new();
        for removal in &cleaned.removed {
            let tally = match self.rules.get_mut(removal.rule.as_str()) {
                Some(t) => t,
                None => self.rules.entry(removal.rule.clone()).or_default(),
            };
            if !seen.contains(&removal.rule.as_str()) {
                seen.push(&removal.rule);
                tally.documents += 1;
            }
            tally.removals += 1;
            let [first, last] = removal.lines;
            tally.lines += (last + 1).saturating_sub(first) as u64;
            let [start, end] = removal.bytes;
            tally.bytes += end.saturating_sub(start) as u64;
        }
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: Tally) {
        self.records += other.records;
        self.failed += other.failed;
        self.flagged += other.flagged;
        self.chars_in += other.chars_in;
        self.chars_out += other.chars_out;
        for (flag, n) in other.flags {
            *self.flags.entry(flag).or_default() += n;
        }
        for (rule, t) in other.rules {
            let mine = self.rules.entry(rule).or_default();
            mine.documents += t.documents;
            mine.removals += t.removals;
            mine.lines += t.lines;
            mine.bytes += t.bytes;
        }
    }

    /// The share of the cleaned records' characters that was removed.
    pub fn removed_share(&self) -> f64 {
        if self.chars_in == 0 {
            0.0
        } else {
            1.0 - self.chars_out as f64 / self.chars_in as f64
        }
    }
}

/// The numbers of a finished run.
pub struct Summary<'t> {
    pub tally: &'t Tally,
    /// Input bytes read (compressed bytes for compressed input).
    pub bytes_read: u64,
    pub elapsed: Duration,
    pub threads: usize,
}

impl Summary<'_> {
    /// The one-line summary printed on standard error.
    pub fn line(&self) -> String {
        let t = self.tally;
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            self.bytes_read as f64 / 1e6 / seconds
        } else {
            0.0
        };
        format!(
            "pith: {} record{}, {} failed, {} flagged; {:.1}% of text removed; {:.1} MB in {:.2} s ({:.0} MB/s, {} thread{})",
            t.records,
            if t.records == 1 { "" } else { "s" },
            t.failed,
            t.flagged,
            100.0 * t.removed_share(),
            self.bytes_read as f64 / 1e6,
            seconds,
            rate,
            self.threads,
            if self.threads == 1 { "" } else { "s" }
        )
    }

    /// The `--stats` JSON document.
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Stats<'a> {
            records: u64,
            failed: u64,
            flagged: u64,
            flags: &'a BTreeMap<String, u64>,
            chars_in: u64,
            chars_out: u64,
            removed_share: f64,
            bytes_read: u64,
            seconds: f64,
            threads: usize,
            rules: BTreeMap<&'a str, RuleTally>,
        }
        let t = self.tally;
        let stats = Stats {
            records: t.records,
            failed: t.failed,
            flagged: t.flagged,
            flags: &t.flags,
            chars_in: t.chars_in,
            chars_out: t.chars_out,
            removed_share: t.removed_share(),
            bytes_read: self.bytes_read,
            seconds: self.elapsed.as_secs_f64(),
            threads: self.threads,
            rules: t.rules.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
        };
        serde_json::to_string_pretty(&stats).unwrap_or_default()
    }
}

/// Writes the `--stats` file.
pub fn write_stats(path: &Path, summary: &Summary) -> io::Result<()> {
    let mut json = summary.json();
    json.push('\n');
    std::fs::write(path, json)
}

/// A progress bar on standard error, shown only when standard error is a
/// terminal and the user did not ask for quiet.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
}

impl Progress {
    /// A bar over `total` input bytes when known (all inputs are files).
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        let visible = !quiet && io::stderr().is_terminal();
        let bar = if visible {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}"
            } else {
                "{spinner} {binary_bytes} {binary_bytes_per_sec} {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// Sets the input bytes read so far.
    pub fn set_bytes(&self, bytes: u64) {
        self.bar.set_position(bytes);
    }

    /// Sets the records written so far.
    pub fn set_records(&self, records: u64) {
        self.bar.set_message(format!("{records} records"));
    }

    /// Prints a line on standard error without garbling the bar.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| {
            let _ = writeln!(io::stderr(), "pith: {line}");
        });
    }

    /// Time since the bar was made.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pith::{Cleaner, Flag};

    #[test]
    fn tallies_count_records_flags_and_rules_and_merge() {
        let cleaner = Cleaner::builtin().unwrap();
        let mut cleaned = cleaner.clean(
            "Headline Words Here\n\nHeadline Words Here\n\nThe body of the article.\n\nAdvertisement\n\nAdvertisement",
        );
        cleaned.flags.push(Flag::InvalidUtf8);
        let mut a = Tally::default();
        a.add_cleaned(&cleaned, &[]);
        a.add_failed();
        let mut b = Tally::default();
        b.add_cleaned(&cleaned, &[]);
        a.merge(b);
        assert_eq!((a.records, a.failed, a.flagged), (3, 1, 2));
        assert_eq!(a.flags.get("invalid_utf8"), Some(&2));
        let ad = a.rules.get("navigation.advertisement").unwrap();
        assert_eq!((ad.documents, ad.removals, ad.lines), (2, 4, 4));
        assert_eq!(ad.bytes, 4 * "Advertisement".len() as u64);
        assert!(a.rules.contains_key("structure.duplicate-title"));
        assert!(a.removed_share() > 0.0 && a.removed_share() < 1.0);
        let summary = Summary {
            tally: &a,
            bytes_read: 1_000_000,
            elapsed: Duration::from_secs(2),
            threads: 2,
        };
        let line = summary.line();
        assert!(
            line.starts_with("pith: 3 records, 1 failed, 2 flagged;"),
            "{line}"
        );
        assert!(line.ends_with("2 threads)"), "{line}");
        let mut one = Tally::default();
        one.add_cleaned(&cleaned, &[]);
        let single = Summary {
            tally: &one,
            threads: 1,
            ..summary
        };
        let line = single.line();
        assert!(line.starts_with("pith: 1 record, 0 failed"), "{line}");
        assert!(line.ends_with("1 thread)"), "{line}");
        let json: serde_json::Value = serde_json::from_str(&summary.json()).unwrap();
        assert_eq!(json["records"], 3);
        assert_eq!(json["rules"]["navigation.advertisement"]["removals"], 4);
    }
}
