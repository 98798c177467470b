//! The matching and ranking rules of search, defined once. The command line applies them to the
//! tantivy index ([`super::query`]); the browser applies them in `engine.js`, which repeats every
//! function here under the same name. `tests/fixtures/search_vectors.json` holds queries with the
//! order of results they must give; both sides are tested against it (`tests/search_engine.rs`).
//!
//! - A query is split into words ([`super::text::words`]); initials next to a surname
//!   (`Белоусова А. А.`, `Белоусова А.А.`, `А. А. Белоусова`) become one token `белоусова:аа`,
//!   which the index holds for every person's name ([`name_tokens`]).
//! - A query word finds an indexed word ([`score`]): the same word; another form of it (both are
//!   one base of at least three letters plus a case ending of [`ENDINGS`], so `Смирновой` finds
//!   `Смирнова` and `Смирнов`, but `Петрова` does not find `Пётр`); a word it begins (as you type,
//!   three letters or more); for a name, one wrong, missing, extra or swapped letter. Numbers and
//!   codes only as they are; a name with a typo only when nothing better is found. Candidates
//!   are the words of the query word's browser shard ([`key`]).
//! - A document is found when every query token finds one of its words; its score is the sum of
//!   each token's best word score, plus [`HEAD`] when that word is in its title or names.
//! - The whole query joined (`ЛД-2025-019` → `лд2025019`, any spelling of a SNILS) that is the
//!   identifier of a record puts that record first ([`IDENTITY`]), found or not by the words.
//! - The whole query that is the code of one group (or the part of it that only that group's code
//!   has) puts that group's records next ([`MEMBER`]), in document order: the group's learners by
//!   name, then its other records.
//! - Equal scores keep document order (kind, then who the record is about).

use super::docs::SearchDoc;
use super::text::{self, is_letter};
use crate::layout::slug::slug;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Words shorter than this (in letters) are matched exactly, never by prefix or by form.
pub const MIN_PREFIX: usize = 3;
/// Case endings of Russian nouns, adjectives and surnames, longest first.
pub const ENDINGS: [&str; 45] = [
    "ами", "ями", "ыми", "ими", "ого", "его", "ому", "ему", "ом", "ем", "ой", "ей", "ою", "ею",
    "ам", "ям", "ах", "ях", "ым", "им", "ых", "их", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие",
    "ий", "ый", "ия", "ию", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
];
/// Endings of the genitive plural (`документов`), only for words that are nobody's name: as a
/// name ending they would make `Петров` a form of `Пётр`.
pub const NOUN_ENDINGS: [&str; 2] = ["ов", "ев"];

/// Score of a query word equal to the indexed word.
pub const EXACT: u32 = 40;
/// Score of another form of the word (plus 4 for its nominative, else up to 3, the closer in
/// length the higher).
pub const FORM: u32 = 30;
/// Score of a word the query word begins.
pub const PREFIX: u32 = 20;
/// Score of a name with one letter wrong.
pub const TYPO: u32 = 10;
/// Added when the word is in the document's title or names.
pub const HEAD: u32 = 10;
/// Score of a record of the group whose code the query is.
pub const MEMBER: u32 = 10_000;
/// Added to the record the query identifies.
pub const IDENTITY: u32 = 100_000;

/// Whether `w` is all letters (no digits, no token marks).
pub fn letters(w: &str) -> bool {
    !w.is_empty() && w.chars().all(is_letter)
}

fn is_ending(e: &str, in_name: bool) -> bool {
    e.is_empty() || ENDINGS.contains(&e) || (!in_name && NOUN_ENDINGS.contains(&e))
}

