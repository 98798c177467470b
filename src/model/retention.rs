//! Retention rules (`retention:` in `letopis.yaml`) and the expert commission (`commission:`).
//!
//! A rule names record kinds (input file stems), a term in years and/or months counted from an
//! event, or `permanent: true`, and optionally its basis:
//! ```yaml
//! retention:
//!   - records: [learners, enrolments, grades, attendance]
//!     years: 5
//!     from: completion        # completion | group_end | document_date
//!     basis: Положение об индивидуальном учёте, п. 6.1
//!   - records: [orders, issued_documents]
//!     permanent: true
//! ```
//! Kinds without a rule keep the defaults of [`default_rules`] (they follow the seeds' regulations).
//! Problems are reported by the YAML reader with the file, line and column of the rule.

use super::Person;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Record kinds a rule can name: the input file stems.
pub const KINDS: &[&str] = &[
    "learners",
    "enrolments",
    "orders",
    "lessons",
    "attendance",
    "grade_items",
    "grades",
    "protocols",
    "protocol_results",
    "issued_documents",
    "awards",
    "portfolio",
    "credit_transfers",
    "attachments",
    "documents",
];

/// What a term is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The learner leaves: completion or expulsion (the enrolment's outcome date).
    Completion,
    /// The end of the learner's group.
    GroupEnd,
    /// The date of the record itself (order, protocol, lesson, grade, issue date...).
    DocumentDate,
}

impl Event {
    pub fn label(self, lang: super::Lang) -> &'static str {
        match (self, lang) {
            (Event::Completion, super::Lang::Ru) => "окончание обучения или отчисление",
            (Event::Completion, super::Lang::En) => "completion or expulsion",
            (Event::GroupEnd, super::Lang::Ru) => "окончание обучения группы",
            (Event::GroupEnd, super::Lang::En) => "end of the group",
            (Event::DocumentDate, super::Lang::Ru) => "дата документа",
            (Event::DocumentDate, super::Lang::En) => "date of the document",
        }
    }
}

/// A retention term: `months` (years × 12 + months) from an event, or permanent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Term {
    Permanent,
    Months { months: u32, from: Event },
}

impl Term {
    /// The last day of the term for an event on `event`: the same day `months` later, or the
    /// month's last day when there is no such day (29.02.2024 + 1 year → 28.02.2025), as a term
    /// in years or months ends under Russian civil law (Civil Code art. 192). `None` when permanent
    /// or beyond the calendar.
    pub fn end(self, event: NaiveDate) -> Option<NaiveDate> {
        match self {
            Term::Permanent => None,
            Term::Months { months, .. } => event.checked_add_months(Months::new(months)),
        }
    }
}

/// One rule as written in `letopis.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    records: Vec<String>,
    #[serde(default)]
    years: Option<u32>,
    #[serde(default)]
    months: Option<u32>,
    #[serde(default)]
    from: Option<Event>,
    #[serde(default)]
    permanent: bool,
    #[serde(default)]
    basis: Option<String>,
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawRule", into = "RuleOut")]
pub struct Rule {
    pub records: Vec<String>,
    pub term: Term,
    /// The clause of the regulation that sets the term.
    pub basis: Option<String>,
}

/// How a rule is written back (e.g. into `data/retention.json`).
#[derive(Serialize)]
struct RuleOut {
    records: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    years: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Event>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    permanent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<String>,
}

impl From<Rule> for RuleOut {
    fn from(r: Rule) -> RuleOut {
        let (years, months, from, permanent) = match r.term {
            Term::Permanent => (None, None, None, true),
            Term::Months { months, from } => (
                (months >= 12).then_some(months / 12),
                (months % 12 != 0).then_some(months % 12),
                Some(from),
                false,
            ),
        };
        RuleOut {
            records: r.records,
            years,
            months,
            from,
            permanent,
            basis: r.basis,
        }
    }
}

