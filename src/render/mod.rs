//! Stage 3: [`crate::model::Period`] → static HTML pages (tera templates).
//!
//! [`render`] writes every page of one period archive into a work folder (for `build`, the
//! staging folder's `data/` on the first medium), in parallel, each page
//! once, and returns the [`Payload`] (data path → file) that the media writer copies: pages from
//! the work folder, attachments and the verbatim input files straight from the input folder.
//! [`medium_index`] renders the `index.html` at a medium's root that lists every period archive
//! on it, newest first.

mod error;
pub mod fmt;
pub mod i18n;
mod index;
pub mod markdown;
pub mod print;
mod split;
mod templates;
mod views;
mod writer;

pub use error::RenderError;
pub use templates::{EMBEDDED, STYLE, Templates, write_default_templates};

use crate::l10n;
use crate::layout::Payload;
use crate::layout::paths;
use crate::model::{Lang, Learner, Period};
use chrono::NaiveDate;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tera::Context;
use views::Ctx;

/// Machine-readable description of an archive, written as `data/archive.json`; the medium index
/// is built from these files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveInfo {
    /// Folder name on the medium, e.g. `umc-2025`.
    pub name: String,
    pub organisation: String,
    pub period_id: String,
    pub period_title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub build_date: NaiveDate,
    pub language: Lang,
    pub tool_version: String,
}

/// Path of [`ArchiveInfo`] inside `data/`.
use crate::layout::paths::ARCHIVE_INFO;

