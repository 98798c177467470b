//! The tera templates and the stylesheet: embedded in the binary (the tool runs from any folder),
//! overridable file by file from an administrator's folder, and written out by
//! [`write_default_templates`] as a starting point.

use super::error::{RenderError, tera_message};
use std::path::{Path, PathBuf};
use tera::Tera;

/// Every embedded template: name (= file name in `templates/`) → text.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "learners.html",
        include_str!("../../templates/learners.html"),
    ),
    ("learner.html", include_str!("../../templates/learner.html")),
    ("group.html", include_str!("../../templates/group.html")),
    (
        "programme.html",
        include_str!("../../templates/programme.html"),
    ),
    ("orders.html", include_str!("../../templates/orders.html")),
    ("issued.html", include_str!("../../templates/issued.html")),
    (
        "protocols.html",
        include_str!("../../templates/protocols.html"),
    ),
    (
        "transfers.html",
        include_str!("../../templates/transfers.html"),
    ),
    (
        "attachments.html",
        include_str!("../../templates/attachments.html"),
    ),
    (
        "documents.html",
        include_str!("../../templates/documents.html"),
    ),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    ("about.html", include_str!("../../templates/about.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("medium.html", include_str!("../../templates/medium.html")),
    // A medium's list of bags sealed from a ready folder (the internal `seal-dir`), which have no
    // `archive.json`: only their names and bag-info.
    (
        "medium_bags.html",
        include_str!("../../templates/medium_bags.html"),
    ),
    (
        "attachments_list.html",
        include_str!("../../templates/attachments_list.html"),
    ),
    (
        "orders_list.html",
        include_str!("../../templates/orders_list.html"),
    ),
    (
        "transfers_list.html",
        include_str!("../../templates/transfers_list.html"),
    ),
    // One letter of learners.html: the list is rendered a letter at a time.
    (
        "learners_letter.html",
        include_str!("../../templates/learners_letter.html"),
    ),
    // One row of issued.html: the register is rendered a chunk of rows at a time.
    (
        "issued_row.html",
        include_str!("../../templates/issued_row.html"),
    ),
    (
        "protocol_block.html",
        include_str!("../../templates/protocol_block.html"),
    ),
    (
        "learner_body.html",
        include_str!("../../templates/learner_body.html"),
    ),
    (
        "print_head.html",
        include_str!("../../templates/print_head.html"),
    ),
    ("certify.html", include_str!("../../templates/certify.html")),
    ("binding.html", include_str!("../../templates/binding.html")),
    (
        "group_files.html",
        include_str!("../../templates/group_files.html"),
    ),
    ("extract.html", include_str!("../../templates/extract.html")),
    // The retention page, rendered in parts so a large period's list is streamed.
    (
        "retention.html",
        include_str!("../../templates/retention.html"),
    ),
    (
        "retention_rows.html",
        include_str!("../../templates/retention_rows.html"),
    ),
    (
        "retention_end.html",
        include_str!("../../templates/retention_end.html"),
    ),
    // The act of selection of records for destruction (`letopis retention --act`).
    ("act.html", include_str!("../../templates/act.html")),
    // `letopis log --html`: the medium's fixity log as a printable page.
    ("log.html", include_str!("../../templates/log.html")),
    // The paper anchor beside each archive on a medium: «Акт о формировании электронного архива».
    (
        "building_act.html",
        include_str!("../../templates/building_act.html"),
    ),
];

/// The stylesheet's name inside a templates folder (and its path inside the archive).
use crate::layout::paths::STYLE as STYLE_NAME;
pub const STYLE: &str = include_str!("../../templates/assets/style.css");

/// Loaded templates: tera with HTML autoescaping for `.html`, plus the stylesheet.
pub struct Templates {
    pub(crate) tera: Tera,
    pub(crate) style: String,
    /// The templates replaced or added from the overrides folder, with their text.
    pub(crate) overridden: std::collections::BTreeMap<String, String>,
}

impl Templates {
    /// Renders one template of the set into `out` (for pages written by later stages: the
    /// retention page, the act). The error names the template and says what is wrong.
    pub fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut impl std::io::Write,
    ) -> Result<(), RenderError> {
        self.tera
            .render_to(name, ctx, out)
            .map_err(|e| RenderError::Page {
                page: name.into(),
                template: name.into(),
                message: super::error::tera_message(&e),
            })
    }

    /// Renders one template of the set into a string.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, RenderError> {
        let mut out = Vec::new();
        self.render_to(name, ctx, &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The embedded templates, each replaced by the file of the same name in `overrides` if any.
    /// Extra `.html` files in `overrides` are added too (for `{% include %}`). A file that does not
    /// parse is an error naming that file, never a silent fallback.
    pub fn load(overrides: Option<&Path>) -> Result<Templates, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.add_raw_templates(EMBEDDED.iter().copied())
            .map_err(|e| RenderError::Template {
                file: "(embedded)".into(),
                message: tera_message(&e),
            })?;
        let mut style = STYLE.to_string();
        let mut overridden = std::collections::BTreeMap::new();
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(RenderError::io(
                    dir,
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "папка шаблонов не найдена / templates folder not found",
                    ),
                ));
            }
            let mut files: Vec<(String, PathBuf)> = Vec::new();
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(dir).to_path_buf();
                    RenderError::io(path, std::io::Error::other(e.to_string()))
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((rel, entry.path().to_path_buf()));
            }
            for (name, path) in files {
                if name == STYLE_NAME {
                    style =
                        std::fs::read_to_string(&path).map_err(|e| RenderError::io(&path, e))?;
                } else if name.ends_with(".html") {
                    let text =
                        std::fs::read_to_string(&path).map_err(|e| RenderError::io(&path, e))?;
                    tera.add_raw_template(&name, &text)
                        .map_err(|e| RenderError::Template {
                            file: path.display().to_string(),
                            message: tera_message(&e),
                        })?;
                    // A file the same as the embedded one (as `letopis init --templates` wrote
                    // it) replaces nothing: the registers are still rendered in chunks.
                    let same = EMBEDDED.iter().any(|(n, t)| *n == name && *t == text);
                    if !same {
                        overridden.insert(name, text);
                    }
                }
            }
        }
        Ok(Templates {
            tera,
            style,
            overridden,
        })
    }
}

/// Writes the default templates and stylesheet into `dir` (created if needed), to start an
/// override from. Refuses to overwrite an existing file. Returns the files written, sorted.
pub fn write_default_templates(dir: &Path) -> Result<Vec<PathBuf>, RenderError> {
    let mut all: Vec<(&str, &str)> = EMBEDDED.to_vec();
    all.push((STYLE_NAME, STYLE));
    all.sort();
    for (name, _) in &all {
        let path = dir.join(name);
        if path.exists() {
            return Err(RenderError::io(
                &path,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "файл уже существует, не перезаписываю / file exists, not overwriting",
                ),
            ));
        }
    }
    let mut written = Vec::new();
    for (name, text) in all {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| RenderError::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| RenderError::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
