//! Writing inside a bag without ever following a link: every folder is opened relative to the one
//! above it, refusing links (`openat` with `O_NOFOLLOW | O_DIRECTORY` on Unix), and files are
//! replaced by `renameat` inside that folder, which replaces a link itself rather than what it
//! points to. `repair` writes only through this, so a damaged copy whose folder was swapped for a
//! link cannot make it write into the place the link points to.
//!
//! On other systems the same calls check each step with `symlink_metadata` before using it (not
//! proof against a race, but never a link left in place).

use std::fs::File;
use std::io;
use std::path::Path;

/// What to do with a link found where a folder should be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Refuse with an error (`ELOOP`).
    Refuse,
    /// Remove the link (never its target) and make a real folder in its place.
    Replace,
}

fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::ELOOP) | Some(libc::ENOTDIR))
    }
    #[cfg(not(unix))]
    {
        e.kind() == io::ErrorKind::Other
    }
}

fn link_error(name: &str) -> io::Error {
    io::Error::other(format!("«{name}» — символическая ссылка, а не папка"))
}

#[cfg(unix)]
mod imp {
    use super::{Links, is_link_error, link_error};
    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    pub struct Dir(OwnedFd);

    fn cstr(s: &[u8]) -> io::Result<CString> {
        CString::new(s).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    }

