//! The Windows build, run under wine: `letopis.exe` cross-built with mingw checks the sample,
//! builds it to two folders given as Windows paths (drive letter, backslashes), verifies them and
//! searches them; the archive must be byte-identical to the Linux build's (only the time column of
//! the fixity log differs).
//!
//! Needs the `x86_64-pc-windows-gnu` target, Debian's `gcc-mingw-w64-x86-64` and `wine`, which
//! `.ci/run` installs. Without them the test prints why and passes, except under CI (`CI` set),
//! where a missing tool is a failure, so the Windows build cannot silently go untested.
//!
//! Wine 8 (Debian 12) lacks `bcryptprimitives.dll`, whose `ProcessPrng` Rust's standard library
//! imports; the test builds a stand-in from `tests/wine/bcryptprimitives.c` with mingw and puts it
//! into the fresh wine prefix it makes (one per run, removed afterwards).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TARGET: &str = "x86_64-pc-windows-gnu";
const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn found(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Why the Windows build cannot be tested on this machine, if it cannot.
fn missing_tool() -> Option<String> {
    if !found("wine", "--version") {
        return Some("wine is not installed (apt-get install wine)".into());
    }
    if !found(MINGW_GCC, "--version") {
        return Some(format!(
            "{MINGW_GCC} is not installed (apt-get install gcc-mingw-w64-x86-64)"
        ));
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if !Path::new(&sysroot)
        .join("lib/rustlib")
        .join(TARGET)
        .is_dir()
    {
        return Some(format!(
            "the Rust target {TARGET} is not installed (rustup target add {TARGET})"
        ));
    }
    None
}

/// Cross-builds `letopis.exe` (a no-op when it is up to date) and returns its path.
fn build_exe() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["build", "--bin", "letopis", "--target", TARGET])
        .args(["--message-format", "json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo build");
    assert!(out.status.success(), "cargo build --target {TARGET} failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["executable"].as_str().map(PathBuf::from))
        .find(|p| p.file_name().is_some_and(|n| n == "letopis.exe"))
        .expect("cargo names letopis.exe")
}

/// A fresh wine prefix with the `ProcessPrng` stand-in in its `system32`.
struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    fn new() -> Wine {
        let prefix = tempfile::Builder::new()
            .prefix("letopis-wine-")
            .tempdir()
            .unwrap();
        let w = Wine { prefix };
        let init = w.command("wineboot").arg("--init").output().unwrap();
        assert!(init.status.success(), "wineboot: {}", text(&init).1);
        let system32 = w.prefix.path().join("drive_c/windows/system32");
        assert!(system32.is_dir(), "wineboot made no system32");
        let src = root().join("tests/wine");
        let st = Command::new(MINGW_GCC)
            .args(["-shared", "-O2", "-s", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .arg(src.join("bcryptprimitives.c"))
            .arg(src.join("bcryptprimitives.def"))
            .arg("-ladvapi32")
            .status()
            .unwrap();
        assert!(st.success(), "building the ProcessPrng stand-in failed");
        w
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            // No Mono or Gecko installer prompts while the prefix is made.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("DISPLAY")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, exe: &Path, args: &[&str]) -> Output {
        self.command("wine")
            .arg(exe)
            .args(args)
            .output()
            .expect("run wine")
    }

    /// Runs with `answers` on standard input (the double-click dialogue).
    fn answer(&self, exe: &Path, answers: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .command("wine")
            .arg(exe)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run wine");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(answers.as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        // Ends this prefix's wineserver only (it would linger for a few seconds).
        let _ = self.command("wineserver").arg("-k").status();
    }
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(o: &Output, what: &str) -> String {
    let (out, err) = text(o);
    assert!(
        o.status.success(),
        "{what}: exit {:?}\n{out}\n{err}",
        o.status.code()
    );
    out
}

/// The Windows spelling of a Linux path as wine sees it: `Z:\tmp\...`.
fn win(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

fn linux(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_letopis"))
        .args(args)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}

/// Every file under `dir` with its bytes; the fixity log without its time column.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if rel == "letopis-log.tsv" {
                let t = String::from_utf8(bytes).unwrap();
                bytes = t
                    .lines()
                    .map(|l| l.split_once('\t').map_or(l, |(_, rest)| rest))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes();
            }
            (rel, bytes)
        })
        .collect()
}

fn assert_same_tree(linux: &Path, windows: &Path) {
    let (a, b) = (tree(linux), tree(windows));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the Windows medium {} holds other files than the Linux one",
        windows.display()
    );
    for (name, bytes) in &a {
        assert!(
            *bytes == b[name],
            "{name} differs between the Linux and the Windows build ({})",
            windows.display()
        );
    }
    assert!(a.len() > 100, "too few files: {}", a.len());
}

