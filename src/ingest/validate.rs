//! Cross-record validation: duplicate ids and keys (and ids whose page names collide), references
//! to records that do not exist, grades on their item's scale, attachment paths. A record that fails
//! is moved to the rejected list with its reason; every problem becomes a diagnostic.

use super::records::{RawGrade, Staging};
use super::schema::Kind;
use crate::diag::Diagnostic;
use crate::layout::slug::slug;
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
    /// A reference to a record that exists in the input but was itself rejected (or whose file
    /// could not be read): reported once per file, not once per row.
    pub cascade: Option<(Kind, String)>,
}

/// What a checked input file resolves to, for attachment paths.
pub enum PathStatus {
    /// A regular file inside the folder: (size, sha256).
    File(u64, String),
    /// A symlink whose target is outside the input folder.
    Outside,
    Folder,
    /// The configuration or a record file: read as data, not attachable.
    InputFile,
    /// A file that cannot be read (its own error says why).
    Unreadable,
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
    /// Ids of rejected records, by kind.
    pub gone: HashMap<Kind, HashSet<String>>,
    /// Kinds whose file could not be read at all.
    pub unavailable: HashSet<Kind>,
    /// Kinds without any file in the folder.
    pub missing: HashSet<Kind>,
    /// Rows rejected because they refer to rejected records: (file, kind referred to) → ids.
    pub cascades: BTreeMap<(String, Kind), (u64, std::collections::BTreeSet<String>)>,
}

/// The id column of a kind that other records refer to.
pub fn id_field(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::IssuedDocuments => Some("reg_number"),
        Kind::Enrolments | Kind::Attendance | Kind::Grades | Kind::ProtocolResults => None,
        _ => Some("id"),
    }
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

/// Invisible characters that change the direction of text (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Latin letters that look like Cyrillic ones (and the other way round).
const LOOKALIKE: &str = "AaBCcEeHKkMOoPpTXxyАаВСсЕеНКкМОоРрТХху";

