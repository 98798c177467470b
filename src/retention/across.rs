//! Completion dates from later archives on the same medium.
//!
//! A learner still studying when an archive is sealed has no completion date in it, so records
//! counted from completion have no term there. When the archive is read from a medium ([`resolve`],
//! called by [`super::scan`]), each such enrolment is looked up in the later archives of the same
//! organisation on that medium (period ending later), in their sealed `data/retention.json`, and
//! only in archives that verify against their manifests. Nothing sealed is changed: the date and
//! the archive it came from are added to the items in memory ([`super::Item::event_source`]).
//!
//! The same enrolment is the same learner id, the same group code and the same group start date
//! (a group code reused for a later group is another group), held by the same person: the same
//! SNILS when both archives have one, otherwise the same full name (ё = е, case ignored) and no
//! differing birth dates. What is not certain is reported and never used: the id held by another
//! person in the later archive (an id reused), different outcome dates in two later archives, or
//! the same person under another learner id or another group code of the same programme and start
//! (a renumbered learner or a renamed group).

use super::{Facts, OnMedium, Stay};
use crate::l10n::date;
use crate::model::retention::{Event, Term};
use crate::model::{Lang, Outcome};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why no later archive gave an enrolment's completion date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Problem {
    /// No archive of the organisation on the medium has a later period.
    NoLaterArchive,
    /// The later archives do not hold this enrolment.
    NotInLater { archives: Vec<String> },
    /// The last later archive holding the enrolment has the learner still studying.
    StillStudying { archive: String },
    /// A later archive has this learner id in this group, but for another person.
    OtherPerson {
        archive: String,
        learner_name: String,
    },
    /// Later archives give different outcomes (archive, date or none while studying).
    Conflict {
        dates: Vec<(String, Option<NaiveDate>)>,
    },
    /// The same person in a later archive under another learner id or group code: not used.
    Unconfirmed {
        archive: String,
        learner: String,
        group: String,
    },
    /// Later archives that do not verify against their manifests: not used.
    Unverified { archives: Vec<String> },
    /// This archive was built without its list of enrolments: nothing to look up.
    NoEnrolments,
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let d = |x: &Option<NaiveDate>| match x {
            Some(x) => date(*x),
            None if ru => "обучается".into(),
            None => "studying".into(),
        };
        match self {
            Problem::NoLaterArchive if ru => "более поздних архивов на носителе нет".into(),
            Problem::NoLaterArchive => "no later archive on the medium".into(),
            Problem::NotInLater { archives } if ru => {
                format!("в более поздних архивах ({}) этого зачисления нет", archives.join(", "))
            }
            Problem::NotInLater { archives } => format!(
                "the later archives ({}) do not hold this enrolment",
                archives.join(", ")
            ),
            Problem::StillStudying { archive } if ru => {
                format!("в архиве {archive} слушатель ещё обучается")
            }
            Problem::StillStudying { archive } => {
                format!("archive {archive} still has the learner studying")
            }
            Problem::OtherPerson {
                archive,
                learner_name,
            } if ru => format!(
                "неоднозначно: в архиве {archive} этот номер в этой группе у другого слушателя ({learner_name}); дата не взята"
            ),
            Problem::OtherPerson {
                archive,
                learner_name,
            } => format!(
                "ambiguous: in archive {archive} this id in this group belongs to another learner ({learner_name}); no date taken"
            ),
            Problem::Conflict { dates } => {
                let list = dates
                    .iter()
                    .map(|(a, x)| format!("{a}: {}", d(x)))
                    .collect::<Vec<_>>()
                    .join(", ");
                if ru {
                    format!("неоднозначно: более поздние архивы расходятся ({list}); дата не взята")
                } else {
                    format!("ambiguous: the later archives disagree ({list}); no date taken")
                }
            }
            Problem::Unconfirmed {
                archive,
                learner,
                group,
            } if ru => format!(
                "неоднозначно: в архиве {archive} тот же человек под номером {learner} в группе {group} (другой номер или переименованная группа?); дата не взята"
            ),
            Problem::Unconfirmed {
                archive,
                learner,
                group,
            } => format!(
                "ambiguous: archive {archive} has the same person as {learner} in group {group} (another id or a renamed group?); no date taken"
            ),
            Problem::Unverified { archives } if ru => format!(
                "архивы {} не проходят проверку контрольных сумм и не использованы",
                archives.join(", ")
            ),
            Problem::Unverified { archives } => format!(
                "archives {} fail their checksum verification and were not used",
                archives.join(", ")
            ),
            Problem::NoEnrolments if ru => {
                "архив собран без перечня зачислений; пересоберите его, чтобы искать дату в более поздних архивах".into()
            }
            Problem::NoEnrolments => {
                "the archive was built without its list of enrolments; rebuild it to look the date up in later archives".into()
            }
        }
    }
}

