//! Stage 1: input folder → raw rows with positions → validated [`crate::model::Period`].
//!
//! [`load`] reads `letopis.yaml`, one file per record kind (`<kind>.csv`, `.tsv`, `.txt` or
//! `<kind>.yaml`, see [`schema::Kind`]; names match case-insensitively), `documents/*.md` and the
//! attachment files, and reports every problem at once as [`Diagnostic`]s. Errors of the machine
//! (folder missing, unreadable file) are [`Error`]s; errors of the data are diagnostics, and rows
//! with an error are listed in `Period::rejected` with their reason.
//!
//! Steps: walk the folder (symlinks leaving it are refused) → hash the other files on both cores →
//! config → record files in kind order, row by row ([`rows`] splits, [`records`] types each field;
//! attendance on a second thread) → documents → cross-record checks ([`validate`]) → per-file tally.
//! Rows referring to records that were rejected (or whose file is missing or unreadable) are
//! rejected too, reported once per file rather than once per row.
//!
//! `RejectedRow::values` holds the cells under their headers as written for rows rejected while
//! reading, and under the canonical field names for rows rejected by the cross-record checks.
//! Files that are not read as data are still listed in `Period::sources`: attachment files,
//! `README*` (kind `readme`), files of the `templates` folder (`template`) and anything else
//! (`unknown`, with a warning), so that all of them are kept verbatim in the archive.

pub mod attendance_export;
pub mod exports;
pub mod fields;
pub mod frdo;
pub mod from_records;
pub mod learner_index;
pub mod moodle;
pub mod names;
pub mod records;
pub mod rows;
pub mod schema;
pub mod table;
pub mod text;
pub mod validate;

use crate::diag::{self, Diagnostic};
use crate::layout::slug::slug;
use crate::model::*;
use learner_index::LearnerIndex;
use rayon::prelude::*;
use records::{Ctx, Staging};
use rows::Item;
use schema::Kind;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use validate::{PathStatus, Validator};

/// The name of the configuration file in an input folder.
use crate::layout::CONFIG_FILE;

/// Failures of the machine or of usage, not of the data (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("input folder {0} does not exist")]
    NotFound(PathBuf),
    #[error("{0} is not a folder")]
    NotADirectory(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// The message in both interface languages.
    pub fn text(&self) -> Text {
        match self {
            Error::NotFound(p) => Text::new(
                format!("папка {} не существует", p.display()),
                self.to_string(),
            ),
            Error::NotADirectory(p) => {
                Text::new(format!("{} — не папка", p.display()), self.to_string())
            }
            Error::Io { path, source } => Text::new(
                format!("не удаётся прочитать {} ({source})", path.display()),
                self.to_string(),
            ),
        }
    }
}

/// A file of the folder that cannot be read (no permission, a damaged disk): listed as an error
/// with the reason in Russian (the system's words in parentheses), and the rest of the folder is
/// still checked.
fn unreadable(rel: &str, e: &io::Error) -> Diagnostic {
    unreadable_as(rel, e, false)
}

fn unreadable_as(rel: &str, e: &io::Error, folder: bool) -> Diagnostic {
    let why = match e.kind() {
        io::ErrorKind::PermissionDenied => "нет прав на чтение",
        io::ErrorKind::NotFound => "файл исчез во время проверки",
        io::ErrorKind::IsADirectory => "это папка",
        io::ErrorKind::InvalidData => "данные повреждены",
        _ => "ошибка ввода-вывода",
    };
    let (what, what_en) = if folder {
        ("папка", "folder")
    } else {
        ("файл", "file")
    };
    Diagnostic::error(
        rel,
        Text::new(
            format!("{what} не читается: {why} ({e})"),
            format!("the {what_en} cannot be read ({e})"),
        ),
    )
    .hint(Text::new(
        "проверьте права на файл (или скопируйте папку выгрузки заново) и запустите проверку снова",
        "check the file's permissions (or copy the input folder again) and run the check again",
    ))
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a file of the input folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Config,
    Record(Kind),
    Document,
    /// `README*` at the top: the administrator's notes, kept verbatim without a warning.
    Readme,
    /// Named like a record kind but in a format that is not read (`learners.xlsx`).
    Unreadable(Kind),
    Other,
}

fn classify(rel: &str) -> Class {
    let lower = rel.to_lowercase();
    if lower == CONFIG_FILE || lower == "letopis.yml" {
        return Class::Config;
    }
    if !rel.contains('/')
        && let Some((stem, ext)) = lower.rsplit_once('.')
        && let Some(k) = Kind::from_stem(stem)
    {
        return match ext {
            "csv" | "tsv" | "txt" | "yaml" | "yml" => Class::Record(k),
            // Workbooks are read by `find_tables`, sheet by sheet.
            "xlsx" | "xlsm" | "xls" | "ods" => Class::Other,
            _ => Class::Unreadable(k),
        };
    }
    if !rel.contains('/') && lower.starts_with("readme") {
        return Class::Readme;
    }
    if let Some(name) = lower.strip_prefix("documents/")
        && !name.contains('/')
        && name.ends_with(".md")
    {
        return Class::Document;
    }
    Class::Other
}

struct Entry {
    rel: String,
    abs: PathBuf,
    class: Class,
}

/// A config that could not be read: the period is then not archivable (there is an error
/// diagnostic), and its `config` carries no organisation and an unbounded period.
fn unreadable_config() -> Config {
    Config {
        organisation: Organisation {
            name: String::new(),
            short_name: None,
            slug: String::new(),
            inn: None,
            ogrn: None,
            address: None,
            head: Person {
                name: String::new(),
                position: String::new(),
            },
        },
        period: PeriodInfo {
            id: String::new(),
            start: chrono::NaiveDate::MIN,
            end: chrono::NaiveDate::MAX,
            title: None,
        },
        language: Lang::Ru,
        build_date: None,
        templates: None,
        retention: Default::default(),
        commission: None,
        files: BTreeMap::new(),
        signing_key: None,
    }
}

/// `ELOOP`: too many levels of symbolic links.
#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// What a path is when it is neither a regular file nor a folder (after symbolic links): a pipe,
/// a socket, a device. Asking does not open it.
fn special_file(path: &Path) -> Option<Text> {
    let m = std::fs::metadata(path).ok()?;
    if m.is_file() || m.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return Some(Text::new("именованный канал (FIFO)", "a named pipe (FIFO)"));
        }
        if t.is_socket() {
            return Some(Text::new("сокет", "a socket"));
        }
        if t.is_block_device() || t.is_char_device() {
            return Some(Text::new("устройство", "a device"));
        }
    }
    Some(Text::new("особый файл системы", "a special file"))
}

/// Why a text file cannot be read: not text at all, or UTF-8 with bytes that are not UTF-8.
fn text_problem(file: &str, scan: &text::Scan) -> Option<Diagnostic> {
    if let Some(nt) = scan.not_text {
        return Some(not_text_diag(file, nt));
    }
    let (line, col, n) = scan.bad_utf8?;
    Some(
        Diagnostic::error(
            file,
            Text::new(
                format!("файл в кодировке UTF-8, но байтов не в UTF-8 в нём: {n}; первый — в позиции {col} строки {line}: текст в этом месте испорчен, файл не читается"),
                format!("the file is UTF-8 but has {n} bytes that are not UTF-8, the first at position {col} of line {line}: the text is damaged there, the file is not read"),
            ),
        )
        .at(line, None)
        .hint(Text::new(
            "откройте файл в редакторе, исправьте текст в этой строке и сохраните в UTF-8 (или выгрузите файл из платформы заново)",
            "open the file in an editor, correct the text in this line and save it as UTF-8 (or download it from the platform again)",
        )),
    )
}

fn not_text_diag(file: &str, (line, col, byte): (u64, u64, u8)) -> Diagnostic {
    Diagnostic::error(
        file,
        Text::new(
            format!("это не текстовый файл: байт 0x{byte:02X} в позиции {col} строки {line}"),
            format!("this is not a text file: byte 0x{byte:02X} at position {col} of line {line}"),
        ),
    )
    .at(line, None)
    .hint(Text::new(
        "сохраните выгрузку как CSV (UTF-8 или Windows-1251) или YAML; книгу Excel оставьте с её расширением (.xlsx, .xls, .ods); архивы не подходят",
        "save the export as CSV (UTF-8 or Windows-1251) or YAML; keep an Excel workbook's own extension (.xlsx, .xls, .ods); archives are not accepted",
    ))
}

