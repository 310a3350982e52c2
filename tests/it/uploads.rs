//! Uploads that stay small: the size limit and the CSRF token are checked before the file is
//! read (a declared Content-Length over the limit, a chunked body cut off at it, a wrong token),
//! and an import's answer is a summary with pages of rows to check, seen only by its own
//! organisation.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Duration as Days;
use diesel::prelude::*;
use serde_json::Value;
use throughcare::journey::roster::ROWS_PER_TRANSACTION;
use throughcare::journey::schema::roster_import_runs;
use throughcare::platform::access::Role;
use throughcare::platform::schema::participants;
use throughcare::platform::time;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const HEADER: &str = "booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date";

/// The upload limit of the tests that cut uploads off (small, so the tests are quick).
const SMALL_LIMIT: usize = 256 * 1024;

fn d(days: i64) -> String {
    (time::today() + Days::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn facility(app: &TestApp) -> i64 {
    app.jail(&app.a.user(Role::Admin).token, "Lakeview County Jail")
        .await
}

/// Row `i` of a roster of people nobody knows, each born on a different day after the 12th (no
/// day and month can be read the other way round), booked three days ago.
fn stranger(prefix: &str, i: usize) -> String {
    format!(
        "{prefix}{i},Last{i},First{i},{}-{:02}-{},{},,\n",
        1920 + i / 192,
        1 + (i / 16) % 12,
        13 + i % 16,
        d(-3)
    )
}

fn strangers(prefix: &str, n: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..n {
        text.push_str(&stranger(prefix, i));
    }
    text
}

fn participants_count(app: &TestApp) -> i64 {
    let mut conn = app.state.db.conn().unwrap();
    participants::table.count().get_result(&mut conn).unwrap()
}

fn runs(app: &TestApp) -> Vec<(String, i64, i64)> {
    let mut conn = app.state.db.conn().unwrap();
    roster_import_runs::table
        .select((
            roster_import_runs::status,
            roster_import_runs::rows_read,
            roster_import_runs::created,
        ))
        .load(&mut conn)
        .unwrap()
}

/// What came back over a raw connection: status, headers (lower case), body.
struct Raw {
    status: u16,
    head: String,
    body: String,
}

/// Send `head` (the request line and headers, without the blank line) and then `body` bytes
/// by hand, in a task of their own (write errors ignored: the server may stop reading and close),
/// and read the response, waiting at most 20 s. Nothing here waits for the server to read the
/// body: a response that comes while the body is still unsent shows the server did not read it.
async fn raw(app: &TestApp, head: String, body: Vec<Vec<u8>>) -> Raw {
    let addr = app.url.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let writer = tokio::spawn(async move {
        let _ = wr
            .write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
            .await;
        for part in body {
            if wr.write_all(&part).await.is_err() {
                return;
            }
        }
        // Keep the writing half open: the server must answer without the rest.
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buf = [0u8; 8192];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
            if response_complete(&got) {
                break;
            }
        }
    })
    .await;
    writer.abort();
    assert!(
        read.is_ok() || response_complete(&got),
        "no answer within 20 s (the server waited for the body?): {:?}",
        String::from_utf8_lossy(&got)
    );
    let text = String::from_utf8_lossy(&got).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Raw {
        status,
        head: head.to_lowercase(),
        body: body.to_string(),
    }
}

/// A whole response with a Content-Length has arrived.
fn response_complete(got: &[u8]) -> bool {
    let text = String::from_utf8_lossy(got);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .is_some_and(|n| body.len() >= n)
}

/// A body in HTTP/1.1 chunked framing, in pieces of `size` bytes.
fn chunked(body: &[u8], size: usize) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = body
        .chunks(size)
        .map(|c| {
            let mut v = format!("{:x}\r\n", c.len()).into_bytes();
            v.extend_from_slice(c);
            v.extend_from_slice(b"\r\n");
            v
        })
        .collect();
    out.push(b"0\r\n\r\n".to_vec());
    out
}

const BOUNDARY: &str = "----throughcare-test-boundary";

/// One multipart/form-data part.
fn part(name: &str, filename: Option<&str>, value: &str) -> String {
    match filename {
        Some(f) => format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n{value}\r\n"
        ),
        None => format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ),
    }
}

