//! Row readers: a CSV or YAML file of one record kind → rows of cells with their positions.
//! CSV streams record by record; YAML files (small, hand-written) are parsed whole.

use super::fields::norm;
use super::schema::Kind;
use super::text::{self, DecodeReader, Encoding, Scan};
use crate::diag::Diagnostic;
use crate::model::{Extra, Text};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;

/// One cell: its value (trimmed, never empty) and where it was written.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: String,
    pub line: u64,
    pub col: u64,
}

/// One record as read: cells by schema column, unknown columns in `extra`.
#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<Option<Cell>>,
    pub extra: Extra,
}

/// What a reader hands over for each record of the file.
#[derive(Debug)]
pub enum Item {
    Row(Row),
    /// A record that could not even be split into cells (wrong column count, open quote...).
    Broken {
        line: u64,
        values: BTreeMap<String, String>,
        diag: Diagnostic,
    },
}

/// The header of a file: for each schema column, the header as written (if present).
#[derive(Debug, Default)]
pub struct Header {
    pub names: Vec<Option<String>>,
    /// For CSV: the column number of each schema column in the header (for empty cells).
    pub cols: Vec<Option<u64>>,
    /// Set when a required column is missing: every row is then rejected with this reason.
    pub missing: Option<Text>,
}

impl Header {
    /// The row's cells as `header → value` (for the list of rejected rows).
    pub fn values(&self, row: &Row) -> BTreeMap<String, String> {
        let mut map = row.extra.clone().into_map();
        for (name, cell) in self.names.iter().zip(&row.cells) {
            if let (Some(n), Some(c)) = (name, cell) {
                map.insert(n.clone(), c.value.clone());
            }
        }
        map
    }
}

/// Matches header names to the schema: warnings for unknown columns, errors for duplicates and
/// missing required columns. `positions` gives each header's (line, column).
fn header(
    kind: Kind,
    file: &str,
    names: &[String],
    positions: &[(u64, u64)],
    diags: &mut Vec<Diagnostic>,
) -> (Header, Vec<Option<usize>>) {
    let cols = kind.columns();
    let mut h = Header {
        names: vec![None; cols.len()],
        cols: vec![None; cols.len()],
        missing: None,
    };
    let mut map = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let (line, col) = positions.get(i).copied().unwrap_or((1, i as u64 + 1));
        match kind.match_header(name) {
            Some(c) if h.names[c].is_some() => {
                diags.push(
                    Diagnostic::error(
                        file,
                        Text::new(
                            format!("столбец «{}» повторяется", name.trim()),
                            format!("column «{}» appears twice", name.trim()),
                        ),
                    )
                    .at(line, Some(col))
                    .hint(Text::new(
                        "удалите или переименуйте один из столбцов",
                        "delete or rename one of the columns",
                    )),
                );
                map.push(None);
            }
            Some(c) => {
                h.names[c] = Some(name.trim().to_string());
                h.cols[c] = Some(col);
                map.push(Some(c));
            }
            // Spreadsheets often leave an empty column at the end (`a;b;c;`): no warning; any
            // value under it is still kept in `extra` as `#N`.
            None if name.trim().is_empty() => map.push(None),
            None => {
                let shown = if name.trim().is_empty() {
                    format!("#{}", i + 1)
                } else {
                    name.trim().to_string()
                };
                diags.push(
                    Diagnostic::warning(
                        file,
                        Text::new(
                            format!("неизвестный столбец «{shown}»: значения сохранены как дополнительные"),
                            format!("unknown column «{shown}»: its values are kept as extra fields"),
                        ),
                    )
                    .at(line, Some(col))
                    .hint(known_columns(kind)),
                );
                map.push(None);
            }
        }
    }
    let missing: Vec<String> = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| c.required && h.names[*i].is_none())
        .map(|(i, _)| kind.label(i))
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        let text = Text::new(
            format!("нет обязательного столбца: {list}"),
            format!("required column missing: {list}"),
        );
        diags.push(
            Diagnostic::error(file, text.clone())
                .at(positions.first().map(|p| p.0).unwrap_or(1), None)
                .hint(known_columns(kind)),
        );
        h.missing = Some(text);
    }
    (h, map)
}

