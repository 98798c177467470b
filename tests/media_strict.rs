//! Strict verification, end to end on two real media folders: links, extra files, damaged tag
//! manifests, the medium's own page and list of archives, copies sealed again, hostile zips. Each
//! fault is injected alone and must be named by `letopis verify`.

mod common;
use common::cli;
use common::media;

use cli::{letopis, text};
use letopis::layout::{MANIFEST, TAGMANIFEST};
use letopis::seal::bag;
use letopis::seal::hash::sha256_hex;
use media::{NAME, two_media};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

/// `verify args…`: exit code and standard output.
fn verify(root: &Path, args: &[&str]) -> (i32, String) {
    let mut a = vec!["verify"];
    a.extend_from_slice(args);
    let o = letopis(&a, root);
    let (out, err) = text(&o);
    (o.status.code().unwrap_or(-1), format!("{out}{err}"))
}

fn assert_fails_naming(root: &Path, args: &[&str], needles: &[&str]) -> String {
    let (code, out) = verify(root, args);
    assert_eq!(code, 1, "verify {args:?} must fail:\n{out}");
    for n in needles {
        assert!(out.contains(n), "verify {args:?} must name «{n}»:\n{out}");
    }
    out
}

fn log_of(medium: &Path) -> String {
    fs::read_to_string(medium.join("letopis-log.tsv")).unwrap()
}

#[test]
fn links_in_place_of_a_file_a_folder_or_the_whole_archive_are_reported() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    // A payload file replaced by a link to the twin's (identical) file.
    let page = a.join(NAME).join("data/learners/l-001.html");
    fs::remove_file(&page).unwrap();
    symlink(b.join(NAME).join("data/learners/l-001.html"), &page).unwrap();
    assert_fails_naming(
        t.path(),
        &["A"],
        &["символическая ссылка", "data/learners/l-001.html"],
    );
    fs::remove_file(&page).unwrap();
    fs::copy(b.join(NAME).join("data/learners/l-001.html"), &page).unwrap();
    assert_eq!(verify(t.path(), &["A"]).0, 0);

    // A folder replaced by a link to the twin's folder.
    let files = a.join(NAME).join("data/files");
    fs::rename(&files, t.path().join("files-away")).unwrap();
    symlink(b.join(NAME).join("data/files"), &files).unwrap();
    assert_fails_naming(t.path(), &["A"], &["символическая ссылка", "data/files"]);
    fs::remove_file(&files).unwrap();
    fs::rename(t.path().join("files-away"), &files).unwrap();

    // The whole archive folder replaced by a link to the twin.
    fs::rename(a.join(NAME), t.path().join("away")).unwrap();
    symlink(b.join(NAME), a.join(NAME)).unwrap();
    assert_fails_naming(t.path(), &["A"], &["символическая ссылка", NAME]);
    // Given directly, the linked bag is refused too.
    assert_fails_naming(t.path(), &["A/umc-2025"], &["символическая ссылка"]);
    assert!(
        log_of(&a).contains("\tverify\t-\tfailed\t"),
        "{}",
        log_of(&a)
    );
}

#[test]
fn an_extra_file_at_the_bag_root_or_in_a_new_folder_is_reported() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    fs::write(a.join(NAME).join("notes.txt"), "x").unwrap();
    fs::create_dir(a.join(NAME).join("extra")).unwrap();
    fs::write(a.join(NAME).join("extra/y.html"), "y").unwrap();
    assert_fails_naming(
        t.path(),
        &["A"],
        &["лишний файл", "notes.txt", "extra/y.html"],
    );
}

#[test]
fn a_flipped_bit_or_a_deleted_tag_manifest_is_reported() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    let tm = a.join(NAME).join(TAGMANIFEST);
    let good = fs::read(&tm).unwrap();
    // Every single-bit flip of the tag manifest is found (this covers hex case, the separator,
    // the line ends and the names).
    for at in (0..good.len()).step_by(7) {
        for bit in [0x01u8, 0x20, 0x80] {
            let mut bytes = good.clone();
            bytes[at] ^= bit;
            fs::write(&tm, &bytes).unwrap();
            let (code, out) = verify(t.path(), &["A/umc-2025"]);
            assert_eq!(code, 1, "flip of bit {bit:#x} at {at} passed:\n{out}");
        }
    }
    fs::write(&tm, &good).unwrap();
    assert_eq!(verify(t.path(), &["A"]).0, 0);
    fs::remove_file(&tm).unwrap();
    assert_fails_naming(
        t.path(),
        &["A"],
        &["отсутствует файл: tagmanifest-sha256.txt"],
    );
}

