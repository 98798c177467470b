//! A build's own staging folder on the first medium: the pages, indexes and tables are written
//! straight into `<first medium>/.letopis-staging-<name>/data/`, so no copy of the archive is ever
//! made anywhere else (no work folder in `TMPDIR`). [`super::write_staged`] then copies the input
//! files into it and everything to the other media, reads every copy back from its medium and
//! renames each staging folder into place.
//!
//! The media are checked and locked ([`super::medium::prepare`]) before the first page is
//! written, and stay locked until this is dropped; the staging folder is removed on SIGINT or
//! SIGTERM ([`super::interrupt`]) and when this is dropped unpublished (a failed or refused build).

use super::error::MediaError;
use super::interrupt;
use super::medium::{self, Locked};
use crate::layout::STAGING_PREFIX;
use crate::layout::{DATA, Payload};
use crate::model::Text;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The media of one build, locked, and the staging folder on the first of them.
pub struct Staging {
    pub(super) media: Vec<PathBuf>,
    pub(super) name: String,
    /// `<media[0]>/.letopis-staging-<name>`.
    pub(super) dir: PathBuf,
    pub(super) _locks: Vec<Locked>,
    /// The pages being copied to the other media while the indexes are made ([`Staging::start_early`]).
    pub(super) early: Option<super::early::Running>,
    _cleanup: interrupt::Guard,
}

/// The staging folder of archive `name` on `medium`.
pub(super) fn staging_dir(medium: &Path, name: &str) -> PathBuf {
    medium.join(format!("{STAGING_PREFIX}{name}"))
}

/// An archive name is one plain folder name.
pub(super) fn check_name(archive_name: &str) -> Result<(), MediaError> {
    if !crate::layout::is_safe_relative(archive_name)
        || archive_name.contains('/')
        || archive_name.starts_with('.')
    {
        return Err(MediaError::Usage(Text::new(
            format!("недопустимое имя архива «{archive_name}»"),
            format!("invalid archive name `{archive_name}`"),
        )));
    }
    Ok(())
}

pub(super) fn no_media() -> MediaError {
    MediaError::Usage(Text::new("не указан ни один носитель", "no medium given"))
}

impl Staging {
    /// Checks and locks every medium (an error before anything is written to any of them), then
    /// makes a fresh staging folder on the first (a leftover of a killed run is removed).
    pub fn open(media: &[PathBuf], archive_name: &str) -> Result<Staging, MediaError> {
        check_name(archive_name)?;
        let first = media.first().ok_or_else(no_media)?;
        let locks = medium::prepare(media)?;
        let dir = staging_dir(first, archive_name);
        let (dir, cleanup) = interrupt::make_registered(
            || -> Result<PathBuf, MediaError> {
                let made = (|| {
                    match fs::remove_dir_all(&dir) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(e),
                    }
                    fs::create_dir(&dir)?;
                    fs::create_dir(dir.join(DATA))
                })();
                made.map_err(|e| MediaError::medium_io(first, &dir, &e, 0))?;
                Ok(dir.clone())
            },
            |d| d.as_path(),
        )?;
        Ok(Staging {
            media: media.to_vec(),
            name: archive_name.to_string(),
            dir,
            _locks: locks,
            early: None,
            _cleanup: cleanup,
        })
    }

    /// Starts copying the files `payload` has in the staging folder already (the rendered pages)
    /// to the other media, and reading every copy back, while the caller goes on (see
    /// `media::early`); [`super::write_staged`] takes up what it did.
    pub fn start_early(&mut self, payload: &Payload) {
        let data = self.data_dir();
        let pages: Vec<String> = payload
            .files
            .iter()
            .filter(|(rel, src)| **src == data.join(rel))
            .map(|(rel, _)| rel.clone())
            .collect();
        self.early = super::early::start(&self.media, &self.name, &self.dir, pages);
    }

    /// Stops the head start and removes its copies (the write then does everything).
    pub fn drop_early(&mut self) {
        drop(self.early.take());
    }

    /// Where the payload's generated files are to be written: the staging folder's `data/`.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join(DATA)
    }

    /// The media, in the order given.
    pub fn media(&self) -> &[PathBuf] {
        &self.media
    }

    pub fn archive_name(&self) -> &str {
        &self.name
    }

    /// Removes whatever a writer left in the staging folder's `data/` that is not in the payload
    /// (a lock file of an index writer, an emptied folder): the bag holds exactly the payload.
    pub(super) fn prune(&self, payload: &Payload) -> io::Result<()> {
        let data = self.data_dir();
        let mut keep_dirs = BTreeSet::new();
        for rel in payload.files.keys() {
            let mut p = Path::new(rel).parent();
            while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
                if !keep_dirs.insert(d.to_path_buf()) {
                    break;
                }
                p = d.parent();
            }
        }
        prune_dir(&data, Path::new(""), payload, &keep_dirs)
    }
}

fn prune_dir(
    data: &Path,
    rel: &Path,
    payload: &Payload,
    keep_dirs: &BTreeSet<PathBuf>,
) -> io::Result<()> {
    for entry in fs::read_dir(data.join(rel))? {
        let entry = entry?;
        let child = rel.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if keep_dirs.contains(&child) {
                prune_dir(data, &child, payload, keep_dirs)?;
            } else {
                fs::remove_dir_all(entry.path())?;
            }
            continue;
        }
        let key = child.to_str().map(|s| s.replace('\\', "/"));
        let listed = key
            .as_ref()
            .is_some_and(|k| payload.files.get(k).is_some_and(|src| *src == data.join(k)));
        if !listed {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A head start still reading the pages stops first, and its copies go.
        drop(self.early.take());
        // Published archives were renamed away; anything left here is unfinished.
        match fs::remove_dir_all(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_exactly_the_payload() {
        let t = tempfile::tempdir().unwrap();
        let m = t.path().join("m");
        fs::create_dir(&m).unwrap();
        let s = Staging::open(std::slice::from_ref(&m), "a-2025").unwrap();
        let data = s.data_dir();
        fs::create_dir_all(data.join("index")).unwrap();
        fs::create_dir_all(data.join("empty/deeper")).unwrap();
        fs::write(data.join("index.html"), "x").unwrap();
        fs::write(data.join("index/seg"), "x").unwrap();
        fs::write(data.join("index/.lock"), "x").unwrap();
        fs::write(data.join("stray.tmp"), "x").unwrap();
        let mut p = Payload::default();
        p.add("index.html", data.join("index.html"));
        p.add("index/seg", data.join("index/seg"));
        p.add("raw/in.csv", t.path().join("in.csv"));
        s.prune(&p).unwrap();
        let mut left: Vec<String> = walkdir(&data);
        left.sort();
        assert_eq!(left, ["index", "index.html", "index/seg"]);
        let dir = s.dir.clone();
        assert!(dir.is_dir());
        drop(s);
        assert!(!dir.exists());
        // The locks went with it: the medium can be staged again.
        Staging::open(std::slice::from_ref(&m), "a-2025").unwrap();
    }

    fn walkdir(root: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                out.push(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
                if p.is_dir() {
                    stack.push(p);
                }
            }
        }
        out
    }
}