fn known_columns(kind: Kind) -> Text {
    let cols: Vec<String> = (0..kind.columns().len()).map(|i| kind.label(i)).collect();
    Text::new(
        format!("столбцы файла {}: {}", kind.stem(), cols.join(", ")),
        format!("columns of {}: {}", kind.stem(), cols.join(", ")),
    )
}

fn name_of(names: &[String], i: usize) -> String {
    match names.get(i) {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        _ => format!("#{}", i + 1),
    }
}

/// What every row of one CSV file is read against: its header and how it maps to the schema.
struct CsvRows<'a> {
    file: &'a str,
    names: Vec<String>,
    width: usize,
    map: Vec<Option<usize>>,
    h: Header,
    odd_quotes: bool,
    delimiter: u8,
    ncols: usize,
}

impl CsvRows<'_> {
    /// One record: a row, or broken (an open quote, a wrong number of fields) with its reason.
    fn process(&self, rec: &csv::StringRecord, last: bool, on_item: &mut dyn FnMut(&Header, Item)) {
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        // A row of millions of fields: one error, its cells not gone through again.
        if rec.len() > super::table::MAX_FIELDS {
            let n = rec.len();
            let max = super::table::MAX_FIELDS;
            let diag = self.fields_error(
                line,
                format!("в строке {n} полей, больше {max}: строка не прочитана"),
                format!("the row has {n} fields, over {max}: the row is not read"),
            );
            on_item(
                &self.h,
                Item::Broken {
                    line,
                    values: BTreeMap::new(),
                    diag,
                },
            );
            return;
        }
        // Blank lines and rows of empty cells (`;;;;` as spreadsheets leave them) are not records.
        if rec.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        if let Some(diag) = self.open_quote(rec, line, last).or_else(|| {
            (rec.len() != self.width).then(|| {
                self.fields_error(
                    line,
                    format!("в строке {} полей, а в заголовке {}", rec.len(), self.width),
                    format!(
                        "the row has {} fields but the header has {}",
                        rec.len(),
                        self.width
                    ),
                )
            })
        }) {
            let values = rec
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(i, v)| (name_of(&self.names, i), v.trim().to_string()))
                .collect();
            on_item(&self.h, Item::Broken { line, values, diag });
            return;
        }
        self.row(rec, line, on_item);
    }

    /// A row with a number of fields that does not fit, with the hint to check separators.
    fn fields_error(&self, line: u64, ru: String, en: String) -> Diagnostic {
        Diagnostic::error(self.file, Text::new(ru, en))
            .at(line, None)
            .hint(Text::new(
                format!(
                    "проверьте разделители «{}» и кавычки в этой строке",
                    show_delim(self.delimiter)
                ),
                format!(
                    "check the «{}» separators and quotes in this row",
                    show_delim(self.delimiter)
                ),
            ))
    }

    /// A quote left open swallows the following lines into one field: at the end of the file
    /// (odd number of quotes) or until the next quote, which then leaves the record with the
    /// wrong number of fields.
    fn open_quote(&self, rec: &csv::StringRecord, line: u64, last: bool) -> Option<Diagnostic> {
        if !(last && self.odd_quotes || rec.len() != self.width) {
            return None;
        }
        let i = rec.iter().position(|f| f.contains('\n'))?;
        let end = line
            + rec
                .iter()
                .map(|f| f.trim_end_matches(['\r', '\n']).matches('\n').count() as u64)
                .sum::<u64>();
        Some(
            Diagnostic::error(
                self.file,
                Text::new(
                    format!("кавычка не закрыта: строки {line}–{end} прочитаны как одно поле"),
                    format!("unbalanced quote: lines {line}–{end} were read as one field"),
                ),
            )
            .at(line, Some(i as u64 + 1))
            .hint(Text::new(
                "закройте кавычку в этом поле или удвойте кавычку внутри текста (\"\")",
                "close the quote in this field or double a quote inside the text (\"\")",
            )),
        )
    }

    /// A whole row: its cells under the schema's columns, the rest as extra fields.
    fn row(&self, rec: &csv::StringRecord, line: u64, on_item: &mut dyn FnMut(&Header, Item)) {
        let mut cells: Vec<Option<Cell>> = vec![None; self.ncols];
        let mut extra = Extra::new();
        for (i, v) in rec.iter().enumerate() {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match self.map.get(i).copied().flatten() {
                Some(c) => {
                    cells[c] = Some(Cell {
                        value: v.to_string(),
                        line,
                        col: i as u64 + 1,
                    })
                }
                None => {
                    extra.insert(name_of(&self.names, i), v.to_string());
                }
            }
        }
        on_item(&self.h, Item::Row(Row { line, cells, extra }));
    }
}

