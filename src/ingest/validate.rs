//! Cross-record validation: duplicate ids and keys (and ids whose page names collide), references
//! to records that do not exist, grades on their item's scale, attachment paths. A record that fails
//! is moved to the rejected list with its reason; every problem becomes a diagnostic.

use super::records::{RawGrade, Staging};
use super::schema::Kind;
use crate::diag::Diagnostic;
use crate::model::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Anything with an origin that can be listed as rejected.
pub trait Rec: Serialize {
    fn origin(&self) -> &Origin;
}

macro_rules! rec {
    ($($t:ty),*) => { $(impl Rec for $t { fn origin(&self) -> &Origin { &self.origin } })* };
}
rec!(
    Programme,
    Group,
    Learner,
    Enrolment,
    Order,
    Lesson,
    Attendance,
    GradeItem,
    RawGrade,
    Grade,
    Protocol,
    ProtocolResult,
    IssuedDocument,
    Award,
    PortfolioItem,
    CreditTransfer,
    Attachment
);

/// A problem found in a record: the field it is about, message and hint.
pub struct Problem {
    pub field: &'static str,
    pub msg: Text,
    pub hint: Text,
}

/// What a checked input file resolves to, for attachment paths.
pub enum PathStatus {
    /// A regular file inside the folder: (size, sha256).
    File(u64, String),
    /// A symlink whose target is outside the input folder.
    Outside,
    Folder,
}

pub struct Validator<'a> {
    pub diags: Vec<Diagnostic>,
    pub rejected: Vec<RejectedRow>,
    /// Header column numbers per CSV file (by schema column), to point at the column of a field.
    pub header_cols: &'a HashMap<String, Vec<Option<u64>>>,
    /// Every file under the input folder: relative path → status.
    pub files: &'a BTreeMap<String, PathStatus>,
    /// Paths referenced by attachments and `file` columns that resolved to files.
    pub referenced: HashSet<String>,
}

