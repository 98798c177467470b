//! Page view models: plain serialisable structs with every value already formatted (dates
//! `dd.mm.yyyy`, labels in the interface language, links relative to the page). Templates only lay
//! them out, so an administrator's override template cannot get formatting wrong.

use super::fmt::href;
use super::i18n;
use super::index::{Lookup, name_key};
use crate::l10n;
use crate::layout::paths;
use crate::model::*;
use crate::render::index::Records;
use chrono::Datelike;
use foldhash::HashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// What every page builder needs.
pub struct Ctx<'a> {
    pub p: &'a Period,
    pub l: &'a Lookup<'a>,
    pub lang: Lang,
    /// Prefix from the current page to `data/`.
    pub root: String,
}

impl<'a> Ctx<'a> {
    /// A link to `path` (`data/`-relative, may end in `#anchor`) from the current page.
    fn link(&self, path: &str, text: impl Into<String>) -> Link {
        let href = match path.split_once('#') {
            Some((file, anchor)) => format!("{}{}#{anchor}", self.root, href(file)),
            None => format!("{}{}", self.root, href(path)),
        };
        Link {
            href,
            text: text.into(),
        }
    }
    fn learner_link(&self, id: &str) -> Link {
        let text = match self.l.learner.get(id) {
            Some(x) => x.full_name(),
            None => id.to_string(),
        };
        self.link(&paths::learner(id), text)
    }
    fn group_link(&self, id: &str) -> Link {
        self.link(&paths::group(id), id)
    }
    fn programme_link(&self, id: &str) -> Link {
        let text = match self.l.programme.get(id) {
            Some(x) => x.title.clone(),
            None => id.to_string(),
        };
        self.link(&paths::programme(id), text)
    }
    fn order_link(&self, id: &str) -> Link {
        let text = match self.l.order.get(id) {
            Some(o) => format!(
                "№ {} {} {}",
                o.id,
                l10n::pick(self.lang, "от", "of"),
                l10n::date(o.date)
            ),
            None => id.to_string(),
        };
        let text = if self.lang == Lang::En {
            text.replace(" от ", " of ")
        } else {
            text
        };
        self.link(
            &format!("{}#{}", paths::ORDERS, paths::anchor("order", id)),
            text,
        )
    }
    fn lesson_href(&self, l: &Lesson) -> String {
        lesson_in(&self.journal(&l.group), l)
    }
    /// The address of group `gid`'s journal from the current page.
    fn journal(&self, gid: &str) -> String {
        format!("{}{}", self.root, paths::group(gid))
    }
    fn file_link(&self, input_path: &str) -> Link {
        let name = input_path.rsplit('/').next().unwrap_or(input_path);
        self.link(&paths::file(input_path), name)
    }
    fn num(&self, x: f64) -> String {
        l10n::number_lang(self.lang, x)
    }
    fn attachment(&self, a: &Attachment) -> AttachmentView {
        AttachmentView {
            title: a.title.clone(),
            kind: a.kind.clone(),
            file: self.file_link(&a.path),
            size: l10n::size(self.lang, a.size),
            bytes: a.size,
            sha256: a.sha256.clone(),
            belongs: self.belongs(a),
        }
    }
    fn belongs(&self, a: &Attachment) -> Vec<Link> {
        let mut v = Vec::new();
        if let Some(x) = &a.learner {
            v.push(self.learner_link(x));
        }
        if let Some(x) = &a.group {
            v.push(self.group_link(x));
        }
        if let Some(les) = a.lesson.as_deref().and_then(|x| self.l.lesson.get(x)) {
            v.push(Link {
                href: self.lesson_href(les),
                text: format!("{} {}", l10n::date(les.date), les.topic),
            });
        }
        if let Some(x) = &a.order {
            v.push(self.order_link(x));
        }
        v
    }
    fn attachments(&self, list: Option<&Vec<&Attachment>>) -> Vec<AttachmentView> {
        list.map(|v| v.iter().map(|a| self.attachment(a)).collect())
            .unwrap_or_default()
    }
}

fn extra(lang: Lang, e: &Extra) -> Vec<(String, String)> {
    e.iter()
        .map(|(k, v)| l10n::extra_field(lang, k, v))
        .collect()
}

fn origin(o: &Origin) -> String {
    format!("{}:{}", o.file, o.line)
}

#[derive(Serialize)]
pub struct AttachmentView {
    pub title: String,
    pub kind: Option<String>,
    pub file: Link,
    pub size: String,
    pub bytes: u64,
    pub sha256: String,
    pub belongs: Vec<Link>,
}

// ---------------------------------------------------------------- start page

#[derive(Serialize)]
pub struct StartPage {
    pub counts: Vec<(String, usize)>,
    pub years: Vec<YearView>,
    pub documents: Vec<Link>,
}

#[derive(Serialize)]
pub struct YearView {
    pub year: i32,
    pub programmes: Vec<ProgrammeGroups>,
}

#[derive(Serialize)]
pub struct ProgrammeGroups {
    pub programme: Link,
    pub kind: String,
    pub groups: Vec<GroupSummary>,
}

#[derive(Serialize)]
pub struct GroupSummary {
    pub group: Link,
    pub start: String,
    pub end: String,
    pub learners: usize,
    /// «14 слушателей».
    pub learners_text: String,
}

pub fn start(c: &Ctx) -> StartPage {
    let p = c.p;
    use l10n::nouns::*;
    // The noun agrees with its number: «3 программы · 5 групп · 56 слушателей · 121 занятие».
    let counts = [
        (PROGRAMME, p.programmes.len()),
        (GROUP, p.groups.len()),
        (LEARNER, p.learners.len()),
        (LESSON, p.lessons.len()),
        (GRADE, p.grades.len()),
        (ORDER, p.orders.len()),
        (ISSUED_DOCUMENT, p.issued_documents.len()),
        (ATTACHMENT, p.attachments.len()),
        (DOCUMENT, p.documents.len()),
    ]
    .into_iter()
    .map(|(noun, n)| (noun.word(c.lang, n as u64).to_string(), n))
    .collect();
    // year (of the group's start, newest first) → programme (by title) → groups (by id)
    type ByProgramme<'g> = BTreeMap<(String, String), Vec<&'g Group>>;
    let mut tree: BTreeMap<std::cmp::Reverse<i32>, ByProgramme> = BTreeMap::new();
    for g in &p.groups {
        let title =
            c.l.programme
                .get(g.programme.as_str())
                .map(|x| x.title.clone())
                .unwrap_or_else(|| g.programme.clone());
        tree.entry(std::cmp::Reverse(g.start.year()))
            .or_default()
            .entry((name_key(&title), g.programme.clone()))
            .or_default()
            .push(g);
    }
    let years = tree
        .into_iter()
        .map(|(y, progs)| YearView {
            year: y.0,
            programmes: progs
                .into_iter()
                .map(|((_, pid), groups)| ProgrammeGroups {
                    kind: c
                        .l
                        .programme
                        .get(pid.as_str())
                        .map(|x| l10n::programme_kind(c.lang, x.kind).to_string())
                        .unwrap_or_default(),
                    programme: c.programme_link(&pid),
                    groups: groups.iter().map(|g| group_summary(c, g)).collect(),
                })
                .collect(),
        })
        .collect();
    let documents = p
        .documents
        .iter()
        .map(|d| c.link(&paths::document(&d.id), d.title.clone()))
        .collect();
    StartPage {
        counts,
        years,
        documents,
    }
}

