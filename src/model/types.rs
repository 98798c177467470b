//! Records of a period. The doc comment of each struct lists the columns of its input file
//! (`<file stem>.csv` or `.yaml`): canonical English header, then the Russian header accepted as well.
//! Headers match case-insensitively; `*` marks a required column. Dates are `dd.mm.yyyy` or
//! `yyyy-mm-dd`; numbers accept a decimal comma. Columns not listed are kept in `extra`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a record came from: the input file (path relative to the input folder, `/` separators)
/// and the 1-based line of the record (for CSV the physical line where the record starts; for YAML
/// the line of the list item). The file name is shared by every record of the file (a period
/// has millions of records and a dozen files): 8 bytes in all. A line past 4,294,967,295 (a file
/// of more than 4 GB of empty lines) is recorded as that number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    pub file: Key,
    pub line: u32,
}

impl Origin {
    /// The origin of the record at `line` (1-based) of `file`.
    pub fn new(file: Key, line: u64) -> Origin {
        Origin {
            file,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }
}

pub use super::key::Key;

/// Unknown columns of a record, kept verbatim: header → value. Most records have none, so the
/// map is boxed only when it has something: an empty `Extra` is one null pointer (a period has
/// millions of attendance and grade rows).
// Boxed on purpose: an empty map costs 8 bytes (a null pointer), not 24.
#[allow(clippy::box_collection)]
#[derive(Debug, Clone, Default)]
pub struct Extra(Option<Box<BTreeMap<String, String>>>);

static NO_EXTRA: BTreeMap<String, String> = BTreeMap::new();

impl Extra {
    pub fn new() -> Self {
        Extra(None)
    }

    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0.map(|m| *m).unwrap_or_default()
    }
}

/// Equal when the maps are: a map emptied (or touched through `DerefMut`) equals no map.
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::ops::Deref for Extra {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&NO_EXTRA)
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.get_or_insert_default()
    }
}

impl From<BTreeMap<String, String>> for Extra {
    fn from(m: BTreeMap<String, String>) -> Self {
        Extra((!m.is_empty()).then(|| Box::new(m)))
    }
}

impl FromIterator<(String, String)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        Extra::from(iter.into_iter().collect::<BTreeMap<_, _>>())
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// The validated period: everything `render`, `search` and `seal` need.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub config: super::Config,
    pub programmes: Vec<Programme>,
    pub groups: Vec<Group>,
    pub learners: Vec<Learner>,
    pub enrolments: Vec<Enrolment>,
    pub orders: Vec<Order>,
    pub lessons: Vec<Lesson>,
    pub attendance: Vec<Attendance>,
    pub grade_items: Vec<GradeItem>,
    pub grades: Vec<Grade>,
    pub protocols: Vec<Protocol>,
    pub protocol_results: Vec<ProtocolResult>,
    pub issued_documents: Vec<IssuedDocument>,
    pub awards: Vec<Award>,
    pub portfolio: Vec<PortfolioItem>,
    pub credit_transfers: Vec<CreditTransfer>,
    pub attachments: Vec<Attachment>,
    pub documents: Vec<MarkdownDoc>,
    /// Every input file, sorted by path, with its per-file tally.
    pub sources: Vec<SourceFile>,
    /// Rows that did not make it into the model, with the reason (nothing is lost silently).
    pub rejected: Vec<RejectedRow>,
}

/// One input file as read: what it was recognised as and how many rows went where.
/// `rows_read == rows_kept + rows_rejected` always holds.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    /// Path relative to the input folder, `/` separators.
    pub path: String,
    /// Record kind (file stem such as `learners`) or `config`, `document`, `attachment-file`.
    pub kind: String,
    /// `csv`, `yaml`, `markdown`, `binary`...
    pub format: String,
    /// `utf-8`, `utf-8-bom`, `windows-1251`; empty for binary files.
    pub encoding: String,
    /// `,` `;` or `\t` for CSV.
    pub delimiter: Option<char>,
    pub size: u64,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_rejected: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    pub origin: Origin,
    /// The row's raw cells (header → value) as read.
    pub values: BTreeMap<String, String>,
    /// Why it was rejected (the message of the error diagnostic), Russian and English.
    pub reason: super::Text,
}

