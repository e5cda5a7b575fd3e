//! `pith train CORPUS...`: rebuild the line model from corpora with gold
//! bodies, and with `--cv` estimate its accuracy on unseen sites by nested
//! cross-validation grouped by site.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Instant;

use pith::eval::{MetaSummary, Score, summarise_meta};
use pith::train::{self, HeldOut};
use pith::{Cleaner, RuleSet};
use serde::Serialize;

use super::{Failure, TrainArgs};

/// Trains the line model on the corpora the arguments name: prints the
/// cross-validated accuracy with `--cv`, writes the model with `--out`.
pub fn run(set: RuleSet, args: &TrainArgs) -> Result<ExitCode, Failure> {
    let notes = Notes {
        started: Instant::now(),
    };
    let mut docs = Vec::new();
    for dir in &args.corpora {
        docs.extend(train::load_corpus(dir).map_err(|e| Failure::Usage(e.to_string()))?);
    }
    if docs.is_empty() {
        return Err(Failure::Usage(train::TrainError::Empty.to_string()));
    }
    let cleaner = Cleaner::rules_only(set).map_err(|e| Failure::Usage(e.to_string()))?;
    let samples = train::prepare(&docs, &cleaner);
    let grid = if args.quick {
        train::Grid::quick()
    } else {
        train::Grid::full()
    };
    let lines: usize = samples.iter().map(|s| s.labels.len()).sum();
    notes.note(&format!(
        "{} documents, {} samples, {lines} lines",
        docs.len(),
        samples.len()
    ));
    note_candidates(&notes, &samples);
    if let Some(dir) = &args.dump {
        train::dump(dir, &docs, &samples)?;
        notes.note(&format!("wrote the rows to {}", dir.display()));
    }
    if args.cv {
        cross_validate(&notes, args, &cleaner, &docs, &samples, &grid)?;
    }
    if let Some(out) = &args.out {
        let (bytes, choice) = train::fit_final(&cleaner, &docs, &samples, args.inner_folds, &grid);
        fs::write(out, &bytes)?;
        notes.note(&format!(
            "wrote {} ({} bytes): {} trees × {} leaves, {:?}",
            out.display(),
            bytes.len(),
            choice.config.trees,
            choice.config.leaves,
            choice.decoder
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Progress notes on standard error, with the seconds since the start.
struct Notes {
    started: Instant,
}

impl Notes {
    fn note(&self, message: &str) {
        let _ = writeln!(
            io::stderr(),
            "pith train: [{:>5.0} s] {message}",
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// Notes, per metadata field, how often the gold value is among the
/// candidates.
fn note_candidates(notes: &Notes, samples: &[train::Sample]) {
    for field in train::MetaField::ALL {
        let sets: Vec<_> = samples
            .iter()
            .flat_map(|s| &s.meta)
            .filter(|m| m.field == field)
            .collect();
        let with_gold = sets.iter().filter(|m| m.labels.iter().any(|&l| l)).count();
        let candidates: usize = sets.iter().map(|m| m.labels.len()).sum();
        notes.note(&format!(
            "{}: the gold value is a candidate in {with_gold} of {} samples ({candidates} candidates)",
            field.name(),
            sets.len()
        ));
    }
}

/// Estimates the accuracy by nested cross-validation: prints the summary
/// and, with `--report`, writes the report.
fn cross_validate(
    notes: &Notes,
    args: &TrainArgs,
    cleaner: &Cleaner,
    docs: &[train::CorpusDoc],
    samples: &[train::Sample],
    grid: &train::Grid,
) -> Result<(), Failure> {
    let (held, choices) = train::cross_validate(
        cleaner,
        docs,
        samples,
        args.folds,
        args.inner_folds,
        grid,
        |m| notes.note(m),
    );
    let summary = summarise(&held);
    print_summary(&summary)?;
    if let Some(path) = &args.report {
        let report = Report {
            folds: args.folds,
            inner_folds: args.inner_folds,
            choices: choices
                .iter()
                .map(|c| (*c, format!("{:?}", c.decoder)))
                .collect(),
            summary,
            documents: held,
        };
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| Failure::Usage(e.to_string()))?;
        fs::write(path, json + "\n")?;
        notes.note(&format!("wrote {}", path.display()));
    }
    Ok(())
}

#[derive(Serialize)]
struct Report {
    folds: usize,
    inner_folds: usize,
    /// Per outer fold: the settings and metadata thresholds, the decoder.
    choices: Vec<(train::Choice, String)>,
    summary: Vec<Row>,
    documents: Vec<HeldOut>,
}

/// One row of the summary: a group of held-out documents.
#[derive(Debug, Serialize)]
struct Row {
    corpus: String,
    flavour: String,
    group: String,
    docs: usize,
    score: Score,
    unchanged: Score,
    /// Share of documents whose recall pith lowered by more than 0.05.
    recall_lowered: f64,
    /// Share of documents cleaned as pages.
    page_mode: f64,
    /// Metadata and snippets, over the documents with a meta.json.
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<MetaSummary>,
}

fn summarise(held: &[HeldOut]) -> Vec<Row> {
    let mut groups: BTreeMap<(String, String, String), Vec<&HeldOut>> = BTreeMap::new();
    for h in held {
        for group in [
            "all".to_string(),
            format!("type:{}", h.page_type),
            format!("lang:{}", h.language),
        ] {
            groups
                .entry((h.corpus.clone(), h.flavour.to_string(), group))
                .or_default()
                .push(h);
        }
    }
    groups
        .into_iter()
        .map(|((corpus, flavour, group), rows)| {
            let n = rows.len() as f64;
            let mean = |f: &dyn Fn(&HeldOut) -> Score| Score {
                p: rows.iter().map(|r| f(r).p).sum::<f64>() / n,
                r: rows.iter().map(|r| f(r).r).sum::<f64>() / n,
                f1: rows.iter().map(|r| f(r).f1).sum::<f64>() / n,
            };
            Row {
                docs: rows.len(),
                score: mean(&|h| h.score),
                unchanged: mean(&|h| h.unchanged),
                recall_lowered: rows
                    .iter()
                    .filter(|r| r.score.r < r.unchanged.r - 0.05)
                    .count() as f64
                    / n,
                page_mode: rows.iter().filter(|r| r.mode == "page").count() as f64 / n,
                metadata: {
                    let metas: Vec<_> = rows.iter().filter_map(|r| r.meta).collect();
                    (!metas.is_empty()).then(|| summarise_meta(&metas))
                },
                corpus,
                flavour,
                group,
            }
        })
        .collect()
}

fn print_summary(rows: &[Row]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    print_scores(&mut out, rows)?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<9} {:<8} {:<20} {:>5}  {:>11} {:>11} {:>11}  {:>6} {:>7}",
        "corpus", "flavour", "group", "docs", "title", "author", "published", "kept", "dropped"
    )?;
    for r in rows {
        if let Some(m) = &r.metadata {
            writeln!(
                out,
                "{:<9} {:<8} {:<20} {:>5}  {:>5.3} ({:>3}) {:>5.3} ({:>3}) {:>5.3} ({:>3})  {:>6.3} {:>7.3}",
                r.corpus,
                r.flavour,
                r.group,
                r.docs,
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
    }
    Ok(())
}

fn print_scores(out: &mut impl Write, rows: &[Row]) -> io::Result<()> {
    writeln!(
        out,
        "{:<9} {:<8} {:<20} {:>5}  {:>6} {:>6} {:>6}  {:>6} {:>7}  {:>6} {:>5}",
        "corpus", "flavour", "group", "docs", "P", "R", "F1", "unch.", "delta", "R-0.05", "page"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<9} {:<8} {:<20} {:>5}  {:>6.3} {:>6.3} {:>6.3}  {:>6.3} {:>+7.3}  {:>5.1}% {:>4.0}%",
            r.corpus,
            r.flavour,
            r.group,
            r.docs,
            r.score.p,
            r.score.r,
            r.score.f1,
            r.unchanged.f1,
            r.score.f1 - r.unchanged.f1,
            100.0 * r.recall_lowered,
            100.0 * r.page_mode
        )?;
    }
    Ok(())
}
