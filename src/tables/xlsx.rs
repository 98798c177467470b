//! `records/<archive>.xlsx`: the tables for people. One sheet per table (Russian headers, real
//! dates, frozen header row, autofilter), written row by row. Codes are shown as their Russian
//! labels (`completed` → «завершил обучение»), yes/no as «да»/«нет».
//!
//! Rows go to a temporary file as they come (`rust_xlsxwriter`'s low-memory and constant-memory
//! modes). The attendance and grade sheets keep their texts in the workbook's table of distinct
//! strings, which stays in memory: the ids of lessons, items and learners repeat on every row, and
//! shared they make the file several times smaller and faster to compress. Every other sheet
//! writes its texts inline: half of the distinct strings of a period are the learners' own SNILS,
//! e-mails and phones, and the numbers of documents, which repeat nowhere (at 20,000 learners
//! 120,000 of the table's 245,000 strings), and a table of them would only cost memory.
//!
//! The temporary files (the sheets' XML, hundreds of MB for a large period) are made beside the
//! workbook, on the medium, and have no name there (deleted as they are opened); not in `TMPDIR`,
//! which may be small, full or missing on an office computer.
//!
//! A sheet holds at most 1,048,576 rows, so a longer table continues on sheets named
//! `Посещаемость (2)`, `(3)`… each with its own header. A cell holds at most 32,767 characters: a
//! longer text (a long Markdown document) is cut with a note pointing at the CSV file, which has
//! it whole. The document's creation time is the archive's build date, so builds are
//! byte-identical.

use super::TablesError;
use super::rows::{self, Cell};
use crate::model::tables::{Field, TABLES, Table, Type};
use crate::model::{Period, Text};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Data rows per sheet: Excel's 1,048,576 rows less the header.
pub const SHEET_ROWS: usize = 1_048_575;
/// Deflate level of the workbook's zip. Compressing the sheets was most of the records step: at
/// 20,000 learners (2,000,000 attendance and grade rows) saving took 7.9 s at the default level
/// 6 (54.1 MB), 1.9 s at 2 (65.1 MB), 1.4 s at 1 (103.4 MB); 2 keeps the file small for a
/// fifth of the time. The same level everywhere, so the bytes stay the same on every platform.
const ZIP_LEVEL: u8 = 2;
/// Longest text of a cell, in UTF-16 units (Excel's limit).
const CELL_MAX: usize = 32_767;
/// The tables whose sheets share their texts through the workbook's table of strings (see above).
pub const SHARED_STRINGS: [&str; 2] = ["attendance", "grades"];

fn date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// The workbook's error says the medium is full (writing a sheet's temporary file, or the file).
fn full(e: &XlsxError) -> bool {
    match e {
        XlsxError::IoError(io) | XlsxError::TempFileError(_, io) => super::is_full(io),
        _ => false,
    }
}

/// The sheet names of a table with `rows` rows.
pub fn sheet_names(t: &Table, rows: usize, per_sheet: usize) -> Vec<String> {
    let n = rows.div_ceil(per_sheet).max(1);
    (1..=n)
        .map(|i| {
            if i == 1 {
                t.title.to_string()
            } else {
                format!("{} ({i})", t.title)
            }
        })
        .collect()
}

fn clip<'a>(s: &'a str, file: &str) -> std::borrow::Cow<'a, str> {
    // A character takes no more UTF-16 units than UTF-8 bytes: most texts need no counting.
    if s.len() <= CELL_MAX - 200 {
        return s.into();
    }
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > CELL_MAX - 200 {
            return format!("{}… [текст обрезан: полностью — в файле {file}]", &s[..i]).into();
        }
    }
    s.into()
}

/// Adds a sheet with its header row, widths, frozen header and autofilter over `rows` data rows;
/// returns its index in the workbook.
fn add_sheet(
    wb: &mut Workbook,
    name: &str,
    t: &Table,
    rows: u32,
    head: &Format,
) -> Result<usize, XlsxError> {
    let ws = if SHARED_STRINGS.contains(&t.name) {
        wb.add_worksheet_with_low_memory()?
    } else {
        wb.add_worksheet_with_constant_memory()?
    };
    ws.set_name(name)?;
    let mut last = 0u16;
    for (j, col) in t.columns().enumerate() {
        let j = j as u16;
        last = j;
        ws.write_string_with_format(0, j, col.title, head)?;
        let width = match col.ty {
            Type::Date => 11.0,
            Type::Integer | Type::Number | Type::Boolean => 10.0,
            _ => 22.0,
        };
        ws.set_column_width(j, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.max(1), last)?;
    Ok(wb.worksheets().len() - 1)
}

/// Writes one cell: codes as their Russian labels, yes/no as «да»/«нет», dates as dates.
fn write_cell(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    cell: &Cell,
    field: &Field,
    day: &Format,
    file: &str,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Str(s) => {
            let label = field.values.iter().find(|(code, _)| code == s);
            match label {
                Some((_, label)) => ws.write_string(row, col, *label)?,
                None => ws.write_string(row, col, clip(s, file))?,
            };
        }
        Cell::Text(s) => {
            ws.write_string(row, col, clip(s, file))?;
        }
        Cell::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        Cell::Num(x) => {
            ws.write_number(row, col, *x)?;
        }
        Cell::Bool(b) => {
            ws.write_string(row, col, if *b { "да" } else { "нет" })?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, date(*d)?, day)?;
        }
    }
    Ok(())
}

