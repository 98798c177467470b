//! Moodle attendance plugin text export (tab-separated).
//!
//! ```text
//! Course<TAB>Охрана труда
//! Group<TAB>ПК-12
//!
//! ID number<TAB>Last name<TAB>First name<TAB>08 Sep 2025 10.00AM Common<TAB><TAB>…<TAB>Taken sessions<TAB>Points<TAB>Percentage
//! ```
//! Each session column (date, time, then the group name or `Common`) becomes a lesson of the group,
//! an empty-titled column after it holds remarks; statuses P/A/L/E (П/Н/О/У) become attendance
//! marks, `?` is "not taken". The summary columns are checked against the marks.

use super::exports::{self, Put, Sink};
use super::fields::{self, norm};
use super::schema::Kind;
use super::table::Table;
use crate::diag::Diagnostic;
use crate::model::*;
use chrono::NaiveDate;

const COURSE: &[&str] = &["course", "курс"];
const GROUP: &[&str] = &["group", "группа"];
const FIRST: &[&str] = &["first name", "имя"];
const LAST: &[&str] = &["last name", "surname", "фамилия"];
const ID_NUMBER: &[&str] = &["id number", "idnumber", "индивидуальный номер"];
const EMAIL: &[&str] = &["email address", "email", "адрес электронной почты"];
const TAKEN: &[&str] = &[
    "taken sessions",
    "учтенные занятия",
    "пройдено занятий",
    "занятий проведено",
];
const POINTS: &[&str] = &["points", "баллы", "баллов"];
const PERCENT: &[&str] = &["percentage", "процент", "проценты"];
const ALL_GROUPS: &[&str] = &["all participants", "все участники", "common", "общее"];

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
];

/// `08 Sep 2025 10.00AM Common` → (date, `10:00`, `Common`).
fn session(h: &str) -> Option<(NaiveDate, String, String)> {
    session_title(h)?.ok()
}

/// A header that is written as a session title (day, month, year, time...): `None` when it is
/// not one, `Some(Err(()))` when it is one with an impossible date or time (`31 Feb 2025`,
/// `25.99PM`), which must not pass for an unknown column.
fn session_title(h: &str) -> Option<Result<(NaiveDate, String, String), ()>> {
    let mut t = h.split_whitespace();
    let day: u32 = t.next()?.parse().ok()?;
    let mon = norm(t.next()?.trim_end_matches('.'));
    let month = MONTHS
        .iter()
        .find(|(m, _)| mon.starts_with(m))
        .map(|(_, n)| *n)?;
    let year: i32 = t.next()?.parse().ok()?;
    let mut time = t.next()?.to_uppercase();
    let rest: Vec<&str> = t.collect();
    let mut rest = rest.as_slice();
    if let Some(first) = rest.first()
        && matches!(first.to_uppercase().as_str(), "AM" | "PM")
    {
        time.push_str(&first.to_uppercase());
        rest = &rest[1..];
    }
    let pm = time.ends_with("PM");
    let hm = time.trim_end_matches("AM").trim_end_matches("PM");
    let (hh, mm) = hm.split_once(['.', ':'])?;
    let (mut hh, mm): (u32, u32) = (hh.parse().ok()?, mm.parse().ok()?);
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        return Some(Err(()));
    };
    if time.ends_with('M') {
        if hh == 0 || hh > 12 {
            return Some(Err(()));
        }
        if hh == 12 {
            hh = 0;
        }
        if pm {
            hh += 12;
        }
    }
    if hh > 23 || mm > 59 {
        return Some(Err(()));
    }
    Some(Ok((date, format!("{hh:02}:{mm:02}"), rest.join(" "))))
}

/// The header row: the first one with both name columns.
fn header_at(t: &Table) -> Option<usize> {
    t.rows.iter().take(6).position(|(_, c)| {
        exports::find_col(c, FIRST).is_some() && exports::find_col(c, LAST).is_some()
    })
}

pub fn recognise(t: &Table) -> bool {
    let Some(hi) = header_at(t) else {
        return false;
    };
    let h = &t.rows[hi].1;
    let course_line = t.rows[..hi].iter().any(|(_, c)| {
        c.first()
            .is_some_and(|c0| COURSE.contains(&norm(c0).as_str()))
    });
    let sessions = h.iter().any(|c| session(c).is_some());
    sessions && (course_line || exports::find_col(h, TAKEN).is_some())
}

