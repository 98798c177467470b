//! Lookup tables over a [`Period`], built once so that every page is assembled in time proportional
//! to its own size (the 20,000-learner period renders each personal file without scanning all
//! attendance rows).

use crate::model::*;
use foldhash::{HashMap, HashMapExt};

#[derive(Default)]
pub struct Lookup<'a> {
    pub learner: HashMap<&'a str, &'a Learner>,
    pub group: HashMap<&'a str, &'a Group>,
    pub programme: HashMap<&'a str, &'a Programme>,
    pub order: HashMap<&'a str, &'a Order>,
    pub lesson: HashMap<&'a str, &'a Lesson>,
    pub item: HashMap<&'a str, &'a GradeItem>,
    pub protocol: HashMap<&'a str, &'a Protocol>,
    pub enrolments_of_learner: HashMap<&'a str, Vec<&'a Enrolment>>,
    pub enrolments_of_group: HashMap<&'a str, Vec<&'a Enrolment>>,
    pub groups_of_programme: HashMap<&'a str, Vec<&'a Group>>,
    pub lessons_of_group: HashMap<&'a str, Vec<&'a Lesson>>,
    pub items_of_group: HashMap<&'a str, Vec<&'a GradeItem>>,
    pub items_of_lesson: HashMap<&'a str, Vec<&'a GradeItem>>,
    pub attendance_of_learner: Grouped<'a, Attendance>,
    pub attendance_of_lesson: Grouped<'a, Attendance>,
    pub grades_of_learner: Grouped<'a, Grade>,
    pub grades_of_item: Grouped<'a, Grade>,
    pub protocols_of_group: HashMap<&'a str, Vec<&'a Protocol>>,
    pub results_of_protocol: HashMap<&'a str, Vec<&'a ProtocolResult>>,
    pub results_of_learner: HashMap<&'a str, Vec<&'a ProtocolResult>>,
    pub orders_of_group: HashMap<&'a str, Vec<&'a Order>>,
    pub issued_of_learner: HashMap<&'a str, Vec<&'a IssuedDocument>>,
    pub awards_of_learner: HashMap<&'a str, Vec<&'a Award>>,
    pub portfolio_of_learner: HashMap<&'a str, Vec<&'a PortfolioItem>>,
    pub transfers_of_learner: HashMap<&'a str, Vec<&'a CreditTransfer>>,
    pub transfers_of_group: HashMap<&'a str, Vec<&'a CreditTransfer>>,
    pub attachments_of_learner: HashMap<&'a str, Vec<&'a Attachment>>,
    pub attachments_of_group: HashMap<&'a str, Vec<&'a Attachment>>,
    pub attachments_of_lesson: HashMap<&'a str, Vec<&'a Attachment>>,
    pub attachments_of_order: HashMap<&'a str, Vec<&'a Attachment>>,
}

fn push<'a, T>(map: &mut HashMap<&'a str, Vec<&'a T>>, key: &'a str, v: &'a T) {
    map.entry(key).or_default().push(v);
}

impl<'a> Lookup<'a> {
    pub fn new(p: &'a Period) -> Self {
        let mut l = Lookup::default();
        for x in &p.learners {
            l.learner.insert(&x.id, x);
        }
        for x in &p.groups {
            l.group.insert(&x.id, x);
            push(&mut l.groups_of_programme, &x.programme, x);
        }
        for x in &p.programmes {
            l.programme.insert(&x.id, x);
        }
        for x in &p.orders {
            l.order.insert(&x.id, x);
            if let Some(g) = &x.group {
                push(&mut l.orders_of_group, g, x);
            }
        }
        for x in &p.lessons {
            l.lesson.insert(&x.id, x);
            push(&mut l.lessons_of_group, &x.group, x);
        }
        for x in &p.grade_items {
            l.item.insert(&x.id, x);
            push(&mut l.items_of_group, &x.group, x);
            if let Some(les) = &x.lesson {
                push(&mut l.items_of_lesson, les, x);
            }
        }
        for x in &p.protocols {
            l.protocol.insert(&x.id, x);
            push(&mut l.protocols_of_group, &x.group, x);
        }
        for x in &p.enrolments {
            push(&mut l.enrolments_of_learner, &x.learner, x);
            push(&mut l.enrolments_of_group, &x.group, x);
        }
        l.attendance_of_learner = Grouped::new(&p.attendance, |x| &x.learner);
        l.attendance_of_lesson = Grouped::new(&p.attendance, |x| &x.lesson);
        l.grades_of_learner = Grouped::new(&p.grades, |x| &x.learner);
        l.grades_of_item = Grouped::new(&p.grades, |x| &x.item);
        for x in &p.protocol_results {
            push(&mut l.results_of_protocol, &x.protocol, x);
            push(&mut l.results_of_learner, &x.learner, x);
        }
        for x in &p.issued_documents {
            push(&mut l.issued_of_learner, &x.learner, x);
        }
        for x in &p.awards {
            push(&mut l.awards_of_learner, &x.learner, x);
        }
        for x in &p.portfolio {
            push(&mut l.portfolio_of_learner, &x.learner, x);
        }
        for x in &p.credit_transfers {
            push(&mut l.transfers_of_learner, &x.learner, x);
            push(&mut l.transfers_of_group, &x.group, x);
        }
        for x in &p.attachments {
            if let Some(k) = &x.learner {
                push(&mut l.attachments_of_learner, k, x);
            }
            if let Some(k) = &x.group {
                push(&mut l.attachments_of_group, k, x);
            }
            if let Some(k) = &x.lesson {
                push(&mut l.attachments_of_lesson, k, x);
            }
            if let Some(k) = &x.order {
                push(&mut l.attachments_of_order, k, x);
            }
        }
        l
    }
}

