//! The interface and participants' documents in English and Spanish (decision 0043): Fluent
//! messages in `locales/<language>/<area>.ftl`, compiled in by `fluent-templates`; the
//! [`Language`] a page is in (a participant's recorded language for their documents, a user's
//! chosen one or the browser's `Accept-Language` for the interface); and [`Tr`], what templates
//! and handlers look messages up with: `{{ tr.t("consent-title") }}`,
//! `{{ tr.t1("plan-due", "date", tr.date(&d)) }}`.
//!
//! Every key used with `t`, `t1`, `t2`, `t3`, `tn` and `h1`, `h2`, `h3` (in `src/` and `templates/`) must
//! exist in every language: the tests below read the sources and the `.ftl` files and fail when
//! one is missing, and when any message cannot be formatted.
//!
//! Pure: the messages are compiled in; no I/O.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around each argument would be stray characters in HTML that
        // is already one direction (left to right) in both languages.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the interface and the documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    Es,
}

impl Language {
    /// Every language, English (the fallback) first.
    pub const ALL: &'static [Language] = &[Language::En, Language::Es];

    /// The BCP 47 code: `<html lang>`, `?lang=`, and what a user's choice is stored as.
    pub const fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// The language's name in itself (`English`, `Español`), for a switch between them.
    pub const fn autonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Español",
        }
    }

    /// A language tag (`en`, `en-US`, `es`, `es-MX`, `ES_419`), by its primary subtag; any
    /// other language is `None`.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "es" => Some(Language::Es),
            _ => None,
        }
    }

    /// The language a browser asks for (`Accept-Language: es-MX,es;q=0.9,en;q=0.5`): of the
    /// languages offered, the one with the highest quality (the first of equals); English when
    /// it names none of ours (RFC 9110 12.5.4). A quality of 0 means "not this one".
    pub fn from_accept_language(header: &str) -> Language {
        let mut best: Option<(u16, Language)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("");
            let mut q: u16 = 1000;
            for p in parts {
                if let Some(v) = p
                    .trim()
                    .strip_prefix("q=")
                    .or_else(|| p.trim().strip_prefix("Q="))
                {
                    q = v
                        .trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .map_or(0, |q| (q * 1000.0).round() as u16);
                }
            }
            if q == 0 {
                continue;
            }
            if let Some(lang) = Language::parse(tag)
                && best.is_none_or(|(b, _)| q > b)
            {
                best = Some((q, lang));
            }
        }
        best.map_or(Language::En, |(_, l)| l)
    }

    /// The language of a participant's documents: their preferred language as recorded (free
    /// text: `Spanish`, `es-MX`, `español`), Spanish when it names Spanish, otherwise English.
    pub fn of_recorded(language: Option<&str>) -> Language {
        if language.is_some_and(names_spanish) {
            Language::Es
        } else {
            Language::En
        }
    }

    /// A document's language: `?lang=es` or `?lang=en` when asked (`asked`), otherwise the
    /// `default` (the participant's own).
    pub fn asked_or(asked: &str, default: Language) -> Language {
        match asked {
            "es" => Language::Es,
            "en" => Language::En,
            _ => default,
        }
    }

    /// The other language (the switch on a printed document).
    pub const fn other(self) -> Language {
        match self {
            Language::En => Language::Es,
            Language::Es => Language::En,
        }
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Language::En => fluent_templates::langid!("en"),
            Language::Es => fluent_templates::langid!("es"),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Does a recorded language (free text, as typed at enrolment) name Spanish? `es`, `es-MX`,
/// `Spanish`, `español`, `Espanol`, `castellano`.
pub fn names_spanish(language: &str) -> bool {
    let l = language.trim().to_lowercase();
    l == "es"
        || l.starts_with("es-")
        || l.starts_with("es_")
        || l.starts_with("spanish")
        || l.starts_with("español")
        || l.starts_with("espanol")
        || l.starts_with("castellano")
}

/// The message `key` in `lang`, its `$arguments` from `args`. A key missing in `lang` falls
/// back to English, and one missing in both shows as the key (the tests keep either from
/// happening).
pub fn message(lang: Language, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_string()), v.clone()))
        .collect();
    let args = (!map.is_empty()).then_some(&map);
    for l in [lang, Language::En] {
        match LOCALES.lookup_single_language(&l.identifier(), key, args) {
            Ok(text) => return text,
            Err(e) => tracing::warn!(key, lang = l.code(), "message not found: {e}"),
        }
    }
    key.to_string()
}

