//! Every page, as every role, at a desk's width and a phone's: axe-core (WCAG 2.2 AA and its
//! best practices) finds nothing, and at 375 CSS px no page scrolls sideways. The pages come
//! from the page-route table (`web::page_routes`), never from a list kept here: a route whose
//! path parameters this file cannot fill fails the test, and so does a GET route that no role
//! reached. The data set is the differential test's (tests/support/seed.rs): accented names,
//! consents (one revoked, one to a probation department), encounters, a group session, a merge,
//! a roster import, the workforce.
//!
//! axe-core comes from npm (scripts/test installs it under target/ and names its file in
//! `AXE_CORE_JS`; without it this test fails, saying how to get it).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use throughcare::platform::access::Role;
use throughcare::platform::web;
use throughcare::platform::{mfa, time};
use throughcare::workforce::codes::JobKind;

use crate::browser::{Browser, axe_source};
use crate::helpers::seed::{Seeded, seed};
use crate::helpers::{PASSWORD, TestApp, spawn_app_with};

/// The rules axe runs: WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices.
const TAGS: &[&str] = &[
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// The two widths, in CSS pixels.
const DESK: u32 = 1280;
const PHONE: u32 = 375;

/// Who walks the pages: a label, the e-mail to sign in with, and the participants whose pages
/// they are sent to (their own programme's richest record, or the one a consent shares with
/// them).
struct Walker {
    label: &'static str,
    email: String,
    participants: Vec<i64>,
    /// Only the pages about one participant: another provider's own lists and settings are the
    /// admin's pages again, over other data.
    records_only: bool,
    /// The interface language the walker chose on their account page (`None`: the browser's,
    /// English): Spanish words are longer, and must still fit a phone.
    language: Option<&'static str>,
}

/// The concrete paths of a GET page route, for a walker; `Err` names what this file cannot fill
/// (the test fails: a new route is never skipped silently).
fn paths_of(route: &str, seeds: &Seeded, participants: &[i64]) -> Result<Vec<String>, String> {
    let mut out = vec![route.to_string()];
    while let Some(open) = out[0].find('{') {
        let close = out[0][open..].find('}').map_or(open, |c| open + c);
        let param = out[0][open + 1..close].to_string();
        let mut next = Vec::new();
        for p in &out {
            let values: Vec<String> = match param.as_str() {
                "id" | "participant_id" if route.starts_with("/participants/") => {
                    participants.iter().map(i64::to_string).collect()
                }
                "consent_id" => seeds
                    .consents
                    .iter()
                    .filter(|(pid, _)| p.contains(&format!("/{pid}/")))
                    .map(|(_, c)| c.to_string())
                    .collect(),
                "id" if route.contains("/peers/") => vec![seeds.staff[2].to_string()],
                "id" if route.starts_with("/groups/") => {
                    seeds.groups.iter().map(i64::to_string).collect()
                }
                "id" if route.starts_with("/import/roster/") => {
                    seeds.roster_imports.iter().map(i64::to_string).collect()
                }
                "id" if route.contains("/standards/") => {
                    seeds.standards.iter().map(i64::to_string).collect()
                }
                "kind" if route.contains("/job-descriptions/") => {
                    vec![JobKind::ALL[0].as_str().to_string()]
                }
                "id" if route.contains("/hiring/applicants/") => {
                    seeds.applicants.iter().map(i64::to_string).collect()
                }
                "token" if route.starts_with("/welcome/") => seeds.welcome_links.clone(),
                _ => {
                    return Err(format!(
                        "{route}: no values for {{{param}}} in tests/browser/pages.rs"
                    ));
                }
            };
            for v in values {
                next.push(p.replacen(&format!("{{{param}}}"), &v, 1));
            }
        }
        out = next;
    }
    // Pages that answer only with a query, and pages whose query shows another state.
    Ok(match route {
        "/groups/sign-in" => seeds
            .facilities
            .iter()
            .take(1)
            .map(|f| format!("{route}?facility_id={f}"))
            .collect(),
        "/participants" => vec![route.to_string(), format!("{route}?q=Pena")],
        _ => out,
    })
}

/// What one visit found.
#[derive(Default)]
struct Findings {
    /// "role width path: rule (impact) target"
    violations: Vec<String>,
    /// rule → count of (page, width) pairs with it
    by_rule: BTreeMap<String, usize>,
    /// "role path" → width, for pages wider than the phone
    too_wide: BTreeMap<String, i64>,
    /// route → roles that reached it with 200
    reached: BTreeMap<String, BTreeSet<String>>,
}

impl Browser {
    /// The viewport (not the window) `width` CSS px wide.
    async fn viewport(&self, width: u32) {
        self.client.set_window_size(width, 900).await.unwrap();
        for _ in 0..3 {
            let inner = self
                .client
                .execute("return window.innerWidth", vec![])
                .await
                .unwrap()
                .as_i64()
                .unwrap();
            if inner == i64::from(width) {
                return;
            }
            let (_, _, w, h) = self.client.get_window_rect().await.unwrap();
            let w = (w as i64 + i64::from(width) - inner).max(1) as u32;
            self.client.set_window_size(w, h as u32).await.unwrap();
        }
        let inner = self
            .client
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap();
        panic!("the viewport is {inner} px wide, not {width}");
    }

    /// The status the last navigation answered.
    async fn status(&self) -> i64 {
        self.client
            .execute(
                "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0",
                vec![],
            )
            .await
            .unwrap()
            .as_i64()
            .unwrap_or(0)
    }

    /// Run axe over the page: its violations as (rule, impact, targets).
    async fn axe(&self, source: &str) -> Vec<(String, String, Vec<String>)> {
        let loaded = self
            .client
            .execute("return typeof window.axe !== 'undefined'", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false);
        if !loaded {
            self.client.execute(source, vec![]).await.unwrap();
        }
        let r = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})\
                   .then(r => done(r.violations.map(v => [v.id, v.impact || '', v.nodes.map(n => n.target.join(' '))])))\
                   .catch(e => done('axe failed: ' + e));",
                vec![json!(TAGS)],
            )
            .await
            .unwrap();
        let list = r
            .as_array()
            .unwrap_or_else(|| panic!("axe did not answer a list: {r}"));
        list.iter()
            .map(|v| {
                let targets = v[2]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap_or_default().to_string())
                    .collect();
                (
                    v[0].as_str().unwrap().to_string(),
                    v[1].as_str().unwrap().to_string(),
                    targets,
                )
            })
            .collect()
    }

    async fn scroll_width(&self) -> i64 {
        self.client
            .execute("return document.documentElement.scrollWidth", vec![])
            .await
            .unwrap()
            .as_i64()
            .unwrap()
    }

    /// Check the page the browser is on at the current width.
    async fn check_here(&self, who: &str, width: u32, what: &str, axe: &str, f: &mut Findings) {
        for (rule, impact, targets) in self.axe(axe).await {
            *f.by_rule.entry(rule.clone()).or_default() += 1;
            for t in targets.iter().take(5) {
                f.violations
                    .push(format!("{who} {width}px {what}: {rule} ({impact}) {t}"));
            }
            if targets.len() > 5 {
                f.violations.push(format!(
                    "{who} {width}px {what}: {rule} ({impact}) and {} more",
                    targets.len() - 5
                ));
            }
        }
        if width == PHONE {
            let sw = self.scroll_width().await;
            if sw > i64::from(PHONE) {
                f.too_wide.insert(format!("{who} {what}"), sw);
                // The elements that stick out furthest, to say why.
                let culprits = self
                    .client
                    .execute(
                        "const w = window.innerWidth; return [...document.querySelectorAll('body *')]\
                         .filter(e => e.getBoundingClientRect().right > w + 0.5 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))\
                         .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')",
                        vec![],
                    )
                    .await
                    .unwrap();
                f.violations
                    .push(format!("{who} {width}px {what}: {sw} px wide: {culprits}"));
            }
        }
    }
}

