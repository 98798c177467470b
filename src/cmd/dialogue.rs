//! `letopis` with no arguments (a double-click on `letopis.exe`) or with only a folder (one dropped
//! onto it): a short dialogue in the console for an administrator who does not live in a
//! terminal. Checks the folder (the same report as `check`), asks for the two media from a list of
//! the drives present, builds, shows the result and waits for Enter before the window closes.
//!
//! It reads answers line by line from standard input, so it can be driven by a pipe; at the end
//! of input it stops with exit code 2 instead of waiting.

use super::Output;
use crate::media::drives::{self, Drive};
use crate::model::Lang;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Whether the command line asks for the dialogue: nothing at all, or one existing folder that is
/// not a command or an option.
pub fn wanted(args: &[std::ffi::OsString]) -> Option<Option<PathBuf>> {
    match args {
        [_] => Some(None),
        [_, one] => {
            let p = PathBuf::from(one);
            let s = one.to_string_lossy();
            let command = super::help::command(Lang::Ru)
                .get_subcommands()
                .any(|c| c.get_name() == s);
            (!s.starts_with('-') && !command && p.is_dir()).then_some(Some(p))
        }
        _ => None,
    }
}

struct Talk<R: BufRead> {
    input: R,
    lang: Lang,
}

impl<R: BufRead> Talk<R> {
    fn say(&self, ru: &str, en: &str) {
        println!("{}", if self.lang == Lang::Ru { ru } else { en });
    }

    /// Asks and reads one answer, without surrounding spaces and the quotes a dropped path gets;
    /// `None` at the end of input.
    fn ask(&mut self, ru: &str, en: &str) -> Option<String> {
        print!("{}", if self.lang == Lang::Ru { ru } else { en });
        let _ = io::stdout().flush();
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => {
                println!();
                None
            }
            Ok(_) => Some(unquote(line.trim()).to_string()),
        }
    }

    fn wait_enter(&mut self) {
        let _ = self.ask(
            "\nНажмите Enter, чтобы закрыть окно.",
            "\nPress Enter to close the window.",
        );
    }
}

/// `"C:\Мои документы\выгрузка"` or `'/home/a b'` as pasted or dropped → the bare path.
fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn size(lang: Lang, bytes: u64) -> String {
    crate::l10n::size(lang, bytes)
}

/// How a drive is listed: `E:\  ФЛЕШКА, съёмный, свободно 14,2 ГБ`.
fn describe(d: &Drive, lang: Lang) -> String {
    let mut parts = Vec::new();
    if !d.label.is_empty() {
        parts.push(d.label.clone());
    }
    parts.push(match (d.removable, lang) {
        (true, Lang::Ru) => "съёмный".to_string(),
        (false, Lang::Ru) => "несъёмный".to_string(),
        (true, Lang::En) => "removable".to_string(),
        (false, Lang::En) => "fixed".to_string(),
    });
    if let Some(f) = d.free {
        parts.push(match lang {
            Lang::Ru => format!("свободно {}", size(lang, f)),
            Lang::En => format!("{} free", size(lang, f)),
        });
    }
    format!("{}  ({})", d.path.display(), parts.join(", "))
}

/// Runs the dialogue on standard input; returns the exit code.
pub fn run(dropped: Option<PathBuf>, lang: Lang) -> i32 {
    let stdin = io::stdin();
    run_with(stdin.lock(), dropped, lang, &drives::list())
}

/// The dialogue over any input and list of drives (for tests).
pub fn run_with<R: BufRead>(
    input: R,
    dropped: Option<PathBuf>,
    lang: Lang,
    drives: &[Drive],
) -> i32 {
    let mut t = Talk { input, lang };
    t.say(
        &format!(
            "Летопись {} — архив учебных записей. Справка по командам: letopis --help\n",
            env!("CARGO_PKG_VERSION")
        ),
        &format!(
            "Letopis {} — archive of learners' records. Commands: letopis --help\n",
            env!("CARGO_PKG_VERSION")
        ),
    );
    let code = talk(&mut t, dropped, drives);
    if code != 3 {
        t.wait_enter();
    }
    code.min(2)
}

