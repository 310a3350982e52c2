//! `spawn_app()`: a real server on port 0 over a fresh database, seeded with two provider
//! organisations (A and B) and one partner, each role's user, API tokens and a participant each.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use throughcare::organisations::store::{self as orgs, NewStaff};
use throughcare::participants::store::{self as participants, NewParticipant};
use throughcare::platform::access::{OrgKind, Role};
use throughcare::platform::audit::Who;
use throughcare::platform::auth;
use throughcare::platform::config::Config;
use throughcare::platform::db::{Db, write_tx};
use throughcare::platform::web::{self, AppState};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct SeedUser {
    pub id: i64,
    pub email: String,
    pub token: String,
}

pub struct SeedOrg {
    pub users: HashMap<Role, SeedUser>,
    pub participant_id: i64,
}

impl SeedOrg {
    pub fn user(&self, role: Role) -> &SeedUser {
        &self.users[&role]
    }
}

pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub config: Config,
    pub a: SeedOrg,
    pub b: SeedOrg,
    pub _dir: tempfile::TempDir,
}

/// A fresh, empty database configuration (SQLite in a temp dir, or a new PostgreSQL database).
pub fn fresh_config() -> (Config, tempfile::TempDir) {
    fresh_config_on(std::env::var("TEST_DATABASE_URL").ok().as_deref())
}

/// A fresh, empty database configuration: SQLite in a temp dir when `admin_url` is `None` (or
/// empty), else a new database on the PostgreSQL server it names.
pub fn fresh_config_on(admin_url: Option<&str>) -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".into(),
        // The second factor has its own tests (tests/it/mfa.rs), which turn it on; the rest of
        // the suite signs in with passwords.
        mfa_required_roles: String::new(),
        ..Config::default()
    };
    if let Some(admin_url) = admin_url
        && !admin_url.is_empty()
    {
        let name = format!("tc_test_{:016x}", rand::random::<u64>());
        let mut admin =
            diesel::PgConnection::establish(admin_url).expect("connect to TEST_DATABASE_URL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .expect("URL with a database name");
        config.database_url = Some(format!("{base}/{name}"));
    }
    (config, dir)
}

pub fn seed_org(
    db: &Db,
    slug: &str,
    name: &str,
    kind: OrgKind,
    roles: &[Role],
    hash: &str,
) -> SeedOrg {
    let mut conn = db.conn().unwrap();
    let who = Who::command_line();
    write_tx(&mut conn, |tx| {
        let org = orgs::add_organisation(tx, &who, slug, name, kind)?;
        let mut users = HashMap::new();
        for role in roles {
            let email = format!("{}@{slug}.test", role.as_str());
            let s = orgs::add_staff_with_hash(
                tx,
                &who,
                org.id,
                &NewStaff {
                    email: email.clone(),
                    name: format!("{} of {slug}", role.as_str()),
                    role: *role,
                    supervisor_id: None,
                },
                hash,
            )?;
            let (_, token) = auth::create_token(tx, &who, s.id, None)?;
            users.insert(
                *role,
                SeedUser {
                    id: s.id,
                    email,
                    token,
                },
            );
        }
        let peer = users.get(&Role::Peer).map(|u| u.id);
        let p = participants::create(
            tx,
            org.id,
            &NewParticipant {
                first_name: "Jordan".into(),
                last_name: format!("Test-{slug}"),
                preferred_name: None,
                date_of_birth: chrono::NaiveDate::from_ymd_opt(1988, 4, 12).unwrap(),
                assigned_peer_id: peer,
                pronouns: None,
                language: None,
                phone: None,
                email: None,
                identifiers: vec![],
            },
        )?;
        Ok(SeedOrg {
            users,
            participant_id: p.id,
        })
    })
    .unwrap()
}

pub fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| auth::hash_password(PASSWORD).unwrap())
        .clone()
}

/// Start the real server on port 0 over a fresh, seeded database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (mut config, dir) = fresh_config();
    adjust(&mut config);
    spawn_app_over(config, dir).await
}

/// Start the real server over a fresh database on SQLite (`None`) or on the PostgreSQL server
/// `admin_url` names, whatever `TEST_DATABASE_URL` says (the differential test runs one of each).
pub async fn spawn_app_on(admin_url: Option<&str>) -> TestApp {
    let (config, dir) = fresh_config_on(admin_url);
    spawn_app_over(config, dir).await
}

