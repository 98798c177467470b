//! The browser index in `data/search/`: classic scripts loaded on demand by `search.js`, so search
//! works from `file://` (no fetch, no modules, no workers).
//!
//! - `meta.js`: `letopisMeta(archive, {period, title, docs, per, years, splits, short})`.
//! - `s-<key>.js`: the words whose transliteration starts with `key` (see [`engine::key`]):
//!   `letopisShard(archive, key, [[word, inName, [postings], group?, heads?], ...])`, a posting
//!   being `gap * 2 + inTitleOrNames` over the sorted doc numbers, or a base64 bitmap when
//!   shorter (then `heads`: the documents that have the word in their title or names).
//! - `d-<n>.js`: documents `n*per .. (n+1)*per`: `letopisDocs(archive, n, [[kind, title, url,
//!   groups, years, snippet], ...])`.
//! - `g-<slug>.js`: one group: `letopisGroup(archive, slug, [doc numbers], [[n, row], ...])`, with
//!   the rows of the group's documents that sit scattered among the `d-<n>.js` files (learners,
//!   sorted by name, each in another file), so that a query for the group's code needs no
//!   `d-<n>.js` file for them. Shard entries of a word that belongs to one group's code only
//!   (`0501` of `ГР-0501`) name that group as a fifth element.
//! - `groups.js`: the group of every document, for the counts of the group filter
//!   ([`write_groups_of`]).
//! - `search.js`: the runtime ([`RUNTIME`]).
//!
//! Every call names its archive, so a medium's `index.html` can load the shards of several archives
//! (`<archive>/data/search/...`) at once.

use super::SearchError;
use super::docs::{Kind, SearchDoc};
use super::engine;
use crate::layout::slug::slug;
use rayon::prelude::*;
use serde::Serialize;
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The search runtime, written as `search/search.js`.
/// The engine ([`super::engine`]'s rules) and the page code, one classic script.
pub const RUNTIME: &str = concat!(include_str!("engine.js"), include_str!("search.js"));
/// Documents per `d-<n>.js` file.
pub const DOCS_PER_FILE: usize = 32;
/// A `d-<n>.js` file holding at least this many of a group's documents counts as one of the
/// group's own files; the rows of the group's other (scattered) documents are repeated in its
/// `g-<slug>.js`, so that a query for the group's code loads one file instead of one per record.
const GROUP_CLUSTER: usize = 3;
/// Groups whose files are made at once (the rows they repeat made again together).
const GROUPS_BATCH: usize = 256;
/// Documents whose words are listed at once while the word index is built.
const WORDS_CHUNK: usize = 4096;
/// Longest snippet kept for the browser, in characters.
const SNIPPET: usize = 120;
/// Longest snippet kept for a protocol (every learner's result, one segment each).
const PROTOCOL_SNIPPET: usize = 4000;

/// What the browser index knows of a word: whether it occurs in a title or a name, and its
/// postings in increasing doc order, each `doc number * 2 + in that doc's title or names` (one
/// `u32` a posting: a large period has tens of millions). Nearly every word of a large period
/// (a name, a file number: 808,000 of 823,000 at 80,000 learners) is in one or two documents:
/// their postings stay inside the entry, as the word does inside its key ([`Word`]), instead of
/// two small allocations a word.
type WordEntry = (bool, SmallVec<[u32; 4]>);

/// A word of the index: kept inline up to 24 bytes (nearly all words).
type Word = compact_str::CompactString;

/// The group of every document, for the counts of the group filter ([`write_groups_of`]).
pub const GROUPS_OF: &str = "groups.js";
/// Shards larger than this (bytes) are split by one more letter of their words.
const SHARD_MAX: usize = 24_000;

/// Base64 (standard alphabet, padded), for bitmaps of postings.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Postings of one word: delta-coded (`gap * 2 + in title or names`) when that is shorter,
/// otherwise a base64 bitmap over all documents (common words such as `группа`).
fn postings(docs: &[u32], total: usize) -> Result<(String, bool), SearchError> {
    let mut prev = 0u32;
    let deltas: Vec<u32> = docs
        .iter()
        .map(|&p| {
            let d = p >> 1;
            let delta = d - prev;
            prev = d;
            delta * 2 + (p & 1)
        })
        .collect();
    let list = json(&deltas)?;
    let bitmap_len = total.div_ceil(8).div_ceil(3) * 4 + 2;
    if list.len() <= bitmap_len {
        return Ok((list, false));
    }
    let mut bits = vec![0u8; total.div_ceil(8)];
    for &p in docs {
        let d = p >> 1;
        bits[d as usize / 8] |= 1 << (d % 8);
    }
    Ok((json(&base64(&bits))?, true))
}

