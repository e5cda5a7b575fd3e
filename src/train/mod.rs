//! Training: rebuild the line model from corpora with gold bodies, and
//! estimate its accuracy on sites it has never seen.
//!
//! The features come from the engine itself (the analysis [`Cleaner::clean`] starts with), so they
//! are the ones computed at run time. Labels come from the gold bodies
//! (matched line by line). Each document is read in both flavours (whole page and an
//! extractor's output), and each line is weighted by its tokens over its
//! document's, so every document counts the same, as in the macro-averaged
//! scores.
//!
//! # Validation
//!
//! Folds are grouped by site (the host of the page's URL): no site has pages
//! on both sides. [`cross_validate`] runs nested cross-validation: for each
//! outer fold, the model settings (trees, leaves) and the decoder's
//! thresholds are chosen on inner folds of the training part alone, a model
//! is trained on the whole training part with them, and the held-out sites
//! are cleaned end to end by the engine and scored. [`fit_final`] makes the
//! committed model the same way from all the documents. Everything is
//! deterministic: the same corpora give the same model, byte for byte.

mod dump;
mod gbdt;
mod labels;

pub use dump::dump;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::decode::{DecodeParams, Mode};
pub use crate::engine::meta_feature_names;
use crate::engine::{Analysis, Cleaner, Scores};
use crate::engine::{MetaModel, meta_threshold_name};
use crate::eval::{GoldMeta, MetaScore, Score, bag, score_bags, score_meta};
use crate::features;
pub use crate::features::NAMES as FEATURE_NAMES;
use crate::metadata::candidates::Candidate;
pub use crate::metadata::candidates::MetaField;
use crate::model::{Ensemble, Model, sigmoid};
use crate::text::fold;

use labels::{Gold, label_lines};

/// Why training could not run.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A corpus could not be read.
    #[error("{path}: {message}")]
    Corpus {
        /// The corpus path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// No corpus document has a gold body.
    #[error("no documents with gold bodies in the corpora given")]
    Empty,
}

/// The two input flavours of a corpus document.
pub const FLAVOURS: [&str; 2] = ["page", "residue"];

/// One corpus document: its texts, gold body and what is known of it.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    /// The corpus name.
    pub corpus: String,
    /// The document id.
    pub id: String,
    /// The site.
    pub host: String,
    /// The kind of page.
    pub page_type: String,
    /// The gold body.
    pub gold: String,
    /// The page and residue texts (empty when missing).
    pub texts: [String; 2],
    /// Title, author, date and snippets, when the corpus has a meta.json.
    pub meta: Option<GoldMeta>,
}

fn corpus_error(path: &Path, message: impl Into<String>) -> TrainError {
    TrainError::Corpus {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads a corpus folder: `<id>.gold.txt`, `<id>.page.txt`,
/// `<id>.residue.txt`, `<id>.meta.json` (page type) and `manifest.tsv`
/// (the URL, for the host).
///
/// # Errors
///
/// [`TrainError::Corpus`] when the folder or a file cannot be read.
pub fn load_corpus(dir: &Path) -> Result<Vec<CorpusDoc>, TrainError> {
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let manifest = dir.join("manifest.tsv");
    let manifest_text = fs::read_to_string(&manifest)
        .map_err(|e| corpus_error(&manifest, format!("cannot read: {e}")))?;
    let mut hosts = HashMap::new();
    for line in manifest_text.lines().skip(1) {
        let mut cols = line.split('\t');
        if let (Some(id), Some(url)) = (cols.next(), cols.next()) {
            hosts.insert(id.to_string(), host_of(url));
        }
    }
    let entries = fs::read_dir(dir).map_err(|e| corpus_error(dir, format!("cannot read: {e}")))?;
    let mut ids: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".gold.txt"))
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    let read = |path: PathBuf| fs::read_to_string(&path).unwrap_or_default();
    let mut docs = Vec::with_capacity(ids.len());
    for id in ids {
        let gold_path = dir.join(format!("{id}.gold.txt"));
        let gold = fs::read_to_string(&gold_path)
            .map_err(|e| corpus_error(&gold_path, format!("cannot read: {e}")))?;
        let meta_path = dir.join(format!("{id}.meta.json"));
        let meta = match fs::read_to_string(&meta_path) {
            Ok(json) => Some(
                GoldMeta::from_json(&json)
                    .map_err(|e| corpus_error(&meta_path, format!("not a meta.json: {e}")))?,
            ),
            Err(_) => None,
        };
        let page_type = meta
            .as_ref()
            .and_then(|m| m.page_type.clone())
            .unwrap_or_else(|| "article".to_string());
        let host = hosts.get(&id).cloned().unwrap_or_else(|| id.clone());
        docs.push(CorpusDoc {
            corpus: name.clone(),
            host,
            page_type,
            gold,
            texts: FLAVOURS.map(|f| read(dir.join(format!("{id}.{f}.txt")))),
            meta,
            id,
        });
    }
    Ok(docs)
}