/// `programmes`: `id*` (`код`), `kind*` (`вид`: ПК / ПП / ОР — повышение квалификации,
/// профессиональная переподготовка, общеразвивающая), `title*` (`наименование`), `hours*` (`часов`),
/// `form` (`форма обучения`, free text).
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub id: String,
    pub kind: ProgrammeKind,
    pub title: String,
    pub hours: u32,
    pub form: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// Повышение квалификации (ПК).
    Advanced,
    /// Профессиональная переподготовка (ПП).
    Retraining,
    /// Дополнительная общеразвивающая программа (ОР).
    General,
}

/// `groups`: `id*` (`группа`, the group number/code such as `ПК-12`), `programme*` (`программа`),
/// `start*` (`начало`), `end*` (`окончание`), `curator` (`куратор`).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub programme: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub curator: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `learners`: `id*` (`номер личного дела`), `surname*` (`фамилия`), `name*` (`имя`),
/// `patronymic` (`отчество`), `birth_date` (`дата рождения`), `sex` (`пол`: м/ж, m/f),
/// `snils` (`снилс`, `123-456-789 01`, checksum verified), `email`, `phone` (`телефон`),
/// `platform_id` (`id на платформе`: several ids separated by `;` or `,`).
#[derive(Debug, Clone, Serialize)]
pub struct Learner {
    pub id: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    /// Normalised to `123-456-789 01`.
    pub snils: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub platform_ids: Vec<String>,
    pub origin: Origin,
    pub extra: Extra,
}

impl Learner {
    /// `Фамилия Имя Отчество`.
    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.surname, self.name);
        if let Some(p) = &self.patronymic {
            s.push(' ');
            s.push_str(p);
        }
        s
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// `enrolments`: `learner*` (`слушатель`), `group*` (`группа`), `date*` (`дата зачисления`),
/// `order` (`приказ о зачислении`, an order id), `outcome` (`итог`: studying/completed/expelled —
/// обучается/завершил/отчислен; default studying), `outcome_date` (`дата итога`),
/// `outcome_order` (`приказ об отчислении`), `reason` (`основание`, e.g. reason of expulsion).
/// Key: (learner, group).
#[derive(Debug, Clone, Serialize)]
pub struct Enrolment {
    pub learner: String,
    pub group: String,
    pub date: NaiveDate,
    pub order: Option<String>,
    pub outcome: Outcome,
    pub outcome_date: Option<NaiveDate>,
    pub outcome_order: Option<String>,
    pub reason: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Studying,
    Completed,
    Expelled,
}

/// `orders`: `id*` (`номер`), `date*` (`дата`), `kind*` (`вид`: enrolment/completion/expulsion/
/// other — зачисление/завершение/отчисление/прочее), `group` (`группа`), `title*` (`заголовок`),
/// `text` (`текст`), `file` (`файл`: path of the scanned order inside the input folder).
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: String,
    pub date: NaiveDate,
    pub kind: OrderKind,
    pub group: Option<String>,
    pub title: String,
    pub text: Option<String>,
    pub file: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Enrolment,
    Completion,
    Expulsion,
    Other,
}

/// `lessons` (the group journal): `id*` (`код`), `group*` (`группа`), `date*` (`дата`),
/// `time` (`время`, `10:00`), `hours*` (`часов`, decimal allowed), `topic*` (`тема`),
/// `teacher` (`преподаватель`), `kind` (`вид занятия`: лекция, практика...).
/// Sorted by (group, date, time, id).
#[derive(Debug, Clone, Serialize)]
pub struct Lesson {
    pub id: String,
    pub group: Key,
    pub date: NaiveDate,
    pub time: Option<Key>,
    pub hours: f64,
    pub topic: Key,
    pub teacher: Option<Key>,
    pub kind: Option<Key>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `attendance`: `lesson*` (`занятие`), `learner*` (`слушатель`), `mark*` (`отметка`),
/// `remark` (`примечание`). Key: (lesson, learner).
#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    pub lesson: Key,
    pub learner: Key,
    pub mark: Mark,
    pub remark: Option<Key>,
    pub origin: Origin,
    pub extra: Extra,
}

