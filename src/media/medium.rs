//! A medium must exist, be one medium, be writable, have room, and have one writer at a time.
//! Checked for every medium before anything is written to any of them.
//!
//! - `--out` may be a new folder only when its parent exists and is not where removable media are
//!   mounted (`/media`, `/mnt`, `/run/media`): a stick that is not mounted is an error, never a
//!   folder made on the system disk in its place. A folder there that is on the system disk is a
//!   mount point without its medium, an error too.
//! - The same medium given twice is recognised by its device and inode (a bind mount, a link, the
//!   same path spelled differently), not by its name.
//! - One writer per medium: an advisory lock on `<medium>/.letopis-lock` (`File::try_lock`), which
//!   the system releases when the process ends, however it ends, so a crash never leaves it stuck.
//!   Taking it also proves the medium writable (a read-only medium fails here, before writing).
//! - Free space (Unix `statvfs`): a medium without room for the archive is an error before writing.

use super::error::MediaError;
use crate::model::Text;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// The lock file at a medium's root (hidden; not an archive).
pub const LOCK_FILE: &str = ".letopis-lock";

/// A medium checked and locked for writing; the lock is released when this is dropped.
#[derive(Debug)]
pub struct Locked {
    pub medium: PathBuf,
    _lock: File,
}

/// Folders under which removable media are mounted.
const MOUNT_ROOTS: [&str; 3] = ["/media", "/mnt", "/run/media"];

fn under_mount_root(p: &Path) -> bool {
    MOUNT_ROOTS.iter().any(|r| p.starts_with(r))
}

#[cfg(unix)]
fn identity(p: &Path) -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(p)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(p: &Path) -> io::Result<PathBuf> {
    fs::canonicalize(p)
}

