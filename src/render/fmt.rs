//! Small formatting helpers shared by the page builders: dates, numbers, sizes, relative links.

use crate::model::{GradeValue, Lang};
use chrono::NaiveDate;

/// `dd.mm.yyyy`, the form of Russian documents (used in both languages for consistency).
pub fn date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// A number without a useless fraction: `2`, `1.5`, `0.25`.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A number as written in the interface language: decimal comma in Russian.
pub fn number_lang(lang: Lang, x: f64) -> String {
    let s = number(x);
    if lang == Lang::Ru {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A grade as shown in tables.
pub fn grade(lang: Lang, v: GradeValue) -> String {
    match v {
        GradeValue::Mark(m) => m.to_string(),
        GradeValue::Pass(true) => if lang == Lang::Ru {
            "зачтено"
        } else {
            "pass"
        }
        .to_string(),
        GradeValue::Pass(false) => if lang == Lang::Ru {
            "не зачтено"
        } else {
            "fail"
        }
        .to_string(),
        GradeValue::Points(p) => number_lang(lang, p),
        GradeValue::Percent(p) => format!("{} %", number_lang(lang, p)),
    }
}

/// A short form for the journal grid cell.
pub fn grade_short(lang: Lang, v: GradeValue) -> String {
    match v {
        GradeValue::Pass(true) => if lang == Lang::Ru { "зач" } else { "P" }.to_string(),
        GradeValue::Pass(false) => if lang == Lang::Ru { "н/з" } else { "F" }.to_string(),
        GradeValue::Percent(p) => number_lang(lang, p),
        other => grade(lang, other),
    }
}

/// Human file size: `512 Б`, `12,3 КБ`, `4,0 МБ`.
pub fn size(lang: Lang, bytes: u64) -> String {
    let units: [&str; 4] = if lang == Lang::Ru {
        ["Б", "КБ", "МБ", "ГБ"]
    } else {
        ["B", "KB", "MB", "GB"]
    };
    if bytes < 1024 {
        return format!("{bytes} {}", units[0]);
    }
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < 3 {
        v /= 1024.0;
        u += 1;
    }
    let s = format!("{v:.1}");
    let s = if lang == Lang::Ru {
        s.replace('.', ",")
    } else {
        s
    };
    format!("{s} {}", units[u])
}

/// The prefix that leads from a page back to the archive's `data/` root: `""`, `"../"`...
pub fn root_of(page_path: &str) -> String {
    "../".repeat(page_path.matches('/').count())
}

/// Percent-encodes a relative path for an `href`/`src` (keeps `/` and unreserved ASCII), so file
/// names with spaces, `#`, `%` or Cyrillic letters link correctly from `file://`.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2025, 3, 7).unwrap()),
            "07.03.2025"
        );
        assert_eq!(number(2.0), "2");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number_lang(Lang::Ru, 1.5), "1,5");
        assert_eq!(size(Lang::Ru, 1536), "1,5 КБ");
        assert_eq!(size(Lang::En, 10), "10 B");
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("learners/a.html"), "../");
        assert_eq!(
            href("files/скан 1#.pdf"),
            "files/%D1%81%D0%BA%D0%B0%D0%BD%201%23.pdf"
        );
        assert_eq!(grade(Lang::Ru, GradeValue::Pass(false)), "не зачтено");
    }
}