/// Pairs of (query ending, indexed ending) where the indexed word is the nominative of the
/// query's form: `Смирновой` → `Смирнова`, `Смирновым` → `Смирнов`. Such a form scores highest.
pub const NOMINATIVE: [(&str, &str); 12] = [
    ("ой", "а"),
    ("ою", "а"),
    ("ей", "я"),
    ("ым", ""),
    ("им", ""),
    ("ом", ""),
    ("ем", ""),
    ("ого", ""),
    ("ому", ""),
    ("ым", "ий"),
    ("ому", "ий"),
    ("ы", "а"),
];
/// [`NOMINATIVE`] pairs that hold for names only: a surname's `-е` is the masculine's
/// prepositional (`Кузнецове` → `Кузнецов`, not `Кузнецова`, whose forms end in `-ой`, `-у`).
pub const NAME_NOMINATIVE: [(&str, &str); 1] = [("е", "")];
/// Words that name an identifier rather than being part of it (`СНИЛС 123-456-789 01`): left
/// out of the whole query that is looked up as an identifier.
pub const LABELS: [&str; 3] = ["снилс", "рег", "номер"];

/// Whether `q` and `w` are forms of one word: one base of at least [`MIN_PREFIX`] letters plus an
/// ending each (`in_name`: `w` is in somebody's name, so no genitive plural). The endings of the
/// longest such base.
pub fn forms<'a>(q: &'a str, w: &'a str, in_name: bool) -> Option<(String, &'a str)> {
    let qc: Vec<char> = q.chars().collect();
    let from = qc.len().saturating_sub(3).max(MIN_PREFIX);
    for cut in (from..=qc.len()).rev() {
        let e1: String = qc[cut..].iter().collect();
        if !is_ending(&e1, in_name) {
            continue;
        }
        let base: String = qc[..cut].iter().collect();
        if let Some(e2) = w.strip_prefix(base.as_str())
            && is_ending(e2, in_name)
        {
            return Some((e1, e2));
        }
    }
    None
}

/// Edit distance (with transpositions) at most 1.
pub fn lev1(a: &str, b: &str) -> bool {
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

/// A name token `surname:initials` split in two.
fn initials(t: &str) -> Option<(&str, &str)> {
    t.split_once(':')
}

/// How well query token `q` finds indexed word `w` (`in_name`: `w` is in a title or a name
/// somewhere in the archive); 0: not at all.
pub fn score(q: &str, w: &str, in_name: bool) -> u32 {
    if q == w {
        return EXACT;
    }
    match (initials(q), initials(w)) {
        (Some((qs, qi)), Some((ws, wi))) => {
            return if qi == wi { score(qs, ws, true) } else { 0 };
        }
        (None, None) => {}
        _ => return 0,
    }
    if !letters(q) || w.starts_with('=') {
        return 0;
    }
    let (ql, wl) = (q.chars().count(), w.chars().count());
    if letters(w)
        && let Some((e1, e2)) = forms(q, w, in_name)
    {
        // The nominative of the form first, then the closer in length.
        let pair = (e1.as_str(), e2);
        return if NOMINATIVE.contains(&pair) || (in_name && NAME_NOMINATIVE.contains(&pair)) {
            FORM + 4
        } else {
            FORM + 3 - (ql.abs_diff(wl).min(3) as u32)
        };
    }
    if ql >= MIN_PREFIX && w.starts_with(q) {
        return PREFIX;
    }
    if in_name && letters(w) && ql >= 4 && lev1(q, w) {
        return TYPO;
    }
    0
}

/// A query token's matching words (word, score): names with one letter wrong count only when
/// nothing better is found (`Петрова` must not find every `Петровна`; `Смирнва` finds
/// `Смирнова`).
pub fn no_typos_beside_better<W>(found: &mut Vec<(W, u32)>) {
    if found.iter().any(|(_, s)| *s > TYPO) {
        found.retain(|(_, s)| *s > TYPO);
    }
}

/// A parsed query: its tokens (unique, in order) and the whole query joined, which may be an
/// identifier or a group code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub tokens: Vec<String>,
    pub whole: String,
    /// The whole query without a year at its start or end (`ГР-0501 2025` → `гр0501`), looked
    /// up as a group's code (then the group's own page is what the query identifies).
    pub group: String,
}

/// Whether a word is a year (`2025`): four digits from 1900 to 2099.
pub fn is_year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.bytes().all(|b| b.is_ascii_digit())
}