    fn check(r: libc::c_int) -> io::Result<libc::c_int> {
        if r < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(r)
        }
    }

    const DIR_FLAGS: libc::c_int =
        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;

    impl Dir {
        /// Opens a folder; fails when the last component of `path` is a link.
        pub fn open(path: &Path) -> io::Result<Dir> {
            let p = cstr(path.as_os_str().as_bytes())?;
            // SAFETY: a valid C string; the descriptor returned is owned by the result.
            let fd = check(unsafe { libc::open(p.as_ptr(), DIR_FLAGS) })?;
            Ok(Dir(unsafe { OwnedFd::from_raw_fd(fd) }))
        }

        /// Opens (or makes) the sub-folder `name`, never through a link.
        pub fn sub(&self, name: &str, links: Links) -> io::Result<Dir> {
            let n = cstr(name.as_bytes())?;
            let open = || -> io::Result<Dir> {
                // SAFETY: a valid descriptor and C string.
                let fd = check(unsafe { libc::openat(self.0.as_raw_fd(), n.as_ptr(), DIR_FLAGS) })?;
                Ok(Dir(unsafe { OwnedFd::from_raw_fd(fd) }))
            };
            match open() {
                Ok(d) => Ok(d),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    // SAFETY: as above.
                    check(unsafe { libc::mkdirat(self.0.as_raw_fd(), n.as_ptr(), 0o755) })?;
                    open()
                }
                Err(e) if is_link_error(&e) && self.is_link(name)? => {
                    if links == Links::Refuse {
                        return Err(link_error(name));
                    }
                    self.unlink(name)?;
                    // SAFETY: as above.
                    check(unsafe { libc::mkdirat(self.0.as_raw_fd(), n.as_ptr(), 0o755) })?;
                    open()
                }
                Err(e) => Err(e),
            }
        }

        pub fn is_link(&self, name: &str) -> io::Result<bool> {
            let n = cstr(name.as_bytes())?;
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: a valid descriptor, C string and stat buffer.
            check(unsafe {
                libc::fstatat(
                    self.0.as_raw_fd(),
                    n.as_ptr(),
                    &mut st,
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            })?;
            Ok(st.st_mode & libc::S_IFMT == libc::S_IFLNK)
        }

        /// Makes a new file `name` here (an old one of that name is removed first); never a link.
        pub fn create(&self, name: &str) -> io::Result<File> {
            let _ = self.unlink(name);
            let n = cstr(name.as_bytes())?;
            let flags =
                libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
            // SAFETY: a valid descriptor and C string; the descriptor is owned by the File.
            let fd = check(unsafe { libc::openat(self.0.as_raw_fd(), n.as_ptr(), flags, 0o644) })?;
            Ok(unsafe { File::from_raw_fd(fd) })
        }

        /// Opens the file `name` here for reading, refusing a link.
        pub fn open_file(&self, name: &str) -> io::Result<File> {
            let n = cstr(name.as_bytes())?;
            let flags = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
            // SAFETY: as above.
            let fd = check(unsafe { libc::openat(self.0.as_raw_fd(), n.as_ptr(), flags) })?;
            Ok(unsafe { File::from_raw_fd(fd) })
        }

        /// Renames `from` to `to` inside this folder; a link at `to` is replaced, not followed.
        pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
            let (f, t) = (cstr(from.as_bytes())?, cstr(to.as_bytes())?);
            let fd = self.0.as_raw_fd();
            // SAFETY: valid descriptors and C strings.
            check(unsafe { libc::renameat(fd, f.as_ptr(), fd, t.as_ptr()) })?;
            Ok(())
        }

        /// Removes the file or link `name` (a link itself, never its target).
        pub fn unlink(&self, name: &str) -> io::Result<()> {
            let n = cstr(name.as_bytes())?;
            // SAFETY: as above.
            check(unsafe { libc::unlinkat(self.0.as_raw_fd(), n.as_ptr(), 0) })?;
            Ok(())
        }

        pub fn sync(&self) -> io::Result<()> {
            // SAFETY: a valid descriptor.
            check(unsafe { libc::fsync(self.0.as_raw_fd()) })?;
            Ok(())
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::{Links, link_error};
    use std::fs::{self, File, OpenOptions};
    use std::io;
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn open(path: &Path) -> io::Result<Dir> {
            if fs::symlink_metadata(path)?.file_type().is_symlink() {
                return Err(link_error(&path.display().to_string()));
            }
            Ok(Dir(path.to_path_buf()))
        }
        pub fn sub(&self, name: &str, links: Links) -> io::Result<Dir> {
            let p = self.0.join(name);
            match fs::symlink_metadata(&p) {
                Ok(m) if m.file_type().is_symlink() => {
                    if links == Links::Refuse {
                        return Err(link_error(name));
                    }
                    fs::remove_file(&p).or_else(|_| fs::remove_dir(&p))?;
                    fs::create_dir(&p)?;
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&p)?,
                Err(e) => return Err(e),
            }
            Ok(Dir(p))
        }
        pub fn is_link(&self, name: &str) -> io::Result<bool> {
            Ok(fs::symlink_metadata(self.0.join(name))?
                .file_type()
                .is_symlink())
        }
        pub fn create(&self, name: &str) -> io::Result<File> {
            let _ = fs::remove_file(self.0.join(name));
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.0.join(name))
        }
        pub fn open_file(&self, name: &str) -> io::Result<File> {
            if self.is_link(name)? {
                return Err(link_error(name));
            }
            File::open(self.0.join(name))
        }
        pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
            if self.is_link(to).unwrap_or(false) {
                fs::remove_file(self.0.join(to)).or_else(|_| fs::remove_dir(self.0.join(to)))?;
            }
            fs::rename(self.0.join(from), self.0.join(to))
        }
        pub fn unlink(&self, name: &str) -> io::Result<()> {
            fs::remove_file(self.0.join(name))
        }
        pub fn sync(&self) -> io::Result<()> {
            Ok(())
        }
    }
}

pub use imp::Dir;

/// Opens the folder of the bag-relative file `rel` (`data/files/a.pdf` → `data/files`) under the
/// bag folder `root`, making missing folders and, with [`Links::Replace`], replacing links met on
/// the way by real folders. Returns the folder and the file's own name.
pub fn parent_of<'a>(root: &Dir, rel: &'a str, links: Links) -> io::Result<(Dir, &'a str)> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    let mut dir = root.sub(".", Links::Refuse)?;
    for p in parts {
        dir = dir.sub(p, links)?;
    }
    Ok((dir, name))
}

/// Opens the bag-relative file `rel` for reading without following any link on the way.
pub fn open_file(root: &Path, rel: &str) -> io::Result<File> {
    let root = Dir::open(root)?;
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    let mut dir = root;
    for p in parts {
        dir = dir.sub_existing(p)?;
    }
    dir.open_file(name)
}

impl Dir {
    /// Opens an existing sub-folder, refusing a link and never making anything.
    pub fn sub_existing(&self, name: &str) -> io::Result<Dir> {
        if self.is_link(name)? {
            return Err(link_error(name));
        }
        self.sub(name, Links::Refuse)
    }
}
