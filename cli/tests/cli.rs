//! Command-line tests: every flag, every subcommand, every bad-input case.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

mod scratch;
use scratch::Scratch;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(path)
}

fn pith() -> assert_cmd::Command {
    cargo_bin_cmd!("pith")
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn jsonl(output: &std::process::Output) -> Vec<Value> {
    stdout_of(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn temp_dir(name: &str) -> Scratch {
    Scratch::new("pith-cli", name)
}

const RULE: &str = "[[rule]]\nid = \"custom.banner\"\naction = \"drop-line\"\nline_is = [\"Custom Banner\"]\nexamples = [\"Custom Banner\"]\nnear_misses = [\"A custom banner was hung.\"]\n";

#[test]
fn cleans_a_file_to_text() {
    let out = pith().arg(fixture("seeds/000.input.txt")).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout_of(&out),
        fs::read_to_string(fixture("seeds/000.expected.txt")).unwrap()
    );
}

#[test]
fn reads_standard_input_with_or_without_dash() {
    let input = fs::read(fixture("seeds/002.input.txt")).unwrap();
    let expected = fs::read_to_string(fixture("seeds/002.expected.txt")).unwrap();
    let out = pith().write_stdin(input.clone()).output().unwrap();
    assert_eq!(stdout_of(&out), expected);
    let out = pith().arg("-").write_stdin(input).output().unwrap();
    assert_eq!(stdout_of(&out), expected);
}

#[test]
fn no_title_prints_the_body_only() {
    let out = pith()
        .arg("--no-title")
        .arg(fixture("seeds/002.input.txt"))
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.starts_with("In recent days"), "{text}");
    assert!(!text.contains("Who is Responsible"));
}

#[test]
fn json_output_carries_metadata_and_removals() {
    let out = pith()
        .args(["--output", "json"])
        .arg(fixture("seeds/003.input.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["author"], "Turan Gafarli");
    assert_eq!(v["author_role"], "Russia & FSU Analyst");
    assert_eq!(v["references"].as_array().unwrap().len(), 6);
    assert!(v["id"].as_str().unwrap().ends_with("003.input.txt"));
    let removed = v["removed"].as_array().unwrap();
    let comments = removed
        .iter()
        .find(|r| r["rule"] == "comments.leave-a-reply")
        .unwrap();
    assert_eq!(comments["action"], "drop-rest");
    assert_eq!(comments["lines"], serde_json::json!([36, 50]));
    let input = fs::read_to_string(fixture("seeds/003.input.txt")).unwrap();
    let [start, end] = [
        comments["bytes"][0].as_u64().unwrap() as usize,
        comments["bytes"][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(
        input[start..end].trim_end(),
        comments["text"].as_str().unwrap()
    );
    assert_eq!(v["stats"]["lines_in"], 50);
}

#[test]
fn text_input_to_jsonl_output() {
    let out = pith()
        .args(["--output", "jsonl"])
        .arg(fixture("seeds/000.input.txt"))
        .arg(fixture("seeds/001.input.txt"))
        .output()
        .unwrap();
    let records = jsonl(&out);
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0]["image_credits"],
        serde_json::json!(["Wikimedia"])
    );
    assert_eq!(records[1]["title"], Value::Null);
}

#[test]
fn several_text_files_are_separated_by_form_feeds() {
    let out = pith()
        .arg(fixture("seeds/000.input.txt"))
        .arg(fixture("seeds/001.input.txt"))
        .output()
        .unwrap();
    let text = stdout_of(&out);
    let parts: Vec<&str> = text.split("\x0c\n").collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(
        parts[0],
        fs::read_to_string(fixture("seeds/000.expected.txt")).unwrap()
    );
}

#[test]
fn jsonl_passes_fields_through_and_uses_named_fields() {
    let input = "{\"url\":\"u1\",\"body\":\"A Headline Here\\n\\nThe text.\\n\\nAdvertisement\",\"meta\":{\"k\":[1,2]},\"key\":\"doc-1\"}\n";
    let out = pith()
        .args(["--text-field", "body", "--id-field", "key"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let records = jsonl(&out);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["url"], "u1");
    assert_eq!(r["body"], "The text.");
    assert_eq!(r["title"], "A Headline Here");
    assert_eq!(r["meta"], serde_json::json!({"k": [1, 2]}));
    assert_eq!(r["id"], "doc-1");
    assert_eq!(r["removed"][0]["rule"], "navigation.advertisement");
    // Input field order is kept, pith's fields follow.
    let line = stdout_of(&out);
    assert!(line.starts_with("{\"url\":\"u1\",\"body\":"), "{line}");
}

#[test]
fn input_format_can_be_forced() {
    let json_looking =
        "{not really json, an article that starts with a brace}\n\nSecond paragraph here.\n";
    let out = pith()
        .args(["--input", "text"])
        .write_stdin(json_looking)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("Second paragraph here."));
    let out = pith()
        .args(["--input", "jsonl"])
        .write_stdin("plain text\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    assert_eq!(records.len(), 1);
    assert!(
        records[0]["error"]
            .as_str()
            .unwrap()
            .contains("invalid JSON")
    );
}

#[test]
fn bad_jsonl_lines_become_error_records_in_place() {
    let input = concat!(
        "{\"id\":1,\"text\":\"First article text.\"}\n",
        "{broken json\n",
        "[1,2,3]\n",
        "{\"id\":4,\"body\":\"no text field\"}\n",
        "{\"id\":5,\"text\":42}\n",
        "\n",
        "{\"id\":6,\"text\":\"Last article text.\"}\n",
    );
    let out = pith().write_stdin(input).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    assert_eq!(
        records.len(),
        6,
        "records out == records in (blank lines are not records)"
    );
    assert_eq!(records[0]["text"], "First article text.");
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["input"], "{broken json");
    assert!(records[2]["error"].as_str().unwrap().contains("object"));
    assert_eq!(records[3]["id"], 4);
    assert_eq!(records[3]["body"], "no text field");
    assert!(
        records[3]["error"]
            .as_str()
            .unwrap()
            .contains("--text-field")
    );
    assert!(
        records[4]["error"]
            .as_str()
            .unwrap()
            .contains("not a string")
    );
    assert_eq!(records[5]["text"], "Last article text.");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("<stdin>:2"), "{stderr}");
}

#[test]
fn invalid_utf8_is_replaced_and_flagged_unless_strict() {
    let mut input = b"{\"id\":1,\"text\":\"caf\xe9 society\"}\n".to_vec();
    input.extend_from_slice(b"{\"id\":2,\"text\":\"fine\"}\n");
    let out = pith().write_stdin(input.clone()).output().unwrap();
    assert!(out.status.success());
    let records = jsonl(&out);
    assert_eq!(records[0]["text"], "caf\u{fffd} society");
    assert_eq!(records[0]["flags"], serde_json::json!(["invalid_utf8"]));
    assert_eq!(records[1]["flags"], serde_json::json!([]));

    let out = pith().arg("--strict").write_stdin(input).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    assert_eq!(records.len(), 2);
    assert!(records[0]["error"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(records[1]["text"], "fine");

    let out = pith()
        .arg("--strict")
        .write_stdin(&b"A text with a bad byte \xff here."[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = pith()
        .args(["--output", "json"])
        .write_stdin(&b"A text with a bad byte \xff here."[..])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["flags"], serde_json::json!(["invalid_utf8"]));
}

#[test]
fn a_missing_file_fails_but_the_others_are_cleaned() {
    let out = pith()
        .arg("/nonexistent/article.txt")
        .arg(fixture("seeds/001.input.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/article.txt"));
    assert!(stdout_of(&out).contains("Russia has urged"));
}

#[test]
fn extra_rules_from_a_file_or_folder_and_no_default_rules() {
    let dir = temp_dir("rules");
    fs::write(dir.join("custom.toml"), RULE).unwrap();
    let input = "Text before.\nCustom Banner\nAdvertisement\nText after.\n";
    for path in [dir.join("custom.toml"), dir.to_path_buf()] {
        let out = pith()
            .arg("--rules")
            .arg(&path)
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(stdout_of(&out), "Text before.\nText after.\n");
    }
    let out = pith()
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(dir.join("custom.toml"))
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        stdout_of(&out),
        "Text before.\nAdvertisement\nText after.\n"
    );
}

#[test]
fn disable_by_id_or_glob() {
    let input = fs::read(fixture("seeds/003.input.txt")).unwrap();
    let out = pith()
        .args(["--disable", "references.*", "--output", "json"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["references"], serde_json::json!([]));
    assert!(v["text"].as_str().unwrap().contains("References:"));
    let out = pith()
        .args([
            "--disable",
            "bylines.by",
            "--disable",
            "structure.title",
            "--disable",
            "metadata.author",
            "--output",
            "json",
        ])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["author"], Value::Null);
    assert_eq!(v["title"], Value::Null);
    assert!(v["text"].as_str().unwrap().contains("By Turan Gafarli"));
    let out = pith()
        .args(["--disable", "no.such-rule"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no.such-rule"));
}

#[test]
fn bad_rule_files_exit_2_naming_file_and_rule() {
    let dir = temp_dir("bad-rules");
    let bad = dir.join("bad.toml");
    fs::write(
        &bad,
        "[[rule]]\nid = \"x.y\"\naction = \"drop-line\"\nline_is = []\n",
    )
    .unwrap();
    let out = pith()
        .arg("--rules")
        .arg(&bad)
        .write_stdin("text")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("x.y") && stderr.contains("empty list"),
        "{stderr}"
    );
    let out = pith().args(["rules", "check"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = pith()
        .arg("--rules")
        .arg("/nonexistent/rules.toml")
        .write_stdin("text")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let out = pith().args(["--output", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_marks_removed_lines_with_their_rule() {
    let out = pith()
        .arg("explain")
        .arg(fixture("seeds/000.input.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout_of(&out);
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let line3 = text
        .lines()
        .find(|l| l.trim_start().starts_with("3 "))
        .unwrap();
    assert!(line3.contains("- structure.duplicate-title"), "{line3}");
    let line40 = text
        .lines()
        .find(|l| l.trim_start().starts_with("40 "))
        .unwrap();
    assert!(line40.contains("comments.leave-a-reply") && line40.contains("Leave a Reply"));
    assert!(text.contains("[-Picture credit: Wikimedia-]"));
    assert!(text.lines().next().unwrap().contains(" T "));
    let out = pith()
        .args(["explain", "--color", "always"])
        .arg(fixture("seeds/000.input.txt"))
        .output()
        .unwrap();
    assert!(stdout_of(&out).contains("\x1b[31m"));
}

#[test]
fn rules_list_check_and_test() {
    let out = pith().args(["rules", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = stdout_of(&out);
    assert!(text.contains("comments.leave-a-reply") && text.contains("structure.duplicate-title"));
    assert!(text.contains("body settings: page_shift "), "{text}");
    // A rule file's [settings.body] is what the list shows.
    let dir = temp_dir("rules-cmd");
    let body = dir.join("body.toml");
    fs::write(
        &body,
        "[settings.body]\npage_scale = 2.5\nmode_threshold = 0.25\npage_one_run = true\n",
    )
    .unwrap();
    let out = pith()
        .args(["--rules"])
        .arg(&body)
        .args(["rules", "list"])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        text.contains("page_scale 2.5")
            && text.contains("mode_threshold 0.25")
            && text.contains("page_one_run true"),
        "{text}"
    );

    let good = dir.join("good.toml");
    fs::write(&good, RULE).unwrap();
    let out = pith().args(["rules", "check"]).arg(&good).output().unwrap();
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("ok: 1 rules"));

    let repeated = dir.join("repeated.toml");
    fs::write(
        &repeated,
        RULE.replace(
            "line_is = [",
            "line_is = [\"CUSTOM BANNER\", \"custom banner\", ",
        ),
    )
    .unwrap();
    let out = pith()
        .args(["rules", "check"])
        .arg(&repeated)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stdout_of(&out)
            .contains("`line_is` phrase \"custom banner\" repeats \"CUSTOM BANNER\" but for case"),
        "{}",
        stdout_of(&out)
    );

    let out = pith().args(["rules", "test"]).output().unwrap();
    assert!(out.status.success(), "{}", stdout_of(&out));
    assert!(stdout_of(&out).contains(", 0 failed"));

    let failing = dir.join("failing.toml");
    fs::write(
        &failing,
        RULE.replace(
            "near_misses = [\"A custom banner was hung.\"]",
            "near_misses = [\"Custom Banner\"]",
        ),
    )
    .unwrap();
    let out = pith()
        .args(["rules", "test", "--no-default-rules"])
        .arg(&failing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout_of(&out).contains("FAIL custom.banner"));
}

#[test]
fn broken_pipe_ends_quietly() {
    let mut input = String::new();
    for i in 0..20_000 {
        input.push_str(&format!(
            "{{\"id\":{i},\"text\":\"Article number {i} with some text.\\n\\nAdvertisement\"}}\n"
        ));
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("pith"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(first.contains("\"id\":0"));
    assert!(output.status.success(), "status {:?}", output.status);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && stderr.is_empty(),
        "{stderr}"
    );
}

/// A few JSONL records of the seed articles.
fn seed_records() -> Vec<u8> {
    let mut input = Vec::new();
    for i in 0..3 {
        let text = fs::read_to_string(fixture(&format!("seeds/00{i}.input.txt"))).unwrap();
        writeln!(input, "{}", serde_json::json!({"id": i, "text": text})).unwrap();
    }
    input
}

#[test]
fn a_file_that_cannot_be_opened_gets_an_error_record_in_the_jsonl_output() {
    let dir = temp_dir("unopened");
    let path = dir.join("next.jsonl");
    fs::write(&path, seed_records()).unwrap();
    for args in [
        vec![path.clone(), "/nonexistent/x.jsonl".into(), path.clone()],
        vec!["/nonexistent/x.jsonl".into(), path.clone()],
    ] {
        let out = pith().arg("-q").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let records = jsonl(&out);
        assert_eq!(records.len(), 3 * (args.len() - 1) + 1, "{args:?}");
        let errors: Vec<&Value> = records
            .iter()
            .filter(|r| r.get("error").is_some())
            .collect();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]["error"]
                .as_str()
                .unwrap()
                .contains("cannot read /nonexistent/x.jsonl")
        );
        let at = if args[0] == path { 3 } else { 0 };
        assert_eq!(records[at]["file"], "/nonexistent/x.jsonl");
    }
}

#[test]
fn auto_detection_skips_a_bom_survives_a_bad_first_line_and_reads_braced_text_as_text() {
    let records = seed_records();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&records);
    for args in [&["-q"][..], &["-q", "--input", "jsonl"]] {
        let out = pith().args(args).write_stdin(bom.clone()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(jsonl(&out).len(), 3, "{args:?}");
    }
    // One bad first line: still JSONL (with an error record), and a notice.
    let mut bad = b"{\"id\": 9, \"text\": \"cut sh\n".to_vec();
    bad.extend_from_slice(&records);
    let out = pith().write_stdin(bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out_records = jsonl(&out);
    assert_eq!(out_records.len(), 4);
    assert!(
        out_records[0]["error"]
            .as_str()
            .unwrap()
            .contains("invalid JSON")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>: read as JSONL: 3 of its first 4 lines are JSON objects"),
        "{stderr}"
    );
    // Text that starts with a brace is text.
    let text =
        "{Editor's note: updated on Monday.}\n\nThe council met on Monday to vote on the budget.\n";
    let out = pith().write_stdin(text).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout_of(&out).contains("The council met on Monday"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read as text: 0 of its first 2 lines are JSON objects"),
        "{stderr}"
    );
    // A BOM in text is not part of the article.
    let out = pith()
        .arg("-q")
        .write_stdin("\u{feff}Plain article text.\n")
        .output()
        .unwrap();
    assert_eq!(stdout_of(&out), "Plain article text.\n");
}

#[test]
fn a_lone_surrogate_escape_is_replaced_and_flagged_or_an_error_under_strict() {
    let line = "{\"id\": 1, \"text\": \"An article about caf\\ud800s.\"}\n";
    let out = pith().arg("-q").write_stdin(line).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = &jsonl(&out)[0];
    assert_eq!(r["text"], "An article about caf\u{fffd}s.");
    assert_eq!(r["flags"], serde_json::json!(["invalid_utf8"]));
    // The error record passes the input's fields through as written
    // (which serde_json refuses to read back, as it refused the input).
    let out = pith()
        .args(["-q", "--strict"])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = stdout_of(&out);
    assert!(out.starts_with(r#"{"id":1,"text":"An article about caf\ud800s.","error":"field `text` holds a lone surrogate"#), "{out}");
}

#[test]
fn error_records_keep_bytes_that_are_not_utf8_in_base64() {
    use base64::Engine as _;
    let line = b"{\"id\": 1, \"text\": \"caf\xe9\"}";
    let mut input = line.to_vec();
    input.extend_from_slice(b"\nnot json \xff\n");
    let out = pith()
        .args(["-q", "--strict", "--input", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    let decode = |r: &Value| {
        base64::engine::general_purpose::STANDARD
            .decode(r["input_base64"].as_str().unwrap())
            .unwrap()
    };
    assert_eq!(decode(&records[0]), line);
    assert_eq!(decode(&records[1]), b"not json \xff");
    assert_eq!(records[1]["input"], "not json \u{fffd}");
}

#[test]
fn an_input_title_field_never_makes_text_vanish() {
    let text = fs::read_to_string(fixture("seeds/000.input.txt")).unwrap();
    let alone = pith()
        .args(["-q", "--output", "json"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    let alone: Value = serde_json::from_str(&stdout_of(&alone)).unwrap();
    let title = alone["title"].as_str().unwrap().to_string();
    let record = serde_json::json!({"title": "The site's own title", "text": text});
    let out = pith()
        .arg("-q")
        .write_stdin(format!("{record}\n"))
        .output()
        .unwrap();
    let r = &jsonl(&out)[0];
    assert_eq!(r["title"], "The site's own title");
    assert_eq!(
        r["text"],
        format!("{title}\n\n{}", alone["text"].as_str().unwrap())
    );
    // The same title in the input: the body alone.
    let record = serde_json::json!({"title": title, "text": text});
    let out = pith()
        .arg("-q")
        .write_stdin(format!("{record}\n"))
        .output()
        .unwrap();
    assert_eq!(jsonl(&out)[0]["text"], alone["text"]);
}

#[test]
fn cleaning_pith_jsonl_again_changes_nothing_and_title_line_says_why() {
    let seeds: Vec<String> = (0..4)
        .map(|k| {
            let path = fs::read_dir(fixture("seeds"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.to_string_lossy().ends_with(&format!("00{k}.input.txt")))
                .unwrap();
            serde_json::json!({"id": k, "text": fs::read_to_string(path).unwrap()}).to_string()
        })
        .collect();
    let once = pith()
        .arg("-q")
        .write_stdin(seeds.join("\n"))
        .output()
        .unwrap();
    let first = jsonl(&once);
    // The seeds' titles are their first lines: `title_line` says so.
    assert!(first.iter().any(|r| r["title_line"] == 1), "{first:?}");
    for r in &first {
        assert!(r["title_line"].is_null() || r["title_line"] == 1, "{r}");
    }
    let twice = pith()
        .arg("-q")
        .write_stdin(stdout_of(&once))
        .output()
        .unwrap();
    let second = jsonl(&twice);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a["text"], b["text"], "{}", a["id"]);
    }
    // Without its `title_line`, a record is cleaned as its text alone.
    let bare: Vec<String> = first
        .iter()
        .map(|r| {
            serde_json::json!({"id": r["id"], "title": r["title"], "text": r["text"]}).to_string()
        })
        .collect();
    let out = pith()
        .arg("-q")
        .write_stdin(bare.join("\n"))
        .output()
        .unwrap();
    for (r, b) in jsonl(&out).iter().zip(&first) {
        let alone = pith()
            .args(["-q", "--output", "json", "--no-title"])
            .write_stdin(b["text"].as_str().unwrap().to_string())
            .output()
            .unwrap();
        let alone: Value = serde_json::from_str(&stdout_of(&alone)).unwrap();
        assert_eq!(r["removed"], alone["removed"], "{}", b["id"]);
    }
}

#[test]
fn a_failure_to_write_the_output_exits_3() {
    let out = Command::new(env!("CARGO_BIN_EXE_pith"))
        .arg(fixture("seeds/000.input.txt"))
        .stdout(fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
}

#[test]
fn rules_check_refuses_a_phrase_that_would_take_minutes_to_compile() {
    let dir = temp_dir("long-phrase");
    let path = dir.join("long.toml");
    let phrase = format!("{}c", "ab ".repeat(10_000));
    fs::write(
        &path,
        format!(
            "[[rule]]\nid = \"t.long\"\naction = \"drop-line\"\nline_contains = [\"{phrase}\"]\n"
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    for args in [&["rules", "check"][..], &["--rules"]] {
        let out = pith()
            .args(args)
            .arg(&path)
            .write_stdin("text")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("rule #1 (t.long)") && stderr.contains("30001 bytes long"),
            "{stderr}"
        );
    }
    assert!(started.elapsed().as_secs() < 20);
}

/// The first ```toml block of the README's Rules section.
fn readme_rule_example() -> String {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let rules = readme.split("\n## Rules\n").nth(1).unwrap();
    let block = rules.split("```toml\n").nth(1).unwrap();
    block.split("```").next().unwrap().to_string()
}

#[test]
fn a_user_rule_replaces_the_builtin_rule_of_its_id_and_says_so_once() {
    let dir = temp_dir("replace");
    let file = dir.join("mine.toml");
    fs::write(
        &file,
        "[[rule]]\nid = \"comments.leave-a-reply\"\naction = \"drop-line\"\nline_is = [\"Leave a Reply\"]\nexamples = [\"Leave a Reply\"]\nnear_misses = [\"Leave it.\"]\n",
    )
    .unwrap();
    let input = "The article's first line.\n\nLeave a Reply\n\nA comment that stays now.\n";
    let out = pith()
        .arg("--rules")
        .arg(&file)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("A comment that stays now."));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("replaces the built-in rule").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("mine.toml: rule `comments.leave-a-reply`"),
        "{stderr}"
    );
    // `rules check` checks against the rules in force, as the filter loads them.
    let out = pith().args(["rules", "check"]).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two user rules of one id are still a mistake, for the filter and for check.
    let twice = dir.join("twice");
    fs::create_dir_all(&twice).unwrap();
    fs::copy(&file, twice.join("a.toml")).unwrap();
    fs::copy(&file, twice.join("b.toml")).unwrap();
    for args in [vec!["--rules"], vec!["rules", "check"]] {
        let out = pith()
            .args(&args)
            .arg(&twice)
            .write_stdin("x")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("defined twice"));
    }
}

#[test]
fn the_readme_rule_example_works_with_the_default_rules() {
    let dir = temp_dir("readme-rules");
    let file = dir.join("readme.toml");
    fs::write(&file, readme_rule_example()).unwrap();
    let out = pith().args(["rules", "check"]).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = pith().args(["rules", "test"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", stdout_of(&out));
    let out = pith()
        .arg("--rules")
        .arg(&file)
        .arg(fixture("seeds/000.input.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rules_show_prints_a_rule_as_toml_that_loads_back() {
    let out = pith()
        .args(["rules", "show", "comments.leave-a-reply"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout_of(&out);
    assert!(
        text.contains("[[rule]]") && text.contains("\"Post a Comment\""),
        "{text}"
    );
    let dir = temp_dir("show");
    let file = dir.join("shown.toml");
    fs::write(&file, &text).unwrap();
    let out = pith().args(["rules", "check"]).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = pith()
        .args(["rules", "show", "structure.title"])
        .output()
        .unwrap();
    assert!(stdout_of(&out).contains("structural pass"));
    let out = pith()
        .args(["rules", "show", "no.such-rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_list_is_sorted_by_id() {
    let out = pith().args(["rules", "list"]).output().unwrap();
    let text = stdout_of(&out);
    let ids: Vec<&str> = text
        .lines()
        .take_while(|l| !l.contains("  pass  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.len() > 100);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "not sorted");
}

#[test]
fn global_options_work_before_a_subcommand() {
    let dir = temp_dir("global");
    let file = dir.join("r.toml");
    fs::write(&file, RULE).unwrap();
    let input = dir.join("a.txt");
    fs::write(&input, "Text before.\nCustom Banner\nText after.\n").unwrap();
    for args in [
        vec![
            "--rules",
            file.to_str().unwrap(),
            "explain",
            input.to_str().unwrap(),
        ],
        vec![
            "explain",
            "--rules",
            file.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
    ] {
        let out = pith().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout_of(&out).contains("- custom.banner"), "{args:?}");
    }
    let out = pith()
        .args(["--disable", "comments.*", "rules", "list"])
        .output()
        .unwrap();
    assert!(!stdout_of(&out).contains("comments.leave-a-reply"));
}

#[test]
fn disable_of_a_family_without_glob_suggests_it() {
    let out = pith()
        .args(["--disable", "comments"])
        .write_stdin("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("write 'comments.*'"), "{stderr}");
}

#[test]
fn quiet_by_default_unless_a_terminal_or_summary() {
    let input = fs::read(fixture("seeds/000.input.txt")).unwrap();
    let out = pith().write_stdin(input.clone()).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "no summary in a script"
    );
    let out = pith().arg("--summary").write_stdin(input).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("pith: 1 record, 0 failed"), "{stderr}");
    // Per-record errors still go to standard error.
    let out = pith()
        .args(["--input", "jsonl"])
        .write_stdin("{bad\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("<stdin>:1: invalid JSON"), "{stderr}");
    assert!(!stderr.contains("records,"), "{stderr}");
}

/// The number after `"key": ` in `text`.
fn number_after(text: &str, key: &str) -> f64 {
    let at = text.find(&format!("\"{key}\": ")).unwrap() + key.len() + 4;
    let rest = &text[at..];
    let end = rest.find([',', '}']).unwrap();
    rest[..end].trim().parse().unwrap()
}

#[test]
fn the_readme_summary_line_agrees_with_its_stats_json() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("pith: 251 records"))
        .unwrap();
    let json = readme.split("```json\n{\"records\"").nth(1).unwrap();
    let json = format!("{{\"records\"{}", json.split("```").next().unwrap());
    let records = number_after(&json, "records");
    let share = number_after(&json, "removed_share");
    let bytes = number_after(&json, "bytes_read");
    let seconds = number_after(&json, "seconds");
    let threads = number_after(&json, "threads");
    let chars = 1.0 - number_after(&json, "chars_out") / number_after(&json, "chars_in");
    assert!((chars - share).abs() < 1e-4);
    let expected = format!(
        "pith: {records} records, {} failed, {} flagged; {:.1}% of text removed; {:.1} MB in {seconds:.2} s ({:.0} MB/s, {threads} threads)",
        number_after(&json, "failed"),
        number_after(&json, "flagged"),
        100.0 * share,
        bytes / 1e6,
        bytes / 1e6 / seconds,
    );
    assert_eq!(line, expected);
}

/// Three JSONL records holding the first three seed articles, ids r0 to r2.
fn seed_jsonl() -> String {
    (0..3)
        .map(|i| {
            let text = fs::read_to_string(fixture(&format!("seeds/00{i}.input.txt"))).unwrap();
            format!(
                "{}\n",
                serde_json::json!({"id": format!("r{i}"), "text": text})
            )
        })
        .collect()
}

/// The first line of `pith explain ARGS` on `stdin`.
fn explain_first_line(args: &[&str], stdin: Vec<u8>) -> (String, std::process::Output) {
    let out = pith()
        .arg("explain")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let first = stdout_of(&out)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    (first, out)
}

#[test]
fn explain_reads_what_the_filter_reads_and_picks_a_record() {
    let dir = temp_dir("explain-inputs");
    let title = "Russia moves to defuse border tensions";
    // gzip, from a file and from standard input without `-`.
    let gz = dir.join("a.txt.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(&fs::read(fixture("seeds/000.input.txt")).unwrap())
        .unwrap();
    fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let (first, _) = explain_first_line(&[gz.to_str().unwrap()], Vec::new());
    assert!(first.contains(title), "{first}");
    let (first, _) = explain_first_line(&[], fs::read(&gz).unwrap());
    assert!(first.contains(title), "{first}");
    // JSONL: the first record by default (with a note), or one by id or number.
    let jsonl = seed_jsonl().into_bytes();
    let (first, out) = explain_first_line(&[], jsonl.clone());
    assert!(first.contains(title), "{first}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--record N or --id ID"));
    let (by_id, _) = explain_first_line(&["--id", "r2"], jsonl.clone());
    let (by_number, _) = explain_first_line(&["--record", "3"], jsonl.clone());
    assert!(by_id.contains("Who is Responsible"), "{by_id}");
    assert_eq!(by_id, by_number);
    let (_, out) = explain_first_line(&["--id", "nope"], jsonl);
    assert_eq!(out.status.code(), Some(2));
    // --split: documents are named FILE:LINE, as the filter names them.
    let (first, _) = explain_first_line(
        &["--split", "nul", "--id", "<stdin>:2"],
        b"one\n\0two\n".to_vec(),
    );
    assert!(first.ends_with("two"), "{first}");
    // A record that cannot be read: exit 1 with the filter's message.
    let (_, out) = explain_first_line(&["--input", "jsonl"], b"{bad\n".to_vec());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:1: invalid JSON"));
}

#[test]
fn a_whole_document_from_standard_input_has_the_id_stdin() {
    let out = pith()
        .args(["--output", "jsonl"])
        .write_stdin("Some text of an article.\n")
        .output()
        .unwrap();
    assert_eq!(jsonl(&out)[0]["id"], "<stdin>");
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = pith().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = stdout_of(&out);
        assert!(
            script.contains("explain") && script.contains("no-default-rules"),
            "{shell}"
        );
    }
    let out = pith().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = pith().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = stdout_of(&out);
    assert!(
        page.contains(".TH pith 1") && page.contains("explain") && page.contains("\\-\\-summary"),
        "{page}"
    );
}

#[test]
fn json_output_of_several_documents_is_one_json_array() {
    let one = pith()
        .args(["--output", "json"])
        .arg(fixture("seeds/000.input.txt"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout_of(&one)).unwrap();
    assert!(v.is_object());
    // Several files, one that cannot be opened: an array, its error in place.
    let out = pith()
        .args(["--output", "json"])
        .arg(fixture("seeds/000.input.txt"))
        .arg("/nonexistent/x.txt")
        .arg(fixture("seeds/001.input.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        serde_json::from_str::<Value>(&stdout_of(&one)).unwrap()
    );
    assert!(items[1]["error"].is_string());
    // JSONL input cut into many batches, on several threads.
    for threads in ["1", "3"] {
        let out = pith()
            .args(["--output", "json", "--batch-bytes", "100", "-j", threads])
            .write_stdin(seed_jsonl())
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        let ids: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["r0", "r1", "r2"]);
    }
}

#[test]
fn fields_no_removed_and_prefix_shape_the_json_records() {
    let input = r#"{"id":"a","title":"Input title","language":"xx","text":"The storm hit the coast on Monday, and the town was flooded by noon.\n\nAdvertisement\n"}"#;
    let run = |args: &[&str]| {
        let out = pith()
            .args(["--input", "jsonl"])
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            jsonl(&out).remove(0),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (all, stderr) = run(&[]);
    assert!(all.get("removed").is_some());
    // The input's fields win, and standard error says so once.
    assert_eq!(
        (all["title"].as_str(), all["language"].as_str()),
        (Some("Input title"), Some("xx"))
    );
    assert!(
        stderr.contains("`title`, `language` kept") && stderr.contains("--prefix"),
        "{stderr}"
    );
    let (slim, _) = run(&["--no-removed"]);
    assert!(slim.get("removed").is_none() && slim.get("stats").is_some());
    let (chosen, _) = run(&["--fields", "text,author,flags"]);
    let mut keys: Vec<&str> = chosen
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["author", "flags", "id", "language", "text", "title"]);
    let (prefixed, stderr) = run(&["--prefix", "pith_", "--no-removed"]);
    assert_eq!(prefixed["title"], "Input title");
    assert_eq!(prefixed["pith_language"], "en");
    assert!(prefixed.get("pith_removed").is_none() && prefixed.get("pith_flags").is_some());
    assert!(!stderr.contains("kept"), "{stderr}");
    let out = pith()
        .args(["--fields", "text,nope"])
        .write_stdin("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown output field `nope`"));
}

#[test]
fn html_input_is_flagged_with_a_hint_and_braced_text_stays_text() {
    let page = "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>The storm hit the coast.</p></body></html>\n";
    let out = pith()
        .args(["--output", "json"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert!(
        v["flags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("looks_like_html")),
        "{v}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("looks like HTML") && stderr.contains("extract the text first"),
        "{stderr}"
    );
    // Said once per run, counted in --stats.
    let dir = temp_dir("html");
    let stats = dir.join("stats.json");
    let records = format!(
        "{}\n{}\n",
        serde_json::json!({"text": page}),
        serde_json::json!({"text": page})
    );
    let out = pith()
        .arg("--stats")
        .arg(&stats)
        .write_stdin(records)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .matches("looks like HTML")
            .count(),
        1
    );
    let json: Value = serde_json::from_str(&fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(json["flags"]["looks_like_html"], 2);
    // Text is not flagged; text that opens with `{` is text, not failed JSONL.
    let braced = "{Editor's note: this story was updated.}\nThe storm hit the coast on Monday.\n{Update} More rain came.\n";
    let out = pith()
        .args(["--output", "json"])
        .write_stdin(braced)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["flags"], serde_json::json!([]));
    assert!(
        v["text"]
            .as_str()
            .unwrap()
            .contains("The storm hit the coast")
    );
    // Explain shows the flag.
    let out = pith().arg("explain").write_stdin(page).output().unwrap();
    assert!(stdout_of(&out).contains("-- flag: \"looks_like_html\""));
}

/// A small page: menus around one paragraph.
fn menu_page() -> (String, &'static str) {
    let menu = [
        "Home", "News", "World", "Politics", "Business", "Tech", "Science", "Health",
    ];
    let body = "The city council voted on Tuesday to expand the bus network to the northern suburbs, ending a debate that had lasted more than two years.";
    let mut lines: Vec<&str> = menu.to_vec();
    lines.push(body);
    lines.extend(menu.iter().rev());
    (lines.join("\n\n"), body)
}

#[test]
fn mode_chooses_page_or_article_cleaning_before_or_after_a_subcommand() {
    let (page, body) = menu_page();
    let as_page = pith()
        .args(["-q", "--mode", "page", "-"])
        .write_stdin(page.clone())
        .output()
        .unwrap();
    assert!(as_page.status.success());
    assert_eq!(stdout_of(&as_page).trim_end(), body);
    let as_article = pith()
        .args(["-q", "--mode", "article", "--output", "json", "-"])
        .write_stdin(page.clone())
        .output()
        .unwrap();
    let record: Value = serde_json::from_slice(&as_article.stdout).unwrap();
    assert!(record["text"].as_str().unwrap().contains("Politics"));
    // A global option: explain takes it too and says the mode.
    let explained = pith()
        .args(["--mode", "page", "explain"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(explained.status.success());
    assert!(
        stdout_of(&explained).contains("-- mode: page"),
        "{}",
        stdout_of(&explained)
    );
    let bad = pith().args(["--mode", "pages", "-"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn explain_shows_each_lines_score_and_the_features_that_moved_it() {
    let out = pith()
        .args(["explain", "--color", "never", "--features", "2"])
        .arg(fixture("seeds/001.input.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout_of(&out);
    let lines: Vec<&str> = text.lines().collect();
    // "    1 0.90   Russia has urged …": number, probability, text.
    let first: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(first[0], "1");
    let p: f32 = first[1].parse().unwrap();
    assert!((0.0..=1.0).contains(&p), "{}", lines[0]);
    // The next line names two features with signed log-odds.
    let why = lines[1].trim();
    assert_eq!(why.split(", ").count(), 2, "{why}");
    assert!(why.contains(" +") || why.contains(" -"), "{why}");
    assert!(
        text.contains("-- mode: article (page probability"),
        "{text}"
    );
}

#[test]
fn json_output_reads_back_as_json_records_and_a_bad_element_is_an_error_in_place() {
    let seeds: Vec<PathBuf> = (0..4)
        .map(|k| fixture(&format!("seeds/00{k}.input.txt")))
        .collect();
    let once = pith()
        .args(["-q", "--output", "json"])
        .args(&seeds)
        .output()
        .unwrap();
    assert!(once.status.success());
    let first: Value = serde_json::from_str(&stdout_of(&once)).unwrap();
    // Read back: auto detection says it reads JSON and writes JSON again.
    let twice = pith().write_stdin(stdout_of(&once)).output().unwrap();
    assert!(twice.status.success());
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("read as JSON records"),
        "{}",
        String::from_utf8_lossy(&twice.stderr)
    );
    let second: Value = serde_json::from_str(&stdout_of(&twice)).unwrap();
    let (first, second) = (first.as_array().unwrap(), second.as_array().unwrap());
    assert_eq!(first.len(), 4);
    assert_eq!(second.len(), 4);
    for (a, b) in first.iter().zip(second) {
        assert_eq!(
            (&a["id"], &a["title"], &a["text"]),
            (&b["id"], &b["title"], &b["text"])
        );
    }
    // Objects one after another (jq's output), after a BOM, with
    // --input json; an element that is not an object is an error record
    // where it stood, and the run exits 1.
    let input = "\u{feff}{\n  \"id\": \"a\",\n  \"text\": \"First body line here.\"\n}\n[1]\n{\"id\": \"c\", \"text\": \"Third.\"}\n";
    let out = pith()
        .args(["-q", "--input", "json", "--output", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let records = jsonl(&out);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["id"], "a");
    assert!(records[1]["error"].is_string(), "{}", records[1]);
    assert_eq!(records[1]["line"], 5);
    assert_eq!(records[2]["id"], "c");
    // No record: JSON output is still one JSON value.
    for (args, input) in [
        (&[][..], "[]\n"),
        (&["--input", "jsonl", "--output", "json"][..], ""),
    ] {
        let out = pith()
            .arg("-q")
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(stdout_of(&out), "[]\n", "{args:?}");
    }
    // --split is for text.
    let out = pith()
        .args(["--input", "json", "--split", "nul"])
        .write_stdin("[]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
