//! Platform exports read as they are downloaded: the Moodle gradebook ([`super::moodle`]) and
//! attendance ([`super::attendance_export`]) exports and the FRDO register ([`super::frdo`]).
//!
//! A file is recognised by its header (or named in `letopis.yaml` `files:`). Each export is turned
//! into rows of our own record kinds (grade items, grades, lessons, attendance, issued documents)
//! with the positions of the cells they came from, and these rows go through the same checks as
//! rows of our own CSV files ([`records::build`]). Learners are matched to the archive's learners.

use super::fields::norm;
use super::learner_index::LearnerIndex;
use super::records::{self, Ctx, Staging};
use super::rows::{Cell, Row};
use super::schema::Kind;
use super::table::Table;
use crate::diag::Diagnostic;
use crate::model::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Recognises a table by its header.
pub fn recognise(t: &Table) -> Option<FileFormat> {
    if super::attendance_export::recognise(t) {
        Some(FileFormat::MoodleAttendance)
    } else if super::moodle::recognise(t) {
        Some(FileFormat::MoodleGrades)
    } else if super::frdo::recognise(t) {
        Some(FileFormat::Frdo)
    } else {
        None
    }
}

/// The error for a table (CSV or workbook) whose header matches no known format.
pub fn unknown_table(file: &str, t: &Table) -> Diagnostic {
    let (line, first) = match t.first() {
        Some((l, cells)) => {
            let sep = match t.delimiter {
                Some(b';') => ";",
                Some(b'\t') => "\t",
                Some(_) => ",",
                None => " | ",
            };
            let mut s = cells.join(sep).replace('\t', "→");
            if s.chars().count() > 160 {
                s = s.chars().take(160).collect::<String>() + "…";
            }
            (*l, s)
        }
        None => (1, String::new()),
    };
    let own: Vec<&str> = Kind::ALL.iter().map(|k| k.stem()).collect();
    let exports: Vec<&str> = FileFormat::ALL.iter().map(|f| f.name()).collect();
    Diagnostic::error(
        t.label(file),
        Text::new(
            format!("формат таблицы не распознан; первая строка: «{first}»"),
            format!("the table's format is not recognised; first line: «{first}»"),
        ),
    )
    .at(line, None)
    .hint(Text::new(
        format!(
            "известные форматы: выгрузки платформ {} (по заголовку; или укажите format в files: letopis.yaml) и записи Letopis {} (файл или лист Excel называется по виду записей)",
            exports.join(", "),
            own.join(", ")
        ),
        format!(
            "known formats: platform exports {} (by their header; or set format under files: in letopis.yaml) and Letopis records {} (the file or the Excel sheet is named after the kind)",
            exports.join(", "),
            own.join(", ")
        ),
    ))
}

/// One synthetic cell of an export: schema column name, value, (line, column).
pub struct Put<'a>(pub &'a str, pub String, pub (u64, u64));

/// Builds a row of `kind` from named cells.
pub fn row(kind: Kind, line: u64, cells: Vec<Put>, extra: Extra) -> Row {
    let mut out: Vec<Option<Cell>> = vec![None; kind.columns().len()];
    for Put(name, value, (l, c)) in cells {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        if let Some(slot) = out.get_mut(kind.col(name)) {
            *slot = Some(Cell {
                value: v.to_string(),
                line: l,
                col: c,
            });
        }
    }
    Row {
        line,
        cells: out,
        extra,
    }
}

/// Where the rows of exports go: the staging area, diagnostics and rejected rows.
pub struct Sink<'a> {
    pub st: &'a mut Staging,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub diags: &'a mut Vec<Diagnostic>,
    pub rejected: &'a mut Vec<RejectedRow>,
    /// Records fed per source file (the `rows_read` of `check`'s table).
    pub fed: &'a mut std::collections::HashMap<String, u64>,
    /// The staged learners and enrolments, looked up by what exports know of a person (exports
    /// stage neither).
    pub index: &'a LearnerIndex,
}

