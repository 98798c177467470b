//! Every UI string of the archive in one table, Russian and English. Templates see the table as
//! `t` (`{{ t.learners }}`). Names of domain values are in [`crate::l10n`].

use crate::model::{Lang, Mark};
use std::collections::BTreeMap;

/// (key, Russian, English).
const STRINGS: &[(&str, &str, &str)] = &[
    ("archive", "Архив", "Archive"),
    (
        "archives_on_medium",
        "Архивы на этом носителе",
        "Archives on this medium",
    ),
    (
        "medium_note",
        "Откройте архив периода; каждый архив самодостаточен и проверяется контрольными суммами.",
        "Open a period's archive; each archive is self-contained and checked by checksums.",
    ),
    ("home", "Главная", "Home"),
    ("period", "Период", "Period"),
    ("organisation", "Организация", "Organisation"),
    ("counts", "Сведения", "Figures"),
    ("navigation", "Навигация", "Navigation"),
    (
        "by_year",
        "По годам, программам и группам",
        "By year, programme and group",
    ),
    ("year", "Год", "Year"),
    ("all_years", "Все годы", "All years"),
    ("all_groups", "Все группы", "All groups"),
    ("programme", "Программа", "Programme"),
    ("programmes", "Программы", "Programmes"),
    ("group", "Группа", "Group"),
    ("groups", "Группы", "Groups"),
    ("learner", "Слушатель", "Learner"),
    ("learners", "Слушатели", "Learners"),
    (
        "learners_index",
        "Алфавитный указатель слушателей",
        "Alphabetical index of learners",
    ),
    ("personal_file", "Личное дело", "Personal file"),
    ("registers", "Реестры", "Registers"),
    ("orders", "Реестр приказов", "Register of orders"),
    (
        "issued",
        "Журнал выдачи документов",
        "Register of issued documents",
    ),
    ("protocols", "Протоколы аттестации", "Attestation protocols"),
    (
        "transfers",
        "Зачёт результатов обучения",
        "Credit transfers",
    ),
    ("documents", "Документы", "Documents"),
    ("attachments", "Вложения", "Attachments"),
    ("about", "Об архиве", "About this archive"),
    ("records", "Записи в виде таблиц", "The records as tables"),
    (
        "records_nav",
        "Записи в виде таблиц (Excel, CSV)",
        "The records as tables (Excel, CSV)",
    ),
    (
        "records_text",
        "Все записи архива есть и в виде таблиц: книга Excel для просмотра и по файлу CSV на каждую таблицу для обработки программами (кодировка UTF-8, разделитель — запятая, даты в виде ГГГГ-ММ-ДД, десятичная точка). Таблицы связаны кодами (номер личного дела, группа, занятие); у каждой записи указаны исходный файл выгрузки и его строка, столбцы выгрузки без поля в архиве сохранены в столбце «Прочие поля». Столбцы, их типы и связи описаны в datapackage.json (формат Frictionless Data Package). Лист книги вмещает 1 048 575 строк: более длинная таблица продолжается на листах «(2)», «(3)»…",
        "Every record of the archive is also in tables: an Excel workbook to read and one CSV file per table for programs (UTF-8, comma separated, dates as YYYY-MM-DD, decimal point). The tables are joined by their codes (personal file number, group, lesson); every record names its export file and line, and export columns without a field of their own are kept in the column «extra». The columns, their types and links are described in datapackage.json (a Frictionless Data Package). A sheet holds 1,048,575 rows: a longer table continues on sheets «(2)», «(3)»…",
    ),
    ("records_workbook", "Книга Excel", "Excel workbook"),
    (
        "records_package",
        "Описание таблиц (datapackage.json)",
        "Description of the tables (datapackage.json)",
    ),
    ("records_table", "Таблица", "Table"),
    ("records_what", "Что в ней", "What it holds"),
    ("search", "Поиск", "Search"),
    (
        "search_placeholder",
        "ФИО, группа, номер документа…",
        "Name, group, document number…",
    ),
    ("search_button", "Найти", "Search"),
    (
        "search_needs_js",
        "Поиск работает при включённом JavaScript; навигация по архиву работает и без него.",
        "Search needs JavaScript; browsing the archive works without it.",
    ),
    (
        "search_hint",
        "Введите фамилию, номер группы, номер приказа или документа.",
        "Type a surname, a group, an order or document number.",
    ),
    ("kind", "Вид", "Kind"),
    ("title", "Наименование", "Title"),
    ("hours", "Часов", "Hours"),
    ("hours_short", "ч.", "h"),
    ("form", "Форма обучения", "Form of study"),
    ("start", "Начало", "Start"),
    ("end", "Окончание", "End"),
    ("curator", "Куратор", "Curator"),
    ("full_name", "ФИО", "Full name"),
    ("birth_date", "Дата рождения", "Date of birth"),
    ("sex", "Пол", "Sex"),
    ("snils", "СНИЛС", "SNILS"),
    ("email", "Эл. почта", "Email"),
    ("phone", "Телефон", "Phone"),
    ("platform_ids", "ID на платформе", "Platform IDs"),
    ("file_number", "Номер личного дела", "File number"),
    ("card", "Карточка слушателя", "Learner's card"),
    (
        "enrolments",
        "Зачисление и итоги обучения",
        "Enrolments and outcomes",
    ),
    ("enrolled", "Зачислен", "Enrolled"),
    ("enrolment_order", "Приказ о зачислении", "Enrolment order"),
    ("outcome", "Итог", "Outcome"),
    ("outcome_date", "Дата итога", "Outcome date"),
    ("outcome_order", "Приказ об отчислении", "Outcome order"),
    ("reason", "Основание", "Reason"),
    ("date", "Дата", "Date"),
    ("time", "Время", "Time"),
    ("topic", "Тема", "Topic"),
    ("teacher", "Преподаватель", "Teacher"),
    ("lesson_kind", "Вид занятия", "Kind of lesson"),
    ("lessons", "Занятия", "Lessons"),
    ("journal", "Журнал группы", "Group journal"),
    (
        "journal_grid",
        "Посещаемость и оценки",
        "Attendance and grades",
    ),
    ("legend", "Обозначения", "Legend"),
    ("attendance", "Посещаемость", "Attendance"),
    ("mark", "Отметка", "Mark"),
    ("remark", "Примечание", "Remark"),
    ("grades", "Оценки", "Grades"),
    ("grade", "Оценка", "Grade"),
    ("grade_item", "Элемент контроля", "Graded item"),
    ("control", "Вид контроля", "Control"),
    ("scale", "Шкала", "Scale"),
    ("comment", "Комментарий", "Comment"),
    (
        "attestation",
        "Промежуточная и итоговая аттестация",
        "Intermediate and final attestation",
    ),
    ("current_grades", "Текущий контроль", "Current assessment"),
    ("totals", "Итого", "Totals"),
    ("lessons_attended", "Посещено занятий", "Lessons attended"),
    ("hours_attended", "Посещено часов", "Hours attended"),
    ("absences", "Пропуски", "Absences"),
    ("of", "из", "of"),
    ("number", "Номер", "Number"),
    ("order", "Приказ", "Order"),
    ("order_text", "Текст", "Text"),
    ("scan", "Скан", "Scan"),
    ("protocol", "Протокол", "Protocol"),
    ("chair", "Председатель", "Chair"),
    ("members", "Члены комиссии", "Members"),
    ("secretary", "Секретарь", "Secretary"),
    ("result", "Результат", "Result"),
    ("results", "Результаты", "Results"),
    ("work", "Тема работы", "Work"),
    ("reg_number", "Рег. номер", "Reg. number"),
    ("doc_kind", "Вид документа", "Kind of document"),
    ("series", "Серия", "Series"),
    ("issue_date", "Дата выдачи", "Issue date"),
    ("duplicate", "Дубликат", "Duplicate"),
    ("received_by", "Получил", "Received by"),
    ("issued_documents", "Выданные документы", "Issued documents"),
    ("awards", "Награды и достижения", "Awards"),
    ("issuer", "Кем выдано", "Issuer"),
    ("level", "Уровень", "Level"),
    ("portfolio", "Портфолио", "Portfolio"),
    ("description", "Описание", "Description"),
    ("application_date", "Дата заявления", "Application date"),
    ("source_organisation", "Организация", "Organisation"),
    ("source_document", "Документ", "Document"),
    ("course", "Дисциплина", "Course"),
    ("attestation_form", "Форма аттестации", "Attestation form"),
    ("decision", "Решение", "Decision"),
    ("decision_date", "Дата решения", "Decision date"),
    ("accepted", "зачтено", "accepted"),
    ("refused", "отказано", "refused"),
    ("yes", "да", "yes"),
    ("no", "нет", "no"),
    ("file", "Файл", "File"),
    ("size", "Размер", "Size"),
    ("belongs_to", "Относится к", "Belongs to"),
    ("lesson", "Занятие", "Lesson"),
    ("none", "Нет записей.", "No records."),
    ("tool_version", "Версия Letopis", "Letopis version"),
    ("build_date", "Дата архивирования", "Date of archiving"),
    (
        "input_files",
        "Исходные файлы выгрузки",
        "Input export files",
    ),
    ("format", "Формат", "Format"),
    ("encoding", "Кодировка", "Encoding"),
    ("rows", "Строк", "Rows"),
    ("rows_kept", "принято", "kept"),
    ("rows_rejected", "отклонено", "rejected"),
    ("rejected_rows", "Отклонённые строки", "Rejected rows"),
    ("line", "Строка", "Line"),
    ("values", "Значения", "Values"),
    ("retention_terms", "Сроки хранения", "Retention terms"),
    (
        "retention_text",
        "Правила хранения, действовавшие при формировании архива, и срок хранения каждой записи:",
        "The retention rules in force when the archive was made and the term of every record:",
    ),
    (
        "integrity",
        "Как проверить целостность архива",
        "How to check the archive's integrity",
    ),
    (
        "integrity_text",
        "Папка архива — пакет BagIt (RFC 8493): файл manifest-sha256.txt содержит контрольную сумму SHA-256 каждого файла папки data/. Проверка без Letopis:",
        "The archive folder is a BagIt bag (RFC 8493): manifest-sha256.txt holds the SHA-256 checksum of every file under data/. To check it without Letopis:",
    ),
    (
        "integrity_letopis",
        "или средствами Letopis:",
        "or with Letopis:",
    ),
    (
        "attachment_files",
        "Файлы вложений — в папке files/, там, куда ведут ссылки со страниц.",
        "Attachment files are in the files/ folder, where the pages link them.",
    ),
    (
        "original_files",
        "Исходные файлы хранятся без изменений в папке raw/.",
        "The original export files are kept unchanged in the raw/ folder.",
    ),
    ("certified_extract", "Выписка верна", "True extract"),
    ("head", "Руководитель", "Head"),
    ("seal_place", "М.П.", "Seal"),
    ("printed_on", "Дата печати", "Date of printing"),
    ("skip_to_content", "К содержанию", "Skip to content"),
    (
        "generated_by",
        "Архив создан программой Letopis",
        "Archive made by Letopis",
    ),
    ("inn", "ИНН", "INN"),
    ("ogrn", "ОГРН", "OGRN"),
    ("address", "Адрес", "Address"),
    ("extra", "Дополнительные сведения", "Additional data"),
    ("source", "Источник", "Source"),
    ("count_programmes", "Программ", "Programmes"),
    ("count_groups", "Групп", "Groups"),
    ("count_learners", "Слушателей", "Learners"),
    ("count_lessons", "Занятий", "Lessons"),
    ("count_grades", "Оценок", "Grades"),
    ("count_orders", "Приказов", "Orders"),
    ("count_issued", "Выданных документов", "Issued documents"),
    ("count_attachments", "Вложений", "Attachments"),
    ("count_documents", "Документов", "Documents"),
];

/// The UI table for a language: key → text.
pub fn strings(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    STRINGS
        .iter()
        .map(|&(k, ru, en)| (k, if lang == Lang::Ru { ru } else { en }))
        .collect()
}

pub fn mark_class(m: Mark) -> &'static str {
    match m {
        Mark::Present => "m-p",
        Mark::Absent => "m-a",
        Mark::Late => "m-l",
        Mark::Excused => "m-e",
        Mark::Sick => "m-s",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_filled() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, ru, en) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!ru.is_empty() && !en.is_empty(), "empty text for {k}");
        }
        assert_eq!(strings(Lang::Ru)["learners"], "Слушатели");
        assert_eq!(strings(Lang::En)["learners"], "Learners");
    }
}
