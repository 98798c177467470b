//! `letopis dispose MEDIUM --act FILE`: removes whole period archives under an act of selection
//! for destruction, and nothing else.
//!
//! Refused (nothing removed) when the act was changed, is dated in the future, names no archive to
//! destroy whole, or when any archive it names is missing, differs from the one the act was drawn
//! up for (manifest checksum), or holds a record still in its term or not listed in the act. On
//! success the act is kept as `<medium>/acts/act-<number>.html` with its `.sha256`, every removed
//! archive gets a `dispose` line in the medium's log, and the medium's `index.html` is rewritten.

use super::act::{self, Act, ActError};
use super::{RetentionError, scan};
use crate::l10n::date;
use crate::layout::paths::FACTS_JSON;
use crate::layout::slug::slug;
use crate::layout::{ACTS_DIR, DISPOSING_PREFIX, MANIFEST, MEDIUM_INDEX};
use crate::media::log;
use crate::model::{Lang, Text};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Disposed {
    pub act: Act,
    /// Archives removed from the medium.
    pub removed: Vec<String>,
    /// Archives of the act kept because only part of their records are past their term.
    pub kept: Vec<String>,
    /// The act's copy on the medium.
    pub act_copy: PathBuf,
    /// Things the user should know (index not rewritten...).
    pub notes: Vec<Text>,
}

#[derive(Debug)]
pub enum Outcome {
    Done(Box<Disposed>),
    /// Nothing removed; the reasons.
    Refused(Vec<Text>),
}

/// Disposes under the act at `act_path`; `today` bounds the act's date.
pub fn dispose(
    medium: &Path,
    act_path: &Path,
    today: NaiveDate,
    templates: &crate::render::Templates,
) -> Result<Outcome, RetentionError> {
    let refuse = |reasons: Vec<Text>, what: &str| -> Result<Outcome, RetentionError> {
        let details = reasons
            .iter()
            .map(|t| t.ru.clone())
            .collect::<Vec<_>>()
            .join("; ");
        log::append(medium, "dispose", what, "refused", &details)
            .map_err(|e| RetentionError::io(medium.join(crate::layout::LOG_FILE), e))?;
        Ok(Outcome::Refused(reasons))
    };
    if !medium.is_dir() {
        return Err(RetentionError::io(
            medium,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "нет такой папки / no such folder",
            ),
        ));
    }
    // One writer at a time on a medium: a build or a repair in progress keeps its archives.
    let _lock = match crate::media::medium::lock(medium) {
        Ok(l) => l,
        Err(e) => return Ok(Outcome::Refused(vec![e.text()])),
    };
    let act = match act::read(act_path, templates) {
        Ok(a) => a,
        Err(ActError::Retention(e)) => return Err(e),
        Err(e) => {
            let what = act_path.display().to_string();
            return refuse(vec![e.text()], &what);
        }
    };
    let what = format!("акт № {}", act.number);
    if let Some(reason) = unusable(&act, today) {
        return refuse(vec![reason], &what);
    }
    let whole: Vec<&act::ActArchive> = act.archives.iter().filter(|a| a.whole).collect();
    let mut reasons = Vec::new();
    let on_medium = scan(medium)?;
    for entry in &whole {
        reasons.extend(objections(medium, &on_medium, entry, act.date)?);
    }
    // The act's copy on the medium: a different act under the same number is refused.
    let copy = medium
        .join(ACTS_DIR)
        .join(format!("act-{}.html", slug(&act.number)));
    let bytes = std::fs::read(act_path).map_err(|e| RetentionError::io(act_path, e))?;
    match std::fs::read(&copy) {
        Ok(old) if old != bytes => reasons.push(Text::new(
            format!(
                "на носителе уже хранится другой акт № {}: {}",
                act.number,
                copy.display()
            ),
            format!(
                "another act No. {} is already kept on the medium: {}",
                act.number,
                copy.display()
            ),
        )),
        _ => {}
    }
    if !reasons.is_empty() {
        return refuse(reasons, &what);
    }

    let kept_act = keep_act(&copy, &bytes, act::file_sha256(act_path)?)?;
    let mut removed = Vec::new();
    for entry in &whole {
        remove_archive(medium, entry, &act, &kept_act)?;
        removed.push(entry.name.clone());
    }
    crate::layout::fsio::sync_dir(medium).map_err(|e| RetentionError::io(medium, e))?;
    let notes = closing_notes(medium, templates);
    let kept = act
        .archives
        .iter()
        .filter(|a| !a.whole)
        .map(|a| a.name.clone())
        .collect();
    Ok(Outcome::Done(Box::new(Disposed {
        act,
        removed,
        kept,
        act_copy: copy,
        notes,
    })))
}

