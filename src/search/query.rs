//! Answering a query from a tantivy index written by [`super::index`].

use super::SearchError;
use super::docs::Kind;
use super::index::{Fields, fields_of};
use super::text::{self, MIN_PREFIX, Stems};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, ReloadPolicy, TantivyDocument, Term};

/// Filters of a query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub year: Option<i32>,
    pub group: Option<String>,
    pub programme: Option<String>,
    pub kind: Option<Kind>,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub archive: String,
    pub period: String,
    pub kind: String,
    pub title: String,
    pub groups: Vec<String>,
    pub years: Vec<String>,
    /// Page inside the archive's `data/`, with `#anchor`.
    pub page: String,
    /// The part of the record's text that matched.
    pub snippet: String,
    /// The words of the snippet and title that matched the query.
    pub matched: Vec<String>,
    pub score: f32,
}

/// A parsed query: its normalised words and their stems.
pub struct Parsed {
    pub words: Vec<String>,
    pub stems: Vec<String>,
}

pub fn parse(query: &str) -> Parsed {
    let words = text::words(query);
    let mut s = Stems::new();
    let stems = words.iter().map(|w| s.stem(w)).collect();
    Parsed { words, stems }
}

fn term(f: tantivy::schema::Field, s: &str) -> Term {
    Term::from_field_text(f, s)
}

fn boosted(q: Box<dyn Query>, b: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(q, b)))
}

fn word_query(f: &Fields, word: &str, stem: &str) -> Box<dyn Query> {
    let exact = |field| {
        Box::new(TermQuery::new(
            term(field, word),
            IndexRecordOption::WithFreqs,
        ))
    };
    let mut alts: Vec<(Occur, Box<dyn Query>)> = vec![
        boosted(exact(f.words), 3.0),
        boosted(
            Box::new(TermQuery::new(
                term(f.stems, stem),
                IndexRecordOption::WithFreqs,
            )),
            2.0,
        ),
        boosted(exact(f.codes), 4.0),
    ];
    alts.push(boosted(
        Box::new(TermQuery::new(term(f.head, word), IndexRecordOption::Basic)),
        4.0,
    ));
    let letters = word.chars().all(char::is_alphabetic);
    if letters && stem.chars().count() >= MIN_PREFIX {
        alts.push(boosted(
            Box::new(FuzzyTermQuery::new_prefix(term(f.head, stem), 0, true)),
            4.0,
        ));
        // Names in any case form: the query's stem is a prefix of the indexed surface form.
        alts.push(boosted(
            Box::new(FuzzyTermQuery::new_prefix(term(f.names, stem), 0, true)),
            2.5,
        ));
    }
    if letters && word.chars().count() >= 4 {
        // A one-letter typo in a name.
        alts.push(boosted(
            Box::new(FuzzyTermQuery::new(term(f.names, word), 1, true)),
            1.0,
        ));
    }
    Box::new(BooleanQuery::new(alts))
}

/// Builds the tantivy query: every word must match (in any of its ways), and every filter.
pub fn build_query(f: &Fields, parsed: &Parsed, filters: &Filters) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = parsed
        .words
        .iter()
        .zip(&parsed.stems)
        .map(|(w, s)| (Occur::Must, word_query(f, w, s)))
        .collect();
    let mut filter = |field, value: &str| {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(term(field, value), IndexRecordOption::Basic)),
        ))
    };
    if let Some(y) = filters.year {
        filter(f.year, &y.to_string());
    }
    if let Some(g) = &filters.group {
        filter(f.group, g);
    }
    if let Some(p) = &filters.programme {
        filter(f.programme, p);
    }
    if let Some(k) = filters.kind {
        filter(f.kind, k.code());
    }
    Box::new(BooleanQuery::new(must))
}

/// Whether an indexed word is found by the query word (`word`, `stem`): the same rules as the
/// query, applied to the words of a snippet to show what matched.
pub fn word_matches(word: &str, q: &str, q_stem: &str, stems: &mut Stems) -> bool {
    if word == q {
        return true;
    }
    let letters = q.chars().all(char::is_alphabetic);
    if !letters {
        return false;
    }
    if q_stem.chars().count() >= MIN_PREFIX && word.starts_with(q_stem) {
        return true;
    }
    if stems.stem(word) == q_stem {
        return true;
    }
    let wl = word.chars().count();
    q.chars().count() >= 4 && wl + 1 >= q.chars().count() && levenshtein1(word, q)
}

