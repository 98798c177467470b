//! Moodle gradebook export, "plain text file" (English or Russian Moodle, any separator).
//!
//! Header: user profile fields (First name, Last name, ID number, Institution, Department, Email
//! address...), one column per grade item `<Module>: <Item> (<Real|Percentage|Letter>)` or
//! `<Item> (<type>)`, optional `... (Feedback)` columns, and `Last downloaded from this course`
//! (a Unix timestamp). `-` is no grade. Each item column becomes a grade item of the group
//! (`Course total` the final-control one), each grade a grade of the matched learner.

use super::exports::{self, Put, Sink};
use super::fields::{self, norm};
use super::schema::Kind;
use super::table::Table;
use crate::diag::Diagnostic;
use crate::model::*;

const FIRST: &[&str] = &["first name", "имя"];
const LAST: &[&str] = &["last name", "surname", "фамилия"];
const ID_NUMBER: &[&str] = &["id number", "idnumber", "индивидуальный номер"];
const EMAIL: &[&str] = &[
    "email address",
    "email",
    "адрес электронной почты",
    "электронная почта",
];
const EXPORTED: &[&str] = &[
    "last downloaded from this course",
    "последняя загрузка из этого курса",
    "последнее скачивание из этого курса",
];
const COURSE_TOTAL: &[&str] = &["course total", "итоговая оценка за курс", "итог курса"];
/// Activity module names Moodle puts before the item name (`Quiz: …`).
const MODULES: &[&str] = &[
    "quiz",
    "assignment",
    "forum",
    "workshop",
    "lesson",
    "scorm package",
    "h5p",
    "interactive content",
    "glossary",
    "database",
    "external tool",
    "тест",
    "задание",
    "форум",
    "семинар",
    "лекция",
    "пакет scorm",
    "интерактивный контент",
    "глоссарий",
    "база данных",
    "внешний инструмент",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Type {
    Real,
    Percentage,
    Letter,
    Feedback,
}

/// The display type of a column, as Moodle's `gradeexportcolumntype` writes it: `<item> (<type>)`
/// with `real`, `percentage`, `letter` of the `grades` strings and the core `feedback` string.
/// Russian language pack (Moodle 4.x): Значение, Проценты, Буква, Отзыв; older packs wrote
/// «Действительное значение» and «Процент».
fn grade_type(s: &str) -> Option<Type> {
    match norm(s).as_str() {
        "real" | "значение" | "действительное значение" | "действительное" | "балл" | "баллы" => {
            Some(Type::Real)
        }
        "percentage" | "процент" | "проценты" => Some(Type::Percentage),
        "letter" | "буква" | "буквенная" | "буквенная оценка" => {
            Some(Type::Letter)
        }
        "feedback" | "отзыв" | "отзыв в форме комментария" | "комментарий" => {
            Some(Type::Feedback)
        }
        _ => None,
    }
}

/// `Quiz: Week 1: Basics (Real)` → (`Quiz`, `Week 1: Basics`, Real).
fn item_column(h: &str) -> Option<(Option<String>, String, Type)> {
    let h = h.trim();
    let open = h.rfind(" (")?;
    let inner = h[open + 2..].strip_suffix(')')?;
    let ty = grade_type(inner)?;
    let name = h[..open].trim();
    if let Some((m, rest)) = name.split_once(": ")
        && MODULES.contains(&norm(m).as_str())
    {
        return Some((Some(m.trim().to_string()), rest.trim().to_string(), ty));
    }
    Some((None, name.to_string(), ty))
}

pub fn recognise(t: &Table) -> bool {
    let Some((_, h)) = t.first() else {
        return false;
    };
    let names = exports::find_col(h, FIRST).is_some() && exports::find_col(h, LAST).is_some();
    names
        && (exports::find_col(h, EXPORTED).is_some() || h.iter().any(|c| item_column(c).is_some()))
}

/// One grade item of the export: its columns by display type (Moodle writes one column per
/// chosen type: Real, Percentage, Letter, and Feedback if asked).
struct Item {
    module: Option<String>,
    title: String,
    real: Option<usize>,
    percent: Option<usize>,
    letter: Option<usize>,
    feedback: Option<usize>,
    id: String,
}

impl Item {
    /// The column that carries the grade: the points (Real) if exported, else the percentage,
    /// else the letter.
    fn value(&self) -> (usize, Type) {
        match (self.real, self.percent, self.letter) {
            (Some(c), _, _) => (c, Type::Real),
            (None, Some(c), _) => (c, Type::Percentage),
            (None, None, Some(c)) => (c, Type::Letter),
            (None, None, None) => unreachable!("an item has a grade column"),
        }
    }

    /// The other display columns of the same grade: kept with the grade and shown beside it.
    fn shown(&self) -> Vec<usize> {
        let v = self.value().0;
        [self.real, self.percent, self.letter]
            .into_iter()
            .flatten()
            .filter(|&c| c != v)
            .collect()
    }
}

/// Moodle's export times (Unix seconds) as a reader sees them, the number kept in parentheses.
fn shown_times(exported: &[String]) -> Vec<String> {
    exported
        .iter()
        .map(|s| {
            match s
                .parse::<i64>()
                .ok()
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            {
                Some(d) => format!("{} UTC ({s})", d.format("%d.%m.%Y %H:%M:%S")),
                None => s.clone(),
            }
        })
        .collect()
}

/// The grade item columns of a gradebook's header (the learner's columns `people` aside): each
/// item with its Real, Percentage, Letter and Feedback columns; the other columns (kept as extra
/// fields) apart.
fn item_columns(header: &[String], people: [Option<usize>; 5]) -> (Vec<Item>, Vec<usize>) {
    let mut items: Vec<Item> = Vec::new();
    let mut feedback: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut other: Vec<usize> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if people.contains(&Some(i)) {
            continue;
        }
        match item_column(h) {
            Some((m, title, Type::Feedback)) => feedback.push((i, title, m)),
            Some((module, title, ty)) => {
                let pos = match items
                    .iter()
                    .position(|it| it.title == title && it.module == module)
                {
                    Some(p) => p,
                    None => {
                        items.push(Item {
                            module,
                            title,
                            real: None,
                            percent: None,
                            letter: None,
                            feedback: None,
                            id: String::new(),
                        });
                        items.len() - 1
                    }
                };
                let it = &mut items[pos];
                let slot = match ty {
                    Type::Real => &mut it.real,
                    Type::Percentage => &mut it.percent,
                    _ => &mut it.letter,
                };
                if slot.is_some() {
                    // The same item and type twice: the second column is kept as extra fields.
                    other.push(i);
                } else {
                    *slot = Some(i);
                }
            }
            None => other.push(i),
        }
    }
    for (i, title, m) in &feedback {
        match items
            .iter_mut()
            .find(|it| &it.title == title && &it.module == m && it.feedback.is_none())
        {
            Some(it) => it.feedback = Some(*i),
            None => other.push(*i),
        }
    }
    (items, other)
}

