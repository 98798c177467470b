//! Issue 15's acceptance: several hundred queries of every kind staff type, made from the records
//! of two archives (the bundled sample, and a small period of `examples/gen_period.rs`), each with
//! the record that must come first. The command line (the tantivy side, in process) must put it
//! first for every query; the browser engine (`engine.js` under `node --test`, on the archive's
//! own browser index) must put it first too and give the same first ten results in the same
//! order. A part of the sample's queries also goes through the real search page in Chromium.
//!
//! The queries come from `data/records/` (learners, groups, issued documents), so the expected
//! record is known from the data, not from either engine: a person by full name (any case, `ё`
//! written `е`, decomposed Unicode, name first, in the genitive and the dative), by surname in every case form, by initials in
//! the three ways they are written (also after a surname in an oblique case), with a year, with
//! one letter swapped; a SNILS in every spelling; a personal file number, a registration number,
//! a series and number, a certificate number, a group code, each as written, in lower case,
//! without separators and with spaces; a surname with a group code, a group code with its year.
//! A query is kept only when the data make its record the
//! one meant: a surname several learners could be is left out, and a nominative beats an oblique
//! case (`Кузнецова` is Кузнецова, not the genitive of Кузнецов). A surname several learners
//! share is checked apart: those learners first, then only learners with a word of its base
//! (`Петрова` brings Петров and Петровна, never Пётр).

use clap::Parser;
use letopis::layout::paths;
use letopis::search::query::{Filters, Searcher};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

mod common;
#[path = "../examples/gen_period.rs"]
#[allow(dead_code)]
mod gen_period;
use common::{chromium, cli, sample};

const TOP: usize = 10;

/// One query and the page of the record that must come first.
#[derive(Debug, Clone)]
struct Case {
    kind: &'static str,
    query: String,
    first: String,
}

