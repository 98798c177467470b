//! End-to-end tests of writing archives to media, verify, repair and the fixity log: the real
//! binary on temporary folders, checked with the real `bagit.py` and `sha256sum`.

mod common;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NAME: &str = "umc-2025";

fn bin() -> Command {
    common::cli::durable_command()
}

fn run(args: &[&str], cwd: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run letopis")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A folder laid out as an archive's `data/`: pages, a raw export, attachments.
fn make_source(root: &Path) -> PathBuf {
    let src = root.join("src");
    fs::create_dir_all(src.join("files/scans")).unwrap();
    fs::create_dir_all(src.join("raw")).unwrap();
    fs::create_dir_all(src.join("learners")).unwrap();
    fs::write(
        src.join("index.html"),
        "<!DOCTYPE html><h1>Архив 2025</h1>\n",
    )
    .unwrap();
    fs::write(src.join("learners/l-001.html"), "<p>Смирнова Анна</p>\n").unwrap();
    fs::write(src.join("raw/learners.csv"), "id;фамилия\nL-001;Смирнова\n").unwrap();
    let scan: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
    fs::write(src.join("files/scans/order 12.pdf"), &scan).unwrap();
    fs::write(src.join("files/empty.txt"), "").unwrap();
    src
}

fn seal(root: &Path, src: &Path, media: &[&Path]) -> Output {
    let mut args = vec![
        "seal-dir".to_string(),
        src.display().to_string(),
        "--name".into(),
        NAME.into(),
        "--org".into(),
        "АНО ДПО «Профиль»".into(),
        "--address".into(),
        "г. Тула, ул. Мира, 1".into(),
        "--period".into(),
        "2025".into(),
    ];
    for m in media {
        args.push("--out".into());
        args.push(m.display().to_string());
    }
    if media.len() == 1 {
        args.push("--draft".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, root)
}

fn bagit_validate(bag: &Path) -> Output {
    Command::new("bagit.py")
        .arg("--validate")
        .arg(bag)
        .output()
        .expect("bagit.py is installed (pip install bagit; .ci/run does it)")
}

fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            v.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    v
}

#[test]
fn sealed_bag_is_valid_for_bagit_and_sha256sum_and_identical_on_both_media() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let o = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("записан и проверен чтением с носителя: файлов 5, "),
        "{}",
        stdout(&o)
    );
    // Both temp folders are on one device: the user is warned that this is not independent.
    assert!(
        stderr(&o).contains("находятся на одном устройстве"),
        "{}",
        stderr(&o)
    );

    let bag_a = a.join(NAME);
    let v = bagit_validate(&bag_a);
    assert!(v.status.success(), "bagit.py: {}", stderr(&v));
    let sum = Command::new("sha256sum")
        .args(["-c", "manifest-sha256.txt"])
        .current_dir(a.join(NAME))
        .output()
        .unwrap();
    assert!(
        sum.status.success(),
        "{}",
        String::from_utf8_lossy(&sum.stdout)
    );
    assert!(String::from_utf8_lossy(&sum.stdout).contains("data/files/scans/order 12.pdf: OK"));

    assert_eq!(all_files(&bag_a), all_files(&b.join(NAME)));
    let info = fs::read_to_string(bag_a.join("bag-info.txt")).unwrap();
    assert_eq!(
        info,
        "Source-Organization: АНО ДПО «Профиль»\nOrganization-Address: г. Тула, ул. Мира, 1\n\
         External-Identifier: umc-2025\nBagging-Date: 2026-01-20\nPayload-Oxum: 200114.5\n\
         Letopis-Period: 2025\nLetopis-Version: 0.1.0\n"
    );
    assert_eq!(
        fs::read_to_string(bag_a.join("bagit.txt")).unwrap(),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let readme = fs::read_to_string(bag_a.join("README.txt")).unwrap();
    assert!(readme.contains("sha256sum -c manifest-sha256.txt"));
    assert!(readme.contains("data/index.html"));
    // No staging folder left; the medium lists the archive; the log has the build.
    let names: Vec<String> = fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".letopis-staging")),
        "{names:?}"
    );
    let index = fs::read_to_string(a.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"umc-2025/data/index.html\""),
        "{index}"
    );
    let log = fs::read_to_string(a.join("letopis-log.tsv")).unwrap();
    assert!(
        log.contains("\tbuild\tumc-2025\tok\tfiles=5 bytes=200114 read-back=ok root="),
        "{log}"
    );
    let report = run(&["log", "A"], t.path());
    assert!(
        stdout(&report).contains("запись    umc-2025  успешно"),
        "{}",
        stdout(&report)
    );
    // Read as a clerk reads: the date as dd.mm.yyyy, the details in words, no `key=value` left.
    let line = stdout(&report)
        .lines()
        .find(|l| l.contains("запись"))
        .unwrap_or_default()
        .to_string();
    let today = chrono::Local::now().format("%d.%m.%Y").to_string();
    assert!(line.starts_with(&today), "{line}");
    assert!(
        line.contains("сверено чтением с носителя, контрольная сумма архива "),
        "{line}"
    );
    assert!(!line.contains('='), "{line}");

    // A second build of the same content is a no-op; different content is refused.
    let again = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
    assert!(
        stdout(&again)
            .contains("уже записан, без изменений; проверен чтением с носителя: файлов 5"),
        "{}",
        stdout(&again)
    );
    // The same archive already there but damaged: reported, not overwritten, not called fine.
    let victim = b
        .join(NAME)
        .join("learners/l-001.html".replace("learners", "data/learners"));
    fs::write(&victim, "испорчено").unwrap();
    let damaged = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(damaged.status.code(), Some(2), "{}", stdout(&damaged));
    assert!(
        stdout(&damaged).contains("уже записан, но повреждён (изменён файл (контрольная сумма не совпадает): data/learners/l-001.html;")
            && stdout(&damaged).contains("он не перезаписывается: восстановите его командой letopis repair"),
        "{}",
        stdout(&damaged)
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "испорчено");
    assert!(
        run(&["repair", "B", "--from", "A"], t.path())
            .status
            .success()
    );
    fs::write(src.join("index.html"), "другая страница").unwrap();
    let before = all_files(&bag_a);
    let diff = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(diff.status.code(), Some(1), "{}", stdout(&diff));
    assert!(
        stdout(&diff)
            .contains("уже есть архив umc-2025 с другим содержимым; он не перезаписывается"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(before, all_files(&bag_a));
}

#[test]
fn one_medium_is_refused_without_draft() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let o = run(&["seal-dir", "src", "--name", NAME, "--out", "A"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("нужны два носителя"), "{}", stderr(&o));
    assert!(!t.path().join("A").exists());
    let _ = src;
}

#[test]
fn flipped_byte_is_found_and_repaired_from_the_other_copy() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    assert!(seal(t.path(), &src, &[&a, &b]).status.success());
    let victim = a.join(NAME).join("data/files/scans/order 12.pdf");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[1234] ^= 0x01;
    fs::write(&victim, &bytes).unwrap();

    let v = run(&["verify", "A"], t.path());
    assert_eq!(v.status.code(), Some(1));
    assert!(
        stdout(&v).contains(
            "✗ изменён файл (контрольная сумма не совпадает): data/files/scans/order 12.pdf"
        ),
        "{}",
        stdout(&v)
    );
    assert!(stdout(&v).contains("НЕ В ПОРЯДКЕ: проблем: 1"));
    let good_page = a.join(NAME).join("data/index.html");
    let mtime = fs::metadata(&good_page).unwrap().modified().unwrap();

    let r = run(&["repair", "A/umc-2025", "--from", "B/umc-2025"], t.path());
    assert_eq!(r.status.code(), Some(0), "{}{}", stdout(&r), stderr(&r));
    assert!(
        stdout(&r).contains("восстановлен: data/files/scans/order 12.pdf"),
        "{}",
        stdout(&r)
    );
    assert_eq!(
        fs::metadata(&good_page).unwrap().modified().unwrap(),
        mtime,
        "a good file was touched"
    );

    let v = run(&["verify", "A"], t.path());
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(bagit_validate(&a.join(NAME)).status.success());
    let log = fs::read_to_string(a.join("letopis-log.tsv")).unwrap();
    let actions: Vec<(&str, &str)> = log
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[1], f[3])
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("build", "ok"),
            ("verify", "failed"),
            ("repair", "repaired"),
            ("verify", "ok")
        ]
    );
    let html = run(&["log", "A", "--html"], t.path());
    assert!(
        stdout(&html).contains("<td>восстановление</td><td>umc-2025</td><td>восстановлено</td>")
    );
    assert!(
        stdout(&html).contains("<td>из копии ") && !stdout(&html).contains("from="),
        "{}",
        stdout(&html)
    );
}

