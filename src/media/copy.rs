//! The one pass over the payload that writes every medium's staging folder, then, for every
//! medium at once, the tag files, the sync, the read back from the medium and the rename into
//! place (so one medium's read back overlaps the other's flush).
//!
//! The first medium of a build holds its generated files before this pass (they were written
//! there as they were made): it is synced once at the start, and each of those files is read
//! back from it as soon as the pass has read and hashed it, while the pass writes the other
//! media. Writing one medium thus overlaps reading back the other; only what the pass itself
//! wrote there (the input files, the tag files) is read back from it at the end.

use super::error::MediaError;
use super::write::{HashSize, Hashes, Plan};
use crate::layout::DATA;
use crate::layout::STAGING_PREFIX;
use crate::layout::fsio;
use crate::model::Text;
use crate::seal::BagMeta;
use crate::seal::bag::TagFiles;
use crate::seal::hash;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

/// One medium being written: its staging folder and its first error (a failed medium is left
/// alone by every later step).
pub(super) struct Target {
    pub medium: PathBuf,
    pub staging: PathBuf,
    /// The staging folder was made before the write, with the generated files in it already
    /// ([`super::Staging`]): it is kept, and those files are not written again.
    prestaged: bool,
    /// The staging folder holds the pages a head start copied and read back already
    /// ([`super::early`]): it is kept, and those pages are neither written nor read back again.
    pub early: bool,
    error: Mutex<Option<MediaError>>,
}

impl Target {
    pub fn new(medium: PathBuf, staging: PathBuf, prestaged: bool) -> Self {
        Target {
            medium,
            staging,
            prestaged,
            early: false,
            error: Mutex::new(None),
        }
    }
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
    pub fn take_error(&self) -> Option<MediaError> {
        self.error.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
    /// Where payload file `rel` goes on this medium.
    fn path(&self, rel: &str) -> PathBuf {
        self.staging.join(DATA).join(rel)
    }
}

/// Writes every target's staging folder, reads every copy back, renames each into place.
/// Target failures are recorded in the target; only a source failure is an `Err`.
pub(super) fn write_targets(
    targets: &[&Target],
    plan: &Plan,
    meta: &BagMeta,
    prehash: Option<&Hashes>,
    early: Option<&super::early::Done>,
    bar: &indicatif::ProgressBar,
) -> Result<(), MediaError> {
    let total_bytes = plan.total_bytes;
    // The pages a head start copied to every medium and read back from each already.
    let done_before = |rel: &str| early.is_some_and(|d| d.files.contains_key(rel));
    let done_before_bytes: u64 = early.map_or(0, |d| d.files.values().map(|h| h.1).sum());
    let dirs = payload_dirs(plan);
    for t in targets {
        if let Err(e) = make_staging(t, &dirs) {
            t.fail(MediaError::medium_io(
                &t.medium,
                &t.staging,
                &e,
                total_bytes,
            ));
        }
    }
    // The files a prestaged medium holds already, read back from it during the pass.
    let reading = targets
        .iter()
        .copied()
        .find(|t| t.prestaged && t.alive())
        .map(|t| {
            let mut held = held_already(t, plan);
            held.retain(|rel, _| !done_before(rel));
            (t, held)
        });
    if let Some((_, held)) = &reading {
        bar.inc_length(held.values().sum());
    }
    let (tx, rx) = mpsc::channel::<(&str, String)>();
    let (results, verified) = std::thread::scope(|s| {
        let reader = reading
            .as_ref()
            .map(|(t, held)| s.spawn(move || read_back_early(t, held, rx, total_bytes, bar)));
        let results: Result<Vec<(String, HashSize)>, MediaError> = plan
            .order
            .par_iter()
            .map_with(tx, |tx, (rel, src, size)| {
                if let Some(h) = early.and_then(|d| d.files.get(*rel)) {
                    bar.inc(*size);
                    return Ok((rel.to_string(), h.clone()));
                }
                let h = copy_one(rel, src, *size, targets, total_bytes)?;
                bar.inc(*size);
                // The reader is gone only if it stopped on a failed medium: nothing to tell it.
                let _ = tx.send((rel, h.0.clone()));
                Ok((rel.to_string(), h))
            })
            .collect();
        let verified = reader
            .map(|r| r.join().unwrap_or_default())
            .unwrap_or_default();
        (results, verified)
    });
    let hashes: Hashes = results?.into_iter().collect();
    if !targets.iter().any(|t| t.alive()) {
        return Ok(());
    }
    if let Some(pre) = prehash
        && pre != &hashes
    {
        return Err(MediaError::Source(Text::new(
            "исходные файлы изменились во время записи; ничего не записано, повторите сборку",
            "the input files changed while being written; nothing was written, build again",
        )));
    }
    let tags = meta.tag_files(&hashes);
    let readback: u64 = hashes.values().map(|h| h.1).sum::<u64>()
        + tags.files.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
    let alive = targets.iter().filter(|t| t.alive()).count() as u64;
    let done_early: u64 = reading
        .as_ref()
        .filter(|(t, _)| t.alive())
        .map_or(0, |(_, held)| held.values().sum());
    bar.inc_length((readback - done_before_bytes) * alive - done_early);
    let read_early = |rel: &str| done_before(rel) || verified.contains(rel);
    // Each medium is finished on its own: while one is flushed, the other is read back.
    targets.par_iter().filter(|t| t.alive()).for_each(|t| {
        let skip: &Checked = match &reading {
            Some((e, _)) if std::ptr::eq(*e, *t) => &read_early,
            _ => &done_before,
        };
        finish_target(t, &hashes, &tags, &dirs, total_bytes, bar, skip)
    });
    Ok(())
}

/// The payload files a prestaged medium holds already (written there as they were made), with
/// their sizes.
fn held_already<'a>(t: &Target, plan: &Plan<'a>) -> BTreeMap<&'a str, u64> {
    plan.files
        .iter()
        .filter(|(rel, src, _)| t.path(rel) == *src)
        .map(|(rel, _, size)| (*rel, *size))
        .collect()
}

