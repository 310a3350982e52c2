//! The architecture, kept true by a test that reads the sources (in the manner of
//! rust-analyzer's "tidy" tests). Each rule below says what it forbids and shows, in its doc
//! comment, a line it would catch. ARCHITECTURE.md explains why the layers are as they are.
//!
//! Some places break a rule today. They are listed, with how many times each breaks it, in
//! `KNOWN`: the list only shrinks. A new breach fails the test, and so does a listed one that has
//! gone (take it off the list), so the list stays exactly the debt that is left.
//!
//! This test needs no database and no browser: `cargo test --test architecture`.

#![allow(clippy::unwrap_used)] // a test: a missing source file should stop it loudly

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The capabilities: each owns its tables, store, rules, operations and handlers.
const CAPABILITIES: &[&str] = &[
    "assessments",
    "billing",
    "consent",
    "field",
    "home",
    "journey",
    "messages",
    "organisations",
    "participants",
    "reentry",
    "reports",
    "workforce",
];

/// Pure modules: decisions and calculations with no I/O, so they are tested without a database
/// and read like the rule they implement.
const PURE: &[&str] = &[
    "src/assessments/",
    "src/billing/rules",
    "src/consent/rules",
    "src/field/rules.rs",
    "src/journey/rules",
    "src/messages/rules.rs",
    "src/participants/matching.rs",
    "src/reentry/rules",
    "src/platform/vocabulary.rs",
    "src/reports/gpra",
    "src/reports/periods.rs",
    "src/reports/stats.rs",
    "src/reports/suppression",
    "src/workforce/codes.rs",
    "src/workforce/credentials",
    "src/workforce/figures.rs",
    "src/workforce/hiring/rules",
    "src/workforce/supervision/rules.rs",
];

/// What a pure module must not name: the database, files, processes, the network, the runtime,
/// the web framework.
const IO: &[&str] = &[
    "diesel",
    "std::fs",
    "std::process",
    "std::net",
    "tokio",
    "axum",
    "platform::db",
    "platform::web",
    "platform::audit",
];

/// `platform` is what the capabilities stand on; it names a capability only here.
/// - `src/platform/web/mod.rs` assembles the router from each capability's routes;
/// - `src/platform/access/` is THE access policy, and applies the pure consent decision
///   (`consent::rules`) to the consents the consent store holds and to the emergency accesses
///   of `consent::emergency` (42 CFR 2.31, 2.35, 2.51);
/// - `src/platform/kept.rs` lists the lines capabilities keep on write, which `db::write_tx`
///   brings up to date before every commit (decision 0038).
const PLATFORM_MAY_NAME: &[(&str, &str)] = &[
    ("src/platform/web/mod.rs", "*"),
    ("src/platform/kept.rs", "journey"),
    ("src/platform/access/mod.rs", "consent"),
    ("src/platform/access/participant.rs", "consent"),
];

/// The places that break a rule today, and how many times. Only ever remove lines.
const KNOWN: &[(&str, &str, usize)] = &[
    // rule: capability_boundaries
    ("src/consent/ops.rs", "boundary organisations::store", 1),
    ("src/consent/ops.rs", "boundary participants::store", 1),
    ("src/consent/pages.rs", "boundary organisations::store", 1),
    ("src/consent/pages.rs", "boundary participants::store", 1),
    ("src/journey/pages/mod.rs", "boundary consent::store", 1),
    (
        "src/journey/pages/mod.rs",
        "boundary organisations::store",
        1,
    ),
    (
        "src/journey/pages/mod.rs",
        "boundary participants::store",
        1,
    ),
    (
        "src/journey/roster/mod.rs",
        "boundary participants::store",
        1,
    ),
    (
        "src/journey/roster_runs.rs",
        "boundary participants::store",
        1,
    ),
    (
        "src/journey/roster_web.rs",
        "boundary organisations::store",
        1,
    ),
    (
        "src/participants/pages.rs",
        "boundary organisations::store",
        1,
    ),
    (
        "src/participants/store/mod.rs",
        "boundary journey::schema",
        1,
    ),
    ("src/reentry/demo.rs", "boundary journey::schema", 1),
    ("src/reports/demo.rs", "boundary journey::schema", 1),
    ("src/reports/pages.rs", "boundary journey::schema", 1),
    ("src/reports/pages.rs", "boundary organisations::store", 1),
    ("src/reports/store.rs", "boundary journey::schema", 1),
    // rule: handlers_are_not_services (none left)
    // rule: handlers_do_not_audit (none left)
    // rule: handlers_do_not_compare_roles (none left)
];

