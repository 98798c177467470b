//! The tantivy index used by `letopis search`, written into an archive's `data/index/`.
//!
//! Words are normalised by [`super::text`] before they reach tantivy and stored in fields with the
//! built-in `whitespace` tokenizer, so opening an index needs no custom tokenizer and the command
//! line applies exactly the normalisation the index was built with.
//!
//! Byte-identical output: the index is written by tantivy's single-segment writer (fixed opstamps
//! 0..n) into its folder; its segment, named by a random UUID, is then renamed after a UUID
//! derived from the archive name, with `meta.json` rewritten to match. No other file is kept
//! (`.managed.json` is only bookkeeping for tantivy's garbage collector of a writable index).

use super::SearchError;
use super::docs::SearchDoc;
use super::engine;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

/// The fields of the index.
#[derive(Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub title: Field,
    pub url: Field,
    pub group: Field,
    pub programme: Field,
    pub year: Field,
    pub period: Field,
    pub archive: Field,
    pub text: Field,
    /// Every token the record is found by ([`engine::doc_tokens`]).
    pub words: Field,
    /// The tokens of its title and names: a match there adds [`engine::HEAD`].
    pub head: Field,
}

fn indexed() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::Basic),
    )
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        title: b.add_text_field("title", STORED),
        url: b.add_text_field("url", STORED),
        group: b.add_text_field("group", STRING | STORED),
        programme: b.add_text_field("programme", STRING | STORED),
        year: b.add_text_field("year", STRING | STORED),
        period: b.add_text_field("period", STORED),
        archive: b.add_text_field("archive", STORED),
        text: b.add_text_field("text", STORED),
        words: b.add_text_field("words", indexed()),
        head: b.add_text_field("head", indexed()),
    };
    (b.build(), f)
}

/// Fields of an opened index, by name (errors when the index was not written by Letopis).
pub fn fields_of(schema: &Schema) -> Result<Fields, tantivy::TantivyError> {
    let g = |n: &str| schema.get_field(n);
    Ok(Fields {
        kind: g("kind")?,
        title: g("title")?,
        url: g("url")?,
        group: g("group")?,
        programme: g("programme")?,
        year: g("year")?,
        period: g("period")?,
        archive: g("archive")?,
        text: g("text")?,
        words: g("words")?,
        head: g("head")?,
    })
}

fn document(d: &SearchDoc, f: &Fields, period: &str, archive: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, d.kind.code());
    doc.add_text(f.title, &d.title);
    doc.add_text(f.url, &d.url);
    for g in &d.groups {
        doc.add_text(f.group, g);
    }
    for p in &d.programmes {
        doc.add_text(f.programme, p);
    }
    for y in &d.years {
        doc.add_text(f.year, y.to_string());
    }
    doc.add_text(f.period, period);
    doc.add_text(f.archive, archive);
    doc.add_text(f.text, d.snippet_source());
    let tokens = engine::doc_tokens(d);
    doc.add_text(f.words, tokens.all.join(" "));
    doc.add_text(f.head, tokens.head.join(" "));
    doc
}

/// Writes the index of `docs` into `dir` (created; must not hold another index) and returns the
/// files written, relative to `dir`, sorted.
pub fn write(
    docs: &[SearchDoc],
    period: &str,
    archive: &str,
    dir: &Path,
) -> Result<Vec<String>, SearchError> {
    let mut w = Writer::new(period, archive, dir)?;
    for chunk in docs.chunks(4096) {
        w.add(chunk)?;
    }
    w.finish()
}

/// The index being built in its folder: documents are added in document order, a chunk at a
/// time; tantivy writes the segment's files straight into the folder (nothing the size of the
/// index is held in memory), and [`Writer::finish`] gives them their fixed names.
pub struct Writer {
    writer: tantivy::SingleSegmentIndexWriter,
    f: Fields,
    period: String,
    archive: String,
    dir: PathBuf,
}

/// Files tantivy keeps for its own bookkeeping in a writable folder; not part of the index.
const BOOKKEEPING: [&str; 3] = [
    ".managed.json",
    ".tantivy-meta.lock",
    ".tantivy-writer.lock",
];

impl Writer {
    /// An index to be written into `dir` (created; must not hold another index).
    pub fn new(period: &str, archive: &str, dir: &Path) -> Result<Writer, SearchError> {
        let (schema, f) = schema();
        std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        let folder = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Index(format!("{}: {e}", dir.display())))?;
        let writer = Index::builder()
            .schema(schema)
            .single_segment_index_writer(folder, 64_000_000)?;
        Ok(Writer {
            writer,
            f,
            period: period.to_string(),
            archive: archive.to_string(),
            dir: dir.to_path_buf(),
        })
    }

    /// Adds the next documents: prepared (words, stems, joined fields) on every core, added in
    /// order (the single-segment writer keeps the bytes deterministic).
    pub fn add(&mut self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let prepared: Vec<TantivyDocument> = docs
            .par_iter()
            .map(|d| document(d, &self.f, &self.period, &self.archive))
            .collect();
        for doc in prepared {
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Finishes the index: its segment, named by tantivy with a random UUID, is renamed after a
    /// UUID derived from the archive's name, `meta.json` rewritten to match, tantivy's
    /// bookkeeping files removed. Returns the files of the index, relative to its folder, sorted.
    pub fn finish(self) -> Result<Vec<String>, SearchError> {
        let Writer {
            writer,
            archive,
            dir,
            ..
        } = self;
        let index = writer.finalize()?;
        let metas = index.searchable_segment_metas()?;
        let [segment] = metas.as_slice() else {
            return Err(SearchError::Index(format!(
                "expected one segment, found {}",
                metas.len()
            )));
        };
        let random = segment.id().uuid_string();
        // Nothing of the index may stay open while its files are renamed (Windows refuses).
        drop(metas);
        drop(index);
        let fixed: String = Sha256::digest(format!("letopis index {archive}").as_bytes())
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut written = Vec::new();
        let entries = std::fs::read_dir(&dir).map_err(|e| SearchError::io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| SearchError::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if let Some(ext) = name.strip_prefix(&format!("{random}.")) {
                let to_name = format!("{fixed}.{ext}");
                let to = dir.join(&to_name);
                std::fs::rename(&path, &to).map_err(|e| SearchError::io(&to, e))?;
                written.push(to_name);
            } else if BOOKKEEPING.contains(&name.as_str()) {
                std::fs::remove_file(&path).map_err(|e| SearchError::io(&path, e))?;
            } else if name != "meta.json" {
                return Err(SearchError::Index(format!(
                    "{}: unexpected file in the index folder",
                    path.display()
                )));
            }
        }
        let path = dir.join("meta.json");
        let meta = std::fs::read_to_string(&path).map_err(|e| SearchError::io(&path, e))?;
        // meta.json names the segment by its hyphenated UUID.
        let hyphenated = |u: &str| {
            format!(
                "{}-{}-{}-{}-{}",
                &u[..8],
                &u[8..12],
                &u[12..16],
                &u[16..20],
                &u[20..]
            )
        };
        let meta = meta
            .replace(&hyphenated(&random), &hyphenated(&fixed))
            .replace(&random, &fixed);
        // Written anew rather than over tantivy's (a private temporary file's permissions).
        std::fs::remove_file(&path)
            .and_then(|()| std::fs::write(&path, meta))
            .map_err(|e| SearchError::io(&path, e))?;
        written.push("meta.json".to_string());
        written.sort();
        Ok(written)
    }
}
