//! The language leaf: how Letopis writes numbers, dates, sizes, counted nouns and the names of
//! domain values in Russian and English. Every stage may use it; it uses nothing of the crate but
//! the value types of [`crate::model`] whose names it gives.
//!
//! Russian is written as a clerk writes it: «3 программы», «121 занятие», «проверено 944 файла»,
//! «завершила обучение»; dates `dd.mm.yyyy`, decimal comma.

mod format;
mod labels;
mod log;
mod plural;

pub use format::{date, date_time, grouped, number, number_lang, opt_date, size};
pub use labels::{
    MARKS, control, extra_field, field, grade, grade_short, mark, order_kind, outcome,
    programme_kind, scale, sex, source_format, source_kind,
};
pub use log::log_details;
pub use plural::nouns;
pub use plural::{Noun, agree, plural_ru};

use crate::model::{Lang, Sex};

/// Picks the text of the language.
pub fn pick(lang: Lang, ru: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Ru { ru } else { en }
}

/// The text with its first letter in lower case, for a name used inside a phrase: «Посещаемость»
/// → «посещаемость». Abbreviations (a second capital letter: «ФРДО», «СНИЛС») stay as they are.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(_), Some(b)) if b.is_uppercase() => s.to_string(),
        (Some(a), _) => a.to_lowercase().chain(s.chars().skip(1)).collect(),
        (None, _) => String::new(),
    }
}

/// A Russian word agreed with a person's sex: `gendered(sex, "отчислен", "отчислена")`. When the
/// sex is unknown, the masculine form, as in the forms of documents.
pub fn gendered<'a>(sex: Option<Sex>, masculine: &'a str, feminine: &'a str) -> &'a str {
    match sex {
        Some(Sex::Female) => feminine,
        _ => masculine,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lower_case_inside_phrases() {
        assert_eq!(super::lower_first("Посещаемость"), "посещаемость");
        assert_eq!(super::lower_first("СНИЛС"), "СНИЛС");
        assert_eq!(super::lower_first(""), "");
    }
}