/// The rows of one table of `data/records/`, by column name.
fn table(data: &Path, name: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(data.join("records").join(name)).expect(name);
    let headers = r.headers().expect("headers").clone();
    r.records()
        .map(|row| {
            let row = row.expect("row");
            headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Lower case, `ё` as `е`: how two spellings of a name are compared.
fn norm(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// A surname in every case form (nominative first), as Russian declines it by sex: `-ов`, `-ин`
/// (`Петрова`, `Петрову`, `Петровым`, `Петрове`; `Петровой`, `Петрову`), `-ий`/`-ая`, other
/// consonants for men; `-о`, `-их`/`-ых` and a woman's consonant not at all.
fn surname_forms(s: &str, female: bool) -> Vec<String> {
    let s = norm(s);
    let mut out = vec![s.clone()];
    let ends = |e: &[&str]| e.iter().any(|e| s.ends_with(e));
    let stem = |n: usize| s.chars().take(s.chars().count() - n).collect::<String>();
    let add = |out: &mut Vec<String>, base: &str, endings: &[&str]| {
        out.extend(endings.iter().map(|e| format!("{base}{e}")));
    };
    if female {
        if ends(&["ова", "ева", "ина", "ына"]) {
            add(&mut out, &stem(1), &["ой", "у"]);
        } else if ends(&["ая"]) {
            add(&mut out, &stem(2), &["ой", "ую"]);
        }
    } else if ends(&["ов", "ев", "ин", "ын"]) {
        add(&mut out, &s, &["а", "у", "ым", "е"]);
    } else if ends(&["ий", "ый"]) {
        add(&mut out, &stem(2), &["ого", "ому", "им", "ом"]);
    } else if !ends(&["о", "их", "ых", "а", "я", "е", "и", "у", "ю", "ь", "й"]) {
        add(&mut out, &s, &["а", "у", "ом", "е"]);
    }
    out
}

/// The genitive and the dative of a first name, patronymic or surname (`Анна` → `Анны`, `Анне`;
/// `Андреевич` → `Андреевича`, `Андреевичу`; `Белоусова` → `Белоусовой` twice), as a clerk
/// writes «выдать Белоусовой Анне Андреевне»; `None` when the word does not decline so simply.
fn gen_dat(w: &str, female: bool, surname: bool) -> Option<(String, String)> {
    let w = norm(w);
    let cut = |n: usize| w.chars().take(w.chars().count() - n).collect::<String>();
    let ends = |e: &str| w.ends_with(e);
    if surname {
        return if female && (ends("ова") || ends("ева") || ends("ина") || ends("ына")) {
            Some((cut(1) + "ой", cut(1) + "ой"))
        } else if female && ends("ая") {
            Some((cut(2) + "ой", cut(2) + "ой"))
        } else if !female && ends("ий") {
            Some((cut(2) + "ого", cut(2) + "ому"))
        } else if !female && (ends("ов") || ends("ев") || ends("ин") || ends("ын")) {
            Some((w.clone() + "а", w.clone() + "у"))
        } else {
            None
        };
    }
    if w == "петр" {
        return Some(("петра".into(), "петру".into()));
    }
    let last = w.chars().last()?;
    if ends("ий") {
        Some((cut(2) + "ия", cut(2) + "ию"))
    } else if ends("ия") {
        Some((cut(1) + "и", cut(1) + "и"))
    } else if ends("ья") {
        Some((cut(1) + "и", cut(1) + "е"))
    } else if last == 'й' || last == 'ь' {
        Some((cut(1) + "я", cut(1) + "ю"))
    } else if last == 'а' && female {
        let hush = w
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "гкхжшчщ".contains(c));
        Some((cut(1) + if hush { "и" } else { "ы" }, cut(1) + "е"))
    } else if !female && !"аяоуеиыэюё".contains(last) && !ends("ел") {
        Some((w.clone() + "а", w.clone() + "у"))
    } else {
        None
    }
}

/// A learner of `data/records/learners.csv`.
struct Person {
    id: String,
    surname: String,
    name: String,
    patronymic: String,
    female: bool,
    snils: String,
    years: BTreeSet<i32>,
    groups: BTreeSet<String>,
}

impl Person {
    fn page(&self) -> String {
        paths::learner(&self.id)
    }
    fn initials(&self) -> String {
        [&self.name, &self.patronymic]
            .iter()
            .filter_map(|w| w.chars().next())
            .collect::<String>()
    }
}

fn people(data: &Path) -> Vec<Person> {
    let year = |d: &str| d.get(..4).and_then(|y| y.parse::<i32>().ok());
    let groups: HashMap<String, (i32, i32)> = table(data, "groups.csv")
        .into_iter()
        .filter_map(|g| Some((g["id"].clone(), (year(&g["start"])?, year(&g["end"])?))))
        .collect();
    let mut years: HashMap<String, BTreeSet<i32>> = HashMap::new();
    let mut member: HashMap<String, BTreeSet<String>> = HashMap::new();
    for e in table(data, "enrolments.csv") {
        member
            .entry(e["learner"].clone())
            .or_default()
            .insert(e["group"].clone());
        if let Some(&(from, to)) = groups.get(&e["group"]) {
            years
                .entry(e["learner"].clone())
                .or_default()
                .extend(from..=to.min(2025));
        }
    }
    table(data, "learners.csv")
        .into_iter()
        .map(|l| Person {
            years: years.remove(&l["id"]).unwrap_or_default(),
            groups: member.remove(&l["id"]).unwrap_or_default(),
            id: l["id"].clone(),
            surname: l["surname"].clone(),
            name: l["name"].clone(),
            patronymic: l["patronymic"].clone(),
            female: l["sex"] == "female",
            snils: l["snils"].clone(),
        })
        .collect()
}

/// The learners a name query means: surname `s` in any case form (a nominative, when some
/// learner's surname is it, before oblique cases), and when given the first name `n`, the
/// patronymic `p`, the initials `i` (their first letters).
fn meant<'a>(
    all: &'a [Person],
    s: &str,
    n: Option<&str>,
    p: Option<&str>,
    i: Option<&str>,
) -> Vec<&'a Person> {
    let s = norm(s);
    let fits = |l: &&Person| {
        n.is_none_or(|n| norm(n) == norm(&l.name))
            && p.is_none_or(|p| norm(p) == norm(&l.patronymic))
            && i.is_none_or(|i| norm(&l.initials()).starts_with(&norm(i)))
    };
    let nominative: Vec<&Person> = all
        .iter()
        .filter(|l| norm(&l.surname) == s)
        .filter(fits)
        .collect();
    if !nominative.is_empty() {
        return nominative;
    }
    all.iter()
        .filter(|l| surname_forms(&l.surname, l.female).contains(&s))
        .filter(fits)
        .collect()
}

/// Two adjacent letters of a word swapped, or one left out, after the fourth: as typing fast.
/// (A typo in the first letters is not looked for: a word's candidates are those of its shard,
/// whose key is its first three letters or more.)
fn typos(w: &str) -> Vec<String> {
    let c: Vec<char> = w.chars().collect();
    let mut out = Vec::new();
    if c.len() >= 7 && c[4] != c[5] {
        let mut s = c.clone();
        s.swap(4, 5);
        out.push(s.into_iter().collect());
    }
    if c.len() >= 7 && c[4] != c[5] && c[4] != c[3] {
        let mut s = c.clone();
        s.remove(4);
        out.push(s.into_iter().collect());
    }
    out
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The queries that find a person.
fn person_cases(all: &[Person], l: &Person, out: &mut Vec<Case>) {
    let page = l.page();
    let mut add = |kind: &'static str, query: String, ok: bool| {
        if ok {
            out.push(Case {
                kind,
                query,
                first: page.clone(),
            });
        }
    };
    let only = |m: Vec<&Person>| m.len() == 1 && m[0].id == l.id;
    let (s, n, p) = (&l.surname, &l.name, &l.patronymic);
    let full = format!("{s} {n} {p}").trim().to_string();
    let by_full = only(meant(all, s, Some(n), Some(p), None));
    add("full name", full.clone(), by_full);
    add("full name, upper case", full.to_uppercase(), by_full);
    add("full name, lower case", full.to_lowercase(), by_full);
    add(
        "name first",
        format!("{n} {p} {s}").trim().to_string(),
        by_full,
    );
    if full.contains(['ё', 'Ё']) {
        add("ё written е", full.replace('ё', "е"), by_full);
    }
    if full.nfd().collect::<String>() != full {
        add("decomposed Unicode", full.nfd().collect(), by_full);
    }
    add(
        "surname and name",
        format!("{s} {n}"),
        only(meant(all, s, Some(n), None, None)),
    );
    // A form is another word's only from a base of three letters (engine::forms): a three-letter
    // name (Яна → Яны) is found only as written.
    let declinable = n.chars().count() > 3;
    if let (true, Some(sf), Some(nf), Some(pf)) = (
        declinable,
        gen_dat(s, l.female, true),
        gen_dat(n, l.female, false),
        gen_dat(p, l.female, false),
    ) {
        add(
            "full name, genitive",
            cap(&format!("{} {} {}", sf.0, cap(&nf.0), cap(&pf.0))),
            by_full,
        );
        add(
            "full name, dative",
            cap(&format!("{} {} {}", sf.1, cap(&nf.1), cap(&pf.1))),
            by_full,
        );
    }
    let ini: Vec<char> = l.initials().chars().collect();
    if let [a, b] = ini[..] {
        let by_initials = |form: &str| only(meant(all, form, None, None, Some(&format!("{a}{b}"))));
        for (k, form) in surname_forms(s, l.female).iter().enumerate() {
            let form = cap(form);
            let ok = by_initials(&form);
            if k == 0 {
                add("initials after", format!("{form} {a}. {b}."), ok);
                add("initials joined", format!("{form} {a}.{b}."), ok);
                add("initials before", format!("{a}. {b}. {form}"), ok);
                add("initials, lower case", norm(&format!("{form} {a} {b}")), ok);
                if let Some(&y) = l.years.iter().next() {
                    add("initials and year", format!("{form} {a}. {b}. {y}"), ok);
                }
            } else {
                add("initials, oblique case", format!("{form} {a}. {b}."), ok);
            }
        }
        add(
            "one initial",
            format!("{s} {a}."),
            only(meant(all, s, None, None, Some(&a.to_string()))),
        );
    }
    for form in surname_forms(s, l.female) {
        let ok = only(meant(all, &form, None, None, None));
        add("surname in a case form", cap(&form), ok);
    }
    for typo in typos(&norm(s)) {
        let hits: Vec<&Person> = all
            .iter()
            .filter(|o| norm(&o.name) == norm(n))
            .filter(|o| {
                let w = norm(&o.surname);
                w == typo || letopis::search::engine::lev1(&typo, &w)
            })
            .collect();
        let is_a_name = all
            .iter()
            .any(|o| surname_forms(&o.surname, o.female).contains(&typo));
        add(
            "a typo in the surname",
            format!("{} {n}", cap(&typo)),
            !is_a_name && hits.len() == 1 && hits[0].id == l.id,
        );
    }
    for g in &l.groups {
        let same = all
            .iter()
            .filter(|o| {
                o.groups.contains(g) && surname_forms(&o.surname, o.female).contains(&norm(s))
            })
            .count();
        add("surname and group", format!("{s} {g}"), same == 1);
    }
    let d: String = l.snils.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 11 {
        let (a, b, c, k) = (&d[..3], &d[3..6], &d[6..9], &d[9..]);
        for q in [
            format!("{a}-{b}-{c} {k}"),
            d.clone(),
            format!("{a} {b} {c} {k}"),
            format!("{a}-{b}-{c}-{k}"),
            format!("{a}{b}{c} {k}"),
            format!("СНИЛС {a}-{b}-{c} {k}"),
        ] {
            add("SNILS", q, true);
        }
    }
    for q in spellings(&l.id) {
        add("personal file number", q, true);
    }
}

/// An identifier as written, in lower case, without separators and with spaces between its parts.
fn spellings(id: &str) -> Vec<String> {
    let parts: Vec<&str> = id
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    vec![
        id.to_string(),
        id.to_lowercase(),
        parts.concat(),
        parts.join(" ").to_lowercase(),
    ]
}

/// The queries that find a certificate (or diploma) of the issue register.
fn certificate_cases(data: &Path, every: usize, out: &mut Vec<Case>) {
    let rows = table(data, "issued_documents.csv");
    let count = |f: &dyn Fn(&HashMap<String, String>) -> String, v: &str| {
        rows.iter().filter(|r| f(r) == v).count()
    };
    for r in rows.iter().step_by(every) {
        let first = format!(
            "{}#{}",
            paths::ISSUED,
            paths::anchor("doc", &r["reg_number"])
        );
        let mut add = |kind, query: String| {
            out.push(Case {
                kind,
                query,
                first: first.clone(),
            })
        };
        for q in spellings(&r["reg_number"]) {
            add("registration number", q);
        }
        let (series, number) = (&r["series"], &r["number"]);
        if !series.is_empty() {
            add("series and number", format!("{series} {number}"));
            add("series and number", format!("{series}{number}"));
            add("series and number", format!("{series} № {number}"));
        }
        if count(&|r| r["number"].clone(), number) == 1 {
            for q in spellings(number) {
                add("certificate number", q);
            }
        }
    }
}

/// The queries that find a group: its code as written, in any case, without separators, spaced.
fn group_cases(data: &Path, out: &mut Vec<Case>) {
    for g in table(data, "groups.csv") {
        for q in spellings(&g["id"]) {
            out.push(Case {
                kind: "group code",
                query: q,
                first: paths::group(&g["id"]),
            });
        }
        out.push(Case {
            kind: "group code and year",
            query: format!("{} {}", g["id"], &g["start"][..4]),
            first: paths::group(&g["id"]),
        });
    }
}

/// Every case of an archive, learners thinned to `every`-th so that a large period stays a few
/// hundred queries; a query two records claim is left out.
fn cases(data: &Path, every: usize) -> Vec<Case> {
    let all = people(data);
    let mut out = Vec::new();
    for l in all.iter().step_by(every) {
        person_cases(&all, l, &mut out);
    }
    certificate_cases(data, every, &mut out);
    group_cases(data, &mut out);
    let mut claims: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &out {
        claims
            .entry(c.query.clone())
            .or_default()
            .insert(c.first.clone());
    }
    let mut seen = BTreeSet::new();
    out.retain(|c| claims[&c.query].len() == 1 && seen.insert(c.query.clone()));
    out
}

/// A surname (in a case form) that several learners have: the record first and every learner
/// among the first ten must be one of them (`Петрова` never brings a Пётр).
struct Shared {
    query: String,
    learners: BTreeSet<String>,
}

fn shared_surnames(data: &Path) -> Vec<Shared> {
    let all = people(data);
    let mut forms = BTreeSet::new();
    for l in &all {
        forms.extend(surname_forms(&l.surname, l.female));
    }
    forms
        .into_iter()
        .filter_map(|f| {
            let m = meant(&all, &f, None, None, None);
            (m.len() > 1).then(|| Shared {
                query: cap(&f),
                learners: m.iter().map(|l| l.page()).collect(),
            })
        })
        .collect()
}

/// A file of this test's beside Cargo's scratch folder, named by the archive (the media are only
/// read).
fn scratch(data: &Path, what: &str) -> PathBuf {
    let archive = data.parent().and_then(Path::file_name).expect("archive");
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "search_acceptance-{}.{what}",
        archive.to_string_lossy()
    ))
}