/// For an id with a word of both Cyrillic and Latin letters, some of them look-alikes (`ПK-12`
/// typed with a Latin K): which letters of the word's minority script, with their positions.
/// Words of one script each (`ПК-12: Topic 1`) are fine.
fn lookalikes(id: &str) -> Option<Text> {
    let cyr = |c: char| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё');
    let lat = |c: char| c.is_ascii_alphabetic();
    let chars: Vec<char> = id.chars().collect();
    let mut odd: Vec<(usize, char, bool)> = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if !(cyr(chars[start]) || lat(chars[start])) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < chars.len() && (cyr(chars[end]) || lat(chars[end])) {
            end += 1;
        }
        let word = &chars[start..end];
        let nc = word.iter().filter(|&&c| cyr(c)).count();
        let nl = word.len() - nc;
        if nc > 0 && nl > 0 {
            let latin_odd = nl <= nc;
            for (k, &c) in word.iter().enumerate() {
                if (if latin_odd { lat(c) } else { cyr(c) }) && LOOKALIKE.contains(c) {
                    odd.push((start + k + 1, c, latin_odd));
                }
            }
        }
        start = end;
    }
    if odd.is_empty() {
        return None;
    }
    let list = |lang_ru: bool| {
        odd.iter()
            .take(5)
            .map(|&(i, c, latin)| match (lang_ru, latin) {
                (true, true) => format!("латинская «{c}» (знак {i})"),
                (true, false) => format!("русская «{c}» (знак {i})"),
                (false, true) => format!("Latin «{c}» (character {i})"),
                (false, false) => format!("Cyrillic «{c}» (character {i})"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(Text::new(list(true), list(false)))
}

/// An id as a list shows it: at most 40 characters, then «…».
fn shorten(id: &str) -> String {
    match id.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &id[..i]),
        None => id.to_string(),
    }
}

/// The longest page name (a slug, without `.html`) of a learner, group or programme.
pub const SLUG_MAX: usize = 120;

impl Validator<'_> {
    fn col(&self, file: &str, kind: Kind, field: &str) -> Option<u64> {
        self.header_cols
            .get(file)
            .and_then(|c| c.get(kind.col(field)).copied().flatten())
    }

    fn report<T: Rec>(&mut self, kind: Kind, r: &T, problems: Vec<Problem>) {
        let o = r.origin();
        let values = values_of(r);
        if let Some(f) = id_field(kind)
            && let Some(id) = values.get(f)
        {
            self.gone.entry(kind).or_default().insert(id.clone());
        }
        let real = problems.iter().any(|p| p.cascade.is_none());
        let reason = problems
            .iter()
            .find(|p| !real || p.cascade.is_none())
            .map(|p| p.msg.clone());
        // A row is counted once per kind it refers to, however many of its fields do (an
        // enrolment's order and outcome order): the count is of rows.
        let mut counted: Vec<Kind> = Vec::new();
        for p in problems {
            match p.cascade {
                Some((target, id)) if !real => {
                    let e = self
                        .cascades
                        .entry((o.file.to_string(), target))
                        .or_default();
                    if !counted.contains(&target) {
                        counted.push(target);
                        e.0 += 1;
                    }
                    e.1.insert(id);
                }
                Some(_) => {}
                None => {
                    let col = self.col(&o.file, kind, p.field);
                    self.diags.push(
                        Diagnostic::error(&*o.file, p.msg)
                            .at(o.line, col)
                            .hint(p.hint),
                    );
                }
            }
        }
        if let Some(reason) = reason {
            self.rejected.push(RejectedRow {
                origin: *o,
                values,
                reason,
            });
        }
    }

    /// `None` when `value` is among `ids` (the kept records of `target`); else the problem.
    pub fn refcheck(
        &self,
        field: &'static str,
        target: Kind,
        ids: &HashSet<String>,
        value: &str,
    ) -> Option<Problem> {
        if ids.contains(value) {
            return None;
        }
        let stem = target.stem();
        let what = match target {
            Kind::Programmes => ("нет программы", "programme"),
            Kind::Groups => ("нет группы", "group"),
            Kind::Learners => ("нет слушателя", "learner"),
            Kind::Orders => ("нет приказа", "order"),
            Kind::Lessons => ("нет занятия", "lesson"),
            Kind::GradeItems => ("нет элемента оценивания", "grade item"),
            Kind::Protocols => ("нет протокола", "protocol"),
            _ => ("нет записи", "record"),
        };
        let gone = self.unavailable.contains(&target)
            || self.missing.contains(&target)
            || self.gone.get(&target).is_some_and(|g| g.contains(value));
        Some(Problem {
            field,
            msg: if gone {
                Text::new(
                    format!("ссылка на отклонённую запись {stem} «{value}»"),
                    format!("refers to the rejected {} «{value}» of {stem}", what.1),
                )
            } else {
                Text::new(
                    format!("{} «{value}» в {stem}", what.0),
                    format!("unknown {} «{value}»: not in {stem}", what.1),
                )
            },
            hint: Text::new(
                format!("добавьте запись в {stem} или исправьте код"),
                format!("add it to {stem} or correct the id"),
            ),
            cascade: gone.then(|| (target, value.to_string())),
        })
    }

    /// One diagnostic per file for the rows rejected because of rejected records they refer to.
    pub fn report_cascades(&mut self) {
        for ((file, target), (n, ids)) in std::mem::take(&mut self.cascades) {
            let list = ids
                .iter()
                .take(5)
                .map(|i| format!("«{}»", shorten(i)))
                .collect::<Vec<_>>()
                .join(", ");
            let more = if ids.len() > 5 { ", …" } else { "" };
            if self.missing.contains(&target) {
                let stem = target.stem();
                self.diags.push(
                    Diagnostic::error(
                        file,
                        Text::new(
                            format!("строк отклонено: {n}: они ссылаются на записи {stem} ({list}{more}), но этих записей в папке нет (нет файла {stem}.csv или {stem}.yaml, или он пуст)"),
                            format!("{n} rows rejected: they refer to records of {stem} ({list}{more}) but the folder has none (no {stem}.csv or {stem}.yaml, or an empty one)"),
                        ),
                    )
                    .hint(Text::new(
                        format!("добавьте выгрузку {stem}.csv"),
                        format!("add the {stem}.csv export"),
                    )),
                );
                continue;
            }
            self.diags.push(
                Diagnostic::error(
                    file,
                    Text::new(
                        format!(
                            "строк отклонено: {n}, потому что они ссылаются на записи {stem} ({list}{more}), отклонённые из-за собственных ошибок",
                            stem = target.stem()
                        ),
                        format!(
                            "{n} rows rejected because they refer to records of {stem} ({list}{more}) rejected for errors of their own",
                            stem = target.stem()
                        ),
                    ),
                )
                .hint(Text::new(
                    format!("исправьте ошибки в {}: эти строки будут приняты", target.stem()),
                    format!("fix the errors in {}: these rows will then be accepted", target.stem()),
                )),
            );
        }
    }

    /// Keeps the records without problems; rejects the others.
    pub fn retain<T: Rec>(
        &mut self,
        kind: Kind,
        v: &mut Vec<T>,
        mut check: impl FnMut(&mut Self, &T) -> Vec<Problem>,
    ) {
        // In place: the big vectors (attendance, grades) are never copied.
        let mut bad = Vec::new();
        for (i, r) in v.iter().enumerate() {
            let problems = check(self, r);
            if !problems.is_empty() {
                self.report(kind, r, problems);
                bad.push(i);
            }
        }
        if bad.is_empty() {
            return;
        }
        let mut i = 0;
        let mut next = bad.into_iter().peekable();
        v.retain(|_| {
            let drop = next.peek() == Some(&i);
            if drop {
                next.next();
            }
            i += 1;
            !drop
        });
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
        // Unstable sort (no buffer the size of the vector): origins are unique, so the order is
        // still fully determined.
        v.sort_unstable_by(|a, b| cmp(a, b).then_with(|| a.origin().cmp(b.origin())));
        let mut dup = vec![false; v.len()];
        let mut first = 0;
        let mut first_line = Vec::new();
        for i in 1..v.len() {
            if cmp(&v[first], &v[i]) == Ordering::Equal {
                dup[i] = true;
                first_line.push((i, *v[first].origin()));
            } else {
                first = i;
            }
        }
        if first_line.is_empty() {
            return;
        }
        let lines: HashMap<usize, Origin> = first_line.into_iter().collect();
        let old = std::mem::take(v);
        for (i, r) in old.into_iter().enumerate() {
            if dup[i] {
                let key = show(&r);
                // The first record's place: its line, and its file when that is another one.
                let (ru, en) = match lines.get(&i) {
                    Some(o) if o.file != r.origin().file => (
                        format!("в {}:{}", o.file, o.line),
                        format!("in {}:{}", o.file, o.line),
                    ),
                    Some(o) => (
                        format!("в строке {}", o.line),
                        format!("on line {}", o.line),
                    ),
                    None => (String::new(), String::new()),
                };
                let p = Problem {
                    field,
                    msg: Text::new(
                        format!("повторяется {key}: такая запись уже есть {ru}"),
                        format!("duplicate {key}: the same record is already {en}"),
                    ),
                    hint: Text::new(
                        "удалите повтор или исправьте код",
                        "delete the duplicate or correct the id",
                    ),
                    cascade: None,
                };
                self.report(kind, &r, vec![p]);
            } else {
                v.push(r);
            }
        }
    }

    /// An id with invisible direction marks reads differently on its page: a warning.
    fn warn_bidi_id(&mut self, kind: Kind, field: &'static str, id: &str, o: &Origin) {
        if id.chars().any(is_bidi_control) {
            let shown: String = id
                .chars()
                .map(|c| {
                    if is_bidi_control(c) {
                        format!("<U+{:04X}>", c as u32)
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            let col = self.col(&o.file, kind, field);
            self.diags.push(
                Diagnostic::warning(
                    &*o.file,
                    Text::new(
                        format!("в коде «{shown}» невидимые знаки направления текста (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): на странице код может читаться иначе"),
                        format!("id «{shown}» has invisible text direction marks (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): it may read differently on the page"),
                    ),
                )
                .at(o.line, col)
                .hint(Text::new(
                    "наберите код заново, без вставки из другой программы",
                    "type the id again instead of pasting it from another program",
                )),
            );
        }
    }

    /// Rejects records whose ids differ but give the same page name (`model::slug`), and ids of
    /// records with pages whose page name would be longer than [`SLUG_MAX`].
    pub fn slugs<T: Rec>(
        &mut self,
        kind: Kind,
        v: &mut Vec<T>,
        field: &'static str,
        id: impl Fn(&T) -> &str,
    ) {
        // Page name → position in `v` of the first record that took it (its id and line are read
        // there: not copied, for a list of hundreds of thousands of lessons).
        let mut seen: HashMap<String, usize> = HashMap::new();
        let old = std::mem::take(v);
        v.reserve_exact(old.len());
        // Records with a page of their own: the page's file name must stay short on every file
        // system (255 bytes a name; Windows paths of 260 characters).
        let paged = matches!(kind, Kind::Programmes | Kind::Groups | Kind::Learners);
        for r in old {
            if let Some(which) = lookalikes(id(&r)) {
                let o = r.origin();
                let col = self.col(&o.file, kind, field);
                self.diags.push(
                    Diagnostic::warning(
                        &*o.file,
                        Text::new(
                            format!("код «{}» смешивает русские и латинские буквы, похожие на вид: {}", id(&r), which.ru),
                            format!("id «{}» mixes Cyrillic and Latin letters that look alike: {}", id(&r), which.en),
                        ),
                    )
                    .at(o.line, col)
                    .hint(Text::new(
                        "наберите код одной раскладкой: иначе ссылки на него с «правильными» буквами его не найдут",
                        "type the id in one keyboard layout: references typed with the other letters will not find it",
                    )),
                );
            }
            self.warn_bidi_id(kind, field, id(&r), r.origin());
            let s = slug(id(&r));
            if paged && s.len() > SLUG_MAX {
                let n = id(&r).chars().count();
                let p = Problem {
                    field,
                    msg: Text::new(
                        format!(
                            "код слишком длинный ({n} знаков, в латинице {} знаков): имя страницы записи не поместится в имя файла на носителе",
                            s.len()
                        ),
                        format!(
                            "the id is too long ({n} characters, {} in Latin letters): the record's page name would not fit a file name on the medium",
                            s.len()
                        ),
                    ),
                    hint: Text::new(
                        format!("сократите код: до {SLUG_MAX} знаков после перевода в латиницу"),
                        format!("shorten the id: at most {SLUG_MAX} characters in Latin letters"),
                    ),
                    cascade: None,
                };
                self.report(kind, &r, vec![p]);
                continue;
            }
            let first = seen.get(&s).map(|&i| (id(&v[i]), v[i].origin().line));
            match first {
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
                        cascade: None,
                    };
                    self.report(kind, &r, vec![p]);
                }
                _ => {
                    if first.is_none() {
                        seen.insert(s, v.len());
                    }
                    v.push(r);
                }
            }
        }
    }

    /// Checks a path given in an attachment or a `file` column; returns the normalised path.
    pub fn path(&mut self, field: &'static str, raw: &str) -> Result<String, Box<Problem>> {
        let p = raw.trim().replace('\\', "/");
        let bad = |ru: String, en: String| {
            Box::new(Problem {
                field,
                msg: Text::new(ru, en),
                hint: Text::new(
                    "укажите путь к файлу внутри папки выгрузки, например scans/prikaz-12.pdf",
                    "give a path to a file inside the input folder, e.g. scans/order-12.pdf",
                ),
                cascade: None,
            })
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
            Some(PathStatus::Unreadable) => Err(bad(
                format!("файл «{raw}» есть, но не читается (см. ошибку этого файла)"),
                format!("file «{raw}» is there but cannot be read (see that file's error)"),
            )),
            Some(PathStatus::InputFile) => Err(bad(
                format!("«{raw}» — файл записей или настроек, а не вложение"),
                format!("«{raw}» is a record or settings file, not an attachment"),
            )),
            None => {
                // A different letter case (written on Windows, where it does not matter)?
                let lower = norm.to_lowercase();
                let similar = self
                    .files
                    .iter()
                    .find(|(k, st)| matches!(st, PathStatus::File(..)) && k.to_lowercase() == lower)
                    .map(|(k, _)| k.clone());
                let mut p = bad(
                    format!("файл «{raw}» не найден в папке выгрузки"),
                    format!("file «{raw}» is not in the input folder"),
                );
                if let Some(k) = similar {
                    p.hint = Text::new(
                        format!(
                            "есть файл «{k}»: имена файлов различают большие и маленькие буквы"
                        ),
                        format!("there is «{k}»: file names are case-sensitive"),
                    );
                }
                Err(p)
            }
        }
    }
}

fn ids<T>(v: &[T], id: impl Fn(&T) -> &str) -> HashSet<String> {
    v.iter().map(|r| id(r).to_string()).collect()
}

/// Runs every cross-record check and returns the records that passed, in their final order, and
/// the grades with their values read on their items' scales.
pub fn run(v: &mut Validator, mut st: Staging) -> (Staging, Vec<Grade>) {
    use Kind as K;
    // Programmes.
    v.dedupe(
        K::Programmes,
        &mut st.programmes,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код программы «{}»", r.id),
    );
    v.slugs(K::Programmes, &mut st.programmes, "id", |r| &r.id);
    let programmes = ids(&st.programmes, |r| &r.id);

    // Groups.
    v.dedupe(
        K::Groups,
        &mut st.groups,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("группа «{}»", r.id),
    );
    v.slugs(K::Groups, &mut st.groups, "id", |r| &r.id);
    v.retain(K::Groups, &mut st.groups, |v, r| {
        v.refcheck("programme", K::Programmes, &programmes, &r.programme)
            .into_iter()
            .collect()
    });
    let groups = ids(&st.groups, |r| &r.id);

    // Learners.
    v.dedupe(
        K::Learners,
        &mut st.learners,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер личного дела «{}»", r.id),
    );
    v.slugs(K::Learners, &mut st.learners, "id", |r| &r.id);
    warn_learners(v, &st);
    let learners = ids(&st.learners, |r| &r.id);

    let order_ids = check_orders_and_enrolments(v, &mut st, &groups, &learners);

    // Lessons.
    v.dedupe(
        K::Lessons,
        &mut st.lessons,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код занятия «{}»", r.id),
    );
    v.slugs(K::Lessons, &mut st.lessons, "id", |r| &r.id);
    v.retain(K::Lessons, &mut st.lessons, |v, r| {
        v.refcheck("group", K::Groups, &groups, &r.group)
            .into_iter()
            .collect()
    });
    warn_lessons_outside_groups(v, &st);
    let lessons = ids(&st.lessons, |r| &r.id);

    // Attendance.
    v.retain(K::Attendance, &mut st.attendance, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("lesson", K::Lessons, &lessons, &r.lesson));
        p.extend(v.refcheck("learner", K::Learners, &learners, &r.learner));
        p
    });
    warn_marks_after_expulsion(v, &st);
    v.dedupe(
        K::Attendance,
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

    let known = Known {
        groups: &groups,
        learners: &learners,
        order_ids: &order_ids,
        lessons: &lessons,
    };
    let grades = check_grades(v, &mut st, &known);
    check_results(v, &mut st, &known);
    check_documents(v, &mut st, &known);
    check_attachments(v, &mut st, &known);
    v.report_cascades();
    not_in_group(v, &st, &grades);

    // Final order: by id or natural key (done by dedupe); lessons by group, date, time, id.
    st.lessons.sort_unstable_by(|a, b| {
        (&a.group, a.date, &a.time, &a.id).cmp(&(&b.group, b.date, &b.time, &b.id))
    });
    (st, grades)
}