/// The host of a URL without `www.`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_lowercase()
}

/// Assigns each document to one of `k` folds so that no host is in two:
/// hosts in order of their page count (then name), each to the fold with
/// the fewest documents so far.
pub fn assign_folds(hosts: &[&str], k: usize) -> Vec<usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for h in hosts {
        *counts.entry(h).or_insert(0) += 1;
    }
    let mut order: Vec<(&str, usize)> = counts.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut sizes = vec![0usize; k.max(1)];
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for (host, n) in order {
        let fold = (0..sizes.len()).min_by_key(|&f| (sizes[f], f)).unwrap_or(0);
        sizes[fold] += n;
        fold_of.insert(host, fold);
    }
    hosts
        .iter()
        .map(|h| fold_of.get(h).copied().unwrap_or(0))
        .collect()
}

/// A document flavour prepared for training and evaluation.
pub struct Sample<'t, 'c> {
    /// Index of the document in the corpus list.
    pub doc: usize,
    /// 0 page, 1 residue.
    pub flavour: usize,
    /// The document through the rules and features.
    pub(crate) analysis: Analysis<'t, 'c>,
    /// Per feature row, whether the line is in the gold body.
    pub labels: Vec<bool>,
    /// Per feature row, its weight.
    pub weights: Vec<f32>,
    /// The token bag of the gold body.
    gold: HashMap<String, usize>,
    /// The score of the unchanged input.
    pub unchanged: Score,
    /// The document features of short windows of the text, so the mode
    /// model learns to tell a page from an article whatever their length.
    windows: Vec<Vec<f32>>,
    /// Per metadata field, its candidates (when the document has a meta.json).
    pub meta: Vec<MetaSet>,
}

/// The candidates of one metadata field in one sample.
pub struct MetaSet {
    /// The field.
    pub field: MetaField,
    /// Its candidates.
    pub(crate) candidates: Vec<Candidate>,
    /// Their feature rows, row-major.
    pub(crate) rows: Vec<f32>,
    /// Which are the gold value.
    pub labels: Vec<bool>,
}

/// True when a candidate value is the gold value of `field`.
fn is_gold(field: MetaField, value: &str, gold: &GoldMeta) -> bool {
    let want = match field {
        MetaField::Title => gold.title.as_deref(),
        MetaField::Author => gold.author.as_deref(),
        MetaField::Published => gold.publish_date.as_deref(),
    };
    want.is_some_and(|g| match field {
        MetaField::Published => {
            crate::eval::date_key(value).is_some()
                && crate::eval::date_key(value) == crate::eval::date_key(g)
        }
        _ => !fold(g).is_empty() && fold(value) == fold(g),
    })
}

/// Analyses every document in both flavours with `cleaner` (which should
/// have no model: the features do not depend on it).
pub fn prepare<'t, 'c>(docs: &'t [CorpusDoc], cleaner: &'c Cleaner) -> Vec<Sample<'t, 'c>> {
    let mut samples = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let gold = Gold::new(&doc.gold);
        let gold_bag = bag(&doc.gold);
        for (flavour, text) in doc.texts.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            let analysis = cleaner.analyse(text);
            let lines: Vec<&str> = analysis
                .rows
                .iter()
                .map(|&i| analysis.line_text(i))
                .collect();
            let labelled = label_lines(&lines, &gold);
            let windows = window_starts(&labelled)
                .into_iter()
                .filter_map(|start| {
                    let window = lines.get(start..start + WINDOW)?.join("\n\n");
                    let a = cleaner.analyse(&window);
                    (!a.features.is_empty()).then(|| doc_columns(&a.features.row(0)))
                })
                .collect();
            let total: usize = labelled.iter().map(|l| l.1).sum::<usize>().max(1);
            let weights = labelled.iter().map(|l| l.1 as f32 / total as f32).collect();
            let meta = doc
                .meta
                .iter()
                .flat_map(|gold| {
                    MetaField::ALL.map(|field| {
                        let (candidates, rows) = analysis.meta_candidates(field);
                        let labels = candidates
                            .iter()
                            .map(|c| is_gold(field, &c.value, gold))
                            .collect();
                        MetaSet {
                            field,
                            candidates,
                            rows,
                            labels,
                        }
                    })
                })
                .collect();
            samples.push(Sample {
                doc: d,
                meta,
                flavour,
                labels: labelled.iter().map(|l| l.0).collect(),
                weights,
                unchanged: score_bags(&bag(text), &gold_bag),
                gold: gold_bag.clone(),
                analysis,
                windows,
            });
        }
    }
    samples
}

