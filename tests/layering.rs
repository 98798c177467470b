//! The one-way direction of the pipeline, checked against the code: no module of `src/` names a
//! module of a later stage, nor `cmd`. The order is the one `docs/architecture.md` draws:
//! leaves (`layout`, `model`, `l10n`, `diag`, each using only those before it) that everyone may use, then the stages `ingest` →
//! `render` → `tables` → `search` → `seal` → `media` → `retention`, then the library pipeline `build`, and
//! the commands `cmd` on top.

use std::path::Path;

const ORDER: &[&str] = &[
    "layout",
    "model",
    "l10n",
    "diag",
    "ingest",
    "render",
    "tables",
    "search",
    "seal",
    "media",
    "retention",
    "build",
    "cmd",
];

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// Every `crate::<module>` named in a line of code (comments removed), also inside
/// `use crate::{a, b::c}` groups.
fn named_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn violations(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.expect("read src/");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).expect("under src/");
        let first = rel
            .components()
            .next()
            .expect("a file")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if first == "lib" || first == "main" {
            continue;
        }
        let Some(own) = rank(&first) else {
            out.push(format!(
                "{}: module `{first}` has no place in the stage order; add it to ORDER and to docs/architecture.md",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for m in named_modules(code) {
                match rank(&m) {
                    Some(r) if r <= own => {}
                    Some(_) => out.push(format!(
                        "{}:{}: `{first}` reaches up to `{m}`: {}",
                        rel.display(),
                        n + 1,
                        line.trim()
                    )),
                    None => out.push(format!("{}:{}: unknown module `{m}`", rel.display(), n + 1)),
                }
            }
        }
    }
    out
}

#[test]
fn no_module_reaches_up_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let v = violations(&src);
    assert!(
        v.is_empty(),
        "imports against the stage order:\n{}",
        v.join("\n")
    );
}

#[test]
fn the_check_sees_grouped_and_inline_paths() {
    assert_eq!(
        named_modules("use crate::{cmd::plural_ru, model::Lang};"),
        ["cmd", "model"]
    );
    assert_eq!(
        named_modules("let x = crate::render::fmt::date(d) + crate::cmd::x();"),
        ["render", "cmd"]
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("model")).expect("mkdir");
    std::fs::write(
        tmp.path().join("model/retention.rs"),
        "fn f() { crate::cmd::plural_ru(1, \"a\", \"b\", \"c\"); } // crate::media in a comment\n",
    )
    .expect("write");
    let v = violations(tmp.path());
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].starts_with("model/retention.rs:1: `model` reaches up to `cmd`"));
}
