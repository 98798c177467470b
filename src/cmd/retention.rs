//! `letopis retention MEDIUM [--as-of DATE] [--json]`: what reaches the end of its term by a date,
//! and what is kept longer and why; with `--act N --as-of DATE --config letopis.yaml`, the act of
//! selection of documents for destruction.

use super::verify::print_error;
use crate::l10n::date;
use crate::layout::slug::slug;
use crate::model::{Lang, Text};
use crate::retention::{self, Item, OnMedium, act, kind_label};
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Носитель (папка с архивами)
    pub medium: PathBuf,
    /// На какую дату (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ); по умолчанию — сегодня
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Вывести в JSON (для сценариев)
    #[arg(long, conflicts_with = "act")]
    pub json: bool,
    /// Составить акт о выделении к уничтожению с этим номером (нужны --as-of и --config)
    #[arg(long, requires_all = ["as_of", "config"])]
    pub act: Option<String>,
    /// letopis.yaml (или папка выгрузки) с организацией и экспертной комиссией — для акта
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Куда записать акт (по умолчанию act-<номер>.html в текущей папке)
    #[arg(long, requires = "act")]
    pub out: Option<PathBuf>,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| "дата вида 2029-01-31 или 31.01.2029 / a date like 2029-01-31".into())
}

pub fn run(args: RetentionArgs) -> i32 {
    let lang = args.lang;
    let archives = match retention::scan(&args.medium) {
        Ok(a) => a,
        Err(e) => {
            print_error(&e.text(), lang);
            return 2;
        }
    };
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if let Some(number) = &args.act {
        return write_act(&args, number, as_of, &archives);
    }
    if args.json {
        println!("{}", json_report(&archives, as_of, lang));
    } else {
        print!("{}", text_report(&archives, as_of, lang));
    }
    0
}

#[derive(Serialize)]
struct JsonArchive<'a> {
    name: &'a str,
    period_title: Option<&'a str>,
    /// `false` for an archive built without retention facts (nothing can be said about it).
    has_facts: bool,
    expired: Vec<&'a Item>,
    kept: Vec<KeptItem<'a>>,
}

#[derive(Serialize)]
struct KeptItem<'a> {
    #[serde(flatten)]
    item: &'a Item,
    reason: String,
}

