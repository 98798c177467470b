//! The pipeline as a library, one step per stage:
//!
//! ```text
//! Build::load(folder)            ingest: files → validated Period + diagnostics
//!   .render(&media, draft, &opts) media locked; pages straight into the first medium's
//!                                staging folder → Payload
//!   .index()                     records, search (tantivy + browser shards), retention facts,
//!                                into the same folder; meanwhile the pages are copied to the
//!                                other media and every copy is read back (a head start)
//!   .write(&options)             seal + media: the input files copied in, everything copied to
//!                                the other media, every copy read back and verified
//! ```
//!
//! Nothing the size of the archive is written outside the media: no work folder in `TMPDIR`.
//!
//! ```text
//! ```
//!
//! Commands (`letopis build`, tests, benchmarks) call these steps and print what they return;
//! nothing here prints. Every step's error is a [`BuildError`] with the stage's own message.

use crate::diag::{self, Diagnostic};
use crate::ingest;
use crate::layout::Payload;
use crate::media::{self, WriteOptions, WriteReport};
use crate::model::{Lang, Period, Text};
use crate::render::{self, RenderOptions, Templates};
use crate::seal::BagMeta;
use std::path::{Path, PathBuf};

/// What a caller may choose about a build.
#[derive(Default)]
pub struct Options<'a> {
    /// Templates overriding the embedded ones (else `templates:` of `letopis.yaml`).
    pub templates: Option<PathBuf>,
    /// Also write a deterministic `<name>.zip` beside the archive on each medium.
    pub zip: bool,
    /// Show the media progress bar (drawn only on a terminal).
    pub progress: bool,
    /// Advanced once per page rendered.
    pub page_progress: Option<&'a indicatif::ProgressBar>,
    /// Signs the bag's tag manifest (see [`crate::seal::sign`]); from [`Build::signer`].
    pub signer: Option<crate::seal::sign::Signer>,
}

/// Why a build stopped.
#[derive(Debug)]
pub enum BuildError {
    /// The input folder could not be read (I/O, a missing `letopis.yaml`).
    Load(ingest::Error),
    /// The data has errors: the archive is not built. The diagnostics say which.
    Data { errors: usize },
    /// Fewer than two media without `--draft`.
    OneMedium,
    /// A stage failed; the message is the stage's own, in both languages.
    Stage(Text),
}

impl BuildError {
    pub fn text(&self) -> Text {
        match self {
            BuildError::Load(e) => e.text(),
            BuildError::Data { errors } => Text::new(
                format!(
                    "сборка отменена: ошибок в данных — {errors}; исправьте их и повторите (проверка: letopis check)"
                ),
                format!(
                    "build refused: {errors} data error(s); fix them and run again (see letopis check)"
                ),
            ),
            BuildError::OneMedium => Text::new(
                "ошибка: архив записывается на два независимых носителя: укажите --out дважды (или --draft для пробной сборки на один носитель)",
                "error: the archive is written to two independent media: give --out twice (or --draft for a trial build on one medium)",
            ),
            BuildError::Stage(t) => t.clone(),
        }
    }

    /// The exit code a command returns for it: 1 for data errors, 2 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Data { .. } => 1,
            _ => 2,
        }
    }
}

fn stage(e: impl std::fmt::Display) -> BuildError {
    let s = e.to_string();
    BuildError::Stage(Text::new(s.clone(), s))
}

/// Two media, or one with `draft`: checked before anything is read.
pub fn check_media(media: &[PathBuf], draft: bool) -> Result<(), BuildError> {
    if media.len() < 2 && !draft {
        return Err(BuildError::OneMedium);
    }
    Ok(())
}

/// A loaded and validated period.
pub struct Build {
    folder: PathBuf,
    pub period: Period,
    /// Every problem found, sorted; errors stop [`Build::render`].
    pub diagnostics: Vec<Diagnostic>,
}

impl Build {
    /// Reads and validates the input folder.
    pub fn load(folder: &Path) -> Result<Build, BuildError> {
        let (period, mut diagnostics) = ingest::load(folder).map_err(BuildError::Load)?;
        diag::sort(&mut diagnostics);
        give_back_free_memory();
        Ok(Build {
            folder: folder.to_path_buf(),
            period,
            diagnostics,
        })
    }

