//! What is searchable: one [`SearchDoc`] per record worth finding, with the page it lives on.

use crate::l10n;
use crate::layout::paths;
use crate::model::{Control, GradeItem, GradeValue, Group, Lang, Learner, Period, Programme};
use foldhash::HashMap;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// What a result is; the order is the order of results with equal scores (people first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Learner,
    Group,
    Programme,
    Certificate,
    Order,
    Protocol,
    Transfer,
    Lesson,
    Document,
    Attachment,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Learner,
        Kind::Group,
        Kind::Programme,
        Kind::Certificate,
        Kind::Order,
        Kind::Protocol,
        Kind::Transfer,
        Kind::Lesson,
        Kind::Document,
        Kind::Attachment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Learner => "learner",
            Kind::Group => "group",
            Kind::Programme => "programme",
            Kind::Certificate => "certificate",
            Kind::Order => "order",
            Kind::Protocol => "protocol",
            Kind::Transfer => "transfer",
            Kind::Lesson => "lesson",
            Kind::Document => "document",
            Kind::Attachment => "attachment",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A kind named by its code or its Russian or English label, in any case, `ё` or `е`
    /// (`learner`, `слушатель`, `Приказ`, `зачет результатов`), or by a short Russian word
    /// staff use (`удостоверение`, `диплом`, `зачёт`).
    pub fn parse(name: &str) -> Option<Kind> {
        let norm = |s: &str| super::text::words(s).join(" ");
        let n = norm(name);
        if n.is_empty() {
            return None;
        }
        Kind::ALL
            .into_iter()
            .find(|k| {
                [k.code(), k.label_ru(), k.label_en()]
                    .iter()
                    .any(|l| norm(l) == n)
            })
            .or(match n.as_str() {
                "удостоверение" | "диплом" | "свидетельство" | "сертификат" => {
                    Some(Kind::Certificate)
                }
                "зачет" => Some(Kind::Transfer),
                _ => None,
            })
    }

    /// Russian label shown in results.
    pub fn label_ru(self) -> &'static str {
        match self {
            Kind::Learner => "слушатель",
            Kind::Group => "группа",
            Kind::Programme => "программа",
            Kind::Certificate => "документ об обучении",
            Kind::Order => "приказ",
            Kind::Protocol => "протокол",
            Kind::Transfer => "зачёт результатов",
            Kind::Lesson => "занятие",
            Kind::Document => "документ",
            Kind::Attachment => "файл",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Kind::Learner => "learner",
            Kind::Group => "group",
            Kind::Programme => "programme",
            Kind::Certificate => "certificate",
            Kind::Order => "order",
            Kind::Protocol => "protocol",
            Kind::Transfer => "credit transfer",
            Kind::Lesson => "lesson",
            Kind::Document => "document",
            Kind::Attachment => "file",
        }
    }
}

/// One searchable record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchDoc {
    pub kind: Kind,
    /// Who or what: `Смирнова Анна Петровна`, `ПК-12`, `Приказ № 12 от 01.09.2025`.
    pub title: String,
    /// Page inside the archive's `data/`, with `#anchor` when the record is a part of the page.
    pub url: String,
    /// Group codes the record belongs to (sorted).
    pub groups: Vec<String>,
    /// Programme ids (sorted).
    pub programmes: Vec<String>,
    /// Years (of its dates; for a learner, of their groups).
    pub years: Vec<i32>,
    /// People's names (matched by surname forms and with one-letter typos).
    pub names: Vec<String>,
    /// Codes and numbers, also matched without their separators.
    pub codes: Vec<String>,
    /// Identifiers of this record (a learner's personal file number and SNILS, a certificate's
    /// registration number and series + number, a group's code): a query that is one of them,
    /// in any spelling, puts this record first.
    pub ids: Vec<String>,
    /// The rest of the searchable text, in reading order; also the source of snippets.
    pub text: String,
}

impl SearchDoc {
    fn new(kind: Kind, title: String, url: String) -> SearchDoc {
        SearchDoc {
            kind,
            title,
            url,
            groups: Vec::new(),
            programmes: Vec::new(),
            years: Vec::new(),
            names: Vec::new(),
            codes: Vec::new(),
            ids: Vec::new(),
            text: String::new(),
        }
    }

