//! The details of a medium's log line (`files=1018 bytes=4108616 read-back=ok`, stored so for
//! tools) as a person reads them: «1018 файлов, 3,9 МБ, сверено чтением с носителя».

use super::{nouns, pick, size};
use crate::model::Lang;

/// Translates the leading `key=value` words Letopis writes; anything after them (the first
/// problems found, in the words of the check) is kept as it is.
pub fn log_details(lang: Lang, details: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut words = details.split(' ').peekable();
    while let Some(&w) = words.peek() {
        let Some((key, value)) = w.split_once('=') else {
            break;
        };
        let said = match (key, value.parse::<u64>()) {
            ("files", Ok(n)) => nouns::FILE.count(lang, n),
            ("bytes", Ok(n)) => size(lang, n),
            ("read-back", _) if value == "ok" => {
                pick(lang, "сверено чтением с носителя", "read back and checked").into()
            }
            ("verified", _) if value == "ok" => pick(lang, "проверено", "verified").into(),
            ("zip", _) => format!("zip {value}"),
            ("sha256", _) => format!("SHA-256 {value}"),
            _ => break,
        };
        parts.push(said);
        words.next();
    }
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() {
        parts.push(rest.join(" "));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_details_in_words() {
        assert_eq!(
            log_details(Lang::Ru, "files=1018 bytes=4108616 read-back=ok"),
            "1018 файлов, 3,9 МБ, сверено чтением с носителя"
        );
        assert_eq!(
            log_details(Lang::Ru, "files=944 bytes=10 verified=ok"),
            "944 файла, 10 Б, проверено"
        );
        assert_eq!(
            log_details(Lang::Ru, "files=1 bytes=2 mismatch: data/a.html"),
            "1 файл, 2 Б, mismatch: data/a.html"
        );
        assert_eq!(
            log_details(Lang::En, "files=1 bytes=2048"),
            "1 file, 2.0 KB"
        );
        assert_eq!(
            log_details(Lang::Ru, "отказ: носитель занят"),
            "отказ: носитель занят"
        );
    }
}
