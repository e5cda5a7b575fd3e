//! `pith eval` must agree with the shared scorer (`../shared/eval/score.py`)
//! to three decimals on the same outputs. Needs the corpus: under CI
//! (`CI=true`) its absence is a failure, elsewhere the test skips with a notice.

use std::path::PathBuf;
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;
use pith::Cleaner;
use serde_json::Value;

mod common;

fn shared() -> Option<PathBuf> {
    common::shared_with(
        &["corpus/dev", "eval/score.py"],
        "the scorer agreement test",
    )
}

#[test]
fn pith_eval_agrees_with_score_py() {
    let Some(shared) = shared() else {
        return;
    };
    let corpus = shared.join("corpus/dev");
    let cleaner = Cleaner::builtin().unwrap();
    for flavour in ["page", "residue"] {
        let out = std::env::temp_dir().join(format!("pith-agree-{}-{flavour}", std::process::id()));
        std::fs::create_dir_all(&out).unwrap();
        for entry in std::fs::read_dir(&corpus).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if let Some(id) = name.strip_suffix(&format!(".{flavour}.txt")) {
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(out.join(format!("{id}.txt")), cleaner.clean(&text).text).unwrap();
            }
        }
        let python = Command::new("python3")
            .arg(shared.join("eval/score.py"))
            .arg("--gold-dir")
            .arg(&corpus)
            .arg("--pred-dir")
            .arg(&out)
            .arg("--json")
            .output()
            .expect("python3 runs");
        assert!(
            python.status.success(),
            "{}",
            String::from_utf8_lossy(&python.stderr)
        );
        let reference: Value = serde_json::from_slice(&python.stdout).unwrap();
        let ours = cargo_bin_cmd!("pith")
            .args(["eval", "--json", "--worst", "0", "--flavour", flavour])
            .arg(&corpus)
            .output()
            .unwrap();
        assert!(ours.status.success());
        let ours: Value = serde_json::from_slice(&ours.stdout).unwrap();
        for key in ["p", "r", "f1"] {
            let a = reference["summary"][key].as_f64().unwrap();
            let b = ours["summary"][key].as_f64().unwrap();
            assert!(
                (a - b).abs() < 5e-4,
                "{flavour} {key}: score.py {a:.4} vs pith eval {b:.4}"
            );
        }
        assert_eq!(reference["summary"]["n_docs"], ours["summary"]["n_docs"]);
        std::fs::remove_dir_all(&out).unwrap();
    }
}
