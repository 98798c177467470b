//! Stage 6: write bags to media, read back, verify, repair.
//!
//! - [`write_archive`]: one pass over the payload writes every file to all media and hashes it,
//!   then reads each copy back from the medium (page cache dropped) before the staging folder is
//!   renamed into place. `seal-dir` calls it.
//! - [`Staging`] + [`write_staged`]: `build` locks the media and renders straight into the first
//!   medium's staging folder, then the same pass copies from there to the other media;
//!   [`Staging::start_early`] gives the pages a head start while the build makes its indexes
//!   (`early`).
//! - [`verify`]: checks a medium, a bag or a zip; [`repair`]: mends one copy from the other.
//! - [`log`]: the fixity log on each medium.

pub mod act;
pub mod compare;
mod copy;
pub mod drives;
mod early;
pub mod error;
pub mod expected;
pub mod interrupt;
pub mod log;
pub mod medium;
mod reads;
pub mod repair;
pub mod safe;
mod staging;
pub mod verify;
mod write;
pub mod zipcheck;

pub use error::MediaError;
pub use staging::Staging;
pub use write::{
    MediumOutcome, MediumReport, SealedArchive, WriteOptions, WriteReport, list_archives,
    write_archive, write_staged,
};

/// The medium's list of archives, replaced atomically after each build.
/// Prefix of the folder an archive is written into before it is complete: `<medium>/.letopis-staging-<name>/`.
/// `sha256sum` line of the medium's `index.html`, so that the page is covered like the archives.
pub const INDEX_SHA256: &str = "index.html.sha256";

/// Replaces the medium's `index.html` atomically, then its `index.html.sha256`.
pub fn write_index(medium: &std::path::Path, html: &str) -> std::io::Result<()> {
    crate::layout::fsio::write_atomic(&medium.join(crate::layout::MEDIUM_INDEX), html.as_bytes())?;
    let line = format!(
        "{}  {}\n",
        crate::seal::hash::sha256_hex(html.as_bytes()),
        crate::layout::MEDIUM_INDEX
    );
    crate::layout::fsio::write_atomic(&medium.join(INDEX_SHA256), line.as_bytes())
}

/// `letopis pack`: zips a bag only when it verifies (a damaged bag is never packed as if whole);
/// the zip is checked without extracting afterwards.
pub fn pack_verified(
    bag: &std::path::Path,
    out: &std::path::Path,
) -> Result<crate::seal::pack::PackReport, MediaError> {
    use crate::model::{Lang, Text};
    if !bag.join(crate::layout::BAGIT_TXT).is_file() {
        // Not a bag at all: the packer says so.
        return Ok(crate::seal::pack::pack(bag, out)?);
    }
    let check = verify::verify_bag(bag);
    if !check.ok() {
        let list = |lang| {
            check
                .problems
                .iter()
                .take(10)
                .map(|p| p.text(lang))
                .collect::<Vec<_>>()
                .join("; ")
        };
        return Err(MediaError::Refused(Text::new(
            format!(
                "архив {} не прошёл проверку ({}); zip не создан: сначала восстановите архив командой letopis repair {} --from <копия на другом носителе>",
                bag.display(),
                list(Lang::Ru),
                bag.display()
            ),
            format!(
                "archive {} failed its check ({}); no zip was made: repair it first with letopis repair {} --from <copy on the other medium>",
                bag.display(),
                list(Lang::En),
                bag.display()
            ),
        )));
    }
    let report = crate::seal::pack::pack(bag, out)?;
    let zc = verify::verify_zip(out);
    if !zc.ok() {
        let problems: Vec<String> = zc.problems.iter().map(|p| p.text(Lang::Ru)).collect();
        return Err(MediaError::Medium(Text::new(
            format!(
                "zip {} после записи не прошёл проверку: {}",
                out.display(),
                problems.join("; ")
            ),
            format!("zip {} failed its check after writing", out.display()),
        )));
    }
    Ok(report)
}