async fn spawn_app_over(config: Config, dir: tempfile::TempDir) -> TestApp {
    let db = Db::open(&config).expect("open db");
    db.migrate().expect("migrate");
    let hash = password_hash();
    let (db2, h2) = (db.clone(), hash.clone());
    let (a, b) = tokio::task::spawn_blocking(move || {
        let all = Role::ALL;
        let a = seed_org(&db2, "org-a", "Organisation A", OrgKind::Provider, all, &h2);
        let b = seed_org(&db2, "org-b", "Organisation B", OrgKind::Provider, all, &h2);
        (a, b)
    })
    .await
    .unwrap();
    let state = AppState {
        db,
        config: Arc::new(config.clone()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let s = state.clone();
    tokio::spawn(async move { web::serve(s, listener).await });
    TestApp {
        url,
        state,
        config,
        a,
        b,
        _dir: dir,
    }
}

impl TestApp {
    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub async fn get_bearer(&self, path: &str, token: &str) -> reqwest::Response {
        self.api()
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_bearer(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        self.api()
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Add peers to the organisation of staff member `colleague`: `{label} 000`, `{label} 001`,
    /// … for each `n` of `numbers`, e-mail `{label, lower case, without spaces}{n}@peers.test`, supervised by
    /// `supervisor(n)`, with an unusable password. Returns their ids in order.
    pub async fn add_peers(
        &self,
        colleague: i64,
        label: &str,
        numbers: std::ops::Range<usize>,
        supervisor: impl Fn(usize) -> Option<i64> + Send + 'static,
    ) -> Vec<i64> {
        use throughcare::platform::schema::users;
        let db = self.state.db.clone();
        let label = label.to_string();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn().unwrap();
            write_tx(&mut conn, |tx| {
                let org: i64 = users::table
                    .find(colleague)
                    .select(users::org_id)
                    .first(tx.conn())?;
                let mut made = vec![];
                for n in numbers {
                    let s = orgs::add_staff_with_hash(
                        tx,
                        &Who::command_line(),
                        org,
                        &NewStaff {
                            email: format!(
                                "{}{n}@peers.test",
                                label.replace(' ', "").to_lowercase()
                            ),
                            name: format!("{label} {n:03}"),
                            role: Role::Peer,
                            supervisor_id: supervisor(n),
                        },
                        "unused-hash",
                    )?;
                    made.push(s.id);
                }
                Ok(made)
            })
            .unwrap()
        })
        .await
        .unwrap()
    }

    /// A browser-like client with its own cookie jar, signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Session {
        let s = Session::new(&self.url);
        let r = s.sign_in(email, PASSWORD).await;
        assert_eq!(r.status(), 303, "sign-in as {email} should redirect");
        s
    }

    /// Run the real binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_throughcare"));
        cmd.arg("--data-dir").arg(&self.config.data_dir).args(args);
        match &self.config.database_url {
            Some(u) => cmd.env("DATABASE_URL", u),
            None => cmd.env_remove("DATABASE_URL"),
        };
        cmd.output().expect("run throughcare")
    }
}

/// An HTTP client that keeps cookies by hand (so `Secure` cookies work over loopback HTTP, as
/// they do in browsers for localhost) and fills in the CSRF field of forms.
#[derive(Clone)]
pub struct Session {
    pub base: String,
    client: reqwest::Client,
    pub cookies: Arc<Mutex<HashMap<String, String>>>,
    pub set_cookie_headers: Arc<Mutex<Vec<String>>>,
}

impl Session {
    pub fn new(base: &str) -> Session {
        Session {
            base: base.to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Arc::default(),
            set_cookie_headers: Arc::default(),
        }
    }

    /// The `Cookie` header this session sends (for requests made by hand).
    pub fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&self, resp: &reqwest::Response) {
        for v in resp.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap().to_string();
            self.set_cookie_headers.lock().unwrap().push(v.clone());
            let first = v.split(';').next().unwrap();
            let (k, val) = first.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if v.contains("Max-Age=0") {
                jar.remove(k);
            } else {
                jar.insert(k.to_string(), val.to_string());
            }
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&r);
        r
    }

    /// The CSRF token a page would carry: bound to the session when signed in, else the
    /// anonymous cookie's value.
    pub fn csrf(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        if let Some(secret) = jar.get("__Host-tc_session").filter(|s| !s.is_empty()) {
            return throughcare::platform::auth::csrf_token(secret);
        }
        jar.get("__Host-tc_csrf").cloned().unwrap_or_default()
    }

    /// Post a form, adding the CSRF token (fetching a page first if there is none yet).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        if self.csrf().is_empty() {
            self.get("/sign-in").await;
        }
        let csrf = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Post a form exactly as given (no CSRF added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.keep(&r);
        r
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/sign-in", &[("email", email), ("password", password)])
            .await
    }
}

/// Every participant-scoped route: `(method, path template)`, from the OpenAPI document and
/// the page-route table (never listed by hand).
pub fn participant_scoped_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let doc = web::openapi();
    for (path, item) in doc.paths.paths.iter() {
        if !(path.starts_with("/api/v1/participants/{id}") || path.contains("{participant_id}")) {
            continue;
        }
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (m, present) in methods {
            if present {
                out.push((m.to_string(), path.clone()));
            }
        }
    }
    for r in web::page_routes() {
        if r.participant_scoped {
            for m in r.methods {
                out.push((m.to_string(), r.path.to_string()));
            }
        }
    }
    out
}
