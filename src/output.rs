//! Emit: render a cleaned document as text, a JSON object, or a JSONL record
//! that carries the input record's other fields through unchanged.
//!
//! Output keys, in order: `id`, `title`, `text`, `author`, `author_role`,
//! `source`, `published`, `image_credits`, `references`, `language`,
//! `removed`, `stats`, `flags`. Every key is always present (`null` or `[]`
//! when there is nothing), so downstream schemas stay fixed.
//!
//! In JSONL the input's fields come first, in their order and as written;
//! the text field gets the cleaned body; pith's keys follow, except those the
//! input already has (input fields are never overwritten). Nothing vanishes
//! for it: when the input has its own `title` and pith found a different
//! one, pith's title goes back at the head of the text field, where it was
//! (every other value pith takes out of the text is also in `removed`).

use std::borrow::Cow;

use base64::Engine as _;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::engine::Cleaned;
use crate::input::{JsonRecord, RecordError};

/// Where a record came from, for error records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// The input file, or `None` for standard input.
    pub file: Option<String>,
    /// 1-based line of a JSONL record (0 for a whole-file text document).
    pub line: usize,
}

/// pith's fields of one cleaned document, as a JSON map.
struct Fields<'a> {
    cleaned: &'a Cleaned,
    /// `Some` to write an `id` key first.
    id: Option<Option<&'a str>>,
    /// The key the body goes under; `None` to leave the body out.
    text_key: Option<&'a str>,
    /// Keys to leave out because the input record has them.
    taken: Option<&'a JsonRecord<'a>>,
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.cleaned;
        let mut map = s.serialize_map(None)?;
        let free = |key: &str| self.taken.is_none_or(|r| r.get(key).is_none());
        if let Some(id) = self.id
            && free("id")
        {
            map.serialize_entry("id", &id)?;
        }
        if free("title") {
            map.serialize_entry("title", &c.title)?;
        }
        if let Some(key) = self.text_key {
            map.serialize_entry(key, &c.text)?;
        }
        macro_rules! entries {
            ($($name:ident),*) => {$(
                if free(stringify!($name)) {
                    map.serialize_entry(stringify!($name), &c.$name)?;
                }
            )*};
        }
        entries!(
            author,
            author_role,
            source,
            published,
            image_credits,
            references,
            language,
            removed,
            stats,
            flags
        );
        map.end()
    }
}

/// The document as one JSON object (pretty-printed if `pretty`).
pub fn to_json(cleaned: &Cleaned, id: Option<&str>, pretty: bool) -> String {
    let fields = Fields {
        cleaned,
        id: Some(id),
        text_key: Some("text"),
        taken: None,
    };
    let result = if pretty {
        serde_json::to_string_pretty(&fields)
    } else {
        serde_json::to_string(&fields)
    };
    // Serialising strings, numbers and lists into a String cannot fail.
    result.unwrap_or_default()
}

/// The JSONL output record for an input record: its fields, the cleaned body
/// in `text_field`, then pith's fields. `id` is written as `id` when the
/// input has no `id` field of its own.
pub fn to_jsonl(
    record: &JsonRecord,
    text_field: &str,
    id: Option<&str>,
    cleaned: &Cleaned,
) -> String {
    let mut out = String::with_capacity(cleaned.text.len() * 2 + 256);
    out.push('{');
    let body = body_keeping_title(record, cleaned);
    for (key, value) in &record.fields {
        if out.len() > 1 {
            out.push(',');
        }
        push_json(&mut out, key.as_ref());
        out.push(':');
        if key == text_field {
            push_json(&mut out, &body);
        } else {
            out.push_str(value.get());
        }
    }
    let fields = Fields {
        cleaned,
        id: Some(id),
        text_key: None,
        taken: Some(record),
    };
    splice_object(
        &mut out,
        &serde_json::to_string(&fields).unwrap_or_default(),
    );
    out.push('}');
    out
}

