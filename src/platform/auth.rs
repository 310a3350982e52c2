//! Sign-in: Argon2id password hashes, database-backed sessions (so several app instances share
//! them), API bearer tokens (stored only as SHA-256 digests), throttling of failed sign-ins per
//! account and per client address, and sign-out after inactivity.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::access::{Actor, OrgKind, Role, Via};
use super::audit::{self, Event, Who};
use super::config::Config;
use super::db::{Db, DbConn, Tx};
use super::error::{AppError, AppResult};
use super::ids::new_id;
use super::schema::{api_tokens, organisations, sessions, signin_failures, users};
use super::time;

/// Hash a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("hashing: {e}")))
}

/// Check a password against a stored hash; malformed hashes never match.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random secret (256 bits), URL-safe.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The CSRF token bound to a session: a one-way function of the session's secret, which is
/// itself a 256-bit random value the browser keeps in an `HttpOnly` cookie. A page's forms
/// carry it; a token taken from another session never matches (ASVS 4.2.2). Every instance
/// derives the same token without sharing a key.
pub fn csrf_token(session_secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"throughcare csrf v1\x1f");
    h.update(session_secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// The stored form of a secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The strength a new password must reach on zxcvbn's 0-4 scale: 3 means its estimate of the
/// guesses needed is at least 10^8. zxcvbn matches the password against its compiled-in lists
/// of common passwords (30,000 from leaked sets), English words, names and surnames, with
/// l33t substitutions, repeats, sequences and keyboard walks, and against the words given in
/// `about` (decision 0021).
const MIN_PASSWORD_SCORE: u8 = 3;

/// Rules a new password must meet (every place one is chosen: the set-password link, changing
/// one's own, the command line). NIST SP 800-63B 5.1.1.2: at least 8 characters (we ask 12),
/// at least 64 allowed (we allow 1024 bytes), any characters, no composition rules, and
/// "compare the prospective secrets against a list that contains values known to be
/// commonly-used, expected, or compromised", including "dictionary words", "repetitive or
/// sequential characters" and "context-specific words, such as the name of the service, the
/// username, and derivatives thereof": `about` carries the account's e-mail and name, and the
/// service's name is always added. The message says why, so the user can choose better.
pub fn check_new_password(password: &str, about: &[&str]) -> Result<(), String> {
    if password.chars().count() < 12 {
        return Err("must be at least 12 characters".into());
    }
    if password.len() > 1024 {
        return Err("must be at most 1024 bytes".into());
    }
    let mut context: Vec<&str> = vec!["throughcare", "throughcare-demo", "peer recovery"];
    for a in about {
        context.push(a);
        // The parts of an e-mail address and of a name, each a guess an attacker would try.
        context.extend(
            a.split(|c: char| !c.is_alphanumeric())
                .filter(|p| p.chars().count() >= 3),
        );
    }
    let estimate = zxcvbn::zxcvbn(password, &context);
    // zxcvbn counts a sequence of three guessable parts as 10^8 guesses at least, so a password
    // built on the account's own name or e-mail ("jordanalvarez1988") would pass at score 3;
    // such a password must reach the top score (10^10 guesses).
    let uses_context = estimate.sequence().iter().any(|m| match &m.pattern {
        zxcvbn::matching::patterns::MatchPattern::Dictionary(d) => {
            format!("{:?}", d.dictionary_name) == "UserInputs"
        }
        _ => false,
    });
    let needed = if uses_context { 4 } else { MIN_PASSWORD_SCORE };
    if u8::from(estimate.score()) >= needed {
        return Ok(());
    }
    let why = if uses_context {
        " (it is built on your name, your e-mail or the service's name)".to_string()
    } else {
        estimate
            .feedback()
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
            .unwrap_or_default()
    };
    Err(format!(
        "is too common or too easy to guess{why}; choose a longer phrase of several \
         unrelated words"
    ))
}

/// A dummy hash verified against when the account does not exist, so a wrong e-mail takes as
/// long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password at all").unwrap_or_default())
}

type ActorRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    String,
    String,
);

fn actor_from_row(row: ActorRow, client_addr: &str, via: Via) -> AppResult<Actor> {
    let (user_id, org_id, email, name, role, _hash, _disabled, org_kind, org_name) = row;
    Ok(Actor {
        user_id,
        org_id,
        org_kind: OrgKind::parse(&org_kind)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad org kind {org_kind}")))?,
        org_name,
        role: Role::parse(&role)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad role {role}")))?,
        email,
        name,
        client_addr: client_addr.to_string(),
        via,
    })
}