struct Source {
    /// Relative to the crate root, with `/`.
    path: String,
    /// The code with comments removed, line by line.
    lines: Vec<String>,
    /// Every line of the file, tests and comments included.
    total_lines: usize,
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let path = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Source {
                path,
                lines: strip_comments(&text),
                total_lines: text.lines().count(),
            }
        })
        .collect()
}

/// Lines without `//` comments (doc comments included) and without the unit tests at the end
/// of a file (`#[cfg(test)]` onwards): tests may reach anywhere.
fn strip_comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            // Not inside a string such as "https://": good enough for this code base, which
            // has no `//` inside the strings of the lines these rules look at.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push(code.to_string());
    }
    out
}

/// The capability a file belongs to (`src/<capability>/…`).
fn capability_of(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    CAPABILITIES.iter().copied().find(|c| *c == first)
}

/// A file that handles requests: it parses, calls one operation and renders. Handlers split
/// into a directory (`workforce/pages/peer.rs`) are handlers too.
fn is_handler(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "api.rs"
        || name == "pages.rs"
        || path.contains("/api/")
        || path.contains("/pages/")
        || name.ends_with("_web.rs")
        || path.starts_with("src/platform/web/")
        || path == "src/home/mod.rs"
}

/// Each word `crate::<capability>::<module>` names in a line.
fn crate_paths(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let mut parts = rest.split("::");
        let first: String = parts
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let second: String = parts
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.push((first, second));
    }
    out
}

/// Rule: a capability does not reach into another capability's store or schema; it asks the
/// other capability's operations or public types. Caught:
/// `use crate::participants::store::{self as participants, Participant};` in `src/consent/…`.
fn capability_boundaries(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files {
        let Some(me) = capability_of(&f.path) else {
            continue;
        };
        for line in &f.lines {
            for (cap, module) in crate_paths(line) {
                if cap != me
                    && CAPABILITIES.contains(&cap.as_str())
                    && (module == "store" || module == "schema")
                {
                    *found
                        .entry((f.path.clone(), format!("boundary {cap}::{module}")))
                        .or_default() += 1;
                }
            }
        }
    }
}

/// Rule: handler modules (`api.rs`, `pages.rs`) are not services: nothing but the router names
/// them. Caught: `page.team_workforce = crate::workforce::api::peer_list(&state, &actor)` in the
/// home page, or `use super::api::{self as wapi, on_peer};` in `workforce/pages.rs`.
fn handlers_are_not_services(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files {
        if f.path == "src/platform/web/mod.rs" {
            continue;
        }
        for line in &f.lines {
            for (cap, module) in crate_paths(line) {
                if CAPABILITIES.contains(&cap.as_str()) && (module == "api" || module == "pages") {
                    *found
                        .entry((f.path.clone(), format!("service {cap}::{module}")))
                        .or_default() += 1;
                }
            }
            for m in ["api", "pages"] {
                if line.contains(&format!("super::{m}::")) || line.contains(&format!("super::{m};"))
                {
                    *found
                        .entry((f.path.clone(), format!("service super::{m}")))
                        .or_default() += 1;
                }
            }
        }
    }
}

/// Rule: a handler does not write the audit log; the operation it calls does (so the API and
/// the page of one action cannot audit it differently). Caught: `audit::append(tx, &who, …)`
/// in `src/workforce/api.rs`.
fn handlers_do_not_audit(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files.iter().filter(|f| is_handler(&f.path)) {
        let n = f
            .lines
            .iter()
            .filter(|l| l.contains("audit::append("))
            .count();
        if n > 0 {
            *found
                .entry((f.path.clone(), "audit::append".into()))
                .or_default() += n;
        }
    }
}

/// Rule: a handler does not compare roles; what a role may do is the access policy's to say
/// (`platform::access`). Caught: `if actor.role == Role::Peer {` or
/// `if matches!(actor.role, Role::Admin | Role::Supervisor)` or a `Role::Admin =>` match arm in
/// a handler file.
fn handlers_do_not_compare_roles(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files.iter().filter(|f| is_handler(&f.path)) {
        let n = f
            .lines
            .iter()
            .filter(|l| {
                l.contains("Role::")
                    && (l.contains("==")
                        || l.contains("!=")
                        || l.contains("matches!")
                        || l.contains("=>"))
            })
            .count();
        // Several lines of one comparison count once per line; the number is a ratchet, not
        // a census.
        if n > 0 {
            *found
                .entry((f.path.clone(), "role comparison".into()))
                .or_default() += n;
        }
    }
}

