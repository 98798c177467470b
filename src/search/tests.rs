use super::docs::{Kind, collect};
use super::engine::lev1 as levenshtein1;
use super::fixture::period;
use super::query::{Filters, Searcher};

fn searcher() -> (tempfile::TempDir, Searcher) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = period();
    super::index::write(&collect(&p), "2025", "umc-2025", dir.path()).expect("index");
    let s = Searcher::open_dir(dir.path()).expect("open");
    (dir, s)
}

fn titles(s: &Searcher, q: &str, f: &Filters) -> Vec<String> {
    s.search(q, f, 20)
        .expect("search")
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn surnames_in_any_case_find_the_person() {
    let (_d, s) = searcher();
    for q in [
        "Смирнова",
        "Смирновой",
        "смирновой",
        "Смирновым",
        "Смирнову",
        "Смирнов",
    ] {
        let t = titles(&s, q, &Filters::default());
        assert!(
            t.contains(&"Смирнова Анна Петровна".to_string()),
            "{q}: {t:?}"
        );
    }
    let t = titles(&s, "Смирновым", &Filters::default());
    assert!(t.contains(&"Смирнов Олег Иванович".to_string()), "{t:?}");
    let t = titles(&s, "Кузнецовым", &Filters::default());
    assert!(t.contains(&"Кузнецов Пётр Ильич".to_string()), "{t:?}");
    // A one-letter typo.
    let t = titles(&s, "Смирнва Анна", &Filters::default());
    assert_eq!(
        t.first().map(String::as_str),
        Some("Смирнова Анна Петровна")
    );
    // ё and е.
    let t = titles(&s, "Семенова Алена", &Filters::default());
    assert_eq!(t, ["Семёнова Алёна Юрьевна"]);
}

#[test]
fn topics_codes_and_filters() {
    let (_d, s) = searcher();
    let t = titles(&s, "пожарной безопасности", &Filters::default());
    assert_eq!(t, ["Пожарная безопасность на предприятии"]);
    for q in [
        "11223344595",
        "112-233-445 95",
        "0012345",
        "0012-345",
        "2025/017",
    ] {
        let hits = s.search(q, &Filters::default(), 20).expect("search");
        assert!(
            hits.iter().any(|h| h.kind == "certificate"),
            "{q}: {hits:?}"
        );
    }
    let group = Filters {
        group: Some("ПП-3".into()),
        ..Filters::default()
    };
    assert_eq!(titles(&s, "Смирнову", &group), ["Смирнов Олег Иванович"]);
    let year = Filters {
        year: Some(2024),
        ..Filters::default()
    };
    assert_eq!(titles(&s, "учёт", &year), ["Учёт основных средств", "ПП-3"]);
    let kind = Filters {
        kind: Some(Kind::Group),
        ..Filters::default()
    };
    assert_eq!(titles(&s, "ПК-12", &kind), ["ПК-12"]);
    let hits = s
        .search("хранятся", &Filters::default(), 5)
        .expect("search");
    assert_eq!(hits[0].page, "documents/polozhenie.html");
    assert!(hits[0].snippet.contains("хранятся"), "{:?}", hits[0]);
}

#[test]
fn index_bytes_are_deterministic() {
    let p = period();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let fa = super::index::write(&collect(&p), "2025", "umc-2025", a.path()).expect("a");
    let fb = super::index::write(&collect(&p), "2025", "umc-2025", b.path()).expect("b");
    assert_eq!(fa, fb);
    for f in &fa {
        let x = std::fs::read(a.path().join(f)).expect("read a");
        let y = std::fs::read(b.path().join(f)).expect("read b");
        assert!(x == y, "{f} differs");
    }
}

#[test]
fn one_edit() {
    assert!(levenshtein1("смирнова", "смирнва"));
    assert!(levenshtein1("смирнова", "смирнвоа"));
    assert!(levenshtein1("смирнова", "смирнoва"));
    assert!(!levenshtein1("смирнова", "смирн"));
    assert!(!levenshtein1("abcd", "badc"));
}

#[test]
fn build_writes_both_indexes_into_the_payload_deterministically() {
    let p = period();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let mut pa = crate::layout::Payload::default();
    let mut pb = crate::layout::Payload::default();
    let sa = super::build(&p, a.path(), &mut pa).expect("build a");
    super::build(&p, b.path(), &mut pb).expect("build b");
    assert_eq!(sa.documents, collect(&p).len());
    assert!(pa.files.contains_key("index/meta.json"));
    assert!(pa.files.contains_key("search/search.js"));
    assert!(pa.files.contains_key("search/meta.js"));
    assert!(
        pa.files.contains_key("search/s-smi.js"),
        "{:?}",
        pa.files.keys()
    );
    assert!(pa.files.contains_key("search/g-pk-12.js"));
    assert_eq!(pa.files.len(), pb.files.len());
    for (k, f) in &pa.files {
        let x = std::fs::read(f).expect("read a");
        let y = std::fs::read(&pb.files[k]).expect("read b");
        assert!(x == y, "{k} differs");
    }
    let shard = std::fs::read_to_string(&pa.files["search/s-smi.js"]).expect("shard");
    assert!(
        shard.starts_with("letopisShard(\"umc-2025\",\"smi\",["),
        "{shard}"
    );
    assert!(shard.contains("[\"смирнова\",1,"), "{shard}");
}

/// An English archive's search documents speak English around the records' own texts, in the
/// titles (as the pages do) and in the snippets the results show.
#[test]
fn an_english_archive_describes_its_records_in_english() {
    let mut p = period();
    let ru = collect(&p);
    p.config.language = crate::model::Lang::En;
    let en = collect(&p);
    let text = |docs: &[super::docs::SearchDoc], kind: Kind| -> String {
        docs.iter()
            .filter(|d| d.kind == kind)
            .map(|d| format!("{} | {}", d.title, d.text))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (order_ru, order_en) = (text(&ru, Kind::Order), text(&en, Kind::Order));
    assert!(order_ru.starts_with("Приказ № "), "{order_ru}");
    assert!(order_en.starts_with("Order No. "), "{order_en}");
    assert!(order_en.contains(" of "), "{order_en}");
    let cert = text(&en, Kind::Certificate);
    assert!(cert.contains("reg. No. "), "{cert}");
    assert!(!cert.contains("рег."), "{cert}");
    let learner = text(&en, Kind::Learner);
    assert!(learner.contains("group ПК-12: "), "{learner}");
    assert!(!learner.contains("группа"), "{learner}");
    // The same records, the same order: only the words around them differ.
    assert_eq!(ru.len(), en.len());
    for (a, b) in ru.iter().zip(&en) {
        assert_eq!((a.kind, &a.url), (b.kind, &b.url));
    }
}

/// The browser index written a document at a time (every `d-<n>.js` filled across many adds,
/// the rows of scattered group members made again for the group files) is the one written at
/// once, and the streamed documents are the collected ones.
#[test]
fn browser_index_streamed_in_small_chunks_is_the_same() {
    // The sample period: hundreds of documents, so rows are kept across many `d-<n>.js` files.
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let (p, _) = crate::ingest::load(&sample).expect("sample-data loads");
    let docs = collect(&p);
    let streamed = super::docs::Docs::new(&p);
    let chunks: Vec<_> = streamed.chunks(3).flatten().collect();
    assert_eq!(chunks, docs);
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let fa = super::browser::write(&docs, "2025", "2025", "umc-2025", a.path()).expect("a");
    let mut builder = super::browser::Builder::new("umc-2025", b.path()).expect("builder");
    for d in &docs {
        builder.add(std::slice::from_ref(d)).expect("add");
    }
    let fb = builder
        .finish("2025", "2025", &|ns: &[u32]| {
            ns.iter().map(|&n| docs[n as usize].clone()).collect()
        })
        .expect("b");
    assert_eq!(fa, fb);
    // Several d-<n>.js files, so rows are kept across files and group files repeat some.
    assert!(
        fa.iter().filter(|f| f.starts_with("d-")).count() > 1,
        "{fa:?}"
    );
    assert!(fa.iter().any(|f| f.starts_with("g-")), "{fa:?}");
    for f in &fa {
        let x = std::fs::read(a.path().join(f)).expect("read a");
        let y = std::fs::read(b.path().join(f)).expect("read b");
        assert!(x == y, "{f} differs");
    }
}

#[test]
fn browser_index_is_the_same_on_any_number_of_cores() {
    // The word index is built in one part per thread (`part_of`): an office computer with one
    // core and a server with many must write the same bytes.
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let (p, _) = crate::ingest::load(&sample).expect("sample-data loads");
    let docs = collect(&p);
    let write_on = |threads: usize| {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let files = pool
            .install(|| super::browser::write(&docs, "2025", "2025", "umc-2025", dir.path()))
            .expect("write");
        let bytes: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|f| (f.clone(), std::fs::read(dir.path().join(f)).expect("read")))
            .collect();
        bytes
    };
    let one = write_on(1);
    assert!(one.len() > 2, "{}", one.len());
    for threads in [2, 3, 5] {
        let many = write_on(threads);
        assert_eq!(
            one.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            many.iter().map(|(f, _)| f).collect::<Vec<_>>()
        );
        for ((f, x), (_, y)) in one.iter().zip(&many) {
            assert!(x == y, "{f} differs on {threads} threads");
        }
    }
}
