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

/// The columns of the register that become fields (`None` when the register lacks one).
struct Cols {
    kind: Option<usize>,
    title: Option<usize>,
    status: Option<usize>,
    series: Option<usize>,
    number: Option<usize>,
    issued: Option<usize>,
    reg: Option<usize>,
    sur: Option<usize>,
    name: Option<usize>,
    pat: Option<usize>,
    birth: Option<usize>,
    sex: Option<usize>,
    snils: Option<usize>,
}

impl Cols {
    fn of(header: &[String]) -> Cols {
        let col = |n: &[&str]| exports::find_col(header, n);
        Cols {
            kind: col(KIND),
            title: col(TITLE),
            status: col(STATUS),
            series: col(SERIES),
            number: col(NUMBER),
            issued: col(ISSUED),
            reg: col(REG),
            sur: col(SURNAME),
            name: col(NAME),
            pat: col(PATRONYMIC),
            birth: col(BIRTH),
            sex: col(SEX),
            snils: col(SNILS),
        }
    }

    /// The columns without a field of their own.
    fn rest(&self, width: usize) -> Vec<usize> {
        let used = [
            self.kind,
            self.status,
            self.series,
            self.number,
            self.issued,
            self.reg,
            self.sur,
            self.name,
            self.pat,
            self.birth,
            self.sex,
            self.snils,
        ];
        (0..width).filter(|i| !used.contains(&Some(*i))).collect()
    }
}

/// One register: a warning naming the columns kept as extra fields, then a document per row.
pub fn read(file: &str, t: &Table, spec: Option<&FileSpec>, sink: &mut Sink) {
    let label = t.label(file);
    let Some((hline, header)) = t.first().cloned() else {
        return;
    };
    let c = Cols::of(&header);
    let rest = c.rest(header.len());
    warn_extra_columns(&label, t, hline, &header, &rest, sink);
    let reg = Register {
        file,
        label: &label,
        t,
        header: &header,
        rest: &rest,
        spec,
    };
    for (line, cells) in t.rows.iter().skip(1) {
        read_row(&reg, &c, *line, cells, sink);
    }
}

/// What every row of one register shares.
struct Register<'a> {
    file: &'a str,
    label: &'a str,
    t: &'a Table,
    header: &'a [String],
    rest: &'a [usize],
    spec: Option<&'a FileSpec>,
}

