//! `throughcare import roster`, the consents-to-fix report, `backup` and `restore`.

use super::*;

pub(super) fn import_roster(
    db: &Db,
    file: &std::path::Path,
    org: &str,
    facility: &str,
    create_unmatched: bool,
) -> anyhow::Result<ExitCode> {
    use crate::journey::{roster, roster_runs};
    let mut conn = db.conn()?;
    let org = organisation(&mut conn, org)?;
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
    let mut actor = crate::platform::access::Actor::command_line(org.id, kind, &org.name);
    actor.zone = org.zone();
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
pub(super) fn report_consents_to_fix(db: &Db) -> anyhow::Result<()> {
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
pub(super) fn backup_passphrase(new: bool) -> anyhow::Result<age::secrecy::SecretString> {
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

pub(super) fn backup_command(args: BackupArgs, config: &Config) -> anyhow::Result<ExitCode> {
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

pub(super) fn restore_command(args: RestoreArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let report =
        crate::platform::backup::restore(config, &args.file, &|| backup_passphrase(false))?;
    println!("{report}");
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
