//! Row → typed record, field by field: every problem of a row is reported (not only the first), and
//! a row with an error is rejected whole.

use super::fields;
use super::rows::{Cell, Row};
use super::schema::Kind;
use crate::diag::Diagnostic;
use crate::model::*;
use chrono::NaiveDate;

/// A grade before its item's scale is known (the value is checked in validation).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RawGrade {
    pub item: String,
    pub learner: String,
    pub raw: String,
    pub date: Option<NaiveDate>,
    pub comment: Option<String>,
    pub origin: Origin,
    pub extra: Extra,
}

/// Records that passed the row-level checks, before cross-references are checked.
#[derive(Debug, Default)]
pub struct Staging {
    pub programmes: Vec<Programme>,
    pub groups: Vec<Group>,
    pub learners: Vec<Learner>,
    pub enrolments: Vec<Enrolment>,
    pub orders: Vec<Order>,
    pub lessons: Vec<Lesson>,
    pub attendance: Vec<Attendance>,
    pub grade_items: Vec<GradeItem>,
    /// Grades whose item was read: their value is checked on the item's scale while reading.
    pub grades: Vec<Grade>,
    /// Grades of items that were not read (unknown or rejected): rejected in validation.
    pub unvalued_grades: Vec<RawGrade>,
    /// Scale of each grade item read so far (built when the first grade arrives; `grade_items`
    /// is read before `grades`).
    pub scales: Option<std::collections::HashMap<String, Scale>>,
    pub protocols: Vec<Protocol>,
    pub protocol_results: Vec<ProtocolResult>,
    pub issued_documents: Vec<IssuedDocument>,
    pub awards: Vec<Award>,
    pub portfolio: Vec<PortfolioItem>,
    pub credit_transfers: Vec<CreditTransfer>,
    pub attachments: Vec<Attachment>,
}

/// Building one record from one row.
pub struct Ctx<'a> {
    pub kind: Kind,
    pub file: &'a str,
    /// `file`, shared by the [`Origin`] of every record of the file.
    pub origin_file: &'a Key,
    pub row: &'a Row,
    /// Column number of each schema column in the header (CSV), for cells left empty.
    pub header_cols: &'a [Option<u64>],
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A time of day written `H:MM` or `HH.MM` (also both ends of `10:00-11:30`) whose hours or
/// minutes cannot be: the part that is wrong. Other texts are not times and are left alone.
fn impossible_time(v: &str) -> Option<String> {
    v.split(['-', '–', '—'])
        .map(str::trim)
        .find(|t| {
            let Some((h, m)) = t.split_once([':', '.']) else {
                return false;
            };
            let digits =
                |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
            digits(h)
                && m.len() == 2
                && digits(m)
                && (h.parse::<u32>().unwrap_or(0) > 23 || m.parse::<u32>().unwrap_or(0) > 59)
        })
        .map(str::to_string)
}

