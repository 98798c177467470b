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
    pub templates: Option<PathBuf>,
    /// Also write a deterministic `<name>.zip` beside the archive on each medium.
    pub zip: bool,
    /// Sign the archive with this OpenSSH private key (else `signing_key:` of letopis.yaml).
    pub sign: Option<PathBuf>,
    pub lang: Option<Lang>,
}

fn say(lang: Lang, t: Text) -> String {
    t.get(lang).to_string()
}

pub fn run(args: Args) -> i32 {
    let mut lang = args.lang.unwrap_or_default();
    if args.out.len() < 2 && !args.draft {
        eprintln!(
            "{}",
            say(
                lang,
                Text::new(
                    "ошибка: архив записывается на два независимых носителя: укажите --out дважды (или --draft для пробной сборки на один носитель)",
                    "error: the archive is written to two independent media: give --out twice (or --draft for a trial build on one medium)",
                )
            )
        );
        return 2;
    }
    let (period, diags) = match ingest::load(&args.folder) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{}", e.text().get(lang));
            return 2;
        }
    };
    if args.lang.is_none() {
        lang = period.config.language;
    }
    let mut diags: Vec<Diagnostic> = diags;
    diag::sort(&mut diags);
    for d in &diags {
        eprintln!("{}", d.render(lang));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
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
    match build(&args, &period, lang) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            2
        }
    }
}

fn build(args: &Args, period: &Period, lang: Lang) -> Result<i32, String> {
    let templates_dir: Option<PathBuf> = args.templates.clone().or_else(|| {
        period
            .config
            .templates
            .as_ref()
            .map(|t| args.folder.join(t))
    });
    // The signing key is loaded before any work, so a wrong passphrase costs nothing.
    let key_path = args.sign.clone().or_else(|| {
        period
            .config
            .signing_key
            .as_ref()
            .map(|k| args.folder.join(k))
    });
    let signer = match key_path {
        None => None,
        Some(k) => Some(
            crate::seal::sign::load_for_build(&k, &args.out)
                .map_err(|t| t.get(lang).to_string())?,
        ),
    };
    let work = tempfile::Builder::new()
        .prefix("letopis-build-")
        .tempdir()
        .map_err(|e| format!("{}: {e}", std::env::temp_dir().display()))?;
    // Ctrl+C or SIGTERM during the build removes the work folder (and the media's staging folders).
    let _cleanup = media::interrupt::remove_on_signal(work.path());
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
    crate::search::build(period, work.path(), &mut rendered.payload).map_err(|e| e.to_string())?;
    crate::retention::write_into(period, work.path(), &mut rendered.payload)
        .map_err(|e| e.text().get(lang).to_string())?;
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
        signer,
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
