//! Record kinds and their columns: canonical English header, accepted Russian headers, required or
//! not. The same names are the keys of YAML records. Mirrors the doc comments of `model::types`.

use super::fields::norm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Programmes,
    Groups,
    Learners,
    Enrolments,
    Orders,
    Lessons,
    Attendance,
    GradeItems,
    Grades,
    Protocols,
    ProtocolResults,
    IssuedDocuments,
    Awards,
    Portfolio,
    CreditTransfers,
    Attachments,
}

pub struct Col {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn req(name: &'static str, aliases: &'static [&'static str]) -> Col {
    Col {
        name,
        aliases,
        required: true,
    }
}
const fn opt(name: &'static str, aliases: &'static [&'static str]) -> Col {
    Col {
        name,
        aliases,
        required: false,
    }
}

// The columns of each kind of file: canonical name, and the header names it is known by.

const PROGRAMMES: &[Col] = &[
    req("id", &["код", "код программы"]),
    req("kind", &["вид", "вид программы"]),
    req("title", &["наименование", "название"]),
    req("hours", &["часов", "часы", "объем"]),
    opt("form", &["форма обучения", "форма"]),
];

const GROUPS: &[Col] = &[
    req("id", &["группа", "код группы", "номер группы"]),
    req("programme", &["программа"]),
    req("start", &["начало", "дата начала"]),
    req("end", &["окончание", "дата окончания"]),
    opt("curator", &["куратор"]),
];

const LEARNERS: &[Col] = &[
    req("id", &["номер личного дела", "личное дело"]),
    req("surname", &["фамилия"]),
    req("name", &["имя"]),
    opt("patronymic", &["отчество"]),
    opt("birth_date", &["дата рождения"]),
    opt("sex", &["пол"]),
    opt("snils", &["снилс"]),
    opt("email", &["e-mail", "электронная почта", "почта"]),
    opt("phone", &["телефон"]),
    opt(
        "platform_id",
        &["id на платформе", "platform ids", "platform_ids"],
    ),
];

const ENROLMENTS: &[Col] = &[
    req("learner", &["слушатель"]),
    req("group", &["группа"]),
    req("date", &["дата зачисления"]),
    opt("order", &["приказ о зачислении", "приказ"]),
    opt("outcome", &["итог"]),
    opt("outcome_date", &["дата итога"]),
    opt(
        "outcome_order",
        &["приказ об отчислении", "приказ об итоге"],
    ),
    opt("reason", &["основание"]),
];

const ORDERS: &[Col] = &[
    req("id", &["номер", "номер приказа"]),
    req("date", &["дата"]),
    req("kind", &["вид"]),
    opt("group", &["группа"]),
    req("title", &["заголовок"]),
    opt("text", &["текст"]),
    opt("file", &["файл"]),
];

const LESSONS: &[Col] = &[
    req("id", &["код"]),
    req("group", &["группа"]),
    req("date", &["дата"]),
    opt("time", &["время"]),
    req("hours", &["часов", "часы"]),
    req("topic", &["тема"]),
    opt("teacher", &["преподаватель"]),
    opt("kind", &["вид занятия"]),
];

const ATTENDANCE: &[Col] = &[
    req("lesson", &["занятие"]),
    req("learner", &["слушатель"]),
    req("mark", &["отметка"]),
    opt("remark", &["примечание"]),
];

const GRADE_ITEMS: &[Col] = &[
    req("id", &["код"]),
    req("group", &["группа"]),
    req("title", &["наименование"]),
    req("control", &["вид контроля"]),
    req("scale", &["шкала"]),
    opt("lesson", &["занятие"]),
    opt("date", &["дата"]),
];

const GRADES: &[Col] = &[
    req("item", &["элемент"]),
    req("learner", &["слушатель"]),
    req("value", &["оценка"]),
    opt("date", &["дата"]),
    opt("comment", &["комментарий"]),
];

const PROTOCOLS: &[Col] = &[
    req("id", &["номер"]),
    req("date", &["дата"]),
    req("group", &["группа"]),
    req("kind", &["вид"]),
    req("chair", &["председатель"]),
    opt("members", &["члены комиссии"]),
    opt("secretary", &["секретарь"]),
];

const PROTOCOL_RESULTS: &[Col] = &[
    req("protocol", &["протокол"]),
    req("learner", &["слушатель"]),
    req("result", &["результат"]),
    opt("work", &["тема работы"]),
    opt("comment", &["комментарий"]),
];

const ISSUED_DOCUMENTS: &[Col] = &[
    req("reg_number", &["регистрационный номер"]),
    req("learner", &["слушатель"]),
    opt("group", &["группа"]),
    req("kind", &["вид документа"]),
    opt("series", &["серия"]),
    req("number", &["номер"]),
    req("issue_date", &["дата выдачи"]),
    opt("duplicate", &["дубликат"]),
    opt("received_by", &["получил"]),
];

const AWARDS: &[Col] = &[
    req("id", &["код", "номер"]),
    req("learner", &["слушатель"]),
    req("title", &["наименование"]),
    req("date", &["дата"]),
    opt("issuer", &["кем выдано"]),
    opt("level", &["уровень"]),
    opt("file", &["файл"]),
];

const PORTFOLIO: &[Col] = &[
    req("id", &["код", "номер"]),
    req("learner", &["слушатель"]),
    req("title", &["наименование"]),
    opt("kind", &["вид"]),
    opt("date", &["дата"]),
    opt("description", &["описание"]),
    opt("file", &["файл"]),
];

const CREDIT_TRANSFERS: &[Col] = &[
    req("id", &["код", "номер"]),
    req("learner", &["слушатель"]),
    req("group", &["группа"]),
    req("application_date", &["дата заявления"]),
    req("source_organisation", &["организация"]),
    req("source_document", &["документ"]),
    req("course", &["дисциплина"]),
    req("hours", &["часов", "часы"]),
    opt("form", &["форма аттестации"]),
    req("result", &["результат"]),
    req("decision", &["решение"]),
    opt("reason", &["причина"]),
    req("decision_date", &["дата решения"]),
];

const ATTACHMENTS: &[Col] = &[
    req("id", &["код", "номер"]),
    req("path", &["файл", "путь"]),
    req("title", &["наименование"]),
    opt("learner", &["слушатель"]),
    opt("group", &["группа"]),
    opt("lesson", &["занятие"]),
    opt("order", &["приказ"]),
    opt("kind", &["вид"]),
];

impl Kind {
    pub const ALL: [Kind; 16] = [
        Kind::Programmes,
        Kind::Groups,
        Kind::Learners,
        Kind::Enrolments,
        Kind::Orders,
        Kind::Lessons,
        Kind::Attendance,
        Kind::GradeItems,
        Kind::Grades,
        Kind::Protocols,
        Kind::ProtocolResults,
        Kind::IssuedDocuments,
        Kind::Awards,
        Kind::Portfolio,
        Kind::CreditTransfers,
        Kind::Attachments,
    ];

    /// The file stem: `learners` for `learners.csv` / `learners.yaml`.
    pub fn stem(self) -> &'static str {
        match self {
            Kind::Programmes => "programmes",
            Kind::Groups => "groups",
            Kind::Learners => "learners",
            Kind::Enrolments => "enrolments",
            Kind::Orders => "orders",
            Kind::Lessons => "lessons",
            Kind::Attendance => "attendance",
            Kind::GradeItems => "grade_items",
            Kind::Grades => "grades",
            Kind::Protocols => "protocols",
            Kind::ProtocolResults => "protocol_results",
            Kind::IssuedDocuments => "issued_documents",
            Kind::Awards => "awards",
            Kind::Portfolio => "portfolio",
            Kind::CreditTransfers => "credit_transfers",
            Kind::Attachments => "attachments",
        }
    }

    pub fn from_stem(stem: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.stem() == stem)
    }

    /// The columns of the kind's file, with the Russian names they may have in a header.
    pub fn columns(self) -> &'static [Col] {
        match self {
            Kind::Programmes => PROGRAMMES,
            Kind::Groups => GROUPS,
            Kind::Learners => LEARNERS,
            Kind::Enrolments => ENROLMENTS,
            Kind::Orders => ORDERS,
            Kind::Lessons => LESSONS,
            Kind::Attendance => ATTENDANCE,
            Kind::GradeItems => GRADE_ITEMS,
            Kind::Grades => GRADES,
            Kind::Protocols => PROTOCOLS,
            Kind::ProtocolResults => PROTOCOL_RESULTS,
            Kind::IssuedDocuments => ISSUED_DOCUMENTS,
            Kind::Awards => AWARDS,
            Kind::Portfolio => PORTFOLIO,
            Kind::CreditTransfers => CREDIT_TRANSFERS,
            Kind::Attachments => ATTACHMENTS,
        }
    }

