//! The billing page in a real browser on demo data: an administrator opens it from the menu,
//! sees last month's claim lines of the state Medicaid plan (billed, and rejected with the reason
//! in words), downloads them as CSV and as the 837P through the form's buttons, and the page
//! passes axe-core (WCAG 2.2 AA) at a desk's width and a phone's without scrolling sideways.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::{Browser, axe_source, axe_violations};
use crate::helpers::spawn_demo;

/// What the claims form's download button `button` fetches: [status, content type, body].
const DOWNLOAD: &str = "const done = arguments[arguments.length - 1]; \
    const f = document.getElementById('claims-form'); \
    const btn = document.getElementById(arguments[0]); \
    const q = new URLSearchParams(new FormData(f)); q.set(btn.name, btn.value); \
    fetch(btn.formAction + '?' + q).then(r => r.text().then(t => \
      done([r.status, r.headers.get('content-type'), t]))).catch(e => done([0, String(e), '']));";

#[tokio::test]
async fn an_administrator_sees_claim_lines_and_downloads_the_csv_and_the_837p() {
    let (url, _state, _dir) = spawn_demo().await;
    let axe = axe_source();
    let b = Browser::start().await;
    b.sign_in(&url, "admin@demo.throughcare.example", "throughcare-demo")
        .await;
    b.click("nav a[href='/billing']").await;
    b.client
        .wait()
        .for_element(Locator::Css("#claims-form"))
        .await
        .unwrap();
    // The state plan, last month (the form's defaults), viewed on the page.
    let state_plan = b
        .client
        .execute(
            "const o = [...document.querySelectorAll('#claims-payer option')]\
               .find(o => o.textContent.startsWith('State Medicaid')); \
             document.getElementById('claims-payer').value = o.value; return o.value;",
            vec![],
        )
        .await
        .unwrap();
    assert!(state_plan.as_str().is_some(), "{state_plan}");
    b.click("#view-lines").await;
    b.client
        .wait()
        .for_element(Locator::Css("#billed-lines"))
        .await
        .unwrap();
    let billed = b
        .client
        .find_all(Locator::Css("#billed-lines tbody tr[data-encounter]"))
        .await
        .unwrap();
    assert!(!billed.is_empty(), "a claim line is shown");
    let rejected = b.text_of("#rejected-lines").await;
    assert!(
        rejected.contains("Credential not valid on the date of service"),
        "reasons in words: {rejected}"
    );
    assert!(rejected.contains("Over the daily unit cap"), "{rejected}");

    // The CSV, as the form's button asks for it.
    let got = b
        .client
        .execute_async(DOWNLOAD, vec![json!("download-csv")])
        .await
        .unwrap();
    assert_eq!(got[0], 200, "{}", got[1]);
    assert!(got[1].as_str().unwrap().starts_with("text/csv"), "{got}");
    let csv = got[2].as_str().unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next().unwrap(),
        "status,date_of_service,encounter_id,participant_id,member_id,peer_id,procedure_code,modifiers,place_of_service,minutes,units,charge,reason"
    );
    let line = rows.next().unwrap();
    assert!(line.starts_with("billed,"), "{line}");
    assert!(line.contains(",H0038,"), "{line}");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("rejected,") && l.ends_with(",credential_not_valid"))
    );

    // The 837P.
    let got = b
        .client
        .execute_async(DOWNLOAD, vec![json!("download-x12")])
        .await
        .unwrap();
    assert_eq!(got[0], 200, "{}", got[2]);
    assert_eq!(got[1], "application/edi-x12");
    let x12 = got[2].as_str().unwrap();
    assert!(x12.starts_with("ISA*00*"), "{x12}");
    assert!(x12.contains("ST*837*0001*005010X222A1~"), "{x12}");

    // The page passes axe, and fits a phone.
    let mut problems = Vec::new();
    for width in [1280u32, 375] {
        b.client.set_window_size(width, 900).await.unwrap();
        for v in axe_violations(&b, &axe).await {
            problems.push(format!("{width}px: {v}"));
        }
        if width == 375 {
            let wide = b
                .client
                .execute(
                    "return [window.innerWidth, document.documentElement.scrollWidth]",
                    vec![],
                )
                .await
                .unwrap();
            assert!(
                wide[1].as_i64().unwrap() <= wide[0].as_i64().unwrap(),
                "the page scrolls sideways on a phone: {wide}"
            );
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    b.close().await;
}