pub fn write(p: &Period, path: &Path) -> Result<(), TablesError> {
    write_split(p, path, SHEET_ROWS)
}

/// [`write`] with at most `per_sheet` data rows on a sheet (smaller in tests of the split).
///
/// `rust_xlsxwriter` panics when it cannot write a sheet's temporary file (a full medium): the
/// panic is caught here and returned as the error it is, with whether the medium was full (the
/// panic's message carries the I/O error), and its default report on standard error is silenced.
pub fn write_split(p: &Period, path: &Path, per_sheet: usize) -> Result<(), TablesError> {
    silence_writer_panics();
    let book = std::panic::AssertUnwindSafe(|| write_book(p, path, per_sheet));
    std::panic::catch_unwind(book).unwrap_or_else(|panic| {
        let said = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("");
        let full = ["StorageFull", "QuotaExceeded"]
            .iter()
            .any(|k| said.contains(k));
        let message = if full {
            Text::new(
                "на носителе нет места для временного файла листа",
                "no space left on the medium for a sheet's temporary file",
            )
        } else {
            Text::new(
                format!("не удалось записать временный файл листа: {said}"),
                format!("could not write a sheet's temporary file: {said}"),
            )
        };
        Err(TablesError {
            full,
            ..TablesError::said(path, message)
        })
    })
}

/// Panics raised inside `rust_xlsxwriter` are not reported on standard error ([`write_split`]
/// returns them as errors); every other panic still is.
fn silence_writer_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ours = info
                .location()
                .is_some_and(|l| l.file().contains("rust_xlsxwriter"));
            if !ours {
                previous(info);
            }
        }));
    });
}

fn write_book(p: &Period, path: &Path, per_sheet: usize) -> Result<(), TablesError> {
    let per_sheet = per_sheet.clamp(1, SHEET_ROWS);
    let err = |e: &XlsxError| TablesError {
        full: full(e),
        ..TablesError::new(path, e)
    };
    let c = &p.config;
    let mut wb = Workbook::new();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    wb.set_tempdir(folder).map_err(|e| err(&e))?;
    let created = date(c.build_date()).map_err(|e| err(&e))?;
    let props = DocProperties::new()
        .set_title(format!(
            "Записи за период «{}»",
            c.period.title.as_deref().unwrap_or(&c.period.id)
        ))
        .set_company(&c.organisation.name)
        .set_author("Летопись")
        .set_comment("Таблицы data/records/ архива; описание столбцов — в datapackage.json")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let head = Format::new().set_bold();
    let day = Format::new().set_num_format("dd.mm.yyyy");
    for t in &TABLES {
        let total = crate::model::tables::row_count(p, t);
        let names = sheet_names(t, total, per_sheet);
        let file = t.file();
        let fields: Vec<&Field> = t.columns().collect();
        let rows_of = |i: usize| (total - i * per_sheet).min(per_sheet) as u32;
        let mut sheet = add_sheet(&mut wb, &names[0], t, rows_of(0), &head).map_err(|e| err(&e))?;
        let mut part = 0usize;
        let mut row: u32 = 0;
        let mut failure: Option<XlsxError> = None;
        let each = rows::each(p, t, &mut |cells| {
            let res = (|| -> Result<(), XlsxError> {
                if row as usize == per_sheet {
                    part += 1;
                    sheet = add_sheet(&mut wb, &names[part], t, rows_of(part), &head)?;
                    row = 0;
                }
                row += 1;
                let ws = wb.worksheet_from_index(sheet)?;
                for (j, cell) in cells.iter().enumerate() {
                    write_cell(ws, (row, j as u16), cell, fields[j], &day, &file)?;
                }
                Ok(())
            })();
            res.map_err(|e| {
                let io = std::io::Error::other(e.to_string());
                failure = Some(e);
                io
            })
        });
        if let Err(e) = each {
            return Err(match failure {
                Some(x) => err(&x),
                None => TablesError::io(path, &e),
            });
        }
    }
    wb.set_zip_compression_level(ZIP_LEVEL);
    wb.save(path).map_err(|e| err(&e))?;
    // The same bytes on Windows and Linux (see zip_host).
    super::zip_host::set_dos_host(path).map_err(|e| TablesError::io(path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The XML of the sheet named `title` in the workbook at `path`.
    fn sheet_xml(path: &Path, title: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let book = read("xl/workbook.xml");
        let at = book.find(&format!("<sheet name=\"{title}\"")).unwrap();
        let id = book[at..].split("sheetId=\"").nth(1).unwrap();
        let id = &id[..id.find('"').unwrap()];
        read(&format!("xl/worksheets/sheet{id}.xml"))
    }

    #[test]
    fn only_the_attendance_and_grades_share_their_texts() {
        for name in SHARED_STRINGS {
            assert!(TABLES.iter().any(|t| t.name == name), "{name}");
        }
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
        let (p, _) = crate::ingest::load(&sample).expect("sample-data loads");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.xlsx");
        write(&p, &path).unwrap();
        for t in &TABLES {
            let xml = sheet_xml(&path, t.title);
            let (shared, inline) = (xml.contains("t=\"s\""), xml.contains("t=\"inlineStr\""));
            if SHARED_STRINGS.contains(&t.name) {
                assert!(shared && !inline, "{}", t.name);
            } else {
                assert!(!shared, "{}", t.name);
            }
        }
        // The learners' own texts (their SNILS) are in their sheet, not in the shared table.
        assert!(sheet_xml(&path, "Слушатели").contains("<is><t>"));
    }
}
