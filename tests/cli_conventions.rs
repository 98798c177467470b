//! The command line's habits, on the real binary: the language from `--lang` or the environment
//! for help, errors and reports; `--json` documents (errors too); global `-q`; exit codes in the
//! help; shell completions and the man page.

mod common;
use std::path::{Path, PathBuf};
use std::process::Output;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// Runs `letopis args` with the locale variables given (all others removed).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = common::cli::command();
    c.args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn out(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out(o).1))
}

#[test]
fn help_is_wholly_in_the_chosen_language_with_exit_codes() {
    for args in [&["--help"][..], &["build", "--help"], &["search", "-h"]] {
        let (code, ru, _) = out(&run(args, &[]));
        assert_eq!(code, 0);
        for word in [
            "Использование: letopis",
            "Параметры:",
            "Коды завершения:",
            "  2  ",
        ] {
            assert!(ru.contains(word), "{args:?}: no {word}\n{ru}");
        }
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "Print",
            "[default",
            "possible",
            "OPTIONS",
            "<FOLDER>",
            "<QUERY>",
        ] {
            assert!(!ru.contains(english), "{args:?}: English «{english}»\n{ru}");
        }
        let (_, en, _) = out(&run(args, &[("LANG", "en_US.UTF-8")]));
        assert!(
            en.contains("Usage: letopis") && en.contains("Exit codes:"),
            "{en}"
        );
        assert!(!en.contains("Использование"), "{en}");
        let (_, en2, _) = out(&run(&[args, &["--lang", "en"]].concat(), &[]));
        assert_eq!(en, en2, "--lang en and LANG=en_US give the same help");
    }
    assert_eq!(
        out(&run(&["help", "build"], &[])).1,
        out(&run(&["build", "--help"], &[])).1
    );
    let (_, search, _) = out(&run(&["search", "--help"], &[]));
    let words = search.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("[по умолчанию: 20]"), "{search}");
}

