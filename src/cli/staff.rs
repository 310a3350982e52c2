//! `throughcare org`, `user` and `token`: organisations, staff accounts (invitations and
//! set-password links, never a password chosen for someone), API tokens.

use super::*;
use crate::platform::db::DbConn;

pub(super) fn org_command(c: OrgCommand, db: &Db) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    match c {
        OrgCommand::Add {
            slug,
            name,
            kind,
            time_zone,
        } => {
            let kind = OrgKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!(
                    "--kind: unknown kind {kind:?}; use one of: {}",
                    OrgKind::choices()
                )
            })?;
            let zone = time_zone
                .map(|z| crate::platform::time::Zone::parse("time-zone", &z))
                .transpose()
                .map_err(|e| flag_errors(vec![e]))?;
            let org = write_tx(&mut conn, |tx| {
                let org = orgs::add_organisation(tx, &Who::command_line(), &slug, &name, kind)?;
                if let Some(zone) = zone {
                    orgs::set_time_zone(tx, &Who::command_line(), org.id, zone)?;
                }
                Ok(org)
            })?;
            let zone = zone.map_or("UTC until it is set on the organisation page".into(), |z| {
                z.name().to_string()
            });
            println!(
                "added organisation {} ({}), id {}, time zone {zone}",
                org.slug, org.name, org.id
            );
        }
        OrgCommand::List => {
            for o in orgs::organisations(&mut conn)? {
                let zone = o.time_zone.as_deref().unwrap_or("(not set: UTC)");
                println!("{}\t{}\t{}\t{}\t{zone}", o.id, o.slug, o.kind, o.name);
            }
        }
    }
    Ok(())
}

/// Field errors of a staff account as command-line flags (`--email: …`).
pub(super) fn flag_errors(errs: Vec<crate::platform::error::FieldError>) -> anyhow::Error {
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

/// The organisation whose slug `--org` names.
pub(super) fn organisation(conn: &mut DbConn, slug: &str) -> anyhow::Result<orgs::Organisation> {
    orgs::organisation_by_slug(conn, slug)?
        .ok_or_else(|| anyhow::anyhow!("--org: no organisation with slug {slug:?}"))
}

/// A new staff account's flags, checked: its organisation and the account to make.
fn new_staff(
    conn: &mut DbConn,
    args: &NewStaffArgs,
) -> anyhow::Result<(orgs::Organisation, orgs::NewStaff)> {
    let org = organisation(conn, &args.org)?;
    let new = orgs::NewStaff::parse(&args.email, &args.name, &args.role).map_err(flag_errors)?;
    Ok((org, new))
}

/// A refused staff account: field errors as flags, anything else as it is.
fn staff_error(e: crate::platform::error::AppError) -> anyhow::Error {
    match e {
        crate::platform::error::AppError::Invalid(errs) => flag_errors(errs),
        other => anyhow::anyhow!("{other}"),
    }
}

pub(super) fn print_link(email: &str, link: &accounts::IssuedLink) {
    eprintln!(
        "set-password link for {email} (works once, until {} UTC; pass it on yourself):",
        link.expires_at.format("%Y-%m-%d %H:%M")
    );
    println!("{}", link.url);
}

pub(super) fn user_command(c: UserCommand, db: &Db, config: &Config) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    match c {
        UserCommand::Add(args) => {
            let (org, new) = new_staff(&mut conn, &args)?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let staff = write_tx(&mut conn, |tx| {
                orgs::add_staff(tx, &Who::command_line(), org.id, &new, &password)
            })
            .map_err(staff_error)?;
            println!(
                "added {} ({}) to {} as {}, id {}",
                staff.name, staff.email, org.slug, staff.role, staff.id
            );
        }
        UserCommand::Invite(args) => {
            let (org, new) = new_staff(&mut conn, &args)?;
            let public = config.public_url.clone();
            let (staff, link) = write_tx(&mut conn, |tx| {
                accounts::invite(tx, &Who::command_line(), org.id, &new, public.as_deref())
            })
            .map_err(staff_error)?;
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
                Some(slug) => Some(organisation(&mut conn, &slug)?.id),
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
                    audit::Event::new(audit::Action::MfaOrgPolicy, "organisation", Some(o.id))
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

pub(super) fn token_command(c: TokenCommand, db: &Db) -> anyhow::Result<()> {
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
