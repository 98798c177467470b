//! Finding the archives to search: a medium (a folder holding archives), one archive (a bag folder
//! or its `data/` folder), or a zip of an archive; opening their tantivy indexes read-only.

use super::SearchError;
use super::query::{Searcher, splits_of_meta};
use crate::layout::paths::{INDEX_DIR, SEARCH_DIR};
use std::io::Read;
use std::path::{Path, PathBuf};
use tantivy::Directory;
use tantivy::directory::RamDirectory;

/// One archive's index, ready to query.
pub struct Archive {
    /// Where it is, as the user may open it: the bag folder, or `file.zip!prefix`.
    pub location: String,
    /// The folder that `page` paths of its results are relative to (`<bag>/data`), for folders.
    pub data_dir: Option<PathBuf>,
    pub period: String,
    pub searcher: Searcher,
}

fn is_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Every archive under `place`, newest period first (then by location).
pub fn archives(place: &Path) -> Result<Vec<Archive>, SearchError> {
    let meta = std::fs::metadata(place).map_err(|e| SearchError::io(place, e))?;
    let mut found = Vec::new();
    if meta.is_file() {
        found.extend(zip_archives(place)?);
    } else if is_index(&place.join("data").join(INDEX_DIR)) {
        found.push(dir_archive(place, &place.join("data"))?);
    } else if is_index(&place.join(INDEX_DIR)) {
        found.push(dir_archive(place, place)?);
    } else {
        // A medium: its archives from the one listing, without walking their files.
        let listing = crate::layout::Medium::new(place)
            .list()
            .map_err(|e| SearchError::io(place, e))?;
        for bag in &listing.bags {
            if is_index(&bag.payload(INDEX_DIR)) {
                found.push(dir_archive(bag.root(), &bag.data())?);
            }
        }
        for zip in &listing.zips {
            found.extend(zip_archives(zip)?);
        }
    }
    found.sort_by(|a, b| {
        b.period
            .cmp(&a.period)
            .then_with(|| a.location.cmp(&b.location))
    });
    Ok(found)
}

fn dir_archive(bag: &Path, data: &Path) -> Result<Archive, SearchError> {
    let searcher = Searcher::open_dir(&data.join(INDEX_DIR))?;
    Ok(Archive {
        location: bag.display().to_string(),
        data_dir: Some(data.to_path_buf()),
        period: searcher.period()?.unwrap_or_default(),
        searcher,
    })
}

/// The archives inside a zip: every `…data/index/meta.json` and the files beside it.
fn zip_archives(path: &Path) -> Result<Vec<Archive>, SearchError> {
    let file = std::fs::File::open(path).map_err(|e| SearchError::io(path, e))?;
    let bad = |e: zip::result::ZipError| SearchError::Index(format!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(bad)?;
    let marker = format!("data/{INDEX_DIR}/meta.json");
    let mut prefixes: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| *n == marker || n.ends_with(&format!("/{marker}")))
        .map(|n| n[..n.len() - "meta.json".len()].to_string())
        .collect();
    prefixes.sort();
    let mut out = Vec::new();
    for prefix in prefixes {
        let ram = RamDirectory::create();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(bad)?;
            let name = entry.name().map_err(bad)?.to_string();
            let Some(rel) = name.strip_prefix(&prefix) else {
                continue;
            };
            if rel.is_empty() || rel.contains('/') {
                continue;
            }
            // A hostile zip may declare or inflate to any size: the index is read only up to a
            // bound (its JSON files are small; segments of the largest periods are far below
            // 1 GiB), and an entry over it is refused rather than filling memory.
            let limit: u64 = if rel.ends_with(".json") {
                16 << 20
            } else {
                1 << 30
            };
            if entry.size() > limit {
                return Err(oversized(path, &name, entry.size()));
            }
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            (&mut entry)
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| SearchError::io(path, e))?;
            if bytes.len() as u64 > limit {
                return Err(oversized(path, &name, bytes.len() as u64));
            }
            ram.atomic_write(Path::new(rel), &bytes)
                .map_err(|e| SearchError::io(path, e))?;
        }
        let data_prefix = prefix.trim_end_matches('/');
        let data_prefix = data_prefix
            .strip_suffix(INDEX_DIR)
            .unwrap_or(data_prefix)
            .trim_end_matches('/');
        let mut meta = String::new();
        if let Ok(mut m) = zip.by_name(&format!("{data_prefix}/{SEARCH_DIR}/meta.js")) {
            (&mut m)
                .take(64 << 20)
                .read_to_string(&mut meta)
                .map_err(|e| SearchError::io(path, e))?;
        }
        let searcher = Searcher::open(
            tantivy::Index::open(super::readonly::ReadOnly(ram))?,
            splits_of_meta(&meta),
        )?;
        out.push(Archive {
            location: format!("{}!{}", path.display(), data_prefix),
            data_dir: None,
            period: searcher.period()?.unwrap_or_default(),
            searcher,
        });
    }
    Ok(out)
}

/// The group `name` as the archives spell it: found in any case and with or without its
/// separators (`пп-бу-25-1`, `ППБУ251` → `ПП-БУ-25-1`). `Err` with every group of the archives,
/// sorted, when none is.
pub fn resolve_group(found: &[Archive], name: &str) -> Result<String, Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    for a in found {
        all.extend(a.searcher.groups().unwrap_or_default());
    }
    all.sort();
    all.dedup();
    let key = super::text::words(name).concat();
    match all
        .iter()
        .find(|g| super::text::words(g).concat() == key && !key.is_empty())
    {
        Some(g) => Ok(g.clone()),
        None => Err(all),
    }
}

fn oversized(zip: &Path, entry: &str, size: u64) -> SearchError {
    SearchError::Index(format!(
        "{}: файл индекса {entry} слишком велик ({size} байт) для архива Letopis: zip повреждён или подделан; проверьте его командой letopis verify",
        zip.display()
    ))
}