fn json_report(archives: &[OnMedium], as_of: NaiveDate, lang: Lang) -> String {
    let list: Vec<JsonArchive> = archives
        .iter()
        .map(|a| {
            let items = a.facts.as_ref().map(|f| f.items.as_slice()).unwrap_or(&[]);
            JsonArchive {
                name: &a.name,
                period_title: a.facts.as_ref().map(|f| f.period_title.as_str()),
                has_facts: a.facts.is_some(),
                expired: items.iter().filter(|i| i.expired(as_of)).collect(),
                kept: items
                    .iter()
                    .filter_map(|i| {
                        i.kept_reason(as_of, lang)
                            .map(|reason| KeptItem { item: i, reason })
                    })
                    .collect(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "as_of": as_of,
        "archives": list,
    }))
    .unwrap_or_default()
}

fn who(i: &Item) -> String {
    let mut s = String::new();
    if !i.title.is_empty() {
        s.push_str(&i.title);
    }
    if let Some(n) = i.learner_name.as_ref().or(i.learner.as_ref()) {
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(n);
    }
    if let Some(g) = &i.group {
        if !s.is_empty() {
            s.push_str(", ");
        }
        s.push_str(g);
    }
    s
}

fn text_report(archives: &[OnMedium], as_of: NaiveDate, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    let mut s = String::new();
    if archives.is_empty() {
        s.push_str(if ru {
            "На носителе нет архивов.\n"
        } else {
            "No archives on the medium.\n"
        });
    }
    for a in archives {
        let Some(f) = &a.facts else {
            s.push_str(&if ru {
                format!(
                    "Архив {}: собран без сведений о сроках хранения ({}); хранится, пока не будет пересобран\n\n",
                    a.name,
                    crate::layout::paths::FACTS_JSON
                )
            } else {
                format!(
                    "Archive {}: built without retention facts ({}); kept until rebuilt\n\n",
                    a.name,
                    crate::layout::paths::FACTS_JSON
                )
            });
            continue;
        };
        expired_report(&mut s, &a.name, f, as_of, lang);
        kept_report(&mut s, f, as_of, lang);
        s.push('\n');
    }
    s
}

/// The archive's heading and its items past their term, by kind.
fn expired_report(s: &mut String, name: &str, f: &retention::Facts, as_of: NaiveDate, lang: Lang) {
    let ru = lang == Lang::Ru;
    s.push_str(&format!(
        "{} {} ({}, {}–{})\n",
        if ru { "Архив" } else { "Archive" },
        name,
        f.period_title,
        date(f.period_start),
        date(f.period_end)
    ));
    let expired: Vec<&Item> = f.items.iter().filter(|i| i.expired(as_of)).collect();
    let records: u64 = expired.iter().map(|i| i.count).sum();
    s.push_str(&if ru {
        format!(
            "  Срок хранения истёк к {}: {} (записей: {records}){}\n",
            date(as_of),
            expired.len(),
            if expired.len() == f.items.len() {
                " — все записи архива"
            } else {
                ""
            }
        )
    } else {
        format!(
            "  Past their term by {}: {} (records: {records}){}\n",
            date(as_of),
            expired.len(),
            if expired.len() == f.items.len() {
                " — every record of the archive"
            } else {
                ""
            }
        )
    });
    for (kind, items) in by_kind(&expired) {
        s.push_str(&format!("    {}\n", kind_label(kind, lang)));
        for i in items {
            s.push_str(&format!(
                "      {}; {} {}{}; {} {}, {} {} ({} {})\n",
                who(i),
                if ru { "событие" } else { "event" },
                i.event_date.map(date).unwrap_or_default(),
                source(i, lang),
                if ru { "срок" } else { "term" },
                i.term.label(lang),
                if ru { "истёк" } else { "ended" },
                i.end.map(date).unwrap_or_default(),
                if ru { "записей:" } else { "records:" },
                i.count
            ));
        }
    }
}

/// The archive's items kept longer, by kind: why, until when, on what basis.
fn kept_report(s: &mut String, f: &retention::Facts, as_of: NaiveDate, lang: Lang) {
    let ru = lang == Lang::Ru;
    let kept: Vec<&Item> = f.items.iter().filter(|i| !i.expired(as_of)).collect();
    if !kept.is_empty() {
        s.push_str(&if ru {
            format!("  Хранится дальше: {}\n", kept.len())
        } else {
            format!("  Kept longer: {}\n", kept.len())
        });
        for (kind, items) in by_kind(&kept) {
            let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
            for i in &items {
                let r = match (i.term, i.end) {
                    (_, Some(_)) => {
                        if ru {
                            format!("в сроке хранения{}", source(i, lang))
                        } else {
                            format!("in its term{}", source(i, lang))
                        }
                    }
                    _ => i.kept_reason(as_of, lang).unwrap_or_default(),
                };
                *reasons.entry(r).or_default() += 1;
            }
            let ends: Vec<NaiveDate> = items.iter().filter_map(|i| i.end).collect();
            let mut line = format!(
                "    {} ({}): {}",
                kind_label(kind, lang),
                items.len(),
                reasons
                    .iter()
                    .map(|(r, n)| format!("{r} — {n}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            if let (Some(a), Some(b)) = (ends.iter().min(), ends.iter().max()) {
                line.push_str(&if ru {
                    format!(", сроки истекают {}–{}", date(*a), date(*b))
                } else {
                    format!(", terms end {}–{}", date(*a), date(*b))
                });
            }
            if let Some(b) = items.iter().find_map(|i| i.basis.as_ref()) {
                line.push_str(&format!(
                    "; {} {b}",
                    if ru { "основание:" } else { "basis:" }
                ));
            }
            s.push_str(&line);
            s.push('\n');
        }
    }
}

/// ` (из архива gorizont-2026)` when the event's date came from a later archive.
fn source(i: &Item, lang: Lang) -> String {
    match (&i.event_source, lang) {
        (None, _) => String::new(),
        (Some(a), Lang::Ru) => format!(" (дата окончания обучения или отчисления из архива {a})"),
        (Some(a), Lang::En) => format!(" (completion or expulsion date from archive {a})"),
    }
}

fn by_kind<'a>(items: &[&'a Item]) -> Vec<(&'a str, Vec<&'a Item>)> {
    let mut out: Vec<(&str, Vec<&Item>)> = Vec::new();
    for i in items {
        match out.last_mut() {
            Some((k, v)) if *k == i.kind => v.push(i),
            _ => out.push((i.kind.as_str(), vec![i])),
        }
    }
    out
}

/// Reads `letopis.yaml` (or the one in an input folder) for the act.
fn write_act(args: &RetentionArgs, number: &str, as_of: NaiveDate, archives: &[OnMedium]) -> i32 {
    let lang = args.lang;
    let Some(cfg_path) = &args.config else {
        return 2;
    };
    let (config, templates) = match act_setup(cfg_path) {
        Ok(x) => x,
        Err(t) => {
            print_error(&t, lang);
            return 2;
        }
    };
    let Some(commission) = &config.commission else {
        print_error(
            &Text::new(
                format!(
                    "в {} нет раздела commission: акт подписывает экспертная комиссия, назначенная приказом (номер и дата приказа, председатель, члены)",
                    cfg_path.display()
                ),
                format!(
                    "{} has no commission section: the act is signed by the expert commission appointed by order (order number and date, chair, members)",
                    cfg_path.display()
                ),
            ),
            lang,
        );
        return 2;
    };
    let medium_name = std::fs::canonicalize(&args.medium)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| args.medium.display().to_string());
    let built = act::build(number, as_of, &config, commission, &medium_name, archives)
        .and_then(|a| act::render(&a, &templates).map(|h| (a, h)));
    let (a, html) = match built {
        Ok(x) => x,
        Err(e) => {
            print_error(&e.text(), lang);
            return 2;
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("act-{}.html", slug(number))));
    if let Err(e) = std::fs::write(&out, html) {
        print_error(
            &Text::new(
                format!("{}: {e}", out.display()),
                format!("{}: {e}", out.display()),
            ),
            lang,
        );
        return 2;
    }
    print_act_summary(&a, number, as_of, &out, lang);
    0
}

