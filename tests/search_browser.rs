//! The search box in a real headless Chromium, opened by file:// (no server).
//! Needs /usr/bin/chromium and tests/browser/node_modules (installed by .ci/run).

use letopis::model;
use std::path::{Path, PathBuf};

#[path = "common/period.rs"]
mod period;

mod common;
use chromium::{browse, browse_pasted, loaded, url};
use common::chromium;

/// The archive's `data/` with the search indexes and the search page (the markup of the render
/// stage's search.html: form#search-form, input#q, select#year, select#group,
/// div#search-results, search/search.js), plus the learner page a result links to.
fn archive(root: &Path) -> PathBuf {
    let data = root.join("umc-2025").join("data");
    let mut payload = letopis::layout::Payload::default();
    letopis::search::build(&period::period(), &data, &mut payload).expect("search build");
    std::fs::write(
        data.join("search.html"),
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Поиск</title></head><body>
<form id="search-form" action="search.html" method="get">
<input id="q" name="q" type="search">
<select id="year" name="year"><option value="">Все годы</option><option value="2024">2024</option><option value="2025">2025</option></select>
<select id="group" name="group"><option value="">Все группы</option><option value="ПК-12">ПК-12</option><option value="ПП-3">ПП-3</option></select>
<button type="submit">Найти</button></form>
<noscript><p>Для поиска нужен JavaScript.</p></noscript>
<div id="search-results" aria-live="polite"></div>
<script src="search/search.js"></script></body></html>"#,
    )
    .expect("search.html");
    std::fs::create_dir_all(data.join("learners")).expect("learners");
    for (file, title) in [
        ("l-001.html", "Смирнова Анна Петровна"),
        ("l-002.html", "Смирнов Олег Иванович"),
    ] {
        std::fs::write(
            data.join("learners").join(file),
            format!("<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body></body></html>"),
        )
        .expect("page");
    }
    data
}

#[test]
fn typing_a_surname_in_an_oblique_case_finds_and_opens_the_learner() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = archive(tmp.path());
    let r = browse(&data.join("search.html"), "смирновой", "", "");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    let hits = r["hits"].as_array().expect("hits");
    let first = &hits[0];
    assert_eq!(first["href"], url(&data.join("learners/l-001.html")), "{r}");
    assert!(
        first["text"]
            .as_str()
            .unwrap_or("")
            .contains("слушатель · группа ПК-12 · год 2025"),
        "{r}"
    );
    assert_eq!(first["marks"], serde_json::json!(["Смирнова"]), "{r}");
    // The link names the matched word as a text fragment: the page that opens highlights it.
    let encoded: String = "Смирнова".bytes().map(|b| format!("%{b:02X}")).collect();
    assert_eq!(first["fragment"], format!("text={encoded}"), "{r}");
    assert_eq!(r["opened"]["title"], "Смирнова Анна Петровна", "{r}");
    // Only the shards the query needs were loaded: meta, one word shard, one docs file.
    assert_eq!(loaded(&r), ["meta.js", "s-smi.js", "d-0.js"], "{r}");
}

#[test]
fn group_filter_topic_forms_and_codes_in_the_browser() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = archive(tmp.path());
    let page = data.join("search.html");
    let r = browse(&page, "Смирнову", "ПП-3", "");
    let hits = r["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{r}");
    assert_eq!(
        hits[0]["href"],
        url(&data.join("learners/l-002.html")),
        "{r}"
    );

    let r = browse(&page, "пожарной безопасности", "", "");
    let hits = r["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{r}");
    assert!(
        hits[0]["href"]
            .as_str()
            .unwrap_or("")
            .ends_with("/data/groups/pk-12.html#lesson-z-1"),
        "{r}"
    );
    assert_eq!(
        hits[0]["marks"],
        serde_json::json!(["Пожарная", "безопасность"]),
        "{r}"
    );

    for q in ["11223344595", "112-233-445 95", "0012-345"] {
        let r = browse(&page, q, "", "");
        let hits = r["hits"].as_array().expect("hits");
        assert!(
            hits.iter().any(|h| h["href"]
                .as_str()
                .unwrap_or("")
                .ends_with("/data/issued.html#doc-2025-017")),
            "{q}: {r}"
        );
    }
    let r = browse(&page, "Семенова", "", "2025");
    let hits = r["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{r}");
    assert_eq!(hits[0]["marks"], serde_json::json!(["Семёнова"]), "{r}");
    let r = browse(&page, "Семенова", "", "2024");
    assert_eq!(r["hits"], serde_json::json!([]), "{r}");
    assert_eq!(r["status"], "Ничего не найдено.", "{r}");
}

