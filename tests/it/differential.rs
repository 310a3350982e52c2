//! The differential test: SQLite and PostgreSQL give the same answers. One fixed data set is
//! built through the HTTP API, step by step in the same order, into a fresh SQLite database and
//! a fresh PostgreSQL database (two real servers in one test). Then every GET route of the
//! OpenAPI document (so a new report, list or export is covered without editing this file), with
//! the variants its parameters allow, and every HTML page, are asked of both as each role, in
//! the same order, and the answers compared value by value: JSON by path, CSV and XLSX cell by
//! cell, HTML line by line. Ids are application-generated from the clock, so they are mapped by
//! creation order (their rank among all the ids in each database); times the server stamps
//! itself (`created_at`, audit times) are masked; hashes that cover those times are dropped. A
//! route that answers 2xx on one backend and not on the other fails, and every failure names the
//! route, the role and the first differing value.
//!
//! It needs PostgreSQL, so it is `#[ignore]`d: the SQLite pass of `scripts/test` lists it as
//! ignored, and the PostgreSQL pass runs it with `--ignored differential`. Run with `--ignored`
//! and no `TEST_DATABASE_URL`, it fails and says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::Value;
use throughcare::platform::access::Role;
use throughcare::platform::db::is_postgres;
use throughcare::platform::web;
use throughcare::reports::dashboard::CHARTS;
use throughcare::reports::exports::{DATASETS, PUBLIC_TABLES};
use throughcare::workforce::codes::JobKind;

use crate::helpers::seed::{Seeded, seed};
use crate::helpers::{TestApp, spawn_app_on};

const NEEDS_POSTGRES: &str = "the differential test compares SQLite with PostgreSQL and needs \
     TEST_DATABASE_URL naming a PostgreSQL server (postgres://user@host:port/database); \
     scripts/test starts a throwaway cluster and runs it with `--ignored differential`";

/// The two sides, in the order every step is applied.
const SIDES: [&str; 2] = ["SQLite", "PostgreSQL"];

// -------------------------------------------------------------- ids, clocks: what may differ

/// Every application-generated id of one database, ranked by creation order.
type IdRanks = HashMap<i64, usize>;

/// Ids are 53-bit, seconds since 2024 in the high bits (platform::ids): anything this large in an
/// id column is one.
const MIN_ID: i64 = 1 << 40;

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The ids of every table with an integer `id` column, per table, and ranked overall.
async fn id_ranks(app: &TestApp) -> (IdRanks, BTreeMap<String, usize>) {
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        use diesel::RunQueryDsl;
        let mut conn = db.conn().expect("connection");
        let sql = if is_postgres(&conn) {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.columns \
             WHERE table_schema = 'public' AND column_name = 'id' AND data_type = 'bigint'"
        } else {
            "SELECT m.name AS name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS \
             (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'id' \
             AND upper(c.type) IN ('BIGINT', 'INTEGER'))"
        };
        let tables: Vec<Name> = diesel::sql_query(sql).load(&mut conn).expect("tables");
        let mut all = Vec::new();
        let mut per_table = BTreeMap::new();
        for t in tables {
            let ids: Vec<IdRow> =
                diesel::sql_query(format!("SELECT CAST(id AS BIGINT) AS id FROM {}", t.name))
                    .load(&mut conn)
                    .expect("ids");
            let ids: Vec<i64> = ids
                .into_iter()
                .map(|r| r.id)
                .filter(|i| *i >= MIN_ID)
                .collect();
            // (Tables keyed otherwise, such as audit_head's single row 1, are left out.)
            if !ids.is_empty() {
                per_table.insert(t.name, ids.len());
            }
            all.extend(ids);
        }
        all.sort_unstable();
        all.dedup();
        (
            all.into_iter().enumerate().map(|(r, id)| (id, r)).collect(),
            per_table,
        )
    })
    .await
    .expect("id ranks")
}

/// What is masked on one side: its ids and the span of its server clock.
struct Masks {
    ids: IdRanks,
    from: NaiveDateTime,
    to: NaiveDateTime,
    /// Secrets made on this side (set-password links), shown as `<secret>`.
    secrets: Vec<String>,
}

