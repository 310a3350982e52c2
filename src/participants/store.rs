//! Participant queries. Reads and writes of one participant require a `ParticipantGrant`;
//! lists require a `ListScope`; creation requires the organisation the policy returned.

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

/// The JSON body (and form fields) for a new participant.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub preferred_name: Option<String>,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub date_of_birth: String,
    /// A peer of your organisation.
    #[serde(default)]
    pub assigned_peer_id: Option<i64>,
    #[serde(default)]
    pub pronouns: Option<String>,
    /// Preferred language.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// External identifiers: booking number (per facility), state ID / DIN, supervision case.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    /// Create even though likely duplicates exist (after a person has looked at them).
    #[serde(default)]
    pub confirm_not_duplicate: bool,
}

/// An external identifier as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierInput {
    /// booking_number, state_id, supervision_case
    #[schema(value_type = IdentifierKind)]
    pub kind: String,
    pub value: String,
    /// The facility that issued a booking number.
    #[serde(default)]
    pub facility_id: Option<i64>,
}

/// The kinds of external identifier ([`IDENTIFIER_KINDS`], for the API's schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    BookingNumber,
    StateId,
    SupervisionCase,
}

/// Why two records look like the same person (`matching::MatchReason::code`, for the API's
/// schema).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchReasonCode {
    SameIdentifier,
    SameNameAndDob,
    SimilarNameSameDob,
    TransposedDob,
    NameSwapped,
}

/// The kinds of external identifier.
pub const IDENTIFIER_KINDS: &[(&str, &str)] = &[
    ("booking_number", "Booking number"),
    ("state_id", "State ID / DIN"),
    ("supervision_case", "Supervision case number"),
];

/// A stored external identifier.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = participant_identifiers)]
pub struct Identifier {
    pub id: i64,
    #[schema(value_type = IdentifierKind)]
    pub kind: String,
    /// Exactly as typed ("BK-UX-001").
    #[diesel(column_name = typed_value)]
    pub value: String,
    /// Letters and digits, upper case ("BKUX001"): what matching compares.
    #[diesel(column_name = value)]
    pub normalised: String,
    pub facility_id: Option<i64>,
}

impl Identifier {
    /// The kind in words ("Booking number").
    pub fn kind_label(&self) -> &str {
        IDENTIFIER_KINDS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map(|(_, l)| *l)
            .unwrap_or(self.kind.as_str())
    }
    /// As typed (identifiers stored before typed values were kept show their normalised form).
    pub fn shown(&self) -> &str {
        if self.value.is_empty() {
            &self.normalised
        } else {
            &self.value
        }
    }
}

/// A participant ready to store.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub first_name: String,
    pub last_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: NaiveDate,
    pub assigned_peer_id: Option<i64>,
    pub pronouns: Option<String>,
    pub language: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub identifiers: Vec<IdentifierInput>,
}

fn opt_text(
    field: &str,
    v: &Option<String>,
    max: usize,
    errs: &mut Vec<FieldError>,
) -> Option<String> {
    let v = v.as_deref().unwrap_or("");
    match fields::text(field, v, max, false) {
        Ok(t) => Some(t).filter(|t| !t.is_empty()),
        Err(e) => {
            errs.push(e);
            Some(v.trim().to_string())
        }
    }
}

