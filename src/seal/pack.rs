//! Deterministic zip of a sealed bag (`letopis pack`, `build --zip`): sorted entries, fixed
//! timestamps (the bag's Bagging-Date), fixed permissions, already-compressed media stored, the rest
//! deflated, ZIP64 for large entries, and `<zip>.sha256` beside it in `sha256sum` format.

use super::SealError;
use super::bag;
use super::hash::{self, CHUNK};
use crate::layout::{BAG_INFO_TXT, BAGIT_TXT};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// File extensions whose content is already compressed: stored as is, not deflated again.
const STORED_EXTENSIONS: &[&str] = &[
    "7z", "avi", "bz2", "docx", "epub", "flac", "gif", "gz", "heic", "jpeg", "jpg", "m4a", "m4v",
    "mkv", "mov", "mp3", "mp4", "odp", "ods", "odt", "ogg", "oga", "ogv", "opus", "pdf", "png",
    "pptx", "rar", "webm", "webp", "xlsx", "xz", "zip", "zst",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackReport {
    pub zip: PathBuf,
    pub sha256_file: PathBuf,
    pub sha256: String,
    pub entries: u64,
    /// Uncompressed bytes of all entries.
    pub bytes: u64,
    pub zip_bytes: u64,
}

/// Whether an entry with this name is stored (not deflated).
pub fn is_precompressed(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|e| STORED_EXTENSIONS.contains(&e.as_str()))
}

/// Zips the bag folder `bag` into `out`; entries are `<bag folder name>/<path>`, so unzipping gives
/// the bag folder. Written to a temporary file beside `out`, synced, then renamed: an interrupted
/// run never leaves a zip that looks complete.
pub fn pack(bag_dir: &Path, out: &Path) -> Result<PackReport, SealError> {
    if !bag_dir.join(BAGIT_TXT).is_file() {
        return Err(SealError::NotABag {
            path: bag_dir.to_path_buf(),
            reason: "нет файла bagit.txt".into(),
        });
    }
    let root = bag_dir
        .canonicalize()
        .map_err(|e| SealError::io(bag_dir, e))?;
    let root_name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("bag")
        .to_string();
    let out_parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let out_parent_abs = out_parent
        .canonicalize()
        .map_err(|e| SealError::io(&out_parent, e))?;
    if out_parent_abs.starts_with(&root) {
        return Err(SealError::Zip {
            path: out.to_path_buf(),
            message: "zip нельзя записывать внутрь самого архива".into(),
        });
    }
    let file_name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| SealError::Zip {
            path: out.to_path_buf(),
            message: "нужно имя файла zip".into(),
        })?
        .to_string();

    let payload = super::Payload::from_dir(&root)?;
    let time = bag_time(&root);
    let tmp = out_parent.join(format!(".{file_name}.letopis-tmp"));
    let result = write_zip(&tmp, &root_name, &payload, time);
    let (entries, bytes) = match result {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    fs::rename(&tmp, out).map_err(|e| SealError::io(out, e))?;
    sync_dir(&out_parent);

    let (sha256, zip_bytes) = hash::sha256_from_medium(out).map_err(|e| SealError::io(out, e))?;
    let sha_path = out.with_file_name(format!("{file_name}.sha256"));
    crate::layout::fsio::write_atomic(&sha_path, format!("{sha256}  {file_name}\n").as_bytes())
        .map_err(|e| SealError::io(&sha_path, e))?;
    sync_dir(&out_parent);
    Ok(PackReport {
        zip: out.to_path_buf(),
        sha256_file: sha_path,
        sha256,
        entries,
        bytes,
        zip_bytes,
    })
}

fn write_zip(
    tmp: &Path,
    root_name: &str,
    payload: &super::Payload,
    time: DateTime,
) -> Result<(u64, u64), SealError> {
    let file = File::create(tmp).map_err(|e| SealError::io(tmp, e))?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, file));
    let zerr = |e: zip::result::ZipError| SealError::Zip {
        path: tmp.to_path_buf(),
        message: e.to_string(),
    };
    let mut buf = vec![0u8; CHUNK];
    let (mut entries, mut bytes) = (0u64, 0u64);
    for (rel, source) in &payload.files {
        let size = fs::metadata(source)
            .map_err(|e| SealError::io(source, e))?
            .len();
        let method = if is_precompressed(rel) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(time)
            .unix_permissions(0o644)
            .large_file(size >= 0xFFFF_FFFF);
        zip.start_file(format!("{root_name}/{rel}"), options)
            .map_err(zerr)?;
        let mut src = File::open(source).map_err(|e| SealError::io(source, e))?;
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(SealError::io(source, e)),
            };
            zip.write_all(&buf[..n])
                .map_err(|e| SealError::io(tmp, e))?;
            bytes += n as u64;
        }
        entries += 1;
    }
    let w = zip.finish().map_err(zerr)?;
    let file = w
        .into_inner()
        .map_err(|e| SealError::io(tmp, e.into_error()))?;
    file.sync_all().map_err(|e| SealError::io(tmp, e))?;
    Ok((entries, bytes))
}

/// The bag's Bagging-Date at midnight (entries get the date of archiving, not the clock);
/// 1980-01-01 when it is absent or out of the zip range.
fn bag_time(root: &Path) -> DateTime {
    let date = fs::read_to_string(root.join(BAG_INFO_TXT))
        .ok()
        .and_then(|t| {
            bag::parse_bag_info(&t)
                .into_iter()
                .find(|(l, _)| l.eq_ignore_ascii_case("Bagging-Date"))
        })
        .and_then(|(_, v)| chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
    use chrono::Datelike;
    date.and_then(|d| {
        DateTime::from_date_and_time(
            u16::try_from(d.year()).ok()?,
            d.month() as u8,
            d.day() as u8,
            0,
            0,
            0,
        )
        .ok()
    })
    .unwrap_or_default()
}

/// Best effort: the zip is complete and renamed either way; a failed folder sync only weakens
/// durability of the rename, which the `.sha256` written after it checks.
fn sync_dir(dir: &Path) {
    let _ = crate::layout::fsio::sync_dir(dir);
}

#[cfg(test)]
mod tests {
    #[test]
    fn precompressed() {
        assert!(super::is_precompressed("files/scan.PDF"));
        assert!(super::is_precompressed("a/b.mp4"));
        assert!(!super::is_precompressed("index.html"));
        assert!(!super::is_precompressed("Makefile"));
    }
}
