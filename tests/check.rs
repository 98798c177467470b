//! End-to-end tests of `letopis check`: the real binary on copies of `tests/fixtures/check/good`
//! with one bad input each (the files of `tests/fixtures/check/<case>/` laid over it).

mod common;
use common::fixture::copy_dir;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// A temp copy of the good folder with the case's files laid over it.
fn case(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("good"), dir.path());
    if name != "good" {
        copy_dir(&fixtures().join(name), dir.path());
    }
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = common::cli::command()
        .arg("check")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs check on a case and asserts the exit code and that each expected line is printed.
fn expect(name: &str, code: i32, lines: &[&str]) -> String {
    let dir = case(name);
    let (got, out, err) = check(dir.path(), &[]);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(got, code, "{name}: exit code\n{out}\n{err}");
    for l in lines {
        assert!(
            out.lines().any(|x| x == *l),
            "{name}: missing line\n{l}\nin\n{out}"
        );
    }
    out
}

#[test]
fn good_folder_checks_clean_and_the_table_adds_up() {
    let out = expect(
        "good",
        0,
        &[
            "Организация: АНО ДПО «Учебный центр «Профиль»",
            "Период: 2025, 01.01.2025–31.12.2025",
            "Слушателей:                  3",
            "Оценок:                      4",
            "Отметок посещаемости:        5",
            "Ошибок нет: данные готовы к архивированию.",
        ],
    );
    assert!(!out.contains("предупреждение"), "{out}");
    // Table rows, compared cell by cell (column widths follow the longest file name).
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for want in [
        "Файл Вид Кодировка Прочитано Принято Отклонено",
        "learners.csv слушатели utf-8 ; 3 3 0",
        "attendance.csv посещаемость utf-8 TAB 5 5 0",
        "grade_items.csv элементы оценивания utf-8 , 3 3 0",
        "programmes.yaml программы utf-8 2 2 0",
        "scans/prikaz-12.pdf файл вложения 0 0 0",
        "Итого 20 файлов 36 36 0",
    ] {
        let want: Vec<&str> = want.split_whitespace().collect();
        assert!(rows.contains(&want), "{want:?} in\n{out}");
    }
}

#[test]
fn garbage_bytes_are_not_a_text_file() {
    let out = expect(
        "garbage_bytes",
        1,
        &[
            "learners.csv:2: ошибка: это не текстовый файл: байт 0x1A в позиции 1 строки 2",
            "enrolments.csv: ошибка: строк отклонено: 3, потому что они ссылаются на записи learners («ЛД-001», «ЛД-002», «ЛД-003»), отклонённые из-за собственных ошибок",
        ],
    );
    assert!(out.ends_with(
        "Данные не готовы к архивированию: исправьте ошибки и запустите проверку снова.\n"
    ));
}

#[test]
fn cut_off_line_with_an_open_quote() {
    expect(
        "open_quote",
        1,
        &["lessons.csv:3:5: ошибка: кавычка не закрыта: строки 3–4 прочитаны как одно поле"],
    );
}

#[test]
fn dangling_reference() {
    expect(
        "dangling_reference",
        1,
        &[
            "grades.csv:3:2: ошибка: нет слушателя «ЛД-999» в learners",
            "    подсказка: добавьте запись в learners или исправьте код",
            "Ошибок: 1, предупреждений: 0. Данные не готовы к архивированию: исправьте ошибки и запустите проверку снова.",
        ],
    );
}

#[test]
fn duplicate_id_on_a_crlf_file() {
    expect(
        "duplicate_id",
        1,
        &[
            "learners.csv:5:1: ошибка: повторяется номер личного дела «ЛД-002»: такая запись уже есть в строке 3",
        ],
    );
}

#[test]
fn ids_whose_page_names_collide() {
    expect(
        "slug_collision",
        1,
        &[
            "groups.csv:4:1: ошибка: код «пк 12» совпадает с кодом «ПК-12» (строка 2) после перевода в латиницу: pk-12",
        ],
    );
}