#[test]
fn the_medium_page_is_covered_and_a_lost_archive_is_missed() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    // index.html.sha256 is checkable with coreutils alone.
    let o = Command::new("sha256sum")
        .args(["-c", "index.html.sha256"])
        .current_dir(&a)
        .output()
        .unwrap();
    assert!(o.status.success(), "{:?}", o);
    let mut html = fs::read_to_string(a.join("index.html")).unwrap();
    html.push_str("<!-- edited -->");
    fs::write(a.join("index.html"), html).unwrap();
    assert_fails_naming(t.path(), &["A"], &["изменён файл", "index.html"]);

    // A whole archive deleted: the log and the index of the medium know it was there.
    fs::remove_dir_all(b.join(NAME)).unwrap();
    assert_fails_naming(
        t.path(),
        &["B"],
        &[
            "архив umc-2025 пропал с носителя",
            "letopis-log.tsv и index.html",
        ],
    );
    // Only bagit.txt deleted: no longer a bag, still missed.
    fs::remove_file(a.join(NAME).join("bagit.txt")).unwrap();
    fs::copy(b.join("index.html"), a.join("index.html")).unwrap();
    assert_fails_naming(t.path(), &["A"], &["архив umc-2025 пропал с носителя"]);
}

/// Edits a page of `bag` and seals it again (both manifests rewritten), as a forger would.
fn reseal(bag: &Path) {
    let page = bag.join("data/learners/l-001.html");
    fs::write(&page, "<p>Смирнова Анна: 2</p>\n").unwrap();
    let text = fs::read_to_string(bag.join(MANIFEST)).unwrap();
    let mut m = bag::parse_manifest(&text).0;
    m.insert(
        "data/learners/l-001.html".into(),
        sha256_hex(&fs::read(&page).unwrap()),
    );
    fs::write(bag.join(MANIFEST), bag::canonical_manifest(&m)).unwrap();
    let mut tm = bag::parse_manifest(&fs::read_to_string(bag.join(TAGMANIFEST)).unwrap()).0;
    for name in tm.clone().keys() {
        tm.insert(name.clone(), sha256_hex(&fs::read(bag.join(name)).unwrap()));
    }
    fs::write(bag.join(TAGMANIFEST), bag::canonical_manifest(&tm)).unwrap();
}

#[test]
fn a_copy_edited_and_sealed_again_is_caught_by_the_log_and_by_comparing_the_copies() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    assert_eq!(verify(t.path(), &["A", "B"]).0, 0);
    reseal(&b.join(NAME));
    // Its own check passes the bag itself, but the medium's log recorded another root digest.
    assert_eq!(verify(t.path(), &["B/umc-2025"]).0, 0);
    assert_fails_naming(
        t.path(),
        &["B"],
        &["архив изменён и запечатан заново", "letopis-log.tsv"],
    );
    // A forger who also rewrites the log is still caught by the twin.
    let log = log_of(&b);
    let cleaned: String = log
        .lines()
        .map(|l| l.split(" root=").next().unwrap().to_string() + "\n")
        .collect();
    fs::write(b.join("letopis-log.tsv"), cleaned).unwrap();
    let out = assert_fails_naming(
        t.path(),
        &["A", "B"],
        &[
            "не тот же архив",
            "data/learners/l-001.html",
            "manifest-sha256.txt",
            "КОПИИ НЕ СОВПАДАЮТ",
        ],
    );
    assert!(!out.contains("data/index.html"), "{out}");
    assert!(log_of(&a).contains("\tcompare\tumc-2025\tfailed\t"));
    assert!(log_of(&b).contains("\tcompare\tumc-2025\tfailed\t"));
    // Two bags given directly are compared too.
    assert_fails_naming(
        t.path(),
        &["A/umc-2025", "B/umc-2025"],
        &["не тот же архив"],
    );
    // An archive on one medium only is named.
    fs::rename(b.join(NAME), t.path().join("away")).unwrap();
    assert_fails_naming(t.path(), &["A", "B"], &["архива umc-2025 нет на B"]);
}

/// Writes a zip with Python's `zipfile` from (name, bytes) pairs, duplicates allowed.
fn python_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let dir = path.parent().unwrap().join("zip-src");
    fs::create_dir_all(&dir).unwrap();
    let mut script = String::from(
        "import sys, zipfile, warnings\nwarnings.simplefilter('ignore')\n\
         z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n",
    );
    for (i, (name, bytes)) in entries.iter().enumerate() {
        fs::write(dir.join(i.to_string()), bytes).unwrap();
        script.push_str(&format!(
            "z.writestr({name:?}, open({:?}, 'rb').read())\n",
            dir.join(i.to_string()).display().to_string()
        ));
    }
    script.push_str("z.close()\n");
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
}

/// The bag's files as zip entries `umc-2025/<path>`.
fn bag_entries(bag: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(bag).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(bag).unwrap().to_string_lossy();
            v.push((format!("{NAME}/{rel}"), fs::read(e.path()).unwrap()));
        }
    }
    v
}