/// Calls `$m!(list, ...)` with the name of every record list of a [`Period`].
macro_rules! record_lists {
    ($m:ident) => {
        $m!(
            programmes,
            groups,
            learners,
            enrolments,
            orders,
            lessons,
            attendance,
            grade_items,
            grades,
            protocols,
            protocol_results,
            issued_documents,
            awards,
            portfolio,
            credit_transfers,
            attachments
        )
    };
}

/// Reads a `letopis.yaml` given on its own (`letopis retention --config`): the file, or the
/// folder holding it. Errors name the file, line and column.
pub fn read_config(path: &Path) -> Result<crate::model::Config, Text> {
    let file = if path.is_dir() {
        path.join(CONFIG_FILE)
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Text::new(
            format!("{}: {e}", file.display()),
            format!("{}: {e}", file.display()),
        )
    })?;
    serde_norway::from_str::<crate::model::Config>(&text).map_err(|e| {
        if let Some((line, col, msg)) = crate::model::retention::locate_rule_error(&text, &e) {
            let m = format!("{}:{line}:{col}: {msg}", file.display());
            return Text::new(m.clone(), m);
        }
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        Text::new(
            format!("{}{at}: {e}", file.display()),
            format!("{}{at}: {e}", file.display()),
        )
    })
}

/// A name that is not valid Unicode cannot be kept under the same name in the archive (its
/// manifest, pages and the medium's file system name files in UTF-8).
fn not_utf8_name(rel: &str) -> Diagnostic {
    Diagnostic::error(
            rel.to_string(),
            Text::new(
                "имя файла или папки не в кодировке UTF-8 (знаки «�» на месте неверных байтов): архив не может сохранить его под этим именем",
                "the file or folder name is not valid UTF-8 (shown with «�» for the bad bytes): the archive cannot keep it under this name",
            ),
        )
        .hint(Text::new(
            "переименуйте файл (имя могло испортиться при распаковке архива, созданного в другой кодировке)",
            "rename the file (the name may have been damaged when unpacking an archive made in another encoding)",
        ))
}

/// A link leaving the folder, looping or broken; a pipe, socket or device; a name that
/// `sha256sum -c` cannot check: reported, and true when the path is not to be read.
fn refused(
    e: &walkdir::DirEntry,
    root: &Path,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
    statuses: &mut BTreeMap<String, PathStatus>,
) -> bool {
    let ft = e.file_type();
    if ft.is_symlink() {
        match std::fs::canonicalize(e.path()) {
            Ok(target) if !target.starts_with(root) => {
                diags.push(
                    Diagnostic::error(
                        rel.to_string(),
                        Text::new(
                            format!("символическая ссылка ведёт за пределы папки выгрузки ({}): не принимается", target.display()),
                            format!("symbolic link points outside the input folder ({}): refused", target.display()),
                        ),
                    )
                    .hint(Text::new(
                        "скопируйте сам файл в папку выгрузки вместо ссылки",
                        "copy the file itself into the input folder instead of linking it",
                    )),
                );
                statuses.insert(rel.to_string(), PathStatus::Outside);
                return true;
            }
            Ok(target) if target.is_dir() => {
                statuses.insert(rel.to_string(), PathStatus::Folder);
                return true;
            }
            Ok(_) => {}
            Err(err) => {
                let looped = err.raw_os_error() == Some(ELOOP);
                diags.push(Diagnostic::error(
                    rel.to_string(),
                    if looped {
                        Text::new(
                            "символическая ссылка ведёт по кругу (ссылается сама на себя через другие ссылки)",
                            "symbolic link loop (the link leads back to itself)",
                        )
                    } else {
                        Text::new(
                            "символическая ссылка никуда не ведёт (файл удалён?)",
                            "broken symbolic link (was the file deleted?)",
                        )
                    },
                ));
                return true;
            }
        }
    }
    // A pipe, socket or device is never opened: reading one would wait forever.
    if let Some(what) = special_file(e.path()) {
        diags.push(
            Diagnostic::error(
                rel.to_string(),
                Text::new(
                    format!(
                        "это не обычный файл, а {}: он не читается и в архив не попадает",
                        what.ru
                    ),
                    format!(
                        "this is not a regular file but {}: it is not read nor archived",
                        what.en
                    ),
                ),
            )
            .hint(Text::new(
                "удалите его из папки выгрузки; выгрузки платформ — обычные файлы",
                "remove it from the input folder; platform exports are regular files",
            )),
        );
        return true;
    }
    // A name with `%`, CR or LF is written percent-encoded in a BagIt manifest (RFC 8493), and
    // then `sha256sum -c` and bagit.py cannot check that file: refused here, so that every
    // archive stays checkable by anyone (see docs/integrity.md).
    if rel.contains(['%', '\r', '\n']) {
        diags.push(
            Diagnostic::error(
                rel.escape_debug().to_string(),
                Text::new(
                    "в имени файла есть «%» или перевод строки: такой файл не проверить командой sha256sum -c и валидаторами BagIt",
                    "the file name contains `%` or a line break: sha256sum -c and BagIt validators cannot check such a file",
                ),
            )
            .hint(Text::new(
                "переименуйте файл (например, «%» замените словом «проц») и поправьте ссылки на него в списках вложений",
                "rename the file (e.g. write `pct` instead of `%`) and update the references to it in the attachment lists",
            )),
        );
        return true;
    }
    false
}

/// Step 1 of [`load`]: every file of the folder, and the status of every path for attachment
/// checks; names that cannot be kept, links leaving the folder or looping, special files and
/// folders that cannot be listed are reported and left out.
fn walk(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Entry>, BTreeMap<String, PathStatus>), Error> {
    let root = root.to_path_buf();
    let mut entries: Vec<Entry> = Vec::new();
    let mut statuses: BTreeMap<String, PathStatus> = BTreeMap::new();
    let mut skip_under: Vec<PathBuf> = Vec::new();
    for e in walkdir::WalkDir::new(&root)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
    {
        let e = match e {
            Ok(e) => e,
            // A folder that cannot be listed: reported, the rest is still walked.
            Err(err)
                if err
                    .path()
                    .is_some_and(|p| p.starts_with(&root) && p != root) =>
            {
                let path = err.path().unwrap_or(&root);
                let rel = path
                    .strip_prefix(&root)
                    .map(|r| r.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let source = err
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("file system loop"));
                diags.push(unreadable_as(&rel, &source, true));
                continue;
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.clone());
                return Err(Error::Io {
                    path,
                    source: err
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("file system loop")),
                });
            }
        };
        let rel = match e.path().strip_prefix(&root) {
            Ok(r) => r
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => continue,
        };
        // A name that is not valid Unicode cannot be kept under the same name in the archive
        // (its manifest, pages and the medium's file system name files in UTF-8).
        if e.file_name().to_str().is_none() {
            diags.push(not_utf8_name(&rel));
            if e.file_type().is_dir() {
                skip_under.push(e.path().to_path_buf());
            }
            continue;
        }
        if skip_under.iter().any(|d| e.path().starts_with(d)) {
            continue;
        }
        let ft = e.file_type();
        if ft.is_dir() {
            if matches!(classify(&rel), Class::Config | Class::Record(_)) {
                diags.push(
                    Diagnostic::warning(
                        rel.clone(),
                        Text::new(
                            "это папка, названная как файл записей: она не читается как записи",
                            "this is a folder named like a record file: it is not read as records",
                        ),
                    )
                    .hint(Text::new(
                        "переименуйте папку или положите вместо неё сам файл",
                        "rename the folder or put the file itself in its place",
                    )),
                );
            }
            statuses.insert(rel, PathStatus::Folder);
            continue;
        }
        if refused(&e, &root, &rel, diags, &mut statuses) {
            continue;
        }
        let class = classify(&rel);
        if matches!(class, Class::Config | Class::Record(_)) {
            statuses.insert(rel.clone(), PathStatus::InputFile);
        }
        entries.push(Entry {
            rel,
            abs: e.path().to_path_buf(),
            class,
        });
    }

    // Names Windows and USB sticks cannot hold are reported before a build fails on them.
    let mut names: Vec<&str> = statuses.keys().map(String::as_str).collect();
    names.extend(entries.iter().map(|e| e.rel.as_str()));
    names.sort_unstable();
    names.dedup();
    diags.extend(names::check(&names));
    Ok((entries, statuses))
}

