//! `letopis repair DAMAGED --from HEALTHY`: restores changed or missing files of one copy from the
//! other copy, taking only bytes that match the manifest; refuses when the two copies' manifests
//! differ; never touches a good file; extra files are reported and left alone.

use super::error::MediaError;
use super::verify::{self, BagCheck, Problem, Target};
use super::{fsio, log};
use crate::model::Text;
use crate::seal::bag::{self, MANIFEST, TAGMANIFEST};
use crate::seal::hash::{self, CHUNK};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
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

/// Pairs the bags to repair: two bags, or two media (bags matched by folder name).
pub fn repair_paths(damaged: &Path, healthy: &Path) -> Result<Vec<RepairReport>, MediaError> {
    let pairs: Vec<(PathBuf, PathBuf)> = match (
        verify::classify(damaged)?,
        verify::classify(healthy)?,
    ) {
        (Target::Bag(d), Target::Bag(h)) => vec![(d, h)],
        (Target::Medium { bags, .. }, Target::Medium { medium: hm, .. }) => {
            let mut v = Vec::new();
            for d in bags {
                let name = d.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                let h = hm.join(&name);
                if !h.is_dir() {
                    return Err(MediaError::Refused(Text::new(
                        format!(
                            "на носителе {} нет архива {}: восстанавливать не из чего",
                            hm.display(),
                            name.to_string_lossy()
                        ),
                        format!(
                            "medium {} has no archive {}: nothing to repair from",
                            hm.display(),
                            name.to_string_lossy()
                        ),
                    )));
                }
                v.push((d, h));
            }
            v
        }
        _ => {
            return Err(MediaError::Usage(Text::new(
                "укажите два архива (папки с bagit.txt) или два носителя; zip не восстанавливается — создайте его заново командой letopis pack",
                "give two bags (folders with bagit.txt) or two media; a zip is not repaired — make it again with letopis pack",
            )));
        }
    };
    pairs.iter().map(|(d, h)| repair_bag(d, h)).collect()
}

fn log_repair(damaged: &Path, outcome: &str, details: &str) {
    let abs = damaged
        .canonicalize()
        .unwrap_or_else(|_| damaged.to_path_buf());
    if let (Some(medium), Some(name)) = (abs.parent(), abs.file_name()) {
        let _ = log::append(medium, "repair", &name.to_string_lossy(), outcome, details);
    }
}

/// Repairs one bag from another copy of it.
pub fn repair_bag(damaged: &Path, healthy: &Path) -> Result<RepairReport, MediaError> {
    let read = |p: &Path| fs::read(p).ok();
    let (dm, hm) = (read(&damaged.join(MANIFEST)), read(&healthy.join(MANIFEST)));
    let (dt, ht) = (
        read(&damaged.join(TAGMANIFEST)),
        read(&healthy.join(TAGMANIFEST)),
    );
    let refuse = |ru: String, en: String| {
        log_repair(damaged, "refused", &ru);
        Err(MediaError::Refused(Text::new(ru, en)))
    };
    let Some(manifest_bytes) = hm else {
        return refuse(
            format!(
                "в {} нет manifest-sha256.txt: эта копия не годится как источник",
                healthy.display()
            ),
            format!(
                "{} has no manifest-sha256.txt: it cannot serve as the source",
                healthy.display()
            ),
        );
    };
    if dm.as_ref() != Some(&manifest_bytes) || dt != ht {
        return refuse(
            format!(
                "манифесты {} и {} различаются (или один из них повреждён): это не копии одного архива, восстановление отменено, ничего не изменено",
                damaged.display(),
                healthy.display()
            ),
            format!(
                "the manifests of {} and {} differ (or one is damaged): these are not copies of one archive; nothing was changed",
                damaged.display(),
                healthy.display()
            ),
        );
    }
    let text = String::from_utf8_lossy(&manifest_bytes).to_string();
    let mut expected = bag::parse_manifest(&text).0;
    if let Some(t) = &ht {
        expected.extend(bag::parse_manifest(&String::from_utf8_lossy(t)).0);
    }
    expected.retain(|name, _| bag::is_safe_relative(name));

    // Which files of the damaged copy do not hold their manifest bytes (read from the medium).
    let bad: Vec<(&String, &String)> = expected
        .par_iter()
        .filter(
            |(name, h)| match hash::sha256_from_medium(&damaged.join(name)) {
                Ok((got, _)) => &got != *h,
                Err(_) => true,
            },
        )
        .collect();
    let mut restored = Vec::new();
    let mut failed = Vec::new();
    for (name, h) in bad {
        match restore_one(&damaged.join(name), &healthy.join(name), h) {
            Ok(()) => restored.push(name.clone()),
            Err(reason) => failed.push((name.clone(), reason)),
        }
    }
    let after = verify::verify_bag(damaged);
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
        for (f, _) in failed.iter().take(10) {
            details.push(' ');
            details.push_str(f);
            details.push(';');
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
    Ok(RepairReport {
        damaged: damaged.to_path_buf(),
        healthy: healthy.to_path_buf(),
        restored,
        failed,
        after,
    })
}

/// Copies `src` to a temporary file beside `dst` while hashing; only when the hash is `expected`
/// (and the copy reads back the same from the medium) is it renamed over `dst`.
fn restore_one(dst: &Path, src: &Path, expected: &str) -> Result<(), Text> {
    let io_text = |p: &Path, e: io::Error| {
        Text::new(
            format!("{}: {e}", p.display()),
            format!("{}: {e}", p.display()),
        )
    };
    let dir = dst.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_text(dir, e))?;
    let name = dst
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.letopis-repair"));
    let res = (|| -> Result<(), Text> {
        let mut input = File::open(src).map_err(|e| {
            Text::new(
                format!("во второй копии файла тоже нет ({e})"),
                format!("the other copy lacks it too ({e})"),
            )
        })?;
        hash::drop_cache(&input);
        let mut out = File::create(&tmp).map_err(|e| io_text(&tmp, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_text(src, e)),
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| io_text(&tmp, e))?;
        }
        if hash::hex(&hasher.finalize()) != expected {
            return Err(Text::new(
                "во второй копии этот файл тоже повреждён (не совпадает с манифестом); восстановите его из резервной копии вручную",
                "this file is damaged in the other copy too (does not match the manifest); restore it from a backup by hand",
            ));
        }
        out.sync_data().map_err(|e| io_text(&tmp, e))?;
        hash::drop_cache(&out);
        drop(out);
        let (back, _) = hash::sha256_from_medium(&tmp).map_err(|e| io_text(&tmp, e))?;
        if back != expected {
            return Err(Text::new(
                "восстановленный файл читается с носителя с ошибкой: носитель неисправен, замените его",
                "the restored file reads back wrong from the medium: the medium is faulty, replace it",
            ));
        }
        fs::rename(&tmp, dst).map_err(|e| io_text(dst, e))?;
        fsio::sync_dir(dir).map_err(|e| io_text(dir, e))
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res
}
