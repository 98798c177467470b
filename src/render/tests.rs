//! Unit tests of the render stage on a period built in code (the end-to-end tests in
//! `tests/render.rs` run the real binary on the sample data).

use super::*;
use crate::model::*;
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn o(file: &str, line: u64) -> Origin {
    Origin::new(file.into(), line)
}

fn config() -> Config {
    Config {
        organisation: Organisation {
            name: "АНО ДПО «Учебный центр «Профиль»".into(),
            short_name: Some("УЦ «Профиль»".into()),
            slug: "umc".into(),
            inn: Some("7700000000".into()),
            ogrn: None,
            address: None,
            head: Person {
                name: "Петрова А. С.".into(),
                position: "Директор".into(),
            },
        },
        period: PeriodInfo {
            id: "2025".into(),
            start: d(2025, 1, 1),
            end: d(2025, 12, 31),
            title: Some("2025 год".into()),
        },
        language: Lang::Ru,
        build_date: Some(d(2026, 1, 20)),
        templates: None,
        retention: Default::default(),
        commission: None,
        files: BTreeMap::new(),
        signing_key: None,
    }
}

fn learner(id: &str, surname: &str, name: &str) -> Learner {
    Learner {
        id: id.into(),
        surname: surname.into(),
        name: name.into(),
        patronymic: None,
        birth_date: Some(d(1990, 5, 17)),
        sex: Some(Sex::Female),
        snils: Some("112-233-445 95".into()),
        email: None,
        phone: None,
        platform_ids: vec![],
        origin: o("learners.csv", 2),
        extra: Extra::new(),
    }
}

/// A small period with one group, two learners (one with a `<script>` in the name), three
/// lessons, grades, a protocol, an order with a scan and a Markdown document with raw HTML.
pub(crate) fn period(input: &Path) -> Period {
    std::fs::create_dir_all(input.join("scans")).unwrap();
    std::fs::write(input.join("scans/приказ 1.pdf"), b"%PDF-1.4 test").unwrap();
    std::fs::write(input.join("learners.csv"), "id,surname,name\n").unwrap();
    std::fs::write(input.join("letopis.yaml"), "x").unwrap();
    std::fs::create_dir_all(input.join("documents")).unwrap();
    std::fs::write(input.join("documents/polozhenie.md"), "# Положение").unwrap();
    let lessons: Vec<Lesson> = (1..=3)
        .map(|i| Lesson {
            id: format!("L{i}"),
            group: "ПК-12".into(),
            date: d(2025, 3, i),
            time: Some("10:00".into()),
            hours: 2.0,
            topic: format!("Тема {i}").into(),
            teacher: Some("Иванов И. И.".into()),
            kind: Some("лекция".into()),
            origin: o("lessons.csv", u64::from(i) + 1),
            extra: Extra::new(),
        })
        .collect();
    let mut attendance = Vec::new();
    for (les, mark) in [
        ("L1", Mark::Present),
        ("L2", Mark::Absent),
        ("L3", Mark::Late),
    ] {
        attendance.push(Attendance {
            lesson: les.into(),
            learner: "ЛД-001".into(),
            mark,
            remark: None,
            origin: o("attendance.csv", 2),
            extra: Extra::new(),
        });
    }
    Period {
        config: config(),
        programmes: vec![Programme {
            id: "ПК-ОХР".into(),
            kind: ProgrammeKind::Advanced,
            title: "Охрана труда".into(),
            hours: 40,
            form: Some("очная".into()),
            origin: o("programmes.csv", 2),
            extra: Extra::new(),
        }],
        groups: vec![Group {
            id: "ПК-12".into(),
            programme: "ПК-ОХР".into(),
            start: d(2025, 3, 1),
            end: d(2025, 3, 31),
            curator: Some("Сидорова".into()),
            origin: o("groups.csv", 2),
            extra: Extra::new(),
        }],
        learners: vec![
            learner("ЛД-001", "Смирнова", "Анна"),
            learner("ЛД-002", "<script>alert(1)</script>", "Ёлка"),
        ],
        enrolments: vec![Enrolment {
            learner: "ЛД-001".into(),
            group: "ПК-12".into(),
            date: d(2025, 3, 1),
            order: Some("12-к".into()),
            outcome: Outcome::Completed,
            outcome_date: Some(d(2025, 3, 31)),
            outcome_order: None,
            reason: None,
            origin: o("enrolments.csv", 2),
            extra: Extra::new(),
        }],
        orders: vec![Order {
            id: "12-к".into(),
            date: d(2025, 2, 27),
            kind: OrderKind::Enrolment,
            group: Some("ПК-12".into()),
            title: "О зачислении".into(),
            text: None,
            file: Some("scans/приказ 1.pdf".into()),
            origin: o("orders.csv", 2),
            extra: Extra::new(),
        }],
        lessons,
        attendance,
        grade_items: vec![GradeItem {
            id: "EX".into(),
            group: "ПК-12".into(),
            title: "Итоговый экзамен".into(),
            control: Control::Final,
            scale: Scale::Five,
            lesson: Some("L3".into()),
            date: Some(d(2025, 3, 3)),
            origin: o("grade_items.csv", 2),
            extra: Extra::new(),
        }],
        grades: vec![Grade {
            item: "EX".into(),
            learner: "ЛД-001".into(),
            value: GradeValue::Mark(5),
            raw: "5".into(),
            date: None,
            comment: Some("отлично".into()),
            origin: o("grades.csv", 2),
            extra: Extra::new(),
        }],
        protocols: vec![],
        protocol_results: vec![],
        issued_documents: vec![],
        awards: vec![],
        portfolio: vec![],
        credit_transfers: vec![],
        attachments: vec![],
        documents: vec![MarkdownDoc {
            id: "polozhenie".into(),
            path: "documents/polozhenie.md".into(),
            title: "Положение".into(),
            markdown: "# Положение\n\n<script>alert('x')</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">ссылка</a>\n".into(),
        }],
        sources: vec![SourceFile {
            path: "learners.csv".into(),
            kind: "learners".into(),
            format: "csv".into(),
            encoding: "utf-8".into(),
            delimiter: Some(','),
            size: 16,
            sha256: "00".repeat(32),
            rows_read: 2,
            rows_kept: 2,
            rows_rejected: 0,
        }],
        rejected: vec![],
    }
}

