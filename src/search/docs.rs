//! What is searchable: one [`SearchDoc`] per record worth finding, with the page it lives on.

use crate::l10n;
use crate::layout::paths;
use crate::model::{Control, GradeValue, Lang, Period};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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

/// What the records of one kind are made with: the period, its lookups and its words.
struct Ctx<'a> {
    period: &'a Period,
    learners: BTreeMap<&'a str, &'a crate::model::Learner>,
    groups: BTreeMap<&'a str, &'a crate::model::Group>,
    w: Words,
    period_year: i32,
    period_end: i32,
}

impl<'a> Ctx<'a> {
    fn new(period: &'a Period) -> Self {
        let period_year = year(period.config.period.start);
        Ctx {
            period,
            learners: period.learners.iter().map(|l| (l.id.as_str(), l)).collect(),
            groups: period.groups.iter().map(|g| (g.id.as_str(), g)).collect(),
            w: Words(period.config.language),
            period_year,
            period_end: year(period.config.period.end).max(period_year),
        }
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
}

/// The searchable records of a period, in a fixed order: by kind, then as the period lists them.
pub fn collect(period: &Period) -> Vec<SearchDoc> {
    let c = Ctx::new(period);
    let mut docs = learners(&c);
    docs.extend(groups(&c));
    docs.extend(programmes(&c));
    docs.extend(certificates(&c));
    docs.extend(orders(&c));
    docs.extend(protocols(&c));
    docs.extend(transfers(&c));
    docs.extend(lessons(&c));
    docs.extend(documents(&c));
    docs.extend(attachments(&c));
    // Document order, which is also the order of equal scores: by kind, then by who or what the
    // record is (the holder's name for certificates), so that the records found by one surname
    // sit together (few browser files to load) and a group's learners come in name order.
    docs.sort_by_cached_key(|d| {
        let key = match d.kind {
            Kind::Certificate | Kind::Transfer => d.names.join(" "),
            _ => d.title.clone(),
        };
        (d.kind, crate::search::text::words(&key))
    });
    docs
}

/// Learners: name, file number, SNILS, groups, grades, results, awards, portfolio.
fn learners(c: &Ctx) -> Vec<SearchDoc> {
    let (period, w) = (c.period, c.w);
    let mut by_learner: BTreeMap<&str, SearchDoc> = BTreeMap::new();
    for l in &period.learners {
        let mut d = SearchDoc::new(Kind::Learner, l.full_name(), paths::learner(&l.id));
        d.names.push(l.full_name());
        d.codes.push(l.id.clone());
        d.ids.push(l.id.clone());
        if let Some(s) = &l.snils {
            d.codes.push(s.clone());
            d.ids.push(s.clone());
        }
        d.codes.extend(l.platform_ids.iter().cloned());
        by_learner.insert(&l.id, d);
    }
    enrolments(c, &mut by_learner);
    results(c, &mut by_learner);
    let mut docs = Vec::new();
    for l in &period.learners {
        if let Some(mut d) = by_learner.remove(l.id.as_str()) {
            if d.years.is_empty() {
                d.years.push(c.period_year);
            }
            if let Some(b) = l.birth_date {
                d.say(format!("{} {}", w.pick("дата рождения", "born"), date(b)));
            }
            if let Some(e) = &l.email {
                d.say(e);
            }
            docs.push(d.finish());
        }
    }
    docs
}

/// A learner's groups, with the outcome of each, and the years they span.
fn enrolments<'a>(c: &Ctx<'a>, by_learner: &mut BTreeMap<&'a str, SearchDoc>) {
    let w = c.w;
    for e in &c.period.enrolments {
        if let Some(d) = by_learner.get_mut(e.learner.as_str()) {
            d.groups.push(e.group.clone());
            d.programmes.extend(c.programme_of(&e.group));
            let years = c.group_years(&e.group);
            if years.is_empty() {
                d.years.push(c.period_year);
            }
            d.years.extend(years);
            let sex = c.learners.get(e.learner.as_str()).and_then(|l| l.sex);
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
    }
}

/// A learner's attestation grades, protocol results, awards and portfolio.
fn results<'a>(c: &Ctx<'a>, by_learner: &mut BTreeMap<&'a str, SearchDoc>) {
    let (period, w) = (c.period, c.w);
    let items: BTreeMap<&str, &crate::model::GradeItem> = period
        .grade_items
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    for g in &period.grades {
        if let (Some(d), Some(item)) = (
            by_learner.get_mut(g.learner.as_str()),
            items.get(g.item.as_str()),
        ) && item.control != Control::Current
        {
            d.say(format!(
                "{}: {} — {}",
                w.control(item.control),
                item.title,
                w.grade(&g.value, &g.raw)
            ));
        }
    }
    for r in &period.protocol_results {
        if let Some(d) = by_learner.get_mut(r.learner.as_str()) {
            d.say(format!(
                "{} {} {}: {}",
                w.pick("протокол", "protocol"),
                w.pick("№", "No."),
                r.protocol,
                r.result
            ));
            if let Some(w) = &r.work {
                d.say(w);
            }
        }
    }
    for a in &period.awards {
        if let Some(d) = by_learner.get_mut(a.learner.as_str()) {
            d.say(&a.title);
        }
    }
    for p in &period.portfolio {
        if let Some(d) = by_learner.get_mut(p.learner.as_str()) {
            d.say(&p.title);
            if let Some(t) = &p.description {
                d.say(t);
            }
        }
    }
}