#[test]
fn attachment_paths_leaving_the_folder_are_refused() {
    expect(
        "path_dotdot",
        1,
        &[
            "attachments.csv:3:2: ошибка: путь «../secret.pdf» выходит из папки выгрузки («..»): не принимается",
        ],
    );
    expect(
        "path_absolute",
        1,
        &[
            "attachments.csv:2:2: ошибка: путь «/etc/passwd» абсолютный: файл вне папки выгрузки не принимается",
        ],
    );
    expect(
        "attachment_missing",
        1,
        &["attachments.csv:4:2: ошибка: файл «scans/net-takogo.pdf» не найден в папке выгрузки"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_pointing_outside_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), b"%PDF-1.4 secret").unwrap();
    let dir = case("good");
    std::os::unix::fs::symlink(
        outside.path().join("secret.pdf"),
        dir.path().join("scans/link.pdf"),
    )
    .unwrap();
    let csv = dir.path().join("attachments.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("В-3,scans/link.pdf,Ссылка,ЛД-002,,,,скан\n");
    std::fs::write(&csv, text).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("attachments.csv:4:2: ошибка: «scans/link.pdf» — символическая ссылка за пределы папки выгрузки: не принимается"), "{out}");
    assert!(
        out.contains(
            "scans/link.pdf: ошибка: символическая ссылка ведёт за пределы папки выгрузки ("
        ),
        "{out}"
    );
}

#[test]
fn impossible_date() {
    expect(
        "impossible_date",
        1,
        &[
            "lessons.csv:3:3: ошибка: date (дата): несуществующая дата 31.02.2025: в феврале 2025 года 28 дн.",
            "    подсказка: даты пишутся как ДД.ММ.ГГГГ (31.01.2025) или ГГГГ-ММ-ДД (2025-01-31)",
        ],
    );
}

#[test]
fn date_outside_the_period_is_a_warning() {
    expect(
        "date_outside_period",
        0,
        &[
            "Предупреждения (2):",
            "lessons.csv:4:3: предупреждение: date (дата): дата 13.01.2026 вне периода 01.01.2025–31.12.2025",
            "lessons.csv:4:3: предупреждение: занятие 13.01.2026 вне дат группы ПП-3: 01.02.2025–20.12.2025",
        ],
    );
}

#[test]
fn unknown_attendance_mark() {
    expect(
        "unknown_mark",
        1,
        &[
            "attendance.csv:3:3: ошибка: mark (отметка): недопустимое значение «Х»; допустимо: п (присутствовал), н (отсутствовал), о (опоздал), у (уважительная причина), б (болезнь)",
        ],
    );
}

#[test]
fn grade_outside_its_scale() {
    expect(
        "grade_out_of_scale",
        1,
        &[
            "grades.csv:2:3: ошибка: оценка «6» вне шкалы 2–5",
            "grades.csv:5:3: ошибка: оценка «187,5» вне шкалы 0–100 баллов",
        ],
    );
}

#[test]
fn malformed_snils() {
    expect(
        "bad_snils",
        1,
        &[
            "learners.csv:2:7: ошибка: snils (снилс): СНИЛС 112-233-445 96 не проходит проверку контрольного числа (должно быть 95)",
            "learners.csv:3:7: ошибка: snils (снилс): «112-233» — не СНИЛС: нужно 11 цифр в виде 123-456-789 01",
        ],
    );
}

#[test]
fn learner_without_enrolment_is_a_warning() {
    expect(
        "not_enrolled",
        0,
        &[
            "learners.csv:3: предупреждение: слушатель «ЛД-002» (Смирнов Пётр) не зачислен ни в одну группу",
        ],
    );
}

#[test]
fn empty_required_field() {
    expect(
        "empty_required",
        1,
        &[
            "learners.csv:3:2: ошибка: не заполнено обязательное поле surname (фамилия)",
            "attendance.csv: ошибка: строк отклонено: 2, потому что они ссылаются на записи learners («ЛД-002»), отклонённые из-за собственных ошибок",
        ],
    );
}

#[test]
fn wrong_column_count() {
    expect(
        "wrong_column_count",
        1,
        &["groups.csv:3: ошибка: в строке 6 полей, а в заголовке 5"],
    );
}

