//! Where everything lives: a medium, the archives on it, and the files of one archive.
//!
//! A leaf every stage may use and that uses no stage: the names of the files and folders
//! ([`paths`] inside an archive's `data/`, the bag's tag files, the medium's own files), the one
//! listing of a medium's archives ([`Medium::list`]), the one safe relative path ([`is_safe_relative`])
//! and the one durable write ([`fsio::write_atomic`]).
//!
//! ```text
//! <medium>/
//!   index.html                 the medium's list of archives   (MEDIUM_INDEX)
//!   letopis-log.tsv            the fixity log                   (LOG_FILE)
//!   acts/                      acts of disposal kept            (ACTS_DIR)
//!   .letopis-staging-<name>/   an archive being written         (STAGING_PREFIX)
//!   <name>/                    a sealed archive (a BagIt bag)   (ArchiveDir)
//!     bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt README.txt
//!     data/                    the payload: pages (paths), archive.json, retention.json,
//!                              index/ (tantivy), search/ (browser shards), raw/, files/
//!   <name>.zip, <name>.zip.sha256   a zip of an archive (build --zip, pack)
//! ```

pub mod fsio;
pub mod paths;
pub mod slug;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The medium's list of archives, replaced atomically after each build.
pub const MEDIUM_INDEX: &str = "index.html";
/// The medium's fixity log.
pub const LOG_FILE: &str = "letopis-log.tsv";
/// Folder on a medium where the acts of disposal are kept.
pub const ACTS_DIR: &str = "acts";
/// Prefix of the folder an archive is written into before it is complete.
pub const STAGING_PREFIX: &str = ".letopis-staging-";
/// Prefix of the folder an archive is moved to while it is being disposed of.
pub const DISPOSING_PREFIX: &str = ".letopis-disposing-";
/// The payload folder of a bag.
pub const DATA: &str = "data";

/// The tag files of a bag (RFC 8493).
pub const BAGIT_TXT: &str = "bagit.txt";
pub const BAG_INFO_TXT: &str = "bag-info.txt";
pub const MANIFEST: &str = "manifest-sha256.txt";
pub const TAGMANIFEST: &str = "tagmanifest-sha256.txt";
pub const README_TXT: &str = "README.txt";

/// The input folder's configuration file.
pub const CONFIG_FILE: &str = "letopis.yaml";

/// A relative `/`-separated path that stays inside its folder: not empty, not absolute, no
/// empty, `.` or `..` components, no backslashes, drive letters or NUL. The one rule for every
/// path that comes from a file (a manifest line, a zip entry, an attachment reference).
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains(['\\', ':', '\0'])
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Everything that goes under a bag's `data/`: path inside `data/` (`/` separators, e.g.
/// `learners/l-001.html`, `files/scans/order-12.pdf`, `raw/learners.csv`) → the file on disk to take
/// the bytes from. Generated pages point into a work folder; attachments and raw exports point
/// straight at the input folder, so large files are read only once, when they are written to the
/// media and hashed in the same pass. Sorted, so manifests are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payload {
    pub files: BTreeMap<String, PathBuf>,
}

impl Payload {
    pub fn add(&mut self, data_path: impl Into<String>, source: impl Into<PathBuf>) {
        self.files.insert(data_path.into(), source.into());
    }
}

/// One archive folder (a bag) and the paths of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveDir {
    root: PathBuf,
}

impl ArchiveDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ArchiveDir { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// The folder's name: the archive's name on its medium.
    pub fn name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
    pub fn tag(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
    pub fn data(&self) -> PathBuf {
        self.root.join(DATA)
    }
    /// A file of the payload, by its path inside `data/`.
    pub fn payload(&self, rel: &str) -> PathBuf {
        self.data().join(rel)
    }
    pub fn archive_info(&self) -> PathBuf {
        self.payload(paths::ARCHIVE_INFO)
    }
    /// A bag: the folder holds `bagit.txt`.
    pub fn is_bag(&self) -> bool {
        self.tag(BAGIT_TXT).is_file()
    }
}

/// What one listing of a medium found, each list sorted by name.
#[derive(Debug, Default, Clone)]
pub struct Listing {
    /// Sealed archives: folders (not hidden) with a `bagit.txt`.
    pub bags: Vec<ArchiveDir>,
    /// Zips of archives: files whose name ends in `.zip`, in any case (a FAT stick may show
    /// `ARCHIVE.ZIP`).
    pub zips: Vec<PathBuf>,
    /// Unfinished writes: `.letopis-staging-*` folders left by an interrupted build.
    pub unfinished: Vec<PathBuf>,
}

/// A medium: a folder (a mounted stick, a disc, a network folder) that holds archives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medium {
    root: PathBuf,
}