#[tokio::test]
async fn an_upload_declaring_more_than_the_limit_gets_413_unread_on_the_page_and_the_api() {
    let app = spawn_app_with(|c| c.max_upload_bytes = SMALL_LIMIT).await;
    let fac = facility(&app).await;
    let admin = app.a.user(Role::Admin);
    let before = participants_count(&app);
    let host = app.url.trim_start_matches("http://").to_string();
    // The API: the body is never sent, so an answer proves it was not waited for.
    let r = raw(
        &app,
        format!(
            "POST /api/v1/imports/roster?facility={fac}&create_unmatched=true HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\nContent-Length: {}",
            admin.token,
            SMALL_LIMIT + 1
        ),
        vec![],
    )
    .await;
    assert_eq!(r.status, 413, "{} {}", r.head, r.body);
    assert!(r.head.contains("application/problem+json"), "{}", r.head);
    let problem: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(problem["status"], 413);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&SMALL_LIMIT.to_string()),
        "{problem}"
    );
    // The page: a friendly page, the file never sent.
    let s = app.signed_in(&admin.email).await;
    let r = raw(
        &app,
        format!(
            "POST /import/roster HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}",
            s.cookie_header(),
            50 * 1024 * 1024
        ),
        vec![part("csrf", None, &s.csrf()).into_bytes()],
    )
    .await;
    assert_eq!(r.status, 413, "{} {}", r.head, r.body);
    assert!(r.head.contains("text/html"), "{}", r.head);
    assert!(r.body.contains("The file is too large"), "{}", r.body);
    let limit = throughcare::platform::web::limits::megabytes(SMALL_LIMIT);
    assert!(
        r.body.contains(&limit),
        "the limit ({limit}) is named: {}",
        r.body
    );
    assert!(r.body.contains("href=\"/import/roster\""), "{}", r.body);
    // Every route that takes a body has a limit: a JSON API body and a form over
    // max_body_bytes (here capped by the upload limit) are refused the same way.
    let r = raw(
        &app,
        format!(
            "POST /api/v1/participants HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}",
            admin.token,
            SMALL_LIMIT + 1
        ),
        vec![],
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.head.contains("application/problem+json"), "{}", r.head);
    let r = raw(
        &app,
        format!(
            "POST /sign-in HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}",
            SMALL_LIMIT + 1
        ),
        vec![],
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("The form is too large"), "{}", r.body);
    assert_eq!(participants_count(&app), before, "nothing imported");
    assert!(runs(&app).is_empty(), "no import started: {:?}", runs(&app));
}

#[tokio::test]
async fn a_chunked_upload_over_the_limit_gets_413_and_keeps_only_whole_transactions() {
    let app = spawn_app_with(|c| c.max_upload_bytes = SMALL_LIMIT).await;
    let fac = facility(&app).await;
    let admin = app.a.user(Role::Admin);
    let host = app.url.trim_start_matches("http://").to_string();
    let before = participants_count(&app);
    // About 16,000 rows, 3.5 times the limit, sent in chunks with no Content-Length.
    let text = strangers("BKC", 16_000);
    assert!(text.len() > 3 * SMALL_LIMIT);
    let r = raw(
        &app,
        format!(
            "POST /api/v1/imports/roster?facility={fac}&create_unmatched=true HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked",
            admin.token
        ),
        chunked(text.as_bytes(), 16 * 1024),
    )
    .await;
    assert_eq!(r.status, 413, "{} {}", r.head, r.body);
    assert!(r.head.contains("application/problem+json"), "{}", r.head);
    // What was read before the limit went in whole transactions of 2,000 rows; nothing after.
    let created = participants_count(&app) - before;
    let per_tx = ROWS_PER_TRANSACTION as i64;
    let rows_within_limit = (SMALL_LIMIT / stranger("BKC", 9_999).len()) as i64;
    assert!(created > 0, "the transactions before the cut are kept");
    assert_eq!(
        created % per_tx,
        0,
        "{created} people: not whole transactions"
    );
    assert!(
        created <= rows_within_limit,
        "{created} people, but only about {rows_within_limit} rows fit under the limit"
    );
    let runs = runs(&app);
    assert_eq!(runs, vec![("too_large".to_string(), created, created)]);
    // The page says the same, as a page.
    let s = app.signed_in(&admin.email).await;
    let mut body = part("csrf", None, &s.csrf());
    body.push_str(&part("facility", None, &fac.to_string()));
    body.push_str(&part("create_unmatched", None, "1"));
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    ));
    body.push_str(&strangers("BKP", 16_000));
    body.push_str(&format!("\r\n--{BOUNDARY}--\r\n"));
    let r = raw(
        &app,
        format!(
            "POST /import/roster HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nTransfer-Encoding: chunked",
            s.cookie_header()
        ),
        chunked(body.as_bytes(), 16 * 1024),
    )
    .await;
    assert_eq!(r.status, 413, "{} {}", r.head, r.body);
    assert!(r.body.contains("The file is too large"), "{}", r.body);
    assert_eq!(
        (participants_count(&app) - before) % per_tx,
        0,
        "whole transactions only"
    );
}