impl TryFrom<RawRule> for Rule {
    type Error = String;
    fn try_from(r: RawRule) -> Result<Rule, String> {
        if r.records.is_empty() {
            return Err(
                "records пуст — перечислите виды записей (retention rule: records is empty)".into(),
            );
        }
        for k in &r.records {
            if !KINDS.contains(&k.as_str()) {
                return Err(format!(
                    "неизвестный вид записей «{k}»; допустимы: {} (retention rule: unknown record kind)",
                    KINDS.join(", ")
                ));
            }
        }
        let term = if r.permanent {
            if r.years.is_some() || r.months.is_some() || r.from.is_some() {
                return Err("permanent: true не сочетается с years, months и from (retention rule: a permanent rule has no term)".into());
            }
            Term::Permanent
        } else {
            let months = r.years.unwrap_or(0) as u64 * 12 + r.months.unwrap_or(0) as u64;
            if months == 0 {
                return Err("укажите срок (years и/или months больше нуля) или permanent: true (retention rule: give a term or permanent: true)".into());
            }
            let Ok(months) = u32::try_from(months) else {
                return Err("слишком большой срок (retention rule: term too long)".into());
            };
            let Some(from) = r.from else {
                return Err("укажите from — completion, group_end или document_date (retention rule: from is missing)".into());
            };
            Term::Months { months, from }
        };
        Ok(Rule {
            records: r.records,
            term,
            basis: r.basis.filter(|b| !b.trim().is_empty()),
        })
    }
}

/// Beginning of the message of an error in the N-th rule: `правило хранения № N: …`.
const RULE_NO: &str = "правило хранения № ";

/// The `retention:` list; a record kind may appear in one rule only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Vec<RawRule>", into = "Vec<Rule>")]
pub struct Rules(pub Vec<Rule>);

impl TryFrom<Vec<RawRule>> for Rules {
    type Error = String;
    fn try_from(v: Vec<RawRule>) -> Result<Rules, String> {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, raw) in v.into_iter().enumerate() {
            let n = i + 1;
            let r = Rule::try_from(raw).map_err(|e| format!("{RULE_NO}{n}: {e}"))?;
            for k in &r.records {
                if let Some(first) = seen.insert(k.clone(), n) {
                    return Err(format!(
                        "{RULE_NO}{n}: вид записей «{k}» уже назван в правиле № {first}; оставьте одно (retention: record kind `{k}` is in several rules)"
                    ));
                }
            }
            out.push(r);
        }
        Ok(Rules(out))
    }
}

/// For a `letopis.yaml` error in the N-th retention rule: the rule's line and column and the bare
/// message. serde_norway does not place such errors on the rule, so the rule's own `- ` line is found
/// by counting the items of the top-level `retention:` list.
pub fn locate_rule_error(src: &str, err: &serde_norway::Error) -> Option<(u64, u64, String)> {
    let text = err.to_string();
    let at = text.find(RULE_NO)?;
    let msg = text[at..]
        .split(" at line ")
        .next()
        .unwrap_or(&text[at..])
        .to_string();
    let n: usize = msg[RULE_NO.len()..]
        .split(':')
        .next()?
        .trim()
        .parse()
        .ok()?;
    let lines: Vec<&str> = src.lines().collect();
    let key = lines.iter().position(|l| {
        l.strip_prefix("retention:")
            .is_some_and(|r| r.trim().is_empty() || r.trim_start().starts_with('#'))
    })?;
    let mut indent = None;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let lead = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[lead..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let ind = *indent.get_or_insert(lead);
        if lead < ind || (lead == ind && !rest.starts_with('-')) {
            break;
        }
        if lead == ind {
            count += 1;
            if count == n {
                return Some((i as u64 + 1, lead as u64 + 1, msg));
            }
        }
    }
    Some((key as u64 + 1, 1, msg))
}

impl From<Rules> for Vec<Rule> {
    fn from(r: Rules) -> Vec<Rule> {
        r.0
    }
}

impl Rules {
    /// The rules in force: the configured ones, then a default rule for each kind they omit
    /// (every kind is covered exactly once).
    pub fn in_force(&self) -> Vec<Rule> {
        let named: BTreeSet<&str> = self
            .0
            .iter()
            .flat_map(|r| r.records.iter().map(String::as_str))
            .collect();
        let mut out = self.0.clone();
        for d in default_rules() {
            let rest: Vec<String> = d
                .records
                .iter()
                .filter(|k| !named.contains(k.as_str()))
                .cloned()
                .collect();
            if !rest.is_empty() {
                out.push(Rule { records: rest, ..d });
            }
        }
        out
    }
}

