//! End-to-end tests of retention across archives: a group runs from October 2025 to March 2026, so
//! the 2025 archive has its learners still studying and the 2026 archive their completion or
//! expulsion. `letopis retention` takes the date from the later archive on the same medium and
//! says so; `dispose` removes the 2025 archive once every record in it is past its term. The real
//! binary on two small periods written here.

use std::path::{Path, PathBuf};

mod common;
use cli::{build, letopis, ok};
use common::cli;

/// Every learner's record one month after completion, lessons one month after their date, the
/// register of issued documents permanently (so the 2026 archive is never disposed of whole).
const CONFIG: &str = "organisation:
  name: ООО «Тест»
  slug: test
  head:
    name: Иванов Иван Иванович
    position: Директор
period:
  id: \"YEAR\"
  start: YEAR-01-01
  end: YEAR-12-31
retention:
  - records: [learners, enrolments, attendance, grades, protocol_results, awards, portfolio, credit_transfers, attachments]
    months: 1
    from: completion
    basis: п. 6.1
  - records: [lessons, grade_items, protocols, orders, documents]
    months: 1
    from: document_date
  - records: [issued_documents]
    permanent: true
commission:
  order: { number: 14-ОД, date: 2026-01-12 }
  chair: { name: Виноградова Марина Сергеевна, position: Директор }
  members:
    - { name: Тарасова Елена Петровна, position: Методист }
";

/// An input folder of `year` with the given CSV files (name, text).
fn input(root: &Path, dir: &str, year: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = root.join(dir);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("letopis.yaml"), CONFIG.replace("YEAR", year)).unwrap();
    std::fs::write(
        d.join("programmes.csv"),
        "id,kind,title,hours\nП1,ПК,Охрана труда,72\n",
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(d.join(name), text).unwrap();
    }
    d
}

const GROUP: &str = "id,programme,start,end\nГ-1,П1,2025-10-01,2026-03-31\n";
const LEARNERS: &str =
    "id,surname,name,patronymic,birth_date\nЛ1,Петров,Пётр,Ильич,1990-05-01\nЛ2,Сидорова,Анна,,\n";

/// 2025: both learners of Г-1 still studying.
fn period_2025(root: &Path) -> PathBuf {
    input(
        root,
        "in-2025",
        "2025",
        &[
            ("groups.csv", GROUP),
            ("learners.csv", LEARNERS),
            (
                "enrolments.csv",
                "learner,group,date,outcome,outcome_date\nЛ1,Г-1,2025-10-01,studying,\nЛ2,Г-1,2025-10-01,studying,\n",
            ),
            (
                "lessons.csv",
                "id,group,date,hours,topic\nУ1,Г-1,2025-10-01,2,Введение\n",
            ),
        ],
    )
}

/// 2026: Л1 completes on 31.03.2026 with a certificate, Л2 was expelled on 20.01.2026.
fn period_2026(root: &Path) -> PathBuf {
    input(
        root,
        "in-2026",
        "2026",
        &[
            ("groups.csv", GROUP),
            ("learners.csv", LEARNERS),
            (
                "enrolments.csv",
                "learner,group,date,outcome,outcome_date\nЛ1,Г-1,2025-10-01,completed,2026-03-31\nЛ2,Г-1,2025-10-01,expelled,2026-01-20\n",
            ),
            (
                "lessons.csv",
                "id,group,date,hours,topic\nУ2,Г-1,2026-01-15,2,Итоговое занятие\n",
            ),
            (
                "issued_documents.csv",
                "reg_number,learner,group,kind,number,issue_date\nР-1,Л1,Г-1,Удостоверение,000123,2026-03-31\n",
            ),
        ],
    )
}

/// 2026 as another export could give it: id Л1 now belongs to someone else, and Л2 is in a group
/// with another code (same programme and start).
fn period_2026_ambiguous(root: &Path) -> PathBuf {
    input(
        root,
        "in-2026-amb",
        "2026",
        &[
            (
                "groups.csv",
                "id,programme,start,end\nГ-1,П1,2025-10-01,2026-03-31\nГ-1А,П1,2025-10-01,2026-03-31\n",
            ),
            (
                "learners.csv",
                "id,surname,name,patronymic,birth_date\nЛ1,Зайцев,Иван,,1988-02-02\nЛ2,Сидорова,Анна,,\n",
            ),
            (
                "enrolments.csv",
                "learner,group,date,outcome,outcome_date\nЛ1,Г-1,2025-10-01,completed,2026-03-31\nЛ2,Г-1А,2025-10-01,expelled,2026-01-20\n",
            ),
        ],
    )
}