#[test]
fn parsing_errors_in_the_chosen_language() {
    let (code, _, err) = out(&run(&["chek", "sample-data"], &[]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("letopis: ошибка: неизвестная команда «chek»; может быть, «check»?"),
        "{err}"
    );
    assert!(!err.contains("error") && !err.contains("Usage"), "{err}");
    let (code, _, err) = out(&run(&["check", "x", "--lang", "de"], &[]));
    assert_eq!(code, 2);
    assert!(
        err.contains("недопустимое значение «de» для --lang <ЯЗЫК>; возможны: ru, en"),
        "{err}"
    );
    let (_, _, err) = out(&run(&["chek"], &[("LC_ALL", "en_GB.UTF-8")]));
    assert!(
        err.starts_with("letopis: error: unknown command 'chek'"),
        "{err}"
    );
}

#[test]
fn the_environment_language_and_its_order() {
    let s = sample();
    let s = s.to_str().unwrap();
    let (code, en, _) = out(&run(&["check", s], &[("LANG", "en_US.UTF-8")]));
    assert_eq!(code, 0);
    assert!(en.contains("No errors: the data can be archived."), "{en}");
    assert!(en.contains("Learners:"), "{en}");
    // LC_ALL outranks LANG; --lang outranks both; C leaves the period's language (Russian).
    let (_, ru, _) = out(&run(
        &["check", s],
        &[("LANG", "en_US.UTF-8"), ("LC_ALL", "ru_RU.UTF-8")],
    ));
    assert!(
        ru.contains("Ошибок нет: данные готовы к архивированию."),
        "{ru}"
    );
    let (_, ru, _) = out(&run(
        &["--lang", "ru", "check", s],
        &[("LANG", "en_US.UTF-8")],
    ));
    assert!(ru.contains("Ошибок нет"), "{ru}");
    let (_, c, _) = out(&run(&["check", s], &[("LANG", "C.UTF-8")]));
    assert!(c.contains("Ошибок нет"), "{c}");
}

#[test]
fn json_reports_and_json_errors() {
    let s = sample();
    let s = s.to_str().unwrap();
    let o = run(&["check", s, "--json"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["errors"], 0);
    assert!(v["warnings"].as_u64().unwrap() >= 1);
    assert_eq!(v["problems"][0]["severity"], "warning");
    assert!(v["files"].as_array().unwrap().len() > 5);

    // An error is a JSON document on standard output too, with the exit code.
    let o = run(&["check", "/нет/такой/папки", "--json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["status"], "failed");
    assert!(
        v["problems"][0]["message"]["ru"]
            .as_str()
            .unwrap()
            .contains("/нет/такой/папки"),
        "{v}"
    );
    let o = run(&["verify", "/нет/такой/папки", "--json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["ok"], false);
    let o = run(&["search", "--json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        json(&o)["error"]
            .as_str()
            .unwrap()
            .starts_with("не указано обязательное")
    );

    // build and log.
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("a"), t.path().join("b"));
    let o = run(
        &[
            "build",
            s,
            "--out",
            a.to_str().unwrap(),
            "--out",
            b.to_str().unwrap(),
            "--json",
        ],
        &[],
    );
    let v = json(&o);
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["archive"], "gorizont-2025");
    let media = v["media"].as_array().unwrap();
    assert_eq!(media.len(), 2);
    assert!(
        media
            .iter()
            .all(|m| m["outcome"] == "written" && m["files"] == v["files"])
    );
    assert!(o.stderr.is_empty(), "{}", out(&o).2);
    let o = run(&["log", a.to_str().unwrap(), "--json"], &[]);
    let v = json(&o);
    assert_eq!(v["entries"][0]["action"], "build");
    assert_eq!(v["entries"][0]["outcome"], "ok");
    // Building again onto a non-medium: refused before anything is written.
    let o = run(&["build", s, "--out", a.to_str().unwrap(), "--json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(json(&o)["error"].as_str().unwrap().contains("--draft"));
}

#[test]
fn quiet_and_verbose_are_global() {
    let s = sample();
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("a");
    let o = run(
        &[
            "-q",
            "build",
            s.to_str().unwrap(),
            "--out",
            a.to_str().unwrap(),
            "--draft",
        ],
        &[],
    );
    let (code, stdout, _) = out(&o);
    assert_eq!(code, 0);
    assert_eq!(stdout, "", "-q prints nothing when all went well");
    let o = run(
        &[
            "build",
            s.to_str().unwrap(),
            "--out",
            a.to_str().unwrap(),
            "--draft",
            "-v",
        ],
        &[],
    );
    let (code, _, err) = out(&o);
    assert_eq!(code, 0, "{err}");
    for stage in [
        "letopis: чтение и проверка данных: ",
        "letopis: страницы: ",
        "letopis: поисковый индекс и таблицы; копирование страниц на носители: ",
        "letopis: запись, чтение с носителей и проверка: ",
    ] {
        // `letopis: страницы: 1,23 с, процессорное время 2,34 с`: wall and CPU time, in Russian
        // decimal commas.
        let line = err
            .lines()
            .find(|l| l.starts_with(stage))
            .unwrap_or_else(|| panic!("no {stage}\n{err}"));
        let rest = &line[stage.len()..];
        let (wall, cpu) = rest
            .split_once(" с, процессорное время ")
            .unwrap_or_else(|| panic!("{line}"));
        let cpu = cpu.strip_suffix(" с").unwrap_or_else(|| panic!("{line}"));
        for n in [wall, cpu] {
            let (a, b) = n.split_once(',').unwrap_or_else(|| panic!("{line}"));
            assert!(
                !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.len() == 2,
                "{line}"
            );
        }
    }
    let (code, _, err) = out(&run(&["check", "x", "-q", "-v"], &[]));
    assert_eq!(code, 2);
    assert!(err.contains("нельзя указывать вместе"), "{err}");
}

#[test]
fn completions_and_man_page() {
    let (code, bash, _) = out(&run(&["completions", "bash"], &[]));
    assert_eq!(code, 0);
    assert!(
        bash.contains("_letopis()") && bash.contains("complete -F _letopis"),
        "{bash}"
    );
    for sub in ["check", "build", "verify", "search", "retention"] {
        assert!(bash.contains(sub), "{sub}");
    }
    let (_, fish, _) = out(&run(&["completions", "fish"], &[]));
    assert!(fish.contains("complete -c letopis"), "{fish}");
    let (_, ps, _) = out(&run(&["completions", "powershell"], &[]));
    assert!(ps.contains("Register-ArgumentCompleter"), "{ps}");
    let (code, man, _) = out(&run(&["manpage"], &[]));
    assert_eq!(code, 0);
    assert!(man.contains(".TH letopis 1"), "{man}");
    assert!(man.contains("Коды завершения"), "{man}");
    let (_, man_en, _) = out(&run(&["manpage", "--lang", "en"], &[]));
    assert!(man_en.contains("Exit codes"), "{man_en}");
}

/// `letopis` with no arguments (a double-click) runs the Russian dialogue; answers come from a pipe.
fn dialogue(args: &[&str], answers: &str) -> (i32, String) {
    use std::io::Write;
    let mut child = common::cli::command()
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let (code, stdout, stderr) = out(&o);
    (code, stdout + &stderr)
}

#[test]
fn double_click_dialogue_checks_asks_for_two_media_and_builds() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("флешка 1"), t.path().join("флешка 2"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let s = sample();
    // A wrong folder first, then the sample in the quotes a dropped path gets; the same medium
    // twice is refused; then Enter to close.
    let answers = format!(
        "/нет/такой\n\"{}\"\n{}\n{}\n'{}'\n\n",
        s.display(),
        a.display(),
        a.display(),
        b.display()
    );
    let (code, text) = dialogue(&[], &answers);
    assert_eq!(code, 0, "{text}");
    for line in [
        "Папки «/нет/такой» нет. Попробуйте ещё раз.",
        "Ошибок нет: данные готовы к архивированию.",
        "Этот носитель уже выбран: нужен второй, другой.",
        "Готово: архив записан на оба носителя и проверен чтением с них.",
        "Нажмите Enter, чтобы закрыть окно.",
    ] {
        assert!(text.contains(line), "no «{line}» in\n{text}");
    }
    for m in [&a, &b] {
        assert!(m.join("gorizont-2025/manifest-sha256.txt").is_file());
    }
    assert!(!text.contains("error") && !text.contains("Usage"), "{text}");
}

#[test]
fn dropped_folder_with_errors_stops_after_the_check() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("learners.csv"), "id\n").unwrap();
    let (code, text) = dialogue(&[t.path().to_str().unwrap()], "\n");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("нет файла letopis.yaml"), "{text}");
    assert!(text.contains("Архив не собран: исправьте ошибки"), "{text}");
    assert!(text.contains("Нажмите Enter"), "{text}");
    // Nobody answering (input closed): the dialogue ends instead of waiting.
    let (code, text) = dialogue(&[], "");
    assert_eq!(code, 2, "{text}");
}