/// Step 2 of [`load`]: hashes the files that are not read as data (attachments, workbooks,
/// unknown files) on both cores; each gets its status and a source row.
fn hash_others(
    entries: &[Entry],
    statuses: &mut BTreeMap<String, PathStatus>,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<usize, SourceFile> {
    let hashed: Vec<(usize, io::Result<(u64, String)>)> = entries
        .par_iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.class, Class::Other | Class::Readme | Class::Unreadable(_)))
        .map(|(i, e)| (i, File::open(&e.abs).and_then(text::hash)))
        .collect();
    let mut other_sources: HashMap<usize, SourceFile> = HashMap::new();
    for h in hashed {
        let (i, (size, sha)) = match h {
            (i, Ok(h)) => (i, h),
            (i, Err(err)) => {
                statuses.insert(entries[i].rel.clone(), PathStatus::Unreadable);
                diags.push(unreadable(&entries[i].rel, &err));
                continue;
            }
        };
        let e = &entries[i];
        statuses.insert(e.rel.clone(), PathStatus::File(size, sha.clone()));
        other_sources.insert(
            i,
            SourceFile {
                path: e.rel.clone(),
                kind: "unknown".into(),
                format: "binary".into(),
                encoding: String::new(),
                delimiter: None,
                size,
                sha256: sha,
                rows_read: 0,
                rows_kept: 0,
                rows_rejected: 0,
            },
        );
    }
    other_sources
}

/// Step 3 of [`load`]: `letopis.yaml` (or `.yml`), read and checked; `None` when it is missing
/// or has errors (reported). Also gives the config files found.
fn read_configs<'e>(
    entries: &'e [Entry],
    diags: &mut Vec<Diagnostic>,
    sources: &mut Vec<SourceFile>,
) -> Result<(Option<Config>, Vec<&'e Entry>), Error> {
    let mut config: Option<Config> = None;
    let configs: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.class == Class::Config)
        .collect();
    if configs.len() > 1 {
        for e in &configs {
            diags.push(Diagnostic::error(
                e.rel.clone(),
                Text::new(
                    "в папке и letopis.yaml, и letopis.yml: оставьте один",
                    "both letopis.yaml and letopis.yml are present: keep one",
                ),
            ));
        }
    }
    for e in &configs {
        let Ok(bytes) = std::fs::read(&e.abs).map_err(|err| diags.push(unreadable(&e.rel, &err)))
        else {
            continue;
        };
        let scan = text::scan(&bytes[..]).map_err(io_err(&e.abs))?;
        sources.push(text_source(&e.rel, "config", "yaml", &scan, None));
        if configs.len() > 1 {
            continue;
        }
        if let Some(d) = text_problem(&e.rel, &scan) {
            diags.push(d);
            continue;
        }
        let src = text::decode_all(&bytes, scan.encoding);
        if let Some(d) = rows::yaml_too_deep(&e.rel, &src) {
            diags.push(d);
            continue;
        }
        match serde_norway::from_str::<Config>(&src) {
            Ok(c) => {
                if c.period.end < c.period.start {
                    diags.push(
                        Diagnostic::error(
                            e.rel.clone(),
                            Text::new(
                                "period.end раньше period.start",
                                "period.end is before period.start",
                            ),
                        )
                        .hint(Text::new(
                            "проверьте даты периода",
                            "check the period's dates",
                        )),
                    );
                } else {
                    let bad = archive_name_problems(&e.rel, &src, &c);
                    if bad.is_empty() {
                        config = Some(c);
                    } else {
                        diags.extend(bad);
                    }
                }
            }
            Err(err) if crate::model::retention::locate_rule_error(&src, &err).is_some() => {
                if let Some((line, col, msg)) =
                    crate::model::retention::locate_rule_error(&src, &err)
                {
                    diags.push(
                        Diagnostic::error(e.rel.clone(), Text::new(msg.clone(), msg))
                            .at(line, Some(col))
                            .hint(Text::new(
                                "срок: years и/или months с from (completion, group_end, document_date) или permanent: true; образец — в letopis.yaml от letopis init",
                                "a term: years and/or months with from (completion, group_end, document_date), or permanent: true; see the letopis.yaml written by letopis init",
                            )),
                    );
                }
            }
            Err(err) => diags.push(config_error(&e.rel, &err)),
        }
    }
    if configs.is_empty() {
        diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                Text::new(
                    "нет файла letopis.yaml: организация и период не заданы",
                    "letopis.yaml is missing: the organisation and the period are not set",
                ),
            )
            .hint(Text::new(
                "создайте его по образцу: letopis init <новая папка> и скопируйте оттуда letopis.yaml",
                "create it from the sample: letopis init <new folder>, then copy letopis.yaml from there",
            )),
        );
    }
    Ok((config, configs))
}

/// Step 5 of [`load`]: the Markdown documents of `documents/`, sorted by id.
fn read_documents(
    entries: &[Entry],
    statuses: &mut BTreeMap<String, PathStatus>,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Vec<SourceFile>,
) -> Vec<MarkdownDoc> {
    let mut documents: Vec<MarkdownDoc> = Vec::new();
    for e in entries.iter().filter(|e| e.class == Class::Document) {
        let Ok(bytes) = std::fs::read(&e.abs).map_err(|err| diags.push(unreadable(&e.rel, &err)))
        else {
            continue;
        };
        // Scanning bytes in memory cannot fail.
        let Ok(scan) = text::scan(&bytes[..]) else {
            continue;
        };
        sources.push(text_source(&e.rel, "document", "markdown", &scan, None));
        // An order's or award's `file` may point at a Markdown document.
        statuses.insert(
            e.rel.clone(),
            PathStatus::File(scan.size, scan.sha256.clone()),
        );
        if let Some(d) = text_problem(&e.rel, &scan) {
            diags.push(d);
            continue;
        }
        let markdown = text::decode_all(&bytes, scan.encoding);
        let name = e.rel.rsplit('/').next().unwrap_or(&e.rel);
        let id = name[..name.len() - 3].to_string();
        let title = markdown
            .lines()
            .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| id.clone());
        if let Some(other) = documents.iter().find(|d| slug(&d.id) == slug(&id)) {
            diags.push(Diagnostic::error(
                e.rel.clone(),
                Text::new(
                    format!(
                        "имя документа совпадает с {} после перевода в латиницу",
                        other.path
                    ),
                    format!("the document's name gives the same page as {}", other.path),
                ),
            ));
            continue;
        }
        documents.push(MarkdownDoc {
            id,
            path: e.rel.clone(),
            title,
            markdown,
        });
    }
    documents.sort_by(|a, b| a.id.cmp(&b.id));
    documents
}

/// Step 4 of [`load`]: the record files and sheets, in kind order (grade_items before grades:
/// grades are checked on their items' scales); attendance, the biggest file and needed by no
/// other kind while reading, on the other core at the same time.
fn read_record_files(
    entries: &[Entry],
    found: &Found,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    root: &Path,
) -> Result<Reading, Error> {
    let mut by_kind: BTreeMap<Kind, Vec<(&Entry, Option<&table::Table>)>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Class::Record(k) = e.class
            && !found.taken.contains(&i)
        {
            by_kind.entry(k).or_default().push((e, None));
        }
    }
    for (i, unit, t) in &found.units {
        if let Unit::Records(k) = unit {
            by_kind.entry(*k).or_default().push((&entries[*i], Some(t)));
        }
    }
    let attendance_files = by_kind.remove(&Kind::Attendance).unwrap_or_default();
    let mut reading = Reading::default();
    let mut att = Reading::default();
    std::thread::scope(|scope| -> Result<(), Error> {
        let side = scope.spawn(|| att.read_kind(Kind::Attendance, &attendance_files, period));
        for (kind, files) in &by_kind {
            reading.read_kind(*kind, files, period)?;
        }
        side.join().unwrap_or_else(|_| {
            Err(Error::Io {
                path: root.to_path_buf(),
                source: io::Error::other("the attendance reader stopped"),
            })
        })
    })?;
    reading.merge(att);
    Ok(reading)
}

