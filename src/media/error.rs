//! The media stage's error type: each names the medium or file and says what to do.

use crate::model::Text;
use crate::seal::SealError;
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// An input file could not be read: nothing was written anywhere.
    #[error("{}", .0.ru)]
    Source(Text),
    /// Writing to, syncing or reading back from one medium failed.
    #[error("{}", .0.ru)]
    Medium(Text),
    /// The medium already holds a sealed archive of that name with other content.
    #[error("{}", .0.ru)]
    Exists(Text),
    /// The two copies cannot be compared or repaired from each other.
    #[error("{}", .0.ru)]
    Refused(Text),
    /// A path given on the command line is not what was expected.
    #[error("{}", .0.ru)]
    Usage(Text),
    #[error("{}", .0.text().ru)]
    Seal(#[from] SealError),
}

impl MediaError {
    pub fn text(&self) -> Text {
        match self {
            MediaError::Source(t)
            | MediaError::Medium(t)
            | MediaError::Exists(t)
            | MediaError::Refused(t)
            | MediaError::Usage(t) => t.clone(),
            MediaError::Seal(e) => e.text(),
        }
    }

    pub fn source_read(path: &std::path::Path, e: &io::Error) -> Self {
        MediaError::Source(Text::new(
            format!(
                "не удалось прочитать исходный файл {}: {e}; ничего не записано на носители",
                path.display()
            ),
            format!(
                "cannot read source file {}: {e}; nothing was written to the media",
                path.display()
            ),
        ))
    }

    /// An I/O failure on a medium, with advice that depends on its kind (full, removed, other).
    pub fn medium_io(
        medium: &std::path::Path,
        file: &std::path::Path,
        e: &io::Error,
        need: u64,
    ) -> Self {
        let m = medium.display();
        let what = file.display();
        let (ru_hint, en_hint) = match e.raw_os_error() {
            Some(libc::ENOSPC) | Some(libc::EDQUOT) => (
                format!(
                    "на носителе не хватает места (архиву нужно {} байт): освободите место или возьмите другой носитель и повторите запись",
                    need
                ),
                format!(
                    "the medium is full (the archive needs {need} bytes): free some space or use another medium and write again"
                ),
            ),
            Some(libc::EIO) | Some(libc::ENODEV) | Some(libc::ENXIO) | Some(libc::ENOENT) => (
                "носитель недоступен или неисправен (извлечён?): подключите его снова или возьмите другой и повторите запись".to_string(),
                "the medium is unavailable or faulty (removed?): reconnect it or use another one and write again".to_string(),
            ),
            Some(libc::EROFS) | Some(libc::EACCES) | Some(libc::EPERM) => (
                "на носитель нельзя записывать: снимите защиту от записи или проверьте права".to_string(),
                "the medium is not writable: remove write protection or check permissions".to_string(),
            ),
            _ => (
                "проверьте носитель и повторите запись".to_string(),
                "check the medium and write again".to_string(),
            ),
        };
        MediaError::Medium(Text::new(
            format!("носитель {m}: {what}: {e}; {ru_hint}"),
            format!("medium {m}: {what}: {e}; {en_hint}"),
        ))
    }
}
