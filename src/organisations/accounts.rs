//! The life of a staff account after an administrator adds it: the one-time set-password link
//! (an invitation, or a new password for someone who forgot theirs), disabling an account, and
//! resetting its second factor. An administrator never chooses or sees anyone's password; each
//! action ends the sessions it must and leaves an audit entry naming who did it to whom. The
//! access check (`access::administer_staff`) is the callers'; these functions take ids already
//! allowed.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::store::{self, NewStaff, Staff};
use crate::platform::access::Role;
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::auth;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::{api_tokens, set_password_links, users};
use crate::platform::time;

/// How long a set-password link works: 72 hours. OWASP ASVS 2.3.1: "initial passwords or
/// activation codes ... SHOULD expire after a short period of time"; three days lets an invitee
/// who starts on a Monday and gets the link on a Friday still use it.
pub const LINK_HOURS: i64 = 72;

/// The stored password of an account whose owner has not chosen one yet: not a PHC string, so
/// no password ever matches it (`auth::verify_password`).
pub const NO_PASSWORD_YET: &str = "!unset";

/// Why a set-password link was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// A new staff member chooses their first password.
    Invitation,
    /// A staff member who forgot their password chooses a new one.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::Reset => "reset",
        }
    }
    fn parse(s: &str) -> LinkPurpose {
        if s == "invitation" {
            LinkPurpose::Invitation
        } else {
            LinkPurpose::Reset
        }
    }
}

/// A set-password link just issued: its secret is shown once (to the administrator, who passes
/// it on) and only its digest is kept.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuedLink {
    /// Whose account it opens.
    pub user_id: i64,
    pub email: String,
    pub purpose: LinkPurpose,
    /// The link's path (`/welcome/…`); with `public_url` configured, `url` is the whole address.
    pub path: String,
    /// The address to pass on (the path alone when no `public_url` is configured).
    pub url: String,
    /// After this (UTC) the link no longer works.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expires_at: NaiveDateTime,
}

/// The path of a set-password link.
pub fn link_path(secret: &str) -> String {
    format!("/welcome/{secret}")
}

fn issue(
    tx: &mut Tx,
    who: &Who,
    staff: &Staff,
    purpose: LinkPurpose,
    public_url: Option<&str>,
) -> AppResult<IssuedLink> {
    if staff.disabled_at.is_some() {
        return Err(AppError::conflict(
            "error-account-disabled-no-link",
            &[("email", staff.email.clone())],
        ));
    }
    let now = time::now();
    // One link at a time: a new one retires any earlier one still unused.
    retire_links(tx, staff.id, now)?;
    let secret = auth::new_secret();
    let expires_at = now + Duration::hours(LINK_HOURS);
    let id = new_id();
    diesel::insert_into(set_password_links::table)
        .values((
            set_password_links::id.eq(id),
            set_password_links::user_id.eq(staff.id),
            set_password_links::token_hash.eq(auth::digest(&secret)),
            set_password_links::purpose.eq(purpose.as_str()),
            set_password_links::created_by.eq(who.user_id),
            set_password_links::created_at.eq(now),
            set_password_links::expires_at.eq(expires_at),
        ))
        .execute(tx.conn())?;
    let path = link_path(&secret);
    let url = match public_url.map(|u| u.trim_end_matches('/')) {
        Some(base) if !base.is_empty() => format!("{base}{path}"),
        _ => path.clone(),
    };
    Ok(IssuedLink {
        user_id: staff.id,
        email: staff.email.clone(),
        purpose,
        path,
        url,
        expires_at,
    })
}

/// Add a staff member without a password and issue their invitation link.
pub fn invite(
    tx: &mut Tx,
    who: &Who,
    org_id: i64,
    new: &NewStaff,
    public_url: Option<&str>,
) -> AppResult<(Staff, IssuedLink)> {
    let staff = store::add_staff_with_hash(tx, who, org_id, new, NO_PASSWORD_YET)?;
    let link = issue(tx, who, &staff, LinkPurpose::Invitation, public_url)?;
    audit::append(
        tx,
        who,
        Event::new(Action::StaffInvite, "user", Some(staff.id)).detail(format!(
            "{} as {}; set-password link until {} UTC",
            staff.email,
            staff.role,
            link.expires_at.format("%Y-%m-%d %H:%M")
        )),
    )?;
    Ok((staff, link))
}

