//! Printing the sample archive in headless Chromium, read back with `pdftotext`, as an inspector
//! would hold it: every column of every table on paper, the document title, «Лист N из M» and the
//! learner's name on every sheet, the print date of the day of printing, the signature lines,
//! «М.П.» and the binding sheet; print sets and single-document extracts. Needs `chromium` and
//! `pdftotext` (`.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::chromium;
use common::html::strip_tags;

const ARCHIVE: &str = "gorizont-2025";

struct Archive {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    profile: PathBuf,
    out: PathBuf,
}

/// The sample's archive, built once per test run (read only), with a profile and an output folder
/// of this test's own.
fn archive() -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    Archive {
        data: common::sample::shared_media().0.join(ARCHIVE).join("data"),
        profile: tmp.path().join("profile"),
        out: tmp.path().to_path_buf(),
        _tmp: tmp,
    }
}

/// Prints `page` to PDF in Chromium (scripts run, as when a person prints) and returns the text
/// of the PDF, one string per sheet.
fn print(a: &Archive, page: &Path) -> Vec<String> {
    let pdf = a.out.join("out.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium::run(
        &a.profile,
        &[
            "--no-pdf-header-footer",
            "--virtual-time-budget=3000",
            &format!("--print-to-pdf={}", pdf.display()),
            &chromium::url(page),
        ],
    );
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (apt: poppler-utils)");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut sheets: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if sheets.last().is_some_and(|s| s.trim().is_empty()) {
        sheets.pop();
    }
    sheets
}

/// Text without any whitespace: a cell's words wrapped over lines on paper still match.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The cells of `row` (`<td>` and `<th>`), as text. A cell ends at its end tag or, where the
/// page leaves that out (as HTML allows), at the next cell or row.
fn cells(row: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let is_cell = rest.starts_with("<td") || rest.starts_with("<th");
        if !is_cell {
            rest = &rest[1..];
            continue;
        }
        let body = &rest[3..];
        let end = ["</td>", "</th>", "<td", "<th", "</tr>", "<tr"]
            .iter()
            .filter_map(|t| body.find(t))
            .min()
            .unwrap_or(body.len());
        v.push(strip_tags(&rest[..3 + end]).trim().to_string());
        rest = &body[end..];
    }
    v
}

/// Every table of a page, the screen's wide grids too (on paper they are printed in strips): its
/// column headers and the values of its last column.
fn printed_columns(html: &str) -> (Vec<String>, Vec<String>) {
    let (mut heads, mut last) = (Vec::new(), Vec::new());
    for part in html.split("<table").skip(1) {
        let table = &part[..part.find("</table>").unwrap()];
        if let Some((_, rest)) = table.split_once("<thead>") {
            let thead = &rest[..rest.find("</thead>").unwrap()];
            heads.extend(cells(thead).into_iter().filter(|h| !h.is_empty()));
        }
        if let Some((_, rest)) = table.split_once("<tbody>") {
            let tbody = &rest[..rest.find("</tbody>").unwrap()];
            for row in tbody.split("<tr").skip(1) {
                if let Some(v) = cells(row).pop().filter(|v| !v.is_empty()) {
                    last.push(v);
                }
            }
        }
    }
    (heads, last)
}

/// Whether the words of `text` are on paper in their order, close together. A cell wrapped over
/// several lines comes out of `pdftotext` interleaved with the lines of its neighbours in the row,
/// so the words need not be adjacent, only near (within a row's worth of words).
fn on_paper(paper: &[&str], text: &str) -> bool {
    const NEAR: usize = 200;
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((first, rest)) = words.split_first() else {
        return true;
    };
    paper.iter().enumerate().any(|(i, w)| {
        if w != first {
            return false;
        }
        let mut window = paper[i + 1..(i + 1 + NEAR).min(paper.len())].iter();
        rest.iter().all(|r| window.any(|w| w == r))
    })
}

/// Checks that every column header and every value of every last column of `page` is on paper.
fn every_column_on_paper(page: &Path, sheets: &[String]) {
    let html = std::fs::read_to_string(page).unwrap();
    let (heads, last) = printed_columns(&html);
    assert!(
        heads.len() > 10,
        "too few headers found in {}",
        page.display()
    );
    let text = sheets.concat();
    let paper: Vec<&str> = text.split_whitespace().collect();
    let missing: Vec<&String> = heads
        .iter()
        .chain(&last)
        .filter(|h| !on_paper(&paper, h))
        .collect();
    assert!(
        missing.is_empty(),
        "{}: not on paper: {missing:?}",
        page.display()
    );
}

/// «Лист N из M» on every sheet, and `head` at its top.
fn numbered_with_head(sheets: &[String], head: &str) {
    let n = sheets.len();
    for (i, s) in sheets.iter().enumerate() {
        assert!(
            s.contains(&format!("Лист {} из {n}", i + 1)),
            "sheet {} lacks its number:\n{s}",
            i + 1
        );
        assert!(s.contains(head), "sheet {} lacks «{head}»:\n{s}", i + 1);
    }
}

/// Today as the print script writes it: «02» декабря 2026 г.
fn today() -> String {
    use chrono::Datelike;
    let d = chrono::Local::now().date_naive();
    let months = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    format!(
        "«{:02}» {} {} г.",
        d.day(),
        months[d.month0() as usize],
        d.year()
    )
}

