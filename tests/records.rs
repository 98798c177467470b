//! The records as open data inside the archive (`data/records/`): checked with the tools a reader
//! in ten years will use — the reference Frictionless validator, pandas with default arguments,
//! LibreOffice headless — on the real binary's build of the sample.

mod common;
use common::cli;
use common::sample;

use cli::{letopis, ok, text};
use sample::sample;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ARCHIVE: &str = "gorizont-2025";

/// One build of the sample, shared by the tests that only read it.
fn built() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = tempfile::tempdir().unwrap().keep();
        cli::build(&root, &sample(), &["m"]);
        root
    })
}

fn records(medium: &Path) -> PathBuf {
    medium.join("m").join(ARCHIVE).join("data").join("records")
}

/// Per input file, the rows `letopis check` reports as kept (its table: file … read kept rejected),
/// and the total kept.
fn check_kept(input: &Path) -> (BTreeMap<String, u64>, u64) {
    let o = letopis(&["check", input.to_str().unwrap()], input);
    let out = ok(&o);
    let mut per_file = BTreeMap::new();
    let mut total = None;
    for line in out.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() < 4 {
            continue;
        }
        let nums: Vec<Option<u64>> = w[w.len() - 3..].iter().map(|x| x.parse().ok()).collect();
        let [Some(_read), Some(kept), Some(_rej)] = nums[..] else {
            continue;
        };
        if w[0] == "Итого" {
            total = Some(kept);
        } else {
            per_file.insert(w[0].to_string(), kept);
        }
    }
    (per_file, total.expect("check prints a total line"))
}

const PANDAS: &str = r#"
import glob, json, os, sys
import pandas as pd
os.chdir(sys.argv[1])
out = {"rows": {}, "kept": {}}
for f in sorted(glob.glob("*.csv")):
    d = pd.read_csv(f)
    out["rows"][f] = len(d)
    if list(d.columns[-3:]) == ["extra", "source_file", "source_line"]:
        for k, v in d["source_file"].value_counts().items():
            out["kept"][k] = out["kept"].get(k, 0) + int(v)
print(json.dumps(out))
"#;

#[test]
fn tables_load_with_pandas_defaults_and_match_checks_kept_counts() {
    let dir = records(built());
    let o = Command::new("python3")
        .args(["-c", PANDAS, dir.to_str().unwrap()])
        .output()
        .expect("python3 with pandas (see .ci/run)");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (kept, total) = check_kept(&sample());
    // Every record table row came from an input file; per file, as many as check kept.
    let pandas_kept: BTreeMap<String, u64> = serde_json::from_value(v["kept"].clone()).unwrap();
    let nonzero: BTreeMap<String, u64> = kept.into_iter().filter(|(_, n)| *n > 0).collect();
    assert_eq!(pandas_kept, nonzero);
    assert_eq!(pandas_kept.values().sum::<u64>(), total);
    // pandas' row count is the CSV's record count (no row lost to quoting or a stray delimiter).
    let rows: BTreeMap<String, u64> = serde_json::from_value(v["rows"].clone()).unwrap();
    assert_eq!(rows.len(), 19, "{rows:?}");
    for (file, n) in &rows {
        let mut r = csv::Reader::from_path(dir.join(file)).unwrap();
        assert_eq!(r.records().count() as u64, *n, "{file}");
    }
    assert_eq!(rows["attendance.csv"], 1518);
    assert_eq!(rows["documents.csv"], 2);
}

