//! Cutting JSON text into records: the elements of a top-level array
//! (pith's `--output json`), or top-level values one after the other (`jq`'s
//! output). The scan knows strings and nesting only; each record is parsed
//! later, on its own, so a record that is not valid JSON becomes an error
//! record in its place and the records after it are still read.

use super::{Cut, RawRecord};

/// What one byte is to the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Between records: whitespace, or a comma or bracket of the array
    /// holding them.
    Between,
    /// The first byte of a record.
    Start,
    /// A byte inside a record.
    Inside,
    /// The last byte of a record.
    End,
    /// A bare value (a number, `true`, …) ended before this byte, which is
    /// between records.
    EndBefore,
}

/// The state of the scan after some bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct JsonScan {
    /// Inside a top-level array: its elements are the records.
    in_array: bool,
    /// Inside a record.
    in_record: bool,
    /// The record's open braces and brackets (0 in a bare value).
    depth: u32,
    in_string: bool,
    escape: bool,
}

impl JsonScan {
    /// Takes the next byte.
    pub(super) fn step(&mut self, b: u8) -> Step {
        if !self.in_record {
            return self.between(b);
        }
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.depth == 0 {
                    self.in_record = false;
                    return Step::End;
                }
            }
            return Step::Inside;
        }
        // A bare value ends at a separator (a byte between records).
        if self.depth == 0 && (b.is_ascii_whitespace() || b == b',' || (b == b']' && self.in_array))
        {
            self.in_record = false;
            self.between(b);
            return Step::EndBefore;
        }
        self.nest(b)
    }

    /// The state after the record being read, when it was cut short by the
    /// end of the stream.
    pub(super) fn after_record(self) -> JsonScan {
        JsonScan {
            in_array: self.in_array,
            ..JsonScan::default()
        }
    }

    /// A byte between records: a separator, or the start of a record.
    fn between(&mut self, b: u8) -> Step {
        match b {
            _ if b.is_ascii_whitespace() => Step::Between,
            b',' => Step::Between,
            b'[' if !self.in_array => {
                self.in_array = true;
                Step::Between
            }
            b']' if self.in_array => {
                self.in_array = false;
                Step::Between
            }
            _ => {
                self.in_record = true;
                self.depth = 0;
                // A stray closing bracket starts a bare value (not JSON: an
                // error record), so every record starts with `Start`.
                self.nest(b);
                Step::Start
            }
        }
    }

    /// A byte of a record outside its strings.
    fn nest(&mut self, b: u8) -> Step {
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth = self.depth.saturating_add(1),
            // In a bare value (depth 0) a closing bracket closes nothing.
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    self.in_record = false;
                    return Step::End;
                }
            }
            _ => {}
        }
        Step::Inside
    }
}

/// Finds the complete records of `data`, which starts between records (in
/// the state `scan`), on line `lines_before + 1`; at `eof`, a record cut
/// short is a record too (its parse fails: an error record). Returns the
/// cut and the state where it ends.
pub(super) fn cut(data: &[u8], eof: bool, lines_before: usize, scan: JsonScan) -> (Cut, JsonScan) {
    let mut cut = Cut {
        records: Vec::new(),
        consumed: 0,
        lines: 0,
    };
    let (mut scan, mut at_consumed) = (scan, scan);
    let (mut start, mut start_line, mut lines) = (0, 0, 0);
    for (i, &b) in data.iter().enumerate() {
        let line = lines;
        lines += usize::from(b == b'\n');
        let step = scan.step(b);
        match step {
            Step::Start => {
                (start, start_line) = (i, line);
                continue;
            }
            Step::Inside => continue,
            Step::End | Step::EndBefore => {
                let end = if step == Step::End { i + 1 } else { i };
                cut.records.push(RawRecord {
                    range: start..end,
                    line: lines_before + start_line + 1,
                    too_long: None,
                });
            }
            Step::Between => {}
        }
        cut.consumed = i + 1;
        cut.lines = lines;
        at_consumed = scan;
    }
    if eof && scan.in_record {
        cut.records.push(RawRecord {
            range: start..data.len(),
            line: lines_before + start_line + 1,
            too_long: None,
        });
        cut.consumed = data.len();
        cut.lines = lines;
        at_consumed = scan.after_record();
    }
    (cut, at_consumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(data: &str, eof: bool) -> (Vec<(&str, usize)>, usize) {
        let (cut, _) = cut(data.as_bytes(), eof, 0, JsonScan::default());
        let records = cut
            .records
            .iter()
            .map(|r| (data.get(r.range.clone()).unwrap(), r.line))
            .collect();
        (records, cut.consumed)
    }

    #[test]
    fn array_elements_and_values_one_after_another_are_records() {
        let pretty = "[\n  {\n    \"text\": \"a [b] {c}\"\n  },\n  {\"text\": \"d\\\"}\"}\n]\n";
        let (got, consumed) = records(pretty, false);
        assert_eq!(
            got,
            [
                ("{\n    \"text\": \"a [b] {c}\"\n  }", 2),
                ("{\"text\": \"d\\\"}\"}", 5)
            ]
        );
        assert_eq!(consumed, pretty.len());
        let (got, _) = records("{\"a\": [1]}\n{\"b\": 2}", true);
        assert_eq!(got, [("{\"a\": [1]}", 1), ("{\"b\": 2}", 2)]);
        // Elements that are not objects are records too (error records later).
        let (got, _) = records("[1, \"x\", null]", true);
        assert_eq!(got, [("1", 1), ("\"x\"", 1), ("null", 1)]);
        let (got, _) = records("} {}", true);
        assert_eq!(got, [("}", 1), ("{}", 1)]);
        // Outside an array a `]` ends nothing: one bad record, whatever the
        // batch (a fuzz finding).
        let (got, _) = records("]]]", true);
        assert_eq!(got, [("]]]", 1)]);
    }

    #[test]
    fn an_unfinished_record_waits_for_more_or_ends_the_stream() {
        let (got, consumed) = records("[{\"a\": 1}, {\"b\": ", false);
        assert_eq!(got, [("{\"a\": 1}", 1)]);
        assert_eq!(consumed, 11);
        let (got, _) = records("[{\"a\": 1}, {\"b\": ", true);
        assert_eq!(got, [("{\"a\": 1}", 1), ("{\"b\": ", 1)]);
        // The state at the cut carries on: inside the array.
        let (_, scan) = cut(b"[{\"a\": 1},", false, 0, JsonScan::default());
        let (rest, _) = cut(b" {\"b\": 2}]", true, 0, scan);
        assert_eq!(rest.records.len(), 1);
    }
}
