//! The records of a period as open data: the tables of an archive's `data/records/`, their columns,
//! keys and Russian descriptions. One listing for everyone: the `tables` stage writes the CSV files,
//! the Table Schemas of `datapackage.json` and the workbook from it, and `ingest` reads the CSV files
//! back by it (rebuilding a period from its own archive).
//!
//! Every table has one header row of stable English column names. Record tables end with three
//! columns: `extra` (the record's columns Letopis does not know, as a JSON object of header → value,
//! empty when there are none), `source_file` and `source_line` (the input file and line the record
//! came from). Dates are ISO `yyyy-mm-dd`, numbers have a `.` decimal point, yes/no is
//! `true`/`false`, lists (platform ids, commission members) are joined with `; `.

/// Folder of the tables inside an archive's `data/`.
pub const DIR: &str = "records";
/// The Frictionless Data Package descriptor inside [`DIR`].
pub const PACKAGE: &str = "datapackage.json";
/// The key of `datapackage.json` that holds what Letopis needs to rebuild the period (its
/// configuration and the format version of the tables).
pub const PACKAGE_KEY: &str = "letopis";
/// Version of the tables' layout, written into `datapackage.json`; a reader refuses a newer one.
pub const FORMAT: u32 = 1;
/// Separator of list values inside one cell.
pub const LIST_SEP: &str = "; ";

/// Frictionless Table Schema field types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    /// A JSON object (the `extra` columns, the cells of a rejected row).
    Object,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Date => "date",
            Type::Object => "object",
        }
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    /// Russian column title (the workbook's header).
    pub title: &'static str,
    /// Russian description.
    pub description: &'static str,
    /// Allowed values of a code column with their Russian labels (the workbook shows the label).
    pub values: &'static [(&'static str, &'static str)],
}

const fn f(
    name: &'static str,
    ty: Type,
    required: bool,
    title: &'static str,
    description: &'static str,
) -> Field {
    Field {
        name,
        ty,
        required,
        title,
        description,
        values: &[],
    }
}

const fn code(
    name: &'static str,
    required: bool,
    title: &'static str,
    description: &'static str,
    values: &'static [(&'static str, &'static str)],
) -> Field {
    Field {
        name,
        ty: Type::String,
        required,
        title,
        description,
        values,
    }
}

use Type::String as Str;
use Type::{Boolean, Date, Integer, Number, Object};

/// A foreign key: these columns of the table refer to the primary key of `table`.
#[derive(Debug)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub table: &'static str,
    pub refs: &'static [&'static str],
}

const fn fk(field: &'static [&'static str], table: &'static str) -> ForeignKey {
    ForeignKey {
        fields: field,
        table,
        refs: &["id"],
    }
}

#[derive(Debug)]
pub struct Table {
    /// English name: the file stem (`learners` → `learners.csv`) and the resource name.
    pub name: &'static str,
    /// Russian title (the workbook's sheet name: at most 31 characters).
    pub title: &'static str,
    /// What one row is, in Russian.
    pub description: &'static str,
    pub title_en: &'static str,
    pub description_en: &'static str,
    /// The table's own columns; record tables add [`TRAILER`].
    pub fields: &'static [Field],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
    /// Ends with `extra`, `source_file`, `source_line`.
    pub record: bool,
}

impl Table {
    /// Every column, in file order.
    pub fn columns(&self) -> impl Iterator<Item = &'static Field> + use<> {
        let own: &'static [Field] = self.fields;
        let trailer: &'static [Field] = if self.record { &TRAILER } else { &[] };
        own.iter().chain(trailer.iter())
    }
    pub fn file(&self) -> String {
        format!("{}.csv", self.name)
    }
    pub fn by_name(name: &str) -> Option<&'static Table> {
        TABLES.iter().find(|t| t.name == name)
    }
}

/// The three last columns of every record table.
pub const TRAILER: [Field; 3] = [
    f(
        "extra",
        Object,
        false,
        "Прочие поля",
        "Столбцы выгрузки, которых Летопись не знает, как есть: объект JSON «заголовок → значение»; пусто, если их нет",
    ),
    f(
        "source_file",
        Str,
        true,
        "Исходный файл",
        "Файл выгрузки, из которого взята запись (путь в папке выгрузки; сам файл хранится в архиве в raw/)",
    ),
    f(
        "source_line",
        Integer,
        true,
        "Строка",
        "Номер строки исходного файла, с которой начинается запись",
    ),
];