impl<'a> Ctx<'a> {
    fn cell(&self, name: &str) -> Option<&'a Cell> {
        self.row
            .cells
            .get(self.kind.col(name))
            .and_then(Option::as_ref)
    }

    fn error_at(&mut self, name: &str, cell: Option<&Cell>, msg: Text, hint: Option<Text>) {
        let (line, col) = match cell {
            Some(c) => (c.line, Some(c.col)),
            None => (
                self.row.line,
                self.header_cols.get(self.kind.col(name)).copied().flatten(),
            ),
        };
        let mut d = Diagnostic::error(self.file, msg).at(line, col);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.errors.push(d);
    }

    /// A required text field.
    fn req(&mut self, name: &str) -> String {
        match self.cell(name) {
            Some(c) => c.value.clone(),
            None => {
                let label = self.kind.label(self.kind.col(name));
                self.error_at(
                    name,
                    None,
                    Text::new(
                        format!("не заполнено обязательное поле {label}"),
                        format!("required field {label} is empty"),
                    ),
                    Some(Text::new(
                        "заполните поле или удалите строку из выгрузки",
                        "fill in the field or remove the row from the export",
                    )),
                );
                String::new()
            }
        }
    }

    fn opt(&self, name: &str) -> Option<String> {
        self.cell(name).map(|c| c.value.clone())
    }

    fn parse<T>(&mut self, name: &str, f: impl Fn(&str) -> Result<T, Text>) -> Option<T> {
        let cell = self.cell(name)?;
        match f(&cell.value) {
            Ok(v) => Some(v),
            Err(msg) => {
                let label = self.kind.label(self.kind.col(name));
                let msg = Text::new(
                    format!("{label}: {}", msg.ru),
                    format!("{label}: {}", msg.en),
                );
                let hint = (name == "snils").then(|| {
                    Text::new(
                        "сверьте СНИЛС с документом слушателя; если номера нет, оставьте ячейку пустой",
                        "check the SNILS against the learner's document; leave the cell empty if there is none",
                    )
                });
                self.error_at(name, Some(cell), msg, hint);
                None
            }
        }
    }

    /// A required field with a parser: an empty cell is reported as empty.
    fn req_parse<T>(&mut self, name: &str, f: impl Fn(&str) -> Result<T, Text>) -> Option<T> {
        if self.cell(name).is_none() {
            self.req(name);
            return None;
        }
        self.parse(name, f)
    }

    fn date(&mut self, name: &str, required: bool, check_period: bool) -> Option<NaiveDate> {
        let before = self.errors.len();
        let d = if required {
            self.req_parse(name, fields::date)
        } else {
            self.parse(name, fields::date)
        };
        if self.errors.len() > before
            && let Some(last) = self.errors.last_mut()
            && last.hint.is_none()
        {
            last.hint = Some(Text::new(
                "даты пишутся как ДД.ММ.ГГГГ (31.01.2025) или ГГГГ-ММ-ДД (2025-01-31)",
                "write dates as dd.mm.yyyy (31.01.2025) or yyyy-mm-dd (2025-01-31)",
            ));
        }
        let d = d?;
        if let (true, Some((start, end))) = (check_period, self.period)
            && (d < start || d > end)
            && let Some(cell) = self.cell(name)
        {
            let label = self.kind.label(self.kind.col(name));
            let fmt = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
            self.warnings.push(
                Diagnostic::warning(
                    self.file,
                    Text::new(
                        format!(
                            "{label}: дата {} вне периода {}–{}",
                            fmt(d),
                            fmt(start),
                            fmt(end)
                        ),
                        format!(
                            "{label}: date {} is outside the period {}–{}",
                            fmt(d),
                            fmt(start),
                            fmt(end)
                        ),
                    ),
                )
                .at(cell.line, Some(cell.col))
                .hint(Text::new(
                    "проверьте дату или границы периода в letopis.yaml",
                    "check the date or the period's dates in letopis.yaml",
                )),
            );
        }
        Some(d)
    }

    fn origin(&self) -> Origin {
        Origin::new(*self.origin_file, self.row.line)
    }

    fn extra(&self) -> Extra {
        self.row.extra.clone()
    }

    fn row_error(&mut self, msg: Text, hint: Text) {
        self.errors.push(
            Diagnostic::error(self.file, msg)
                .at(self.row.line, None)
                .hint(hint),
        );
    }
}