/// Syncs a prestaged medium, then reads back each file it held already as the copy pass sends
/// its digest (taken from the same file just before); returns the files read back and found
/// equal. Stops at the medium's first failure, which is recorded in the target.
fn read_back_early(
    t: &Target,
    held: &BTreeMap<&str, u64>,
    digests: mpsc::Receiver<(&str, String)>,
    total_bytes: u64,
    bar: &indicatif::ProgressBar,
) -> BTreeSet<String> {
    // Until its pages are on the disk, a file would be read back from memory.
    if let Err(e) = fsio::sync_fs(&t.staging) {
        t.fail(MediaError::medium_io(
            &t.medium,
            &t.staging,
            &e,
            total_bytes,
        ));
        return BTreeSet::new();
    }
    let checked = Mutex::new(BTreeSet::new());
    super::reads::in_flight(|| {
        digests
            .into_iter()
            .filter(|(rel, _)| held.contains_key(rel))
            .par_bridge()
            .for_each(|(rel, h)| {
                if !t.alive() {
                    return;
                }
                let n = held[rel];
                if check_one(
                    t,
                    &t.path(rel),
                    &format!("{DATA}/{rel}"),
                    &h,
                    n,
                    total_bytes,
                    bar,
                ) {
                    checked
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(rel.to_string());
                }
            })
    });
    checked.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// Reads one file back from the medium and compares it with its digest and size; a difference
/// or an error fails the target.
fn check_one(
    t: &Target,
    path: &Path,
    name: &str,
    h: &str,
    n: u64,
    total_bytes: u64,
    bar: &indicatif::ProgressBar,
) -> bool {
    match hash::sha256_from_medium(path) {
        Ok((got, len)) if got == h && len == n => {
            bar.inc(n);
            true
        }
        Ok(_) => {
            t.fail(readback_mismatch(&t.medium, name));
            false
        }
        Err(e) => {
            t.fail(MediaError::medium_io(&t.medium, path, &e, total_bytes));
            false
        }
    }
}

/// Every folder of the payload (inside `data/`), parents before children.
pub(super) fn payload_dirs(plan: &Plan) -> BTreeSet<PathBuf> {
    let mut dirs = BTreeSet::new();
    for (rel, _, _) in &plan.files {
        let mut p = Path::new(rel).parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
            if !dirs.insert(d.to_path_buf()) {
                break;
            }
            p = d.parent();
        }
    }
    dirs
}

