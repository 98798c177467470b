//! Letopis: a period's platform exports → a self-contained, checksummed, searchable static HTML
//! archive on two media.
//!
//! One-way pipeline, one module per stage (see `docs/architecture.md`):
//! [`ingest`] (files → rows with positions → validated model) → [`render`] (tera pages) →
//! [`search`] (indexes) → [`seal`] (manifests, zip) → [`media`] (write, read back, verify,
//! repair) → [`retention`] (terms, acts, disposal on a medium). [`build`] drives the stages as a
//! library; commands in [`cmd`] only parse, call and print.
//!
//! Leaves every stage may use and that use no stage: [`l10n`] (plurals, dates, sizes, names of
//! values in both languages), [`layout`] (where every file of a medium and an archive lives),
//! [`model`] (the validated domain types), [`diag`] (problems with file, line and column).
//! `tests/layering.rs` checks this order against the code.
//!
//! Functions of the library stay under 100 lines (`clippy::too_many_lines`, an error under
//! `cargo clippy -- -D warnings`): a long flow is split along its steps, one function per step or
//! record kind. Unit-test fixtures that spell out a whole period are data and are not held to it.

#![cfg_attr(not(test), warn(clippy::too_many_lines))]

pub mod build;
pub mod cmd;
pub mod diag;
pub mod ingest;
pub mod l10n;
pub mod layout;
pub mod media;
pub mod model;
pub mod render;
pub mod retention;
pub mod seal;
pub mod search;
pub mod tables;