/// The ids of the records that passed the checks so far, for the references of later kinds.
struct Known<'a> {
    groups: &'a HashSet<String>,
    learners: &'a HashSet<String>,
    order_ids: &'a HashSet<String>,
    lessons: &'a HashSet<String>,
}

/// Orders (and their files), then enrolments; gives the orders' ids.
fn check_orders_and_enrolments(
    v: &mut Validator,
    st: &mut Staging,
    groups: &HashSet<String>,
    learners: &HashSet<String>,
) -> HashSet<String> {
    use Kind as K;
    // Orders.
    v.dedupe(
        K::Orders,
        &mut st.orders,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер приказа «{}»", r.id),
    );
    v.slugs(K::Orders, &mut st.orders, "id", |r| &r.id);
    v.retain(K::Orders, &mut st.orders, |v, r| {
        r.group
            .as_deref()
            .and_then(|g| v.refcheck("group", K::Groups, groups, g))
            .into_iter()
            .collect()
    });
    let mut orders = std::mem::take(&mut st.orders);
    check_files(v, K::Orders, &mut orders, |r| &mut r.file);
    st.orders = orders;
    let order_ids = ids(&st.orders, |r| &r.id);

    // Enrolments.
    v.retain(K::Enrolments, &mut st.enrolments, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        p.extend(v.refcheck("group", K::Groups, groups, &r.group));
        for (field, o) in [("order", &r.order), ("outcome_order", &r.outcome_order)] {
            if let Some(o) = o {
                p.extend(v.refcheck(field, K::Orders, &order_ids, o));
            }
        }
        p
    });
    v.dedupe(
        K::Enrolments,
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

    order_ids
}