    /// Index of the canonical column `name` (a programming error if absent: names are static).
    pub fn col(self, name: &str) -> usize {
        self.columns()
            .iter()
            .position(|c| c.name == name)
            .unwrap_or(usize::MAX)
    }

    /// The schema column a header names, if any.
    pub fn match_header(self, header: &str) -> Option<usize> {
        let h = norm(header);
        self.columns()
            .iter()
            .position(|c| norm(c.name) == h || c.aliases.iter().any(|a| norm(a) == h))
    }

    /// `surname (фамилия)`: how a column is named in messages.
    pub fn label(self, idx: usize) -> String {
        match self.columns().get(idx) {
            Some(c) => match c.aliases.first() {
                Some(ru) => format!("{} ({ru})", c.name),
                None => c.name.to_string(),
            },
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_both_languages() {
        let k = Kind::Learners;
        assert_eq!(k.match_header(" Фамилия "), Some(k.col("surname")));
        assert_eq!(k.match_header("ДАТА РОЖДЕНИЯ"), Some(k.col("birth_date")));
        assert_eq!(k.match_header("Birth_Date"), Some(k.col("birth_date")));
        assert_eq!(k.match_header("СНИЛС"), Some(k.col("snils")));
        assert_eq!(k.match_header("любимый цвет"), None);
        assert_eq!(Kind::Grades.match_header("Зачёт"), None);
        assert_eq!(Kind::CreditTransfers.match_header("Решение"), Some(10));
        for k in Kind::ALL {
            assert_eq!(Kind::from_stem(k.stem()), Some(k));
            for (i, c) in k.columns().iter().enumerate() {
                assert_eq!(k.col(c.name), i);
                assert_eq!(k.match_header(c.name), Some(i), "{}", c.name);
            }
        }
    }
}
