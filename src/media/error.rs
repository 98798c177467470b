//! The media stage's error type: each names the medium or file and says what to do.

use crate::l10n::size;
use crate::model::{Lang, Text};
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
        let (ru_hint, en_hint) = match IoCause::of(e) {
            // `need`: the archive's size when known (0 before it is).
            IoCause::Full if need > 0 => (
                format!(
                    "на носителе не хватает места (архив занимает {}): освободите место или возьмите другой носитель и повторите запись",
                    size(Lang::Ru, need)
                ),
                format!(
                    "the medium is full (the archive takes {}): free some space or use another medium and write again",
                    size(Lang::En, need)
                ),
            ),
            IoCause::Full => (
                "на носителе не хватает места: освободите место или возьмите другой носитель и повторите запись".to_string(),
                "the medium is full: free some space or use another medium and write again".to_string(),
            ),
            IoCause::Gone => (
                "носитель недоступен или неисправен (извлечён?): подключите его снова или возьмите другой и повторите запись".to_string(),
                "the medium is unavailable or faulty (removed?): reconnect it or use another one and write again".to_string(),
            ),
            IoCause::ReadOnly => (
                "на носитель нельзя записывать: снимите защиту от записи или проверьте права".to_string(),
                "the medium is not writable: remove write protection or check permissions".to_string(),
            ),
            IoCause::Other => (
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

/// What an I/O error on a medium means for the person at the computer, read from
/// [`io::ErrorKind`] first and from the platform's own codes where the kind is too coarse
/// (Unix `EIO`, Windows `ERROR_NOT_READY` are both "other" to std).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoCause {
    /// No space left or quota exceeded.
    Full,
    /// The device is gone or faulty: removed stick, I/O error, missing folder.
    Gone,
    /// Write-protected or not permitted.
    ReadOnly,
    Other,
}

impl IoCause {
    pub fn of(e: &io::Error) -> IoCause {
        use io::ErrorKind as K;
        match e.kind() {
            K::StorageFull | K::QuotaExceeded => return IoCause::Full,
            K::ReadOnlyFilesystem | K::PermissionDenied => return IoCause::ReadOnly,
            K::NotFound | K::StaleNetworkFileHandle => return IoCause::Gone,
            _ => {}
        }
        match e.raw_os_error() {
            Some(code) => IoCause::of_code(code),
            None => IoCause::Other,
        }
    }

    #[cfg(unix)]
    fn of_code(code: i32) -> IoCause {
        match code {
            libc::ENOSPC | libc::EDQUOT => IoCause::Full,
            libc::EIO | libc::ENODEV | libc::ENXIO | libc::ENOENT => IoCause::Gone,
            libc::EROFS | libc::EACCES | libc::EPERM => IoCause::ReadOnly,
            _ => IoCause::Other,
        }
    }

    #[cfg(windows)]
    fn of_code(code: i32) -> IoCause {
        use windows_sys::Win32::Foundation as w;
        match code as u32 {
            w::ERROR_DISK_FULL | w::ERROR_HANDLE_DISK_FULL | w::ERROR_DISK_QUOTA_EXCEEDED => {
                IoCause::Full
            }
            w::ERROR_NOT_READY
            | w::ERROR_DEVICE_NOT_CONNECTED
            | w::ERROR_DEV_NOT_EXIST
            | w::ERROR_CRC
            | w::ERROR_GEN_FAILURE
            | w::ERROR_IO_DEVICE
            | w::ERROR_SECTOR_NOT_FOUND
            | w::ERROR_READ_FAULT
            | w::ERROR_WRITE_FAULT
            | w::ERROR_DEVICE_REMOVED
            | w::ERROR_FILE_NOT_FOUND
            | w::ERROR_PATH_NOT_FOUND
            | w::ERROR_INVALID_DRIVE => IoCause::Gone,
            w::ERROR_WRITE_PROTECT | w::ERROR_ACCESS_DENIED => IoCause::ReadOnly,
            _ => IoCause::Other,
        }
    }

    #[cfg(not(any(unix, windows)))]
    fn of_code(_: i32) -> IoCause {
        IoCause::Other
    }
}

#[cfg(test)]
mod tests {
    use super::{IoCause, MediaError};
    use std::io;
    use std::path::Path;

    #[test]
    fn a_full_medium_gives_the_archive_size_only_when_it_is_known() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let m = Path::new("E:");
        let t = MediaError::medium_io(m, &m.join("x"), &full, 3 << 30).text();
        assert!(
            t.ru.contains("не хватает места (архив занимает 3,0 ГБ)"),
            "{}",
            t.ru
        );
        assert!(t.en.contains("the archive takes 3.0 GB"), "{}", t.en);
        let t = MediaError::medium_io(m, &m.join("x"), &full, 0).text();
        assert!(
            t.ru.contains("не хватает места: освободите место"),
            "{}",
            t.ru
        );
        assert!(
            !t.ru.contains("занимает") && !t.en.contains("takes"),
            "{}",
            t.en
        );
    }

    #[test]
    fn causes_come_from_the_kind_and_the_platform_code() {
        assert_eq!(
            IoCause::of(&io::ErrorKind::StorageFull.into()),
            IoCause::Full
        );
        assert_eq!(IoCause::of(&io::ErrorKind::NotFound.into()), IoCause::Gone);
        assert_eq!(
            IoCause::of(&io::ErrorKind::PermissionDenied.into()),
            IoCause::ReadOnly
        );
        assert_eq!(IoCause::of(&io::Error::other("x")), IoCause::Other);
        #[cfg(unix)]
        {
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(libc::EIO)),
                IoCause::Gone
            );
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(libc::EDQUOT)),
                IoCause::Full
            );
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(libc::EROFS)),
                IoCause::ReadOnly
            );
        }
        #[cfg(windows)]
        {
            // Win32 code 5 is "access denied", not Unix EIO.
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(5)),
                IoCause::ReadOnly
            );
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(21)),
                IoCause::Gone
            );
            assert_eq!(
                IoCause::of(&io::Error::from_raw_os_error(112)),
                IoCause::Full
            );
        }
    }
}
