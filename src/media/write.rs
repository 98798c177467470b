//! Writing one sealed archive to several media in a single pass.

use super::copy::{Target, write_targets};
use super::error::MediaError;
use super::log;
use super::staging::{Staging, check_name, no_media, staging_dir};
use crate::layout::Payload;
use crate::layout::{BAG_INFO_TXT, DATA, MANIFEST, TAGMANIFEST};
use crate::layout::{LOG_FILE, MEDIUM_INDEX, fsio};
use crate::model::Text;
use crate::seal::BagMeta;
use crate::seal::bag;
use crate::seal::hash;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// A file's SHA-256 (hex) and size.
pub(super) type HashSize = (String, u64);

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

/// Writes the archive `archive_name` (payload + tag files from `meta`) to every medium.
///
/// `seal-dir` calls it with a payload of files in a folder of the user's; `build` calls
/// [`write_staged`] instead, whose pages are already on the first medium:
/// ```text
/// let report = media::write_archive(&payload, &meta, &outs, &config.archive_name(),
///                                   WriteOptions { index_html: Some(&render_medium_index), .. })?;
/// ```
/// Each source file is read once: hashed and written to every medium's staging folder
/// `<medium>/.letopis-staging-<name>/` in the same pass (files in parallel); then, for every medium
/// at once, the tag files are written, the medium is synced (`syncfs`), every file is dropped from
/// the page cache, read back from the medium and compared; only then are the folders synced and the
/// staging folder renamed to `<medium>/<name>/`. A medium that fails
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
    check_name(archive_name)?;
    if media.is_empty() {
        return Err(no_media());
    }
    let plan = Plan::new(payload, media, archive_name)?;
    // Every medium exists, is one medium, is writable and is ours alone (locked), before anything
    // is written to any of them.
    let _locks = super::medium::prepare(media)?;
    write_locked(&plan, meta, None, None, opts)
}

/// Writes the archive whose generated files are already in `staging`'s `data/` on the first
/// medium (see [`Staging`]): whatever else is there is removed, the payload's other files (the
/// input files) are copied in, everything is copied from there to the other media, and each copy
/// is read back and renamed into place as [`write_archive`] does. Nothing is written outside the
/// media.
pub fn write_staged(
    staging: &mut Staging,
    payload: &Payload,
    meta: &BagMeta,
    opts: WriteOptions<'_>,
) -> Result<WriteReport, MediaError> {
    // The head start ([`Staging::start_early`]) is waited for, and its copies go if the write
    // stops before taking them up.
    let early = staging.early.take().and_then(super::early::Running::finish);
    let early = super::early::still_current(early, payload, &staging.data_dir());
    payload.validate()?;
    staging
        .prune(payload)
        .map_err(|e| MediaError::medium_io(&staging.media[0], &staging.dir, &e, 0))?;
    let plan = Plan::new(payload, &staging.media, &staging.name)?;
    write_locked(&plan, meta, Some(&staging.dir), early, opts)
}

/// What one write is about: the media, the archive's name and its files with their sizes.
pub(super) struct Plan<'a> {
    pub media: &'a [PathBuf],
    pub name: &'a str,
    /// `(path inside data/, source file, size)`, sorted by path.
    pub files: Vec<(&'a str, &'a Path, u64)>,
    /// The same, largest first: both cores stay busy until the end.
    pub order: Vec<(&'a str, &'a Path, u64)>,
    pub total_bytes: u64,
}

impl<'a> Plan<'a> {
    fn new(payload: &'a Payload, media: &'a [PathBuf], name: &'a str) -> Result<Self, MediaError> {
        let mut files: Vec<(&str, &Path, u64)> = Vec::with_capacity(payload.files.len());
        for (rel, src) in &payload.files {
            let md = fs::metadata(src).map_err(|e| MediaError::source_read(src, &e))?;
            files.push((rel.as_str(), src.as_path(), md.len()));
        }
        let total_bytes = files.iter().map(|f| f.2).sum();
        let mut order = files.clone();
        order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        Ok(Plan {
            media,
            name,
            files,
            order,
            total_bytes,
        })
    }
}