/// Lines in a window of a text for the mode model.
const WINDOW: usize = 30;

/// Where the windows of a text start: around its first article line, and
/// in its middle (none for texts shorter than two windows).
fn window_starts(labelled: &[(bool, usize)]) -> Vec<usize> {
    let n = labelled.len();
    if n < 2 * WINDOW {
        return Vec::new();
    }
    let first = labelled.iter().position(|l| l.0).unwrap_or(0);
    let mut starts = vec![
        first.saturating_sub(WINDOW / 2).min(n - WINDOW),
        (n - WINDOW) / 2,
    ];
    starts.dedup();
    starts
}

/// The document-level columns of a feature row (what the mode model reads).
fn doc_columns(row: &[f32]) -> Vec<f32> {
    features::NAMES
        .iter()
        .zip(row)
        .filter(|(n, _)| n.starts_with("doc_"))
        .map(|(_, v)| *v)
        .collect()
}

/// The model settings chosen among by inner folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Config {
    /// Number of trees.
    pub trees: usize,
    /// Leaves per tree.
    pub leaves: usize,
}

/// The model settings tried on inner folds: each number of leaves is
/// trained with the most trees, and every tree count is read off its prefix.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Leaf counts tried.
    pub leaves: Vec<usize>,
    /// Tree counts tried.
    pub trees: Vec<usize>,
}

impl Grid {
    /// The settings `pith train` chooses among.
    pub fn full() -> Grid {
        Grid {
            leaves: vec![15, 31],
            trees: vec![100, 200, 300],
        }
    }

    /// One setting, for quick experiments (`pith train --quick`).
    pub fn quick() -> Grid {
        Grid {
            leaves: vec![31],
            trees: vec![200],
        }
    }
}

const LEARNING_RATE: f64 = 0.1;

/// A trained fold model: the line and mode ensembles.
pub(crate) struct FoldModel {
    /// The line ensemble.
    pub line: Ensemble,
    /// The mode ensemble.
    pub mode: Ensemble,
    /// The metadata rankers, each with the probability its pick needs.
    pub meta: Vec<MetaModel>,
}

/// Trains the ranking model of a metadata field on the candidates of the
/// documents with a meta.json (each document's candidates weigh 1 in all).
fn fit_meta(samples: &[&Sample], field: MetaField) -> Ensemble {
    let names = meta_feature_names();
    let columns = TrainedColumns::of(&names);
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut weights = Vec::new();
    for set in samples
        .iter()
        .flat_map(|s| &s.meta)
        .filter(|m| m.field == field)
    {
        let n = set.labels.len().max(1) as f32;
        for row in set.rows.chunks_exact(names.len()) {
            columns.push(&mut rows, row);
        }
        labels.extend_from_slice(&set.labels);
        weights.extend(std::iter::repeat_n(1.0 / n, set.labels.len()));
    }
    let params = gbdt::Params {
        trees: 100,
        leaves: 15,
        learning_rate: 0.1,
        min_hessian: 0.01,
        ..gbdt::Params::default()
    };
    columns.train(&rows, &labels, &weights, &params, field.name())
}

/// The columns of rows laid out as `names` that the line model and the
/// metadata rankers read: all but those only the mode model reads
/// ([`features::is_mode_only`]).
struct TrainedColumns<'n> {
    names: &'n [&'n str],
    columns: Vec<usize>,
}

impl<'n> TrainedColumns<'n> {
    fn of(names: &'n [&'n str]) -> Self {
        let columns = names
            .iter()
            .enumerate()
            .filter(|(_, n)| !features::is_mode_only(n))
            .map(|(c, _)| c)
            .collect();
        TrainedColumns { names, columns }
    }

    /// Appends the trained columns of `row` to `rows`.
    fn push(&self, rows: &mut Vec<f32>, row: &[f32]) {
        rows.extend(
            self.columns
                .iter()
                .map(|&c| row.get(c).copied().unwrap_or(0.0)),
        );
    }

    /// Trains trees on `rows` (made by [`TrainedColumns::push`]), bound to
    /// rows laid out as the names; `name` names the ensemble in errors.
    fn train(
        &self,
        rows: &[f32],
        labels: &[bool],
        weights: &[f32],
        params: &gbdt::Params,
        name: &str,
    ) -> Ensemble {
        let kept: Vec<&str> = self
            .columns
            .iter()
            .filter_map(|&c| self.names.get(c).copied())
            .collect();
        let data = gbdt::Data {
            rows,
            features: kept.len(),
            labels,
            weights,
        };
        let mut ensemble = gbdt::train(&data, &kept, params);
        // Every kept name is among the names: binding cannot fail.
        let _ = ensemble.bind(name, self.names);
        ensemble
    }
}

