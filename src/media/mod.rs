//! Stage 6: write bags to media, read back, verify, repair.
//!
//! - [`write_archive`]: one pass over the payload writes every file to all media and hashes it,
//!   then reads each copy back from the medium (page cache dropped) before the staging folder is
//!   renamed into place. `build` calls it with the rendered payload (see its docs).
//! - [`verify`]: checks a medium, a bag or a zip; [`repair`]: mends one copy from the other.
//! - [`log`]: the fixity log on each medium.

pub mod drives;
pub mod error;
pub use crate::layout::fsio;
pub mod log;
pub mod repair;
pub mod verify;
mod write;

pub use error::MediaError;
pub use write::{
    MediumOutcome, MediumReport, SealedArchive, WriteOptions, WriteReport, default_index_html,
    list_archives, write_archive,
};

/// The medium's list of archives, replaced atomically after each build.
pub use crate::layout::MEDIUM_INDEX as INDEX_HTML;
/// Prefix of the folder an archive is written into before it is complete: `<medium>/.letopis-staging-<name>/`.
pub use crate::layout::STAGING_PREFIX;
