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