#[test]
fn csv_files_are_plain_utf8_with_iso_dates_and_sources() {
    let dir = records(built());
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let bytes = std::fs::read(&p).unwrap();
            assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "{p:?} has a BOM");
            std::str::from_utf8(&bytes).unwrap();
        }
    }
    let learners = std::fs::read_to_string(dir.join("learners.csv")).unwrap();
    let mut lines = learners.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,surname,name,patronymic,birth_date,sex,snils,email,phone,platform_ids,extra,source_file,source_line"
    );
    // The sample's learners.csv is Windows-1251 with `;` and dd.mm.yyyy dates.
    assert_eq!(
        lines.next().unwrap(),
        "ЛД-2024-118,Новиков,Вадим,Викторович,1995-01-06,male,241-532-728 42,v.novikov10@example.net,+7 923 287-43-54,10230,,learners.csv,2"
    );
    // A decimal comma in the export is a decimal point here; the value as written is kept.
    let grades = std::fs::read_to_string(dir.join("grades.csv")).unwrap();
    assert!(
        grades.contains("ЦОС-24-2-ТЕСТ,ЛД-2024-119,,,65.5,,\"65,5\",2025-01-09,,,grades.csv,3\r\n"),
        "{grades}"
    );
    // Columns of the FRDO register without a field of their own are kept in `extra`, as JSON.
    let issued = std::fs::read_to_string(dir.join("issued_documents.csv")).unwrap();
    let frdo = issued
        .lines()
        .find(|l| l.contains("frdo-pp-bu-25-1.csv"))
        .expect("documents from the FRDO register");
    assert!(
        frdo.contains(r#""{""Год начала обучения"":""2025"""#),
        "{frdo}"
    );
}

#[test]
fn data_package_passes_the_reference_validator_which_catches_a_broken_key() {
    let dir = records(built());
    let pkg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(pkg["archive"]["name"], ARCHIVE);
    assert_eq!(pkg["archive"]["period"]["start"], "2025-01-01");
    assert_eq!(pkg["archive"]["manifest"], "../../manifest-sha256.txt");
    let res = pkg["resources"].as_array().unwrap();
    assert_eq!(res.len(), 19);
    let grades = res.iter().find(|r| r["name"] == "grades").unwrap();
    assert_eq!(
        grades["schema"]["primaryKey"],
        serde_json::json!(["item", "learner"])
    );
    assert_eq!(grades["schema"]["fields"][0]["title"], "Элемент оценивания");
    assert_eq!(
        grades["schema"]["foreignKeys"][0]["reference"]["resource"],
        "grade_items"
    );

    let validate = |d: &Path| {
        Command::new("frictionless")
            .args(["validate", "datapackage.json"])
            .current_dir(d)
            .output()
            .expect("frictionless (pip install frictionless; see .ci/run)")
    };
    let o = validate(&dir);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert_eq!(out.matches("VALID").count(), 19, "{out}");

    // The validator really checks the keys: a grade of an unknown item fails it.
    let bad = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, bad.path().join(p.file_name().unwrap())).unwrap();
    }
    let g = bad.path().join("grades.csv");
    let text = std::fs::read_to_string(&g).unwrap();
    let broken = text.replacen("\r\nЦОС-24-2-ТЕСТ,", "\r\nНЕТ-ТАКОГО,", 1);
    assert_ne!(text, broken);
    std::fs::write(&g, broken).unwrap();
    let o = validate(bad.path());
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("foreign-key"));
}

/// Every sheet of the workbook, as LibreOffice headless exports it to CSV (cells as shown, en-US),
/// keyed by sheet name.
fn libreoffice_sheets(book: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let work = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.path().join("profile").display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1",
            "--outdir",
        ])
        .arg(work.path().join("out"))
        .arg(book)
        .output()
        .expect("soffice (libreoffice-calc-nogui; see .ci/run)");
    assert!(o.status.success(), "{:?}", text(&o));
    let stem = book.file_stem().unwrap().to_str().unwrap();
    let mut sheets = BTreeMap::new();
    for e in std::fs::read_dir(work.path().join("out")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_str().unwrap();
        let sheet = name.strip_prefix(&format!("{stem}-")).unwrap().to_string();
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&p)
            .unwrap()
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        sheets.insert(sheet, rows);
    }
    sheets
}