/// The configuration and the templates the act is drawn up with (`templates:`, relative to the
/// configuration's folder), as the archive's pages are.
fn act_setup(
    cfg_path: &std::path::Path,
) -> Result<(crate::model::Config, crate::render::Templates), Text> {
    let config = crate::ingest::read_config(cfg_path)?;
    let base = if cfg_path.is_dir() {
        cfg_path.to_path_buf()
    } else {
        cfg_path.parent().map(PathBuf::from).unwrap_or_default()
    };
    let templates_dir = config.templates.as_ref().map(|t| base.join(t));
    let templates = crate::render::Templates::load(templates_dir.as_deref()).map_err(|e| {
        let m = e.to_string();
        Text::new(m.clone(), m)
    })?;
    Ok((config, templates))
}

/// What the act holds, in one line.
fn print_act_summary(
    a: &act::Act,
    number: &str,
    as_of: NaiveDate,
    out: &std::path::Path,
    lang: Lang,
) {
    let whole: Vec<&str> = a
        .archives
        .iter()
        .filter(|x| x.whole)
        .map(|x| x.name.as_str())
        .collect();
    let partial: Vec<&str> = a
        .archives
        .iter()
        .filter(|x| !x.whole)
        .map(|x| x.name.as_str())
        .collect();
    let items: usize = a.archives.iter().map(|x| x.items.len()).sum();
    let none = |v: &[&str]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    println!(
        "{}",
        Text::new(
            format!(
                "акт № {number} от {} записан в {}: позиций {items}; архивы к уничтожению целиком: {}; частично истёкшие (на решение комиссии): {}",
                date(as_of),
                out.display(),
                none(&whole),
                none(&partial)
            ),
            format!(
                "act No. {number} of {} written to {}: {items} items; archives to destroy whole: {}; partly expired (for the commission): {}",
                date(as_of),
                out.display(),
                none(&whole),
                none(&partial)
            ),
        )
        .get(lang)
    );
}