#[test]
fn unknown_column_is_a_warning_and_kept() {
    expect(
        "unknown_column",
        0,
        &[
            "groups.csv:1:6: предупреждение: неизвестный столбец «Аудитория»: значения сохранены как дополнительные",
        ],
    );
    let dir = case("unknown_column");
    let (period, _) = letopis::ingest::load(dir.path()).unwrap();
    let g = period.groups.iter().find(|g| g.id == "ПП-3").unwrap();
    assert_eq!(g.extra.get("Аудитория").map(String::as_str), Some("310"));
}

#[test]
fn unknown_file_is_a_warning() {
    expect(
        "unknown_file",
        0,
        &[
            "zametki.txt: предупреждение: неизвестный файл: он будет сохранён в архиве как есть, но не прочитан",
        ],
    );
}

#[test]
fn the_same_kind_twice_is_an_error() {
    expect(
        "twin_files",
        1,
        &[
            "groups.csv: ошибка: записи «groups» заданы дважды: groups.csv и groups.yaml",
            "groups.yaml: ошибка: записи «groups» заданы дважды: groups.csv и groups.yaml",
        ],
    );
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    expect(
        "yaml_error",
        1,
        &[
            "awards.yaml:4:8: ошибка: ошибка разметки YAML: двоеточие с пробелом внутри значения: возьмите значение в кавычки (mapping values are not allowed in this context)",
        ],
    );
}

#[test]
fn missing_config_is_a_data_error_with_a_hint() {
    let dir = case("good");
    std::fs::remove_file(dir.path().join("letopis.yaml")).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("letopis.yaml: ошибка: нет файла letopis.yaml: организация и период не заданы\n    подсказка: создайте его по образцу: letopis init <новая папка> и скопируйте оттуда letopis.yaml"), "{out}");
}

#[test]
fn missing_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = check(&dir.path().join("net"), &[]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with("letopis: ошибка: папка ") && err.contains("не существует"),
        "{err}"
    );
    let (code, _, _) = check(dir.path(), &["--lang", "xx"]);
    assert_eq!(code, 2);
    let file = dir.path().join("learners.csv");
    std::fs::write(&file, "id\n").unwrap();
    let (code, _, err) = check(&file, &["--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("letopis: error: ") && err.ends_with("learners.csv is not a folder\n"),
        "{err}"
    );
}

#[test]
fn english_messages_with_lang_en() {
    let dir = case("dangling_reference");
    let (code, out, _) = check(dir.path(), &["--lang", "en"]);
    assert_eq!(code, 1);
    assert!(out.contains("grades.csv:3:2: error: unknown learner «ЛД-999»: not in learners\n    hint: add it to learners or correct the id\n"), "{out}");
    assert!(out.contains("Errors: 1, warnings: 0."), "{out}");
    let dir = case("good");
    let (code, out, _) = check(dir.path(), &["--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("Learners:                   3\n"), "{out}");
    assert!(out.contains("Total "), "{out}");
}

#[test]
fn config_language_and_template_folder() {
    let dir = case("dangling_reference");
    let cfg = dir.path().join("letopis.yaml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("language: en\ntemplates: ./moi-shablony/\n");
    std::fs::write(&cfg, text).unwrap();
    std::fs::create_dir(dir.path().join("moi-shablony")).unwrap();
    std::fs::write(dir.path().join("moi-shablony/base.html"), "<html></html>").unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("grades.csv:3:2: error: unknown learner «ЛД-999»: not in learners\n"),
        "{out}"
    );
    // Listed in the table as a template, with no problem of its own.
    assert!(
        !out.lines()
            .any(|l| l.starts_with("moi-shablony/base.html:")),
        "{out}"
    );
    let (period, _) = letopis::ingest::load(dir.path()).unwrap();
    let s = period
        .sources
        .iter()
        .find(|s| s.path == "moi-shablony/base.html")
        .unwrap();
    assert_eq!(s.kind, "template");
    // --lang wins over the config.
    let (_, out, _) = check(dir.path(), &["--lang", "ru"]);
    assert!(
        out.starts_with("grades.csv:3:2: ошибка: нет слушателя «ЛД-999» в learners\n"),
        "{out}"
    );
}

#[test]
fn a_kind_saved_as_excel_is_an_error_and_its_references_are_summarised() {
    let dir = case("good");
    std::fs::rename(
        dir.path().join("learners.csv"),
        dir.path().join("learners.xlsx"),
    )
    .unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    // A CSV renamed to .xlsx: read as a workbook, it is not one.
    assert!(
        out.contains("learners.xlsx: ошибка: книга Excel не читается: это не книга Excel или OpenDocument, или файл повреждён (Xlsx error: Zip error: invalid Zip archive: Could not find EOCD)\n"),
        "{out}"
    );
    assert!(out.contains("grades.csv: ошибка: строк отклонено: 4, потому что они ссылаются на записи learners («ЛД-001», «ЛД-002», «ЛД-003»), отклонённые из-за собственных ошибок"), "{out}");
}

#[test]
fn a_missing_kind_is_named_once_per_referring_file() {
    let dir = case("good");
    std::fs::remove_file(dir.path().join("lessons.csv")).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("attendance.csv: ошибка: строк отклонено: 5: они ссылаются на записи lessons («ПК-12-01», «ПК-12-02», «ПП-3-01»), но этих записей в папке нет (нет файла lessons.csv или lessons.yaml, или он пуст)\n    подсказка: добавьте выгрузку lessons.csv"), "{out}");
    // One problem for the file (its other line is its row of the table).
    assert_eq!(out.matches("attendance.csv:").count(), 1, "{out}");
    let dir = case("good");
    std::fs::remove_file(dir.path().join("enrolments.csv")).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("enrolments.csv: предупреждение: нет зачислений (файла enrolments.csv или enrolments.yaml нет, или он пуст): слушатели не привязаны к группам"), "{out}");
    assert!(!out.contains("не зачислен"), "{out}");
}

