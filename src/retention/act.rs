//! The act of selection of documents for destruction (`letopis retention MEDIUM --act N --as-of D`).
//!
//! The act is a printable Russian HTML page rendered from an [`Act`]; the same [`Act`] is embedded
//! in it as JSON (`<script type="application/json" id="letopis-act" data-sha256=…>`). [`read`]
//! takes the JSON back, checks its SHA-256 and renders the act again: the file must be byte for
//! byte what Letopis wrote, so any change to the printed table or to the list is detected.

use super::page::span;
use super::{Facts, Item, OnMedium, RetentionError, kind_label};
use crate::l10n::date;
use crate::layout::MANIFEST;
use crate::model::retention::Commission;
use crate::model::{Lang, Person};
use crate::render::Templates;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

const MARK: &str = "<script type=\"application/json\" id=\"letopis-act\" data-sha256=\"";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Act {
    pub number: String,
    /// The act's date: terms are judged as of this day.
    pub date: NaiveDate,
    pub organisation: String,
    pub head: Person,
    pub commission: Commission,
    /// Folder name of the medium the act was drawn up for.
    pub medium: String,
    pub archives: Vec<ActArchive>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActArchive {
    pub name: String,
    pub period_title: String,
    /// SHA-256 of the archive's `manifest-sha256.txt`: the act covers exactly this content.
    pub manifest_sha256: String,
    /// Every record of the archive is past its term: the whole archive is to be destroyed.
    pub whole: bool,
    /// The items past their term (all items when `whole`).
    pub items: Vec<Item>,
}

/// Problems with an act file.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("{0}")]
    Retention(#[from] RetentionError),
    #[error("в файле нет перечня акта Летописи (блока letopis-act)")]
    NoList,
    #[error("перечень акта повреждён: {0}")]
    BadList(String),
    #[error(
        "акт изменён после составления: контрольная сумма перечня или текст акта не совпадают с тем, что записала Летопись (акт, составленный по своим шаблонам, проверяется с теми же: --templates)"
    )]
    Tampered,
}

impl ActError {
    pub fn text(&self) -> crate::model::Text {
        use crate::model::Text;
        match self {
            ActError::Retention(e) => e.text(),
            ActError::NoList => Text::new(
                self.to_string(),
                "the file holds no Letopis act list (letopis-act block)",
            ),
            ActError::BadList(m) => {
                Text::new(self.to_string(), format!("the act's list is damaged: {m}"))
            }
            ActError::Tampered => Text::new(
                self.to_string(),
                "the act was changed after it was drawn up: its list checksum or its text differ from what Letopis wrote (an act drawn up with your own templates is checked with the same ones: --templates)",
            ),
        }
    }
}

