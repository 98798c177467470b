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
    /// Explicit formats of input files, by file name (see the platform-exports issue).
    #[serde(default)]
    pub files: BTreeMap<String, serde_yaml::Value>,
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
