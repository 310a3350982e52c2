//! The organisation's own administration: its staff accounts, its audit log, its roster imports.

use super::*;

/// May this actor administer their organisation (staff, facilities)?
pub fn administer(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor manage the account of a staff member of organisation `staff_org` (invite,
/// new set-password link, disable, reset the second factor, revoke their API tokens)? Only an
/// admin, and only of their own organisation: another organisation's staff member is "not
/// found", as their records are; a non-admin is refused by role first.
pub fn administer_staff(actor: &Actor, staff_org: Option<i64>) -> AppResult<()> {
    administer(actor)?;
    match staff_org {
        Some(org) if org == actor.org_id => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// May this actor list their organisation's staff (admins and supervisors)? Returns their
/// organisation.
pub fn list_staff(actor: &Actor) -> AppResult<i64> {
    admin_or_supervisor(actor)
}

/// The actor's organisation when they are one of its admins or supervisors; otherwise 403.
pub(super) fn admin_or_supervisor(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Supervisor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May this actor read the audit log of their organisation?
pub fn read_audit(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Admin | Role::Auditor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// May `actor` see their organisation's consent alerts (an emergency access opened, a consent
/// revoked)? Those who oversee the programme's use of consent: its supervisors, administrators
/// and auditors. Returns the organisation.
pub fn consent_alerts(actor: &Actor) -> AppResult<i64> {
    if matches!(actor.role, Role::Supervisor | Role::Admin | Role::Auditor) {
        Ok(actor.org_id)
    } else {
        Err(AppError::Forbidden)
    }
}

// ---- Roster imports ----
//
// A roster import run and its rows to check name people (the roster's, and the participants
// they look like), so they are for the staff who may import rosters (admins and supervisors)
// of the organisation that ran the import. Other roles of that organisation: 403. Another
// organisation's run: "not found" (404). Each view is audited (`roster_import::view`).

/// May this actor import rosters (admins and supervisors)? Returns their organisation.
pub fn import_roster(actor: &Actor) -> AppResult<i64> {
    admin_or_supervisor(actor)
}

/// May this actor see roster import run of organisation `run_org`?
pub fn roster_import(actor: &Actor, run_org: i64) -> AppResult<()> {
    if actor.org_id != run_org {
        return Err(AppError::NotFound);
    }
    import_roster(actor).map(|_| ())
}
