//! The values the metadata rankers chose: a title, an author and a date,
//! each with the line it came from.

use super::candidates::{MetaField, Variant};

/// A metadata value a model chose.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    /// The value.
    pub value: String,
    /// The line it was found in.
    pub line: usize,
    /// How the value was cut from its line.
    pub variant: Variant,
    /// The site name cut off a title, if it was.
    pub site: Option<String>,
    /// The ranker's probability for the value.
    pub probability: f32,
}

/// The title, author and date the metadata models chose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaPicks {
    /// The title pick.
    pub title: Option<Picked>,
    /// The author pick.
    pub author: Option<Picked>,
    /// The publication date pick.
    pub published: Option<Picked>,
}

impl MetaPicks {
    /// The pick for `field`.
    pub fn get(&self, field: MetaField) -> Option<&Picked> {
        match field {
            MetaField::Title => self.title.as_ref(),
            MetaField::Author => self.author.as_ref(),
            MetaField::Published => self.published.as_ref(),
        }
    }

    pub(crate) fn slot(&mut self, field: MetaField) -> &mut Option<Picked> {
        match field {
            MetaField::Title => &mut self.title,
            MetaField::Author => &mut self.author,
            MetaField::Published => &mut self.published,
        }
    }
}