/// The steps after the media are locked: compare with what is there, check room, write, zip,
/// then the act, the log line and the index of every medium.
fn write_locked(
    plan: &Plan,
    meta: &BagMeta,
    prestaged: Option<&Path>,
    early: Option<super::early::Done>,
    opts: WriteOptions<'_>,
) -> Result<WriteReport, MediaError> {
    let mut reports: Vec<MediumReport> = plan
        .media
        .iter()
        .map(|m| MediumReport {
            medium: m.clone(),
            archive: m.join(plan.name),
            outcome: MediumOutcome::Written,
            files: 0,
            bytes: 0,
            error: None,
            notes: Vec::new(),
            zip: None,
        })
        .collect();
    let mut warnings = name_warnings(plan);
    warnings.extend(device_warnings(plan.media));
    // Should the write stop before taking the head start's copies up, they go with it (its drop).
    let (decided, prehash) = compare_existing(plan, meta, &mut reports)?;
    // A medium decided (an archive of that name appeared on it meanwhile): the write does all.
    let early = early.filter(|_| !decided.iter().any(|&x| x));
    check_room(plan, &decided, prestaged, early.as_ref())?;
    let targets: Vec<(usize, Target)> = (0..plan.media.len())
        .filter(|&i| !decided[i])
        .map(|i| {
            let staging = staging_dir(&plan.media[i], plan.name);
            let prestaged = prestaged == Some(staging.as_path());
            let mut t = Target::new(plan.media[i].clone(), staging, prestaged);
            t.early = early.is_some();
            (i, t)
        })
        .collect();
    write_new(
        plan,
        meta,
        &targets,
        prehash.as_ref(),
        early.as_ref(),
        &mut reports,
        opts,
    )?;
    if opts.zip {
        write_zips(&mut reports, plan.name);
    }
    for r in &mut reports {
        finish_medium(r, meta, plan.name, opts);
    }
    Ok(WriteReport {
        archive_name: plan.name.to_string(),
        files: plan.files.len() as u64,
        bytes: plan.total_bytes,
        media: reports,
        warnings,
    })
}

/// RFC 8493 percent-encodes `%`, CR and LF in manifests, but `sha256sum -c` decodes nothing and
/// bagit.py only CR/LF: such names cannot be checked by those tools.
fn name_warnings(plan: &Plan) -> Vec<Text> {
    plan.files
        .iter()
        .map(|f| f.0)
        .filter(|p| p.contains(['%', '\r', '\n']))
        .map(|rel| {
            Text::new(
                format!(
                    "в имени файла data/{} есть «%» или перевод строки: манифест записан по RFC 8493, но sha256sum -c и bagit.py не смогут проверить этот файл; лучше переименовать его",
                    rel.escape_debug()
                ),
                format!(
                    "file name data/{} contains `%` or a line break: the manifest follows RFC 8493, but sha256sum -c and bagit.py cannot check this file; better rename it",
                    rel.escape_debug()
                ),
            )
        })
        .collect()
}

/// Two media on one device (device number on Unix, volume serial number on Windows).
fn device_warnings(media: &[PathBuf]) -> Vec<Text> {
    let devs: Vec<Option<u64>> = media.iter().map(|m| fsio::device_id(m).ok()).collect();
    let mut warnings = Vec::new();
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
    warnings
}

pub(super) type Hashes = BTreeMap<String, HashSize>;

/// An archive of that name already on a medium: compared, never overwritten. Returns which media
/// are decided (`Unchanged`, `Refused` or `Failed` already) and, if any medium was compared, every
/// source file's hash (checked again as the files are written).
fn compare_existing(
    plan: &Plan,
    meta: &BagMeta,
    reports: &mut [MediumReport],
) -> Result<(Vec<bool>, Option<Hashes>), MediaError> {
    let mut decided = vec![false; plan.media.len()];
    let existing: Vec<usize> = (0..plan.media.len())
        .filter(|&i| fs::symlink_metadata(&reports[i].archive).is_ok())
        .collect();
    if existing.is_empty() {
        return Ok((decided, None));
    }
    let hashes: Result<Hashes, MediaError> = plan
        .order
        .par_iter()
        .map(|(rel, src, _)| {
            let f = File::open(src).map_err(|e| MediaError::source_read(src, &e))?;
            let h = hash::sha256_file(&f).map_err(|e| MediaError::source_read(src, &e))?;
            Ok((rel.to_string(), h))
        })
        .collect();
    let hashes = hashes?;
    let tags = meta.tag_files(&hashes);
    for &i in &existing {
        decided[i] = true;
        let dir = reports[i].archive.clone();
        let same = [MANIFEST, TAGMANIFEST]
            .iter()
            .all(|name| fs::read(dir.join(name)).ok().as_deref() == tags.get(name));
        let r = &mut reports[i];
        if !same {
            r.outcome = MediumOutcome::Refused;
            r.error = Some(other_content(&plan.media[i], plan.name));
            continue;
        }
        // Same manifests: check the copy itself (read from the medium) before saying so.
        let check = super::verify::verify_bag(&dir);
        if check.ok() {
            r.outcome = MediumOutcome::Unchanged;
            r.files = check.files;
            r.bytes = check.bytes;
        } else {
            r.outcome = MediumOutcome::Failed;
            r.error = Some(damaged(&dir, &check));
        }
    }
    Ok((decided, Some(hashes)))
}

