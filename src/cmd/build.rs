//! `letopis build <folder> --out A --out B`: load and validate the input folder, render the archive
//! pages, and write `<medium>/<archive-name>/data/…` plus the medium's `index.html` on every medium.
//!
//! Thin on purpose: loading is `ingest::load`, pages are `render::render`; the plain copy below is
//! the interim medium writer until the sealing stage (BagIt, read-back verification) replaces it.

use crate::diag::{self, Diagnostic};
use crate::ingest;
use crate::model::{Lang, Period, Text};
use crate::render::{self, RenderOptions, Templates};
use crate::seal::Payload;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

pub struct Args {
    pub folder: PathBuf,
    pub out: Vec<PathBuf>,
    pub draft: bool,
    pub quiet: bool,
    pub templates: Option<PathBuf>,
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
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("{msg}");
            2
        }
    }
}

fn build(args: &Args, period: &Period, lang: Lang) -> Result<(), String> {
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
    crate::search::build(period, work.path(), &mut rendered.payload).map_err(|e| e.to_string())?;
    let medium_templates = Templates::load(templates_dir.as_deref()).map_err(|e| e.to_string())?;

    let name = &rendered.archive.name;
    for out in &args.out {
        let bar = progress(
            args.quiet,
            rendered.payload.files.len() as u64,
            &out.display().to_string(),
        );
        let bytes = write_archive(&rendered.payload, out, name, &bar)?;
        bar.finish_and_clear();
        let archives = render::scan_medium(out).map_err(|e| e.to_string())?;
        let html =
            render::medium_index(&archives, lang, &medium_templates).map_err(|e| e.to_string())?;
        write_atomically(&out.join("index.html"), html.as_bytes())?;
        if !args.quiet {
            println!(
                "{}",
                say(
                    lang,
                    Text::new(
                        format!(
                            "{}: архив {name} — страниц {}, файлов {}, {}; откройте {}",
                            out.display(),
                            rendered.pages,
                            rendered.payload.files.len(),
                            render::fmt::size(Lang::Ru, bytes),
                            out.join("index.html").display()
                        ),
                        format!(
                            "{}: archive {name} — {} pages, {} files, {}; open {}",
                            out.display(),
                            rendered.pages,
                            rendered.payload.files.len(),
                            render::fmt::size(Lang::En, bytes),
                            out.join("index.html").display()
                        ),
                    )
                )
            );
        }
    }
    Ok(())
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

/// Copies the payload to `<out>/<name>/data/` through a staging folder renamed into place only when
/// complete, so an interrupted build never leaves a folder that looks like a finished archive.
fn write_archive(
    payload: &Payload,
    out: &Path,
    name: &str,
    bar: &ProgressBar,
) -> Result<u64, String> {
    let dest = out.join(name);
    if dest.exists() {
        return Err(format!(
            "ошибка: {} уже существует; архив периода не перезаписывается / error: {} already exists; a period's archive is never overwritten",
            dest.display(),
            dest.display()
        ));
    }
    let staging = out.join(format!(".{name}.partial"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    }
    let mut bytes = 0;
    for (data_path, src) in &payload.files {
        let target = staging.join("data").join(data_path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        bytes += std::fs::copy(src, &target)
            .map_err(|e| format!("{} → {}: {e}", src.display(), target.display()))?;
        bar.inc(1);
    }
    std::fs::rename(&staging, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(bytes)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("html.partial");
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}
