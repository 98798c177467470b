//! Command-line interface: thin commands that call the pipeline stages.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "letopis",
    version,
    about = "Архив учебных записей: проверка, сборка, поиск"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {}

/// Runs the command and returns the process exit code:
/// 0 success, 1 data errors (or failed verification), 2 usage or I/O errors.
pub fn run(cli: Cli) -> i32 {
    match cli.command {}
}
