//! The decoder's mechanisms (the fallback run, sections decided whole) on
//! scores given by hand instead of the model's.

use super::{Cleaner, Scores};
use crate::decode::{DecodeParams, Mode};
use crate::{Flag, RuleSet};

const ARTICLE: &[&str] = &[
    "The city council voted on Tuesday to expand the bus network to the northern suburbs, ending a debate that had lasted more than two years.",
    "Supporters said the new lines would cut commuting times in half for thousands of residents who now depend on cars.",
    "Opponents warned that the cost, estimated at 40 million dollars, would force cuts to road maintenance elsewhere in the city.",
];

/// The article between two menus.
fn page() -> String {
    let menu = ["Home", "News", "World", "Politics", "Business", "Sports"];
    menu.iter()
        .chain(ARTICLE)
        .chain(menu.iter().rev())
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Decoder settings for the mechanism tests below.
fn params() -> DecodeParams {
    DecodeParams {
        page_shift: 0.0,
        page_scale: 1.0,
        article_threshold: 0.1,
        section_page_threshold: 0.5,
        section_article_threshold: 0.5,
        mode_threshold: 0.5,
        page_one_run: false,
    }
}

#[test]
fn when_the_model_would_leave_almost_nothing_the_best_run_is_kept() {
    let cleaner = Cleaner::with_model(RuleSet::empty(), None).unwrap();
    let text = page();
    let analysis = cleaner.analyse(&text);
    // Every line very unlikely, the article lines a little less so.
    let lines = analysis
        .rows
        .iter()
        .map(|&i| {
            let line = analysis.line_text(i);
            if ARTICLE.contains(&line) { 0.04 } else { 0.001 }
        })
        .collect();
    // An article: every line is below the threshold (0.1).
    let scores = Scores {
        lines,
        page: 0.1,
        ..Scores::default()
    };
    let cleaned = cleaner.finish(&analysis, &scores, Mode::Auto, Some(&params()));
    assert!(
        cleaned.flags.contains(&Flag::BodyFallback),
        "{:?}",
        cleaned.flags
    );
    assert_eq!(cleaned.text, ARTICLE.join("\n\n"));
}

#[test]
fn a_section_goes_whole_when_the_model_agrees() {
    let set = {
        let mut set = RuleSet::empty();
        set.add_source(
            "test",
            "[[rule]]\nid = \"comments.test\"\naction = \"drop-rest\"\nline_is = [\"Reader comments\"]\nmin_words_before = 5\n",
        )
        .unwrap();
        set
    };
    let cleaner = Cleaner::with_model(set, None).unwrap();
    let text = format!(
        "{}\n\nReader comments\n\nI disagree with all of it.\n\nMe too.",
        ARTICLE.join("\n\n")
    );
    let analysis = cleaner.analyse(&text);
    let at = |p_comments: f32| Scores {
        lines: analysis
            .rows
            .iter()
            .map(|&i| {
                if ARTICLE.contains(&analysis.line_text(i)) {
                    0.9
                } else {
                    p_comments
                }
            })
            .collect(),
        page: 0.1,
        ..Scores::default()
    };
    // In an article, drop-rest goes when the section's mean is below 0.5.
    let gone = cleaner.finish(&analysis, &at(0.2), Mode::Auto, Some(&params()));
    assert_eq!(gone.text, ARTICLE.join("\n\n"));
    assert!(gone.removed.iter().all(|r| r.rule == "comments.test"));
    let kept = cleaner.finish(&analysis, &at(0.8), Mode::Auto, Some(&params()));
    assert!(kept.text.contains("Me too."));
    // Without a model, sections go whole.
    let rules_only = cleaner.finish(&analysis, &Scores::default(), Mode::Auto, None);
    assert_eq!(rules_only.text, ARTICLE.join("\n\n"));
}

#[test]
fn a_page_keeps_one_run_of_lines_when_told() {
    let cleaner = Cleaner::with_model(RuleSet::empty(), None).unwrap();
    let footer = "Our newsroom has covered the city for more than a hundred years.";
    let text = format!("{}\n\n{footer}", page());
    let analysis = cleaner.analyse(&text);
    // The article likely, the menus not, the footer's sentence likely
    // enough to join the best set of lines, but below the menu.
    let scores = Scores {
        lines: analysis
            .rows
            .iter()
            .map(|&i| match analysis.line_text(i) {
                line if ARTICLE.contains(&line) => 0.95,
                line if line == footer => 0.6,
                _ => 0.02,
            })
            .collect(),
        page: 0.9,
        ..Scores::default()
    };
    let set = cleaner.finish(&analysis, &scores, Mode::Page, Some(&params()));
    assert!(set.text.ends_with(footer), "{}", set.text);
    let one_run = DecodeParams {
        page_one_run: true,
        ..params()
    };
    let run = cleaner.finish(&analysis, &scores, Mode::Page, Some(&one_run));
    assert_eq!(run.text, ARTICLE.join("\n\n"));
}