impl ArchiveInfo {
    pub fn of(period: &Period) -> Self {
        let c = &period.config;
        ArchiveInfo {
            name: c.archive_name(),
            organisation: c.organisation.name.clone(),
            period_id: c.period.id.clone(),
            period_title: period_title(period),
            period_start: c.period.start,
            period_end: c.period.end,
            build_date: c.build_date(),
            language: c.language,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

fn period_title(p: &Period) -> String {
    p.config
        .period
        .title
        .clone()
        .unwrap_or_else(|| p.config.period.id.clone())
}

#[derive(Default)]
pub struct RenderOptions<'a> {
    /// A folder of templates overriding the embedded ones.
    pub templates: Option<&'a Path>,
    /// Advanced by one per page written.
    pub progress: Option<&'a ProgressBar>,
    /// The organisation's signing key, when the archive is signed: shown on «Об архиве».
    pub signature: Option<Signature>,
}

/// What «Об архиве» says of the archive's signature: the public key and its fingerprint, and the
/// names the OpenSSH check uses (see [`crate::seal::sign`]), so that anyone can check it.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// `ssh-ed25519 AAAA… comment`.
    pub public_key: String,
    pub principal: String,
    pub namespace: String,
    pub file: String,
}

#[derive(Debug)]
pub struct Rendered {
    /// Every file of the archive's `data/`: pages (in the work folder), attachments and raw
    /// input files (in the input folder).
    pub payload: Payload,
    /// Number of files written into the work folder (pages, stylesheet, archive.json).
    pub pages: usize,
    pub archive: ArchiveInfo,
}

/// Pages of one period, in a fixed order.
#[derive(Debug, Clone, Copy)]
enum Job {
    Index,
    LearnersIndex,
    Learner(usize),
    Group(usize),
    Programme(usize),
    Orders,
    Issued,
    Protocols,
    Transfers,
    Documents,
    Document(usize),
    Attachments,
    About,
    Search,
    GroupFiles(usize),
    ProtocolExtract(usize),
    IssuedExtract(usize),
    OrderExtract(usize),
}

impl Job {
    /// Pages with a row for every learner, order, issued document or protocol of the period.
    fn lists_whole_period(self) -> bool {
        matches!(
            self,
            Job::LearnersIndex | Job::Orders | Job::Issued | Job::Protocols
        )
    }
}

fn jobs(p: &Period) -> Vec<Job> {
    let mut v = vec![Job::Index, Job::LearnersIndex];
    v.extend((0..p.learners.len()).map(Job::Learner));
    v.extend((0..p.groups.len()).map(Job::Group));
    v.extend((0..p.programmes.len()).map(Job::Programme));
    v.extend([
        Job::Orders,
        Job::Issued,
        Job::Protocols,
        Job::Transfers,
        Job::Documents,
    ]);
    v.extend((0..p.documents.len()).map(Job::Document));
    v.extend([Job::Attachments, Job::About, Job::Search]);
    v.extend((0..p.groups.len()).map(Job::GroupFiles));
    v.extend((0..p.protocols.len()).map(Job::ProtocolExtract));
    v.extend((0..p.issued_documents.len()).map(Job::IssuedExtract));
    v.extend((0..p.orders.len()).map(Job::OrderExtract));
    v
}

/// Number of files [`render`] writes into the work folder for this period.
pub fn page_count(p: &Period) -> usize {
    jobs(p).len() + 3
}

/// Checks that an input-relative path stays inside its folder (the one rule:
/// [`crate::layout::is_safe_relative`]).
pub fn check_relative(path: &str) -> Result<(), RenderError> {
    if crate::layout::is_safe_relative(path) {
        Ok(())
    } else {
        Err(RenderError::UnsafePath { path: path.into() })
    }
}

/// Renders the whole period into `work_dir` (created if needed) and returns the payload.
pub fn render(
    period: &Period,
    input_dir: &Path,
    work_dir: &Path,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let templates = page_templates(period, opts)?;
    let lang = period.config.language;
    let tera = &templates.tera;

    for dir in [
        "learners",
        "groups",
        "programmes",
        "documents",
        "assets",
        print::DIR,
    ] {
        let d = work_dir.join(dir);
        std::fs::create_dir_all(&d).map_err(|e| RenderError::io(&d, e))?;
    }
    let lookup = index::Lookup::new(period);
    let t = i18n::strings(lang);

    // A personal file that a group's print set lists is rendered with that print set, from the
    // same template values: they are made once, not once for each page.
    let sets = Sets::new(period, &lookup);
    let jobs: Vec<Job> = jobs(period)
        .into_iter()
        .filter(|&job| !matches!(job, Job::Learner(i) if sets.has(&period.learners[i])))
        .collect();
    let run = Run {
        tera,
        templates: &templates,
        t: &t,
        work_dir,
        period,
        lookup: &lookup,
        sets: &sets,
    };
    let one_list_at_a_time = std::sync::Mutex::new(());
    let results: Vec<Result<Vec<String>, RenderError>> = jobs
        .par_iter()
        .map(|&job| {
            // A page listing the whole period (80,000 learners or issued documents: a context of
            // a few hundred thousand values, and 20-40 MB of HTML) is built while no other such
            // page is: two at once were the render stage's peak of memory.
            let _whole_period = job.lists_whole_period().then(|| {
                one_list_at_a_time
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            });
            let paths = run.write(job)?;
            if let Some(pb) = opts.progress {
                pb.inc(paths.len() as u64);
            }
            Ok(paths)
        })
        .collect();

    let mut payload = Payload::default();
    for r in results {
        for path in r? {
            payload.add(path.clone(), work_dir.join(&path));
        }
    }
    let style = work_dir.join(paths::STYLE);
    std::fs::write(&style, &templates.style).map_err(|e| RenderError::io(&style, e))?;
    payload.add(paths::STYLE, style);
    let script = work_dir.join(print::SCRIPT);
    std::fs::write(&script, print::SCRIPT_TEXT).map_err(|e| RenderError::io(&script, e))?;
    payload.add(print::SCRIPT, script);
    let archive = ArchiveInfo::of(period);
    let info = work_dir.join(ARCHIVE_INFO);
    let json = serde_json::to_string_pretty(&archive)
        .map_err(|e| RenderError::io(&info, std::io::Error::other(e.to_string())))?;
    std::fs::write(&info, json + "\n").map_err(|e| RenderError::io(&info, e))?;
    payload.add(ARCHIVE_INFO, info);
    let pages = payload.files.len();

    // Attachment files live under files/ (where pages link them); every other input file
    // (exports, config, documents, unreferenced files) is kept verbatim under raw/. No file is
    // stored twice.
    let linked = linked_files(period);
    let rebuild = crate::model::tables::rebuild_root(input_dir);
    let rebuild = rebuild.as_deref();
    for f in &linked {
        add_input(&mut payload, input_dir, rebuild, f, paths::file(f))?;
    }
    for s in &period.sources {
        if linked.binary_search(&s.path.as_str()).is_err() {
            add_input(
                &mut payload,
                input_dir,
                rebuild,
                &s.path,
                paths::raw(&s.path),
            )?;
        }
    }
    Ok(Rendered {
        payload,
        pages,
        archive,
    })
}

/// What every page of a render needs: [`Run::write`] writes the page(s) of one job.
struct Run<'a> {
    tera: &'a tera::Tera,
    templates: &'a Templates,
    t: &'a Strings,
    work_dir: &'a Path,
    period: &'a Period,
    lookup: &'a index::Lookup<'a>,
    sets: &'a Sets<'a>,
}

