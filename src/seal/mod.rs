//! Stage 5: BagIt manifests, bag-info, zip.
//!
//! A sealed archive is a BagIt 1.0 bag (RFC 8493): `bagit.txt`, `bag-info.txt`,
//! `manifest-sha256.txt` over every file under `data/`, a Russian `README.txt` and
//! `tagmanifest-sha256.txt` over those tag files. [`bag`] builds and parses the tag files;
//! [`pack`] writes and checks deterministic zips. Writing bags to media is the next stage
//! ([`crate::media`]).

pub mod bag;
pub mod hash;
pub mod pack;
pub mod sign;

pub use bag::{BagMeta, TagFiles};

use std::path::{Path, PathBuf};

use crate::layout::Payload;

/// Sealing's view of a payload: read from a folder, checked to stay inside `data/`.
impl Payload {
    /// Every regular file under `dir` (symbolic links followed), keyed by its `/`-separated path
    /// relative to `dir`. Used to seal a folder that is already laid out as an archive's `data/`.
    pub fn from_dir(dir: &Path) -> Result<Payload, SealError> {
        let mut payload = Payload::default();
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| SealError::Walk {
                path: e.path().unwrap_or(dir).to_path_buf(),
                message: e.to_string(),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("walkdir yields paths under its root");
            let mut parts = Vec::new();
            for c in rel.components() {
                match c.as_os_str().to_str() {
                    Some(s) => parts.push(s.to_string()),
                    None => {
                        return Err(SealError::NonUtf8Name {
                            path: entry.path().to_path_buf(),
                        });
                    }
                }
            }
            payload.add(parts.join("/"), entry.path());
        }
        Ok(payload)
    }

    /// Checks that every data path is relative, without `.`/`..`/empty components or `\`, so it
    /// cannot escape `data/` on any file system.
    pub fn validate(&self) -> Result<(), SealError> {
        for p in self.files.keys() {
            if !crate::layout::is_safe_relative(p) {
                return Err(SealError::UnsafePath { path: p.clone() });
            }
        }
        Ok(())
    }
}

/// Errors of the seal stage (bag tag files and zips).
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("не удалось прочитать папку {}: {message}", path.display())]
    Walk { path: PathBuf, message: String },
    #[error("имя файла {} не в UTF-8; переименуйте его", path.display())]
    NonUtf8Name { path: PathBuf },
    #[error("недопустимый путь внутри архива: «{path}»")]
    UnsafePath { path: String },
    #[error("{} не является архивом BagIt: {reason}", path.display())]
    NotABag { path: PathBuf, reason: String },
    #[error("{}: ошибка ввода-вывода: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: ошибка zip: {message}", path.display())]
    Zip { path: PathBuf, message: String },
}

impl SealError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SealError::Io {
            path: path.into(),
            source,
        }
    }

    /// The message in the requested language.
    pub fn text(&self) -> crate::model::Text {
        use crate::model::Text;
        let ru = self.to_string();
        let en = match self {
            SealError::Walk { path, message } => {
                format!("cannot read folder {}: {message}", path.display())
            }
            SealError::NonUtf8Name { path } => {
                format!("file name {} is not UTF-8; rename it", path.display())
            }
            SealError::UnsafePath { path } => format!("unsafe path inside the archive: `{path}`"),
            SealError::NotABag { path, reason } => {
                format!("{} is not a BagIt bag: {reason}", path.display())
            }
            SealError::Io { path, source } => format!("{}: I/O error: {source}", path.display()),
            SealError::Zip { path, message } => format!("{}: zip error: {message}", path.display()),
        };
        Text::new(ru, en)
    }
}