/// Reads a CSV file record by record. Returns the header and the delimiter; every record goes to
/// `on_item`.
pub fn read_csv(
    path: &Path,
    file: &str,
    kind: Kind,
    scan: &Scan,
    diags: &mut Vec<Diagnostic>,
    on_item: &mut dyn FnMut(&Header, Item),
) -> io::Result<Option<u8>> {
    // Excel may write a first line `sep=;` naming the separator; otherwise it is detected from
    // the header line.
    let (delimiter, sep_line) = {
        let r = DecodeReader::new(File::open(path)?, scan.encoding);
        let head = text::head(r, 64 * 1024)?;
        let first = head.lines().next().unwrap_or("").trim();
        match first.strip_prefix("sep=").map(|d| d.as_bytes()) {
            Some([d]) if matches!(d, b';' | b',' | b'\t' | b'|') => (*d, true),
            _ => (text::detect_delimiter(&head), false),
        }
    };
    let reader = text::LineIndex::new(DecodeReader::new(
        BufReader::new(File::open(path)?),
        scan.encoding,
    ));
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        // Records end at LF only (a CR before it is trimmed with the cell): the csv crate's line
        // numbers lag by one per record on CRLF files otherwise.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let read = |csv: &mut csv::Reader<_>, rec: &mut csv::StringRecord| -> io::Result<bool> {
        match text::read_record(csv, rec) {
            Ok(more) => Ok(more),
            Err(e) => match e.into_kind() {
                csv::ErrorKind::Io(e) => Err(e),
                other => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("строка CSV не разбирается ({other:?})"),
                )),
            },
        }
    };
    if sep_line {
        // `sep=;` holds no delimiter of its own kind, so it is read as a one-field record.
        read(&mut csv, &mut record)?;
    }
    if !read(&mut csv, &mut record)? {
        diags.push(Diagnostic::warning(
            file,
            Text::new(
                "файл пуст: нет даже строки заголовка",
                "the file is empty: not even a header line",
            ),
        ));
        return Ok(Some(delimiter));
    }
    let header_line = record.position().map(|p| p.line()).unwrap_or(1);
    if record.len() > super::table::MAX_FIELDS {
        diags.push(super::table::too_wide(file, (header_line, record.len())));
        return Ok(None);
    }
    let names: Vec<String> = record.iter().map(|s| s.to_string()).collect();
    let positions: Vec<(u64, u64)> = (0..names.len())
        .map(|i| (header_line, i as u64 + 1))
        .collect();
    let (h, map) = header(kind, file, &names, &positions, diags);
    let width = names.len();
    let ncols = kind.columns().len();
    let odd_quotes = scan.quotes % 2 == 1;

    let rows = CsvRows {
        file,
        names,
        width,
        map,
        h,
        odd_quotes,
        delimiter,
        ncols,
    };
    let mut pending: Option<csv::StringRecord> = None;
    let mut process = |rec: &csv::StringRecord, last: bool| rows.process(rec, last, on_item);
    // One record of lookahead (to know which record is the last), with two buffers reused.
    let mut next = csv::StringRecord::new();
    loop {
        if !read(&mut csv, &mut next)? {
            break;
        }
        match &mut pending {
            Some(prev) => {
                process(prev, false);
                std::mem::swap(prev, &mut next);
            }
            None => pending = Some(std::mem::take(&mut next)),
        }
    }
    if let Some(prev) = pending {
        process(&prev, true);
    }
    Ok(Some(delimiter))
}

fn show_delim(d: u8) -> &'static str {
    match d {
        b';' => ";",
        b'\t' => "TAB",
        _ => ",",
    }
}

