//! The command line in the user's language: help, usage lines and parsing errors are Russian or
//! English as a whole (clap's own English fragments are replaced), exit codes are listed in the
//! help, and the same localised command gives shell completions and the man page.

use super::Cli;
use crate::model::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::io::Write as _;

/// The language asked for on the command line (`--lang en`, `--lang=en`) or by the environment,
/// known before parsing so that help and errors of the parse itself are in it.
pub fn lang_before_parsing(args: &[OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let value = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_string)
        };
        match value.as_deref() {
            Some("en") => return Lang::En,
            Some("ru") => return Lang::Ru,
            _ => {}
        }
    }
    super::env_lang().unwrap_or_default()
}

/// Exit codes, as the help lists them.
fn exit_codes(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => {
            "Коды завершения:\n  0  успешно\n  1  ошибки в данных, архив не прошёл проверку или отказ перезаписать другой архив\n  2  ошибка запуска или ввода-вывода: нет папки, носитель недоступен или переполнен"
        }
        Lang::En => {
            "Exit codes:\n  0  success\n  1  data errors, an archive failed verification, or a different archive was not overwritten\n  2  usage or I/O error: missing folder, medium unavailable or full"
        }
    }
}

/// English help of every command and argument (the Russian is in the doc comments).
fn english(path: &str) -> Option<&'static str> {
    Some(match path {
        "letopis" => "Archive of learners' records: check, build, search",
        "letopis.dropped" => {
            "Input folder dropped onto letopis.exe: check and build it in a dialogue"
        }
        "*.lang" => {
            "Language of messages and help: ru or en (without it: from LC_ALL, LC_MESSAGES, LANG)"
        }
        "*.json" => "Result and errors as JSON (for scripts)",
        "*.quiet" => "No progress bars or summaries: only errors",
        "*.verbose" => "More detail: build stages with their times, every file of the media",
        "*.help" => "Show help",
        "*.version" => "Show the version",
        "check" => "Check an input folder: a summary or the full list of problems",
        "check.folder" | "build.folder" => "Input folder",
        "build" => "Build the period's archive on two media",
        "build.out" => "Medium: the folder the archive is written into; twice for two media",
        "build.draft" => "Trial build: allows one medium",
        "build.templates" => "Folder of your own templates instead of the built-in ones",
        "build.zip" => "Also write a reproducible zip with a .sha256 file beside the archive",
        "verify" => {
            "Verify archives: a medium, an archive folder or a zip (every checksum, read from the medium)"
        }
        "verify.paths" => "Medium (all archives on it), archive folder or archive zip",
        "repair" => "Repair a damaged copy of an archive from a good copy on another medium",
        "pack" => "Pack an archive into a reproducible zip (with a .sha256 file beside it)",
        "log" => "Show the medium's log of writes and checks",
        "log.medium" => "Medium (the folder holding the archives and letopis-log.tsv)",
        "log.html" => "Report in HTML (for printing) instead of text",
        "init" => "Write an input folder modelled on a fictional centre",
        "init.folder" => "A new or empty folder",
        "init.templates" => "Write the built-in page templates into this folder to customise them",
        "search" => "Find records in the archives of a medium, an archive folder or a zip",
        "search.place" => "Medium (folder of archives), archive folder or archive zip",
        "search.query" => {
            "What to find: a surname in any case, a group, a topic, a document number, a SNILS…"
        }
        "search.year" => "Only records of this year",
        "search.group" => "Only records of this group (its code, e.g. ПК-12)",
        "search.programme" => "Only records of this programme (its code)",
        "search.kind" => {
            "Only records of this kind: learner, group, programme, certificate, order, protocol, transfer, lesson, document, attachment"
        }
        "search.limit" => "How many results to show (in all, over every archive)",
        "retention" => {
            "Retention terms: what expires by a date, what is kept longer; the act selecting records for destruction"
        }
        "dispose" => {
            "Destroy period archives by an act of the expert commission (only wholly expired ones)"
        }
        "completions" => "Print a shell completion script (bash, zsh, fish, powershell, elvish)",
        "completions.shell" => "Shell",
        "manpage" => "Print the man page (roff)",
        _ => return None,
    })
}

/// The command tree with help in `lang`: headings, usage, defaults and possible values, exit
/// codes.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = localise(Cli::command(), lang, "letopis");
    if lang == Lang::Ru {
        cmd.build();
        russian_usage(&mut cmd);
    }
    cmd
}

