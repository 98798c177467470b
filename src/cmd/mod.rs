//! Command-line interface: thin commands that call the pipeline stages.

pub mod search;

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
pub enum Command {
    /// Найти записи в архивах носителя, в папке архива или в zip-файле.
    Search(search::SearchArgs),
}

/// Runs the command and returns the process exit code:
/// 0 success, 1 data errors (or failed verification), 2 usage or I/O errors.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Search(args) => search::run(args),
    }
}
