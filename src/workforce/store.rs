//! Workforce queries. Reads and writes of one peer's records require a `StaffGrant` (only
//! `access::staff` makes them, and it writes the audit entry); organisation-level records
//! (credential standards, readiness, job descriptions) take the organisation the policy returned.
//! Inputs are parsed here into domain values, each error naming its field.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::codes::{
    ClearanceStatus, Competency, DenialReason, ExemptionDecision, JobKind, SanctionKind,
    SupervisionFormat, VisitOutcome,
};
use super::credentials::{
    self, CeEntry, CredentialStandard, DEFAULT_ALERT_DAYS, HoursEntry, PeerProgress, TrainingEntry,
};
use super::figures::{
    self, BarrierFigures, ClearanceEventFact, ClearanceFact, ExemptionFact, FacilityAccessRow,
    SanctionFact, VisitFact,
};
use super::readiness::{self, ItemStatus, OrgStage};
use super::schema::*;
use crate::platform::access::StaffGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::schema::{facilities, users};
use crate::platform::time;

// ---------------------------------------------------------------- parsing helpers

fn text(field: &str, v: &str, max: usize, required: bool, errs: &mut Vec<FieldError>) -> String {
    let v = v.trim();
    if required && v.is_empty() {
        errs.push(FieldError::new(field, "is required"));
    } else if v.chars().count() > max {
        errs.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    v.to_string()
}

fn hours(field: &str, v: f64, max: f64, errs: &mut Vec<FieldError>) -> f64 {
    if !(v.is_finite() && v > 0.0 && v <= max) {
        errs.push(FieldError::new(
            field,
            format!("must be a number of hours above 0 and at most {max}"),
        ));
    }
    v
}

fn amount(field: &str, v: f64, max: f64, errs: &mut Vec<FieldError>) -> f64 {
    if !(v.is_finite() && (0.0..=max).contains(&v)) {
        errs.push(FieldError::new(
            field,
            format!("must be a number from 0 to {max}"),
        ));
    }
    v
}

fn date(field: &str, v: &str, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) if d.year() >= 1950 && d.year() <= 2200 => Some(d),
        _ => {
            errs.push(FieldError::new(
                field,
                format!("{v:?} is not a date (YYYY-MM-DD)"),
            ));
            None
        }
    }
}

fn opt_date(field: &str, v: &Option<String>, errs: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match v.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => date(field, s, errs),
    }
}

fn not_future(field: &str, d: Option<NaiveDate>, today: NaiveDate, errs: &mut Vec<FieldError>) {
    if d.is_some_and(|d| d > today) {
        errs.push(FieldError::new(field, "is in the future"));
    }
}

fn code<T>(
    field: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    choices: String,
    errs: &mut Vec<FieldError>,
) -> Option<T> {
    let r = parse(v);
    if r.is_none() {
        errs.push(FieldError::new(
            field,
            format!("unknown value {v:?}; use one of: {choices}"),
        ));
    }
    r
}

/// A number typed into a form field ("" → `None`).
pub fn form_number(field: &str, v: &str, errs: &mut Vec<FieldError>) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errs.push(FieldError::new(field, format!("{v:?} is not a number")));
            None
        }
    }
}

fn done(errs: Vec<FieldError>) -> AppResult<()> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errs))
    }
}

// ---------------------------------------------------------------- credential standards

/// Training hours required in one domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainHours {
    pub domain: String,
    pub hours: f64,
}

/// A credential standard as sent and received over the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardInput {
    pub name: String,
    pub issuer: String,
    /// Training hours by domain.
    pub training: Vec<DomainHours>,
    /// Supervised work experience hours (0: not required).
    pub supervised_work_hours: f64,
    /// Supervision hours received (0: not required).
    pub supervision_hours: f64,
    pub exam_required: bool,
    pub ethics_attestation_required: bool,
    pub background_check_required: bool,
    #[serde(default)]
    pub formal_education: Option<String>,
    #[serde(default)]
    pub fees_usd: Option<f64>,
    /// Years between renewals (0: does not expire).
    pub renewal_years: u32,
    /// Continuing-education hours per renewal period.
    pub ce_hours: f64,
    /// Of which in ethics.
    pub ce_ethics_hours: f64,
}

impl From<&CredentialStandard> for StandardInput {
    fn from(s: &CredentialStandard) -> Self {
        StandardInput {
            name: s.name.clone(),
            issuer: s.issuer.clone(),
            training: s
                .training_hours_by_domain
                .iter()
                .map(|(d, h)| DomainHours {
                    domain: d.clone(),
                    hours: *h,
                })
                .collect(),
            supervised_work_hours: s.supervised_work_hours,
            supervision_hours: s.supervision_hours,
            exam_required: s.exam_required,
            ethics_attestation_required: s.ethics_attestation_required,
            background_check_required: s.background_check_required,
            formal_education: s.formal_education.clone(),
            fees_usd: s.fees_usd,
            renewal_years: s.renewal_years,
            ce_hours: s.ce_hours,
            ce_ethics_hours: s.ce_ethics_hours,
        }
    }
}

impl StandardInput {
    /// Check every field, reporting all problems at once.
    pub fn parse(&self) -> Result<CredentialStandard, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = text("name", &self.name, 200, true, &mut errs);
        let issuer = text("issuer", &self.issuer, 200, true, &mut errs);
        if self.training.len() > 40 {
            errs.push(FieldError::new("training", "at most 40 domains"));
        }
        let mut training = Vec::new();
        for (i, d) in self.training.iter().enumerate() {
            let domain = text(
                &format!("training[{i}].domain"),
                &d.domain,
                120,
                true,
                &mut errs,
            );
            amount(&format!("training[{i}].hours"), d.hours, 2000.0, &mut errs);
            training.push((domain, d.hours));
        }
        amount(
            "supervised_work_hours",
            self.supervised_work_hours,
            20000.0,
            &mut errs,
        );
        amount(
            "supervision_hours",
            self.supervision_hours,
            5000.0,
            &mut errs,
        );
        amount("ce_hours", self.ce_hours, 1000.0, &mut errs);
        amount("ce_ethics_hours", self.ce_ethics_hours, 1000.0, &mut errs);
        if self.ce_ethics_hours > self.ce_hours {
            errs.push(FieldError::new(
                "ce_ethics_hours",
                "cannot exceed the continuing-education hours",
            ));
        }
        if self.renewal_years > 10 {
            errs.push(FieldError::new("renewal_years", "must be from 0 to 10"));
        }
        if let Some(f) = self.fees_usd {
            amount("fees_usd", f, 100000.0, &mut errs);
        }
        let formal_education = self
            .formal_education
            .as_deref()
            .map(|e| text("formal_education", e, 200, false, &mut errs))
            .filter(|e| !e.is_empty());
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(CredentialStandard {
            name,
            issuer,
            training_hours_by_domain: training,
            supervised_work_hours: self.supervised_work_hours,
            supervision_hours: self.supervision_hours,
            exam_required: self.exam_required,
            ethics_attestation_required: self.ethics_attestation_required,
            background_check_required: self.background_check_required,
            formal_education,
            fees_usd: self.fees_usd.filter(|f| *f > 0.0),
            renewal_years: self.renewal_years,
            ce_hours: self.ce_hours,
            ce_ethics_hours: self.ce_ethics_hours,
        })
    }
}

/// The shipped templates: `(code, label, standard)`.
pub fn templates() -> Vec<(&'static str, &'static str, CredentialStandard)> {
    vec![
        (
            "samhsa_model",
            "State certification aligned with SAMHSA's National Model Standards",
            credentials::samhsa_national_model_state(),
        ),
        (
            "ic_and_rc",
            "IC&RC Peer Recovery (PR)",
            credentials::ic_and_rc_peer_recovery(),
        ),
    ]
}

