//! Writing one sealed archive to several media in a single pass.

use super::error::MediaError;
use super::{INDEX_HTML, STAGING_PREFIX, fsio, log};
use crate::model::Text;
use crate::seal::bag::{self, BAG_INFO_TXT, DATA, MANIFEST, TAGMANIFEST};
use crate::seal::hash::{self, CHUNK};
use crate::seal::{BagMeta, Payload};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A file's SHA-256 (hex) and size.
type HashSize = (String, u64);

/// A sealed archive found on a medium, for the medium's `index.html`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedArchive {
    /// Folder name, e.g. `umc-2025`; its start page is `<name>/data/index.html`.
    pub name: String,
    /// `bag-info.txt` labels and values, in file order.
    pub info: Vec<(String, String)>,
}

impl SealedArchive {
    pub fn get(&self, label: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }
}

/// Content of the medium's `index.html`, given the medium and every sealed archive on it (sorted by
/// name); an `Err` is a message for the report (the old `index.html` stays).
pub type IndexFn<'a> = &'a (dyn Fn(&Path, &[SealedArchive]) -> Result<String, String> + Sync);

#[derive(Clone, Copy, Default)]
pub struct WriteOptions<'a> {
    /// Renders the medium's `index.html`; `None` leaves the medium's `index.html` alone.
    pub index_html: Option<IndexFn<'a>>,
    /// Also write `<medium>/<name>.zip` (deterministic, see [`crate::seal::pack`]) with its
    /// `.sha256`, and check it without extracting (`build --zip`).
    pub zip: bool,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// The template set of the paper act beside the archive (`building_act.html`); `None`: the
    /// embedded one.
    pub templates: Option<&'a crate::render::Templates>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediumOutcome {
    /// Written, read back and verified, renamed into place.
    Written,
    /// The very same archive was already there: nothing written.
    Unchanged,
    /// Another archive of that name is there: not overwritten.
    Refused,
    /// An I/O error or a read-back mismatch: nothing complete-looking left.
    Failed,
}

#[derive(Debug)]
pub struct MediumReport {
    pub medium: PathBuf,
    /// `<medium>/<archive name>`.
    pub archive: PathBuf,
    pub outcome: MediumOutcome,
    /// Payload files and bytes verified by reading back (written, or found `Unchanged`).
    pub files: u64,
    pub bytes: u64,
    pub error: Option<MediaError>,
    /// Things the user should know that are not failures (index or log not updated...).
    pub notes: Vec<Text>,
    /// The zip written beside the archive when [`WriteOptions::zip`] is set.
    pub zip: Option<crate::seal::pack::PackReport>,
}

#[derive(Debug)]
pub struct WriteReport {
    pub archive_name: String,
    pub files: u64,
    pub bytes: u64,
    pub media: Vec<MediumReport>,
    /// E.g. two media on the same device.
    pub warnings: Vec<Text>,
}

impl WriteReport {
    /// Every medium holds the archive, complete and verified.
    pub fn ok(&self) -> bool {
        self.media
            .iter()
            .all(|m| matches!(m.outcome, MediumOutcome::Written | MediumOutcome::Unchanged))
    }
}

struct Target {
    medium: PathBuf,
    staging: PathBuf,
    error: Mutex<Option<MediaError>>,
}

