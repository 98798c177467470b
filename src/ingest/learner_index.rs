//! The staged learners and enrolments looked up by what a platform export knows of a person (ID
//! number, e-mail, name, SNILS), made once for all the exports of a period (which stage neither). Matching every row of
//! an export against every learner grew with the square of the period: a Moodle gradebook of
//! 20,000 learners matched by e-mail lowercased 400,000,000 addresses.
//!
//! Each lookup gives the learners' indexes in `learners` order, as a scan would have found them,
//! so that an ambiguous match names the same learners in the same order.

use super::fields::norm;
use crate::model::{Enrolment, Learner};
use foldhash::HashMap;

#[derive(Default)]
pub struct LearnerIndex {
    /// File number and every platform id.
    by_id: HashMap<String, Vec<usize>>,
    /// E-mail, lowercased.
    by_email: HashMap<String, Vec<usize>>,
    /// Normalised «surname name» and «surname name patronymic» ([`norm`]).
    by_name: HashMap<String, Vec<usize>>,
    /// Normalised full name only.
    by_full_name: HashMap<String, Vec<usize>>,
    by_snils: HashMap<String, Vec<usize>>,
    /// Per learner id, the groups of their enrolments, in enrolment order (repeats kept).
    groups: HashMap<String, Vec<String>>,
}

/// Adds `i` under `key` unless it is there already (it is the last one added, if so).
fn add(map: &mut HashMap<String, Vec<usize>>, key: &str, i: usize) {
    let v = map.entry(key.to_string()).or_default();
    if v.last() != Some(&i) {
        v.push(i);
    }
}

impl LearnerIndex {
    pub fn new(learners: &[Learner], enrolments: &[Enrolment]) -> LearnerIndex {
        let mut x = LearnerIndex::default();
        for (i, l) in learners.iter().enumerate() {
            add(&mut x.by_id, &l.id, i);
            for p in &l.platform_ids {
                add(&mut x.by_id, p, i);
            }
            if let Some(e) = &l.email {
                add(&mut x.by_email, &e.to_lowercase(), i);
            }
            let full = norm(&l.full_name());
            add(
                &mut x.by_name,
                &norm(&format!("{} {}", l.surname, l.name)),
                i,
            );
            add(&mut x.by_name, &full, i);
            add(&mut x.by_full_name, &full, i);
            if let Some(s) = &l.snils {
                add(&mut x.by_snils, s, i);
            }
        }
        for e in enrolments {
            x.groups
                .entry(e.learner.clone())
                .or_default()
                .push(e.group.clone());
        }
        x
    }

    fn get<'a>(map: &'a HashMap<String, Vec<usize>>, key: &str) -> &'a [usize] {
        map.get(key).map_or(&[], Vec::as_slice)
    }

    /// Learners whose file number or platform id is `id`.
    pub fn by_id(&self, id: &str) -> &[usize] {
        Self::get(&self.by_id, id)
    }

    /// Learners whose e-mail is `email` in any case (`email` lowercased already).
    pub fn by_email(&self, email: &str) -> &[usize] {
        Self::get(&self.by_email, email)
    }

    /// Learners whose «surname name» or full name, normalised, is `name` (normalised already).
    pub fn by_name(&self, name: &str) -> &[usize] {
        Self::get(&self.by_name, name)
    }

    /// Learners whose full name, normalised, is `name` (normalised already).
    pub fn by_full_name(&self, name: &str) -> &[usize] {
        Self::get(&self.by_full_name, name)
    }

    pub fn by_snils(&self, snils: &str) -> &[usize] {
        Self::get(&self.by_snils, snils)
    }

    /// The groups of a learner's enrolments, in enrolment order.
    pub fn groups_of(&self, learner: &str) -> &[String] {
        self.groups.get(learner).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::learner;

    /// Every lookup finds what a scan of the learners finds, in the same order.
    #[test]
    fn a_lookup_finds_what_a_scan_finds_in_the_same_order() {
        let mut ls = vec![
            learner("ЛД-1", "Иванова", "Анна", "Петровна", None),
            learner("ЛД-2", "Иванова", "Анна", "Сергеевна", None),
            learner("ЛД-3", "Петров", "Пётр", "Петрович", None),
            learner("ЛД-4", "иванова", "анна", "петровна", None),
        ];
        ls[0].email = Some("Anna@Example.com".into());
        ls[2].email = Some("anna@example.COM".into());
        ls[1].platform_ids = vec!["ЛД-3".into(), "m-7".into()];
        ls[3].platform_ids = vec!["ЛД-4".into()];
        ls[1].snils = Some("112-233-445 95".into());
        ls[3].snils = Some("112-233-445 95".into());
        let x = LearnerIndex::new(&ls, &[]);
        let scan = |f: &dyn Fn(&Learner) -> bool| -> Vec<usize> {
            (0..ls.len()).filter(|&i| f(&ls[i])).collect()
        };
        for id in ["ЛД-1", "ЛД-3", "ЛД-4", "m-7", "нет"] {
            let want = scan(&|l| l.id == id || l.platform_ids.iter().any(|p| p == id));
            assert_eq!(x.by_id(id), want, "{id}");
        }
        assert_eq!(x.by_id("ЛД-3"), [1, 2]);
        assert_eq!(x.by_id("ЛД-4"), [3]);
        let e = "anna@example.com";
        let want = scan(&|l| l.email.as_deref().map(str::to_lowercase).as_deref() == Some(e));
        assert_eq!(x.by_email(e), want);
        assert_eq!(want, [0, 2]);
        for name in [
            "Иванова Анна",
            "Иванова Анна Петровна",
            "ИВАНОВА  АННА  ПЕТРОВНА",
        ] {
            let want = norm(name);
            let by_name = scan(&|l| {
                norm(&format!("{} {}", l.surname, l.name)) == want || norm(&l.full_name()) == want
            });
            assert_eq!(x.by_name(&want), by_name, "{name}");
            let full = scan(&|l| norm(&l.full_name()) == want);
            assert_eq!(x.by_full_name(&want), full, "{name}");
        }
        assert_eq!(x.by_name(&norm("Иванова Анна")), [0, 1, 3]);
        assert_eq!(x.by_full_name(&norm("Иванова Анна Петровна")), [0, 3]);
        assert_eq!(x.by_snils("112-233-445 95"), [1, 3]);
        // A learner's groups, in enrolment order.
        let p = crate::model::fixture::period();
        let x = LearnerIndex::new(&p.learners, &p.enrolments);
        for l in &p.learners {
            let scan: Vec<String> = p
                .enrolments
                .iter()
                .filter(|e| e.learner == l.id)
                .map(|e| e.group.clone())
                .collect();
            assert_eq!(x.groups_of(&l.id), scan, "{}", l.id);
        }
        assert!(p.learners.iter().any(|l| !x.groups_of(&l.id).is_empty()));
    }
}