/// The records of a big list (attendance, grades) grouped by a key, in the list's order: one
/// `u32` a record (their positions, group after group) and one range a key, instead of a vector
/// of references per key (a quarter of the memory at 80,000 learners).
pub struct Grouped<'a, T> {
    list: &'a [T],
    ranges: HashMap<&'a str, (u32, u32)>,
    positions: Vec<u32>,
}

impl<T> Default for Grouped<'_, T> {
    fn default() -> Self {
        Grouped {
            list: &[],
            ranges: HashMap::new(),
            positions: Vec::new(),
        }
    }
}

impl<'a, T> Grouped<'a, T> {
    pub fn new(list: &'a [T], key: impl Fn(&'a T) -> &'a str) -> Self {
        // Counted first, then each record's position written at its key's next free place.
        let mut ranges: HashMap<&'a str, (u32, u32)> = HashMap::new();
        for x in list {
            ranges.entry(key(x)).or_default().1 += 1;
        }
        let mut keys: Vec<&&'a str> = ranges.keys().collect();
        keys.sort_unstable();
        let mut start = 0u32;
        let mut next: HashMap<&'a str, u32> = HashMap::with_capacity(keys.len());
        for k in keys {
            next.insert(k, start);
            start += ranges[k].1;
        }
        for (k, r) in ranges.iter_mut() {
            r.0 = next[k];
        }
        let mut positions = vec![0u32; list.len()];
        for (i, x) in list.iter().enumerate() {
            // Every key was counted above, so each record finds its place.
            if let Some(at) = next.get_mut(key(x)) {
                positions[*at as usize] = i as u32;
                *at += 1;
            }
        }
        Grouped {
            list,
            ranges,
            positions,
        }
    }

    /// The records of `key`, in the list's order; `None` when it has none.
    pub fn get(&self, key: &str) -> Option<Records<'_, 'a, T>> {
        self.ranges.get(key).map(|&(start, len)| Records {
            list: self.list,
            positions: &self.positions[start as usize..(start + len) as usize],
        })
    }
}

/// The records of one key of a [`Grouped`] list.
pub struct Records<'g, 'a, T> {
    list: &'a [T],
    positions: &'g [u32],
}

impl<T> Clone for Records<'_, '_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Records<'_, '_, T> {}

impl<'a, T> Iterator for Records<'_, 'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let (&first, rest) = self.positions.split_first()?;
        self.positions = rest;
        self.list.get(first as usize)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.positions.len(), Some(self.positions.len()))
    }
}

impl<T> ExactSizeIterator for Records<'_, '_, T> {}

/// Sort key for names in Russian alphabetical order: lowercase, `ё` = `е`.
pub fn name_key(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Grouped;

    #[test]
    fn grouped_records_come_in_the_order_of_the_list() {
        let list = ["b1", "a1", "b2", "c1", "a2", "b3"];
        let g = Grouped::new(&list, |x: &&str| &x[..1]);
        let of = |k: &str| g.get(k).map(|r| r.copied().collect::<Vec<_>>());
        assert_eq!(of("a"), Some(vec!["a1", "a2"]));
        assert_eq!(of("b"), Some(vec!["b1", "b2", "b3"]));
        assert_eq!(of("c"), Some(vec!["c1"]));
        assert_eq!(of("d"), None);
        assert_eq!(g.get("b").map(|r| r.len()), Some(3));
    }
}
