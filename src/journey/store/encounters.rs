//! Encounters: contacts with the participant, individual or group, and the contacts counted
//! towards the high-risk window's targets.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, datetime, done, text};
use crate::journey::rules::{
    self, CompetencyArea, EncounterKind, EncounterMode, EncounterOutcome, EncounterService,
    LifeDomain, label_of,
};
use crate::journey::schema::encounters;
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = encounters)]
pub struct Encounter {
    pub id: i64,
    pub participant_id: i64,
    /// Shared by the rows of one group encounter (the group session's id). Never sent to a
    /// partner organisation: it would tie the participant to the others present.
    pub group_id: Option<i64>,
    /// individual, group
    #[schema(value_type = crate::journey::rules::EncounterKind)]
    pub kind: String,
    /// in_facility, in_community, phone, video, text
    #[schema(value_type = crate::journey::rules::EncounterMode)]
    pub mode: String,
    /// attempted, completed
    #[schema(value_type = crate::journey::rules::EncounterOutcome)]
    pub outcome: String,
    /// peer_support, case_management, moud, medication_supply: the service delivered.
    #[schema(value_type = crate::journey::rules::EncounterService)]
    pub service: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: i32,
    /// Space-separated SAMHSA competency-area codes (an optional tag, for supervision).
    pub topics: String,
    /// Space-separated life-domain codes: what was talked about.
    #[schema(example = "housing moud")]
    pub life_domains: String,
    /// The short note (category "encounter notes": the most sensitive). In a group recorded on
    /// the web, this attendee's own note (the group's note stays with the program).
    pub note: String,
}

impl Encounter {
    pub fn mode_label(&self) -> &'static str {
        label_of::<EncounterMode>(&self.mode)
    }
    pub fn topic_list(&self) -> Vec<&str> {
        self.topics.split_whitespace().collect()
    }
    /// The life domains talked about, as labels (a stored code no longer known shows as is).
    pub fn domain_labels(&self) -> Vec<&str> {
        self.life_domains
            .split_whitespace()
            .map(|c| LifeDomain::parse(c).map_or(c, |d| d.label()))
            .collect()
    }
    pub fn is_group(&self) -> bool {
        self.group_id.is_some()
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EncounterInput {
    /// individual, group
    #[serde(default = "individual")]
    #[schema(value_type = crate::journey::rules::EncounterKind)]
    pub kind: String,
    /// in_facility, in_community, phone, video, text
    #[schema(value_type = crate::journey::rules::EncounterMode)]
    pub mode: String,
    /// attempted, completed
    #[schema(value_type = crate::journey::rules::EncounterOutcome)]
    pub outcome: String,
    /// The service delivered: peer_support (when absent), case_management, moud (medication
    /// for opioid use disorder) or medication_supply (prescribed medication supplied at release).
    /// Pre-release services of a Medicaid reentry programme are recorded this way, once.
    #[serde(default)]
    #[schema(value_type = crate::journey::rules::EncounterService)]
    pub service: String,
    /// When it happened: a wall-clock time without an offset (`YYYY-MM-DDTHH:MM`, optionally
    /// `:SS`; a space may replace the `T` before `HH:MM`), read on the clock of the
    /// participant's organisation (its time zone; decision 0040), or an RFC 3339 time with an
    /// offset (`2026-03-08T03:00:00Z`), taken as that exact instant. Stored and returned as a
    /// UTC instant.
    #[schema(
        pattern = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?| \d{2}:\d{2})$",
        example = "2026-01-01T10:00"
    )]
    pub occurred_at: String,
    pub duration_minutes: i64,
    /// SAMHSA core competency areas (codes): an optional tag, for supervision.
    #[serde(default)]
    #[schema(value_type = Vec<crate::journey::rules::CompetencyArea>)]
    pub topics: Vec<String>,
    /// What was talked about: life domains (codes).
    #[serde(default)]
    #[schema(value_type = Vec<crate::journey::rules::LifeDomain>)]
    pub life_domains: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// For group encounters: the other participants present.
    #[serde(default)]
    pub also_participant_ids: Vec<i64>,
}

pub(super) fn individual() -> String {
    "individual".into()
}

pub struct NewEncounter {
    pub kind: EncounterKind,
    pub mode: EncounterMode,
    pub outcome: EncounterOutcome,
    pub service: EncounterService,
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub topics: Vec<CompetencyArea>,
    pub life_domains: Vec<LifeDomain>,
    pub note: String,
}