/// The header of a YAML file: every key used by any item, in order of first appearance, with
/// the position of its first use.
fn yaml_keys(
    items: &[serde_norway::Value],
    lines: &[&str],
    starts: &[u64],
) -> (Vec<String>, Vec<(u64, u64)>) {
    let mut keys: Vec<String> = Vec::new();
    let mut key_pos: Vec<(u64, u64)> = Vec::new();
    for (n, item) in items.iter().enumerate() {
        if let serde_norway::Value::Mapping(m) = item {
            for k in m.keys() {
                let k = scalar(k).unwrap_or_default();
                if !keys.contains(&k) {
                    let (l, c) = key_position(lines, starts, n, &k);
                    keys.push(k);
                    key_pos.push((l, c));
                }
            }
        }
    }
    (keys, key_pos)
}

/// A field's value as text: a list joined with `; `, a number as written (`id: 001` stays
/// `001`, `hours: 1.50` stays `1.50`); `None` for a map or other structure.
fn yaml_value(v: &serde_norway::Value, lines: &[&str], l: u64, c: u64) -> Option<String> {
    match v {
        serde_norway::Value::Sequence(s) => {
            let parts: Option<Vec<String>> = s.iter().map(scalar).collect();
            parts.map(|p| p.join("; "))
        }
        serde_norway::Value::Number(_) => raw_scalar(lines, l, c).or_else(|| scalar(v)),
        other => scalar(other),
    }
}

/// A YAML list item that is not a set of «field: value» pairs.
fn not_a_mapping(file: &str, line: u64) -> Item {
    let diag = Diagnostic::error(
        file,
        Text::new(
            "запись должна быть набором «поле: значение»",
            "a record must be a set of «field: value» pairs",
        ),
    )
    .at(line, None);
    Item::Broken {
        line,
        values: BTreeMap::new(),
        diag,
    }
}

/// Reads a YAML file: a list of mappings with the same keys as the CSV headers.
pub fn read_yaml(
    bytes: &[u8],
    encoding: Encoding,
    file: &str,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
    on_item: &mut dyn FnMut(&Header, Item),
) -> bool {
    let src = text::decode_all(bytes, encoding);
    if let Some(d) = yaml_too_deep(file, &src) {
        diags.push(d);
        return false;
    }
    let value: serde_norway::Value = match serde_norway::from_str(&src) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(file, &e));
            return false;
        }
    };
    let items = match value {
        serde_norway::Value::Null => Vec::new(),
        serde_norway::Value::Sequence(s) => s,
        _ => {
            diags.push(
                Diagnostic::error(
                    file,
                    Text::new(
                        "ожидается список записей (каждая начинается с «- »)",
                        "a list of records is expected (each starting with «- »)",
                    ),
                )
                .at(1u64, None),
            );
            return false;
        }
    };
    // An empty file (or one of comments only) holds no records, as an empty CSV file: a
    // warning, not a list of missing columns.
    if items.is_empty() {
        diags.push(Diagnostic::warning(
            file,
            Text::new(
                "файл пуст: записей в нём нет",
                "the file is empty: it holds no records",
            ),
        ));
        return true;
    }
    let lines: Vec<&str> = src.lines().collect();
    let starts = item_lines(&lines, items.len());
    let (keys, key_pos) = yaml_keys(&items, &lines, &starts);
    let (mut h, map) = header(kind, file, &keys, &key_pos, diags);
    // In YAML each record has its own positions; the header's are only those of the first use.
    h.cols.iter_mut().for_each(|c| *c = None);
    let ncols = kind.columns().len();
    for (n, item) in items.into_iter().enumerate() {
        let line = starts.get(n).copied().unwrap_or(1);
        let serde_norway::Value::Mapping(m) = item else {
            on_item(&h, not_a_mapping(file, line));
            continue;
        };
        let mut cells: Vec<Option<Cell>> = vec![None; ncols];
        let mut extra = Extra::new();
        let mut broken: Option<Diagnostic> = None;
        let mut values = BTreeMap::new();
        for (k, v) in m {
            let k = scalar(&k).unwrap_or_default();
            let (l, c) = key_position(&lines, &starts, n, &k);
            let value = yaml_value(&v, &lines, l, c);
            let Some(value) = value else {
                broken.get_or_insert_with(|| {
                    Diagnostic::error(
                        file,
                        Text::new(
                            format!("поле «{k}»: ожидается простое значение или список"),
                            format!("field «{k}»: a plain value or a list is expected"),
                        ),
                    )
                    .at(l, Some(c))
                });
                continue;
            };
            let value = value.trim().to_string();
            if value.is_empty() {
                continue;
            }
            values.insert(k.clone(), value.clone());
            let idx = keys.iter().position(|x| *x == k);
            match idx.and_then(|i| map.get(i).copied().flatten()) {
                Some(c_idx) => {
                    cells[c_idx] = Some(Cell {
                        value,
                        line: l,
                        col: c,
                    })
                }
                None => {
                    extra.insert(k, value);
                }
            }
        }
        match broken {
            Some(diag) => on_item(&h, Item::Broken { line, values, diag }),
            None => on_item(&h, Item::Row(Row { line, cells, extra })),
        }
    }
    h.missing.is_none()
}