fn name_field(field: &str, v: &str, errs: &mut Vec<FieldError>) -> String {
    fields::text(field, v, 100, true).unwrap_or_else(|e| {
        errs.push(e);
        v.trim().to_string()
    })
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
        let preferred_name = opt_text("preferred_name", &input.preferred_name, 100, &mut errs);
        let pronouns = opt_text("pronouns", &input.pronouns, 40, &mut errs);
        let language = opt_text("language", &input.language, 60, &mut errs);
        let phone = opt_text("phone", &input.phone, 40, &mut errs);
        let email = opt_text("email", &input.email, 254, &mut errs);
        let mut identifiers = Vec::new();
        for (i, id) in input.identifiers.iter().enumerate() {
            if !IDENTIFIER_KINDS.iter().any(|(k, _)| *k == id.kind) {
                errs.push(unknown_identifier_kind(
                    format!("identifiers[{i}].kind"),
                    &id.kind,
                ));
            }
            let value = id.value.trim();
            if value.is_empty() || value.len() > 60 {
                errs.push(FieldError::keyed(
                    format!("identifiers[{i}].value"),
                    "error-required-at-most",
                    &[("max", "60".into())],
                ));
            }
            identifiers.push(IdentifierInput {
                kind: id.kind.clone(),
                value: value.to_string(),
                facility_id: id.facility_id,
            });
        }
        // The product's one date parser and plausible range (from 1900), and not in the future.
        let dob = match fields::date("date_of_birth", &input.date_of_birth) {
            Ok(d) if d > today => {
                errs.push(FieldError::keyed(
                    "date_of_birth",
                    "error-in-the-future",
                    &[],
                ));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errs.push(e);
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
                pronouns,
                language,
                phone,
                email,
                identifiers,
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

/// A participant in a list, and, when a search found them, what it matched.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listed {
    #[serde(flatten)]
    pub participant: Participant,
    /// What the search (`q`) matched; absent from a plain list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
}

/// What a search matched on a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Matched {
    pub on: MatchedOn,
    /// The identifier that matched, as it was typed when stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

/// `col` starts with `prefix` (byte order): a range on the folded, indexed column.
macro_rules! starts_with {
    ($col:expr, $prefix:expr) => {
        $col.ge($prefix.to_string())
            .and($col.lt(search::upper(&$prefix)))
    };
}

type Backend = <DbConn as diesel::Connection>::Backend;

/// Only the participants whose folded first or last name starts with the words, or whose
/// first and last names start with the words split between them, in either order.
fn named<'a>(
    query: participants::BoxedQuery<'a, Backend>,
    words: &[String],
) -> participants::BoxedQuery<'a, Backend> {
    use participants::{search_first_name as first, search_last_name as last};
    let whole = words.join(" ");
    let either = starts_with!(last, whole).or(starts_with!(first, whole));
    match search::name_splits(words).as_slice() {
        [] => query.filter(either),
        [(a, b)] => query.filter(
            either
                .or(starts_with!(first, a).and(starts_with!(last, b)))
                .or(starts_with!(last, a).and(starts_with!(first, b))),
        ),
        [(a, b), (c, d), ..] => query.filter(
            either
                .or(starts_with!(first, a).and(starts_with!(last, b)))
                .or(starts_with!(last, a).and(starts_with!(first, b)))
                .or(starts_with!(first, c).and(starts_with!(last, d)))
                .or(starts_with!(last, c).and(starts_with!(first, d))),
        ),
    }
}