impl Target {
    fn alive(&self) -> bool {
        self.error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }
    fn fail(&self, e: MediaError) {
        let mut g = self.error.lock().unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            *g = Some(e);
        }
    }
    fn take_error(&self) -> Option<MediaError> {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Writes the archive `archive_name` (payload + tag files from `meta`) to every medium.
///
/// This is what `letopis build` calls once the pages are rendered:
/// ```text
/// let report = media::write_archive(&payload, &meta, &outs, &config.archive_name(),
///                                   WriteOptions { index_html: Some(&render_medium_index) })?;
/// ```
/// Each source file is read once: hashed and written to every medium's staging folder
/// `<medium>/.letopis-staging-<name>/` in the same pass (files in parallel); then the tag files are
/// written, each medium is synced (`syncfs`), every file is dropped from the page cache, read back
/// from the medium and compared; only then are the folders synced and the staging folder renamed
/// to `<medium>/<name>/`. A medium that fails
/// (ENOSPC, removed, I/O error, read-back mismatch) gets its staging folder removed and an error in
/// its report; the others still complete. An existing `<medium>/<name>/` is never overwritten: the
/// same content is reported `Unchanged`, other content `Refused`. Every medium's log gets a line.
///
/// `Err` only for problems that concern all media (an unreadable input file, a bad name).
pub fn write_archive(
    payload: &Payload,
    meta: &BagMeta,
    media: &[PathBuf],
    archive_name: &str,
    opts: WriteOptions<'_>,
) -> Result<WriteReport, MediaError> {
    payload.validate()?;
    if !bag::is_safe_relative(archive_name)
        || archive_name.contains('/')
        || archive_name.starts_with('.')
    {
        return Err(MediaError::Usage(Text::new(
            format!("недопустимое имя архива «{archive_name}»"),
            format!("invalid archive name `{archive_name}`"),
        )));
    }
    if media.is_empty() {
        return Err(MediaError::Usage(Text::new(
            "не указан ни один носитель",
            "no medium given",
        )));
    }
    let mut files: Vec<(&str, &Path, u64)> = Vec::with_capacity(payload.files.len());
    for (rel, src) in &payload.files {
        let md = fs::metadata(src).map_err(|e| MediaError::source_read(src, &e))?;
        files.push((rel.as_str(), src.as_path(), md.len()));
    }
    let total_bytes: u64 = files.iter().map(|f| f.2).sum();
    // Largest first: both cores stay busy until the end.
    let mut order = files.clone();
    order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));

    let mut reports: Vec<MediumReport> = media
        .iter()
        .map(|m| MediumReport {
            medium: m.clone(),
            archive: m.join(archive_name),
            outcome: MediumOutcome::Written,
            files: 0,
            bytes: 0,
            error: None,
            notes: Vec::new(),
            zip: None,
        })
        .collect();
    let mut warnings = Vec::new();
    // RFC 8493 percent-encodes `%`, CR and LF in manifests, but `sha256sum -c` decodes nothing and
    // bagit.py only CR/LF: such names cannot be checked by those tools.
    for rel in payload
        .files
        .keys()
        .filter(|p| p.contains(['%', '\r', '\n']))
    {
        warnings.push(Text::new(
            format!(
                "в имени файла data/{} есть «%» или перевод строки: манифест записан по RFC 8493, но sha256sum -c и bagit.py не смогут проверить этот файл; лучше переименовать его",
                rel.escape_debug()
            ),
            format!(
                "file name data/{} contains `%` or a line break: the manifest follows RFC 8493, but sha256sum -c and bagit.py cannot check this file; better rename it",
                rel.escape_debug()
            ),
        ));
    }
    let mut decided = vec![false; media.len()];

    // Every medium exists, is one medium, is writable and is ours alone (locked), before anything
    // is written to any of them.
    let _locks = super::medium::prepare(media)?;
    {
        // Device number on Unix, volume serial number on Windows.
        let devs: Vec<Option<u64>> = media.iter().map(|m| fsio::device_id(m).ok()).collect();
        for i in 0..media.len() {
            for j in i + 1..media.len() {
                if devs[i].is_some() && devs[i] == devs[j] {
                    warnings.push(Text::new(
                        format!(
                            "{} и {} находятся на одном устройстве: это не две независимые копии; для хранения нужны два разных носителя",
                            media[i].display(),
                            media[j].display()
                        ),
                        format!(
                            "{} and {} are on the same device: these are not two independent copies; use two different media",
                            media[i].display(),
                            media[j].display()
                        ),
                    ));
                }
            }
        }
    }

    // An archive of that name already on a medium: compare, never overwrite.
    let existing: Vec<usize> = (0..media.len())
        .filter(|&i| !decided[i] && fs::symlink_metadata(&reports[i].archive).is_ok())
        .collect();
    let mut prehash: Option<BTreeMap<String, (String, u64)>> = None;
    if !existing.is_empty() {
        let hashes: Result<BTreeMap<String, (String, u64)>, MediaError> = order
            .par_iter()
            .map(|(rel, src, _)| {
                let f = File::open(src).map_err(|e| MediaError::source_read(src, &e))?;
                let h = hash::sha256_reader(f).map_err(|e| MediaError::source_read(src, &e))?;
                Ok((rel.to_string(), h))
            })
            .collect();
        let hashes = hashes?;
        let tags = meta.tag_files(&hashes);
        for &i in &existing {
            let dir = reports[i].archive.clone();
            let same = [MANIFEST, TAGMANIFEST]
                .iter()
                .all(|name| fs::read(dir.join(name)).ok().as_deref() == tags.get(name));
            decided[i] = true;
            if same {
                // Same manifests: check the copy itself (read from the medium) before saying so.
                let check = super::verify::verify_bag(&dir);
                if check.ok() {
                    reports[i].outcome = MediumOutcome::Unchanged;
                    reports[i].files = check.files;
                    reports[i].bytes = check.bytes;
                } else {
                    // The first five problems, in one language.
                    let problems = |lang| {
                        check
                            .problems
                            .iter()
                            .take(5)
                            .map(|p| p.text(lang))
                            .collect::<Vec<String>>()
                            .join("; ")
                    };
                    reports[i].outcome = MediumOutcome::Failed;
                    reports[i].error = Some(MediaError::Exists(Text::new(
                        format!(
                            "архив {} уже записан, но повреждён ({}); он не перезаписывается: восстановите его командой letopis repair {} --from <копия на другом носителе>",
                            dir.display(),
                            problems(crate::model::Lang::Ru),
                            dir.display()
                        ),
                        format!(
                            "archive {} is already there but damaged ({}); it is not overwritten: repair it with letopis repair {} --from <copy on the other medium>",
                            dir.display(),
                            problems(crate::model::Lang::En),
                            dir.display()
                        ),
                    )));
                }
            } else {
                reports[i].outcome = MediumOutcome::Refused;
                reports[i].error = Some(MediaError::Exists(Text::new(
                    format!(
                        "на носителе {} уже есть архив {} с другим содержимым; он не перезаписывается. Если это другая версия того же периода, запишите новую на чистый носитель или сохраните старую отдельно и удалите её вручную",
                        media[i].display(),
                        archive_name
                    ),
                    format!(
                        "medium {} already holds an archive {} with other content; it is never overwritten. Write the new one to an empty medium, or move the old one away by hand",
                        media[i].display(),
                        archive_name
                    ),
                )));
            }
        }
        prehash = Some(hashes);
    }

    // Room for the archive on every medium it is written to, before writing to any.
    let need: u64 = files.iter().map(|f| f.2.div_ceil(4096) * 4096).sum::<u64>() + (1 << 16);
    for i in (0..media.len()).filter(|&i| !decided[i]) {
        if let Some(free) = super::medium::free_bytes(&media[i])
            && free < need
        {
            return Err(super::medium::no_room(&media[i], free, need));
        }
    }

    let targets: Vec<(usize, Target)> = (0..media.len())
        .filter(|&i| !decided[i])
        .map(|i| {
            (
                i,
                Target {
                    medium: media[i].clone(),
                    staging: media[i].join(format!("{STAGING_PREFIX}{archive_name}")),
                    error: Mutex::new(None),
                },
            )
        })
        .collect();

    if !targets.is_empty() {
        let ts: Vec<&Target> = targets.iter().map(|(_, t)| t).collect();
        let _cleanup: Vec<super::interrupt::Guard> = ts
            .iter()
            .map(|t| super::interrupt::remove_on_signal(&t.staging))
            .collect();
        let bar = progress_bar(opts.progress, total_bytes);
        let outcome = write_targets(
            &ts,
            &files,
            &order,
            meta,
            total_bytes,
            prehash.as_ref(),
            &bar,
        );
        bar.finish_and_clear();
        if let Err(e) = outcome {
            for t in &ts {
                let _ = fs::remove_dir_all(&t.staging);
            }
            return Err(e);
        }
        for (i, t) in &targets {
            match t.take_error() {
                None => {
                    reports[*i].outcome = MediumOutcome::Written;
                    reports[*i].files = files.len() as u64;
                    reports[*i].bytes = total_bytes;
                }
                Some(e) => {
                    reports[*i].outcome = MediumOutcome::Failed;
                    let e = match fs::remove_dir_all(&t.staging) {
                        Ok(()) => e,
                        Err(re) if re.kind() == io::ErrorKind::NotFound => e,
                        Err(re) => {
                            let t0 = e.text();
                            MediaError::Medium(Text::new(
                                format!(
                                    "{}; не удалось удалить незавершённую папку {} ({re}): удалите её вручную",
                                    t0.ru,
                                    t.staging.display()
                                ),
                                format!(
                                    "{}; could not remove the unfinished folder {} ({re}): delete it by hand",
                                    t0.en,
                                    t.staging.display()
                                ),
                            ))
                        }
                    };
                    reports[*i].error = Some(e);
                }
            }
        }
    }

    if opts.zip {
        for r in reports
            .iter_mut()
            .filter(|r| matches!(r.outcome, MediumOutcome::Written | MediumOutcome::Unchanged))
        {
            let zip_path = r.medium.join(format!("{archive_name}.zip"));
            match crate::seal::pack::pack(&r.archive, &zip_path) {
                Ok(z) => {
                    let check = super::verify::verify_zip(&zip_path);
                    if check.ok() {
                        r.zip = Some(z);
                    } else {
                        let problems: Vec<String> = check
                            .problems
                            .iter()
                            .map(|p| p.text(crate::model::Lang::Ru))
                            .collect();
                        let _ = fs::remove_file(&zip_path);
                        let _ = fs::remove_file(&z.sha256_file);
                        r.outcome = MediumOutcome::Failed;
                        r.error = Some(MediaError::Medium(Text::new(
                            format!(
                                "носитель {}: zip после записи не прошёл проверку ({}) и удалён; носитель неисправен?",
                                r.medium.display(),
                                problems.join("; ")
                            ),
                            format!(
                                "medium {}: the zip failed its check after writing and was removed; is the medium faulty?",
                                r.medium.display()
                            ),
                        )));
                    }
                }
                Err(e) => {
                    r.outcome = MediumOutcome::Failed;
                    r.error = Some(MediaError::from(e));
                }
            }
        }
    }

    // Log, then the medium's index.
    for r in &mut reports {
        // The archive's root digest (SHA-256 of its tag manifest), so that a later `verify` of this
        // medium notices an archive edited and sealed again.
        let root_hex = hash::sha256_from_medium(&r.archive.join(TAGMANIFEST))
            .ok()
            .map(|(h, _)| h);
        let root = root_hex
            .as_ref()
            .map(|h| format!(" root={h}"))
            .unwrap_or_default();
        // The paper act beside the archive (outside the bag), for every medium that holds it.
        if let (Some(h), MediumOutcome::Written | MediumOutcome::Unchanged) = (&root_hex, r.outcome)
        {
            let path = r.medium.join(super::act::file_name(archive_name));
            let page = match opts.templates {
                Some(t) => super::act::html(meta, r.files, r.bytes, h, t),
                None => crate::render::Templates::load(None)
                    .and_then(|t| super::act::html(meta, r.files, r.bytes, h, &t)),
            };
            let written = page
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|p| fsio::write_atomic(&path, p.as_bytes()));
            if let Err(e) = written {
                r.notes.push(Text::new(
                    format!("акт {} не записан: {e}", path.display()),
                    format!("the act {} was not written: {e}", path.display()),
                ));
            }
        }
        let (outcome, details) = match r.outcome {
            MediumOutcome::Written => (
                "ok",
                match &r.zip {
                    None => format!("files={} bytes={} read-back=ok{root}", r.files, r.bytes),
                    Some(z) => format!(
                        "files={} bytes={} read-back=ok{root} zip={} sha256={}",
                        r.files,
                        r.bytes,
                        z.zip.display(),
                        z.sha256
                    ),
                },
            ),
            MediumOutcome::Unchanged => (
                "unchanged",
                format!("files={} bytes={} verified=ok{root}", r.files, r.bytes),
            ),
            MediumOutcome::Refused => ("refused", error_ru(&r.error)),
            MediumOutcome::Failed => ("failed", error_ru(&r.error)),
        };
        if r.medium.is_dir()
            && let Err(e) = log::append(&r.medium, "build", archive_name, outcome, &details)
        {
            r.notes.push(log_note(&r.medium, &e));
        }
        if let (Some(f), MediumOutcome::Written | MediumOutcome::Unchanged) =
            (opts.index_html, r.outcome)
        {
            let res = list_archives(&r.medium)
                .map_err(|e| e.to_string())
                .and_then(|list| f(&r.medium, &list))
                .and_then(|html| super::write_index(&r.medium, &html).map_err(|e| e.to_string()));
            if let Err(e) = res {
                r.notes.push(Text::new(
                    format!(
                        "список архивов {} не обновлён: {e}",
                        r.medium.join(INDEX_HTML).display()
                    ),
                    format!(
                        "the list of archives {} was not updated: {e}",
                        r.medium.join(INDEX_HTML).display()
                    ),
                ));
            }
        }
    }

    Ok(WriteReport {
        archive_name: archive_name.to_string(),
        files: files.len() as u64,
        bytes: total_bytes,
        media: reports,
        warnings,
    })
}