impl Sink<'_> {
    /// Checks and stages one row; diagnostics point at `label` (`file` or `file:sheet`).
    pub fn feed(&mut self, kind: Kind, file: &str, label: &str, row: Row) -> bool {
        *self.fed.entry(file.to_string()).or_default() += 1;
        let cols = vec![None; kind.columns().len()];
        let origin_file = Key::from(file);
        let mut c = Ctx {
            kind,
            file,
            origin_file: &origin_file,
            row: &row,
            header_cols: &cols,
            period: self.period,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let ok = records::build(&mut c, self.st);
        let relabel = |mut d: Diagnostic| {
            d.file = label.to_string();
            d
        };
        self.diags.extend(c.warnings.drain(..).map(relabel));
        if !ok {
            let reason = c
                .errors
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_else(|| Text::new("ошибка в строке", "error in the row"));
            self.reject(kind, file, &row, reason);
            self.diags.extend(c.errors.drain(..).map(relabel));
        }
        ok
    }

    /// Records a row that could not be staged (the diagnostic is reported by the caller).
    pub fn reject(&mut self, kind: Kind, file: &str, row: &Row, reason: Text) {
        let mut values = row.extra.clone().into_map();
        for (i, cell) in row.cells.iter().enumerate() {
            if let (Some(c), Some(col)) = (cell, kind.columns().get(i)) {
                values.insert(col.name.to_string(), c.value.clone());
            }
        }
        self.rejected.push(RejectedRow {
            origin: Origin::new(file.into(), row.line),
            values,
            reason,
        });
    }

    /// A row of an export whose learner was not found (or not uniquely): an error at the row's
    /// name column (`col`, 0-based), and the whole row kept among the rejected.
    #[allow(clippy::too_many_arguments)]
    pub fn reject_unmatched(
        &mut self,
        file: &str,
        label: &str,
        header: &[String],
        (line, cells): (u64, &[String]),
        col: Option<usize>,
        why: &NoMatch,
        who: &Who,
    ) {
        self.diags.push(
            Diagnostic::error(label, why.text(who))
                .at(line, col.map(|c| c as u64 + 1))
                .hint(why.hint()),
        );
        let all: Vec<usize> = (0..header.len()).collect();
        self.reject_raw(file, line, extras(header, cells, &all), why.text(who));
    }

    /// Counts a row of an export that produced nothing but a rejection.
    pub fn reject_raw(&mut self, file: &str, line: u64, values: Extra, reason: Text) {
        *self.fed.entry(file.to_string()).or_default() += 1;
        self.rejected.push(RejectedRow {
            origin: Origin::new(file.into(), line),
            values: values.into_map(),
            reason,
        });
    }
}

/// How a row of an export names a learner.
#[derive(Debug, Default, Clone)]
pub struct Who {
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub surname: String,
    /// Moodle's "First name": the name, often followed by the patronymic in Russian Moodles.
    pub first: String,
    pub birth_date: Option<NaiveDate>,
    pub snils: Option<String>,
}

impl Who {
    pub fn shown(&self) -> String {
        let mut s = format!("{} {}", self.surname, self.first)
            .trim()
            .to_string();
        if let Some(e) = &self.email {
            s.push_str(&format!(", {e}"));
        }
        if let Some(i) = &self.id_number {
            s.push_str(&format!(", ID {i}"));
        }
        s
    }
}

/// A row of an export with its learner found (or not): (line, cells, learner index, who).
pub type Matched<'a> = (u64, &'a Vec<String>, Result<usize, NoMatch>, Who);

/// Matches the learner of every body row of a Moodle export (gradebook or attendance) by the
/// identity columns found in its header: ID number, then email, then name.
pub fn match_rows<'a>(
    learners: &[Learner],
    index: &LearnerIndex,
    body: &[&'a (u64, Vec<String>)],
    [c_id, c_email, c_last, c_first]: [Option<usize>; 4],
) -> Vec<Matched<'a>> {
    body.iter()
        .map(|(line, cells)| {
            let get = |c: Option<usize>| {
                c.and_then(|c| cells.get(c))
                    .cloned()
                    .filter(|s| !s.is_empty())
            };
            let who = Who {
                id_number: get(c_id),
                email: get(c_email),
                surname: get(c_last).unwrap_or_default(),
                first: get(c_first).unwrap_or_default(),
                ..Who::default()
            };
            let m = match_moodle(learners, index, &who);
            (*line, cells, m, who)
        })
        .collect()
}

/// Why a row's learner was not found.
pub enum NoMatch {
    Missing,
    /// Two (or more) learners fit: their ids and names.
    Ambiguous(Vec<(String, String)>),
}

impl NoMatch {
    pub fn text(&self, who: &Who) -> Text {
        match self {
            NoMatch::Missing => Text::new(
                format!("слушатель «{}» не найден в learners", who.shown()),
                format!("learner «{}» is not in learners", who.shown()),
            ),
            NoMatch::Ambiguous(c) => {
                let list = |sep: &str| {
                    c.iter()
                        .map(|(id, n)| format!("«{id}» ({n})"))
                        .collect::<Vec<_>>()
                        .join(sep)
                };
                Text::new(
                    format!(
                        "слушатель «{}» неоднозначен: подходят {}",
                        who.shown(),
                        list(" и ")
                    ),
                    format!(
                        "learner «{}» is ambiguous: both {} fit",
                        who.shown(),
                        list(" and ")
                    ),
                )
            }
        }
    }