/// The steps; 3 means the input ended (nobody to wait for).
fn talk<R: BufRead>(t: &mut Talk<R>, dropped: Option<PathBuf>, drives: &[Drive]) -> i32 {
    let lang = t.lang;
    // 1. The input folder, checked.
    let Some(folder) = input_folder(t, dropped) else {
        return 3;
    };
    t.say(
        &format!("\nПроверяю {} …\n", folder.display()),
        &format!("\nChecking {} …\n", folder.display()),
    );
    let quiet = Output {
        json: false,
        quiet: false,
        verbose: false,
    };
    let code = super::check::run(&folder, Some(lang), quiet);
    if code != 0 {
        t.say(
            "\nАрхив не собран: исправьте ошибки, показанные выше, и запустите программу снова.",
            "\nNo archive was built: fix the errors shown above and run the program again.",
        );
        return code;
    }

    // 2. Two media.
    let Some(media) = two_media(t, drives) else {
        return 3;
    };
    // 3. Build, with the report `build` prints.
    t.say(
        &format!(
            "\nЗаписываю архив на {} и {} …\n",
            media[0].display(),
            media[1].display()
        ),
        &format!(
            "\nWriting the archive to {} and {} …\n",
            media[0].display(),
            media[1].display()
        ),
    );
    let code = super::build::run(super::build::Args {
        folder,
        out: media,
        draft: false,
        quiet: false,
        verbose: false,
        json: false,
        templates: None,
        zip: false,
        // The key, if any, comes from `signing_key:` of letopis.yaml.
        sign: None,
        lang: Some(lang),
    });
    if code == 0 {
        t.say(
            "\nГотово: архив записан на оба носителя и проверен чтением с них.",
            "\nDone: the archive is on both media, verified by reading back.",
        );
    } else {
        t.say(
            "\nАрхив записан не на оба носителя: причины — в сообщениях выше.",
            "\nThe archive is not on both media: see the messages above.",
        );
    }
    code
}

/// Step 1: the input folder, dropped on the program or asked for; `None` when the input ended.
fn input_folder<R: BufRead>(t: &mut Talk<R>, dropped: Option<PathBuf>) -> Option<PathBuf> {
    if dropped.is_some() {
        return dropped;
    }
    loop {
        let a = t.ask(
            "Папка выгрузки (перетащите её в это окно мышью и нажмите Enter): ",
            "Input folder (drag it into this window and press Enter): ",
        )?;
        let p = PathBuf::from(&a);
        if !a.is_empty() && p.is_dir() {
            return Some(p);
        }
        t.say(
            &format!("Папки «{a}» нет. Попробуйте ещё раз."),
            &format!("There is no folder '{a}'. Try again."),
        );
    }
}

/// Step 2: two different media, from the list of drives or as paths; `None` when the input ended.
fn two_media<R: BufRead>(t: &mut Talk<R>, drives: &[Drive]) -> Option<Vec<PathBuf>> {
    let lang = t.lang;
    if drives.is_empty() {
        t.say(
            "\nСъёмных носителей не найдено: укажите папки на двух разных носителях.",
            "\nNo removable media found: give folders on two different media.",
        );
    } else {
        t.say(
            "\nНосители на этом компьютере:",
            "\nMedia on this computer:",
        );
        for (i, d) in drives.iter().enumerate() {
            println!("  {}) {}", i + 1, describe(d, lang));
        }
    }
    let mut media: Vec<PathBuf> = Vec::new();
    while media.len() < 2 {
        let (ru, en) = if media.is_empty() {
            (
                "Первый носитель (номер из списка или путь к папке): ",
                "First medium (a number from the list or a folder path): ",
            )
        } else {
            (
                "Второй носитель, другой (номер или путь): ",
                "Second, different medium (a number or a path): ",
            )
        };
        let a = t.ask(ru, en)?;
        let chosen = match a.parse::<usize>() {
            Ok(n) if (1..=drives.len()).contains(&n) => drives[n - 1].path.clone(),
            Ok(_) if !Path::new(&a).exists() => {
                t.say("Такого номера нет в списке.", "No such number in the list.");
                continue;
            }
            _ if a.is_empty() => continue,
            _ => PathBuf::from(&a),
        };
        if media.contains(&chosen) {
            t.say(
                "Этот носитель уже выбран: нужен второй, другой.",
                "This medium is already chosen: another one is needed.",
            );
            continue;
        }
        media.push(chosen);
    }

    Some(media)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_unquoted_and_commands_are_not_dialogues() {
        assert_eq!(
            unquote("\"C:\\Мои документы\\выгрузка\""),
            "C:\\Мои документы\\выгрузка"
        );
        assert_eq!(unquote("'/home/a b'"), "/home/a b");
        assert_eq!(unquote("plain"), "plain");
        let os = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(wanted(&os(&["letopis"])), Some(None));
        assert_eq!(wanted(&os(&["letopis", "--help"])), None);
        assert_eq!(wanted(&os(&["letopis", "check", "x"])), None);
        assert_eq!(wanted(&os(&["letopis", "/нет/такой"])), None);
        assert_eq!(
            wanted(&os(&["letopis", "/"])),
            Some(Some(PathBuf::from("/")))
        );
    }

    #[test]
    fn the_input_ending_stops_without_waiting() {
        let code = run_with(&b""[..], None, Lang::Ru, &[]);
        assert_eq!(code, 2);
    }
}