fn json(root: &Path, medium: &str, as_of: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&letopis(
        &["retention", medium, "--as-of", as_of, "--json"],
        root,
    )))
    .unwrap()
}

fn archive<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["archives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {v}"))
}

fn act(root: &Path, medium: &str, number: &str, as_of: &str, config: &Path) -> String {
    let out = format!("act-{medium}-{as_of}.html");
    ok(&letopis(
        &[
            "retention",
            medium,
            "--act",
            number,
            "--as-of",
            as_of,
            "--config",
            config.to_str().unwrap(),
            "--out",
            &out,
        ],
        root,
    ));
    out
}

#[test]
fn completion_from_the_later_archive_lets_the_earlier_one_expire_and_be_disposed_of() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let p25 = period_2025(root);
    let p26 = period_2026(root);
    build(root, &p25, &["A", "B"]);
    // Alone on its medium, the 2025 archive has no completion: its learners' records never expire.
    let alone = ok(&letopis(&["retention", "A", "--as-of", "2030-01-01"], root));
    assert!(
        alone.contains("Личные карточки слушателей (2): срок не начался: нет даты события «окончание обучения или отчисление»; более поздних архивов на носителе нет — 2"),
        "{alone}"
    );
    build(root, &p26, &["A", "C"]);
    // The sealed facts of the 2025 archive are unchanged by the later archive: the date is only
    // added when the medium is read.
    let sealed = std::fs::read_to_string(root.join("A/test-2025/data/retention.json")).unwrap();
    assert_eq!(
        sealed,
        std::fs::read_to_string(root.join("B/test-2025/data/retention.json")).unwrap()
    );
    assert!(!sealed.contains("event_source"));
    assert!(sealed.contains("\"outcome\":\"studying\""), "{sealed}");

    // 29.04.2026: Л2's term (expelled 20.01.2026, one month) has ended, Л1's (completed 31.03.2026)
    // ends 30.04.2026; both dates from test-2026.
    let before = ok(&letopis(&["retention", "A", "--as-of", "2026-04-29"], root));
    assert!(
        before.contains("Сидорова Анна; событие 20.01.2026 (дата окончания обучения или отчисления из архива test-2026); срок 1 месяц, истёк 20.02.2026 (записей: 1)"),
        "{before}"
    );
    assert!(
        before.contains("Личные карточки слушателей (1): в сроке хранения (дата окончания обучения или отчисления из архива test-2026) — 1, сроки истекают 30.04.2026–30.04.2026"),
        "{before}"
    );
    let v = json(root, "A", "2026-04-29");
    let a25 = archive(&v, "test-2025");
    let kept = a25["kept"].as_array().unwrap();
    let card = kept
        .iter()
        .find(|i| i["kind"] == "learners" && i["learner"] == "Л1")
        .unwrap();
    assert_eq!(card["event_date"], "2026-03-31");
    assert_eq!(card["end"], "2026-04-30");
    assert_eq!(card["event_source"], "test-2026");
    assert!(card["reason"].as_str().unwrap().contains(
        "срок истекает 30.04.2026 (дата окончания обучения или отчисления из архива test-2026)"
    ));
    // The 2026 archive's own records count from its own dates.
    let a26 = archive(&v, "test-2026");
    assert!(
        a26["expired"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i.get("event_source").is_none())
    );

    // An act before the term: the 2025 archive is only partly expired, nothing to dispose of.
    let early = act(root, "A", "1", "2026-04-29", &p25);
    let r = letopis(&["dispose", "A", "--act", &early], root);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("удалять нечего"));
    assert!(root.join("A/test-2025/bagit.txt").is_file());

    // 30.04.2026: every record of the 2025 archive is past its term.
    let after = ok(&letopis(&["retention", "A", "--as-of", "2026-04-30"], root));
    assert!(
        after.contains("Срок хранения истёк к 30.04.2026: 5 (записей: 5) — все записи архива"),
        "{after}"
    );
    let file = act(root, "A", "2", "2026-04-30", &p25);
    let html = std::fs::read_to_string(root.join(&file)).unwrap();
    assert!(
        html.contains(
            "1 месяц, истёк 30.04.2026; окончание обучения или отчисление 31.03.2026 — по архиву test-2026; п. 6.1"
        ),
        "{html}"
    );
    assert!(html.contains("в 1 архиве: test-2025."), "{html}");

    // Without the later archive (medium B) the same act is refused: the records are in their term.
    let r = letopis(&["dispose", "B", "--act", &file], root);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(
        err.contains("в архиве test-2025 запись в сроке хранения: Личные карточки слушателей, Петров Пётр Ильич — срок не начался"),
        "{err}"
    );
    assert!(root.join("B/test-2025/bagit.txt").is_file());

    // On A the 2025 archive is removed whole; the 2026 archive, which gave the dates, stays.
    let out = ok(&letopis(&["dispose", "A", "--act", &file], root));
    assert!(
        out.contains("архив test-2025 уничтожен по акту № 2"),
        "{out}"
    );
    assert!(!root.join("A/test-2025").exists());
    assert!(root.join("A/test-2026/bagit.txt").is_file());
    ok(&letopis(&["verify", "A"], root));
}

