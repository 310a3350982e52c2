//! After sign-in: the second step, re-authentication within the last minutes, the list of
//! signed-in devices, ending them, and changing one's password.

use super::*;

/// End every session of a user (disabled, second factor reset, new set-password link). Returns
/// how many ended.
pub fn end_sessions_of(tx: &mut Tx, user_id: i64) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(tx.conn())?)
}

/// The signed-in user enters their password again before a sensitive step (emergency access):
/// a wrong or missing password is a field error on `password`. The hash is checked even when
/// the user has none, so the answer takes the same time either way.
pub fn reauthenticate(conn: &mut DbConn, user_id: i64, password: &str) -> AppResult<()> {
    let hash: Option<String> = users::table
        .find(user_id)
        .filter(users::disabled_at.is_null())
        .select(users::password_hash)
        .first(conn)
        .optional()?;
    let ok = verify_password(password, hash.as_deref().unwrap_or(dummy_hash())) && hash.is_some();
    if ok {
        Ok(())
    } else {
        Err(AppError::keyed("password", "error-password-confirm", &[]))
    }
}

/// A signed-in session that still owes its second factor: the user, and `verify` or `enrol`.
/// `done` sessions are returned too (a signed-in user setting up a second factor on their
/// own), with the same idle and absolute limits as [`session_actor`].
pub fn session_step(
    conn: &mut DbConn,
    config: &Config,
    secret: &str,
    client_addr: &str,
) -> AppResult<Option<(Actor, String)>> {
    let Some(session) = session_row(conn, &digest(secret))? else {
        return Ok(None);
    };
    if session.expired(config, time::now()) {
        return Ok(None);
    }
    match enabled_actor_row(conn, session.user_id)? {
        Some(r) => Ok(Some((
            actor_from_row(r, client_addr, Via::Session)?,
            session.mfa_state,
        ))),
        None => Ok(None),
    }
}

/// How a second-factor attempt ended.
#[derive(Debug)]
pub enum SecondFactor {
    Passed(crate::platform::mfa::Passed),
    Failed,
    Throttled(crate::platform::error::Said),
}

/// Check the second factor of a session that owes it. Wrong codes count as sign-in failures of
/// the (account, address) pair, so guessing codes is slowed exactly as guessing passwords is;
/// every outcome is audited against the account's organisation.
pub async fn second_factor(
    db: &Db,
    config: &Config,
    actor: &Actor,
    secret: &str,
    code: &str,
) -> AppResult<SecondFactor> {
    let now = time::now();
    let since = now - Duration::minutes(config.signin_throttle_minutes);
    let (email, addr) = (actor.email.clone(), actor.client_addr.clone());
    let (e2, a2) = (email.clone(), addr.clone());
    let pair = db
        .run(move |conn| pair_failures(conn, &e2, &a2, since))
        .await?;
    let cap = Duration::minutes(config.signin_throttle_minutes);
    if let Some(wait) = throttle_wait(pair.0, config.signin_free_failures, pair.1, now, cap) {
        return Ok(SecondFactor::Throttled(crate::platform::error::Said::new(
            "error-too-many-codes",
            &[("seconds", wait.num_seconds().max(1).to_string())],
        )));
    }
    let (actor, secret, code) = (actor.clone(), secret.to_string(), code.to_string());
    db.write(
        move |tx| match crate::platform::mfa::verify(tx, actor.user_id, &code)? {
            Some(passed) => {
                finish_second_factor(tx, &secret)?;
                audit::append(
                    tx,
                    &actor.who(),
                    Event::new(Action::SigninSecondFactor, "user", Some(actor.user_id)).detail(
                        match passed {
                            crate::platform::mfa::Passed::Totp => "authenticator code",
                            crate::platform::mfa::Passed::RecoveryCode => {
                                "recovery code (now used up)"
                            }
                        },
                    ),
                )?;
                Ok(SecondFactor::Passed(passed))
            }
            None => {
                record_failure(tx, &email, &addr, now)?;
                audit::append(
                    tx,
                    &actor.who(),
                    Event::new(
                        Action::SigninSecondFactorFailure,
                        "user",
                        Some(actor.user_id),
                    ),
                )?;
                Ok(SecondFactor::Failed)
            }
        },
    )
    .await
}

/// Mark a session's second factor as done (after enrolment).
pub fn finish_second_factor(tx: &mut Tx, secret: &str) -> AppResult<()> {
    diesel::update(sessions::table.find(digest(secret)))
        .set(sessions::mfa_state.eq("done"))
        .execute(tx.conn())?;
    Ok(())
}

