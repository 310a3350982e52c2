//! Markdown that staff write (job descriptions), rendered to HTML for a page. CommonMark through
//! `pulldown-cmark`, with nothing a writer could use against a reader: raw HTML in the text is
//! shown as text, not run, and a link or image whose address is not `http`, `https`, `mailto` or
//! a path on this site (a `javascript:` URL, say) keeps its words and loses its address.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The HTML of `text`, safe to place in a page unescaped.
pub fn to_html(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: safe_address(dest_url),
            title,
            id,
        })),
        // An image would fetch from anywhere as the page opens: shown as its description.
        Event::Start(Tag::Image { .. }) | Event::End(pulldown_cmark::TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn safe_address(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#');
    if allowed { url } else { CowStr::Borrowed("") }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn headings_lists_and_emphasis_become_html() {
        let html = to_html(
            "# Peer recovery specialist\n\n- lived experience\n- **certified** within a year\n",
        );
        assert!(html.contains("<h1>Peer recovery specialist</h1>"), "{html}");
        assert!(html.contains("<li>lived experience</li>"), "{html}");
        assert!(html.contains("<strong>certified</strong>"), "{html}");
        assert!(!html.contains("# Peer"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text_not_run() {
        let html = to_html("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_safe_addresses_are_linked() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](https://example.org/x) [c](/workforce) [d](//evil.example) ![e](https://tracker.example/p.png)",
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/x">b</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="/workforce">c</a>"#), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("tracker.example"), "{html}");
        assert!(html.contains('e'), "{html}");
    }
}
