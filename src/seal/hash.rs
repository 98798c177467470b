//! SHA-256 helpers: streaming (never a whole file in memory) and reading back from the medium
//! rather than the page cache.

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Read/write chunk: large enough for hardware-speed hashing and sequential I/O.
pub const CHUNK: usize = 1 << 20;

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Hashes everything `reader` yields: (hex digest, byte count).
pub fn sha256_reader(mut reader: impl Read) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

/// Asks the kernel to drop the file's cached pages (`posix_fadvise(DONTNEED)`). Dirty pages are
/// not dropped, so call it after `sync_data`. Advisory: failure is ignored.
pub fn drop_cache(file: &File) {
    if crate::layout::fsio::skip_sync() {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; the call only gives advice about its pages.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Hashes a file as stored on its medium: its cached pages are dropped first, so the bytes come
/// from the device, not from memory; they are dropped again afterwards so a verify run does not
/// evict everything else from the cache.
pub fn sha256_from_medium(path: &Path) -> io::Result<(String, u64)> {
    let file = File::open(path)?;
    drop_cache(&file);
    let out = sha256_reader(&file)?;
    drop_cache(&file);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let (h, n) = sha256_reader(&b"abc"[..]).unwrap();
        assert_eq!((h.as_str(), n), (sha256_hex(b"abc").as_str(), 3));
    }
}
