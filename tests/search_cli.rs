//! `letopis search` end to end: the real binary on archives written to temp folders.

mod common;
use letopis::model;
use std::path::{Path, PathBuf};

#[path = "common/period.rs"]
mod period;

/// Builds the search indexes of a period into `<root>/<archive>/data/` as `build` does.
fn archive(root: &Path, p: &model::Period) -> PathBuf {
    let bag = root.join(p.config.archive_name());
    let mut payload = letopis::layout::Payload::default();
    letopis::search::build(p, &bag.join("data"), &mut payload).expect("search build");
    // A medium's archives are its bags (folders with `bagit.txt`).
    std::fs::write(bag.join("bagit.txt"), letopis::seal::bag::BAGIT_CONTENT).expect("bagit.txt");
    bag
}

fn period_2024() -> model::Period {
    let mut p = period::period();
    p.config.period.id = "2024".into();
    p.config.period.start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    p.config.period.end = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
    p.learners.retain(|l| l.id == "Л-002");
    p.learners[0].surname = "Смирнов".into();
    p.learners[0].name = "Глеб".into();
    p
}

fn search(place: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::cli::command()
        .arg("search")
        .arg(place)
        .args(args)
        .output()
        .expect("run letopis");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(place: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = search(place, &all);
    let list = serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("--json parses");
    // 0 when something is found, 1 when nothing is.
    assert_eq!(code, i32::from(list.is_empty()), "{err}");
    list
}

fn titles(place: &Path, args: &[&str]) -> Vec<String> {
    json(place, args)
        .iter()
        .map(|h| h["title"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn surname_in_three_cases_prints_who_group_year_snippet_and_page() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bag = archive(tmp.path(), &period::period());
    for q in ["Смирнова", "Смирновой", "Смирновым"] {
        let t = titles(&bag, &[q, "--kind", "learner"]);
        assert!(
            t.contains(&"Смирнова Анна Петровна".to_string()),
            "{q}: {t:?}"
        );
    }
    let listing = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let before = listing(&bag.join("data/index"));
    let (code, out, err) = search(&bag, &["смирновой удостоверение"]);
    assert_eq!(
        listing(&bag.join("data/index")),
        before,
        "searching writes nothing"
    );
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(format!("== {} (период 2025)", bag.display()).as_str())
    );
    assert_eq!(
        lines.next(),
        Some(
            "1. Удостоверение о повышении квалификации 77 № 0012-345 — документ об обучении; группа ПК-12; год 2025"
        )
    );
    assert_eq!(lines.next(), Some("   [Смирнова] Анна Петровна"));
    // The page as an absolute path with its anchor: a browser opens it as it is.
    let page = format!("{}#doc-2025-017", bag.join("data/issued.html").display());
    assert_eq!(lines.next(), Some(format!("   {page}").as_str()));
    assert_eq!(lines.next(), Some("Найден 1 результат."));
}

#[test]
fn topics_groups_certificates_and_yo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bag = archive(tmp.path(), &period::period());
    // A topic word in an oblique case.
    let hits = json(&bag, &["о пожарной безопасности"]);
    let hits: Vec<_> = hits.iter().filter(|h| h["kind"] == "lesson").collect();
    assert_eq!(
        hits.len(),
        0,
        "«о» is not in the topic: every word must match"
    );
    let hits = json(&bag, &["пожарной безопасности"]);
    assert_eq!(hits[0]["title"], "Пожарная безопасность на предприятии");
    assert_eq!(hits[0]["page"], "groups/pk-12.html#lesson-z-1");
    assert_eq!(
        hits[0]["file"],
        bag.join("data/groups/pk-12.html").display().to_string()
    );
    // A group code.
    let t = titles(&bag, &["ПК-12", "--kind", "group"]);
    assert_eq!(t, ["ПК-12"]);
    let t = titles(&bag, &["пк12", "--kind", "group"]);
    assert_eq!(t, ["ПК-12"]);
    // Certificate number, registration number and SNILS with and without separators.
    for q in [
        "0012-345",
        "0012345",
        "2025/017",
        "112-233-445 95",
        "11223344595",
    ] {
        let hits = json(&bag, &[q, "--kind", "certificate"]);
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0]["page"], "issued.html#doc-2025-017", "{q}");
    }
    // ё and е, both ways.
    assert_eq!(titles(&bag, &["Семенова"]), ["Семёнова Алёна Юрьевна"]);
    assert_eq!(
        titles(&bag, &["учет", "--kind", "lesson"]),
        ["Учёт основных средств"]
    );
    // A one-letter typo in a surname.
    assert_eq!(
        titles(&bag, &["Семёнва", "--kind", "learner"]),
        ["Семёнова Алёна Юрьевна"]
    );
}