#[test]
fn the_query_in_the_address_runs_on_load() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = archive(tmp.path());
    let profile = tempfile::tempdir().expect("profile");
    let out = chromium::command(profile.path())
        .arg("--virtual-time-budget=8000")
        .arg("--dump-dom")
        .arg(format!(
            "{}?q=%D0%A1%D0%BC%D0%B8%D1%80%D0%BD%D0%BE%D0%B2%D1%8B%D0%BC",
            url(&data.join("search.html"))
        ))
        .output()
        .expect("chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    // Both Смирновы and Смирнова's certificate.
    assert!(dom.contains("Найдено: 3"), "{dom}");
    assert!(
        dom.contains(&format!(
            "<a href=\"{}#:~:text=%D0%A1%D0%BC%D0%B8%D1%80%D0%BD%D0%BE%D0%B2\"><mark>Смирнов</mark> Олег Иванович</a>",
            url(&data.join("learners/l-002.html"))
        )),
        "{dom}"
    );
}

/// A search document of group `group` and year 2025, for the tests that write a browser index
/// of their own.
fn doc(
    kind: letopis::search::docs::Kind,
    title: impl Into<String>,
    url: impl Into<String>,
    group: impl Into<String>,
    names: &[String],
    text: impl Into<String>,
) -> letopis::search::docs::SearchDoc {
    letopis::search::docs::SearchDoc {
        kind,
        title: title.into(),
        url: url.into(),
        groups: vec![group.into()],
        programmes: Vec::new(),
        years: vec![2025],
        names: names.to_vec(),
        codes: Vec::new(),
        ids: Vec::new(),
        text: text.into(),
    }
}

/// The smallest search page the runtime works in: the box, the results, search.js.
fn bare_search_page(data: &Path) {
    std::fs::write(
        data.join("search.html"),
        r#"<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Поиск</title></head><body>
<form id="search-form"><input id="q" name="q" type="search"></form>
<div id="search-results"></div><script src="search/search.js"></script></body></html>"#,
    )
    .expect("search.html");
}

/// A query for a group's code shows the group's learners, whose rows sit one per `d-<n>.js`
/// file (they are ordered by name), from the group's own file: one file instead of twenty.
#[test]
fn a_group_code_loads_the_group_file_not_one_file_per_learner() {
    use letopis::search::docs::Kind;
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("bench-2025").join("data");
    let surnames = [
        "Алексеев",
        "Белов",
        "Васильев",
        "Волков",
        "Григорьев",
        "Данилов",
        "Егоров",
        "Жуков",
        "Зайцев",
        "Ильин",
        "Козлов",
        "Лебедев",
        "Морозов",
        "Новиков",
        "Орлов",
        "Павлов",
        "Романов",
        "Соколов",
        "Тихонов",
        "Фёдоров",
    ];
    let letters = ["А", "Б", "В", "Г", "Д", "Е", "Ж", "З"];
    let endings = ["ван", "дим", "лег", "рик", "тон"];
    let mut docs = Vec::new();
    for s in surnames {
        for g in 0..40 {
            let name = format!("{s} {}{}", letters[g / 5], endings[g % 5]);
            let code = format!("ГР-{:04}", g + 1);
            docs.push(doc(
                Kind::Learner,
                name.clone(),
                format!("learners/l-{}.html", docs.len()),
                code.clone(),
                &[name],
                format!("группа {code}: обучается"),
            ));
        }
    }
    let search = data.join("search");
    letopis::search::browser::write(&docs, "2025", "2025 год", "bench-2025", &search)
        .expect("browser index");
    bare_search_page(&data);
    let r = browse_pasted(&data.join("search.html"), "ГР-0007");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    assert_eq!(r["status"], "Найдено: 20", "{r}");
    let mut titles: Vec<String> = r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["text"].as_str().unwrap_or("").to_string())
        .collect();
    titles.sort();
    let mut want: Vec<String> = surnames
        .iter()
        .map(|s| format!("{s} Бдим слушатель · группа ГР-0007 · год 2025группа ГР-0007: обучается"))
        .collect();
    want.sort();
    assert_eq!(titles, want, "{r}");
    // The box requests a word's shard as soon as the word is in it, so the order of the first
    // files may vary; what counts is which files and how few.
    let mut loaded = loaded(&r);
    loaded.sort();
    assert_eq!(
        loaded,
        ["g-gr-0007.js", "meta.js", "s-000.js", "s-gr.js", "s-gr0.js"],
        "{r}"
    );
    // Rows from the group's file link to the page like any other: the first learner by name.
    assert_eq!(
        r["hits"][0]["href"],
        url(&data.join("learners/l-6.html")),
        "{r}"
    );
}

