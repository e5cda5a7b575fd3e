//! Shared by the integration tests that read `../shared`.

use std::path::{Path, PathBuf};

/// `../shared` when every one of `needed` (paths inside it) exists. When
/// one is missing: a failure under CI (`CI=true`), elsewhere `None` and a
/// notice that `test` is skipped.
pub fn shared_with(needed: &[&str], test: &str) -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if needed.iter().all(|p| shared.join(p).exists()) {
        return Some(shared);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "../shared/{} are required under CI",
        needed.join(", ../shared/")
    );
    eprintln!(
        "notice: ../shared/{} not found; skipping {test}",
        needed.join(" or ")
    );
    None
}
