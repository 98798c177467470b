//! Page paths inside an archive's `data/` folder, relative, `/` separators. Render writes these
//! pages; search links to them. Anchors inside pages: `#lesson-<slug>` on a group page,
//! `#order-<slug>`, `#doc-<slug>`, `#protocol-<slug>`, `#transfer-<slug>` on the registers.

use super::slug::slug;

pub const INDEX: &str = "index.html";
pub const LEARNERS: &str = "learners/index.html";
pub const ORDERS: &str = "orders.html";
pub const ISSUED: &str = "issued.html";
pub const PROTOCOLS: &str = "protocols.html";
pub const TRANSFERS: &str = "transfers.html";
pub const DOCUMENTS: &str = "documents/index.html";
pub const ATTACHMENTS: &str = "attachments.html";
pub const ABOUT: &str = "about.html";
pub const SEARCH: &str = "search.html";
pub const STYLE: &str = "assets/style.css";
/// Folder of the browser search shards and runtime (`search/search.js`).
pub const SEARCH_DIR: &str = "search";
/// Folder of the tantivy index used by `letopis search`.
pub const INDEX_DIR: &str = "index";
/// Folder of the verbatim input files.
pub const RAW_DIR: &str = "raw";
/// Folder of the attachment files (their input-relative paths are kept below it).
pub const FILES_DIR: &str = "files";

pub fn learner(id: &str) -> String {
    format!("learners/{}.html", slug(id))
}
pub fn group(id: &str) -> String {
    format!("groups/{}.html", slug(id))
}
pub fn programme(id: &str) -> String {
    format!("programmes/{}.html", slug(id))
}
pub fn document(id: &str) -> String {
    format!("documents/{}.html", slug(id))
}
/// An input file kept verbatim: `raw/<input-relative path>`.
pub fn raw(input_path: &str) -> String {
    format!("{RAW_DIR}/{input_path}")
}
/// An attachment file: `files/<input-relative path>`.
pub fn file(input_path: &str) -> String {
    format!("{FILES_DIR}/{input_path}")
}
pub fn anchor(prefix: &str, id: &str) -> String {
    format!("{prefix}-{}", slug(id))
}

/// What the medium's index and later archives read of an archive (`archive.json`).
pub const ARCHIVE_INFO: &str = "archive.json";
/// The retention facts of the period, for `letopis retention` (`retention.json`).
pub const FACTS_JSON: &str = "retention.json";
/// The retention page of the archive.
pub const FACTS_PAGE: &str = "retention.html";