#[diesel::dsl::auto_type(no_type_alias)]
fn actor_query() -> _ {
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
    ))
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
    Throttled(String),
}

/// At most this many password hashes are computed at once (Argon2id is CPU- and
/// memory-bound: 19 MiB each); further sign-ins wait their turn.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

type HashJob = (String, Option<String>, tokio::sync::oneshot::Sender<bool>);

/// Two long-lived threads check passwords. Argon2id allocates 19 MiB per hash; on the runtime's
/// blocking pool every new thread would keep its own malloc arena full of such buffers, so a
/// burst of sign-ins would leave hundreds of MB resident.
fn hashers() -> &'static std::sync::Mutex<std::sync::mpsc::Sender<HashJob>> {
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
fn pair_failures(
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
fn record_failure(tx: &mut Tx, email: &str, addr: &str, at: NaiveDateTime) -> AppResult<()> {
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
                Event::new("signin.throttled", "user", account)
                    .detail(format!("too many failures for {scope}")),
            )
        })
        .await?;
        return Ok(SignIn::Throttled(format!(
            "Too many failed sign-ins. Try again in {} seconds.",
            wait.num_seconds().max(1)
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
                Event::new("signin.failure", "user", account),
            )?;
            return Ok(SignIn::Failed);
        };
        let actor = actor_from_row(row, &addr, Via::Session)?;
        // The password is right; a second factor may still be due (OWASP ASVS 2.2, CJIS
        // advanced authentication). Until it is passed the session opens nothing.
        let mfa_state = if super::mfa::enabled(tx.conn(), actor.user_id)? {
            "verify"
        } else if super::mfa::required(
            &cfg,
            actor.role,
            super::mfa::org_requires_all(tx.conn(), actor.org_id)?,
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
            Event::new("signin.success", "user", Some(actor.user_id))
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
    let found: Option<(i64, NaiveDateTime, NaiveDateTime, String)> = sessions::table
        .find(&key)
        .select((
            sessions::user_id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::mfa_state,
        ))
        .first(conn)
        .optional()?;
    // A session whose second factor is still due opens nothing.
    let Some((user_id, created, last_seen, _)) = found.filter(|f| f.3 == "done") else {
        return Ok(None);
    };
    let now = time::now();
    // Idle too long, or signed in too long ago however active (ASVS 3.3.1, 3.3.4).
    if now - last_seen > Duration::minutes(config.session_idle_minutes)
        || now - created > Duration::hours(config.session_absolute_hours)
    {
        diesel::delete(sessions::table.find(&key)).execute(conn)?;
        return Ok(None);
    }
    let row: Option<ActorRow> = actor_query()
        .filter(users::id.eq(user_id))
        .first(conn)
        .optional()?;
    let Some(row) = row.filter(|r| r.6.is_none()) else {
        return Ok(None);
    };
    if now - last_seen > Duration::seconds(60) {
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
    let row: Option<ActorRow> = actor_query()
        .filter(users::id.eq(user_id))
        .first(conn)
        .optional()?;
    let Some(row) = row.filter(|r| r.6.is_none()) else {
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
        Event::new("signout", "user", Some(actor.user_id)),
    )?;
    Ok(())
}

/// Issue an API token for a user; returns `(token id, secret)`. Only the digest is stored.
/// Without `expires_in_days` it lives as long as the user's organisation says
/// ([`token_lifetime_days`], 90 days unless an administrator changed it).
pub fn create_token(
    tx: &mut Tx,
    who: &Who,
    user_id: i64,
    expires_in_days: Option<i64>,
) -> AppResult<(i64, String)> {
    create_labelled_token(tx, who, user_id, expires_in_days, None)
}

/// [`create_token`] with a label its owner chose ("reporting script").
pub fn create_labelled_token(
    tx: &mut Tx,
    who: &Who,
    user_id: i64,
    expires_in_days: Option<i64>,
    label: Option<&str>,
) -> AppResult<(i64, String)> {
    let days = match expires_in_days {
        Some(d) => d,
        None => {
            let org: i64 = users::table
                .find(user_id)
                .select(users::org_id)
                .first(tx.conn())?;
            token_lifetime_days(tx.conn(), org)?
        }
    };
    let secret = format!("tc_{}", new_secret());
    let id = new_id();
    let now = time::now();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(id),
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(digest(&secret)),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(Some(now + Duration::days(days))),
            api_tokens::label.eq(label),
        ))
        .execute(tx.conn())?;
    audit::append(
        tx,
        who,
        Event::new("token.create", "api_token", Some(id))
            .detail(format!("user {user_id}; expires in {days} days")),
    )?;
    Ok((id, secret))
}

