//! Reporting pages in a real browser on demo data: the dashboard's charts, tables and CSV
//! downloads, the workbook export and the printable quarterly report.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::{Browser, axe_source, axe_violations};
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

/// The staff pages of workforce, reports, consent and administration in Spanish, whose words are
/// longer: on a phone (375 CSS px) none scrolls sideways, no chart's text reaches past its
/// drawing at either width, and axe-core (WCAG 2.2 AA) finds nothing on them.
#[tokio::test]
async fn the_staff_pages_in_spanish_fit_a_phone_and_their_charts_keep_their_words() {
    let (url, _state, _dir) = spawn_demo().await;
    let axe = axe_source();
    let b = Browser::start().await;
    b.sign_in(&url, "admin@demo.throughcare.example", "throughcare-demo")
        .await;
    b.visit(&format!("{url}/account")).await;
    b.set("#language", "es").await;
    b.submit("#language-form").await;
    // A peer's record and a participant's, as the pages link them.
    let mut linked = Vec::new();
    for (page, pattern) in [
        ("/workforce", "^/workforce/peers/[0-9]+$"),
        ("/caseload", "^/participants/[0-9]+$"),
    ] {
        b.visit(&format!("{url}{page}")).await;
        let href = b
            .client
            .execute(
                "const re = new RegExp(arguments[0]); \
                 const a = [...document.querySelectorAll('a')].find(a => re.test(a.getAttribute('href'))); \
                 return a ? a.getAttribute('href') : null;",
                vec![json!(pattern)],
            )
            .await
            .unwrap();
        linked.push(
            href.as_str()
                .unwrap_or_else(|| panic!("no {pattern} on {page}"))
                .to_string(),
        );
    }
    let (peer, participant) = (linked[0].clone(), linked[1].clone());
    let pages = [
        "/workforce".to_string(),
        peer,
        "/workforce/readiness".into(),
        "/workforce/reports/facility-access".into(),
        "/workforce/reports/certification-barriers".into(),
        "/workforce/job-descriptions/peer_recovery_specialist".into(),
        "/workforce/standards/new".into(),
        "/dashboard".into(),
        "/reports".into(),
        "/reports/gpra".into(),
        "/reports/quarterly".into(),
        "/exports".into(),
        "/audit".into(),
        "/admin".into(),
        "/disclosures?q=a".into(),
        "/emergency".into(),
        "/consents/to-correct".into(),
        format!("{participant}/consents"),
        format!("{participant}/gpra"),
    ];
    let mut problems = Vec::new();
    for width in [1280, 375] {
        b.client.set_window_size(width, 900).await.unwrap();
        for path in &pages {
            b.visit(&format!("{url}{path}")).await;
            let lang = b
                .client
                .execute("return document.documentElement.lang", vec![])
                .await
                .unwrap();
            assert_eq!(lang, json!("es"), "{path}");
            b.open_all_details().await;
            let clipped = b.client.execute(CLIPPED_CHART_TEXT, vec![]).await.unwrap();
            if clipped != json!([]) {
                problems.push(format!("{width}px {path}: chart text clipped: {clipped}"));
            }
            let fits = b
                .client
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth]",
                    vec![],
                )
                .await
                .unwrap();
            // A phone's page never scrolls sideways (a desk's may, for a wide table, as in
            // English).
            if width == 375 && fits[0].as_i64() > fits[1].as_i64() {
                // The elements that stick out furthest, to say why.
                let culprits = b
                    .client
                    .execute(
                        "const w = window.innerWidth; return [...document.querySelectorAll('body *')]\
                         .filter(e => e.getBoundingClientRect().right > w + 0.5 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))\
                         .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')",
                        vec![],
                    )
                    .await
                    .unwrap();
                problems.push(format!("{width}px {path}: {fits} px wide: {culprits}"));
            }
            for v in axe_violations(&b, &axe).await {
                problems.push(format!("{width}px {path}: {v}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    b.close().await;
}
