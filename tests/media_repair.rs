//! Repair of everything mendable, end to end on two real media folders: tag files as well as
//! payload, manifest and payload damaged together, links in the damaged copy (never written
//! through), both copies damaged in one file, a repair interrupted half-way.

mod common;
use common::cli;
use common::media;

use cli::{letopis, text};
use media::{NAME, two_media};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

fn repair(root: &Path, damaged: &str, from: &str) -> (i32, String) {
    let o = letopis(&["repair", damaged, "--from", from], root);
    let (out, err) = text(&o);
    (o.status.code().unwrap_or(-1), format!("{out}{err}"))
}

fn verify_ok(root: &Path, what: &str) {
    let o = letopis(&["verify", what], root);
    assert!(o.status.success(), "{:?}", text(&o));
}

/// Every file of a folder, for comparing copies byte for byte.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
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
fn every_tag_file_damaged_or_deleted_is_restored_from_the_twin() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    let tags = [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "README.txt",
        "tagmanifest-sha256.txt",
    ];
    for tag in tags {
        for delete in [false, true] {
            let p = a.join(NAME).join(tag);
            if delete {
                fs::remove_file(&p).unwrap();
            } else {
                let mut bytes = fs::read(&p).unwrap();
                bytes[3] ^= 0x20;
                fs::write(&p, bytes).unwrap();
            }
            let (code, out) = repair(t.path(), "A/umc-2025", "B/umc-2025");
            assert_eq!(code, 0, "{tag} (deleted: {delete}):\n{out}");
            assert!(out.contains(&format!("восстановлен: {tag}")), "{out}");
            assert_eq!(files(&a.join(NAME)), files(&b.join(NAME)), "{tag}");
        }
    }
    verify_ok(t.path(), "A");
    let log = fs::read_to_string(a.join("letopis-log.tsv")).unwrap();
    assert!(log.contains("\trepair\tumc-2025\trepaired\t"), "{log}");
}

#[test]
fn manifest_and_payload_damaged_on_one_copy_are_both_restored() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    let bag = a.join(NAME);
    fs::write(bag.join("data/learners/l-001.html"), "испорчено").unwrap();
    let m = fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    fs::write(bag.join("manifest-sha256.txt"), m.replacen('a', "b", 1)).unwrap();
    fs::remove_file(bag.join("data/files/scan.pdf")).unwrap();
    // Media given whole work the same way as bags.
    let (code, out) = repair(t.path(), "A", "B");
    assert_eq!(code, 0, "{out}");
    for f in [
        "data/learners/l-001.html",
        "manifest-sha256.txt",
        "data/files/scan.pdf",
    ] {
        assert!(out.contains(&format!("восстановлен: {f}")), "{out}");
    }
    assert_eq!(files(&a.join(NAME)), files(&b.join(NAME)));
}

#[test]
fn links_in_the_damaged_copy_are_replaced_and_never_written_through() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    // A folder of the damaged copy swapped for a link to a folder outside, holding a bad file.
    let victim = t.path().join("victim");
    fs::create_dir(&victim).unwrap();
    fs::write(victim.join("scan.pdf"), "не трогать").unwrap();
    let files_dir = a.join(NAME).join("data/files");
    fs::remove_dir_all(&files_dir).unwrap();
    symlink(&victim, &files_dir).unwrap();
    // A page swapped for a link to a file outside.
    let outside = t.path().join("outside.html");
    fs::write(&outside, "чужой файл").unwrap();
    let page = a.join(NAME).join("data/learners/l-001.html");
    fs::remove_file(&page).unwrap();
    symlink(&outside, &page).unwrap();

    let (code, out) = repair(t.path(), "A/umc-2025", "B/umc-2025");
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        fs::read_to_string(victim.join("scan.pdf")).unwrap(),
        "не трогать"
    );
    assert_eq!(fs::read_dir(&victim).unwrap().count(), 1);
    assert_eq!(fs::read_to_string(&outside).unwrap(), "чужой файл");
    assert!(!fs::symlink_metadata(&files_dir).unwrap().is_symlink());
    assert!(!fs::symlink_metadata(&page).unwrap().is_symlink());
    assert_eq!(files(&a.join(NAME)), files(&b.join(NAME)));
    verify_ok(t.path(), "A");
}

#[test]
fn a_linked_archive_folder_is_refused_with_what_to_do() {
    let t = tempfile::tempdir().unwrap();
    let (a, _b) = two_media(t.path());
    let elsewhere = t.path().join("elsewhere");
    fs::rename(a.join(NAME), &elsewhere).unwrap();
    symlink(&elsewhere, a.join(NAME)).unwrap();
    fs::write(elsewhere.join("data/index.html"), "x").unwrap();
    let (code, out) = repair(t.path(), "A/umc-2025", "B/umc-2025");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("символическая ссылка, удалите её"), "{out}");
    assert_eq!(
        fs::read_to_string(elsewhere.join("data/index.html")).unwrap(),
        "x"
    );
}

