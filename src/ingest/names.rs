//! File names that Windows (and the FAT/exFAT file systems of most USB sticks) cannot hold.
//!
//! Every input file is copied into the archive under its own name, so a name such as `a:b.pdf`,
//! `CON.txt`, `отчёт.` or two names differing only in letter case would make a build fail on a
//! Windows computer or a USB stick, or make the archive impossible to copy there later. `check`
//! reports them first, as errors, so that `check` passing still means `build` succeeds.

use crate::diag::Diagnostic;
use crate::model::Text;
use std::collections::BTreeMap;

/// Characters Windows refuses in a file name (besides the control characters 0–31).
const FORBIDDEN: &[char] = &['<', '>', ':', '"', '\\', '|', '?', '*'];

/// Device names Windows reserves in every folder, with any extension (`CON`, `nul.txt`).
const DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM1", "COM2", "COM3", "COM4", "COM5",
    "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5",
    "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Why Windows cannot hold one file or folder name, or `None` when it can.
pub fn windows_problem(name: &str) -> Option<Text> {
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || (*c as u32) < 32)
    {
        let shown = if (c as u32) < 32 {
            format!("U+{:04X}", c as u32)
        } else {
            format!("«{c}»")
        };
        return Some(Text::new(
            format!(
                "в имени «{}» есть знак {shown}, недопустимый в Windows",
                name.escape_debug()
            ),
            format!(
                "the name `{}` contains {shown}, which Windows does not allow",
                name.escape_debug()
            ),
        ));
    }
    if name.ends_with(['.', ' ']) {
        return Some(Text::new(
            format!("имя «{name}» кончается точкой или пробелом: Windows их отбрасывает"),
            format!("the name `{name}` ends with a dot or a space, which Windows drops"),
        ));
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem)) {
        return Some(Text::new(
            format!(
                "имя «{name}» зарезервировано в Windows для устройства {}",
                stem.to_uppercase()
            ),
            format!(
                "the name `{name}` is reserved by Windows for the device {}",
                stem.to_uppercase()
            ),
        ));
    }
    None
}

/// Diagnostics for the input folder's paths (relative, `/` separators, files and folders): names
/// Windows forbids, and names in one folder that differ only in letter case (one file on Windows).
pub fn check(paths: &[&str]) -> Vec<Diagnostic> {
    let hint = || {
        Text::new(
            "переименуйте файл или папку (и исправьте ссылки на него в таблицах выгрузки): архив должен открываться и копироваться и в Windows, и на флешку",
            "rename the file or folder (and the references to it in the export tables): the archive must open and copy on Windows and to a USB stick too",
        )
    };
    let mut out = Vec::new();
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for &rel in paths {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if let Some(why) = windows_problem(name) {
            out.push(Diagnostic::error(rel, why).hint(hint()));
        }
        match folded.get(&rel.to_lowercase()) {
            Some(other) => out.push(
                Diagnostic::error(
                    rel,
                    Text::new(
                        format!("имя отличается от «{other}» только регистром букв: в Windows это один и тот же файл"),
                        format!("the name differs from `{other}` only in letter case: on Windows both are one file"),
                    ),
                )
                .hint(hint()),
            ),
            None => {
                folded.insert(rel.to_lowercase(), rel);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_windows_refuses() {
        for bad in [
            "a:b.pdf",
            "CON",
            "con.txt",
            "Nul.tar.gz",
            "COM1.csv",
            "lpt9",
            "отчёт.",
            "скан ",
            "a?b",
            "a*b",
            "a<b",
            "a|b",
            "a\"b",
            "a\\b",
            "tab\there",
            "AUX .txt",
        ] {
            assert!(windows_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "learners.csv",
            "Отчёт за 2025 год.pdf",
            "console.txt",
            "COM10.txt",
            "CONFIG",
            ".hidden",
            "a.b.c",
            "LPT.txt",
        ] {
            assert!(windows_problem(good).is_none(), "{good}");
        }
        let t = windows_problem("a:b.pdf").unwrap();
        assert_eq!(
            t.ru,
            "в имени «a:b.pdf» есть знак «:», недопустимый в Windows"
        );
    }

    #[test]
    fn case_twins_and_paths() {
        let d = check(&[
            "CON",
            "CON/a.pdf",
            "scans",
            "scans/Scan.pdf",
            "scans/scan.pdf",
            "x.pdf",
        ]);
        let got: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d.file.as_str(), d.message.en.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "CON",
                    "the name `CON` is reserved by Windows for the device CON"
                ),
                (
                    "scans/scan.pdf",
                    "the name differs from `scans/Scan.pdf` only in letter case: on Windows both are one file"
                ),
            ]
        );
        assert!(d.iter().all(|d| d.is_error() && d.hint.is_some()));
    }
}
