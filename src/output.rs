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
//!
//! [`OutputKeys`] chooses which of pith's keys are written (`--fields`,
//! `--no-removed`) and puts a prefix before their names (`--prefix pith_`),
//! so that none of them is kept out by an input field of the same name.

use std::borrow::Cow;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::engine::Cleaned;
use crate::input::JsonRecord;

/// Where a record came from, for error records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// The input file, or `None` for standard input.
    pub file: Option<String>,
    /// 1-based line of a JSONL record (0 for a whole-file text document).
    pub line: usize,
}

/// pith's output keys, in the order they are written.
pub const KEYS: &[&str] = &[
    "id",
    "title",
    "title_line",
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

/// An output key that is not one of [`KEYS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output field `{0}` (choose among {keys})", keys = KEYS.join(","))]
pub struct UnknownKey(pub String);

/// Which of pith's keys a JSON or JSONL record holds, and their names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputKeys {
    /// The keys to write (in [`KEYS`] order whatever the order here);
    /// `None` writes them all.
    only: Option<Vec<&'static str>>,
    /// Written before each key's name: `pith_` gives `pith_title`, ….
    prefix: String,
}

impl OutputKeys {
    /// Every key, under its own name (the default).
    pub fn all() -> OutputKeys {
        OutputKeys::default()
    }

    /// Only the keys named in `only` (all when `None`), less `removed` when
    /// `no_removed`, each named with `prefix` before it.
    ///
    /// # Errors
    ///
    /// [`UnknownKey`] naming the first key of `only` that pith does not write.
    pub fn new(
        only: Option<&[String]>,
        no_removed: bool,
        prefix: &str,
    ) -> Result<OutputKeys, UnknownKey> {
        let mut keys: Vec<&'static str> = match only {
            None => KEYS.to_vec(),
            Some(names) => names
                .iter()
                .map(|name| {
                    KEYS.iter()
                        .find(|k| **k == name.trim())
                        .copied()
                        .ok_or_else(|| UnknownKey(name.clone()))
                })
                .collect::<Result<_, _>>()?,
        };
        if no_removed {
            keys.retain(|k| *k != "removed");
        }
        Ok(OutputKeys {
            only: (only.is_some() || no_removed).then_some(keys),
            prefix: prefix.to_string(),
        })
    }

    /// Whether `key` is written.
    pub fn wants(&self, key: &str) -> bool {
        self.only.as_ref().is_none_or(|keys| keys.contains(&key))
    }

    /// The name `key` is written under.
    pub fn name<'k>(&self, key: &'k str) -> Cow<'k, str> {
        if self.prefix.is_empty() {
            Cow::Borrowed(key)
        } else {
            Cow::Owned(format!("{}{key}", self.prefix))
        }
    }

    /// pith's keys (as written) that `record` already has, so that its
    /// own values are kept and pith's left out. The text field takes the
    /// cleaned body, and the id field is where pith's id comes from: neither
    /// is a collision.
    pub fn collisions(&self, record: &JsonRecord, text_field: &str, id_field: &str) -> Vec<String> {
        KEYS.iter()
            .filter(|k| **k != "text" && self.wants(k))
            .map(|k| self.name(k).into_owned())
            .filter(|name| name != text_field && name != id_field && record.get(name).is_some())
            .collect()
    }
}

/// pith's fields of one cleaned document, as a JSON map.
struct Fields<'a> {
    cleaned: &'a Cleaned,
    keys: &'a OutputKeys,
    /// Flags the input earned (see [`crate::markup::input_flags`]), written
    /// after the cleaner's.
    input_flags: &'a [&'a str],
    /// `Some` to write an `id` key first.
    id: Option<Option<&'a str>>,
    /// Whether to write the body (under `text`); JSONL records keep it in
    /// the input's text field instead.
    body: bool,
    /// Keys to leave out because the input record has them.
    taken: Option<&'a JsonRecord<'a>>,
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.cleaned;
        let keys = self.keys;
        let mut map = s.serialize_map(None)?;
        // A key is written when chosen and the input record lacks its name.
        let free = |key: &str| {
            keys.wants(key) && self.taken.is_none_or(|r| r.get(&keys.name(key)).is_none())
        };
        if let Some(id) = self.id
            && free("id")
        {
            map.serialize_entry(&keys.name("id"), &id)?;
        }
        if free("title") {
            map.serialize_entry(&keys.name("title"), &c.title)?;
        }
        if free("title_line") {
            // The line pith's title was read from, 1-based (0 for a title
            // given apart: see `Cleaner::clean_titled`); null when the title
            // written is not pith's (the input's own, or none).
            let line = c
                .title_line
                .filter(|_| free("title"))
                .map(|n| if c.title_given { 0 } else { n + 1 });
            map.serialize_entry(&keys.name("title_line"), &line)?;
        }
        if self.body && keys.wants("text") {
            map.serialize_entry(&keys.name("text"), &c.text)?;
        }
        macro_rules! entries {
            ($($name:literal => $value:expr),* $(,)?) => {$(
                if free($name) {
                    map.serialize_entry(&keys.name($name), &$value)?;
                }
            )*};
        }
        let m = &c.metadata;
        entries!(
            "author" => m.author,
            "author_role" => m.author_role,
            "source" => m.source,
            "published" => m.published,
            "image_credits" => m.image_credits,
            "references" => m.references,
            "language" => c.language,
            "removed" => c.removed,
            "stats" => c.stats,
        );
        if free("flags") {
            let flags = FlagList(&c.flags, self.input_flags);
            map.serialize_entry(&keys.name("flags"), &flags)?;
        }
        map.end()
    }
}

