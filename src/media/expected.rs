//! The archives a medium is known to hold: named by its fixity log (built and not disposed of) and
//! linked from its `index.html`. `verify` reports every one of them that is not there, so a medium
//! that lost a whole archive (folder or `bagit.txt` deleted) does not verify clean.
//!
//! It stays in the media stage because it reads the fixity log, which that stage writes; the listing
//! of the archives actually on a medium is `layout::Medium::list`.

use super::log;
use crate::layout::MEDIUM_INDEX;
use std::collections::BTreeMap;
use std::path::Path;

/// An archive the medium should hold, and what its tag manifest's SHA-256 was when it was built
/// (the `root=` of its last build line in the log; `None` for logs written before it was recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    pub in_log: bool,
    pub in_index: bool,
    pub root: Option<String>,
}

/// Archive name → what the medium's log and index say about it. Unreadable files give nothing.
pub fn expected_archives(medium: &Path) -> BTreeMap<String, Expected> {
    let mut out: BTreeMap<String, Expected> = BTreeMap::new();
    for l in log::read(medium).unwrap_or_default() {
        match (l.action.as_str(), l.outcome.as_str()) {
            ("build", "ok" | "unchanged") => {
                let e = out.entry(l.archive.clone()).or_default();
                e.in_log = true;
                if let Some(root) = l
                    .details
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("root="))
                {
                    e.root = Some(root.to_string());
                }
            }
            ("dispose", "ok") => {
                out.remove(&l.archive);
            }
            _ => {}
        }
    }
    if let Ok(html) = std::fs::read_to_string(medium.join(MEDIUM_INDEX)) {
        for name in linked_archives(&html) {
            out.entry(name).or_default().in_index = true;
        }
    }
    out.retain(|name, _| {
        !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']) && name != "-"
    });
    out
}

/// First segments of `href`/`src` addresses of the form `<name>/data/…` in the medium's page.
fn linked_archives(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let url = percent_decode(&rest[..end]);
            if let Some((name, tail)) = url.split_once('/')
                && tail.starts_with("data/")
                && !name.contains(':')
            {
                names.push(name.to_string());
            }
            rest = &rest[end..];
        }
    }
    names.sort();
    names.dedup();
    names
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_to_archives() {
        let html = r#"<a href="umc-2025/data/index.html">x</a><a href="%D0%B0%202024/data/index.html">
            <script src="umc-2025/data/search/meta.js"></script><a href="https://x/data/y">
            <a href="index.html"></a><a href="log.html">"#;
        assert_eq!(super::linked_archives(html), vec!["umc-2025", "а 2024"]);
    }
}