/// Visit every GET page a walker's role may open, at both widths.
async fn walk(
    b: &Browser,
    app: &TestApp,
    seeds: &Seeded,
    who: &Walker,
    axe: &str,
    f: &mut Findings,
) -> usize {
    let mut pages = Vec::new();
    for r in web::page_routes() {
        if !r.methods.contains(&"GET")
            || is_sign_in_step(r.path)
            || (who.records_only && !r.participant_scoped)
        {
            continue;
        }
        let paths = paths_of(r.path, seeds, &who.participants).unwrap_or_else(|e| panic!("{e}"));
        for p in paths {
            pages.push((r.path, p));
        }
    }
    let mut reached = 0;
    for width in [DESK, PHONE] {
        b.viewport(width).await;
        for (route, path) in &pages {
            b.visit_any(&format!("{}{path}", app.url)).await;
            let status = b.status().await;
            if status == 403 || status == 404 {
                continue;
            }
            assert_eq!(
                status,
                200,
                "{} {path}: {}",
                who.label,
                b.whereabouts().await
            );
            if width == DESK {
                reached += 1;
                f.reached
                    .entry((*route).to_string())
                    .or_default()
                    .insert(who.label.to_string());
            }
            b.check_here(who.label, width, path, axe, f).await;
        }
    }
    reached
}