struct Session {
    col: usize,
    remarks: Option<usize>,
    id: String,
}

fn status_weight(m: Mark) -> u32 {
    match m {
        Mark::Present => 2,
        Mark::Late | Mark::Excused => 1,
        Mark::Absent | Mark::Sick => 0,
    }
}

/// The export's own columns found in its header.
struct Cols {
    first: Option<usize>,
    last: Option<usize>,
    id: Option<usize>,
    email: Option<usize>,
    taken: Option<usize>,
    points: Option<usize>,
    percent: Option<usize>,
}

impl Cols {
    fn find(header: &[String]) -> Cols {
        let col = |n: &[&str]| exports::find_col(header, n);
        Cols {
            first: col(FIRST),
            last: col(LAST),
            id: col(ID_NUMBER),
            email: col(EMAIL),
            taken: col(TAKEN),
            points: col(POINTS),
            percent: col(PERCENT),
        }
    }

    fn known(&self) -> [Option<usize>; 7] {
        [
            self.first,
            self.last,
            self.id,
            self.email,
            self.taken,
            self.points,
            self.percent,
        ]
    }
}

/// The file being read: its name for messages, its header row and the export's group.
struct Export<'a> {
    file: &'a str,
    label: &'a str,
    hline: u64,
    header: &'a [String],
    group: String,
    course: Option<String>,
}

/// What the header's other columns are.
#[derive(Default)]
struct Layout {
    /// Sessions read as lessons.
    sessions: Vec<Session>,
    /// Columns titled as sessions whose date or time cannot be (with their remarks): their marks
    /// are refused.
    impossible: Vec<usize>,
    /// Of those, the session columns themselves.
    impossible_sessions: Vec<usize>,
    /// Per-status count columns (P, A, L, E...): checked, not reported as unmapped.
    counts: Vec<(usize, Mark)>,
    /// Columns that are none of the above: kept as extra fields.
    unmapped: Vec<usize>,
}

pub fn read(file: &str, t: &Table, spec: Option<&FileSpec>, sink: &mut Sink) {
    let label = t.label(file);
    let Some(hi) = header_at(t) else {
        return;
    };
    let (hline, header) = t.rows[hi].clone();
    let (course, group_line) = preamble(t, hi);
    let c = Cols::find(&header);
    let body = exports::full_rows(file, &label, t, hi, sink);
    let matched: Vec<exports::Matched> = exports::match_rows(
        &sink.st.learners,
        sink.index,
        &body,
        [c.id, c.email, c.last, c.first],
    );
    let named = spec.and_then(|s| s.group.clone()).or_else(|| {
        group_line
            .clone()
            .filter(|g| !ALL_GROUPS.contains(&norm(g).as_str()))
    });
    let group = match named {
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
        course,
    };
    let hours = spec.and_then(|s| s.lesson_hours).unwrap_or(2.0);
    let layout = layout(&x, &c, hours, sink);
    sink.diags.extend(exports::unmapped(
        &label,
        hline,
        &header,
        &exports::with_values(t, hi, &layout.unmapped),
        "attendance",
    ));
    for (line, cells, m, who) in &matched {
        let idx = match m {
            Ok(i) => *i,
            Err(e) => {
                let row = (*line, cells.as_slice());
                sink.reject_unmatched(file, &label, &header, row, c.last.or(c.id), e, who);
                continue;
            }
        };
        let tally = learner_marks(&x, &layout, idx, *line, cells, sink);
        check_totals(&x, &c, &layout, &tally, *line, cells, sink);
    }
}

/// The lines above the header: the course's name and the group's.
fn preamble(t: &Table, hi: usize) -> (Option<String>, Option<String>) {
    let mut course: Option<String> = None;
    let mut group_line: Option<String> = None;
    for (_, c) in &t.rows[..hi] {
        let k = c.first().map(|s| norm(s)).unwrap_or_default();
        let v = c.get(1).cloned().filter(|s| !s.is_empty());
        if COURSE.contains(&k.as_str()) {
            course = v;
        } else if GROUP.contains(&k.as_str()) {
            group_line = v;
        }
    }
    (course, group_line)
}

