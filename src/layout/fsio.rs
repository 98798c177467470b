//! Durable file-system steps: syncing folders, atomic replacement of small files.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// The environment variable that turns the folder and file-system flushes and the dropping of
/// cached pages before reading back into no-ops, for test
/// suites that do not test durability (a sample build spends most of its wall time in `syncfs`
/// on a busy disk). Everything else — writing, hashing, reading back — is unchanged. Never set
/// it for a real archive: a power loss could then leave a copy that looks complete and is not.
pub const SKIP_SYNC_ENV: &str = "LETOPIS_TEST_SKIP_SYNC";

/// Whether [`SKIP_SYNC_ENV`] is set: flushes and cache drops (reading back from the device
/// rather than from memory) are skipped.
pub fn skip_sync() -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os(SKIP_SYNC_ENV).is_some_and(|v| v == "1"))
}

/// `fsync` on a folder, so a rename or a new entry in it survives a power loss.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    if skip_sync() {
        return Ok(());
    }
    File::open(dir)?.sync_all()
}

/// Flushes the whole file system holding `path` (`syncfs`): every file written to it is on the
/// device afterwards, and writeback errors (EIO, ENOSPC) are reported here.
pub fn sync_fs(path: &Path) -> io::Result<()> {
    if skip_sync() {
        return Ok(());
    }
    let dir = File::open(path)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    dir.sync_all()
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
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res
}