fn group_summary(c: &Ctx, g: &Group) -> GroupSummary {
    let learners =
        c.l.enrolments_of_group
            .get(g.id.as_str())
            .map_or(0, |v| v.len());
    GroupSummary {
        group: c.group_link(&g.id),
        start: l10n::date(g.start),
        end: l10n::date(g.end),
        learners,
        learners_text: l10n::nouns::LEARNER.count(c.lang, learners as u64),
    }
}

// ---------------------------------------------------------------- learners index

/// The list of learners by the first letter of the surname. `nav` is the line of letters at the
/// top; `letters` are rendered one letter at a time (see `render::split`), so that a period of
/// 80,000 learners is never made into the template's values at once.
#[derive(Serialize)]
pub struct LearnersIndex<'c> {
    pub nav: Vec<LetterNav>,
    pub letters: Rows<'c, Letter<'c>, LetterView>,
}

#[derive(Serialize)]
pub struct LetterNav {
    pub letter: String,
    pub anchor: String,
}

/// The learners of one letter, in order.
pub struct Letter<'c> {
    nav: LetterNav,
    learners: Vec<&'c Learner>,
}

#[derive(Serialize)]
pub struct LetterView {
    pub letter: String,
    pub anchor: String,
    pub learners: Vec<LearnerEntry>,
}

#[derive(Serialize)]
pub struct LearnerEntry {
    pub learner: Link,
    pub id: String,
    pub birth_date: String,
    pub groups: Vec<Link>,
}

/// Learners sorted by name in Russian alphabetical order (ties by id).
pub fn learners_sorted(p: &Period) -> Vec<&Learner> {
    let mut v: Vec<(String, &Learner)> = p
        .learners
        .iter()
        .map(|x| (name_key(&x.full_name()), x))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    v.into_iter().map(|(_, x)| x).collect()
}

/// The letter a surname is listed under (`Ё` under `Е`).
fn letter_of(x: &Learner) -> String {
    let letter: String = x
        .surname
        .chars()
        .next()
        .map(|ch| ch.to_uppercase().collect())
        .unwrap_or_default();
    if letter == "Ё" {
        "Е".to_string()
    } else {
        letter
    }
}

pub fn learners_index<'c>(c: &'c Ctx) -> LearnersIndex<'c> {
    let mut letters: Vec<Letter> = Vec::new();
    for x in learners_sorted(c.p) {
        let letter = letter_of(x);
        match letters.last_mut() {
            Some(last) if last.nav.letter == letter => last.learners.push(x),
            _ => letters.push(Letter {
                nav: LetterNav {
                    anchor: format!("letter-{}", letters.len() + 1),
                    letter,
                },
                learners: vec![x],
            }),
        }
    }
    let nav = letters
        .iter()
        .map(|l| LetterNav {
            letter: l.nav.letter.clone(),
            anchor: l.nav.anchor.clone(),
        })
        .collect();
    LearnersIndex {
        nav,
        letters: Rows::new(letters, move |l| letter_view(c, l)),
    }
}

fn letter_view(c: &Ctx, l: &Letter) -> LetterView {
    let learners = l
        .learners
        .iter()
        .map(|x| {
            let groups =
                c.l.enrolments_of_learner
                    .get(x.id.as_str())
                    .map(|v| v.iter().map(|e| c.group_link(&e.group)).collect())
                    .unwrap_or_default();
            LearnerEntry {
                learner: c.link(&paths::learner(&x.id), x.full_name()),
                id: x.id.clone(),
                birth_date: l10n::opt_date(x.birth_date),
                groups,
            }
        })
        .collect();
    LetterView {
        letter: l.nav.letter.clone(),
        anchor: l.nav.anchor.clone(),
        learners,
    }
}

// ---------------------------------------------------------------- learner page

