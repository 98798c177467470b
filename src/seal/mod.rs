//! Stage 5: BagIt manifests, bag-info, zip.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything that goes under a bag's `data/`: path inside `data/` (`/` separators, e.g.
/// `learners/l-001.html`, `files/scans/order-12.pdf`, `raw/learners.csv`) → the file on disk to take
/// the bytes from. Generated pages point into a work folder; attachments and raw exports point
/// straight at the input folder, so large files are read only once, when they are written to the
/// media and hashed in the same pass. Sorted, so manifests are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payload {
    pub files: BTreeMap<String, PathBuf>,
}

impl Payload {
    pub fn add(&mut self, data_path: impl Into<String>, source: impl Into<PathBuf>) {
        self.files.insert(data_path.into(), source.into());
    }
}
