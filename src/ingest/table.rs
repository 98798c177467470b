//! Tables as the platforms write them: a delimited text file (any of `,` `;` TAB) or a sheet of an
//! Excel / OpenDocument workbook (via calamine), as rows of trimmed cells with their line (row)
//! numbers. Excel dates (serial numbers or date-formatted cells) come out as `dd.mm.yyyy`.

use super::text::{self, DecodeReader, Encoding, Scan};
use calamine::{Data, Reader};
use chrono::{Duration, NaiveDate};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// One table: a text file or one sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name for workbooks.
    pub sheet: Option<String>,
    /// `(line or row number, 1-based; cells trimmed)`, blank rows left out.
    pub rows: Vec<(u64, Vec<String>)>,
    /// The separator of a text file.
    pub delimiter: Option<u8>,
}

impl Table {
    /// The first non-blank row (the header of most formats).
    pub fn first(&self) -> Option<&(u64, Vec<String>)> {
        self.rows.first()
    }

    /// How a position in this table is shown: `file` or `file:sheet`.
    pub fn label(&self, file: &str) -> String {
        match &self.sheet {
            Some(s) => format!("{file}:{s}"),
            None => file.to_string(),
        }
    }
}

/// Is this file name one of a workbook?
pub fn is_workbook(rel: &str) -> bool {
    let l = rel.to_lowercase();
    l.ends_with(".xlsx") || l.ends_with(".xls") || l.ends_with(".ods") || l.ends_with(".xlsm")
}

/// Picks the separator from the first lines: like [`text::detect_delimiter`], but the header of an
/// attendance export is preceded by `Course<TAB>…` lines, so every line up to the first long one
/// counts.
/// Moodle also offers the colon: a header line with colons outside quotes and no other separator
/// is colon-separated (Moodle quotes the fields that contain one, `"Quiz: Test 1 (Real)"`).
fn delimiter(head: &str) -> u8 {
    let tabs = head.lines().take(5).filter(|l| l.contains('\t')).count();
    if tabs >= 2 {
        return b'\t';
    }
    let first = head.lines().next().unwrap_or("");
    let (mut quoted, mut colons, mut others) = (false, 0, 0);
    for ch in first.chars() {
        match ch {
            '"' => quoted = !quoted,
            ':' if !quoted => colons += 1,
            ',' | ';' | '\t' if !quoted => others += 1,
            _ => {}
        }
    }
    if colons > 0 && others == 0 {
        return b':';
    }
    text::detect_delimiter(head)
}

/// A cell of a date column: a workbook may hold the date as an Excel serial number.
pub fn date_text(t: &Table, v: String) -> String {
    if t.sheet.is_some()
        && let Ok(n) = v.parse::<f64>()
        && let Some(d) = serial_date(n)
    {
        return d.format("%d.%m.%Y").to_string();
    }
    v
}

/// Reads a delimited text file whole (exports are small: one course or group).
pub fn read_text(path: &Path, scan: &Scan) -> io::Result<Table> {
    read_text_rows(path, scan.encoding, usize::MAX)
}

/// The first `n` rows of a delimited text file, enough to recognise its format, without reading
/// the whole file (the encoding is told from its first 16 KiB).
pub fn peek_text(path: &Path, n: usize) -> io::Result<Table> {
    let mut head = Vec::new();
    File::open(path)?.take(16 * 1024).read_to_end(&mut head)?;
    let encoding = if head.starts_with(b"\xEF\xBB\xBF") {
        Encoding::Utf8Bom
    } else {
        match std::str::from_utf8(&head) {
            Ok(_) => Encoding::Utf8,
            // A character cut by the 16 KiB limit is not an error.
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1251,
        }
    };
    read_text_rows(path, encoding, n)
}

fn read_text_rows(path: &Path, encoding: Encoding, limit: usize) -> io::Result<Table> {
    let head = text::head(DecodeReader::new(File::open(path)?, encoding), 64 * 1024)?;
    let d = delimiter(&head);
    let reader = text::LineIndex::new(DecodeReader::new(
        BufReader::new(File::open(path)?),
        encoding,
    ));
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(d)
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader);
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    while rows.len() < limit {
        match text::read_record(&mut csv, &mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{:?}", e.into_kind()),
                ));
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((line, cells));
    }
    Ok(Table {
        sheet: None,
        rows,
        delimiter: Some(d),
    })
}

/// An Excel serial day number → date (the 1900 system, as Excel and LibreOffice write by default).
pub fn serial_date(v: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(v.floor() as i64))
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "да" } else { "нет" }.to_string(),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_datetime() && v >= 1.0 {
                match serial_date(v) {
                    Some(d) => d.format("%d.%m.%Y").to_string(),
                    None => v.to_string(),
                }
            } else {
                v.to_string()
            }
        }
        Data::DateTimeIso(s) => {
            match NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
                Ok(d) => d.format("%d.%m.%Y").to_string(),
                Err(_) => s.clone(),
            }
        }
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads every sheet of a workbook. Row numbers are the spreadsheet's own (1-based, as shown in
/// Excel), whatever the first used row.
pub fn read_workbook(path: &Path) -> Result<Vec<Table>, String> {
    // A damaged workbook must be an error, never a crash of the whole check.
    std::panic::catch_unwind(|| workbook(path))
        .unwrap_or_else(|_| Err("the file is damaged (the reader stopped)".into()))
}

fn workbook(path: &Path) -> Result<Vec<Table>, String> {
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let mut cells: Vec<String> = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(cell_text));
            if cells.iter().all(String::is_empty) {
                continue;
            }
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            rows.push((r0 as u64 + i as u64 + 1, cells));
        }
        out.push(Table {
            sheet: Some(name),
            rows,
            delimiter: None,
        });
    }
    Ok(out)
}

/// Column letters of a 1-based column number: 1 → A, 27 → AA.
pub fn column_letters(mut n: u64) -> String {
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        assert_eq!(serial_date(45667.0), NaiveDate::from_ymd_opt(2025, 1, 10));
        assert_eq!(serial_date(36526.0), NaiveDate::from_ymd_opt(2000, 1, 1));
        assert_eq!(serial_date(-3.0), None);
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(28), "AB");
    }
}
