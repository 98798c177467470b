//! Checking a zip of a bag without extracting it, against hostile zips.
//!
//! The central directory is read entry by entry by this module itself (the zip crate keys entries
//! by name, so a second entry of the same name would be invisible to it): every entry name is
//! looked at, and entries outside the archive's folder, absolute or `..` paths and duplicate names
//! are each reported by name. Payload entries are decompressed through a limit of their declared
//! size, so an entry that inflates further is reported, not read to the end; nothing but the
//! entries the manifests name is ever decompressed. Time and memory grow with the central
//! directory, never with what a hostile entry claims to hold.

use super::verify::{BagCheck, Problem, check_bagit_txt, load_manifest, oxum_check};
use crate::layout::{BAG_INFO_TXT, BAGIT_TXT, DATA, MANIFEST, TAGMANIFEST};
use crate::seal::bag;
use crate::seal::hash;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// One central-directory entry: its name as stored and its declared uncompressed size.
struct Entry {
    name: String,
    size: u64,
}

fn u16le(b: &[u8], at: usize) -> u64 {
    u16::from_le_bytes([b[at], b[at + 1]]) as u64
}
fn u32le(b: &[u8], at: usize) -> u64 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as u64
}
fn u64le(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads every entry of the central directory (ZIP64 included), in stored order.
fn central_directory(file: &mut File) -> io::Result<Vec<Entry>> {
    let len = file.metadata()?.len();
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0u8; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))?;
    file.read_exact(&mut tail)?;
    let eocd = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..i + 4] == *b"PK\x05\x06")
        .ok_or_else(|| bad("нет конца центрального каталога (не zip)"))?;
    let mut count = u16le(&tail, eocd + 10);
    let mut cd_size = u32le(&tail, eocd + 12);
    let mut cd_offset = u32le(&tail, eocd + 16);
    if (count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF)
        && eocd >= 20
        && tail[eocd - 20..eocd - 16] == *b"PK\x06\x07"
    {
        let at = u64le(&tail, eocd - 20 + 8);
        let mut rec = [0u8; 56];
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut rec)?;
        if rec[..4] != *b"PK\x06\x06" {
            return Err(bad("повреждена запись ZIP64"));
        }
        count = u64le(&rec, 32);
        cd_size = u64le(&rec, 40);
        cd_offset = u64le(&rec, 48);
    }
    if cd_offset.checked_add(cd_size).is_none_or(|end| end > len) {
        return Err(bad("центральный каталог выходит за конец файла"));
    }
    file.seek(SeekFrom::Start(cd_offset))?;
    let mut r = BufReader::with_capacity(1 << 16, Read::take(&mut *file, cd_size));
    let mut entries = Vec::with_capacity(count.min(1 << 20) as usize);
    let mut head = [0u8; 46];
    for _ in 0..count {
        r.read_exact(&mut head)?;
        if head[..4] != *b"PK\x01\x02" {
            return Err(bad("повреждён центральный каталог"));
        }
        let (name_len, extra_len, comment_len) = (
            u16le(&head, 28) as usize,
            u16le(&head, 30) as usize,
            u16le(&head, 32) as usize,
        );
        let mut var = vec![0u8; name_len + extra_len + comment_len];
        r.read_exact(&mut var)?;
        let mut size = u32le(&head, 24);
        if size == 0xFFFF_FFFF {
            // ZIP64 extended information: the uncompressed size comes first.
            let extra = &var[name_len..name_len + extra_len];
            let mut i = 0;
            while i + 4 <= extra.len() {
                let (id, n) = (u16le(extra, i), u16le(extra, i + 2) as usize);
                if id == 1 && n >= 8 && i + 12 <= extra.len() {
                    size = u64le(extra, i + 4);
                }
                i += 4 + n;
            }
        }
        entries.push(Entry {
            name: String::from_utf8_lossy(&var[..name_len]).into_owned(),
            size,
        });
    }
    Ok(entries)
}

