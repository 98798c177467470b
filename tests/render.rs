//! End-to-end tests of `letopis build`: the real binary on a copy of the sample data, output in
//! temp folders; assertions on what a user sees in the pages.

mod common;
use common::fixture::copy_dir;
use common::html::page_text;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

const ARCHIVE: &str = "gorizont-2025";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn letopis(args: &[&std::ffi::OsStr]) -> Output {
    common::cli::command()
        .args(args)
        .output()
        .expect("run letopis")
}

/// `letopis build input --out o... --quiet`, with `--draft` when there is one medium.
fn build(input: &Path, outs: &[&Path]) -> Output {
    build_with(input, outs, &[])
}

/// [`build`] with more arguments.
fn build_with(input: &Path, outs: &[&Path], extra: &[&std::ffi::OsStr]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref(), input.as_os_str()];
    for o in outs {
        args.push("--out".as_ref());
        args.push(o.as_os_str());
    }
    if outs.len() == 1 {
        args.push("--draft".as_ref());
    }
    args.push("--quiet".as_ref());
    args.extend_from_slice(extra);
    letopis(&args)
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        // The medium's event log records when each write happened: it is the medium's history,
        // not part of the archive, and differs from build to build by design.
        .filter(|p| p != Path::new("letopis-log.tsv"))
        .collect();
    v.sort();
    v
}

/// Both folders hold the same files with the same bytes (the medium's log aside).
fn assert_same_files(a: &Path, b: &Path, when: &str) {
    let files = files_under(a);
    assert_eq!(files, files_under(b), "the files differ {when}");
    for f in &files {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{} differs {when}",
            f.display()
        );
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Every `href="…"` and `src="…"` value of a page (attribute values are HTML-escaped).
fn references(html: &str) -> Vec<String> {
    let mut v = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            v.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    v
}

#[test]
fn builds_sample_on_two_media_with_working_links() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let out = build(&sample(), &[&a, &b]);
    ok(&out);

    for medium in [&a, &b] {
        let index = std::fs::read_to_string(medium.join("index.html")).unwrap();
        assert!(
            index.contains(&format!("href=\"{ARCHIVE}/data/index.html\"")),
            "{index}"
        );
        assert!(index.contains("2025 календарный год"));
    }
    let data = a.join(ARCHIVE).join("data");
    let files = files_under(&data);
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 56 + 5 + 3 + 10, "only {} pages", pages.len());
    // The verbatim exports and the attachments are in the archive.
    for f in [
        "raw/learners.csv",
        "raw/letopis.yaml",
        "raw/documents/polozhenie.md",
        "files/files/prikazy/prikaz-09-z-2025.pdf",
        "files/files/foto/diplom-konkurs-2025.jpg",
        "assets/style.css",
    ] {
        assert!(data.join(f).is_file(), "{f} missing");
    }
    // An attachment is stored once, under files/, not again under raw/.
    assert!(!data.join("raw/files/foto/diplom-konkurs-2025.jpg").exists());
    assert_eq!(
        std::fs::read(data.join("raw/learners.csv")).unwrap(),
        std::fs::read(sample().join("learners.csv")).unwrap(),
        "raw export not verbatim"
    );

    let mut unresolved = BTreeSet::new();
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(data.join(page)).unwrap();
        let dir = data.join(page).parent().unwrap().to_path_buf();
        for r in references(&html) {
            assert!(
                !r.starts_with("http://") && !r.starts_with("https://") && !r.starts_with("//"),
                "{} references an external URL {r}",
                page.display()
            );
            assert!(
                !r.starts_with('/') && !r.contains(':'),
                "{} has a non-relative link {r}",
                page.display()
            );
            let file = r.split(['#', '?']).next().unwrap();
            if file.is_empty() {
                continue;
            }
            let target = dir.join(percent_decode(file));
            checked += 1;
            if !target.is_file() {
                unresolved.insert(format!("{} → {r}", page.display()));
            }
        }
        if page.as_path() != Path::new("search.html") {
            // The only script outside search writes the print date; navigation needs none.
            let scripts = html.matches("<script").count();
            let print_date = html.matches("assets/print.js\"></script>").count();
            assert!(
                scripts == print_date && scripts <= 1,
                "{} has a script: navigation must work without JavaScript",
                page.display()
            );
        }
        for bad in ["src=\"http", "url(http", "@import"] {
            assert!(!html.contains(bad), "{} loads {bad}", page.display());
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(unresolved.is_empty(), "broken links:\n{unresolved:#?}");
    let css = std::fs::read_to_string(data.join("assets/style.css")).unwrap();
    assert!(!css.contains("http"), "stylesheet references the network");
}