#[test]
fn filters_narrow_results() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bag = archive(tmp.path(), &period::period());
    let all = titles(&bag, &["Смирнов", "--kind", "learner"]);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(
        titles(&bag, &["Смирнов", "--kind", "learner", "--group", "ПП-3"]),
        ["Смирнов Олег Иванович"]
    );
    // Смирнов's group ПП-3 runs from 01.02.2024 to 30.06.2025: he is of both years.
    assert_eq!(
        titles(&bag, &["Смирнов", "--kind", "learner", "--year", "2025"]),
        ["Смирнов Олег Иванович", "Смирнова Анна Петровна"]
    );
    assert_eq!(
        titles(&bag, &["Смирнов", "--kind", "learner", "--year", "2024"]),
        ["Смирнов Олег Иванович"]
    );
    assert_eq!(
        titles(&bag, &["занятие", "--year", "2024"]).len(),
        0,
        "no lesson word «занятие» in 2024"
    );
    // Nothing found: said, exit 1 (as grep).
    let (code, out, _) = search(&bag, &["Жуковский"]);
    assert_eq!(code, 1);
    assert_eq!(out.trim(), "Ничего не найдено по запросу «Жуковский».");
    let (code, out, _) = search(&bag, &["Жуковский", "--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(out.trim(), "Nothing found for 'Жуковский'.");
    // A group in any case or without its dash; an unknown one is an error naming the groups.
    assert_eq!(
        titles(&bag, &["Смирнов", "--group", "пп-3", "--kind", "learner"]),
        ["Смирнов Олег Иванович"]
    );
    assert_eq!(
        titles(&bag, &["Смирнов", "--group", "ПП3", "--kind", "слушатель"]),
        ["Смирнов Олег Иванович"]
    );
    let (code, out, err) = search(&bag, &["Смирнов", "--group", "ПК-99"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err.trim(),
        "ошибка: в архиве нет группы «ПК-99»; группы архива: ПК-12, ПП-3"
    );
    // Kinds in Russian too.
    assert_eq!(titles(&bag, &["ПК-12", "--kind", "Группа"]), ["ПК-12"]);
    assert_eq!(
        titles(&bag, &["Смирнова", "--kind", "удостоверение"]).len(),
        1
    );
    let (code, _, err) = search(&bag, &["Смирнов", "--kind", "teacher"]);
    assert_eq!(code, 2);
    assert!(err.contains("неизвестный вид «teacher»"), "{err}");
}

#[test]
fn a_medium_is_searched_newest_first_and_zips_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let medium = tmp.path().join("medium");
    archive(&medium, &period_2024());
    archive(&medium, &period::period());
    let hits = json(&medium, &["Смирнову", "--kind", "learner"]);
    let got: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| {
            (
                h["period"].as_str().unwrap_or(""),
                h["title"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2025", "Смирнова Анна Петровна"),
            ("2025", "Смирнов Олег Иванович"),
            ("2024", "Смирнов Глеб Иванович"),
        ]
    );
    // --limit counts across archives.
    assert_eq!(json(&medium, &["Смирнову", "--limit", "1"]).len(), 1);

    // The same archive as a zip.
    let bag = medium.join("umc-2025");
    let zip_path = tmp.path().join("umc-2025.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("zip"));
    let mut names: Vec<PathBuf> = walkdir::WalkDir::new(&bag)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    names.sort();
    for f in names {
        let rel = f
            .strip_prefix(&medium)
            .expect("rel")
            .to_string_lossy()
            .replace('\\', "/");
        zip.start_file(rel, zip::write::SimpleFileOptions::default())
            .expect("entry");
        std::io::copy(&mut std::fs::File::open(&f).expect("open"), &mut zip).expect("copy");
    }
    zip.finish().expect("finish");
    let hits = json(&zip_path, &["Смирновой", "--kind", "learner"]);
    assert_eq!(hits[0]["title"], "Смирнова Анна Петровна");
    assert_eq!(
        hits[0]["location"],
        format!("{}!umc-2025/data", zip_path.display())
    );
    let (code, _, err) = search(&tmp.path().join("nothing"), &["x"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("ошибка: "), "{err}");
}

/// `letopis search … | head -2`: the reader goes away; the search ends quietly, no panic.
#[test]
fn a_closed_pipe_ends_the_search_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bag = archive(tmp.path(), &period::period());
    for _ in 0..5 {
        let mut child = common::cli::command()
            .arg("search")
            .arg(&bag)
            .arg("Смирнова")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run letopis");
        // The read end closed before the search writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.is_empty(), "{err}");
    }
}

/// The results not shown are counted, with the way to see them.
#[test]
fn the_results_not_shown_are_counted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bag = archive(tmp.path(), &period::period());
    let (code, out, _) = search(&bag, &["Смирнова", "--limit", "1"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().last(),
        Some("Найдено 3 результата, показано 1; ещё 2 — уточните запрос или укажите --limit 3.")
    );
    let (_, out, _) = search(&bag, &["Смирнова", "--limit", "1", "--lang", "en"]);
    assert_eq!(
        out.lines().last(),
        Some("Found 3 results, 1 shown; 2 more: refine the query or give --limit 3.")
    );
}

/// A hostile zip whose index file inflates far beyond any real one is refused at once, not read
/// into memory.
#[test]
fn a_zip_with_an_inflating_index_file_is_refused_quickly() {
    use std::io::Write;
    let tmp = tempfile::tempdir().expect("tempdir");
    let zip_path = tmp.path().join("forged.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("forged-2025/data/index/meta.json", opts)
        .expect("entry");
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..40 {
        zip.write_all(&zeros).expect("write");
    }
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&zip_path).unwrap().len() < 1 << 20);
    let start = std::time::Instant::now();
    let (code, out, err) = search(&zip_path, &["Смирнова"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("слишком велик"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}
