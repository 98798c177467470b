//! `letopis log MEDIUM [--html]`: the medium's fixity log as a report.

use super::verify::print_error;
use crate::media::log;
use crate::model::{Lang, Text};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Носитель (папка, в которой лежат архивы и letopis-log.tsv)
    pub medium: PathBuf,
    /// Отчёт в HTML (для печати) вместо текста
    #[arg(long)]
    pub html: bool,
    /// From the global `--json`, set by `cmd::run`.
    #[arg(skip)]
    pub json: bool,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub fn run(args: LogArgs) -> i32 {
    match log::read(&args.medium) {
        Ok(lines) => {
            let out = if args.json {
                let v: Vec<serde_json::Value> = lines
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "time": l.time,
                            "action": l.action,
                            "archive": l.archive,
                            "outcome": l.outcome,
                            "details": l.details,
                        })
                    })
                    .collect();
                serde_json::to_string_pretty(&serde_json::json!({
                    "medium": args.medium,
                    "entries": v,
                }))
                .unwrap_or_default()
                    + "\n"
            } else if args.html {
                let page = crate::render::Templates::load(None)
                    .and_then(|t| log::report_html(&args.medium, &lines, args.lang, &t));
                match page {
                    Ok(p) => p,
                    Err(e) => {
                        let m = e.to_string();
                        print_error(&Text::new(m.clone(), m), args.lang);
                        return 2;
                    }
                }
            } else {
                log::report_text(&args.medium, &lines, args.lang)
            };
            print!("{out}");
            0
        }
        Err(e) => {
            let p = args.medium.join(crate::layout::LOG_FILE);
            print_error(
                &Text::new(
                    format!("не удалось прочитать журнал {}: {e}", p.display()),
                    format!("cannot read the log {}: {e}", p.display()),
                ),
                args.lang,
            );
            2
        }
    }
}
