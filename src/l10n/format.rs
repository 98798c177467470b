//! Dates, numbers and sizes as the archive writes them.

use crate::model::Lang;
use chrono::{Datelike, NaiveDate};

/// `dd.mm.yyyy`, the form of Russian documents (used in both languages for consistency).
pub fn date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// A time stamp as the log stores it (RFC 3339, `2026-12-02T10:03:33+03:00`) as a person reads
/// it: `02.12.2026 10:03:33 (UTC+03:00)`; a text that is not such a stamp is given back as it is.
pub fn date_time(stamp: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stamp) {
        Ok(t) => format!(
            "{} {} (UTC{})",
            date(t.date_naive()),
            t.format("%H:%M:%S"),
            t.format("%:z")
        ),
        Err(_) => stamp.to_string(),
    }
}

/// [`date`] of an optional date; empty when there is none.
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

/// A whole number with its thousands grouped by no-break spaces, as clerks write long numbers:
/// `1 234 567`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// A number as written in the language: decimal comma in Russian.
pub fn number_lang(lang: Lang, x: f64) -> String {
    let s = number(x);
    if lang == Lang::Ru {
        s.replace('.', ",")
    } else {
        s
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_numbers_sizes() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        assert_eq!(date(d), "07.03.2025");
        assert_eq!(opt_date(Some(d)), "07.03.2025");
        assert_eq!(opt_date(None), "");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number_lang(Lang::Ru, 1.5), "1,5");
        assert_eq!(number_lang(Lang::En, 1.5), "1.5");
        assert_eq!(size(Lang::Ru, 1536), "1,5 КБ");
        assert_eq!(size(Lang::Ru, 4 * 1024 * 1024), "4,0 МБ");
        assert_eq!(size(Lang::En, 10), "10 B");
    }
}

#[cfg(test)]
mod date_time_tests {
    #[test]
    fn log_stamps_read_as_dates() {
        assert_eq!(
            super::date_time("2026-12-02T10:03:33+03:00"),
            "02.12.2026 10:03:33 (UTC+03:00)"
        );
        assert_eq!(super::date_time("не время"), "не время");
    }
}
