//! Number agreement: «1 файл», «3 программы», «5 групп», «121 занятие»; «проверено 944 файла».

use crate::model::Lang;

/// Russian plural form for a count: `plural_ru(22, "файл", "файла", "файлов")` → `файла`.
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// The form of a Russian predicate that agrees with a counted subject: the first form after
/// numbers ending in 1 (but not 11), the second otherwise — «проверен 21 файл», «проверено 944
/// файла», «82 результата не показано».
pub fn agree<'a>(n: u64, one: &'a str, other: &'a str) -> &'a str {
    if n % 10 == 1 && n % 100 != 11 {
        one
    } else {
        other
    }
}

/// A countable noun in both languages: Russian forms for 1, 2–4 and 5 (`файл`, `файла`,
/// `файлов`), English singular and plural.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    pub ru: [&'static str; 3],
    pub en: [&'static str; 2],
}

impl Noun {
    /// The form of the noun that follows the number `n`.
    pub fn word(self, lang: Lang, n: u64) -> &'static str {
        match lang {
            Lang::Ru => plural_ru(n, self.ru[0], self.ru[1], self.ru[2]),
            Lang::En => {
                if n == 1 {
                    self.en[0]
                } else {
                    self.en[1]
                }
            }
        }
    }

    /// The number and the noun: «3 программы», «121 занятие», «1 file».
    pub fn count(self, lang: Lang, n: u64) -> String {
        format!("{n} {}", self.word(lang, n))
    }
}

/// The nouns Letopis counts.
pub mod nouns {
    use super::Noun;

    const fn noun(ru: [&'static str; 3], en: [&'static str; 2]) -> Noun {
        Noun { ru, en }
    }

    pub const FILE: Noun = noun(["файл", "файла", "файлов"], ["file", "files"]);
    pub const PROGRAMME: Noun = noun(
        ["программа", "программы", "программ"],
        ["programme", "programmes"],
    );
    pub const GROUP: Noun = noun(["группа", "группы", "групп"], ["group", "groups"]);
    pub const LEARNER: Noun = noun(
        ["слушатель", "слушателя", "слушателей"],
        ["learner", "learners"],
    );
    pub const LESSON: Noun = noun(["занятие", "занятия", "занятий"], ["lesson", "lessons"]);
    pub const GRADE: Noun = noun(["оценка", "оценки", "оценок"], ["grade", "grades"]);
    pub const ORDER: Noun = noun(["приказ", "приказа", "приказов"], ["order", "orders"]);
    pub const DOCUMENT: Noun = noun(
        ["документ", "документа", "документов"],
        ["document", "documents"],
    );
    pub const ISSUED_DOCUMENT: Noun = noun(
        [
            "выданный документ",
            "выданных документа",
            "выданных документов",
        ],
        ["issued document", "issued documents"],
    );
    pub const ATTACHMENT: Noun = noun(
        ["вложение", "вложения", "вложений"],
        ["attachment", "attachments"],
    );
    pub const RESULT: Noun = noun(
        ["результат", "результата", "результатов"],
        ["result", "results"],
    );
    pub const RECORD: Noun = noun(["запись", "записи", "записей"], ["record", "records"]);
    pub const ITEM: Noun = noun(["позиция", "позиции", "позиций"], ["item", "items"]);
    pub const ARCHIVE: Noun = noun(["архив", "архива", "архивов"], ["archive", "archives"]);
    pub const ROW: Noun = noun(["строка", "строки", "строк"], ["row", "rows"]);
    pub const ERROR: Noun = noun(["ошибка", "ошибки", "ошибок"], ["error", "errors"]);
    pub const WARNING: Noun = noun(
        ["предупреждение", "предупреждения", "предупреждений"],
        ["warning", "warnings"],
    );
    pub const SHEET: Noun = noun(["лист", "листа", "листов"], ["sheet", "sheets"]);
    pub const HOUR: Noun = noun(["час", "часа", "часов"], ["hour", "hours"]);
    pub const YEAR: Noun = noun(["год", "года", "лет"], ["year", "years"]);
    pub const MONTH: Noun = noun(["месяц", "месяца", "месяцев"], ["month", "months"]);
    pub const BYTE: Noun = noun(["байт", "байта", "байт"], ["byte", "bytes"]);
}

#[cfg(test)]
mod tests {
    use super::nouns::*;
    use super::*;

    #[test]
    fn russian_plurals() {
        let f = |n| plural_ru(n, "файл", "файла", "файлов");
        assert_eq!(
            [1, 2, 5, 11, 12, 21, 22, 25, 111, 101].map(f),
            [
                "файл",
                "файла",
                "файлов",
                "файлов",
                "файлов",
                "файл",
                "файла",
                "файлов",
                "файлов",
                "файл"
            ]
        );
    }

    #[test]
    fn counts_read_as_a_clerk_writes() {
        let ru = Lang::Ru;
        assert_eq!(PROGRAMME.count(ru, 3), "3 программы");
        assert_eq!(GROUP.count(ru, 5), "5 групп");
        assert_eq!(LEARNER.count(ru, 56), "56 слушателей");
        assert_eq!(LESSON.count(ru, 121), "121 занятие");
        assert_eq!(FILE.count(ru, 1), "1 файл");
        assert_eq!(YEAR.count(ru, 75), "75 лет");
        assert_eq!(SHEET.count(ru, 12), "12 листов");
        assert_eq!(
            format!(
                "{} {}",
                agree(944, "проверен", "проверено"),
                FILE.count(ru, 944)
            ),
            "проверено 944 файла"
        );
        assert_eq!(
            format!(
                "{} {}",
                agree(21, "проверен", "проверено"),
                FILE.count(ru, 21)
            ),
            "проверен 21 файл"
        );
        assert_eq!(
            format!(
                "{} {}",
                RESULT.count(ru, 82),
                agree(82, "не показан", "не показано")
            ),
            "82 результата не показано"
        );
        assert_eq!(agree(11, "a", "b"), "b");
        assert_eq!(FILE.count(Lang::En, 1), "1 file");
        assert_eq!(FILE.count(Lang::En, 0), "0 files");
        assert_eq!(LEARNER.count(Lang::En, 56), "56 learners");
    }
}
