//! Platform exports read as they are downloaded (issue 6): Moodle gradebook and attendance
//! exports, the FRDO register, Excel workbooks. The real binary runs on copies of
//! `tests/fixtures/check/good` with the export files laid over it; the files are written here
//! byte for byte as the platforms write them. The model the exports become is checked through
//! the library's `ingest::load`, the same code `check` runs.

mod common;
use letopis::ingest;
use letopis::model::*;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn good() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixtures().join("check/good");
    common::fixture::copy_dir(&from, dir.path());
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = common::cli::command()
        .arg("check")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap() + &err,
    )
}

fn has_line(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l == line),
        "missing line\n{line}\nin\n{out}"
    );
}

fn table_row(out: &str, cells: &[&str]) {
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == cells),
        "missing table row {cells:?} in\n{out}"
    );
}

fn tally<'a>(p: &'a Period, path: &str) -> (&'a str, &'a str, u64, u64, u64) {
    let s = p.sources.iter().find(|s| s.path == path).unwrap();
    (
        s.kind.as_str(),
        s.encoding.as_str(),
        s.rows_read,
        s.rows_kept,
        s.rows_rejected,
    )
}

/// An English Moodle's gradebook export saved with the semicolon separator: an item name with
/// `: `, a feedback column, `-` for no grade, the course total, the export timestamp.
const GRADEBOOK_SEMICOLON: &str = "First name;Last name;ID number;Institution;Department;Email address;Quiz: Topic 1: safety rules (Real);Assignment: Report (Percentage);Assignment: Report (Feedback);Course total (Real);Last downloaded from this course\n\
Анна Сергеевна;Ёлкина;ЛД-001;;;a@example.ru;8.50;90.00 %;Отличный отчёт;88.25;1764495000\n\
Пётр;Смирнов;;;;;7.00;-;;35.00;1764495000\n";

#[test]
fn moodle_gradebook_with_semicolons_becomes_items_and_grades() {
    let dir = good();
    write(dir.path(), "grades-pk12.csv", GRADEBOOK_SEMICOLON);
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    // 3 items + 5 grades (Смирнов has no report grade).
    table_row(
        &out,
        &[
            "grades-pk12.csv",
            "moodle-grades",
            "utf-8",
            ";",
            "8",
            "8",
            "0",
        ],
    );
    assert!(!out.contains("неизвестный файл"), "{out}");

    let (p, _) = ingest::load(dir.path()).unwrap();
    let item = |t: &str| p.grade_items.iter().find(|i| i.title == t).unwrap();
    let quiz = item("Topic 1: safety rules");
    assert_eq!(quiz.id, "ПК-12: Topic 1: safety rules");
    assert_eq!(quiz.group, "ПК-12");
    assert_eq!(quiz.scale, Scale::Points(100.0));
    assert_eq!(quiz.control, Control::Current);
    assert_eq!(quiz.extra["moodle_module"], "Quiz");
    assert_eq!(
        quiz.extra["moodle_exported"],
        "30.11.2025 09:30:00 UTC (1764495000)"
    );
    assert_eq!(&*quiz.origin.file, "grades-pk12.csv");
    assert_eq!(item("Report").scale, Scale::Percent);
    assert_eq!(item("Course total").control, Control::Final);
    let report: Vec<&Grade> = p
        .grades
        .iter()
        .filter(|g| g.item == "ПК-12: Report")
        .collect();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].learner, "ЛД-001");
    assert_eq!(report[0].value, GradeValue::Percent(90.0));
    assert_eq!(report[0].comment.as_deref(), Some("Отличный отчёт"));
    assert_eq!(report[0].origin.line, 2);
    // Смирнов (no ID number, no email) was matched by name.
    assert!(
        p.grades
            .iter()
            .any(|g| g.learner == "ЛД-002" && g.item == "ПК-12: Course total" && g.raw == "35.00")
    );
}