impl Run<'_> {
    /// Writes the page of `job` (a print set: with the personal files it renders) and returns
    /// the paths written.
    fn write(&self, job: Job) -> Result<Vec<String>, RenderError> {
        let (p, lang) = (self.period, self.period.config.language);
        if split::is_register(job) {
            return Ok(vec![split::write_register(
                self.tera,
                &self.templates.overridden,
                self.t,
                self.work_dir,
                p,
                self.lookup,
                lang,
                job,
            )?]);
        }
        if let Job::GroupFiles(g) = job {
            let c = Ctx {
                p,
                l: self.lookup,
                lang,
                root: fmt::root_of(&page_path(p, job)),
            };
            return write_group_files(self.tera, self.t, self.work_dir, &c, self.sets, g);
        }
        let page = build_page(p, self.lookup, lang, self.t, job);
        Ok(vec![write_page(self.tera, self.t, self.work_dir, page)?])
    }
}

/// The templates of the pages, with the values every page has (`t`, `site`, `signature`) and the
/// templates of the registers' chunks of rows.
fn page_templates(period: &Period, opts: &RenderOptions) -> Result<Templates, RenderError> {
    let mut templates = Templates::load(opts.templates)?;
    let globals = templates.tera.global_context();
    globals.insert("t", &i18n::strings(period.config.language));
    globals.insert("site", &site_info(period));
    globals.insert("signature", &opts.signature);
    split::add_chunk_templates(&mut templates.tera)?;
    Ok(templates)
}

/// The context of a page at `path`, but for its own values (`page`).
fn page_context(
    t: &Strings,
    path: &str,
    title: &str,
    certify: Option<&print::Extract>,
    kind: &str,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert("root", &fmt::root_of(path));
    ctx.insert("title", title);
    ctx.insert("page_style", &print::page_style(t, certify));
    ctx.insert("certify", &certify);
    ctx.insert("page_kind", kind);
    ctx
}

/// Renders one page (from [`build_page`]) into its file under `work_dir`; returns its path.
fn write_page(
    tera: &tera::Tera,
    t: &Strings,
    work_dir: &Path,
    built: Built,
) -> Result<String, RenderError> {
    let (path, template, title, certify, kind, page) = built;
    let ctx = page_context(t, &path, &title, certify.as_ref(), kind);
    let mut w = writer::Writer::new(tera, template, &path, work_dir, ctx);
    w.set_value("page", page)?;
    let mut out = w.create()?;
    w.render_to(template, &mut out)?;
    w.finish(out)?;
    Ok(path)
}

pub use crate::model::linked_files;

fn add_input(
    payload: &mut Payload,
    input_dir: &Path,
    rebuild: Option<&Path>,
    rel: &str,
    data_path: String,
) -> Result<(), RenderError> {
    check_relative(rel)?;
    // Rebuilding from an archive's own `data/records/`: the input files are the archive's, kept
    // under `raw/` and `files/` beside it.
    let src: PathBuf = match rebuild {
        Some(data) => data.join(&data_path),
        None => input_dir.join(rel),
    };
    if !src.is_file() {
        return Err(RenderError::io(
            &src,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "файл, на который ссылается выгрузка, не найден / file referenced by the export not found",
            ),
        ));
    }
    payload.add(data_path, src);
    Ok(())
}

#[derive(Serialize)]
struct SiteInfo {
    lang: &'static str,
    version: &'static str,
    org_name: String,
    org_short: String,
    inn: Option<String>,
    ogrn: Option<String>,
    address: Option<String>,
    archive_name: String,
    period_title: String,
    period_start: String,
    period_end: String,
    build_date: String,
    head_name: String,
    head_position: String,
    records: RecordsInfo,
}

