//! Raw SQL placeholders appear in the order they are bound. SQLite reads `$1`, `$2`, … as
//! *named* parameters and numbers them by first appearance ("Named parameters are also
//! numbered. The number assigned is one greater than the largest parameter number already
//! assigned", https://www.sqlite.org/lang_expr.html#varparam), while PostgreSQL binds `$N` to the
//! N-th value. Diesel binds values by position, so a statement whose placeholders first appear
//! as `$1, $3, $2` gets its second and third values swapped on SQLite only (the facility access
//! report counted nobody without contact on SQLite for that reason). This scans every string
//! literal in `src/` that looks like SQL, and every statement in `bench/sql/`, and fails on a
//! placeholder that first appears after a higher-numbered one.
//!
//! A placeholder used again after its first appearance is harmless on both backends (SQLite
//! gives every appearance of one name the same number; the dashboard's `($2 IS NULL OR … = $2)`
//! relies on it), so reuse is allowed; a gap (`$1` then `$3` in a whole statement) is not, since
//! SQLite would number that `$3` as 2.

use std::path::{Path, PathBuf};

/// One string literal of a Rust source text: its first line (1-based) and its text as written.
#[derive(Debug, PartialEq)]
pub struct Literal {
    pub line: usize,
    pub text: String,
}

/// Every string literal (plain, raw, byte) of Rust source `src`, skipping comments (so doc
/// comments that mention `$1` are not SQL), char literals (`'"'`) and lifetimes.
pub fn string_literals(src: &str) -> Vec<Literal> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1usize);
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '\'' {
            // A char literal ('x', '\'', '\u{41}', '"') or a lifetime ('a).
            if next == Some('\\') {
                i += 3;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && (i == 0 || !ident(b[i - 1])) && {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while b.get(j) == Some(&'#') {
                j += 1;
            }
            b.get(j) == Some(&'"')
        } {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while b[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let (start, first) = (j, line);
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    break;
                }
                if b[j] == '\n' {
                    line += 1;
                }
                j += 1;
            }
            out.push(Literal {
                line: first,
                text: b[start..j.min(b.len())].iter().collect(),
            });
            i = j + 1 + hashes;
        } else if c == '"' {
            let mut j = i + 1;
            let first = line;
            while j < b.len() && b[j] != '"' {
                if b[j] == '\\' {
                    if b.get(j + 1) == Some(&'\n') {
                        line += 1;
                    }
                    j += 2;
                    continue;
                }
                if b[j] == '\n' {
                    line += 1;
                }
                j += 1;
            }
            out.push(Literal {
                line: first,
                text: b[i + 1..j.min(b.len())].iter().collect(),
            });
            i = j + 1;
        } else if ident(c) {
            // Skip a whole identifier, so `br`/`r` inside one (`for`, `bar"`) never starts a raw
            // string.
            while i < b.len() && ident(b[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The `$N` placeholders of an SQL text, in order of appearance. `$` preceded by an identifier
/// character or another `$` (PostgreSQL dollar quoting) is not a placeholder.
pub fn placeholders(sql: &str) -> Vec<u32> {
    let b: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    for i in 0..b.len() {
        if b[i] != '$' || (i > 0 && (b[i - 1].is_alphanumeric() || "_$".contains(b[i - 1]))) {
            continue;
        }
        let digits: String = b[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let after = b.get(i + 1 + digits.len()).copied().unwrap_or(' ');
        if !digits.is_empty()
            && !after.is_alphabetic()
            && after != '_'
            && after != '$'
            && let Ok(n) = digits.parse()
        {
            out.push(n);
        }
    }
    out
}

/// Does this text look like SQL? It has an upper-case SQL keyword as a whole word (the code
/// base writes SQL keywords in upper case; prose such as "costs $5 and more" does not count).
pub fn looks_like_sql(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "WITH",
        "FROM",
        "WHERE",
        "JOIN",
        "SET",
        "VALUES",
        "AND",
        "OR",
        "IS",
        "NULL",
        "IN",
        "RETURNING",
        "LIMIT",
    ];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| KEYWORDS.contains(&w))
}

/// Why this SQL text (a whole statement or a fragment of one) binds out of order, if it does.
/// The first appearances of placeholders must strictly increase; a text with no `{…}`
/// interpolation that starts a statement must also first use exactly `$1`, `$2`, … `$n`.
pub fn check_sql(text: &str) -> Result<(), String> {
    let all = placeholders(text);
    let mut firsts: Vec<u32> = Vec::new();
    for n in &all {
        if !firsts.contains(n) {
            firsts.push(*n);
        }
    }
    if let Some(w) = firsts.windows(2).find(|w| w[1] < w[0]) {
        return Err(format!(
            "placeholders first appear as {} (${} after ${}): SQLite numbers them by first \
             appearance, so the values are bound to the wrong placeholders there; renumber them \
             in order of appearance",
            firsts
                .iter()
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", "),
            w[1],
            w[0]
        ));
    }
    let statement = text
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .is_some_and(|w| ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(&w));
    if statement && !text.contains('{') && !firsts.is_empty() {
        let expected: Vec<u32> = (1..=firsts.len() as u32).collect();
        if firsts != expected {
            return Err(format!(
                "a whole statement whose placeholders first appear as {firsts:?}, not \
                 {expected:?}: SQLite would number them 1..{}",
                firsts.len()
            ));
        }
    }
    Ok(())
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// Every problem in the crate's raw SQL: `path:line: message` for `src/**/*.rs` string literals
/// that look like SQL and `bench/sql/*.sql` statements.
pub fn problems(root: &Path) -> (Vec<String>, usize) {
    let mut found = Vec::new();
    let mut checked = 0;
    let mut rs = Vec::new();
    files(&root.join("src"), "rs", &mut rs);
    rs.sort();
    for path in rs {
        let src = std::fs::read_to_string(&path).expect("read source");
        for lit in string_literals(&src) {
            if placeholders(&lit.text).is_empty() || !looks_like_sql(&lit.text) {
                continue;
            }
            checked += 1;
            if let Err(e) = check_sql(&lit.text) {
                found.push(format!(
                    "{}:{}: {e}",
                    path.strip_prefix(root).unwrap_or(&path).display(),
                    lit.line
                ));
            }
        }
    }
    let mut sql = Vec::new();
    files(&root.join("bench").join("sql"), "sql", &mut sql);
    sql.sort();
    for path in sql {
        let text = std::fs::read_to_string(&path).expect("read SQL");
        let code: String = text
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for stmt in code.split(';') {
            if placeholders(stmt).is_empty() {
                continue;
            }
            checked += 1;
            if let Err(e) = check_sql(stmt) {
                found.push(format!(
                    "{}: {e}: {}",
                    path.strip_prefix(root).unwrap_or(&path).display(),
                    stmt.trim()
                ));
            }
        }
    }
    (found, checked)
}

#[test]
fn raw_sql_placeholders_first_appear_in_the_order_they_are_bound() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (found, checked) = problems(root);
    eprintln!("{checked} raw SQL texts with placeholders checked");
    assert!(
        checked >= 20,
        "only {checked} SQL texts with placeholders found: is the scanner still reading src/?"
    );
    assert!(
        found.is_empty(),
        "raw SQL binds out of order:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_placeholder_scanner_finds_what_it_must_and_nothing_else() {
    // The statement of the facility access report as it was (out of order).
    let bad = "SELECT e.facility_id AS fid FROM episodes e \\\n WHERE e.org_id = $1 AND \
               e.started_on <= $3 AND (e.ended_on IS NULL OR e.ended_on >= $2) \
               AND c.occurred_at >= $4 AND c.occurred_at < $5";
    assert!(check_sql(bad).is_err());
    let fixed = "SELECT 1 FROM episodes e WHERE e.org_id = $1 AND (e.ended_on >= $2) \
                 AND e.started_on <= $3 AND (e.released_at >= $4) AND c.at >= $4 AND c.at < $5";
    assert_eq!(check_sql(fixed), Ok(()));
    // Fragments composed with format! may start above $1, and reuse is allowed.
    assert_eq!(
        check_sql("($2 IS NULL OR x.f = $2) AND ($3 IS NULL OR x.s = $3)"),
        Ok(())
    );
    assert!(check_sql("($3 IS NULL) AND ($2 IS NULL)").is_err());
    // A whole statement with a gap.
    assert!(check_sql("SELECT 1 FROM t WHERE a = $1 AND b = $3").is_err());
    assert_eq!(
        check_sql("SELECT 1 FROM {} WHERE a = $1 AND b > $5"),
        Ok(())
    );
    // $1 in $10 is not $1; $$ quoting and identifiers with $ are not placeholders.
    assert_eq!(
        placeholders("a = $10 AND b = $$x$$ AND c$2 AND $3"),
        [10, 3]
    );

    // The lexer: comments, char literals, lifetimes and raw strings.
    let src = r##"
        /// Binds `$2` then `$1` (a doc comment, not SQL).
        fn f<'a>(x: &'a str) -> char {
            let q = '"'; // a char literal that is a quote
            let s = "SELECT 1 FROM t WHERE a = $2 AND b = $1";
            /* "not a literal $3 AND $1" */
            let r = r#"UPDATE t SET a = $1 WHERE "id" = $2"#;
            let esc = "a \" $7 AND";
            '\''
        }
    "##;
    let lits = string_literals(src);
    assert_eq!(
        lits.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
        [
            "SELECT 1 FROM t WHERE a = $2 AND b = $1",
            "UPDATE t SET a = $1 WHERE \"id\" = $2",
            "a \\\" $7 AND",
        ]
    );
    assert_eq!(lits[0].line, 5);
    assert!(check_sql(&lits[0].text).is_err());
    assert!(!looks_like_sql("costs $5 and more"));
}