/// The cleaner's flags, then the input's.
struct FlagList<'a>(&'a [crate::Flag], &'a [&'a str]);

impl Serialize for FlagList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len() + self.1.len()))?;
        for flag in self.0 {
            seq.serialize_element(flag)?;
        }
        for flag in self.1 {
            seq.serialize_element(flag)?;
        }
        seq.end()
    }
}

/// The document as one JSON object (pretty-printed if `pretty`) with the
/// chosen `keys` and the flags its input earned.
pub fn to_json(
    cleaned: &Cleaned,
    id: Option<&str>,
    pretty: bool,
    keys: &OutputKeys,
    input_flags: &[&str],
) -> String {
    let fields = Fields {
        cleaned,
        keys,
        input_flags,
        id: Some(id),
        body: true,
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
/// in `text_field`, then pith's chosen `keys` that the input lacks. `id` is
/// written as `id` when the input has no `id` field of its own.
pub fn to_jsonl(
    record: &JsonRecord,
    text_field: &str,
    id: Option<&str>,
    cleaned: &Cleaned,
    keys: &OutputKeys,
    input_flags: &[&str],
) -> String {
    let mut out = ObjectWriter::with_capacity(cleaned.text.len() + 256);
    let body = body_keeping_title(record, cleaned, keys);
    for (key, value) in &record.fields {
        if key == text_field {
            out.string(key, &body);
        } else {
            out.raw(key, value.get());
        }
    }
    let fields = Fields {
        cleaned,
        keys,
        input_flags,
        id: Some(id),
        body: false,
        taken: Some(record),
    };
    out.finish_with(&fields)
}

/// Valid JSON text laid out as `serde_json`'s pretty printer lays it out
/// (two spaces a level, `": "`, empty `{}` and `[]` on one line): what
/// `--output json` writes for a JSON record, from its JSONL form, whose
/// passed-through fields may hold any layout.
pub fn pretty(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 4);
    let mut depth = 0usize;
    let (mut in_string, mut escape) = (false, false);
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escape => escape = false,
                '\\' => escape = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.next_if(char::is_ascii_whitespace).is_some() {}
                if let Some(close) = chars.next_if(|&n| n == '}' || n == ']') {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ if c.is_ascii_whitespace() => {}
            _ => out.push(c),
        }
    }
    out
}

/// The body for the text field of a JSONL record: the cleaned text, with
/// pith's title back at its head (as text output prints it) when the title
/// is a line that came before the body and pith's is not written — not
/// chosen, or kept out by the input's own field of its name holding
/// something else.
fn body_keeping_title<'c>(
    record: &JsonRecord,
    cleaned: &'c Cleaned,
    keys: &OutputKeys,
) -> Cow<'c, str> {
    let Some(title) = cleaned
        .title
        .as_deref()
        .filter(|_| cleaned.title_line.is_some())
    else {
        return Cow::Borrowed(&cleaned.text);
    };
    let same = |theirs: Cow<str>| theirs.trim() == title.trim();
    let name = keys.name("title");
    match record.get(&name) {
        _ if !keys.wants("title") => Cow::Owned(cleaned.to_text(true)),
        None => Cow::Borrowed(&cleaned.text),
        Some(_) if record.string(&name).is_ok_and(same) => Cow::Borrowed(&cleaned.text),
        Some(_) => Cow::Owned(cleaned.to_text(true)),
    }
}

/// A JSON object written member by member straight into its buffer (a
/// big text is escaped once, never copied through a temporary).
pub struct ObjectWriter {
    out: Vec<u8>,
}

