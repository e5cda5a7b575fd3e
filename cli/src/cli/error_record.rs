//! Error records: a JSONL output record for an input record that could not
//! be cleaned, saying what went wrong and where, with the input's fields
//! or its raw bytes (base64 when they are not UTF-8).

use std::borrow::Cow;

use base64::Engine as _;
use pith::input::{JsonRecord, RecordError};
use pith::output::{ObjectWriter, Position};
use serde::Serialize;

use super::hint::RecordHint;

/// An error record: what went wrong and where, the input's fields when the
/// line was an object, or the raw line when it was not (`raw`, when given).
/// A raw line that is not UTF-8 is also given byte for byte, as
/// `input_base64`.
pub fn error_record(
    error: &RecordError,
    position: &Position,
    record: Option<&JsonRecord>,
    raw: Option<&[u8]>,
) -> String {
    let mut out = ObjectWriter::with_capacity(raw.map_or(256, |r| r.len() * 2 + 256));
    for (key, value) in record.map(|r| r.fields.as_slice()).unwrap_or_default() {
        if key == "error" || key == "line" || key == "file" {
            continue;
        }
        out.raw(key, value.get());
    }
    #[derive(Serialize)]
    struct ErrorFields<'a> {
        error: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<&'a str>,
        line: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        input: Option<Cow<'a, str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        input_base64: Option<String>,
    }
    let fields = ErrorFields {
        error: RecordHint(error).to_string(),
        file: position.file.as_deref(),
        line: position.line,
        input: raw
            .filter(|_| record.is_none())
            .map(String::from_utf8_lossy),
        input_base64: raw
            .filter(|bytes| std::str::from_utf8(bytes).is_err())
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)),
    };
    out.finish_with(&fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_records_keep_the_input() {
        let pos = Position {
            file: Some("in.jsonl".into()),
            line: 3,
        };
        let out = error_record(
            &RecordError::InvalidJson("eof".into()),
            &pos,
            None,
            Some(b"{bad"),
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["line"], 3);
        assert_eq!(v["file"], "in.jsonl");
        assert_eq!(v["input"], "{bad");
        let record = JsonRecord::parse(r#"{"id":"x","body":"b"}"#).unwrap();
        let out = error_record(
            &RecordError::MissingField("text".into()),
            &pos,
            Some(&record),
            None,
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["id"], "x");
        assert_eq!(v["body"], "b");
        assert!(v["error"].as_str().unwrap().contains("text"));
        assert!(v.get("input_base64").is_none());
    }

    #[test]
    fn error_records_give_bytes_that_are_not_utf8_in_base64() {
        let raw = b"{\"text\": \"caf\xe9\"}";
        let out = error_record(
            &RecordError::InvalidUtf8,
            &Position::default(),
            None,
            Some(raw),
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["input"], "{\"text\": \"caf\u{fffd}\"}");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(v["input_base64"].as_str().unwrap())
            .unwrap();
        assert_eq!(decoded, raw);
    }
}