impl Masks {
    /// Text with every known id replaced by `#rank` and every server-stamped time (an ISO-like
    /// date and time within the run) replaced by `<now>`.
    fn text(&self, s: &str) -> String {
        let mut s = s.to_string();
        for secret in &self.secrets {
            s = s.replace(secret.as_str(), "<secret>");
        }
        // A digest of participants' ids (a bulk job's audit entry, decision 0045) differs as
        // the ids do; how many people it covers is compared.
        while let Some(at) = s.find("digest=") {
            let hex = &s[at + 7..];
            let len = hex.chars().take_while(char::is_ascii_hexdigit).count();
            if len != 64 {
                break;
            }
            s.replace_range(at..at + 7 + len, "<digest of ids>");
        }
        let b: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < b.len() {
            if let Some(len) = self.time_at(&b[i..]) {
                out.push_str("<now>");
                i += len;
                continue;
            }
            if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
                let run: String = b[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
                if let Some(r) = run.parse::<i64>().ok().and_then(|n| self.ids.get(&n)) {
                    let _ = write!(out, "#{r}");
                } else {
                    out.push_str(&run);
                }
                i += run.chars().count();
                continue;
            }
            out.push(b[i]);
            i += 1;
        }
        out
    }

    /// The length of a date-time at the start of `b` (`YYYY-MM-DD[T ]HH:MM[:SS[.f…]]`) that lies
    /// within the run (or is an expiry stamped during it), if there is one.
    fn time_at(&self, b: &[char]) -> Option<usize> {
        if let Some(len) = self.shown_time_at(b) {
            return Some(len);
        }
        let shape = "dddd-dd-ddxdd:dd";
        if b.len() < shape.len() {
            return None;
        }
        for (c, want) in b.iter().zip(shape.chars()) {
            let ok = match want {
                'd' => c.is_ascii_digit(),
                'x' => *c == 'T' || *c == ' ',
                w => *c == w,
            };
            if !ok {
                return None;
            }
        }
        let mut len = shape.len();
        if b.get(len) == Some(&':') && b.get(len + 1).is_some_and(char::is_ascii_digit) {
            len += 3;
            if b.get(len) == Some(&'.') {
                len += 1;
                while b.get(len).is_some_and(char::is_ascii_digit) {
                    len += 1;
                }
            }
        }
        let text: String = b[..16].iter().collect::<String>().replace(' ', "T");
        let t = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M").ok()?;
        // Within the run, or an expiry the server stamps from it: a set-password link (3 days)
        // or an API token (90 days) made during the run.
        [0, 3, 90]
            .iter()
            .any(|days| {
                let t = t - Duration::days(*days);
                t >= self.from && t <= self.to
            })
            .then_some(len)
    }

    /// The length of a time as pages show it (`1 Dec 2026, 5:48 pm UTC`, seconds optional, the
    /// zone's abbreviation last; decision 0040) at the start of `b`, if it lies within the run.
    /// The test organisations keep UTC, so the shown time is the stored one.
    fn shown_time_at(&self, b: &[char]) -> Option<usize> {
        let mut i = 0;
        let digits = |i: &mut usize, min: usize, max: usize| -> Option<String> {
            let start = *i;
            while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
                *i += 1;
            }
            (*i - start >= min).then(|| b[start..*i].iter().collect())
        };
        let lit = |i: &mut usize, text: &str| -> Option<()> {
            for c in text.chars() {
                if b.get(*i) != Some(&c) {
                    return None;
                }
                *i += 1;
            }
            Some(())
        };
        let day = digits(&mut i, 1, 2)?;
        lit(&mut i, " ")?;
        let month: String = b.get(i..i + 3)?.iter().collect();
        if !month.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        i += 3;
        lit(&mut i, " ")?;
        let year = digits(&mut i, 4, 4)?;
        lit(&mut i, ", ")?;
        let hour = digits(&mut i, 1, 2)?;
        lit(&mut i, ":")?;
        let minute = digits(&mut i, 2, 2)?;
        if b.get(i) == Some(&':') {
            i += 1;
            digits(&mut i, 2, 2)?;
        }
        lit(&mut i, " ")?;
        let half: String = b.get(i..i + 2)?.iter().collect();
        if half != "am" && half != "pm" {
            return None;
        }
        i += 2;
        if b.get(i) == Some(&' ') && b.get(i + 1).is_some_and(char::is_ascii_uppercase) {
            i += 1;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-')
            {
                i += 1;
            }
        }
        let t = NaiveDateTime::parse_from_str(
            &format!("{day} {month} {year} {hour}:{minute} {half}"),
            "%d %b %Y %I:%M %p",
        )
        .ok()?;
        [0, 3, 90]
            .iter()
            .any(|days| {
                let t = t - Duration::days(*days);
                // Shown to the minute: the minute a time within the run falls in.
                t >= self.from - Duration::minutes(1) && t <= self.to
            })
            .then_some(i)
    }

    fn json(&self, v: &Value) -> Value {
        match v {
            Value::Number(n) => match n.as_i64().and_then(|i| self.ids.get(&i)) {
                Some(r) => Value::String(format!("#{r}")),
                None => v.clone(),
            },
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.json(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| !DROPPED_KEYS.contains(&k.as_str()))
                    .map(|(k, x)| (self.text(k), self.json(x)))
                    .collect(),
            ),
            _ => v.clone(),
        }
    }
}

