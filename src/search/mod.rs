//! Stage 4: search indexes (tantivy for the command line, `.js` shards for the browser).

pub mod browser;
pub mod docs;
pub mod engine;
pub mod index;
pub mod open;
pub mod query;
pub mod readonly;
pub mod text;

use crate::layout::Payload;
use crate::layout::paths;
use crate::model::Period;
use std::path::{Path, PathBuf};

/// Documents made and indexed at a time.
const DOCS_CHUNK: usize = 4096;

/// What [`build`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildStats {
    pub documents: usize,
    /// Files of the tantivy index (`data/index/`).
    pub index_files: usize,
    /// Files of the browser index (`data/search/`), the runtime included.
    pub browser_files: usize,
}

/// Builds both search indexes of `period` into `data_dir` (the work folder that becomes the
/// archive's `data/`): the tantivy index in `index/` and the browser index in `search/`, and adds
/// every file written to `payload`.
pub fn build(
    period: &Period,
    data_dir: &Path,
    payload: &mut Payload,
) -> Result<BuildStats, SearchError> {
    let docs = docs::Docs::new(period);
    let period_id = &period.config.period.id;
    let archive = period.config.archive_name();
    let title = period.config.period.title.as_deref().unwrap_or(period_id);
    let index_dir = data_dir.join(paths::INDEX_DIR);
    let search_dir = data_dir.join(paths::SEARCH_DIR);
    for dir in [&index_dir, &search_dir] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        }
    }
    // The documents are made a chunk at a time (the whole set is never held in memory), once
    // for each index: tantivy's in-memory segment (170 MB at 80,000 learners) is written out and
    // freed before the browser's word index (300 MB) is gathered. Built side by side, the two
    // were the peak of the build's memory; making the documents twice costs a few seconds.
    let mut index = index::Writer::new(period_id, &archive, &index_dir)?;
    for chunk in docs.chunks(DOCS_CHUNK) {
        index.add(&chunk)?;
    }
    let index_files = index.finish()?;
    let mut browser = browser::Builder::new(&archive, &search_dir)?;
    for chunk in docs.chunks(DOCS_CHUNK) {
        browser.add(&chunk)?;
    }
    let browser_files = browser.finish(period_id, title, &|ns: &[u32]| docs.pick(ns))?;
    for f in &index_files {
        payload.add(format!("{}/{f}", paths::INDEX_DIR), index_dir.join(f));
    }
    for f in &browser_files {
        payload.add(format!("{}/{f}", paths::SEARCH_DIR), search_dir.join(f));
    }
    Ok(BuildStats {
        documents: docs.len(),
        index_files: index_files.len(),
        browser_files: browser_files.len(),
    })
}

/// Errors of the search stage, with the file they concern.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Index(String),
}

impl SearchError {
    pub fn io(path: &Path, source: std::io::Error) -> SearchError {
        SearchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Index(e.to_string())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

#[cfg(test)]
use crate::model::fixture;
#[cfg(test)]
mod tests;