fn read(dir: &Path, page: &str) -> String {
    std::fs::read_to_string(dir.join(page)).unwrap()
}

#[test]
fn renders_every_page_with_payload() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let work = tmp.path().join("work");
    let p = period(&input);
    let r = render(&p, &input, &work, &RenderOptions::default()).unwrap();
    assert_eq!(r.pages, page_count(&p));
    for page in [
        "index.html",
        "learners/index.html",
        "learners/ld-001.html",
        "learners/ld-002.html",
        "groups/pk-12.html",
        "programmes/pk-okhr.html",
        "orders.html",
        "issued.html",
        "protocols.html",
        "transfers.html",
        "documents/index.html",
        "documents/polozhenie.html",
        "attachments.html",
        "about.html",
        "search.html",
        "assets/style.css",
        "archive.json",
    ] {
        assert_eq!(
            r.payload.files.get(page),
            Some(&work.join(page)),
            "payload misses {page}"
        );
        assert!(work.join(page).is_file(), "{page} not written");
    }
    assert_eq!(
        r.payload.files.get("files/scans/приказ 1.pdf"),
        Some(&input.join("scans/приказ 1.pdf"))
    );
    assert_eq!(
        r.payload.files.get("raw/learners.csv"),
        Some(&input.join("learners.csv"))
    );

    let learner = read(&work, "learners/ld-001.html");
    assert!(learner.contains("Личное дело: Смирнова Анна"), "{learner}");
    assert!(learner.contains("Итоговый экзамен"));
    // The grade column is bold by its position (style.css), not by a class in every row.
    assert!(learner.contains("<td>5<td>"), "{learner}");
    // An attendance row links its date to the lesson in the journal; the topic is there, once.
    assert!(
        learner.contains("<tr><td><a href=\"../groups/pk-12.html#lesson-l1\">"),
        "{learner}"
    );
    assert!(learner.contains("17.05.1990"));
    assert!(learner.contains("contenteditable=\"true\">Петрова А. С.</td>"));
    assert!(learner.contains("М.П."));
    assert!(learner.contains("href=\"../assets/style.css\""));
    assert!(learner.contains("href=\"../orders.html#order-12-k\""));
    // attended L1 (present) and L3 (late), absent on L2
    assert!(
        learner.contains("Посещено занятий: <strong>2</strong> из 3"),
        "{learner}"
    );

    let group = read(&work, "groups/pk-12.html");
    assert!(group.contains("id=\"lesson-l1\""));
    // The printed journal repeats the grid in parts of PRINT_COLUMNS lessons; 3 lessons: one part.
    assert_eq!(
        group.matches("class=\"grid journal print-part\"").count(),
        1
    );
    assert!(group.contains("<div class=\"grid-box screen-only\">"));
    // A mark's name is in the legend once, not in every cell; «present» cells carry no class.
    assert!(group.contains("<td class=\"m-a\">н<td"), "{group}");
    assert!(group.contains("<span class=\"m-a\">н</span> — отсутствовал"));
    assert!(group.contains("<td>п<td"), "{group}");
    assert!(!group.contains("title=\"отсутствовал\""), "{group}");
    assert!(
        group.contains(">о 5<td"),
        "grade shown in the lesson's cell (late + 5)"
    );
    assert!(group.contains("href=\"../files/scans/%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%201.pdf\""));

    let evil = read(&work, "learners/ld-002.html");
    assert!(!evil.contains("<script>alert(1)"), "name not escaped");
    assert!(
        evil.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || evil.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let doc = read(&work, "documents/polozhenie.html");
    assert_eq!(
        doc.matches("Положение</h1>").count(),
        1,
        "title repeated: {doc}"
    );
    assert!(!doc.contains("<script"), "{doc}");
    assert!(!doc.contains("javascript:"), "{doc}");
    assert!(!doc.contains("onclick"), "{doc}");

    let search = read(&work, "search.html");
    for needle in [
        "<form id=\"search-form\"",
        "id=\"q\" name=\"q\"",
        "<select id=\"year\"",
        "<option value=\"2025\">2025</option>",
        "<select id=\"group\"",
        "<div id=\"search-results\"",
        "<script src=\"search/search.js\"></script>",
    ] {
        assert!(search.contains(needle), "search.html lacks {needle}");
    }
    let index = read(&work, "index.html");
    assert!(index.contains("action=\"search.html\""));
    assert!(index.contains("<noscript>"));
}