/// The header's columns: sessions become lessons of the group (an empty-titled column after one
/// holds its remarks); a session whose date or time cannot be is an error and its marks refused.
fn layout(x: &Export, c: &Cols, hours: f64, sink: &mut Sink) -> Layout {
    let mut out = Layout::default();
    let mut other: Vec<usize> = Vec::new();
    let known = c.known();
    for (i, h) in x.header.iter().enumerate() {
        if known.contains(&Some(i)) {
            continue;
        }
        if let Some(Err(())) = session_title(h) {
            sink.diags.push(
                Diagnostic::error(
                    x.label,
                    Text::new(
                        format!("занятие «{h}»: такой даты или времени не бывает; занятие и его отметки не прочитаны"),
                        format!("session «{h}»: no such date or time; the session and its marks were not read"),
                    ),
                )
                .at(x.hline, Some(i as u64 + 1))
                .hint(Text::new(
                    "исправьте дату занятия в Moodle (модуль «Посещаемость») и выгрузите журнал заново",
                    "correct the session's date in Moodle (the Attendance activity) and export the journal again",
                )),
            );
            out.impossible.push(i);
            out.impossible_sessions.push(i);
            if x.header.get(i + 1).is_some_and(|h| h.trim().is_empty()) {
                // Its remarks column goes with it.
                out.impossible.push(i + 1);
            }
        } else if out.impossible.contains(&i) {
        } else if let Some(title) = session(h) {
            if let Some(s) = lesson(x, i, h, title, hours, sink) {
                out.sessions.push(s);
            }
        } else if h.trim().is_empty() && out.sessions.last().is_some_and(|s| s.col + 1 == i) {
            if let Some(s) = out.sessions.last_mut() {
                s.remarks = Some(i);
            }
        } else {
            other.push(i);
        }
    }
    out.counts = other
        .iter()
        .filter_map(|&i| {
            let h = x.header[i].trim();
            (h.chars().count() == 1)
                .then(|| fields::mark(h).ok().map(|m| (i, m)))
                .flatten()
        })
        .collect();
    out.unmapped = other
        .iter()
        .copied()
        .filter(|i| !out.counts.iter().any(|(c, _)| c == i))
        .collect();
    out
}

/// The session of column `col` (its title `h`, read as date, time and title) as a lesson of the
/// group; `None` when the lesson is not taken.
fn lesson(
    x: &Export,
    col: usize,
    h: &str,
    (date, time, title): (NaiveDate, String, String),
    hours: f64,
    sink: &mut Sink,
) -> Option<Session> {
    let id = format!(
        "{}-{}-{}",
        x.group,
        date.format("%Y-%m-%d"),
        time.replace(':', "")
    );
    let topic = if title.is_empty()
        || ALL_GROUPS.contains(&norm(&title).as_str())
        || norm(&title) == norm(&x.group)
    {
        "Занятие (журнал посещаемости Moodle)".to_string()
    } else {
        title
    };
    let mut extra = Extra::new();
    extra.insert("moodle_session".into(), h.to_string());
    if let Some(c) = &x.course {
        extra.insert("moodle_course".into(), c.clone());
    }
    let pos = (x.hline, col as u64 + 1);
    let row = exports::row(
        Kind::Lessons,
        x.hline,
        vec![
            Put("id", id.clone(), pos),
            Put("group", x.group.clone(), pos),
            Put("date", date.format("%d.%m.%Y").to_string(), pos),
            Put("time", time, pos),
            Put("hours", hours.to_string(), pos),
            Put("topic", topic, pos),
        ],
        extra,
    );
    sink.feed(Kind::Lessons, x.file, x.label, row)
        .then_some(Session {
            col,
            remarks: None,
            id,
        })
}

/// A learner's marks as counted for the export's summary columns.
#[derive(Default)]
struct Tally {
    taken: u32,
    points: u32,
    per_mark: Vec<(Mark, u32)>,
}

impl Tally {
    fn count(&mut self, m: Mark) {
        self.taken += 1;
        self.points += status_weight(m);
        match self.per_mark.iter_mut().find(|(k, _)| *k == m) {
            Some((_, n)) => *n += 1,
            None => self.per_mark.push((m, 1)),
        }
    }
}

