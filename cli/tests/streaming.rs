//! Streaming at scale: thread counts, batches, compressed input, split text
//! streams, summary and stats, and bad input under parallelism.

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

mod scratch;
use scratch::Scratch;

fn pith() -> assert_cmd::Command {
    cargo_bin_cmd!("pith")
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(path)
}

fn temp_dir(name: &str) -> Scratch {
    Scratch::new("pith-stream", name)
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// A JSONL stream of real articles mixed with every kind of bad line.
/// Returns the input and, per record, whether it must fail.
fn mixed_input() -> (Vec<u8>, Vec<bool>) {
    let seeds: Vec<String> = (0..4)
        .map(|i| fs::read_to_string(fixture(&format!("seeds/00{i}.input.txt"))).unwrap())
        .collect();
    let mut input = Vec::new();
    let mut fails = Vec::new();
    for i in 0..120 {
        let seed = &seeds[i % seeds.len()];
        match i % 12 {
            3 => {
                input.extend_from_slice(b"{broken json\n");
                fails.push(true);
            }
            5 => {
                writeln!(input, "{{\"id\":{i},\"body\":\"no text field\"}}").unwrap();
                fails.push(true);
            }
            7 => {
                writeln!(input, "{{\"id\":{i},\"text\":42}}").unwrap();
                fails.push(true);
            }
            9 => {
                // Invalid UTF-8 is replaced and flagged, not failed.
                input.extend_from_slice(b"{\"id\":9,\"text\":\"caf\xe9 society\"}\n");
                fails.push(false);
            }
            11 => {
                input.extend_from_slice(b"\n  \n");
                let record = serde_json::json!({"id": i, "text": seed});
                writeln!(input, "{record}").unwrap();
                fails.push(false);
            }
            _ => {
                let record = serde_json::json!({"id": i, "url": format!("u{i}"), "text": seed});
                writeln!(input, "{record}").unwrap();
                fails.push(false);
            }
        }
    }
    (input, fails)
}

#[test]
fn output_is_byte_identical_for_any_thread_count_and_batch_size() {
    let (input, fails) = mixed_input();
    let reference = pith()
        .args(["--threads", "1", "--quiet"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(reference.status.code(), Some(1), "some records fail");
    let records = lines(&reference.stdout);
    assert_eq!(records.len(), fails.len(), "records out == records in");
    for (record, fail) in records.iter().zip(&fails) {
        assert_eq!(record.get("error").is_some(), *fail, "{record}");
    }
    for threads in ["2", "8"] {
        for batch in ["1", "5000"] {
            let out = pith()
                .args(["--threads", threads, "--batch-bytes", batch, "--quiet"])
                .write_stdin(input.clone())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1));
            assert!(
                out.stdout == reference.stdout,
                "{threads} threads, batches of {batch} bytes: output differs"
            );
        }
    }
}

#[test]
fn text_output_with_errors_keeps_one_document_per_record_under_threads() {
    let (input, fails) = mixed_input();
    let one = pith()
        .args(["--output", "text", "--threads", "1", "--quiet"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let many = pith()
        .args([
            "--output",
            "text",
            "--threads",
            "4",
            "--batch-bytes",
            "3000",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(one.stdout, many.stdout);
    let text = String::from_utf8(many.stdout).unwrap();
    assert_eq!(text.split("\x0c\n").count(), fails.len());
    let stderr = String::from_utf8_lossy(&many.stderr);
    assert!(stderr.contains("<stdin>:4: invalid JSON"), "{stderr}");
}

#[test]
fn a_huge_record_among_small_ones_is_cleaned_in_place() {
    // A 50 MB article: one record, far larger than a batch.
    let mut big = String::with_capacity(50 << 20);
    let mut n = 0;
    while big.len() < 50 << 20 {
        n += 1;
        let _ = write!(
            big,
            "Paragraph {n}: the committee met again on Tuesday to discuss the budget.\n\n"
        );
    }
    let mut input = Vec::new();
    writeln!(input, "{{\"id\":\"a\",\"text\":\"Small one.\"}}").unwrap();
    writeln!(input, "{}", serde_json::json!({"id": "big", "text": big})).unwrap();
    writeln!(input, "{{broken").unwrap();
    writeln!(input, "{{\"id\":\"c\",\"text\":\"Small two.\"}}").unwrap();
    // This is a test of the pipeline, run on the debug build: rules and
    // passes are off so it takes seconds, not minutes. What cleaning a record
    // this large costs is measured by scripts/bench.sh on the release build.
    let out = pith()
        .args(["--threads", "2", "--quiet", "--batch-bytes", "4096"])
        .args([
            "--no-default-rules",
            "--disable",
            "structure.*",
            "--disable",
            "body.*",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["text"], "Small one.");
    assert_eq!(records[1]["id"], "big");
    assert!(records[1]["stats"]["chars_in"].as_u64().unwrap() >= 50 << 20);
    assert_eq!(records[2]["line"], 3);
    assert_eq!(records[3]["text"], "Small two.");
}

#[test]
fn gzip_and_zstd_are_read_by_their_magic_bytes() {
    let (input, _) = mixed_input();
    let text = fs::read(fixture("seeds/003.input.txt")).unwrap();
    let dir = temp_dir("compressed");
    for (name, data) in [("records.jsonl", &input), ("article.txt", &text)] {
        let plain = dir.join(name);
        fs::write(&plain, data).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(data).unwrap();
        // Deliberately misleading names: only the bytes count.
        let gz_path = dir.join(format!("{name}.data"));
        fs::write(&gz_path, gz.finish().unwrap()).unwrap();
        let zst_path = dir.join(format!("{name}.zst"));
        fs::write(&zst_path, zstd::encode_all(data.as_slice(), 3).unwrap()).unwrap();
        let expected = pith().arg("-q").arg(&plain).output().unwrap().stdout;
        assert!(!expected.is_empty());
        for compressed in [&gz_path, &zst_path] {
            let out = pith().arg("-q").arg(compressed).output().unwrap();
            // Records name their file; compare with the name swapped in.
            let got = String::from_utf8(out.stdout).unwrap().replace(
                &*compressed.display().to_string(),
                &plain.display().to_string(),
            );
            assert_eq!(
                got.as_bytes(),
                expected.as_slice(),
                "{}",
                compressed.display()
            );
        }
        // Standard input too.
        let zst = fs::read(&zst_path).unwrap();
        let out = pith().arg("-q").write_stdin(zst).output().unwrap();
        let from_stdin = pith().arg("-q").write_stdin(data.clone()).output().unwrap();
        assert_eq!(out.stdout, from_stdin.stdout);
    }
}

#[test]
fn split_formfeed_reads_text_output_back() {
    let seeds: Vec<PathBuf> = (0..4)
        .map(|i| fixture(&format!("seeds/00{i}.input.txt")))
        .collect();
    let text = pith().arg("-q").args(&seeds).output().unwrap();
    assert!(text.status.success());
    let again = pith()
        .args(["-q", "--split", "formfeed"])
        .write_stdin(text.stdout.clone())
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(
        again.stdout, text.stdout,
        "cleaning is idempotent, one document each"
    );
    let records = pith()
        .args(["-q", "--split", "formfeed", "--output", "jsonl"])
        .write_stdin(text.stdout)
        .output()
        .unwrap();
    let records = lines(&records.stdout);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["id"], "<stdin>:1");
}

#[test]
fn split_blank3_and_nul_cut_article_streams() {
    let one = fs::read_to_string(fixture("seeds/000.input.txt")).unwrap();
    let two = fs::read_to_string(fixture("seeds/001.input.txt")).unwrap();
    for (split, joined) in [
        ("blank3", format!("{one}\n\n\n\n{two}")),
        ("nul", format!("{one}\0{two}\0")),
    ] {
        let out = pith()
            .args(["-q", "--output", "jsonl", "--split", split])
            .write_stdin(joined)
            .output()
            .unwrap();
        assert!(out.status.success());
        let records = lines(&out.stdout);
        assert_eq!(records.len(), 2, "--split {split}");
        let alone = pith()
            .args(["-q", "--output", "jsonl"])
            .write_stdin(two.clone())
            .output()
            .unwrap();
        assert_eq!(records[1]["text"], lines(&alone.stdout)[0]["text"]);
    }
}

#[test]
fn summary_line_and_stats_file() {
    let (input, fails) = mixed_input();
    let dir = temp_dir("stats");
    let stats = dir.join("stats.json");
    let out = pith()
        .arg("--summary")
        .arg("--stats")
        .arg(&stats)
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let failed = fails.iter().filter(|f| **f).count();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with(&format!("pith: {} records, {failed} failed,", fails.len())),
        "{summary}"
    );
    assert!(summary.contains("% of text removed"), "{summary}");
    let json: Value = serde_json::from_str(&fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(json["records"], fails.len());
    assert_eq!(json["failed"], failed);
    assert!(json["flags"]["invalid_utf8"].as_u64().unwrap() > 0);
    let share = json["removed_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0);
    let comments = &json["rules"]["comments.leave-a-reply"];
    assert!(comments["documents"].as_u64().unwrap() > 0, "{json}");
    assert!(comments["lines"].as_u64().unwrap() >= comments["removals"].as_u64().unwrap());

    let quiet = pith().arg("--quiet").write_stdin(input).output().unwrap();
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["--split", "formfeed", "--input", "jsonl"][..],
        &["--threads", "0"],
        &["--split", "paragraph"],
        &["--stats", "/nonexistent/dir/stats.json"],
    ] {
        let out = pith().args(args).write_stdin("text").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// `n` JSONL records of real articles, each with its index as `id`.
fn articles(n: usize) -> Vec<u8> {
    let seeds: Vec<String> = (0..4)
        .map(|i| fs::read_to_string(fixture(&format!("seeds/00{i}.input.txt"))).unwrap())
        .collect();
    // Pseudo-random words, so that compressed blocks hold few records and
    // a cut stream still holds many complete ones.
    let mut state = 7u64;
    let mut input = Vec::new();
    for i in 0..n {
        let words: Vec<String> = (0..300)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                format!("w{}", state >> 40)
            })
            .collect();
        let text = format!("{}\n\n{}.", seeds[i % 4], words.join(" "));
        let record = serde_json::json!({"id": i, "text": text});
        writeln!(input, "{record}").unwrap();
    }
    input
}

#[test]
fn a_broken_compressed_stream_gives_every_complete_record_for_any_batch_size() {
    let input = articles(200);
    let dir = temp_dir("broken");
    for (name, compressed) in [
        ("cut.gz", gzip(&input)),
        ("cut.zst", zstd::encode_all(input.as_slice(), 3).unwrap()),
    ] {
        let cut = &compressed[..compressed.len() * 2 / 3];
        // What zcat / zstdcat recover: the complete lines before the break.
        let mut recovered = Vec::new();
        let mut decoder: Box<dyn std::io::Read> = if name.ends_with("gz") {
            Box::new(flate2::read::MultiGzDecoder::new(cut))
        } else {
            Box::new(zstd::stream::read::Decoder::new(cut).unwrap())
        };
        let _ = decoder.read_to_end(&mut recovered);
        let complete = recovered.iter().filter(|&&b| b == b'\n').count();
        assert!(complete > 50 && complete < 200, "{name}: {complete}");
        let path = dir.join(name);
        fs::write(&path, cut).unwrap();
        for batch in ["1", "100000", "1048576"] {
            let out = pith()
                .args(["-q", "--batch-bytes", batch])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1));
            let records = lines(&out.stdout);
            assert_eq!(records.len(), complete + 1, "{name} batch {batch}");
            for (i, r) in records.iter().take(complete).enumerate() {
                assert_eq!(r["id"], i, "{name} batch {batch}");
            }
            let error = &records[complete];
            assert!(error["error"].as_str().unwrap().contains("cannot read"));
            assert_eq!(error["line"], complete + 1);
        }
    }
}

#[test]
fn zero_padding_after_a_compressed_stream_keeps_every_record_with_a_warning() {
    let input = articles(60);
    let dir = temp_dir("padding");
    for (name, mut compressed) in [
        ("pad.gz", gzip(&input)),
        ("pad.zst", zstd::encode_all(input.as_slice(), 3).unwrap()),
    ] {
        compressed.extend_from_slice(&[0; 1000]);
        let path = dir.join(name);
        fs::write(&path, &compressed).unwrap();
        let out = pith().arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert_eq!(lines(&out.stdout).len(), 60, "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("1000 bytes of zero padding"), "{stderr}");
    }
}

#[test]
fn a_record_over_max_record_bytes_becomes_an_error_record_in_place() {
    let long = "A sentence of the long article. ".repeat(40_000);
    let mut jsonl = articles(3);
    writeln!(jsonl, "{}", serde_json::json!({"id": "long", "text": long})).unwrap();
    jsonl.extend(articles(2));
    let dir = temp_dir("max-record");
    let text_path = dir.join("long.txt");
    fs::write(&text_path, &long).unwrap();
    for (name, data) in [
        ("plain", jsonl.clone()),
        ("gzip", gzip(&jsonl)),
        ("zstd", zstd::encode_all(jsonl.as_slice(), 3).unwrap()),
    ] {
        let out = pith()
            .args(["-q", "--max-record-bytes", "1000000"])
            .write_stdin(data)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let records = lines(&out.stdout);
        assert_eq!(records.len(), 6, "{name}");
        let error = records[3]["error"].as_str().unwrap();
        assert!(error.contains("--max-record-bytes 1000000"), "{error}");
        assert_eq!(records[3]["line"], 4);
        assert_eq!(records[4]["id"], 0);
        // Under the limit, the same record is cleaned.
        let out = pith()
            .arg("-q")
            .write_stdin(jsonl.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
    }
    // A text document, plain and compressed.
    for data in [long.as_bytes().to_vec(), gzip(long.as_bytes())] {
        let out = pith()
            .args(["-q", "--max-record-bytes", "1000000", "--output", "jsonl"])
            .write_stdin(data)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let records = lines(&out.stdout);
        assert_eq!(records.len(), 1);
        assert!(
            records[0]["error"]
                .as_str()
                .unwrap()
                .contains("1280000 bytes")
        );
    }
}

#[test]
fn a_gzip_bomb_holding_one_huge_text_record_gives_an_error_record_and_a_summary() {
    // 256 MiB of text in 256 concatenated gzip members of 1 MiB each
    // (about 250 KB on disk); the default limit is 64 MiB.
    let member =
        gzip(&b"All work and no play makes Jack a dull boy.\n".repeat(1 << 20 >> 5)[..1 << 20]);
    let bomb = member.repeat(256);
    let out = pith()
        .args(["--output", "jsonl", "--summary"])
        .write_stdin(bomb)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = lines(&out.stdout);
    assert_eq!(records.len(), 1);
    let error = records[0]["error"].as_str().unwrap();
    assert!(
        error.contains("268435456 bytes") && error.contains("--max-record-bytes 67108864"),
        "{error}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pith: 1 record, 1 failed"), "{stderr}");
}