const ID: &str = "id";

/// Every table, in the order of the files, the package's resources and the workbook's sheets.
pub static TABLES: [Table; 19] = [
    Table {
        name: "programmes",
        title: "Программы",
        description: "Образовательные программы: одна строка — одна программа",
        title_en: "Programmes",
        description_en: "Education programmes: one row per programme",
        fields: &[
            f(
                ID,
                Str,
                true,
                "Код программы",
                "Код программы; на него ссылаются группы",
            ),
            code(
                "kind",
                true,
                "Вид программы",
                "advanced — повышение квалификации, retraining — профессиональная переподготовка, general — общеразвивающая",
                &[
                    ("advanced", "повышение квалификации"),
                    ("retraining", "профессиональная переподготовка"),
                    ("general", "общеразвивающая"),
                ],
            ),
            f("title", Str, true, "Наименование", "Наименование программы"),
            f(
                "hours",
                Integer,
                true,
                "Часов",
                "Объём программы в академических часах",
            ),
            f(
                "form",
                Str,
                false,
                "Форма обучения",
                "Форма обучения, как указана в выгрузке",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[],
        record: true,
    },
    Table {
        name: "groups",
        title: "Группы",
        description: "Учебные группы: одна строка — одна группа",
        title_en: "Groups",
        description_en: "Study groups: one row per group",
        fields: &[
            f(ID, Str, true, "Группа", "Номер (код) группы"),
            f(
                "programme",
                Str,
                true,
                "Программа",
                "Код программы (programmes.id)",
            ),
            f(
                "start",
                Date,
                true,
                "Начало обучения",
                "Дата начала обучения группы",
            ),
            f(
                "end",
                Date,
                true,
                "Окончание обучения",
                "Дата окончания обучения группы",
            ),
            f("curator", Str, false, "Куратор", "Куратор группы"),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["programme"], "programmes")],
        record: true,
    },
    Table {
        name: "learners",
        title: "Слушатели",
        description: "Слушатели: одна строка — одно личное дело",
        title_en: "Learners",
        description_en: "Learners: one row per personal file",
        fields: &[
            f(
                ID,
                Str,
                true,
                "Номер личного дела",
                "Номер личного дела слушателя; на него ссылаются остальные таблицы",
            ),
            f("surname", Str, true, "Фамилия", "Фамилия"),
            f("name", Str, true, "Имя", "Имя"),
            f("patronymic", Str, false, "Отчество", "Отчество"),
            f("birth_date", Date, false, "Дата рождения", "Дата рождения"),
            code(
                "sex",
                false,
                "Пол",
                "male — мужской, female — женский",
                &[("male", "м"), ("female", "ж")],
            ),
            f(
                "snils",
                Str,
                false,
                "СНИЛС",
                "СНИЛС в виде 123-456-789 01 (контрольное число проверено)",
            ),
            f("email", Str, false, "Эл. почта", "Адрес электронной почты"),
            f("phone", Str, false, "Телефон", "Телефон"),
            f(
                "platform_ids",
                Str,
                false,
                "ID на платформе",
                "Идентификаторы слушателя на учебной платформе, через «; »",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[],
        record: true,
    },
    Table {
        name: "enrolments",
        title: "Зачисления",
        description: "Зачисления слушателей в группы и итог обучения: одна строка — слушатель в группе",
        title_en: "Enrolments",
        description_en: "Enrolments of learners in groups and their outcome: one row per learner in a group",
        fields: &[
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("group", Str, true, "Группа", "Группа (groups.id)"),
            f("date", Date, true, "Дата зачисления", "Дата зачисления"),
            f(
                "order",
                Str,
                false,
                "Приказ о зачислении",
                "Номер приказа о зачислении (orders.id)",
            ),
            code(
                "outcome",
                true,
                "Итог",
                "studying — обучается, completed — завершил обучение, expelled — отчислен",
                &[
                    ("studying", "обучается"),
                    ("completed", "завершил обучение"),
                    ("expelled", "отчислен"),
                ],
            ),
            f(
                "outcome_date",
                Date,
                false,
                "Дата итога",
                "Дата завершения обучения или отчисления",
            ),
            f(
                "outcome_order",
                Str,
                false,
                "Приказ об отчислении",
                "Номер приказа об отчислении или о завершении (orders.id)",
            ),
            f(
                "reason",
                Str,
                false,
                "Основание",
                "Основание (например, причина отчисления)",
            ),
        ],
        primary_key: &["learner", "group"],
        foreign_keys: &[
            fk(&["learner"], "learners"),
            fk(&["group"], "groups"),
            fk(&["order"], "orders"),
            fk(&["outcome_order"], "orders"),
        ],
        record: true,
    },
    Table {
        name: "orders",
        title: "Приказы",
        description: "Приказы: одна строка — один приказ",
        title_en: "Orders",
        description_en: "Orders: one row per order",
        fields: &[
            f(ID, Str, true, "Номер приказа", "Номер приказа"),
            f("date", Date, true, "Дата", "Дата приказа"),
            code(
                "kind",
                true,
                "Вид",
                "enrolment — о зачислении, completion — о завершении обучения, expulsion — об отчислении, other — прочий",
                &[
                    ("enrolment", "о зачислении"),
                    ("completion", "о завершении обучения"),
                    ("expulsion", "об отчислении"),
                    ("other", "прочий"),
                ],
            ),
            f(
                "group",
                Str,
                false,
                "Группа",
                "Группа, к которой относится приказ (groups.id)",
            ),
            f("title", Str, true, "Заголовок", "Заголовок приказа"),
            f("text", Str, false, "Текст", "Текст приказа"),
            f(
                "file",
                Str,
                false,
                "Файл",
                "Скан приказа: путь в папке выгрузки (в архиве — в files/)",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["group"], "groups")],
        record: true,
    },
    Table {
        name: "lessons",
        title: "Занятия",
        description: "Журнал занятий групп: одна строка — одно занятие",
        title_en: "Lessons",
        description_en: "The groups' journal: one row per lesson",
        fields: &[
            f(ID, Str, true, "Код занятия", "Код занятия"),
            f("group", Str, true, "Группа", "Группа (groups.id)"),
            f("date", Date, true, "Дата", "Дата занятия"),
            f(
                "time",
                Str,
                false,
                "Время",
                "Время начала, как в выгрузке (10:00)",
            ),
            f(
                "hours",
                Number,
                true,
                "Часов",
                "Продолжительность в академических часах",
            ),
            f("topic", Str, true, "Тема", "Тема занятия"),
            f("teacher", Str, false, "Преподаватель", "Преподаватель"),
            f(
                "kind",
                Str,
                false,
                "Вид занятия",
                "Вид занятия: лекция, практика…",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["group"], "groups")],
        record: true,
    },
    Table {
        name: "attendance",
        title: "Посещаемость",
        description: "Отметки посещаемости: одна строка — слушатель на занятии",
        title_en: "Attendance",
        description_en: "Attendance marks: one row per learner at a lesson",
        fields: &[
            f("lesson", Str, true, "Занятие", "Код занятия (lessons.id)"),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            code(
                "mark",
                true,
                "Отметка",
                "present — присутствовал, absent — отсутствовал, late — опоздал, excused — по уважительной причине, sick — болезнь",
                &[
                    ("present", "присутствовал"),
                    ("absent", "отсутствовал"),
                    ("late", "опоздал"),
                    ("excused", "уважительная причина"),
                    ("sick", "болезнь"),
                ],
            ),
            f("remark", Str, false, "Примечание", "Примечание к отметке"),
        ],
        primary_key: &["lesson", "learner"],
        foreign_keys: &[fk(&["lesson"], "lessons"), fk(&["learner"], "learners")],
        record: true,
    },
    Table {
        name: "grade_items",
        title: "Элементы оценивания",
        description: "Элементы оценивания (работы, тесты, аттестации): одна строка — один элемент",
        title_en: "Grade items",
        description_en: "Graded work, tests and attestations: one row per item",
        fields: &[
            f(ID, Str, true, "Код элемента", "Код элемента оценивания"),
            f("group", Str, true, "Группа", "Группа (groups.id)"),
            f(
                "title",
                Str,
                true,
                "Наименование",
                "Наименование работы или аттестации",
            ),
            code(
                "control",
                true,
                "Вид контроля",
                "current — текущий, intermediate — промежуточная аттестация, final — итоговая аттестация",
                &[
                    ("current", "текущий"),
                    ("intermediate", "промежуточная"),
                    ("final", "итоговая"),
                ],
            ),
            code(
                "scale",
                true,
                "Шкала",
                "five — пятибалльная (2–5), pass_fail — зачёт/незачёт, points — баллы от 0 до scale_max, percent — проценты",
                &[
                    ("five", "пятибалльная"),
                    ("pass_fail", "зачёт/незачёт"),
                    ("points", "баллы"),
                    ("percent", "проценты"),
                ],
            ),
            f(
                "scale_max",
                Number,
                false,
                "Наибольший балл",
                "Наибольший балл шкалы points",
            ),
            f(
                "lesson",
                Str,
                false,
                "Занятие",
                "Занятие, на котором выполнялась работа (lessons.id)",
            ),
            f("date", Date, false, "Дата", "Дата работы"),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["group"], "groups"), fk(&["lesson"], "lessons")],
        record: true,
    },
    Table {
        name: "grades",
        title: "Оценки",
        description: "Оценки: одна строка — оценка слушателя за элемент; заполнен один из столбцов mark, passed, points, percent по шкале элемента",
        title_en: "Grades",
        description_en: "Grades: one row per learner and item; one of mark, passed, points, percent is filled by the item's scale",
        fields: &[
            f(
                "item",
                Str,
                true,
                "Элемент оценивания",
                "Код элемента оценивания (grade_items.id)",
            ),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f(
                "mark",
                Integer,
                false,
                "Отметка",
                "Отметка по пятибалльной шкале (2–5)",
            ),
            f(
                "passed",
                Boolean,
                false,
                "Зачтено",
                "true — зачтено, false — не зачтено",
            ),
            f("points", Number, false, "Баллы", "Баллы по шкале points"),
            f(
                "percent",
                Number,
                false,
                "Процент",
                "Процент выполнения (0–100)",
            ),
            f(
                "raw",
                Str,
                true,
                "Как в выгрузке",
                "Оценка, как она записана в выгрузке",
            ),
            f("date", Date, false, "Дата", "Дата оценки"),
            f(
                "comment",
                Str,
                false,
                "Комментарий",
                "Комментарий преподавателя",
            ),
        ],
        primary_key: &["item", "learner"],
        foreign_keys: &[fk(&["item"], "grade_items"), fk(&["learner"], "learners")],
        record: true,
    },
    Table {
        name: "protocols",
        title: "Протоколы",
        description: "Протоколы аттестационной комиссии: одна строка — один протокол",
        title_en: "Protocols",
        description_en: "Protocols of the attestation commission: one row per protocol",
        fields: &[
            f(ID, Str, true, "Номер протокола", "Номер протокола"),
            f("date", Date, true, "Дата", "Дата заседания"),
            f("group", Str, true, "Группа", "Группа (groups.id)"),
            code(
                "kind",
                true,
                "Вид аттестации",
                "intermediate — промежуточная, final — итоговая, current — текущий контроль",
                &[
                    ("current", "текущий"),
                    ("intermediate", "промежуточная"),
                    ("final", "итоговая"),
                ],
            ),
            f("chair", Str, true, "Председатель", "Председатель комиссии"),
            f(
                "members",
                Str,
                false,
                "Члены комиссии",
                "Члены комиссии, через «; »",
            ),
            f("secretary", Str, false, "Секретарь", "Секретарь комиссии"),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["group"], "groups")],
        record: true,
    },
    Table {
        name: "protocol_results",
        title: "Результаты аттестации",
        description: "Результаты аттестации по протоколам: одна строка — слушатель в протоколе",
        title_en: "Attestation results",
        description_en: "Results of attestation by protocol: one row per learner in a protocol",
        fields: &[
            f(
                "protocol",
                Str,
                true,
                "Протокол",
                "Номер протокола (protocols.id)",
            ),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f(
                "result",
                Str,
                true,
                "Результат",
                "Результат аттестации, как в протоколе",
            ),
            f(
                "work",
                Str,
                false,
                "Тема работы",
                "Тема аттестационной работы",
            ),
            f("comment", Str, false, "Комментарий", "Комментарий"),
        ],
        primary_key: &["protocol", "learner"],
        foreign_keys: &[fk(&["protocol"], "protocols"), fk(&["learner"], "learners")],
        record: true,
    },
    Table {
        name: "issued_documents",
        title: "Выданные документы",
        description: "Журнал выдачи документов об обучении: одна строка — один выданный документ",
        title_en: "Issued documents",
        description_en: "The register of issued certificates and diplomas: one row per document",
        fields: &[
            f(
                "reg_number",
                Str,
                true,
                "Регистрационный номер",
                "Регистрационный номер в журнале выдачи",
            ),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("group", Str, false, "Группа", "Группа (groups.id)"),
            f(
                "kind",
                Str,
                true,
                "Вид документа",
                "Вид документа, например «Удостоверение о повышении квалификации»",
            ),
            f("series", Str, false, "Серия", "Серия бланка"),
            f("number", Str, true, "Номер", "Номер бланка"),
            f("issue_date", Date, true, "Дата выдачи", "Дата выдачи"),
            f(
                "duplicate",
                Boolean,
                true,
                "Дубликат",
                "true — выдан дубликат",
            ),
            f("received_by", Str, false, "Получил", "Кто получил документ"),
        ],
        primary_key: &["reg_number"],
        foreign_keys: &[fk(&["learner"], "learners"), fk(&["group"], "groups")],
        record: true,
    },
    Table {
        name: "awards",
        title: "Награды",
        description: "Награды и достижения слушателей: одна строка — одна награда",
        title_en: "Awards",
        description_en: "Learners' awards: one row per award",
        fields: &[
            f(ID, Str, true, "Код", "Код награды"),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("title", Str, true, "Наименование", "Наименование награды"),
            f("date", Date, true, "Дата", "Дата"),
            f("issuer", Str, false, "Кем выдано", "Кем выдана награда"),
            f(
                "level",
                Str,
                false,
                "Уровень",
                "Уровень (региональный, всероссийский…)",
            ),
            f(
                "file",
                Str,
                false,
                "Файл",
                "Скан или фото: путь в папке выгрузки (в архиве — в files/)",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["learner"], "learners")],
        record: true,
    },
    Table {
        name: "portfolio",
        title: "Портфолио",
        description: "Работы портфолио слушателей: одна строка — одна работа",
        title_en: "Portfolio",
        description_en: "Learners' portfolio work: one row per work",
        fields: &[
            f(ID, Str, true, "Код", "Код работы"),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("title", Str, true, "Наименование", "Наименование работы"),
            f("kind", Str, false, "Вид", "Вид работы: проект, эссе…"),
            f("date", Date, false, "Дата", "Дата"),
            f("description", Str, false, "Описание", "Описание"),
            f(
                "file",
                Str,
                false,
                "Файл",
                "Файл работы: путь в папке выгрузки (в архиве — в files/)",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["learner"], "learners")],
        record: true,
    },
    Table {
        name: "credit_transfers",
        title: "Зачёт результатов",
        description: "Зачёт результатов обучения в других организациях: одна строка — одно заявление",
        title_en: "Credit transfers",
        description_en: "Results recognised from other organisations: one row per application",
        fields: &[
            f(ID, Str, true, "Код", "Код заявления"),
            f(
                "learner",
                Str,
                true,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("group", Str, true, "Группа", "Группа (groups.id)"),
            f(
                "application_date",
                Date,
                true,
                "Дата заявления",
                "Дата заявления",
            ),
            f(
                "source_organisation",
                Str,
                true,
                "Организация",
                "Организация, где получен результат",
            ),
            f(
                "source_document",
                Str,
                true,
                "Документ",
                "Документ, подтверждающий результат",
            ),
            f("course", Str, true, "Дисциплина", "Дисциплина (модуль)"),
            f(
                "hours",
                Number,
                true,
                "Часов",
                "Объём в академических часах",
            ),
            f("form", Str, false, "Форма аттестации", "Форма аттестации"),
            f(
                "result",
                Str,
                true,
                "Результат",
                "Результат, как в документе",
            ),
            code(
                "decision",
                true,
                "Решение",
                "accepted — зачтено, refused — отказано",
                &[("accepted", "зачтено"), ("refused", "отказано")],
            ),
            f("reason", Str, false, "Причина", "Причина отказа"),
            f("decision_date", Date, true, "Дата решения", "Дата решения"),
        ],
        primary_key: &[ID],
        foreign_keys: &[fk(&["learner"], "learners"), fk(&["group"], "groups")],
        record: true,
    },
    Table {
        name: "attachments",
        title: "Вложения",
        description: "Вложенные файлы (сканы, фото, записи): одна строка — один файл; сами файлы — в папке files/ архива",
        title_en: "Attachments",
        description_en: "Attached files (scans, photos, recordings): one row per file; the files are in the archive's files/ folder",
        fields: &[
            f(ID, Str, true, "Код", "Код вложения"),
            f(
                "path",
                Str,
                true,
                "Файл",
                "Путь файла в папке выгрузки (в архиве — files/<путь>)",
            ),
            f("title", Str, true, "Наименование", "Наименование"),
            f(
                "learner",
                Str,
                false,
                "Слушатель",
                "Номер личного дела (learners.id)",
            ),
            f("group", Str, false, "Группа", "Группа (groups.id)"),
            f("lesson", Str, false, "Занятие", "Код занятия (lessons.id)"),
            f("order", Str, false, "Приказ", "Номер приказа (orders.id)"),
            f("kind", Str, false, "Вид", "Вид: скан, фото, аудио…"),
            f(
                "size",
                Integer,
                true,
                "Размер, байт",
                "Размер файла в байтах",
            ),
            f(
                "sha256",
                Str,
                true,
                "SHA-256",
                "Контрольная сумма SHA-256 файла",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[
            fk(&["learner"], "learners"),
            fk(&["group"], "groups"),
            fk(&["lesson"], "lessons"),
            fk(&["order"], "orders"),
        ],
        record: true,
    },
    Table {
        name: "documents",
        title: "Документы",
        description: "Документы организации (положения, заметки) в разметке Markdown: одна строка — один документ",
        title_en: "Documents",
        description_en: "The organisation's documents in Markdown: one row per document",
        fields: &[
            f(ID, Str, true, "Код", "Код документа (имя файла без .md)"),
            f("path", Str, true, "Файл", "Путь файла в папке выгрузки"),
            f("title", Str, true, "Заголовок", "Заголовок документа"),
            f(
                "markdown",
                Str,
                true,
                "Текст",
                "Полный текст документа в разметке Markdown",
            ),
        ],
        primary_key: &[ID],
        foreign_keys: &[],
        record: false,
    },
    Table {
        name: "sources",
        title: "Исходные файлы",
        description: "Файлы выгрузки, из которых собран архив (сами файлы — в папках raw/ и files/ архива): одна строка — один файл",
        title_en: "Input files",
        description_en: "The export files the archive was built from (kept in raw/ and files/): one row per file",
        fields: &[
            f("path", Str, true, "Файл", "Путь в папке выгрузки"),
            f(
                "kind",
                Str,
                true,
                "Вид",
                "Вид записей (имя таблицы) или config, document, attachment-file, readme, template, unknown…",
            ),
            f(
                "format",
                Str,
                true,
                "Формат",
                "csv, yaml, markdown, binary…",
            ),
            f(
                "encoding",
                Str,
                false,
                "Кодировка",
                "utf-8, utf-8-bom, windows-1251; пусто для двоичных файлов",
            ),
            f(
                "delimiter",
                Str,
                false,
                "Разделитель",
                "Разделитель столбцов CSV",
            ),
            f(
                "size",
                Integer,
                true,
                "Размер, байт",
                "Размер файла в байтах",
            ),
            f(
                "sha256",
                Str,
                true,
                "SHA-256",
                "Контрольная сумма SHA-256 файла",
            ),
            f(
                "rows_read",
                Integer,
                true,
                "Строк прочитано",
                "Строк прочитано",
            ),
            f(
                "rows_kept",
                Integer,
                true,
                "Строк принято",
                "Строк принято в архив (записей в таблицах)",
            ),
            f(
                "rows_rejected",
                Integer,
                true,
                "Строк отклонено",
                "Строк отклонено (см. rejected)",
            ),
        ],
        primary_key: &["path"],
        foreign_keys: &[],
        record: false,
    },
    Table {
        name: "rejected",
        title: "Отклонённые строки",
        description: "Строки выгрузки, не принятые в архив, с причиной: одна строка — одна отклонённая строка",
        title_en: "Rejected rows",
        description_en: "Rows of the exports not taken into the archive, with the reason: one row per rejected row",
        fields: &[
            f(
                "source_file",
                Str,
                true,
                "Исходный файл",
                "Файл выгрузки (sources.path)",
            ),
            f(
                "source_line",
                Integer,
                true,
                "Строка",
                "Номер строки в файле",
            ),
            f("reason", Str, true, "Причина", "Почему строка не принята"),
            f(
                "reason_en",
                Str,
                true,
                "Причина (англ.)",
                "Та же причина по-английски",
            ),
            f(
                "values",
                Object,
                true,
                "Значения",
                "Ячейки строки, как прочитаны: объект JSON «заголовок → значение»",
            ),
        ],
        primary_key: &[],
        foreign_keys: &[ForeignKey {
            fields: &["source_file"],
            table: "sources",
            refs: &["path"],
        }],
        record: false,
    },
];

/// Number of rows of a table for this period (the records of its kind).
pub fn row_count(p: &super::Period, t: &Table) -> usize {
    match t.name {
        "programmes" => p.programmes.len(),
        "groups" => p.groups.len(),
        "learners" => p.learners.len(),
        "enrolments" => p.enrolments.len(),
        "orders" => p.orders.len(),
        "lessons" => p.lessons.len(),
        "attendance" => p.attendance.len(),
        "grade_items" => p.grade_items.len(),
        "grades" => p.grades.len(),
        "protocols" => p.protocols.len(),
        "protocol_results" => p.protocol_results.len(),
        "issued_documents" => p.issued_documents.len(),
        "awards" => p.awards.len(),
        "portfolio" => p.portfolio.len(),
        "credit_transfers" => p.credit_transfers.len(),
        "attachments" => p.attachments.len(),
        "documents" => p.documents.len(),
        "sources" => p.sources.len(),
        "rejected" => p.rejected.len(),
        other => unreachable!("table {other} is not listed"),
    }
}

/// When `input_dir` is an archive's own `data/records/` (its `datapackage.json` has the
/// [`PACKAGE_KEY`] entry), the archive's `data/` folder, where the input files are kept under
/// `raw/` and `files/`. A period is rebuilt from such a folder.
pub fn rebuild_root(input_dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let text = std::fs::read(input_dir.join(PACKAGE)).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
    v.get(PACKAGE_KEY)?;
    let dir = std::fs::canonicalize(input_dir).ok()?;
    dir.parent().map(std::path::Path::to_path_buf)
}

/// The workbook's path inside `data/`: `records/<archive name>.xlsx`.
pub fn workbook(archive_name: &str) -> String {
    format!("{DIR}/{archive_name}.xlsx")
}

/// The English codes of the model's enumerations in the tables, both ways.
pub mod codes {
    use crate::model::{Control, Mark, OrderKind, Outcome, ProgrammeKind, Sex};

    macro_rules! codes {
        ($($to:ident / $from:ident: $t:ty { $($v:ident = $c:literal),* $(,)? })*) => {$(
            pub fn $to(x: $t) -> &'static str {
                match x { $( <$t>::$v => $c ),* }
            }
            pub fn $from(s: &str) -> Option<$t> {
                match s { $( $c => Some(<$t>::$v), )* _ => None }
            }
        )*};
    }
    codes! {
        programme_kind / parse_programme_kind: ProgrammeKind {
            Advanced = "advanced", Retraining = "retraining", General = "general",
        }
        sex / parse_sex: Sex { Male = "male", Female = "female" }
        outcome / parse_outcome: Outcome {
            Studying = "studying", Completed = "completed", Expelled = "expelled",
        }
        order_kind / parse_order_kind: OrderKind {
            Enrolment = "enrolment", Completion = "completion", Expulsion = "expulsion", Other = "other",
        }
        mark / parse_mark: Mark {
            Present = "present", Absent = "absent", Late = "late", Excused = "excused", Sick = "sick",
        }
        control / parse_control: Control {
            Current = "current", Intermediate = "intermediate", Final = "final",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_titles_are_consistent() {
        let mut names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        for t in &TABLES {
            assert!(t.title.chars().count() <= 31, "sheet name {}", t.title);
            assert!(!t.title.contains(['[', ']', ':', '*', '?', '/', '\\']));
            let cols: Vec<&str> = t.columns().map(|c| c.name).collect();
            let mut uniq = cols.clone();
            uniq.sort_unstable();
            uniq.dedup();
            assert_eq!(uniq.len(), cols.len(), "{}", t.name);
            for k in t.primary_key {
                assert!(cols.contains(k), "{}.{k}", t.name);
            }
            for fk in t.foreign_keys {
                let other = Table::by_name(fk.table).expect(fk.table);
                assert_eq!(other.primary_key, fk.refs, "{} → {}", t.name, fk.table);
                for c in fk.fields {
                    assert!(cols.contains(c), "{}.{c}", t.name);
                }
            }
        }
    }
}
