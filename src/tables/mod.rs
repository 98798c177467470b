//! Stage 3b (after [`crate::render`], before [`crate::search`]): the period's records as open data
//! inside the archive, in `data/records/` (see [`crate::model::tables`] for the tables):
//!
//! - one CSV file per table ([`csv`]): UTF-8 without BOM, `,` separated, CRLF line ends (RFC 4180),
//!   one header row of English column names, ISO dates, `.` decimals;
//! - `datapackage.json` ([`package`]): a Frictionless Data Package with a Table Schema per table
//!   (types, required columns, primary and foreign keys, Russian titles and descriptions), the
//!   archive's name, period and organisation, and Letopis's configuration for a rebuild;
//! - `<archive>.xlsx` ([`xlsx`]): the same tables for people, one sheet per table.
//!
//! Everything is streamed row by row from the model (a period may hold millions of attendance
//! marks) and byte-deterministic. The files are added to the payload, so the bag's manifest and the
//! signature cover them.

pub mod csv;
pub mod package;
pub mod rows;
pub mod xlsx;
mod zip_host;

use crate::layout::Payload;
use crate::model::tables::{self, TABLES};
use crate::model::{Period, Text};
use std::path::{Path, PathBuf};

/// A file of `data/records/` that could not be written. Displays in Russian; [`TablesError::text`]
/// gives both languages.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {}", message.ru)]
pub struct TablesError {
    pub path: PathBuf,
    pub message: Text,
    /// The medium was full. Said by the error itself: the workbook's temporary files take their
    /// space back as the failed workbook is dropped, so the medium's free space no longer shows it.
    pub full: bool,
}

impl TablesError {
    /// An error whose own text (from the system or a library) is the same in both languages.
    pub fn new(path: &Path, e: impl std::fmt::Display) -> Self {
        let s = e.to_string();
        TablesError::said(path, Text::new(s.clone(), s))
    }

    /// An error with its words in both languages.
    pub fn said(path: &Path, message: Text) -> Self {
        TablesError {
            path: path.to_path_buf(),
            message,
            full: false,
        }
    }

    /// An I/O error, which may say that the medium is full.
    pub fn io(path: &Path, e: &std::io::Error) -> Self {
        TablesError {
            full: is_full(e),
            ..TablesError::new(path, e)
        }
    }

    /// The file and what went wrong, in both languages.
    pub fn text(&self) -> Text {
        let path = self.path.display();
        Text::new(
            format!("{path}: {}", self.message.ru),
            format!("{path}: {}", self.message.en),
        )
    }
}

/// No space left on the device (or the user's quota).
pub(crate) fn is_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(e.kind(), K::StorageFull | K::QuotaExceeded)
}

/// Writes `records/` into `work_dir` and adds its files to the payload. Returns the number of
/// files written.
pub fn write_into(
    period: &Period,
    work_dir: &Path,
    payload: &mut Payload,
) -> Result<usize, TablesError> {
    let dir = work_dir.join(tables::DIR);
    std::fs::create_dir_all(&dir).map_err(|e| TablesError::io(&dir, &e))?;
    let mut written = Vec::new();
    // The CSV files and the workbook are independent: one on each core.
    let name = period.config.archive_name();
    let book = tables::workbook(&name);
    let (csvs, book_done) = rayon::join(
        || -> Result<Vec<String>, TablesError> {
            let mut v = Vec::new();
            for t in &TABLES {
                let rel = format!("{}/{}", tables::DIR, t.file());
                csv::write(period, t, &work_dir.join(&rel))?;
                v.push(rel);
            }
            Ok(v)
        },
        || xlsx::write(period, &work_dir.join(&book)),
    );
    written.extend(csvs?);
    book_done?;
    written.push(book);
    let pkg = format!("{}/{}", tables::DIR, tables::PACKAGE);
    package::write(period, &work_dir.join(&pkg))?;
    written.push(pkg);
    for rel in &written {
        payload.add(rel.clone(), work_dir.join(rel));
    }
    Ok(written.len())
}