fn values_of<T: Serialize>(r: &T) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(r) else {
        return out;
    };
    for (k, v) in map {
        match (k.as_str(), v) {
            ("origin", _) => {}
            ("extra", serde_json::Value::Object(extra)) => {
                for (ek, ev) in extra {
                    if let serde_json::Value::String(s) = ev {
                        out.insert(ek, s);
                    }
                }
            }
            (_, serde_json::Value::Null) => {}
            (_, serde_json::Value::String(s)) => {
                out.insert(k, s);
            }
            (_, serde_json::Value::Array(a)) => {
                let parts: Vec<String> = a
                    .into_iter()
                    .map(|x| match x {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .collect();
                out.insert(k, parts.join("; "));
            }
            (_, other) => {
                out.insert(k, other.to_string());
            }
        }
    }
    out
}

impl Validator<'_> {
    fn col(&self, file: &str, kind: Kind, field: &str) -> Option<u64> {
        self.header_cols
            .get(file)
            .and_then(|c| c.get(kind.col(field)).copied().flatten())
    }

    fn report<T: Rec>(&mut self, kind: Kind, r: &T, problems: Vec<Problem>) {
        let o = r.origin();
        let mut reason: Option<Text> = None;
        for p in problems {
            let col = self.col(&o.file, kind, p.field);
            reason.get_or_insert_with(|| p.msg.clone());
            self.diags.push(
                Diagnostic::error(o.file.clone(), p.msg)
                    .at(o.line, col)
                    .hint(p.hint),
            );
        }
        if let Some(reason) = reason {
            self.rejected.push(RejectedRow {
                origin: o.clone(),
                values: values_of(r),
                reason,
            });
        }
    }

    /// Keeps the records without problems; rejects the others.
    pub fn retain<T: Rec>(
        &mut self,
        kind: Kind,
        v: &mut Vec<T>,
        mut check: impl FnMut(&mut Self, &T) -> Vec<Problem>,
    ) {
        let old = std::mem::take(v);
        for r in old {
            let problems = check(self, &r);
            if problems.is_empty() {
                v.push(r);
            } else {
                self.report(kind, &r, problems);
            }
        }
    }

    /// Sorts by key and rejects the second and later records with an equal key.
    pub fn dedupe<T: Rec>(
        &mut self,
        kind: Kind,
        v: &mut Vec<T>,
        field: &'static str,
        cmp: impl Fn(&T, &T) -> Ordering,
        show: impl Fn(&T) -> String,
    ) {
        v.sort_by(|a, b| cmp(a, b).then_with(|| a.origin().cmp(b.origin())));
        let mut dup = vec![false; v.len()];
        let mut first = 0;
        let mut first_line = Vec::new();
        for i in 1..v.len() {
            if cmp(&v[first], &v[i]) == Ordering::Equal {
                dup[i] = true;
                first_line.push((i, v[first].origin().line));
            } else {
                first = i;
            }
        }
        if first_line.is_empty() {
            return;
        }
        let lines: HashMap<usize, u64> = first_line.into_iter().collect();
        let old = std::mem::take(v);
        for (i, r) in old.into_iter().enumerate() {
            if dup[i] {
                let line = lines.get(&i).copied().unwrap_or(0);
                let key = show(&r);
                let p = Problem {
                    field,
                    msg: Text::new(
                        format!("повторяется {key}: такая запись уже есть в строке {line}"),
                        format!("duplicate {key}: the same record is already on line {line}"),
                    ),
                    hint: Text::new(
                        "удалите повтор или исправьте код",
                        "delete the duplicate or correct the id",
                    ),
                };
                self.report(kind, &r, vec![p]);
            } else {
                v.push(r);
            }
        }
    }

    /// Rejects records whose ids differ but give the same page name (`model::slug`).
    pub fn slugs<T: Rec>(
        &mut self,
        kind: Kind,
        v: &mut Vec<T>,
        field: &'static str,
        id: impl Fn(&T) -> &str,
    ) {
        let mut seen: HashMap<String, (String, u64)> = HashMap::new();
        let old = std::mem::take(v);
        for r in old {
            let s = slug(id(&r));
            match seen.get(&s) {
                Some((other, line)) if other != id(&r) => {
                    let p = Problem {
                        field,
                        msg: Text::new(
                            format!(
                                "код «{}» совпадает с кодом «{other}» (строка {line}) после перевода в латиницу: {s}",
                                id(&r)
                            ),
                            format!(
                                "id «{}» gives the same page name {s} as id «{other}» (line {line})",
                                id(&r)
                            ),
                        ),
                        hint: Text::new(
                            "коды должны различаться не только регистром, буквой ё или знаками препинания",
                            "ids must differ in more than letter case, ё or punctuation",
                        ),
                    };
                    self.report(kind, &r, vec![p]);
                }
                _ => {
                    seen.insert(s, (id(&r).to_string(), r.origin().line));
                    v.push(r);
                }
            }
        }
    }

    /// Checks a path given in an attachment or a `file` column; returns the normalised path.
    pub fn path(&mut self, field: &'static str, raw: &str) -> Result<String, Problem> {
        let p = raw.trim().replace('\\', "/");
        let bad = |ru: String, en: String| Problem {
            field,
            msg: Text::new(ru, en),
            hint: Text::new(
                "укажите путь к файлу внутри папки выгрузки, например scans/prikaz-12.pdf",
                "give a path to a file inside the input folder, e.g. scans/order-12.pdf",
            ),
        };
        let absolute =
            p.starts_with('/') || p.as_bytes().get(1) == Some(&b':') || p.starts_with("~");
        if absolute {
            return Err(bad(
                format!("путь «{raw}» абсолютный: файл вне папки выгрузки не принимается"),
                format!("path «{raw}» is absolute: files outside the input folder are refused"),
            ));
        }
        let parts: Vec<&str> = p
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        if parts.contains(&"..") {
            return Err(bad(
                format!("путь «{raw}» выходит из папки выгрузки («..»): не принимается"),
                format!("path «{raw}» leaves the input folder («..»): refused"),
            ));
        }
        let norm = parts.join("/");
        match self.files.get(&norm) {
            Some(PathStatus::File(..)) => {
                self.referenced.insert(norm.clone());
                Ok(norm)
            }
            Some(PathStatus::Outside) => Err(bad(
                format!("«{raw}» — символическая ссылка за пределы папки выгрузки: не принимается"),
                format!("«{raw}» is a symbolic link pointing outside the input folder: refused"),
            )),
            Some(PathStatus::Folder) => Err(bad(
                format!("«{raw}» — папка, а не файл"),
                format!("«{raw}» is a folder, not a file"),
            )),
            None => Err(bad(
                format!("файл «{raw}» не найден в папке выгрузки"),
                format!("file «{raw}» is not in the input folder"),
            )),
        }
    }
}

fn unknown(field: &'static str, what: (&str, &str), value: &str, stem: &str) -> Problem {
    Problem {
        field,
        msg: Text::new(
            format!("{} «{value}» не найден(а) в {stem}", what.0),
            format!("unknown {} «{value}»: not in {stem}", what.1),
        ),
        hint: Text::new(
            format!("добавьте запись в {stem} или исправьте код"),
            format!("add it to {stem} or correct the id"),
        ),
    }
}

