//! A medium must exist and be ours: a missing mount point, a read-only or full medium, the same
//! medium given twice, a second writer at once are errors before anything is written; a build
//! stopped by SIGTERM leaves no work or staging folder. The real binary on real folders (tmpfs and
//! bind mounts where the test may mount).

mod common;
use common::cli;

use cli::{letopis, text};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NAME: &str = "umc-2025";

fn source(root: &Path, bytes: usize) -> PathBuf {
    let src = root.join("src");
    fs::create_dir_all(src.join("files")).unwrap();
    fs::write(src.join("index.html"), "<h1>Архив</h1>\n").unwrap();
    let big: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    fs::write(src.join("files/video.mp4"), big).unwrap();
    src
}

fn seal(root: &Path, out: &[&Path]) -> (i32, String) {
    let mut args: Vec<String> = vec![
        "seal-dir".into(),
        "src".into(),
        "--name".into(),
        NAME.into(),
    ];
    for m in out {
        args.push("--out".into());
        args.push(m.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = letopis(&args, root);
    let (a, b) = text(&o);
    (o.status.code().unwrap_or(-1), format!("{a}{b}"))
}

/// Entries of a folder (hidden ones too), sorted; empty when it does not exist.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

struct Mount(PathBuf);
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount(args: &[&str], at: &Path) -> Option<Mount> {
    fs::create_dir_all(at).unwrap();
    let ok = Command::new("mount")
        .args(args)
        .arg(at)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("SKIPPED: cannot mount here (needs root)");
    }
    ok.then(|| Mount(at.to_path_buf()))
}

#[test]
fn a_medium_that_is_not_mounted_is_an_error_and_nothing_is_created() {
    let t = tempfile::tempdir().unwrap();
    source(t.path(), 1000);
    let b = t.path().join("B");
    let missing = t.path().join("FLASH2/archive");
    let (code, out) = seal(t.path(), &[&missing, &b]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("не подключён"), "{out}");
    assert!(
        out.contains("Ничего не записано ни на один носитель"),
        "{out}"
    );
    assert!(!t.path().join("FLASH2").exists());
    assert!(!b.exists(), "the other medium is not begun either");
    // Where removable media are mounted, a folder is never made on the system disk.
    if fs::metadata("/mnt").is_ok() {
        let fake = PathBuf::from(format!("/mnt/letopis-test-{}", std::process::id()));
        let (code, out) = seal(t.path(), &[&fake, &b]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("не подключён"), "{out}");
        assert!(!fake.exists());
    }
}

#[test]
fn a_read_only_or_full_medium_is_an_error_before_any_writing() {
    let t = tempfile::tempdir().unwrap();
    source(t.path(), 3_000_000);
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    fs::create_dir_all(&b).unwrap();
    let Some(ro) = mount(&["-t", "tmpfs", "-o", "ro,size=8m", "tmpfs"], &a) else {
        return;
    };
    let (code, out) = seal(t.path(), &[&a, &b]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("на носитель нельзя записывать"), "{out}");
    assert!(entries(&b).is_empty(), "{:?}", entries(&b));
    drop(ro);
    let Some(_full) = mount(&["-t", "tmpfs", "-o", "size=1m", "tmpfs"], &a) else {
        return;
    };
    let (code, out) = seal(t.path(), &[&a, &b]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("не хватает места"), "{out}");
    assert!(out.contains(&format!("носителе {}", a.display())), "{out}");
    assert_eq!(entries(&a), vec![".letopis-lock"]);
    assert_eq!(entries(&b), vec![".letopis-lock"]);
}

#[test]
fn the_same_medium_given_twice_is_recognised_however_it_is_reached() {
    let t = tempfile::tempdir().unwrap();
    source(t.path(), 1000);
    let a = t.path().join("A");
    fs::create_dir_all(&a).unwrap();
    std::os::unix::fs::symlink(&a, t.path().join("L")).unwrap();
    let spelled = t.path().join("A/../A/.");
    for other in [t.path().join("L"), spelled] {
        let (code, out) = seal(t.path(), &[&a, &other]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("один и тот же носитель"), "{out}");
        assert_eq!(entries(&a), Vec::<String>::new());
    }
    let Some(_bind) = mount(&["--bind", a.to_str().unwrap()], &t.path().join("A2")) else {
        return;
    };
    let (code, out) = seal(t.path(), &[&a, &t.path().join("A2")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("один и тот же носитель"), "{out}");
}

#[test]
fn one_writer_per_medium_and_a_crashed_writer_leaves_no_stuck_lock() {
    let t = tempfile::tempdir().unwrap();
    source(t.path(), 1000);
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    fs::create_dir_all(&a).unwrap();
    // Another process holds the medium's lock (flock, as letopis takes it).
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(120)",
        ])
        .arg(a.join(".letopis-lock"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let (code, out) = seal(t.path(), &[&a, &b]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("уже пишет другая команда letopis"), "{out}");
    assert!(!a.join(NAME).exists() && !b.join(NAME).exists());
    // The holder dies without any cleanup: the lock goes with it.
    holder.kill().unwrap();
    holder.wait().unwrap();
    let (code, out) = seal(t.path(), &[&a, &b]);
    assert_eq!(code, 0, "{out}");
}

/// `letopis build sample-data -q --out A --out B` with `TMPDIR` set to `tmp`.
fn build_sample(a: &Path, b: &Path, tmp: &Path) -> Command {
    let mut c = common::cli::command();
    c.arg("build")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .args(["-q", "--out"])
        .arg(a)
        .arg("--out")
        .arg(b)
        .env("TMPDIR", tmp);
    c
}

#[test]
fn sigterm_during_a_build_removes_its_work_folder_and_staging_folders() {
    let t = tempfile::tempdir().unwrap();
    let tmp = t.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let mut child = build_sample(&a, &b, &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stop the build as soon as its staging folder exists on the first medium, where the pages
    // are rendered (a sample build on an idle machine takes about a second, so waiting longer
    // could find it finished).
    let staging = || {
        entries(&a)
            .iter()
            .any(|n| n.starts_with(".letopis-staging"))
    };
    let start = Instant::now();
    while !staging() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(staging(), "the build made no staging folder");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(entries(&tmp).is_empty(), "{:?}", entries(&tmp));
    for m in [&a, &b] {
        assert!(
            !entries(m).iter().any(|n| n.starts_with(".letopis-staging")),
            "{:?}",
            entries(m)
        );
    }
}

#[test]
fn a_build_writes_nothing_outside_its_media_and_needs_no_temporary_folder() {
    // TMPDIR names a file: anything the build tried to put in a temporary folder would fail
    // (the sheets of the workbook went there once: hundreds of MB for a large period).
    let t = tempfile::tempdir().unwrap();
    let tmp = t.path().join("tmp-is-a-file");
    fs::write(&tmp, "").unwrap();
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let o = build_sample(&a, &b, &tmp)
        .env("TMP", &tmp)
        .env("TEMP", &tmp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let records = |m: &Path| m.join("gorizont-2025/data/records");
    for m in [&a, &b] {
        let names = entries(&records(m));
        assert!(names.iter().any(|n| n == "gorizont-2025.xlsx"), "{names:?}");
        // No temporary file of the workbook is left beside it.
        assert!(
            names
                .iter()
                .all(|n| n.ends_with(".csv") || n.ends_with(".xlsx") || n.ends_with(".json")),
            "{names:?}"
        );
    }
    assert_eq!(fs::read(&tmp).unwrap(), b"");
}

#[test]
fn a_medium_filled_by_the_workbook_is_said_to_be_full() {
    // The workbook's temporary files are on the medium and give their space back when the failed
    // workbook is dropped: the error itself must say the medium was full.
    let t = tempfile::tempdir().unwrap();
    let a = t.path().join("A");
    let Some(_small) = mount(&["-t", "tmpfs", "-o", "size=1m", "tmpfs"], &a) else {
        return;
    };
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let (period, _) = letopis::ingest::load(&sample).unwrap();
    // All but 16 KB of the medium taken: the sheets' rows do not fit.
    let free = |p: &Path| {
        let o = Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(p)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        out.lines().nth(1).unwrap().trim().parse::<u64>().unwrap()
    };
    let filler = vec![0u8; (free(&a) - 16 * 1024) as usize];
    fs::write(a.join("filler"), filler).unwrap();
    let e = letopis::tables::xlsx::write(&period, &a.join("book.xlsx")).unwrap_err();
    assert!(e.full, "{e}");
    assert!(e.to_string().contains("на носителе нет места"), "{e}");
    // Each language in its own words, with no half in the other.
    let t = e.text();
    assert!(!t.ru.contains("no space"), "{}", t.ru);
    assert!(t.en.contains("no space left on the medium"), "{}", t.en);
    assert!(!t.en.contains("на носителе"), "{}", t.en);
    // Nothing of the temporary files is left, and their space is back.
    assert!(free(&a) >= 12 * 1024, "{}", free(&a));
    // A smaller failure that is not a full medium is not called one.
    let e = letopis::tables::xlsx::write(&period, &a.join("no-such-folder/book.xlsx")).unwrap_err();
    assert!(!e.full, "{e}");
}

/// `df`'s figure `field` (`used`, `avail`) of the file system holding `p`, in bytes.
fn df(p: &Path, field: &str) -> u64 {
    let o = Command::new("df")
        .arg(format!("--output={field}"))
        .arg("-B1")
        .arg(p)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    out.lines().nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn a_build_leaves_each_medium_whole_or_untouched_whatever_room_it_has() {
    // A medium with room for the archive but not for its act, log line or list of archives
    // once got the archive without them, and the build said it had succeeded.
    let t = tempfile::tempdir().unwrap();
    let tmp = t.path().join("tmp");
    fs::create_dir(&tmp).unwrap();
    let (a, b) = (t.path().join("A"), t.path().join("B"));
    let clear = |m: &Path| {
        for name in entries(m) {
            let p = m.join(name);
            if p.is_dir() {
                fs::remove_dir_all(p).unwrap();
            } else {
                fs::remove_file(p).unwrap();
            }
        }
    };
    fs::create_dir_all(&b).unwrap();
    // What the sample's build leaves on a medium with room to spare, and how much room that is.
    let (whole, used) = {
        let Some(_m) = mount(&["-t", "tmpfs", "-o", "size=64m", "tmpfs"], &a) else {
            return;
        };
        let o = build_sample(&a, &b, &tmp).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (entries(&a), df(&a, "used"))
    };
    assert!(whole.iter().any(|n| n.ends_with("-akt.html")), "{whole:?}");
    assert!(whole.contains(&"letopis-log.tsv".to_string()), "{whole:?}");
    let lock = vec![".letopis-lock".to_string()];
    // Short by a page, by about an act, by about the manifest, by much more; then room to spare.
    let mut written = 0;
    for size in [
        used - 4096,
        used - (16 << 10),
        used - (96 << 10),
        used - (1 << 20),
        used + (2 << 20),
    ] {
        clear(&b);
        let _m = mount(
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={}k", size / 1024),
                "tmpfs",
            ],
            &a,
        )
        .expect("mounted once, mounts again");
        let o = build_sample(&a, &b, &tmp).output().unwrap();
        let out = format!(
            "{size} B: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        match o.status.code() {
            Some(0) => {
                written += 1;
                assert_eq!(entries(&a), whole, "{out}");
                assert_eq!(entries(&b), whole, "{out}");
            }
            Some(2) => {
                assert!(out.contains("не хватает места"), "{out}");
                assert!(
                    out.contains("Ничего не записано ни на один носитель"),
                    "{out}"
                );
                assert_eq!(entries(&a), lock, "{out}");
                assert_eq!(entries(&b), lock, "{out}");
            }
            _ => panic!("{out}"),
        }
    }
    // Room to spare is not refused.
    assert!(written >= 1, "every size refused");
}