/// The records as tables (`data/records/`, written by [`crate::tables`]): links for the pages.
#[derive(Serialize)]
struct RecordsInfo {
    /// `records/<archive>.xlsx`, relative to `data/`.
    workbook: String,
    workbook_name: String,
    package: String,
    tables: Vec<RecordsTable>,
}

#[derive(Serialize)]
struct RecordsTable {
    href: String,
    file: String,
    title: &'static str,
    description: &'static str,
    rows: usize,
}

fn records_info(p: &Period) -> RecordsInfo {
    use crate::model::tables::{self, TABLES};
    let en = p.config.language == Lang::En;
    let book = tables::workbook(&p.config.archive_name());
    RecordsInfo {
        workbook: fmt::href(&book),
        workbook_name: book.rsplit('/').next().unwrap_or(&book).to_string(),
        package: fmt::href(&format!("{}/{}", tables::DIR, tables::PACKAGE)),
        tables: TABLES
            .iter()
            .map(|t| RecordsTable {
                href: fmt::href(&format!("{}/{}", tables::DIR, t.file())),
                file: t.file(),
                title: if en { t.title_en } else { t.title },
                description: if en { t.description_en } else { t.description },
                rows: tables::row_count(p, t),
            })
            .collect(),
    }
}

fn site_info(p: &Period) -> SiteInfo {
    let c = &p.config;
    SiteInfo {
        lang: c.language.code(),
        version: env!("CARGO_PKG_VERSION"),
        org_name: c.organisation.name.clone(),
        org_short: c
            .organisation
            .short_name
            .clone()
            .unwrap_or_else(|| c.organisation.name.clone()),
        inn: c.organisation.inn.clone(),
        ogrn: c.organisation.ogrn.clone(),
        address: c.organisation.address.clone(),
        archive_name: c.archive_name(),
        period_title: period_title(p),
        period_start: l10n::date(c.period.start),
        period_end: l10n::date(c.period.end),
        build_date: l10n::date(c.build_date()),
        head_name: c.organisation.head.name.clone(),
        head_position: c.organisation.head.position.clone(),
        records: records_info(p),
    }
}

type Built = (
    String,
    &'static str,
    String,
    Option<print::Extract>,
    &'static str,
    Result<tera::Value, tera::Error>,
);

fn value<T: Serialize>(v: &T) -> Result<tera::Value, tera::Error> {
    tera::Value::try_from_serializable(v)
}

/// The strings of the archive's language ([`i18n::strings`]).
type Strings = std::collections::BTreeMap<&'static str, &'static str>;

/// A page's template, title, certification block, kind and values.
type Page = (
    &'static str,
    String,
    Option<print::Extract>,
    &'static str,
    Result<tera::Value, tera::Error>,
);

fn build_page(p: &Period, lookup: &index::Lookup, lang: Lang, t: &Strings, job: Job) -> Built {
    let path = page_path(p, job);
    let c = Ctx {
        p,
        l: lookup,
        lang,
        root: fmt::root_of(&path),
    };
    let (template, title, certify, kind, page) = match job {
        Job::LearnersIndex | Job::Issued | Job::Protocols => {
            unreachable!("build_page: {job:?} is written by split::write_register")
        }
        Job::Index | Job::Learner(_) | Job::Group(_) | Job::Programme(_) => record_page(&c, t, job),
        Job::GroupFiles(_) => unreachable!("build_page: {job:?} is written by write_group_files"),
        Job::ProtocolExtract(_) | Job::IssuedExtract(_) | Job::OrderExtract(_) => {
            extract_page(&c, t, job)
        }
        _ => register_page(&c, t, job),
    };
    (path, template, title, certify, kind, page)
}

/// The page's path inside `data/`.
fn page_path(p: &Period, job: Job) -> String {
    match job {
        Job::Index => paths::INDEX.to_string(),
        Job::LearnersIndex => paths::LEARNERS.to_string(),
        Job::Learner(i) => paths::learner(&p.learners[i].id),
        Job::Group(i) => paths::group(&p.groups[i].id),
        Job::Programme(i) => paths::programme(&p.programmes[i].id),
        Job::Orders => paths::ORDERS.to_string(),
        Job::Issued => paths::ISSUED.to_string(),
        Job::Protocols => paths::PROTOCOLS.to_string(),
        Job::Transfers => paths::TRANSFERS.to_string(),
        Job::Documents => paths::DOCUMENTS.to_string(),
        Job::Document(i) => paths::document(&p.documents[i].id),
        Job::Attachments => paths::ATTACHMENTS.to_string(),
        Job::About => paths::ABOUT.to_string(),
        Job::Search => paths::SEARCH.to_string(),
        Job::GroupFiles(i) => print::group_files(&p.groups[i].id),
        Job::ProtocolExtract(i) => print::protocol(&p.protocols[i].id),
        Job::IssuedExtract(i) => print::issued(&p.issued_documents[i].reg_number),
        Job::OrderExtract(i) => print::order(&p.orders[i].id),
    }
}

