//! The vocabulary of a 42 CFR Part 2 consent: information [`Category`], [`Recipient`] and
//! [`RecipientClass`], [`ConsentKind`] (§2.31 standard or §2.35 criminal justice), [`Purpose`],
//! [`Expiry`], and the stored [`Consent`] with its own active/names/covers tests.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::platform::vocabulary::vocabulary;

use super::{Request, Requester};

vocabulary! {
    /// A part of the participant's record that a consent can cover.
    pub enum Category {
        /// Enrolment, participation and attendance.
        Participation = "participation" => "Participation and attendance" | "Participación y asistencia",
        /// BARC-10 and other assessments, stage of change.
        Assessments = "assessments" => "Assessments" | "Evaluaciones",
        /// Recovery and reentry plan.
        Plan = "plan" => "Recovery and reentry plan" | "Plan de recuperación y reinserción",
        /// Referrals and linkage.
        Referrals = "referrals" => "Referrals and linkage" | "Derivaciones y vinculación",
        /// Release plan and readiness checklist.
        ReleasePlan = "release_plan" => "Release plan" | "Plan de salida",
        /// Encounter notes: the most sensitive category, granted only when named explicitly.
        EncounterNotes = "encounter_notes" => "Encounter notes" | "Notas de los encuentros",
    }
}

impl Category {
    /// What an "all categories" shortcut on a form expands to: never encounter notes, which must
    /// be named on their own.
    pub const ALL_EXCEPT_NOTES: [Category; 5] = [
        Category::Participation,
        Category::Assessments,
        Category::Plan,
        Category::Referrals,
        Category::ReleasePlan,
    ];

    /// True only for encounter notes: never implied by a shortcut, only granted when named.
    pub fn requires_explicit_naming(self) -> bool {
        self == Category::EncounterNotes
    }

    /// Plain-language description for the participant, in English.
    pub fn description(self) -> &'static str {
        match self {
            Category::Participation => {
                "Whether you take part in peer support, and the dates you met with your peer."
            }
            Category::Assessments => {
                "Your answers to questionnaires about your recovery (such as the BARC-10) and how \
                 ready you feel for change."
            }
            Category::Plan => {
                "Your goals in your own words, the steps to reach them, who helps and by when."
            }
            Category::Referrals => {
                "The services you were sent to (treatment, housing, work, benefits, medical care) \
                 and what happened."
            }
            Category::ReleasePlan => {
                "Your expected release date and your plan for leaving: ID, insurance, medication, \
                 a place to stay, transport and first appointments."
            }
            Category::EncounterNotes => {
                "What you talked about with your peer at each meeting. This is the most private \
                 part of your record. It is shared only if you choose it on its own."
            }
        }
    }

    /// Plain-language description for the participant, in Spanish.
    pub fn description_es(self) -> &'static str {
        match self {
            Category::Participation => {
                "Si usted participa en el apoyo entre pares y las fechas en que se reunió con su \
                 compañero de apoyo."
            }
            Category::Assessments => {
                "Sus respuestas a cuestionarios sobre su recuperación (como el BARC-10) y qué tan \
                 preparado se siente para el cambio."
            }
            Category::Plan => {
                "Sus metas en sus propias palabras, los pasos para lograrlas, quién le ayuda y \
                 para cuándo."
            }
            Category::Referrals => {
                "Los servicios a los que fue enviado (tratamiento, vivienda, trabajo, beneficios, \
                 atención médica) y qué pasó."
            }
            Category::ReleasePlan => {
                "Su fecha prevista de salida y su plan para salir: identificación, seguro médico, \
                 medicamentos, un lugar donde quedarse, transporte y primeras citas."
            }
            Category::EncounterNotes => {
                "Lo que habló con su compañero de apoyo en cada reunión. Es la parte más privada \
                 de su expediente. Solo se comparte si usted la elige por separado."
            }
        }
    }
}

vocabulary! {
    /// A class of recipients (§2.31 allows naming a class). A user belongs to at most one class,
    /// given by the kind of their organisation.
    pub enum RecipientClass {
        Probation = "probation" => "Probation" | "Libertad a prueba",
        Parole = "parole" => "Parole" | "Libertad condicional",
        Court = "court" => "Court" | "Tribunal",
        TreatmentProvider = "treatment_provider" => "Treatment provider" | "Proveedor de tratamiento",
        JailHealth = "jail_health" => "Jail health services" | "Servicios de salud de la cárcel",
        MedicalProvider = "medical_provider" => "Medical provider" | "Proveedor médico",
    }
}

impl RecipientClass {
    /// Organisations of these classes employ medical personnel: the only recipients of a
    /// disclosure without consent in a medical emergency. 42 CFR 2.51(a): "information may be
    /// disclosed to medical personnel to the extent necessary to meet a bona fide medical
    /// emergency in which the patient's prior informed consent cannot be obtained."
    pub fn is_medical(self) -> bool {
        matches!(
            self,
            RecipientClass::MedicalProvider
                | RecipientClass::TreatmentProvider
                | RecipientClass::JailHealth
        )
    }

    /// Agencies a §2.35 criminal-justice consent may name (one of them, never the class).
    pub fn is_criminal_justice(self) -> bool {
        matches!(
            self,
            RecipientClass::Court | RecipientClass::Probation | RecipientClass::Parole
        )
    }
}

/// Who a consent allows to receive the information.
/// Serialized externally tagged, e.g. `{"organisation":{"org_id":3}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// Any user of this organisation.
    Organisation { org_id: i64 },
    /// This user, while a member of this organisation.
    Person { org_id: i64, user_id: i64 },
    /// Any user whose organisation is of this class.
    Class { class: RecipientClass },
}