#[test]
fn workbook_opens_in_libreoffice_with_the_rows_of_the_csv_files() {
    use letopis::model::tables::{TABLES, Type};
    let dir = records(built());
    let sheets = libreoffice_sheets(&dir.join(format!("{ARCHIVE}.xlsx")));
    assert_eq!(sheets.len(), TABLES.len(), "{:?}", sheets.keys());
    for t in &TABLES {
        let fields: Vec<_> = t.columns().collect();
        let mut expected: Vec<Vec<String>> =
            vec![fields.iter().map(|f| f.title.to_string()).collect()];
        let mut r = csv::Reader::from_path(dir.join(t.file())).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            expected.push(
                rec.iter()
                    .zip(&fields)
                    .map(|(v, f)| {
                        if let Some((_, label)) = f.values.iter().find(|(c, _)| *c == v) {
                            return label.to_string();
                        }
                        match (f.ty, v) {
                            (Type::Date, v) if !v.is_empty() => {
                                let d = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap();
                                d.format("%d.%m.%Y").to_string()
                            }
                            (Type::Boolean, "true") => "да".into(),
                            (Type::Boolean, "false") => "нет".into(),
                            _ => v.to_string(),
                        }
                    })
                    .collect(),
            );
        }
        let got = &sheets[t.title];
        // LibreOffice drops trailing empty cells of a row.
        let trim = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| {
                    let mut r = r.clone();
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    r
                })
                .collect()
        };
        assert_eq!(trim(got), trim(&expected), "sheet {}", t.title);
    }
    assert_eq!(sheets["Посещаемость"].len(), 1 + 1518);
    assert_eq!(sheets["Слушатели"][1][4], "06.01.1995");
    assert_eq!(sheets["Слушатели"][1][5], "м");
}

#[test]
fn two_builds_give_byte_identical_tables_and_workbook() {
    let other = tempfile::tempdir().unwrap();
    cli::build(other.path(), &sample(), &["m"]);
    let (a, b) = (records(built()), records(other.path()));
    let mut names: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 21, "{names:?}");
    for n in names {
        let (x, y) = (
            std::fs::read(a.join(&n)).unwrap(),
            std::fs::read(b.join(&n)).unwrap(),
        );
        assert!(x == y, "{n:?} differs between two builds");
    }
}