impl NewEncounter {
    pub fn parse(i: &EncounterInput, now: NaiveDateTime) -> AppResult<NewEncounter> {
        let mut errs = Vec::new();
        let kind = collect(
            code("kind", &i.kind, EncounterKind::ALL, EncounterKind::as_str),
            &mut errs,
        );
        let mode = collect(
            code("mode", &i.mode, EncounterMode::ALL, EncounterMode::as_str),
            &mut errs,
        );
        let outcome = collect(
            code(
                "outcome",
                &i.outcome,
                EncounterOutcome::ALL,
                EncounterOutcome::as_str,
            ),
            &mut errs,
        );
        let service = if i.service.trim().is_empty() {
            Some(EncounterService::PeerSupport)
        } else {
            collect(
                code(
                    "service",
                    &i.service,
                    EncounterService::ALL,
                    EncounterService::as_str,
                ),
                &mut errs,
            )
        };
        let at = collect(datetime("occurred_at", &i.occurred_at), &mut errs);
        if at.is_some_and(|t| t > now + Duration::minutes(10)) {
            errs.push(FieldError::keyed("occurred_at", "error-in-the-future", &[]));
        }
        if !(0..=24 * 60).contains(&i.duration_minutes) {
            errs.push(crate::platform::fields::not_from_to(
                "duration_minutes",
                0,
                1440,
            ));
        }
        let mut topics = Vec::new();
        for (n, t) in i.topics.iter().enumerate() {
            if let Some(c) = collect(
                code(
                    &format!("topics[{n}]"),
                    t,
                    CompetencyArea::ALL,
                    CompetencyArea::as_str,
                ),
                &mut errs,
            ) && !topics.contains(&c)
            {
                topics.push(c);
            }
        }
        let mut life_domains = Vec::new();
        for (n, d) in i.life_domains.iter().enumerate() {
            if let Some(c) = collect(
                code(
                    &format!("life_domains[{n}]"),
                    d,
                    LifeDomain::ALL,
                    |d: &LifeDomain| d.as_str(),
                ),
                &mut errs,
            ) && !life_domains.contains(&c)
            {
                life_domains.push(c);
            }
        }
        let note = text("note", &i.note, false, 2000, &mut errs);
        if kind == Some(EncounterKind::Individual) && !i.also_participant_ids.is_empty() {
            errs.push(FieldError::keyed(
                "also_participant_ids",
                "error-only-group-has-others",
                &[],
            ));
        }
        let parsed = match (kind, mode, outcome, service, at) {
            (Some(kind), Some(mode), Some(outcome), Some(service), Some(occurred_at)) => {
                Some(NewEncounter {
                    kind,
                    mode,
                    outcome,
                    service,
                    occurred_at,
                    duration_minutes: i.duration_minutes as i32,
                    topics,
                    life_domains,
                    note,
                })
            }
            _ => None,
        };
        done(parsed, errs)
    }
}

/// Record an encounter for every granted participant (one for individual encounters; all those
/// present for a group, each with the same note). Rows of a group share a `group_id`, which is
/// also the id of the group's session (`group_sessions`, with no note of its own).
pub fn record_encounter(
    tx: &mut Tx,
    grants: &[&ParticipantGrant],
    actor_id: i64,
    e: &NewEncounter,
    facility_id: Option<i64>,
) -> AppResult<Vec<Encounter>> {
    let group_id = match (e.kind, grants.first()) {
        (EncounterKind::Group, Some(g)) => {
            let session = super::groups::NewGroupSession {
                org_id: g.org_id(),
                facility_id,
                led_by: actor_id,
                occurred_at: e.occurred_at,
                note: String::new(),
            };
            Some(super::groups::insert_session(tx, &session)?)
        }
        _ => None,
    };
    let rows: Vec<_> = grants.iter().map(|g| (*g, e.note.as_str())).collect();
    insert_rows(tx, group_id, &rows, actor_id, e, facility_id)
}

