//! API tokens: created (by someone who passed the second factor), listed, revoked, and their
//! lifetime per organisation.

use super::*;
use crate::platform::org_settings;

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
        Event::new(Action::TokenCreate, "api_token", Some(id))
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
        Event::new(Action::TokenRevoke, "api_token", Some(id)).detail(format!("user {owner}")),
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
        return Err(AppError::step_required("error-token-from-session", &[]));
    }
    let required = crate::platform::mfa::required(
        config,
        actor.role,
        crate::platform::mfa::org_requires_all(conn, actor.org_id)?,
    );
    if required && !crate::platform::mfa::enabled(conn, actor.user_id)? {
        return Err(AppError::step_required(
            "error-token-needs-second-factor",
            &[],
        ));
    }
    Ok(())
}

/// A token's label as typed: trimmed, at most 100 characters, none when empty.
pub fn parse_token_label(raw: Option<&str>) -> AppResult<Option<String>> {
    let label = raw.map(str::trim).filter(|l| !l.is_empty());
    match label {
        Some(l) if l.chars().count() > 100 || l.chars().any(char::is_control) => {
            Err(AppError::keyed("label", "error-token-label", &[]))
        }
        other => Ok(other.map(str::to_string)),
    }
}

/// The `org_settings` key of an organisation's API token lifetime.
pub const TOKEN_LIFETIME_KEY: &str = "token_lifetime_days";
/// The range an administrator may set the token lifetime to, in days.
pub const TOKEN_LIFETIME_RANGE: std::ops::RangeInclusive<i64> = 1..=365;

/// How many days new API tokens of this organisation live ([`TOKEN_DEFAULT_DAYS`] unless an
/// administrator set it).
pub fn token_lifetime_days(conn: &mut DbConn, org_id: i64) -> AppResult<i64> {
    Ok(org_settings::get(conn, org_id, TOKEN_LIFETIME_KEY)?
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|d| TOKEN_LIFETIME_RANGE.contains(d))
        .unwrap_or(TOKEN_DEFAULT_DAYS))
}

/// Set how many days new API tokens of the organisation live (existing tokens keep theirs).
pub fn set_token_lifetime_days(tx: &mut Tx, who: &Who, org_id: i64, days: i64) -> AppResult<()> {
    if !TOKEN_LIFETIME_RANGE.contains(&days) {
        return Err(AppError::keyed(
            "token_lifetime_days",
            "error-whole-days-from-to",
            &[
                ("min", TOKEN_LIFETIME_RANGE.start().to_string()),
                ("max", TOKEN_LIFETIME_RANGE.end().to_string()),
            ],
        ));
    }
    org_settings::put(tx, org_id, TOKEN_LIFETIME_KEY, &days.to_string())?;
    audit::append(
        tx,
        who,
        Event::new(Action::SettingsTokenLifetime, "organisation", Some(org_id))
            .detail(format!("{days} days")),
    )?;
    Ok(())
}