#[test]
fn learner_page_shows_card_grades_and_certification() {
    let data = common::sample::shared_media().0.join(ARCHIVE).join("data");
    let page = std::fs::read_to_string(data.join("learners/ld-2024-119.html")).unwrap();
    for needle in [
        "Личное дело: Белоусова Анна Андреевна",
        "22.10.1998",
        "995-434-943 79",
        "Промежуточное тестирование по модулям 1–3",
        // The grade column is bold by its position in the table (style.css).
        "<td>баллы, до 100<td>65,5<td>",
        "href=\"../groups/pk-tsos-24-2.html\"",
        "Выписка из личного дела обучающегося",
        "contenteditable=\"true\">Директор</td>",
        "contenteditable=\"true\">Виноградова Марина Сергеевна</td>",
        "М.П.",
        // Filled in at print time by assets/print.js; blank to fill by hand without it.
        "Дата печати: <span class=\"print-date\">«___» ____________ 20__ г.</span>",
        "Всего прошито, пронумеровано и скреплено печатью",
    ] {
        assert!(page.contains(needle), "learner page lacks {needle:?}");
    }
    // Found through the alphabetical index.
    let index = std::fs::read_to_string(data.join("learners/index.html")).unwrap();
    assert!(
        index.contains("<a href=\"../learners/ld-2024-119.html\">Белоусова Анна Андреевна</a>")
    );
    // The group journal has the grid with lesson anchors.
    let group = std::fs::read_to_string(data.join("groups/pk-tsos-24-2.html")).unwrap();
    assert!(group.contains("class=\"grid-box screen-only\""));
    assert!(group.contains("id=\"lesson-tsos-24-2-z15\""));
    assert!(
        group.contains("<a href=\"../learners/ld-2024-119.html\">Белоусова Анна Андреевна</a>")
    );
}

#[test]
fn injected_html_is_escaped_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&sample(), &input);
    // learners.csv is Windows-1251; the injected text is ASCII so bytes can be replaced directly.
    let csv = std::fs::read(input.join("learners.csv")).unwrap();
    let surname = encoding_rs::WINDOWS_1251.encode("Белоусова").0.into_owned();
    let pos = csv
        .windows(surname.len())
        .position(|w| w == surname.as_slice())
        .unwrap();
    let mut evil = csv[..pos].to_vec();
    evil.extend_from_slice(b"<script>alert(1)</script>");
    evil.extend_from_slice(&csv[pos + surname.len()..]);
    std::fs::write(input.join("learners.csv"), evil).unwrap();
    let md = input.join("documents/polozhenie.md");
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\n\n<script>alert('doc')</script>\n\n<img src=\"x.png\" onerror=\"alert(2)\">\n\n[ссылка](javascript:alert(3))\n");
    std::fs::write(&md, text).unwrap();

    let a = tmp.path().join("a");
    ok(&build(&input, &[&a, &tmp.path().join("b")]));
    let data = a.join(ARCHIVE).join("data");
    let learner = std::fs::read_to_string(data.join("learners/ld-2024-119.html")).unwrap();
    assert!(
        learner.contains("&lt;script&gt;alert(1)&lt;/script&gt; Анна"),
        "name not escaped"
    );
    for page in files_under(&data)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(data.join(page)).unwrap();
        for bad in ["<script>alert", "onerror=", "javascript:"] {
            assert!(!html.contains(bad), "{} contains {bad}", page.display());
        }
    }
    let doc = std::fs::read_to_string(data.join("documents/polozhenie.html")).unwrap();
    assert!(
        doc.contains("<img src=\"x.png\">"),
        "sanitised image kept without the handler"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    ok(&build(&sample(), &[&a, &b]));
    ok(&build(&sample(), &[&c]));
    assert_same_files(&a, &b, "on medium B");
    assert_same_files(&a, &c, "in the second build");
}

