//! The bundled sample as input for tests that need more than one period.
#![allow(dead_code)]

use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// The sample's archive as `letopis build sample-data --out A --out "Носитель Б"` writes it (the
/// second medium named as a USB stick with a Russian label: a space and Cyrillic letters in every
/// address), built **once per test run** and shared by every test binary that only reads it.
///
/// It lives under Cargo's scratch folder in a folder named by the binary and the sample it was built
/// from; the first test binary to ask builds it under an exclusive file lock, the others wait and
/// then read it. Tests must not change it: copy it first (`fixture::copy_dir`).
pub fn shared_media() -> &'static (PathBuf, PathBuf) {
    static MEDIA: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    MEDIA.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sample-media");
        fs::create_dir_all(&base).expect("scratch folder");
        let lock = fs::File::create(base.join(".lock")).expect("lock file");
        lock.lock().expect("lock the shared sample");
        let dir = base.join(format!("{:016x}", build_key()));
        let (a, b) = (dir.join("A"), dir.join("Носитель Б"));
        if !dir.join(".complete").exists() {
            // Older builds (another binary or sample) and a build cut short are removed first.
            for e in fs::read_dir(&base).expect("scratch folder").flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    fs::remove_dir_all(e.path()).expect("old shared sample");
                }
            }
            fs::create_dir_all(&dir).expect("shared sample folder");
            let out = super::cli::command()
                .arg("build")
                .arg(sample())
                .arg("--out")
                .arg(&a)
                .arg("--out")
                .arg(&b)
                .arg("-q")
                .output()
                .expect("letopis build");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            fs::write(dir.join(".complete"), "").expect("mark the shared sample complete");
        }
        lock.unlock().expect("unlock the shared sample");
        (a, b)
    })
}

/// What the shared sample depends on: the binary (size and modification time) and every file of
/// the sample (name and contents).
fn build_key() -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let bin = fs::metadata(env!("CARGO_BIN_EXE_letopis")).expect("the letopis binary");
    bin.len().hash(&mut h);
    bin.modified().expect("modification time").hash(&mut h);
    let root = sample();
    for e in walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        e.path().strip_prefix(&root).expect("inside").hash(&mut h);
        fs::read(e.path()).expect("sample file").hash(&mut h);
    }
    h.finish()
}