#[test]
fn file_names_are_matched_case_insensitively_and_tsv_is_csv() {
    let dir = case("good");
    std::fs::rename(dir.path().join("groups.csv"), dir.path().join("Groups.CSV")).unwrap();
    std::fs::rename(
        dir.path().join("attendance.csv"),
        dir.path().join("attendance.tsv"),
    )
    .unwrap();
    let (period, diags) = letopis::ingest::load(dir.path()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(period.groups.len(), 2);
    assert_eq!(period.attendance.len(), 5);
    assert_eq!(&*period.groups[0].origin.file, "Groups.CSV");
}

#[test]
fn config_errors_name_the_field_with_a_hint() {
    let dir = case("good");
    let cfg = dir.path().join("letopis.yaml");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("start: 2025-01-01", "start: 01.01.2025");
    std::fs::write(&cfg, text).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("letopis.yaml:11:10: ошибка: ошибка в настройках: неверная дата (period.start: input contains invalid characters)\n    подсказка: даты в letopis.yaml пишутся как ГГГГ-ММ-ДД, например 2025-12-31\n"), "{out}");
}

#[test]
fn open_quote_closed_by_a_later_quote() {
    expect(
        "open_quote_middle",
        1,
        &["lessons.csv:2:6: ошибка: кавычка не закрыта: строки 2–3 прочитаны как одно поле"],
    );
}

#[test]
fn marks_of_learners_outside_the_group_are_one_warning_per_file() {
    let out = expect(
        "not_enrolled",
        0,
        &[
            "attendance.csv: предупреждение: строк, где слушатель не зачислен в группу занятия или элемента оценивания: 2 (строка 3: «ЛД-002» — «ПК-12-01» (ПК-12); 5: «ЛД-002» — «ПК-12-02» (ПК-12))",
            "grades.csv: предупреждение: строк, где слушатель не зачислен в группу занятия или элемента оценивания: 1 (строка 3: «ЛД-002» — «ПК-12-Т1» (ПК-12))",
        ],
    );
    assert!(out.contains("Предупреждения (3):"), "{out}");
}