fn certified(paper: &str) {
    for needle in [
        "Выписка верна",
        "Директор",
        "Виноградова Марина Сергеевна",
        "(должность)",
        "(подпись)",
        "(расшифровка подписи)",
        "М.П.",
        "ИНН 6670428191",
    ] {
        assert!(paper.contains(needle), "printed extract lacks {needle:?}");
    }
    assert!(
        paper.contains(&format!("Дата печати: {}", today())),
        "the print date is not today's"
    );
    for internal in ["learners.csv:", ".csv:", "filled_from", "Источник:"] {
        assert!(!paper.contains(internal), "internal {internal:?} printed");
    }
}

#[test]
fn the_biggest_journal_and_the_fullest_personal_file_print_whole() {
    let a = archive();
    // The biggest group journal.
    let journal = a.data.join("groups/pp-bu-25-1.html");
    let sheets = print(&a, &journal);
    every_column_on_paper(&journal, &sheets);
    numbered_with_head(&sheets, "Журнал группы ПП-БУ-25-1");
    let paper = sheets.concat();
    for needle in [
        "Выписка из журнала учёта занятий группы ПП-БУ-25-1",
        "Итоговый междисциплинарный экзамен",
        "Защита аттестационной работы",
        "Решение",
        "Дата решения",
        "Всего прошито, пронумеровано и скреплено печатью",
    ] {
        assert!(
            squeeze(&paper).contains(&squeeze(needle)),
            "journal lacks {needle:?}"
        );
    }
    certified(&paper);
    assert_eq!(
        squeeze(&paper).matches("Итого256").count(),
        1,
        "the lessons' total is printed more than once"
    );

    // The learner with the most records: the largest personal file.
    let learner = std::fs::read_dir(a.data.join("learners"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("index.html"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    let sheets = print(&a, &learner);
    assert!(sheets.len() > 2, "a long personal file on one sheet?");
    every_column_on_paper(&learner, &sheets);
    let html = std::fs::read_to_string(&learner).unwrap();
    let name = html
        .split_once("<h1>Личное дело: ")
        .unwrap()
        .1
        .split('<')
        .next()
        .unwrap();
    numbered_with_head(&sheets, name);
    let paper = sheets.concat();
    assert!(paper.contains("Выписка из личного дела обучающегося"));
    certified(&paper);
    let binding = sheets.last().unwrap();
    assert!(
        binding.contains("Всего прошито, пронумеровано и скреплено печатью"),
        "the last sheet is not the binding sheet:\n{binding}"
    );
}

#[test]
fn a_group_prints_all_its_personal_files_and_single_documents_print_as_extracts() {
    let a = archive();
    let set = a.data.join("print/group-pk-tsos-24-2.html");
    let sheets = print(&a, &set);
    let n = sheets.len();
    let paper = sheets.concat();
    for name in ["Белоусова Анна Андреевна", "Кузнецова Дарья Юрьевна"]
    {
        assert!(
            paper.contains(&format!("Личное дело: {name}")),
            "the set lacks the file of {name}"
        );
    }
    // Every personal file starts on its own sheet, headed with its learner.
    let starts: Vec<&String> = sheets
        .iter()
        .filter(|s| s.contains("Выписка из личного дела обучающегося"))
        .collect();
    assert!(starts.len() >= 2);
    for s in starts {
        let head = s
            .lines()
            .find(|l| l.starts_with("Личное дело № "))
            .unwrap_or("");
        assert!(!head.is_empty(), "a file's sheet has no running head:\n{s}");
    }
    assert!(sheets[n - 1].contains("Всего прошито, пронумеровано и скреплено печатью"));
    assert!(paper.contains(&format!("Лист {n} из {n}")));
    certified(&paper);

    for (page, title) in [
        (
            "protocols.html",
            "Выписка из протокола аттестационной комиссии",
        ),
        ("issued.html", "Выписка из журнала выдачи документов"),
        ("orders.html", "Выписка из приказа"),
    ] {
        // The register links each entry to its extract.
        let html = std::fs::read_to_string(a.data.join(page)).unwrap();
        let href = html
            .split("href=\"print/")
            .nth(1)
            .unwrap_or_else(|| panic!("{page} links no extract"))
            .split('"')
            .next()
            .unwrap();
        let extract = a.data.join("print").join(href);
        let sheets = print(&a, &extract);
        let paper = sheets.concat();
        assert!(paper.contains(title), "{href} lacks «{title}»");
        certified(&paper);
        every_column_on_paper_if_any(&extract, &sheets);
    }
}

fn every_column_on_paper_if_any(page: &Path, sheets: &[String]) {
    let html = std::fs::read_to_string(page).unwrap();
    let (heads, last) = printed_columns(&html);
    let text = sheets.concat();
    let paper: Vec<&str> = text.split_whitespace().collect();
    for h in heads.iter().chain(&last) {
        assert!(
            on_paper(&paper, h),
            "{}: {h:?} not on paper",
            page.display()
        );
    }
}

#[test]
fn pages_read_on_a_phone_without_scrolling_sideways() {
    let a = archive();
    let mut pages: Vec<PathBuf> = [
        "index.html",
        "about.html",
        "retention.html",
        "orders.html",
        "issued.html",
        "transfers.html",
        "protocols.html",
        "search.html",
        "learners/index.html",
    ]
    .iter()
    .map(|p| a.data.join(p))
    .collect();
    for dir in ["learners", "groups", "print"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(a.data.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        pages.extend(v);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/width.cjs");
    let out = Command::new("node")
        .arg(&script)
        .args(pages.iter().map(|p| chromium::url(p)))
        .current_dir(script.parent().unwrap())
        .output()
        .expect("node (see .ci/run)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let wide: Vec<&serde_json::Value> = report
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["width"].as_u64().unwrap() > 390)
        .collect();
    assert!(report.as_array().unwrap().len() > 60);
    assert!(wide.is_empty(), "pages wider than a phone: {wide:#?}");
}