/// Rule: `platform` names no capability, except where `PLATFORM_MAY_NAME` says why. Caught:
/// `use crate::journey::rules::Setting;` in `src/platform/…`.
fn platform_stands_alone(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files.iter().filter(|f| f.path.starts_with("src/platform/")) {
        for line in &f.lines {
            for (cap, _) in crate_paths(line) {
                if !CAPABILITIES.contains(&cap.as_str()) {
                    continue;
                }
                let allowed = PLATFORM_MAY_NAME
                    .iter()
                    .any(|(p, c)| *p == f.path && (*c == "*" || *c == cap));
                if !allowed {
                    *found
                        .entry((f.path.clone(), format!("platform names {cap}")))
                        .or_default() += 1;
                }
            }
        }
    }
}

/// Rule: a pure module does no I/O. Caught: `use diesel::prelude::*;` or
/// `use crate::platform::db::Tx;` in `src/consent/rules…`.
fn pure_modules_do_no_io(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files
        .iter()
        .filter(|f| PURE.iter().any(|p| f.path.starts_with(p)))
    {
        for line in &f.lines {
            let trimmed = line.trim_start();
            for io in IO {
                let names = trimmed.starts_with("use ") && trimmed.contains(io)
                    || line.contains(&format!("{io}::"));
                if names {
                    *found
                        .entry((f.path.clone(), format!("pure module names {io}")))
                        .or_default() += 1;
                }
            }
        }
    }
}

/// The most lines a source file holds, tests included, unless a decision record says why (and
/// KNOWN lists it): a longer file is doing more than one thing (issue 15). Caught: a file of
/// 801 lines, `src/journey/demo.rs` as it was.
const MAX_FILE_LINES: usize = 800;

/// Rule: files are one thing each, at most [`MAX_FILE_LINES`] lines.
fn files_are_one_thing(files: &[Source], found: &mut BTreeMap<(String, String), usize>) {
    for f in files {
        if f.total_lines > MAX_FILE_LINES {
            found.insert((f.path.clone(), format!("over {MAX_FILE_LINES} lines")), 1);
        }
    }
}

fn check_all(files: &[Source], known: &[(&str, &str, usize)]) -> Vec<String> {
    let mut found = BTreeMap::new();
    capability_boundaries(files, &mut found);
    handlers_are_not_services(files, &mut found);
    handlers_do_not_audit(files, &mut found);
    handlers_do_not_compare_roles(files, &mut found);
    platform_stands_alone(files, &mut found);
    pure_modules_do_no_io(files, &mut found);
    files_are_one_thing(files, &mut found);
    let mut problems = Vec::new();
    for ((path, what), n) in &found {
        match known.iter().find(|(p, w, _)| p == path && w == what) {
            None => problems.push(format!(
                "{path}: {what} ({n}×): a new breach of the architecture"
            )),
            Some((_, _, known)) if n > known => problems.push(format!(
                "{path}: {what}: {n}× where {known} are known; the list only shrinks"
            )),
            Some((_, _, known)) if n < known => problems.push(format!(
                "{path}: {what}: {n}× where {known} are listed; lower the count in KNOWN"
            )),
            Some(_) => {}
        }
    }
    for (path, what, _) in known {
        if !found.contains_key(&(path.to_string(), what.to_string())) {
            problems.push(format!(
                "{path}: {what} no longer happens: take it off KNOWN"
            ));
        }
    }
    problems
}

