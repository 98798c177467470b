//! Relative links between the archive's pages. Dates, numbers and sizes are written by
//! [`crate::l10n`].

/// The prefix that leads from a page back to the archive's `data/` root: `""`, `"../"`...
pub fn root_of(page_path: &str) -> String {
    "../".repeat(page_path.matches('/').count())
}

/// Percent-encodes a relative path for an `href`/`src` (keeps `/` and unreserved ASCII), so file
/// names with spaces, `#`, `%` or Cyrillic letters link correctly from `file://`.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("learners/a.html"), "../");
        assert_eq!(
            href("files/скан 1#.pdf"),
            "files/%D1%81%D0%BA%D0%B0%D0%BD%201%23.pdf"
        );
    }
}
