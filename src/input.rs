//! Input: decode bytes into text and JSONL lines into records.
//!
//! Invalid UTF-8 is replaced (U+FFFD) and reported, so the caller can flag the
//! record, or refused when the caller is strict. A JSONL line is parsed
//! without building a tree: the record's fields stay raw JSON slices of the
//! line, passed through unchanged, and only the text field is decoded.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::engine::CleanPanic;
pub use crate::markup::{LOOKS_LIKE_HTML, input_flags, looks_like_html};

/// The UTF-8 byte order mark some editors write at the start of a file.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// Why a record could not be read. The message says what is wrong with the
/// record; a caller with options (the command's flags) adds which one
/// changes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The bytes are not UTF-8 (strict reading).
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The line is not JSON.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// The JSON is not an object.
    #[error("a JSONL record must be a JSON object")]
    NotAnObject,
    /// The text field is missing.
    #[error("no `{0}` field")]
    MissingField(String),
    /// The text field is not a string.
    #[error("field `{0}` is not a string")]
    NotAString(String),
    /// The text field holds a lone surrogate escape (strict reading).
    #[error("field `{0}` holds a lone surrogate escape (\\ud800-\\udfff), which is not text")]
    LoneSurrogate(String),
    /// The record is longer than the limit.
    #[error("record of {bytes} bytes is longer than the limit of {limit} bytes")]
    TooLong {
        /// Its length.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Cleaning panicked.
    #[error(transparent)]
    Panicked(#[from] CleanPanic),
}

/// Decodes bytes as UTF-8. Invalid sequences are replaced unless `strict`;
/// the flag says whether any were.
///
/// # Errors
///
/// [`RecordError::InvalidUtf8`] when `strict` and the bytes are not UTF-8.
pub fn decode(bytes: &[u8], strict: bool) -> Result<(Cow<'_, str>, bool), RecordError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), false)),
        Err(_) if strict => Err(RecordError::InvalidUtf8),
        Err(_) => Ok((String::from_utf8_lossy(bytes), true)),
    }
}

/// One JSONL record: its fields in input order, values as raw JSON.
#[derive(Debug)]
pub struct JsonRecord<'a> {
    /// Name and raw value of each field, in input order.
    pub fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> JsonRecord<'a> {
    /// Parses one line of JSONL.
    ///
    /// # Errors
    ///
    /// [`RecordError::InvalidJson`] or [`RecordError::NotAnObject`].
    pub fn parse(line: &'a str) -> Result<JsonRecord<'a>, RecordError> {
        let mut de = serde_json::Deserializer::from_str(line);
        let fields = de
            .deserialize_any(FieldsVisitor)
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Data => RecordError::NotAnObject,
                _ => RecordError::InvalidJson(e.to_string()),
            })?;
        de.end()
            .map_err(|e| RecordError::InvalidJson(e.to_string()))?;
        Ok(JsonRecord { fields })
    }

    /// The raw value of field `name`.
    pub fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// The decoded string value of field `name`.
    ///
    /// # Errors
    ///
    /// [`RecordError::MissingField`] or [`RecordError::NotAString`].
    pub fn string(&self, name: &str) -> Result<Cow<'a, str>, RecordError> {
        let raw = self
            .get(name)
            .ok_or_else(|| RecordError::MissingField(name.to_string()))?;
        let mut de = serde_json::Deserializer::from_str(raw.get());
        de.deserialize_str(CowStrVisitor)
            .map_err(|_| RecordError::NotAString(name.to_string()))
    }

    /// The decoded text of string field `name`. A lone UTF-16 surrogate
    /// escape (`"\ud800"`), which JSON allows but no text holds, is replaced
    /// with U+FFFD and the flag says so — unless `strict`, where it is an
    /// error — as invalid UTF-8 is by [`decode`].
    ///
    /// # Errors
    ///
    /// As [`JsonRecord::string`]; with `strict`, [`RecordError::LoneSurrogate`] too.
    pub fn text(&self, name: &str, strict: bool) -> Result<(Cow<'a, str>, bool), RecordError> {
        let error = match self.string(name) {
            Ok(text) => return Ok((text, false)),
            Err(error) => error,
        };
        let raw = self.get(name).map(RawValue::get).unwrap_or_default();
        let mut de = serde_json::Deserializer::from_str(raw);
        // As bytes, serde_json accepts lone surrogates (as WTF-8).
        let Ok(mut bytes) = de.deserialize_bytes(BytesVisitor) else {
            return Err(error);
        };
        if strict {
            return Err(RecordError::LoneSurrogate(name.to_string()));
        }
        replace_surrogates(&mut bytes);
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok((Cow::Owned(text), true))
    }

    /// The record's id as text: a string field's value, or any other JSON
    /// value as written.
    pub fn id(&self, name: &str) -> Option<String> {
        let raw = self.get(name)?;
        match self.string(name) {
            Ok(s) => Some(s.into_owned()),
            Err(_) if raw.get() == "null" => None,
            Err(_) => Some(raw.get().to_string()),
        }
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(4));
        while let Some(key) = map.next_key_seed(CowStrSeed)? {
            let value: &'de RawValue = map.next_value()?;
            fields.push((key, value));
        }
        Ok(fields)
    }
}

