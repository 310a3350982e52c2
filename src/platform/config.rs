//! Configuration: built-in defaults, then `throughcare.toml` (in the data directory, or the file
//! named by `--config` / `THROUGHCARE_CONFIG`), then `THROUGHCARE_*` environment variables, then
//! command-line flags. `DATABASE_URL` chooses PostgreSQL; otherwise SQLite in the data directory.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the web server listens on.
    pub listen: String,
    /// Directory for the SQLite database (and nothing else yet).
    pub data_dir: PathBuf,
    /// `postgres://...` to use PostgreSQL; unset means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Connections in the pool.
    pub db_pool_size: u32,
    /// SQLite `PRAGMA synchronous` in WAL mode: `full` (each commit is fsynced before it is
    /// acknowledged) or `normal` (commits since the last checkpoint may roll back on power loss).
    /// Decision 0018.
    pub sqlite_synchronous: SqliteSynchronous,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after sign-in at which a session ends however active it is (ASVS 3.3.4).
    pub session_absolute_hours: i64,
    /// Roles that must pass a second factor (comma-separated); an organisation may require it
    /// of everyone. Never enforced in demo mode.
    pub mfa_required_roles: String,
    /// Mark cookies `Secure`. Only turn off behind a TLS-terminating proxy that rewrites them.
    pub cookie_secure: bool,
    /// Failed sign-ins for one account from one address, within the window, before that pair
    /// must wait (1 s, then doubling) between tries. Nobody else is slowed.
    pub signin_free_failures: i64,
    /// Different accounts failing from one address, within the window, before that address
    /// must wait between tries (password spraying); one person's own failures count once.
    pub signin_max_accounts_per_address: i64,
    /// The throttle window, in minutes (also the longest wait).
    pub signin_throttle_minutes: i64,
    /// Largest request body accepted by the JSON API and forms, in bytes (never more than
    /// `max_upload_bytes`; enforced by `web::limits` before a body is read).
    pub max_body_bytes: usize,
    /// Largest body accepted by the routes that take files (the roster upload page and API), in
    /// bytes; enforced by `web::limits` before the body is read (decision 0023).
    pub max_upload_bytes: usize,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Demo mode: shows the demo sign-ins on the sign-in page.
    pub demo: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// The audit chain's secret key (decision 0014); unset means `audit.key` in `data_dir`.
    /// Created (mode 0600) on first start; never stored in the database; the same file on every
    /// instance.
    pub audit_key_file: Option<PathBuf>,
    /// The address staff reach the site at (`https://throughcare.example.org`), used to write
    /// set-password links in full; unset, links are shown as paths on this site. Configured, not
    /// taken from the request's Host header, which a client chooses (password-reset poisoning).
    pub public_url: Option<String>,
    /// Append-only file the server appends a signed checkpoint of the audit chain's head to, at
    /// start and daily; unset means none is written.
    pub audit_checkpoint_file: Option<PathBuf>,
    /// Seconds between runs of the scheduled jobs (reminders planned, messages delivered;
    /// decision 0050); 0 runs none on this instance.
    pub jobs_every_seconds: u64,
    /// This instance's name in the job runs; unset, the host name and process id.
    pub instance_name: Option<String>,
    /// The SMTP relay that sends e-mail to participants; unset, no e-mail is sent (messages by
    /// e-mail wait, and each run records why).
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// How the SMTP connection is protected: `starttls` (the default: a relay on 587 or 25
    /// that offers STARTTLS, which is then required), `tls` (implicit TLS, usually 465) or
    /// `none` (a relay on this machine or a private network only).
    pub smtp_tls: String,
    /// The relay's account, if it asks for one; the password comes from the environment
    /// (`THROUGHCARE_SMTP_PASSWORD`), never the config file in the repository.
    pub smtp_username: Option<String>,
    #[serde(skip_serializing)]
    pub smtp_password: Option<String>,
    /// The sender of e-mail to participants. Name no programme here unless every participant
    /// agreed (42 CFR 2.13).
    pub smtp_from: String,
    /// The SMS provider's API base (Twilio's Programmable Messaging; decision 0049).
    pub sms_api_base: String,
    /// The provider account (Twilio Account SID) and its auth token (also the key of the
    /// webhook's signature); unset, no text is sent.
    pub sms_account_sid: Option<String>,
    #[serde(skip_serializing)]
    pub sms_auth_token: Option<String>,
    /// The number texts come from (E.164).
    pub sms_from: Option<String>,
    /// The address the provider posts replies to, exactly as configured there (its signature
    /// covers it); unset, `public_url` followed by `/api/v1/messages/sms/inbound`.
    pub sms_webhook_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            db_pool_size: 8,
            sqlite_synchronous: SqliteSynchronous::default(),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            mfa_required_roles: "admin,auditor".into(),
            cookie_secure: true,
            signin_free_failures: 5,
            signin_max_accounts_per_address: 20,
            signin_throttle_minutes: 15,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 64 * 1024 * 1024,
            log_format: "text".into(),
            demo: false,
            trust_forwarded_for: false,
            audit_key_file: None,
            audit_checkpoint_file: None,
            public_url: None,
            jobs_every_seconds: 60,
            instance_name: None,
            smtp_host: None,
            smtp_port: 25,
            smtp_tls: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: "reminders@localhost".into(),
            sms_api_base: "https://api.twilio.com".into(),
            sms_account_sid: None,
            sms_auth_token: None,
            sms_from: None,
            sms_webhook_url: None,
        }
    }
}

