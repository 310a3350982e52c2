//! Signing in: the password checked off the async runtime, failures throttled per (account,
//! address) pair, and the actor a session or a bearer token stands for.

use super::*;

pub(super) fn actor_from_row(row: ActorRow, client_addr: &str, via: Via) -> AppResult<Actor> {
    let (user_id, org_id, email, name, role, _hash, _disabled, org_kind, org_name, zone, language) =
        row;
    Ok(Actor {
        user_id,
        org_id,
        org_kind: OrgKind::parse(&org_kind)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad org kind {org_kind}")))?,
        org_name,
        zone: crate::platform::time::Zone::from_stored(zone.as_deref()),
        role: Role::parse(&role)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad role {role}")))?,
        email,
        name,
        client_addr: client_addr.to_string(),
        via,
        language: language
            .as_deref()
            .and_then(crate::platform::i18n::Language::parse),
    })
}

#[diesel::dsl::auto_type(no_type_alias)]
pub(super) fn actor_query() -> _ {
    users::table.inner_join(organisations::table).select((
        users::id,
        users::org_id,
        users::email,
        users::name,
        users::role,
        users::password_hash,
        users::disabled_at,
        organisations::kind,
        organisations::name,
        organisations::time_zone,
        users::language,
    ))
}

/// The account row of an enabled user (a disabled one signs in nowhere).
pub(super) fn enabled_actor_row(conn: &mut DbConn, user_id: i64) -> AppResult<Option<ActorRow>> {
    let row: Option<ActorRow> = actor_query()
        .filter(users::id.eq(user_id))
        .first(conn)
        .optional()?;
    Ok(row.filter(|r| r.6.is_none()))
}

/// A stored session, found by the digest of its secret.
pub(super) struct SessionRow {
    pub user_id: i64,
    pub created: NaiveDateTime,
    pub last_seen: NaiveDateTime,
    /// `verify` or `enrol` while the second factor is owed, then `done`.
    pub mfa_state: String,
}

impl SessionRow {
    /// Idle too long, or signed in too long ago however active (ASVS 3.3.1, 3.3.4).
    pub fn expired(&self, config: &Config, now: NaiveDateTime) -> bool {
        now - self.last_seen > Duration::minutes(config.session_idle_minutes)
            || now - self.created > Duration::hours(config.session_absolute_hours)
    }
}

pub(super) fn session_row(conn: &mut DbConn, key: &str) -> AppResult<Option<SessionRow>> {
    let found: Option<(i64, NaiveDateTime, NaiveDateTime, String)> = sessions::table
        .find(key)
        .select((
            sessions::user_id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::mfa_state,
        ))
        .first(conn)
        .optional()?;
    Ok(
        found.map(|(user_id, created, last_seen, mfa_state)| SessionRow {
            user_id,
            created,
            last_seen,
            mfa_state,
        }),
    )
}

/// Normalise an e-mail address for lookup.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How a sign-in attempt ended. Failures are outcomes, not errors, so the transaction that
/// records them (failure counter, audit entry) commits.
#[derive(Debug)]
pub enum SignIn {
    /// The new session's secret (for the cookie), who signed in, and what the session still
    /// needs before it opens anything: `done`, `verify` (the second factor) or `enrol` (set one
    /// up first).
    Success(String, Actor, &'static str),
    /// Wrong e-mail, wrong password or disabled account (deliberately not told apart).
    Failed,
    /// Too many recent failures for this account or address.
    Throttled(crate::platform::error::Said),
}

/// At most this many password hashes are computed at once (Argon2id is CPU- and
/// memory-bound: 19 MiB each); further sign-ins wait their turn.
pub(super) static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

type HashJob = (String, Option<String>, tokio::sync::oneshot::Sender<bool>);

/// Two long-lived threads check passwords. Argon2id allocates 19 MiB per hash; on the runtime's
/// blocking pool every new thread would keep its own malloc arena full of such buffers, so a
/// burst of sign-ins would leave hundreds of MB resident.
pub(super) fn hashers() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<HashJob>> {
    static POOL: std::sync::OnceLock<std::sync::Mutex<std::sync::mpsc::Sender<HashJob>>> =
        std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<HashJob>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..2 {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("password-hasher-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok((pw, hash, reply)) = job else { return };
                        let ok = match hash {
                            Some(h) if PasswordHash::new(&h).is_ok() => verify_password(&pw, &h),
                            // No account, or one whose password was never set (an invitation
                            // not yet taken up): checked against a dummy hash, as long.
                            _ => {
                                verify_password(&pw, dummy_hash());
                                false
                            }
                        };
                        let _ = reply.send(ok);
                    }
                });
        }
        std::sync::Mutex::new(tx)
    })
}