/// The default rules, following the seeds: the learner's file and electronic records for the study
/// period plus 5 years (001, 6.1; at least the 3 years after completion of 000, 3.1); the group's
/// journal 5 years after the group ends; orders, the register of issued documents and regulations
/// by the nomenclature of files (002, 3.2), kept permanently unless the organisation sets a term.
pub fn default_rules() -> Vec<Rule> {
    let kinds = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        Rule {
            records: kinds(&[
                "learners",
                "enrolments",
                "attendance",
                "grades",
                "protocol_results",
                "awards",
                "portfolio",
                "credit_transfers",
                "attachments",
            ]),
            term: Term::Months {
                months: 60,
                from: Event::Completion,
            },
            basis: Some("срок обучения и 5 лет после его завершения (Положение об индивидуальном учёте, п. 6.1)".into()),
        },
        Rule {
            records: kinds(&["lessons", "grade_items", "protocols"]),
            term: Term::Months {
                months: 60,
                from: Event::GroupEnd,
            },
            basis: Some("срок обучения группы и 5 лет после его завершения (Положение об индивидуальном учёте, п. 6.1)".into()),
        },
        Rule {
            records: kinds(&["orders", "issued_documents", "documents"]),
            term: Term::Permanent,
            basis: Some("номенклатура дел организации (Положение об индивидуальном учёте, п. 3.2)".into()),
        },
    ]
}

/// The expert commission appointed by order (002, 3.3): it signs acts of selection for destruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    /// The order appointing the commission.
    pub order: CommissionOrder,
    pub chair: Person,
    #[serde(default)]
    pub members: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionOrder {
    pub number: String,
    pub date: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn terms_end_on_the_same_day_or_the_last_day_of_the_month() {
        let y1 = Term::Months {
            months: 12,
            from: Event::DocumentDate,
        };
        assert_eq!(y1.end(d("2024-02-29")), Some(d("2025-02-28")));
        let y4 = Term::Months {
            months: 48,
            from: Event::DocumentDate,
        };
        assert_eq!(y4.end(d("2024-02-29")), Some(d("2028-02-29")));
        let m1 = Term::Months {
            months: 1,
            from: Event::GroupEnd,
        };
        assert_eq!(m1.end(d("2025-01-31")), Some(d("2025-02-28")));
        assert_eq!(Term::Permanent.end(d("2025-01-31")), None);
        assert_eq!(y4.label(Lang::Ru), "4 года");
        assert_eq!(
            Term::Months {
                months: 18,
                from: Event::Completion
            }
            .label(Lang::Ru),
            "1 год 6 месяцев"
        );
    }

    #[test]
    fn every_kind_has_exactly_one_rule_in_force() {
        let rules: Rules = serde_norway::from_str(
            "- records: [orders]\n  years: 75\n  from: document_date\n  basis: п. 3.2\n",
        )
        .unwrap();
        let all = rules.in_force();
        for k in KINDS {
            assert_eq!(
                all.iter()
                    .filter(|r| r.records.iter().any(|x| x == k))
                    .count(),
                1,
                "{k}"
            );
        }
        assert_eq!(
            all[0].term,
            Term::Months {
                months: 900,
                from: Event::DocumentDate
            }
        );
    }

    #[test]
    fn bad_rules_are_errors_with_a_line() {
        let e = serde_norway::from_str::<Rules>(
            "- records: [orders]\n  years: 5\n  from: document_date\n- records: [lesons]\n  years: 5\n  from: group_end\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("«lesons»"), "{e}");
        let src = "retention:\n  # rules\n  - records: [orders]\n    years: 5\n    from: document_date\n\n  - records: [lesons]\n    years: 5\n    from: group_end\nlanguage: ru\n";
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct C {
            retention: Rules,
            language: String,
        }
        let e = serde_norway::from_str::<C>(src).unwrap_err();
        let (line, col, msg) = locate_rule_error(src, &e).unwrap();
        assert_eq!((line, col), (7, 3), "{msg}");
        assert!(
            msg.starts_with("правило хранения № 2: неизвестный вид записей «lesons»"),
            "{msg}"
        );
        let e = serde_norway::from_str::<Rules>("- records: [orders]\n  years: 5\n").unwrap_err();
        assert!(e.to_string().contains("укажите from"), "{e}");
        let e = serde_norway::from_str::<Rules>(
            "- records: [orders]\n  permanent: true\n- records: [orders]\n  permanent: true\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("уже назван в правиле № 1"), "{e}");
    }
}
