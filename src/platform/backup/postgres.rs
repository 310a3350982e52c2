//! The PostgreSQL tools (pg_dump, pg_restore) found on PATH, run with a progress bar, and the
//! parts of a database URL they need.

use super::*;

// ---------------------------------------------------------------------------------------------
// PostgreSQL tools and URLs

/// A PostgreSQL tool on `PATH`, or else the newest in `/usr/lib/postgresql/*/bin` (Debian).
pub fn find_pg_tool(name: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((v, p))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).ok_or_else(|| {
        anyhow!(
            "{name} was found neither on PATH nor in /usr/lib/postgresql/*/bin; install the \
             PostgreSQL client tools (Debian: postgresql-client)"
        )
    })
}

/// Run pg_dump or pg_restore with a spinner (showing the size of `grows` as it is written);
/// its error output is part of the error.
pub(super) fn run_pg_tool(
    mut cmd: Command,
    name: &str,
    grows: Option<&Path>,
) -> anyhow::Result<()> {
    let spinner = spinner(&format!("{name} running"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow!("cannot run {name}: {e}"))?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if let Some(p) = grows
            && let Ok(m) = std::fs::metadata(p)
        {
            spinner.set_message(format!(
                "{name} running: {}",
                indicatif::HumanBytes(m.len())
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    spinner.finish_and_clear();
    let err = reader.join().unwrap_or_default();
    if !status.success() {
        bail!("{name} failed ({status}): {}", err.trim());
    }
    Ok(())
}

/// A PostgreSQL URL split so that the password is never printed nor put on a command line:
/// tools get the URL without it and the password in `PGPASSWORD`.
pub(super) struct PgUrl {
    pub(super) full: String,
    pub(super) without_password: String,
    pub(super) password: Option<String>,
}

impl PgUrl {
    pub(super) fn parse(url: &str) -> anyhow::Result<PgUrl> {
        let Some((scheme, rest)) = url.split_once("://") else {
            bail!("DATABASE_URL: expected postgres://user:password@host:port/database");
        };
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((name, pw)) => (Some(name), Some(percent_decode(pw)?)),
                None => (Some(u), None),
            },
            None => (None, None),
        };
        let without_password = match user {
            Some(u) => format!("{scheme}://{u}@{host}{tail}"),
            None => format!("{scheme}://{host}{tail}"),
        };
        Ok(PgUrl {
            full: url.to_string(),
            without_password,
            password,
        })
    }

    pub(super) fn redacted(&self) -> String {
        self.without_password.clone()
    }

    pub(super) fn apply_password(&self, cmd: &mut Command) {
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p);
        }
    }

    /// The same server and credentials, another database.
    pub(super) fn with_database(&self, name: &str) -> String {
        let (scheme, rest) = self
            .full
            .split_once("://")
            .unwrap_or(("postgres", &self.full));
        let (authority, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
        format!("{scheme}://{authority}/{name}{query}")
    }
}

pub(super) fn percent_decode(s: &str) -> anyhow::Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| anyhow!("DATABASE_URL: a bad %-escape in the password"))?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| anyhow!("DATABASE_URL: a bad %-escape in the password"))?,
            );
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| anyhow!("DATABASE_URL: the password is not UTF-8"))
}

// ---------------------------------------------------------------------------------------------
// small things

pub(super) fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

pub(super) fn hash_file(p: &Path) -> anyhow::Result<(u64, String)> {
    let len = std::fs::metadata(p)?.len();
    let bar = bytes_bar(len, "checksumming the copy");
    let mut r = bar.wrap_read(File::open(p)?);
    let mut h = Sha256::new();
    std::io::copy(&mut r, &mut h)?;
    bar.finish_and_clear();
    Ok((len, hex::encode(h.finalize())))
}

pub(super) fn bytes_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

pub(super) fn spinner(what: &str) -> indicatif::ProgressBar {
    let s = indicatif::ProgressBar::new_spinner();
    s.set_message(what.to_string());
    s.enable_steady_tick(Duration::from_millis(120));
    s
}
