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