/// Trains every metadata ranker (thresholds 0: every best candidate is picked).
fn fit_metas(samples: &[&Sample]) -> Vec<MetaModel> {
    MetaField::ALL
        .into_iter()
        .map(|field| (field, fit_meta(samples, field), 0.0))
        .collect()
}

/// The names of the document-level features the mode model reads.
fn mode_features() -> Vec<&'static str> {
    features::NAMES
        .iter()
        .copied()
        .filter(|n| n.starts_with("doc_"))
        .collect()
}

/// Trains the line model on `samples` with `leaves` and `trees`.
fn fit_line(samples: &[&Sample], leaves: usize, trees: usize) -> Ensemble {
    let columns = TrainedColumns::of(&features::NAMES);
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut weights = Vec::new();
    for s in samples {
        let f = &s.analysis.features;
        for k in 0..f.len() {
            columns.push(&mut rows, &f.row(k));
        }
        labels.extend_from_slice(&s.labels);
        weights.extend_from_slice(&s.weights);
    }
    let params = gbdt::Params {
        trees,
        leaves,
        learning_rate: LEARNING_RATE,
        ..gbdt::Params::default()
    };
    columns.train(&rows, &labels, &weights, &params, "line")
}

/// Trains the mode model: is this document whole-page text?
fn fit_mode(samples: &[&Sample]) -> Ensemble {
    let names = mode_features();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut weights = Vec::new();
    for s in samples {
        if s.analysis.features.is_empty() {
            continue;
        }
        for doc in std::iter::once(doc_columns(&s.analysis.features.row(0)))
            .chain(s.windows.iter().cloned())
        {
            rows.extend(doc);
            labels.push(s.flavour == 0);
            weights.push(1.0);
        }
    }
    let data = gbdt::Data {
        rows: &rows,
        features: names.len(),
        labels: &labels,
        weights: &weights,
    };
    let params = gbdt::Params {
        trees: 50,
        leaves: 4,
        learning_rate: 0.1,
        ..gbdt::Params::default()
    };
    let mut mode = gbdt::train(&data, &names, &params);
    // Bound to the full rows: reads its columns by name.
    let _ = mode.bind("mode", &features::NAMES);
    mode
}

/// The model's scores for one sample, with the line model's first `trees`.
fn score_sample(model: &FoldModel, sample: &Sample, trees: usize) -> Scores {
    let f = &sample.analysis.features;
    Scores {
        lines: (0..f.len())
            .map(|k| sigmoid(model.line.score_trees(&f.row(k), trees)))
            .collect(),
        page: if f.is_empty() {
            0.0
        } else {
            sigmoid(model.mode.score(&f.row(0)))
        },
        picks: crate::engine::pick_metadata(&model.meta, &sample.analysis),
    }
}

/// Runs `job` on each item on up to two threads, keeping the order.
fn parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&job).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Out-of-fold scores of `samples` (grouped by host into `k` folds) for
/// every settings variant: `oof[variant][sample]`.
fn out_of_fold(
    docs: &[CorpusDoc],
    samples: &[&Sample],
    k: usize,
    grid: &Grid,
) -> (Vec<Config>, Vec<Vec<Scores>>) {
    let hosts: Vec<&str> = samples.iter().map(|s| docs[s.doc].host.as_str()).collect();
    let folds = assign_folds(&hosts, k);
    let max_trees = grid.trees.iter().copied().max().unwrap_or(100);
    let mut configs = Vec::new();
    let mut oof: Vec<Vec<Scores>> = Vec::new();
    let fold_ids: Vec<usize> = (0..k).collect();
    let train_of = |f: usize| -> Vec<&Sample> {
        samples
            .iter()
            .zip(&folds)
            .filter(|&(_, &g)| g != f)
            .map(|(s, _)| *s)
            .collect()
    };
    let others: Vec<(Ensemble, Vec<MetaModel>)> = parallel(&fold_ids, |&f| {
        (fit_mode(&train_of(f)), fit_metas(&train_of(f)))
    });
    for &leaves in &grid.leaves {
        let lines: Vec<Ensemble> =
            parallel(&fold_ids, |&f| fit_line(&train_of(f), leaves, max_trees));
        let models: Vec<FoldModel> = lines
            .into_iter()
            .zip(&others)
            .map(|(line, (mode, meta))| FoldModel {
                line,
                mode: mode.clone(),
                meta: meta.clone(),
            })
            .collect();
        for &trees in &grid.trees {
            configs.push(Config { trees, leaves });
            oof.push(
                samples
                    .iter()
                    .zip(&folds)
                    .map(|(s, &f)| score_sample(&models[f], s, trees))
                    .collect(),
            );
        }
    }
    (configs, oof)
}

