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
        if w == "unsigned" {
            parts.push(pick(lang, "без подписи", "unsigned").into());
            words.next();
            continue;
        }
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
            ("root", _) => format!(
                "{} {value}",
                pick(lang, "контрольная сумма архива", "archive checksum")
            ),
            ("signed-by", _) => {
                format!("{} {value}", pick(lang, "подписан ключом", "signed by key"))
            }
            ("signature", _) if value == "bad" => {
                pick(lang, "ПОДПИСЬ НЕВЕРНА", "BAD SIGNATURE").into()
            }
            ("from", _) => format!("{} {value}", pick(lang, "из копии", "from the copy")),
            ("restored", Ok(n)) => {
                format!(
                    "{} {}",
                    pick(lang, "восстановлено:", "restored:"),
                    nouns::FILE.count(lang, n)
                )
            }
            ("not-restored", Ok(n)) => format!(
                "{} {}",
                pick(lang, "не восстановлено:", "not restored:"),
                nouns::FILE.count(lang, n)
            ),
            ("extra-left", Ok(n)) => format!(
                "{} {}",
                pick(lang, "лишних файлов осталось:", "extra files left:"),
                n
            ),
            ("problems", _) => {
                // The problems themselves follow, in the words of the check.
                words.next();
                let rest: Vec<&str> = words.collect();
                let n = value.trim_end_matches(':');
                parts.push(format!(
                    "{} {n}: {}",
                    pick(lang, "проблем:", "problems:"),
                    rest.join(" ")
                ));
                return parts.join(", ");
            }
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
        assert_eq!(
            log_details(
                Lang::Ru,
                "files=1042 bytes=4232798 read-back=ok root=6624d0aa"
            ),
            "1042 файла, 4,0 МБ, сверено чтением с носителя, контрольная сумма архива 6624d0aa"
        );
        assert_eq!(
            log_details(
                Lang::Ru,
                "files=3 bytes=10 signed-by=SHA256:ab problems=2: изменён файл"
            ),
            "3 файла, 10 Б, подписан ключом SHA256:ab, проблем: 2: изменён файл"
        );
        assert_eq!(
            log_details(Lang::Ru, "files=3 bytes=10 unsigned"),
            "3 файла, 10 Б, без подписи"
        );
        assert_eq!(
            log_details(
                Lang::Ru,
                "from=/media/B restored=2 data/a.html; data/b.html;"
            ),
            "из копии /media/B, восстановлено: 2 файла, data/a.html; data/b.html;"
        );
    }
}