/// Attendance mark. Accepted spellings: present `п`/`+`/`P`/`present`/`присутствовал`;
/// absent `н`/`A`/`absent`/`отсутствовал`; late `о`/`L`/`late`/`опоздал`;
/// excused `у`/`E`/`excused`/`уважительная`; sick `б`/`S`/`sick`/`болезнь`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Present,
    Absent,
    Late,
    Excused,
    Sick,
}

/// `grade_items`: `id*` (`код`), `group*` (`группа`), `title*` (`наименование`),
/// `control*` (`вид контроля`: current/intermediate/final — текущий/промежуточная/итоговая),
/// `scale*` (`шкала`: `5` for 2–5, `pass` / `зачёт` for зачёт/незачёт, `points:100` / `баллы:100`,
/// `percent` / `проценты`), `lesson` (`занятие`), `date` (`дата`).
#[derive(Debug, Clone, Serialize)]
pub struct GradeItem {
    pub id: String,
    pub group: String,
    pub title: String,
    pub control: Control,
    pub scale: Scale,
    pub lesson: Option<String>,
    pub date: Option<NaiveDate>,
    pub origin: Origin,
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    Current,
    Intermediate,
    Final,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "max")]
pub enum Scale {
    /// 2, 3, 4, 5.
    Five,
    /// зачтено / не зачтено.
    PassFail,
    /// 0..=max points.
    Points(f64),
    /// 0..=100 %.
    Percent,
}