#[test]
fn about_page_and_start_page_link_the_tables_with_their_descriptions() {
    let data = built().join("m").join(ARCHIVE).join("data");
    let about = std::fs::read_to_string(data.join("about.html")).unwrap();
    assert!(
        about.contains(
            r#"<a href="records/gorizont-2025.xlsx">Книга Excel: gorizont-2025.xlsx</a>"#
        )
    );
    assert!(about.contains(r#"<a href="records/datapackage.json">"#));
    assert!(about.contains(
        r#"<td><a href="records/attendance.csv">attendance.csv</a></td><td>Посещаемость</td><td>Отметки посещаемости: одна строка — слушатель на занятии</td><td class="num">1518</td>"#
    ), "{about}");
    let index = std::fs::read_to_string(data.join("index.html")).unwrap();
    assert!(
        index.contains(r#"<a href="about.html#records">Записи в виде таблиц (Excel, CSV)</a>"#)
    );
    assert!(index.contains(r#"<a href="records/gorizont-2025.xlsx">Книга Excel</a>"#));
    // Every linked file is in the archive and in its manifest.
    let manifest =
        std::fs::read_to_string(data.parent().unwrap().join("manifest-sha256.txt")).unwrap();
    for href in about.split("href=\"records/").skip(1) {
        let file = &href[..href.find('"').unwrap()];
        assert!(data.join("records").join(file).is_file(), "{file}");
        assert!(
            manifest.contains(&format!("  data/records/{file}\n")),
            "{file}"
        );
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

#[test]
fn rebuilding_from_the_archives_own_tables_gives_the_same_archive() {
    let original = built().join("m").join(ARCHIVE);
    let tables = original.join("data").join("records");
    // check reads the tables as an input folder: the same files and counts as the original.
    let o = letopis(&["check", tables.to_str().unwrap()], &tables);
    let out = ok(&o);
    assert!(out.contains("Итого                                26 файлов                                   2319     2319          0"), "{out}");
    assert_eq!(check_kept(&tables), check_kept(&sample()));

    let again = tempfile::tempdir().unwrap();
    cli::build(again.path(), &tables, &["m"]);
    let rebuilt = again.path().join("m").join(ARCHIVE);
    let files = files_under(&original);
    assert_eq!(files, files_under(&rebuilt));
    assert!(files.len() > 900, "{}", files.len());
    for f in &files {
        let (a, b) = (
            std::fs::read(original.join(f)).unwrap(),
            std::fs::read(rebuilt.join(f)).unwrap(),
        );
        assert!(a == b, "{f:?} differs after the rebuild");
    }
}

/// A copy of the built archive's `data/` whose tables are then edited by the test.
fn archive_copy() -> (tempfile::TempDir, PathBuf) {
    let from = built().join("m").join(ARCHIVE).join("data");
    let tmp = tempfile::tempdir().unwrap();
    for f in files_under(&from) {
        let to = tmp.path().join("data").join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), to).unwrap();
    }
    let records = tmp.path().join("data").join("records");
    (tmp, records)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {path:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn edited_tables_are_checked_like_any_input_with_file_line_and_column() {
    let (_tmp, records) = archive_copy();
    // A date that is not ISO, an unknown code, a grade of an unknown item, a mark twice.
    edit(&records.join("learners.csv"), "1995-01-06", "06.01.1995");
    edit(&records.join("learners.csv"), ",female,", ",женский,");
    edit(
        &records.join("grades.csv"),
        "\r\nБУ-25-1-ЗАР,ЛД-2025-013,",
        "\r\nНЕТ,ЛД-2025-013,",
    );
    let att = records.join("attendance.csv");
    let marks = std::fs::read_to_string(&att).unwrap();
    let second = marks.split("\r\n").nth(1).unwrap().to_string();
    std::fs::write(&att, format!("{marks}{second}\r\n")).unwrap();
    // A kept export file missing beside the tables.
    std::fs::remove_file(records.parent().unwrap().join("raw").join("lessons.csv")).unwrap();

    let o = letopis(&["check", records.to_str().unwrap()], &records);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    let all = format!("{out}{err}");
    for want in [
        "learners.csv:2:5: ошибка: birth_date: «06.01.1995» — не дата ГГГГ-ММ-ДД",
        "learners.csv:3:6: ошибка: sex: неизвестный код «женский»; допустимы: male, female",
        "grades.csv:2:1: ошибка: item: «НЕТ» нет в таблице grade_items",
        // The learner with the bad date is not taken: the records of that learner are reported
        // once per table, not once per row.
        "enrolments.csv: ошибка: записей, ссылающихся на отклонённые записи таблицы learners: 2; они тоже не приняты",
        "attendance.csv: ошибка: запись «БУ-25-1-З01», «ЛД-2025-013» повторяется",
        "../raw/lessons.csv: ошибка: файла выгрузки lessons.csv нет в архиве",
    ] {
        assert!(all.contains(want), "{want}\n{all}");
    }
    // build refuses the same folder.
    let out_dir = tempfile::tempdir().unwrap();
    let o = letopis(
        &[
            "build",
            records.to_str().unwrap(),
            "--draft",
            "-q",
            "--out",
            out_dir.path().to_str().unwrap(),
        ],
        &records,
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_table_longer_than_a_sheet_continues_on_numbered_sheets_each_with_its_header() {
    use calamine::{Reader, Xlsx, open_workbook};
    let (period, diags) = letopis::ingest::load(&sample()).unwrap();
    assert!(!diags.iter().any(|d| d.is_error()));
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    // 1,518 marks at 500 rows a sheet: 500 + 500 + 500 + 18.
    letopis::tables::xlsx::write_split(&period, &book, 500).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
    let names = wb.sheet_names();
    let parts: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("Посещаемость"))
        .collect();
    assert_eq!(
        parts,
        [
            "Посещаемость",
            "Посещаемость (2)",
            "Посещаемость (3)",
            "Посещаемость (4)"
        ]
    );
    let mut lessons = Vec::new();
    for (name, want) in parts.iter().zip([500, 500, 500, 18]) {
        let range = wb.worksheet_range(name).unwrap();
        let rows: Vec<_> = range.rows().collect();
        assert_eq!(rows.len(), 1 + want, "{name}");
        assert_eq!(rows[0][0].to_string(), "Занятие");
        assert_eq!(rows[0][2].to_string(), "Отметка");
        lessons.extend(
            rows[1..]
                .iter()
                .map(|r| (r[0].to_string(), r[1].to_string())),
        );
    }
    let expected: Vec<(String, String)> = period
        .attendance
        .iter()
        .map(|a| (a.lesson.to_string(), a.learner.to_string()))
        .collect();
    assert_eq!(lessons, expected);
    // The other tables fit on one sheet each.
    assert_eq!(names.len(), 19 + 3);
}
