//! The system Chromium for the tests that open archives by `file://`: the headless command line
//! that works here (see ../shared/NOTES.md), and the search page driven by
//! `tests/browser/search.cjs` (playwright-core, installed by `.ci/run`).
//! Each test file includes what it needs of this file with `#[path]`.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// The `file://` address of a local path.
pub fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `chromium --headless` with the flags a closed, rootful machine needs and its own profile.
pub fn command(profile: &Path) -> Command {
    let mut c = Command::new("chromium");
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Runs Chromium with `args` and returns what it printed; fails the test when Chromium fails.
pub fn run(profile: &Path, args: &[&str]) -> String {
    let out = command(profile).args(args).output().expect("run chromium");
    assert!(
        out.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens `page` (a search page or a medium's index), optionally chooses a group and a year, types
/// `query` into the search box and returns what `search.cjs` reports: status, hits (text, href,
/// marks), the scripts loaded, errors, and the page the first result opened.
pub fn browse(page: &Path, query: &str, group: &str, year: &str) -> serde_json::Value {
    search_cjs(page, &[query, group, year])
}

/// As [`browse`], with the query pasted into the box in one go rather than typed key by key, so
/// that the scripts it loads do not depend on the pace of the keys.
pub fn browse_pasted(page: &Path, query: &str) -> serde_json::Value {
    search_cjs(page, &[query, "", "", "paste"])
}

fn search_cjs(page: &Path, args: &[&str]) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.cjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(url(page))
        .args(args)
        .output()
        .expect("node (see .ci/run)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from search.cjs")
}

/// The file names of the scripts a search loaded, in the order it asked for them.
pub fn loaded(r: &serde_json::Value) -> Vec<String> {
    r["loaded"]
        .as_array()
        .expect("loaded")
        .iter()
        .map(|u| {
            let u = u.as_str().unwrap_or("");
            u.rsplit('/').next().unwrap_or("").to_string()
        })
        .collect()
}
