//! The pages a build rendered on the first medium are copied to the other media, and every copy
//! (the first medium's too) is read back, while the build makes its indexes and tables: the media
//! wait on their disks while the processor makes the indexes, instead of one after the other.
//!
//! It is only a head start. Any trouble (a medium without room, an archive of that name already
//! on a medium, a read error, a copy that reads back different) drops what it did, and the write
//! at the end does everything as if it had not run, with its usual reports. What it did is kept
//! only when every page was copied to every other medium and read back from every medium equal to
//! the digest it was copied with; the write then skips those pages and does the rest (the indexes,
//! the input files, the tag files) as usual.

use super::interrupt;
use super::staging::staging_dir;
use super::write::HashSize;
use crate::layout::{DATA, Payload, fsio};
use crate::seal::hash;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// Room left on a medium after the head start, for what the write adds (indexes, input files,
/// tag files): without it the head start is not taken (the write then says whether it fits).
const SPARE: u64 = 64 << 20;

/// What the head start did: the pages on every medium, read back equal.
pub(super) struct Done {
    /// Page (path inside `data/`) → digest and size, as read from the first medium.
    pub files: BTreeMap<String, HashSize>,
    /// The other media's staging folders, holding the pages.
    pub stagings: Vec<PathBuf>,
    /// They stay registered for removal on Ctrl+C until the write has registered them itself.
    _cleanup: Vec<interrupt::Guard>,
}

impl Drop for Done {
    /// The copies go with the head start, unless the write has published them (renamed away, so
    /// nothing is left to remove) or removed them itself: whatever way the write ends, none is
    /// left behind.
    fn drop(&mut self) {
        for s in &self.stagings {
            let _ = fs::remove_dir_all(s);
        }
    }
}

/// The head start under way.
pub struct Running {
    handle: Option<JoinHandle<Option<Copied>>>,
    stop: Arc<AtomicBool>,
    stagings: Vec<PathBuf>,
    _cleanup: Vec<interrupt::Guard>,
}

impl Running {
    /// Waits for the head start; `None` (its copies removed) when it was not a full success.
    pub(super) fn finish(mut self) -> Option<Done> {
        // Digests as the manifest writes them, now that the indexes (the build's peak of memory)
        // are made: the thread kept them as 32 bytes each.
        let files = self
            .join()?
            .into_iter()
            .map(|(rel, (digest, n))| (rel, (hash::hex(&digest), n)))
            .collect();
        Some(Done {
            files,
            stagings: std::mem::take(&mut self.stagings),
            _cleanup: std::mem::take(&mut self._cleanup),
        })
    }

    /// Waits for the thread; its copies are removed unless it was a full success.
    fn join(&mut self) -> Option<Copied> {
        let done = self.handle.take()?.join().ok().flatten();
        if done.is_none() {
            self.remove();
        }
        done
    }

    fn remove(&mut self) {
        for s in std::mem::take(&mut self.stagings) {
            let _ = fs::remove_dir_all(&s);
        }
    }
}

impl Drop for Running {
    /// A build that stops before its write: the head start stops, and its copies go.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.join();
        self.remove();
    }
}

/// Starts copying `pages` (paths inside `data/`), which the first medium's staging folder
/// `staging` holds, to the other `media`; `None` when there is nothing to gain.
pub(super) fn start(
    media: &[PathBuf],
    name: &str,
    staging: &Path,
    pages: Vec<String>,
) -> Option<Running> {
    if pages.is_empty()
        || media
            .iter()
            .any(|m| fs::symlink_metadata(m.join(name)).is_ok())
    {
        return None;
    }
    let others: Vec<PathBuf> = media.iter().skip(1).map(|m| staging_dir(m, name)).collect();
    let cleanup = others
        .iter()
        .map(|s| interrupt::remove_on_signal(s))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let work = Work {
        first: staging.join(DATA),
        others: others.iter().map(|s| s.join(DATA)).collect(),
        files: Vec::new(),
        stop: stop.clone(),
    };
    let media = media.to_vec();
    let stagings = others.clone();
    let handle = std::thread::Builder::new()
        .name("letopis-early".into())
        .spawn(move || work.run(pages, &media, &stagings))
        .ok()?;
    Some(Running {
        handle: Some(handle),
        stop,
        stagings: others,
        _cleanup: cleanup,
    })
}

/// Each page (path inside `data/`) with its digest and size, as read from the first medium.
type Copied = Vec<(String, ([u8; 32], u64))>;

