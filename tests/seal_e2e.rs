//! End-to-end tests of `letopis pack` and `letopis verify X.zip`: deterministic zips checked with
//! the real `unzip -t` and `sha256sum -c`.

mod common;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], cwd: &Path) -> Output {
    common::cli::command()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run letopis")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Seals a small archive with a stored (pdf) and a deflated (html) file onto media A and B.
fn sealed(root: &Path) {
    let src = root.join("src");
    fs::create_dir_all(src.join("files")).unwrap();
    fs::write(src.join("index.html"), "<h1>Архив</h1>\n".repeat(200)).unwrap();
    let pdf: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
    fs::write(src.join("files/scan.pdf"), pdf).unwrap();
    let o = run(
        &[
            "seal-dir",
            "src",
            "--name",
            "umc-2025",
            "--out",
            "A",
            "--out",
            "B",
            "--date",
            "2026-01-20",
        ],
        root,
    );
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn pack_is_deterministic_passes_unzip_and_verifies_without_extracting() {
    let t = tempfile::tempdir().unwrap();
    sealed(t.path());
    let o = run(&["pack", "A/umc-2025", "one.zip"], t.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("записан one.zip: файлов 7"),
        "{}",
        stdout(&o)
    );
    // Same bag on the other medium, another run: byte-identical zip.
    assert!(
        run(&["pack", "B/umc-2025", "two.zip"], t.path())
            .status
            .success()
    );
    assert_eq!(
        fs::read(t.path().join("one.zip")).unwrap(),
        fs::read(t.path().join("two.zip")).unwrap()
    );

    let unzip = Command::new("unzip")
        .args(["-t", "one.zip"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(
        unzip.status.success(),
        "{}",
        String::from_utf8_lossy(&unzip.stdout)
    );
    // Entries sorted under the bag folder; the pdf stored, the page deflated; fixed time and mode.
    let short = Command::new("unzip")
        .args(["-Z1", "one.zip"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&short.stdout),
        "umc-2025/README.txt\numc-2025/bag-info.txt\numc-2025/bagit.txt\numc-2025/data/files/scan.pdf\n\
         umc-2025/data/index.html\numc-2025/manifest-sha256.txt\numc-2025/tagmanifest-sha256.txt\n"
    );
    let verbose = Command::new("unzip")
        .args(["-Zl", "one.zip"])
        .current_dir(t.path())
        .output()
        .unwrap();
    let verbose = String::from_utf8_lossy(&verbose.stdout).to_string();
    let pdf_line = verbose.lines().find(|l| l.ends_with("scan.pdf")).unwrap();
    assert!(
        pdf_line.starts_with("-rw-r--r--") && pdf_line.contains(" stor "),
        "{pdf_line}"
    );
    assert!(pdf_line.contains("26-Jan-20 00:00"), "{pdf_line}");
    let html_line = verbose.lines().find(|l| l.ends_with("index.html")).unwrap();
    assert!(html_line.contains(" defN "), "{html_line}");

    let sum = Command::new("sha256sum")
        .args(["-c", "one.zip.sha256"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(sum.status.success());
    assert_eq!(String::from_utf8_lossy(&sum.stdout), "one.zip: OK\n");

    let v = run(&["verify", "one.zip"], t.path());
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(
        stdout(&v).contains("в порядке: проверено 2 файлов"),
        "{}",
        stdout(&v)
    );
}

#[test]
fn damaged_zip_is_reported_by_file_name() {
    let t = tempfile::tempdir().unwrap();
    sealed(t.path());
    assert!(
        run(&["pack", "A/umc-2025", "a.zip"], t.path())
            .status
            .success()
    );
    let zip = t.path().join("a.zip");
    let mut bytes = fs::read(&zip).unwrap();
    // The pdf is stored: find its bytes in the zip and flip one.
    let needle: Vec<u8> = (1000..1064u32).map(|i| (i * 7 % 256) as u8).collect();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at] ^= 0xff;
    fs::write(&zip, &bytes).unwrap();
    let v = run(&["verify", "a.zip"], t.path());
    assert_eq!(v.status.code(), Some(1), "{}", stdout(&v));
    let out = stdout(&v);
    assert!(out.contains("контрольная сумма zip"), "{out}");
    assert!(out.contains("data/files/scan.pdf"), "{out}");
}

#[test]
fn pack_refuses_a_folder_that_is_not_a_bag_and_a_zip_inside_the_bag() {
    let t = tempfile::tempdir().unwrap();
    sealed(t.path());
    let o = run(&["pack", "src", "x.zip"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("не является архивом BagIt"));
    let o = run(&["pack", "A/umc-2025", "A/umc-2025/data/x.zip"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("zip нельзя записывать внутрь самого архива")
    );
    assert!(!t.path().join("A/umc-2025/data/x.zip").exists());
}

#[test]
fn seal_with_zip_writes_identical_checked_zips_beside_both_archives() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("index.html"), "<h1>Архив</h1>\n").unwrap();
    let o = run(
        &[
            "seal-dir", "src", "--name", "umc-2025", "--out", "A", "--out", "B", "--zip",
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("  zip: A/umc-2025.zip (SHA-256 "),
        "{}",
        stdout(&o)
    );
    let za = fs::read(t.path().join("A/umc-2025.zip")).unwrap();
    assert_eq!(za, fs::read(t.path().join("B/umc-2025.zip")).unwrap());
    let sum = Command::new("sha256sum")
        .args(["-c", "umc-2025.zip.sha256"])
        .current_dir(t.path().join("B"))
        .output()
        .unwrap();
    assert!(sum.status.success());
    let v = run(&["verify", "A"], t.path());
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(
        stdout(&v).contains("A/umc-2025.zip (zip-архив)"),
        "{}",
        stdout(&v)
    );
    let log = fs::read_to_string(t.path().join("A/letopis-log.tsv")).unwrap();
    assert!(log.contains(" zip=A/umc-2025.zip sha256="), "{log}");
}