#[test]
fn hostile_zips_are_reported_entry_by_entry() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    let good = bag_entries(&a.join(NAME));
    python_zip(&t.path().join("good.zip"), &good);
    assert_eq!(verify(t.path(), &["good.zip"]).0, 0);

    let mut hostile = good.clone();
    hostile.push(("../../x".into(), b"x".to_vec()));
    hostile.push(("/tmp/x".into(), b"x".to_vec()));
    hostile.push(("other/x.html".into(), b"x".to_vec()));
    hostile.push((format!("{NAME}/notes.txt"), b"x".to_vec()));
    python_zip(&t.path().join("hostile.zip"), &hostile);
    assert_fails_naming(
        t.path(),
        &["hostile.zip"],
        &[
            "абсолютным путём или «..»: ../../x",
            "абсолютным путём или «..»: /tmp/x",
            "вне папки архива: other/x.html",
            "лишний файл (нет в манифесте): notes.txt",
        ],
    );

    // A tampered page placed before the original, under the same name: `unzip -p` shows it.
    let page = format!("{NAME}/data/learners/l-001.html");
    let mut doubled = vec![(page.clone(), b"<p>tampered</p>".to_vec())];
    doubled.extend(good.clone());
    python_zip(&t.path().join("doubled.zip"), &doubled);
    let shown = Command::new("unzip")
        .args(["-p", "doubled.zip", &page])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("tampered"));
    assert_fails_naming(
        t.path(),
        &["doubled.zip"],
        &["две записи с одним именем", &page],
    );
}

#[test]
fn a_zip_with_100k_extra_entries_or_a_huge_entry_is_checked_in_bounded_time() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    let zip = t.path().join("many.zip");
    let src = t.path().join("bag.list");
    let good = bag_entries(&a.join(NAME));
    let mut lines = String::new();
    for (name, bytes) in &good {
        let p = t.path().join(format!("e{}", lines.len()));
        fs::write(&p, bytes).unwrap();
        lines.push_str(&format!("{name}\t{}\n", p.display()));
    }
    fs::write(&src, lines).unwrap();
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n\
        for l in open(sys.argv[2]):\n    n, p = l.rstrip('\\n').split('\\t')\n    z.writestr(n, open(p, 'rb').read())\n\
        for i in range(100000):\n    z.writestr('umc-2025/data/x/%06d.html' % i, b'')\n\
        z.writestr('umc-2025/data/huge.bin', b'\\0' * (256 << 20))\n\
        z.writestr('../evil', b'x')\n\
        z.close()\n";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(&zip)
        .arg(&src)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let out = assert_fails_naming(
        t.path(),
        &["many.zip"],
        &[
            "лишний файл (нет в манифесте): data/huge.bin",
            "лишний файл (нет в манифесте): data/x/000000.html",
            "… и ещё проблем:",
            "абсолютным путём или «..»: ../evil",
        ],
    );
    assert!(out.lines().count() < 1000, "the list is bounded");
}

#[test]
fn pack_refuses_a_bag_that_does_not_verify() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    fs::write(a.join(NAME).join("data/learners/l-001.html"), "x").unwrap();
    let o = letopis(&["pack", "A/umc-2025", "a.zip"], t.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("не прошёл проверку"), "{err}");
    assert!(err.contains("data/learners/l-001.html"), "{err}");
    assert!(!t.path().join("a.zip").exists());
}

#[test]
fn names_that_validators_cannot_check_are_refused_by_check_with_a_hint() {
    let t = tempfile::tempdir().unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/good");
    let input = t.path().join("in");
    common::fixture::copy_dir(&good, &input);
    fs::write(input.join("скан 100%.pdf"), "x").unwrap();
    fs::write(input.join("a\nb.pdf"), "y").unwrap();
    let o = letopis(&["check", "in"], t.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for name in ["скан 100%.pdf", "a\\nb.pdf"] {
        assert!(
            out.contains(&format!(
                "{name}: ошибка: в имени файла есть «%» или перевод строки"
            )),
            "{out}"
        );
    }
    assert!(out.contains("подсказка: переименуйте файл"), "{out}");
    fs::remove_file(input.join("скан 100%.pdf")).unwrap();
    fs::remove_file(input.join("a\nb.pdf")).unwrap();
    assert_eq!(letopis(&["check", "in"], t.path()).status.code(), Some(0));
}

#[test]
fn the_readme_finds_an_added_file_with_coreutils_alone() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    let bag = a.join(NAME);
    let readme = fs::read_to_string(bag.join("README.txt")).unwrap();
    let commands: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("find data -type f")
                || l.starts_with("cut -c67-")
                || l.starts_with("comm -23")
        })
        .collect();
    assert_eq!(commands.len(), 3, "{readme}");
    let run = || {
        let o = Command::new("sh")
            .args(["-c", &commands.join(" && ")])
            .current_dir(&bag)
            .output()
            .unwrap();
        assert!(o.status.success(), "{o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(run(), "");
    fs::write(bag.join("data/learners/l-002.html"), "<p>подложный</p>").unwrap();
    assert_eq!(run(), "data/learners/l-002.html\n");
}

#[test]
fn a_deleted_index_sidecar_is_reported_but_a_medium_of_an_older_version_still_verifies() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    fs::remove_file(a.join("index.html.sha256")).unwrap();
    assert_fails_naming(t.path(), &["A"], &["отсутствует файл: index.html.sha256"]);
    // An older medium: no sidecar, no root digests in its log.
    let log = log_of(&a);
    let old: String = log
        .lines()
        .map(|l| l.split(" root=").next().unwrap().to_string() + "\n")
        .collect();
    fs::write(a.join("letopis-log.tsv"), old).unwrap();
    assert_eq!(verify(t.path(), &["A"]).0, 0);
}
