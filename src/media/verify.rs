//! `letopis verify`: checks a medium (every bag on it), a bag, or a zip of a bag without extracting
//! it. Every payload file is hashed as read from the medium (page cache dropped first), so a verify
//! run tests the medium, not memory. Missing, changed and extra files are reported by name.

use super::error::MediaError;
use super::log;
use crate::model::{Lang, Text};
use crate::seal::bag::{self, BAG_INFO_TXT, BAGIT_TXT, DATA, MANIFEST, TAGMANIFEST};
use crate::seal::hash;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

/// One thing wrong with a copy. Paths are bag-relative (`data/learners/l-001.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    NotABag {
        reason: String,
    },
    NoManifest,
    BadManifestLine {
        file: String,
        line: usize,
    },
    Missing {
        file: String,
    },
    Changed {
        file: String,
    },
    Extra {
        file: String,
    },
    Unreadable {
        file: String,
        error: String,
    },
    OxumMismatch {
        expected: String,
        actual: String,
    },
    ZipChecksum {
        expected: String,
        actual: String,
    },
    ZipError {
        error: String,
    },
    /// An unfinished archive left by an interrupted build (a warning: the next build removes it).
    Unfinished {
        folder: String,
    },
}

impl Problem {
    pub fn is_warning(&self) -> bool {
        matches!(self, Problem::Unfinished { .. })
    }

