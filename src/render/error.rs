use std::path::PathBuf;

/// Errors of the render stage. Each names the file (template, page or input file) it is about.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template (embedded or from the override folder) failed to parse.
    #[error("шаблон {file}: {message} / template {file}: {message}")]
    Template { file: String, message: String },
    /// A page failed to render (e.g. an override template uses a missing variable).
    #[error(
        "страница {page} (шаблон {template}): {message} / page {page} (template {template}): {message}"
    )]
    Page {
        page: String,
        template: String,
        message: String,
    },
    /// An attachment or input path that would leave its folder (`..`, absolute, `\`).
    #[error(
        "недопустимый путь файла {path:?}: он должен оставаться внутри входной папки / unsafe file path {path:?}: it must stay inside the input folder"
    )]
    UnsafePath { path: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RenderError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        RenderError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Tera's error with its chain of causes (the parse position is in the causes).
pub(crate) fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let part = s.to_string();
        if !msg.contains(&part) {
            msg.push_str(": ");
            msg.push_str(&part);
        }
        src = s.source();
    }
    msg
}

/// The I/O error under a template's failure to render, if that is what it was (writing the page
/// failed: a full or removed medium), kept with its kind.
pub(crate) fn io_source(e: &tera::Error) -> Option<std::io::Error> {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(std::io::Error::new(io.kind(), io.to_string()));
        }
        src = s.source();
    }
    None
}