/// `grades`: `item*` (`элемент`), `learner*` (`слушатель`), `value*` (`оценка`), `date` (`дата`),
/// `comment` (`комментарий`). Key: (item, learner).
#[derive(Debug, Clone, Serialize)]
pub struct Grade {
    pub item: Key,
    pub learner: Key,
    pub value: GradeValue,
    /// The value as written in the export.
    pub raw: Key,
    pub date: Option<NaiveDate>,
    pub comment: Option<Key>,
    pub origin: Origin,
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum GradeValue {
    Mark(u8),
    Pass(bool),
    Points(f64),
    Percent(f64),
}

/// `protocols` (attestation commission): `id*` (`номер`), `date*` (`дата`), `group*` (`группа`),
/// `kind*` (`вид`: intermediate/final — промежуточная/итоговая), `chair*` (`председатель`),
/// `members` (`члены комиссии`, separated by `;`), `secretary` (`секретарь`).
#[derive(Debug, Clone, Serialize)]
pub struct Protocol {
    pub id: String,
    pub date: NaiveDate,
    pub group: String,
    pub kind: Control,
    pub chair: String,
    pub members: Vec<String>,
    pub secretary: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `protocol_results`: `protocol*` (`протокол`), `learner*` (`слушатель`), `result*` (`результат`),
/// `work` (`тема работы`), `comment` (`комментарий`). Key: (protocol, learner).
#[derive(Debug, Clone, Serialize)]
pub struct ProtocolResult {
    pub protocol: String,
    pub learner: String,
    pub result: String,
    pub work: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `issued_documents` (журнал выдачи): `reg_number*` (`регистрационный номер`), `learner*`
/// (`слушатель`), `group` (`группа`), `kind*` (`вид документа`: free text such as
/// `Удостоверение о повышении квалификации`), `series` (`серия`), `number*` (`номер`),
/// `issue_date*` (`дата выдачи`), `duplicate` (`дубликат`: да/нет, yes/no; default no),
/// `received_by` (`получил`).
#[derive(Debug, Clone, Serialize)]
pub struct IssuedDocument {
    pub reg_number: String,
    pub learner: String,
    pub group: Option<String>,
    pub kind: String,
    pub series: Option<String>,
    pub number: String,
    pub issue_date: NaiveDate,
    pub duplicate: bool,
    pub received_by: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `awards`: `id*`, `learner*`, `title*` (`наименование`), `date*` (`дата`), `issuer` (`кем выдано`),
/// `level` (`уровень`), `file` (`файл`).
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    pub id: String,
    pub learner: String,
    pub title: String,
    pub date: NaiveDate,
    pub issuer: Option<String>,
    pub level: Option<String>,
    pub file: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `portfolio`: `id*`, `learner*`, `title*` (`наименование`), `kind` (`вид`: проект, эссе...),
/// `date` (`дата`), `description` (`описание`), `file` (`файл`).
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioItem {
    pub id: String,
    pub learner: String,
    pub title: String,
    pub kind: Option<String>,
    pub date: Option<NaiveDate>,
    pub description: Option<String>,
    pub file: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// `credit_transfers` (зачёт результатов): `id*`, `learner*`, `group*`, `application_date*`
/// (`дата заявления`), `source_organisation*` (`организация`), `source_document*` (`документ`),
/// `course*` (`дисциплина`), `hours*` (`часов`), `form` (`форма аттестации`), `result*`
/// (`результат`), `decision*` (`решение`: accepted/refused — зачтено/отказано), `reason` (`причина`,
/// required when refused), `decision_date*` (`дата решения`).
#[derive(Debug, Clone, Serialize)]
pub struct CreditTransfer {
    pub id: String,
    pub learner: String,
    pub group: String,
    pub application_date: NaiveDate,
    pub source_organisation: String,
    pub source_document: String,
    pub course: String,
    pub hours: f64,
    pub form: Option<String>,
    pub result: String,
    pub accepted: bool,
    pub reason: Option<String>,
    pub decision_date: NaiveDate,
    pub origin: Origin,
    pub extra: Extra,
}

/// `attachments`: `id*`, `path*` (`файл`: relative to the input folder; must stay inside it),
/// `title*` (`наименование`), `learner`, `group`, `lesson`, `order` (what it belongs to; at least
/// one), `kind` (`вид`: скан, презентация, аудио...).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: String,
    pub path: String,
    pub title: String,
    pub learner: Option<String>,
    pub group: Option<String>,
    pub lesson: Option<String>,
    pub order: Option<String>,
    pub kind: Option<String>,
    pub size: u64,
    pub sha256: String,
    pub origin: Origin,
    pub extra: Extra,
}

/// A Markdown document from `documents/*.md` (regulations, notes). `id` is the file stem;
/// the title is the first `# ` heading (or the stem).
#[derive(Debug, Clone, Serialize)]
pub struct MarkdownDoc {
    pub id: String,
    pub path: String,
    pub title: String,
    pub markdown: String,
}

#[cfg(test)]
mod tests {
    use super::Extra;

    #[test]
    fn an_extra_compares_and_serialises_as_its_map() {
        let none = Extra::new();
        let mut touched = Extra::new();
        touched.insert("a".into(), "1".into());
        touched.remove("a");
        assert_eq!(none, touched);
        assert_eq!(serde_json::to_string(&touched).unwrap(), "{}");
        let one: Extra = [("Класс".to_string(), "7".to_string())]
            .into_iter()
            .collect();
        assert_ne!(one, none);
        assert_eq!(serde_json::to_string(&one).unwrap(), r#"{"Класс":"7"}"#);
        assert_eq!(one.clone().into_map().len(), 1);
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// A period holds millions of attendance and grade rows (6,000,000 and 2,000,000 at 80,000
    /// learners): every byte of a row is megabytes of every stage's memory.
    #[test]
    fn the_rows_of_the_biggest_lists_stay_small() {
        assert_eq!(std::mem::size_of::<Origin>(), 8);
        assert!(
            std::mem::size_of::<Attendance>() <= 32,
            "{}",
            std::mem::size_of::<Attendance>()
        );
        assert!(
            std::mem::size_of::<Grade>() <= 56,
            "{}",
            std::mem::size_of::<Grade>()
        );
    }
}