#[test]
fn attachment_paths_differing_in_case_get_a_hint_and_documents_can_be_attached() {
    let dir = case("good");
    let csv = dir.path().join("attachments.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("В-3,Scans/Photo.JPG,Фото,ЛД-002,,,,фото\n");
    text.push_str("В-4,documents/polozhenie.md,Положение,,ПК-12,,,документ\n");
    text.push_str("В-5,learners.csv,Список,,ПК-12,,,список\n");
    std::fs::write(&csv, text).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("attachments.csv:4:2: ошибка: файл «Scans/Photo.JPG» не найден в папке выгрузки\n    подсказка: есть файл «scans/photo.jpg»: имена файлов различают большие и маленькие буквы\n"), "{out}");
    assert!(out.contains("attachments.csv:6:2: ошибка: «learners.csv» — файл записей или настроек, а не вложение\n"), "{out}");
    assert!(!out.contains("attachments.csv:5"), "{out}");
}

#[test]
fn an_empty_file_of_a_referenced_kind_is_summarised() {
    let dir = case("good");
    std::fs::write(dir.path().join("lessons.csv"), "").unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("lessons.csv: предупреждение: файл пуст: нет даже строки заголовка\n"),
        "{out}"
    );
    assert!(out.contains("attendance.csv: ошибка: строк отклонено: 5: они ссылаются на записи lessons («ПК-12-01», «ПК-12-02», «ПП-3-01»), но этих записей в папке нет (нет файла lessons.csv или lessons.yaml, или он пуст)\n"), "{out}");
}

fn has(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l == line),
        "missing line\n{line}\nin\n{out}"
    );
}

/// The per-file table is printed with the errors too, and `--json` gives the problems and the
/// table to scripts; a YAML file that cannot be read is not taken for a missing one.
#[test]
fn the_table_is_printed_with_errors_and_as_json() {
    let dir = case("good");
    std::fs::remove_file(dir.path().join("orders.csv")).unwrap();
    std::fs::write(
        dir.path().join("orders.yaml"),
        "- id: 12-у\n  date: 29.08.2025\n\tkind: зачисление\n",
    )
    .unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        "enrolments.csv: ошибка: строк отклонено: 2, потому что они ссылаются на записи orders («12-у»), отклонённые из-за собственных ошибок",
    );
    let row = |cells: &[&str]| {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == cells),
            "missing table row {cells:?} in\n{out}"
        )
    };
    row(&["enrolments.csv", "зачисления", "utf-8", ",", "3", "1", "2"]);
    row(&["Итого", "20", "файлов", "34", "31", "3"]);
    assert!(out.ends_with(
        "Данные не готовы к архивированию: исправьте ошибки и запустите проверку снова.\n"
    ));

    let (code, json, _) = check(dir.path(), &["--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["status"], "errors");
    assert_eq!(v["errors"], 3);
    let p = &v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "orders.yaml")
        .unwrap();
    assert_eq!(
        (p["line"].as_u64(), p["severity"].as_str()),
        (Some(3), Some("error"))
    );
    let f = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "enrolments.csv")
        .unwrap();
    assert_eq!(
        (
            f["read"].as_u64(),
            f["kept"].as_u64(),
            f["rejected"].as_u64()
        ),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(v["total"]["read"], 34);
    // A clean folder: status ok, exit 0.
    let (code, json, _) = check(case("good").path(), &["--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["errors"].as_u64()),
        (Some("ok"), Some(0))
    );
}

/// What `build` cannot write, `check` reports at its line: the archive's folder name, a page
/// name too long for a file name, a file name that is not UTF-8.
#[test]
fn check_answers_for_build() {
    let dir = case("good");
    let yaml = std::fs::read_to_string(dir.path().join("letopis.yaml"))
        .unwrap()
        .replace("  slug: profil", "  slug: проф/иль")
        .replace("  id: \"2025\"", "  id: \"../2025\"");
    std::fs::write(dir.path().join("letopis.yaml"), yaml).unwrap();
    let long = "Л".repeat(300);
    for f in [
        "learners.csv",
        "enrolments.csv",
        "attendance.csv",
        "grades.csv",
        "credit_transfers.csv",
    ] {
        let t = std::fs::read_to_string(dir.path().join(f)).unwrap();
        std::fs::write(dir.path().join(f), t.replace("ЛД-003", &long)).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"ph\xffoto.jpg");
        std::fs::write(dir.path().join("scans").join(name), b"x").unwrap();
    }
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        "letopis.yaml:4: ошибка: organisation.slug «проф/иль» не годится для имени папки архива: недопустимые знаки: «п», «р», «о», «ф», «/» (разделитель папок)",
    );
    has(
        &out,
        "letopis.yaml:10: ошибка: period.id «../2025» не годится для имени папки архива: недопустимые знаки: «/» (разделитель папок)",
    );
    has(
        &out,
        "learners.csv:4:1: ошибка: код слишком длинный (300 знаков, в латинице 300 знаков): имя страницы записи не поместится в имя файла на носителе",
    );
    has(
        &out,
        &format!(
            "enrolments.csv: ошибка: строк отклонено: 1, потому что они ссылаются на записи learners («{}…»), отклонённые из-за собственных ошибок",
            "Л".repeat(40)
        ),
    );
    #[cfg(unix)]
    has(
        &out,
        "scans/ph\u{FFFD}oto.jpg: ошибка: имя файла или папки не в кодировке UTF-8 (знаки «�» на месте неверных байтов): архив не может сохранить его под этим именем",
    );
    // Only the Latin slug with dots and digits passes.
    let dir = case("good");
    let yaml = std::fs::read_to_string(dir.path().join("letopis.yaml"))
        .unwrap()
        .replace("  id: \"2025\"", "  id: \"2025.2_osen\"");
    std::fs::write(dir.path().join("letopis.yaml"), yaml).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
}