/// The start page, the list of learners, a personal file, a group, a programme.
fn record_page(c: &Ctx, t: &Strings, job: Job) -> Page {
    let p = c.p;
    match job {
        Job::Index => (
            "index.html",
            format!("{}: {}", t["archive"], period_title(p)),
            None,
            "index",
            value(&views::start(c)),
        ),
        Job::Learner(i) => {
            learner_page(t, &p.learners[i], value(&views::learner(c, &p.learners[i])))
        }
        Job::Group(i) => (
            "group.html",
            format!("{} {}", t["journal"], p.groups[i].id),
            Some(print::group_extract(t, &p.groups[i])),
            "group",
            value(&views::group(c, &p.groups[i])),
        ),
        Job::Programme(i) => (
            "programme.html",
            p.programmes[i].title.clone(),
            None,
            "programme",
            value(&views::programme(c, &p.programmes[i])),
        ),
        _ => unreachable!("record_page: {job:?}"),
    }
}

/// The template, title, certification block and kind of a page listing the whole period, which
/// [`split`] writes a chunk of rows at a time.
fn register_head(
    t: &Strings,
    job: Job,
) -> (&'static str, String, Option<print::Extract>, &'static str) {
    // (template, title's string, kind, printed with a certification block)
    let (template, title, kind, certified) = match job {
        Job::LearnersIndex => ("learners.html", "learners_index", "learners", false),
        Job::Issued => ("issued.html", "issued", "issued", true),
        Job::Protocols => ("protocols.html", "protocols", "protocols", true),
        _ => unreachable!("register_head: {job:?}"),
    };
    (
        template,
        t[title].to_string(),
        certified.then(|| print::register_extract(t, kind)),
        kind,
    )
}

/// The registers, documents, attachments, «Об архиве» and search.
fn register_page(c: &Ctx, t: &Strings, job: Job) -> Page {
    let p = c.p;
    match job {
        Job::Orders => (
            "orders.html",
            t["orders"].to_string(),
            Some(print::register_extract(t, "orders")),
            "orders",
            value(&views::orders(c)),
        ),
        Job::Transfers => (
            "transfers.html",
            t["transfers"].to_string(),
            Some(print::register_extract(t, "transfers")),
            "transfers",
            value(&views::transfers(c)),
        ),
        Job::Documents => (
            "documents.html",
            t["documents"].to_string(),
            None,
            "documents",
            value(&views::documents(c)),
        ),
        Job::Document(i) => (
            "document.html",
            p.documents[i].title.clone(),
            None,
            "document",
            value(&views::document(c, &p.documents[i])),
        ),
        Job::Attachments => (
            "attachments.html",
            t["attachments"].to_string(),
            None,
            "attachments",
            value(&views::attachments(c)),
        ),
        Job::About => (
            "about.html",
            t["about"].to_string(),
            None,
            "about",
            value(&views::about(c)),
        ),
        Job::Search => (
            "search.html",
            t["search"].to_string(),
            None,
            "search",
            value(&views::search(c)),
        ),
        _ => unreachable!("register_page: {job:?}"),
    }
}

/// A personal file's page: its template, title, certification block, kind and `values`.
fn learner_page(t: &Strings, x: &Learner, values: Result<tera::Value, tera::Error>) -> Page {
    (
        "learner.html",
        print::learner_title(t, x),
        Some(print::learner_extract(t, x)),
        "learner",
        values,
    )
}