    fn say(&mut self, part: impl AsRef<str>) {
        let part = part.as_ref().trim();
        if part.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str(" · ");
        }
        self.text.push_str(part);
    }

    fn finish(mut self) -> SearchDoc {
        self.groups.sort();
        self.groups.dedup();
        self.programmes.sort();
        self.programmes.dedup();
        self.years.sort();
        self.years.dedup();
        self.names.dedup();
        self.codes.dedup();
        self.ids.sort();
        self.ids.dedup();
        self
    }

    /// What snippets are cut from: the text first, then names and codes (the title is shown
    /// anyway).
    pub fn snippet_source(&self) -> String {
        let mut s = self.text.clone();
        for part in self.names.iter().chain(&self.codes) {
            s.push('\n');
            s.push_str(part);
        }
        s
    }

    /// Every word the document is found by: title, names, codes and text.
    pub fn all_text(&self) -> String {
        let mut s = String::new();
        for part in std::iter::once(&self.title)
            .chain(&self.names)
            .chain(&self.codes)
            .chain(std::iter::once(&self.text))
        {
            s.push_str(part);
            s.push('\n');
        }
        s
    }
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn year(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    d.year()
}

/// The words of the snippets, in the archive's language (the records' own texts stay as they are).
#[derive(Clone, Copy)]
struct Words(Lang);

impl Words {
    fn pick(self, ru: &'static str, en: &'static str) -> &'static str {
        if self.0 == Lang::En { en } else { ru }
    }

    fn control(self, c: Control) -> &'static str {
        match c {
            Control::Current => self.pick("текущий контроль", "current assessment"),
            Control::Intermediate => {
                self.pick("промежуточная аттестация", "intermediate assessment")
            }
            Control::Final => self.pick("итоговая аттестация", "final assessment"),
        }
    }

    fn grade(self, v: &GradeValue, raw: &str) -> String {
        match v {
            GradeValue::Pass(true) => self.pick("зачтено", "pass").into(),
            GradeValue::Pass(false) => self.pick("не зачтено", "fail").into(),
            _ => raw.to_string(),
        }
    }

    /// `Приказ № 12 от 01.02.2025` / `Order No. 12 of 01.02.2025`; `what` in both languages.
    fn numbered(
        self,
        what: (&'static str, &'static str),
        id: &str,
        on: chrono::NaiveDate,
    ) -> String {
        format!(
            "{} {} {id} {} {}",
            self.pick(what.0, what.1),
            self.pick("№", "No."),
            self.pick("от", "of"),
            date(on)
        )
    }
}

/// What the records are made with: the period, its lookups and its words.
struct Ctx<'a> {
    period: &'a Period,
    learners: HashMap<&'a str, &'a Learner>,
    groups: HashMap<&'a str, &'a Group>,
    programmes: HashMap<&'a str, &'a Programme>,
    items: HashMap<&'a str, &'a GradeItem>,
    lesson_group: HashMap<&'a str, &'a str>,
    /// Per protocol id, its results (indices in `period.protocol_results`, in their order).
    protocol_results: HashMap<&'a str, Vec<u32>>,
    /// Per learner (as `period.learners` lists them), the records their document tells of, in
    /// the order it tells them: groups, attestation grades, protocol results, awards, portfolio.
    parts: Vec<Vec<Part>>,
    w: Words,
    period_year: i32,
    period_end: i32,
}

/// One record a learner's document tells of: its index in its list of the period.
#[derive(Clone, Copy)]
enum Part {
    Enrolment(u32),
    Grade(u32),
    Result(u32),
    Award(u32),
    Portfolio(u32),
}

impl<'a> Ctx<'a> {
    fn new(period: &'a Period) -> Self {
        let period_year = year(period.config.period.start);
        let mut c = Ctx {
            period,
            learners: period.learners.iter().map(|l| (l.id.as_str(), l)).collect(),
            groups: period.groups.iter().map(|g| (g.id.as_str(), g)).collect(),
            programmes: period
                .programmes
                .iter()
                .map(|p| (p.id.as_str(), p))
                .collect(),
            items: period
                .grade_items
                .iter()
                .map(|i| (i.id.as_str(), i))
                .collect(),
            lesson_group: period
                .lessons
                .iter()
                .map(|l| (l.id.as_str(), l.group.as_str()))
                .collect(),
            protocol_results: HashMap::default(),
            parts: Vec::new(),
            w: Words(period.config.language),
            period_year,
            period_end: year(period.config.period.end).max(period_year),
        };
        c.parts = c.learner_parts();
        for (i, r) in period.protocol_results.iter().enumerate() {
            c.protocol_results
                .entry(r.protocol.as_str())
                .or_default()
                .push(i as u32);
        }
        c
    }

