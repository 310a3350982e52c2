//! Reporting pages in a real browser on demo data: the dashboard's charts, tables and CSV
//! downloads, the workbook export and the printable quarterly report.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::Browser;
use crate::helpers::spawn_demo;

/// The texts of the page's charts that reach past their drawing's edges (by the browser's own
/// measure of each text's box).
const CLIPPED_CHART_TEXT: &str = "const bad = []; \
    for (const svg of document.querySelectorAll('figure.chart svg')) { \
      const vb = svg.viewBox.baseVal; \
      for (const t of svg.querySelectorAll('text')) { \
        const r = t.getBBox(); \
        if (r.x < vb.x - 0.5 || r.y < vb.y - 0.5 || r.x + r.width > vb.x + vb.width + 0.5 \
            || r.y + r.height > vb.y + vb.height + 0.5) { \
          bad.push(svg.querySelector('title').textContent + ': ' + t.textContent); } \
      } \
    } \
    return bad;";

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
    // Every word written in a chart lies inside its drawing (none clipped at an edge).
    let clipped = b.client.execute(CLIPPED_CHART_TEXT, vec![]).await.unwrap();
    assert_eq!(clipped, json!([]), "chart text outside its chart");
    // At 1280 px the dashboard's blocks sit side by side: none overlaps another, and no table
    // reaches past its own block.
    let overlaps = b
        .client
        .execute(
            "const blocks = [...document.querySelectorAll('.chart-block')]; const bad = []; \
             blocks.forEach((a, i) => { const r = a.getBoundingClientRect(); \
               for (const t of a.querySelectorAll('table')) { \
                 if (t.getBoundingClientRect().right > r.right + 0.5) bad.push(a.id + ' table'); } \
               blocks.slice(i + 1).forEach(b => { const q = b.getBoundingClientRect(); \
                 if (r.left < q.right - 0.5 && q.left < r.right - 0.5 \
                     && r.top < q.bottom - 0.5 && q.top < r.bottom - 0.5) bad.push(a.id + ' / ' + b.id); }); }); \
             return [window.innerWidth, bad];",
            vec![],
        )
        .await
        .unwrap();
    assert!(overlaps[0].as_u64().unwrap() >= 1200, "{overlaps}");
    assert_eq!(overlaps[1], json!([]), "overlapping dashboard blocks");
    // The headline cards are cards, not a bulleted list.
    let bullets = b
        .client
        .execute(
            "const li = [...document.querySelectorAll('ul.cards > li')]; \
             return [li.length, li.filter(e => getComputedStyle(e).listStyleType !== 'none').length];",
            vec![],
        )
        .await
        .unwrap();
    assert!(bullets[0].as_u64().unwrap() > 0, "{bullets}");
    assert_eq!(bullets[1], json!(0), "cards drawn with list bullets");
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
    // Printed: the summary first, then the charts two to a page.
    let layout = b
        .client
        .execute(
            "const c = [...document.querySelectorAll('.quarterly-chart')]; \
             const h = document.getElementById('headline'); \
             return [c.length, c.filter(e => e.classList.contains('page-break')).length, \
               Boolean(h.compareDocumentPosition(c[0]) & Node.DOCUMENT_POSITION_FOLLOWING)];",
            vec![],
        )
        .await
        .unwrap();
    let charts = layout[0].as_u64().unwrap();
    assert!(charts >= 9, "{layout}");
    assert_eq!(layout[1].as_u64().unwrap(), charts.div_ceil(2), "{layout}");
    assert_eq!(layout[2], json!(true), "the summary comes first: {layout}");
    let clipped = b.client.execute(CLIPPED_CHART_TEXT, vec![]).await.unwrap();
    assert_eq!(clipped, json!([]), "chart text outside its chart");
    b.client.goto(&format!("{url}/reports/gpra")).await.unwrap();
    let rate = b.text_of("#gpra-rate").await;
    assert!(rate.ends_with('%'), "GPRA rate shown: {rate}");
    b.close().await;
}
