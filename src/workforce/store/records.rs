//! A peer's records as entered (the input forms, parsed at the edge) and as stored (the rows):
//! pathway, training, supervised work hours, supervision, background exemptions, court sanctions,
//! facility clearances and visits.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::workforce::codes::{Competency, ExemptionDecision};
use crate::workforce::figures::ExemptionFact;
use crate::workforce::schema::*;

/// The one-off steps of a peer's pathway toward one credential (creates or replaces it).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PathwayInput {
    pub standard_id: i64,
    #[serde(default)]
    #[schema(format = Date)]
    pub exam_passed_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub ethics_signed_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub background_cleared_on: Option<String>,
    #[serde(default)]
    pub education_met: bool,
    #[serde(default)]
    pub fees_paid: bool,
    /// Date of (initial or renewed) certification.
    #[serde(default)]
    #[schema(format = Date)]
    pub certified_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    pub course: String,
    /// The credential domain the hours count toward (e.g. "Advocacy").
    pub domain: String,
    pub hours: f64,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub completed_on: String,
    /// Certificate number, file name or link.
    #[serde(default)]
    pub evidence: String,
    /// Counts as continuing education (after certification) rather than initial training.
    #[serde(default)]
    pub continuing_education: bool,
    /// Ethics hours (for the CE ethics minimum).
    #[serde(default)]
    pub ethics: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkHoursInput {
    #[schema(format = Date)]
    pub worked_on: String,
    pub hours: f64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupervisionInput {
    #[schema(format = Date)]
    pub held_on: String,
    /// individual or group
    #[schema(value_type = crate::workforce::codes::SupervisionFormat)]
    pub format: String,
    /// Duration in hours (or give `minutes`; the stored hours are always minutes / 60).
    #[serde(default)]
    pub hours: Option<f64>,
    /// Duration in minutes (with `hours` too, the two must agree).
    #[serde(default)]
    pub minutes: Option<i64>,
    /// The SAMHSA core competencies discussed (engaging, supporting, sharing_lived_experience,
    /// ...): the one list, stored one row per area (`supervision_competencies`).
    #[serde(default)]
    #[schema(value_type = Vec<crate::workforce::codes::Competency>)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub wellness_checkin: String,
    #[serde(default)]
    pub action_items: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionInput {
    #[schema(format = Date)]
    pub applied_on: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub documents_requested_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub documents_sent_on: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub decided_on: Option<String>,
    /// granted, denied or withdrawn (with `decided_on`)
    #[serde(default)]
    #[schema(value_type = Option<crate::workforce::codes::ExemptionDecision>)]
    pub decision: Option<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SanctionInput {
    /// fine, fee, restitution, civil_lien
    #[schema(value_type = crate::workforce::codes::SanctionKind)]
    pub kind: String,
    pub amount_usd: f64,
    #[serde(default)]
    pub payment_plan: bool,
    #[serde(default = "yes")]
    pub blocks_credential: bool,
    #[serde(default)]
    #[schema(format = Date)]
    pub resolved_on: Option<String>,
}

fn yes() -> bool {
    true
}

/// A status change of a facility clearance.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearanceEventInput {
    /// requested, pending, granted, denied, revoked, expired
    #[schema(value_type = crate::workforce::codes::ClearanceStatus)]
    pub status: String,
    /// The date of this status.
    #[schema(format = Date)]
    pub on: String,
    /// For granted: when the clearance ends.
    #[serde(default)]
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// For granted: e.g. "escort required".
    #[serde(default)]
    pub conditions: String,
    /// For denied or revoked: prior_incarceration, open_case_or_supervision, paperwork,
    /// no_reason_given, other.
    #[serde(default)]
    #[schema(value_type = Option<crate::workforce::codes::DenialReason>)]
    pub denial_reason: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A new clearance request at a facility, with its first status.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearanceInput {
    pub facility_id: i64,
    #[schema(format = Date)]
    pub requested_on: String,
    /// The current status and its details (default: requested on `requested_on`).
    #[serde(default)]
    pub status: Option<ClearanceEventInput>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    pub facility_id: i64,
    #[schema(format = Date)]
    pub scheduled_on: String,
    /// scheduled, completed, cancelled_by_facility, refused_at_door, cancelled_by_peer
    #[schema(value_type = crate::workforce::codes::VisitOutcome)]
    pub outcome: String,
    /// For refused_at_door (and cancellations): what was said.
    #[serde(default)]
    pub refusal_reason: String,
}

// ---------------------------------------------------------------- a peer's records: rows

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = peer_pathways)]
pub struct Pathway {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub standard_id: i64,
    pub exam_passed_on: Option<NaiveDate>,
    pub ethics_signed_on: Option<NaiveDate>,
    pub background_cleared_on: Option<NaiveDate>,
    pub education_met: bool,
    pub fees_paid: bool,
    pub certified_on: Option<NaiveDate>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = training_records, treat_none_as_default_value = false)]