/// Keys whose values cover server-stamped times (the audit chain's hashes) or random secrets
/// (a session's reference).
const DROPPED_KEYS: &[&str] = &["hash", "prev_hash", "reference"];

// ------------------------------------------------------------------------------- comparing

/// The first difference between two normalised JSON values, with its path.
fn json_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                if let Some(d) = json_difference(&format!("{path}[{i}]"), u, v) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| {
                format!(
                    "{path}: {} items on SQLite, {} on PostgreSQL (next: {} / {})",
                    x.len(),
                    y.len(),
                    x.get(y.len()).map(short).unwrap_or_default(),
                    y.get(x.len()).map(short).unwrap_or_default()
                )
            })
        }
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = json_difference(&p, u, v) {
                            return Some(d);
                        }
                    }
                    (u, v) => {
                        return Some(format!(
                            "{p}: SQLite {} vs PostgreSQL {}",
                            u.map(short).unwrap_or("(absent)".into()),
                            v.map(short).unwrap_or("(absent)".into())
                        ));
                    }
                }
            }
            None
        }
        _ => (a != b).then(|| format!("{path}: SQLite {} vs PostgreSQL {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    clip(&v.to_string())
}

fn clip(s: &str) -> String {
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Rows of cells, for the cell-by-cell comparison of CSV and XLSX.
type Grid = Vec<Vec<String>>;

fn csv_grid(bytes: &[u8]) -> Result<Grid, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    r.records()
        .map(|rec| {
            rec.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn grid_difference(what: &str, a: &Grid, b: &Grid) -> Option<String> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        for (j, (u, v)) in x.iter().zip(y).enumerate() {
            if u != v {
                let column = a
                    .first()
                    .and_then(|h| h.get(j))
                    .cloned()
                    .unwrap_or_default();
                return Some(format!(
                    "{what} row {} column {} ({column}): SQLite {:?} vs PostgreSQL {:?}",
                    i + 1,
                    j + 1,
                    clip(u),
                    clip(v)
                ));
            }
        }
        if x.len() != y.len() {
            return Some(format!(
                "{what} row {}: {} cells on SQLite, {} on PostgreSQL",
                i + 1,
                x.len(),
                y.len()
            ));
        }
    }
    (a.len() != b.len()).then(|| {
        format!(
            "{what}: {} rows on SQLite, {} on PostgreSQL (next: {:?} / {:?})",
            a.len(),
            b.len(),
            a.get(b.len()),
            b.get(a.len())
        )
    })
}

/// The worksheets of an XLSX workbook: (sheet file, cells as a grid by cell reference).
fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<(String, Grid)>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut read = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let shared: Vec<String> = read("xl/sharedStrings.xml")
        .map(|x| {
            x.split("<si>")
                .skip(1)
                .map(|si| xml_texts(si.split("</si>").next().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    let mut sheets = Vec::new();
    for n in 1.. {
        let name = format!("xl/worksheets/sheet{n}.xml");
        let Some(xml) = read(&name) else { break };
        let mut grid: Grid = Vec::new();
        for c in xml.split("<c ").skip(1) {
            let (attrs, rest) = c.split_once('>').unwrap_or((c, ""));
            let attr = |k: &str| {
                attrs
                    .split_once(&format!("{k}=\""))
                    .and_then(|(_, v)| v.split_once('"'))
                    .map(|(v, _)| v.to_string())
            };
            let reference = attr("r").ok_or_else(|| format!("{name}: a cell without r"))?;
            let (col, row) = cell_position(&reference)
                .ok_or_else(|| format!("{name}: bad cell reference {reference}"))?;
            let body = if attrs.ends_with('/') {
                ""
            } else {
                rest.split("</c>").next().unwrap_or("")
            };
            let value = match attr("t").as_deref() {
                Some("s") => {
                    let i: usize = xml_texts_tag(body, "v").parse().unwrap_or(usize::MAX);
                    shared.get(i).cloned().unwrap_or_default()
                }
                Some("inlineStr") => xml_texts(body),
                _ => xml_texts_tag(body, "v"),
            };
            while grid.len() <= row {
                grid.push(Vec::new());
            }
            while grid[row].len() <= col {
                grid[row].push(String::new());
            }
            grid[row][col] = value;
        }
        sheets.push((name, grid));
    }
    Ok(sheets)
}

/// (column, row), 0-based, of a reference such as `AB12`.
fn cell_position(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(char::is_ascii_uppercase).collect();
    let row: usize = r[letters.len()..].parse().ok()?;
    let col = letters
        .chars()
        .fold(0usize, |acc, c| acc * 26 + (c as usize - 'A' as usize + 1));
    Some((col.checked_sub(1)?, row.checked_sub(1)?))
}

/// The concatenated text of every `<t>` element of an XML fragment, unescaped.
fn xml_texts(xml: &str) -> String {
    xml.split("<t")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .map(|rest| unescape(rest.split("</t>").next().unwrap_or("")))
        .collect()
}

fn xml_texts_tag(xml: &str, tag: &str) -> String {
    xml.split_once(&format!("<{tag}>"))
        .and_then(|(_, rest)| rest.split_once(&format!("</{tag}>")))
        .map(|(v, _)| unescape(v))
        .unwrap_or_default()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// HTML with what legitimately differs per server masked: the CSRF token, nonces.
fn html_masked(html: &str, m: &Masks) -> String {
    let mut s = m.text(html);
    for key in ["value=\"", "nonce=\"", "content=\"", "data-session=\""] {
        // Only values that look like secrets (long, no spaces) are masked.
        let mut out = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(i) = rest.find(key) {
            out.push_str(&rest[..i + key.len()]);
            rest = &rest[i + key.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            let v = &rest[..end];
            // A session's reference is a prefix of its random secret's digest.
            let session_reference = key == "data-session=\"";
            if session_reference
                || v.len() >= 20
                    && !v.contains(' ')
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_=+/".contains(c))
            {
                out.push_str("<secret>");
            } else {
                out.push_str(v);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        s = out;
    }
    s
}

fn lines_difference(what: &str, a: &str, b: &str) -> Option<String> {
    let (x, y): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for (i, (u, v)) in x.iter().zip(&y).enumerate() {
        if u != v {
            return Some(format!(
                "{what} line {}: SQLite {:?} vs PostgreSQL {:?}",
                i + 1,
                clip(u.trim()),
                clip(v.trim())
            ));
        }
    }
    (x.len() != y.len()).then(|| {
        format!(
            "{what}: {} lines on SQLite, {} on PostgreSQL",
            x.len(),
            y.len()
        )
    })
}

/// One answer, kept until the ids of both databases are known.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// The first difference between the two answers to one request, if any.
fn difference(a: &Answer, ma: &Masks, b: &Answer, mb: &Masks) -> Option<String> {
    if a.status / 100 == 2 && b.status / 100 != 2 || a.status / 100 != 2 && b.status / 100 == 2 {
        return Some(format!(
            "status: SQLite {} vs PostgreSQL {} ({} / {})",
            a.status,
            b.status,
            clip(&String::from_utf8_lossy(&a.body)),
            clip(&String::from_utf8_lossy(&b.body))
        ));
    }
    if a.status != b.status {
        return Some(format!(
            "status: SQLite {} vs PostgreSQL {}",
            a.status, b.status
        ));
    }
    if a.content_type != b.content_type {
        return Some(format!(
            "content type: SQLite {} vs PostgreSQL {}",
            a.content_type, b.content_type
        ));
    }
    let ct = a.content_type.as_str();
    if ct.contains("json") {
        let parse =
            |x: &Answer| serde_json::from_slice::<Value>(&x.body).map_err(|e| e.to_string());
        return match (parse(a), parse(b)) {
            (Ok(u), Ok(v)) => json_difference("$", &ma.json(&u), &mb.json(&v)),
            (u, v) => Some(format!("JSON: SQLite {u:?} vs PostgreSQL {v:?}")),
        };
    }
    if ct.starts_with("text/csv") {
        let grid = |x: &Answer, m: &Masks| {
            csv_grid(&x.body).map(|g| {
                g.into_iter()
                    .map(|r| r.into_iter().map(|c| m.text(&c)).collect())
                    .collect::<Grid>()
            })
        };
        return match (grid(a, ma), grid(b, mb)) {
            (Ok(u), Ok(v)) => grid_difference("CSV", &u, &v),
            (u, v) => Some(format!("CSV: SQLite {u:?} vs PostgreSQL {v:?}")),
        };
    }
    if ct.contains("spreadsheetml") {
        return match (xlsx_sheets(&a.body), xlsx_sheets(&b.body)) {
            (Ok(u), Ok(v)) => {
                if u.len() != v.len() {
                    return Some(format!(
                        "XLSX: {} sheets on SQLite, {} on PostgreSQL",
                        u.len(),
                        v.len()
                    ));
                }
                u.iter().zip(&v).find_map(|((name, x), (_, y))| {
                    let mask = |g: &Grid, m: &Masks| -> Grid {
                        g.iter()
                            .map(|r| r.iter().map(|c| m.text(c)).collect())
                            .collect()
                    };
                    grid_difference(&format!("XLSX {name}"), &mask(x, ma), &mask(y, mb))
                })
            }
            (u, v) => Some(format!(
                "XLSX: SQLite {:?} vs PostgreSQL {:?}",
                u.err(),
                v.err()
            )),
        };
    }
    if ct.starts_with("text/html") {
        let text = |x: &Answer, m: &Masks| html_masked(&String::from_utf8_lossy(&x.body), m);
        return lines_difference("HTML", &text(a, ma), &text(b, mb));
    }
    if ct.starts_with("text/") {
        let text = |x: &Answer, m: &Masks| m.text(&String::from_utf8_lossy(&x.body));
        return lines_difference("text", &text(a, ma), &text(b, mb));
    }
    (a.body != b.body).then(|| format!("{ct}: the bytes differ"))
}

// ------------------------------------------------------------------------------- the requests

/// One request, on both sides: what it is called in a failure, and the concrete path per side.
struct Request {
    label: String,
    route: String,
    paths: [String; 2],
}

/// Values for a path parameter, per side (paired by position).
fn path_values(
    route: &str,
    param: &str,
    seeds: &[Seeded; 2],
    so_far: &[String; 2],
) -> Option<Vec<[String; 2]>> {
    let pair = |f: &dyn Fn(&Seeded) -> Vec<i64>| -> Vec<[String; 2]> {
        let (a, b) = (f(&seeds[0]), f(&seeds[1]));
        assert_eq!(a.len(), b.len(), "both seeds made as many");
        a.iter()
            .zip(&b)
            .map(|(x, y)| [x.to_string(), y.to_string()])
            .collect()
    };
    let same = |v: Vec<String>| v.into_iter().map(|x| [x.clone(), x]).collect();
    match param {
        "id" | "participant_id" if route.contains("/participants/") => Some(pair(&|s| {
            s.participants
                .iter()
                .chain(&s.b_participants)
                .copied()
                .collect()
        })),
        // A participant's own consents (the participant is already in the path).
        "consent_id" => Some(pair(&|s| {
            s.consents
                .iter()
                .filter(|(p, _)| so_far.iter().any(|path| path.contains(&format!("/{p}/"))))
                .map(|(_, c)| *c)
                .collect()
        })),
        "id" if route.contains("/peers/") => Some(pair(&|s| s.staff.clone())),
        "id" if route.starts_with("/groups/") => Some(pair(&|s| s.groups.clone())),
        "id" if route.contains("/roster-imports/") || route.contains("/import/roster/") => {
            Some(pair(&|s| s.roster_imports.clone()))
        }
        // A set-password link's secret differs on each backend: each side's own.
        "token" if route.contains("/welcome/") => Some(
            seeds[0]
                .welcome_links
                .iter()
                .zip(&seeds[1].welcome_links)
                .map(|(a, b)| [a.clone(), b.clone()])
                .collect(),
        ),
        "id" if route.contains("/credential-standards/") || route.contains("/standards/") => {
            Some(pair(&|s| s.standards.clone()))
        }
        "file" if route.contains("/exports/public/") => Some(same(
            PUBLIC_TABLES
                .iter()
                .map(|(n, _)| format!("{n}.csv"))
                .collect(),
        )),
        "file" if route.contains("/exports/") => Some(same(
            DATASETS
                .iter()
                .map(|d| format!("{}.csv", d.name))
                .chain(["dictionary.csv".to_string()])
                .collect(),
        )),
        "id" if route.contains("/supervision/") => Some(pair(&|s| s.supervision.clone())),
        "id" if route.contains("/competency-reviews/") => {
            Some(pair(&|s| s.competency_reviews.clone()))
        }
        "id" if route.contains("/hiring/applicants/") => Some(pair(&|s| s.applicants.clone())),
        "kind" if route.contains("/job-descriptions/") => Some(same(
            JobKind::ALL
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        )),
        _ => None,
    }
}

/// Values for a query parameter, per side: each is tried on its own beside the route's plain
/// request (required parameters are set on every request).
fn query_values(name: &str, seeds: &[Seeded; 2], today: NaiveDate) -> Vec<[String; 2]> {
    let d = |n: i64| (today + Duration::days(n)).to_string();
    let same = |v: &[&str]| v.iter().map(|x| [x.to_string(), x.to_string()]).collect();
    let pair = |f: &dyn Fn(&Seeded) -> Vec<i64>| -> Vec<[String; 2]> {
        f(&seeds[0])
            .iter()
            .zip(&f(&seeds[1]))
            .map(|(x, y)| [x.to_string(), y.to_string()])
            .collect()
    };
    match name {
        "format" => same(&["json", "csv"]),
        "chart" => same(CHARTS),
        "setting" => same(&["short_term", "medium_term", "long_term", "community"]),
        "facility" => pair(&|s| s.facilities.clone()),
        "payer" => pair(&|s| s.payers.clone()),
        "peer" => pair(&|s| vec![s.staff[2]]),
        "participant" => pair(&|s| vec![s.participants[1], s.participants[6]]),
        "name" => same(&[
            "pena",
            "PEÑA",
            "José",
            "zoe",
            "ångström",
            "O'Neil",
            "nguyen",
        ]),
        "from" => vec![[d(-90), d(-90)], [d(-400), d(-400)]],
        "to" => vec![[d(-31), d(-31)], [d(0), d(0)]],
        "actor" => same(&["peer", "PEER", "Admin"]),
        "action" => same(&["participant.", "signin", "PARTICIPANT."]),
        "page" => same(&["1", "2"]),
        "per_page" => same(&["2"]),
        "limit" => same(&["3"]),
        "offset" => same(&["2"]),
        "years" => same(&["1"]),
        _ => vec![],
    }
}

/// Concrete paths for a route template with every path parameter filled; `None` names a
/// parameter this test cannot fill (the caller fails, so a new route is never skipped silently).
fn expand(route: &str, seeds: &[Seeded; 2]) -> Result<Vec<[String; 2]>, String> {
    let mut out = vec![[route.to_string(), route.to_string()]];
    while let Some(open) = out[0][0].find('{') {
        let close = out[0][0][open..]
            .find('}')
            .map(|c| open + c)
            .unwrap_or(open);
        let param = out[0][0][open + 1..close].to_string();
        let mut next = Vec::new();
        for p in &out {
            let values = path_values(route, &param, seeds, p)
                .ok_or_else(|| format!("{route}: no values for the path parameter {{{param}}}"))?;
            for v in &values {
                next.push([
                    p[0].replacen(&format!("{{{param}}}"), &v[0], 1),
                    p[1].replacen(&format!("{{{param}}}"), &v[1], 1),
                ]);
            }
        }
        if next.is_empty() {
            return Err(format!("{route}: the seed made no {{{param}}} to fill in"));
        }
        out = next;
    }
    Ok(out)
}

/// Every GET of the API (from the OpenAPI document) with its parameter variants.
fn api_requests(seeds: &[Seeded; 2], today: NaiveDate) -> Result<Vec<Request>, String> {
    use utoipa::openapi::path::ParameterIn;
    let doc = web::openapi();
    let mut out = Vec::new();
    for (route, item) in &doc.paths.paths {
        let Some(op) = &item.get else { continue };
        let params = op.parameters.clone().unwrap_or_default();
        let mut required = Vec::new();
        let mut optional = Vec::new();
        let params: Vec<_> = params
            .into_iter()
            .map(|p| match p {
                utoipa::openapi::RefOr::T(p) => Ok(p),
                utoipa::openapi::RefOr::Ref(r) => Err(format!(
                    "{route}: a parameter by reference {}",
                    r.ref_location
                )),
            })
            .collect::<Result<_, _>>()?;
        for p in params
            .iter()
            .filter(|p| matches!(p.parameter_in, ParameterIn::Query))
        {
            let values = query_values(&p.name, seeds, today);
            if matches!(p.required, utoipa::openapi::Required::True) {
                if values.is_empty() {
                    return Err(format!(
                        "{route}: no values for the required query parameter {}",
                        p.name
                    ));
                }
                required.push((p.name.clone(), values));
            } else {
                optional.push((p.name.clone(), values));
            }
        }
        // The required parameters' combinations (one value each), then each optional value alone.
        let mut bases: Vec<[Vec<(String, String)>; 2]> = vec![[vec![], vec![]]];
        for (name, values) in &required {
            bases = bases
                .iter()
                .flat_map(|b| {
                    values.iter().map(move |v| {
                        let mut n = b.clone();
                        n[0].push((name.clone(), v[0].clone()));
                        n[1].push((name.clone(), v[1].clone()));
                        n
                    })
                })
                .collect();
        }
        let mut queries = Vec::new();
        for base in &bases {
            queries.push(base.clone());
            for (name, values) in &optional {
                for v in values {
                    let mut q = base.clone();
                    q[0].push((name.clone(), v[0].clone()));
                    q[1].push((name.clone(), v[1].clone()));
                    queries.push(q);
                }
            }
        }
        for path in expand(route, seeds)? {
            for q in &queries {
                let with = |i: usize| {
                    if q[i].is_empty() {
                        path[i].clone()
                    } else {
                        format!(
                            "{}?{}",
                            path[i],
                            serde_urlencoded::to_string(&q[i]).unwrap_or_default()
                        )
                    }
                };
                out.push(Request {
                    label: format!("GET {}", with(0)),
                    route: route.clone(),
                    paths: [with(0), with(1)],
                });
            }
        }
    }
    Ok(out)
}

/// Every GET page (from the page-route table) with its path parameters filled.
fn page_requests(seeds: &[Seeded; 2]) -> Result<Vec<Request>, String> {
    let mut out = Vec::new();
    for r in web::page_routes() {
        // The sign-in steps: nothing to compare (the second factor's pages show a fresh random
        // key or redirect a signed-in user; tests/it/mfa.rs covers them).
        if !r.methods.contains(&"GET") || r.path.starts_with("/sign-in") {
            continue;
        }
        for path in expand(r.path, seeds)? {
            for path in page_queries(r.path, path, seeds) {
                out.push(Request {
                    label: format!("page {}", path[0]),
                    route: r.path.to_string(),
                    paths: path,
                });
            }
        }
    }
    Ok(out)
}

/// A page that answers only with a query (a blank group sign-in sheet names its facility): the
/// page with each value, per side; any other page as it is.
fn page_queries(route: &str, path: [String; 2], seeds: &[Seeded; 2]) -> Vec<[String; 2]> {
    match route {
        "/groups/sign-in" => seeds[0]
            .facilities
            .iter()
            .zip(&seeds[1].facilities)
            .map(|(a, b)| {
                [
                    format!("{}?facility_id={a}", path[0]),
                    format!("{}?facility_id={b}", path[1]),
                ]
            })
            .collect(),
        _ => vec![path],
    }
}

async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
    Answer {
        status,
        content_type,
        body,
    }
}

// ------------------------------------------------------------------------------- the test

#[tokio::test]
#[ignore = "needs TEST_DATABASE_URL (run by scripts/test)"]
async fn differential_sqlite_and_postgresql_answer_every_report_list_and_export_alike() {
    let pg_url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| panic!("{NEEDS_POSTGRES}"));
    // Both sides must see the same "today" (report periods default to it): a run that would
    // cross midnight UTC waits for it instead (a run takes well under five minutes).
    let now = chrono::Utc::now().naive_utc();
    let midnight = (now.date() + Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    if midnight - now < Duration::minutes(5) {
        tokio::time::sleep(
            (midnight - now + Duration::seconds(1))
                .to_std()
                .unwrap_or_default(),
        )
        .await;
    }
    let started = chrono::Utc::now().naive_utc() - Duration::minutes(1);
    let today = chrono::Utc::now().date_naive();
    let apps = [spawn_app_on(None).await, spawn_app_on(Some(&pg_url)).await];
    assert!(apps[0].config.database_url.is_none() && apps[1].config.database_url.is_some());
    let seeds = [seed(&apps[0], today).await, seed(&apps[1], today).await];

    // Who asks: every role of A, and B's admin (who sees A's participants only by consent).
    let mut askers: Vec<(String, [String; 2], [String; 2])> = Role::ALL
        .iter()
        .map(|r| {
            (
                format!("{} of A", r.as_str()),
                [
                    apps[0].a.user(*r).token.clone(),
                    apps[1].a.user(*r).token.clone(),
                ],
                [
                    apps[0].a.user(*r).email.clone(),
                    apps[1].a.user(*r).email.clone(),
                ],
            )
        })
        .collect();
    askers.push((
        "admin of B".into(),
        [
            apps[0].b.user(Role::Admin).token.clone(),
            apps[1].b.user(Role::Admin).token.clone(),
        ],
        [
            apps[0].b.user(Role::Admin).email.clone(),
            apps[1].b.user(Role::Admin).email.clone(),
        ],
    ));

    let api = api_requests(&seeds, today).unwrap_or_else(|e| {
        panic!("{e}: add its values to path_values/query_values in tests/it/differential.rs")
    });
    let pages = page_requests(&seeds).unwrap_or_else(|e| {
        panic!("{e}: add its values to path_values in tests/it/differential.rs")
    });
    let mut answers: Vec<(String, String, String, [Answer; 2])> = Vec::new();
    for (who, tokens, _) in &askers {
        for r in &api {
            // SQLite first, then PostgreSQL: both audit logs grow in the same order.
            let a = answer(apps[0].get_bearer(&r.paths[0], &tokens[0]).await).await;
            let b = answer(apps[1].get_bearer(&r.paths[1], &tokens[1]).await).await;
            answers.push((who.clone(), r.label.clone(), r.route.clone(), [a, b]));
        }
    }
    for (who, _, emails) in &askers {
        let sessions = [
            apps[0].signed_in(&emails[0]).await,
            apps[1].signed_in(&emails[1]).await,
        ];
        for r in &pages {
            let a = answer(sessions[0].get(&r.paths[0]).await).await;
            let b = answer(sessions[1].get(&r.paths[1]).await).await;
            answers.push((who.clone(), r.label.clone(), r.route.clone(), [a, b]));
        }
    }

    // Ids by creation order: the same data set made the same rows in the same order.
    let ended = chrono::Utc::now().naive_utc() + Duration::minutes(1);
    assert_eq!(
        chrono::Utc::now().date_naive(),
        today,
        "the run crossed midnight UTC, so the two sides may have different days: run it again"
    );
    let (ids_a, tables_a) = id_ranks(&apps[0]).await;
    let (ids_b, tables_b) = id_ranks(&apps[1]).await;
    assert_eq!(
        tables_a, tables_b,
        "rows with ids per table: SQLite (left) vs PostgreSQL (right)"
    );
    let masks = [
        Masks {
            ids: ids_a,
            from: started,
            to: ended,
            secrets: seeds[0].welcome_links.clone(),
        },
        Masks {
            ids: ids_b,
            from: started,
            to: ended,
            secrets: seeds[1].welcome_links.clone(),
        },
    ];

    let mut failures = Vec::new();
    let mut ok_routes: BTreeSet<String> = BTreeSet::new();
    let mut all_routes: BTreeSet<String> = BTreeSet::new();
    for (who, label, route, [a, b]) in &answers {
        all_routes.insert(route.clone());
        if let Some(d) = difference(a, &masks[0], b, &masks[1]) {
            failures.push(format!("{label} as {who}: {d}"));
        } else if a.status / 100 == 2 {
            ok_routes.insert(route.clone());
        }
    }
    eprintln!(
        "differential: {} requests on each of {}, {} routes, {} answered 2xx to someone",
        answers.len(),
        SIDES.join(" and "),
        all_routes.len(),
        ok_routes.len()
    );
    assert!(
        failures.is_empty(),
        "{} answers differ between SQLite and PostgreSQL:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let never: Vec<&String> = all_routes.difference(&ok_routes).collect();
    assert!(
        never.is_empty(),
        "routes never answered 2xx to anyone, so nothing of them was compared: {never:?}"
    );
}