/// Which print set renders each personal file (see [`write_group_files`]).
struct Sets<'a> {
    /// Per group of the period: its learners, in the order of its print set.
    learners: Vec<Vec<&'a Learner>>,
    /// Learner id → the first group (in the period's order) whose print set lists the learner,
    /// and renders their page too from the same values. Empty when the two pages lie at
    /// different depths (their values hold links relative to the page): every learner then has
    /// a page of their own.
    owner: foldhash::HashMap<&'a str, usize>,
}

impl<'a> Sets<'a> {
    fn new(p: &'a Period, l: &index::Lookup<'a>) -> Self {
        let learners: Vec<Vec<&Learner>> = p
            .groups
            .iter()
            .map(|g| print::group_learners(l, &g.id))
            .collect();
        let mut owner = foldhash::HashMap::default();
        let same_depth =
            fmt::root_of(&paths::learner("x")) == fmt::root_of(&print::group_files("x"));
        if same_depth {
            for (g, list) in learners.iter().enumerate() {
                for x in list {
                    owner.entry(x.id.as_str()).or_insert(g);
                }
            }
        }
        Sets { learners, owner }
    }

    /// Whether a print set renders `x`'s page.
    fn has(&self, x: &Learner) -> bool {
        self.owner.contains_key(x.id.as_str())
    }

    /// Whether group `g`'s print set renders `x`'s page.
    fn renders(&self, g: usize, x: &Learner) -> bool {
        self.owner.get(x.id.as_str()) == Some(&g)
    }
}

/// Writes group `g`'s print set and the pages of the learners whose page it renders ([`Sets`]),
/// each personal file's template values made once for both (on every core: a group may hold
/// thousands of learners); `c` is the print set's context. Returns the paths written.
fn write_group_files(
    tera: &tera::Tera,
    t: &Strings,
    work_dir: &Path,
    c: &Ctx,
    sets: &Sets,
    g: usize,
) -> Result<Vec<String>, RenderError> {
    let p = c.p;
    let group = &p.groups[g];
    let learners = &sets.learners[g];
    // A personal file's values could not be made (they always can: plain values serialised).
    let unmade = |e: tera::Error| RenderError::Page {
        page: print::group_files(&group.id),
        template: "learner_body.html".into(),
        message: e.to_string(),
    };
    let made: Vec<(tera::Value, Option<String>)> = learners
        .par_iter()
        .map(|x| {
            let values = value(&views::learner(c, x)).map_err(unmade)?;
            if !sets.renders(g, x) {
                return Ok((values, None));
            }
            // Both pages lie at the same depth (see `Sets`): the same links fit both.
            let (template, title, certify, kind, own) = learner_page(t, x, Ok(values.clone()));
            let path = paths::learner(&x.id);
            let written = write_page(
                tera,
                t,
                work_dir,
                (path, template, title, certify, kind, own),
            )?;
            Ok((values, Some(written)))
        })
        .collect::<Result<_, RenderError>>()?;
    let (pages, mut written): (Vec<tera::Value>, Vec<Option<String>>) = made.into_iter().unzip();
    let set = (
        print::group_files(&group.id),
        "group_files.html",
        format!("{} {}", t["group_files"], group.id),
        Some(print::group_files_extract(t, group, learners)),
        "group-files",
        views::group_files(c, group, learners, pages),
    );
    written.push(Some(write_page(tera, t, work_dir, set)?));
    Ok(written.into_iter().flatten().collect())
}

/// The extracts of one protocol, document or order.
fn extract_page(c: &Ctx, t: &Strings, job: Job) -> Page {
    let p = c.p;
    match job {
        Job::ProtocolExtract(i) => (
            "extract.html",
            format!("{} № {}", t["protocol"], p.protocols[i].id),
            Some(print::item_extract(
                t,
                "extract_protocol",
                format!("{} № {}", t["protocol"], p.protocols[i].id),
            )),
            "extract",
            value(&views::protocol_extract(c, &p.protocols[i])),
        ),
        Job::IssuedExtract(i) => (
            "extract.html",
            format!("{} {}", t["reg_number"], p.issued_documents[i].reg_number),
            Some(print::item_extract(
                t,
                "extract_issued_one",
                format!("{} {}", t["reg_number"], p.issued_documents[i].reg_number),
            )),
            "extract",
            value(&views::issued_extract(c, &p.issued_documents[i])),
        ),
        Job::OrderExtract(i) => (
            "extract.html",
            format!("{} № {}", t["order"], p.orders[i].id),
            Some(print::item_extract(
                t,
                "extract_order",
                format!("{} № {}", t["order"], p.orders[i].id),
            )),
            "extract",
            value(&views::order_extract(c, &p.orders[i])),
        ),
        _ => unreachable!("extract_page: {job:?}"),
    }
}

