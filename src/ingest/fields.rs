//! Value parsers for the cells of input files: dates, numbers, SNILS, enumerations. Each returns a
//! bilingual message on failure; the caller attaches file, line and column.

use crate::model::{
    Control, GradeValue, Mark, OrderKind, Outcome, ProgrammeKind, Scale, Sex, Text,
};
use chrono::{Datelike, NaiveDate};

/// Lowercase, `ё` → `е`, `_` → space, inner runs of spaces collapsed, surrounding spaces removed:
/// the form in which headers and enumeration values are compared.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.trim().chars().flat_map(char::to_lowercase) {
        let ch = match ch {
            'ё' => 'е',
            '_' | '\u{a0}' => ' ',
            c => c,
        };
        if ch.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(ch);
            space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

const MONTHS_RU: [&str; 12] = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(31)
}

/// `dd.mm.yyyy` (one-digit day and month allowed) or `yyyy-mm-dd`.
pub fn date(s: &str) -> Result<NaiveDate, Text> {
    let s = s.trim();
    let bad = || {
        Text::new(
            format!("«{s}» — не дата; ожидается ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
            format!("«{s}» is not a date; expected dd.mm.yyyy or yyyy-mm-dd"),
        )
    };
    let parts: Vec<&str>;
    let (y, m, d) = if s.contains('.') {
        parts = s.split('.').collect();
        if parts.len() != 3 || parts[2].len() != 4 || parts[0].len() > 2 || parts[1].len() > 2 {
            return Err(bad());
        }
        (parts[2], parts[1], parts[0])
    } else if s.contains('-') {
        parts = s.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() > 2 || parts[2].len() > 2 {
            return Err(bad());
        }
        (parts[0], parts[1], parts[2])
    } else {
        return Err(bad());
    };
    let num = |p: &str| -> Option<u32> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            p.parse().ok()
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) {
        return Err(Text::new(
            format!("несуществующая дата {s}: месяца {m} нет"),
            format!("impossible date {s}: there is no month {m}"),
        ));
    }
    let y = y as i32;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let max = days_in_month(y, m);
        Text::new(
            format!(
                "несуществующая дата {s}: в {} {y} года {max} дн.",
                MONTHS_RU[m as usize - 1]
            ),
            format!(
                "impossible date {s}: {} {y} has {max} days",
                MONTHS_EN[m as usize - 1]
            ),
        )
    })
}

/// A decimal number; decimal comma or point, spaces as thousands separators.
pub fn number(s: &str) -> Result<f64, Text> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let ok = !cleaned.is_empty()
        && cleaned
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
    match cleaned.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(v),
        _ => Err(Text::new(
            format!("«{}» — не число", s.trim()),
            format!("«{}» is not a number", s.trim()),
        )),
    }
}

/// A whole non-negative number (hours of a programme).
pub fn whole(s: &str) -> Result<u32, Text> {
    let v = number(s)?;
    if v < 0.0 || v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(Text::new(
            format!("«{}» — ожидается целое неотрицательное число", s.trim()),
            format!("«{}»: a whole non-negative number is expected", s.trim()),
        ));
    }
    Ok(v as u32)
}

/// A non-negative decimal (hours of a lesson).
pub fn non_negative(s: &str) -> Result<f64, Text> {
    let v = number(s)?;
    if v < 0.0 {
        return Err(Text::new(
            format!("«{}» — число не может быть отрицательным", s.trim()),
            format!("«{}»: the number cannot be negative", s.trim()),
        ));
    }
    Ok(v)
}

/// SNILS: 11 digits (spaces and dashes ignored) with a valid check number; normalised to
/// `123-456-789 01`.
pub fn snils(s: &str) -> Result<String, Text> {
    let digits: Vec<u32> = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .map(|c| c.to_digit(10).ok_or(()))
        .collect::<Result<_, _>>()
        .map_err(|_| snils_format(s))?;
    if digits.len() != 11 {
        return Err(snils_format(s));
    }
    let number: u64 = digits[..9].iter().fold(0, |a, &d| a * 10 + d as u64);
    let given = digits[9] * 10 + digits[10];
    // The check number is verified for numbers above 001-001-998 (as the Pension Fund does).
    if number > 1_001_998 {
        let sum: u32 = digits[..9]
            .iter()
            .enumerate()
            .map(|(i, &d)| d * (9 - i as u32))
            .sum();
        let expected = match sum {
            0..=99 => sum,
            100 | 101 => 0,
            _ => match sum % 101 {
                100 => 0,
                r => r,
            },
        };
        if expected != given {
            return Err(Text::new(
                format!(
                    "СНИЛС {} не проходит проверку контрольного числа (должно быть {expected:02})",
                    s.trim()
                ),
                format!(
                    "SNILS {} fails its checksum (the check number should be {expected:02})",
                    s.trim()
                ),
            ));
        }
    }
    let d: String = digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect();
    Ok(format!(
        "{}-{}-{} {}",
        &d[0..3],
        &d[3..6],
        &d[6..9],
        &d[9..11]
    ))
}