    pub fn hint(&self) -> Text {
        match self {
            NoMatch::Missing => Text::new(
                "добавьте слушателя в learners или удалите строку из выгрузки; сопоставление идёт по ID number (номер личного дела или id на платформе), затем по email, затем по ФИО",
                "add the learner to learners or remove the row from the export; learners are matched by ID number (file number or platform id), then email, then name",
            ),
            NoMatch::Ambiguous(_) => Text::new(
                "заполните в платформе поле ID number (номер личного дела) или email, чтобы различить слушателей",
                "fill in the ID number (the learner's file number) or the email on the platform to tell them apart",
            ),
        }
    }
}

fn unique(hits: &[usize], learners: &[Learner]) -> Option<Result<usize, NoMatch>> {
    match hits.len() {
        0 => None,
        1 => Some(Ok(hits[0])),
        _ => Some(Err(NoMatch::Ambiguous(
            hits.iter()
                .map(|&i| (learners[i].id.clone(), learners[i].full_name()))
                .collect(),
        ))),
    }
}

/// Finds the learner of a Moodle row: by ID number (file number or platform id), then email,
/// then name (`Фамилия` + `Имя` or `Имя Отчество`).
pub fn match_moodle(
    learners: &[Learner],
    index: &LearnerIndex,
    who: &Who,
) -> Result<usize, NoMatch> {
    if let Some(id) = who
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        && let Some(r) = unique(index.by_id(id), learners)
    {
        return r;
    }
    if let Some(e) = who
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        && let Some(r) = unique(index.by_email(&e.to_lowercase()), learners)
    {
        return r;
    }
    let want = norm(&format!("{} {}", who.surname, who.first));
    unique(index.by_name(&want), learners).unwrap_or(Err(NoMatch::Missing))
}

/// Finds the learner of an FRDO row: by SNILS, then by full name and birth date (a learner
/// without a birth date matches by full name alone).
pub fn match_frdo(learners: &[Learner], index: &LearnerIndex, who: &Who) -> Result<usize, NoMatch> {
    if let Some(s) = &who.snils
        && let Some(r) = unique(index.by_snils(s), learners)
    {
        return r;
    }
    let want = norm(&format!("{} {}", who.surname, who.first));
    let hits: Vec<usize> = index
        .by_full_name(&want)
        .iter()
        .copied()
        .filter(|&i| match (learners[i].birth_date, who.birth_date) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .collect();
    unique(&hits, learners).unwrap_or(Err(NoMatch::Missing))
}

/// The group of an export: the one named in `letopis.yaml`, else the only group all its matched
/// learners are enrolled in.
pub fn infer_group(
    st: &Staging,
    index: &LearnerIndex,
    learners: &[usize],
) -> Result<String, Vec<String>> {
    let mut common: Option<Vec<String>> = None;
    for &i in learners {
        let mut gs: Vec<String> = index.groups_of(&st.learners[i].id).to_vec();
        gs.sort();
        gs.dedup();
        common = Some(match common {
            None => gs,
            Some(c) => c.into_iter().filter(|g| gs.contains(g)).collect(),
        });
    }
    match common {
        Some(c) if c.len() == 1 => Ok(c[0].clone()),
        Some(c) => Err(c),
        None => Err(Vec::new()),
    }
}

/// The error when the group of an export cannot be told.
pub fn no_group(file: &str, candidates: &[String]) -> Diagnostic {
    let c = if candidates.is_empty() {
        Text::new(
            "её слушатели не зачислены в одну общую группу".to_string(),
            "its learners are not enrolled in one common group".to_string(),
        )
    } else {
        Text::new(
            format!("подходят группы {}", candidates.join(", ")),
            format!("groups {} all fit", candidates.join(", ")),
        )
    };
    Diagnostic::error(
        file,
        Text::new(
            format!("не удаётся определить группу выгрузки: {}", c.ru),
            format!("cannot tell the export's group: {}", c.en),
        ),
    )
    .hint(Text::new(
        format!("укажите группу в letopis.yaml: files: {{\"{file}\": {{group: ПК-12}}}}"),
        format!("name the group in letopis.yaml: files: {{\"{file}\": {{group: ПК-12}}}}"),
    ))
}

/// A map of the header's normalised names to their column indexes.
pub fn find_col(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| norm(h) == norm(n)))
}

/// Extra values of a row: the named columns' non-empty cells.
pub fn extras(header: &[String], cells: &[String], cols: &[usize]) -> Extra {
    let mut m = BTreeMap::new();
    for &i in cols {
        if let (Some(h), Some(v)) = (header.get(i), cells.get(i))
            && !v.is_empty()
        {
            m.insert(h.clone(), v.clone());
        }
    }
    m.into()
}

