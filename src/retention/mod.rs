//! Retention: which records of an archive are kept how long, and their disposal.
//!
//! At build time [`facts`] computes, for every record of the period, the rule in force, the event
//! its term is counted from, that event's date and the end of the term; [`write_into`] writes them
//! as `data/retention.json` (with the rules in force) and a page `data/retention.html`, both sealed
//! with the archive, so an archive knows its own terms whatever the configuration says later.
//! Records are grouped into items: one per kind, learner, group, title and event date, with the
//! number of records and the span of their dates (1,490 attendance marks become one item per
//! learner and group).
//!
//! The facts also list the period's enrolments with their outcomes: a learner still studying when
//! the archive is sealed has no completion in it, and [`scan`] ([`across`]) takes that date from a
//! later archive of the same organisation on the same medium when it reads the medium.
//!
//! [`scan`] reads those files back from a medium for `letopis retention`; [`act`] builds the act of
//! selection for destruction and [`dispose`] removes whole archives under such an act.

pub mod across;
pub mod act;
pub mod dispose;
mod facts;
mod page;

pub use facts::facts;

use crate::layout::Payload;
use crate::model::retention::{Rule, Term};
use crate::model::{Lang, Outcome, Period};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::layout::paths::{FACTS_JSON, FACTS_PAGE};

/// Errors of the retention stage.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: не читается ({message})", path.display())]
    BadFile { path: PathBuf, message: String },
    #[error("шаблон {template}: {message}")]
    Template { template: String, message: String },
}

impl RetentionError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        RetentionError::Io {
            path: path.into(),
            source,
        }
    }
    pub fn text(&self) -> crate::model::Text {
        let ru = self.to_string();
        let en = match self {
            RetentionError::Io { path, source } => format!("{}: {source}", path.display()),
            RetentionError::BadFile { path, message } => {
                format!("{}: cannot be read ({message})", path.display())
            }
            RetentionError::Template { template, message } => {
                format!("template {template}: {message}")
            }
        };
        crate::model::Text::new(ru, en)
    }
}

/// What an archive knows about its retention (`data/retention.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub archive: String,
    pub organisation: String,
    pub period_id: String,
    pub period_title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The rules in force when the archive was built (every kind covered once).
    pub rules: Vec<Rule>,
    pub items: Vec<Item>,
    /// Every enrolment of the period with its outcome, so that a later archive on the same medium
    /// can give this one's learners still studying their completion date (see [`across`]).
    /// Absent from archives built before it existed.
    #[serde(default)]
    pub enrolments: Vec<Stay>,
}

impl Facts {
    /// Each kind's basis as its rule gives it.
    fn rule_bases(&self) -> HashMap<crate::model::Key, Option<crate::model::Key>> {
        use crate::model::Key;
        self.rules
            .iter()
            .flat_map(|r| {
                r.records
                    .iter()
                    .map(|k| (Key::from(k.as_str()), r.basis.as_deref().map(Key::from)))
            })
            .collect()
    }

    /// Leaves out of the items the basis their rule already states, so that a period's
    /// hundred thousand items do not each repeat the same clause (see [`Facts::fill_bases`]).
    fn strip_bases(&mut self) {
        let bases = self.rule_bases();
        for it in &mut self.items {
            if bases.get(&it.kind).is_some_and(|b| *b == it.basis) {
                it.basis = None;
            }
        }
    }

    /// Gives every item without a basis its rule's, as the facts were before
    /// [`Facts::strip_bases`].
    fn fill_bases(&mut self) {
        let bases = self.rule_bases();
        for it in &mut self.items {
            if it.basis.is_none() {
                it.basis = bases.get(&it.kind).copied().flatten();
            }
        }
    }
}

/// One enrolment as an archive records it for retention: who, which group, how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    pub learner: String,
    /// `Фамилия Имя Отчество` as in the archive's learner card.
    pub learner_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils: Option<String>,
    pub group: String,
    pub programme: String,
    pub group_start: NaiveDate,
    pub outcome: Outcome,
    /// The date the term counts from: the outcome's date (or the group's end for a completion
    /// without a date); `None` while studying.
    pub exit: Option<NaiveDate>,
}

/// Records of one kind sharing learner, group, title and event date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Item {
    /// Record kind (input file stem): `grades`, `orders`...
    pub kind: crate::model::Key,
    /// A document's own title (`Приказ № 01-В от 24.01.2025 …`); empty for collections of rows.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<crate::model::Key>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner_name: Option<crate::model::Key>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<crate::model::Key>,
    /// Dates of the records (first and last), when they have dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date: Option<NaiveDate>,
    /// Number of records (rows) in this item.
    pub count: u64,
    pub term: Term,
    /// The event's date; `None` when permanent or the event has not happened (still studying).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<NaiveDate>,
    /// Last day of the term; `None` when kept permanently or the event has not happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// Sealed only when it differs from its rule's (in `rules`): [`Facts::fill_bases`] gives
    /// it back on reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<crate::model::Key>,
    /// Filled in when the archive is read from a medium, never sealed: the later archive whose
    /// sealed enrolment gave `event_date` (this archive had the learner still studying).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<Box<str>>,
    /// Filled in when the archive is read from a medium: why no later archive gave the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_problem: Option<Box<across::Problem>>,
}

