//! The command line in Russian: clap writes its help headings («Usage», «Options»), the help and
//! version flags and its errors in English; a Russian administrator reads these instead.

use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, CommandFactory, FromArgMatches};

/// Parses the process's arguments; on a mistake prints a Russian message and exits with 2.
pub fn parse() -> Cli {
    let mut cmd = russian(Cli::command(), "");
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => exit_with(&mut cmd, e),
    };
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => exit_with(&mut cmd, e),
    }
}

/// A placeholder in Russian: `<FOLDER>` → `<ПАПКА>`; unknown ones stay.
fn placeholder(name: &str) -> Option<&'static str> {
    Some(match name {
        "FOLDER" | "DIR" | "TEMPLATES" => "ПАПКА",
        "OUT" | "MEDIUM" => "НОСИТЕЛЬ",
        "LANG" => "ЯЗЫК",
        "PATHS" | "PATH" | "PLACE" => "ПУТЬ",
        "QUERY" => "ЗАПРОС",
        "YEAR" => "ГОД",
        "GROUP" => "ГРУППА",
        "PROGRAMME" => "ПРОГРАММА",
        "KIND" => "ВИД",
        "LIMIT" => "ЧИСЛО",
        "DATE" | "AT" => "ДАТА",
        "ACT" => "АКТ",
        "FROM" => "ОТКУДА",
        "TO" => "КУДА",
        "ZIP" => "ZIP",
        _ => return None,
    })
}

/// Russian help layout, flags and placeholders for `cmd` and all its subcommands. `parent` is
/// the command line before this command (`letopis` for a subcommand), for its usage line.
fn russian(cmd: Command, parent: &str) -> Command {
    let cmd = cmd.mut_args(|a| {
        let named: Vec<String> = match a.get_value_names() {
            Some(v) => v.iter().map(|n| n.to_string()).collect(),
            None => vec![a.get_id().as_str().to_uppercase()],
        };
        if !a.get_action().takes_values() {
            return a;
        }
        // «[possible values: ru, en]», «[default: ru]» are English; the help texts say them.
        let a = a.hide_possible_values(true).hide_default_value(true);
        match named
            .iter()
            .map(|n| placeholder(n))
            .collect::<Option<Vec<_>>>()
        {
            Some(ru) => a.value_names(ru),
            None => a,
        }
    });
    let has_subcommands = cmd.get_subcommands().next().is_some();
    let has_positionals = cmd.get_positionals().next().is_some();
    let mut template = String::from("{about-with-newline}\nИспользование: {usage}\n");
    if has_subcommands {
        template.push_str("\nКоманды:\n{subcommands}\n");
    }
    if has_positionals {
        template.push_str("\nАргументы:\n{positionals}\n");
    }
    template.push_str("\nПараметры:\n{options}{after-help}");
    let cmd = cmd
        .help_template(template)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_value_name("КОМАНДА")
        .subcommand_help_heading("Команды")
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("Показать справку"),
        );
    let cmd = if cmd.get_version().is_some() {
        cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("Показать версию"),
        )
    } else {
        cmd
    };
    let mut built = cmd.clone();
    let usage = built
        .render_usage()
        .to_string()
        .trim_start_matches("Usage: ")
        .replace("[OPTIONS]", "[ПАРАМЕТРЫ]")
        .replace("<COMMAND>", "<КОМАНДА>");
    let path = if parent.is_empty() {
        cmd.get_name().to_string()
    } else {
        format!("{parent} {}", cmd.get_name())
    };
    let usage = match usage.split_once(' ') {
        Some((_, rest)) if !parent.is_empty() => format!("{path} {rest}"),
        _ => usage,
    };
    cmd.override_usage(usage)
        .mut_subcommands(|sub| russian(sub, &path))
}

fn value(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The message of a command-line mistake, in Russian.
fn message(e: &clap::Error) -> String {
    let arg = value(e, ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "неизвестная команда «{}»",
            value(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("неизвестный параметр «{arg}»"),
        ErrorKind::MissingRequiredArgument => format!("не указано обязательное: {arg}"),
        ErrorKind::MissingSubcommand => "не указана команда".to_string(),
        ErrorKind::InvalidValue => {
            let valid = value(e, ContextKind::ValidValue);
            let mut m = format!(
                "недопустимое значение «{}» для {arg}",
                value(e, ContextKind::InvalidValue)
            );
            if !valid.is_empty() {
                m.push_str(&format!("; возможные значения: {valid}"));
            }
            m
        }
        ErrorKind::ArgumentConflict => format!(
            "параметр {arg} нельзя указывать вместе с {}",
            value(e, ContextKind::PriorArg)
        ),
        // A value our own parser refused: its reason is already in Russian.
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(why) => format!("неверное значение параметра {arg}: {why}"),
            None => format!("неверное значение параметра {arg}"),
        },
        ErrorKind::NoEquals | ErrorKind::TooManyValues => {
            format!("неверное значение параметра {arg}")
        }
        _ => {
            // Any other kind: clap's own words, without its English «error:» prefix.
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("ошибка в командной строке: {first}")
        }
    }
}

fn exit_with(cmd: &mut Command, e: clap::Error) -> ! {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = cmd.print_help();
            println!();
            std::process::exit(2)
        }
        _ => {
            // The usage of the command that was typed, if it was one.
            let typed = std::env::args().nth(1).unwrap_or_default();
            let (usage, help) = match cmd.find_subcommand(&typed) {
                Some(sub) => (
                    sub.get_overridden_usage().map(|u| u.to_string()),
                    format!("letopis {typed} --help"),
                ),
                None => (
                    cmd.get_overridden_usage().map(|u| u.to_string()),
                    "letopis --help".to_string(),
                ),
            };
            eprintln!(
                "ошибка: {}\n\nИспользование: {}\n\nПодробнее: {help}",
                message(&e),
                usage.unwrap_or_default()
            );
            std::process::exit(2)
        }
    }
}