fn snils_format(s: &str) -> Text {
    Text::new(
        format!(
            "«{}» — не СНИЛС: нужно 11 цифр в виде 123-456-789 01",
            s.trim()
        ),
        format!(
            "«{}» is not a SNILS: 11 digits written 123-456-789 01 are expected",
            s.trim()
        ),
    )
}

fn one_of<T: Copy>(s: &str, table: &[(&[&str], T)], allowed: &str) -> Result<T, Text> {
    // Table names are written in normalised form (lowercase, `е` for `ё`), so only the value is
    // normalised: this runs once per cell of the biggest files.
    let n = norm(s);
    for (names, v) in table {
        if names.contains(&n.as_str()) {
            return Ok(*v);
        }
    }
    Err(Text::new(
        format!("недопустимое значение «{}»; допустимо: {allowed}", s.trim()),
        format!("invalid value «{}»; allowed: {allowed}", s.trim()),
    ))
}

pub fn programme_kind(s: &str) -> Result<ProgrammeKind, Text> {
    one_of(
        s,
        &[
            (
                &["пк", "pk", "advanced", "повышение квалификации"],
                ProgrammeKind::Advanced,
            ),
            (
                &["пп", "pp", "retraining", "профессиональная переподготовка"],
                ProgrammeKind::Retraining,
            ),
            (
                &[
                    "ор",
                    "or",
                    "general",
                    "общеразвивающая",
                    "дополнительная общеразвивающая",
                ],
                ProgrammeKind::General,
            ),
        ],
        "ПК, ПП, ОР",
    )
}

pub fn sex(s: &str) -> Result<Sex, Text> {
    one_of(
        s,
        &[
            (&["м", "муж", "мужской", "m", "male"], Sex::Male),
            (&["ж", "жен", "женский", "f", "female"], Sex::Female),
        ],
        "м, ж",
    )
}

pub fn outcome(s: &str) -> Result<Outcome, Text> {
    one_of(
        s,
        &[
            (&["studying", "обучается"], Outcome::Studying),
            (
                &[
                    "completed",
                    "завершил",
                    "завершила",
                    "окончил",
                    "окончила",
                    "завершено",
                ],
                Outcome::Completed,
            ),
            (&["expelled", "отчислен", "отчислена"], Outcome::Expelled),
        ],
        "обучается, завершил, отчислен",
    )
}

pub fn order_kind(s: &str) -> Result<OrderKind, Text> {
    one_of(
        s,
        &[
            (
                &["enrolment", "enrollment", "зачисление", "о зачислении"],
                OrderKind::Enrolment,
            ),
            (
                &[
                    "completion",
                    "завершение",
                    "окончание",
                    "выпуск",
                    "об окончании",
                ],
                OrderKind::Completion,
            ),
            (
                &["expulsion", "отчисление", "об отчислении"],
                OrderKind::Expulsion,
            ),
            (&["other", "прочее", "другое", "иное"], OrderKind::Other),
        ],
        "зачисление, завершение, отчисление, прочее",
    )
}

pub fn control(s: &str) -> Result<Control, Text> {
    one_of(
        s,
        &[
            (
                &["current", "текущий", "текущая", "текущий контроль"],
                Control::Current,
            ),
            (
                &["intermediate", "промежуточная", "промежуточная аттестация"],
                Control::Intermediate,
            ),
            (
                &["final", "итоговая", "итоговая аттестация"],
                Control::Final,
            ),
        ],
        "текущий, промежуточная, итоговая",
    )
}

/// Kind of an attestation protocol: only intermediate or final.
pub fn protocol_kind(s: &str) -> Result<Control, Text> {
    one_of(
        s,
        &[
            (
                &["intermediate", "промежуточная", "промежуточная аттестация"],
                Control::Intermediate,
            ),
            (
                &["final", "итоговая", "итоговая аттестация"],
                Control::Final,
            ),
        ],
        "промежуточная, итоговая",
    )
}

