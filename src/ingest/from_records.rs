//! Reading a period back from an archive's own `data/records/` (written by [`crate::tables`]), so
//! that a period can be checked, rebuilt or corrected years later without the original exports:
//! `letopis check ARCHIVE/data/records` and `letopis build ARCHIVE/data/records --out …`.
//!
//! The folder is recognised by its `datapackage.json` with Letopis's entry (the configuration of
//! the period and the format version of the tables). Every table is read by its column names
//! ([`crate::model::tables`]); each record keeps the source file and line it names, so the rebuilt
//! pages point at the original exports as before. The files themselves are the archive's: input
//! files under `data/raw/`, attachments under `data/files/`. Problems are diagnostics with file,
//! line and column, as for any input: a value of the wrong type or an unknown code, a missing
//! column or table, a duplicate key, a code that refers to no record, a missing kept file.

use super::{Error, io_err};
use crate::diag::{self, Diagnostic};
use crate::layout::paths;
use crate::model::tables::{self, Table, codes};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Reads `dir` (an archive's `data/records/`) whose archive `data/` folder is `data`.
pub fn load(dir: &Path, data: &Path) -> Result<(Period, Vec<Diagnostic>), Error> {
    let (config, diags) = read_package(dir)?;
    let mut r = Reader {
        dir,
        diags,
        keys: HashMap::new(),
        gone: HashMap::new(),
    };
    let mut p = Period {
        config: config.unwrap_or_else(super::unreadable_config),
        programmes: Vec::new(),
        groups: Vec::new(),
        learners: Vec::new(),
        enrolments: Vec::new(),
        orders: Vec::new(),
        lessons: Vec::new(),
        attendance: Vec::new(),
        grade_items: Vec::new(),
        grades: Vec::new(),
        protocols: Vec::new(),
        protocol_results: Vec::new(),
        issued_documents: Vec::new(),
        awards: Vec::new(),
        portfolio: Vec::new(),
        credit_transfers: Vec::new(),
        attachments: Vec::new(),
        documents: Vec::new(),
        sources: Vec::new(),
        rejected: Vec::new(),
    };
    // Referenced tables first, so that every code is checked against them while reading.
    read_catalogue(&mut r, &mut p)?;
    read_schedule(&mut r, &mut p)?;
    read_study(&mut r, &mut p)?;
    read_achievements(&mut r, &mut p)?;
    read_files(&mut r, &mut p)?;
    let mut diags = r.diags;

    // The model's order (the files are written in it; a hand-edited file may not be), and no
    // key twice.
    sort_and_dedupe(&mut p, &mut diags);
    check_kept_files(&p, data, &mut diags);
    diag::sort(&mut diags);
    Ok((p, diags))
}

/// The package's Letopis entry: the period's configuration (`None` when unreadable or of a format
/// this version does not read, with the diagnostic saying so).
fn read_package(dir: &Path) -> Result<(Option<Config>, Vec<Diagnostic>), Error> {
    let pkg_path = dir.join(tables::PACKAGE);
    let text = std::fs::read(&pkg_path).map_err(io_err(&pkg_path))?;
    let mut diags = Vec::new();
    let v: serde_json::Value = serde_json::from_slice(&text).map_err(|e| Error::Io {
        path: pkg_path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let entry = &v[tables::PACKAGE_KEY];
    let format = entry["format"].as_u64().unwrap_or(0);
    let config: Option<Config> = if format == 0 || format > u64::from(tables::FORMAT) {
        diags.push(
            Diagnostic::error(
                tables::PACKAGE,
                Text::new(
                    format!("таблицы записаны в формате {format}, эта версия Летописи читает формат {}", tables::FORMAT),
                    format!("the tables are in format {format}; this version of Letopis reads format {}", tables::FORMAT),
                ),
            )
            .hint(Text::new(
                "возьмите версию Летописи, записавшую архив, или более новую",
                "use the version of Letopis that wrote the archive, or a newer one",
            )),
        );
        None
    } else {
        match serde_json::from_value(entry["config"].clone()) {
            Ok(c) => Some(c),
            Err(e) => {
                diags.push(Diagnostic::error(
                    tables::PACKAGE,
                    Text::new(
                        format!("настройки периода (letopis.config) не читаются: {e}"),
                        format!("the period's settings (letopis.config) cannot be read: {e}"),
                    ),
                ));
                None
            }
        }
    };
    Ok((config, diags))
}

/// The tables everything refers to: sources, programmes, groups, learners.
fn read_catalogue(r: &mut Reader, p: &mut Period) -> Result<(), Error> {
    r.read(
        "sources",
        |row| {
            Some(SourceFile {
                path: row.req("path")?,
                kind: row.req("kind")?,
                format: row.req("format")?,
                encoding: row.opt("encoding").unwrap_or_default(),
                delimiter: row.opt("delimiter").and_then(|d| d.chars().next()),
                size: row.int("size", true)?.unwrap_or(0),
                sha256: row.req("sha256")?,
                rows_read: row.int("rows_read", true)?.unwrap_or(0),
                rows_kept: row.int("rows_kept", true)?.unwrap_or(0),
                rows_rejected: row.int("rows_rejected", true)?.unwrap_or(0),
            })
        },
        &mut p.sources,
    )?;
    r.read(
        "programmes",
        |row| {
            Some(Programme {
                id: row.req("id")?,
                kind: row.code("kind", codes::parse_programme_kind)?,
                title: row.req("title")?,
                hours: row.int("hours", true)?.unwrap_or(0) as u32,
                form: row.opt("form"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.programmes,
    )?;
    r.read(
        "groups",
        |row| {
            Some(Group {
                id: row.req("id")?,
                programme: row.req("programme")?,
                start: row.date("start", true)??,
                end: row.date("end", true)??,
                curator: row.opt("curator"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.groups,
    )?;
    r.read(
        "learners",
        |row| {
            Some(Learner {
                id: row.req("id")?,
                surname: row.req("surname")?,
                name: row.req("name")?,
                patronymic: row.opt("patronymic"),
                birth_date: row.date("birth_date", false)?,
                sex: row.opt_code("sex", codes::parse_sex)?,
                snils: row.opt("snils"),
                email: row.opt("email"),
                phone: row.opt("phone"),
                platform_ids: row.list("platform_ids"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.learners,
    )?;
    Ok(())
}

/// Orders, lessons, grade items and protocols (referred to by the study records).
fn read_schedule(r: &mut Reader, p: &mut Period) -> Result<(), Error> {
    r.read(
        "orders",
        |row| {
            Some(Order {
                id: row.req("id")?,
                date: row.date("date", true)??,
                kind: row.code("kind", codes::parse_order_kind)?,
                group: row.opt("group"),
                title: row.req("title")?,
                text: row.opt("text"),
                file: row.opt("file"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.orders,
    )?;
    r.read(
        "lessons",
        |row| {
            Some(Lesson {
                id: row.req("id")?,
                group: row.req("group")?.into(),
                date: row.date("date", true)??,
                time: row.opt("time").map(Into::into),
                hours: row.num("hours", true)??,
                topic: row.req("topic")?.into(),
                teacher: row.opt("teacher").map(Into::into),
                kind: row.opt("kind").map(Into::into),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.lessons,
    )?;
    r.read(
        "grade_items",
        |row| {
            let scale = match row.req("scale")?.as_str() {
                "five" => Scale::Five,
                "pass_fail" => Scale::PassFail,
                "percent" => Scale::Percent,
                "points" => Scale::Points(row.num("scale_max", true)??),
                other => return row.bad_code("scale", other),
            };
            Some(GradeItem {
                id: row.req("id")?,
                group: row.req("group")?,
                title: row.req("title")?,
                control: row.code("control", codes::parse_control)?,
                scale,
                lesson: row.opt("lesson"),
                date: row.date("date", false)?,
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.grade_items,
    )?;
    r.read(
        "protocols",
        |row| {
            Some(Protocol {
                id: row.req("id")?,
                date: row.date("date", true)??,
                group: row.req("group")?,
                kind: row.code("kind", codes::parse_control)?,
                chair: row.req("chair")?,
                members: row.list("members"),
                secretary: row.opt("secretary"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.protocols,
    )?;
    Ok(())
}

/// Enrolments, attendance, grades and protocol results.
fn read_study(r: &mut Reader, p: &mut Period) -> Result<(), Error> {
    r.read(
        "enrolments",
        |row| {
            Some(Enrolment {
                learner: row.req("learner")?,
                group: row.req("group")?,
                date: row.date("date", true)??,
                order: row.opt("order"),
                outcome: row.code("outcome", codes::parse_outcome)?,
                outcome_date: row.date("outcome_date", false)?,
                outcome_order: row.opt("outcome_order"),
                reason: row.opt("reason"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.enrolments,
    )?;
    r.read(
        "attendance",
        |row| {
            Some(Attendance {
                lesson: row.req("lesson")?.into(),
                learner: row.req("learner")?.into(),
                mark: row.code("mark", codes::parse_mark)?,
                remark: row.opt("remark").map(Into::into),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.attendance,
    )?;
    let scales: HashMap<String, Scale> = p
        .grade_items
        .iter()
        .map(|g| (g.id.clone(), g.scale))
        .collect();
    r.read("grades", |row| {
        let item = row.req("item")?;
        let mark = row.int("mark", false)?;
        let passed = row.boolean("passed", false)?;
        let points = row.num("points", false)?;
        let percent = row.num("percent", false)?;
        let value = match (scales.get(&item), mark, passed, points, percent) {
            (Some(Scale::Five), Some(m @ 2..=5), None, None, None) => GradeValue::Mark(m as u8),
            (Some(Scale::PassFail), None, Some(b), None, None) => GradeValue::Pass(b),
            (Some(Scale::Points(_)), None, None, Some(x), None) => GradeValue::Points(x),
            (Some(Scale::Percent), None, None, None, Some(x)) => GradeValue::Percent(x),
            // An unknown item is reported by its foreign key.
            (None, ..) => GradeValue::Mark(0),
            _ => {
                return row.fail(
                    "mark",
                    Text::new(
                        "оценка не соответствует шкале элемента: заполните один столбец — mark (2–5), passed, points или percent",
                        "the grade does not fit its item's scale: fill one column — mark (2–5), passed, points or percent",
                    ),
                );
            }
        };
        Some(Grade {
            item: item.into(),
            learner: row.req("learner")?.into(),
            value,
            raw: row.req("raw")?.into(),
            date: row.date("date", false)?,
            comment: row.opt("comment").map(Into::into),
            origin: row.origin()?,
            extra: row.extra()?,
        })
    }, &mut p.grades)?;
    r.read(
        "protocol_results",
        |row| {
            Some(ProtocolResult {
                protocol: row.req("protocol")?,
                learner: row.req("learner")?,
                result: row.req("result")?,
                work: row.opt("work"),
                comment: row.opt("comment"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.protocol_results,
    )?;
    Ok(())
}

/// Issued documents, awards, portfolio and credit transfers.
fn read_achievements(r: &mut Reader, p: &mut Period) -> Result<(), Error> {
    r.read(
        "issued_documents",
        |row| {
            Some(IssuedDocument {
                reg_number: row.req("reg_number")?,
                learner: row.req("learner")?,
                group: row.opt("group"),
                kind: row.req("kind")?,
                series: row.opt("series"),
                number: row.req("number")?,
                issue_date: row.date("issue_date", true)??,
                duplicate: row.boolean("duplicate", true)??,
                received_by: row.opt("received_by"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.issued_documents,
    )?;
    r.read(
        "awards",
        |row| {
            Some(Award {
                id: row.req("id")?,
                learner: row.req("learner")?,
                title: row.req("title")?,
                date: row.date("date", true)??,
                issuer: row.opt("issuer"),
                level: row.opt("level"),
                file: row.opt("file"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.awards,
    )?;
    r.read(
        "portfolio",
        |row| {
            Some(PortfolioItem {
                id: row.req("id")?,
                learner: row.req("learner")?,
                title: row.req("title")?,
                kind: row.opt("kind"),
                date: row.date("date", false)?,
                description: row.opt("description"),
                file: row.opt("file"),
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.portfolio,
    )?;
    r.read(
        "credit_transfers",
        |row| {
            Some(CreditTransfer {
                id: row.req("id")?,
                learner: row.req("learner")?,
                group: row.req("group")?,
                application_date: row.date("application_date", true)??,
                source_organisation: row.req("source_organisation")?,
                source_document: row.req("source_document")?,
                course: row.req("course")?,
                hours: row.num("hours", true)??,
                form: row.opt("form"),
                result: row.req("result")?,
                accepted: match row.req("decision")?.as_str() {
                    "accepted" => true,
                    "refused" => false,
                    other => return row.bad_code("decision", other),
                },
                reason: row.opt("reason"),
                decision_date: row.date("decision_date", true)??,
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.credit_transfers,
    )?;
    Ok(())
}

/// Attachments, documents and the rows rejected when the archive was built.
fn read_files(r: &mut Reader, p: &mut Period) -> Result<(), Error> {
    r.read(
        "attachments",
        |row| {
            Some(Attachment {
                id: row.req("id")?,
                path: row.req("path")?,
                title: row.req("title")?,
                learner: row.opt("learner"),
                group: row.opt("group"),
                lesson: row.opt("lesson"),
                order: row.opt("order"),
                kind: row.opt("kind"),
                size: row.int("size", true)?.unwrap_or(0),
                sha256: row.req("sha256")?,
                origin: row.origin()?,
                extra: row.extra()?,
            })
        },
        &mut p.attachments,
    )?;
    r.read(
        "documents",
        |row| {
            Some(MarkdownDoc {
                id: row.req("id")?,
                path: row.req("path")?,
                title: row.req("title")?,
                markdown: row.req("markdown")?,
            })
        },
        &mut p.documents,
    )?;
    r.read(
        "rejected",
        |row| {
            let values: Option<BTreeMap<String, String>> = row.json("values")?;
            Some(RejectedRow {
                origin: Origin::new(
                    row.req("source_file")?.into(),
                    row.int("source_line", true)?.unwrap_or(0),
                ),
                values: values.unwrap_or_default(),
                reason: Text::new(row.req("reason")?, row.req("reason_en")?),
            })
        },
        &mut p.rejected,
    )?;
    Ok(())
}

/// Every kept file is in the archive beside the tables, and every file the records refer to is
/// listed in `sources.csv`.
fn check_kept_files(p: &Period, data: &Path, diags: &mut Vec<Diagnostic>) {
    let linked: HashSet<&str> = linked_files(p).into_iter().collect();
    for s in &p.sources {
        let at = if linked.contains(s.path.as_str()) {
            paths::file(&s.path)
        } else {
            paths::raw(&s.path)
        };
        if !data.join(&at).is_file() {
            diags.push(
                Diagnostic::error(
                    format!("../{at}"),
                    Text::new(
                        format!("файла выгрузки {} нет в архиве", s.path),
                        format!("the input file {} is not in the archive", s.path),
                    ),
                )
                .hint(Text::new(
                    "таблицы перестраиваются только вместе с папкой data/ своего архива (raw/ и files/ рядом с records/)",
                    "the tables are rebuilt only together with their archive's data/ folder (raw/ and files/ beside records/)",
                )),
            );
        }
    }
    for f in linked {
        if !p.sources.iter().any(|s| s.path == f) {
            diags.push(Diagnostic::error(
                "sources.csv",
                Text::new(
                    format!("файл {f}, на который ссылаются записи, не указан в sources.csv"),
                    format!("the file {f} referred to by the records is not listed in sources.csv"),
                ),
            ));
        }
    }
}

/// A table's columns: name → position in its header.
type Columns = HashMap<&'static str, usize>;

struct Reader<'a> {
    dir: &'a Path,
    diags: Vec<Diagnostic>,
    /// Primary keys of the tables that others refer to.
    keys: HashMap<&'static str, HashSet<String>>,
    /// Primary keys of rows rejected in the tables that others refer to.
    gone: HashMap<&'static str, HashSet<String>>,
}

impl Reader<'_> {
    /// Reads `name.csv` row by row through `make`, appending the records that pass to `out`.
    fn read<T>(
        &mut self,
        name: &'static str,
        make: impl Fn(&mut Row) -> Option<T>,
        out: &mut Vec<T>,
    ) -> Result<(), Error> {
        let table = Table::by_name(name).expect("listed table");
        let file = table.file();
        let path = self.dir.join(&file);
        let Some((mut rdr, cols)) = self.open(table, &file, &path)? else {
            return Ok(());
        };
        let is_target = tables::TABLES
            .iter()
            .any(|t| t.foreign_keys.iter().any(|k| k.table == name));
        let mut rec = csv::StringRecord::new();
        let mut next_line: u64 = 2;
        let mut cascaded: BTreeMap<&'static str, u64> = BTreeMap::new();
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.diags.push(
                        Diagnostic::error(
                            file.clone(),
                            Text::new(
                                format!("строка CSV не читается ({e})"),
                                format!("the CSV row cannot be read: {e}"),
                            ),
                        )
                        .at(line, None),
                    );
                    break;
                }
            }
            // The csv reader puts a record after a CRLF at the line of the `\n` before it: count
            // the lines instead (a record spans one line more per line break in its cells).
            let line = next_line.max(rec.position().map_or(0, |p| p.line()));
            let mut row = Row {
                rec: &rec,
                cols: &cols,
                file: &file,
                line,
                problems: Vec::new(),
            };
            let cascade = references(table, &self.keys, &self.gone, &mut row, &mut cascaded);
            let made = make(&mut row);
            let problems = std::mem::take(&mut row.problems);
            let key = match table.primary_key {
                [pk] if is_target => row.opt(pk),
                _ => None,
            };
            match made {
                Some(x) if problems.is_empty() && !cascade => {
                    if let Some(key) = key {
                        self.keys.entry(name).or_default().insert(key);
                    }
                    out.push(x);
                }
                _ => {
                    if let Some(key) = key {
                        self.gone.entry(name).or_default().insert(key);
                    }
                    self.diags.extend(problems);
                }
            }
            next_line = line
                + 1
                + rec
                    .iter()
                    .map(|c| c.matches('\n').count() as u64)
                    .sum::<u64>();
        }
        self.report_cascades(&file, cascaded);
        Ok(())
    }

    /// Opens a table's file and finds its columns by name; `None` (with the diagnostic) when the
    /// file or a required column is missing.
    fn open(
        &mut self,
        table: &Table,
        file: &str,
        path: &Path,
    ) -> Result<Option<(csv::Reader<std::fs::File>, Columns)>, Error> {
        if !path.is_file() {
            self.diags.push(Diagnostic::error(
                file,
                Text::new(
                    "таблицы нет в папке: записи этого вида не прочитаны",
                    "the table is missing from the folder: records of this kind were not read",
                ),
            ));
            return Ok(None);
        }
        let mut rdr = csv::ReaderBuilder::new()
            .from_path(path)
            .map_err(|e| csv_err(path, e))?;
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_err(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut cols: HashMap<&'static str, usize> = HashMap::new();
        let mut missing = Vec::new();
        for c in table.columns() {
            match header.iter().position(|h| h == c.name) {
                Some(i) => {
                    cols.insert(c.name, i);
                }
                None if c.required => missing.push(c.name),
                None => {}
            }
        }
        if !missing.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    file,
                    Text::new(
                        format!("нет обязательных столбцов: {}", missing.join(", ")),
                        format!("required columns are missing: {}", missing.join(", ")),
                    ),
                )
                .at(1u64, None),
            );
            return Ok(None);
        }
        Ok(Some((rdr, cols)))
    }

    /// One error per table whose rows were not taken because they refer to rejected records.
    fn report_cascades(&mut self, file: &str, cascaded: BTreeMap<&'static str, u64>) {
        for (target, n) in cascaded {
            self.diags.push(
                Diagnostic::error(
                    file,
                    Text::new(
                        format!("записей, ссылающихся на отклонённые записи таблицы {target}: {n}; они тоже не приняты"),
                        format!("{n} record(s) refer to rejected records of the table {target}; they are not taken either"),
                    ),
                )
                .hint(Text::new(
                    format!("исправьте ошибки в {target}.csv"),
                    format!("fix the errors in {target}.csv"),
                )),
            );
        }
    }
}

/// Checks the row's codes that refer to another table: a code of a record that is not there is an
/// error of this row; one of a record rejected above is counted in `cascaded` (reported once per
/// table) and makes the row not taken (`true`).
fn references(
    table: &Table,
    keys: &HashMap<&'static str, HashSet<String>>,
    gone: &HashMap<&'static str, HashSet<String>>,
    row: &mut Row,
    cascaded: &mut BTreeMap<&'static str, u64>,
) -> bool {
    let mut cascade = false;
    for k in table.foreign_keys {
        for f in k.fields {
            let Some(v) = row.opt(f) else { continue };
            if gone.get(k.table).is_some_and(|g| g.contains(&v)) {
                *cascaded.entry(k.table).or_default() += 1;
                cascade = true;
            } else if keys.get(k.table).is_some_and(|set| !set.contains(&v)) {
                row.problem(
                    f,
                    Text::new(
                        format!("«{v}» нет в таблице {}", k.table),
                        format!("«{v}» is not in the table {}", k.table),
                    ),
                );
            }
        }
    }
    cascade
}

fn csv_err(path: &Path, e: csv::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// One row being read: typed accessors by column name. A bad value is recorded as a problem with
/// its column and the accessor returns `None`, so `?` drops the row.
struct Row<'a> {
    rec: &'a csv::StringRecord,
    cols: &'a HashMap<&'static str, usize>,
    file: &'a str,
    line: u64,
    problems: Vec<Diagnostic>,
}

impl Row<'_> {
    fn cell(&self, name: &str) -> &str {
        self.cols
            .get(name)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
    }
    fn problem(&mut self, name: &str, message: Text) {
        let col = self.cols.get(name).map(|i| *i as u64 + 1);
        self.problems.push(
            Diagnostic::error(
                self.file,
                Text::new(
                    format!("{name}: {}", message.ru),
                    format!("{name}: {}", message.en),
                ),
            )
            .at(self.line, col),
        );
    }
    fn fail<T>(&mut self, name: &str, message: Text) -> Option<T> {
        self.problem(name, message);
        None
    }
    fn opt(&self, name: &str) -> Option<String> {
        let v = self.cell(name);
        (!v.is_empty()).then(|| v.to_string())
    }
    fn req(&mut self, name: &str) -> Option<String> {
        match self.opt(name) {
            Some(v) => Some(v),
            None => self.fail(name, Text::new("пустое значение", "empty value")),
        }
    }
    fn list(&self, name: &str) -> Vec<String> {
        self.opt(name)
            .map(|v| v.split(tables::LIST_SEP).map(str::to_string).collect())
            .unwrap_or_default()
    }
    /// `Some(None)` for an empty optional cell; `None` (with a problem) for a bad or missing one.
    fn parsed<T>(
        &mut self,
        name: &str,
        required: bool,
        what: (&str, &str),
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Option<T>> {
        let v = self.cell(name).to_string();
        if v.is_empty() {
            return if required {
                self.fail(name, Text::new("пустое значение", "empty value"))
            } else {
                Some(None)
            };
        }
        match parse(&v) {
            Some(x) => Some(Some(x)),
            None => self.fail(
                name,
                Text::new(
                    format!("«{v}» — не {}", what.0),
                    format!("«{v}» is not {}", what.1),
                ),
            ),
        }
    }
    fn date(&mut self, name: &str, required: bool) -> Option<Option<NaiveDate>> {
        self.parsed(
            name,
            required,
            ("дата ГГГГ-ММ-ДД", "a date YYYY-MM-DD"),
            |v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
        )
    }
    fn num(&mut self, name: &str, required: bool) -> Option<Option<f64>> {
        self.parsed(name, required, ("число", "a number"), |v| {
            v.parse::<f64>().ok().filter(|x| x.is_finite())
        })
    }
    fn int(&mut self, name: &str, required: bool) -> Option<Option<u64>> {
        self.parsed(
            name,
            required,
            ("целое число", "a whole number"),
            |v| v.parse::<u64>().ok(),
        )
    }
    fn boolean(&mut self, name: &str, required: bool) -> Option<Option<bool>> {
        self.parsed(
            name,
            required,
            ("true или false", "true or false"),
            |v| match v {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        )
    }
    fn bad_code<T>(&mut self, name: &str, v: &str) -> Option<T> {
        let allowed: Vec<&str> = tables::TABLES
            .iter()
            .flat_map(|t| t.columns())
            .find(|c| c.name == name && !c.values.is_empty())
            .map(|c| c.values.iter().map(|(code, _)| *code).collect())
            .unwrap_or_default();
        self.fail(
            name,
            Text::new(
                format!("неизвестный код «{v}»; допустимы: {}", allowed.join(", ")),
                format!("unknown code «{v}»; allowed: {}", allowed.join(", ")),
            ),
        )
    }
    fn code<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.opt_code(name, parse)?
            .or_else(|| self.fail(name, Text::new("пустое значение", "empty value")))
    }
    fn opt_code<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Option<Option<T>> {
        let v = self.cell(name).to_string();
        if v.is_empty() {
            return Some(None);
        }
        match parse(&v) {
            Some(x) => Some(Some(x)),
            None => self.bad_code(name, &v),
        }
    }
    fn json<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        let v = self.cell(name).to_string();
        if v.is_empty() {
            return Some(None);
        }
        match serde_json::from_str(&v) {
            Ok(x) => Some(Some(x)),
            Err(e) => self.fail(
                name,
                Text::new(
                    format!("не объект JSON «заголовок → значение»: {e}"),
                    format!("not a JSON object of header → value: {e}"),
                ),
            ),
        }
    }
    fn extra(&mut self) -> Option<Extra> {
        let map: Option<BTreeMap<String, String>> = self.json("extra")?;
        Some(map.map(Extra::from).unwrap_or_default())
    }
    fn origin(&mut self) -> Option<Origin> {
        let file = self.req("source_file")?;
        let line = self.int("source_line", true)??;
        Some(Origin::new(file.into(), line))
    }
}

/// A record's key as the messages show it: `«ПК-12»`, `«ЛД-001», «ПК-12»`.
trait KeyText {
    fn text(&self) -> String;
}
impl<T: std::fmt::Display + ?Sized> KeyText for &T {
    fn text(&self) -> String {
        format!("«{self}»")
    }
}
impl<A: std::fmt::Display, B: std::fmt::Display> KeyText for (&A, &B) {
    fn text(&self) -> String {
        format!("«{}», «{}»", self.0, self.1)
    }
}

/// Sorts every list into the model's order and reports keys that occur twice (a table written
/// by Letopis is in that order already; a hand-edited one may not be).
fn sort_and_dedupe(p: &mut Period, diags: &mut Vec<Diagnostic>) {
    use std::cmp::Ordering;
    fn run<T>(
        table: &str,
        v: &mut Vec<T>,
        cmp: impl Fn(&T, &T) -> Ordering,
        describe: impl Fn(&T) -> String,
        diags: &mut Vec<Diagnostic>,
    ) {
        v.sort_by(&cmp);
        let mut kept: Vec<T> = Vec::with_capacity(v.len());
        for r in v.drain(..) {
            if let Some(last) = kept.last()
                && cmp(last, &r) == Ordering::Equal
            {
                diags.push(
                    Diagnostic::error(
                        format!("{table}.csv"),
                        Text::new(
                            format!("запись {} повторяется", describe(&r)),
                            format!("the record {} occurs twice", describe(&r)),
                        ),
                    )
                    .hint(Text::new(
                        "оставьте одну запись с этим ключом",
                        "keep one record with this key",
                    )),
                );
                continue;
            }
            kept.push(r);
        }
        *v = kept;
    }
    macro_rules! by {
        ($table:literal, $list:ident, |$r:ident| $key:expr) => {
            run(
                $table,
                &mut p.$list,
                |a, b| {
                    let ka = {
                        let $r = a;
                        $key
                    };
                    let kb = {
                        let $r = b;
                        $key
                    };
                    ka.cmp(&kb)
                },
                |$r| KeyText::text(&$key),
                diags,
            )
        };
    }
    by!("programmes", programmes, |r| &r.id);
    by!("groups", groups, |r| &r.id);
    by!("learners", learners, |r| &r.id);
    by!("enrolments", enrolments, |r| (&r.learner, &r.group));
    by!("orders", orders, |r| &r.id);
    by!("lessons", lessons, |r| &r.id);
    p.lessons.sort_by(|a, b| {
        (&a.group, a.date, &a.time, &a.id).cmp(&(&b.group, b.date, &b.time, &b.id))
    });
    by!("attendance", attendance, |r| (&r.lesson, &r.learner));
    by!("grade_items", grade_items, |r| &r.id);
    by!("grades", grades, |r| (&r.item, &r.learner));
    by!("protocols", protocols, |r| &r.id);
    by!("protocol_results", protocol_results, |r| (
        &r.protocol,
        &r.learner
    ));
    by!("issued_documents", issued_documents, |r| &r.reg_number);
    by!("awards", awards, |r| &r.id);
    by!("portfolio", portfolio, |r| &r.id);
    by!("credit_transfers", credit_transfers, |r| &r.id);
    by!("attachments", attachments, |r| &r.id);
    by!("documents", documents, |r| &r.id);
    by!("sources", sources, |r| &r.path);
    p.rejected.sort_by_key(|a| a.origin);
}
