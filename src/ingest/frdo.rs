//! FRDO register (ФИС ФРДО) upload template for further professional education: 40 columns from
//! «Название документа», «Вид документа», «Статус документа», … «Серия документа», «Номер
//! документа», «Дата выдачи документа», «Регистрационный номер», … «Фамилия получателя», «Имя
//! получателя», «Отчество получателя», «Дата рождения получателя», «Пол получателя», «СНИЛС», …
//!
//! Each row becomes an issued document of the matched learner (by SNILS, then by full name and
//! birth date). Missing learner data (birth date, sex, SNILS) is filled in from the register; data
//! that differs is reported and kept as it was. The other columns are kept as extra fields.

use super::exports::{self, Put, Sink, Who};
use super::fields::{self, norm};
use super::schema::Kind;
use super::table::{self, Table};
use crate::diag::Diagnostic;
use crate::model::*;

const KIND: &[&str] = &["вид документа"];
const TITLE: &[&str] = &["название документа", "наименование документа"];
const STATUS: &[&str] = &["статус документа"];
const SERIES: &[&str] = &["серия документа"];
const NUMBER: &[&str] = &["номер документа"];
const ISSUED: &[&str] = &["дата выдачи документа"];
const REG: &[&str] = &["регистрационный номер"];
const SURNAME: &[&str] = &["фамилия получателя"];
const NAME: &[&str] = &["имя получателя"];
const PATRONYMIC: &[&str] = &["отчество получателя"];
const BIRTH: &[&str] = &["дата рождения получателя"];
const SEX: &[&str] = &["пол получателя"];
const SNILS: &[&str] = &["снилс", "снилс получателя"];

pub fn recognise(t: &Table) -> bool {
    let Some((_, h)) = t.first() else {
        return false;
    };
    [SURNAME, NUMBER, ISSUED]
        .iter()
        .all(|n| exports::find_col(h, n).is_some())
}

fn conflict(
    label: &str,
    line: u64,
    col: usize,
    what: (&str, &str),
    frdo: &str,
    ours: &str,
    learner: &Learner,
) -> Diagnostic {
    Diagnostic::warning(
        label,
        Text::new(
            format!(
                "{} в реестре ФРДО «{frdo}» расходится с данными слушателя «{}» ({}:{}) «{ours}»: оставлены данные слушателя",
                what.0, learner.id, learner.origin.file, learner.origin.line
            ),
            format!(
                "{} in the FRDO register «{frdo}» differs from learner «{}» ({}:{}) «{ours}»: the learner's data is kept",
                what.1, learner.id, learner.origin.file, learner.origin.line
            ),
        ),
    )
    .at(line, Some(col as u64 + 1))
    .hint(Text::new(
        "исправьте ошибочную запись: в реестре ФРДО или в learners",
        "correct whichever record is wrong: the FRDO register or learners",
    ))
}

/// The register's columns found in its header; `rest` are those without a field of their own.
struct Cols {
    kind: Option<usize>,
    title: Option<usize>,
    status: Option<usize>,
    series: Option<usize>,
    number: Option<usize>,
    issued: Option<usize>,
    reg: Option<usize>,
    surname: Option<usize>,
    name: Option<usize>,
    patronymic: Option<usize>,
    birth: Option<usize>,
    sex: Option<usize>,
    snils: Option<usize>,
    rest: Vec<usize>,
}

impl Cols {
    fn find(header: &[String]) -> Cols {
        let col = |n: &[&str]| exports::find_col(header, n);
        let mut c = Cols {
            kind: col(KIND),
            title: col(TITLE),
            status: col(STATUS),
            series: col(SERIES),
            number: col(NUMBER),
            issued: col(ISSUED),
            reg: col(REG),
            surname: col(SURNAME),
            name: col(NAME),
            patronymic: col(PATRONYMIC),
            birth: col(BIRTH),
            sex: col(SEX),
            snils: col(SNILS),
            rest: Vec::new(),
        };
        let used = [
            c.kind,
            c.status,
            c.series,
            c.number,
            c.issued,
            c.reg,
            c.surname,
            c.name,
            c.patronymic,
            c.birth,
            c.sex,
            c.snils,
        ];
        c.rest = (0..header.len())
            .filter(|i| !used.contains(&Some(*i)))
            .collect();
        c
    }
}

/// One register row's recipient, as the register gives them.
struct Recipient {
    who: Who,
    birth: Option<chrono::NaiveDate>,
    snils: Option<String>,
    sex: Option<Sex>,
}

/// Where a problem of the whole row is reported, and what of the row is kept when it is rejected.
struct At<'a> {
    file: &'a str,
    label: &'a str,
    line: u64,
    header: &'a [String],
    cells: &'a [String],
}

impl At<'_> {
    fn reject(&self, sink: &mut Sink, reason: Text) {
        let all: Vec<usize> = (0..self.header.len()).collect();
        sink.reject_raw(
            self.file,
            self.line,
            exports::extras(self.header, self.cells, &all),
            reason,
        );
    }
}