pub struct TrainingRecord {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub course: String,
    pub domain: String,
    pub hours: f64,
    pub completed_on: NaiveDate,
    pub evidence: String,
    pub continuing_education: bool,
    pub ethics: bool,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = work_hours, treat_none_as_default_value = false)]
pub struct WorkHours {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub worked_on: NaiveDate,
    pub hours: f64,
    pub note: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supervision_sessions, treat_none_as_default_value = false)]
pub struct SupervisionSession {
    pub id: i64,
    pub org_id: i64,
    pub supervisor_id: i64,
    pub peer_id: i64,
    pub held_on: NaiveDate,
    #[schema(value_type = crate::workforce::codes::SupervisionFormat)]
    pub format: String,
    /// Minutes / 60.
    pub hours: f64,
    /// Comma-separated competency codes (the competencies discussed).
    pub topics: String,
    pub wellness_checkin: String,
    pub action_items: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    pub minutes: i32,
    /// The supervisor's signature: who signed and when (cleared by an amendment).
    pub supervisor_signed_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub supervisor_signed_at: Option<NaiveDateTime>,
    /// The peer's signature: who signed and when (cleared by an amendment).
    pub peer_signed_by: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub peer_signed_at: Option<NaiveDateTime>,
    /// When it was last amended (its prior values are kept).
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub amended_at: Option<NaiveDateTime>,
}

impl SupervisionSession {
    /// Where its sign-off stands.
    pub fn sign_off(&self) -> crate::workforce::supervision::rules::SignOff {
        crate::workforce::supervision::rules::SignOff::of(
            self.supervisor_signed_at.is_some(),
            self.peer_signed_at.is_some(),
        )
    }
    /// Does it wait for `user`'s signature?
    pub fn awaits(&self, user: i64) -> bool {
        crate::workforce::supervision::rules::awaits(
            user,
            self.supervisor_id,
            self.peer_id,
            self.supervisor_signed_at.is_some(),
            self.peer_signed_at.is_some(),
        )
    }
    pub fn topic_labels(&self) -> String {
        self.topics
            .split(',')
            .filter_map(Competency::parse)
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = exemption_processes)]
pub struct Exemption {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub applied_on: NaiveDate,
    pub documents_requested_on: Option<NaiveDate>,
    pub documents_sent_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    #[schema(value_type = Option<crate::workforce::codes::ExemptionDecision>)]
    pub decision: Option<String>,
    pub notes: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

impl Exemption {
    pub fn fact(&self) -> ExemptionFact {
        ExemptionFact {
            peer_id: self.peer_id,
            applied_on: self.applied_on,
            decided_on: self.decided_on,
            decision: self.decision.as_deref().and_then(ExemptionDecision::parse),
        }
    }
    pub fn days_in_process(&self, today: NaiveDate) -> i64 {
        self.fact().days_in_process(today)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = monetary_sanctions, treat_none_as_default_value = false)]
pub struct Sanction {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    #[schema(value_type = crate::workforce::codes::SanctionKind)]
    pub kind: String,
    pub amount_usd: f64,
    pub payment_plan: bool,
    pub blocks_credential: bool,
    pub resolved_on: Option<NaiveDate>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = facility_clearances)]
pub struct Clearance {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub facility_id: i64,
    pub requested_on: NaiveDate,
    #[schema(value_type = crate::workforce::codes::ClearanceStatus)]
    pub status: String,
    pub status_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub conditions: String,
    #[schema(value_type = Option<crate::workforce::codes::DenialReason>)]
    pub denial_reason: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = clearance_events)]
pub struct ClearanceEvent {
    pub id: i64,
    pub org_id: i64,
    pub clearance_id: i64,
    #[schema(value_type = crate::workforce::codes::ClearanceStatus)]
    pub status: String,
    pub on_date: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub conditions: String,
    #[schema(value_type = Option<crate::workforce::codes::DenialReason>)]
    pub denial_reason: Option<String>,
    pub note: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = facility_visits, treat_none_as_default_value = false)]
#[schema(as = FacilityVisit)]
pub struct Visit {
    pub id: i64,
    pub org_id: i64,
    pub peer_id: i64,
    pub facility_id: i64,
    pub scheduled_on: NaiveDate,
    #[schema(value_type = crate::workforce::codes::VisitOutcome)]
    pub outcome: String,
    pub refusal_reason: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}
