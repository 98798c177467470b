//! Markdown documents → safe HTML: pulldown-cmark renders, ammonia sanitises (no `<script>`, no
//! `on*=` attributes, no `javascript:` links), and embedded resources (`src`) may only be relative,
//! so a document cannot make the archive load anything from the network.

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_FOOTNOTES);
    let parser = Parser::new_ext(markdown, opts);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .attribute_filter(|_element, attribute, value| {
            if matches!(attribute, "src" | "srcset" | "poster") && !is_relative(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(&raw)
        .to_string()
}

/// A relative reference: no scheme (`http:`, `data:`...) and not protocol-relative (`//host`).
fn is_relative(url: &str) -> bool {
    let u = url.trim();
    if u.starts_with("//") || u.starts_with('\\') {
        return false;
    }
    match u.find(':') {
        Some(colon) => u[..colon].contains(['/', '?', '#']),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_and_sanitises() {
        let html = to_safe_html(
            "# Положение\n\nТекст **жирный**.\n\n<script>alert(1)</script>\n\n\
             <img src=x onerror=alert(2)> [ссылка](javascript:alert(3)) \
             ![внешняя](https://example.org/x.png) ![своя](img/a.png)\n",
        );
        assert!(html.contains("<h1>Положение</h1>"), "{html}");
        assert!(html.contains("<strong>жирный</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("example.org"), "{html}");
        assert!(html.contains("src=\"img/a.png\""), "{html}");
    }
}