/// Write one encounter row for each `(grant, note)`: the same encounter `e`, each participant's
/// own note, all with `group_id` (for a group) and `facility_id`.
pub(super) fn insert_rows(
    tx: &mut Tx,
    group_id: Option<i64>,
    rows: &[(&ParticipantGrant, &str)],
    actor_id: i64,
    e: &NewEncounter,
    facility_id: Option<i64>,
) -> AppResult<Vec<Encounter>> {
    let topics = e
        .topics
        .iter()
        .map(rules::CompetencyArea::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let life_domains = e
        .life_domains
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = Vec::new();
    for (g, note) in rows {
        let row = Encounter {
            id: new_id(),
            participant_id: g.participant_id(),
            group_id,
            kind: e.kind.as_str().into(),
            mode: e.mode.as_str().into(),
            outcome: e.outcome.as_str().into(),
            service: e.service.as_str().into(),
            occurred_at: e.occurred_at,
            duration_minutes: e.duration_minutes,
            topics: topics.clone(),
            life_domains: life_domains.clone(),
            note: (*note).to_string(),
        };
        diesel::insert_into(encounters::table)
            .values((
                encounters::id.eq(row.id),
                encounters::org_id.eq(g.org_id()),
                encounters::participant_id.eq(row.participant_id),
                encounters::group_id.eq(row.group_id),
                encounters::kind.eq(&row.kind),
                encounters::mode.eq(&row.mode),
                encounters::outcome.eq(&row.outcome),
                encounters::service.eq(&row.service),
                encounters::occurred_at.eq(row.occurred_at),
                encounters::duration_minutes.eq(row.duration_minutes),
                encounters::topics.eq(&row.topics),
                encounters::life_domains.eq(&row.life_domains),
                encounters::note.eq(&row.note),
                encounters::facility_id.eq(facility_id),
                encounters::created_by.eq(Some(actor_id)),
                encounters::created_at.eq(time::now()),
            ))
            .execute(tx.conn())?;
        out.push(row);
    }
    Ok(out)
}

pub fn encounters(
    conn: &mut DbConn,
    grant: &ParticipantGrant,
    limit: i64,
) -> AppResult<Vec<Encounter>> {
    Ok(encounters::table
        // The participant decides the organisation; filtering on org_id too would let SQLite
        // walk the organisation's whole encounter index to serve the ORDER BY.
        .filter(encounters::participant_id.eq(grant.participant_id()))
        .order(encounters::occurred_at.desc())
        .limit(limit)
        .select(Encounter::as_select())
        .load(conn)?)
}

/// Completed contacts of one participant from `since` on (for the high-risk window).
pub fn completed_contacts_since(
    conn: &mut DbConn,
    participant_ids: &[i64],
    since: NaiveDateTime,
) -> AppResult<Vec<(i64, NaiveDateTime)>> {
    Ok(encounters::table
        .filter(encounters::participant_id.eq_any(participant_ids))
        .filter(encounters::outcome.eq("completed"))
        .filter(encounters::occurred_at.ge(since))
        .select((encounters::participant_id, encounters::occurred_at))
        .load(conn)?)
}

/// Every encounter (instant and outcome) of these participants since `since`: what the
/// disengagement warning is counted from ([`crate::journey::rules::tally`]). An outcome no longer
/// in the vocabulary counts as an attempt.
pub fn outcomes_since(
    conn: &mut DbConn,
    participant_ids: &[i64],
    since: NaiveDateTime,
) -> AppResult<Vec<(i64, NaiveDateTime, EncounterOutcome)>> {
    let rows: Vec<(i64, NaiveDateTime, String)> = encounters::table
        .filter(encounters::participant_id.eq_any(participant_ids))
        .filter(encounters::occurred_at.ge(since))
        .select((
            encounters::participant_id,
            encounters::occurred_at,
            encounters::outcome,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, at, o)| {
            (
                p,
                at,
                EncounterOutcome::parse(&o).unwrap_or(EncounterOutcome::Attempted),
            )
        })
        .collect())
}

/// An encounter as a billing office reads it: who delivered it, where, how long, completed or
/// not, and how many attended its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncounterForBilling {
    pub id: i64,
    pub participant_id: i64,
    pub group_id: Option<i64>,
    /// In a group: how many of the organisation's participants attended (rows sharing
    /// `group_id`); `None` one-to-one.
    pub group_size: Option<u32>,
    pub mode: String,
    pub outcome: String,
    /// The service delivered (`EncounterService`).
    pub service: String,
    pub occurred_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub facility_id: Option<i64>,
    /// The staff member who recorded, and delivered, it.
    pub delivered_by: Option<i64>,
}

/// The organisation's encounters that happened in `[from, to)` (UTC instants), by time.
pub fn encounters_for_billing(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<EncounterForBilling>> {
    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        NaiveDateTime,
        i32,
        Option<i64>,
        Option<i64>,
        String,
    );
    let rows: Vec<Row> = encounters::table
        .filter(encounters::org_id.eq(org_id))
        .filter(encounters::occurred_at.ge(from))
        .filter(encounters::occurred_at.lt(to))
        .order((encounters::occurred_at, encounters::id))
        .select((
            encounters::id,
            encounters::participant_id,
            encounters::group_id,
            encounters::mode,
            encounters::outcome,
            encounters::occurred_at,
            encounters::duration_minutes,
            encounters::facility_id,
            encounters::created_by,
            encounters::service,
        ))
        .load(conn)?;
    let mut sizes = std::collections::HashMap::<i64, u32>::new();
    for r in &rows {
        if let Some(g) = r.2 {
            *sizes.entry(g).or_default() += 1;
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| EncounterForBilling {
            id: r.0,
            participant_id: r.1,
            group_id: r.2,
            group_size: r.2.and_then(|g| sizes.get(&g).copied()),
            mode: r.3,
            outcome: r.4,
            occurred_at: r.5,
            duration_minutes: r.6,
            facility_id: r.7,
            delivered_by: r.8,
            service: r.9,
        })
        .collect())
}