fn js_call(func: &str, args: &[String]) -> String {
    format!("{func}({});\n", args.join(","))
}

fn json<T: Serialize>(v: &T) -> Result<String, SearchError> {
    serde_json::to_string(v).map_err(|e| SearchError::Index(e.to_string()))
}

fn cap(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// The files of `data/search/` as they are written, one after another (creating files in one
/// folder in parallel costs more system time on ext4, contention in inode allocation, than it
/// saves), so the index is never held in memory whole.
struct Files<'a> {
    dir: &'a Path,
    names: Vec<String>,
    /// The archive's name as a JSON string, the first argument of every call.
    archive: String,
}

impl Files<'_> {
    fn put(&mut self, name: String, body: &str) -> Result<(), SearchError> {
        let path = self.dir.join(&name);
        std::fs::write(&path, body).map_err(|e| SearchError::io(&path, e))?;
        self.names.push(name);
        Ok(())
    }
}

/// What the documents hold, gathered in one pass: every word, every group's documents, the code
/// of each group slug, every year.
#[derive(Default)]
struct Gathered {
    /// word → (in a title or name somewhere, its postings), in parts filled side by side, one
    /// per core (see [`part_of`]).
    words: Vec<HashMap<Word, WordEntry>>,
    groups: BTreeMap<String, BTreeSet<u32>>,
    /// group slug → its code, for the words that name one group only
    codes: BTreeMap<String, String>,
    years: BTreeSet<i32>,
}

/// Which part of [`Gathered::words`] holds the word. Any split gives the same files: the words
/// are sorted before they are written.
fn part_of(w: &str, parts: usize) -> usize {
    w.bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) as usize
        % parts
}

/// The browser index being built: documents are added in document order, a chunk at a time.
/// What is kept of them is their words' postings and their groups; their display rows are
/// written to the `d-<n>.js` files as each fills. The rows a group's `g-<slug>.js` repeats
/// (its documents that sit scattered among other files) are made again when it is written,
/// rather than kept: at 80,000 learners they were 180,000 rows, 57 MB.
pub struct Builder<'a> {
    files: Files<'a>,
    g: Gathered,
    /// Documents added so far.
    total: usize,
    /// Rows of the documents of the `d-<n>.js` file not yet full.
    pending: Vec<String>,
}

impl<'a> Builder<'a> {
    /// A browser index to be written into `dir` (the archive's `data/search/`, created).
    pub fn new(archive: &str, dir: &'a Path) -> Result<Builder<'a>, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        Ok(Builder {
            files: Files {
                dir,
                names: Vec::new(),
                archive: json(&archive)?,
            },
            g: Gathered {
                words: (0..rayon::current_num_threads().max(1))
                    .map(|_| HashMap::new())
                    .collect(),
                ..Gathered::default()
            },
            total: 0,
            pending: Vec::new(),
        })
    }

    /// Adds the next documents: their tokens and rows made on every core, merged in doc order so
    /// the postings come out sorted. Documents are numbered in the order they are added (the
    /// order of [`super::docs::Docs`], the tantivy index's order too, so equal scores rank alike
    /// on both sides).
    pub fn add(&mut self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let parts = self.g.words.len();
        // Per document: its words (with whether each is in its title or names, and the part of
        // the word index that holds it), its row.
        type Made = (Vec<(String, bool, usize)>, Result<String, SearchError>);
        let made: Vec<Made> = docs
            .par_iter()
            .map(|d| {
                let t = engine::doc_tokens(d);
                let words = t
                    .all
                    .into_iter()
                    .map(|w| {
                        let in_head = t.head.binary_search(&w).is_ok();
                        let part = part_of(&w, parts);
                        (w, in_head, part)
                    })
                    .collect();
                (words, display_row(d))
            })
            .collect();
        let first = self.total as u32;
        let words = std::mem::take(&mut self.g.words);
        // Each part of the word index on a core of its own; groups, years and rows beside them.
        let (words, ()) = rayon::join(
            move || {
                let mut words = words;
                words.par_iter_mut().enumerate().for_each(|(p, words)| {
                    for (n, (dw, _)) in (first..).zip(&made) {
                        for (w, in_head, _) in dw.iter().filter(|x| x.2 == p) {
                            let entry = match words.get_mut(w.as_str()) {
                                Some(e) => e,
                                None => words
                                    .entry(Word::from(w.as_str()))
                                    .or_insert((false, SmallVec::new())),
                            };
                            entry.0 |= in_head;
                            entry.1.push(n * 2 + u32::from(*in_head));
                        }
                    }
                });
                (words, made)
            },
            || add_groups(&mut self.g, first, docs),
        );
        let (words, made) = words;
        self.g.words = words;
        for (_, row) in made {
            self.pending.push(row?);
            self.total += 1;
            if self.pending.len() == DOCS_PER_FILE {
                self.write_docs()?;
            }
        }
        Ok(())
    }

