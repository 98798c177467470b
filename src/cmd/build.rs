//! `letopis build <folder> --out A --out B`: parse, call [`crate::build`] step by step, print.

use crate::build::{self, Build, BuildError, Options};
use crate::cmd::seal_dir::print_write_report;
use crate::model::{Lang, Text};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

pub struct Args {
    pub folder: PathBuf,
    pub out: Vec<PathBuf>,
    pub draft: bool,
    pub quiet: bool,
    pub templates: Option<PathBuf>,
    /// Also write a deterministic `<name>.zip` beside the archive on each medium.
    pub zip: bool,
    pub lang: Option<Lang>,
}

pub fn run(args: Args) -> i32 {
    let lang = args.lang.unwrap_or_default();
    if let Err(e) = build::check_media(&args.out, args.draft) {
        return fail(&e, lang);
    }
    let loaded = match Build::load(&args.folder) {
        Ok(b) => b,
        Err(e) => return fail(&e, lang),
    };
    // Messages in the language asked for, else in the archive's own.
    let lang = args.lang.unwrap_or(loaded.lang());
    for d in &loaded.diagnostics {
        eprintln!("{}", d.render(lang));
    }
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
    };
    let report = loaded
        .render(&opts)
        .inspect(|_| bar.finish_and_clear())
        .and_then(|r| r.index())
        .and_then(|r| r.write(&args.out, args.draft, &opts));
    let report = match report {
        Ok(r) => r,
        Err(e) => return fail(&e, lang),
    };
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
    eprintln!("{}", e.text().get(lang));
    i32::from(e.exit_code())
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