fn error_ru(e: &Option<MediaError>) -> String {
    e.as_ref().map(|e| e.text().ru).unwrap_or_default()
}

pub(crate) fn log_note(medium: &Path, e: &io::Error) -> Text {
    Text::new(
        format!(
            "журнал {} не дополнен: {e}",
            medium.join(log::LOG_FILE).display()
        ),
        format!(
            "the log {} was not appended: {e}",
            medium.join(log::LOG_FILE).display()
        ),
    )
}

/// The sealed archives on a medium ([`crate::layout::Medium::list`]), with their `bag-info.txt`.
pub fn list_archives(medium: &Path) -> io::Result<Vec<SealedArchive>> {
    let listing = crate::layout::Medium::new(medium).list()?;
    Ok(listing
        .bags
        .iter()
        .map(|bag| SealedArchive {
            name: bag.name(),
            info: fs::read_to_string(bag.tag(BAG_INFO_TXT))
                .map(|t| bag::parse_bag_info(&t))
                .unwrap_or_default(),
        })
        .collect())
}

fn progress_bar(show: bool, total: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    // Sizes, speed and time in Russian words (`1,2 МБ из 4,4 МБ, 35,0 МБ/с, осталось 3 с`), not
    // indicatif's English units.
    use crate::l10n::size;
    use crate::model::Lang;
    use indicatif::ProgressState;
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "запись и проверка {bar:40} {done} из {total}, {speed}, осталось {left}",
    ) {
        let style = style
            .with_key("done", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", size(Lang::Ru, s.pos()));
            })
            .with_key("total", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", size(Lang::Ru, s.len().unwrap_or(0)));
            })
            .with_key("speed", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/с", size(Lang::Ru, s.per_sec() as u64));
            })
            .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let secs = s.eta().as_secs();
                let _ = if secs < 60 {
                    write!(w, "{secs} с")
                } else {
                    write!(w, "{} мин {} с", secs / 60, secs % 60)
                };
            });
        bar.set_style(style);
    }
    bar
}