struct CowStrSeed;

impl<'de> de::DeserializeSeed<'de> for CowStrSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(CowStrVisitor)
    }
}

/// Borrows strings without escapes, allocates the others.
struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Replaces each surrogate code point encoded in WTF-8 (`ED A0..BF xx`) with
/// U+FFFD, whose UTF-8 encoding has the same length.
fn replace_surrogates(bytes: &mut [u8]) {
    let mut i = 0;
    while let Some(window) = bytes.get_mut(i..i + 3) {
        if let [0xed, 0xa0..=0xbf, _] = window {
            window.copy_from_slice("\u{fffd}".as_bytes());
            i += 3;
        } else {
            i += 1;
        }
    }
}

struct BytesVisitor;

impl Visitor<'_> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(v.to_vec())
    }
}

/// Lines of a stream's start that auto detection reads.
pub const DETECT_LINES: usize = 5;
/// The most bytes of a stream's start that auto detection reads.
pub const DETECT_BYTES: usize = 1 << 20;

/// What auto detection made of the start of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// Whether to read the stream as JSONL.
    pub jsonl: bool,
    /// Whether to read the stream as JSON records written over several
    /// lines: an array of objects (pith's `--output json`) or objects one
    /// after the other (`jq`'s output). Never together with `jsonl`.
    pub json: bool,
    /// Of the non-blank lines checked, how many are JSON objects.
    pub objects: usize,
    /// Non-blank lines checked.
    pub checked: usize,
    /// Whether the stream starts with `{` (after blanks).
    pub brace: bool,
}

impl Detection {
    /// Whether the choice needs no explanation: the stream does not start
    /// with `{` or `[`, or every line checked is a JSON object.
    pub fn obvious(&self) -> bool {
        (!self.brace && !self.json) || (self.checked > 0 && self.objects == self.checked)
    }
}

/// Tells JSONL from text by the start of a stream, `head` (the whole stream
/// when `complete`). Text that happens to start with `{` is not JSONL: the
/// stream is JSONL when it starts with `{` and at least half of its first
/// [`DETECT_LINES`] non-blank lines are JSON objects. A first line too long
/// to check (over [`DETECT_BYTES`]) counts as JSONL by its `{`. A stream
/// that is not JSONL is JSON records when it starts with an object, or
/// with an array whose first element is an object, that is valid JSON as
/// far as `head` goes.
pub fn detect(head: &[u8], complete: bool) -> Detection {
    let head = head.strip_prefix(BOM).unwrap_or(head);
    let brace = head.trim_ascii_start().first() == Some(&b'{');
    let mut detection = Detection {
        jsonl: false,
        json: false,
        objects: 0,
        checked: 0,
        brace,
    };
    if !brace {
        detection.json = starts_json_records(head);
        return detection;
    }
    let mut lines: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    if !complete {
        // The last piece is a line cut short.
        lines.pop();
    }
    for line in lines
        .into_iter()
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(DETECT_LINES)
    {
        detection.checked += 1;
        let line = String::from_utf8_lossy(line.strip_suffix(b"\r").unwrap_or(line));
        detection.objects += usize::from(JsonRecord::parse(&line).is_ok());
    }
    detection.jsonl = detection.checked == 0 || detection.objects * 2 >= detection.checked;
    detection.json = !detection.jsonl && starts_json_records(head);
    detection
}