#[test]
fn english_interface() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut p = period(&input);
    p.config.language = Lang::En;
    render(&p, &input, &tmp.path().join("w"), &RenderOptions::default()).unwrap();
    let learner = read(&tmp.path().join("w"), "learners/ld-001.html");
    assert!(learner.contains("<html lang=\"en\">"));
    assert!(learner.contains("Personal file: Смирнова Анна"));
    assert!(learner.contains("contenteditable=\"true\">Петрова А. С.</td>"));
    assert!(learner.contains("Extract from the learner"));
    assert!(learner.contains("Sheet \" counter(page) \" of \" counter(pages)"));
}

#[test]
fn rendering_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let p = period(&input);
    let a = render(&p, &input, &tmp.path().join("a"), &RenderOptions::default()).unwrap();
    let b = render(&p, &input, &tmp.path().join("b"), &RenderOptions::default()).unwrap();
    assert_eq!(
        a.payload.files.keys().collect::<Vec<_>>(),
        b.payload.files.keys().collect::<Vec<_>>()
    );
    for (k, pa) in &a.payload.files {
        let pb = &b.payload.files[k];
        assert_eq!(
            std::fs::read(pa).unwrap(),
            std::fs::read(pb).unwrap(),
            "{k} differs"
        );
    }
}

#[test]
fn rejects_paths_leaving_the_input_folder() {
    for bad in [
        "../etc/passwd",
        "/etc/passwd",
        "a/../../b",
        "C:\\x",
        "a\\b",
        "",
        "a//b",
        "./a",
    ] {
        assert!(check_relative(bad).is_err(), "{bad:?} accepted");
    }
    check_relative("scans/приказ 1.pdf").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut p = period(&input);
    p.orders[0].file = Some("../secret.pdf".into());
    let err = render(&p, &input, &tmp.path().join("w"), &RenderOptions::default()).unwrap_err();
    assert!(
        matches!(err, RenderError::UnsafePath { ref path } if path == "../secret.pdf"),
        "{err}"
    );
}

