//! The retention facts of a period: every record put into its item under the rule in force, with
//! the event its term is counted from and that event's date.

use super::{Facts, Item, Stay};
use crate::model::retention::{Event, Rule, Term};
use crate::model::{Key, Outcome, Period};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// One record before grouping.
struct Raw<'a> {
    kind: &'static str,
    title: String,
    learner: Option<&'a str>,
    group: Option<&'a str>,
    date: Option<NaiveDate>,
}

/// A record that is one of many rows (a mark, a grade): no title of its own.
fn row<'a>(
    kind: &'static str,
    learner: Option<&'a str>,
    group: Option<&'a str>,
    date: Option<NaiveDate>,
) -> Raw<'a> {
    Raw {
        kind,
        title: String::new(),
        learner,
        group,
        date,
    }
}

/// What the terms are counted from, and the groups and dates of the records others refer to.
struct Events<'a> {
    group_end: HashMap<&'a str, NaiveDate>,
    /// When the learner left a group: completion or expulsion date; a completion without a date
    /// counts from the group's end; still studying → none.
    exit: HashMap<(&'a str, &'a str), Option<NaiveDate>>,
    learner_groups: HashMap<&'a str, Vec<&'a str>>,
    names: HashMap<&'a str, Key>,
    lesson: HashMap<&'a str, (&'a str, NaiveDate)>,
    item: HashMap<&'a str, (&'a str, Option<NaiveDate>)>,
    protocol: HashMap<&'a str, (&'a str, NaiveDate)>,
    order_date: HashMap<&'a str, NaiveDate>,
}

impl<'a> Events<'a> {
    fn new(p: &'a Period) -> Events<'a> {
        let group_end: HashMap<&str, NaiveDate> =
            p.groups.iter().map(|g| (g.id.as_str(), g.end)).collect();
        let mut exit = HashMap::new();
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
        Events {
            group_end,
            exit,
            learner_groups,
            names: p
                .learners
                .iter()
                .map(|l| (l.id.as_str(), Key::from(l.full_name().as_str())))
                .collect(),
            lesson: p
                .lessons
                .iter()
                .map(|l| (l.id.as_str(), (l.group.as_str(), l.date)))
                .collect(),
            item: p
                .grade_items
                .iter()
                .map(|i| (i.id.as_str(), (i.group.as_str(), i.date)))
                .collect(),
            protocol: p
                .protocols
                .iter()
                .map(|x| (x.id.as_str(), (x.group.as_str(), x.date)))
                .collect(),
            order_date: p.orders.iter().map(|o| (o.id.as_str(), o.date)).collect(),
        }
    }

    /// When the learner left the last of their groups; none while they study in any.
    fn learner_exit(&self, l: &str) -> Option<NaiveDate> {
        let gs = self.learner_groups.get(l)?;
        let mut last = None;
        for g in gs {
            last = last.max(Some(self.exit.get(&(l, *g)).copied().flatten()?));
        }
        last
    }

    /// The end of the last of the learner's groups.
    fn learner_group_end(&self, l: &str) -> Option<NaiveDate> {
        self.learner_groups
            .get(l)?
            .iter()
            .filter_map(|g| self.group_end.get(g).copied())
            .max()
    }

    /// The date of the event the record's term is counted from.
    fn event_date(&self, term: Term, r: &Raw) -> Option<NaiveDate> {
        let Term::Months { from, .. } = term else {
            return None;
        };
        match from {
            Event::Completion => match (r.learner, r.group) {
                (Some(l), Some(g)) => match self.exit.get(&(l, g)) {
                    Some(x) => *x,
                    None => self.learner_exit(l),
                },
                (Some(l), None) => self.learner_exit(l),
                (None, Some(g)) => self.group_end.get(g).copied(),
                (None, None) => None,
            },
            Event::GroupEnd => match (r.group, r.learner) {
                (Some(g), _) => self.group_end.get(g).copied(),
                (None, Some(l)) => self.learner_group_end(l),
                (None, None) => None,
            },
            Event::DocumentDate => r.date,
        }
    }
}

type ItemKey<'a> = (&'static str, String, Option<&'a str>, Option<&'a str>);

/// The items being gathered: each record goes straight into its item, so the period's records are
/// never listed twice.
struct Items<'a, 'e> {
    rule_of: HashMap<&'e str, &'e Rule>,
    events: &'e Events<'a>,
    items: BTreeMap<(ItemKey<'a>, Option<NaiveDate>), Item>,
}

impl<'a> Items<'a, '_> {
    fn add(&mut self, r: Raw<'a>) {
        let Some(rule) = self.rule_of.get(r.kind) else {
            return;
        };
        let event_date = self.events.event_date(rule.term, &r);
        let key = ((r.kind, r.title.clone(), r.learner, r.group), event_date);
        let names = &self.events.names;
        let it = self.items.entry(key).or_insert_with(|| Item {
            kind: Key::from(r.kind),
            title: r.title.clone(),
            learner: r.learner.map(Key::from),
            learner_name: r.learner.and_then(|l| names.get(l).copied()),
            group: r.group.map(Key::from),
            first_date: None,
            last_date: None,
            count: 0,
            term: rule.term,
            event_date,
            end: event_date.and_then(|e| rule.term.end(e)),
            basis: rule.basis.as_deref().map(Key::from),
            event_source: None,
            event_problem: None,
        });
        it.count += 1;
        if let Some(dt) = r.date {
            it.first_date = Some(it.first_date.map_or(dt, |f| f.min(dt)));
            it.last_date = Some(it.last_date.map_or(dt, |l| l.max(dt)));
        }
    }
}

