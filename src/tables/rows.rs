//! The rows of every table ([`crate::model::tables::TABLES`]), one record at a time, as typed
//! [`Cell`]s in the table's column order. The CSV files and the workbook are both written from here,
//! so they cannot disagree.

use crate::model::tables::codes::*;
use crate::model::tables::{LIST_SEP, Table};
use crate::model::*;
use chrono::NaiveDate;
use std::io;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Str(&'a str),
    Text(String),
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    Bool(bool),
}

fn s<T: std::ops::Deref<Target = str>>(v: &Option<T>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Empty, Cell::Str)
}
fn d(v: Option<NaiveDate>) -> Cell<'static> {
    v.map_or(Cell::Empty, Cell::Date)
}
fn json<T: serde::Serialize>(v: &T) -> Cell<'static> {
    Cell::Text(serde_json::to_string(v).unwrap_or_else(|_| "{}".into()))
}
fn extra(e: &Extra) -> Cell<'static> {
    if e.is_empty() { Cell::Empty } else { json(e) }
}
fn list(v: &[String]) -> Cell<'_> {
    match v {
        [] => Cell::Empty,
        [one] => Cell::Str(one),
        _ => Cell::Text(v.join(LIST_SEP)),
    }
}

/// What receives the rows: one call per row, its cells in the table's column order.
type Sink<'s> = dyn FnMut(&[Cell]) -> io::Result<()> + 's;

/// One row per record of `$list`, its cells `$cells`, then its extra fields and where it came
/// from (file, line); `Ok(true)`: the table was one of this arm's.
macro_rules! emit {
    ($buf:ident, $row:ident, $list:expr, |$r:ident| $cells:expr) => {{
        for $r in &$list {
            $buf.clear();
            $buf.extend($cells);
            $buf.push(extra(&$r.extra));
            $buf.push(Cell::Str(&$r.origin.file));
            $buf.push(Cell::Int($r.origin.line as i64));
            $row(&$buf)?;
        }
        Ok(true)
    }};
}

/// Calls `row` with every row of `table`, in the model's order (by id or natural key).
pub fn each(p: &Period, table: &Table, row: &mut Sink) -> io::Result<()> {
    let name = table.name;
    if !(people(p, name, row)?
        || journal(p, name, row)?
        || outcomes(p, name, row)?
        || described(p, name, row)?)
    {
        unreachable!("table {name} is not listed");
    }
    Ok(())
}

/// Programmes, groups, learners and their enrolments.
fn people(p: &Period, name: &str, row: &mut Sink) -> io::Result<bool> {
    let mut cells: Vec<Cell> = Vec::with_capacity(24);
    use Cell::*;
    match name {
        "programmes" => emit!(cells, row, p.programmes, |r| [
            Str(&r.id),
            Str(programme_kind(r.kind)),
            Str(&r.title),
            Int(r.hours.into()),
            s(&r.form),
        ]),
        "groups" => emit!(cells, row, p.groups, |r| [
            Str(&r.id),
            Str(&r.programme),
            Date(r.start),
            Date(r.end),
            s(&r.curator),
        ]),
        "learners" => emit!(cells, row, p.learners, |r| [
            Str(&r.id),
            Str(&r.surname),
            Str(&r.name),
            s(&r.patronymic),
            d(r.birth_date),
            r.sex.map_or(Empty, |x| Str(sex(x))),
            s(&r.snils),
            s(&r.email),
            s(&r.phone),
            list(&r.platform_ids),
        ]),
        "enrolments" => emit!(cells, row, p.enrolments, |r| [
            Str(&r.learner),
            Str(&r.group),
            Date(r.date),
            s(&r.order),
            Str(outcome(r.outcome)),
            d(r.outcome_date),
            s(&r.outcome_order),
            s(&r.reason),
        ]),
        _ => Ok(false),
    }
}

/// Orders and the journal: lessons, attendance, grade items, grades.
fn journal(p: &Period, name: &str, row: &mut Sink) -> io::Result<bool> {
    let mut cells: Vec<Cell> = Vec::with_capacity(24);
    use Cell::*;
    match name {
        "orders" => emit!(cells, row, p.orders, |r| [
            Str(&r.id),
            Date(r.date),
            Str(order_kind(r.kind)),
            s(&r.group),
            Str(&r.title),
            s(&r.text),
            s(&r.file),
        ]),
        "lessons" => emit!(cells, row, p.lessons, |r| [
            Str(&r.id),
            Str(&r.group),
            Date(r.date),
            s(&r.time),
            Num(r.hours),
            Str(&r.topic),
            s(&r.teacher),
            s(&r.kind),
        ]),
        "attendance" => emit!(cells, row, p.attendance, |r| [
            Str(&r.lesson),
            Str(&r.learner),
            Str(mark(r.mark)),
            s(&r.remark),
        ]),
        "grade_items" => emit!(cells, row, p.grade_items, |r| [
            Str(&r.id),
            Str(&r.group),
            Str(&r.title),
            Str(control(r.control)),
            Str(scale(r.scale).0),
            scale(r.scale).1.map_or(Empty, Num),
            s(&r.lesson),
            d(r.date),
        ]),
        "grades" => emit!(cells, row, p.grades, |r| {
            let (m, pass, pts, pct) = grade(r.value);
            [
                Str(&r.item),
                Str(&r.learner),
                m,
                pass,
                pts,
                pct,
                Str(&r.raw),
                d(r.date),
                s(&r.comment),
            ]
        }),
        _ => Ok(false),
    }
}