fn groups(c: &Ctx) -> Vec<SearchDoc> {
    let programmes: BTreeMap<&str, &crate::model::Programme> = c
        .period
        .programmes
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let mut docs = Vec::new();
    for g in &c.period.groups {
        let mut d = SearchDoc::new(Kind::Group, g.id.clone(), paths::group(&g.id));
        d.codes.push(g.id.clone());
        d.ids.push(g.id.clone());
        d.groups.push(g.id.clone());
        d.programmes.push(g.programme.clone());
        d.years.extend(c.group_years(&g.id));
        if let Some(p) = programmes.get(g.programme.as_str()) {
            d.say(&p.title);
        }
        d.say(format!("{} — {}", date(g.start), date(g.end)));
        if let Some(cur) = &g.curator {
            d.names.push(cur.clone());
        }
        docs.push(d.finish());
    }
    docs
}

fn programmes(c: &Ctx) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for p in &c.period.programmes {
        let mut d = SearchDoc::new(Kind::Programme, p.title.clone(), paths::programme(&p.id));
        d.codes.push(p.id.clone());
        d.programmes.push(p.id.clone());
        d.years.push(c.period_year);
        d.say(format!("{} {}", p.hours, c.w.pick("ч.", "h")));
        if let Some(f) = &p.form {
            d.say(f);
        }
        docs.push(d.finish());
    }
    docs
}

/// Issued certificates and diplomas, found by registration number, series and number, holder.
fn certificates(c: &Ctx) -> Vec<SearchDoc> {
    let w = c.w;
    let mut docs = Vec::new();
    for cert in &c.period.issued_documents {
        let number = match &cert.series {
            Some(s) => format!("{s} № {}", cert.number),
            None => format!("№ {}", cert.number),
        };
        let who = c
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
        if let Some(l) = c.learners.get(cert.learner.as_str())
            && let Some(s) = &l.snils
        {
            d.codes.push(s.clone());
        }
        if let Some(g) = &cert.group {
            d.groups.push(g.clone());
            d.programmes.extend(c.programme_of(g));
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
        docs.push(d.finish());
    }
    docs
}

fn orders(c: &Ctx) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for o in &c.period.orders {
        let mut d = SearchDoc::new(
            Kind::Order,
            c.w.numbered(("Приказ", "Order"), &o.id, o.date),
            format!("{}#{}", paths::ORDERS, paths::anchor("order", &o.id)),
        );
        d.codes.push(o.id.clone());
        if let Some(g) = &o.group {
            d.groups.push(g.clone());
            d.programmes.extend(c.programme_of(g));
        }
        d.years.push(year(o.date));
        d.say(&o.title);
        if let Some(t) = &o.text {
            d.say(t);
        }
        if let Some(f) = &o.file {
            d.say(f);
        }
        docs.push(d.finish());
    }
    docs
}

/// Protocols, with the commission's names and every learner's result.
fn protocols(c: &Ctx) -> Vec<SearchDoc> {
    let (period, w) = (c.period, c.w);
    let mut docs = Vec::new();
    for p in &period.protocols {
        let mut d = SearchDoc::new(
            Kind::Protocol,
            w.numbered(("Протокол", "Protocol"), &p.id, p.date),
            format!("{}#{}", paths::PROTOCOLS, paths::anchor("protocol", &p.id)),
        );
        d.codes.push(p.id.clone());
        d.groups.push(p.group.clone());
        d.programmes.extend(c.programme_of(&p.group));
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
        for r in period
            .protocol_results
            .iter()
            .filter(|r| r.protocol == p.id)
        {
            let who = c.name_of(&r.learner).unwrap_or_else(|| r.learner.clone());
            d.say(format!("{who}: {}", r.result));
        }
        docs.push(d.finish());
    }
    docs
}

fn transfers(c: &Ctx) -> Vec<SearchDoc> {
    let w = c.w;
    let mut docs = Vec::new();
    for t in &c.period.credit_transfers {
        let who = c.name_of(&t.learner).unwrap_or_else(|| t.learner.clone());
        let mut d = SearchDoc::new(
            Kind::Transfer,
            format!("{}: {}", who, t.course),
            format!("{}#{}", paths::TRANSFERS, paths::anchor("transfer", &t.id)),
        );
        d.names.push(who);
        d.groups.push(t.group.clone());
        d.programmes.extend(c.programme_of(&t.group));
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
        docs.push(d.finish());
    }
    docs
}

fn lessons(c: &Ctx) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for l in &c.period.lessons {
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
        d.programmes.extend(c.programme_of(&l.group));
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
        docs.push(d.finish());
    }
    docs
}

fn documents(c: &Ctx) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for m in &c.period.documents {
        let mut d = SearchDoc::new(Kind::Document, m.title.clone(), paths::document(&m.id));
        d.years.push(c.period_year);
        d.say(markdown_text(&m.markdown));
        docs.push(d.finish());
    }
    docs
}

/// Attached files, of the group given or of their lesson's group.
fn attachments(c: &Ctx) -> Vec<SearchDoc> {
    let lesson_group: BTreeMap<&str, &str> = c
        .period
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), l.group.as_str()))
        .collect();
    let mut docs = Vec::new();
    for a in &c.period.attachments {
        let mut d = SearchDoc::new(Kind::Attachment, a.title.clone(), paths::file(&a.path));
        let mut gs: BTreeSet<String> = BTreeSet::new();
        gs.extend(a.group.iter().cloned());
        if let Some(l) = &a.lesson
            && let Some(g) = lesson_group.get(l.as_str())
        {
            gs.insert(g.to_string());
        }
        for g in &gs {
            d.programmes.extend(c.programme_of(g));
            d.years.extend(c.group_years(g));
        }
        d.groups.extend(gs);
        if d.years.is_empty() {
            d.years.push(c.period_year);
        }
        if let Some(l) = &a.learner {
            d.names.extend(c.name_of(l));
        }
        d.say(&a.path);
        if let Some(k) = &a.kind {
            d.say(k);
        }
        docs.push(d.finish());
    }
    docs
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