/// The plain scalar written at (line, column), without a trailing comment.
fn raw_scalar(lines: &[&str], line: u64, col: u64) -> Option<String> {
    let l = lines.get((line as usize).checked_sub(1)?)?;
    let rest: String = l.chars().skip((col as usize).saturating_sub(1)).collect();
    let rest = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => &rest,
    };
    let t = rest.trim();
    let plain = !t.is_empty()
        && !t.starts_with(['[', '{', '"', '\'', '&', '*', '!', '|', '>'])
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    plain.then(|| t.to_string())
}

/// A YAML scalar as text; `None` for mappings; empty for null.
fn scalar(v: &serde_norway::Value) -> Option<String> {
    match v {
        serde_norway::Value::Null => Some(String::new()),
        serde_norway::Value::Bool(b) => Some(if *b { "да" } else { "нет" }.to_string()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// Is this schema column a date (Excel may store it as a serial day number)?
fn is_date_column(name: &str) -> bool {
    name == "date" || name == "start" || name == "end" || name.ends_with("_date")
}

/// Reads a table (a sheet of a workbook) of one record kind: the first row is the header.
/// Date columns holding a bare number (an Excel serial date) become `dd.mm.yyyy`.
pub fn read_table(
    table: &super::table::Table,
    file: &str,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
    on_item: &mut dyn FnMut(&Header, Item),
) {
    let Some((hline, names)) = table.first() else {
        diags.push(Diagnostic::warning(
            file,
            Text::new(
                "лист пуст: нет даже строки заголовка",
                "the sheet is empty: not even a header line",
            ),
        ));
        return;
    };
    let positions: Vec<(u64, u64)> = (0..names.len()).map(|i| (*hline, i as u64 + 1)).collect();
    let (h, map) = header(kind, file, names, &positions, diags);
    let ncols = kind.columns().len();
    for (line, rec) in table.rows.iter().skip(1) {
        let mut cells: Vec<Option<Cell>> = vec![None; ncols];
        let mut extra = Extra::new();
        for (i, v) in rec.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            match map.get(i).copied().flatten() {
                Some(c) => {
                    let mut value = v.clone();
                    if is_date_column(kind.columns()[c].name)
                        && let Ok(n) = value.parse::<f64>()
                        && let Some(d) = super::table::serial_date(n)
                    {
                        value = d.format("%d.%m.%Y").to_string();
                    }
                    cells[c] = Some(Cell {
                        value,
                        line: *line,
                        col: i as u64 + 1,
                    })
                }
                None => {
                    extra.insert(name_of(names, i), v.clone());
                }
            }
        }
        on_item(
            &h,
            Item::Row(Row {
                line: *line,
                cells,
                extra,
            }),
        );
    }
}

pub fn yaml_error(file: &str, e: &serde_norway::Error) -> Diagnostic {
    let original = e.to_string();
    // The position is in the diagnostic already.
    let original = match original.find(" at line ") {
        Some(i) => original[..i].to_string(),
        None => original,
    };
    let d = Diagnostic::error(
        file,
        Text::new(
            format!(
                "ошибка разметки YAML: {} ({original})",
                yaml_in_russian(&original)
            ),
            format!("YAML syntax error: {original}"),
        ),
    )
    .hint(Text::new(
        "проверьте отступы (пробелы, не табуляция) и двоеточия после имён полей",
        "check the indentation (spaces, not tabs) and the colons after field names",
    ));
    match e.location() {
        Some(loc) => d.at(loc.line() as u64, Some(loc.column() as u64)),
        None => d,
    }
}

/// What the YAML reader's (libyaml's) English message means, in Russian.
pub fn yaml_in_russian(msg: &str) -> &'static str {
    const KNOWN: &[(&str, &str)] = &[
        ("input contains invalid characters", "неверная дата"),
        ("premature end of input", "неверная дата"),
        ("trailing input", "неверная дата: лишние знаки"),
        ("input is out of range", "такой даты не бывает"),
        (
            "tab character",
            "табуляция в отступе: отступы делаются пробелами",
        ),
        (
            "mapping values are not allowed",
            "двоеточие с пробелом внутри значения: возьмите значение в кавычки",
        ),
        (
            "did not find expected key",
            "сбит отступ: ожидалось имя поля",
        ),
        (
            "did not find expected '-' indicator",
            "сбит отступ элемента списка (ожидался «- »)",
        ),
        (
            "did not find expected ',' or ']'",
            "не закрыта квадратная скобка «[» или пропущена запятая",
        ),
        (
            "did not find expected ',' or '}'",
            "не закрыта фигурная скобка «{» или пропущена запятая",
        ),
        ("did not find expected node content", "ожидалось значение"),
        (
            "found unexpected end of stream",
            "файл обрывается: не закрыта кавычка или скобка",
        ),
        (
            "unexpected end of stream",
            "файл обрывается: не закрыта кавычка или скобка",
        ),
        (
            "found unknown escape character",
            "неизвестная последовательность с «\\» в кавычках",
        ),
        (
            "found character that cannot start any plain token",
            "значение начинается со служебного знака (@, `, %, |, > …): возьмите его в кавычки",
        ),
        (
            "found undefined tag handle",
            "неизвестный тег «!»: возьмите значение в кавычки",
        ),
        (
            "could not find expected ':'",
            "нет двоеточия после имени поля",
        ),
        (
            "block sequence entries are not allowed",
            "элемент списка «- » там, где ожидалось значение поля",
        ),
        ("recursion limit exceeded", "слишком глубокая вложенность"),
        ("duplicate entry", "поле задано дважды"),
        ("invalid type", "значение не того вида"),
        ("missing field", "нет обязательного поля"),
        ("unknown field", "неизвестное поле"),
        ("unknown variant", "недопустимое значение"),
        ("invalid value", "недопустимое значение"),
        ("invalid length", "неверное число элементов"),
        (
            "control characters are not allowed",
            "управляющие символы в тексте не допускаются",
        ),
        ("invalid trailing UTF-8", "неверная кодировка символа"),
        ("invalid leading UTF-8", "неверная кодировка символа"),
        ("input is not valid UTF-8", "неверная кодировка символа"),
        ("anchor", "неверная ссылка YAML (& или *)"),
        ("alias", "неверная ссылка YAML (& или *)"),
    ];
    KNOWN
        .iter()
        .find(|(en, _)| msg.contains(en))
        .map(|(_, ru)| *ru)
        .unwrap_or("неверная разметка")
}

/// The deepest nesting a YAML file of Letopis may have (its records are two or three levels
/// deep); checked in one pass before the YAML reader, whose time grows with the square of the
/// depth.
pub const YAML_DEPTH_MAX: usize = 64;

/// An error for a YAML text nested deeper than [`YAML_DEPTH_MAX`] levels (flow `[ {` or block
/// `- ` and indentation), at the place where it gets too deep.
pub fn yaml_too_deep(file: &str, src: &str) -> Option<Diagnostic> {
    let mut flow = 0usize;
    for (i, line) in src.lines().enumerate() {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let mut block = indent / 2;
        let mut rest = body;
        while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
            block += 1;
            rest = r.trim_start_matches([' ', '\t']);
        }
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, ch) in line.chars().enumerate() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'')
                    if prev == ' ' || prev == '[' || prev == '{' || prev == ',' || prev == ':' =>
                {
                    quote = Some(ch)
                }
                (None, '#') if prev == ' ' || prev == '\t' || col == 0 => break,
                (None, '[' | '{') => flow += 1,
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            prev = ch;
            if flow + block > YAML_DEPTH_MAX {
                return Some(
                    Diagnostic::error(
                        file,
                        Text::new(
                            format!("вложенность глубже {YAML_DEPTH_MAX} уровней: файл не читается"),
                            format!("nested deeper than {YAML_DEPTH_MAX} levels: the file is not read"),
                        ),
                    )
                    .at(i as u64 + 1, Some(col as u64 + 1))
                    .hint(Text::new(
                        "записи Letopis — список полей глубиной в 2–3 уровня; проверьте, тот ли это файл",
                        "Letopis records are a list of fields 2–3 levels deep; check that this is the right file",
                    )),
                );
            }
        }
    }
    None
}