#[test]
fn override_templates_and_broken_override() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let p = period(&input);
    let tpl = tmp.path().join("tpl");
    let written = write_default_templates(&tpl).unwrap();
    assert_eq!(written.len(), EMBEDDED.len() + 1);
    assert!(
        write_default_templates(&tpl).is_err(),
        "overwrote existing templates"
    );
    let about = tpl.join("about.html");
    std::fs::write(
        &about,
        "{% extends \"base.html\" %}{% block content %}СВОЙ ШАБЛОН{% endblock content %}",
    )
    .unwrap();
    let opts = RenderOptions {
        templates: Some(&tpl),
        ..Default::default()
    };
    render(&p, &input, &tmp.path().join("w"), &opts).unwrap();
    assert!(read(&tmp.path().join("w"), "about.html").contains("СВОЙ ШАБЛОН"));

    std::fs::write(&about, "{% if %}").unwrap();
    let err = render(&p, &input, &tmp.path().join("w2"), &opts).unwrap_err();
    match &err {
        RenderError::Template { file, .. } => assert!(file.ends_with("about.html"), "{err}"),
        other => panic!("expected a template error, got {other}"),
    }
}

#[test]
fn medium_index_lists_archives_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut p = period(&input);
    let medium = tmp.path().join("medium");
    let r = render(
        &p,
        &input,
        &medium.join("umc-2025/data"),
        &RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(r.archive.name, "umc-2025");
    p.config.period.id = "2024".into();
    p.config.period.title = Some("2024 год".into());
    p.config.period.start = d(2024, 1, 1);
    p.config.period.end = d(2024, 12, 31);
    render(
        &p,
        &input,
        &medium.join("umc-2024/data"),
        &RenderOptions::default(),
    )
    .unwrap();
    std::fs::create_dir_all(medium.join("other")).unwrap();
    // Only sealed archives (bags) are listed.
    for a in ["umc-2025", "umc-2024"] {
        std::fs::write(medium.join(a).join("bagit.txt"), "").unwrap();
    }
    let found = scan_medium(&medium).unwrap();
    assert_eq!(found.len(), 2);
    let html = medium_index(&found, &Templates::load(None).unwrap()).unwrap();
    let a = html.find("umc-2025/data/index.html").unwrap();
    let b = html.find("umc-2024/data/index.html").unwrap();
    assert!(a < b, "newest first");
    assert!(html.contains("Архивы на этом носителе"));
}