/// Results: protocols, issued documents, awards, portfolio, credit transfers, attachments.
fn outcomes(p: &Period, name: &str, row: &mut Sink) -> io::Result<bool> {
    let mut cells: Vec<Cell> = Vec::with_capacity(24);
    use Cell::*;
    match name {
        "protocols" => emit!(cells, row, p.protocols, |r| [
            Str(&r.id),
            Date(r.date),
            Str(&r.group),
            Str(control(r.kind)),
            Str(&r.chair),
            list(&r.members),
            s(&r.secretary),
        ]),
        "protocol_results" => emit!(cells, row, p.protocol_results, |r| [
            Str(&r.protocol),
            Str(&r.learner),
            Str(&r.result),
            s(&r.work),
            s(&r.comment),
        ]),
        "issued_documents" => emit!(cells, row, p.issued_documents, |r| [
            Str(&r.reg_number),
            Str(&r.learner),
            s(&r.group),
            Str(&r.kind),
            s(&r.series),
            Str(&r.number),
            Date(r.issue_date),
            Bool(r.duplicate),
            s(&r.received_by),
        ]),
        "awards" => emit!(cells, row, p.awards, |r| [
            Str(&r.id),
            Str(&r.learner),
            Str(&r.title),
            Date(r.date),
            s(&r.issuer),
            s(&r.level),
            s(&r.file),
        ]),
        "portfolio" => emit!(cells, row, p.portfolio, |r| [
            Str(&r.id),
            Str(&r.learner),
            Str(&r.title),
            s(&r.kind),
            d(r.date),
            s(&r.description),
            s(&r.file),
        ]),
        "credit_transfers" => emit!(cells, row, p.credit_transfers, |r| [
            Str(&r.id),
            Str(&r.learner),
            Str(&r.group),
            Date(r.application_date),
            Str(&r.source_organisation),
            Str(&r.source_document),
            Str(&r.course),
            Num(r.hours),
            s(&r.form),
            Str(&r.result),
            Str(if r.accepted { "accepted" } else { "refused" }),
            s(&r.reason),
            Date(r.decision_date),
        ]),
        "attachments" => emit!(cells, row, p.attachments, |r| [
            Str(&r.id),
            Str(&r.path),
            Str(&r.title),
            s(&r.learner),
            s(&r.group),
            s(&r.lesson),
            s(&r.order),
            s(&r.kind),
            Int(r.size as i64),
            Str(&r.sha256),
        ]),
        _ => Ok(false),
    }
}

/// The tables that describe the period rather than hold its records: documents, the source
/// files and the rejected rows.
fn described(p: &Period, name: &str, row: &mut Sink) -> io::Result<bool> {
    let mut cells: Vec<Cell> = Vec::with_capacity(24);
    use Cell::*;
    match name {
        "documents" => {
            for r in &p.documents {
                cells.clear();
                cells.extend([Str(&r.id), Str(&r.path), Str(&r.title), Str(&r.markdown)]);
                row(&cells)?;
            }
        }
        "sources" => {
            for r in &p.sources {
                cells.clear();
                let delimiter = r.delimiter.map_or(Empty, |c| Text(c.to_string()));
                cells.extend([
                    Str(&r.path),
                    Str(&r.kind),
                    Str(&r.format),
                    if r.encoding.is_empty() {
                        Empty
                    } else {
                        Str(&r.encoding)
                    },
                    delimiter,
                    Int(r.size as i64),
                    Str(&r.sha256),
                    Int(r.rows_read as i64),
                    Int(r.rows_kept as i64),
                    Int(r.rows_rejected as i64),
                ]);
                row(&cells)?;
            }
        }
        "rejected" => {
            for r in &p.rejected {
                cells.clear();
                cells.extend([
                    Str(&r.origin.file),
                    Int(r.origin.line as i64),
                    Str(&r.reason.ru),
                    Str(&r.reason.en),
                    json(&r.values),
                ]);
                row(&cells)?;
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn scale(s: Scale) -> (&'static str, Option<f64>) {
    match s {
        Scale::Five => ("five", None),
        Scale::PassFail => ("pass_fail", None),
        Scale::Points(m) => ("points", Some(m)),
        Scale::Percent => ("percent", None),
    }
}
fn grade(v: GradeValue) -> (Cell<'static>, Cell<'static>, Cell<'static>, Cell<'static>) {
    use Cell::*;
    match v {
        GradeValue::Mark(m) => (Int(m.into()), Empty, Empty, Empty),
        GradeValue::Pass(b) => (Empty, Bool(b), Empty, Empty),
        GradeValue::Points(x) => (Empty, Empty, Num(x), Empty),
        GradeValue::Percent(x) => (Empty, Empty, Empty, Num(x)),
    }
}
