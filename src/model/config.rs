//! `letopis.yaml`: the organisation, the period and the archive settings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Interface language (UI of the archive and of the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

/// A text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub ru: String,
    pub en: String,
}

impl Text {
    pub fn new(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organisation: Organisation,
    pub period: PeriodInfo,
    #[serde(default)]
    pub language: Lang,
    /// Fixed date printed as the archive's build date ("date of archiving"). When absent, the period's
    /// end date is used: pages never contain the wall clock, so builds are byte-identical.
    #[serde(default)]
    pub build_date: Option<NaiveDate>,
    /// A folder of tera templates overriding the embedded ones (relative to the input folder).
    #[serde(default)]
    pub templates: Option<String>,
    /// Retention rules per record kind; kinds without a rule keep the seeds' defaults
    /// ([`crate::model::retention::default_rules`]).
    #[serde(default)]
    pub retention: super::retention::Rules,
    /// The expert commission that signs disposal acts.
    #[serde(default)]
    pub commission: Option<super::retention::Commission>,
    /// Explicit formats and groups of input files, by path relative to the input folder:
    /// `files: {"grades-pk12.csv": {format: moodle-grades, group: ПК-12}}`. Without an entry a
    /// platform export is recognised by its header.
    #[serde(default)]
    pub files: BTreeMap<String, FileSpec>,
    /// The organisation's OpenSSH Ed25519 private key (made by `letopis keygen`), relative to the
    /// input folder or absolute: every archive built is signed with it. Never on a medium.
    #[serde(default)]
    pub signing_key: Option<String>,
}

/// What `letopis.yaml` says about one input file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// The file's format; recognised by its header when absent.
    #[serde(default)]
    pub format: Option<FileFormat>,
    /// The group the export belongs to (a Moodle gradebook has no group of its own; an attendance
    /// export's `Group` line may be `All participants`; FRDO has no group column).
    #[serde(default)]
    pub group: Option<String>,
    /// Academic hours of each session of an attendance export (default 2: the export has no
    /// duration).
    #[serde(default)]
    pub lesson_hours: Option<f64>,
}

/// Platform export formats Letopis reads as they are downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    /// Moodle gradebook export, "plain text file".
    MoodleGrades,
    /// Moodle attendance plugin text export.
    MoodleAttendance,
    /// FRDO register upload template (further professional education).
    Frdo,
}

impl FileFormat {
    pub const ALL: [FileFormat; 3] = [
        FileFormat::MoodleGrades,
        FileFormat::MoodleAttendance,
        FileFormat::Frdo,
    ];
    /// The name used in `letopis.yaml` and in `check`'s table.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::MoodleGrades => "moodle-grades",
            FileFormat::MoodleAttendance => "moodle-attendance",
            FileFormat::Frdo => "frdo",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Full name, as on the seal: `АНО ДПО «Учебный центр «Профиль»`.
    pub name: String,
    /// Short name for headers.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Latin slug used in archive folder names: `umc` → `umc-2025`.
    pub slug: String,
    #[serde(default)]
    pub inn: Option<String>,
    #[serde(default)]
    pub ogrn: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// The head who signs certified extracts.
    pub head: Person,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodInfo {
    /// `2025`, `2025-2026`, `2025-1`...: part of the archive name.
    pub id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Optional human title: `2025 учебный год`.
    #[serde(default)]
    pub title: Option<String>,
}

impl Config {
    /// `<slug>-<period id>`, e.g. `umc-2025`: the archive's folder name on a medium.
    pub fn archive_name(&self) -> String {
        format!("{}-{}", self.organisation.slug, self.period.id)
    }
    pub fn build_date(&self) -> NaiveDate {
        self.build_date.unwrap_or(self.period.end)
    }
}