    /// Writes the pending rows as the next `d-<n>.js` file.
    fn write_docs(&mut self) -> Result<(), SearchError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let first = self.total - self.pending.len();
        let n = first / DOCS_PER_FILE;
        let rows: Vec<&str> = self.pending.iter().map(String::as_str).collect();
        let body = js_call(
            "letopisDocs",
            &[
                self.files.archive.clone(),
                n.to_string(),
                format!("[\n{}\n]", rows.join(",\n")),
            ],
        );
        self.files.put(format!("d-{n}.js"), &body)?;
        self.pending.clear();
        Ok(())
    }

    /// Writes the rest of the browser index; returns every file written (names relative to its
    /// folder), sorted. `docs_of` makes the documents of the given numbers again (the ones the
    /// group files repeat), as they were added.
    pub fn finish(
        mut self,
        period: &str,
        title: &str,
        docs_of: &DocsOf,
    ) -> Result<Vec<String>, SearchError> {
        self.write_docs()?;
        write_rest(self.files, self.g, docs_of, self.total, period, title)
    }
}

/// Makes the documents of the given numbers again, in that order (see [`Builder::finish`]).
pub type DocsOf<'d> = dyn Fn(&[u32]) -> Vec<SearchDoc> + Sync + 'd;

/// Adds the groups and years of the documents numbered from `first`.
fn add_groups(g: &mut Gathered, first: u32, docs: &[SearchDoc]) {
    for (n, d) in (first..).zip(docs) {
        for code in &d.groups {
            let gs = slug(code);
            if !g.codes.contains_key(&gs) {
                g.codes.insert(gs.clone(), code.clone());
            }
            g.groups.entry(gs).or_default().insert(n);
        }
        g.years.extend(&d.years);
    }
}

/// Writes the browser index of `docs` into `dir` (the archive's `data/search/`); returns the files
/// written (names relative to `dir`), sorted.
pub fn write(
    docs: &[SearchDoc],
    period: &str,
    title: &str,
    archive: &str,
    dir: &Path,
) -> Result<Vec<String>, SearchError> {
    let mut b = Builder::new(archive, dir)?;
    for chunk in docs.chunks(WORDS_CHUNK) {
        b.add(chunk)?;
    }
    b.finish(period, title, &|ns: &[u32]| {
        ns.iter().map(|&n| docs[n as usize].clone()).collect()
    })
}

/// The word shards, the group files and `meta.js`, once every document has been added.
fn write_rest(
    mut files: Files,
    mut g: Gathered,
    docs_of: &DocsOf,
    total: usize,
    period: &str,
    title: &str,
) -> Result<Vec<String>, SearchError> {
    // Words of group codes that belong to one group only → that group's slug.
    let code_words: HashMap<String, String> =
        engine::group_code_words(g.codes.values().map(String::as_str))
            .into_iter()
            .map(|(w, code)| (w, slug(code)))
            .collect();
    // Every word of a group's code has an entry naming the group, even when no record holds
    // it (the whole query `гр0007` identifies the group as on the command line).
    let parts = g.words.len();
    for w in code_words.keys() {
        g.words[part_of(w, parts)]
            .entry(Word::from(w.as_str()))
            .or_insert((false, SmallVec::new()));
    }
    let (splits, short) = write_shards(&mut files, &g.words, &code_words, total)?;
    write_groups(&mut files, &g.groups, docs_of)?;
    write_groups_of(&mut files, &g.groups, total)?;

    #[derive(Serialize)]
    struct Meta<'a> {
        period: &'a str,
        /// The period's title (`2025 календарный год`), heading its results on a medium's index.
        title: &'a str,
        docs: usize,
        per: usize,
        years: Vec<i32>,
        /// Shard keys that were split by one more letter.
        splits: Vec<String>,
        /// The shard keys shorter than three letters (others of that length have no shard).
        short: Vec<String>,
    }
    let meta = Meta {
        period,
        title,
        docs: total,
        per: DOCS_PER_FILE,
        years: g.years.into_iter().rev().collect(),
        splits: splits.into_iter().collect(),
        short,
    };
    let body = js_call("letopisMeta", &[files.archive.clone(), json(&meta)?]);
    files.put("meta.js".into(), &body)?;
    files.put("search.js".into(), RUNTIME)?;
    files.names.sort();
    Ok(files.names)
}

