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
/// Documents whose words are listed at once while the word index is built.
const WORDS_CHUNK: usize = 4096;
/// Longest snippet kept for the browser, in characters.
const SNIPPET: usize = 120;
/// Longest snippet kept for a protocol (every learner's result, one segment each).
const PROTOCOL_SNIPPET: usize = 4000;

/// What the browser index knows of a word: whether it occurs in a title or a name, and its
/// postings (doc number, in that doc's title or names), in increasing doc order.
type WordEntry = (bool, Vec<(u32, bool)>);

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
fn postings(docs: &[(u32, bool)], total: usize) -> Result<(String, bool), SearchError> {
    let mut prev = 0u32;
    let deltas: Vec<u32> = docs
        .iter()
        .map(|&(d, head)| {
            let delta = d - prev;
            prev = d;
            delta * 2 + u32::from(head)
        })
        .collect();
    let list = json(&deltas)?;
    let bitmap_len = total.div_ceil(8).div_ceil(3) * 4 + 2;
    if list.len() <= bitmap_len {
        return Ok((list, false));
    }
    let mut bits = vec![0u8; total.div_ceil(8)];
    for &(d, _) in docs {
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
struct Gathered {
    /// word → (in a title or name somewhere, (doc number, in that doc's title or names) in
    /// increasing doc order), in parts filled side by side (see [`part_of`]).
    words: Vec<HashMap<String, WordEntry>>,
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

/// The tokens of each document, on every core, a chunk of documents at a time to bound memory;
/// merged in doc order, so the postings come out sorted: each part of the words on a core of its
/// own, the groups and years beside them. Documents are numbered in the order
/// [`super::docs::collect`] gives them (kind, then who the record is about), the tantivy
/// index's order too, so equal scores rank alike on both sides.
fn gather(docs: &[SearchDoc]) -> Gathered {
    let parts = rayon::current_num_threads().max(1);
    let mut g = Gathered {
        words: (0..parts).map(|_| HashMap::new()).collect(),
        groups: BTreeMap::new(),
        codes: BTreeMap::new(),
        years: BTreeSet::new(),
    };
    for (c, chunk) in docs.chunks(WORDS_CHUNK).enumerate() {
        let doc_words: Vec<Vec<(String, bool, usize)>> = chunk
            .par_iter()
            .map(|d| {
                let t = engine::doc_tokens(d);
                t.all
                    .into_iter()
                    .map(|w| {
                        let in_head = t.head.binary_search(&w).is_ok();
                        let part = part_of(&w, parts);
                        (w, in_head, part)
                    })
                    .collect()
            })
            .collect();
        let first = (c * WORDS_CHUNK) as u32;
        let Gathered {
            words,
            groups,
            codes,
            years,
        } = &mut g;
        rayon::join(
            || {
                words.par_iter_mut().enumerate().for_each(|(p, words)| {
                    for (n, dw) in (first..).zip(&doc_words) {
                        for (w, in_head, _) in dw.iter().filter(|x| x.2 == p) {
                            let entry = match words.get_mut(w.as_str()) {
                                Some(e) => e,
                                None => words.entry(w.clone()).or_insert((false, Vec::new())),
                            };
                            entry.0 |= in_head;
                            entry.1.push((n, *in_head));
                        }
                    }
                })
            },
            || {
                for (n, d) in (first..).zip(chunk) {
                    for code in &d.groups {
                        let gs = slug(code);
                        if !codes.contains_key(&gs) {
                            codes.insert(gs.clone(), code.clone());
                        }
                        groups.entry(gs).or_default().insert(n);
                    }
                    years.extend(&d.years);
                }
            },
        );
    }
    g
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
    std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
    let mut g = gather(docs);
    let mut files = Files {
        dir,
        names: Vec::new(),
        archive: json(&archive)?,
    };
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
            .entry(w.clone())
            .or_insert((false, Vec::new()));
    }
    let (splits, short) = write_shards(&mut files, &g.words, &code_words, docs.len())?;
    let rows = display_rows(docs)?;
    write_docs(&mut files, &rows)?;
    write_groups(&mut files, &g.groups, &rows)?;
    write_groups_of(&mut files, &g.groups, docs.len())?;

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
        docs: docs.len(),
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
    words: &[HashMap<String, WordEntry>],
    code_words: &HashMap<String, String>,
    total: usize,
) -> Result<(BTreeSet<String>, Vec<String>), SearchError> {
    let mut sorted: Vec<(&String, &WordEntry)> = words.iter().flatten().collect();
    // Words are unique: the order is the same however the sort runs.
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    // Each word's entry on every core, collected in word order.
    let entry = |(w, (in_name, postings_of)): (&String, &WordEntry)| {
        let (list, bitmap) = postings(postings_of, total)?;
        // A bitmap has no title flags: those documents follow as postings of their own.
        let heads: Vec<(u32, bool)> = if bitmap {
            postings_of
                .iter()
                .filter(|p| p.1)
                .map(|&(d, _)| (d, false))
                .collect()
        } else {
            Vec::new()
        };
        let mut tail = match code_words.get(w) {
            Some(g) => format!(",{}", json(g)?),
            None if !heads.is_empty() => ",0".to_string(),
            None => String::new(),
        };
        if !heads.is_empty() {
            tail.push(',');
            tail.push_str(&postings(&heads, total)?.0);
        }
        let entry = format!("[{},{},{list}{tail}]", json(w)?, u8::from(*in_name));
        Ok::<_, SearchError>((engine::translit(w), entry))
    };
    let entries: Vec<(String, String)> = sorted
        .into_par_iter()
        .map(entry)
        .collect::<Result<_, _>>()?;
    let mut splits: BTreeSet<String> = BTreeSet::new();
    let shards = loop {
        let mut shards: BTreeMap<String, (usize, Vec<usize>)> = BTreeMap::new();
        for (i, (t, e)) in entries.iter().enumerate() {
            let shard = shards
                .entry(engine::key_of(t, &splits).to_string())
                .or_default();
            shard.0 += e.len() + 2;
            shard.1.push(i);
        }
        let mut more = false;
        for (key, (size, members)) in &shards {
            // Only a shard of two or more words is split: one word longer than a shard (a
            // 10 MB cell of one letter) would otherwise be split a letter at a time, for ever.
            if *size > SHARD_MAX
                && members.len() > 1
                && members.iter().any(|&i| entries[i].0.len() > key.len())
            {
                more |= splits.insert(key.clone());
            }
        }
        if !more {
            break shards;
        }
    };
    let short: Vec<String> = shards.keys().filter(|k| k.len() < 3).cloned().collect();
    for (key, (_, members)) in shards {
        let list: Vec<&str> = members.iter().map(|&i| entries[i].1.as_str()).collect();
        let body = js_call(
            "letopisShard",
            &[
                files.archive.clone(),
                json(&key)?,
                format!("[\n{}\n]", list.join(",\n")),
            ],
        );
        files.put(format!("s-{key}.js"), &body)?;
    }
    Ok((splits, short))
}

/// Every document's display row (JSON), in doc-number order.
fn display_rows(docs: &[SearchDoc]) -> Result<Vec<String>, SearchError> {
    docs.par_iter()
        .map(|d| {
            let years: Vec<String> = d.years.iter().map(i32::to_string).collect();
            json(&(
                d.kind.code(),
                &d.title,
                &d.url,
                d.groups.join(", "),
                years.join(", "),
                // A protocol's snippet is about the searched person: the page picks the
                // segment (one learner's result) with the most matched words from all of them.
                if d.kind == Kind::Protocol {
                    cap(&d.text, PROTOCOL_SNIPPET)
                } else {
                    cap(&d.text, SNIPPET)
                },
            ))
        })
        .collect()
}

/// Documents (`d-<n>.js`): [`DOCS_PER_FILE`] display rows each.
fn write_docs(files: &mut Files, rows: &[String]) -> Result<(), SearchError> {
    for (n, chunk) in rows.chunks(DOCS_PER_FILE).enumerate() {
        let body = js_call(
            "letopisDocs",
            &[
                files.archive.clone(),
                n.to_string(),
                format!("[\n{}\n]", chunk.join(",\n")),
            ],
        );
        files.put(format!("d-{n}.js"), &body)?;
    }
    Ok(())
}

/// Groups (`g-<slug>.js`): their documents, and the rows of those that sit scattered.
fn write_groups(
    files: &mut Files,
    groups: &BTreeMap<String, BTreeSet<u32>>,
    rows: &[String],
) -> Result<(), SearchError> {
    for (g, members) in groups {
        let list: Vec<u32> = members.iter().copied().collect();
        let mut per_file: HashMap<u32, usize> = HashMap::new();
        for &n in &list {
            *per_file.entry(n / DOCS_PER_FILE as u32).or_default() += 1;
        }
        let scattered: Vec<String> = list
            .iter()
            .filter(|&&n| per_file[&(n / DOCS_PER_FILE as u32)] < GROUP_CLUSTER)
            .map(|&n| format!("[{n},{}]", rows[n as usize]))
            .collect();
        let body = js_call(
            "letopisGroup",
            &[
                files.archive.clone(),
                json(g)?,
                json(&list)?,
                format!("[\n{}\n]", scattered.join(",\n")),
            ],
        );
        files.put(format!("g-{g}.js"), &body)?;
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