/// An entry name that would land outside the folder it is extracted into.
fn unsafe_name(name: &str) -> bool {
    let n = name.trim_end_matches('/');
    n.is_empty()
        || n.starts_with('/')
        || n.contains('\\')
        || n.contains('\0')
        || n.as_bytes().get(1) == Some(&b':')
        || n.split('/').any(|c| c == ".." || c == "." || c.is_empty())
}

/// Checks a zip of a bag without extracting it: every entry named in the manifests is decompressed
/// and hashed in a stream; every other entry is reported; `<zip>.sha256`, when present, is checked
/// against the whole file.
pub fn verify_zip(path: &Path) -> BagCheck {
    let mut c = BagCheck::new(path, "zip");
    if let Err(e) = verify_zip_inner(path, &mut c) {
        c.problems.push(Problem::ZipError {
            error: e.to_string(),
        });
    }
    c.finish();
    c
}

fn verify_zip_inner(path: &Path, c: &mut BagCheck) -> Result<(), zip::result::ZipError> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        c.problems.push(Problem::Symlink {
            file: path.display().to_string(),
        });
        return Ok(());
    }
    check_sidecar(path, c)?;
    let mut file = File::open(path)?;
    hash::drop_cache(&file);
    let entries = central_directory(&mut file)?;
    let Some(prefix) = bag_root(&entries) else {
        c.problems.push(Problem::NotABag {
            reason: "в zip нет bagit.txt".into(),
        });
        return Ok(());
    };
    let sizes = entry_sizes(&entries, &prefix, c);
    let mut bag = ZipBag {
        zip: zip::ZipArchive::new(BufReader::with_capacity(hash::CHUNK, file))?,
        prefix,
        sizes,
    };
    if !check_bagit_txt(bag.read_text(BAGIT_TXT), c) {
        return Ok(());
    }
    let Some(manifest_text) = bag.read_text(MANIFEST) else {
        c.problems.push(Problem::NoManifest);
        return Ok(());
    };
    let manifest = load_manifest(&manifest_text, MANIFEST, c);
    let tagmanifest = match bag.read_text(TAGMANIFEST) {
        Some(t) => load_manifest(&t, TAGMANIFEST, c),
        None => {
            c.problems.push(Problem::Missing {
                file: TAGMANIFEST.into(),
            });
            bag::Manifest::new()
        }
    };
    let info = bag.read_text(BAG_INFO_TXT);
    for (name, expected) in &tagmanifest {
        bag.check(name, expected, false, c);
    }
    for (name, expected) in &manifest {
        if !name.starts_with("data/") || !crate::layout::is_safe_relative(name) {
            c.problems.push(Problem::UnsafeEntry {
                file: MANIFEST.into(),
                path: name.clone(),
            });
            continue;
        }
        bag.check(name, expected, true, c);
    }
    let (bytes, files) = extras(&bag.sizes, &manifest, &tagmanifest, c);
    oxum_check(info, bytes, files, c);
    Ok(())
}

/// `<zip>.sha256`, when present, checked against the whole file as read from the medium.
fn check_sidecar(path: &Path, c: &mut BagCheck) -> Result<(), zip::result::ZipError> {
    let sidecar = PathBuf::from(format!("{}.sha256", path.display()));
    if let Ok(t) = fs::read_to_string(&sidecar) {
        let expected = t
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let actual = hash::sha256_from_medium(path)?.0;
        if expected != actual {
            c.problems.push(Problem::ZipChecksum { expected, actual });
        }
    }
    Ok(())
}

/// The bag's root inside the zip: the folder holding the shallowest safe `bagit.txt`.
fn bag_root(entries: &[Entry]) -> Option<String> {
    entries
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| !unsafe_name(n) && (*n == BAGIT_TXT || n.ends_with("/bagit.txt")))
        .min_by_key(|n| n.matches('/').count())
        .map(|n| n[..n.len() - BAGIT_TXT.len()].to_string())
}