/// What templates look messages up with, in one language. `Copy`: pages hold it in their
/// [`Chrome`](crate::platform::web::layout::Chrome) (`chrome.tr`) and pass it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    pub lang: Language,
}

/// So that a method can take a `Tr` however a template holds it (`tr`, `&tr`, `&&tr`).
impl AsRef<Tr> for Tr {
    fn as_ref(&self) -> &Tr {
        self
    }
}

fn value(v: &dyn fmt::Display) -> FluentValue<'static> {
    FluentValue::from(v.to_string())
}

impl Tr {
    pub const fn new(lang: Language) -> Tr {
        Tr { lang }
    }

    /// Is this Spanish? (For the few choices that are not text, and vocabularies' `label_es`.)
    pub fn es(&self) -> bool {
        self.lang == Language::Es
    }

    /// A message without arguments.
    pub fn t(&self, key: &str) -> String {
        message(self.lang, key, &[])
    }

    /// A message with one argument (`{ $name }`).
    pub fn t1(&self, key: &str, name: &str, v: impl fmt::Display) -> String {
        message(self.lang, key, &[(name, value(&v))])
    }

    /// A message with a number, which it may choose its words by (`[0] today`, `*[other]`).
    pub fn tn(&self, key: &str, name: &str, n: i64) -> String {
        message(self.lang, key, &[(name, FluentValue::from(n))])
    }

    /// A message with two arguments.
    pub fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl fmt::Display,
        n2: &str,
        v2: impl fmt::Display,
    ) -> String {
        message(self.lang, key, &[(n1, value(&v1)), (n2, value(&v2))])
    }

    /// A message with three arguments.
    // Three named arguments, each a name and its value, as templates write them.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        key: &str,
        n1: &str,
        v1: impl fmt::Display,
        n2: &str,
        v2: impl fmt::Display,
        n3: &str,
        v3: impl fmt::Display,
    ) -> String {
        message(
            self.lang,
            key,
            &[(n1, value(&v1)), (n2, value(&v2)), (n3, value(&v3))],
        )
    }

    /// A message whose text carries markup (`<strong>`), its arguments escaped: for a template
    /// to show with `|safe`. The markup is ours, in the `.ftl` files; the arguments are data.
    pub fn h1(&self, key: &str, name: &str, v: impl fmt::Display) -> String {
        self.t1(key, name, escaped(&v))
    }

    /// [`Tr::h1`] with two arguments.
    pub fn h2(
        &self,
        key: &str,
        n1: &str,
        v1: impl fmt::Display,
        n2: &str,
        v2: impl fmt::Display,
    ) -> String {
        self.t2(key, n1, escaped(&v1), n2, escaped(&v2))
    }

    /// [`Tr::h1`] with three arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn h3(
        &self,
        key: &str,
        n1: &str,
        v1: impl fmt::Display,
        n2: &str,
        v2: impl fmt::Display,
        n3: &str,
        v3: impl fmt::Display,
    ) -> String {
        self.t3(key, n1, escaped(&v1), n2, escaped(&v2), n3, escaped(&v3))
    }

    /// A coded value's label from the messages: `{prefix}-{code}` with `_` as `-`
    /// (`tr.code("goal-domain", "substance_use")` is `goal-domain-substance-use`). The
    /// vocabularies shown this way have a test that every code has its message.
    pub fn code(&self, prefix: &str, code: &str) -> String {
        message(self.lang, &code_key(prefix, code), &[])
    }

    /// A date written out: `7 March 2026`, `7 de marzo de 2026`.
    pub fn date(&self, d: &NaiveDate) -> String {
        self.t3(
            "date-long",
            "day",
            d.day(),
            "month",
            self.month(d.month(), false),
            "year",
            d.year(),
        )
    }

    /// A wall-clock time as its people read it (already in their zone), `zone` its
    /// abbreviation: `7 Mar 2026, 9:15 pm CST`, `7 mar 2026, 21:15 CST`.
    pub fn local_time(&self, t: &NaiveDateTime, zone: &str, seconds: bool) -> String {
        let clock = match (self.lang, seconds) {
            (Language::En, false) => t.format("%-I:%M %P").to_string(),
            (Language::En, true) => t.format("%-I:%M:%S %P").to_string(),
            (Language::Es, false) => t.format("%-H:%M").to_string(),
            (Language::Es, true) => t.format("%-H:%M:%S").to_string(),
        };
        format!(
            "{} {} {}, {clock} {zone}",
            t.day(),
            self.month(t.month(), true),
            t.year()
        )
    }

    /// A month's name (1 = January), or its abbreviation.
    pub fn month(&self, month: u32, short: bool) -> String {
        let key = if short { "month-short" } else { "month-long" };
        message(self.lang, key, &[("month", FluentValue::from(month))])
    }
}