/// A fresh staging folder (a leftover of a killed run is removed) with every payload folder; a
/// prestaged one is kept and completed.
fn make_staging(t: &Target, dirs: &BTreeSet<PathBuf>) -> io::Result<()> {
    if !t.prestaged && !t.early {
        return fresh_staging(&t.staging, dirs);
    }
    make_dirs(&t.staging, dirs)
}

/// A staging folder made anew (a leftover of a killed run removed) with the folders `dirs` in its
/// `data/`.
pub(super) fn fresh_staging(staging: &Path, dirs: &BTreeSet<PathBuf>) -> io::Result<()> {
    match fs::remove_dir_all(staging) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::create_dir(staging)?;
    fs::create_dir(staging.join(DATA))?;
    make_dirs(staging, dirs)
}

fn make_dirs(staging: &Path, dirs: &BTreeSet<PathBuf>) -> io::Result<()> {
    for d in dirs {
        fs::create_dir_all(staging.join(DATA).join(d))?;
    }
    Ok(())
}

/// Whether a file was read back from a medium already.
type Checked<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// Tag files, `syncfs`, read back of every file from the medium (but those in `verified`, read
/// back already), folder syncs, rename.
fn finish_target(
    t: &Target,
    hashes: &Hashes,
    tags: &TagFiles,
    dirs: &BTreeSet<PathBuf>,
    total_bytes: u64,
    bar: &indicatif::ProgressBar,
    verified: &Checked,
) {
    for (name, bytes) in &tags.files {
        let path = t.staging.join(name);
        if let Err(e) = File::create(&path).and_then(|mut f| f.write_all(bytes)) {
            t.fail(MediaError::medium_io(&t.medium, &path, &e, total_bytes));
            return;
        }
    }
    // Durable: one `syncfs` per medium rather than an fsync per file (thousands of small pages
    // make per-file syncs slow on USB sticks); writeback errors are reported by it.
    if let Err(e) = fsio::sync_fs(&t.staging) {
        t.fail(MediaError::medium_io(
            &t.medium,
            &t.staging,
            &e,
            total_bytes,
        ));
        return;
    }
    read_back(t, hashes, tags, total_bytes, bar, verified);
    if t.alive()
        && let Err(e) = publish(t, dirs)
    {
        t.fail(MediaError::medium_io(
            &t.medium,
            &t.staging,
            &e,
            total_bytes,
        ));
    }
}

/// Reads back every file from the medium but those in `verified`: its (now clean) cached pages
/// are dropped first.
fn read_back(
    t: &Target,
    hashes: &Hashes,
    tags: &TagFiles,
    total_bytes: u64,
    bar: &indicatif::ProgressBar,
    verified: &Checked,
) {
    let mut checks: Vec<(PathBuf, String, &str, u64)> = hashes
        .iter()
        .filter(|(rel, _)| !verified(rel))
        .map(|(rel, (h, n))| (t.path(rel), format!("{DATA}/{rel}"), h.as_str(), *n))
        .collect();
    let tag_hashes: Vec<(String, String, u64)> = tags
        .files
        .iter()
        .map(|(name, bytes)| (name.clone(), hash::sha256_hex(bytes), bytes.len() as u64))
        .collect();
    for (name, h, n) in &tag_hashes {
        checks.push((t.staging.join(name), name.clone(), h, *n));
    }
    // Several reads in flight: a read back waits on the medium ([`super::reads`]).
    super::reads::in_flight(|| {
        checks.par_iter().for_each(|(path, name, h, n)| {
            if t.alive() {
                check_one(t, path, name, h, *n, total_bytes, bar);
            }
        })
    });
}

