//! The archive's page of retention terms (`data/retention.html`), from its [`Facts`].

use super::{Facts, Item, RetentionError, kind_label};
use crate::l10n::date;
use crate::model::Lang;
use crate::model::retention::Term;
use crate::render::Templates;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The page in three templates, so that the list of records (one row per item, 124,000 on a
/// 20,000-learner period) is rendered a chunk at a time: the page up to the list's `<tbody>`,
/// the rows, and the end of the page.
/// Items rendered at once.
const ROWS_CHUNK: usize = 4096;

#[derive(Serialize)]
struct RuleRow {
    kinds: String,
    term: String,
    from: String,
    basis: String,
}

#[derive(Serialize)]
pub(crate) struct ItemRow {
    pub kind: String,
    pub title: String,
    pub learner: String,
    pub group: String,
    pub dates: String,
    pub count: u64,
    pub event_date: String,
    pub term: String,
    pub end: String,
}

/// `dd.mm.yyyy` or `dd.mm.yyyy–dd.mm.yyyy`, empty without dates.
pub(crate) fn span(i: &Item) -> String {
    match (i.first_date, i.last_date) {
        (Some(a), Some(b)) if a == b => date(a),
        (Some(a), Some(b)) => format!("{}–{}", date(a), date(b)),
        _ => String::new(),
    }
}

pub(crate) fn end_label(i: &Item, lang: Lang) -> String {
    match (i.term, i.end) {
        (Term::Permanent, _) => i.term.label(lang),
        (_, Some(e)) => date(e),
        (_, None) => match lang {
            Lang::Ru => "срок не начался".into(),
            Lang::En => "not started".into(),
        },
    }
}

pub(crate) fn item_row(i: &Item, lang: Lang) -> ItemRow {
    ItemRow {
        kind: kind_label(&i.kind, lang).to_string(),
        title: i.title.clone(),
        learner: match (&i.learner_name, &i.learner) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            (None, Some(id)) => id.to_string(),
            _ => String::new(),
        },
        group: i.group.map(String::from).unwrap_or_default(),
        dates: span(i),
        count: i.count,
        event_date: i.event_date.map(date).unwrap_or_default(),
        term: i.term.label(lang),
        end: end_label(i, lang),
    }
}

fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let ru = lang == Lang::Ru;
    let pick = |a: &'static str, b: &'static str| if ru { a } else { b };
    BTreeMap::from([
        ("title", pick("Сроки хранения", "Retention terms")),
        ("about", pick("Об архиве", "About")),
        ("home", pick("Главная", "Home")),
        ("learners", pick("Слушатели", "Learners")),
        ("orders", pick("Реестр приказов", "Register of orders")),
        (
            "issued",
            pick("Журнал выдачи документов", "Register of issued documents"),
        ),
        (
            "protocols",
            pick("Протоколы аттестации", "Attestation protocols"),
        ),
        ("search", pick("Поиск", "Search")),
        ("find", pick("Найти", "Search")),
        (
            "intro",
            pick(
                "Правила, действовавшие при формировании архива, и сроки хранения его записей. Записи с истёкшим сроком уничтожаются только по акту экспертной комиссии.",
                "The rules in force when the archive was made and the terms of its records. Records past their term are destroyed only by an act of the expert commission.",
            ),
        ),
        ("rules", pick("Правила", "Rules")),
        ("kinds", pick("Виды записей", "Record kinds")),
        ("term", pick("Срок", "Term")),
        ("from", pick("Отсчёт от", "Counted from")),
        ("basis", pick("Основание", "Basis")),
        ("records", pick("Записи", "Records")),
        ("kind", pick("Вид", "Kind")),
        ("record", pick("Документ", "Document")),
        ("learner", pick("Слушатель", "Learner")),
        ("group", pick("Группа", "Group")),
        ("dates", pick("Даты", "Dates")),
        ("count", pick("Кол-во", "Count")),
        ("event_date", pick("Дата события", "Event date")),
        ("end", pick("Хранить до", "Keep until")),
    ])
}

/// What the page shows of the archive itself (the items are listed as [`ItemRow`]s).
#[derive(Serialize)]
struct Head<'a> {
    archive: &'a str,
    organisation: &'a str,
    period_title: &'a str,
}

/// Renders the page into `out`.
pub fn render_to(
    f: &Facts,
    lang: Lang,
    templates: &Templates,
    out: &mut impl std::io::Write,
) -> Result<(), RetentionError> {
    let rules: Vec<RuleRow> = f
        .rules
        .iter()
        .map(|r| RuleRow {
            kinds: r
                .records
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    // One phrase: «Личные карточки слушателей, зачисления и итоги обучения, …».
                    let label = kind_label(k, lang);
                    if i == 0 {
                        label.to_string()
                    } else {
                        crate::l10n::lower_first(label)
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            term: r.term.label(lang),
            from: match r.term {
                Term::Permanent => String::new(),
                Term::Months { from, .. } => from.label(lang).to_string(),
            },
            basis: r.basis.clone().unwrap_or_default(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert("l", &labels(lang));
    ctx.insert(
        "f",
        &Head {
            archive: &f.archive,
            organisation: &f.organisation,
            period_title: &f.period_title,
        },
    );
    ctx.insert(
        "period",
        &format!("{}–{}", date(f.period_start), date(f.period_end)),
    );
    ctx.insert("rules", &rules);
    fn render(
        templates: &Templates,
        name: &str,
        ctx: &tera::Context,
        out: &mut impl std::io::Write,
    ) -> Result<(), RetentionError> {
        templates
            .render_to(name, ctx, out)
            .map_err(|e| RetentionError::Template {
                template: name.to_string(),
                message: e.to_string(),
            })
    }
    render(templates, "retention.html", &ctx, &mut *out)?;
    // The chunks of rows are rendered on every core, a few at a time (so that no more than those
    // are held), and written in order: the same bytes as one chunk after the other.
    let window = ROWS_CHUNK * 2 * rayon::current_num_threads().max(1);
    for chunks in f.items.chunks(window) {
        let parts: Vec<Result<Vec<u8>, RetentionError>> = chunks
            .par_chunks(ROWS_CHUNK)
            .map(|chunk| {
                let items: Vec<ItemRow> = chunk.iter().map(|i| item_row(i, lang)).collect();
                let mut rows = tera::Context::new();
                rows.insert("items", &items);
                let mut part = Vec::new();
                render(templates, "retention_rows.html", &rows, &mut part)?;
                Ok(part)
            })
            .collect();
        for part in parts {
            out.write_all(&part?)
                .map_err(|e| RetentionError::Template {
                    template: "retention_rows.html".to_string(),
                    message: e.to_string(),
                })?;
        }
    }
    render(templates, "retention_end.html", &ctx, out)
}
