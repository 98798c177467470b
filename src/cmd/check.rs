//! `letopis check <folder>`: reads and validates an input folder; prints the summary and warnings,
//! or the complete list of problems.

use crate::diag::Diagnostic;
use crate::ingest;
use crate::model::{Lang, Period};
use std::fmt::Write as _;
use std::path::Path;

/// The report and exit code of a check (0 archivable, 1 data errors, 2 I/O or usage errors).
/// With `--json`, the problems and the per-file table go to standard output as one JSON object;
/// with `-q` only the problems are printed.
pub fn run(folder: &Path, lang: Option<Lang>, out: super::Output) -> i32 {
    if out.json {
        return run_json(folder);
    }
    match ingest::load(folder) {
        Err(e) => {
            let lang = lang.unwrap_or_default();
            super::print_error(e.text().get(lang), lang);
            2
        }
        Ok((period, diags)) => {
            let lang = lang.unwrap_or(period.config.language);
            let (text, code) = report(&period, &diags, lang);
            if out.quiet {
                for d in &diags {
                    print_out(&format!("{}\n", d.render(lang)));
                }
            } else {
                print_out(&text);
            }
            code
        }
    }
}

/// `check --json`: `{"status": "ok"|"errors"|"failed", "errors": n, "warnings": n,
/// "problems": [...], "files": [...], "total": {...}}`; every problem has its file, line,
/// column, severity and the message and hint in both languages.
fn run_json(folder: &Path) -> i32 {
    let (value, code) = match ingest::load(folder) {
        Err(e) => (
            serde_json::json!({
                "status": "failed",
                "errors": 1,
                "warnings": 0,
                "problems": [{
                    "file": folder.display().to_string(),
                    "line": null,
                    "column": null,
                    "severity": "error",
                    "message": e.text(),
                    "hint": null,
                }],
                "files": [],
            }),
            2,
        ),
        Ok((p, diags)) => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let files: Vec<serde_json::Value> = p
                .sources
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "path": s.path,
                        "kind": s.kind,
                        "format": s.format,
                        "encoding": s.encoding,
                        "delimiter": s.delimiter,
                        "size": s.size,
                        "sha256": s.sha256,
                        "read": s.rows_read,
                        "kept": s.rows_kept,
                        "rejected": s.rows_rejected,
                    })
                })
                .collect();
            let sum =
                |f: fn(&crate::model::SourceFile) -> u64| p.sources.iter().map(f).sum::<u64>();
            (
                serde_json::json!({
                    "status": if errors > 0 { "errors" } else { "ok" },
                    "errors": errors,
                    "warnings": diags.len() - errors,
                    "problems": diags,
                    "files": files,
                    "total": {
                        "files": p.sources.len(),
                        "read": sum(|s| s.rows_read),
                        "kept": sum(|s| s.rows_kept),
                        "rejected": sum(|s| s.rows_rejected),
                    },
                }),
                if errors > 0 { 1 } else { 0 },
            )
        }
    };
    match serde_json::to_string_pretty(&value) {
        Ok(s) => print_out(&(s + "\n")),
        Err(_) => return 2,
    }
    code
}

/// Prints to standard output; a closed pipe (`check … | head`) is not a crash.
fn print_out(s: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn tr(lang: Lang, ru: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Ru { ru } else { en }
}

/// The text `check` prints, and its exit code.
pub fn report(p: &Period, diags: &[Diagnostic], lang: Lang) -> (String, i32) {
    let mut out = String::new();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        for d in diags {
            let _ = writeln!(out, "{}", d.render(lang));
        }
        // The per-file accounting is shown with the errors too: what was read, kept, rejected.
        let _ = writeln!(out);
        out.push_str(&table(p, lang));
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Ru => format!(
                    "\nОшибок: {errors}, предупреждений: {warnings}. Данные не готовы к архивированию: исправьте ошибки и запустите проверку снова."
                ),
                Lang::En => format!(
                    "\nErrors: {errors}, warnings: {warnings}. The data cannot be archived yet: fix the errors and run the check again."
                ),
            }
        );
        return (out, 1);
    }
    out.push_str(&summary(p, lang));
    out.push_str(&table(p, lang));
    if warnings > 0 {
        let _ = writeln!(
            out,
            "\n{} ({warnings}):",
            tr(lang, "Предупреждения", "Warnings")
        );
        for d in diags {
            let _ = writeln!(out, "{}", d.render(lang));
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        tr(
            lang,
            "Ошибок нет: данные готовы к архивированию.",
            "No errors: the data can be archived."
        )
    );
    (out, 0)
}

