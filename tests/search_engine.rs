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
        let medium = sample::shared_media().0.clone();
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

mod common;
use common::chromium;
use common::sample;

/// The sample's own search page (as `build` renders it) with `?q=query`, through
/// `tests/browser/more.cjs`: every result shown by «Показать ещё», the year choices counted.
fn more(query: &str) -> Value {
    let enc: String = query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let page = format!("{}?q={enc}", chromium::url(&data().join("search.html")));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/more.cjs");
    let out = Command::new("node")
        .arg(script)
        .arg(page)
        .output()
        .expect("node (see .ci/run)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from more.cjs")
}

/// A group code in the browser: the group first, its learners in name order, «Показать ещё»
/// until every result is shown, and the year filter counting the results of each year.
#[test]
fn the_search_page_shows_every_result_and_counts_the_years() {
    let r = more("ПП-БУ-25-1");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    let hits = r["hits"].as_array().expect("hits");
    let total = hits.len();
    assert!(total > 20, "{r}");
    assert_eq!(r["first"], format!("Найдено: {total}, показано 20"), "{r}");
    assert_eq!(r["status"], format!("Найдено: {total}"), "{r}");
    assert_eq!(r["clicks"], (total - 1) / 20, "{r}");
    let href = |i: usize| hits[i]["href"].as_str().unwrap_or("").to_string();
    assert!(href(0).ends_with("/groups/pp-bu-25-1.html"), "{r}");
    assert!(href(1).ends_with("/learners/ld-2025-022.html"), "{r}");
    // Every result is shown once.
    let mut all: Vec<String> = (0..total).map(href).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), total, "{r}");
    // The year choices count the results of each year: the group ran in 2025 only.
    let years: Vec<&str> = r["years"]
        .as_array()
        .expect("years")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        years.contains(&format!("2025 ({total})").as_str()),
        "{years:?}"
    );
}

/// A protocol found by a learner's surname shows that learner's result, not the first ones.
#[test]
fn a_protocols_snippet_is_the_searched_persons_result() {
    let r = more("Волков протокол");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    let protocols: Vec<&Value> = r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| {
            h["href"]
                .as_str()
                .unwrap_or("")
                .contains("/protocols.html#")
        })
        .collect();
    assert!(!protocols.is_empty(), "{r}");
    for p in protocols {
        let snippet = p["snippet"].as_str().unwrap_or("");
        assert!(
            snippet.starts_with("Волков Константин Алексеевич:"),
            "{snippet}"
        );
    }
}
