//! End-to-end tests of retention: `letopis build` seals the terms into the archive, `letopis
//! retention` lists and writes the act, `letopis dispose` removes whole archives under it. The real
//! binary on copies of the sample data with shortened terms.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use cli::{build, letopis, ok, text};
use common::cli;
use common::fixture::copy_dir;

/// All records counted from the group's end or from the document's date, one month: by 2026-09-01
/// every record of the sample (last group ends 26.06.2026) is past its term.
const SHORT: &str = "retention:
  - records: [learners, enrolments, attendance, grades, protocol_results, awards, portfolio, credit_transfers, attachments, lessons, grade_items, protocols]
    months: 1
    from: group_end
    basis: тестовое правило, п. 1
  - records: [orders, issued_documents, documents]
    months: 1
    from: document_date
    basis: тестовое правило, п. 2
";

/// Like [`SHORT`] but orders are kept permanently.
const ORDERS_PERMANENT: &str = "retention:
  - records: [learners, enrolments, attendance, grades, protocol_results, awards, portfolio, credit_transfers, attachments, lessons, grade_items, protocols]
    months: 1
    from: group_end
  - records: [orders]
    permanent: true
    basis: номенклатура дел, п. 3.2
  - records: [issued_documents, documents]
    months: 1
    from: document_date
";

/// A copy of the sample data with `retention` replaced (and the slug, to put two archives of the
/// same period on one medium). The regulations in `documents/` have no date: they are removed so
/// that a whole archive can expire.
fn input(root: &Path, name: &str, retention: &str, slug: &str) -> PathBuf {
    let dir = root.join(name);
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data"),
        &dir,
    );
    std::fs::remove_dir_all(dir.join("documents")).unwrap();
    let cfg = std::fs::read_to_string(dir.join("letopis.yaml")).unwrap();
    let start = cfg.find("\nretention:").unwrap() + 1;
    let end = cfg.find("\n# Экспертная комиссия").unwrap() + 1;
    let cfg = format!("{}{retention}{}", &cfg[..start], &cfg[end..])
        .replace("slug: gorizont", &format!("slug: {slug}"));
    std::fs::write(dir.join("letopis.yaml"), cfg).unwrap();
    dir
}

#[test]
fn archive_keeps_its_terms_and_listing_follows_as_of() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let short = input(root, "in-short", SHORT, "gorizont");
    build(root, &short, &["A"]);
    let data = root.join("A/gorizont-2025/data");
    // The rules in force and the facts are sealed into the archive, covered by the manifest.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("retention.json")).unwrap())
            .unwrap();
    assert_eq!(json["rules"][0]["months"], 1);
    assert_eq!(json["rules"][0]["basis"], "тестовое правило, п. 1");
    // The items do not each repeat their rule's basis in the sealed file...
    let items = json["items"].as_array().unwrap();
    assert!(items.len() > 100, "{}", items.len());
    assert!(items.iter().all(|i| i.get("basis").is_none()), "{json}");
    let manifest =
        std::fs::read_to_string(root.join("A/gorizont-2025/manifest-sha256.txt")).unwrap();
    assert!(manifest.contains("  data/retention.json\n"));
    assert!(manifest.contains("  data/retention.html\n"));
    let page = std::fs::read_to_string(data.join("retention.html")).unwrap();
    assert!(page.contains("<h1>Сроки хранения</h1>"));
    assert!(page.contains("тестовое правило, п. 2"));
    // Changing the config later does not change what the archive says.
    std::fs::write(
        short.join("letopis.yaml"),
        std::fs::read_to_string(short.join("letopis.yaml"))
            .unwrap()
            .replace("months: 1", "years: 99"),
    )
    .unwrap();
    let rules_now = letopis(&["retention", "A", "--as-of", "2026-09-01", "--json"], root);
    let v: serde_json::Value = serde_json::from_str(&ok(&rules_now)).unwrap();
    let a = &v["archives"][0];
    assert_eq!(a["name"], "gorizont-2025");
    assert_eq!(a["kept"].as_array().unwrap().len(), 0, "{a}");
    let expired = a["expired"].as_array().unwrap();
    // The learner who completed with group ПК-ЦОС-24-2 (ended 24.01.2025): term to 24.02.2025.
    let card = expired
        .iter()
        .find(|i| i["kind"] == "learners" && i["learner_name"] == "Новиков Вадим Викторович")
        .unwrap();
    assert_eq!(card["end"], "2025-02-24");
    assert_eq!(card["event_date"], "2025-01-24");
    // ...and reading the archive gives every item its rule's basis back.
    assert_eq!(card["basis"], "тестовое правило, п. 1", "{card}");
    let order = expired.iter().find(|i| i["kind"] == "orders").unwrap();
    assert_eq!(order["basis"], "тестовое правило, п. 2", "{order}");

    // Before that date the card is kept, with the reason; after it, listed as past its term.
    let before = ok(&letopis(&["retention", "A", "--as-of", "2025-02-23"], root));
    let after = ok(&letopis(&["retention", "A", "--as-of", "2025-02-24"], root));
    let line =
        "Новиков Вадим Викторович, ПК-ЦОС-24-2; событие 24.01.2025; срок 1 месяц, истёк 24.02.2025";
    assert!(!before.contains(line), "{before}");
    assert!(after.contains(line), "{after}");
    assert!(before.contains("Хранится дальше:"), "{before}");
    assert!(before.contains("в сроке хранения"), "{before}");
    // With orders kept permanently, the listing says why.
    let perm = input(root, "in-perm", ORDERS_PERMANENT, "perm");
    build(root, &perm, &["P"]);
    let listing = ok(&letopis(&["retention", "P", "--as-of", "2030-01-01"], root));
    assert!(
        listing
            .contains("Приказы (14): хранится постоянно — 14; основание: номенклатура дел, п. 3.2"),
        "{listing}"
    );
}