    pub fn text(&self, lang: Lang) -> String {
        let t = match self {
            Problem::NotABag { reason } => Text::new(
                format!("не архив BagIt: {reason}"),
                format!("not a BagIt bag: {reason}"),
            ),
            Problem::NoManifest => Text::new(
                "нет файла manifest-sha256.txt: проверить файлы невозможно",
                "no manifest-sha256.txt: the files cannot be checked",
            ),
            Problem::BadManifestLine { file, line } => Text::new(
                format!("{file}, строка {line}: строка не вида «<sha256>  <путь>»"),
                format!("{file}, line {line}: not of the form `<sha256>  <path>`"),
            ),
            Problem::Missing { file } => Text::new(
                format!("отсутствует файл: {file}"),
                format!("missing file: {file}"),
            ),
            Problem::Changed { file } => Text::new(
                format!("изменён файл (контрольная сумма не совпадает): {file}"),
                format!("changed file (checksum mismatch): {file}"),
            ),
            Problem::Extra { file } => Text::new(
                format!("лишний файл (нет в манифесте): {file}"),
                format!("extra file (not in the manifest): {file}"),
            ),
            Problem::Unreadable { file, error } => Text::new(
                format!("не читается файл {file}: {error}"),
                format!("cannot read file {file}: {error}"),
            ),
            Problem::OxumMismatch { expected, actual } => Text::new(
                format!("Payload-Oxum в bag-info.txt {expected}, а на носителе {actual}"),
                format!("Payload-Oxum in bag-info.txt is {expected}, found {actual}"),
            ),
            Problem::ZipChecksum { expected, actual } => Text::new(
                format!(
                    "контрольная сумма zip {actual} не совпадает с файлом .sha256 ({expected})"
                ),
                format!("zip checksum {actual} does not match its .sha256 file ({expected})"),
            ),
            Problem::ZipError { error } => Text::new(
                format!("zip не читается: {error}"),
                format!("cannot read the zip: {error}"),
            ),
            Problem::Unfinished { folder } => Text::new(
                format!(
                    "незавершённая запись {folder} (прерванная сборка); она не является архивом и будет удалена следующей сборкой"
                ),
                format!(
                    "unfinished write {folder} (an interrupted build); it is not an archive and the next build removes it"
                ),
            ),
        };
        t.get(lang).to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BagCheck {
    /// The bag folder or zip file checked.
    pub path: PathBuf,
    /// `bag`, `zip` or `medium` (a medium-level warning such as an unfinished write).
    pub kind: &'static str,
    /// Payload files and bytes read and hashed.
    pub files: u64,
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

impl BagCheck {
    pub fn ok(&self) -> bool {
        self.problems.iter().all(Problem::is_warning)
    }
    fn new(path: &Path, kind: &'static str) -> Self {
        BagCheck {
            path: path.to_path_buf(),
            kind,
            files: 0,
            bytes: 0,
            problems: Vec::new(),
        }
    }
}

/// What a path given to `verify` is.
pub enum Target {
    Bag(PathBuf),
    Zip(PathBuf),
    /// A medium and the bags on it (sorted), plus unfinished staging folders.
    Medium {
        medium: PathBuf,
        bags: Vec<PathBuf>,
        /// Zips written by `build --zip` / `pack` (with their `.sha256` beside them).
        zips: Vec<PathBuf>,
        unfinished: Vec<PathBuf>,
    },
}

pub fn classify(path: &Path) -> Result<Target, MediaError> {
    let md = fs::metadata(path).map_err(|e| {
        MediaError::Usage(Text::new(
            format!("{}: {e}", path.display()),
            format!("{}: {e}", path.display()),
        ))
    })?;
    if md.is_file() {
        return Ok(Target::Zip(path.to_path_buf()));
    }
    if path.join(BAGIT_TXT).is_file() {
        return Ok(Target::Bag(path.to_path_buf()));
    }
    let listing = crate::layout::Medium::new(path)
        .list()
        .map_err(|e| MediaError::medium_io(path, path, &e, 0))?;
    let bags: Vec<PathBuf> = listing
        .bags
        .iter()
        .map(|b| b.root().to_path_buf())
        .collect();
    // Zips of archives carry their `.sha256` beside them (build --zip, pack); other zips on a
    // stick are not ours to judge.
    let zips: Vec<PathBuf> = listing
        .zips
        .into_iter()
        .filter(|z| {
            let name = z.file_name().unwrap_or_default().to_string_lossy();
            ["sha256", "SHA256"]
                .iter()
                .any(|ext| z.with_file_name(format!("{name}.{ext}")).is_file())
        })
        .collect();
    let unfinished = listing.unfinished;
    if bags.is_empty() && zips.is_empty() && !unfinished.is_empty() {
        return Err(MediaError::Usage(Text::new(
            format!(
                "{}: архивов нет, есть только незавершённая запись {} (прерванная сборка); повторите сборку — она удалит эту папку",
                path.display(),
                unfinished[0].display()
            ),
            format!(
                "{}: no archives, only the unfinished write {} (an interrupted build); build again, it removes that folder",
                path.display(),
                unfinished[0].display()
            ),
        )));
    }
    // A Letopis medium (it has the event log) whose archives were all disposed of by acts is still
    // a medium: its kept acts are checked, and an empty list of archives is no error.
    let letopis_medium = path.join(log::LOG_FILE).is_file();
    if bags.is_empty() && zips.is_empty() && !letopis_medium {
        return Err(MediaError::Usage(Text::new(
            format!(
                "{}: здесь нет ни архива BagIt, ни архивов на носителе (папок с bagit.txt)",
                path.display()
            ),
            format!(
                "{}: neither a BagIt bag nor a medium with bags (folders with bagit.txt)",
                path.display()
            ),
        )));
    }
    Ok(Target::Medium {
        medium: path.to_path_buf(),
        bags,
        zips,
        unfinished,
    })
}

/// Checks every path (medium, bag or zip); appends a `verify` line to the log of each medium whose
/// bags were checked (a read-only medium gets a note instead).
pub fn verify_paths(paths: &[PathBuf]) -> Result<(Vec<BagCheck>, Vec<Text>), MediaError> {
    let targets: Vec<Target> = paths
        .iter()
        .map(|p| classify(p))
        .collect::<Result<_, _>>()?;
    let mut checks = Vec::new();
    let mut notes = Vec::new();
    for t in targets {
        match t {
            Target::Zip(z) => checks.push(verify_zip(&z)),
            Target::Bag(b) => {
                let c = verify_bag(&b);
                log_check(&c, &mut notes);
                checks.push(c);
            }
            Target::Medium {
                medium,
                bags,
                zips,
                unfinished,
            } => {
                for b in bags {
                    let c = verify_bag(&b);
                    log_check(&c, &mut notes);
                    checks.push(c);
                }
                for z in zips {
                    let c = verify_zip(&z);
                    log_check(&c, &mut notes);
                    checks.push(c);
                }
                if let Some(c) = verify_acts(&medium) {
                    checks.push(c);
                }
                for u in unfinished {
                    let mut c = BagCheck::new(&medium, "medium");
                    c.problems.push(Problem::Unfinished {
                        folder: u.display().to_string(),
                    });
                    checks.push(c);
                }
            }
        }
    }
    Ok((checks, notes))
}

/// The disposal acts kept on a medium (`acts/<name>` with `acts/<name>.sha256` in `sha256sum`
/// form): each is hashed against its `.sha256`. `None` when the medium keeps no acts.
fn verify_acts(medium: &Path) -> Option<BagCheck> {
    let dir = medium.join(crate::layout::ACTS_DIR);
    let rd = fs::read_dir(&dir).ok()?;
    let mut sums: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sha256"))
        .collect();
    sums.sort();
    let mut c = BagCheck::new(&dir, "acts");
    for sum in sums {
        let rel = |name: &str| format!("{}/{name}", crate::layout::ACTS_DIR);
        let text = match fs::read_to_string(&sum) {
            Ok(t) => t,
            Err(e) => {
                c.problems.push(Problem::Unreadable {
                    file: rel(&sum.file_name().unwrap_or_default().to_string_lossy()),
                    error: e.to_string(),
                });
                continue;
            }
        };
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let Some((hex, name)) = line.split_once("  ") else {
                c.problems.push(Problem::BadManifestLine {
                    file: rel(&sum.file_name().unwrap_or_default().to_string_lossy()),
                    line: i + 1,
                });
                continue;
            };
            let name = name.trim_start_matches('*');
            let file = dir.join(name);
            match hash::sha256_from_medium(&file) {
                Ok((actual, size)) => {
                    c.files += 1;
                    c.bytes += size;
                    if !actual.eq_ignore_ascii_case(hex.trim()) {
                        c.problems.push(Problem::Changed { file: rel(name) });
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    c.problems.push(Problem::Missing { file: rel(name) })
                }
                Err(e) => c.problems.push(Problem::Unreadable {
                    file: rel(name),
                    error: e.to_string(),
                }),
            }
        }
    }
    Some(c)
}

fn log_check(c: &BagCheck, notes: &mut Vec<Text>) {
    let abs = c.path.canonicalize().unwrap_or_else(|_| c.path.clone());
    let (Some(medium), Some(name)) = (abs.parent(), abs.file_name()) else {
        return;
    };
    let details = summary(c);
    let outcome = if c.ok() { "ok" } else { "failed" };
    if let Err(e) = log::append(medium, "verify", &name.to_string_lossy(), outcome, &details) {
        notes.push(super::write::log_note(medium, &e));
    }
}

/// `files=12 bytes=3456` plus the first problems, for the log.
pub fn summary(c: &BagCheck) -> String {
    let mut s = format!("files={} bytes={}", c.files, c.bytes);
    let real: Vec<&Problem> = c.problems.iter().filter(|p| !p.is_warning()).collect();
    if !real.is_empty() {
        s.push_str(&format!(" problems={}:", real.len()));
        for p in real.iter().take(5) {
            s.push(' ');
            s.push_str(&p.text(Lang::Ru));
            s.push(';');
        }
        if real.len() > 5 {
            s.push_str(" …");
        }
    }
    s
}

/// Reads and parses a manifest; `None` (with a problem recorded) when it cannot be read.
fn load_manifest(text: &str, name: &str, c: &mut BagCheck) -> bag::Manifest {
    let (m, bad) = bag::parse_manifest(text);
    for line in bad {
        c.problems.push(Problem::BadManifestLine {
            file: name.to_string(),
            line,
        });
    }
    m
}

fn oxum_check(info: Option<String>, bytes: u64, files: u64, c: &mut BagCheck) {
    let Some(info) = info else { return };
    if let Some((_, v)) = bag::parse_bag_info(&info)
        .into_iter()
        .find(|(l, _)| l.eq_ignore_ascii_case("Payload-Oxum"))
    {
        let actual = format!("{bytes}.{files}");
        if v != actual {
            c.problems.push(Problem::OxumMismatch {
                expected: v,
                actual,
            });
        }
    }
}

fn check_bagit_txt(text: Option<String>, c: &mut BagCheck) -> bool {
    match text {
        None => {
            c.problems.push(Problem::NotABag {
                reason: "нет файла bagit.txt".into(),
            });
            false
        }
        Some(t)
            if !t
                .trim_start_matches('\u{feff}')
                .starts_with("BagIt-Version:") =>
        {
            c.problems.push(Problem::NotABag {
                reason: "bagit.txt не начинается с BagIt-Version".into(),
            });
            false
        }
        Some(_) => true,
    }
}

/// Checks a bag folder: tag files against the tag manifest, every payload file against the
/// manifest (read from the medium), extra files under `data/`, Payload-Oxum.
pub fn verify_bag(dir: &Path) -> BagCheck {
    let mut c = BagCheck::new(dir, "bag");
    if !check_bagit_txt(fs::read_to_string(dir.join(BAGIT_TXT)).ok(), &mut c) {
        return c;
    }
    let Ok(manifest_text) = fs::read_to_string(dir.join(MANIFEST)) else {
        c.problems.push(Problem::NoManifest);
        return c;
    };
    let manifest = load_manifest(&manifest_text, MANIFEST, &mut c);
    if let Ok(t) = fs::read_to_string(dir.join(TAGMANIFEST)) {
        let tm = load_manifest(&t, TAGMANIFEST, &mut c);
        for (name, expected) in &tm {
            if !bag::is_safe_relative(name) {
                continue;
            }
            match hash::sha256_from_medium(&dir.join(name)) {
                Ok((h, _)) if &h == expected => {}
                Ok(_) => c.problems.push(Problem::Changed { file: name.clone() }),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    c.problems.push(Problem::Missing { file: name.clone() })
                }
                Err(e) => c.problems.push(Problem::Unreadable {
                    file: name.clone(),
                    error: e.to_string(),
                }),
            }
        }
    }

    // Everything on the medium under data/.
    let mut present: BTreeMap<String, u64> = BTreeMap::new();
    let data = dir.join(DATA);
    for entry in walkdir::WalkDir::new(&data).follow_links(true) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/");
                present.insert(rel, e.metadata().map(|m| m.len()).unwrap_or(0));
            }
            Ok(_) => {}
            Err(e)
                if e.io_error().map(|e| e.kind()) == Some(io::ErrorKind::NotFound)
                    && e.depth() == 0 => {}
            Err(e) => c.problems.push(Problem::Unreadable {
                file: e
                    .path()
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| DATA.to_string()),
                error: e.to_string(),
            }),
        }
    }

    let entries: Vec<(&String, &String)> = manifest.iter().collect();
    let results: Vec<(Option<Problem>, u64)> = entries
        .par_iter()
        .map(|(name, expected)| {
            if !bag::is_safe_relative(name) || !present.contains_key(name.as_str()) {
                return (
                    Some(Problem::Missing {
                        file: (*name).clone(),
                    }),
                    0,
                );
            }
            match hash::sha256_from_medium(&dir.join(name)) {
                Ok((h, n)) if &h == *expected => (None, n),
                Ok((_, n)) => (
                    Some(Problem::Changed {
                        file: (*name).clone(),
                    }),
                    n,
                ),
                Err(e) if e.kind() == io::ErrorKind::NotFound => (
                    Some(Problem::Missing {
                        file: (*name).clone(),
                    }),
                    0,
                ),
                Err(e) => (
                    Some(Problem::Unreadable {
                        file: (*name).clone(),
                        error: e.to_string(),
                    }),
                    0,
                ),
            }
        })
        .collect();
    for (p, n) in results {
        c.bytes += n;
        match p {
            Some(p @ Problem::Missing { .. }) => c.problems.push(p),
            Some(p) => {
                c.files += 1;
                c.problems.push(p);
            }
            None => c.files += 1,
        }
    }
    for name in present.keys() {
        if !manifest.contains_key(name) {
            c.problems.push(Problem::Extra { file: name.clone() });
        }
    }
    oxum_check(
        fs::read_to_string(dir.join(BAG_INFO_TXT)).ok(),
        present.values().sum(),
        present.len() as u64,
        &mut c,
    );
    c.problems.sort();
    c
}

