//! The platform's own use cases, shared by its API and its pages: browsing the audit log and
//! confirming a second factor. Each does the work and appends the audit entry, so the handlers
//! in `platform/web` only ask the policy, parse and render (decision 0031).

use super::access::Actor;
use super::audit::{self, Action, Event, Filter, Line, Who};
use super::db::Tx;
use super::error::AppResult;
use super::error::FieldError;
use super::fields::{self, Fields};
use super::time::Zone;
use super::{auth, mfa};

/// The audit log's filters, as the page's form and the API's query string send them, for the
/// organisation the policy (`access::read_audit`) allowed. The bounds are on the reader's
/// clock (`zone`): a date is its midnight there, a time without an offset its wall clock.
pub fn audit_filter(org_id: i64, zone: Zone, field: impl Fn(&str) -> String) -> AppResult<Filter> {
    let mut f = Fields::new();
    let participant_id = f.take_opt(fields::opt_id("participant", &field("participant")));
    let bound = |name: &str| -> Result<Option<chrono::NaiveDateTime>, FieldError> {
        let v = field(name);
        match fields::opt_date(name, &v) {
            Ok(Some(d)) => Ok(Some(zone.start_of(d))),
            Ok(None) => Ok(None),
            Err(_) => zone.instant(name, &v).map(Some),
        }
    };
    let from = f.take_opt(bound("from"));
    let to = f.take_opt(bound("to"));
    let before = f.take_opt(fields::opt_id("before", &field("before")));
    let limit = f.take_opt(fields::opt_i64("limit", &field("limit"), 1, 1000));
    f.finish()?;
    let text = |name: &str| Some(field(name).trim().to_string()).filter(|v| !v.is_empty());
    Ok(Filter {
        org_id,
        actor: text("actor"),
        action: text("action"),
        participant_id,
        from,
        to,
        before,
        limit: limit.unwrap_or(100),
    })
}

/// The entries the filter selects, newest first; the browsing itself is audited.
pub fn browse_audit(tx: &mut Tx, who: &Who, filter: &Filter) -> AppResult<Vec<Line>> {
    let entries = audit::lines(tx.conn(), filter)?;
    audit::append(tx, who, Event::new(Action::AuditBrowse, "audit_log", None))?;
    Ok(entries)
}

/// Confirms the authenticator app a signed-in person is setting up with its first code, marks
/// the session's second step done and returns the ten recovery codes (shown once).
pub fn confirm_second_factor(
    tx: &mut Tx,
    actor: &Actor,
    session_secret: &str,
    code: &str,
) -> AppResult<Vec<String>> {
    let codes = mfa::confirm_enrolment(tx, actor.user_id, code)?;
    auth::finish_second_factor(tx, session_secret)?;
    audit::append(
        tx,
        &actor.who(),
        Event::new(Action::MfaEnrol, "user", Some(actor.user_id))
            .detail("authenticator app; 10 recovery codes issued"),
    )?;
    Ok(codes)
}

/// The interface language the user chose on their account page (`None`: not chosen, so pages
/// follow their browser's `Accept-Language`; decision 0043).
pub fn chosen_language(
    conn: &mut super::db::DbConn,
    user_id: i64,
) -> AppResult<Option<super::i18n::Language>> {
    use super::schema::users;
    use diesel::prelude::*;
    let stored: Option<String> = users::table
        .find(user_id)
        .select(users::language)
        .first(conn)?;
    Ok(stored.as_deref().and_then(super::i18n::Language::parse))
}

/// The signed-in user's own interface language (`None`: as their browser asks), audited.
pub fn set_language(
    tx: &mut Tx,
    a: &Actor,
    language: Option<super::i18n::Language>,
) -> AppResult<()> {
    use super::schema::users;
    use diesel::prelude::*;
    diesel::update(users::table.find(a.user_id))
        .set(users::language.eq(language.map(|l| l.code().to_string())))
        .execute(tx.conn())?;
    audit::append(
        tx,
        &a.who(),
        Event::new(Action::AccountLanguage, "user", Some(a.user_id)).detail(
            language.map_or_else(|| "as the browser asks".to_string(), |l| l.code().into()),
        ),
    )?;
    Ok(())
}
