//! The archive's search in a real headless Firefox (the stock Debian firefox-esr), opened by
//! file:// with no network, as a user would: `letopis build sample-data --out A --out B`, then
//! tests/browser/firefox.cjs types into the search page and follows the first result.
//! Firefox gives every file:// page its own origin, so this is where the search runtime's
//! classic-script loading is checked apart from Chromium.
//! Needs /usr/bin/firefox-esr and tests/browser/node_modules (both installed by .ci/run).

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::sample;

fn bin() -> Command {
    common::cli::command()
}

fn build(input: &Path, outs: &[&Path]) {
    let mut cmd = bin();
    cmd.arg("build").arg(input);
    for out in outs {
        cmd.arg("--out").arg(out);
    }
    let out = cmd.arg("-q").output().expect("letopis build");
    assert!(
        out.status.success(),
        "letopis build {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The two media written by `letopis build sample-data --out A --out "Носитель Б"`, built once per
/// test run (the second as a USB stick with a Russian label: a space and Cyrillic letters in every
/// address of its pages and scripts).
fn media() -> &'static (PathBuf, PathBuf) {
    sample::shared_media()
}

/// The archive's data/ folder on a medium.
fn data(medium: &Path) -> PathBuf {
    medium.join("gorizont-2025").join("data")
}

/// The file:// address of a path as the browser shows it (UTF-8, percent-encoded).
fn url(path: &Path) -> String {
    let path = path.to_str().expect("a UTF-8 path");
    format!("file://{}", escape(path, b"/-._~"))
}

/// A query string's value as a browser's address bar sends it (UTF-8, percent-encoded).
fn encode(s: &str) -> String {
    escape(s, b"-")
}

fn escape(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || keep.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn node(script: &str, address: &str, query: &str, group: &str, year: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser")
        .join(script);
    let out = Command::new("node")
        .arg(&script)
        .args([address, query, group, year])
        .output()
        .expect("node (see .ci/run)");
    assert!(
        out.status.success(),
        "{} {address} {query}: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from the browser script")
}

/// Opens `address` in Firefox, types `query` (none: the address's own query runs on load) after
/// choosing `group` and `year`, and reports the results and the page the first result opened.
fn firefox(address: &str, query: &str, group: &str, year: &str) -> Value {
    let r = node("firefox.cjs", address, query, group, year);
    assert!(
        r["browser"].as_str().unwrap_or("").starts_with("firefox/"),
        "{r}"
    );
    r
}

fn hrefs(r: &Value) -> Vec<String> {
    r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["href"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_surname_in_an_oblique_case_finds_and_opens_the_learner() {
    let data = data(&media().0);
    let r = firefox(&url(&data.join("search.html")), "Смирновой", "", "");
    assert_eq!(r["errors"], json!([]), "{r}");
    assert_eq!(r["status"], "Найдено: 7", "{r}");
    assert_eq!(
        hrefs(&r)[..4],
        [
            url(&data.join("learners/ld-2025-002.html")),
            url(&data.join("issued.html")) + "#doc-pk-25-017",
            url(&data.join("learners/ld-2025-011.html")),
            url(&data.join("issued.html")) + "#doc-pk-25-016",
        ],
        "{r}"
    );
    let first = &r["hits"][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("Смирнова Гульнара Алексеевна слушатель · группа ПК-ЦОС-25-1 · год 2025"),
        "{r}"
    );
    // The form the query was found in is highlighted, in the title and the snippet alike.
    assert_eq!(first["marks"], json!(["Смирнова"]), "{r}");
    assert_eq!(r["hits"][2]["marks"], json!(["Смирнов"]), "{r}");
    // The index files came by script tags: the page's own meta.js, then the word's shard.
    let loaded = r["loaded"].as_array().expect("loaded");
    assert_eq!(
        loaded[0],
        url(&data.join("search/meta.js")),
        "the page's own meta.js first: {r}"
    );
    assert!(
        loaded.contains(&json!(url(&data.join("search/s-smi.js")))),
        "{r}"
    );
    assert_eq!(
        r["opened"],
        json!({
            "url": url(&data.join("learners/ld-2025-002.html")),
            "title": "Личное дело: Смирнова Гульнара Алексеевна — АНО ДПО «Горизонт», 2025 календарный год",
        }),
        "{r}"
    );
}

/// A search page opened with its query in the address (as the search box in every page's header
/// sends it, and as a bookmark keeps it) runs that query on load; on the second medium, whose
/// path has a space and Cyrillic letters.
#[test]
fn the_query_in_the_address_runs_on_load() {
    let data = data(&media().1);
    let address = format!(
        "{}?q={}+{}&group={}",
        url(&data.join("search.html")),
        encode("Смирнова"),
        encode("Гульнара"),
        encode("ПК-ЦОС-25-1")
    );
    let r = firefox(&address, "", "", "");
    assert_eq!(r["errors"], json!([]), "{r}");
    assert_eq!(
        r["form"],
        json!({"q": "Смирнова Гульнара", "group": "ПК-ЦОС-25-1", "year": ""}),
        "{r}"
    );
    assert_eq!(
        hrefs(&r)[0],
        url(&data.join("learners/ld-2025-002.html")),
        "{r}"
    );
    assert_eq!(
        r["hits"][0]["marks"],
        json!(["Смирнова", "Гульнара"]),
        "{r}"
    );
    assert!(
        r["hits"].as_array().expect("hits").iter().all(|h| h["text"]
            .as_str()
            .unwrap_or("")
            .contains("группа ПК-ЦОС-25-1")),
        "{r}"
    );
    assert_eq!(
        r["opened"]["url"],
        url(&data.join("learners/ld-2025-002.html")),
        "{r}"
    );
}

/// The group and year filters narrow the results, and Firefox shows exactly what Chromium shows.
#[test]
fn filters_narrow_the_results_as_in_chromium() {
    let data = data(&media().0);
    let page = url(&data.join("search.html"));
    let all = firefox(&page, "аналитика", "", "");
    let group = firefox(&page, "аналитика", "ПК-ЦОС-25-1", "");
    for r in [&all, &group] {
        assert_eq!(r["errors"], json!([]), "{r}");
    }
    assert_eq!(all["status"], "Найдено: 3", "{all}");
    assert_eq!(group["status"], "Найдено: 2", "{group}");
    assert_eq!(group["form"]["group"], "ПК-ЦОС-25-1", "{group}");
    assert_eq!(
        hrefs(&group),
        [
            url(&data.join("groups/pk-tsos-25-1.html")) + "#lesson-tsos-25-1-z15",
            url(&data.join("learners/ld-2025-006.html")),
        ],
        "{group}"
    );
    assert!(
        hrefs(&all)
            .contains(&(url(&data.join("groups/pk-tsos-24-2.html")) + "#lesson-tsos-24-2-z15"))
    );
    assert_eq!(
        group["opened"],
        json!({
            "url": url(&data.join("groups/pk-tsos-25-1.html")) + "#lesson-tsos-25-1-z15",
            "title": "Журнал группы ПК-ЦОС-25-1 — АНО ДПО «Горизонт», 2025 календарный год",
        }),
        "{group}"
    );

    let year = firefox(&page, "зачислении", "", "2024");
    assert_eq!(year["errors"], json!([]), "{year}");
    assert_eq!(year["status"], "Найдено: 1", "{year}");
    assert_eq!(
        hrefs(&year),
        [url(&data.join("orders.html")) + "#order-115-z"],
        "{year}"
    );
    assert!(
        year["hits"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("год 2024"),
        "{year}"
    );

    // The same hits, highlights and opened page as in Chromium (tests/browser/search.cjs).
    let chromium = node("search.cjs", &page, "аналитика", "ПК-ЦОС-25-1", "");
    assert_eq!(chromium["errors"], json!([]), "{chromium}");
    assert_eq!(chromium["status"], group["status"]);
    assert_eq!(chromium["hits"], group["hits"]);
    assert_eq!(chromium["opened"], group["opened"]);
}

/// Copies the sample as the previous period (2024), builds both periods onto two media, and
/// searches from the medium's index.html, whose page loads scripts from both archives' folders
/// (other origins, for Firefox).
#[test]
fn the_medium_index_searches_every_period_newest_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = sample::sample();
    let old = sample::previous_period(&tmp.path().join("input-2024"));
    let (medium, copy) = (tmp.path().join("A"), tmp.path().join("B"));
    build(&old, &[&medium, &copy]);
    build(&sample, &[&medium, &copy]);
    let index = url(&medium.join("index.html"));
    let learner = |period: &str| {
        url(&medium.join(format!("gorizont-{period}/data/learners/ld-2025-002.html")))
    };

    let r = firefox(&index, "Смирновой", "", "");
    assert_eq!(r["errors"], json!([]), "{r}");
    assert_eq!(
        r["headings"],
        json!([
            "2025 календарный год gorizont-2025",
            "2024 календарный год gorizont-2024"
        ]),
        "{r}"
    );
    assert_eq!(r["status"], "Найдено: 14", "{r}");
    let h = hrefs(&r);
    let (a, b) = (
        h.iter().position(|x| *x == learner("2025")),
        h.iter().position(|x| *x == learner("2024")),
    );
    assert_eq!((a, b), (Some(0), Some(7)), "{r}");
    assert_eq!(r["opened"]["url"], learner("2025"), "{r}");

    // The year list comes from both archives' meta.js; a year keeps each archive's records of
    // that year only.
    let r = firefox(&index, "зачислении", "", "2024");
    assert_eq!(r["errors"], json!([]), "{r}");
    assert_eq!(r["form"]["year"], "2024", "{r}");
    assert_eq!(r["status"], "Найдено: 4", "{r}");
    assert_eq!(
        r["headings"],
        json!([
            "2025 календарный год gorizont-2025",
            "2024 календарный год gorizont-2024"
        ]),
        "{r}"
    );
    let order = |period: &str| {
        url(&medium.join(format!("gorizont-{period}/data/orders.html"))) + "#order-115-z"
    };
    assert_eq!(hrefs(&r)[..2], [order("2025"), order("2024")], "{r}");
    assert!(
        r["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|h| h["text"].as_str().unwrap_or("").contains(" · год 2024")),
        "{r}"
    );
}

/// The check for page errors can fail: a page that throws, logs an error and names a script
/// file that is not there reports all three, while its search still works.
#[test]
fn page_errors_and_missing_scripts_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = data(&media().0);
    let to = tmp.path().join("data");
    for e in walkdir::WalkDir::new(from.join("search"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&from).expect("rel");
        if e.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).expect("mkdir");
        } else {
            std::fs::copy(e.path(), to.join(rel)).expect("copy");
        }
    }
    std::fs::create_dir_all(to.join("learners")).expect("learners");
    std::fs::copy(
        from.join("learners/ld-2025-002.html"),
        to.join("learners/ld-2025-002.html"),
    )
    .expect("learner page");
    std::fs::write(
        to.join("search.html"),
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Поиск</title></head><body>
<form id="search-form" action="search.html" method="get"><input id="q" name="q" type="search"></form>
<div id="search-results"></div>
<script src="search/search.js"></script><script src="search/s-zzz.js"></script>
<script>console.error("ошибка в консоли"); notDefinedAnywhere();</script></body></html>"#,
    )
    .expect("page");
    let r = firefox(&url(&to.join("search.html")), "Смирновой", "", "");
    let errors: Vec<&str> = r["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(errors.contains(&"ошибка в консоли"), "{r}");
    assert!(
        errors.iter().any(|e| e.contains("notDefinedAnywhere")),
        "{r}"
    );
    assert!(
        errors
            .contains(&format!("script not loaded: {}", url(&to.join("search/s-zzz.js"))).as_str()),
        "{r}"
    );
    assert_eq!(r["status"], "Найдено: 7", "{r}");
}
