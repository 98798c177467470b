//! Command-line interface: thin commands that call the pipeline stages.

pub mod build;
pub mod check;
pub mod dispose;
pub mod init;
pub mod init_templates;
pub mod log;
pub mod pack;
pub mod repair;
pub mod retention;
pub mod seal_dir;
pub mod search;
pub mod verify;

use crate::model::Lang;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
    /// Проверить папку выгрузки: сводка или полный список ошибок (check an input folder)
    Check {
        /// Папка выгрузки (input folder)
        folder: PathBuf,
        /// Язык сообщений: ru или en (language of messages)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Вывести проблемы и таблицу файлов в JSON (problems and the per-file table as JSON)
        #[arg(long)]
        json: bool,
    },
    /// Собрать архив периода на два носителя (build the period's archive on two media)
    Build {
        /// Папка выгрузки (input folder)
        folder: PathBuf,
        /// Носитель: папка, в которую записывается архив; дважды — для двух носителей (medium)
        #[arg(long, required = true)]
        out: Vec<PathBuf>,
        /// Пробная сборка: разрешает один носитель (trial build: allows one medium)
        #[arg(long)]
        draft: bool,
        /// Без индикаторов и сводки, только ошибки (no progress bars or summary)
        #[arg(long, short)]
        quiet: bool,
        /// Папка собственных шаблонов вместо встроенных (folder of override templates)
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Записать рядом с архивом ещё и воспроизводимый zip с файлом .sha256 (also write a zip)
        #[arg(long)]
        zip: bool,
        /// Язык сообщений: ru или en (language of messages)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
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
    /// Создать папку выгрузки по образцу вымышленного центра (write a sample input folder)
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["folder", "templates"])))]
    Init {
        /// Новая или пустая папка (a new or empty folder)
        folder: Option<PathBuf>,
        /// Записать встроенные шаблоны страниц архива в эту папку, чтобы изменить их
        /// (write the built-in page templates into this folder to customise them)
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Язык сообщений: ru или en (language of messages)
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Найти записи в архивах носителя, в папке архива или в zip-файле (search archives)
    Search(search::SearchArgs),
    /// Сроки хранения: что истекает к дате, что хранится дальше; акт о выделении к уничтожению
    Retention(retention::RetentionArgs),
    /// Уничтожить архивы периодов по акту экспертной комиссии (только целиком истёкшие)
    Dispose(dispose::DisposeArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    Ru,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }
}

/// Runs the command and returns the process exit code:
/// 0 success, 1 data errors (or failed verification), 2 usage or I/O errors.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check { folder, lang, json } => check::run(&folder, lang.map(Lang::from), json),
        Command::Build {
            folder,
            out,
            draft,
            quiet,
            templates,
            zip,
            lang,
        } => build::run(build::Args {
            folder,
            out,
            draft,
            quiet,
            templates,
            zip,
            lang: lang.map(Lang::from),
        }),
        Command::Verify(a) => verify::run(a),
        Command::Repair(a) => repair::run(a),
        Command::Pack(a) => pack::run(a),
        Command::Log(a) => log::run(a),
        Command::SealDir(a) => seal_dir::run(a),
        Command::Search(a) => search::run(a),
        Command::Init {
            folder,
            templates,
            lang,
        } => {
            let lang = lang.map(Lang::from).unwrap_or_default();
            if let Some(dir) = templates {
                let code = init_templates::run(&dir, lang);
                if code != 0 {
                    return code;
                }
            }
            match folder {
                Some(folder) => init::run(&folder, lang),
                None => 0,
            }
        }
        Command::Retention(a) => retention::run(a),
        Command::Dispose(a) => dispose::run(a),
    }
}
