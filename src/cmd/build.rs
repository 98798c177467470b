//! `letopis build <folder> --out A --out B`: load and validate the input folder, render the archive
//! pages, and write `<medium>/<archive-name>/data/…` plus the medium's `index.html` on every medium.
//!
//! Thin on purpose: loading is `ingest::load`, pages are `render::render`, indexes `search::build`,
//! and `media::write_archive` seals the payload as a BagIt bag on every medium in one pass, reads it
//! back from the medium and renames it into place.

use crate::cmd::seal_dir::print_write_report;
use crate::diag::{self, Diagnostic};
use crate::ingest;
use crate::media::{self, WriteOptions};
use crate::model::{Lang, Period, Text};
use crate::render::{self, RenderOptions, Templates};
use crate::seal::BagMeta;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

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
    pub lang: Option<Lang>,
}

fn say(lang: Lang, t: Text) -> String {
    t.get(lang).to_string()
}

pub fn run(mut args: Args) -> i32 {
    // A JSON document on standard output leaves no room for progress bars.
    args.quiet |= args.json;
    let mut lang = args.lang.unwrap_or_default();
    if args.out.len() < 2 && !args.draft {
        super::print_error(
            &say(
                lang,
                Text::new(
                    "ошибка: архив записывается на два независимых носителя: укажите --out дважды (или --draft для пробной сборки на один носитель)",
                    "error: the archive is written to two independent media: give --out twice (or --draft for a trial build on one medium)",
                ),
            ),
            lang,
        );
        return 2;
    }
    let started = std::time::Instant::now();
    let (period, diags) = match ingest::load(&args.folder) {
        Ok(x) => x,
        Err(e) => {
            super::print_error(e.text().get(lang), lang);
            return 2;
        }
    };
    if args.lang.is_none() {
        lang = period.config.language;
    }
    let mut diags: Vec<Diagnostic> = diags;
    diag::sort(&mut diags);
    if !args.json {
        for d in &diags {
            eprintln!("{}", d.render(lang));
        }
    }
    stage(
        &args,
        lang,
        "чтение и проверка данных",
        "reading and checking the data",
        started,
    );
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 && args.json {
        println!("{}", json_refused(&diags, lang));
        return 1;
    }
    if errors > 0 {
        eprintln!(
            "{}",
            say(
                lang,
                Text::new(
                    format!(
                        "сборка отменена: ошибок в данных — {errors}; исправьте их и повторите (проверка: letopis check)"
                    ),
                    format!(
                        "build refused: {errors} data error(s); fix them and run again (see letopis check)"
                    ),
                )
            )
        );
        return 1;
    }
    match build(&args, &period, &diags, lang) {
        Ok(code) => code,
        Err(msg) => {
            super::print_error(&msg, lang);
            2
        }
    }
}

