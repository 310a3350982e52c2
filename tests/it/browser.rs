//! Browser tests: the real pages in headless Chromium (Debian's chromium + chromium-driver),
//! driven over WebDriver. These fail (they never skip) when the browser is missing: the test
//! script installs it.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use throughcare::platform::db::{Db, write_tx};
use throughcare::platform::web::{self, AppState};

use crate::helpers::fresh_config;

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
        self.click("form[action='/sign-in'] button[type=submit]")
            .await;
        self.client
            .wait()
            .for_element(Locator::Css("main"))
            .await
            .unwrap();
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

/// Serve a demo-mode app over a freshly generated small demo database.
pub async fn spawn_demo() -> (String, AppState, tempfile::TempDir) {
    let (mut config, dir) = fresh_config();
    config.demo = true;
    let db = Db::open(&config).unwrap();
    db.migrate().unwrap();
    let db2 = db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db2.conn().unwrap();
        let plan = throughcare::demo::Plan::for_scale(throughcare::cli::Scale::Small, None);
        throughcare::demo::generate(&mut conn, &plan).unwrap();
        write_tx(&mut conn, |_| Ok(())).unwrap();
    })
    .await
    .unwrap();
    let state = AppState {
        db,
        config: Arc::new(config),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let s = state.clone();
    tokio::spawn(async move { web::serve(s, listener).await });
    (url, state, dir)
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
    assert!(
        mine_before.starts_with("My participants ("),
        "{mine_before}"
    );
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
    b.click("form[action='/participants'] button[type=submit]")
        .await;
    let summary = b.text_of(".error-summary").await;
    assert!(summary.contains("date_of_birth"), "{summary}");
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
    b.click("form[action='/participants'] button[type=submit]")
        .await;
    let h1 = b.text_of("main h1").await;
    assert_eq!(h1, "Rowan Example-Person");
    b.close().await;
}