/// Why the act cannot be acted on at all, as of `today`: dated in the future, or names no archive
/// to destroy whole.
fn unusable(act: &Act, today: NaiveDate) -> Option<Text> {
    if act.date > today {
        return Some(Text::new(
            format!(
                "акт датирован {}, это ещё не наступило: сроки хранения судятся на дату акта",
                date(act.date)
            ),
            format!(
                "the act is dated {}, which has not come yet: terms are judged as of the act's date",
                date(act.date)
            ),
        ));
    }
    if !act.archives.iter().any(|a| a.whole) {
        return Some(Text::new(
            "в акте нет архивов, все записи которых имеют истёкший срок: удалять нечего",
            "the act names no archive all of whose records are past their term: nothing to remove",
        ));
    }
    None
}

/// Why the archive `entry` of the act may not be removed from the medium: missing, without
/// retention facts, holding a record in its term or not listed, or not the archive the act was
/// drawn up for.
fn objections(
    medium: &Path,
    on_medium: &[super::OnMedium],
    entry: &act::ActArchive,
    act_date: NaiveDate,
) -> Result<Vec<Text>, RetentionError> {
    let mut reasons = Vec::new();
    let Some(a) = on_medium.iter().find(|a| a.name == entry.name) else {
        reasons.push(Text::new(
            format!("архива {} нет на носителе {}", entry.name, medium.display()),
            format!(
                "archive {} is not on medium {}",
                entry.name,
                medium.display()
            ),
        ));
        return Ok(reasons);
    };
    let Some(f) = &a.facts else {
        reasons.push(Text::new(
            format!(
                "в архиве {} нет сведений о сроках хранения ({})",
                a.name, FACTS_JSON
            ),
            format!("archive {} has no retention facts ({})", a.name, FACTS_JSON),
        ));
        return Ok(reasons);
    };
    let bad = act::uncovered(f, entry, act_date);
    for (i, listed) in bad.iter().take(5) {
        let (what_ru, what_en) = (describe(i, Lang::Ru), describe(i, Lang::En));
        reasons.push(match i.kept_reason(act_date, Lang::Ru) {
            Some(why_ru) => {
                let why_en = i.kept_reason(act_date, Lang::En).unwrap_or_default();
                Text::new(
                    format!(
                        "в архиве {} запись в сроке хранения: {what_ru} — {why_ru}",
                        a.name
                    ),
                    format!(
                        "archive {} holds a record in its term: {what_en} — {why_en}",
                        a.name
                    ),
                )
            }
            None if !listed => Text::new(
                format!("в архиве {} запись не указана в акте: {what_ru}", a.name),
                format!(
                    "archive {} holds a record not listed in the act: {what_en}",
                    a.name
                ),
            ),
            None => continue,
        });
    }
    if bad.len() > 5 {
        reasons.push(Text::new(
            format!("в архиве {} и ещё {} таких записей", a.name, bad.len() - 5),
            format!("archive {}: {} more such records", a.name, bad.len() - 5),
        ));
    }
    let sha = act::file_sha256(&a.path.join(MANIFEST))?;
    if sha != entry.manifest_sha256 {
        reasons.push(Text::new(
            format!(
                "архив {} на носителе не тот, по которому составлен акт (другой manifest-sha256.txt)",
                a.name
            ),
            format!(
                "archive {} on the medium is not the one the act was drawn up for (different manifest-sha256.txt)",
                a.name
            ),
        ));
    }
    Ok(reasons)
}

/// The act as kept on the medium: its file name in the acts folder and its SHA-256.
struct KeptAct {
    name: String,
    sha: String,
}