/// The sign-in steps, which a signed-in walker does not see: visited on the way in.
fn is_sign_in_step(route: &str) -> bool {
    route == "/sign-in" || route.starts_with("/sign-in/") || route.starts_with("/welcome/")
}

impl Browser {
    /// Go to a URL (whatever it answers) and wait for the page.
    async fn visit_any(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_new_page().await;
    }

    /// Check the page at both widths.
    async fn check_both(&self, who: &str, what: &str, axe: &str, f: &mut Findings) {
        for width in [DESK, PHONE] {
            self.viewport(width).await;
            self.check_here(who, width, what, axe, f).await;
        }
        self.viewport(DESK).await;
    }
}

#[tokio::test]
async fn every_page_passes_axe_and_fits_a_phone_for_every_role() {
    let axe = axe_source();
    // The auditor's organisation asks for a second factor, so its steps are walked too.
    let app = spawn_app_with(|c| c.mfa_required_roles = "auditor".into()).await;
    let today = time::today();
    let seeds = seed(&app, today).await;
    let p1 = seeds.participants[1];
    let p4 = seeds.participants[4];
    let mut walkers: Vec<Walker> = [Role::Admin, Role::Supervisor, Role::Peer]
        .iter()
        .map(|r| Walker {
            label: r.as_str(),
            email: app.a.user(*r).email.clone(),
            participants: vec![p1],
            records_only: false,
            language: None,
        })
        .collect();
    // A partner: the probation department a criminal-justice consent names (participant P4);
    // another provider with a consent to P1.
    walkers.push(Walker {
        label: "probation team",
        email: "team@county-probation.test".into(),
        participants: vec![p4],
        records_only: false,
        language: None,
    });
    walkers.push(Walker {
        label: "partner admin",
        email: app.b.user(Role::Admin).email.clone(),
        participants: vec![p1],
        records_only: true,
        language: None,
    });
    walkers.push(Walker {
        label: "auditor",
        email: app.a.user(Role::Auditor).email.clone(),
        participants: vec![p1],
        records_only: false,
        language: None,
    });
    // The peer again, having chosen Spanish (walked last: the choice is the user's own).
    walkers.push(Walker {
        label: "peer (es)",
        email: app.a.user(Role::Peer).email.clone(),
        participants: vec![p1],
        records_only: false,
        language: Some("es"),
    });

    let mut f = Findings::default();
    let mut counts = Vec::new();
    let started = std::time::Instant::now();

    // Signed out: the sign-in page and a set-password link.
    let b = Browser::start().await;
    b.visit_any(&format!("{}/sign-in", app.url)).await;
    b.check_both("signed out", "/sign-in", &axe, &mut f).await;
    f.reached
        .entry("/sign-in".into())
        .or_default()
        .insert("signed out".into());
    for link in &seeds.welcome_links {
        b.visit_any(&format!("{}/welcome/{link}", app.url)).await;
        assert_eq!(b.status().await, 200, "{}", b.whereabouts().await);
        b.check_both("signed out", "/welcome/{token}", &axe, &mut f)
            .await;
        f.reached
            .entry("/welcome/{token}".into())
            .or_default()
            .insert("signed out".into());
    }
    b.close().await;

    for who in &walkers {
        if let Some(language) = who.language {
            choose_language(&app, &who.email, language);
        }
        let b = Browser::start().await;
        b.sign_in(&app.url, &who.email, PASSWORD).await;
        if who.label == "auditor" {
            second_factor(&b, &app, &who.email, &axe, &mut f).await;
        }
        let n = walk(&b, &app, &seeds, who, &axe, &mut f).await;
        counts.push((who.label, n));
        b.close().await;
    }
    let took = started.elapsed();

    // Every GET route was reached by someone.
    let unreached: Vec<&str> = web::page_routes()
        .iter()
        .filter(|r| r.methods.contains(&"GET") && !f.reached.contains_key(r.path))
        .map(|r| r.path)
        .collect();
    let summary = format!(
        "pages reached per role: {counts:?} in {took:?}\nviolations per rule (page × width): {:?}\n\
         wider than {PHONE} px: {:?}\nunreached GET routes: {unreached:?}",
        f.by_rule, f.too_wide
    );
    eprintln!("{summary}");
    let least = |label: &str, n: usize| {
        let got = counts.iter().find(|(l, _)| *l == label).map_or(0, |c| c.1);
        assert!(got >= n, "{label} reached only {got} pages\n{summary}");
    };
    least("admin", 25);
    least("supervisor", 20);
    least("peer", 15);
    least("probation team", 3);
    least("partner admin", 1);
    least("auditor", 4);
    least("peer (es)", 15);
    assert!(unreached.is_empty(), "{summary}");
    assert!(
        f.violations.is_empty() && f.too_wide.is_empty(),
        "{summary}\n{}",
        f.violations.join("\n")
    );
}