    /// Which records each learner's document tells of (a learner id listed twice: the first).
    fn learner_parts(&self) -> Vec<Vec<Part>> {
        let p = self.period;
        let mut index: HashMap<&str, usize> = HashMap::default();
        for (i, l) in p.learners.iter().enumerate() {
            index.entry(l.id.as_str()).or_insert(i);
        }
        let mut parts: Vec<Vec<Part>> = vec![Vec::new(); p.learners.len()];
        let mut add = |learner: &str, part: Part| {
            if let Some(&i) = index.get(learner) {
                parts[i].push(part);
            }
        };
        for (i, e) in p.enrolments.iter().enumerate() {
            add(&e.learner, Part::Enrolment(i as u32));
        }
        for (i, g) in p.grades.iter().enumerate() {
            if self
                .items
                .get(g.item.as_str())
                .is_some_and(|item| item.control != Control::Current)
            {
                add(&g.learner, Part::Grade(i as u32));
            }
        }
        for (i, r) in p.protocol_results.iter().enumerate() {
            add(&r.learner, Part::Result(i as u32));
        }
        for (i, a) in p.awards.iter().enumerate() {
            add(&a.learner, Part::Award(i as u32));
        }
        for (i, f) in p.portfolio.iter().enumerate() {
            add(&f.learner, Part::Portfolio(i as u32));
        }
        for v in &mut parts {
            v.shrink_to_fit();
        }
        parts
    }

    fn name_of(&self, id: &str) -> Option<String> {
        self.learners.get(id).map(|l| l.full_name())
    }

    fn programme_of(&self, group: &str) -> Option<String> {
        self.groups.get(group).map(|g| g.programme.clone())
    }

    /// Every year a group spans, up to the end of the period (a group that started the year
    /// before is of both years; one that ends after the period, of the period's years only).
    fn group_years(&self, group: &str) -> Vec<i32> {
        self.groups
            .get(group)
            .map(|g| {
                let from = year(g.start);
                (from..=year(g.end).min(self.period_end).max(from)).collect()
            })
            .unwrap_or_default()
    }

    /// How many records of `kind` the period holds (each makes one document).
    fn count(&self, kind: Kind) -> usize {
        let p = self.period;
        match kind {
            Kind::Learner => p.learners.len(),
            Kind::Group => p.groups.len(),
            Kind::Programme => p.programmes.len(),
            Kind::Certificate => p.issued_documents.len(),
            Kind::Order => p.orders.len(),
            Kind::Protocol => p.protocols.len(),
            Kind::Transfer => p.credit_transfers.len(),
            Kind::Lesson => p.lessons.len(),
            Kind::Document => p.documents.len(),
            Kind::Attachment => p.attachments.len(),
        }
    }

    /// The document of the `i`-th record of `kind`.
    fn make(&self, kind: Kind, i: usize) -> SearchDoc {
        let p = self.period;
        let d = match kind {
            Kind::Learner => self.learner(i),
            Kind::Group => self.group(&p.groups[i]),
            Kind::Programme => self.programme(&p.programmes[i]),
            Kind::Certificate => self.certificate(&p.issued_documents[i]),
            Kind::Order => self.order(&p.orders[i]),
            Kind::Protocol => self.protocol(&p.protocols[i]),
            Kind::Transfer => self.transfer(&p.credit_transfers[i]),
            Kind::Lesson => self.lesson(&p.lessons[i]),
            Kind::Document => self.document(&p.documents[i]),
            Kind::Attachment => self.attachment(&p.attachments[i]),
        };
        d.finish()
    }
}

/// The searchable records of a period, made on demand in document order, a chunk at a time: the
/// indexes are built without ever holding every document in memory.
///
/// Document order, which is also the order of equal scores: by kind, then by who or what the
/// record is (the holder's name for certificates), so that the records found by one surname sit
/// together (few browser files to load) and a group's learners come in name order; records
/// alike in both stay as the period lists them.
pub struct Docs<'a> {
    c: Ctx<'a>,
    /// (kind, index in its list of the period), in document order.
    order: Vec<(Kind, u32)>,
}