/// Grade items, then grades: values were checked on their items' scales while reading.
fn check_grades(v: &mut Validator, st: &mut Staging, known: &Known) -> Vec<Grade> {
    use Kind as K;
    let groups = known.groups;
    let learners = known.learners;
    let lessons = known.lessons;
    // Grade items.
    v.dedupe(
        K::GradeItems,
        &mut st.grade_items,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код элемента оценивания «{}»", r.id),
    );
    v.retain(K::GradeItems, &mut st.grade_items, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("group", K::Groups, groups, &r.group));
        if let Some(l) = &r.lesson {
            p.extend(v.refcheck("lesson", K::Lessons, lessons, l));
        }
        p
    });
    warn_items_on_other_groups_lessons(v, st);
    let scales: HashMap<String, Scale> = st
        .grade_items
        .iter()
        .map(|r| (r.id.clone(), r.scale))
        .collect();
    let item_ids: HashSet<String> = scales.keys().cloned().collect();

    // Grades: values were checked on their items' scales while reading; here the references.
    for r in std::mem::take(&mut st.unvalued_grades) {
        let mut p = Vec::new();
        p.extend(v.refcheck("item", K::GradeItems, &item_ids, &r.item));
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        v.report(K::Grades, &r, p);
    }
    let mut grades = std::mem::take(&mut st.grades);
    v.retain(K::Grades, &mut grades, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("item", K::GradeItems, &item_ids, &r.item));
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        p
    });
    v.dedupe(
        K::Grades,
        &mut grades,
        "learner",
        |a, b| (&a.item, &a.learner).cmp(&(&b.item, &b.learner)),
        |r| format!("оценка слушателя «{}» за «{}»", r.learner, r.item),
    );

    grades
}

