//! `letopis verify PATH... [--json]`: a medium, a bag or a zip.

use crate::media::verify::{self, BagCheck};
use crate::model::{Lang, Text};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Носитель (все архивы на нём), папка архива или zip-файл архива
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Вывести результат в JSON (для скриптов)
    #[arg(long)]
    pub json: bool,
    /// Язык сообщений: ru или en
    #[arg(long, default_value = "ru", value_parser = parse_lang)]
    pub lang: Lang,
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "ru" => Ok(Lang::Ru),
        "en" => Ok(Lang::En),
        _ => Err("ru или en / ru or en".into()),
    }
}

pub(crate) fn print_error(t: &Text, lang: Lang) {
    let label = match lang {
        Lang::Ru => "ошибка",
        Lang::En => "error",
    };
    eprintln!("letopis: {label}: {}", t.get(lang));
}

/// Prints one check as a user reads it: the path, every problem, the verdict.
pub fn print_check(c: &BagCheck, lang: Lang) {
    let kind = match (c.kind, lang) {
        ("bag", Lang::Ru) => "архив",
        ("zip", Lang::Ru) => "zip-архив",
        ("medium", Lang::Ru) => "носитель",
        ("acts", Lang::Ru) => "акты об уничтожении",
        ("acts", Lang::En) => "disposal acts",
        ("compare", Lang::Ru) => "сравнение копий",
        ("compare", Lang::En) => "copies compared",
        (k, _) => k,
    };
    println!("{} ({kind})", c.path.display());
    for p in &c.problems {
        let mark = if p.is_warning() { "!" } else { "✗" };
        println!("  {mark} {}", p.text(lang));
    }
    if c.kind == "medium" {
        return;
    }
    if c.kind == "compare" {
        match (c.ok(), lang) {
            (true, Lang::Ru) => println!("  ✓ копии совпадают (одинаковые манифесты)"),
            (true, Lang::En) => println!("  ✓ the copies are the same (identical manifests)"),
            (false, Lang::Ru) => println!("  ✗ КОПИИ НЕ СОВПАДАЮТ"),
            (false, Lang::En) => println!("  ✗ THE COPIES DIFFER"),
        }
        return;
    }
    let real = c.problems.iter().filter(|p| !p.is_warning()).count();
    match (c.ok(), lang) {
        (true, Lang::Ru) => println!(
            "  ✓ в порядке: проверено {} файлов, {} байт (прочитано с носителя)",
            c.files, c.bytes
        ),
        (true, Lang::En) => println!(
            "  ✓ OK: {} files, {} bytes checked (read from the medium)",
            c.files, c.bytes
        ),
        (false, Lang::Ru) if c.kind == "zip" => println!(
            "  ✗ НЕ В ПОРЯДКЕ: проблем: {real}; проверено {} файлов, {} байт. Zip не восстанавливается: создайте его заново из исправной копии архива командой letopis pack",
            c.files, c.bytes
        ),
        (false, Lang::En) if c.kind == "zip" => println!(
            "  ✗ FAILED: {real} problems; {} files, {} bytes checked. A zip is not repaired: make it again from a good copy of the archive with letopis pack",
            c.files, c.bytes
        ),
        (false, Lang::Ru) => println!(
            "  ✗ НЕ В ПОРЯДКЕ: проблем: {real}; проверено {} файлов, {} байт. Восстановить со второй копии: letopis repair {} --from <копия на другом носителе>",
            c.files,
            c.bytes,
            c.path.display()
        ),
        (false, Lang::En) => println!(
            "  ✗ FAILED: {real} problems; {} files, {} bytes checked. Repair from the other copy: letopis repair {} --from <copy on the other medium>",
            c.files,
            c.bytes,
            c.path.display()
        ),
    }
}

pub fn run(args: VerifyArgs) -> i32 {
    let lang = args.lang;
    let (checks, notes) = match verify::verify_paths(&args.paths) {
        Ok(v) => v,
        Err(e) => {
            print_error(&e.text(), lang);
            return 2;
        }
    };
    let ok = checks.iter().all(BagCheck::ok);
    if args.json {
        let v = serde_json::json!({
            "ok": ok,
            "checks": checks.iter().map(|c| serde_json::json!({
                "path": c.path,
                "kind": c.kind,
                "ok": c.ok(),
                "files": c.files,
                "bytes": c.bytes,
                "problems": c.problems.iter().map(|p| {
                    let mut j = serde_json::to_value(p).unwrap_or_default();
                    if let Some(o) = j.as_object_mut() {
                        o.insert("message".into(), p.text(lang).into());
                    }
                    j
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "notes": notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for c in &checks {
            print_check(c, lang);
        }
        for n in &notes {
            eprintln!("letopis: {}", n.get(lang));
        }
    }
    if ok { 0 } else { 1 }
}
