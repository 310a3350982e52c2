//! Credential standards: the programme's own rules for certifying peers, from templates or edited,
//! stored per organisation.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::*;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;
use crate::workforce::credentials::{self, CredentialStandard};
use crate::workforce::schema::*;

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
            errs.push(FieldError::keyed(
                "training",
                "error-at-most-40-domains",
                &[],
            ));
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
            errs.push(FieldError::keyed(
                "ce_ethics_hours",
                "error-ethics-exceeds-ce",
                &[],
            ));
        }
        if self.renewal_years > 10 {
            errs.push(crate::platform::fields::not_from_to("renewal_years", 0, 10));
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

/// Each certified peer's credential of the organisation: the peer, the day certified and the
/// day it lapses under its standard's renewal period (`None`: does not lapse).
pub fn certifications(
    conn: &mut DbConn,
    org_id: i64,
) -> AppResult<Vec<(i64, NaiveDate, Option<NaiveDate>)>> {
    use crate::workforce::schema::peer_pathways;
    let rows: Vec<(i64, i64, NaiveDate)> = peer_pathways::table
        .filter(peer_pathways::org_id.eq(org_id))
        .filter(peer_pathways::certified_on.is_not_null())
        .select((
            peer_pathways::peer_id,
            peer_pathways::standard_id,
            peer_pathways::certified_on.assume_not_null(),
        ))
        .load(conn)?;
    let rules: std::collections::HashMap<i64, CredentialStandard> = standards_of(conn, org_id)?
        .into_iter()
        .map(|s| (s.id, s.rule()))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(peer, standard, on)| {
            let lapses = rules
                .get(&standard)
                .map(|s| credentials::expiry(on, s))
                .filter(|d| *d != NaiveDate::MAX);
            (peer, on, lapses)
        })
        .collect())
}