/// Step 4b of [`load`]: the platform exports (Moodle gradebooks and attendance, FRDO
/// registers), now that the learners and enrolments they refer to are staged.
fn read_exports(
    entries: &[Entry],
    found: &Found,
    specs: &BTreeMap<String, FileSpec>,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    reading: &mut Reading,
) {
    if !found
        .units
        .iter()
        .any(|(_, u, _)| matches!(u, Unit::Export(_)))
    {
        return;
    }
    // Exports stage neither learners nor enrolments: one index serves them all.
    let index = LearnerIndex::new(&reading.st.learners, &reading.st.enrolments);
    let mut fed: HashMap<String, u64> = HashMap::new();
    let mut sink = exports::Sink {
        st: &mut reading.st,
        period,
        diags: &mut reading.diags,
        rejected: &mut reading.rejected,
        fed: &mut fed,
        index: &index,
    };
    for (i, unit, t) in &found.units {
        let rel = &entries[*i].rel;
        let spec = specs.get(rel);
        match unit {
            Unit::Export(FileFormat::MoodleGrades) => moodle::read(rel, t, spec, &mut sink),
            Unit::Export(FileFormat::MoodleAttendance) => {
                attendance_export::read(rel, t, spec, &mut sink)
            }
            Unit::Export(FileFormat::Frdo) => frdo::read(rel, t, spec, &mut sink),
            Unit::Records(_) => {}
        }
    }
    for (k, v) in fed {
        *reading.rows_read.entry(k).or_default() += v;
    }
}

/// What step 7 of [`load`] tells the other files by.
struct Known<'a> {
    found: &'a Found,
    /// The folder of template overrides named in letopis.yaml: its files are not unknown files.
    templates: Option<&'a str>,
    /// Files named by a record (attachments, orders' and awards' files).
    referenced: &'a std::collections::HashSet<String>,
    mentioned: &'a std::collections::HashSet<String>,
}

/// Step 7 of [`load`]: the files not read as records, each listed with what it is: attachments,
/// README, templates, workbooks and exports that were read, or unknown (kept verbatim, with a
/// warning); named like a record kind in a format that is not read, an error.
fn list_others(
    entries: &[Entry],
    other_sources: HashMap<usize, SourceFile>,
    known: &Known,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Vec<SourceFile>,
) {
    let mut others: Vec<(usize, SourceFile)> = other_sources.into_iter().collect();
    others.sort_by_key(|(i, _)| *i);
    for (i, mut s) in others {
        let in_templates = known
            .templates
            .is_some_and(|t| s.path.starts_with(&format!("{t}/")));
        if let Class::Unreadable(kind) = entries[i].class {
            s.kind = kind.stem().into();
            diags.push(
                Diagnostic::error(
                    s.path.clone(),
                    Text::new(
                        format!("файлы этого формата не читаются: записи «{}» не прочитаны", kind.stem()),
                        format!("files of this format are not read: the «{}» records were not read", kind.stem()),
                    ),
                )
                .hint(Text::new(
                    format!("сохраните таблицу как CSV (в Excel: «Сохранить как» → «CSV (разделители — точка с запятой)») под именем {}.csv", kind.stem()),
                    format!("save the sheet as CSV (in Excel: Save As → CSV) named {}.csv", kind.stem()),
                )),
            );
        } else if entries[i].class == Class::Readme {
            s.kind = "readme".into();
            if s.path.to_lowercase().ends_with(".md") {
                s.format = "markdown".into();
            }
        } else if s.kind != "unknown" {
            // A workbook or a platform export that was read.
        } else if let Some(errs) = known.found.unknown.get(&i)
            && !(known.referenced.contains(&s.path) || known.mentioned.contains(&s.path))
        {
            s.kind = "unrecognised".into();
            diags.extend(errs.iter().cloned());
        } else if in_templates {
            s.kind = "template".into();
        } else if known.referenced.contains(&s.path) || known.mentioned.contains(&s.path) {
            s.kind = "attachment-file".into();
        } else {
            diags.push(
                Diagnostic::warning(
                    s.path.clone(),
                    Text::new(
                        "неизвестный файл: он будет сохранён в архиве как есть, но не прочитан",
                        "unknown file: it is kept in the archive as is, but not read",
                    ),
                )
                .hint(Text::new(
                    "файлы записей называются по виду записей (learners.csv, grades.yaml...); вложения перечисляются в attachments",
                    "record files are named after their kind (learners.csv, grades.yaml...); attachments are listed in attachments",
                )),
            );
        }
        sources.push(s);
    }
}

/// The kinds with no file (or an empty one), for the references to them; a kind given in a
/// format that is not read has its own error and is unavailable instead (references cascade).
fn missing_kinds(
    entries: &[Entry],
    found: &Found,
    empty: &std::collections::HashSet<Kind>,
    mut unavailable: std::collections::HashSet<Kind>,
) -> (
    std::collections::HashSet<Kind>,
    std::collections::HashSet<Kind>,
) {
    let mut missing_kinds: std::collections::HashSet<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| {
            empty.contains(k)
                || !entries
                    .iter()
                    .enumerate()
                    .any(|(i, e)| e.class == Class::Record(*k) && !found.taken.contains(&i))
        })
        .filter(|k| !found.units.iter().any(|(_, u, _)| *u == Unit::Records(*k)))
        .collect();
    // A kind given in a format that is not read has its own error; references to it cascade.
    for e in entries {
        if let Class::Unreadable(k) = e.class
            && missing_kinds.remove(&k)
        {
            unavailable.insert(k);
        }
    }
    for k in &found.unreadable {
        if missing_kinds.remove(k) {
            unavailable.insert(*k);
        }
    }
    (missing_kinds, unavailable)
}

/// There is no enrolments file (or it is empty) while there are learners.
fn no_enrolments() -> Diagnostic {
    Diagnostic::warning(
            "enrolments.csv",
            Text::new(
                "нет зачислений (файла enrolments.csv или enrolments.yaml нет, или он пуст): слушатели не привязаны к группам",
                "there are no enrolments (no enrolments.csv or enrolments.yaml, or an empty one): learners are not tied to groups",
            ),
        )
        .hint(Text::new(
            "добавьте выгрузку зачислений: слушатель, группа, дата зачисления",
            "add the enrolments export: learner, group, enrolment date",
        ))
}

/// The folder of template overrides named in letopis.yaml (its files are not unknown files),
/// as a path inside the folder; a folder that is not there is an error (`build` would stop).
fn templates_folder(
    config: Option<&Config>,
    root: &Path,
    configs: &[&Entry],
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let templates: Option<String> = config
        .and_then(|c| c.templates.as_deref())
        .map(|t| {
            t.trim()
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        })
        .filter(|t| !t.is_empty());
    if let Some(c) = config
        && let Some(t) = c.templates.as_deref()
        && !root.join(t).is_dir()
    {
        diags.push(templates_missing(root, configs, t));
    }
    templates
}

/// The period of the records that passed, its files and rejected rows, the per-file tally and
/// the sorted diagnostics.
fn assemble(
    config: Config,
    st: Staging,
    grades: Vec<Grade>,
    documents: Vec<MarkdownDoc>,
    (sources, rejected, rows_read): (Vec<SourceFile>, Vec<RejectedRow>, &HashMap<String, u64>),
    mut diags: Vec<Diagnostic>,
) -> (Period, Vec<Diagnostic>) {
    let mut p = Period {
        config,
        programmes: st.programmes,
        groups: st.groups,
        learners: st.learners,
        enrolments: st.enrolments,
        orders: st.orders,
        lessons: st.lessons,
        attendance: st.attendance,
        grade_items: st.grade_items,
        grades,
        protocols: st.protocols,
        protocol_results: st.protocol_results,
        issued_documents: st.issued_documents,
        awards: st.awards,
        portfolio: st.portfolio,
        credit_transfers: st.credit_transfers,
        attachments: st.attachments,
        documents,
        sources,
        rejected,
    };
    tally(&mut p, rows_read);
    // Record lists grew by doubling while read: give back the unused tail (a quarter of the
    // period's memory on large attendance and grade files) for the later stages.
    macro_rules! shrink {
        ($($v:ident),*) => { $( p.$v.shrink_to_fit(); )* };
    }
    record_lists!(shrink);
    p.rejected.sort_by_key(|a| a.origin);
    p.sources.sort_by(|a, b| a.path.cmp(&b.path));
    diag::sort(&mut diags);
    (p, diags)
}