/// Whether `head` starts JSON records: an object, or an array that is empty
/// or starts with an object, valid JSON up to its end (a value cut short by
/// the end of `head` counts).
fn starts_json_records(head: &[u8]) -> bool {
    let head = head.trim_ascii_start();
    let opens_records = match head.first() {
        Some(b'{') => true,
        Some(b'[') => matches!(
            head.get(1..).unwrap_or_default().trim_ascii_start().first(),
            Some(b'{' | b']')
        ),
        _ => false,
    };
    if !opens_records {
        return false;
    }
    let mut values = serde_json::Deserializer::from_slice(head).into_iter::<de::IgnoredAny>();
    match values.next() {
        Some(Ok(_)) => true,
        Some(Err(e)) => e.is_eof(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_in_order_and_decodes_text() {
        let r = JsonRecord::parse(r#"{"id": 7, "text": "a\nb", "meta": {"x": [1]}}"#).unwrap();
        let keys: Vec<&str> = r.fields.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["id", "text", "meta"]);
        assert_eq!(r.string("text").unwrap(), "a\nb");
        assert_eq!(r.get("meta").unwrap().get(), r#"{"x": [1]}"#);
        assert_eq!(r.id("id").as_deref(), Some("7"));
    }

    #[test]
    fn record_errors() {
        assert!(matches!(
            JsonRecord::parse("{nope"),
            Err(RecordError::InvalidJson(_))
        ));
        assert!(matches!(
            JsonRecord::parse("[1,2]"),
            Err(RecordError::NotAnObject)
        ));
        assert!(matches!(
            JsonRecord::parse("{} x"),
            Err(RecordError::InvalidJson(_))
        ));
        let r = JsonRecord::parse(r#"{"text": 3}"#).unwrap();
        assert_eq!(
            r.string("text"),
            Err(RecordError::NotAString("text".into()))
        );
        assert_eq!(
            r.string("body"),
            Err(RecordError::MissingField("body".into()))
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"ok", true).unwrap(), (Cow::Borrowed("ok"), false));
        let (s, bad) = decode(b"a\xffb", false).unwrap();
        assert!(bad);
        assert_eq!(s, "a\u{fffd}b");
        assert_eq!(decode(b"a\xffb", true), Err(RecordError::InvalidUtf8));
    }

    #[test]
    fn record_errors_name_no_command_line_flag() {
        for error in [
            RecordError::InvalidUtf8,
            RecordError::MissingField("text".into()),
            RecordError::LoneSurrogate("text".into()),
            RecordError::TooLong { bytes: 9, limit: 4 },
        ] {
            assert!(!error.to_string().contains("--"), "{error}");
        }
    }

    #[test]
    fn jsonl_detection_reads_more_than_the_first_byte() {
        let jsonl = |head: &[u8], complete| detect(head, complete).jsonl;
        assert!(jsonl(b"  \n{\"text\":1}", true));
        assert!(jsonl(b"\xef\xbb\xbf{\"text\":1}\n", true));
        assert!(!jsonl(b"Headline\n", true));
        assert!(!jsonl(b"", true));
        // Text that starts with a brace.
        assert!(!jsonl(
            b"{Editor's note} This story was updated.\n\nMore text.\n",
            true
        ));
        // One bad line among good ones.
        let d = detect(b"{bad\n{\"a\":1}\n{\"a\":2}\n", true);
        assert!(d.jsonl && !d.obvious());
        assert_eq!((d.objects, d.checked), (2, 3));
        // A first line too long to check.
        let d = detect(b"{\"text\": \"a very long", false);
        assert!(d.jsonl && !d.obvious());
        assert!(detect(b"{\"a\":1}\n{\"a\":2}\n", true).obvious());
        assert!(detect(b"Plain text\n", true).obvious());
    }

    #[test]
    fn json_records_over_several_lines_are_told_from_text() {
        let json = |head: &[u8], complete| {
            let d = detect(head, complete);
            assert!(!(d.json && d.jsonl));
            d.json
        };
        // pith's --output json: an array of pretty objects, whole or cut short.
        let array = b"[\n  {\n    \"id\": \"a\",\n    \"text\": \"Body\"\n  }\n]\n";
        assert!(json(array, true));
        assert!(json(&array[..20], false));
        assert!(json(b"[]", true));
        // One pretty object, and objects one after the other (jq).
        assert!(json(
            b"{\n  \"text\": \"a\"\n}\n{\n  \"text\": \"b\"\n}\n",
            true
        ));
        assert!(!detect(b"[\n{\"text\": 1}", false).obvious());
        // Text with brackets or braces is text.
        assert!(!json(b"[Updated] The council met on Monday.\n", true));
        assert!(!json(b"[1] A footnote.\n", true));
        assert!(!json(b"{Editor's note} This story was updated.\n", true));
        assert!(!json(b"[{ not json at all\n", true));
        // A JSONL stream is JSONL, not JSON.
        assert!(!json(b"{\"a\":1}\n{\"a\":2}\n", true));
    }

    #[test]
    fn lone_surrogates_are_replaced_and_flagged_or_refused() {
        let r = JsonRecord::parse(r#"{"text": "a\ud800b\udc00\ud83d\ude00", "n": 1}"#).unwrap();
        assert_eq!(
            r.text("text", false).unwrap(),
            (Cow::Owned("a\u{fffd}b\u{fffd}\u{1f600}".to_string()), true)
        );
        assert_eq!(
            r.text("text", true),
            Err(RecordError::LoneSurrogate("text".into()))
        );
        assert_eq!(r.text("n", false), Err(RecordError::NotAString("n".into())));
        let ok = JsonRecord::parse(r#"{"text": "caf\u00e9"}"#).unwrap();
        assert_eq!(
            ok.text("text", true).unwrap(),
            (Cow::Borrowed("café"), false)
        );
    }
}
