//! A real headless Chromium opens the archive by `file://` (no server, no network), follows links
//! from the medium's index down to a learner's personal file and their group, and prints the
//! personal file to PDF. Needs `chromium` and `pdftotext` (apt: chromium poppler-utils; `.ci/run`
//! installs them): when missing, the test fails and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::chromium;

const ARCHIVE: &str = "gorizont-2025";

fn need(tool: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is not installed: run `apt-get install -y {package}` (or `bash .ci/run`, which installs it)"
    );
}

/// The DOM of a page as Chromium built it. (`--dump-dom` itself needs scripting, so it cannot run
/// with JavaScript off; `tests/render.rs` checks that no page but search.html has a script.)
fn dom(profile: &Path, page: &Path) -> String {
    chromium::run(
        profile,
        &["--dump-dom", &format!("file://{}", page.display())],
    )
}

/// The target of the first `<a href>` whose text is `text`, resolved against the page.
fn follow(page: &Path, html: &str, text: &str) -> PathBuf {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("no link «{text}» on {}", page.display()));
    let start = html[..end].rfind("href=\"").unwrap() + "href=\"".len();
    let href = &html[start..end];
    let file = href.split('#').next().unwrap();
    let target = page.parent().unwrap().join(file);
    assert!(target.is_file(), "link «{text}» → {href} does not resolve");
    target
}

#[test]
fn chromium_browses_by_file_url_and_prints_a_personal_file() {
    need("chromium", "chromium");
    need("pdftotext", "poppler-utils");
    let tmp = tempfile::tempdir().unwrap();
    // The sample's archive, built once per test run; this test only reads it.
    let medium = common::sample::shared_media().0.clone();
    let profile = tmp.path().join("profile");

    // Medium index → period start page → alphabetical index → personal file → group journal.
    let page = medium.join("index.html");
    let html = dom(&profile, &page);
    let page = follow(&page, &html, "2025 календарный год");
    assert_eq!(page, medium.join(ARCHIVE).join("data/index.html"));
    let html = dom(&profile, &page);
    assert!(html.contains("Архив: 2025 календарный год"));
    let page = follow(&page, &html, "Алфавитный указатель слушателей");
    let html = dom(&profile, &page);
    let page = follow(&page, &html, "Белоусова Анна Андреевна");
    let html = dom(&profile, &page);
    assert!(html.contains("Личное дело: Белоусова Анна Андреевна"));
    let group = follow(&page, &html, "ПК-ЦОС-24-2");
    let journal = dom(&profile, &group);
    assert!(journal.contains("Журнал группы ПК-ЦОС-24-2"));

    // Print the personal file: a PDF with pages and the certification block.
    let pdf = tmp.path().join("personal-file.pdf");
    chromium::run(
        &profile,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", page.display()),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("no PDF written");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 1, "the PDF has no pages");
    for needle in [
        "Личное дело: Белоусова Анна Андреевна",
        "65,5",
        "Выписка из личного дела обучающегося",
        "Выписка верна",
        "Директор",
        "Виноградова Марина Сергеевна",
        "М.П.",
        "Дата печати: «",
    ] {
        assert!(
            text.contains(needle),
            "printed PDF lacks {needle:?}:\n{text}"
        );
    }
    for absent in ["Реестр приказов", "Найти"] {
        assert!(!text.contains(absent), "navigation {absent:?} printed");
    }
}