struct Work {
    /// `data/` of the first medium's staging folder.
    first: PathBuf,
    /// `data/` of the other media's.
    others: Vec<PathBuf>,
    files: Vec<(String, u64)>,
    stop: Arc<AtomicBool>,
}

impl Work {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || interrupt::interrupted()
    }

    fn run(
        mut self,
        pages: Vec<String>,
        media: &[PathBuf],
        stagings: &[PathBuf],
    ) -> Option<Copied> {
        // The pages' sizes, on this thread rather than the build's: no head start unless every
        // other medium has room for them and some to spare.
        self.files = super::reads::in_flight(|| {
            pages
                .into_par_iter()
                .map(|rel| {
                    let n = fs::metadata(self.first.join(&rel)).ok()?.len();
                    Some((rel, n))
                })
                .collect::<Option<Vec<_>>>()
        })?;
        let need: u64 = self
            .files
            .iter()
            .map(|(_, n)| super::write::blocks(*n))
            .sum();
        for m in media.iter().skip(1) {
            if super::medium::free_bytes(m).is_some_and(|free| free < need + SPARE) {
                return None;
            }
        }
        self.make_folders(stagings).ok()?;
        // The reads and writes wait on the media: on the read-back pool, off the cores' pool
        // the indexes are made on.
        let digests: Option<Vec<([u8; 32], u64)>> = super::reads::in_flight(|| {
            self.files
                .par_iter()
                .map(|(rel, size)| {
                    if self.stopped() {
                        return None;
                    }
                    self.copy(rel, *size).ok()
                })
                .collect()
        });
        let digests = digests?;
        // Until its pages are on the disk, a file would be read back from memory.
        self.sync().ok()?;
        let all_equal = super::reads::in_flight(|| {
            self.files
                .par_iter()
                .zip(&digests)
                .all(|((rel, _), (d, n))| {
                    let h = hash::hex(d);
                    !self.stopped()
                        && std::iter::once(&self.first)
                            .chain(&self.others)
                            .all(|dir| reads_back_as(&dir.join(rel), &h, *n))
                })
        });
        if !all_equal || self.stopped() {
            return None;
        }
        let files = std::mem::take(&mut self.files);
        Some(files.into_iter().map(|(rel, _)| rel).zip(digests).collect())
    }

    /// Makes the pages and their copies durable: one `syncfs` per medium on Linux; elsewhere each
    /// file on its own (a walk of the first medium's folder would meet the indexes half made).
    fn sync(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            for d in std::iter::once(&self.first).chain(&self.others) {
                fsio::sync_fs(d)?;
            }
        }
        #[cfg(not(target_os = "linux"))]
        if !fsio::skip_sync() {
            for (rel, _) in &self.files {
                for d in std::iter::once(&self.first).chain(&self.others) {
                    fs::OpenOptions::new()
                        .write(true)
                        .open(d.join(rel))?
                        .sync_all()?;
                }
            }
        }
        Ok(())
    }

    /// The other media's staging folders (a leftover of a killed run removed) with every folder
    /// of the pages.
    fn make_folders(&self, stagings: &[PathBuf]) -> io::Result<()> {
        let mut dirs = BTreeSet::new();
        for (rel, _) in &self.files {
            if let Some(d) = Path::new(rel).parent() {
                dirs.insert(d.to_path_buf());
            }
        }
        stagings
            .iter()
            .try_for_each(|s| super::copy::fresh_staging(s, &dirs))
    }

    /// Reads a page once from the first medium: hashes it and writes it to every other medium.
    fn copy(&self, rel: &str, size: u64) -> io::Result<([u8; 32], u64)> {
        let mut input = File::open(self.first.join(rel))?;
        let mut outs: Vec<File> = self
            .others
            .iter()
            .map(|d| File::create(d.join(rel)))
            .collect::<io::Result<_>>()?;
        hash::digest_chunks(&mut input, &mut hash::buffer_for(size), |chunk| {
            outs.iter_mut().try_for_each(|f| f.write_all(chunk))
        })
    }
}

/// The file, read from its medium (not the page cache), has this digest and size.
fn reads_back_as(path: &Path, h: &str, n: u64) -> bool {
    matches!(hash::sha256_from_medium(path), Ok((got, len)) if got == h && len == n)
}

