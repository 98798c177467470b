//! `letopis search`: find records in every archive of a medium, an archive folder or a zip.

use crate::l10n::plural_ru;
use crate::model::Lang;
use crate::search::docs::Kind;
use crate::search::open::{Archive, archives, resolve_group};
use crate::search::query::{Filters, Hit};
use clap::Args;
use serde::Serialize;
use std::io::Write;
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
    /// Только записи этой группы (код, например ПК-12, в любом регистре).
    #[arg(long)]
    pub group: Option<String>,
    /// Только записи этой программы (код программы).
    #[arg(long)]
    pub programme: Option<String>,
    /// Только записи этого вида: слушатель, группа, программа, документ об обучении
    /// (удостоверение), приказ, протокол, зачёт результатов, занятие, документ, файл (или
    /// по-английски: learner, group, certificate, order…).
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
    Kind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.label_ru()).collect();
        format!("неизвестный вид «{s}»; возможны: {}", all.join(", "))
    })
}

#[derive(Serialize)]
struct JsonHit<'a> {
    /// The archive (bag folder or `file.zip!prefix`).
    location: &'a str,
    /// The page as an absolute path on disk, when the archive is a folder.
    file: Option<String>,
    #[serde(flatten)]
    hit: &'a Hit,
}

/// Where a result opens: the page as an absolute path with its `#anchor` (a browser opens it
/// typed or pasted as it is), or `file.zip!data/page` inside a zip.
fn opens(a: &Archive, page: &str) -> (String, Option<String>) {
    let (file, anchor) = match page.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (page, None),
    };
    match &a.data_dir {
        Some(d) => {
            // Native separators on Windows too (`data\\learners\\…`, not `data\\learners/…`).
            let path = file.split('/').fold(d.clone(), |p, c| p.join(c));
            let path = std::path::absolute(&path).unwrap_or(path);
            let shown = match anchor {
                Some(x) => format!("{}#{x}", path.display()),
                None => path.display().to_string(),
            };
            (shown, Some(path.display().to_string()))
        }
        None => (format!("{}/{page}", a.location), None),
    }
}

pub fn run(args: SearchArgs) -> i32 {
    let ru = args.lang.unwrap_or_default() == Lang::Ru;
    let error = if ru { "ошибка" } else { "error" };
    let found = match archives(&args.place) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{error}: {e}");
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
    let group = match &args.group {
        None => None,
        Some(g) => match resolve_group(&found, g) {
            Ok(g) => Some(g),
            Err(all) => {
                eprintln!(
                    "{error}: {} «{g}»; {}: {}",
                    if ru {
                        "в архиве нет группы"
                    } else {
                        "no group"
                    },
                    if ru {
                        "группы архива"
                    } else {
                        "the archive's groups"
                    },
                    all.join(", ")
                );
                return 2;
            }
        },
    };
    let filters = Filters {
        year: args.year,
        group,
        programme: args.programme.clone(),
        kind: args.kind,
    };
    let mut left = args.limit;
    let mut total = 0usize;
    let mut results: Vec<(usize, Vec<Hit>)> = Vec::new();
    for (i, a) in found.iter().enumerate() {
        match a.searcher.find(&args.query, &filters, left) {
            Ok(f) => {
                left -= f.hits.len();
                total += f.total;
                results.push((i, f.hits));
            }
            Err(e) => {
                eprintln!("{error}: {}: {e}", a.location);
                return 2;
            }
        }
    }
    let shown: usize = results.iter().map(|(_, h)| h.len()).sum();
    // Exit 0 when something is found, 1 when nothing is (as grep and ripgrep do).
    let code = if shown == 0 { 1 } else { 0 };
    let out = std::io::stdout().lock();
    match print(out, &args, ru, &found, &results, shown, total) {
        Ok(()) => code,
        // The reader went away (`| head -2`): what it wanted was printed.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("{error}: {e}");
            2
        }
    }
}

fn print(
    mut out: impl Write,
    args: &SearchArgs,
    ru: bool,
    found: &[Archive],
    results: &[(usize, Vec<Hit>)],
    shown: usize,
    total: usize,
) -> std::io::Result<()> {
    if args.json {
        let mut list = Vec::new();
        for (i, hits) in results {
            let a = &found[*i];
            for h in hits {
                list.push(JsonHit {
                    location: &a.location,
                    file: opens(a, &h.page).1,
                    hit: h,
                });
            }
        }
        let s = serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?;
        return writeln!(out, "{s}");
    }
    if shown == 0 {
        return writeln!(
            out,
            "{}",
            if ru {
                format!("Ничего не найдено по запросу «{}».", args.query)
            } else {
                format!("Nothing found for '{}'.", args.query)
            }
        );
    }
    let mut n = 0;
    for (i, hits) in results {
        if hits.is_empty() {
            continue;
        }
        let a = &found[*i];
        writeln!(
            out,
            "== {} ({} {})",
            a.location,
            if ru { "период" } else { "period" },
            a.period
        )?;
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
            writeln!(out, "{who}")?;
            if !h.snippet.is_empty() {
                writeln!(out, "   {}", mark(&h.snippet, &h.matched))?;
            }
            writeln!(out, "   {}", opens(a, &h.page).0)?;
        }
    }
    let more = total - shown;
    let status = if ru {
        let found = plural_ru(total as u64, "Найден", "Найдено", "Найдено");
        let result = plural_ru(total as u64, "результат", "результата", "результатов");
        if more > 0 {
            format!(
                "{found} {total} {result}, показано {shown}; ещё {more} — уточните запрос или укажите --limit {total}."
            )
        } else {
            format!("{found} {total} {result}.")
        }
    } else if more > 0 {
        format!(
            "Found {total} results, {shown} shown; {more} more: refine the query or give --limit {total}."
        )
    } else {
        format!(
            "Found {total} {}.",
            if total == 1 { "result" } else { "results" }
        )
    };
    writeln!(out, "{status}")
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