/// The register's other columns (programme, qualification, previous education...) have no
/// field of their own: kept as extra fields of the documents, listed once.
fn warn_extra_columns(
    label: &str,
    t: &Table,
    hline: u64,
    header: &[String],
    rest: &[usize],
    sink: &mut Sink,
) {
    let filled: Vec<&str> = rest
        .iter()
        .filter(|&&i| {
            t.rows
                .iter()
                .skip(1)
                .any(|(_, c)| c.get(i).is_some_and(|v| !v.is_empty()))
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

/// One row of the register: matched to its learner, whose missing data it fills, then an issued
/// document; rejected with its reason when it cannot be.
fn read_row(reg: &Register, c: &Cols, line: u64, cells: &[String], sink: &mut Sink) {
    let Some((who, sex)) = person(reg, c, line, cells, sink) else {
        return;
    };
    let Some(idx) = learner_of(reg, c, line, cells, &who, sink) else {
        return;
    };
    let learner = fill_learner(reg, c, line, idx, &who, sex, sink);
    document(reg, c, line, cells, learner, sink);
}

/// The recipient as the register names them; values that are there but do not parse reject the
/// row.
fn person(
    reg: &Register,
    c: &Cols,
    line: u64,
    cells: &[String],
    sink: &mut Sink,
) -> Option<(Who, Option<Sex>)> {
    let Register {
        file,
        label,
        t,
        header,
        ..
    } = *reg;
    let label = label.to_string();
    let get = |c: Option<usize>| {
        c.and_then(|c| cells.get(c))
            .cloned()
            .filter(|s| !s.is_empty())
    };
    let all: Vec<usize> = (0..header.len()).collect();
    let birth_text = get(c.birth).map(|b| table::date_text(t, b));
    let birth = birth_text.as_deref().and_then(|b| fields::date(b).ok());
    let snils = get(c.snils).and_then(|s| fields::snils(&s).ok());
    let sex = get(c.sex).and_then(|s| fields::sex(&s).ok());
    let first = [get(c.name), get(c.pat)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let who = Who {
        surname: get(c.sur).unwrap_or_default(),
        first,
        birth_date: birth,
        snils: snils.clone(),
        ..Who::default()
    };
    // Values that are there but do not parse are errors of the row.
    let mut bad = Vec::new();
    for (c, ok, what) in [
        (c.birth, birth.is_some(), ("дата рождения", "birth date")),
        (c.snils, snils.is_some(), ("СНИЛС", "SNILS")),
        (c.sex, sex.is_some(), ("пол", "sex")),
    ] {
        if let Some(v) = get(c)
            && !ok
        {
            bad.push(
                Diagnostic::error(
                    &label,
                    Text::new(
                        format!("{}: «{v}» не читается", what.0),
                        format!("{}: «{v}» cannot be read", what.1),
                    ),
                )
                .at(line, c.map(|c| c as u64 + 1)),
            );
        }
    }
    if !bad.is_empty() {
        let reason = bad[0].message.clone();
        sink.diags.extend(bad);
        sink.reject_raw(file, line, exports::extras(header, cells, &all), reason);
        return None;
    }
    Some((who, sex))
}

/// The learner the row is about: by SNILS, else by name and birth date; a SNILS of someone else
/// rejects the row.
fn learner_of(
    reg: &Register,
    c: &Cols,
    line: u64,
    cells: &[String],
    who: &Who,
    sink: &mut Sink,
) -> Option<usize> {
    let Register {
        file,
        label,
        header,
        ..
    } = *reg;
    let label = label.to_string();
    let all: Vec<usize> = (0..header.len()).collect();
    let idx = match exports::match_frdo(&sink.st.learners, who) {
        Ok(i) => i,
        Err(e) => {
            sink.diags.push(
                Diagnostic::error(&label, e.text(who))
                    .at(line, c.snils.filter(|_| who.snils.is_some()).or(c.sur).map(|c| c as u64 + 1))
                    .hint(Text::new(
                        "слушатели сопоставляются по СНИЛС, затем по ФИО и дате рождения; добавьте слушателя в learners",
                        "learners are matched by SNILS, then by full name and birth date; add the learner to learners",
                    )),
            );
            sink.reject_raw(
                file,
                line,
                exports::extras(header, cells, &all),
                e.text(who),
            );
            return None;
        }
    };
    // Matched by SNILS, but the register names someone else: one of the two is wrong.
    {
        let l = &sink.st.learners[idx];
        if norm(&l.full_name()) != norm(&format!("{} {}", who.surname, who.first)) {
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
                Diagnostic::error(&label, text.clone())
                    .at(line, c.snils.map(|c| c as u64 + 1))
                    .hint(Text::new(
                        "исправьте СНИЛС или ФИО получателя в реестре ФРДО (или в learners)",
                        "correct the SNILS or the recipient's name in the FRDO register (or in learners)",
                    )),
            );
            sink.reject_raw(file, line, exports::extras(header, cells, &all), text);
            return None;
        }
    }
    Some(idx)
}

/// Fills the learner's missing birth date, SNILS and sex from the register and warns where they
/// differ; gives the learner's id.
fn fill_learner(
    reg: &Register,
    c: &Cols,
    line: u64,
    idx: usize,
    who: &Who,
    sex: Option<Sex>,
    sink: &mut Sink,
) -> String {
    let Register { file, label, .. } = *reg;
    let label = label.to_string();
    let birth = who.birth_date;
    let snils = who.snils.clone();
    // Fill what is missing, report what differs.
    let fmt = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let mut filled = Vec::new();
    {
        let l = &sink.st.learners[idx];
        let mut warn = Vec::new();
        if let (Some(a), Some(b)) = (l.birth_date, birth)
            && a != b
        {
            warn.push(conflict(
                &label,
                line,
                c.birth.unwrap_or(0),
                ("дата рождения", "birth date"),
                &fmt(b),
                &fmt(a),
                l,
            ));
        }
        if let (Some(a), Some(b)) = (&l.snils, &snils)
            && a != b
        {
            warn.push(conflict(
                &label,
                line,
                c.snils.unwrap_or(0),
                ("СНИЛС", "SNILS"),
                b,
                a,
                l,
            ));
        }
        if let (Some(a), Some(b)) = (l.sex, sex)
            && a != b
        {
            let s = |x: Sex| if x == Sex::Male { "м" } else { "ж" };
            warn.push(conflict(
                &label,
                line,
                c.sex.unwrap_or(0),
                ("пол", "sex"),
                s(b),
                s(a),
                l,
            ));
        }
        sink.diags.extend(warn);
    }
    let l = &mut sink.st.learners[idx];
    if l.birth_date.is_none() && birth.is_some() {
        l.birth_date = birth;
        filled.push("birth_date");
    }
    if l.snils.is_none() && snils.is_some() {
        l.snils = snils.clone();
        filled.push("snils");
    }
    if l.sex.is_none() && sex.is_some() {
        l.sex = sex;
        filled.push("sex");
    }
    if !filled.is_empty() {
        l.extra.insert(
            "filled_from".into(),
            format!("{}: {file}:{line}", filled.join(", ")),
        );
    }
    l.id.clone()
}

/// The issued document of the row.
fn document(
    reg: &Register,
    c: &Cols,
    line: u64,
    cells: &[String],
    learner: String,
    sink: &mut Sink,
) {
    let Register {
        file,
        label,
        t,
        header,
        rest,
        spec,
        ..
    } = *reg;
    let label = label.to_string();
    let get = |c: Option<usize>| {
        c.and_then(|c| cells.get(c))
            .cloned()
            .filter(|s| !s.is_empty())
    };
    let pos = |c: Option<usize>| (line, c.map(|c| c as u64 + 1).unwrap_or(0));
    let group = spec.and_then(|s| s.group.clone()).or_else(|| {
        let gs: Vec<&str> = sink
            .st
            .enrolments
            .iter()
            .filter(|e| e.learner == learner)
            .map(|e| e.group.as_str())
            .collect();
        (gs.len() == 1).then(|| gs[0].to_string())
    });
    let duplicate = get(c.status).is_some_and(|s| norm(&s).contains("дубликат"));
    let kind = get(c.kind).or_else(|| get(c.title)).unwrap_or_default();
    let mut extra = exports::extras(header, cells, rest);
    if let Some(s) = get(c.status) {
        extra.insert(header[c.status.unwrap_or(0)].clone(), s);
    }
    let row = exports::row(
        Kind::IssuedDocuments,
        line,
        vec![
            Put("reg_number", get(c.reg).unwrap_or_default(), pos(c.reg)),
            Put("learner", learner, pos(c.sur)),
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
    );
    sink.feed(Kind::IssuedDocuments, file, &label, row);
}
