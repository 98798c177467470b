//! A Russian administrator reads the command line's help and mistakes in Russian: no clap English
//! («Usage», «Options», «Print help», «error:», «[possible values]»).

mod common;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = common::cli::command().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn no_english(text: &str) {
    for english in [
        "Usage",
        "Options",
        "Commands",
        "Arguments",
        "Print help",
        "Print version",
        "error:",
        "possible values",
        "[default",
        "[OPTIONS]",
        "<COMMAND>",
    ] {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
}

#[test]
fn help_and_mistakes_are_in_russian() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    // Without a command, letopis runs its dialogue for a double-click: the command is optional.
    assert!(
        out.contains("Использование: letopis [ПАРАМЕТРЫ] [КОМАНДА]"),
        "{out}"
    );
    assert!(out.contains("Команды:") && out.contains("-h, --help         Показать справку"));
    no_english(&out);
    for sub in [
        "check",
        "build",
        "verify",
        "search",
        "retention",
        "init",
        "log",
    ] {
        let (code, out, _) = run(&[sub, "--help"]);
        assert_eq!(code, 0, "{sub}");
        assert!(
            out.contains(&format!("Использование: letopis {sub} ")),
            "{out}"
        );
        no_english(&out);
    }
    let (code, _, err) = run(&["bogus"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("letopis: ошибка: неизвестная команда «bogus»"),
        "{err}"
    );
    no_english(&err);
    let (code, _, err) = run(&["check", "x", "--lang", "xx"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("недопустимое значение «xx» для --lang <ЯЗЫК>; возможны: ru, en"),
        "{err}"
    );
    assert!(err.contains("Справка: letopis --help"), "{err}");
    no_english(&err);
    let (code, _, err) = run(&["verify"]);
    assert_eq!(code, 2);
    assert!(err.contains("не указано обязательное: <ПУТЬ>"), "{err}");
}