/// What the later archives say about one enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Date(NaiveDate, String),
    Problem(Problem),
}

fn norm(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// The same person: the same SNILS when both have one, otherwise the same full name and no
/// differing birth dates.
fn same_person(a: &Stay, b: &Stay) -> bool {
    if let (Some(x), Some(y)) = (&a.snils, &b.snils) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.birth_date, b.birth_date)
        && x != y
    {
        return false;
    }
    norm(&a.learner_name) == norm(&b.learner_name)
}

/// A later archive's enrolments, looked up by the enrolment (learner, group, start) and by the
/// group's start (for a renumbered learner's hint), each list in the archive's order: looking every
/// pending enrolment up by scanning every later enrolment grew with the square of the school.
struct Later<'a> {
    name: &'a str,
    exact: HashMap<(&'a str, &'a str, NaiveDate), Vec<&'a Stay>>,
    by_start: HashMap<NaiveDate, Vec<&'a Stay>>,
}

impl<'a> Later<'a> {
    fn new(name: &'a str, f: &'a Facts) -> Later<'a> {
        let mut l = Later {
            name,
            exact: HashMap::new(),
            by_start: HashMap::new(),
        };
        for x in &f.enrolments {
            l.exact
                .entry((x.learner.as_str(), x.group.as_str(), x.group_start))
                .or_default()
                .push(x);
            l.by_start.entry(x.group_start).or_default().push(x);
        }
        l
    }
}

/// Looks one enrolment of `own` up in the later archives (sorted by period).
#[cfg(test)]
fn look_up(s: &Stay, later: &[(&str, &Facts)], unverified: &[String]) -> Found {
    let later: Vec<Later> = later.iter().map(|(n, f)| Later::new(n, f)).collect();
    look_up_in(s, &later, unverified)
}

/// [`look_up`] in the later archives, indexed.
fn look_up_in(s: &Stay, later: &[Later], unverified: &[String]) -> Found {
    if later.is_empty() && unverified.is_empty() {
        return Found::Problem(Problem::NoLaterArchive);
    }
    // (archive, exit) of every later archive holding the enrolment, in period order.
    let mut seen: Vec<(String, Option<NaiveDate>)> = Vec::new();
    let mut hint: Option<Problem> = None;
    for l in later {
        let name = &l.name;
        let exact: &[&Stay] = l
            .exact
            .get(&(s.learner.as_str(), s.group.as_str(), s.group_start))
            .map_or(&[], Vec::as_slice);
        for x in exact {
            if !same_person(s, x) {
                return Found::Problem(Problem::OtherPerson {
                    archive: name.to_string(),
                    learner_name: x.learner_name.clone(),
                });
            }
            let exit = match x.outcome {
                Outcome::Studying => None,
                _ => x.exit,
            };
            if !seen.iter().any(|(a, e)| a == name && *e == exit) {
                seen.push((name.to_string(), exit));
            }
        }
        if exact.is_empty() && hint.is_none() {
            hint = l
                .by_start
                .get(&s.group_start)
                .into_iter()
                .flatten()
                .find(|x| same_person(s, x) && (x.group == s.group || x.programme == s.programme))
                .map(|x| Problem::Unconfirmed {
                    archive: name.to_string(),
                    learner: x.learner.clone(),
                    group: x.group.clone(),
                });
        }
    }
    // Once an archive has an exit, every later one holding the enrolment must agree with it.
    let first_exit = seen.iter().position(|(_, e)| e.is_some());
    if let Some(i) = first_exit {
        let exit = seen[i].1;
        if seen[i..].iter().any(|(_, e)| *e != exit) {
            return Found::Problem(Problem::Conflict { dates: seen });
        }
        if let Some(e) = exit {
            return Found::Date(e, seen[i].0.clone());
        }
    }
    if let Some(h) = hint
        && seen.is_empty()
    {
        return Found::Problem(h);
    }
    if !unverified.is_empty() {
        return Found::Problem(Problem::Unverified {
            archives: unverified.to_vec(),
        });
    }
    match seen.last() {
        Some((a, _)) => Found::Problem(Problem::StillStudying { archive: a.clone() }),
        None => Found::Problem(Problem::NotInLater {
            archives: later.iter().map(|l| l.name.to_string()).collect(),
        }),
    }
}