/// Revoke a token by its secret or its id.
pub fn revoke_token(tx: &mut Tx, who: &Who, secret_or_id: &str) -> AppResult<i64> {
    let by_id = secret_or_id.parse::<i64>().ok();
    let id: Option<i64> = match by_id {
        Some(id) => api_tokens::table
            .find(id)
            .select(api_tokens::id)
            .first(tx.conn())
            .optional()?,
        None => api_tokens::table
            .filter(api_tokens::token_hash.eq(digest(secret_or_id)))
            .select(api_tokens::id)
            .first(tx.conn())
            .optional()?,
    };
    let id = id.ok_or(AppError::NotFound)?;
    revoke_token_by_id(tx, who, id)?;
    Ok(id)
}

/// Revoke one token (callers have checked whose it is): it stops at once. Revoking a revoked
/// token keeps the first revocation's time.
pub fn revoke_token_by_id(tx: &mut Tx, who: &Who, id: i64) -> AppResult<()> {
    let owner: i64 = api_tokens::table
        .find(id)
        .select(api_tokens::user_id)
        .first(tx.conn())?;
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(time::now())))
    .execute(tx.conn())?;
    audit::append(
        tx,
        who,
        Event::new("token.revoke", "api_token", Some(id)).detail(format!("user {owner}")),
    )?;
    Ok(())
}

/// Who holds a token: `(user id, their organisation)`.
pub fn token_holder(conn: &mut DbConn, id: i64) -> AppResult<Option<(i64, i64)>> {
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::id.eq(id))
        .select((users::id, users::org_id))
        .first(conn)
        .optional()?)
}

/// One API token as its owner or an administrator sees it: never its secret.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub label: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// When a request last used it (to the minute); none if never.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub last_used_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expires_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub revoked_at: Option<NaiveDateTime>,
    /// Usable now: neither revoked nor expired.
    pub active: bool,
}

