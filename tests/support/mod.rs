//! Shared by the integration binary (`tests/it`) and the browser binary (`tests/browser`):
//! `spawn_app()`: a real server on port 0 over a fresh database, seeded with two provider
//! organisations (A and B) and one partner, each role's user, API tokens and a participant each;
//! `spawn_demo()`: a demo-mode server over generated demo data; clients and request helpers.

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
use throughcare::platform::{mfa, time};

pub mod seed;

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
    pub _dir: Place,
}

/// A test's place: its data directory and, on PostgreSQL, its own database, which is dropped
/// when the place is (at the end of the test, whether it passed or not).
pub struct Place {
    dir: tempfile::TempDir,
    database: Option<(String, String)>,
}

impl Place {
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.database
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            // FORCE ends the connections the test's server still holds (PostgreSQL 13+).
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A fresh, empty database configuration (SQLite in a temp dir, or a new PostgreSQL database).
pub fn fresh_config() -> (Config, Place) {
    fresh_config_on(std::env::var("TEST_DATABASE_URL").ok().as_deref())
}

/// A fresh, empty database configuration: SQLite in a temp dir when `admin_url` is `None` (or
/// empty), else a new database on the PostgreSQL server it names.
pub fn fresh_config_on(admin_url: Option<&str>) -> (Config, Place) {
    new_place(admin_url, None)
}

/// A fresh database with every migration applied: on PostgreSQL a copy of the template database
/// that this process migrated once (see `migrated_template`); on SQLite an empty file (which
/// `Db::migrate` migrates, as before).
pub fn migrated_config_on(admin_url: Option<&str>) -> (Config, Place) {
    // The test clients and the server's own use rustls with ring (decision 0055).
    throughcare::platform::tls::install();
    match admin_url.filter(|u| !u.is_empty()) {
        Some(url) => new_place(Some(url), Some(migrated_template(url))),
        None => new_place(None, None),
    }
}

fn new_place(admin_url: Option<&str>, template: Option<String>) -> (Config, Place) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        listen: "127.0.0.1:0".into(),
        // The second factor has its own tests (tests/it/mfa.rs), which turn it on; the rest of
        // the suite signs in with passwords.
        mfa_required_roles: String::new(),
        ..Config::default()
    };
    let mut database = None;
    if let Some(admin_url) = admin_url
        && !admin_url.is_empty()
    {
        let name = format!("tc_test_{:016x}", rand::random::<u64>());
        let mut admin =
            diesel::PgConnection::establish(admin_url).expect("connect to TEST_DATABASE_URL");
        let from = template
            .map(|t| format!(" TEMPLATE {t}"))
            .unwrap_or_default();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}{from}"))
            .expect("create test database");
        config.database_url = Some(database_url(admin_url, &name));
        database = Some((admin_url.to_string(), name));
    }
    (config, Place { dir, database })
}

/// The URL of database `name` on the server `admin_url` names.
fn database_url(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .expect("URL with a database name");
    format!("{base}/{name}")
}

/// The name of a database on `admin_url`'s server holding every PostgreSQL migration and nothing
/// else, made once: its name carries a hash of the migrations, so a changed migration makes a
/// new one. Test processes running at once take turns through an advisory lock; a template is
/// migrated under another name and renamed when complete, so a half-made one is never used.
fn migrated_template(admin_url: &str) -> String {
    static MADE: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, name)) = made.iter().find(|(url, _)| url == admin_url) {
        return name.clone();
    }
    let name = format!("tc_template_{}", &migrations_hash()[..16]);
    let mut admin =
        diesel::PgConnection::establish(admin_url).expect("connect to TEST_DATABASE_URL");
    admin
        .batch_execute("SELECT pg_advisory_lock(724300118)")
        .expect("template lock");
    let exists: i64 = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name.as_str())
        .get_result::<Count>(&mut admin)
        .expect("look for the template")
        .n;
    if exists == 0 {
        let building = format!("{name}_building");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .expect("drop a half-made template");
        admin
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .expect("create the template");
        {
            let conn = diesel::PgConnection::establish(&database_url(admin_url, &building))
                .expect("connect to the template");
            let mut conn = throughcare::platform::db::DbConn::Pg(conn);
            throughcare::platform::db::migrate(&mut conn).expect("migrate the template");
        }
        admin
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .expect("name the template");
    }
    admin
        .batch_execute("SELECT pg_advisory_unlock(724300118)")
        .expect("template unlock");
    made.push((admin_url.to_string(), name.clone()));
    name
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// SHA-256 over the PostgreSQL migrations' paths and contents, in path order.
fn migrations_hash() -> String {
    use sha2::Digest;
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read migrations") {
            let p = e.expect("read migrations").path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files = vec![];
    walk(&root, &mut files);
    files.sort();
    let mut h = sha2::Sha256::new();
    for f in files {
        h.update(
            f.strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(std::fs::read(&f).expect("read migration"));
        h.update([0]);
    }
    hex::encode(h.finalize())
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
    let (mut config, dir) = migrated_config_on(std::env::var("TEST_DATABASE_URL").ok().as_deref());
    adjust(&mut config);
    spawn_app_over(config, dir).await
}

/// Start the real server over a fresh database on SQLite (`None`) or on the PostgreSQL server
/// `admin_url` names, whatever `TEST_DATABASE_URL` says (the differential test runs one of each).
pub async fn spawn_app_on(admin_url: Option<&str>) -> TestApp {
    let (config, dir) = migrated_config_on(admin_url);
    spawn_app_over(config, dir).await
}

async fn spawn_app_over(config: Config, dir: Place) -> TestApp {
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
        throughcare::platform::tls::install();
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

    /// A short-stay jail named `name`, made through the API by `admin_token`'s holder; its id.
    pub async fn jail(&self, admin_token: &str, name: &str) -> i64 {
        let r = self
            .post_bearer(
                "/api/v1/facilities",
                admin_token,
                serde_json::json!({"name": name, "kind": "jail", "setting": "short"}),
            )
            .await;
        assert_eq!(r.status(), 201, "making the facility {name}");
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
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
    for (path, item) in &doc.paths.paths {
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

/// Serve a demo-mode app over a freshly generated small demo database.
pub async fn spawn_demo() -> (String, AppState, Place) {
    let (mut config, dir) = migrated_config_on(std::env::var("TEST_DATABASE_URL").ok().as_deref());
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

/// A 6-digit code that is not valid now, nor one step either side.
pub fn wrong_code(secret: &str) -> String {
    let now = time::now();
    let valid: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|s| mfa::code_at(secret, now + chrono::Duration::seconds(*s)).unwrap())
        .collect();
    (0..1000)
        .map(|n| format!("{:06}", 100_000 + n))
        .find(|c| !valid.contains(c))
        .unwrap()
}