/// Protocols and their results, issued documents, awards, portfolio, credit transfers.
fn check_results(v: &mut Validator, st: &mut Staging, known: &Known) {
    use Kind as K;
    let groups = known.groups;
    let learners = known.learners;
    // Protocols and their results.
    v.dedupe(
        K::Protocols,
        &mut st.protocols,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("номер протокола «{}»", r.id),
    );
    v.slugs(K::Protocols, &mut st.protocols, "id", |r| &r.id);
    v.retain(K::Protocols, &mut st.protocols, |v, r| {
        v.refcheck("group", K::Groups, groups, &r.group)
            .into_iter()
            .collect()
    });
    let protocols = ids(&st.protocols, |r| &r.id);
    v.retain(K::ProtocolResults, &mut st.protocol_results, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("protocol", K::Protocols, &protocols, &r.protocol));
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        p
    });
    v.dedupe(
        K::ProtocolResults,
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
}

/// Issued documents, awards, portfolio, credit transfers.
fn check_documents(v: &mut Validator, st: &mut Staging, known: &Known) {
    use Kind as K;
    let groups = known.groups;
    let learners = known.learners;
    // Issued documents.
    v.dedupe(
        K::IssuedDocuments,
        &mut st.issued_documents,
        "reg_number",
        |a, b| a.reg_number.cmp(&b.reg_number),
        |r| format!("регистрационный номер «{}»", r.reg_number),
    );
    v.slugs(
        K::IssuedDocuments,
        &mut st.issued_documents,
        "reg_number",
        |r| &r.reg_number,
    );
    v.retain(K::IssuedDocuments, &mut st.issued_documents, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        if let Some(g) = &r.group {
            p.extend(v.refcheck("group", K::Groups, groups, g));
        }
        p
    });

    // Awards and portfolio.
    v.dedupe(
        K::Awards,
        &mut st.awards,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код награды «{}»", r.id),
    );
    v.retain(K::Awards, &mut st.awards, |v, r| {
        v.refcheck("learner", K::Learners, learners, &r.learner)
            .into_iter()
            .collect()
    });
    let mut awards = std::mem::take(&mut st.awards);
    check_files(v, K::Awards, &mut awards, |r| &mut r.file);
    st.awards = awards;
    v.dedupe(
        K::Portfolio,
        &mut st.portfolio,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код работы портфолио «{}»", r.id),
    );
    v.retain(K::Portfolio, &mut st.portfolio, |v, r| {
        v.refcheck("learner", K::Learners, learners, &r.learner)
            .into_iter()
            .collect()
    });
    let mut portfolio = std::mem::take(&mut st.portfolio);
    check_files(v, K::Portfolio, &mut portfolio, |r| &mut r.file);
    st.portfolio = portfolio;

    // Credit transfers.
    v.dedupe(
        K::CreditTransfers,
        &mut st.credit_transfers,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код зачёта «{}»", r.id),
    );
    v.slugs(K::CreditTransfers, &mut st.credit_transfers, "id", |r| {
        &r.id
    });
    v.retain(K::CreditTransfers, &mut st.credit_transfers, |v, r| {
        let mut p = Vec::new();
        p.extend(v.refcheck("learner", K::Learners, learners, &r.learner));
        p.extend(v.refcheck("group", K::Groups, groups, &r.group));
        p
    });
}