impl ObjectWriter {
    /// An object opened (`{`) in a buffer of `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> ObjectWriter {
        let mut out = Vec::with_capacity(capacity);
        out.push(b'{');
        ObjectWriter { out }
    }

    /// Writes `"key":`, after a comma when members precede it.
    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(b',');
        }
        self.json_string(key);
        self.out.push(b':');
    }

    /// A member whose value is the JSON text `raw`, as it stands.
    pub fn raw(&mut self, key: &str, raw: &str) {
        self.key(key);
        self.out.extend_from_slice(raw.as_bytes());
    }

    /// A member whose value is the string `value`.
    pub fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        self.json_string(value);
    }

    fn json_string(&mut self, s: &str) {
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.out, s);
    }

    /// Appends the members of `fields` (which serialises as a JSON object)
    /// and closes the object.
    pub fn finish_with(mut self, fields: &impl Serialize) -> String {
        let members_before = self.out.len() > 1;
        if !members_before {
            // `fields` opens the object itself.
            self.out.clear();
        }
        let mark = self.out.len();
        let written = serde_json::to_writer(&mut self.out, fields).is_ok();
        let added = self.out.len() - mark;
        if !written || (members_before && added <= 2) {
            // Nothing (or nothing whole) to add: close what was written.
            self.out.truncate(mark);
            if !members_before {
                self.out.push(b'{');
            }
            self.out.push(b'}');
        } else if members_before && let Some(open) = self.out.get_mut(mark) {
            // `{` of the fields' object becomes the comma after the members.
            *open = b',';
        }
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
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
    fn pretty_lays_out_json_as_serde_json_does() {
        let samples = [
            r#"{"e":{},"id":"a","n":[1,{"b":[]},{}],"text":"x {[,:]} \" \\"}"#,
            "{ \"nested\" :\n   { \"a\" : [ 1 , 2 ] } , \"s\": \"é ü\" }",
            "[]",
            "[{}]",
        ];
        for json in samples {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            // serde_json's Value sorts keys; the samples' keys are sorted.
            assert_eq!(
                pretty(json),
                serde_json::to_string_pretty(&value).unwrap(),
                "{json}"
            );
        }
    }

    #[test]
    fn json_has_every_key_in_order() {
        let json = to_json(&cleaned(), Some("doc1"), false, &OutputKeys::all(), &[]);
        assert_eq!(KEYS.len(), 14);
        let positions: Vec<usize> = KEYS
            .iter()
            .map(|k| json.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
        assert!(
            json.starts_with(r#"{"id":"doc1","title":"T","title_line":1,"text":"Body\n\"q\"""#)
        );
    }

    #[test]
    fn jsonl_passes_fields_through_and_never_overwrites() {
        let line = r#"{"url":"u","title":"Input title","text":"raw","n":[1, 2]}"#;
        let record = JsonRecord::parse(line).unwrap();
        let out = to_jsonl(&record, "text", None, &cleaned(), &OutputKeys::all(), &[]);
        assert!(out.starts_with(r#"{"url":"u","title":"Input title","text":"T\n\nBody\n\"q\"","n":[1, 2],"id":null,"title_line":null,"author":null"#), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["title"], "Input title");
    }

    /// The title and text of the JSONL record for input `line` cleaned as `cleaned`.
    fn title_and_text(line: &str, cleaned: &Cleaned) -> (serde_json::Value, String) {
        let record = JsonRecord::parse(line).unwrap();
        let json = to_jsonl(&record, "text", None, cleaned, &OutputKeys::all(), &[]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        (v["title"].clone(), v["text"].as_str().unwrap().to_string())
    }

    #[test]
    fn a_title_the_input_record_keeps_out_goes_back_into_the_text() {
        let cleaned = cleaned();
        let out = |line: &str| title_and_text(line, &cleaned);
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
        let (_, text) = title_and_text(r#"{"title":"Other","text":"raw"}"#, &elsewhere);
        assert_eq!(text, "Body\n\"q\"");
    }

    #[test]
    fn keys_can_be_chosen_and_prefixed() {
        let keys = OutputKeys::new(
            Some(&["text".into(), "flags".into(), "title".into()]),
            false,
            "",
        )
        .unwrap();
        let json = to_json(&cleaned(), Some("d"), false, &keys, &[]);
        assert_eq!(json, r#"{"title":"T","text":"Body\n\"q\"","flags":[]}"#);
        let keys = OutputKeys::new(None, true, "pith_").unwrap();
        let record =
            JsonRecord::parse(r#"{"title":"Input title","text":"raw","language":"xx"}"#).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&to_jsonl(&record, "text", None, &cleaned(), &keys, &[])).unwrap();
        assert_eq!(v["title"], "Input title");
        assert_eq!(v["pith_title"], "T");
        assert_eq!(v["language"], "xx");
        assert!(v.get("pith_language").is_some() && v.get("pith_removed").is_none());
        assert_eq!(v["text"], "Body\n\"q\"");
        assert!(keys.collisions(&record, "text", "id").is_empty());
        assert_eq!(
            OutputKeys::all().collisions(&record, "text", "id"),
            ["title", "language"]
        );
        assert_eq!(
            OutputKeys::new(Some(&["nope".into()]), false, ""),
            Err(UnknownKey("nope".into()))
        );
        // A title not written goes back into the text.
        let keys = OutputKeys::new(Some(&["text".into()]), false, "").unwrap();
        let record = JsonRecord::parse(r#"{"text":"raw"}"#).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&to_jsonl(&record, "text", None, &cleaned(), &keys, &[])).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 1);
        assert_eq!(v["text"], "T\n\nBody\n\"q\"");
    }
}
