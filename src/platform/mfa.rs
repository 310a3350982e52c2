//! Multi-factor authentication: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, six
//! digits, 30-second steps, one step of clock skew either way) and ten one-time recovery codes
//! stored only as hashes. A code's step is accepted once (RFC 6238 §5.2), so a code seen over a
//! shoulder cannot be replayed.
//!
//! Who must use it: admins and auditors (`Config::mfa_required_roles`), and everyone in an
//! organisation that requires it; never in demo mode, whose invented accounts are printed for
//! anyone to try. The sign-in flow (password, then the second factor or enrolment) lives in
//! `auth` and the pages in `web::mfa`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::access::Role;
use super::config::Config;
use super::db::{DbConn, Tx};
use super::error::{AppError, AppResult};
use super::ids::new_id;
use super::schema::{mfa_recovery_codes, organisations, user_mfa, users};
use super::time;

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Throughcare";
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new random TOTP secret (160 bits, as RFC 4226 recommends), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes.to_vec()).to_base32()
}

fn totp(secret_b32: &str, account: &str) -> AppResult<Totp> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::internal(anyhow::anyhow!("TOTP: {e:?}")))
}

fn unix(t: NaiveDateTime) -> u64 {
    u64::try_from(t.and_utc().timestamp()).unwrap_or(0)
}

/// The code an authenticator shows for `secret` at `at` (tests and the enrolment check).
pub fn code_at(secret_b32: &str, at: NaiveDateTime) -> AppResult<String> {
    Ok(totp(secret_b32, "x")?.generate(unix(at)).to_string())
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret_b32: &str, account: &str) -> AppResult<String> {
    totp(secret_b32, account)?
        .to_url()
        .map_err(|e| AppError::internal(anyhow::anyhow!("TOTP url: {e:?}")))
}

/// The QR code of `text` as an inline SVG image.
pub fn qr_svg(text: &str) -> AppResult<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// Must this user pass a second factor? Never in demo mode; otherwise by role
/// (`mfa_required_roles`, default admins and auditors) or because their organisation requires
/// it of everyone.
pub fn required(config: &Config, role: Role, org_requires_all: bool) -> bool {
    !config.demo
        && (org_requires_all
            || config
                .mfa_required_roles
                .split(',')
                .any(|r| r.trim() == role.as_str()))
}

/// Does the organisation require a second factor of everyone?
pub fn org_requires_all(conn: &mut DbConn, org_id: i64) -> AppResult<bool> {
    Ok(organisations::table
        .find(org_id)
        .select(organisations::mfa_required)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}

/// Has this user a confirmed second factor?
pub fn enabled(conn: &mut DbConn, user_id: i64) -> AppResult<bool> {
    Ok(user_mfa::table
        .find(user_id)
        .select(user_mfa::enabled_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten()
        .is_some())
}

/// Start (or restart) enrolment: a fresh secret, not yet enabled. Returns it.
pub fn start_enrolment(tx: &mut Tx, user_id: i64) -> AppResult<String> {
    if enabled(tx.conn(), user_id)? {
        return Err(AppError::conflict("error-mfa-already-set-up", &[]));
    }
    let secret = new_secret();
    diesel::delete(user_mfa::table.find(user_id)).execute(tx.conn())?;
    diesel::insert_into(user_mfa::table)
        .values((
            user_mfa::user_id.eq(user_id),
            user_mfa::secret.eq(&secret),
            user_mfa::last_step.eq(0i64),
            user_mfa::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(secret)
}

/// The pending (not yet confirmed) secret of an enrolment, if one was started.
pub fn pending_secret(conn: &mut DbConn, user_id: i64) -> AppResult<Option<String>> {
    Ok(user_mfa::table
        .find(user_id)
        .filter(user_mfa::enabled_at.is_null())
        .select(user_mfa::secret)
        .first(conn)
        .optional()?)
}

fn code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(format!(
        "throughcare recovery v1\x1f{normal}"
    )))
}

fn new_recovery_code() -> String {
    // 10 characters of a 32-letter alphabet without look-alikes: 50 bits each.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let s: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

/// Confirm enrolment with a code from the app: enables the second factor and returns the ten
/// recovery codes (shown once; only their hashes are kept).
pub fn confirm_enrolment(tx: &mut Tx, user_id: i64, code: &str) -> AppResult<Vec<String>> {
    let secret = pending_secret(tx.conn(), user_id)?
        .ok_or_else(|| AppError::keyed("code", "error-mfa-start-again", &[]))?;
    let step = totp(&secret, "x")?
        .check(code.trim(), unix(time::now()))
        .ok_or_else(|| AppError::keyed("code", "error-mfa-code-mismatch", &[]))?;
    diesel::update(user_mfa::table.find(user_id))
        .set((
            user_mfa::enabled_at.eq(Some(time::now())),
            user_mfa::last_step.eq(i64::try_from(step).unwrap_or(i64::MAX)),
        ))
        .execute(tx.conn())?;
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id)))
        .execute(tx.conn())?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for c in &codes {
        diesel::insert_into(mfa_recovery_codes::table)
            .values((
                mfa_recovery_codes::id.eq(new_id()),
                mfa_recovery_codes::user_id.eq(user_id),
                mfa_recovery_codes::code_hash.eq(code_hash(c)),
            ))
            .execute(tx.conn())?;
    }
    Ok(codes)
}