    /// The archive's own language (`language:` of `letopis.yaml`).
    pub fn lang(&self) -> Lang {
        self.period.config.language
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The signing key: `key` (`build --sign`), else `signing_key:` of `letopis.yaml` (relative to
    /// the input folder), loaded with `LETOPIS_KEY_PASSPHRASE`; refused when it lies on a medium.
    pub fn signer(
        &self,
        key: Option<&Path>,
        media: &[PathBuf],
    ) -> Result<Option<crate::seal::sign::Signer>, BuildError> {
        let path = key.map(Path::to_path_buf).or_else(|| {
            self.period
                .config
                .signing_key
                .as_ref()
                .map(|k| self.folder.join(k))
        });
        let Some(path) = path else { return Ok(None) };
        // Every file of the input folder goes into the archive: the private key must not be there.
        if let (Ok(k), Ok(f)) = (path.canonicalize(), self.folder.canonicalize())
            && k.starts_with(&f)
        {
            return Err(BuildError::Stage(Text::new(
                format!(
                    "закрытый ключ {} лежит в папке выгрузки: всё из неё попадает в архив; перенесите ключ в другое место и укажите путь к нему",
                    path.display()
                ),
                format!(
                    "the private key {} is inside the input folder, all of which goes into the archive; move it elsewhere and give its path",
                    path.display()
                ),
            )));
        }
        crate::seal::sign::load_for_build(&path, media)
            .map(Some)
            .map_err(BuildError::Stage)
    }

    /// Number of pages [`Build::render`] writes (for a progress bar).
    pub fn page_count(&self) -> usize {
        render::page_count(&self.period)
    }

    fn templates_dir(&self, opts: &Options) -> Option<PathBuf> {
        opts.templates.clone().or_else(|| {
            self.period
                .config
                .templates
                .as_ref()
                .map(|t| self.folder.join(t))
        })
    }

    /// Checks and locks the media, then renders every page straight into the first medium's
    /// staging folder (removed if the build stops). Refuses a period with data errors, and fewer
    /// than two media without `draft`.
    pub fn render(
        self,
        media: &[PathBuf],
        draft: bool,
        opts: &Options,
    ) -> Result<Rendered, BuildError> {
        let errors = self.errors();
        if errors > 0 {
            return Err(BuildError::Data { errors });
        }
        check_media(media, draft)?;
        let templates = self.templates_dir(opts);
        // Ctrl+C or SIGTERM during the build removes the staging folder (registered as it is made).
        let staging = media::Staging::open(media, &self.period.config.archive_name())
            .map_err(|e| BuildError::Stage(e.text()))?;
        let signature = opts.signer.as_ref().map(|k| render::Signature {
            fingerprint: k.fingerprint(),
            public_key: k.public_openssh(),
            principal: crate::seal::sign::PRINCIPAL.to_string(),
            namespace: crate::seal::sign::NAMESPACE.to_string(),
            file: crate::seal::sign::SIGNATURE_FILE.to_string(),
        });
        let ropts = RenderOptions {
            templates: templates.as_deref(),
            progress: opts.page_progress,
            signature,
        };
        let work = staging.data_dir();
        let rendered = render::render(&self.period, &self.folder, &work, &ropts)
            .map_err(|e| full_or(&staging, stage(e), false))?;
        let templates = Templates::load(templates.as_deref()).map_err(stage)?;
        give_back_free_memory();
        Ok(Rendered {
            period: self.period,
            work,
            staging,
            payload: rendered.payload,
            pages: rendered.pages,
            templates,
        })
    }
}

/// Returns to the system the memory a stage freed (glibc keeps freed pages of its heaps mapped:
/// after reading an 80,000-learner period, a few hundred MB of the reader's buffers and grown
/// lists), so that the next stage's peak starts from what is still in use.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A stage that failed writing into the staging folder because the first medium is full says so:
/// when its error said so (`said_full`), or when the medium has less than 1 MB left.
fn full_or(staging: &media::Staging, e: BuildError, said_full: bool) -> BuildError {
    let medium = &staging.media()[0];
    match (media::medium::free_bytes(medium), e) {
        (Some(free), BuildError::Stage(t)) if said_full || free < 1 << 20 => {
            BuildError::Stage(Text::new(
                format!(
                    "на носителе {} не хватает места для архива (свободно {}). Ничего не записано ни на один носитель, незавершённая папка удалена: освободите место или возьмите другой носитель и повторите ({})",
                    medium.display(),
                    crate::l10n::size(Lang::Ru, free),
                    t.ru
                ),
                format!(
                    "medium {} is too full for the archive ({} free). Nothing was written to any medium and the unfinished folder was removed: free some space or use another medium and run again ({})",
                    medium.display(),
                    crate::l10n::size(Lang::En, free),
                    t.en
                ),
            ))
        }
        (_, e) => e,
    }
}

/// The rendered pages of a period, in the first medium's staging folder (removed when this is
/// dropped unpublished), with the media locked.
pub struct Rendered {
    pub period: Period,
    /// `data/` of the staging folder.
    work: PathBuf,
    staging: media::Staging,
    pub payload: Payload,
    pub pages: usize,
    templates: Templates,
}

impl Rendered {
    /// The folder the pages are in: `data/` of the first medium's staging folder.
    pub fn work_dir(&self) -> &Path {
        &self.work
    }

    /// Adds the records as open data (`records/`), the search indexes (tantivy for
    /// `letopis search`, shards for the browser) and the retention facts and page.
    pub fn index(mut self) -> Result<Rendered, BuildError> {
        // The tables (mostly one thread writing the workbook), the search indexes and the retention
        // facts read the same period and write different files: they run side by side, each into
        // its own list of files, merged after (the manifest is sorted, so the order of the merge
        // does not show).
        // Meanwhile the pages are copied to the other media and read back from each.
        self.staging.start_early(&self.payload);
        let (period, work, templates) = (&self.period, self.work.as_path(), &self.templates);
        let (mut tables, mut search, mut retention) =
            (Payload::default(), Payload::default(), Payload::default());
        let (t, (s, r)) = rayon::join(
            || {
                let t = crate::tables::write_into(period, work, &mut tables);
                give_back_free_memory();
                t
            },
            || {
                // One after the other: each of them holds its own view of the whole period
                // (search documents, retention items), and both at once would double the peak.
                // What the search indexes freed goes back before the retention items are made.
                let s = crate::search::build(period, work, &mut search).map_err(stage);
                give_back_free_memory();
                let r = crate::retention::write_into(period, work, &mut retention, templates)
                    .map_err(|e| BuildError::Stage(e.text()));
                (s, r)
            },
        );
        if let Err(e) = t {
            return Err(full_or(&self.staging, BuildError::Stage(e.text()), e.full));
        }
        for result in [s.map(drop), r] {
            result.map_err(|e| full_or(&self.staging, e, false))?;
        }
        // The head start copied the pages as the render left them: should a later step have
        // written one of them again, its copies are stale, and the write does everything.
        let rewritten = [&tables, &search, &retention]
            .iter()
            .any(|p| p.files.keys().any(|k| self.payload.files.contains_key(k)));
        debug_assert!(
            !rewritten,
            "the index stage wrote a page of the render again"
        );
        if rewritten {
            self.staging.drop_early();
        }
        for part in [tables, search, retention] {
            self.payload.files.extend(part.files);
        }
        give_back_free_memory();
        Ok(self)
    }

    /// The bag's `bag-info.txt` facts (and its signing key).
    pub fn bag_meta(&self, signer: Option<crate::seal::sign::Signer>) -> BagMeta {
        let config = &self.period.config;
        BagMeta {
            source_organization: config.organisation.name.clone(),
            organization_address: config.organisation.address.clone(),
            external_identifier: config.archive_name(),
            bagging_date: config.build_date(),
            period: config.period.id.clone(),
            period_title: config.period.title.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            signer,
        }
    }

    /// Seals the payload as a bag and writes it to every medium (read back and verified there),
    /// then rewrites each medium's `index.html` from the archives found on it.
    pub fn write(self, opts: &Options) -> Result<Report, BuildError> {
        let name = self.period.config.archive_name();
        let meta = self.bag_meta(opts.signer.clone());
        let Rendered {
            period,
            mut staging,
            payload,
            pages,
            templates,
            ..
        } = self;
        // The media stage reads files, not records: the period's memory (most of a large build's)
        // goes back before it.
        drop(period);
        give_back_free_memory();
        let templates = &templates;
        let index = |medium: &Path, _: &[media::SealedArchive]| -> Result<String, String> {
            let archives = render::scan_medium(medium).map_err(|e| e.to_string())?;
            render::medium_index(&archives, templates).map_err(|e| e.to_string())
        };
        let wopts = WriteOptions {
            index_html: Some(&index),
            zip: opts.zip,
            progress: opts.progress,
            templates: Some(templates),
        };
        let write = media::write_staged(&mut staging, &payload, &meta, wopts)
            .map_err(|e| BuildError::Stage(e.text()))?;
        Ok(Report { name, pages, write })
    }
}

/// What a build wrote.
pub struct Report {
    pub name: String,
    pub pages: usize,
    pub write: WriteReport,
}