pub fn read(file: &str, t: &Table, spec: Option<&FileSpec>, sink: &mut Sink) {
    let label = t.label(file);
    let Some((hline, header)) = t.first().cloned() else {
        return;
    };
    let c = Cols::find(&header);
    warn_extra_columns(t, &header, hline, &c, &label, sink);
    for (line, cells) in t.rows.iter().skip(1) {
        let at = At {
            file,
            label: &label,
            line: *line,
            header: &header,
            cells,
        };
        let r = match recipient(t, &c, &at) {
            Ok(r) => r,
            Err(bad) => {
                let reason = bad[0].message.clone();
                sink.diags.extend(bad);
                at.reject(sink, reason);
                continue;
            }
        };
        let Some(idx) = matched_learner(sink, &c, &at, &r.who) else {
            continue;
        };
        reconcile(sink, idx, &c, &at, &r);
        let row = document_row(t, spec, sink, idx, &c, &at);
        sink.feed(Kind::IssuedDocuments, file, &label, row);
    }
}

/// The register's other columns (programme, qualification, previous education...) have no field
/// of their own: kept as extra fields of the documents, listed once.
fn warn_extra_columns(
    t: &Table,
    header: &[String],
    hline: u64,
    c: &Cols,
    label: &str,
    sink: &mut Sink,
) {
    let filled: Vec<&str> = c
        .rest
        .iter()
        .filter(|&&i| {
            t.rows
                .iter()
                .skip(1)
                .any(|(_, cells)| cells.get(i).is_some_and(|v| !v.is_empty()))
        })
        .map(|&i| header[i].as_str())
        .collect();
    if !filled.is_empty() {
        sink.diags.push(
            Diagnostic::warning(
                label,
                Text::new(
                    format!("столбцы реестра без поля в архиве сохранены как дополнительные поля документов: {}", filled.join(", ")),
                    format!("register columns without a field of their own are kept as extra fields of the documents: {}", filled.join(", ")),
                ),
            )
            .at(hline, None),
        );
    }
}

/// A cell's value, `None` when the column is absent or the cell empty.
fn cell(cells: &[String], c: Option<usize>) -> Option<String> {
    c.and_then(|c| cells.get(c))
        .cloned()
        .filter(|s| !s.is_empty())
}

