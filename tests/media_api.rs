//! The library call `build` makes: `media::write_archive` with a caller-rendered medium index.

use chrono::NaiveDate;
use letopis::layout::Payload;
use letopis::media::{self, MediumOutcome, SealedArchive, WriteOptions};
use letopis::seal::BagMeta;
use std::fs;

fn meta(name: &str, period: &str) -> BagMeta {
    BagMeta {
        source_organization: "АНО ДПО «Профиль»".into(),
        organization_address: None,
        external_identifier: name.into(),
        bagging_date: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
        period: period.into(),
        period_title: Some(format!("{period} учебный год")),
        tool_version: "0.1.0".into(),
        signer: None,
    }
}

#[test]
fn write_archive_reports_per_medium_and_renders_the_index_from_all_archives() {
    let t = tempfile::tempdir().unwrap();
    let page = t.path().join("page.html");
    fs::write(&page, "<p>страница</p>").unwrap();
    let mut payload = Payload::default();
    payload.add("index.html", &page);
    payload.add("learners/l-001.html", &page);
    let media = vec![t.path().join("A"), t.path().join("B")];
    let index = |_medium: &std::path::Path, list: &[SealedArchive]| -> Result<String, String> {
        Ok(list
            .iter()
            .map(|a| {
                format!(
                    "{}={}\n",
                    a.name,
                    a.get("Letopis-Period-Title").unwrap_or("")
                )
            })
            .collect::<String>())
    };
    let opts = WriteOptions {
        index_html: Some(&index),
        ..WriteOptions::default()
    };
    for (name, period) in [("umc-2025", "2025"), ("umc-2024", "2024")] {
        let r = media::write_archive(&payload, &meta(name, period), &media, name, opts).unwrap();
        assert!(r.ok());
        assert_eq!((r.files, r.bytes), (2, 2 * "<p>страница</p>".len() as u64));
        for m in &r.media {
            assert_eq!(m.outcome, MediumOutcome::Written);
            assert_eq!(m.files, 2);
        }
        assert_eq!(r.warnings.len(), 1, "same device warning");
    }
    for m in &media {
        assert_eq!(
            fs::read_to_string(m.join("index.html")).unwrap(),
            "umc-2024=2024 учебный год\numc-2025=2025 учебный год\n"
        );
    }
    // A path escaping data/ is refused before anything is written.
    let mut bad = Payload::default();
    bad.add("../evil.html", &page);
    let e = media::write_archive(&bad, &meta("x", "1"), &media, "x", opts).unwrap_err();
    assert!(
        e.to_string()
            .contains("недопустимый путь внутри архива: «../evil.html»"),
        "{e}"
    );
    assert!(!media[0].join("x").exists());
    // An unreadable source names the file; no staging folder remains.
    let mut missing = Payload::default();
    missing.add("a.html", t.path().join("nope.html"));
    let e = media::write_archive(&missing, &meta("y", "1"), &media, "y", opts).unwrap_err();
    assert!(e.to_string().contains("nope.html"), "{e}");
    assert!(!media[0].join(".letopis-staging-y").exists());
}

/// Two media, a staging folder on the first with three pages in it, and an input file elsewhere.
fn staged_build(t: &std::path::Path) -> (media::Staging, Payload, Vec<std::path::PathBuf>) {
    let media: Vec<_> = ["m1", "m2"].iter().map(|m| t.join(m)).collect();
    for m in &media {
        fs::create_dir(m).unwrap();
    }
    let staging = media::Staging::open(&media, "umc-2025").unwrap();
    let data = staging.data_dir();
    let mut payload = Payload::default();
    for (rel, text) in [
        ("index.html", "<p>Архив</p>"),
        ("learners/ld-1.html", "<p>Иванова Анна Петровна</p>"),
        ("learners/ld-2.html", "<p>Петров Пётр Петрович</p>"),
    ] {
        let path = data.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        payload.add(rel, path);
    }
    let input = t.join("learners.csv");
    fs::write(&input, "id\nЛД-1\nЛД-2\n").unwrap();
    payload.add("raw/learners.csv", input);
    (staging, payload, media)
}