/// The file being read: its name for messages, its header row and the export's group.
struct Export<'a> {
    file: &'a str,
    label: &'a str,
    hline: u64,
    header: &'a [String],
    group: String,
    /// Columns with no field of their own: kept as extra fields of each grade.
    extra_cols: &'a [usize],
}

/// Reads one gradebook export into grade items and grades.
pub fn read(file: &str, t: &Table, spec: Option<&FileSpec>, sink: &mut Sink) {
    let label = t.label(file);
    let Some((hline, header)) = t.first().cloned() else {
        return;
    };
    let body = exports::full_rows(file, &label, t, 0, sink);
    let c_first = exports::find_col(&header, FIRST);
    let c_last = exports::find_col(&header, LAST);
    let c_id = exports::find_col(&header, ID_NUMBER);
    let c_email = exports::find_col(&header, EMAIL);
    let c_exported = exports::find_col(&header, EXPORTED);
    let (mut items, mut other) =
        item_columns(&header, [c_first, c_last, c_id, c_email, c_exported]);
    other.sort();
    sink.diags.extend(exports::unmapped(
        &label,
        hline,
        &header,
        &exports::with_values(t, 0, &other),
        "grades",
    ));

    // Learners first: they tell the group.
    let matched: Vec<exports::Matched> = exports::match_rows(
        &sink.st.learners,
        sink.index,
        &body,
        [c_id, c_email, c_last, c_first],
    );
    let group = match spec.and_then(|s| s.group.clone()) {
        Some(g) => g,
        None => match exports::group_or_reject(file, &header, &matched, sink) {
            Some(g) => g,
            None => return,
        },
    };
    let x = Export {
        file,
        label: &label,
        hline,
        header: &header,
        group,
        extra_cols: &other,
    };

    // The export time, kept in every item's extra.
    let mut exported: Vec<String> = matched
        .iter()
        .filter_map(|(_, cells, _, _)| c_exported.and_then(|c| cells.get(c)).cloned())
        .filter(|s| !s.is_empty())
        .collect();
    exported.sort();
    exported.dedup();
    let exported_shown = shown_times(&exported);

    let mut refused: Vec<usize> = Vec::new();
    for (n, it) in items.iter_mut().enumerate() {
        it.id = format!("{}: {}", x.group, it.title);
        if !grade_item(&x, it, &matched, &exported_shown, sink) {
            refused.push(n);
        }
    }
    // Grades are checked on the items' scales: rebuild the scale map with the new items.
    sink.st.scales = None;

    for (line, cells, m, who) in &matched {
        let idx = match m {
            Ok(i) => *i,
            Err(e) => {
                let row = (*line, cells.as_slice());
                sink.reject_unmatched(file, &label, &header, row, c_last.or(c_id), e, who);
                continue;
            }
        };
        learner_grades(&x, &items, &refused, idx, *line, cells, sink);
    }
}