/// The columns among `cols` that hold a value in some row of `t` (after its header row `skip`).
pub fn with_values(t: &Table, skip: usize, cols: &[usize]) -> Vec<usize> {
    cols.iter()
        .copied()
        .filter(|&i| {
            t.rows
                .iter()
                .skip(skip + 1)
                .any(|(_, c)| c.get(i).is_some_and(|v| !v.is_empty()))
        })
        .collect()
}

/// The warning for header columns of an export that map to nothing (their values are kept).
pub fn unmapped(
    file: &str,
    line: u64,
    header: &[String],
    cols: &[usize],
    into: &str,
) -> Vec<Diagnostic> {
    cols.iter()
        .map(|&i| {
            let name = header.get(i).cloned().unwrap_or_default();
            Diagnostic::warning(
                file,
                Text::new(
                    format!("столбец «{name}» не переносится в записи: значения сохранены как дополнительные поля ({into})"),
                    format!("column «{name}» maps to no field: its values are kept as extra fields ({into})"),
                ),
            )
            .at(line, Some(i as u64 + 1))
        })
        .collect()
}

/// The body rows of a text export that have as many fields as its header. A shorter row (a
/// field lost, or the file cut in the middle of the row) or a longer one is an error at its
/// first missing or extra field, and the row is kept whole among the rejected: its values are
/// never spread over the wrong columns or dropped. Workbooks leave trailing empty cells out, so
/// only text files are checked.
pub fn full_rows<'t>(
    file: &str,
    label: &str,
    t: &'t Table,
    header_at: usize,
    sink: &mut Sink,
) -> Vec<&'t (u64, Vec<String>)> {
    let width = t.rows[header_at].1.len();
    let header = &t.rows[header_at].1;
    let mut out = Vec::new();
    for r in &t.rows[header_at + 1..] {
        let (line, cells) = r;
        if t.delimiter.is_none() || cells.len() == width {
            out.push(r);
            continue;
        }
        let sep = match t.delimiter {
            Some(b'\t') => "TAB".to_string(),
            Some(d) => (d as char).to_string(),
            None => String::new(),
        };
        let (ru, en) = if cells.len() < width {
            let at = cells.len() + 1;
            let (ru, en) = match header[cells.len()].trim() {
                "" => (format!("{at}"), format!("{at}")),
                h => (format!("{at} («{h}»)"), format!("{at} («{h}»)")),
            };
            (
                format!(
                    "в строке {} полей, а в заголовке {width}: строка обрывается перед столбцом {ru}",
                    cells.len()
                ),
                format!(
                    "the row has {} fields but the header has {width}: the row ends before column {en}",
                    cells.len()
                ),
            )
        } else {
            (
                format!("в строке {} полей, а в заголовке {width}", cells.len()),
                format!(
                    "the row has {} fields but the header has {width}",
                    cells.len()
                ),
            )
        };
        let col = cells.len().min(width) as u64 + 1;
        sink.diags.push(
            Diagnostic::error(label, Text::new(ru.clone(), en.clone()))
                .at(*line, Some(col))
                .hint(Text::new(
                    format!("проверьте разделители «{sep}» и кавычки в этой строке; если файл обрезан, выгрузите его из платформы заново"),
                    format!("check the «{sep}» separators and quotes in this row; if the file was cut short, download it from the platform again"),
                )),
        );
        let mut values = BTreeMap::new();
        for (i, v) in cells.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let key = match header.get(i) {
                Some(h) if !h.is_empty() => h.clone(),
                _ => format!("поле {}", i + 1),
            };
            values.insert(key, v.clone());
        }
        sink.reject_raw(file, *line, values.into(), Text::new(ru, en));
    }
    out
}

/// The group of an export that names none: the one group of its matched learners; else an error
/// and every row rejected with its values (`None`).
pub fn group_or_reject(
    file: &str,
    header: &[String],
    matched: &[Matched],
    sink: &mut Sink,
) -> Option<String> {
    let found: Vec<usize> = matched
        .iter()
        .filter_map(|m| m.2.as_ref().ok().copied())
        .collect();
    match infer_group(sink.st, sink.index, &found) {
        Ok(g) => Some(g),
        Err(c) => {
            sink.diags.push(no_group(file, &c));
            let all: Vec<usize> = (0..header.len()).collect();
            for (line, cells, _, _) in matched {
                sink.reject_raw(
                    file,
                    *line,
                    extras(header, cells, &all),
                    Text::new(
                        "группа выгрузки не определена",
                        "the export's group is unknown",
                    ),
                );
            }
            None
        }
    }
}
