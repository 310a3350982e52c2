//! Likely duplicates of someone being enrolled or imported, and enrolment that stops to show
//! them: nothing is ever merged here.

use super::*;

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