/// A group code typed with a Latin K among Cyrillic letters: the warning names the letter; the
/// references typed right then fail at their own lines.
#[test]
fn ids_mixing_cyrillic_and_latin_look_alikes_name_the_letters() {
    let dir = case("good");
    let g = std::fs::read_to_string(dir.path().join("groups.csv"))
        .unwrap()
        .replace("ПК-12,ПК-ОФ", "ПK-12,ПК-ОФ");
    std::fs::write(dir.path().join("groups.csv"), g).unwrap();
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        "groups.csv:2:1: предупреждение: код «ПK-12» смешивает русские и латинские буквы, похожие на вид: латинская «K» (знак 2)",
    );
    // Words of one script each are fine.
    let (code, out, _) = check(case("good").path(), &[]);
    assert_eq!(code, 0);
    assert!(!out.contains("смешивает"), "{out}");
}

/// Dubious but legal data is warned at its line; one SNILS on two learners and a time that
/// cannot be are errors.
#[test]
fn dubious_data_is_warned_at_its_line() {
    let dir = case("good");
    let p = dir.path();
    let lessons = std::fs::read_to_string(p.join("lessons.csv"))
        .unwrap()
        .replace("02.09.2025,10:00,2,", "02.09.2025,10:00,0,")
        .replace("09.09.2025,10:00,", "09.09.2025,25:99,")
        .replace("03.02.2025,18:00", "03.01.2025,18:00");
    std::fs::write(p.join("lessons.csv"), lessons).unwrap();
    let learners = std::fs::read_to_string(p.join("learners.csv"))
        .unwrap()
        .replace("Смирнов;Пётр", "Смирнов\u{202E};Пётр")
        .replace(
            "ЛД-003;Кузнецова;Ольга;Ивановна;;ж;;",
            "ЛД-003;Кузнецова;Ольга;Ивановна;;ж;112-233-445 95;",
        );
    std::fs::write(p.join("learners.csv"), learners).unwrap();
    std::fs::create_dir(p.join("grades.yaml")).unwrap();
    let (code, out, _) = check(p, &[]);
    assert_eq!(code, 1, "{out}");
    for l in [
        "grades.yaml: предупреждение: это папка, названная как файл записей: она не читается как записи",
        "learners.csv:3:2: предупреждение: в ФИО слушателя «ЛД-002» невидимые знаки направления текста (U+202A–U+202E, U+2066–U+2069): на странице имя может читаться иначе",
        "learners.csv:4:7: ошибка: СНИЛС 112-233-445 95 указан и у слушателя «ЛД-001» (learners.csv:2), и у «ЛД-003»",
        "lessons.csv:2:5: предупреждение: hours (часов): 0 часов: занятие не войдёт в часы слушателей",
        "lessons.csv:3:4: ошибка: time (время): времени «25:99» не бывает",
        "lessons.csv:4:3: предупреждение: занятие 03.01.2025 вне дат группы ПП-3: 01.02.2025–20.12.2025",
    ] {
        has(&out, l);
    }
}