/// The weighted log loss of line scores against the labels, per document.
fn log_loss(samples: &[&Sample], scores: &[Scores]) -> f64 {
    let mut total = 0.0;
    for (s, sc) in samples.iter().zip(scores) {
        for ((&y, &w), &p) in s.labels.iter().zip(&s.weights).zip(&sc.lines) {
            let p = f64::from(p).clamp(1e-6, 1.0 - 1e-6);
            total -= f64::from(w) * if y { p.ln() } else { (1.0 - p).ln() };
        }
    }
    total / samples.len().max(1) as f64
}

/// What a decoder setting is worth on a set of documents: mean F1 with
/// every point lost against the unchanged input counted twice on extracted
/// text (on whole-page text F1 is the aim: a page's unchanged text is no
/// standard to keep to), less the
/// harm on extracted text — the sum, over the page types of the residue
/// flavour with at least [`MIN_TYPE_DOCS`] documents and over all of them,
/// of any mean loss against the unchanged input. A page type's mean loss
/// thus weighs as much as the same mean gain over every document. (Ranking
/// by harm first set the mode threshold to 0.97: web2026 page F1 fell from
/// 0.788 in cross-validation to 0.748 even on the training pages, for
/// +0.003 on its extracted text.)
#[derive(Debug, Clone, Copy, PartialEq)]
struct Worth {
    harm: f64,
    value: f64,
}

impl Worth {
    fn better_than(&self, other: &Worth) -> bool {
        self.value - self.harm > other.value - other.harm + 1e-9
    }
}

/// Page types smaller than this do not count alone for the harm of [`Worth`].
const MIN_TYPE_DOCS: usize = 5;

/// One cleaned sample: its score, the unchanged input's, whether it is
/// extracted text, and its page type.
struct Outcome<'d> {
    score: Score,
    unchanged: Score,
    residue: bool,
    page_type: &'d str,
}

fn worth(results: &[Outcome]) -> Worth {
    let n = results.len().max(1) as f64;
    let value = results
        .iter()
        .map(|r| {
            let loss = if r.residue {
                (r.unchanged.f1 - r.score.f1).max(0.0)
            } else {
                0.0
            };
            r.score.f1 - loss
        })
        .sum::<f64>()
        / n;
    let mut by_type: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    let mut all = (0.0, 0usize);
    for r in results.iter().filter(|r| r.residue) {
        let delta = r.score.f1 - r.unchanged.f1;
        let e = by_type.entry(r.page_type).or_insert((0.0, 0));
        e.0 += delta;
        e.1 += 1;
        all.0 += delta;
        all.1 += 1;
    }
    let loss = |(sum, n): (f64, usize)| (-(sum / n.max(1) as f64)).max(0.0);
    let harm = by_type
        .into_values()
        .filter(|&(_, n)| n >= MIN_TYPE_DOCS)
        .map(loss)
        .sum::<f64>()
        + loss(all);
    Worth { harm, value }
}

/// Cleans a sample with given scores and decoder settings, and scores it.
fn evaluate(cleaner: &Cleaner, sample: &Sample, scores: &Scores, params: &DecodeParams) -> Score {
    let cleaned = cleaner.finish(&sample.analysis, scores, Mode::Auto, Some(params));
    score_bags(&bag(&cleaned.text), &sample.gold)
}

/// Candidate values of each decoder setting.
const PAGE_SHIFTS: [f32; 7] = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5];
const PAGE_SCALES: [f32; 6] = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0];
const ARTICLE_THRESHOLDS: [f32; 7] = [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3];
const SECTION_THRESHOLDS: [f32; 8] = [0.0, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1.0];
const MODE_THRESHOLDS: [f32; 7] = [0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0];
/// Whether a page keeps the best set of lines (0) or one run (1).
const PAGE_ONE_RUN: [f32; 2] = [0.0, 1.0];

