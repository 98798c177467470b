//! The text of a page as a reader sees it, for assertions on pages and printed sheets.
#![allow(dead_code)]

/// The text of `html` without its tags (each tag read as a space) and with the entities the
/// templates write decoded; whitespace as it was.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The words of a page in one line: [`strip_tags`] with every run of whitespace made one space.
pub fn page_text(html: &str) -> String {
    strip_tags(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the page's `<body>` (or of the whole document when it has none), one line per
/// block of text, for snapshots: markup may change, what a reader sees may not.
pub fn body_lines(html: &str) -> String {
    let body = html
        .find("<body")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1))
        .map_or(html, |start| {
            let end = html.rfind("</body>").unwrap_or(html.len());
            &html[start..end]
        });
    // Scripts and styles are not text a reader sees.
    let mut visible = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("<script").or_else(|| rest.find("<style")) {
        visible.push_str(&rest[..start]);
        let close = if rest[start..].starts_with("<script") {
            "</script>"
        } else {
            "</style>"
        };
        rest = rest[start..]
            .find(close)
            .map_or("", |end| &rest[start + end + close.len()..]);
    }
    visible.push_str(rest);
    // Block boundaries become line breaks, so that a snapshot diff points at the row that changed.
    let mut marked = String::new();
    for (i, part) in visible.split('<').enumerate() {
        if i > 0 {
            let name: String = part
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let block = [
                "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "section", "header", "footer",
                "table", "ul", "ol", "dt", "dd", "br", "nav", "caption", "thead", "tbody",
                "article", "figure", "details", "summary",
            ];
            marked.push(if block.contains(&name.as_str()) {
                '\n'
            } else {
                ' '
            });
            marked.push('<');
        }
        marked.push_str(part);
    }
    strip_tags(&marked)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
