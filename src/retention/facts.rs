//! The retention facts of a period: every record put into its item under the rule in force, with
//! the event its term is counted from and that event's date.

use super::{Facts, Item, Stay};
use crate::model::retention::{Event, Rule, Term};
use crate::model::{Key, Outcome, Period};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

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

/// What an item's records add up to while they are gathered: the rest of the item follows from
/// its key and rule, and is made once, when the item is listed (a map of 500,000 whole items,
/// two of them while chunks are merged, was most of the stage's memory at 80,000 learners).
#[derive(Clone, Copy)]
struct Tally {
    count: u64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

impl Tally {
    /// One more record, dated `date` (or not).
    fn add(&mut self, date: Option<NaiveDate>) {
        self.count += 1;
        self.widen(date, date);
    }

    /// Widens the span of dates to take in `first ..= last` (either may be unknown).
    fn widen(&mut self, first: Option<NaiveDate>, last: Option<NaiveDate>) {
        self.first = match (self.first, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(last);
    }
}

/// Items by their key (kind, title, learner, group, event date).
type Map<'a> = HashMap<(ItemKey<'a>, Option<NaiveDate>), Tally>;

/// Records per chunk gathered on one core (an attendance list of 1,500,000 marks is 92 chunks).
const CHUNK: usize = 16_384;

/// What puts records into items: each record goes straight into its item, so the period's
/// records are never listed twice.
struct Items<'a, 'e> {
    rule_of: HashMap<&'e str, &'e Rule>,
    events: &'e Events<'a>,
}

impl<'a> Items<'a, '_> {
    fn add(&self, items: &mut Map<'a>, r: Raw<'a>) {
        let Some(rule) = self.rule_of.get(r.kind) else {
            return;
        };
        let event_date = self.events.event_date(rule.term, &r);
        let key = ((r.kind, r.title, r.learner, r.group), event_date);
        items
            .entry(key)
            .or_insert(Tally {
                count: 0,
                first: None,
                last: None,
            })
            .add(r.date);
    }

    /// The item of a key, with its records' tally.
    fn item(&self, key: (ItemKey<'a>, Option<NaiveDate>), t: Tally) -> Item {
        let ((kind, title, learner, group), event_date) = key;
        // Only kinds with a rule are gathered.
        let rule = self.rule_of[kind];
        Item {
            kind: Key::from(kind),
            title,
            learner: learner.map(Key::from),
            learner_name: learner.and_then(|l| self.events.names.get(l).copied()),
            group: group.map(Key::from),
            first_date: t.first,
            last_date: t.last,
            count: t.count,
            term: rule.term,
            event_date,
            end: event_date.and_then(|e| rule.term.end(e)),
            basis: rule.basis.as_deref().map(Key::from),
            event_source: None,
            event_problem: None,
        }
    }

    /// Every record of `list` put into its item by `raw`, a chunk of records at a time on every
    /// core; the chunks' tallies are merged after (added up and widened, so the merge does not
    /// depend on the order of the chunks).
    fn gather<T: Sync>(
        &self,
        list: &'a [T],
        raw: impl Fn(&'a T) -> Raw<'a> + Sync,
        out: &mut Vec<Item>,
    ) {
        let items = list
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut items = Map::new();
                for r in chunk {
                    self.add(&mut items, raw(r));
                }
                items
            })
            .reduce(Map::new, merge);
        // Exactly: the list holds every item of the period (500,000 at 80,000 learners), and
        // doubling it would leave up to half of it unused through the page and the JSON.
        out.reserve_exact(items.len());
        out.extend(items.into_iter().map(|(key, t)| self.item(key, t)));
    }
}

/// The items of two chunks of records as one: the counts added, the dates' span widened.
fn merge<'a>(a: Map<'a>, b: Map<'a>) -> Map<'a> {
    let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (key, t) in from {
        match into.entry(key) {
            Entry::Vacant(v) => {
                v.insert(t);
            }
            Entry::Occupied(mut o) => {
                let x = o.get_mut();
                x.count += t.count;
                x.widen(t.first, t.last);
            }
        }
    }
    into
}

/// The group and date of the event a record points at (its lesson, protocol), if it is known.
fn placed<'a>(
    events: &HashMap<&'a str, (&'a str, NaiveDate)>,
    key: &str,
) -> (Option<&'a str>, Option<NaiveDate>) {
    events
        .get(key)
        .map_or((None, None), |&(g, d)| (Some(g), Some(d)))
}