/// A head start's pages are taken up only if the payload still lists each of them, from the
/// first medium's `data`, with the size it was copied with: a page a later step removed or wrote
/// again would otherwise keep a stale digest. Otherwise its copies go, and the write does
/// everything.
pub(super) fn still_current(done: Option<Done>, payload: &Payload, data: &Path) -> Option<Done> {
    let d = done?;
    let current = d.files.par_iter().all(|(rel, (_, n))| {
        let src = data.join(rel);
        payload.files.get(rel) == Some(&src) && fs::metadata(&src).is_ok_and(|m| m.len() == *n)
    });
    current.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two media; pages in the first one's staging folder; the head start run to its end.
    fn head_start(pages: &[(&str, &str)]) -> (tempfile::TempDir, Vec<PathBuf>, PathBuf, Done) {
        let t = tempfile::tempdir().unwrap();
        let media: Vec<PathBuf> = ["m1", "m2"].iter().map(|m| t.path().join(m)).collect();
        let staging = staging_dir(&media[0], "a-2025");
        let mut files = Vec::new();
        for (rel, text) in pages {
            let p = staging.join(DATA).join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, text).unwrap();
            files.push(rel.to_string());
        }
        fs::create_dir_all(&media[1]).unwrap();
        let done = start(&media, "a-2025", &staging, files)
            .expect("started")
            .finish()
            .expect("every page copied and read back");
        (t, media, staging.join(DATA), done)
    }

    fn payload(data: &Path, rels: &[&str]) -> Payload {
        let mut p = Payload::default();
        for rel in rels {
            p.add(*rel, data.join(rel));
        }
        p
    }

    #[test]
    fn every_page_is_copied_with_the_digest_it_was_read_with() {
        let pages = [
            ("index.html", "<p>Архив</p>"),
            ("learners/ld-1.html", "<p>Иванова</p>"),
        ];
        let (_t, media, _, done) = head_start(&pages);
        for (rel, text) in pages {
            let copy = staging_dir(&media[1], "a-2025").join(DATA).join(rel);
            assert_eq!(fs::read_to_string(copy).unwrap(), text);
            let want = (hash::sha256_hex(text.as_bytes()), text.len() as u64);
            assert_eq!(done.files[rel], want, "{rel}");
        }
        assert_eq!(done.files.len(), 2);
    }

    /// Taken up only while the payload lists every page from the first medium with its size: a
    /// page gone, listed from elsewhere or written again to another size drops the head start and
    /// its copies.
    #[test]
    fn a_page_gone_moved_or_rewritten_after_the_head_start_drops_it() {
        let pages = [
            ("index.html", "<p>Архив</p>"),
            ("learners/ld-1.html", "<p>Иванова</p>"),
        ];
        let both = ["index.html", "learners/ld-1.html"];
        let (_t, media, data, done) = head_start(&pages);
        let kept = still_current(Some(done), &payload(&data, &both), &data);
        assert!(kept.is_some());
        assert!(
            staging_dir(&media[1], "a-2025").exists(),
            "kept for the write"
        );
        drop(kept);
        assert!(
            !staging_dir(&media[1], "a-2025").exists(),
            "a head start not taken up goes"
        );

        let (_t, media, data, done) = head_start(&pages);
        let copies_gone = staging_dir(&media[1], "a-2025");
        assert!(copies_gone.exists());
        assert!(still_current(Some(done), &payload(&data, &["index.html"]), &data).is_none());
        assert!(!copies_gone.exists(), "the copies go with the head start");

        let (_t, _, data, done) = head_start(&pages);
        let mut moved = payload(&data, &both);
        moved.add("learners/ld-1.html", data.join("elsewhere.html"));
        assert!(still_current(Some(done), &moved, &data).is_none());

        let (_t, _, data, done) = head_start(&pages);
        fs::write(data.join("learners/ld-1.html"), "<p>Иванова Анна</p>").unwrap();
        assert!(still_current(Some(done), &payload(&data, &both), &data).is_none());
    }

    /// An archive of that name on any medium, or no room on the other one for the pages: no head
    /// start at all.
    #[test]
    fn no_head_start_beside_an_archive_of_that_name() {
        let t = tempfile::tempdir().unwrap();
        let media: Vec<PathBuf> = ["m1", "m2"].iter().map(|m| t.path().join(m)).collect();
        for m in &media {
            fs::create_dir_all(m).unwrap();
        }
        fs::create_dir(media[1].join("a-2025")).unwrap();
        let staging = staging_dir(&media[0], "a-2025");
        fs::create_dir_all(staging.join(DATA)).unwrap();
        fs::write(staging.join(DATA).join("index.html"), "x").unwrap();
        let files = vec!["index.html".to_string()];
        assert!(start(&media, "a-2025", &staging, files).is_none());
        assert!(!staging_dir(&media[1], "a-2025").exists());
    }
}