#[test]
fn moodle_gradebook_russian_headers_missing_and_ambiguous_learners() {
    let dir = good();
    // Two learners named Смирнов Пётр.
    let learners = std::fs::read_to_string(dir.path().join("learners.csv")).unwrap()
        + "ЛД-004;Смирнов;Пётр;Ильич;;м;;\n";
    write(dir.path(), "learners.csv", learners);
    write(
        dir.path(),
        "enrolments.csv",
        std::fs::read_to_string(dir.path().join("enrolments.csv")).unwrap()
            + "ЛД-004,ПК-12,01.09.2025,12-у,\n",
    );
    write(
        dir.path(),
        "letopis.yaml",
        std::fs::read_to_string(dir.path().join("letopis.yaml")).unwrap()
            + "files:\n  \"Оценки ПК-12.csv\": {format: moodle-grades, group: ПК-12}\n",
    );
    // A Russian Moodle, default comma separator, decimal comma in quotes.
    write(
        dir.path(),
        "Оценки ПК-12.csv",
        "Имя,Фамилия,Индивидуальный номер,Адрес электронной почты,Тест: Входной контроль (Действительное значение),Итоговая оценка за курс (Действительное значение),Последняя загрузка из этого курса\n\
Анна Сергеевна,Ёлкина,ЛД-001,a@example.ru,\"8,50\",\"8,50\",1764495000\n\
Пётр,Смирнов,,,\"7,00\",\"7,00\",1764495000\n\
Иван,Сидоров,,i.sidorov@example.ru,\"6,00\",\"6,00\",1764495000\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "Оценки ПК-12.csv:3:2: ошибка: слушатель «Смирнов Пётр» неоднозначен: подходят «ЛД-002» (Смирнов Пётр) и «ЛД-004» (Смирнов Пётр Ильич)",
    );
    has_line(
        &out,
        "Оценки ПК-12.csv:4:2: ошибка: слушатель «Сидоров Иван, i.sidorov@example.ru» не найден в learners",
    );
    // 2 items + 2 grades of Ёлкина kept, the two rows of unmatched learners rejected.
    let (p, _) = ingest::load(dir.path()).unwrap();
    assert_eq!(
        tally(&p, "Оценки ПК-12.csv"),
        ("moodle-grades", "utf-8", 6, 4, 2)
    );
    let (_, en) = check(dir.path(), &["--lang", "en"]);
    has_line(
        &en,
        "Оценки ПК-12.csv:3:2: error: learner «Смирнов Пётр» is ambiguous: both «ЛД-002» (Смирнов Пётр) and «ЛД-004» (Смирнов Пётр Ильич) fit",
    );
}

