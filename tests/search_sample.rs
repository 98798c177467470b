//! Search on the sample: `letopis build sample-data`, then `letopis search` and the search page in
//! a real headless Chromium, as a user would.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod common;
use chromium::url;
use common::chromium;

use common::sample;

fn bin() -> Command {
    common::cli::command()
}

/// The medium written by `letopis build sample-data --out <medium> --draft` (built once).
fn medium() -> &'static Path {
    static MEDIUM: OnceLock<PathBuf> = OnceLock::new();
    MEDIUM.get_or_init(|| sample::shared_media().0.clone())
}

fn search(args: &[&str]) -> Vec<Value> {
    let out = bin()
        .arg("search")
        .arg(medium())
        .args(args)
        .arg("--json")
        .output()
        .expect("letopis search");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("--json parses")
}

fn pages(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["page"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_surname_in_three_cases_finds_the_learner() {
    for q in ["Смирновой", "Смирновым", "Смирнову"] {
        let hits = search(&[q, "--kind", "learner"]);
        let p = pages(&hits);
        assert!(
            p.contains(&"learners/ld-2025-002.html".to_string()),
            "{q}: {p:?}"
        );
        assert_eq!(hits.len(), 2, "Смирнова and Смирнов: {q}: {p:?}");
    }
    // The person first when searching without a kind.
    let hits = search(&["Смирновой"]);
    assert_eq!(hits[0]["title"], "Смирнова Гульнара Алексеевна");
    assert_eq!(hits[0]["page"], "learners/ld-2025-002.html");
    assert_eq!(hits[0]["groups"], serde_json::json!(["ПК-ЦОС-25-1"]));
    assert_eq!(hits[0]["period"], "2025");
    let file = hits[0]["file"].as_str().expect("file");
    assert!(Path::new(file).is_file(), "{file}");
    assert!(
        file.ends_with("gorizont-2025/data/learners/ld-2025-002.html"),
        "{file}"
    );
}

#[test]
fn a_topic_word_in_an_oblique_case_finds_the_lesson() {
    let hits = search(&["аналитике", "--kind", "lesson"]);
    assert_eq!(
        pages(&hits),
        [
            "groups/pk-tsos-24-2.html#lesson-tsos-24-2-z15",
            "groups/pk-tsos-25-1.html#lesson-tsos-25-1-z15"
        ]
    );
    assert_eq!(
        hits[0]["title"],
        "Учебная аналитика: отчёты и журналы платформы"
    );
}

#[test]
fn group_codes_and_certificate_numbers_with_or_without_separators() {
    let hits = search(&["ПК-ЦОС-25-1", "--kind", "group"]);
    assert_eq!(pages(&hits), ["groups/pk-tsos-25-1.html"]);
    for q in [
        "0003558",
        "662418 0003558",
        "ПК-25/017",
        "ПК25017",
        "855-843-911 55",
        "85584391155",
    ] {
        let hits = search(&[q, "--kind", "certificate"]);
        assert_eq!(pages(&hits), ["issued.html#doc-pk-25-017"], "{q}");
    }
}

#[test]
fn yo_and_e_are_the_same_letter() {
    for (q, page) in [
        ("Алешина", "learners/ld-2025-004.html"),
        ("Алёшина", "learners/ld-2025-004.html"),
        ("Киселевым", "learners/ld-2025-008.html"),
    ] {
        let hits = search(&[q, "--kind", "learner"]);
        assert_eq!(pages(&hits), [page], "{q}");
    }
}

#[test]
fn filters_by_year_and_group_narrow_results() {
    let all = search(&["зачислении", "--kind", "order"]);
    let y2024 = search(&["зачислении", "--kind", "order", "--year", "2024"]);
    assert!(all.len() > y2024.len() && !y2024.is_empty(), "{all:?}");
    assert!(
        y2024
            .iter()
            .all(|h| h["years"] == serde_json::json!(["2024"]))
    );
    let all = search(&["Алёшина"]);
    let group = search(&["Алёшина", "--group", "ОР-ФОТО-25"]);
    assert!(all.len() > group.len() && !group.is_empty());
    assert!(group.iter().all(|h| {
        h["groups"]
            .as_array()
            .is_some_and(|g| g.contains(&Value::from("ОР-ФОТО-25")))
    }));
}

/// Types `query` into the archive's search page in Chromium (tests/browser/search.cjs).
fn browse(query: &str, group: &str) -> Value {
    chromium::browse(
        &medium().join("gorizont-2025/data/search.html"),
        query,
        group,
        "",
    )
}

#[test]
fn the_archive_search_page_in_chromium() {
    let r = browse("Смирновой", "");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    let data = medium().join("gorizont-2025/data");
    assert_eq!(
        r["hits"][0]["href"],
        url(&data.join("learners/ld-2025-002.html")),
        "{r}"
    );
    assert_eq!(
        r["hits"][0]["marks"],
        serde_json::json!(["Смирнова"]),
        "{r}"
    );
    let opened = r["opened"]["title"].as_str().unwrap_or("");
    assert!(opened.contains("Смирнова Гульнара Алексеевна"), "{r}");

    let r = browse("аналитика", "ПК-ЦОС-25-1");
    let hits = r["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{r}");
    assert!(
        hits.iter()
            .all(|h| h["text"].as_str().unwrap_or("").contains("ПК-ЦОС-25-1")),
        "{r}"
    );
    assert!(
        hits.iter().any(|h| h["href"]
            == url(&data.join("groups/pk-tsos-25-1.html")).to_string() + "#lesson-tsos-25-1-z15"),
        "{r}"
    );
}

/// Copies the sample as the previous period (2024), builds both periods onto one medium, and
/// searches from the medium's index.html.
#[test]
fn the_medium_index_searches_every_period_newest_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = sample::sample();
    let old = sample::previous_period(&tmp.path().join("input-2024"));
    let medium = tmp.path().join("medium");
    for input in [&old, &sample] {
        let out = bin()
            .arg("build")
            .arg(input)
            .arg("--out")
            .arg(&medium)
            .args(["--draft", "-q"])
            .output()
            .expect("build");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let r = chromium::browse(&medium.join("index.html"), "Смирновой", "", "");
    let hrefs: Vec<&str> = r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["href"].as_str())
        .collect();
    let learner_2025 = url(&medium.join("gorizont-2025/data/learners/ld-2025-002.html"));
    let learner_2024 = url(&medium.join("gorizont-2024/data/learners/ld-2025-002.html"));
    let (a, b) = (
        hrefs.iter().position(|h| *h == learner_2025),
        hrefs.iter().position(|h| *h == learner_2024),
    );
    assert!(a.is_some() && b.is_some() && a < b, "{r}");
    assert_eq!(r["opened"]["url"], learner_2025, "{r}");
}