impl<'a> Docs<'a> {
    pub fn new(period: &'a Period) -> Docs<'a> {
        let c = Ctx::new(period);
        let mut refs: Vec<(Kind, u32)> = Vec::new();
        for kind in Kind::ALL {
            refs.extend((0..c.count(kind)).map(|i| (kind, i as u32)));
        }
        // A learner id listed twice makes one document (of its first record).
        let mut seen = BTreeSet::new();
        refs.retain(|&(k, i)| k != Kind::Learner || seen.insert(&c.period.learners[i as usize].id));
        let mut keyed: Vec<(Kind, String, u32)> = refs
            .par_iter()
            .map(|&(k, i)| (k, c.order_key_of(k, i as usize), i))
            .collect();
        keyed.par_sort_unstable();
        let order = keyed.into_iter().map(|(k, _, i)| (k, i)).collect();
        Docs { c, order }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Documents `range` (document numbers), made on every core.
    pub fn get(&self, range: std::ops::Range<usize>) -> Vec<SearchDoc> {
        range.into_par_iter().map(|n| self.doc(n)).collect()
    }

    /// The documents of the given numbers, in that order, made on every core.
    pub fn pick(&self, numbers: &[u32]) -> Vec<SearchDoc> {
        numbers.par_iter().map(|&n| self.doc(n as usize)).collect()
    }

    /// Document number `n`, made.
    fn doc(&self, n: usize) -> SearchDoc {
        let (k, i) = self.order[n];
        self.c.make(k, i as usize)
    }

    /// Every document in order, `size` at a time.
    pub fn chunks(&self, size: usize) -> impl Iterator<Item = Vec<SearchDoc>> + '_ {
        (0..self.len())
            .step_by(size.max(1))
            .map(move |from| self.get(from..(from + size).min(self.len())))
    }
}

/// Where a document sorts among its kind: the words of who or what it is, joined by a character
/// that sorts before any letter (so the texts sort as the lists of words would).
fn order_key(d: &SearchDoc) -> String {
    let key = match d.kind {
        Kind::Certificate | Kind::Transfer => d.names.join(" "),
        _ => d.title.clone(),
    };
    words_key(&key)
}

fn words_key(text: &str) -> String {
    crate::search::text::words(text).join("\0")
}

impl Ctx<'_> {
    /// [`order_key`] of the `i`-th record of `kind`. A learner's document is titled with the full
    /// name, which nothing after changes: it is not made for its key (a learner's grades and
    /// lessons are most of the work of making the documents, each made three times otherwise).
    fn order_key_of(&self, kind: Kind, i: usize) -> String {
        match kind {
            Kind::Learner => words_key(&self.period.learners[i].full_name()),
            _ => order_key(&self.make(kind, i)),
        }
    }
}

/// Every searchable record of a period, in document order (see [`Docs`]); for tests and tools
/// that want them all at once.
pub fn collect(period: &Period) -> Vec<SearchDoc> {
    let docs = Docs::new(period);
    docs.get(0..docs.len())
}