/// Chooses the decoder's settings on out-of-fold scores by coordinate
/// ascent (two sweeps over the settings, each value tried in turn) for the
/// best [`Worth`].
fn choose_decoder(
    cleaner: &Cleaner,
    docs: &[CorpusDoc],
    samples: &[&Sample],
    scores: &[Scores],
) -> DecodeParams {
    let mut best = DecodeParams {
        page_shift: 0.0,
        page_scale: 1.0,
        article_threshold: 0.02,
        section_page_threshold: 0.7,
        section_article_threshold: 1.0,
        mode_threshold: 0.5,
        page_one_run: false,
    };
    let pairs: Vec<(&Sample, &Scores)> = samples.iter().copied().zip(scores).collect();
    let eval_all = |p: &DecodeParams| -> Worth {
        let results = parallel(&pairs, |(s, sc)| Outcome {
            score: evaluate(cleaner, s, sc, p),
            unchanged: s.unchanged,
            residue: s.flavour == 1,
            page_type: docs[s.doc].page_type.as_str(),
        });
        worth(&results)
    };
    let mut best_value = eval_all(&best);
    for _sweep in 0..2 {
        for field in 0..7 {
            let candidates: &[f32] = match field {
                0 => &PAGE_ONE_RUN,
                1 => &PAGE_SHIFTS,
                2 => &ARTICLE_THRESHOLDS,
                3 | 4 => &SECTION_THRESHOLDS,
                5 => &MODE_THRESHOLDS,
                _ => &PAGE_SCALES,
            };
            for &v in candidates {
                let mut p = best;
                match field {
                    0 => p.page_one_run = v != 0.0,
                    1 => p.page_shift = v,
                    2 => p.article_threshold = v,
                    3 => p.section_page_threshold = v,
                    4 => p.section_article_threshold = v,
                    5 => p.mode_threshold = v,
                    _ => p.page_scale = v,
                }
                if p == best {
                    continue;
                }
                let value = eval_all(&p);
                if value.better_than(&best_value) {
                    best_value = value;
                    best = p;
                }
            }
        }
    }
    best
}

/// The settings chosen on inner folds of `samples`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Choice {
    /// The model settings.
    pub config: Config,
    /// The decoder's thresholds.
    #[serde(skip)]
    pub decoder: DecodeParams,
    /// The probability each metadata field's pick needs (title, author, date).
    pub meta_thresholds: [f32; 3],
}

/// Candidate probabilities a metadata pick may need.
const META_THRESHOLDS: [f32; 8] = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7];

/// The field's value in the gold, if any.
fn gold_value(gold: &GoldMeta, field: MetaField) -> Option<&str> {
    match field {
        MetaField::Title => gold.title.as_deref(),
        MetaField::Author => gold.author.as_deref(),
        MetaField::Published => gold.publish_date.as_deref(),
    }
    .filter(|v| !v.trim().is_empty())
}

/// Chooses, per metadata field, the probability its pick needs: the one
/// that makes the most documents right (the gold value, or nothing when
/// the gold has none), on out-of-fold picks.
fn choose_meta_thresholds(docs: &[CorpusDoc], samples: &[&Sample], scores: &[Scores]) -> [f32; 3] {
    MetaField::ALL.map(|field| {
        let right = |t: f32| {
            samples
                .iter()
                .zip(scores)
                .filter_map(|(s, sc)| {
                    let gold = docs[s.doc].meta.as_ref()?;
                    let pick = sc.picks.get(field).filter(|p| p.probability >= t);
                    Some(match (gold_value(gold, field), pick) {
                        (None, None) => true,
                        (Some(_), Some(p)) => is_gold(field, &p.value, gold),
                        _ => false,
                    })
                })
                .filter(|&ok| ok)
                .count()
        };
        META_THRESHOLDS
            .iter()
            .copied()
            .fold((0.0, 0usize), |best, t| {
                let n = right(t);
                if n > best.1 { (t, n) } else { best }
            })
            .0
    })
}

/// Drops the picks below their field's threshold.
fn apply_meta_thresholds(scores: &mut [Scores], thresholds: &[f32; 3]) {
    for sc in scores {
        for (field, t) in MetaField::ALL.iter().zip(thresholds) {
            let slot = match field {
                MetaField::Title => &mut sc.picks.title,
                MetaField::Author => &mut sc.picks.author,
                MetaField::Published => &mut sc.picks.published,
            };
            if slot.as_ref().is_some_and(|p| p.probability < *t) {
                *slot = None;
            }
        }
    }
}