/// Reads and validates an input folder. The diagnostics are sorted; when one of them is an error the
/// period must not be archived.
pub fn load(input_dir: &Path) -> Result<(Period, Vec<Diagnostic>), Error> {
    let meta = std::fs::metadata(input_dir).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            Error::NotFound(input_dir.to_path_buf())
        } else {
            io_err(input_dir)(e)
        }
    })?;
    if !meta.is_dir() {
        return Err(Error::NotADirectory(input_dir.to_path_buf()));
    }
    if let Some(data) = crate::model::tables::rebuild_root(input_dir) {
        return from_records::load(input_dir, &data);
    }
    let root = std::fs::canonicalize(input_dir).map_err(io_err(input_dir))?;
    let mut diags: Vec<Diagnostic> = Vec::new();

    // 1. Walk the folder: every file, and the status of every path for attachment checks.
    let (entries, mut statuses) = walk(&root, &mut diags)?;

    // 2. Hash the other files (attachments, unknown files) on both cores.
    let mut other_sources = hash_others(&entries, &mut statuses, &mut diags);
    let mut sources: Vec<SourceFile> = Vec::new();

    // 3. The configuration.
    let (config, configs) = read_configs(&entries, &mut diags, &mut sources)?;
    let period = config.as_ref().map(|c| (c.period.start, c.period.end));
    let templates = templates_folder(config.as_ref(), &root, &configs, &mut diags);

    // 4. Record files, in kind order (grade_items before grades: grades are checked on their
    // items' scales). Attendance, the biggest file and needed by no other kind while reading,
    // is read on the other core at the same time.
    //
    // Before them, the tables that are not record files by their name: workbooks (sheets of our
    // own record kinds or platform exports) and platform exports as text (see `exports`).
    let specs: BTreeMap<String, FileSpec> =
        config.as_ref().map(|c| c.files.clone()).unwrap_or_default();
    let found = find_tables(&entries, &specs, &mut other_sources, &mut diags)?;
    let mut reading = read_record_files(&entries, &found, period, &root)?;
    // 4b. Platform exports, now that the learners and enrolments they refer to are staged.
    read_exports(&entries, &found, &specs, period, &mut reading);
    let Reading {
        st,
        mut rejected,
        header_cols,
        rows_read,
        gone,
        unavailable,
        empty,
        diags: mut read_diags,
        sources: mut read_sources,
    } = reading;
    diags.append(&mut read_diags);
    sources.append(&mut read_sources);

    // 5. Markdown documents.
    let documents = read_documents(&entries, &mut statuses, &mut diags, &mut sources);

    // 6. Cross-record validation.
    let mentioned = mentioned_paths(&st);
    let unavailable_enrolments = unavailable.contains(&Kind::Enrolments);
    let (missing_kinds, unavailable) = missing_kinds(&entries, &found, &empty, unavailable);
    let enrolments_absent = empty.contains(&Kind::Enrolments)
        || !entries
            .iter()
            .any(|e| e.class == Class::Record(Kind::Enrolments));
    let mut v = Validator {
        diags: Vec::new(),
        rejected: Vec::new(),
        header_cols: &header_cols,
        files: &statuses,
        referenced: Default::default(),
        gone,
        unavailable,
        missing: missing_kinds,
        cascades: Default::default(),
    };
    // The lists grew by doubling while read: their unused tails (a quarter of the attendance at
    // 6,000,000 marks) go back before validation, whose own lists and maps come on top.
    let mut st = st;
    macro_rules! shrink_staged {
        ($($l:ident),*) => { $( st.$l.shrink_to_fit(); )* };
    }
    record_lists!(shrink_staged);
    let (st, grades) = validate::run(&mut v, st);
    diags.append(&mut v.diags);
    rejected.append(&mut v.rejected);
    let referenced = std::mem::take(&mut v.referenced);
    if enrolments_absent && !st.learners.is_empty() {
        diags.push(no_enrolments());
    } else {
        not_enrolled(&st, &rejected, unavailable_enrolments, &mut diags);
    }

    // 7. The other files: attachments, or unknown (kept verbatim, with a warning).
    let known = Known {
        found: &found,
        templates: templates.as_deref(),
        referenced: &referenced,
        mentioned: &mentioned,
    };
    list_others(&entries, other_sources, &known, &mut diags, &mut sources);

    Ok(assemble(
        config.unwrap_or_else(unreadable_config),
        st,
        grades,
        documents,
        (sources, rejected, &rows_read),
        diags,
    ))
}

fn text_source(
    rel: &str,
    kind: &str,
    format: &str,
    scan: &text::Scan,
    delimiter: Option<char>,
) -> SourceFile {
    SourceFile {
        path: rel.to_string(),
        kind: kind.to_string(),
        format: format.to_string(),
        encoding: scan.encoding.name().to_string(),
        delimiter,
        size: scan.size,
        sha256: scan.sha256.clone(),
        rows_read: 0,
        rows_kept: 0,
        rows_rejected: 0,
    }
}

/// Fills the per-file counts: rows read (by the readers), kept (records in the model) and rejected.
fn tally(p: &mut Period, read: &HashMap<String, u64>) {
    let mut kept: HashMap<&str, u64> = HashMap::new();
    macro_rules! count {
        ($($v:ident),*) => { $( for r in &p.$v { *kept.entry(&*r.origin.file).or_default() += 1; } )* };
    }
    record_lists!(count);
    let mut rejected: HashMap<&str, u64> = HashMap::new();
    for r in &p.rejected {
        *rejected.entry(&*r.origin.file).or_default() += 1;
    }
    let kept: HashMap<String, u64> = kept.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let rejected: HashMap<String, u64> = rejected
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for s in &mut p.sources {
        s.rows_read = read.get(&s.path).copied().unwrap_or(0);
        s.rows_kept = kept.get(&s.path).copied().unwrap_or(0);
        s.rows_rejected = rejected.get(&s.path).copied().unwrap_or(0);
    }
}

/// Paths named by attachments and `file` columns, as written (normalised), whether or not their
/// rows pass: such files are attachment files, not unknown ones.
fn mentioned_paths(st: &Staging) -> std::collections::HashSet<String> {
    let norm = |p: &str| {
        p.trim()
            .replace('\\', "/")
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut out = std::collections::HashSet::new();
    out.extend(st.attachments.iter().map(|a| norm(&a.path)));
    out.extend(st.orders.iter().filter_map(|r| r.file.as_deref()).map(norm));
    out.extend(st.awards.iter().filter_map(|r| r.file.as_deref()).map(norm));
    out.extend(
        st.portfolio
            .iter()
            .filter_map(|r| r.file.as_deref())
            .map(norm),
    );
    out
}

/// A warning for each learner without an enrolment (unless their enrolment row was rejected: then
/// the error about that row says it all).
fn not_enrolled(
    st: &Staging,
    rejected: &[RejectedRow],
    enrolments_unreadable: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if enrolments_unreadable {
        return;
    }
    let learner_col = Kind::Enrolments.col("learner");
    let mut enrolled: std::collections::HashSet<&str> =
        st.enrolments.iter().map(|e| e.learner.as_str()).collect();
    for r in rejected {
        if r.origin.file.starts_with("enrolments.") {
            for (k, v) in &r.values {
                if Kind::Enrolments.match_header(k) == Some(learner_col) {
                    enrolled.insert(v.as_str());
                }
            }
        }
    }
    for l in &st.learners {
        if !enrolled.contains(l.id.as_str()) {
            diags.push(
                Diagnostic::warning(
                    l.origin.file.to_string(),
                    Text::new(
                        format!(
                            "слушатель «{}» ({}) не зачислен ни в одну группу",
                            l.id,
                            l.full_name()
                        ),
                        format!(
                            "learner «{}» ({}) is not enrolled in any group",
                            l.id,
                            l.full_name()
                        ),
                    ),
                )
                .at(l.origin.line, None)
                .hint(Text::new(
                    "добавьте строку в enrolments",
                    "add a row to enrolments",
                )),
            );
        }
    }
}

/// How a record file is read, by its extension: `yaml` or `csv` (also `.tsv`, `.txt`).
fn format_of(rel: &str) -> &'static str {
    let lower = rel.to_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        "yaml"
    } else {
        "csv"
    }
}

