//! A page being rendered straight into its file (a register of the whole period is tens of MB of
//! HTML): the one place that creates the file, maps template and I/O errors to the page, and
//! finishes the write. [`super::write_page`] renders a page at once; [`super::split`] a register
//! a chunk of rows at a time.

use super::error::{self, RenderError};
use super::value;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tera::{Context, Tera};

pub(super) struct Writer<'a> {
    tera: &'a Tera,
    /// The page's template.
    pub template: &'a str,
    path: &'a str,
    file: PathBuf,
    ctx: Context,
}

impl<'a> Writer<'a> {
    /// The page `path` (inside `work_dir`) of `template`, with its context.
    pub fn new(
        tera: &'a Tera,
        template: &'a str,
        path: &'a str,
        work_dir: &Path,
        ctx: Context,
    ) -> Self {
        Writer {
            tera,
            template,
            path,
            file: work_dir.join(path),
            ctx,
        }
    }

    /// Creates the page's file; a page that fails later stops the build, and the staging folder
    /// goes with it.
    pub fn create(&self) -> Result<BufWriter<File>, RenderError> {
        let out = File::create(&self.file).map_err(|e| RenderError::io(&self.file, e))?;
        Ok(BufWriter::with_capacity(64 * 1024, out))
    }

    /// Writes out what is buffered.
    pub fn finish(&self, out: BufWriter<File>) -> Result<(), RenderError> {
        out.into_inner()
            .map_err(|e| RenderError::io(&self.file, e.into_error()))?;
        Ok(())
    }

    /// Sets `name` to `v` made into the template's values (`template` names the page's error).
    pub fn set(
        &mut self,
        name: &'static str,
        v: &impl Serialize,
        template: &str,
    ) -> Result<(), RenderError> {
        let v = value(v).map_err(|e| self.page_error(template, &e))?;
        self.ctx.insert_value(name, v);
        Ok(())
    }

    /// Sets `name` to values made already (or the error of making them).
    pub fn set_value(
        &mut self,
        name: &'static str,
        v: Result<tera::Value, tera::Error>,
    ) -> Result<(), RenderError> {
        let v = v.map_err(|e| self.page_error(self.template, &e))?;
        self.ctx.insert_value(name, v);
        Ok(())
    }

    pub fn render(&self, template: &str) -> Result<String, RenderError> {
        self.tera
            .render(template, &self.ctx)
            .map_err(|e| self.page_error(template, &e))
    }

    pub fn render_to(&self, template: &str, out: &mut impl Write) -> Result<(), RenderError> {
        self.tera
            .render_to(template, &self.ctx, out)
            .map_err(|e| match error::io_source(&e) {
                // A full disk shows as the template's write failing: said as the I/O error it is.
                Some(io) => RenderError::io(&self.file, io),
                None => self.page_error(template, &e),
            })
    }

    pub fn put(&self, out: &mut impl Write, text: &str) -> Result<(), RenderError> {
        out.write_all(text.as_bytes())
            .map_err(|e| RenderError::io(&self.file, e))
    }

    fn page_error(&self, template: &str, e: &tera::Error) -> RenderError {
        RenderError::Page {
            page: self.path.to_string(),
            template: template.to_string(),
            message: error::tera_message(e),
        }
    }
}
