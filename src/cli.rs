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
    },
    /// List organisations.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a staff account with a password read from standard input (the first administrator
    /// of a new installation; everyone else is invited).
    Add {
        #[arg(long)]
        org: String,
        /// admin, supervisor, peer, team, auditor
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Invite a staff member: prints a one-time link (valid 72 hours) where they choose their
    /// own password.
    Invite {
        #[arg(long)]
        org: String,
        /// admin, supervisor, peer, team, auditor
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
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
        let state = AppState {
            db,
            config: Arc::new(config),
        };
        web::serve(state, listener).await
    })
}

/// `audit verify` and `audit checkpoint` read the key (they never create one, nor key a chain)
/// and apply migrations but nothing else.
fn audit_command(c: AuditCommand, config: &Config) -> anyhow::Result<ExitCode> {
    use crate::platform::audit_key::{self, Checkpoint, Key};
    let key = Key::load(&config.audit_key_path())?;
    let db = Db::open(config)?;
    let mut conn = db.conn()?;
    crate::platform::db::migrate(&mut conn)?;
    match c {
        AuditCommand::Verify { checkpoints } => {
            let cps = match &checkpoints {
                Some(file) => audit_key::read_checkpoints(file)?,
                None => Vec::new(),
            };
            let v = audit::verify(&mut conn, &key, &cps)?;
            let against = match &checkpoints {
                Some(file) => format!(" and {} checkpoints in {}", cps.len(), file.display()),
                None => String::new(),
            };
            Ok(match v.fault {
                None => {
                    println!(
                        "audit chain intact: {} entries verified with the key in {}{against}",
                        v.entries,
                        key.path().display()
                    );
                    ExitCode::SUCCESS
                }
                Some(f) => {
                    let place = match (&f, &checkpoints) {
                        (
                            audit::Fault::CheckpointSignature { .. }
                            | audit::Fault::CheckpointAhead { .. }
                            | audit::Fault::CheckpointDiffers { .. },
                            Some(file),
                        ) => format!(" (checkpoints in {})", file.display()),
                        _ => String::new(),
                    };
                    println!(
                        "audit chain BROKEN after {} good entries: {f}{place}",
                        v.entries
                    );
                    ExitCode::FAILURE
                }
            })
        }
        AuditCommand::Checkpoint => {
            println!("{}", Checkpoint::take(&mut conn, &key)?.to_line());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn org_command(c: OrgCommand, db: &Db) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    match c {
        OrgCommand::Add { slug, name, kind } => {
            let kind = OrgKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!(
                    "--kind: unknown kind {kind:?}; use one of: {}",
                    OrgKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let org = write_tx(&mut conn, |tx| {
                orgs::add_organisation(tx, &Who::command_line(), &slug, &name, kind)
            })?;
            println!(
                "added organisation {} ({}), id {}",
                org.slug, org.name, org.id
            );
        }
        OrgCommand::List => {
            for o in orgs::organisations(&mut conn)? {
                println!("{}\t{}\t{}\t{}", o.id, o.slug, o.kind, o.name);
            }
        }
    }
    Ok(())
}

/// Field errors of a staff account as command-line flags (`--email: …`).
fn flag_errors(errs: Vec<crate::platform::error::FieldError>) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        errs.iter()
            .map(|e| {
                let flag = if e.field == "password" {
                    "password (stdin)".to_string()
                } else {
                    format!("--{}", e.field)
                };
                format!("{flag}: {}", e.message)
            })
            .collect::<Vec<_>>()
            .join("; ")
    )
}

fn print_link(email: &str, link: &accounts::IssuedLink) {
    eprintln!(
        "set-password link for {email} (works once, until {} UTC; pass it on yourself):",
        link.expires_at.format("%Y-%m-%d %H:%M")
    );
    println!("{}", link.url);
}

fn user_command(c: UserCommand, db: &Db, config: &Config) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    match c {
        UserCommand::Add {
            org,
            role,
            email,
            name,
        } => {
            let org = orgs::organisation_by_slug(&mut conn, &org)?
                .ok_or_else(|| anyhow::anyhow!("--org: no organisation with slug {org:?}"))?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let new = orgs::NewStaff::parse(&email, &name, &role).map_err(flag_errors)?;
            let staff = write_tx(&mut conn, |tx| {
                orgs::add_staff(tx, &Who::command_line(), org.id, &new, &password)
            })
            .map_err(|e| match e {
                crate::platform::error::AppError::Invalid(errs) => flag_errors(errs),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!(
                "added {} ({}) to {} as {}, id {}",
                staff.name, staff.email, org.slug, staff.role, staff.id
            );
        }
        UserCommand::Invite {
            org,
            role,
            email,
            name,
        } => {
            let org = orgs::organisation_by_slug(&mut conn, &org)?
                .ok_or_else(|| anyhow::anyhow!("--org: no organisation with slug {org:?}"))?;
            let new = orgs::NewStaff::parse(&email, &name, &role).map_err(flag_errors)?;
            let public = config.public_url.clone();
            let (staff, link) = write_tx(&mut conn, |tx| {
                accounts::invite(tx, &Who::command_line(), org.id, &new, public.as_deref())
            })
            .map_err(|e| match e {
                crate::platform::error::AppError::Invalid(errs) => flag_errors(errs),
                other => anyhow::anyhow!("{other}"),
            })?;
            print_link(&staff.email, &link);
        }
        UserCommand::PasswordLink { email } => {
            let staff = orgs::staff_by_email(&mut conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("email: no account {email:?}"))?;
            let public = config.public_url.clone();
            let link = write_tx(&mut conn, |tx| {
                accounts::new_password_link(tx, &Who::command_line(), staff.id, public.as_deref())
            })
            .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
            print_link(&staff.email, &link);
        }
        UserCommand::List { org } => {
            let org_id = match org {
                Some(slug) => Some(
                    orgs::organisation_by_slug(&mut conn, &slug)?
                        .ok_or_else(|| {
                            anyhow::anyhow!("--org: no organisation with slug {slug:?}")
                        })?
                        .id,
                ),
                None => None,
            };
            for s in orgs::staff_of(&mut conn, org_id)? {
                let status = if s.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                println!("{}\t{}\t{}\t{}\t{}", s.id, s.email, s.role, status, s.name);
            }
        }
        UserCommand::Disable { email } => {
            let s = write_tx(&mut conn, |tx| {
                orgs::disable_staff(tx, &Who::command_line(), &email)
            })
            .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
            println!(
                "disabled {}: their sessions, API tokens and set-password links stopped",
                s.email
            );
        }
        UserCommand::ResetMfa { email } => {
            let staff = orgs::staff_by_email(&mut conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("email: no account {email:?}"))?;
            write_tx(&mut conn, |tx| {
                accounts::reset_mfa(tx, &Who::command_line(), staff.id)
            })
            .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
            println!(
                "removed the second factor of {} and ended their sessions",
                staff.email
            );
        }
        UserCommand::RequireMfa { org, off } => {
            let o = orgs::organisation_by_slug(&mut conn, &org)?
                .ok_or_else(|| anyhow::anyhow!("--org: no organisation {org:?}"))?;
            write_tx(&mut conn, |tx| {
                use crate::platform::schema::organisations;
                use diesel::prelude::*;
                diesel::update(organisations::table.find(o.id))
                    .set(organisations::mfa_required.eq(!off))
                    .execute(tx.conn())?;
                audit::append(
                    tx,
                    &Who::command_line(),
                    audit::Event::new("mfa.org_policy", "organisation", Some(o.id))
                        .detail(if off { "roles only" } else { "everyone" }),
                )
            })
            .map_err(|e| anyhow::anyhow!("{org}: {e}"))?;
            println!(
                "{}: a second factor is required of {}",
                o.slug,
                if off {
                    "the configured roles"
                } else {
                    "everyone"
                }
            );
        }
    }
    Ok(())
}

fn token_command(c: TokenCommand, db: &Db) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    match c {
        TokenCommand::Create { email, expires_in } => {
            if expires_in.is_some_and(|d| d <= 0 || d > 3650) {
                anyhow::bail!("--expires-in: use 1 to 3650 days");
            }
            let staff = orgs::staff_by_email(&mut conn, &email)?
                .ok_or_else(|| anyhow::anyhow!("--email: no account {email:?}"))?;
            if staff.disabled_at.is_some() {
                anyhow::bail!("--email: {email} is disabled");
            }
            let (id, secret) = write_tx(&mut conn, |tx| {
                auth::create_token(tx, &Who::command_line(), staff.id, expires_in)
            })?;
            eprintln!(
                "token {id} for {} (shown once; store it safely):",
                staff.email
            );
            println!("{secret}");
        }
        TokenCommand::Revoke { token } => {
            let id = write_tx(&mut conn, |tx| {
                auth::revoke_token(tx, &Who::command_line(), &token)
            })
            .map_err(|e| anyhow::anyhow!("token: {e}"))?;
            println!("revoked token {id}");
        }
    }
    Ok(())
}

fn import_roster(
    db: &Db,
    file: &std::path::Path,
    org: &str,
    facility: &str,
    create_unmatched: bool,
) -> anyhow::Result<ExitCode> {
    use crate::journey::{roster, roster_runs};
    let mut conn = db.conn()?;
    let org = orgs::organisation_by_slug(&mut conn, org)?
        .ok_or_else(|| anyhow::anyhow!("--org: no organisation with slug {org:?}"))?;
    let facilities = orgs::facilities(&mut conn)?;
    let fac = facilities
        .iter()
        .find(|f| f.name == facility || f.id.to_string() == facility)
        .ok_or_else(|| anyhow::anyhow!("--facility: no facility named {facility:?}"))?;
    drop(conn);
    let reader =
        std::fs::File::open(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let size = reader.metadata().map(|m| m.len()).unwrap_or(0);
    let kind = OrgKind::parse(&org.kind).unwrap_or(OrgKind::Provider);
    let actor = crate::platform::access::Actor::command_line(org.id, kind, &org.name);
    // The file is read as the import goes (never whole into memory): progress in bytes.
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "importing [{bar:40}] {bytes}/{total_bytes} ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let opts = roster::Options {
        org_id: org.id,
        facility_id: fac.id,
        create_unmatched,
        memory: roster::ImportMemory::CommandLine,
    };
    let started = std::time::Instant::now();
    let input = bar.wrap_read(std::io::BufReader::new(reader));
    let run = match roster::import_stream(
        db,
        &actor,
        &opts,
        roster_runs::Source::CommandLine,
        input,
        &|_| {},
    ) {
        Ok(run) => run,
        Err(roster::ImportStop::BadHeader(e)) => {
            bar.finish_and_clear();
            anyhow::bail!(
                "{}: row {}, column {}: {}",
                file.display(),
                e.row,
                e.column,
                e.reason
            )
        }
        Err(roster::ImportStop::Cut { run, error, .. }) => {
            bar.finish_and_clear();
            anyhow::bail!(
                "{}: could not read the file ({error}); import run {run} kept the rows of whole \
                 transactions before that point",
                file.display()
            )
        }
        Err(roster::ImportStop::App(e)) => return Err(e.into()),
    };
    bar.finish_and_clear();
    println!(
        "{}: {} rows in {:.1} s: {} matched ({} updated, {} unchanged), {} created, {} likely matches to check, {} unmatched, {} bad rows (import run {})",
        file.display(),
        run.rows_read,
        started.elapsed().as_secs_f64(),
        run.matched,
        run.updated,
        run.unchanged,
        run.created,
        run.likely_matches,
        run.unmatched,
        run.bad_rows,
        run.id
    );
    roster_runs::each_row(db, run.id, &mut |r| match r.kind.as_str() {
        "bad_row" => println!(
            "  bad row {}: column {}: {}",
            r.row,
            r.column.as_deref().unwrap_or(""),
            r.reason.as_deref().unwrap_or("")
        ),
        "likely_match" => {
            let c: Vec<String> = r
                .candidates
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ({}, id {}, {})",
                        c.first_name,
                        c.last_name,
                        c.date_of_birth,
                        c.id,
                        c.reasons.join("+")
                    )
                })
                .collect();
            println!(
                "  check row {}: {} looks like {}",
                r.row,
                r.name.as_deref().unwrap_or(""),
                c.join("; ")
            );
        }
        _ => println!(
            "  unmatched row {}: {} {} born {}",
            r.row,
            r.booking_number.as_deref().unwrap_or(""),
            r.name.as_deref().unwrap_or(""),
            r.date_of_birth.map(|d| d.to_string()).unwrap_or_default()
        ),
    })?;
    Ok(if run.bad_rows == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// 42 CFR 2.35: criminal-justice consents recorded before a class of recipients was refused
/// name nobody now (they fail closed). `migrate` lists them so the programme can record a
/// consent naming the agency; each programme also sees them on its "Consents to correct" page.
fn report_consents_to_fix(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e}"))?;
    let found = crate::consent::store::cj_consents_naming_a_class(&mut conn, None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if found.is_empty() {
        return Ok(());
    }
    println!(
        "{} criminal-justice consent(s) (42 CFR 2.35) name a class of recipients instead of one \
         court, probation or parole agency; they now disclose nothing until corrected \
         (page: /consents/to-correct):",
        found.len()
    );
    for c in found {
        println!(
            "  consent {} of participant {} (organisation {}), names: {}{}",
            c.consent_id,
            c.participant_id,
            c.org_id,
            c.classes.join(", "),
            if c.revoked { " (revoked)" } else { "" }
        );
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (it must not exist), or with --verify the backup to check.
    pub file: PathBuf,
    /// Encrypt with a passphrase (from THROUGHCARE_BACKUP_PASSPHRASE, or standard input); the
    /// audit key file is then carried inside.
    #[arg(long, conflicts_with = "verify")]
    pub encrypt: bool,
    /// Check FILE: restore it into a temporary place, run the integrity and audit checks, print
    /// the counts and the verdict; exit non-zero when it is not good.
    #[arg(long)]
    pub verify: bool,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
}

/// The passphrase of an encrypted backup: THROUGHCARE_BACKUP_PASSPHRASE, else standard input
/// (a prompt on a terminal, else its first line). When encrypting it must be 12 characters or
/// more.
fn backup_passphrase(new: bool) -> anyhow::Result<age::secrecy::SecretString> {
    use std::io::IsTerminal;
    let (pass, source) = match std::env::var("THROUGHCARE_BACKUP_PASSPHRASE") {
        Ok(p) if !p.is_empty() => (p, "THROUGHCARE_BACKUP_PASSPHRASE"),
        _ if std::io::stdin().is_terminal() => (
            rpassword::prompt_password("Backup passphrase: ")?,
            "the passphrase",
        ),
        _ => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            (
                line.trim_end_matches(['\n', '\r']).to_string(),
                "the passphrase (stdin)",
            )
        }
    };
    if pass.is_empty() {
        anyhow::bail!(
            "{source}: empty; set THROUGHCARE_BACKUP_PASSPHRASE or give it on standard input"
        );
    }
    if new && pass.chars().count() < 12 {
        anyhow::bail!("{source}: use at least 12 characters");
    }
    Ok(age::secrecy::SecretString::from(pass))
}

fn backup_command(args: BackupArgs, config: &Config) -> anyhow::Result<ExitCode> {
    use crate::platform::backup;
    if args.verify {
        let report = backup::verify(config, &args.file, &|| backup_passphrase(false))?;
        println!("{}: checked", args.file.display());
        println!("{report}");
        return Ok(if report.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let pass = if args.encrypt {
        Some(backup_passphrase(true)?)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let made = backup::backup(config, &args.file, pass.as_ref())?;
    println!(
        "backup written to {} ({}, {:.1} s): {} participants, {} audit entries{}",
        args.file.display(),
        indicatif::HumanBytes(made.bytes),
        started.elapsed().as_secs_f64(),
        made.counts.participants,
        made.counts.audit_entries,
        match (made.encrypted, made.audit_key_included) {
            (true, true) => "; encrypted, with the audit key file",
            (true, false) => "; encrypted (no audit key file found to include)",
            (false, _) =>
                "; not encrypted: keep it, and a copy of the audit key file, somewhere safe",
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn restore_command(args: RestoreArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let report =
        crate::platform::backup::restore(config, &args.file, &|| backup_passphrase(false))?;
    println!("{report}");
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