impl Ctx<'_> {
    /// A learner: name, file number, SNILS, groups, grades, results, awards, portfolio.
    fn learner(&self, i: usize) -> SearchDoc {
        let (period, w) = (self.period, self.w);
        let l = &period.learners[i];
        let mut d = SearchDoc::new(Kind::Learner, l.full_name(), paths::learner(&l.id));
        d.names.push(l.full_name());
        d.codes.push(l.id.clone());
        d.ids.push(l.id.clone());
        if let Some(s) = &l.snils {
            d.codes.push(s.clone());
            d.ids.push(s.clone());
        }
        d.codes.extend(l.platform_ids.iter().cloned());
        for part in &self.parts[i] {
            match *part {
                Part::Enrolment(n) => self.enrolment(&mut d, &period.enrolments[n as usize]),
                Part::Grade(n) => {
                    let g = &period.grades[n as usize];
                    if let Some(item) = self.items.get(g.item.as_str()) {
                        d.say(format!(
                            "{}: {} — {}",
                            w.control(item.control),
                            item.title,
                            w.grade(&g.value, &g.raw)
                        ));
                    }
                }
                Part::Result(n) => {
                    let r = &period.protocol_results[n as usize];
                    d.say(format!(
                        "{} {} {}: {}",
                        w.pick("протокол", "protocol"),
                        w.pick("№", "No."),
                        r.protocol,
                        r.result
                    ));
                    if let Some(t) = &r.work {
                        d.say(t);
                    }
                }
                Part::Award(n) => d.say(&period.awards[n as usize].title),
                Part::Portfolio(n) => {
                    let f = &period.portfolio[n as usize];
                    d.say(&f.title);
                    if let Some(t) = &f.description {
                        d.say(t);
                    }
                }
            }
        }
        if d.years.is_empty() {
            d.years.push(self.period_year);
        }
        if let Some(b) = l.birth_date {
            d.say(format!("{} {}", w.pick("дата рождения", "born"), date(b)));
        }
        if let Some(e) = &l.email {
            d.say(e);
        }
        d
    }

    /// One of a learner's groups, with its outcome, and the years it spans.
    fn enrolment(&self, d: &mut SearchDoc, e: &crate::model::Enrolment) {
        let w = self.w;
        d.groups.push(e.group.clone());
        d.programmes.extend(self.programme_of(&e.group));
        let years = self.group_years(&e.group);
        if years.is_empty() {
            d.years.push(self.period_year);
        }
        d.years.extend(years);
        let sex = self.learners.get(e.learner.as_str()).and_then(|l| l.sex);
        let outcome = l10n::outcome(w.0, e.outcome, sex);
        d.say(format!(
            "{} {}: {outcome}",
            w.pick("группа", "group"),
            e.group
        ));
        if let Some(r) = &e.reason {
            d.say(r);
        }
    }

    fn group(&self, g: &Group) -> SearchDoc {
        let mut d = SearchDoc::new(Kind::Group, g.id.clone(), paths::group(&g.id));
        d.codes.push(g.id.clone());
        d.ids.push(g.id.clone());
        d.groups.push(g.id.clone());
        d.programmes.push(g.programme.clone());
        d.years.extend(self.group_years(&g.id));
        if let Some(p) = self.programmes.get(g.programme.as_str()) {
            d.say(&p.title);
        }
        d.say(format!("{} — {}", date(g.start), date(g.end)));
        if let Some(cur) = &g.curator {
            d.names.push(cur.clone());
        }
        d
    }

    fn programme(&self, p: &Programme) -> SearchDoc {
        let mut d = SearchDoc::new(Kind::Programme, p.title.clone(), paths::programme(&p.id));
        d.codes.push(p.id.clone());
        d.programmes.push(p.id.clone());
        d.years.push(self.period_year);
        d.say(format!("{} {}", p.hours, self.w.pick("ч.", "h")));
        if let Some(f) = &p.form {
            d.say(f);
        }
        d
    }

    /// An issued certificate or diploma, found by registration number, series and number, holder.
    fn certificate(&self, cert: &crate::model::IssuedDocument) -> SearchDoc {
        let w = self.w;
        let number = match &cert.series {
            Some(s) => format!("{s} № {}", cert.number),
            None => format!("№ {}", cert.number),
        };
        let who = self
            .name_of(&cert.learner)
            .unwrap_or_else(|| cert.learner.clone());
        let mut d = SearchDoc::new(
            Kind::Certificate,
            format!("{} {number}", cert.kind),
            format!(
                "{}#{}",
                paths::ISSUED,
                paths::anchor("doc", &cert.reg_number)
            ),
        );
        d.names.push(who.clone());
        if let Some(s) = &cert.series {
            d.codes.push(s.clone());
        }
        d.codes.push(cert.number.clone());
        d.codes.push(cert.reg_number.clone());
        d.ids.push(cert.reg_number.clone());
        if let Some(s) = &cert.series {
            d.ids.push(format!("{s} {}", cert.number));
        }
        if let Some(l) = self.learners.get(cert.learner.as_str())
            && let Some(s) = &l.snils
        {
            d.codes.push(s.clone());
        }
        if let Some(g) = &cert.group {
            d.groups.push(g.clone());
            d.programmes.extend(self.programme_of(g));
        }
        d.years.push(year(cert.issue_date));
        d.say(&who);
        d.say(w.numbered(("рег.", "reg."), &cert.reg_number, cert.issue_date));
        if cert.duplicate {
            d.say(w.pick("дубликат", "duplicate"));
        }
        if let Some(r) = &cert.received_by {
            d.say(format!("{} {r}", w.pick("получил", "received by")));
        }
        d
    }

    fn order(&self, o: &crate::model::Order) -> SearchDoc {
        let mut d = SearchDoc::new(
            Kind::Order,
            self.w.numbered(("Приказ", "Order"), &o.id, o.date),
            format!("{}#{}", paths::ORDERS, paths::anchor("order", &o.id)),
        );
        d.codes.push(o.id.clone());
        if let Some(g) = &o.group {
            d.groups.push(g.clone());
            d.programmes.extend(self.programme_of(g));
        }
        d.years.push(year(o.date));
        d.say(&o.title);
        if let Some(t) = &o.text {
            d.say(t);
        }
        if let Some(f) = &o.file {
            d.say(f);
        }
        d
    }

    /// A protocol, with the commission's names and every learner's result.
    fn protocol(&self, p: &crate::model::Protocol) -> SearchDoc {
        let w = self.w;
        let mut d = SearchDoc::new(
            Kind::Protocol,
            w.numbered(("Протокол", "Protocol"), &p.id, p.date),
            format!("{}#{}", paths::PROTOCOLS, paths::anchor("protocol", &p.id)),
        );
        d.codes.push(p.id.clone());
        d.groups.push(p.group.clone());
        d.programmes.extend(self.programme_of(&p.group));
        d.years.push(year(p.date));
        d.say(format!(
            "{}, {} {}",
            w.control(p.kind),
            w.pick("группа", "group"),
            p.group
        ));
        d.names.push(p.chair.clone());
        d.names.extend(p.members.iter().cloned());
        d.names.extend(p.secretary.iter().cloned());
        // Looked up, not searched for: every protocol scanning every result grew with the square
        // of the period (6 s of a 80,000-learner build, each document being made three times).
        let results = self.protocol_results.get(p.id.as_str());
        for r in results
            .into_iter()
            .flatten()
            .map(|&i| &self.period.protocol_results[i as usize])
        {
            let who = self
                .name_of(&r.learner)
                .unwrap_or_else(|| r.learner.clone());
            d.say(format!("{who}: {}", r.result));
        }
        d
    }

    fn transfer(&self, t: &crate::model::CreditTransfer) -> SearchDoc {
        let w = self.w;
        let who = self
            .name_of(&t.learner)
            .unwrap_or_else(|| t.learner.clone());
        let mut d = SearchDoc::new(
            Kind::Transfer,
            format!("{}: {}", who, t.course),
            format!("{}#{}", paths::TRANSFERS, paths::anchor("transfer", &t.id)),
        );
        d.names.push(who);
        d.groups.push(t.group.clone());
        d.programmes.extend(self.programme_of(&t.group));
        d.years.push(year(t.decision_date));
        d.say(&t.source_organisation);
        d.say(&t.source_document);
        d.say(format!(
            "{}: {}",
            t.result,
            if t.accepted {
                w.pick("зачтено", "accepted")
            } else {
                w.pick("отказано", "refused")
            }
        ));
        d
    }

    fn lesson(&self, l: &crate::model::Lesson) -> SearchDoc {
        let mut d = SearchDoc::new(
            Kind::Lesson,
            l.topic.to_string(),
            format!(
                "{}#{}",
                paths::group(&l.group),
                paths::anchor("lesson", &l.id)
            ),
        );
        d.groups.push(l.group.to_string());
        d.programmes.extend(self.programme_of(&l.group));
        d.years.push(year(l.date));
        let mut when = format!("{}, {}", l.group, date(l.date));
        if let Some(t) = &l.time {
            when.push(' ');
            when.push_str(t);
        }
        d.say(when);
        if let Some(k) = &l.kind {
            d.say(k);
        }
        if let Some(t) = &l.teacher {
            d.names.push(t.to_string());
        }
        d
    }

    fn document(&self, m: &crate::model::MarkdownDoc) -> SearchDoc {
        let mut d = SearchDoc::new(Kind::Document, m.title.clone(), paths::document(&m.id));
        d.years.push(self.period_year);
        d.say(markdown_text(&m.markdown));
        d
    }

    /// An attached file, of the group given or of its lesson's group.
    fn attachment(&self, a: &crate::model::Attachment) -> SearchDoc {
        let mut d = SearchDoc::new(Kind::Attachment, a.title.clone(), paths::file(&a.path));
        let mut gs: BTreeSet<String> = BTreeSet::new();
        gs.extend(a.group.iter().cloned());
        if let Some(l) = &a.lesson
            && let Some(g) = self.lesson_group.get(l.as_str())
        {
            gs.insert(g.to_string());
        }
        for g in &gs {
            d.programmes.extend(self.programme_of(g));
            d.years.extend(self.group_years(g));
        }
        d.groups.extend(gs);
        if d.years.is_empty() {
            d.years.push(self.period_year);
        }
        if let Some(l) = &a.learner {
            d.names.extend(self.name_of(l));
        }
        d.say(&a.path);
        if let Some(k) = &a.kind {
            d.say(k);
        }
        d
    }
}

