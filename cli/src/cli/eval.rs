//! `pith eval DIR`: clean every `<id>.<flavour>.txt` in DIR and score the
//! body (no title) against `<id>.gold.txt`, then list the worst documents
//! with what was wrongly kept or removed.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use pith::eval::{
    GoldMeta, MetaScore, MetaSummary, Score, bag, macro_average, overlap, score_bags, score_meta,
    summarise_meta,
};
use pith::input::decode;
use pith::{Action, Cleaner};
use serde::Serialize;

use super::{EvalArgs, Failure};

/// One document's result.
#[derive(Debug, Serialize)]
struct DocResult {
    id: String,
    /// The language of the gold body.
    language: &'static str,
    #[serde(flatten)]
    score: Score,
    gold_tokens: usize,
    pred_tokens: usize,
    /// Output lines whose words are mostly not in the gold body.
    wrongly_kept: Vec<String>,
    /// Removals whose words are mostly in the gold body: `rule: text`.
    wrongly_removed: Vec<String>,
    /// Metadata and snippets against `<id>.meta.json`, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<MetaScore>,
}

#[derive(Debug, Serialize)]
struct Summary {
    n_docs: usize,
    missing_inputs: usize,
    flavour: String,
    #[serde(flatten)]
    score: Score,
    /// Documents with recall below 0.8.
    low_recall_docs: usize,
    /// Scores by the language of the gold body (`und` when unsure).
    by_language: BTreeMap<&'static str, LanguageScore>,
    /// Metadata accuracy and snippets, over the documents with a meta.json.
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<MetaSummary>,
}

#[derive(Debug, Serialize)]
struct LanguageScore {
    n_docs: usize,
    #[serde(flatten)]
    score: Score,
}

/// Scores every document of the directory and prints the summary, the
/// worst documents and, with `--per-doc`, every document's score.
pub fn run(cleaner: &Cleaner, args: &EvalArgs) -> Result<ExitCode, Failure> {
    let flavour = args.flavour.name();
    let ids = document_ids(&args.dir)?;
    let mut results = Vec::with_capacity(ids.len());
    let mut missing = 0;
    for id in ids {
        let (result, had_input) = score_document(cleaner, &args.dir, flavour, id)?;
        missing += usize::from(!had_input);
        results.push(result);
    }
    let summary = summarise(&results, missing, flavour);
    let mut worst: Vec<&DocResult> = results.iter().collect();
    worst.sort_by(|a, b| a.score.f1.total_cmp(&b.score.f1));
    worst.truncate(args.worst);
    let mut out = io::stdout().lock();
    if args.json {
        #[derive(Serialize)]
        struct Report<'a> {
            summary: &'a Summary,
            #[serde(skip_serializing_if = "Option::is_none")]
            documents: Option<&'a [DocResult]>,
            worst: Vec<&'a DocResult>,
        }
        let report = Report {
            summary: &summary,
            documents: args.per_doc.then_some(results.as_slice()),
            worst,
        };
        let json = serde_json::to_string_pretty(&report).map_err(io::Error::other)?;
        writeln!(out, "{json}")?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.per_doc {
        write_per_doc(&mut out, &results)?;
    }
    write_summary(&mut out, &summary)?;
    write_worst(&mut out, &worst)?;
    Ok(ExitCode::SUCCESS)
}

/// The ids of the documents in `dir`: those with a `<id>.gold.txt`, sorted.
fn document_ids(dir: &Path) -> Result<Vec<String>, Failure> {
    let mut ids: Vec<String> = fs::read_dir(dir)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".gold.txt")
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    if ids.is_empty() {
        return Err(Failure::Usage(format!(
            "{}: no <id>.gold.txt files to score against",
            dir.display()
        )));
    }
    Ok(ids)
}

/// Reads document `id`'s gold body, input and metadata and scores it; the
/// flag says whether it had an input of the flavour.
fn score_document(
    cleaner: &Cleaner,
    dir: &Path,
    flavour: &str,
    id: String,
) -> Result<(DocResult, bool), Failure> {
    let gold = read_text(&dir.join(format!("{id}.gold.txt")))?;
    let input_path = dir.join(format!("{id}.{flavour}.txt"));
    let input = if input_path.exists() {
        Some(read_text(&input_path)?)
    } else {
        None
    };
    let meta_path = dir.join(format!("{id}.meta.json"));
    let meta = if meta_path.exists() {
        let json = read_text(&meta_path)?;
        Some(GoldMeta::from_json(&json).map_err(|e| {
            Failure::Usage(format!("{}: not a meta.json: {e}", meta_path.display()))
        })?)
    } else {
        None
    };
    let result = evaluate(cleaner, id, input.as_deref(), &gold, meta.as_ref());
    Ok((result, input.is_some()))
}

/// The macro-averaged scores over all documents and by language.
fn summarise(results: &[DocResult], missing: usize, flavour: &str) -> Summary {
    let scores: Vec<Score> = results.iter().map(|r| r.score).collect();
    let mut languages: BTreeMap<&'static str, Vec<Score>> = BTreeMap::new();
    for r in results {
        languages.entry(r.language).or_default().push(r.score);
    }
    let by_language = languages
        .into_iter()
        .map(|(lang, scores)| {
            let score = macro_average(&scores);
            (
                lang,
                LanguageScore {
                    n_docs: scores.len(),
                    score,
                },
            )
        })
        .collect();
    Summary {
        n_docs: results.len(),
        missing_inputs: missing,
        flavour: flavour.to_string(),
        score: macro_average(&scores),
        low_recall_docs: results.iter().filter(|r| r.score.r < 0.8).count(),
        by_language,
        metadata: {
            let metas: Vec<MetaScore> = results.iter().filter_map(|r| r.meta).collect();
            (!metas.is_empty()).then(|| summarise_meta(&metas))
        },
    }
}