/// The registers rendered a chunk of rows at a time (see `split`) are the pages rendered whole:
/// with more rows than a chunk, rows with and without optional values and extra columns, and
/// page templates replaced by copies of the embedded ones (which are rendered whole).
#[test]
fn registers_rendered_in_chunks_are_the_pages_rendered_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut p = period(&input);
    let n = 2_500;
    for i in 0..n {
        let mut extra = Extra::new();
        if i % 7 == 0 {
            extra.insert("Примечание".into(), format!("строка {i} <b>"));
        }
        p.issued_documents.push(IssuedDocument {
            reg_number: format!("ПК-25/{i:05}"),
            learner: "ЛД-001".into(),
            group: (i % 3 != 0).then(|| "ПК-12".into()),
            kind: "Удостоверение о повышении квалификации".into(),
            series: (i % 2 == 0).then(|| "662418".into()),
            number: format!("{:07}", 3000 + i),
            issue_date: d(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
            duplicate: i % 11 == 0,
            received_by: (i % 5 == 0).then(|| "лично".into()),
            origin: o("issued_documents.csv", 2 + i as u64),
            extra,
        });
        p.protocols.push(Protocol {
            id: format!("П-{i:05}"),
            date: d(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
            group: "ПК-12".into(),
            kind: Control::Final,
            chair: "Иванов И. И.".into(),
            members: if i % 2 == 0 {
                vec!["Петров П. П.".into()]
            } else {
                vec![]
            },
            secretary: (i % 3 == 0).then(|| "Сидорова С. С.".into()),
            origin: o("protocols.yaml", 2 + i as u64),
            extra: Extra::new(),
        });
        p.protocol_results.push(ProtocolResult {
            protocol: format!("П-{i:05}"),
            learner: "ЛД-001".into(),
            result: if i % 2 == 0 { "5" } else { "зачтено" }.into(),
            work: (i % 4 == 0).then(|| format!("Работа {i}")),
            comment: None,
            origin: o("protocol_results.csv", 2 + i as u64),
            extra: Extra::new(),
        });
    }
    // The learners' list is written a letter at a time: letters of several sizes, `Ё` listed
    // under `Е`, a surname in Latin letters.
    let surnames = [
        "Абрамов",
        "Ёлкин",
        "Егоров",
        "Абрамова",
        "Яковлев",
        "Smith",
        "Юдин",
    ];
    for i in 0..300 {
        let surname = surnames[i % surnames.len()];
        p.learners
            .push(learner(&format!("ЛД-{i:05}"), surname, "Анна"));
    }
    let chunked = tmp.path().join("chunked");
    render(&p, &input, &chunked, &RenderOptions::default()).unwrap();
    let tpl = tmp.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    for name in ["issued.html", "protocols.html", "learners.html"] {
        // Changed by a comment that prints nothing: a page template of one's own, rendered whole.
        let (_, text) = EMBEDDED.iter().find(|(n, _)| *n == name).unwrap();
        std::fs::write(tpl.join(name), format!("{text}{{# своя копия #}}")).unwrap();
    }
    let whole = tmp.path().join("whole");
    let opts = RenderOptions {
        templates: Some(&tpl),
        ..Default::default()
    };
    render(&p, &input, &whole, &opts).unwrap();
    for page in ["issued.html", "protocols.html", "learners/index.html"] {
        let (a, b) = (read(&chunked, page), read(&whole, page));
        assert!(a == b, "{page} differs when rendered in chunks");
    }
    // Last year's learners.html, every letter inline and the line of letters from the same
    // list: rendered whole, the same page.
    let last_year = tmp.path().join("last-year");
    std::fs::create_dir_all(&last_year).unwrap();
    std::fs::write(last_year.join("learners.html"), LEARNERS_HTML_2025).unwrap();
    let old = tmp.path().join("old");
    let opts = RenderOptions {
        templates: Some(&last_year),
        ..Default::default()
    };
    render(&p, &input, &old, &opts).unwrap();
    let learners = read(&chunked, "learners/index.html");
    assert!(
        learners == read(&old, "learners/index.html"),
        "learners.html of 2025"
    );
    assert_eq!(learners.matches("<h2 id=\"letter-").count(), 7);
    assert_eq!(learners.matches("<a href=\"#letter-").count(), 7);
    assert!(!learners.contains(">Ё</h2>") && learners.contains(">Е</h2>"));
    let issued = read(&chunked, "issued.html");
    assert_eq!(issued.matches("<tr id=\"").count(), n);
    assert!(issued.contains("ПК-25/02499") && issued.contains("строка 2499 &lt;b&gt;"));
    let protocols = read(&chunked, "protocols.html");
    assert_eq!(protocols.matches("class=\"protocol\"").count(), n);

    // Which way each page went: a row template of one's own that shows whether it is rendered
    // as part of a chunk (`rows`, the chunk's list, exists only then).
    let own = tmp.path().join("own-row");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(
        own.join("issued_row.html"),
        "<tr><td>{% if rows is defined %}по частям{% else %}целиком{% endif %} {{ d.reg_number }}</td></tr>\n",
    )
    .unwrap();
    let opts = RenderOptions {
        templates: Some(&own),
        ..Default::default()
    };
    // issued.html's rows as rendered with the templates in `own` now, each "по частям" or
    // "целиком".
    let rows_of = |out: &str| -> (usize, usize) {
        let out = tmp.path().join(out);
        render(&p, &input, &out, &opts).unwrap();
        let page = read(&out, "issued.html");
        (
            page.matches("<tr><td>по частям ").count(),
            page.matches("<tr><td>целиком ").count(),
        )
    };
    assert_eq!(rows_of("own"), (n, 0), "embedded issued.html");
    // A letter template of one's own that shows the way too: a letter at a time.
    std::fs::write(
        own.join("learners_letter.html"),
        "<h2>{% if rows is defined %}по частям{% else %}целиком{% endif %} {{ l.letter }}</h2>\n",
    )
    .unwrap();
    let letters = tmp.path().join("own-letter");
    render(&p, &input, &letters, &opts).unwrap();
    let page = read(&letters, "learners/index.html");
    assert_eq!(page.matches("<h2>по частям ").count(), 7, "{page}");
    std::fs::remove_file(own.join("learners_letter.html")).unwrap();
    // Last year's issued.html of one's own: rendered whole, with every row.
    std::fs::copy(tpl.join("issued.html"), own.join("issued.html")).unwrap();
    assert_eq!(rows_of("own-page"), (0, n), "issued.html of one's own");
    // The embedded issued.html copied unchanged (`letopis init --templates`) replaces nothing.
    let (_, text) = EMBEDDED.iter().find(|(n, _)| *n == "issued.html").unwrap();
    std::fs::write(own.join("issued.html"), text).unwrap();
    assert_eq!(rows_of("own-copy"), (n, 0), "issued.html copied unchanged");
}

/// `learners.html` as the 2025 version embedded it (and as users' copies of it still are).
const LEARNERS_HTML_2025: &str = r##"{% extends "base.html" %}
{% block content %}
<p class="letters">{% for l in page.letters %}<a href="#{{ l.anchor }}">{{ l.letter }}</a> {% endfor %}</p>
{% for l in page.letters %}
<h2 id="{{ l.anchor }}">{{ l.letter }}</h2>
<table class="list">
<thead><tr><th>{{ t.full_name }}</th><th>{{ t.file_number }}</th><th>{{ t.birth_date }}</th><th>{{ t.groups }}</th></tr></thead>
<tbody>
{% for x in l.learners %}<tr><td><a href="{{ x.learner.href }}">{{ x.learner.text }}</a></td><td class="code">{{ x.id }}</td><td>{{ x.birth_date }}</td><td>{% for g in x.groups %}<a href="{{ g.href }}">{{ g.text }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}</tbody>
</table>
{% else %}<p class="muted">{{ t.none }}</p>
{% endfor %}
{% endblock content %}
"##;

/// A personal file listed by two groups' print sets is rendered once, with the first of them,
/// from the same values as both print sets; a learner in no print set gets a page of their own.
#[test]
fn personal_files_are_rendered_once_with_their_print_sets() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut p = period(&input);
    let mut second = p.groups[0].clone();
    second.id = "ПК-13".into();
    p.groups.push(second);
    let mut again = p.enrolments[0].clone();
    again.group = "ПК-13".into();
    p.enrolments.push(again);
    let work = tmp.path().join("w");
    let r = render(&p, &input, &work, &RenderOptions::default()).unwrap();
    assert_eq!(r.pages, page_count(&p), "every page counted once");
    // ЛД-002 is in no group: a page of its own; ЛД-001 in both print sets.
    for page in ["learners/ld-001.html", "learners/ld-002.html"] {
        assert!(r.payload.files.contains_key(page), "{page}");
    }
    let card = |html: &str| -> String {
        let from = html.find("<section class=\"card\" id=\"card\">").unwrap();
        let to = from + html[from..].find("</section>").unwrap();
        html[from..to].to_string()
    };
    let own = card(&read(&work, "learners/ld-001.html"));
    assert!(own.contains("Смирнова"), "{own}");
    for set in ["print/group-pk-12.html", "print/group-pk-13.html"] {
        assert_eq!(card(&read(&work, set)), own, "{set}");
    }
    // The same pages, byte for byte, as another render (whichever core made them).
    let again = tmp.path().join("again");
    render(&p, &input, &again, &RenderOptions::default()).unwrap();
    for page in r.payload.files.keys().filter(|k| k.ends_with(".html")) {
        assert_eq!(read(&work, page), read(&again, page), "{page}");
    }
}