/// The plain text of a Markdown document (what a reader sees, without markup).
pub fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A learner's key, taken without making the document, is the key of the made document.
    #[test]
    fn every_record_sorts_by_the_key_of_its_made_document() {
        let p = super::super::fixture::period();
        let c = Ctx::new(&p);
        let mut n = 0;
        for kind in Kind::ALL {
            for i in 0..c.count(kind) {
                assert_eq!(
                    c.order_key_of(kind, i),
                    order_key(&c.make(kind, i)),
                    "{kind:?} {i}"
                );
                n += 1;
            }
        }
        assert!(n > p.learners.len(), "{n}");
    }

    /// A protocol's document tells its own results, in the order of the period, whichever order
    /// the results of several protocols are listed in; a result of an unknown protocol is in none.
    #[test]
    fn a_protocol_tells_its_own_results_in_the_order_of_the_period() {
        use crate::model::{Extra, Origin, Protocol, ProtocolResult};
        let mut p = super::super::fixture::period();
        let group = p.groups[0].id.clone();
        let day = p.config.period.start;
        for id in ["ИА-1", "ИА-2"] {
            p.protocols.push(Protocol {
                id: id.into(),
                date: day,
                group: group.clone(),
                kind: Control::Final,
                chair: "Председатель".into(),
                members: vec![],
                secretary: None,
                origin: Origin::new("protocols.csv".into(), 2),
                extra: Extra::new(),
            });
        }
        let learners: Vec<String> = p.learners.iter().map(|l| l.id.clone()).collect();
        let results = [
            ("ИА-2", 0, "зачтено"),
            ("ИА-1", 1, "отлично"),
            ("ИА-0", 0, "неизвестно"),
            ("ИА-2", 1, "не зачтено"),
            ("ИА-1", 0, "хорошо"),
        ];
        for (n, (protocol, who, result)) in results.into_iter().enumerate() {
            p.protocol_results.push(ProtocolResult {
                protocol: protocol.into(),
                learner: learners[who].clone(),
                result: result.into(),
                work: None,
                comment: None,
                origin: Origin::new("protocol_results.csv".into(), n as u64 + 2),
                extra: Extra::new(),
            });
        }
        let c = Ctx::new(&p);
        // Each protocol: its results in the period's order, and the others' it must not tell.
        let expected = [
            (
                "ИА-1",
                [(1, "отлично"), (0, "хорошо")],
                ["зачтено", "неизвестно"],
            ),
            (
                "ИА-2",
                [(0, "зачтено"), (1, "не зачтено")],
                ["отлично", "неизвестно"],
            ),
        ];
        for (id, own, others) in expected {
            let i = p.protocols.iter().position(|x| x.id == id).unwrap();
            let text = c.make(Kind::Protocol, i).text;
            let at: Vec<usize> = own
                .iter()
                .map(|&(who, result)| {
                    let name = c.name_of(&learners[who]).unwrap();
                    text.find(&format!("{name}: {result}")).expect(&text)
                })
                .collect();
            assert!(at.is_sorted(), "{id}: {text}");
            for result in others {
                assert!(!text.contains(result), "{id}: {text}");
            }
        }
    }
}