/// Gives the items of every archive whose term counts from a completion its archive does not
/// have the date from the later archives, or the reason why not. `verifies` says whether an
/// archive verifies against its manifests (asked only for archives that are looked into).
pub fn resolve(archives: &mut [OnMedium], mut verifies: impl FnMut(&OnMedium) -> bool) {
    let mut ok: HashMap<String, bool> = HashMap::new();
    let mut updates: Vec<(usize, Vec<(usize, Found)>)> = Vec::new();
    for (ai, a) in archives.iter().enumerate() {
        let Some(f) = &a.facts else { continue };
        let pending = pending(f);
        if pending.is_empty() {
            continue;
        }
        if f.enrolments.is_empty() {
            let none = pending
                .into_iter()
                .map(|n| (n, Found::Problem(Problem::NoEnrolments)))
                .collect();
            updates.push((ai, none));
            continue;
        }
        let (later, unverified) = later_archives(archives, a, f, &mut ok, &mut verifies);
        let later: Vec<Later> = later.into_iter().map(|(n, g)| Later::new(n, g)).collect();
        let mut own: HashMap<&str, Vec<&Stay>> = HashMap::new();
        for s in &f.enrolments {
            own.entry(s.learner.as_str()).or_default().push(s);
        }
        let mut cache: HashMap<(String, String, NaiveDate), Found> = HashMap::new();
        let mut by_stay = |s: &Stay| -> Found {
            if let Some(e) = s.exit {
                return Found::Date(e, String::new());
            }
            cache
                .entry((s.learner.clone(), s.group.clone(), s.group_start))
                .or_insert_with(|| look_up_in(s, &later, &unverified))
                .clone()
        };
        let out = pending
            .into_iter()
            .filter_map(|n| item_event(&f.items[n], f, &own, &mut by_stay).map(|found| (n, found)))
            .collect();
        updates.push((ai, out));
    }
    apply(archives, updates);
}

/// The items of an archive whose term counts from a learner's completion and have no date.
fn pending(f: &Facts) -> Vec<usize> {
    f.items
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            matches!(
                i.term,
                Term::Months {
                    from: Event::Completion,
                    ..
                }
            ) && i.event_date.is_none()
                && i.learner.is_some()
        })
        .map(|(n, _)| n)
        .collect()
}

/// The later archives of the same organisation on the medium, oldest first, that verify; and the
/// names of those that do not. `ok` remembers each archive's verification across calls.
fn later_archives<'m>(
    archives: &'m [OnMedium],
    a: &OnMedium,
    f: &Facts,
    ok: &mut HashMap<String, bool>,
    verifies: &mut impl FnMut(&OnMedium) -> bool,
) -> (Vec<(&'m str, &'m Facts)>, Vec<String>) {
    let mut candidates: Vec<&OnMedium> = archives
        .iter()
        .filter(|o| {
            o.name != a.name
                && o.facts.as_ref().is_some_and(|g| {
                    g.organisation == f.organisation && g.period_end > f.period_end
                })
        })
        .collect();
    candidates.sort_by_key(|o| {
        o.facts
            .as_ref()
            .map(|g| (g.period_start, g.period_end, o.name.clone()))
    });
    let mut later = Vec::new();
    let mut unverified = Vec::new();
    for o in candidates {
        let good = *ok.entry(o.name.clone()).or_insert_with(|| verifies(o));
        match (&o.facts, good) {
            (Some(g), true) => later.push((o.name.as_str(), g)),
            _ => unverified.push(o.name.clone()),
        }
    }
    (later, unverified)
}

