//! Command-line interface: thin commands that call the pipeline stages.

pub mod log;
pub mod pack;
pub mod repair;
pub mod seal_dir;
pub mod verify;

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
    /// Проверить архивы: носитель, папку архива или zip (все контрольные суммы, чтением с носителя)
    Verify(verify::VerifyArgs),
    /// Восстановить повреждённую копию архива из исправной копии на другом носителе
    Repair(repair::RepairArgs),
    /// Упаковать архив в воспроизводимый zip (рядом — файл .sha256)
    Pack(pack::PackArgs),
    /// Показать журнал записей и проверок носителя
    Log(log::LogArgs),
    /// Запечатать готовую папку как архив на носители (служебная команда)
    #[command(hide = true)]
    SealDir(seal_dir::SealDirArgs),
}

/// Runs the command and returns the process exit code:
/// 0 success, 1 data errors (or failed verification), 2 usage or I/O errors.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Verify(a) => verify::run(a),
        Command::Repair(a) => repair::run(a),
        Command::Pack(a) => pack::run(a),
        Command::Log(a) => log::run(a),
        Command::SealDir(a) => seal_dir::run(a),
    }
}