impl Medium {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Medium { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn index_html(&self) -> PathBuf {
        self.root.join(MEDIUM_INDEX)
    }
    pub fn log_file(&self) -> PathBuf {
        self.root.join(LOG_FILE)
    }
    pub fn acts_dir(&self) -> PathBuf {
        self.root.join(ACTS_DIR)
    }
    /// The archive of this name on the medium (it may not exist yet).
    pub fn archive(&self, name: &str) -> ArchiveDir {
        ArchiveDir::new(self.root.join(name))
    }
    /// The folder an archive of this name is written into before it is complete.
    pub fn staging(&self, name: &str) -> PathBuf {
        self.root.join(format!("{STAGING_PREFIX}{name}"))
    }
    /// A medium written by Letopis has its fixity log.
    pub fn is_letopis_medium(&self) -> bool {
        self.log_file().is_file()
    }

    /// The one listing of a medium: one directory level, nothing below the archives' folders is
    /// read, so it costs the same for a period of ten learners or of a hundred thousand.
    /// A missing medium lists nothing.
    pub fn list(&self) -> io::Result<Listing> {
        let mut out = Listing::default();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if name.starts_with(STAGING_PREFIX) {
                out.unfinished.push(path);
            } else if name.starts_with('.') {
                continue;
            } else if is_dir && path.join(BAGIT_TXT).is_file() {
                out.bags.push(ArchiveDir::new(path));
            } else if !is_dir && is_zip_name(&name) {
                out.zips.push(path);
            }
        }
        out.bags.sort_by(|a, b| a.root.cmp(&b.root));
        out.zips.sort();
        out.unfinished.sort();
        Ok(out)
    }
}

/// `name.zip` in any case.
pub fn is_zip_name(name: &str) -> bool {
    name.len() > 4
        && name
            .get(name.len() - 4..)
            .is_some_and(|x| x.eq_ignore_ascii_case(".zip"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_paths() {
        assert!(is_safe_relative("files/a b.pdf"));
        assert!(is_safe_relative("scans/приказ 1.pdf"));
        for p in [
            "",
            "/etc/passwd",
            "a/../b",
            "./a",
            "a//b",
            "a\\b",
            "C:/x",
            "a/",
            "a\0b",
            "..",
        ] {
            assert!(!is_safe_relative(p), "{p:?} accepted");
        }
    }

    #[test]
    fn lists_bags_zips_and_unfinished_writes() {
        let t = tempfile::tempdir().unwrap();
        let m = Medium::new(t.path());
        fs::create_dir_all(t.path().join("b-2025/data")).unwrap();
        fs::write(t.path().join("b-2025").join(BAGIT_TXT), "x").unwrap();
        fs::create_dir_all(t.path().join("a-2024")).unwrap();
        fs::write(t.path().join("a-2024").join(BAGIT_TXT), "x").unwrap();
        fs::create_dir_all(t.path().join("not-a-bag")).unwrap();
        fs::create_dir_all(t.path().join(".hidden")).unwrap();
        fs::write(t.path().join(".hidden").join(BAGIT_TXT), "x").unwrap();
        fs::write(t.path().join("ARCHIVE.ZIP"), "z").unwrap();
        fs::write(t.path().join("notes.txt"), "n").unwrap();
        fs::create_dir_all(m.staging("c-2026")).unwrap();
        let l = m.list().unwrap();
        let names: Vec<String> = l.bags.iter().map(ArchiveDir::name).collect();
        assert_eq!(names, ["a-2024", "b-2025"]);
        assert_eq!(l.zips, [t.path().join("ARCHIVE.ZIP")]);
        assert_eq!(l.unfinished, [m.staging("c-2026")]);
        assert!(
            Medium::new(t.path().join("absent"))
                .list()
                .unwrap()
                .bags
                .is_empty()
        );
    }
}