/// Computes the retention facts of a period under its configuration's rules.
pub fn facts(p: &Period) -> Facts {
    let c = &p.config;
    let rules = c.retention.in_force();
    let events = Events::new(p);
    let mut items = Items {
        rule_of: rules
            .iter()
            .flat_map(|r| r.records.iter().map(move |k| (k.as_str(), r)))
            .collect(),
        events: &events,
        items: BTreeMap::new(),
    };
    learners(p, &mut items);
    journal(p, &mut items);
    papers(p, &mut items);
    let mut items: Vec<Item> = items.items.into_values().collect();
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
        items,
        enrolments: stays(p, &events.exit),
        rules,
    }
}

/// The records of learners: cards, enrolments, issued documents, awards, portfolio, credit
/// transfers.
fn learners<'a>(p: &'a Period, items: &mut Items<'a, '_>) {
    for l in &p.learners {
        items.add(row("learners", Some(l.id.as_str()), None, None));
    }
    for e in &p.enrolments {
        items.add(row(
            "enrolments",
            Some(e.learner.as_str()),
            Some(e.group.as_str()),
            Some(e.date),
        ));
    }
    for x in &p.issued_documents {
        items.add(Raw {
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
        items.add(Raw {
            kind: "awards",
            title: a.title.clone(),
            learner: Some(a.learner.as_str()),
            group: None,
            date: Some(a.date),
        });
    }
    for x in &p.portfolio {
        items.add(Raw {
            kind: "portfolio",
            title: x.title.clone(),
            learner: Some(x.learner.as_str()),
            group: None,
            date: x.date,
        });
    }
    for x in &p.credit_transfers {
        items.add(Raw {
            kind: "credit_transfers",
            title: format!("{} ({})", x.course, x.source_organisation),
            learner: Some(x.learner.as_str()),
            group: Some(x.group.as_str()),
            date: Some(x.decision_date),
        });
    }
}

/// The journal: lessons, attendance, grade items, grades, protocols and their results.
fn journal<'a>(p: &'a Period, items: &mut Items<'a, '_>) {
    let events = items.events;
    for l in &p.lessons {
        items.add(row("lessons", None, Some(l.group.as_str()), Some(l.date)));
    }
    for a in &p.attendance {
        let (g, date) = events
            .lesson
            .get(a.lesson.as_str())
            .map(|(g, d)| (Some(*g), Some(*d)))
            .unwrap_or((None, None));
        items.add(row("attendance", Some(a.learner.as_str()), g, date));
    }
    for i in &p.grade_items {
        items.add(row("grade_items", None, Some(i.group.as_str()), i.date));
    }
    for g in &p.grades {
        let (grp, idate) = events
            .item
            .get(g.item.as_str())
            .map(|(g, d)| (Some(*g), *d))
            .unwrap_or((None, None));
        items.add(row(
            "grades",
            Some(g.learner.as_str()),
            grp,
            g.date.or(idate),
        ));
    }
    for x in &p.protocols {
        items.add(Raw {
            kind: "protocols",
            title: format!("Протокол № {} от {}", x.id, crate::l10n::date(x.date)),
            learner: None,
            group: Some(x.group.as_str()),
            date: Some(x.date),
        });
    }
    for r in &p.protocol_results {
        let (g, date) = events
            .protocol
            .get(r.protocol.as_str())
            .map(|(g, d)| (Some(*g), Some(*d)))
            .unwrap_or((None, None));
        items.add(row("protocol_results", Some(r.learner.as_str()), g, date));
    }
}

/// The organisation's papers: orders, attachments, documents.
fn papers<'a>(p: &'a Period, items: &mut Items<'a, '_>) {
    let events = items.events;
    for o in &p.orders {
        items.add(Raw {
            kind: "orders",
            title: format!(
                "Приказ № {} от {} «{}»",
                o.id,
                crate::l10n::date(o.date),
                o.title
            ),
            learner: None,
            group: o.group.as_deref(),
            date: Some(o.date),
        });
    }
    for a in &p.attachments {
        let lesson = a.lesson.as_deref().and_then(|l| events.lesson.get(l));
        let date = a
            .order
            .as_deref()
            .and_then(|o| events.order_date.get(o).copied())
            .or_else(|| lesson.map(|x| x.1));
        let group = a.group.as_deref().or_else(|| lesson.map(|x| x.0));
        items.add(Raw {
            kind: "attachments",
            title: a.title.clone(),
            learner: a.learner.as_deref(),
            group,
            date,
        });
    }
    for m in &p.documents {
        items.add(Raw {
            kind: "documents",
            title: m.title.clone(),
            learner: None,
            group: None,
            date: None,
        });
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