#[tokio::test]
async fn an_upload_with_a_wrong_csrf_token_is_refused_before_the_file_is_read() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let admin = app.a.user(Role::Admin);
    let host = app.url.trim_start_matches("http://").to_string();
    let s = app.signed_in(&admin.email).await;
    let before = participants_count(&app);
    let file = strangers("BKF", 50);
    let form = |token: &str, file_first: bool| {
        let mut body = String::new();
        if file_first {
            body.push_str(&part("file", Some("roster.csv"), &file));
        }
        body.push_str(&part("csrf", None, token));
        body.push_str(&part("facility", None, &fac.to_string()));
        body.push_str(&part("create_unmatched", None, "1"));
        if !file_first {
            body.push_str(&part("file", Some("roster.csv"), &file));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        body
    };
    let head = |len: usize| {
        format!(
            "POST /import/roster HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len}",
            s.cookie_header()
        )
    };
    // A wrong token: refused with only the first part sent (the rest never arrives, so the
    // answer shows the file was not waited for).
    let body = form("not-the-token", false);
    let first = format!("{}--{BOUNDARY}\r\n", part("csrf", None, "not-the-token"));
    let r = raw(&app, head(body.len()), vec![first.into_bytes()]).await;
    assert_eq!(r.status, 400, "{} {}", r.head, r.body);
    assert!(r.body.contains("csrf"), "{}", r.body);
    // A missing token, and the right token after the file, are refused too.
    let body = form("", false);
    let r = raw(&app, head(body.len()), vec![body.into_bytes()]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let body = form(&s.csrf(), true);
    let r = raw(&app, head(body.len()), vec![body.into_bytes()]).await;
    assert_eq!(
        r.status, 400,
        "the token must be the first part: {}",
        r.body
    );
    assert_eq!(participants_count(&app), before, "nothing imported");
    assert!(runs(&app).is_empty());
    // The right token first: imported, and the answer is the run's page.
    let body = form(&s.csrf(), false);
    let r = raw(&app, head(body.len()), vec![body.into_bytes()]).await;
    assert_eq!(r.status, 303, "{} {}", r.head, r.body);
    assert!(r.head.contains("location: /import/roster/"), "{}", r.head);
    assert_eq!(participants_count(&app), before + 50);
}

/// A roster of about 3,000 rows with near matches and bad rows planted through it. Returns the
/// file and the rows to check it must give: (line, kind, column).
fn planted_roster(n: usize) -> (String, BTreeSet<(i64, String, String)>) {
    let mut text = format!("{HEADER}\n");
    let mut expected = BTreeSet::new();
    for i in 0..n {
        let line = (i + 2) as i64;
        match i % 97 {
            // Looks like José Peña (case and accents).
            13 => {
                text.push_str(&format!("BKN{i},PENA,JOSE,1990-03-04,{},,\n", d(-2)));
                expected.insert((line, "likely_match".into(), String::new()));
            }
            // Looks like José Peña (day and month transposed).
            29 => {
                text.push_str(&format!("BKT{i},Peña,José,1990-04-03,{},,\n", d(-2)));
                expected.insert((line, "likely_match".into(), String::new()));
            }
            // A bad date of birth.
            41 => {
                text.push_str(&format!("BKB{i},Bad,Date,1990-13-45,{},,\n", d(-2)));
                expected.insert((line, "bad_row".into(), "date_of_birth".into()));
            }
            // Two bad columns in one row: both are listed.
            59 => {
                text.push_str(&format!("BKE{i},,Nameless,1991-01-01,not-a-date,,\n"));
                expected.insert((line, "bad_row".into(), "last_name".into()));
                expected.insert((line, "bad_row".into(), "booking_date".into()));
            }
            _ => text.push_str(&stranger("BKS", i)),
        }
    }
    (text, expected)
}

async fn rows_page(app: &TestApp, token: &str, run: i64, page: i64) -> reqwest::Response {
    app.get_bearer(
        &format!("/api/v1/roster-imports/{run}/rows?page={page}"),
        token,
    )
    .await
}

#[tokio::test]
async fn a_roster_gives_a_summary_and_pages_that_cover_every_row_to_check_once() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let r = app.post_bearer("/api/v1/participants", &peer.token, serde_json::json!({"first_name": "José", "last_name": "Peña", "date_of_birth": "1990-03-04"})).await;
    assert_eq!(r.status(), 201);
    let jose = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let n = 3_000;
    let (text, expected) = planted_roster(n);
    let r = app
        .api()
        .post(format!(
            "{}/api/v1/imports/roster?facility={fac}&create_unmatched=true",
            app.url
        ))
        .bearer_auth(&admin.token)
        .header("content-type", "text/csv")
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let run: Value = r.json().await.unwrap();
    let likely = expected.iter().filter(|e| e.1 == "likely_match").count() as i64;
    let bad_lines: BTreeSet<i64> = expected
        .iter()
        .filter(|e| e.1 == "bad_row")
        .map(|e| e.0)
        .collect();
    assert_eq!(run["status"], "finished", "{run}");
    assert_eq!(run["rows_read"], n as i64, "{run}");
    assert_eq!(run["likely_matches"], likely, "{run}");
    assert_eq!(run["bad_rows"], bad_lines.len() as i64, "{run}");
    assert_eq!(run["unmatched"], 0, "{run}");
    assert_eq!(
        run["created"],
        n as i64 - likely - bad_lines.len() as i64,
        "{run}"
    );
    assert_eq!(run["rows_to_check"], expected.len() as i64, "{run}");
    let id = run["id"].as_i64().unwrap();
    // Every page, in order: together they hold every row to check exactly once, in file order.
    let mut seen = Vec::new();
    let mut page = 1;
    let pages = loop {
        let r = rows_page(&app, &admin.token, id, page).await;
        assert_eq!(r.status(), 200);
        let p: Value = r.json().await.unwrap();
        let rows = p["rows"].as_array().unwrap();
        assert!(rows.len() <= 50);
        for row in rows {
            seen.push((
                row["row"].as_i64().unwrap(),
                row["kind"].as_str().unwrap().to_string(),
                row["column"].as_str().unwrap_or("").to_string(),
            ));
            if row["kind"] == "likely_match" {
                assert_eq!(row["candidates"][0]["id"], jose, "{row}");
            }
        }
        let pages = p["pages"].as_i64().unwrap();
        if page == pages {
            break pages;
        }
        assert_eq!(rows.len(), 50, "only the last page is short");
        page += 1;
    };
    assert!(pages > 1, "more than one page: {pages}");
    let as_set: BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!(as_set.len(), seen.len(), "no row to check twice");
    assert_eq!(as_set, expected, "every row to check, and nothing else");
    let lines: Vec<i64> = seen.iter().map(|s| s.0).collect();
    assert!(lines.is_sorted(), "in file order");
    // A page past the end names the field.
    let r = rows_page(&app, &admin.token, id, pages + 1).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("\"page\""));
    // The web page shows the summary and one page with links to the others.
    let s = app.signed_in(&admin.email).await;
    let r = s.get(&format!("/import/roster/{id}?page=2")).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("Page 2 of {pages}")), "{html}");
    assert!(
        html.contains(&format!("href=\"/import/roster/{id}?page=3\"")),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"n-check\">{}<", expected.len())));
    // The import and each view are in the audit log, views of the people offered too.
    let mut conn = app.state.db.conn().unwrap();
    use throughcare::platform::schema::audit_log;
    let actions: Vec<(String, Option<i64>)> = audit_log::table
        .filter(audit_log::action.like("roster_import.%"))
        .select((audit_log::action, audit_log::participant_id))
        .load(&mut conn)
        .unwrap();
    for want in ["roster_import.start", "roster_import.finish"] {
        assert_eq!(actions.iter().filter(|a| a.0 == want).count(), 1, "{want}");
    }
    assert!(
        actions
            .iter()
            .any(|a| a.0 == "roster_import.view" && a.1 == Some(jose)),
        "viewing a likely match is audited under the participant: {actions:?}"
    );
}

