//! `letopis seal-dir DIR --out A --out B --name NAME` (hidden, internal): seals a folder already laid
//! out as an archive's `data/` onto media, through the same [`media::write_archive`] that `build`
//! uses. For tests and for re-sealing by hand; `build` is the command for users.

use super::verify::print_error;
use crate::layout::Payload;
use crate::media::{self, MediumOutcome, WriteOptions, WriteReport};
use crate::model::{Lang, Text};
use crate::seal::BagMeta;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SealDirArgs {
    /// Папка с содержимым будущего data/
    pub dir: PathBuf,
    /// Носитель (два разных носителя; один — только с --draft)
    #[arg(long = "out", required = true)]
    pub out: Vec<PathBuf>,
    /// Имя архива на носителе
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub org: String,
    #[arg(long)]
    pub address: Option<String>,
    /// Дата архивирования (ГГГГ-ММ-ДД)
    #[arg(long, default_value = "2026-01-20")]
    pub date: NaiveDate,
    #[arg(long, default_value = "")]
    pub period: String,
    /// Разрешить один носитель (черновик)
    #[arg(long)]
    pub draft: bool,
    /// Записать рядом с архивом ещё и <имя>.zip с файлом .sha256
    #[arg(long)]
    pub zip: bool,
    /// Подписать архив этим закрытым ключом (sign with this private key)
    #[arg(long)]
    pub sign: Option<PathBuf>,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

/// Prints a write report per medium and returns the exit code: 0 when every medium holds the
/// archive verified, 1 when one refused to overwrite a different archive, 2 when one failed (I/O).
/// `build` prints its media report with this too.
/// With `quiet`, only failures are printed (for scripts).
pub fn print_write_report(r: &WriteReport, lang: Lang, quiet: bool) -> i32 {
    for w in &r.warnings {
        eprintln!(
            "letopis: {}: {}",
            if lang == Lang::Ru {
                "предупреждение"
            } else {
                "warning"
            },
            w.get(lang)
        );
    }
    let mut code = 0;
    for m in &r.media {
        let line = match m.outcome {
            MediumOutcome::Written => Text::new(
                format!(
                    "✓ {}: записан и проверен чтением с носителя: файлов {}, {} байт",
                    m.archive.display(),
                    m.files,
                    m.bytes
                ),
                format!(
                    "✓ {}: written and verified by reading back: {} files, {} bytes",
                    m.archive.display(),
                    m.files,
                    m.bytes
                ),
            ),
            MediumOutcome::Unchanged => Text::new(
                format!(
                    "✓ {}: уже записан, без изменений; проверен чтением с носителя: файлов {}, {} байт",
                    m.archive.display(),
                    m.files,
                    m.bytes
                ),
                format!(
                    "✓ {}: already there, unchanged; verified by reading back: {} files, {} bytes",
                    m.archive.display(),
                    m.files,
                    m.bytes
                ),
            ),
            MediumOutcome::Refused | MediumOutcome::Failed => {
                let e = m
                    .error
                    .as_ref()
                    .map(|e| e.text())
                    .unwrap_or(Text::new("", ""));
                Text::new(
                    format!("✗ {}: НЕ ЗАПИСАН: {}", m.medium.display(), e.ru),
                    format!("✗ {}: NOT WRITTEN: {}", m.medium.display(), e.en),
                )
            }
        };
        let failed = matches!(m.outcome, MediumOutcome::Refused | MediumOutcome::Failed);
        if quiet && !failed {
            continue;
        }
        println!("{}", line.get(lang));
        if let Some(z) = &m.zip {
            match lang {
                Lang::Ru => println!("  zip: {} (SHA-256 {})", z.zip.display(), z.sha256),
                Lang::En => println!("  zip: {} (SHA-256 {})", z.zip.display(), z.sha256),
            }
        }
        if !failed {
            let act = m.medium.join(media::act::file_name(&r.archive_name));
            if act.is_file() {
                match lang {
                    Lang::Ru => println!(
                        "  акт о формировании архива: {} — распечатайте, подпишите и подшейте",
                        act.display()
                    ),
                    Lang::En => println!(
                        "  act of archive formation: {} — print, sign and file it",
                        act.display()
                    ),
                }
            }
        }
        for n in &m.notes {
            println!("  {}", n.get(lang));
        }
        code = code.max(match m.outcome {
            MediumOutcome::Written | MediumOutcome::Unchanged => 0,
            MediumOutcome::Refused => 1,
            MediumOutcome::Failed => 2,
        });
    }
    code
}

pub fn run(args: SealDirArgs) -> i32 {
    let lang = args.lang;
    if args.out.len() < 2 && !args.draft {
        print_error(
            &Text::new(
                "нужны два носителя (--out A --out B): хранение требует двух независимых копий; для черновика добавьте --draft",
                "two media are needed (--out A --out B): storage requires two independent copies; add --draft for a draft",
            ),
            lang,
        );
        return 2;
    }
    let payload = match Payload::from_dir(&args.dir) {
        Ok(p) => p,
        Err(e) => {
            print_error(&e.text(), lang);
            return 2;
        }
    };
    let signer = match &args.sign {
        None => None,
        Some(k) => match crate::seal::sign::load_for_build(k, &args.out) {
            Ok(s) => Some(s),
            Err(t) => {
                print_error(&t, lang);
                return 2;
            }
        },
    };
    let meta = BagMeta {
        source_organization: args.org.clone(),
        organization_address: args.address.clone(),
        external_identifier: args.name.clone(),
        bagging_date: args.date,
        period: args.period.clone(),
        period_title: None,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        signer,
    };
    let templates = match crate::render::Templates::load(None) {
        Ok(t) => t,
        Err(e) => {
            let m = e.to_string();
            print_error(&Text::new(m.clone(), m), lang);
            return 2;
        }
    };
    let index = |_: &std::path::Path, list: &[media::SealedArchive]| -> Result<String, String> {
        let bags: Vec<(String, String, String)> = list
            .iter()
            .map(|a| {
                let title = a
                    .get("Letopis-Period-Title")
                    .or(a.get("Letopis-Period"))
                    .unwrap_or("");
                let org = a.get("Source-Organization").unwrap_or("");
                (a.name.clone(), org.to_string(), title.to_string())
            })
            .collect();
        crate::render::medium_bags_index(&bags, &templates).map_err(|e| e.to_string())
    };
    let opts = WriteOptions {
        index_html: Some(&index),
        zip: args.zip,
        progress: true,
        templates: Some(&templates),
    };
    match media::write_archive(&payload, &meta, &args.out, &args.name, opts) {
        Ok(r) => print_write_report(&r, lang, false),
        Err(e) => {
            print_error(&e.text(), lang);
            2
        }
    }
}
