//! `letopis search`: find records in every archive of a medium, an archive folder or a zip.

use crate::model::Lang;
use crate::search::docs::Kind;
use crate::search::open::archives;
use crate::search::query::{Filters, Hit};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Носитель (папка с архивами), папка архива или zip-файл архива.
    pub place: PathBuf,
    /// Что искать: фамилия в любом падеже, группа, тема, номер документа, СНИЛС…
    pub query: String,
    /// Только записи этого года.
    #[arg(long)]
    pub year: Option<i32>,
    /// Только записи этой группы (код, например ПК-12).
    #[arg(long)]
    pub group: Option<String>,
    /// Только записи этой программы (код программы).
    #[arg(long)]
    pub programme: Option<String>,
    /// Только записи этого вида: learner, group, programme, certificate, order, protocol,
    /// transfer, lesson, document, attachment.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<Kind>,
    /// Сколько результатов показать (всего, по всем архивам).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// From the global `--json`, set by `cmd::run`.
    #[arg(skip)]
    pub json: bool,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Option<Lang>,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        format!("неизвестный вид «{s}»; возможны: {}", all.join(", "))
    })
}

#[derive(Serialize)]
struct JsonHit<'a> {
    /// The archive (bag folder or `file.zip!prefix`).
    location: &'a str,
    /// The page as a path on disk, when the archive is a folder.
    file: Option<String>,
    #[serde(flatten)]
    hit: &'a Hit,
}

pub fn run(args: SearchArgs) -> i32 {
    let ru = args.lang.unwrap_or_default() == Lang::Ru;
    let found = match archives(&args.place) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}: {e}", if ru { "ошибка" } else { "error" });
            return 2;
        }
    };
    if found.is_empty() {
        eprintln!(
            "{}",
            if ru {
                format!(
                    "ошибка: в «{}» нет архивов с поисковым индексом (data/index)",
                    args.place.display()
                )
            } else {
                format!(
                    "error: no archive with a search index (data/index) in '{}'",
                    args.place.display()
                )
            }
        );
        return 2;
    }
    let filters = Filters {
        year: args.year,
        group: args.group.clone(),
        programme: args.programme.clone(),
        kind: args.kind,
    };
    let mut left = args.limit;
    let mut results: Vec<(usize, Vec<Hit>)> = Vec::new();
    for (i, a) in found.iter().enumerate() {
        if left == 0 {
            break;
        }
        match a.searcher.search(&args.query, &filters, left) {
            Ok(hits) => {
                left -= hits.len();
                results.push((i, hits));
            }
            Err(e) => {
                eprintln!(
                    "{}: {}: {e}",
                    if ru { "ошибка" } else { "error" },
                    a.location
                );
                return 2;
            }
        }
    }
    if args.json {
        let mut out = Vec::new();
        for (i, hits) in &results {
            let a = &found[*i];
            for h in hits {
                let page = h.page.split('#').next().unwrap_or("");
                out.push(JsonHit {
                    location: &a.location,
                    file: a.data_dir.as_ref().map(|d| {
                        page.split('/')
                            .fold(d.clone(), |p, c| p.join(c))
                            .display()
                            .to_string()
                    }),
                    hit: h,
                });
            }
        }
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
        return 0;
    }
    let total: usize = results.iter().map(|(_, h)| h.len()).sum();
    if total == 0 {
        println!(
            "{}",
            if ru {
                format!("Ничего не найдено по запросу «{}».", args.query)
            } else {
                format!("Nothing found for '{}'.", args.query)
            }
        );
        return 0;
    }
    let mut n = 0;
    for (i, hits) in &results {
        if hits.is_empty() {
            continue;
        }
        let a = &found[*i];
        println!(
            "== {} ({} {})",
            a.location,
            if ru { "период" } else { "period" },
            a.period
        );
        for h in hits {
            n += 1;
            let kind = Kind::from_code(&h.kind)
                .map(|k| if ru { k.label_ru() } else { k.label_en() })
                .unwrap_or(&h.kind);
            let mut who = format!("{n}. {} — {kind}", h.title);
            if !h.groups.is_empty() {
                who.push_str(if ru { "; группа " } else { "; group " });
                who.push_str(&h.groups.join(", "));
            }
            if !h.years.is_empty() {
                who.push_str(if ru { "; год " } else { "; year " });
                who.push_str(&h.years.join(", "));
            }
            println!("{who}");
            if !h.snippet.is_empty() {
                println!("   {}", mark(&h.snippet, &h.matched));
            }
            println!("   data/{}", h.page);
        }
    }
    0
}

/// The snippet with the matched words in `[brackets]`.
fn mark(snippet: &str, matched: &[String]) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if matched.iter().any(|m| m == word) {
            out.push('[');
            out.push_str(word);
            out.push(']');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in snippet.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
