//! `letopis build <folder> --out A --out B`: parse, call [`crate::build`] step by step, print.

use crate::build::{self, Build, BuildError, Options};
use crate::cmd::clock::Mark;
use crate::cmd::seal_dir::print_write_report;
use crate::diag::Diagnostic;
use crate::media::{MediumOutcome, WriteReport};
use crate::model::{Lang, Text};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

pub struct Args {
    pub folder: PathBuf,
    pub out: Vec<PathBuf>,
    pub draft: bool,
    pub quiet: bool,
    /// `-v`: the stages with their times on standard error.
    pub verbose: bool,
    /// `--json`: one JSON document on standard output (problems, media, errors).
    pub json: bool,
    pub templates: Option<PathBuf>,
    /// Also write a deterministic `<name>.zip` beside the archive on each medium.
    pub zip: bool,
    /// Sign the archive with this OpenSSH private key (else `signing_key:` of letopis.yaml).
    pub sign: Option<PathBuf>,
    pub lang: Option<Lang>,
}

pub fn run(mut args: Args) -> i32 {
    // A JSON document on standard output leaves no room for progress bars.
    args.quiet |= args.json;
    let lang = args.lang.unwrap_or_default();
    if let Err(e) = build::check_media(&args.out, args.draft) {
        return fail(&e, lang);
    }
    let started = Mark::now();
    let loaded = match Build::load(&args.folder) {
        Ok(b) => b,
        Err(e) => return fail(&e, lang),
    };
    // Messages in the language asked for, else in the archive's own.
    let lang = args.lang.unwrap_or(loaded.lang());
    if !args.json {
        for d in &loaded.diagnostics {
            eprintln!("{}", d.render(lang));
        }
    }
    stage(
        &args,
        lang,
        ("чтение и проверка данных", "reading and checking the data"),
        started,
    );
    let diagnostics = loaded.diagnostics.clone();
    if args.json && loaded.errors() > 0 {
        let e = BuildError::Data {
            errors: loaded.errors(),
        };
        println!("{}", json_failed(&e, &diagnostics, lang));
        return i32::from(e.exit_code());
    }
    match steps(loaded, &args, lang) {
        Ok(report) if args.json => {
            println!("{}", json_written(&report, &diagnostics, lang));
            write_code(&report.write)
        }
        Ok(report) => print_report(&report, &args, lang),
        Err(e) if args.json => {
            println!("{}", json_failed(&e, &diagnostics, lang));
            i32::from(e.exit_code())
        }
        Err(e) => fail(&e, lang),
    }
}

/// With `-v`: how long a step took, and the CPU time it used (on two cores a step that keeps both
/// busy shows twice its wall time).
fn stage(args: &Args, lang: Lang, (ru, en): (&str, &str), since: Mark) {
    if !args.verbose {
        return;
    }
    let (wall, cpu) = since.elapsed();
    let comma = |x: f64| format!("{x:.2}").replace('.', ",");
    match (lang, cpu) {
        (Lang::Ru, Some(cpu)) => eprintln!(
            "letopis: {ru}: {} с, процессорное время {} с",
            comma(wall),
            comma(cpu)
        ),
        (Lang::Ru, None) => eprintln!("letopis: {ru}: {} с", comma(wall)),
        (Lang::En, Some(cpu)) => eprintln!("letopis: {en}: {wall:.2} s, CPU time {cpu:.2} s"),
        (Lang::En, None) => eprintln!("letopis: {en}: {wall:.2} s"),
    }
}