/// The event of one pending item from the learner's stays (`by_stay` looks each up in the later
/// archives); `None` when there is nothing to look up.
fn item_event(
    i: &super::Item,
    f: &Facts,
    stays: &HashMap<&str, Vec<&Stay>>,
    by_stay: &mut impl FnMut(&Stay) -> Found,
) -> Option<Found> {
    let l = i.learner.as_deref()?;
    // The learner's enrolments in the archive's order, from `stays` (made once per archive).
    let own: Vec<&Stay> = stays.get(l).cloned().unwrap_or_default();
    let in_group: Vec<&Stay> = own
        .iter()
        .copied()
        .filter(|s| Some(s.group.as_str()) == i.group.as_deref())
        .collect();
    // A record of the learner in a group counts from that enrolment; one without a group (or in a
    // group the learner is not enrolled in) from the learner's last exit.
    let stays = if in_group.is_empty() { own } else { in_group };
    if stays.is_empty() {
        // No list at all (an archive built before it existed), or a learner without an enrolment
        // in this period: nothing to look up.
        return f
            .enrolments
            .is_empty()
            .then_some(Found::Problem(Problem::NoEnrolments));
    }
    let mut last: Option<NaiveDate> = None;
    let mut sources: Vec<String> = Vec::new();
    let mut problem = None;
    for s in stays {
        match by_stay(s) {
            Found::Date(d, src) => {
                last = last.max(Some(d));
                if !src.is_empty() && !sources.contains(&src) {
                    sources.push(src);
                }
            }
            Found::Problem(p) => {
                problem.get_or_insert(p);
            }
        }
    }
    Some(match (problem, last) {
        (Some(p), _) => Found::Problem(p),
        (None, Some(d)) => Found::Date(d, sources.join(", ")),
        (None, None) => Found::Problem(Problem::NoEnrolments),
    })
}

