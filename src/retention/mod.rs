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
mod page;

use crate::model::retention::{Event, Rule, Term};
use crate::model::{Lang, Outcome, Period};
use crate::seal::Payload;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Path of [`Facts`] inside an archive's `data/`.
pub use crate::layout::paths::FACTS_JSON;
/// Path of the retention page inside an archive's `data/`.
pub use crate::layout::paths::FACTS_PAGE;

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
    pub kind: String,
    /// A document's own title (`Приказ № 01-В от 24.01.2025 …`); empty for collections of rows.
    pub title: String,
    pub learner: Option<String>,
    pub learner_name: Option<String>,
    pub group: Option<String>,
    /// Dates of the records (first and last), when they have dates.
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// Number of records (rows) in this item.
    pub count: u64,
    pub term: Term,
    /// The event's date; `None` when permanent or the event has not happened (still studying).
    pub event_date: Option<NaiveDate>,
    /// Last day of the term; `None` when kept permanently or the event has not happened.
    pub end: Option<NaiveDate>,
    pub basis: Option<String>,
    /// Filled in when the archive is read from a medium, never sealed: the later archive whose
    /// sealed enrolment gave `event_date` (this archive had the learner still studying).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// Filled in when the archive is read from a medium: why no later archive gave the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_problem: Option<across::Problem>,
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

/// One record before grouping.
struct Raw<'a> {
    kind: &'static str,
    title: String,
    learner: Option<&'a str>,
    group: Option<&'a str>,
    date: Option<NaiveDate>,
}

