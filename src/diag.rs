//! Diagnostics: problems found in the input data, each pointing at file, line and column, in Russian
//! and English. Stages collect all of them (never stop at the first) and the command prints them
//! sorted by file, line, column.

use crate::model::{Lang, Text};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the input folder, `/` separators.
    pub file: String,
    /// 1-based; `None` for problems of the file as a whole.
    pub line: Option<u64>,
    /// 1-based column (field number for CSV, character column for YAML).
    pub column: Option<u64>,
    pub severity: Severity,
    pub message: Text,
    pub hint: Option<Text>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: Text) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            severity: Severity::Error,
            message,
            hint: None,
        }
    }
    pub fn warning(file: impl Into<String>, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }
    /// At `line` (1-based; a record's `Origin::line` or a reader's `u64` line) and `column`.
    pub fn at(mut self, line: impl Into<u64>, column: Option<u64>) -> Self {
        self.line = Some(line.into());
        self.column = column;
        self
    }
    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `learners.csv:12:3: ошибка: … \n    подсказка: …` (the format of compilers, so editors jump to it).
    pub fn render(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            let _ = write!(s, ":{l}");
            if let Some(c) = self.column {
                let _ = write!(s, ":{c}");
            }
        }
        let sev = match (self.severity, lang) {
            (Severity::Error, Lang::Ru) => "ошибка",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Ru) => "предупреждение",
            (Severity::Warning, Lang::En) => "warning",
        };
        let _ = write!(s, ": {sev}: {}", self.message.get(lang));
        if let Some(h) = &self.hint {
            let label = match lang {
                Lang::Ru => "подсказка",
                Lang::En => "hint",
            };
            let _ = write!(s, "\n    {label}: {}", h.get(lang));
        }
        s
    }

    /// Sort key: file, line, column, severity.
    pub fn sort_key(&self) -> (&str, u64, u64, Severity) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
        )
    }
}

/// Sorts diagnostics for printing (stable: equal keys keep discovery order).
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
