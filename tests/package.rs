//! The package is ready to publish: licence files, crate and Python
//! metadata, and the files the binary embeds are in the package.

use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn licence_files_and_crate_metadata() {
    assert!(read("LICENSE-MIT").contains("MIT License"));
    assert!(read("LICENSE-APACHE").contains("Apache License"));
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let package = manifest["package"].as_table().unwrap();
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    for key in [
        "description",
        "rust-version",
        "readme",
        "keywords",
        "categories",
    ] {
        assert!(package.contains_key(key), "Cargo.toml lacks {key}");
    }
    // The binary embeds these with include_bytes!/include_str!.
    let include: Vec<&str> = package["include"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for needed in [
        "/models/pith.model",
        "/rules/**/*.toml",
        "/build.rs",
        "/src/**/*.rs",
    ] {
        assert!(include.contains(&needed), "include lacks {needed}");
    }
    assert!(read("CHANGELOG.md").contains("## [Unreleased]"));
    let contributing = read("CONTRIBUTING.md");
    for script in [
        "scripts/eval.sh",
        "scripts/bench.sh",
        "scripts/train.sh",
        "rules test",
    ] {
        assert!(
            contributing.contains(script),
            "CONTRIBUTING.md lacks {script}"
        );
    }
}

#[test]
fn python_package_metadata() {
    let pyproject: toml::Table = toml::from_str(&read("python/pyproject.toml")).unwrap();
    let project = pyproject["project"].as_table().unwrap();
    assert_eq!(project["license"].as_str(), Some("MIT OR Apache-2.0"));
    assert!(project.contains_key("description"));
}

/// Runs `script` under bash from the repository with `env`.
fn bash(script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new("bash");
    command
        .args(["-c", script])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn scripts_find_the_binary_where_cargo_puts_it_and_fail_loudly_without_one() {
    let out = bash(
        ". scripts/find-pith.sh && target_dir",
        &[("CARGO_TARGET_DIR", "/tmp/pith-elsewhere")],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "/tmp/pith-elsewhere"
    );
    let corpus = std::env::temp_dir().join(format!("pith-empty-corpus-{}", std::process::id()));
    fs::create_dir_all(&corpus).unwrap();
    for script in [
        "scripts/eval.sh",
        "scripts/train.sh --check",
        "scripts/memory.sh",
    ] {
        let command = format!(
            "{script} {}",
            if script.contains("eval") {
                corpus.to_str().unwrap()
            } else {
                ""
            }
        );
        let out = bash(&command, &[("PITH", "/no/such/pith")]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if script.contains("train") && stderr.contains("is missing") {
            continue; // no corpora beside the repository: it fails before.
        }
        assert_eq!(out.status.code(), Some(1), "{script}: {stderr}");
        assert!(
            stderr.contains("no pith binary at /no/such/pith"),
            "{script}: {stderr}"
        );
    }
}

#[test]
fn the_readme_opens_with_the_scope_and_what_to_pair_pith_with() {
    let readme = read("README.md");
    let first = readme.split("\n\n").nth(1).unwrap();
    for needed in [
        "plain text",
        "JSONL",
        "does not parse HTML",
        "trafilatura",
        "does not judge whole documents",
        "Gopher",
    ] {
        assert!(
            first.contains(needed),
            "the first paragraph lacks {needed:?}: {first}"
        );
    }
}