/// `-v`: one stage's time on standard error.
fn stage(args: &Args, lang: Lang, ru: &str, en: &str, since: std::time::Instant) {
    if args.verbose {
        let secs = since.elapsed().as_secs_f64();
        match lang {
            Lang::Ru => eprintln!(
                "letopis: {ru}: {}",
                format!("{secs:.2} с").replace('.', ",")
            ),
            Lang::En => eprintln!("letopis: {en}: {secs:.2} s"),
        }
    }
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

/// `--json` when the data has errors: nothing was written.
fn json_refused(diags: &[Diagnostic], lang: Lang) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let v = serde_json::json!({
        "ok": false,
        "error": say(lang, Text::new(
            format!("сборка отменена: ошибок в данных — {errors}"),
            format!("build refused: {errors} data error(s)"),
        )),
        "diagnostics": json_diags(diags, lang),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// `--json` after writing: the archive, every medium's outcome, warnings and the data's warnings.
fn json_written(
    report: &media::WriteReport,
    pages: usize,
    diags: &[Diagnostic],
    lang: Lang,
) -> String {
    let media: Vec<serde_json::Value> = report
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
        "ok": report.ok(),
        "archive": report.archive_name,
        "pages": pages,
        "files": report.files,
        "bytes": report.bytes,
        "media": media,
        "warnings": report.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>(),
        "diagnostics": json_diags(diags, lang),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn build(args: &Args, period: &Period, diags: &[Diagnostic], lang: Lang) -> Result<i32, String> {
    let started = std::time::Instant::now();
    let templates_dir: Option<PathBuf> = args.templates.clone().or_else(|| {
        period
            .config
            .templates
            .as_ref()
            .map(|t| args.folder.join(t))
    });
    let work = tempfile::Builder::new()
        .prefix("letopis-build-")
        .tempdir()
        .map_err(|e| format!("{}: {e}", std::env::temp_dir().display()))?;
    let pages = render::page_count(period) as u64;
    let bar = progress(
        args.quiet,
        pages,
        &say(lang, Text::new("страницы", "pages")),
    );
    let opts = RenderOptions {
        templates: templates_dir.as_deref(),
        progress: Some(&bar),
    };
    let mut rendered =
        render::render(period, &args.folder, work.path(), &opts).map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    stage(args, lang, "страницы", "pages", started);
    let started = std::time::Instant::now();
    crate::search::build(period, work.path(), &mut rendered.payload).map_err(|e| e.to_string())?;
    stage(args, lang, "поисковый индекс", "search index", started);
    let started = std::time::Instant::now();
    crate::retention::write_into(period, work.path(), &mut rendered.payload)
        .map_err(|e| e.text().get(lang).to_string())?;
    stage(args, lang, "сроки хранения", "retention", started);
    let started = std::time::Instant::now();
    let medium_templates = Templates::load(templates_dir.as_deref()).map_err(|e| e.to_string())?;

    let config = &period.config;
    let name = config.archive_name();
    let meta = BagMeta {
        source_organization: config.organisation.name.clone(),
        organization_address: config.organisation.address.clone(),
        external_identifier: name.clone(),
        bagging_date: config.build_date(),
        period: config.period.id.clone(),
        period_title: config.period.title.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    // The medium's list of periods is rendered from every archive found on it, after this one is
    // in place; `media` writes it atomically.
    let index = |medium: &Path, _: &[media::SealedArchive]| -> Result<String, String> {
        let archives = render::scan_medium(medium).map_err(|e| e.to_string())?;
        render::medium_index(&archives, lang, &medium_templates).map_err(|e| e.to_string())
    };
    let opts = WriteOptions {
        index_html: Some(&index),
        zip: args.zip,
        progress: !args.quiet,
    };
    let report = media::write_archive(&rendered.payload, &meta, &args.out, &name, opts)
        .map_err(|e| e.text().get(lang).to_string())?;
    stage(
        args,
        lang,
        "запись, чтение с носителей и проверка",
        "writing, reading back and verifying",
        started,
    );
    if args.json {
        println!("{}", json_written(&report, rendered.pages, diags, lang));
        return Ok(write_code(&report));
    }
    if !args.quiet {
        println!(
            "{}",
            say(
                lang,
                Text::new(
                    format!(
                        "архив {name}: страниц {}, файлов {}, {}",
                        rendered.pages,
                        report.files,
                        render::fmt::size(Lang::Ru, report.bytes)
                    ),
                    format!(
                        "archive {name}: {} pages, {} files, {}",
                        rendered.pages,
                        report.files,
                        render::fmt::size(Lang::En, report.bytes)
                    ),
                )
            )
        );
    }
    let code = print_write_report(&report, lang, args.quiet);
    if code == 0 && !args.quiet {
        for out in &args.out {
            println!(
                "{}",
                say(
                    lang,
                    Text::new(
                        format!("откройте {}", out.join("index.html").display()),
                        format!("open {}", out.join("index.html").display()),
                    )
                )
            );
        }
    }
    Ok(code)
}

fn progress(quiet: bool, len: u64, label: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(len).with_style(style);
    bar.set_message(label.to_string());
    bar
}

/// The exit code of a write: 0 every medium holds the archive, 1 one refused to overwrite another
/// archive, 2 one failed.
fn write_code(r: &media::WriteReport) -> i32 {
    use media::MediumOutcome as O;
    r.media
        .iter()
        .map(|m| match m.outcome {
            O::Written | O::Unchanged => 0,
            O::Refused => 1,
            O::Failed => 2,
        })
        .max()
        .unwrap_or(0)
}
