//! `letopis init <folder>`: writes a ready-to-edit input folder from the bundled sample
//! (`sample-data/`, embedded at build time).

use crate::model::Lang;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/sample_data.rs"));

/// Writes the sample into `folder` (created if needed; refused when not empty). Exit code 0, or 2.
pub fn run(folder: &Path, lang: Lang) -> i32 {
    match write(folder) {
        Ok(n) => {
            let shown = folder.display();
            match lang {
                Lang::Ru => println!(
                    "Создана папка выгрузки {shown} ({}, образец вымышленного центра).\n\
                     Дальше: впишите свою организацию и период в {shown}/letopis.yaml, замените файлы \
                     записей выгрузками с платформы и запустите\n    letopis check {shown}",
                    crate::l10n::nouns::FILE.count(Lang::Ru, n as u64)
                ),
                Lang::En => println!(
                    "Created the input folder {shown} ({}, a fictional centre as a sample).\n\
                     Next: put your organisation and period into {shown}/letopis.yaml, replace the \
                     record files with your platform's exports and run\n    letopis check {shown}",
                    crate::l10n::nouns::FILE.count(Lang::En, n as u64)
                ),
            }
            0
        }
        Err(e) => {
            let (label, msg) = match lang {
                Lang::Ru => ("ошибка", e.ru),
                Lang::En => ("error", e.en),
            };
            eprintln!("letopis: {label}: {msg}");
            2
        }
    }
}

fn write(folder: &Path) -> Result<usize, crate::model::Text> {
    use crate::model::Text;
    let shown = folder.display();
    if let Ok(mut entries) = std::fs::read_dir(folder) {
        if entries.next().is_some() {
            return Err(Text::new(
                format!("папка {shown} не пуста: укажите новую или пустую папку"),
                format!("folder {shown} is not empty: give a new or empty folder"),
            ));
        }
    } else if folder.exists() {
        return Err(Text::new(
            format!("{shown} существует и это не папка"),
            format!("{shown} exists and is not a folder"),
        ));
    }
    if SAMPLE.is_empty() {
        return Err(Text::new(
            "в эту сборку letopis не вложен образец (sample-data/ отсутствовал при сборке)",
            "this build of letopis has no bundled sample (sample-data/ was missing at build time)",
        ));
    }
    let io = |e: std::io::Error| {
        Text::new(
            format!("не удаётся записать в {shown}: {e}"),
            format!("cannot write to {shown}: {e}"),
        )
    };
    for (rel, bytes) in SAMPLE {
        let path = folder.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
    }
    Ok(SAMPLE.len())
}