/// Splits a query into tokens, joining initials to the surname beside them.
pub fn parse(query: &str) -> Query {
    let ws = text::words(query);
    let named: Vec<&str> = ws
        .iter()
        .map(String::as_str)
        .filter(|w| !LABELS.contains(w))
        .collect();
    // Identifiers and codes of several words have digits (`лд 2025 019`, `пп бу 25 1`); the
    // browser asks for the whole query's shard only then (or for one word, its token's own),
    // so that `П. Ф. Яковлев` does not request a shard `пфяковлев` that does not exist.
    let whole = if ws.len() > 1 && !ws.iter().any(|w| w.bytes().any(|b| b.is_ascii_digit())) {
        String::new()
    } else if named.is_empty() {
        ws.concat()
    } else {
        named.concat()
    };
    let group = match ws.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && is_year(first) => rest.concat(),
        [rest @ .., last] if !rest.is_empty() && is_year(last) => rest.concat(),
        _ => whole.clone(),
    };
    let single = |w: &String| w.chars().count() == 1 && letters(w);
    let surname = |w: Option<&String>| w.is_some_and(|w| w.chars().count() >= 2 && letters(w));
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    let mut used = vec![false; ws.len()];
    // Runs of one or two single letters beside a surname (after it first, then before it).
    while i < ws.len() {
        if single(&ws[i]) && !used[i] {
            let mut end = i + 1;
            while end < ws.len() && single(&ws[end]) {
                end += 1;
            }
            if end - i <= 2 {
                let run: String = ws[i..end].concat();
                let at = if i > 0 && !used[i - 1] && surname(ws.get(i - 1)) {
                    Some(i - 1)
                } else if surname(ws.get(end)) {
                    Some(end)
                } else {
                    None
                };
                if let Some(s) = at {
                    used[s] = true;
                    used[i..end].iter_mut().for_each(|u| *u = true);
                    tokens.push(format!("{}:{run}", ws[s]));
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut next_token = tokens.into_iter();
    for (k, w) in ws.iter().enumerate() {
        if !used[k] {
            out.push(w.clone());
        } else if surname(Some(w)) {
            out.extend(next_token.next());
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|t| seen.insert(t.clone()));
    Query {
        tokens: out,
        whole,
        group,
    }
}

/// Name tokens of a person's name (`Белоусова Анна Андреевна`, `Белоусова А. А.`,
/// `А. А. Белоусова`): `белоусова:а` and `белоусова:аа`.
pub fn name_tokens(name: &str) -> Vec<String> {
    let ws = text::words(name);
    if ws.len() < 2 {
        return Vec::new();
    }
    let long = |w: &String| w.chars().count() >= 2 && letters(w);
    let (surname, rest): (&String, Vec<&String>) = if long(&ws[0]) {
        (&ws[0], ws[1..].iter().take(2).collect())
    } else if long(&ws[ws.len() - 1]) {
        (
            &ws[ws.len() - 1],
            ws[..ws.len() - 1].iter().take(2).collect(),
        )
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut run = String::new();
    for w in rest {
        match w.chars().next() {
            Some(c) if is_letter(c) => run.push(c),
            _ => break,
        }
        out.push(format!("{surname}:{run}"));
    }
    out
}

/// The identifier token of an identifier (`ЛД-2025-019` → `=лд2025019`).
pub fn id_token(id: &str) -> String {
    format!("={}", text::words(id).concat())
}

/// The token of a year a record is of (`~2025`): the browser's year filter and counts.
pub fn year_token(year: i32) -> String {
    format!("~{year}")
}

/// The words a group's code is found by (its words, joined, digits only).
pub fn group_words(code: &str) -> Vec<String> {
    let mut ws = text::words(code);
    ws.extend(text::compact(code));
    ws.extend(text::digits(code));
    ws.sort_unstable();
    ws.dedup();
    ws
}

/// Word → the one group whose code it belongs to (words shared by several groups' codes are
/// left out).
pub fn group_code_words<'a>(codes: impl IntoIterator<Item = &'a str>) -> HashMap<String, &'a str> {
    let mut map: HashMap<String, Option<&str>> = HashMap::new();
    for code in codes {
        for w in group_words(code) {
            map.entry(w)
                .and_modify(|g| {
                    if *g != Some(code) {
                        *g = None
                    }
                })
                .or_insert(Some(code));
        }
    }
    map.into_iter()
        .filter_map(|(w, g)| g.map(|g| (w, g)))
        .collect()
}

/// The tokens a document is found by (`all`) and those of its title and names (`head`), sorted.
pub struct DocTokens {
    pub all: Vec<String>,
    pub head: Vec<String>,
}

pub fn doc_tokens(d: &SearchDoc) -> DocTokens {
    let mut head: Vec<String> = text::words(&d.title);
    for n in &d.names {
        head.extend(text::words(n));
        head.extend(name_tokens(n));
    }
    // The years the record is of, as words too: `Петров 2024` is the Петров of 2024; and the
    // codes of its groups: `Волков ПП-БУ-25-1` is the Волков of that group (before a protocol
    // of the group that names him, whose own code `ИА-БУ-25-1` shares words with the group's).
    head.extend(d.years.iter().map(i32::to_string));
    for g in &d.groups {
        head.extend(group_words(g));
    }
    head.sort_unstable();
    head.dedup();
    // A learner's text repeats most of its words (every grade line names its item and control):
    // they are made unique before they are sorted, not sorted with their repeats.
    let mut all: foldhash::HashSet<String> = text::words(&d.all_text()).into_iter().collect();
    for c in &d.codes {
        all.extend(text::compact(c));
        all.extend(text::digits(c));
    }
    all.extend(head.iter().cloned());
    all.extend(d.ids.iter().map(|i| id_token(i)));
    all.extend(d.years.iter().map(|&y| year_token(y)));
    let mut all: Vec<String> = all.into_iter().collect();
    all.sort_unstable();
    DocTokens { all, head }
}

/// What a word's shard key is cut from: a name token's surname, a word without its case ending
/// (so that the forms of a surname share a shard), other tokens as they are.
pub fn source(w: &str) -> &str {
    if let Some((s, _)) = initials(w) {
        return source(s);
    }
    if !letters(w) {
        return w;
    }
    let n = w.chars().count();
    for e in ENDINGS {
        if let Some(base) = w.strip_suffix(e)
            && n - e.chars().count() >= MIN_PREFIX
        {
            return base;
        }
    }
    w
}

/// The transliterated [`source`] of a word, that shard keys are prefixes of; year tokens
/// (`~2025` → `yr2025`) have shards of their own.
pub fn translit(w: &str) -> String {
    match w.strip_prefix('~') {
        Some(year) => format!("yr{}", slug(year)),
        None => slug(source(w)),
    }
}

/// The key of the shard holding `word`: the first three letters of its [`translit`], one more
/// letter while the shard of the shorter key was split (`splits`).
pub fn key(word: &str, splits: &BTreeSet<String>) -> String {
    key_of(&translit(word), splits).to_string()
}

pub fn key_of<'a>(t: &'a str, splits: &BTreeSet<String>) -> &'a str {
    // `t` is ASCII (a slug), so byte offsets are letters.
    let mut n = t.len().min(3);
    while splits.contains(&t[..n]) && t.len() > n {
        n += 1;
    }
    &t[..n]
}

/// Ranks documents: `tokens` holds each query token's best score per document (0 tokens: none
/// found by words), `identity` the documents the whole query identifies, `members` the records
/// of the group the query names; `keep` applies the filters. Best first, equal scores in
/// document order.
pub fn rank(
    tokens: &[BTreeMap<u32, u32>],
    identity: &[u32],
    members: Option<&[u32]>,
    keep: impl Fn(u32) -> bool,
) -> Vec<(u32, u32)> {
    let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
    if let Some((first, rest)) = tokens.split_first() {
        'docs: for (&doc, &s) in first {
            let mut sum = s;
            for t in rest {
                match t.get(&doc) {
                    Some(&s) => sum += s,
                    None => continue 'docs,
                }
            }
            scores.insert(doc, sum);
        }
    }
    for &doc in members.unwrap_or(&[]) {
        scores.insert(doc, MEMBER);
    }
    for &doc in identity {
        *scores.entry(doc).or_default() += IDENTITY;
    }
    let mut out: Vec<(u32, u32)> = scores.into_iter().filter(|&(d, _)| keep(d)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_surnames_but_not_of_other_names() {
        for q in ["смирнов", "смирнова", "смирнову", "смирновым", "смирновой"]
        {
            for w in ["смирнов", "смирнова"] {
                assert!(score(q, w, true) >= FORM, "{q} → {w}");
            }
        }
        assert_eq!(score("петрова", "петр", true), 0);
        // A typo only when nothing better is found ([`no_typos_beside_better`]).
        assert_eq!(score("петрова", "петровна", true), TYPO);
        let mut c = vec![("петровна", TYPO), ("петрова", EXACT)];
        no_typos_beside_better(&mut c);
        assert_eq!(c, [("петрова", EXACT)]);
        assert_eq!(score("смирновский", "смирнов", true), 0);
        assert!(score("безопасности", "безопасность", false) >= FORM);
        assert!(score("документов", "документ", false) >= FORM);
        assert_eq!(score("петров", "петр", true), 0);
        assert!(score("кузнецове", "кузнецов", true) > score("кузнецове", "кузнецова", true));
        assert_eq!(score("пет", "петрова", true), PREFIX);
        assert_eq!(score("смирнва", "смирнова", true), TYPO);
        assert_eq!(score("0501", "05012", false), 0);
        assert!(score("белоусовой:аа", "белоусова:аа", true) >= FORM);
        assert_eq!(score("белоусова:ав", "белоусова:аа", true), 0);
        assert_eq!(score("белоусова", "белоусова:аа", true), 0);
    }

    #[test]
    fn initials_join_the_surname() {
        for q in [
            "Белоусова А. А.",
            "Белоусова А.А.",
            "А. А. Белоусова",
            "а.а.белоусова",
        ] {
            assert_eq!(parse(q).tokens, ["белоусова:аа"], "{q}");
        }
        assert_eq!(parse("Новиков В.").tokens, ["новиков:в"]);
        assert_eq!(parse("Новиков В. В. ПК").tokens, ["новиков:вв", "пк"]);
        assert_eq!(parse("ЛД-2025-019").whole, "лд2025019");
        assert_eq!(parse("СНИЛС 241-532-728 42").whole, "24153272842");
        assert_eq!(parse("снилс").whole, "снилс");
        assert_eq!(parse("П. Ф. Яковлев").whole, "");
        assert_eq!(parse("ГР-0501 2025").group, "гр0501");
        assert_eq!(parse("2025 ПП-БУ-25-1").group, "ппбу251");
        assert_eq!(parse("ПК-25/001").group, "пк25001");
        assert_eq!(parse("ГР0501 2025").group, "гр0501");
        assert_eq!(parse("2025").group, "2025");
        assert_eq!(parse("а б в г").tokens, ["а", "б", "в", "г"]);
        assert_eq!(
            name_tokens("Белоусова Анна Андреевна"),
            ["белоусова:а", "белоусова:аа"]
        );
        assert_eq!(
            name_tokens("А. А. Белоусова"),
            ["белоусова:а", "белоусова:аа"]
        );
        assert_eq!(name_tokens("Белоусова"), Vec::<String>::new());
    }

    #[test]
    fn shard_sources_keep_the_forms_of_a_name_together() {
        for w in [
            "смирнов",
            "смирнова",
            "смирновой",
            "смирновым",
            "смирнов:аа",
        ] {
            assert_eq!(source(w), "смирнов", "{w}");
        }
        assert_eq!(translit("=лд2025019"), "ld2025019");
        assert_eq!(translit(&year_token(2025)), "yr2025");
        let splits: BTreeSet<String> = ["smi", "smir"].map(String::from).into();
        assert_eq!(key("смирновой", &splits), "smirn");
    }

    #[test]
    fn identity_then_members_then_words() {
        let t: BTreeMap<u32, u32> = [(0, 40), (1, 50), (5, 40)].into();
        let r = rank(&[t], &[7], Some(&[5, 3]), |_| true);
        assert_eq!(
            r,
            [(7, IDENTITY), (3, MEMBER), (5, MEMBER), (1, 50), (0, 40)]
        );
    }
}
