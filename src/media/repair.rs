//! `letopis repair DAMAGED --from HEALTHY`: restores changed or missing files of one copy from the
//! other copy, taking only bytes that match the manifest; refuses when the two copies' manifests
//! differ; never touches a good file; extra files are reported and left alone.

use super::error::MediaError;
use super::verify::{self, BagCheck, Problem, Target};
use super::{log, safe};
use crate::layout::{MANIFEST, TAGMANIFEST};
use crate::model::Text;
use crate::seal::bag;
use crate::seal::hash::{self, CHUNK};
use crate::seal::sign;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize)]
pub struct RepairReport {
    pub damaged: PathBuf,
    pub healthy: PathBuf,
    /// Files restored from the healthy copy (bag-relative paths).
    pub restored: Vec<String>,
    /// Files that could not be restored, with the reason (Russian, English).
    pub failed: Vec<(String, Text)>,
    /// The damaged copy checked again afterwards (extra files are reported there, never deleted).
    pub after: BagCheck,
}

impl RepairReport {
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.after.ok()
    }
}

/// Pairs the bags to repair: two bags, or two media (bags matched by folder name). A damaged copy
/// that lost its `bagit.txt`, or a whole archive gone from the damaged medium, is repaired too.
pub fn repair_paths(damaged: &Path, healthy: &Path) -> Result<Vec<RepairReport>, MediaError> {
    let healthy_t = verify::classify(healthy)?;
    let pairs: Vec<(PathBuf, PathBuf)> = match &healthy_t {
        Target::Bag(h) if damaged.is_dir() && !damaged.join(crate::layout::LOG_FILE).is_file() => {
            vec![(damaged.to_path_buf(), h.clone())]
        }
        Target::Medium { bags: hb, .. } if damaged.is_dir() => {
            let Target::Medium { bags, links, .. } = verify::classify(damaged)? else {
                return Err(usage());
            };
            let mut v = Vec::new();
            let names: BTreeSet<_> = hb.iter().filter_map(|h| h.file_name()).collect();
            for d in bags.iter().chain(&links) {
                let name = d.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                if !names.contains(name.as_os_str()) {
                    return Err(MediaError::Refused(Text::new(
                        format!(
                            "на носителе {} нет архива {}: восстанавливать не из чего",
                            healthy.display(),
                            name.to_string_lossy()
                        ),
                        format!(
                            "medium {} has no archive {}: nothing to repair from",
                            healthy.display(),
                            name.to_string_lossy()
                        ),
                    )));
                }
            }
            for h in hb {
                let name = h.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                v.push((damaged.join(name), h.clone()));
            }
            v
        }
        _ => return Err(usage()),
    };
    // One writer per medium: the damaged copy's medium is locked while it is repaired.
    let medium = match &healthy_t {
        Target::Bag(_) => damaged
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        _ => damaged.to_path_buf(),
    };
    let _lock = super::medium::lock(&medium)?;
    let reports: Vec<RepairReport> = pairs
        .iter()
        .map(|(d, h)| repair_bag(d, h))
        .collect::<Result<_, _>>()?;
    if let Target::Medium { .. } = healthy_t {
        mend_index(damaged, healthy);
    }
    Ok(reports)
}

/// Whether a medium's `index.html` is a file that matches its `index.html.sha256`.
fn index_whole(medium: &Path) -> Option<String> {
    let index = medium.join(crate::layout::MEDIUM_INDEX);
    let meta = std::fs::symlink_metadata(&index).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let recorded = std::fs::read_to_string(medium.join(super::INDEX_SHA256)).ok()?;
    let recorded = recorded.split_whitespace().next()?.to_ascii_lowercase();
    let (h, _) = hash::sha256_from_medium(&index).ok()?;
    (h == recorded).then(|| std::fs::read_to_string(&index).ok())?
}