#[derive(Serialize)]
pub struct LearnerPage {
    /// What the file says in a few lines, before the long tables: one entry per enrolment.
    pub summary: Vec<SummaryView>,
    /// Issued documents that name no group (from the FRDO register), for the summary.
    pub other_documents: Vec<Link>,
    pub id: String,
    pub full_name: String,
    pub birth_date: String,
    pub sex: String,
    pub snils: String,
    pub email: String,
    pub phone: String,
    pub platform_ids: String,
    pub source: String,
    pub extra: Vec<(String, String)>,
    pub enrolments: Vec<EnrolmentView>,
    pub studies: Vec<StudyView>,
    pub results: Vec<ResultView>,
    pub issued: Vec<IssuedView>,
    pub awards: Vec<AwardView>,
    pub portfolio: Vec<PortfolioView>,
    pub transfers: Vec<TransferView>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
pub struct EnrolmentView {
    pub group: Link,
    pub programme: Option<Link>,
    pub date: String,
    pub order: Option<Link>,
    pub outcome: String,
    pub outcome_class: String,
    pub outcome_date: String,
    pub outcome_order: Option<Link>,
    pub reason: Option<String>,
    /// Columns of the source with no field of their own.
    pub extra: Vec<(String, String)>,
}

/// One group as seen from a learner's personal file: attendance and grades with totals.
#[derive(Serialize)]
pub struct StudyView {
    /// `study-<slug>`: the section's anchor for the index of the personal file.
    pub anchor: String,
    /// «отчислена 20.05.2025»: lessons after that date are not counted.
    pub expelled: Option<String>,
    pub group: Link,
    pub programme: String,
    pub attendance: Vec<AttendanceRow>,
    /// The marks used in `attendance`: (symbol, name, class), in the order of [`l10n::MARKS`].
    pub legend: Vec<(String, String, String)>,
    pub lessons_total: usize,
    pub lessons_attended: usize,
    pub hours_total: String,
    pub hours_attended: String,
    pub absences: usize,
    pub grades: Vec<GradeRow>,
}

#[derive(Serialize)]
pub struct AttendanceRow {
    pub date: String,
    /// The lesson in its group's journal, where its topic, time and teacher are (the date links
    /// there; the topic is not repeated on every learner's row).
    pub lesson_href: String,
    pub hours: String,
    pub mark: &'static str,
    pub mark_class: &'static str,
    pub remark: Option<String>,
    /// Columns of the source with no field of their own (an export's extra columns).
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct GradeRow {
    pub item: String,
    pub control: String,
    pub scale: String,
    pub value: String,
    pub date: String,
    pub comment: Option<String>,
    /// The export's other values of the grade (Moodle's letter or percentage beside the points).
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct ResultView {
    pub protocol: Link,
    pub date: String,
    pub kind: String,
    pub result: String,
    pub work: Option<String>,
    pub comment: Option<String>,
}

#[derive(Serialize)]
pub struct IssuedView {
    pub anchor: String,
    pub link: Link,
    /// Its printable extract.
    pub print: Link,
    pub reg_number: String,
    pub learner: Link,
    pub group: Option<Link>,
    pub kind: String,
    pub series: String,
    pub number: String,
    pub issue_date: String,
    pub duplicate: bool,
    pub received_by: Option<String>,
    /// Columns of the source (the FRDO register's own) that have no field of their own.
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct AwardView {
    pub title: String,
    pub date: String,
    pub issuer: Option<String>,
    pub level: Option<String>,
    pub file: Option<Link>,
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct PortfolioView {
    pub title: String,
    pub kind: Option<String>,
    pub date: String,
    pub description: Option<String>,
    pub file: Option<Link>,
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct TransferView {
    pub anchor: String,
    pub link: Link,
    pub id: String,
    pub learner: Link,
    pub group: Link,
    pub application_date: String,
    pub source_organisation: String,
    pub source_document: String,
    pub course: String,
    pub hours: String,
    pub form: Option<String>,
    pub result: String,
    pub accepted: bool,
    pub reason: Option<String>,
    pub decision_date: String,
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Studying => "studying",
        Outcome::Completed => "completed",
        Outcome::Expelled => "expelled",
    }
}

/// One enrolment of a personal file's summary.
#[derive(Serialize)]
pub struct SummaryView {
    pub group: Link,
    pub programme: String,
    pub programme_kind: String,
    pub hours: String,
    pub dates: String,
    pub outcome: String,
    pub outcome_class: String,
    /// The final attestation's result and its protocol.
    pub final_result: Option<String>,
    pub documents: Vec<Link>,
}

fn summary_view(c: &Ctx, x: &Learner, e: &Enrolment) -> SummaryView {
    let l = c.l;
    let programme = l
        .group
        .get(e.group.as_str())
        .and_then(|g| l.programme.get(g.programme.as_str()));
    let final_result = l
        .results_of_learner
        .get(x.id.as_str())
        .into_iter()
        .flatten()
        .filter_map(|r| l.protocol.get(r.protocol.as_str()).map(|pr| (r, pr)))
        .filter(|(_, pr)| pr.group == e.group && pr.kind == Control::Final)
        .map(|(r, pr)| {
            format!(
                "{}, {} № {} {} {}",
                r.result,
                i18n::strings(c.lang)["protocol"].to_lowercase(),
                pr.id,
                l10n::pick(c.lang, "от", "of"),
                l10n::date(pr.date)
            )
        })
        .next_back();
    let documents = l
        .issued_of_learner
        .get(x.id.as_str())
        .into_iter()
        .flatten()
        .filter(|d| d.group.as_deref() == Some(e.group.as_str()))
        .map(|d| document_line(c, d))
        .collect();
    SummaryView {
        group: c.group_link(&e.group),
        programme: programme.map(|p| p.title.clone()).unwrap_or_default(),
        programme_kind: programme
            .map(|p| l10n::programme_kind(c.lang, p.kind).to_string())
            .unwrap_or_default(),
        hours: programme
            .map(|p| l10n::nouns::HOUR.count(c.lang, p.hours as u64))
            .unwrap_or_default(),
        dates: match e.outcome_date {
            Some(end) => format!("{}–{}", l10n::date(e.date), l10n::date(end)),
            None => format!("{} {}", l10n::pick(c.lang, "с", "from"), l10n::date(e.date)),
        },
        outcome: l10n::outcome(c.lang, e.outcome, x.sex).to_string(),
        outcome_class: outcome_class(e.outcome).to_string(),
        final_result,
        documents,
    }
}

/// «Диплом о профессиональной переподготовке, рег. № ПП-25/003, выдан 28.11.2025», linked to its
/// extract.
fn document_line(c: &Ctx, d: &IssuedDocument) -> Link {
    c.link(
        &super::print::issued(&d.reg_number),
        format!(
            "{}, {} {}, {} {}",
            d.kind,
            l10n::pick(c.lang, "рег. №", "reg. no."),
            d.reg_number,
            l10n::pick(c.lang, "выдан", "issued"),
            l10n::date(d.issue_date)
        ),
    )
}

fn sex_of(c: &Ctx, learner: &str) -> Option<Sex> {
    c.l.learner.get(learner).and_then(|x| x.sex)
}

fn enrolment_view(c: &Ctx, e: &Enrolment) -> EnrolmentView {
    EnrolmentView {
        group: c.group_link(&e.group),
        programme: c
            .l
            .group
            .get(e.group.as_str())
            .map(|g| c.programme_link(&g.programme)),
        date: l10n::date(e.date),
        order: e.order.as_deref().map(|o| c.order_link(o)),
        outcome: l10n::outcome(c.lang, e.outcome, sex_of(c, &e.learner)).to_string(),
        outcome_class: outcome_class(e.outcome).to_string(),
        outcome_date: l10n::opt_date(e.outcome_date),
        outcome_order: e.outcome_order.as_deref().map(|o| c.order_link(o)),
        reason: e.reason.clone(),
        extra: extra(c.lang, &e.extra),
    }
}

fn issued_view(c: &Ctx, d: &IssuedDocument) -> IssuedView {
    let anchor = paths::anchor("doc", &d.reg_number);
    IssuedView {
        link: c.link(&format!("{}#{anchor}", paths::ISSUED), d.reg_number.clone()),
        print: c.link(&super::print::issued(&d.reg_number), d.reg_number.clone()),
        anchor,
        reg_number: d.reg_number.clone(),
        learner: c.learner_link(&d.learner),
        group: d.group.as_deref().map(|g| c.group_link(g)),
        kind: d.kind.clone(),
        series: d.series.clone().unwrap_or_default(),
        number: d.number.clone(),
        issue_date: l10n::date(d.issue_date),
        duplicate: d.duplicate,
        received_by: d.received_by.clone(),
        extra: extra(c.lang, &d.extra),
    }
}

fn transfer_view(c: &Ctx, x: &CreditTransfer) -> TransferView {
    let anchor = paths::anchor("transfer", &x.id);
    TransferView {
        link: c.link(&format!("{}#{anchor}", paths::TRANSFERS), x.id.clone()),
        anchor,
        id: x.id.clone(),
        learner: c.learner_link(&x.learner),
        group: c.group_link(&x.group),
        application_date: l10n::date(x.application_date),
        source_organisation: x.source_organisation.clone(),
        source_document: x.source_document.clone(),
        course: x.course.clone(),
        hours: c.num(x.hours),
        form: x.form.clone(),
        result: x.result.clone(),
        accepted: x.accepted,
        reason: x.reason.clone(),
        decision_date: l10n::date(x.decision_date),
    }
}

/// Lesson `l`'s row in `journal`, its group's journal ([`Ctx::journal`]).
fn lesson_in(journal: &str, l: &Lesson) -> String {
    format!("{journal}#{}", paths::anchor("lesson", &l.id))
}

fn control_rank(c: Control) -> u8 {
    match c {
        Control::Current => 0,
        Control::Intermediate => 1,
        Control::Final => 2,
    }
}

/// A learner's marks in group `gid`, by lesson date. Every row's lesson is in that group, so
/// the group journal's address is made once, not once a row (four million rows at 20,000
/// learners, counting the group print sets).
fn attendance_rows(c: &Ctx, gid: &str, rows: &[(&Lesson, &Attendance)]) -> Vec<AttendanceRow> {
    let journal = c.journal(gid);
    rows.iter()
        .map(|(les, a)| AttendanceRow {
            date: l10n::date(les.date),
            lesson_href: lesson_in(&journal, les),
            hours: c.num(les.hours),
            mark: l10n::mark(c.lang, a.mark).0,
            mark_class: i18n::mark_class(a.mark),
            remark: a.remark.as_deref().map(String::from),
            extra: extra(c.lang, &a.extra),
        })
        .collect()
}

/// The legend of `marks`: each mark's symbol, its name and its CSS class.
fn legend(c: &Ctx, marks: impl Iterator<Item = Mark>) -> Vec<(String, String, String)> {
    marks
        .map(|m| {
            let (s, n) = l10n::mark(c.lang, m);
            (
                s.to_string(),
                n.to_string(),
                i18n::mark_class(m).to_string(),
            )
        })
        .collect()
}

/// A learner's marks and grades in one group, with the totals of lessons due.
fn study_view(
    c: &Ctx,
    x: &Learner,
    gid: &str,
    enrolments: &[&Enrolment],
    atts: Option<Records<Attendance>>,
    grades: Option<Records<Grade>>,
) -> StudyView {
    let l = c.l;
    let mut rows: Vec<(&Lesson, &Attendance)> = atts
        .into_iter()
        .flatten()
        .filter_map(|a| {
            l.lesson
                .get(a.lesson.as_str())
                .filter(|les| les.group == gid)
                .map(|les| (*les, a))
        })
        .collect();
    rows.sort_by(|a, b| (a.0.date, &a.0.time, &a.0.id).cmp(&(b.0.date, &b.0.time, &b.0.id)));
    // An expelled learner's lessons end with the expulsion: later lessons are neither
    // due nor missed (any mark recorded after it is still listed below).
    let expelled_on = enrolments
        .iter()
        .filter(|e| e.group == gid && e.outcome == Outcome::Expelled)
        .filter_map(|e| e.outcome_date)
        .max();
    let due = |d: chrono::NaiveDate| expelled_on.is_none_or(|end| d <= end);
    let lessons: Vec<&&Lesson> = l
        .lessons_of_group
        .get(gid)
        .into_iter()
        .flatten()
        .filter(|les| due(les.date))
        .collect();
    let lessons_total = lessons.len();
    let hours_total: f64 = lessons.iter().map(|x| x.hours).sum();
    let attended = |m: Mark| matches!(m, Mark::Present | Mark::Late);
    let counted = || rows.iter().filter(|r| due(r.0.date));
    let lessons_attended = counted().filter(|r| attended(r.1.mark)).count();
    let hours_attended: f64 = counted()
        .filter(|r| attended(r.1.mark))
        .map(|r| r.0.hours)
        .sum();
    let absences = counted().filter(|r| !attended(r.1.mark)).count();
    let attendance = attendance_rows(c, gid, &rows);
    let legend = legend(
        c,
        l10n::MARKS
            .iter()
            .copied()
            .filter(|&m| rows.iter().any(|r| r.1.mark == m)),
    );
    let mut grade_rows: Vec<(&GradeItem, &Grade)> = grades
        .into_iter()
        .flatten()
        .filter_map(|g| {
            l.item
                .get(g.item.as_str())
                .filter(|it| it.group == gid)
                .map(|it| (*it, g))
        })
        .collect();
    grade_rows.sort_by(|a, b| {
        (control_rank(a.0.control), a.0.date, &a.0.id).cmp(&(
            control_rank(b.0.control),
            b.0.date,
            &b.0.id,
        ))
    });
    StudyView {
        anchor: paths::anchor("study", gid),
        expelled: expelled_on.map(|d| {
            format!(
                "{} {}",
                l10n::outcome(c.lang, Outcome::Expelled, x.sex),
                l10n::date(d)
            )
        }),
        group: c.group_link(gid),
        programme: l
            .group
            .get(gid)
            .and_then(|g| l.programme.get(g.programme.as_str()))
            .map(|p| p.title.clone())
            .unwrap_or_default(),
        attendance,
        legend,
        lessons_total,
        lessons_attended,
        hours_total: c.num(hours_total),
        hours_attended: c.num(hours_attended),
        absences,
        grades: grade_rows
            .iter()
            .map(|(it, g)| GradeRow {
                item: it.title.clone(),
                control: l10n::control(c.lang, it.control).to_string(),
                scale: l10n::scale(c.lang, it.scale),
                value: l10n::grade(c.lang, g.value),
                date: l10n::opt_date(g.date.or(it.date)),
                comment: g.comment.as_deref().map(String::from),
                extra: extra(c.lang, &g.extra),
            })
            .collect(),
    }
}

/// A learner's attestation results, with their protocols.
fn result_views(c: &Ctx, id: &str) -> Vec<ResultView> {
    let l = c.l;
    l.results_of_learner
        .get(id)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            l.protocol.get(r.protocol.as_str()).map(|pr| ResultView {
                protocol: c.link(
                    &format!("{}#{}", paths::PROTOCOLS, paths::anchor("protocol", &pr.id)),
                    format!("№ {}", pr.id),
                ),
                date: l10n::date(pr.date),
                kind: l10n::control(c.lang, pr.kind).to_string(),
                result: r.result.clone(),
                work: r.work.clone(),
                comment: r.comment.clone(),
            })
        })
        .collect()
}

pub fn learner(c: &Ctx, x: &Learner) -> LearnerPage {
    let l = c.l;
    let id = x.id.as_str();
    let enrolments: Vec<&Enrolment> = l.enrolments_of_learner.get(id).cloned().unwrap_or_default();
    let mut group_ids: Vec<&str> = enrolments.iter().map(|e| e.group.as_str()).collect();
    let atts = l.attendance_of_learner.get(id);
    let grades = l.grades_of_learner.get(id);
    // Groups this learner appears in: enrolments first, then any group met through attendance or
    // grades only (so no mark is left out of the personal file).
    for g in groups_met(c, atts, grades) {
        if !group_ids.contains(&g) {
            group_ids.push(g);
        }
    }
    let studies = group_ids
        .iter()
        .map(|&gid| study_view(c, x, gid, &enrolments, atts, grades))
        .collect();
    let results = result_views(c, id);
    LearnerPage {
        summary: enrolments.iter().map(|e| summary_view(c, x, e)).collect(),
        other_documents: l
            .issued_of_learner
            .get(id)
            .into_iter()
            .flatten()
            .filter(|d| {
                d.group
                    .as_deref()
                    .is_none_or(|g| !enrolments.iter().any(|e| e.group == g))
            })
            .map(|d| document_line(c, d))
            .collect(),
        id: x.id.clone(),
        full_name: x.full_name(),
        birth_date: l10n::opt_date(x.birth_date),
        sex: x
            .sex
            .map(|s| l10n::sex(c.lang, s).to_string())
            .unwrap_or_default(),
        snils: x.snils.clone().unwrap_or_default(),
        email: x.email.clone().unwrap_or_default(),
        phone: x.phone.clone().unwrap_or_default(),
        platform_ids: x.platform_ids.join(", "),
        source: origin(&x.origin),
        extra: extra(c.lang, &x.extra),
        enrolments: enrolments.iter().map(|e| enrolment_view(c, e)).collect(),
        studies,
        results,
        issued: l
            .issued_of_learner
            .get(id)
            .into_iter()
            .flatten()
            .map(|d| issued_view(c, d))
            .collect(),
        awards: award_views(c, id),
        portfolio: portfolio_views(c, id),
        transfers: l
            .transfers_of_learner
            .get(id)
            .into_iter()
            .flatten()
            .map(|t| transfer_view(c, t))
            .collect(),
        attachments: c.attachments(l.attachments_of_learner.get(id)),
    }
}

/// The groups of a learner's marks and grades.
fn groups_met<'a>(
    c: &Ctx<'a>,
    atts: Option<Records<'_, 'a, Attendance>>,
    grades: Option<Records<'_, 'a, Grade>>,
) -> BTreeSet<&'a str> {
    let l = c.l;
    let mut groups = BTreeSet::new();
    for a in atts.into_iter().flatten() {
        if let Some(les) = l.lesson.get(a.lesson.as_str()) {
            groups.insert(les.group.as_str());
        }
    }
    for g in grades.into_iter().flatten() {
        if let Some(it) = l.item.get(g.item.as_str()) {
            groups.insert(it.group.as_str());
        }
    }
    groups
}

fn award_views(c: &Ctx, id: &str) -> Vec<AwardView> {
    c.l.awards_of_learner
        .get(id)
        .into_iter()
        .flatten()
        .map(|a| AwardView {
            title: a.title.clone(),
            date: l10n::date(a.date),
            issuer: a.issuer.clone(),
            level: a.level.clone(),
            file: a.file.as_deref().map(|f| c.file_link(f)),
            extra: extra(c.lang, &a.extra),
        })
        .collect()
}

fn portfolio_views(c: &Ctx, id: &str) -> Vec<PortfolioView> {
    c.l.portfolio_of_learner
        .get(id)
        .into_iter()
        .flatten()
        .map(|a| PortfolioView {
            title: a.title.clone(),
            kind: a.kind.clone(),
            date: l10n::opt_date(a.date),
            description: a.description.clone(),
            file: a.file.as_deref().map(|f| c.file_link(f)),
            extra: extra(c.lang, &a.extra),
        })
        .collect()
}

// ---------------------------------------------------------------- group journal

#[derive(Serialize)]
pub struct GroupPage {
    /// Said when the group's studies go on after the end of the archive's period.
    pub continues: Option<String>,
    pub id: String,
    /// The print set of all the group's personal files.
    pub files_print: Link,
    pub programme: Option<Link>,
    pub programme_kind: String,
    pub programme_hours: String,
    pub start: String,
    pub end: String,
    pub curator: Option<String>,
    pub source: String,
    pub extra: Vec<(String, String)>,
    pub learners: Vec<GroupLearner>,
    pub lessons: Vec<LessonView>,
    pub hours_total: String,
    pub grid: Grid,
    pub legend: Vec<(String, String, String)>,
    pub grades: GradeGrid,
    pub protocols: Vec<ProtocolView>,
    pub orders: Vec<OrderView>,
    pub transfers: Vec<TransferView>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
pub struct GroupLearner {
    pub n: usize,
    pub learner: Link,
    pub id: String,
    pub enrolled: String,
    pub outcome: String,
    pub outcome_class: String,
}

#[derive(Serialize)]
pub struct LessonView {
    pub n: usize,
    pub anchor: String,
    pub date: String,
    pub time: String,
    pub hours: String,
    pub topic: String,
    pub teacher: String,
    pub kind: String,
    pub attachments: Vec<Link>,
    pub extra: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct Grid {
    pub head: Vec<GridHead>,
    pub rows: Vec<GridRow>,
    /// Column ranges of the printed journal: a wide grid is printed as several tables of
    /// [`PRINT_COLUMNS`] lessons each, so it fits the page width.
    pub parts: Vec<GridPart>,
}

#[derive(Serialize)]
pub struct GridPart {
    pub from: usize,
    pub to: usize,
    pub last: bool,
}

/// Lessons per printed journal table (A4 portrait at 7 pt).
pub const PRINT_COLUMNS: usize = 16;

/// Graded items per printed grades table (their titles are long; A4 portrait at 7 pt).
pub const PRINT_GRADE_COLUMNS: usize = 6;

/// Splits `n` columns into printed strips of `per` columns each.
fn strips(n: usize, per: usize) -> Vec<GridPart> {
    (0..n)
        .step_by(per)
        .map(|from| GridPart {
            from,
            to: (from + per).min(n),
            last: from + per >= n,
        })
        .collect()
}

#[derive(Serialize)]
pub struct GridHead {
    pub n: usize,
    pub day: String,
    pub href: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct GridRow {
    pub n: usize,
    pub learner: Link,
    pub cells: Vec<Cell>,
    pub attended: usize,
    pub hours: String,
}

#[derive(Serialize)]
pub struct Cell {
    pub t: String,
    pub c: &'static str,
    pub title: String,
}

#[derive(Serialize)]
pub struct GradeGrid {
    pub items: Vec<GradeHead>,
    pub rows: Vec<GradeGridRow>,
    /// Column ranges of the printed grades: [`PRINT_GRADE_COLUMNS`] graded items per table.
    pub parts: Vec<GridPart>,
}

#[derive(Serialize)]
pub struct GradeHead {
    pub title: String,
    pub control: String,
    pub control_class: &'static str,
    pub scale: String,
    pub date: String,
}

#[derive(Serialize)]
pub struct GradeGridRow {
    pub n: usize,
    pub learner: Link,
    pub cells: Vec<String>,
}

#[derive(Serialize)]
pub struct ProtocolView {
    pub anchor: String,
    pub link: Link,
    /// Its printable extract.
    pub print: Link,
    pub id: String,
    pub date: String,
    pub group: Link,
    pub kind: String,
    pub chair: String,
    pub members: String,
    pub secretary: Option<String>,
    pub results: Vec<ProtocolResultRow>,
}

#[derive(Serialize)]
pub struct ProtocolResultRow {
    pub learner: Link,
    pub result: String,
    pub work: Option<String>,
    pub comment: Option<String>,
}

#[derive(Serialize)]
pub struct OrderView {
    pub anchor: String,
    pub link: Link,
    /// Its printable extract.
    pub print: Link,
    pub id: String,
    pub date: String,
    pub kind: String,
    pub group: Option<Link>,
    pub title: String,
    pub text: Option<String>,
    pub file: Option<Link>,
    pub attachments: Vec<Link>,
    pub extra: Vec<(String, String)>,
}

fn protocol_view(c: &Ctx, pr: &Protocol) -> ProtocolView {
    let anchor = paths::anchor("protocol", &pr.id);
    let mut results: Vec<ProtocolResultRow> =
        c.l.results_of_protocol
            .get(pr.id.as_str())
            .into_iter()
            .flatten()
            .map(|r| ProtocolResultRow {
                learner: c.learner_link(&r.learner),
                result: r.result.clone(),
                work: r.work.clone(),
                comment: r.comment.clone(),
            })
            .collect();
    results.sort_by_cached_key(|r| name_key(&r.learner.text));
    ProtocolView {
        link: c.link(
            &format!("{}#{anchor}", paths::PROTOCOLS),
            format!("№ {}", pr.id),
        ),
        print: c.link(&super::print::protocol(&pr.id), pr.id.clone()),
        anchor,
        id: pr.id.clone(),
        date: l10n::date(pr.date),
        group: c.group_link(&pr.group),
        kind: l10n::control(c.lang, pr.kind).to_string(),
        chair: pr.chair.clone(),
        members: pr.members.join("; "),
        secretary: pr.secretary.clone(),
        results,
    }
}

fn order_view(c: &Ctx, o: &Order) -> OrderView {
    let anchor = paths::anchor("order", &o.id);
    OrderView {
        link: c.order_link(&o.id),
        print: c.link(&super::print::order(&o.id), o.id.clone()),
        anchor,
        id: o.id.clone(),
        date: l10n::date(o.date),
        kind: l10n::order_kind(c.lang, o.kind).to_string(),
        group: o.group.as_deref().map(|g| c.group_link(g)),
        title: o.title.clone(),
        text: o.text.clone(),
        file: o.file.as_deref().map(|f| c.file_link(f)),
        extra: extra(c.lang, &o.extra),
        attachments: c
            .l
            .attachments_of_order
            .get(o.id.as_str())
            .into_iter()
            .flatten()
            .map(|a| c.link(&paths::file(&a.path), a.title.clone()))
            .collect(),
    }
}

/// The rows of a group's journal: enrolled learners, plus anyone with a mark or grade in this
/// group, by name (sort key, learner id).
fn group_rows<'a>(
    c: &Ctx<'a>,
    enrolments: Option<&Vec<&'a Enrolment>>,
    lessons: &[&'a Lesson],
    items: &[&'a GradeItem],
) -> Vec<(String, &'a str)> {
    let l = c.l;
    let mut members: BTreeSet<&str> = enrolments
        .into_iter()
        .flatten()
        .map(|e| e.learner.as_str())
        .collect();
    for les in lessons {
        for a in l
            .attendance_of_lesson
            .get(les.id.as_str())
            .into_iter()
            .flatten()
        {
            members.insert(&a.learner);
        }
    }
    for it in items {
        for gr in l.grades_of_item.get(it.id.as_str()).into_iter().flatten() {
            members.insert(&gr.learner);
        }
    }
    let mut rows: Vec<(String, &str)> = members
        .into_iter()
        .map(|id| {
            let name = l.learner.get(id).map(|x| x.full_name()).unwrap_or_default();
            (name_key(&name), id)
        })
        .collect();
    rows.sort();
    rows
}

/// The class of a journal cell without a mark.
const NO_MARK: &str = "m-n";

/// The class of a journal cell: none for «present», by far the most common mark (styled as
/// such by `table.journal td:not([class])`), so the grid does not repeat it in every cell.
fn grid_class(m: Mark) -> &'static str {
    match m {
        Mark::Present => "",
        _ => i18n::mark_class(m),
    }
}

/// A group's journal grid: learners × lessons; a cell holds the attendance mark and the grades
/// of items tied to that lesson.
fn journal_grid(
    c: &Ctx,
    lessons: &[&Lesson],
    rows: &[(String, &str)],
    row_of: &HashMap<&str, usize>,
) -> Grid {
    let l = c.l;
    let nl = lessons.len();
    let mut cells: Vec<Vec<Cell>> = (0..rows.len())
        .map(|_| {
            (0..nl)
                .map(|_| Cell {
                    t: String::new(),
                    c: NO_MARK,
                    title: String::new(),
                })
                .collect()
        })
        .collect();
    let mut attended = vec![0usize; rows.len()];
    let mut hours = vec![0f64; rows.len()];
    for (j, les) in lessons.iter().enumerate() {
        for a in l
            .attendance_of_lesson
            .get(les.id.as_str())
            .into_iter()
            .flatten()
        {
            if let Some(&i) = row_of.get(a.learner.as_str()) {
                let (sym, name) = l10n::mark(c.lang, a.mark);
                let cell = &mut cells[i][j];
                cell.t = sym.to_string();
                cell.c = grid_class(a.mark);
                // The mark's name is in the legend above the grid: a hint only for a remark.
                if let Some(r) = &a.remark {
                    cell.title = format!("{name}: {r}");
                }
                if matches!(a.mark, Mark::Present | Mark::Late) {
                    attended[i] += 1;
                    hours[i] += les.hours;
                }
            }
        }
        for it in l.items_of_lesson.get(les.id.as_str()).into_iter().flatten() {
            for gr in l.grades_of_item.get(it.id.as_str()).into_iter().flatten() {
                if let Some(&i) = row_of.get(gr.learner.as_str()) {
                    let cell = &mut cells[i][j];
                    let v = l10n::grade_short(c.lang, gr.value);
                    if cell.t.is_empty() {
                        cell.t = v.clone();
                    } else {
                        cell.t = format!("{} {v}", cell.t);
                    }
                    if cell.c == NO_MARK {
                        cell.c = "m-g";
                    }
                    // The graded item is named once, in the lesson's heading (see below), not in
                    // every learner's cell; the full grade is in the grades table and the
                    // personal file.
                }
            }
        }
    }
    let parts = strips(nl, PRINT_COLUMNS);
    Grid {
        parts,
        head: lessons
            .iter()
            .enumerate()
            .map(|(j, les)| GridHead {
                n: j + 1,
                day: les.date.format("%d.%m").to_string(),
                href: format!("#{}", paths::anchor("lesson", &les.id)),
                title: head_title(c, les),
            })
            .collect(),
        rows: cells
            .into_iter()
            .enumerate()
            .map(|(i, cells)| GridRow {
                n: i + 1,
                learner: c.learner_link(rows[i].1),
                cells,
                attended: attended[i],
                hours: c.num(hours[i]),
            })
            .collect(),
    }
}

/// A journal column's hint: the lesson's date and topic, then the items graded at it, in the
/// order their grades follow the mark in the column's cells.
fn head_title(c: &Ctx, les: &Lesson) -> String {
    let mut t = format!("{} — {}", l10n::date(les.date), les.topic);
    let items = c.l.items_of_lesson.get(les.id.as_str());
    for (k, it) in items.into_iter().flatten().enumerate() {
        t.push_str(if k == 0 { "; " } else { ", " });
        if k == 0 {
            t.push_str(match c.lang {
                Lang::Ru => "оценивается: ",
                Lang::En => "graded: ",
            });
        }
        t.push_str(&it.title);
    }
    t
}

/// A group's grades: learners × graded items.
fn grade_grid(
    c: &Ctx,
    items: &[&GradeItem],
    rows: &[(String, &str)],
    row_of: &HashMap<&str, usize>,
) -> GradeGrid {
    let l = c.l;
    let mut grade_cells: Vec<Vec<String>> = vec![vec![String::new(); items.len()]; rows.len()];
    for (j, it) in items.iter().enumerate() {
        for gr in l.grades_of_item.get(it.id.as_str()).into_iter().flatten() {
            if let Some(&i) = row_of.get(gr.learner.as_str()) {
                grade_cells[i][j] = l10n::grade(c.lang, gr.value);
            }
        }
    }
    GradeGrid {
        parts: strips(items.len(), PRINT_GRADE_COLUMNS),
        items: items
            .iter()
            .map(|it| GradeHead {
                title: it.title.clone(),
                control: l10n::control(c.lang, it.control).to_string(),
                control_class: match it.control {
                    Control::Current => "c-current",
                    Control::Intermediate => "c-intermediate",
                    Control::Final => "c-final",
                },
                scale: l10n::scale(c.lang, it.scale),
                date: l10n::opt_date(it.date),
            })
            .collect(),
        rows: grade_cells
            .into_iter()
            .enumerate()
            .map(|(i, cells)| GradeGridRow {
                n: i + 1,
                learner: c.learner_link(rows[i].1),
                cells,
            })
            .collect(),
    }
}

/// The list of a group's lessons, numbered as in the journal.
fn lesson_views(c: &Ctx, lessons: &[&Lesson]) -> Vec<LessonView> {
    let l = c.l;
    lessons
        .iter()
        .enumerate()
        .map(|(j, les)| LessonView {
            n: j + 1,
            anchor: paths::anchor("lesson", &les.id),
            date: l10n::date(les.date),
            time: les.time.map(String::from).unwrap_or_default(),
            hours: c.num(les.hours),
            topic: les.topic.to_string(),
            teacher: les.teacher.map(String::from).unwrap_or_default(),
            kind: les.kind.map(String::from).unwrap_or_default(),
            extra: extra(c.lang, &les.extra),
            attachments: l
                .attachments_of_lesson
                .get(les.id.as_str())
                .into_iter()
                .flatten()
                .map(|a| c.link(&paths::file(&a.path), a.title.clone()))
                .collect(),
        })
        .collect()
}

/// Said on a group's page when its studies go on after the end of the archive's period.
fn continues(c: &Ctx, g: &Group) -> Option<String> {
    let period_end = c.p.config.period.end;
    (g.end > period_end).then(|| match c.lang {
        Lang::Ru => format!(
            "Обучение группы продолжается после окончания периода архива ({}) до {}: \
             записи после {} войдут в архив следующего периода.",
            l10n::date(period_end),
            l10n::date(g.end),
            l10n::date(period_end)
        ),
        Lang::En => format!(
            "The group's studies go on after the end of the archive's period ({}) until {}: \
             records after {} go into the next period's archive.",
            l10n::date(period_end),
            l10n::date(g.end),
            l10n::date(period_end)
        ),
    })
}

pub fn group(c: &Ctx, g: &Group) -> GroupPage {
    let l = c.l;
    let gid = g.id.as_str();
    let enrolments = l.enrolments_of_group.get(gid);
    let lessons: Vec<&Lesson> = l.lessons_of_group.get(gid).cloned().unwrap_or_default();
    let items: Vec<&GradeItem> = {
        let mut v: Vec<&GradeItem> = l.items_of_group.get(gid).cloned().unwrap_or_default();
        v.sort_by(|a, b| {
            (control_rank(a.control), a.date, &a.id).cmp(&(control_rank(b.control), b.date, &b.id))
        });
        v
    };
    let rows = group_rows(c, enrolments, &lessons, &items);
    let row_of: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.1, i)).collect();

