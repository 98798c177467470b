//! `records/datapackage.json`: a Frictionless Data Package (v1) describing every CSV file.

use super::TablesError;
use crate::model::Period;
use crate::model::tables::{self, TABLES, Table, Type};
use serde_json::{Value, json};
use std::path::Path;

/// What Letopis keeps in the package under [`tables::PACKAGE_KEY`] to rebuild the period.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Rebuild {
    /// [`tables::FORMAT`] of the writer.
    pub format: u32,
    pub config: crate::model::Config,
}

fn schema(t: &Table) -> Value {
    let fields: Vec<Value> = t
        .columns()
        .map(|c| {
            let mut f = json!({
                "name": c.name,
                "type": c.ty.name(),
                "title": c.title,
                "description": c.description,
            });
            let mut constraints = serde_json::Map::new();
            if c.required {
                constraints.insert("required".into(), json!(true));
            }
            if !c.values.is_empty() {
                constraints.insert(
                    "enum".into(),
                    json!(c.values.iter().map(|(code, _)| *code).collect::<Vec<_>>()),
                );
            }
            if c.ty == Type::Date {
                f["format"] = json!("default");
            }
            if !constraints.is_empty() {
                f["constraints"] = Value::Object(constraints);
            }
            f
        })
        .collect();
    let mut s = json!({ "fields": fields, "missingValues": [""] });
    if !t.primary_key.is_empty() {
        s["primaryKey"] = json!(t.primary_key);
    }
    if !t.foreign_keys.is_empty() {
        s["foreignKeys"] = t
            .foreign_keys
            .iter()
            .map(|k| {
                json!({
                    "fields": k.fields,
                    "reference": { "resource": k.table, "fields": k.refs },
                })
            })
            .collect();
    }
    s
}

pub fn descriptor(p: &Period) -> Value {
    let c = &p.config;
    let name = c.archive_name();
    let title = c
        .period
        .title
        .clone()
        .unwrap_or_else(|| c.period.id.clone());
    let resources: Vec<Value> = TABLES
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "path": t.file(),
                "profile": "tabular-data-resource",
                "title": t.title,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
                "schema": schema(t),
            })
        })
        .collect();
    let rebuild = Rebuild {
        format: tables::FORMAT,
        config: c.clone(),
    };
    json!({
        "profile": "tabular-data-package",
        "name": package_name(&name),
        "title": format!("{}: записи за период «{title}»", c.organisation.name),
        "description": format!(
            "Записи индивидуального учёта результатов обучения за период «{title}» ({} — {}), проверенные Летописью, в виде таблиц. Таблицы связаны кодами: номер личного дела (learners.id), группа (groups.id), занятие (lessons.id) и т. д. У каждой записи указаны исходный файл выгрузки и строка. Целостность файлов архива (и этих таблиц) подтверждает манифест ../../manifest-sha256.txt. Те же таблицы для просмотра — в книге {}.xlsx.",
            c.period.start.format("%d.%m.%Y"),
            c.period.end.format("%d.%m.%Y"),
            name
        ),
        "created": format!("{}T00:00:00Z", c.build_date().format("%Y-%m-%d")),
        "version": env!("CARGO_PKG_VERSION"),
        "keywords": ["Летопись", "индивидуальный учёт", c.period.id],
        "contributors": [{ "title": c.organisation.name, "role": "publisher" }],
        "sources": [{
            "title": "Манифест BagIt архива (SHA-256 каждого файла data/)",
            "path": "../../manifest-sha256.txt",
        }],
        "archive": {
            "name": name,
            "organisation": c.organisation.name,
            "inn": c.organisation.inn,
            "ogrn": c.organisation.ogrn,
            "period": {
                "id": c.period.id,
                "title": title,
                "start": c.period.start,
                "end": c.period.end,
            },
            "manifest": "../../manifest-sha256.txt",
            "workbook": format!("{name}.xlsx"),
        },
        (tables::PACKAGE_KEY): rebuild,
        "resources": resources,
    })
}

/// The package's `name`: lowercase, only `a-z 0-9 - . _` (the Data Package pattern).
fn package_name(archive: &str) -> String {
    archive
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub fn write(p: &Period, path: &Path) -> Result<(), TablesError> {
    let text =
        serde_json::to_string_pretty(&descriptor(p)).map_err(|e| TablesError::new(path, e))?;
    std::fs::write(path, text + "\n").map_err(|e| TablesError::io(path, &e))
}