/// The archive folder (`data/`'s parent) on a medium.
fn archive_data(medium: &Path) -> PathBuf {
    std::fs::read_dir(medium)
        .expect("medium")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("data/index/meta.json").is_file())
        .expect("an archive on the medium")
        .join("data")
}

/// A small generated period (`examples/gen_period.rs`: 400 learners in 16 groups) built as a
/// draft medium.
fn generated() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("search_acceptance_generated");
    if root.exists() {
        std::fs::remove_dir_all(&root).expect("old period");
    }
    let input = root.join("in");
    let args = ["gen_period", "--learners", "400", "--groups", "16"];
    let mut args: Vec<String> = args.map(String::from).to_vec();
    args.extend(["--rows".into(), "12000".into()]);
    args.insert(1, input.display().to_string());
    gen_period::run(gen_period::Args::parse_from(args)).expect("gen_period");
    let medium = root.join("medium");
    let out = cli::command()
        .arg("build")
        .arg(&input)
        .arg("--out")
        .arg(&medium)
        .args(["--draft", "-q"])
        .output()
        .expect("letopis build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    medium
}

/// Runs every case through the command line's engine and then `engine.js`; returns the
/// failures of both and the vectors (query, first, the command line's first ten).
fn check(data: &Path, cases: &[Case]) -> (Vec<String>, Vec<Value>) {
    let searcher = Searcher::open_dir(&data.join("index")).expect("open index");
    let mut wrong = Vec::new();
    let mut vectors = Vec::new();
    for c in cases {
        let pages: Vec<String> = searcher
            .search(&c.query, &Filters::default(), TOP)
            .expect("search")
            .into_iter()
            .map(|h| h.page)
            .collect();
        if pages.first() != Some(&c.first) {
            wrong.push(format!(
                "CLI, {}: «{}»: {} must come first, got {:?}",
                c.kind,
                c.query,
                c.first,
                &pages[..pages.len().min(3)]
            ));
        }
        vectors.push(json!({"kind": c.kind, "query": c.query, "first": c.first, "order": pages}));
    }
    let by_page: HashMap<String, Vec<String>> = people(data)
        .iter()
        .map(|l| {
            let words = [&l.surname, &l.name, &l.patronymic].map(|w| norm(w));
            (l.page(), words.to_vec())
        })
        .collect();
    for c in shared_surnames(data) {
        let pages: Vec<String> = searcher
            .search(&c.query, &Filters::default(), TOP)
            .expect("search")
            .into_iter()
            .map(|h| h.page)
            .collect();
        // The learners of that surname first; after them only learners with a word of the
        // same base (`Петрова`: Петров, Петровна; never Пётр).
        let learners: Vec<&String> = pages
            .iter()
            .filter(|p| p.starts_with("learners/"))
            .collect();
        let ours = learners
            .iter()
            .take_while(|p| c.learners.contains(**p))
            .count();
        let base = letopis::search::engine::source(&norm(&c.query)).to_string();
        let stranger = learners[ours..]
            .iter()
            .find(|p| !by_page[p.as_str()].iter().any(|w| w.starts_with(&base)));
        if ours < learners.len().min(c.learners.len()) || stranger.is_some() {
            wrong.push(format!(
                "CLI, a shared surname: «{}»: {:?} must come first, not {stranger:?}; got {pages:?}",
                c.query, c.learners
            ));
        }
        vectors.push(
            json!({"kind": "a shared surname", "query": c.query, "first": null, "order": pages}),
        );
    }
    let file = scratch(data, "vectors.json");
    std::fs::write(&file, serde_json::to_string_pretty(&vectors).expect("json")).expect("write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg("--test")
        .arg(root.join("tests/browser/engine.test.cjs"))
        .env("LETOPIS_SEARCH_DIR", data.join("search"))
        .env("LETOPIS_VECTORS", &file)
        .output()
        .expect("node (tests/browser needs Node.js and `npm ci`)");
    if !out.status.success() {
        wrong.push(format!(
            "browser engine:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    (wrong, vectors)
}

/// The kinds of query and how many of each, for the failure message and a sanity check.
fn kinds(cases: &[Case]) -> BTreeMap<&'static str, usize> {
    let mut k = BTreeMap::new();
    for c in cases {
        *k.entry(c.kind).or_default() += 1;
    }
    k
}

#[test]
fn the_sample_every_query_kind_puts_the_meant_record_first_in_both_engines() {
    let data = archive_data(&sample::shared_media().0);
    let cases = cases(&data, 1);
    let k = kinds(&cases);
    assert!(cases.len() >= 300, "{} queries: {k:?}", cases.len());
    assert!(k.len() >= 18, "{k:?}");
    let (wrong, vectors) = check(&data, &cases);
    assert!(
        wrong.is_empty(),
        "{} of {} queries fail ({k:?}):\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    // Every 12th query also through the real search page, typed into the box in Chromium.
    let picked: Vec<&Value> = vectors.iter().step_by(12).collect();
    let file = scratch(&data, "page.json");
    std::fs::write(&file, serde_json::to_string(&picked).expect("json")).expect("write");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/vectors.cjs");
    let out = Command::new("node")
        .arg(script)
        .arg(chromium::url(&data.join("search.html")))
        .arg(&file)
        .output()
        .expect("node (see .ci/run)");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_generated_period_every_query_kind_puts_the_meant_record_first_in_both_engines() {
    let data = archive_data(&generated());
    let cases = cases(&data, 10);
    let k = kinds(&cases);
    assert!(cases.len() >= 300, "{} queries: {k:?}", cases.len());
    let (wrong, _) = check(&data, &cases);
    assert!(
        wrong.is_empty(),
        "{} of {} queries fail ({k:?}):\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