#[cfg(unix)]
fn same_device_as_root(p: &Path) -> bool {
    match (identity(p), identity(Path::new("/"))) {
        (Ok((a, _)), Ok((b, _))) => a == b,
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_device_as_root(_: &Path) -> bool {
    false
}

fn not_mounted(m: &Path) -> MediaError {
    MediaError::Usage(Text::new(
        format!(
            "носитель {} не найден: он не подключён (нет точки монтирования). Ничего не записано ни на один носитель: подключите носитель и повторите; Letopis не создаёт корень носителя сам, чтобы не записать архив на системный диск",
            m.display()
        ),
        format!(
            "medium {} not found: it is not mounted. Nothing was written to any medium: connect the medium and run again; Letopis never creates a medium's root, so as not to write the archive to the system disk",
            m.display()
        ),
    ))
}

/// Makes sure `m` is a folder on a medium: it exists, or its parent does (then, with `create`, it
/// is made, one level only), and it is not an empty mount point on the system disk.
fn ensure(m: &Path, create: bool) -> Result<(), MediaError> {
    let abs = std::path::absolute(m).unwrap_or_else(|_| m.to_path_buf());
    match fs::metadata(&abs) {
        Ok(md) if md.is_dir() => {
            if under_mount_root(&abs) && same_device_as_root(&abs) {
                return Err(not_mounted(m));
            }
            Ok(())
        }
        Ok(_) => Err(MediaError::Usage(Text::new(
            format!("{} — файл, а не папка носителя", m.display()),
            format!("{} is a file, not a medium's folder", m.display()),
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = abs.parent().filter(|p| !p.as_os_str().is_empty());
            match parent {
                Some(p) if p.is_dir() && !(under_mount_root(&abs) && same_device_as_root(p)) => {
                    if !create {
                        return Ok(());
                    }
                    fs::create_dir(&abs).map_err(|e| MediaError::medium_io(m, m, &e, 0))
                }
                _ => Err(not_mounted(m)),
            }
        }
        Err(e) => Err(MediaError::medium_io(m, m, &e, 0)),
    }
}

/// Takes the medium's writer lock (making the lock file if needed).
pub fn lock(m: &Path) -> Result<Locked, MediaError> {
    let path = m.join(LOCK_FILE);
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| MediaError::medium_io(m, &path, &e, 0))?;
    match f.try_lock() {
        Ok(()) => Ok(Locked {
            medium: m.to_path_buf(),
            _lock: f,
        }),
        Err(fs::TryLockError::WouldBlock) => Err(MediaError::Refused(Text::new(
            format!(
                "на носитель {} уже пишет другая команда letopis (сборка или восстановление); дождитесь её окончания и повторите. Ничего не записано",
                m.display()
            ),
            format!(
                "another letopis command (a build or a repair) is writing to {}; wait for it to end and run again. Nothing was written",
                m.display()
            ),
        ))),
        Err(fs::TryLockError::Error(e)) => Err(MediaError::medium_io(m, &path, &e, 0)),
    }
}

/// Every medium exists (or is a new folder on a mounted one), none is given twice, each is locked
/// for writing. `Err` before anything is written to any medium.
pub fn prepare(media: &[PathBuf]) -> Result<Vec<Locked>, MediaError> {
    for m in media {
        ensure(m, false)?;
    }
    for m in media {
        ensure(m, true)?;
    }
    let mut seen = Vec::new();
    for m in media {
        let id = identity(m).map_err(|e| MediaError::medium_io(m, m, &e, 0))?;
        if let Some((first, _)) = seen.iter().find(|(_, i)| *i == id) {
            let first: &PathBuf = first;
            return Err(MediaError::Usage(Text::new(
                format!(
                    "{} и {} — один и тот же носитель (та же папка под другим именем или подключённая дважды); для хранения нужны два разных носителя. Ничего не записано",
                    first.display(),
                    m.display()
                ),
                format!(
                    "{} and {} are the same medium (one folder under two names, or mounted twice); keeping needs two different media. Nothing was written",
                    first.display(),
                    m.display()
                ),
            )));
        }
        seen.push((m.clone(), id));
    }
    media.iter().map(|m| lock(m)).collect()
}

/// Bytes free for this user on the medium holding `p` (`None` where unknown).
#[cfg(unix)]
pub fn free_bytes(p: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and statvfs buffer.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(not(unix))]
pub fn free_bytes(_: &Path) -> Option<u64> {
    None
}

/// The error for a medium without room for `need` bytes (checked before writing). `need` is
/// what is still to be written there: on the first medium, which holds the generated pages
/// already, the rest of the archive. Sizes as a clerk reads them, and how much more to free.
pub fn no_room(m: &Path, free: u64, need: u64) -> MediaError {
    use crate::l10n::{grouped, nouns::BYTE, size};
    use crate::model::Lang::{En, Ru};
    let short = need.saturating_sub(free);
    MediaError::Medium(Text::new(
        format!(
            "на носителе {} не хватает места: свободно {}, для записи архива нужно {}; освободите ещё не менее {} ({} {}) или возьмите другой носитель и повторите. Ничего не записано ни на один носитель",
            m.display(),
            size(Ru, free),
            size(Ru, need),
            size(Ru, short),
            grouped(short),
            BYTE.word(Ru, short),
        ),
        format!(
            "medium {} is too full: {} free, writing the archive needs {}; free at least {} more ({}) or use another medium and run again. Nothing was written to any medium",
            m.display(),
            size(En, free),
            size(En, need),
            size(En, short),
            BYTE.count(En, short),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_medium_without_room_is_told_in_sizes_and_how_much_more_to_free() {
        let t = no_room(Path::new("E:"), 3 << 20, (7 << 20) + 4);
        assert!(t.text().ru.contains("свободно 3,0 МБ"), "{}", t.text().ru);
        assert!(t.text().ru.contains("нужно 7,0 МБ"), "{}", t.text().ru);
        // 4 MB and 4 bytes short: the count agrees with its noun, in groups of three digits.
        assert!(
            t.text()
                .ru
                .contains("не менее 4,0 МБ (4\u{a0}194\u{a0}308 байт)"),
            "{}",
            t.text().ru
        );
        let t = no_room(Path::new("E:"), 0, 3);
        assert!(t.text().ru.contains("(3 байта)"), "{}", t.text().ru);
        assert!(t.text().en.contains("free at least 3 B more (3 bytes)"));
        assert!(!t.text().en.chars().any(|c| ('а'..='я').contains(&c)));
    }
}
