//! Benchmark of the search stage on a generated period (see examples/gen_period.rs).
//!
//! ```text
//! cargo run --release --example gen_period -- /tmp/bench/in --learners 20000 --groups 1000 --rows 2000000
//! cargo run --release --example search_bench -- /tmp/bench/in /tmp/bench/out
//! node benches/search_browser.cjs /tmp/bench/out/data/search.html   # browser figures
//! ```
//!
//! Loads the input folder, builds both search indexes into `<out>/data/` (timed), writes a
//! minimal search page with the render stage's markup, then times `Searcher::open_dir` + one query
//! for a set of queries, 21 runs each (cold open every time, as `letopis search` does), and prints
//! p50/p95.

use letopis::search::query::{Filters, Searcher};
use std::path::PathBuf;
use std::time::Instant;

#[path = "common/usage.rs"]
mod usage;
use usage::cpu_total as cpu;

/// System CPU seconds used by the process so far (file creation shows here).
fn sys() -> f64 {
    usage::cpu().1
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let input = PathBuf::from(args.next().ok_or("usage: search_bench INPUT OUT")?);
    let out = PathBuf::from(args.next().ok_or("usage: search_bench INPUT OUT")?);
    let t = Instant::now();
    let (period, _diags) = letopis::ingest::load(&input).map_err(|e| format!("{e:?}"))?;
    println!(
        "ingest: {:.2} s ({} learners, {} lessons)",
        t.elapsed().as_secs_f64(),
        period.learners.len(),
        period.lessons.len()
    );
    let data = out.join("data");
    {
        let (t, c, y) = (Instant::now(), cpu(), sys());
        let docs = letopis::search::docs::collect(&period);
        println!(
            "  collect: {:.2} s wall, {:.2} s CPU ({:.2} s system)",
            t.elapsed().as_secs_f64(),
            cpu() - c,
            sys() - y
        );
        let tmp = out.join("parts");
        let _ = std::fs::remove_dir_all(&tmp);
        let (t, c, y) = (Instant::now(), cpu(), sys());
        letopis::search::index::write(&docs, "p", "a", &tmp.join("index"))?;
        println!(
            "  tantivy index: {:.2} s wall, {:.2} s CPU ({:.2} s system)",
            t.elapsed().as_secs_f64(),
            cpu() - c,
            sys() - y
        );
        let (t, c, y) = (Instant::now(), cpu(), sys());
        letopis::search::browser::write(&docs, "p", "p", "a", &tmp.join("search"))?;
        println!(
            "  browser index: {:.2} s wall, {:.2} s CPU ({:.2} s system)",
            t.elapsed().as_secs_f64(),
            cpu() - c,
            sys() - y
        );
    }
    let mut payload = letopis::layout::Payload::default();
    let (t, c, y) = (Instant::now(), cpu(), sys());
    let stats = letopis::search::build(&period, &data, &mut payload)?;
    println!(
        "search::build: {:.2} s wall, {:.2} s CPU ({:.2} s system), {} documents, {} index files, {} browser files",
        t.elapsed().as_secs_f64(),
        cpu() - c,
        sys() - y,
        stats.documents,
        stats.index_files,
        stats.browser_files
    );
    for dir in ["index", "search"] {
        let mut bytes = 0u64;
        let mut max = (0u64, String::new());
        for e in std::fs::read_dir(data.join(dir))? {
            let e = e?;
            let len = e.metadata()?.len();
            bytes += len;
            if len > max.0 {
                max = (len, e.file_name().to_string_lossy().into_owned());
            }
        }
        println!(
            "data/{dir}: {:.1} MB, largest file {} ({:.1} kB)",
            bytes as f64 / 1e6,
            max.1,
            max.0 as f64 / 1e3
        );
    }
    std::fs::write(
        data.join("search.html"),
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Поиск</title></head><body>\
<form id=\"search-form\"><input id=\"q\" name=\"q\"><select id=\"year\"><option value=\"\">Все годы</option></select>\
<select id=\"group\"><option value=\"\">Все группы</option></select></form><div id=\"search-results\"></div>\
<script src=\"search/search.js\"></script></body></html>",
    )?;

    let l = &period.learners[period.learners.len() / 2];
    let snils = l.snils.clone().unwrap_or_default();
    let lesson = &period.lessons[period.lessons.len() / 3];
    let topic_word = lesson
        .topic
        .split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or("тема")
        .to_string();
    let cert = period
        .issued_documents
        .first()
        .map(|c| c.number.clone())
        .unwrap_or_default();
    let group = period.groups[period.groups.len() / 2].id.clone();
    let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let initials = format!(
        "{} {}. {}.",
        l.surname,
        initial(&l.name),
        initial(l.patronymic.as_deref().unwrap_or(""))
    );
    let reg = period.issued_documents[period.issued_documents.len() / 2]
        .reg_number
        .clone();
    let queries = vec![
        initials,
        l.id.clone(),
        reg,
        l.surname.clone(),
        format!("{}ой", l.surname.trim_end_matches('а')),
        format!("{} {}", l.surname, l.name),
        snils.clone(),
        snils.chars().filter(char::is_ascii_digit).collect(),
        cert,
        group.clone(),
        topic_word,
        "смирновой удостоверение".to_string(),
    ];
    println!("query (open index + search, 21 runs): p50 / p95 ms, results, first result");
    for q in &queries {
        let mut times = Vec::new();
        let mut found = Default::default();
        for _ in 0..21 {
            let t = Instant::now();
            let s = Searcher::open_dir(&data.join("index"))?;
            found = s.find(q, &Filters::default(), 20)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let found: letopis::search::query::Found = found;
        let first = found
            .hits
            .first()
            .map(|h| format!("{} ({})", h.title, h.kind))
            .unwrap_or_default();
        println!(
            "  {q:<32} {:>7.2} / {:>7.2}  {:>6}  {first}",
            times[times.len() / 2],
            times[(times.len() * 95 / 100).min(times.len() - 1)],
            found.total
        );
    }
    // Removed only now: ext4 creates files much more slowly (system time in its search for a
    // free inode that was not recently deleted) right after thousands of files were deleted, which
    // would be charged to search::build above.
    std::fs::remove_dir_all(out.join("parts"))?;
    println!("group for the browser benchmark: {group}");
    Ok(())
}