#[test]
fn refuses_one_medium_without_draft_and_existing_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let out = letopis(&[
        "build".as_ref(),
        sample().as_os_str(),
        "--out".as_ref(),
        a.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("укажите --out дважды"), "{err}");
    assert!(!a.exists(), "nothing written");

    ok(&build(&sample(), &[&a, &tmp.path().join("b")]));
    // The same input again: the sealed archive on A is identical, so nothing is rewritten there.
    let c = tmp.path().join("c");
    let out = letopis(&[
        "build".as_ref(),
        sample().as_os_str(),
        "--out".as_ref(),
        a.as_os_str(),
        "--out".as_ref(),
        c.as_os_str(),
    ]);
    ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("уже записан, без изменений"), "{stdout}");
    // Different content under the same period name is refused, never overwritten.
    let input = tmp.path().join("in");
    copy_dir(&sample(), &input);
    let doc = input.join("documents").join("polozhenie.md");
    let mut text = std::fs::read_to_string(&doc).unwrap();
    text.push_str("\nДополнение.\n");
    std::fs::write(&doc, text).unwrap();
    let before = std::fs::read(a.join("gorizont-2025/manifest-sha256.txt")).unwrap();
    let out = build(&input, &[&a, &tmp.path().join("d")]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("НЕ ЗАПИСАН"), "{stdout}");
    assert_eq!(
        std::fs::read(a.join("gorizont-2025/manifest-sha256.txt")).unwrap(),
        before,
        "the sealed archive on A is untouched"
    );
}

#[test]
fn data_errors_refuse_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&sample(), &input);
    let path = input.join("enrolments.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().count() + 1;
    text.push_str("ЛД-НЕТ-ТАКОГО,ПК-ЦОС-25-1,03.03.2025,,completed,,,\n");
    std::fs::write(&path, text).unwrap();
    let a = tmp.path().join("a");
    let out = build(&input, &[&a, &tmp.path().join("b")]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("enrolments.csv:{line}:")), "{err}");
    assert!(err.contains("ЛД-НЕТ-ТАКОГО"), "{err}");
    assert!(err.contains("сборка отменена"), "{err}");
    assert!(
        !a.join(ARCHIVE).exists(),
        "an archive was written despite errors"
    );
}

#[test]
fn template_override_and_broken_override() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("about.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Наш собственный шаблон</p>{% endblock content %}",
    )
    .unwrap();
    let a = tmp.path().join("a");
    ok(&build_with(
        &sample(),
        &[&a],
        &["--templates".as_ref(), tpl.as_os_str()],
    ));
    let about = std::fs::read_to_string(a.join(ARCHIVE).join("data/about.html")).unwrap();
    assert!(about.contains("<p>Наш собственный шаблон</p>"));

    std::fs::write(tpl.join("learner.html"), "{% for x in %}").unwrap();
    let b = tmp.path().join("b");
    let out = build_with(&sample(), &[&b], &["--templates".as_ref(), tpl.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&tpl.join("learner.html").display().to_string()),
        "{err}"
    );
    assert!(!b.join(ARCHIVE).exists());
}

#[test]
fn init_writes_templates_that_build_the_same_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let tpl = tmp.path().join("my-templates");
    let out = letopis(&["init".as_ref(), "--templates".as_ref(), tpl.as_os_str()]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Шаблоны записаны"));
    for f in [
        "base.html",
        "learner.html",
        "group.html",
        "medium.html",
        "assets/style.css",
    ] {
        assert!(tpl.join(f).is_file(), "{f} not written");
    }
    // Written again: refused, nothing overwritten.
    let again = letopis(&["init".as_ref(), "--templates".as_ref(), tpl.as_os_str()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("уже существует"));

    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&build(&sample(), &[&a]));
    ok(&build_with(
        &sample(),
        &[&b],
        &["--templates".as_ref(), tpl.as_os_str()],
    ));
    assert_same_files(&a, &b, "when built from the written-out templates");
}