fn other_content(medium: &Path, archive_name: &str) -> MediaError {
    MediaError::Exists(Text::new(
        format!(
            "на носителе {} уже есть архив {} с другим содержимым; он не перезаписывается. Если это другая версия того же периода, запишите новую на чистый носитель или сохраните старую отдельно и удалите её вручную",
            medium.display(),
            archive_name
        ),
        format!(
            "medium {} already holds an archive {} with other content; it is never overwritten. Write the new one to an empty medium, or move the old one away by hand",
            medium.display(),
            archive_name
        ),
    ))
}

fn damaged(dir: &Path, check: &super::verify::BagCheck) -> MediaError {
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
    MediaError::Exists(Text::new(
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
    ))
}

/// Room for the archive on every medium it is written to, before writing to any (on a medium
/// whose staging folder holds the generated files already, room for the rest).
fn check_room(
    plan: &Plan,
    decided: &[bool],
    prestaged: Option<&Path>,
    early: Option<&super::early::Done>,
) -> Result<(), MediaError> {
    for i in (0..plan.media.len()).filter(|&i| !decided[i]) {
        let data = staging_dir(&plan.media[i], plan.name).join(DATA);
        let staged_here = prestaged.is_some_and(|p| p.join(DATA) == data);
        // The pages a head start copied there already.
        let copied = |rel: &str| early.is_some_and(|d| d.files.contains_key(rel));
        let files: u64 = plan
            .files
            .iter()
            .filter(|(rel, src, _)| !(copied(rel) || staged_here && *src == data.join(rel)))
            .map(|f| blocks(f.2))
            .sum();
        let need = files + tags_and_extras(plan, !staged_here && early.is_none());
        if let Some(free) = super::medium::free_bytes(&plan.media[i])
            && free < need
        {
            return Err(super::medium::no_room(&plan.media[i], free, need));
        }
    }
    Ok(())
}

/// A file's size in whole blocks of 4 KB, as most media allocate it.
pub(super) fn blocks(bytes: u64) -> u64 {
    bytes.div_ceil(4096) * 4096
}

/// Room for everything of a write but the payload: the manifest (a line per file), the other tag
/// files, the act, the log line and the medium's `index.html` beside the archive, and the
/// payload's folders when they are still to be made. Found short, any of them would fail after the
/// archive is published, leaving a medium with an archive but without its act or log line.
fn tags_and_extras(plan: &Plan, with_folders: bool) -> u64 {
    // `<64 hex digits>  data/<path>\n`
    let manifest: u64 = plan
        .files
        .iter()
        .map(|(rel, _, _)| (64 + 2 + DATA.len() + 1 + rel.len() + 1) as u64)
        .sum();
    let folders = if with_folders {
        (super::copy::payload_dirs(plan).len() as u64 + 2) * 4096
    } else {
        0
    };
    // bagit.txt, bag-info.txt, README.txt, the tag manifest and its signature; the act (about
    // 16 KB), index.html and its digest, the log line: 256 KB leaves room to spare.
    blocks(manifest) + folders + (256 << 10)
}