/// Word shards (`s-<key>.js`): keyed by the first letters of the word, split while too large.
/// Returns the split keys and the keys shorter than three letters that have a shard (the
/// runtime asks for no other short key: a word typed half-way, `с`, would otherwise request a
/// file that does not exist).
fn write_shards(
    files: &mut Files,
    words: &[HashMap<Word, WordEntry>],
    code_words: &HashMap<String, String>,
    total: usize,
) -> Result<(BTreeSet<String>, Vec<String>), SearchError> {
    let mut sorted: Vec<(&Word, &WordEntry)> = words.iter().flatten().collect();
    // Words are unique: the order is the same however the sort runs.
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Each word's entry is made twice: once for its length, which decides the shards, and again
    // when its shard is written. Made once and kept, the entries of 800,000 words (80,000
    // learners) held 120 MB beside the word index; made twice, they cost a second or two.
    let entry = |&(w, (in_name, postings_of)): &(&Word, &WordEntry)| {
        let (list, bitmap) = postings(postings_of, total)?;
        // A bitmap has no title flags: those documents follow as postings of their own.
        let heads: Vec<u32> = if bitmap {
            postings_of
                .iter()
                .filter(|&&p| p & 1 == 1)
                .map(|&p| p & !1)
                .collect()
        } else {
            Vec::new()
        };
        let mut tail = match code_words.get(w.as_str()) {
            Some(g) => format!(",{}", json(g)?),
            None if !heads.is_empty() => ",0".to_string(),
            None => String::new(),
        };
        if !heads.is_empty() {
            tail.push(',');
            tail.push_str(&postings(&heads, total)?.0);
        }
        Ok::<_, SearchError>(format!(
            "[{},{},{list}{tail}]",
            json(&w.as_str())?,
            u8::from(*in_name)
        ))
    };
    // Each word's transliteration (its shard key's source) and the length of its entry.
    let sizes: Vec<(Box<str>, usize)> = sorted
        .par_iter()
        .map(|x| Ok((engine::translit(x.0).into_boxed_str(), entry(x)?.len())))
        .collect::<Result<_, SearchError>>()?;
    let mut splits: BTreeSet<String> = BTreeSet::new();
    let shards = loop {
        let mut shards: BTreeMap<String, (usize, Vec<u32>)> = BTreeMap::new();
        for (i, (t, len)) in sizes.iter().enumerate() {
            let shard = shards
                .entry(engine::key_of(t, &splits).to_string())
                .or_default();
            shard.0 += len + 2;
            shard.1.push(i as u32);
        }
        let mut more = false;
        for (key, (size, members)) in &shards {
            // Only a shard of two or more words is split: one word longer than a shard (a
            // 10 MB cell of one letter) would otherwise be split a letter at a time, for ever.
            if *size > SHARD_MAX
                && members.len() > 1
                && members
                    .iter()
                    .any(|&i| sizes[i as usize].0.len() > key.len())
            {
                more |= splits.insert(key.clone());
            }
        }
        if !more {
            break shards;
        }
    };
    drop(sizes);
    let short: Vec<String> = shards.keys().filter(|k| k.len() < 3).cloned().collect();
    // The shards' bodies are made on every core, a batch at a time, and written in order.
    let shards: Vec<(String, Vec<u32>)> = shards.into_iter().map(|(k, (_, m))| (k, m)).collect();
    let batch = 64 * rayon::current_num_threads().max(1);
    for batch in shards.chunks(batch) {
        let bodies: Vec<String> = batch
            .par_iter()
            .map(|(key, members)| {
                let list: Vec<String> = members
                    .iter()
                    .map(|&i| entry(&sorted[i as usize]))
                    .collect::<Result<_, _>>()?;
                Ok(js_call(
                    "letopisShard",
                    &[
                        files.archive.clone(),
                        json(key)?,
                        format!("[\n{}\n]", list.join(",\n")),
                    ],
                ))
            })
            .collect::<Result<_, SearchError>>()?;
        for ((key, _), body) in batch.iter().zip(bodies) {
            files.put(format!("s-{key}.js"), &body)?;
        }
    }
    Ok((splits, short))
}