/// The tokens of one user (`Some(user)`) or of every user of an organisation, newest first.
pub fn tokens(conn: &mut DbConn, org_id: i64, user_id: Option<i64>) -> AppResult<Vec<TokenView>> {
    let mut q = api_tokens::table
        .inner_join(users::table)
        .filter(users::org_id.eq(org_id))
        .into_boxed();
    if let Some(u) = user_id {
        q = q.filter(users::id.eq(u));
    }
    type Row = (
        i64,
        i64,
        String,
        Option<String>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = q
        .order((api_tokens::created_at.desc(), api_tokens::id.desc()))
        .select((
            api_tokens::id,
            users::id,
            users::email,
            api_tokens::label,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::expires_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?;
    let now = time::now();
    Ok(rows
        .into_iter()
        .map(
            |(id, user_id, user_email, label, created_at, last_used_at, expires_at, revoked_at)| {
                TokenView {
                    active: revoked_at.is_none() && expires_at.is_none_or(|e| e > now),
                    id,
                    user_id,
                    user_email,
                    label,
                    created_at,
                    last_used_at,
                    expires_at,
                    revoked_at,
                }
            },
        )
        .collect())
}

/// May this actor create an API token for themselves now? Only from a signed-in browser
/// session (a token never mints another, which would outlive it), and only once they have a
/// second factor when their role or organisation requires one (CJIS advanced authentication:
/// a token is a credential as strong as the sign-in that made it). Re-authentication within
/// [`RECENT_MINUTES`] is the caller's extractor (`RecentlyAuthenticated`).
pub fn may_create_token(conn: &mut DbConn, config: &Config, actor: &Actor) -> AppResult<()> {
    if actor.via != Via::Session {
        return Err(AppError::StepRequired(
            "API tokens are created from a signed-in browser session (your account page), \
             never with another token"
                .into(),
        ));
    }
    let required = super::mfa::required(
        config,
        actor.role,
        super::mfa::org_requires_all(conn, actor.org_id)?,
    );
    if required && !super::mfa::enabled(conn, actor.user_id)? {
        return Err(AppError::StepRequired(
            "set up two-step sign-in first (/sign-in/set-up-second-factor): your role needs it \
             before you create an API token"
                .into(),
        ));
    }
    Ok(())
}

/// A token's label as typed: trimmed, at most 100 characters, none when empty.
pub fn parse_token_label(raw: Option<&str>) -> AppResult<Option<String>> {
    let label = raw.map(str::trim).filter(|l| !l.is_empty());
    match label {
        Some(l) if l.chars().count() > 100 || l.chars().any(char::is_control) => Err(
            AppError::invalid("label", "use at most 100 characters, on one line"),
        ),
        other => Ok(other.map(str::to_string)),
    }
}

/// The `org_settings` key of an organisation's API token lifetime.
pub const TOKEN_LIFETIME_KEY: &str = "token_lifetime_days";
/// The range an administrator may set the token lifetime to, in days.
pub const TOKEN_LIFETIME_RANGE: std::ops::RangeInclusive<i64> = 1..=365;

#[derive(diesel::QueryableByName)]
struct SettingValue {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// How many days new API tokens of this organisation live ([`TOKEN_DEFAULT_DAYS`] unless an
/// administrator set it). Read from the organisations' settings table with plain SQL: the
/// table belongs to the programme settings, which the platform does not depend on.
pub fn token_lifetime_days(conn: &mut DbConn, org_id: i64) -> AppResult<i64> {
    let rows: Vec<SettingValue> =
        diesel::sql_query("SELECT value FROM org_settings WHERE org_id = $1 AND key = $2")
            .bind::<diesel::sql_types::BigInt, _>(org_id)
            .bind::<diesel::sql_types::Text, _>(TOKEN_LIFETIME_KEY)
            .load(conn)?;
    Ok(rows
        .first()
        .and_then(|r| r.value.parse::<i64>().ok())
        .filter(|d| TOKEN_LIFETIME_RANGE.contains(d))
        .unwrap_or(TOKEN_DEFAULT_DAYS))
}

/// Set how many days new API tokens of the organisation live (existing tokens keep theirs).
pub fn set_token_lifetime_days(tx: &mut Tx, who: &Who, org_id: i64, days: i64) -> AppResult<()> {
    if !TOKEN_LIFETIME_RANGE.contains(&days) {
        return Err(AppError::invalid(
            "token_lifetime_days",
            format!(
                "must be a whole number of days from {} to {}",
                TOKEN_LIFETIME_RANGE.start(),
                TOKEN_LIFETIME_RANGE.end()
            ),
        ));
    }
    diesel::sql_query("DELETE FROM org_settings WHERE org_id = $1 AND key = $2")
        .bind::<diesel::sql_types::BigInt, _>(org_id)
        .bind::<diesel::sql_types::Text, _>(TOKEN_LIFETIME_KEY)
        .execute(tx.conn())?;
    diesel::sql_query("INSERT INTO org_settings (org_id, key, value) VALUES ($1, $2, $3)")
        .bind::<diesel::sql_types::BigInt, _>(org_id)
        .bind::<diesel::sql_types::Text, _>(TOKEN_LIFETIME_KEY)
        .bind::<diesel::sql_types::Text, _>(days.to_string())
        .execute(tx.conn())?;
    audit::append(
        tx,
        who,
        Event::new("settings.token_lifetime", "organisation", Some(org_id))
            .detail(format!("{days} days")),
    )?;
    Ok(())
}

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
        Err(AppError::invalid(
            "password",
            "enter your own password again to confirm it is you",
        ))
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
    let found: Option<(i64, NaiveDateTime, NaiveDateTime, String)> = sessions::table
        .find(digest(secret))
        .select((
            sessions::user_id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::mfa_state,
        ))
        .first(conn)
        .optional()?;
    let Some((user_id, created, last_seen, state)) = found else {
        return Ok(None);
    };
    let now = time::now();
    if now - last_seen > Duration::minutes(config.session_idle_minutes)
        || now - created > Duration::hours(config.session_absolute_hours)
    {
        return Ok(None);
    }
    let row: Option<ActorRow> = actor_query()
        .filter(users::id.eq(user_id))
        .first(conn)
        .optional()?;
    match row.filter(|r| r.6.is_none()) {
        Some(r) => Ok(Some((actor_from_row(r, client_addr, Via::Session)?, state))),
        None => Ok(None),
    }
}

/// How a second-factor attempt ended.
#[derive(Debug)]
pub enum SecondFactor {
    Passed(super::mfa::Passed),
    Failed,
    Throttled(String),
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
        return Ok(SecondFactor::Throttled(format!(
            "Too many wrong codes. Try again in {} seconds.",
            wait.num_seconds().max(1)
        )));
    }
    let (actor, secret, code) = (actor.clone(), secret.to_string(), code.to_string());
    db.write(
        move |tx| match super::mfa::verify(tx, actor.user_id, &code)? {
            Some(passed) => {
                finish_second_factor(tx, &secret)?;
                audit::append(
                    tx,
                    &actor.who(),
                    Event::new("signin.second_factor", "user", Some(actor.user_id)).detail(
                        match passed {
                            super::mfa::Passed::Totp => "authenticator code",
                            super::mfa::Passed::RecoveryCode => "recovery code (now used up)",
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
                    Event::new("signin.second_factor_failure", "user", Some(actor.user_id)),
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
        .map_err(|_| AppError::invalid("current_password", "that is not your current password"))?;
    check_new_password(new, &[&actor.email, &actor.name])
        .map_err(|m| AppError::invalid("new_password", m))?;
    if new == current {
        return Err(AppError::invalid(
            "new_password",
            "choose a password different from the current one",
        ));
    }
    let hash = hash_password(new)?;
    diesel::update(users::table.find(actor.user_id))
        .set(users::password_hash.eq(hash))
        .execute(tx.conn())?;
    let keep = current_secret.map(digest).unwrap_or_default();
    let ended = diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(actor.user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(tx.conn())?;
    audit::append(
        tx,
        &actor.who(),
        Event::new("password.change", "user", Some(actor.user_id))
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
        Event::new("session.reauthenticate", "user", Some(actor.user_id)),
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
    let keep = current_secret.map(digest).unwrap_or_default();
    let n = diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(actor.user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(tx.conn())?;
    audit::append(
        tx,
        &actor.who(),
        Event::new("session.end_others", "user", Some(actor.user_id)).detail(format!("{n} ended")),
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::throttle_wait;
    use chrono::Duration;

    #[test]
    fn throttle_waits_grow_from_the_first_failure_over_the_limit_and_are_capped() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let cap = Duration::minutes(15);
        let wait = |n, ago: i64| throttle_wait(n, 5, Some(now - Duration::seconds(ago)), now, cap);
        assert_eq!(wait(4, 0), None, "under the limit");
        assert_eq!(wait(5, 0), Some(Duration::seconds(1)));
        assert_eq!(wait(6, 0), Some(Duration::seconds(2)));
        assert_eq!(
            wait(8, 3),
            Some(Duration::seconds(5)),
            "8 s after the latest, 3 s ago"
        );
        assert_eq!(wait(6, 2), None, "the wait has passed");
        assert_eq!(wait(40, 0), Some(cap), "never longer than the window");
        assert_eq!(
            throttle_wait(9, 5, None, now, cap),
            None,
            "no failure, no wait"
        );
    }

    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest("abc").len(), 64);
    }

    #[test]
    fn short_passwords_refused() {
        assert!(check_new_password("short", &[]).is_err());
        assert!(check_new_password("correct horse battery staple", &[]).is_ok());
    }

    /// NIST SP 800-63B 5.1.1.2: common, repetitive or sequential, and context-specific values.
    #[test]
    fn common_and_guessable_passwords_are_refused_with_a_reason() {
        for weak in [
            "password1234",
            "Password12345!",
            "qwertyuiop123",
            "aaaaaaaaaaaaaaaa",
            "123456789012",
            "iloveyou1234",
            "throughcare2026",
        ] {
            let e = check_new_password(weak, &[]).expect_err(weak);
            assert!(e.contains("too common"), "{weak}: {e}");
        }
        // The account's own name and e-mail are guesses too.
        assert!(
            check_new_password(
                "jordanalvarez1988",
                &["jordan.alvarez@org-a.test", "Jordan Alvarez"]
            )
            .is_err()
        );
        for strong in [
            "a much longer new passphrase",
            "violet tram under seventeen maps",
        ] {
            assert_eq!(check_new_password(strong, &[]), Ok(()), "{strong}");
        }
    }
}
