//! The command line: `serve`, `migrate`, `demo`, `org`, `user` (add, invite, password-link,
//! disable, reset-mfa...), `token`, `audit`. Every command
//! finds the database the same way (`--data-dir` / `DATABASE_URL` / config file).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::organisations::accounts;
use crate::organisations::store as orgs;
use crate::platform::access::OrgKind;
use crate::platform::audit::{self, Who};
use crate::platform::auth;
use crate::platform::config::Config;
use crate::platform::db::{Db, write_tx};
use crate::platform::web::{self, AppState};

mod audit_log;
mod records;
mod staff;

use audit_log::*;
pub use records::*;
use staff::*;

#[derive(Parser, Debug)]
#[command(
    name = "throughcare",
    version,
    about = "Peer recovery support services for people in the justice system"
)]
pub struct Cli {
    /// Directory holding the SQLite database and optional throughcare.toml (default ./data).
    #[arg(long, global = true, env = "THROUGHCARE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Configuration file (default: throughcare.toml in the data directory).
    #[arg(long, global = true, env = "THROUGHCARE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web app (HTML pages and the JSON API). Migrations run at start.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Build a database of realistic synthetic data, print the sign-ins, and serve it.
    Demo(DemoArgs),
    /// Organisations (tenants).
    #[command(subcommand)]
    Org(OrgCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import data from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Back up the database while the server runs (or, with --verify, check a backup).
    Backup(BackupArgs),
    /// Restore a backup into an empty data directory or an empty PostgreSQL database, then check it.
    Restore(RestoreArgs),
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a facility roster (CSV: booking_number,last_name,first_name,date_of_birth,
    /// booking_date,expected_release_date,release_date).
    Roster {
        /// The CSV file.
        file: PathBuf,
        /// The organisation (slug) whose participants the roster updates.
        #[arg(long)]
        org: String,
        /// The facility the roster comes from (its name or id).
        #[arg(long)]
        facility: String,
        /// Create records for people who match nobody (default: list them).
        #[arg(long)]
        create_unmatched: bool,
    },
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    pub listen: Option<String>,
    /// How much data: `small` is instant; `state` is the benchmark scale.
    #[arg(long, value_enum, default_value_t = Scale::Small)]
    pub scale: Scale,
    /// Build the data, then exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Throw away an existing demo database and build a new one.
    #[arg(long)]
    pub fresh: bool,
    /// Number of participants (overrides the scale's default; for benchmarks). With `--scale
    /// state`, staff follow at 8 per 1,000 participants (800 at the default 100,000).
    #[arg(long)]
    pub participants: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    Small,
    State,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Add an organisation.
    Add {
        /// Short name in URLs and commands: lowercase letters, digits, hyphens.
        slug: String,
        #[arg(long)]
        name: String,
        /// provider, jail_health, probation, parole, court, treatment_provider, medical_provider
        #[arg(long, default_value = "provider")]
        kind: String,
        /// Its time zone, a tz database name (e.g. America/Chicago): its days begin at its
        /// midnight, its people type and read times on its clock. Not given: UTC until an
        /// administrator sets it on the organisation page.
        #[arg(long)]
        time_zone: Option<String>,
    },
    /// List organisations.
    List,
}

/// A new staff account: its organisation (slug), role, e-mail and name.
#[derive(Args, Debug)]
pub struct NewStaffArgs {
    #[arg(long)]
    org: String,
    /// admin, supervisor, peer, team, auditor
    #[arg(long)]
    role: String,
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff account with a password read from standard input (the first administrator
    /// of a new installation; everyone else is invited).
    Add(NewStaffArgs),
    /// Invite a staff member: prints a one-time link (valid 72 hours) where they choose their
    /// own password.
    Invite(NewStaffArgs),
    /// Print a new one-time set-password link for an account (a forgotten password) and end
    /// its sessions.
    PasswordLink { email: String },
    /// List staff accounts.
    List {
        /// Only this organisation.
        #[arg(long)]
        org: Option<String>,
    },
    /// Disable an account: its sessions, API tokens and set-password links stop.
    Disable { email: String },
    /// Remove an account's second factor (lost phone and recovery codes); they set up a new one
    /// at their next sign-in when it is required.
    ResetMfa { email: String },
    /// Require a second factor of everyone in an organisation (`--off` to require it only of
    /// the roles in `mfa_required_roles`).
    RequireMfa {
        #[arg(long)]
        org: String,
        #[arg(long)]
        off: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Print a new API bearer token for a user (stored only as a hash).
    Create {
        #[arg(long)]
        email: String,
        /// Days until the token expires (default: 90).
        #[arg(long)]
        expires_in: Option<i64>,
    },
    /// Revoke a token, given the token itself or its id.
    Revoke { token: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the audit chain with its key; exits non-zero naming the first changed, inserted or
    /// deleted entry, a wrong key, or a checkpoint the chain no longer matches.
    Verify {
        /// A file of checkpoints (`audit checkpoint` lines, or the server's
        /// `audit_checkpoint_file`): the chain must still hold every one, with its hash.
        #[arg(long)]
        checkpoints: Option<PathBuf>,
    },
    /// Print a signed checkpoint of the chain's head (one line), to keep somewhere the
    /// database's writers cannot change.
    Checkpoint,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), cli.data_dir.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    match run(cli.command, config) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn open(config: &Config) -> anyhow::Result<Db> {
    let db = Db::open(config)?;
    db.migrate()?;
    Ok(db)
}

fn run(command: Command, mut config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { listen } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            let db = open(&config)?;
            serve(db, config, None)?;
        }
        Command::Migrate => {
            let db = Db::open(&config)?;
            let applied = db.migrate()?;
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                for m in applied {
                    println!("applied {m}");
                }
            }
            report_consents_to_fix(&db)?;
        }
        Command::Demo(args) => {
            if let Some(l) = &args.listen {
                config.listen = l.clone();
            }
            if config.database_url.is_none()
                && config.data_dir.as_path() == std::path::Path::new("data")
            {
                config.data_dir = PathBuf::from("demo-data");
            }
            config.demo = true;
            let db = crate::demo::prepare(&config, &args)?;
            if args.no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            serve(db, config, Some(crate::demo::banner()))?;
        }
        Command::Org(c) => org_command(c, &open(&config)?)?,
        Command::User(c) => user_command(c, &open(&config)?, &config)?,
        Command::Token(c) => token_command(c, &open(&config)?)?,
        Command::Backup(args) => return backup_command(args, &config),
        Command::Restore(args) => return restore_command(args, &config),
        Command::Import(ImportCommand::Roster {
            file,
            org,
            facility,
            create_unmatched,
        }) => {
            let db = open(&config)?;
            return import_roster(&db, &file, &org, &facility, create_unmatched);
        }
        Command::Audit(c) => return audit_command(c, &config),
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(db: Db, config: Config, banner: Option<String>) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
        let addr = listener.local_addr()?;
        if let Some(b) = banner {
            println!("{b}");
        }
        println!("Throughcare is serving at http://{addr}/");
        tracing::info!(%addr, backend = ?db.backend, "serving");
        // Reminders planned, messages delivered: on every instance, each message once
        // (decision 0050).
        crate::messages::jobs::start(db.clone(), &config);
        // Overdue field check-outs and calls for help e-mailed to supervisors and admins.
        crate::field::alerts::start(db.clone(), &config);
        let state = AppState {
            db,
            config: Arc::new(config),
        };
        web::serve(state, listener).await
    })
}