/// The people in `scope` who match `sought`, by last name, at most `limit`; merged duplicates
/// never. Names are compared folded (`search_first_name`, `search_last_name`), identifiers
/// normalised, each on an index per organisation.
pub fn search(
    conn: &mut DbConn,
    scope: &SearchScope,
    sought: &Sought,
    limit: i64,
) -> AppResult<Vec<Listed>> {
    let limit = limit.clamp(1, 500);
    let mut query = participants::table
        .filter(participants::merged_into_id.is_null())
        .into_boxed();
    query = match scope.searched() {
        Searched::Organisation(org) => query.filter(participants::org_id.eq(org)),
        Searched::Organisations(orgs) => query.filter(participants::org_id.eq_any(orgs.to_vec())),
        Searched::Named(ids) => query.filter(participants::id.eq_any(ids.to_vec())),
    };
    let mut by_identifier: Vec<(i64, String, String, String)> = vec![];
    match sought {
        Sought::Name(words) => query = named(query, words),
        Sought::DateOfBirth(d) => query = query.filter(participants::date_of_birth.eq(*d)),
        Sought::NameAndDateOfBirth(words, d) => {
            query = named(query.filter(participants::date_of_birth.eq(*d)), words);
        }
        Sought::Identifier(value) => {
            let mut ids = participant_identifiers::table
                .filter(participant_identifiers::value.eq(value))
                .into_boxed();
            ids = match scope.searched() {
                Searched::Organisation(org) => ids.filter(participant_identifiers::org_id.eq(org)),
                Searched::Organisations(orgs) => {
                    ids.filter(participant_identifiers::org_id.eq_any(orgs.to_vec()))
                }
                Searched::Named(named) => {
                    ids.filter(participant_identifiers::participant_id.eq_any(named.to_vec()))
                }
            };
            by_identifier = ids
                .select((
                    participant_identifiers::participant_id,
                    participant_identifiers::kind,
                    participant_identifiers::typed_value,
                    participant_identifiers::value,
                ))
                .limit(limit)
                .load(conn)?;
            let people: Vec<i64> = by_identifier.iter().map(|r| r.0).collect();
            query = query.filter(participants::id.eq_any(people));
        }
    }
    let people: Vec<Participant> = query
        .order((
            participants::last_name,
            participants::first_name,
            participants::id,
        ))
        .limit(limit)
        .select(Participant::as_select())
        .load(conn)?;
    Ok(people
        .into_iter()
        .map(|participant| {
            let on = |on| Matched {
                on,
                identifier: None,
            };
            let matched = match sought {
                Sought::Name(_) | Sought::NameAndDateOfBirth(..) => on(MatchedOn::Name),
                Sought::DateOfBirth(_) => on(MatchedOn::DateOfBirth),
                Sought::Identifier(_) => {
                    let hit = by_identifier.iter().find(|r| r.0 == participant.id);
                    Matched {
                        on: hit.map_or(MatchedOn::SupervisionCase, |r| {
                            MatchedOn::of_identifier(&r.1)
                        }),
                        identifier: hit.map(|r| {
                            if r.2.is_empty() {
                                r.3.clone()
                            } else {
                                r.2.clone()
                            }
                        }),
                    }
                }
            };
            Listed {
                participant,
                matched: Some(matched),
            }
        })
        .collect())
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

/// Store one external identifier for a participant (as typed, and normalised for matching).
pub fn add_identifier(
    tx: &mut Tx,
    org_id: i64,
    participant_id: i64,
    id: &IdentifierInput,
) -> AppResult<i64> {
    let new = new_id();
    diesel::insert_into(participant_identifiers::table)
        .values((
            participant_identifiers::id.eq(new),
            participant_identifiers::typed_value.eq(id.value.trim()),
            participant_identifiers::org_id.eq(org_id),
            participant_identifiers::participant_id.eq(participant_id),
            participant_identifiers::kind.eq(&id.kind),
            participant_identifiers::value.eq(normalised_value(&id.kind, &id.value)),
            participant_identifiers::facility_id.eq(id.facility_id),
            participant_identifiers::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(new)
}

/// The participant's external identifiers.
pub fn identifiers(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Identifier>> {
    Ok(participant_identifiers::table
        .filter(participant_identifiers::participant_id.eq(grant.participant_id()))
        .filter(participant_identifiers::org_id.eq(grant.org_id()))
        .order(participant_identifiers::created_at)
        .select(Identifier::as_select())
        .load(conn)?)
}

/// A likely duplicate of someone being created or imported.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Candidate {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// Why it looks like the same person: same_identifier, same_name_and_dob, similar_name_same_dob,
    /// transposed_dob, name_swapped.
    #[schema(value_type = Vec<MatchReasonCode>)]
    pub reasons: Vec<String>,
    /// 0..1
    pub score: f64,
}

/// Likely duplicates of `key` among the organisation's participants (same identifier, or same or
/// transposed date of birth and a similar name). Never merges anything.
pub fn likely_duplicates(
    conn: &mut DbConn,
    scope: &ListScope,
    key: &PersonKey,
) -> AppResult<Vec<Candidate>> {
    let dobs = matching::dob_variants(key.date_of_birth);
    let mut rows: Vec<Participant> = participants::table
        .filter(participants::org_id.eq(scope.org_id()))
        .filter(participants::merged_into_id.is_null())
        .filter(participants::date_of_birth.eq_any(&dobs))
        .select(Participant::as_select())
        .load(conn)?;
    let values: Vec<String> = key
        .identifiers
        .iter()
        .map(|(k, v)| normalised_value(k, v))
        .collect();
    if !values.is_empty() {
        let by_id: Vec<i64> = participant_identifiers::table
            .filter(participant_identifiers::org_id.eq(scope.org_id()))
            .filter(participant_identifiers::value.eq_any(&values))
            .select(participant_identifiers::participant_id)
            .load(conn)?;
        let more: Vec<Participant> = participants::table
            .filter(participants::id.eq_any(&by_id))
            .filter(participants::merged_into_id.is_null())
            .select(Participant::as_select())
            .load(conn)?;
        for p in more {
            if !rows.iter().any(|r| r.id == p.id) {
                rows.push(p);
            }
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let all_idents: Vec<(i64, String, String)> = participant_identifiers::table
        .filter(participant_identifiers::participant_id.eq_any(&ids))
        .select((
            participant_identifiers::participant_id,
            participant_identifiers::kind,
            participant_identifiers::value,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for r in rows {
        let other = PersonKey {
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            date_of_birth: r.date_of_birth,
            identifiers: all_idents
                .iter()
                .filter(|(p, _, _)| *p == r.id)
                .map(|(_, k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        if let Some(Match { reasons, score }) = matching::compare(key, &other) {
            out.push(Candidate {
                id: r.id,
                first_name: r.first_name,
                last_name: r.last_name,
                date_of_birth: r.date_of_birth,
                reasons: reasons.iter().map(|m| m.as_str().to_string()).collect(),
                score,
            });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(out)
}

/// The identity key of a new participant, for duplicate checks.
pub fn key_of(new: &NewParticipant) -> PersonKey {
    PersonKey {
        first_name: new.first_name.clone(),
        last_name: new.last_name.clone(),
        date_of_birth: new.date_of_birth,
        identifiers: new
            .identifiers
            .iter()
            .map(|i| (i.kind.clone(), i.value.clone()))
            .collect(),
    }
}

/// Identifiers are stored normalised (letters and digits, upper case), so "bk-0042" finds "BK0042".
pub fn normalised_value(kind: &str, value: &str) -> String {
    matching::normalize_identifier(kind, value)
        .map(|(_, v)| v)
        .unwrap_or_else(|| value.trim().to_string())
}

/// The outcome of enrolling someone: created, or held back because they look like someone the
/// program already knows (a person must look and confirm).
#[derive(Debug)]
pub enum Enrolment {
    Created(Box<Participant>),
    LikelyDuplicates(Vec<Candidate>),
}

/// Create a participant unless likely duplicates exist and creation was not confirmed.
pub fn enrol(
    tx: &mut Tx,
    scope: &ListScope,
    new: &NewParticipant,
    confirmed: bool,
) -> AppResult<Enrolment> {
    if !confirmed {
        let dups = likely_duplicates(tx.conn(), scope, &key_of(new))?;
        if !dups.is_empty() {
            return Ok(Enrolment::LikelyDuplicates(dups));
        }
    }
    create(tx, scope.org_id(), new).map(|p| Enrolment::Created(Box::new(p)))
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

/// A correction of identity after enrolment (API body; the page form fills the same).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCorrection {
    /// Why: required when a recorded value changes (kept in the history).
    #[serde(default)]
    pub reason: String,
    /// Fields of the record to change: first_name, last_name, preferred_name, date_of_birth
    /// (YYYY-MM-DD), pronouns, language, phone, email. Null or "" blanks an optional field.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub changes: serde_json::Map<String, serde_json::Value>,
    /// Stored identifiers to correct (shown and kept exactly as typed).
    #[serde(default)]
    pub identifiers: Vec<IdentifierCorrection>,
    /// Identifiers to add (a booking number, state ID / DIN, supervision case number).
    #[serde(default)]
    pub add_identifiers: Vec<IdentifierInput>,
}

/// A stored identifier's corrected value.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierCorrection {
    pub id: i64,
    pub value: String,
}

/// What a correction did, and who the corrected person now looks like.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IdentityOutcome {
    pub participant: Participant,
    pub identifiers: Vec<Identifier>,
    /// The history rows this correction wrote.
    pub amendments: Vec<Amendment>,
    /// The duplicate check run again on the corrected identity (never merges anything).
    pub likely_duplicates: Vec<Candidate>,
}

fn check_identifier(
    prefix: &str,
    kind: &str,
    value: &str,
    errs: &mut Vec<FieldError>,
) -> Option<String> {
    if !IDENTIFIER_KINDS.iter().any(|(k, _)| *k == kind) {
        errs.push(unknown_identifier_kind(format!("{prefix}.kind"), kind));
    }
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 60 {
        errs.push(FieldError::keyed(
            format!("{prefix}.value"),
            "error-required-at-most",
            &[("max", "60".into())],
        ));
        return None;
    }
    Some(value.to_string())
}

/// Correct and add to a participant's identity, keeping every replaced value in the history
/// (`participants::amendments`), then run the likely-duplicate check again.
pub fn correct_identity(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    by: &Actor,
    scope: &ListScope,
    c: &IdentityCorrection,
) -> AppResult<IdentityOutcome> {
    let mut errs = Vec::new();
    let changes = match amendments::parse_changes(RecordType::Participant, &c.changes) {
        Ok(v) => v,
        Err(_) if c.changes.is_empty() => vec![],
        Err(e) => {
            errs.extend(e);
            vec![]
        }
    };
    let stored = identifiers(tx.conn(), grant)?;
    let mut corrections = Vec::new();
    for (i, ic) in c.identifiers.iter().enumerate() {
        let prefix = format!("identifiers[{i}]");
        match stored.iter().find(|s| s.id == ic.id) {
            None => errs.push(FieldError::keyed(
                format!("{prefix}.id"),
                "error-not-an-identifier-of-participant",
                &[],
            )),
            Some(s) => {
                if let Some(v) = check_identifier(&prefix, &s.kind, &ic.value, &mut errs) {
                    corrections.push((s.id, normalised_value(&s.kind, &v), v));
                }
            }
        }
    }
    let mut additions = Vec::new();
    for (i, a) in c.add_identifiers.iter().enumerate() {
        let prefix = format!("add_identifiers[{i}]");
        if let Some(v) = check_identifier(&prefix, &a.kind, &a.value, &mut errs) {
            additions.push(IdentifierInput {
                kind: a.kind.clone(),
                value: v,
                facility_id: a.facility_id,
            });
        }
    }
    if changes.is_empty() && corrections.is_empty() && additions.is_empty() && errs.is_empty() {
        errs.push(FieldError::keyed("changes", "error-nothing-to-change", &[]));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let mut written = amendments::amend(
        tx,
        grant,
        by,
        RecordType::Participant,
        grant.participant_id(),
        &c.reason,
        &changes,
    )?;
    for (id, normalised, typed) in corrections {
        written.extend(amendments::amend(
            tx,
            grant,
            by,
            RecordType::Identifier,
            id,
            &c.reason,
            &[
                ("typed_value", Value::Text(typed)),
                ("value", Value::Text(normalised)),
            ],
        )?);
    }
    let mut added = Vec::new();
    for a in &additions {
        if let Some(f) = a.facility_id {
            let known: Option<i64> = crate::platform::schema::facilities::table
                .find(f)
                .select(crate::platform::schema::facilities::id)
                .first(tx.conn())
                .optional()?;
            if known.is_none() {
                return Err(AppError::keyed(
                    "add_identifiers.facility_id",
                    "error-unknown-facility",
                    &[],
                ));
            }
        }
        let id = add_identifier(tx, grant.org_id(), grant.participant_id(), a)?;
        added.push(amendments::Added {
            participant_id: grant.participant_id(),
            record: RecordType::Identifier,
            record_id: id,
            field: "typed_value",
            value: a.value.clone(),
            reason: if c.reason.trim().is_empty() {
                format!("{} added", a.kind.replace('_', " "))
            } else {
                c.reason.trim().to_string()
            },
        });
    }
    written.extend(amendments::record_additions(
        tx,
        grant.org_id(),
        by,
        &added,
    )?);
    let participant = get(tx.conn(), grant)?;
    let identifiers = identifiers(tx.conn(), grant)?;
    let key = PersonKey {
        first_name: participant.first_name.clone(),
        last_name: participant.last_name.clone(),
        date_of_birth: participant.date_of_birth,
        identifiers: identifiers
            .iter()
            .map(|i| (i.kind.clone(), i.normalised.clone()))
            .collect(),
    };
    let likely_duplicates = likely_duplicates(tx.conn(), scope, &key)?
        .into_iter()
        .filter(|d| d.id != participant.id)
        .collect();
    Ok(IdentityOutcome {
        participant,
        identifiers,
        amendments: written,
        likely_duplicates,
    })
}

/// "unknown identifier kind "x"; use booking_number, state_id or supervision_case".
fn unknown_identifier_kind(field: String, kind: &str) -> FieldError {
    FieldError::keyed(
        field,
        "error-unknown-identifier-kind",
        &[("value", format!("{kind:?}"))],
    )
}
