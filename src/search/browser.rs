//! The browser index in `data/search/`: classic scripts loaded on demand by `search.js`, so search
//! works from `file://` (no fetch, no modules, no workers).
//!
//! - `meta.js`: `letopisMeta(archive, {period, docs, per, years})`.
//! - `s-<key>.js`: the words whose first three letters transliterate to `key` (see [`shard_key`]):
//!   `letopisShard(archive, key, [[word, stemLen, inName, [postings]], ...])`, a posting being
//!   `gap * 2 + inTitleOrNames` over the sorted doc numbers.
//! - `d-<n>.js`: documents `n*per .. (n+1)*per`: `letopisDocs(archive, n, [[kind, title, url,
//!   groups, years, snippet], ...])`.
//! - `g-<slug>.js`: the document numbers of one group: `letopisGroup(archive, slug, [...])`.
//! - `search.js`: the runtime ([`RUNTIME`]).
//!
//! Every call names its archive, so a medium's `index.html` can load the shards of several archives
//! (`<archive>/data/search/...`) at once.

use super::SearchError;
use super::docs::SearchDoc;
use super::text::{self, Stems};
use crate::model::slug;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The search runtime, written as `search/search.js`.
pub const RUNTIME: &str = include_str!("search.js");
/// Documents per `d-<n>.js` file.
pub const DOCS_PER_FILE: usize = 32;
/// Longest snippet kept for the browser, in characters.
const SNIPPET: usize = 300;

/// The key of the shard holding `word`: its first three letters, transliterated (`смирнова` →
/// `smi`). The runtime computes the same key with the same table.
pub fn shard_key(word: &str) -> String {
    let head: String = word.chars().take(3).collect();
    slug(&head)
}

fn js_call(func: &str, args: &[String]) -> String {
    format!("{func}({});\n", args.join(","))
}

fn json<T: Serialize>(v: &T) -> Result<String, SearchError> {
    serde_json::to_string(v).map_err(|e| SearchError::Index(e.to_string()))
}

fn short(s: &str) -> String {
    if s.chars().count() <= SNIPPET {
        return s.to_string();
    }
    let mut out: String = s.chars().take(SNIPPET).collect();
    out.push('…');
    out
}

/// Writes the browser index of `docs` into `dir` (the archive's `data/search/`); returns the files
/// written (names relative to `dir`), sorted.
pub fn write(
    docs: &[SearchDoc],
    period: &str,
    archive: &str,
    dir: &Path,
) -> Result<Vec<String>, SearchError> {
    std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
    // Documents clustered by kind then title, so that the people found by one surname sit in
    // one or two `d-<n>.js` files.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_cached_key(|&i| (docs[i].kind, text::words(&docs[i].title), i));
    let mut stems = Stems::new();
    // word → (stem length, in a name somewhere, doc number → in that doc's title or names)
    let mut words: BTreeMap<String, (usize, bool, BTreeMap<u32, bool>)> = BTreeMap::new();
    let mut groups: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut years: BTreeSet<i32> = BTreeSet::new();
    for (n, &i) in order.iter().enumerate() {
        let d = &docs[i];
        let n = n as u32;
        let names: BTreeSet<String> = d
            .names
            .iter()
            .chain(std::iter::once(&d.title))
            .flat_map(|s| text::words(s))
            .collect();
        let mut all: BTreeSet<String> = text::words(&d.all_text()).into_iter().collect();
        for c in &d.codes {
            all.extend(text::compact(c));
            all.extend(text::digits(c));
        }
        for w in all {
            let in_name = names.contains(&w);
            let entry = words
                .entry(w)
                .or_insert_with_key(|w| (stems.stem_len(w), false, BTreeMap::new()));
            entry.1 |= in_name;
            entry.2.insert(n, in_name);
        }
        for g in &d.groups {
            groups.entry(slug(g)).or_default().insert(n);
        }
        years.extend(&d.years);
    }
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let archive_js = json(&archive)?;

    // Word shards.
    let mut shards: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (w, (stem_len, in_name, docs)) in &words {
        let mut prev = 0u32;
        // Each posting: (gap from the previous doc number) * 2 + (1 when in the doc's title or
        // names), so a name match ranks above a mention in a text.
        let deltas: Vec<u32> = docs
            .iter()
            .map(|(&d, &head)| {
                let delta = d - prev;
                prev = d;
                delta * 2 + u32::from(head)
            })
            .collect();
        let entry = format!(
            "[{},{},{},{}]",
            json(w)?,
            stem_len,
            u8::from(*in_name),
            json(&deltas)?
        );
        shards.entry(shard_key(w)).or_default().push(entry);
    }
    for (key, entries) in shards {
        let body = js_call(
            "letopisShard",
            &[
                archive_js.clone(),
                json(&key)?,
                format!("[\n{}\n]", entries.join(",\n")),
            ],
        );
        files.insert(format!("s-{key}.js"), body);
    }

    // Documents.
    for (n, chunk) in order.chunks(DOCS_PER_FILE).enumerate() {
        let mut rows = Vec::new();
        for &i in chunk {
            let d = &docs[i];
            let years: Vec<String> = d.years.iter().map(i32::to_string).collect();
            let snippet = d.text.clone();
            rows.push(json(&(
                d.kind.code(),
                &d.title,
                &d.url,
                d.groups.join(", "),
                years.join(", "),
                short(&snippet),
            ))?);
        }
        let body = js_call(
            "letopisDocs",
            &[
                archive_js.clone(),
                n.to_string(),
                format!("[\n{}\n]", rows.join(",\n")),
            ],
        );
        files.insert(format!("d-{n}.js"), body);
    }

    // Groups.
    for (g, members) in &groups {
        let list: Vec<u32> = members.iter().copied().collect();
        let body = js_call(
            "letopisGroup",
            &[archive_js.clone(), json(g)?, json(&list)?],
        );
        files.insert(format!("g-{g}.js"), body);
    }

    #[derive(Serialize)]
    struct Meta<'a> {
        period: &'a str,
        docs: usize,
        per: usize,
        years: Vec<i32>,
    }
    let meta = Meta {
        period,
        docs: docs.len(),
        per: DOCS_PER_FILE,
        years: years.into_iter().rev().collect(),
    };
    files.insert(
        "meta.js".into(),
        js_call("letopisMeta", &[archive_js.clone(), json(&meta)?]),
    );
    files.insert("search.js".into(), RUNTIME.to_string());

    for (name, body) in &files {
        let path = dir.join(name);
        std::fs::write(&path, body).map_err(|e| SearchError::io(&path, e))?;
    }
    Ok(files.into_keys().collect())
}