fn write_targets(
    targets: &[&Target],
    files: &[(&str, &Path, u64)],
    order: &[(&str, &Path, u64)],
    meta: &BagMeta,
    total_bytes: u64,
    prehash: Option<&BTreeMap<String, (String, u64)>>,
    bar: &indicatif::ProgressBar,
) -> Result<(), MediaError> {
    // Fresh staging folders (a leftover of a killed run is removed) with every payload folder.
    let mut dirs = BTreeSet::new();
    for (rel, _, _) in files {
        let mut p = Path::new(rel).parent();
        while let Some(d) = p {
            if d.as_os_str().is_empty() {
                break;
            }
            dirs.insert(d.to_path_buf());
            p = d.parent();
        }
    }
    for t in targets {
        let res = (|| -> io::Result<()> {
            match fs::remove_dir_all(&t.staging) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            fs::create_dir(&t.staging)?;
            fs::create_dir(t.staging.join(DATA))?;
            for d in &dirs {
                fs::create_dir_all(t.staging.join(DATA).join(d))?;
            }
            Ok(())
        })();
        if let Err(e) = res {
            t.fail(MediaError::medium_io(
                &t.medium,
                &t.staging,
                &e,
                total_bytes,
            ));
        }
    }

    let results: Result<Vec<(String, HashSize)>, MediaError> = order
        .par_iter()
        .map(|(rel, src, size)| {
            let h = copy_one(rel, src, *size, targets, total_bytes)?;
            bar.inc(*size);
            Ok((rel.to_string(), h))
        })
        .collect();
    let hashes: BTreeMap<String, (String, u64)> = results?.into_iter().collect();
    if !targets.iter().any(|t| t.alive()) {
        return Ok(());
    }
    if let Some(pre) = prehash
        && pre != &hashes
    {
        {
            return Err(MediaError::Source(Text::new(
                "исходные файлы изменились во время записи; ничего не записано, повторите сборку",
                "the input files changed while being written; nothing was written, build again",
            )));
        }
    }

    let tags = meta.tag_files(&hashes);
    for t in targets.iter().filter(|t| t.alive()) {
        for (name, bytes) in &tags.files {
            let path = t.staging.join(name);
            if let Err(e) = File::create(&path).and_then(|mut f| f.write_all(bytes)) {
                t.fail(MediaError::medium_io(&t.medium, &path, &e, total_bytes));
                break;
            }
        }
    }

    // Durable: one `syncfs` per medium rather than an fsync per file (thousands of small pages
    // make per-file syncs slow on USB sticks); writeback errors are reported by it.
    for t in targets.iter().filter(|t| t.alive()) {
        if let Err(e) = fsio::sync_fs(&t.staging) {
            t.fail(MediaError::medium_io(
                &t.medium,
                &t.staging,
                &e,
                total_bytes,
            ));
        }
    }

    // Read back every file from the medium: its (now clean) cached pages are dropped first.
    let tag_hashes: Vec<(String, String, u64)> = tags
        .files
        .iter()
        .map(|(name, bytes)| (name.clone(), hash::sha256_hex(bytes), bytes.len() as u64))
        .collect();
    let mut checks: Vec<(usize, PathBuf, String, &str, u64)> = Vec::new();
    for (i, t) in targets.iter().enumerate().filter(|(_, t)| t.alive()) {
        for (rel, (h, n)) in &hashes {
            checks.push((
                i,
                t.staging.join(DATA).join(rel),
                format!("{DATA}/{rel}"),
                h,
                *n,
            ));
        }
        for (name, h, n) in &tag_hashes {
            checks.push((i, t.staging.join(name), name.clone(), h, *n));
        }
    }
    bar.inc_length(checks.iter().map(|c| c.4).sum());
    checks.par_iter().for_each(|(i, path, name, h, n)| {
        let t = targets[*i];
        if !t.alive() {
            return;
        }
        match hash::sha256_from_medium(path) {
            Ok((got, len)) if got == *h && len == *n => bar.inc(*n),
            Ok(_) => t.fail(readback_mismatch(&t.medium, name)),
            Err(e) => t.fail(MediaError::medium_io(&t.medium, path, &e, total_bytes)),
        }
    });

    // Sync every folder (deepest first), then publish with one rename.
    for t in targets.iter().filter(|t| t.alive()) {
        let res = (|| -> io::Result<()> {
            for d in dirs.iter().rev() {
                fsio::sync_dir(&t.staging.join(DATA).join(d))?;
            }
            fsio::sync_dir(&t.staging.join(DATA))?;
            fsio::sync_dir(&t.staging)?;
            let final_dir = t.medium.join(
                t.staging
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix(STAGING_PREFIX))
                    .unwrap_or_default(),
            );
            if fs::symlink_metadata(&final_dir).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} появился во время записи", final_dir.display()),
                ));
            }
            fs::rename(&t.staging, &final_dir)?;
            fsio::sync_dir(&t.medium)
        })();
        if let Err(e) = res {
            t.fail(MediaError::medium_io(
                &t.medium,
                &t.staging,
                &e,
                total_bytes,
            ));
        }
    }
    Ok(())
}

