//! The fixity log kept on each medium (`letopis-log.tsv`): one line per build, verify and repair —
//! date-time, action, archive, outcome, details — appended with `O_APPEND` and synced, so a crash
//! never loses earlier lines. `letopis log MEDIUM` prints it as a report (text or HTML).

use crate::model::Lang;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

use crate::layout::LOG_FILE;
const HEADER: &str = "time\taction\tarchive\toutcome\tdetails\n";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    pub time: String,
    pub action: String,
    pub archive: String,
    pub outcome: String,
    pub details: String,
}

fn field(s: &str) -> String {
    s.replace(['\t', '\r', '\n'], " ")
}

/// Appends one event to `<medium>/letopis-log.tsv` (created with a header line when absent).
pub fn append(
    medium: &Path,
    action: &str,
    archive: &str,
    outcome: &str,
    details: &str,
) -> io::Result<()> {
    let path = medium.join(LOG_FILE);
    let mut f = OpenOptions::new().append(true).create(true).open(&path)?;
    let mut line = String::new();
    let created = f.metadata()?.len() == 0;
    if created {
        line.push_str(HEADER);
    }
    let time = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z");
    line.push_str(&format!(
        "{time}\t{}\t{}\t{}\t{}\n",
        field(action),
        field(archive),
        field(outcome),
        field(details)
    ));
    f.write_all(line.as_bytes())?;
    f.sync_data()?;
    if created {
        crate::layout::fsio::sync_dir(medium)?;
    }
    Ok(())
}

/// The events on a medium, oldest first (the header and malformed lines skipped).
pub fn read(medium: &Path) -> io::Result<Vec<LogLine>> {
    let text = std::fs::read_to_string(medium.join(LOG_FILE))?;
    Ok(text
        .lines()
        .filter(|l| !l.is_empty() && format!("{l}\n") != HEADER)
        .filter_map(|l| {
            let mut it = l.splitn(5, '\t');
            Some(LogLine {
                time: it.next()?.to_string(),
                action: it.next()?.to_string(),
                archive: it.next()?.to_string(),
                outcome: it.next()?.to_string(),
                details: it.next().unwrap_or("").to_string(),
            })
        })
        .collect())
}

fn action_name(a: &str, lang: Lang) -> &str {
    match (a, lang) {
        ("build", Lang::Ru) => "запись",
        ("verify", Lang::Ru) => "проверка",
        ("repair", Lang::Ru) => "восстановление",
        ("compare", Lang::Ru) => "сравнение копий",
        ("dispose", Lang::Ru) => "уничтожение по акту",
        _ => a,
    }
}

fn outcome_name(o: &str, lang: Lang) -> &str {
    match (o, lang) {
        ("ok", Lang::Ru) => "успешно",
        ("failed", Lang::Ru) => "ОШИБКА",
        ("refused", Lang::Ru) => "отказ",
        ("unchanged", Lang::Ru) => "уже записан",
        ("repaired", Lang::Ru) => "восстановлено",
        ("failed", Lang::En) => "FAILED",
        _ => o,
    }
}

fn headings(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Ru => ["Дата и время", "Действие", "Архив", "Итог", "Подробности"],
        Lang::En => ["Date and time", "Action", "Archive", "Outcome", "Details"],
    }
}

/// A plain-text report: a title line, then one aligned line per event.
pub fn report_text(medium: &Path, lines: &[LogLine], lang: Lang) -> String {
    let title = match lang {
        Lang::Ru => format!("Журнал проверок носителя {}", medium.display()),
        Lang::En => format!("Fixity log of medium {}", medium.display()),
    };
    let h = headings(lang);
    let rows: Vec<[String; 5]> = std::iter::once(h.map(String::from))
        .chain(lines.iter().map(|l| {
            [
                crate::l10n::date_time(&l.time),
                action_name(&l.action, lang).to_string(),
                l.archive.clone(),
                outcome_name(&l.outcome, lang).to_string(),
                crate::l10n::log_details(lang, &l.details),
            ]
        }))
        .collect();
    let mut widths = [0usize; 4];
    for r in &rows {
        for (i, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(r[i].chars().count());
        }
    }
    let mut s = format!("{title}\n\n");
    for r in &rows {
        for (i, w) in widths.iter().enumerate() {
            s.push_str(&r[i]);
            s.push_str(&" ".repeat(w - r[i].chars().count() + 2));
        }
        s.push_str(&r[4]);
        s.push('\n');
    }
    s
}

/// A printable HTML report (self-contained, no scripts): the template `log.html` of the set.
pub fn report_html(
    medium: &Path,
    lines: &[LogLine],
    lang: Lang,
    templates: &crate::render::Templates,
) -> Result<String, crate::render::RenderError> {
    let title = match lang {
        Lang::Ru => format!("Журнал проверок носителя {}", medium.display()),
        Lang::En => format!("Fixity log of medium {}", medium.display()),
    };
    let rows: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "outcome_code": l.outcome,
                "time": crate::l10n::date_time(&l.time),
                "action": action_name(&l.action, lang),
                "archive": l.archive,
                "outcome": outcome_name(&l.outcome, lang),
                "details": crate::l10n::log_details(lang, &l.details),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert("title", &title);
    ctx.insert("headings", &headings(lang));
    ctx.insert("lines", &rows);
    templates.render("log.html", &ctx)
}