pub fn mark(s: &str) -> Result<Mark, Text> {
    one_of(
        s,
        &[
            (
                &[
                    "п",
                    "+",
                    "p",
                    "present",
                    "присутствовал",
                    "присутствовала",
                    "был",
                ],
                Mark::Present,
            ),
            (
                &["н", "a", "absent", "отсутствовал", "отсутствовала", "нб"],
                Mark::Absent,
            ),
            (
                &["о", "l", "late", "опоздал", "опоздала", "опоздание"],
                Mark::Late,
            ),
            (&["у", "e", "excused", "уважительная"], Mark::Excused),
            (
                &["б", "s", "sick", "болезнь", "болел", "болела"],
                Mark::Sick,
            ),
        ],
        "п (присутствовал), н (отсутствовал), о (опоздал), у (уважительная причина), б (болезнь)",
    )
}

pub fn yes_no(s: &str) -> Result<bool, Text> {
    one_of(
        s,
        &[
            (&["да", "yes", "true", "1", "y", "д"], true),
            (&["нет", "no", "false", "0", "n"], false),
        ],
        "да, нет",
    )
}

/// `accepted`/`зачтено` → true, `refused`/`отказано` → false.
pub fn decision(s: &str) -> Result<bool, Text> {
    one_of(
        s,
        &[
            (&["accepted", "зачтено", "принято", "перезачтено"], true),
            (&["refused", "отказано", "отказ", "не зачтено"], false),
        ],
        "зачтено, отказано",
    )
}

pub fn scale(s: &str) -> Result<Scale, Text> {
    let n = norm(s);
    if let Some(max) = n
        .strip_prefix("points:")
        .or_else(|| n.strip_prefix("баллы:"))
    {
        return match number(max) {
            Ok(m) if m > 0.0 => Ok(Scale::Points(m)),
            _ => Err(Text::new(
                format!(
                    "шкала «{}»: после «баллы:» нужен максимум, например баллы:100",
                    s.trim()
                ),
                format!(
                    "scale «{}»: «points:» needs a maximum, e.g. points:100",
                    s.trim()
                ),
            )),
        };
    }
    one_of(
        s,
        &[
            (&["5", "2-5", "2–5", "five", "пятибалльная"], Scale::Five),
            (
                &["pass", "зачет", "зачет/незачет", "pass/fail"],
                Scale::PassFail,
            ),
            (&["percent", "проценты", "%"], Scale::Percent),
        ],
        "5, зачёт, баллы:N, проценты",
    )
}