/// A user changes their own password: the current one must be right (checked first), the new
/// one must meet [`check_new_password`] and differ from it. Every other session of theirs ends
/// (a stolen session does not outlive the change); the one making the change stays.
pub fn change_password(
    tx: &mut Tx,
    actor: &Actor,
    current_secret: Option<&str>,
    current: &str,
    new: &str,
) -> AppResult<()> {
    reauthenticate(tx.conn(), actor.user_id, current)
        .map_err(|_| AppError::keyed("current_password", "error-password-not-current", &[]))?;
    check_new_password(new, &[&actor.email, &actor.name])
        .map_err(|m| AppError::said("new_password", m))?;
    if new == current {
        return Err(AppError::keyed("new_password", "error-password-same", &[]));
    }
    let hash = hash_password(new)?;
    diesel::update(users::table.find(actor.user_id))
        .set(users::password_hash.eq(hash))
        .execute(tx.conn())?;
    let ended = delete_other_sessions(tx, actor.user_id, current_secret)?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::PasswordChange, "user", Some(actor.user_id))
            .detail(format!("{ended} other session(s) ended")),
    )?;
    Ok(())
}

/// Minutes within which a session must have proved its password before a sensitive step
/// (participant-level exports): OWASP ASVS 3.7.1.
pub const RECENT_MINUTES: i64 = 5;

/// Did this session sign in, or confirm its password, within [`RECENT_MINUTES`]?
pub fn recently_authenticated(conn: &mut DbConn, secret: &str) -> AppResult<bool> {
    let row: Option<(NaiveDateTime, Option<NaiveDateTime>)> = sessions::table
        .find(digest(secret))
        .filter(sessions::mfa_state.eq("done"))
        .select((sessions::created_at, sessions::authenticated_at))
        .first(conn)
        .optional()?;
    Ok(row.is_some_and(|(created, confirmed)| {
        time::now() - confirmed.unwrap_or(created) <= Duration::minutes(RECENT_MINUTES)
    }))
}

/// The signed-in user confirmed their password: the session counts as recently authenticated.
pub fn confirm_session(tx: &mut Tx, actor: &Actor, secret: &str) -> AppResult<()> {
    diesel::update(sessions::table.find(digest(secret)))
        .set(sessions::authenticated_at.eq(Some(time::now())))
        .execute(tx.conn())?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::SessionReauthenticate, "user", Some(actor.user_id)),
    )?;
    Ok(())
}

/// API tokens expire after this many days unless the organisation's administrators set another
/// lifetime ([`token_lifetime_days`]) or the operator who creates one sets otherwise
/// (`token create --expires-in DAYS`).
pub const TOKEN_DEFAULT_DAYS: i64 = 90;

/// One signed-in device (session) of a user, as they see it on their account page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// A short, stable reference to the session (never its secret).
    pub reference: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub signed_in_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub last_seen_at: NaiveDateTime,
    /// The address it signed in from.
    pub client_addr: String,
    /// This is the session making the request.
    pub current: bool,
}

/// The user's sessions, newest first.
pub fn sessions_of(
    conn: &mut DbConn,
    user_id: i64,
    current_secret: Option<&str>,
) -> AppResult<Vec<SessionView>> {
    let current = current_secret.map(digest);
    let rows: Vec<(String, NaiveDateTime, NaiveDateTime, String)> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order(sessions::created_at.desc())
        .select((
            sessions::token_hash,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::client_addr,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(hash, signed_in_at, last_seen_at, client_addr)| SessionView {
                reference: hash.chars().take(12).collect(),
                current: current.as_deref() == Some(hash.as_str()),
                signed_in_at,
                last_seen_at,
                client_addr,
            },
        )
        .collect())
}

/// End every session of the actor except the one making the request (all of them when the
/// request is not made by a session). Returns how many ended.
pub fn end_other_sessions(
    tx: &mut Tx,
    actor: &Actor,
    current_secret: Option<&str>,
) -> AppResult<usize> {
    let n = delete_other_sessions(tx, actor.user_id, current_secret)?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::SessionEndOthers, "user", Some(actor.user_id))
            .detail(format!("{n} ended")),
    )?;
    Ok(n)
}

/// Delete every session of the user but the one whose secret is `current_secret` (all of them
/// when there is none). Returns how many were deleted.
fn delete_other_sessions(
    tx: &mut Tx,
    user_id: i64,
    current_secret: Option<&str>,
) -> AppResult<usize> {
    let keep = current_secret.map(digest).unwrap_or_default();
    Ok(diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(tx.conn())?)
}