/// A new set-password link for a staff member (a forgotten password, or an invitation that
/// ran out). Their sessions end now: whoever holds one, they choose a new password before
/// anything else (their API tokens are their own credentials and stay).
pub fn new_password_link(
    tx: &mut Tx,
    who: &Who,
    staff_id: i64,
    public_url: Option<&str>,
) -> AppResult<IssuedLink> {
    let staff = staff_by_id(tx.conn(), staff_id)?.ok_or(AppError::NotFound)?;
    let never_set: bool = users::table
        .find(staff.id)
        .select(users::password_hash.eq(NO_PASSWORD_YET))
        .first(tx.conn())?;
    let purpose = if never_set {
        LinkPurpose::Invitation
    } else {
        LinkPurpose::Reset
    };
    let link = issue(tx, who, &staff, purpose, public_url)?;
    let ended = auth::end_sessions_of(tx, staff.id)?;
    audit::append(
        tx,
        who,
        Event::new(Action::StaffPasswordLink, "user", Some(staff.id)).detail(format!(
            "{} ({}); until {} UTC; {ended} session(s) ended",
            staff.email,
            purpose.as_str(),
            link.expires_at.format("%Y-%m-%d %H:%M")
        )),
    )?;
    Ok(link)
}

/// What a set-password link is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// It works: for this account.
    Usable {
        user_id: i64,
        email: String,
        name: String,
        purpose: LinkPurpose,
        expires_at: NaiveDateTime,
    },
    /// Already used (or replaced by a newer link).
    Used,
    /// Past its time.
    Expired,
    /// No such link (or its account is disabled).
    Unknown,
}

