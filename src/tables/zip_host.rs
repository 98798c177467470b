//! The same workbook bytes on every platform. The `zip` crate that `rust_xlsxwriter` writes with
//! records the platform in each central-directory entry's "version made by" (Unix 3 on Linux,
//! MS-DOS 0 on Windows), so a Windows build's `.xlsx` differed from Linux's by those bytes only.
//! [`set_dos_host`] rewrites them to MS-DOS, what Excel itself writes, in place: only the central
//! directory at the end of the file is read and written (ZIP64 included).

use std::fs::OpenOptions;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

const EOCD: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const CENTRAL: u32 = 0x0201_4b50;

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u16::from_le_bytes(
        b.get(i..i + 2)?.try_into().ok()?,
    )))
}
fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(
        b.get(i..i + 4)?.try_into().ok()?,
    )))
}
fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("zip: {what}"))
}

/// Sets the host system of every central-directory entry of the zip at `path` to MS-DOS (0).
pub fn set_dos_host(path: &Path) -> io::Result<()> {
    let mut f = OpenOptions::new().read(true).write(true).open(path)?;
    let len = f.metadata()?.len();
    // The end record is in the last 22 + 65,535 (comment) bytes; with ZIP64 its locator and
    // record come just before it.
    let tail_len = len.min(22 + 65_535 + 20 + 56);
    let tail_start = len - tail_len;
    let mut tail = vec![0u8; tail_len as usize];
    f.seek(SeekFrom::Start(tail_start))?;
    f.read_exact(&mut tail)?;
    let eocd = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(&tail, i) == Some(u64::from(EOCD)))
        .ok_or_else(|| bad("no end of central directory"))?;
    let mut cd_size = u32_at(&tail, eocd + 12).ok_or_else(|| bad("short end record"))?;
    let mut cd_start = u32_at(&tail, eocd + 16).ok_or_else(|| bad("short end record"))?;
    if (cd_size == 0xFFFF_FFFF || cd_start == 0xFFFF_FFFF)
        && eocd >= 20
        && u32_at(&tail, eocd - 20) == Some(u64::from(ZIP64_LOCATOR))
    {
        let rec = u64_at(&tail, eocd - 20 + 8).ok_or_else(|| bad("short ZIP64 locator"))?;
        let mut z = [0u8; 56];
        f.seek(SeekFrom::Start(rec))?;
        f.read_exact(&mut z)?;
        if u32_at(&z, 0) != Some(u64::from(ZIP64_EOCD)) {
            return Err(bad("no ZIP64 end record"));
        }
        cd_size = u64_at(&z, 40).ok_or_else(|| bad("short ZIP64 end record"))?;
        cd_start = u64_at(&z, 48).ok_or_else(|| bad("short ZIP64 end record"))?;
    }
    if cd_start.checked_add(cd_size).is_none_or(|end| end > len) {
        return Err(bad("central directory outside the file"));
    }
    let mut cd = vec![0u8; cd_size as usize];
    f.seek(SeekFrom::Start(cd_start))?;
    f.read_exact(&mut cd)?;
    let mut i = 0usize;
    while u32_at(&cd, i) == Some(u64::from(CENTRAL)) {
        cd[i + 5] = 0;
        let name = u16_at(&cd, i + 28).ok_or_else(|| bad("short entry"))?;
        let extra = u16_at(&cd, i + 30).ok_or_else(|| bad("short entry"))?;
        let comment = u16_at(&cd, i + 32).ok_or_else(|| bad("short entry"))?;
        i += 46 + (name + extra + comment) as usize;
    }
    f.seek(SeekFrom::Start(cd_start))?;
    f.write_all(&cd)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    #[test]
    fn every_entry_says_ms_dos_and_the_zip_still_reads() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("a.zip");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for (name, body) in [("a.xml", "<a/>"), ("папка/б.xml", "<б/>")] {
            z.start_file(name, opts).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.set_comment("комментарий").unwrap();
        z.finish().unwrap();
        super::set_dos_host(&path).unwrap();
        let mut r = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(r.len(), 2);
        for i in 0..r.len() {
            let mut s = String::new();
            r.by_index(i).unwrap().read_to_string(&mut s).unwrap();
            assert!(s.starts_with('<'));
        }
        let bytes = std::fs::read(&path).unwrap();
        let hosts: Vec<u8> = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == [0x50, 0x4b, 0x01, 0x02])
            .map(|(i, _)| bytes[i + 5])
            .collect();
        assert_eq!(hosts, [0, 0]);
        // Idempotent, and not a zip is an error, not a panic.
        let once = std::fs::read(&path).unwrap();
        super::set_dos_host(&path).unwrap();
        assert_eq!(once, std::fs::read(&path).unwrap());
        std::fs::write(&path, b"not a zip").unwrap();
        assert!(super::set_dos_host(&path).is_err());
    }
}