fn write_staged(staging: &mut media::Staging, payload: &Payload) -> media::WriteReport {
    media::write_staged(
        staging,
        payload,
        &meta("umc-2025", "2025"),
        WriteOptions::default(),
    )
    .unwrap()
}

/// The pages are copied to the second medium and read back while the build makes its indexes;
/// the write takes them up (they are not written again) and does the rest, and both copies are
/// whole bags.
#[test]
fn the_write_takes_up_the_pages_copied_while_the_indexes_were_made() {
    let t = tempfile::tempdir().unwrap();
    let (mut staging, mut payload, media) = staged_build(t.path());
    staging.start_early(&payload);
    // An index made meanwhile, in the first medium's staging folder.
    let index = staging.data_dir().join("search/index.js");
    fs::create_dir_all(index.parent().unwrap()).unwrap();
    fs::write(&index, "var x = 1;").unwrap();
    payload.add("search/index.js", index);
    // The head start is done when its copies are on the second medium; they are marked so that
    // writing them again would show.
    let copy = media[1].join(".letopis-staging-umc-2025/data/learners/ld-1.html");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let done = fs::read(&copy).is_ok_and(|b| b == "<p>Иванова Анна Петровна</p>".as_bytes())
            && fs::File::options()
                .write(true)
                .open(&copy)
                .and_then(|f| f.set_modified(old))
                .is_ok();
        if done {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no copy on the second medium"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let report = write_staged(&mut staging, &payload);
    assert!(report.ok(), "{:?}", report.media);
    for m in &media {
        let bag = m.join("umc-2025");
        let check = media::verify::verify_bag(&bag);
        assert!(check.ok(), "{}: {:?}", m.display(), check.problems);
        assert_eq!(check.files, 5, "{}", m.display());
        assert!(!m.join(".letopis-staging-umc-2025").exists());
    }
    let published = media[1].join("umc-2025/data/learners/ld-1.html");
    assert_eq!(fs::metadata(&published).unwrap().modified().unwrap(), old);
}

/// A build that stops before its write (an index that failed, Ctrl+C) leaves nothing on either
/// medium, not even the pages the head start copied.
#[test]
fn a_build_stopped_before_its_write_leaves_no_copy_on_any_medium() {
    let t = tempfile::tempdir().unwrap();
    let (mut staging, payload, media) = staged_build(t.path());
    staging.start_early(&payload);
    drop(staging);
    for m in &media {
        let left: Vec<_> = fs::read_dir(m)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains("umc-2025"))
            .collect();
        assert!(left.is_empty(), "{}: {left:?}", m.display());
    }
}

/// An archive of that name on the second medium already: no head start (the write compares and
/// refuses as ever, and writes the first medium).
#[test]
fn an_archive_already_on_a_medium_is_compared_as_ever_with_a_head_start_asked_for() {
    let t = tempfile::tempdir().unwrap();
    let (mut staging, payload, media) = staged_build(t.path());
    fs::create_dir_all(media[1].join("umc-2025/data")).unwrap();
    fs::write(media[1].join("umc-2025/data/other.html"), "другой").unwrap();
    staging.start_early(&payload);
    let report = write_staged(&mut staging, &payload);
    assert_eq!(report.media[0].outcome, MediumOutcome::Written);
    assert_eq!(report.media[1].outcome, MediumOutcome::Refused);
    assert_eq!(
        fs::read_to_string(media[1].join("umc-2025/data/other.html")).unwrap(),
        "другой"
    );
    assert!(media::verify::verify_bag(&media[0].join("umc-2025")).ok());
    // Nothing of the new archive is left beside the old one.
    assert!(!media[1].join(".letopis-staging-umc-2025").exists());
}