fn readback_mismatch(medium: &Path, file: &str) -> MediaError {
    MediaError::Medium(Text::new(
        format!(
            "носитель {}: файл {file} после записи читается с другим содержимым; носитель неисправен, возьмите другой",
            medium.display()
        ),
        format!(
            "medium {}: file {file} reads back with different content after writing; the medium is faulty, use another one",
            medium.display()
        ),
    ))
}

/// Reads one source file once: hashes it and writes it to every live target (synced and read back
/// later, per medium). Target failures are recorded in the target; only a source failure is an `Err`.
fn copy_one(
    rel: &str,
    src: &Path,
    size: u64,
    targets: &[&Target],
    need: u64,
) -> Result<(String, u64), MediaError> {
    let mut input = File::open(src).map_err(|e| MediaError::source_read(src, &e))?;
    let mut outs: Vec<Option<(usize, File, PathBuf)>> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        if !t.alive() {
            continue;
        }
        let path = t.staging.join(DATA).join(rel);
        match File::create(&path) {
            Ok(f) => outs.push(Some((i, f, path))),
            Err(e) => t.fail(MediaError::medium_io(&t.medium, &path, &e, need)),
        }
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; (size as usize).clamp(4096, CHUNK)];
    let mut total = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(MediaError::source_read(src, &e)),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
        for slot in outs.iter_mut() {
            if let Some((i, f, path)) = slot {
                if !targets[*i].alive() {
                    *slot = None;
                    continue;
                }
                if let Err(e) = f.write_all(&buf[..n]) {
                    targets[*i].fail(MediaError::medium_io(&targets[*i].medium, path, &e, need));
                    *slot = None;
                }
            }
        }
    }
    let digest = hash::hex(&hasher.finalize());
    Ok((digest, total))
}