/// How a second factor was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passed {
    Totp,
    RecoveryCode,
}

/// Check a code from the app (each step once, RFC 6238 §5.2) or an unused recovery code (then
/// used up). `None` when it does not match.
pub fn verify(tx: &mut Tx, user_id: i64, code: &str) -> AppResult<Option<Passed>> {
    let row: Option<(String, Option<NaiveDateTime>)> = user_mfa::table
        .find(user_id)
        .select((user_mfa::secret, user_mfa::enabled_at))
        .first(tx.conn())
        .optional()?;
    let Some((secret, Some(_))) = row else {
        return Ok(None);
    };
    let code = code.trim();
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        let Some(step) = totp(&secret, "x")?.check(code, unix(time::now())) else {
            return Ok(None);
        };
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        // Accept each step once: the update only happens if no later step was used.
        let updated = diesel::update(
            user_mfa::table
                .find(user_id)
                .filter(user_mfa::last_step.lt(step)),
        )
        .set(user_mfa::last_step.eq(step))
        .execute(tx.conn())?;
        return Ok((updated == 1).then_some(Passed::Totp));
    }
    let used = diesel::update(
        mfa_recovery_codes::table
            .filter(mfa_recovery_codes::user_id.eq(user_id))
            .filter(mfa_recovery_codes::code_hash.eq(code_hash(code)))
            .filter(mfa_recovery_codes::used_at.is_null()),
    )
    .set(mfa_recovery_codes::used_at.eq(Some(time::now())))
    .execute(tx.conn())?;
    Ok((used >= 1).then_some(Passed::RecoveryCode))
}

/// Remove a user's second factor and recovery codes (an administrator's reset; the user
/// enrols again at next sign-in when it is required).
pub fn reset(tx: &mut Tx, user_id: i64) -> AppResult<()> {
    diesel::delete(user_mfa::table.find(user_id)).execute(tx.conn())?;
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id)))
        .execute(tx.conn())?;
    Ok(())
}

/// The e-mail of a user (the account name shown in the app).
pub fn account_name(conn: &mut DbConn, user_id: i64) -> AppResult<String> {
    Ok(users::table
        .find(user_id)
        .select(users::email)
        .first(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1, truncated to six digits: secret "12345678901234567890".
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        for (t, want) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let at = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
            assert_eq!(code_at(&secret, at).unwrap(), want, "t = {t}");
        }
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_the_same_however_typed() {
        let codes: Vec<String> = (0..50).map(|_| new_recovery_code()).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        let c = &codes[0];
        assert_eq!(code_hash(c), code_hash(&format!(" {} ", c.to_uppercase())));
        assert_ne!(code_hash(c), code_hash(&codes[1]));
    }
}
