//! Durable file-system steps: syncing folders, atomic replacement of small files, and which
//! device a folder is on. The platform differences of the media stage live here.
//!
//! - Linux: `fsync` on a folder's descriptor, `syncfs` for a whole medium, `st_dev` for the device.
//! - Windows: a folder can only be opened with `FILE_FLAG_BACKUP_SEMANTICS`; it is flushed with
//!   `FlushFileBuffers` (what `File::sync_all` calls). A whole volume can only be flushed by an
//!   administrator, so a medium is made durable file by file. The device is the volume serial
//!   number from `GetFileInformationByHandle`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// The environment variable that turns the folder and file-system flushes and the dropping of
/// cached pages before reading back into no-ops, for test suites that do not test durability.
/// Everything else — writing, hashing, reading back — is unchanged. Never set it for a real
/// archive: a power loss could then leave a copy that looks complete and is not.
pub const SKIP_SYNC_ENV: &str = "LETOPIS_TEST_SKIP_SYNC";

/// Whether [`SKIP_SYNC_ENV`] is set: flushes and cache drops (reading back from the device
/// rather than from memory) are skipped.
pub fn skip_sync() -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os(SKIP_SYNC_ENV).is_some_and(|v| v == "1"))
}

/// Opens a folder so that it can be synced (and its volume asked about).
fn open_dir(dir: &Path, write: bool) -> io::Result<File> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        use windows_sys::Win32::Storage::FileSystem::FILE_FLAG_BACKUP_SEMANTICS;
        OpenOptions::new()
            .read(true)
            .write(write)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(dir)
    }
    #[cfg(not(windows))]
    {
        let _ = write;
        OpenOptions::new().read(true).open(dir)
    }
}

/// `fsync` on a folder, so a rename or a new entry in it survives a power loss.
///
/// On Windows the folder's handle is flushed with `FlushFileBuffers`. File systems that cannot
/// flush a folder handle (FAT, exFAT on some versions answer "access denied" or "invalid
/// function") keep their folder entries with the files' own flushes, so that answer is not an
/// error there.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    if skip_sync() {
        return Ok(());
    }
    #[cfg(windows)]
    {
        match open_dir(dir, true).and_then(|d| d.sync_all()) {
            Ok(()) => Ok(()),
            Err(e) if dir_flush_unsupported(&e) && dir.is_dir() => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(windows))]
    open_dir(dir, false)?.sync_all()
}

/// Windows: the answers of a file system that does not flush folder handles.
#[cfg(windows)]
fn dir_flush_unsupported(e: &io::Error) -> bool {
    use windows_sys::Win32::Foundation::{ERROR_ACCESS_DENIED, ERROR_INVALID_FUNCTION};
    matches!(e.raw_os_error(), Some(c) if c == ERROR_ACCESS_DENIED as i32 || c == ERROR_INVALID_FUNCTION as i32)
}

/// Flushes everything written under `path` to its device, reporting writeback errors (EIO,
/// ENOSPC) here.
///
/// Linux: one `syncfs` on the file system holding `path`. Elsewhere: every file and folder under
/// `path` is flushed on its own (Windows flushes a whole volume only for administrators).
pub fn sync_fs(path: &Path) -> io::Result<()> {
    if skip_sync() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = open_dir(path, false)?;
        // SAFETY: a valid open descriptor.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(path) {
            let entry = entry.map_err(io::Error::from)?;
            if entry.file_type().is_dir() {
                dirs.push(entry.into_path());
            } else if entry.file_type().is_file() {
                OpenOptions::new()
                    .write(true)
                    .open(entry.path())?
                    .sync_all()?;
            }
        }
        // Deepest folders first, so each folder's entries are durable before its parent's.
        for d in dirs.iter().rev() {
            sync_dir(d)?;
        }
        Ok(())
    }
}

/// An identifier of the device (Unix) or volume (Windows) holding `path`: two folders with the
/// same identifier are on one medium. Windows: the volume serial number.
pub fn device_id(path: &Path) -> io::Result<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(fs::metadata(path)?.dev())
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsRawHandle;
        use windows_sys::Win32::Storage::FileSystem::{
            BY_HANDLE_FILE_INFORMATION, GetFileInformationByHandle,
        };
        let f = if fs::metadata(path)?.is_dir() {
            open_dir(path, false)?
        } else {
            File::open(path)?
        };
        // SAFETY: a zeroed plain-data struct filled by the call; the handle is open for the call.
        let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
        if unsafe { GetFileInformationByHandle(f.as_raw_handle() as _, &mut info) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(u64::from(info.dwVolumeSerialNumber))
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced, renamed over it, the
/// folder synced. Readers see the old file or the new one, never a half-written one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.letopis-tmp"));
    let res = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_sync_and_share_a_device() {
        let t = tempfile::tempdir().unwrap();
        let a = t.path().join("a");
        fs::create_dir_all(a.join("b")).unwrap();
        fs::write(a.join("b/f.txt"), b"x").unwrap();
        sync_dir(&a).unwrap();
        sync_fs(&a).unwrap();
        assert_eq!(device_id(&a).unwrap(), device_id(&a.join("b")).unwrap());
        write_atomic(&a.join("i.html"), b"<p>").unwrap();
        assert_eq!(fs::read(a.join("i.html")).unwrap(), b"<p>");
        assert!(device_id(&t.path().join("missing")).is_err());
    }
}