/// Reads a YAML record file; false when it cannot be read (reported).
fn read_yaml_file(
    e: &Entry,
    scan: &text::Scan,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
    on_item: &mut dyn FnMut(&rows::Header, Item),
) -> bool {
    match std::fs::read(&e.abs) {
        Ok(bytes) => rows::read_yaml(&bytes, scan.encoding, &e.rel, kind, diags, on_item),
        Err(err) => {
            diags.push(unreadable(&e.rel, &err));
            false
        }
    }
}

/// Two files (or sheets) of one record kind: neither is read.
fn given_twice(kind: Kind, files: &[(&Entry, Option<&table::Table>)], label: &str) -> Diagnostic {
    let names: Vec<String> = files
        .iter()
        .map(|(f, t)| t.map(|t| t.label(&f.rel)).unwrap_or_else(|| f.rel.clone()))
        .collect();
    Diagnostic::error(
        label,
        Text::new(
            format!(
                "записи «{}» заданы дважды: {}",
                kind.stem(),
                names.join(" и ")
            ),
            format!(
                "records «{}» are given twice: {}",
                kind.stem(),
                names.join(" and ")
            ),
        ),
    )
    .hint(Text::new(
        "оставьте один файл (CSV или YAML)",
        "keep one file (CSV or YAML)",
    ))
}

/// The table's row of a record file that could not be read: nothing read.
fn unread_source(rel: &str, kind: Kind) -> SourceFile {
    SourceFile {
        path: rel.to_string(),
        kind: kind.stem().into(),
        format: "unreadable".into(),
        encoding: String::new(),
        delimiter: None,
        size: 0,
        sha256: String::new(),
        rows_read: 0,
        rows_kept: 0,
        rows_rejected: 0,
    }
}

/// Takes the items of one record file: rows typed into records (or rejected with their
/// reason), broken rows rejected, and what the later checks need (ids gone, header positions).
struct RowSink<'a> {
    kind: Kind,
    file: &'a str,
    origin_file: Key,
    id_col: Option<usize>,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    count: u64,
    missing_columns: bool,
    row_diags: Vec<Diagnostic>,
    st: &'a mut Staging,
    rejected: &'a mut Vec<RejectedRow>,
    header_cols: &'a mut HashMap<String, Vec<Option<u64>>>,
    gone: &'a mut HashMap<Kind, std::collections::HashSet<String>>,
}

impl RowSink<'_> {
    fn reject(&mut self, line: u64, values: BTreeMap<String, String>, reason: Text) {
        self.rejected.push(RejectedRow {
            origin: Origin::new(self.origin_file, line),
            values,
            reason,
        });
    }

    fn item(&mut self, h: &rows::Header, item: Item) {
        let kind = self.kind;
        self.count += 1;
        self.header_cols
            .entry(self.file.to_string())
            .or_insert_with(|| h.cols.clone());
        match item {
            Item::Broken { line, values, diag } => {
                if let Some(c) = self.id_col
                    && let Some((_, id)) =
                        values.iter().find(|(k, _)| kind.match_header(k) == Some(c))
                {
                    self.gone.entry(kind).or_default().insert(id.clone());
                }
                self.reject(line, values, diag.message.clone());
                self.row_diags.push(diag);
            }
            Item::Row(row) => {
                if let Some(reason) = &h.missing {
                    self.missing_columns = true;
                    self.reject(row.line, h.values(&row), reason.clone());
                    return;
                }
                let mut c = Ctx {
                    kind,
                    file: self.file,
                    origin_file: &self.origin_file,
                    row: &row,
                    header_cols: &h.cols,
                    period: self.period,
                    errors: Vec::new(),
                    warnings: Vec::new(),
                };
                let ok = records::build(&mut c, self.st);
                let (mut errors, mut warnings) = (c.errors, c.warnings);
                self.row_diags.append(&mut warnings);
                if !ok {
                    if let Some(Some(cell)) = self.id_col.and_then(|c| row.cells.get(c)) {
                        self.gone
                            .entry(kind)
                            .or_default()
                            .insert(cell.value.clone());
                    }
                    let reason = errors
                        .first()
                        .map(|d| d.message.clone())
                        .unwrap_or_else(|| Text::new("ошибка в строке", "error in the row"));
                    self.reject(row.line, h.values(&row), reason);
                    self.row_diags.append(&mut errors);
                }
            }
        }
    }
}

/// The state of reading the record files: what passed the row checks, what was rejected, and the
/// per-file facts later steps need.
#[derive(Default)]
struct Reading {
    st: Staging,
    rejected: Vec<RejectedRow>,
    header_cols: HashMap<String, Vec<Option<u64>>>,
    rows_read: HashMap<String, u64>,
    gone: HashMap<Kind, std::collections::HashSet<String>>,
    unavailable: std::collections::HashSet<Kind>,
    /// Kinds whose file has no rows at all.
    empty: std::collections::HashSet<Kind>,
    diags: Vec<Diagnostic>,
    sources: Vec<SourceFile>,
}

impl Reading {
    /// Reads the file(s) of one kind (two files of one kind are an error and neither is read).
    fn read_kind(
        &mut self,
        kind: Kind,
        files: &[(&Entry, Option<&table::Table>)],
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    ) -> Result<(), Error> {
        let Reading {
            st,
            rejected,
            header_cols,
            rows_read,
            gone,
            unavailable,
            empty,
            diags,
            sources,
        } = self;
        let twins = files.len() > 1;
        for &(e, sheet) in files {
            // A sheet of a workbook: its source is the workbook's (listed with the other files),
            // its positions `file:sheet:row:column`.
            let label = sheet
                .map(|t| t.label(&e.rel))
                .unwrap_or_else(|| e.rel.clone());
            let scan = match sheet {
                Some(_) => None,
                None => match File::open(&e.abs).and_then(text::scan) {
                    Ok(scan) => Some(scan),
                    Err(err) => {
                        diags.push(unreadable(&e.rel, &err));
                        unavailable.insert(kind);
                        // Listed in the table too, with nothing read.
                        sources.push(unread_source(&e.rel, kind));
                        continue;
                    }
                },
            };
            let format = format_of(&e.rel);
            let mut src = scan
                .as_ref()
                .map(|scan| text_source(&e.rel, kind.stem(), format, scan, None));
            if twins {
                diags.push(given_twice(kind, files, &label));
                sources.extend(src);
                unavailable.insert(kind);
                continue;
            }
            if let Some(d) = scan.as_ref().and_then(|s| text_problem(&e.rel, s)) {
                diags.push(d);
                sources.extend(src);
                unavailable.insert(kind);
                continue;
            }
            let mut rs = RowSink {
                kind,
                file: &e.rel,
                origin_file: Key::from(e.rel.as_str()),
                id_col: validate::id_field(kind).map(|f| kind.col(f)),
                period,
                count: 0,
                missing_columns: false,
                row_diags: Vec::new(),
                st,
                rejected,
                header_cols,
                gone,
            };
            let mut on_item = |h: &rows::Header, item: Item| rs.item(h, item);
            if let Some(t) = sheet {
                rows::read_table(t, &label, kind, diags, &mut on_item);
            } else if let (Some(scan), "csv") = (&scan, format) {
                match rows::read_csv(&e.abs, &e.rel, kind, scan, diags, &mut on_item) {
                    Err(err) => {
                        diags.push(unreadable(&e.rel, &err));
                        unavailable.insert(kind);
                    }
                    Ok(Some(d)) => {
                        if let Some(src) = &mut src {
                            src.delimiter = Some(d as char);
                        }
                    }
                    // Not read (its reader said why): unavailable, not missing.
                    Ok(None) => {
                        unavailable.insert(kind);
                    }
                }
            } else if let Some(scan) = &scan
                && !read_yaml_file(e, scan, kind, diags, &mut on_item)
            {
                unavailable.insert(kind);
            }
            if rs.missing_columns {
                unavailable.insert(kind);
            }
            if sheet.is_some() {
                rs.row_diags.iter_mut().for_each(|d| d.file = label.clone());
            }
            diags.append(&mut rs.row_diags);
            // A file that could not be read is not an empty one: references to it are then
            // reported as to an unreadable file, not as to a missing one.
            if rs.count == 0 && !unavailable.contains(&kind) {
                empty.insert(kind);
            }
            *rows_read.entry(e.rel.clone()).or_default() += rs.count;
            sources.extend(src);
        }
        Ok(())
    }

