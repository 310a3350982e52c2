//! Words left untranslated in a template (decision 0043): text a person reads that is written in
//! the template instead of looked up in the messages. A converted template's words come from
//! `{{ tr.t("…") }}` and the data it shows; what is left after taking out the template's
//! expressions (`{{ … }}`), its statements (`{% … %}`), its comments (`{# … #}`), the tags and
//! the entities is punctuation, blanks to write on (`____ / ____`) and a few names that are the
//! same in every language ([`ALLOWED`]). The words of a tag's `placeholder`, `aria-label`,
//! `title` and `alt` are read too; other attributes (names, ids, classes, links) are code.
//!
//! For tests: `untranslated_in(&["home.html"])` names each word found and where.

use std::path::Path;

/// Names written the same in every language: the product, standards, formats, and the name of
/// Spanish in itself (the link to a document's Spanish version, marked `lang="es"`).
pub(crate) const ALLOWED: &[&str] = &[
    "Throughcare",
    "JSON",
    "csv",
    "español",
    "BARC",
    "GPRA",
    "CSV",
    "API",
    "PDF",
    "MOUD",
    "SAMHSA",
    "CFR",
];

/// The attributes whose values a person reads (or hears from a screen reader).
const READ_ATTRIBUTES: &[&str] = &["placeholder", "aria-label", "title", "alt"];

/// The words of `template` (its source) a person would read that are not looked up: each with
/// a little of the text around it.
pub(crate) fn untranslated(template: &str) -> Vec<String> {
    let code = without_template_syntax(template);
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while !rest.is_empty() {
        match rest.find('<') {
            Some(open) => {
                words_of(&rest[..open], &mut found);
                let tag_end = tag_end(&rest[open..]).map_or(rest.len(), |e| open + e + 1);
                let tag = &rest[open..tag_end];
                for value in read_attributes(tag) {
                    words_of(&value, &mut found);
                }
                rest = &rest[tag_end..];
                // The contents of a script or a style are code.
                let name = tag_name(tag);
                if name == "script" || name == "style" {
                    let close = format!("</{name}");
                    rest = rest.find(&close).map_or("", |i| &rest[i..]);
                }
            }
            None => {
                words_of(rest, &mut found);
                rest = "";
            }
        }
    }
    found
}

/// [`untranslated`] for each of `templates` (paths under `templates/`): `path: word (text)`.
pub(crate) fn untranslated_in(templates: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    templates
        .iter()
        .flat_map(|t| {
            let source = std::fs::read_to_string(root.join(t))
                .unwrap_or_else(|e| panic!("templates/{t} is readable: {e}"));
            untranslated(&source)
                .into_iter()
                .map(move |w| format!("{t}: {w}"))
        })
        .collect()
}

/// The template with its expressions, statements and comments each replaced by a space.
fn without_template_syntax(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    loop {
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|o| rest.find(o).map(|i| (i, *o)))
            .min();
        let Some((i, open)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        rest = rest[i + 2..]
            .find(close)
            .map_or("", |j| &rest[i + 2 + j + 2..]);
        out.push(' ');
    }
}

/// Where the tag starting `s` (at its `<`) ends: the index of its `>`, quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The values of a tag's [`READ_ATTRIBUTES`].
fn read_attributes(tag: &str) -> Vec<String> {
    let mut values = Vec::new();
    for name in READ_ATTRIBUTES {
        let mut rest = tag;
        while let Some(i) = rest.find(name) {
            let before = rest[..i].chars().last();
            let after = &rest[i + name.len()..];
            rest = after;
            // The whole attribute name (not `data-title`), then `=` and a value.
            if before.is_some_and(|c| !c.is_whitespace()) {
                continue;
            }
            let Some(value) = after.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let (text, _) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split_once(q).unwrap_or((&value[1..], "")),
                _ => value
                    .split_once(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or((value, "")),
            };
            values.push(text.to_string());
        }
    }
    values
}

/// Each word of `text` (a text node or an attribute's value) that is not [`ALLOWED`], with its
/// text; entities (`&nbsp;`, `&amp;`) are not words.
fn words_of(text: &str, found: &mut Vec<String>) {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        plain.push_str(&rest[..i]);
        let entity_end = rest[i..].find(';').filter(|e| {
            *e <= 10
                && rest[i + 1..i + e]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
        });
        match entity_end {
            Some(e) => {
                plain.push(' ');
                rest = &rest[i + e + 1..];
            }
            None => {
                plain.push('&');
                rest = &rest[i + 1..];
            }
        }
    }
    plain.push_str(rest);
    let words: Vec<&str> = plain
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && !ALLOWED.contains(w))
        .collect();
    if !words.is_empty() {
        let context: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        found.push(format!("{} ({context})", words.join(" ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_text_and_in_read_attributes_are_found() {
        let page = r#"{% extends "base.html" %}{% block content %}{% let tr = chrome.tr %}
<h1>{{ tr.t("caseload-title") }}</h1>
{# A comment, in English, is not read. #}
<p class="no-print" data-title="code">{% if a < b %}{{ x }}{% endif %} ____ / ____ &nbsp; · BARC-10</p>
<input placeholder="{{ tr.t("print") }}" aria-label='{{ tr.t("switch-language") }}' title=" ">
<script>const words = "not read";</script>
{% endblock %}"#;
        assert_eq!(untranslated(page), Vec::<String>::new());
        let page = r#"<h1>Caseload</h1><input placeholder="Type a name" aria-label="{{ tr.t("print") }}">
<img alt=Logo src="/x.png"><p>{{ a }} of {{ b }}, Throughcare</p><p data-title="data">&amp;</p>"#;
        let found = untranslated(page);
        assert_eq!(
            found,
            vec![
                "Caseload (Caseload)",
                "Type a name (Type a name)",
                "Logo (Logo)",
                "of (of , Throughcare)",
            ],
            "{found:?}"
        );
        // Spanish left in a template is as untranslated as English.
        assert_eq!(untranslated("<p>Casos</p>"), vec!["Casos (Casos)"]);
    }
}

#[cfg(test)]
mod every_template {
    use super::untranslated_in;
    use std::path::Path;

    /// Every template of the product, by its path under `templates/`.
    fn all_templates() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut out = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("templates/ is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    let rel = path.strip_prefix(&root).expect("under templates/");
                    out.push(rel.display().to_string());
                }
            }
        }
        out.sort();
        out
    }

    /// The whole interface in English and Spanish (issue 16 item 6, decision 0043): no template
    /// has a word a person reads that is not a message. A new page written with English in it
    /// fails here by name.
    #[test]
    fn no_template_leaves_a_word_untranslated() {
        let templates = all_templates();
        assert!(
            templates.len() > 40,
            "the templates were read: {templates:?}"
        );
        let refs: Vec<&str> = templates.iter().map(String::as_str).collect();
        let found = untranslated_in(&refs);
        assert!(found.is_empty(), "untranslated:\n{}", found.join("\n"));
    }
}