#[test]
fn act_then_dispose_removes_only_whole_expired_archives() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let short = input(root, "in-short", SHORT, "gorizont");
    let long = input(root, "in-long", ORDERS_PERMANENT, "gorizont");
    let other = input(root, "in-other", "", "other");
    // Media A and B: the short-term archive and another one with the default terms.
    build(root, &short, &["A", "B"]);
    build(root, &other, &["A", "B"]);
    // Medium C: an archive of the same name whose orders are kept permanently.
    build(root, &long, &["C"]);

    // The act as of 01.09.2026 for medium A.
    let out = ok(&letopis(
        &[
            "retention",
            "A",
            "--act",
            "7-У",
            "--as-of",
            "2026-09-01",
            "--config",
            short.to_str().unwrap(),
            "--out",
            "act.html",
        ],
        root,
    ));
    assert!(
        out.contains("архивы к уничтожению целиком: gorizont-2025"),
        "{out}"
    );
    let act = std::fs::read_to_string(root.join("act.html")).unwrap();
    assert!(act.contains("АКТ № 7-У"));
    assert!(act.contains("приказа № 14-ОД от 12.01.2026"));
    assert!(act.contains("Виноградова Марина Сергеевна"));
    assert!(act.contains("Белова Ирина Николаевна"));
    assert!(act.contains("@media print"));
    // Exactly the records of the archive, with their total.
    let facts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("A/gorizont-2025/data/retention.json")).unwrap(),
    )
    .unwrap();
    let items = facts["items"].as_array().unwrap();
    let total: u64 = items.iter().map(|i| i["count"].as_u64().unwrap()).sum();
    let rows = act.matches("<tr><td class=\"num\">").count();
    assert_eq!(rows, items.len());
    let plural = |n: u64, one: &'static str, few: &'static str, many: &'static str| match (
        n % 10,
        n % 100,
    ) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    };
    let n = items.len() as u64;
    let totals = format!(
        "Итого: {n} {} ({total} {}) в 1 архиве: gorizont-2025.",
        plural(n, "позиция", "позиции", "позиций"),
        plural(total, "запись", "записи", "записей")
    );
    assert!(act.contains(&totals), "{totals}");
    assert!(!act.contains("other-2025"));

    // A tampered act is refused: one quantity changed in the printed table.
    let tampered = act.replacen(
        "<td class=\"num\">1</td></tr>",
        "<td class=\"num\">2</td></tr>",
        1,
    );
    assert_ne!(tampered, act);
    std::fs::write(root.join("tampered.html"), &tampered).unwrap();
    let r = letopis(&["dispose", "A", "--act", "tampered.html"], root);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r).1.contains("акт изменён после составления"),
        "{}",
        text(&r).1
    );
    assert!(root.join("A/gorizont-2025/bagit.txt").is_file());

    // Medium C holds an archive of that name with orders kept permanently: refused, nothing removed.
    let r = letopis(&["dispose", "C", "--act", "act.html"], root);
    let err = text(&r).1;
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "в архиве gorizont-2025 запись в сроке хранения: Приказы «Приказ № 01-В от 24.01.2025"
        ) && err.contains("хранится постоянно"),
        "{err}"
    );
    assert!(err.contains("не тот, по которому составлен акт"), "{err}");
    assert!(root.join("C/gorizont-2025/bagit.txt").is_file());
    assert!(
        std::fs::read_to_string(root.join("C/letopis-log.tsv"))
            .unwrap()
            .contains("\tdispose\tакт № 7-У\trefused\t")
    );

    // An act made on C lists that archive only as partly expired: nothing to remove.
    ok(&letopis(
        &[
            "retention",
            "C",
            "--act",
            "8",
            "--as-of",
            "2026-09-01",
            "--config",
            long.to_str().unwrap(),
            "--out",
            "act-c.html",
        ],
        root,
    ));
    let act_c = std::fs::read_to_string(root.join("act-c.html")).unwrap();
    assert!(act_c.contains("Нет архивов, все записи которых имеют истёкший срок хранения."));
    let r = letopis(&["dispose", "C", "--act", "act-c.html"], root);
    assert_eq!(r.status.code(), Some(1));
    assert!(text(&r).1.contains("удалять нечего"));

    // A build or repair writing to medium A (holding its lock) keeps its archives: refused.
    let mut holder = Command::new("python3")
        .args([
            "-c",
            "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(120)",
        ])
        .arg(root.join("A/.letopis-lock"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "locked");
    let r = letopis(&["dispose", "A", "--act", "act.html"], root);
    assert_eq!(r.status.code(), Some(1), "{:?}", text(&r));
    assert!(
        text(&r).1.contains("уже пишет другая команда letopis"),
        "{:?}",
        text(&r)
    );
    assert!(root.join("A/gorizont-2025/bagit.txt").is_file());
    holder.kill().unwrap();
    holder.wait().unwrap();

    // The real disposal on both media A and B.
    for m in ["A", "B"] {
        let out = ok(&letopis(&["dispose", m, "--act", "act.html"], root));
        assert!(
            out.contains("архив gorizont-2025 уничтожен по акту № 7-У"),
            "{out}"
        );
        assert!(!root.join(m).join("gorizont-2025").exists());
        assert!(root.join(m).join("other-2025/bagit.txt").is_file());
        let kept = root.join(m).join("acts/act-7-u.html");
        assert!(out.contains("акт сохранён на носителе:"), "{out}");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), act);
        let log = ok(&letopis(&["log", m], root));
        assert!(log.contains("уничтожение по акту"), "{log}");
        assert!(
            log.contains("уничтожен по акту № 7-У от 01.09.2026"),
            "{log}"
        );
        let index = std::fs::read_to_string(root.join(m).join("index.html")).unwrap();
        assert!(!index.contains("gorizont-2025"));
        assert!(index.contains("other-2025"));
        let v = letopis(&["verify", m], root);
        assert!(v.status.success(), "{:?}", text(&v));
    }
    // The kept act with its checksum passes sha256sum.
    let check = Command::new("sha256sum")
        .args(["-c", "act-7-u.html.sha256"])
        .current_dir(root.join("A/acts"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{:?}", check);
    // verify checks the kept act too: an edited act is reported by name.
    let v = ok(&letopis(&["verify", "A"], root));
    assert!(v.contains("акты об уничтожении"), "{v}");
    let kept = root.join("A/acts/act-7-u.html");
    std::fs::write(&kept, act.replacen("7-У", "7-Х", 1)).unwrap();
    let v = letopis(&["verify", "A"], root);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        text(&v)
            .0
            .contains("изменён файл (контрольная сумма не совпадает): acts/act-7-u.html"),
        "{:?}",
        text(&v)
    );
    std::fs::write(&kept, &act).unwrap();
    // A medium whose archives were all disposed of (only its log and acts remain) still verifies;
    // a folder that is no medium at all is a usage error.
    // (E's log is A's without the archive A still holds: verify misses an archive its log names.)
    std::fs::create_dir_all(root.join("E/acts")).unwrap();
    let log = std::fs::read_to_string(root.join("A/letopis-log.tsv")).unwrap();
    let log: String = log
        .lines()
        .filter(|l| !l.contains("\tother-2025\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.join("E/letopis-log.tsv"), log).unwrap();
    for f in ["act-7-u.html", "act-7-u.html.sha256"] {
        std::fs::copy(root.join("A/acts").join(f), root.join("E/acts").join(f)).unwrap();
    }
    ok(&letopis(&["verify", "E"], root));
    std::fs::create_dir_all(root.join("F")).unwrap();
    assert_eq!(letopis(&["verify", "F"], root).status.code(), Some(2));
    // Disposing again: the archive is gone, refused.
    let r = letopis(&["dispose", "A", "--act", "act.html"], root);
    assert_eq!(r.status.code(), Some(1));
    assert!(text(&r).1.contains("архива gorizont-2025 нет на носителе"));
}

#[test]
fn bad_rules_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = "retention:\n  - records: [orders]\n    permanent: true\n  - records: [lesons]\n    years: 5\n    from: group_end\n";
    let dir = input(tmp.path(), "in", bad, "gorizont");
    let r = letopis(&["check", dir.to_str().unwrap()], tmp.path());
    assert_eq!(r.status.code(), Some(1));
    let err = format!("{}{}", text(&r).0, text(&r).1);
    let cfg = std::fs::read_to_string(dir.join("letopis.yaml")).unwrap();
    let line = cfg
        .lines()
        .position(|l| l == "  - records: [lesons]")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "letopis.yaml:{line}:3: ошибка: правило хранения № 2: неизвестный вид записей «lesons»"
        )),
        "{err}"
    );
    // A rule without `from` is named by its own line too.
    let bad = "retention:\n  - records: [orders]\n    years: 5\n";
    let dir = input(tmp.path(), "in2", bad, "gorizont");
    let r = letopis(&["check", dir.to_str().unwrap()], tmp.path());
    let err = format!("{}{}", text(&r).0, text(&r).1);
    let cfg = std::fs::read_to_string(dir.join("letopis.yaml")).unwrap();
    let line = cfg
        .lines()
        .position(|l| l == "  - records: [orders]")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "letopis.yaml:{line}:3: ошибка: правило хранения № 1: укажите from"
        )),
        "{err}"
    );
}