/// The usage lines with clap's `[OPTIONS]` in Russian (the command must be built, so that a
/// subcommand's usage starts with `letopis`).
fn russian_usage(cmd: &mut clap::Command) {
    let usage = cmd.render_usage().to_string();
    let usage = usage.split_once(": ").map_or(usage.as_str(), |(_, u)| u);
    let usage = usage.replace("[OPTIONS]", "[ПАРАМЕТРЫ]");
    *cmd = std::mem::take(cmd).override_usage(usage);
    for s in cmd.get_subcommands_mut() {
        russian_usage(s);
    }
}

fn localise(mut cmd: clap::Command, lang: Lang, path: &str) -> clap::Command {
    let ru = lang == Lang::Ru;
    let (usage_h, args_h, opts_h, cmds_h) = if ru {
        ("Использование", "Аргументы", "Параметры", "Команды")
    } else {
        ("Usage", "Arguments", "Options", "Commands")
    };
    if !ru && let Some(en) = english(path).or_else(|| english(cmd.get_name())) {
        cmd = cmd.about(en).long_about(None::<&str>);
    }
    cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading(cmds_h)
        .subcommand_value_name(if ru { "КОМАНДА" } else { "COMMAND" })
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage_h}: {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .after_help(exit_codes(lang))
        .mut_args(|a| {
            let id = a.get_id().to_string();
            let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            if !ru
                && let Some(en) = english(&format!("{path}.{id}"))
                    .or_else(|| english(&format!("*.{id}")))
            {
                help = en.to_string();
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
                .collect();
            let takes_value = a.get_action().takes_values();
            if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
                help.push_str(&format!(
                    " [{}: {}]",
                    if ru { "по умолчанию" } else { "default" },
                    defaults.join(", ")
                ));
            }
            let possible: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|p| !p.is_hide_set())
                .map(|p| p.get_name().to_string())
                .collect();
            if takes_value && !possible.is_empty() && !help.contains(&possible[0]) {
                help.push_str(&format!(
                    " [{}: {}]",
                    if ru { "возможны" } else { "possible values" },
                    possible.join(", ")
                ));
            }
            let heading = if a.is_positional() { args_h } else { opts_h };
            // Only names clap made from the id (`FOLDER`), not ones chosen by hand.
            let default_name = a
                .get_value_names()
                .is_none_or(|v| v.len() == 1 && v[0].as_str() == id.to_uppercase());
            let a = match russian_value_name(&id) {
                Some(name) if ru && takes_value && default_name => a.value_name(name),
                _ => a,
            };
            let a = a.help(help).help_heading(heading);
            if takes_value {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let p = name.clone();
        cmd = cmd.mut_subcommand(&name, |s| localise(s, lang, &p));
    }
    cmd
}

/// Russian names of the values in help and usage (clap shows the argument's id otherwise).
fn russian_value_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "folder" | "templates" | "dir" => "ПАПКА",
        "out" | "medium" => "НОСИТЕЛЬ",
        "lang" => "ЯЗЫК",
        "paths" => "ПУТЬ",
        "place" => "ГДЕ",
        "query" => "ЗАПРОС",
        "year" => "ГОД",
        "group" => "ГРУППА",
        "programme" => "ПРОГРАММА",
        "kind" => "ВИД",
        "limit" => "ЧИСЛО",
        "shell" => "ОБОЛОЧКА",
        "act" => "АКТ",
        "as_of" => "ДАТА",
        "bag" => "АРХИВ",
        "damaged" | "healthy" => "КОПИЯ",
        "config" => "ФАЙЛ",
        _ => return None,
    })
}

/// Parses the command line with the localised command.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Result<Cli, clap::Error> {
    let m = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&m)
}