/// A reference field: name, value, the ids it must be among, what it is, the file of those ids.
type RefCheck<'a> = (
    &'static str,
    &'a Option<String>,
    &'a HashSet<String>,
    (&'static str, &'static str),
    &'static str,
);

const LEARNER: (&str, &str) = ("слушатель", "learner");
const GROUP: (&str, &str) = ("группа", "group");

/// Runs every cross-record check and returns the records that passed, in their final order.
pub fn run(v: &mut Validator, mut st: Staging) -> (Staging, Vec<Grade>) {
    // Programmes.
    v.dedupe(
        Kind::Programmes,
        &mut st.programmes,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код программы «{}»", r.id),
    );
    v.slugs(Kind::Programmes, &mut st.programmes, "id", |r| &r.id);
    let programmes: HashSet<String> = st.programmes.iter().map(|r| r.id.clone()).collect();

    // Groups.
    v.dedupe(
        Kind::Groups,
        &mut st.groups,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("группа «{}»", r.id),
    );
    v.slugs(Kind::Groups, &mut st.groups, "id", |r| &r.id);
    v.retain(Kind::Groups, &mut st.groups, |_, r| {
        let mut p = Vec::new();
        if !programmes.contains(&r.programme) {
            p.push(unknown(
                "programme",
                ("программа", "programme"),
                &r.programme,
                "programmes",
            ));
        }
        p
    });
    let groups: HashSet<String> = st.groups.iter().map(|r| r.id.clone()).collect();

    // Learners.
    v.dedupe(
        Kind::Learners,
        &mut st.learners,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер личного дела «{}»", r.id),
    );
    v.slugs(Kind::Learners, &mut st.learners, "id", |r| &r.id);
    let learners: HashSet<String> = st.learners.iter().map(|r| r.id.clone()).collect();

    // Orders.
    v.dedupe(
        Kind::Orders,
        &mut st.orders,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер приказа «{}»", r.id),
    );
    v.slugs(Kind::Orders, &mut st.orders, "id", |r| &r.id);
    v.retain(Kind::Orders, &mut st.orders, |_, r| {
        let mut p = Vec::new();
        if let Some(g) = &r.group
            && !groups.contains(g)
        {
            p.push(unknown("group", GROUP, g, "groups"));
        }
        p
    });
    let mut orders = std::mem::take(&mut st.orders);
    check_files(v, Kind::Orders, &mut orders, |r| &mut r.file);
    st.orders = orders;
    let order_ids: HashSet<String> = st.orders.iter().map(|r| r.id.clone()).collect();

    // Enrolments.
    v.retain(Kind::Enrolments, &mut st.enrolments, |_, r| {
        let mut p = Vec::new();
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        if !groups.contains(&r.group) {
            p.push(unknown("group", GROUP, &r.group, "groups"));
        }
        for (field, o) in [("order", &r.order), ("outcome_order", &r.outcome_order)] {
            if let Some(o) = o
                && !order_ids.contains(o)
            {
                p.push(unknown(field, ("приказ", "order"), o, "orders"));
            }
        }
        p
    });
    v.dedupe(
        Kind::Enrolments,
        &mut st.enrolments,
        "learner",
        |a, b| (&a.learner, &a.group).cmp(&(&b.learner, &b.group)),
        |r| {
            format!(
                "зачисление слушателя «{}» в группу «{}»",
                r.learner, r.group
            )
        },
    );

    // Lessons.
    v.dedupe(
        Kind::Lessons,
        &mut st.lessons,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код занятия «{}»", r.id),
    );
    v.slugs(Kind::Lessons, &mut st.lessons, "id", |r| &r.id);
    v.retain(Kind::Lessons, &mut st.lessons, |_, r| {
        if groups.contains(&r.group) {
            Vec::new()
        } else {
            vec![unknown("group", GROUP, &r.group, "groups")]
        }
    });
    let lessons: HashSet<String> = st.lessons.iter().map(|r| r.id.clone()).collect();

    // Attendance.
    v.retain(Kind::Attendance, &mut st.attendance, |_, r| {
        let mut p = Vec::new();
        if !lessons.contains(&r.lesson) {
            p.push(unknown(
                "lesson",
                ("занятие", "lesson"),
                &r.lesson,
                "lessons",
            ));
        }
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        p
    });
    v.dedupe(
        Kind::Attendance,
        &mut st.attendance,
        "learner",
        |a, b| (&a.lesson, &a.learner).cmp(&(&b.lesson, &b.learner)),
        |r| {
            format!(
                "отметка слушателя «{}» на занятии «{}»",
                r.learner, r.lesson
            )
        },
    );

    // Grade items.
    v.dedupe(
        Kind::GradeItems,
        &mut st.grade_items,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код элемента оценивания «{}»", r.id),
    );
    v.retain(Kind::GradeItems, &mut st.grade_items, |_, r| {
        let mut p = Vec::new();
        if !groups.contains(&r.group) {
            p.push(unknown("group", GROUP, &r.group, "groups"));
        }
        if let Some(l) = &r.lesson
            && !lessons.contains(l)
        {
            p.push(unknown("lesson", ("занятие", "lesson"), l, "lessons"));
        }
        p
    });
    let scales: HashMap<String, Scale> = st
        .grade_items
        .iter()
        .map(|r| (r.id.clone(), r.scale))
        .collect();

    // Grades: the value on the item's scale.
    let raw = std::mem::take(&mut st.grades);
    let mut grades: Vec<Grade> = Vec::with_capacity(raw.len());
    for r in raw {
        let mut p = Vec::new();
        let scale = scales.get(&r.item).copied();
        if scale.is_none() {
            p.push(unknown(
                "item",
                ("элемент оценивания", "grade item"),
                &r.item,
                "grade_items",
            ));
        }
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        let value = scale.and_then(|s| match super::fields::grade(&r.raw, s) {
            Ok(v) => Some(v),
            Err(msg) => {
                p.push(Problem {
                    field: "value",
                    msg,
                    hint: Text::new(
                        format!("шкала элемента «{}» задана в grade_items", r.item),
                        format!("the scale of item «{}» is set in grade_items", r.item),
                    ),
                });
                None
            }
        });
        match (value, p.is_empty()) {
            (Some(value), true) => grades.push(Grade {
                item: r.item,
                learner: r.learner,
                value,
                raw: r.raw,
                date: r.date,
                comment: r.comment,
                origin: r.origin,
                extra: r.extra,
            }),
            _ => v.report(Kind::Grades, &r, p),
        }
    }
    v.dedupe(
        Kind::Grades,
        &mut grades,
        "learner",
        |a, b| (&a.item, &a.learner).cmp(&(&b.item, &b.learner)),
        |r| format!("оценка слушателя «{}» за «{}»", r.learner, r.item),
    );

    // Protocols and their results.
    v.dedupe(
        Kind::Protocols,
        &mut st.protocols,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер протокола «{}»", r.id),
    );
    v.slugs(Kind::Protocols, &mut st.protocols, "id", |r| &r.id);
    v.retain(Kind::Protocols, &mut st.protocols, |_, r| {
        if groups.contains(&r.group) {
            Vec::new()
        } else {
            vec![unknown("group", GROUP, &r.group, "groups")]
        }
    });
    let protocols: HashSet<String> = st.protocols.iter().map(|r| r.id.clone()).collect();
    v.retain(Kind::ProtocolResults, &mut st.protocol_results, |_, r| {
        let mut p = Vec::new();
        if !protocols.contains(&r.protocol) {
            p.push(unknown(
                "protocol",
                ("протокол", "protocol"),
                &r.protocol,
                "protocols",
            ));
        }
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        p
    });
    v.dedupe(
        Kind::ProtocolResults,
        &mut st.protocol_results,
        "learner",
        |a, b| (&a.protocol, &a.learner).cmp(&(&b.protocol, &b.learner)),
        |r| {
            format!(
                "результат слушателя «{}» в протоколе «{}»",
                r.learner, r.protocol
            )
        },
    );

    // Issued documents.
    v.dedupe(
        Kind::IssuedDocuments,
        &mut st.issued_documents,
        "reg_number",
        |a, b| a.reg_number.cmp(&b.reg_number),
        |r| format!("регистрационный номер «{}»", r.reg_number),
    );
    v.slugs(
        Kind::IssuedDocuments,
        &mut st.issued_documents,
        "reg_number",
        |r| &r.reg_number,
    );
    v.retain(Kind::IssuedDocuments, &mut st.issued_documents, |_, r| {
        let mut p = Vec::new();
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        if let Some(g) = &r.group
            && !groups.contains(g)
        {
            p.push(unknown("group", GROUP, g, "groups"));
        }
        p
    });

    // Awards and portfolio.
    v.dedupe(
        Kind::Awards,
        &mut st.awards,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код награды «{}»", r.id),
    );
    v.retain(Kind::Awards, &mut st.awards, |_, r| {
        if learners.contains(&r.learner) {
            Vec::new()
        } else {
            vec![unknown("learner", LEARNER, &r.learner, "learners")]
        }
    });
    let mut awards = std::mem::take(&mut st.awards);
    check_files(v, Kind::Awards, &mut awards, |r| &mut r.file);
    st.awards = awards;
    v.dedupe(
        Kind::Portfolio,
        &mut st.portfolio,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код работы портфолио «{}»", r.id),
    );
    v.retain(Kind::Portfolio, &mut st.portfolio, |_, r| {
        if learners.contains(&r.learner) {
            Vec::new()
        } else {
            vec![unknown("learner", LEARNER, &r.learner, "learners")]
        }
    });
    let mut portfolio = std::mem::take(&mut st.portfolio);
    check_files(v, Kind::Portfolio, &mut portfolio, |r| &mut r.file);
    st.portfolio = portfolio;

    // Credit transfers.
    v.dedupe(
        Kind::CreditTransfers,
        &mut st.credit_transfers,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код зачёта «{}»", r.id),
    );
    v.slugs(Kind::CreditTransfers, &mut st.credit_transfers, "id", |r| {
        &r.id
    });
    v.retain(Kind::CreditTransfers, &mut st.credit_transfers, |_, r| {
        let mut p = Vec::new();
        if !learners.contains(&r.learner) {
            p.push(unknown("learner", LEARNER, &r.learner, "learners"));
        }
        if !groups.contains(&r.group) {
            p.push(unknown("group", GROUP, &r.group, "groups"));
        }
        p
    });

    // Attachments.
    v.dedupe(
        Kind::Attachments,
        &mut st.attachments,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код вложения «{}»", r.id),
    );
    v.retain(Kind::Attachments, &mut st.attachments, |_, r| {
        let mut p = Vec::new();
        let refs: [RefCheck; 4] = [
            ("learner", &r.learner, &learners, LEARNER, "learners"),
            ("group", &r.group, &groups, GROUP, "groups"),
            (
                "lesson",
                &r.lesson,
                &lessons,
                ("занятие", "lesson"),
                "lessons",
            ),
            ("order", &r.order, &order_ids, ("приказ", "order"), "orders"),
        ];
        for (field, value, set, what, stem) in refs {
            if let Some(x) = value
                && !set.contains(x)
            {
                p.push(unknown(field, what, x, stem));
            }
        }
        p
    });
    let old = std::mem::take(&mut st.attachments);
    for mut r in old {
        match v.path("path", &r.path) {
            Ok(norm) => {
                if let Some(PathStatus::File(size, sha)) = v.files.get(&norm) {
                    r.size = *size;
                    r.sha256 = sha.clone();
                }
                r.path = norm;
                st.attachments.push(r);
            }
            Err(p) => v.report(Kind::Attachments, &r, vec![p]),
        }
    }

    // Learners without an enrolment: kept, with a warning.
    let enrolled: HashSet<&str> = st.enrolments.iter().map(|e| e.learner.as_str()).collect();
    for l in &st.learners {
        if !enrolled.contains(l.id.as_str()) {
            v.diags.push(
                Diagnostic::warning(
                    l.origin.file.clone(),
                    Text::new(
                        format!(
                            "слушатель «{}» ({}) не зачислен ни в одну группу",
                            l.id,
                            l.full_name()
                        ),
                        format!(
                            "learner «{}» ({}) is not enrolled in any group",
                            l.id,
                            l.full_name()
                        ),
                    ),
                )
                .at(l.origin.line, None)
                .hint(Text::new(
                    "добавьте строку в enrolments",
                    "add a row to enrolments",
                )),
            );
        }
    }

    // Final order: by id / natural key; lessons by group, date, time, id.
    st.lessons.sort_by(|a, b| {
        (&a.group, a.date, &a.time, &a.id).cmp(&(&b.group, b.date, &b.time, &b.id))
    });
    (st, grades)
}

fn check_files<T: Rec>(
    v: &mut Validator,
    kind: Kind,
    recs: &mut Vec<T>,
    file: impl Fn(&mut T) -> &mut Option<String>,
) {
    let old = std::mem::take(recs);
    for mut r in old {
        let Some(raw) = file(&mut r).clone() else {
            recs.push(r);
            continue;
        };
        match v.path("file", &raw) {
            Ok(norm) => {
                *file(&mut r) = Some(norm);
                recs.push(r);
            }
            Err(p) => v.report(kind, &r, vec![p]),
        }
    }
}