    /// Takes in what another reader read (of other kinds).
    fn merge(&mut self, other: Reading) {
        let Reading {
            st,
            rejected,
            header_cols,
            rows_read,
            gone,
            unavailable,
            empty,
            diags,
            sources,
        } = other;
        if self.st.attendance.is_empty() {
            self.st.attendance = st.attendance;
        } else {
            self.st.attendance.extend(st.attendance);
        }
        self.rejected.extend(rejected);
        self.header_cols.extend(header_cols);
        self.rows_read.extend(rows_read);
        for (k, ids) in gone {
            self.gone.entry(k).or_default().extend(ids);
        }
        self.unavailable.extend(unavailable);
        self.empty.extend(empty);
        self.diags.extend(diags);
        self.sources.extend(sources);
    }
}

/// Does the table's first row name every required column of `kind`?
fn own_header(kind: Kind, t: &table::Table) -> bool {
    let Some((_, h)) = t.first() else {
        return false;
    };
    kind.columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.required)
        .all(|(i, _)| h.iter().any(|x| kind.match_header(x) == Some(i)))
}

/// What a table found by [`find_tables`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Records of our own format (a sheet named after the kind, or the first sheet of a workbook
    /// named after it).
    Records(Kind),
    Export(FileFormat),
}

#[derive(Default)]
struct Found {
    /// (entry index, what it is, the table).
    units: Vec<(usize, Unit, table::Table)>,
    /// Tables matching no format, by entry index: errors unless the file is an attachment.
    unknown: HashMap<usize, Vec<Diagnostic>>,
    /// Kinds whose workbook (`learners.xlsx`) could not be read: unavailable, not missing.
    unreadable: Vec<Kind>,
    /// Files named like a record kind that are platform exports (by their header).
    taken: std::collections::HashSet<usize>,
}

/// Names under `files:` of letopis.yaml that are not in the folder.
fn warn_missing_specs(
    entries: &[Entry],
    specs: &BTreeMap<String, FileSpec>,
    diags: &mut Vec<Diagnostic>,
) {
    for name in specs.keys() {
        if !entries.iter().any(|e| &e.rel == name) {
            diags.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    Text::new(
                        format!("files: файла «{name}» нет в папке выгрузки"),
                        format!("files: there is no file «{name}» in the input folder"),
                    ),
                )
                .hint(Text::new(
                    "имена в files: пишутся как путь от папки выгрузки, с расширением",
                    "names under files: are paths from the input folder, with the extension",
                )),
            );
        }
    }
}

/// A record file (`grades.csv`) whose header is a platform export's: taken as that export.
fn export_under_kind_name(
    i: usize,
    e: &Entry,
    kind: Kind,
    specs: &BTreeMap<String, FileSpec>,
    sources: &mut HashMap<usize, SourceFile>,
    found: &mut Found,
) -> Result<(), Error> {
    let lower = e.rel.to_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Ok(());
    }
    let format = match specs.get(&e.rel).and_then(|s| s.format) {
        Some(f) => Some(f),
        // A header with every required column of the kind is the kind's own file.
        None => table::peek_text(&e.abs, 8)
            .ok()
            .filter(|t| !own_header(kind, t))
            .and_then(|t| exports::recognise(&t)),
    };
    let Some(f) = format else {
        return Ok(());
    };
    // A file that cannot be read is reported by the kind's reader.
    let Ok(scan) = File::open(&e.abs).and_then(text::scan) else {
        return Ok(());
    };
    if text_problem(&e.rel, &scan).is_some() {
        // Read as the kind's own file, whose reader reports it.
        return Ok(());
    }
    let Ok(t) = table::read_text(&e.abs, &scan) else {
        return Ok(());
    };
    if t.too_wide.is_some() {
        // Read as the kind's own file, whose reader reports it.
        return Ok(());
    }
    let mut src = text_source(&e.rel, f.name(), "csv", &scan, None);
    src.delimiter = t.delimiter.map(|d| d as char);
    sources.insert(i, src);
    found.taken.insert(i);
    found.units.push((i, Unit::Export(f), t));
    Ok(())
}

/// The tables of a workbook (every sheet) or of a delimited text file; `None` when there are
/// none to read (an unreadable workbook or a damaged text is reported).
fn tables_of(
    i: usize,
    e: &Entry,
    stem_kind: Option<Kind>,
    ext: &str,
    sources: &mut HashMap<usize, SourceFile>,
    diags: &mut Vec<Diagnostic>,
    found: &mut Found,
) -> Option<Vec<table::Table>> {
    let workbook = table::is_workbook(&e.rel);
    let tables = if workbook {
        match table::read_workbook(&e.abs) {
            Ok(t) => t,
            Err(msg) => {
                diags.push(
                    Diagnostic::error(
                        e.rel.clone(),
                        Text::new(
                            format!("книга Excel не читается: {}", msg.ru),
                            format!("the workbook cannot be read: {}", msg.en),
                        ),
                    )
                    .hint(Text::new(
                        "откройте файл в Excel или LibreOffice и сохраните заново (.xlsx или .ods)",
                        "open the file in Excel or LibreOffice and save it again (.xlsx or .ods)",
                    )),
                );
                if let Some(s) = sources.get_mut(&i) {
                    s.kind = stem_kind.map(|k| k.stem()).unwrap_or("unrecognised").into();
                    s.format = ext.to_string();
                }
                found.unreadable.extend(stem_kind);
                return None;
            }
        }
    } else if matches!(ext, "csv" | "tsv" | "txt") {
        // Hashed before: a file that cannot be read is already reported.
        let Ok(scan) = File::open(&e.abs).and_then(text::scan) else {
            return None;
        };
        if scan.not_text.is_some() {
            return None;
        }
        if let Some(d) = text_problem(&e.rel, &scan) {
            // A table file whose text is damaged: it may be an export, so it is an error.
            diags.push(d);
            if let Some(s) = sources.get_mut(&i) {
                s.kind = "unrecognised".into();
                s.encoding = scan.encoding.name().to_string();
            }
            return None;
        }
        match table::read_text(&e.abs, &scan) {
            Ok(t) if t.too_wide.is_some() => {
                diags.push(table::too_wide(&e.rel, t.too_wide.unwrap_or_default()));
                if let Some(s) = sources.get_mut(&i) {
                    s.kind = "unrecognised".into();
                    s.encoding = scan.encoding.name().to_string();
                }
                return None;
            }
            Ok(t) => {
                if let Some(s) = sources.get_mut(&i) {
                    s.encoding = scan.encoding.name().to_string();
                    s.delimiter = t.delimiter.map(|d| d as char);
                }
                vec![t]
            }
            Err(_) => return None,
        }
    } else {
        return None;
    };
    Some(tables)
}