#[test]
fn windows_build_under_wine_matches_linux() {
    if let Some(why) = missing_tool() {
        if std::env::var_os("CI").is_some() {
            panic!("the Windows build cannot be tested: {why}");
        }
        eprintln!("skipped: the Windows build is not tested here: {why}");
        return;
    }
    let exe = build_exe();
    let tmp = tempfile::tempdir().unwrap();
    let sample = root().join("sample-data");
    let (a, b, l) = (
        tmp.path().join("носитель A"),
        tmp.path().join("b"),
        tmp.path().join("linux"),
    );
    let wine = Wine::new();

    // check: the same report as on Linux.
    let out_w = ok(&wine.run(&exe, &["check", &win(&sample)]), "wine check");
    let out_l = ok(&linux(&["check", sample.to_str().unwrap()]), "check");
    assert_eq!(out_w, out_l, "check prints differently on Windows");
    assert!(out_w.contains("Ошибок нет"), "{out_w}");

    // build to two media given as Windows paths.
    let built = wine.run(
        &exe,
        &["build", &win(&sample), "--out", &win(&a), "--out", &win(&b)],
    );
    let out = ok(&built, "wine build");
    assert_eq!(
        out.matches("записан и проверен чтением с носителя").count(),
        2,
        "{out}"
    );
    ok(
        &linux(&[
            "build",
            sample.to_str().unwrap(),
            "--out",
            l.to_str().unwrap(),
            "--draft",
            "-q",
        ]),
        "build",
    );
    assert_same_tree(&l, &a);
    assert_same_tree(&l, &b);

    // verify reads both copies back.
    let v = ok(
        &wine.run(&exe, &["verify", &win(&a), &win(&b)]),
        "wine verify",
    );
    assert_eq!(v.matches("✓ в порядке").count(), 2, "{v}");

    // search: the same results as the Linux binary on the Linux archive.
    let hits = |o: &Output, what| -> Vec<(String, String, String)> {
        let v: serde_json::Value = serde_json::from_str(&ok(o, what)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let s = |k: &str| h[k].as_str().unwrap_or_default().to_string();
                (s("archive"), s("page"), s("title"))
            })
            .collect()
    };
    let w = hits(
        &wine.run(&exe, &["search", &win(&b), "Смирнова", "--json"]),
        "wine search",
    );
    let lx = hits(
        &linux(&["search", l.to_str().unwrap(), "Смирнова", "--json"]),
        "search",
    );
    assert!(!w.is_empty(), "no results under wine");
    assert_eq!(w, lx, "search finds differently on Windows");
    assert_eq!(w[0].2, "Смирнова Гульнара Алексеевна");

    // The double-click dialogue: wine's drives are listed (its C: is the system drive and left
    // out, Z: is the Linux root), the answers build the archive to two more folders.
    let (c, d) = (tmp.path().join("c"), tmp.path().join("d"));
    let answers = format!("\"{}\"\n{}\n{}\n\n", win(&sample), win(&c), win(&d));
    let talk = ok(&wine.answer(&exe, &answers), "wine dialogue");
    assert!(
        talk.contains("Носители на этом компьютере:\n  1) Z:\\"),
        "{talk}"
    );
    assert!(!talk.contains(") C:\\"), "{talk}");
    assert!(
        talk.contains("Готово: архив записан на оба носителя"),
        "{talk}"
    );
    assert!(
        talk.contains("Нажмите Enter, чтобы закрыть окно."),
        "{talk}"
    );
    assert_same_tree(&l, &c);
    assert_same_tree(&l, &d);
}
