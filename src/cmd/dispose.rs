//! `letopis dispose MEDIUM --act FILE`: removes whole period archives under an act of selection for
//! destruction (see [`crate::retention::dispose`]).

use super::verify::print_error;
use crate::model::{Lang, Text};
use crate::retention::dispose::{self, Outcome};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DisposeArgs {
    /// Носитель (папка с архивами)
    pub medium: PathBuf,
    /// Акт о выделении к уничтожению, составленный командой letopis retention --act
    #[arg(long)]
    pub act: PathBuf,
    /// Папка своих шаблонов, по которым составлен акт (по умолчанию встроенные)
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub fn run(args: DisposeArgs) -> i32 {
    let lang = args.lang;
    let today = chrono::Local::now().date_naive();
    let templates = match crate::render::Templates::load(args.templates.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            let m = e.to_string();
            print_error(&Text::new(m.clone(), m), lang);
            return 2;
        }
    };
    match dispose::dispose(&args.medium, &args.act, today, &templates) {
        Err(e) => {
            print_error(&e.text(), lang);
            2
        }
        Ok(Outcome::Refused(reasons)) => {
            let head = Text::new(
                format!(
                    "уничтожение по акту {} отклонено, ничего не удалено:",
                    args.act.display()
                ),
                format!(
                    "disposal under act {} refused, nothing removed:",
                    args.act.display()
                ),
            );
            eprintln!("letopis: {}", head.get(lang));
            for r in reasons {
                eprintln!("  - {}", r.get(lang));
            }
            1
        }
        Ok(Outcome::Done(d)) => {
            for n in &d.removed {
                println!(
                    "{}",
                    Text::new(
                        format!("архив {n} уничтожен по акту № {}", d.act.number),
                        format!("archive {n} destroyed under act No. {}", d.act.number),
                    )
                    .get(lang)
                );
            }
            for n in &d.kept {
                println!(
                    "{}",
                    Text::new(
                        format!("архив {n} оставлен: в нём есть записи в сроке хранения (решение — за комиссией)"),
                        format!("archive {n} kept: it holds records still in their term (the commission decides)"),
                    )
                    .get(lang)
                );
            }
            println!(
                "{}",
                Text::new(
                    format!("акт сохранён на носителе: {}", d.act_copy.display()),
                    format!("the act is kept on the medium: {}", d.act_copy.display()),
                )
                .get(lang)
            );
            for n in &d.notes {
                eprintln!("letopis: {}", n.get(lang));
            }
            0
        }
    }
}