/// A stored credential standard.
#[derive(Debug, Clone, Serialize)]
pub struct Standard {
    pub id: i64,
    pub org_id: i64,
    #[serde(flatten)]
    pub definition: StandardInput,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

/// The schema of a stored standard: the fields of [`StandardInput`] (flattened into the same
/// object) with its id, organisation and last change. Written out because a derived schema
/// would say `allOf` with the input's `additionalProperties: false`, which no stored standard
/// (carrying `id`) could match.
impl utoipa::PartialSchema for Standard {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{Object, Schema, SchemaFormat, SchemaType, Type};
        use utoipa::openapi::{KnownFormat, RefOr};
        let mut schema = <StandardInput as utoipa::PartialSchema>::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.description = Some("A stored credential standard.".into());
            object.additional_properties = None;
            let int64 = || {
                let mut o = Object::with_type(SchemaType::Type(Type::Integer));
                o.format = Some(SchemaFormat::KnownFormat(KnownFormat::Int64));
                RefOr::T(Schema::Object(o))
            };
            let mut instant = Object::with_type(SchemaType::Type(Type::String));
            instant.format = Some(SchemaFormat::KnownFormat(KnownFormat::DateTime));
            object.properties.insert("id".into(), int64());
            object.properties.insert("org_id".into(), int64());
            object
                .properties
                .insert("updated_at".into(), RefOr::T(Schema::Object(instant)));
            object
                .required
                .extend(["id", "org_id", "updated_at"].map(String::from));
        }
        schema
    }
}

impl utoipa::ToSchema for Standard {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <StandardInput as utoipa::ToSchema>::schemas(schemas);
    }
}

impl Standard {
    pub fn rule(&self) -> CredentialStandard {
        // Stored definitions were validated on the way in.
        self.definition
            .parse()
            .unwrap_or_else(|_| credentials::ic_and_rc_peer_recovery())
    }
}

type StandardRow = (i64, i64, String, NaiveDateTime);

fn standard_from(row: StandardRow) -> AppResult<Standard> {
    let (id, org_id, json, updated_at) = row;
    let rule: CredentialStandard = serde_json::from_str(&json).map_err(AppError::internal)?;
    Ok(Standard {
        id,
        org_id,
        definition: StandardInput::from(&rule),
        updated_at,
    })
}

pub fn create_standard(tx: &mut Tx, org_id: i64, s: &CredentialStandard) -> AppResult<Standard> {
    let id = new_id();
    let now = time::now();
    let json = serde_json::to_string(s).map_err(AppError::internal)?;
    diesel::insert_into(credential_standards::table)
        .values((
            credential_standards::id.eq(id),
            credential_standards::org_id.eq(org_id),
            credential_standards::name.eq(&s.name),
            credential_standards::issuer.eq(&s.issuer),
            credential_standards::definition.eq(&json),
            credential_standards::created_at.eq(now),
            credential_standards::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    standard_from((id, org_id, json, now))
}

pub fn update_standard(tx: &mut Tx, id: i64, s: &CredentialStandard) -> AppResult<Standard> {
    let json = serde_json::to_string(s).map_err(AppError::internal)?;
    let now = time::now();
    diesel::update(credential_standards::table.find(id))
        .set((
            credential_standards::name.eq(&s.name),
            credential_standards::issuer.eq(&s.issuer),
            credential_standards::definition.eq(&json),
            credential_standards::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    standard(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// One standard by id, whatever its organisation (the caller asks the policy next).
pub fn standard(conn: &mut DbConn, id: i64) -> AppResult<Option<Standard>> {
    let row: Option<StandardRow> = credential_standards::table
        .find(id)
        .select((
            credential_standards::id,
            credential_standards::org_id,
            credential_standards::definition,
            credential_standards::updated_at,
        ))
        .first(conn)
        .optional()?;
    row.map(standard_from).transpose()
}

pub fn standards_of(conn: &mut DbConn, org_id: i64) -> AppResult<Vec<Standard>> {
    let rows: Vec<StandardRow> = credential_standards::table
        .filter(credential_standards::org_id.eq(org_id))
        .order((credential_standards::name, credential_standards::id))
        .select((
            credential_standards::id,
            credential_standards::org_id,
            credential_standards::definition,
            credential_standards::updated_at,
        ))
        .load(conn)?;
    rows.into_iter().map(standard_from).collect()
}

// ---------------------------------------------------------------- a peer's records: inputs

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
    /// Duration in hours.
    pub hours: f64,
    /// SAMHSA core competency codes (engaging, supporting, sharing_lived_experience, ...).
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

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = training_records)]
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

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = work_hours)]
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

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = supervision_sessions)]
pub struct SupervisionSession {
    pub id: i64,
    pub org_id: i64,
    pub supervisor_id: i64,
    pub peer_id: i64,
    pub held_on: NaiveDate,
    #[schema(value_type = crate::workforce::codes::SupervisionFormat)]
    pub format: String,
    pub hours: f64,
    /// Comma-separated competency codes.
    pub topics: String,
    pub wellness_checkin: String,
    pub action_items: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

impl SupervisionSession {
    pub fn topic_labels(&self) -> String {
        self.topics
            .split(',')
            .filter_map(Competency::parse)
            .map(super::codes::Competency::label)
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

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = monetary_sanctions)]
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

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = facility_visits)]
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

// ---------------------------------------------------------------- a peer's records: writes

/// Create or replace the peer's pathway toward a standard of their organisation.
pub fn save_pathway(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &PathwayInput,
    today: NaiveDate,
) -> AppResult<Pathway> {
    let mut errs = Vec::new();
    let exam = opt_date("exam_passed_on", &input.exam_passed_on, &mut errs);
    let ethics = opt_date("ethics_signed_on", &input.ethics_signed_on, &mut errs);
    let bg = opt_date(
        "background_cleared_on",
        &input.background_cleared_on,
        &mut errs,
    );
    let cert = opt_date("certified_on", &input.certified_on, &mut errs);
    for (f, d) in [
        ("exam_passed_on", exam),
        ("ethics_signed_on", ethics),
        ("background_cleared_on", bg),
        ("certified_on", cert),
    ] {
        not_future(f, d, today, &mut errs);
    }
    let std_org: Option<i64> = credential_standards::table
        .find(input.standard_id)
        .select(credential_standards::org_id)
        .first(tx.conn())
        .optional()?;
    if std_org != Some(grant.org_id()) {
        errs.push(FieldError::new(
            "standard_id",
            "is not a credential standard of this organisation",
        ));
    }
    done(errs)?;
    let now = time::now();
    let existing: Option<i64> = peer_pathways::table
        .filter(peer_pathways::peer_id.eq(grant.user_id()))
        .filter(peer_pathways::standard_id.eq(input.standard_id))
        .select(peer_pathways::id)
        .first(tx.conn())
        .optional()?;
    let id = match existing {
        Some(id) => {
            diesel::update(peer_pathways::table.find(id))
                .set((
                    peer_pathways::exam_passed_on.eq(exam),
                    peer_pathways::ethics_signed_on.eq(ethics),
                    peer_pathways::background_cleared_on.eq(bg),
                    peer_pathways::education_met.eq(input.education_met),
                    peer_pathways::fees_paid.eq(input.fees_paid),
                    peer_pathways::certified_on.eq(cert),
                    peer_pathways::updated_at.eq(now),
                ))
                .execute(tx.conn())?;
            id
        }
        None => {
            let id = new_id();
            diesel::insert_into(peer_pathways::table)
                .values((
                    peer_pathways::id.eq(id),
                    peer_pathways::org_id.eq(grant.org_id()),
                    peer_pathways::peer_id.eq(grant.user_id()),
                    peer_pathways::standard_id.eq(input.standard_id),
                    peer_pathways::exam_passed_on.eq(exam),
                    peer_pathways::ethics_signed_on.eq(ethics),
                    peer_pathways::background_cleared_on.eq(bg),
                    peer_pathways::education_met.eq(input.education_met),
                    peer_pathways::fees_paid.eq(input.fees_paid),
                    peer_pathways::certified_on.eq(cert),
                    peer_pathways::created_at.eq(now),
                    peer_pathways::updated_at.eq(now),
                ))
                .execute(tx.conn())?;
            id
        }
    };
    Ok(peer_pathways::table
        .find(id)
        .select(Pathway::as_select())
        .first(tx.conn())?)
}

