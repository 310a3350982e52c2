//! Spreadsheet formulas in exports are neutralised (OWASP "CSV Injection"): a participant named
//! `=HYPERLINK("x")` and a facility named `+cmd` come out of the CSV exports prefixed with `'`,
//! so a spreadsheet opens them as text; plain numbers stay numbers.

use serde_json::{Value, json};
use throughcare::platform::access::Role;

use crate::helpers::spawn_app;

/// Every record of `csv` (header first), parsed as a spreadsheet would split it.
fn records(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn formula_names_come_out_of_csv_exports_as_text() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let r = app
        .post_bearer(
            "/api/v1/participants",
            &admin.token,
            json!({"first_name": "=HYPERLINK(\"x\")", "last_name": "@SUM(A1)", "date_of_birth": "1990-05-05"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let fac: Value = app
        .post_bearer(
            "/api/v1/facilities",
            &admin.token,
            json!({"name": "+cmd", "kind": "prison", "setting": "long"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fac["name"], "+cmd", "{fac}");
    let today = chrono::Utc::now().date_naive().to_string();
    let r = app
        .post_bearer(
            &format!("/api/v1/peers/{}/clearances", peer.id),
            &admin.token,
            json!({"facility_id": fac["id"], "requested_on": today,
                   "status": {"status": "denied", "on": today, "denial_reason": "paperwork"}}),
        )
        .await;
    assert_eq!(r.status(), 201);

    // The participants export: the names open as text.
    let csv = app
        .get_bearer("/api/v1/exports/participants.csv", &admin.token)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(r#""'=HYPERLINK(""x"")""#),
        "quoted and prefixed: {csv}"
    );
    let rows = records(&csv);
    let (first, last) = (
        rows[0].iter().position(|h| h == "first_name").unwrap(),
        rows[0].iter().position(|h| h == "last_name").unwrap(),
    );
    let row = rows
        .iter()
        .find(|r| r[first].contains("HYPERLINK"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert_eq!(row[first], "'=HYPERLINK(\"x\")");
    assert_eq!(row[last], "'@SUM(A1)");
    assert!(
        rows.iter()
            .flatten()
            .all(|c| !c.starts_with(['=', '+', '@', '\t', '\r'])),
        "{csv}"
    );

    // The facility access report: the facility's name opens as text.
    let csv = app
        .get_bearer("/api/v1/reports/facility-access?format=csv", &admin.token)
        .await
        .text()
        .await
        .unwrap();
    let rows = records(&csv);
    assert_eq!(rows[0][0], "facility");
    assert!(rows.iter().any(|r| r[0] == "'+cmd"), "{csv}");
    assert!(!rows.iter().any(|r| r[0] == "+cmd"), "{csv}");
}
