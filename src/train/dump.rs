//! Writing the training rows out, for analysis outside pith (`pith train
//! --dump DIR`).

use std::fs;
use std::io;
use std::path::Path;

use super::{CorpusDoc, FEATURE_NAMES, FLAVOURS, Sample, meta_feature_names};

/// Writes the training rows for analysis outside pith: `rows.f32` (the
/// features, row-major, little-endian), `rows.tsv` (sample, label, weight)
/// and `samples.jsonl` (each sample's document, flavour and line texts).
///
/// # Errors
///
/// An I/O error creating `dir` or writing a file in it.
pub fn dump(dir: &Path, docs: &[CorpusDoc], samples: &[Sample]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut rows = Vec::new();
    let mut tsv = String::new();
    let mut jsonl = String::new();
    for (k, s) in samples.iter().enumerate() {
        let f = &s.analysis.features;
        for v in (0..f.len()).flat_map(|k| f.row(k)) {
            rows.extend_from_slice(&v.to_le_bytes());
        }
        for (y, w) in s.labels.iter().zip(&s.weights) {
            tsv.push_str(&format!("{k}\t{}\t{w}\n", u8::from(*y)));
        }
        let doc = &docs[s.doc];
        let lines: Vec<&str> = s
            .analysis
            .rows
            .iter()
            .map(|&i| s.analysis.line_text(i))
            .collect();
        let record = serde_json::json!({
            "sample": k, "corpus": doc.corpus, "id": doc.id, "host": doc.host,
            "page_type": doc.page_type, "flavour": FLAVOURS[s.flavour],
            "unchanged_f1": s.unchanged.f1, "lines": lines,
        });
        jsonl.push_str(&record.to_string());
        jsonl.push('\n');
    }
    let mut meta_rows = Vec::new();
    let mut meta_tsv = String::new();
    for (k, s) in samples.iter().enumerate() {
        for set in &s.meta {
            for ((c, y), row) in set
                .candidates
                .iter()
                .zip(&set.labels)
                .zip(set.rows.chunks(meta_feature_names().len()))
            {
                for v in row {
                    meta_rows.extend_from_slice(&v.to_le_bytes());
                }
                meta_tsv.push_str(&format!(
                    "{k}\t{}\t{}\t{}\t{}\n",
                    set.field.name(),
                    u8::from(*y),
                    c.row,
                    c.value.replace(['\t', '\n'], " ")
                ));
            }
        }
    }
    fs::write(dir.join("meta.f32"), meta_rows)?;
    fs::write(dir.join("meta.tsv"), meta_tsv)?;
    fs::write(dir.join("rows.f32"), rows)?;
    fs::write(dir.join("rows.tsv"), tsv)?;
    fs::write(dir.join("samples.jsonl"), jsonl)?;
    fs::write(dir.join("names.txt"), FEATURE_NAMES.join("\n") + "\n")
}