#[test]
fn a_damaged_later_archive_is_not_used() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    build(root, &period_2025(root), &["A", "B"]);
    build(root, &period_2026(root), &["A", "B"]);
    // One payload byte of the 2026 archive changed on A: its dates are not taken; B still works.
    let page = root.join("A/test-2026/data/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("Г-1", "Г-7", 1)).unwrap();
    let out = ok(&letopis(&["retention", "A", "--as-of", "2027-01-01"], root));
    assert!(
        out.contains("срок не начался: нет даты события «окончание обучения или отчисление»; архивы test-2026 не проходят проверку контрольных сумм и не использованы — 2"),
        "{out}"
    );
    let out = ok(&letopis(&["retention", "B", "--as-of", "2027-01-01"], root));
    assert!(
        out.contains("Срок хранения истёк к 01.01.2027: 5 (записей: 5) — все записи архива"),
        "{out}"
    );
}

#[test]
fn a_reused_id_or_a_renamed_group_is_reported_not_guessed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    build(root, &period_2025(root), &["D", "E"]);
    build(root, &period_2026_ambiguous(root), &["D", "E"]);
    let v = json(root, "D", "2030-01-01");
    let a25 = archive(&v, "test-2025");
    let kept = a25["kept"].as_array().unwrap();
    let reason = |learner: &str| {
        let i = kept
            .iter()
            .find(|i| i["kind"] == "enrolments" && i["learner"] == learner)
            .unwrap_or_else(|| panic!("{learner} not kept: {a25}"));
        assert!(i["end"].is_null(), "{i}");
        assert!(i.get("event_source").is_none(), "{i}");
        (
            i["event_problem"]["type"].as_str().unwrap().to_string(),
            i["reason"].as_str().unwrap().to_string(),
        )
    };
    let (kind, text) = reason("Л1");
    assert_eq!(kind, "other_person");
    assert!(
        text.contains("неоднозначно: в архиве test-2026 этот номер в этой группе у другого слушателя (Зайцев Иван); дата не взята"),
        "{text}"
    );
    let (kind, text) = reason("Л2");
    assert_eq!(kind, "unconfirmed");
    assert!(
        text.contains("в архиве test-2026 тот же человек под номером Л2 в группе Г-1А (другой номер или переименованная группа?); дата не взята"),
        "{text}"
    );
    // In English too.
    let en = ok(&letopis(
        &["retention", "D", "--as-of", "2030-01-01", "--lang", "en"],
        root,
    ));
    assert!(
        en.contains("ambiguous: in archive test-2026 this id in this group belongs to another learner (Зайцев Иван); no date taken"),
        "{en}"
    );
}