/// Chooses the model settings (by out-of-fold log loss) and the decoder
/// (by out-of-fold cleaning scores) with `k` folds grouped by host.
pub fn choose(
    cleaner: &Cleaner,
    docs: &[CorpusDoc],
    samples: &[&Sample],
    k: usize,
    grid: &Grid,
) -> Choice {
    let (configs, mut oof) = out_of_fold(docs, samples, k, grid);
    let losses: Vec<f64> = oof.iter().map(|sc| log_loss(samples, sc)).collect();
    let best = (0..configs.len())
        .min_by(|&a, &b| losses[a].total_cmp(&losses[b]))
        .unwrap_or(0);
    let mut scores = oof.swap_remove(best);
    let meta_thresholds = choose_meta_thresholds(docs, samples, &scores);
    apply_meta_thresholds(&mut scores, &meta_thresholds);
    let decoder = choose_decoder(cleaner, docs, samples, &scores);
    Choice {
        config: configs[best],
        decoder,
        meta_thresholds,
    }
}

/// Trains the model to ship: settings chosen by `k`-fold grouped
/// cross-validation over all documents, then trained on all of them.
pub fn fit_final(
    cleaner: &Cleaner,
    docs: &[CorpusDoc],
    samples: &[Sample],
    k: usize,
    grid: &Grid,
) -> (Vec<u8>, Choice) {
    let all: Vec<&Sample> = samples.iter().collect();
    let choice = choose(cleaner, docs, &all, k, grid);
    let model = to_model(fit_fold(&all, &choice), &choice.decoder);
    (model.to_bytes(), choice)
}

/// Trains every model on `samples` with the settings chosen.
fn fit_fold(samples: &[&Sample], choice: &Choice) -> FoldModel {
    let mut meta = fit_metas(samples);
    for ((_, _, t), chosen) in meta.iter_mut().zip(choice.meta_thresholds) {
        *t = chosen;
    }
    FoldModel {
        line: fit_line(samples, choice.config.leaves, choice.config.trees),
        mode: fit_mode(samples),
        meta,
    }
}

fn to_model(fold: FoldModel, decoder: &DecodeParams) -> Model {
    let mut model = Model::default();
    decoder.store(&mut model);
    model.ensembles.insert("line".into(), fold.line);
    model.ensembles.insert("mode".into(), fold.mode);
    for (field, ensemble, threshold) in fold.meta {
        model
            .params
            .insert(meta_threshold_name(field), f64::from(threshold));
        model.ensembles.insert(field.name().into(), ensemble);
    }
    model
}

/// One held-out document's result.
#[derive(Debug, Clone, Serialize)]
pub struct HeldOut {
    /// The corpus name.
    pub corpus: String,
    /// The document id.
    pub id: String,
    /// The site.
    pub host: String,
    /// The kind of page.
    pub page_type: String,
    /// `page` or `residue`.
    pub flavour: &'static str,
    /// The language of the gold body.
    pub language: &'static str,
    /// The mode pith chose.
    pub mode: &'static str,
    /// pith's score.
    pub score: Score,
    /// The score of the unchanged input.
    pub unchanged: Score,
    /// Metadata and snippets against the meta.json, if there is one.
    pub meta: Option<MetaScore>,
}

