//! Participant queries. Reads and writes of one participant require a `ParticipantGrant`;
//! lists require a `ListScope`; creation requires the organisation the policy returned.
//!
//! A file a job: input.rs (parsing), identifiers.rs, find.rs (the search box), duplicates.rs
//! (likely duplicates and enrolment), correction.rs (identity corrections); this file holds the
//! record itself, creating, reading, listing and assigning it.

use crate::platform::i18n::Language;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::journey::schema::participant_identifiers;
use crate::participants::amendments::{self, Amendment, RecordType, Value};
use crate::participants::matching::{self, Match, PersonKey};
use crate::participants::search::{self, MatchedOn, Sought};
use crate::platform::access::{Actor, ListScope, ParticipantGrant, SearchScope, Searched};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields;
use crate::platform::ids::new_id;
use crate::platform::schema::{participants, users};
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = participants)]
pub struct Participant {
    pub id: i64,
    pub org_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub assigned_peer_id: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
    pub pronouns: Option<String>,
    pub language: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Set when this record was merged into another (it is then hidden from lists).
    pub merged_into_id: Option<i64>,
}

impl Participant {
    /// The name to use with the person: their preferred first name if they gave one.
    pub fn display_name(&self) -> String {
        match &self.preferred_name {
            Some(p) => format!("{p} {}", self.last_name),
            None => format!("{} {}", self.first_name, self.last_name),
        }
    }

    /// Whether the documents given to this person are printed in Spanish unless asked
    /// otherwise: their preferred language, as recorded (free text), names Spanish.
    pub fn reads_spanish(&self) -> bool {
        self.document_language() == Language::Es
    }

    /// The language the documents given to this person are printed in unless asked otherwise:
    /// their preferred language, as recorded (decision 0043).
    pub fn document_language(&self) -> Language {
        Language::of_recorded(self.language.as_deref())
    }
}

pub use crate::platform::i18n::names_spanish;

mod correction;
mod duplicates;
mod find;
mod identifiers;
mod input;

pub use correction::*;
pub use duplicates::*;
pub use find::*;
pub use identifiers::*;
pub use input::*;

/// Store a new participant in `org_id` (the organisation the policy returned).
pub fn create(tx: &mut Tx, org_id: i64, new: &NewParticipant) -> AppResult<Participant> {
    if let Some(peer) = new.assigned_peer_id {
        let ok: Option<i64> = users::table
            .filter(users::id.eq(peer))
            .filter(users::org_id.eq(org_id))
            .filter(users::role.eq_any(["peer", "supervisor"]))
            .select(users::id)
            .first(tx.conn())
            .optional()?;
        if ok.is_none() {
            return Err(AppError::keyed(
                "assigned_peer_id",
                "error-not-a-peer-of-your-organisation",
                &[],
            ));
        }
    }
    let now = time::now();
    let p = Participant {
        id: new_id(),
        org_id,
        first_name: new.first_name.clone(),
        last_name: new.last_name.clone(),
        preferred_name: new.preferred_name.clone(),
        date_of_birth: new.date_of_birth,
        assigned_peer_id: new.assigned_peer_id,
        created_at: now,
        updated_at: now,
        pronouns: new.pronouns.clone(),
        language: new.language.clone(),
        phone: new.phone.clone(),
        email: new.email.clone(),
        merged_into_id: None,
    };
    diesel::insert_into(participants::table)
        .values((
            participants::id.eq(p.id),
            participants::org_id.eq(p.org_id),
            participants::first_name.eq(&p.first_name),
            participants::last_name.eq(&p.last_name),
            participants::preferred_name.eq(&p.preferred_name),
            participants::date_of_birth.eq(p.date_of_birth),
            participants::assigned_peer_id.eq(p.assigned_peer_id),
            participants::created_at.eq(p.created_at),
            participants::updated_at.eq(p.updated_at),
            participants::pronouns.eq(&p.pronouns),
            participants::language.eq(&p.language),
            participants::phone.eq(&p.phone),
            participants::email.eq(&p.email),
            participants::search_first_name.eq(matching::normalize_name(&p.first_name)),
            participants::search_last_name.eq(matching::normalize_name(&p.last_name)),
        ))
        .execute(tx.conn())?;
    for id in &new.identifiers {
        add_identifier(tx, org_id, p.id, id)?;
    }
    Ok(p)
}

/// The participant the grant is for.
pub fn get(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Participant> {
    Ok(participants::table
        .find(grant.participant_id())
        .filter(participants::org_id.eq(grant.org_id()))
        .select(Participant::as_select())
        .first(conn)?)
}

/// Filters for participant lists.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Part of a name.
    pub name: Option<String>,
    /// Only this peer's participants.
    pub peer_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Participants in scope, by last name.
pub fn list(conn: &mut DbConn, scope: &ListScope, q: &ListQuery) -> AppResult<Vec<Participant>> {
    let mut query = participants::table
        .filter(participants::org_id.eq(scope.org_id()))
        .filter(participants::merged_into_id.is_null())
        .into_boxed();
    if let Some(name) = &q.name {
        let pat = format!("%{}%", name.replace(['%', '_'], ""));
        query = query.filter(
            participants::last_name
                .like(pat.clone())
                .or(participants::first_name.like(pat.clone()))
                .or(participants::preferred_name.like(pat)),
        );
    }
    if let Some(peer) = q.peer_id {
        query = query.filter(participants::assigned_peer_id.eq(peer));
    }
    Ok(query
        .order((
            participants::last_name,
            participants::first_name,
            participants::id,
        ))
        .limit(q.limit.clamp(1, 500))
        .offset(q.offset.max(0))
        .select(Participant::as_select())
        .load(conn)?)
}

/// Peers (and supervisors) of an organisation who can be assigned participants.
pub fn assignable_peers(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::role.eq_any(["peer", "supervisor"]))
        .filter(users::disabled_at.is_null())
        .order(users::name)
        .select((users::id, users::name))
        .load(conn)?)
}

/// Reassign a participant to another peer of the same organisation.
pub fn assign(tx: &mut Tx, grant: &ParticipantGrant, peer_id: Option<i64>) -> AppResult<()> {
    if let Some(peer) = peer_id {
        let ok: Option<i64> = users::table
            .filter(users::id.eq(peer))
            .filter(users::org_id.eq(grant.org_id()))
            .filter(users::role.eq_any(["peer", "supervisor"]))
            .filter(users::disabled_at.is_null())
            .select(users::id)
            .first(tx.conn())
            .optional()?;
        if ok.is_none() {
            return Err(AppError::keyed("peer_id", "error-not-an-active-peer", &[]));
        }
    }
    diesel::update(participants::table.find(grant.participant_id()))
        .set((
            participants::assigned_peer_id.eq(peer_id),
            participants::updated_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(())
}
