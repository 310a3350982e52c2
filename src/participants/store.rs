//! Participant queries. Reads and writes of one participant require a `ParticipantGrant`;
//! lists require a `ListScope`; creation requires the organisation the policy returned.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::access::{ListScope, ParticipantGrant};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
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
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Participant {
    /// The name to use with the person: their preferred first name if they gave one.
    pub fn display_name(&self) -> String {
        match &self.preferred_name {
            Some(p) => format!("{p} {}", self.last_name),
            None => format!("{} {}", self.first_name, self.last_name),
        }
    }
}

/// The JSON body (and form fields) for a new participant.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub preferred_name: Option<String>,
    /// YYYY-MM-DD
    pub date_of_birth: String,
    /// A peer of your organisation.
    #[serde(default)]
    pub assigned_peer_id: Option<i64>,
}

/// A participant ready to store.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub assigned_peer_id: Option<i64>,
}

fn name_field(field: &str, v: &str, errs: &mut Vec<FieldError>) -> String {
    let v = v.trim();
    if v.is_empty() {
        errs.push(FieldError::new(field, "is required"));
    } else if v.chars().count() > 100 {
        errs.push(FieldError::new(field, "must be at most 100 characters"));
    }
    v.to_string()
}

impl NewParticipant {
    /// Parse and check every field, reporting all problems at once.
    pub fn parse(
        input: &ParticipantInput,
        today: NaiveDate,
    ) -> Result<NewParticipant, Vec<FieldError>> {
        let mut errs = Vec::new();
        let first_name = name_field("first_name", &input.first_name, &mut errs);
        let last_name = name_field("last_name", &input.last_name, &mut errs);
        let preferred_name = input
            .preferred_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if preferred_name
            .as_ref()
            .is_some_and(|p| p.chars().count() > 100)
        {
            errs.push(FieldError::new(
                "preferred_name",
                "must be at most 100 characters",
            ));
        }
        let dob = match NaiveDate::parse_from_str(input.date_of_birth.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                errs.push(FieldError::new("date_of_birth", "is in the future"));
                None
            }
            Ok(d) if d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) => {
                errs.push(FieldError::new("date_of_birth", "is before 1900"));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(FieldError::new(
                    "date_of_birth",
                    format!("{:?} is not a date (YYYY-MM-DD)", input.date_of_birth),
                ));
                None
            }
        };
        match dob {
            Some(date_of_birth) if errs.is_empty() => Ok(NewParticipant {
                first_name,
                last_name,
                preferred_name,
                date_of_birth,
                assigned_peer_id: input.assigned_peer_id,
            }),
            _ => Err(errs),
        }
    }
}

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
            return Err(AppError::invalid(
                "assigned_peer_id",
                "is not a peer or supervisor of your organisation",
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
        ))
        .execute(tx.conn())?;
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
        .filter(participants::org_id.eq(scope.org_id))
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