/// Writes, reads back and publishes the archive on every target; fills their reports.
fn write_new(
    plan: &Plan,
    meta: &BagMeta,
    targets: &[(usize, Target)],
    prehash: Option<&Hashes>,
    early: Option<&super::early::Done>,
    reports: &mut [MediumReport],
    opts: WriteOptions<'_>,
) -> Result<(), MediaError> {
    if targets.is_empty() {
        return Ok(());
    }
    let ts: Vec<&Target> = targets.iter().map(|(_, t)| t).collect();
    let _cleanup: Vec<super::interrupt::Guard> = ts
        .iter()
        .map(|t| super::interrupt::remove_on_signal(&t.staging))
        .collect();
    let bar = progress_bar(opts.progress, plan.total_bytes);
    let outcome = write_targets(&ts, plan, meta, prehash, early, &bar);
    bar.finish_and_clear();
    if let Err(e) = outcome {
        for t in &ts {
            let _ = fs::remove_dir_all(&t.staging);
        }
        return Err(e);
    }
    for (i, t) in targets {
        let r = &mut reports[*i];
        match t.take_error() {
            None => {
                r.outcome = MediumOutcome::Written;
                r.files = plan.files.len() as u64;
                r.bytes = plan.total_bytes;
            }
            Some(e) => {
                r.outcome = MediumOutcome::Failed;
                r.error = Some(match fs::remove_dir_all(&t.staging) {
                    Ok(()) => e,
                    Err(re) if re.kind() == io::ErrorKind::NotFound => e,
                    Err(re) => not_removed(e, &t.staging, &re),
                });
            }
        }
    }
    Ok(())
}

fn not_removed(e: MediaError, staging: &Path, re: &io::Error) -> MediaError {
    let t0 = e.text();
    MediaError::Medium(Text::new(
        format!(
            "{}; не удалось удалить незавершённую папку {} ({re}): удалите её вручную",
            t0.ru,
            staging.display()
        ),
        format!(
            "{}; could not remove the unfinished folder {} ({re}): delete it by hand",
            t0.en,
            staging.display()
        ),
    ))
}

/// `build --zip`: a zip beside every archive the medium holds, checked without extracting.
fn write_zips(reports: &mut [MediumReport], archive_name: &str) {
    for r in reports
        .iter_mut()
        .filter(|r| matches!(r.outcome, MediumOutcome::Written | MediumOutcome::Unchanged))
    {
        let zip_path = r.medium.join(format!("{archive_name}.zip"));
        let z = match crate::seal::pack::pack(&r.archive, &zip_path) {
            Ok(z) => z,
            Err(e) => {
                r.outcome = MediumOutcome::Failed;
                r.error = Some(MediaError::from(e));
                continue;
            }
        };
        let check = super::verify::verify_zip(&zip_path);
        if check.ok() {
            r.zip = Some(z);
            continue;
        }
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

/// The paper act beside the archive, the log line, then the medium's `index.html`.
fn finish_medium(r: &mut MediumReport, meta: &BagMeta, archive_name: &str, opts: WriteOptions) {
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
    if let (Some(h), MediumOutcome::Written | MediumOutcome::Unchanged) = (&root_hex, r.outcome) {
        write_act(r, meta, archive_name, h, opts);
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
                    r.medium.join(MEDIUM_INDEX).display()
                ),
                format!(
                    "the list of archives {} was not updated: {e}",
                    r.medium.join(MEDIUM_INDEX).display()
                ),
            ));
        }
    }
}

fn write_act(
    r: &mut MediumReport,
    meta: &BagMeta,
    archive_name: &str,
    root: &str,
    opts: WriteOptions,
) {
    let path = r.medium.join(super::act::file_name(archive_name));
    let page = match opts.templates {
        Some(t) => super::act::html(meta, r.files, r.bytes, root, t),
        None => crate::render::Templates::load(None)
            .and_then(|t| super::act::html(meta, r.files, r.bytes, root, &t)),
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

fn error_ru(e: &Option<MediaError>) -> String {
    e.as_ref().map(|e| e.text().ru).unwrap_or_default()
}

pub(crate) fn log_note(medium: &Path, e: &io::Error) -> Text {
    Text::new(
        format!(
            "журнал {} не дополнен: {e}",
            medium.join(LOG_FILE).display()
        ),
        format!(
            "the log {} was not appended: {e}",
            medium.join(LOG_FILE).display()
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

pub(super) fn progress_bar(show: bool, total: u64) -> indicatif::ProgressBar {
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