#[test]
fn a_source_with_damaged_tags_or_another_archive_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    fs::remove_file(b.join(NAME).join("tagmanifest-sha256.txt")).unwrap();
    let (code, out) = repair(t.path(), "A/umc-2025", "B/umc-2025");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("служебные файлы копии-источника B/umc-2025 повреждены"),
        "{out}"
    );
    assert!(
        out.contains("letopis repair B/umc-2025 --from A/umc-2025"),
        "{out}"
    );
    // The way it says, the copy is mended.
    let (code, out) = repair(t.path(), "B/umc-2025", "A/umc-2025");
    assert_eq!(code, 0, "{out}");
    verify_ok(t.path(), "B");
    let _ = a;
}

#[test]
fn both_copies_damaged_in_one_file_is_explained_and_the_rest_is_mended() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    fs::write(a.join(NAME).join("data/index.html"), "A").unwrap();
    fs::write(b.join(NAME).join("data/index.html"), "B").unwrap();
    fs::write(a.join(NAME).join("data/files/scan.pdf"), "A").unwrap();
    let (code, out) = repair(t.path(), "A/umc-2025", "B/umc-2025");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("восстановлен: data/files/scan.pdf"), "{out}");
    assert!(
        out.contains("не восстановлен: data/index.html: в обеих копиях этот файл повреждён"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(a.join(NAME).join("data/index.html")).unwrap(),
        "A"
    );
    let log = fs::read_to_string(a.join("letopis-log.tsv")).unwrap();
    assert!(log.contains("\trepair\tumc-2025\tfailed\t"), "{log}");
    assert!(log.contains("в обеих копиях"), "{log}");
}

#[test]
fn a_repair_interrupted_half_way_is_completed_by_running_it_again() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    let bag = a.join(NAME);
    // The state a kill leaves: one file already restored, a temporary file half-written, the
    // tag files not yet restored.
    fs::write(bag.join("data/files/.scan.pdf.letopis-repair"), "полови").unwrap();
    fs::write(bag.join("data/files/scan.pdf"), "испорчено").unwrap();
    fs::remove_file(bag.join("manifest-sha256.txt")).unwrap();
    let (code, out) = repair(t.path(), "A", "B");
    assert_eq!(code, 0, "{out}");
    assert_eq!(files(&a.join(NAME)), files(&b.join(NAME)));
    verify_ok(t.path(), "A");
}

#[test]
fn an_archive_gone_from_a_medium_or_without_bagit_txt_is_written_anew_from_the_twin() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    fs::remove_dir_all(a.join(NAME)).unwrap();
    let (code, out) = repair(t.path(), "A", "B");
    assert_eq!(code, 0, "{out}");
    assert_eq!(files(&a.join(NAME)), files(&b.join(NAME)));
    verify_ok(t.path(), "A");
    fs::remove_file(a.join(NAME).join("bagit.txt")).unwrap();
    let (code, out) = repair(t.path(), "A", "B");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("восстановлен: bagit.txt"), "{out}");
    verify_ok(t.path(), "A");
}

/// The medium's own list of archives is mended too: changed, deleted or replaced by a link, it is
/// restored from the twin (same archives, same bytes) and the medium verifies again.
#[test]
fn the_medium_index_is_mended_from_the_twin() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = two_media(t.path());
    let good = fs::read(b.join("index.html")).unwrap();
    let damage: [&dyn Fn(); 3] = [
        &|| {
            let mut page = fs::read(a.join("index.html")).unwrap();
            page.extend_from_slice(b"<p>forged</p>");
            fs::write(a.join("index.html"), page).unwrap();
        },
        &|| fs::remove_file(a.join("index.html")).unwrap(),
        &|| {
            fs::remove_file(a.join("index.html")).unwrap();
            symlink(b.join("index.html"), a.join("index.html")).unwrap();
        },
    ];
    for hurt in damage {
        hurt();
        let o = letopis(&["verify", "A"], t.path());
        assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
        let (code, out) = repair(t.path(), "A", "B");
        assert_eq!(code, 0, "{out}");
        verify_ok(t.path(), "A");
        let meta = fs::symlink_metadata(a.join("index.html")).unwrap();
        assert!(meta.file_type().is_file());
        assert_eq!(fs::read(a.join("index.html")).unwrap(), good);
        // The twin was never written through the link.
        assert_eq!(fs::read(b.join("index.html")).unwrap(), good);
    }
    let log = fs::read_to_string(a.join("letopis-log.tsv")).unwrap();
    assert!(
        log.contains("\trepair\tindex.html\tok\tindex.html restored"),
        "{log}"
    );
}