/// The row's recipient; values that are there but do not parse are errors of the row.
fn recipient(t: &Table, c: &Cols, at: &At) -> Result<Recipient, Vec<Diagnostic>> {
    let get = |col: Option<usize>| cell(at.cells, col);
    let birth_text = get(c.birth).map(|b| table::date_text(t, b));
    let birth = birth_text.as_deref().and_then(|b| fields::date(b).ok());
    let snils = get(c.snils).and_then(|s| fields::snils(&s).ok());
    let sex = get(c.sex).and_then(|s| fields::sex(&s).ok());
    let mut bad = Vec::new();
    for (col, ok, what) in [
        (c.birth, birth.is_some(), ("дата рождения", "birth date")),
        (c.snils, snils.is_some(), ("СНИЛС", "SNILS")),
        (c.sex, sex.is_some(), ("пол", "sex")),
    ] {
        if let Some(v) = get(col)
            && !ok
        {
            bad.push(
                Diagnostic::error(
                    at.label,
                    Text::new(
                        format!("{}: «{v}» не читается", what.0),
                        format!("{}: «{v}» cannot be read", what.1),
                    ),
                )
                .at(at.line, col.map(|c| c as u64 + 1)),
            );
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let first = [get(c.name), get(c.patronymic)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let who = Who {
        surname: get(c.surname).unwrap_or_default(),
        first,
        birth_date: birth,
        snils: snils.clone(),
        ..Who::default()
    };
    Ok(Recipient {
        who,
        birth,
        snils,
        sex,
    })
}

/// The learner the row's recipient is (by SNILS, then by full name and birth date); `None`, with
/// the row rejected and an error, when there is none or the register names someone else.
fn matched_learner(sink: &mut Sink, c: &Cols, at: &At, who: &Who) -> Option<usize> {
    let idx = match exports::match_frdo(&sink.st.learners, sink.index, who) {
        Ok(i) => i,
        Err(e) => {
            sink.diags.push(
                Diagnostic::error(at.label, e.text(who))
                    .at(at.line, c.snils.filter(|_| who.snils.is_some()).or(c.surname).map(|c| c as u64 + 1))
                    .hint(Text::new(
                        "слушатели сопоставляются по СНИЛС, затем по ФИО и дате рождения; добавьте слушателя в learners",
                        "learners are matched by SNILS, then by full name and birth date; add the learner to learners",
                    )),
            );
            at.reject(sink, e.text(who));
            return None;
        }
    };
    // Matched by SNILS, but the register names someone else: one of the two is wrong.
    let l = &sink.st.learners[idx];
    if norm(&l.full_name()) == norm(&format!("{} {}", who.surname, who.first)) {
        return Some(idx);
    }
    let text = Text::new(
        format!(
            "СНИЛС {} принадлежит слушателю «{}» ({}), а в реестре получатель — {} {}",
            who.snils.as_deref().unwrap_or_default(),
            l.id,
            l.full_name(),
            who.surname,
            who.first
        ),
        format!(
            "SNILS {} belongs to learner «{}» ({}) but the register's recipient is {} {}",
            who.snils.as_deref().unwrap_or_default(),
            l.id,
            l.full_name(),
            who.surname,
            who.first
        ),
    );
    sink.diags.push(
        Diagnostic::error(at.label, text.clone())
            .at(at.line, c.snils.map(|c| c as u64 + 1))
            .hint(Text::new(
                "исправьте СНИЛС или ФИО получателя в реестре ФРДО (или в learners)",
                "correct the SNILS or the recipient's name in the FRDO register (or in learners)",
            )),
    );
    at.reject(sink, text);
    None
}

/// Fills what the learner's card lacks from the register; reports what differs (the card's data
/// is kept).
fn reconcile(sink: &mut Sink, idx: usize, c: &Cols, at: &At, r: &Recipient) {
    let fmt = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let l = &sink.st.learners[idx];
    let mut warn = Vec::new();
    if let (Some(a), Some(b)) = (l.birth_date, r.birth)
        && a != b
    {
        warn.push(conflict(
            at.label,
            at.line,
            c.birth.unwrap_or(0),
            ("дата рождения", "birth date"),
            &fmt(b),
            &fmt(a),
            l,
        ));
    }
    if let (Some(a), Some(b)) = (&l.snils, &r.snils)
        && a != b
    {
        warn.push(conflict(
            at.label,
            at.line,
            c.snils.unwrap_or(0),
            ("СНИЛС", "SNILS"),
            b,
            a,
            l,
        ));
    }
    if let (Some(a), Some(b)) = (l.sex, r.sex)
        && a != b
    {
        let s = |x: Sex| if x == Sex::Male { "м" } else { "ж" };
        warn.push(conflict(
            at.label,
            at.line,
            c.sex.unwrap_or(0),
            ("пол", "sex"),
            s(b),
            s(a),
            l,
        ));
    }
    sink.diags.extend(warn);
    let mut filled = Vec::new();
    let l = &mut sink.st.learners[idx];
    if l.birth_date.is_none() && r.birth.is_some() {
        l.birth_date = r.birth;
        filled.push("birth_date");
    }
    if l.snils.is_none() && r.snils.is_some() {
        l.snils = r.snils.clone();
        filled.push("snils");
    }
    if l.sex.is_none() && r.sex.is_some() {
        l.sex = r.sex;
        filled.push("sex");
    }
    if !filled.is_empty() {
        l.extra.insert(
            "filled_from".into(),
            format!("{}: {}:{}", filled.join(", "), at.file, at.line),
        );
    }
}

/// The issued document of the row, for the learner at `idx`: its group from the file's settings or
/// the learner's only enrolment; the register's other columns as extra fields.
fn document_row(
    t: &Table,
    spec: Option<&FileSpec>,
    sink: &Sink,
    idx: usize,
    c: &Cols,
    at: &At,
) -> super::rows::Row {
    let get = |col: Option<usize>| cell(at.cells, col);
    let pos = |col: Option<usize>| (at.line, col.map(|c| c as u64 + 1).unwrap_or(0));
    let learner = sink.st.learners[idx].id.clone();
    let group = spec.and_then(|s| s.group.clone()).or_else(|| {
        let gs = sink.index.groups_of(&learner);
        (gs.len() == 1).then(|| gs[0].clone())
    });
    let duplicate = get(c.status).is_some_and(|s| norm(&s).contains("дубликат"));
    let kind = get(c.kind).or_else(|| get(c.title)).unwrap_or_default();
    let mut extra = exports::extras(at.header, at.cells, &c.rest);
    if let Some(s) = get(c.status) {
        extra.insert(at.header[c.status.unwrap_or(0)].clone(), s);
    }
    exports::row(
        Kind::IssuedDocuments,
        at.line,
        vec![
            Put("reg_number", get(c.reg).unwrap_or_default(), pos(c.reg)),
            Put("learner", learner, pos(c.surname)),
            Put("group", group.unwrap_or_default(), pos(None)),
            Put("kind", kind, pos(c.kind.or(c.title))),
            Put("series", get(c.series).unwrap_or_default(), pos(c.series)),
            Put("number", get(c.number).unwrap_or_default(), pos(c.number)),
            Put(
                "issue_date",
                table::date_text(t, get(c.issued).unwrap_or_default()),
                pos(c.issued),
            ),
            Put(
                "duplicate",
                if duplicate { "да" } else { "нет" }.into(),
                pos(c.status),
            ),
        ],
        extra,
    )
}
