//! What a participant's record is written from: the API's and form's input, parsed at the edge
//! into a `NewParticipant` with every wrong field reported at once, and the kinds of external
//! identifier.

use super::*;

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

/// The kinds of external identifier.
pub const IDENTIFIER_KINDS: &[(&str, &str)] = &[
    ("booking_number", "Booking number"),
    ("state_id", "State ID / DIN"),
    ("supervision_case", "Supervision case number"),
];

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

/// "unknown identifier kind "x"; use booking_number, state_id or supervision_case".
pub(super) fn unknown_identifier_kind(field: String, kind: &str) -> FieldError {
    FieldError::keyed(
        field,
        "error-unknown-identifier-kind",
        &[("value", format!("{kind:?}"))],
    )
}
