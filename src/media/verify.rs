//! `letopis verify`: checks a medium (every bag on it), a bag, or a zip of a bag without extracting
//! it. Every payload file is hashed as read from the medium (page cache dropped first), so a verify
//! run tests the medium, not memory. Missing, changed and extra files are reported by name.

use super::error::MediaError;
use super::{compare, expected, log, zipcheck};
use crate::layout::{BAG_INFO_TXT, BAGIT_TXT, MANIFEST, README_TXT, TAGMANIFEST};
use crate::layout::{LOG_FILE, MEDIUM_INDEX};
use crate::model::{Lang, Text};
use crate::seal::bag;
use crate::seal::{hash, sign};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use super::zipcheck::verify_zip;

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
    /// A manifest line naming a path outside `data/` or with `..`, `/…`, `\\`.
    UnsafeEntry {
        file: String,
        path: String,
    },
    /// A manifest whose bytes are not the form it was sealed in (edited, a bit flipped).
    NotCanonical {
        file: String,
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
    /// A tag file that the tag manifest does not cover.
    Uncovered {
        file: String,
    },
    /// A symbolic link (or junction) where a file or folder of the archive should be.
    Symlink {
        file: String,
    },
    /// A device, pipe or socket inside the archive.
    NotRegular {
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
    /// The tag manifest's SHA-256 is not the one recorded at build (`source`: the log, `--digest`).
    RootMismatch {
        recorded: String,
        actual: String,
        source: String,
    },
    /// An archive the medium's log or index names, not on the medium.
    ArchiveMissing {
        name: String,
        known_from: String,
    },
    /// Two copies of one archive that are not the same archive: the files that differ.
    CopiesDiffer {
        other: String,
        files: Vec<String>,
        more: usize,
    },
    /// An archive on this medium that the other copy given lacks.
    AbsentOnTwin {
        name: String,
        other: String,
    },
    ZipChecksum {
        expected: String,
        actual: String,
    },
    ZipError {
        error: String,
    },
    ZipUnsafePath {
        entry: String,
    },
    ZipOutside {
        entry: String,
    },
    ZipDuplicate {
        entry: String,
    },
    ZipOversize {
        entry: String,
        declared: u64,
    },
    /// An unfinished archive left by an interrupted build (a warning: the next build removes it).
    Unfinished {
        folder: String,
    },
    /// The signature file is there but does not check (the bag was altered after signing).
    BadSignature {
        reason: String,
    },
    /// Signed by a key that `--trust` does not list.
    UntrustedSigner {
        fingerprint: String,
    },
    /// Not signed, though `--trust` asks for a trusted signature.
    Unsigned,
    /// More problems than are listed.
    More {
        count: usize,
    },
}

/// At most this many problems of one kind are listed per copy (a hostile zip can have millions);
/// every kind found is listed, so a few hostile names are never hidden behind many extra files.
pub const MAX_PER_KIND: usize = 200;

impl Problem {
    pub fn is_warning(&self) -> bool {
        matches!(self, Problem::Unfinished { .. })
    }

    pub fn text(&self, lang: Lang) -> String {
        let t = match self {
            Problem::NotABag { .. }
            | Problem::NoManifest
            | Problem::BadManifestLine { .. }
            | Problem::UnsafeEntry { .. }
            | Problem::NotCanonical { .. }
            | Problem::Missing { .. }
            | Problem::Changed { .. }
            | Problem::Extra { .. }
            | Problem::Uncovered { .. }
            | Problem::Symlink { .. }
            | Problem::NotRegular { .. }
            | Problem::Unreadable { .. }
            | Problem::OxumMismatch { .. } => self.bag_text(),
            Problem::RootMismatch { .. }
            | Problem::ArchiveMissing { .. }
            | Problem::CopiesDiffer { .. }
            | Problem::AbsentOnTwin { .. }
            | Problem::Unfinished { .. }
            | Problem::More { .. } => self.medium_text(),
            Problem::ZipChecksum { .. }
            | Problem::ZipError { .. }
            | Problem::ZipUnsafePath { .. }
            | Problem::ZipOutside { .. }
            | Problem::ZipDuplicate { .. }
            | Problem::ZipOversize { .. } => self.zip_text(),
            Problem::BadSignature { .. } | Problem::UntrustedSigner { .. } | Problem::Unsigned => {
                self.signature_text()
            }
        };
        t.get(lang).to_string()
    }

    /// The problems of a bag's manifests and files.
    fn bag_text(&self) -> Text {
        match self {
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
            Problem::UnsafeEntry { file, path } => Text::new(
                format!(
                    "{file}: недопустимый путь «{}» (вне папки архива)",
                    path.escape_debug()
                ),
                format!(
                    "{file}: unsafe path `{}` (outside the archive)",
                    path.escape_debug()
                ),
            ),
            Problem::NotCanonical { file } => Text::new(
                format!(
                    "{file} изменён после запечатывания (строки не в том виде, в каком записаны)"
                ),
                format!("{file} was altered after sealing (its lines are not as written)"),
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
                format!("лишний файл (нет в манифесте): {}", file.escape_debug()),
                format!("extra file (not in the manifest): {}", file.escape_debug()),
            ),
            Problem::Uncovered { file } => Text::new(
                format!("служебный файл {file} не записан в tagmanifest-sha256.txt"),
                format!("tag file {file} is not listed in tagmanifest-sha256.txt"),
            ),
            Problem::Symlink { file } => Text::new(
                format!(
                    "символическая ссылка вместо файла или папки архива: {}",
                    file.escape_debug()
                ),
                format!(
                    "a symbolic link instead of a file or folder of the archive: {}",
                    file.escape_debug()
                ),
            ),
            Problem::NotRegular { file } => Text::new(
                format!(
                    "не обычный файл (устройство, канал): {}",
                    file.escape_debug()
                ),
                format!("not a regular file (device, pipe): {}", file.escape_debug()),
            ),
            Problem::Unreadable { file, error } => Text::new(
                format!("не читается файл {file}: {error}"),
                format!("cannot read file {file}: {error}"),
            ),
            Problem::OxumMismatch { expected, actual } => Text::new(
                format!("Payload-Oxum в bag-info.txt {expected}, а на носителе {actual}"),
                format!("Payload-Oxum in bag-info.txt is {expected}, found {actual}"),
            ),
            other => Text::new(format!("{other:?}"), format!("{other:?}")),
        }
    }

    /// The problems of an archive among the others: its recorded root, its twin, the medium's list.
    fn medium_text(&self) -> Text {
        match self {
            Problem::RootMismatch {
                recorded,
                actual,
                source,
            } => Text::new(
                format!(
                    "SHA-256 файла tagmanifest-sha256.txt {actual}, а при записи было {recorded} ({source}): архив изменён и запечатан заново"
                ),
                format!(
                    "the SHA-256 of tagmanifest-sha256.txt is {actual}, but {recorded} was recorded at build ({source}): the archive was altered and sealed again"
                ),
            ),
            Problem::ArchiveMissing { name, known_from } => Text::new(
                format!("архив {name} пропал с носителя (он указан в {known_from})"),
                format!("archive {name} is gone from the medium (listed in {known_from})"),
            ),
            Problem::CopiesDiffer { other, files, more } => {
                let list = files.join(", ");
                let tail = if *more > 0 {
                    format!(" и ещё {more}")
                } else {
                    String::new()
                };
                let tail_en = if *more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                Text::new(
                    format!(
                        "копия {other} — не тот же архив: различаются {list}{tail}; одна из копий изменена и запечатана заново"
                    ),
                    format!(
                        "the copy {other} is not the same archive: {list}{tail_en} differ; one of the copies was altered and sealed again"
                    ),
                )
            }
            Problem::AbsentOnTwin { name, other } => Text::new(
                format!("архива {name} нет на {other}"),
                format!("archive {name} is not on {other}"),
            ),
            Problem::Unfinished { folder } => Text::new(
                format!(
                    "незавершённая запись {folder} (прерванная сборка); она не является архивом и будет удалена следующей сборкой"
                ),
                format!(
                    "unfinished write {folder} (an interrupted build); it is not an archive and the next build removes it"
                ),
            ),
            Problem::More { count } => Text::new(
                format!("… и ещё проблем: {count}"),
                format!("… and {count} more problems"),
            ),
            other => Text::new(format!("{other:?}"), format!("{other:?}")),
        }
    }

    /// The problems of a zipped bag.
    fn zip_text(&self) -> Text {
        match self {
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
            Problem::ZipUnsafePath { entry } => Text::new(
                format!(
                    "в zip запись с абсолютным путём или «..»: {}",
                    entry.escape_debug()
                ),
                format!(
                    "zip entry with an absolute or `..` path: {}",
                    entry.escape_debug()
                ),
            ),
            Problem::ZipOutside { entry } => Text::new(
                format!("в zip запись вне папки архива: {}", entry.escape_debug()),
                format!(
                    "zip entry outside the archive's folder: {}",
                    entry.escape_debug()
                ),
            ),
            Problem::ZipDuplicate { entry } => Text::new(
                format!(
                    "в zip две записи с одним именем (распаковщики возьмут разные): {}",
                    entry.escape_debug()
                ),
                format!(
                    "two zip entries of one name (unzip tools pick different ones): {}",
                    entry.escape_debug()
                ),
            ),
            Problem::ZipOversize { entry, declared } => Text::new(
                format!("запись zip {entry} распаковывается больше объявленных {declared} байт"),
                format!("zip entry {entry} inflates beyond its declared {declared} bytes"),
            ),
            other => Text::new(format!("{other:?}"), format!("{other:?}")),
        }
    }

    /// The problems of the signature.
    fn signature_text(&self) -> Text {
        match self {
            Problem::BadSignature { reason } => Text::new(
                format!("ПОДПИСЬ НЕВЕРНА: {reason}; архив изменён после подписания"),
                format!("BAD SIGNATURE: {reason}; the archive was altered after signing"),
            ),
            Problem::UntrustedSigner { fingerprint } => Text::new(
                format!(
                    "подписан ключом {fingerprint}, которого нет в списке доверенных (--trust): подпись не организации"
                ),
                format!(
                    "signed by key {fingerprint}, which is not in the trusted list (--trust): not the organisation's signature"
                ),
            ),
            Problem::Unsigned => Text::new(
                "архив не подписан, а проверка требует подписи доверенным ключом (--trust)",
                "the archive is not signed, but a trusted signature is required (--trust)",
            ),
            other => Text::new(format!("{other:?}"), format!("{other:?}")),
        }
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
    /// The bag's signature, when it was checked (bags only; `None` for zips and media).
    pub signature: Option<sign::Signature>,
}

impl BagCheck {
    pub fn ok(&self) -> bool {
        self.problems.iter().all(Problem::is_warning)
    }
    /// Sorts the problems and keeps the first [`MAX_PER_KIND`] of each kind.
    pub(crate) fn finish(&mut self) {
        self.problems.sort();
        self.problems.dedup();
        let mut more = 0;
        let mut kept = Vec::with_capacity(self.problems.len().min(4 * MAX_PER_KIND));
        let mut run = (None, 0usize);
        for p in std::mem::take(&mut self.problems) {
            if let Problem::More { count } = p {
                more += count;
                continue;
            }
            let kind = std::mem::discriminant(&p);
            if run.0 != Some(kind) {
                run = (Some(kind), 0);
            }
            run.1 += 1;
            if run.1 <= MAX_PER_KIND {
                kept.push(p);
            } else {
                more += 1;
            }
        }
        if more > 0 {
            kept.push(Problem::More { count: more });
        }
        self.problems = kept;
    }
    pub(crate) fn new(path: &Path, kind: &'static str) -> Self {
        BagCheck {
            path: path.to_path_buf(),
            kind,
            files: 0,
            bytes: 0,
            problems: Vec::new(),
            signature: None,
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
        /// Entries of the medium that are symbolic links to folders (an archive replaced by a link).
        links: Vec<PathBuf>,
    },
}

impl Target {
    fn path(&self) -> &Path {
        match self {
            Target::Bag(p) | Target::Zip(p) => p,
            Target::Medium { medium, .. } => medium,
        }
    }
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
    let links = listing.links;
    let letopis_medium = path.join(LOG_FILE).is_file() || path.join(MEDIUM_INDEX).is_file();
    if bags.is_empty() && zips.is_empty() && !unfinished.is_empty() && !letopis_medium {
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
    if bags.is_empty() && zips.is_empty() && links.is_empty() && !letopis_medium {
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
        links,
    })
}

/// What `verify` checks beyond the files.
#[derive(Debug, Default, Clone)]
pub struct VerifyOptions {
    /// Keys of an `allowed_signers` file: every bag must be signed by one of them.
    pub trust: Option<Vec<ssh_key::PublicKey>>,
    /// The SHA-256 of `tagmanifest-sha256.txt` from the paper act (`--digest`).
    pub digest: Option<String>,
}

/// Checks every path (medium, bag or zip); when two or more copies are given, also compares them
/// (`verify A B`). Appends a `verify` line to the log of each medium checked (a read-only medium
/// gets a note instead).
pub fn verify_paths(
    paths: &[PathBuf],
    opts: &VerifyOptions,
) -> Result<(Vec<BagCheck>, Vec<Text>), MediaError> {
    let targets: Vec<Target> = paths
        .iter()
        .map(|p| classify(p))
        .collect::<Result<_, _>>()?;
    let mut checks = Vec::new();
    let mut notes = Vec::new();
    for t in &targets {
        match t {
            Target::Zip(z) => {
                let c = zipcheck::verify_zip(z);
                log_check(&c, &mut notes);
                checks.push(c);
            }
            Target::Bag(b) => {
                let mut c = verify_bag(b);
                apply_options(b, opts, &mut c);
                log_check(&c, &mut notes);
                checks.push(c);
            }
            Target::Medium {
                medium,
                bags,
                zips,
                unfinished,
                links,
            } => {
                let expected = expected::expected_archives(medium);
                for b in bags {
                    let mut c = verify_bag(b);
                    let name = b.file_name().unwrap_or_default().to_string_lossy();
                    if let Some(root) = expected.get(name.as_ref()).and_then(|e| e.root.clone()) {
                        check_root(b, &root, LOG_FILE, &mut c);
                    }
                    apply_options(b, opts, &mut c);
                    log_check(&c, &mut notes);
                    checks.push(c);
                }
                for z in zips {
                    let c = zipcheck::verify_zip(z);
                    log_check(&c, &mut notes);
                    checks.push(c);
                }
                if let Some(c) = verify_acts(medium) {
                    checks.push(c);
                }
                let c = verify_medium(medium, bags, zips, unfinished, links, &expected);
                if !c.problems.is_empty() {
                    if !c.ok() {
                        log_medium(medium, "verify", "-", "failed", &summary(&c), &mut notes);
                    }
                    checks.push(c);
                }
            }
        }
    }
    let copies: Vec<&Target> = targets
        .iter()
        .filter(|t| !matches!(t, Target::Zip(_)))
        .collect();
    for (i, a) in copies.iter().enumerate() {
        for b in &copies[i + 1..] {
            for c in compare::compare(a.path(), b.path()) {
                log_compare(&c, &mut notes);
                checks.push(c);
            }
        }
    }
    Ok((checks, notes))
}

/// `--trust` and `--digest` applied to one bag's check.
fn apply_options(bag: &Path, opts: &VerifyOptions, c: &mut BagCheck) {
    if let Some(d) = &opts.digest {
        check_root(bag, d.trim(), "--digest", c);
    }
    if let Some(trusted) = &opts.trust {
        match &c.signature {
            Some(sign::Signature::Good { fingerprint, key }) => {
                if !sign::is_trusted(key, trusted) {
                    c.problems.push(Problem::UntrustedSigner {
                        fingerprint: fingerprint.clone(),
                    });
                }
            }
            Some(sign::Signature::Bad { .. }) => {}
            _ => c.problems.push(Problem::Unsigned),
        }
    }
    c.finish();
}

/// The tag manifest's SHA-256 against a recorded one (the log's `root=`, or `--digest`).
pub fn check_root(bag: &Path, recorded: &str, source: &str, c: &mut BagCheck) {
    if let Ok((actual, _)) = hash::sha256_from_medium(&bag.join(TAGMANIFEST))
        && !actual.eq_ignore_ascii_case(recorded)
    {
        c.problems.push(Problem::RootMismatch {
            recorded: recorded.to_ascii_lowercase(),
            actual,
            source: source.to_string(),
        });
        c.finish();
    }
}

/// What belongs to the medium itself: archives its log and index name are all there, none is a
/// link, its `index.html` matches `index.html.sha256`; unfinished writes are warnings.
fn verify_medium(
    medium: &Path,
    bags: &[PathBuf],
    zips: &[PathBuf],
    unfinished: &[PathBuf],
    links: &[PathBuf],
    expected: &BTreeMap<String, expected::Expected>,
) -> BagCheck {
    let mut c = BagCheck::new(medium, "medium");
    for u in unfinished {
        c.problems.push(Problem::Unfinished {
            folder: u.display().to_string(),
        });
    }
    let name_of = |p: &PathBuf| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    for l in links {
        c.problems.push(Problem::Symlink { file: name_of(l) });
    }
    let present: BTreeSet<String> = bags
        .iter()
        .chain(links)
        .map(name_of)
        .chain(
            zips.iter()
                .map(|z| name_of(z).trim_end_matches(".zip").to_string()),
        )
        .collect();
    for (name, e) in expected {
        if present.contains(name) {
            continue;
        }
        let known_from = match (e.in_log, e.in_index) {
            (true, true) => format!("{} и {MEDIUM_INDEX}", LOG_FILE),
            (true, false) => LOG_FILE.to_string(),
            _ => MEDIUM_INDEX.to_string(),
        };
        c.problems.push(Problem::ArchiveMissing {
            name: name.clone(),
            known_from,
        });
    }
    let index = medium.join(MEDIUM_INDEX);
    let sums = medium.join(super::INDEX_SHA256);
    match (fs::symlink_metadata(&index), fs::read_to_string(&sums)) {
        (Err(_), _) if !bags.is_empty() || !expected.is_empty() => {
            c.problems.push(Problem::Missing {
                file: MEDIUM_INDEX.into(),
            })
        }
        (Err(_), _) => {}
        (Ok(m), _) if m.file_type().is_symlink() => c.problems.push(Problem::Symlink {
            file: MEDIUM_INDEX.into(),
        }),
        // Media written before index.html was covered have no sidecar and no root digests in
        // their log: their page is not checked rather than reported missing.
        (Ok(_), Err(_)) if expected.values().all(|e| e.root.is_none()) => {}
        (Ok(_), Err(_)) => c.problems.push(Problem::Missing {
            file: super::INDEX_SHA256.into(),
        }),
        (Ok(_), Ok(t)) => {
            let recorded = t.split_whitespace().next().unwrap_or("");
            match hash::sha256_from_medium(&index) {
                Ok((h, _)) if h.eq_ignore_ascii_case(recorded) => {}
                Ok(_) => c.problems.push(Problem::Changed {
                    file: MEDIUM_INDEX.into(),
                }),
                Err(e) => c.problems.push(Problem::Unreadable {
                    file: MEDIUM_INDEX.into(),
                    error: e.to_string(),
                }),
            }
        }
    }
    c.finish();
    c
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
    let abs = std::path::absolute(&c.path).unwrap_or_else(|_| c.path.clone());
    let (Some(medium), Some(name)) = (abs.parent(), abs.file_name()) else {
        return;
    };
    let outcome = if c.ok() { "ok" } else { "failed" };
    log_medium(
        medium,
        "verify",
        &name.to_string_lossy(),
        outcome,
        &summary(c),
        notes,
    );
}

/// A comparison of two copies goes into the log of both media.
fn log_compare(c: &BagCheck, notes: &mut Vec<Text>) {
    let outcome = if c.ok() { "ok" } else { "failed" };
    let other = c.problems.iter().find_map(|p| match p {
        Problem::CopiesDiffer { other, .. } => Some(PathBuf::from(other)),
        _ => None,
    });
    for bag in std::iter::once(c.path.clone()).chain(other) {
        let abs = std::path::absolute(&bag).unwrap_or(bag);
        if let (Some(medium), Some(name)) = (abs.parent(), abs.file_name()) {
            let details = format!("{} {}", c.path.display(), summary(c));
            log_medium(
                medium,
                "compare",
                &name.to_string_lossy(),
                outcome,
                &details,
                notes,
            );
        }
    }
}

fn log_medium(
    medium: &Path,
    action: &str,
    archive: &str,
    outcome: &str,
    details: &str,
    notes: &mut Vec<Text>,
) {
    if !medium.join(LOG_FILE).is_file() {
        return;
    }
    if let Err(e) = log::append(medium, action, archive, outcome, details) {
        notes.push(super::write::log_note(medium, &e));
    }
}

/// `files=12 bytes=3456` plus the first problems, for the log.
pub fn summary(c: &BagCheck) -> String {
    let mut s = format!("files={} bytes={}", c.files, c.bytes);
    match &c.signature {
        Some(sign::Signature::Good { fingerprint, .. }) => {
            s.push_str(&format!(" signed-by={fingerprint}"))
        }
        Some(sign::Signature::Bad { .. }) => s.push_str(" signature=bad"),
        Some(sign::Signature::Unsigned) => s.push_str(" unsigned"),
        None => {}
    }
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
pub(crate) fn load_manifest(text: &str, name: &str, c: &mut BagCheck) -> bag::Manifest {
    let (m, bad) = bag::parse_manifest(text);
    for line in bad {
        c.problems.push(Problem::BadManifestLine {
            file: name.to_string(),
            line,
        });
    }
    m
}

pub(crate) fn oxum_check(info: Option<String>, bytes: u64, files: u64, c: &mut BagCheck) {
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

pub(crate) fn check_bagit_txt(text: Option<String>, c: &mut BagCheck) -> bool {
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

/// The files of a bag as they are on the medium, links never followed.
#[derive(Default)]
pub struct Tree {
    /// Regular files: bag-relative path → size.
    pub files: BTreeMap<String, u64>,
    /// Symbolic links (to files or folders), bag-relative.
    pub links: BTreeSet<String>,
}

impl Tree {
    /// Whether `path` lies under (or is) a link: its absence is already reported as the link.
    pub fn under_link(&self, path: &str) -> bool {
        let mut p = path;
        loop {
            if self.links.contains(p) {
                return true;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return false,
            }
        }
    }
}

/// Walks a bag without following links; links and special files become problems.
pub fn walk(dir: &Path, c: &mut BagCheck) -> Tree {
    let mut tree = Tree::default();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let rel_of = |p: &Path| {
            p.strip_prefix(dir)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/")
        };
        match entry {
            Ok(e) => {
                let rel = rel_of(e.path());
                let t = e.file_type();
                if t.is_symlink() {
                    c.problems.push(Problem::Symlink { file: rel.clone() });
                    tree.links.insert(rel);
                } else if t.is_file() {
                    tree.files
                        .insert(rel, e.metadata().map(|m| m.len()).unwrap_or(0));
                } else if !t.is_dir() {
                    c.problems.push(Problem::NotRegular { file: rel });
                }
            }
            Err(e) => c.problems.push(Problem::Unreadable {
                file: e.path().map(rel_of).unwrap_or_default(),
                error: e.to_string(),
            }),
        }
    }
    tree
}

/// The tag files Letopis writes into every bag besides the tag manifest itself.
pub const TAG_FILES: [&str; 4] = [BAGIT_TXT, BAG_INFO_TXT, MANIFEST, README_TXT];

/// Checks a bag folder strictly: it is exactly what its manifests list. Tag files against the tag
/// manifest, both manifests in the form they were sealed in, every payload file against the
/// manifest (read from the medium); extra files anywhere, links, special files; Payload-Oxum.
pub fn verify_bag(dir: &Path) -> BagCheck {
    let mut c = BagCheck::new(dir, "bag");
    verify_bag_into(dir, &mut c);
    c.finish();
    c
}

fn verify_bag_into(dir: &Path, c: &mut BagCheck) {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            c.problems.push(Problem::Symlink {
                file: dir.display().to_string(),
            });
            return;
        }
        Ok(_) => {}
        Err(e) => {
            c.problems.push(Problem::NotABag {
                reason: e.to_string(),
            });
            return;
        }
    }
    let tree = walk(dir, c);
    let read_tag = |name: &str| {
        tree.files
            .contains_key(name)
            .then(|| fs::read_to_string(dir.join(name)).ok())
            .flatten()
    };
    if !check_bagit_txt(read_tag(BAGIT_TXT), c) {
        return;
    }
    let Some(manifest_text) = read_tag(MANIFEST) else {
        c.problems.push(Problem::NoManifest);
        return;
    };
    let manifest = load_manifest(&manifest_text, MANIFEST, c);
    if bag::canonical_manifest(&manifest) != manifest_text {
        c.problems.push(Problem::NotCanonical {
            file: MANIFEST.into(),
        });
    }
    let tagmanifest = load_tagmanifest(read_tag(TAGMANIFEST), &tree, c);
    check_tag_files(dir, &tree, &tagmanifest, c);
    check_payload(dir, &tree, &manifest, c);
    let (bytes, files) = extra_files(&tree, &manifest, &tagmanifest, c);
    let info = read_tag(BAG_INFO_TXT);
    c.signature = Some(check_signature(dir, &tree, info.as_deref(), c));
    oxum_check(info, bytes, files, c);
}

/// The tag manifest, in the form it was sealed in; missing (unless behind a link) is a problem.
fn load_tagmanifest(text: Option<String>, tree: &Tree, c: &mut BagCheck) -> bag::Manifest {
    match text {
        Some(t) => {
            let tm = load_manifest(&t, TAGMANIFEST, c);
            if bag::canonical_manifest(&tm) != t {
                c.problems.push(Problem::NotCanonical {
                    file: TAGMANIFEST.into(),
                });
            }
            tm
        }
        None => {
            if !tree.links.contains(TAGMANIFEST) {
                c.problems.push(Problem::Missing {
                    file: TAGMANIFEST.into(),
                });
            }
            bag::Manifest::new()
        }
    }
}

/// Every tag file against the tag manifest, read from the medium; the tag files it must cover.
fn check_tag_files(dir: &Path, tree: &Tree, tagmanifest: &bag::Manifest, c: &mut BagCheck) {
    for (name, expected) in tagmanifest {
        if !crate::layout::is_safe_relative(name)
            || name.starts_with("data/")
            || name == TAGMANIFEST
        {
            c.problems.push(Problem::UnsafeEntry {
                file: TAGMANIFEST.into(),
                path: name.clone(),
            });
            continue;
        }
        if !tree.files.contains_key(name) {
            if !tree.under_link(name) {
                c.problems.push(Problem::Missing { file: name.clone() });
            }
            continue;
        }
        match hash::sha256_from_medium(&dir.join(name)) {
            Ok((h, _)) if &h == expected => {}
            Ok(_) => c.problems.push(Problem::Changed { file: name.clone() }),
            Err(e) => c.problems.push(Problem::Unreadable {
                file: name.clone(),
                error: e.to_string(),
            }),
        }
    }
    for name in TAG_FILES {
        if !tagmanifest.contains_key(name) && !tagmanifest.is_empty() {
            if tree.files.contains_key(name) {
                c.problems.push(Problem::Uncovered { file: name.into() });
            } else if !tree.under_link(name) {
                c.problems.push(Problem::Missing { file: name.into() });
            }
        }
    }
}

/// Every payload file against the manifest, read from the medium, on every core.
fn check_payload(dir: &Path, tree: &Tree, manifest: &bag::Manifest, c: &mut BagCheck) {
    let entries: Vec<(&String, &String)> = manifest.iter().collect();
    let results: Vec<(Option<Problem>, u64)> = entries
        .par_iter()
        .map(|(name, expected)| check_payload_file(dir, tree, name, expected))
        .collect();
    for (p, n) in results {
        c.bytes += n;
        match p {
            Some(p @ (Problem::Missing { .. } | Problem::UnsafeEntry { .. })) => c.problems.push(p),
            Some(p) => {
                c.files += 1;
                c.problems.push(p);
            }
            None => c.files += 1,
        }
    }
}

/// One payload file of the manifest: its problem, if any, and the bytes read.
fn check_payload_file(
    dir: &Path,
    tree: &Tree,
    name: &str,
    expected: &str,
) -> (Option<Problem>, u64) {
    let name = name.to_string();
    if !name.starts_with("data/") || !crate::layout::is_safe_relative(&name) {
        return (
            Some(Problem::UnsafeEntry {
                file: MANIFEST.into(),
                path: name,
            }),
            0,
        );
    }
    if !tree.files.contains_key(&name) {
        let p = (!tree.under_link(&name)).then_some(Problem::Missing { file: name });
        return (p, 0);
    }
    match hash::sha256_from_medium(&dir.join(&name)) {
        Ok((h, n)) if h == expected => (None, n),
        Ok((_, n)) => (Some(Problem::Changed { file: name }), n),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Some(Problem::Missing { file: name }), 0),
        Err(e) => (
            Some(Problem::Unreadable {
                file: name,
                error: e.to_string(),
            }),
            0,
        ),
    }
}

/// Files of the bag that no manifest lists; the payload's bytes and files on the medium, for the
/// Payload-Oxum.
fn extra_files(
    tree: &Tree,
    manifest: &bag::Manifest,
    tagmanifest: &bag::Manifest,
    c: &mut BagCheck,
) -> (u64, u64) {
    let (mut bytes, mut files) = (0u64, 0u64);
    for (name, size) in &tree.files {
        if name.starts_with("data/") {
            bytes += size;
            files += 1;
            if !manifest.contains_key(name) {
                c.problems.push(Problem::Extra { file: name.clone() });
            }
        } else if name != TAGMANIFEST
            && name != sign::SIGNATURE_FILE
            && !tagmanifest.contains_key(name)
            && !TAG_FILES.contains(&name.as_str())
        {
            c.problems.push(Problem::Extra { file: name.clone() });
        }
    }
    (bytes, files)
}

/// The bag's SSHSIG signature over its tag manifest, against the key `bag-info.txt` names.
fn check_signature(
    dir: &Path,
    tree: &Tree,
    info: Option<&str>,
    c: &mut BagCheck,
) -> sign::Signature {
    let declared = info.and_then(|t| {
        bag::parse_bag_info(t)
            .into_iter()
            .find(|(l, _)| l.eq_ignore_ascii_case("Letopis-Signing-Key"))
            .map(|(_, v)| v)
    });
    let sig = tree
        .files
        .contains_key(sign::SIGNATURE_FILE)
        .then(|| fs::read_to_string(dir.join(sign::SIGNATURE_FILE)).ok())
        .flatten();
    let tm = fs::read(dir.join(TAGMANIFEST)).ok();
    let status = match (sig, tm) {
        (Some(sig), Some(tm)) => sign::check(&tm, &sig, declared.as_deref()),
        (None, _) if declared.is_some() => sign::Signature::Bad {
            reason: format!(
                "bag-info.txt называет ключ подписи, а файла {} нет",
                sign::SIGNATURE_FILE
            ),
        },
        (Some(_), None) => sign::Signature::Bad {
            reason: "нет tagmanifest-sha256.txt".into(),
        },
        _ => sign::Signature::Unsigned,
    };
    if let sign::Signature::Bad { reason } = &status {
        c.problems.push(Problem::BadSignature {
            reason: reason.clone(),
        });
    }
    status
}