fn list(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        s.split([';', ','])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

/// Pushes the record built by `$rec` onto `$vec` unless the row has errors (or a required value
/// was missing: `$rec` uses `?`); the value of a record kind's builder.
macro_rules! finish {
    ($c:expr, $vec:expr, $rec:expr) => {{
        if !$c.errors.is_empty() {
            return false;
        }
        #[allow(clippy::redundant_closure_call)]
        let rec = (|| Some($rec))();
        match rec {
            Some(r) => {
                $vec.push(r);
                true
            }
            None => false,
        }
    }};
}

/// Builds the record of `c.row` into `st`; returns false (with `c.errors` filled) when rejected.
pub fn build(c: &mut Ctx, st: &mut Staging) -> bool {
    match c.kind {
        Kind::Programmes => programmes(c, st),
        Kind::Groups => groups(c, st),
        Kind::Learners => learners(c, st),
        Kind::Enrolments => enrolments(c, st),
        Kind::Orders => orders(c, st),
        Kind::Lessons => lessons(c, st),
        Kind::Attendance => attendance(c, st),
        Kind::GradeItems => grade_items(c, st),
        Kind::Grades => grades(c, st),
        Kind::Protocols => protocols(c, st),
        Kind::ProtocolResults => protocol_results(c, st),
        Kind::IssuedDocuments => issued_documents(c, st),
        Kind::Awards => awards(c, st),
        Kind::Portfolio => portfolio(c, st),
        Kind::CreditTransfers => credit_transfers(c, st),
        Kind::Attachments => attachments(c, st),
    }
}

fn programmes(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let kind = c.req_parse("kind", fields::programme_kind);
    let title = c.req("title");
    let hours = c.req_parse("hours", fields::whole);
    let form = c.opt("form");
    finish!(
        c,
        st.programmes,
        Programme {
            id,
            kind: kind?,
            title,
            hours: hours?,
            form,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn groups(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let programme = c.req("programme");
    let start = c.date("start", true, false);
    let end = c.date("end", true, false);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        let cell = c.cell("end");
        c.error_at(
            "end",
            cell,
            Text::new(
                "окончание группы раньше её начала",
                "the group ends before it starts",
            ),
            None,
        );
    }
    let curator = c.opt("curator");
    finish!(
        c,
        st.groups,
        Group {
            id,
            programme,
            start: start?,
            end: end?,
            curator,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn learners(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let surname = c.req("surname");
    let name = c.req("name");
    let patronymic = c.opt("patronymic");
    let birth_date = c.date("birth_date", false, false);
    if let (Some(born), Some((_, end))) = (birth_date, c.period)
        && born > end
    {
        let cell = c.cell("birth_date").cloned();
        let label = c.kind.label(c.kind.col("birth_date"));
        let fmt = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
        c.error_at(
            "birth_date",
            cell.as_ref(),
            Text::new(
                format!(
                    "{label}: {} — позже конца периода {}: так не бывает",
                    fmt(born),
                    fmt(end)
                ),
                format!(
                    "{label}: {} is after the end of the period {}: impossible",
                    fmt(born),
                    fmt(end)
                ),
            ),
            Some(Text::new(
                "проверьте год рождения (не перепутаны ли день и месяц, век)",
                "check the year of birth (day and month swapped, wrong century?)",
            )),
        );
    }
    let sex = c.parse("sex", fields::sex);
    let snils = c.parse("snils", fields::snils);
    let email = c.opt("email");
    let phone = c.opt("phone");
    let platform_ids = list(c.opt("platform_id"));
    finish!(
        c,
        st.learners,
        Learner {
            id,
            surname,
            name,
            patronymic,
            birth_date,
            sex,
            snils,
            email,
            phone,
            platform_ids,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn enrolments(c: &mut Ctx, st: &mut Staging) -> bool {
    let learner = c.req("learner");
    let group = c.req("group");
    let date = c.date("date", true, false);
    let order = c.opt("order");
    let outcome = c
        .parse("outcome", fields::outcome)
        .unwrap_or(Outcome::Studying);
    let outcome_date = c.date("outcome_date", false, false);
    let outcome_order = c.opt("outcome_order");
    let reason = c.opt("reason");
    finish!(
        c,
        st.enrolments,
        Enrolment {
            learner,
            group,
            date: date?,
            order,
            outcome,
            outcome_date,
            outcome_order,
            reason,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn orders(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let date = c.date("date", true, true);
    let kind = c.req_parse("kind", fields::order_kind);
    let group = c.opt("group");
    let title = c.req("title");
    let text = c.opt("text");
    let file = c.opt("file");
    finish!(
        c,
        st.orders,
        Order {
            id,
            date: date?,
            kind: kind?,
            group,
            title,
            text,
            file,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn lessons(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let group = c.req("group");
    let date = c.date("date", true, true);
    let time = c.opt("time");
    if let Some(cell) = c.cell("time")
        && let Some(bad) = impossible_time(&cell.value)
    {
        let cell = cell.clone();
        let label = c.kind.label(c.kind.col("time"));
        c.error_at(
            "time",
            Some(&cell),
            Text::new(
                format!("{label}: времени «{bad}» не бывает"),
                format!("{label}: there is no time «{bad}»"),
            ),
            Some(Text::new(
                "время пишется как ЧЧ:ММ, от 00:00 до 23:59",
                "times are written HH:MM, 00:00 to 23:59",
            )),
        );
    }
    let hours = c.req_parse("hours", fields::non_negative);
    if hours == Some(0.0)
        && let Some(cell) = c.cell("hours")
    {
        let label = c.kind.label(c.kind.col("hours"));
        c.warnings.push(
            Diagnostic::warning(
                c.file,
                Text::new(
                    format!("{label}: 0 часов: занятие не войдёт в часы слушателей"),
                    format!("{label}: 0 hours: the lesson adds nothing to the learners' hours"),
                ),
            )
            .at(cell.line, Some(cell.col)),
        );
    }
    let topic = c.req("topic");
    let teacher = c.opt("teacher");
    let kind = c.opt("kind");
    finish!(
        c,
        st.lessons,
        Lesson {
            id,
            group: group.into(),
            date: date?,
            time: time.map(Into::into),
            hours: hours?,
            topic: topic.into(),
            teacher: teacher.map(Into::into),
            kind: kind.map(Into::into),
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn attendance(c: &mut Ctx, st: &mut Staging) -> bool {
    let lesson = c.req("lesson");
    let learner = c.req("learner");
    let mark = c.req_parse("mark", fields::mark);
    let remark = c.opt("remark");
    finish!(
        c,
        st.attendance,
        Attendance {
            lesson: lesson.into(),
            learner: learner.into(),
            mark: mark?,
            remark: remark.map(Into::into),
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn grade_items(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let group = c.req("group");
    let title = c.req("title");
    let control = c.req_parse("control", fields::control);
    let scale = c.req_parse("scale", fields::scale);
    let lesson = c.opt("lesson");
    let date = c.date("date", false, true);
    finish!(
        c,
        st.grade_items,
        GradeItem {
            id,
            group,
            title,
            control: control?,
            scale: scale?,
            lesson,
            date,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn grades(c: &mut Ctx, st: &mut Staging) -> bool {
    let item = c.req("item");
    let learner = c.req("learner");
    let raw = c.req("value");
    let date = c.date("date", false, true);
    let comment = c.opt("comment");
    let scales = st.scales.get_or_insert_with(|| {
        let mut m = std::collections::HashMap::new();
        for gi in &st.grade_items {
            m.entry(gi.id.clone()).or_insert(gi.scale);
        }
        m
    });
    let Some(scale) = scales.get(&item).copied() else {
        finish!(
            c,
            st.unvalued_grades,
            RawGrade {
                item,
                learner,
                raw,
                date,
                comment,
                origin: c.origin(),
                extra: c.extra()
            }
        );
        return c.errors.is_empty();
    };
    let value = if raw.is_empty() {
        None
    } else {
        match fields::grade(&raw, scale) {
            Ok(v) => Some(v),
            Err(msg) => {
                let cell = c.cell("value");
                c.error_at(
                    "value",
                    cell,
                    msg,
                    Some(Text::new(
                        format!("шкала элемента «{item}» задана в grade_items"),
                        format!("the scale of item «{item}» is set in grade_items"),
                    )),
                );
                None
            }
        }
    };
    finish!(
        c,
        st.grades,
        Grade {
            item: item.into(),
            learner: learner.into(),
            value: value?,
            raw: raw.into(),
            date,
            comment: comment.map(Into::into),
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn protocols(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let date = c.date("date", true, true);
    let group = c.req("group");
    let kind = c.req_parse("kind", fields::protocol_kind);
    let chair = c.req("chair");
    let members = list(c.opt("members").map(|m| m.replace(',', ";")))
        .into_iter()
        .collect();
    let secretary = c.opt("secretary");
    finish!(
        c,
        st.protocols,
        Protocol {
            id,
            date: date?,
            group,
            kind: kind?,
            chair,
            members,
            secretary,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn protocol_results(c: &mut Ctx, st: &mut Staging) -> bool {
    let protocol = c.req("protocol");
    let learner = c.req("learner");
    let result = c.req("result");
    let work = c.opt("work");
    let comment = c.opt("comment");
    finish!(
        c,
        st.protocol_results,
        ProtocolResult {
            protocol,
            learner,
            result,
            work,
            comment,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn issued_documents(c: &mut Ctx, st: &mut Staging) -> bool {
    let reg_number = c.req("reg_number");
    let learner = c.req("learner");
    let group = c.opt("group");
    let kind = c.req("kind");
    let series = c.opt("series");
    let number = c.req("number");
    let issue_date = c.date("issue_date", true, true);
    let duplicate = c.parse("duplicate", fields::yes_no).unwrap_or(false);
    let received_by = c.opt("received_by");
    finish!(
        c,
        st.issued_documents,
        IssuedDocument {
            reg_number,
            learner,
            group,
            kind,
            series,
            number,
            issue_date: issue_date?,
            duplicate,
            received_by,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn awards(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let learner = c.req("learner");
    let title = c.req("title");
    let date = c.date("date", true, false);
    let issuer = c.opt("issuer");
    let level = c.opt("level");
    let file = c.opt("file");
    finish!(
        c,
        st.awards,
        Award {
            id,
            learner,
            title,
            date: date?,
            issuer,
            level,
            file,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn portfolio(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let learner = c.req("learner");
    let title = c.req("title");
    let kind = c.opt("kind");
    let date = c.date("date", false, false);
    let description = c.opt("description");
    let file = c.opt("file");
    finish!(
        c,
        st.portfolio,
        PortfolioItem {
            id,
            learner,
            title,
            kind,
            date,
            description,
            file,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn credit_transfers(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let learner = c.req("learner");
    let group = c.req("group");
    let application_date = c.date("application_date", true, false);
    let source_organisation = c.req("source_organisation");
    let source_document = c.req("source_document");
    let course = c.req("course");
    let hours = c.req_parse("hours", fields::non_negative);
    let form = c.opt("form");
    let result = c.req("result");
    let accepted = c.req_parse("decision", fields::decision);
    let reason = c.opt("reason");
    let decision_date = c.date("decision_date", true, false);
    if accepted == Some(false) && reason.is_none() {
        c.error_at(
            "reason",
            None,
            Text::new(
                "в зачёте отказано, но причина (reason) не указана",
                "the transfer is refused but no reason is given",
            ),
            Some(Text::new(
                "укажите причину отказа в столбце «причина»",
                "give the reason in the «reason» column",
            )),
        );
    }
    finish!(
        c,
        st.credit_transfers,
        CreditTransfer {
            id,
            learner,
            group,
            application_date: application_date?,
            source_organisation,
            source_document,
            course,
            hours: hours?,
            form,
            result,
            accepted: accepted?,
            reason,
            decision_date: decision_date?,
            origin: c.origin(),
            extra: c.extra()
        }
    )
}

fn attachments(c: &mut Ctx, st: &mut Staging) -> bool {
    let id = c.req("id");
    let path = c.req("path");
    let title = c.req("title");
    let learner = c.opt("learner");
    let group = c.opt("group");
    let lesson = c.opt("lesson");
    let order = c.opt("order");
    let kind = c.opt("kind");
    if learner.is_none() && group.is_none() && lesson.is_none() && order.is_none() {
        c.row_error(
            Text::new(
                "вложение ни к чему не привязано",
                "the attachment belongs to nothing",
            ),
            Text::new(
                "укажите слушателя, группу, занятие или приказ",
                "give a learner, group, lesson or order",
            ),
        );
    }
    finish!(
        c,
        st.attachments,
        Attachment {
            id,
            path,
            title,
            learner,
            group,
            lesson,
            order,
            kind,
            size: 0,
            sha256: String::new(),
            origin: c.origin(),
            extra: c.extra()
        }
    )
}