/// The scale of an item's grades: points up to the largest value, per cent, 2–5 or pass/fail.
/// Letters of no scale we keep (Moodle's default A–F) cannot be stored: one error for the column,
/// and `None`.
fn item_scale(
    x: &Export,
    col: usize,
    ty: Type,
    values: &[&str],
    sink: &mut Sink,
) -> Option<String> {
    let scale = match ty {
        Type::Real => {
            let max = values
                .iter()
                .filter_map(|v| fields::number(v).ok())
                .fold(100.0f64, f64::max)
                .ceil();
            format!("points:{max}")
        }
        Type::Percentage => "percent".into(),
        _ if values.iter().all(|v| fields::grade(v, Scale::Five).is_ok()) => "5".into(),
        _ if values
            .iter()
            .all(|v| fields::grade(v, Scale::PassFail).is_ok()) =>
        {
            "pass".into()
        }
        _ => {
            let bad = values
                .iter()
                .find(|v| {
                    fields::grade(v, Scale::Five).is_err()
                        && fields::grade(v, Scale::PassFail).is_err()
                })
                .copied()
                .unwrap_or_default();
            sink.diags.push(
                Diagnostic::error(
                    x.label,
                    Text::new(
                        format!("буквенные оценки столбца «{}» (например «{bad}») не укладываются ни в шкалу 2–5, ни в зачёт/незачёт: оценки не прочитаны", x.header[col]),
                        format!("the letter grades of column «{}» (e.g. «{bad}») fit neither the 2–5 nor the pass/fail scale: the grades were not read", x.header[col]),
                    ),
                )
                .at(x.hline, Some(col as u64 + 1))
                .hint(Text::new(
                    "выгрузите оценки ещё и как «Значение» (Real) или «Проценты» (Percentage): тогда буква сохранится рядом с оценкой; или настройте буквы в Moodle как отлично/хорошо/удовлетворительно/неудовлетворительно",
                    "export the grades as Real or Percentage too (the letter is then kept beside the grade), or set the Moodle letters to отлично/хорошо/удовлетворительно/неудовлетворительно",
                )),
            );
            return None;
        }
    };
    Some(scale)
}

/// Feeds one item of the header as a grade item of the group; `false` when its grades are refused.
fn grade_item(
    x: &Export,
    it: &Item,
    matched: &[exports::Matched],
    exported_shown: &[String],
    sink: &mut Sink,
) -> bool {
    let (col, ty) = it.value();
    let total = COURSE_TOTAL.iter().any(|n| norm(n) == norm(&it.title)) && it.module.is_none();
    let values: Vec<&str> = matched
        .iter()
        .filter_map(|(_, cells, _, _)| cells.get(col).map(String::as_str))
        .filter(|v| !v.is_empty() && *v != "-")
        .collect();
    let Some(scale) = item_scale(x, col, ty, &values, sink) else {
        return false;
    };
    let mut extra = Extra::new();
    extra.insert("moodle_column".into(), x.header[col].clone());
    if let Some(m) = &it.module {
        extra.insert("moodle_module".into(), m.clone());
    }
    if !exported_shown.is_empty() {
        extra.insert("moodle_exported".into(), exported_shown.join("; "));
    }
    let pos = (x.hline, col as u64 + 1);
    let control = if total { "final" } else { "current" };
    let row = exports::row(
        Kind::GradeItems,
        x.hline,
        vec![
            Put("id", it.id.clone(), pos),
            Put("group", x.group.clone(), pos),
            Put("title", it.title.clone(), pos),
            Put("control", control.into(), pos),
            Put("scale", scale, pos),
        ],
        extra,
    );
    sink.feed(Kind::GradeItems, x.file, x.label, row);
    true
}