/// Writes a table of every document's scores and token counts.
fn write_per_doc(out: &mut impl Write, results: &[DocResult]) -> io::Result<()> {
    writeln!(
        out,
        "{:16} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "id", "P", "R", "F1", "gold", "pred"
    )?;
    for r in results {
        let id: String = r.id.chars().take(16).collect();
        writeln!(
            out,
            "{id:16} {:6.3} {:6.3} {:6.3} {:6} {:6}",
            r.score.p, r.score.r, r.score.f1, r.gold_tokens, r.pred_tokens
        )?;
    }
    Ok(())
}

/// Writes the summary: the scores, by language, and of the metadata.
fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "docs={} missing={} flavour={}",
        summary.n_docs, summary.missing_inputs, summary.flavour
    )?;
    writeln!(
        out,
        "token   P={:.3} R={:.3} F1={:.3}   recall<0.8: {} docs",
        summary.score.p, summary.score.r, summary.score.f1, summary.low_recall_docs
    )?;
    let languages: Vec<String> = summary
        .by_language
        .iter()
        .map(|(lang, s)| format!("{lang} {} F1={:.3}", s.n_docs, s.score.f1))
        .collect();
    writeln!(out, "by language: {}", languages.join(", "))?;
    if let Some(m) = &summary.metadata {
        writeln!(
            out,
            "metadata: title {:.3} ({} docs), author {:.3} ({}), published {:.3} ({}); snippets kept {:.3}, dropped {:.3}",
            m.title.0,
            m.title.1,
            m.author.0,
            m.author.1,
            m.published.0,
            m.published.1,
            m.kept,
            m.dropped
        )?;
    }
    Ok(())
}

/// Writes the worst documents with what was wrongly kept or removed.
fn write_worst(out: &mut impl Write, worst: &[&DocResult]) -> io::Result<()> {
    for r in worst {
        writeln!(
            out,
            "\n{}  P={:.3} R={:.3} F1={:.3}",
            r.id, r.score.p, r.score.r, r.score.f1
        )?;
        for line in &r.wrongly_kept {
            writeln!(out, "  kept    {line}")?;
        }
        for line in &r.wrongly_removed {
            writeln!(out, "  removed {line}")?;
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, Failure> {
    let bytes = fs::read(path).map_err(|e| {
        Failure::Io(io::Error::new(
            e.kind(),
            format!("cannot read {}: {e}", path.display()),
        ))
    })?;
    Ok(decode(&bytes, false)
        .map(|(t, _)| t.into_owned())
        .unwrap_or_default())
}

/// How many lines of evidence to show per document.
const EVIDENCE: usize = 5;

fn evaluate(
    cleaner: &Cleaner,
    id: String,
    input: Option<&str>,
    gold: &str,
    meta: Option<&GoldMeta>,
) -> DocResult {
    let gold_bag = bag(gold);
    let cleaned = input.map(|text| cleaner.clean(text));
    let body = cleaned.as_ref().map_or("", |c| c.text.as_str());
    let pred_bag = bag(body);
    let score = score_bags(&pred_bag, &gold_bag);
    let snippet = |s: &str| -> String {
        let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut short: String = one_line.chars().take(110).collect();
        if one_line.chars().count() > 110 {
            short.push('…');
        }
        short
    };
    let mut kept: Vec<(usize, String)> = body
        .lines()
        .filter(|l| !l.trim().is_empty() && overlap(l, &gold_bag) < 0.5)
        .map(|l| (pith::eval::tokens(l).len(), snippet(l)))
        .collect();
    kept.sort_by_key(|k| std::cmp::Reverse(k.0));
    let mut removed: Vec<(usize, String)> = cleaned
        .iter()
        .flat_map(|c| &c.removed)
        .filter(|r| r.action != Action::Trim && overlap(&r.text, &gold_bag) >= 0.8)
        .map(|r| {
            (
                pith::eval::tokens(&r.text).len(),
                format!("{}: {}", r.rule, snippet(&r.text)),
            )
        })
        .collect();
    removed.sort_by_key(|r| std::cmp::Reverse(r.0));
    DocResult {
        id,
        language: pith::detect_language(gold).unwrap_or("und"),
        score,
        gold_tokens: gold_bag.values().sum(),
        pred_tokens: pred_bag.values().sum(),
        wrongly_kept: kept.into_iter().take(EVIDENCE).map(|(_, s)| s).collect(),
        wrongly_removed: removed.into_iter().take(EVIDENCE).map(|(_, s)| s).collect(),
        meta: meta.map(|m| {
            let c = cleaned.as_ref();
            score_meta(
                m,
                c.and_then(|c| c.title.as_deref()),
                c.and_then(|c| c.metadata.author.as_deref()),
                c.and_then(|c| c.metadata.published.as_deref()),
                body,
            )
        }),
    }
}