/// The body for the text field of a JSONL record: the cleaned text, with
/// pith's title back at its head (as text output prints it) when the title
/// is a line that came before the body and the input's own `title` field
/// keeps pith's from being written and holds something else.
fn body_keeping_title<'c>(record: &JsonRecord, cleaned: &'c Cleaned) -> Cow<'c, str> {
    let Some(title) = cleaned
        .title
        .as_deref()
        .filter(|_| cleaned.title_line.is_some())
    else {
        return Cow::Borrowed(&cleaned.text);
    };
    let same = |theirs: Cow<str>| theirs.trim() == title.trim();
    match record.get("title") {
        None => Cow::Borrowed(&cleaned.text),
        Some(_) if record.string("title").is_ok_and(same) => Cow::Borrowed(&cleaned.text),
        Some(_) => Cow::Owned(cleaned.to_text(true)),
    }
}

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
    let mut out = String::from("{");
    for (key, value) in record.map(|r| r.fields.as_slice()).unwrap_or_default() {
        if key == "error" || key == "line" || key == "file" {
            continue;
        }
        if out.len() > 1 {
            out.push(',');
        }
        push_json(&mut out, key.as_ref());
        out.push(':');
        out.push_str(value.get());
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
        error: error.to_string(),
        file: position.file.as_deref(),
        line: position.line,
        input: raw
            .filter(|_| record.is_none())
            .map(String::from_utf8_lossy),
        input_base64: raw
            .filter(|bytes| std::str::from_utf8(bytes).is_err())
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)),
    };
    splice_object(
        &mut out,
        &serde_json::to_string(&fields).unwrap_or_default(),
    );
    out.push('}');
    out
}

/// Appends `s` as a JSON string.
fn push_json(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// Appends the members of the JSON object `object` to an object being
/// written in `out` (which holds `{` and possibly members already).
fn splice_object(out: &mut String, object: &str) {
    let inner = object
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or("");
    if inner.is_empty() {
        return;
    }
    if out.len() > 1 {
        out.push(',');
    }
    out.push_str(inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned() -> Cleaned {
        Cleaned {
            title: Some("T".into()),
            text: "Body\n\"q\"".into(),
            title_line: Some(0),
            ..Cleaned::default()
        }
    }

    #[test]
    fn json_has_every_key_in_order() {
        let json = to_json(&cleaned(), Some("doc1"), false);
        let keys = [
            "id",
            "title",
            "text",
            "author",
            "author_role",
            "source",
            "published",
            "image_credits",
            "references",
            "language",
            "removed",
            "stats",
            "flags",
        ];
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| json.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
        assert!(json.starts_with(r#"{"id":"doc1","title":"T","text":"Body\n\"q\"""#));
    }

    #[test]
    fn jsonl_passes_fields_through_and_never_overwrites() {
        let line = r#"{"url":"u","title":"Input title","text":"raw","n":[1, 2]}"#;
        let record = JsonRecord::parse(line).unwrap();
        let out = to_jsonl(&record, "text", None, &cleaned());
        assert!(out.starts_with(r#"{"url":"u","title":"Input title","text":"T\n\nBody\n\"q\"","n":[1, 2],"id":null,"author":null"#), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["title"], "Input title");
    }

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

    #[test]
    fn a_title_the_input_record_keeps_out_goes_back_into_the_text() {
        let cleaned = cleaned();
        let out = |line: &str| {
            let record = JsonRecord::parse(line).unwrap();
            let v: serde_json::Value =
                serde_json::from_str(&to_jsonl(&record, "text", None, &cleaned)).unwrap();
            (v["title"].clone(), v["text"].as_str().unwrap().to_string())
        };
        // No title in the input: pith's is written.
        assert_eq!(out(r#"{"text":"raw"}"#), ("T".into(), "Body\n\"q\"".into()));
        // The input's own title wins; pith's goes back into the text.
        assert_eq!(
            out(r#"{"title":"Other","text":"raw"}"#),
            ("Other".into(), "T\n\nBody\n\"q\"".into())
        );
        assert_eq!(
            out(r#"{"title":null,"text":"raw"}"#),
            (serde_json::Value::Null, "T\n\nBody\n\"q\"".into())
        );
        // The same title in the input: nothing is lost.
        assert_eq!(
            out(r#"{"title":" T ","text":"raw"}"#),
            (" T ".into(), "Body\n\"q\"".into())
        );
        // A title that is not a line before the body (metadata only, or a
        // line kept in the body) is never added to the text.
        let elsewhere = Cleaned {
            title_line: None,
            ..cleaned
        };
        let record = JsonRecord::parse(r#"{"title":"Other","text":"raw"}"#).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&to_jsonl(&record, "text", None, &elsewhere)).unwrap();
        assert_eq!(v["text"], "Body\n\"q\"");
    }
}
