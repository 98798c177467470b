//! What makes a page a printable certified extract: its title on paper, the running head and
//! «Лист N из M» of every sheet (CSS paged media margin boxes, written into the page's own
//! `<style>`), and whether a binding sheet closes it.

use crate::layout::slug::slug;
use crate::model::{Group, Learner};
use serde::Serialize;
use std::collections::BTreeMap;

type Strings = BTreeMap<&'static str, &'static str>;

/// Folder of the print sets and single-document extracts.
pub const DIR: &str = "print";
/// The small classic script that writes the print date at print time.
pub const SCRIPT: &str = "assets/print.js";
pub const SCRIPT_TEXT: &str = include_str!("../../templates/assets/print.js");

/// All personal files of a group, to print in one go.
pub fn group_files(group: &str) -> String {
    format!("{DIR}/group-{}.html", slug(group))
}
/// The extract of one attestation protocol.
pub fn protocol(id: &str) -> String {
    format!("{DIR}/protocol-{}.html", slug(id))
}
/// The extract of one issued document.
pub fn issued(reg_number: &str) -> String {
    format!("{DIR}/issued-{}.html", slug(reg_number))
}
/// The extract of one order.
pub fn order(id: &str) -> String {
    format!("{DIR}/order-{}.html", slug(id))
}

/// «Волков Константин Алексеевич, личное дело № ЛД-2025-019».
pub fn learner_subject(t: &Strings, l: &Learner) -> String {
    format!("{}, {} № {}", l.full_name(), t["personal_file_lower"], l.id)
}

/// The title of a personal file's page, and of the file in its group's print set.
pub fn learner_title(t: &Strings, l: &Learner) -> String {
    format!("{}: {}", t["personal_file"], l.full_name())
}

/// The running head of a personal file's printed sheets.
fn learner_head(t: &Strings, l: &Learner) -> String {
    format!("{} № {} · {}", t["personal_file"], l.id, l.full_name())
}

pub fn learner_extract(t: &Strings, l: &Learner) -> Extract {
    Extract {
        title: t["extract_learner"].to_string(),
        subject: learner_subject(t, l),
        head: learner_head(t, l),
        parts: Vec::new(),
        binding: true,
    }
}

pub fn group_extract(t: &Strings, g: &Group) -> Extract {
    Extract {
        title: format!("{} {}", t["extract_group"], g.id),
        subject: format!("{} {}", t["group"], g.id),
        head: format!("{} {}", t["journal"], g.id),
        parts: Vec::new(),
        binding: true,
    }
}

/// A register page (`orders`, `issued`, `protocols`, `transfers`).
pub fn register_extract(t: &Strings, key: &str) -> Extract {
    Extract {
        title: t[format!("extract_{key}").as_str()].to_string(),
        subject: String::new(),
        head: t[key].to_string(),
        parts: Vec::new(),
        binding: false,
    }
}

/// One protocol, issued document or order: `title_key` names the kind of extract.
pub fn item_extract(t: &Strings, title_key: &str, what: String) -> Extract {
    Extract {
        title: t[title_key].to_string(),
        subject: what.clone(),
        head: what,
        parts: Vec::new(),
        binding: false,
    }
}

/// The personal files of a group's learners, in the order of [`part_name`]: every file starts
/// on a new sheet that names its learner at the top.
/// The certification of group `g`'s print set, whose personal files are `learners`
/// ([`group_learners`]).
pub fn group_files_extract(t: &Strings, g: &Group, learners: &[&Learner]) -> Extract {
    Extract {
        title: format!("{} {}", t["group_files"], g.id),
        subject: format!("{} {}", t["group"], g.id),
        head: format!("{} {}", t["group_files"], g.id),
        parts: learners
            .iter()
            .enumerate()
            .map(|(i, l)| (part_name(i), learner_head(t, l)))
            .collect(),
        binding: true,
    }
}

/// The CSS page name of the `i`-th personal file of a print set.
pub fn part_name(i: usize) -> String {
    format!("file{}", i + 1)
}

/// The learners enrolled in a group, by name (the order of the group's roster).
pub fn group_learners<'a>(l: &super::index::Lookup<'a>, group: &str) -> Vec<&'a Learner> {
    let ids: std::collections::BTreeSet<&str> = l
        .enrolments_of_group
        .get(group)
        .into_iter()
        .flatten()
        .map(|e| e.learner.as_str())
        .collect();
    let mut v: Vec<&Learner> = ids
        .iter()
        .filter_map(|id| l.learner.get(id).copied())
        .collect();
    v.sort_by_cached_key(|l| (super::index::name_key(&l.full_name()), l.id.clone()));
    v
}

/// The certification of a printed page. `None` for pages that are not extracts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extract {
    /// «Выписка из личного дела обучающегося».
    pub title: String,
    /// Whose or what record: «Волков Константин Алексеевич, личное дело № ЛД-2025-019».
    pub subject: String,
    /// Printed at the top of every sheet.
    pub head: String,
    /// Named CSS pages of a print set (one per personal file) → their running heads.
    pub parts: Vec<(String, String)>,
    /// Closes the printout with «Всего прошито, пронумеровано и скреплено печатью ___ листов».
    pub binding: bool,
}

/// A CSS string literal (without the quotes) that cannot end the string or the `<style>`.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The page's paged-media rules: sheet numbers on every printed page and, for an extract, its
/// running head (per part for a print set). Browsers without margin boxes ignore them; the
/// heading printed at the top of the first sheet is their fallback.
pub fn page_style(t: &BTreeMap<&'static str, &'static str>, extract: Option<&Extract>) -> String {
    let margin = "font: 8pt system-ui, \"Liberation Sans\", Arial, sans-serif; color: #333;";
    let sheet = format!(
        "@bottom-right {{ content: \"{} \" counter(page) \" {} \" counter(pages); {margin} }}",
        css_string(t["sheet"]),
        css_string(t["of"]),
    );
    let head = |h: &str| format!("@top-left {{ content: \"{}\"; {margin} }}", css_string(h));
    let mut css = String::from("@media print {\n");
    match extract {
        Some(e) => {
            css.push_str(&format!("@page {{ {} {sheet} }}\n", head(&e.head)));
            for (name, h) in &e.parts {
                css.push_str(&format!("@page {name} {{ {} {sheet} }}\n", head(h)));
            }
        }
        None => css.push_str(&format!("@page {{ {sheet} }}\n")),
    }
    css.push('}');
    css
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn a_group_set_holds_each_of_its_learners_once_by_name_and_no_one_else() {
        let mut p = fixture::period();
        // Enrolled twice in the same group (transferred out and back): one personal file.
        let again = p
            .enrolments
            .iter()
            .find(|e| e.learner == "Л-003")
            .unwrap()
            .clone();
        p.enrolments.push(again);
        let l = super::super::index::Lookup::new(&p);
        let ids = |g: &str| -> Vec<String> {
            group_learners(&l, g).iter().map(|x| x.id.clone()).collect()
        };
        let pk: Vec<String> = ids("ПК-12");
        assert_eq!(pk.len(), 2, "{pk:?}");
        assert!(pk.contains(&"Л-003".to_string()), "{pk:?}");
        assert!(!pk.contains(&"Л-002".to_string()) && !pk.contains(&"Л-004".to_string()));
        // By name: Кузнецов before Смирнов in ПП-3.
        assert_eq!(ids("ПП-3"), ["Л-004", "Л-002"]);
        assert!(ids("нет такой").is_empty());
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string(r#"О"Х\</style>"#), r#"О\"Х\\\3c /style\3e "#);
        assert_eq!(css_string("a\nb"), "a\\a b");
    }
}
