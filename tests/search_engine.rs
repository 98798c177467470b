//! One engine, tested once: the command line (tantivy) and the browser engine (`engine.js`, run by
//! `node --test` without a browser) against the same query → order vectors on the sample archive,
//! `tests/fixtures/search_vectors.json`. Each vector names the record that must come first (when
//! one must) and the first ten results in order, as the Rust side ranks them; both sides must
//! give exactly that order.
//!
//! After a deliberate change of the rules: `LETOPIS_WRITE_VECTORS=1 cargo test --test
//! search_engine` rewrites the orders (never the records that must come first), to be reviewed in
//! the diff.

use letopis::search::query::{Filters, Searcher};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const TOP: usize = 10;

fn vectors_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search_vectors.json")
}

/// The sample archive's `data/` folder, built once by `letopis build sample-data --draft`.
fn data() -> &'static Path {
    static DATA: OnceLock<PathBuf> = OnceLock::new();
    DATA.get_or_init(|| {
        let medium = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search_engine_medium");
        if medium.exists() {
            std::fs::remove_dir_all(&medium).expect("old medium");
        }
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
        let out = Command::new(env!("CARGO_BIN_EXE_letopis"))
            .arg("build")
            .arg(&sample)
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
        let archive = std::fs::read_dir(&medium)
            .expect("medium")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.join("data/index/meta.json").is_file())
            .expect("an archive on the medium");
        archive.join("data")
    })
}

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(vectors_path()).expect("vectors");
    serde_json::from_str(&text).expect("vectors parse")
}

#[test]
fn the_command_line_gives_the_orders_of_the_vectors() {
    let searcher = Searcher::open_dir(&data().join("index")).expect("open index");
    let mut vectors = vectors();
    let write = std::env::var_os("LETOPIS_WRITE_VECTORS").is_some();
    let mut wrong = Vec::new();
    for v in &mut vectors {
        let q = v["query"].as_str().expect("query").to_string();
        let pages: Vec<String> = searcher
            .search(&q, &Filters::default(), TOP)
            .expect("search")
            .into_iter()
            .map(|h| h.page)
            .collect();
        if let Some(first) = v["first"].as_str()
            && pages.first().map(String::as_str) != Some(first)
        {
            wrong.push(format!("{q}: {first} must come first, got {pages:?}"));
        }
        if write {
            v["order"] = pages.iter().map(|p| Value::from(p.as_str())).collect();
        } else if v["order"] != Value::from(pages.clone()) {
            wrong.push(format!("{q}: expected {}, got {pages:?}", v["order"]));
        }
    }
    if write {
        let text = serde_json::to_string_pretty(&vectors).expect("json");
        std::fs::write(vectors_path(), text + "\n").expect("write vectors");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `node --test` runs `tests/browser/engine.test.cjs`: unit tests of the engine's functions, the
/// ES2017 check of the shipped script, and the same vectors on the sample's browser index.
#[test]
fn the_browser_engine_gives_the_orders_of_the_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg("--test")
        .arg(dir.join("tests/browser/engine.test.cjs"))
        .env("LETOPIS_SEARCH_DIR", data().join("search"))
        .env("LETOPIS_VECTORS", vectors_path())
        .output()
        .expect("node (tests/browser needs Node.js and `npm ci`)");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