/// Check a password on the hashing threads (a missing account is checked against a dummy hash,
/// so it takes as long).
async fn verify_on_hashers(password: String, hash: Option<String>) -> AppResult<bool> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    hashers()
        .lock()
        .map_err(|_| AppError::internal(anyhow::anyhow!("password hashers unavailable")))?
        .send((password, hash, reply))
        .map_err(AppError::internal)?;
    answer.await.map_err(AppError::internal)
}

/// This account's failed sign-ins (password or second factor) from this address since `since`:
/// how many, and the latest.
pub(super) fn pair_failures(
    conn: &mut DbConn,
    email: &str,
    addr: &str,
    since: NaiveDateTime,
) -> AppResult<(i64, Option<NaiveDateTime>)> {
    Ok(signin_failures::table
        .filter(signin_failures::email.eq(email))
        .filter(signin_failures::client_addr.eq(addr))
        .filter(signin_failures::at.gt(since))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(signin_failures::at),
        ))
        .first(conn)?)
}

/// Count a failed sign-in (password or second factor) against the (account, address) pair.
pub(super) fn record_failure(
    tx: &mut Tx,
    email: &str,
    addr: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(signin_failures::table)
        .values((
            signin_failures::id.eq(new_id()),
            signin_failures::email.eq(email),
            signin_failures::client_addr.eq(addr),
            signin_failures::at.eq(at),
        ))
        .execute(tx.conn())?;
    Ok(())
}

/// How long a caller must still wait after `failures` failures (the latest at `latest`) when
/// `free` are allowed without waiting: 1 s after the first over the limit, doubling with each
/// further one, never more than `cap` (OWASP ASVS 2.2.1: throttling without locking an account
/// for everyone). `None` when they may try now.
pub fn throttle_wait(
    failures: i64,
    free: i64,
    latest: Option<NaiveDateTime>,
    now: NaiveDateTime,
    cap: Duration,
) -> Option<Duration> {
    let over = failures - free;
    let latest = latest?;
    if over < 0 {
        return None;
    }
    let delay = Duration::seconds(1i64 << over.min(20)).min(cap);
    let until = latest + delay;
    (now < until).then(|| until - now)
}

/// Try to sign in. Every outcome is audited; throttled attempts are refused before the
/// password is checked. Throttling slows the pair (account, address) with growing waits, and an
/// address only when many different accounts fail from it; no account is ever locked for
/// everyone, so a person behind a facility's shared address, or the account's owner elsewhere,
/// signs in with the right password while an attacker waits. The password is checked outside any transaction, so a sign-in never
/// holds the database's write lock while hashing.
pub async fn sign_in(
    db: &Db,
    config: &Config,
    email: &str,
    password: &str,
    client_addr: &str,
) -> AppResult<SignIn> {
    let email = normalise_email(email);
    let now = time::now();
    let since = now - Duration::minutes(config.signin_throttle_minutes);
    let (e2, a2) = (email.clone(), client_addr.to_string());
    let (pair, spray, row) = db
        .run(move |conn| {
            let pair = pair_failures(conn, &e2, &a2, since)?;
            // Other accounts failing from this address (spraying), and the latest failure.
            let others: Vec<(String, NaiveDateTime)> = signin_failures::table
                .filter(signin_failures::client_addr.eq(&a2))
                .filter(signin_failures::email.ne(&e2))
                .filter(signin_failures::at.gt(since))
                .select((signin_failures::email, signin_failures::at))
                .load(conn)?;
            let mut accounts: Vec<&str> = others.iter().map(|(e, _)| e.as_str()).collect();
            accounts.sort_unstable();
            accounts.dedup();
            let spray = (
                accounts.len() as i64,
                others.iter().map(|(_, at)| *at).max(),
            );
            let row: Option<ActorRow> = actor_query()
                .filter(users::email.eq(&e2))
                .first(conn)
                .optional()?;
            Ok((pair, spray, row))
        })
        .await?;
    // A failed or throttled attempt on an existing account is recorded against the account's
    // organisation, so its admins and auditors see attempts on their accounts in the audit log
    // (HIPAA Security Rule, 45 CFR 164.308(a)(5)(ii)(C): log-in monitoring). The attempt is not
    // the account holder's act, so no user is named as actor; the account is the record. An
    // unknown e-mail stays without an organisation: naming one would tell who has an account.
    let anonymous = Who {
        user_id: None,
        org_id: row.as_ref().map(|r| r.1),
        label: email.clone(),
        client_addr: client_addr.to_string(),
    };
    let account = row.as_ref().map(|r| r.0);
    let cap = Duration::minutes(config.signin_throttle_minutes);
    let waits = [
        (
            "this account from this address",
            throttle_wait(pair.0, config.signin_free_failures, pair.1, now, cap),
        ),
        (
            "this address",
            throttle_wait(
                spray.0,
                config.signin_max_accounts_per_address,
                spray.1,
                now,
                cap,
            ),
        ),
    ];
    if let Some((scope, wait)) = waits
        .into_iter()
        .filter_map(|(scope, w)| w.map(|w| (scope, w)))
        .max_by_key(|(_, w)| *w)
    {
        db.write(move |tx| {
            audit::append(
                tx,
                &anonymous,
                Event::new(Action::SigninThrottled, "user", account)
                    .detail(format!("too many failures for {scope}")),
            )
        })
        .await?;
        return Ok(SignIn::Throttled(crate::platform::error::Said::new(
            "error-too-many-sign-ins",
            &[("seconds", wait.num_seconds().max(1).to_string())],
        )));
    }
    let permit = HASHING.acquire().await.map_err(AppError::internal)?;
    let hash = row.as_ref().map(|r| r.5.clone());
    let ok = verify_on_hashers(password.to_string(), hash).await?;
    drop(permit);
    let row = row.filter(|r| ok && r.6.is_none());
    let addr = client_addr.to_string();
    let cfg = config.clone();
    db.write(move |tx| {
        let Some(row) = row else {
            record_failure(tx, &email, &addr, now)?;
            audit::append(
                tx,
                &anonymous,
                Event::new(Action::SigninFailure, "user", account),
            )?;
            return Ok(SignIn::Failed);
        };
        let actor = actor_from_row(row, &addr, Via::Session)?;
        // The password is right; a second factor may still be due (OWASP ASVS 2.2, CJIS
        // advanced authentication). Until it is passed the session opens nothing.
        let mfa_state = if crate::platform::mfa::enabled(tx.conn(), actor.user_id)? {
            "verify"
        } else if crate::platform::mfa::required(
            &cfg,
            actor.role,
            crate::platform::mfa::org_requires_all(tx.conn(), actor.org_id)?,
        ) {
            "enrol"
        } else {
            "done"
        };
        let secret = new_secret();
        diesel::insert_into(sessions::table)
            .values((
                sessions::token_hash.eq(digest(&secret)),
                sessions::user_id.eq(actor.user_id),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
                sessions::client_addr.eq(&addr),
                sessions::mfa_state.eq(mfa_state),
            ))
            .execute(tx.conn())?;
        audit::append(
            tx,
            &actor.who(),
            Event::new(Action::SigninSuccess, "user", Some(actor.user_id))
                .detail(format!("password; second factor: {mfa_state}")),
        )?;
        Ok(SignIn::Success(secret, actor, mfa_state))
    })
    .await
}