fn ctx(e: &clap::Error, k: ContextKind) -> String {
    match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The message of a parsing error in `lang`, without clap's English.
pub fn clap_message(e: &clap::Error, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let arg = ctx(e, ContextKind::InvalidArg);
    let value = ctx(e, ContextKind::InvalidValue);
    let mut msg = match e.kind() {
        ErrorKind::UnknownArgument => {
            if ru {
                format!("неизвестный параметр «{arg}»")
            } else {
                format!("unknown option '{arg}'")
            }
        }
        ErrorKind::InvalidSubcommand => {
            let sub = ctx(e, ContextKind::InvalidSubcommand);
            if ru {
                format!("неизвестная команда «{sub}»")
            } else {
                format!("unknown command '{sub}'")
            }
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(e, ContextKind::ValidValue);
            match (ru, value.is_empty()) {
                (true, true) => format!("у {arg} нет значения; возможны: {valid}"),
                (true, false) => {
                    format!("недопустимое значение «{value}» для {arg}; возможны: {valid}")
                }
                (false, true) => format!("{arg} needs a value; possible: {valid}"),
                (false, false) => format!("invalid value '{value}' for {arg}; possible: {valid}"),
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            if ru {
                format!("недопустимое значение «{value}» для {arg}: {why}")
            } else {
                format!("invalid value '{value}' for {arg}: {why}")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            if ru {
                format!("не указано обязательное: {arg}")
            } else {
                format!("required and not given: {arg}")
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(e, ContextKind::PriorArg);
            if ru {
                format!("{arg} нельзя указывать вместе с {prior}")
            } else {
                format!("{arg} cannot be used with {prior}")
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues if ru => {
            format!("лишнее значение «{value}»")
        }
        ErrorKind::InvalidUtf8 => {
            if ru {
                "в параметрах есть текст не в UTF-8".to_string()
            } else {
                "a parameter is not valid UTF-8".to_string()
            }
        }
        _ => {
            if ru {
                "неверные параметры командной строки".to_string()
            } else {
                "invalid command line".to_string()
            }
        }
    };
    let suggested = ctx(e, ContextKind::SuggestedArg) + &ctx(e, ContextKind::SuggestedSubcommand);
    if !suggested.is_empty() {
        msg.push_str(&if ru {
            format!("; может быть, «{suggested}»?")
        } else {
            format!("; did you mean '{suggested}'?")
        });
    }
    msg
}

/// Prints help, version or a parsing error and returns the exit code (0 for help and version).
pub fn print_clap_error(e: &clap::Error, lang: Lang, json: bool) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A closed pipe (`letopis --help | head`) is not an error.
            let _ = write!(std::io::stdout(), "{}", e.render());
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", e.render());
            return 2;
        }
        _ => {}
    }
    let msg = clap_message(e, lang);
    if json {
        let v = serde_json::json!({ "ok": false, "error": msg });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return 2;
    }
    let usage = ctx(e, ContextKind::Usage);
    let usage = usage
        .split_once(": ")
        .map_or(usage.as_str(), |(_, u)| u)
        .trim();
    let (label, usage_h, help_h) = match lang {
        Lang::Ru => ("ошибка", "Использование", "Справка"),
        Lang::En => ("error", "Usage", "Help"),
    };
    eprintln!("letopis: {label}: {msg}\n");
    if !usage.is_empty() {
        eprintln!("{usage_h}: {usage}");
    }
    eprintln!("{help_h}: letopis --help");
    2
}

/// Options but no command (`letopis --lang en`): the help. With no arguments at all the
/// dialogue runs instead (`cmd::dialogue`).
pub fn no_command(lang: Lang) -> i32 {
    let _ = command(lang).print_help();
    0
}

/// `letopis completions SHELL`: the completion script (written whole, so a closed pipe is no
/// error).
pub fn completions(shell: clap_complete::Shell, lang: Lang) -> i32 {
    let mut cmd = command(lang);
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "letopis", &mut script);
    let _ = std::io::stdout().write_all(&script);
    0
}

/// `letopis manpage`: the man page in roff.
pub fn manpage(lang: Lang) -> i32 {
    let man = clap_mangen::Man::new(command(lang));
    let mut page = Vec::new();
    match man.render(&mut page) {
        Ok(()) => {
            let _ = std::io::stdout().write_all(&page);
            0
        }
        Err(e) => {
            super::print_error(&e.to_string(), lang);
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid_in_both_languages() {
        command(Lang::Ru).debug_assert();
        command(Lang::En).debug_assert();
    }

    #[test]
    fn locales_name_the_language() {
        use super::super::lang_of_locale;
        assert_eq!(lang_of_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(lang_of_locale("ru_RU.UTF-8"), Some(Lang::Ru));
        assert_eq!(lang_of_locale("ru"), Some(Lang::Ru));
        assert_eq!(lang_of_locale("C.UTF-8"), None);
        assert_eq!(lang_of_locale("de_DE"), None);
    }
}
