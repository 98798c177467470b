//! `letopis verify PATH... [--json]`: a medium, a bag or a zip.

use crate::media::verify::{self, BagCheck};
use crate::model::{Lang, Text};
use crate::seal::sign::Signature;
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
    /// Файл allowed_signers (OpenSSH): каждый архив должен быть подписан одним из его ключей
    #[arg(long, value_name = "ALLOWED_SIGNERS")]
    pub trust: Option<PathBuf>,
    /// SHA-256 файла tagmanifest-sha256.txt из бумажного акта: архив должен совпасть с ним
    #[arg(long, value_name = "HEX")]
    pub digest: Option<String>,
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
    match (&c.signature, lang) {
        (Some(Signature::Good { fingerprint, key }), Lang::Ru) => {
            println!("  ✓ подпись верна: ключ {fingerprint} ({key})")
        }
        (Some(Signature::Good { fingerprint, key }), Lang::En) => {
            println!("  ✓ good signature: key {fingerprint} ({key})")
        }
        (Some(Signature::Unsigned), Lang::Ru) => println!("  · архив не подписан"),
        (Some(Signature::Unsigned), Lang::En) => println!("  · the archive is not signed"),
        _ => {}
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
    let mut opts = verify::VerifyOptions {
        digest: args.digest.clone(),
        ..Default::default()
    };
    if let Some(d) = &args.digest
        && (d.trim().len() != 64 || !d.trim().bytes().all(|b| b.is_ascii_hexdigit()))
    {
        print_error(
            &Text::new(
                format!("--digest {d}: нужны 64 шестнадцатеричные цифры SHA-256 из акта"),
                format!("--digest {d}: 64 hex digits of SHA-256 from the act are needed"),
            ),
            lang,
        );
        return 2;
    }
    if let Some(t) = &args.trust {
        match std::fs::read_to_string(t) {
            Ok(text) => {
                let keys = crate::seal::sign::allowed_signers(&text);
                if keys.is_empty() {
                    print_error(
                        &Text::new(
                            format!(
                                "{}: в файле нет ни одного открытого ключа (строк вида «имя ssh-ed25519 AAAA…»)",
                                t.display()
                            ),
                            format!(
                                "{}: no public key in the file (lines `name ssh-ed25519 AAAA…`)",
                                t.display()
                            ),
                        ),
                        lang,
                    );
                    return 2;
                }
                opts.trust = Some(keys);
            }
            Err(e) => {
                print_error(
                    &Text::new(
                        format!("{}: {e}", t.display()),
                        format!("{}: {e}", t.display()),
                    ),
                    lang,
                );
                return 2;
            }
        }
    }
    let (checks, notes) = match verify::verify_paths(&args.paths, &opts) {
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
                "signature": c.signature,
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
