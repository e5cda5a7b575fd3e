//! Criterion benchmarks of the engine: cleaning real documents (whole pages
//! and extractor residue from `../shared/corpus/dev`), and each stage alone
//! on the same documents — segmenting, the analysis (segment, phrase scan,
//! rules, features), the features alone, the models' scoring, one round of
//! decisions with the title and output assembled, the JSON record, the
//! matcher's scan and a bare DFA scan — so that a regression points at its
//! stage (what `clean` costs beyond analyse + score + one round is the
//! rounds after the first); and compiling the built-in rules.
//!
//! `cargo bench --bench engine`. The document benchmarks need the corpus
//! beside the repository; without it they print why and are skipped. For
//! throughput over a large file against the machine's limits and the Python
//! tools, see `scripts/bench.sh`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use pith::engine::stages;
use pith::output::{OutputKeys, to_json};
use pith::segment::Segments;
use pith::{Cleaner, Mode};

#[path = "common/reference.rs"]
mod reference;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/dev");

/// The texts of one flavour (`page` or `residue`) of the dev corpus, or why
/// there are none.
fn corpus(flavour: &str) -> Result<Vec<String>, String> {
    let dir = Path::new(CORPUS);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "{}: {e}; the document benchmarks need ../shared/corpus/dev",
            dir.display()
        )
    })?;
    let suffix = format!(".{flavour}.txt");
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(&suffix))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if texts.is_empty() {
        return Err(format!("no *{suffix} files in {}", dir.display()));
    }
    Ok(texts)
}

fn cleaner() -> Cleaner {
    Cleaner::builtin().expect("the built-in rules compile")
}

fn clean_documents(c: &mut Criterion) {
    let cleaner = cleaner();
    for flavour in ["page", "residue"] {
        let texts = match corpus(flavour) {
            Ok(t) => t,
            Err(why) => {
                eprintln!("skipping the {flavour} benchmarks: {why}");
                continue;
            }
        };
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut group = c.benchmark_group(format!("dev-{flavour}"));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(20);
        group.measurement_time(Duration::from_secs(8));
        group.bench_function("clean", |b| {
            b.iter(|| {
                for text in &texts {
                    black_box(cleaner.clean(black_box(text)));
                }
            });
        });
        group.bench_function("stage: segment", |b| {
            b.iter(|| {
                for text in &texts {
                    black_box(Segments::new(black_box(text)));
                }
            });
        });
        group.bench_function("stage: analyse (segment, scan, rules, features)", |b| {
            b.iter(|| {
                for text in &texts {
                    black_box(stages::analyse(&cleaner, black_box(text)));
                }
            });
        });
        bench_analysed(&mut group, &cleaner, &texts);
        let cleaned: Vec<_> = texts.iter().map(|t| cleaner.clean(t)).collect();
        group.bench_function("stage: JSON record", |b| {
            b.iter(|| {
                for c in &cleaned {
                    black_box(to_json(
                        black_box(c),
                        Some("id"),
                        false,
                        &OutputKeys::all(),
                        &[],
                    ));
                }
            });
        });
        bench_scans(&mut group, &cleaner, &texts);
        group.finish();
    }
}

/// The stages after the analysis, each on the analysed `texts`: the
/// features again, the models' scores, one round of decisions.
fn bench_analysed(group: &mut BenchmarkGroup<WallTime>, cleaner: &Cleaner, texts: &[String]) {
    let analyses: Vec<_> = texts.iter().map(|t| stages::analyse(cleaner, t)).collect();
    group.bench_function("stage: score (line model and metadata rankers)", |b| {
        b.iter(|| {
            for analysis in &analyses {
                black_box(stages::score(cleaner, black_box(analysis)));
            }
        });
    });
    group.bench_function("stage: features", |b| {
        b.iter(|| {
            for analysis in &analyses {
                black_box(stages::features(black_box(analysis)));
            }
        });
    });
    let scores: Vec<_> = analyses.iter().map(|a| stages::score(cleaner, a)).collect();
    group.bench_function("stage: decide and assemble (one round)", |b| {
        let params = cleaner.decode_params();
        b.iter(|| {
            for (analysis, scores) in analyses.iter().zip(&scores) {
                black_box(stages::finish(
                    cleaner,
                    black_box(analysis),
                    scores,
                    Mode::Auto,
                    params,
                ));
            }
        });
    });
}

/// The matcher's scan and the bare reference DFA scan of `texts`.
fn bench_scans(group: &mut BenchmarkGroup<WallTime>, cleaner: &Cleaner, texts: &[String]) {
    group.bench_function("matcher scan", |b| {
        let segments: Vec<Segments> = texts.iter().map(|t| Segments::new(t)).collect();
        b.iter(|| {
            for (text, seg) in texts.iter().zip(&segments) {
                black_box(stages::matcher(cleaner).scan(black_box(text), seg));
            }
        });
    });
    if let Ok(automaton) = reference::reference_automaton(stages::matcher(cleaner)) {
        group.bench_function("bare reference DFA scan", |b| {
            b.iter(|| {
                for text in texts {
                    black_box(
                        automaton
                            .find_overlapping_iter(black_box(text.as_str()))
                            .count(),
                    );
                }
            });
        });
    }
}

fn compile_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("rules");
    group.sample_size(20);
    group.bench_function("compile built-in rules", |b| {
        b.iter(|| black_box(cleaner()));
    });
    group.finish();
}

criterion_group!(benches, clean_documents, compile_rules);
criterion_main!(benches);