/// Edit distance (with transpositions) at most 1.
pub fn levenshtein1(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    ra.len() <= 1 && rb.len() <= 1
        || ra.get(1..) == rb.get(1..)
        || ra.get(1..) == Some(rb)
        || Some(ra) == rb.get(1..)
        || (ra.len() >= 2
            && rb.len() >= 2
            && ra[0] == rb[1]
            && ra[1] == rb[0]
            && ra[2..] == rb[2..])
}

/// The best part of `text` (segments separated by ` · ` or new lines) for the query, and the
/// words that matched.
pub fn snippet(
    title: &str,
    text: &str,
    parsed: &Parsed,
    stems: &mut Stems,
) -> (String, Vec<String>) {
    let mut matched: Vec<String> = Vec::new();
    let mut best: Option<(usize, usize, &str)> = None;
    let segments: Vec<&str> = text
        .split(['\n', '·'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != title)
        .collect();
    for (i, seg) in segments.iter().enumerate() {
        let mut hits = 0;
        for raw in seg.split(|c: char| !c.is_alphanumeric()) {
            if raw.is_empty() {
                continue;
            }
            for w in text::words(raw) {
                if parsed
                    .words
                    .iter()
                    .zip(&parsed.stems)
                    .any(|(q, s)| word_matches(&w, q, s, stems))
                {
                    hits += 1;
                    if !matched.iter().any(|m| m == raw) {
                        matched.push(raw.to_string());
                    }
                }
            }
        }
        if hits > 0 && best.is_none_or(|(h, _, _)| hits > h) {
            best = Some((hits, i, seg));
        }
    }
    for raw in title.split(|c: char| !c.is_alphanumeric()) {
        if !raw.is_empty()
            && text::words(raw).iter().any(|w| {
                parsed
                    .words
                    .iter()
                    .zip(&parsed.stems)
                    .any(|(q, s)| word_matches(w, q, s, stems))
            })
            && !matched.iter().any(|m| m == raw)
        {
            matched.push(raw.to_string());
        }
    }
    let snippet = match best {
        Some((_, _, seg)) => around(seg, &matched, 200),
        None => shorten(segments.first().copied().unwrap_or(""), 200),
    };
    (snippet, matched)
}

/// At most `max` characters of `seg`, starting a little before its first matched word.
fn around(seg: &str, matched: &[String], max: usize) -> String {
    let chars: Vec<char> = seg.chars().collect();
    if chars.len() <= max {
        return seg.to_string();
    }
    let first = matched
        .iter()
        .filter_map(|m| seg.find(m.as_str()))
        .min()
        .map(|byte| seg[..byte].chars().count())
        .unwrap_or(0);
    let mut start = first
        .saturating_sub(max / 4)
        .min(chars.len().saturating_sub(max));
    while start > 0 && !chars[start - 1].is_whitespace() {
        start -= 1;
    }
    let end = (start + max).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// An opened archive index.
pub struct Searcher {
    index: Index,
    fields: Fields,
}

impl Searcher {
    pub fn open(index: Index) -> Result<Searcher, SearchError> {
        let fields = fields_of(&index.schema())?;
        Ok(Searcher { index, fields })
    }

    pub fn open_dir(dir: &std::path::Path) -> Result<Searcher, SearchError> {
        let dir_ = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Index(format!("{}: {e}", dir.display())))?;
        Searcher::open(Index::open(super::readonly::ReadOnly(dir_))?)
    }

    /// Period id of the archive (from its first record), for ordering archives newest first.
    pub fn period(&self) -> Result<Option<String>, SearchError> {
        let reader = self.reader()?;
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            if seg.max_doc() > 0 {
                let doc: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0))?;
                return Ok(doc
                    .get_first(self.fields.period)
                    .and_then(|v| v.as_str())
                    .map(str::to_string));
            }
        }
        Ok(None)
    }

    fn reader(&self) -> Result<tantivy::IndexReader, SearchError> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    pub fn search(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let parsed = parse(query);
        if parsed.words.is_empty() {
            return Ok(Vec::new());
        }
        let q = build_query(&self.fields, &parsed, filters);
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut stems = Stems::new();
        let f = &self.fields;
        let mut hits = Vec::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let one = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let all = |field| {
                doc.get_all(field)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            };
            let title = one(f.title);
            let (snippet, matched) = snippet(&title, &one(f.text), &parsed, &mut stems);
            hits.push(Hit {
                archive: one(f.archive),
                period: one(f.period),
                kind: one(f.kind),
                title,
                groups: all(f.group),
                years: all(f.year),
                page: one(f.url),
                snippet,
                matched,
                score,
            });
        }
        Ok(hits)
    }
}
