//! Browser tests: the real pages in headless Chromium (Debian's chromium + chromium-driver),
//! driven over WebDriver. These fail (they never skip) when the browser is missing: the test
//! script installs it.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::spawn_demo;

pub struct Browser {
    pub client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    pub async fn start() -> Browser {
        let driver_bin =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chrome_bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&driver_bin).exists()
                && std::path::Path::new(&chrome_bin).exists(),
            "browser tests need {chrome_bin} and {driver_bin} (apt-get install chromium chromium-driver)"
        );
        let port = free_port();
        let driver = tokio::process::Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chrome_bin,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let mut last_err = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        _driver: driver,
                        _profile: profile,
                    };
                }
                Err(e) => {
                    last_err = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("could not start a browser session: {last_err:?}");
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn sign_in(&self, base: &str, email: &str, password: &str) {
        self.client.goto(&format!("{base}/sign-in")).await.unwrap();
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.submit("form[action='/sign-in']").await;
    }

    pub async fn sign_out(&self) {
        self.click("form[action='/sign-out'] button").await;
        self.client
            .wait()
            .for_element(Locator::Css("#email"))
            .await
            .unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

#[tokio::test]
async fn each_demo_sign_in_reaches_its_home_in_a_real_browser() {
    let (url, _state, _dir) = spawn_demo().await;
    let b = Browser::start().await;
    b.client.goto(&format!("{url}/sign-in")).await.unwrap();
    let demo_list = b.text_of(".demo-accounts").await;
    for role in ["admin", "supervisor", "peer", "team", "auditor"] {
        let email = format!("{role}@demo.throughcare.example");
        assert!(demo_list.contains(&email), "sign-in page lists {email}");
        b.sign_in(&url, &email, "throughcare-demo").await;
        let home = b
            .client
            .find(Locator::Css(&format!("[data-home='{role}']")))
            .await;
        assert!(
            home.is_ok(),
            "{role} reaches its home; page: {}",
            b.client.source().await.unwrap_or_default()
        );
        let heading = b.text_of("main h1").await;
        assert_eq!(heading, "Home");
        b.sign_out().await;
    }
    b.close().await;
}

#[tokio::test]
async fn a_peer_enrols_a_participant_with_the_keyboard_only_form() {
    let (url, _state, _dir) = spawn_demo().await;
    let b = Browser::start().await;
    b.sign_in(&url, "peer@demo.throughcare.example", "throughcare-demo")
        .await;
    let mine_before = b.text_of("#mine-h").await;
    assert!(mine_before.starts_with("Needs you now ("), "{mine_before}");
    b.client
        .goto(&format!("{url}/participants/new"))
        .await
        .unwrap();
    b.fill("#first_name", "Rowan").await;
    b.fill("#last_name", "Example-Person").await;
    // A bad date first: the page names the field and keeps what was typed.
    b.client
        .execute(
            "document.getElementById('date_of_birth').type='text'",
            vec![],
        )
        .await
        .unwrap();
    b.fill("#date_of_birth", "12/31/1990").await;
    b.submit("form[action='/participants']").await;
    let summary = b.text_of(".error-summary").await;
    // The field by its label, and what is wrong with what was typed.
    assert!(summary.contains("Date of birth"), "{summary}");
    assert!(summary.contains("is not a date (YYYY-MM-DD)"), "{summary}");
    assert_eq!(
        b.client
            .find(Locator::Css("#first_name"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Rowan")
    );
    b.client
        .execute(
            "document.getElementById('date_of_birth').type='text'",
            vec![],
        )
        .await
        .unwrap();
    b.fill("#date_of_birth", "1990-12-31").await;
    b.submit("form[action='/participants']").await;
    let h1 = b.text_of("main h1").await;
    assert_eq!(h1, "Rowan Example-Person");
    b.close().await;
}

impl Browser {
    /// Set a form control's value directly (date inputs are locale-dependent to type into).
    pub async fn set(&self, css: &str, value: &str) {
        self.client
            .execute("const e = document.querySelector(arguments[0]); if (!e) throw new Error('no ' + arguments[0]); e.value = arguments[1];", vec![serde_json::json!(css), serde_json::json!(value)])
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
    }

    /// Go to a URL and make sure the browser is there (a navigation still settling from the
    /// previous action can otherwise win the race).
    pub async fn visit(&self, url: &str) {
        for _ in 0..5 {
            self.client.goto(url).await.unwrap();
            self.wait_new_page().await;
            let now = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            if now == url {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("could not stay on {url}: {}", self.whereabouts().await);
    }

    /// Where the browser is, for failure messages.
    pub async fn whereabouts(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let h1 = self.client.find(Locator::Css("h1")).await;
        let h1 = match h1 {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        format!("at {url}: {h1}")
    }

    pub async fn open_all_details(&self) {
        self.client
            .execute(
                "document.querySelectorAll('details').forEach(d => d.open = true)",
                vec![],
            )
            .await
            .unwrap();
    }

    /// Submit a form and wait for the next page to load.
    pub async fn submit(&self, form_css: &str) {
        self.client
            .execute("document.body.dataset.stale = '1'", vec![])
            .await
            .unwrap();
        self.click(&format!("{form_css} button[type=submit]")).await;
        self.wait_new_page().await;
    }

    /// Wait until the page marked stale has been replaced.
    pub async fn wait_new_page(&self) {
        for _ in 0..200 {
            let stale = self
                .client
                .execute("return document.body && document.body.dataset.stale === '1' || document.readyState !== 'complete'", vec![])
                .await
                .map(|v| v.as_bool().unwrap_or(true))
                .unwrap_or(true);
            if !stale {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the next page did not load");
    }

    pub async fn body(&self) -> String {
        self.text_of("main").await
    }
}

/// A day from today on the clock of the demo's sign-ins' organisation (America/Chicago,
/// decision 0040), as its forms read dates.
fn day(offset: i64) -> String {
    let zone = throughcare::platform::time::Zone::parse("", "America/Chicago").unwrap();
    (zone.today() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn one_person_walks_the_journey_from_roster_to_follow_up() {
    let (url, _state, dir) = spawn_demo().await;
    let b = Browser::start().await;
    // 1. An admin imports a roster that names someone new, asking for unmatched people to be created.
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        format!("booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date\nWALK-1,Journeyman,Robin,1987-06-15,{},,\n", day(-12)),
    )
    .unwrap();
    b.sign_in(&url, "admin@demo.throughcare.example", "throughcare-demo")
        .await;
    b.client
        .goto(&format!("{url}/import/roster"))
        .await
        .unwrap();
    b.client
        .execute(
            "const s = document.getElementById('r-facility'); s.selectedIndex = 1;",
            vec![],
        )
        .await
        .unwrap();
    b.client
        .find(Locator::Css("#r-file"))
        .await
        .unwrap()
        .send_keys(roster.to_str().unwrap())
        .await
        .unwrap();
    b.click("#r-create").await;
    b.submit("form[action='/import/roster']").await;
    assert_eq!(b.text_of("#n-created").await, "1", "{}", b.body().await);
    // Find the new record and give it to the demo peer.
    b.client
        .goto(&format!("{url}/participants?name=Journeyman"))
        .await
        .unwrap();
    b.click("table.data a").await;
    b.client
        .wait()
        .for_element(Locator::Css("#identity"))
        .await
        .unwrap();
    let record_url = b.client.current_url().await.unwrap().to_string();
    let peer_id: String = b
        .client
        .execute("return [...document.querySelectorAll('#peer_id option')].find(o => o.textContent.includes('Pat Peer')).value", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    b.set("#peer_id", &peer_id).await;
    b.click("#assign-confirm").await;
    b.submit("form[action$='/assign']").await;
    b.sign_out().await;

    // 2. The peer enrols Robin in the jail (voluntary consent to services recorded).
    b.sign_in(&url, "peer@demo.throughcare.example", "throughcare-demo")
        .await;
    b.visit(&record_url).await;
    b.open_all_details().await;
    assert!(
        b.client.find(Locator::Css("#ep-setting")).await.is_ok(),
        "{}",
        b.whereabouts().await
    );
    b.set("#ep-setting", "short_term").await;
    b.client
        .execute(
            "document.getElementById('ep-facility').selectedIndex = 1",
            vec![],
        )
        .await
        .unwrap();
    b.set("#ep-start", &day(-12)).await;
    b.set("#ep-consent", &day(-12)).await;
    b.submit("form[action$='/episodes']").await;
    assert!(b.text_of("#episodes").await.contains("Short-term"));

    // 3. BARC-10: ten answers, the score is shown.
    b.open_all_details().await;
    for i in 0..10 {
        let v = if i < 7 { 5 } else { 4 };
        b.click(&format!("input[name='a{i}'][value='{v}']")).await;
    }
    b.submit("form[action$='/barc10']").await;
    assert_eq!(b.text_of("#barc-latest").await, "47");
    assert!(
        b.client.find(Locator::Css("#barc10 svg")).await.is_ok(),
        "trend chart drawn"
    );

    // 4. A plan with a goal in Robin's words.
    b.open_all_details().await;
    b.set("#g-domain", "housing").await;
    b.fill("#g-statement", "A room of my own near my daughter")
        .await;
    b.fill("#g-step1", "Apply to Second Chance Housing").await;
    b.submit("form[action$='/goals']").await;
    assert!(
        b.text_of("#plan")
            .await
            .contains("A room of my own near my daughter")
    );

    // 5. Release date set: the checklist appears.
    b.set("#ev-kind", "expected_release").await;
    b.set("#ev-on", &day(30)).await;
    b.set("#ev-cert", "estimated").await;
    b.submit("form[action$='/custody-events']").await;
    let rows = b
        .client
        .find_all(Locator::Css("#checklist tr[data-item]"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 8, "the readiness checklist appears");
    let due_before = b.text_of("tr[data-item='peer_meeting'] td[data-due]").await;
    assert_eq!(due_before, day(30));
    // Done: naloxone kit and training.
    b.submit("tr[data-item='naloxone'] form").await;

    // 6. The date moves: open items are re-planned, the done one stays done.
    b.set("#ev-kind", "expected_release").await;
    b.set("#ev-on", &day(10)).await;
    b.set("#ev-cert", "confirmed").await;
    b.submit("form[action$='/custody-events']").await;
    assert_eq!(
        b.text_of("tr[data-item='peer_meeting'] td[data-due]").await,
        day(10)
    );
    assert!(b.text_of("tr[data-item='naloxone']").await.contains("done"));

    // 7. Released (earlier than planned): the countdown is on the caseload.
    b.set("#ev-kind", "release").await;
    b.set("#ev-on", &day(0)).await;
    b.set("#ev-time", "00:00").await;
    b.submit("form[action$='/custody-events']").await;
    assert!(b.text_of("#window-h").await.contains("day 0 of 14"));
    b.client.goto(&format!("{url}/caseload")).await.unwrap();
    let pid = record_url.rsplit('/').next().unwrap().to_string();
    let row = b.text_of(&format!("tr[data-participant='{pid}']")).await;
    assert!(row.contains("day 0 of 14"), "{row}");

    // 8. A completed contact.
    b.visit(&record_url).await;
    b.set("#en-mode", "in_community").await;
    b.set("#en-outcome", "completed").await;
    b.click("input[name='life_domains'][value='transportation']")
        .await;
    // SAMHSA's competency areas are folded away, a tag for supervision.
    b.open_all_details().await;
    b.click("input[name='topics'][value='engaging']").await;
    b.fill("#en-note", "Met at the gate with a bus pass.").await;
    b.submit("form[action$='/encounters']").await;
    assert_eq!(
        b.client
            .find(Locator::Css("[data-contacts-done]"))
            .await
            .unwrap()
            .attr("data-contacts-done")
            .await
            .unwrap()
            .as_deref(),
        Some("1")
    );
    assert_eq!(
        b.client
            .find(Locator::Css("[data-first-contact]"))
            .await
            .unwrap()
            .attr("data-first-contact")
            .await
            .unwrap()
            .as_deref(),
        Some("met")
    );

    // 9. A referral moved to attended.
    b.open_all_details().await;
    b.set("#r-type", "moud").await;
    b.fill("#r-name", "Riverside Treatment Center").await;
    b.submit("form[action$='/referrals']").await;
    b.client
        .execute("const s = document.querySelector('#referrals select[name=status]'); s.value = 'attended';", vec![])
        .await
        .unwrap();
    b.submit("#referrals form[action$='/status']").await;
    assert_eq!(
        b.client
            .find(Locator::Css("#referrals [data-status]"))
            .await
            .unwrap()
            .attr("data-status")
            .await
            .unwrap()
            .as_deref(),
        Some("attended")
    );

    // 10. The 30-day follow-up recorded.
    b.open_all_details().await;
    b.set("#f-point", "day30").await;
    b.set("#f-on", &day(0)).await;
    b.set("#f-rearrested", "no").await;
    b.set("#f-housing", "temporary").await;
    b.submit("form[action$='/followups']").await;
    let fu = b.text_of("#followups tr[data-point='day30']").await;
    assert!(fu.contains(&day(0)), "{fu}");
    b.close().await;
}

#[tokio::test]
async fn a_probation_officer_sees_only_consented_categories_and_the_view_is_accounted() {
    let (url, _state, _dir) = spawn_demo().await;
    let b = Browser::start().await;
    b.sign_in(&url, "team@demo.throughcare.example", "throughcare-demo")
        .await;
    let shared = b.text_of("#shared").await;
    assert!(shared.contains("Participation and attendance"), "{shared}");
    b.click("#shared tbody a").await;
    b.client
        .wait()
        .for_element(Locator::Css("#redisclosure"))
        .await
        .unwrap();
    let record_url = b.client.current_url().await.unwrap().to_string();
    let notice = b.text_of("#redisclosure").await;
    assert!(
        notice.contains("42 CFR part 2 prohibits unauthorized disclosure of these records."),
        "{notice}"
    );
    assert!(
        notice.contains("Consent"),
        "the consent it rests on is summarised: {notice}"
    );
    // The demo's criminal-justice consents share participation and the release plan only.
    for present in ["#episodes", "#release", "#checklist", "#encounters"] {
        assert!(
            b.client.find(Locator::Css(present)).await.is_ok(),
            "{present} shown"
        );
    }
    for absent in ["#barc10", "#stage", "#plan", "#referrals", "#followups"] {
        assert!(
            b.client.find(Locator::Css(absent)).await.is_err(),
            "{absent} must be absent"
        );
    }
    assert!(
        b.client
            .find(Locator::Css("main form[method=post]"))
            .await
            .is_err(),
        "no forms for a partner"
    );
    b.sign_out().await;
    // The participant's accounting of disclosures lists that view.
    b.sign_in(&url, "auditor@demo.throughcare.example", "throughcare-demo")
        .await;
    let pid = record_url.rsplit('/').next().unwrap();
    b.visit(&format!("{url}/participants/{pid}/disclosures"))
        .await;
    let first_row = b.text_of("#disclosures tbody tr").await;
    assert!(
        first_row.contains("team@demo.throughcare.example") && first_row.contains("view"),
        "{first_row}"
    );
    assert!(
        first_row.contains(
            &throughcare::platform::time::Zone::parse("", "America/Chicago")
                .unwrap()
                .today()
                .format("%-d %b %Y")
                .to_string()
        ),
        "{first_row}"
    );
    b.visit(&format!("{url}/participants/{pid}/disclosures?lang=es"))
        .await;
    assert!(
        b.text_of("main h1")
            .await
            .contains("Registro de divulgaciones")
    );
    b.close().await;
}

/// axe-core's WCAG 2.2 A/AA violations on the page the browser is on, as "rule: targets".
pub async fn axe_violations(b: &Browser, source: &str) -> Vec<String> {
    b.client.execute(source, vec![]).await.unwrap();
    let r = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})\
               .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    r.as_array()
        .unwrap_or_else(|| panic!("axe did not answer a list: {r}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// axe-core's source, to inject into a page: from `AXE_CORE_JS`, else where `scripts/test`
/// installs it.
pub fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/target/axe-core/node_modules/axe-core/axe.min.js"
            )
            .to_string()
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {path} ({e}): `npm install --prefix target/axe-core axe-core@4` \
             (scripts/test does), or name axe.min.js in AXE_CORE_JS"
        )
    })
}