/// Reads the workbooks and the delimited text files that are not record files by name, and tells
/// what each table is: by the sheet's or file's name (our own record kinds), by `letopis.yaml`
/// `files:`, else by its header. Updates the files' entries in `check`'s table.
fn find_tables(
    entries: &[Entry],
    specs: &BTreeMap<String, FileSpec>,
    sources: &mut HashMap<usize, SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Found, Error> {
    let mut found = Found::default();
    warn_missing_specs(entries, specs, diags);
    for (i, e) in entries.iter().enumerate() {
        // A platform export saved under a record kind's name (`grades.csv`): its header tells.
        if let Class::Record(kind) = e.class {
            export_under_kind_name(i, e, kind, specs, sources, &mut found)?;
            continue;
        }
        if e.class != Class::Other || e.rel.contains('/') && !specs.contains_key(&e.rel) {
            continue;
        }
        let lower = e.rel.to_lowercase();
        let (stem, ext) = lower.rsplit_once('.').unwrap_or((&lower, ""));
        let stem_kind = Kind::from_stem(stem);
        let spec = specs.get(&e.rel);
        let workbook = table::is_workbook(&e.rel);
        let Some(tables) = tables_of(i, e, stem_kind, ext, sources, diags, &mut found) else {
            continue;
        };
        let mut kinds: Vec<String> = Vec::new();
        for (n, t) in tables.into_iter().enumerate() {
            let sheet_kind = t
                .sheet
                .as_deref()
                .and_then(|s| Kind::from_stem(&fields::norm(s).replace(' ', "_")));
            let named = sheet_kind.or(stem_kind.filter(|_| workbook && n == 0));
            // A platform export on a sheet named like a record kind (a Moodle gradebook on a
            // sheet «Grades»): its header tells, as for a file named like one.
            let export = || {
                named
                    .filter(|k| !own_header(*k, &t))
                    .and_then(|_| exports::recognise(&t))
            };
            let unit = if let Some(f) = spec.and_then(|s| s.format) {
                Some(Unit::Export(f))
            } else if let Some(f) = export() {
                Some(Unit::Export(f))
            } else if let Some(k) = named {
                Some(Unit::Records(k))
            } else {
                exports::recognise(&t).map(Unit::Export)
            };
            match unit {
                Some(u) => {
                    kinds.push(match u {
                        Unit::Records(k) => k.stem().to_string(),
                        Unit::Export(f) => f.name().to_string(),
                    });
                    found.units.push((i, u, t));
                }
                None if t.rows.is_empty() || ext == "txt" => {}
                None => found
                    .unknown
                    .entry(i)
                    .or_default()
                    .push(exports::unknown_table(&e.rel, &t)),
            }
        }
        if !kinds.is_empty()
            && let Some(s) = sources.get_mut(&i)
        {
            kinds.dedup();
            s.kind = kinds.join(", ");
            s.format = if workbook {
                ext.to_string()
            } else {
                "csv".into()
            };
        }
    }
    Ok(found)
}

/// `templates:` of letopis.yaml names a folder that is not there: `build` would stop on it.
fn templates_missing(root: &Path, configs: &[&Entry], t: &str) -> Diagnostic {
    let file = configs
        .first()
        .map(|e| e.rel.as_str())
        .unwrap_or(CONFIG_FILE);
    let line = std::fs::read(root.join(file)).ok().and_then(|b| {
        String::from_utf8_lossy(&b)
            .lines()
            .position(|l| l.starts_with("templates:"))
            .map(|i| i as u64 + 1)
    });
    let d = Diagnostic::error(
        file,
        Text::new(
            format!("templates: папки шаблонов «{t}» нет (путь считается от папки выгрузки)"),
            format!(
                "templates: there is no templates folder «{t}» (the path is from the input folder)"
            ),
        ),
    )
    .hint(Text::new(
        "создайте папку шаблонов (letopis init --templates ПАПКА) или уберите строку templates:",
        "create the templates folder (letopis init --templates DIR) or remove the templates: line",
    ));
    match line {
        Some(l) => d.at(l, Some(12)),
        None => d,
    }
}

/// A problem in letopis.yaml: serde's message (it names the field) with a Russian lead and a hint.
/// The longest organisation slug or period id: the archive's folder name `<slug>-<id>` stays a
/// short file name on every medium.
const NAME_MAX: usize = 40;

/// `organisation.slug` and `period.id` name the archive's folder (`<slug>-<id>`) on every medium:
/// Latin letters, digits, `-`, `_` and `.` (not first), at most [`NAME_MAX`] characters. Each
/// problem points at its line of `letopis.yaml`.
fn archive_name_problems(file: &str, src: &str, c: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, section, value) in [
        ("slug", "organisation", &c.organisation.slug),
        ("id", "period", &c.period.id),
    ] {
        let chars: Vec<char> = value.chars().collect();
        let wrong: Vec<char> = {
            let mut w: Vec<char> = chars
                .iter()
                .copied()
                .filter(|ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.')))
                .collect();
            w.dedup();
            w
        };
        let why = if value.trim().is_empty() {
            Some(Text::new("пусто", "it is empty"))
        } else if !wrong.is_empty() {
            let shown: String = wrong
                .iter()
                .take(5)
                .map(|ch| match ch {
                    ' ' => "пробел".to_string(),
                    '/' | '\\' => format!("«{ch}» (разделитель папок)"),
                    c if c.is_control() => format!("U+{:04X}", *c as u32),
                    c => format!("«{c}»"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            Some(Text::new(
                format!("недопустимые знаки: {shown}"),
                format!("characters not allowed: {shown}"),
            ))
        } else if value.starts_with('.') || value.contains("..") {
            Some(Text::new(
                "точка в начале или две точки подряд",
                "a leading dot or two dots in a row",
            ))
        } else if chars.len() > NAME_MAX {
            Some(Text::new(
                format!("{} знаков, допустимо до {NAME_MAX}", chars.len()),
                format!("{} characters, at most {NAME_MAX} allowed", chars.len()),
            ))
        } else {
            None
        };
        if let Some(why) = why {
            let line = yaml_key_line(src, section, key);
            let mut d = Diagnostic::error(
                file,
                Text::new(
                    format!("{section}.{key} «{value}» не годится для имени папки архива: {}", why.ru),
                    format!("{section}.{key} «{value}» cannot name the archive's folder: {}", why.en),
                ),
            )
            .hint(Text::new(
                "только латинские буквы, цифры, «-», «_» и «.»; архив называется <organisation.slug>-<period.id>, например gorizont-2025",
                "Latin letters, digits, «-», «_» and «.» only; the archive is named <organisation.slug>-<period.id>, e.g. gorizont-2025",
            ));
            if let Some(l) = line {
                d = d.at(l, None);
            }
            out.push(d);
        }
    }
    out
}

/// The 1-based line of `key:` inside the top-level mapping `section:` of a YAML text.
fn yaml_key_line(src: &str, section: &str, key: &str) -> Option<u64> {
    let mut inside = false;
    for (i, l) in src.lines().enumerate() {
        let t = l.trim_start();
        if !l.starts_with([' ', '\t']) && !t.is_empty() && !t.starts_with('#') {
            inside = t
                .strip_prefix(section)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            continue;
        }
        if inside
            && t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return Some(i as u64 + 1);
        }
    }
    None
}

fn config_error(file: &str, e: &serde_norway::Error) -> Diagnostic {
    let msg = e.to_string();
    // serde_norway appends " at line L column C"; the position is already in the diagnostic.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    let date = msg.contains("invalid characters")
        || msg.contains("premature end of input")
        || msg.contains("out of range")
        || msg.contains("trailing input");
    let hint = if date {
        Text::new(
            "даты в letopis.yaml пишутся как ГГГГ-ММ-ДД, например 2025-12-31",
            "dates in letopis.yaml are written yyyy-mm-dd, e.g. 2025-12-31",
        )
    } else {
        Text::new(
            "образец: letopis init <новая папка> создаёт готовый letopis.yaml",
            "for an example, letopis init <new folder> writes a ready letopis.yaml",
        )
    };
    let d = Diagnostic::error(
        file,
        Text::new(
            format!(
                "ошибка в настройках: {} ({msg})",
                rows::yaml_in_russian(&msg)
            ),
            format!("error in the settings: {msg}"),
        ),
    )
    .hint(hint);
    match e.location() {
        Some(loc) => d.at(loc.line() as u64, Some(loc.column() as u64)),
        None => d,
    }
}