/// A word typed half-way whose shard does not exist (`с`: no one-letter word `с` in the sample)
/// requests no file: meta.js lists the short shard keys there are.
#[test]
fn a_short_word_without_a_shard_requests_no_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = archive(tmp.path());
    let r = browse(&data.join("search.html"), "с", "", "");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    assert_eq!(r["status"], "Ничего не найдено.", "{r}");
    assert_eq!(loaded(&r), ["meta.js"], "{r}");
    // A short key that has a shard is still loaded: `12` of ПК-12.
    let r = browse(&data.join("search.html"), "12", "", "");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    assert!(r["loaded"].to_string().contains("/s-12.js"), "{r}");
}

/// A common word (stored as a bitmap over all documents) with a rare one: the page starts from
/// the rare word's documents and keeps those the common word also holds, ranks a match in the
/// title first, and counts every match, whichever word comes first in the query.
#[test]
fn a_common_word_with_a_rare_one_finds_only_the_documents_with_both() {
    use letopis::search::docs::Kind;
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("bench-2025").join("data");
    let surnames = [
        "Алексеева",
        "Белова",
        "Смирнова",
        "Волкова",
        "Егорова",
        "Жукова",
        "Смирнов",
        "Зайцева",
    ];
    let mut docs = Vec::new();
    for n in 0..240 {
        let who = format!("{} Анна", surnames[n % surnames.len()]);
        docs.push(doc(
            Kind::Certificate,
            format!("Удостоверение № {:06}", n + 1),
            format!("issued.html#c-{n}"),
            "ПК-1",
            // The holder only in the text, so that a title match can rank above it.
            &[],
            format!("удостоверение о повышении квалификации выдано: {who}"),
        ));
    }
    // Orders naming a Смирнова in their titles, and no certificate (documents are ordered by
    // kind, orders after certificates).
    for n in 0..5 {
        docs.push(doc(
            Kind::Order,
            format!("Приказ о зачислении: Смирнова Ольга {n}"),
            format!("orders.html#o-{n}"),
            "ПК-1",
            &[format!("Смирнова Ольга {n}")],
            "обучается",
        ));
    }
    // Lessons enough that a surname's postings stay a list (which keeps the title flag).
    for n in 0..1500 {
        docs.push(doc(
            Kind::Lesson,
            format!("Занятие {n}"),
            format!("groups/pk-1.html#lesson-{n}"),
            "ПК-1",
            &[],
            "тема занятия",
        ));
    }
    let search = data.join("search");
    letopis::search::browser::write(&docs, "2025", "2025 год", "bench-2025", &search)
        .expect("browser index");
    // The postings of a word: what follows its word and name flag.
    let postings = |key: &str, word: &str| -> char {
        let shard = std::fs::read_to_string(search.join(format!("s-{key}.js"))).expect("shard");
        let at = shard.find(&format!("[\"{word}\",")).expect("word in shard");
        let rest = &shard[at..];
        let second = rest.match_indices(',').nth(1).expect("entry").0;
        rest[second + 1..].chars().next().unwrap_or(' ')
    };
    assert_eq!(postings("udo", "удостоверение"), '"', "a bitmap");
    assert_eq!(postings("smi", "смирнова"), '[', "a list");
    bare_search_page(&data);
    // 240 / 8 certificates of each surname; `смирновой` also finds Смирнов (another form of one
    // base and ending; the woman's first): the CLI does the same.
    let per = 240 / surnames.len();
    for q in ["смирновой удостоверение", "удостоверение Смирновой"]
    {
        let r = browse(&data.join("search.html"), q, "", "");
        assert_eq!(r["errors"], serde_json::json!([]), "{r}");
        let status = r["status"].as_str().unwrap_or("");
        assert_eq!(
            status,
            format!("Найдено: {}, показано 20", 2 * per),
            "{q}: {r}"
        );
        for hit in r["hits"].as_array().expect("hits") {
            let text = hit["text"].as_str().unwrap_or("");
            assert!(
                text.starts_with("Удостоверение №") && text.contains("Смирнов"),
                "{q}: {text}"
            );
        }
    }
    let r = browse(&data.join("search.html"), "удостоверение", "", "");
    assert_eq!(r["status"], "Найдено: 240, показано 20", "{r}");
    // A match in the title ranks first: the orders naming Смирнова in their titles before the
    // certificates that name her in the text, though orders come later in document order.
    let r = browse(&data.join("search.html"), "смирнова", "", "");
    let first: Vec<&str> = r["hits"].as_array().expect("hits")[..5]
        .iter()
        .map(|h| h["text"].as_str().unwrap_or(""))
        .collect();
    assert!(
        first
            .iter()
            .all(|t| t.starts_with("Приказ о зачислении: Смирнова Ольга")),
        "{first:?}"
    );
}
