//! Command-line interface: thin commands that call the pipeline stages.

pub mod build;
pub mod check;
mod clock;
pub mod dispose;
pub mod init;
pub mod init_templates;
pub mod keygen;
pub mod log;
pub mod pack;
pub mod repair;
pub mod retention;
pub mod seal_dir;
pub mod search;
pub mod verify;

pub mod dialogue;
pub mod help;

use crate::model::Lang;
use clap::{ArgAction, Parser, Subcommand};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Parser)]
#[command(
    name = "letopis",
    version,
    about = "Архив учебных записей: проверка, сборка, поиск",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Язык сообщений и справки: ru или en (без параметра — из LC_ALL, LC_MESSAGES, LANG)
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
    /// Результат и ошибки в JSON (для скриптов)
    #[arg(long, global = true)]
    pub json: bool,
    /// Без индикаторов и сводок: только ошибки
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Подробнее: этапы сборки с их временем, все файлы носителей
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Показать справку
    #[arg(short = 'h', long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// Показать версию
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Проверить папку выгрузки: сводка или полный список ошибок
    Check {
        /// Папка выгрузки
        folder: PathBuf,
    },
    /// Собрать архив периода на два носителя
    Build {
        /// Папка выгрузки
        folder: PathBuf,
        /// Носитель: папка, в которую записывается архив; дважды — для двух носителей
        #[arg(long, required = true)]
        out: Vec<PathBuf>,
        /// Пробная сборка: разрешает один носитель
        #[arg(long)]
        draft: bool,
        /// Папка собственных шаблонов вместо встроенных
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Записать рядом с архивом ещё и воспроизводимый zip с файлом .sha256
        #[arg(long)]
        zip: bool,
        /// Подписать архив закрытым ключом организации (letopis keygen); иначе signing_key: из
        /// letopis.yaml
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Проверить архивы: носитель, папку архива или zip (все контрольные суммы, чтением с носителя)
    Verify(verify::VerifyArgs),
    /// Восстановить повреждённую копию архива из исправной копии на другом носителе
    Repair(repair::RepairArgs),
    /// Упаковать архив в воспроизводимый zip (рядом — файл .sha256)
    Pack(pack::PackArgs),
    /// Показать журнал записей и проверок носителя
    Log(log::LogArgs),
    /// Создать ключ подписи организации Ed25519 (OpenSSH) для build --sign
    Keygen(keygen::KeygenArgs),
    /// Запечатать готовую папку как архив на носители (служебная команда)
    #[command(hide = true)]
    SealDir(seal_dir::SealDirArgs),
    /// Создать папку выгрузки по образцу вымышленного центра
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["folder", "templates"])))]
    Init {
        /// Новая или пустая папка
        folder: Option<PathBuf>,
        /// Записать встроенные шаблоны страниц архива в эту папку, чтобы изменить их
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Найти записи в архивах носителя, в папке архива или в zip-файле
    Search(search::SearchArgs),
    /// Сроки хранения: что истекает к дате, что хранится дальше; акт о выделении к уничтожению
    Retention(retention::RetentionArgs),
    /// Уничтожить архивы периодов по акту экспертной комиссии (только целиком истёкшие)
    Dispose(dispose::DisposeArgs),
    /// Напечатать сценарий дополнения команд для оболочки (bash, zsh, fish, powershell, elvish)
    Completions {
        /// Оболочка
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Напечатать страницу руководства man (roff)
    Manpage,
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

/// The language of the environment: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and
/// not empty, when it names Russian or English (`en_US.UTF-8` → English). `C`, `POSIX` and other
/// languages give `None`: the period's own language or Russian is used then.
pub fn env_lang() -> Option<Lang> {
    let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())?;
    lang_of_locale(&value)
}

/// `ru_RU.UTF-8` → Russian, `en_GB` → English, anything else `None`.
pub fn lang_of_locale(locale: &str) -> Option<Lang> {
    let code = locale
        .split(['_', '.', '@', '-'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match code.as_str() {
        "ru" => Some(Lang::Ru),
        "en" => Some(Lang::En),
        _ => None,
    }
}

static JSON: AtomicBool = AtomicBool::new(false);

/// Whether `--json` was given: errors are printed as JSON documents too.
pub fn json_mode() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Prints an error: `letopis: ошибка: …` on standard error, or with `--json` the document
/// `{"ok": false, "error": "…"}` on standard output (where a script reads the result).
pub fn print_error(message: &str, lang: Lang) {
    if json_mode() {
        let v = serde_json::json!({ "ok": false, "error": message });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        let label = match lang {
            Lang::Ru => "ошибка",
            Lang::En => "error",
        };
        let message = message
            .strip_prefix("ошибка: ")
            .or_else(|| message.strip_prefix("error: "))
            .unwrap_or(message);
        eprintln!("letopis: {label}: {message}");
    }
}

/// How much the commands print besides their result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// Parses the command line (help and errors in the language of `--lang` or the environment) and
/// runs the command; returns the process exit code.
pub fn main_with_args(args: Vec<std::ffi::OsString>) -> i32 {
    let lang = help::lang_before_parsing(&args);
    if let Some(dropped) = dialogue::wanted(&args) {
        return dialogue::run(dropped, lang);
    }
    // `letopis help [COMMAND]` is `letopis [COMMAND] --help` (clap's own help command is English).
    let mut args = args;
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let json = args.iter().any(|a| a == "--json");
    match help::parse(args, lang) {
        Ok(cli) => run(cli),
        Err(e) => help::print_clap_error(&e, lang, json),
    }
}

/// Runs the command and returns the process exit code:
/// 0 success, 1 data errors (or failed verification), 2 usage or I/O errors.
pub fn run(cli: Cli) -> i32 {
    let lang = cli.lang.map(Lang::from).or_else(env_lang);
    JSON.store(cli.json, Ordering::Relaxed);
    let out = Output {
        json: cli.json,
        quiet: cli.quiet,
        verbose: cli.verbose > 0,
    };
    let Some(command) = cli.command else {
        return help::no_command(lang.unwrap_or_default());
    };
    match command {
        Command::Check { folder } => check::run(&folder, lang, out),
        Command::Build {
            folder,
            out: media,
            draft,
            templates,
            zip,
            sign,
        } => build::run(build::Args {
            folder,
            out: media,
            draft,
            sign,
            quiet: out.quiet,
            verbose: out.verbose,
            json: out.json,
            templates,
            zip,
            lang,
        }),
        Command::Verify(mut a) => {
            (a.lang, a.json) = (lang.unwrap_or_default(), out.json);
            verify::run(a)
        }
        Command::Repair(mut a) => {
            a.lang = lang.unwrap_or_default();
            repair::run(a)
        }
        Command::Pack(mut a) => {
            a.lang = lang.unwrap_or_default();
            pack::run(a)
        }
        Command::Log(mut a) => {
            (a.lang, a.json) = (lang.unwrap_or_default(), out.json);
            log::run(a)
        }
        Command::Keygen(mut a) => {
            a.lang = lang.unwrap_or_default();
            keygen::run(a)
        }
        Command::SealDir(mut a) => {
            a.lang = lang.unwrap_or_default();
            seal_dir::run(a)
        }
        Command::Search(mut a) => {
            (a.lang, a.json) = (lang, out.json);
            search::run(a)
        }
        Command::Init { folder, templates } => {
            let lang = lang.unwrap_or_default();
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
        Command::Retention(mut a) => {
            (a.lang, a.json) = (lang.unwrap_or_default(), out.json);
            retention::run(a)
        }
        Command::Dispose(mut a) => {
            a.lang = lang.unwrap_or_default();
            dispose::run(a)
        }
        Command::Completions { shell } => help::completions(shell, lang.unwrap_or_default()),
        Command::Manpage => help::manpage(lang.unwrap_or_default()),
    }
}