/// Every entry name judged (unsafe, outside the bag's folder, doubled: each a problem); the
/// declared size of each file of the bag, by its path inside the bag.
fn entry_sizes(entries: &[Entry], prefix: &str, c: &mut BagCheck) -> BTreeMap<String, u64> {
    let mut seen = BTreeSet::new();
    let mut doubled = BTreeSet::new();
    let mut sizes = BTreeMap::new();
    for e in entries {
        if !seen.insert(e.name.as_str()) {
            doubled.insert(e.name.clone());
        }
        if unsafe_name(&e.name) {
            c.problems.push(Problem::ZipUnsafePath {
                entry: e.name.clone(),
            });
        } else if !e.name.starts_with(prefix) {
            c.problems.push(Problem::ZipOutside {
                entry: e.name.clone(),
            });
        } else if !e.name.ends_with('/') {
            sizes.insert(e.name[prefix.len()..].to_string(), e.size);
        }
    }
    for d in doubled {
        c.problems.push(Problem::ZipDuplicate { entry: d });
    }
    sizes
}

/// Files of the zip that no manifest lists (each a problem); the payload's bytes and files as the
/// zip declares them, for the Payload-Oxum.
fn extras(
    sizes: &BTreeMap<String, u64>,
    manifest: &bag::Manifest,
    tagmanifest: &bag::Manifest,
    c: &mut BagCheck,
) -> (u64, u64) {
    let data_prefix = format!("{DATA}/");
    let (mut bytes, mut files) = (0u64, 0u64);
    for (rel, size) in sizes {
        if rel.starts_with(&data_prefix) {
            bytes += size;
            files += 1;
            if !manifest.contains_key(rel) {
                c.problems.push(Problem::Extra { file: rel.clone() });
            }
        } else if rel != TAGMANIFEST
            && rel != crate::seal::sign::SIGNATURE_FILE
            && !tagmanifest.contains_key(rel)
        {
            c.problems.push(Problem::Extra { file: rel.clone() });
        }
    }
    (bytes, files)
}

/// A bag inside a zip: its root folder and the declared size of each of its files.
struct ZipBag {
    zip: zip::ZipArchive<BufReader<File>>,
    prefix: String,
    sizes: BTreeMap<String, u64>,
}

impl ZipBag {
    /// A tag file's text, read no further than its declared size (and 64 MiB).
    fn read_text(&mut self, name: &str) -> Option<String> {
        let limit = *self.sizes.get(name)?;
        let f = self.zip.by_name(&format!("{}{name}", self.prefix)).ok()?;
        let mut s = String::new();
        f.take(limit.min(1 << 26)).read_to_string(&mut s).ok()?;
        Some(s)
    }

    /// Decompresses and hashes the entry `name` in a stream, never past its declared size, and
    /// compares it with `expected`; payload files are counted.
    fn check(&mut self, name: &str, expected: &str, payload: bool, c: &mut BagCheck) {
        let Some(&declared) = self.sizes.get(name) else {
            c.problems.push(Problem::Missing {
                file: name.to_string(),
            });
            return;
        };
        let entry = format!("{}{name}", self.prefix);
        let unreadable = |error: String| Problem::Unreadable {
            file: name.to_string(),
            error,
        };
        let f = match self.zip.by_name(&entry) {
            Ok(f) => f,
            Err(e) => return c.problems.push(unreadable(e.to_string())),
        };
        match hash::sha256_reader(f.take(declared.saturating_add(1))) {
            Ok((_, n)) if n > declared => c.problems.push(Problem::ZipOversize { entry, declared }),
            Ok((h, n)) => {
                if payload {
                    c.files += 1;
                    c.bytes += n;
                }
                if h != expected {
                    c.problems.push(Problem::Changed {
                        file: name.to_string(),
                    });
                }
            }
            Err(e) => c.problems.push(unreadable(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unsafe_names() {
        for n in ["/tmp/x", "../x", "a/../../x", "a\\b", "C:/x", "a//b", "./a"] {
            assert!(super::unsafe_name(n), "{n}");
        }
        for n in ["umc/data/a b.html", "umc/", "umc/data/"] {
            assert!(!super::unsafe_name(n), "{n}");
        }
    }
}