/// Syncs every folder (deepest first), then publishes with one rename.
fn publish(t: &Target, dirs: &BTreeSet<PathBuf>) -> io::Result<()> {
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

/// Reads one source file once: hashes it and writes it to every live target that does not hold
/// it already (synced and read back later, per medium). Target failures are recorded in the
/// target; only a source failure is an `Err`.
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
        let path = t.path(rel);
        // Written there already (the first medium's generated files): never truncated.
        if !t.alive() || path == src {
            continue;
        }
        match File::create(&path) {
            Ok(f) => outs.push(Some((i, f, path))),
            Err(e) => t.fail(MediaError::medium_io(&t.medium, &path, &e, need)),
        }
    }
    // A target that fails is recorded and left; only the source's own errors stop the copy.
    let write = |chunk: &[u8]| {
        for slot in outs.iter_mut() {
            if let Some((i, f, path)) = slot {
                if !targets[*i].alive() {
                    *slot = None;
                    continue;
                }
                if let Err(e) = f.write_all(chunk) {
                    targets[*i].fail(MediaError::medium_io(&targets[*i].medium, path, &e, need));
                    *slot = None;
                }
            }
        }
        Ok(())
    };
    let (digest, total) = hash::digest_chunks(&mut input, &mut hash::buffer_for(size), write)
        .map_err(|e| MediaError::source_read(src, &e))?;
    Ok((hash::hex(&digest), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A prestaged medium with two files in `data/`.
    fn medium_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Target) {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(format!("{STAGING_PREFIX}a"));
        fs::create_dir_all(staging.join(DATA)).unwrap();
        for (rel, text) in files {
            fs::write(staging.join(DATA).join(rel), text).unwrap();
        }
        let t = Target::new(dir.path().to_path_buf(), staging, true);
        (dir, t)
    }

    #[test]
    fn a_file_held_already_is_read_back_as_its_digest_arrives_and_a_changed_one_fails_the_medium() {
        let (_dir, t) = medium_with(&[("a.html", "первая"), ("b.html", "вторая")]);
        let held: BTreeMap<&str, u64> = [("a.html", 12), ("b.html", 12)].into();
        let bar = indicatif::ProgressBar::hidden();
        // Every digest right: both read back.
        let (tx, rx) = mpsc::channel();
        for (rel, text) in [("a.html", "первая"), ("b.html", "вторая")] {
            tx.send((rel, hash::sha256_hex(text.as_bytes()))).unwrap();
        }
        // A file the medium does not hold already (an input file the pass writes) is left for
        // the read back at the end.
        tx.send(("raw/x.csv", hash::sha256_hex(b"x"))).unwrap();
        drop(tx);
        let checked = read_back_early(&t, &held, rx, 24, &bar);
        assert_eq!(checked, ["a.html", "b.html"].map(String::from).into());
        assert!(t.alive());
        // The pass read `b.html` as it was made; the medium now returns something else.
        let (tx, rx) = mpsc::channel();
        tx.send(("a.html", hash::sha256_hex("первая".as_bytes())))
            .unwrap();
        tx.send(("b.html", hash::sha256_hex("не та".as_bytes())))
            .unwrap();
        drop(tx);
        let checked = read_back_early(&t, &held, rx, 24, &bar);
        assert!(!checked.contains("b.html"), "{checked:?}");
        let e = t.take_error().expect("the medium failed").text();
        assert!(
            e.ru.contains("файл data/b.html после записи читается с другим содержимым"),
            "{}",
            e.ru
        );
    }

    #[test]
    fn a_medium_holds_already_only_the_files_made_in_its_own_staging_folder() {
        let (dir, t) = medium_with(&[("a.html", "первая")]);
        let input = dir.path().join("input.csv");
        fs::write(&input, "x").unwrap();
        let own = t.path("a.html");
        let plan = Plan {
            media: &[],
            name: "a",
            files: vec![("a.html", own.as_path(), 12), ("raw/input.csv", &input, 1)],
            order: Vec::new(),
            total_bytes: 13,
        };
        assert_eq!(held_already(&t, &plan), [("a.html", 12)].into());
    }
}
