//! The tantivy index used by `letopis search`, written into an archive's `data/index/`.
//!
//! Words are normalised by [`super::text`] before they reach tantivy and stored in fields with the
//! built-in `whitespace` tokenizer, so opening an index needs no custom tokenizer and the command
//! line applies exactly the normalisation the index was built with.
//!
//! Byte-identical output: the index is written by tantivy's single-segment writer (fixed opstamps
//! 0..n) into memory; its segment, named by a random UUID, is then written to disk under a UUID
//! derived from the archive name, with `meta.json` rewritten to match. No other file is written
//! (`.managed.json` is only bookkeeping for tantivy's garbage collector of a writable index).

use super::SearchError;
use super::docs::SearchDoc;
use super::engine;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tantivy::directory::RamDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Directory, Index, TantivyDocument};

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
    let (schema, f) = schema();
    let ram = RamDirectory::create();
    let mut writer = Index::builder()
        .schema(schema)
        .single_segment_index_writer(ram.clone(), 64_000_000)?;
    // Documents are prepared (words, stems, joined fields) on every core, a chunk at a time to
    // bound memory, and added in order: the single-segment writer keeps the bytes deterministic.
    for chunk in docs.chunks(4096) {
        let prepared: Vec<TantivyDocument> = chunk
            .par_iter()
            .map(|d| document(d, &f, period, archive))
            .collect();
        for doc in prepared {
            writer.add_document(doc)?;
        }
    }
    let index = writer.finalize()?;
    let metas = index.searchable_segment_metas()?;
    let [segment] = metas.as_slice() else {
        return Err(SearchError::Index(format!(
            "expected one segment, found {}",
            metas.len()
        )));
    };
    let random = segment.id().uuid_string();
    let fixed: String = Sha256::digest(format!("letopis index {archive}").as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
    let mut written = Vec::new();
    for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
        let from = PathBuf::from(format!("{random}.{ext}"));
        if !ram.exists(&from).unwrap_or(false) {
            continue;
        }
        let bytes = ram
            .atomic_read(&from)
            .map_err(|e| SearchError::Index(e.to_string()))?;
        let name = format!("{fixed}.{ext}");
        let to = dir.join(&name);
        std::fs::write(&to, bytes).map_err(|e| SearchError::io(&to, e))?;
        written.push(name);
    }
    let meta = ram
        .atomic_read(Path::new("meta.json"))
        .map_err(|e| SearchError::Index(e.to_string()))?;
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
    let meta = String::from_utf8_lossy(&meta)
        .replace(&hyphenated(&random), &hyphenated(&fixed))
        .replace(&random, &fixed);
    let to = dir.join("meta.json");
    std::fs::write(&to, meta).map_err(|e| SearchError::io(&to, e))?;
    written.push("meta.json".to_string());
    written.sort();
    Ok(written)
}
