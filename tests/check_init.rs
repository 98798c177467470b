//! `letopis init`: writes the bundled sample, which then checks clean; refuses a non-empty folder.

mod common;
use std::path::Path;

fn letopis(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = common::cli::command()
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn init_writes_the_sample_which_checks_clean() {
    // Run from an unrelated folder: the sample is inside the binary.
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = letopis(&["init", "vypgruzka"], tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Создана папка выгрузки vypgruzka ("),
        "{out}"
    );
    assert!(out.contains("letopis check vypgruzka"), "{out}");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut n = 0;
    for e in walkdir::WalkDir::new(&sample).min_depth(1) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&sample).unwrap();
            let written = std::fs::read(tmp.path().join("vypgruzka").join(rel)).unwrap();
            assert_eq!(
                written,
                std::fs::read(e.path()).unwrap(),
                "{}",
                rel.display()
            );
            n += 1;
        }
    }
    assert!(n >= 20);
    let (code, out, _) = letopis(&["check", "vypgruzka"], tmp.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("Ошибок нет: данные готовы к архивированию.\n"),
        "{out}"
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("moi.csv"), "id\n1\n").unwrap();
    let (code, out, err) = letopis(&["init", "."], tmp.path());
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "letopis: ошибка: папка . не пуста: укажите новую или пустую папку\n"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    let (code, _, err) = letopis(&["init", ".", "--lang", "en"], tmp.path());
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "letopis: error: folder . is not empty: give a new or empty folder\n"
    );
}

#[test]
fn sample_data_checks_clean_and_adds_up() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let (period, diags) = letopis::ingest::load(&sample).unwrap();
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    assert!(period.learners.len() >= 50);
    assert!(
        period
            .sources
            .iter()
            .any(|s| s.encoding == "windows-1251" && s.delimiter == Some(';'))
    );
    for s in &period.sources {
        assert_eq!(s.rows_read, s.rows_kept + s.rows_rejected, "{}", s.path);
        assert_eq!(s.sha256.len(), 64);
    }
    assert!(period.rejected.is_empty());
}