#[test]
fn deleted_and_extra_files_are_reported_and_json_lists_them() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    assert!(seal(t.path(), &src, &[&a, &b]).status.success());
    fs::remove_file(a.join(NAME).join("data/raw/learners.csv")).unwrap();
    fs::write(a.join(NAME).join("data/learners/extra.html"), "x").unwrap();

    let v = run(&["verify", "A/umc-2025"], t.path());
    assert_eq!(v.status.code(), Some(1));
    let out = stdout(&v);
    assert!(
        out.contains("отсутствует файл: data/raw/learners.csv"),
        "{out}"
    );
    assert!(
        out.contains("лишний файл (нет в манифесте): data/learners/extra.html"),
        "{out}"
    );

    let j = run(&["verify", "--json", "--lang", "en", "A"], t.path());
    let json: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let problems = &json["checks"][0]["problems"];
    let kinds: Vec<(String, String)> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["file"].is_string())
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_string(),
                p["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("missing".into(), "data/raw/learners.csv".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("extra".into(), "data/learners/extra.html".into())),
        "{kinds:?}"
    );
    assert!(j.stdout.windows(13).any(|w| w == b"missing file:"));

    // Repair over whole media restores the deleted file and leaves the extra one alone.
    let r = run(&["repair", "A", "--from", "B"], t.path());
    assert_eq!(r.status.code(), Some(1), "{}", stdout(&r));
    assert!(stdout(&r).contains("восстановлен: data/raw/learners.csv"));
    assert!(stdout(&r).contains("лишние файлы не удаляются автоматически"));
    assert!(a.join(NAME).join("data/learners/extra.html").exists());
    fs::remove_file(a.join(NAME).join("data/learners/extra.html")).unwrap();
    assert_eq!(run(&["verify", "A"], t.path()).status.code(), Some(0));
}

