//! A scratch folder for one test, under the system's temporary folder and
//! removed when the test ends (pass or fail), so test runs leave nothing
//! behind.

use std::fs;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A folder that exists until this value is dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// Creates `<temp>/<prefix>-<process id>-<name>`.
    pub fn new(prefix: &str, name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
