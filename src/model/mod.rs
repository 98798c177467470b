//! Validated domain types of one period: the contract between `ingest` (which builds them from input
//! files) and the later stages (`render`, `search`, `seal`), which only read them.
//!
//! Every record keeps its [`Origin`] (input file and line) so that any later message can point back at
//! the export it came from, and its `extra` columns (unknown columns are kept, never dropped).
//! All collections are sorted by id (or by their natural key) so that every later stage is
//! deterministic without sorting again.

pub mod config;
pub mod key;
pub mod retention;
pub mod tables;
pub mod types;

pub use config::*;
pub use types::*;

/// Every input file the pages link under `files/`: attachments and the files of orders, awards
/// and portfolio items. Sorted, without duplicates.
pub fn linked_files(p: &Period) -> Vec<&str> {
    let mut v: Vec<&str> = p.attachments.iter().map(|a| a.path.as_str()).collect();
    v.extend(p.orders.iter().filter_map(|o| o.file.as_deref()));
    v.extend(p.awards.iter().filter_map(|o| o.file.as_deref()));
    v.extend(p.portfolio.iter().filter_map(|o| o.file.as_deref()));
    v.sort_unstable();
    v.dedup();
    v
}

/// A small period built in code, for the unit tests of the stages (search, render).
#[cfg(test)]
#[path = "../../tests/common/period.rs"]
pub(crate) mod fixture;
#[cfg(test)]
use crate::model;