/// Writes what was found into the archives' items.
fn apply(archives: &mut [OnMedium], updates: Vec<(usize, Vec<(usize, Found)>)>) {
    for (ai, out) in updates {
        let Some(f) = archives[ai].facts.as_mut() else {
            continue;
        };
        for (n, found) in out {
            let i = &mut f.items[n];
            match found {
                Found::Date(d, src) => {
                    i.event_date = Some(d);
                    i.end = i.term.end(d);
                    i.event_source = (!src.is_empty()).then(|| src.into());
                }
                Found::Problem(p) => i.event_problem = Some(Box::new(p)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn stay(learner: &str, name: &str, group: &str, start: &str, exit: Option<&str>) -> Stay {
        Stay {
            learner: learner.into(),
            learner_name: name.into(),
            birth_date: None,
            snils: None,
            group: group.into(),
            programme: "П1".into(),
            group_start: d(start),
            outcome: if exit.is_some() {
                Outcome::Completed
            } else {
                Outcome::Studying
            },
            exit: exit.map(d),
        }
    }

    fn facts(enrolments: Vec<Stay>) -> Facts {
        Facts {
            archive: String::new(),
            organisation: "ООО «Тест»".into(),
            period_id: String::new(),
            period_title: String::new(),
            period_start: d("2026-01-01"),
            period_end: d("2026-12-31"),
            rules: vec![],
            items: vec![],
            enrolments,
        }
    }

    #[test]
    fn later_archives_that_disagree_give_no_date() {
        let s = stay("Л1", "Петров Пётр", "Г-1", "2025-10-01", None);
        let a = facts(vec![stay(
            "Л1",
            "Петров Пётр",
            "Г-1",
            "2025-10-01",
            Some("2026-03-31"),
        )]);
        let b = facts(vec![stay(
            "Л1",
            "ПЕТРОВ  Пётр",
            "Г-1",
            "2025-10-01",
            Some("2026-04-15"),
        )]);
        let found = look_up(&s, &[("a", &a), ("b", &b)], &[]);
        assert_eq!(
            found,
            Found::Problem(Problem::Conflict {
                dates: vec![
                    ("a".into(), Some(d("2026-03-31"))),
                    ("b".into(), Some(d("2026-04-15")))
                ]
            })
        );
        // The same date twice is no conflict: the first archive is the source.
        let c = facts(vec![stay(
            "Л1",
            "Петров Пётр",
            "Г-1",
            "2025-10-01",
            Some("2026-03-31"),
        )]);
        assert_eq!(
            look_up(&s, &[("a", &a), ("c", &c)], &[]),
            Found::Date(d("2026-03-31"), "a".into())
        );
        // Studying in one later archive, completed in the next one: the completion.
        let studying = facts(vec![stay("Л1", "Петров Пётр", "Г-1", "2025-10-01", None)]);
        assert_eq!(
            look_up(&s, &[("s", &studying), ("a", &a)], &[]),
            Found::Date(d("2026-03-31"), "a".into())
        );
        assert_eq!(
            look_up(&s, &[("s", &studying)], &[]),
            Found::Problem(Problem::StillStudying {
                archive: "s".into()
            })
        );
    }

    #[test]
    fn a_group_code_reused_for_a_later_group_is_another_group_and_snils_decides_identity() {
        let s = stay("Л1", "Петрова Анна", "Г-1", "2025-10-01", None);
        // Г-1 of 2026 started later: another group, and another programme, so not even a hint.
        let mut other = stay(
            "Л1",
            "Петрова Анна",
            "Г-1",
            "2026-09-01",
            Some("2026-12-20"),
        );
        other.programme = "П2".into();
        let later = facts(vec![other]);
        assert_eq!(
            look_up(&s, &[("x", &later)], &[]),
            Found::Problem(Problem::NotInLater {
                archives: vec!["x".into()]
            })
        );
        // A surname changed by marriage, the same SNILS: the same person.
        let mut s2 = s.clone();
        s2.snils = Some("112-233-445 95".into());
        let mut married = stay(
            "Л1",
            "Смирнова Анна",
            "Г-1",
            "2025-10-01",
            Some("2026-03-31"),
        );
        married.snils = s2.snils.clone();
        let later = facts(vec![married.clone()]);
        assert_eq!(
            look_up(&s2, &[("x", &later)], &[]),
            Found::Date(d("2026-03-31"), "x".into())
        );
        // The same name with another SNILS: another person.
        married.learner_name = "Петрова Анна".into();
        married.snils = Some("987-654-321 00".into());
        let later = facts(vec![married]);
        assert!(matches!(
            look_up(&s2, &[("x", &later)], &[]),
            Found::Problem(Problem::OtherPerson { .. })
        ));
        // Nothing later at all; later archives that do not verify.
        assert_eq!(
            look_up(&s, &[], &[]),
            Found::Problem(Problem::NoLaterArchive)
        );
        assert_eq!(
            look_up(&s, &[], &["y".into()]),
            Found::Problem(Problem::Unverified {
                archives: vec!["y".into()]
            })
        );
    }

    fn item(kind: &str, learner: &str, group: Option<&str>) -> super::super::Item {
        super::super::Item {
            kind: kind.into(),
            title: String::new(),
            learner: Some(learner.into()),
            learner_name: None,
            group: group.map(Into::into),
            first_date: None,
            last_date: None,
            count: 1,
            term: Term::Months {
                months: 12,
                from: Event::Completion,
            },
            event_date: None,
            end: None,
            basis: None,
            event_source: None,
            event_problem: None,
        }
    }

    fn on(name: &str, f: Facts) -> OnMedium {
        OnMedium {
            name: name.into(),
            path: std::path::PathBuf::from(name),
            facts: Some(f),
        }
    }

    #[test]
    fn a_card_counts_from_the_last_exit_of_all_groups_and_old_archives_are_named() {
        // 2025: Л1 completed Г-0 in May and is still studying in Г-1; Л9 has a card only.
        let mut own = facts(vec![
            stay("Л1", "Петров Пётр", "Г-0", "2025-02-01", Some("2025-05-31")),
            stay("Л1", "Петров Пётр", "Г-1", "2025-10-01", None),
        ]);
        own.period_start = d("2025-01-01");
        own.period_end = d("2025-12-31");
        own.items = vec![
            item("learners", "Л1", None),
            item("grades", "Л1", Some("Г-1")),
            item("learners", "Л9", None),
        ];
        let later = facts(vec![stay(
            "Л1",
            "Петров Пётр",
            "Г-1",
            "2025-10-01",
            Some("2026-03-31"),
        )]);
        // An archive built before the list of enrolments existed.
        let mut old = own.clone();
        old.enrolments.clear();
        old.period_end = d("2024-12-31");
        let mut all = vec![on("a-2024", old), on("a-2025", own), on("a-2026", later)];
        let mut asked = Vec::new();
        resolve(&mut all, |o| {
            asked.push(o.name.clone());
            true
        });
        // Only the archives looked into are verified (the old one looks into none).
        assert_eq!(asked, ["a-2026"]);
        let f = all[1].facts.as_ref().unwrap();
        for i in &f.items[..2] {
            assert_eq!(i.event_date, Some(d("2026-03-31")), "{i:?}");
            assert_eq!(i.end, Some(d("2027-03-31")));
            assert_eq!(i.event_source.as_deref(), Some("a-2026"));
        }
        // A card without an enrolment keeps today's reason, with nothing added.
        assert_eq!((f.items[2].end, &f.items[2].event_problem), (None, &None));
        let old = all[0].facts.as_ref().unwrap();
        assert_eq!(
            old.items[0].event_problem,
            Some(Box::new(Problem::NoEnrolments))
        );
    }
}
