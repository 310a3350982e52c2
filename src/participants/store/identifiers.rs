//! A participant's external identifiers (booking numbers, state IDs, supervision case numbers):
//! stored as typed, and normalised for matching.

use super::*;

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

/// Identifiers are stored normalised (letters and digits, upper case), so "bk-0042" finds "BK0042".
pub fn normalised_value(kind: &str, value: &str) -> String {
    matching::normalize_identifier(kind, value)
        .map(|(_, v)| v)
        .unwrap_or_else(|| value.trim().to_string())
}