/// Computes the retention facts of a period under its configuration's rules.
pub fn facts<'a>(p: &'a Period) -> Facts {
    let c = &p.config;
    let rules = c.retention.in_force();
    let rule_of: HashMap<&str, &Rule> = rules
        .iter()
        .flat_map(|r| r.records.iter().map(move |k| (k.as_str(), r)))
        .collect();
    let group_end: HashMap<&str, NaiveDate> =
        p.groups.iter().map(|g| (g.id.as_str(), g.end)).collect();
    // When the learner left a group: completion or expulsion date; a completion without a date
    // counts from the group's end; still studying → none.
    let mut exit: HashMap<(&str, &str), Option<NaiveDate>> = HashMap::new();
    let mut learner_groups: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in &p.enrolments {
        let d = match e.outcome {
            Outcome::Studying => None,
            _ => e
                .outcome_date
                .or_else(|| group_end.get(e.group.as_str()).copied()),
        };
        exit.insert((e.learner.as_str(), e.group.as_str()), d);
        learner_groups
            .entry(e.learner.as_str())
            .or_default()
            .push(e.group.as_str());
    }
    let learner_exit = |l: &str| -> Option<NaiveDate> {
        let gs = learner_groups.get(l)?;
        let mut last = None;
        for g in gs {
            last = last.max(Some(exit.get(&(l, *g)).copied().flatten()?));
        }
        last
    };
    let learner_group_end = |l: &str| -> Option<NaiveDate> {
        learner_groups
            .get(l)?
            .iter()
            .filter_map(|g| group_end.get(g).copied())
            .max()
    };
    let names: HashMap<&str, String> = p
        .learners
        .iter()
        .map(|l| (l.id.as_str(), l.full_name()))
        .collect();
    let lesson: HashMap<&str, (&str, NaiveDate)> = p
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), (l.group.as_str(), l.date)))
        .collect();
    let item: HashMap<&str, (&str, Option<NaiveDate>)> = p
        .grade_items
        .iter()
        .map(|i| (i.id.as_str(), (i.group.as_str(), i.date)))
        .collect();
    let protocol: HashMap<&str, (&str, NaiveDate)> = p
        .protocols
        .iter()
        .map(|x| (x.id.as_str(), (x.group.as_str(), x.date)))
        .collect();
    let order_date: HashMap<&str, NaiveDate> =
        p.orders.iter().map(|o| (o.id.as_str(), o.date)).collect();

    type Key<'a> = (&'static str, String, Option<&'a str>, Option<&'a str>);
    let mut groups: BTreeMap<(Key, Option<NaiveDate>), Item> = BTreeMap::new();
    // Each record goes straight into its item: the period's records are never listed twice.
    let mut add = |r: Raw<'a>| {
        let Some(rule) = rule_of.get(r.kind) else {
            return;
        };
        let event_date = match rule.term {
            Term::Permanent => None,
            Term::Months { from, .. } => match from {
                Event::Completion => match (r.learner, r.group) {
                    (Some(l), Some(g)) => match exit.get(&(l, g)) {
                        Some(x) => *x,
                        None => learner_exit(l),
                    },
                    (Some(l), None) => learner_exit(l),
                    (None, Some(g)) => group_end.get(g).copied(),
                    (None, None) => None,
                },
                Event::GroupEnd => match (r.group, r.learner) {
                    (Some(g), _) => group_end.get(g).copied(),
                    (None, Some(l)) => learner_group_end(l),
                    (None, None) => None,
                },
                Event::DocumentDate => r.date,
            },
        };
        let key = ((r.kind, r.title.clone(), r.learner, r.group), event_date);
        let it = groups.entry(key).or_insert_with(|| Item {
            kind: r.kind.to_string(),
            title: r.title.clone(),
            learner: r.learner.map(str::to_string),
            learner_name: r.learner.and_then(|l| names.get(l).cloned()),
            group: r.group.map(str::to_string),
            first_date: None,
            last_date: None,
            count: 0,
            term: rule.term,
            event_date,
            end: event_date.and_then(|e| rule.term.end(e)),
            basis: rule.basis.clone(),
            event_source: None,
            event_problem: None,
        });
        it.count += 1;
        if let Some(dt) = r.date {
            it.first_date = Some(it.first_date.map_or(dt, |f| f.min(dt)));
            it.last_date = Some(it.last_date.map_or(dt, |l| l.max(dt)));
        }
    };
    let d = crate::l10n::date;
    let row = |kind, learner, group, date| Raw {
        kind,
        title: String::new(),
        learner,
        group,
        date,
    };
    for l in &p.learners {
        add(row("learners", Some(l.id.as_str()), None, None));
    }
    for e in &p.enrolments {
        add(row(
            "enrolments",
            Some(e.learner.as_str()),
            Some(e.group.as_str()),
            Some(e.date),
        ));
    }
    for o in &p.orders {
        add(Raw {
            kind: "orders",
            title: format!("Приказ № {} от {} «{}»", o.id, d(o.date), o.title),
            learner: None,
            group: o.group.as_deref(),
            date: Some(o.date),
        });
    }
    for l in &p.lessons {
        add(row("lessons", None, Some(l.group.as_str()), Some(l.date)));
    }
    for a in &p.attendance {
        let (g, date) = lesson
            .get(a.lesson.as_str())
            .map(|(g, d)| (Some(*g), Some(*d)))
            .unwrap_or((None, None));
        add(row("attendance", Some(a.learner.as_str()), g, date));
    }
    for i in &p.grade_items {
        add(row("grade_items", None, Some(i.group.as_str()), i.date));
    }
    for g in &p.grades {
        let (grp, idate) = item
            .get(g.item.as_str())
            .map(|(g, d)| (Some(*g), *d))
            .unwrap_or((None, None));
        add(row(
            "grades",
            Some(g.learner.as_str()),
            grp,
            g.date.or(idate),
        ));
    }
    for x in &p.protocols {
        add(Raw {
            kind: "protocols",
            title: format!("Протокол № {} от {}", x.id, d(x.date)),
            learner: None,
            group: Some(x.group.as_str()),
            date: Some(x.date),
        });
    }
    for r in &p.protocol_results {
        let (g, date) = protocol
            .get(r.protocol.as_str())
            .map(|(g, d)| (Some(*g), Some(*d)))
            .unwrap_or((None, None));
        add(row("protocol_results", Some(r.learner.as_str()), g, date));
    }
    for x in &p.issued_documents {
        add(Raw {
            kind: "issued_documents",
            title: format!(
                "{} № {}{}, рег. № {}",
                x.kind,
                x.series
                    .as_deref()
                    .map(|s| format!("{s} "))
                    .unwrap_or_default(),
                x.number,
                x.reg_number
            ),
            learner: Some(x.learner.as_str()),
            group: x.group.as_deref(),
            date: Some(x.issue_date),
        });
    }
    for a in &p.awards {
        add(Raw {
            kind: "awards",
            title: a.title.clone(),
            learner: Some(a.learner.as_str()),
            group: None,
            date: Some(a.date),
        });
    }
    for x in &p.portfolio {
        add(Raw {
            kind: "portfolio",
            title: x.title.clone(),
            learner: Some(x.learner.as_str()),
            group: None,
            date: x.date,
        });
    }
    for x in &p.credit_transfers {
        add(Raw {
            kind: "credit_transfers",
            title: format!("{} ({})", x.course, x.source_organisation),
            learner: Some(x.learner.as_str()),
            group: Some(x.group.as_str()),
            date: Some(x.decision_date),
        });
    }
    for a in &p.attachments {
        let date = a
            .order
            .as_deref()
            .and_then(|o| order_date.get(o).copied())
            .or_else(|| a.lesson.as_deref().and_then(|l| lesson.get(l).map(|x| x.1)));
        let group = a
            .group
            .as_deref()
            .or_else(|| a.lesson.as_deref().and_then(|l| lesson.get(l).map(|x| x.0)));
        add(Raw {
            kind: "attachments",
            title: a.title.clone(),
            learner: a.learner.as_deref(),
            group,
            date,
        });
    }
    for m in &p.documents {
        add(Raw {
            kind: "documents",
            title: m.title.clone(),
            learner: None,
            group: None,
            date: None,
        });
    }

    let mut items: Vec<Item> = groups.into_values().collect();
    let order = |k: &str| {
        crate::model::retention::KINDS
            .iter()
            .position(|x| *x == k)
            .unwrap_or(usize::MAX)
    };
    items.sort_by(|a, b| order(&a.kind).cmp(&order(&b.kind)).then_with(|| a.cmp(b)));
    Facts {
        archive: c.archive_name(),
        organisation: c.organisation.name.clone(),
        period_id: c.period.id.clone(),
        period_title: c
            .period
            .title
            .clone()
            .unwrap_or_else(|| c.period.id.clone()),
        period_start: c.period.start,
        period_end: c.period.end,
        rules,
        items,
        enrolments: stays(p, &exit),
    }
}