#[test]
fn moodle_attendance_export_becomes_lessons_and_marks_and_summaries_are_checked() {
    let dir = good();
    // English Moodle, Russian status set, remarks columns, `?` for a session not taken; the
    // second row's Points were edited by hand.
    write(
        dir.path(),
        "attendance-pk12.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
ID number\tLast name\tFirst name\t08 Sep 2025 10.00AM Common\t\t15 Sep 2025 2.30PM ПК-12\t\tTaken sessions\tPoints\tPercentage\n\
ЛД-001\tЁлкина\tАнна\tП\t\tУ\tсправка\t2\t3 / 4\t75.0%\n\
ЛД-002\tСмирнов\tПётр\tН\t\t?\t\t1\t2 / 2\t0.0%\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    // 2 lessons + 3 marks.
    table_row(
        &out,
        &[
            "attendance-pk12.txt",
            "moodle-attendance",
            "utf-8",
            "TAB",
            "5",
            "5",
            "0",
        ],
    );
    has_line(
        &out,
        "attendance-pk12.txt:6:9: предупреждение: баллы: в выгрузке «2 / 2», а по отметкам строки «0 / 2»",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    let l = p
        .lessons
        .iter()
        .find(|l| l.id == "ПК-12-2025-09-15-1430")
        .unwrap();
    assert_eq!(l.time.as_deref(), Some("14:30"));
    assert_eq!(l.topic, "Занятие (журнал посещаемости Moodle)");
    assert_eq!(l.extra["moodle_course"], "Охрана труда");
    let a = p
        .attendance
        .iter()
        .find(|a| a.lesson == l.id && a.learner == "ЛД-001")
        .unwrap();
    assert_eq!(a.mark, Mark::Excused);
    assert_eq!(a.remark.as_deref(), Some("справка"));
    assert!(
        !p.attendance
            .iter()
            .any(|a| a.lesson == l.id && a.learner == "ЛД-002")
    );
}

/// An attendance row whose learner is not in learners.csv: an error at the row's surname column,
/// and the row kept whole among the rejected, so the file's counts still add up.
#[test]
fn moodle_attendance_row_of_an_unknown_learner_is_rejected_with_its_line() {
    let dir = good();
    write(
        dir.path(),
        "attendance-pk12.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
ID number\tLast name\tFirst name\t08 Sep 2025 10.00AM Common\tTaken sessions\tPoints\tPercentage\n\
ЛД-001\tЁлкина\tАнна\tП\t1\t2 / 2\t100.0%\n\
\tСидоров\tИван\tН\t1\t0 / 2\t0.0%\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "attendance-pk12.txt:6:2: ошибка: слушатель «Сидоров Иван» не найден в learners",
    );
    // 1 lesson + Ёлкина's mark kept; Сидоров's row rejected with every cell it had.
    let (p, _) = ingest::load(dir.path()).unwrap();
    assert_eq!(
        tally(&p, "attendance-pk12.txt"),
        ("moodle-attendance", "utf-8", 3, 2, 1)
    );
    let r = p
        .rejected
        .iter()
        .find(|r| &*r.origin.file == "attendance-pk12.txt")
        .expect("rejected row");
    assert_eq!(r.origin.line, 6);
    assert_eq!(
        r.values.get("Last name").map(String::as_str),
        Some("Сидоров")
    );
    assert_eq!(r.values.get("Points").map(String::as_str), Some("0 / 2"));
}

/// The FRDO upload template's 40 columns.
const FRDO_HEADER: &str = "Название документа;Вид документа;Статус документа;Подтверждение утраты;Подтверждение обмена;Подтверждение уничтожения;Серия документа;Номер документа;Дата выдачи документа;Регистрационный номер;Дополнительная профессиональная программа (повышение квалификации/ профессиональная переподготовка);Наименование дополнительной профессиональной программы;Наименование области профессиональной деятельности;Укрупненные группы специальностей;Наименование квалификации, профессии, специальности;Уровень образования ВО/СПО;Фамилия, указанная в дипломе о ВО или СПО;Серия документа о ВО/СПО;Номер документа о ВО/СПО;Год начала обучения;Год окончания обучения;Срок обучения, часов;Фамилия получателя;Имя получателя;Отчество получателя;Дата рождения получателя;Пол получателя;СНИЛС;Форма обучения;Источник финансирования обучения;Форма получения образования на момент прекращения образовательных отношений;Гражданство получателя (код страны по ОКСМ);Наименование документа об образовании (оригинала);Серия (оригинала);Номер (оригинала);Регистрационный N (оригинала);Дата выдачи (оригинала);Фамилия получателя (оригинала);Имя получателя (оригинала);Отчество получателя (оригинала)";

fn frdo_row(cells: &[(usize, &str)]) -> String {
    let mut row = vec![""; 40];
    for (i, v) in cells {
        row[*i] = v;
    }
    row.join(";")
}

#[test]
fn frdo_register_fills_missing_learner_data_and_reports_conflicts() {
    let dir = good();
    assert_eq!(FRDO_HEADER.split(';').count(), 40);
    let doc = "Диплом о профессиональной переподготовке";
    // Кузнецова (no birth date in learners) by name; Ёлкина by SNILS, with another birth date.
    let body = [
        frdo_row(&[
            (0, doc),
            (1, doc),
            (2, "Оригинал"),
            (6, "77"),
            (7, "000200"),
            (8, "20.12.2025"),
            (9, "ПП-2025-001"),
            (11, "Бухгалтерский учёт"),
            (22, "Кузнецова"),
            (23, "Ольга"),
            (24, "Ивановна"),
            (25, "05.05.1992"),
            (26, "Жен"),
            (27, "123-456-789 64"),
        ]),
        frdo_row(&[
            (1, "Удостоверение о повышении квалификации"),
            (2, "Дубликат"),
            (7, "000124"),
            (8, "01.12.2025"),
            (9, "ПК-2025-002"),
            (22, "Ёлкина"),
            (23, "Анна"),
            (24, "Сергеевна"),
            (25, "13.03.1990"),
            (27, "112-233-445 95"),
        ]),
        // Ёлкина's SNILS with another recipient's name.
        frdo_row(&[
            (1, doc),
            (7, "000201"),
            (8, "20.12.2025"),
            (9, "ПП-2025-002"),
            (22, "Смирнов"),
            (23, "Пётр"),
            (27, "112-233-445 95"),
        ]),
    ];
    let text = format!("{FRDO_HEADER}\r\n{}\r\n", body.join("\r\n"));
    // Saved from Excel: Windows-1251.
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    write(dir.path(), "frdo.csv", bytes);
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");

    has_line(
        &out,
        "frdo.csv:3:26: предупреждение: дата рождения в реестре ФРДО «13.03.1990» расходится с данными слушателя «ЛД-001» (learners.csv:2) «12.03.1990»: оставлены данные слушателя",
    );
    has_line(
        &out,
        "frdo.csv:4:28: ошибка: СНИЛС 112-233-445 95 принадлежит слушателю «ЛД-001» (Ёлкина Анна Сергеевна), а в реестре получатель — Смирнов Пётр",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    // (`check` prints the per-file table only when there are no errors.)
    assert_eq!(tally(&p, "frdo.csv"), ("frdo", "windows-1251", 3, 2, 1));
    let olga = p.learners.iter().find(|l| l.id == "ЛД-003").unwrap();
    assert_eq!(olga.birth_date, chrono::NaiveDate::from_ymd_opt(1992, 5, 5));
    assert_eq!(olga.snils.as_deref(), Some("123-456-789 64"));
    assert_eq!(olga.extra["filled_from"], "birth_date, snils: frdo.csv:2");
    let anna = p.learners.iter().find(|l| l.id == "ЛД-001").unwrap();
    assert_eq!(
        anna.birth_date,
        chrono::NaiveDate::from_ymd_opt(1990, 3, 12)
    );
    let d = p
        .issued_documents
        .iter()
        .find(|d| d.reg_number == "ПП-2025-001")
        .unwrap();
    assert_eq!(d.learner, "ЛД-003");
    assert_eq!(d.group.as_deref(), Some("ПП-3"));
    assert_eq!(d.kind, doc);
    assert_eq!(
        d.extra["Наименование дополнительной профессиональной программы"],
        "Бухгалтерский учёт"
    );
    let dup = p
        .issued_documents
        .iter()
        .find(|d| d.reg_number == "ПК-2025-002")
        .unwrap();
    assert!(dup.duplicate);
}

#[test]
fn xlsx_sheet_with_dates_as_serial_numbers() {
    let dir = good();
    std::fs::remove_file(dir.path().join("learners.csv")).unwrap();
    std::fs::copy(
        fixtures().join("exports/learners.xlsx"),
        dir.path().join("learners.xlsx"),
    )
    .unwrap();
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "learners.xlsx:Лист1:4:7: ошибка: snils (снилс): СНИЛС 112-233-445 00 не проходит проверку контрольного числа (должно быть 95)",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    let anna = p.learners.iter().find(|l| l.id == "ЛД-001").unwrap();
    assert_eq!(
        anna.birth_date,
        chrono::NaiveDate::from_ymd_opt(1990, 3, 12)
    );
    assert_eq!(&*anna.origin.file, "learners.xlsx");
    assert_eq!(anna.origin.line, 2);
    let petr = p.learners.iter().find(|l| l.id == "ЛД-002").unwrap();
    assert_eq!(petr.birth_date, chrono::NaiveDate::from_ymd_opt(1985, 7, 1));
    let src = p
        .sources
        .iter()
        .find(|s| s.path == "learners.xlsx")
        .unwrap();
    assert_eq!(
        (src.kind.as_str(), src.format.as_str()),
        ("learners", "xlsx")
    );
}

#[test]
fn a_table_matching_no_format_is_an_error_showing_its_first_line() {
    let dir = good();
    write(
        dir.path(),
        "отчёт.csv",
        "Слушатель;Баллы;Комментарий\nЁлкина;5;\n",
    );
    // A text note stays an unknown file (a warning).
    write(dir.path(), "заметки.txt", "Сдать архив до 25 января\n");
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "отчёт.csv:1: ошибка: формат таблицы не распознан; первая строка: «Слушатель;Баллы;Комментарий»",
    );
    assert!(
        out.contains(
            "подсказка: известные форматы: выгрузки платформ moodle-grades, moodle-attendance, frdo"
        ),
        "{out}"
    );
    has_line(
        &out,
        "заметки.txt: предупреждение: неизвестный файл: он будет сохранён в архиве как есть, но не прочитан",
    );
}

#[test]
fn moodle_gradebook_with_the_colon_separator() {
    let dir = good();
    // Moodle quotes the fields that contain the separator.
    write(
        dir.path(),
        "export.txt",
        "First name:Last name:Email address:\"Quiz: Test 1 (Real)\":\"Course total (Real)\":Last downloaded from this course\n\
Анна:Ёлкина:a@example.ru:9.00:9.00:1764495000\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    table_row(
        &out,
        &["export.txt", "moodle-grades", "utf-8", ":", "4", "4", "0"],
    );
}

#[test]
fn frdo_register_as_xlsx_with_date_cells_and_serial_numbers() {
    let dir = good();
    std::fs::copy(
        fixtures().join("exports/frdo.xlsx"),
        dir.path().join("Реестр ФРДО.xlsx"),
    )
    .unwrap();
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let (p, _) = ingest::load(dir.path()).unwrap();
    let d = p
        .issued_documents
        .iter()
        .find(|d| d.reg_number == "ПП-2025-010")
        .unwrap();
    assert_eq!(
        d.issue_date,
        chrono::NaiveDate::from_ymd_opt(2025, 12, 20).unwrap()
    );
    assert_eq!(d.learner, "ЛД-003");
    assert_eq!(&*d.origin.file, "Реестр ФРДО.xlsx");
    assert_eq!(d.origin.line, 2);
    let olga = p.learners.iter().find(|l| l.id == "ЛД-003").unwrap();
    assert_eq!(olga.birth_date, chrono::NaiveDate::from_ymd_opt(1992, 5, 5));
    assert_eq!(tally(&p, "Реестр ФРДО.xlsx"), ("frdo", "", 1, 1, 0));
}

#[test]
fn damaged_exports_never_panic() {
    // Every prefix and a few corruptions of each export: errors or warnings, never a crash.
    let exports: Vec<(&str, Vec<u8>)> = vec![
        ("grades.csv", GRADEBOOK_SEMICOLON.as_bytes().to_vec()),
        (
            "att.txt",
            b"Course\tX\nGroup\t\n\nLast name\tFirst name\t08 Sep 2025 10.00AM Common\t\tTaken sessions\tPoints\tPercentage\n\xD0\x81\xD0\xBB\tA\tZ\t\t\tx / y\t%\n".to_vec(),
        ),
        (
            "frdo.xlsx",
            std::fs::read(fixtures().join("exports/frdo.xlsx")).unwrap(),
        ),
    ];
    let dir = good();
    for (name, bytes) in &exports {
        for cut in [1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            let mut b = bytes[..cut].to_vec();
            if cut > 2 {
                b[cut / 2] ^= 0x55;
            }
            write(dir.path(), name, &b);
            let (code, out) = check(dir.path(), &[]);
            assert!(code == 0 || code == 1, "{name} cut {cut}: {code}\n{out}");
        }
        std::fs::remove_file(dir.path().join(name)).unwrap();
    }
}

#[test]
fn an_export_saved_under_a_record_kinds_name_is_told_by_its_header() {
    let dir = good();
    // The administrator saved the Moodle attendance export as attendance.txt next to the
    // journal's own attendance.csv, and named a file in letopis.yaml that is not there.
    write(
        dir.path(),
        "attendance.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
Last name\tFirst name\t22 Sep 2025 10.00AM Common\tTaken sessions\tPoints\tPercentage\n\
Ёлкина\tАнна Сергеевна\tP\t1\t2 / 2\t100.0%\n",
    );
    write(
        dir.path(),
        "letopis.yaml",
        std::fs::read_to_string(dir.path().join("letopis.yaml")).unwrap()
            + "files:\n  grades-old.csv: {format: moodle-grades}\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    table_row(
        &out,
        &[
            "attendance.txt",
            "moodle-attendance",
            "utf-8",
            "TAB",
            "2",
            "2",
            "0",
        ],
    );
    has_line(
        &out,
        "letopis.yaml: предупреждение: files: файла «grades-old.csv» нет в папке выгрузки",
    );
    assert!(!out.contains("заданы дважды"), "{out}");
}

#[test]
fn a_gradebook_whose_group_cannot_be_told_is_an_error_with_the_fix() {
    let dir = good();
    // Ёлкина studies in ПК-12, Кузнецова in ПП-3: no common group, none named in letopis.yaml.
    write(
        dir.path(),
        "course.csv",
        "First name,Last name,Email address,Quiz: Test (Real),Last downloaded from this course\n\
Анна,Ёлкина,a@example.ru,9.00,1764495000\n\
Ольга,Кузнецова,,8.00,1764495000\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "course.csv: ошибка: не удаётся определить группу выгрузки: её слушатели не зачислены в одну общую группу",
    );
    has_line(
        &out,
        "    подсказка: укажите группу в letopis.yaml: files: {\"course.csv\": {group: ПК-12}}",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    assert_eq!(tally(&p, "course.csv"), ("moodle-grades", "utf-8", 2, 0, 2));
}

/// Builds a draft archive of `dir` into a new temporary folder; returns it and the archive's
/// `data/` folder.
fn build_draft(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let o = common::cli::command()
        .arg("build")
        .arg(dir)
        .arg("--draft")
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let archive = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("data").is_dir())
        .unwrap();
    (out, archive.join("data"))
}

/// A Russian Moodle 4.x gradebook: the display types as its language pack names them
/// («Значение», «Проценты», «Буква», «Отзыв»), several types of one item, decimal commas.
const GRADEBOOK_RU: &str = "Имя,Фамилия,Индивидуальный номер,Учреждение,Отдел,Адрес электронной почты,Тест: Входной контроль (Значение),Тест: Входной контроль (Проценты),Тест: Входной контроль (Буква),Тест: Входной контроль (Отзыв),Задание: Отчёт (Проценты),Задание: Отчёт (Буква),Итоговая оценка за курс (Значение),Последняя загрузка из этого курса\n\
Анна Сергеевна,Ёлкина,ЛД-001,,,a@example.ru,\"8,50\",\"85,00 %\",B,Хорошо,\"90,00 %\",A-,\"88,25\",1764495000\n\
Пётр,Смирнов,,,,,\"7,00\",\"70,00 %\",C-,-,-,-,\"35,00\",1764495000\n";

#[test]
fn russian_moodle_gradebook_reads_every_display_type_in_csv_and_xlsx() {
    let dir = good();
    write(dir.path(), "Оценки ПК-12.csv", GRADEBOOK_RU);
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    // 3 items + 5 grades (Смирнов has no report grade); no column is left as extra fields.
    table_row(
        &out,
        &[
            "Оценки",
            "ПК-12.csv",
            "moodle-grades",
            "utf-8",
            ",",
            "8",
            "8",
            "0",
        ],
    );
    assert!(!out.contains("дополнительные поля"), "{out}");
    let (p, _) = ingest::load(dir.path()).unwrap();
    let item = |t: &str| p.grade_items.iter().find(|i| i.title == t).unwrap();
    assert_eq!(item("Входной контроль").scale, Scale::Points(100.0));
    // Percentage and Letter without Real: the percentage is the grade.
    assert_eq!(item("Отчёт").scale, Scale::Percent);
    assert_eq!(item("Итоговая оценка за курс").control, Control::Final);
    let grade = |it: &str, l: &str| {
        p.grades
            .iter()
            .find(|g| g.item == format!("ПК-12: {it}") && g.learner == l)
            .unwrap()
    };
    let g = grade("Входной контроль", "ЛД-001");
    assert_eq!(g.value, GradeValue::Points(8.5));
    assert_eq!(g.comment.as_deref(), Some("Хорошо"));
    assert_eq!(g.extra["Тест: Входной контроль (Буква)"], "B");
    assert_eq!(g.extra["Тест: Входной контроль (Проценты)"], "85,00 %");
    let r = grade("Отчёт", "ЛД-001");
    assert_eq!(r.value, GradeValue::Percent(90.0));
    assert_eq!(r.extra["Задание: Отчёт (Буква)"], "A-");
    assert_eq!(grade("Итоговая оценка за курс", "ЛД-002").raw, "35,00");

    // The letters and percentages beside the grades are on the learner's page.
    let (_out, data) = build_draft(dir.path());
    let page = std::fs::read_to_string(data.join("learners/ld-001.html")).unwrap();
    assert!(
        page.contains("<td>Хорошо<br>Тест: Входной контроль (Буква): B<br>Тест: Входной контроль (Проценты): 85,00 %\n"),
        "{page}"
    );
    assert!(page.contains("<td>Задание: Отчёт (Буква): A-\n"), "{page}");

    // The same export as Moodle's Excel file.
    let dir = good();
    std::fs::copy(
        fixtures().join("exports/moodle-ru.xlsx"),
        dir.path().join("moodle-ru.xlsx"),
    )
    .unwrap();
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    // 2 items + 3 grades (Смирнов's course total is «-»).
    table_row(&out, &["moodle-ru.xlsx", "moodle-grades", "5", "5", "0"]);
    let (p, _) = ingest::load(dir.path()).unwrap();
    let g = p
        .grades
        .iter()
        .find(|g| g.item == "ПК-12: Итоговая оценка за курс")
        .unwrap();
    assert_eq!(
        (g.value, g.comment.as_deref()),
        (GradeValue::Points(88.25), Some("Зачтено с отличием"))
    );
    let g = p
        .grades
        .iter()
        .find(|g| g.item == "ПК-12: Входной контроль" && g.learner == "ЛД-002")
        .unwrap();
    assert_eq!(g.value, GradeValue::Points(7.0));
    assert_eq!(g.extra["Тест: Входной контроль (Буква)"], "C-");
}

#[test]
fn letters_alone_of_no_scale_fail_the_run_once_per_column() {
    let dir = good();
    // Moodle's default letters A–F with no Real or Percentage column to carry the grade.
    write(
        dir.path(),
        "g.csv",
        "First name;Last name;ID number;Quiz: Test 1 (Real);Assignment: Report (Letter);Last downloaded from this course\n\
Анна;Ёлкина;ЛД-001;8.50;A-;1764495000\n\
Пётр;Смирнов;ЛД-002;7.00;F;1764495000\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "g.csv:1:5: ошибка: буквенные оценки столбца «Assignment: Report (Letter)» (например «A-») не укладываются ни в шкалу 2–5, ни в зачёт/незачёт: оценки не прочитаны",
    );
    assert_eq!(out.matches("g.csv:").count(), 1, "{out}");
    assert!(!out.contains("шкала): недопустимое значение"), "{out}");
    let (p, _) = ingest::load(dir.path()).unwrap();
    // 1 item + 2 grades kept, the two letters rejected with their values.
    assert_eq!(tally(&p, "g.csv"), ("moodle-grades", "utf-8", 5, 3, 2));
    let r: Vec<&RejectedRow> = p
        .rejected
        .iter()
        .filter(|r| &*r.origin.file == "g.csv")
        .collect();
    assert_eq!(r[1].values["Assignment: Report (Letter)"], "F");
    assert_eq!(r[1].origin.line, 3);
}

#[test]
fn cr_only_line_breaks_of_excel_for_mac_are_read_row_by_row() {
    let dir = good();
    write(
        dir.path(),
        "grades-pk12.csv",
        GRADEBOOK_SEMICOLON.replace('\n', "\r"),
    );
    // Our own record file too, with a wrong SNILS in its 4th line.
    let learners = std::fs::read_to_string(dir.path().join("learners.csv"))
        .unwrap()
        .replace(
            "ЛД-003;Кузнецова;Ольга;Ивановна;;ж;;",
            "ЛД-003;Кузнецова;Ольга;Ивановна;;ж;112-233-445 00;",
        )
        .replace("\r\n", "\r");
    write(dir.path(), "learners.csv", learners);
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "learners.csv:4:7: ошибка: snils (снилс): СНИЛС 112-233-445 00 не проходит проверку контрольного числа (должно быть 95)",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    assert_eq!(
        tally(&p, "grades-pk12.csv"),
        ("moodle-grades", "utf-8", 8, 8, 0)
    );
    assert_eq!(tally(&p, "learners.csv").2, 3);
}

#[test]
fn a_blank_line_does_not_shift_the_line_numbers_after_it() {
    let dir = good();
    let learners = std::fs::read_to_string(dir.path().join("learners.csv"))
        .unwrap()
        .replace("\r\nЛД-002", "\r\n\r\nЛД-002")
        .replace(
            "ЛД-002;Смирнов;Пётр;;1985-07-01;м;;",
            "ЛД-002;Смирнов;Пётр;;1985-07-01;м;112-233-445 00;",
        );
    write(dir.path(), "learners.csv", learners);
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "learners.csv:4:7: ошибка: snils (снилс): СНИЛС 112-233-445 00 не проходит проверку контрольного числа (должно быть 95)",
    );
}

#[test]
fn moodle_rows_shorter_than_the_header_or_cut_are_errors_and_kept_whole() {
    let dir = good();
    // Row 3 lost its last fields; the file ends in the middle of row 4.
    write(
        dir.path(),
        "g.csv",
        "First name;Last name;ID number;Quiz: Test 1 (Real);Course total (Real);Last downloaded from this course\n\
Анна;Ёлкина;ЛД-001;8.50;88.25;1764495000\n\
Пётр;Смирнов;ЛД-002;7.00\n\
Ольга;Кузнецова;ЛД-003;6.00;60.0",
    );
    write(
        dir.path(),
        "att.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
ID number\tLast name\tFirst name\t08 Sep 2025 10.00AM Common\t\tTaken sessions\tPoints\tPercentage\n\
ЛД-001\tЁлкина\tАнна\tП\t\t1\t2 / 2\t100.0%\n\
ЛД-002\tСмирнов\tПётр\tН\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "g.csv:3:5: ошибка: в строке 4 полей, а в заголовке 6: строка обрывается перед столбцом 5 («Course total (Real)»)",
    );
    has_line(
        &out,
        "g.csv:4:6: ошибка: в строке 5 полей, а в заголовке 6: строка обрывается перед столбцом 6 («Last downloaded from this course»)",
    );
    has_line(
        &out,
        "att.txt:6:5: ошибка: в строке 4 полей, а в заголовке 8: строка обрывается перед столбцом 5",
    );
    let (p, _) = ingest::load(dir.path()).unwrap();
    // 2 items + Ёлкина's 2 grades kept; the two broken rows rejected whole.
    assert_eq!(tally(&p, "g.csv"), ("moodle-grades", "utf-8", 6, 4, 2));
    let cut = p
        .rejected
        .iter()
        .find(|r| &*r.origin.file == "g.csv" && r.origin.line == 4)
        .unwrap();
    assert_eq!(cut.values["Course total (Real)"], "60.0");
    assert_eq!(
        tally(&p, "att.txt"),
        ("moodle-attendance", "utf-8", 3, 2, 1)
    );
}

#[test]
fn an_attendance_session_with_an_impossible_date_fails_the_run() {
    let dir = good();
    write(
        dir.path(),
        "att.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
ID number\tLast name\tFirst name\t08 Sep 2025 10.00AM Common\t\t31 Feb 2025 7.00PM Common\t\tTaken sessions\tPoints\tPercentage\n\
ЛД-001\tЁлкина\tАнна\tП\t\tН\tболела\t2\t2 / 4\t50.0%\n\
ЛД-002\tСмирнов\tПётр\tН\t\tП\t\t2\t2 / 4\t50.0%\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "att.txt:4:6: ошибка: занятие «31 Feb 2025 7.00PM Common»: такой даты или времени не бывает; занятие и его отметки не прочитаны",
    );
    // The export's own totals still add up with the refused session's marks: no warnings.
    assert!(!out.contains("предупреждение"), "{out}");
    let (p, _) = ingest::load(dir.path()).unwrap();
    // 1 lesson + 2 marks kept; both rows' marks of 31 Feb rejected with the remark.
    assert_eq!(
        tally(&p, "att.txt"),
        ("moodle-attendance", "utf-8", 5, 3, 2)
    );
    let r = p
        .rejected
        .iter()
        .find(|r| &*r.origin.file == "att.txt" && r.origin.line == 5)
        .unwrap();
    assert_eq!(r.values["31 Feb 2025 7.00PM Common"], "Н");
    assert_eq!(r.values[""], "болела");
}

#[test]
fn frdo_columns_kept_as_extra_fields_are_shown_on_the_documents_page() {
    let dir = good();
    let doc = "Диплом о профессиональной переподготовке";
    let row = frdo_row(&[
        (1, doc),
        (2, "Оригинал"),
        (7, "000200"),
        (8, "20.12.2025"),
        (9, "ПП-2025-001"),
        (14, "Бухгалтер"),
        (21, "256"),
        (22, "Кузнецова"),
        (23, "Ольга"),
        (24, "Ивановна"),
        (25, "05.05.1992"),
    ]);
    write(dir.path(), "frdo.csv", format!("{FRDO_HEADER}\n{row}\n"));
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    let (_out, data) = build_draft(dir.path());
    let page = std::fs::read_to_string(data.join("issued.html")).unwrap();
    let tr = page
        .lines()
        .find(|l| l.contains("ПП-2025-001"))
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        tr.contains("Наименование квалификации, профессии, специальности: Бухгалтер"),
        "{tr}"
    );
    assert!(tr.contains("Срок обучения, часов: 256"), "{tr}");
}

