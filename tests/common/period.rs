//! A small period built in code, for the tests of the search and render stages (the library's
//! unit tests include this file as `crate::model::fixture`). The including module must have `model`
//! (letopis::model) in scope.

use super::model::*;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn o(file: &str, line: u64) -> Origin {
    Origin::new(file.into(), line)
}

/// A learner with a patronymic and nothing else optional.
pub fn learner(
    id: &str,
    surname: &str,
    name: &str,
    patronymic: &str,
    snils: Option<&str>,
) -> Learner {
    Learner {
        id: id.into(),
        surname: surname.into(),
        name: name.into(),
        patronymic: Some(patronymic.into()),
        birth_date: None,
        sex: None,
        snils: snils.map(str::to_string),
        email: None,
        phone: None,
        platform_ids: vec![],
        origin: o("learners.csv", 2),
        extra: Extra::new(),
    }
}

fn enrol(learner: &str, group: &str) -> Enrolment {
    Enrolment {
        learner: learner.into(),
        group: group.into(),
        date: d(2025, 9, 1),
        order: None,
        outcome: Outcome::Completed,
        outcome_date: None,
        outcome_order: None,
        reason: None,
        origin: o("enrolments.csv", 2),
        extra: Extra::new(),
    }
}

fn lesson(id: &str, group: &str, date: NaiveDate, topic: &str) -> Lesson {
    Lesson {
        id: id.into(),
        group: group.into(),
        date,
        time: Some("10:00".into()),
        hours: 2.0,
        topic: topic.into(),
        teacher: Some("Кузнецов Игорь Павлович".into()),
        kind: Some("лекция".into()),
        origin: o("lessons.csv", 2),
        extra: Extra::new(),
    }
}

pub fn period() -> Period {
    let yaml = "organisation:\n  name: Учебный центр\n  slug: umc\n  head:\n    name: Иванов И. И.\n    position: Директор\nperiod:\n  id: '2025'\n  start: 2025-01-01\n  end: 2025-12-31\n";
    let config: Config = serde_norway::from_str(yaml).expect("config");
    let group = |id: &str, prog: &str, start: NaiveDate, end: NaiveDate| Group {
        id: id.into(),
        programme: prog.into(),
        start,
        end,
        curator: None,
        origin: o("groups.csv", 2),
        extra: Extra::new(),
    };
    Period {
        config,
        programmes: vec![
            Programme {
                id: "ПК-ОТ".into(),
                kind: ProgrammeKind::Advanced,
                title: "Охрана труда".into(),
                hours: 40,
                form: None,
                origin: o("programmes.csv", 2),
                extra: Extra::new(),
            },
            Programme {
                id: "ПП-БУ".into(),
                kind: ProgrammeKind::Retraining,
                title: "Бухгалтерский учёт".into(),
                hours: 256,
                form: None,
                origin: o("programmes.csv", 3),
                extra: Extra::new(),
            },
        ],
        groups: vec![
            group("ПК-12", "ПК-ОТ", d(2025, 9, 1), d(2025, 10, 30)),
            group("ПП-3", "ПП-БУ", d(2024, 2, 1), d(2025, 6, 30)),
        ],
        learners: vec![
            learner(
                "Л-001",
                "Смирнова",
                "Анна",
                "Петровна",
                Some("112-233-445 95"),
            ),
            learner("Л-002", "Смирнов", "Олег", "Иванович", None),
            learner("Л-003", "Семёнова", "Алёна", "Юрьевна", None),
            learner("Л-004", "Кузнецов", "Пётр", "Ильич", None),
        ],
        enrolments: vec![
            enrol("Л-001", "ПК-12"),
            enrol("Л-002", "ПП-3"),
            enrol("Л-003", "ПК-12"),
            enrol("Л-004", "ПП-3"),
        ],
        orders: vec![Order {
            id: "12-у".into(),
            date: d(2025, 9, 1),
            kind: OrderKind::Enrolment,
            group: Some("ПК-12".into()),
            title: "О зачислении слушателей в группу ПК-12".into(),
            text: Some("Зачислить на обучение по программе «Охрана труда»".into()),
            file: None,
            origin: o("orders.csv", 2),
            extra: Extra::new(),
        }],
        lessons: vec![
            lesson(
                "З-1",
                "ПК-12",
                d(2025, 9, 2),
                "Пожарная безопасность на предприятии",
            ),
            lesson("З-2", "ПК-12", d(2025, 9, 3), "Первая помощь пострадавшим"),
            lesson("З-3", "ПП-3", d(2024, 3, 1), "Учёт основных средств"),
        ],
        attendance: vec![],
        grade_items: vec![],
        grades: vec![],
        protocols: vec![],
        protocol_results: vec![],
        issued_documents: vec![IssuedDocument {
            reg_number: "2025/017".into(),
            learner: "Л-001".into(),
            group: Some("ПК-12".into()),
            kind: "Удостоверение о повышении квалификации".into(),
            series: Some("77".into()),
            number: "0012-345".into(),
            issue_date: d(2025, 10, 30),
            duplicate: false,
            received_by: None,
            origin: o("issued_documents.csv", 2),
            extra: Extra::new(),
        }],
        awards: vec![],
        portfolio: vec![],
        credit_transfers: vec![],
        attachments: vec![],
        documents: vec![MarkdownDoc {
            id: "polozhenie".into(),
            path: "documents/polozhenie.md".into(),
            title: "Положение об архиве".into(),
            markdown: "# Положение об архиве\n\nЗаписи **хранятся** пять лет.".into(),
        }],
        sources: vec![],
        rejected: vec![],
    }
}
