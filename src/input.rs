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

/// Why a record could not be read. The message tells the user what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid UTF-8 (run without --strict to replace bad bytes)")]
    InvalidUtf8,
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    #[error("a JSONL record must be a JSON object")]
    NotAnObject,
    #[error("no `{0}` field (choose the text field with --text-field)")]
    MissingField(String),
    #[error("field `{0}` is not a string")]
    NotAString(String),
    #[error("cleaning failed: {0}")]
    Panicked(String),
}

/// Decodes bytes as UTF-8. Invalid sequences are replaced unless `strict`;
/// the flag says whether any were.
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
    pub fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> JsonRecord<'a> {
    /// Parses one line of JSONL.
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
    pub fn string(&self, name: &str) -> Result<Cow<'a, str>, RecordError> {
        let raw = self
            .get(name)
            .ok_or_else(|| RecordError::MissingField(name.to_string()))?;
        let mut de = serde_json::Deserializer::from_str(raw.get());
        de.deserialize_str(CowStrVisitor)
            .map_err(|_| RecordError::NotAString(name.to_string()))
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

/// Whether a stream looks like JSONL: its first non-blank byte opens an object.
pub fn looks_like_jsonl(head: &[u8]) -> bool {
    head.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
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
    fn jsonl_sniffing() {
        assert!(looks_like_jsonl(b"  \n{\"text\":1}"));
        assert!(!looks_like_jsonl(b"Headline\n"));
        assert!(!looks_like_jsonl(b""));
    }
}
