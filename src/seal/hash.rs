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
pub fn sha256_reader(reader: impl Read) -> io::Result<(String, u64)> {
    sha256_into(reader, &mut vec![0u8; CHUNK])
}

/// As [`sha256_reader`], reading into `buf`.
fn sha256_into(reader: impl Read, buf: &mut [u8]) -> io::Result<(String, u64)> {
    digest_chunks(reader, buf, |_| Ok(())).map(|(d, n)| (hex(&d), n))
}

/// Reads `reader` to its end through `buf`, hashing every chunk and handing it to `each` (which
/// writes it elsewhere: a copy is read once): (SHA-256, byte count). The first error of either
/// stops it.
pub fn digest_chunks(
    mut reader: impl Read,
    buf: &mut [u8],
    mut each: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<([u8; 32], u64)> {
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    loop {
        let n = match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        each(&buf[..n])?;
        total += n as u64;
    }
    Ok((hasher.finalize().into(), total))
}

/// A read buffer for a file of `len` bytes: the file and one byte more, so its end is seen in
/// one read, at least 4 KB and at most [`CHUNK`]. A page is read without zeroing a megabyte
/// first, which over the tens of thousands of pages of a read back cost more than hashing them.
pub fn buffer_for(len: u64) -> Vec<u8> {
    let size = usize::try_from(len.saturating_add(1)).unwrap_or(CHUNK);
    vec![0u8; size.clamp(4096, CHUNK)]
}

/// Hashes an open file with a buffer the size of the file ([`buffer_for`]).
pub fn sha256_file(file: &File) -> io::Result<(String, u64)> {
    let len = file.metadata().map_or(CHUNK as u64, |m| m.len());
    sha256_into(file, &mut buffer_for(len))
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
    let out = sha256_file(&file)?;
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

    #[test]
    fn a_file_is_hashed_whole_whatever_its_size_against_the_buffer() {
        let dir = tempfile::tempdir().unwrap();
        for len in [
            0,
            1,
            4095,
            4096,
            4097,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 7,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            let want = (sha256_hex(&bytes), len as u64);
            assert_eq!(
                sha256_file(&File::open(&path).unwrap()).unwrap(),
                want,
                "{len}"
            );
            assert_eq!(sha256_from_medium(&path).unwrap(), want, "{len}");
        }
    }
}
