//! `letopis init --templates DIR`: writes the built-in page templates and stylesheet out, as the
//! starting point of an override (`letopis build --templates DIR` or `templates:` in letopis.yaml).

use crate::model::{Lang, Text};
use crate::render;
use std::path::Path;

/// Exit code 0, or 2 when a file exists already (never overwritten) or cannot be written.
pub fn run(dir: &Path, lang: Lang) -> i32 {
    match render::write_default_templates(dir) {
        Ok(files) => {
            let shown = dir.display();
            let msg = Text::new(
                format!(
                    "Шаблоны записаны в {shown} ({}). Измените нужные (остальные можно удалить: \
                     для них возьмутся встроенные) и соберите архив с --templates {shown} \
                     или укажите templates: в letopis.yaml.",
                    crate::l10n::nouns::FILE.count(Lang::Ru, files.len() as u64)
                ),
                format!(
                    "Templates written to {shown} ({}). Edit the ones you need (delete the \
                     others: the built-in ones are used for them) and build with --templates {shown} \
                     or set templates: in letopis.yaml.",
                    crate::l10n::nouns::FILE.count(Lang::En, files.len() as u64)
                ),
            );
            println!("{}", msg.get(lang));
            0
        }
        Err(e) => {
            let label = match lang {
                Lang::Ru => "ошибка",
                Lang::En => "error",
            };
            eprintln!("letopis: {label}: {e}");
            2
        }
    }
}