/// SHA-256 (hex) of a file.
pub fn file_sha256(path: &Path) -> Result<String, RetentionError> {
    let bytes = std::fs::read(path).map_err(|e| RetentionError::io(path, e))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Builds the act for the archives on a medium as of `date`.
pub fn build(
    number: &str,
    date: NaiveDate,
    config: &crate::model::Config,
    commission: &Commission,
    medium_name: &str,
    archives: &[OnMedium],
) -> Result<Act, RetentionError> {
    let mut out = Vec::new();
    for a in archives {
        let Some(f) = &a.facts else { continue };
        let expired: Vec<Item> = f
            .items
            .iter()
            .filter(|i| i.expired(date))
            .cloned()
            .collect();
        if expired.is_empty() {
            continue;
        }
        out.push(ActArchive {
            name: a.name.clone(),
            period_title: f.period_title.clone(),
            manifest_sha256: file_sha256(&a.path.join(MANIFEST))?,
            whole: expired.len() == f.items.len(),
            items: expired,
        });
    }
    Ok(Act {
        number: number.to_string(),
        date,
        organisation: config.organisation.name.clone(),
        head: config.organisation.head.clone(),
        commission: commission.clone(),
        medium: medium_name.to_string(),
        archives: out,
    })
}

#[derive(Serialize)]
struct Row {
    n: usize,
    title: String,
    dates: String,
    period: String,
    term: String,
    count: u64,
}

fn rows(act: &Act, whole: bool, n: &mut usize) -> (Vec<Row>, u64) {
    let mut v = Vec::new();
    let mut total = 0;
    for a in act.archives.iter().filter(|a| a.whole == whole) {
        for i in &a.items {
            *n += 1;
            let mut title = kind_label(&i.kind, Lang::Ru).to_string();
            if !i.title.is_empty() {
                title.push_str(": ");
                title.push_str(&i.title);
            }
            if let Some(name) = i.learner_name.as_ref().or(i.learner.as_ref()) {
                title.push_str(&format!("; слушатель {name}"));
            }
            if let Some(g) = &i.group {
                title.push_str(&format!("; группа {g}"));
            }
            let mut term = format!(
                "{}, истёк {}",
                i.term.label(Lang::Ru),
                i.end.map(date).unwrap_or_default()
            );
            if let (Some(src), Some(e)) = (&i.event_source, i.event_date) {
                term.push_str(&format!(
                    "; окончание обучения или отчисление {} — по архиву {src}",
                    date(e)
                ));
            }
            if let Some(b) = &i.basis {
                term.push_str(&format!("; {b}"));
            }
            total += i.count;
            v.push(Row {
                n: *n,
                title,
                dates: {
                    let s = span(i);
                    if s.is_empty() {
                        i.event_date.map(date).unwrap_or_default()
                    } else {
                        s
                    }
                },
                period: format!("{} ({})", a.period_title, a.name),
                term,
                count: i.count,
            });
        }
    }
    (v, total)
}

/// The act's JSON as embedded: `<`, `>` and `&` escaped so it cannot close the script element.
fn embedded_json(act: &Act) -> String {
    serde_json::to_string(act)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The act's HTML.
pub fn render(act: &Act, templates: &Templates) -> Result<String, RetentionError> {
    let json = embedded_json(act);
    let sha = hex(&Sha256::digest(json.as_bytes()));
    let mut n = 0;
    let (whole, whole_count) = rows(act, true, &mut n);
    let (partial, partial_count) = rows(act, false, &mut n);
    let whole_names: Vec<&str> = act
        .archives
        .iter()
        .filter(|a| a.whole)
        .map(|a| a.name.as_str())
        .collect();
    use crate::l10n::nouns::{ITEM, RECORD};
    let ru = crate::model::Lang::Ru;
    let mut ctx = tera::Context::new();
    ctx.insert("a", act);
    ctx.insert("act_date", &date(act.date));
    ctx.insert("order_date", &date(act.commission.order.date));
    ctx.insert("whole_items", ITEM.word(ru, whole.len() as u64));
    ctx.insert("partial_items", ITEM.word(ru, partial.len() as u64));
    ctx.insert("whole", &whole);
    ctx.insert("partial", &partial);
    ctx.insert("whole_count", &whole_count);
    ctx.insert("partial_count", &partial_count);
    ctx.insert("whole_records", RECORD.word(ru, whole_count));
    ctx.insert("partial_records", RECORD.word(ru, partial_count));
    ctx.insert(
        "whole_archives",
        &format!(
            "{} {}",
            whole_names.len(),
            crate::l10n::plural_ru(whole_names.len() as u64, "архиве", "архивах", "архивах")
        ),
    );
    ctx.insert("whole_names", &whole_names.join(", "));
    ctx.insert("sha256", &sha);
    ctx.insert("json", &json);
    templates
        .render("act.html", &ctx)
        .map_err(|e| RetentionError::Template {
            template: "act.html".into(),
            message: e.to_string(),
        })
}

/// Reads an act file back: its list, checked against its SHA-256 and against the act rendered
/// again from it.
pub fn read(path: &Path, templates: &Templates) -> Result<Act, ActError> {
    let html = std::fs::read_to_string(path).map_err(|e| RetentionError::io(path, e))?;
    let start = html.find(MARK).ok_or(ActError::NoList)?;
    let rest = &html[start + MARK.len()..];
    let q = rest.find("\">").ok_or(ActError::NoList)?;
    let sha = &rest[..q];
    let body = &rest[q + 2..];
    let end = body.find("</script>").ok_or(ActError::NoList)?;
    let json = &body[..end];
    if hex(&Sha256::digest(json.as_bytes())) != sha {
        return Err(ActError::Tampered);
    }
    let act: Act = serde_json::from_str(json).map_err(|e| ActError::BadList(e.to_string()))?;
    if render(&act, templates)? != html {
        return Err(ActError::Tampered);
    }
    Ok(act)
}

/// Whether an archive's facts are wholly covered by an act entry: every item past its term as of
/// the act's date and listed in the act. Returns the items that are not (with the reason).
/// Records are matched by what identifies them (kind, title, learner, group, dates, count), not by
/// the term the act printed: the archive's own facts decide whether the term has ended. Records in
/// their term come first.
pub fn uncovered<'a>(f: &'a Facts, entry: &ActArchive, date: NaiveDate) -> Vec<(&'a Item, bool)> {
    let id = |i: &Item| {
        (
            i.kind,
            i.title.clone(),
            i.learner,
            i.group,
            i.first_date,
            i.last_date,
            i.count,
        )
    };
    let listed: std::collections::BTreeSet<_> = entry.items.iter().map(id).collect();
    let mut out: Vec<(&Item, bool)> = f
        .items
        .iter()
        .filter_map(|i| {
            let listed = listed.contains(&id(i));
            (!i.expired(date) || !listed).then_some((i, listed))
        })
        .collect();
    out.sort_by_key(|(i, _)| i.expired(date));
    out
}