/// Names Windows and USB sticks cannot hold are errors of `check`, before a build would fail on
/// them (they can only be made on Unix).
#[cfg(unix)]
#[test]
fn names_windows_forbids_are_reported() {
    let dir = case("good");
    std::fs::create_dir_all(dir.path().join("scans")).unwrap();
    for name in [
        "scans/a:b.pdf",
        "scans/CON.pdf",
        "scans/акт.",
        "scans/Readme.txt",
        "scans/README.txt",
    ] {
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    let (code, out, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    for line in [
        "scans/CON.pdf: ошибка: имя «CON.pdf» зарезервировано в Windows для устройства CON",
        "scans/a:b.pdf: ошибка: в имени «a:b.pdf» есть знак «:», недопустимый в Windows",
        "scans/акт.: ошибка: имя «акт.» кончается точкой или пробелом: Windows их отбрасывает",
        "scans/Readme.txt: ошибка: имя отличается от «scans/README.txt» только регистром букв: в Windows это один и тот же файл",
    ] {
        assert!(out.lines().any(|l| l == line), "missing\n{line}\nin\n{out}");
    }
    assert!(
        out.contains("подсказка: переименуйте файл или папку"),
        "{out}"
    );
}

/// A mark after the learner's expulsion from the lesson's group and a grade item tied to
/// another group's lesson are warned at their lines.
#[test]
fn marks_after_expulsion_and_items_on_another_groups_lesson_are_warned() {
    let dir = case("good");
    let p = dir.path();
    std::fs::write(
        p.join("enrolments.csv"),
        "learner,group,date,order,outcome,outcome_date\nЛД-001,ПК-12,01.09.2025,12-у,,\nЛД-002,ПК-12,01.09.2025,12-у,отчислен,05.09.2025\nЛД-003,ПП-3,01.02.2025,,завершил,\n",
    )
    .unwrap();
    let items = std::fs::read_to_string(p.join("grade_items.csv"))
        .unwrap()
        .replace("текущий,5,ПК-12-01", "текущий,5,ПП-3-01");
    std::fs::write(p.join("grade_items.csv"), items).unwrap();
    let (code, out, _) = check(p, &[]);
    assert_eq!(code, 0, "{out}");
    has(
        &out,
        "attendance.csv:5:1: предупреждение: отметка слушателя «ЛД-002» на занятии 09.09.2025 — после отчисления из группы ПК-12 (05.09.2025)",
    );
    has(
        &out,
        "grade_items.csv:2:6: предупреждение: элемент оценивания «ПК-12-Т1» группы ПК-12 привязан к занятию «ПП-3-01» другой группы (ПП-3)",
    );
}

/// A row referring to an unreadable kind through two fields is one rejected row: the count in
/// the message agrees with the table.
#[test]
fn cascade_counts_are_of_rows_and_agree_with_the_table() {
    let dir = case("good");
    let p = dir.path();
    std::fs::write(
        p.join("enrolments.csv"),
        "learner,group,date,order,outcome,outcome_date,outcome_order\nЛД-001,ПК-12,01.09.2025,12-у,,,\nЛД-002,ПК-12,01.09.2025,12-у,отчислен,05.09.2025,12-у\nЛД-003,ПП-3,01.02.2025,,завершил,,\n",
    )
    .unwrap();
    std::fs::remove_file(p.join("orders.csv")).unwrap();
    std::fs::write(p.join("orders.yaml"), "- id: 12-у\n\tdate: 29.08.2025\n").unwrap();
    let (code, out, _) = check(p, &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        "enrolments.csv: ошибка: строк отклонено: 2, потому что они ссылаются на записи orders («12-у»), отклонённые из-за собственных ошибок",
    );
    assert!(
        out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["enrolments.csv", "зачисления", "utf-8", ",", "3", "1", "2"]),
        "{out}"
    );
}