#[test]
fn a_duplicate_across_two_files_names_both_places() {
    let dir = good();
    // The register lists the certificate issued_documents.csv already has.
    let row = frdo_row(&[
        (1, "Удостоверение о повышении квалификации"),
        (7, "000123"),
        (8, "30.11.2025"),
        (9, "ПК-2025-001"),
        (22, "Ёлкина"),
        (23, "Анна"),
        (24, "Сергеевна"),
        (27, "112-233-445 95"),
    ]);
    write(dir.path(), "frdo.csv", format!("{FRDO_HEADER}\n{row}\n"));
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{out}");
    // The record of the file sorted first stays; the other names it.
    has_line(
        &out,
        "issued_documents.csv:2:1: ошибка: повторяется регистрационный номер «ПК-2025-001»: такая запись уже есть в frdo.csv:2",
    );
}

#[test]
fn extra_columns_of_an_attendance_export_are_shown_with_the_marks() {
    let dir = good();
    write(
        dir.path(),
        "att.txt",
        "Course\tОхрана труда\nGroup\tПК-12\n\n\
ID number\tLast name\tFirst name\tInstitution\t08 Sep 2025 10.00AM Common\tTaken sessions\tPoints\tPercentage\n\
ЛД-001\tЁлкина\tАнна\tКолледж связи\tП\t1\t2 / 2\t100.0%\n",
    );
    let (code, out) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    has_line(
        &out,
        "att.txt:4:4: предупреждение: столбец «Institution» не переносится в записи: значения сохранены как дополнительные поля (attendance)",
    );
    let (_out, data) = build_draft(dir.path());
    let page = std::fs::read_to_string(data.join("learners/ld-001.html")).unwrap();
    assert!(page.contains("<td>Institution: Колледж связи\n"), "{page}");
}