/// Checks a zip of a bag without extracting it: every entry named in the manifests is decompressed
/// and hashed in a stream; extra entries under `data/` are reported; `<zip>.sha256`, when present,
/// is checked against the whole file.
pub fn verify_zip(path: &Path) -> BagCheck {
    let mut c = BagCheck::new(path, "zip");
    if let Err(e) = verify_zip_inner(path, &mut c) {
        c.problems.push(Problem::ZipError {
            error: e.to_string(),
        });
    }
    c.problems.sort();
    c
}

fn verify_zip_inner(path: &Path, c: &mut BagCheck) -> Result<(), zip::result::ZipError> {
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
    let file = File::open(path)?;
    hash::drop_cache(&file);
    let mut zip = zip::ZipArchive::new(BufReader::with_capacity(hash::CHUNK, file))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_string())
        .collect();
    // The bag's root inside the zip: the folder holding the shallowest bagit.txt.
    let Some(prefix) = names
        .iter()
        .filter(|n| *n == BAGIT_TXT || n.ends_with("/bagit.txt"))
        .min_by_key(|n| n.matches('/').count())
        .map(|n| n[..n.len() - BAGIT_TXT.len()].to_string())
    else {
        c.problems.push(Problem::NotABag {
            reason: "в zip нет bagit.txt".into(),
        });
        return Ok(());
    };
    let read_text = |zip: &mut zip::ZipArchive<BufReader<File>>, name: &str| -> Option<String> {
        let mut f = zip.by_name(&format!("{prefix}{name}")).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    if !check_bagit_txt(read_text(&mut zip, BAGIT_TXT), c) {
        return Ok(());
    }
    let Some(manifest_text) = read_text(&mut zip, MANIFEST) else {
        c.problems.push(Problem::NoManifest);
        return Ok(());
    };
    let manifest = load_manifest(&manifest_text, MANIFEST, c);
    let tagmanifest = read_text(&mut zip, TAGMANIFEST).map(|t| load_manifest(&t, TAGMANIFEST, c));
    let info = read_text(&mut zip, BAG_INFO_TXT);

    let check = |zip: &mut zip::ZipArchive<BufReader<File>>,
                 name: &str,
                 expected: &str,
                 payload: bool,
                 c: &mut BagCheck| {
        match zip.by_name(&format!("{prefix}{name}")) {
            Ok(f) => match hash::sha256_reader(f) {
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
                Err(e) => c.problems.push(Problem::Unreadable {
                    file: name.to_string(),
                    error: e.to_string(),
                }),
            },
            Err(zip::result::ZipError::FileNotFound) => c.problems.push(Problem::Missing {
                file: name.to_string(),
            }),
            Err(e) => c.problems.push(Problem::Unreadable {
                file: name.to_string(),
                error: e.to_string(),
            }),
        }
    };
    for (name, expected) in tagmanifest.iter().flatten() {
        check(&mut zip, name, expected, false, c);
    }
    for (name, expected) in &manifest {
        check(&mut zip, name, expected, true, c);
    }
    let data_prefix = format!("{prefix}{DATA}/");
    let mut seen = BTreeSet::new();
    let (mut bytes, mut files) = (0u64, 0u64);
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i)?;
        let name = f.name()?.to_string();
        if f.is_dir() || !name.starts_with(&data_prefix) {
            continue;
        }
        bytes += f.size();
        files += 1;
        let rel = name[prefix.len()..].to_string();
        if !manifest.contains_key(&rel) {
            seen.insert(rel);
        }
    }
    for rel in seen {
        c.problems.push(Problem::Extra { file: rel });
    }
    oxum_check(info, bytes, files, c);
    Ok(())
}