/// Attachments: their references and their files.
fn check_attachments(v: &mut Validator, st: &mut Staging, known: &Known) {
    use Kind as K;
    let groups = known.groups;
    let learners = known.learners;
    let order_ids = known.order_ids;
    let lessons = known.lessons;
    // Attachments.
    v.dedupe(
        K::Attachments,
        &mut st.attachments,
        "id",
        |a, b| a.id.cmp(&b.id),
        |r| format!("код вложения «{}»", r.id),
    );
    v.retain(K::Attachments, &mut st.attachments, |v, r| {
        let refs: [(&'static str, &Option<String>, Kind, &HashSet<String>); 4] = [
            ("learner", &r.learner, K::Learners, learners),
            ("group", &r.group, K::Groups, groups),
            ("lesson", &r.lesson, K::Lessons, lessons),
            ("order", &r.order, K::Orders, order_ids),
        ];
        refs.into_iter()
            .filter_map(|(field, value, kind, set)| {
                value
                    .as_deref()
                    .and_then(|x| v.refcheck(field, kind, set, x))
            })
            .collect()
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
            Err(p) => v.report(K::Attachments, &r, vec![*p]),
        }
    }
}

/// One SNILS on two learners: one of them is wrong (an error); invisible direction marks in
/// a name change how it reads (a warning).
fn warn_learners(v: &mut Validator, st: &Staging) {
    use Kind as K;
    let mut seen: HashMap<&str, &Learner> = HashMap::new();
    for l in &st.learners {
        let Some(snils) = l.snils.as_deref() else {
            continue;
        };
        match seen.get(snils) {
            Some(first) => {
                let col = v.col(&l.origin.file, K::Learners, "snils");
                v.diags.push(
                    Diagnostic::error(
                        &*l.origin.file,
                        Text::new(
                            format!("СНИЛС {snils} указан и у слушателя «{}» ({}:{}), и у «{}»", first.id, first.origin.file, first.origin.line, l.id),
                            format!("SNILS {snils} is given for learner «{}» ({}:{}) and for «{}»", first.id, first.origin.file, first.origin.line, l.id),
                        ),
                    )
                    .at(l.origin.line, col)
                    .hint(Text::new(
                        "у каждого человека свой СНИЛС: сверьте номера с документами; если это один человек, оставьте одну запись",
                        "every person has their own SNILS: check the numbers against the documents; if it is one person, keep one record",
                    )),
                );
            }
            None => {
                seen.insert(snils, l);
            }
        }
    }
    for l in &st.learners {
        let name = l.full_name();
        if name.chars().any(is_bidi_control) {
            let col = v.col(&l.origin.file, K::Learners, "surname");
            v.diags.push(
                Diagnostic::warning(
                    &*l.origin.file,
                    Text::new(
                        format!("в ФИО слушателя «{}» невидимые знаки направления текста (U+202A–U+202E, U+2066–U+2069): на странице имя может читаться иначе", l.id),
                        format!("the name of learner «{}» has invisible text direction marks (U+202A–U+202E, U+2066–U+2069): it may read differently on the page", l.id),
                    ),
                )
                .at(l.origin.line, col)
                .hint(Text::new(
                    "наберите ФИО заново без копирования из других программ",
                    "type the name again instead of pasting it from another program",
                )),
            );
        }
    }
}

/// A lesson outside its group's dates is legal (a consultation after the end) but dubious.
fn warn_lessons_outside_groups(v: &mut Validator, st: &Staging) {
    use Kind as K;
    let spans: HashMap<&str, (chrono::NaiveDate, chrono::NaiveDate)> = st
        .groups
        .iter()
        .map(|g| (g.id.as_str(), (g.start, g.end)))
        .collect();
    let fmt = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    for l in &st.lessons {
        if let Some(&(a, b)) = spans.get(l.group.as_str())
            && (l.date < a || l.date > b)
        {
            let col = v.col(&l.origin.file, K::Lessons, "date");
            v.diags.push(
                Diagnostic::warning(
                    &*l.origin.file,
                    Text::new(
                        format!(
                            "занятие {} вне дат группы {}: {}–{}",
                            fmt(l.date),
                            l.group,
                            fmt(a),
                            fmt(b)
                        ),
                        format!(
                            "lesson on {} is outside the dates of group {}: {}–{}",
                            fmt(l.date),
                            l.group,
                            fmt(a),
                            fmt(b)
                        ),
                    ),
                )
                .at(l.origin.line, col)
                .hint(Text::new(
                    "проверьте дату занятия или даты группы в groups",
                    "check the lesson's date or the group's dates in groups",
                )),
            );
        }
    }
}

/// Marks dated after the learner's expulsion from the lesson's group: legal (a late entry),
/// but dubious.
fn warn_marks_after_expulsion(v: &mut Validator, st: &Staging) {
    use Kind as K;
    let lesson_at: HashMap<&str, (&str, chrono::NaiveDate)> = st
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), (l.group.as_str(), l.date)))
        .collect();
    let expelled: HashMap<(&str, &str), chrono::NaiveDate> = st
        .enrolments
        .iter()
        .filter(|e| e.outcome == Outcome::Expelled)
        .filter_map(|e| Some(((e.learner.as_str(), e.group.as_str()), e.outcome_date?)))
        .collect();
    if !expelled.is_empty() {
        let fmt = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
        for a in &st.attendance {
            let Some(&(group, date)) = lesson_at.get(a.lesson.as_str()) else {
                continue;
            };
            if let Some(&out) = expelled.get(&(a.learner.as_str(), group))
                && date > out
            {
                let col = v.col(&a.origin.file, K::Attendance, "lesson");
                v.diags.push(
                    Diagnostic::warning(
                        &*a.origin.file,
                        Text::new(
                            format!("отметка слушателя «{}» на занятии {} — после отчисления из группы {group} ({})", a.learner, fmt(date), fmt(out)),
                            format!("a mark of learner «{}» at the lesson of {} is after their expulsion from group {group} on {}", a.learner, fmt(date), fmt(out)),
                        ),
                    )
                    .at(a.origin.line, col)
                    .hint(Text::new(
                        "проверьте дату отчисления в enrolments или отметку",
                        "check the expulsion date in enrolments or the mark",
                    )),
                );
            }
        }
    }
}