/// A user's interface language, as the account page stores it (`users.language`).
fn choose_language(app: &TestApp, email: &str, language: &str) {
    use diesel::prelude::*;
    let mut conn = app.state.db.conn().unwrap();
    let changed = diesel::sql_query("UPDATE users SET language = $1 WHERE email = $2")
        .bind::<diesel::sql_types::Text, _>(language)
        .bind::<diesel::sql_types::Text, _>(email)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(changed, 1, "{email}");
}

/// The auditor's second factor: the set-up page, the recovery codes, then (signed out and in
/// again) the code page; each checked at both widths.
async fn second_factor(b: &Browser, app: &TestApp, email: &str, axe: &str, f: &mut Findings) {
    let url = b.client.current_url().await.unwrap().to_string();
    assert!(url.ends_with("/sign-in/set-up-second-factor"), "{url}");
    b.check_both("auditor", "/sign-in/set-up-second-factor", axe, f)
        .await;
    let secret = b
        .client
        .execute(
            "return document.getElementById('mfa-secret').dataset.secret",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    b.fill("#code", &mfa::code_at(&secret, time::now()).unwrap())
        .await;
    b.submit("#mfa-enrol-form").await;
    b.check_both("auditor", "recovery codes", axe, f).await;
    b.click("#mfa-continue").await;
    b.wait_new_page().await;
    b.submit("form[action='/sign-out']").await;
    b.sign_in(&app.url, email, PASSWORD).await;
    b.check_both("auditor", "/sign-in/second-factor", axe, f)
        .await;
    // The next step's code (this one was used at enrolment).
    b.fill(
        "#code",
        &mfa::code_at(&secret, time::now() + chrono::Duration::seconds(30)).unwrap(),
    )
    .await;
    b.submit("#mfa-form").await;
    for route in ["/sign-in/set-up-second-factor", "/sign-in/second-factor"] {
        f.reached
            .entry(route.into())
            .or_default()
            .insert("auditor".into());
    }
}