/// The actor behind a session cookie, if the session exists, is not idle too long, and its
/// user is enabled. Refreshes the last-seen time (at most once a minute).
pub fn session_actor(
    conn: &mut DbConn,
    config: &Config,
    secret: &str,
    client_addr: &str,
) -> AppResult<Option<Actor>> {
    let key = digest(secret);
    // A session whose second factor is still due opens nothing.
    let Some(session) = session_row(conn, &key)?.filter(|f| f.mfa_state == "done") else {
        return Ok(None);
    };
    let now = time::now();
    if session.expired(config, now) {
        diesel::delete(sessions::table.find(&key)).execute(conn)?;
        return Ok(None);
    }
    let Some(row) = enabled_actor_row(conn, session.user_id)? else {
        return Ok(None);
    };
    if now - session.last_seen > Duration::seconds(60) {
        diesel::update(sessions::table.find(&key))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    actor_from_row(row, client_addr, Via::Session).map(Some)
}

/// The actor behind an API bearer token, if it exists, is not expired or revoked, and its user
/// is enabled. Notes when it was last used (at most once a minute).
pub fn token_actor(conn: &mut DbConn, token: &str, client_addr: &str) -> AppResult<Option<Actor>> {
    let now = time::now();
    type Found = (
        i64,
        i64,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let found: Option<Found> = api_tokens::table
        .filter(api_tokens::token_hash.eq(digest(token)))
        .select((
            api_tokens::id,
            api_tokens::user_id,
            api_tokens::expires_at,
            api_tokens::revoked_at,
            api_tokens::last_used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, user_id, expires, revoked, last_used)) = found else {
        return Ok(None);
    };
    if revoked.is_some() || expires.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let Some(row) = enabled_actor_row(conn, user_id)? else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| now - t > Duration::seconds(60)) {
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(Some(now)))
            .execute(conn)?;
    }
    actor_from_row(row, client_addr, Via::Token).map(Some)
}

/// End a session.
pub fn sign_out(tx: &mut Tx, actor: &Actor, secret: &str) -> AppResult<()> {
    diesel::delete(sessions::table.find(digest(secret))).execute(tx.conn())?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::Signout, "user", Some(actor.user_id)),
    )?;
    Ok(())
}