/// [`message`] with text arguments (the arguments of a keyed field error).
pub fn message_with(lang: Language, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.as_str())))
        .collect();
    message(lang, key, &args)
}

/// The label of a form field named `field` (`date_of_birth`, `answers[3]`): the message
/// `field-<name>` with `_` as `-` and any `[index]` dropped, where `lang` (or English) has one;
/// otherwise the name as the form sent it. A nested name (`status.on`, `changes.completed_on`)
/// is labelled by its last part where that has a label.
pub fn field_label(lang: Language, field: &str) -> String {
    if let Some((_, last)) = field.rsplit_once('.')
        && !last.contains('[')
    {
        let key = code_key("field", last);
        for l in [lang, Language::En] {
            if let Ok(text) = LOCALES.lookup_single_language(
                &l.identifier(),
                &key,
                None::<&HashMap<Cow<'static, str>, FluentValue<'_>>>,
            ) {
                return text;
            }
        }
    }
    let base = field.split('[').next().unwrap_or(field);
    let key = code_key("field", base);
    for l in [lang, Language::En] {
        if let Ok(text) = LOCALES.lookup_single_language(
            &l.identifier(),
            &key,
            None::<&HashMap<Cow<'static, str>, FluentValue<'_>>>,
        ) {
            return match field.find('[') {
                Some(i) => format!("{text} {}", &field[i..]),
                None => text,
            };
        }
    }
    field.to_string()
}

/// The message key of a coded value: `{prefix}-{code}`, `_` as `-`.
pub fn code_key(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('_', "-"))
}

/// Text made safe to stand in HTML, as text or as a quoted attribute value: the five characters
/// with a meaning there written as references. The one escaper of the product (pages built in
/// Rust, charts, messages with markup).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn escaped(v: &dyn fmt::Display) -> String {
    escape(&v.to_string())
}