    let learners = rows
        .iter()
        .enumerate()
        .map(|(i, (_, id))| {
            let e = enrolments.into_iter().flatten().find(|e| e.learner == *id);
            GroupLearner {
                n: i + 1,
                learner: c.learner_link(id),
                id: id.to_string(),
                enrolled: e.map(|e| l10n::date(e.date)).unwrap_or_default(),
                outcome: e
                    .map(|e| l10n::outcome(c.lang, e.outcome, sex_of(c, &e.learner)).to_string())
                    .unwrap_or_default(),
                outcome_class: e
                    .map(|e| outcome_class(e.outcome).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();

    let grid = journal_grid(c, &lessons, &rows, &row_of);
    let legend = legend(c, l10n::MARKS.iter().copied());

    let grades = grade_grid(c, &items, &rows, &row_of);

    let programme = l.programme.get(g.programme.as_str());
    GroupPage {
        continues: continues(c, g),
        id: g.id.clone(),
        files_print: c.link(&super::print::group_files(&g.id), g.id.clone()),
        programme: Some(c.programme_link(&g.programme)),
        programme_kind: programme
            .map(|p| l10n::programme_kind(c.lang, p.kind).to_string())
            .unwrap_or_default(),
        programme_hours: programme.map(|p| p.hours.to_string()).unwrap_or_default(),
        start: l10n::date(g.start),
        end: l10n::date(g.end),
        curator: g.curator.clone(),
        source: origin(&g.origin),
        extra: extra(c.lang, &g.extra),
        learners,
        hours_total: c.num(lessons.iter().map(|x| x.hours).sum()),
        lessons: lesson_views(c, &lessons),
        grid,
        legend,
        grades,
        protocols: l
            .protocols_of_group
            .get(gid)
            .into_iter()
            .flatten()
            .map(|p| protocol_view(c, p))
            .collect(),
        orders: l
            .orders_of_group
            .get(gid)
            .into_iter()
            .flatten()
            .map(|o| order_view(c, o))
            .collect(),
        transfers: l
            .transfers_of_group
            .get(gid)
            .into_iter()
            .flatten()
            .map(|t| transfer_view(c, t))
            .collect(),
        attachments: c.attachments(l.attachments_of_group.get(gid)),
    }
}

// ---------------------------------------------------------------- programme

#[derive(Serialize)]
pub struct ProgrammePage {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub hours: u32,
    pub form: Option<String>,
    pub source: String,
    pub extra: Vec<(String, String)>,
    pub groups: Vec<GroupSummary>,
}

pub fn programme(c: &Ctx, p: &Programme) -> ProgrammePage {
    ProgrammePage {
        id: p.id.clone(),
        title: p.title.clone(),
        kind: l10n::programme_kind(c.lang, p.kind).to_string(),
        hours: p.hours,
        form: p.form.clone(),
        source: origin(&p.origin),
        extra: extra(c.lang, &p.extra),
        groups: c
            .l
            .groups_of_programme
            .get(p.id.as_str())
            .into_iter()
            .flatten()
            .map(|g| group_summary(c, g))
            .collect(),
    }
}

// ---------------------------------------------------------------- registers

#[derive(Serialize)]
pub struct OrdersPage {
    pub orders: Vec<OrderView>,
}

pub fn orders(c: &Ctx) -> OrdersPage {
    let mut v: Vec<&Order> = c.p.orders.iter().collect();
    v.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    OrdersPage {
        orders: v.into_iter().map(|o| order_view(c, o)).collect(),
    }
}

#[derive(Serialize)]
pub struct IssuedPage<'c> {
    pub documents: Rows<'c, &'c IssuedDocument, IssuedView>,
}

pub fn issued<'c>(c: &'c Ctx) -> IssuedPage<'c> {
    let mut v: Vec<&IssuedDocument> = c.p.issued_documents.iter().collect();
    v.sort_by(|a, b| (a.issue_date, &a.reg_number).cmp(&(b.issue_date, &b.reg_number)));
    IssuedPage {
        documents: Rows::new(v, move |d| issued_view(c, d)),
    }
}

#[derive(Serialize)]
pub struct ProtocolsPage<'c> {
    pub protocols: Rows<'c, &'c Protocol, ProtocolView>,
}

pub fn protocols<'c>(c: &'c Ctx) -> ProtocolsPage<'c> {
    let mut v: Vec<&Protocol> = c.p.protocols.iter().collect();
    v.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    ProtocolsPage {
        protocols: Rows::new(v, move |p| protocol_view(c, p)),
    }
}