#[test]
fn repair_refuses_copies_with_different_manifests() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let (a, c) = (t.path().join("A"), t.path().join("C"));
    assert!(seal(t.path(), &src, &[&a]).status.success());
    fs::write(src.join("learners/l-001.html"), "<p>другое</p>").unwrap();
    assert!(seal(t.path(), &src, &[&c]).status.success());
    let victim = a.join(NAME).join("data/index.html");
    fs::write(&victim, "испорчено").unwrap();
    let before = all_files(&a.join(NAME));
    let r = run(&["repair", "A/umc-2025", "--from", "C/umc-2025"], t.path());
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("манифесты A/umc-2025 и C/umc-2025 различаются"),
        "{}",
        stderr(&r)
    );
    assert_eq!(before, all_files(&a.join(NAME)));
}

#[test]
fn repair_does_not_copy_a_file_that_is_damaged_in_the_source_too() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    assert!(seal(t.path(), &src, &[&a, &b]).status.success());
    fs::write(a.join(NAME).join("data/index.html"), "испорчено A").unwrap();
    fs::write(b.join(NAME).join("data/index.html"), "испорчено B").unwrap();
    let r = run(&["repair", "A", "--from", "B"], t.path());
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stdout(&r).contains("не восстановлен: data/index.html: в обеих копиях этот файл повреждён"),
        "{}",
        stdout(&r)
    );
    assert_eq!(
        fs::read_to_string(a.join(NAME).join("data/index.html")).unwrap(),
        "испорчено A"
    );
}

struct Mount(PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_medium_is_refused_before_anything_is_written_to_either_medium() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    // 3 MB of attachments for a 1 MB medium.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    fs::write(src.join("files/video.mp4"), &big).unwrap();
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    fs::create_dir_all(&a).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&a)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        // Mounting needs root (CAP_SYS_ADMIN); without it there is no way to get a real ENOSPC here.
        eprintln!("SKIPPED: cannot mount a 1 MB tmpfs in this environment");
        return;
    }
    let _guard = Mount(a.clone());
    let o = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("на носителе {} не хватает места", a.display())),
        "{err}"
    );
    assert!(
        err.contains("Ничего не записано ни на один носитель"),
        "{err}"
    );
    // Nothing but the writer's lock on either medium: the other one is not left half-done.
    for m in [&a, &b] {
        let left: Vec<String> = fs::read_dir(m)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(left, vec![".letopis-lock".to_string()], "{left:?}");
    }
}