/// A grade item tied to a lesson of another group.
fn warn_items_on_other_groups_lessons(v: &mut Validator, st: &Staging) {
    use Kind as K;
    let group_of: HashMap<&str, &str> = st
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), l.group.as_str()))
        .collect();
    for it in &st.grade_items {
        if let Some(l) = &it.lesson
            && let Some(&g) = group_of.get(l.as_str())
            && g != it.group
        {
            let col = v.col(&it.origin.file, K::GradeItems, "lesson");
            v.diags.push(
                Diagnostic::warning(
                    &*it.origin.file,
                    Text::new(
                        format!("элемент оценивания «{}» группы {} привязан к занятию «{l}» другой группы ({g})", it.id, it.group),
                        format!("grade item «{}» of group {} is tied to lesson «{l}» of another group ({g})", it.id, it.group),
                    ),
                )
                .at(it.origin.line, col)
                .hint(Text::new(
                    "проверьте код занятия или группу элемента",
                    "check the lesson's id or the item's group",
                )),
            );
        }
    }
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
            Err(p) => v.report(kind, &r, vec![*p]),
        }
    }
}

/// Marks and grades of learners who are not enrolled in the group of the lesson or grade item: kept,
/// with one warning per file (the first rows named), since they usually mean a misfiled row.
fn not_in_group(v: &mut Validator, st: &Staging, grades: &[Grade]) {
    if v.missing.contains(&Kind::Enrolments) || v.unavailable.contains(&Kind::Enrolments) {
        return;
    }
    let mut groups_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in &st.enrolments {
        groups_of
            .entry(e.learner.as_str())
            .or_default()
            .push(e.group.as_str());
    }
    let enrolled =
        |learner: &str, group: &str| groups_of.get(learner).is_some_and(|g| g.contains(&group));
    let lesson_group: HashMap<&str, &str> = st
        .lessons
        .iter()
        .map(|l| (l.id.as_str(), l.group.as_str()))
        .collect();
    let item_group: HashMap<&str, &str> = st
        .grade_items
        .iter()
        .map(|i| (i.id.as_str(), i.group.as_str()))
        .collect();
    let mut found: BTreeMap<String, (u64, Vec<(u64, String)>)> = BTreeMap::new();
    let mut note = |o: &Origin, text: String| {
        let e = found.entry(o.file.to_string()).or_default();
        e.0 += 1;
        if e.1.len() < 3 {
            e.1.push((u64::from(o.line), text));
        }
    };
    for a in &st.attendance {
        if let Some(g) = lesson_group.get(a.lesson.as_str())
            && !enrolled(&a.learner, g)
        {
            note(&a.origin, format!("«{}» — «{}» ({g})", a.learner, a.lesson));
        }
    }
    for r in grades {
        if let Some(g) = item_group.get(r.item.as_str())
            && !enrolled(&r.learner, g)
        {
            note(&r.origin, format!("«{}» — «{}» ({g})", r.learner, r.item));
        }
    }
    for (file, (n, examples)) in found {
        let list = examples
            .iter()
            .map(|(line, t)| format!("{line}: {t}"))
            .collect::<Vec<_>>()
            .join("; ");
        let more = if n as usize > examples.len() {
            "; …"
        } else {
            ""
        };
        v.diags.push(
            Diagnostic::warning(
                file,
                Text::new(
                    format!("строк, где слушатель не зачислен в группу занятия или элемента оценивания: {n} (строка {list}{more})"),
                    format!("{n} rows whose learner is not enrolled in the group of the lesson or grade item (line {list}{more})"),
                ),
            )
            .hint(Text::new(
                "проверьте коды слушателей или добавьте зачисления в enrolments",
                "check the learner ids or add the enrolments",
            )),
        );
    }
}