pub fn add_training(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &TrainingInput,
    today: NaiveDate,
) -> AppResult<TrainingRecord> {
    let mut errs = Vec::new();
    let course = text("course", &input.course, 200, true, &mut errs);
    let domain = text("domain", &input.domain, 120, true, &mut errs);
    hours("hours", input.hours, 500.0, &mut errs);
    let on = date("completed_on", &input.completed_on, &mut errs);
    not_future("completed_on", on, today, &mut errs);
    let evidence = text("evidence", &input.evidence, 500, false, &mut errs);
    done(errs)?;
    let r = TrainingRecord {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        course,
        domain,
        hours: input.hours,
        completed_on: on.unwrap_or(today),
        evidence,
        continuing_education: input.continuing_education,
        ethics: input.ethics,
        created_at: time::now(),
    };
    diesel::insert_into(training_records::table)
        .values((
            training_records::id.eq(r.id),
            training_records::org_id.eq(r.org_id),
            training_records::peer_id.eq(r.peer_id),
            training_records::course.eq(&r.course),
            training_records::domain.eq(&r.domain),
            training_records::hours.eq(r.hours),
            training_records::completed_on.eq(r.completed_on),
            training_records::evidence.eq(&r.evidence),
            training_records::continuing_education.eq(r.continuing_education),
            training_records::ethics.eq(r.ethics),
            training_records::created_at.eq(r.created_at),
        ))
        .execute(tx.conn())?;
    Ok(r)
}

pub fn add_work_hours(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &WorkHoursInput,
    today: NaiveDate,
) -> AppResult<WorkHours> {
    let mut errs = Vec::new();
    let on = date("worked_on", &input.worked_on, &mut errs);
    not_future("worked_on", on, today, &mut errs);
    hours("hours", input.hours, 400.0, &mut errs);
    let note = text("note", &input.note, 500, false, &mut errs);
    done(errs)?;
    let r = WorkHours {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        worked_on: on.unwrap_or(today),
        hours: input.hours,
        note,
        created_at: time::now(),
    };
    diesel::insert_into(work_hours::table)
        .values((
            work_hours::id.eq(r.id),
            work_hours::org_id.eq(r.org_id),
            work_hours::peer_id.eq(r.peer_id),
            work_hours::worked_on.eq(r.worked_on),
            work_hours::hours.eq(r.hours),
            work_hours::note.eq(&r.note),
            work_hours::created_at.eq(r.created_at),
        ))
        .execute(tx.conn())?;
    Ok(r)
}

pub fn add_supervision(
    tx: &mut Tx,
    grant: &StaffGrant,
    supervisor_id: i64,
    input: &SupervisionInput,
    today: NaiveDate,
) -> AppResult<SupervisionSession> {
    let mut errs = Vec::new();
    let on = date("held_on", &input.held_on, &mut errs);
    not_future("held_on", on, today, &mut errs);
    let format = code(
        "format",
        &input.format,
        SupervisionFormat::parse,
        SupervisionFormat::choices(),
        &mut errs,
    );
    hours("hours", input.hours, 12.0, &mut errs);
    let mut topics = Vec::new();
    for (i, t) in input.topics.iter().enumerate() {
        if let Some(c) = code(
            &format!("topics[{i}]"),
            t,
            Competency::parse,
            Competency::choices(),
            &mut errs,
        ) && !topics.contains(&c.as_str())
        {
            topics.push(c.as_str());
        }
    }
    let wellness = text(
        "wellness_checkin",
        &input.wellness_checkin,
        2000,
        false,
        &mut errs,
    );
    let actions = text("action_items", &input.action_items, 2000, false, &mut errs);
    done(errs)?;
    let r = SupervisionSession {
        id: new_id(),
        org_id: grant.org_id(),
        supervisor_id,
        peer_id: grant.user_id(),
        held_on: on.unwrap_or(today),
        format: format
            .map(super::codes::SupervisionFormat::as_str)
            .unwrap_or("individual")
            .into(),
        hours: input.hours,
        topics: topics.join(","),
        wellness_checkin: wellness,
        action_items: actions,
        created_at: time::now(),
    };
    diesel::insert_into(supervision_sessions::table)
        .values((
            supervision_sessions::id.eq(r.id),
            supervision_sessions::org_id.eq(r.org_id),
            supervision_sessions::supervisor_id.eq(r.supervisor_id),
            supervision_sessions::peer_id.eq(r.peer_id),
            supervision_sessions::held_on.eq(r.held_on),
            supervision_sessions::format.eq(&r.format),
            supervision_sessions::hours.eq(r.hours),
            supervision_sessions::topics.eq(&r.topics),
            supervision_sessions::wellness_checkin.eq(&r.wellness_checkin),
            supervision_sessions::action_items.eq(&r.action_items),
            supervision_sessions::created_at.eq(r.created_at),
        ))
        .execute(tx.conn())?;
    Ok(r)
}

struct ExemptionValues {
    applied: NaiveDate,
    requested: Option<NaiveDate>,
    sent: Option<NaiveDate>,
    decided: Option<NaiveDate>,
    decision: Option<&'static str>,
    notes: String,
}

fn parse_exemption(input: &ExemptionInput, today: NaiveDate) -> AppResult<ExemptionValues> {
    let mut errs = Vec::new();
    let applied = date("applied_on", &input.applied_on, &mut errs);
    let requested = opt_date(
        "documents_requested_on",
        &input.documents_requested_on,
        &mut errs,
    );
    let sent = opt_date("documents_sent_on", &input.documents_sent_on, &mut errs);
    let decided = opt_date("decided_on", &input.decided_on, &mut errs);
    for (f, d) in [
        ("applied_on", applied),
        ("documents_requested_on", requested),
        ("documents_sent_on", sent),
        ("decided_on", decided),
    ] {
        not_future(f, d, today, &mut errs);
        if let (Some(a), Some(d)) = (applied, d)
            && d < a
        {
            errs.push(FieldError::new(f, "is before applied_on"));
        }
    }
    let decision = match input.decision.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => code(
            "decision",
            v,
            ExemptionDecision::parse,
            ExemptionDecision::choices(),
            &mut errs,
        ),
    };
    match (decision.is_some(), decided.is_some()) {
        (true, false) => errs.push(FieldError::new("decided_on", "is required with a decision")),
        (false, true) => errs.push(FieldError::new("decision", "is required with decided_on")),
        _ => {}
    }
    let notes = text("notes", &input.notes, 2000, false, &mut errs);
    done(errs)?;
    Ok(ExemptionValues {
        applied: applied.unwrap_or(today),
        requested,
        sent,
        decided,
        decision: decision.map(super::codes::ExemptionDecision::as_str),
        notes,
    })
}