/// Every message key of a language, and the text of each (its `.ftl` sources, compiled in by
/// the loader, read again here for the tests: a key present in one language only, a key used
/// and defined nowhere).
#[cfg(test)]
pub(crate) mod sources {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    /// The `.ftl` files of one language, by file name.
    pub fn files(lang: &str) -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("locales/<lang> is readable")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        files
    }

    /// Each value of vocabulary `T` as `(message key, English label)`, its key `{prefix}-{code}`:
    /// what [`assert_labelled`] checks.
    pub fn codes_of<T: crate::platform::vocabulary::Vocabulary>(
        prefix: &str,
    ) -> Vec<(String, String)> {
        T::VALUES
            .iter()
            .map(|v| (super::code_key(prefix, v.code()), v.english().to_string()))
            .collect()
    }

    /// Each `(key, English label)` of a vocabulary shown through messages: the key is a message
    /// in every language, and its English is the vocabulary's own label (so the API and the page
    /// agree).
    pub fn assert_labelled<L: AsRef<str>>(codes: &[(String, L)]) {
        assert!(!codes.is_empty(), "codes to check");
        for lang in super::Language::ALL {
            let messages = messages(lang.code());
            for (key, _) in codes {
                assert!(messages.contains_key(key), "{key} missing in {lang}");
            }
        }
        let en = super::Tr::new(super::Language::En);
        for (key, label) in codes {
            assert_eq!(en.t(key), label.as_ref(), "{key}");
        }
    }

    /// Each message of a language (`key = ...` at the start of a line), with its whole text
    /// (the continuation lines after it), by key. A key defined twice is an error.
    pub fn messages(lang: &str) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for file in files(lang) {
            let text = std::fs::read_to_string(&file).expect("an .ftl file is readable");
            let mut current: Option<String> = None;
            for line in text.lines() {
                let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && line.contains('=');
                if starts_message {
                    let key = line
                        .split('=')
                        .next()
                        .expect("split yields one part")
                        .trim()
                        .to_string();
                    assert!(
                        !out.contains_key(&key),
                        "{key} is defined twice in {lang} ({})",
                        file.display()
                    );
                    out.insert(key.clone(), line.to_string());
                    current = Some(key);
                } else if line.starts_with(' ') || line.starts_with('\t') {
                    if let Some(k) = &current {
                        let body = out.get_mut(k).expect("the current key was inserted");
                        body.push('\n');
                        body.push_str(line);
                    }
                } else {
                    current = None;
                }
            }
        }
        out
    }

    /// The `$variables` a message's text refers to.
    pub fn variables(text: &str) -> Vec<String> {
        let mut vars = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find('$') {
            rest = &rest[i + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() && !vars.contains(&name) {
                vars.push(name);
            }
        }
        vars
    }

    /// Every key looked up by name in `src/` and `templates/`: the string literal right after
    /// `.t(`, `.t1(`, `.t2(`, `.t3(`, `.tn(`, `.h1(`, `.h2(` or `.h3(`, and every literal
    /// `"error-…"` (a keyed field error's message).
    pub fn keys_used() -> BTreeMap<String, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeMap::new();
        let mut stack = vec![root.join("src"), root.join("templates")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("a source directory is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if !path
                    .extension()
                    .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                // A keyed field error names its key as a literal `"error-…"`
                // (`FieldError::keyed(field, "error-required", …)`).
                for call in [
                    ".t(\"", ".t1(\"", ".t2(\"", ".t3(\"", ".tn(\"", ".h1(\"", ".h2(\"", ".h3(\"",
                    "\"error-",
                ] {
                    for (i, _) in text.match_indices(call) {
                        let start = if call == "\"error-" {
                            i + 1
                        } else {
                            i + call.len()
                        };
                        let after = &text[start..];
                        let key: String = after
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                            .collect();
                        // `.t("` followed by anything but a key (this file's own examples of
                        // the pattern end in a quote or a brace).
                        // `"error-` counts in Rust only, where it starts a key (in a template
                        // it is a class name).
                        let keyed_error = call == "\"error-";
                        if keyed_error
                            && (key.len() <= call.len()
                                || path.extension().is_none_or(|e| e != "rs"))
                        {
                            continue;
                        }
                        if key.is_empty() || !after[key.len()..].starts_with('"') {
                            continue;
                        }
                        used.entry(key).or_insert_with(|| {
                            path.strip_prefix(root)
                                .unwrap_or(&path)
                                .display()
                                .to_string()
                        });
                    }
                }
            }
        }
        used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_in_every_language_and_every_key_used_exists() {
        let en = sources::messages("en");
        let es = sources::messages("es");
        assert!(
            en.len() > 50,
            "the English messages were read: {}",
            en.len()
        );
        let only_en: Vec<&String> = en.keys().filter(|k| !es.contains_key(*k)).collect();
        let only_es: Vec<&String> = es.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            only_en.is_empty(),
            "missing in Spanish (locales/es): {only_en:?}"
        );
        assert!(
            only_es.is_empty(),
            "missing in English (locales/en): {only_es:?}"
        );
        let missing: Vec<String> = sources::keys_used()
            .into_iter()
            .filter(|(k, _)| !en.contains_key(k) || !es.contains_key(k))
            .map(|(k, file)| format!("{k} (used in {file})"))
            .collect();
        assert!(missing.is_empty(), "used but not defined: {missing:?}");
        // The same file names in each language, so an area is translated as a whole.
        let names = |lang: &str| -> Vec<String> {
            sources::files(lang)
                .iter()
                .map(|p| {
                    p.file_name()
                        .expect("a file")
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(names("en"), names("es"));
    }

    #[test]
    fn every_message_formats_without_error_in_every_language() {
        for lang in Language::ALL {
            let messages = sources::messages(lang.code());
            for (key, text) in &messages {
                let vars = sources::variables(text);
                let args: HashMap<Cow<'static, str>, FluentValue<'_>> = vars
                    .iter()
                    .map(|v| (Cow::Owned(v.clone()), FluentValue::from("x")))
                    .collect();
                let formatted = LOCALES.lookup_single_language(
                    &lang.identifier(),
                    key,
                    (!args.is_empty()).then_some(&args),
                );
                match formatted {
                    Ok(s) => assert!(!s.trim().is_empty(), "{lang} {key} is empty"),
                    Err(e) => panic!("{lang} {key}: {e}"),
                }
                // Numbers too, where a message chooses by them (plurals, months).
                if !vars.is_empty() {
                    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = vars
                        .iter()
                        .map(|v| (Cow::Owned(v.clone()), FluentValue::from(3)))
                        .collect();
                    if let Err(e) =
                        LOCALES.lookup_single_language(&lang.identifier(), key, Some(&args))
                    {
                        panic!("{lang} {key} with numbers: {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_browsers_language_is_the_best_one_we_have() {
        let cases = [
            ("es-MX,es;q=0.9,en;q=0.5", Language::Es),
            ("en-US,en;q=0.9,es;q=0.8", Language::En),
            ("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", Language::Es),
            ("fr", Language::En),
            ("", Language::En),
            ("*", Language::En),
            ("es;q=0, en;q=0.1", Language::En),
            ("en;q=0.2, es;q=0.7", Language::Es),
            ("ES_419", Language::Es),
            ("de, es ; q=0.8", Language::Es),
            ("es;q=bogus, en", Language::En),
        ];
        for (header, want) in cases {
            assert_eq!(Language::from_accept_language(header), want, "{header:?}");
        }
    }

    #[test]
    fn a_recorded_language_names_spanish_however_it_was_typed() {
        for yes in [
            "es",
            "es-MX",
            "Spanish",
            "spanish (some English)",
            "Español",
            "espanol",
            "Castellano",
        ] {
            assert_eq!(Language::of_recorded(Some(yes)), Language::Es, "{yes}");
        }
        for no in ["English", "en", "", "Portuguese", "estonian"] {
            assert_eq!(Language::of_recorded(Some(no)), Language::En, "{no}");
        }
        assert_eq!(Language::of_recorded(None), Language::En);
        assert_eq!(Language::asked_or("en", Language::Es), Language::En);
        assert_eq!(Language::asked_or("es", Language::En), Language::Es);
        assert_eq!(Language::asked_or("fr", Language::Es), Language::Es);
    }

    #[test]
    fn dates_and_months_are_in_the_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 7).expect("a date");
        let t = d.and_hms_opt(21, 15, 7).expect("a time");
        let en = Tr::new(Language::En);
        let es = Tr::new(Language::Es);
        assert_eq!(en.date(&d), "7 March 2026");
        assert_eq!(es.date(&d), "7 de marzo de 2026");
        assert_eq!(en.local_time(&t, "CST", false), "7 Mar 2026, 9:15 pm CST");
        assert_eq!(es.local_time(&t, "CST", false), "7 mar 2026, 21:15 CST");
        assert_eq!(es.local_time(&t, "CST", true), "7 mar 2026, 21:15:07 CST");
        for m in 1..=12 {
            for tr in [en, es] {
                for short in [true, false] {
                    let name = tr.month(m, short);
                    assert!(
                        !name.is_empty() && !name.contains("month"),
                        "{m} {short} {name}"
                    );
                }
            }
        }
        assert_eq!(es.month(12, false), "diciembre");
        assert_eq!(es.month(9, true), "sept");
    }

    #[test]
    fn arguments_with_markup_are_escaped() {
        let tr = Tr::new(Language::En);
        let html = tr.h2("release-for", "name", "<b>&", "printed", "today");
        assert!(html.contains("&lt;b&gt;&amp;"), "{html}");
        assert!(html.contains("<strong>"), "{html}");
        assert_eq!(
            code_key("goal-domain", "substance_use"),
            "goal-domain-substance-use"
        );
    }
}