#[test]
fn killed_writer_leaves_nothing_complete_and_the_next_run_succeeds() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let chunk = vec![7u8; 8 << 20];
    for i in 0..40 {
        fs::write(src.join(format!("files/part-{i:02}.bin")), &chunk).unwrap();
    }
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let mut child = bin()
        .args([
            "seal-dir", "src", "--name", NAME, "--out", "A", "--out", "B",
        ])
        .current_dir(t.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the writer is midway: some payload file already in a staging folder.
    let staging = a.join(format!(".letopis-staging-{NAME}/data/files"));
    let start = std::time::Instant::now();
    loop {
        let n = fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
        if n >= 3 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "writer finished before it could be killed"
        );
        assert!(
            start.elapsed().as_secs() < 60,
            "writer never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for m in [&a, &b] {
        assert!(
            !m.join(NAME).exists(),
            "a complete-looking archive on {}",
            m.display()
        );
    }
    // verify sees no archive on the medium, only the unfinished write.
    let v = run(&["verify", "A"], t.path());
    assert_eq!(v.status.code(), Some(2), "{}{}", stdout(&v), stderr(&v));
    assert!(
        stderr(&v).contains(&format!(
            "A: архивов нет, есть только незавершённая запись A/.letopis-staging-{NAME} (прерванная сборка)"
        )),
        "{}",
        stderr(&v)
    );

    let o = run(
        &[
            "seal-dir", "src", "--name", NAME, "--out", "A", "--out", "B",
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!a.join(format!(".letopis-staging-{NAME}")).exists());
    assert!(bagit_validate(&a.join(NAME)).status.success());
    assert_eq!(run(&["verify", "A", "B"], t.path()).status.code(), Some(0));
}

#[test]
fn medium_removed_mid_write_is_reported_and_the_other_medium_completes() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    let chunk = vec![9u8; 8 << 20];
    for i in 0..40 {
        fs::write(src.join(format!("files/part-{i:02}.bin")), &chunk).unwrap();
    }
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    fs::create_dir_all(&a).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512m", "tmpfs"])
        .arg(&a)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("SKIPPED: cannot mount a tmpfs in this environment");
        return;
    }
    let guard = Mount(a.clone());
    let child = bin()
        .args([
            "seal-dir", "src", "--name", NAME, "--out", "A", "--out", "B",
        ])
        .current_dir(t.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let staging = a.join(format!(".letopis-staging-{NAME}/data/files"));
    let start = std::time::Instant::now();
    while fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0) < 3 {
        assert!(
            start.elapsed().as_secs() < 60,
            "writer never started writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    // The stick is pulled: the file system disappears from under the writer.
    let pulled = Command::new("umount").arg("-l").arg(&a).status().unwrap();
    assert!(pulled.success());
    std::mem::forget(guard);
    let o = child.wait_with_output().unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{}", stderr(&o));
    assert!(out.contains("✗ A: НЕ ЗАПИСАН: носитель A: "), "{out}");
    assert!(
        out.contains("носитель недоступен или неисправен (извлечён?)"),
        "{out}"
    );
    assert!(out.contains("✓ B/umc-2025: записан и проверен"), "{out}");
    assert!(!a.join(NAME).exists());
    assert!(bagit_validate(&b.join(NAME)).status.success());
}

#[test]
fn names_sha256sum_cannot_check_are_sealed_by_the_rfc_with_a_warning() {
    let t = tempfile::tempdir().unwrap();
    let src = make_source(t.path());
    fs::write(src.join("files/план 100%.txt"), "x").unwrap();
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let o = seal(t.path(), &src, &[&a, &b]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("в имени файла data/files/план 100%.txt есть «%» или перевод строки"),
        "{}",
        stderr(&o)
    );
    let manifest = fs::read_to_string(a.join(NAME).join("manifest-sha256.txt")).unwrap();
    assert!(
        manifest.contains("  data/files/план 100%25.txt\n"),
        "{manifest}"
    );
    // Letopis decodes the RFC encoding, so its own check passes.
    assert_eq!(run(&["verify", "A"], t.path()).status.code(), Some(0));
}