/// A grade as written, on the item's scale.
pub fn grade(s: &str, scale: Scale) -> Result<GradeValue, Text> {
    let raw = s.trim();
    let out_of = |ru: String, en: String| Err(Text::new(ru, en));
    match scale {
        Scale::Five => {
            let n = norm(raw);
            let v = match n.as_str() {
                "отлично" | "отл" => Some(5),
                "хорошо" | "хор" => Some(4),
                "удовлетворительно" | "удовл" => Some(3),
                "неудовлетворительно" | "неуд" => Some(2),
                _ => number(raw)
                    .ok()
                    .filter(|v| v.fract() == 0.0)
                    .map(|v| v as i64),
            };
            match v {
                Some(v @ 2..=5) => Ok(GradeValue::Mark(v as u8)),
                _ => out_of(
                    format!("оценка «{raw}» вне шкалы 2–5"),
                    format!("grade «{raw}» is outside the 2–5 scale"),
                ),
            }
        }
        Scale::PassFail => match norm(raw).as_str() {
            "зачтено" | "зачет" | "pass" | "passed" | "да" => {
                Ok(GradeValue::Pass(true))
            }
            "не зачтено" | "незачтено" | "незачет" | "fail" | "failed" | "нет" => {
                Ok(GradeValue::Pass(false))
            }
            _ => out_of(
                format!("оценка «{raw}» вне шкалы зачтено/не зачтено"),
                format!("grade «{raw}» is outside the pass/fail scale"),
            ),
        },
        Scale::Points(max) => match number(raw) {
            Ok(v) if (0.0..=max).contains(&v) => Ok(GradeValue::Points(v)),
            // «87,5 %» on a points scale: a percentage is not points; the message says so
            // rather than that 87,5 is outside 0–100.
            Err(_) if raw.ends_with('%') => out_of(
                format!("оценка «{raw}» — процент, а шкала элемента в баллах (0–{max})"),
                format!("grade «{raw}» is a percentage, but the item's scale is points (0–{max})"),
            ),
            Err(_) => out_of(
                format!("оценка «{raw}» — не число баллов (шкала 0–{max})"),
                format!("grade «{raw}» is not a number of points (scale 0–{max})"),
            ),
            Ok(_) => out_of(
                format!("оценка «{raw}» вне шкалы 0–{max} баллов"),
                format!("grade «{raw}» is outside the 0–{max} points scale"),
            ),
        },
        Scale::Percent => match number(raw.trim_end_matches('%')) {
            Ok(v) if (0.0..=100.0).contains(&v) => Ok(GradeValue::Percent(v)),
            _ => out_of(
                format!("оценка «{raw}» вне шкалы 0–100 %"),
                format!("grade «{raw}» is outside the 0–100 % scale"),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_both_formats_and_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        assert_eq!(date("01.09.2025"), Ok(d));
        assert_eq!(date("1.9.2025"), Ok(d));
        assert_eq!(date(" 2025-09-01 "), Ok(d));
        assert_eq!(
            date("31.02.2025").unwrap_err().ru,
            "несуществующая дата 31.02.2025: в феврале 2025 года 28 дн."
        );
        assert_eq!(
            date("29.02.2024"),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert!(date("2025-13-01").unwrap_err().en.contains("no month 13"));
        for bad in [
            "",
            "01/09/2025",
            "01.09.25",
            "2025-9",
            "вчера",
            "1.1.1.2025",
            "+1.01.2025",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_with_decimal_comma() {
        assert_eq!(number("1,5"), Ok(1.5));
        assert_eq!(number(" 2.25 "), Ok(2.25));
        assert_eq!(number("1 000"), Ok(1000.0));
        assert!(number("inf").is_err());
        assert!(number("NaN").is_err());
        assert!(number("1,5,5").is_err());
        assert!(number("").is_err());
        assert_eq!(whole("72"), Ok(72));
        assert!(whole("7,5").is_err());
        assert!(non_negative("-1").is_err());
    }

    #[test]
    fn snils_checksum() {
        assert_eq!(snils("112-233-445 95"), Ok("112-233-445 95".into()));
        assert_eq!(snils("11223344595"), Ok("112-233-445 95".into()));
        assert!(
            snils("112-233-445 96")
                .unwrap_err()
                .ru
                .contains("должно быть 95")
        );
        assert!(snils("112-233-445").is_err());
        assert!(snils("1a2-233-445 95").is_err());
        // Sum 100 and 101 give 00.
        // 000-000-0xx: small numbers are not checked.
        assert_eq!(snils("001-001-998 42"), Ok("001-001-998 42".into()));
    }

    #[test]
    fn headers_and_enums_normalise() {
        assert_eq!(norm("  Дата  Рождения "), "дата рождения");
        assert_eq!(norm("birth_date"), "birth date");
        assert_eq!(norm("Ёлка"), "елка");
        assert_eq!(mark("Н"), Ok(Mark::Absent));
        assert_eq!(mark("+"), Ok(Mark::Present));
        assert!(
            mark("x")
                .unwrap_err()
                .ru
                .contains("недопустимое значение «x»")
        );
        assert_eq!(control("Итоговая"), Ok(Control::Final));
        assert_eq!(scale("зачёт"), Ok(Scale::PassFail));
        assert_eq!(scale("Баллы:100"), Ok(Scale::Points(100.0)));
        assert!(scale("баллы:").is_err());
        assert_eq!(programme_kind("пк"), Ok(ProgrammeKind::Advanced));
        assert_eq!(programme_kind(" ПК "), Ok(ProgrammeKind::Advanced));
        assert_eq!(mark("П"), Ok(Mark::Present));
        assert_eq!(yes_no("Да"), Ok(true));
        assert_eq!(decision("Отказано"), Ok(false));
    }

    #[test]
    fn grades_on_their_scales() {
        assert_eq!(grade("5", Scale::Five), Ok(GradeValue::Mark(5)));
        assert_eq!(grade("хорошо", Scale::Five), Ok(GradeValue::Mark(4)));
        assert!(
            grade("6", Scale::Five)
                .unwrap_err()
                .ru
                .contains("вне шкалы 2–5")
        );
        assert!(grade("1", Scale::Five).is_err());
        assert_eq!(
            grade("Зачтено", Scale::PassFail),
            Ok(GradeValue::Pass(true))
        );
        assert_eq!(
            grade("не зачтено", Scale::PassFail),
            Ok(GradeValue::Pass(false))
        );
        assert_eq!(
            grade("87,5", Scale::Points(100.0)),
            Ok(GradeValue::Points(87.5))
        );
        assert!(grade("101", Scale::Points(100.0)).is_err());
        assert_eq!(grade("90%", Scale::Percent), Ok(GradeValue::Percent(90.0)));
        assert!(grade("-1", Scale::Percent).is_err());
    }
}
