//! Reporting pages in a real browser on demo data: the dashboard's charts, tables and CSV
//! downloads, the workbook export and the printable quarterly report.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::Browser;
use crate::helpers::spawn_demo;

#[tokio::test]
async fn the_dashboard_downloads_and_quarterly_report_work_in_a_real_browser() {
    let (url, _state, _dir) = spawn_demo().await;
    let b = Browser::start().await;
    b.sign_in(
        &url,
        "supervisor@demo.throughcare.example",
        "throughcare-demo",
    )
    .await;
    b.click("nav a[href='/dashboard']").await;
    b.client
        .wait()
        .for_element(Locator::Css("#chart-releases"))
        .await
        .unwrap();
    let svgs = b
        .client
        .find_all(Locator::Css("figure.chart svg"))
        .await
        .unwrap();
    assert!(svgs.len() >= 9, "{} charts", svgs.len());
    let rows = b
        .client
        .find_all(Locator::Css("#table-releases tbody tr th[scope=row]"))
        .await
        .unwrap();
    assert!(!rows.is_empty(), "releases table has rows");
    let source = b.client.source().await.unwrap();
    assert!(source.len() < 60_000, "dashboard is {} bytes", source.len());
    let fetch = "const done = arguments[arguments.length - 1]; \
        fetch(arguments[0]).then(r => r.arrayBuffer().then(b => \
        done([r.status, r.headers.get('content-type'), b.byteLength]))).catch(e => done([0, String(e), 0]));";
    let href = b
        .client
        .find(Locator::Css("#chart-releases a.csv"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = b
        .client
        .execute_async(fetch, vec![json!(href)])
        .await
        .unwrap();
    assert_eq!(got[0], 200, "{got}");
    assert!(got[1].as_str().unwrap().starts_with("text/csv"), "{got}");
    assert!(got[2].as_u64().unwrap() > 40, "{got}");
    b.client.goto(&format!("{url}/exports")).await.unwrap();
    let href = b
        .client
        .find(Locator::Css("#workbook"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = b
        .client
        .execute_async(fetch, vec![json!(href)])
        .await
        .unwrap();
    assert_eq!(got[0], 200, "{got}");
    assert_eq!(
        got[1],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(got[2].as_u64().unwrap() > 5_000, "{got}");
    b.client.goto(&format!("{url}/reports")).await.unwrap();
    b.click("a[href^='/reports/quarterly']").await;
    b.client
        .wait()
        .for_element(Locator::Css("#headline"))
        .await
        .unwrap();
    assert!(b.text_of("main h1").await.starts_with("Quarterly report"));
    let svgs = b
        .client
        .find_all(Locator::Css("figure.chart svg"))
        .await
        .unwrap();
    assert!(svgs.len() >= 9);
    b.client.goto(&format!("{url}/reports/gpra")).await.unwrap();
    let rate = b.text_of("#gpra-rate").await;
    assert!(rate.ends_with('%'), "GPRA rate shown: {rate}");
    b.close().await;
}