/// The period's enrolments for [`Facts::enrolments`], sorted.
fn stays(p: &Period, exit: &HashMap<(&str, &str), Option<NaiveDate>>) -> Vec<Stay> {
    let learners: HashMap<&str, &crate::model::Learner> =
        p.learners.iter().map(|l| (l.id.as_str(), l)).collect();
    let groups: HashMap<&str, &crate::model::Group> =
        p.groups.iter().map(|g| (g.id.as_str(), g)).collect();
    let mut out: Vec<Stay> = p
        .enrolments
        .iter()
        .filter_map(|e| {
            let l = learners.get(e.learner.as_str())?;
            let g = groups.get(e.group.as_str())?;
            Some(Stay {
                learner: e.learner.clone(),
                learner_name: l.full_name(),
                birth_date: l.birth_date,
                snils: l.snils.clone(),
                group: e.group.clone(),
                programme: g.programme.clone(),
                group_start: g.start,
                outcome: e.outcome,
                exit: exit
                    .get(&(e.learner.as_str(), e.group.as_str()))
                    .copied()
                    .flatten(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.learner, &a.group, a.group_start).cmp(&(&b.learner, &b.group, b.group_start))
    });
    out
}

/// Writes `retention.json` and `retention.html` into the work folder and adds them to the payload.
pub fn write_into(
    period: &Period,
    work_dir: &Path,
    payload: &mut Payload,
    templates: &crate::render::Templates,
) -> Result<(), RetentionError> {
    let f = facts(period);
    // Both files are written as they are produced: on a large period they are tens of MB each.
    let path = work_dir.join(FACTS_JSON);
    let io = |e| RetentionError::io(&path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    serde_json::to_writer_pretty(&mut out, &f).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(io)?;
    out.into_inner().map_err(|e| io(e.into_error()))?;
    payload.add(FACTS_JSON, path.clone());
    let path = work_dir.join(FACTS_PAGE);
    let io = |e| RetentionError::io(&path, e);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    page::render_to(&f, period.config.language, templates, &mut out)?;
    out.into_inner().map_err(|e| io(e.into_error()))?;
    payload.add(FACTS_PAGE, path.clone());
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
        let facts =
            match std::fs::read_to_string(&file) {
                Ok(t) => Some(serde_json::from_str::<Facts>(&t).map_err(|e| {
                    RetentionError::BadFile {
                        path: file.clone(),
                        message: e.to_string(),
                    }
                })?),
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