/// Nested, site-grouped cross-validation: `outer` folds, settings chosen on
/// `inner` folds of each training part. Returns every held-out result and
/// the settings each fold chose.
pub fn cross_validate(
    cleaner: &Cleaner,
    docs: &[CorpusDoc],
    samples: &[Sample],
    outer: usize,
    inner: usize,
    grid: &Grid,
    mut progress: impl FnMut(&str),
) -> (Vec<HeldOut>, Vec<Choice>) {
    let hosts: Vec<&str> = samples.iter().map(|s| docs[s.doc].host.as_str()).collect();
    let folds = assign_folds(&hosts, outer);
    let mut results = Vec::new();
    let mut choices = Vec::new();
    for f in 0..outer {
        let train: Vec<&Sample> = samples
            .iter()
            .zip(&folds)
            .filter(|&(_, &g)| g != f)
            .map(|(s, _)| s)
            .collect();
        let test: Vec<&Sample> = samples
            .iter()
            .zip(&folds)
            .filter(|&(_, &g)| g == f)
            .map(|(s, _)| s)
            .collect();
        let choice = choose(cleaner, docs, &train, inner, grid);
        let model = fit_fold(&train, &choice);
        let held: Vec<HeldOut> = parallel(&test, |s| {
            let scores = score_sample(&model, s, usize::MAX);
            let cleaned = cleaner.finish(&s.analysis, &scores, Mode::Auto, Some(&choice.decoder));
            let doc = &docs[s.doc];
            HeldOut {
                corpus: doc.corpus.clone(),
                id: doc.id.clone(),
                host: doc.host.clone(),
                page_type: doc.page_type.clone(),
                flavour: FLAVOURS[s.flavour],
                language: crate::language::detect(&doc.gold).unwrap_or("und"),
                mode: cleaned.mode.name(),
                score: score_bags(&bag(&cleaned.text), &s.gold),
                unchanged: s.unchanged,
                meta: doc.meta.as_ref().map(|m| {
                    score_meta(
                        m,
                        cleaned.title.as_deref(),
                        cleaned.metadata.author.as_deref(),
                        cleaned.metadata.published.as_deref(),
                        &cleaned.text,
                    )
                }),
            }
        });
        progress(&format!(
            "fold {}/{outer}: {} held-out documents, {} trees × {} leaves",
            f + 1,
            held.len(),
            choice.config.trees,
            choice.config.leaves
        ));
        results.extend(held);
        choices.push(choice);
    }
    (results, choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    #[test]
    fn folds_never_share_a_host_and_are_balanced() {
        let hosts = ["a", "b", "a", "c", "d", "b", "e", "a", "f", "g"];
        let folds = assign_folds(&hosts, 3);
        for (i, h) in hosts.iter().enumerate() {
            for (j, g) in hosts.iter().enumerate() {
                if h == g {
                    assert_eq!(folds[i], folds[j], "{h} split across folds");
                }
            }
        }
        let mut sizes = [0; 3];
        for f in &folds {
            sizes[*f] += 1;
        }
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 2,
            "{sizes:?}"
        );
        assert_eq!(host_of("https://www.Example.com/a/b?c"), "example.com");
    }

    /// A small corpus: pages with menus around an article, its residue,
    /// the gold body and a meta.json.
    fn corpus() -> Vec<CorpusDoc> {
        let menu = ["Home", "News", "Sports", "Weather", "Contact", "About us"];
        (0..12)
            .map(|d| {
                let article: Vec<String> = (0..4)
                    .map(|p| {
                        format!(
                            "Paragraph {p} of story {d} tells how the council voted on a plan for the city, and what it will cost."
                        )
                    })
                    .collect();
                let title = format!("Story {d} About the Council Vote");
                let mut page = vec![format!("{title} | The Daily")];
                page.extend(menu.iter().map(std::string::ToString::to_string));
                page.push(title.clone());
                page.extend(article.iter().cloned());
                page.extend(menu.iter().rev().map(std::string::ToString::to_string));
                let residue = format!("{title}\n\n{}", article.join("\n\n"));
                CorpusDoc {
                    corpus: "tiny".into(),
                    id: format!("{d:04}"),
                    host: format!("site{}.example", d % 5),
                    page_type: "article".into(),
                    gold: article.join("\n"),
                    texts: [page.join("\n\n"), residue],
                    meta: Some(GoldMeta {
                        title: Some(title),
                        ..GoldMeta::default()
                    }),
                }
            })
            .collect()
    }

    #[test]
    fn training_is_deterministic_and_the_model_loads() {
        let docs = corpus();
        let cleaner = Cleaner::with_model(RuleSet::empty(), None).expect("no rules build");
        let samples = prepare(&docs, &cleaner);
        assert_eq!(samples.len(), 24);
        let grid = Grid {
            leaves: vec![4],
            trees: vec![10],
        };
        let (bytes, choice) = fit_final(&cleaner, &docs, &samples, 2, &grid);
        let (again, _) = fit_final(&cleaner, &docs, &samples, 2, &grid);
        assert_eq!(bytes, again, "a re-run gives the same bytes");
        assert_eq!(
            choice.config,
            Config {
                trees: 10,
                leaves: 4
            }
        );
        let model = Model::from_bytes(&bytes).expect("reads back");
        // Only the mode model reads the mode-only document features.
        for name in ["line", "title", "author", "published"] {
            let ensemble = model.ensemble(name).expect("trained");
            assert!(
                !ensemble.features.iter().any(|f| features::is_mode_only(f)),
                "{name}"
            );
        }
        let mode = model.ensemble("mode").expect("trained");
        assert!(mode.features.iter().any(|f| f == "doc_rule_cookies"));
        let body = crate::engine::BodyModel::from_model(&model).expect("binds to the features");
        // The trained model cleans a page of the corpus: the menus go.
        let with_model =
            Cleaner::with_model(RuleSet::empty(), Some(body)).expect("builds with the model");
        let cleaned = with_model.clean(&docs[0].texts[0]);
        assert!(!cleaned.text.contains("Weather"), "{}", cleaned.text);
        assert!(
            cleaned.text.contains("Paragraph 3 of story 0"),
            "{}",
            cleaned.text
        );
    }
}
