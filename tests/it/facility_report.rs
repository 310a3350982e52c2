//! The facility access page at a state's scale: a page of facilities at a time, worst first,
//! every facility on exactly one page, the months below only those of the facilities shown, and
//! a bad page number refused naming the field (the CSV keeps every facility: tests/it/workforce.rs).

use serde_json::json;
use throughcare::platform::access::Role;
use throughcare::workforce::pages::FACILITIES_PER_PAGE;

use crate::helpers::spawn_app;

/// The facility ids of the facility table's rows (the month rows carry a month as well).
fn facilities_on(page: &str) -> Vec<i64> {
    page.split("<tr data-facility=\"")
        .skip(1)
        .filter_map(|r| r.split_once("\"><th"))
        .filter_map(|(id, _)| id.parse().ok())
        .collect()
}

/// The facility ids of the months table's rows.
fn month_facilities_on(page: &str) -> Vec<i64> {
    page.split("<tr data-facility=\"")
        .skip(1)
        .filter_map(|r| r.split_once("\" data-month="))
        .map(|(id, _)| id.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn the_facility_access_page_shows_every_facility_once_a_page_at_a_time() {
    let app = spawn_app().await;
    let admin = app.a.user(Role::Admin);
    let peer = app.a.user(Role::Peer);
    let today = chrono::Utc::now().date_naive().to_string();
    let count = FACILITIES_PER_PAGE + 3;
    let mut made = Vec::new();
    for i in 0..count {
        let fac = app.jail(&admin.token, &format!("Facility {i:02}")).await;
        // Every third facility denies, so the worst-first order is not the order of making.
        let status = if i % 3 == 0 {
            json!({"status": "denied", "on": today, "denial_reason": "paperwork"})
        } else {
            json!({"status": "granted", "on": today})
        };
        let r = app
            .post_bearer(
                &format!("/api/v1/peers/{}/clearances", peer.id),
                &admin.token,
                json!({"facility_id": fac, "requested_on": today, "status": status}),
            )
            .await;
        assert_eq!(r.status(), 201);
        // A visit requested at each, so each has a month row.
        let r = app
            .post_bearer(
                &format!("/api/v1/peers/{}/visits", peer.id),
                &admin.token,
                json!({"facility_id": fac, "scheduled_on": today, "outcome": "completed"}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        made.push(fac);
    }
    // The CSV has every facility; the pages, between them, the same ones, each once.
    let csv = app
        .get_bearer("/api/v1/reports/facility-access?format=csv", &admin.token)
        .await
        .text()
        .await
        .unwrap();
    let total = csv.lines().count() - 1;
    assert!(total >= count, "{csv}");
    let s = app.signed_in(&admin.email).await;
    let first = s
        .get("/workforce/reports/facility-access")
        .await
        .text()
        .await
        .unwrap();
    let pages = total.div_ceil(FACILITIES_PER_PAGE);
    assert!(
        first.contains(&format!(
            "Facilities 1 to {FACILITIES_PER_PAGE} of {total}, worst first"
        )),
        "{first}"
    );
    assert!(first.contains(&format!("Page 1 of {pages}")), "{first}");
    assert!(first.contains("rel=\"next\""), "{first}");
    assert!(!first.contains("rel=\"prev\""), "{first}");
    let mut seen = Vec::new();
    for page in 1..=pages {
        let html = s
            .get(&format!("/workforce/reports/facility-access?page={page}"))
            .await
            .text()
            .await
            .unwrap();
        let shown = facilities_on(&html);
        assert!(
            !shown.is_empty() && shown.len() <= FACILITIES_PER_PAGE,
            "{html}"
        );
        for m in month_facilities_on(&html) {
            assert!(
                shown.contains(&m),
                "the month of facility {m} is not on its page: {html}"
            );
        }
        seen.extend(shown);
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), total, "every facility exactly once: {seen:?}");
    assert!(made.iter().all(|id| sorted.contains(id)), "{seen:?}");
    // Worst first: the denying facilities lead the first page.
    let denying: Vec<i64> = made.iter().step_by(3).copied().collect();
    assert!(
        seen[..denying.len()].iter().all(|id| denying.contains(id)),
        "{seen:?} should start with {denying:?}"
    );
    // Past the end: the last page.
    let html = s
        .get("/workforce/reports/facility-access?page=99")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("Page {pages} of {pages}")), "{html}");
    // A bad page number is refused, naming the field.
    for bad in ["0", "x", "-1"] {
        let r = s
            .get(&format!("/workforce/reports/facility-access?page={bad}"))
            .await;
        assert_eq!(r.status(), 422, "page={bad}");
        let body = r.text().await.unwrap();
        assert!(body.contains("page"), "page={bad}: {body}");
    }
}