/// One learner's row: a grade per item (with its shown values and feedback); feedback without a
/// grade, or a grade of a refused item, rejected with a reason.
fn learner_grades(
    x: &Export,
    items: &[Item],
    refused: &[usize],
    idx: usize,
    line: u64,
    cells: &[String],
    sink: &mut Sink,
) {
    let learner = sink.st.learners[idx].id.clone();
    let extra = exports::extras(x.header, cells, x.extra_cols);
    for (n, it) in items.iter().enumerate() {
        let (col, _) = it.value();
        let value = cells.get(col).cloned().unwrap_or_default();
        let comment = it
            .feedback
            .and_then(|f| cells.get(f))
            .cloned()
            .unwrap_or_default();
        let given = |v: &str| !v.is_empty() && v != "-";
        if refused.contains(&n) {
            if given(&value) || given(&comment) {
                let mut cols = vec![col];
                cols.extend(it.shown());
                cols.extend(it.feedback);
                sink.reject_raw(
                    x.file,
                    line,
                    exports::extras(x.header, cells, &cols),
                    Text::new(
                        format!("буквенная оценка «{value}» вне шкал Letopis"),
                        format!("letter grade «{value}» fits no Letopis scale"),
                    ),
                );
            }
            continue;
        }
        if !given(&value) {
            if given(&comment) {
                // Feedback is a judgement of the work: without its grade it is neither
                // a grade record nor a field without a result, so the run fails here.
                let mut cols = vec![col];
                cols.extend(it.feedback);
                let msg = Text::new(
                    format!(
                        "отзыв без оценки («{}»): оценка не выставлена, а отзыв есть; такой отзыв архив не примет",
                        it.title
                    ),
                    format!(
                        "feedback without a grade («{}»): there is feedback but no grade; the archive does not take such feedback",
                        it.title
                    ),
                );
                sink.diags.push(
                Diagnostic::error(x.label, msg.clone())
                    .at(line, it.feedback.map(|f| f as u64 + 1))
                    .hint(Text::new(
                        "выставьте оценку в Moodle и выгрузите журнал заново; если оценки не будет, удалите отзыв из этой ячейки",
                        "grade the work in Moodle and download the gradebook again; if there is to be no grade, delete the feedback from this cell",
                    )),
            );
                sink.reject_raw(x.file, line, exports::extras(x.header, cells, &cols), msg);
            }
            continue;
        }
        let mut extra = extra.clone();
        for c in it.shown() {
            if let Some(v) = cells.get(c).filter(|v| given(v)) {
                extra.insert(x.header[c].clone(), v.clone());
            }
        }
        let pos = (line, col as u64 + 1);
        let fpos = (line, it.feedback.map(|f| f as u64 + 1).unwrap_or(0));
        let row = exports::row(
            Kind::Grades,
            line,
            vec![
                Put("item", it.id.clone(), pos),
                Put("learner", learner.clone(), pos),
                Put("value", value, pos),
                Put(
                    "comment",
                    if comment == "-" {
                        String::new()
                    } else {
                        comment
                    },
                    fpos,
                ),
            ],
            extra,
        );
        sink.feed(Kind::Grades, x.file, x.label, row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_columns() {
        let (m, t, ty) = item_column("Quiz: Week 1: Basics (Real)").unwrap();
        assert_eq!(
            (m.as_deref(), t.as_str(), ty),
            (Some("Quiz"), "Week 1: Basics", Type::Real)
        );
        let (m, t, ty) = item_column("Итоговая оценка за курс (Действительное значение)").unwrap();
        assert_eq!(
            (m, t.as_str(), ty),
            (None, "Итоговая оценка за курс", Type::Real)
        );
        let (m, t, _) = item_column("Зачёт: итоговое задание (Процент)").unwrap();
        assert_eq!((m, t.as_str()), (None, "Зачёт: итоговое задание"));
        assert!(item_column("Institution").is_none());
    }
}
