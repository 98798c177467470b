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
    /// From the global `--json`, set by `cmd::run`.
    #[arg(skip)]
    pub json: bool,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

/// Prints an error as the user asked for it: `letopis: ошибка: …` on standard error, or a JSON
/// document on standard output with `--json`.
pub(crate) fn print_error(t: &Text, lang: Lang) {
    super::print_error(t.get(lang), lang);
}

/// Prints one check as a user reads it: the path, every problem, the verdict.
pub fn print_check(c: &BagCheck, lang: Lang) {
    let kind = match (c.kind, lang) {
        ("bag", Lang::Ru) => "архив",
        ("zip", Lang::Ru) => "zip-архив",
        ("medium", Lang::Ru) => "носитель",
        ("acts", Lang::Ru) => "акты об уничтожении",
        ("acts", Lang::En) => "disposal acts",
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
