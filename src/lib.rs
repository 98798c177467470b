//! Letopis: a period's platform exports → a self-contained, checksummed, searchable static HTML
//! archive on two media.
//!
//! One-way pipeline, one module per stage:
//! [`ingest`] (files → rows with positions → validated model) → [`model`] (domain types) →
//! [`render`] (tera pages) → [`search`] (indexes) → [`seal`] (manifests, zip) →
//! [`media`] (write, read back, verify, repair). Commands in [`cmd`] are thin: they call the stages.

pub mod cmd;
pub mod diag;
pub mod ingest;
pub mod media;
pub mod model;
pub mod render;
pub mod retention;
pub mod seal;
pub mod search;
pub mod tables;