/// The medium's list of archives, once its archives are whole: the twin's page when it is whole
/// and both media hold the same archives (the same bytes `build` wrote to both), else made anew
/// from the archives on the medium, as `build` makes it. Logged either way.
fn mend_index(damaged: &Path, healthy: &Path) {
    if index_whole(damaged).is_some() {
        return;
    }
    let names = |m: &Path| {
        crate::layout::Medium::new(m)
            .list()
            .map(|l| l.bags.iter().map(|b| b.name()).collect::<Vec<_>>())
            .ok()
    };
    let html = match index_whole(healthy) {
        Some(h) if names(damaged) == names(healthy) => Ok(h),
        _ => crate::render::scan_medium(damaged)
            .and_then(|a| {
                let t = crate::render::Templates::load(None)?;
                crate::render::medium_index(&a, &t)
            })
            .map_err(|e| e.to_string()),
    };
    let done = html.and_then(|h| super::write_index(damaged, &h).map_err(|e| e.to_string()));
    let (outcome, details) = match &done {
        Ok(()) => ("ok", "index.html restored".to_string()),
        Err(e) => ("failed", format!("index.html not restored: {e}")),
    };
    let _ = log::append(
        damaged,
        "repair",
        crate::layout::MEDIUM_INDEX,
        outcome,
        &details,
    );
}

fn usage() -> MediaError {
    MediaError::Usage(Text::new(
        "укажите два архива (папки с bagit.txt) или два носителя; zip не восстанавливается — создайте его заново командой letopis pack",
        "give two bags (folders with bagit.txt) or two media; a zip is not repaired — make it again with letopis pack",
    ))
}

fn log_repair(damaged: &Path, outcome: &str, details: &str) {
    let abs = damaged
        .canonicalize()
        .unwrap_or_else(|_| damaged.to_path_buf());
    if let (Some(medium), Some(name)) = (abs.parent(), abs.file_name()) {
        let _ = log::append(medium, "repair", &name.to_string_lossy(), outcome, details);
    }
}

/// Whether a copy's tag files verify: its tag manifest is there in its sealed form, every tag
/// file it lists matches, and the payload manifest is in its sealed form. Returns the problems.
fn tag_problems(bag: &Path) -> Vec<Problem> {
    let c = verify::verify_bag(bag);
    let tags: Vec<Problem> = c
        .problems
        .into_iter()
        .filter(|p| match p {
            Problem::NotABag { .. }
            | Problem::NoManifest
            | Problem::NotCanonical { .. }
            | Problem::BadManifestLine { .. }
            | Problem::Uncovered { .. }
            | Problem::UnsafeEntry { .. }
            | Problem::BadSignature { .. } => true,
            Problem::Symlink { file } => file.as_str() == bag.display().to_string(),
            Problem::Missing { file }
            | Problem::Changed { file }
            | Problem::Unreadable { file, .. } => !file.starts_with("data/"),
            _ => false,
        })
        .collect();
    tags
}

fn refuse<T>(damaged: &Path, ru: String, en: String) -> Result<T, MediaError> {
    log_repair(damaged, "refused", &ru);
    Err(MediaError::Refused(Text::new(ru, en)))
}