#[test]
fn the_architecture_holds() {
    let files = sources();
    assert!(files.len() > 50, "the sources were not found");
    let problems = check_all(&files, KNOWN);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Each rule catches the line its doc comment shows: the checks are not vacuous.
#[test]
fn each_rule_catches_what_it_says() {
    let file = |path: &str, code: &str| Source {
        path: path.into(),
        lines: strip_comments(code),
        total_lines: code.lines().count(),
    };
    let cases: &[(&str, &str, &str)] = &[
        (
            "src/consent/x.rs",
            "use crate::participants::store::{self as participants, Participant};",
            "boundary participants::store",
        ),
        (
            "src/reports/x.rs",
            "use crate::journey::schema::episodes;",
            "boundary journey::schema",
        ),
        (
            "src/home/mod.rs",
            "x = crate::workforce::api::peer_list(&state, &actor).await?;",
            "service workforce::api",
        ),
        (
            "src/workforce/pages.rs",
            "use super::api::{self as wapi, on_peer};",
            "service super::api",
        ),
        (
            "src/workforce/api.rs",
            "    audit::append(tx, &who, Event::new(\"x\", \"y\", None))?;",
            "audit::append",
        ),
        (
            "src/journey/pages.rs",
            "    if actor.role == Role::Peer {",
            "role comparison",
        ),
        (
            "src/workforce/pages/peer.rs",
            "    audit::append(tx, &who, Event::new(\"x\", \"y\", None))?;",
            "audit::append",
        ),
        (
            "src/journey/roster_web.rs",
            "    if matches!(actor.role, access::Role::Admin | access::Role::Supervisor) {",
            "role comparison",
        ),
        (
            "src/platform/time.rs",
            "use crate::journey::rules::Setting;",
            "platform names journey",
        ),
        (
            "src/consent/rules/decide.rs",
            "use diesel::prelude::*;",
            "pure module names diesel",
        ),
        (
            "src/journey/rules.rs",
            "use crate::platform::db::Tx;",
            "pure module names platform::db",
        ),
    ];
    let long = "let x = 1;\n".repeat(MAX_FILE_LINES + 1);
    let long_file = [("src/journey/demo.rs", long.as_str(), "over 800 lines")];
    for (path, code, what) in cases.iter().chain(long_file.iter()) {
        let problems = check_all(&[file(path, code)], &[]);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("{path}: {what} ("))),
            "{path}: `{code}` should be caught as {what}; got {problems:?}"
        );
    }
    // The list only shrinks: a listed breach that has gone, or one that happens more often
    // than listed, fails.
    let gone = check_all(&[], &[("src/journey/pages.rs", "role comparison", 1)]);
    assert!(gone[0].contains("no longer happens"), "{gone:?}");
    let twice = file(
        "src/workforce/api.rs",
        "audit::append(tx, &a, e)?;\naudit::append(tx, &a, f)?;",
    );
    let more = check_all(&[twice], &[("src/workforce/api.rs", "audit::append", 1)]);
    assert!(more[0].contains("2× where 1 are known"), "{more:?}");
    // What the rules allow is not caught.
    for (path, code) in [
        (
            "src/consent/ops.rs",
            "use super::store::{self, ConsentView};",
        ),
        (
            "src/consent/api.rs",
            "s.db.read(move |tx| ops::list(tx, &a, id)).await?",
        ),
        (
            "src/platform/web/mod.rs",
            "routes.extend(crate::consent::pages::routes());",
        ),
        (
            "src/platform/access/participant.rs",
            "use crate::consent::rules::Category;",
        ),
        ("src/consent/rules.rs", "// diesel is not used here"),
        (
            "src/consent/pages.rs",
            "let ok = access::is_medical_personnel(a);",
        ),
    ] {
        let problems = check_all(&[file(path, code)], &[]);
        assert!(
            problems.is_empty(),
            "{path}: `{code}` was caught: {problems:?}"
        );
    }
}

/// Every migration has its own version (the date-time prefix diesel keys it by: two with one
/// version and the second never runs), and both backends list the same migrations.
#[test]
fn migrations_have_one_version_each_and_both_backends_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let list = |backend: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let (sqlite, postgres) = (list("sqlite"), list("postgres"));
    assert!(sqlite.len() > 20, "the migrations were not found");
    assert_eq!(sqlite, postgres, "both backends list the same migrations");
    let mut versions: Vec<&str> = sqlite
        .iter()
        .map(|n| n.split('_').next().unwrap())
        .collect();
    versions.dedup();
    assert_eq!(
        versions.len(),
        sqlite.len(),
        "two migrations share a version: {sqlite:?}"
    );
}

/// Every type the OpenAPI document describes has its own name there: utoipa keys components by
/// the bare type name, so two `ReasonCount`s (one for clearances, one for hiring) leave one of
/// them described by the other's schema, and clients validate against the wrong one.
#[test]
fn openapi_schema_names_are_one_each() {
    let files = sources();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let mut pending: Option<String> = None;
        for (n, line) in file.lines.iter().enumerate() {
            let t = line.trim();
            if t.starts_with("#[derive(") && t.contains("ToSchema") {
                pending = Some(format!("{}:{}", file.path, n + 1));
                continue;
            }
            let Some(at) = pending.clone() else { continue };
            if t.starts_with("#[schema(") && t.contains("as =") {
                // Renamed in the document: its name is the one given.
                let name = t.split("as =").nth(1).unwrap_or("");
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let short = name.rsplit("::").next().unwrap_or(&name).to_string();
                seen.entry(short).or_default().push(at);
                pending = None;
                continue;
            }
            let decl = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            if let Some(rest) = decl
                .strip_prefix("struct ")
                .or_else(|| decl.strip_prefix("enum "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                seen.entry(name).or_default().push(at);
                pending = None;
            }
        }
    }
    assert!(seen.len() > 50, "the described types were not found");
    let twice: Vec<_> = seen.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(
        twice.is_empty(),
        "types described under one name: {twice:?}"
    );
}