/// The 1-based line of each top-level list item (`- ` at the indentation of the first one).
fn item_lines(lines: &[&str], count: usize) -> Vec<u64> {
    let mut indent = None;
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let ind = l.len() - t.len();
        if !(t.starts_with("- ") || t == "-") {
            continue;
        }
        match indent {
            None => indent = Some(ind),
            Some(x) if x != ind => continue,
            _ => {}
        }
        out.push(i as u64 + 1);
    }
    if out.len() != count {
        // Flow style or something unusual: fall back to the first item's line for all.
        let first = out.first().copied().unwrap_or(1);
        return vec![first; count];
    }
    out
}

/// Line and column (of the value) of `key` inside item `n`.
fn key_position(lines: &[&str], starts: &[u64], n: usize, key: &str) -> (u64, u64) {
    let start = starts.get(n).copied().unwrap_or(1);
    let end = starts
        .get(n + 1)
        .copied()
        .filter(|e| *e > start)
        .unwrap_or(lines.len() as u64 + 1);
    let want = norm(key);
    for ln in start..end {
        let Some(l) = lines.get(ln as usize - 1) else {
            break;
        };
        let mut t = l.trim_start();
        if let Some(r) = t.strip_prefix("- ") {
            t = r.trim_start();
        }
        if let Some(colon) = t.find(':') {
            let k = t[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
            if norm(k) == want {
                let before = l.len() - t.len() + colon + 1;
                let value_start = before + (l[before..].len() - l[before..].trim_start().len());
                let col = l[..value_start].chars().count() as u64 + 1;
                return (ln, col);
            }
        }
    }
    (start, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect_yaml(src: &str, kind: Kind) -> (Vec<Item>, Vec<Diagnostic>) {
        let mut items = Vec::new();
        let mut diags = Vec::new();
        read_yaml(
            src.as_bytes(),
            Encoding::Utf8,
            "x.yaml",
            kind,
            &mut diags,
            &mut |_, i| items.push(i),
        );
        (items, diags)
    }

    #[test]
    fn yaml_items_have_lines_and_columns() {
        let src = "# programmes\n- id: ПК-1\n  kind: ПК\n  title: Основы\n  hours: 72\n\n- id: ПП-2\n  kind: ПП\n  title: \"Новая\"\n  hours: 256\n  цвет: синий\n";
        let (items, diags) = collect_yaml(src, Kind::Programmes);
        assert_eq!(items.len(), 2);
        let Item::Row(r) = &items[1] else { panic!() };
        assert_eq!(r.line, 7);
        let hours = r.cells[3].as_ref().unwrap();
        assert_eq!(
            (hours.value.as_str(), hours.line, hours.col),
            ("256", 10, 10)
        );
        assert_eq!(r.extra.get("цвет").map(String::as_str), Some("синий"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(11));
    }

    #[test]
    fn yaml_numbers_are_kept_as_written() {
        let src = "- id: 007\n  kind: ПК\n  title: Т\n  hours: 72 # часов\n- {id: 8, kind: ПК, title: Т, hours: 1.50}\n";
        let (items, _) = collect_yaml(src, Kind::Programmes);
        let Item::Row(r) = &items[0] else { panic!() };
        assert_eq!(r.cells[0].as_ref().unwrap().value, "007");
        assert_eq!(r.cells[3].as_ref().unwrap().value, "72");
        let Item::Row(r) = &items[1] else { panic!() };
        assert_eq!(r.cells[0].as_ref().unwrap().value, "8");
        assert_eq!(r.cells[3].as_ref().unwrap().value, "1.5");
    }

    #[test]
    fn yaml_syntax_error_has_position() {
        let (items, diags) = collect_yaml("- id: 1\n  kind: [\n", Kind::Programmes);
        assert!(items.is_empty());
        assert!(diags[0].line.is_some());
    }
}