fn list(problems: &[Problem], lang: crate::model::Lang) -> String {
    problems
        .iter()
        .take(5)
        .map(|p| p.text(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Repairs one bag from another copy of it: payload files and tag files alike, taken from the copy
/// whose tag files verify, written only through [`safe`] (never through a link of the damaged
/// copy; a link in place of a file or folder is replaced by the real one).
pub fn repair_bag(damaged: &Path, healthy: &Path) -> Result<RepairReport, MediaError> {
    let source_tm = source_tags(damaged, healthy)?;
    let order = restore_order(healthy, &source_tm);
    let root = open_damaged(damaged)?;
    let bad = to_restore(damaged, &root, &order);
    let mut restored = Vec::new();
    let mut failed = Vec::new();
    for (name, h) in bad {
        match restore_one(&root, name, &healthy.join(name), h) {
            Ok(()) => restored.push(name.clone()),
            Err(reason) => failed.push((name.clone(), reason)),
        }
    }
    let after = verify::verify_bag(damaged);
    log_outcome(damaged, healthy, &restored, &failed, &after);
    Ok(RepairReport {
        damaged: damaged.to_path_buf(),
        healthy: healthy.to_path_buf(),
        restored,
        failed,
        after,
    })
}

/// The source copy's tag manifest, when the source may be repaired from: its tag files verify, and
/// the damaged copy is not another archive whose own tags verify.
fn source_tags(damaged: &Path, healthy: &Path) -> Result<Vec<u8>, MediaError> {
    use crate::model::Lang;
    // The source must be whole in its tag files; then its manifests say what every file must be.
    let source_bad = tag_problems(healthy);
    if !source_bad.is_empty() {
        return refuse(
            damaged,
            format!(
                "служебные файлы копии-источника {} повреждены ({}): восстанавливать из неё нельзя. Если цела копия {}, восстановите наоборот: letopis repair {} --from {}",
                healthy.display(),
                list(&source_bad, Lang::Ru),
                damaged.display(),
                healthy.display(),
                damaged.display()
            ),
            format!(
                "the tag files of the source copy {} are damaged ({}): it cannot be used. If {} is whole, repair the other way: letopis repair {} --from {}",
                healthy.display(),
                list(&source_bad, Lang::En),
                damaged.display(),
                healthy.display(),
                damaged.display()
            ),
        );
    }
    let Ok(source_tm) = fs::read(healthy.join(TAGMANIFEST)) else {
        return refuse(
            damaged,
            format!("в {} нет {TAGMANIFEST}", healthy.display()),
            format!("{} has no {TAGMANIFEST}", healthy.display()),
        );
    };
    // A damaged copy whose own tags verify but differ is another archive (or one sealed again):
    // never overwritten.
    let damaged_tm = fs::read(damaged.join(TAGMANIFEST)).ok();
    if damaged_tm.as_ref() != Some(&source_tm) && tag_problems(damaged).is_empty() {
        return refuse(
            damaged,
            format!(
                "манифесты {} и {} различаются, а служебные файлы обеих копий целы: это не копии одного архива (или одна из них изменена и запечатана заново); восстановление отменено, ничего не изменено. Сравните копии: letopis verify {} {}",
                damaged.display(),
                healthy.display(),
                damaged.display(),
                healthy.display()
            ),
            format!(
                "the manifests of {} and {} differ and the tag files of both are whole: these are not copies of one archive (or one was altered and sealed again); nothing was changed. Compare them: letopis verify {} {}",
                damaged.display(),
                healthy.display(),
                damaged.display(),
                healthy.display()
            ),
        );
    }
    Ok(source_tm)
}

/// What the damaged copy must hold, in the order it is written: payload first, the tag files
/// after, the tag manifest last, so a copy interrupted half-way never has tags that verify over a
/// payload that does not.
fn restore_order(healthy: &Path, source_tm: &[u8]) -> Vec<(String, String)> {
    let manifest = fs::read(healthy.join(MANIFEST)).unwrap_or_default();
    let mut expected = bag::parse_manifest(&String::from_utf8_lossy(&manifest)).0;
    let tags = bag::parse_manifest(&String::from_utf8_lossy(source_tm)).0;
    expected.retain(|name, _| name.starts_with("data/") && crate::layout::is_safe_relative(name));
    let mut order: Vec<(String, String)> = expected.into_iter().collect();
    order.extend(
        tags.into_iter()
            .filter(|(n, _)| crate::layout::is_safe_relative(n) && !n.contains('/')),
    );
    if let Ok(sig) = fs::read(healthy.join(sign::SIGNATURE_FILE)) {
        order.push((sign::SIGNATURE_FILE.to_string(), hash::sha256_hex(&sig)));
    }
    order.push((TAGMANIFEST.to_string(), hash::sha256_hex(source_tm)));
    order
}

/// The damaged copy's folder, opened without following links; a whole archive gone from the
/// damaged medium is written anew (its folder made here).
fn open_damaged(damaged: &Path) -> Result<safe::Dir, MediaError> {
    if fs::symlink_metadata(damaged).is_err()
        && let Err(e) = fs::create_dir(damaged)
    {
        return Err(MediaError::medium_io(damaged, damaged, &e, 0));
    }
    match safe::Dir::open(damaged) {
        Ok(d) => Ok(d),
        Err(e) => refuse(
            damaged,
            format!(
                "{} нельзя открыть как папку архива ({e}); если это символическая ссылка, удалите её (не то, на что она указывает) и повторите: восстановление запишет архив заново",
                damaged.display()
            ),
            format!(
                "{} cannot be opened as an archive folder ({e}); if it is a symbolic link, delete the link (not what it points to) and repair again: the archive will be written anew",
                damaged.display()
            ),
        ),
    }
}

/// The files of `order` the damaged copy lacks or holds otherwise (read from the medium), after
/// removing the leftovers of an interrupted repair.
fn to_restore<'o>(
    damaged: &Path,
    root: &safe::Dir,
    order: &'o [(String, String)],
) -> Vec<&'o (String, String)> {
    let mut scratch = BagCheck::new(damaged, "bag");
    let tree = verify::walk(damaged, &mut scratch);
    for (name, _) in tree.files.iter().filter(|(n, _)| n.ends_with(TMP_SUFFIX)) {
        if let Ok((dir, file)) = safe::parent_of(root, name, safe::Links::Refuse) {
            let _ = dir.unlink(file);
        }
    }
    order
        .par_iter()
        .filter(|(name, h)| {
            !tree.files.contains_key(name)
                || match safe::open_file(damaged, name) {
                    Ok(f) => {
                        hash::drop_cache(&f);
                        hash::sha256_file(&f)
                            .map(|(got, _)| &got != h)
                            .unwrap_or(true)
                    }
                    Err(_) => true,
                }
        })
        .collect()
}

/// The repair's line in the medium's log.
fn log_outcome(
    damaged: &Path,
    healthy: &Path,
    restored: &[String],
    failed: &[(String, Text)],
    after: &BagCheck,
) {
    let outcome = if !failed.is_empty() || !after.ok() {
        "failed"
    } else if restored.is_empty() {
        "ok"
    } else {
        "repaired"
    };
    let mut details = format!("from={} restored={}", healthy.display(), restored.len());
    for r in restored.iter().take(10) {
        details.push(' ');
        details.push_str(r);
        details.push(';');
    }
    if !failed.is_empty() {
        details.push_str(&format!(" not-restored={}", failed.len()));
        for (f, why) in failed.iter().take(10) {
            details.push_str(&format!(" {f}: {};", why.ru));
        }
    }
    let extra = after
        .problems
        .iter()
        .filter(|p| matches!(p, Problem::Extra { .. }))
        .count();
    if extra > 0 {
        details.push_str(&format!(" extra-left={extra}"));
    }
    log_repair(damaged, outcome, &details);
}

/// Suffix of the temporary file a restored file is written to before it replaces the damaged one.
const TMP_SUFFIX: &str = ".letopis-repair";

/// Copies the healthy copy's file to a temporary file beside the damaged one (in the damaged copy,
/// opened without following links) while hashing; only when the hash is `expected` and the copy
/// reads back the same from the medium is it renamed over the damaged file (or link).
fn restore_one(root: &safe::Dir, rel: &str, src: &Path, expected: &str) -> Result<(), Text> {
    let io_text =
        |what: &str, e: io::Error| Text::new(format!("{what}: {e}"), format!("{what}: {e}"));
    let (dir, name) =
        safe::parent_of(root, rel, safe::Links::Replace).map_err(|e| io_text(rel, e))?;
    let tmp = format!(".{name}{TMP_SUFFIX}");
    let res = (|| -> Result<(), Text> {
        let mut input = File::open(src).map_err(|e| {
            Text::new(
                format!("во второй копии файла тоже нет ({e}); восстановите его из резервной копии вручную"),
                format!("the other copy lacks it too ({e}); restore it from a backup by hand"),
            )
        })?;
        hash::drop_cache(&input);
        let mut out = dir.create(&tmp).map_err(|e| io_text(&tmp, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_text(&src.display().to_string(), e)),
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| io_text(&tmp, e))?;
        }
        if hash::hex(&hasher.finalize()) != expected {
            return Err(Text::new(
                "в обеих копиях этот файл повреждён (не совпадает с манифестом): восстановить его не из чего; возьмите его из резервной копии или другого экземпляра архива",
                "this file is damaged in both copies (does not match the manifest): there is nothing to restore it from; take it from a backup or another copy of the archive",
            ));
        }
        out.sync_data().map_err(|e| io_text(&tmp, e))?;
        hash::drop_cache(&out);
        drop(out);
        let back = dir.open_file(&tmp).map_err(|e| io_text(&tmp, e))?;
        hash::drop_cache(&back);
        let (got, _) = hash::sha256_reader(back).map_err(|e| io_text(&tmp, e))?;
        if got != expected {
            return Err(Text::new(
                "восстановленный файл читается с носителя с ошибкой: носитель неисправен, замените его",
                "the restored file reads back wrong from the medium: the medium is faulty, replace it",
            ));
        }
        dir.rename(&tmp, name).map_err(|e| io_text(rel, e))?;
        dir.sync().map_err(|e| io_text(rel, e))
    })();
    if res.is_err() {
        let _ = dir.unlink(&tmp);
    }
    res
}