/// Look a link up by its secret.
pub fn link_state(conn: &mut DbConn, secret: &str) -> AppResult<LinkState> {
    if secret.is_empty() || secret.len() > 200 {
        return Ok(LinkState::Unknown);
    }
    type Row = (
        i64,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        String,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = set_password_links::table
        .inner_join(users::table)
        .filter(set_password_links::token_hash.eq(auth::digest(secret)))
        .select((
            users::id,
            set_password_links::purpose,
            set_password_links::expires_at,
            set_password_links::used_at,
            users::email,
            users::name,
            users::disabled_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => LinkState::Unknown,
        Some((.., Some(_))) => LinkState::Unknown,
        Some((_, _, _, Some(_), ..)) => LinkState::Used,
        Some((_, _, expires, ..)) if expires <= time::now() => LinkState::Expired,
        Some((user_id, purpose, expires_at, None, email, name, None)) => LinkState::Usable {
            user_id,
            email,
            name,
            purpose: LinkPurpose::parse(&purpose),
            expires_at,
        },
    })
}

/// The link's owner chooses their password (checked by `auth::check_new_password`, field
/// `password`, and repeated in `confirm`). The link is used up in the same transaction, only
/// if still unused (two tabs cannot both use it), and any session of the account ends. Returns
/// the account's e-mail, for the sign-in page.
pub fn set_password(
    tx: &mut Tx,
    secret: &str,
    password: &str,
    confirm: &str,
    client_addr: &str,
) -> AppResult<String> {
    let (user_id, email, name, purpose) = match link_state(tx.conn(), secret)? {
        LinkState::Usable {
            user_id,
            email,
            name,
            purpose,
            ..
        } => (user_id, email, name, purpose),
        LinkState::Used => {
            return Err(AppError::conflict("error-link-used", &[]));
        }
        LinkState::Expired => {
            return Err(AppError::conflict("error-link-expired", &[]));
        }
        LinkState::Unknown => return Err(AppError::NotFound),
    };
    auth::check_new_password(password, &[&email, &name])
        .map_err(|m| AppError::said("password", m))?;
    if confirm != password {
        return Err(AppError::keyed(
            "confirm_password",
            "error-password-mismatch",
            &[],
        ));
    }
    let now = time::now();
    let used = diesel::update(
        set_password_links::table
            .filter(set_password_links::token_hash.eq(auth::digest(secret)))
            .filter(set_password_links::used_at.is_null()),
    )
    .set(set_password_links::used_at.eq(Some(now)))
    .execute(tx.conn())?;
    if used != 1 {
        return Err(AppError::conflict("error-link-used", &[]));
    }
    let hash = auth::hash_password(password)?;
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(tx.conn())?;
    let ended = auth::end_sessions_of(tx, user_id)?;
    let org: i64 = users::table
        .find(user_id)
        .select(users::org_id)
        .first(tx.conn())?;
    audit::append(
        tx,
        &Who {
            user_id: Some(user_id),
            org_id: Some(org),
            label: email.clone(),
            client_addr: client_addr.to_string(),
        },
        Event::new(Action::PasswordSetByLink, "user", Some(user_id)).detail(format!(
            "{} link; {ended} session(s) ended",
            purpose.as_str()
        )),
    )?;
    Ok(email)
}

/// A staff member by id.
pub fn staff_by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Staff>> {
    Ok(users::table
        .find(id)
        .select(Staff::as_select())
        .first(conn)
        .optional()?)
}

/// The organisation of a staff member, if they exist (for the access check).
pub fn staff_org(conn: &mut DbConn, id: i64) -> AppResult<Option<i64>> {
    Ok(users::table
        .find(id)
        .select(users::org_id)
        .first(conn)
        .optional()?)
}

/// Disable an account: it signs in no more, and its sessions, API tokens and unused
/// set-password links stop at once. An administrator cannot disable themselves, and an
/// organisation keeps at least one enabled admin.
pub fn disable(tx: &mut Tx, who: &Who, staff_id: i64) -> AppResult<Staff> {
    let staff = staff_by_id(tx.conn(), staff_id)?.ok_or(AppError::NotFound)?;
    if who.user_id == Some(staff.id) {
        return Err(AppError::conflict("error-disable-own-account", &[]));
    }
    if staff.disabled_at.is_some() {
        return Ok(staff);
    }
    if staff.role == Role::Admin.as_str() {
        let other_admins: i64 = users::table
            .filter(users::org_id.eq(staff.org_id))
            .filter(users::role.eq(Role::Admin.as_str()))
            .filter(users::disabled_at.is_null())
            .filter(users::id.ne(staff.id))
            .count()
            .get_result(tx.conn())?;
        if other_admins == 0 {
            return Err(AppError::conflict(
                "error-last-administrator",
                &[("email", staff.email.clone())],
            ));
        }
    }
    let now = time::now();
    diesel::update(users::table.find(staff.id))
        .set(users::disabled_at.eq(Some(now)))
        .execute(tx.conn())?;
    let sessions = auth::end_sessions_of(tx, staff.id)?;
    let tokens = diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(staff.id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(now)))
    .execute(tx.conn())?;
    retire_links(tx, staff.id, now)?;
    audit::append(
        tx,
        who,
        Event::new(Action::StaffDisable, "user", Some(staff.id)).detail(format!(
            "{}; {sessions} session(s) ended, {tokens} token(s) revoked",
            staff.email
        )),
    )?;
    staff_by_id(tx.conn(), staff.id)?.ok_or(AppError::NotFound)
}

/// Remove a staff member's second factor and recovery codes (a lost phone): they set up a new
/// one at their next sign-in when it is required of them. Their sessions end now.
pub fn reset_mfa(tx: &mut Tx, who: &Who, staff_id: i64) -> AppResult<Staff> {
    let staff = staff_by_id(tx.conn(), staff_id)?.ok_or(AppError::NotFound)?;
    crate::platform::mfa::reset(tx, staff.id)?;
    let ended = auth::end_sessions_of(tx, staff.id)?;
    audit::append(
        tx,
        who,
        Event::new(Action::MfaReset, "user", Some(staff.id))
            .detail(format!("{}; {ended} session(s) ended", staff.email)),
    )?;
    Ok(staff)
}

/// Mark every unused set-password link of the user as used: none of them works any more.
fn retire_links(tx: &mut Tx, user_id: i64, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(
        set_password_links::table
            .filter(set_password_links::user_id.eq(user_id))
            .filter(set_password_links::used_at.is_null()),
    )
    .set(set_password_links::used_at.eq(Some(now)))
    .execute(tx.conn())?)
}