/// The pipeline's steps after loading: pages, indexes and tables, writing to the media.
fn steps(loaded: Build, args: &Args, lang: Lang) -> Result<build::Report, BuildError> {
    // The signing key is loaded before any work, so a wrong passphrase costs nothing.
    let signer = loaded.signer(args.sign.as_deref(), &args.out)?;
    let bar = progress(
        args.quiet,
        loaded.page_count() as u64,
        Text::new("страницы", "pages").get(lang),
    );
    let opts = Options {
        templates: args.templates.clone(),
        zip: args.zip,
        progress: !args.quiet,
        page_progress: Some(&bar),
        signer,
    };
    let t = Mark::now();
    let rendered = loaded.render(&args.out, args.draft, &opts)?;
    bar.finish_and_clear();
    stage(args, lang, ("страницы", "pages"), t);
    let t = Mark::now();
    let indexed = rendered.index()?;
    stage(
        args,
        lang,
        (
            "поисковый индекс и таблицы; копирование страниц на носители",
            "search index and tables; pages copied to the media",
        ),
        t,
    );
    let t = Mark::now();
    let report = indexed.write(&opts)?;
    stage(
        args,
        lang,
        (
            "запись, чтение с носителей и проверка",
            "writing, reading back and verifying",
        ),
        t,
    );
    Ok(report)
}

/// What was written, where to open it, and the exit code.
fn print_report(report: &build::Report, args: &Args, lang: Lang) -> i32 {
    if !args.quiet {
        println!(
            "{}",
            Text::new(
                format!(
                    "архив {}: страниц {}, файлов {}, {}",
                    report.name,
                    report.pages,
                    report.write.files,
                    crate::l10n::size(Lang::Ru, report.write.bytes)
                ),
                format!(
                    "archive {}: {} pages, {} files, {}",
                    report.name,
                    report.pages,
                    report.write.files,
                    crate::l10n::size(Lang::En, report.write.bytes)
                ),
            )
            .get(lang)
        );
    }
    let code = print_write_report(&report.write, lang, args.quiet);
    if code == 0 && !args.quiet {
        for out in &args.out {
            let index = out.join(crate::layout::MEDIUM_INDEX);
            println!(
                "{}",
                Text::new(
                    format!("откройте {}", index.display()),
                    format!("open {}", index.display()),
                )
                .get(lang)
            );
        }
    }
    code
}

fn fail(e: &BuildError, lang: Lang) -> i32 {
    super::print_error(e.text().get(lang), lang);
    i32::from(e.exit_code())
}

fn json_diags(diags: &[Diagnostic], lang: Lang) -> Vec<serde_json::Value> {
    diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "severity": d.severity,
                "message": d.message.get(lang),
                "hint": d.hint.as_ref().map(|h| h.get(lang)),
            })
        })
        .collect()
}

/// `--json` when nothing was written: the reason and the data's problems.
fn json_failed(e: &BuildError, diags: &[Diagnostic], lang: Lang) -> String {
    let v = serde_json::json!({
        "ok": false,
        "error": e.text().get(lang),
        "diagnostics": json_diags(diags, lang),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// `--json` after writing: the archive, every medium's outcome, warnings and the data's warnings.
fn json_written(report: &build::Report, diags: &[Diagnostic], lang: Lang) -> String {
    let w = &report.write;
    let media: Vec<serde_json::Value> = w
        .media
        .iter()
        .map(|m| {
            serde_json::json!({
                "medium": m.medium,
                "archive": m.archive,
                "outcome": format!("{:?}", m.outcome).to_lowercase(),
                "files": m.files,
                "bytes": m.bytes,
                "error": m.error.as_ref().map(|e| e.text().get(lang).to_string()),
                "notes": m.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
                "zip": m.zip.as_ref().map(|z| serde_json::json!({"path": z.zip, "sha256": z.sha256})),
            })
        })
        .collect();
    let v = serde_json::json!({
        "ok": w.ok(),
        "archive": report.name,
        "pages": report.pages,
        "files": w.files,
        "bytes": w.bytes,
        "media": media,
        "warnings": w.warnings.iter().map(|x| x.get(lang)).collect::<Vec<_>>(),
        "diagnostics": json_diags(diags, lang),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The exit code of a write: 0 every medium holds the archive, 1 one refused to overwrite another
/// archive, 2 one failed.
fn write_code(r: &WriteReport) -> i32 {
    r.media
        .iter()
        .map(|m| match m.outcome {
            MediumOutcome::Written | MediumOutcome::Unchanged => 0,
            MediumOutcome::Refused => 1,
            MediumOutcome::Failed => 2,
        })
        .max()
        .unwrap_or(0)
}

fn progress(quiet: bool, len: u64, label: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(len).with_style(style);
    bar.set_message(label.to_string());
    bar
}