pub fn add_exemption(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &ExemptionInput,
    today: NaiveDate,
) -> AppResult<Exemption> {
    let v = parse_exemption(input, today)?;
    let id = new_id();
    let now = time::now();
    diesel::insert_into(exemption_processes::table)
        .values((
            exemption_processes::id.eq(id),
            exemption_processes::org_id.eq(grant.org_id()),
            exemption_processes::peer_id.eq(grant.user_id()),
            exemption_processes::applied_on.eq(v.applied),
            exemption_processes::documents_requested_on.eq(v.requested),
            exemption_processes::documents_sent_on.eq(v.sent),
            exemption_processes::decided_on.eq(v.decided),
            exemption_processes::decision.eq(v.decision),
            exemption_processes::notes.eq(&v.notes),
            exemption_processes::created_at.eq(now),
            exemption_processes::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    exemption(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// One exemption process by id (the caller asks the policy about its peer next).
pub fn exemption(conn: &mut DbConn, id: i64) -> AppResult<Option<Exemption>> {
    Ok(exemption_processes::table
        .find(id)
        .select(Exemption::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_exemption(
    tx: &mut Tx,
    grant: &StaffGrant,
    id: i64,
    input: &ExemptionInput,
    today: NaiveDate,
) -> AppResult<Exemption> {
    let v = parse_exemption(input, today)?;
    let n = diesel::update(
        exemption_processes::table
            .find(id)
            .filter(exemption_processes::peer_id.eq(grant.user_id())),
    )
    .set((
        exemption_processes::applied_on.eq(v.applied),
        exemption_processes::documents_requested_on.eq(v.requested),
        exemption_processes::documents_sent_on.eq(v.sent),
        exemption_processes::decided_on.eq(v.decided),
        exemption_processes::decision.eq(v.decision),
        exemption_processes::notes.eq(&v.notes),
        exemption_processes::updated_at.eq(time::now()),
    ))
    .execute(tx.conn())?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    exemption(tx.conn(), id)?.ok_or(AppError::NotFound)
}

pub fn add_sanction(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &SanctionInput,
    today: NaiveDate,
) -> AppResult<Sanction> {
    let mut errs = Vec::new();
    let kind = code(
        "kind",
        &input.kind,
        SanctionKind::parse,
        SanctionKind::choices(),
        &mut errs,
    );
    amount("amount_usd", input.amount_usd, 10_000_000.0, &mut errs);
    let resolved = opt_date("resolved_on", &input.resolved_on, &mut errs);
    not_future("resolved_on", resolved, today, &mut errs);
    done(errs)?;
    let r = Sanction {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        kind: kind
            .map(super::codes::SanctionKind::as_str)
            .unwrap_or("fine")
            .into(),
        amount_usd: input.amount_usd,
        payment_plan: input.payment_plan,
        blocks_credential: input.blocks_credential,
        resolved_on: resolved,
        created_at: time::now(),
    };
    diesel::insert_into(monetary_sanctions::table)
        .values((
            monetary_sanctions::id.eq(r.id),
            monetary_sanctions::org_id.eq(r.org_id),
            monetary_sanctions::peer_id.eq(r.peer_id),
            monetary_sanctions::kind.eq(&r.kind),
            monetary_sanctions::amount_usd.eq(r.amount_usd),
            monetary_sanctions::payment_plan.eq(r.payment_plan),
            monetary_sanctions::blocks_credential.eq(r.blocks_credential),
            monetary_sanctions::resolved_on.eq(r.resolved_on),
            monetary_sanctions::created_at.eq(r.created_at),
        ))
        .execute(tx.conn())?;
    Ok(r)
}

struct EventValues {
    status: ClearanceStatus,
    on: NaiveDate,
    expires: Option<NaiveDate>,
    conditions: String,
    reason: Option<DenialReason>,
    note: String,
}

fn parse_event(
    prefix: &str,
    e: &ClearanceEventInput,
    today: NaiveDate,
    errs: &mut Vec<FieldError>,
) -> Option<EventValues> {
    let f = |n: &str| format!("{prefix}{n}");
    let status = code(
        &f("status"),
        &e.status,
        ClearanceStatus::parse,
        ClearanceStatus::choices(),
        errs,
    );
    let on = date(&f("on"), &e.on, errs);
    not_future(&f("on"), on, today, errs);
    let expires = opt_date(&f("expires_on"), &e.expires_on, errs);
    let conditions = text(&f("conditions"), &e.conditions, 500, false, errs);
    let note = text(&f("note"), &e.note, 2000, false, errs);
    let reason = match e.denial_reason.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => code(
            &f("denial_reason"),
            v,
            DenialReason::parse,
            DenialReason::choices(),
            errs,
        ),
    };
    if let Some(s) = status {
        let refusal = matches!(s, ClearanceStatus::Denied | ClearanceStatus::Revoked);
        if refusal && reason.is_none() && e.denial_reason.as_deref().is_none_or(str::is_empty) {
            errs.push(FieldError::new(
                f("denial_reason"),
                format!(
                    "is required when the status is {} (use no_reason_given if none was given)",
                    s.as_str()
                ),
            ));
        }
        if !refusal && reason.is_some() {
            errs.push(FieldError::new(
                f("denial_reason"),
                "only applies to denied or revoked",
            ));
        }
        if s != ClearanceStatus::Granted && expires.is_some() {
            errs.push(FieldError::new(f("expires_on"), "only applies to granted"));
        }
    }
    if let (Some(on), Some(x)) = (on, expires)
        && x <= on
    {
        errs.push(FieldError::new(f("expires_on"), "must be after the date"));
    }
    Some(EventValues {
        status: status?,
        on: on?,
        expires,
        conditions,
        reason,
        note,
    })
}

fn insert_event(tx: &mut Tx, org_id: i64, clearance_id: i64, v: &EventValues) -> AppResult<()> {
    diesel::insert_into(clearance_events::table)
        .values((
            clearance_events::id.eq(new_id()),
            clearance_events::org_id.eq(org_id),
            clearance_events::clearance_id.eq(clearance_id),
            clearance_events::status.eq(v.status.as_str()),
            clearance_events::on_date.eq(v.on),
            clearance_events::expires_on.eq(v.expires),
            clearance_events::conditions.eq(&v.conditions),
            clearance_events::denial_reason.eq(v.reason.map(super::codes::DenialReason::as_str)),
            clearance_events::note.eq(&v.note),
            clearance_events::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    diesel::update(facility_clearances::table.find(clearance_id))
        .set((
            facility_clearances::status.eq(v.status.as_str()),
            facility_clearances::status_on.eq(v.on),
            facility_clearances::expires_on.eq(v.expires),
            facility_clearances::conditions.eq(&v.conditions),
            facility_clearances::denial_reason.eq(v.reason.map(super::codes::DenialReason::as_str)),
            facility_clearances::updated_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(())
}

fn check_facility(tx: &mut Tx, field: &str, id: i64, errs: &mut Vec<FieldError>) -> AppResult<()> {
    let exists: Option<i64> = facilities::table
        .find(id)
        .select(facilities::id)
        .first(tx.conn())
        .optional()?;
    if exists.is_none() {
        errs.push(FieldError::new(field, "is not a facility"));
    }
    Ok(())
}

/// Request clearance for the peer at a facility (facilities are deployment-wide reference data).
pub fn add_clearance(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &ClearanceInput,
    today: NaiveDate,
) -> AppResult<Clearance> {
    let mut errs = Vec::new();
    check_facility(tx, "facility_id", input.facility_id, &mut errs)?;
    let requested = date("requested_on", &input.requested_on, &mut errs);
    not_future("requested_on", requested, today, &mut errs);
    let first = match &input.status {
        Some(e) => parse_event("status.", e, today, &mut errs),
        None => None,
    };
    if let (Some(r), Some(f)) = (requested, &first)
        && f.on < r
    {
        errs.push(FieldError::new("status.on", "is before requested_on"));
    }
    done(errs)?;
    let requested = requested.unwrap_or(today);
    let id = new_id();
    let now = time::now();
    diesel::insert_into(facility_clearances::table)
        .values((
            facility_clearances::id.eq(id),
            facility_clearances::org_id.eq(grant.org_id()),
            facility_clearances::peer_id.eq(grant.user_id()),
            facility_clearances::facility_id.eq(input.facility_id),
            facility_clearances::requested_on.eq(requested),
            facility_clearances::status.eq("requested"),
            facility_clearances::status_on.eq(requested),
            facility_clearances::conditions.eq(""),
            facility_clearances::created_at.eq(now),
            facility_clearances::updated_at.eq(now),
        ))
        .execute(tx.conn())?;
    let requested_event = EventValues {
        status: ClearanceStatus::Requested,
        on: requested,
        expires: None,
        conditions: String::new(),
        reason: None,
        note: String::new(),
    };
    insert_event(tx, grant.org_id(), id, &requested_event)?;
    if let Some(f) = first.filter(|f| f.status != ClearanceStatus::Requested) {
        insert_event(tx, grant.org_id(), id, &f)?;
    }
    clearance(tx.conn(), id)?.ok_or(AppError::NotFound)
}

pub fn clearance(conn: &mut DbConn, id: i64) -> AppResult<Option<Clearance>> {
    Ok(facility_clearances::table
        .find(id)
        .select(Clearance::as_select())
        .first(conn)
        .optional()?)
}

/// Record a status change of one of the peer's clearances.
pub fn add_clearance_event(
    tx: &mut Tx,
    grant: &StaffGrant,
    clearance_id: i64,
    input: &ClearanceEventInput,
    today: NaiveDate,
) -> AppResult<Clearance> {
    let c = clearance(tx.conn(), clearance_id)?
        .filter(|c| c.peer_id == grant.user_id())
        .ok_or(AppError::NotFound)?;
    let mut errs = Vec::new();
    let v = parse_event("", input, today, &mut errs);
    if let Some(v) = &v
        && v.on < c.requested_on
    {
        errs.push(FieldError::new("on", "is before the request"));
    }
    done(errs)?;
    if let Some(v) = v {
        insert_event(tx, c.org_id, c.id, &v)?;
    }
    clearance(tx.conn(), clearance_id)?.ok_or(AppError::NotFound)
}

pub fn add_visit(
    tx: &mut Tx,
    grant: &StaffGrant,
    input: &VisitInput,
    today: NaiveDate,
) -> AppResult<Visit> {
    let mut errs = Vec::new();
    check_facility(tx, "facility_id", input.facility_id, &mut errs)?;
    let on = date("scheduled_on", &input.scheduled_on, &mut errs);
    let outcome = code(
        "outcome",
        &input.outcome,
        VisitOutcome::parse,
        VisitOutcome::choices(),
        &mut errs,
    );
    if outcome.is_some_and(|o| o != VisitOutcome::Scheduled) {
        not_future("scheduled_on", on, today, &mut errs);
    }
    let reason = text(
        "refusal_reason",
        &input.refusal_reason,
        500,
        false,
        &mut errs,
    );
    done(errs)?;
    let r = Visit {
        id: new_id(),
        org_id: grant.org_id(),
        peer_id: grant.user_id(),
        facility_id: input.facility_id,
        scheduled_on: on.unwrap_or(today),
        outcome: outcome
            .map(super::codes::VisitOutcome::as_str)
            .unwrap_or("scheduled")
            .into(),
        refusal_reason: reason,
        created_at: time::now(),
    };
    diesel::insert_into(facility_visits::table)
        .values((
            facility_visits::id.eq(r.id),
            facility_visits::org_id.eq(r.org_id),
            facility_visits::peer_id.eq(r.peer_id),
            facility_visits::facility_id.eq(r.facility_id),
            facility_visits::scheduled_on.eq(r.scheduled_on),
            facility_visits::outcome.eq(&r.outcome),
            facility_visits::refusal_reason.eq(&r.refusal_reason),
            facility_visits::created_at.eq(r.created_at),
        ))
        .execute(tx.conn())?;
    Ok(r)
}

// ---------------------------------------------------------------- a peer's records: the view

/// Progress on one requirement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequirementView {
    pub key: String,
    pub label: String,
    /// training, supervised_work, supervision, exam, ethics_attestation, background_check,
    /// education, fees
    #[schema(value_type = crate::workforce::credentials::RequirementKind)]
    pub kind: String,
    pub required: f64,
    pub done: f64,
    /// 0..=1
    pub fraction: f64,
}

impl RequirementView {
    /// Percent for the `<progress>` element (0..=100, whole).
    pub fn percent(&self) -> i64 {
        (self.fraction * 100.0).floor() as i64
    }
    pub fn is_hours(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "training" | "supervised_work" | "supervision"
        )
    }
}

/// A renewal alert.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    /// expires_in, expired, ce_behind, ce_ethics_behind
    #[schema(value_type = crate::workforce::credentials::AlertKind)]
    pub kind: String,
    pub message: String,
}

/// Progress toward one credential.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwayView {
    pub pathway: Pathway,
    pub standard_name: String,
    pub requirements: Vec<RequirementView>,
    /// 0..=1
    pub overall: f64,
    /// At the current pace (hours of the last 90 days); absent when no pace yet.
    pub expected_completion: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub alerts: Vec<AlertView>,
}

impl PathwayView {
    pub fn overall_percent(&self) -> i64 {
        (self.overall * 100.0).floor() as i64
    }
}

/// Everything on one peer's workforce record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeerRecord {
    pub peer_id: i64,
    pub name: String,
    pub email: String,
    #[schema(value_type = crate::platform::access::Role)]
    pub role: String,
    pub supervisor_id: Option<i64>,
    pub pathways: Vec<PathwayView>,
    pub training: Vec<TrainingRecord>,
    pub supervised_work_hours: f64,
    pub work_hours: Vec<WorkHours>,
    pub supervision: Vec<SupervisionSession>,
    pub exemptions: Vec<Exemption>,
    pub sanctions: Vec<Sanction>,
    pub clearances: Vec<Clearance>,
    pub clearance_history: Vec<ClearanceEvent>,
    pub visits: Vec<Visit>,
    /// Facility names by id, for display.
    #[schema(value_type = std::collections::HashMap<String,String>)]
    pub facility_names: HashMap<i64, String>,
}

impl PeerRecord {
    pub fn facility(&self, id: &i64) -> &str {
        self.facility_names
            .get(id)
            .map(String::as_str)
            .unwrap_or("?")
    }
    pub fn history_of(&self, clearance_id: &i64) -> Vec<&ClearanceEvent> {
        self.clearance_history
            .iter()
            .filter(|e| e.clearance_id == *clearance_id)
            .collect()
    }
}

fn alert_view(a: &credentials::CredentialAlert) -> AlertView {
    use credentials::CredentialAlert::*;
    let message = match a {
        ExpiresIn {
            expires_on, days, ..
        } => format!("Credential expires on {expires_on} (in {days} days)"),
        Expired { expired_on } => format!("Credential expired on {expired_on}"),
        CeBehind {
            needed,
            done,
            expected_by_now,
        } => format!(
            "Continuing education behind: {done:.1} of {needed:.0} hours done, {expected_by_now:.1} expected by now"
        ),
        CeEthicsBehind {
            needed,
            done,
            expected_by_now,
        } => format!(
            "Ethics continuing education behind: {done:.1} of {needed:.0} hours done, {expected_by_now:.1} expected by now"
        ),
    };
    AlertView {
        kind: a.as_str().into(),
        message,
    }
}

/// Build the pathway views from the peer's records (pure apart from its inputs).
pub fn pathway_views(
    pathways: &[Pathway],
    standards: &[Standard],
    training: &[TrainingRecord],
    work: &[WorkHours],
    supervision: &[SupervisionSession],
    exemptions: &[Exemption],
    today: NaiveDate,
) -> Vec<PathwayView> {
    let exemption_granted = exemptions
        .iter()
        .filter(|e| e.decision.as_deref() == Some("granted"))
        .filter_map(|e| e.decided_on)
        .min();
    let mut out = Vec::new();
    for p in pathways {
        let Some(s) = standards.iter().find(|s| s.id == p.standard_id) else {
            continue;
        };
        let rule = s.rule();
        let input = PeerProgress {
            training: training
                .iter()
                .filter(|t| !t.continuing_education)
                .map(|t| TrainingEntry {
                    domain: t.domain.clone(),
                    hours: t.hours,
                    on: t.completed_on,
                })
                .collect(),
            supervised_work_hours: work
                .iter()
                .map(|w| HoursEntry {
                    on: w.worked_on,
                    hours: w.hours,
                })
                .collect(),
            supervision_hours: supervision
                .iter()
                .map(|w| HoursEntry {
                    on: w.held_on,
                    hours: w.hours,
                })
                .collect(),
            exam_passed_on: p.exam_passed_on,
            ethics_signed_on: p.ethics_signed_on,
            background_check_cleared_on: p.background_cleared_on.or(exemption_granted),
            education_met: p.education_met,
            fees_paid: p.fees_paid,
            certified_on: p.certified_on,
            ce: training
                .iter()
                .filter(|t| t.continuing_education)
                .map(|t| CeEntry {
                    on: t.completed_on,
                    hours: t.hours,
                    ethics: t.ethics,
                })
                .collect(),
        };
        let items = credentials::progress(&rule, &input);
        let overall = credentials::overall_fraction(&items);
        out.push(PathwayView {
            pathway: p.clone(),
            standard_name: rule.name.clone(),
            requirements: items
                .iter()
                .map(|r| RequirementView {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    kind: r.kind.as_str().into(),
                    required: r.required,
                    // `+ 0.0` turns the empty sum's -0.0 into 0.0 for display.
                    done: r.done + 0.0,
                    fraction: r.fraction,
                })
                .collect(),
            overall,
            expected_completion: credentials::expected_completion(&rule, &input, today),
            expires_on: p
                .certified_on
                .map(|c| credentials::expiry(c, &rule))
                .filter(|d| *d != NaiveDate::MAX),
            alerts: credentials::alerts(&rule, &input, today, &DEFAULT_ALERT_DAYS)
                .iter()
                .map(alert_view)
                .collect(),
        });
    }
    out
}

/// The whole record of the peer the grant is for.
pub fn peer_record(
    conn: &mut DbConn,
    grant: &StaffGrant,
    today: NaiveDate,
) -> AppResult<PeerRecord> {
    let peer = grant.user_id();
    let (name, email, role, supervisor_id): (String, String, String, Option<i64>) = users::table
        .find(peer)
        .select((users::name, users::email, users::role, users::supervisor_id))
        .first(conn)?;
    let pathways: Vec<Pathway> = peer_pathways::table
        .filter(peer_pathways::peer_id.eq(peer))
        .order(peer_pathways::created_at)
        .select(Pathway::as_select())
        .load(conn)?;
    let standards = standards_of(conn, grant.org_id())?;
    let training: Vec<TrainingRecord> = training_records::table
        .filter(training_records::peer_id.eq(peer))
        .order((training_records::completed_on.desc(), training_records::id))
        .select(TrainingRecord::as_select())
        .load(conn)?;
    let work: Vec<WorkHours> = work_hours::table
        .filter(work_hours::peer_id.eq(peer))
        .order((work_hours::worked_on.desc(), work_hours::id))
        .select(WorkHours::as_select())
        .load(conn)?;
    let supervision: Vec<SupervisionSession> = supervision_sessions::table
        .filter(supervision_sessions::peer_id.eq(peer))
        .order((
            supervision_sessions::held_on.desc(),
            supervision_sessions::id,
        ))
        .select(SupervisionSession::as_select())
        .load(conn)?;
    let exemptions: Vec<Exemption> = exemption_processes::table
        .filter(exemption_processes::peer_id.eq(peer))
        .order(exemption_processes::applied_on.desc())
        .select(Exemption::as_select())
        .load(conn)?;
    let sanctions: Vec<Sanction> = monetary_sanctions::table
        .filter(monetary_sanctions::peer_id.eq(peer))
        .order(monetary_sanctions::created_at.desc())
        .select(Sanction::as_select())
        .load(conn)?;
    let clearances: Vec<Clearance> = facility_clearances::table
        .filter(facility_clearances::peer_id.eq(peer))
        .order(facility_clearances::requested_on.desc())
        .select(Clearance::as_select())
        .load(conn)?;
    let ids: Vec<i64> = clearances.iter().map(|c| c.id).collect();
    let clearance_history: Vec<ClearanceEvent> = clearance_events::table
        .filter(clearance_events::clearance_id.eq_any(&ids))
        .order((clearance_events::on_date, clearance_events::created_at))
        .select(ClearanceEvent::as_select())
        .load(conn)?;
    let visits: Vec<Visit> = facility_visits::table
        .filter(facility_visits::peer_id.eq(peer))
        .order(facility_visits::scheduled_on.desc())
        .limit(200)
        .select(Visit::as_select())
        .load(conn)?;
    let facility_names: HashMap<i64, String> = facilities::table
        .select((facilities::id, facilities::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let views = pathway_views(
        &pathways,
        &standards,
        &training,
        &work,
        &supervision,
        &exemptions,
        today,
    );
    Ok(PeerRecord {
        peer_id: peer,
        name,
        email,
        role,
        supervisor_id,
        pathways: views,
        supervised_work_hours: work.iter().map(|w| w.hours).sum(),
        training,
        work_hours: work.into_iter().take(50).collect(),
        supervision,
        exemptions,
        sanctions,
        clearances,
        clearance_history,
        visits,
        facility_names,
    })
}

// ---------------------------------------------------------------- lists and summaries

/// A peer (or supervisor) in a workforce list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeerSummary {
    pub id: i64,
    pub name: String,
    #[schema(value_type = crate::platform::access::Role)]
    pub role: String,
    pub supervisor_id: Option<i64>,
    /// Best overall progress over their pathways (0..=1), if any pathway.
    pub overall: Option<f64>,
    /// Supervision hours received this calendar month.
    pub supervision_hours_this_month: f64,
    pub alerts: Vec<AlertView>,
    pub certified: bool,
}

impl PeerSummary {
    pub fn percent(&self) -> i64 {
        self.overall
            .map(|o| (o * 100.0).floor() as i64)
            .unwrap_or(0)
    }
}

/// Summaries of the peers of `org_id`, or only those supervised by `supervisor` when given.
pub fn peer_summaries(
    conn: &mut DbConn,
    org_id: i64,
    supervisor: Option<i64>,
    today: NaiveDate,
) -> AppResult<Vec<PeerSummary>> {
    let mut q = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::role.eq_any(["peer", "supervisor"]))
        .filter(users::disabled_at.is_null())
        .into_boxed();
    if let Some(s) = supervisor {
        q = q.filter(users::supervisor_id.eq(s));
    }
    let people: Vec<(i64, String, String, Option<i64>)> = q
        .order(users::name)
        .select((users::id, users::name, users::role, users::supervisor_id))
        .load(conn)?;
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let standards = standards_of(conn, org_id)?;
    let mut pathways: HashMap<i64, Vec<Pathway>> = HashMap::new();
    let mut training: HashMap<i64, Vec<TrainingRecord>> = HashMap::new();
    let mut work: HashMap<i64, Vec<WorkHours>> = HashMap::new();
    let mut sup: HashMap<i64, Vec<SupervisionSession>> = HashMap::new();
    let mut ex: HashMap<i64, Vec<Exemption>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for p in peer_pathways::table
            .filter(peer_pathways::peer_id.eq_any(chunk))
            .select(Pathway::as_select())
            .load(conn)?
        {
            pathways.entry(p.peer_id).or_default().push(p);
        }
        for t in training_records::table
            .filter(training_records::peer_id.eq_any(chunk))
            .select(TrainingRecord::as_select())
            .load(conn)?
        {
            training.entry(t.peer_id).or_default().push(t);
        }
        for w in work_hours::table
            .filter(work_hours::peer_id.eq_any(chunk))
            .select(WorkHours::as_select())
            .load(conn)?
        {
            work.entry(w.peer_id).or_default().push(w);
        }
        for s in supervision_sessions::table
            .filter(supervision_sessions::peer_id.eq_any(chunk))
            .select(SupervisionSession::as_select())
            .load(conn)?
        {
            sup.entry(s.peer_id).or_default().push(s);
        }
        for e in exemption_processes::table
            .filter(exemption_processes::peer_id.eq_any(chunk))
            .select(Exemption::as_select())
            .load(conn)?
        {
            ex.entry(e.peer_id).or_default().push(e);
        }
    }
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(people
        .into_iter()
        .map(|(id, name, role, supervisor_id)| {
            let views = pathway_views(
                pathways.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                &standards,
                training.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                work.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                sup.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                ex.get(&id).map(Vec::as_slice).unwrap_or(&[]),
                today,
            );
            let month: f64 = sup
                .get(&id)
                .map(|v| {
                    v.iter()
                        .filter(|s| s.held_on >= month_start && s.held_on <= today)
                        .map(|s| s.hours)
                        .sum()
                })
                .unwrap_or(0.0);
            PeerSummary {
                id,
                name,
                role,
                supervisor_id,
                overall: views.iter().map(|v| v.overall).reduce(f64::max),
                supervision_hours_this_month: month,
                alerts: views.iter().flat_map(|v| v.alerts.clone()).collect(),
                certified: views.iter().any(|v| v.pathway.certified_on.is_some()),
            }
        })
        .collect())
}

// ---------------------------------------------------------------- reports

/// `(org_id, peer_id, applied_on, decided_on, decision)`.
type ExemptionRow = (i64, i64, NaiveDate, Option<NaiveDate>, Option<String>);

/// The certification barriers report: the programme and the whole deployment, de-identified.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BarriersReport {
    pub as_of: NaiveDate,
    pub programme: BarrierFigures,
    pub deployment: BarrierFigures,
}

pub fn barriers_report(
    conn: &mut DbConn,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<BarriersReport> {
    let ex: Vec<ExemptionRow> = exemption_processes::table
        .select((
            exemption_processes::org_id,
            exemption_processes::peer_id,
            exemption_processes::applied_on,
            exemption_processes::decided_on,
            exemption_processes::decision,
        ))
        .load(conn)?;
    let sa: Vec<(i64, i64, f64, bool, bool, Option<NaiveDate>)> = monetary_sanctions::table
        .select((
            monetary_sanctions::org_id,
            monetary_sanctions::peer_id,
            monetary_sanctions::amount_usd,
            monetary_sanctions::payment_plan,
            monetary_sanctions::blocks_credential,
            monetary_sanctions::resolved_on,
        ))
        .load(conn)?;
    let peers: Vec<i64> = users::table
        .filter(users::role.eq("peer"))
        .filter(users::disabled_at.is_null())
        .select(users::org_id)
        .load(conn)?;
    let facts = |only: Option<i64>| {
        let e: Vec<ExemptionFact> = ex
            .iter()
            .filter(|r| only.is_none_or(|o| r.0 == o))
            .map(|r| ExemptionFact {
                peer_id: r.1,
                applied_on: r.2,
                decided_on: r.3,
                decision: r.4.as_deref().and_then(ExemptionDecision::parse),
            })
            .collect();
        let s: Vec<SanctionFact> = sa
            .iter()
            .filter(|r| only.is_none_or(|o| r.0 == o))
            .map(|r| SanctionFact {
                peer_id: r.1,
                amount_usd: r.2,
                payment_plan: r.3,
                blocks_credential: r.4,
                resolved: r.5.is_some_and(|d| d <= today),
            })
            .collect();
        let n = peers
            .iter()
            .filter(|o| only.is_none_or(|x| **o == x))
            .count() as i64;
        (e, s, n)
    };
    let (pe, ps, pn) = facts(Some(org_id));
    let (de, ds, dn) = facts(None);
    Ok(BarriersReport {
        as_of: today,
        programme: figures::barrier_figures("programme", pn, &pe, &ps, today),
        deployment: figures::barrier_figures("deployment", dn, &de, &ds, today),
    })
}

/// The facility access report of a programme for `[from, to]`, worst first.
pub fn facility_access_report(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<FacilityAccessRow>> {
    let facs: Vec<(i64, String)> = facilities::table
        .order(facilities::name)
        .select((facilities::id, facilities::name))
        .load(conn)?;
    let cl: Vec<(i64, i64, NaiveDate)> = facility_clearances::table
        .filter(facility_clearances::org_id.eq(org_id))
        .select((
            facility_clearances::id,
            facility_clearances::facility_id,
            facility_clearances::requested_on,
        ))
        .load(conn)?;
    let ev: Vec<(i64, String, NaiveDate, Option<String>)> = clearance_events::table
        .filter(clearance_events::org_id.eq(org_id))
        .filter(clearance_events::on_date.ge(from))
        .filter(clearance_events::on_date.le(to))
        .select((
            clearance_events::clearance_id,
            clearance_events::status,
            clearance_events::on_date,
            clearance_events::denial_reason,
        ))
        .load(conn)?;
    let vs: Vec<(i64, NaiveDate, String)> = facility_visits::table
        .filter(facility_visits::org_id.eq(org_id))
        .filter(facility_visits::scheduled_on.ge(from))
        .filter(facility_visits::scheduled_on.le(to))
        .select((
            facility_visits::facility_id,
            facility_visits::scheduled_on,
            facility_visits::outcome,
        ))
        .load(conn)?;
    let cl: Vec<ClearanceFact> = cl
        .into_iter()
        .map(|(clearance_id, facility_id, requested_on)| ClearanceFact {
            clearance_id,
            facility_id,
            requested_on,
        })
        .collect();
    let ev: Vec<ClearanceEventFact> = ev
        .into_iter()
        .filter_map(|(clearance_id, status, on, reason)| {
            Some(ClearanceEventFact {
                clearance_id,
                status: ClearanceStatus::parse(&status)?,
                on,
                denial_reason: reason.as_deref().and_then(DenialReason::parse),
            })
        })
        .collect();
    let vs: Vec<VisitFact> = vs
        .into_iter()
        .filter_map(|(facility_id, scheduled_on, outcome)| {
            Some(VisitFact {
                facility_id,
                scheduled_on,
                outcome: VisitOutcome::parse(&outcome)?,
            })
        })
        .collect();
    let mut rows = figures::facility_access(&facs, &cl, &ev, &vs, from, to);
    let without = participants_without_contact(conn, org_id, from, to)?;
    for r in &mut rows {
        r.participants_without_contact = without.get(&r.facility_id).copied().unwrap_or(0);
    }
    Ok(rows)
}

#[derive(diesel::QueryableByName)]
struct FacilityCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    fid: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Per facility: the organisation's participants held there at some time in `[from, to]` (an
/// episode at the facility overlapping the period, not released before it) with no completed
/// encounter in the period.
pub fn participants_without_contact(
    conn: &mut DbConn,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, usize>> {
    use diesel::sql_types::{BigInt, Date, Timestamp};
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    // Placeholders first appear in the order they are bound: SQLite numbers `$N` by first
    // appearance (https://www.sqlite.org/lang_expr.html#parameters), PostgreSQL by N.
    let rows: Vec<FacilityCount> = diesel::sql_query(
        "SELECT e.facility_id AS fid, COUNT(DISTINCT e.participant_id) AS n FROM episodes e \
         WHERE e.org_id = $1 AND e.facility_id IS NOT NULL \
         AND (e.ended_on IS NULL OR e.ended_on >= $2) AND e.started_on <= $3 \
         AND (e.released_at IS NULL OR e.released_at >= $4) \
         AND NOT EXISTS (SELECT 1 FROM encounters c WHERE c.participant_id = e.participant_id \
           AND c.outcome = 'completed' AND c.occurred_at >= $4 AND c.occurred_at < $5) \
         GROUP BY e.facility_id",
    )
    .bind::<BigInt, _>(org_id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Timestamp, _>(start)
    .bind::<Timestamp, _>(end)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.fid, r.n as usize)).collect())
}

/// CSV of the barriers report: one row per figure, one column per scope.
pub fn barriers_csv(r: &BarriersReport) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    w.write_record(["figure", "programme", "deployment"])
        .map_err(AppError::internal)?;
    let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    let rows: Vec<(&str, String, String)> = vec![
        (
            "peers",
            r.programme.peers.to_string(),
            r.deployment.peers.to_string(),
        ),
        (
            "exemption_processes",
            r.programme.exemption_processes.to_string(),
            r.deployment.exemption_processes.to_string(),
        ),
        (
            "open",
            r.programme.open.to_string(),
            r.deployment.open.to_string(),
        ),
        (
            "granted",
            r.programme.granted.to_string(),
            r.deployment.granted.to_string(),
        ),
        (
            "denied",
            r.programme.denied.to_string(),
            r.deployment.denied.to_string(),
        ),
        (
            "withdrawn",
            r.programme.withdrawn.to_string(),
            r.deployment.withdrawn.to_string(),
        ),
        (
            "median_days_in_process",
            opt(r.programme.median_days_in_process),
            opt(r.deployment.median_days_in_process),
        ),
        (
            "median_days_open",
            opt(r.programme.median_days_open),
            opt(r.deployment.median_days_open),
        ),
        (
            "longest_days",
            r.programme
                .longest_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.deployment
                .longest_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        (
            "over_three_years",
            r.programme.over_three_years.to_string(),
            r.deployment.over_three_years.to_string(),
        ),
        (
            "peers_blocked",
            r.programme.peers_blocked.to_string(),
            r.deployment.peers_blocked.to_string(),
        ),
        (
            "blocked_by_open_exemption",
            r.programme.blocked_by_open_exemption.to_string(),
            r.deployment.blocked_by_open_exemption.to_string(),
        ),
        (
            "blocked_by_denied_exemption",
            r.programme.blocked_by_denied_exemption.to_string(),
            r.deployment.blocked_by_denied_exemption.to_string(),
        ),
        (
            "blocked_by_monetary_sanctions",
            r.programme.blocked_by_monetary_sanctions.to_string(),
            r.deployment.blocked_by_monetary_sanctions.to_string(),
        ),
        (
            "blocked_on_payment_plan",
            r.programme.blocked_on_payment_plan.to_string(),
            r.deployment.blocked_on_payment_plan.to_string(),
        ),
        (
            "outstanding_usd",
            format!("{:.2}", r.programme.outstanding_usd),
            format!("{:.2}", r.deployment.outstanding_usd),
        ),
    ];
    for (k, a, b) in rows {
        w.write_record([k, &a, &b]).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}

/// CSV of the facility access report, one row per facility (worst first).
pub fn facility_access_csv(rows: &[FacilityAccessRow]) -> AppResult<String> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    let mut head = vec![
        "facility".to_string(),
        "requests".into(),
        "granted".into(),
        "denied".into(),
        "revoked".into(),
        "denial_rate".into(),
    ];
    head.extend(
        DenialReason::ALL
            .iter()
            .map(|r| format!("denied_{}", r.as_str())),
    );
    head.extend([
        "median_days_to_clearance".into(),
        "visits_scheduled".into(),
        "visits_completed".into(),
        "refused_at_door".into(),
        "cancelled_by_facility".into(),
        "participants_without_contact".into(),
    ]);
    w.write_record(&head).map_err(AppError::internal)?;
    for r in rows {
        let mut rec = vec![
            r.facility.clone(),
            r.requests.to_string(),
            r.granted.to_string(),
            r.denied.to_string(),
            r.revoked.to_string(),
            r.denial_rate.map(|x| format!("{x:.3}")).unwrap_or_default(),
        ];
        rec.extend(r.denied_by_reason.iter().map(|c| c.count.to_string()));
        rec.extend([
            r.median_days_to_clearance
                .map(|x| format!("{x}"))
                .unwrap_or_default(),
            r.visits_scheduled.to_string(),
            r.visits_completed.to_string(),
            r.refused_at_door.to_string(),
            r.cancelled_by_facility.to_string(),
            r.participants_without_contact.to_string(),
        ]);
        w.write_record(&rec).map_err(AppError::internal)?;
    }
    String::from_utf8(w.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}

// ---------------------------------------------------------------- readiness and job descriptions

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = readiness_items)]
pub struct ReadinessItem {
    pub id: i64,
    pub org_id: i64,
    pub item_key: String,
    pub title: String,
    /// precontemplation, contemplation, preparation, action, maintenance
    #[schema(value_type = crate::workforce::readiness::OrgStage)]
    pub stage: String,
    /// promote_recovery_orientation, prepare_to_integrate, plan_supports, produce_policies,
    /// provide_supervision
    #[schema(value_type = crate::workforce::readiness::FiveP)]
    pub five_p: String,
    pub description: String,
    pub owner: String,
    /// not_started, in_progress, done, not_applicable
    #[schema(value_type = crate::workforce::readiness::ItemStatus)]
    pub status: String,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub position: i32,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub updated_at: NaiveDateTime,
}

impl ReadinessItem {
    pub fn five_p_label(&self) -> &'static str {
        readiness::FiveP::parse(&self.five_p)
            .map(super::readiness::FiveP::label)
            .unwrap_or("")
    }
}

/// Rows for the default checklist of one organisation (for the demo's batched insert too).
pub fn default_readiness_rows(org_id: i64) -> Vec<ReadinessItem> {
    let now = time::now();
    readiness::default_checklist()
        .into_iter()
        .enumerate()
        .map(|(i, t)| ReadinessItem {
            id: new_id(),
            org_id,
            item_key: t.key,
            title: t.title,
            stage: t.stage.as_str().into(),
            five_p: t.five_p.as_str().into(),
            description: t.description,
            owner: String::new(),
            status: ItemStatus::NotStarted.as_str().into(),
            due_on: None,
            notes: String::new(),
            position: i as i32,
            updated_at: now,
        })
        .collect()
}

pub fn insert_readiness_rows(conn: &mut DbConn, rows: &[ReadinessItem]) -> AppResult<()> {
    for r in rows {
        diesel::insert_into(readiness_items::table)
            .values((
                readiness_items::id.eq(r.id),
                readiness_items::org_id.eq(r.org_id),
                readiness_items::item_key.eq(&r.item_key),
                readiness_items::title.eq(&r.title),
                readiness_items::stage.eq(&r.stage),
                readiness_items::five_p.eq(&r.five_p),
                readiness_items::description.eq(&r.description),
                readiness_items::owner.eq(&r.owner),
                readiness_items::status.eq(&r.status),
                readiness_items::due_on.eq(r.due_on),
                readiness_items::notes.eq(&r.notes),
                readiness_items::position.eq(r.position),
                readiness_items::updated_at.eq(r.updated_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The organisation's checklist, created from the default template on first use.
pub fn readiness_checklist(tx: &mut Tx, org_id: i64) -> AppResult<Vec<ReadinessItem>> {
    let n: i64 = readiness_items::table
        .filter(readiness_items::org_id.eq(org_id))
        .count()
        .get_result(tx.conn())?;
    if n == 0 {
        insert_readiness_rows(tx.conn(), &default_readiness_rows(org_id))?;
    }
    Ok(readiness_items::table
        .filter(readiness_items::org_id.eq(org_id))
        .order((readiness_items::position, readiness_items::id))
        .select(ReadinessItem::as_select())
        .load(tx.conn())?)
}

/// Progress per stage: `(stage code, stage label, done, total)`, and the current stage.
pub fn readiness_progress(
    items: &[ReadinessItem],
) -> (Vec<(String, String, usize, usize)>, String) {
    let pairs: Vec<(OrgStage, ItemStatus)> = items
        .iter()
        .filter_map(|i| Some((OrgStage::parse(&i.stage)?, ItemStatus::parse(&i.status)?)))
        .collect();
    let per = readiness::stage_progress(&pairs)
        .into_iter()
        .map(|(s, d, t)| (s.as_str().to_string(), s.label().to_string(), d, t))
        .collect();
    (per, readiness::current_stage(&pairs).label().to_string())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessItemInput {
    #[serde(default)]
    pub owner: String,
    /// not_started, in_progress, done, not_applicable
    #[schema(value_type = crate::workforce::readiness::ItemStatus)]
    pub status: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub notes: String,
}

pub fn readiness_item(conn: &mut DbConn, id: i64) -> AppResult<Option<ReadinessItem>> {
    Ok(readiness_items::table
        .find(id)
        .select(ReadinessItem::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_readiness_item(
    tx: &mut Tx,
    id: i64,
    input: &ReadinessItemInput,
) -> AppResult<ReadinessItem> {
    let mut errs = Vec::new();
    let owner = text("owner", &input.owner, 200, false, &mut errs);
    let status = code(
        "status",
        &input.status,
        ItemStatus::parse,
        ItemStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        &mut errs,
    );
    let due = opt_date("due_on", &input.due_on, &mut errs);
    let notes = text("notes", &input.notes, 2000, false, &mut errs);
    done(errs)?;
    diesel::update(readiness_items::table.find(id))
        .set((
            readiness_items::owner.eq(owner),
            readiness_items::status.eq(status
                .map(super::readiness::ItemStatus::as_str)
                .unwrap_or("not_started")),
            readiness_items::due_on.eq(due),
            readiness_items::notes.eq(notes),
            readiness_items::updated_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    readiness_item(tx.conn(), id)?.ok_or(AppError::NotFound)
}

/// The organisation's job description of `kind` (its edited text, or the sample).
pub fn job_description(conn: &mut DbConn, org_id: i64, kind: JobKind) -> AppResult<String> {
    let stored: Option<String> = job_descriptions::table
        .filter(job_descriptions::org_id.eq(org_id))
        .filter(job_descriptions::kind.eq(kind.as_str()))
        .select(job_descriptions::body)
        .first(conn)
        .optional()?;
    Ok(stored.unwrap_or_else(|| {
        match kind {
            JobKind::PeerRecoverySpecialist => readiness::PEER_RECOVERY_SPECIALIST_JD,
            JobKind::PeerSupervisor => readiness::PEER_SUPERVISOR_JD,
        }
        .to_string()
    }))
}

pub fn save_job_description(tx: &mut Tx, org_id: i64, kind: JobKind, body: &str) -> AppResult<()> {
    let body = body.trim();
    if body.is_empty() || body.len() > 20_000 {
        return Err(AppError::invalid(
            "body",
            "is required (at most 20,000 characters)",
        ));
    }
    let n = diesel::update(
        job_descriptions::table
            .filter(job_descriptions::org_id.eq(org_id))
            .filter(job_descriptions::kind.eq(kind.as_str())),
    )
    .set((
        job_descriptions::body.eq(body),
        job_descriptions::updated_at.eq(time::now()),
    ))
    .execute(tx.conn())?;
    if n == 0 {
        diesel::insert_into(job_descriptions::table)
            .values((
                job_descriptions::id.eq(new_id()),
                job_descriptions::org_id.eq(org_id),
                job_descriptions::kind.eq(kind.as_str()),
                job_descriptions::body.eq(body),
                job_descriptions::updated_at.eq(time::now()),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// Facilities for pick lists: `(id, name)`.
pub fn facility_choices(conn: &mut DbConn) -> AppResult<Vec<(i64, String)>> {
    Ok(facilities::table
        .order(facilities::name)
        .select((facilities::id, facilities::name))
        .load(conn)?)
}