#[tokio::test]
async fn another_organisation_cannot_see_a_roster_import() {
    let app = spawn_app().await;
    let fac = facility(&app).await;
    let admin = app.a.user(Role::Admin);
    let r = app
        .api()
        .post(format!("{}/api/v1/imports/roster?facility={fac}", app.url))
        .bearer_auth(&admin.token)
        .header("content-type", "text/csv")
        .body(strangers("BKO", 5))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let run: Value = r.json().await.unwrap();
    assert_eq!(run["unmatched"], 5, "{run}");
    let id = run["id"].as_i64().unwrap();
    assert_eq!(rows_page(&app, &admin.token, id, 1).await.status(), 200);
    for role in [Role::Admin, Role::Supervisor, Role::Peer] {
        let other = app.b.user(role);
        assert_eq!(
            rows_page(&app, &other.token, id, 1).await.status(),
            404,
            "organisation B's {role:?}"
        );
        let s = app.signed_in(&other.email).await;
        assert_eq!(
            s.get(&format!("/import/roster/{id}")).await.status(),
            404,
            "organisation B's {role:?}, page"
        );
    }
    // Within the organisation, roles that may not import may not read the rows either.
    let peer = app.a.user(Role::Peer);
    assert_eq!(rows_page(&app, &peer.token, id, 1).await.status(), 403);
}
