//! The structural passes: built-in steps with code instead of triggers.
//! They have ids like rules, so `disable` and `removed` treat them alike.
//! Each is a [`Pass`] in [`REGISTRY`], the one list the engine runs and
//! consults, `rules list` prints and `--disable` patterns are checked
//! against: a new pass is a type here and a line in the registry.

mod title;

pub(crate) use title::{find_title, site_of_first_line, title_line};

use crate::doc::Doc;
use crate::metadata::MetaPicks;
use crate::metadata::candidates::MetaField;
use crate::rules::Settings;

/// Id of the pass that keeps a repeated headline once.
pub const PASS_DUPLICATE_TITLE: &str = "structure.duplicate-title";
/// Id of the pass that moves a headline-like first line into `title`.
pub const PASS_TITLE: &str = "structure.title";
/// Id of the line model's decisions (its removals carry `body.*` ids).
pub const PASS_BODY: &str = "body.model";
/// Id of the author ranker.
pub const PASS_AUTHOR: &str = "metadata.author";
/// Id of the publication date ranker.
pub const PASS_PUBLISHED: &str = "metadata.published";

/// Id prefix of the line model's removals.
pub const BODY_PREFIX: &str = "body.";
/// Id of removed menu-like lines (short, no sentence end, not a list item).
pub const BODY_MENU: &str = "body.menu";
/// Id of removed lines that repeat text printed elsewhere in the page.
pub const BODY_REPEATED: &str = "body.repeated";
/// Id of removed tag clouds (long lines without punctuation).
pub const BODY_CLOUD: &str = "body.cloud";
/// Id of other removed lines.
pub const BODY_OTHER: &str = "body.other";

/// What a pass sees besides the document in a round, and what it tells
/// the passes after it and the engine.
pub(crate) struct PassContext<'p> {
    /// The metadata rankers' picks on the whole document.
    pub picks: &'p MetaPicks,
    /// Set when the first line was printed twice (and the repeat removed).
    pub title_repeated: bool,
    /// The engine's settings.
    pub settings: &'p Settings,
}

/// A structural pass: its id and description, and what it does.
pub(crate) trait Pass: Sync {
    /// The id `--disable` and `removed` name.
    fn id(&self) -> &'static str;
    /// What it does, as `pith rules list` prints it.
    fn description(&self) -> &'static str;
    /// Its work on the kept lines in each round, after the line model's
    /// decisions, in registry order. None by default: the pass is then a
    /// switch the engine consults (the line model, a metadata ranker).
    fn run(&self, _doc: &mut Doc, _context: &mut PassContext) {}
    /// The metadata field whose ranker this pass turns on, if any.
    fn ranks(&self) -> Option<MetaField> {
        None
    }
}

/// The title ranker, and the title pick given back to the text.
struct Title;

impl Pass for Title {
    fn id(&self) -> &'static str {
        PASS_TITLE
    }
    fn description(&self) -> &'static str {
        "The title ranker chooses the title among the headline-like lines (a page's title line with its site name cut off, the headline above the article); printed as the title when it is the first line of the output."
    }
    fn run(&self, doc: &mut Doc, context: &mut PassContext) {
        if let Some(pick) = &context.picks.title {
            title::give_back_title(doc, self.id(), pick, context.settings);
        }
    }
    fn ranks(&self) -> Option<MetaField> {
        Some(MetaField::Title)
    }
}

/// A headline repeated right after itself is kept once.
struct DuplicateTitle;

impl Pass for DuplicateTitle {
    fn id(&self) -> &'static str {
        PASS_DUPLICATE_TITLE
    }
    fn description(&self) -> &'static str {
        "A headline repeated as the next line(s) is kept once."
    }
    fn run(&self, doc: &mut Doc, context: &mut PassContext) {
        context.title_repeated |= title::duplicate_title(doc, self.id());
    }
}

/// A metadata ranker besides the title's: it only switches its ranker on.
struct Ranker {
    id: &'static str,
    description: &'static str,
    field: MetaField,
}

impl Pass for Ranker {
    fn id(&self) -> &'static str {
        self.id
    }
    fn description(&self) -> &'static str {
        self.description
    }
    fn ranks(&self) -> Option<MetaField> {
        Some(self.field)
    }
}

/// The line model's decisions.
struct Body;

impl Pass for Body {
    fn id(&self) -> &'static str {
        PASS_BODY
    }
    fn description(&self) -> &'static str {
        "The line model removes what is not the article (menus, sidebars, teasers, footers, repeats) as body.menu, body.repeated, body.cloud, body.other, and decides which lines of a rule's section go; disabled, sections go whole."
    }
}

/// Every structural pass, in the order they run.
pub(crate) static REGISTRY: [&dyn Pass; 5] = [
    &Title,
    &DuplicateTitle,
    &Ranker {
        id: PASS_AUTHOR,
        description: "The author ranker chooses the author among bylines (\"By …\", \"Author: …\") and name-like lines near the top.",
        field: MetaField::Author,
    },
    &Ranker {
        id: PASS_PUBLISHED,
        description: "The date ranker chooses the publication date among the dates near the top.",
        field: MetaField::Published,
    },
    &Body,
];

/// The structural passes' ids and descriptions, in the order they run.
pub fn passes() -> impl ExactSizeIterator<Item = (&'static str, &'static str)> + Clone {
    REGISTRY.iter().map(|p| (p.id(), p.description()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_ids_are_distinct_and_each_ranker_has_one_pass() {
        let ids: Vec<&str> = passes().map(|(id, _)| id).collect();
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
        for field in MetaField::ALL {
            let rankers = REGISTRY.iter().filter(|p| p.ranks() == Some(field));
            assert_eq!(rankers.count(), 1, "{field:?}");
        }
    }
}
