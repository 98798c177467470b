//! Answering a query from a tantivy index written by [`super::index`].

use super::SearchError;
use super::docs::Kind;
use super::engine;
use super::index::{Fields, fields_of};
use super::text;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocSet, Index, ReloadPolicy, TERMINATED, TantivyDocument};

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

/// Whether the word `word` of a text is one the query `q` found (to show what matched).
pub fn word_matches(word: &str, q: &engine::Query) -> bool {
    q.tokens.iter().any(|t| {
        let t = t.split_once(':').map_or(t.as_str(), |(s, _)| s);
        engine::score(t, word, true) > 0
    }) || (q.whole.chars().count() > 1 && q.whole == word)
}

/// The best part of `text` (segments separated by ` · ` or new lines) for the query, and the
/// words that matched.
pub fn snippet(title: &str, text: &str, parsed: &engine::Query) -> (String, Vec<String>) {
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
                if word_matches(&w, parsed) {
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
            && text::words(raw).iter().any(|w| word_matches(w, parsed))
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

/// What a search found in one archive: the first results and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub total: usize,
}

/// An opened archive index.
pub struct Searcher {
    index: Index,
    fields: Fields,
    /// The browser index's split shard keys: a query word's candidates are the words of its
    /// shard, as in the browser ([`engine::key`]).
    splits: BTreeSet<String>,
}

/// The split shard keys listed in a browser index's `meta.js` (`letopisMeta(archive, {…})`);
/// none when it cannot be read.
pub fn splits_of_meta(meta_js: &str) -> BTreeSet<String> {
    let inner = meta_js
        .trim()
        .strip_prefix("letopisMeta(")
        .and_then(|s| s.strip_suffix(");"));
    let Some(inner) = inner else {
        return BTreeSet::new();
    };
    let v: serde_json::Value = serde_json::from_str(&format!("[{inner}]")).unwrap_or_default();
    v[1]["splits"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The characters a word may start with when its transliteration starts with `c`.
fn first_chars(c: char) -> Vec<char> {
    let mut out = vec![c];
    out.extend(
        ('а'..='я')
            .chain(['ё'])
            .filter(|&r| crate::layout::slug::slug(&r.to_string()).starts_with(c)),
    );
    out
}

impl Searcher {
    pub fn open(index: Index, splits: BTreeSet<String>) -> Result<Searcher, SearchError> {
        let fields = fields_of(&index.schema())?;
        Ok(Searcher {
            index,
            fields,
            splits,
        })
    }

    /// Opens the index in `dir` (an archive's `data/index/`), with the shard splits of the
    /// browser index beside it (`data/search/meta.js`).
    pub fn open_dir(dir: &std::path::Path) -> Result<Searcher, SearchError> {
        let dir_ = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Index(format!("{}: {e}", dir.display())))?;
        let meta = dir
            .parent()
            .map(|d| d.join(crate::layout::paths::SEARCH_DIR).join("meta.js"));
        let splits = meta
            .and_then(|m| std::fs::read_to_string(m).ok())
            .map(|m| splits_of_meta(&m))
            .unwrap_or_default();
        Searcher::open(Index::open(super::readonly::ReadOnly(dir_))?, splits)
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

    /// The codes of the archive's groups, sorted.
    pub fn groups(&self) -> Result<Vec<String>, SearchError> {
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let mut out = BTreeSet::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.fields.group)?;
            let mut s = inv.terms().range().into_stream()?;
            while s.advance() {
                out.insert(String::from_utf8_lossy(s.key()).into_owned());
            }
        }
        Ok(out.into_iter().collect())
    }

    pub fn search(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        Ok(self.find(query, filters, limit)?.hits)
    }

    /// The first `limit` results of `query` and how many there are, by the rules of
    /// [`engine`].
    pub fn find(&self, query: &str, filters: &Filters, limit: usize) -> Result<Found, SearchError> {
        let parsed = engine::parse(query);
        if parsed.tokens.is_empty() {
            return Ok(Found::default());
        }
        let reader = self.reader()?;
        let searcher = reader.searcher();
        let o = Opened::new(&searcher);
        let tokens = found_by_all(&self.token_lists(&o, &parsed)?);
        let (identity, members) = self.identity_and_members(&o, &parsed)?;
        let f = &self.fields;
        let mut keep: Vec<BTreeSet<u32>> = Vec::new();
        let year = filters.year.map(|y| y.to_string());
        for (field, value) in [
            (f.year, year.as_deref()),
            (f.group, filters.group.as_deref()),
            (f.programme, filters.programme.as_deref()),
            (f.kind, filters.kind.map(|k| k.code())),
        ] {
            if let Some(v) = value {
                keep.push(o.postings(field, v.as_bytes())?.into_iter().collect());
            }
        }
        let ranked = engine::rank(&tokens, &identity, members.as_deref(), |d| {
            keep.iter().all(|k| k.contains(&d))
        });
        let hits = ranked
            .iter()
            .take(limit)
            .map(|&(n, score)| self.hit(&o, n, score, &parsed))
            .collect::<Result<Vec<Hit>, SearchError>>()?;
        Ok(Found {
            hits,
            total: ranked.len(),
        })
    }

    /// Each query token's documents with the best score of its matching words, sorted by
    /// document (a common word, `гр` of every group code, is a long list, never a map).
    fn token_lists(
        &self,
        o: &Opened,
        parsed: &engine::Query,
    ) -> Result<Vec<Vec<(u32, u32)>>, SearchError> {
        let f = &self.fields;
        let postings = |field, term: &[u8]| o.postings(field, term);
        // Each token: the best score of its matching words in each document, sorted by
        // document (a common word, `гр` of every group code, is a long list, never a map).
        let mut lists: Vec<Vec<(u32, u32)>> = Vec::new();
        for t in &parsed.tokens {
            let mut list: Vec<(u32, u32)> = Vec::new();
            let words = self.candidates(o.searcher, t)?;
            let several = words.len() > 1;
            for (w, score) in words {
                let head = postings(f.head, w.as_bytes())?;
                list.extend(
                    merge(postings(f.words, w.as_bytes())?, &head).map(|(doc, in_head)| {
                        (doc, score + if in_head { engine::HEAD } else { 0 })
                    }),
                );
            }
            if several {
                best_per_doc(&mut list);
            }
            lists.push(list);
        }
        Ok(lists)
    }

    /// The documents the whole query identifies, and the records of the group whose code it is.
    fn identity_and_members(
        &self,
        o: &Opened,
        parsed: &engine::Query,
    ) -> Result<(Vec<u32>, Option<Vec<u32>>), SearchError> {
        let f = &self.fields;
        let postings = |field, term: &[u8]| o.postings(field, term);
        let mut identity = postings(f.words, engine::id_token(&parsed.whole).as_bytes())?;
        // The group rule: only when a group's record holds the query (without a year at an end)
        // as a word (every word of a group's code is one of its words) are the codes of all
        // groups read.
        let code = parsed.group.as_str();
        let in_a_group = !code.is_empty() && {
            let groups = postings(f.kind, Kind::Group.code().as_bytes())?;
            postings(f.words, code.as_bytes())?
                .iter()
                .any(|d| groups.binary_search(d).is_ok())
        };
        let members = if in_a_group {
            let codes = self.groups()?;
            match engine::group_code_words(codes.iter().map(String::as_str)).get(code) {
                Some(code) => Some(postings(f.group, str::as_bytes(code))?),
                None => None,
            }
        } else {
            None
        };
        // `ГР-0501 2025`: the group's own page is what the query identifies.
        if identity.is_empty() && members.is_some() && code != parsed.whole {
            identity = postings(f.words, engine::id_token(code).as_bytes())?;
        }
        Ok((identity, members))
    }

    /// Result `n` (a global document number) as shown.
    fn hit(
        &self,
        o: &Opened,
        n: u32,
        score: u32,
        parsed: &engine::Query,
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let seg = o.bases.partition_point(|&b| b <= n) - 1;
        let addr = tantivy::DocAddress::new(seg as u32, n - o.bases[seg]);
        let doc: TantivyDocument = o.searcher.doc(addr)?;
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
        let (snippet, matched) = snippet(&title, &one(f.text), parsed);
        Ok(Hit {
            archive: one(f.archive),
            period: one(f.period),
            kind: one(f.kind),
            title,
            groups: all(f.group),
            years: all(f.year),
            page: one(f.url),
            snippet,
            matched,
            score: score as f32,
        })
    }

    /// The indexed words query token `t` finds, with their scores: the words of its browser
    /// shard ([`engine::key`]) that [`engine::score`] accepts.
    fn candidates(
        &self,
        searcher: &tantivy::Searcher,
        t: &str,
    ) -> Result<Vec<(String, u32)>, SearchError> {
        // A number or a code, or a word shorter than three letters, finds only itself
        // (engine::score): one look-up, not a walk over the terms of its shard.
        let only_itself =
            (!engine::letters(t) && !t.contains(':')) || t.chars().count() < engine::MIN_PREFIX;
        if only_itself {
            let mut found = false;
            let mut in_name = false;
            for seg in searcher.segment_readers() {
                found |= seg
                    .inverted_index(self.fields.words)?
                    .terms()
                    .get(t.as_bytes())?
                    .is_some();
                in_name |= seg
                    .inverted_index(self.fields.head)?
                    .terms()
                    .get(t.as_bytes())?
                    .is_some();
            }
            let s = engine::score(t, t, in_name);
            return Ok(if found && s > 0 {
                vec![(t.to_string(), s)]
            } else {
                Vec::new()
            });
        }
        let key = engine::key(t, &self.splits);
        let Some(first) = key.chars().next() else {
            return Ok(Vec::new());
        };
        // The words whose key can be `key` start with a letter that transliterates to its first
        // letter; a number's key is the number's own beginning, so its range is that prefix.
        let starts: Vec<String> = if first.is_ascii_digit() {
            vec![key.clone()]
        } else {
            first_chars(first).into_iter().map(String::from).collect()
        };
        let mut found: BTreeMap<String, bool> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.fields.words)?;
            for from in &starts {
                let to = next_prefix(from);
                let range = inv.terms().range().ge(from.as_bytes());
                let range = match &to {
                    Some(to) => range.lt(to.as_bytes()),
                    None => range,
                };
                let mut s = range.into_stream()?;
                while s.advance() {
                    let Ok(w) = std::str::from_utf8(s.key()) else {
                        continue;
                    };
                    if !found.contains_key(w) && engine::key(w, &self.splits) == key {
                        found.insert(w.to_string(), false);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (w, _) in found {
            let mut in_name = false;
            for seg in searcher.segment_readers() {
                in_name |= seg
                    .inverted_index(self.fields.head)?
                    .terms()
                    .get(w.as_bytes())?
                    .is_some();
            }
            let s = engine::score(t, &w, in_name);
            if s > 0 {
                out.push((w, s));
            }
        }
        engine::no_typos_beside_better(&mut out);
        Ok(out)
    }
}

/// The first string after every string that starts with `prefix` (its last character one
/// higher); none when there is no such character.
fn next_prefix(prefix: &str) -> Option<String> {
    let mut cs: Vec<char> = prefix.chars().collect();
    let last = cs.pop()?;
    let next = char::from_u32(last as u32 + 1)?;
    cs.push(next);
    Some(cs.into_iter().collect())
}

/// A searcher of the index with the first global document number of each segment (segments
/// one after another; the index has one).
struct Opened<'s> {
    searcher: &'s tantivy::Searcher,
    bases: Vec<u32>,
}

impl<'s> Opened<'s> {
    fn new(searcher: &'s tantivy::Searcher) -> Self {
        let mut bases = Vec::new();
        let mut next = 0u32;
        for seg in searcher.segment_readers() {
            bases.push(next);
            next += seg.max_doc();
        }
        Opened { searcher, bases }
    }

    /// The documents holding `term` in `field`, in increasing order.
    fn postings(
        &self,
        field: tantivy::schema::Field,
        term: &[u8],
    ) -> Result<Vec<u32>, SearchError> {
        let mut out = Vec::new();
        for (seg, &base) in self.searcher.segment_readers().iter().zip(&self.bases) {
            let inv = seg.inverted_index(field)?;
            if let Some(ti) = inv.terms().get(term)? {
                let mut p = inv.read_postings_from_terminfo(&ti, IndexRecordOption::Basic)?;
                let mut d = p.doc();
                while d != TERMINATED {
                    out.push(base + d);
                    d = p.advance();
                }
            }
        }
        Ok(out)
    }
}

/// Sorts (document, score) pairs by document, keeping each document's best score.
fn best_per_doc(list: &mut Vec<(u32, u32)>) {
    list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    list.dedup_by_key(|p| p.0);
}

/// Each token's scores for the documents every token finds, as [`engine::rank`] takes them: the
/// rarest token's documents are looked up in the other tokens' sorted lists, so a common word
/// costs a binary search per rare document instead of a map of all of its own.
fn found_by_all(lists: &[Vec<(u32, u32)>]) -> Vec<BTreeMap<u32, u32>> {
    let Some(rarest) = lists.iter().min_by_key(|l| l.len()) else {
        return Vec::new();
    };
    let score = |l: &[(u32, u32)], d: u32| l.binary_search_by_key(&d, |p| p.0).ok().map(|i| l[i].1);
    let docs: Vec<u32> = rarest
        .iter()
        .map(|p| p.0)
        .filter(|&d| lists.iter().all(|l| score(l, d).is_some()))
        .collect();
    lists
        .iter()
        .map(|l| {
            docs.iter()
                .map(|&d| (d, score(l, d).unwrap_or(0)))
                .collect()
        })
        .collect()
}

/// The documents of `docs` (sorted), each with whether it is in `head` (sorted): one walk
/// along both (a common word's lists are long).
fn merge(docs: Vec<u32>, head: &[u32]) -> impl Iterator<Item = (u32, bool)> + '_ {
    let mut h = 0;
    docs.into_iter().map(move |d| {
        while h < head.len() && head[h] < d {
            h += 1;
        }
        (d, head.get(h) == Some(&d))
    })
}