impl Recipient {
    /// Whether this recipient entry names the requester.
    pub fn names(&self, requester: &Requester) -> bool {
        match *self {
            Recipient::Organisation { org_id } => org_id == requester.org_id,
            Recipient::Person { org_id, user_id } => {
                org_id == requester.org_id && user_id == requester.user_id
            }
            Recipient::Class { class } => requester.class == Some(class),
        }
    }
}

vocabulary! {
    /// §2.31 standard consent or §2.35 criminal-justice consent.
    pub enum ConsentKind {
        /// 42 CFR 2.31.
        Standard = "standard" => "Standard (42 CFR 2.31)",
        /// 42 CFR 2.35: to a court, probation or parole that made participation a condition.
        CriminalJustice = "criminal_justice" => "Criminal justice (42 CFR 2.35)",
    }
}

vocabulary! {
    /// Purpose of the disclosure. A request matches a consent only for the same purpose.
    pub enum Purpose {
        Treatment = "treatment" => "Treatment" | "Tratamiento",
        CareCoordination = "care_coordination" => "Care coordination" | "Coordinación de la atención",
        /// Only for criminal-justice consents (§2.35).
        MonitoringProgress = "monitoring_progress" => "Monitoring progress (criminal justice)" | "Seguimiento del progreso (justicia penal)",
        Payment = "payment" => "Payment" | "Pago",
        Research = "research" => "Research" | "Investigación",
        /// Must be described in `purpose_text`.
        Other = "other" => "Other" | "Otro",
    }
}

/// When a consent ends.
/// Serialized externally tagged: `{"on_date":"2025-06-30"}` or
/// `{"on_event":{"description":"...","occurred_at":null}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    /// Inclusive last day (UTC): active through 23:59:59.999 of this date.
    OnDate(NaiveDate),
    /// Lapses at the instant the event is recorded as occurred.
    OnEvent {
        description: String,
        occurred_at: Option<NaiveDateTime>,
    },
}

impl Expiry {
    /// True when the consent has lapsed at `at`.
    pub fn has_lapsed(&self, at: NaiveDateTime) -> bool {
        match self {
            Expiry::OnDate(last_day) => at.date() > *last_day,
            Expiry::OnEvent { occurred_at, .. } => occurred_at.is_some_and(|t| at >= t),
        }
    }
}

/// A signed consent to disclose, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: i64,
    pub participant_id: i64,
    /// The program (organisation) that may disclose.
    pub program_org_id: i64,
    pub kind: ConsentKind,
    /// Categories named on the consent. Encounter notes are covered only if listed here.
    pub categories: Vec<Category>,
    pub recipients: Vec<Recipient>,
    pub purpose: Purpose,
    pub signed_at: NaiveDateTime,
    pub expiry: Expiry,
    /// §2.35 only: revocation is refused before this instant. Ignored for standard consents.
    pub irrevocable_until: Option<NaiveDateTime>,
    /// Effective at this instant (requests at or after it are not covered).
    pub revoked_at: Option<NaiveDateTime>,
}

impl Consent {
    /// Signed, not expired and not revoked at `at`.
    pub fn is_active_at(&self, at: NaiveDateTime) -> bool {
        self.signed_at <= at
            && !self.expiry.has_lapsed(at)
            && self.revoked_at.is_none_or(|r| at < r)
    }

    /// Some recipient entry names the requester. A §2.35 consent that names a class ("any
    /// probation department") names nobody: 42 CFR 2.35(a) allows disclosure to "those persons
    /// within the criminal justice system who have made participation in the program a condition
    /// of the disposition", so the consent must name that agency (or a person there); in a
    /// state-wide deployment a class would hand the record to every department (fail closed).
    pub fn names(&self, requester: &Requester) -> bool {
        self.recipients.iter().any(|r| {
            !(self.kind == ConsentKind::CriminalJustice && matches!(r, Recipient::Class { .. }))
                && r.names(requester)
        })
    }

    /// The category is named on the consent (there is no implied category).
    pub fn covers(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }

    /// This consent, on its own terms, allows the request: same participant, disclosed by the
    /// participant's organisation, active at `req.at`, names the requester, covers the category,
    /// same purpose. Role rules are applied by [`decide`], not here.
    pub fn permits(&self, req: &Request) -> bool {
        self.participant_id == req.participant_id
            && self.program_org_id == req.participant_org_id
            && self.is_active_at(req.at)
            && self.names(&req.requester)
            && self.covers(req.category)
            && self.purpose == req.purpose
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    // --- vocabulary -------------------------------------------------------------------------

    #[test]
    fn category_codes_round_trip_and_labels_exist() {
        assert_vocabularies! { Category, RecipientClass, Purpose, ConsentKind }
        for &c in Category::ALL {
            assert!(!c.label().is_empty() && !c.label_es().is_empty());
            assert!(!c.description().is_empty() && !c.description_es().is_empty());
            assert_ne!(c.label(), c.label_es());
        }
        assert_eq!(Category::parse("release_plan"), Some(Category::ReleasePlan));
        assert_eq!(Category::parse("all"), None);
        for &c in RecipientClass::ALL {
            assert_ne!(c.label(), c.label_es());
        }
        for p in Purpose::ALL {
            assert!(!p.label_es().is_empty());
        }
    }

    #[test]
    fn all_categories_shortcut_never_includes_encounter_notes() {
        assert!(!Category::ALL_EXCEPT_NOTES.contains(&Category::EncounterNotes));
        assert_eq!(Category::ALL_EXCEPT_NOTES.len() + 1, Category::ALL.len());
        assert!(Category::EncounterNotes.requires_explicit_naming());
        assert!(
            Category::ALL_EXCEPT_NOTES
                .iter()
                .all(|c| !c.requires_explicit_naming())
        );
    }
}
