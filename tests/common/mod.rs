//! The one harness of the end-to-end tests, as ripgrep's `rgtest!` and mdBook's `BookTest`: a
//! fixture folder (the bundled sample or nothing) plus an overlay of files, the real `letopis`
//! binary run in it, and assertions on what it printed and on the files it built.
//!
//! - [`fixture`]: [`fixture::Fixture`], a temporary folder with an input in it, and [`fixture::Run`],
//!   one run of the binary with its exit code and output.
//! - [`cli`]: running the binary in a folder (every run skips the flushes unless a test asks for a
//!   durable run; see `LETOPIS_TEST_SKIP_SYNC` in docs/architecture.md).
//! - [`sample`]: the bundled sample as input, and its archive built once per test run, shared by
//!   every test binary that only reads it.
//! - [`html`]: the text of a page as a reader sees it.
//! - [`media`], [`chromium`]: a sealed two-media fixture, and the system Chromium.
//!
//! Snapshot assertions (`insta`) keep the exact messages and page texts under `tests/snapshots/`.
//! Each test file says `mod common;` and uses what it needs.
#![allow(dead_code, unused_imports)]

pub mod chromium;
pub mod cli;
pub mod fixture;
pub mod html;
pub mod media;
pub mod sample;

pub use fixture::{Fixture, Run};