/// The rows of a page listing a whole register (80,000 issued documents, the learners of a
/// letter), each made only as it is turned into the template's values: the list is never held
/// twice, as views and as values. Only the rows of its window are serialised (all of them unless
/// [`Rows::show`] says otherwise), so that the register can be rendered a chunk of rows at a time
/// (see `render::split`).
pub struct Rows<'c, R, V> {
    records: Vec<R>,
    view: Box<dyn Fn(&R) -> V + 'c>,
    window: std::cell::Cell<(usize, usize)>,
}

impl<'c, R, V> Rows<'c, R, V> {
    pub fn new(records: Vec<R>, view: impl Fn(&R) -> V + 'c) -> Self {
        let n = records.len();
        Rows {
            records,
            view: Box::new(view),
            window: std::cell::Cell::new((0, n)),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Serialises only the rows `range` from now on.
    pub fn show(&self, range: std::ops::Range<usize>) {
        let end = range.end.min(self.records.len());
        self.window.set((range.start.min(end), end));
    }
}

impl<R, V: Serialize> Serialize for Rows<'_, R, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (from, to) = self.window.get();
        let mut seq = s.serialize_seq(Some(to - from))?;
        for r in &self.records[from..to] {
            seq.serialize_element(&(self.view)(r))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
pub struct TransfersPage {
    pub transfers: Vec<TransferView>,
}

pub fn transfers(c: &Ctx) -> TransfersPage {
    let mut v: Vec<&CreditTransfer> = c.p.credit_transfers.iter().collect();
    v.sort_by(|a, b| (a.decision_date, &a.id).cmp(&(b.decision_date, &b.id)));
    TransfersPage {
        transfers: v.into_iter().map(|t| transfer_view(c, t)).collect(),
    }
}

#[derive(Serialize)]
pub struct AttachmentsPage {
    pub attachments: Vec<AttachmentView>,
}

pub fn attachments(c: &Ctx) -> AttachmentsPage {
    AttachmentsPage {
        attachments: c.p.attachments.iter().map(|a| c.attachment(a)).collect(),
    }
}

// ---------------------------------------------------------------- documents

#[derive(Serialize)]
pub struct DocumentsPage {
    pub documents: Vec<DocEntry>,
}

#[derive(Serialize)]
pub struct DocEntry {
    pub link: Link,
    pub anchor: String,
    pub path: String,
}

pub fn documents(c: &Ctx) -> DocumentsPage {
    DocumentsPage {
        documents: c
            .p
            .documents
            .iter()
            .map(|d| DocEntry {
                link: c.link(&paths::document(&d.id), d.title.clone()),
                anchor: paths::anchor("doc", &d.id),
                path: d.path.clone(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct DocumentPage {
    pub title: String,
    pub html: String,
    pub source: Link,
}

/// The page prints the document's title as its `<h1>`; a leading `# Title` of the Markdown would
/// repeat it.
fn drop_leading_h1(html: String) -> String {
    if html.starts_with("<h1>")
        && let Some(end) = html.find("</h1>")
    {
        return html[end + "</h1>".len()..].trim_start().to_string();
    }
    html
}

pub fn document(c: &Ctx, d: &MarkdownDoc) -> DocumentPage {
    DocumentPage {
        title: d.title.clone(),
        html: drop_leading_h1(super::markdown::to_safe_html(&d.markdown)),
        source: c.link(&paths::raw(&d.path), d.path.clone()),
    }
}

// ---------------------------------------------------------------- about

#[derive(Serialize)]
pub struct AboutPage {
    pub sources: Vec<SourceView>,
    pub rejected: Vec<RejectedView>,
    pub counts: Vec<(String, usize)>,
    pub archive_name: String,
}

#[derive(Serialize)]
pub struct SourceView {
    pub file: Link,
    pub kind: String,
    pub format: String,
    pub encoding: String,
    pub size: String,
    pub bytes: u64,
    pub sha256: String,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_rejected: u64,
}

#[derive(Serialize)]
pub struct RejectedView {
    pub source: String,
    pub values: String,
    pub reason: String,
}

pub fn about(c: &Ctx) -> AboutPage {
    let linked = super::linked_files(c.p);
    AboutPage {
        sources: c
            .p
            .sources
            .iter()
            .map(|s| SourceView {
                file: if linked.binary_search(&s.path.as_str()).is_ok() {
                    c.link(&paths::file(&s.path), s.path.clone())
                } else {
                    c.link(&paths::raw(&s.path), s.path.clone())
                },
                kind: l10n::source_kind(c.lang, &s.kind),
                format: l10n::source_format(c.lang, &s.format),
                encoding: s.encoding.clone(),
                size: l10n::size(c.lang, s.size),
                bytes: s.size,
                sha256: s.sha256.clone(),
                rows_read: s.rows_read,
                rows_kept: s.rows_kept,
                rows_rejected: s.rows_rejected,
            })
            .collect(),
        rejected: c
            .p
            .rejected
            .iter()
            .map(|r| RejectedView {
                source: origin(&r.origin),
                values: r
                    .values
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
                reason: r.reason.get(c.lang).to_string(),
            })
            .collect(),
        counts: start(c).counts,
        archive_name: c.p.config.archive_name(),
    }
}

// ---------------------------------------------------------------- search page

#[derive(Serialize)]
pub struct SearchPage {
    pub years: Vec<i32>,
    pub groups: Vec<String>,
}

pub fn search(c: &Ctx) -> SearchPage {
    let years: BTreeSet<i32> = c.p.groups.iter().map(|g| g.start.year()).collect();
    SearchPage {
        years: years.into_iter().rev().collect(),
        groups: c.p.groups.iter().map(|g| g.id.clone()).collect(),
    }
}

// ---------------------------------------------------------------- print sets and extracts

/// A group's print set as template values: `group` (a link to the journal) and `files`, one per
/// learner of [`super::print::group_learners`], each with `part` (the CSS page name that carries
/// the learner's running head), `title`, `extract` and `page`, the values of the learner's
/// personal file ([`learner`]). `pages` are those values, made already (for the learner's own page
/// too, which then does not make them again), in the order of `learners`.
pub fn group_files(
    c: &Ctx,
    g: &Group,
    learners: &[&Learner],
    pages: Vec<tera::Value>,
) -> Result<tera::Value, tera::Error> {
    let t = i18n::strings(c.lang);
    let files = learners
        .iter()
        .zip(pages)
        .enumerate()
        .map(|(i, (x, page))| {
            let file: BTreeMap<&'static str, tera::Value> = BTreeMap::from([
                ("part", super::print::part_name(i).into()),
                ("title", super::print::learner_title(&t, x).into()),
                (
                    "extract",
                    tera::Value::try_from_serializable(&super::print::learner_extract(&t, x))?,
                ),
                ("page", page),
            ]);
            Ok(tera::Value::from(file))
        })
        .collect::<Result<Vec<tera::Value>, tera::Error>>()?;
    let set: BTreeMap<&'static str, tera::Value> = BTreeMap::from([
        (
            "group",
            tera::Value::try_from_serializable(&c.group_link(&g.id))?,
        ),
        ("files", files.into()),
    ]);
    Ok(set.into())
}

#[derive(Serialize)]
pub struct ProtocolExtractPage {
    pub protocol: ProtocolView,
}

pub fn protocol_extract(c: &Ctx, pr: &Protocol) -> ProtocolExtractPage {
    ProtocolExtractPage {
        protocol: protocol_view(c, pr),
    }
}

#[derive(Serialize)]
pub struct IssuedExtractPage {
    pub document: IssuedView,
}

pub fn issued_extract(c: &Ctx, d: &IssuedDocument) -> IssuedExtractPage {
    IssuedExtractPage {
        document: issued_view(c, d),
    }
}

#[derive(Serialize)]
pub struct OrderExtractPage {
    pub order: OrderView,
}

pub fn order_extract(c: &Ctx, o: &Order) -> OrderExtractPage {
    OrderExtractPage {
        order: order_view(c, o),
    }
}
