//! The `[settings]` table: the engine's thresholds, and how a rule file's
//! table overrides the settings loaded before it.

use serde::Deserialize;

/// Tunable thresholds of the engine and the structural passes.
///
/// Any rule file may carry a `[settings]` table; a later file's keys override
/// an earlier one's. The defaults are in `rules/settings.toml`; `Default`
/// gives the same values (a test keeps the two equal).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// If rules would remove more than this share of a document's words, the
    /// document is kept whole and flagged `over_removal`.
    pub max_removed_share: f64,
    /// `drop-rest` default for `min_words_before`.
    pub drop_rest_min_words_before: u32,
    /// `drop-span` default for `max_lines`.
    pub drop_span_max_lines: u32,
    /// A first line longer than this many words is not a title.
    pub title_max_words: u32,
    /// A byline continuation (author role) has at most this many words.
    pub continuation_max_words: u32,
    /// `drop-list`: a line of more words than this, or one ending with a
    /// period, is prose and ends the list.
    pub list_item_max_words: u32,
    /// The line model's decisions (`[settings.body]`).
    pub body: BodySettings,
}

/// Settings of the line model's decisions (see [`crate::DecodeParams`]).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BodySettings {
    /// If the model would leave fewer words than this of a longer document,
    /// the best-scoring run of lines is kept instead (flag `body_fallback`).
    pub min_kept_words: u32,
    /// Overrides of the model's decoder settings (see
    /// [`crate::DecodeParams`]): lower thresholds remove less, a
    /// negative `page_shift` more.
    pub page_shift: Option<f32>,
    /// Override of the factor on every line's log-odds in a page.
    pub page_scale: Option<f32>,
    /// Override of the article mode's removal threshold.
    pub article_threshold: Option<f32>,
    /// Override of a section's removal threshold in page mode.
    pub section_page_threshold: Option<f32>,
    /// Override of a section's removal threshold in article mode.
    pub section_article_threshold: Option<f32>,
    /// Override of the mode model's page threshold.
    pub mode_threshold: Option<f32>,
    /// Override of whether a page keeps one run of lines.
    pub page_one_run: Option<bool>,
}

impl Default for BodySettings {
    fn default() -> Self {
        BodySettings {
            min_kept_words: 15,
            page_shift: None,
            page_scale: None,
            article_threshold: None,
            section_page_threshold: None,
            section_article_threshold: None,
            mode_threshold: None,
            page_one_run: None,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_removed_share: 0.9,
            drop_rest_min_words_before: 30,
            drop_span_max_lines: 40,
            title_max_words: 22,
            continuation_max_words: 6,
            list_item_max_words: 15,
            body: BodySettings::default(),
        }
    }
}

pub(crate) fn merge_settings(current: &Settings, value: toml::Value) -> Result<Settings, String> {
    let toml::Value::Table(overrides) = value else {
        return Err("must be a table: write [settings]".into());
    };
    let mut base = toml::Table::try_from(current).map_err(|e| e.to_string())?;
    merge_tables(&mut base, overrides);
    Settings::deserialize(toml::Value::Table(base)).map_err(|e| e.message().to_string())
}

/// Overrides `base` with `overrides`, key by key, into nested tables.
fn merge_tables(base: &mut toml::Table, overrides: toml::Table) {
    for (key, value) in overrides {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(more)) => {
                merge_tables(inner, more);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}
