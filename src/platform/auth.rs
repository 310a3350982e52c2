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

/// The stored form of a secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Rules a password must meet.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 12 {
        return Err("must be at least 12 characters".into());
    }
    if password.len() > 1024 {
        return Err("must be at most 1024 bytes".into());
    }
    Ok(())
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
    /// The new session's secret (for the cookie) and who signed in.
    Success(String, Actor),
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
                            Some(h) => verify_password(&pw, &h),
                            None => {
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

/// Try to sign in. Every outcome is audited; throttled attempts are refused before the
/// password is checked. The password is checked outside any transaction, so a sign-in never
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
    let (by_account, by_address, row) = db
        .run(move |conn| {
            let by_account: i64 = signin_failures::table
                .filter(signin_failures::email.eq(&e2))
                .filter(signin_failures::at.gt(since))
                .count()
                .get_result(conn)?;
            let by_address: i64 = signin_failures::table
                .filter(signin_failures::client_addr.eq(&a2))
                .filter(signin_failures::at.gt(since))
                .count()
                .get_result(conn)?;
            let row: Option<ActorRow> = actor_query()
                .filter(users::email.eq(&e2))
                .first(conn)
                .optional()?;
            Ok((by_account, by_address, row))
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
    if by_account >= config.signin_max_failures_per_account
        || by_address >= config.signin_max_failures_per_address
    {
        let scope = if by_account >= config.signin_max_failures_per_account {
            "account"
        } else {
            "address"
        };
        db.write(move |tx| {
            audit::append(
                tx,
                &anonymous,
                Event::new("signin.throttled", "user", account)
                    .detail(format!("too many failures for this {scope}")),
            )
        })
        .await?;
        return Ok(SignIn::Throttled(format!(
            "Too many failed sign-ins. Try again in {} minutes.",
            config.signin_throttle_minutes
        )));
    }
    let permit = HASHING.acquire().await.map_err(AppError::internal)?;
    let hash = row.as_ref().map(|r| r.5.clone());
    let ok = verify_on_hashers(password.to_string(), hash).await?;
    drop(permit);
    let row = row.filter(|r| ok && r.6.is_none());
    let addr = client_addr.to_string();
    db.write(move |tx| {
        let Some(row) = row else {
            diesel::insert_into(signin_failures::table)
                .values((
                    signin_failures::id.eq(new_id()),
                    signin_failures::email.eq(&email),
                    signin_failures::client_addr.eq(&addr),
                    signin_failures::at.eq(now),
                ))
                .execute(tx.conn())?;
            audit::append(
                tx,
                &anonymous,
                Event::new("signin.failure", "user", account),
            )?;
            return Ok(SignIn::Failed);
        };
        let actor = actor_from_row(row, &addr, Via::Session)?;
        let secret = new_secret();
        diesel::insert_into(sessions::table)
            .values((
                sessions::token_hash.eq(digest(&secret)),
                sessions::user_id.eq(actor.user_id),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
                sessions::client_addr.eq(&addr),
            ))
            .execute(tx.conn())?;
        audit::append(
            tx,
            &actor.who(),
            Event::new("signin.success", "user", Some(actor.user_id)),
        )?;
        Ok(SignIn::Success(secret, actor))
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
    let found: Option<(i64, NaiveDateTime)> = sessions::table
        .find(&key)
        .select((sessions::user_id, sessions::last_seen_at))
        .first(conn)
        .optional()?;
    let Some((user_id, last_seen)) = found else {
        return Ok(None);
    };
    let now = time::now();
    if now - last_seen > Duration::minutes(config.session_idle_minutes) {
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
/// is enabled.
pub fn token_actor(conn: &mut DbConn, token: &str, client_addr: &str) -> AppResult<Option<Actor>> {
    let now = time::now();
    let found: Option<(i64, Option<NaiveDateTime>, Option<NaiveDateTime>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(digest(token)))
        .select((
            api_tokens::user_id,
            api_tokens::expires_at,
            api_tokens::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((user_id, expires, revoked)) = found else {
        return Ok(None);
    };
    if revoked.is_some() || expires.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let row: Option<ActorRow> = actor_query()
        .filter(users::id.eq(user_id))
        .first(conn)
        .optional()?;
    match row.filter(|r| r.6.is_none()) {
        Some(r) => actor_from_row(r, client_addr, Via::Token).map(Some),
        None => Ok(None),
    }
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
pub fn create_token(
    tx: &mut Tx,
    who: &Who,
    user_id: i64,
    expires_in_days: Option<i64>,
) -> AppResult<(i64, String)> {
    let secret = format!("tc_{}", new_secret());
    let id = new_id();
    let now = time::now();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(id),
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(digest(&secret)),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_in_days.map(|d| now + Duration::days(d))),
        ))
        .execute(tx.conn())?;
    audit::append(
        tx,
        who,
        Event::new("token.create", "api_token", Some(id)).detail(format!("user {user_id}")),
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
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::revoked_at.eq(Some(time::now())))
        .execute(tx.conn())?;
    audit::append(tx, who, Event::new("token.revoke", "api_token", Some(id)))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
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
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough pass").is_ok());
    }
}