/// The organisation, the period and the number of records of each kind, for a clean check.
fn summary(p: &Period, lang: Lang) -> String {
    let mut out = String::new();
    let c = &p.config;
    let fmt = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let _ = writeln!(
        out,
        "{}: {}",
        tr(lang, "Организация", "Organisation"),
        c.organisation.name
    );
    let title = c
        .period
        .title
        .as_ref()
        .map(|t| format!(" «{t}»"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}: {}{title}, {}–{}",
        tr(lang, "Период", "Period"),
        c.period.id,
        fmt(c.period.start),
        fmt(c.period.end)
    );
    let _ = writeln!(out);
    let counts: [(&str, &str, usize); 12] = [
        ("Программ", "Programmes", p.programmes.len()),
        ("Групп", "Groups", p.groups.len()),
        ("Слушателей", "Learners", p.learners.len()),
        ("Зачислений", "Enrolments", p.enrolments.len()),
        ("Приказов", "Orders", p.orders.len()),
        ("Занятий", "Lessons", p.lessons.len()),
        ("Оценок", "Grades", p.grades.len()),
        (
            "Отметок посещаемости",
            "Attendance marks",
            p.attendance.len(),
        ),
        ("Протоколов", "Protocols", p.protocols.len()),
        (
            "Выданных документов",
            "Issued documents",
            p.issued_documents.len(),
        ),
        ("Вложений", "Attachments", p.attachments.len()),
        (
            "Документов (Markdown)",
            "Documents (Markdown)",
            p.documents.len(),
        ),
    ];
    let w = counts
        .iter()
        .map(|(ru, en, _)| if lang == Lang::Ru { ru } else { en }.chars().count())
        .max()
        .unwrap_or(0);
    for (ru, en, n) in counts {
        let name = tr_dyn(lang, ru, en);
        let _ = writeln!(
            out,
            "{name}:{} {n:>7}",
            " ".repeat(w - name.chars().count())
        );
    }
    let _ = writeln!(out);
    out
}

fn tr_dyn<'a>(lang: Lang, ru: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::Ru { ru } else { en }
}

/// The per-file table with a total line.
fn table(p: &Period, lang: Lang) -> String {
    let head = [
        tr(lang, "Файл", "File"),
        tr(lang, "Вид", "Kind"),
        tr(lang, "Кодировка", "Encoding"),
        tr(lang, "Прочитано", "Read"),
        tr(lang, "Принято", "Kept"),
        tr(lang, "Отклонено", "Rejected"),
    ];
    let mut rows: Vec<[String; 6]> = Vec::new();
    let (mut read, mut kept, mut rej) = (0u64, 0u64, 0u64);
    for s in &p.sources {
        let enc = match s.delimiter {
            Some('\t') => format!("{} TAB", s.encoding),
            Some(d) => format!("{} {d}", s.encoding),
            None => s.encoding.clone(),
        };
        read += s.rows_read;
        kept += s.rows_kept;
        rej += s.rows_rejected;
        rows.push([
            s.path.clone(),
            kind_label(&s.kind, lang).to_string(),
            enc,
            s.rows_read.to_string(),
            s.rows_kept.to_string(),
            s.rows_rejected.to_string(),
        ]);
    }
    let total = [
        tr(lang, "Итого", "Total").to_string(),
        crate::l10n::nouns::FILE.count(lang, p.sources.len() as u64),
        String::new(),
        read.to_string(),
        kept.to_string(),
        rej.to_string(),
    ];
    let mut widths = [0usize; 6];
    for r in rows.iter().chain(std::iter::once(&total)) {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    for (i, h) in head.iter().enumerate() {
        widths[i] = widths[i].max(h.chars().count());
    }
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i] - c.chars().count());
            if i >= 3 {
                let _ = write!(s, "  {pad}{c}");
            } else if i == 0 {
                let _ = write!(s, "{c}{pad}");
            } else {
                let _ = write!(s, "  {c}{pad}");
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&head);
    let rule: usize = widths.iter().sum::<usize>() + 10;
    let dash = "-".repeat(rule);
    for r in &rows {
        out.push_str(&line(&r.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out.push_str(&dash);
    out.push('\n');
    out.push_str(&line(&total.iter().map(String::as_str).collect::<Vec<_>>()));
    out
}

/// The kind of an input file as the table shows it: Russian words by default, the file stem in
/// English.
fn kind_label(kind: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return kind;
    }
    match kind {
        "programmes" => "программы",
        "groups" => "группы",
        "learners" => "слушатели",
        "enrolments" => "зачисления",
        "orders" => "приказы",
        "lessons" => "занятия",
        "attendance" => "посещаемость",
        "grade_items" => "элементы оценивания",
        "grades" => "оценки",
        "protocols" => "протоколы",
        "protocol_results" => "результаты аттестации",
        "issued_documents" => "выданные документы",
        "awards" => "награды",
        "portfolio" => "портфолио",
        "credit_transfers" => "зачёт результатов",
        "attachments" => "вложения",
        "config" => "настройки",
        "document" => "документ",
        "attachment-file" => "файл вложения",
        "readme" => "описание",
        "template" => "шаблон",
        "unknown" => "неизвестный",
        other => other,
    }
}