#[test]
fn templates_folder_from_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&sample(), &input);
    std::fs::create_dir_all(input.join("my-templates")).unwrap();
    std::fs::write(
        input.join("my-templates/about.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Шаблон из letopis.yaml</p>{% endblock content %}",
    )
    .unwrap();
    let cfg = input.join("letopis.yaml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\ntemplates: my-templates\n");
    std::fs::write(&cfg, text).unwrap();
    let a = tmp.path().join("a");
    ok(&build(&input, &[&a]));
    let about = std::fs::read_to_string(a.join(ARCHIVE).join("data/about.html")).unwrap();
    assert!(about.contains("<p>Шаблон из letopis.yaml</p>"), "{about}");
}

/// The text of a page as a reader sees it: tags removed (cells apart), whitespace collapsed.

#[test]
fn pages_read_as_a_clerk_writes_with_nothing_internal() {
    let data = common::sample::shared_media().0.join(ARCHIVE).join("data");
    let read = |p: &str| std::fs::read_to_string(data.join(p)).unwrap();

    let start = read("index.html");
    let text = page_text(&start);
    assert!(
        text.contains("3 программы · 5 групп · 56 слушателей · 121 занятие"),
        "{text}"
    );
    assert!(text.contains("14 слушателей") || text.contains("слушател"));
    assert!(
        !text.contains("слушатели:"),
        "«слушатели: 14» on the start page"
    );
    assert!(
        start.contains("href=\"retention.html\""),
        "start page does not link the retention page"
    );

    let about = read("about.html");
    for english in [
        "readme",
        "binary",
        "attachment-file",
        "grade_items",
        "credit_transfers",
    ] {
        assert!(
            !about.contains(&format!("<td>{english}</td>")),
            "about page says {english:?}"
        );
    }
    assert!(about.contains("<td>описание выгрузки</td><td>Markdown</td>"));

    let retention = read("retention.html");
    assert!(
        retention.contains("<header class=\"site\">")
            && retention.contains("href=\"learners/index.html\"")
    );
    assert!(!retention.contains("(learners)"));
    assert!(
        page_text(&retention).contains("Личные карточки слушателей, зачисления и итоги обучения")
    );

    // A woman's outcome agrees with her sex; nothing internal on any personal file.
    let group = page_text(&read("groups/or-foto-25.html"));
    assert!(
        group.contains("Алёшина Гульнара Дмитриевна ЛД-2025-004 15.09.2025 завершила обучение")
    );
    for entry in std::fs::read_dir(data.join("learners")).unwrap() {
        let html = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for internal in ["filled_from", "Источник:", ".csv:", "moodle_"] {
            assert!(
                !html.contains(internal),
                "a personal file shows {internal:?}"
            );
        }
    }
    // The personal file opens with a summary; an expelled learner's lessons end with expulsion.
    let file = page_text(&read("learners/ld-2025-019.html"));
    let summary = &file[file.find("Сводка").unwrap()..file.find("Карточка слушателя").unwrap()];
    for needle in [
        "Группа ПП-БУ-25-1 Программа Бухгалтерский учёт и налогообложение Профессиональная переподготовка, 256 часов",
        "Срок обучения 03.02.2025–28.11.2025 Итог завершил обучение",
        "Итоговая аттестация 3 (удовлетворительно), протокол № ИА-БУ-25-1 от 17.11.2025",
        "Диплом о профессиональной переподготовке, рег. № ПП-25/003, выдан 28.11.2025",
    ] {
        assert!(
            summary.contains(needle),
            "summary lacks {needle:?}: {summary}"
        );
    }
    let expelled = page_text(&read("learners/ld-2025-015.html"));
    assert!(
        expelled.contains("Посещено занятий: 20 из 31 · Посещено часов: 80 из 124 · Пропуски: 11 · отчислена 20.05.2025, занятия после отчисления не учитываются"),
        "{expelled}"
    );
    let continuing = page_text(&read("groups/pp-bu-25-2.html"));
    assert!(continuing.contains(
        "Обучение группы продолжается после окончания периода архива (31.12.2025) до 26.06.2026"
    ));
    assert!(continuing.contains("— оценка, полученная на этом занятии"));
    // Codes never break at their hyphens.
    assert!(start.contains("<a class=\"code\" href=\"groups/pp-bu-25-1.html\">ПП-БУ-25-1</a>"));
}
