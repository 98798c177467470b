//! `letopis repair DAMAGED --from HEALTHY`.

use super::verify::{print_check, print_error};
use crate::media::MediaError;
use crate::media::repair;
use crate::model::Lang;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RepairArgs {
    /// Повреждённая копия: папка архива или носитель
    pub damaged: PathBuf,
    /// Исправная копия того же архива (или носитель) на другом носителе
    #[arg(long = "from")]
    pub healthy: PathBuf,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub fn run(args: RepairArgs) -> i32 {
    let lang = args.lang;
    let reports = match repair::repair_paths(&args.damaged, &args.healthy) {
        Ok(r) => r,
        Err(e) => {
            print_error(&e.text(), lang);
            return if matches!(e, MediaError::Refused(_)) {
                1
            } else {
                2
            };
        }
    };
    let mut ok = true;
    for r in &reports {
        match lang {
            Lang::Ru => println!(
                "Восстановление {} из {}",
                r.damaged.display(),
                r.healthy.display()
            ),
            Lang::En => println!(
                "Repairing {} from {}",
                r.damaged.display(),
                r.healthy.display()
            ),
        }
        if r.restored.is_empty() && r.failed.is_empty() {
            match lang {
                Lang::Ru => println!("  повреждённых и недостающих файлов нет, ничего не изменено"),
                Lang::En => println!("  no changed or missing files; nothing was changed"),
            }
        }
        for f in &r.restored {
            match lang {
                Lang::Ru => println!("  восстановлен: {f}"),
                Lang::En => println!("  restored: {f}"),
            }
        }
        for (f, why) in &r.failed {
            match lang {
                Lang::Ru => println!("  ✗ не восстановлен: {f}: {}", why.get(lang)),
                Lang::En => println!("  ✗ not restored: {f}: {}", why.get(lang)),
            }
        }
        match lang {
            Lang::Ru => println!("Проверка после восстановления:"),
            Lang::En => println!("Check after repair:"),
        }
        print_check(&r.after, lang);
        if r.after
            .problems
            .iter()
            .any(|p| matches!(p, crate::media::verify::Problem::Extra { .. }))
        {
            match lang {
                Lang::Ru => println!(
                    "  лишние файлы не удаляются автоматически: проверьте и удалите их вручную"
                ),
                Lang::En => println!(
                    "  extra files are never deleted automatically: check and delete them by hand"
                ),
            }
        }
        ok &= r.ok();
    }
    if ok { 0 } else { 1 }
}
