//! The media a person can choose from: removable and other non-system drives on Windows (`E:\`),
//! mounted removable media on Linux (`/media/…`, `/run/media/…`, `/mnt/…`).

use std::path::PathBuf;

/// One drive or mount point that can hold archives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    pub path: PathBuf,
    /// The volume's label, when it has one.
    pub label: String,
    /// A removable drive (USB stick, card) rather than a fixed disk.
    pub removable: bool,
    /// Free bytes, when the system says.
    pub free: Option<u64>,
}

/// The drives on this computer that can be media, in the order the system lists them.
pub fn list() -> Vec<Drive> {
    imp::list()
}

#[cfg(windows)]
mod imp {
    use super::Drive;
    use std::path::PathBuf;
    use windows_sys::Win32::Storage::FileSystem::{
        GetDiskFreeSpaceExW, GetDriveTypeW, GetLogicalDrives, GetVolumeInformationW,
    };

    /// `GetDriveTypeW` answers (WinBase.h).
    const DRIVE_REMOVABLE: u32 = 2;
    const DRIVE_FIXED: u32 = 3;

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    pub fn list() -> Vec<Drive> {
        let system = std::env::var("SystemDrive")
            .unwrap_or_else(|_| "C:".into())
            .to_uppercase();
        // SAFETY: no arguments; a bit mask of drive letters.
        let mask = unsafe { GetLogicalDrives() };
        let mut out = Vec::new();
        for i in 0..26u32 {
            if mask & (1 << i) == 0 {
                continue;
            }
            let letter = char::from(b'A' + i as u8);
            let root = format!("{letter}:\\");
            if root.starts_with(&system) {
                continue;
            }
            let w = wide(&root);
            // SAFETY: a NUL-terminated wide string that lives through each call; the out
            // buffers and integers are ours and sized as passed.
            let kind = unsafe { GetDriveTypeW(w.as_ptr()) };
            if kind != DRIVE_REMOVABLE && kind != DRIVE_FIXED {
                continue;
            }
            let mut name = [0u16; 261];
            let ok = unsafe {
                GetVolumeInformationW(
                    w.as_ptr(),
                    name.as_mut_ptr(),
                    name.len() as u32,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    0,
                )
            };
            if ok == 0 {
                // No medium in the drive (an empty card reader).
                continue;
            }
            let len = name.iter().position(|&c| c == 0).unwrap_or(0);
            let mut free = 0u64;
            let got_free = unsafe {
                GetDiskFreeSpaceExW(
                    w.as_ptr(),
                    &mut free,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            out.push(Drive {
                path: PathBuf::from(root),
                label: String::from_utf16_lossy(&name[..len]),
                removable: kind == DRIVE_REMOVABLE,
                free: (got_free != 0).then_some(free),
            });
        }
        out
    }
}

#[cfg(unix)]
mod imp {
    use super::Drive;
    use std::path::{Path, PathBuf};

    /// Where desktops and administrators mount removable media.
    const PLACES: &[&str] = &["/media/", "/run/media/", "/mnt/"];

    /// `/proc/self/mounts` escapes spaces and tabs as `\040`, `\011`.
    fn unescape(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\'
                && i + 3 < b.len()
                && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
                && let Ok(v) = u8::try_from(
                    b[i + 1..i + 4]
                        .iter()
                        .fold(0u32, |n, c| n * 8 + u32::from(c - b'0')),
                )
            {
                out.push(v);
                i += 4;
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn free(path: &Path) -> Option<u64> {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        // SAFETY: a NUL-terminated path and a zeroed struct that statvfs fills.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
            return None;
        }
        Some(st.f_bavail as u64 * st.f_frsize as u64)
    }

    pub fn list() -> Vec<Drive> {
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        parse(&mounts)
            .into_iter()
            .map(|mut d| {
                d.free = free(&d.path);
                d
            })
            .collect()
    }

    /// The media among the lines of `/proc/self/mounts`.
    pub fn parse(mounts: &str) -> Vec<Drive> {
        let mut out: Vec<Drive> = Vec::new();
        for line in mounts.lines() {
            let mut f = line.split(' ');
            let (Some(_dev), Some(point), Some(_fs), Some(opts)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            // Read-only mounts (a CD, a locked card) cannot be media for a build.
            if opts.split(',').any(|o| o == "ro") {
                continue;
            }
            let point = unescape(point);
            if !PLACES.iter().any(|p| point.starts_with(p)) {
                continue;
            }
            let path = PathBuf::from(&point);
            if out.iter().any(|d| d.path == path) {
                continue;
            }
            out.push(Drive {
                label: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                removable: !point.starts_with("/mnt/"),
                free: None,
            });
        }
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn media_among_the_mounts() {
            let m = "/dev/sda1 / ext4 rw 0 0\n\
                     /dev/sdb1 /media/anna/ФЛЕШКА\\0401 vfat rw 0 0\n\
                     /dev/sdc1 /run/media/ivan/BACKUP exfat rw 0 0\n\
                     proc /proc proc rw 0 0\n\
                     /dev/sdd1 /mnt/archive ext4 rw 0 0\n\
                     /dev/sr0 /media/anna/DVD iso9660 ro,nosuid 0 0\n";
            let d = super::parse(m);
            let paths: Vec<String> = d.iter().map(|d| d.path.display().to_string()).collect();
            assert_eq!(
                paths,
                [
                    "/media/anna/ФЛЕШКА 1",
                    "/run/media/ivan/BACKUP",
                    "/mnt/archive"
                ]
            );
            assert_eq!(d[0].label, "ФЛЕШКА 1");
            assert!(d[0].removable && !d[2].removable);
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    pub fn list() -> Vec<super::Drive> {
        Vec::new()
    }
}