/// One learner's row: every session's mark as an attendance record (the marks of a refused
/// session kept as rejected raw values), counted.
fn learner_marks(
    x: &Export,
    layout: &Layout,
    idx: usize,
    line: u64,
    cells: &[String],
    sink: &mut Sink,
) -> Tally {
    let learner = sink.st.learners[idx].id.clone();
    let extra = exports::extras(x.header, cells, &layout.unmapped);
    let lost = exports::extras(x.header, cells, &layout.impossible);
    if !lost.is_empty() {
        sink.reject_raw(
            x.file,
            line,
            lost,
            Text::new(
                "отметки занятия с невозможной датой",
                "marks of a session with an impossible date",
            ),
        );
    }
    let mut tally = Tally::default();
    // The marks of a refused session still count in the export's own totals.
    for &c in &layout.impossible_sessions {
        if let Some(m) = cells.get(c).and_then(|v| fields::mark(v).ok()) {
            tally.count(m);
        }
    }
    for s in &layout.sessions {
        let v = cells.get(s.col).cloned().unwrap_or_default();
        if v.is_empty() || v == "?" {
            continue;
        }
        let pos = (line, s.col as u64 + 1);
        let rpos = (line, s.remarks.map(|r| r as u64 + 1).unwrap_or(0));
        let remark = s
            .remarks
            .and_then(|r| cells.get(r))
            .cloned()
            .unwrap_or_default();
        let mark = fields::mark(&v).ok();
        let row = exports::row(
            Kind::Attendance,
            line,
            vec![
                Put("lesson", s.id.clone(), pos),
                Put("learner", learner.clone(), pos),
                Put("mark", v, pos),
                Put("remark", remark, rpos),
            ],
            extra.clone(),
        );
        if sink.feed(Kind::Attendance, x.file, x.label, row)
            && let Some(m) = mark
        {
            tally.count(m);
        }
    }
    tally
}

/// The summary columns of a learner's row against the marks.
fn check_totals(
    x: &Export,
    c: &Cols,
    layout: &Layout,
    tally: &Tally,
    line: u64,
    cells: &[String],
    sink: &mut Sink,
) {
    let mut check = |col: Option<usize>,
                     written: Option<String>,
                     expect: String,
                     what: (&str, &str)| {
        if let (Some(c), Some(w)) = (col, written)
            && norm(&w).replace(' ', "") != norm(&expect).replace(' ', "")
        {
            sink.diags.push(
                Diagnostic::warning(
                    x.label,
                    Text::new(
                        format!("{}: в выгрузке «{w}», а по отметкам строки «{expect}»", what.0),
                        format!("{}: the export says «{w}» but the row's marks give «{expect}»", what.1),
                    ),
                )
                .at(line, Some(c as u64 + 1))
                .hint(Text::new(
                    "выгрузка могла быть изменена вручную или в Moodle заданы свои баллы статусов; сверьте журнал в Moodle",
                    "the export may have been edited by hand or the Moodle statuses have their own points; compare with the Moodle journal",
                )),
            );
        }
    };
    let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).cloned();
    let (taken, points) = (tally.taken, tally.points);
    check(
        c.taken,
        get(c.taken),
        taken.to_string(),
        ("учтено занятий", "taken sessions"),
    );
    check(
        c.points,
        get(c.points),
        format!("{points} / {}", taken * 2),
        ("баллы", "points"),
    );
    if let Some(w) = get(c.percent) {
        let expect = if taken == 0 {
            0.0
        } else {
            points as f64 * 100.0 / (taken * 2) as f64
        };
        let ok = fields::number(w.trim_end_matches('%'))
            .map(|v| (v - expect).abs() < 0.05 + 1e-9)
            .unwrap_or(false);
        let shown = if ok {
            w.clone()
        } else {
            format!("{expect:.1}%")
        };
        check(c.percent, Some(w), shown, ("процент", "percentage"));
    }
    for (col, m) in &layout.counts {
        let n = tally
            .per_mark
            .iter()
            .find(|(k, _)| k == m)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        check(
            Some(*col),
            get(Some(*col)),
            n.to_string(),
            (&x.header[*col], &x.header[*col]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_titles() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        assert_eq!(
            session("08 Sep 2025 10.00AM Common"),
            Some((d, "10:00".into(), "Common".into()))
        );
        assert_eq!(
            session("08 Sep 2025 2.30PM ПК-12"),
            Some((d, "14:30".into(), "ПК-12".into()))
        );
        assert_eq!(
            session("08 сен 2025 14.30 Общее"),
            Some((d, "14:30".into(), "Общее".into()))
        );
        assert_eq!(
            session("8 сентября 2025 12.00 AM Common"),
            Some((d, "00:00".into(), "Common".into()))
        );
        assert_eq!(session("Taken sessions"), None);
    }
}
