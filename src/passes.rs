//! The structural passes: built-in steps with code instead of triggers.
//! They have ids like rules, so `disable` and `removed` treat them alike;
//! [`PASSES`] is their registry (id and description), the one list rule
//! loading, `rules list` and the engine consult.

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

/// The structural passes: built-in steps with code instead of triggers. They
/// have ids like rules so `--disable` and `removed` treat them alike.
pub const PASSES: &[(&str, &str)] = &[
    (
        PASS_DUPLICATE_TITLE,
        "A headline repeated as the next line(s) is kept once.",
    ),
    (
        PASS_TITLE,
        "The title ranker chooses the title among the headline-like lines (a page's title line with its site name cut off, the headline above the article); printed as the title when it is the first line of the output.",
    ),
    (
        PASS_AUTHOR,
        "The author ranker chooses the author among bylines (\"By …\", \"Author: …\") and name-like lines near the top.",
    ),
    (
        PASS_PUBLISHED,
        "The date ranker chooses the publication date among the dates near the top.",
    ),
    (
        PASS_BODY,
        "The line model removes what is not the article (menus, sidebars, teasers, footers, repeats) as body.menu, body.repeated, body.cloud, body.other, and decides which lines of a rule's section go; disabled, sections go whole.",
    ),
];
