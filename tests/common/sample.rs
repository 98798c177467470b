//! The bundled sample as input for tests that need more than one period.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The bundled `sample-data/` folder (period 2025).
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// A copy of the sample as the previous period, 2024 (its id, title, dates and build date moved
/// back a year; the records keep their own dates), written into `dir`.
pub fn previous_period(dir: &Path) -> PathBuf {
    let sample = sample();
    for e in walkdir::WalkDir::new(&sample)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&sample).expect("rel");
        let to = dir.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    let config = std::fs::read_to_string(dir.join("letopis.yaml")).expect("config");
    let config = config
        .replace("id: \"2025\"", "id: \"2024\"")
        .replace("title: 2025 календарный год", "title: 2024 календарный год")
        .replace("start: 2025-01-01", "start: 2024-01-01")
        .replace("end: 2025-12-31", "end: 2024-12-31")
        .replace("build_date: 2026-01-20", "build_date: 2025-01-20");
    std::fs::write(dir.join("letopis.yaml"), config).expect("config");
    dir.to_path_buf()
}

/// `letopis build sample-data --out <scratch>/<name> --draft -q`: a medium holding the sample's
/// archive, under Cargo's scratch folder, replaced on each run. For tests that only read it.
pub fn draft_medium(name: &str) -> PathBuf {
    let medium = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if medium.exists() {
        std::fs::remove_dir_all(&medium).expect("old medium");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_letopis"))
        .arg("build")
        .arg(sample())
        .arg("--out")
        .arg(&medium)
        .args(["--draft", "-q"])
        .output()
        .expect("letopis build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    medium
}