/// Computes the retention facts of a period under its configuration's rules.
pub fn facts(p: &Period) -> Facts {
    let c = &p.config;
    let rules = c.retention.in_force();
    let events = Events::new(p);
    let gather = Items {
        rule_of: rules
            .iter()
            .flat_map(|r| r.records.iter().map(move |k| (k.as_str(), r)))
            .collect(),
        events: &events,
    };
    // Items of different kinds never share a key: each kind is gathered on its own (every core
    // on its chunks), and the sort below gives the same order whatever order they came in (no
    // two items are equal: they differ in kind, title, learner, group or event date). Items
    // compare equal only when every field is, so an unstable sort gives the same bytes, without
    // a stable sort's copy of the list.
    let (items, enrolments) = rayon::join(
        || {
            let mut items = Vec::new();
            learners(p, &gather, &mut items);
            journal(p, &gather, &mut items);
            papers(p, &gather, &mut items);
            let order = |k: &str| {
                crate::model::retention::KINDS
                    .iter()
                    .position(|x| *x == k)
                    .unwrap_or(usize::MAX)
            };
            items.par_sort_unstable_by(|a, b| {
                order(&a.kind).cmp(&order(&b.kind)).then_with(|| a.cmp(b))
            });
            items
        },
        || stays(p, &events.exit),
    );
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
        enrolments,
        rules,
    }
}

/// The records of learners: cards, enrolments, issued documents, awards, portfolio, credit
/// transfers.
fn learners<'a>(p: &'a Period, items: &Items<'a, '_>, out: &mut Vec<Item>) {
    items.gather(
        &p.learners,
        |l| row("learners", Some(l.id.as_str()), None, None),
        out,
    );
    items.gather(
        &p.enrolments,
        |e| {
            row(
                "enrolments",
                Some(e.learner.as_str()),
                Some(e.group.as_str()),
                Some(e.date),
            )
        },
        out,
    );
    items.gather(
        &p.issued_documents,
        |x| Raw {
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
        },
        out,
    );
    items.gather(
        &p.awards,
        |a| Raw {
            kind: "awards",
            title: a.title.clone(),
            learner: Some(a.learner.as_str()),
            group: None,
            date: Some(a.date),
        },
        out,
    );
    items.gather(
        &p.portfolio,
        |x| Raw {
            kind: "portfolio",
            title: x.title.clone(),
            learner: Some(x.learner.as_str()),
            group: None,
            date: x.date,
        },
        out,
    );
    items.gather(
        &p.credit_transfers,
        |x| Raw {
            kind: "credit_transfers",
            title: format!("{} ({})", x.course, x.source_organisation),
            learner: Some(x.learner.as_str()),
            group: Some(x.group.as_str()),
            date: Some(x.decision_date),
        },
        out,
    );
}

/// The journal: lessons, attendance, grade items, grades, protocols and their results.
fn journal<'a>(p: &'a Period, items: &Items<'a, '_>, out: &mut Vec<Item>) {
    let events = items.events;
    items.gather(
        &p.lessons,
        |l| row("lessons", None, Some(l.group.as_str()), Some(l.date)),
        out,
    );
    items.gather(
        &p.attendance,
        |a| {
            let (g, date) = placed(&events.lesson, &a.lesson);
            row("attendance", Some(a.learner.as_str()), g, date)
        },
        out,
    );
    items.gather(
        &p.grade_items,
        |i| row("grade_items", None, Some(i.group.as_str()), i.date),
        out,
    );
    items.gather(
        &p.grades,
        |g| {
            let (grp, idate) = events
                .item
                .get(g.item.as_str())
                .map(|(g, d)| (Some(*g), *d))
                .unwrap_or((None, None));
            row("grades", Some(g.learner.as_str()), grp, g.date.or(idate))
        },
        out,
    );
    items.gather(
        &p.protocols,
        |x| Raw {
            kind: "protocols",
            title: format!("Протокол № {} от {}", x.id, crate::l10n::date(x.date)),
            learner: None,
            group: Some(x.group.as_str()),
            date: Some(x.date),
        },
        out,
    );
    items.gather(
        &p.protocol_results,
        |r| {
            let (g, date) = placed(&events.protocol, &r.protocol);
            row("protocol_results", Some(r.learner.as_str()), g, date)
        },
        out,
    );
}

/// The organisation's papers: orders, attachments, documents.
fn papers<'a>(p: &'a Period, items: &Items<'a, '_>, out: &mut Vec<Item>) {
    let events = items.events;
    items.gather(
        &p.orders,
        |o| Raw {
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
        },
        out,
    );
    items.gather(
        &p.attachments,
        |a| {
            let lesson = a.lesson.as_deref().and_then(|l| events.lesson.get(l));
            let date = a
                .order
                .as_deref()
                .and_then(|o| events.order_date.get(o).copied())
                .or_else(|| lesson.map(|x| x.1));
            let group = a.group.as_deref().or_else(|| lesson.map(|x| x.0));
            Raw {
                kind: "attachments",
                title: a.title.clone(),
                learner: a.learner.as_deref(),
                group,
                date,
            }
        },
        out,
    );
    items.gather(
        &p.documents,
        |m| Raw {
            kind: "documents",
            title: m.title.clone(),
            learner: None,
            group: None,
            date: None,
        },
        out,
    );
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
