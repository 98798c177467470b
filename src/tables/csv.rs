//! One table as a CSV file, streamed through a buffered writer.

use super::TablesError;
use super::rows::{self, Cell};
use crate::model::Period;
use crate::model::tables::Table;
use std::fmt::Write as _;
use std::io::BufWriter;
use std::path::Path;

pub fn write(p: &Period, table: &Table, path: &Path) -> Result<(), TablesError> {
    let err = |e: &std::io::Error| TablesError::io(path, e);
    let file = std::fs::File::create(path).map_err(|e| err(&e))?;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BufWriter::with_capacity(256 * 1024, file));
    w.write_record(table.columns().map(|c| c.name))
        .map_err(|e| err(&io(e)))?;
    let mut buf = String::new();
    rows::each(p, table, &mut |cells| {
        for c in cells {
            let bytes: &[u8] = match c {
                Cell::Empty => b"",
                Cell::Str(s) => s.as_bytes(),
                Cell::Text(s) => s.as_bytes(),
                other => {
                    buf.clear();
                    format_value(&mut buf, other);
                    buf.as_bytes()
                }
            };
            w.write_field(bytes).map_err(io)?;
        }
        w.write_record(None::<&[u8]>).map_err(io)
    })
    .map_err(|e| err(&e))?;
    w.flush().map_err(|e| err(&e))?;
    Ok(())
}

/// The writer's error as the I/O error it is (a full medium stays a full medium).
fn io(e: ::csv::Error) -> std::io::Error {
    if !e.is_io_error() {
        return std::io::Error::other(e);
    }
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        kind => std::io::Error::other(format!("{kind:?}")),
    }
}

/// Numbers with a `.` decimal point and no exponent, dates `yyyy-mm-dd`, `true`/`false`.
pub fn format_value(buf: &mut String, c: &Cell) {
    let _ = match c {
        Cell::Int(i) => write!(buf, "{i}"),
        Cell::Num(x) => write!(buf, "{x}"),
        Cell::Date(d) => write!(buf, "{}", d.format("%Y-%m-%d")),
        Cell::Bool(b) => write!(buf, "{b}"),
        Cell::Str(s) => write!(buf, "{s}"),
        Cell::Text(s) => write!(buf, "{s}"),
        Cell::Empty => Ok(()),
    };
}