impl Config {
    /// Load defaults, the config file, the environment; `data_dir` from the command line wins.
    pub fn load(config_file: Option<&Path>, data_dir: Option<&Path>) -> anyhow::Result<Config> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        let dir = data_dir
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("THROUGHCARE_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("data"));
        let file = config_file
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.join("throughcare.toml"));
        if file.exists() {
            fig = fig.merge(Toml::file(&file));
        } else if config_file.is_some() {
            anyhow::bail!("config file {} does not exist", file.display());
        }
        fig = fig.merge(Env::prefixed("THROUGHCARE_").ignore(&["CONFIG", "BACKUP_PASSPHRASE"]));
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            fig = fig.merge(Serialized::default("database_url", url));
        }
        let mut config: Config = fig
            .extract()
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        if let Some(d) = data_dir {
            config.data_dir = d.to_path_buf();
        }
        Ok(config)
    }

    /// The audit key file in force: `audit_key_file`, or `audit.key` in the data directory.
    pub fn audit_key_path(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit.key"))
    }

    /// The database URL in force: PostgreSQL if configured, else the SQLite file.
    pub fn database_target(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => self
                .data_dir
                .join("throughcare.sqlite3")
                .to_string_lossy()
                .into_owned(),
        }
    }
}

/// How SQLite makes commits durable (decision 0018).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSynchronous {
    /// `PRAGMA synchronous = FULL`: the WAL is fsynced at every commit.
    #[default]
    Full,
    /// `PRAGMA synchronous = NORMAL`: the WAL is fsynced only at checkpoints.
    Normal,
}

impl SqliteSynchronous {
    /// Parse `full` or `normal` (any case); the error names the key and the values allowed.
    pub fn parse(s: &str) -> Result<SqliteSynchronous, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(SqliteSynchronous::Full),
            "normal" => Ok(SqliteSynchronous::Normal),
            _ => Err(format!(
                "sqlite_synchronous: expected `full` or `normal`, found {s:?}"
            )),
        }
    }

    /// The pragma's value.
    pub fn as_str(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "full",
            SqliteSynchronous::Normal => "normal",
        }
    }
}

impl Serialize for SqliteSynchronous {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SqliteSynchronous {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SqliteSynchronous::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_synchronous_parses_full_and_normal_and_names_the_key_otherwise() {
        assert_eq!(
            SqliteSynchronous::parse("full"),
            Ok(SqliteSynchronous::Full)
        );
        assert_eq!(
            SqliteSynchronous::parse("NORMAL"),
            Ok(SqliteSynchronous::Normal)
        );
        let e = SqliteSynchronous::parse("off").unwrap_err();
        assert!(
            e.contains("sqlite_synchronous") && e.contains("full") && e.contains("\"off\""),
            "{e}"
        );
        assert_eq!(
            Config::default().sqlite_synchronous,
            SqliteSynchronous::Full
        );
    }
}
