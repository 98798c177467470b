//! The registers of the whole period rendered a chunk of rows at a time.
//!
//! `issued.html` lists every issued document (80,000 rows, 40 MB of HTML at 80,000 learners).
//! Made into the template's values at once, its rows took 230 MB, the render stage's peak of
//! memory. The page template is rendered with its first row only; that row, rendered on its own by
//! the row template the page includes, is found in it, and the page is written as what comes
//! before it, every row a chunk at a time, and what comes after it: the same bytes as the page
//! rendered whole. The list of learners is written the same way, a letter (with its table of
//! learners) being one row: 80,000 learners were 140 MB of template values.
//!
//! This holds while the page's rows are its row template, one after another, which is what the
//! embedded page templates do. A page template replaced from the templates folder, or a replaced
//! row template that uses `loop` (its `loop.index` would start again in every chunk), is rendered
//! whole, as before; so is a page whose first row is not found exactly once.

use super::error::{self, RenderError};
use super::index::Lookup;
use super::views::{self, Ctx, Rows};
use super::writer::Writer;
use super::{Job, Strings, fmt, page_context, page_path, register_head};
use crate::model::{Lang, Period};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use tera::Tera;

/// How a register's page template lists its rows: the loop's variable and the template of one
/// row that the loop includes.
pub(super) struct Split {
    var: &'static str,
    row: &'static str,
    /// Rows rendered at once.
    chunk: usize,
}

const ISSUED: Split = Split {
    var: "d",
    row: "issued_row.html",
    chunk: 1024,
};

const PROTOCOLS: Split = Split {
    var: "p",
    row: "protocol_block.html",
    chunk: 1024,
};

/// A letter of the learners' list, with all its learners, is one row.
const LETTERS: Split = Split {
    var: "l",
    row: "learners_letter.html",
    chunk: 1,
};

/// The registers [`write_register`] writes, in chunks when it may.
pub(super) fn is_register(job: Job) -> bool {
    matches!(job, Job::Issued | Job::Protocols | Job::LearnersIndex)
}

impl Split {
    /// The name of the template of a chunk of rows (the page's loop on its own).
    fn chunk_template(&self) -> String {
        format!("letopis-rows/{}", self.row)
    }
}

/// Adds the template of a chunk of rows of every register rendered in chunks.
pub(super) fn add_chunk_templates(tera: &mut Tera) -> Result<(), RenderError> {
    for s in [&ISSUED, &PROTOCOLS, &LETTERS] {
        let text = format!(
            "{{% for {} in rows %}}{{% include \"{}\" %}}{{% endfor %}}",
            s.var, s.row
        );
        tera.add_raw_template(&s.chunk_template(), &text)
            .map_err(|e| RenderError::Template {
                file: s.chunk_template(),
                message: error::tera_message(&e),
            })?;
    }
    Ok(())
}

/// Whether the register may be rendered in chunks with these templates (see the module's note).
fn may_split(overridden: &BTreeMap<String, String>, page_template: &str, s: &Split) -> bool {
    !overridden.contains_key(page_template)
        && overridden
            .get(s.row)
            .is_none_or(|text| !text.contains("loop."))
}