/// Reads the [`ArchiveInfo`] of every archive on a medium ([`crate::layout::Medium::list`]),
/// skipping bags that are not Letopis archives. A damaged `archive.json` is an error naming it.
pub fn scan_medium(medium: &Path) -> Result<Vec<ArchiveInfo>, RenderError> {
    let listing = crate::layout::Medium::new(medium)
        .list()
        .map_err(|e| RenderError::io(medium, e))?;
    let mut out = Vec::new();
    for bag in &listing.bags {
        let info = bag.archive_info();
        if !info.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&info).map_err(|e| RenderError::io(&info, e))?;
        let mut a: ArchiveInfo = serde_json::from_str(&text).map_err(|e| {
            RenderError::io(
                &info,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })?;
        // The folder is authoritative (an archive may have been copied under another name).
        a.name = bag.name();
        out.push(a);
    }
    Ok(out)
}

#[derive(Serialize)]
struct MediumEntry {
    name: String,
    href: String,
    /// The archive's browser search folder (`<name>/data/search/`), for the medium-wide search.
    search: String,
    organisation: String,
    period_title: String,
    period_start: String,
    period_end: String,
    build_date: String,
}

/// The medium's `index.html`: every archive, newest period first (then by name), in the
/// language of the newest archive, so it reads the same whichever command rewrote it and
/// whatever language that command spoke.
pub fn medium_index(
    archives: &[ArchiveInfo],
    templates: &Templates,
) -> Result<String, RenderError> {
    let mut list: Vec<&ArchiveInfo> = archives.iter().collect();
    list.sort_by(|a, b| {
        (b.period_end, b.period_start)
            .cmp(&(a.period_end, a.period_start))
            .then_with(|| a.name.cmp(&b.name))
    });
    let lang = list.first().map(|a| a.language).unwrap_or_default();
    let entries: Vec<MediumEntry> = list
        .iter()
        .map(|a| MediumEntry {
            href: fmt::href(&format!("{}/data/{}", a.name, paths::INDEX)),
            search: fmt::href(&format!("{}/data/{}/", a.name, paths::SEARCH_DIR)),
            name: a.name.clone(),
            organisation: a.organisation.clone(),
            period_title: a.period_title.clone(),
            period_start: l10n::date(a.period_start),
            period_end: l10n::date(a.period_end),
            build_date: l10n::date(a.build_date),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("t", &i18n::strings(lang));
    ctx.insert("lang", lang.code());
    ctx.insert("version", env!("CARGO_PKG_VERSION"));
    ctx.insert(
        "search_js",
        &entries
            .first()
            .map(|e| format!("{}search.js", e.search))
            .unwrap_or_default(),
    );
    ctx.insert("archives", &entries);
    templates
        .tera
        .render("medium.html", &ctx)
        .map_err(|e| RenderError::Page {
            page: "index.html".into(),
            template: "medium.html".into(),
            message: error::tera_message(&e),
        })
}

/// One bag in [`medium_bags_index`]: its folder name and what its `bag-info.txt` says.
#[derive(Serialize)]
pub struct BagEntry {
    pub name: String,
    pub href: String,
    pub organisation: String,
    pub period_title: String,
}

/// The medium's `index.html` for bags sealed from a ready folder (`seal-dir`), which have no
/// `archive.json`: the `medium_bags.html` template of the set. Each bag is its folder name,
/// organisation and period title (from its `bag-info.txt`).
pub fn medium_bags_index(
    bags: &[(String, String, String)],
    templates: &Templates,
) -> Result<String, RenderError> {
    let entries: Vec<BagEntry> = bags
        .iter()
        .map(|(name, organisation, period_title)| BagEntry {
            href: fmt::href(&format!("{name}/data/{}", paths::INDEX)),
            name: name.clone(),
            organisation: organisation.clone(),
            period_title: period_title.clone(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("version", env!("CARGO_PKG_VERSION"));
    ctx.insert("archives", &entries);
    templates.render("medium_bags.html", &ctx)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
use crate::model::fixture;