/// Writes the act's copy `copy` (its bytes) and its `.sha256` into the medium's acts folder,
/// flushed, before anything is removed.
fn keep_act(copy: &Path, bytes: &[u8], sha: String) -> Result<KeptAct, RetentionError> {
    let acts = copy.parent().unwrap_or(copy);
    std::fs::create_dir_all(acts).map_err(|e| RetentionError::io(acts, e))?;
    write_synced(copy, bytes)?;
    let name = copy
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_synced(
        &acts.join(format!("{name}.sha256")),
        format!("{sha}  {name}\n").as_bytes(),
    )?;
    crate::layout::fsio::sync_dir(acts).map_err(|e| RetentionError::io(acts, e))?;
    Ok(KeptAct { name, sha })
}

/// Removes the archive `entry` (its folder, zip and zip checksum) from the medium and logs it.
fn remove_archive(
    medium: &Path,
    entry: &act::ActArchive,
    act: &Act,
    kept: &KeptAct,
) -> Result<(), RetentionError> {
    let from = medium.join(&entry.name);
    let to = medium.join(format!("{DISPOSING_PREFIX}{}", entry.name));
    // Renamed first, so an interrupted removal never leaves a half archive that looks whole.
    std::fs::rename(&from, &to).map_err(|e| RetentionError::io(&from, e))?;
    crate::layout::fsio::sync_dir(medium).map_err(|e| RetentionError::io(medium, e))?;
    std::fs::remove_dir_all(&to).map_err(|e| RetentionError::io(&to, e))?;
    for z in [
        format!("{}.zip", entry.name),
        format!("{}.zip.sha256", entry.name),
    ] {
        let p = medium.join(z);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| RetentionError::io(&p, e))?;
        }
    }
    let records: u64 = entry.items.iter().map(|i| i.count).sum();
    log::append(
        medium,
        "dispose",
        &entry.name,
        "ok",
        &format!(
            "уничтожен по акту № {} от {} ({ACTS_DIR}/{}, sha256 {}); записей: {records}",
            act.number,
            date(act.date),
            kept.name,
            kept.sha
        ),
    )
    .map_err(|e| RetentionError::io(medium.join(crate::layout::LOG_FILE), e))
}

/// After the removal: the medium's list of archives rewritten, and what the user should know.
fn closing_notes(medium: &Path, templates: &crate::render::Templates) -> Vec<Text> {
    let mut notes = Vec::new();
    if let Err(e) = rewrite_index(medium, templates) {
        notes.push(Text::new(
            format!(
                "список архивов {} не обновлён: {e}",
                medium.join(MEDIUM_INDEX).display()
            ),
            format!(
                "the list of archives {} was not updated: {e}",
                medium.join(MEDIUM_INDEX).display()
            ),
        ));
    }
    if crate::media::list_archives(medium).is_ok_and(|l| l.is_empty()) {
        notes.push(Text::new(
            format!(
                "на носителе {} не осталось архивов; акты и журнал остаются, letopis verify проверяет акты",
                medium.display()
            ),
            format!(
                "no archives are left on medium {}; the acts and the log stay, and letopis verify checks the acts",
                medium.display()
            ),
        ));
    }
    notes
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), RetentionError> {
    crate::layout::fsio::write_atomic(path, bytes).map_err(|e| RetentionError::io(path, e))
}

/// Rewrites the medium's `index.html` from the archives left on it, as `build` does.
fn rewrite_index(medium: &Path, templates: &crate::render::Templates) -> Result<(), String> {
    let archives = crate::render::scan_medium(medium).map_err(|e| e.to_string())?;
    let html = crate::render::medium_index(&archives, templates).map_err(|e| e.to_string())?;
    crate::media::write_index(medium, &html).map_err(|e| e.to_string())
}

/// `Приказы «Приказ № 01-В», Иванов И. И., группа ПК-12`: a record as named in a refusal.
fn describe(i: &super::Item, lang: Lang) -> String {
    let title = match (i.title.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Ru) => format!(" «{}»", i.title),
        (false, Lang::En) => format!(" `{}`", i.title),
    };
    let learner = i
        .learner_name
        .as_ref()
        .map(|n| format!(", {n}"))
        .unwrap_or_default();
    let group = i
        .group
        .as_ref()
        .map(|g| match lang {
            Lang::Ru => format!(", группа {g}"),
            Lang::En => format!(", group {g}"),
        })
        .unwrap_or_default();
    format!(
        "{}{title}{learner}{group}",
        super::kind_label(&i.kind, lang)
    )
}