/// Renders a register ([`is_register`]) into its file under `work_dir`; returns its path.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_register(
    tera: &Tera,
    overridden: &BTreeMap<String, String>,
    t: &Strings,
    work_dir: &Path,
    p: &Period,
    lookup: &Lookup,
    lang: Lang,
    job: Job,
) -> Result<String, RenderError> {
    let path = page_path(p, job);
    let (template, title, certify, kind) = register_head(t, job);
    let c = Ctx {
        p,
        l: lookup,
        lang,
        root: fmt::root_of(&path),
    };
    let ctx = page_context(t, &path, &title, certify.as_ref(), kind);
    let mut w = Writer::new(tera, template, &path, work_dir, ctx);
    let mut out = w.create()?;
    match job {
        Job::Issued => {
            let page = views::issued(&c);
            let split = may_split(overridden, template, &ISSUED);
            w.write_rows(&page, &page.documents, &ISSUED, split, &mut out)?;
        }
        Job::Protocols => {
            let page = views::protocols(&c);
            let split = may_split(overridden, template, &PROTOCOLS);
            w.write_rows(&page, &page.protocols, &PROTOCOLS, split, &mut out)?;
        }
        Job::LearnersIndex => {
            let page = views::learners_index(&c);
            let split = may_split(overridden, template, &LETTERS);
            w.write_rows(&page, &page.letters, &LETTERS, split, &mut out)?;
        }
        _ => unreachable!("write_register: {job:?}"),
    }
    w.finish(out)?;
    Ok(path)
}

impl Writer<'_> {
    /// The register's page, a chunk of rows at a time when `split`, else whole.
    fn write_rows<P: Serialize, T, V: Serialize>(
        &mut self,
        page: &P,
        rows: &Rows<T, V>,
        s: &Split,
        split: bool,
        out: &mut impl Write,
    ) -> Result<(), RenderError> {
        if split && !rows.is_empty() {
            rows.show(0..1);
            self.set("page", page, self.template)?;
            let whole = self.render(self.template)?;
            let chunk = s.chunk_template();
            self.set("rows", rows, &chunk)?;
            let one = self.render(&chunk)?;
            if let Some((head, tail)) = around(&whole, &one) {
                self.put(out, head)?;
                for from in (0..rows.len()).step_by(s.chunk) {
                    rows.show(from..from + s.chunk);
                    self.set("rows", rows, &chunk)?;
                    self.render_to(&chunk, out)?;
                }
                return self.put(out, tail);
            }
            rows.show(0..rows.len());
        }
        self.set("page", page, self.template)?;
        self.render_to(self.template, out)
    }
}

/// What comes before and after `part` in `whole`, when `part` is found there exactly once.
fn around<'a>(whole: &'a str, part: &str) -> Option<(&'a str, &'a str)> {
    if part.is_empty() {
        return None;
    }
    let at = whole.find(part)?;
    // Found again from the next character on: overlapping occurrences count too.
    let next = at + whole[at..].chars().next().map_or(1, char::len_utf8);
    if whole[next..].contains(part) {
        return None;
    }
    Some((&whole[..at], &whole[at + part.len()..]))
}

#[cfg(test)]
mod tests {
    use super::{ISSUED, PROTOCOLS, around, may_split};
    use std::collections::BTreeMap;

    #[test]
    fn only_the_embedded_page_templates_are_split() {
        let mut over = BTreeMap::new();
        assert!(may_split(&over, "issued.html", &ISSUED));
        // A row template of one's own is fine, unless it numbers its rows by the loop.
        over.insert(
            "issued_row.html".to_string(),
            "<tr>{{ d.number }}</tr>".to_string(),
        );
        assert!(may_split(&over, "issued.html", &ISSUED));
        over.insert(
            "protocol_block.html".to_string(),
            "<div>{{ loop.index }}. {{ p.link.text }}</div>".to_string(),
        );
        assert!(!may_split(&over, "protocols.html", &PROTOCOLS));
        // A page template of one's own (last year's issued.html with its rows inline) is whole.
        over.insert("issued.html".to_string(), String::new());
        assert!(!may_split(&over, "issued.html", &ISSUED));
    }

    #[test]
    fn a_row_is_cut_out_only_when_found_once() {
        assert_eq!(around("<a><r/></a>", "<r/>"), Some(("<a>", "</a>")));
        assert_eq!(around("<r/><r/>", "<r/>"), None);
        assert_eq!(around("<a></a>", "<r/>"), None);
        assert_eq!(around("<a></a>", ""), None);
        assert_eq!(around("xaaa", "aa"), None);
    }
}