/// A document's display row (JSON).
fn display_row(d: &SearchDoc) -> Result<String, SearchError> {
    let years: Vec<String> = d.years.iter().map(i32::to_string).collect();
    json(&(
        d.kind.code(),
        &d.title,
        &d.url,
        d.groups.join(", "),
        years.join(", "),
        // A protocol's snippet is about the searched person: the page picks the segment (one
        // learner's result) with the most matched words from all of them.
        if d.kind == Kind::Protocol {
            cap(&d.text, PROTOCOL_SNIPPET)
        } else {
            cap(&d.text, SNIPPET)
        },
    ))
}

/// Groups (`g-<slug>.js`): their documents, and the rows of those that sit scattered (fewer
/// than [`GROUP_CLUSTER`] of the group's documents in their `d-<n>.js` file), made again a batch
/// of groups at a time.
fn write_groups(
    files: &mut Files,
    groups: &BTreeMap<String, BTreeSet<u32>>,
    docs_of: &DocsOf,
) -> Result<(), SearchError> {
    let groups: Vec<(&String, &BTreeSet<u32>)> = groups.iter().collect();
    for batch in groups.chunks(GROUPS_BATCH) {
        // The scattered documents of the batch's groups, each group's in document order.
        let wanted: Vec<Vec<u32>> = batch
            .iter()
            .map(|(_, list)| {
                let mut per_file: HashMap<u32, usize> = HashMap::new();
                for &n in list.iter() {
                    *per_file.entry(n / DOCS_PER_FILE as u32).or_default() += 1;
                }
                list.iter()
                    .copied()
                    .filter(|&n| per_file[&(n / DOCS_PER_FILE as u32)] < GROUP_CLUSTER)
                    .collect()
            })
            .collect();
        let mut numbers: Vec<u32> = wanted.iter().flatten().copied().collect();
        numbers.sort_unstable();
        numbers.dedup();
        let rows: HashMap<u32, String> = numbers
            .iter()
            .copied()
            .zip(docs_of(&numbers).iter().map(display_row))
            .map(|(n, row)| row.map(|r| (n, r)))
            .collect::<Result<_, _>>()?;
        for ((g, list), wanted) in batch.iter().zip(&wanted) {
            let rows: Vec<String> = wanted
                .iter()
                .map(|n| format!("[{n},{}]", rows[n]))
                .collect();
            let body = js_call(
                "letopisGroup",
                &[
                    files.archive.clone(),
                    json(g)?,
                    json(list)?,
                    format!("[\n{}\n]", rows.join(",\n")),
                ],
            );
            files.put(format!("g-{g}.js"), &body)?;
        }
    }
    Ok(())
}

/// The group of every document, for the counts of the group filter (`groups.js`, loaded when
/// the filter is first used): `letopisGroupsOf(archive, [slugs], width, packed, [[doc, i, …]])`.
/// `packed` holds, per document, `width` base64 digits: 0 for no group, else 1 + the index in
/// `slugs` of its first group; documents of several groups list the others after it.
fn write_groups_of(
    files: &mut Files,
    groups: &BTreeMap<String, BTreeSet<u32>>,
    total: usize,
) -> Result<(), SearchError> {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut of: Vec<Vec<usize>> = vec![Vec::new(); total];
    for (i, members) in groups.values().enumerate() {
        for &n in members {
            of[n as usize].push(i + 1);
        }
    }
    let mut width = 1;
    while 64usize.pow(width) <= groups.len() {
        width += 1;
    }
    let mut packed = String::with_capacity(total * width as usize);
    let mut more: Vec<Vec<usize>> = Vec::new();
    for (n, gs) in of.iter().enumerate() {
        let first = gs.first().copied().unwrap_or(0);
        for k in (0..width).rev() {
            packed.push(DIGITS[(first >> (6 * k)) & 63] as char);
        }
        if gs.len() > 1 {
            more.push(std::iter::once(n).chain(gs[1..].iter().copied()).collect());
        }
    }
    let slugs: Vec<&String> = groups.keys().collect();
    let body = js_call(
        "letopisGroupsOf",
        &[
            files.archive.clone(),
            json(&slugs)?,
            width.to_string(),
            json(&packed)?,
            json(&more)?,
        ],
    );
    files.put(GROUPS_OF.into(), &body)
}