impl Item {
    /// The term has ended by `as_of` (the last day of the term is on or before it).
    pub fn expired(&self, as_of: NaiveDate) -> bool {
        self.end.is_some_and(|e| e <= as_of)
    }

    /// Why the item is kept as of `as_of` (`None` when its term has ended).
    pub fn kept_reason(&self, as_of: NaiveDate, lang: Lang) -> Option<String> {
        if self.expired(as_of) {
            return None;
        }
        Some(match (self.term, self.end) {
            (Term::Permanent, _) => match lang {
                Lang::Ru => "хранится постоянно".into(),
                Lang::En => "kept permanently".into(),
            },
            (Term::Months { from, .. }, None) => {
                let mut s = match lang {
                    Lang::Ru => format!("срок не начался: нет даты события «{}»", from.label(lang)),
                    Lang::En => format!("term not started: no date of `{}`", from.label(lang)),
                };
                if let Some(p) = &self.event_problem {
                    s.push_str("; ");
                    s.push_str(&p.text(lang));
                }
                s
            }
            (_, Some(end)) => match (lang, &self.event_source) {
                (Lang::Ru, None) => format!("срок истекает {}", crate::l10n::date(end)),
                (Lang::En, None) => format!("term ends {}", crate::l10n::date(end)),
                (Lang::Ru, Some(a)) => format!(
                    "срок истекает {} (дата окончания обучения или отчисления из архива {a})",
                    crate::l10n::date(end)
                ),
                (Lang::En, Some(a)) => format!(
                    "term ends {} (completion or expulsion date from archive {a})",
                    crate::l10n::date(end)
                ),
            },
        })
    }
}

/// Russian or English name of a record kind.
pub fn kind_label(kind: &str, lang: Lang) -> &str {
    let (ru, en) = match kind {
        "learners" => ("Личные карточки слушателей", "Learner records"),
        "enrolments" => ("Зачисления и итоги обучения", "Enrolments and outcomes"),
        "orders" => ("Приказы", "Orders"),
        "lessons" => ("Журнал занятий", "Lesson journal"),
        "attendance" => ("Посещаемость", "Attendance"),
        "grade_items" => ("Элементы контроля", "Grade items"),
        "grades" => ("Оценки", "Grades"),
        "protocols" => ("Протоколы аттестации", "Attestation protocols"),
        "protocol_results" => ("Результаты аттестации", "Attestation results"),
        "issued_documents" => ("Журнал выдачи документов", "Register of issued documents"),
        "awards" => ("Поощрения и достижения", "Awards"),
        "portfolio" => ("Портфолио", "Portfolio"),
        "credit_transfers" => ("Зачёт результатов", "Credit transfers"),
        "attachments" => ("Вложения", "Attachments"),
        "documents" => ("Документы организации", "Documents"),
        other => (other, other),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// Writes `retention.json` and `retention.html` into the work folder and adds them to the payload.
pub fn write_into(
    period: &Period,
    work_dir: &Path,
    payload: &mut Payload,
    templates: &crate::render::Templates,
) -> Result<(), RetentionError> {
    let mut f = facts(period);
    // Both files are written as they are produced: on a large period they are tens of MB each.
    // The page first, with every item's basis; the JSON, compact, without the bases its rules give.
    let page_path = work_dir.join(FACTS_PAGE);
    let io = |e| RetentionError::io(&page_path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&page_path).map_err(io)?);
    page::render_to(&f, period.config.language, templates, &mut out)?;
    out.into_inner().map_err(|e| io(e.into_error()))?;
    f.strip_bases();
    let path = work_dir.join(FACTS_JSON);
    let io = |e| RetentionError::io(&path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    serde_json::to_writer(&mut out, &f).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(io)?;
    out.into_inner().map_err(|e| io(e.into_error()))?;
    payload.add(FACTS_JSON, path);
    payload.add(FACTS_PAGE, page_path);
    Ok(())
}

/// An archive on a medium with its retention facts (`None` when it was built without them).
#[derive(Debug, Clone)]
pub struct OnMedium {
    pub name: String,
    pub path: PathBuf,
    pub facts: Option<Facts>,
}

/// Reads the facts of every sealed archive on a medium, sorted by folder name, with completion
/// dates of learners still studying taken from later archives (see [`across`]).
pub fn scan(medium: &Path) -> Result<Vec<OnMedium>, RetentionError> {
    let list = crate::media::list_archives(medium).map_err(|e| RetentionError::io(medium, e))?;
    let mut out = Vec::new();
    for a in list {
        let path = medium.join(&a.name);
        let file = path.join("data").join(FACTS_JSON);
        let facts = match std::fs::read_to_string(&file) {
            Ok(t) => {
                let mut f =
                    serde_json::from_str::<Facts>(&t).map_err(|e| RetentionError::BadFile {
                        path: file.clone(),
                        message: e.to_string(),
                    })?;
                f.fill_bases();
                Some(f)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(RetentionError::io(&file, e)),
        };
        out.push(OnMedium {
            name: a.name,
            path,
            facts,
        });
    }
    across::resolve(&mut out, |o| crate::media::verify::verify_bag(&o.path).ok());
    Ok(out)
}

#[cfg(test)]
mod tests;
