//! Correcting a participant's identity after enrolment: each changed value an amendment that
//! keeps the earlier one (decision 0016); identifiers corrected as typed, or added.

use super::*;

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
